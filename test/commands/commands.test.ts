import { expect } from "chai";
import { parseCommand } from "../../src/commands/command-parser.ts";
import { replyTo } from "../../src/commands/command-handler.ts";
import { commandHelp, helpReply } from "../../src/commands/help-reply.ts";
import { compassPoint, formatAge, whereReply } from "../../src/commands/where-reply.ts";
import { FixQuality } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import { gsm7Septets } from "../../src/codec/gsm7.ts";

const fix = testFix;

describe("commands/command-parser", () => {
  for (const text of ["WHERE", "where", " Where? ", "WHERE.", "where\r\n", "loc", "Location!"]) {
    it(`reads ${JSON.stringify(text)} as WHERE`, () => {
      expect(parseCommand(text)).to.deep.include({ kind: "command", name: "WHERE" });
    });
  }
  it("reads empty and unknown messages", () => {
    expect(parseCommand("  \n")).to.deep.equal({ kind: "empty" });
    expect(parseCommand("STATS now")).to.deep.equal({ kind: "unknown", word: "STATS" });
    expect(parseCommand("WHEREVER")).to.deep.equal({ kind: "unknown", word: "WHEREVER" });
  });
  it("echoes only short printable text from unknown commands (no quotes, no control bytes)", () => {
    const parsed = parseCommand('AT+CMGS="1"\x1a\x1bXXXXXXXXXXXXXXXXXXXXXXXX');
    expect(parsed.kind).to.equal("unknown");
    if (parsed.kind !== "unknown") return;
    expect(parsed.word).to.not.match(/["\x1a\x1b]/);
    expect(parsed.word.length).to.be.at.most(19);
  });
});

describe("commands/where-reply", () => {
  it("answers a live fix with coordinates, accuracy, motion, age and a map link", () => {
    const reply = whereReply({ latest: fix(), lastValid: fix(), nowMs: 102_000 });
    expect(reply).to.equal(
      "Live GNSS fix, 2 s old (22:15:03 UTC):\n37.33491,-121.88811 (+/-5 m)\n42 km/h heading NE\nhttps://maps.google.com/?q=37.33491,-121.88811",
    );
  });

  it("leaves out the fix time while the date is unknown", () => {
    const reply = whereReply({ latest: fix({ utcMs: NaN }), lastValid: fix(), nowMs: 100_500 });
    expect(reply).to.match(/^Live GNSS fix, 0 s old:\n/);
  });

  it("leaves out an unknown accuracy", () => {
    const reply = whereReply({ latest: fix({ hdop: NaN, accuracyM: NaN }), lastValid: fix(), nowMs: 100_500 });
    expect(reply).to.not.include("+/-");
  });

  it("says Stopped and leaves out an unknown course", () => {
    const reply = whereReply({ latest: fix({ speedKmh: 0.4, courseDeg: NaN }), lastValid: fix(), nowMs: 100_500 });
    expect(reply).to.include("Stopped");
    expect(reply).to.not.include("heading");
  });

  it("never presents a last-known position as live when the fix is lost", () => {
    const lost = fix({ valid: false, latitudeDeg: NaN, longitudeDeg: NaN, receivedAtMs: 400_000 });
    const reply = whereReply({ latest: lost, lastValid: fix(), nowMs: 400_500 });
    expect(reply).to.match(/^NO live position \(no satellite fix\)\. Last known, 5 min old \(22:15:03 UTC\):/);
    expect(reply).to.include("https://maps.google.com/?q=37.33491,-121.88811");
    expect(reply).to.not.include("Live");
  });

  it("says the receiver is silent when epochs stop arriving", () => {
    const reply = whereReply({ latest: fix(), lastValid: fix(), nowMs: 100_000 + 3_600_000 });
    expect(reply).to.match(/^NO live position \(GNSS receiver silent\)\. Last known, 1 h old/);
  });

  it("answers honestly when there has never been a fix", () => {
    const noFix = fix({ valid: false, latitudeDeg: NaN, longitudeDeg: NaN, quality: FixQuality.None, receivedAtMs: 119_000 });
    expect(whereReply({ latest: noFix, lastValid: undefined, nowMs: 120_000 })).to.match(
      /^No position yet: GNSS has had no fix since power-on 2 min ago/,
    );
    expect(whereReply({ latest: undefined, lastValid: undefined, nowMs: 30_000 })).to.match(/has sent nothing since power-on/);
  });

  it("treats an invalid record with zero coordinates as no position", () => {
    const zeros = fix({ valid: false, latitudeDeg: 0, longitudeDeg: 0 });
    expect(whereReply({ latest: zeros, lastValid: undefined, nowMs: 100_100 })).to.match(/^No position yet/);
  });

  it("fits every reply in one GSM-7 SMS", () => {
    const far = fix({ latitudeDeg: -89.999999, longitudeDeg: -179.999999, hdop: 99.9, speedKmh: 199 });
    const replies = [
      whereReply({ latest: far, lastValid: far, nowMs: 109_000 }),
      whereReply({ latest: fix({ valid: false }), lastValid: far, nowMs: 100_000 + 40 * 86_400_000 }),
      whereReply({ latest: fix({ valid: false }), lastValid: undefined, nowMs: 100_000 + 40 * 86_400_000 }),
      whereReply({ latest: undefined, lastValid: undefined, nowMs: 40 * 86_400_000 }),
      replyTo("HELP", { nowMs: 0, latestFix: undefined, lastValidFix: undefined }),
      replyTo("X".repeat(500), { nowMs: 0, latestFix: undefined, lastValidFix: undefined }),
      replyTo("", { nowMs: 0, latestFix: undefined, lastValidFix: undefined }),
    ];
    for (const reply of replies) {
      const septets = gsm7Septets(reply);
      expect(septets, reply).to.be.within(1, 160);
    }
  });

  it("formats ages, accuracy and compass points", () => {
    expect(formatAge(59_999)).to.equal("59 s");
    expect(formatAge(61_000)).to.equal("1 min");
    expect(formatAge(2 * 3_600_000 + 5 * 60_000)).to.equal("2 h 5 min");
    expect(formatAge(3 * 86_400_000)).to.equal("3 days");
    expect(compassPoint(359)).to.equal("N");
    expect(compassPoint(225)).to.equal("SW");
    expect(compassPoint(NaN)).to.equal("");
  });
});

const HELP_TEXT = helpReply("owner", false);

describe("commands: the way people write on a phone", () => {
  const context = { nowMs: 0, latestFix: undefined, lastValidFix: undefined };
  for (const text of ["Where's my car?", "where\u2019s my car", "Wheres my car", "where is it", "\u201cWhere\u201d", "\"where?\"", "\u00bfwhere?", "(where)", "\u{1F4CD}", "\u{1F4CD}\ufe0f", "\u{1F4CD}?", "WHERE!!!"]) {
    it(`${JSON.stringify(text)} is WHERE`, () => {
      expect(parseCommand(text)).to.deep.include({ kind: "command", name: "WHERE" });
    });
  }
  it("only the first word decides, and only a possessive 's is dropped", () => {
    expect(parseCommand("my car, where?")).to.deep.equal({ kind: "unknown", word: "my" });
    expect(parseCommand("it's gone")).to.deep.equal({ kind: "unknown", word: "its" });
    expect(parseCommand("'s")).to.deep.equal({ kind: "unknown", word: "s" });
    expect(parseCommand("Helps")).to.deep.equal({ kind: "unknown", word: "Helps" });
    expect(parseCommand("''")).to.deep.equal({ kind: "unknown", word: "" });
  });
  it("a first word with nothing printable to echo gets a plain helpful line", () => {
    expect(replyTo("\u{1F697}", context)).to.equal("That is not a command I know. Send HELP for the list of commands.");
    expect(replyTo("\u0413\u0434\u0435", context)).to.equal("That is not a command I know. Send HELP for the list of commands.");
  });
  it("HELP WHERE names the spellings it accepts, in one GSM-7 SMS", () => {
    expect(replyTo("help", context)).to.equal(HELP_TEXT);
    const help = commandHelp("user", "WHERE");
    expect(gsm7Septets(help)).to.be.within(1, 160);
    for (const text of ["LOC", "POS", "where's my car?"]) {
      expect(help).to.include(text);
      expect(parseCommand(text)).to.deep.include({ kind: "command", name: "WHERE" });
    }
    expect(help).to.include("pin emoji");
  });
  it("HELP lists what each role may use, in one GSM-7 SMS, secure mode saying the PIN goes last; HELP <command> says how", () => {
    const roles = ["owner", "admin", "user"] as const;
    for (const role of roles) {
      for (const secure of [false, true]) {
        const help = helpReply(role, secure);
        expect(gsm7Septets(help), `${role} ${secure}`).to.be.within(1, 160);
        expect(help.includes("PIN last"), `${role} ${secure}`).to.equal(secure);
        expect(help).to.include("WHERE");
        expect(help).to.include("ALERTS");
        expect(help, "no GSM-7 extension characters").to.not.match(/[[\]{}|^~\\€]/);
      }
    }
    const owner = helpReply("owner", false);
    for (const word of ["ARM", "DISARM", "ADD", "DEL", "LIST", "WHO", "PIN", "OWNER", "RESET", "SECURE"]) expect(owner).to.include(word);
    const admin = helpReply("admin", false);
    for (const word of ["ARM", "ADD", "DEL", "WHO"]) expect(admin).to.include(word);
    for (const word of ["OWNER", "RESET", "SECURE", " PIN"]) expect(admin).to.not.include(word);
    const user = helpReply("user", false);
    for (const word of ["ARM", "ADD", "DEL", "WHO", "OWNER", "RESET", "SECURE"]) expect(user).to.not.include(word);
    const names = ["WHERE", "HELP", "ARM", "DISARM", "LIST", "WHO", "ALERTS", "ADD", "DEL", "PIN", "OWNER", "ACCEPT", "RESET", "SECURE", "CLAIM", "STATUS", "TRACK", "FENCE", "SPEED", "UNITS", "TZ"] as const;
    for (const name of names) {
      const usage = commandHelp("owner", name);
      expect(gsm7Septets(usage), name).to.be.within(1, 160);
      expect(usage, name).to.not.match(/[[\]{}|^~\\€]/);
      expect(usage.startsWith(name), usage).to.equal(true);
    }
    expect(commandHelp("user", "ADD")).to.equal("ADD is not for your number. Send HELP for the commands you can use.");
    expect(commandHelp("admin", "RESET")).to.equal("RESET is not for your number. Send HELP for the commands you can use.");
    expect(commandHelp("user", "WHERE")).to.match(/^WHERE \(or LOC, POS, "where's my car\?", a pin emoji\)/);
  });
});

describe("commands: the edges of each reply", () => {
  const context = { nowMs: 0, latestFix: undefined, lastValidFix: undefined };

  it('"?" and HELP in any case and with punctuation are HELP; the list names every command', () => {
    for (const text of ["?", "help", " Help! ", "HELP?", "??"]) {
      expect(replyTo(text, context), text).to.equal(HELP_TEXT);
    }
    for (const text of ["POS", "pos.", "LOC;", "Location:", "where,"]) expect(parseCommand(text), text).to.deep.include({ kind: "command", name: "WHERE" });
    expect(parseCommand("where are you")).to.deep.equal({ kind: "command", name: "WHERE", args: ["are", "you"] });
  });

  it("only trailing punctuation is dropped, and a single mark is kept as the word", () => {
    expect(parseCommand("WH.ERE")).to.deep.equal({ kind: "unknown", word: "WH.ERE" });
    expect(parseCommand("!")).to.deep.equal({ kind: "unknown", word: "!" });
    for (const text of ["WHERE?!", "Where??", "WHERE!!...", "where?.", "where :)"]) {
      expect(parseCommand(text), text).to.deep.include({ kind: "command", name: "WHERE" });
    }
    expect(parseCommand(".,")).to.deep.equal({ kind: "unknown", word: ".," });
  });

  it("words are split on every kind of blank (tab, form feed, vertical tab, CR, LF)", () => {
    for (const blank of ["\t", "\f", "\v", "\r", "\n", " "]) {
      expect(parseCommand(`${blank}where${blank}now${blank}`), JSON.stringify(blank)).to.deep.equal({ kind: "command", name: "WHERE", args: ["now"] });
    }
  });

  it("an unknown word is echoed with at most 16 printable characters, quotes and control bytes dropped", () => {
    expect(replyTo("BALANCE", context)).to.equal("Unknown command 'BALANCE'. Send HELP for the list of commands.");
    expect(replyTo("   ", context)).to.equal("Empty message. Send HELP for the list of commands.");
    expect(parseCommand("ABCDEFGHIJKLMNOPQRS")).to.deep.equal({ kind: "unknown", word: "ABCDEFGHIJKLMNOP..." });
    expect(parseCommand("ABCDEFGHIJKLMNOP")).to.deep.equal({ kind: "unknown", word: "ABCDEFGHIJKLMNOP" });
    expect(parseCommand("it's~\"x\"\u00e9\u0001")).to.deep.equal({ kind: "unknown", word: "its~x" });
    expect(parseCommand(" ~")).to.deep.equal({ kind: "unknown", word: "~" });
  });

  it("a fix is live for 10 s after it arrived, not a millisecond more", () => {
    const at10s = whereReply({ latest: fix(), lastValid: fix(), nowMs: 110_000 });
    expect(at10s.startsWith("Live GNSS fix, 10 s old (22:15:03 UTC):\n")).to.equal(true);
    const after = whereReply({ latest: fix(), lastValid: fix(), nowMs: 110_001 });
    expect(after.startsWith("NO live position (GNSS receiver silent). Last known, 10 s old (22:15:03 UTC):\n")).to.equal(true);
  });

  it("an unknown speed says nothing of motion (never 'NaN km/h'); 2 km/h is moving", () => {
    const unknown = whereReply({ latest: fix({ speedKmh: NaN }), lastValid: fix(), nowMs: 100_500 });
    expect(unknown).to.equal("Live GNSS fix, 0 s old (22:15:03 UTC):\n37.33491,-121.88811 (+/-5 m)\nhttps://maps.google.com/?q=37.33491,-121.88811");
    expect(whereReply({ latest: fix({ speedKmh: 2, courseDeg: 180 }), lastValid: fix(), nowMs: 100_500 })).to.include("\n2 km/h heading S\n");
    expect(whereReply({ latest: fix({ speedKmh: 1.9 }), lastValid: fix(), nowMs: 100_500 })).to.include("\nStopped\nhttps://");
  });

  it("accuracy: rounded, at least 1 m, left out when 0", () => {
    expect(whereReply({ latest: fix({ accuracyM: 0.3 }), lastValid: fix(), nowMs: 100_500 })).to.include("-121.88811 (+/-1 m)\n");
    expect(whereReply({ latest: fix({ accuracyM: 12.5 }), lastValid: fix(), nowMs: 100_500 })).to.include("-121.88811 (+/-13 m)\n");
    expect(whereReply({ latest: fix({ accuracyM: 0 }), lastValid: fix(), nowMs: 100_500 })).to.include("-121.88811\n");
  });

  it("the fix time has two digits in each field; a last-known fix without a date leaves it out", () => {
    const early = fix({ utcMs: Date.UTC(2026, 0, 2, 3, 4, 5) });
    expect(whereReply({ latest: early, lastValid: early, nowMs: 100_000 })).to.match(/^Live GNSS fix, 0 s old \(03:04:05 UTC\):\n/);
    const lost = fix({ valid: false, latitudeDeg: NaN, longitudeDeg: NaN, receivedAtMs: 200_000 });
    const undated = fix({ utcMs: NaN });
    expect(whereReply({ latest: lost, lastValid: undated, nowMs: 200_000 })).to.equal(
      "NO live position (no satellite fix). Last known, 1 min old:\n37.33491,-121.88811 (+/-5 m)\nhttps://maps.google.com/?q=37.33491,-121.88811",
    );
  });

  it("a valid record missing a coordinate is no position", () => {
    const half = fix({ longitudeDeg: NaN });
    expect(whereReply({ latest: half, lastValid: undefined, nowMs: 100_500 })).to.equal(
      "No position yet: GNSS has had no fix since power-on 1 min ago (no satellite fix). Try again in a few minutes, ideally in open sky.",
    );
    expect(whereReply({ latest: undefined, lastValid: undefined, nowMs: 30_000 })).to.equal(
      "No position: the GNSS receiver has sent nothing since power-on 30 s ago. Check its wiring and antenna.",
    );
  });

  it("ages: whole seconds, minutes, hours with minutes up to 2 days, then days", () => {
    expect(formatAge(-5)).to.equal("0 s");
    expect(formatAge(60_000)).to.equal("1 min");
    expect(formatAge(3_599_999)).to.equal("59 min");
    expect(formatAge(3_600_000)).to.equal("1 h");
    expect(formatAge(47 * 3_600_000 + 59 * 60_000)).to.equal("47 h 59 min");
    expect(formatAge(48 * 3_600_000)).to.equal("2 days");
  });

  it("compass points: each 45° sector, negative and past-360 courses", () => {
    const expected = ["N", "NE", "E", "SE", "S", "SW", "W", "NW", "N"];
    expected.forEach((point, k) => expect(compassPoint(k * 45), `${k * 45}`).to.equal(point));
    expect(compassPoint(22.4)).to.equal("N");
    expect(compassPoint(22.6)).to.equal("NE");
    expect(compassPoint(-90)).to.equal("W");
    expect(compassPoint(450)).to.equal("E");
    expect(compassPoint(Infinity)).to.equal("");
  });
});

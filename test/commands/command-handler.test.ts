/**
 * The command handler: one outcome per command from a registered number, with a real AccessCommands
 * behind it. Late state-changing commands are refused, secure mode asks for the PIN (last word)
 * everywhere but HELP and the commands that take it anyway, and each role gets only its commands.
 */
import { expect } from "chai";
import { TheftAlarm } from "../../src/alerts/theft-alarm.ts";
import { Tracking } from "../../src/alerts/tracking.ts";
import { VehicleCommands } from "../../src/commands/vehicle-commands.ts";
import { timeZoneSetting } from "../../src/commands/local-time.ts";
import { CommandHandler, replyToCommand } from "../../src/commands/command-handler.ts";
import { AccessCommands, type Outcome } from "../../src/commands/access-commands.ts";
import { parseCommand } from "../../src/commands/command-parser.ts";
import { commandHelp, helpReply } from "../../src/commands/help-reply.ts";
import { whereReply } from "../../src/commands/where-reply.ts";
import { Settings } from "../../src/store/settings.ts";
import { RegisteredNumbers, type Member } from "../../src/auth/registered-numbers.ts";
import { encodeMembers } from "../../src/auth/user-list.ts";
import { hashPin, pinMatches } from "../../src/auth/pin.ts";
import { SimRandom } from "../../host-sim/guest/sim-ports.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

const MIN = 60_000;
const PIN = "73915";
const NEW_PIN = "240681";
const WRONG = "11112";

const OWNER = "+14085550199";
const ANNA = "+447700900123"; // admin
const BOB = "+14085550123"; // user
const CAROL = "+33612345678";

/** Now on the tracker's wall clock (2026-03-01T12:00:00Z). */
const NOW_UTC = Date.UTC(2026, 2, 1, 12, 0, 0);
const WHO_TEXT = "WHO: 2 locations sent today.";
const STATUS_TEXT = "STATUS: all well.";
/** What WHERE answers in these tests (no fix, 30 s after power-on). */
const WHERE_TEXT = whereReply({ latest: undefined, lastValid: undefined, nowMs: 30_000 });

function reply(text: string | undefined, notices: Outcome["notices"] = []): Outcome {
  return { reply: text, notices };
}

interface World {
  settings: Settings;
  numbers: RegisteredNumbers;
  clock: FakeClock;
  access: AccessCommands;
  handler: CommandHandler;
  /** The numbers WHERE answered, in order. */
  located: string[];
  /** The wall clock the handler reads (undefined: unknown). */
  utc: { now: number | undefined };
  /** Whether WHERE waits for a fix. */
  gnss: { waitForFix: boolean };
  /** `text` from `number`, sent at `sentUtcMs` (default: now). */
  send(number: string, text: string, sentUtcMs?: number): Outcome;
}

function world(secure = false): World {
  const log = new RecordingLogger();
  const settings = new Settings(new MemoryStore(), log);
  const random = new SimRandom(99);
  const clock = new FakeClock();
  expect(
    settings.setMany({
      ownerNumber: OWNER,
      pinHash: hashPin(PIN, random),
      users: encodeMembers([
        { number: ANNA, name: "Anna", role: "admin", alerts: true },
        { number: BOB, name: "Bob", role: "user", alerts: false },
      ]),
      secure: secure ? "on" : "off",
    }).ok,
  ).to.equal(true);
  const numbers = new RegisteredNumbers(settings);
  const access = new AccessCommands({ settings, numbers, clock, random, log, forgetRam: () => {} });
  const located: string[] = [];
  const utc = { now: NOW_UTC as number | undefined };
  const alarm = new TheftAlarm({ settings, clock, log, owner: () => OWNER, alert: () => {}, position: () => "somewhere" });
  const tracking = new Tracking({ settings, clock, log, liveFix: () => undefined, positionText: () => "", noPositionText: () => "", registered: () => true, send: () => {} });
  const vehicle = new VehicleCommands({ settings, tracking, liveFix: () => undefined, owner: () => OWNER, changed: () => {}, parseZone: (t) => timeZoneSetting(t) });
  const gnss = { waitForFix: false };
  const handler = new CommandHandler({
    access,
    alarm,
    vehicle,
    status: () => STATUS_TEXT,
    waitForFix: () => gnss.waitForFix,
    secure: () => settings.get("secure") === "on",
    utcMs: () => utc.now,
    where: () => ({ nowMs: 30_000, latestFix: undefined, lastValidFix: undefined }),
    whereText: () => WHERE_TEXT,
    noteLocation: (member: Member) => located.push(member.number),
    whoReply: () => WHO_TEXT,
  });
  const send = (number: string, text: string, sentUtcMs = NOW_UTC): Outcome => {
    const member = numbers.all().find((m) => m.number === number);
    expect(member, number).to.not.equal(undefined);
    return handler.handle(member!, parseCommand(text), sentUtcMs);
  };
  return { settings, numbers, clock, access, handler, located, utc, gnss, send };
}

const late = (command: string, minutes: number) =>
  reply(`Your ${command} was sent ${minutes} min ago and delivered late, so it was not carried out. Send it again if you still want it.`);
const needsPin = (command: string) => reply(`${command} needs the PIN (4 to 8 digits) as its last word. Send HELP for examples.`);
const wrongPin = (left: number) => reply(`Wrong PIN. ${left} more wrong PIN${left === 1 ? "" : "s"} lock PIN commands.`);

describe("commands/CommandHandler", () => {
  describe("each command reaches its handler", () => {
    it("WHERE answers the position and notes who got it", () => {
      const w = world();
      expect(w.send(BOB, "where's my car?")).to.deep.equal(reply(WHERE_TEXT));
      expect(w.send(OWNER, "LOC")).to.deep.equal(reply(WHERE_TEXT));
      expect(w.located).to.deep.equal([BOB, OWNER]);
    });

    it("WHERE with no live fix waits for one (the tracker answers it later, and notes it then)", () => {
      const w = world();
      w.gnss.waitForFix = true;
      expect(w.send(BOB, "WHERE")).to.deep.equal({ reply: undefined, notices: [], waitForFix: true });
      expect(w.located).to.deep.equal([]);
    });

    it("STATUS for every role; TRACK for every role; FENCE, SPEED, UNITS and TZ for the owner and admins", () => {
      const w = world();
      for (const who of [OWNER, ANNA, BOB]) expect(w.send(who, "status")).to.deep.equal(reply(STATUS_TEXT));
      expect(w.send(BOB, "TRACK")).to.deep.equal(reply("Not tracking. Send TRACK <minutes> (count) (distance), e.g. TRACK 5 20 500m."));
      expect(w.send(BOB, "TRACK 5 3").reply).to.equal("Tracking: a position every 5 min, 3 times (15 min). TRACK OFF stops it.");
      for (const name of ["FENCE", "SPEED", "UNITS", "TZ"]) {
        expect(w.send(BOB, `${name} OFF`), name).to.deep.equal(reply(`${name} is for the owner and admins. Send HELP for the commands you can use.`));
      }
      expect(w.send(ANNA, "SPEED 110")).to.deep.equal(
        reply("Speed limit 110 km/h: an alert with the top speed and where, once per time it is passed. SPEED OFF removes it.", [
          { to: OWNER, text: "Anna (+4477***0123) set a speed limit of 110 km/h." },
        ]),
      );
      expect(w.send(OWNER, "geofence 37.33491,-121.88811 200").reply).to.match(/^Fence set: 200 m around 37\.33491,-121\.88811\./);
      expect(w.send(OWNER, "units imperial").reply).to.equal("Units: mph and feet from now on.");
      expect(w.send(OWNER, "timezone cet").reply).to.equal("Time zone: CET. Times in replies and alerts use it from now on.");
      expect([w.settings.get("speedLimitKmh"), w.settings.get("units"), w.settings.get("timeZone")]).to.deep.equal(["110", "imperial", "CET"]);
    });

    it("TRACK, FENCE, SPEED, UNITS and TZ delivered late are not carried out", () => {
      const w = world();
      for (const text of ["TRACK 5", "FENCE OFF", "SPEED 100", "UNITS METRIC", "TZ UTC"]) {
        const name = text.split(" ")[0]!;
        expect(w.send(OWNER, text, NOW_UTC - 20 * MIN), text).to.deep.equal(late(name, 20));
      }
      expect(w.settings.get("speedLimitKmh")).to.equal("0");
    });

    it("HELP answers by role", () => {
      const w = world();
      expect(w.send(OWNER, "help")).to.deep.equal(reply(helpReply("owner", false)));
      expect(w.send(ANNA, "?")).to.deep.equal(reply(helpReply("admin", false)));
      expect(w.send(BOB, "HELP")).to.deep.equal(reply(helpReply("user", false)));
      expect(w.located).to.deep.equal([]);
    });

    it("LIST, ADD, DEL, PIN, SECURE, ALERTS with their arguments", () => {
      const w = world();
      expect(w.send(BOB, "LIST")).to.deep.equal(reply("3 numbers: Owner +1408***0199 alerts; Anna +4477***0123 admin alerts; Bob +1408***0123."));
      expect(w.send(OWNER, `ADD ${CAROL} Carol ${PIN}`).reply).to.equal(
        "Carol (+3361***5678) was added as user by the owner (+1408***0199). Send LIST to see every number.",
      );
      expect(w.send(ANNA, `DEL carol ${PIN}`).reply).to.equal("Carol (+3361***5678) was removed by Anna (+4477***0123).");
      expect(w.send(OWNER, `PIN ${PIN} ${NEW_PIN}`)).to.deep.equal(reply("PIN changed."));
      expect(pinMatches(NEW_PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(w.send(OWNER, `SECURE ON ${NEW_PIN}`).reply).to.match(/^Secure mode on/);
      expect(w.settings.get("secure")).to.equal("on");
      expect(w.send(BOB, `ALERTS ON ${NEW_PIN}`)).to.deep.equal(reply("Alerts on: you will receive this tracker's alerts."));
      expect(w.numbers.others()[1]!.alerts).to.equal(true);
    });

    it("OWNER and RESET reach the owner's commands; others are refused", () => {
      const w = world();
      expect(w.send(ANNA, `OWNER ${CAROL} ${PIN}`)).to.deep.equal(reply("OWNER is for the owner. Send HELP for the commands you can use."));
      expect(w.send(BOB, `RESET ${PIN}`)).to.deep.equal(reply("RESET is for the owner. Send HELP for the commands you can use."));
      expect(w.send(OWNER, `OWNER ${CAROL} ${PIN}`).reply).to.match(/^The owner offered this tracker to \+3361\*\*\*5678\./);
      expect(w.access.awaitsAcceptFrom(CAROL)).to.equal(true);
      expect(w.send(OWNER, `RESET ${PIN}`).reply).to.match(/^To erase every number, the PIN and the settings, send RESET [A-Z]{6} within 2 minutes\./);
    });

    it("WHO is for the owner and admins", () => {
      const w = world();
      expect(w.send(OWNER, "WHO")).to.deep.equal(reply(WHO_TEXT));
      expect(w.send(ANNA, "who")).to.deep.equal(reply(WHO_TEXT));
      expect(w.send(BOB, "WHO")).to.deep.equal(reply("WHO is for the owner and admins. Send HELP for the commands you can use."));
    });

    it("CLAIM from a registered number: already owned, nothing changes", () => {
      const w = world();
      expect(w.send(BOB, "CLAIM K7PQ2M9X 4444")).to.deep.equal(reply("This tracker already has an owner."));
      expect(w.send(OWNER, "CLAIM")).to.deep.equal(reply("This tracker already has an owner."));
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("ACCEPT from a member with no offer waiting for it", () => {
      const w = world();
      expect(w.send(BOB, `ACCEPT ACDEFG ${NEW_PIN}`)).to.deep.equal(reply("No ownership offer waits for your number."));
      w.send(OWNER, `OWNER ${ANNA} ${PIN}`);
      expect(w.send(BOB, `ACCEPT ACDEFG ${NEW_PIN}`)).to.deep.equal(reply("No ownership offer waits for your number."));
    });

    it("ACCEPT from the member an offer waits for: wrong code, then the right one", () => {
      const w = world();
      const offer = w.send(OWNER, `OWNER ${BOB} ${PIN}`);
      const code = /ACCEPT ([A-Z]{6}) /.exec(offer.notices.at(-1)!.text)![1]!;
      expect(w.send(BOB, `ACCEPT ${code === "AAAAAA" ? "CCCCCC" : "AAAAAA"} ${NEW_PIN}`)).to.deep.equal(reply("Wrong code. Send ACCEPT <code> <new PIN>."));
      expect(w.send(BOB, `accept ${code.toLowerCase()} ${NEW_PIN}`).reply).to.equal(
        "You are now the owner of this tracker; every other number was removed. Keep your PIN safe. Send HELP for the commands.",
      );
      expect(w.settings.get("ownerNumber")).to.equal(BOB);
      expect(w.numbers.others()).to.deep.equal([]);
    });

    it("ACCEPT after the offer's 10 min: no offer waits", () => {
      const w = world();
      const offer = w.send(OWNER, `OWNER ${BOB} ${PIN}`);
      const code = /ACCEPT ([A-Z]{6}) /.exec(offer.notices.at(-1)!.text)![1]!;
      w.clock.advance(10 * MIN);
      expect(w.send(BOB, `ACCEPT ${code} ${NEW_PIN}`)).to.deep.equal(reply("No ownership offer waits for your number."));
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("unknown and empty messages get a pointer to HELP", () => {
      const w = world();
      expect(w.send(BOB, "BALANCE now")).to.deep.equal(reply("Unknown command 'BALANCE'. Send HELP for the list of commands."));
      expect(w.send(BOB, "\u{1F697}")).to.deep.equal(reply("That is not a command I know. Send HELP for the list of commands."));
      expect(w.send(OWNER, " \n ")).to.deep.equal(reply("Empty message. Send HELP for the list of commands."));
      expect(w.located).to.deep.equal([]);
    });
  });

  describe("HELP <command>, ARM and DISARM", () => {
    it("HELP <command> answers how to use it, by any spelling; an unknown topic gets the list", () => {
      const w = world();
      expect(w.send(OWNER, "HELP add")).to.deep.equal(reply(commandHelp("owner", "ADD")));
      expect(w.send(BOB, "help loc")).to.deep.equal(reply(commandHelp("user", "WHERE")));
      expect(w.send(BOB, "HELP RESET")).to.deep.equal(reply("RESET is not for your number. Send HELP for the commands you can use."));
      expect(w.send(BOB, "HELP me")).to.deep.equal(reply(helpReply("user", false)));
    });

    it("ARM and DISARM go to the alarm: a user is refused, an admin's is told to the owner", () => {
      const w = world();
      expect(w.send(BOB, "ARM").reply).to.match(/^ARM is for the owner and admins/);
      const armed = w.send(ANNA, "arm");
      expect(armed.reply).to.match(/^Armed: /);
      expect(armed.notices).to.deep.equal([{ to: OWNER, text: "Anna (+4477***0123) armed the tracker." }]);
      expect(w.send(OWNER, "DISARM")).to.deep.equal(reply("Disarmed: movement raises no alert."));
    });

    it("a late ARM or DISARM is not carried out", () => {
      const w = world();
      expect(w.send(OWNER, "ARM", NOW_UTC - 16 * 60_000)).to.deep.equal(late("ARM", 16));
      expect(w.send(OWNER, "DISARM", NOW_UTC - 16 * 60_000)).to.deep.equal(late("DISARM", 16));
    });
  });

  describe("late commands", () => {
    const LATE = NOW_UTC - 16 * MIN;

    it("a state-changing command sent more than 15 min ago is not carried out", () => {
      const w = world();
      expect(w.send(OWNER, `ADD ${CAROL} ${PIN}`, LATE)).to.deep.equal(late("ADD", 16));
      expect(w.send(OWNER, `DEL Bob ${PIN}`, LATE)).to.deep.equal(late("DEL", 16));
      expect(w.send(OWNER, `PIN ${PIN} ${NEW_PIN}`, LATE)).to.deep.equal(late("PIN", 16));
      expect(w.send(OWNER, `OWNER ${CAROL} ${PIN}`, LATE)).to.deep.equal(late("OWNER", 16));
      expect(w.send(BOB, `ACCEPT ACDEFG ${PIN}`, LATE)).to.deep.equal(late("ACCEPT", 16));
      expect(w.send(OWNER, `RESET ${PIN}`, LATE)).to.deep.equal(late("RESET", 16));
      expect(w.send(OWNER, `SECURE ON ${PIN}`, LATE)).to.deep.equal(late("SECURE", 16));
      expect(w.send(BOB, "ALERTS ON", LATE)).to.deep.equal(late("ALERTS", 16));
      expect(w.send(OWNER, `ADD ${CAROL} ${PIN}`, NOW_UTC - 3 * 60 * MIN - 59_999)).to.deep.equal(late("ADD", 180));
      expect(w.numbers.all()).to.have.length(3);
      expect(w.access.awaitsAcceptFrom(CAROL)).to.equal(false);
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(w.settings.get("secure")).to.equal("off");
      expect(w.numbers.others()[1]!.alerts).to.equal(false);
    });

    it("15 min exactly is in time; a millisecond more is late", () => {
      const w = world();
      expect(w.send(BOB, "ALERTS ON", NOW_UTC - 15 * MIN - 1)).to.deep.equal(late("ALERTS", 15));
      expect(w.send(BOB, "ALERTS ON", NOW_UTC - 15 * MIN).reply).to.equal("Alerts on: you will receive this tracker's alerts.");
    });

    it("commands that change nothing are answered however late", () => {
      const w = world();
      const old = NOW_UTC - 24 * 60 * MIN;
      expect(w.send(BOB, "WHERE", old)).to.deep.equal(reply(WHERE_TEXT));
      expect(w.send(BOB, "HELP", old)).to.deep.equal(reply(helpReply("user", false)));
      expect(w.send(BOB, "LIST", old).reply).to.match(/^3 numbers: /);
      expect(w.send(ANNA, "WHO", old)).to.deep.equal(reply(WHO_TEXT));
      expect(w.send(BOB, "CLAIM X 1234", old)).to.deep.equal(reply("This tracker already has an owner."));
      expect(w.located).to.deep.equal([BOB]);
    });

    it("an unknown send time or tracker time: carried out", () => {
      const w = world();
      expect(w.send(BOB, "ALERTS ON", NaN).reply).to.equal("Alerts on: you will receive this tracker's alerts.");
      w.utc.now = undefined;
      expect(w.send(BOB, "ALERTS OFF", 0).reply).to.equal("Alerts off: you will not receive alerts (commands still work).");
    });
  });

  describe("secure mode", () => {
    it("WHERE, LIST, WHO and ALERTS need the PIN as the last word", () => {
      const w = world(true);
      expect(w.send(BOB, "WHERE")).to.deep.equal(needsPin("WHERE"));
      expect(w.send(BOB, "LIST")).to.deep.equal(needsPin("LIST"));
      expect(w.send(ANNA, "WHO")).to.deep.equal(needsPin("WHO"));
      expect(w.send(BOB, "ALERTS ON")).to.deep.equal(needsPin("ALERTS"));
      expect(w.send(BOB, `WHERE ${PIN} now`)).to.deep.equal(needsPin("WHERE"));
      expect(w.located).to.deep.equal([]);
      expect(w.numbers.others()[1]!.alerts).to.equal(false);
    });

    it("with the PIN they work, the PIN taken off their arguments", () => {
      const w = world(true);
      expect(w.send(BOB, `where ${PIN}`)).to.deep.equal(reply(WHERE_TEXT));
      expect(w.located).to.deep.equal([BOB]);
      expect(w.send(BOB, `LIST ${PIN}`).reply).to.match(/^3 numbers: /);
      expect(w.send(ANNA, `WHO ${PIN}`)).to.deep.equal(reply(WHO_TEXT));
      expect(w.send(BOB, `ALERTS ON ${PIN}`)).to.deep.equal(reply("Alerts on: you will receive this tracker's alerts."));
      expect(w.send(BOB, `ALERTS ${PIN}`)).to.deep.equal(reply("Alerts are on for your number. Send ALERTS ON or ALERTS OFF."));
    });

    it("a wrong PIN is counted, and nothing is done", () => {
      const w = world(true);
      const toOwner = (command: string) => [{ to: OWNER, text: `Wrong PIN from Bob (+1408***0123) for ${command}.` }];
      expect(w.send(BOB, `WHERE ${WRONG}`)).to.deep.equal({ ...wrongPin(4), notices: toOwner("WHERE") });
      expect(w.send(BOB, `ALERTS ON ${WRONG}`)).to.deep.equal({ ...wrongPin(3), notices: toOwner("ALERTS") });
      expect(w.located).to.deep.equal([]);
      expect(w.numbers.others()[1]!.alerts).to.equal(false);
    });

    it("a user is still refused WHO after the right PIN", () => {
      const w = world(true);
      expect(w.send(BOB, `WHO ${PIN}`)).to.deep.equal(reply("WHO is for the owner and admins. Send HELP for the commands you can use."));
    });

    it("HELP needs no PIN and says the PIN goes last", () => {
      const w = world(true);
      expect(w.send(OWNER, "HELP")).to.deep.equal(reply(helpReply("owner", true)));
      expect(w.send(BOB, "?")).to.deep.equal(reply(helpReply("user", true)));
      expect(w.send(ANNA, `HELP ${WRONG}`)).to.deep.equal(reply(helpReply("admin", true)));
      expect(w.settings.get("pinLock")).to.equal("");
    });

    it("commands that take the PIN anyway need it once, not twice", () => {
      const w = world(true);
      expect(w.send(OWNER, `ADD ${CAROL} Carol ${PIN}`).reply).to.match(/^Carol \(\+3361\*\*\*5678\) was added as user/);
      expect(w.send(ANNA, `DEL Carol ${PIN}`).reply).to.match(/was removed/);
      expect(w.send(OWNER, `SECURE OFF ${PIN}`).reply).to.match(/^Secure mode off/);
      expect(w.settings.get("secure")).to.equal("off");
    });

    it("PIN, OWNER, RESET and ACCEPT take it once as well", () => {
      const w = world(true);
      expect(w.send(OWNER, `PIN ${PIN} ${NEW_PIN}`)).to.deep.equal(reply("PIN changed."));
      const offer = w.send(OWNER, `OWNER ${BOB} ${NEW_PIN}`);
      expect(offer.reply).to.match(/^The owner offered/);
      const code = /ACCEPT ([A-Z]{6}) /.exec(offer.notices.at(-1)!.text)![1]!;
      expect(w.send(BOB, `ACCEPT ${code} ${PIN}`).reply).to.match(/^You are now the owner/);
      expect(w.settings.get("ownerNumber")).to.equal(BOB);
      // the transfer turned secure mode off: back on for the new owner
      expect(w.send(BOB, `SECURE ON ${PIN}`).reply).to.match(/^Secure mode on/);
      expect(w.send(BOB, `RESET ${PIN}`).reply).to.match(/^To erase every number/);
    });

    it("CLAIM from a member needs the PIN too (it is no command of its own)", () => {
      const w = world(true);
      expect(w.send(BOB, "CLAIM")).to.deep.equal(needsPin("CLAIM"));
      expect(w.send(BOB, `CLAIM ${PIN}`)).to.deep.equal(reply("This tracker already has an owner."));
    });

    it("unknown and empty messages are answered without the PIN", () => {
      const w = world(true);
      expect(w.send(BOB, "BALANCE")).to.deep.equal(reply("Unknown command 'BALANCE'. Send HELP for the list of commands."));
      expect(w.send(BOB, "")).to.deep.equal(reply("Empty message. Send HELP for the list of commands."));
    });

    it("a late state-changing command is refused before the PIN is checked", () => {
      const w = world(true);
      expect(w.send(BOB, `ALERTS ON ${WRONG}`, NOW_UTC - 20 * MIN)).to.deep.equal(late("ALERTS", 20));
      expect(w.settings.get("pinLock")).to.equal("");
    });
  });

  describe("replyToCommand", () => {
    const context = { nowMs: 30_000, latestFix: undefined, lastValidFix: undefined };
    it("answers empty, unknown, WHERE and HELP by role and mode", () => {
      expect(replyToCommand({ kind: "empty" }, context, "user", false)).to.equal("Empty message. Send HELP for the list of commands.");
      expect(replyToCommand({ kind: "unknown", word: "" }, context, "user", false)).to.equal(
        "That is not a command I know. Send HELP for the list of commands.",
      );
      expect(replyToCommand({ kind: "unknown", word: "X" }, context, "user", false)).to.equal("Unknown command 'X'. Send HELP for the list of commands.");
      expect(replyToCommand({ kind: "command", name: "WHERE", args: [] }, context, "user", true)).to.equal(WHERE_TEXT);
      expect(replyToCommand({ kind: "command", name: "HELP", args: [] }, context, "admin", true)).to.equal(helpReply("admin", true));
    });
  });
});

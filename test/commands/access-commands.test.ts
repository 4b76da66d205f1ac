/**
 * The access commands (CLAIM, ADD, DEL, LIST, PIN, OWNER / ACCEPT, RESET, SECURE, ALERTS) and the
 * PIN check behind them, over the real settings, registered numbers, PIN hash and lockout: the exact
 * reply, the notices to other numbers, what is stored, and that the PIN is never echoed or logged.
 */
import { expect } from "chai";
import { AccessCommands, RESET_WINDOW_MS, TRANSFER_WINDOW_MS, type Outcome } from "../../src/commands/access-commands.ts";
import { Settings, type SettingsRecord } from "../../src/store/settings.ts";
import { RegisteredNumbers, type Member } from "../../src/auth/registered-numbers.ts";
import { encodeMembers } from "../../src/auth/user-list.ts";
import { hashPin, pinMatches } from "../../src/auth/pin.ts";
import type { RandomSource } from "../../src/platform/ports.ts";
import { SimRandom } from "../../host-sim/guest/sim-ports.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const PIN = "73915";
const NEW_PIN = "240681";
const WRONG = "11112";
const SETUP_CODE = "K7PQ2M9X";

const OWNER = "+14085550199"; // +1408***0199
const ANNA = "+447700900123"; // +4477***0123
const BOB = "+14085550123"; // +1408***0123
const CAROL = "+33612345678"; // +3361***5678
const NEWCOMER = "+4915112345678"; // +4915***5678

const OWNER_M = "the owner (+1408***0199)";
const LETTERS = "ACDEFGHJKLMNPQRTUVWXY";

/** A key-value store whose writes can be made to fail (flash full). */
class FlakyStore extends MemoryStore {
  failing = false;
  /** When set: this many more writes succeed, then every write fails. */
  writesLeft: number | undefined = undefined;
  override set(key: string, value: string | number | boolean | ArrayBuffer): void {
    if (this.writesLeft !== undefined && this.writesLeft-- <= 0) this.failing = true;
    if (this.failing) throw new Error("flash full");
    super.set(key, value);
  }
  /** Everything in flash, as one text. */
  get flash(): string {
    return [...this.values.values()].map(String).join("\n");
  }
}

/** SimRandom, keeping every draw (to know which one-time code a draw makes). */
class RecordingRandom implements RandomSource {
  readonly draws: number[][] = [];
  readonly #inner = new SimRandom(20_240_601);
  fill(bytes: Uint8Array): void {
    this.#inner.fill(bytes);
    this.draws.push([...bytes]);
  }
  /** The code the last draw makes: each byte modulo 21 picks a letter. */
  get lastCode(): string {
    return this.draws.at(-1)!.map((b) => LETTERS[b % LETTERS.length]).join("");
  }
}

interface World {
  store: FlakyStore;
  settings: Settings;
  numbers: RegisteredNumbers;
  clock: FakeClock;
  random: RecordingRandom;
  log: RecordingLogger;
  access: AccessCommands;
  forgot: { count: number };
  /** The registered member with `number`. */
  member(number: string): Member;
  /** A new AccessCommands over the same settings (a reboot). */
  reboot(): AccessCommands;
}

/** A tracker's access commands; by default owned by OWNER with PIN, Anna an admin, Bob a user. */
function world(
  options: { owner?: boolean; pin?: boolean; users?: Member[]; settings?: Partial<SettingsRecord> } = {},
): World {
  const store = new FlakyStore();
  const log = new RecordingLogger();
  const settings = new Settings(store, log);
  const clock = new FakeClock();
  const random = new RecordingRandom();
  const provision: Partial<SettingsRecord> = {};
  if (options.owner !== false) {
    provision.ownerNumber = OWNER;
    if (options.pin !== false) provision.pinHash = hashPin(PIN, random);
    provision.users = encodeMembers(
      options.users ?? [
        { number: ANNA, name: "Anna", role: "admin", alerts: true },
        { number: BOB, name: "Bob", role: "user", alerts: false },
      ],
    );
  }
  Object.assign(provision, options.settings ?? {});
  expect(settings.setMany(provision).ok).to.equal(true);
  const numbers = new RegisteredNumbers(settings);
  const forgot = { count: 0 };
  const make = () => new AccessCommands({ settings, numbers, clock, random, log, forgetRam: () => forgot.count++ });
  const w: World = {
    store,
    settings,
    numbers,
    clock,
    random,
    log,
    access: make(),
    forgot,
    member: (number) => {
      const found = numbers.all().find((m) => m.number === number);
      expect(found, number).to.not.equal(undefined);
      return found!;
    },
    reboot: () => (w.access = make()),
  };
  return w;
}

function reply(text: string | undefined, notices: Outcome["notices"] = []): Outcome {
  return { reply: text, notices };
}

const NO_ANSWER = reply(undefined);

/** The reply to a wrong PIN with `left` tries left; from another number than the owner's (`from`: "Anna (+4477***0123)"), the owner's notice too. */
function wrongPin(left: number, from?: string, command = "ADD"): Outcome {
  const notices = from === undefined ? [] : [{ to: OWNER, text: `Wrong PIN from ${from} for ${command}.` }];
  return reply(`Wrong PIN. ${left} more wrong PIN${left === 1 ? "" : "s"} lock PIN commands.`, notices);
}

const ANNA_SAYS = "Anna (+4477***0123)";

function needsPin(command: string): Outcome {
  return reply(`${command} needs the PIN (4 to 8 digits) as its last word. Send HELP for examples.`);
}

function locked(command: string, left: string): Outcome {
  return reply(`${command} refused: PIN commands are locked for ${left} more after wrong PINs.`);
}

function notFor(command: string, who: string): Outcome {
  return reply(`${command} is for ${who}. Send HELP for the commands you can use.`);
}

/** `count` wrong PINs from `number` with ADD (or PIN for the owner); the last outcome. */
function failPins(w: World, number: string, count: number): Outcome {
  let outcome: Outcome | undefined;
  for (let i = 0; i < count; i++) outcome = w.access.add(w.member(number), [CAROL, WRONG]);
  return outcome!;
}

const ADD_USAGE = "Send ADD <number> (name) (admin) <PIN>, e.g. ADD +447700900123 Anna 1234.";

describe("commands/AccessCommands", () => {
  describe("CLAIM", () => {
    function unclaimed(setupCode = SETUP_CODE, users = ""): World {
      return world({ owner: false, settings: { setupCode, users } });
    }

    it("without a provisioned setup code nobody gets an answer, and nothing counts towards a lockout", () => {
      const w = unclaimed("");
      for (let i = 0; i < 7; i++) expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +4477***0123 ignored: no setup code is provisioned (SMS claiming is off)");
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("claimLock")).to.equal("");
      expect(w.settings.set("setupCode", SETUP_CODE).ok).to.equal(true);
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
    });

    it("a wrong setup code gets no answer, only a log line; the count is saved", () => {
      const w = unclaimed();
      expect(w.access.claim(ANNA, ["K7PQ2M9Y", NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines).to.deep.equal(["warn auth: CLAIM from +4477***0123 with a wrong setup code"]);
      expect(w.settings.get("claimLock")).to.equal("1,0,");
      expect(w.settings.get("ownerNumber")).to.equal("");
    });

    it("the code with too few or too many words is a wrong try too", () => {
      const w = unclaimed();
      expect(w.access.claim(ANNA, [SETUP_CODE])).to.deep.equal(NO_ANSWER);
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN, "extra"])).to.deep.equal(NO_ANSWER);
      expect(w.access.claim(ANNA, [])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("claimLock")).to.equal("3,0,");
      expect(w.settings.get("ownerNumber")).to.equal("");
    });

    it("5 wrong codes lock claiming for 1 min: even the right code is ignored until it ends", () => {
      const w = unclaimed();
      for (let i = 0; i < 4; i++) expect(w.access.claim(ANNA, ["WRONG123", NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.access.claim(ANNA, ["WRONG123", NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +4477***0123 with a wrong setup code: claiming locked for 1 min");
      expect(w.settings.get("claimLock")).to.equal("0,1,0");
      w.clock.advance(MIN - 1);
      expect(w.access.claim(CAROL, [SETUP_CODE, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +3361***5678 ignored: claiming is locked after wrong setup codes");
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("claimLock"), "an ignored try is not counted").to.equal("0,1,0");
      w.clock.advance(1);
      expect(w.access.claim(CAROL, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
      expect(w.settings.get("ownerNumber")).to.equal(CAROL);
    });

    it("a lockout saved before a reboot is in force after it", () => {
      const w = unclaimed();
      for (let i = 0; i < 5; i++) w.access.claim(ANNA, ["WRONG123", NEW_PIN]);
      w.reboot();
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("ownerNumber")).to.equal("");
    });

    it("the right code with a bad new PIN is told what a PIN is, and nothing changes", () => {
      const w = unclaimed();
      for (const pin of ["123", "123456789", "12a4"]) {
        expect(w.access.claim(ANNA, [SETUP_CODE, pin])).to.deep.equal(
          reply("Setup code accepted, but the new PIN must be 4 to 8 digits: CLAIM <setup code> <new PIN>."),
        );
      }
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("pinHash")).to.equal("");
    });

    it("the right code (any case) and a PIN make the sender the owner, with that PIN and no other number", () => {
      const w = unclaimed(SETUP_CODE, `${BOB},Bob,user,off`);
      w.access.claim(ANNA, ["nope", NEW_PIN]);
      expect(w.access.claim(ANNA, [SETUP_CODE.toLowerCase(), NEW_PIN])).to.deep.equal(
        reply("You are now the owner of this tracker. Keep your PIN safe: it is needed to add or remove numbers. Send HELP for the commands."),
      );
      expect(w.settings.get("ownerNumber")).to.equal(ANNA);
      expect(pinMatches(NEW_PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(w.settings.get("users")).to.equal("");
      expect(w.settings.get("claimLock")).to.equal("");
      expect(w.log.lines.at(-1)).to.equal("info auth: claimed by +4477***0123");
    });

    it("a claim starts the wrong-code count over", () => {
      const w = unclaimed();
      for (let i = 0; i < 4; i++) w.access.claim(ANNA, ["WRONG123", NEW_PIN]);
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
      w.access.claim(CAROL, ["WRONG123", NEW_PIN]);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +3361***5678 with a wrong setup code");
      expect(w.access.claim(CAROL, [SETUP_CODE, PIN]).reply).to.match(/^You are now the owner/);
    });

    it("a store that refuses the write: the claim failed, try again", () => {
      const w = unclaimed();
      w.store.failing = true;
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN])).to.deep.equal(reply("Claim failed: store refused the write: flash full. Please try again."));
      expect(w.settings.get("ownerNumber")).to.equal("");
    });
  });

  describe("the PIN check", () => {
    it("no PIN set: the command says so", () => {
      const w = world({ pin: false });
      expect(w.access.add(w.member(OWNER), [CAROL, PIN])).to.deep.equal(
        reply("ADD needs a PIN, and none is set. The installer sets one, or the owner claims the tracker with one."),
      );
      expect(w.settings.get("users")).to.not.include(CAROL);
    });

    it("a missing or malformed PIN is not a wrong try", () => {
      const w = world();
      const owner = w.member(OWNER);
      expect(w.access.add(owner, [])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL, "123"])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL, "12a45"])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL, "123456789"])).to.deep.equal(needsPin("ADD"));
      expect(w.settings.get("pinLock")).to.equal("");
      expect(w.access.add(owner, [CAROL, WRONG])).to.deep.equal(wrongPin(4));
    });

    it("wrong PINs count down, are logged with the masked number, and the count is saved", () => {
      const w = world();
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(4, ANNA_SAYS));
      expect(w.log.lines.at(-1)).to.equal("warn auth: wrong PIN from +4477***0123 (ADD)");
      expect(w.settings.get("pinLock")).to.equal("1,0,");
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(3, ANNA_SAYS));
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(2, ANNA_SAYS));
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(1, ANNA_SAYS));
      expect(w.settings.get("pinLock")).to.equal("4,0,");
    });

    it("the right PIN starts the count over", () => {
      const w = world();
      failPins(w, ANNA, 4);
      expect(w.access.add(w.member(ANNA), [CAROL, PIN]).reply).to.match(/was added as user/);
      expect(w.settings.get("pinLock")).to.equal("");
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(4, ANNA_SAYS));
    });

    it("the 5th wrong PIN locks PIN commands for 1 min and tells the owner once, naming who", () => {
      const w = world();
      failPins(w, ANNA, 4);
      const text = "Wrong PIN 5 times (last from Anna (+4477***0123)): PIN commands are locked for 1 min.";
      expect(failPins(w, ANNA, 1)).to.deep.equal(reply(text, [{ to: OWNER, text }]));
      expect(w.log.lines.slice(-2)).to.deep.equal([
        "warn auth: wrong PIN from +4477***0123 (ADD)",
        "warn auth: PIN commands locked for 1 min after wrong PINs",
      ]);
      expect(w.settings.get("pinLock")).to.equal("0,1,0");
      // refused, right or wrong, with no further notice
      expect(failPins(w, ANNA, 1)).to.deep.equal(locked("ADD", "1 min"));
      expect(w.access.add(w.member(ANNA), [CAROL, PIN])).to.deep.equal(locked("ADD", "1 min"));
      expect(w.access.del(w.member(OWNER), ["Bob", PIN])).to.deep.equal(locked("DEL", "1 min"));
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN])).to.deep.equal(locked("PIN", "1 min"));
      expect(w.settings.get("users")).to.not.include(CAROL);
      expect(w.settings.get("users")).to.include(BOB);
      w.clock.advance(MIN - 1);
      expect(w.access.add(w.member(ANNA), [CAROL, PIN])).to.deep.equal(locked("ADD", "1 min"));
      w.clock.advance(1);
      expect(w.access.add(w.member(ANNA), [CAROL, PIN]).reply).to.match(/was added as user/);
    });

    it("when the owner made the 5th wrong try, the owner gets the reply and no notice", () => {
      const w = world();
      failPins(w, ANNA, 4);
      const text = "Wrong PIN 5 times (last from the owner (+1408***0199)): PIN commands are locked for 1 min.";
      expect(w.access.pin(w.member(OWNER), [WRONG, NEW_PIN])).to.deep.equal(reply(text));
    });

    it("each later lockout is longer (5 min, then 60 min), and the owner is told of each once", () => {
      const w = world();
      failPins(w, ANNA, 5);
      w.clock.advance(MIN);
      expect(failPins(w, ANNA, 4)).to.deep.equal(wrongPin(1, ANNA_SAYS));
      const second = "Wrong PIN 5 times (last from Anna (+4477***0123)): PIN commands are locked for 5 min.";
      expect(failPins(w, ANNA, 1)).to.deep.equal(reply(second, [{ to: OWNER, text: second }]));
      w.clock.advance(4 * MIN + 1);
      expect(failPins(w, ANNA, 1)).to.deep.equal(locked("ADD", "1 min"));
      w.clock.advance(MIN);
      failPins(w, ANNA, 4);
      const third = "Wrong PIN 5 times (last from Anna (+4477***0123)): PIN commands are locked for 60 min.";
      expect(failPins(w, ANNA, 1)).to.deep.equal(reply(third, [{ to: OWNER, text: third }]));
      expect(failPins(w, ANNA, 1)).to.deep.equal(locked("ADD", "60 min"));
    });

    it("the remaining time is in minutes, rounded up, and in hours (rounded up) from 120 min", () => {
      const w = world({ settings: { pinLock: "0,4,0" } }); // a 4th lockout (24 h) in force at boot
      /** The refusal with `remainingMs` of the lockout left. */
      const at = (remainingMs: number): Outcome => {
        w.clock.advance(DAY - remainingMs - w.clock.nowMs);
        return w.access.add(w.member(OWNER), [CAROL, PIN]);
      };
      expect(at(DAY)).to.deep.equal(locked("ADD", "24 h"));
      expect(at(DAY - 60 * MIN)).to.deep.equal(locked("ADD", "23 h"));
      expect(at(DAY - 60 * MIN - 1)).to.deep.equal(locked("ADD", "23 h"));
      expect(at(121 * MIN + 1)).to.deep.equal(locked("ADD", "3 h"));
      expect(at(121 * MIN)).to.deep.equal(locked("ADD", "3 h"));
      expect(at(120 * MIN + 1)).to.deep.equal(locked("ADD", "3 h"));
      expect(at(120 * MIN)).to.deep.equal(locked("ADD", "2 h"));
      expect(at(119 * MIN + 1)).to.deep.equal(locked("ADD", "2 h"));
      expect(at(119 * MIN)).to.deep.equal(locked("ADD", "119 min"));
      expect(at(60 * MIN)).to.deep.equal(locked("ADD", "60 min"));
      expect(at(MIN + 1)).to.deep.equal(locked("ADD", "2 min"));
      expect(at(MIN)).to.deep.equal(locked("ADD", "1 min"));
      expect(at(1)).to.deep.equal(locked("ADD", "1 min"));
      expect(at(0).reply).to.match(/was added/);
      expect(w.settings.get("pinLock")).to.equal("");
    });

    it("a wrong-PIN count that cannot be saved is logged as an error, and still counts", () => {
      const w = world();
      w.store.failing = true;
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(4, ANNA_SAYS));
      expect(w.log.lines).to.include("error auth: the pinLock state could not be saved: store refused the write: flash full");
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(3, ANNA_SAYS));
    });
  });

  describe("ADD", () => {
    it("a user may not add numbers", () => {
      const w = world();
      expect(w.access.add(w.member(BOB), [CAROL, PIN])).to.deep.equal(notFor("ADD", "the owner and admins"));
      expect(w.settings.get("pinLock")).to.equal("");
      expect(w.access.add(w.member(BOB), [CAROL, WRONG])).to.deep.equal(notFor("ADD", "the owner and admins"));
      expect(w.settings.get("pinLock"), "a user's PIN is not even checked").to.equal("");
    });

    it("the owner adds a user: stored without alerts; every other number and the new one are told", () => {
      const w = world();
      const text = "Carol (+3361***5678) was added as user by the owner (+1408***0199). Send LIST to see every number.";
      expect(w.access.add(w.member(OWNER), [CAROL, "Carol", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
          { to: CAROL, text: `You can now use this GPS tracker (user), added by ${OWNER_M}. Send HELP for the commands.` },
        ]),
      );
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off;${CAROL},Carol,user,off`);
      expect(w.log.lines.at(-1)).to.equal("info auth: +3361***5678 added as user by owner");
    });

    it("the owner adds an admin: stored with alerts on", () => {
      const w = world();
      const text = "Carol (+3361***5678) was added as admin by the owner (+1408***0199). Send LIST to see every number.";
      expect(w.access.add(w.member(OWNER), [CAROL, "Carol", "admin", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
          { to: CAROL, text: `You can now use this GPS tracker (admin), added by ${OWNER_M}. Send HELP for the commands.` },
        ]),
      );
      expect(w.member(CAROL)).to.deep.equal({ number: CAROL, name: "Carol", role: "admin", alerts: true });
      expect(w.log.lines.at(-1)).to.equal("info auth: +3361***5678 added as admin by owner");
    });

    it("an admin adds a user; the owner is told", () => {
      const w = world();
      const text = "Carol (+3361***5678) was added as user by Anna (+4477***0123). Send LIST to see every number.";
      expect(w.access.add(w.member(ANNA), [CAROL, "Carol", "USER", PIN])).to.deep.equal(
        reply(text, [
          { to: OWNER, text },
          { to: BOB, text },
          { to: CAROL, text: "You can now use this GPS tracker (user), added by Anna (+4477***0123). Send HELP for the commands." },
        ]),
      );
      expect(w.member(CAROL)).to.deep.equal({ number: CAROL, name: "Carol", role: "user", alerts: false });
      expect(w.log.lines.at(-1)).to.equal("info auth: +3361***5678 added as user by admin");
    });

    it("an admin may not add an admin (after the PIN check)", () => {
      const w = world();
      expect(w.access.add(w.member(ANNA), [CAROL, "Carol", "admin", PIN])).to.deep.equal(reply("Only the owner can add an admin."));
      expect(w.access.add(w.member(ANNA), [CAROL, "Admin", PIN])).to.deep.equal(reply("Only the owner can add an admin."));
      expect(w.settings.get("users")).to.not.include(CAROL);
      expect(w.access.add(w.member(ANNA), [CAROL, "Carol", "admin", WRONG])).to.deep.equal(wrongPin(4, ANNA_SAYS));
    });

    it("role words in any case; without a role the number is a user", () => {
      const w = world({ users: [] });
      w.access.add(w.member(OWNER), [ANNA, "aDmIn", PIN]);
      w.access.add(w.member(OWNER), [BOB, PIN]);
      expect(w.numbers.others()).to.deep.equal([
        { number: ANNA, name: "User2", role: "admin", alerts: true },
        { number: BOB, name: "User3", role: "user", alerts: false },
      ]);
    });

    it("a number written in parts, or in national form, is joined and normalised", () => {
      const w = world({ users: [] });
      expect(w.access.add(w.member(OWNER), ["+44", "7700", "900123", "Anna", PIN]).reply).to.match(/^Anna \(\+4477\*\*\*0123\) was added/);
      expect(w.access.add(w.member(OWNER), ["(408)", "555-0123", PIN]).reply).to.match(/^User2 \(\+1408\*\*\*0123\) was added/);
      expect(w.numbers.others().map((m) => m.number)).to.deep.equal([ANNA, BOB]);
    });

    it("default names are User2, User3, ...: the first one free (in any case)", () => {
      const w = world({ users: [{ number: ANNA, name: "user2", role: "user", alerts: false }] });
      w.access.add(w.member(OWNER), [BOB, PIN]);
      expect(w.member(BOB).name).to.equal("User3");
      w.access.add(w.member(OWNER), [CAROL, "User4", PIN]);
      w.access.add(w.member(OWNER), [NEWCOMER, PIN]);
      expect(w.member(NEWCOMER).name).to.equal("User5");
      w.access.del(w.member(OWNER), ["User3", PIN]);
      w.access.add(w.member(OWNER), [BOB, PIN]);
      expect(w.member(BOB).name).to.equal("User3");
    });

    it("a name that is taken (in any case) is refused", () => {
      const w = world();
      expect(w.access.add(w.member(OWNER), [CAROL, "anna", PIN])).to.deep.equal(reply("The name anna is taken. Choose another one."));
      expect(w.access.add(w.member(OWNER), [CAROL, "BOB", PIN])).to.deep.equal(reply("The name BOB is taken. Choose another one."));
      expect(w.settings.get("users")).to.not.include(CAROL);
    });

    it("a word that starts with a letter is a name, and it must be a valid one", () => {
      const w = world();
      const owner = w.member(OWNER);
      expect(w.access.add(owner, [CAROL, "Abcdefghijklmnop", PIN])).to.deep.equal(
        reply(`'Abcdefghijkl' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.access.add(owner, [CAROL, "Owner", PIN])).to.deep.equal(
        reply(`'Owner' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.access.add(owner, [CAROL, "Admin", "admin", PIN])).to.deep.equal(
        reply(`'Admin' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.access.add(owner, [CAROL, "Al!ce", PIN])).to.deep.equal(
        reply(`'Al!ce' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.settings.get("users")).to.not.include(CAROL);
      expect(w.access.add(owner, [CAROL, "Abcdefghijkl", PIN]).reply).to.match(/^Abcdefghijkl \(\+3361\*\*\*5678\) was added/);
    });

    it("a word not starting with a letter is part of the number; a lone word is the number", () => {
      const w = world();
      const owner = w.member(OWNER);
      expect(w.access.add(owner, [CAROL, "1a", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["Owner", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["Carol", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["admin", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["12", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off`);
    });

    it("a registered number (the owner's too) is not added twice", () => {
      const w = world();
      expect(w.access.add(w.member(OWNER), [BOB, "Robert", PIN])).to.deep.equal(
        reply("+1408***0123 is already registered. Send LIST to see the numbers."),
      );
      expect(w.access.add(w.member(ANNA), ["4085550199", PIN])).to.deep.equal(
        reply("+1408***0199 is already registered. Send LIST to see the numbers."),
      );
    });

    it("the list holds the owner and 9 more", () => {
      const users: Member[] = [];
      for (let i = 0; i < 8; i++) users.push({ number: `+1408555011${i}`, name: `U${i}`, role: "user", alerts: false });
      const w = world({ users });
      expect(w.access.add(w.member(OWNER), [CAROL, PIN]).reply).to.match(/^User2 \(\+3361\*\*\*5678\) was added as user/);
      expect(w.numbers.others()).to.have.length(9);
      expect(w.access.add(w.member(OWNER), [ANNA, PIN])).to.deep.equal(reply("The list is full (owner and 9 more). DEL one first."));
      expect(w.numbers.others()).to.have.length(9);
    });

    it("the PIN alone is no number", () => {
      const w = world();
      expect(w.access.add(w.member(OWNER), [PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
    });

    it("the caller's words are left as they were", () => {
      const w = world();
      const words = [CAROL, "Carol", "admin", PIN];
      w.access.add(w.member(OWNER), words);
      expect(words).to.deep.equal([CAROL, "Carol", "admin", PIN]);
      const del = ["Carol", PIN];
      w.access.del(w.member(OWNER), del);
      expect(del).to.deep.equal(["Carol", PIN]);
      const owner = [NEWCOMER, PIN];
      w.access.owner(w.member(OWNER), owner);
      expect(owner).to.deep.equal([NEWCOMER, PIN]);
    });

    it("a store that refuses the write: ADD failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.add(w.member(OWNER), [CAROL, PIN])).to.deep.equal(reply("ADD failed: store refused the write: flash full."));
      expect(w.numbers.others()).to.have.length(2);
    });
  });

  describe("ADD: a role change", () => {
    it("the owner's ADD of a registered number with the other role word changes its role, told to every other number", () => {
      const w = world();
      const text = "Bob (+1408***0123) is now an admin, changed by the owner (+1408***0199).";
      expect(w.access.add(w.member(OWNER), [BOB, "admin", PIN])).to.deep.equal(reply(text, [{ to: ANNA, text }, { to: BOB, text }]));
      expect(w.member(BOB).role).to.equal("admin");
      expect(w.log.lines.at(-1)).to.equal("info auth: +1408***0123 is now admin");
      const back = "Bob (+1408***0123) is now a user, changed by the owner (+1408***0199).";
      expect(w.access.add(w.member(OWNER), [BOB, "Bob", "user", PIN])).to.deep.equal(reply(back, [{ to: ANNA, text: back }, { to: BOB, text: back }]));
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off`);
    });

    it("the same role, no role word, the owner's number, or an admin asking: no change", () => {
      const w = world();
      const already = (n: string) => reply(`${n} is already registered. Send LIST to see the numbers.`);
      expect(w.access.add(w.member(OWNER), [BOB, "user", PIN])).to.deep.equal(already("+1408***0123"));
      expect(w.access.add(w.member(OWNER), [BOB, PIN])).to.deep.equal(already("+1408***0123"));
      expect(w.access.add(w.member(OWNER), [OWNER, "admin", PIN])).to.deep.equal(already("+1408***0199"));
      expect(w.access.add(w.member(ANNA), [BOB, "admin", PIN])).to.deep.equal(reply("Only the owner can add an admin."));
      expect(w.access.add(w.member(OWNER), [BOB, "admin", PIN]).reply).to.match(/is now an admin/);
      expect(w.access.add(w.member(ANNA), [BOB, "user", PIN])).to.deep.equal(reply("Only the owner can change a role."));
      expect(w.member(BOB).role).to.equal("admin");
    });

    it("a store that refuses the write: the role stays", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.add(w.member(OWNER), [BOB, "admin", PIN])).to.deep.equal(reply("ADD failed: store refused the write: flash full."));
      expect(w.member(BOB).role).to.equal("user");
    });
  });

  describe("DEL", () => {
    it("a user may not remove numbers", () => {
      const w = world();
      expect(w.access.del(w.member(BOB), ["Anna", PIN])).to.deep.equal(notFor("DEL", "the owner and admins"));
      expect(w.numbers.others()).to.have.length(2);
    });

    it("the owner removes a number by its number; everyone else, the removed number included, is told", () => {
      const w = world();
      const text = "Bob (+1408***0123) was removed by the owner (+1408***0199).";
      expect(w.access.del(w.member(OWNER), ["408", "555", "0123", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
        ]),
      );
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on`);
      expect(w.log.lines.at(-1)).to.equal("info auth: +1408***0123 removed by owner");
    });

    it("by name in any case; the owner may remove an admin", () => {
      const w = world();
      const text = "Anna (+4477***0123) was removed by the owner (+1408***0199).";
      expect(w.access.del(w.member(OWNER), ["aNNA", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
        ]),
      );
      expect(w.settings.get("users")).to.equal(`${BOB},Bob,user,off`);
    });

    it("an admin removes a user; the owner is told", () => {
      const w = world();
      const text = "Bob (+1408***0123) was removed by Anna (+4477***0123).";
      expect(w.access.del(w.member(ANNA), ["bob", PIN])).to.deep.equal(
        reply(text, [
          { to: OWNER, text },
          { to: BOB, text },
        ]),
      );
      expect(w.log.lines.at(-1)).to.equal("info auth: +1408***0123 removed by admin");
    });

    it("an admin may not remove an admin, itself included", () => {
      const w = world({
        users: [
          { number: ANNA, name: "Anna", role: "admin", alerts: true },
          { number: CAROL, name: "Carol", role: "admin", alerts: false },
        ],
      });
      expect(w.access.del(w.member(ANNA), ["Carol", PIN])).to.deep.equal(reply("Only the owner can remove an admin."));
      expect(w.access.del(w.member(ANNA), [ANNA, PIN])).to.deep.equal(reply("Only the owner can remove an admin."));
      expect(w.numbers.others()).to.have.length(2);
    });

    it("the owner cannot be removed, by number; 'owner' is no name", () => {
      const w = world();
      expect(w.access.del(w.member(OWNER), [OWNER, PIN])).to.deep.equal(
        reply("The owner cannot be removed. To hand the tracker over, use OWNER <number> <PIN>."),
      );
      expect(w.access.del(w.member(ANNA), ["4085550199", PIN])).to.deep.equal(
        reply("The owner cannot be removed. To hand the tracker over, use OWNER <number> <PIN>."),
      );
      const none = reply("No such number or name. Send LIST to see them, then DEL <number or name> <PIN>.");
      expect(w.access.del(w.member(OWNER), ["owner", PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), ["Owner", PIN])).to.deep.equal(none);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("an unknown number or name, or none at all", () => {
      const w = world();
      const none = reply("No such number or name. Send LIST to see them, then DEL <number or name> <PIN>.");
      expect(w.access.del(w.member(OWNER), [CAROL, PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), ["Carol", PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), ["Ann", PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), [PIN])).to.deep.equal(none);
      expect(w.numbers.others()).to.have.length(2);
    });

    it("needs the right PIN", () => {
      const w = world();
      expect(w.access.del(w.member(OWNER), ["Bob"])).to.deep.equal(needsPin("DEL"));
      expect(w.access.del(w.member(OWNER), ["Bob", WRONG])).to.deep.equal(wrongPin(4));
      expect(w.log.lines.at(-1)).to.equal("warn auth: wrong PIN from +1408***0199 (DEL)");
      expect(w.numbers.others()).to.have.length(2);
    });

    it("a store that refuses the write: DEL failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.del(w.member(OWNER), ["Bob", PIN])).to.deep.equal(reply("DEL failed: store refused the write: flash full."));
      expect(w.numbers.others()).to.have.length(2);
    });
  });

  describe("LIST", () => {
    it("every number masked, with its name, admin marker and alerts", () => {
      const w = world();
      expect(w.access.list()).to.deep.equal(reply("3 numbers: Owner +1408***0199 alerts; Anna +4477***0123 admin alerts; Bob +1408***0123."));
    });

    it("one number; the owner's alerts off", () => {
      const w = world({ users: [], settings: { ownerAlerts: "off" } });
      expect(w.access.list()).to.deep.equal(reply("1 number: Owner +1408***0199."));
    });

    it("an admin without alerts, a user with", () => {
      const w = world({
        users: [
          { number: ANNA, name: "Anna", role: "admin", alerts: false },
          { number: BOB, name: "Bob", role: "user", alerts: true },
        ],
      });
      expect(w.access.list().reply).to.equal("3 numbers: Owner +1408***0199 alerts; Anna +4477***0123 admin; Bob +1408***0123 alerts.");
    });
  });

  describe("PIN", () => {
    it("is for the owner only", () => {
      const w = world();
      expect(w.access.pin(w.member(ANNA), [PIN, NEW_PIN])).to.deep.equal(notFor("PIN", "the owner"));
      expect(w.access.pin(w.member(BOB), [PIN, NEW_PIN])).to.deep.equal(notFor("PIN", "the owner"));
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });

    it("needs exactly the old and the new PIN", () => {
      const w = world();
      const usage = reply("Send PIN <old PIN> <new PIN> (4 to 8 digits).");
      expect(w.access.pin(w.member(OWNER), [])).to.deep.equal(usage);
      expect(w.access.pin(w.member(OWNER), [PIN])).to.deep.equal(usage);
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN, NEW_PIN])).to.deep.equal(usage);
      expect(w.settings.get("pinLock")).to.equal("");
    });

    it("a wrong old PIN is counted", () => {
      const w = world();
      expect(w.access.pin(w.member(OWNER), [WRONG, NEW_PIN])).to.deep.equal(wrongPin(4));
      expect(w.log.lines.at(-1)).to.equal("warn auth: wrong PIN from +1408***0199 (PIN)");
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });

    it("a bad new PIN leaves the PIN unchanged", () => {
      const w = world();
      expect(w.access.pin(w.member(OWNER), [PIN, "12x4"])).to.deep.equal(reply("The new PIN must be 4 to 8 digits. The PIN is unchanged."));
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });

    it("changes the PIN: the old one stops working", () => {
      const w = world();
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN])).to.deep.equal(reply("PIN changed."));
      expect(w.log.lines.at(-1)).to.equal("info auth: PIN changed by the owner");
      expect(pinMatches(NEW_PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(w.access.add(w.member(OWNER), [CAROL, PIN])).to.deep.equal(wrongPin(4));
      expect(w.access.add(w.member(OWNER), [CAROL, NEW_PIN]).reply).to.match(/was added/);
    });

    it("a store that refuses the write: unchanged", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN])).to.deep.equal(reply("The PIN is unchanged: store refused the write: flash full."));
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });
  });

  describe("OWNER and ACCEPT", () => {
    const offerText = (masked: string) =>
      `The owner offered this tracker to ${masked}. If that number accepts within 10 min, it becomes the owner and every other number is removed.`;
    const removedText = "This tracker has a new owner: your number was removed from it.";

    /** The owner offers the tracker to `to`; the code. */
    function offer(w: World, to = NEWCOMER): string {
      const outcome = w.access.owner(w.member(OWNER), [to, PIN]);
      expect(outcome.reply).to.match(/^The owner offered this tracker/);
      return w.random.lastCode;
    }

    it("is for the owner only", () => {
      const w = world();
      expect(w.access.owner(w.member(ANNA), [NEWCOMER, PIN])).to.deep.equal(notFor("OWNER", "the owner"));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
    });

    it("needs the PIN, a number, and not the owner's own", () => {
      const w = world();
      expect(w.access.owner(w.member(OWNER), [NEWCOMER])).to.deep.equal(needsPin("OWNER"));
      expect(w.access.owner(w.member(OWNER), [NEWCOMER, WRONG])).to.deep.equal(wrongPin(4));
      expect(w.access.owner(w.member(OWNER), [PIN])).to.deep.equal(reply("Send OWNER <new owner's number> <PIN>."));
      expect(w.access.owner(w.member(OWNER), ["Carol", PIN])).to.deep.equal(reply("Send OWNER <new owner's number> <PIN>."));
      expect(w.access.owner(w.member(OWNER), ["408", "5550199", PIN])).to.deep.equal(reply("That is already the owner's number."));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.awaitsAcceptFrom(OWNER)).to.equal(false);
    });

    it("offers the tracker: every other number is told, the new number gets a 6-letter code", () => {
      const w = world();
      const outcome = w.access.owner(w.member(OWNER), ["+49", "151", "12345678", PIN]);
      const code = w.random.lastCode;
      expect(code).to.match(/^[ACDEFGHJKLMNPQRTUVWXY]{6}$/);
      expect(w.random.draws.at(-1)).to.have.length(6);
      const text = offerText("+4915***5678");
      expect(outcome).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
          { to: NEWCOMER, text: `You are offered ownership of a GPS tracker. To accept, reply ACCEPT ${code} <a new PIN of 4-8 digits> within 10 minutes.` },
        ]),
      );
      expect(w.log.lines.at(-1)).to.equal("info auth: ownership offered to +4915***5678");
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("each offer has a fresh code; a new offer replaces the last", () => {
      const w = world();
      const first = offer(w, NEWCOMER);
      const second = offer(w, CAROL);
      expect(second).to.not.equal(first);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.awaitsAcceptFrom(CAROL)).to.equal(true);
    });

    it("the offer waits for that number only, for 10 min", () => {
      const w = world();
      expect(TRANSFER_WINDOW_MS).to.equal(10 * MIN);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      w.clock.advance(5_000);
      offer(w);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      expect(w.access.awaitsAcceptFrom(CAROL)).to.equal(false);
      expect(w.access.awaitsAcceptFrom(OWNER)).to.equal(false);
      w.clock.advance(10 * MIN - 1);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      w.clock.advance(1);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
    });

    it("ACCEPT from another number, or after 10 min, gets no answer", () => {
      const w = world();
      expect(w.access.accept(NEWCOMER, ["ACDEFG", NEW_PIN])).to.deep.equal(NO_ANSWER);
      const code = offer(w);
      expect(w.access.accept(CAROL, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
      w.clock.advance(10 * MIN);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("wrong codes: told twice, the third cancels the offer", () => {
      const w = world();
      const code = offer(w);
      expect(w.access.accept(NEWCOMER, ["AAAAAA", NEW_PIN])).to.deep.equal(reply("Wrong code. Send ACCEPT <code> <new PIN>."));
      expect(w.access.accept(NEWCOMER, [code])).to.deep.equal(reply("Wrong code. Send ACCEPT <code> <new PIN>."));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN, "x"])).to.deep.equal(reply("Wrong code again: the offer is cancelled."));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("a bad new PIN is told, and is no wrong code", () => {
      const w = world();
      const code = offer(w);
      for (let i = 0; i < 3; i++) {
        expect(w.access.accept(NEWCOMER, [code, "12"])).to.deep.equal(reply("Choose a PIN of 4 to 8 digits: ACCEPT <code> <new PIN>."));
      }
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("the right code (any case) and a new PIN: the sender owns the tracker, every other number is removed and told", () => {
      const w = world({ settings: { ownerAlerts: "off", secure: "on" } });
      const code = offer(w);
      failPins(w, ANNA, 4); // an admin's wrong PINs meanwhile
      const outcome = w.access.accept(NEWCOMER, [code.toLowerCase(), NEW_PIN]);
      expect(outcome).to.deep.equal(
        reply("You are now the owner of this tracker; every other number was removed. Keep your PIN safe. Send HELP for the commands.", [
          { to: OWNER, text: removedText },
          { to: ANNA, text: removedText },
          { to: BOB, text: removedText },
        ]),
      );
      expect(w.settings.get("ownerNumber")).to.equal(NEWCOMER);
      expect(w.settings.get("users")).to.equal("");
      expect(pinMatches(NEW_PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(false);
      expect(w.settings.get("ownerAlerts")).to.equal("on");
      expect(w.settings.get("secure")).to.equal("off");
      expect(w.settings.get("pinLock")).to.equal("");
      expect(w.forgot.count).to.equal(1);
      expect(w.log.lines.at(-1)).to.equal("info auth: ownership transferred to +4915***5678");
      for (const gone of [OWNER, ANNA, BOB]) expect(w.store.flash, `${gone} left in flash`).to.not.include(gone);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      // the wrong-PIN count started over with the new owner
      expect(w.access.pin(w.member(NEWCOMER), [WRONG, PIN])).to.deep.equal(wrongPin(4));
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
    });

    it("no forgetting while the offer waits, or when it fails", () => {
      const w = world();
      const code = offer(w);
      w.access.accept(NEWCOMER, ["AAAAAA", NEW_PIN]);
      w.access.accept(NEWCOMER, [code, "1"]);
      expect(w.forgot.count).to.equal(0);
    });

    // a user or admin being handed the tracker is not told "your number was removed"
    it("a registered number that accepts is not told its number was removed", () => {
      const w = world();
      const code = offer(w, BOB);
      const outcome = w.access.accept(BOB, [code, NEW_PIN]);
      expect(w.settings.get("ownerNumber")).to.equal(BOB);
      expect(outcome.notices.map((n) => n.to)).to.deep.equal([OWNER, ANNA]);
    });

    it("a store that refuses the write: the transfer failed and the offer still waits", () => {
      const w = world();
      const code = offer(w);
      w.store.failing = true;
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(reply("The transfer failed: store refused the write: flash full. Please try again."));
      expect(w.forgot.count).to.equal(0);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      w.store.failing = false;
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN]).reply).to.match(/^You are now the owner/);
    });

    it("cancelPending forgets the offer", () => {
      const w = world();
      const code = offer(w);
      w.access.cancelPending();
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
    });
  });

  describe("RESET", () => {
    const askedText = "The owner asked for a factory reset of this tracker (every number would be removed).";
    const doneText = "This tracker was reset by its owner: every number, the PIN and the settings are erased.";
    const wrongCode = reply("That reset code is wrong or expired: nothing was erased. Start again with RESET <PIN>.");

    function ask(w: World): string {
      const outcome = w.access.reset(w.member(OWNER), [PIN]);
      const code = w.random.lastCode;
      expect(outcome).to.deep.equal(
        reply(`To erase every number, the PIN and the settings, send RESET ${code} within 2 minutes. Otherwise nothing happens.`, [
          { to: ANNA, text: askedText },
          { to: BOB, text: askedText },
        ]),
      );
      return code;
    }

    function claimedWithSettings(): World {
      return world({ settings: { setupCode: SETUP_CODE, secure: "on", smsPerDay: "120", homeCountryCode: "1", ownerAlerts: "off" } });
    }

    it("is for the owner only", () => {
      const w = world();
      expect(w.access.reset(w.member(ANNA), [PIN])).to.deep.equal(notFor("RESET", "the owner"));
      expect(w.access.reset(w.member(BOB), ["ACDEFG"])).to.deep.equal(notFor("RESET", "the owner"));
    });

    it("step 1 needs the PIN alone; it is logged and the others are told", () => {
      const w = world();
      expect(w.access.reset(w.member(OWNER), [])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), ["ACDEFGH"])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), ["ACDEFG", PIN])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [PIN, PIN])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [WRONG])).to.deep.equal(wrongPin(4));
      ask(w);
      expect(w.log.lines.at(-1)).to.equal("warn auth: factory reset requested by the owner");
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
      expect(RESET_WINDOW_MS).to.equal(2 * MIN);
    });

    it("step 2: the code (any case) within 2 min erases the user data, keeps the unit's, and tells the others", () => {
      const w = claimedWithSettings();
      const code = ask(w);
      w.clock.advance(2 * MIN - 1);
      expect(w.access.reset(w.member(OWNER), [code.toLowerCase()])).to.deep.equal(
        reply(doneText, [
          { to: ANNA, text: doneText },
          { to: BOB, text: doneText },
        ]),
      );
      expect(w.log.lines.at(-1)).to.equal("warn auth: factory reset by the owner: every number, the PIN and the settings erased");
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("pinHash")).to.equal("");
      expect(w.settings.get("users")).to.equal("");
      expect(w.settings.get("secure")).to.equal("off");
      expect(w.settings.get("ownerAlerts")).to.equal("on");
      expect(w.settings.get("smsPerDay")).to.equal("50");
      expect(w.settings.get("setupCode")).to.equal(SETUP_CODE);
      expect(w.numbers.unclaimed).to.equal(true);
      expect(w.forgot.count).to.equal(1);
      for (const gone of [OWNER, ANNA, BOB]) expect(w.store.flash, `${gone} left in flash`).to.not.include(gone);
      // claimable again with the label's setup code
      expect(w.access.claim(CAROL, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
    });

    it("a wrong code is refused and uses up the right one", () => {
      const w = world();
      const code = ask(w);
      const other = code === "AAAAAA" ? "CCCCCC" : "AAAAAA";
      expect(w.access.reset(w.member(OWNER), [other])).to.deep.equal(wrongCode);
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
      expect(w.forgot.count).to.equal(0);
    });

    it("a code with no reset asked, or expired at 2 min, is refused", () => {
      const w = world();
      expect(w.access.reset(w.member(OWNER), ["ACDEFG"])).to.deep.equal(wrongCode);
      const code = ask(w);
      w.clock.advance(2 * MIN);
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("a word that is not 6 letters is no code, and does not use the code up", () => {
      const w = world();
      const code = ask(w);
      expect(w.access.reset(w.member(OWNER), [`9${code}`])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [`${code}9`])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [code.slice(1)])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [code]).reply).to.equal(doneText);
    });

    it("a new request replaces the code", () => {
      const w = world();
      const first = ask(w);
      const second = ask(w);
      expect(second).to.not.equal(first);
      expect(w.access.reset(w.member(OWNER), [first])).to.deep.equal(wrongCode);
      const third = ask(w);
      expect(w.access.reset(w.member(OWNER), [third]).reply).to.equal(doneText);
    });

    it("a reset cancels a waiting ownership offer and starts the wrong-PIN count over", () => {
      const w = world({ settings: { setupCode: SETUP_CODE } });
      w.access.owner(w.member(OWNER), [NEWCOMER, PIN]);
      const code = ask(w);
      failPins(w, ANNA, 4);
      expect(w.access.reset(w.member(OWNER), [code]).reply).to.equal(doneText);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      w.access.claim(CAROL, [SETUP_CODE, NEW_PIN]);
      expect(w.access.pin(w.member(CAROL), [WRONG, PIN])).to.deep.equal(wrongPin(4));
    });

    it("cancelPending forgets the code", () => {
      const w = world();
      const code = ask(w);
      w.access.cancelPending();
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
    });

    // the erase is done once its first write is: a refused scrub of the older slot does not undo it
    it("a refused second write during the erase: the reply says what happened", () => {
      const w = world();
      const code = ask(w);
      w.store.writesLeft = 1;
      const outcome = w.access.reset(w.member(OWNER), [code]);
      const erased = w.settings.get("ownerNumber") === "";
      expect(outcome.reply === doneText, `${outcome.reply} (erased: ${erased})`).to.equal(erased);
      expect(w.forgot.count).to.equal(erased ? 1 : 0);
    });

    it("a store that refuses the write: nothing erased, the code used up", () => {
      const w = world();
      const code = ask(w);
      w.store.failing = true;
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(reply("The reset failed: store refused the write: flash full. Nothing was erased."));
      expect(w.forgot.count).to.equal(0);
      w.store.failing = false;
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });
  });

  describe("SECURE", () => {
    it("is for the owner only", () => {
      const w = world();
      expect(w.access.secure(w.member(ANNA), ["ON", PIN])).to.deep.equal(notFor("SECURE", "the owner"));
      expect(w.settings.get("secure")).to.equal("off");
    });

    it("needs ON or OFF and the PIN", () => {
      const w = world();
      const usage = reply("Send SECURE ON <PIN> or SECURE OFF <PIN>.");
      expect(w.access.secure(w.member(OWNER), [])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["ON"])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), [PIN])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["MAYBE", PIN])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["ON", PIN, PIN])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["ON", "12"])).to.deep.equal(needsPin("SECURE"));
      expect(w.access.secure(w.member(OWNER), ["ON", WRONG])).to.deep.equal(wrongPin(4));
      expect(w.settings.get("secure")).to.equal("off");
    });

    it("ON and OFF (any case) are stored", () => {
      const w = world();
      expect(w.access.secure(w.member(OWNER), ["on", PIN])).to.deep.equal(
        reply("Secure mode on: every command now needs the PIN as its last word (e.g. WHERE 1234)."),
      );
      expect(w.settings.get("secure")).to.equal("on");
      expect(w.access.secure(w.member(OWNER), ["Off", PIN])).to.deep.equal(reply("Secure mode off: only commands that change access need the PIN."));
      expect(w.settings.get("secure")).to.equal("off");
    });

    it("a store that refuses the write: SECURE failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.secure(w.member(OWNER), ["ON", PIN])).to.deep.equal(reply("SECURE failed: store refused the write: flash full."));
      expect(w.settings.get("secure")).to.equal("off");
    });
  });

  describe("ALERTS", () => {
    it("without ON or OFF says the sender's own setting", () => {
      const w = world();
      expect(w.access.alerts(w.member(OWNER), [])).to.deep.equal(reply("Alerts are on for your number. Send ALERTS ON or ALERTS OFF."));
      expect(w.access.alerts(w.member(BOB), ["please"])).to.deep.equal(reply("Alerts are off for your number. Send ALERTS ON or ALERTS OFF."));
    });

    it("the owner's is stored as ownerAlerts", () => {
      const w = world();
      expect(w.access.alerts(w.member(OWNER), ["off"])).to.deep.equal(reply("Alerts off: you will not receive alerts (commands still work)."));
      expect(w.settings.get("ownerAlerts")).to.equal("off");
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off`);
      expect(w.access.alerts(w.member(OWNER), ["ON"])).to.deep.equal(reply("Alerts on: you will receive this tracker's alerts."));
      expect(w.settings.get("ownerAlerts")).to.equal("on");
    });

    it("a user's and an admin's are stored in the list, the others unchanged", () => {
      const w = world();
      expect(w.access.alerts(w.member(BOB), ["On"])).to.deep.equal(reply("Alerts on: you will receive this tracker's alerts."));
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,on`);
      expect(w.access.alerts(w.member(ANNA), ["OFF"]).reply).to.equal("Alerts off: you will not receive alerts (commands still work).");
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,off;${BOB},Bob,user,on`);
      expect(w.settings.get("ownerAlerts")).to.equal("on");
      expect(w.access.alerts(w.member(BOB), [])).to.deep.equal(reply("Alerts are on for your number. Send ALERTS ON or ALERTS OFF."));
    });

    it("a store that refuses the write: ALERTS failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.alerts(w.member(BOB), ["ON"])).to.deep.equal(reply("ALERTS failed: store refused the write: flash full."));
      expect(w.access.alerts(w.member(OWNER), ["OFF"])).to.deep.equal(reply("ALERTS failed: store refused the write: flash full."));
      expect(w.settings.get("ownerAlerts")).to.equal("on");
    });
  });

  it("the PIN and new PINs never appear in a reply, a notice, a log line or the store", () => {
    const w = world({ settings: { setupCode: SETUP_CODE } });
    const outcomes: Outcome[] = [];
    const owner = () => w.member(OWNER);
    outcomes.push(w.access.add(owner(), [CAROL, "Carol", PIN]));
    outcomes.push(w.access.add(w.member(ANNA), [NEWCOMER, WRONG]));
    outcomes.push(w.access.del(owner(), ["Carol", PIN]));
    outcomes.push(w.access.secure(owner(), ["ON", PIN]));
    outcomes.push(w.access.pin(owner(), [PIN, NEW_PIN]));
    outcomes.push(w.access.pin(owner(), [NEW_PIN, PIN]));
    outcomes.push(w.access.list());
    outcomes.push(w.access.owner(owner(), [NEWCOMER, PIN]));
    for (let i = 0; i < 5; i++) outcomes.push(w.access.add(w.member(ANNA), [CAROL, PIN.split("").reverse().join("")]));
    w.clock.advance(MIN);
    const code = w.random.lastCode;
    outcomes.push(w.access.accept(NEWCOMER, [code, NEW_PIN]));
    outcomes.push(w.access.reset(w.member(NEWCOMER), [NEW_PIN]));
    outcomes.push(w.access.reset(w.member(NEWCOMER), [w.random.lastCode]));
    outcomes.push(w.access.claim(ANNA, [SETUP_CODE, "5551234"]));
    const texts = [
      ...outcomes.flatMap((o) => [o.reply ?? "", ...o.notices.map((n) => n.text)]),
      ...w.log.lines,
      ...[...w.store.values.values()].map(String),
    ];
    expect(outcomes.at(-1)!.reply).to.match(/^You are now the owner/);
    expect(texts.join("\n")).to.include("ACCEPT");
    for (const secret of [PIN, NEW_PIN, "5551234", "51937"]) {
      for (const text of texts) expect(text, secret).to.not.include(secret);
    }
  });
});

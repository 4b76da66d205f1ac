/** The world the access-command tests share: settings, numbers, a fake clock, a predictable random source and outcome helpers. */
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

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const PIN = "73915";
export const NEW_PIN = "240681";
export const WRONG = "11112";
export const SETUP_CODE = "K7PQ2M9X";

export const OWNER = "+14085550199"; // +1408***0199
export const ANNA = "+447700900123"; // +4477***0123
export const BOB = "+14085550123"; // +1408***0123
export const CAROL = "+33612345678"; // +3361***5678
export const NEWCOMER = "+4915112345678"; // +4915***5678

export const OWNER_M = "the owner (+1408***0199)";
export const LETTERS = "ACDEFGHJKLMNPQRTUVWXY";

/** A key-value store whose writes can be made to fail (flash full). */
export class FlakyStore extends MemoryStore {
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
export class RecordingRandom implements RandomSource {
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

export interface World {
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
export function world(
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

export function reply(text: string | undefined, notices: Outcome["notices"] = []): Outcome {
  return { reply: text, notices };
}

export const NO_ANSWER = reply(undefined);

/** The reply to a wrong PIN with `left` tries left; from another number than the owner's (`from`: "Anna (+4477***0123)"), the owner's notice too. */
export function wrongPin(left: number, from?: string, command = "ADD"): Outcome {
  const notices = from === undefined ? [] : [{ to: OWNER, text: `Wrong PIN from ${from} for ${command}.` }];
  return reply(`Wrong PIN. ${left} more wrong PIN${left === 1 ? "" : "s"} lock PIN commands.`, notices);
}

export const ANNA_SAYS = "Anna (+4477***0123)";

export function needsPin(command: string): Outcome {
  return reply(`${command} needs the PIN (4 to 8 digits) as its last word. Send HELP for examples.`);
}

export function locked(command: string, left: string): Outcome {
  return reply(`${command} refused: PIN commands are locked for ${left} more after wrong PINs.`);
}

export function notFor(command: string, who: string): Outcome {
  return reply(`${command} is for ${who}. Send HELP for the commands you can use.`);
}

/** `count` wrong PINs from `number` with ADD (or PIN for the owner); the last outcome. */
export function failPins(w: World, number: string, count: number): Outcome {
  let outcome: Outcome | undefined;
  for (let i = 0; i < count; i++) outcome = w.access.add(w.member(number), [CAROL, WRONG]);
  return outcome!;
}

export const ADD_USAGE = "Send ADD <number> (name) (admin) <PIN>, e.g. ADD +447700900123 Anna 1234.";


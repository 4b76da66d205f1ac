/**
 * The commands that change who may use the tracker, and the PIN that guards them: CLAIM, ADD, DEL,
 * LIST, PIN, OWNER / ACCEPT, RESET (two steps), SECURE, ALERTS. The PIN is always the last word.
 *
 * Every change of the list is told to every registered number (and to the number removed), so
 * nobody can be added covertly. A wrong PIN counts towards a growing lockout (auth/lockout.ts) that
 * survives reboots; the owner is told once per lockout. Wrong setup codes get no answer at all and
 * have their own lockout. The PIN is never echoed, stored in clear or logged.
 *
 * Each command returns an Outcome: the reply to the sender (or none) and the notices to others; the
 * caller sends them within its limits. Times are monotonic ms.
 */
import type { Clock, Logger, RandomSource } from "../platform/ports";
import type { Settings } from "../store/settings";
import type { RegisteredNumbers } from "../auth/registered-numbers";
import { maskNumber } from "../auth/phone-number";
import { hashPin, isPin, pinMatches } from "../auth/pin";
import { Lockout } from "../auth/lockout";
import { encodeMembers, isValidName, MAX_OTHER_NUMBERS, type Member } from "../auth/user-list";

/** A message to send: to whom (E.164) and what. */
export interface Notice {
  readonly to: string;
  readonly text: string;
}

/** What a command did: the reply to its sender (undefined: no answer at all) and notices to others. */
export interface Outcome {
  readonly reply: string | undefined;
  readonly notices: readonly Notice[];
  /** WHERE with no live fix: the reply waits for one (the tracker answers within the WHERE wait). */
  readonly waitForFix?: true;
}

/** How long the new owner has to ACCEPT a transfer (ms). */
export const TRANSFER_WINDOW_MS = 10 * 60_000;
/** How long a RESET code is valid (ms). */
export const RESET_WINDOW_MS = 2 * 60_000;
/** Wrong ACCEPT codes that cancel a transfer. */
const TRANSFER_TRIES = 3;
/** Letters of one-time codes: no I, O, S, Z, B (read as 1, 0, 5, 2, 8). */
const CODE_LETTERS = "ACDEFGHJKLMNPQRTUVWXY";
/** Letters in a one-time code (21^6 ≈ 86 million codes). */
const CODE_LENGTH = 6;

/** A pending ownership transfer. */
interface Transfer {
  readonly to: string;
  readonly code: string;
  readonly untilMs: number;
  tries: number;
}

/** What the access commands need from the tracker. */
export interface AccessContext {
  readonly settings: Settings;
  readonly numbers: RegisteredNumbers;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
  /** Forget everything held in RAM about positions and requests (RESET, a new owner). */
  readonly forgetRam: () => void;
}

/** The reply when the sender's role may not use `command`. */
function notForRole(command: string, who: string): Outcome {
  return answer(`${command} is for ${who}. Send HELP for the commands you can use.`);
}

function answer(reply: string | undefined, notices: readonly Notice[] = []): Outcome {
  return { reply, notices };
}

/** "Anna (+4477***0123)" or "the owner (+1408***0199)". */
function describe(member: Member): string {
  return member.role === "owner" ? `the owner (${maskNumber(member.number)})` : `${member.name} (${maskNumber(member.number)})`;
}

/** `text` to each of `members`. */
function tell(members: readonly Member[], text: string): Notice[] {
  return members.map((m) => ({ to: m.number, text }));
}

/** Minutes, rounded up, in words ("1 min", "24 h"). */
function duration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes >= 120 ? `${Math.ceil(minutes / 60)} h` : `${minutes} min`;
}

export class AccessCommands {
  readonly #context: AccessContext;
  readonly #pinLock: Lockout;
  readonly #claimLock: Lockout;
  #transfer: Transfer | undefined = undefined;
  #reset: { code: string; untilMs: number } | undefined = undefined;

  constructor(context: AccessContext) {
    this.#context = context;
    const { settings, clock } = context;
    this.#pinLock = new Lockout(clock, settings.get("pinLock"), (text) => this.#save("pinLock", text));
    this.#claimLock = new Lockout(clock, settings.get("claimLock"), (text) => this.#save("claimLock", text));
  }

  /** True when `sender` (E.164) is the number a transfer waits an ACCEPT from. */
  awaitsAcceptFrom(sender: string): boolean {
    const transfer = this.#transfer;
    return transfer !== undefined && transfer.to === sender && this.#context.clock.monotonicMs() < transfer.untilMs;
  }

  /**
   * Check the PIN given as the last word of a command by `member`: undefined when it is right,
   * else the outcome to return (wrong, missing, locked out, none set).
   */
  checkPin(member: Member, pin: string | undefined, command: string): Outcome | undefined {
    const { settings } = this.#context;
    const remaining = this.#pinLock.remainingMs();
    if (remaining > 0) return answer(`${command} refused: PIN commands are locked for ${duration(remaining)} more after wrong PINs.`);
    if (settings.get("pinHash") === "") return answer(`${command} needs a PIN, and none is set. The installer sets one, or the owner claims the tracker with one.`);
    // Stryker disable next-line ConditionalExpression: isPin(undefined) tests "undefined", which is no PIN: a missing PIN is caught either way
    if (pin === undefined || !isPin(pin)) return answer(`${command} needs the PIN (4 to 8 digits) as its last word. Send HELP for examples.`);
    if (pinMatches(pin, settings.get("pinHash"))) {
      this.#pinLock.succeeded();
      return undefined;
    }
    const outcome = this.#pinLock.failed();
    this.#context.log.log("warn", "auth", `wrong PIN from ${maskNumber(member.number)} (${command})`);
    const owner = this.#context.numbers.all()[0]!;
    if (!outcome.locked) {
      // the owner hears of every wrong PIN sent from another number (the owner's own get the reply)
      const told = owner.number === member.number ? [] : [{ to: owner.number, text: `Wrong PIN from ${describe(member)} for ${command}.` }];
      return answer(`Wrong PIN. ${outcome.triesLeft} more wrong PIN${outcome.triesLeft === 1 ? "" : "s"} lock PIN commands.`, told);
    }
    const text = `Wrong PIN 5 times (last from ${describe(member)}): PIN commands are locked for ${duration(outcome.lockMs)}.`;
    this.#context.log.log("warn", "auth", `PIN commands locked for ${duration(outcome.lockMs)} after wrong PINs`);
    return answer(text, owner.number === member.number ? [] : [{ to: owner.number, text }]);
  }

  /** CLAIM <setup code> <new PIN> from `sender` (E.164) while unclaimed. Wrong codes get no answer. */
  claim(sender: string, args: readonly string[]): Outcome {
    const { settings, log } = this.#context;
    const setupCode = settings.get("setupCode");
    if (setupCode === "") {
      log.log("warn", "auth", `CLAIM from ${maskNumber(sender)} ignored: no setup code is provisioned (SMS claiming is off)`);
      return answer(undefined);
    }
    if (this.#claimLock.remainingMs() > 0) {
      log.log("warn", "auth", `CLAIM from ${maskNumber(sender)} ignored: claiming is locked after wrong setup codes`);
      return answer(undefined);
    }
    const [code, pin] = args;
    if (args.length !== 2 || code!.toUpperCase() !== setupCode) {
      const outcome = this.#claimLock.failed();
      log.log("warn", "auth", `CLAIM from ${maskNumber(sender)} with a wrong setup code${outcome.locked ? `: claiming locked for ${duration(outcome.lockMs)}` : ""}`);
      return answer(undefined);
    }
    if (!isPin(pin!)) return answer("Setup code accepted, but the new PIN must be 4 to 8 digits: CLAIM <setup code> <new PIN>.");
    const saved = settings.setMany({ ownerNumber: sender, pinHash: hashPin(pin!, this.#context.random), users: "", claimLock: "" });
    if (!saved.ok) return answer(`Claim failed: ${saved.reason}. Please try again.`);
    this.#claimLock.clear();
    log.log("info", "auth", `claimed by ${maskNumber(sender)}`);
    return answer("You are now the owner of this tracker. Keep your PIN safe: it is needed to add or remove numbers. Send HELP for the commands.");
  }

  /**
   * ADD <number> [name] [admin|user] <PIN> (owner: any role; admin: users). The owner's ADD of a
   * registered number with another role word changes its role.
   */
  add(member: Member, args: readonly string[]): Outcome {
    if (member.role === "user") return notForRole("ADD", "the owner and admins");
    const words = args.slice();
    const pinOutcome = this.checkPin(member, words.pop(), "ADD");
    if (pinOutcome) return pinOutcome;
    let role: "admin" | "user" = "user";
    const last = words[words.length - 1]?.toUpperCase();
    const roleGiven = last === "ADMIN" || last === "USER";
    if (roleGiven) {
      role = last === "ADMIN" ? "admin" : "user";
      words.pop();
    }
    let name = "";
    if (words.length > 1 && /^[A-Za-z]/.test(words[words.length - 1]!)) name = words.pop()!;
    const usage = "Send ADD <number> (name) (admin) <PIN>, e.g. ADD +447700900123 Anna 1234.";
    if (name !== "" && !isValidName(name)) return answer(`'${name.slice(0, 12)}' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${usage}`);
    const number = this.#context.numbers.normalise(words.join(""));
    // Stryker disable next-line ConditionalExpression: no words join to "", which normalise() refuses anyway
    if (words.length === 0 || number === undefined) return answer(`That is not a phone number. ${usage}`);
    if (role === "admin" && member.role !== "owner") return answer("Only the owner can add an admin.");
    const all = this.#context.numbers.all();
    const existing = all.find((m) => m.number === number);
    if (existing && roleGiven && existing.role !== "owner" && existing.role !== role) return this.#changeRole(member, existing, role);
    if (existing) return answer(`${maskNumber(number)} is already registered. Send LIST to see the numbers.`);
    const others = all.slice(1);
    if (others.length >= MAX_OTHER_NUMBERS) return answer(`The list is full (owner and ${MAX_OTHER_NUMBERS} more). DEL one first.`);
    if (name === "") name = this.#freeName(others);
    if (others.some((m) => m.name.toUpperCase() === name.toUpperCase())) return answer(`The name ${name} is taken. Choose another one.`);
    const added: Member = { number, name, role, alerts: role === "admin" };
    const saved = this.#context.settings.set("users", encodeMembers([...others, added]));
    if (!saved.ok) return answer(`ADD failed: ${saved.reason}.`);
    this.#context.log.log("info", "auth", `${maskNumber(number)} added as ${role} by ${member.role}`);
    const text = `${describe(added)} was added as ${role} by ${describe(member)}. Send LIST to see every number.`;
    return answer(text, [
      ...tell(all.filter((m) => m.number !== member.number), text),
      { to: number, text: `You can now use this GPS tracker (${role}), added by ${describe(member)}. Send HELP for the commands.` },
    ]);
  }

  /** The owner's ADD <registered number> admin|user <PIN>: a new role, told to every registered number. */
  #changeRole(member: Member, existing: Member, role: "admin" | "user"): Outcome {
    if (member.role !== "owner") return answer("Only the owner can change a role.");
    const all = this.#context.numbers.all();
    const changed: Member = { ...existing, role };
    const saved = this.#context.settings.set("users", encodeMembers(all.slice(1).map((m) => (m.number === existing.number ? changed : m))));
    if (!saved.ok) return answer(`ADD failed: ${saved.reason}.`);
    this.#context.log.log("info", "auth", `${maskNumber(existing.number)} is now ${role}`);
    const text = `${describe(changed)} is now ${role === "admin" ? "an admin" : "a user"}, changed by ${describe(member)}.`;
    return answer(text, tell(all.filter((m) => m.number !== member.number), text));
  }

  /** DEL <number|name> <PIN> (owner: anyone but the owner; admin: users). */
  del(member: Member, args: readonly string[]): Outcome {
    if (member.role === "user") return notForRole("DEL", "the owner and admins");
    const words = args.slice();
    const pinOutcome = this.checkPin(member, words.pop(), "DEL");
    if (pinOutcome) return pinOutcome;
    const target = words.join("");
    const all = this.#context.numbers.all();
    const number = this.#context.numbers.normalise(target);
    const removed = all.find((m) => (m.role !== "owner" && m.name.toUpperCase() === target.toUpperCase()) || m.number === number);
    // Stryker disable next-line ConditionalExpression, StringLiteral: an empty target matches no name (never empty) and no number; a joined target has no blanks
    if (target === "" || !removed) return answer("No such number or name. Send LIST to see them, then DEL <number or name> <PIN>.");
    if (removed.role === "owner") return answer("The owner cannot be removed. To hand the tracker over, use OWNER <number> <PIN>.");
    if (removed.role === "admin" && member.role !== "owner") return answer("Only the owner can remove an admin.");
    const remaining = all.slice(1).filter((m) => m.number !== removed.number);
    const saved = this.#context.settings.set("users", encodeMembers(remaining));
    if (!saved.ok) return answer(`DEL failed: ${saved.reason}.`);
    this.#context.log.log("info", "auth", `${maskNumber(removed.number)} removed by ${member.role}`);
    const text = `${describe(removed)} was removed by ${describe(member)}.`;
    return answer(text, tell(all.filter((m) => m.number !== member.number), text));
  }

  /** LIST: every registered number, masked, with its role and alerts. */
  list(): Outcome {
    const lines = this.#context.numbers.all().map((m) =>
      `${m.role === "owner" ? "Owner" : m.name} ${maskNumber(m.number)}${m.role === "admin" ? " admin" : ""}${m.alerts ? " alerts" : ""}`,
    );
    return answer(`${lines.length} number${lines.length === 1 ? "" : "s"}: ${lines.join("; ")}.`);
  }

  /** PIN <old> <new> (owner). */
  pin(member: Member, args: readonly string[]): Outcome {
    if (member.role !== "owner") return notForRole("PIN", "the owner");
    if (args.length !== 2) return answer("Send PIN <old PIN> <new PIN> (4 to 8 digits).");
    const pinOutcome = this.checkPin(member, args[0], "PIN");
    if (pinOutcome) return pinOutcome;
    if (!isPin(args[1]!)) return answer("The new PIN must be 4 to 8 digits. The PIN is unchanged.");
    const saved = this.#context.settings.set("pinHash", hashPin(args[1]!, this.#context.random));
    if (!saved.ok) return answer(`The PIN is unchanged: ${saved.reason}.`);
    this.#context.log.log("info", "auth", "PIN changed by the owner");
    return answer("PIN changed.");
  }

  /** OWNER <number> <PIN> (owner): offer the tracker to another number; it must ACCEPT within 10 min. */
  owner(member: Member, args: readonly string[]): Outcome {
    if (member.role !== "owner") return notForRole("OWNER", "the owner");
    const words = args.slice();
    const pinOutcome = this.checkPin(member, words.pop(), "OWNER");
    if (pinOutcome) return pinOutcome;
    const to = this.#context.numbers.normalise(words.join(""));
    // Stryker disable next-line ConditionalExpression: no words join to "", which normalise() refuses anyway
    if (words.length === 0 || to === undefined) return answer("Send OWNER <new owner's number> <PIN>.");
    if (to === member.number) return answer("That is already the owner's number.");
    const code = this.#code();
    this.#transfer = { to, code, untilMs: this.#context.clock.monotonicMs() + TRANSFER_WINDOW_MS, tries: 0 };
    this.#context.log.log("info", "auth", `ownership offered to ${maskNumber(to)}`);
    const text = `The owner offered this tracker to ${maskNumber(to)}. If that number accepts within 10 min, it becomes the owner and every other number is removed.`;
    return answer(text, [
      ...tell(this.#context.numbers.others(), text),
      { to, text: `You are offered ownership of a GPS tracker. To accept, reply ACCEPT ${code} <a new PIN of 4-8 digits> within 10 minutes.` },
    ]);
  }

  /** ACCEPT <code> <new PIN> from the number a transfer waits for. */
  accept(sender: string, args: readonly string[]): Outcome {
    const transfer = this.#transfer;
    if (!transfer || !this.awaitsAcceptFrom(sender)) return answer(undefined);
    if (args.length !== 2 || args[0]!.toUpperCase() !== transfer.code) {
      transfer.tries++;
      if (transfer.tries >= TRANSFER_TRIES) this.#transfer = undefined;
      return answer(this.#transfer ? "Wrong code. Send ACCEPT <code> <new PIN>." : "Wrong code again: the offer is cancelled.");
    }
    if (!isPin(args[1]!)) return answer("Choose a PIN of 4 to 8 digits: ACCEPT <code> <new PIN>.");
    const removed = this.#context.numbers.all().filter((m) => m.number !== sender);
    const saved = this.#context.settings.setMany({
      ownerNumber: sender,
      users: "",
      pinHash: hashPin(args[1]!, this.#context.random),
      ownerAlerts: "on",
      secure: "off",
      pinLock: "",
      // the previous owner's place, tracking and alarm are not the new owner's
      fence: "",
      track: "",
      speedLimitKmh: "0",
      armed: "off",
    });
    if (!saved.ok) return answer(`The transfer failed: ${saved.reason}. Please try again.`);
    this.#context.settings.overwriteOlderSlot(); // the previous numbers leave the flash too
    this.#transfer = undefined;
    this.#pinLock.clear();
    this.#context.forgetRam();
    this.#context.log.log("info", "auth", `ownership transferred to ${maskNumber(sender)}`);
    return answer(
      "You are now the owner of this tracker; every other number was removed. Keep your PIN safe. Send HELP for the commands.",
      tell(removed, "This tracker has a new owner: your number was removed from it."),
    );
  }

  /** RESET <PIN> (owner): a one-time code; RESET <code> within 2 min: erase everything, back to unclaimed. */
  reset(member: Member, args: readonly string[]): Outcome {
    if (member.role !== "owner") return notForRole("RESET", "the owner");
    const { clock, settings, log } = this.#context;
    const pending = this.#reset;
    const word = args[args.length - 1]?.toUpperCase();
    // Stryker disable next-line ConditionalExpression: for an undefined word the regex tests "undefined": no match either way
    if (word !== undefined && /^[A-Z]{6}$/.test(word)) {
      this.#reset = undefined; // one try per code
      if (!pending || word !== pending.code || clock.monotonicMs() >= pending.untilMs) {
        return answer("That reset code is wrong or expired: nothing was erased. Start again with RESET <PIN>.");
      }
      const everyone = this.#context.numbers.all();
      const erased = settings.eraseUserData();
      if (!erased.ok) return answer(`The reset failed: ${erased.reason}. Nothing was erased.`);
      this.#pinLock.clear();
      this.#transfer = undefined;
      this.#context.forgetRam();
      log.log("warn", "auth", "factory reset by the owner: every number, the PIN and the settings erased");
      const text = "This tracker was reset by its owner: every number, the PIN and the settings are erased.";
      return answer(text, tell(everyone.slice(1), text));
    }
    const pinOutcome = this.checkPin(member, args.length === 1 ? args[0] : undefined, "RESET");
    if (pinOutcome) return pinOutcome;
    const code = this.#code();
    this.#reset = { code, untilMs: clock.monotonicMs() + RESET_WINDOW_MS };
    log.log("warn", "auth", "factory reset requested by the owner");
    return answer(
      `To erase every number, the PIN and the settings, send RESET ${code} within 2 minutes. Otherwise nothing happens.`,
      tell(this.#context.numbers.others(), "The owner asked for a factory reset of this tracker (every number would be removed)."),
    );
  }

  /** SECURE ON|OFF <PIN> (owner): whether every command needs the PIN. */
  secure(member: Member, args: readonly string[]): Outcome {
    if (member.role !== "owner") return notForRole("SECURE", "the owner");
    const mode = args[0]?.toUpperCase();
    if (args.length !== 2 || (mode !== "ON" && mode !== "OFF")) return answer("Send SECURE ON <PIN> or SECURE OFF <PIN>.");
    const pinOutcome = this.checkPin(member, args[1], "SECURE");
    if (pinOutcome) return pinOutcome;
    const saved = this.#context.settings.set("secure", mode === "ON" ? "on" : "off");
    if (!saved.ok) return answer(`SECURE failed: ${saved.reason}.`);
    return answer(mode === "ON" ? "Secure mode on: every command now needs the PIN as its last word (e.g. WHERE 1234)." : "Secure mode off: only commands that change access need the PIN.");
  }

  /** ALERTS ON|OFF: the sender's own alert subscription. */
  alerts(member: Member, args: readonly string[]): Outcome {
    const mode = args[0]?.toUpperCase();
    if (mode !== "ON" && mode !== "OFF") return answer(`Alerts are ${member.alerts ? "on" : "off"} for your number. Send ALERTS ON or ALERTS OFF.`);
    const on = mode === "ON";
    const { settings, numbers } = this.#context;
    const saved =
      member.role === "owner"
        ? settings.set("ownerAlerts", on ? "on" : "off")
        : settings.set("users", encodeMembers(numbers.others().map((m) => (m.number === member.number ? { ...m, alerts: on } : m))));
    if (!saved.ok) return answer(`ALERTS failed: ${saved.reason}.`);
    return answer(on ? "Alerts on: you will receive this tracker's alerts." : "Alerts off: you will not receive alerts (commands still work).");
  }

  /** Forget pending transfers and resets (the owner changed by other means). */
  cancelPending(): void {
    this.#transfer = undefined;
    this.#reset = undefined;
  }

  /** "User2".."User10": the first such name not taken. */
  #freeName(others: readonly Member[]): string {
    for (let n = 2; ; n++) {
      const name = `User${n}`;
      if (!others.some((m) => m.name.toUpperCase() === name.toUpperCase())) return name;
    }
  }

  /** A one-time code of CODE_LENGTH letters. */
  #code(): string {
    const bytes = new Uint8Array(CODE_LENGTH);
    this.#context.random.fill(bytes);
    let code = "";
    for (let i = 0; i < bytes.length; i++) code += CODE_LETTERS[bytes[i]! % CODE_LETTERS.length];
    return code;
  }

  #save(key: "pinLock" | "claimLock", text: string): void {
    const saved = this.#context.settings.set(key, text);
    if (!saved.ok) this.#context.log.log("error", "auth", `the ${key} state could not be saved: ${saved.reason}`);
  }
}

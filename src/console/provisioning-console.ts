/**
 * The provisioning console: the installer's line protocol on the board's USB serial port
 * (console-protocol.ts; docs/console-protocol.md). It sets the owner, PIN, home country, setup
 * code and modem profile, reads the status (never a position), runs the self-test and erases the
 * unit (FACTORY RESET).
 *
 * Lock (ETSI EN 303 645 §5.6: no open provisioning interface on a deployed unit): the console is
 * open while the tracker is unclaimed. Once it has an owner (SET OWNER here, CLAIM by SMS, the build
 * configuration) it is locked: only HELLO, HELP, UNLOCK <PIN> and FACTORY RESET <PIN> are
 * answered, until UNLOCK opens it for a session that ends with LOCK or after IDLE_LOCK_MS without a
 * command. Wrong PINs count towards the same lockout as PINs by SMS (auth/lockout.ts). The PIN is
 * never printed, stored in clear or logged.
 */
import type { Clock, RandomSource, SerialPort, TimerHandle } from "../platform/ports";
import { ConsoleLineReader, type ConsoleLine } from "./console-line-reader";
import { checkLine, dataLine, errLine, okLine, parseConsoleCommand, type ConsoleCommand, type ConsoleError } from "./console-protocol";
import { SelfTest, DEFAULT_SELF_TEST_OPTIONS, type SelfTestContext } from "./self-test";

/** An unlocked session locks itself after this long without a command (ms). */
export const IDLE_LOCK_MS = 10 * 60_000;
/** Lines waiting while a command is busy; more are refused with ERR busy. */
const MAX_WAITING_LINES = 8;
/** Longest fix wait SELFTEST accepts (s). */
const MAX_FIX_WITHIN_S = 900;
/** Letters and digits of a generated setup code: none that read alike (0/O, 1/I, 2/Z, 5/S, 8/B). */
const SETUP_CODE_CHARACTERS = "ACDEFGHJKLMNPQRTUVWXY34679";
/** Characters in a generated setup code (26^10 ≈ 1.4e14 codes). */
const SETUP_CODE_LENGTH = 10;

/** The result of a settings change. */
export interface Saved {
  readonly ok: boolean;
  readonly reason: string;
}

/** What the console reads and changes (the tracker's parts; attach-console.ts builds it). */
export interface ConsoleContext {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly firmwareVersion: string;
  /** True while no owner is set. */
  unclaimed(): boolean;
  /** True when a PIN is set. */
  hasPin(): boolean;
  /** undefined when `pin` is the PIN (the lockout is reset), else why not (wrong, locked out, none set). */
  checkPin(pin: string, command: string): string | undefined;
  /** Read the IMEI from the modem ("" when it does not answer). */
  readImei(then: (imei: string) => void): void;
  /** Store a new PIN (4-8 digits; refused otherwise). */
  setPin(pin: string): Saved;
  /** Set the owner (normalised with the home country); the E.164 form on success. */
  setOwner(number: string): Saved & { readonly number?: string };
  /** Set a setting by key (homeCountryCode, setupCode, modemProfile). */
  setSetting(key: "homeCountryCode" | "setupCode" | "modemProfile", value: string): Saved;
  /** A setting's value as stored. */
  setting(key: "homeCountryCode" | "setupCode" | "modemProfile"): string;
  /** `number` in E.164 with the home country, or undefined. */
  normalise(number: string): string | undefined;
  /** Erase every number, the PIN and the owner's settings (the unit's facts stay); back to unclaimed. */
  factoryReset(): Saved;
  /** STATUS facts, as key and value (no position). */
  status(): readonly (readonly [string, string])[];
  /** The self-test's view of the tracker, without the console's own numbers (added here). */
  selfTest: Omit<SelfTestContext, "ownNumber" | "ussdCode" | "token" | "clock">;
  /** Log a line (never a PIN). */
  log(level: "info" | "warn", message: string): void;
}

/** HELP: each command with its arguments, and whether it works while locked. */
const COMMANDS: readonly (readonly [string, string, boolean])[] = Object.freeze([
  Object.freeze(["HELLO", "firmware version, IMEI, claimed, locked", true] as const),
  Object.freeze(["HELP", "this list", true] as const),
  Object.freeze(["UNLOCK <PIN>", "open the console of a claimed unit", true] as const),
  Object.freeze(["LOCK", "close it again", true] as const),
  Object.freeze(["SET COUNTRY <calling code>", "home country for national numbers, e.g. 1 or 44", false] as const),
  Object.freeze(["SET PIN <4-8 digits>", "the owner's PIN (before SET OWNER)", false] as const),
  Object.freeze(["SET OWNER <number>", "the owner: claims the unit and locks the console", false] as const),
  Object.freeze(["SET SETUPCODE <code|auto>", "the label's code for CLAIM by SMS (8-16 letters/digits)", false] as const),
  Object.freeze(["SET PROFILE <modem>", "A7670, SIM7600, SIM7000, SIM800, EG25, BG96 (after a restart)", false] as const),
  Object.freeze(["SET SELFNUMBER <number>", "the SIM's own number, for the SMS loopback (RAM only)", false] as const),
  Object.freeze(["SET USSD <code>", "the operator's balance code, e.g. *100# (RAM only)", false] as const),
  Object.freeze(["STATUS", "modem, SIM, network, signal, GNSS, voltages, SMS left", false] as const),
  Object.freeze(["SELFTEST [fix-within-s] [loopback-within-s]", "the installer's checklist", false] as const),
  Object.freeze(["FACTORY RESET [PIN]", "erase numbers, PIN and settings (needs the PIN once claimed)", true] as const),
]);

export class ProvisioningConsole {
  readonly #port: SerialPort;
  readonly #context: ConsoleContext;
  readonly #reader = new ConsoleLineReader();
  /** True after a right UNLOCK, until LOCK, the idle time or a factory reset. */
  #unlocked = false;
  #idleTimer: TimerHandle | undefined;
  /** Lines received while a command was busy. */
  readonly #waiting: ConsoleLine[] = [];
  #busy = false;
  #selfTest: SelfTest | undefined;
  /** SET SELFNUMBER and SET USSD: for the self-test only, never stored. */
  #ownNumber = "";
  #ussdCode = "";
  readonly #encoded: Uint8Array = new Uint8Array(256);

  constructor(port: SerialPort, context: ConsoleContext) {
    this.#port = port;
    this.#context = context;
    this.#reader.onLine = (line) => this.#onLine(line);
  }

  /** Start reading the port; says `+ready:` once. */
  start(): void {
    this.#port.onReceive = (chunk) => this.#reader.feed(chunk);
    this.#write(dataLine("ready", `tracker console, firmware ${this.#context.firmwareVersion}: HELLO for facts, HELP for commands`));
  }

  /** True while the console refuses commands that change or read the unit. */
  get locked(): boolean {
    return !this.#context.unclaimed() && !this.#unlocked;
  }

  #onLine(line: ConsoleLine): void {
    if (this.#busy) {
      if (this.#waiting.length >= MAX_WAITING_LINES) this.#write(errLine("busy", "wait for the running command"));
      else this.#waiting.push(line);
      return;
    }
    this.#run(line);
  }

  #run(line: ConsoleLine): void {
    if ("unreadable" in line) {
      this.#write(errLine("line", line.unreadable === "too-long" ? "line too long" : "only printable ASCII is understood"));
      return this.#runNext();
    }
    const command = parseConsoleCommand(line.text);
    if (!command) return this.#runNext();
    if (this.#unlocked) this.#touch();
    this.#busy = true;
    this.#dispatch(command, () => {
      this.#busy = false;
      this.#runNext();
    });
  }

  /** Run the next line that waited while a command was busy, if any. */
  #runNext(): void {
    const waiting = this.#waiting.shift();
    if (waiting) this.#run(waiting);
  }

  /** Run `command`; `done` once its final line is written. */
  #dispatch(command: ConsoleCommand, done: () => void): void {
    const reply = (lines: readonly string[]) => {
      for (const line of lines) this.#write(line);
      done();
    };
    const { verb, args } = command;
    switch (verb) {
      case "HELLO":
      case "VERSION":
        return this.#hello(reply);
      case "HELP":
        return reply([...COMMANDS.map(([usage, what, open]) => dataLine("help", `${usage} - ${what}${open ? "" : " (open console only)"}`)), okLine()]);
      case "UNLOCK":
        return reply([this.#unlock(args)]);
      case "LOCK":
        this.#lock();
        return reply([okLine(this.locked ? "locked" : "open (unclaimed)")]);
      case "FACTORY RESET":
        return reply([this.#factoryReset(args)]);
    }
    const known = verb === "STATUS" || verb === "SELFTEST" || verb.startsWith("SET ");
    if (!known) return reply([errLine("unknown", `'${verb.slice(0, 24)}' is no command: HELP lists them`)]);
    if (this.locked) return reply([errLine("locked", "the unit has an owner: UNLOCK <PIN> first")]);
    if (verb === "STATUS") return reply([...this.#context.status().map(([key, value]) => dataLine(key, value)), okLine()]);
    if (verb === "SELFTEST") return this.#runSelfTest(args, reply);
    return reply(this.#set(verb.slice(4), args));
  }

  #hello(reply: (lines: readonly string[]) => void): void {
    const context = this.#context;
    context.readImei((imei) => {
      reply([
        dataLine("firmware", context.firmwareVersion),
        dataLine("imei", imei === "" ? "unknown" : imei),
        dataLine("claimed", context.unclaimed() ? "no" : "yes"),
        dataLine("locked", this.locked ? "yes" : "no"),
        dataLine("pin", context.hasPin() ? "set" : "none"),
        okLine(`tracker ${context.firmwareVersion}`),
      ]);
    });
  }

  #unlock(args: readonly string[]): string {
    if (this.#context.unclaimed()) return okLine("open (unclaimed)");
    if (args.length !== 1) return errLine("usage", "UNLOCK <PIN>");
    const refused = this.#context.checkPin(args[0]!, "UNLOCK");
    if (refused !== undefined) {
      this.#context.log("warn", "console: UNLOCK refused");
      return errLine(this.#context.hasPin() ? "pin" : "no-pin", refused);
    }
    this.#unlocked = true;
    this.#touch();
    this.#context.log("info", "console: unlocked with the PIN");
    return okLine("unlocked");
  }

  #lock(): void {
    this.#unlocked = false;
    this.#context.clock.clearTimer(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  /** Restart the idle time of an unlocked session. */
  #touch(): void {
    const clock = this.#context.clock;
    clock.clearTimer(this.#idleTimer);
    this.#idleTimer = clock.setTimer(() => {
      this.#idleTimer = undefined;
      if (this.#busy) return this.#touch(); // a self-test may wait up to 15 min without a result: the session stays open under it
      this.#unlocked = false;
      this.#context.log("info", "console: locked after idle time");
    }, IDLE_LOCK_MS);
  }

  #factoryReset(args: readonly string[]): string {
    const context = this.#context;
    if (!context.unclaimed()) {
      if (args.length !== 1) return errLine("usage", "FACTORY RESET <PIN>");
      const refused = context.checkPin(args[0]!, "FACTORY RESET");
      if (refused !== undefined) return errLine(context.hasPin() ? "pin" : "no-pin", refused);
    }
    this.#selfTest?.cancel();
    const erased = context.factoryReset();
    if (!erased.ok) return errLine("store", erased.reason);
    this.#lock();
    this.#ownNumber = "";
    this.#ussdCode = "";
    context.log("warn", "console: factory reset");
    return okLine("erased: unclaimed, no PIN, no numbers");
  }

  #set(what: string, args: readonly string[]): string[] {
    const context = this.#context;
    const value = args.join(" ");
    if (args.length === 0) return [errLine("usage", `SET ${what} <value>: HELP lists them`)];
    switch (what) {
      case "PIN": {
        if (!/^[0-9]{4,8}$/.test(value)) return [errLine("invalid", "a PIN is 4 to 8 digits")];
        const saved = context.setPin(value);
        if (!saved.ok) return [errLine("store", saved.reason)];
        context.log("info", "console: PIN set");
        return [okLine("pin set")];
      }
      case "OWNER": {
        if (!context.unclaimed()) return [errLine("claimed", "the unit has an owner: FACTORY RESET <PIN> first, or OWNER by SMS")];
        if (!context.hasPin()) return [errLine("no-pin", "SET PIN <4-8 digits> first: the owner needs it")];
        const saved = context.setOwner(value);
        if (!saved.ok) return [this.#refused(saved.reason)];
        this.#lock();
        context.log("info", "console: owner set; console locked");
        return [dataLine("owner", saved.number ?? value), okLine("claimed; console locked")];
      }
      case "COUNTRY": {
        const code = value.startsWith("+") ? value.slice(1) : value;
        if (!/^[1-9][0-9]{0,2}$/.test(code)) return [errLine("invalid", "the country's calling code in digits, e.g. 1 (US) or 44 (UK)")];
        return this.#saved(context.setSetting("homeCountryCode", code), "country", code);
      }
      case "SETUPCODE": {
        const code = value.toUpperCase() === "AUTO" ? this.#newSetupCode() : value.toUpperCase();
        return this.#saved(context.setSetting("setupCode", code), "setupcode", context.setting("setupCode"));
      }
      case "PROFILE": {
        const saved = context.setSetting("modemProfile", value);
        if (!saved.ok) return [this.#refused(saved.reason, ": A7670, SIM7600, SIM7000, SIM800, EG25 or BG96")];
        return [dataLine("profile", context.setting("modemProfile")), okLine("applies after a restart")];
      }
      case "SELFNUMBER": {
        const number = context.normalise(value);
        if (number === undefined) return [errLine("invalid", "not a phone number")];
        this.#ownNumber = number;
        return [dataLine("selfnumber", number), okLine()];
      }
      case "USSD": {
        if (!/^([*#][0-9]{2,4}#|\*[0-9]{2,4}\*[0-9]{1,2}#)$/.test(value)) return [errLine("invalid", "a balance code such as *100# or *123*1#")];
        this.#ussdCode = value;
        return [dataLine("ussd", value), okLine()];
      }
    }
    return [errLine("unknown", `SET ${what.slice(0, 16)}: HELP lists what can be set`)];
  }

  #saved(saved: Saved, key: string, shown: string): string[] {
    return saved.ok ? [dataLine(key, shown), okLine()] : [this.#refused(saved.reason)];
  }

  /** ERR store when the settings could not be written, else ERR invalid with the reason (and `hint`). */
  #refused(reason: string, hint = ""): string {
    return reason.startsWith("store") ? errLine("store", reason) : errLine("invalid", `${reason}${hint}`);
  }

  #newSetupCode(): string {
    const bytes = new Uint8Array(SETUP_CODE_LENGTH);
    this.#context.random.fill(bytes);
    let code = "";
    for (let i = 0; i < bytes.length; i++) code += SETUP_CODE_CHARACTERS[bytes[i]! % SETUP_CODE_CHARACTERS.length];
    return code;
  }

  #runSelfTest(args: readonly string[], reply: (lines: readonly string[]) => void): void {
    const numbers = args.map((a) => (/^[0-9]{1,4}$/.test(a) ? Number(a) : NaN));
    if (args.length > 2 || numbers.some((n) => !(n >= 1 && n <= MAX_FIX_WITHIN_S))) {
      return reply([errLine("usage", `SELFTEST [fix-within-s] [loopback-within-s], each 1 to ${MAX_FIX_WITHIN_S}`)]);
    }
    const context = this.#context;
    const test = new SelfTest(
      {
        ...context.selfTest,
        clock: context.clock,
        ownNumber: () => this.#ownNumber,
        ussdCode: () => this.#ussdCode,
        token: () => this.#newSetupCode().slice(0, 6),
      },
      {
        fixWithinS: numbers[0] ?? DEFAULT_SELF_TEST_OPTIONS.fixWithinS,
        loopbackWithinS: numbers[1] ?? DEFAULT_SELF_TEST_OPTIONS.loopbackWithinS,
      },
    );
    this.#selfTest = test;
    context.log("info", "console: self-test started");
    test.start(
      (result) => {
        if (this.#unlocked) this.#touch(); // a long test does not lock the session under the installer
        this.#write(checkLine(result));
      },
      (counts) => {
        this.#selfTest = undefined;
        const verdict = counts.FAIL > 0 ? "FAIL" : counts.WARN > 0 ? "WARN" : "PASS";
        reply([okLine(`selftest ${verdict} pass=${counts.PASS} warn=${counts.WARN} fail=${counts.FAIL} skip=${counts.SKIP}`)]);
      },
    );
  }

  /** Write one line and CR LF, ASCII (anything else as "?"). */
  #write(line: string): void {
    const length = Math.min(line.length, this.#encoded.length - 2);
    const bytes = this.#encoded;
    // Stryker disable next-line EqualityOperator: `<=` also writes bytes[length], which the CR below overwrites
    for (let i = 0; i < length; i++) {
      const c = line.charCodeAt(i);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: control characters and DEL never get here (oneLine() made them blanks); the guard keeps a line from ending early should one ever skip oneLine()
      bytes[i] = c >= 0x20 && c < 0x7f ? c : 0x3f;
    }
    bytes[length] = 0x0d;
    bytes[length + 1] = 0x0a;
    this.#port.write(bytes.subarray(0, length + 2));
  }
}

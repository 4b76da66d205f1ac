/**
 * Fakes for the provisioning console's unit tests (provisioning-console.test.ts): the tracker
 * behind the console (settings, PIN, owner, modem answers, GNSS, power, SMS) with a manual clock,
 * the USB serial port, and a bench that types lines and collects the answers.
 */
import { ProvisioningConsole, type ConsoleContext, type Saved } from "../../src/console/provisioning-console.ts";
import type { AtResponse } from "../../src/modem/at-chat.ts";
import type { RegistrationState } from "../../src/modem/modem-lifecycle.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import type { SerialPort } from "../../src/platform/ports.ts";
import { FakeClock } from "../modem/fakes.ts";
import { testFix } from "../support/fix.ts";

const PROFILES = ["A7670", "SIM7600", "SIM7000", "SIM800", "EG25", "BG96"];
export const PIN = "2468";
export const SELF = "+14085550100";

type SettingKey = "homeCountryCode" | "setupCode" | "modemProfile";

/** The tracker behind the console, as far as the console sees it. */
export class FakeUnit {
  readonly clock = new FakeClock();
  owner = "";
  pin = "";
  /** PIN checks refused as after 5 wrong PINs. */
  lockedOut = false;
  readonly settings: Record<SettingKey, string> = { homeCountryCode: "1", setupCode: "", modemProfile: "A7670" };
  imei = "868071040000017";
  /** When not "", every write fails with this reason. */
  storeFailure = "";
  /** Keep HELLO's IMEI query unanswered until answerImei(). */
  holdImei = false;
  readonly #imeiWaiting: ((imei: string) => void)[] = [];
  readonly logs: string[] = [];
  readonly sent: { to: string; text: string }[] = [];
  readonly atSent: string[] = [];
  /** The modem's answers by command (lines of an OK answer); commands not listed time out. */
  readonly at = new Map<string, string[]>();
  modemState = "off";
  registration: RegistrationState = "unknown";
  /** The GNSS: none, sentences without a fix, or a fix (each fresh at every read). */
  gnss: "none" | "no-fix" | "fix" = "none";
  vehicleMv = NaN;
  batteryMv = NaN;
  /** An SMS to this number comes back after this many ms (undefined: never). */
  loopbackAfterMs: number | undefined = undefined;
  #smsTaps: ((sender: string, text: string) => boolean)[] = [];

  /** A modem, network, GNSS and supply that pass every check. */
  healthy(): this {
    this.modemState = "ready";
    this.registration = "home";
    this.at.set("AT+CGMM", ["A7670E-LASE"]);
    this.at.set("AT+CGMR", ["+CGMR: A7670M7_V1.11.1"]);
    this.at.set("AT+CPIN?", ["+CPIN: READY"]);
    this.at.set("AT+CSQ", ["+CSQ: 20,99"]);
    this.at.set("AT+CSCA?", ['+CSCA: "+14085550000",145']);
    this.at.set("AT+CPMS?", ['+CPMS: "SM",1,50,"SM",1,50,"SM",1,50']);
    this.gnss = "fix";
    this.vehicleMv = 12_600;
    this.batteryMv = 3_900;
    return this;
  }

  claimed(pin = PIN): this {
    this.owner = "+14085550199";
    this.pin = pin;
    return this;
  }

  answerImei(): void {
    for (const then of this.#imeiWaiting.splice(0)) then(this.imei);
  }

  #write(apply: () => void): Saved {
    if (this.storeFailure !== "") return { ok: false, reason: this.storeFailure };
    apply();
    return { ok: true, reason: "" };
  }

  #normalise(number: string): string | undefined {
    const digits = number.replace(/[ ()-]/g, "");
    const e164 = digits.startsWith("+") ? digits : `+${this.settings.homeCountryCode}${digits}`;
    return /^\+[1-9][0-9]{7,14}$/.test(e164) ? e164 : undefined;
  }

  context(): ConsoleContext {
    return {
      clock: this.clock,
      random: { fill: (bytes) => bytes.forEach((_, i) => (bytes[i] = i * 27)) },
      firmwareVersion: "0.1.0",
      unclaimed: () => this.owner === "",
      hasPin: () => this.pin !== "",
      checkPin: (pin, command) => {
        if (this.lockedOut) return `${command} refused: PIN commands are locked for 1 min more after wrong PINs.`;
        if (this.pin === "") return `${command} needs a PIN, and none is set. The installer sets one, or the owner claims the tracker with one.`;
        return pin === this.pin ? undefined : "Wrong PIN. 4 more wrong PINs lock PIN commands.";
      },
      readImei: (then) => {
        if (this.holdImei) this.#imeiWaiting.push(then);
        else then(this.imei);
      },
      setPin: (pin) => this.#write(() => (this.pin = pin)),
      setOwner: (number) => {
        const e164 = this.#normalise(number);
        if (e164 === undefined) return { ok: false, reason: "not a phone number" };
        const saved = this.#write(() => (this.owner = e164));
        return saved.ok ? { ...saved, number: e164 } : saved;
      },
      setSetting: (key, value) => {
        if (key === "setupCode" && !/^[A-Z0-9]{8,16}$/.test(value)) return { ok: false, reason: "setup code must be 8 to 16 letters and digits" };
        if (key === "modemProfile" && !PROFILES.includes(value.toUpperCase())) return { ok: false, reason: "unknown modem profile" };
        if (!(key in this.settings)) return { ok: false, reason: `unknown setting '${key}'` };
        return this.#write(() => (this.settings[key] = key === "modemProfile" ? value.toUpperCase() : value));
      },
      setting: (key) => this.settings[key],
      normalise: (number) => this.#normalise(number),
      factoryReset: () =>
        this.#write(() => {
          this.owner = "";
          this.pin = "";
        }),
      status: () => [
        ["state", "ready"],
        ["owner", this.owner === "" ? "none" : "+1408***0199"],
        ["country", this.settings.homeCountryCode],
      ],
      selfTest: {
        at: (command, _timeoutMs, done) => {
          this.atSent.push(command);
          const lines = this.at.get(command);
          const response: AtResponse = lines ? { outcome: "ok", lines, error: "", payloadSent: false } : { outcome: "timeout", lines: [], error: "", payloadSent: false };
          done(response);
        },
        modemState: () => this.modemState,
        registration: () => this.registration,
        servingCell: (then) => then(undefined),
        gnssLatest: (): Fix | undefined => (this.gnss === "none" ? undefined : testFix({ valid: this.gnss === "fix", receivedAtMs: this.clock.nowMs })),
        power: () => ({ vehicleMv: this.vehicleMv, batteryMv: this.batteryMv }),
        sendSms: (to, text) => {
          this.sent.push({ to, text });
          const after = this.loopbackAfterMs;
          if (after !== undefined) this.clock.setTimer(() => this.#smsTaps.some((tap) => tap(to, text)), after);
          return true;
        },
        watchSms: (seen) => {
          this.#smsTaps = [...this.#smsTaps, seen];
          return () => {
            this.#smsTaps = this.#smsTaps.filter((tap) => tap !== seen);
          };
        },
        watchUrc: () => () => undefined,
      },
      log: (level, message) => void this.logs.push(`${level} ${message}`),
    };
  }
}

/** The console's USB serial port: what the installer types, and the lines it gets back (Latin-1 bytes). */
export class FakePort implements SerialPort {
  onReceive: ((chunk: Uint8Array) => void) | null = null;
  /** Received text not yet ended by CR LF. */
  partial = "";
  #lines: string[] = [];

  write(bytes: Uint8Array): void {
    this.partial += String.fromCharCode(...bytes);
    const parts = this.partial.split("\r\n");
    this.partial = parts.pop()!;
    this.#lines.push(...parts);
  }

  /** The lines written since the last call. */
  take(): string[] {
    return this.#lines.splice(0);
  }
}

/** A started console on a fake unit. */
export class Bench {
  readonly port = new FakePort();
  readonly console: ProvisioningConsole;
  constructor(readonly unit: FakeUnit = new FakeUnit()) {
    this.console = new ProvisioningConsole(this.port, unit.context());
    this.console.start();
    this.port.take();
  }

  /** Type bytes (a line with its end, or several). */
  typeBytes(...bytes: number[]): string[] {
    this.port.onReceive!(Uint8Array.from(bytes));
    return this.port.take();
  }

  /** Type `line` and CR; the lines answered so far. */
  send(line: string): string[] {
    return this.typeBytes(...Array.from(line + "\r", (c) => c.charCodeAt(0)));
  }

  /** Let `ms` pass; the lines written meanwhile. */
  wait(ms: number): string[] {
    this.unit.clock.advance(ms);
    return this.port.take();
  }
}

/**
 * The installer's self-test: the checks that tell whether a freshly wired unit will work, one
 * after the other, each reported as soon as it is known (PASS, WARN, FAIL or SKIP, with advice):
 * modem model and firmware variant, SIM, registration (home or roaming, radio technology), signal,
 * SMS centre, SMS store, an SMS to the unit's own number that must come back, prepaid credit by USSD
 * (when a code is given), GNSS sentences, a fix within a time limit, satellites, vehicle supply and
 * backup battery. It reads the modem with allow-listed queries only (modem/at-allow-list.ts) and
 * never reports a position. Times are ms unless named _S (seconds).
 */
import type { Clock, PowerReading, TimerHandle } from "../platform/ports";
import type { AtResponse } from "../modem/at-chat";
import { parseCpin, parseCsq } from "../modem/at-fields";
import { parseCpmsRead, parseCsca } from "../modem/at-capabilities";
import type { RegistrationState } from "../modem/modem-lifecycle";
import type { ServingCell } from "../modem/serving-cell";
import type { Fix } from "../gnss/fix";
import type { CheckResult, CheckVerdict } from "./console-protocol";

/** Weakest signal that passes, dBm (CSQ 7: SMS still goes through reliably). */
export const SIGNAL_PASS_DBM = -100;
/** Fewest satellites used in a fix that passes. */
export const SATELLITES_PASS = 5;
/** GNSS data counts as flowing when the latest epoch is at most this old (ms). */
const GNSS_FRESH_MS = 3000;
/** Timeout of each modem query (ms). */
const QUERY_MS = 5000;
/** How long the USSD answer may take (ms). */
const USSD_WAIT_MS = 30_000;

/** What the self-test reads and uses. */
export interface SelfTestContext {
  readonly clock: Clock;
  /** Send an allow-listed AT command; `done` gets the answer (once). */
  at(command: string, timeoutMs: number, done: (response: AtResponse) => void): void;
  /** The modem lifecycle state ("ready", "no-sim", "failed", "registering", ...). */
  modemState(): string;
  registration(): RegistrationState;
  /** Read the serving cell (its radio technology); undefined when unknown. */
  servingCell(then: (cell: ServingCell | undefined) => void): void;
  /** The latest GNSS epoch (valid or not). */
  gnssLatest(): Fix | undefined;
  /** The board's power reading (NaN where not measured). */
  power(): PowerReading;
  /** Queue an SMS; false when it could not be queued. */
  sendSms(to: string, text: string): boolean;
  /** Watch incoming SMS until the returned function is called; `seen` returns true for one it takes. */
  watchSms(seen: (sender: string, text: string) => boolean): () => void;
  /** Watch unsolicited modem lines (URCs) the same way. */
  watchUrc(seen: (line: string) => boolean): () => void;
  /** The unit's own number (E.164), "" when not known. */
  ownNumber(): string;
  /** The USSD code of the operator's credit check ("" = none). */
  ussdCode(): string;
  /** A short random token for the loopback SMS. */
  token(): string;
}

export interface SelfTestOptions {
  /** How long the GNSS may take for a fix, s. */
  readonly fixWithinS: number;
  /** How long the loopback SMS may take to come back, s. */
  readonly loopbackWithinS: number;
}

export const DEFAULT_SELF_TEST_OPTIONS: SelfTestOptions = Object.freeze({ fixWithinS: 120, loopbackWithinS: 120 });

/** One step: finds one or more results, then calls `next`. */
type Step = (report: (result: CheckResult) => void, next: () => void) => void;

function result(id: string, verdict: CheckVerdict, detail: string, advice = ""): CheckResult {
  return { id, verdict, detail, advice };
}

/** The first answer line without its "+XXX:" prefix (or "Revision:"), trimmed; "" when none. */
export function answerValue(response: AtResponse, prefix: string): string {
  if (response.outcome !== "ok") return "";
  for (const line of response.lines) {
    const text = line.trim();
    if (text === "") continue;
    if (text.startsWith(prefix)) return text.slice(prefix.length).trim();
    if (text.startsWith("Revision:")) return text.slice(9).trim();
    return text;
  }
  return "";
}

/** The number in `+CNUM: "Own","+14085550100",145`, or "". */
export function parseCnum(lines: readonly string[]): string {
  for (const line of lines) {
    const match = /^\+CNUM:[^"]*"[^"]*"\s*,\s*"(\+?[0-9]{6,15})"/.exec(line.trim());
    if (match) return match[1]!;
  }
  return "";
}

/** The text of `+CUSD: 0,"Balance 5.00",15`, or undefined. */
export function parseCusd(line: string): string | undefined {
  const match = /^\+CUSD:\s*[0-9]\s*(?:,\s*"([^"]*)")?/.exec(line.trim());
  return match ? (match[1] ?? "") : undefined;
}

/** Advice when a modem variant is known to lack something the tracker needs. */
function variantWarning(model: string): string {
  const upper = model.toUpperCase();
  // SIMCom sells data-only A76xx variants (e.g. A7670E-LNXY) whose SMS support differs by firmware
  if (upper.indexOf("LNXY") >= 0 || upper.indexOf("-FNXV") >= 0) return "this A76xx variant is sold as data-only: SMS may be missing; the loopback check below decides";
  return "";
}

/** Is `mv` a 12 V or 24 V vehicle system's normal voltage? */
function vehicleVerdict(mv: number): CheckResult {
  const volts = (mv / 1000).toFixed(1);
  if (!Number.isFinite(mv)) return result("vehicle-power", "SKIP", "this board does not measure the vehicle supply");
  if ((mv >= 11_500 && mv <= 15_000) || (mv >= 23_000 && mv <= 29_500)) return result("vehicle-power", "PASS", `${volts} V`);
  if (mv < 6000) return result("vehicle-power", "FAIL", `${volts} V`, "no vehicle supply: check the fuse and the permanent (not ignition-switched) +12 V wire and ground");
  return result("vehicle-power", "WARN", `${volts} V`, "outside 11.5-15 V (12 V system) and 23-29.5 V (24 V): check the battery, the wiring and the divider");
}

function batteryVerdict(mv: number): CheckResult {
  const volts = (mv / 1000).toFixed(2);
  if (!Number.isFinite(mv)) return result("backup-battery", "SKIP", "this board does not measure a backup battery");
  if (mv >= 3600) return result("backup-battery", "PASS", `${volts} V`);
  if (mv >= 3300) return result("backup-battery", "WARN", `${volts} V`, "low: leave the unit powered to charge it, then test again");
  return result("backup-battery", "FAIL", `${volts} V`, "missing or flat: fit or replace the Li-ion cell");
}

/**
 * Runs the checks in order. start() reports each result to `onResult` and calls `onDone` with the
 * counts at the end; cancel() stops it (pending timers and watches are dropped).
 */
export class SelfTest {
  readonly #context: SelfTestContext;
  readonly #options: SelfTestOptions;
  readonly #steps: Step[];
  #timer: TimerHandle | undefined;
  #unwatch: (() => void) | undefined;
  #running = false;
  /** The radio technology found by the network check (for the SMS advice). */
  #rat = "";

  constructor(context: SelfTestContext, options: SelfTestOptions = DEFAULT_SELF_TEST_OPTIONS) {
    this.#context = context;
    this.#options = options;
    this.#steps = [
      (report, next) => this.#modem(report, next),
      (report, next) => this.#sim(report, next),
      (report, next) => this.#network(report, next),
      (report, next) => this.#signal(report, next),
      (report, next) => this.#smsCentre(report, next),
      (report, next) => this.#smsStore(report, next),
      (report, next) => this.#loopback(report, next),
      (report, next) => this.#credit(report, next),
      (report, next) => this.#gnssData(report, next),
      (report, next) => this.#gnssFix(report, next),
      (report, next) => {
        const power = this.#context.power();
        report(vehicleVerdict(power.vehicleMv));
        report(batteryVerdict(power.batteryMv));
        next();
      },
    ];
  }

  get running(): boolean {
    return this.#running;
  }

  start(onResult: (result: CheckResult) => void, onDone: (counts: Record<CheckVerdict, number>) => void): void {
    const counts: Record<CheckVerdict, number> = { PASS: 0, WARN: 0, FAIL: 0, SKIP: 0 };
    this.#running = true;
    const report = (r: CheckResult) => {
      if (!this.#running) return;
      counts[r.verdict]++;
      onResult(r);
    };
    let index = 0;
    const next = () => {
      if (!this.#running) return;
      const step = this.#steps[index++];
      if (!step) {
        this.#running = false;
        onDone(counts);
        return;
      }
      step(report, next);
    };
    next();
  }

  cancel(): void {
    this.#running = false;
    this.#context.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#stopWatching();
  }

  #stopWatching(): void {
    const unwatch = this.#unwatch;
    this.#unwatch = undefined;
    unwatch?.();
  }

  /** `then` after `ms`, or sooner when `poll` turns true (checked every second). */
  #waitFor(ms: number, poll: () => boolean, then: (met: boolean) => void): void {
    const { clock } = this.#context;
    const endMs = clock.monotonicMs() + ms;
    const tick = () => {
      this.#timer = undefined;
      if (!this.#running) return;
      if (poll()) return then(true);
      const left = endMs - clock.monotonicMs();
      if (left <= 0) return then(false);
      this.#timer = clock.setTimer(tick, Math.min(1000, left));
    };
    tick();
  }

  #ready(): boolean {
    return this.#context.modemState() === "ready";
  }

  #modem(report: (r: CheckResult) => void, next: () => void): void {
    const state = this.#context.modemState();
    if (state === "off" || state === "failed" || state === "powering-on" || state === "booting") {
      report(result("modem", "FAIL", `the modem does not answer (state ${state})`, "check the modem's power (POWERON, PWRKEY), its UART wiring and the baud rate; wait a minute after power-on and test again"));
      next();
      return;
    }
    this.#context.at("AT+CGMM", QUERY_MS, (model) => {
      this.#context.at("AT+CGMR", QUERY_MS, (revision) => {
        const name = answerValue(model, "+CGMM:");
        const firmware = answerValue(revision, "+CGMR:");
        if (name === "") {
          report(result("modem", "FAIL", "no answer to AT+CGMM", "check the modem's power and UART wiring"));
        } else {
          const warning = variantWarning(name);
          report(result("modem", warning ? "WARN" : "PASS", `${name}, firmware ${firmware || "unknown"}`, warning));
        }
        next();
      });
    });
  }

  #sim(report: (r: CheckResult) => void, next: () => void): void {
    if (this.#context.modemState() === "no-sim") {
      report(result("sim", "FAIL", "no SIM card", "insert a SIM (power off first), contacts down, and check it is activated"));
      next();
      return;
    }
    this.#context.at("AT+CPIN?", QUERY_MS, (response) => {
      let state: string | undefined;
      for (const line of response.lines) state ??= parseCpin(line);
      if (state === "READY") report(result("sim", "PASS", "ready"));
      else if (state !== undefined) report(result("sim", "FAIL", `SIM asks for ${state}`, "set the SIM PIN in the settings, or remove the PIN lock with a phone"));
      else report(result("sim", "FAIL", `no SIM state (${response.error || response.outcome})`, "insert a SIM (power off first) and check it is activated"));
      next();
    });
  }

  #network(report: (r: CheckResult) => void, next: () => void): void {
    const registration = this.#context.registration();
    if (registration !== "home" && registration !== "roaming") {
      const advice = registration === "denied" ? "the network refused the SIM: check it is activated and has a plan" : "no network yet: check the antenna (LTE on the MAIN connector), wait for coverage and test again";
      report(result("network", "FAIL", `not registered (${registration})`, advice));
      next();
      return;
    }
    this.#context.servingCell((cell) => {
      this.#rat = cell?.rat ?? "";
      const rat = this.#rat === "" ? "radio technology unknown" : this.#rat;
      const where = cell ? `, MCC ${cell.mcc} MNC ${cell.mnc}` : "";
      if (registration === "home") report(result("network", "PASS", `home network, ${rat}${where}`));
      else report(result("network", "WARN", `roaming, ${rat}${where}`, "SMS may cost more abroad, and some roaming SIMs cannot receive SMS: the loopback check decides"));
      next();
    });
  }

  #signal(report: (r: CheckResult) => void, next: () => void): void {
    this.#context.at("AT+CSQ", QUERY_MS, (response) => {
      let dbm: number | undefined;
      for (const line of response.lines) dbm ??= parseCsq(line)?.rssiDbm;
      if (dbm === undefined) report(result("signal", "FAIL", "no signal", "check the antenna and its cable; move the antenna away from metal"));
      else if (dbm >= SIGNAL_PASS_DBM) report(result("signal", "PASS", `${dbm} dBm`));
      else report(result("signal", "WARN", `${dbm} dBm (below ${SIGNAL_PASS_DBM} dBm)`, "weak: move the antenna away from metal and the engine, towards a window"));
      next();
    });
  }

  #smsCentre(report: (r: CheckResult) => void, next: () => void): void {
    this.#context.at("AT+CSCA?", QUERY_MS, (response) => {
      let number = "";
      for (const line of response.lines) number ||= parseCsca(line)?.number ?? "";
      if (number !== "") report(result("sms-centre", "PASS", "known"));
      else report(result("sms-centre", "FAIL", "the SIM names no SMS centre", "put the SIM in a phone and send one SMS (it stores the centre), or ask the operator"));
      next();
    });
  }

  #smsStore(report: (r: CheckResult) => void, next: () => void): void {
    this.#context.at("AT+CPMS?", QUERY_MS, (response) => {
      let use: { used: number; total: number } | undefined;
      for (const line of response.lines) use ??= parseCpmsRead(line)?.[0];
      if (!use) report(result("sms-store", "WARN", "the modem did not report its SMS store", "SMS may still work: the loopback check decides"));
      else if (use.used < use.total) report(result("sms-store", "PASS", `${use.used} of ${use.total} used`));
      else report(result("sms-store", "FAIL", `full (${use.used} of ${use.total})`, "the tracker empties it at its next sweep (5 min); if it stays full, delete the messages with a phone"));
      next();
    });
  }

  #loopback(report: (r: CheckResult) => void, next: () => void): void {
    const { context } = { context: this.#context };
    const lteAdvice = this.#rat === "LTE" || this.#rat === "CAT-M" || this.#rat === "NB-IoT"
      ? "; on LTE the operator must deliver SMS over SGs or IMS: ask whether the SIM's plan has it"
      : "";
    const withNumber = (own: string) => {
      if (own === "") {
        report(result("sms-loopback", "SKIP", "the unit's own number is not known", "give it with SET SELFNUMBER <number> (tracker selftest --self-number)"));
        next();
        return;
      }
      if (!this.#ready()) {
        report(result("sms-loopback", "FAIL", "the modem is not ready for SMS", `fix the checks above first${lteAdvice}`));
        next();
        return;
      }
      const token = context.token();
      const text = `Tracker self-test ${token}`;
      let back = false;
      this.#unwatch = context.watchSms((_sender, body) => {
        if (body.indexOf(token) < 0) return false;
        back = true;
        return true;
      });
      const startedMs = context.clock.monotonicMs();
      if (!context.sendSms(own, text)) {
        this.#stopWatching();
        report(result("sms-loopback", "FAIL", "the SMS could not be queued", "try again in a minute"));
        next();
        return;
      }
      this.#waitFor(this.#options.loopbackWithinS * 1000, () => back, (met) => {
        this.#stopWatching();
        const seconds = Math.round((context.clock.monotonicMs() - startedMs) / 1000);
        if (met) report(result("sms-loopback", "PASS", `sent to itself and received in ${seconds} s`));
        else report(result("sms-loopback", "FAIL", `not received within ${this.#options.loopbackWithinS} s`, `check the SIM's plan includes SMS and credit${lteAdvice}`));
        next();
      });
    };
    const own = context.ownNumber();
    if (own !== "" || !this.#ready()) {
      withNumber(own);
      return;
    }
    context.at("AT+CNUM", QUERY_MS, (response) => withNumber(parseCnum(response.lines)));
  }

  #credit(report: (r: CheckResult) => void, next: () => void): void {
    const code = this.#context.ussdCode();
    if (code === "") {
      report(result("credit", "SKIP", "no USSD code given", "for a prepaid SIM give the operator's balance code with SET USSD <code> (e.g. *100#)"));
      next();
      return;
    }
    let answer: string | undefined;
    this.#unwatch = this.#context.watchUrc((line) => {
      const text = parseCusd(line);
      if (text === undefined) return false;
      answer = text;
      return true;
    });
    this.#context.at(`AT+CUSD=1,"${code}",15`, QUERY_MS, (response) => {
      for (const line of response.lines) answer ??= parseCusd(line);
      if (response.outcome !== "ok" && answer === undefined) {
        this.#stopWatching();
        report(result("credit", "WARN", `the modem refused the USSD request (${response.error || response.outcome})`, "check the credit with a phone"));
        next();
        return;
      }
      this.#waitFor(USSD_WAIT_MS, () => answer !== undefined, (met) => {
        this.#stopWatching();
        if (met) report(result("credit", "PASS", `operator says: ${answer!.slice(0, 100)}`, "check the balance covers the SMS the tracker will send"));
        else report(result("credit", "WARN", `no USSD answer within ${USSD_WAIT_MS / 1000} s`, "check the code, or the credit with a phone"));
        next();
      });
    });
  }

  #gnssData(report: (r: CheckResult) => void, next: () => void): void {
    const clock = this.#context.clock;
    const fresh = () => {
      const latest = this.#context.gnssLatest();
      return latest !== undefined && clock.monotonicMs() - latest.receivedAtMs <= GNSS_FRESH_MS;
    };
    this.#waitFor(5000, fresh, (met) => {
      if (met) report(result("gnss-data", "PASS", "NMEA sentences arriving"));
      else report(result("gnss-data", "FAIL", "no NMEA data from the GNSS receiver", "check the receiver's power, its TX to the ESP32's RX pin and the baud rate (9600 for L76K-class)"));
      next();
    });
  }

  #gnssFix(report: (r: CheckResult) => void, next: () => void): void {
    const { clock } = this.#context;
    const startedMs = clock.monotonicMs();
    const valid = () => this.#context.gnssLatest()?.valid === true;
    const limitS = this.#options.fixWithinS;
    this.#waitFor(limitS * 1000, valid, (met) => {
      const fix = this.#context.gnssLatest();
      if (!met || !fix) {
        report(result("gnss-fix", "FAIL", `no fix within ${limitS} s`, "the GNSS antenna needs a view of the sky: under the dashboard top or rear shelf, ceramic side up, not under metal or heated/metallised glass"));
        const seen = fix && fix.satellitesInView >= 0 ? `${fix.satellitesInView} in view` : "none in view";
        report(result("satellites", "FAIL", seen, "check the antenna connection"));
        next();
        return;
      }
      report(result("gnss-fix", "PASS", `fix in ${Math.round((clock.monotonicMs() - startedMs) / 1000)} s`));
      const used = fix.satellitesUsed;
      if (used >= SATELLITES_PASS) report(result("satellites", "PASS", `${used} used`));
      else report(result("satellites", "WARN", used >= 0 ? `${used} used` : "count unknown", `fewer than ${SATELLITES_PASS}: positions may be poor; give the antenna more sky`));
      next();
    });
  }
}

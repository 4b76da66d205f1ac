/**
 * Modem initialisation as data plus a small runner. The base step tables (prepare, SIM check,
 * text- or PDU-mode SMS set-up, storage and indications, registration wait) are frozen data; chip
 * profiles (profiles.ts, modemInitScript) override steps by id and pick the SMS-mode steps; the
 * lifecycle (modem-lifecycle.ts) runs the parts and acts on the result codes (SIM PIN, no SIM, ...).
 * A step whose command is not on the AT allow list (at-allow-list.ts: the AT chat refuses it) ends
 * the run with "refused" at once, so a profile overriding the steps cannot add a data bearer or any
 * other command by mistake. Its state changes are logged at debug level (tag "modem.init"); the
 * lifecycle logs the story at info level (tag "modem").
 */
import type { Clock, Logger, TimerHandle } from "../platform/ports";
import type { AtChat, AtResponse } from "./at-chat";
import { isRegisteredForSms, parseCpin, parseCreg, type RegistrationStatus } from "./at-fields";

/** Runner states, in order of a successful run. */
export type ModemInitState =
  | "idle"
  | "probing"
  | "configuring"
  | "checking-sim"
  | "registering"
  | "configuring-sms"
  | "ready"
  | "failed";

/** How a step's response is judged. */
export type ModemInitCheck = "ok" | "sim-ready" | "registered";

/** One init step (frozen data). */
export interface ModemInitStep {
  /**
   * Stable name of the step ("probe", "echo-off", "sim", "sms-mode", ...), used by chip profiles to
   * override or remove it (see profiles.ts). Optional for ad-hoc scripts.
   */
  id?: string;
  /** State the runner is in while this step runs. */
  phase: ModemInitState;
  /** Command without CR. For "registered" steps, the first of `poll`. */
  command: string;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  /** Extra attempts after a failed one (default 0). */
  retries?: number;
  /** Attempts start at most this often, ms (default 1000). */
  retryIntervalMs?: number;
  /** When true, failure after all retries is logged and the script goes on. */
  optional?: boolean;
  /** How the response is judged (default "ok": outcome must be ok). */
  check?: ModemInitCheck;
  /** "registered" steps: commands polled each round (any SMS-capable stat wins). */
  poll?: readonly string[];
}

/** Probe, echo off, verbose errors: the modem answers and speaks a known dialect. */
export const PREPARE_STEPS: readonly ModemInitStep[] = Object.freeze([
  // The modem may still be booting: probe for ~20 s (attempt every 1 s).
  Object.freeze({ id: "probe", phase: "probing", command: "AT", timeoutMs: 700, retries: 19, retryIntervalMs: 1000 }),
  Object.freeze({ id: "echo-off", phase: "configuring", command: "ATE0", timeoutMs: 1000, retries: 2 }),
  Object.freeze({ id: "errors", phase: "configuring", command: "AT+CMEE=2", timeoutMs: 1000, retries: 2 }),
] as ModemInitStep[]);

/** SIM check. Right after boot: +CME ERROR 14 (SIM busy) is retried; 10/13 a few times; PIN/PUK end the run. */
export const SIM_CHECK_STEP: ModemInitStep = Object.freeze({
  id: "sim",
  phase: "checking-sim",
  command: "AT+CPIN?",
  timeoutMs: 5000,
  retries: 10,
  retryIntervalMs: 1000,
  check: "sim-ready",
} as ModemInitStep);

/** SMS text mode (GSM character set, full headers). A7670: CMGF errors until "SMS DONE": ~20 s of retries. */
export const TEXT_MODE_SMS_STEPS: readonly ModemInitStep[] = Object.freeze([
  Object.freeze({ id: "sms-mode", phase: "configuring-sms", command: "AT+CMGF=1", timeoutMs: 2000, retries: 10, retryIntervalMs: 2000 }),
  Object.freeze({ id: "charset", phase: "configuring-sms", command: 'AT+CSCS="GSM"', timeoutMs: 2000, retries: 3 }),
  // required: the <length> in the headers is how a body is read without taking its lines for modem output
  Object.freeze({ id: "headers", phase: "configuring-sms", command: "AT+CSDH=1", timeoutMs: 2000, retries: 2 }),
] as ModemInitStep[]);

/** SMS PDU mode: no character set or header settings apply. */
export const PDU_MODE_SMS_STEPS: readonly ModemInitStep[] = Object.freeze([
  Object.freeze({ id: "sms-mode", phase: "configuring-sms", command: "AT+CMGF=0", timeoutMs: 2000, retries: 10, retryIntervalMs: 2000 }),
] as ModemInitStep[]);

/** Storage on the SIM and +CMTI indications (mode-independent). */
export const SMS_STORAGE_STEPS: readonly ModemInitStep[] = Object.freeze([
  Object.freeze({ id: "storage", phase: "configuring-sms", command: 'AT+CPMS="SM","SM","SM"', timeoutMs: 5000, retries: 5, retryIntervalMs: 2000 }),
  Object.freeze({ id: "indications", phase: "configuring-sms", command: "AT+CNMI=2,1,0,0,0", timeoutMs: 2000, retries: 3 }),
] as ModemInitStep[]);

/** Registration wait: CREG, CEREG and CGREG are polled; any SMS-capable stat on any of them wins. */
export const REGISTRATION_STEP: ModemInitStep = Object.freeze({
  id: "registration",
  phase: "registering",
  command: "AT+CREG?",
  timeoutMs: 2000,
  check: "registered",
  poll: Object.freeze(["AT+CREG?", "AT+CEREG?", "AT+CGREG?"]),
} as ModemInitStep);

/**
 * The step that turns on the unsolicited reports of one registration read: "AT+CREG?" →
 * "AT+CREG=<n>" (n 1: `+CREG: <stat>` on every change; n 2: with LAC/TAC and cell id too, which
 * the 3GPP serving-cell fallback reads back). Optional and tried once (a modem without that
 * register says ERROR; the health check reads the registers anyway), in the "registering" phase
 * before the wait. Undefined for a command that is not a `?` read of
 * CREG, CGREG or CEREG.
 */
export function registrationReportStep(readCommand: string, n: 1 | 2, timeoutMs: number): ModemInitStep | undefined {
  const kind = readCommand === "AT+CREG?" ? "creg" : readCommand === "AT+CGREG?" ? "cgreg" : readCommand === "AT+CEREG?" ? "cereg" : "";
  if (kind === "") return undefined;
  return Object.freeze({
    id: "reports-" + kind,
    phase: "registering",
    command: readCommand.slice(0, -1) + "=" + n,
    timeoutMs,
    optional: true,
  } as ModemInitStep);
}

/**
 * Init script for SIMCom A7670 / SIM7600 in SMS text mode (GSM character set): prepare, SIM check,
 * SMS set-up, then the registration wait. Chip profiles derive theirs from the same tables
 * (profiles.ts, modemInitScript).
 */
export const SIMCOM_TEXT_MODE_INIT: readonly ModemInitStep[] = Object.freeze([
  ...PREPARE_STEPS,
  SIM_CHECK_STEP,
  ...TEXT_MODE_SMS_STEPS,
  ...SMS_STORAGE_STEPS,
  REGISTRATION_STEP,
]);

/** Options of ModemInit. */
export interface ModemInitOptions {
  /** Give up waiting for SMS-capable registration after this many ms (default 120000). */
  registrationTimeoutMs?: number;
  /** First registration poll interval, ms (default 2000; ×1.5 per round up to 10000). */
  registrationPollMs?: number;
  /** Script to run (default SIMCOM_TEXT_MODE_INIT): chip profiles pass their own. */
  steps?: readonly ModemInitStep[];
}

/** Failure reason when AT never got an answer. */
const SILENT_REASON = "modem not responding to AT";

/**
 * Why a run ended, as a code for callers that act on it: "ok"; "silent" (AT never answered);
 * "sim-pin" / "sim-puk" / "sim-locked" (the SIM wants a PIN, a PUK or another code); "no-sim"
 * (not inserted); "sim-failure"; "not-registered"; "command-failed" (a required step kept failing);
 * "refused" (a step not on the AT allow list); "aborted" (the chat was reset: modem reboot?); "cancelled".
 */
export type ModemInitCode =
  | "ok"
  | "silent"
  | "sim-pin"
  | "sim-puk"
  | "sim-locked"
  | "no-sim"
  | "sim-failure"
  | "not-registered"
  | "command-failed"
  | "refused"
  | "aborted"
  | "cancelled";

/** Outcome of an init run. */
export interface ModemInitResult {
  /** True when the modem is ready for SMS. */
  ok: boolean;
  /** "ready" or why it failed (human-readable, no secrets). */
  reason: string;
  /** True when the modem never answered AT: it may be off (power it on) or on another baud rate. */
  silent: boolean;
  /** Why it ended, as a code. */
  code: ModemInitCode;
}

const TAG = "modem.init";

const REG_BACKOFF_MAX_MS = 10000;

/** Runs an init script once per start(); done is called exactly once per start(). */
export class ModemInit {
  readonly #chat: AtChat;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #steps: readonly ModemInitStep[];
  readonly #registrationTimeoutMs: number;
  readonly #registrationPollMs: number;
  #state: ModemInitState = "idle";
  #done: ((result: ModemInitResult) => void) | null = null;
  /** Incremented per start()/cancel(): callbacks of older runs are ignored. */
  #generation = 0;
  #timer: TimerHandle | undefined = undefined;
  #stepIndex = 0;
  #attempt = 0;
  #attemptStartMs = 0;
  #simNotReadyCount = 0;
  #regStartMs = 0;
  #regDelayMs = 0;
  #regPollIndex = 0;
  #regLast: string[] = [];
  /** Registration reports read by the last registration wait (one per register, latest kept). */
  #regSeen: RegistrationStatus[] = [];

  /** @param options.registrationTimeoutMs default 120000 ms. */
  constructor(chat: AtChat, clock: Clock, log: Logger, options: ModemInitOptions = {}) {
    this.#chat = chat;
    this.#clock = clock;
    this.#log = log;
    this.#steps = options.steps ?? SIMCOM_TEXT_MODE_INIT;
    this.#registrationTimeoutMs = options.registrationTimeoutMs ?? 120000;
    this.#registrationPollMs = options.registrationPollMs ?? 2000;
  }

  /** Current state. */
  get state(): ModemInitState {
    return this.#state;
  }

  /** Run the script from the start; an earlier run still going is cancelled first. */
  start(done: (result: ModemInitResult) => void): void {
    if (this.#done) this.cancel();
    this.#generation++;
    this.#done = done;
    this.#stepIndex = 0;
    this.#transition("idle", "start");
    this.#beginStep();
  }

  /** Stop a run: its done callback gets {ok: false, reason: "cancelled"}. */
  cancel(): void {
    if (!this.#done) return;
    this.#finish(false, "cancelled", "cancelled");
  }

  /**
   * The registration reports the last registration wait read, latest per register (CREG, CEREG,
   * CGREG), in the order first seen; [] before any. The lifecycle seeds its registration from it.
   */
  get registrationSeen(): readonly RegistrationStatus[] {
    return this.#regSeen;
  }

  /** True while a run is going (start() called, done not yet called). */
  get running(): boolean {
    return this.#done !== null;
  }

  #transition(to: ModemInitState, why: string): void {
    const from = this.#state;
    this.#state = to;
    this.#log.log("debug", TAG, from + " → " + to + " (" + why + ")");
  }

  #finish(ok: boolean, reason: string, code: ModemInitCode): void {
    this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#generation++;
    this.#transition(ok ? "ready" : "failed", reason);
    const done = this.#done;
    this.#done = null;
    if (!done) return;
    try {
      done({ ok, reason, silent: code === "silent", code });
    } catch (e) {
      this.#log.log("error", TAG, "done callback threw: " + String(e));
    }
  }

  #beginStep(): void {
    const step = this.#steps[this.#stepIndex];
    if (!step) {
      this.#finish(true, "ready", "ok");
      return;
    }
    if (step.phase !== this.#state) this.#transition(step.phase, step.command);
    this.#attempt = 0;
    this.#simNotReadyCount = 0;
    if (step.check === "registered") {
      this.#regStartMs = this.#clock.monotonicMs();
      this.#regDelayMs = this.#registrationPollMs;
      this.#regLast = [];
      this.#regSeen = [];
      this.#regPollIndex = 0;
      this.#pollRegistration();
      return;
    }
    this.#attemptStep();
  }

  #nextStep(): void {
    this.#stepIndex++;
    this.#beginStep();
  }

  #send(command: string, timeoutMs: number, then: (response: AtResponse) => void): void {
    const generation = this.#generation;
    this.#chat.send({ command, timeoutMs }, (response) => {
      if (generation !== this.#generation) return;
      if (response.outcome === "aborted") {
        this.#finish(false, "aborted during " + command + " (modem reset?)", "aborted");
        return;
      }
      if (response.error === "not allowed") {
        this.#finish(false, "refused a command not on the AT allow list", "refused");
        return;
      }
      then(response);
    });
  }

  #later(delayMs: number, then: () => void): void {
    const generation = this.#generation;
    this.#clock.clearTimer(this.#timer);
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      if (generation === this.#generation) then();
    }, delayMs > 0 ? delayMs : 0);
  }

  #attemptStep(): void {
    const step = this.#steps[this.#stepIndex];
    this.#attemptStartMs = this.#clock.monotonicMs();
    this.#send(step.command, step.timeoutMs, (response) => this.#judge(step, response));
  }

  /** Retry the current step if attempts remain, else fail with `code` (or skip when optional). */
  #retryOrFail(step: ModemInitStep, reason: string, code: ModemInitCode = "command-failed"): void {
    const retries = step.retries ?? 0;
    if (this.#attempt < retries) {
      this.#attempt++;
      const intervalMs = step.retryIntervalMs ?? 1000;
      const elapsedMs = this.#clock.monotonicMs() - this.#attemptStartMs;
      this.#log.log("debug", TAG, step.command + ": " + reason + ", retry " + this.#attempt + "/" + retries);
      this.#later(intervalMs - elapsedMs, () => this.#attemptStep());
      return;
    }
    if (step.optional) {
      this.#log.log("warn", TAG, step.command + " skipped: " + reason);
      this.#nextStep();
      return;
    }
    this.#finish(false, reason, code);
  }

  #judge(step: ModemInitStep, response: AtResponse): void {
    if (step.check === "sim-ready") {
      this.#judgeSim(step, response);
      return;
    }
    if (response.outcome === "ok") {
      this.#nextStep();
      return;
    }
    const silent = step.command === "AT" && response.outcome === "timeout";
    const what = step.command === "AT" ? SILENT_REASON : step.command + " failed";
    this.#retryOrFail(step, what + " (" + describe(response) + ")", silent ? "silent" : "command-failed");
  }

  #judgeSim(step: ModemInitStep, response: AtResponse): void {
    let cpin: string | undefined;
    for (let i = 0; i < response.lines.length && cpin === undefined; i++) cpin = parseCpin(response.lines[i]);
    // READY counts even without OK (some modems omit it).
    if (cpin === "READY" && (response.outcome === "ok" || response.outcome === "timeout")) {
      this.#nextStep();
      return;
    }
    if (cpin !== undefined && response.outcome === "ok") {
      if (cpin === "SIM PIN") this.#finish(false, "SIM PIN required (SIM is PIN-locked; init never sends a PIN)", "sim-pin");
      else if (cpin === "SIM PUK") this.#finish(false, "SIM PUK required (SIM blocked)", "sim-puk");
      else if (cpin === "NOT INSERTED" || cpin === "NOT READY" || cpin === "SIM REMOVED") this.#finish(false, "SIM not inserted (+CPIN: " + cpin + ")", "no-sim");
      else this.#finish(false, "SIM locked: " + cpin, "sim-locked");
      return;
    }
    if (response.outcome === "cme-error") {
      const error = response.error;
      const lower = error.toLowerCase();
      if (error === "14" || lower.indexOf("busy") >= 0) {
        this.#retryOrFail(step, "SIM busy (+CME ERROR: " + error + ")");
        return;
      }
      if (error === "11" || lower === "sim pin required") {
        this.#finish(false, "SIM PIN required (+CME ERROR: " + error + ")", "sim-pin");
        return;
      }
      if (error === "12" || lower === "sim puk required") {
        this.#finish(false, "SIM PUK required (+CME ERROR: " + error + ")", "sim-puk");
        return;
      }
      const notInserted = error === "10" || lower.indexOf("not inserted") >= 0;
      const failure = error === "13" || lower === "sim failure";
      if (notInserted || failure) {
        // Seen for a few seconds after boot: allow 3 attempts, then report.
        this.#simNotReadyCount++;
        const reason = (notInserted ? "SIM not inserted" : "SIM failure") + " (+CME ERROR: " + error + ")";
        const code: ModemInitCode = notInserted ? "no-sim" : "sim-failure";
        if (this.#simNotReadyCount >= 3) this.#finish(false, reason, code);
        else this.#retryOrFail(step, reason, code);
        return;
      }
      this.#finish(false, "SIM check failed (+CME ERROR: " + error + ")", "sim-failure");
      return;
    }
    this.#retryOrFail(step, "SIM check failed (" + describe(response) + ")", "sim-failure");
  }

  #remember(status: RegistrationStatus): void {
    for (let i = 0; i < this.#regSeen.length; i++) {
      if (this.#regSeen[i].kind === status.kind) {
        this.#regSeen[i] = status;
        return;
      }
    }
    this.#regSeen.push(status);
  }

  #pollRegistration(): void {
    const step = this.#steps[this.#stepIndex];
    const poll = step.poll && step.poll.length > 0 ? step.poll : [step.command];
    const command = poll[this.#regPollIndex];
    this.#send(command, step.timeoutMs, (response) => {
      let registered = false;
      let seen = "";
      if (response.outcome === "ok") {
        for (let i = 0; i < response.lines.length; i++) {
          const status = parseCreg(response.lines[i], true);
          if (!status) continue;
          seen = status.kind + " " + status.stat;
          this.#remember(status);
          if (isRegisteredForSms(status.stat)) registered = true;
        }
      }
      this.#regLast[this.#regPollIndex] = seen !== "" ? seen : command.slice(3, -1) + " " + response.outcome;
      if (registered) {
        this.#log.log("info", TAG, "registered: " + seen);
        this.#nextStep();
        return;
      }
      this.#regPollIndex++;
      if (this.#regPollIndex < poll.length) {
        this.#pollRegistration();
        return;
      }
      this.#regPollIndex = 0;
      const elapsedMs = this.#clock.monotonicMs() - this.#regStartMs;
      const remainingMs = this.#registrationTimeoutMs - elapsedMs;
      if (remainingMs <= 0) {
        this.#finish(
          false,
          "not registered for SMS after " + Math.round(elapsedMs / 1000) + " s (" + this.#regLast.join(", ") + ")",
          "not-registered",
        );
        return;
      }
      const delayMs = this.#regDelayMs < remainingMs ? this.#regDelayMs : remainingMs;
      this.#regDelayMs = Math.min(Math.round(this.#regDelayMs * 1.5), REG_BACKOFF_MAX_MS);
      this.#later(delayMs, () => this.#pollRegistration());
    });
  }
}

function describe(response: AtResponse): string {
  return response.error !== "" ? response.outcome + ": " + response.error : response.outcome;
}

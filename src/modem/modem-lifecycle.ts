/**
 * Modem lifecycle: an explicit state machine that brings the modem from "off" to "ready" for SMS
 * and keeps it there, for any of the profiles in profiles.ts.
 *
 *   off → probing ──(AT answers / boot URC)──────────────────────────→ initialising
 *           └─(silent)→ powering-on ─(on pulse)→ booting ─(URC / AT)─→ initialising
 *   initialising ─(+CPIN: SIM PIN, PIN configured)→ sim-pin ─(OK)→ initialising
 *   initialising → configuring-sms → registering → ready
 *   ready ─(N command timeouts)→ recovering: AT retry → AT+CFUN=1,1 → powering-off (off pulse)
 *                                            → powering-on → booting → … or failed
 *   ready ─(RDY / *ATREADY mid-session)→ initialising      ready ─(SIM pulled)→ no-sim
 *   failed / no-sim ─(timer: 30 s doubling to 10 min; no-sim every 60 s or at +CPIN:)→ probing
 *
 * Every change goes through one transition(to, why), logged "from → to (why)" (tag "modem").
 *
 * Power key: pressed only when the modem is silent (AT probed first, a running modem is never
 * toggled blindly); an on press is always followed by a full boot wait, so two on presses never
 * follow each other without the modem being given the chance to answer.
 *
 * SIM PIN: sent only when the SIM asks (+CPIN: SIM PIN) and a PIN is configured; one attempt per
 * modem boot; a refused PIN is never sent again ("SIM PIN wrong", onSimPinRefused). Where the
 * modem tells the attempts left (profile pinAttemptsQuery), the PIN is not sent when only one is
 * left: that last one is a person's. Before the PIN goes out, the attempt is recorded in flash
 * (`simPinAttempt`): an attempt whose outcome never became known (a timeout, an unexpected answer,
 * a reset during it) keeps that record, and no later boot sends the PIN again until a person sets
 * it anew. "SIM PIN required" (none configured), "SIM PIN wrong" and "SIM PUK required" are
 * failures that need a person (`failure.needsPerson`); they are re-checked slowly but never cost a
 * PIN attempt. The PIN never appears in a log line (AtChat hides it, echoes included).
 *
 * Registration while ready: init turns on the registration reports (+CREG / +CEREG / +CGREG URCs);
 * handleUrc and the health check (AT+CSQ, then a read of each register the profile polls) keep
 * `registration` current and call onRegistrationChange when SMS service is lost or back. A lost
 * registration never takes the modem down (SMS simply wait); it is a fact for the app.
 *
 * Serving cell: queryServingCell() reads it the profile's way (serving-cell.ts) while ready and
 * keeps the last one read in `lastServingCell`.
 *
 * Nothing here opens a data bearer: the init runner refuses such steps.
 * Callbacks, not promises; never throws to callers (exceptions from event handlers are logged).
 */
import type { Clock, Logger, OutputPin, TimerHandle } from "../platform/ports";
import type { AtChat, AtOutcome, AtResponse } from "./at-chat";
import {
  atParams,
  isRegisteredForSms,
  parseCpin,
  parseCreg,
  parseCregUrc,
  parseCsq,
  parseScts,
  splitAtFields,
  type RegistrationKind,
  type RegistrationStatus,
} from "./at-fields";
import { ModemInit, type ModemInitResult } from "./modem-init";
import { DEFAULT_MODEM_PROFILE, modemInitScript, type ModemProfile, type PinAttemptsQuery } from "./profiles";
import {
  COPS_NUMERIC_FORMAT,
  COPS_READ,
  SERVING_CELL_COMMANDS,
  firstServingCell,
  parseCpsi,
  parseQengServingCell,
  servingCellFromRegistration,
  type ServingCell,
} from "./serving-cell";

/** Lifecycle states (see the diagram above). */
export type ModemLifecycleState =
  | "off"
  | "probing"
  | "powering-on"
  | "booting"
  | "initialising"
  | "sim-pin"
  | "configuring-sms"
  | "registering"
  | "ready"
  | "recovering"
  | "powering-off"
  | "no-sim"
  | "failed";

/** The app's wall clock, as the lifecycle may set it from AT+CCLK?. */
export interface WallClockHook {
  /** True once a better source (GNSS) has set the clock: then AT+CCLK? is not used. */
  isSet(): boolean;
  /** Set the clock, UTC ms since the epoch. */
  set(utcMs: number): void;
}

/** Options of ModemLifecycle (all optional). */
export interface ModemLifecycleOptions {
  /** Modem dialect (default A7670). */
  profile?: ModemProfile;
  /** PWRKEY output (1 = pressed). Absent: the modem is never pressed (it must be on already). */
  powerKey?: OutputPin;
  /** The configured SIM PIN ("" = none), read when the SIM asks for it. Never logged. */
  simPin?: () => string;
  /** The record in flash of a PIN attempt whose outcome is not known yet (see the module comment). */
  simPinAttempt?: SimPinAttemptRecord;
  /** When given and `isSet()` is false at ready, the clock is set from AT+CCLK?. */
  wallClock?: WallClockHook;
  /** Registration wait before the bring-up fails, ms (default 120000). */
  registrationTimeoutMs?: number;
  /** Consecutive command timeouts while ready that start the recovery ladder (default 3). */
  timeoutsBeforeRecovery?: number;
  /** First retry after a failed bring-up, ms (default 30000; doubles per failure up to slowRetryMs). */
  retryDelayMs?: number;
  /** Retry interval after the recovery ladder or a failure that needs a person, ms (default 600000). */
  slowRetryMs?: number;
  /** Health check (AT+CSQ) interval while ready, ms (default 300000; 0 = off). */
  healthCheckMs?: number;
  /** Re-check interval while the SIM is missing, ms (default 60000). */
  noSimRetryMs?: number;
  /** Clock values from AT+CCLK? before this UTC ms are ignored (modem never synced; default 2024-01-01). */
  minValidUtcMs?: number;
}

/**
 * A SIM PIN attempt written to flash before the PIN is sent, cleared when the SIM answers; set again
 * by a person's new PIN. Kept there, it stops every later boot from sending the PIN.
 */
export interface SimPinAttemptRecord {
  /** True while an attempt's outcome is unknown. */
  unsettled(): boolean;
  /** Record an attempt about to be made; false when it could not be written (then the PIN is not sent). */
  begin(): boolean;
  /** The SIM answered (accepted or refused): the attempt's outcome is known. */
  settle(): void;
}

/** Counters for diagnostics (monotonic since construction). */
export interface ModemLifecycleStats {
  /** Unsolicited modem restarts seen while ready (RDY / *ATREADY / a SIM asking for its PIN again). */
  reboots: number;
  /** Times the modem was ready again after the recovery ladder started. */
  recoveries: number;
  /** Command timeouts while ready (any command on the chat). */
  timeouts: number;
  /** Power-key presses (on and off). */
  powerKeyPulses: number;
  /** AT+CPIN="…" commands sent. */
  pinAttempts: number;
  /** Transitions to "failed". */
  failures: number;
}

/**
 * Network registration as the app sees it: "home" / "roaming" (registered for SMS on some register:
 * 27.007 stat 1, 6, 9 home; 5, 7, 10 roaming), "searching" (stat 0 or 2 on every register),
 * "denied" (stat 3, or 8 emergency only, and none searching), "unknown" (nothing read yet, stat 4,
 * or the modem is not ready).
 */
export type RegistrationState = "home" | "roaming" | "searching" | "denied" | "unknown";

/** Signal strength in words: "excellent", "good", "fair", "poor", "none" or "unknown". */
export type SignalWords = "excellent" | "good" | "fair" | "poor" | "none" | "unknown";

/**
 * Words for a received signal strength in dBm (AT+CSQ's RSSI): ≥ -70 "excellent", ≥ -85 "good",
 * ≥ -100 "fair", ≥ -113 (CSQ 0, the floor it can tell) "poor", below that "none"; NaN, undefined
 * or not a number "unknown".
 */
export function signalWords(dbm: number | undefined): SignalWords {
  if (typeof dbm !== "number" || !Number.isFinite(dbm)) return "unknown";
  if (dbm >= -70) return "excellent";
  if (dbm >= -85) return "good";
  if (dbm >= -100) return "fair";
  if (dbm >= -113) return "poor";
  return "none";
}

/** Registration state from the latest stat of each register (see RegistrationState). */
export function registrationStateOf(stats: readonly number[]): RegistrationState {
  let roaming = false;
  let searching = false;
  let denied = false;
  for (let i = 0; i < stats.length; i++) {
    const stat = stats[i];
    if (stat === 1 || stat === 6 || stat === 9) return "home";
    if (stat === 5 || stat === 7 || stat === 10) roaming = true;
    else if (stat === 0 || stat === 2) searching = true;
    else if (stat === 3 || stat === 8) denied = true;
  }
  if (roaming) return "roaming";
  if (searching) return "searching";
  return denied ? "denied" : "unknown";
}

/** The last failure (state "failed" or "no-sim"). */
export interface ModemFailure {
  /** Human-readable reason, no secrets. */
  reason: string;
  /** True when only a person can fix it (SIM PIN missing or wrong, PUK). */
  needsPerson: boolean;
}

const TAG = "modem";
/** Quick AT probes before pressing the power key (and in recovery): count, timeout and spacing, ms. */
const PROBE_ATTEMPTS = 3;
const PROBE_TIMEOUT_MS = 700;
const PROBE_INTERVAL_MS = 1_000;
/** AT probe spacing while waiting for a boot, ms (1 s, as the init script's own AT probe). */
const BOOT_PROBE_INTERVAL_MS = 1_000;
/** After a power-down URC, wait this long before probing, ms. */
const POWER_DOWN_SETTLE_MS = 2_000;
/** Health check re-run after a timed-out one, ms. */
const HEALTH_RECHECK_MS = 5_000;
/** The first health check after becoming ready (ms): STATUS knows the signal soon after a boot, not 5 min later. */
const FIRST_HEALTH_CHECK_MS = 20_000;
/** A recovery within this long of the previous one starts at the next rung, ms. */
const LADDER_MEMORY_MS = 600_000;
/** 2024-01-01T00:00:00Z: older AT+CCLK? values are a modem that never got network time. */
const DEFAULT_MIN_VALID_UTC_MS = 1_704_067_200_000;
/**
 * 2070-01-01T00:00:00Z: a two-digit year 70 or later is an unsynced modem's 1970-style default
 * ("70/01/01,…"), not a date.
 */
const MAX_VALID_UTC_MS = 3_155_760_000_000;

/** At most this many queryServingCell callbacks wait for one query; more are answered undefined. */
const MAX_CELL_WAITERS = 8;
/** Register kinds, in the order of their stats in #regStats. */
const REG_KIND_ORDER: readonly RegistrationKind[] = Object.freeze(["CREG", "CGREG", "CEREG"] as RegistrationKind[]);

/** Recovery rungs, in order. */
const RUNG_RETRY = 0;
const RUNG_RESET = 1;
const RUNG_POWER_CYCLE = 2;

/** The PIN attempts left from a pinAttemptsQuery response, undefined when it did not say. */
function pinAttemptsLeft(response: AtResponse, query: Readonly<PinAttemptsQuery>): number | undefined {
  if (response.outcome !== "ok") return undefined;
  const line = response.lines.find((l) => l.startsWith(query.prefix));
  const params = line === undefined ? undefined : atParams(line, query.prefix);
  if (params === undefined) return undefined;
  const field = splitAtFields(params)[query.field];
  const left = field === undefined ? NaN : Number(field.trim());
  return Number.isInteger(left) && left >= 0 ? left : undefined;
}

/** True for a SIM PIN the lifecycle may send: 4 to 8 ASCII digits. */
export function isValidSimPin(pin: string): boolean {
  if (typeof pin !== "string" || pin.length < 4 || pin.length > 8) return false;
  for (let i = 0; i < pin.length; i++) {
    const c = pin.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** `+CCLK: "24/03/05,14:30:00+08"` → UTC ms; NaN when absent or malformed. */
export function parseCclk(line: string): number {
  const params = atParams(line, "+CCLK:");
  if (params === undefined) return NaN;
  const fields = splitAtFields(params);
  // Quoted: one field. Unquoted: date and time split at the comma.
  const text = fields.length >= 2 && fields[0].indexOf("/") > 0 ? fields[0] + "," + fields[1] : fields[0];
  return parseScts(text);
}

function isAny(key: string, list: readonly string[]): boolean {
  for (let i = 0; i < list.length; i++) if (key === list[i]) return true;
  return false;
}

/** Brings the modem up, keeps it up, and says so. One instance per modem UART. */
export class ModemLifecycle {
  /** The modem became ready for SMS (after start, a reboot or a recovery). */
  onReady: (() => void) | null = null;
  /** The modem stopped being ready (reboot, timeouts, SIM removed, power down); `reason` is for logs. */
  onLost: ((reason: string) => void) | null = null;
  /** Every state change, with why. */
  onStateChange: ((state: ModemLifecycleState, why: string) => void) | null = null;
  /** The SIM refused the configured PIN: the app should forget it (it is never sent again here). */
  onSimPinRefused: (() => void) | null = null;
  /** Counters. */
  readonly stats: ModemLifecycleStats = { reboots: 0, recoveries: 0, timeouts: 0, powerKeyPulses: 0, pinAttempts: 0, failures: 0 };
  /** Last signal strength from AT+CSQ, dBm; undefined while unknown. */
  signalDbm: number | undefined = undefined;
  /**
   * SMS service was lost (false) or is back (true) while ready, with why (e.g. "+CEREG: 2").
   * Never called for the bring-up itself (onReady says that), except that a loss reported before
   * the modem left ready is answered by true when it is ready again.
   */
  onRegistrationChange: ((registered: boolean, why: string) => void) | null = null;
  /** The serving cell last read by queryServingCell, undefined before any. */
  lastServingCell: ServingCell | undefined = undefined;
  /** Monotonic ms when lastServingCell was read; NaN before any. */
  lastServingCellAtMs = NaN;

  readonly #chat: AtChat;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #profile: ModemProfile;
  readonly #powerKey: OutputPin | undefined;
  readonly #simPin: () => string;
  readonly #pinRecord: SimPinAttemptRecord;
  readonly #wallClock: WallClockHook | undefined;
  readonly #prepare: ModemInit;
  readonly #sms: ModemInit;
  readonly #registration: ModemInit;
  readonly #timeoutsBeforeRecovery: number;
  readonly #retryDelayMs: number;
  readonly #slowRetryMs: number;
  readonly #healthCheckMs: number;
  readonly #noSimRetryMs: number;
  readonly #minValidUtcMs: number;

  #state: ModemLifecycleState = "off";
  #failure: ModemFailure | null = null;
  /** Incremented by every transition: callbacks and timers of older states are ignored. */
  #generation = 0;
  #timer: TimerHandle | undefined = undefined;
  /** Per modem boot: a boot URC was seen, the SMS-ready URC was seen, a PIN was sent. */
  #bootSeen = false;
  #smsReadySeen = false;
  #pinSentThisBoot = false;
  /** A PIN the SIM refused (or whose fate is unknown): never sent again. RAM only. */
  #refusedPin = "";
  /** Waiting in configuring-sms for the SMS-ready URC. */
  #awaitingSmsReady = false;
  #failuresInRow = 0;
  /** Init runs in a row that found the modem silent (the second one fails instead of pressing again). */
  #silentInits = 0;
  #consecutiveTimeouts = 0;
  /** Recovery ladder: rung in use (-1: none), when the ladder last started, set while recovering. */
  #rung = -1;
  #ladderStartedMs = -Infinity;
  #recovering = false;
  /** Power key: last on press (ms) and whether the modem answered since. */
  #lastOnPulseMs = -Infinity;
  #answeredSincePulse = true;
  /** True while the power key is pressed (released by any transition). */
  #keyHeld = false;
  /** Latest stat per register (REG_KIND_ORDER), -1 = not known; valid while ready. */
  readonly #regStats: number[] = [-1, -1, -1];
  /** What onRegistrationChange last said (true: registered); true until a loss is reported. */
  #registeredReported = true;
  /** A read of every register runs to check a loss a URC suggested. */
  #regVerifying = false;
  /** AT+COPS=3,2 answered OK since the last initialisation (the "creg" serving-cell query). */
  #copsNumeric = false;
  /** queryServingCell callbacks waiting for the query in flight. */
  #cellWaiters: Array<(cell: ServingCell | undefined) => void> = [];
  /** Incremented per serving-cell query and when one is abandoned: older answers are ignored. */
  #cellQueryToken = 0;

  /** Takes over `chat.onCommandDone` and sets `chat.extraUrcPrefixes`; feed URCs to handleUrc(). */
  constructor(chat: AtChat, clock: Clock, log: Logger, options: ModemLifecycleOptions = {}) {
    this.#chat = chat;
    this.#clock = clock;
    this.#log = log;
    const profile = options.profile ?? DEFAULT_MODEM_PROFILE;
    this.#profile = profile;
    this.#powerKey = options.powerKey;
    this.#simPin = options.simPin ?? (() => "");
    this.#pinRecord = options.simPinAttempt ?? { unsettled: () => false, begin: () => true, settle: () => {} };
    this.#wallClock = options.wallClock;
    this.#timeoutsBeforeRecovery = options.timeoutsBeforeRecovery ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 30_000;
    this.#slowRetryMs = options.slowRetryMs ?? 600_000;
    this.#healthCheckMs = options.healthCheckMs ?? 300_000;
    this.#noSimRetryMs = options.noSimRetryMs ?? 60_000;
    this.#minValidUtcMs = options.minValidUtcMs ?? DEFAULT_MIN_VALID_UTC_MS;
    const script = modemInitScript(profile);
    const registrationTimeoutMs = options.registrationTimeoutMs ?? 120_000;
    this.#prepare = new ModemInit(chat, clock, log, { steps: script.prepare });
    this.#sms = new ModemInit(chat, clock, log, { steps: script.sms });
    this.#registration = new ModemInit(chat, clock, log, { steps: script.registration, registrationTimeoutMs });
    chat.extraUrcPrefixes = profile.extraUrcPrefixes;
    chat.onCommandDone = (command, outcome) => this.#onCommandDone(command, outcome);
  }

  /** Current state. */
  get state(): ModemLifecycleState {
    return this.#state;
  }

  /** The profile in use. */
  get profile(): ModemProfile {
    return this.#profile;
  }

  /** The last failure while in "failed" / "no-sim"; null otherwise. */
  get failure(): ModemFailure | null {
    return this.#state === "failed" || this.#state === "no-sim" ? this.#failure : null;
  }

  /** Network registration (see RegistrationState); "unknown" while the modem is not ready. */
  get registration(): RegistrationState {
    return this.#state === "ready" ? registrationStateOf(this.#regStats) : "unknown";
  }

  /**
   * Read the serving cell now (the profile's servingCellQuery), then call `then` with it, or with
   * undefined when it could not be read (no service, an error, the modem left ready meanwhile).
   * Only while ready; otherwise `then(undefined)` on the next turn. Calls made while a query runs
   * share its answer. A cell read is kept in lastServingCell / lastServingCellAtMs. Never throws.
   */
  queryServingCell(then: (cell: ServingCell | undefined) => void): void {
    if (typeof then !== "function") return;
    if (this.#state !== "ready" || this.#cellWaiters.length >= MAX_CELL_WAITERS) {
      this.#clock.setTimer(() => this.#emit(() => then(undefined)), 0);
      return;
    }
    this.#cellWaiters.push(then);
    if (this.#cellWaiters.length > 1) return;
    const token = ++this.#cellQueryToken;
    this.#readServingCell((cell) => {
      if (token === this.#cellQueryToken) this.#endCellQuery(cell);
    });
  }

  /** Release the power key and bring the modem up. Once; later calls are ignored. */
  start(): void {
    if (this.#state !== "off") return;
    this.#powerKey?.write(0);
    this.#bringUp("start");
  }

  /**
   * Feed every URC line here (AtChat.onUrc). Returns true when the line was a lifecycle URC (boot,
   * SIM, power); SMS indications return false.
   */
  handleUrc(line: string): boolean {
    const key = line.trim();
    const profile = this.#profile;
    if (key === profile.smsReadyUrc) {
      if (this.#state === "ready" && this.#smsReadySeen) {
        // A second "SMS ready" in one boot: the modem restarted without a RDY we could see (a
        // SIM800 on autobaud prints none) and lost its settings. Set it up again.
        this.stats.reboots++;
        this.#resetBootFlags();
        this.#bootSeen = true;
        this.#smsReadySeen = true;
        this.#initialise("modem restarted (" + key + ")");
        return true;
      }
      this.#onSmsReady();
    }
    if (isAny(key, profile.restartUrcs)) {
      this.#onRestartUrc(key);
      return true;
    }
    if (isAny(key, profile.simRemovedUrcs)) {
      this.#onSimRemoved(key);
      return true;
    }
    if (isAny(key, profile.powerDownUrcs)) {
      this.#onPowerDown(key);
      return true;
    }
    if (key.startsWith("+CPIN:")) {
      this.#onCpinUrc(key);
      return true;
    }
    if (key.startsWith("+CREG:") || key.startsWith("+CEREG:") || key.startsWith("+CGREG:")) {
      const status = parseCregUrc(key);
      if (status) this.#onRegistration(status, key);
      return true;
    }
    if (isAny(key, profile.bootUrcs)) {
      this.#onBootUrc(key);
      return true;
    }
    return false;
  }

  // ----- transitions -----------------------------------------------------------------------------

  #transition(to: ModemLifecycleState, why: string): void {
    const from = this.#state;
    this.#generation++;
    this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#awaitingSmsReady = false;
    this.#prepare.cancel();
    this.#sms.cancel();
    this.#registration.cancel();
    if (this.#keyHeld) this.#release();
    this.#state = to;
    if (from === "ready" && to !== "ready") this.#abandonCellQuery();
    this.#log.log(to === "failed" || to === "no-sim" ? "warn" : "info", TAG, from + " → " + to + " (" + why + ")");
    this.#emit(() => this.onStateChange?.(to, why));
    if (from === "ready" && to !== "ready") this.#emit(() => this.onLost?.(why));
  }

  #emit(call: () => void): void {
    try {
      call();
    } catch (e) {
      this.#log.log("error", TAG, "event handler threw: " + String(e));
    }
  }

  /** Run `then` after `delayMs` unless the state changed meanwhile. */
  #later(delayMs: number, then: () => void): void {
    const generation = this.#generation;
    this.#clock.clearTimer(this.#timer);
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      if (generation === this.#generation) then();
    }, delayMs > 0 ? delayMs : 0);
  }

  /** Send a command; `then` runs only when the state did not change meanwhile. */
  #send(command: string, timeoutMs: number, then: (response: AtResponse) => void): void {
    const generation = this.#generation;
    this.#chat.send({ command, timeoutMs }, (response) => {
      if (generation === this.#generation) then(response);
    });
  }

  #resetBootFlags(): void {
    this.#bootSeen = false;
    this.#smsReadySeen = false;
    this.#pinSentThisBoot = false;
  }

  // ----- bring-up --------------------------------------------------------------------------------

  #bringUp(why: string): void {
    this.#transition("probing", why);
    this.#probe(PROBE_ATTEMPTS, (alive) => {
      if (alive) this.#initialise("modem answers");
      else this.#powerOn("modem silent");
    });
  }

  /** Send AT up to `attempts` times, PROBE_INTERVAL_MS apart; `then(true)` at the first OK. */
  #probe(attempts: number, then: (alive: boolean) => void): void {
    const startedMs = this.#clock.monotonicMs();
    this.#send("AT", PROBE_TIMEOUT_MS, (response) => {
      if (response.outcome === "ok" || response.outcome === "error" || response.outcome === "cme-error") {
        this.#answeredSincePulse = true;
        then(true);
        return;
      }
      if (attempts <= 1) {
        then(false);
        return;
      }
      this.#later(PROBE_INTERVAL_MS - (this.#clock.monotonicMs() - startedMs), () => this.#probe(attempts - 1, then));
    });
  }

  /** Press the power key to switch a silent modem on, then wait for it to boot. */
  #powerOn(why: string): void {
    const key = this.#powerKey;
    if (!key) {
      this.#transition("booting", why + ", no power key wired");
      this.#awaitBoot((reason) => this.#fail(reason, false));
      return;
    }
    const sinceLastMs = this.#clock.monotonicMs() - this.#lastOnPulseMs;
    if (!this.#answeredSincePulse && sinceLastMs < this.#profile.powerKey.bootWaitMs) {
      // Never two on presses in a row without a full boot wait: the second could switch it off.
      this.#transition("booting", why + ", pressed " + Math.round(sinceLastMs / 1000) + " s ago: waiting instead");
      this.#awaitBoot((reason) => this.#fail(reason, false));
      return;
    }
    const pulseMs = this.#profile.powerKey.onPulseMs;
    this.#transition("powering-on", why + ": pressing the power key for " + pulseMs + " ms");
    this.#press(key, pulseMs, () => {
      this.#lastOnPulseMs = this.#clock.monotonicMs();
      this.#answeredSincePulse = false;
      this.#resetBootFlags();
      this.#transition("booting", "power key released");
      this.#awaitBoot((reason) => this.#fail(reason, false));
    });
  }

  #press(key: OutputPin, pulseMs: number, then: () => void): void {
    this.stats.powerKeyPulses++;
    this.#keyHeld = true;
    key.write(1);
    this.#later(pulseMs, () => {
      this.#release();
      then();
    });
  }

  #release(): void {
    this.#keyHeld = false;
    this.#powerKey?.write(0);
  }

  /**
   * State "booting" (or "recovering" after AT+CFUN=1,1): probe AT every 1 s until it answers or a
   * boot URC arrives (handleUrc moves on), for at most the profile's boot wait; then `onSilent`.
   */
  #awaitBoot(onSilent: (reason: string) => void): void {
    const deadlineMs = this.#clock.monotonicMs() + this.#profile.powerKey.bootWaitMs;
    const attempt = (): void => {
      const startedMs = this.#clock.monotonicMs();
      this.#send("AT", PROBE_TIMEOUT_MS, (response) => {
        if (response.outcome === "ok" || response.outcome === "error" || response.outcome === "cme-error") {
          this.#answeredSincePulse = true;
          this.#initialise("modem answers");
          return;
        }
        const nowMs = this.#clock.monotonicMs();
        if (nowMs >= deadlineMs) {
          onSilent("modem not responding " + Math.round(this.#profile.powerKey.bootWaitMs / 1000) + " s after start-up");
          return;
        }
        const waitMs = BOOT_PROBE_INTERVAL_MS - (nowMs - startedMs);
        this.#later(Math.min(waitMs, deadlineMs - nowMs), attempt);
      });
    };
    attempt();
  }

  #initialise(why: string): void {
    this.#answeredSincePulse = true;
    this.#copsNumeric = false; // the modem may have restarted: its settings are gone
    this.#transition("initialising", why);
    const generation = this.#generation;
    this.#prepare.start((result) => {
      if (generation === this.#generation) this.#afterPrepare(result);
    });
  }

  #afterPrepare(result: ModemInitResult): void {
    switch (result.code) {
      case "ok":
        this.#configureSms("SIM ready");
        return;
      case "sim-pin":
        this.#enterPin();
        return;
      case "sim-puk":
        this.#fail("SIM PUK required", true);
        return;
      case "sim-locked":
        this.#fail(result.reason, true);
        return;
      case "no-sim":
        this.#noSim(result.reason);
        return;
      case "silent":
        // It talked (URC or AT) and then went quiet: probably off. Probe and power it on once.
        if (this.#silentInits++ === 0) {
          this.#bringUp("modem stopped answering");
          return;
        }
        this.#fail(result.reason, false);
        return;
      default:
        this.#fail(result.reason, false);
    }
  }

  #enterPin(): void {
    let pin = "";
    try {
      pin = this.#simPin();
    } catch {
      this.#log.log("error", TAG, "simPin hook threw");
    }
    if (typeof pin !== "string" || pin === "") {
      this.#fail("SIM PIN required (no SIM PIN configured)", true);
      return;
    }
    if (!isValidSimPin(pin)) {
      this.#fail("SIM PIN required (the configured SIM PIN is not 4-8 digits)", true);
      return;
    }
    if (pin === this.#refusedPin) {
      this.#fail("SIM PIN wrong (the configured PIN was refused before; it is not tried again)", true);
      return;
    }
    if (this.#pinSentThisBoot) {
      // The SIM still asks after the one attempt of this boot: never try again by ourselves.
      this.#refusedPin = pin;
      this.#fail("SIM PIN not accepted (one attempt per boot)", true);
      return;
    }
    if (this.#pinRecord.unsettled()) {
      this.#fail("SIM PIN not sent: an earlier attempt's outcome is unknown (a person must check the SIM and set the PIN again)", true);
      return;
    }
    this.#transition("sim-pin", "the SIM asks for its PIN");
    const query = this.#profile.pinAttemptsQuery;
    if (!query) {
      this.#sendPin(pin);
      return;
    }
    this.#send(query.command, this.#profile.timeouts.queryMs, (response) => {
      const left = pinAttemptsLeft(response, query);
      if (left !== undefined && left <= 1) {
        this.#fail(`SIM PIN not sent: ${left === 1 ? "only one attempt is left" : "no attempt is left"} (a person must enter it)`, true);
        return;
      }
      this.#sendPin(pin);
    });
  }

  /** Record the attempt in flash, then send the PIN (once this boot). */
  #sendPin(pin: string): void {
    if (!this.#pinRecord.begin()) {
      this.#fail("SIM PIN not sent: the attempt could not be recorded in flash", true);
      return;
    }
    this.#pinSentThisBoot = true;
    this.stats.pinAttempts++;
    this.#send('AT+CPIN="' + pin + '"', this.#profile.timeouts.cpinMs, (response) => {
      if (response.outcome === "ok") {
        this.#pinRecord.settle();
        this.#initialise("PIN accepted");
        return;
      }
      this.#refusedPin = pin;
      const error = response.error.toLowerCase();
      if (response.outcome === "cme-error" && (error === "12" || error.indexOf("puk") >= 0)) {
        this.#pinRecord.settle();
        this.#fail("SIM PUK required", true);
        return;
      }
      if (response.outcome === "cme-error" && (error === "16" || error.indexOf("incorrect") >= 0 || error.indexOf("password") >= 0)) {
        this.#pinRecord.settle();
        this.#emit(() => this.onSimPinRefused?.());
        this.#fail("SIM PIN wrong", true);
        return;
      }
      // Unknown fate (timeout, other error): it may have counted as an attempt, so never resend it
      // (the attempt stays recorded in flash: no later boot sends it either).
      this.#fail("SIM PIN not accepted (" + response.outcome + (response.error ? ": " + response.error : "") + ")", true);
    });
  }

  #configureSms(why: string): void {
    this.#transition("configuring-sms", why);
    if (this.#bootSeen && !this.#smsReadySeen) {
      // A witnessed boot: SMS commands error until the SMS-ready URC (A7670: CMGF before SMS DONE).
      this.#awaitingSmsReady = true;
      this.#later(this.#profile.smsReadyWaitMs, () => {
        this.#log.log("info", TAG, "no '" + this.#profile.smsReadyUrc + "' yet; configuring SMS anyway");
        this.#runSmsSteps();
      });
      return;
    }
    this.#runSmsSteps();
  }

  #onSmsReady(): void {
    this.#smsReadySeen = true;
    if (this.#state === "configuring-sms" && this.#awaitingSmsReady) this.#runSmsSteps();
  }

  #runSmsSteps(): void {
    this.#awaitingSmsReady = false;
    this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const generation = this.#generation;
    this.#sms.start((result) => {
      if (generation !== this.#generation) return;
      if (result.ok) this.#register();
      else this.#fail(result.reason, false);
    });
  }

  #register(): void {
    this.#transition("registering", "SMS configured (" + this.#profile.smsMode + " mode)");
    const generation = this.#generation;
    this.#registration.start((result) => {
      if (generation !== this.#generation) return;
      if (result.ok) this.#becomeReady();
      else this.#fail(result.reason, false);
    });
  }

  #becomeReady(): void {
    const recovered = this.#recovering;
    this.#recovering = false;
    this.#failuresInRow = 0;
    this.#silentInits = 0;
    this.#consecutiveTimeouts = 0;
    if (recovered) this.stats.recoveries++;
    this.#regVerifying = false;
    this.#seedRegistration(this.#registration.registrationSeen);
    this.#transition("ready", recovered ? "recovered" : "registered for SMS");
    this.#emit(() => this.onReady?.());
    if (!this.#registeredReported) {
      this.#registeredReported = true;
      this.#emit(() => this.onRegistrationChange?.(true, "registered for SMS (modem ready)"));
    }
    this.#syncClock();
    this.#scheduleHealthCheck(Math.min(FIRST_HEALTH_CHECK_MS, this.#healthCheckMs));
  }

  // ----- failures --------------------------------------------------------------------------------

  /** Enter "failed" and retry later: 30 s doubling to 10 min, or 10 min at once when `slow`. */
  #fail(reason: string, needsPerson: boolean, slow = false): void {
    this.#failure = { reason, needsPerson };
    this.stats.failures++;
    this.#recovering = false;
    let delayMs = this.#slowRetryMs;
    if (!needsPerson && !slow) {
      delayMs = this.#retryDelayMs;
      for (let i = 0; i < this.#failuresInRow && delayMs < this.#slowRetryMs; i++) delayMs *= 2;
      if (delayMs > this.#slowRetryMs) delayMs = this.#slowRetryMs;
    }
    // After the ladder (or a person-needing failure) stay slow until the modem is ready again.
    this.#failuresInRow = slow || needsPerson ? 32 : this.#failuresInRow + 1;
    this.#transition("failed", reason);
    this.#log.log("info", TAG, (needsPerson ? "needs a person; " : "") + "next attempt in " + Math.round(delayMs / 1000) + " s");
    this.#later(delayMs, () => this.#bringUp("retry after failure"));
  }

  #noSim(reason: string): void {
    this.#failure = { reason, needsPerson: true };
    this.#recovering = false;
    this.#transition("no-sim", reason);
    this.#later(this.#noSimRetryMs, () => this.#bringUp("checking for a SIM again"));
  }

  // ----- URCs ------------------------------------------------------------------------------------

  #onRestartUrc(key: string): void {
    const state = this.#state;
    if (state === "off") return;
    const wasReady = state === "ready";
    if (wasReady) this.stats.reboots++;
    this.#resetBootFlags();
    this.#bootSeen = true;
    this.#initialise(wasReady ? "modem rebooted" : "modem started (" + key + ")");
  }

  #onBootUrc(key: string): void {
    const state = this.#state;
    if (state === "probing" || state === "booting" || state === "powering-on" || state === "powering-off" || state === "recovering") {
      // A modem that talks is on: never press its key now.
      this.#bootSeen = true;
      this.#initialise("modem started (" + key + ")");
      return;
    }
  }

  #onCpinUrc(key: string): void {
    const state = this.#state;
    const cpin = parseCpin(key);
    if (cpin === undefined) return;
    if (cpin === "READY") {
      if (state === "no-sim") this.#bringUp("SIM inserted");
      else this.#onBootUrc(key);
      return;
    }
    if (cpin === "NOT INSERTED" || cpin === "NOT READY" || cpin === "SIM REMOVED") {
      this.#onSimRemoved(key); // quoted or other spellings of the profile's lines
      return;
    }
    if (state === "no-sim") {
      this.#bringUp("SIM inserted");
      return;
    }
    if (state === "ready") {
      // The SIM asks for a code again: the modem restarted without a RDY we could see.
      this.stats.reboots++;
      this.#resetBootFlags();
      this.#initialise("modem restarted (" + key + ")");
      return;
    }
    this.#onBootUrc(key);
  }

  #onSimRemoved(key: string): void {
    const state = this.#state;
    // Only once the SIM was seen ready: during boot and init such lines can be transient, and the
    // init's own SIM check reports a missing SIM anyway.
    if (state !== "ready" && state !== "configuring-sms" && state !== "registering") return;
    this.#noSim("SIM removed (" + key + ")");
  }

  #onPowerDown(key: string): void {
    const state = this.#state;
    if (state === "off" || state === "powering-off") return;
    this.#transition("probing", "modem powered down (" + key + ")");
    this.#later(POWER_DOWN_SETTLE_MS, () => this.#bringUp("power down settled"));
  }

  // ----- while ready -----------------------------------------------------------------------------

  #onCommandDone(_command: string, outcome: AtOutcome): void {
    if (outcome === "aborted") return;
    if (outcome !== "timeout") {
      this.#consecutiveTimeouts = 0;
      return;
    }
    if (this.#state !== "ready") return;
    this.stats.timeouts++;
    this.#consecutiveTimeouts++;
    if (this.#consecutiveTimeouts < this.#timeoutsBeforeRecovery) return;
    const count = this.#consecutiveTimeouts;
    this.#consecutiveTimeouts = 0;
    // Leave the chat's completion first; recover on the next tick.
    this.#later(0, () => this.#recover(count + " command timeouts in a row"));
  }

  #scheduleHealthCheck(delayMs: number): void {
    if (this.#healthCheckMs <= 0) return;
    this.#later(delayMs, () => {
      this.#send("AT+CSQ", this.#profile.timeouts.queryMs, (response) => {
        if (response.outcome === "ok") {
          for (let i = 0; i < response.lines.length; i++) {
            const csq = parseCsq(response.lines[i]);
            if (csq) this.signalDbm = csq.rssiDbm;
          }
        }
        if (response.outcome === "timeout") {
          this.#scheduleHealthCheck(HEALTH_RECHECK_MS);
          return;
        }
        this.#checkRegistration(() => this.#scheduleHealthCheck(this.#healthCheckMs));
      });
    });
  }

  /** Read the profile's registers in turn (index onwards), recording each stat, then `then`. */
  #readRegistration(index: number, then: () => void): void {
    const poll = this.#profile.registrationPoll;
    if (index >= poll.length) {
      then();
      return;
    }
    const command = poll[index];
    this.#send(command, this.#profile.timeouts.queryMs, (response) => {
      if (response.outcome === "timeout") {
        then(); // a silent modem: the timeout count, not this read, decides what happens
        return;
      }
      if (response.outcome === "ok") {
        for (let i = 0; i < response.lines.length; i++) {
          const status = parseCreg(response.lines[i], true);
          if (status) this.#recordRegistration(status);
        }
      }
      this.#readRegistration(index + 1, then);
    });
  }

  /** Health check: read every register, then judge once. */
  #checkRegistration(then: () => void): void {
    this.#readRegistration(0, () => {
      this.#judgeRegistration("health check", true);
      then();
    });
  }

  /** Start from what the init's registration wait read (the others unknown until read or reported). */
  #seedRegistration(seen: readonly RegistrationStatus[]): void {
    for (let k = 0; k < this.#regStats.length; k++) this.#regStats[k] = -1;
    for (let i = 0; i < seen.length; i++) this.#recordRegistration(seen[i]);
    if (registrationStateOf(this.#regStats) === "unknown") this.#regStats[0] = 1; // ready means registered
  }

  #recordRegistration(status: RegistrationStatus): void {
    const k = REG_KIND_ORDER.indexOf(status.kind);
    if (k >= 0) this.#regStats[k] = status.stat;
  }

  /** A registration URC: record it and judge. */
  #onRegistration(status: RegistrationStatus, why: string): void {
    this.#recordRegistration(status);
    this.#judgeRegistration(why, false);
  }

  /**
   * While ready, tell the app when SMS service is lost or back. A loss seen on some registers while
   * others were never read (the registration wait stops at the first registered one) is checked by
   * reading them all first (`verified` false), so an LTE modem's idle CREG does not count as a loss.
   */
  #judgeRegistration(why: string, verified: boolean): void {
    if (this.#state !== "ready") return;
    let registered = false;
    let unknown = false;
    for (let i = 0; i < this.#regStats.length; i++) {
      if (isRegisteredForSms(this.#regStats[i])) registered = true;
      if (this.#regStats[i] < 0) unknown = true;
    }
    if (registered === this.#registeredReported) return;
    if (!registered && unknown && !verified) {
      if (this.#regVerifying) return;
      this.#regVerifying = true;
      this.#readRegistration(0, () => {
        this.#regVerifying = false;
        this.#judgeRegistration(why, true);
      });
      return;
    }
    this.#registeredReported = registered;
    this.#log.log(registered ? "info" : "warn", TAG, (registered ? "registered again" : "registration lost") + " (" + why + "): " + registrationStateOf(this.#regStats));
    this.#emit(() => this.onRegistrationChange?.(registered, why));
  }

  /** Read the serving cell the profile's way; `done` gets it or undefined (not called if the state changes). */
  #readServingCell(done: (cell: ServingCell | undefined) => void): void {
    const queryMs = this.#profile.timeouts.queryMs;
    const kind = this.#profile.servingCellQuery;
    if (kind === "cpsi" || kind === "qeng") {
      const parse = kind === "cpsi" ? parseCpsi : parseQengServingCell;
      this.#send(SERVING_CELL_COMMANDS[kind], queryMs, (response) => done(response.outcome === "ok" ? firstServingCell(response.lines, parse) : undefined));
      return;
    }
    // 3GPP: the operator as digits (AT+COPS=3,2 once per modem start), then the registers in turn.
    const readOperator = (): void => {
      this.#send(COPS_READ, queryMs, (cops) => {
        const copsLine = cops.outcome === "ok" ? cops.lines.find((l) => l.startsWith("+COPS:")) : undefined;
        if (copsLine === undefined) {
          done(undefined);
          return;
        }
        this.#readRegisteredCell(0, copsLine, done);
      });
    };
    if (this.#copsNumeric) {
      readOperator();
      return;
    }
    this.#send(COPS_NUMERIC_FORMAT, queryMs, (response) => {
      if (response.outcome !== "ok") {
        done(undefined);
        return;
      }
      this.#copsNumeric = true;
      readOperator();
    });
  }

  /** The "creg" query: read register `index` of the poll list; the first with a cell wins. */
  #readRegisteredCell(index: number, copsLine: string, done: (cell: ServingCell | undefined) => void): void {
    const poll = this.#profile.registrationPoll;
    if (index >= poll.length) {
      done(undefined);
      return;
    }
    this.#send(poll[index], this.#profile.timeouts.queryMs, (response) => {
      if (response.outcome === "ok") {
        for (let i = 0; i < response.lines.length; i++) {
          const found = servingCellFromRegistration(response.lines[i], copsLine);
          if (found) {
            done(found);
            return;
          }
        }
      }
      if (response.outcome === "timeout") done(undefined);
      else this.#readRegisteredCell(index + 1, copsLine, done);
    });
  }

  #endCellQuery(cell: ServingCell | undefined): void {
    if (cell) {
      this.lastServingCell = cell;
      this.lastServingCellAtMs = this.#clock.monotonicMs();
    }
    const waiters = this.#cellWaiters;
    this.#cellWaiters = [];
    for (let i = 0; i < waiters.length; i++) {
      const then = waiters[i];
      this.#emit(() => then(cell));
    }
  }

  /** The modem left ready during a serving-cell query: its answer is ignored; the callers get undefined next turn. */
  #abandonCellQuery(): void {
    if (this.#cellWaiters.length === 0) return;
    this.#cellQueryToken++;
    this.#clock.setTimer(() => this.#endCellQuery(undefined), 0);
  }

  /** Set the wall clock from AT+CCLK? when nothing better (GNSS) has set it. */
  #syncClock(): void {
    const hook = this.#wallClock;
    if (!hook || hook.isSet()) return;
    this.#send("AT+CCLK?", this.#profile.timeouts.queryMs, (response) => {
      if (response.outcome !== "ok" || hook.isSet()) return;
      for (let i = 0; i < response.lines.length; i++) {
        const utcMs = parseCclk(response.lines[i]);
        if (!Number.isFinite(utcMs)) continue;
        if (utcMs < this.#minValidUtcMs || utcMs >= MAX_VALID_UTC_MS) {
          this.#log.log("info", TAG, "modem clock not set by the network; ignored");
          return;
        }
        this.#emit(() => hook.set(utcMs));
        this.#log.log("info", TAG, "wall clock set from the modem (AT+CCLK?)");
        return;
      }
    });
  }

  // ----- recovery ladder -------------------------------------------------------------------------

  /** Retry → AT+CFUN=1,1 → power-key cycle → failed (slow retry). Repeats within 10 min climb on. */
  #recover(why: string): void {
    const nowMs = this.#clock.monotonicMs();
    const rung = nowMs - this.#ladderStartedMs < LADDER_MEMORY_MS ? this.#rung + 1 : RUNG_RETRY;
    this.#ladderStartedMs = nowMs;
    this.#recovering = true;
    this.#climb(rung, why);
  }

  #climb(rung: number, why: string): void {
    this.#rung = rung;
    if (rung <= RUNG_RETRY) {
      this.#transition("recovering", why + ": checking with AT");
      this.#recovering = true;
      this.#probe(PROBE_ATTEMPTS, (alive) => {
        if (alive) this.#initialise("modem answers again");
        else this.#climb(RUNG_RESET, "no answer to AT");
      });
      return;
    }
    if (rung === RUNG_RESET) {
      this.#transition("recovering", why + ": AT+CFUN=1,1");
      this.#recovering = true;
      this.#send("AT+CFUN=1,1", this.#profile.timeouts.cfunMs, () => {
        this.#resetBootFlags();
        this.#awaitBoot(() => this.#climb(RUNG_POWER_CYCLE, "no answer after AT+CFUN=1,1"));
      });
      return;
    }
    const key = this.#powerKey;
    if (rung > RUNG_POWER_CYCLE || !key) {
      this.#rung = RUNG_POWER_CYCLE;
      this.#fail("modem not responding (" + why + (key ? "" : "; no power key wired") + ")", false, true);
      return;
    }
    const timing = this.#profile.powerKey;
    this.#transition("powering-off", why + ": power-key cycle, off press " + timing.offPulseMs + " ms");
    this.#recovering = true;
    this.#press(key, timing.offPulseMs, () => {
      this.#later(timing.offSettleMs, () => {
        this.#probe(1, (alive) => {
          if (alive) {
            this.#initialise("modem answers after the off press");
            return;
          }
          this.#answeredSincePulse = true; // the off press is not an on press
          this.#powerOnForRecovery();
        });
      });
    });
  }

  #powerOnForRecovery(): void {
    const key = this.#powerKey!;
    const pulseMs = this.#profile.powerKey.onPulseMs;
    this.#transition("powering-on", "power-key cycle: on press " + pulseMs + " ms");
    this.#recovering = true;
    this.#press(key, pulseMs, () => {
      this.#lastOnPulseMs = this.#clock.monotonicMs();
      this.#answeredSincePulse = false;
      this.#resetBootFlags();
      this.#transition("booting", "power key released");
      this.#recovering = true;
      this.#awaitBoot((reason) => this.#fail("modem not responding after AT+CFUN=1,1 and a power-key cycle (" + reason + ")", false, true));
    });
  }
}

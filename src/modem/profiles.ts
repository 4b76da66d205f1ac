/**
 * Modem profiles: the six dialects this firmware speaks (SIMCom A7670, SIM7600, SIM7000, SIM800;
 * Quectel EG25, BG96) as frozen data — boot URCs, power-key timing, command timeouts, init-step
 * overrides, extra URC prefixes and the SMS mode. No subclasses: the lifecycle (modem-lifecycle.ts)
 * and the init runner (modem-init.ts) read these tables.
 *
 * Sources: shared/reference/corpora.md §3.6-3.12 (boot URCs §3.10, power key §3.11, timeouts
 * §3.12), the modules' AT manuals and Hardware Design documents summarised there.
 */
import {
  PDU_MODE_SMS_STEPS,
  PREPARE_STEPS,
  REGISTRATION_STEP,
  registrationReportStep,
  SIM_CHECK_STEP,
  SMS_STORAGE_STEPS,
  TEXT_MODE_SMS_STEPS,
  type ModemInitStep,
} from "./modem-init";
import type { ServingCellQuery } from "./serving-cell";

/** Names of the supported modems. */
export type ModemProfileName = "A7670" | "SIM7600" | "SIM7000" | "SIM800" | "EG25" | "BG96";

/** How SMS are exchanged with the modem: AT+CMGF=1 (text) or AT+CMGF=0 (PDU). */
export type SmsMode = "text" | "pdu";

/** PWRKEY timing (the pin is written 1 = pressed, 0 = released; the board inverts if needed). */
export interface PowerKeyTiming {
  /** Press that switches the modem on, ms. Always shorter than the off press. */
  onPulseMs: number;
  /** Press that switches a running modem off, ms. */
  offPulseMs: number;
  /** After the on press: wait this long for a boot URC or an AT answer, ms. */
  bootWaitMs: number;
  /** After the off press: wait this long before pressing again, ms. */
  offSettleMs: number;
}

/** Maximum response times the firmware waits for, ms (manuals' "Max Response Time", corpora §3.12). */
export interface CommandTimeouts {
  /** AT+CMGS (prompt, text and network submission). */
  cmgsMs: number;
  /** AT+CMGL (listing a full store). */
  cmglMs: number;
  /** AT+CMGR. */
  cmgrMs: number;
  /** AT+CMGD. */
  cmgdMs: number;
  /** AT+CFUN (incl. AT+CFUN=1,1 before its OK). */
  cfunMs: number;
  /** AT+CPIN? and AT+CPIN="…". */
  cpinMs: number;
  /** Short queries (AT+CSQ, AT+CCLK?, AT). */
  queryMs: number;
}

/** Per-profile changes to the base init script: replace fields of a step by id, or remove it (null). */
export type StepOverrides = Readonly<Record<string, Readonly<Partial<ModemInitStep>> | null>>;

/** One modem dialect (frozen). */
export interface ModemProfile {
  /** Profile name ("A7670", ...). */
  name: ModemProfileName;
  /** Maker, for logs. */
  vendor: "SIMCom" | "Quectel";
  /** Unsolicited lines at power-up, in their usual order (corpora §3.10). */
  bootUrcs: readonly string[];
  /** Lines that mean "the modem has just (re)started" (mid-session: an unsolicited reboot). */
  restartUrcs: readonly string[];
  /** The boot URC after which SMS commands work (e.g. "SMS DONE"). */
  smsReadyUrc: string;
  /** Lines that mean the SIM is gone (card pulled, contact lost). */
  simRemovedUrcs: readonly string[];
  /** Lines that mean the modem is switching itself off. */
  powerDownUrcs: readonly string[];
  /** After a witnessed boot, wait at most this long for `smsReadyUrc` before configuring SMS, ms. */
  smsReadyWaitMs: number;
  /** PWRKEY timing. */
  powerKey: Readonly<PowerKeyTiming>;
  /** Command timeouts. */
  timeouts: Readonly<CommandTimeouts>;
  /** URC prefixes beyond AT_URC_PREFIXES (given to AtChat.extraUrcPrefixes). */
  extraUrcPrefixes: readonly string[];
  /** SMS mode. Every profile says "text" until the SMS inbox/outbox speak PDU. */
  smsMode: SmsMode;
  /**
   * Registration commands polled in turn (any SMS-capable stat on any of them wins). Init turns on
   * each one's unsolicited reports (AT+CxREG=1, or =2 with servingCellQuery "creg") so a lost
   * registration is seen while ready.
   */
  registrationPoll: readonly string[];
  /**
   * How the serving cell is read (serving-cell.ts): "cpsi" SIMCom AT+CPSI?, "qeng" Quectel
   * AT+QENG="servingcell", "creg" the 3GPP registration read with <n>=2 plus AT+COPS? numeric.
   */
  servingCellQuery: ServingCellQuery;
  /** Overrides of the base steps by id (see modemInitScript). */
  stepOverrides: StepOverrides;
  /** Extra steps, each inserted after the last base step of its phase. */
  extraSteps: readonly ModemInitStep[];
  /**
   * How the modem tells the SIM PIN attempts left, when it can (SIMCom AT+SPIC: "+SPIC: <pin1>,
   * <puk1>,..."; Quectel AT+QPINC="SC": "+QPINC: "SC",<pin>,<puk>"): the command, the response
   * prefix and the index of the PIN counter among the fields after it. Absent: not asked.
   */
  pinAttemptsQuery?: Readonly<PinAttemptsQuery>;
  /**
   * How the modem's own GNSS is switched on with its NMEA sent to the AT UART (boards whose GNSS is
   * inside the modem: board option gnssSource "modem"), in order; absent: this firmware cannot use
   * the modem's GNSS. Run after every bring-up (modem-gnss.ts).
   */
  gnssOn?: readonly GnssOnStep[];
}

/**
 * One command of a profile's GNSS switch-on. A query step (`query`) only reads: its response lines
 * decide whether the next step is needed (`skipIfLine`: skipped when the query answered a line
 * starting with this). `errorOk`: an ERROR answer is normal (e.g. SIM7600 AT+CGPS=1 while the
 * GNSS is already on) and does not stop the sequence.
 */
export interface GnssOnStep {
  command: string;
  timeoutMs: number;
  query?: boolean;
  skipIfLine?: string;
  errorOk?: boolean;
}

/** A command that reports the SIM PIN attempts left (see ModemProfile.pinAttemptsQuery). */
export interface PinAttemptsQuery {
  command: string;
  prefix: string;
  field: number;
}

const SIMCOM_PIN_ATTEMPTS: Readonly<PinAttemptsQuery> = Object.freeze({ command: "AT+SPIC", prefix: "+SPIC:", field: 0 });
const QUECTEL_PIN_ATTEMPTS: Readonly<PinAttemptsQuery> = Object.freeze({ command: 'AT+QPINC="SC"', prefix: "+QPINC:", field: 1 });

const SIMCOM_TIMEOUTS: Readonly<CommandTimeouts> = Object.freeze({
  cmgsMs: 60_000,
  cmglMs: 20_000,
  cmgrMs: 5_000,
  cmgdMs: 5_000,
  cfunMs: 15_000,
  cpinMs: 5_000,
  queryMs: 2_000,
});

const QUECTEL_TIMEOUTS: Readonly<CommandTimeouts> = Object.freeze({
  cmgsMs: 120_000,
  cmglMs: 20_000,
  cmgrMs: 5_000,
  cmgdMs: 5_000,
  cfunMs: 15_000,
  cpinMs: 5_000,
  queryMs: 2_000,
});

const NO_OVERRIDES: StepOverrides = Object.freeze({});
const NO_STEPS: readonly ModemInitStep[] = Object.freeze([]);
const NO_PREFIXES: readonly string[] = Object.freeze([]);
const POWER_DOWN_URCS: readonly string[] = Object.freeze([
  "NORMAL POWER DOWN",
  "POWERED DOWN",
  "UNDER-VOLTAGE POWER DOWN",
  "OVER-VOLTAGE POWER DOWN",
]);
const SIM_REMOVED_URCS: readonly string[] = Object.freeze([
  "+CPIN: NOT INSERTED",
  "+CPIN: NOT READY",
  "+CPIN: SIM REMOVED",
  "+SIMCARD: NOT AVAILABLE",
]);
const REG_ALL: readonly string[] = Object.freeze(["AT+CREG?", "AT+CEREG?", "AT+CGREG?"]);
/** LTE-M / NB-IoT first: there CREG often stays 0 while CEREG is 1. */
const REG_LTE_FIRST: readonly string[] = Object.freeze(["AT+CEREG?", "AT+CREG?", "AT+CGREG?"]);
/** 2G only: no EPS registration. */
const REG_2G: readonly string[] = Object.freeze(["AT+CREG?", "AT+CGREG?"]);

/**
 * Quectel main-UART modules send URCs to USB by default: route them to the UART (optional, as
 * firmware versions differ).
 */
const QUECTEL_URC_PORT: ModemInitStep = Object.freeze({
  id: "urc-port",
  phase: "configuring",
  command: 'AT+QURCCFG="urcport","uart1"',
  timeoutMs: 1000,
  retries: 1,
  optional: true,
} as ModemInitStep);

/**
 * SIM7500/SIM7600 AT manual (GPS commands): AT+CGPS=1 starts the GNSS session (ERROR when a session
 * runs already: asked with AT+CGPS? first), AT+CGNSSPORTSWITCH=<parsed>,<nmea> with nmea 1 = the
 * UART, AT+CGNSSTST=1 sends the NMEA sentences to the AT port.
 */
const SIM7600_GNSS_ON: readonly GnssOnStep[] = Object.freeze([
  Object.freeze({ command: "AT+CGPS?", timeoutMs: 2_000, query: true }),
  Object.freeze({ command: "AT+CGPS=1", timeoutMs: 9_000, skipIfLine: "+CGPS: 1", errorOk: true }),
  Object.freeze({ command: "AT+CGNSSPORTSWITCH=0,1", timeoutMs: 2_000 }),
  Object.freeze({ command: "AT+CGNSSTST=1", timeoutMs: 2_000 }),
]);

/**
 * SIM7000 AT manual (GNSS application note): AT+CGNSPWR=1 powers the GNSS, AT+CGNSTST=1 sends the
 * data received from the GNSS to the AT UART.
 */
const SIM7000_GNSS_ON: readonly GnssOnStep[] = Object.freeze([
  Object.freeze({ command: "AT+CGNSPWR=1", timeoutMs: 2_000 }),
  Object.freeze({ command: "AT+CGNSTST=1", timeoutMs: 2_000 }),
]);

/** SIMCom A7670 / A76xx (LilyGO T-A7670): CMGF errors until SMS DONE. */
export const A7670: ModemProfile = Object.freeze({
  name: "A7670",
  vendor: "SIMCom",
  bootUrcs: Object.freeze(["*ATREADY: 1", "+CPIN: READY", "SMS DONE", "PB DONE"]),
  // RDY is accepted too (other SIMCom firmware sends it; it never means anything else).
  restartUrcs: Object.freeze(["*ATREADY: 1", "RDY"]),
  smsReadyUrc: "SMS DONE",
  simRemovedUrcs: SIM_REMOVED_URCS,
  powerDownUrcs: POWER_DOWN_URCS,
  smsReadyWaitMs: 30_000,
  // A76xx HD: on ≥ 50 ms (1 s used, as LilyGO's examples), off ≥ 2.5 s.
  powerKey: Object.freeze({ onPulseMs: 1_000, offPulseMs: 3_000, bootWaitMs: 20_000, offSettleMs: 5_000 }),
  timeouts: SIMCOM_TIMEOUTS,
  extraUrcPrefixes: Object.freeze(["+SIMCARD:"]),
  smsMode: "pdu",
  registrationPoll: REG_ALL,
  servingCellQuery: "cpsi",
  stepOverrides: NO_OVERRIDES,
  extraSteps: NO_STEPS,
  pinAttemptsQuery: SIMCOM_PIN_ATTEMPTS,
} as ModemProfile);

/** SIMCom SIM7600 (LTE Cat-1/Cat-4). */
export const SIM7600: ModemProfile = Object.freeze({
  name: "SIM7600",
  vendor: "SIMCom",
  bootUrcs: Object.freeze(["RDY", "+CPIN: READY", "SMS DONE", "PB DONE"]),
  restartUrcs: Object.freeze(["RDY"]),
  smsReadyUrc: "SMS DONE",
  simRemovedUrcs: SIM_REMOVED_URCS,
  powerDownUrcs: POWER_DOWN_URCS,
  smsReadyWaitMs: 30_000,
  // SIM7600 HD: on ≥ 100 ms (typ. 500 ms; 1 s used), off ≥ 2.5 s; UART ready after ~12 s.
  powerKey: Object.freeze({ onPulseMs: 1_000, offPulseMs: 3_000, bootWaitMs: 25_000, offSettleMs: 5_000 }),
  timeouts: SIMCOM_TIMEOUTS,
  extraUrcPrefixes: Object.freeze(["+SIMCARD:"]),
  smsMode: "pdu",
  registrationPoll: REG_ALL,
  servingCellQuery: "cpsi",
  stepOverrides: NO_OVERRIDES,
  extraSteps: NO_STEPS,
  pinAttemptsQuery: SIMCOM_PIN_ATTEMPTS,
  gnssOn: SIM7600_GNSS_ON,
} as ModemProfile);

/** SIMCom SIM7000 (LTE-M / NB-IoT): "SMS Ready", registration mostly on CEREG. */
export const SIM7000: ModemProfile = Object.freeze({
  name: "SIM7000",
  vendor: "SIMCom",
  bootUrcs: Object.freeze(["RDY", "+CFUN: 1", "+CPIN: READY", "SMS Ready"]),
  restartUrcs: Object.freeze(["RDY"]),
  smsReadyUrc: "SMS Ready",
  simRemovedUrcs: SIM_REMOVED_URCS,
  powerDownUrcs: POWER_DOWN_URCS,
  // TinyGSM waits 30 s for SMS Ready.
  smsReadyWaitMs: 30_000,
  // SIM7000 HD V1.04: on 1 s, off ≥ 1.2 s (1.5 s used), off finishes 1.8-6.9 s later.
  powerKey: Object.freeze({ onPulseMs: 1_000, offPulseMs: 1_500, bootWaitMs: 30_000, offSettleMs: 8_000 }),
  timeouts: SIMCOM_TIMEOUTS,
  extraUrcPrefixes: NO_PREFIXES,
  smsMode: "pdu",
  registrationPoll: REG_LTE_FIRST,
  servingCellQuery: "cpsi",
  stepOverrides: NO_OVERRIDES,
  extraSteps: NO_STEPS,
  gnssOn: SIM7000_GNSS_ON,
} as ModemProfile);

/** SIMCom SIM800 (2G): "SMS Ready"; RDY only with a fixed baud rate (autobaud: AT answering counts). */
export const SIM800: ModemProfile = Object.freeze({
  name: "SIM800",
  vendor: "SIMCom",
  bootUrcs: Object.freeze(["RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"]),
  restartUrcs: Object.freeze(["RDY"]),
  smsReadyUrc: "SMS Ready",
  simRemovedUrcs: SIM_REMOVED_URCS,
  powerDownUrcs: POWER_DOWN_URCS,
  smsReadyWaitMs: 20_000,
  // SIM800 HD V1.09: on ≥ 1 s (UART after > 1.4 s), off 1.5 s < t < 33 s (2 s used).
  powerKey: Object.freeze({ onPulseMs: 1_000, offPulseMs: 2_000, bootWaitMs: 20_000, offSettleMs: 5_000 }),
  timeouts: SIMCOM_TIMEOUTS,
  extraUrcPrefixes: Object.freeze(["+CIEV:"]),
  smsMode: "pdu",
  registrationPoll: REG_2G,
  servingCellQuery: "creg",
  stepOverrides: NO_OVERRIDES,
  extraSteps: NO_STEPS,
  pinAttemptsQuery: SIMCOM_PIN_ATTEMPTS,
} as ModemProfile);

/** Quectel EG25-G (LTE Cat-4): "+QIND: SMS DONE"; RDY takes ≥ 12 s. */
export const EG25: ModemProfile = Object.freeze({
  name: "EG25",
  vendor: "Quectel",
  bootUrcs: Object.freeze(["RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE"]),
  restartUrcs: Object.freeze(["RDY"]),
  smsReadyUrc: "+QIND: SMS DONE",
  simRemovedUrcs: SIM_REMOVED_URCS,
  powerDownUrcs: POWER_DOWN_URCS,
  smsReadyWaitMs: 30_000,
  // Quectel: on ≥ 500 ms, off ≥ 650 ms (750 ms used, as ofono); RDY ≥ 12 s after the press.
  powerKey: Object.freeze({ onPulseMs: 500, offPulseMs: 750, bootWaitMs: 30_000, offSettleMs: 10_000 }),
  timeouts: QUECTEL_TIMEOUTS,
  extraUrcPrefixes: NO_PREFIXES,
  smsMode: "pdu",
  registrationPoll: REG_ALL,
  servingCellQuery: "qeng",
  stepOverrides: NO_OVERRIDES,
  extraSteps: Object.freeze([QUECTEL_URC_PORT]),
  pinAttemptsQuery: QUECTEL_PIN_ATTEMPTS,
} as ModemProfile);

/** Quectel BG96 (LTE-M / NB-IoT): RDY, APP RDY; SMS works once the SIM reports READY. */
export const BG96: ModemProfile = Object.freeze({
  name: "BG96",
  vendor: "Quectel",
  bootUrcs: Object.freeze(["RDY", "APP RDY", "+CPIN: READY"]),
  restartUrcs: Object.freeze(["RDY"]),
  smsReadyUrc: "+CPIN: READY",
  simRemovedUrcs: SIM_REMOVED_URCS,
  powerDownUrcs: POWER_DOWN_URCS,
  smsReadyWaitMs: 20_000,
  // BG96 HD: on ≥ 500 ms (650 ms used), off ≥ 650 ms (750 ms used).
  powerKey: Object.freeze({ onPulseMs: 650, offPulseMs: 750, bootWaitMs: 20_000, offSettleMs: 10_000 }),
  timeouts: QUECTEL_TIMEOUTS,
  extraUrcPrefixes: NO_PREFIXES,
  smsMode: "pdu",
  registrationPoll: REG_LTE_FIRST,
  servingCellQuery: "qeng",
  stepOverrides: NO_OVERRIDES,
  extraSteps: Object.freeze([QUECTEL_URC_PORT]),
  pinAttemptsQuery: QUECTEL_PIN_ATTEMPTS,
} as ModemProfile);

/** Every profile, A7670 (the reference board's modem) first. */
export const MODEM_PROFILES: readonly ModemProfile[] = Object.freeze([A7670, SIM7600, SIM7000, SIM800, EG25, BG96]);

/** Profile used when none (or an unknown one) is configured. */
export const DEFAULT_MODEM_PROFILE: ModemProfile = A7670;

/** The profile named `name` (case-insensitive, "SIM7600G-H" / "A7670E" style suffixes allowed), or undefined. */
export function findModemProfile(name: string | undefined): ModemProfile | undefined {
  if (typeof name !== "string") return undefined;
  const wanted = name.trim().toUpperCase();
  if (wanted.length === 0) return undefined;
  for (let i = 0; i < MODEM_PROFILES.length; i++) {
    if (MODEM_PROFILES[i].name === wanted) return MODEM_PROFILES[i];
  }
  for (let i = 0; i < MODEM_PROFILES.length; i++) {
    if (wanted.startsWith(MODEM_PROFILES[i].name)) return MODEM_PROFILES[i];
  }
  return undefined;
}

/** One init script split by what the lifecycle does between the parts. */
export interface ModemInitScript {
  /** Probe, echo off, errors, profile extras, then the SIM check (ends with AT+CPIN?). */
  prepare: readonly ModemInitStep[];
  /** SMS mode, character set, headers (text mode), storage, indications. */
  sms: readonly ModemInitStep[];
  /** The registration wait. */
  registration: readonly ModemInitStep[];
  /** All of them, in order. */
  all: readonly ModemInitStep[];
}

function applyOverride(step: ModemInitStep, overrides: StepOverrides): ModemInitStep | null {
  const id = step.id;
  if (id === undefined || !Object.prototype.hasOwnProperty.call(overrides, id)) return step;
  const override = overrides[id];
  if (override === null) return null;
  return Object.freeze({ ...step, ...override });
}

/**
 * The steps that turn on registration reports for every register the profile polls: <n>=2 where
 * the serving cell is read from the registration ("creg"), else 1.
 */
function registrationReportSteps(profile: ModemProfile): ModemInitStep[] {
  const steps: ModemInitStep[] = [];
  const n = profile.servingCellQuery === "creg" ? 2 : 1;
  for (let i = 0; i < profile.registrationPoll.length; i++) {
    const step = registrationReportStep(profile.registrationPoll[i], n, profile.timeouts.queryMs);
    if (step) steps.push(step);
  }
  return steps;
}

/**
 * The init script of a profile: the base tables of modem-init.ts with the profile's step overrides
 * and extra steps applied; the SMS-mode steps follow `profile.smsMode` (text: CMGF=1, CSCS, CSDH;
 * PDU: CMGF=0); registration reports are turned on for each register in `profile.registrationPoll`
 * (optional steps), then the registration step polls them; the SIM check uses
 * `timeouts.cpinMs`. Data-bearer steps are dropped (the runner would refuse them anyway).
 * Every array and step is frozen.
 */
export function modemInitScript(profile: ModemProfile): ModemInitScript {
  const base: ModemInitStep[] = [
    ...PREPARE_STEPS,
    Object.freeze({ ...SIM_CHECK_STEP, timeoutMs: profile.timeouts.cpinMs }),
    ...(profile.smsMode === "pdu" ? PDU_MODE_SMS_STEPS : TEXT_MODE_SMS_STEPS),
    ...SMS_STORAGE_STEPS,
    ...registrationReportSteps(profile),
    Object.freeze({ ...REGISTRATION_STEP, command: profile.registrationPoll[0], poll: profile.registrationPoll }),
  ];
  const steps: ModemInitStep[] = [];
  for (let i = 0; i < base.length; i++) {
    const step = applyOverride(base[i], profile.stepOverrides);
    if (step) steps.push(step);
  }
  // Extra steps go after the last step of their phase ("configuring" before the SIM check).
  for (let i = 0; i < profile.extraSteps.length; i++) {
    const extra = profile.extraSteps[i];
    let at = -1;
    for (let j = 0; j < steps.length; j++) if (steps[j].phase === extra.phase) at = j;
    if (at < 0) at = steps.length - 1;
    steps.splice(at + 1, 0, Object.isFrozen(extra) ? extra : Object.freeze({ ...extra }));
  }
  const prepare: ModemInitStep[] = [];
  const sms: ModemInitStep[] = [];
  const registration: ModemInitStep[] = [];
  const all: ModemInitStep[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    all.push(step);
    if (step.phase === "configuring-sms") sms.push(step);
    else if (step.phase === "registering") registration.push(step);
    else prepare.push(step);
  }
  return Object.freeze({
    prepare: Object.freeze(prepare),
    sms: Object.freeze(sms),
    registration: Object.freeze(registration),
    all: Object.freeze(all),
  });
}

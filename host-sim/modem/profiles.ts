/**
 * Modem dialects as data: six SIMCom / Quectel modules the firmware must drive. A profile says
 * what the module prints at boot and when, who it says it is, how its power key behaves, how fast
 * it answers AT+CMGS, how it reports registration, and its quirks. The virtual modem has no
 * per-module code paths beyond reading these fields.
 *
 * Sources: corpora.md §2.5 (real boot logs), §3.5 (storage), §3.6 (errors), §3.10 (boot URCs),
 * §3.11 (power key), §3.12 (timeouts). Numbers marked "approx." are plausible values inside the
 * documented ranges, not measurements.
 */
import type { ErrorReply } from "./at-syntax.ts";
import { cms } from "./at-syntax.ts";

export type ProfileName = "a7670" | "sim7600" | "sim7000" | "sim800" | "eg25" | "bg96";
export const PROFILE_NAMES: readonly ProfileName[] = Object.freeze(["a7670", "sim7600", "sim7000", "sim800", "eg25", "bg96"]);

/**
 * What a boot line does besides being printed:
 * "uart" the UART starts answering (first line), "sim" the SIM is read (+CPIN: …; the line shows
 * the SIM's real state), "sms" SMS commands start working, "sim-after" printed only once the SIM
 * is unlocked (phonebook, "Call Ready", +QUSIM), "none" nothing.
 */
export type BootEffect = "uart" | "sim" | "sms" | "sim-after" | "none";

export interface BootLine {
  /** The URC text (without framing). */
  text: string;
  /** Offset from the first boot line (ms). Lines after "sim" are shifted when the SIM is unlocked late. */
  atMs: number;
  effect: BootEffect;
  /** Lines with the same group may come in either order (picked from the seed per boot). */
  shuffleGroup?: number;
  /** Printed only when the UART runs at a fixed baud rate (SIM800 "RDY"). */
  fixedBaudOnly?: boolean;
}

export interface PowerKeyTiming {
  /** Shortest press that switches the module on (ms). */
  onMinMs: number;
  /** Shortest press that switches a running module off (ms). */
  offMinMs: number;
  /** A press longer than this restarts instead (SIM800: 33 s); undefined = no limit. */
  offMaxMs?: number;
  /** Power-on press released → first boot line, random in [min, max] (ms). */
  bootMinMs: number;
  bootMaxMs: number;
  /** Power-down press (or AT power-off) → silent (ms). */
  powerDownMs: number;
  /** URC printed when powering down by key or command (SIM800 "NORMAL POWER DOWN", Quectel "POWERED DOWN"). */
  powerDownUrc?: string;
}

/**
 * The GNSS receiver inside the module and its AT dialect (commands/gnss.ts): "cgps" SIM7600
 * (AT+CGPS, AT+CGNSSTST, AT+CGNSSPORTSWITCH, AT+CGPSINFO), "cgns" SIM7000 (AT+CGNSPWR, AT+CGNSTST,
 * AT+CGNSINF), "qgps" Quectel (AT+QGPS, AT+QGPSEND, AT+QGPSLOC; no NMEA on the AT port), "none"
 * no receiver (A7670E-LASE, SIM800L).
 */
export type GnssDialect = "cgps" | "cgns" | "qgps" | "none";

/** Per-module error choices for the same situation. */
export interface ProfileErrors {
  /** SMS command before the SMS-ready URC. */
  smsNotReady: ErrorReply;
  /** CMGS text (text mode) too long. */
  textTooLong: ErrorReply;
  /** Write (CMGW) to a full storage. */
  memoryFull: ErrorReply;
}

export interface ModemProfile {
  name: ProfileName;
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** ATI answer (placeholders {manufacturer} {model} {revision} {imei}). */
  atiTemplate: string;
  /** AT+CGMR answer ({revision}). */
  cgmrTemplate: string;
  boot: readonly BootLine[];
  powerKey: PowerKeyTiming;
  /** Ctrl-Z → +CMGS result when the network accepts, random in [min, max] (ms). */
  submitMinMs: number;
  submitMaxMs: number;
  /** The manual's "max response time" of AT+CMGS (SIMCom 60 s, Quectel 120 s): the "slow" fault waits this long. */
  submitMaxResponseMs: number;
  /**
   * Registration per register once the network is found: "stat" = the modem's registeredStat,
   * a number = fixed (SIM7000 NB-IoT CREG 0, BG96 CREG 3 "denied" while CEREG is 1).
   */
  registration: Readonly<Record<"CREG" | "CGREG" | "CEREG", "stat" | number>>;
  /** URCs framed "\r\r\n<text>\r\r\n" instead of "\r\n…\r\n" (prefix match). SIMCom quirk (ModemManager simtech tests). */
  crCrLfUrcs: readonly string[];
  /** Power-on AT+CMGF (27.005 says 0; SIM800 starts in text mode). */
  defaultCmgf: 0 | 1;
  /** Power-on AT+CSCS. */
  defaultCscs: "GSM" | "IRA" | "UCS2";
  /** Message storages and their sizes; the first is the default of all three CPMS memories. "SM" takes options.storageSlots. */
  memories: Readonly<Record<string, number>>;
  errors: ProfileErrors;
  /** AT+CCLK? before the network time (NITZ) arrived: the clock runs from this UTC instant at boot. */
  unsyncedClockUtcMs: number;
  /** AT power-off command: CPOF (OK), CPOWD=1 (no OK, "NORMAL POWER DOWN"), QPOWD (OK, "POWERED DOWN"). */
  powerOffCommand: "CPOF" | "CPOWD" | "QPOWD";
  /** The built-in GNSS receiver's command dialect, or "none". */
  gnss: GnssDialect;
}

const SIMCOM_ERRORS: ProfileErrors = Object.freeze({ smsNotReady: cms(500), textTooLong: cms(305), memoryFull: cms(322) });
/** Quectel's vendor range (corpora §3.6, "vendor-dependent"): 314 SIM busy before SMS DONE, 513 length, 531 ME full. */
const QUECTEL_ERRORS: ProfileErrors = Object.freeze({ smsNotReady: cms(314), textTooLong: cms(513), memoryFull: cms(322) });

const SIMCOM_ATI = "Manufacturer: {manufacturer}\r\nModel: {model}\r\nRevision: {revision}\r\nIMEI: {imei}\r\n+GCAP: +CGSM,+FCLASS,+DS";
const QUECTEL_ATI = "{manufacturer}\r\n{model}\r\nRevision: {revision}";

const UNIX_1970 = 0;
const GPS_1980 = Date.UTC(1980, 0, 6);
const SIM800_2004 = Date.UTC(2004, 0, 1);

const SAME = Object.freeze({ CREG: "stat", CGREG: "stat", CEREG: "stat" } as const);

export const PROFILES: Readonly<Record<ProfileName, ModemProfile>> = Object.freeze({
  a7670: Object.freeze<ModemProfile>({
    name: "a7670",
    manufacturer: "SIMCOM INCORPORATED",
    model: "A7670E-LASE",
    revision: "A7670M7_V1.11.1",
    imei: "868071040000017",
    atiTemplate: SIMCOM_ATI,
    cgmrTemplate: "+CGMR: {revision}",
    boot: [
      { text: "*ATREADY: 1", atMs: 0, effect: "uart" },
      { text: "+CPIN: READY", atMs: 500, effect: "sim" },
      { text: "SMS DONE", atMs: 2500, effect: "sms" },
      { text: "PB DONE", atMs: 3500, effect: "sim-after" },
    ],
    powerKey: { onMinMs: 50, offMinMs: 2500, bootMinMs: 3000, bootMaxMs: 5000, powerDownMs: 300 },
    submitMinMs: 1000,
    submitMaxMs: 3000,
    submitMaxResponseMs: 60_000,
    registration: SAME,
    crCrLfUrcs: [],
    defaultCmgf: 0,
    defaultCscs: "IRA",
    memories: { SM: 30 },
    errors: SIMCOM_ERRORS,
    unsyncedClockUtcMs: UNIX_1970,
    powerOffCommand: "CPOF",
    gnss: "none",
  }),
  sim7600: Object.freeze<ModemProfile>({
    name: "sim7600",
    manufacturer: "SIMCOM INCORPORATED",
    model: "SIMCOM_SIM7600G-H",
    revision: "LE20B04SIM7600G22",
    imei: "862636050000018",
    atiTemplate: SIMCOM_ATI,
    cgmrTemplate: "+CGMR: {revision}",
    boot: [
      { text: "RDY", atMs: 0, effect: "uart" },
      { text: "+CPIN: READY", atMs: 1200, effect: "sim" },
      { text: "SMS DONE", atMs: 6000, effect: "sms" },
      { text: "PB DONE", atMs: 7000, effect: "sim-after" },
    ],
    // approx.: SIM7600 HD: PWRKEY on ≥ 100 ms (typ. 500), off ≥ 2.5 s; UART ready ≈ 12 s.
    powerKey: { onMinMs: 100, offMinMs: 2500, bootMinMs: 11_000, bootMaxMs: 13_000, powerDownMs: 2000 },
    submitMinMs: 1000,
    submitMaxMs: 3000,
    submitMaxResponseMs: 60_000,
    registration: SAME,
    crCrLfUrcs: ["+CMTI", "RING", "+CRING", "+CREG", "+CGREG", "+CEREG"],
    defaultCmgf: 0,
    defaultCscs: "IRA",
    memories: { SM: 30, ME: 100 },
    errors: SIMCOM_ERRORS,
    unsyncedClockUtcMs: UNIX_1970,
    powerOffCommand: "CPOF",
    gnss: "cgps",
  }),
  sim7000: Object.freeze<ModemProfile>({
    name: "sim7000",
    manufacturer: "SIMCOM INCORPORATED",
    model: "SIMCOM_SIM7000G",
    revision: "1529B11SIM7000G",
    imei: "869951030000019",
    atiTemplate: "SIM7000G R1529",
    cgmrTemplate: "Revision:{revision}",
    boot: [
      { text: "RDY", atMs: 0, effect: "uart" },
      { text: "+CFUN: 1", atMs: 1500, effect: "none" },
      { text: "+CPIN: READY", atMs: 1600, effect: "sim" },
      { text: "SMS Ready", atMs: 9000, effect: "sms" },
    ],
    // SIM7000 HD V1.04: on pulse ≥ 1 s, off ≥ 1.2 s, off finishes 1.8–6.9 s later.
    powerKey: { onMinMs: 1000, offMinMs: 1200, bootMinMs: 3500, bootMaxMs: 5000, powerDownMs: 2000, powerDownUrc: "NORMAL POWER DOWN" },
    submitMinMs: 1500,
    submitMaxMs: 4000,
    submitMaxResponseMs: 60_000,
    // NB-IoT: +CREG: 0,0 while +CGREG/+CEREG: 0,1 (botletics/SIM7000-LTE-Shield #50).
    registration: { CREG: 0, CGREG: "stat", CEREG: "stat" },
    crCrLfUrcs: [],
    defaultCmgf: 0,
    defaultCscs: "IRA",
    memories: { SM: 30, ME: 50 },
    errors: SIMCOM_ERRORS,
    unsyncedClockUtcMs: Date.UTC(1980, 0, 5),
    powerOffCommand: "CPOWD",
    gnss: "cgns",
  }),
  sim800: Object.freeze<ModemProfile>({
    name: "sim800",
    manufacturer: "SIMCOM_Ltd",
    model: "SIMCOM_SIM800L",
    revision: "1418B05SIM800L24",
    imei: "865067020000010",
    atiTemplate: "SIM800 R14.18",
    cgmrTemplate: "Revision:{revision}",
    boot: [
      { text: "RDY", atMs: 0, effect: "uart", fixedBaudOnly: true },
      { text: "+CFUN: 1", atMs: 200, effect: "none" },
      { text: "+CPIN: READY", atMs: 800, effect: "sim" },
      { text: "Call Ready", atMs: 5000, effect: "sim-after" },
      { text: "SMS Ready", atMs: 5200, effect: "sms" },
    ],
    // SIM800 HD V1.09: on pulse ≥ 1 s, UART active > 1.4 s after power-on; off 1.5 s < t < 33 s.
    powerKey: { onMinMs: 1000, offMinMs: 1500, offMaxMs: 33_000, bootMinMs: 1500, bootMaxMs: 2500, powerDownMs: 1000, powerDownUrc: "NORMAL POWER DOWN" },
    submitMinMs: 1500,
    submitMaxMs: 5000,
    submitMaxResponseMs: 60_000,
    registration: SAME,
    crCrLfUrcs: [],
    defaultCmgf: 1,
    defaultCscs: "IRA",
    memories: { SM: 30, ME: 50 },
    errors: { smsNotReady: cms(302), textTooLong: cms(305), memoryFull: cms(322) },
    unsyncedClockUtcMs: SIM800_2004,
    powerOffCommand: "CPOWD",
    gnss: "none",
  }),
  eg25: Object.freeze<ModemProfile>({
    name: "eg25",
    manufacturer: "Quectel",
    model: "EG25",
    revision: "EG25GGBR07A08M2G",
    imei: "866834040000011",
    atiTemplate: QUECTEL_ATI,
    cgmrTemplate: "{revision}",
    boot: [
      { text: "RDY", atMs: 0, effect: "uart" },
      { text: "+CFUN: 1", atMs: 100, effect: "none" },
      { text: "+CPIN: READY", atMs: 300, effect: "sim" },
      { text: "+QUSIM: 1", atMs: 400, effect: "sim-after" },
      // Either order (IchthysMaranatha/asterisk-chan-quectel PR #75).
      { text: "+QIND: SMS DONE", atMs: 3000, effect: "sms", shuffleGroup: 1 },
      { text: "+QIND: PB DONE", atMs: 3100, effect: "sim-after", shuffleGroup: 1 },
    ],
    // EG25-G: on ≥ 500 ms, off ≥ 650 ms; RDY ≥ 12 s after PWRKEY.
    powerKey: { onMinMs: 500, offMinMs: 650, bootMinMs: 12_000, bootMaxMs: 13_500, powerDownMs: 1500, powerDownUrc: "POWERED DOWN" },
    submitMinMs: 1500,
    submitMaxMs: 5000,
    submitMaxResponseMs: 120_000,
    registration: SAME,
    crCrLfUrcs: [],
    defaultCmgf: 0,
    defaultCscs: "GSM",
    memories: { SM: 30, ME: 255 },
    errors: QUECTEL_ERRORS,
    unsyncedClockUtcMs: GPS_1980,
    powerOffCommand: "QPOWD",
    gnss: "qgps",
  }),
  bg96: Object.freeze<ModemProfile>({
    name: "bg96",
    manufacturer: "Quectel",
    model: "BG96",
    revision: "BG96MAR02A07M1G",
    imei: "866425030000012",
    atiTemplate: QUECTEL_ATI,
    cgmrTemplate: "{revision}",
    boot: [
      { text: "RDY", atMs: 0, effect: "uart" },
      { text: "APP RDY", atMs: 1500, effect: "none" },
      { text: "+CFUN: 1", atMs: 1700, effect: "none" },
      { text: "+CPIN: READY", atMs: 2000, effect: "sim" },
      { text: "", atMs: 4000, effect: "sms" }, // no SMS URC: SMS works a moment after CPIN READY
    ],
    // BG96 HD: on ≥ 500 ms, off ≥ 650 ms; RDY ≈ 4.8 s (TinyGSM waits 10 s for APP RDY).
    powerKey: { onMinMs: 500, offMinMs: 650, bootMinMs: 4500, bootMaxMs: 5500, powerDownMs: 1500, powerDownUrc: "POWERED DOWN" },
    submitMinMs: 1500,
    submitMaxMs: 5000,
    submitMaxResponseMs: 120_000,
    // Japan, LTE-M: CREG 3 (denied) while CEREG 1 (vshymanskyy/TinyGSM PR #467).
    registration: { CREG: 3, CGREG: "stat", CEREG: "stat" },
    crCrLfUrcs: [],
    defaultCmgf: 0,
    defaultCscs: "GSM",
    memories: { SM: 30, ME: 255 },
    errors: QUECTEL_ERRORS,
    unsyncedClockUtcMs: GPS_1980,
    powerOffCommand: "QPOWD",
    gnss: "qgps",
  }),
});

/** The profile by name; throws on an unknown name (a configuration error, not runtime input). */
export function getProfile(name: ProfileName): ModemProfile {
  const p = PROFILES[name];
  if (!p) throw new RangeError(`unknown modem profile "${name}" (known: ${PROFILE_NAMES.join(", ")})`);
  return p;
}

/** The ATI / CGMR answer of a profile with the identity filled in. */
export function fillIdentity(template: string, id: { manufacturer: string; model: string; revision: string; imei: string }): string {
  return template
    .replace("{manufacturer}", id.manufacturer)
    .replace("{model}", id.model)
    .replace("{revision}", id.revision)
    .replace("{imei}", id.imei);
}

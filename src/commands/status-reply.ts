/**
 * The STATUS reply: the tracker's health in plain words, in one GSM-7 SMS (≤ 160 septets).
 *
 * Layout, five lines (full form, sent when it fits):
 *   GNSS: fix, 9 satellites, 2 s old         | GNSS: no fix now, last 2 h 5 min ago | GNSS: silent, ...
 *   Signal: good, -71 dBm, roaming           (", no network" / ", network denied" when not registered)
 *   Power: 12.6 V, battery 4.1 V             (a reading that is not measured is left out; both: "not measured")
 *   Not armed; tracking, 12 left; fence 500 m, inside; speed limit 120 km/h
 *   SMS left today: 45. Up 3 days. Firmware 0.1.0
 * Compact form when the full one is too long (same facts, shorter words):
 *   GNSS fix 9 sat 2s old
 *   Sig good -71dBm roaming
 *   Pwr 12.6V bat 4.1V
 *   Not armed, track 12 left, fence 500 m in, limit 120 km/h
 *   SMS 45 left, up 3d, fw 0.1.0
 * and, in the worst case, the compact form without the uptime, then without the firmware version
 * (the last always fits: 28 + 31 + 19 + 60 + 13 characters and 4 line breaks; tests assert it).
 * Displayed numbers are clamped (satellites 99, positions left 999, fence 9999 km, limit 999,
 * SMS 9999, volts 99.9) so no input makes a line longer. Plain GSM-7 only; never throws.
 */
import { gsm7Septets } from "../codec/gsm7";
import { signalWords, type RegistrationState } from "../modem/modem-lifecycle";
import { formatAge } from "./where-reply";
import { distanceText, speedText, type Units } from "./units";

/** What STATUS reports (the app fills it; NaN / undefined where a fact is not known). */
export interface StatusInput {
  /** A live fix now (valid and fresh). */
  gnssLive: boolean;
  /** The GNSS receiver has sent nothing lately (wiring, power). */
  gnssSilent: boolean;
  /** Satellites used in the live fix; NaN when unknown. */
  satellitesUsed: number;
  /** Age of the last valid fix, ms; NaN or Infinity when there was none since power-on. */
  lastFixAgeMs: number;
  /** Last cellular signal strength, dBm (AT+CSQ); undefined or NaN when unknown. */
  signalDbm: number | undefined;
  /** Network registration (modem lifecycle). */
  registration: RegistrationState;
  /** Vehicle supply, millivolts; NaN when the board cannot measure it. */
  vehicleMv: number;
  /** The vehicle's supply is cut (the tracker runs on its battery): said in words instead of "0.0 V". */
  supplyCut?: boolean;
  /** Backup battery, millivolts; NaN when not measured. */
  batteryMv: number;
  /** ARM is on. */
  armed: boolean;
  /** TRACK positions still to send; 0 when not tracking. */
  trackingLeft: number;
  /** Fence radius, m; 0 or NaN when there is no fence. */
  fenceRadiusM: number;
  /** Inside the fence (true), outside (false), or not known yet (undefined). */
  fenceInside: boolean | undefined;
  /** Speed limit of the overspeed alert, km/h; 0 when none. */
  speedLimitKmh: number;
  /** SMS the daily budget still allows today; NaN when unknown. */
  smsLeftToday: number;
  /** Time since the tracker started, ms. */
  uptimeMs: number;
  /** Firmware version text ("0.1.0"); sanitised to letters, digits and . + - _ and cut to 16 characters. */
  firmwareVersion: string;
  /** "imperial": mph and miles/feet; default metric. */
  units?: Units;
}

/** Longest reply: one GSM-7 SMS. */
export const STATUS_MAX_SEPTETS = 160;

function clamp(value: number, max: number): number {
  return value > max ? max : value < 0 ? 0 : value;
}

function isKnown(value: number | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** "59s", "4m", "2h5m", "3d": ages in the compact form. */
export function shortAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return `${s}s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h}h${min % 60}m` : `${h}h`;
  return `${Math.min(9999, Math.floor(h / 24))}d`;
}

/** Volts with one decimal from millivolts, clamped to 0.0-99.9: 12600 → "12.6". */
function volts(mv: number): string {
  const tenths = Math.round(clamp(mv, 99_949) / 100);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

function version(text: string): string {
  let out = "";
  if (typeof text !== "string") return "?";
  for (const ch of text) {
    if (out.length >= 16) break;
    if (/^[A-Za-z0-9.+_-]$/.test(ch)) out += ch;
  }
  return out === "" ? "?" : out;
}

function gnssLine(s: StatusInput, compact: boolean): string {
  const ageKnown = isKnown(s.lastFixAgeMs);
  const age = (ms: number) => (compact ? shortAge(ms) : formatAge(ms));
  if (s.gnssLive && !s.gnssSilent) {
    const sats = isKnown(s.satellitesUsed) ? Math.round(clamp(s.satellitesUsed, 99)) : -1;
    const ageText = ageKnown ? age(s.lastFixAgeMs) : "";
    if (compact) return `GNSS fix${sats >= 0 ? ` ${sats} sat` : ""}${ageText ? ` ${ageText} old` : ""}`;
    return `GNSS: fix${sats >= 0 ? `, ${sats} satellites` : ""}${ageText ? `, ${ageText} old` : ""}`;
  }
  const what = s.gnssSilent ? "silent" : "no fix";
  if (compact) return `GNSS ${what}, ${ageKnown ? `last ${age(s.lastFixAgeMs)} ago` : "none since start"}`;
  return `GNSS: ${s.gnssSilent ? "receiver silent" : "no fix now"}, ${ageKnown ? `last fix ${age(s.lastFixAgeMs)} ago` : "no fix since power-on"}`;
}

function signalLine(s: StatusInput, compact: boolean): string {
  const words = signalWords(s.signalDbm);
  const dbm = words === "unknown" ? "" : String(Math.round(Math.max(-999, Math.min(0, s.signalDbm as number))));
  const reg = s.registration;
  if (compact) {
    const net = reg === "roaming" ? " roaming" : reg === "searching" ? " no network" : reg === "denied" ? " denied" : "";
    return `Sig ${words}${dbm ? ` ${dbm}dBm` : ""}${net}`;
  }
  const net = reg === "roaming" ? ", roaming" : reg === "searching" ? ", no network" : reg === "denied" ? ", network denied" : "";
  return `Signal: ${words}${dbm ? `, ${dbm} dBm` : ""}${net}`;
}

function powerLine(s: StatusInput, compact: boolean): string {
  const vehicle = s.supplyCut === true ? "cut" : isKnown(s.vehicleMv) ? volts(s.vehicleMv) : "";
  const battery = isKnown(s.batteryMv) ? volts(s.batteryMv) : "";
  if (compact) {
    if (!vehicle && !battery) return "Pwr not measured";
    return "Pwr" + (vehicle ? ` ${vehicle}${vehicle === "cut" ? "" : "V"}` : "") + (battery ? ` bat ${battery}V` : "");
  }
  if (!vehicle && !battery) return "Power: not measured";
  return "Power: " + (vehicle ? (vehicle === "cut" ? "cut" : `${vehicle} V`) : "") + (vehicle && battery ? ", " : "") + (battery ? `battery ${battery} V` : "");
}

function guardLine(s: StatusInput, units: Units, compact: boolean): string {
  const parts: string[] = [s.armed ? "Armed" : "Not armed"];
  const left = isKnown(s.trackingLeft) ? Math.round(clamp(s.trackingLeft, 999)) : 0;
  if (left > 0) parts.push(compact ? `track ${left} left` : `tracking, ${left} left`);
  if (isKnown(s.fenceRadiusM) && s.fenceRadiusM > 0) {
    const radius = distanceText(clamp(s.fenceRadiusM, 9_999_000), units);
    const where = s.fenceInside === true ? (compact ? " in" : ", inside") : s.fenceInside === false ? (compact ? " out" : ", outside") : "";
    parts.push(`fence ${radius}${where}`);
  }
  if (isKnown(s.speedLimitKmh) && s.speedLimitKmh > 0) {
    parts.push(`${compact ? "limit" : "speed limit"} ${speedText(clamp(s.speedLimitKmh, 999), units)}`);
  }
  return parts.join(compact ? ", " : "; ");
}

function smsLeft(s: StatusInput): string {
  return isKnown(s.smsLeftToday) ? String(Math.round(clamp(s.smsLeftToday, 9999))) : "?";
}

/** Build the reply text for STATUS (see the module comment for the layout). */
export function statusReply(input: StatusInput): string {
  const units: Units = input.units === "imperial" ? "imperial" : "metric";
  const uptime = isKnown(input.uptimeMs) ? input.uptimeMs : 0;
  const fw = version(input.firmwareVersion);
  const full = [
    gnssLine(input, false),
    signalLine(input, false),
    powerLine(input, false),
    guardLine(input, units, false),
    `SMS left today: ${smsLeft(input)}. Up ${formatAge(uptime)}. Firmware ${fw}`,
  ].join("\n");
  const head = [gnssLine(input, true), signalLine(input, true), powerLine(input, true), guardLine(input, units, true)].join("\n");
  const candidates = [
    full,
    `${head}\nSMS ${smsLeft(input)} left, up ${shortAge(uptime)}, fw ${fw}`,
    `${head}\nSMS ${smsLeft(input)} left, fw ${fw}`,
    `${head}\nSMS ${smsLeft(input)} left`,
  ];
  for (let i = 0; i < candidates.length; i++) {
    const septets = gsm7Septets(candidates[i]);
    if (septets >= 0 && septets <= STATUS_MAX_SEPTETS) return candidates[i];
  }
  return candidates[candidates.length - 1];
}

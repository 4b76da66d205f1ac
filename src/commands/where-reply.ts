/**
 * The WHERE reply: an honest answer about where the vehicle is, in one GSM-7 SMS (≤ 160 septets).
 * It always says how old the position is (and, when known, the fix's own UTC time, which stays
 * true however long the reply is delayed), whether it is live, and how accurate, and never presents
 * a last-known position as live.
 *
 * Options (all optional; without them the text is the plain metric UTC form): `zone` writes the
 * fix time on the owner's clock with its label ("14:02:09 CEST"), `units` "imperial" writes mph
 * and feet, `cell` adds the serving cell ("Cell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 (LTE)")
 * when there is no live fix — a person can look the cell up; the tracker sends it nowhere else.
 *
 * One SMS: each case has a full layout and shorter ones (short reason, no accuracy, no fix time,
 * an hh:mm time); the first that fits 160 GSM-7 septets is sent. The last of each list fits the
 * worst case by construction (tests assert it): 20-character coordinates, 11-character ages,
 * 9-character labels, a 51-character cell line.
 */
import type { Fix } from "../gnss/fix";
import { gsm7Septets } from "../codec/gsm7";
import { cellText, type ServingCell } from "../modem/serving-cell";
import { localTime, type TimeZone } from "./local-time";
import { lengthText, speedText, type Units } from "./units";

/** A fix older than this is not "live" (ms). The receiver sends one epoch a second. */
export const LIVE_FIX_MAX_AGE_MS = 10_000;

/** What the WHERE reply needs to know. */
export interface WhereInput {
  /** Latest published epoch (valid or not), if any. */
  latest: Fix | undefined;
  /** Latest valid fix, if any since power-on. */
  lastValid: Fix | undefined;
  /** Now, monotonic ms (same clock as Fix.receivedAtMs). */
  nowMs: number;
  /** The owner's time zone for the fix time; absent: UTC. */
  zone?: TimeZone;
  /** "imperial": mph and feet; absent or "metric": km/h and metres. */
  units?: Units;
  /** The serving cell, shown when there is no live fix; absent or undefined: not shown. */
  cell?: ServingCell | undefined;
}

/** Longest reply: one GSM-7 SMS. */
export const WHERE_MAX_SEPTETS = 160;

/** Human age: "3 s", "4 min", "2 h 5 min", "3 days". */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

const COMPASS = Object.freeze(["N", "NE", "E", "SE", "S", "SW", "W", "NW"]);

/** Compass point for a course in degrees, or "" when unknown. */
export function compassPoint(courseDeg: number): string {
  if (!Number.isFinite(courseDeg)) return "";
  const index = Math.round((((courseDeg % 360) + 360) % 360) / 45) % 8;
  return COMPASS[index]!;
}

/** "23:59:59 UTC" (or "…:59 CEST" in `zone`; hh:mm only when `short`) for the fix's own time, "" when unknown. */
function clockText(fix: Fix, zone: TimeZone | undefined, short: boolean): string {
  if (!Number.isFinite(fix.utcMs)) return "";
  const t = localTime(fix.utcMs, zone);
  return `${short ? t.hhmm : t.hhmmss} ${t.label}`;
}

/** " (hh:mm:ss UTC)" for the fix's own time, or "" when its date/time is unknown. */
function fixTime(fix: Fix, zone: TimeZone | undefined): string {
  const text = clockText(fix, zone, false);
  return text === "" ? "" : ` (${text})`;
}

function coordinates(fix: Fix): string {
  return `${fix.latitudeDeg.toFixed(5)},${fix.longitudeDeg.toFixed(5)}`;
}

/** The map link for a fix's position (5 decimals, about 1 m). */
export function mapLink(fix: Fix): string {
  return `https://maps.google.com/?q=${coordinates(fix)}`;
}

/** " (+/-N m)" (or ft) from the fix's accuracy estimate (HDOP × UERE, see gnss/fix), or "" when unknown. */
function accuracyText(fix: Fix, units: Units): string {
  return Number.isFinite(fix.accuracyM) && fix.accuracyM > 0 ? ` (+/-${lengthText(fix.accuracyM, units)})` : "";
}

function motionText(fix: Fix, units: Units): string {
  if (!Number.isFinite(fix.speedKmh)) return "";
  if (fix.speedKmh < 2) return "Stopped\n";
  const heading = compassPoint(fix.courseDeg);
  return `${speedText(fix.speedKmh, units)}${heading ? " heading " + heading : ""}\n`;
}

function hasPosition(fix: Fix | undefined): fix is Fix {
  return !!fix && fix.valid && Number.isFinite(fix.latitudeDeg) && Number.isFinite(fix.longitudeDeg);
}

/** The first candidate that fits one SMS; the last one otherwise (each list ends with one that always fits). */
function firstFitting(candidates: readonly string[]): string {
  for (let i = 0; i < candidates.length; i++) {
    const septets = gsm7Septets(candidates[i]);
    if (septets >= 0 && septets <= WHERE_MAX_SEPTETS) return candidates[i];
  }
  return candidates[candidates.length - 1];
}

/** Build the reply text for WHERE (see the module comment). Never throws on odd fixes. */
export function whereReply(input: WhereInput): string {
  const { latest, lastValid, nowMs, zone } = input;
  const units: Units = input.units === "imperial" ? "imperial" : "metric";
  const cellLine = input.cell ? "\n" + cellText(input.cell) : "";
  const latestAgeMs = latest ? nowMs - latest.receivedAtMs : Infinity;
  if (hasPosition(latest) && latestAgeMs <= LIVE_FIX_MAX_AGE_MS) {
    const head = `Live GNSS fix, ${formatAge(latestAgeMs)} old`;
    const motion = motionText(latest, units);
    return firstFitting([
      `${head}${fixTime(latest, zone)}:\n${coordinates(latest)}${accuracyText(latest, units)}\n${motion}${mapLink(latest)}`,
      `${head}${fixTime(latest, zone)}:\n${coordinates(latest)}\n${motion}${mapLink(latest)}`,
      `${head}:\n${motion}${mapLink(latest)}`,
    ]);
  }
  const silent = latestAgeMs > LIVE_FIX_MAX_AGE_MS;
  const why = silent ? "GNSS receiver silent" : "no satellite fix";
  if (hasPosition(lastValid)) {
    const age = formatAge(nowMs - lastValid.receivedAtMs);
    const shortWhy = silent ? "GNSS silent" : "no GNSS fix";
    const hhmm = clockText(lastValid, zone, true);
    const at = hhmm === "" ? "" : `, ${hhmm}`;
    return firstFitting([
      `NO live position (${why}). Last known, ${age} old${fixTime(lastValid, zone)}:\n` +
        `${coordinates(lastValid)}${accuracyText(lastValid, units)}\n${mapLink(lastValid)}${cellLine}`,
      `NO live position (${shortWhy}). Last fix ${age} ago${at}:\n${mapLink(lastValid)}${accuracyText(lastValid, units)}${cellLine}`,
      `NO live position (${shortWhy}). Last fix ${age} ago${at}:\n${mapLink(lastValid)}${cellLine}`,
      `NO live position (${shortWhy}). Last fix ${age} ago:\n${mapLink(lastValid)}${cellLine}`,
    ]);
  }
  if (!latest) {
    return firstFitting([
      `No position: the GNSS receiver has sent nothing since power-on ${formatAge(nowMs)} ago. Check its wiring and antenna.${cellLine}`,
      `No position: GNSS receiver silent since power-on ${formatAge(nowMs)} ago. Check wiring and antenna.${cellLine}`,
    ]);
  }
  return firstFitting([
    `No position yet: GNSS has had no fix since power-on ${formatAge(nowMs)} ago (${why}). Try again in a few minutes, ideally in open sky.${cellLine}`,
    `No position yet: no GNSS fix since power-on ${formatAge(nowMs)} ago. Try again in open sky.${cellLine}`,
  ]);
}

/**
 * The WHERE reply: an honest answer about where the vehicle is, in one GSM-7 SMS (≤ 160 septets).
 * It always says how old the position is (and, when known, the fix's own UTC time, which stays
 * true however long the reply is delayed), whether it is live, and how accurate, and never presents
 * a last-known position as live.
 */
import type { Fix } from "../gnss/fix";

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
}

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

/** " (hh:mm:ss UTC)" for the fix's own time, or "" when its date/time is unknown. */
function fixTime(fix: Fix): string {
  if (!Number.isFinite(fix.utcMs)) return "";
  const d = new Date(fix.utcMs);
  const two = (n: number) => (n < 10 ? "0" : "") + n;
  return ` (${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC)`;
}

function coordinates(fix: Fix): string {
  return `${fix.latitudeDeg.toFixed(5)},${fix.longitudeDeg.toFixed(5)}`;
}

function mapLink(fix: Fix): string {
  return `https://maps.google.com/?q=${coordinates(fix)}`;
}

/** "(+/-N m)" from the fix's accuracy estimate (HDOP × UERE, see gnss/fix), or "" when unknown. */
function accuracyText(fix: Fix): string {
  return Number.isFinite(fix.accuracyM) && fix.accuracyM > 0 ? ` (+/-${Math.max(1, Math.round(fix.accuracyM))} m)` : "";
}

function motionText(fix: Fix): string {
  if (!Number.isFinite(fix.speedKmh)) return "";
  if (fix.speedKmh < 2) return "Stopped\n";
  const heading = compassPoint(fix.courseDeg);
  return `${Math.round(fix.speedKmh)} km/h${heading ? " heading " + heading : ""}\n`;
}

function hasPosition(fix: Fix | undefined): fix is Fix {
  return !!fix && fix.valid && Number.isFinite(fix.latitudeDeg) && Number.isFinite(fix.longitudeDeg);
}

/** Build the reply text for WHERE. */
export function whereReply(input: WhereInput): string {
  const { latest, lastValid, nowMs } = input;
  const latestAgeMs = latest ? nowMs - latest.receivedAtMs : Infinity;
  if (hasPosition(latest) && latestAgeMs <= LIVE_FIX_MAX_AGE_MS) {
    return (
      `Live GNSS fix, ${formatAge(latestAgeMs)} old${fixTime(latest)}:\n` +
      `${coordinates(latest)}${accuracyText(latest)}\n` +
      motionText(latest) +
      mapLink(latest)
    );
  }
  const why = latestAgeMs > LIVE_FIX_MAX_AGE_MS ? "GNSS receiver silent" : "no satellite fix";
  if (hasPosition(lastValid)) {
    return (
      `NO live position (${why}). Last known, ${formatAge(nowMs - lastValid.receivedAtMs)} old${fixTime(lastValid)}:\n` +
      `${coordinates(lastValid)}${accuracyText(lastValid)}\n` +
      mapLink(lastValid)
    );
  }
  if (!latest) {
    return `No position: the GNSS receiver has sent nothing since power-on ${formatAge(nowMs)} ago. Check its wiring and antenna.`;
  }
  return `No position yet: GNSS has had no fix since power-on ${formatAge(nowMs)} ago (${why}). Try again in a few minutes, ideally in open sky.`;
}

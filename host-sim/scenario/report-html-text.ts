/** Text for the HTML report: escaping (every text the page shows goes through it) and times. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `text` safe inside HTML or SVG text and inside a quoted attribute (SMS texts are anyone's input). */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A clock time (ms since the simulation's start) as "T+h:mm:ss" ("T+0:07:05.3" below a minute's precision when asked). */
export function clockText(ms: number, tenths = false): string {
  const total = Math.max(0, ms) / 1000;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const sText = tenths ? s.toFixed(1).padStart(4, "0") : String(Math.floor(s)).padStart(2, "0");
  return `T+${h}:${String(m).padStart(2, "0")}:${sText}`;
}

/** UTC "hh:mm:ss" of a clock time, when the run's UTC at clock 0 is known; "" otherwise. */
export function utcText(ms: number, utcAtZeroMs: number | undefined): string {
  if (utcAtZeroMs === undefined) return "";
  return `${new Date(utcAtZeroMs + ms).toISOString().slice(11, 19)} UTC`;
}

/** A duration in words: "45 s", "12 min", "1 h 58 min". */
export function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}

/** A distance for the scale bar: "200 m", "2 km". */
export function metresText(m: number): string {
  return m >= 1000 ? `${m / 1000} km` : `${m} m`;
}

/** A number with at most one decimal, for SVG coordinates. */
export function n1(value: number): string {
  return String(Math.round(value * 10) / 10);
}

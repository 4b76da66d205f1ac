/**
 * The NMEA parser's field conversions and lookup tables (nmea-parser.ts): time, date and coordinate
 * fields to numbers, talkers and satellite IDs to systems, and the tables its fast paths look a line
 * up in. Pure functions of strings; the tables are frozen (this module is preloaded: on the device
 * they and their keys are in flash).
 */

import { GnssSystem, NmeaChar, SentenceType } from "./nmea-sentences";

const indexOf = String.prototype.indexOf;
const slice = String.prototype.slice;
const charCodeAt = String.prototype.charCodeAt;

export const KMH_PER_KNOT = 1.852;
const MS_PER_DAY = 86_400_000;
const DAYS_BEFORE_MONTH = Object.freeze([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]);
const DAYS_IN_MONTH = Object.freeze([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days from 1970-01-01 to year-month-day (Gregorian, valid month/day checked by the caller). */
export function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = year - 1;
  const leapDaysBefore = Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 477;
  let days = (year - 1970) * 365 + leapDaysBefore + DAYS_BEFORE_MONTH[month - 1] + day - 1;
  if (month > 2 && isLeapYear(year)) days++;
  return days;
}

/** ms at 00:00 UTC of a date, NaN when the date does not exist. */
export function dateMsOf(year: number, month: number, day: number): number {
  if (!(month >= 1 && month <= 12 && day >= 1)) return NaN;
  const monthDays = DAYS_IN_MONTH[month - 1] + (month === 2 && isLeapYear(year) ? 1 : 0);
  if (day > monthDays) return NaN;
  return daysSinceEpoch(year, month, day) * MS_PER_DAY;
}

/** Number of a field string: NaN when empty or not a plain decimal number. */
export function num(s: string): number {
  if (s === "") return NaN;
  const v = +s;
  return v === v && s !== " " ? v : NaN;
}

/** System from a 2-letter talker (codes of its 2 letters). */
export function systemOfTalker(a: number, b: number): number {
  if (a === 0x47) {
    // G?
    switch (b) {
      case 0x50: return GnssSystem.Gps; // GP
      case 0x4c: return GnssSystem.Glonass; // GL
      case 0x41: return GnssSystem.Galileo; // GA
      case 0x42: return GnssSystem.Beidou; // GB
      case 0x51: return GnssSystem.Qzss; // GQ
      case 0x49: return GnssSystem.Navic; // GI
      default: return GnssSystem.Unknown; // GN
    }
  }
  if (a === 0x42 && b === 0x44) return GnssSystem.Beidou; // BD
  if (a === 0x51 && b === 0x5a) return GnssSystem.Qzss; // QZ
  return GnssSystem.Unknown;
}

/** System from an NMEA satellite ID (for GN GSA without system ID, NMEA 4.0 ranges and u-blox extensions). */
export function systemOfSatelliteId(id: number): number {
  if (id >= 65 && id <= 96) return GnssSystem.Glonass;
  if (id >= 193 && id <= 200) return GnssSystem.Qzss;
  if ((id >= 201 && id <= 263) || (id >= 401 && id <= 463)) return GnssSystem.Beidou;
  if (id >= 301 && id <= 336) return GnssSystem.Galileo;
  return GnssSystem.Gps; // 1-32 GPS, 33-64 / 120-158 SBAS (counted with GPS)
}

/**
 * Start of a line ("$GNRMC,") → type | system << 4, for the sentence types that feed a fix and the
 * usual talkers: one slice and one property lookup check the start character, the address and the
 * comma after it. Other lines (TXT, other talkers, no data fields) take the general path (same
 * result). (This module is preloaded: on the device its tables and their keys are in flash.)
 */
export const SENTENCE_STARTS: Readonly<Record<string, number>> = Object.create(null);
{
  const starts = SENTENCE_STARTS as Record<string, number>;
  const types: [string, number][] = [["RMC", SentenceType.Rmc], ["GGA", SentenceType.Gga], ["GSA", SentenceType.Gsa], ["GSV", SentenceType.Gsv],
    ["VTG", SentenceType.Vtg], ["GLL", SentenceType.Gll], ["ZDA", SentenceType.Zda], ["GNS", SentenceType.Gns]];
  for (const talker of ["GP", "GL", "GA", "GB", "BD", "GQ", "QZ", "GI", "GN"]) {
    const system = systemOfTalker(talker.charCodeAt(0), talker.charCodeAt(1));
    for (const [name, type] of types) starts["$" + talker + name + ","] = type | (system << 4);
  }
  Object.freeze(starts);
}

/**
 * GSV header after the address, "m,n," (message n of m; 1..9 each) → 1 for message 1, 0 for the
 * others; and a 2-digit satellites-in-view field with its comma ("dd,") → its value. A hit on both
 * (at start+7 and start+11) means the '*' comes after them. (This module is preloaded: on the device
 * its tables and their keys are in flash, not RAM.)
 */
export const GSV_HEADERS: Readonly<Record<string, number>> = Object.create(null);
for (let m = 1; m <= 9; m++) for (let n = 1; n <= 9; n++) (GSV_HEADERS as Record<string, number>)[`${m},${n},`] = n === 1 ? 1 : 0;
Object.freeze(GSV_HEADERS);
/** A 2-digit satellites-in-view field with its comma ("dd,") → its value. */
export const GSV_IN_VIEW: Readonly<Record<string, number>> = Object.create(null);
for (let v = 0; v <= 99; v++) (GSV_IN_VIEW as Record<string, number>)[`${v < 10 ? "0" : ""}${v},`] = v;
Object.freeze(GSV_IN_VIEW);

/** Runs of commas by length (GSA: trailing empty satellite ID fields). */
const COMMA_RUNS: readonly string[] = Object.freeze([",", ",,", ",,,", ",,,,", ",,,,,", ",,,,,,", ",,,,,,,", ",,,,,,,,", ",,,,,,,,,", ",,,,,,,,,,", ",,,,,,,,,,,", ",,,,,,,,,,,,"].map((r, i) => (i === 0 ? "" : r.slice(1))).concat([",,,,,,,,,,,,"]));

/** 0..255 → two upper-case hex digits, as NMEA writes a checksum ("00".."FF"). */
export const HEX_BYTES: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, x) => (x < 16 ? "0" : "") + x.toString(16).toUpperCase()));

/** Single printable ASCII character → its code (a property lookup instead of two string calls). */
export const LETTER_CODES: Record<string, number> = Object.create(null);
for (let c = 0x20; c < 0x7f; c++) LETTER_CODES[String.fromCharCode(c)] = c;
Object.freeze(LETTER_CODES);


/** Single-character field → char code; 0 when empty or longer. */
export function letterOf(s: string): number {
  return s === "" || charCodeAt.call(s, 1) >= 0 ? 0 : charCodeAt.call(s, 0);
}

/** GGA quality field "0".."8" → its value; -2 when not one digit 0..8 (non-empty field). */
export function qualityDigit(s: string): number {
  const d = charCodeAt.call(s, 0) - 0x30;
  return d >= 0 && d <= 8 && !(charCodeAt.call(s, 1) >= 0) ? d : -2;
}

/** Returned by timeOf / dateOf / the coordinate conversion for a present but malformed field. */
export const BAD = -1e9;

/** Returned by the coordinate conversion for an out-of-range coordinate (counted, position unknown). */
const OUT_OF_RANGE = 1e9;

/** latFlag / lonFlag: the cached coordinate is empty or valid (0), out of range, or malformed. */
export const COORDINATE_OUT_OF_RANGE = 1;
export const COORDINATE_BAD = 2;

/** hhmmss[.sss] → ms of day; NaN when empty, BAD when present but malformed. */
export function timeOfField(s: string): number {
  if (s === "") return NaN;
  const v = +s;
  // At least 6 characters and no sign: the usual "hhmmss.ss" shows both with its dot at 6 and a
  // digit first. Below 240000 (else the hour is over 23), so `| 0` floors.
  if (v >= 0 && v < 240000 && ((indexOf.call(s, ".") === 6 && s >= "0") || (charCodeAt.call(s, 5) >= 0 && charCodeAt.call(s, 0) !== 0x2b))) {
    const hms = v | 0;
    const h = (hms / 10000) | 0;
    const m = ((hms / 100) | 0) - h * 100;
    const sec = hms - h * 10000 - m * 100;
    if (m <= 59 && sec <= 60) return ((h * 60 + m) * 60 + sec) * 1000 + (v === hms ? 0 : ((v - hms) * 1000 + 0.5) | 0);
  }
  return BAD;
}

/** A coordinateOfField result → its flag: 0 (empty or valid), COORDINATE_OUT_OF_RANGE or COORDINATE_BAD. */
export function coordinateFlag(value: number): number {
  return value === BAD ? COORDINATE_BAD : value === OUT_OF_RANGE ? COORDINATE_OUT_OF_RANGE : 0;
}

/**
 * [d]ddmm.mmmm + hemisphere → signed degrees: degrees = floor(v/100), minutes = v − 100·degrees
 * (double precision keeps 1e-12 minutes, well under 1e-9°). NaN when empty; OUT_OF_RANGE when out
 * of range; BAD when not a number or without a valid hemisphere.
 */
export function coordinateOfField(s: string, side: string, maxDeg: number, positive: string, negative: string): number {
  if (s === "") return NaN;
  const v = +s;
  if (!(v >= 0) || (side !== positive && side !== negative) || charCodeAt.call(s, 0) === 0x2b) return BAD;
  const dot = indexOf.call(s, ".");
  const intDigits = dot < 0 ? s.length : dot;
  if (intDigits < 3 || intDigits > 5) return BAD;
  const degrees = Math.floor(v / 100);
  const minutes = v - degrees * 100;
  const value = degrees + minutes / 60;
  if (minutes >= 60 || value > maxDeg) return OUT_OF_RANGE; // e.g. MTK's no-fix placeholder 8960.000000 (mtk-3301.log)
  return side === negative ? -value : value;
}

/** ddmmyy → ms at 00:00 UTC (yy < 69 → 20yy, else 19yy; NaN when empty; -Infinity when invalid). */
export function dateOfField(s: string): number {
  if (s === "") return NaN;
  const v = +s;
  // exactly 6 characters, an integer, no sign
  if (v >= 0 && Math.floor(v) === v && charCodeAt.call(s, 5) >= 0 && !(charCodeAt.call(s, 6) >= 0) && charCodeAt.call(s, 0) !== 0x2b) {
    const day = Math.floor(v / 10000);
    const month = Math.floor(v / 100) - day * 100;
    const yy = v - day * 10000 - month * 100;
    const ms = dateMsOf(yy < 69 ? 2000 + yy : 1900 + yy, month, day);
    if (ms === ms) return ms;
  }
  return -Infinity;
}

/**
 * Satellite IDs of a GSA between the commas `c2` (after the fix type) and `idsEnd` (before PDOP),
 * counted without reading each field. Valid only for the usual layout — 2-digit IDs first, then
 * only empty fields — and only with exactly 12 fields, both checked: the first ",," starts a run of
 * e commas reaching `idsEnd` (e empty fields), and the k = 12 − e fields before it take 3k − 1
 * characters with a comma at every third (no other comma can hide there without making a ",,").
 * -1 when not that layout (the caller then reads field by field).
 */
export function gsaCount(text: string, c2: number, idsEnd: number): number {
  if (idsEnd <= c2) return -1;
  let run = indexOf.call(text, ",,", c2);
  if (run < 0 || run >= idsEnd) run = idsEnd; // no empty field
  const empty = idsEnd - run;
  if (empty > 12) return -1;
  if (empty > 0 && slice.call(text, run, idsEnd) !== COMMA_RUNS[empty]) return -1;
  const used = 12 - empty;
  if (run - c2 !== 3 * used) return used === 0 && run === c2 ? 0 : -1;
  for (let at = c2 + 3; at < run; at += 3) if (charCodeAt.call(text, at) !== 0x2c) return -1;
  return used;
}

export function count(v: number): number {
  return v >= 0 && v <= 255 && Math.floor(v) === v ? v : -1;
}

/** A DOP field: its value, NaN when empty or not a number ≥ 0. */
export function dopOf(s: string): number {
  const v = +s;
  return v >= 0 && s !== "" && s !== " " ? v : NaN;
}

/** Best FAA mode in a GNS mode string (one char per constellation). */
export function bestMode(s: string): number {
  if (s === "") return 0;
  const order = "RFPDAEMSN";
  for (let i = 0; i < order.length; i++) {
    if (indexOf.call(s, order[i]) >= 0) return charCodeAt.call(order, i);
  }
  return NmeaChar.N;
}

/**
 * NMEA 0183 sentence parser (NMEA 2.x – 4.11): RMC, GGA, GSA, GSV, VTG, GLL, ZDA, GNS, TXT, from
 * any talker (GP GL GA GB BD GQ QZ GI GN ...). Proprietary (`$P...`), AIS (`!...`) and every other
 * type are counted and skipped.
 *
 * Built for XS: the line arrives as (text, start, end) plus the staging bytes at the same indices
 * (see NmeaLineReader). The checksum is an XOR over 32-bit words; fields are found with
 * `String.prototype.indexOf` / `split` and numbers converted with `Number()` — all native calls, no
 * per-character JavaScript. String methods are called through `.call` (no String wrapper object).
 * Parsed values go into reused records (`rmc`, `gga`, `gsa`, `gsv`, `vtg`, `gll`, `zda`, `gns`).
 *
 * Checksum policy: a sentence with `*hh` must match (hex digits in either case) or it is rejected
 * (`checksumErrors`). Sentences that feed a fix (all the types above except TXT) are rejected without
 * a checksum too (`missingChecksum`). TXT and other types without a checksum are counted as other.
 *
 * Field policy: unknown (empty) values are NaN, counts -1, characters 0 — never 0 for a number.
 * A present but unparseable time, status, coordinate, hemisphere or GGA quality makes the whole
 * sentence malformed (`malformed`). Coordinates that parse but are out of range become unknown
 * (`badCoordinates`), and so do unparseable auxiliary fields (speed, course, date, ...; `badDates`
 * counts bad dates). Two-digit years: yy < 69 → 20yy, else 19yy (gpsd's pivot); the GPS week
 * rollover is repaired later, in GnssReceiver.
 */

import { xorChecksum } from "./nmea-line-reader";

const indexOf = String.prototype.indexOf;
const lastIndexOf = String.prototype.lastIndexOf;
const slice = String.prototype.slice;
const split = String.prototype.split;
const charCodeAt = String.prototype.charCodeAt;

/** Character codes used in single-letter fields. */
export const NmeaChar = Object.freeze({
  /** Status A: data valid / mode autonomous. */
  A: 0x41,
  /** Status V: data not valid / navStatus: not provided. */
  V: 0x56,
  /** Mode: differential. */
  D: 0x44,
  /** Mode: estimated (dead reckoning). */
  E: 0x45,
  /** Mode: RTK float. */
  F: 0x46,
  /** Mode: manual input. */
  M: 0x4d,
  /** Mode: not valid. */
  N: 0x4e,
  /** Mode: precise. */
  P: 0x50,
  /** Mode: RTK integer. */
  R: 0x52,
  /** Mode: simulator. */
  S: 0x53,
} as const);

/** What `NmeaParser.parse` found. */
export const SentenceType = Object.freeze({
  /** Rejected: bad framing, checksum, or malformed fields (counted). */
  Invalid: -1,
  /** A well-formed sentence of a type this parser skips (counted). */
  Other: 0,
  Rmc: 1,
  Gga: 2,
  Gsa: 3,
  Gsv: 4,
  Vtg: 5,
  Gll: 6,
  Zda: 7,
  Gns: 8,
  Txt: 9,
} as const);
export type SentenceType = (typeof SentenceType)[keyof typeof SentenceType];

/** GNSS constellation index used for per-system counts (GSA system ID order, NMEA 4.11). */
export const GnssSystem = Object.freeze({
  Unknown: 0,
  Gps: 1,
  Glonass: 2,
  Galileo: 3,
  Beidou: 4,
  Qzss: 5,
  Navic: 6,
} as const);
/** Number of slots in per-system arrays (index = GnssSystem value). */
export const GNSS_SYSTEM_COUNT = 7;

/** Recommended Minimum data (RMC), reused. */
export class RmcRecord {
  /** UTC time of day, ms since 00:00:00. NaN when empty. */
  timeOfDayMs = NaN;
  /** Status character code: A valid, V warning; 0 when empty. */
  status = 0;
  /** Degrees, north positive. NaN when empty. */
  latitudeDeg = NaN;
  /** Degrees, east positive. NaN when empty. */
  longitudeDeg = NaN;
  /** Speed over ground, km/h (knots × 1.852). NaN when empty or unparseable. */
  speedKmh = NaN;
  /** Course over ground, degrees true. NaN when empty or unparseable. */
  courseDeg = NaN;
  /** UTC date, ms since the Unix epoch at 00:00 of that day. NaN when unknown. */
  dateMs = NaN;
  /** Magnetic variation, degrees, east positive. NaN when empty. */
  magneticVariationDeg = NaN;
  /** FAA mode indicator character code (NMEA 2.3+), 0 when absent. */
  mode = 0;
  /** Navigational status character code (NMEA 4.10+; u-blox sends V = "not provided"), 0 when absent. */
  navStatus = 0;
}

/** Fix data (GGA), reused. */
export class GgaRecord {
  /** UTC time of day, ms. NaN when empty. */
  timeOfDayMs = NaN;
  latitudeDeg = NaN;
  longitudeDeg = NaN;
  /** Quality 0..8 (0 none, 1 GPS, 2 DGPS, 3 PPS, 4 RTK, 5 RTK float, 6 DR, 7 manual, 8 sim); -1 when empty. */
  quality = -1;
  /** Satellites in use, -1 when empty. */
  satellites = -1;
  /** HDOP. NaN when empty. */
  hdop = NaN;
  /** Altitude above mean sea level, metres. NaN when empty. */
  altitudeM = NaN;
  /** Geoid separation, metres. NaN when empty. */
  geoidSeparationM = NaN;
}

/** GNSS fix data (GNS, NMEA 4.x multi-constellation GGA), reused. */
export class GnsRecord {
  timeOfDayMs = NaN;
  latitudeDeg = NaN;
  longitudeDeg = NaN;
  /** Best mode character of the mode string (A, D, P, R, F, E, M, S; N when none valid); 0 when empty. */
  mode = 0;
  satellites = -1;
  hdop = NaN;
  altitudeM = NaN;
  geoidSeparationM = NaN;
}

/** DOP and active satellites (GSA), reused. */
export class GsaRecord {
  /** GnssSystem of this list (system ID field, else talker, else satellite ID ranges). */
  system = 0;
  /** 1 no fix, 2 2D, 3 3D; 0 when empty. */
  fixType = 0;
  /** Non-empty satellite ID fields (0..12). */
  satellitesUsed = 0;
  pdop = NaN;
  hdop = NaN;
  vdop = NaN;
}

/** One GSV message (satellites in view), reused. Only the counts are kept, not each satellite. */
export class GsvRecord {
  /** GnssSystem from the talker (GN: unknown). */
  system = 0;
  /** Messages in this group. */
  messageCount = 0;
  /** This message's number, 1-based. */
  messageNumber = 0;
  /** Satellites in view (of this system and signal). -1 when empty. */
  satellitesInView = -1;
  /** NMEA 4.10 signal ID (hex digit), -1 when absent. */
  signalId = -1;
}

/** Course and speed (VTG), reused. */
export class VtgRecord {
  courseDeg = NaN;
  speedKmh = NaN;
  /** FAA mode character code, 0 when absent. */
  mode = 0;
}

/** Geographic position (GLL), reused. */
export class GllRecord {
  timeOfDayMs = NaN;
  latitudeDeg = NaN;
  longitudeDeg = NaN;
  status = 0;
  mode = 0;
}

/** Time and date (ZDA), reused. */
export class ZdaRecord {
  timeOfDayMs = NaN;
  /** UTC date at 00:00, ms since the epoch (4-digit year). NaN when unknown. */
  dateMs = NaN;
}

const KMH_PER_KNOT = 1.852;
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
function dateMsOf(year: number, month: number, day: number): number {
  if (!(month >= 1 && month <= 12 && day >= 1)) return NaN;
  const monthDays = DAYS_IN_MONTH[month - 1] + (month === 2 && isLeapYear(year) ? 1 : 0);
  if (day > monthDays) return NaN;
  return daysSinceEpoch(year, month, day) * MS_PER_DAY;
}

/** Number of a field string: NaN when empty or not a plain decimal number. */
function num(s: string): number {
  if (s === "") return NaN;
  const v = +s;
  return v === v && s !== " " ? v : NaN;
}

/** System from a 2-letter talker (codes of its 2 letters). */
function systemOfTalker(a: number, b: number): number {
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
function systemOfSatelliteId(id: number): number {
  if (id >= 65 && id <= 96) return GnssSystem.Glonass;
  if (id >= 193 && id <= 200) return GnssSystem.Qzss;
  if ((id >= 201 && id <= 263) || (id >= 401 && id <= 463)) return GnssSystem.Beidou;
  if (id >= 301 && id <= 336) return GnssSystem.Galileo;
  return GnssSystem.Gps; // 1-32 GPS, 33-64 / 120-158 SBAS (counted with GPS)
}

/**
 * Parses one sentence at a time into reused records and counts everything. Never throws.
 */
export class NmeaParser {
  readonly rmc = new RmcRecord();
  readonly gga = new GgaRecord();
  readonly gns = new GnsRecord();
  readonly gsa = new GsaRecord();
  readonly gsv = new GsvRecord();
  readonly vtg = new VtgRecord();
  readonly gll = new GllRecord();
  readonly zda = new ZdaRecord();

  /** RMC sentences accepted. */
  rmcSentences = 0;
  /** GGA sentences accepted. */
  ggaSentences = 0;
  /** GSA, GSV, VTG, GLL, ZDA, GNS, TXT sentences accepted. */
  gsaSentences = 0;
  gsvSentences = 0;
  vtgSentences = 0;
  gllSentences = 0;
  zdaSentences = 0;
  gnsSentences = 0;
  txtSentences = 0;
  /** Well-formed sentences of other types (proprietary, AIS, GST, GBS, ...), skipped. */
  otherSentences = 0;
  /** Sentences whose `*hh` was wrong or not two hex digits at the end of the line. */
  checksumErrors = 0;
  /** Fix-feeding sentences rejected for lack of a checksum. */
  missingChecksum = 0;
  /** Lines rejected for bad framing or unparseable required fields. */
  malformed = 0;
  /** Dates present but invalid (date unknown, sentence kept). */
  badDates = 0;
  /** Coordinates out of range: position unknown, sentence kept. */
  badCoordinates = 0;

  #bad = false;
  /** Talker letters of the sentence being parsed. */
  #talkerA = 0;
  #talkerB = 0;
  readonly #scratchBytes = new Uint8Array(512);
  readonly #scratchWords = new Uint32Array(this.#scratchBytes.buffer);

  /**
   * Parse one line held as a string (convenience for tests and tools: copies it into a scratch
   * buffer first; lines over 512 characters are malformed). Characters above 0xFF count as 0xFF.
   */
  parseLine(line: string): SentenceType {
    const n = line.length;
    if (n > 512) {
      this.malformed++;
      return SentenceType.Invalid;
    }
    const bytes = this.#scratchBytes;
    for (let i = 0; i < n; i++) {
      const c = line.charCodeAt(i);
      bytes[i] = c > 0xff ? 0xff : c;
    }
    return this.parse(line, 0, n, bytes, this.#scratchWords);
  }

  /**
   * Parse `text[start .. end-1]` (from '$' or '!' up to the checksum, without CR/LF); `bytes`/`words`
   * hold the same characters at the same indices (words: a Uint32Array over bytes' aligned buffer).
   * Returns what was found; the matching record holds the values.
   */
  parse(text: string, start: number, end: number, bytes: Uint8Array, words: Uint32Array): SentenceType {
    const c0 = charCodeAt.call(text, start);
    if (end - start < 6 || (c0 !== 0x24 && c0 !== 0x21)) {
      this.malformed++;
      return SentenceType.Invalid;
    }
    // checksum
    const star = lastIndexOf.call(text, "*", end - 1);
    let dataEnd = end;
    const hasChecksum = star > start;
    if (hasChecksum) {
      dataEnd = star;
      if (star !== end - 3) {
        this.checksumErrors++;
        return SentenceType.Invalid;
      }
      const expected = +("0x" + slice.call(text, star + 1, end));
      if (expected !== xorChecksum(bytes, words, start + 1, star)) {
        this.checksumErrors++;
        return SentenceType.Invalid;
      }
    }
    // address
    const comma = indexOf.call(text, ",", start);
    const addressEnd = comma < 0 || comma > dataEnd ? dataEnd : comma;
    if (c0 !== 0x24 || addressEnd - start !== 6) {
      this.otherSentences++;
      return SentenceType.Other;
    }
    const a = charCodeAt.call(text, start + 1);
    const b = charCodeAt.call(text, start + 2);
    if (a === 0x50 || a < 0x41 || a > 0x5a || b < 0x41 || b > 0x5a) {
      this.otherSentences++; // proprietary or not a talker
      return SentenceType.Other;
    }
    let type: SentenceType;
    switch (slice.call(text, start + 3, start + 6)) {
      case "RMC": type = SentenceType.Rmc; break;
      case "GGA": type = SentenceType.Gga; break;
      case "GSA": type = SentenceType.Gsa; break;
      case "GSV": type = SentenceType.Gsv; break;
      case "VTG": type = SentenceType.Vtg; break;
      case "GLL": type = SentenceType.Gll; break;
      case "ZDA": type = SentenceType.Zda; break;
      case "GNS": type = SentenceType.Gns; break;
      case "TXT":
        this.txtSentences++;
        return SentenceType.Txt;
      default:
        this.otherSentences++;
        return SentenceType.Other;
    }
    if (!hasChecksum) {
      this.missingChecksum++;
      return SentenceType.Invalid;
    }
    this.#talkerA = a;
    this.#talkerB = b;
    this.#bad = false;
    const body = addressEnd + 1; // first data field (may equal dataEnd + 1 when there is none)
    let ok: boolean;
    switch (type) {
      case SentenceType.Rmc: ok = this.#rmc(this.#split(text, body, dataEnd)); break;
      case SentenceType.Gga: ok = this.#gga(this.#split(text, body, dataEnd)); break;
      case SentenceType.Gsa: ok = this.#gsa(text, body, dataEnd); break;
      case SentenceType.Gsv: ok = this.#gsv(text, body, dataEnd); break;
      case SentenceType.Vtg: ok = this.#vtg(this.#split(text, body, dataEnd)); break;
      case SentenceType.Gll: ok = this.#gll(this.#split(text, body, dataEnd)); break;
      case SentenceType.Zda: ok = this.#zda(this.#split(text, body, dataEnd)); break;
      default: ok = this.#gns(this.#split(text, body, dataEnd)); break;
    }
    if (!ok || this.#bad) {
      this.malformed++;
      return SentenceType.Invalid;
    }
    switch (type) {
      case SentenceType.Rmc: this.rmcSentences++; break;
      case SentenceType.Gga: this.ggaSentences++; break;
      case SentenceType.Gsa: this.gsaSentences++; break;
      case SentenceType.Gsv: this.gsvSentences++; break;
      case SentenceType.Vtg: this.vtgSentences++; break;
      case SentenceType.Gll: this.gllSentences++; break;
      case SentenceType.Zda: this.zdaSentences++; break;
      default: this.gnsSentences++; break;
    }
    return type;
  }

  /** Data fields as strings (one native split; the array is garbage after the sentence). */
  #split(text: string, from: number, to: number): string[] {
    return from > to ? [] : (split as (this: string, separator: string) => string[]).call(slice.call(text, from, to), ",");
  }

  /** RMC: time,status,lat,N/S,lon,E/W,sog,cog,ddmmyy,magvar,E/W[,mode][,navStatus]. */
  #rmc(f: string[]): boolean {
    if (f.length < 9) return false;
    const r = this.rmc;
    r.timeOfDayMs = this.#time(f[0]);
    r.status = this.#letter(f[1], true);
    if (r.status !== 0 && r.status !== NmeaChar.A && r.status !== NmeaChar.V) this.#bad = true;
    r.latitudeDeg = this.#coordinate(f[2], f[3], 90, 0x4e, 0x53);
    r.longitudeDeg = this.#coordinate(f[4], f[5], 180, 0x45, 0x57);
    const knots = num(f[6]);
    r.speedKmh = knots >= 0 ? knots * KMH_PER_KNOT : NaN;
    const course = num(f[7]);
    r.courseDeg = course >= 0 && course <= 360 ? course : NaN;
    r.dateMs = this.#date(f[8]);
    const n = f.length;
    if (n > 10) {
      const magvar = num(f[9]);
      const side = this.#letter(f[10], false);
      r.magneticVariationDeg = side === 0x57 ? -magvar : side === 0x45 ? magvar : NaN;
    } else {
      r.magneticVariationDeg = NaN;
    }
    r.mode = n > 11 ? this.#letter(f[11], false) : 0;
    r.navStatus = n > 12 ? this.#letter(f[12], false) : 0;
    return true;
  }

  /** GGA: time,lat,N/S,lon,E/W,quality,numSV,HDOP,alt,M,geoidSep,M,age,station. */
  #gga(f: string[]): boolean {
    if (f.length < 9) return false;
    const g = this.gga;
    g.timeOfDayMs = this.#time(f[0]);
    g.latitudeDeg = this.#coordinate(f[1], f[2], 90, 0x4e, 0x53);
    g.longitudeDeg = this.#coordinate(f[3], f[4], 180, 0x45, 0x57);
    const qs = f[5];
    g.quality = -1;
    if (qs !== "") {
      const q = qs.length === 1 ? num(qs) : NaN;
      if (q >= 0 && q <= 8) g.quality = q;
      else this.#bad = true;
    }
    g.satellites = count(num(f[6]));
    const hdop = num(f[7]);
    g.hdop = hdop >= 0 ? hdop : NaN;
    g.altitudeM = num(f[8]);
    g.geoidSeparationM = f.length > 10 ? num(f[10]) : NaN;
    return true;
  }

  /** GNS: time,lat,N/S,lon,E/W,modes,numSV,HDOP,alt,geoidSep,age,station[,navStatus]. */
  #gns(f: string[]): boolean {
    if (f.length < 9) return false;
    const g = this.gns;
    g.timeOfDayMs = this.#time(f[0]);
    g.latitudeDeg = this.#coordinate(f[1], f[2], 90, 0x4e, 0x53);
    g.longitudeDeg = this.#coordinate(f[3], f[4], 180, 0x45, 0x57);
    g.mode = bestMode(f[5]);
    g.satellites = count(num(f[6]));
    const hdop = num(f[7]);
    g.hdop = hdop >= 0 ? hdop : NaN;
    g.altitudeM = num(f[8]);
    g.geoidSeparationM = f.length > 9 ? num(f[9]) : NaN;
    return true;
  }

  /** VTG: cogT,T,cogM,M,sogKnots,N,sogKmh,K[,mode] (or the pre-3.01 form cogT,cogM,knots,kmh). */
  #vtg(f: string[]): boolean {
    const v = this.vtg;
    let course: number;
    let kmh: number;
    if (f.length >= 8 && f[1] === "T") {
      course = num(f[0]);
      kmh = num(f[6]);
      if (!(kmh >= 0)) kmh = num(f[4]) * KMH_PER_KNOT;
      v.mode = f.length > 8 ? this.#letter(f[8], false) : 0;
    } else if (f.length >= 4) {
      course = num(f[0]);
      kmh = num(f[3]);
      if (!(kmh >= 0)) kmh = num(f[2]) * KMH_PER_KNOT;
      v.mode = 0;
    } else {
      return false;
    }
    v.courseDeg = course >= 0 && course <= 360 ? course : NaN;
    v.speedKmh = kmh >= 0 ? kmh : NaN;
    return true;
  }

  /** GLL: lat,N/S,lon,E/W,time,status[,mode]. */
  #gll(f: string[]): boolean {
    if (f.length < 6) return false;
    const g = this.gll;
    g.latitudeDeg = this.#coordinate(f[0], f[1], 90, 0x4e, 0x53);
    g.longitudeDeg = this.#coordinate(f[2], f[3], 180, 0x45, 0x57);
    g.timeOfDayMs = this.#time(f[4]);
    g.status = this.#letter(f[5], true);
    g.mode = f.length > 6 ? this.#letter(f[6], false) : 0;
    return true;
  }

  /** ZDA: time,dd,mm,yyyy,tzh,tzm. */
  #zda(f: string[]): boolean {
    if (f.length < 4) return false;
    const z = this.zda;
    z.timeOfDayMs = this.#time(f[0]);
    const day = num(f[1]);
    const month = num(f[2]);
    const year = num(f[3]);
    z.dateMs = NaN;
    if (f[1] !== "" || f[3] !== "") {
      const ms = year >= 1970 && year < 2200 && (year | 0) === year ? dateMsOf(year, month, day) : NaN;
      if (ms === ms) z.dateMs = ms;
      else this.badDates++;
    }
    return true;
  }

  /** GSA: selMode,fixType,12×svid,PDOP,HDOP,VDOP[,systemId]. Walks the fields with indexOf (no array). */
  #gsa(text: string, from: number, to: number): boolean {
    const s = this.gsa;
    // field 1 (selection mode), field 2 (fix type)
    let c = indexOf.call(text, ",", from);
    if (c < 0 || c >= to) return false;
    let p = c + 1;
    c = indexOf.call(text, ",", p);
    if (c < 0 || c >= to) return false;
    const fixType = c === p + 1 ? charCodeAt.call(text, p) - 0x30 : c === p ? 0 : -1;
    if (fixType < 0 || fixType > 3) this.#bad = true;
    s.fixType = fixType;
    // 12 satellite IDs
    let used = 0;
    let firstId = 0;
    for (let i = 0; i < 12; i++) {
      p = c + 1;
      c = indexOf.call(text, ",", p);
      if (c < 0 || c >= to) return false;
      if (c > p) {
        used++;
        if (used === 1) firstId = +slice.call(text, p, c);
      }
    }
    s.satellitesUsed = used;
    // PDOP, HDOP, VDOP[, system ID]
    p = c + 1;
    c = indexOf.call(text, ",", p);
    if (c < 0 || c >= to) return false;
    s.pdop = dop(num(slice.call(text, p, c)));
    p = c + 1;
    c = indexOf.call(text, ",", p);
    if (c < 0 || c >= to) c = to;
    s.hdop = dop(num(slice.call(text, p, c)));
    let system: number = GnssSystem.Unknown;
    if (c < to) {
      p = c + 1;
      c = indexOf.call(text, ",", p);
      if (c < 0 || c >= to) c = to;
      s.vdop = dop(num(slice.call(text, p, c)));
      if (c < to) {
        const id = parseInt(slice.call(text, c + 1, to), 16);
        if (id >= 1 && id <= 6) system = id;
      }
    } else {
      s.vdop = NaN;
    }
    if (system === GnssSystem.Unknown) system = systemOfTalker(this.#talkerA, this.#talkerB);
    if (system === GnssSystem.Unknown && used > 0) system = systemOfSatelliteId(firstId);
    s.system = system;
    return true;
  }

  /** GSV: numMsgs,msgNum,numSV,{svid,elev,az,cno}×0..4[,signalId]. Reads the header and the field count only. */
  #gsv(text: string, from: number, to: number): boolean {
    const v = this.gsv;
    let c = indexOf.call(text, ",", from);
    if (c < 0 || c >= to) return false;
    const messages = num(slice.call(text, from, c));
    let p = c + 1;
    c = indexOf.call(text, ",", p);
    if (c < 0 || c >= to) c = to;
    const number = num(slice.call(text, p, c));
    if (!(messages >= 1 && messages <= 99 && number >= 1 && number <= messages)) return false;
    let inView = -1;
    let signalId = -1;
    if (c < to) {
      p = c + 1;
      c = indexOf.call(text, ",", p);
      if (c < 0 || c >= to) c = to;
      inView = count(num(slice.call(text, p, c)));
      // Signal ID (NMEA 4.10): a 1-character last field (cno is 2 digits or empty). Informational
      // only: in-view counts take the largest numSV of a system's groups, so signals never add up.
      if (c < to && lastIndexOf.call(text, ",", to - 1) === to - 2) signalId = parseInt(slice.call(text, to - 1, to), 16);
    }
    v.system = systemOfTalker(this.#talkerA, this.#talkerB);
    v.messageCount = messages;
    v.messageNumber = number;
    v.satellitesInView = inView;
    v.signalId = signalId >= 0 ? signalId : -1;
    return true;
  }

  /** Single-character field as a char code; 0 when empty. Longer: 0, and bad if `required`. */
  #letter(s: string | undefined, required: boolean): number {
    if (s === undefined || s === "") return 0;
    if (s.length === 1) return charCodeAt.call(s, 0);
    if (required) this.#bad = true;
    return 0;
  }

  /** hhmmss[.sss] → ms of day; NaN when empty; bad when present but malformed. */
  #time(s: string): number {
    if (s === "") return NaN;
    const v = num(s);
    if (!(v >= 0) || s.length < 6 || charCodeAt.call(s, 0) === 0x2b) {
      this.#bad = true;
      return NaN;
    }
    const hms = Math.floor(v);
    const h = Math.floor(hms / 10000);
    const m = Math.floor(hms / 100) - h * 100;
    const sec = hms - h * 10000 - m * 100;
    if (h > 23 || m > 59 || sec > 60) {
      this.#bad = true;
      return NaN;
    }
    return ((h * 60 + m) * 60 + sec) * 1000 + Math.round((v - hms) * 1000);
  }

  /**
   * [d]ddmm.mmmm + hemisphere → signed degrees: degrees = floor(v/100), minutes = v − 100·degrees
   * (double precision keeps 1e-12 minutes, well under 1e-9°). NaN when empty or out of range
   * (badCoordinates); bad when not a number or without a valid hemisphere.
   */
  #coordinate(s: string, side: string, maxDeg: number, positive: number, negative: number): number {
    if (s === "") return NaN;
    const v = num(s);
    const hemisphere = this.#letter(side, true);
    const dot = indexOf.call(s, ".");
    const intDigits = dot < 0 ? s.length : dot;
    if (!(v >= 0) || intDigits < 3 || intDigits > 5 || charCodeAt.call(s, 0) === 0x2b ||
      (hemisphere !== positive && hemisphere !== negative)) {
      this.#bad = true;
      return NaN;
    }
    const degrees = Math.floor(v / 100);
    const minutes = v - degrees * 100;
    const value = degrees + minutes / 60;
    if (minutes >= 60 || value > maxDeg) {
      this.badCoordinates++; // e.g. MTK's no-fix placeholder 8960.000000 (mtk-3301.log)
      return NaN;
    }
    return hemisphere === negative ? -value : value;
  }

  /** ddmmyy → ms at 00:00 UTC (yy < 69 → 20yy, else 19yy). NaN (and counted) when invalid. */
  #date(s: string): number {
    if (s === "") return NaN;
    const v = num(s);
    if (s.length === 6 && v >= 0 && Math.floor(v) === v && charCodeAt.call(s, 0) !== 0x2b) {
      const day = Math.floor(v / 10000);
      const month = Math.floor(v / 100) - day * 100;
      const yy = v - day * 10000 - month * 100;
      const ms = dateMsOf(yy < 69 ? 2000 + yy : 1900 + yy, month, day);
      if (ms === ms) return ms;
    }
    this.badDates++;
    return NaN;
  }
}

function count(v: number): number {
  return v >= 0 && v <= 255 && Math.floor(v) === v ? v : -1;
}

function dop(v: number): number {
  return v >= 0 ? v : NaN;
}

/** Best FAA mode in a GNS mode string (one char per constellation). */
function bestMode(s: string): number {
  if (s === "") return 0;
  const order = "RFPDAEMSN";
  for (let i = 0; i < order.length; i++) {
    if (indexOf.call(s, order[i]) >= 0) return charCodeAt.call(order, i);
  }
  return NmeaChar.N;
}


/**
 * NMEA 0183 sentence parser for RMC and GGA, working on the bytes of one line.
 *
 * No strings, regexes or arrays are created per sentence: field boundaries go into a preallocated
 * table and numbers are parsed straight from the bytes into two reused records (`rmc`, `gga`).
 * Any talker is accepted (GP, GN, GL, GA, GB, BD, GQ, QZ, ...); proprietary (`$P...`), AIS (`!`)
 * and all other sentence types are counted and skipped.
 *
 * Checksum policy: a sentence with `*hh` must match (hex digits in either case) or it is rejected
 * (`checksumErrors`). RMC and GGA without a checksum are rejected too (`missingChecksum`): they move
 * the reported position, and a line damaged on the wire without a checksum cannot be told from a
 * good one. Other sentence types without a checksum are merely counted as `otherSentences`.
 *
 * Field policy: unknown (empty) values are NaN, counts -1, characters 0 — never 0 for a number.
 * A present but unparseable time, status, coordinate, hemisphere or GGA quality makes the whole
 * sentence malformed (`malformed`). Coordinates that parse but are out of range become unknown
 * (`badCoordinates`), and so do unparseable auxiliary fields (speed, course, date, magnetic
 * variation, satellites, HDOP, altitude; `badDates` counts bad RMC dates).
 */

const DOLLAR = 0x24;
const BANG = 0x21;
const COMMA = 0x2c;
const STAR = 0x2a;
const DOT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
const CHAR_P = 0x50;

/** Character codes used in RMC/GGA single-letter fields. */
export const NmeaChar = Object.freeze({
  /** Status A: data valid. */
  A: 0x41,
  /** Status V: data not valid / navStatus: not provided. Mode V does not exist. */
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
  /** Rejected: bad framing, checksum, or malformed RMC/GGA (counted). */
  Invalid: -1,
  /** A well-formed sentence of a type this parser skips (counted). */
  Other: 0,
  /** `parser.rmc` now holds this RMC. */
  Rmc: 1,
  /** `parser.gga` now holds this GGA. */
  Gga: 2,
} as const);
export type SentenceType = (typeof SentenceType)[keyof typeof SentenceType];

/** Recommended Minimum data (RMC), reused for every RMC parsed. */
export class RmcRecord {
  /** UTC time of day, ms since 00:00:00 (0..86,400,999). NaN when empty. */
  timeOfDayMs = NaN;
  /** Status character code: NmeaChar.A valid, NmeaChar.V warning; 0 when empty. */
  status = 0;
  /** Degrees, north positive. NaN when empty. */
  latitudeDeg = NaN;
  /** Degrees, east positive. NaN when empty. */
  longitudeDeg = NaN;
  /** Speed over ground, km/h (knots × 1.852). NaN when empty or unparseable. */
  speedKmh = NaN;
  /** Course over ground, degrees true. NaN when empty or unparseable. */
  courseDeg = NaN;
  /** UTC date as ms since the Unix epoch at 00:00 of that day (year 2000 + yy). NaN when unknown. */
  dateMs = NaN;
  /** Magnetic variation, degrees, east positive. NaN when empty. */
  magneticVariationDeg = NaN;
  /** FAA mode indicator character code (NMEA 2.3+), 0 when absent. */
  mode = 0;
  /** Navigational status character code (NMEA 4.10+, u-blox sends V = "not provided"), 0 when absent. */
  navStatus = 0;
}

/** Fix data (GGA), reused for every GGA parsed. */
export class GgaRecord {
  /** UTC time of day, ms since 00:00:00. NaN when empty. */
  timeOfDayMs = NaN;
  /** Degrees, north positive. NaN when empty. */
  latitudeDeg = NaN;
  /** Degrees, east positive. NaN when empty. */
  longitudeDeg = NaN;
  /** Quality indicator 0..8 (0 none, 1 GPS, 2 DGPS, 3 PPS, 4 RTK, 5 RTK float, 6 DR, 7 manual, 8 sim); -1 when empty. */
  quality = -1;
  /** Satellites in use, -1 when empty. */
  satellites = -1;
  /** Horizontal dilution of precision. NaN when empty. */
  hdop = NaN;
  /** Altitude above mean sea level, metres. NaN when empty. */
  altitudeM = NaN;
}

/** Most fields recorded per sentence; further commas are ignored (RMC/GGA need 14). */
const MAX_FIELDS = 24;
/** Fraction digits kept in a coordinate's minutes (more are checked but ignored). */
const MAX_MINUTE_FRACTION_DIGITS = 12;
/** Significant digits kept in a decimal number (more integer digits: unparseable). */
const MAX_SIGNIFICANT_DIGITS = 15;

const POW10 = Object.freeze([
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
  1e19, 1e20, 1e21, 1e22,
]);

const KMH_PER_KNOT = 1.852;
const MS_PER_DAY = 86_400_000;

/** Cumulative days before each month in a non-leap year. */
const DAYS_BEFORE_MONTH = Object.freeze([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]);
const DAYS_IN_MONTH = Object.freeze([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days from 1970-01-01 to year-month-day (Gregorian, year ≥ 1970). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = year - 1;
  const leapDaysBefore = Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 477; // 477 = leap days before 1970
  let days = (year - 1970) * 365 + leapDaysBefore + DAYS_BEFORE_MONTH[month - 1] + day - 1;
  if (month > 2 && isLeapYear(year)) days++;
  return days;
}

function hexValue(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function digitAt(line: Uint8Array, index: number): number {
  const c = line[index];
  return c >= ZERO && c <= NINE ? c - ZERO : -1;
}

/**
 * Parses RMC and GGA from line bytes into reused records and counts everything else.
 * Never throws; never allocates after construction.
 */
export class NmeaParser {
  /** Last RMC parsed (valid after `parse` returned SentenceType.Rmc). */
  readonly rmc = new RmcRecord();
  /** Last GGA parsed (valid after `parse` returned SentenceType.Gga). */
  readonly gga = new GgaRecord();

  /** RMC sentences accepted. */
  rmcSentences = 0;
  /** GGA sentences accepted. */
  ggaSentences = 0;
  /** Well-formed sentences of other types, skipped. */
  otherSentences = 0;
  /** Sentences whose `*hh` was wrong or not two hex digits at the end of the line. */
  checksumErrors = 0;
  /** RMC/GGA sentences rejected for lack of a checksum. */
  missingChecksum = 0;
  /** Lines rejected for bad framing or unparseable RMC/GGA fields. */
  malformed = 0;
  /** RMC dates that were present but invalid (the date became unknown, the sentence was kept). */
  badDates = 0;
  /** Coordinates out of range (minutes ≥ 60, > 90° / 180°): position unknown, sentence kept. */
  badCoordinates = 0;

  /** Index of the first byte of each field (field 0 is the address after '$'). */
  readonly #fieldStart = new Uint16Array(MAX_FIELDS);
  /** Index one past the last byte of each field. */
  readonly #fieldEnd = new Uint16Array(MAX_FIELDS);
  #fieldCount = 0;
  #line: Uint8Array = new Uint8Array(0);
  /** Set by the field parsers when a required field is present but unparseable. */
  #bad = false;

  /**
   * Parse one line: `line[0 .. length-1]`, from '$' or '!' up to the checksum, without CR/LF.
   * Returns what was found; on Rmc / Gga the matching record holds the values.
   */
  parse(line: Uint8Array, length: number): SentenceType {
    if (length > line.length) length = line.length;
    if (length > 0xffff) length = 0xffff;
    if (length < 7 || (line[0] !== DOLLAR && line[0] !== BANG)) {
      this.malformed++;
      return SentenceType.Invalid;
    }

    // Checksum and field boundaries in one pass.
    const fieldStart = this.#fieldStart;
    const fieldEnd = this.#fieldEnd;
    let sum = 0;
    let fields = 1;
    fieldStart[0] = 1;
    let i = 1;
    for (; i < length; i++) {
      const c = line[i];
      if (c === STAR) break;
      sum ^= c;
      if (c === COMMA && fields < MAX_FIELDS) {
        fieldEnd[fields - 1] = i;
        fieldStart[fields] = i + 1;
        fields++;
      }
    }
    const dataEnd = i;
    fieldEnd[fields - 1] = dataEnd;
    this.#fieldCount = fields;
    const hasChecksum = dataEnd < length;
    if (hasChecksum) {
      const high = length === dataEnd + 3 ? hexValue(line[dataEnd + 1]) : -1;
      const low = high >= 0 ? hexValue(line[dataEnd + 2]) : -1;
      if (low < 0 || ((high << 4) | low) !== sum) {
        this.checksumErrors++;
        return SentenceType.Invalid;
      }
    }

    // Address: talker (2 letters, not proprietary 'P') + 3-letter type.
    let type: SentenceType = SentenceType.Other;
    if (line[0] === DOLLAR && fieldEnd[0] === 6 && line[1] !== CHAR_P && this.#isUpper(line[1]) && this.#isUpper(line[2])) {
      const a = line[3];
      const b = line[4];
      const c = line[5];
      if (a === 0x52 && b === 0x4d && c === 0x43) type = SentenceType.Rmc;
      else if (a === 0x47 && b === 0x47 && c === 0x41) type = SentenceType.Gga;
    }
    if (type === SentenceType.Other) {
      this.otherSentences++;
      return type;
    }
    if (!hasChecksum) {
      this.missingChecksum++;
      return SentenceType.Invalid;
    }
    this.#line = line;
    this.#bad = false;
    const ok = type === SentenceType.Rmc ? this.#parseRmc() : this.#parseGga();
    if (!ok || this.#bad) {
      this.malformed++;
      return SentenceType.Invalid;
    }
    if (type === SentenceType.Rmc) this.rmcSentences++;
    else this.ggaSentences++;
    return type;
  }

  #isUpper(c: number): boolean {
    return c >= 0x41 && c <= 0x5a;
  }

  /** RMC: time,status,lat,N/S,lon,E/W,sog,cog,ddmmyy,magvar,E/W[,mode][,navStatus]. */
  #parseRmc(): boolean {
    if (this.#fieldCount < 10) return false; // address + 9 fields through the date
    const r = this.rmc;
    r.timeOfDayMs = this.#time(1);
    r.status = this.#letter(2, true);
    if (r.status !== 0 && r.status !== NmeaChar.A && r.status !== NmeaChar.V) this.#bad = true;
    r.latitudeDeg = this.#coordinate(3, 4, 90, 0x4e, 0x53);
    r.longitudeDeg = this.#coordinate(5, 6, 180, 0x45, 0x57);
    const knots = this.#decimal(7);
    r.speedKmh = knots >= 0 ? knots * KMH_PER_KNOT : NaN;
    const course = this.#decimal(8);
    r.courseDeg = course >= 0 && course <= 360 ? course : NaN;
    r.dateMs = this.#date(9);
    const magvar = this.#decimal(10);
    const magvarSide = this.#letter(11, false);
    r.magneticVariationDeg = magvarSide === 0x57 ? -magvar : magvarSide === 0x45 ? magvar : NaN;
    r.mode = this.#letter(12, false);
    r.navStatus = this.#letter(13, false);
    return true;
  }

  /** GGA: time,lat,N/S,lon,E/W,quality,numSV,HDOP,alt,M,geoidSep,M,age,station. */
  #parseGga(): boolean {
    if (this.#fieldCount < 10) return false; // address + 9 fields through the altitude
    const g = this.gga;
    g.timeOfDayMs = this.#time(1);
    g.latitudeDeg = this.#coordinate(2, 3, 90, 0x4e, 0x53);
    g.longitudeDeg = this.#coordinate(4, 5, 180, 0x45, 0x57);
    g.quality = -1;
    const qs = this.#fieldStart[6];
    const qe = this.#fieldEnd[6];
    if (qe > qs) {
      const q = qe === qs + 1 ? digitAt(this.#line, qs) : -1;
      if (q < 0 || q > 8) this.#bad = true;
      else g.quality = q;
    }
    const satellites = this.#decimal(7);
    g.satellites = satellites >= 0 && satellites <= 255 && Math.floor(satellites) === satellites ? satellites : -1;
    const hdop = this.#decimal(8);
    g.hdop = hdop >= 0 ? hdop : NaN;
    g.altitudeM = this.#decimal(9);
    return true;
  }

  /** Single-character field as a char code; 0 when empty or absent. Longer: 0, and bad if `required`. */
  #letter(field: number, required: boolean): number {
    if (field >= this.#fieldCount) return 0;
    const s = this.#fieldStart[field];
    const e = this.#fieldEnd[field];
    if (e === s + 1) return this.#line[s];
    if (e > s && required) this.#bad = true;
    return 0;
  }

  /** Decimal number (optional sign, optional one '.'); NaN when empty, absent or unparseable. */
  #decimal(field: number): number {
    if (field >= this.#fieldCount) return NaN;
    const line = this.#line;
    let i = this.#fieldStart[field];
    const e = this.#fieldEnd[field];
    if (i >= e) return NaN;
    let negative = false;
    if (line[i] === MINUS) {
      negative = true;
      i++;
    } else if (line[i] === PLUS) {
      i++;
    }
    let mantissa = 0;
    let significant = 0;
    let fractionDigits = 0;
    let digits = 0;
    let seenDot = false;
    for (; i < e; i++) {
      const c = line[i];
      if (c >= ZERO && c <= NINE) {
        digits++;
        if (significant < MAX_SIGNIFICANT_DIGITS) {
          mantissa = mantissa * 10 + (c - ZERO);
          if (mantissa > 0) significant++;
          if (seenDot) fractionDigits++;
        } else if (!seenDot) {
          return NaN;
        }
      } else if (c === DOT && !seenDot) {
        seenDot = true;
      } else {
        return NaN;
      }
    }
    if (digits === 0) return NaN;
    const value = mantissa / POW10[fractionDigits];
    return negative ? -value : value;
  }

  /** hhmmss[.sss...] → ms of day; NaN when empty; bad when present but malformed. */
  #time(field: number): number {
    const line = this.#line;
    const s = this.#fieldStart[field];
    const e = this.#fieldEnd[field];
    if (e === s) return NaN;
    if (e < s + 6) {
      this.#bad = true;
      return NaN;
    }
    const h = digitAt(line, s) * 10 + digitAt(line, s + 1);
    const m = digitAt(line, s + 2) * 10 + digitAt(line, s + 3);
    const sec = digitAt(line, s + 4) * 10 + digitAt(line, s + 5);
    let ok =
      digitAt(line, s) >= 0 && digitAt(line, s + 1) >= 0 && digitAt(line, s + 2) >= 0 && digitAt(line, s + 3) >= 0 &&
      digitAt(line, s + 4) >= 0 && digitAt(line, s + 5) >= 0 && h < 24 && m < 60 && sec <= 60;
    let ms = 0;
    if (e > s + 6) {
      if (line[s + 6] !== DOT) ok = false;
      let scale = 100;
      for (let i = s + 7; i < e; i++) {
        const d = digitAt(line, i);
        if (d < 0) ok = false;
        ms += d * scale;
        scale = Math.floor(scale / 10);
      }
    }
    if (!ok) {
      this.#bad = true;
      return NaN;
    }
    return ((h * 60 + m) * 60 + sec) * 1000 + ms;
  }

  /**
   * [d]ddmm[.mmmm...] plus hemisphere field → signed degrees. Minutes are kept as an integer scaled
   * by 10^fractionDigits so that only one rounding happens. NaN when the value field is empty or out
   * of range (minutes ≥ 60, beyond ±90/±180: counted in badCoordinates); bad when not a number or
   * without a valid hemisphere.
   */
  #coordinate(field: number, hemisphereField: number, maxDeg: number, positive: number, negative: number): number {
    const line = this.#line;
    const s = this.#fieldStart[field];
    const e = this.#fieldEnd[field];
    if (e === s) return NaN;
    let integer = 0;
    let intDigits = 0;
    let i = s;
    for (; i < e; i++) {
      const d = digitAt(line, i);
      if (d < 0) break;
      integer = integer * 10 + d;
      intDigits++;
    }
    let fraction = 0;
    let fractionDigits = 0;
    let ok = intDigits >= 3 && intDigits <= 5;
    if (i < e) {
      if (line[i] !== DOT) ok = false;
      for (i++; i < e; i++) {
        const d = digitAt(line, i);
        if (d < 0) ok = false;
        else if (fractionDigits < MAX_MINUTE_FRACTION_DIGITS) {
          fraction = fraction * 10 + d;
          fractionDigits++;
        }
      }
    }
    const side = this.#letter(hemisphereField, true);
    if (!ok || (side !== positive && side !== negative)) {
      this.#bad = true;
      return NaN;
    }
    const degrees = Math.floor(integer / 100);
    const minutes = integer - degrees * 100;
    const scale = POW10[fractionDigits];
    const value = degrees + (minutes * scale + fraction) / (60 * scale);
    if (minutes >= 60 || value > maxDeg) {
      // e.g. MTK's no-fix placeholder 8960.000000 (mtk-3301.log): unknown, not malformed
      this.badCoordinates++;
      return NaN;
    }
    return side === negative ? -value : value;
  }

  /** ddmmyy → ms since the Unix epoch at 00:00 UTC, year 2000 + yy. NaN (and counted) when invalid. */
  #date(field: number): number {
    const line = this.#line;
    const s = this.#fieldStart[field];
    const e = this.#fieldEnd[field];
    if (e === s) return NaN;
    if (e === s + 6) {
      const d1 = digitAt(line, s);
      const d2 = digitAt(line, s + 1);
      const m1 = digitAt(line, s + 2);
      const m2 = digitAt(line, s + 3);
      const y1 = digitAt(line, s + 4);
      const y2 = digitAt(line, s + 5);
      if (d1 >= 0 && d2 >= 0 && m1 >= 0 && m2 >= 0 && y1 >= 0 && y2 >= 0) {
        const day = d1 * 10 + d2;
        const month = m1 * 10 + m2;
        const year = 2000 + y1 * 10 + y2;
        if (month >= 1 && month <= 12 && day >= 1) {
          const monthDays = DAYS_IN_MONTH[month - 1] + (month === 2 && isLeapYear(year) ? 1 : 0);
          if (day <= monthDays) return daysSinceEpoch(year, month, day) * MS_PER_DAY;
        }
      }
    }
    this.badDates++;
    return NaN;
  }
}

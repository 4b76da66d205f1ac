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
import { GnssSystem, GgaRecord, GllRecord, GnsRecord, GsaRecord, GsvRecord, NmeaChar, RmcRecord, SentenceType, VtgRecord, ZdaRecord } from "./nmea-sentences";
import {
  BAD,
  COORDINATE_BAD,
  COORDINATE_OUT_OF_RANGE,
  GSV_HEADERS,
  GSV_IN_VIEW,
  HEX_BYTES,
  KMH_PER_KNOT,
  LETTER_CODES,
  SENTENCE_STARTS,
  bestMode,
  coordinateFlag,
  coordinateOfField,
  count,
  dateMsOf,
  dateOfField,
  dopOf,
  gsaCount,
  letterOf,
  num,
  qualityDigit,
  systemOfSatelliteId,
  systemOfTalker,
  timeOfField,
} from "./nmea-fields";

export { GNSS_SYSTEM_COUNT, GnssSystem, GgaRecord, GllRecord, GnsRecord, GsaRecord, GsvRecord, NmeaChar, RmcRecord, SentenceType, VtgRecord, ZdaRecord } from "./nmea-sentences";
export { daysSinceEpoch } from "./nmea-fields";

const indexOf = String.prototype.indexOf;
const lastIndexOf = String.prototype.lastIndexOf;
const slice = String.prototype.slice;
const split = String.prototype.split as (this: string, separator: string, limit?: number) => string[];
const charCodeAt = String.prototype.charCodeAt;

/**
 * Parses one sentence at a time into reused records and counts everything. Never throws.
 *
 * Cost model (XS meter: one computron a bytecode, string built-ins flat): a native call costs
 * ~15 computrons, a JS call ~11 plus ~5 an argument, a `switch` ~3 a case tried, arithmetic and
 * property reads 1-4. So the hot path is written inline, dispatch is an if-chain in order of
 * frequency, strings are compared whole (`f === "A"`) rather than measured, and `string.length` is
 * avoided (2 heap slots per read on a primitive). GnssReceiver calls the per-type methods
 * (`parseRmc`, `parseGsa`, ...) directly.
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

  // The last field converted to a time / latitude / longitude / date and the result: the
  // sentences of one epoch repeat the same time, position and date strings, so each is converted
  // once and later sentences compare the field with the key (a string compare). The results are
  // pure functions of the strings. Plain (TypeScript-private) fields: XS reads them faster than
  // #private ones.
  private timeKey = "";
  /** ms of day; NaN when empty, BAD when malformed. */
  private timeValue = NaN;
  private latKey = "";
  private latSide = "";
  /** Degrees; NaN when empty, out of range or malformed (see latFlag). */
  private latValue = NaN;
  /** 0, COORDINATE_OUT_OF_RANGE or COORDINATE_BAD. */
  private latFlag = 0;
  private lonKey = "";
  private lonSide = "";
  private lonValue = NaN;
  private lonFlag = 0;
  private dateKey = "";
  /** ms at 00:00 UTC; NaN when empty, -Infinity when invalid. */
  private dateValue = NaN;

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
    const star = end - 3;
    const checksum = star > start && charCodeAt.call(text, star) === 0x2a ? xorChecksum(bytes, words, start + 1, star) : -1;
    return this.parseChecked(text, start, end, checksum);
  }

  /**
   * As {@link parse}, with the checksum already computed: `checksum` is the XOR of the bytes after
   * the start character and before `text[end - 3]` when that is '*', else -1 (what NmeaLineReader
   * hands over with each line).
   */
  parseChecked(text: string, start: number, end: number, checksum: number): SentenceType {
    const info = this.accept(text, start, end, checksum);
    if (info <= 0 || info === SentenceType.Txt) return info as SentenceType;
    return this.parseFields(info, text, start, end);
  }

  /**
   * First half of {@link parseChecked}: framing, checksum and address. Returns Invalid, Other or Txt
   * (counted), or, for the types parsed here, `type | talkerSystem << 4` (> 0, not counted yet: pass
   * it to {@link parseFields} or to the method of its type).
   */
  accept(text: string, start: number, end: number, checksum: number): number {
    // Fast path (~90 computrons instead of ~200): a line ending with a matching "*hh" (so at least
    // 10 characters long when it starts with a known "$ttsss,") whose start is in the table. The
    // checksum comes first: XS keeps every string used as a property key for good, so lines of
    // random noise must not reach the lookup.
    if (checksum >= 0 && slice.call(text, end - 2, end) === HEX_BYTES[checksum]) {
      const info = SENTENCE_STARTS[slice.call(text, start, start + 7)];
      if (info !== undefined) return info;
    }
    const c0 = charCodeAt.call(text, start);
    if (end - start < 6 || (c0 !== 0x24 && c0 !== 0x21)) {
      this.malformed++;
      return SentenceType.Invalid;
    }
    // checksum: "*hh" ends the line (the usual case, computed by the caller)
    let star = end - 3;
    let hasChecksum = true;
    if (checksum < 0) {
      star = lastIndexOf.call(text, "*", end - 1);
      hasChecksum = star > start;
    }
    if (hasChecksum && (checksum < 0 || +("0x" + slice.call(text, end - 2, end)) !== checksum)) {
      this.checksumErrors++;
      return SentenceType.Invalid;
    }
    // address → type and talker system
    const info = this.#classify(text, start, hasChecksum ? star : end);
    const type = info & 15;
    if (type === SentenceType.Other) {
      this.otherSentences++;
      return SentenceType.Other;
    }
    if (type === SentenceType.Txt) {
      this.txtSentences++;
      return SentenceType.Txt;
    }
    if (!hasChecksum) {
      this.missingChecksum++;
      return SentenceType.Invalid;
    }
    return info;
  }

  /**
   * Second half of {@link parseChecked}: the fields of an accepted sentence (`info` from
   * {@link accept}, line ending with "*hh") into its record; counts it. Returns its type, or Invalid
   * when malformed.
   */
  parseFields(info: number, text: string, start: number, end: number): SentenceType {
    const type = (info & 15) as SentenceType;
    let ok: boolean;
    if (type === SentenceType.Gsv) ok = this.parseGsv(info, text, start, end);
    else if (type === SentenceType.Gsa) ok = this.parseGsa(info, text, start, end);
    else if (type === SentenceType.Rmc) ok = this.parseRmc(text, start, end);
    else if (type === SentenceType.Gga) ok = this.parseGga(text, start, end);
    else if (type === SentenceType.Vtg) ok = this.parseVtg(text, start, end);
    else if (type === SentenceType.Gll) ok = this.parseGll(text, start, end);
    else if (type === SentenceType.Zda) ok = this.parseZda(text, start, end);
    else ok = this.parseGns(text, start, end);
    return ok ? type : SentenceType.Invalid;
  }

  // The per-type halves of parseFields: an accepted sentence of that type (`info` from accept,
  // line ending with "*hh") into its record, counted (as accepted, or malformed: then false).
  // The data fields are `split` into an array (~35 computrons, 1 heap slot a field): cheaper than
  // an indexOf + slice per field, except for GSA and GSV, which are read in place.

  /** RMC: time,status,lat,N/S,lon,E/W,sog,cog,ddmmyy,magvar,E/W[,mode][,navStatus]. */
  parseRmc(text: string, start: number, end: number): boolean {
    // (start + 7 ≤ end - 3 for an accepted sentence: slice gives "" for "$GPRMC*hh", 1 field;
    // fields after the 13th are not read, nor made: a heap slot each)
    const f = split.call(slice.call(text, start + 7, end - 3), ",", 13);
    const n = f.length;
    if (n < 9) return this.#reject();
    const r = this.rmc;
    let ok = true;
    const time = f[0] === this.timeKey ? this.timeValue : this.timeOf(f[0]);
    if (time === BAD) ok = false;
    r.timeOfDayMs = time === BAD ? NaN : time;
    const status = f[1];
    if (status === "A") {
      r.status = NmeaChar.A;
    } else {
      r.status = status === "V" ? NmeaChar.V : 0;
      if (status !== "V" && status !== "") ok = false;
    }
    if (!this.#position(r, f, 2)) ok = false;
    // numbers: an empty field (or " ") converts to 0, so a 0 is checked for them (not a positive value)
    const sog = f[6];
    const knots = +sog;
    r.speedKmh = knots > 0 || (knots === 0 && sog !== "" && sog !== " ") ? knots * KMH_PER_KNOT : NaN;
    const cog = f[7];
    const course = +cog;
    r.courseDeg = (course > 0 && course <= 360) || (course === 0 && cog !== "" && cog !== " ") ? course : NaN;
    const ds = f[8];
    let date = ds === this.dateKey ? this.dateValue : this.dateOf(ds);
    if (date === -Infinity) {
      this.badDates++;
      date = NaN;
    }
    r.dateMs = date;
    const side = f[10]; // (undefined when absent)
    r.magneticVariationDeg = side === "" ? NaN : side === "W" ? -num(f[9]) : side === "E" ? num(f[9]) : NaN;
    // FAA mode and navigational status, usually "A" and "V" or absent: compares, no table lookup
    // (XS would keep an odd field used as a property key for good)
    const mode = f[11];
    r.mode = mode === "A" ? NmeaChar.A : mode === undefined ? 0 : letterOf(mode);
    const navStatus = f[12];
    r.navStatus = navStatus === "V" ? NmeaChar.V : navStatus === undefined ? 0 : letterOf(navStatus);
    if (!ok) return this.#reject();
    this.rmcSentences++;
    return true;
  }

  /** GGA: time,lat,N/S,lon,E/W,quality,numSV,HDOP,alt,M,geoidSep,M,age,station. */
  parseGga(text: string, start: number, end: number): boolean {
    // (see parseRmc; the fields after the geoid separation are not read: 3 heap slots less)
    const f = split.call(slice.call(text, start + 7, end - 3), ",", 11);
    const n = f.length;
    if (n < 9) return this.#reject();
    const g = this.gga;
    let ok = true;
    const time = f[0] === this.timeKey ? this.timeValue : this.timeOf(f[0]);
    if (time === BAD) ok = false;
    g.timeOfDayMs = time === BAD ? NaN : time;
    // usually the position of the RMC just read, converted (#position without the call)
    if (f[1] === this.latKey && f[3] === this.lonKey && f[2] === this.latSide && f[4] === this.lonSide && (this.latFlag | this.lonFlag) === 0) {
      g.latitudeDeg = this.latValue;
      g.longitudeDeg = this.lonValue;
    } else if (!this.#position(g, f, 1)) {
      ok = false;
    }
    // quality, usually "1": a compare, no table lookup (see parseRmc)
    const qs = f[5];
    let quality = qs === "1" ? 1 : qs === "" ? -1 : qualityDigit(qs);
    if (quality === -2) {
      ok = false;
      quality = -1;
    }
    g.quality = quality;
    // numbers: an empty field (or " ") converts to 0, so a 0 is checked for them (see parseRmc)
    const ns = f[6];
    const sats = +ns;
    g.satellites = (sats > 0 && sats <= 255 && (sats | 0) === sats) || (sats === 0 && ns !== "" && ns !== " ") ? sats : -1;
    const hs = f[7];
    const hdop = +hs;
    g.hdop = hdop > 0 || (hdop === 0 && hs !== "" && hs !== " ") ? hdop : NaN;
    const as = f[8];
    const altitudeM = +as;
    g.altitudeM = altitudeM !== 0 || (as !== "" && as !== " ") ? altitudeM : NaN;
    const gs = f[10]; // (undefined when absent: NaN)
    const geoidSeparationM = +gs;
    g.geoidSeparationM = geoidSeparationM !== 0 || (gs !== "" && gs !== " ") ? geoidSeparationM : NaN;
    if (!ok) return this.#reject();
    this.ggaSentences++;
    return true;
  }

  /** GNS: time,lat,N/S,lon,E/W,modes,numSV,HDOP,alt,geoidSep,age,station[,navStatus]. */
  parseGns(text: string, start: number, end: number): boolean {
    const f = start + 7 > end - 3 ? [] : split.call(slice.call(text, start + 7, end - 3), ",");
    if (f.length < 9) return this.#reject();
    const g = this.gns;
    let ok = true;
    const ts = f[0];
    let time = ts === this.timeKey ? this.timeValue : this.timeOf(ts);
    if (time === BAD) {
      ok = false;
      time = NaN;
    }
    g.timeOfDayMs = time;
    if (!this.#position(g, f, 1)) ok = false;
    g.mode = bestMode(f[5]);
    g.satellites = count(num(f[6]));
    const hdop = num(f[7]);
    g.hdop = hdop >= 0 ? hdop : NaN;
    g.altitudeM = num(f[8]);
    g.geoidSeparationM = f.length > 9 ? num(f[9]) : NaN;
    if (!ok) return this.#reject();
    this.gnsSentences++;
    return true;
  }

  /** VTG: cogT,T,cogM,M,sogKnots,N,sogKmh,K[,mode] (or the pre-3.01 form cogT,cogM,knots,kmh). */
  parseVtg(text: string, start: number, end: number): boolean {
    const f = start + 7 > end - 3 ? [] : split.call(slice.call(text, start + 7, end - 3), ",");
    const v = this.vtg;
    let course: number;
    let kmh: number;
    const n = f.length;
    if (n >= 8 && f[1] === "T") {
      const cs = f[0];
      course = cs === "" || cs === " " ? NaN : +cs;
      const ks = f[6];
      kmh = ks === "" || ks === " " ? NaN : +ks;
      if (!(kmh >= 0)) kmh = num(f[4]) * KMH_PER_KNOT;
      v.mode = n > 8 ? (LETTER_CODES[f[8]] ?? letterOf(f[8])) : 0;
    } else if (n >= 4) {
      course = num(f[0]);
      kmh = num(f[3]);
      if (!(kmh >= 0)) kmh = num(f[2]) * KMH_PER_KNOT;
      v.mode = 0;
    } else {
      return this.#reject();
    }
    v.courseDeg = course >= 0 && course <= 360 ? course : NaN;
    v.speedKmh = kmh >= 0 ? kmh : NaN;
    this.vtgSentences++;
    return true;
  }

  /** GLL: lat,N/S,lon,E/W,time,status[,mode]. */
  parseGll(text: string, start: number, end: number): boolean {
    const f = start + 7 > end - 3 ? [] : split.call(slice.call(text, start + 7, end - 3), ",");
    if (f.length < 6) return this.#reject();
    const g = this.gll;
    let ok = true;
    if (!this.#position(g, f, 0)) ok = false;
    const ts = f[4];
    let time = ts === this.timeKey ? this.timeValue : this.timeOf(ts);
    if (time === BAD) {
      ok = false;
      time = NaN;
    }
    g.timeOfDayMs = time;
    const status = f[5];
    g.status = status === "A" ? NmeaChar.A : status === "V" ? NmeaChar.V : letterOf(status);
    if (g.status === 0 && status !== "") ok = false; // longer than one character
    g.mode = f.length > 6 ? (LETTER_CODES[f[6]] ?? letterOf(f[6])) : 0;
    if (!ok) return this.#reject();
    this.gllSentences++;
    return true;
  }

  /** ZDA: time,dd,mm,yyyy,tzh,tzm. */
  parseZda(text: string, start: number, end: number): boolean {
    const f = start + 7 > end - 3 ? [] : split.call(slice.call(text, start + 7, end - 3), ",");
    if (f.length < 4) return this.#reject();
    const z = this.zda;
    const ts = f[0];
    const time = ts === this.timeKey ? this.timeValue : this.timeOf(ts);
    z.timeOfDayMs = time === BAD ? NaN : time;
    const day = num(f[1]);
    const month = num(f[2]);
    const year = num(f[3]);
    z.dateMs = NaN;
    if (f[1] !== "" || f[3] !== "") {
      const ms = year >= 1970 && year < 2200 && (year | 0) === year ? dateMsOf(year, month, day) : NaN;
      if (ms === ms) z.dateMs = ms;
      else this.badDates++;
    }
    if (time === BAD) return this.#reject();
    this.zdaSentences++;
    return true;
  }

  /** GSA (fix type, satellites used, DOPs, system) into `gsa`. */
  parseGsa(info: number, text: string, start: number, end: number): boolean {
    if (!this.#gsa(text, start + 7, end - 3, info >> 4)) return this.#reject();
    this.gsaSentences++;
    return true;
  }

  /** GSV: numMsgs,msgNum,numSV,{svid,elev,az,cno}×0..4[,signalId]. Reads the header and the field count only. */
  parseGsv(info: number, text: string, start: number, end: number): boolean {
    if (!this.#gsv(text, start + 7, end - 3, info >> 4)) return this.#reject();
    this.gsvSentences++;
    return true;
  }

  /**
   * For GnssReceiver: the satellites in view of an accepted GSV (`info` from accept) when it is
   * message 1 of its group (any message of a group of 10 or more), else -1 (messages 2..9 repeat
   * message 1's count; also -1 for an empty count or a malformed sentence). Counts the sentence as
   * parseFields does but reads only what it needs, so `gsv` is not necessarily filled; messages
   * 2..9 are not checked (counted as accepted).
   */
  gsvInView(info: number, text: string, start: number, end: number): number {
    // usual header "m,n,dd,": two lookups (a hit on "m,n," puts the '*' after it, on "dd," too)
    const first = GSV_HEADERS[slice.call(text, start + 7, start + 11)];
    if (first === 0) {
      this.gsvSentences++;
      return -1;
    }
    if (first === 1) {
      const inView = GSV_IN_VIEW[slice.call(text, start + 11, start + 14)];
      if (inView !== undefined) {
        this.gsvSentences++;
        return inView;
      }
      return this.#gsvFirstMessage(info, text, start, end) ? this.gsv.satellitesInView : -1;
    }
    // other headers, read character by character
    if (charCodeAt.call(text, start + 8) === 0x2c) {
      if (charCodeAt.call(text, start + 9) !== 0x31 || charCodeAt.call(text, start + 10) !== 0x2c) {
        this.gsvSentences++;
        return -1;
      }
      return this.#gsvFirstMessage(info, text, start, end) ? this.gsv.satellitesInView : -1;
    }
    return this.parseGsv(info, text, start, end) ? this.gsv.satellitesInView : -1;
  }

  /**
   * Time of day (ms) of an accepted GLL line (`lat,N/S,lon,E/W,time,...`) without parsing the rest:
   * NaN when absent or malformed.
   */
  gllTimeOfDay(text: string, start: number, end: number): number {
    // the 4th comma after the address; a -1 (no comma left in `text`) breaks the increasing order
    const c1 = indexOf.call(text, ",", start + 7);
    const c2 = indexOf.call(text, ",", c1 + 1);
    const c3 = indexOf.call(text, ",", c2 + 1);
    const c = indexOf.call(text, ",", c3 + 1);
    if (!(c1 >= 0 && c2 > c1 && c3 > c2 && c > c3 && c < end)) return NaN;
    let e = indexOf.call(text, ",", c + 1);
    if (e < 0 || e > end - 3) e = end - 3;
    const ts = slice.call(text, c + 1, e);
    const t = ts === this.timeKey ? this.timeValue : this.timeOf(ts);
    return t === BAD ? NaN : t;
  }

  /** Time field → ms of day (NaN when empty, BAD when malformed), remembered as timeKey / timeValue. */
  private timeOf(s: string): number {
    const ms = timeOfField(s);
    this.timeKey = s;
    this.timeValue = ms;
    return ms;
  }

  /** Latitude field + hemisphere → latValue / latFlag, remembered as latKey / latSide. */
  private cacheLatitude(s: string, side: string): void {
    const c = coordinateOfField(s, side, 90, "N", "S");
    this.latKey = s;
    this.latSide = side;
    this.latFlag = coordinateFlag(c);
    this.latValue = this.latFlag === 0 ? c : NaN;
  }

  /** Longitude field + hemisphere → lonValue / lonFlag, remembered as lonKey / lonSide. */
  private cacheLongitude(s: string, side: string): void {
    const c = coordinateOfField(s, side, 180, "E", "W");
    this.lonKey = s;
    this.lonSide = side;
    this.lonFlag = coordinateFlag(c);
    this.lonValue = this.lonFlag === 0 ? c : NaN;
  }

  /** Date field → ms at 00:00 UTC (NaN when empty, -Infinity when invalid), remembered as dateKey / dateValue. */
  private dateOf(s: string): number {
    const d = dateOfField(s);
    this.dateKey = s;
    this.dateValue = d;
    return d;
  }

  /** Counts a malformed sentence; false. */
  #reject(): false {
    this.malformed++;
    return false;
  }

  /**
   * GSV message 1 of a group of 1..9 messages (`text[start+7 .. start+10]` is "m,1,", checked by the
   * caller along with the checksum; `info` from {@link accept}): as {@link parseGsv} for it, with
   * the header read at fixed positions. Fills `gsv`, counts it, returns true (it cannot be malformed).
   */
  #gsvFirstMessage(info: number, text: string, start: number, end: number): boolean {
    const messages = charCodeAt.call(text, start + 7) - 0x30;
    if (!(messages >= 1 && messages <= 9)) return this.parseGsv(info, text, start, end);
    const to = end - 3;
    const p = start + 11;
    let c = indexOf.call(text, ",", p);
    if (c < 0 || c >= to) c = to;
    let inView = -1;
    let signalId = -1;
    if (p <= to) {
      const vs = slice.call(text, p, c);
      const v = vs === "" || vs === " " ? NaN : +vs;
      if (v >= 0 && v <= 255 && (v | 0) === v) inView = v;
      // the last field is 1 character: signal ID (see #gsv)
      if (c < to && charCodeAt.call(text, to - 2) === 0x2c && charCodeAt.call(text, to - 1) !== 0x2c) {
        signalId = parseInt(slice.call(text, to - 1, to), 16);
        if (!(signalId >= 0)) signalId = -1;
      }
    }
    const g = this.gsv;
    g.system = info >> 4;
    g.messageCount = messages;
    g.messageNumber = 1;
    g.satellitesInView = inView;
    g.signalId = signalId;
    this.gsvSentences++;
    return true;
  }

  /**
   * General address decoding (addresses not in the table, or not followed by a comma): type | system << 4.
   * A type parsed here with an unusual talker, or without data fields, lands here.
   */
  #classify(text: string, start: number, dataEnd: number): number {
    const comma = indexOf.call(text, ",", start);
    const addressEnd = comma < 0 || comma > dataEnd ? dataEnd : comma;
    if (charCodeAt.call(text, start) !== 0x24 || addressEnd - start !== 6) return SentenceType.Other;
    const a = charCodeAt.call(text, start + 1);
    const b = charCodeAt.call(text, start + 2);
    if (a === 0x50 || a < 0x41 || a > 0x5a || b < 0x41 || b > 0x5a) return SentenceType.Other; // proprietary or not a talker
    let type: number;
    switch (slice.call(text, start + 3, start + 6)) {
      case "RMC": type = SentenceType.Rmc; break;
      case "GGA": type = SentenceType.Gga; break;
      case "GSA": type = SentenceType.Gsa; break;
      case "GSV": type = SentenceType.Gsv; break;
      case "VTG": type = SentenceType.Vtg; break;
      case "GLL": type = SentenceType.Gll; break;
      case "ZDA": type = SentenceType.Zda; break;
      case "GNS": type = SentenceType.Gns; break;
      case "TXT": type = SentenceType.Txt; break;
      default: type = SentenceType.Other; break;
    }
    return type | (systemOfTalker(a, b) << 4);
  }

  /**
   * Latitude and longitude from the four fields at `at` (ddmm.mmmm,N/S,dddmm.mmmm,E/W) into `r`:
   * empty or out-of-range coordinates are unknown (NaN; out-of-range ones counted in
   * badCoordinates, as gpsd accepts MTK's no-fix 8960.000000); false when a field is malformed.
   */
  #position(r: { latitudeDeg: number; longitudeDeg: number }, f: string[], at: number): boolean {
    const ls = f[at];
    const lh = f[at + 1];
    if (ls !== this.latKey || lh !== this.latSide) this.cacheLatitude(ls, lh);
    const os = f[at + 2];
    const oh = f[at + 3];
    if (os !== this.lonKey || oh !== this.lonSide) this.cacheLongitude(os, oh);
    r.latitudeDeg = this.latValue;
    r.longitudeDeg = this.lonValue;
    return (this.latFlag | this.lonFlag) === 0 || this.#coordinatesUsable();
  }

  /** After a position with an out-of-range or malformed coordinate: counts the out-of-range ones; false when one is malformed. */
  #coordinatesUsable(): boolean {
    if (this.latFlag === COORDINATE_OUT_OF_RANGE) this.badCoordinates++;
    if (this.lonFlag === COORDINATE_OUT_OF_RANGE) this.badCoordinates++;
    return this.latFlag !== COORDINATE_BAD && this.lonFlag !== COORDINATE_BAD;
  }

  /**
   * GSA: selMode,fixType,12×svid,PDOP,HDOP,VDOP[,systemId]. No array: the DOP fields are found from
   * the end of the sentence, and the satellite IDs are counted without visiting each field when they
   * have the usual layout (2-digit IDs first, then only empty fields); else field by field.
   */
  #gsa(text: string, from: number, to: number, talkerSystem: number): boolean {
    const s = this.gsa;
    // field 1 (selection mode), field 2 (fix type)
    const c1 = indexOf.call(text, ",", from);
    if (c1 < 0 || c1 >= to) return false;
    const p = c1 + 1;
    const c2 = indexOf.call(text, ",", p);
    if (c2 < 0 || c2 >= to) return false;
    const fixType = c2 === p + 1 ? charCodeAt.call(text, p) - 0x30 : c2 === p ? 0 : -1;
    s.fixType = fixType;
    // the last 3 or 4 commas
    const cA = lastIndexOf.call(text, ",", to - 1);
    const cB = cA > c2 ? lastIndexOf.call(text, ",", cA - 1) : -1;
    const cC = cB > c2 ? lastIndexOf.call(text, ",", cB - 1) : -1;
    const cD = cC > c2 ? lastIndexOf.call(text, ",", cC - 1) : -1;
    // NMEA 4.11 adds a system ID field (one hex digit; the VDOP before it is a decimal number):
    // the IDs end at cD with it, at cC without
    const hasSystemId = cA === to - 2;
    const idsEnd = hasSystemId ? cD : cC;
    const used = gsaCount(text, c2, idsEnd);
    if (used < 0) return this.#gsaFields(text, c2, to, talkerSystem, fixType);
    s.satellitesUsed = used;
    const pdopEnd = hasSystemId ? cC : cB;
    s.pdop = dopOf(slice.call(text, idsEnd + 1, pdopEnd));
    s.hdop = dopOf(slice.call(text, pdopEnd + 1, hasSystemId ? cB : cA));
    s.vdop = dopOf(slice.call(text, hasSystemId ? cB + 1 : cA + 1, hasSystemId ? cA : to));
    let system: number = GnssSystem.Unknown;
    if (hasSystemId) {
      const id = parseInt(slice.call(text, cA + 1, to), 16);
      if (id >= 1 && id <= 6) system = id;
    }
    if (system === GnssSystem.Unknown) system = talkerSystem;
    if (system === GnssSystem.Unknown && used > 0) system = systemOfSatelliteId(+slice.call(text, c2 + 1, indexOf.call(text, ",", c2 + 1)));
    s.system = system;
    return fixType >= 0 && fixType <= 3;
  }

  /** GSA, field by field (unusual layouts). `c2` is the comma after the fix type. */
  #gsaFields(text: string, c2: number, to: number, talkerSystem: number, fixType: number): boolean {
    const s = this.gsa;
    let c = c2;
    let p: number;
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
    s.pdop = dopOf(slice.call(text, p, c));
    p = c + 1;
    c = indexOf.call(text, ",", p);
    if (c < 0 || c >= to) c = to;
    s.hdop = dopOf(slice.call(text, p, c));
    let system: number = GnssSystem.Unknown;
    if (c < to) {
      p = c + 1;
      c = indexOf.call(text, ",", p);
      if (c < 0 || c >= to) c = to;
      s.vdop = dopOf(slice.call(text, p, c));
      if (c < to) {
        const id = parseInt(slice.call(text, c + 1, to), 16);
        if (id >= 1 && id <= 6) system = id;
      }
    } else {
      s.vdop = NaN;
    }
    if (system === GnssSystem.Unknown) system = talkerSystem;
    if (system === GnssSystem.Unknown && used > 0) system = systemOfSatelliteId(firstId);
    s.system = system;
    return fixType >= 0 && fixType <= 3;
  }

  /** GSV: numMsgs,msgNum,numSV,{svid,elev,az,cno}×0..4[,signalId]. Reads the header and the field count only. */
  #gsv(text: string, from: number, to: number, talkerSystem: number): boolean {
    let c = indexOf.call(text, ",", from);
    if (c < 0 || c >= to) return false;
    const ms = slice.call(text, from, c);
    const messages = ms === "" || ms === " " ? NaN : +ms;
    let p = c + 1;
    c = indexOf.call(text, ",", p);
    if (c < 0 || c >= to) c = to;
    const ns = slice.call(text, p, c);
    const number = ns === "" || ns === " " ? NaN : +ns;
    if (!(messages >= 1 && messages <= 99 && number >= 1 && number <= messages)) return false;
    let inView = -1;
    let signalId = -1;
    if (c < to) {
      p = c + 1;
      c = indexOf.call(text, ",", p);
      if (c < 0 || c >= to) c = to;
      const vs = slice.call(text, p, c);
      const v = vs === "" || vs === " " ? NaN : +vs;
      if (v >= 0 && v <= 255 && (v | 0) === v) inView = v;
      // Signal ID (NMEA 4.10): a 1-character last field (cno is 2 digits or empty). Informational
      // only: in-view counts take the largest numSV of a system's groups, so signals never add up.
      if (c < to && lastIndexOf.call(text, ",", to - 1) === to - 2) signalId = parseInt(slice.call(text, to - 1, to), 16);
    }
    const g = this.gsv;
    g.system = talkerSystem;
    g.messageCount = messages;
    g.messageNumber = number;
    g.satellitesInView = inView;
    g.signalId = signalId >= 0 ? signalId : -1;
    return true;
  }
}

/**
 * NMEA 0183 sentence formatting for the virtual GNSS receiver (host side only).
 *
 * Layouts follow NMEA 4.1 as u-blox M8/M9 receivers send them (shared/reference/corpora.md §4.3):
 * RMC with mode indicator and navStatus `V`, GSA with system ID, GSV with signal ID. Every field
 * that has no data is left empty (no zeros), as a receiver does before its first fix.
 * Builders return the sentence without line ending; append {@link NMEA_EOL} when sending.
 */

/** Line ending of every NMEA sentence on the wire. */
export const NMEA_EOL = "\r\n";

/** Knots per km/h (1 knot = 1.852 km/h exactly). */
export const KNOTS_PER_KMH = 1 / 1.852;

/** FAA mode indicator (RMC, GLL, VTG): A autonomous, D differential, E estimated, N not valid, ... */
export type FaaMode = "A" | "D" | "E" | "F" | "M" | "N" | "P" | "R" | "S";

/** 8-bit XOR of every character of `body` (the text strictly between `$` and `*`), as 2 upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  return HEX_BYTES[xorOf(body)]!;
}

/** 8-bit XOR of the characters of `text`. */
function xorOf(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i) & 0xff;
  return sum;
}

const COMMA = 0x2c;

/** "00" … "FF". */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, "0"));

/** "00" … "99" and "000" … "999": the fields of 2 and 3 digits a receiver writes every second, made once. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** `value` (a whole number ≥ 0) with at least `digits` (2 or 3) digits, zeros in front. */
function zeroPad(value: number, digits: 2 | 3): string {
  if (digits === 2 && value >= 0 && value < 100 && Number.isInteger(value)) return TWO_DIGITS[value]!;
  if (digits === 3 && value >= 0 && value < 1000 && Number.isInteger(value)) return THREE_DIGITS[value]!;
  return String(value).padStart(digits, "0");
}

/**
 * Build `$<address>,<f1>,...,<fn>*HH` (no CR LF). `address` is talker + type, e.g. "GNRMC".
 * `undefined` fields are written empty; numbers are written with `String()` (format them first).
 */
export function buildSentence(address: string, fields: readonly (string | number | undefined)[]): string {
  // the checksum is taken field by field as the body grows (XOR is associative): the body is never
  // read back, so it stays the cheap unflattened concatenation until the epoch is sent
  let body = address;
  let sum = xorOf(address);
  for (const field of fields) {
    const text = field === undefined ? "" : String(field);
    body += "," + text;
    sum ^= COMMA ^ xorOf(text);
  }
  return `$${body}*${HEX_BYTES[sum]}`;
}

/** Number with fixed decimals, or "" when undefined / not finite. */
export function fixed(value: number | undefined, decimals: number): string {
  return value === undefined || !Number.isFinite(value) ? "" : value.toFixed(decimals);
}

/**
 * Format an angle as NMEA degrees + minutes: `degDigits` integer degree digits (2 for latitude,
 * 3 for longitude), then `mm.mmmm…` with `minuteDecimals` decimals. Sign is dropped (hemisphere
 * carries it). Rounding carries into the degrees (59.999996′ → next degree, 00.0000′).
 */
function formatDegMin(absDeg: number, degDigits: number, minuteDecimals: number): string {
  const scale = 10 ** minuteDecimals;
  // Total in units of 1/scale minutes, rounded once, so the carry is exact.
  const totalUnits = Math.round(absDeg * 60 * scale);
  const unitsPerDeg = 60 * scale;
  const deg = Math.floor(totalUnits / unitsPerDeg);
  const minUnits = totalUnits - deg * unitsPerDeg;
  const minInt = Math.floor(minUnits / scale);
  const minFrac = minUnits - minInt * scale;
  const frac = minuteDecimals > 0 ? "." + String(minFrac).padStart(minuteDecimals, "0") : "";
  return String(deg).padStart(degDigits, "0") + String(minInt).padStart(2, "0") + frac;
}

/**
 * Latitude in degrees (+N, −S, −90..90) → [`ddmm.mmmmm`, "N"|"S"]. `minuteDecimals` 4 or 5
 * (default 5, as u-blox). Out-of-range input throws RangeError.
 */
export function formatLatitude(latDeg: number, minuteDecimals = 5): [string, "N" | "S"] {
  if (!(latDeg >= -90 && latDeg <= 90)) throw new RangeError(`latitude out of range: ${latDeg}`);
  return [formatDegMin(Math.abs(latDeg), 2, minuteDecimals), latDeg < 0 ? "S" : "N"];
}

/**
 * Longitude in degrees (+E, −W, −180..180) → [`dddmm.mmmmm`, "E"|"W"]. `minuteDecimals` default 5.
 * Out-of-range input throws RangeError.
 */
export function formatLongitude(lonDeg: number, minuteDecimals = 5): [string, "E" | "W"] {
  if (!(lonDeg >= -180 && lonDeg <= 180)) throw new RangeError(`longitude out of range: ${lonDeg}`);
  return [formatDegMin(Math.abs(lonDeg), 3, minuteDecimals), lonDeg < 0 ? "W" : "E"];
}

/** UTC time of day `hhmmss.ss` from Unix ms (fraction truncated, `decimals` default 2); "" when undefined. */
export function formatTime(utcMs: number | undefined, decimals = 2): string {
  if (utcMs === undefined) return "";
  // Unix time has no leap seconds: the time of day is the remainder of a day's ms
  const msInDay = ((Math.floor(utcMs) % 86_400_000) + 86_400_000) % 86_400_000;
  const seconds = Math.floor(msInDay / 1000);
  const hms = zeroPad(Math.floor(seconds / 3600), 2) + zeroPad(Math.floor(seconds / 60) % 60, 2) + zeroPad(seconds % 60, 2);
  if (decimals <= 0) return hms;
  const msInSecond = msInDay % 1000;
  const frac = Math.floor((msInSecond / 1000) * 10 ** decimals);
  return `${hms}.${String(frac).padStart(decimals, "0")}`;
}

/** UTC date `ddmmyy` from Unix ms; "" when undefined. */
export function formatDate(utcMs: number | undefined): string {
  if (utcMs === undefined) return "";
  const d = new Date(Math.floor(utcMs));
  return (
    String(d.getUTCDate()).padStart(2, "0") +
    String(d.getUTCMonth() + 1).padStart(2, "0") +
    String(d.getUTCFullYear() % 100).padStart(2, "0")
  );
}

/** Position + motion of a valid fix, as the builders take it. */
export interface NmeaPosition {
  /** Latitude, degrees, +N. */
  latDeg: number;
  /** Longitude, degrees, +E. */
  lonDeg: number;
  /** Speed over ground, km/h (≥ 0). */
  speedKmh: number;
  /** Course over ground, degrees true 0..360; undefined → empty field (u-blox leaves it empty when stationary). */
  courseDeg?: number | undefined;
}

export interface RmcInput {
  /** UTC of the epoch, Unix ms; undefined → empty time and date (receiver has no time yet). */
  utcMs?: number | undefined;
  /** The fix; undefined → status V, mode N, empty position/speed/course. */
  fix?: NmeaPosition | undefined;
  /** Mode indicator when there is a fix (default "A"). */
  mode?: FaaMode;
}

/**
 * RMC, NMEA 4.1 form (13 fields):
 * `time,status,lat,N/S,lon,E/W,sogKnots,cogTrue,ddmmyy,magvar,magvarEW,mode,navStatus(V)`.
 */
export function buildRmc(input: RmcInput, talker = "GN"): string {
  const fix = input.fix;
  const time = formatTime(input.utcMs);
  const date = formatDate(input.utcMs);
  if (!fix) return buildSentence(`${talker}RMC`, [time, "V", "", "", "", "", "", "", date, "", "", "N", "V"]);
  const [lat, ns] = formatLatitude(fix.latDeg);
  const [lon, ew] = formatLongitude(fix.lonDeg);
  return buildSentence(`${talker}RMC`, [
    time, "A", lat, ns, lon, ew,
    fixed(fix.speedKmh * KNOTS_PER_KMH, 3), fixed(fix.courseDeg, 2),
    date, "", "", input.mode ?? "A", "V",
  ]);
}

export interface VtgInput {
  /** The fix; undefined → empty course/speed, mode N. */
  fix?: Pick<NmeaPosition, "speedKmh" | "courseDeg"> | undefined;
  /** Mode indicator when there is a fix (default "A"). */
  mode?: FaaMode;
}

/** VTG, NMEA 2.3+ form (9 fields): `cogT,T,cogM,M,sogKnots,N,sogKmh,K,mode`. Magnetic course is always empty. */
export function buildVtg(input: VtgInput, talker = "GN"): string {
  const fix = input.fix;
  if (!fix) return buildSentence(`${talker}VTG`, ["", "T", "", "M", "", "N", "", "K", "N"]);
  return buildSentence(`${talker}VTG`, [
    fixed(fix.courseDeg, 2), "T", "", "M",
    fixed(fix.speedKmh * KNOTS_PER_KMH, 3), "N", fixed(fix.speedKmh, 3), "K", input.mode ?? "A",
  ]);
}

export interface GgaInput {
  /** UTC of the epoch, Unix ms; undefined → empty time. */
  utcMs?: number | undefined;
  /** The fix; undefined → quality 0, empty position, HDOP, altitude and geoid separation. */
  fix?: {
    latDeg: number;
    lonDeg: number;
    /** Altitude above mean sea level, metres. */
    altitudeM: number;
    /** Geoid separation (HAE − MSL), metres; undefined → empty. */
    geoidSepM?: number | undefined;
    /** Horizontal dilution of precision. */
    hdop: number;
    /** Quality 1..8 (default 1, GPS fix). */
    quality?: number;
  } | undefined;
  /** Satellites used, 0..99 (written with 2 digits). */
  numSv: number;
}

/**
 * GGA (14 fields): `time,lat,N/S,lon,E/W,quality,numSV,HDOP,altMSL,M,geoidSep,M,dgpsAge,dgpsStation`.
 */
export function buildGga(input: GgaInput, talker = "GN"): string {
  const time = formatTime(input.utcMs);
  const numSv = zeroPad(Math.max(0, Math.min(99, Math.round(input.numSv))), 2);
  const fix = input.fix;
  if (!fix) return buildSentence(`${talker}GGA`, [time, "", "", "", "", "0", numSv, "", "", "", "", "", "", ""]);
  const [lat, ns] = formatLatitude(fix.latDeg);
  const [lon, ew] = formatLongitude(fix.lonDeg);
  return buildSentence(`${talker}GGA`, [
    time, lat, ns, lon, ew, String(fix.quality ?? 1), numSv, fixed(fix.hdop, 2),
    fixed(fix.altitudeM, 1), "M", fixed(fix.geoidSepM, 1), fix.geoidSepM === undefined ? "" : "M", "", "",
  ]);
}

export interface GsaInput {
  /** 1 no fix, 2 2D, 3 3D. */
  fixType: 1 | 2 | 3;
  /** IDs of satellites used (at most 12 are written). */
  svids: readonly number[];
  /** DOPs; undefined → empty. */
  pdop?: number | undefined;
  hdop?: number | undefined;
  vdop?: number | undefined;
  /** NMEA 4.10 system ID (1 GPS, 2 GLONASS, 3 Galileo, 4 BeiDou, 5 QZSS); undefined → 17-field pre-4.10 form. */
  systemId?: number | undefined;
}

/** GSA: `A,fixType,12×svid,PDOP,HDOP,VDOP[,systemId]` (18 fields with system ID, 17 without). */
export function buildGsa(input: GsaInput, talker = "GN"): string {
  const fields: string[] = ["A", String(input.fixType)];
  for (let i = 0; i < 12; i++) {
    const id = input.svids[i];
    fields.push(id === undefined ? "" : zeroPad(id, 2));
  }
  fields.push(fixed(input.pdop, 2), fixed(input.hdop, 2), fixed(input.vdop, 2));
  if (input.systemId !== undefined) fields.push(String(input.systemId));
  return buildSentence(`${talker}GSA`, fields);
}

/** One satellite in view. */
export interface GsvSatellite {
  /** NMEA satellite ID (GPS 1..32, SBAS 33..64, GLONASS 65..96). */
  svid: number;
  /** Elevation, degrees 0..90; undefined → empty. */
  elevationDeg?: number | undefined;
  /** Azimuth, degrees true 0..359; undefined → empty. */
  azimuthDeg?: number | undefined;
  /** Carrier-to-noise density, dB-Hz; undefined → empty (not tracked). */
  cnoDbHz?: number | undefined;
}

/**
 * GSV group: ⌈n/4⌉ messages (one message with numSV 00 when `sats` is empty), 4 satellites per
 * message: `numMsgs,msgNum,numSV,{svid,elev,az,cno}×1..4[,signalId]`.
 * Field count per message: 3 + 4·k, plus 1 when `signalId` is given.
 */
export function buildGsvGroup(sats: readonly GsvSatellite[], talker = "GP", signalId?: number): string[] {
  const total = Math.max(1, Math.ceil(sats.length / 4));
  const numSv = zeroPad(sats.length, 2);
  const out: string[] = [];
  for (let m = 0; m < total; m++) {
    const fields: string[] = [String(total), String(m + 1), numSv];
    for (let i = m * 4; i < Math.min(sats.length, m * 4 + 4); i++) {
      const s = sats[i]!;
      fields.push(
        zeroPad(s.svid, 2),
        s.elevationDeg === undefined ? "" : zeroPad(Math.round(s.elevationDeg), 2),
        s.azimuthDeg === undefined ? "" : zeroPad(Math.round(s.azimuthDeg) % 360, 3),
        s.cnoDbHz === undefined ? "" : zeroPad(Math.round(s.cnoDbHz), 2),
      );
    }
    if (signalId !== undefined) fields.push(String(signalId));
    out.push(buildSentence(`${talker}GSV`, fields));
  }
  return out;
}

export interface GllInput {
  /** UTC of the epoch, Unix ms; undefined → empty time. */
  utcMs?: number | undefined;
  /** Position; undefined → empty position, status V, mode N. */
  fix?: Pick<NmeaPosition, "latDeg" | "lonDeg"> | undefined;
  /** Mode indicator when there is a fix (default "A"). */
  mode?: FaaMode;
}

/** GLL, NMEA 2.3+ form (7 fields): `lat,N/S,lon,E/W,time,status,mode`. */
export function buildGll(input: GllInput, talker = "GN"): string {
  const time = formatTime(input.utcMs);
  const fix = input.fix;
  if (!fix) return buildSentence(`${talker}GLL`, ["", "", "", "", time, "V", "N"]);
  const [lat, ns] = formatLatitude(fix.latDeg);
  const [lon, ew] = formatLongitude(fix.lonDeg);
  return buildSentence(`${talker}GLL`, [lat, ns, lon, ew, time, "A", input.mode ?? "A"]);
}

/** ZDA (6 fields): `time,dd,mm,yyyy,00,00` (4-digit year, local zone 00:00); empty date/time when `utcMs` is undefined. */
export function buildZda(utcMs: number | undefined, talker = "GN"): string {
  if (utcMs === undefined) return buildSentence(`${talker}ZDA`, ["", "", "", "", "00", "00"]);
  const d = new Date(Math.floor(utcMs));
  return buildSentence(`${talker}ZDA`, [
    formatTime(utcMs),
    String(d.getUTCDate()).padStart(2, "0"),
    String(d.getUTCMonth() + 1).padStart(2, "0"),
    String(d.getUTCFullYear()),
    "00",
    "00",
  ]);
}

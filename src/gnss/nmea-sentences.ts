/**
 * What the NMEA parser (nmea-parser.ts) reads into: the sentence types it tells apart, the GNSS
 * systems, the codes of single-letter fields, and one reused record per sentence type.
 */

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

/** Fix quality as reported by the receiver (GGA quality / RMC / GNS mode), normalised. */
export const FixQuality = Object.freeze({
  /** No position. */
  None: 0,
  /** Autonomous GNSS fix (GGA quality 1 or 3 PPS, mode A or P). */
  Gnss: 1,
  /** Differential (DGPS / SBAS: GGA quality 2, mode D). */
  Differential: 2,
  /** RTK fixed or float (GGA quality 4/5, mode R/F). */
  Rtk: 4,
  /** Estimated / dead reckoning, manual or simulated (GGA 6/7/8, mode E/M/S): not a real fix. */
  Estimated: 6,
} as const);
export type FixQuality = (typeof FixQuality)[keyof typeof FixQuality];

/** Fix dimension, as gpsd's TPV `mode` (from GSA field 2, else derived from quality + altitude). */
export const FixMode = Object.freeze({
  /** Nothing known yet. */
  Unknown: 0,
  /** The receiver says it has no fix. */
  NoFix: 1,
  /** Horizontal position only. */
  Fix2D: 2,
  /** Position with altitude. */
  Fix3D: 3,
} as const);
export type FixMode = (typeof FixMode)[keyof typeof FixMode];

/**
 * Satellite counts per constellation (from GSA system IDs / GSV talkers). -1 when not reported
 * for that constellation in the epoch. Frozen.
 */
export interface SatelliteCounts {
  /** GPS (talker GP, GSA system 1). */
  readonly gps: number;
  /** GLONASS (GL, system 2). */
  readonly glonass: number;
  /** Galileo (GA, system 3). */
  readonly galileo: number;
  /** BeiDou (GB / BD, system 4). */
  readonly beidou: number;
  /** QZSS (GQ / QZ, system 5). */
  readonly qzss: number;
  /** NavIC / IRNSS (GI, system 6). */
  readonly navic: number;
}

/**
 * User-equivalent range error assumed for `accuracyM`, metres: accuracy ≈ HDOP × UERE_M
 * (a 1-sigma horizontal estimate; 5 m is a typical single-frequency consumer receiver figure,
 * the same constant the WHERE reply uses).
 */
export const UERE_M = 5;

/**
 * The current position solution, merged from one epoch (RMC + GGA with the same UTC time, plus the
 * GSA / GSV / VTG / GLL / GNS / ZDA of that epoch). Published frozen, one object per epoch.
 * Unknown values are NaN (never 0); counts are -1 when unknown.
 */
export interface Fix {
  /** True when the receiver reports a valid position (RMC status A / GGA quality 1-5); DR, manual and simulated are not valid. */
  readonly valid: boolean;
  /** Degrees, WGS-84, north positive. NaN when unknown. */
  readonly latitudeDeg: number;
  /** Degrees, WGS-84, east positive. NaN when unknown. */
  readonly longitudeDeg: number;
  /** Metres above mean sea level (GGA / GNS). NaN when unknown. */
  readonly altitudeM: number;
  /** Geoid separation (height above ellipsoid − MSL), metres (GGA / GNS). NaN when unknown. */
  readonly geoidSeparationM: number;
  /** Ground speed, km/h (RMC, else VTG). NaN when unknown. */
  readonly speedKmh: number;
  /** Course over ground, degrees true (0-360). NaN when unknown (empty field). */
  readonly courseDeg: number;
  /** Fix quality. */
  readonly quality: FixQuality;
  /** 2D / 3D from GSA; without GSA: NoFix when not valid, else 3D with an altitude, 2D without; Unknown when nothing said. */
  readonly fixMode: FixMode;
  /** Satellites used in the solution (GGA / GNS numSV), -1 when unknown. Same as `satellitesUsed`. */
  readonly satellites: number;
  /** Satellites used: GGA/GNS numSV, else the sum of the GSA lists; -1 when unknown. */
  readonly satellitesUsed: number;
  /** Satellites used per constellation (GSA lists of this epoch). */
  readonly satellitesUsedBySystem: SatelliteCounts;
  /** Satellites in view, all constellations (sum of the GSV groups' totals, last complete set); -1 when unknown. */
  readonly satellitesInView: number;
  /** Satellites in view per constellation (GSV numSV per talker; signal IDs of one system are not double counted). */
  readonly satellitesInViewBySystem: SatelliteCounts;
  /** Horizontal dilution of precision (GGA, else GSA). NaN when unknown. */
  readonly hdop: number;
  /** Position dilution of precision (GSA). NaN when unknown. */
  readonly pdop: number;
  /** Vertical dilution of precision (GSA). NaN when unknown. */
  readonly vdop: number;
  /** Estimated horizontal accuracy, metres: hdop × UERE_M (5 m). NaN when hdop is unknown or 0. */
  readonly accuracyM: number;
  /** UTC time of the fix, ms since the Unix epoch (ms precision). NaN when the date is not yet known. */
  readonly utcMs: number;
  /** True when the receiver's date was 1024 GPS weeks early and 7168 days were added (see GnssReceiver buildDateMs). */
  readonly weekRolloverRepaired: boolean;
  /** Monotonic time (Clock.monotonicMs) when this fix was published: fix age = now - this. */
  readonly receivedAtMs: number;
}

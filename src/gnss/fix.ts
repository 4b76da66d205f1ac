/** Fix quality as reported by the receiver (GGA quality / RMC mode), normalised. */
export const FixQuality = Object.freeze({
  /** No position. */
  None: 0,
  /** Autonomous GNSS fix. */
  Gnss: 1,
  /** Differential (DGPS / SBAS). */
  Differential: 2,
  /** RTK fixed or float. */
  Rtk: 4,
  /** Estimated / dead reckoning, manual or simulated: not a real fix. */
  Estimated: 6,
} as const);
export type FixQuality = (typeof FixQuality)[keyof typeof FixQuality];

/**
 * The current position solution, merged from one epoch (RMC + GGA with the same UTC time).
 * Unknown values are NaN (never 0); counts are -1 when unknown.
 */
export interface Fix {
  /** True when the receiver reports a valid position (RMC status A / GGA quality 1-5). */
  valid: boolean;
  /** Degrees, WGS-84, north positive. NaN when unknown. */
  latitudeDeg: number;
  /** Degrees, WGS-84, east positive. NaN when unknown. */
  longitudeDeg: number;
  /** Metres above mean sea level (GGA). NaN when unknown. */
  altitudeM: number;
  /** Ground speed, km/h. NaN when unknown. */
  speedKmh: number;
  /** Course over ground, degrees true (0-360). NaN when unknown (empty field). */
  courseDeg: number;
  /** Fix quality. */
  quality: FixQuality;
  /** Satellites used in the solution, -1 when unknown. */
  satellites: number;
  /** Horizontal dilution of precision. NaN when unknown. */
  hdop: number;
  /** UTC time of the fix, ms since the Unix epoch. NaN when the date is not yet known. */
  utcMs: number;
  /** Monotonic time (Clock.monotonicMs) when this fix was published: fix age = now - this. */
  receivedAtMs: number;
}

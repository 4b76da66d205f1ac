/**
 * The story's tracks: positions sampled once a second (the drive's truth, the fixes the receiver
 * reported), kept small enough for a report: a point where the vehicle stands still is kept once,
 * turns and stops are always kept, and a long drive is thinned to every n-th point in between.
 *
 * Units: times in ms of the simulation's clock, latitude and longitude in degrees.
 */

/** [time ms, latitude °, longitude °]; coordinates rounded to 6 decimals (about 0.1 m). */
export type StoryPoint = [tMs: number, latDeg: number, lonDeg: number];

/** At most this many points per track in a story (a 24 h drive at 1 Hz is thinned to it). */
export const MAX_TRACK_POINTS = 3000;
/** A new point is kept only when it is at least this far from the last one (m): parked = one point. */
const MIN_STEP_M = 1;
/** A change of heading of at least this much (°) makes a point a turn, always kept. */
const TURN_DEG = 15;
const M_PER_DEG = 111_195;

/** Round to 6 decimals (JSON stays short). */
export function round6(deg: number): number {
  return Math.round(deg * 1e6) / 1e6;
}

/** Local distance between two nearby points (m), equirectangular. */
function stepM(a: StoryPoint, b: StoryPoint): number {
  const dy = (b[1] - a[1]) * M_PER_DEG;
  const dx = (b[2] - a[2]) * M_PER_DEG * Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

function headingDeg(a: StoryPoint, b: StoryPoint): number {
  const dy = b[1] - a[1];
  const dx = (b[2] - a[2]) * Math.cos((a[1] * Math.PI) / 180);
  return (Math.atan2(dx, dy) * 180) / Math.PI;
}

/** Collects one track's points as they come, dropping the ones that do not move. */
export class TrackCollector {
  private readonly points: StoryPoint[] = [];
  /** The last point offered while standing still (kept when the vehicle moves off, so a stop's end is on the track). */
  private pending: StoryPoint | undefined;

  /** Offer the position at `tMs`. */
  add(tMs: number, latDeg: number, lonDeg: number): void {
    if (!Number.isFinite(latDeg) || !Number.isFinite(lonDeg)) return;
    const point: StoryPoint = [tMs, round6(latDeg), round6(lonDeg)];
    const last = this.points[this.points.length - 1];
    if (last && stepM(last, point) < MIN_STEP_M) {
      this.pending = point;
      return;
    }
    if (this.pending && last && this.pending[0] - last[0] > 1500) this.points.push(this.pending);
    this.pending = undefined;
    this.points.push(point);
  }

  /** The track: closed with the last position seen, thinned to at most `max` points. */
  finish(max = MAX_TRACK_POINTS): StoryPoint[] {
    const all = this.pending ? [...this.points, this.pending] : [...this.points];
    return thinTrack(all, max);
  }
}

/**
 * `points` with at most `max` of them: the first, the last, every turn and every stop (a gap of
 * more than 2 s between two points) kept, every n-th of the others.
 */
export function thinTrack(points: readonly StoryPoint[], max: number): StoryPoint[] {
  if (points.length <= max) return [...points];
  const essential = points.map((p, i) => {
    if (i === 0 || i === points.length - 1) return true;
    const prev = points[i - 1]!;
    const next = points[i + 1]!;
    if (p[0] - prev[0] > 2000 || next[0] - p[0] > 2000) return true;
    const turn = Math.abs(((headingDeg(p, next) - headingDeg(prev, p) + 540) % 360) - 180);
    return turn >= TURN_DEG;
  });
  const kept = essential.filter(Boolean).length;
  const room = Math.max(1, max - kept);
  const stride = Math.max(1, Math.ceil((points.length - kept) / room));
  let k = 0;
  return points.filter((_, i) => essential[i] || k++ % stride === 0);
}

/**
 * The position of an NMEA RMC sentence with status A ("$GPRMC,hhmmss,A,ddmm.mmmm,N,dddmm.mmmm,W,..."),
 * in degrees; undefined for another sentence, a void fix or a damaged field.
 */
export function rmcPosition(line: string): { latDeg: number; lonDeg: number } | undefined {
  if (!/^\$G[A-Z]RMC,/.test(line)) return undefined;
  const f = line.split("*")[0]!.split(",");
  if (f[2] !== "A") return undefined;
  const lat = degrees(f[3] ?? "", 2, f[4] ?? "", "N", "S");
  const lon = degrees(f[5] ?? "", 3, f[6] ?? "", "E", "W");
  return lat === undefined || lon === undefined ? undefined : { latDeg: lat, lonDeg: lon };
}

/** NMEA "dddmm.mmmm" with `degDigits` degree digits and its hemisphere letter, as signed degrees. */
function degrees(field: string, degDigits: number, hemisphere: string, plus: string, minus: string): number | undefined {
  if (!new RegExp(`^\\d{${degDigits}}\\d{2}(\\.\\d+)?$`).test(field)) return undefined;
  if (hemisphere !== plus && hemisphere !== minus) return undefined;
  const value = Number(field.slice(0, degDigits)) + Number(field.slice(degDigits)) / 60;
  return hemisphere === minus ? -value : value;
}

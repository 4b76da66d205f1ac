/**
 * Movement while armed (ARM): tells a parked vehicle that is moved — driven or towed, engine off —
 * from a parked receiver's wander, which must never raise an alarm.
 *
 * A parked receiver's position wanders: a random walk of 5 to 30 m, DOP jumps as satellites come and
 * go, and multipath spikes of 50 to 100 m, short and with poor HDOP. So:
 * - the anchor is the median of the first ANCHOR_FIXES good fixes after arming (never a single one,
 *   never one spike), and then follows the slow wander: each good fix inside the threshold, outside
 *   a run, pulls it by ANCHOR_FOLLOW (a tow moves hundreds of times faster than that);
 * - a fix counts only with HDOP ≤ MAX_HDOP (poorer ones carry no evidence either way: an urban
 *   canyon often sits at HDOP 3 to 6, which must still count);
 * - a fix is "away" when its distance from the anchor exceeds BASE_THRESHOLD_M plus SIGMA_FACTOR
 *   times its own accuracy estimate (HDOP × UERE_M): the threshold widens when the sky is poor;
 * - movement is declared when good fixes stay away for SUSTAIN_MS (a spike comes and goes within
 *   seconds, a tow keeps going); INSIDE_TO_RESET good fixes in a row back inside end the run.
 * A tow at 5 km/h passes the threshold (about 60 m in open sky, 70 to 110 m in an urban canyon) in
 * under 95 s and is declared 20 s later (test/alerts: 8 h parked in both, no alarm; a sweep of 40
 * seeds × 8 h per profile: no false alarm, the slowest tow declared after 114 s).
 * The anchor lives in RAM only (no position is ever stored): after a reboot while armed, a new one
 * is taken from the next good fixes. Distances in metres, times in monotonic ms.
 */
import { UERE_M, type Fix } from "../gnss/fix";
import { distanceM } from "./geo";

/** Good fixes whose median becomes the anchor (a minute at 1 Hz: longer than any multipath spike). */
export const ANCHOR_FIXES = 60;
/** Share of each good fix inside the threshold (and outside a run) the anchor moves by: it follows the slow wander. */
export const ANCHOR_FOLLOW = 1 / 300;
/** Fixes with a poorer HDOP are no evidence. */
export const MAX_HDOP = 8;
/** Distance from the anchor always allowed, metres (a parked receiver's walk stays well inside). */
export const BASE_THRESHOLD_M = 50;
/** Accuracy estimates (1 sigma) added to the threshold. */
export const SIGMA_FACTOR = 2;
/** How long good fixes must stay away before movement is declared (ms). */
export const SUSTAIN_MS = 20_000;
/** Good fixes in a row back inside that end a run of away fixes (one is noise at the threshold). */
export const INSIDE_TO_RESET = 3;

/** Movement declared: how far from the anchor (m) and the fix that showed it. */
export interface Movement {
  readonly distanceM: number;
  readonly fix: Fix;
}

export class MovementGuard {
  #armed = false;
  #anchorSamples: { lat: number; lon: number }[] = [];
  #anchor: { lat: number; lon: number } | undefined = undefined;
  /** The run of away fixes: when it began (monotonic ms), and good fixes back inside since. */
  #run: { startMs: number; inside: number } | undefined = undefined;
  #declared = false;

  get armed(): boolean {
    return this.#armed;
  }

  /** True once movement was declared (until the next arm()). */
  get declared(): boolean {
    return this.#declared;
  }

  /** Start watching: a new anchor is taken from the next good fixes. */
  arm(): void {
    this.#armed = true;
    this.#anchorSamples = [];
    this.#anchor = undefined;
    this.#run = undefined;
    this.#declared = false;
  }

  /** Stop watching (arm() starts afresh). */
  disarm(): void {
    this.#armed = false;
  }

  /** Forget the anchor (positions held in RAM are erased: RESET); stays armed and re-anchors. */
  forget(): void {
    if (this.#armed) this.arm();
  }

  /** Feed one published fix; the movement when this fix declares it (once per arming), else undefined. */
  onFix(fix: Fix): Movement | undefined {
    if (!this.#armed || this.#declared) return undefined;
    if (!fix.valid || !Number.isFinite(fix.latitudeDeg) || !Number.isFinite(fix.longitudeDeg)) return undefined;
    if (!(fix.hdop <= MAX_HDOP)) return undefined;
    const anchor = this.#anchor;
    if (!anchor) {
      this.#anchorSamples.push({ lat: fix.latitudeDeg, lon: fix.longitudeDeg });
      if (this.#anchorSamples.length >= ANCHOR_FIXES) this.#anchor = medianPoint(this.#anchorSamples);
      return undefined;
    }
    const distance = distanceM(anchor.lat, anchor.lon, fix.latitudeDeg, fix.longitudeDeg);
    const threshold = BASE_THRESHOLD_M + SIGMA_FACTOR * fix.hdop * UERE_M;
    const run = this.#run;
    if (distance <= threshold) {
      // back inside: a spike or noise at the threshold, once a few good fixes say so
      if (run && ++run.inside >= INSIDE_TO_RESET) this.#run = undefined;
      if (!this.#run) {
        anchor.lat += (fix.latitudeDeg - anchor.lat) * ANCHOR_FOLLOW;
        anchor.lon += (fix.longitudeDeg - anchor.lon) * ANCHOR_FOLLOW;
      }
      return undefined;
    }
    if (!run) {
      this.#run = { startMs: fix.receivedAtMs, inside: 0 };
      return undefined;
    }
    run.inside = 0;
    if (fix.receivedAtMs - run.startMs < SUSTAIN_MS) return undefined;
    this.#declared = true;
    return { distanceM: distance, fix };
  }
}

/** The point of per-axis medians (robust to a few outliers among the samples). */
function medianPoint(points: readonly { lat: number; lon: number }[]): { lat: number; lon: number } {
  const median = (values: number[]) => {
    values.sort((a, b) => a - b);
    const mid = values.length >> 1;
    return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  };
  return { lat: median(points.map((p) => p.lat)), lon: median(points.map((p) => p.lon)) };
}

/**
 * GNSS jamming suspicion: all satellites gone at once, just after a strong fix, while the app is
 * watching (the vehicle moves or is armed).
 *
 * Heuristic: a strong fix (valid, ≥ STRONG_MIN_SATELLITES used, HDOP ≤ STRONG_MAX_HDOP) followed
 * within LOSS_WITHIN_MS by a fix with no satellites at all (not valid, and 0 satellites used; or the
 * count used unknown and 0 in view) is a suspicion. A jammer raises the noise floor over every
 * satellite at once, so a healthy receiver drops from many satellites to none within a second or
 * two. A gradual loss — a garage or a tunnel entered slowly, where counts fall stepwise and HDOP
 * grows over tens of seconds — ends with weak fixes (few satellites, poor HDOP) or none for longer
 * than LOSS_WITHIN_MS before the count reaches 0, and is not reported.
 * Limits (the app words it "possible jamming"): a tunnel or a multi-storey car park entered at
 * speed, or a cut antenna cable, can look just as abrupt; only the last strong fix and the loss are
 * compared, not what came before; Fix carries no signal strengths, so a jammer that leaves the
 * receiver a few satellites, or one that is switched on far away and approaches slowly, is missed.
 * Once per loss: any fix with no satellites consumes the strong fix (reported or not); only a new
 * strong fix arms the rule again. The receiver keeps publishing one fix a second while it has no
 * position, so the loss arrives as a fix (the rule needs no timer); a receiver that falls silent is
 * a different fault (the app sees the fix age). Fixes stamped earlier than the last one are ignored.
 * Times in monotonic ms (Fix.receivedAtMs). Sends nothing, stores nothing.
 */
import type { Fix } from "../gnss/fix";

/** A strong fix uses at least this many satellites. */
export const STRONG_MIN_SATELLITES = 6;
/** A strong fix has an HDOP at most this. */
export const STRONG_MAX_HDOP = 2;
/** The fix with no satellites must come at most this long after the last strong fix (ms). */
export const LOSS_WITHIN_MS = 3_000;

/** A suspected jamming: the last strong fix, when the loss was seen (monotonic ms), and the satellites used just before. */
export interface GnssLoss {
  readonly lastGoodFix: Fix;
  readonly lostAtMs: number;
  readonly satellitesBefore: number;
}

export class JammingRule {
  /** The last strong fix, until a fix with no satellites consumes it. */
  #lastStrong: Fix | undefined = undefined;
  /** receivedAtMs of the last fix used (fixes stamped earlier are ignored). */
  #lastMs = -Infinity;

  /**
   * Feed one published fix, with whether the app is watching now (moving or armed); the loss when
   * this fix shows a suspected jamming, else undefined. Never throws.
   */
  onFix(fix: Fix, watching: boolean): GnssLoss | undefined {
    const nowMs = fix.receivedAtMs;
    if (!Number.isFinite(nowMs) || nowMs < this.#lastMs) return undefined;
    this.#lastMs = nowMs;
    if (fix.valid) {
      if (fix.satellitesUsed >= STRONG_MIN_SATELLITES && fix.hdop <= STRONG_MAX_HDOP) this.#lastStrong = fix;
      return undefined;
    }
    const strong = this.#lastStrong;
    if (!strong || !hasNoSatellites(fix)) return undefined;
    this.#lastStrong = undefined;
    if (watching !== true || nowMs - strong.receivedAtMs > LOSS_WITHIN_MS) return undefined;
    return Object.freeze({ lastGoodFix: strong, lostAtMs: nowMs, satellitesBefore: strong.satellitesUsed });
  }
}

/** No satellites at all: none used, or the count used unknown and none in view. */
function hasNoSatellites(fix: Fix): boolean {
  return fix.satellitesUsed === 0 || (!(fix.satellitesUsed >= 0) && fix.satellitesInView === 0);
}

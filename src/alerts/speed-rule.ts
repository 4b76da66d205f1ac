/**
 * Overspeed: one report per excursion above the speed limit, with its top speed and where that was.
 * - Only good fixes count: valid, HDOP ≤ MAX_HDOP, a known speed ≥ 0. Other fixes (invalid, poor,
 *   no speed) neither extend nor end anything; they only tell the time for the loss rule below.
 * - An excursion starts when good fixes stay above the limit (speed > limit) for CONFIRM_MS, with no
 *   good fix at or below it and no two good fixes more than MAX_FIX_GAP_MS apart (a single-fix
 *   spike, or two spikes with a gap between, is no excursion). It starts at the first of those fixes.
 * - It ends when good fixes stay below limit − HYSTERESIS_KMH for END_MS; a fix at or above that
 *   (the band, or over the limit again) cancels the ending. It ended at the first of those fixes.
 * - Losing the fix: when no good fix came for more than LOST_MS (noticed on the next fix, valid or
 *   not: the receiver publishes one a second even without a position), the excursion ends at the
 *   last thing known (the ending run's first fix, else the last good fix): the report goes out
 *   rather than waiting an unknown time. Fixes that come back above the limit start a new one.
 * - Reported ONCE: when it ends (ended: true), or when it has lasted REPORT_AFTER_MS while still
 *   going (ended: false; on a fix at or above limit − HYSTERESIS_KMH), whichever is first. After
 *   a report the rule waits for that excursion's end before a new one can start.
 * A fix stamped earlier than the last good fix is ignored. Speeds in km/h, times in monotonic ms
 * (Fix.receivedAtMs). Sends nothing, stores nothing.
 */
import type { Fix } from "../gnss/fix";

/** Fixes with a poorer (or unknown) HDOP are no evidence. */
export const MAX_HDOP = 8;
/** How long good fixes must stay above the limit for an excursion (ms). */
export const CONFIRM_MS = 10_000;
/** Good fixes further apart than this do not make one run above the limit (ms; fixes come at ~1 Hz). */
export const MAX_FIX_GAP_MS = 3_000;
/** An excursion ends below limit − this (km/h): driving at the limit does not end and restart it. */
export const HYSTERESIS_KMH = 5;
/** How long good fixes must stay below limit − HYSTERESIS_KMH for the excursion to end (ms). */
export const END_MS = 30_000;
/** An excursion still going after this long is reported then (ended: false), not at its end (ms). */
export const REPORT_AFTER_MS = 120_000;
/** No good fix for longer than this ends an excursion (ms). */
export const LOST_MS = 30_000;

/** One excursion above the limit, reported once. */
export interface SpeedExcursion {
  /** The limit in force, km/h. */
  readonly limitKmh: number;
  /** The highest speed seen, km/h (that of `topFix`). */
  readonly topKmh: number;
  /** The fix with the top speed: where and when (its first occurrence). */
  readonly topFix: Fix;
  /** Monotonic ms of the first fix above the limit. */
  readonly startedMs: number;
  /** ms from `startedMs` to its end (ended) or to the reporting fix (still going). */
  readonly durationMs: number;
  /** True when the excursion is over; false when reported while still going. */
  readonly ended: boolean;
}

interface Excursion {
  startedMs: number;
  topFix: Fix;
  /** receivedAtMs of the first fix of the run below limit − HYSTERESIS_KMH, if one is going on. */
  belowSinceMs: number | undefined;
  reported: boolean;
}

export class SpeedRule {
  #limitKmh = 0;
  /** The run above the limit not yet confirmed: its first fix's time and its fastest fix. */
  #pending: { startMs: number; topFix: Fix } | undefined = undefined;
  #excursion: Excursion | undefined = undefined;
  /** receivedAtMs of the last good fix. */
  #lastGoodMs = -Infinity;

  /**
   * Set the limit in km/h; 0 (or anything not a finite number > 0) switches the rule off. A new
   * limit forgets the excursion in progress, unreported; the same limit again changes nothing.
   */
  setLimit(limitKmh: number): void {
    const limit = limitKmh > 0 && limitKmh < Infinity ? limitKmh : 0;
    if (limit === this.#limitKmh) return;
    this.#limitKmh = limit;
    this.#pending = undefined;
    this.#excursion = undefined;
  }

  /** The limit in km/h, 0 when off. */
  get limitKmh(): number {
    return this.#limitKmh;
  }

  /** True while a confirmed excursion is in progress (reported or not). */
  get speeding(): boolean {
    return this.#excursion !== undefined;
  }

  /** Feed one published fix; the report when this fix makes one, else undefined. Never throws. */
  onFix(fix: Fix): SpeedExcursion | undefined {
    if (this.#limitKmh === 0) return undefined;
    const nowMs = fix.receivedAtMs;
    if (!Number.isFinite(nowMs) || nowMs < this.#lastGoodMs) return undefined;
    let lost: SpeedExcursion | undefined;
    const excursion = this.#excursion;
    if (excursion && nowMs - this.#lastGoodMs > LOST_MS) {
      lost = this.#end(excursion, excursion.belowSinceMs ?? this.#lastGoodMs);
    }
    if (!fix.valid || !(fix.hdop <= MAX_HDOP) || !(fix.speedKmh >= 0 && fix.speedKmh < Infinity)) return lost;
    if (this.#pending && nowMs - this.#lastGoodMs > MAX_FIX_GAP_MS) this.#pending = undefined;
    this.#lastGoodMs = nowMs;
    const event = this.#excursion ? this.#during(this.#excursion, fix, nowMs) : this.#before(fix, nowMs);
    return lost ?? event;
  }

  /** A good fix with no excursion in progress: start or confirm one. */
  #before(fix: Fix, nowMs: number): undefined {
    if (!(fix.speedKmh > this.#limitKmh)) {
      this.#pending = undefined;
      return undefined;
    }
    const pending = this.#pending;
    if (!pending) {
      this.#pending = { startMs: nowMs, topFix: fix };
      return undefined;
    }
    if (fix.speedKmh > pending.topFix.speedKmh) pending.topFix = fix;
    if (nowMs - pending.startMs < CONFIRM_MS) return undefined;
    this.#excursion = { startedMs: pending.startMs, topFix: pending.topFix, belowSinceMs: undefined, reported: false };
    this.#pending = undefined;
    return undefined;
  }

  /** A good fix during an excursion: follow its top, end it, or report it while it goes on. */
  #during(excursion: Excursion, fix: Fix, nowMs: number): SpeedExcursion | undefined {
    if (fix.speedKmh > excursion.topFix.speedKmh) excursion.topFix = fix;
    if (fix.speedKmh < this.#limitKmh - HYSTERESIS_KMH) {
      const belowSinceMs = (excursion.belowSinceMs ??= nowMs);
      return nowMs - belowSinceMs >= END_MS ? this.#end(excursion, belowSinceMs) : undefined;
    }
    excursion.belowSinceMs = undefined;
    if (excursion.reported || nowMs - excursion.startedMs < REPORT_AFTER_MS) return undefined;
    excursion.reported = true;
    return this.#report(excursion, nowMs, false);
  }

  /** The excursion is over at `endMs`: its report unless it was reported while going. */
  #end(excursion: Excursion, endMs: number): SpeedExcursion | undefined {
    this.#excursion = undefined;
    return excursion.reported ? undefined : this.#report(excursion, endMs, true);
  }

  #report(excursion: Excursion, untilMs: number, ended: boolean): SpeedExcursion {
    const top = excursion.topFix;
    return Object.freeze({ limitKmh: this.#limitKmh, topKmh: top.speedKmh, topFix: top, startedMs: excursion.startedMs, durationMs: untilMs - excursion.startedMs, ended });
  }
}

/**
 * Geofence: a circle (centre + radius) and one crossing event each time the vehicle really leaves or
 * re-enters it. A parked receiver's position wanders 5 to 30 m, with multipath spikes of 50 to
 * 100 m lasting a few seconds at a poor HDOP; a vehicle parked in the fence, even near its edge,
 * must never raise an event. So:
 * - only valid fixes with a known position and HDOP ≤ MAX_HDOP count (poorer ones are no evidence);
 * - hysteresis: a fix is "outside" evidence beyond radius + margin, "inside" evidence within
 *   max(radius − margin, radius / 2) (the half-radius floor keeps a small fence usable: with the
 *   full margin a 30 m fence could never be confirmed inside), and between the two it is no
 *   evidence (the band). margin = max(MIN_MARGIN_M, MARGIN_SIGMAS × fix.accuracyM): it widens
 *   when the sky is poor;
 * - dwell: a run of evidence for the other side starts at its first fix and is confirmed by an
 *   evidence fix at least DWELL_MS later. Band fixes neither confirm nor cancel it; a fix with the
 *   opposite evidence cancels it; so does RUN_GAP_MS without a supporting fix (two spikes a minute
 *   apart are not one crossing);
 * - the first state settled after construction or set() is silent (the fence was set where the
 *   vehicle is, or the tracker rebooted): events only for inside → outside ("exit") and
 *   outside → inside ("enter"), once per crossing.
 * A fix stamped earlier than the last fix used (receivedAtMs going back) is ignored.
 * Distances in metres, times in monotonic ms (Fix.receivedAtMs). Sends nothing, stores nothing.
 */
import type { Fix } from "../gnss/fix";
import { distanceM } from "./geo";

/** Fixes with a poorer (or unknown) HDOP are no evidence (as the movement guard). */
export const MAX_HDOP = 8;
/** Smallest hysteresis margin either side of the radius, metres. */
export const MIN_MARGIN_M = 25;
/** Accuracy estimates (fix.accuracyM, 1 sigma) in the margin when that is more than MIN_MARGIN_M. */
export const MARGIN_SIGMAS = 2;
/** How long evidence for the other side must last before the state changes (ms). */
export const DWELL_MS = 30_000;
/** A run with no supporting fix for longer than this lapses (ms). */
export const RUN_GAP_MS = 10_000;

/** A circular fence: centre in degrees (WGS-84), radius in metres (> 0). */
export interface Fence {
  readonly latDeg: number;
  readonly lonDeg: number;
  readonly radiusM: number;
}

/** A confirmed crossing: which way, the confirming fix's distance from the centre (m), and that fix. */
export interface FenceCrossing {
  readonly kind: "exit" | "enter";
  readonly distanceM: number;
  readonly fix: Fix;
}

/** Where the vehicle is as far as the rule knows: "unknown" until the first state settles. */
export type FenceState = "unknown" | "inside" | "outside";

type Side = "inside" | "outside";

export class FenceRule {
  #fence: Fence | undefined = undefined;
  #state: FenceState = "unknown";
  /** The run of evidence for `side`: its first fix's time and the last supporting fix's time (ms). */
  #run: { side: Side; startMs: number; lastMs: number } | undefined = undefined;
  /** receivedAtMs of the last fix used (fixes stamped earlier are ignored). */
  #lastFixMs = -Infinity;

  /**
   * Set a new fence, or none (undefined). The state becomes "unknown" and settles from the next
   * fixes without an event. A fence with a non-finite centre, a latitude beyond ±90°, a longitude
   * beyond ±180° or a radius that is not a finite number > 0 is treated as none.
   */
  set(fence: Fence | undefined): void {
    this.#fence = fence && isUsable(fence) ? Object.freeze({ latDeg: fence.latDeg, lonDeg: fence.lonDeg, radiusM: fence.radiusM }) : undefined;
    this.#state = "unknown";
    this.#run = undefined;
  }

  /** The fence watched (a frozen copy), or undefined. */
  get fence(): Fence | undefined {
    return this.#fence;
  }

  /** "inside" / "outside" once settled; "unknown" after construction, set(), or with no fence. */
  get state(): FenceState {
    return this.#state;
  }

  /** Feed one published fix; the crossing when this fix confirms one, else undefined. Never throws. */
  onFix(fix: Fix): FenceCrossing | undefined {
    const fence = this.#fence;
    if (!fence || !fix.valid || !(fix.hdop <= MAX_HDOP)) return undefined;
    const nowMs = fix.receivedAtMs;
    if (!Number.isFinite(nowMs) || nowMs < this.#lastFixMs) return undefined;
    const distance = distanceM(fence.latDeg, fence.lonDeg, fix.latitudeDeg, fix.longitudeDeg);
    if (!Number.isFinite(distance)) return undefined;
    this.#lastFixMs = nowMs;

    let run = this.#run;
    if (run && nowMs - run.lastMs > RUN_GAP_MS) run = this.#run = undefined;
    const side = evidence(distance, fence.radiusM, fix.accuracyM);
    if (side === undefined) return undefined; // the band: the run goes on
    if (side === this.#state) {
      this.#run = undefined; // evidence for where we are cancels a run for the other side
      return undefined;
    }
    if (!run || run.side !== side) {
      this.#run = { side, startMs: nowMs, lastMs: nowMs };
      return undefined;
    }
    run.lastMs = nowMs;
    if (nowMs - run.startMs < DWELL_MS) return undefined;

    const from = this.#state;
    this.#state = side;
    this.#run = undefined;
    if (from === "unknown") return undefined; // the first settled state is silent
    return Object.freeze({ kind: side === "outside" ? "exit" : "enter", distanceM: distance, fix });
  }
}

/** Which side a fix at `distance` m from the centre is evidence for, or undefined (the band). */
function evidence(distance: number, radiusM: number, accuracyM: number): Side | undefined {
  const margin = Number.isFinite(accuracyM) ? Math.max(MIN_MARGIN_M, MARGIN_SIGMAS * accuracyM) : MIN_MARGIN_M;
  if (distance > radiusM + margin) return "outside";
  if (distance < Math.max(radiusM - margin, radiusM / 2)) return "inside";
  return undefined;
}

function isUsable(fence: Fence): boolean {
  return Math.abs(fence.latDeg) <= 90 && Math.abs(fence.lonDeg) <= 180 && fence.radiusM > 0 && fence.radiusM < Infinity;
}

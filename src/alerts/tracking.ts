/**
 * TRACK: periodic positions to the number that asked, bounded (alerts/plans.ts: at most 100 times
 * and 24 h per TRACK). Every `intervalMin` one tick: a position goes out when there is a live fix
 * and the vehicle moved at least the plan's minimum distance since the last one sent (every tick
 * when the distance is 0); with no live fix the honest "no live position" text goes once per
 * outage. Each tick counts, sent or not, so a parked vehicle's TRACK still ends on time, and the
 * last tick says it ended. The plan (with the ticks left) is a setting: after a reboot tracking
 * goes on where it was; the last position sent lives in RAM only. Times are monotonic ms.
 */
import type { Clock, Logger, TimerHandle } from "../platform/ports";
import type { Settings } from "../store/settings";
import type { Fix } from "../gnss/fix";
import { distanceM } from "./geo";
import { MAX_TRACK_MINUTES, readTrack, trackRequestProblem, trackText, type TrackPlan } from "./plans";
import { maskNumber } from "../auth/phone-number";

/** Positions sent when TRACK gives no count. */
export const DEFAULT_TRACK_COUNT = 10;

/** What tracking needs from the tracker. */
export interface TrackingContext {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly log: Logger;
  /** The live fix now (valid and fresh), else undefined. */
  readonly liveFix: () => Fix | undefined;
  /** A short position text for a tick ("14:02 UTC, 48 km/h NE, +/-5 m" and the map link), for `fix`. */
  readonly positionText: (fix: Fix) => string;
  /** The text when there is no live position (the WHERE reply's honest form). */
  readonly noPositionText: () => string;
  /** True while `number` is registered (a number removed stops getting positions). */
  readonly registered: (number: string) => boolean;
  /** Send `text` to `to` (budget and caps apply). */
  readonly send: (to: string, text: string) => void;
}

/** A TRACK request as parsed from its words: interval (min), count, minimum distance (m); or why it is wrong. */
export type TrackRequest = { readonly intervalMin: number; readonly count: number; readonly minDistanceM: number } | { readonly problem: string };

const DISTANCE_UNITS: Readonly<Record<string, number>> = Object.freeze({ M: 1, KM: 1000, FT: 0.3048, MI: 1609.344 });

/** A distance word: "500m", "2km", "1mi", "800ft" (a plain number is metres); NaN when not one. */
export function parseDistanceM(word: string): number {
  const match = /^([0-9]{1,6}(?:\.[0-9]{1,3})?)([A-Za-z]{0,2})$/.exec(word);
  if (!match) return NaN;
  // (an unknown unit multiplies by NaN)
  return Math.round(Number(match[1]) * (DISTANCE_UNITS[match[2]!.toUpperCase() || "M"] ?? NaN));
}

/** A distance word with its unit ("500m", "2km"): metres; NaN otherwise (a bare number is a count, not a distance). */
function distanceWord(word: string): number {
  return /[A-Za-z]$/.test(word) ? parseDistanceM(word) : NaN;
}

/**
 * TRACK's words after the verb: `<minutes> [<count>] [<distance>]` ("5", "5 20", "5 20 500m",
 * "5 500m"). Without a count: DEFAULT_TRACK_COUNT, fewer when that would pass 24 h.
 */
export function parseTrackRequest(args: readonly string[]): TrackRequest {
  const usage = "Send TRACK <minutes> (count) (distance), e.g. TRACK 5 20 500m, or TRACK OFF.";
  if (args.length === 0) return { problem: usage };
  const intervalMin = /^[0-9]{1,4}$/.test(args[0]!) ? Number(args[0]) : NaN;
  if (!(intervalMin >= 1 && intervalMin <= MAX_TRACK_MINUTES)) return { problem: `The interval must be 1 to ${MAX_TRACK_MINUTES} minutes. ${usage}` };
  const rest = args.slice(1);
  let count = Math.min(DEFAULT_TRACK_COUNT, Math.floor(MAX_TRACK_MINUTES / intervalMin));
  if (rest.length > 0 && /^[0-9]{1,4}$/.test(rest[0]!)) count = Number(rest.shift());
  let minDistanceM = 0;
  if (rest.length > 0) minDistanceM = distanceWord(rest.shift()!);
  if (rest.length > 0 || !Number.isFinite(minDistanceM)) return { problem: `TRACK not started: give the distance with its unit (500m, 2km). ${usage}` };
  const problem = trackRequestProblem(intervalMin, count, minDistanceM);
  return problem ? { problem: `TRACK not started: ${problem}.` } : { intervalMin, count, minDistanceM };
}

export class Tracking {
  readonly #context: TrackingContext;
  #timer: TimerHandle | undefined = undefined;
  #lastSent: Fix | undefined = undefined;
  #silentSinceNoFix = false;

  constructor(context: TrackingContext) {
    this.#context = context;
    const plan = this.plan;
    if (plan) this.#schedule(plan);
  }

  /** The running plan, or undefined when not tracking. */
  get plan(): TrackPlan | undefined {
    const plan = readTrack(this.#context.settings.get("track"));
    return plan && plan.left > 0 ? plan : undefined;
  }

  /** Start `request` for `to` (replacing a running TRACK); the reply. */
  start(to: string, request: { intervalMin: number; count: number; minDistanceM: number }): string {
    const plan: TrackPlan = { ...request, left: request.count, to };
    const saved = this.#context.settings.set("track", trackText(plan));
    if (!saved.ok) return `TRACK failed: ${saved.reason}.`;
    this.#lastSent = undefined;
    this.#silentSinceNoFix = false;
    this.#schedule(plan);
    this.#context.log.log("info", "track", `tracking for ${maskNumber(to)}: every ${plan.intervalMin} min, ${plan.count} times, ${plan.minDistanceM} m`);
    const moved = plan.minDistanceM > 0 ? ` when it moved ${plan.minDistanceM} m or more` : "";
    const hours = plan.intervalMin * plan.count;
    const span = hours >= 120 ? `${Math.round(hours / 6) / 10} h` : `${hours} min`;
    return `Tracking: a position every ${plan.intervalMin} min${moved}, ${plan.count} times (${span}). TRACK OFF stops it.`;
  }

  /** TRACK OFF; the reply. */
  stop(): string {
    const running = this.plan !== undefined;
    this.#context.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const saved = this.#context.settings.set("track", "");
    if (!saved.ok) return `TRACK OFF failed: ${saved.reason}.`;
    return running ? "Tracking stopped." : "Tracking was not on.";
  }

  /** Forget the last position sent (RESET, a new owner); the plan itself goes with the settings. */
  forget(): void {
    this.#context.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#lastSent = undefined;
  }

  /** A text for STATUS: "tracking (17 left)" or "". */
  get summary(): string {
    const plan = this.plan;
    return plan ? `tracking every ${plan.intervalMin} min (${plan.left} left)` : "";
  }

  #schedule(plan: TrackPlan): void {
    const { clock } = this.#context;
    clock.clearTimer(this.#timer);
    this.#timer = clock.setTimer(() => {
      this.#timer = undefined;
      this.#tick();
    }, plan.intervalMin * 60_000);
  }

  #tick(): void {
    const context = this.#context;
    const plan = this.plan;
    if (!plan) return;
    if (!context.registered(plan.to)) {
      context.settings.set("track", "");
      context.log.log("info", "track", "tracking stopped: its number is no longer registered");
      return;
    }
    const left = plan.left - 1;
    const saved = context.settings.set("track", left > 0 ? trackText({ ...plan, left }) : "");
    if (!saved.ok) context.log.log("error", "track", `the tracking plan could not be saved: ${saved.reason}`);
    const tail = left > 0 ? `${left} left, TRACK OFF stops` : "the last one: tracking ended";
    const fix = context.liveFix();
    if (fix) {
      this.#silentSinceNoFix = false;
      const last = this.#lastSent;
      const moved = last ? distanceM(last.latitudeDeg, last.longitudeDeg, fix.latitudeDeg, fix.longitudeDeg) : Infinity;
      if (moved >= plan.minDistanceM) {
        this.#lastSent = fix;
        context.send(plan.to, `TRACK (${tail}): ${context.positionText(fix)}`);
      } else if (left === 0) {
        context.send(plan.to, `TRACK ended: the vehicle moved less than ${plan.minDistanceM} m since the last position sent.`);
      }
    } else if (!this.#silentSinceNoFix || left === 0) {
      this.#silentSinceNoFix = true;
      context.send(plan.to, `TRACK (${tail}): ${context.noPositionText()}`);
    }
    if (left > 0) this.#schedule({ ...plan, left });
  }
}

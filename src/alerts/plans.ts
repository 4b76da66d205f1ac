/**
 * The stored forms of what the owner set for the alert rules: the fence (FENCE), the tracking plan
 * (TRACK) and the speed limit (SPEED). Each survives a reboot and a power cut as one settings value
 * (store/settings.ts), written here and read back here, so the settings check and the commands
 * agree. The fence centre is the one place a location is ever kept in flash: the place the owner
 * chose, erased by FENCE OFF and RESET (never a track or a last position).
 */

/** A circle the vehicle should stay in: centre in degrees (WGS-84), radius in metres. */
export interface Fence {
  readonly latDeg: number;
  readonly lonDeg: number;
  readonly radiusM: number;
}

/** Smallest fence radius, metres: a parked receiver wanders up to ~30 m and spikes to 100 m. */
export const MIN_FENCE_RADIUS_M = 100;
/** Largest fence radius, metres. */
export const MAX_FENCE_RADIUS_M = 50_000;

/**
 * TRACK: every `intervalMin` minutes, `count` times, a position to `to` (E.164) — only when the
 * vehicle moved `minDistanceM` since the last one sent (0 = every time); `left` of the count remain.
 */
export interface TrackPlan {
  readonly intervalMin: number;
  readonly count: number;
  readonly minDistanceM: number;
  readonly left: number;
  readonly to: string;
}

/** Most messages one TRACK sends. */
export const MAX_TRACK_COUNT = 100;
/** Longest a TRACK runs: interval × count, minutes (24 h). */
export const MAX_TRACK_MINUTES = 24 * 60;
/** Largest minimum distance, metres. */
export const MAX_TRACK_DISTANCE_M = 100_000;

/** Lowest and highest speed limit, km/h (0 = no limit). */
export const MIN_SPEED_LIMIT_KMH = 20;
export const MAX_SPEED_LIMIT_KMH = 250;

/** Plain decimal digits only (no sign, exponent or blank). */
function digits(text: string | undefined): number {
  return text !== undefined && /^[0-9]{1,9}$/.test(text) ? Number(text) : NaN;
}

/** A signed decimal number ("-121.88811"), NaN otherwise. */
function decimal(text: string | undefined): number {
  return text !== undefined && /^-?[0-9]{1,3}(\.[0-9]{1,7})?$/.test(text) ? Number(text) : NaN;
}

/** Why `fence` cannot be set, or "" when it can. */
export function fenceProblem(fence: Fence): string {
  const { latDeg, lonDeg, radiusM } = fence;
  if (!(latDeg >= -90 && latDeg <= 90 && lonDeg >= -180 && lonDeg <= 180)) return "the centre must be a latitude (-90 to 90) and a longitude (-180 to 180)";
  if (!(Number.isInteger(radiusM) && radiusM >= MIN_FENCE_RADIUS_M && radiusM <= MAX_FENCE_RADIUS_M)) {
    return `the radius must be ${MIN_FENCE_RADIUS_M} to ${MAX_FENCE_RADIUS_M} m`;
  }
  return "";
}

/** The stored text: "lat,lon,radius", the centre to 5 decimals (about 1 m). */
export function fenceText(fence: Fence): string {
  return `${fence.latDeg.toFixed(5)},${fence.lonDeg.toFixed(5)},${fence.radiusM}`;
}

/** The fence in a stored text; undefined for "" (no fence) or a damaged one. */
export function readFence(text: string): Fence | undefined {
  const parts = text.split(",");
  if (parts.length !== 3) return undefined;
  const fence = { latDeg: decimal(parts[0]), lonDeg: decimal(parts[1]), radiusM: digits(parts[2]) };
  return fenceProblem(fence) === "" ? fence : undefined;
}

/** Why a TRACK of `count` positions every `intervalMin`, `minDistanceM` apart, cannot run, or "" when it can. */
export function trackRequestProblem(intervalMin: number, count: number, minDistanceM: number): string {
  if (!(Number.isInteger(intervalMin) && intervalMin >= 1 && intervalMin <= MAX_TRACK_MINUTES)) return `the interval must be 1 to ${MAX_TRACK_MINUTES} minutes`;
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_TRACK_COUNT)) return `the count must be 1 to ${MAX_TRACK_COUNT}`;
  if (intervalMin * count > MAX_TRACK_MINUTES) return `${count} positions every ${intervalMin} min would run past 24 h (at most ${Math.floor(MAX_TRACK_MINUTES / intervalMin)})`;
  if (!(Number.isInteger(minDistanceM) && minDistanceM >= 0 && minDistanceM <= MAX_TRACK_DISTANCE_M)) return `the distance must be 0 to ${MAX_TRACK_DISTANCE_M} m`;
  return "";
}

/** Why the stored `plan` cannot run, or "" when it can. */
export function trackProblem(plan: TrackPlan): string {
  const { count, left } = plan;
  const request = trackRequestProblem(plan.intervalMin, count, plan.minDistanceM);
  if (request) return request;
  if (!(Number.isInteger(left) && left >= 0 && left <= count)) return "the positions left must be 0 to the count";
  if (!/^\+[1-9][0-9]{5,14}$/.test(plan.to)) return "the number must be in international form";
  return "";
}

/** The stored text: "interval,count,distance,left,to". */
export function trackText(plan: TrackPlan): string {
  return `${plan.intervalMin},${plan.count},${plan.minDistanceM},${plan.left},${plan.to}`;
}

/** The plan in a stored text; undefined for "" (not tracking) or a damaged one. */
export function readTrack(text: string): TrackPlan | undefined {
  const parts = text.split(",");
  if (parts.length !== 5) return undefined;
  const plan = { intervalMin: digits(parts[0]), count: digits(parts[1]), minDistanceM: digits(parts[2]), left: digits(parts[3]), to: parts[4]! };
  return trackProblem(plan) === "" ? plan : undefined;
}

/**
 * Generated drives for the virtual GNSS receiver: a plan of straight legs and stops, and the true
 * vehicle state at any time offset.
 *
 * Units: time offsets in ms from the plan start (t = 0 is `startUtcMs`), degrees for latitude,
 * longitude and course (true, 0..360, clockwise from north), km/h for speed, metres for distances.
 * Legs are flown at constant speed (speed changes instantly at leg ends) along an equirectangular
 * straight line, which is accurate to well under a metre over the few-kilometre legs used here.
 */

/** Mean Earth radius, metres (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8;

export interface LatLon {
  /** Degrees, +N. */
  latDeg: number;
  /** Degrees, +E. */
  lonDeg: number;
}

/**
 * The sky over a leg: "open" (the default) or "none" — a tunnel on a drive leg, a garage or car park
 * on a stop: the receiver loses its fix for the whole leg (as with VirtualGnss.setSignalLost).
 */
export type Sky = "open" | "none";

/** Drive in a straight line from the current point to (toLatDeg, toLonDeg) at speedKmh (> 0). */
export interface DriveLeg {
  kind: "drive";
  toLatDeg: number;
  toLonDeg: number;
  speedKmh: number;
  /** The engine runs (default true); false: towed or carried, engine off. */
  ignition?: boolean;
  /** Default "open"; "none" for a tunnel. */
  sky?: Sky;
}

/** Stand still for durationS seconds (speed 0, position unchanged). */
export interface StopLeg {
  kind: "stop";
  durationS: number;
  /** The engine keeps running (a red light, a queue); default false: parked, engine off. */
  ignition?: boolean;
  /** Default "open"; "none" for a garage or an underground car park. */
  sky?: Sky;
}

export type Leg = DriveLeg | StopLeg;

export interface DrivePlan {
  /** UTC at t = 0 (receiver power-on), Unix ms. */
  startUtcMs: number;
  /** Where the vehicle is at t = 0. */
  start: LatLon;
  /** Legs in order; after the last one the vehicle stays parked where it ended. */
  legs: Leg[];
  /** Seconds from power-on until the receiver has its first fix (cold start). */
  coldStartS: number;
}

/** True vehicle state at one instant. */
export interface TruthState {
  /** Time offset from plan start, ms. */
  tMs: number;
  /** UTC, Unix ms (`startUtcMs + tMs`). */
  utcMs: number;
  latDeg: number;
  lonDeg: number;
  /** km/h; 0 at stops, before the first leg and after the route ends. */
  speedKmh: number;
  /** Degrees true of the current (or last driven) leg; 0 before any drive leg. */
  courseDeg: number;
  /** speedKmh > 0. */
  moving: boolean;
  /** The receiver has a fix (tMs ≥ coldStartS·1000). Signal loss is the receiver's business, not the truth's. */
  hasFix: boolean;
}

/** One leg placed on the timeline. */
export interface Segment {
  kind: "drive" | "stop";
  /** Index into `plan.legs`. */
  legIndex: number;
  startMs: number;
  endMs: number;
  from: LatLon;
  to: LatLon;
  speedKmh: number;
  courseDeg: number;
  /** Leg length, metres (0 for stops). */
  distanceM: number;
  /** The engine runs during this leg (drive legs: `ignition !== false`; stops: `ignition === true`). */
  ignition: boolean;
  /** The receiver sees the sky during this leg (`sky !== "none"`). */
  skyOpen: boolean;
}

/** Equirectangular distance between two nearby points, metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  const { dxM, dyM } = offsetM(a, b);
  return Math.hypot(dxM, dyM);
}

/** Bearing from a to b, degrees true 0..360 (equirectangular; 0 when a equals b). */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const { dxM, dyM } = offsetM(a, b);
  if (dxM === 0 && dyM === 0) return 0;
  const deg = (Math.atan2(dxM, dyM) * 180) / Math.PI;
  return (deg + 360) % 360;
}

function offsetM(a: LatLon, b: LatLon): { dxM: number; dyM: number } {
  const rad = Math.PI / 180;
  const meanLat = ((a.latDeg + b.latDeg) / 2) * rad;
  let dLon = b.lonDeg - a.lonDeg;
  if (dLon > 180) dLon -= 360;
  if (dLon < -180) dLon += 360;
  return {
    dxM: dLon * rad * Math.cos(meanLat) * EARTH_RADIUS_M,
    dyM: (b.latDeg - a.latDeg) * rad * EARTH_RADIUS_M,
  };
}

const segmentCache = new WeakMap<DrivePlan, { legs: Leg[]; legCount: number; segments: Segment[] }>();

/**
 * The plan's legs placed on the timeline (cached per plan object; recomputed if `legs` is replaced
 * or its length changes). Throws RangeError on a drive leg with speed ≤ 0 or a negative stop.
 */
export function driveSegments(plan: DrivePlan): Segment[] {
  const cached = segmentCache.get(plan);
  if (cached && cached.legs === plan.legs && cached.legCount === plan.legs.length) return cached.segments;
  const segments: Segment[] = [];
  let here: LatLon = { latDeg: plan.start.latDeg, lonDeg: plan.start.lonDeg };
  let t = 0;
  let course = 0;
  plan.legs.forEach((leg, legIndex) => {
    if (leg.kind === "stop") {
      if (!(leg.durationS >= 0)) throw new RangeError(`leg ${legIndex}: stop duration must be ≥ 0 s`);
      const endMs = t + leg.durationS * 1000;
      segments.push({
        kind: "stop", legIndex, startMs: t, endMs, from: here, to: here, speedKmh: 0, courseDeg: course, distanceM: 0,
        ignition: leg.ignition === true, skyOpen: leg.sky !== "none",
      });
      t = endMs;
    } else {
      if (!(leg.speedKmh > 0)) throw new RangeError(`leg ${legIndex}: drive speed must be > 0 km/h`);
      const to: LatLon = { latDeg: leg.toLatDeg, lonDeg: leg.toLonDeg };
      const dist = distanceM(here, to);
      if (dist > 0) course = bearingDeg(here, to);
      const endMs = t + (dist / (leg.speedKmh / 3.6)) * 1000;
      segments.push({
        kind: "drive", legIndex, startMs: t, endMs, from: here, to, speedKmh: leg.speedKmh, courseDeg: course, distanceM: dist,
        ignition: leg.ignition !== false, skyOpen: leg.sky !== "none",
      });
      here = to;
      t = endMs;
    }
  });
  segmentCache.set(plan, { legs: plan.legs, legCount: plan.legs.length, segments });
  return segments;
}

/** Time at which the last leg ends, ms from plan start. */
export function driveDurationMs(plan: DrivePlan): number {
  const segs = driveSegments(plan);
  return segs.length === 0 ? 0 : segs[segs.length - 1]!.endMs;
}

/** Index of the segment holding `tMs` (the first that ends after it); segs.length when past the end. */
function segmentIndexAt(segs: readonly Segment[], tMs: number): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid]!.endMs > tMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A change of the ignition, ms from plan start. */
export interface IgnitionChange {
  atMs: number;
  on: boolean;
}

/**
 * When the engine starts and stops along the plan: it runs during drive legs (unless `ignition:
 * false`, a tow) and stops at stop legs (unless `ignition: true`, a red light). Before the plan and
 * after its last leg the vehicle is parked with the ignition off. Only changes are listed, in time
 * order (so the first entry, if any, is an "on").
 */
export function ignitionTimeline(plan: DrivePlan): IgnitionChange[] {
  const changes: IgnitionChange[] = [];
  let on = false;
  for (const seg of driveSegments(plan)) {
    if (seg.endMs <= seg.startMs || seg.ignition === on) continue;
    on = seg.ignition;
    changes.push({ atMs: seg.startMs, on });
  }
  if (on) changes.push({ atMs: driveDurationMs(plan), on: false });
  return changes;
}

/** True when the receiver sees the sky at `tMs` (false inside a leg with `sky: "none"`; open before and after the plan). */
export function skyOpenAt(plan: DrivePlan, tMs: number): boolean {
  const segs = driveSegments(plan);
  const seg = segs[segmentIndexAt(segs, tMs)];
  return !seg || tMs < seg.startMs || seg.skyOpen;
}

/** The truth of a vehicle standing at `at`. */
function parkedAt(at: LatLon, courseDeg: number, tMs: number, utcMs: number, hasFix: boolean): TruthState {
  return { tMs, utcMs, hasFix, latDeg: at.latDeg, lonDeg: at.lonDeg, speedKmh: 0, courseDeg, moving: false };
}

/**
 * True state at `tMs` ms after plan start. Negative times give the start point; times after the
 * last leg give the end point, parked (speed 0, course of the last drive leg).
 */
export function truthAt(plan: DrivePlan, tMs: number): TruthState {
  const segs = driveSegments(plan);
  const utcMs = plan.startUtcMs + tMs;
  const hasFix = tMs >= plan.coldStartS * 1000;
  const seg = segs[segmentIndexAt(segs, tMs)];
  if (tMs < 0 || (seg && tMs < seg.startMs)) return parkedAt(plan.start, 0, tMs, utcMs, hasFix);
  if (!seg) {
    const last = segs[segs.length - 1];
    return last ? parkedAt(last.to, last.courseDeg, tMs, utcMs, hasFix) : parkedAt(plan.start, 0, tMs, utcMs, hasFix);
  }
  if (seg.kind === "stop") return parkedAt(seg.from, seg.courseDeg, tMs, utcMs, hasFix);
  const span = seg.endMs - seg.startMs;
  const f = span > 0 ? (tMs - seg.startMs) / span : 1;
  let dLon = seg.to.lonDeg - seg.from.lonDeg;
  if (dLon > 180) dLon -= 360;
  if (dLon < -180) dLon += 360;
  let lon = seg.from.lonDeg + dLon * f;
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return {
    tMs,
    utcMs,
    hasFix,
    latDeg: seg.from.latDeg + (seg.to.latDeg - seg.from.latDeg) * f,
    lonDeg: lon,
    speedKmh: seg.speedKmh,
    courseDeg: seg.courseDeg,
    moving: seg.speedKmh > 0,
  };
}

/**
 * A 15.4-minute (924 s) urban drive in San Jose, CA, about 9.1 km: parked downtown at
 * 37.3349,−121.8881 for 30 s (the 10 s cold start happens there), up Market St and N 1st St with a
 * 45 s red light, west towards the airport, a 90 s delivery stop, then back downtown by Coleman Ave
 * and Santa Clara St to the start point, where it stays parked. Speeds 30–50 km/h.
 * Starts 2025-06-02 16:00:00 UTC (a Monday, 09:00 PDT).
 */
export function defaultDrive(): DrivePlan {
  return {
    startUtcMs: Date.UTC(2026, 10, 24, 22, 15, 0),
    start: { latDeg: 37.3349, lonDeg: -121.8881 },
    coldStartS: 10,
    legs: [
      { kind: "stop", durationS: 30, ignition: true }, // parked, engine running; fix arrives at 10 s
      { kind: "drive", toLatDeg: 37.3382, toLonDeg: -121.8863, speedKmh: 30 }, // up Market St
      { kind: "drive", toLatDeg: 37.3496, toLonDeg: -121.8946, speedKmh: 40 }, // N 1st St
      { kind: "drive", toLatDeg: 37.3625, toLonDeg: -121.905, speedKmh: 50 }, // N 1st St past Hedding
      { kind: "stop", durationS: 45, ignition: true }, // red light
      { kind: "drive", toLatDeg: 37.3585, toLonDeg: -121.9215, speedKmh: 50 }, // west towards the airport
      { kind: "stop", durationS: 90 }, // delivery stop, engine off
      { kind: "drive", toLatDeg: 37.349, toLonDeg: -121.9085, speedKmh: 50 }, // Coleman Ave
      { kind: "drive", toLatDeg: 37.338, toLonDeg: -121.894, speedKmh: 40 }, // The Alameda / Santa Clara St
      { kind: "drive", toLatDeg: 37.3349, toLonDeg: -121.8881, speedKmh: 30 }, // back to start
    ],
  };
}

/**
 * A sky that changes as a real one does, for the NMEA throughput bench and the virtual receiver's
 * `sky: "changing"` (full multi-GNSS output): GPS, GLONASS and Galileo
 * satellites on their orbits (GPS and Galileo repeat their ground track about twice a day, GLONASS
 * a little faster), so over an hour some rise and some set; C/N0 follows elevation with ±2 dB of
 * noise every second; the receiver uses the strongest satellites above its 10° mask; and the DOPs
 * move every epoch (geometry plus the second-to-second jitter receivers print with 2 decimals).
 * So every epoch's GSA and GSV lines differ from the last, as on a real receiver's output: a bench
 * on this stream cannot win by caching repeated lines.
 *
 * Deterministic: the same epoch index always gives the same sky.
 */
import { Random } from "../random.ts";
import type { GsvSatellite } from "./nmea-format.ts";

/** One satellite of the model. */
interface Orbit {
  /** NMEA satellite ID. */
  svid: number;
  /** Highest elevation of its passes here, degrees. */
  peakDeg: number;
  /** Period of its elevation cycle (rises and sets), seconds. */
  periodS: number;
  /** Phase at epoch 0, radians. */
  phase: number;
  /** Azimuth at its peak, degrees, and the sweep over a pass. */
  azimuthDeg: number;
}

/** One constellation's satellites in view and in use at one epoch. */
export interface SkySystem {
  /** Satellites above the horizon, strongest first as receivers list them: for GSV. */
  inView: GsvSatellite[];
  /** IDs of the satellites used in the fix (≤ 12): for GSA. */
  used: number[];
}

/** The sky at one epoch. */
export interface SkyEpoch {
  gps: SkySystem;
  glonass: SkySystem;
  galileo: SkySystem;
  pdop: number;
  hdop: number;
  vdop: number;
}

const ELEVATION_MASK_DEG = 10;
const MAX_USED_PER_SYSTEM = 12;

function orbits(random: Random, ids: number[], periodS: number): Orbit[] {
  return ids.map((svid) => ({
    svid,
    peakDeg: 25 + random.next() * 60,
    periodS: periodS * (0.97 + random.next() * 0.06),
    phase: random.next() * 2 * Math.PI,
    azimuthDeg: random.next() * 360,
  }));
}

const SEED = 20250601;
const random = new Random(SEED);
// About half of each constellation is above the horizon at any time.
const GPS = orbits(random, Array.from({ length: 24 }, (_, i) => i + 1), 43_080);
const GLONASS = orbits(random, Array.from({ length: 16 }, (_, i) => 65 + i), 40_544);
const GALILEO = orbits(random, Array.from({ length: 14 }, (_, i) => i + 1), 50_680);

/** Elevation of `o` at time `t` seconds: a pass above the horizon for part of each cycle. */
function elevationDeg(o: Orbit, t: number): number {
  return o.peakDeg * Math.sin((2 * Math.PI * t) / o.periodS + o.phase) - 8;
}

/** Strongest first, as receivers list the satellites in view. */
function byCnoDescending(a: GsvSatellite, b: GsvSatellite): number {
  return (b.cnoDbHz ?? 0) - (a.cnoDbHz ?? 0);
}

function ascending(a: number, b: number): number {
  return a - b;
}

function system(list: Orbit[], t: number, noise: Random): SkySystem {
  const inView: GsvSatellite[] = [];
  for (const o of list) {
    const elevation = elevationDeg(o, t);
    if (elevation < 0) continue;
    const azimuth = (o.azimuthDeg + ((t / o.periodS) * 360) + 360) % 360;
    const cno = 22 + elevation * 0.28 + (noise.next() * 4 - 2);
    inView.push({ svid: o.svid, elevationDeg: elevation, azimuthDeg: azimuth, cnoDbHz: cno });
  }
  inView.sort(byCnoDescending);
  // the strongest above the elevation mask are used
  const used: number[] = [];
  for (const s of inView) {
    if (used.length === MAX_USED_PER_SYSTEM) break;
    if ((s.elevationDeg ?? 0) >= ELEVATION_MASK_DEG) used.push(s.svid);
  }
  used.sort(ascending);
  return { inView, used };
}

/** The sky `epoch` seconds into the run (an hour of a morning, then on through the day; deterministic). */
export function skyAt(epoch: number): SkyEpoch {
  const noise = new Random(SEED ^ (epoch * 2654435761));
  const t = 3600 * 7 + epoch; // an hour of a morning
  const gps = system(GPS, t, noise);
  const glonass = system(GLONASS, t, noise);
  const galileo = system(GALILEO, t, noise);
  const used = gps.used.length + glonass.used.length + galileo.used.length;
  // more satellites, better geometry; plus the receiver's second-to-second jitter
  const geometry = 4.2 / Math.sqrt(Math.max(4, used));
  const hdop = Math.max(0.5, geometry * (0.95 + noise.next() * 0.1));
  const vdop = Math.max(0.6, hdop * (1.35 + noise.next() * 0.1));
  const pdop = Math.sqrt(hdop * hdop + vdop * vdop);
  return { gps, glonass, galileo, pdop, hdop, vdop };
}

/**
 * The vehicle's electrical side, as the tracker's ADC sees it: the vehicle supply (a 12 V or 24 V
 * lead-acid system: resting, cranking, charging, sagging with parasitic load, cut by a thief) and
 * the tracker's own Li-ion backup cell (kept full while supplied, discharging while the supply is cut).
 *
 * Deterministic and cheap: the state changes only at events (ignition on/off, power cut/restored,
 * given as they happen or scheduled ahead), and {@link VehicleModel.reading} computes the voltages at
 * any time from the last event in closed form (a few exp() calls). The ADC noise is a hash of
 * (seed, ms, channel), not a stream, so a reading depends only on the seed, the events and the time,
 * never on how often it was sampled.
 *
 * Units: times in ms of the caller's clock (the simulation's virtual time), voltages in mV, charge in
 * mAh, currents in mA. Figures are for a 12 V system; a 24 V system (two batteries in series, trucks
 * and buses) doubles every vehicle-side voltage.
 *
 * Where the figures come from (typical published values, not one vehicle's measurements):
 * - Lead-acid open-circuit voltage: about 12.7 V full, 12.4 V at ~75 % charge, 12.0 V at ~25 %,
 *   11.9 V flat — roughly 8 mV per % of charge (battery makers' state-of-charge tables).
 * - Alternator regulator set-point: 13.8-14.4 V (temperature compensated); the voltage settles a few
 *   seconds after the engine catches (the regulator's field current ramps up).
 * - Cranking: the starter draws 100-200 A; a healthy battery holds ≥ 9.6 V during the crank (the
 *   SAE/BCI load-test threshold), typically 9.5-10.5 V, for 0.5-2 s.
 * - Surface charge: after a drive the resting voltage reads 0.2-0.4 V high and takes hours to settle.
 * - Ignition on, engine off: ECU, fuel pump and lights draw 5-15 A, a couple of hundred mV of sag.
 * - Backup cell: a single Li-ion (LiCoO2/NMC) cell, 4.2 V charge termination (about 4.15 V at rest
 *   once full), 3.0 V cut-off; the open-circuit curve below follows common 0.2 C discharge curves.
 *   A tracker with its modem registered and idle and the GNSS on draws roughly 40-80 mA: 60 mA from a
 *   1000 mAh cell empties it in about 16.7 h (below 3.5 V after about 15.5 h).
 */
import type { PowerReading } from "../../src/platform/ports.ts";

export type { PowerReading };

/** Options of a {@link VehicleModel}. Only `seed` is required. */
export interface VehicleModelOptions {
  /** Seed of the ADC noise, the alternator set-point and the cranking dips. */
  seed: number;
  /** Nominal system voltage: 12 (cars, vans) or 24 (trucks, buses). Default 12. */
  systemVolts?: 12 | 24;
  /** Backup cell capacity, mAh. Default 1000. */
  backupMah?: number;
  /** The tracker's current from the backup cell while the supply is cut, mA. Default 60. */
  trackerDrawMa?: number;
  /** Backup charge current while supplied (the board's charger sets it; assumed), mA. Default 300. */
  backupChargeMa?: number;
  /** Backup state of charge at t = 0, 0..1. Default 1 (full). */
  backupSoc?: number;
  /** Vehicle battery resting voltage at t = 0 (12 V system scale), mV. Default 12 400 (~75 % charged). */
  restingMv?: number;
  /**
   * Resting-voltage sag while parked with the ignition off, mV per hour (12 V scale). Default 20: a
   * heavy parasitic load (≈ 1.5 A from a 60 Ah battery, ~2.5 %/h), pessimistic so that a simulated day
   * shows the sag; a healthy car drawing 20-50 mA loses well under 1 mV/h.
   */
  parasiticMvPerH?: number;
  /** ADC noise amplitude: readings are off by a uniform ±noiseMv, mV. Default 30; 0 for exact readings. */
  noiseMv?: number;
  /**
   * The clock to use when a method is called without a time (e.g. the simulation's virtual clock).
   * Without it, every method needs its `tMs`.
   */
  now?: () => number;
}

/** What can happen to the vehicle; `ignitionOn` cranks and starts the engine. */
export type VehicleEventKind = "ignitionOn" | "ignitionOff" | "cutPower" | "restorePower";

/** An event at a time (ms of the model's clock). */
export interface VehicleEvent {
  atMs: number;
  kind: VehicleEventKind;
}

/** The model's state at one time. */
export interface VehicleState {
  /** Key in the "on" position. */
  ignition: boolean;
  /** The engine runs (or is being cranked). */
  engineRunning: boolean;
  /** The starter is turning the engine (the first {@link CRANK_MS} after a start). */
  cranking: boolean;
  /** The tracker's supply wire is connected (false after cutPower, until restorePower). */
  supplied: boolean;
  /** Vehicle battery open-circuit voltage (no surface charge, no load), mV. */
  restingMv: number;
  /** The vehicle supply without ADC noise (0 while cut), mV. */
  vehicleMv: number;
  /** Backup cell charge, mAh. */
  backupMah: number;
  /** Backup cell state of charge, 0..1. */
  backupSoc: number;
  /** The backup cell's voltage without ADC noise, mV. */
  batteryMv: number;
}

/** How long the starter cranks before the engine catches, ms. */
export const CRANK_MS = 1500;
/** Time constant of the alternator voltage settling after the crank, ms (≈ 98 % after 10 s). */
export const CHARGE_SETTLE_TAU_MS = 2500;
/** Backup cell voltages, mV: full at rest, charge termination, empty (cut-off), low. */
export const BACKUP_FULL_MV = 4150;
export const BACKUP_CHARGE_MV = 4200;
export const BACKUP_EMPTY_MV = 3000;
export const BACKUP_LOW_MV = 3500;

/** 12 V figures (×2 for 24 V). */
const FULL_REST_MV = 12_700;
const FLOOR_REST_MV = 11_800;
const CHARGE_MIN_MV = 13_800;
const CHARGE_MAX_MV = 14_400;
const CRANK_MIN_MV = 9_500;
const CRANK_MAX_MV = 10_500;
/** Sag with the ignition on and the engine off (ECU, pump, lights), mV, and its extra drain, mV/h. */
const IGNITION_LOAD_MV = 250;
const IGNITION_DRAIN_MV_PER_H = 150;
/** The alternator recharging the battery towards full, mV of resting voltage per hour (~25 %/h). */
const RECHARGE_MV_PER_H = 200;
/** After the engine stops: the excess over rest decays, 80 % with a 5 s time constant, 20 % over an hour (surface charge). */
const FAST_DECAY_MS = 5_000;
const SURFACE_DECAY_MS = 3_600_000;
const SURFACE_SHARE = 0.2;
/** Backup: charging reads this much above open-circuit; discharging sags by I·R with R = 0.15 Ω. */
const CHARGE_RISE_MV = 50;
const CELL_RESISTANCE_OHM = 0.15;
const HOUR_MS = 3_600_000;

/** Li-ion open-circuit voltage by state of charge (0, 5, 10, 20, ... 100 %), mV. */
const OCV_SOC = Object.freeze([0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
const OCV_MV = Object.freeze([3000, 3450, 3600, 3680, 3720, 3750, 3780, 3820, 3880, 3960, 4050, 4150]);

/** Open-circuit voltage of the backup cell at `soc` (0..1), mV (piecewise linear). */
export function backupOcvMv(soc: number): number {
  if (!(soc > 0)) return OCV_MV[0]!;
  if (soc >= 1) return OCV_MV[OCV_MV.length - 1]!;
  let i = 1;
  while (OCV_SOC[i]! < soc) i++;
  const s0 = OCV_SOC[i - 1]!;
  const s1 = OCV_SOC[i]!;
  return OCV_MV[i - 1]! + ((OCV_MV[i]! - OCV_MV[i - 1]!) * (soc - s0)) / (s1 - s0);
}

/** A 32-bit hash of three integers (murmur3's finaliser over a simple mix), as a float in [0, 1). */
function unit(seed: number, a: number, b: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (a >>> 0) ^ (h >>> 15), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (b >>> 0) ^ (h >>> 13), 0x27d4eb2f) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export class VehicleModel {
  /** Nominal system voltage (12 or 24). */
  readonly systemVolts: 12 | 24;
  /** Backup cell capacity, mAh. */
  readonly backupCapacityMah: number;
  /** The alternator's set-point for this vehicle (seeded, 13.8-14.4 V ×scale), mV. */
  readonly chargeMv: number;
  private readonly seed: number;
  private readonly scale: number;
  private readonly noiseMv: number;
  private readonly drawMa: number;
  private readonly chargeMa: number;
  private readonly parasiticMvPerH: number;
  private readonly now: (() => number) | undefined;
  /** Scheduled events not applied yet, in time order. */
  private pending: VehicleEvent[] = [];
  // The state at the last event (checkpoint), from which every reading is computed.
  private lastMs = 0;
  private restMv: number;
  private backupMah: number;
  private ignitionOnNow = false;
  private engine = false;
  private suppliedNow = true;
  private engineStartMs = 0;
  private starts = 0;
  private crankDipMv = 0;
  /** Voltage above rest when the engine stopped, and when. */
  private excessMv = 0;
  private excessSinceMs = 0;

  constructor(options: VehicleModelOptions) {
    this.seed = options.seed >>> 0;
    this.systemVolts = options.systemVolts ?? 12;
    this.scale = this.systemVolts / 12;
    this.backupCapacityMah = options.backupMah ?? 1000;
    this.drawMa = options.trackerDrawMa ?? 60;
    this.chargeMa = options.backupChargeMa ?? 300;
    this.noiseMv = options.noiseMv ?? 30;
    this.parasiticMvPerH = options.parasiticMvPerH ?? 20;
    this.now = options.now;
    this.restMv = (options.restingMv ?? 12_400) * this.scale;
    this.backupMah = Math.max(0, Math.min(1, options.backupSoc ?? 1)) * this.backupCapacityMah;
    this.chargeMv = Math.round(CHARGE_MIN_MV + (CHARGE_MAX_MV - CHARGE_MIN_MV) * unit(this.seed, 0x5e7, 0));
  }

  /** Key in the "on" position (as of the last event applied). */
  get ignition(): boolean {
    return this.ignitionOnNow;
  }

  /** The engine runs (as of the last event applied). */
  get engineRunning(): boolean {
    return this.engine;
  }

  /** The tracker's supply is connected (as of the last event applied). */
  get supplied(): boolean {
    return this.suppliedNow;
  }

  /** Time of the last event applied, ms. */
  get lastEventMs(): number {
    return this.lastMs;
  }

  /**
   * What the tracker's ADC reads at `tMs`: integer mV, with noise. The vehicle supply reads 0 to
   * `noiseMv` while cut. Applies the scheduled events up to `tMs` first. A time before the last
   * event reads as at the last event.
   */
  reading(tMs?: number): PowerReading {
    const t = this.advance(tMs);
    const ms = Math.floor(t);
    const vehicleNoise = this.noise(ms, 1);
    const vehicleMv = this.suppliedNow ? Math.round(this.vehicleTrueMv(t) + vehicleNoise) : Math.max(0, Math.round(vehicleNoise));
    return { vehicleMv, batteryMv: Math.round(this.batteryTrueMv(t) + this.noise(ms, 2)) };
  }

  /** The full state at `tMs` (no noise). Applies the scheduled events up to `tMs` first. */
  state(tMs?: number): VehicleState {
    const t = this.advance(tMs);
    const backupMah = this.backupAt(t);
    return {
      ignition: this.ignitionOnNow,
      engineRunning: this.engine,
      cranking: this.engine && t - this.engineStartMs < CRANK_MS,
      supplied: this.suppliedNow,
      restingMv: this.restAt(t),
      vehicleMv: this.suppliedNow ? this.vehicleTrueMv(t) : 0,
      backupMah,
      backupSoc: backupMah / this.backupCapacityMah,
      batteryMv: this.batteryTrueMv(t),
    };
  }

  /**
   * Key turned on at `tMs`. `engine` (default true): the starter cranks for {@link CRANK_MS} (the
   * supply dips to 9.5-10.5 V), then the alternator charges (settling at {@link chargeMv} within
   * ~10 s). `engine: false`: key in "on" only (accessories and ECU load the battery). No-op if the
   * ignition is already on. Throws RangeError for a time before the last event.
   */
  ignitionOn(tMs?: number, options: { engine?: boolean } = {}): void {
    const t = this.checkpoint(tMs);
    if (this.ignitionOnNow) return;
    this.ignitionOnNow = true;
    if (options.engine === false) return;
    this.excessMv = 0; // the crank takes the surface charge away
    this.engine = true;
    this.engineStartMs = t;
    this.starts++;
    this.crankDipMv = (CRANK_MIN_MV + (CRANK_MAX_MV - CRANK_MIN_MV) * unit(this.seed, 0xc4a7, this.starts)) * this.scale;
  }

  /** Key turned off at `tMs`: the engine stops, the supply falls back towards rest (surface charge decays over hours). No-op if off. */
  ignitionOff(tMs?: number): void {
    const t = this.checkpoint(tMs);
    if (!this.ignitionOnNow) return;
    this.ignitionOnNow = false;
    if (!this.engine) return; // key was in "on" only: the surface charge keeps decaying as it was
    this.excessMv = Math.max(0, this.vehicleTrueMv(t) - this.restMv);
    this.excessSinceMs = t;
    this.engine = false;
  }

  /** The tracker's supply wire is cut (or the vehicle battery disconnected) at `tMs`: the supply reads ~0, the backup cell discharges. */
  cutPower(tMs?: number): void {
    this.checkpoint(tMs);
    this.suppliedNow = false;
  }

  /** The supply is connected again at `tMs`: the backup cell charges back to full. */
  restorePower(tMs?: number): void {
    this.checkpoint(tMs);
    this.suppliedNow = true;
  }

  /**
   * Queue events to happen at their times (applied, in time order, whenever the model is read or
   * changed at or after them). Throws RangeError for an event before the last one applied.
   */
  schedule(events: readonly VehicleEvent[]): void {
    for (const e of events) {
      if (!(e.atMs >= this.lastMs)) throw new RangeError(`vehicle event ${e.kind} at ${e.atMs} ms is before the last one (${this.lastMs} ms)`);
    }
    this.pending = [...this.pending, ...events].sort((a, b) => a.atMs - b.atMs);
  }

  /** Events scheduled and not yet applied. */
  get scheduled(): readonly VehicleEvent[] {
    return this.pending;
  }

  /** Apply scheduled events up to `tMs` (or now); returns the time to compute at (never before the last event). */
  private advance(tMs: number | undefined): number {
    const t = this.time(tMs);
    while (this.pending.length > 0 && this.pending[0]!.atMs <= t) {
      const e = this.pending.shift()!;
      this.apply(e);
    }
    return Math.max(t, this.lastMs);
  }

  private apply(e: VehicleEvent): void {
    if (e.kind === "ignitionOn") this.ignitionOn(e.atMs);
    else if (e.kind === "ignitionOff") this.ignitionOff(e.atMs);
    else if (e.kind === "cutPower") this.cutPower(e.atMs);
    else this.restorePower(e.atMs);
  }

  private time(tMs: number | undefined): number {
    if (tMs !== undefined) return tMs;
    if (this.now) return this.now();
    throw new TypeError("VehicleModel: no time given and no clock (options.now)");
  }

  /** Move the checkpoint to `tMs` (after applying what was scheduled before it). */
  private checkpoint(tMs: number | undefined): number {
    const t = this.time(tMs);
    this.advance(t);
    if (t < this.lastMs) throw new RangeError(`vehicle event at ${t} ms is before the last one (${this.lastMs} ms)`);
    this.restMv = this.restAt(t);
    this.backupMah = this.backupAt(t);
    this.lastMs = t;
    return t;
  }

  /** Vehicle battery open-circuit voltage at t (≥ lastMs), mV. */
  private restAt(t: number): number {
    const hours = (t - this.lastMs) / HOUR_MS;
    const full = FULL_REST_MV * this.scale;
    if (this.engine) return this.restMv >= full ? this.restMv : Math.min(full, this.restMv + RECHARGE_MV_PER_H * this.scale * hours);
    const floor = FLOOR_REST_MV * this.scale;
    if (this.restMv <= floor) return this.restMv;
    const rate = (this.parasiticMvPerH + (this.ignitionOnNow ? IGNITION_DRAIN_MV_PER_H : 0)) * this.scale;
    return Math.max(floor, this.restMv - rate * hours);
  }

  /** What is left of the voltage above rest after the engine stopped, mV. */
  private excessAt(t: number): number {
    if (this.excessMv <= 0) return 0;
    const dt = t - this.excessSinceMs;
    return this.excessMv * ((1 - SURFACE_SHARE) * Math.exp(-dt / FAST_DECAY_MS) + SURFACE_SHARE * Math.exp(-dt / SURFACE_DECAY_MS));
  }

  /** The vehicle supply at t without noise, as if connected, mV. */
  private vehicleTrueMv(t: number): number {
    const rest = this.restAt(t);
    if (this.engine) {
      const since = t - this.engineStartMs;
      if (since < CRANK_MS) return this.crankDipMv;
      const target = this.chargeMv * this.scale;
      return target - (target - rest) * Math.exp(-(since - CRANK_MS) / CHARGE_SETTLE_TAU_MS);
    }
    const excess = this.excessAt(t);
    return this.ignitionOnNow ? rest + excess - IGNITION_LOAD_MV * this.scale : rest + excess;
  }

  /** Backup cell charge at t (≥ lastMs), mAh. */
  private backupAt(t: number): number {
    const hours = (t - this.lastMs) / HOUR_MS;
    return this.suppliedNow
      ? Math.min(this.backupCapacityMah, this.backupMah + this.chargeMa * hours)
      : Math.max(0, this.backupMah - this.drawMa * hours);
  }

  /** The backup cell's terminal voltage at t without noise, mV. */
  private batteryTrueMv(t: number): number {
    const soc = this.backupAt(t) / this.backupCapacityMah;
    if (this.suppliedNow) return soc >= 1 ? BACKUP_FULL_MV : Math.min(BACKUP_CHARGE_MV, backupOcvMv(soc) + CHARGE_RISE_MV);
    if (soc <= 0) return BACKUP_EMPTY_MV;
    return Math.max(BACKUP_EMPTY_MV, backupOcvMv(soc) - this.drawMa * CELL_RESISTANCE_OHM);
  }

  /** Uniform noise in [−noiseMv, +noiseMv) for one channel at one ms. */
  private noise(ms: number, channel: number): number {
    if (this.noiseMv <= 0) return 0;
    return (unit(this.seed, ms, channel) * 2 - 1) * this.noiseMv;
  }
}

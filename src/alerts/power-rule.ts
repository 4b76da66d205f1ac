/**
 * Vehicle power events from the vehicle-power port's samples (PowerReading, every POWER_SAMPLE_MS):
 * the supply cut and restored, the backup battery low, the engine started and stopped.
 *
 * Every state changes only after a run of consecutive samples that agree; a sample that shows
 * neither side (or has no measurement: NaN) breaks the run. Thresholds, in millivolts:
 * - supply: cut below CUT_BELOW_MV (a cut reads ~0 V), on above ON_ABOVE_MV; CUT_SAMPLES /
 *   ON_SAMPLES in a row (a cut is known within 4 s). Between the two: no evidence, so a cranking
 *   dip (9 to 10.5 V, even a weak battery's 6 to 8 V) is never a cut.
 * - system: 12 V, until SYSTEM_24V_SAMPLES samples in a row at or above SYSTEM_24V_FROM_MV (a 24 V
 *   truck rests at 24.4-25.4 V; a 12 V car never gets there) make it 24 V; the engine thresholds
 *   below are per 12 V and double on 24 V. A confirmed cut forgets the system (another vehicle?).
 * - engine, only from samples with the supply on: running when charging (≥ CHARGING_FROM_MV, i.e.
 *   13.2 V / 26.4 V) for CHARGING_SAMPLES samples; off when resting (< RESTING_BELOW_MV, 13.0 V /
 *   26.0 V) for RESTING_SAMPLES samples. The cranking dip is a resting sample: it starts nothing.
 *   Limits: a "smart" alternator may charge at 12.5-13 V while driving (that reads as off), and a
 *   battery just off charge keeps above 13 V for a minute or so after the engine stops.
 * - backup battery: low below BATTERY_LOW_BELOW_MV for BATTERY_SAMPLES samples; low again only
 *   after BATTERY_SAMPLES samples above BATTERY_OK_ABOVE_MV (hysteresis: no flapping at 3.5 V).
 *
 * Silence at boot: the first state learned for each of supply, engine and battery after
 * construction makes no event (state "unknown" until then). A boot on backup battery therefore
 * settles to supply "cut" silently: the app reads `supply` if it wants to report that. The battery's
 * first state is "low" only below BATTERY_LOW_BELOW_MV, else ok. After a cut, the engine is unknown
 * again: its state after the restore is learned silently (power-restored has told the news).
 *
 * At most one event per sample, in this order: supply, battery, engine. A change held back by an
 * earlier one follows on the next sample that still shows it. Never throws; `nowMs` (monotonic) is
 * only the event's time: a sample with a non-finite nowMs is ignored.
 */
import type { PowerReading } from "../platform/ports";

/** How often the app should take a sample (ms); the sample counts below assume it. */
export const POWER_SAMPLE_MS = 2_000;
/** Supply below this is cut evidence (mV). */
export const CUT_BELOW_MV = 6_000;
/** Samples in a row below CUT_BELOW_MV for a cut. */
export const CUT_SAMPLES = 2;
/** Supply above this is "on" evidence (mV). */
export const ON_ABOVE_MV = 9_000;
/** Samples in a row above ON_ABOVE_MV for the supply to be on (restored). */
export const ON_SAMPLES = 2;
/** Supply at or above this means a 24 V system (mV). */
export const SYSTEM_24V_FROM_MV = 18_000;
/** Samples in a row at or above SYSTEM_24V_FROM_MV to decide on 24 V (one load-dump spike is not). */
export const SYSTEM_24V_SAMPLES = 2;
/** Charging (engine running) at or above this, per 12 V of system (mV). */
export const CHARGING_FROM_MV = 13_200;
/** Samples in a row charging for the engine to be running. */
export const CHARGING_SAMPLES = 3;
/** Resting (engine off) below this, per 12 V of system (mV). */
export const RESTING_BELOW_MV = 13_000;
/** Samples in a row resting for the engine to be off (10 s). */
export const RESTING_SAMPLES = 5;
/** Backup battery (Li-ion) below this is low (mV). */
export const BATTERY_LOW_BELOW_MV = 3_500;
/** Backup battery above this is no longer low (mV). */
export const BATTERY_OK_ABOVE_MV = 3_700;
/** Samples in a row for a battery state (a modem transmit burst dips the cell for a moment). */
export const BATTERY_SAMPLES = 3;

export type PowerEventKind = "power-cut" | "power-restored" | "battery-low" | "engine-started" | "engine-stopped";

/** One power event: what, the sample's readings (mV, NaN when not measured) and its time (monotonic ms). */
export interface PowerEvent {
  readonly kind: PowerEventKind;
  readonly vehicleMv: number;
  readonly batteryMv: number;
  readonly atMs: number;
}

export class PowerRule {
  #supply: "unknown" | "on" | "cut" = "unknown";
  #engine: "unknown" | "off" | "running" = "unknown";
  #battery: "unknown" | "ok" | "low" = "unknown";
  /** 1 on a 12 V system, 2 on a 24 V one. */
  #systemScale = 1;
  // runs of consecutive samples showing each thing
  #cutRun = 0;
  #onRun = 0;
  #system24Run = 0;
  #chargingRun = 0;
  #restingRun = 0;
  #lowRun = 0;
  #notLowRun = 0;
  #okRun = 0;

  /** The vehicle supply: "unknown" until learned. */
  get supply(): "unknown" | "on" | "cut" {
    return this.#supply;
  }

  /** The engine, from the charging voltage: "unknown" until learned, and after a cut. */
  get engine(): "unknown" | "off" | "running" {
    return this.#engine;
  }

  /** True while the backup battery is low (false while unknown). */
  get batteryLow(): boolean {
    return this.#battery === "low";
  }

  /** The vehicle's system voltage as detected: 12 or 24 (12 until a 24 V system shows). */
  get systemV(): 12 | 24 {
    return this.#systemScale === 2 ? 24 : 12;
  }

  /** Feed one sample taken at `nowMs`; the event it confirms (at most one), else undefined. */
  onSample(reading: PowerReading, nowMs: number): PowerEvent | undefined {
    if (!Number.isFinite(nowMs)) return undefined;
    const vehicleMv = reading.vehicleMv;
    const batteryMv = reading.batteryMv;
    this.#countVehicle(vehicleMv);
    this.#countBattery(batteryMv);
    const kind = this.#supplyChange() ?? this.#batteryChange() ?? this.#engineChange();
    return kind === undefined ? undefined : Object.freeze({ kind, vehicleMv, batteryMv, atMs: nowMs });
  }

  #countVehicle(mv: number): void {
    const known = Number.isFinite(mv);
    this.#cutRun = known && mv < CUT_BELOW_MV ? this.#cutRun + 1 : 0;
    this.#onRun = known && mv > ON_ABOVE_MV ? this.#onRun + 1 : 0;
    this.#system24Run = known && mv >= SYSTEM_24V_FROM_MV ? this.#system24Run + 1 : 0;
    if (this.#system24Run >= SYSTEM_24V_SAMPLES) this.#systemScale = 2;
    const on = this.#onRun > 0;
    this.#chargingRun = on && mv >= CHARGING_FROM_MV * this.#systemScale ? this.#chargingRun + 1 : 0;
    this.#restingRun = on && mv < RESTING_BELOW_MV * this.#systemScale ? this.#restingRun + 1 : 0;
  }

  #countBattery(mv: number): void {
    const known = Number.isFinite(mv);
    this.#lowRun = known && mv < BATTERY_LOW_BELOW_MV ? this.#lowRun + 1 : 0;
    this.#notLowRun = known && mv >= BATTERY_LOW_BELOW_MV ? this.#notLowRun + 1 : 0;
    this.#okRun = known && mv > BATTERY_OK_ABOVE_MV ? this.#okRun + 1 : 0;
  }

  #supplyChange(): PowerEventKind | undefined {
    const from = this.#supply;
    if (from !== "cut" && this.#cutRun >= CUT_SAMPLES) {
      this.#supply = "cut";
      this.#engine = "unknown";
      this.#systemScale = 1;
      return from === "on" ? "power-cut" : undefined;
    }
    if (from !== "on" && this.#onRun >= ON_SAMPLES) {
      this.#supply = "on";
      return from === "cut" ? "power-restored" : undefined;
    }
    return undefined;
  }

  #batteryChange(): PowerEventKind | undefined {
    const from = this.#battery;
    if (from !== "low" && this.#lowRun >= BATTERY_SAMPLES) {
      this.#battery = "low";
      return from === "ok" ? "battery-low" : undefined;
    }
    if ((from === "low" && this.#okRun >= BATTERY_SAMPLES) || (from === "unknown" && this.#notLowRun >= BATTERY_SAMPLES)) this.#battery = "ok";
    return undefined;
  }

  #engineChange(): PowerEventKind | undefined {
    const from = this.#engine;
    if (from !== "running" && this.#chargingRun >= CHARGING_SAMPLES) {
      this.#engine = "running";
      return from === "off" ? "engine-started" : undefined;
    }
    if (from !== "off" && this.#restingRun >= RESTING_SAMPLES) {
      this.#engine = "off";
      return from === "running" ? "engine-stopped" : undefined;
    }
    return undefined;
  }
}

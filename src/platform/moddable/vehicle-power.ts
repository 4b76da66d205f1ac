/**
 * VehiclePowerPort over ECMA-419 Analog (embedded:io/analog, reached as the host provider's
 * `device.io.Analog`): the vehicle supply and the backup cell, each through a resistor divider into
 * one ADC pin.
 *
 * ESP32 facts (Moddable SDK 8.2.3, modules/io/analog/esp32/_analog.c): `new Analog({ pin })` opens
 * the pin at 12 dB attenuation with ESP-IDF's calibration; it throws "not analog pin" or "in use".
 * read() returns the calibrated voltage scaled back to the ADC range: raw = mV · (2^resolution − 1)
 * / 2450 (the driver's full scale at 12 dB), `resolution` is 12 on the ESP32; it returns undefined
 * when the one-shot read fails. Use ADC1 pins (GPIO 32-39): ADC2 is shared with the radio.
 * Each rail is `pin mV × divider`, the divider given ×1000 (100k/100k: 2000), averaged over a few
 * samples per read().
 */
import type { Logger, PowerReading, VehiclePowerPort } from "../ports";

/** What this module needs of an ECMA-419 Analog instance. */
export interface AnalogIo {
  /** Bits of a sample. */
  readonly resolution: number;
  /** A sample, 0 .. 2^resolution − 1 (undefined when the read failed). */
  read(): number | undefined;
}

/** What this module needs of an ECMA-419 Analog class (the board's, or a test fake). */
export interface AnalogClass {
  new (options: { pin: number }): AnalogIo;
}

/** One rail's wiring: the ADC pin (-1: not wired) and the divider ratio ×1000 (≤ 0: not wired). */
export interface AdcWiring {
  pin: number;
  dividerX1000: number;
}

/** Millivolts at the pin for a full-scale sample (Moddable's ESP32 driver at 12 dB attenuation). */
export const ESP32_ADC_FULL_SCALE_MV = 2450;
/** Samples averaged per reading. */
export const ADC_SAMPLES = 4;

/** One open rail. */
interface Rail {
  io: AnalogIo;
  /** mV of the rail per unit of a sample. */
  mvPerCount: number;
}

/** The board's voltages; a rail that is not wired (or failed to open) reads NaN. read() never throws. */
export class AdcVehiclePower implements VehiclePowerPort {
  readonly #vehicle: Rail | undefined;
  readonly #battery: Rail | undefined;

  /** Opens the wired rails; one that cannot be opened is logged ("power" tag) and reads NaN. */
  constructor(Analog: AnalogClass, vehicle: AdcWiring, battery: AdcWiring, log: Logger, fullScaleMv: number = ESP32_ADC_FULL_SCALE_MV) {
    this.#vehicle = openRail(Analog, vehicle, "vehicle", log, fullScaleMv);
    this.#battery = openRail(Analog, battery, "battery", log, fullScaleMv);
  }

  /** True when at least one rail is measured. */
  get measuresAnything(): boolean {
    return this.#vehicle !== undefined || this.#battery !== undefined;
  }

  read(): PowerReading {
    return { vehicleMv: measure(this.#vehicle), batteryMv: measure(this.#battery) };
  }
}

function openRail(Analog: AnalogClass, wiring: AdcWiring, name: string, log: Logger, fullScaleMv: number): Rail | undefined {
  if (wiring.pin < 0 || !(wiring.dividerX1000 > 0)) return undefined;
  try {
    const io = new Analog({ pin: wiring.pin });
    const counts = 2 ** io.resolution - 1;
    return { io, mvPerCount: (fullScaleMv * wiring.dividerX1000) / 1000 / counts };
  } catch (e) {
    log.log("warn", "power", `${name} ADC on GPIO ${wiring.pin} not available: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** The rail's average over ADC_SAMPLES samples, mV (rounded); NaN when not wired or no sample could be read. */
function measure(rail: Rail | undefined): number {
  if (!rail) return NaN;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < ADC_SAMPLES; i++) {
    let sample: number | undefined;
    try {
      sample = rail.io.read();
    } catch {
      sample = undefined;
    }
    if (typeof sample === "number" && sample >= 0) {
      sum += sample;
      count++;
    }
  }
  return count === 0 ? NaN : Math.round((sum / count) * rail.mvPerCount);
}

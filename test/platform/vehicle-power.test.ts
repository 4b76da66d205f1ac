/**
 * AdcVehiclePower (src/platform/moddable/vehicle-power.ts) against a fake ECMA-419 Analog that
 * behaves like Moddable's ESP32 driver (modules/io/analog/esp32/_analog.c, SDK 8.2.3): 12-bit
 * samples of the calibrated voltage scaled to 2450 mV full scale, RangeError "not analog pin" for
 * pins outside ADC1/ADC2, undefined from a failed one-shot read.
 */
import { expect } from "chai";
import type { LogLevel, Logger } from "../../src/platform/ports.ts";
import { ADC_SAMPLES, AdcVehiclePower, type AnalogIo } from "../../src/platform/moddable/vehicle-power.ts";

/** ADC1 and ADC2 pins of the ESP32. */
const ANALOG_PINS = new Set([36, 37, 38, 39, 32, 33, 34, 35, 4, 0, 2, 15, 13, 12, 14, 27, 25, 26]);

/** Millivolts at each pin (set by the test); a sample list per pin overrides it. */
const pinMv = new Map<number, number>();
const samples = new Map<number, (number | undefined)[]>();
const opened: number[] = [];

class FakeAnalog implements AnalogIo {
  readonly resolution = 12;
  constructor(private readonly options: { pin: number }) {
    if (!ANALOG_PINS.has(options.pin)) throw new RangeError("not analog pin");
    opened.push(options.pin);
  }
  read(): number | undefined {
    const list = samples.get(this.options.pin);
    if (list) return list.shift();
    return Math.min(4095, Math.round(((pinMv.get(this.options.pin) ?? 0) * 4095) / 2450));
  }
}

class ListLogger implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, tag: string, message: string): void {
    this.lines.push(`[${tag}] ${level}: ${message}`);
  }
}

describe("platform/moddable/vehicle-power (AdcVehiclePower)", () => {
  beforeEach(() => {
    pinMv.clear();
    samples.clear();
    opened.length = 0;
  });

  it("scales each rail by its divider: the LilyGO BAT_ADC (GPIO 35, 2:1) and a 15.7:1 supply divider", () => {
    const log = new ListLogger();
    pinMv.set(35, 2075); // a 4.15 V cell
    pinMv.set(34, 790); // 12.4 V through 100k/6.8k
    const power = new AdcVehiclePower(FakeAnalog, { pin: 34, dividerX1000: 15_706 }, { pin: 35, dividerX1000: 2000 }, log);
    const r = power.read();
    expect(r.batteryMv).to.be.within(4145, 4155);
    expect(r.vehicleMv).to.be.within(12_390, 12_420);
    expect(log.lines).to.deep.equal([]);
  });

  it("averages the samples of a read, skipping failed ones; NaN when every sample failed", () => {
    const log = new ListLogger();
    const power = new AdcVehiclePower(FakeAnalog, { pin: -1, dividerX1000: 0 }, { pin: 35, dividerX1000: 2000 }, log);
    samples.set(35, [1000, undefined, 1100, 1200].slice(0, ADC_SAMPLES));
    expect(power.read().batteryMv).to.equal(Math.round((1100 * 2450 * 2) / 4095));
    samples.set(35, new Array<number | undefined>(ADC_SAMPLES).fill(undefined));
    expect(power.read().batteryMv).to.be.NaN;
  });

  it("a rail not wired, without a divider, or on a pin that is no ADC reads NaN (logged), and read() never throws", () => {
    const log = new ListLogger();
    pinMv.set(35, 2000);
    const power = new AdcVehiclePower(FakeAnalog, { pin: 21, dividerX1000: 15_000 }, { pin: 35, dividerX1000: 0 }, log);
    expect(power.measuresAnything).to.equal(false);
    const r = power.read();
    expect(r.vehicleMv).to.be.NaN;
    expect(r.batteryMv).to.be.NaN;
    expect(opened).to.deep.equal([]);
    expect(log.lines).to.deep.equal(["[power] warn: vehicle ADC on GPIO 21 not available: not analog pin"]);
  });
});

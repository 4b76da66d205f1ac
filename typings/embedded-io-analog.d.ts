/*
 * embedded:io/analog — ECMA-419 Analog as implemented on ESP32 (not available on the lin/mac/win
 * simulators). Written for this project from the Moddable SDK 8.2.3 sources
 * (modules/io/analog/esp32/_analog.c); not copied from the Moddable typings. Covers only what the
 * firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 *
 * ESP32 facts: the pin must be an ADC pin (ADC1: GPIO 32-39; ADC2 is shared with the radio), else
 * RangeError "not analog pin"; "in use" if taken. Opened at 12 dB attenuation, calibrated by ESP-IDF
 * (the SDK's typings do not declare the ESP32-only `esp32: { attenuation, calibrated }` option, so
 * the firmware does not pass it). read() gives the calibrated voltage scaled to the ADC range:
 * value = mV · (2^resolution − 1) / 2450; undefined when the one-shot read fails.
 */
declare module "embedded:io/analog" {
  export interface AnalogOptions {
    /** GPIO number. */
    pin: number;
    format?: "number";
    target?: unknown;
  }

  export default class Analog {
    constructor(options: AnalogOptions);
    /** Bits per sample (12 on the ESP32). */
    readonly resolution: number;
    /** One sample, 0 .. 2^resolution − 1; undefined if the read failed. */
    read(): number | undefined;
    close(): void;
  }
}

/*
 * time — Moddable Time.
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x on ESP32
 * (see /work/shared/reference/moddable.md); not copied from the Moddable typings. Covers only what
 * the firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 */
declare module "time" {
  const Time: {
    /** Sets the system clock (Date.now() follows it). Whole Unix seconds, uint32. */
    set(seconds: number): void;
    /** Milliseconds since boot; a 32-bit value that wraps on microcontrollers: use differences. */
    readonly ticks: number;
    /** Rollover-safe end - start in ms (end defaults to now). */
    delta(start: number, end?: number): number;
  };
  export default Time;
}

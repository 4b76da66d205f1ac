/*
 * timer — Moddable Timer.
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x on ESP32
 * (see /work/shared/reference/moddable.md); not copied from the Moddable typings. Covers only what
 * the firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 */
declare module "timer" {
  /** Opaque timer object; one-shot timers clear themselves after firing. */
  class Timer {
    private constructor();
    private readonly timerBrand: never;
    /** Fires once after ms (next turn when ms is omitted), or every repeatMs when given. */
    static set(callback: (timer: Timer) => void, ms?: number, repeatMs?: number): Timer;
    /** Fires every ms. */
    static repeat(callback: (timer: Timer) => void, ms: number): Timer;
    /** Cancels; undefined, null and already-fired one-shots are ignored. */
    static clear(timer: Timer | undefined | null): void;
  }
  export default Timer;
}

/**
 * Clock over Moddable Timer and Time.
 *
 * monotonicMs() accumulates differences of Time.ticks (a 32-bit millisecond counter that wraps), so
 * it never goes back. A repeating timer samples it every hour, so wraps are caught even when nobody
 * asks for the time for weeks (32-bit differences are exact below 2^31 ms ≈ 24.8 days).
 * The wall clock is kept as an offset from monotonic time (millisecond precision) and also pushed
 * to the system clock with Time.set(), which takes whole Unix seconds.
 */
import Time from "time";
import Timer from "timer";
import type { Clock, TimerHandle } from "../ports";

/** How often the wrap guard samples Time.ticks, in ms. */
const WRAP_GUARD_MS = 3_600_000;
/** Largest value Time.set() accepts: uint32 seconds. */
const MAX_UNIX_SECONDS = 0xffff_ffff;

/** The device clock. Create one per boot (it starts a repeating hourly timer). */
export class ModdableClock implements Clock {
  #lastTicks: number;
  #elapsedMs = 0;
  /** utc - monotonic, in ms; undefined until setUtcMs() is called this boot. */
  #utcOffsetMs: number | undefined = undefined;

  constructor() {
    this.#lastTicks = Time.ticks;
    Timer.repeat(() => {
      this.monotonicMs();
    }, WRAP_GUARD_MS);
  }

  /** Milliseconds since this clock was created (≈ boot); never decreases. */
  monotonicMs(): number {
    const now = Time.ticks;
    const delta = (now - this.#lastTicks) | 0; // 32-bit wrap-safe difference
    this.#lastTicks = now;
    if (delta > 0) this.#elapsedMs += delta;
    return this.#elapsedMs;
  }

  /** UTC ms since the epoch, or undefined until setUtcMs() has been called this boot. */
  utcMs(): number | undefined {
    const offset = this.#utcOffsetMs;
    return offset === undefined ? undefined : this.monotonicMs() + offset;
  }

  /**
   * Set the wall clock (ms since the epoch). Values that are not finite, negative or beyond uint32
   * seconds (year 2106) are ignored. The system clock gets the whole seconds (Time.set).
   */
  setUtcMs(utcMs: number): void {
    if (!Number.isFinite(utcMs) || utcMs < 0 || utcMs / 1000 > MAX_UNIX_SECONDS) return;
    this.#utcOffsetMs = utcMs - this.monotonicMs();
    Time.set(Math.floor(utcMs / 1000));
  }

  /** One-shot timer; negative or non-finite delays fire on the next turn. */
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const ms = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    return Timer.set(() => callback(), ms);
  }

  /** Cancel a timer; undefined and already-fired handles are ignored. */
  clearTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    Timer.clear(handle as Timer);
  }
}

/**
 * Running the simulator's devices on real time, for the tools that talk to real serial ports: the
 * virtual clock in wall-clock mode (optionally faster or slower than real time), a stop switch, and
 * the loop that runs the clock's events until stopped.
 */
import { REAL_TIME, VirtualClock, type WallTime } from "../clock.ts";

/** Real time scaled by `speed` (2 = simulated time runs twice as fast as the wall clock). */
export function scaledWallTime(speed: number): WallTime {
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
  if (speed === 1) return REAL_TIME;
  return {
    nowMs: () => REAL_TIME.nowMs() * speed,
    sleep: (ms, wake) => REAL_TIME.sleep(ms / speed, wake),
  };
}

/** A clock following the wall clock at `speed`. */
export function realTimeClock(speed = 1): VirtualClock {
  return new VirtualClock({ wall: scaledWallTime(speed) });
}

/** Asked to stop (Ctrl-C, end of input, a test): the clock loop ends at its next event. */
export class StopSwitch {
  private resolveStopped!: () => void;
  /** Resolves when stop() is called. */
  readonly stopped: Promise<void> = new Promise((resolve) => (this.resolveStopped = resolve));
  private flag = false;
  private reasonText = "";

  constructor(private readonly clock?: VirtualClock) {}

  get isStopped(): boolean {
    return this.flag;
  }

  /** Why it stopped ("" before). */
  get reason(): string {
    return this.reasonText;
  }

  stop(reason = "stopped"): void {
    if (this.flag) return;
    this.flag = true;
    this.reasonText = reason;
    this.resolveStopped();
    this.clock?.after(0, () => {}); // wakes a clock loop that is sleeping
  }
}

/**
 * Run the clock's events as their time comes until `stop` is thrown; `afterEvent` runs after each
 * event (e.g. persisting the firmware's settings). Checks at least once a second of clock time.
 */
export async function runClockUntilStopped(clock: VirtualClock, stop: StopSwitch, afterEvent?: () => void): Promise<void> {
  while (!stop.isStopped) {
    await clock.runUntilCondition(() => {
      afterEvent?.();
      return stop.isStopped;
    }, 1000);
  }
}

/** "[mm:ss]" of a clock time, ms. */
export function clockStamp(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `[${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}]`;
}

/**
 * Discrete-event virtual clock. One instance drives everything in a simulation: firmware timers,
 * byte delivery on the virtual UARTs and the virtual devices. Time only moves when the clock runs
 * events, so a day of driving simulates in seconds and every run is reproducible.
 *
 * Wall-clock mode (`new VirtualClock({ wall })`): for firmware that runs on its own real timers (the
 * Moddable runtime under mcsim), time follows the wall clock instead: an event runs when its time
 * has come in real time (or late, never early), and events scheduled from outside a run (bytes
 * arriving from the firmware) wake a waiting run at once. The same simulated devices then work
 * unchanged, at real speed.
 */

/** Handle of a scheduled event. */
export interface EventHandle {
  readonly id: number;
}

type Action = () => void | Promise<void>;

/** The real time a wall-clock mode clock follows (injectable for tests). */
export interface WallTime {
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Resolve after `ms`, or earlier when `wake` resolves. */
  sleep(ms: number, wake: Promise<void>): Promise<void>;
}

/** The process's real time: performance.now() and setTimeout. */
export const REAL_TIME: WallTime = {
  nowMs: () => performance.now(),
  sleep: (ms, wake) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      void wake.then(() => {
        clearTimeout(timer);
        resolve();
      });
    }),
};

export interface VirtualClockOptions {
  /** Follow this real time (wall-clock mode); default: discrete-event virtual time. */
  wall?: WallTime;
}

interface Entry {
  id: number;
  atMs: number;
  action: Action;
}

export class VirtualClock {
  private time = 0;
  private nextId = 1;
  /** Binary min-heap ordered by (atMs, id): same-time events run in scheduling order. */
  private heap: Entry[] = [];
  private cancelled = new Set<number>();
  private readonly wall: WallTime | undefined;
  private readonly wallStartMs: number;
  /** Wall-clock mode: resolves the sleep of a waiting run (a new event was scheduled). */
  private wake: (() => void) | undefined;

  constructor(options: VirtualClockOptions = {}) {
    this.wall = options.wall;
    this.wallStartMs = this.wall ? this.wall.nowMs() : 0;
  }

  /** True in wall-clock mode. */
  get followsWallClock(): boolean {
    return this.wall !== undefined;
  }

  /** Current time, ms since the start of the simulation. */
  get nowMs(): number {
    if (this.wall) {
      const elapsed = this.wall.nowMs() - this.wallStartMs;
      if (elapsed > this.time) this.time = elapsed;
    }
    return this.time;
  }

  /** Run `action` at absolute time `atMs` (clamped to now). */
  at(atMs: number, action: Action): EventHandle {
    const entry: Entry = { id: this.nextId++, atMs: Math.max(atMs, this.nowMs), action };
    this.push(entry);
    const wake = this.wake;
    if (wake) {
      this.wake = undefined;
      wake();
    }
    return { id: entry.id };
  }

  /** Run `action` after `delayMs` milliseconds. */
  after(delayMs: number, action: Action): EventHandle {
    return this.at(this.nowMs + Math.max(0, delayMs), action);
  }

  /** Cancel a scheduled event; unknown or already-run handles are ignored. */
  cancel(handle: EventHandle | undefined): void {
    if (handle) this.cancelled.add(handle.id);
  }

  /** Time of the next pending event, or undefined when none is pending. */
  nextEventMs(): number | undefined {
    this.dropCancelledHead();
    return this.heap[0]?.atMs;
  }

  /**
   * Run every event due at or before `untilMs` in time order, then set the time to `untilMs`.
   * Async actions are awaited before the next event runs.
   */
  async runUntil(untilMs: number): Promise<void> {
    if (this.wall) {
      await this.runOnWall(untilMs, () => false);
      return;
    }
    for (;;) {
      this.dropCancelledHead();
      const head = this.heap[0];
      if (!head || head.atMs > untilMs) break;
      this.pop();
      this.time = head.atMs;
      const result = head.action();
      if (result) await result;
    }
    if (untilMs > this.time) this.time = untilMs;
  }

  /** Run events for `durationMs` from now. */
  runFor(durationMs: number): Promise<void> {
    return this.runUntil(this.nowMs + durationMs);
  }

  /**
   * Run events until `condition()` is true (checked after every event) or `limitMs` has passed.
   * Returns true when the condition was met.
   */
  async runUntilCondition(condition: () => boolean, limitMs: number): Promise<boolean> {
    const deadline = this.nowMs + limitMs;
    if (condition()) return true;
    if (this.wall) return this.runOnWall(deadline, condition);
    for (;;) {
      this.dropCancelledHead();
      const head = this.heap[0];
      if (!head || head.atMs > deadline) {
        this.time = Math.max(this.time, deadline);
        return condition();
      }
      this.pop();
      this.time = head.atMs;
      const result = head.action();
      if (result) await result;
      if (condition()) return true;
    }
  }

  /**
   * Wall-clock mode: run each event once its time has come (late events run at once, in order)
   * until `untilMs` or `condition()` (checked after every event). True when the condition was met.
   */
  private async runOnWall(untilMs: number, condition: () => boolean): Promise<boolean> {
    const wall = this.wall!;
    for (;;) {
      this.dropCancelledHead();
      const now = this.nowMs;
      const head = this.heap[0];
      if (head && head.atMs <= now && head.atMs <= untilMs) {
        this.pop();
        const result = head.action();
        if (result) await result;
        if (condition()) return true;
        continue;
      }
      if (now >= untilMs) return condition();
      const wakeAtMs = head ? Math.min(head.atMs, untilMs) : untilMs;
      const woken = new Promise<void>((resolve) => (this.wake = resolve));
      await wall.sleep(wakeAtMs - now, woken);
      this.wake = undefined;
    }
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.pop();
    }
  }

  private less(a: Entry, b: Entry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.id < b.id);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

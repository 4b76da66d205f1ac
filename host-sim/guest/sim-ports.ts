/**
 * Port implementations for the firmware when it runs under the simulator (in Node or inside XS).
 * Time is virtual: the host sets it before each step and the guest fires due timers. Everything the
 * firmware does to the outside world is collected and returned to the host in the step response.
 * Runs on XS: no Node or DOM APIs.
 */
import type {
  Clock,
  KeyValueStore,
  Logger,
  LogLevel,
  OutputPin,
  PowerReading,
  RandomSource,
  RingInput,
  SerialPort,
  StoredValue,
  TimerHandle,
  VehiclePowerPort,
} from "../../src/platform/ports.ts";
import { checkStoreName, checkStoreValue } from "../../src/platform/kv-limits.ts";

interface Timer {
  dueMs: number;
  seq: number;
  callback: () => void;
  active: boolean;
}

/** Virtual clock: the host moves `nowMs`; `runDue()` fires timers in due order. */
export class SimClock implements Clock {
  nowMs = 0;
  private utcOffsetMs: number | undefined;
  private timers: Timer[] = [];
  private seq = 0;
  /** Due time of the next pending timer, Infinity when none (a field: the guest reads it for every record). */
  firstDueMs = Infinity;
  /** Called when the firmware sets the wall clock (UTC ms). */
  onUtcSet: ((utcMs: number) => void) | null = null;

  monotonicMs(): number {
    return this.nowMs;
  }
  utcMs(): number | undefined {
    return this.utcOffsetMs === undefined ? undefined : this.nowMs + this.utcOffsetMs;
  }
  setUtcMs(utcMs: number): void {
    this.utcOffsetMs = utcMs - this.nowMs;
    this.onUtcSet?.(utcMs);
  }
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: Timer = { dueMs: this.nowMs + Math.max(0, delayMs), seq: this.seq++, callback, active: true };
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1]!.dueMs > timer.dueMs)) i--;
    this.timers.splice(i, 0, timer);
    this.firstDueMs = this.timers[0]!.dueMs;
    return timer;
  }
  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timer = handle as Timer;
    timer.active = false;
    const i = this.timers.indexOf(timer);
    if (i < 0) return;
    this.timers.splice(i, 1);
    this.firstDueMs = this.timers[0]?.dueMs ?? Infinity;
  }
  /** A reset of the device: every timer is cancelled and the wall clock is unknown again. */
  reset(): void {
    for (const timer of this.timers) timer.active = false;
    this.timers = [];
    this.firstDueMs = Infinity;
    this.utcOffsetMs = undefined;
  }

  /** Due time of the next pending timer, or undefined. */
  nextDueMs(): number | undefined {
    return this.firstDueMs === Infinity ? undefined : this.firstDueMs;
  }
  /** Fire every timer due at or before now, in order (a timer set for "now" by a callback fires too). */
  runDue(onError: (e: unknown) => void): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const head = this.timers[0];
      if (!head || head.dueMs > this.nowMs) return;
      this.timers.shift();
      this.firstDueMs = this.timers[0]?.dueMs ?? Infinity;
      head.active = false;
      try {
        head.callback();
      } catch (e) {
        onError(e);
      }
    }
  }
}

/** What takeWritten gives when nothing was written (empty: nothing can be put in it). */
const NOTHING_WRITTEN = new Uint8Array(0);

/** A UART as the firmware sees it; writes are collected for the host. */
export class SimSerialPort implements SerialPort {
  onReceive: ((chunk: Uint8Array) => void) | null = null;
  private written: Uint8Array[] = [];

  write(bytes: Uint8Array): void {
    if (bytes.length > 0) this.written.push(bytes.slice());
  }
  /** Hand received bytes to the firmware. */
  deliver(chunk: Uint8Array): void {
    this.onReceive?.(chunk);
  }
  /** Take (and clear) everything written since the last call, as one array. */
  takeWritten(): Uint8Array {
    if (this.written.length === 0) return NOTHING_WRITTEN;
    if (this.written.length === 1) return this.written.pop()!;
    let size = 0;
    for (const w of this.written) size += w.length;
    const out = new Uint8Array(size);
    let at = 0;
    for (const w of this.written) {
      out.set(w, at);
      at += w.length;
    }
    this.written = [];
    return out;
  }
}

/** Preference-like store in memory, with the device's limits (kv-limits); changes are reported to the host. */
export class SimStore implements KeyValueStore {
  private values = new Map<string, StoredValue>();
  onChange: ((key: string, value: StoredValue | undefined) => void) | null = null;

  constructor(initial: Record<string, StoredValue> = {}) {
    for (const key of Object.keys(initial)) this.values.set(key, initial[key]!);
  }
  get(key: string): StoredValue | undefined {
    return this.values.get(key);
  }
  set(key: string, value: StoredValue): void {
    checkStoreName("key", key);
    checkStoreValue(key, value);
    this.values.set(key, value);
    this.onChange?.(key, value);
  }
  delete(key: string): void {
    if (this.values.delete(key)) this.onChange?.(key, undefined);
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
}

/** Collects log lines for the host. */
export class SimLogger implements Logger {
  onLine: ((level: LogLevel, tag: string, message: string) => void) | null = null;
  log(level: LogLevel, tag: string, message: string): void {
    this.onLine?.(level, tag, message);
  }
}

/** A recorded output pin. */
export class SimPin implements OutputPin {
  onWrite: ((name: string, value: 0 | 1) => void) | null = null;
  constructor(readonly name: string) {}
  write(value: 0 | 1): void {
    this.onWrite?.(this.name, value);
  }
}

/** The modem's RI line as the firmware sees it: the host's Ring records call onRing (each on its own step). */
export class SimRingInput implements RingInput {
  onRing: (() => void) | null = null;
  /** Falling edges the host sent. */
  edges = 0;

  /** One falling edge. */
  fall(): void {
    this.edges++;
    this.onRing?.();
  }
}

/** A reading of nothing: both rails unmeasured. */
const NOT_MEASURED: PowerReading = Object.freeze({ vehicleMv: NaN, batteryMv: NaN });

/**
 * The board's ADC as the host feeds it (Power records): read() gives the last reading the host sent,
 * NaN for both before the first (like a board without dividers). Survives a firmware reset, as the
 * hardware does.
 */
export class SimVehiclePower implements VehiclePowerPort {
  private latest: PowerReading = NOT_MEASURED;

  read(): PowerReading {
    return this.latest;
  }

  /** The host's new reading, mV (NaN: not measured). */
  update(vehicleMv: number, batteryMv: number): void {
    this.latest = Object.freeze({ vehicleMv, batteryMv });
  }
}

/**
 * Seeded random bytes (mulberry32 over a 32-bit state), so a simulated run, its salts and its
 * one-time codes included, is reproducible from the boot's seed. Not for a device.
 */
export class SimRandom implements RandomSource {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  fill(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.next() & 0xff;
  }

  private next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

/**
 * Test doubles for the modem tests: a manual clock, a recording serial port, a recording logger,
 * chunking strategies (1, 2, 7, seeded random) and a seeded PRNG. Written for these tests.
 */
import type { Clock, LogLevel, Logger, SerialPort, TimerHandle } from "../../src/platform/ports.ts";
import { Random } from "../../host-sim/random.ts";

interface FakeTimer {
  id: number;
  dueMs: number;
  callback: () => void;
}

/** Clock with manual timers: advance(ms) fires due timers in due-time order (ties: creation order). */
export class FakeClock implements Clock {
  nowMs = 0;
  #utcMs: number | undefined = undefined;
  #timers: FakeTimer[] = [];
  #nextId = 1;

  monotonicMs(): number {
    return this.nowMs;
  }
  utcMs(): number | undefined {
    return this.#utcMs;
  }
  setUtcMs(utcMs: number): void {
    this.#utcMs = utcMs;
  }
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: FakeTimer = { id: this.#nextId++, dueMs: this.nowMs + Math.max(0, delayMs), callback };
    this.#timers.push(timer);
    return timer;
  }
  clearTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.#timers = this.#timers.filter((t) => t !== handle);
  }
  /** Pending timer count. */
  get pending(): number {
    return this.#timers.length;
  }
  /** Move time forward by `ms`, firing every timer due on the way (also ones set while firing). */
  advance(ms: number): void {
    const endMs = this.nowMs + ms;
    for (;;) {
      let next: FakeTimer | undefined;
      for (const t of this.#timers) {
        if (t.dueMs <= endMs && (!next || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.id < next.id))) next = t;
      }
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.nowMs = next.dueMs;
      next.callback();
    }
    this.nowMs = endMs;
  }
}

/** Chunking strategy: returns the next chunk size. */
export type Chunker = () => number;

/** Mulberry32 PRNG, deterministic from its seed; returns [0, 1). */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** The chunkings every stream test runs with: 1, 2, 7 and seeded random 1..16. */
export const CHUNKINGS: ReadonlyArray<{ name: string; make: () => Chunker }> = [
  { name: "chunk 1", make: () => () => 1 },
  { name: "chunk 2", make: () => () => 2 },
  { name: "chunk 7", make: () => () => 7 },
  {
    name: "chunk random(seed 42)",
    make: () => {
      const random = seededRandom(42);
      return () => 1 + Math.floor(random() * 16);
    },
  },
];

/** Bytes of a Latin-1 string (one byte per char code, & 0xff). */
export function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** Serial port that records writes; push() delivers bytes to onReceive in chunks. */
export class FakePort implements SerialPort {
  onReceive: ((chunk: Uint8Array) => void) | null = null;
  readonly writes: Uint8Array[] = [];
  chunker: Chunker = () => 1 << 30;
  /** Called after each write (the scripted modem hooks in here). */
  onWrite: ((bytes: Uint8Array) => void) | null = null;

  write(bytes: Uint8Array): void {
    const copy = bytes.slice();
    this.writes.push(copy);
    if (this.onWrite) this.onWrite(copy);
  }
  /** Everything written, as Latin-1 text. */
  get written(): string {
    let text = "";
    for (const w of this.writes) text += String.fromCharCode(...w);
    return text;
  }
  /** Deliver `data` (string = Latin-1) in chunks given by `chunker`; the buffer is reused like a driver's. */
  push(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? latin1(data) : data;
    const scratch = new Uint8Array(64);
    let i = 0;
    while (i < bytes.length) {
      const size = Math.max(1, Math.min(this.chunker(), bytes.length - i, scratch.length));
      scratch.set(bytes.subarray(i, i + size));
      this.onReceive?.(scratch.subarray(0, size));
      scratch.fill(0xee);
      i += size;
    }
  }
}

/** Logger that keeps every entry. */
export class RecordingLogger implements Logger {
  readonly entries: Array<{ level: LogLevel; tag: string; message: string }> = [];
  log(level: LogLevel, tag: string, message: string): void {
    this.entries.push({ level, tag, message });
  }
  /** Entries as "level tag: message" strings. */
  get lines(): string[] {
    return this.entries.map((e) => `${e.level} ${e.tag}: ${e.message}`);
  }
}

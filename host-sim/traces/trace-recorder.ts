/**
 * Records an AT session as a modem trace (trace-format.ts). Three ways in:
 * - `tap(direction, sink)`: wrap the sink of a UartWire (or any byte callback) so every chunk is
 *   recorded before it is passed on — e.g. in a Simulation, wrap the firmware→modem wire's sink
 *   (`>`) and the modem→firmware wire's sink (`<`).
 * - `attachStream(stream, direction)`: any Node-style byte stream pair ("data" events carrying
 *   Buffer / Uint8Array / string) — two serial ports sniffing a real modem's RX and TX lines, or a
 *   `serialport` instance (that package is not a dependency: install it where needed).
 * - `TraceRecorder.fromModemTraffic(modem.traffic)`: convert a VirtualModem's traffic log.
 *
 * Firmware bytes (`>`) are grouped into one event per line (a CR, Ctrl-Z or ESC closes it), stamped
 * with the time its last byte arrived (the TraceModem measures the gap to the next modem event from
 * when a firmware line is complete); modem bytes (`<`) are grouped while chunks follow each other
 * within `mergeGapMs`, stamped with the time of their first byte.
 *
 * `record()` takes an explicit time: a Simulation records with its virtual clock whatever `now` says.
 */
import type { TrafficEntry } from "../modem/virtual-modem.ts";
import { type Trace, type TraceEvent, formatTrace } from "./trace-format.ts";

export interface TraceRecorderOptions {
  /** Clock of the recording, ms (a VirtualClock's nowMs, or performance.now for real ports). */
  now: () => number;
  /** Header entries (profile, baud, date, source...). */
  header?: Record<string, string | number>;
  /** Modem chunks closer than this are one event (ms). Default 2. */
  mergeGapMs?: number;
}

const TERMINATORS = new Set([0x0d, 0x1a, 0x1b]);

export class TraceRecorder {
  readonly header: Record<string, string>;
  private readonly events: TraceEvent[] = [];
  private readonly now: () => number;
  private readonly mergeGapMs: number;
  private readonly startMs: number;
  private lastAtMs = -Infinity;
  private open: { direction: ">" | "<"; bytes: number[]; atMs: number } | undefined;

  constructor(options: TraceRecorderOptions) {
    this.now = options.now;
    this.mergeGapMs = options.mergeGapMs ?? 2;
    this.startMs = 0;
    this.header = {};
    for (const [k, v] of Object.entries(options.header ?? {})) this.header[k] = String(v);
  }

  /** Record `bytes` going in `direction` at `atMs` (default now). */
  record(direction: ">" | "<", bytes: ArrayLike<number>, atMs: number = this.now()): void {
    if (bytes.length === 0) return;
    const t = atMs - this.startMs;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]! & 0xff;
      const o = this.open;
      let continues = false;
      if (o && o.direction === direction) {
        if (direction === ">") {
          const last = o.bytes[o.bytes.length - 1];
          continues = last === undefined || !TERMINATORS.has(last) || (last === 0x0d && b === 0x0a);
        } else continues = i > 0 || t - this.lastAtMs <= this.mergeGapMs;
      }
      if (!continues) {
        this.close();
        this.open = { direction, bytes: [], atMs: t };
      }
      this.open!.bytes.push(b);
      if (direction === ">") this.open!.atMs = t;
    }
    this.lastAtMs = t;
  }

  /** A `#` comment line at this point of the trace. */
  comment(text: string): void {
    this.close();
    const last = this.events.at(-1);
    if (last) last.comment = last.comment ? `${last.comment}; ${text}` : text;
  }

  /** Wrap a byte sink so every chunk is recorded, then passed on. */
  tap<T extends (chunk: Uint8Array) => unknown>(direction: ">" | "<", sink: T): (chunk: Uint8Array) => ReturnType<T> {
    return (chunk: Uint8Array) => {
      this.record(direction, chunk);
      return sink(chunk) as ReturnType<T>;
    };
  }

  /** Record a byte stream's "data" events (Buffer, Uint8Array or latin1 string chunks). */
  attachStream(stream: { on(event: "data", listener: (chunk: Uint8Array | string) => void): unknown }, direction: ">" | "<"): void {
    stream.on("data", (chunk) => {
      if (typeof chunk === "string") {
        const bytes = new Uint8Array(chunk.length);
        for (let i = 0; i < chunk.length; i++) bytes[i] = chunk.charCodeAt(i) & 0xff;
        this.record(direction, bytes);
      } else this.record(direction, chunk);
    });
  }

  /** The events so far. */
  trace(): Trace {
    this.close();
    return { header: { ...this.header }, events: this.events.map((e) => ({ ...e })) };
  }

  toString(): string {
    return formatTrace(this.trace());
  }

  private close(): void {
    const o = this.open;
    if (!o || o.bytes.length === 0) {
      this.open = undefined;
      return;
    }
    this.events.push({ atMs: o.atMs, direction: o.direction, bytes: Uint8Array.from(o.bytes), line: 0 });
    this.open = undefined;
  }

  /**
   * A VirtualModem traffic log as a trace: input (`>`, including bytes sent while the modem was
   * off, commented "ignored"), responses, URCs, echo and noise (`<`) in log order.
   */
  static fromModemTraffic(traffic: readonly TrafficEntry[], header: Record<string, string | number> = {}): Trace {
    const events: TraceEvent[] = [];
    for (const e of traffic) {
      const bytes = new Uint8Array(e.text.length);
      for (let i = 0; i < e.text.length; i++) bytes[i] = e.text.charCodeAt(i) & 0xff;
      const event: TraceEvent = { atMs: Math.round(e.atMs * 1000) / 1000, direction: e.direction === "to-modem" ? ">" : "<", bytes, line: 0 };
      if (e.kind) event.comment = e.kind;
      events.push(event);
    }
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(header)) h[k] = String(v);
    return { header: h, events };
  }
}

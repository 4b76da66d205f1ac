/**
 * A "trace modem": plays the modem side of a recorded trace to the firmware and checks that the
 * firmware sends what the trace expects, reporting the first mismatch with its trace line.
 *
 * Replay rules (what is normalised, and nothing else):
 * - Timing of firmware bytes is not checked, nor how they are chunked: the firmware's bytes are
 *   compared as one ordered stream against the `>` events in order.
 * - Interleaving: modem events (`<`) are played in trace order; each is written after the gap it
 *   had in the recording since the previous event, counted from when that previous event was
 *   played (a `<`) or fully matched (a `>`). A `<` event that follows a `>` event is therefore
 *   never played before the firmware sent those bytes; firmware bytes that arrive early are
 *   buffered and checked when their `>` event comes up.
 * - `>~` pattern events match one firmware line (up to CR, Ctrl-Z or ESC) against an anchored
 *   regular expression: use them for content that legitimately varies between runs.
 * Everything else must match byte for byte. After the last event, any further firmware byte is a
 * mismatch. Bytes recorded while the modem was off (comment "ignored") are expected like the rest.
 */
import type { VirtualClock } from "../clock.ts";
import { type Trace, type TraceEvent, escapeBytes, parseTrace } from "./trace-format.ts";

export interface TraceMismatch {
  /** Trace line of the event that failed (0 for "after the end"). */
  line: number;
  /** What the trace expected from here (escaped). */
  expected: string;
  /** What the firmware sent from the start of that event (escaped, up to 80 bytes). */
  actual: string;
  /** Virtual time of the mismatch. */
  atMs: number;
  message: string;
}

export interface TraceModemOptions {
  /** Multiply the recorded gaps before modem events. Default 1. */
  timeScale?: number;
}

const TERMINATORS = new Set([0x0d, 0x1a, 0x1b]);

export class TraceModem {
  readonly trace: Trace;
  /** Modem events written so far. */
  played = 0;
  /** Firmware events matched so far. */
  matched = 0;
  private tx: { write(bytes: Uint8Array): void } | undefined;
  private index = 0;
  private offset = 0;
  private pending: number[] = [];
  private eventInput: number[] = [];
  private lastTraceMs = 0;
  private started = false;
  private failure: TraceMismatch | undefined;
  private readonly timeScale: number;

  constructor(
    private readonly clock: VirtualClock,
    trace: Trace | string,
    options: TraceModemOptions = {},
  ) {
    this.trace = typeof trace === "string" ? parseTrace(trace) : trace;
    this.timeScale = options.timeScale ?? 1;
  }

  /** Give it the line towards the firmware (a UartWire, or anything with write(bytes)). */
  connect(toFirmware: { write(bytes: Uint8Array): void }): void {
    this.tx = toFirmware;
  }

  /**
   * Start playing. The first event's recorded time is kept as a delay from now unless
   * `fromFirstEvent` (then the trace starts at once).
   */
  start(options: { fromFirstEvent?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    this.lastTraceMs = options.fromFirstEvent ? (this.trace.events[0]?.atMs ?? 0) : 0;
    this.advance();
  }

  /** Firmware → modem bytes. */
  receive(chunk: Uint8Array): void {
    for (const b of chunk) this.pending.push(b);
    this.consume();
  }

  /** The first mismatch, if any. */
  get mismatch(): TraceMismatch | undefined {
    return this.failure;
  }

  /** True when every event was played or matched and nothing went wrong. */
  get done(): boolean {
    return !this.failure && this.index >= this.trace.events.length;
  }

  /** Outcome: ok, or the first mismatch, or where the replay is waiting for the firmware. */
  result(): { ok: boolean; mismatch?: TraceMismatch; waitingAt?: { line: number; expected: string; received: string } } {
    if (this.failure) return { ok: false, mismatch: this.failure };
    const event = this.trace.events[this.index];
    if (!event) return { ok: true };
    return {
      ok: false,
      waitingAt: { line: event.line, expected: this.describe(event, this.offset), received: escapeBytes(this.eventInput) },
    };
  }

  /** Throw an Error describing the mismatch or the unfinished replay. */
  check(): void {
    const r = this.result();
    if (r.ok) return;
    if (r.mismatch) throw new Error(r.mismatch.message);
    throw new Error(`trace replay stopped at line ${r.waitingAt!.line}: still expecting "${r.waitingAt!.expected}" (got "${r.waitingAt!.received}")`);
  }

  private describe(event: TraceEvent, from = 0): string {
    return event.direction === ">~" ? `/${String.fromCharCode(...event.bytes)}/` : escapeBytes(event.bytes.subarray(from));
  }

  private fail(event: TraceEvent | undefined, actual: number[], message: string): void {
    const shown = escapeBytes(actual.slice(0, 80));
    this.failure = {
      line: event?.line ?? 0,
      expected: event ? this.describe(event) : "",
      actual: shown,
      atMs: this.clock.nowMs,
      message: event ? `trace line ${event.line}: expected "${this.describe(event)}", firmware sent "${shown}"` : `firmware sent "${shown}" after the end of the trace`,
    };
  }

  /** Play modem events until the next firmware event (or the end). */
  private advance(): void {
    if (this.failure) return;
    const event = this.trace.events[this.index];
    if (!event) {
      this.consume();
      return;
    }
    if (event.direction !== "<") {
      this.consume();
      return;
    }
    const gap = Math.max(0, event.atMs - this.lastTraceMs) * this.timeScale;
    this.clock.after(gap, () => {
      if (this.failure) return;
      this.tx?.write(event.bytes);
      this.played++;
      this.lastTraceMs = event.atMs;
      this.index++;
      this.advance();
    });
  }

  private consume(): void {
    while (!this.failure && this.pending.length > 0) {
      const event = this.trace.events[this.index];
      if (!event) {
        if (!this.started) return;
        this.fail(undefined, this.pending, "");
        return;
      }
      if (event.direction === "<" || !this.started) return; // wait: the modem speaks first
      const b = this.pending.shift()!;
      this.eventInput.push(b);
      if (event.direction === ">") {
        if (event.bytes[this.offset] !== b) {
          this.fail(event, [...this.eventInput, ...this.pending], "");
          return;
        }
        this.offset++;
        if (this.offset < event.bytes.length) continue;
      } else {
        if (!TERMINATORS.has(b)) continue;
        const line = String.fromCharCode(...this.eventInput);
        if (!new RegExp(`^(?:${String.fromCharCode(...event.bytes)})$`, "s").test(line)) {
          this.fail(event, [...this.eventInput, ...this.pending], "");
          return;
        }
      }
      this.matched++;
      this.lastTraceMs = event.atMs;
      this.index++;
      this.offset = 0;
      this.eventInput = [];
      this.advance();
      return;
    }
  }
}

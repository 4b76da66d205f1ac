/**
 * Virtual UART wire: one direction of a serial line. Bytes leave at the configured baud rate
 * (8N1: 10 bit times per byte, back to back) and reach the receiver in chunks, as a UART FIFO
 * hands them over: a chunk is delivered when it is full or when the line goes idle.
 */
import type { VirtualClock } from "./clock.ts";
import { Random } from "./random.ts";

/** How received bytes are split into chunks: a fixed size, or random sizes 1..64 from a seed. */
export type ChunkPolicy = number | { random: number };

/**
 * Bytes the firmware gets per read on a busy line: the ESP32 UART's RX FIFO raises its interrupt
 * when it holds 96 bytes (UART_CONF1 RXFIFO_FULL_THRHD, 0x60 at reset; Moddable's serial driver
 * leaves it so), and onReadable then reads what the FIFO holds. A line that goes quiet hands over
 * what is left after 4 idle character times (its timeout), which ends a write here.
 */
export const UART_RX_CHUNK_BYTES = 96;

export interface UartWireOptions {
  /** Line speed in bits per second (8N1 framing: 10 bits per byte). */
  baud: number;
  /** Chunking of delivered bytes. Default UART_RX_CHUNK_BYTES. */
  chunk?: ChunkPolicy;
}

/** Receives delivered chunks. The array belongs to the receiver. */
export type ByteSink = (chunk: Uint8Array) => void | Promise<void>;

/** A chunk and the time its last byte arrived (ms). */
export interface TimedChunk {
  atMs: number;
  bytes: Uint8Array;
}

/**
 * A receiver that takes the bytes a burst at a time instead of one chunk at a time (the stepped
 * firmware: one engine step a burst). The wire tells it when a burst has ended; it then (or earlier,
 * when it runs for another reason) takes the chunks that have arrived, each with its time.
 */
export interface BurstReader {
  /** The line went idle (or the first chunk not taken has waited BURST_MAX_MS): call `takeArrived()`. */
  lineIdle(): void | Promise<void>;
}

/** Longest a burst reader is left without being told of chunks that arrived (a line that never rests), ms. */
export const BURST_MAX_MS = 1000;

/**
 * A copy of `bytes` as a plain Uint8Array, as the firmware gets on the device (a Node Buffer's own
 * slice() is a view, and Uint8Array's slice() of a Buffer makes a Buffer).
 */
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

export class UartWire {
  /** Time when the line finishes sending what is queued (ms). */
  private lineFreeAtMs = 0;
  private readonly byteTimeMs: number;
  private readonly fixedChunk: number;
  private readonly random: Random | undefined;
  /** Total bytes carried (for statistics). */
  bytesCarried = 0;
  /**
   * Line faults (host-sim/faults): edits the bytes of each write before they go on the line (drops,
   * flips, noise); an empty result sends nothing. Null: the bytes as written.
   */
  tamper: ((bytes: Uint8Array) => Uint8Array) | null = null;
  /**
   * Set: the chunks are not delivered to the sink one by one (one clock event each) but kept, with
   * their arrival times, for this reader (see BurstReader, takeArrived): one clock event a write.
   */
  burstReader: BurstReader | null = null;
  /** Burst mode: chunks on their way or arrived, not taken yet, in arrival order. */
  private pending: TimedChunk[] = [];

  constructor(
    private readonly clock: VirtualClock,
    options: UartWireOptions,
    private readonly sink: ByteSink,
  ) {
    if (!(options.baud > 0)) throw new RangeError(`baud must be positive, got ${options.baud}`);
    this.byteTimeMs = 10_000 / options.baud;
    const chunk = options.chunk ?? UART_RX_CHUNK_BYTES;
    if (typeof chunk === "number") {
      if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`chunk size must be a positive integer, got ${chunk}`);
      this.fixedChunk = chunk;
    } else {
      this.fixedChunk = 0;
      this.random = new Random(chunk.random);
    }
  }

  /** Time to send `byteCount` bytes on this line, ms. */
  durationMs(byteCount: number): number {
    return byteCount * this.byteTimeMs;
  }

  /** Queue bytes for sending; they arrive after the bytes already on the line. */
  write(bytes: Uint8Array): void {
    const edited = this.tamper ? this.tamper(copy(bytes)) : bytes;
    if (edited.length === 0) return;
    const data = edited === bytes ? copy(bytes) : edited;
    this.bytesCarried += data.length;
    const start = Math.max(this.clock.nowMs, this.lineFreeAtMs);
    let offset = 0;
    while (offset < data.length) {
      const size = Math.min(this.nextChunkSize(), data.length - offset);
      const chunk = data.subarray(offset, offset + size);
      offset += size;
      const arrivesAtMs = start + offset * this.byteTimeMs;
      if (this.burstReader) this.pending.push({ atMs: arrivesAtMs, bytes: chunk });
      else this.clock.at(arrivesAtMs, () => this.sink(chunk));
    }
    this.lineFreeAtMs = start + data.length * this.byteTimeMs;
    if (this.burstReader) this.clock.at(this.lineFreeAtMs, () => this.burstEnded());
  }

  /** Burst mode: the chunks that have arrived by now and were not taken yet (removed from the wire). */
  takeArrived(): TimedChunk[] {
    const nowMs = this.clock.nowMs;
    let count = 0;
    while (count < this.pending.length && this.pending[count]!.atMs <= nowMs) count++;
    return count === 0 ? [] : this.pending.splice(0, count);
  }

  /** The end of a write: tell the reader when the line is idle, or when its oldest chunk has waited long enough. */
  private burstEnded(): void | Promise<void> {
    const oldest = this.pending[0];
    if (!oldest || !this.burstReader) return;
    const nowMs = this.clock.nowMs;
    if (nowMs >= this.lineFreeAtMs || nowMs - oldest.atMs >= BURST_MAX_MS) return this.burstReader.lineIdle();
  }

  private nextChunkSize(): number {
    return this.random ? this.random.int(1, 64) : this.fixedChunk;
  }
}

/**
 * Virtual UART wire: one direction of a serial line. Bytes leave at the configured baud rate
 * (8N1: 10 bit times per byte, back to back) and reach the receiver in chunks, as a UART FIFO
 * hands them over: a chunk is delivered when it is full or when the line goes idle.
 */
import type { VirtualClock } from "./clock.ts";
import { Random } from "./random.ts";

/** How received bytes are split into chunks: a fixed size, or random sizes 1..64 from a seed. */
export type ChunkPolicy = number | { random: number };

export interface UartWireOptions {
  /** Line speed in bits per second (8N1 framing: 10 bits per byte). */
  baud: number;
  /** Chunking of delivered bytes. Default 64 (about half an ESP32 FIFO). */
  chunk?: ChunkPolicy;
}

/** Receives delivered chunks. The array belongs to the receiver. */
export type ByteSink = (chunk: Uint8Array) => void | Promise<void>;

export class UartWire {
  /** Time when the line finishes sending what is queued (ms). */
  private lineFreeAtMs = 0;
  private readonly byteTimeMs: number;
  private readonly fixedChunk: number;
  private readonly random: Random | undefined;
  /** Total bytes carried (for statistics). */
  bytesCarried = 0;

  constructor(
    private readonly clock: VirtualClock,
    options: UartWireOptions,
    private readonly sink: ByteSink,
  ) {
    if (!(options.baud > 0)) throw new RangeError(`baud must be positive, got ${options.baud}`);
    this.byteTimeMs = 10_000 / options.baud;
    const chunk = options.chunk ?? 64;
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
    if (bytes.length === 0) return;
    const data = bytes.slice();
    this.bytesCarried += data.length;
    const start = Math.max(this.clock.nowMs, this.lineFreeAtMs);
    let offset = 0;
    while (offset < data.length) {
      const size = Math.min(this.nextChunkSize(), data.length - offset);
      const chunk = data.subarray(offset, offset + size);
      offset += size;
      const arrivesAtMs = start + offset * this.byteTimeMs;
      this.clock.at(arrivesAtMs, () => this.sink(chunk));
    }
    this.lineFreeAtMs = start + data.length * this.byteTimeMs;
  }

  private nextChunkSize(): number {
    return this.random ? this.random.int(1, 64) : this.fixedChunk;
  }
}

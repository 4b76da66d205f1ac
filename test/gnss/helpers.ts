/**
 * Shared helpers for the GNSS tests: byte conversion, NMEA checksums, seeded randomness, the
 * chunkings every stream test is repeated with, a fake Clock and a recording Logger.
 */
import type { Clock, LogLevel, Logger, TimerHandle } from "../../src/platform/ports.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { Random } from "../../host-sim/random.ts";

/** The gpsd corpus (read at test time, never copied into the repo). */
export const CORPUS_DIR = fileURLToPath(new URL("../../../shared/corpus/gpsd", import.meta.url));
export const corpusPresent = existsSync(CORPUS_DIR);

export function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

export function text(bytes: Uint8Array, length = bytes.length): string {
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** `$` + body + `*HH` with the correct checksum (upper-case hex). */
export function withChecksum(body: string, start = "$"): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `${start}${body}*${sum.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Deterministic PRNG (mulberry32), returns [0, 1). */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** The chunkings every stream test runs with: sizes 1, 2, 7 and two seeded random ones (1..64). */
export const CHUNKINGS: ReadonlyArray<{ name: string; split: (bytes: Uint8Array) => Uint8Array[] }> = [
  { name: "chunk 1", split: (b) => fixedChunks(b, 1) },
  { name: "chunk 2", split: (b) => fixedChunks(b, 2) },
  { name: "chunk 7", split: (b) => fixedChunks(b, 7) },
  { name: "random seed 1", split: (b) => randomChunks(b, 1) },
  { name: "random seed 42", split: (b) => randomChunks(b, 42) },
];

function fixedChunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
  return chunks;
}

function randomChunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const random = seededRandom(seed);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const size = 1 + Math.floor(random() * 64);
    chunks.push(bytes.slice(i, i + size));
    i += size;
  }
  return chunks;
}

/**
 * Run `run` once per chunking (each time with fresh state), requiring identical results; returns the
 * result. `run` gets a `feedAll(feed)` that delivers the bytes in that chunking through one reused
 * 64-byte buffer, as a UART driver does (so nothing may keep a reference to a chunk).
 */
export function forEveryChunking<T>(bytes: Uint8Array, run: (feedAll: (feed: (chunk: Uint8Array) => void) => void) => T): T {
  let first: T | undefined;
  let firstName = "";
  const shared = new Uint8Array(64);
  for (const chunking of CHUNKINGS) {
    const chunks = chunking.split(bytes);
    const result = run((feed) => {
      for (const chunk of chunks) {
        shared.set(chunk);
        feed(shared.subarray(0, chunk.length));
        shared.fill(0x58); // scribble: a consumer that kept the chunk would see 'X'
      }
    });
    if (firstName === "") {
      first = result;
      firstName = chunking.name;
    } else {
      expect(result, `${chunking.name} vs ${firstName}`).to.deep.equal(first);
    }
  }
  return first as T;
}

export class FakeClock implements Clock {
  nowMs = 1000;
  monotonicMs(): number {
    return this.nowMs;
  }
  utcMs(): number | undefined {
    return undefined;
  }
  setUtcMs(_utcMs: number): void {}
  setTimer(_callback: () => void, _delayMs: number): TimerHandle {
    return {};
  }
  clearTimer(_handle: TimerHandle | undefined): void {}
}

export class RecordingLogger implements Logger {
  readonly entries: string[] = [];
  log(level: LogLevel, tag: string, message: string): void {
    this.entries.push(`${level} ${tag} ${message}`);
  }
}

/** A Fix as a comparable plain string (NaN-safe, unlike deep.equal on JSON). */
export function describeFix(fix: Fix): string {
  return [
    fix.valid ? "valid" : "invalid",
    fix.latitudeDeg.toFixed(9),
    fix.longitudeDeg.toFixed(9),
    String(fix.altitudeM),
    String(fix.speedKmh),
    String(fix.courseDeg),
    `q${fix.quality}`,
    `sv${fix.satellites}`,
    `hdop${fix.hdop}`,
    Number.isNaN(fix.utcMs) ? "utc?" : new Date(fix.utcMs).toISOString(),
    `at${fix.receivedAtMs}`,
  ].join(" ");
}

/** The device build's `String.fromArrayBuffer` for Node tests (host-sim/engines/device-string.ts). */
export { deviceFromArrayBuffer } from "../../host-sim/engines/device-string.ts";

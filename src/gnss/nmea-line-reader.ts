/**
 * Bounded NMEA 0183 line assembler, built for XS: per-byte work is done by native built-ins.
 *
 * Each received chunk is copied once (`Uint8Array.prototype.set`) into a preallocated, resizable
 * staging buffer, right after the bytes already there (the pending partial line stays in place; the
 * buffer is compacted only when full). The staging buffer, resized to its filled length, is then
 * turned into ONE string with `String.fromArrayBuffer` (flat cost; see ascii-text.ts), so string
 * index == staging index. A chunk that is not pure ASCII, or an XS without that function (Node),
 * takes the per-byte path (`String.fromCharCode.apply`, ~6 computrons a byte). Line ends and
 * start characters are then found with `String.prototype.indexOf` (flat cost in XS, unlike
 * typed-array `indexOf`, which XS meters per element), each position searched once per chunk.
 * A complete line is handed over as (text, start, end) plus the staging bytes/words at the same
 * indices, so the checksum can be computed 4 bytes at a time ({@link xorChecksum}). Nothing is
 * copied per line.
 *
 * Resynchronisation rules:
 * - every '$' / '!' starts a new line; a partial line it interrupts is dropped and counted
 *   (`droppedPartials`), except a lone start character, so `$$GNGSA,...` is accepted silently;
 * - a line longer than the line capacity is dropped (up to its terminator or the next start
 *   character) and counted (`overlongLines`);
 * - bytes between lines other than CR/LF are ignored and counted (`junkBytes`);
 * - bytes inside a line are not screened one by one: a non-printable byte breaks the checksum,
 *   which the parser requires for every sentence that feeds a Fix.
 *
 * Allocation: none per chunk or per line on the fast path (the chunk string is not a heap slot).
 * String methods are called through `.call` so that XS does not wrap the primitive string in a
 * String object (2 heap slots per call otherwise); `string.length` is never read for the same reason.
 */
import { asciiText } from "./ascii-text";

const CR = "\r";
const LF = "\n";
const DOLLAR = "$";
const BANG = "!";

const indexOf = String.prototype.indexOf;
const slice = String.prototype.slice;
const charCodeAt = String.prototype.charCodeAt;
const fromCharCode = String.fromCharCode;

/** Default line capacity in bytes ('$' to the last checksum digit). NMEA says 82 with CR LF; real receivers send up to ~205. */
export const NMEA_LINE_CAPACITY_BYTES = 256;
/** Chunks longer than this are fed in slices of this size (staging = line capacity + this). */
const MAX_CHUNK_BYTES = 256;

/** Between lines. */
const IDLE = 0;
/** A partial line is pending at staging[0 .. pendingLength). */
const IN_LINE = 1;
/** Inside an over-long line: discard until a terminator or a start character. */
const DISCARDING = 2;

/**
 * Receives one complete line: `text.slice(start, end)`, starting with '$' or '!', without CR/LF.
 * `bytes[i]` / `words` hold the same characters at the same indices (valid only during the call).
 * Must not throw and must not call `feed()` of the same reader.
 */
export type NmeaLineConsumer = (text: string, start: number, end: number, bytes: Uint8Array, words: Uint32Array) => void;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Masks keeping the bytes of a little-endian word from byte (index) on / up to byte (index). */
const HEAD_MASK = Object.freeze([-1, -256, -65536, -16777216]);
const TAIL_MASK = Object.freeze([0xff, 0xffff, 0xffffff, -1]);

/**
 * XOR of `bytes[from .. to-1]`, computed 4 bytes at a time through `words` (a Uint32Array over the
 * same, 4-byte aligned buffer): the first and last words masked, the words between XORed in
 * unrolled blocks of 8, 4, 2, 1 (a JS loop iteration costs as much as ~3 word reads in XS).
 * Returns 0..255. Big-endian hosts fall back to a byte loop.
 */
export function xorChecksum(bytes: Uint8Array, words: Uint32Array, from: number, to: number): number {
  if (to <= from) return 0;
  if (!LITTLE_ENDIAN) {
    let s = 0;
    for (let i = from; i < to; i++) s ^= bytes[i];
    return s;
  }
  let k = from >> 2;
  const last = (to - 1) >> 2;
  let x = words[k] & HEAD_MASK[from & 3];
  if (k === last) {
    x &= TAIL_MASK[(to - 1) & 3];
  } else {
    x ^= words[last] & TAIL_MASK[(to - 1) & 3];
    k++;
    let m = last - k; // words strictly between
    while (m >= 8) {
      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3] ^ words[k + 4] ^ words[k + 5] ^ words[k + 6] ^ words[k + 7];
      k += 8;
      m -= 8;
    }
    if (m >= 4) {
      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3];
      k += 4;
      m -= 4;
    }
    if (m >= 2) {
      x ^= words[k] ^ words[k + 1];
      k += 2;
      m -= 2;
    }
    if (m > 0) x ^= words[k];
  }
  x ^= x >>> 16;
  x ^= x >>> 8;
  return x & 0xff;
}

/** Next '$' (or '!', when the chunk has one) at or after `from`; -1 when none. */
function nextStartChar(text: string, from: number, hasBang: boolean): number {
  const d = indexOf.call(text, DOLLAR, from);
  if (!hasBang) return d;
  const b = indexOf.call(text, BANG, from);
  return b >= 0 && (d < 0 || b < d) ? b : d;
}

/** First terminator or start character at or after `from`, -1 when none. */
function nextStop(text: string, from: number, hasBang: boolean): number {
  let t = nextStartChar(text, from, hasBang);
  const cr = indexOf.call(text, CR, from);
  if (cr >= 0 && (t < 0 || cr < t)) t = cr;
  const lf = indexOf.call(text, LF, from);
  if (lf >= 0 && (t < 0 || lf < t)) t = lf;
  return t;
}

/** Bytes of text[from .. to-1] other than CR/LF. */
function junkIn(text: string, from: number, to: number): number {
  let junk = 0;
  for (let i = from; i < to; i++) {
    const c = charCodeAt.call(text, i);
    if (c !== 13 && c !== 10) junk++;
  }
  return junk;
}

/** Assembles NMEA lines from a byte stream. Never throws; preallocated staging buffer. */
export class NmeaLineReader {
  /** Receiver of complete lines; null drops them (they are still counted). */
  onLine: NmeaLineConsumer | null = null;
  /** Complete lines delivered (or dropped for lack of a consumer). */
  lines = 0;
  /** Lines dropped because they were longer than the line capacity. */
  overlongLines = 0;
  /** Partial lines dropped: interrupted by a new '$'/'!', or a lone start character before CR/LF. */
  droppedPartials = 0;
  /** Bytes ignored outside any line (CR and LF between lines are not counted). */
  junkBytes = 0;
  /** Chunks converted byte by byte: not pure ASCII, or no `String.fromArrayBuffer` (see ascii-text.ts). */
  slowChunks = 0;

  readonly #capacity: number;
  /** Staging size: a pending line (<= capacity) plus the largest chunk. */
  readonly #size: number;
  /** Resizable: its length is always the filled length, so it converts to a string as a whole. */
  readonly #buffer: ArrayBuffer;
  /** Length-tracking views of #buffer. */
  readonly #bytes: Uint8Array;
  readonly #words: Uint32Array;
  #state = IDLE;
  /** IN_LINE: where the pending partial line starts in the staging buffer. */
  #lineStart = 0;
  /** IN_LINE: staging bytes in use (the pending line ends here); 0 otherwise. */
  #filled = 0;
  /** IN_LINE: the string of staging[0 .. #filled). */
  #text = "";

  /** @param capacityBytes longest line delivered, bytes (default 256, minimum 8). */
  constructor(capacityBytes: number = NMEA_LINE_CAPACITY_BYTES) {
    this.#capacity = capacityBytes >= 8 ? capacityBytes | 0 : 8;
    this.#size = (this.#capacity + MAX_CHUNK_BYTES + 7) & ~7;
    this.#buffer = new ArrayBuffer(0, { maxByteLength: this.#size });
    this.#bytes = new Uint8Array(this.#buffer);
    this.#words = new Uint32Array(this.#buffer);
  }

  /** Longest line delivered, bytes. */
  get capacityBytes(): number {
    return this.#capacity;
  }

  /** Forget any partial line (e.g. after the UART was reopened). Counters are kept. */
  reset(): void {
    this.#state = IDLE;
    this.#filled = 0;
    this.#text = "";
  }

  /** Consume received bytes; calls `onLine` for each complete line. The chunk is not retained. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n > MAX_CHUNK_BYTES) {
      for (let i = 0; i < n; i += MAX_CHUNK_BYTES) this.feed(chunk.subarray(i, i + MAX_CHUNK_BYTES));
      return;
    }
    if (n === 0) return;
    const bytes = this.#bytes;
    const buffer = this.#buffer;
    const state = this.#state;
    // 1. append the chunk to the staging buffer (after the pending line, if any)
    let base = 0;
    let lineStart = -1;
    let previous = "";
    if (state === IN_LINE) {
      lineStart = this.#lineStart;
      base = this.#filled;
      previous = this.#text;
      if (base + n > this.#size) {
        bytes.copyWithin(0, lineStart, base);
        previous = slice.call(previous, lineStart, base);
        base -= lineStart;
        lineStart = 0;
      }
    }
    const total = base + n;
    buffer.resize(total);
    bytes.set(chunk, base);
    // 2. one string for the whole staging buffer
    let text = asciiText(buffer, total);
    let slow = false;
    if (text === undefined) {
      slow = true;
      this.slowChunks++;
      const chunkText: string = fromCharCode.apply(null, chunk as unknown as number[]);
      text = base > 0 ? previous + chunkText : chunkText;
    }
    // 3. lines
    const hasBang = indexOf.call(text, BANG, base) >= 0;
    let pos = base;
    if (state === DISCARDING) {
      const t = nextStop(text, base, hasBang);
      if (t < 0) return;
      pos = t;
      this.#state = IDLE;
    }
    // cached next positions (-1 = none in text; -2 = not searched yet / behind the cursor)
    let nextCr = -2;
    let nextLf = -2;
    let nextStart = -2;
    const capacity = this.#capacity;
    for (;;) {
      if (lineStart < 0) {
        // between lines: find the next start character
        if (nextStart !== -1 && nextStart < pos) nextStart = hasBang ? nextStartChar(text, pos, true) : indexOf.call(text, DOLLAR, pos);
        const s = nextStart;
        const gapEnd = s < 0 ? total : s;
        // the gap is usually just the LF of a CR LF pair, whose position is known
        if (gapEnd > pos && !(gapEnd === pos + 1 && (pos === nextLf || pos === nextCr))) this.junkBytes += junkIn(text, pos, gapEnd);
        if (s < 0) {
          this.#state = IDLE;
          this.#filled = 0;
          this.#text = "";
          return;
        }
        lineStart = s;
        pos = s + 1;
      }
      // inside a line starting at lineStart; nothing before pos is a stop
      if (nextCr !== -1 && nextCr < pos) nextCr = indexOf.call(text, CR, pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = indexOf.call(text, LF, pos);
      if (nextStart !== -1 && nextStart < pos) nextStart = hasBang ? nextStartChar(text, pos, true) : indexOf.call(text, DOLLAR, pos);
      let e = nextCr;
      if (e < 0 || (nextLf >= 0 && nextLf < e)) e = nextLf;
      if (nextStart >= 0 && (e < 0 || nextStart < e)) {
        // resync: a new line starts before this one ended
        if (nextStart - lineStart > 1) this.droppedPartials++;
        lineStart = nextStart;
        pos = nextStart + 1;
        continue;
      }
      if (e < 0) {
        // partial line: keep it (in place) for the next chunk
        if (total - lineStart > capacity) {
          this.overlongLines++;
          this.#state = DISCARDING;
          this.#filled = 0;
          this.#text = "";
          return;
        }
        this.#state = IN_LINE;
        if (slow && lineStart > 0) {
          // drop what precedes the line now, so that non-ASCII junk there does not keep the next
          // chunks off the fast path
          bytes.copyWithin(0, lineStart, total);
          this.#text = slice.call(text, lineStart);
          this.#filled = total - lineStart;
          this.#lineStart = 0;
          return;
        }
        this.#text = text;
        this.#filled = total;
        this.#lineStart = lineStart;
        return;
      }
      const length = e - lineStart;
      if (length > capacity) {
        this.overlongLines++;
      } else if (length === 1) {
        this.droppedPartials++;
      } else {
        this.lines++;
        const consumer = this.onLine;
        if (consumer !== null) consumer(text, lineStart, e, bytes, this.#words);
      }
      lineStart = -1;
      pos = e + 1;
    }
  }
}

/**
 * Bounded NMEA 0183 line assembler, built for XS: per-byte work is done by native built-ins.
 *
 * Each received chunk is (1) copied once into a preallocated, 4-byte aligned staging buffer
 * (`Uint8Array.prototype.set`) right after the bytes of the pending partial line, and (2) turned into
 * a string with ONE native call (`String.fromCharCode.apply`, one char per byte, so string index ==
 * staging index). Line ends and `$` are then found with `String.prototype.indexOf` (flat cost in XS,
 * unlike typed-array `indexOf`, which XS meters per element). A complete line is handed over as
 * (text, start, end) plus the staging bytes/words at the same indices, so the checksum can be
 * computed 4 bytes at a time ({@link xorChecksum}). Nothing is copied per line.
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
 * Allocation per chunk: the chunk string (string chunks, no heap slots) and, when a line is split
 * across chunks, one concatenation. String methods are called through `.call` so that XS does not
 * wrap the primitive string in a String object (2 heap slots per call otherwise).
 */

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

/**
 * XOR of `bytes[from .. to-1]`, computed 4 bytes at a time through `words` (a Uint32Array over the
 * same, 4-byte aligned buffer). Returns 0..255. Big-endian hosts fall back to a byte loop.
 */
export function xorChecksum(bytes: Uint8Array, words: Uint32Array, from: number, to: number): number {
  if (to <= from) return 0;
  if (!LITTLE_ENDIAN) {
    let s = 0;
    for (let i = from; i < to; i++) s ^= bytes[i];
    return s;
  }
  const first = from >> 2;
  const last = (to - 1) >> 2;
  const headMask = -1 << ((from & 3) << 3);
  const tailMask = -1 >>> ((3 - ((to - 1) & 3)) << 3);
  let x: number;
  if (first === last) {
    x = words[first] & headMask & tailMask;
  } else {
    x = (words[first] & headMask) ^ (words[last] & tailMask);
    let i = first + 1;
    for (; i + 4 <= last; i += 4) x ^= words[i] ^ words[i + 1] ^ words[i + 2] ^ words[i + 3];
    for (; i < last; i++) x ^= words[i];
  }
  x ^= x >>> 16;
  x ^= x >>> 8;
  return x & 0xff;
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

  readonly #capacity: number;
  readonly #bytes: Uint8Array;
  readonly #words: Uint32Array;
  #state = IDLE;
  #pendingLength = 0;
  #pendingText = "";

  /** @param capacityBytes longest line delivered, bytes (default 256, minimum 8). */
  constructor(capacityBytes: number = NMEA_LINE_CAPACITY_BYTES) {
    this.#capacity = capacityBytes >= 8 ? capacityBytes | 0 : 8;
    const size = (this.#capacity + MAX_CHUNK_BYTES + 8) & ~3;
    const buffer = new ArrayBuffer(size);
    this.#bytes = new Uint8Array(buffer);
    this.#words = new Uint32Array(buffer);
  }

  /** Longest line delivered, bytes. */
  get capacityBytes(): number {
    return this.#capacity;
  }

  /** Forget any partial line (e.g. after the UART was reopened). Counters are kept. */
  reset(): void {
    this.#state = IDLE;
    this.#pendingLength = 0;
    this.#pendingText = "";
  }

  /** Consume received bytes; calls `onLine` for each complete line. The chunk is not retained. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n > MAX_CHUNK_BYTES) {
      for (let i = 0; i < n; i += MAX_CHUNK_BYTES) this.#feed(chunk.subarray(i, i + MAX_CHUNK_BYTES));
    } else if (n > 0) {
      this.#feed(chunk);
    }
  }

  #feed(chunk: Uint8Array): void {
    const bytes = this.#bytes;
    const inLine = this.#state === IN_LINE;
    const base = inLine ? this.#pendingLength : 0;
    bytes.set(chunk, base);
    const chunkText: string = fromCharCode.apply(null, chunk as unknown as number[]);
    const text = inLine ? this.#pendingText + chunkText : chunkText;
    const end = base + chunk.length;
    const hasBang = indexOf.call(chunkText, BANG) >= 0;
    let pos = 0;
    let lineStart = -1;
    if (this.#state === DISCARDING) {
      const t = this.#nextStop(text, 0, hasBang);
      if (t < 0) return;
      pos = t;
      this.#state = IDLE;
    } else if (inLine) {
      lineStart = 0;
      pos = base;
    }
    this.#state = IDLE;
    this.#pendingLength = 0;
    // cached next positions (-1 = none in text; recomputed when behind the cursor)
    let nextCr = -2;
    let nextLf = -2;
    let nextStart = -2;
    const capacity = this.#capacity;
    for (;;) {
      if (lineStart < 0) {
        // between lines: find the next start character
        if (nextStart !== -1 && nextStart < pos) nextStart = this.#nextStartChar(text, pos, hasBang);
        const s = nextStart;
        const gapEnd = s < 0 ? end : s;
        if (gapEnd > pos) this.#countJunk(text, pos, gapEnd);
        if (s < 0) return;
        lineStart = s;
        pos = s + 1;
      }
      // inside a line starting at lineStart; nothing before pos is a stop
      if (nextCr !== -1 && nextCr < pos) nextCr = indexOf.call(text, CR, pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = indexOf.call(text, LF, pos);
      if (nextStart !== -1 && nextStart < pos) nextStart = this.#nextStartChar(text, pos, hasBang);
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
        // partial line: keep it for the next chunk
        const length = end - lineStart;
        if (length > capacity) {
          this.overlongLines++;
          this.#state = DISCARDING;
          this.#pendingText = "";
          return;
        }
        if (lineStart > 0) bytes.copyWithin(0, lineStart, end);
        this.#pendingText = lineStart > 0 ? slice.call(text, lineStart) : text;
        this.#pendingLength = length;
        this.#state = IN_LINE;
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

  #nextStartChar(text: string, from: number, hasBang: boolean): number {
    const d = indexOf.call(text, DOLLAR, from);
    if (!hasBang) return d;
    const b = indexOf.call(text, BANG, from);
    return b >= 0 && (d < 0 || b < d) ? b : d;
  }

  /** First terminator or start character at or after `from`, -1 when none. */
  #nextStop(text: string, from: number, hasBang: boolean): number {
    let t = this.#nextStartChar(text, from, hasBang);
    const cr = indexOf.call(text, CR, from);
    if (cr >= 0 && (t < 0 || cr < t)) t = cr;
    const lf = indexOf.call(text, LF, from);
    if (lf >= 0 && (t < 0 || lf < t)) t = lf;
    return t;
  }

  /** Count the bytes of text[from .. to-1] other than CR/LF as junk (usually just "\r\n": cheap). */
  #countJunk(text: string, from: number, to: number): void {
    const n = to - from;
    if (n <= 2) {
      const a = charCodeAt.call(text, from);
      if (a !== 13 && a !== 10) this.junkBytes++;
      if (n === 2) {
        const b = charCodeAt.call(text, from + 1);
        if (b !== 13 && b !== 10) this.junkBytes++;
      }
      return;
    }
    for (let i = from; i < to; i++) {
      const c = charCodeAt.call(text, i);
      if (c !== 13 && c !== 10) this.junkBytes++;
    }
  }
}

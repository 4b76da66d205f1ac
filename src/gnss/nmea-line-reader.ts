/**
 * Bounded NMEA 0183 line assembler, built for XS: per-byte work is done by native built-ins.
 *
 * Each received chunk is turned into ONE string at a flat cost with `String.fromArrayBuffer` (see
 * ascii-text.ts): directly when the chunk is a whole ArrayBuffer (as Moddable's `serial.read()`
 * gives), else on an `ArrayBuffer.prototype.slice` of it (flat cost too). Nothing is copied byte
 * by byte. A partial line at the end of a chunk is kept as a string (`#tail`) and prefixed to the next
 * chunk's string. A chunk that is not pure ASCII, or an XS without `String.fromArrayBuffer` (Node),
 * takes the per-byte path (`String.fromCharCode.apply`, ~6 computrons a byte). Line ends and start
 * characters are found with `String.prototype.indexOf` (flat cost in XS, unlike typed-array
 * `indexOf`, which XS meters per element), each position searched once per chunk.
 *
 * Checksums: the reader XORs each line's bytes 4 at a time through a Uint32Array over the chunk's
 * own buffer (cached while the chunk comes from the same buffer): XOR is associative and the final
 * fold mixes the 4 byte lanes, so neither alignment nor the split of a line across chunks matters —
 * the part of a line in earlier chunks is kept as its XOR (`#tailXor`). A complete line is handed
 * over as (text, start, end, checksum); nothing is copied per line.
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
 * Allocation per chunk: the slice of a chunk that is a view into a larger buffer (3 heap slots),
 * and a Uint32Array view (4 slots) when the chunk's buffer is not the previous chunk's. Nothing per
 * line. String methods are called through `.call` so that XS does not wrap the primitive string in
 * a String object (2 heap slots per call otherwise); `string.length` is never read for the same reason.
 */
import { stringFromArrayBuffer } from "./ascii-text";

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

/** Between lines. */
const IDLE = 0;
/** A partial line is pending in #tail. */
const IN_LINE = 1;
/** Inside an over-long line: discard until a terminator or a start character. */
const DISCARDING = 2;

/**
 * Receives one complete line: `text.slice(start, end)`, starting with '$' or '!', without CR/LF.
 * `checksum` is the XOR of the line's bytes after the start character and before `text[end - 3]`
 * when that is '*' (the usual "*hh" ending), else -1. Must not throw and must not call `feed()` of
 * the same reader.
 */
export type NmeaLineConsumer = (text: string, start: number, end: number, checksum: number) => void;

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
  return xorWords(words, from, to);
}

/**
 * XOR of the bytes [from, to) (to > from) of the little-endian words, folded to 8 bits.
 * The word reads are unrolled: in XS a read costs ~6 computrons, a loop iteration ~20.
 */
function xorWords(words: Uint32Array, from: number, to: number): number {
  let k = from >> 2;
  const last = (to - 1) >> 2;
  let x = words[k] & HEAD_MASK[from & 3];
  if (k === last) {
    x &= TAIL_MASK[(to - 1) & 3];
  } else {
    x ^= words[last] & TAIL_MASK[(to - 1) & 3];
    k++;
    while (k + 8 <= last) {
      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3] ^ words[k + 4] ^ words[k + 5] ^ words[k + 6] ^ words[k + 7];
      k += 8;
    }
    if (k + 4 <= last) {
      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3];
      k += 4;
    }
    if (k + 2 <= last) {
      x ^= words[k] ^ words[k + 1];
      k += 2;
    }
    if (k < last) x ^= words[k];
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

/** Bytes above this are converted in pieces on the per-byte path (`apply` argument count). */
const SLOW_PIECE_BYTES = 256;

/** The chunk as one char per byte, the per-byte way. */
function slowText(chunk: Uint8Array, n: number): string {
  if (n <= SLOW_PIECE_BYTES) return fromCharCode.apply(null, chunk as unknown as number[]);
  let text = "";
  for (let i = 0; i < n; i += SLOW_PIECE_BYTES) text += fromCharCode.apply(null, chunk.subarray(i, i + SLOW_PIECE_BYTES) as unknown as number[]);
  return text;
}

/**
 * XOR of the buffer bytes [a, b) (b > a) folded to 8 bits: `words` covers the buffer's first
 * `wordBytes` bytes; the bytes past them (a buffer whose length is not a multiple of 4) are read
 * through `chunk`, which starts at buffer byte `offset`.
 */
function xorRange(words: Uint32Array, wordBytes: number, chunk: Uint8Array, offset: number, a: number, b: number): number {
  let x = 0;
  if (b > wordBytes || !LITTLE_ENDIAN) {
    const end = LITTLE_ENDIAN ? wordBytes : a;
    for (let i = a > end ? a : end; i < b; i++) x ^= chunk[i - offset];
    b = end;
    if (b <= a) return x;
  }
  let k = a >> 2;
  const last = (b - 1) >> 2;
  x ^= words[k] & HEAD_MASK[a & 3];
  if (k === last) {
    x &= TAIL_MASK[(b - 1) & 3];
  } else {
    x ^= words[last] & TAIL_MASK[(b - 1) & 3];
    k++;
    while (k + 8 <= last) {
      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3] ^ words[k + 4] ^ words[k + 5] ^ words[k + 6] ^ words[k + 7];
      k += 8;
    }
    if (k + 4 <= last) {
      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3];
      k += 4;
    }
    if (k + 2 <= last) {
      x ^= words[k] ^ words[k + 1];
      k += 2;
    }
    if (k < last) x ^= words[k];
  }
  x ^= x >>> 16;
  x ^= x >>> 8;
  return x & 0xff;
}

const NO_WORDS = new Uint32Array(0);

/** Assembles NMEA lines from a byte stream. Never throws; nothing allocated per line. */
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
  #state = IDLE;
  /** IN_LINE: the pending partial line, from its start character. */
  #tail = "";
  /** IN_LINE: its length. */
  #tailLength = 0;
  /** IN_LINE: XOR of its bytes after the start character. */
  #tailXor = 0;
  /** Word view of the last chunk's buffer (checksums), that buffer and its length when viewed. */
  #words: Uint32Array = NO_WORDS;
  #wordsBuffer: ArrayBufferLike | null = null;
  #wordsBufferLength = -1;

  /** @param capacityBytes longest line delivered, bytes (default 256, minimum 8). */
  constructor(capacityBytes: number = NMEA_LINE_CAPACITY_BYTES) {
    this.#capacity = capacityBytes >= 8 ? capacityBytes | 0 : 8;
  }

  /** Longest line delivered, bytes. */
  get capacityBytes(): number {
    return this.#capacity;
  }

  /** Forget any partial line (e.g. after the UART was reopened). Counters are kept. */
  reset(): void {
    this.#state = IDLE;
    this.#tail = "";
    this.#tailLength = 0;
    this.#tailXor = 0;
  }

  /** Consume received bytes; calls `onLine` for each complete line. The chunk is not retained. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    // 1. the chunk as a string, and a word view of its buffer for the checksums
    const buffer = chunk.buffer;
    const offset = chunk.byteOffset;
    const bufferLength = buffer.byteLength;
    let words = this.#words;
    if (buffer !== this.#wordsBuffer || bufferLength !== this.#wordsBufferLength) {
      words = new Uint32Array(buffer, 0, bufferLength >> 2);
      this.#words = words;
      this.#wordsBuffer = buffer;
      this.#wordsBufferLength = bufferLength;
    }
    const wordBytes = bufferLength & ~3;
    // (as asciiText(), inline: a function call costs ~25 computrons in XS)
    let chunkText: string | undefined;
    const convert = stringFromArrayBuffer;
    if (convert !== null) {
      try {
        chunkText = convert(offset === 0 && bufferLength === n ? (buffer as ArrayBuffer) : (buffer.slice(offset, offset + n) as ArrayBuffer));
      } catch {
        chunkText = undefined;
      }
      // non-ASCII UTF-8 decodes to fewer chars than bytes
      if (chunkText !== undefined && !(charCodeAt.call(chunkText, n - 1) >= 0)) chunkText = undefined;
    }
    if (chunkText === undefined) {
      this.slowChunks++;
      chunkText = slowText(chunk, n);
    }
    // 2. prefix the pending partial line
    const state = this.#state;
    let text = chunkText;
    let base = 0;
    let lineStart = -1;
    let prefixXor = 0;
    if (state === IN_LINE) {
      base = this.#tailLength;
      text = this.#tail + chunkText;
      lineStart = 0;
      prefixXor = this.#tailXor;
    }
    const total = base + n;
    /** buffer byte index = text index + delta (text indices >= base) */
    const delta = offset - base;
    // 3. lines: `s` is the start of the current line; each line costs one search for each of
    // '$', CR and LF (the '$' found is the next line's start)
    const hasBang = indexOf.call(chunkText, BANG) >= 0;
    let s = lineStart;
    if (s < 0) {
      let pos = 0;
      if (state === DISCARDING) {
        pos = nextStop(text, 0, hasBang);
        if (pos < 0) return;
        this.#state = IDLE;
      }
      s = hasBang ? nextStartChar(text, pos, true) : indexOf.call(text, DOLLAR, pos);
      const gapEnd = s < 0 ? total : s;
      if (gapEnd > pos) this.junkBytes += junkIn(text, pos, gapEnd);
      if (s < 0) {
        this.#state = IDLE;
        this.#tail = "";
        return;
      }
    }
    const capacity = this.#capacity;
    for (;;) {
      const from = s < base ? base : s + 1;
      const next = hasBang ? nextStartChar(text, from, true) : indexOf.call(text, DOLLAR, from);
      let e = indexOf.call(text, CR, from);
      const lf = indexOf.call(text, LF, from);
      if (e < 0 || (lf >= 0 && lf < e)) e = lf;
      if (next >= 0 && (e < 0 || next < e)) {
        // resync: a new line starts before this one ended
        if (next - s > 1) this.droppedPartials++;
        s = next;
        continue;
      }
      if (e < 0) {
        // partial line: keep it (and the XOR of its bytes) for the next chunk
        if (total - s > capacity) {
          this.overlongLines++;
          this.#state = DISCARDING;
          this.#tail = "";
          return;
        }
        this.#state = IN_LINE;
        this.#tailLength = total - s;
        // the XOR of the line's bytes in this chunk: [a, b) in the buffer
        const a = s >= base ? s + 1 + delta : offset;
        const b = offset + n;
        this.#tail = s >= base ? slice.call(text, s) : text;
        if (a >= b) {
          this.#tailXor = 0;
          return;
        }
        let x: number;
        if (b > wordBytes || !LITTLE_ENDIAN) {
          x = xorRange(words, wordBytes, chunk, offset, a, b);
        } else {
          // xorRange() inline (a call costs ~50 computrons with its arguments)
          let k = a >> 2;
          const last = (b - 1) >> 2;
          x = words[k] & HEAD_MASK[a & 3];
          if (k === last) {
            x &= TAIL_MASK[(b - 1) & 3];
          } else {
            x ^= words[last] & TAIL_MASK[(b - 1) & 3];
            k++;
            while (k + 8 <= last) {
              x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3] ^ words[k + 4] ^ words[k + 5] ^ words[k + 6] ^ words[k + 7];
              k += 8;
            }
            if (k + 4 <= last) {
              x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3];
              k += 4;
            }
            if (k + 2 <= last) {
              x ^= words[k] ^ words[k + 1];
              k += 2;
            }
            if (k < last) x ^= words[k];
          }
          x ^= x >>> 16;
          x ^= x >>> 8;
          x &= 0xff;
        }
        this.#tailXor = s >= base ? x : prefixXor ^ x;
        return;
      }
      const length = e - s;
      if (length > capacity) {
        this.overlongLines++;
      } else if (length === 1) {
        this.droppedPartials++;
      } else {
        this.lines++;
        const consumer = this.onLine;
        if (consumer !== null) {
          // checksum of the bytes between the start character and a '*' 3 characters before the end
          const star = e - 3;
          let sum = -1;
          if (star > s && charCodeAt.call(text, star) === 0x2a) {
            if (star > base) {
              // [a, b): the line's bytes in this chunk up to the '*'
              const a = s >= base ? s + 1 + delta : offset;
              const b = star + delta;
              sum = s >= base ? 0 : prefixXor;
              if (a < b) {
                let x: number;
                if (b > wordBytes || !LITTLE_ENDIAN) {
                  x = xorRange(words, wordBytes, chunk, offset, a, b);
                } else {
                  // xorRange() inline (a call costs ~50 computrons with its arguments)
                  let k = a >> 2;
                  const last = (b - 1) >> 2;
                  x = words[k] & HEAD_MASK[a & 3];
                  if (k === last) {
                    x &= TAIL_MASK[(b - 1) & 3];
                  } else {
                    x ^= words[last] & TAIL_MASK[(b - 1) & 3];
                    k++;
                    while (k + 8 <= last) {
                      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3] ^ words[k + 4] ^ words[k + 5] ^ words[k + 6] ^ words[k + 7];
                      k += 8;
                    }
                    if (k + 4 <= last) {
                      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3];
                      k += 4;
                    }
                    if (k + 2 <= last) {
                      x ^= words[k] ^ words[k + 1];
                      k += 2;
                    }
                    if (k < last) x ^= words[k];
                  }
                  x ^= x >>> 16;
                  x ^= x >>> 8;
                  x &= 0xff;
                }
                sum ^= x;
              }
            } else {
              // the '*' is in the earlier part: take the characters from it on out of that part's XOR
              sum = prefixXor;
              for (let i = star; i < base; i++) sum ^= charCodeAt.call(text, i) & 0xff;
            }
          }
          consumer(text, s, e, sum);
        }
      }
      // the gap up to the next line: usually just the LF of a CR LF pair
      const g = e + 1;
      const gapEnd = next < 0 ? total : next;
      if (gapEnd > g && !(gapEnd === g + 1 && lf === g)) this.junkBytes += junkIn(text, g, gapEnd);
      if (next < 0) {
        this.#state = IDLE;
        this.#tail = "";
        return;
      }
      s = next;
    }
  }
}

/**
 * Bounded NMEA 0183 line assembler, built for XS: per-byte work is done by native built-ins.
 *
 * Each received chunk is turned into ONE string at a flat cost with `String.fromArrayBuffer(buffer,
 * byteOffset, byteLength)` (see ascii-text.ts): a view into a larger buffer (the serial adapter's
 * receive buffer) is converted in place, nothing is copied byte by byte. A partial line at the end
 * of a chunk is kept as a string (`tail`) and prefixed to the next chunk's string. A chunk that is
 * not pure ASCII, or an XS without `String.fromArrayBuffer` (Node), takes the per-byte path
 * (`String.fromCharCode.apply`, ~6 computrons a byte). Line ends and start characters are found
 * with `String.prototype.indexOf` (flat cost in XS, unlike typed-array `indexOf`, which XS meters
 * per element); each position is searched once.
 *
 * Checksums: the reader XORs each line's bytes 4 at a time through a Uint32Array over the chunk's
 * own buffer (kept while chunks come from the same buffer): XOR is associative and the final fold
 * mixes the 4 byte lanes, so neither alignment nor the split of a line across chunks matters — the
 * part of a line in earlier chunks is kept as its XOR (`tailXor`). A complete line is handed over
 * as (text, start, end, checksum); nothing is copied per line.
 *
 * Line rules:
 * - a line ends at its first CR or LF;
 * - every '$' starts a new line; a partial line it interrupts is dropped and counted
 *   (`droppedPartials`), except a lone start character, so `$$GNGSA,...` is accepted silently;
 * - '!' (AIS) starts a line where a line may start (after a terminator, or after junk);
 * - a line longer than the line capacity is dropped (up to its terminator or the next start
 *   character) and counted (`overlongLines`);
 * - bytes between lines other than CR/LF are ignored and counted (`junkBytes`);
 * - bytes inside a line are not screened one by one: a non-printable byte breaks the checksum,
 *   which the parser requires for every sentence that feeds a Fix.
 *
 * XS cost notes: state lives in plain properties (a `#private` field read costs ~15 computrons, a
 * property ~3); string methods are called through `.call` so that XS does not wrap the primitive
 * string in a String object (2 heap slots per call otherwise), and `string.length` is never read
 * for the same reason. Allocation per chunk: none when the chunk's buffer is the previous chunk's
 * (a Uint32Array view, 4 slots, otherwise). Nothing per line.
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
/** A partial line is pending in `tail`. */
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
 * XOR of `bytes[from .. to-1]`, 0..255, computed 4 bytes at a time through `words` (a Uint32Array
 * over the same, 4-byte aligned buffer). Big-endian hosts fall back to a byte loop.
 */
export function xorChecksum(bytes: Uint8Array, words: Uint32Array, from: number, to: number): number {
  if (to <= from) return 0;
  if (!LITTLE_ENDIAN) {
    let s = 0;
    for (let i = from; i < to; i++) s ^= bytes[i];
    return s;
  }
  const x = xorWords(words, from, to);
  return (x ^ (x >>> 8) ^ (x >>> 16) ^ (x >>> 24)) & 0xff;
}

/**
 * XOR of the bytes [from, to) (to > from) of the little-endian words, NOT folded: the 4 byte lanes
 * of the result XORed together give the bytes' XOR (lanes can be combined before the fold). The
 * first and last words are masked, the words between XORed in unrolled blocks of 8, 4, 2, 1 (in XS
 * a word read costs ~6 computrons, a loop iteration ~20).
 */
function xorWords(words: Uint32Array, from: number, to: number): number {
  let k = from >> 2;
  const last = (to - 1) >> 2;
  let x = words[k] & HEAD_MASK[from & 3];
  if (k === last) return x & TAIL_MASK[(to - 1) & 3];
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
  return k < last ? x ^ words[k] : x;
}

/**
 * As {@link xorWords} (unfolded) for buffer bytes [a, b) (b > a) that the words do not all reach
 * (a buffer whose length is not a multiple of 4) or on a big-endian host: `words` covers the
 * buffer's first `wordBytes` bytes; the other bytes are read through `chunk`, which starts at
 * buffer byte `offset`.
 */
function xorRangeSlow(words: Uint32Array, wordBytes: number, chunk: Uint8Array, offset: number, a: number, b: number): number {
  let x = 0;
  for (let i = a > wordBytes ? a : wordBytes; i < b; i++) x ^= chunk[i - offset];
  return wordBytes > a ? x ^ xorWords(words, a, wordBytes) : x;
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

/** Next '$' or '!' at or after `from`; -1 when none. */
function nextStartChar(text: string, from: number): number {
  const d = indexOf.call(text, DOLLAR, from);
  const b = indexOf.call(text, BANG, from);
  return b >= 0 && (d < 0 || b < d) ? b : d;
}

/** First terminator or start character at or after `from`, -1 when none. */
function nextStop(text: string, from: number): number {
  let t = nextStartChar(text, from);
  const cr = indexOf.call(text, CR, from);
  if (cr >= 0 && (t < 0 || cr < t)) t = cr;
  const lf = indexOf.call(text, LF, from);
  if (lf >= 0 && (t < 0 || lf < t)) t = lf;
  return t;
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

const NO_WORDS = new Uint32Array(0);

/** Assembles NMEA lines from a byte stream. Never throws; nothing allocated per line. */
export class NmeaLineReader {
  /** Receiver of complete lines; null drops them (they are still counted). */
  onLine: NmeaLineConsumer | null = null;
  /** Complete lines delivered (or dropped for lack of a consumer). */
  lines = 0;
  /** Lines dropped because they were longer than the line capacity. */
  overlongLines = 0;
  /** Partial lines dropped: interrupted by a new '$', or a lone start character before CR/LF. */
  droppedPartials = 0;
  /** Bytes ignored outside any line (CR and LF between lines are not counted). */
  junkBytes = 0;
  /** Chunks converted byte by byte: not pure ASCII, or no `String.fromArrayBuffer` (see ascii-text.ts). */
  slowChunks = 0;

  private readonly capacity: number;
  private state = IDLE;
  /** IN_LINE: the pending partial line, from its start character. */
  private tail = "";
  /** IN_LINE: its length. */
  private tailLength = 0;
  /** IN_LINE: XOR of its bytes after the start character (unfolded, see xorWords). */
  private tailXor = 0;
  /** Word view of the last chunk's buffer (checksums), that buffer and its length when viewed. */
  private words: Uint32Array = NO_WORDS;
  private wordsBuffer: ArrayBufferLike | null = null;
  private wordsBufferLength = -1;

  /** @param capacityBytes longest line delivered, bytes (default 256, minimum 8). */
  constructor(capacityBytes: number = NMEA_LINE_CAPACITY_BYTES) {
    this.capacity = capacityBytes >= 8 ? capacityBytes | 0 : 8;
  }

  /** Longest line delivered, bytes. */
  get capacityBytes(): number {
    return this.capacity;
  }

  /** Forget any partial line (e.g. after the UART was reopened). Counters are kept. */
  reset(): void {
    this.state = IDLE;
    this.tail = "";
    this.tailLength = 0;
    this.tailXor = 0;
  }

  /** Consume received bytes; calls `onLine` for each complete line. The chunk is not retained. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    // 1. a word view of the chunk's buffer for the checksums (kept while the buffer is the same)
    const buffer = chunk.buffer as ArrayBuffer;
    const offset = chunk.byteOffset;
    const bufferLength = buffer.byteLength;
    let words = this.words;
    if (buffer !== this.wordsBuffer || bufferLength !== this.wordsBufferLength) {
      words = new Uint32Array(buffer, 0, bufferLength >> 2);
      this.words = words;
      this.wordsBuffer = buffer;
      this.wordsBufferLength = bufferLength;
    }
    const wordBytes = LITTLE_ENDIAN ? bufferLength & ~3 : 0;
    // 2. the chunk as a string (inline: a call costs ~40 computrons with its arguments)
    let chunkText: string | undefined;
    const convert = stringFromArrayBuffer;
    if (convert !== null) {
      try {
        chunkText = offset === 0 && n === bufferLength ? convert(buffer) : convert(buffer, offset, n);
      } catch {
        chunkText = undefined; // not UTF-8
      }
      // non-ASCII UTF-8 decodes to fewer chars than bytes
      if (chunkText !== undefined && !(charCodeAt.call(chunkText, n - 1) >= 0)) chunkText = undefined;
    }
    if (chunkText === undefined) {
      this.slowChunks++;
      chunkText = slowText(chunk, n);
    }
    // 3. prefix the pending partial line: `text` index i is buffer byte i + delta (for i >= base)
    let text = chunkText;
    let base = 0;
    let s = 0;
    /** XOR of the pending line's bytes after its start character (unfolded) */
    let prefixXor = 0;
    const state = this.state;
    const capacity = this.capacity;
    if (state === IN_LINE) {
      base = this.tailLength;
      text = this.tail + chunkText;
      prefixXor = this.tailXor;
      // Fast path, the usual chunk: the pending line ends in it with "*hh" CR LF, the next line starts
      // right after (no '$' or CR in between), and that one is still partial at the chunk's end.
      const lf = indexOf.call(text, LF, base);
      const next = indexOf.call(text, DOLLAR, base);
      const star = lf - 4;
      if (next === lf + 1 && star >= base && star > 0 && lf <= capacity && indexOf.call(text, CR, base) === lf - 1 && charCodeAt.call(text, star) === 0x2a) {
        const delta = offset - base;
        const b = star + delta;
        const x = b > offset ? prefixXor ^ (b > wordBytes ? xorRangeSlow(words, wordBytes, chunk, offset, offset, b) : xorWords(words, offset, b)) : prefixXor;
        this.lines++;
        const consumer = this.onLine;
        if (consumer !== null) consumer(text, 0, lf - 1, (x ^ (x >>> 8) ^ (x >>> 16) ^ (x >>> 24)) & 0xff);
        // the next line: kept as it is when nothing else starts or ends in the rest of the chunk
        const total = base + n;
        if (total - next <= capacity && indexOf.call(text, LF, next) < 0 && indexOf.call(text, CR, next) < 0 && indexOf.call(text, DOLLAR, next + 1) < 0) {
          const a = next + 1 + delta;
          const end = offset + n;
          this.tailXor = a < end ? (end > wordBytes ? xorRangeSlow(words, wordBytes, chunk, offset, a, end) : xorWords(words, a, end)) : 0;
          this.tail = slice.call(text, next);
          this.tailLength = total - next;
          return;
        }
        s = next;
      }
    } else {
      // between lines (or discarding an overlong one): find the next start character
      let pos = 0;
      if (state === DISCARDING) {
        pos = nextStop(text, 0);
        if (pos < 0) return;
      }
      s = nextStartChar(text, pos);
      const gapEnd = s < 0 ? n : s;
      if (gapEnd > pos) this.junkBytes += junkIn(text, pos, gapEnd);
      if (s < 0) {
        this.state = IDLE;
        this.tail = "";
        return;
      }
    }
    const total = base + n;
    const delta = offset - base;
    // 4. lines: `s` is the start of the current line. Each costs one search for each of '$', CR
    // and LF (the '$' found is the next line's start).
    for (;;) {
      const fresh = s >= base; // the line starts in this chunk
      const from = fresh ? s + 1 : base; // a pending line holds no '$', CR or LF after its start
      const next = indexOf.call(text, DOLLAR, from);
      const lf = indexOf.call(text, LF, from);
      /** end of the line (exclusive): its first CR or LF; -1: partial */
      let e = indexOf.call(text, CR, from);
      if (e < 0 || (lf >= 0 && lf < e)) e = lf;
      if (next >= 0 && (e < 0 || next < e)) {
        // resync: a new line starts before this one ended
        if (next - s > 1) this.droppedPartials++;
        s = next;
        continue;
      }
      // the XOR of the line's bytes in this chunk, buffer bytes [a, b): up to the chunk's end for a
      // partial line, up to the '*' of "*hh" for a complete one (not `checked`: no "*hh")
      let sum = 0;
      let checked = false;
      const a = fresh ? s + 1 + delta : offset;
      let b = a;
      if (e < 0) {
        if (total - s > capacity) {
          this.overlongLines++;
          this.state = DISCARDING;
          this.tail = "";
          return;
        }
        sum = fresh ? 0 : prefixXor;
        b = offset + n;
      } else if (e - 3 > s && charCodeAt.call(text, e - 3) === 0x2a) {
        checked = true;
        sum = fresh ? 0 : prefixXor;
        if (e - 3 >= base) b = e - 3 + delta;
        else for (let i = e - 3; i < base; i++) sum ^= charCodeAt.call(text, i) & 0xff; // the '*' is in the earlier part: XOR out the characters from it on
      }
      if (b > a) {
        if (b > wordBytes) {
          sum ^= xorRangeSlow(words, wordBytes, chunk, offset, a, b);
        } else {
          // xorWords() inline: a call costs ~35 computrons with its arguments
          let k = a >> 2;
          const last = (b - 1) >> 2;
          let x = words[k] & HEAD_MASK[a & 3];
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
          sum ^= x;
        }
      }
      if (e < 0) {
        // partial line: keep it and the XOR of its bytes for the next chunk
        this.state = IN_LINE;
        this.tailLength = total - s;
        this.tail = s > 0 ? slice.call(text, s) : text;
        this.tailXor = sum;
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
        if (consumer !== null) consumer(text, s, e, checked ? (sum ^ (sum >>> 8) ^ (sum >>> 16) ^ (sum >>> 24)) & 0xff : -1);
      }
      // the gap up to the next line: usually just the LF of a CR LF pair
      const g = e + 1;
      let gapEnd = next < 0 ? total : next;
      if (gapEnd > g && !(gapEnd === g + 1 && lf === g)) {
        const bang = indexOf.call(text, BANG, g);
        if (bang >= 0 && bang < gapEnd) gapEnd = bang; // an AIS line
        this.junkBytes += junkIn(text, g, gapEnd);
      }
      if (gapEnd === total) {
        this.state = IDLE;
        this.tail = "";
        return;
      }
      s = gapEnd;
    }
  }
}

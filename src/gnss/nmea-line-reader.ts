/**
 * Bounded NMEA 0183 line assembler, built for XS: per-byte work is done by native built-ins.
 *
 * Each received chunk is turned into ONE string at a flat cost with `String.fromArrayBuffer(buffer,
 * byteOffset, byteLength)` (see ascii-text.ts): a view into a larger buffer (the serial adapter's
 * receive buffer) is converted in place. A partial line at the end of a chunk is kept as a string
 * (`tail`) and prefixed to the next chunk's string. A chunk that is not pure ASCII, or an XS without
 * `String.fromArrayBuffer` (Node), takes the per-byte path (`String.fromCharCode.apply`, ~6
 * computrons a byte). Line ends and start characters are found with `String.prototype.indexOf`
 * (flat cost in XS, unlike typed-array `indexOf`, which XS meters per element).
 *
 * Checksums are computed only when asked for ({@link NmeaLineReader.lineChecksum}, during the
 * `onLine` call): a consumer that skips a line unread (a GSV message 2..n, a VTG its epoch does not
 * need) pays nothing for it. For that the received bytes are also copied into a ring (`set`, a
 * native copy at ~2 computrons an element: 8 bytes a step from a reused receive buffer, else 1)
 * where each pending line stays contiguous: the checksum is one XOR over 64-bit words of the ring
 * (~10 computrons per 8 bytes) however the line was cut.
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
 * XS cost notes: state lives in plain properties; string methods are called through `.call` so
 * that XS does not wrap the primitive string in a String object (2 heap slots per call otherwise),
 * and `string.length` is never read for the same reason. Nothing is allocated per chunk or line
 * but the strings.
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

/** Largest piece of a chunk handled at once, bytes (bigger chunks are fed in pieces). */
const PIECE_BYTES = 512;
/** Smallest ring, bytes (a multiple of 8; it also holds a pending line plus a piece): 2 KiB, so the pending line moves to the start about once in 2 s of NMEA. */
const MIN_RING_BYTES = 2048;

/** Between lines. */
const IDLE = 0;
/** A partial line is pending in `tail`. */
const IN_LINE = 1;
/** Inside an over-long line: discard until a terminator or a start character. */
const DISCARDING = 2;

/**
 * Receives one complete line: `text.slice(start, end)`, starting with '$' or '!', without CR/LF.
 * During the call, {@link NmeaLineReader.lineChecksum}(text, start, end) gives its checksum. Must not throw and must
 * not call `feed()` of the same reader.
 */
export type NmeaLineConsumer = (text: string, start: number, end: number) => void;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** "*00" .. "*FF": the checksum field of each XOR value, in upper case as NMEA writes it. */
export const CHECKSUM_FIELDS: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, x) => "*" + (x < 16 ? "0" : "") + x.toString(16).toUpperCase()));

/** Masks keeping the bytes of a little-endian word from byte (index) on / up to byte (index). */
const HEAD_MASK = Object.freeze([-1, -256, -65536, -16777216]);
const TAIL_MASK = Object.freeze([0xff, 0xffff, 0xffffff, -1]);
/** The same for 64-bit little-endian words (byte index 0..7). */
const HEAD_MASK_64 = Object.freeze([0xffffffffffffffffn, 0xffffffffffffff00n, 0xffffffffffff0000n, 0xffffffffff000000n,
  0xffffffff00000000n, 0xffffff0000000000n, 0xffff000000000000n, 0xff00000000000000n]);
const TAIL_MASK_64 = Object.freeze([0xffn, 0xffffn, 0xffffffn, 0xffffffffn, 0xffffffffffn, 0xffffffffffffn,
  0xffffffffffffffn, 0xffffffffffffffffn]);
/** A 64-bit word and its two 32-bit halves, for folding a checksum word (see lineChecksum). */
const FOLD_64 = new BigUint64Array(1);
const FOLD_32 = new Uint32Array(FOLD_64.buffer);

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
 * XOR of the bytes [from, to) (to > from) of the little-endian words, not folded: XOR its 4 byte
 * lanes together for the bytes' XOR. The first and last words are masked, the words between XORed
 * in unrolled blocks of 8, 4, 2, 1 (in XS a word read costs ~6 computrons, a loop iteration ~20).
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
  /** IN_LINE: the pending partial line, from its start character (no CR or LF after it; a '$' is possible: a resync still to be found). */
  private tail = "";
  /** IN_LINE: where its start character is in the ring; while a chunk is read, where the text's first character is. */
  private tailRing = 0;
  /** The received bytes, a pending line contiguous (see feed), and views of them by 4 and 8 bytes. */
  private readonly ring: Uint8Array;
  private readonly ringWords: Uint32Array;
  private readonly ringWide: Float64Array;
  private readonly ringLongs: BigUint64Array;
  private readonly ringBytes: number;
  /** Where the next chunk goes in the ring. */
  private ringWrite = 0;
  /**
   * The chunk object (the serial adapter's receive buffer) that came twice in a row, and a
   * Float64Array view of its bytes: `set` between Float64Arrays costs ~2 computrons per 8 bytes
   * instead of per byte (a same-type copy keeps every bit pattern). `seenChunk`: the last chunk
   * object, so that a caller passing fresh chunks allocates no views.
   */
  private wideChunk: Uint8Array | null = null;
  private wideSource: Float64Array | null = null;
  private seenChunk: Uint8Array | null = null;

  /** @param capacityBytes longest line delivered, bytes (default 256, minimum 8). */
  constructor(capacityBytes: number = NMEA_LINE_CAPACITY_BYTES) {
    this.capacity = capacityBytes >= 8 ? capacityBytes | 0 : 8;
    // after a wrap the pending line (≤ capacity, moved to end 8-byte aligned) and a piece must fit
    const ringBytes = (this.capacity + 7 + PIECE_BYTES + 7) & ~7;
    this.ringBytes = ringBytes > MIN_RING_BYTES ? ringBytes : MIN_RING_BYTES;
    this.ring = new Uint8Array(this.ringBytes);
    this.ringWords = new Uint32Array(this.ring.buffer);
    this.ringWide = new Float64Array(this.ring.buffer);
    this.ringLongs = new BigUint64Array(this.ring.buffer);
  }

  /** Longest line delivered, bytes. */
  get capacityBytes(): number {
    return this.capacity;
  }

  /** Forget any partial line (e.g. after the UART was reopened). Counters are kept. */
  reset(): void {
    this.state = IDLE;
    this.tail = "";
  }

  /**
   * The checksum of the line being delivered to `onLine` (call it from there, with the arguments
   * `onLine` got): the XOR of its bytes after the start character and before the '*' of a "*hh"
   * ending, 0..255; -1 when the line does not end with "*hh". Not valid once `onLine` has returned.
   */
  lineChecksum(text: string, start: number, end: number): number {
    if (!(end - 3 > start && charCodeAt.call(text, end - 3) === 0x2a)) return -1;
    return this.lineXor(start + 1, end - 3);
  }

  /**
   * The XOR of the characters [from, to) of the text being delivered to `onLine` (indexes into the
   * `text` it got, within the line), 0..255; 0 when `to <= from`. With {@link CHECKSUM_FIELDS} a
   * consumer checks the usual "*HH" ending with one string compare:
   * `slice(end - 3, end) === CHECKSUM_FIELDS[lineXor(start + 1, end - 3)]`.
   */
  lineXor(textFrom: number, textTo: number): number {
    const delta = this.tailRing; // (text index 0 in the ring, see feed)
    const to = textTo + delta;
    const from = textFrom + delta;
    if (to <= from) return 0;
    if (!LITTLE_ENDIAN) return xorChecksum(this.ring, this.ringWords, from, to);
    // XOR of the 64-bit words holding the bytes [from, to), the first and last masked; those
    // between in unrolled blocks of 8, 4, 2, 1 (a loop step costs more than a word in XS)
    const b = this.ringLongs;
    let k = from >> 3;
    const last = (to - 1) >> 3;
    let x: bigint;
    if (k === last) {
      x = b[k] & HEAD_MASK_64[from & 7] & TAIL_MASK_64[(to - 1) & 7];
    } else {
      x = (b[k] & HEAD_MASK_64[from & 7]) ^ (b[last] & TAIL_MASK_64[(to - 1) & 7]);
      let between = last - k - 1;
      while (between > 7) {
        x ^= b[k + 1] ^ b[k + 2] ^ b[k + 3] ^ b[k + 4] ^ b[k + 5] ^ b[k + 6] ^ b[k + 7] ^ b[k + 8];
        k += 8;
        between -= 8;
      }
      if (between > 3) {
        x ^= b[k + 1] ^ b[k + 2] ^ b[k + 3] ^ b[k + 4];
        k += 4;
        between -= 4;
      }
      if (between > 1) {
        x ^= b[k + 1] ^ b[k + 2];
        k += 2;
        between -= 2;
      }
      if (between > 0) x ^= b[k + 1];
    }
    // its 8 byte lanes XORed together: two 32-bit halves through the fold buffer, then bytes
    FOLD_64[0] = x;
    const y = FOLD_32[0] ^ FOLD_32[1];
    return (y ^ (y >>> 8) ^ (y >>> 16) ^ (y >>> 24)) & 0xff;
  }

  /** `chunk` (n bytes, 8-byte aligned) came twice in a row: copy it 8 bytes a step from now on. */
  private widen(chunk: Uint8Array, n: number): void {
    const buffer = chunk.buffer as ArrayBuffer & { resizable?: boolean };
    this.seenChunk = null;
    // (a view of a resizable buffer may change its length: not remembered)
    if (buffer.resizable === true) return;
    this.wideSource = new Float64Array(buffer, chunk.byteOffset, n >> 3);
    this.wideChunk = chunk;
  }

  /** The ring has no room for the chunk at `at`: the pending line, if any, moves to its start; the new write position. */
  private wrap(state: number, at: number): number {
    if (state !== IN_LINE) return 0;
    // the pending line moves to end 8-byte aligned, so the write position stays aligned (see feed)
    const length = at - this.tailRing;
    const to = (8 - (length & 7)) & 7;
    this.ring.copyWithin(to, this.tailRing, at);
    this.tailRing = to;
    return to + length;
  }

  /** Copy `chunk` (n bytes) into the ring at `at`, byte by byte; remember it if it came twice in a row (see widen). */
  private copyBytes(chunk: Uint8Array, n: number, at: number): void {
    this.ring.set(chunk, at);
    if (chunk !== this.seenChunk) this.seenChunk = chunk;
    else if (((n | chunk.byteOffset) & 7) === 0) this.widen(chunk, n);
  }

  /**
   * Consume received bytes; calls `onLine` for each complete line. The bytes are copied: the caller
   * may reuse `chunk` (the reader remembers the object itself, to copy it faster when it comes again).
   */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if ((n - 1) >>> 0 >= PIECE_BYTES) {
      // empty, or more than a piece
      for (let i = 0; i < n; i += PIECE_BYTES) this.feed(chunk.subarray(i, i + PIECE_BYTES));
      return;
    }
    // 1. the chunk as a string (inline: a call costs ~40 computrons with its arguments)
    let chunkText: string | undefined;
    const convert = stringFromArrayBuffer;
    if (convert !== null) {
      const buffer = chunk.buffer as ArrayBuffer;
      const offset = chunk.byteOffset;
      try {
        chunkText = offset === 0 && n === buffer.byteLength ? convert(buffer) : convert(buffer, offset, n);
        // non-ASCII UTF-8 decodes to fewer chars than bytes
        if (!(charCodeAt.call(chunkText, n - 1) >= 0)) chunkText = undefined;
      } catch {
        chunkText = undefined; // not UTF-8
      }
    }
    if (chunkText === undefined) {
      this.slowChunks++;
      chunkText = slowText(chunk, n);
    }
    // 2. the bytes into the ring, right after the pending line's (moved to the start on a wrap);
    // with no pending line the write position is free: 8-byte aligned, for the copy 8 bytes a step
    // of a receive buffer seen before (the object is enough: a view's length never changes, but
    // over a resizable buffer, which widen leaves out)
    const state = this.state;
    let at = state === IN_LINE ? this.ringWrite : (this.ringWrite + 7) & ~7;
    if (at + n > this.ringBytes) at = this.wrap(state, at);
    if (chunk === this.wideChunk && (at & 7) === 0) this.ringWide.set(this.wideSource as Float64Array, at >> 3);
    else this.copyBytes(chunk, n, at);
    this.ringWrite = at + n;
    // 3. `text` is the pending partial line and the chunk: its index i is ring position i + tailRing
    // (lineChecksum relies on it)
    const capacity = this.capacity;
    let text: string;
    let base: number;
    let s = 0;
    if (state === IN_LINE) {
      base = at - this.tailRing; // (the pending line ends where the chunk went)
      text = this.tail + chunkText;
    } else {
      // between lines (or discarding an overlong one): usually a line starts the chunk
      text = chunkText;
      base = 0;
      this.tailRing = at;
      if (charCodeAt.call(text, 0) !== 0x24) {
        s = this.lineStart(text, state, n);
        if (s < 0) return;
      }
      this.state = IN_LINE;
    }
    if (s === 0) {
      // The usual chunks first (the general loop below does the same with more tests): the line
      // at 0 ends in the chunk with CR LF, and the next one starts right after it and is still
      // partial at the chunk's end; or it does not end yet; or it ends the chunk (a burst's end).
      const lf = indexOf.call(text, LF, base);
      const next = indexOf.call(text, DOLLAR, 1);
      if (next === lf + 1 && lf > 2 && lf <= capacity && indexOf.call(text, CR, base) === lf - 1) {
        this.lines++;
        const consumer = this.onLine;
        if (consumer !== null) consumer(text, 0, lf - 1);
        const total = base + n;
        const lf2 = indexOf.call(text, LF, next);
        // (a '$' in the new partial line is found by the next chunk's search from its start)
        if (lf2 < 0 && total - next <= capacity && indexOf.call(text, CR, next) < 0) {
          this.tail = slice.call(text, next);
          this.tailRing += next;
          return;
        }
        s = next;
        // a second line ending in the chunk (after a short one), the same way
        const next2 = lf2 < 0 ? -2 : indexOf.call(text, DOLLAR, next + 1);
        if ((next2 === lf2 + 1 || (next2 === -1 && lf2 === total - 1)) && lf2 - next > 2 && lf2 - next <= capacity && indexOf.call(text, CR, next) === lf2 - 1) {
          this.lines++;
          if (consumer !== null) consumer(text, next, lf2 - 1);
          if (next2 < 0) {
            this.state = IDLE;
            this.tail = "";
            return;
          }
          if (total - next2 <= capacity && indexOf.call(text, LF, next2) < 0 && indexOf.call(text, CR, next2) < 0) {
            this.tail = slice.call(text, next2);
            this.tailRing += next2;
            return;
          }
          s = next2;
        }
      } else if (next < 0) {
        if (lf < 0) {
          if (base + n <= capacity && indexOf.call(text, CR, base) < 0) {
            this.tail = text;
            return;
          }
        } else if (lf === base + n - 1 && lf > 2 && lf <= capacity && indexOf.call(text, CR, base) === lf - 1) {
          this.lines++;
          const consumer = this.onLine;
          if (consumer !== null) consumer(text, 0, lf - 1);
          this.state = IDLE;
          this.tail = "";
          return;
        }
      }
    }
    const total = base + n;
    // 4. lines: `s` is the start of the current line. Each costs one search for each of '$', CR
    // and LF (the '$' found is the next line's start), from the character after its start: a
    // pending line holds no CR or LF, but may hold a '$' (see the fast path).
    for (;;) {
      const from = s + 1;
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
      if (e < 0) {
        // partial line: keep it for the next chunk (its bytes stay in the ring)
        if (total - s > capacity) {
          this.overlongLines++;
          this.state = DISCARDING;
          this.tail = "";
          return;
        }
        this.state = IN_LINE;
        this.tail = s > 0 ? slice.call(text, s) : text;
        this.tailRing += s;
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
        if (consumer !== null) consumer(text, s, e);
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

  /**
   * Between lines (IDLE) or discarding an over-long one (DISCARDING), with no '$' first: where the
   * first line of the chunk's `text` (n chars) starts, the junk before it counted; -1 when none does.
   */
  private lineStart(text: string, state: number, n: number): number {
    let pos = 0;
    if (state === DISCARDING) {
      pos = nextStop(text, 0);
      if (pos < 0) return -1;
    }
    const s = nextStartChar(text, pos);
    const gapEnd = s < 0 ? n : s;
    if (gapEnd > pos) this.junkBytes += junkIn(text, pos, gapEnd);
    if (s < 0) {
      this.state = IDLE;
      this.tail = "";
    }
    return s;
  }
}

/**
 * Bounded NMEA 0183 line assembler, built for XS: per-byte work is done by native built-ins.
 *
 * Each received chunk becomes ONE string at a flat cost (`String.fromArrayBuffer`, see
 * ascii-text.ts; a chunk that is not pure ASCII, or a realm without it, is converted one char per
 * byte). A partial line at the end of a chunk is kept as a string (`tail`) and prefixed to the next
 * chunk's string. Line ends and start characters are found with `String.prototype.indexOf`, which
 * costs the same whatever the distance.
 *
 * Checksums are computed only when asked for ({@link NmeaLineReader.lineChecksum}, during the
 * `onLine` call), so a consumer that skips a line unread (a GSV message 2..n) pays nothing for it.
 * For that the received bytes are also copied into a ring buffer of this reader, where each pending
 * line stays contiguous: a line's checksum is an XOR over 32-bit words of the ring, however the line
 * was cut into chunks. The serial adapter hands over the same receive buffer every time; once it
 * has come twice, it is copied 4 bytes a step through a Uint32Array view of it (made once), when it
 * lands 4-byte aligned in the ring (the usual case: a chunk goes after a pending line that ends
 * aligned, or at the start).
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
 * XS notes: string methods are called through `.call` (`indexOf.call(text, …)`), because calling
 * a method on a primitive string makes XS wrap it in a String object first (2 heap slots a call).
 * All state is per instance; nothing is allocated per line but the strings.
 */
import { NATIVE_FROM_ARRAY_BUFFER, type FromArrayBuffer } from "./ascii-text";

const indexOf = String.prototype.indexOf;
const slice = String.prototype.slice;
const charCodeAt = String.prototype.charCodeAt;
const fromCharCode = String.fromCharCode;

/** Default line capacity in bytes ('$' to the last checksum digit). NMEA says 82 with CR LF; real receivers send up to ~205. */
export const NMEA_LINE_CAPACITY_BYTES = 256;

/** Largest piece of a chunk handled at once, bytes (bigger chunks are fed in pieces). */
const PIECE_BYTES = 512;
/** Smallest ring, bytes: the pending line moves back to the start about once every 2 s of NMEA. */
const MIN_RING_BYTES = 2048;
/** Bytes converted per `String.fromCharCode.apply` call on the per-byte path (each argument takes an XS stack slot). */
const SLOW_PIECE_BYTES = 32;

/** Between lines. */
const IDLE = 0;
/** A partial line is pending in `tail`. */
const IN_LINE = 1;
/** Inside an over-long line: discard until a terminator or a start character. */
const DISCARDING = 2;

/**
 * Receives one complete line: `text.slice(start, end)`, starting with '$' or '!', without CR/LF.
 * During the call, {@link NmeaLineReader.lineChecksum}(text, start, end) gives its checksum. Must not
 * throw and must not call `feed()` of the same reader.
 */
export type NmeaLineConsumer = (text: string, start: number, end: number) => void;

/** Options of {@link NmeaLineReader}. */
export interface NmeaLineReaderOptions {
  /** Longest line delivered, bytes (default 256, minimum 8). */
  capacityBytes?: number;
  /** Bytes → string converter (default: the realm's `String.fromArrayBuffer`; null: per byte). */
  fromArrayBuffer?: FromArrayBuffer | null;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Masks keeping the bytes of a little-endian 32-bit word from byte (index) on / up to byte (index). */
const HEAD_MASK = Object.freeze([-1, -256, -65536, -16777216]);
const TAIL_MASK = Object.freeze([0xff, 0xffff, 0xffffff, -1]);

/**
 * XOR of `bytes[from .. to-1]`, 0..255 (0 when `to <= from`). `words` is a Uint32Array over the
 * same buffer (`bytes` must start at offset 0 of it): the bytes are XORed 4 at a time, the first
 * and last words masked, and the 4 byte lanes folded at the end. Big-endian hosts use a byte loop.
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
    // the words between, in blocks of 4 (in XS a loop step costs about three word reads)
    k++;
    while (k + 4 <= last) {
      x ^= words[k] ^ words[k + 1] ^ words[k + 2] ^ words[k + 3];
      k += 4;
    }
    while (k < last) x ^= words[k++];
  }
  return (x ^ (x >>> 8) ^ (x >>> 16) ^ (x >>> 24)) & 0xff;
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
  const d = indexOf.call(text, "$", from);
  const b = indexOf.call(text, "!", from);
  return b >= 0 && (d < 0 || b < d) ? b : d;
}

/** First terminator or start character at or after `from`, -1 when none. */
function nextStop(text: string, from: number): number {
  let t = nextStartChar(text, from);
  const cr = indexOf.call(text, "\r", from);
  if (cr >= 0 && (t < 0 || cr < t)) t = cr;
  const lf = indexOf.call(text, "\n", from);
  if (lf >= 0 && (t < 0 || lf < t)) t = lf;
  return t;
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

  // (plain TypeScript-private fields: XS reads them faster than #private ones)
  private readonly capacity: number;
  private readonly fromArrayBuffer: FromArrayBuffer | null;
  private state = IDLE;
  /** IN_LINE: the pending partial line, from its start character (it holds no CR or LF). */
  private tail = "";
  /** IN_LINE: the ring position of the pending line's start character. */
  private tailRing = 0;
  /** While a chunk is read: the ring position of index 0 of the text handed to onLine. */
  private textRing = 0;
  /** Received bytes, the pending line contiguous, and a 32-bit view of them for checksums. */
  private readonly ring: Uint8Array;
  private readonly ringWords: Uint32Array;
  /** Where the next chunk goes in the ring. */
  private ringWrite = 0;
  /** The last chunk object fed, and (once it came twice) a Uint32Array view of its bytes. */
  private lastChunk: Uint8Array | null = null;
  private wordChunk: Uint8Array | null = null;
  private wordSource: Uint32Array | null = null;

  /** @param options line capacity (a number, bytes) or {@link NmeaLineReaderOptions} */
  constructor(options: number | NmeaLineReaderOptions = NMEA_LINE_CAPACITY_BYTES) {
    const o: NmeaLineReaderOptions = typeof options === "number" ? { capacityBytes: options } : options;
    const capacity = o.capacityBytes ?? NMEA_LINE_CAPACITY_BYTES;
    this.capacity = capacity >= 8 ? capacity | 0 : 8;
    this.fromArrayBuffer = o.fromArrayBuffer === undefined ? NATIVE_FROM_ARRAY_BUFFER : o.fromArrayBuffer;
    // the pending line (≤ capacity, moved to end aligned: ≤ 3 bytes in) and a piece must fit
    const ringBytes = (this.capacity + 3 + PIECE_BYTES + 3) & ~3;
    this.ring = new Uint8Array(ringBytes > MIN_RING_BYTES ? ringBytes : MIN_RING_BYTES);
    this.ringWords = new Uint32Array(this.ring.buffer);
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
    const at = this.textRing;
    return xorChecksum(this.ring, this.ringWords, start + 1 + at, end - 3 + at);
  }

  /**
   * Consume received bytes; calls `onLine` for each complete line. The bytes are copied: the caller
   * may reuse `chunk` once this returns.
   */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n > PIECE_BYTES) {
      for (let i = 0; i < n; i += PIECE_BYTES) this.feed(chunk.subarray(i, i + PIECE_BYTES));
      return;
    }
    if (n === 0) return;
    // the chunk as a string: natively when it is ASCII (the usual), else byte by byte
    let chunkText: string | undefined;
    const convert = this.fromArrayBuffer;
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
    if (chunkText === undefined) chunkText = this.slowText(chunk);
    // The bytes go into the ring right after the pending line; with none, at the start. When they
    // do not fit, the pending line moves to the start first, ending 4-byte aligned.
    const state = this.state;
    let at = state === IN_LINE ? this.ringWrite : 0;
    if (at + n > this.ring.length) {
      const length = at - this.tailRing;
      const to = (4 - (length & 3)) & 3;
      this.ring.copyWithin(to, this.tailRing, at);
      this.tailRing = to;
      at = to + length;
    }
    if (chunk === this.wordChunk && (at & 3) === 0) this.ringWords.set(this.wordSource as Uint32Array, at >> 2);
    else this.copyBytes(chunk, n, at);
    this.ringWrite = at + n;

    // `text`: the pending line followed by the chunk; its index i is ring position i + textRing
    let text: string;
    let s: number;
    if (state === IN_LINE) {
      text = this.tail + chunkText;
      this.textRing = this.tailRing;
      s = 0;
    } else {
      text = chunkText;
      this.textRing = at;
      s = charCodeAt.call(text, 0) === 0x24 ? 0 : this.lineStart(text, state, n);
      if (s < 0) return;
    }
    const total = at + n - this.textRing;
    const capacity = this.capacity;
    // `s` is the start of the current line. A complete line costs one search for each of CR, LF
    // and '$' from the character after its start (the '$' found is the next line's start); the
    // partial line at the end of a chunk costs the CR and LF searches only: a '$' in it is found
    // when it is read again with the next chunk.
    for (;;) {
      const from = s + 1;
      const lf = indexOf.call(text, "\n", from);
      /** end of the line (exclusive): its first CR or LF; -1: partial */
      let e = indexOf.call(text, "\r", from);
      if (e < 0 || (lf >= 0 && lf < e)) e = lf;
      if (e < 0 && total - s <= capacity) {
        // partial line: keep it for the next chunk (its bytes stay in the ring)
        this.state = IN_LINE;
        this.tail = s > 0 ? slice.call(text, s) : text;
        this.tailRing = this.textRing + s;
        return;
      }
      const next = indexOf.call(text, "$", from);
      if (next >= 0 && (e < 0 || next < e)) {
        // resync: a new line starts before this one ended
        if (next - s > 1) this.droppedPartials++;
        s = next;
        continue;
      }
      if (e < 0) {
        // a partial line longer than a line can be: dropped up to its end or the next '$'
        this.overlongLines++;
        this.state = DISCARDING;
        this.tail = "";
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
        const bang = indexOf.call(text, "!", g);
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
   * Copy `chunk` (n bytes) into the ring at `at` byte by byte. When the same chunk object comes
   * twice in a row (the serial adapter's receive buffer), make a Uint32Array view of it for the next
   * copies: a whole, 4-byte aligned buffer that cannot be resized (its length never changes then).
   */
  private copyBytes(chunk: Uint8Array, n: number, at: number): void {
    this.ring.set(chunk, at);
    if (chunk !== this.lastChunk) {
      this.lastChunk = chunk;
      return;
    }
    const buffer = chunk.buffer as ArrayBuffer & { resizable?: boolean };
    if (chunk.byteOffset === 0 && n === buffer.byteLength && (n & 3) === 0 && buffer.resizable !== true) {
      this.wordSource = new Uint32Array(buffer);
      this.wordChunk = chunk;
    }
  }

  /** The chunk as a string, one char per byte, the per-byte way (not ASCII, or no native converter). */
  private slowText(chunk: Uint8Array): string {
    const n = chunk.length;
    this.slowChunks++;
    if (n <= SLOW_PIECE_BYTES) return fromCharCode.apply(null, chunk as unknown as number[]);
    let text = "";
    for (let i = 0; i < n; i += SLOW_PIECE_BYTES) {
      text += fromCharCode.apply(null, chunk.subarray(i, i + SLOW_PIECE_BYTES) as unknown as number[]);
    }
    return text;
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
    this.state = IDLE;
    this.tail = "";
    return s;
  }
}

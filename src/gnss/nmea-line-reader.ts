/**
 * Bounded NMEA 0183 line assembler.
 *
 * Bytes from the GNSS UART go in (any chunking); complete lines come out as (buffer, length) with no
 * string built. A line starts at '$' (or '!' for AIS) and ends at CR or LF; the terminator is not
 * delivered. Everything is preallocated: feeding bytes never allocates.
 *
 * Resynchronisation rules:
 * - every '$' / '!' starts a new line; a partial line it interrupts is dropped and counted
 *   (`droppedPartials`), except a lone start character, so `$$GNGSA,...` is accepted silently;
 * - a line that does not fit the buffer is dropped up to its terminator or the next start character
 *   and counted (`overlongLines`);
 * - a byte that is not printable ASCII (outside 0x20..0x7E) inside a line drops that line
 *   (`droppedPartials`) and counts as junk;
 * - bytes between lines other than CR/LF are ignored and counted (`junkBytes`).
 */

const DOLLAR = 0x24;
const BANG = 0x21;
const CR = 0x0d;
const LF = 0x0a;

/** Default line buffer size in bytes ('$' to the last checksum digit). NMEA says 82 with CR LF. */
export const NMEA_LINE_CAPACITY_BYTES = 256;

/** Between lines: bytes are junk until a start character. */
const IDLE = -1;
/** Inside an over-long line: bytes are discarded until a terminator or a start character. */
const DISCARDING = -2;

/**
 * Receives one complete line: `line[0 .. length-1]`, starting with '$' or '!', without CR/LF.
 * The buffer is reused: it is valid only during the call. Must not throw and must not call
 * `feed()` of the same reader.
 */
export type NmeaLineConsumer = (line: Uint8Array, length: number) => void;

/** Assembles NMEA lines from a byte stream into one fixed buffer. Never throws, never allocates per byte. */
export class NmeaLineReader {
  /** Receiver of complete lines; null drops them (they are still counted). */
  onLine: NmeaLineConsumer | null = null;
  /** Complete lines delivered (or dropped for lack of a consumer). */
  lines = 0;
  /** Lines dropped because they were longer than the buffer. */
  overlongLines = 0;
  /** Partial lines dropped: interrupted by a new '$', by a non-printable byte, or a lone '$'. */
  droppedPartials = 0;
  /** Bytes ignored outside any line (CR and LF between lines are not counted) or non-printable. */
  junkBytes = 0;

  readonly #buffer: Uint8Array;
  /** Bytes in the current line, or IDLE / DISCARDING. */
  #length = IDLE;

  /** @param capacityBytes line buffer size in bytes (default 256, minimum 8). */
  constructor(capacityBytes: number = NMEA_LINE_CAPACITY_BYTES) {
    this.#buffer = new Uint8Array(capacityBytes >= 8 ? capacityBytes | 0 : 8);
  }

  /** Line buffer size in bytes: the longest line delivered. */
  get capacityBytes(): number {
    return this.#buffer.length;
  }

  /** Forget any partial line (e.g. after the UART was reopened). Counters are kept. */
  reset(): void {
    this.#length = IDLE;
  }

  /** Consume received bytes; calls `onLine` for each complete line. The chunk is not retained. */
  feed(chunk: Uint8Array): void {
    const buffer = this.#buffer;
    const capacity = buffer.length;
    const count = chunk.length;
    let length = this.#length;
    for (let i = 0; i < count; i++) {
      const c = chunk[i];
      // fast path: a printable byte other than '!' '"' '#' '$' inside a line that still fits
      if (c > DOLLAR && c < 0x7f && length > 0 && length < capacity) {
        buffer[length++] = c;
        continue;
      }
      if (c === DOLLAR || c === BANG) {
        if (length > 1) this.droppedPartials++;
        buffer[0] = c;
        length = 1;
      } else if (c === CR || c === LF) {
        if (length > 1) {
          this.lines++;
          this.#length = IDLE;
          const consumer = this.onLine;
          if (consumer !== null) consumer(buffer, length);
        } else if (length === 1) {
          this.droppedPartials++;
        }
        length = IDLE;
      } else if (length === IDLE) {
        this.junkBytes++;
      } else if (length === DISCARDING) {
        // rest of an over-long line: already counted
      } else if (c < 0x20 || c > 0x7e) {
        this.droppedPartials++;
        this.junkBytes++;
        length = IDLE;
      } else if (length >= capacity) {
        this.overlongLines++;
        length = DISCARDING;
      } else {
        buffer[length++] = c;
      }
    }
    this.#length = length;
  }
}

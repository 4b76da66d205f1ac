/**
 * Bounded AT line assembler: modem UART bytes → one string per line.
 *
 * - A line ends at CR or LF; empty lines are skipped, so CR LF, LF and SIMCom's CR CR LF all frame
 *   one line.
 * - Each byte becomes one char code 0-255 (Latin-1 style, no UTF-8 decoding): NUL (the GSM-7 `@`
 *   under AT+CSCS="GSM") and 8-bit bytes are kept as they are and never break framing. Decoding the
 *   modem's character set is the caller's job.
 * - Lines longer than `maxLineLength` bytes are cut: the first `maxLineLength` bytes are reported
 *   as the line, the rest up to the next CR/LF is dropped and counted.
 * - The AT+CMGS prompt `> ` has no terminator: while `promptArmed` is true, the two bytes `>` ` `
 *   at the start of a line are consumed and reported through `onPrompt`.
 * - Data blocks: a text-mode SMS body can hold CR, LF and anything that looks like a result code
 *   or an indication ("OK", "RDY", "+CMTI: ..."). When the line that announces it says how long
 *   it is, the caller asks for it with `expectData(lengths)` from `onLine`: the bytes after that
 *   line's terminator are then one block (`onData`), however many line breaks it holds.
 * Allocation: one fixed buffer; one string per line. Never throws on any input.
 */

/** Default maximum line length in bytes. */
export const AT_MAX_LINE_LENGTH = 512;

const CR = 0x0d;
const LF = 0x0a;
const GT = 0x3e;
const SPACE = 0x20;
/**
 * Bytes per String.fromCharCode.apply call: each argument takes a slot of the XS stack (the board
 * target's `creation.stack`), so the list stays short.
 */
const DECODE_SLICE = 32;

/** Turn bytes into a string, one char per byte (0-255). Exported for tests and other modem code. */
export function bytesToLatin1(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i += DECODE_SLICE) {
    const sliceEnd = i + DECODE_SLICE < end ? i + DECODE_SLICE : end;
    text += String.fromCharCode.apply(null, bytes.subarray(i, sliceEnd) as unknown as number[]);
  }
  return text;
}

/** Assembles modem output into lines and prompt events. */
export class AtLineReader {
  /**
   * Called once per non-empty line, without its terminator. `blankBefore` is true when at least
   * one empty line came between the previous line and this one (i.e. two or more line breaks,
   * where CR LF and CR CR LF count as one break): it tells an empty SMS body from a missing one.
   */
  onLine: ((line: string, blankBefore: boolean) => void) | null = null;
  /** Called when the `> ` prompt is seen at the start of a line while `promptArmed` is true. */
  onPrompt: (() => void) | null = null;
  /** Called with each data block taken after `expectData` (possibly empty), in place of lines. */
  onData: ((data: string) => void) | null = null;
  /** When true, `> ` at the start of a line is a prompt event (default true). */
  promptArmed = true;
  /** Lines cut because they exceeded the maximum length (count). */
  linesCut = 0;
  /** Bytes dropped from cut lines (count). */
  bytesDropped = 0;

  readonly #buffer: Uint8Array;
  #length = 0;
  /** True while dropping the tail of an over-long line. */
  #discarding = false;
  #previousByte = 0;
  /** Line breaks seen since the last line's content (CR LF / CR CR LF count once). */
  #breaks = 1;
  /** `#breaks` when the current line's first byte arrived. */
  #lineBreaks = 1;
  /** Candidate lengths of the data block being taken (bytes, increasing); empty: reading lines. */
  #dataLengths: readonly number[] = [];
  /** Taking a data block: 2 = the announcing line's terminator may continue (CR, then LF), 1 = its LF may follow, 0 = in the block. */
  #dataSkip = 0;

  /** @param maxLineLength bytes kept per line (default 512, minimum 2). */
  constructor(maxLineLength: number = AT_MAX_LINE_LENGTH) {
    const size = maxLineLength >= 2 ? Math.floor(maxLineLength) : 2;
    this.#buffer = new Uint8Array(size);
  }

  /** Bytes of the current unfinished line (for diagnostics and tests). */
  get pendingLength(): number {
    return this.#length;
  }

  /** Forget any partial line or data block (e.g. after a modem reset). Counters are kept. */
  reset(): void {
    this.#length = 0;
    this.#discarding = false;
    this.#previousByte = 0;
    this.#breaks = 1;
    this.#lineBreaks = 1;
    this.#dataLengths = [];
  }

  /**
   * Take the bytes after the current line's terminator as one data block instead of lines (call
   * from `onLine`). `lengths`: the block's possible sizes in bytes, increasing (e.g. a text-mode SMS
   * body of L characters is L bytes in the GSM character set, or 2L hex digits): the block ends at
   * the first one that a CR or LF follows, or at the last. Sizes beyond the line capacity are
   * dropped; with none left, nothing changes.
   */
  expectData(lengths: readonly number[]): void {
    const fitting: number[] = [];
    for (const n of lengths) if (Number.isInteger(n) && n >= 0 && n <= this.#buffer.length && !fitting.includes(n)) fitting.push(n);
    if (fitting.length === 0) return;
    this.#dataLengths = fitting.sort((a, b) => a - b);
    this.#dataSkip = this.#previousByte === CR ? 2 : this.#previousByte === LF ? 0 : 2;
    this.#length = 0;
  }

  /** True while a data block is being taken. */
  get takingData(): boolean {
    return this.#dataLengths.length > 0;
  }

  /** One byte of a data block; false when the block ended before it (the byte is then read as usual). */
  #dataByte(byte: number): boolean {
    if (this.#dataSkip > 0) {
      // the rest of the announcing line's terminator: CR LF, or SIMCom's CR CR LF
      if (byte === LF) {
        this.#dataSkip = 0;
        this.#previousByte = byte;
        return this.#endDataIfDue(-1);
      }
      if (byte === CR && this.#dataSkip === 2) {
        this.#dataSkip = 1;
        this.#previousByte = byte;
        return true;
      }
      this.#dataSkip = 0;
    }
    if (!this.#endDataIfDue(byte)) return false;
    this.#buffer[this.#length++] = byte;
    this.#previousByte = byte;
    return this.#endDataIfDue(-1);
  }

  /**
   * Ends the block when its length is one of the candidates and `next` (the next byte, -1 when not
   * seen yet) allows: at the last candidate always; at another one when a CR or LF follows.
   * False when the block ended and `next` is not part of it.
   */
  #endDataIfDue(next: number): boolean {
    const lengths = this.#dataLengths;
    const at = lengths.indexOf(this.#length);
    if (at < 0) return true;
    const last = at === lengths.length - 1;
    if (!last && next === -1) return true; // wait for the next byte
    if (!last && next !== CR && next !== LF) return true; // longer: a candidate further on
    const data = bytesToLatin1(this.#buffer, 0, this.#length);
    this.#dataLengths = [];
    this.#length = 0;
    this.#breaks = 0;
    const onData = this.onData;
    if (onData) onData(data);
    return next === -1;
  }
  /** Feed received bytes; any chunking gives the same events. */
  push(chunk: Uint8Array): void {
    const buffer = this.#buffer;
    const capacity = buffer.length;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.#dataLengths.length > 0 && this.#dataByte(byte)) continue;
      if (byte === CR || byte === LF) {
        // CR LF and CR CR LF count as a single break.
        if (this.#previousByte !== CR) this.#breaks++;
        this.#previousByte = byte;
        this.#endLine();
        continue;
      }
      this.#previousByte = byte;
      if (this.#discarding) {
        this.bytesDropped++;
        continue;
      }
      if (this.#length >= capacity) {
        // Over-long line: report what we have, drop the rest up to the next terminator.
        this.linesCut++;
        this.bytesDropped++;
        this.#discarding = true;
        this.#emit();
        continue;
      }
      if (this.#length === 0) {
        this.#lineBreaks = this.#breaks;
        this.#breaks = 0;
      }
      buffer[this.#length++] = byte;
      if (byte === SPACE && this.#length === 2 && buffer[0] === GT && this.promptArmed) {
        this.#length = 0;
        const onPrompt = this.onPrompt;
        if (onPrompt) onPrompt();
      }
    }
  }

  #endLine(): void {
    if (this.#discarding) {
      this.#discarding = false;
      return;
    }
    if (this.#length === 0) return;
    this.#emit();
  }

  #emit(): void {
    const line = bytesToLatin1(this.#buffer, 0, this.#length);
    const blankBefore = this.#lineBreaks >= 2;
    this.#length = 0;
    const onLine = this.onLine;
    if (onLine) onLine(line, blankBefore);
  }
}

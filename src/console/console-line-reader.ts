/**
 * Cuts the provisioning console's received bytes into command lines. A line ends at CR, LF or
 * CR LF (a terminal sends CR, a script LF); backspace (0x08) and DEL (0x7f) remove the last
 * character, so a person typing in a plain terminal can correct a typo; a tab is a blank between
 * words, as the command parser takes it. A line longer than
 * CONSOLE_LINE_MAX characters, or holding a byte that is not printable ASCII, is reported as
 * unreadable (its text is never passed on: it may be noise on the wire, such as a boot message
 * from the other end). No allocation per byte; one string per line.
 */

/** Longest command line accepted (characters, without the line end). */
export const CONSOLE_LINE_MAX = 160;

/** What a finished line was: its text, or why it cannot be read. */
export type ConsoleLine = { readonly text: string } | { readonly unreadable: "too-long" | "not-ascii" };

export class ConsoleLineReader {
  /** Called with each finished line (empty lines are skipped). */
  onLine: ((line: ConsoleLine) => void) | null = null;
  readonly #buffer = new Uint8Array(CONSOLE_LINE_MAX);
  #length = 0;
  #tooLong = false;
  #notAscii = false;
  /** The previous byte was CR (so an LF right after it ends nothing). */
  #afterCr = false;

  /** Feed received bytes, in order. */
  feed(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0d || byte === 0x0a) {
        const lfAfterCr = byte === 0x0a && this.#afterCr;
        this.#afterCr = byte === 0x0d;
        if (!lfAfterCr) this.#finish();
        continue;
      }
      this.#afterCr = false;
      if (byte === 0x08 || byte === 0x7f) {
        if (this.#length > 0) this.#length--;
        continue;
      }
      if ((byte < 0x20 && byte !== 0x09) || byte > 0x7e) {
        this.#notAscii = true;
        continue;
      }
      if (this.#length === CONSOLE_LINE_MAX) {
        this.#tooLong = true;
        continue;
      }
      this.#buffer[this.#length++] = byte === 0x09 ? 0x20 : byte;
    }
  }

  #finish(): void {
    const length = this.#length;
    const tooLong = this.#tooLong;
    const notAscii = this.#notAscii;
    this.#length = 0;
    this.#tooLong = false;
    this.#notAscii = false;
    let line: ConsoleLine;
    if (tooLong) line = { unreadable: "too-long" };
    else if (notAscii) line = { unreadable: "not-ascii" };
    else if (length === 0) return;
    else line = { text: String.fromCharCode.apply(null, Array.from(this.#buffer.subarray(0, length))) };
    this.onLine?.(line);
  }
}

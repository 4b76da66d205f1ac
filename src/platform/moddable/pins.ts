/** OutputPin over ECMA-419 Digital (embedded:io/digital), push-pull output. */
import type { OutputPin } from "../ports";

/** What this module needs of an ECMA-419 Digital class (the board's, or the lin stand-in). */
export interface DigitalClass {
  readonly Output: number;
  new (options: { pin: number; mode: number; initialValue: 0 | 1 }): { write(value: 0 | 1): void; close(): void };
}

/**
 * One GPIO driven as an output. It is opened at `initialValue` (the driver sets the level before it
 * enables the output), so the pin never glitches to the other level on the way.
 */
export class DigitalOutputPin implements OutputPin {
  readonly #io: { write(value: 0 | 1): void; close(): void };

  /** Throws if the pin is invalid or already in use. */
  constructor(Digital: DigitalClass, pin: number, initialValue: 0 | 1) {
    this.#io = new Digital({ pin, mode: Digital.Output, initialValue });
  }

  write(value: 0 | 1): void {
    this.#io.write(value);
  }

  close(): void {
    this.#io.close();
  }
}

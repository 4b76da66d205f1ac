/** OutputPin over ECMA-419 Digital (embedded:io/digital), push-pull output. */
import Digital from "embedded:io/digital";
import type { OutputPin } from "../ports";

/** One GPIO driven as an output; it is set to `initialValue` as soon as it is opened. */
export class DigitalOutputPin implements OutputPin {
  readonly #io: Digital;

  /** Throws if the pin is invalid or already in use. */
  constructor(pin: number, initialValue: 0 | 1) {
    this.#io = new Digital({ pin, mode: Digital.Output });
    this.#io.write(initialValue);
  }

  write(value: 0 | 1): void {
    this.#io.write(value);
  }

  close(): void {
    this.#io.close();
  }
}

/**
 * RingInput over ECMA-419 Digital (embedded:io/digital): the modem's RI line on an input pin, an
 * interrupt on its falling edge. The Moddable runtime on ESP32 records the edge in the interrupt
 * and calls onReadable later from its event loop (a posted message: modules/io/digital/esp32), so
 * `onRing` runs on a fresh turn, never inside another callback. Edges that come before the turn
 * runs are folded into one call.
 */
import type { Logger, RingInput } from "../ports";

/** What this module needs of an ECMA-419 Digital class: an input with an edge callback. */
export interface EdgeDigitalClass {
  readonly InputPullUp: number;
  readonly Falling: number;
  new (options: { pin: number; mode: number; edge: number; onReadable: () => void }): { read(): 0 | 1; close(): void };
}

export class DigitalRingInput implements RingInput {
  onRing: (() => void) | null = null;
  /** Falling edges seen (turns in which at least one came). */
  edges = 0;
  readonly #io: { read(): 0 | 1; close(): void };

  /**
   * Opens `pin` as an input with the pull-up on (RI idles high; SIMCom drives it, the pull-up only
   * keeps an unwired pin quiet). Throws if the pin is invalid or in use.
   */
  constructor(Digital: EdgeDigitalClass, pin: number, log: Logger) {
    // (an arrow function: the runtime calls onReadable with the io instance as `this`)
    this.#io = new Digital({
      pin,
      mode: Digital.InputPullUp,
      edge: Digital.Falling,
      onReadable: () => {
        this.edges++;
        const onRing = this.onRing;
        if (onRing === null) return;
        try {
          onRing();
        } catch (e) {
          log.log("error", "ring", `ring handler threw: ${String(e)}`);
        }
      },
    });
  }

  /** The line now: 1 idle, 0 while the modem pulls it low. */
  read(): 0 | 1 {
    return this.#io.read();
  }

  close(): void {
    this.#io.close();
  }
}

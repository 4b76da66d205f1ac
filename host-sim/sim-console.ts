/**
 * The simulated device's provisioning console (src/console/) as a person or a tool at the other end
 * of its USB serial line sees it: type a line, read the lines it answers. Bytes cross a UartWire at
 * the console's 115200 baud each way, so they take their time on the virtual clock like the other
 * lines. `onOutput` passes the raw output on (a pseudo-terminal bridge); `write` takes raw input.
 */
import type { VirtualClock } from "./clock.ts";
import { UartWire } from "./uart.ts";
import type { TrackerDevice } from "./tracker-device.ts";

/** The console's line speed (bit/s). */
export const CONSOLE_BAUD = 115_200;

/** True for the line that ends a console answer ("OK ..." or "ERR ..."). */
export function isFinalConsoleLine(line: string): boolean {
  return line === "OK" || line.startsWith("OK ") || line.startsWith("ERR ");
}

export class SimConsole {
  /** Every line the firmware wrote on the console, in order. */
  readonly lines: string[] = [];
  /** Raw output as it arrives (after the line's time on the wire). */
  onOutput: ((bytes: Uint8Array) => void) | null = null;
  private readonly toFirmware: UartWire | undefined;
  private partial = "";

  constructor(
    private readonly clock: VirtualClock,
    device: TrackerDevice,
  ) {
    if (!device.receiveConsole) return;
    const receive = device.receiveConsole.bind(device);
    this.toFirmware = new UartWire(clock, { baud: CONSOLE_BAUD, chunk: 16 }, (c) => receive(c));
    const fromFirmware = new UartWire(clock, { baud: CONSOLE_BAUD, chunk: 64 }, (c) => this.output(c));
    device.consoleTx = (bytes) => fromFirmware.write(bytes);
  }

  /** True when the device has a console. */
  get present(): boolean {
    return this.toFirmware !== undefined;
  }

  /** Send raw bytes to the console. */
  write(bytes: Uint8Array): void {
    if (!this.toFirmware) throw new Error("this device has no console");
    this.toFirmware.write(bytes);
  }

  /** Type `line` and Enter (CR LF). */
  type(line: string): void {
    this.write(new TextEncoder().encode(`${line}\r\n`));
  }

  /**
   * Type `line` and run the clock until its answer's final line (OK / ERR), at most `limitMs`.
   * Returns the answer's lines (the final one last), or what came before the limit; the unasked
   * `+ready:` of a console starting meanwhile is left out.
   */
  async command(line: string, limitMs = 10_000): Promise<string[]> {
    const from = this.lines.length;
    this.type(line);
    await this.clock.runUntilCondition(() => this.lines.slice(from).some(isFinalConsoleLine), limitMs);
    const answer = this.lines.slice(from).filter((l) => !l.startsWith("+ready: "));
    const end = answer.findIndex(isFinalConsoleLine);
    return end < 0 ? answer : answer.slice(0, end + 1);
  }

  private output(bytes: Uint8Array): void {
    this.onOutput?.(bytes);
    this.partial += Buffer.from(bytes).toString("latin1");
    let end: number;
    while ((end = this.partial.search(/\r?\n/)) >= 0) {
      const line = this.partial.slice(0, end);
      this.partial = this.partial.slice(this.partial[end] === "\r" ? end + 2 : end + 1);
      this.lines.push(line);
    }
  }
}

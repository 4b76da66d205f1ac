/**
 * The host side of the provisioning console's line protocol (src/console/console-protocol.ts,
 * docs/console-protocol.md) over a serial port: send a command line, collect its `+key: value`
 * lines up to the final `OK` / `ERR`, skipping every other line (boot messages, log lines). Errors
 * an installer can act on: the device not answering, a firmware this tool does not speak to.
 */
import type { SerialPort } from "serialport";
import { FIRMWARE_VERSION } from "../../src/app/build-info.ts";
import { closeSerial, openSerial } from "./serial-open.ts";

/** The console's line speed, bit/s. */
export const CONSOLE_BAUD = 115_200;

/** The device did not answer HELLO (not flashed, a debug build, the wrong port, still booting). */
export class NotAnsweringError extends Error {
  override name = "NotAnsweringError";
}

/** The device answers with a firmware whose console this tool does not speak. */
export class WrongFirmwareError extends Error {
  override name = "WrongFirmwareError";
}

/** One command's answer. */
export interface ConsoleAnswer {
  /** Its `+key: value` lines, in order (key lower case). */
  readonly data: readonly { readonly key: string; readonly value: string }[];
  /** True for OK, false for ERR. */
  readonly ok: boolean;
  /** What follows OK, or the ERR code. */
  readonly summary: string;
  /** The ERR text after the code ("" for OK). */
  readonly error: string;
  /** Every protocol line received for it (final one last). */
  readonly lines: readonly string[];
}

/** A byte link to the console (a serial port, or a test's fake). */
export interface ConsoleLink {
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  close(): Promise<void>;
}

/** A serialport SerialPort as a ConsoleLink. */
export function serialLink(port: SerialPort): ConsoleLink {
  return {
    write: (bytes) => void port.write(Buffer.from(bytes)),
    onData: (listener) => void port.on("data", (data: Buffer) => listener(new Uint8Array(data))),
    close: () => closeSerial(port),
  };
}

/** Open the console on `path` (errors with advice from serial-open.ts). */
export async function openConsole(path: string): Promise<ConsoleClient> {
  const port = await openSerial(path, { baudRate: CONSOLE_BAUD, what: "the tracker's USB port" });
  return new ConsoleClient(serialLink(port), path);
}

/** Parse one `+key: value` line; undefined for another line. */
export function parseDataLine(line: string): { key: string; value: string } | undefined {
  const match = /^\+([a-z0-9.-]+): ?(.*)$/.exec(line);
  return match ? { key: match[1]!, value: match[2]! } : undefined;
}

export class ConsoleClient {
  /** Every line received, protocol or not (for --verbose and error messages). */
  readonly received: string[] = [];
  /** Called with each protocol line as it arrives (progress output). */
  onLine: ((line: string) => void) | null = null;
  private partial = "";
  private waiter: ((line: string) => void) | null = null;
  private queue: string[] = [];

  constructor(
    private readonly link: ConsoleLink,
    readonly path: string,
  ) {
    link.onData((bytes) => this.data(bytes));
  }

  close(): Promise<void> {
    return this.link.close();
  }

  /**
   * HELLO, repeated until the device answers (a board may reset when the port opens and take a few
   * seconds to boot), at most `limitMs`. Checks the firmware speaks this tool's console protocol.
   */
  async hello(limitMs = 10_000): Promise<Record<string, string>> {
    const endMs = Date.now() + limitMs;
    while (Date.now() < endMs) {
      const answer = await this.command("HELLO", Math.min(2500, Math.max(200, endMs - Date.now()))).catch((e: unknown) => {
        if (e instanceof NotAnsweringError) return undefined;
        throw e;
      });
      if (!answer) continue;
      const facts = Object.fromEntries(answer.data.map((d) => [d.key, d.value]));
      const firmware = facts["firmware"];
      if (!answer.ok || firmware === undefined) throw new WrongFirmwareError(`${this.path} answered HELLO with '${answer.lines.at(-1)}': not this tracker's console, or an old firmware. Flash the current release (tracker flash).`);
      if (firmware.split(".")[0] !== FIRMWARE_VERSION.split(".")[0]) {
        throw new WrongFirmwareError(`the unit runs firmware ${firmware}; this tool is for ${FIRMWARE_VERSION.split(".")[0]}.x. Flash firmware ${FIRMWARE_VERSION} (tracker flash) or use the matching tools.`);
      }
      return facts;
    }
    const heard = this.received.slice(-3).join(" | ");
    throw new NotAnsweringError(
      `the tracker on ${this.path} does not answer its console.${heard ? ` It printed: ${heard.slice(0, 200)}.` : ""}\n` +
        "Check: is it a release build with the console on (mcconfig -m -p esp32:<target> console=on)? Debug builds give this port to xsbug. " +
        "Is this the board's USB port (tracker ports)? Press its reset button and try again.",
    );
  }

  /** Send `line`; resolves with its answer, or rejects with NotAnsweringError after `timeoutMs` of silence. */
  async command(line: string, timeoutMs = 5000): Promise<ConsoleAnswer> {
    this.queue = [];
    this.link.write(new TextEncoder().encode(`${line}\r\n`));
    const lines: string[] = [];
    for (;;) {
      const next = await this.nextLine(timeoutMs);
      if (next === undefined) throw new NotAnsweringError(`no answer to ${line.split(" ")[0]} within ${timeoutMs / 1000} s`);
      lines.push(next);
      if (next === "OK" || next.startsWith("OK ")) return { data: dataOf(lines), ok: true, summary: next.slice(3), error: "", lines };
      if (next.startsWith("ERR ")) {
        const rest = next.slice(4);
        const colon = rest.indexOf(": ");
        return { data: dataOf(lines), ok: false, summary: colon < 0 ? rest : rest.slice(0, colon), error: colon < 0 ? "" : rest.slice(colon + 2), lines };
      }
    }
  }

  /** The next protocol line (data or final), undefined after `timeoutMs` without one. */
  private nextLine(timeoutMs: number): Promise<string | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(undefined);
      }, timeoutMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        this.waiter = null;
        resolve(line);
      };
    });
  }

  private data(bytes: Uint8Array): void {
    this.partial += Buffer.from(bytes).toString("latin1");
    let end: number;
    while ((end = this.partial.search(/[\r\n]/)) >= 0) {
      const line = this.partial.slice(0, end).trim();
      this.partial = this.partial.slice(end + 1);
      if (line === "") continue;
      this.received.push(line);
      const protocol = line.startsWith("+") || line === "OK" || line.startsWith("OK ") || line.startsWith("ERR ");
      if (!protocol || line.startsWith("+ready: ")) continue;
      this.onLine?.(line);
      if (this.waiter) this.waiter(line);
      else this.queue.push(line);
    }
  }
}

function dataOf(lines: readonly string[]): { key: string; value: string }[] {
  return lines.map(parseDataLine).filter((d): d is { key: string; value: string } => d !== undefined);
}

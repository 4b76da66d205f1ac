/**
 * A tiny scripted modem for the SMS and app tests: it watches what the firmware writes to a
 * FakePort, splits it into command lines (ended by CR), asks a script for the answer and pushes the
 * answer into the port `delayMs` later (virtual time, FakeClock). An answer ending in "> " opens
 * SMS-body mode: bytes up to Ctrl-Z (0x1A) are the payload and the payload script answers them;
 * ESC (0x1B) cancels the body.
 */
import type { FakeClock, FakePort } from "../modem/fakes.ts";

/** Answer text (Latin-1) or null for silence. */
export type Answer = string | null;

export interface ModemScript {
  /** Answer to one command line (without CR); `count` = how often this exact line was seen. */
  command(command: string, count: number): Answer;
  /** Answer after a message body; `command` is the AT+CMGS line that opened it. */
  payload?(command: string, body: Uint8Array, count: number): Answer;
}

export interface Received {
  /** Command line, or "<payload>" / "<esc>". */
  command: string;
  atMs: number;
  body?: Uint8Array;
}

export const OK = "\r\nOK\r\n";

export class ScriptedModem {
  /** Everything the modem understood, in order. */
  readonly received: Received[] = [];
  /** Answer delay, ms of virtual time. */
  delayMs = 20;
  /** Commands that arrived while an earlier exchange still waited for its final answer. */
  overlaps: string[] = [];
  /** When false the modem ignores every byte (it is off). */
  powered = true;
  readonly #counts = new Map<string, number>();
  #line = "";
  #body: number[] | null = null;
  #bodyCommand = "";
  #payloads = 0;
  /** True from a command until its final answer was pushed (silent commands never set it). */
  #busy = false;
  /** Prompt about to be sent (cancelled by ESC, like a modem dropping the AT+CMGS). */
  #promptTimer: object | undefined;

  constructor(
    readonly port: FakePort,
    readonly clock: FakeClock,
    readonly script: ModemScript,
  ) {
    port.onWrite = (bytes) => {
      for (const b of bytes) this.#byte(b);
    };
  }

  /** Command lines only, in order. */
  get commands(): string[] {
    return this.received.filter((r) => !r.command.startsWith("<")).map((r) => r.command);
  }

  /** Message bodies sent after a prompt, in order. */
  get payloads(): Uint8Array[] {
    return this.received.filter((r) => r.command === "<payload>").map((r) => r.body!);
  }

  /** ESC bytes received. */
  get escapes(): number {
    return this.received.filter((r) => r.command === "<esc>").length;
  }

  /** Push unsolicited text now (e.g. a +CMTI). */
  urc(text: string): void {
    this.port.push(text);
  }

  #byte(b: number): void {
    if (!this.powered) return;
    if (this.#body) {
      if (b === 0x1a) {
        const body = Uint8Array.from(this.#body);
        this.#body = null;
        this.received.push({ command: "<payload>", atMs: this.clock.monotonicMs(), body });
        this.#answer(this.script.payload?.(this.#bodyCommand, body, ++this.#payloads) ?? null);
      } else if (b === 0x1b) {
        this.#body = null;
        this.#busy = false;
        this.received.push({ command: "<esc>", atMs: this.clock.monotonicMs() });
      } else {
        this.#body.push(b);
      }
      return;
    }
    if (b === 0x1b) {
      this.received.push({ command: "<esc>", atMs: this.clock.monotonicMs() });
      if (this.#promptTimer) {
        this.clock.clearTimer(this.#promptTimer);
        this.#promptTimer = undefined;
        this.#busy = false;
      }
      return;
    }
    if (b === 0x0a) return;
    if (b !== 0x0d) {
      this.#line += String.fromCharCode(b);
      return;
    }
    const command = this.#line;
    this.#line = "";
    if (command === "") return;
    if (this.#busy) this.overlaps.push(command);
    this.received.push({ command, atMs: this.clock.monotonicMs() });
    const count = (this.#counts.get(command) ?? 0) + 1;
    this.#counts.set(command, count);
    const answer = this.script.command(command, count);
    if (answer !== null && answer.endsWith("> ")) {
      this.#busy = true;
      this.#bodyCommand = command;
      this.#promptTimer = this.clock.setTimer(() => {
        this.#promptTimer = undefined;
        this.#body = [];
        this.port.push(answer);
      }, this.delayMs);
      return;
    }
    this.#answer(answer);
  }

  #answer(answer: Answer): void {
    if (answer === null) {
      this.#busy = false;
      return;
    }
    this.#busy = true;
    this.clock.setTimer(() => {
      this.#busy = false;
      this.port.push(answer);
    }, this.delayMs);
  }
}

/** GSM-7 codes of a text-mode body as a Latin-1 string (for answers). */
export function codes(...values: number[]): string {
  return String.fromCharCode(...values);
}

/**
 * The serial side of the virtual modem, VirtualModem's base class: the UART (TX wire, RX input
 * buffer, echo, line assembly, the CMGS/CMGW "> " prompt's bytes), the exchange (a command's answer
 * after the response delay, URCs and the built-in GNSS's NMEA lines held meanwhile and written after
 * it), line noise and the traffic log. It knows nothing of commands: VirtualModem handles each line
 * (`handleLine`) and each finished prompt (`endPrompt`), and owns the settings and the response timing.
 */
import type { EventHandle, VirtualClock } from "../clock.ts";
import { Random } from "../random.ts";
import type { UartWire } from "../uart.ts";
import { bytesOf, formatError, latin1, showControls } from "./at-syntax.ts";
import type { SubResult } from "./commands/context.ts";
import { LINE_BREAK, MAX_SMS_TEXT_BYTES, type Prompt } from "./commands/sms-send.ts";
import type { NoiseOptions } from "./faults.ts";
import type { ModemSettings, PowerState, TrafficEntry } from "./modem-types.ts";
import type { ModemProfile } from "./profiles.ts";

const CR = 0x0d;
const LF = 0x0a;
const BS = 0x08;
const SUB = 0x1a;
const ESC = 0x1b;
const MAX_LINE = 556;
const MAX_PENDING_INPUT = 8192;
/** NMEA lines held during one exchange at most (about 4 epochs of 8 sentences). */
const MAX_HELD_NMEA = 32;

export abstract class ModemIo {
  /** Every byte exchanged, merged per command / response. */
  readonly traffic: TrafficEntry[] = [];
  /** Input bytes dropped: sent while off/booting, or past the input buffer. */
  bytesIgnored = 0;
  /** Non-empty lines that did not start with "AT" (ignored, no answer). */
  linesIgnored = 0;
  /** Junk bytes written by noise and garbage faults. */
  noiseBytes = 0;
  /** NMEA lines dropped because too many were held during one exchange. */
  nmeaDropped = 0;

  private tx: UartWire | undefined;
  protected power: PowerState = "off";
  /** Bumped at every power-off / reboot: what was scheduled before does not run. */
  protected epoch = 0;

  // Noise
  private noise: (NoiseOptions & { token: number }) | undefined;
  private noiseToken = 0;
  private noiseRandom: Random;
  protected garbageNextResponse = false;

  // Input pipeline
  private input: number[] = [];
  private inputHead = 0;
  private line: number[] = [];
  private lineOverflow = false;
  protected busy = false;
  private prompt: Prompt | undefined;
  /** Framed URCs and NMEA lines held while a command executes or the prompt is open, in order. */
  private held: string[] = [];
  /** NMEA lines among `held`. */
  private heldNmea = 0;
  private echoOut: number[] = [];

  /** The settings now (echo, CMEE). */
  protected abstract settings: ModemSettings;
  /** A command line ended by CR (raw, as typed); `overflow` when it was too long. */
  protected abstract handleLine(raw: string, overflow: boolean): void;
  /** Ctrl-Z ended the prompt (busy is set): send or store its content. */
  protected abstract endPrompt(prompt: Prompt): void;
  /** Command received → response, ms. */
  protected abstract responseDelayMs(): number;

  constructor(
    protected readonly clock: VirtualClock,
    readonly profile: ModemProfile,
    seed: number,
  ) {
    this.noiseRandom = new Random(seed ^ 0x5eed);
  }

  // ----- wiring ---------------------------------------------------------------------------------

  /** Give the modem its TX line (towards the firmware). */
  connect(toFirmware: UartWire): void {
    this.tx = toFirmware;
  }

  /** RX: bytes the firmware wrote. Ignored (but logged) while the modem is off or booting. */
  receive(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.power !== "on") {
      this.logTraffic("to-modem", chunk, "ignored");
      this.bytesIgnored += chunk.length;
      return;
    }
    this.logTraffic("to-modem", chunk);
    for (const b of chunk) {
      if (this.input.length - this.inputHead >= MAX_PENDING_INPUT) this.bytesIgnored++;
      else this.input.push(b);
    }
    this.pump();
  }

  /** Random junk bytes on the line now and then (and, optionally, inside responses). */
  startNoise(options: NoiseOptions = {}): void {
    this.noise = { ...options, token: ++this.noiseToken };
    this.scheduleNoise(this.noise.token);
  }

  stopNoise(): void {
    this.noise = undefined;
    this.noiseToken++;
  }

  /** Write arbitrary bytes to the firmware now (line noise, a stray boot banner...). */
  sendGarbage(bytes: Uint8Array | string): void {
    this.writeOut(typeof bytes === "string" ? bytes : latin1(bytes));
  }

  /** Write a URC now, framed "\r\n<text>\r\n", even in the middle of a response or a prompt. */
  emitUrc(text: string): void {
    this.writeOut(`\r\n${text}\r\n`);
  }

  /** Traffic log as readable lines: "   12.345 s  fw→modem  AT+CMGF=1<CR>". Echo entries are left out unless asked for. */
  trafficLines(options: { echo?: boolean } = {}): string[] {
    const lines: string[] = [];
    for (const e of this.traffic) {
      if (e.kind === "echo" && !options.echo) continue;
      const time = (e.atMs / 1000).toFixed(3).padStart(10);
      const dir = e.direction === "to-modem" ? "fw→modem" : "modem→fw";
      const note = e.kind ? ` (${e.kind})` : "";
      lines.push(`${time} s  ${dir}${note}  ${showControls(e.text)}`);
    }
    return lines;
  }

  // ----- exchange -------------------------------------------------------------------------------

  /** Schedule `action` unless the modem reboots or powers off first. */
  protected schedule(delayMs: number, action: () => void): EventHandle {
    const epoch = this.epoch;
    return this.clock.after(delayMs, () => {
      if (this.epoch === epoch) action();
    });
  }

  /** Power off / reboot: the line and the exchange start afresh. */
  protected resetIo(): void {
    this.input = [];
    this.inputHead = 0;
    this.line = [];
    this.lineOverflow = false;
    this.busy = false;
    this.prompt = undefined;
    this.held = [];
    this.heldNmea = 0;
    this.echoOut = [];
    this.garbageNextResponse = false;
  }

  /** Write a command's outcome after the response delay, then take the next input. */
  protected respond(result: SubResult, line = ""): void {
    this.busy = true;
    this.schedule(this.responseDelayMs(), () => {
      let out = "";
      for (const block of result.blocks ?? []) out += `\r\n${block}\r\n`;
      if (result.prompt) {
        this.writeOut(this.spoil(out));
        this.openPrompt();
        return;
      }
      if (!result.noFinal) out += `\r\n${result.error ? formatError(result.error, this.settings.cmee) : "OK"}\r\n`;
      this.writeOut(this.spoil(out));
      this.finish();
      result.after?.();
    });
    if (result.prompt) {
      this.prompt = { ...result.prompt, line, text: [], afterCr: false, pdu: result.prompt.length !== undefined };
    }
  }

  private openPrompt(): void {
    this.writeOut("\r\n> ");
    this.busy = false;
    this.pump();
  }

  /** End of an exchange: held URCs go out, buffered input is taken. */
  protected finish(): void {
    this.busy = false;
    this.flushUrcs();
    this.pump();
  }

  // ----- noise --------------------------------------------------------------------------------

  private junk(count: number): string {
    let s = "";
    const lineBreaks = this.noise?.lineBreaks ?? false;
    while (s.length < count) {
      const b = this.noiseRandom.int(0, 255);
      if (!lineBreaks && (b === CR || b === LF)) continue;
      s += String.fromCharCode(b);
    }
    this.noiseBytes += count;
    return s;
  }

  private scheduleNoise(token: number): void {
    const n = this.noise;
    if (!n || n.token !== token) return;
    const [min, max] = n.intervalMs ?? [2000, 10_000];
    this.clock.after(this.noiseRandom.int(min, max), () => {
      if (!this.noise || this.noise.token !== token) return;
      const text = this.junk(this.noiseRandom.int(1, n.maxBytes ?? 4));
      this.logTraffic("from-modem", bytesOf(text), "noise");
      this.tx?.write(bytesOf(text));
      this.scheduleNoise(token);
    });
  }

  /** Maybe put junk in the middle of a response (garbage fault, or noise with insideResponses). */
  protected spoil(out: string): string {
    const p = this.noise?.insideResponses ?? 0;
    const forced = this.garbageNextResponse;
    this.garbageNextResponse = false;
    if (out.length < 2 || (!forced && !(p > 0 && this.noiseRandom.next() < p))) return out;
    const at = this.noiseRandom.int(1, out.length - 1);
    return out.slice(0, at) + this.junk(this.noiseRandom.int(1, this.noise?.maxBytes ?? 4)) + out.slice(at);
  }

  // ----- output -------------------------------------------------------------------------------

  protected writeOut(binary: string): void {
    this.flushEcho();
    if (binary.length === 0) return;
    const bytes = bytesOf(binary);
    this.logTraffic("from-modem", bytes);
    this.tx?.write(bytes);
  }

  private flushEcho(): void {
    if (this.echoOut.length === 0) return;
    const bytes = Uint8Array.from(this.echoOut);
    this.echoOut = [];
    this.logTraffic("from-modem", bytes, "echo");
    this.tx?.write(bytes);
  }

  /** "\r\n<text>\r\n", or "\r\r\n<text>\r\r\n" for the profile's CR CR LF URCs. */
  protected frame(text: string): string {
    return this.profile.crCrLfUrcs.some((p) => text.startsWith(p)) ? `\r\r\n${text}\r\r\n` : `\r\n${text}\r\n`;
  }

  /** A URC: held while a command executes or the prompt is open, written at once otherwise. */
  protected urc(text: string): void {
    if (this.power !== "on") return;
    if (this.busy || this.prompt) this.held.push(this.frame(text));
    else this.writeOut(this.frame(text));
  }

  /**
   * One NMEA sentence from the GNSS inside the module, written "<line>\r\n" between other lines:
   * held like a URC while a command executes or the prompt is open. Simplification: at most
   * MAX_HELD_NMEA are held (the oldest are dropped and counted in `nmeaDropped`).
   */
  protected nmea(line: string): void {
    if (this.power !== "on") return;
    if (!this.busy && !this.prompt) return this.writeOut(`${line}\r\n`);
    if (this.heldNmea >= MAX_HELD_NMEA) {
      const oldest = this.held.findIndex((h) => h.startsWith("$"));
      this.held.splice(oldest, 1);
      this.heldNmea--;
      this.nmeaDropped++;
    }
    this.held.push(`${line}\r\n`);
    this.heldNmea++;
  }

  private flushUrcs(): void {
    const held = this.held;
    this.held = [];
    this.heldNmea = 0;
    for (const text of held) this.writeOut(text);
  }

  private logTraffic(direction: TrafficEntry["direction"], bytes: Uint8Array, kind?: TrafficEntry["kind"]): void {
    const now = this.clock.nowMs;
    // Responses, URCs and noise are written in logical units: one entry each.
    if (direction === "from-modem" && kind !== "echo") {
      this.traffic.push(kind ? { atMs: now, direction, text: latin1(bytes), kind } : { atMs: now, direction, text: latin1(bytes) });
      return;
    }
    // Input and echo: merge per line (an entry closes at CR, Ctrl-Z or ESC; the LF of CR LF joins it).
    for (const b of bytes) {
      const last = this.traffic.at(-1);
      const same = last !== undefined && last.direction === direction && last.kind === kind;
      const lastByte = same ? last.text.charCodeAt(last.text.length - 1) : -1;
      const closed = lastByte === CR || lastByte === SUB || lastByte === ESC || lastByte === LF;
      if (same && (!closed || (b === LF && lastByte === CR))) last.text += String.fromCharCode(b);
      else this.traffic.push(kind ? { atMs: now, direction, text: String.fromCharCode(b), kind } : { atMs: now, direction, text: String.fromCharCode(b) });
    }
  }

  // ----- input --------------------------------------------------------------------------------

  private pump(): void {
    while (!this.busy && this.inputHead < this.input.length && this.power === "on") {
      const b = this.input[this.inputHead++]!;
      if (this.prompt) this.promptByte(b);
      else this.lineByte(b);
    }
    if (this.inputHead >= this.input.length) {
      this.input = [];
      this.inputHead = 0;
    }
    this.flushEcho();
  }

  private lineByte(b: number): void {
    if (this.settings.echo) this.echoOut.push(b);
    if (b === CR) {
      const line = this.line;
      const overflow = this.lineOverflow;
      this.line = [];
      this.lineOverflow = false;
      this.flushEcho();
      this.handleLine(latin1(line), overflow);
    } else if (b === LF) {
      // CR LF: the LF is ignored; a lone LF is not a terminator.
    } else if (b === BS) {
      this.line.pop();
    } else if (this.line.length < MAX_LINE) {
      this.line.push(b);
    } else this.lineOverflow = true;
  }

  // ----- CMGS / CMGW prompt -------------------------------------------------------------------

  private promptByte(b: number): void {
    const prompt = this.prompt!;
    if (b === SUB) {
      this.flushEcho();
      this.prompt = undefined;
      this.busy = true;
      this.endPrompt(prompt);
      return;
    }
    if (b === ESC) {
      this.flushEcho();
      this.prompt = undefined;
      this.respond({});
      return;
    }
    if (prompt.pdu) {
      if (b === CR || b === LF || b === 0x20) return;
      if (this.settings.echo) this.echoOut.push(b);
      if (prompt.text.length < MAX_SMS_TEXT_BYTES) prompt.text.push(b);
      return;
    }
    if (b === CR) {
      if (prompt.text.length < MAX_SMS_TEXT_BYTES) prompt.text.push(LINE_BREAK);
      prompt.afterCr = true;
      this.writeOut("\r\n> ");
      return;
    }
    const swallow = b === LF && prompt.afterCr;
    prompt.afterCr = false;
    if (swallow) return;
    if (this.settings.echo) this.echoOut.push(b);
    if (prompt.text.length < MAX_SMS_TEXT_BYTES) prompt.text.push(b);
  }
}

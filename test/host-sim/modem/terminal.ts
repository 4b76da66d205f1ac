/**
 * Test helper (not a test): a tiny scripted serial terminal wired to a VirtualModem over two
 * UartWires on a VirtualClock, as the firmware would be.
 */
import { VirtualClock } from "../../../host-sim/clock.ts";
import { type ChunkPolicy, UartWire } from "../../../host-sim/uart.ts";
import { VirtualPhone } from "../../../host-sim/modem/phone.ts";
import { SmsNetwork, type SmsNetworkOptions } from "../../../host-sim/modem/sms-network.ts";
import { VirtualModem, type VirtualModemOptions } from "../../../host-sim/modem/virtual-modem.ts";

export const MODEM_NUMBER = "+14085550100";
export const OWNER_NUMBER = "+14085550199";

/** A final result code at the end of the received text. */
export const FINAL = /\r\n(OK|ERROR|\+CM[ES] ERROR: [^\r\n]*)\r\n$/;

export interface TerminalOptions {
  modem?: Partial<VirtualModemOptions>;
  network?: SmsNetworkOptions;
  baud?: number;
  chunk?: ChunkPolicy;
}

export class Terminal {
  readonly clock = new VirtualClock();
  readonly network: SmsNetwork;
  readonly modem: VirtualModem;
  readonly owner: VirtualPhone;
  /** Everything the modem sent, one char per byte. */
  received = "";
  private readonly toModem: UartWire;

  constructor(options: TerminalOptions = {}) {
    const baud = options.baud ?? 115200;
    this.network = new SmsNetwork(this.clock, options.network);
    this.modem = new VirtualModem(this.clock, this.network, { number: MODEM_NUMBER, bootMs: 4000, ...options.modem });
    this.owner = new VirtualPhone(this.network, OWNER_NUMBER);
    const fromModem = new UartWire(this.clock, { baud, chunk: options.chunk }, (chunk) => {
      for (const b of chunk) this.received += String.fromCharCode(b);
    });
    this.toModem = new UartWire(this.clock, { baud, chunk: options.chunk }, (chunk) => this.modem.receive(chunk));
    this.modem.connect(fromModem);
  }

  /** Power on and run until the modem is SMS-ready and registered; clears `received`. */
  async boot(): Promise<void> {
    this.modem.powerOn();
    const ok = await this.clock.runUntilCondition(() => this.modem.isSmsReady && this.modem.registration() === 1, 30_000);
    if (!ok) throw new Error("modem did not boot");
    await this.clock.runFor(2000); // PB DONE and friends
    this.received = "";
  }

  /** Write raw text (one byte per char). */
  write(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    this.toModem.write(bytes);
  }

  /**
   * Send `command` + CR and run until `until` matches the text received since, or `limitMs` passes.
   * Returns that text.
   */
  async command(command: string, until: RegExp = FINAL, limitMs = 5000): Promise<string> {
    const mark = this.received.length;
    this.write(`${command}\r`);
    await this.clock.runUntilCondition(() => until.test(this.received.slice(mark)), limitMs);
    return this.received.slice(mark);
  }

  /** Run until `until` matches the text received from now on; returns that text. */
  async waitFor(until: RegExp, limitMs = 10_000): Promise<string> {
    const mark = this.received.length;
    await this.clock.runUntilCondition(() => until.test(this.received.slice(mark)), limitMs);
    return this.received.slice(mark);
  }

  /** Common setup: echo off, text mode, CNMI 2,1. */
  async setupTextMode(): Promise<void> {
    await this.command("ATE0");
    await this.command("AT+CMGF=1");
    await this.command("AT+CNMI=2,1,0,0,0");
    this.received = "";
  }
}

/**
 * The Web Serial API's `SerialPort` (what esptool-js's Transport drives in a browser) over Node's
 * `serialport`: open/close, `readable` and `writable` web streams, setSignals for the DTR/RTS reset
 * dance, getInfo with the USB ids, and the optional in-place `setBaudRate` esptool-js prefers to a
 * reopen. Node 20 has the web streams as globals.
 *
 * Web Serial semantics kept: a signal not named in setSignals keeps its level (serialport's set()
 * would reset it to its default, so both levels are tracked here); after a reader is cancelled,
 * `readable` is a fresh stream while the port stays open; close() ends both streams.
 *
 * Pseudo-terminals and some USB bridges have no modem-control lines: setSignals there cannot reset
 * the chip. That is reported once through `onNotice` and otherwise ignored, so the flasher goes on
 * and syncs with a chip the installer put in download mode by hand.
 */
import type { SerialPort as NodeSerialPort } from "serialport";
import { closeSerial, openSerial } from "./serial-open.ts";
import { usbIdsOf } from "./port-list.ts";

/** Web Serial's SerialOptions (the fields esptool-js passes). */
export interface WebSerialOptions {
  baudRate: number;
  dataBits?: number;
  stopBits?: number;
  parity?: string;
  bufferSize?: number;
  flowControl?: string;
}

/** Web Serial's SerialOutputSignals. */
export interface WebSerialSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

export class WebSerialOverNode {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  /** Notices for the operator (no DTR/RTS on this port...). */
  onNotice: (text: string) => void = () => {};
  private port: NodeSerialPort | undefined;
  private levels = { dtr: false, rts: false, brk: false };
  private signalsUnsupported = false;
  /** Bytes received and sent (for progress and tests). */
  bytesIn = 0;
  bytesOut = 0;

  constructor(
    readonly path: string,
    private readonly what = "the board's USB port",
  ) {}

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    const ids = usbIdsOf(this.path);
    return { ...(ids.vendorId !== undefined ? { usbVendorId: ids.vendorId } : {}), ...(ids.productId !== undefined ? { usbProductId: ids.productId } : {}) };
  }

  async open(options: WebSerialOptions): Promise<void> {
    if (this.port) throw new DOMException("The port is already open.", "InvalidStateError");
    if (options.parity && options.parity !== "none") throw new TypeError(`parity ${options.parity} is not supported`);
    this.port = await openSerial(this.path, { baudRate: options.baudRate, what: this.what });
    this.port.on("data", (data: Buffer) => {
      this.bytesIn += data.length;
      this.enqueue(new Uint8Array(data));
    });
    this.readable = this.newReadable();
    this.writable = this.newWritable();
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    try {
      this.controller?.close();
    } catch {
      // already closed or cancelled
    }
    this.controller = undefined;
    this.readable = null;
    this.writable = null;
    if (port) await closeSerial(port);
  }

  async setSignals(signals: WebSerialSignals): Promise<void> {
    const port = this.requireOpen();
    if (signals.dataTerminalReady !== undefined) this.levels.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) this.levels.rts = signals.requestToSend;
    if (signals.break !== undefined) this.levels.brk = signals.break;
    if (this.signalsUnsupported) return;
    await new Promise<void>((resolve, reject) =>
      port.set({ dtr: this.levels.dtr, rts: this.levels.rts, brk: this.levels.brk }, (e) => {
        if (!e) return resolve();
        if (/Inappropriate ioctl|not supported|ENOTTY|EINVAL/i.test(e.message)) {
          this.signalsUnsupported = true;
          this.onNotice(
            `${this.path} has no DTR/RTS lines (a pseudo-terminal, or an adapter without them): the board cannot be reset into its bootloader from here. ` +
              "If it does not answer, hold its BOOT button, press and release EN (RST), then release BOOT.",
          );
          return resolve();
        }
        reject(e);
      }),
    );
  }

  /** Change the line speed without closing the port (esptool-js's optional capability). */
  async setBaudRate(baudRate: number): Promise<void> {
    const port = this.requireOpen();
    await new Promise<void>((resolve, reject) => port.update({ baudRate }, (e) => (e ? reject(e) : resolve())));
  }

  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;

  private enqueue(bytes: Uint8Array): void {
    try {
      this.controller?.enqueue(bytes);
    } catch {
      // the current stream was cancelled: bytes arriving before the next one is taken are dropped, as in Web Serial
    }
  }

  private newReadable(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.controller = undefined;
        // Web Serial: while the port is open, `readable` is a new stream after a cancel
        if (this.port) this.readable = this.newReadable();
      },
    });
  }

  private newWritable(): WritableStream<Uint8Array> {
    return new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          const port = this.requireOpen();
          this.bytesOut += chunk.length;
          port.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), (e) => {
            if (e) reject(e);
            else port.drain(() => resolve());
          });
        }),
    });
  }

  private requireOpen(): NodeSerialPort {
    if (!this.port) throw new DOMException("The port is closed.", "InvalidStateError");
    return this.port;
  }
}

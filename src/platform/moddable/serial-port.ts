/**
 * SerialPort over an ECMA-419 Serial (embedded:io/serial), as implemented on ESP32 and on Linux
 * (the `lin` simulator build).
 *
 * The ESP32 implementation has no software buffer: read() takes what sits in the 128-byte RX FIFO,
 * and write() throws "output full" when the bytes do not fit the free TX FIFO. So this class
 *  - drains the receiver completely in every onReadable (bytes are lost within ~11 ms at 115200
 *    baud on ESP32);
 *  - queues output in a bounded ring buffer and feeds the transmitter in slices no larger than the
 *    free space it was told about in onWritable(count), so write() never throws for lack of space.
 *
 * The two implementations read and write differently (`io` option):
 *  - "fifo" (ESP32): `read(buffer)` fills one preallocated buffer and returns the count; `write()`
 *    takes a view of the TX queue. Nothing is allocated per chunk.
 *  - "tty" (Linux, a tty opened by `device` path): `read()` returns a new ArrayBuffer (it has no
 *    `read(buffer)`), and `write()` takes an ArrayBuffer only, so each slice is copied into one.
 *
 * The Serial class is passed in (`serial`), so this module imports nothing from Moddable and its
 * queueing logic is unit-tested on Node with fakes of both (test/platform/serial-port.test.ts).
 */
import type { Logger, SerialPort } from "../ports";

/** How a Serial implementation reads and writes (see the module comment). */
export type SerialIoKind = "fifo" | "tty";

/** What this class needs from an ECMA-419 Serial instance (format "buffer"). */
export interface SerialIo {
  /**
   * "fifo": fills `buffer`, returns the byte count or undefined when nothing is waiting.
   * "tty": called without an argument, returns what is waiting as a new ArrayBuffer, or undefined.
   */
  read(buffer?: Uint8Array): number | ArrayBuffer | undefined;
  /** Writes all of `bytes` or throws (ESP32: "output full"; Linux: "would overflow"). */
  write(bytes: Uint8Array | ArrayBuffer): void;
  close(): void;
}

/** Options this class passes to the Serial constructor. */
export interface SerialIoOptions {
  /** UART number (ESP32). */
  port?: number;
  /** GPIO the ESP32 receives on. */
  receive?: number;
  /** GPIO the ESP32 transmits on. */
  transmit?: number;
  /** tty path (Linux). */
  device?: string;
  baud: number;
  format: "buffer";
  onReadable: (count: number) => void;
  onWritable: (count: number) => void;
}

/** An ECMA-419 Serial constructor (`import Serial from "embedded:io/serial"`) or a test fake. */
export type SerialIoConstructor = new (options: SerialIoOptions) => SerialIo;

/** Construction options. */
export interface ModdableSerialPortOptions {
  /** The Serial class to instantiate. */
  serial: SerialIoConstructor;
  /** How it reads and writes: "fifo" (ESP32, the default) or "tty" (Linux). */
  io?: SerialIoKind;
  /** UART number: 1 or 2 on ESP32 (UART0 belongs to the console; 0 is rejected unless `console`). Ignored with `device`. */
  port: number;
  /** True for the provisioning console, the one user of UART0 (release builds only: console-port.ts). */
  console?: boolean;
  /** GPIO the ESP32 receives on. */
  receive: number;
  /** GPIO the ESP32 transmits on. */
  transmit: number;
  /** tty path to open instead of a UART (Linux: a pseudo-terminal in the simulator). */
  device?: string;
  /** Bits per second. */
  baud: number;
  /** Software TX queue size in bytes (default 2048). A write that does not fit is dropped whole. */
  txQueueBytes?: number;
  /** Where to report dropped writes and receiver errors (each kind is logged once). */
  log?: Logger;
  /** Log tag (default "uart<port>"). */
  tag?: string;
}

/** Counters for diagnostics. */
export interface SerialPortStats {
  /** write() calls dropped because the TX queue was full. */
  droppedWrites: number;
  /** Bytes in those dropped writes. */
  droppedBytes: number;
  /** Times the hardware write threw although the slice fitted the reported free space. */
  writeErrors: number;
  /** Times onReceive threw (the exception is caught so the FIFO is still drained). */
  receiveErrors: number;
}

/** Largest number of reads per onReadable (each up to the RX buffer size); bounds a runaway loop. */
const MAX_READS_PER_EVENT = 64;
/** RX buffer: twice the 128-byte hardware FIFO. */
const RX_BUFFER_BYTES = 256;

/** A SerialPort over one UART. Never throws from write(); see the module comment. */
export class ModdableSerialPort implements SerialPort {
  onReceive: ((chunk: Uint8Array) => void) | null = null;

  /** Diagnostics counters (live object). */
  readonly stats: SerialPortStats = { droppedWrites: 0, droppedBytes: 0, writeErrors: 0, receiveErrors: 0 };

  readonly #serial: SerialIo;
  readonly #tty: boolean;
  readonly #rx = new Uint8Array(RX_BUFFER_BYTES);
  readonly #txBuffer: ArrayBuffer;
  readonly #tx: Uint8Array;
  /** Index of the oldest queued byte in #tx. */
  #txHead = 0;
  /** Number of queued bytes. */
  #txSize = 0;
  /** Free TX FIFO bytes we may still write without a throw (from the last onWritable, minus writes since). */
  #txFree = 0;
  readonly #log: Logger | undefined;
  readonly #tag: string;
  #loggedDrop = false;
  #loggedWriteError = false;
  #loggedReceiveError = false;

  constructor(options: ModdableSerialPortOptions) {
    const { port, device } = options;
    if (device === undefined && (!Number.isInteger(port) || port < (options.console === true ? 0 : 1)))
      throw new Error(`serial: port ${port} not allowed (UART0 is the console; use 1 or 2)`);
    const queueBytes = options.txQueueBytes ?? 2048;
    if (!Number.isInteger(queueBytes) || queueBytes < 1)
      throw new Error(`serial: invalid txQueueBytes ${queueBytes}`);
    this.#txBuffer = new ArrayBuffer(queueBytes);
    this.#tx = new Uint8Array(this.#txBuffer);
    this.#log = options.log;
    this.#tag = options.tag ?? (device === undefined ? `uart${port}` : device);
    this.#tty = options.io === "tty";
    const common = {
      baud: options.baud,
      format: "buffer" as const,
      onReadable: (count: number) => this.#onReadable(count),
      onWritable: (count: number) => this.#onWritable(count),
    };
    this.#serial = new options.serial(
      device === undefined ? { port, receive: options.receive, transmit: options.transmit, ...common } : { device, ...common },
    );
  }

  /** Bytes queued and not yet handed to the hardware FIFO. */
  get pendingBytes(): number {
    return this.#txSize;
  }

  /** Queue bytes; they are copied, so the caller may reuse `bytes`. Drops the whole write when the queue is full. */
  write(bytes: Uint8Array): void {
    const length = bytes.length;
    if (length === 0) return;
    const capacity = this.#tx.length;
    if (length > capacity - this.#txSize) {
      this.stats.droppedWrites++;
      this.stats.droppedBytes += length;
      if (!this.#loggedDrop) {
        this.#loggedDrop = true;
        this.#log?.log("warn", this.#tag, `tx queue full: dropped a ${length}-byte write (logged once; see stats)`);
      }
      return;
    }
    let tail = this.#txHead + this.#txSize;
    if (tail >= capacity) tail -= capacity;
    const first = Math.min(length, capacity - tail);
    if (first === length) {
      this.#tx.set(bytes, tail);
    } else {
      this.#tx.set(bytes.subarray(0, first), tail);
      this.#tx.set(bytes.subarray(first), 0);
    }
    this.#txSize += length;
    this.#pump();
  }

  /** Release the UART (queued bytes are discarded). */
  close(): void {
    this.#txSize = 0;
    this.#txFree = 0;
    this.#serial.close();
  }

  #onReadable(_count: number): void {
    const rx = this.#rx;
    for (let i = 0; i < MAX_READS_PER_EVENT; i++) {
      let chunk: Uint8Array;
      if (this.#tty) {
        const buffer = this.#serial.read();
        if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
        chunk = new Uint8Array(buffer);
      } else {
        const n = this.#serial.read(rx);
        if (typeof n !== "number" || n <= 0) return;
        chunk = n === rx.length ? rx : rx.subarray(0, n);
      }
      const receiver = this.onReceive;
      if (receiver === null) continue;
      try {
        receiver(chunk);
      } catch (e) {
        this.stats.receiveErrors++;
        if (!this.#loggedReceiveError) {
          this.#loggedReceiveError = true;
          this.#log?.log("error", this.#tag, `receiver threw: ${String(e)} (logged once; see stats)`);
        }
      }
    }
  }

  #onWritable(count: number): void {
    this.#txFree = count;
    this.#pump();
  }

  /** Move queued bytes into the TX FIFO, never more than it has room for. */
  #pump(): void {
    const tx = this.#tx;
    const capacity = tx.length;
    while (this.#txSize > 0 && this.#txFree > 0) {
      const run = Math.min(this.#txSize, this.#txFree, capacity - this.#txHead);
      try {
        this.#hardwareWrite(this.#txHead, run);
      } catch (e) {
        // Should not happen: free space only grows between onWritable calls. Keep the bytes and wait
        // for the next onWritable. On ESP32 that callback is armed by every successful write, so
        // try one byte: if it fits, onWritable is armed; if even one byte does not fit, the FIFO is
        // full, which only a successful (arming) write can have caused.
        this.stats.writeErrors++;
        this.#txFree = 0;
        if (!this.#loggedWriteError) {
          this.#loggedWriteError = true;
          this.#log?.log("error", this.#tag, `write threw: ${String(e)} (logged once; see stats)`);
        }
        if (run > 1 && this.#writeOneByte()) continue;
        return;
      }
      this.#txFree -= run;
      this.#txSize -= run;
      this.#txHead += run;
      if (this.#txHead === capacity) this.#txHead = 0;
    }
    if (this.#txSize === 0) this.#txHead = 0;
  }

  /** Hand `length` queued bytes from `at` to the Serial: a view ("fifo") or a copy in an ArrayBuffer ("tty"). */
  #hardwareWrite(at: number, length: number): void {
    const tx = this.#tx;
    if (this.#tty) this.#serial.write(this.#txBuffer.slice(at, at + length));
    else this.#serial.write(tx.subarray(at, at + length));
  }

  /** After a failed write: hand the oldest queued byte to the hardware; true if it was accepted. */
  #writeOneByte(): boolean {
    try {
      this.#hardwareWrite(this.#txHead, 1);
    } catch {
      return false;
    }
    this.#txSize -= 1;
    this.#txHead += 1;
    if (this.#txHead === this.#tx.length) this.#txHead = 0;
    return true;
  }
}

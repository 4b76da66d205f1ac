/*
 * embedded:io/serial — ECMA-419 Serial as implemented on ESP32.
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x on ESP32
 * (see /work/shared/reference/moddable.md); not copied from the Moddable typings. Covers only what
 * the firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 *
 * ESP32 facts: no software buffer. read() takes what is in the 128-byte RX FIFO and returns
 * undefined when it is empty; write() throws "output full" if the bytes do not fit the free TX FIFO
 * (never a partial write). 8N1 only; no flow control, no flush()/set()/get(). `port` defaults to 0,
 * which the console/debugger owns: always pass 1 or 2.
 */
declare module "embedded:io/serial" {
  export interface SerialOptions {
    /** UART number (ESP32: 0..2; 0 is the console). */
    port: number;
    /** GPIO the ESP32 receives on. At least one of receive/transmit is required. */
    receive?: number;
    /** GPIO the ESP32 transmits on. */
    transmit?: number;
    /** Bits per second, 1..20 000 000. */
    baud: number;
    /** "buffer" (default): read()/write() take and give buffers; "number": one byte at a time. */
    format?: "buffer" | "number";
    /** Called with the number of bytes waiting in the RX FIFO. Drain it completely. */
    onReadable?: (count: number) => void;
    /** Called with the free bytes in the TX FIFO: after construction and when it drains below 10 bytes. */
    onWritable?: (count: number) => void;
    /** Stored on the instance. */
    target?: unknown;
  }

  export default class Serial {
    constructor(options: SerialOptions);
    /** Everything in the RX FIFO as a new ArrayBuffer, or undefined when it is empty. */
    read(): ArrayBuffer | undefined;
    /** Up to byteLength bytes, or undefined when the FIFO is empty. */
    read(byteLength: number): ArrayBuffer | undefined;
    /** Fills buffer with up to its length; returns the byte count, or undefined when the FIFO is empty. */
    read(buffer: Uint8Array | ArrayBuffer): number | undefined;
    /** Writes all bytes into the TX FIFO or throws "output full" (nothing is written then). */
    write(bytes: Uint8Array | ArrayBuffer | DataView | number): void;
    close(): void;
    format: "buffer" | "number";
  }
}

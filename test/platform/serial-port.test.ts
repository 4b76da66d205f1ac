/**
 * ModdableSerialPort's queueing and draining logic, against a fake ECMA-419 Serial that behaves like
 * the ESP32 implementation (modules/io/serial/esp32/serial.c, SDK 8.2.3): a 128-byte TX FIFO whose
 * write() throws "output full" unless all bytes fit (never a partial write), and a 128-byte RX FIFO
 * whose read(buffer) returns the byte count or undefined when empty.
 */
import { expect } from "chai";
import type { LogLevel, Logger } from "../../src/platform/ports.ts";
import {
  ModdableSerialPort,
  type SerialIo,
  type SerialIoOptions,
} from "../../src/platform/moddable/serial-port.ts";
import { Random } from "../../host-sim/random.ts";

const FIFO_BYTES = 128;

class FakeSerial implements SerialIo {
  static last: FakeSerial | undefined;
  readonly options: SerialIoOptions;
  /** Bytes the hardware has put on the wire, in order. */
  readonly wire: number[] = [];
  /** Sizes of the successful write() calls. */
  readonly slices: number[] = [];
  /** Free space last reported through onWritable. */
  lastReported = 0;
  txUsed = 0;
  throws = 0;
  rx: number[] = [];
  closed = false;

  constructor(options: SerialIoOptions) {
    this.options = options;
    FakeSerial.last = this;
  }

  write(bytes: Uint8Array): void {
    if (bytes.length > FIFO_BYTES - this.txUsed) {
      this.throws++;
      throw new Error("output full");
    }
    this.txUsed += bytes.length;
    this.slices.push(bytes.length);
    for (const b of bytes) this.wire.push(b);
  }

  read(buffer: Uint8Array): number | undefined {
    if (this.rx.length === 0) return undefined;
    const n = Math.min(buffer.length, this.rx.length, FIFO_BYTES);
    buffer.set(this.rx.splice(0, n));
    return n;
  }

  close(): void {
    this.closed = true;
  }

  /** The hardware sends `n` bytes (all by default), then reports the free space as the ISR does. */
  drain(n = this.txUsed): void {
    this.txUsed -= Math.min(n, this.txUsed);
    this.lastReported = FIFO_BYTES - this.txUsed;
    this.options.onWritable(this.lastReported);
  }

  /** Bytes arrive on the RX pin; the driver then calls onReadable. */
  receive(bytes: number[]): void {
    this.rx.push(...bytes);
    this.options.onReadable(Math.min(this.rx.length, FIFO_BYTES));
  }
}

class RecordingLog implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, tag: string, message: string): void {
    this.lines.push(`[${tag}] ${level}: ${message}`);
  }
}

/** Deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

function bytes(length: number, start = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (start + i) & 0xff;
  return out;
}

function open(extra: { txQueueBytes?: number; log?: Logger } = {}): { port: ModdableSerialPort; fake: FakeSerial } {
  const port = new ModdableSerialPort({ serial: FakeSerial, port: 1, receive: 27, transmit: 26, baud: 115200, ...extra });
  return { port, fake: FakeSerial.last! };
}

describe("ModdableSerialPort (fake ESP32 Serial)", () => {
  it("opens the UART with port, pins, baud and buffer format", () => {
    const { fake } = open();
    expect(fake.options).to.include({ port: 1, receive: 27, transmit: 26, baud: 115200, format: "buffer" });
    expect(fake.options.onReadable).to.be.a("function");
    expect(fake.options.onWritable).to.be.a("function");
  });

  it("refuses UART0 (the console)", () => {
    expect(() => new ModdableSerialPort({ serial: FakeSerial, port: 0, receive: 3, transmit: 1, baud: 115200 })).to.throw(/UART0/);
  });

  it("queues until the first onWritable, then feeds at most the reported free space", () => {
    const { port, fake } = open();
    port.write(bytes(300));
    expect(fake.wire).to.have.length(0);
    expect(port.pendingBytes).to.equal(300);
    fake.drain(); // the driver's first onWritable(128)
    expect(fake.wire).to.have.length(128);
    expect(fake.throws).to.equal(0);
    fake.drain(50);
    expect(fake.slices.at(-1)).to.equal(50);
    fake.drain();
    fake.drain();
    expect(fake.wire).to.deep.equal([...bytes(300)]);
    expect(port.pendingBytes).to.equal(0);
    expect(fake.throws).to.equal(0);
  });

  it("writes straight through while the FIFO has room, and never throws for a big write", () => {
    const { port, fake } = open();
    fake.drain();
    port.write(bytes(10));
    expect(fake.wire).to.have.length(10);
    expect(() => port.write(bytes(1000, 10))).not.to.throw();
    while (port.pendingBytes > 0) fake.drain();
    expect(fake.wire).to.deep.equal([...bytes(1010)]);
    expect(fake.throws).to.equal(0);
    expect(Math.max(...fake.slices)).to.be.at.most(FIFO_BYTES);
  });

  it("copies the caller's bytes (the buffer may be reused after write)", () => {
    const { port, fake } = open();
    const buffer = bytes(20);
    port.write(buffer);
    buffer.fill(0xee);
    fake.drain();
    expect(fake.wire).to.deep.equal([...bytes(20)]);
  });

  it("keeps order across ring-buffer wrap with random writes and drains", () => {
    for (const seed of [1, 2, 3, 42]) {
      const rnd = random(seed);
      const { port, fake } = open({ txQueueBytes: 300 });
      const sent: number[] = [];
      let counter = 0;
      for (let step = 0; step < 2000; step++) {
        if (rnd() < 0.5) {
          const length = 1 + Math.floor(rnd() * 90);
          if (length <= 300 - port.pendingBytes) {
            const chunk = bytes(length, counter);
            counter += length;
            sent.push(...chunk);
            port.write(chunk);
          }
        } else {
          fake.drain(Math.floor(rnd() * FIFO_BYTES));
        }
      }
      while (port.pendingBytes > 0) fake.drain();
      expect(fake.wire, `seed ${seed}`).to.deep.equal(sent);
      expect(fake.throws, `seed ${seed}`).to.equal(0);
      expect(port.stats.droppedWrites).to.equal(0);
    }
  });

  it("drops a write that does not fit the queue whole, counts it and logs once", () => {
    const log = new RecordingLog();
    const { port, fake } = open({ txQueueBytes: 2048, log });
    port.write(bytes(2000));
    port.write(bytes(100));
    port.write(bytes(60));
    expect(port.stats).to.include({ droppedWrites: 2, droppedBytes: 160 });
    expect(log.lines).to.have.length(1);
    expect(log.lines[0]).to.match(/^\[uart1\] warn: tx queue full/);
    port.write(bytes(48, 2000 & 0xff)); // exactly fills the queue
    while (port.pendingBytes > 0) fake.drain();
    expect(fake.wire).to.deep.equal([...bytes(2000), ...bytes(48, 2000 & 0xff)]);
  });

  it("recovers when the hardware throws although the slice should fit", () => {
    const log = new RecordingLog();
    const { port, fake } = open({ log });
    fake.drain(); // reported 128 free
    fake.txUsed = 100; // someone else filled the FIFO behind our back
    expect(() => port.write(bytes(60))).not.to.throw();
    expect(port.stats.writeErrors).to.equal(1);
    expect(log.lines.some((l) => l.includes("write threw"))).to.equal(true);
    while (port.pendingBytes > 0) fake.drain();
    expect(fake.wire).to.deep.equal([...bytes(60)]);
  });

  it("drains the RX FIFO completely in one onReadable, in order, with chunks valid during the call", () => {
    const { port, fake } = open();
    const received: number[] = [];
    let calls = 0;
    port.onReceive = (chunk) => {
      calls++;
      received.push(...chunk);
    };
    const incoming = [...bytes(600)];
    fake.receive(incoming);
    expect(fake.rx).to.have.length(0);
    expect(received).to.deep.equal(incoming);
    expect(calls).to.be.greaterThan(1);
  });

  it("still drains when there is no receiver or the receiver throws", () => {
    const log = new RecordingLog();
    const { port, fake } = open({ log });
    fake.receive([1, 2, 3]);
    expect(fake.rx).to.have.length(0);
    port.onReceive = () => {
      throw new Error("boom");
    };
    fake.receive([...bytes(400)]);
    fake.receive([...bytes(10)]);
    expect(fake.rx).to.have.length(0);
    expect(port.stats.receiveErrors).to.be.greaterThan(1);
    expect(log.lines.filter((l) => l.includes("receiver threw"))).to.have.length(1);
  });

  it("close() releases the UART and drops queued bytes", () => {
    const { port, fake } = open();
    port.write(bytes(10));
    port.close();
    expect(fake.closed).to.equal(true);
    expect(port.pendingBytes).to.equal(0);
  });
});

/**
 * The Linux implementation (modules/io/serial/lin/serial.c, SDK 8.2.3), which the lin build opens by
 * device path: read() takes no buffer and returns a new ArrayBuffer of what is waiting (undefined
 * when nothing is); write() takes an ArrayBuffer only, refuses more than 1024 bytes or a write while
 * one is still pending ("would overflow"), and onWritable(1024) comes once the tty took the bytes.
 */
class FakeTty implements SerialIo {
  static last: FakeTty | undefined;
  readonly options: SerialIoOptions;
  readonly wire: number[] = [];
  readonly writes: string[] = [];
  rx: number[] = [];
  pending = false;
  throws = 0;

  constructor(options: SerialIoOptions) {
    this.options = options;
    FakeTty.last = this;
  }

  read(buffer?: Uint8Array): ArrayBuffer | undefined {
    if (buffer !== undefined) throw new Error("the lin Serial has no read(buffer)");
    if (this.rx.length === 0) return undefined;
    return Uint8Array.from(this.rx.splice(0, this.rx.length)).buffer;
  }

  write(bytes: Uint8Array | ArrayBuffer): void {
    if (!(bytes instanceof ArrayBuffer)) throw new TypeError("argument: not an ArrayBuffer instance");
    if (bytes.byteLength > 1024 || this.pending) {
      this.throws++;
      throw new Error("would overflow");
    }
    this.writes.push(`${bytes.byteLength}`);
    this.wire.push(...new Uint8Array(bytes));
    this.pending = true;
  }

  close(): void {}

  /** The tty took the pending bytes: onWritable(1024), as the G_IO_OUT watch does. */
  flush(): void {
    this.pending = false;
    this.options.onWritable(1024);
  }
}

describe("ModdableSerialPort (fake Linux tty Serial, the lin build)", () => {
  function openTty(): { port: ModdableSerialPort; fake: FakeTty } {
    const port = new ModdableSerialPort({ serial: FakeTty, io: "tty", port: 0, receive: -1, transmit: -1, device: "modem.tty", baud: 115200, txQueueBytes: 4096 });
    return { port, fake: FakeTty.last! };
  }

  it("opens the tty by path (no port or pins), in buffer format", () => {
    const { fake } = openTty();
    expect(fake.options).to.include({ device: "modem.tty", baud: 115200, format: "buffer" });
    expect(fake.options).to.not.have.property("port");
  });

  it("reads what read() returns, whatever its size", () => {
    const { port, fake } = openTty();
    const received: number[] = [];
    port.onReceive = (chunk) => received.push(...chunk);
    fake.rx.push(...bytes(1500));
    fake.options.onReadable(1500);
    expect(received).to.deep.equal([...bytes(1500)]);
  });

  it("writes ArrayBuffers of at most the space onWritable reported, one at a time, never throwing", () => {
    const { port, fake } = openTty();
    port.write(bytes(3000));
    expect(fake.wire).to.have.length(0); // nothing before the first onWritable
    while (port.pendingBytes > 0) fake.flush();
    expect(fake.wire).to.deep.equal([...bytes(3000)]);
    expect(fake.writes).to.deep.equal(["1024", "1024", "952"]);
    expect(fake.throws).to.equal(0);
  });
});

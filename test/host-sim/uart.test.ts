import { expect } from "chai";
import { VirtualClock } from "../../host-sim/clock.ts";
import { BURST_MAX_MS, UART_RX_CHUNK_BYTES, UartWire, type ChunkPolicy } from "../../host-sim/uart.ts";

interface Arrival {
  atMs: number;
  bytes: Uint8Array;
}

function setup(baud: number, chunk?: ChunkPolicy) {
  const clock = new VirtualClock();
  const arrivals: Arrival[] = [];
  const wire = new UartWire(clock, chunk === undefined ? { baud } : { baud, chunk }, (bytes) => {
    arrivals.push({ atMs: clock.nowMs, bytes });
  });
  const received = () => Buffer.concat(arrivals.map((a) => a.bytes));
  return { clock, wire, arrivals, received };
}

function pattern(n: number, offset = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + offset) & 0xff);
}

describe("host-sim UartWire", () => {
  it("at 9600 baud (8N1) a byte takes 1.0417 ms: 100 bytes written at t=0 have all arrived at ~104.17 ms", async () => {
    const { clock, wire, arrivals, received } = setup(9600);
    expect(wire.durationMs(1)).to.be.closeTo(1.0417, 1e-4);
    expect(wire.durationMs(100)).to.be.closeTo(104.17, 0.01);
    const data = pattern(100);
    wire.write(data);
    await clock.runUntil(104.1);
    expect(received().length).to.be.lessThan(100);
    await clock.runUntil(104.2);
    expect(received()).to.deep.equal(Buffer.from(data));
    expect(arrivals.at(-1)!.atMs).to.be.closeTo(104.1667, 1e-3);
    // default chunking is the ESP32 RX FIFO's 96-byte threshold: the first chunk arrives when its
    // 96th byte has been sent, the rest when the write ends
    expect(arrivals.map((a) => a.bytes.length)).to.deep.equal([UART_RX_CHUNK_BYTES, 100 - UART_RX_CHUNK_BYTES]);
    expect(UART_RX_CHUNK_BYTES).to.equal(96);
    expect(arrivals[0]!.atMs).to.be.closeTo(96 * (10 / 9.6), 1e-6);
    expect(wire.bytesCarried).to.equal(100);
  });

  it("hands over plain Uint8Arrays, as the device's UART does, even when a Node Buffer was written", async () => {
    const { clock, wire, arrivals } = setup(115_200, 4);
    const written = Buffer.from("$GNRMC,1");
    wire.write(written);
    written.fill(0); // the writer may reuse its buffer: what is on the line is a copy
    await clock.runUntil(10);
    expect(arrivals.map((a) => Object.getPrototypeOf(a.bytes) === Uint8Array.prototype)).to.deep.equal([true, true]);
    expect(Buffer.concat(arrivals.map((a) => a.bytes)).toString()).to.equal("$GNRMC,1");
  });

  it("the time per byte scales with the baud rate", async () => {
    const { clock, wire, arrivals } = setup(115_200, 1);
    wire.write(pattern(3));
    await clock.runUntil(1);
    expect(arrivals.map((a) => a.atMs)).to.have.length(3);
    arrivals.forEach((a, i) => expect(a.atMs).to.be.closeTo(((i + 1) * 10_000) / 115_200, 1e-9));
  });

  it("chunk size 7 delivers ceil(n/7) chunks whose concatenation equals the input", async () => {
    for (const n of [1, 6, 7, 8, 50, 100]) {
      const { clock, wire, arrivals, received } = setup(9600, 7);
      const data = pattern(n, n);
      wire.write(data);
      await clock.runFor(1000);
      expect(arrivals, `n=${n}`).to.have.length(Math.ceil(n / 7));
      expect(arrivals.slice(0, -1).every((a) => a.bytes.length === 7), `n=${n}`).to.equal(true);
      expect(received(), `n=${n}`).to.deep.equal(Buffer.from(data));
      // each chunk arrives when its last byte has gone over the line
      let sent = 0;
      for (const a of arrivals) {
        sent += a.bytes.length;
        expect(a.atMs).to.be.closeTo(wire.durationMs(sent), 1e-9);
      }
    }
  });

  it("random chunking is reproducible from its seed and uses sizes 1..64", async () => {
    const runWith = async (seed: number) => {
      const { clock, wire, arrivals, received } = setup(9600, { random: seed });
      const data = pattern(5000);
      wire.write(data.subarray(0, 3000));
      wire.write(data.subarray(3000));
      await clock.runFor(10_000);
      expect(received()).to.deep.equal(Buffer.from(data));
      return arrivals.map((a) => a.bytes.length);
    };
    const a = await runWith(7);
    const b = await runWith(7);
    const c = await runWith(8);
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
    for (const sizes of [a, c]) {
      expect(sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= 64)).to.equal(true);
      // not a fixed size: the sizes actually vary over the whole range
      expect(new Set(sizes).size).to.be.greaterThan(20);
      expect(Math.min(...sizes)).to.be.lessThan(10);
      expect(Math.max(...sizes)).to.be.greaterThan(55);
    }
  });

  it("back-to-back writes queue behind each other on the line", async () => {
    const { clock, wire, arrivals, received } = setup(9600, 4);
    const first = pattern(10, 1);
    const second = pattern(10, 101);
    wire.write(first);
    await clock.runUntil(2); // the line is still busy with the first write
    wire.write(second);
    await clock.runFor(1000);
    expect(received()).to.deep.equal(Buffer.concat([first, second]));
    const firstDoneAt = arrivals[2]!.atMs; // chunks 4+4+2 of the first write
    expect(firstDoneAt).to.be.closeTo(wire.durationMs(10), 1e-9);
    expect(arrivals.slice(3).every((a) => a.atMs > firstDoneAt)).to.equal(true);
    // the second write starts when the first has finished, not when it was written
    expect(arrivals.at(-1)!.atMs).to.be.closeTo(wire.durationMs(20), 1e-9);
  });

  it("a write on an idle line starts at the time of the write", async () => {
    const { clock, wire, arrivals } = setup(9600, 64);
    wire.write(pattern(2));
    await clock.runUntil(500);
    wire.write(pattern(3));
    await clock.runFor(1000);
    expect(arrivals).to.have.length(2);
    expect(arrivals[1]!.atMs).to.be.closeTo(500 + wire.durationMs(3), 1e-9);
  });

  it("the writer may reuse its buffer after write()", async () => {
    const { clock, wire, received } = setup(9600, 3);
    const buffer = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    wire.write(buffer);
    buffer.fill(0xee);
    wire.write(buffer.subarray(0, 2));
    buffer.fill(0);
    await clock.runFor(100);
    expect([...received()]).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 0xee, 0xee]);
  });

  it("an empty write delivers nothing and does not occupy the line", async () => {
    const { clock, wire, arrivals } = setup(9600, 8);
    wire.write(new Uint8Array(0));
    await clock.runFor(100);
    expect(arrivals).to.have.length(0);
    expect(clock.nextEventMs()).to.equal(undefined);
  });

  it("rejects an invalid baud rate or chunk size with a RangeError", () => {
    const clock = new VirtualClock();
    const sink = () => {};
    for (const baud of [0, -9600, Number.NaN]) {
      expect(() => new UartWire(clock, { baud }, sink), `baud ${baud}`).to.throw(RangeError);
    }
    for (const chunk of [0, -1, 1.5, Number.NaN]) {
      expect(() => new UartWire(clock, { baud: 9600, chunk }, sink), `chunk ${chunk}`).to.throw(RangeError);
    }
    expect(() => new UartWire(clock, { baud: 9600, chunk: 1 }, sink)).to.not.throw();
    expect(() => new UartWire(clock, { baud: 9600, chunk: { random: 3 } }, sink)).to.not.throw();
  });
  describe("burst mode (a burstReader set)", () => {
    function burstSetup() {
      const clock = new VirtualClock();
      const idle: number[] = [];
      const wire = new UartWire(clock, { baud: 10_000, chunk: 4 }, () => expect.fail("no chunk goes to the sink"));
      wire.burstReader = { lineIdle: () => void idle.push(clock.nowMs) };
      return { clock, wire, idle };
    }

    it("tells the reader once when a write has arrived; takeArrived gives the chunks with their times, once", async () => {
      const { clock, wire, idle } = burstSetup();
      wire.write(pattern(10)); // 1 ms a byte: chunks end at 4, 8, 10
      await clock.runUntil(6);
      const first = wire.takeArrived();
      expect(first.map((c) => [c.atMs, c.bytes.length])).to.deep.equal([[4, 4]]);
      await clock.runUntil(50);
      expect(idle).to.deep.equal([10]);
      const rest = wire.takeArrived();
      expect(rest.map((c) => [c.atMs, c.bytes.length])).to.deep.equal([[8, 4], [10, 2]]);
      expect(Buffer.concat([...first, ...rest].map((c) => c.bytes))).to.deep.equal(Buffer.from(pattern(10)));
      expect(wire.takeArrived()).to.deep.equal([]);
    });

    it("writes back to back are one burst (told at the end of the last); a line that never rests is told every BURST_MAX_MS", async () => {
      const { clock, wire, idle } = burstSetup();
      wire.write(pattern(5));
      wire.write(pattern(5));
      await clock.runUntil(100);
      expect(idle).to.deep.equal([10]);
      wire.takeArrived();
      // 600 bytes (600 ms) every 500 ms: the line never goes idle
      for (let t = 200; t < 3000; t += 500) {
        await clock.runUntil(t);
        wire.write(pattern(600));
      }
      await clock.runUntil(2900);
      const told = idle.slice(1);
      expect(told.length).to.be.greaterThan(0);
      expect(told.every((t, i) => i === 0 || t - told[i - 1]! <= BURST_MAX_MS + 600)).to.equal(true);
    });
  });
});

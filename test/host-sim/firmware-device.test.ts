import { expect } from "chai";
import { VirtualClock } from "../../host-sim/clock.ts";
import { NodeEngine } from "../../host-sim/engines/node-engine.ts";
import type { EngineStep, FirmwareEngine } from "../../host-sim/engines/engine.ts";
import { FirmwareDevice } from "../../host-sim/firmware-device.ts";
import { UartWire } from "../../host-sim/uart.ts";
import {
  RecordKind,
  type WireRecord,
  asciiDecode,
  asciiEncode,
  asciiJson,
  decodeMessage,
  encodeMessage,
  f64Bytes,
  utf8Encode,
} from "../../host-sim/guest/wire-format.ts";

function countAt(text: string): number {
  return text.split("AT\r").length - 1;
}

function nodeDevice(options: ConstructorParameters<typeof FirmwareDevice>[2] = {}) {
  const clock = new VirtualClock();
  const engine = new NodeEngine();
  const device = new FirmwareDevice(clock, engine, options);
  const modemTx: { atMs: number; text: string }[] = [];
  const gnssTx: Uint8Array[] = [];
  device.modemTx = (bytes) => modemTx.push({ atMs: clock.nowMs, text: Buffer.from(bytes).toString("latin1") });
  device.gnssTx = (bytes) => gnssTx.push(bytes);
  const sent = () => modemTx.map((m) => m.text).join("");
  return { clock, engine, device, modemTx, gnssTx, sent };
}

/** An engine that answers every step with scripted records and remembers what it was sent. */
class ScriptedEngine implements FirmwareEngine {
  readonly name = "node" as const;
  readonly requests: { nowMs: number; records: WireRecord[] }[] = [];
  constructor(private readonly answer: (stepIndex: number) => WireRecord[]) {}
  async step(message: Uint8Array): Promise<EngineStep> {
    const decoded = decodeMessage(message.slice(), true);
    this.requests.push(decoded);
    return { response: encodeMessage(this.answer(this.requests.length - 1)) };
  }
  async close(): Promise<void> {}
}

const json = (value: unknown): WireRecord => ({ kind: RecordKind.StoreWrite, bytes: asciiEncode(asciiJson(value)) });
const nextTimer = (ms: number): WireRecord => ({ kind: RecordKind.NextTimer, bytes: f64Bytes(ms) });

/** An engine that, like xsnap, refuses a request while one is in flight, and answers after a macrotask. */
class OneAtATimeEngine implements FirmwareEngine {
  readonly name = "xs" as const;
  busy = false;
  steps = 0;
  async step(): Promise<EngineStep> {
    if (this.busy) throw new Error("XS engine: overlapping requests");
    this.busy = true;
    await new Promise((resolve) => setImmediate(resolve));
    this.busy = false;
    this.steps++;
    return { response: encodeMessage([]) };
  }
  async close(): Promise<void> {}
}

describe("host-sim FirmwareDevice", () => {
  it("serialises steps, whatever the caller's timing (piped console input stepped the engine twice at once)", async () => {
    const engine = new OneAtATimeEngine();
    const device = new FirmwareDevice(new VirtualClock(), engine);
    await Promise.all([device.boot(), device.receiveModem(new Uint8Array([0x41])), device.receiveGnss(new Uint8Array([0x24])), device.receiveModem(new Uint8Array([0x0d]))]);
    expect(engine.steps).to.equal(4);
  });

  describe("with the firmware on the Node engine", () => {
    it("boot() with an empty store: state modem-init, modemPowerOn=1, no faults", async () => {
      const { device, clock } = nodeDevice();
      const states: string[] = [];
      const pins: string[] = [];
      device.onStateChange = (s) => states.push(s);
      device.onPin = (pin, value) => pins.push(`${pin}=${value}`);
      await device.boot();
      expect(device.state).to.equal("modem-init");
      expect(states).to.deep.equal(["modem-init"]);
      expect(device.pinWrites).to.deep.include({ atMs: 0, pin: "modemPowerOn", value: 1 });
      expect(pins).to.include("modemPowerOn=1");
      expect(device.faults).to.deep.equal([]);
      expect(device.logs.length).to.be.greaterThan(0);
      expect(device.logs.every((l) => l.atMs === 0 && l.level !== "" && l.tag !== "")).to.equal(true);
      expect(device.store).to.deep.equal({});
      expect(clock.nowMs).to.equal(0);
    });

    it("bytes the firmware writes to the modem UART reach the modemTx sink: AT\\r soon after boot", async () => {
      const { device, clock, modemTx, sent } = nodeDevice();
      await device.boot();
      await clock.runFor(100);
      expect(countAt(sent())).to.be.greaterThanOrEqual(1);
      expect(modemTx[0]!.text.startsWith("AT\r")).to.equal(true);
      expect(modemTx[0]!.atMs).to.be.at.most(100);
    });

    it("schedules the firmware's next timer on the clock: advancing 1 s brings AT retries", async () => {
      const { device, clock, sent } = nodeDevice();
      await device.boot();
      const pending = clock.nextEventMs();
      expect(pending, "a firmware timer is scheduled on the virtual clock").to.be.a("number");
      expect(pending!).to.be.greaterThan(0);
      await clock.runFor(100);
      const early = countAt(sent());
      await clock.runFor(1000);
      const after1s = countAt(sent());
      expect(after1s).to.be.greaterThan(early);
      await clock.runFor(5000);
      expect(countAt(sent())).to.be.greaterThan(after1s + 3); // ~1 retry a second while the modem is silent
      expect(device.state).to.equal("modem-init");
      expect(device.faults).to.deep.equal([]);
    });

    it("the firmware's store writes come back into device.store", async () => {
      const { device, clock } = nodeDevice({ installer: { installerOwnerNumber: "(408) 555-0199" } });
      expect(device.store).to.deep.equal({});
      await device.boot();
      await clock.runFor(10);
      const keys = Object.keys(device.store);
      expect(keys).to.have.length.greaterThan(0);
      expect(keys.every((k) => k.startsWith("cfg."))).to.equal(true);
      expect(JSON.stringify(device.store)).to.include("+14085550199");
      expect(device.faults).to.deep.equal([]);
    });

    it("a halted device stops stepping the firmware", async () => {
      const { device, clock, modemTx } = nodeDevice();
      await device.boot();
      await clock.runFor(1500);
      const before = modemTx.length;
      device.halt();
      await clock.runFor(10_000);
      expect(modemTx.length).to.equal(before);
      expect(clock.nextEventMs()).to.equal(undefined);
    });
  });

  describe("with a scripted engine", () => {
    it("sends the virtual time and boot config (store as ASCII JSON) in the boot step", async () => {
      const clock = new VirtualClock();
      await clock.runUntil(250);
      const engine = new ScriptedEngine(() => []);
      const device = new FirmwareDevice(clock, engine, { store: { "cfg.a": "naïve 😀", n: 3 } });
      await device.boot();
      expect(engine.requests).to.have.length(1);
      const [request] = engine.requests;
      expect(request!.nowMs).to.equal(250);
      expect(request!.records).to.have.length(1);
      expect(request!.records[0]!.kind).to.equal(RecordKind.Boot);
      const text = asciiDecode(request!.records[0]!.bytes);
      expect(/^[\x00-\x7f]*$/.test(text)).to.equal(true);
      expect(JSON.parse(text).store).to.deep.equal({ "cfg.a": "naïve 😀", n: 3 });
    });

    it("applies store writes and deletes (non-ASCII values intact) to device.store", async () => {
      const clock = new VirtualClock();
      const engine = new ScriptedEngine((i) =>
        i === 0
          ? [json({ key: "cfg.b", value: "owner é 😀" }), json({ key: "n", value: 7 }), json({ key: "cfg.a", deleted: true })]
          : [],
      );
      const initial = { "cfg.a": "old" };
      const device = new FirmwareDevice(clock, engine, { store: initial });
      await device.boot();
      expect(device.store).to.deep.equal({ "cfg.b": "owner é 😀", n: 7 });
      expect(initial).to.deep.equal({ "cfg.a": "old" }); // the options object is not modified
    });

    it("records logs, pins, state changes, faults and forwards UART output", async () => {
      const clock = new VirtualClock();
      const engine = new ScriptedEngine(() => [
        { kind: RecordKind.Log, bytes: utf8Encode("info\tsms\tmessage with\ttab é") },
        { kind: RecordKind.Pin, bytes: asciiEncode("modemPowerKey=1") },
        { kind: RecordKind.State, bytes: asciiEncode("ready") },
        { kind: RecordKind.Fault, bytes: utf8Encode("Error: boom") },
        { kind: RecordKind.Modem, bytes: asciiEncode("AT+CMGF=1\r") },
        { kind: RecordKind.Gnss, bytes: asciiEncode("$PCAS\r\n") },
      ]);
      const device = new FirmwareDevice(clock, engine);
      const modem: string[] = [];
      const gnss: string[] = [];
      device.modemTx = (b) => modem.push(asciiDecode(b));
      device.gnssTx = (b) => gnss.push(asciiDecode(b));
      await device.boot();
      expect(device.logs).to.deep.equal([{ atMs: 0, level: "info", tag: "sms", message: "message with\ttab é" }]);
      expect(device.pinWrites).to.deep.equal([{ atMs: 0, pin: "modemPowerKey", value: 1 }]);
      expect(device.state).to.equal("ready");
      expect(device.faults).to.deep.equal(["Error: boom"]);
      expect(modem).to.deep.equal(["AT+CMGF=1\r"]);
      expect(gnss).to.deep.equal(["$PCAS\r\n"]);
    });

    it("steps the firmware when its timer is due, reschedules and cancels it as the firmware says", async () => {
      const clock = new VirtualClock();
      // boot → timer at 1000; modem step at 200 → timer moved to 500; timer step at 500 → timer 2000;
      // the step at 2000 → no timer.
      const script = [[nextTimer(1000)], [nextTimer(500)], [nextTimer(2000)], []];
      const engine = new ScriptedEngine((i) => script[i] ?? []);
      const device = new FirmwareDevice(clock, engine);
      await device.boot();
      expect(clock.nextEventMs()).to.equal(1000);
      await clock.runUntil(200);
      await device.receiveModem(asciiEncode("OK\r\n"));
      expect(clock.nextEventMs()).to.equal(500);
      await clock.runUntil(5000);
      expect(engine.requests.map((r) => r.nowMs)).to.deep.equal([0, 200, 500, 2000]);
      expect(engine.requests[1]!.records.map((r) => [r.kind, asciiDecode(r.bytes)])).to.deep.equal([[RecordKind.Modem, "OK\r\n"]]);
      expect(engine.requests[2]!.records).to.deep.equal([]); // a timer step carries no records
      expect(clock.nextEventMs()).to.equal(undefined);
    });

    it("receiveGnss sends a GNSS record with the current time", async () => {
      const clock = new VirtualClock();
      const engine = new ScriptedEngine(() => []);
      const device = new FirmwareDevice(clock, engine);
      await clock.runUntil(42);
      await device.receiveGnss(asciiEncode("$GNRMC"));
      expect(engine.requests).to.have.length(1);
      expect(engine.requests[0]!.nowMs).to.equal(42);
      expect(engine.requests[0]!.records.map((r) => [r.kind, asciiDecode(r.bytes)])).to.deep.equal([[RecordKind.Gnss, "$GNRMC"]]);
    });

    it("with a burst line: one step per burst, each chunk with its arrival time", async () => {
      const clock = new VirtualClock();
      const engine = new ScriptedEngine(() => []);
      const device = new FirmwareDevice(clock, engine);
      const line = new UartWire(clock, { baud: 10_000, chunk: 4 }, () => expect.fail("no chunk goes to the sink"));
      device.gnssLine = line;
      line.burstReader = device;
      await clock.runUntil(10);
      line.write(asciiEncode("$GNRMC,1\r\n")); // 10 bytes at 1 ms a byte: chunks at 14, 18, 20
      await clock.runUntil(100);
      expect(engine.requests).to.have.length(1);
      expect(engine.requests[0]!.nowMs).to.equal(20);
      const records = engine.requests[0]!.records.map((r) => [r.atMs, asciiDecode(r.bytes)]);
      expect(records).to.deep.equal([[14, "$GNR"], [18, "MC,1"], [undefined, "\r\n"]]); // the last arrived at the step's time
    });

    it("with a burst line: a modem step first takes the GNSS chunks that have arrived", async () => {
      const clock = new VirtualClock();
      const engine = new ScriptedEngine(() => []);
      const device = new FirmwareDevice(clock, engine);
      const line = new UartWire(clock, { baud: 10_000, chunk: 4 }, () => {});
      device.gnssLine = line;
      line.burstReader = device;
      line.write(asciiEncode("$GPGGA,2")); // chunks at 4 and 8
      await clock.runUntil(5);
      await device.receiveModem(asciiEncode("OK\r\n"));
      await clock.runUntil(100);
      const records = (i: number) => engine.requests[i]!.records.map((r) => [r.atMs, asciiDecode(r.bytes)]);
      expect(records(0)).to.deep.equal([[4, "$GPG"], [undefined, "OK\r\n"]]);
      expect(records(1)).to.deep.equal([[undefined, "GA,2"]]); // arrived at the step's time
      expect(engine.requests.map((r) => r.nowMs)).to.deep.equal([5, 8]);
    });
  });
});

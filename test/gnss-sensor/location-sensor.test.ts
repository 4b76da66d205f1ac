/**
 * LocationSensor (src/gnss/location-sensor.ts): the ECMA-419-shaped GNSS driver, over a fake
 * ECMA-419 Serial class (buffer format, read() returns what the "FIFO" holds) and over an injected
 * SerialPort. Sentences are real: nmea-fuzzy-cases.log / nmea-rtk.log (Trimble RTK, gpsd corpus)
 * and ublox-neo-m9n-nmea.log.
 */
import { expect } from "chai";
import {
  LocationSensor,
  toSample,
  type LocationSerialIo,
  type LocationSerialIoOptions,
} from "../../src/gnss/location-sensor.ts";
import type { Clock, SerialPort, TimerHandle } from "../../src/platform/ports.ts";

// nmea-fuzzy-cases.log (gpsd corpus), one epoch
const RMC_1 = "$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1A";
const GGA_1 = "$GPGGA,132820.60,4134.49821229,N,09345.03351845,W,2,09,1.0,278.020,M,-31.442,M,7.6,0133*7E";
// ublox-neo-m9n-nmea.log: course empty when stationary
const RMC_2 = "$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E";
const GGA_2 = "$GNGGA,223745.00,3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000*44";
// no fix (telit-he910.log / generic u-blox)
const RMC_V = "$GPRMC,,V,,,,,,,,,,N*53";
const GGA_0 = "$GPGGA,,,,,,0,,,,M,,M,,*66";

function bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** A fake ECMA-419 Serial: `deliver()` fills its FIFO and fires onReadable; read() drains up to 128 bytes. */
class FakeSerial implements LocationSerialIo {
  static last: FakeSerial | undefined;
  readonly options: LocationSerialIoOptions;
  fifo: number[] = [];
  closed = false;
  throwOnRead = false;
  constructor(options: LocationSerialIoOptions) {
    this.options = options;
    FakeSerial.last = this;
  }
  read(): ArrayBuffer | undefined {
    if (this.throwOnRead) throw new Error("uart failure");
    if (this.fifo.length === 0) return undefined;
    const n = Math.min(128, this.fifo.length);
    return new Uint8Array(this.fifo.splice(0, n)).buffer;
  }
  close(): void {
    this.closed = true;
  }
  /** Bytes arrive in `chunk`-sized interrupts. */
  deliver(text: string, chunk = 37): void {
    const b = bytes(text);
    for (let i = 0; i < b.length; i += chunk) {
      this.fifo.push(...b.subarray(i, i + chunk));
      this.options.onReadable(this.fifo.length);
    }
  }
}

class FakeClock implements Clock {
  nowMs = 1000;
  monotonicMs(): number {
    return this.nowMs;
  }
  utcMs(): number | undefined {
    return undefined;
  }
  setUtcMs(): void {}
  setTimer(): TimerHandle {
    return {};
  }
  clearTimer(): void {}
}

const lines = (...ls: string[]) => ls.map((l) => `${l}\r\n`).join("");

function open(extra: Partial<ConstructorParameters<typeof LocationSensor>[0]> = {}) {
  const clock = new FakeClock();
  let samples = 0;
  const sensor = new LocationSensor({
    sensor: { io: FakeSerial, port: 2, receive: 34, baud: 9600 },
    clock,
    onSample() {
      samples++;
    },
    ...extra,
  });
  const serial = FakeSerial.last!;
  return { sensor, serial, clock, samples: () => samples };
}

describe("gnss-sensor: LocationSensor (ECMA-419 shape)", () => {
  it("opens the Serial from options.sensor with the given port, pins and baud, buffer format", () => {
    const { serial } = open();
    expect(serial.options).to.include({ port: 2, receive: 34, baud: 9600, format: "buffer" });
    expect(serial.options).to.not.have.property("transmit");
    expect(serial.options.onReadable).to.be.a("function");
  });

  it("defaults to 9600 baud", () => {
    new LocationSensor({ sensor: { io: FakeSerial, port: 1, receive: 5 } });
    expect(FakeSerial.last!.options.baud).to.equal(9600);
  });

  it("sample() is undefined before the first fix", () => {
    const { sensor, serial } = open();
    expect(sensor.sample()).to.equal(undefined);
    serial.deliver(lines(RMC_V, GGA_0));
    expect(sensor.sample()).to.equal(undefined);
  });

  it("returns the Pebble Location sample shape with units converted", () => {
    const { sensor, serial, samples } = open();
    serial.deliver(lines(RMC_1, GGA_1));
    expect(samples()).to.equal(1);
    const s = sensor.sample()!;
    expect(s.latitude).to.be.closeTo(41 + 34.49821229 / 60, 1e-9);
    expect(s.longitude).to.be.closeTo(-(93 + 45.03351845 / 60), 1e-9);
    expect(s.altitude).to.be.closeTo(278.02, 1e-9); // metres MSL
    expect(s.accuracy).to.be.closeTo(5, 1e-9); // HDOP 1.0 × 5 m
    expect(s.heading).to.be.closeTo(92.308, 1e-9); // degrees true
    expect(s.speed).to.be.closeTo((3.252 * 1852) / 3600, 1e-9); // knots → m/s
    expect(s.timestamp).to.equal(Date.UTC(2020, 2, 18, 13, 28, 20, 600));
  });

  it("returns a NEW object on each call", () => {
    const { sensor, serial } = open();
    serial.deliver(lines(RMC_1, GGA_1));
    const a = sensor.sample()!;
    const b = sensor.sample()!;
    expect(a).to.not.equal(b);
    expect(a).to.deep.equal(b);
    a.latitude = 0;
    expect(sensor.sample()!.latitude).to.not.equal(0);
  });

  it("leaves out what the receiver did not report (empty course → no heading)", () => {
    const { sensor, serial } = open();
    serial.deliver(lines(RMC_2, GGA_2));
    const s = sensor.sample()!;
    expect(s).to.not.have.property("heading");
    expect(s.speed).to.be.closeTo((0.04 * 1852) / 3600, 1e-9);
    expect(s.accuracy).to.be.closeTo(0.54 * 5, 1e-9);
  });

  it("calls onSample once per new valid fix, with this = the sensor and no arguments", () => {
    const calls: { self: unknown; args: number }[] = [];
    const sensor = new LocationSensor({
      sensor: { io: FakeSerial, port: 2, receive: 34 },
      clock: new FakeClock(),
      onSample(this: LocationSensor, ...args: unknown[]) {
        calls.push({ self: this, args: args.length });
      },
    });
    FakeSerial.last!.deliver(lines(RMC_V, GGA_0, RMC_1, GGA_1, RMC_2, GGA_2), 1);
    expect(calls).to.have.length(2);
    expect(calls[0]!.self).to.equal(sensor);
    expect(calls[0]!.args).to.equal(0);
  });

  it("sample() is undefined again when the receiver reports no fix", () => {
    const { sensor, serial } = open();
    serial.deliver(lines(RMC_1, GGA_1));
    expect(sensor.sample()).to.not.equal(undefined);
    serial.deliver(lines(RMC_V, GGA_0));
    expect(sensor.sample()).to.equal(undefined);
    expect(sensor.fix?.valid).to.equal(false);
  });

  it("honours maximumAge (ms) from the options and configure()", () => {
    const { sensor, serial, clock } = open({ maximumAge: 2000 });
    serial.deliver(lines(RMC_1, GGA_1));
    clock.nowMs += 2000;
    expect(sensor.sample()).to.not.equal(undefined);
    clock.nowMs += 1;
    expect(sensor.sample()).to.equal(undefined);
    sensor.configure({ maximumAge: 60_000 });
    expect(sensor.sample()).to.not.equal(undefined);
    sensor.configure({ maximumAge: -5 }); // ignored
    expect(sensor.sample()).to.not.equal(undefined);
  });

  it("survives hostile bytes: junk, bad checksums, overlong lines; never calls onSample for them", () => {
    const { sensor, serial, samples } = open();
    const junk = "\x00\xff$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1B\r\n" +
      "$".repeat(3) + "A".repeat(600) + "\r\n\x1b[2J$GPGGA,*00\r\n";
    expect(() => serial.deliver(junk, 5)).to.not.throw();
    expect(samples()).to.equal(0);
    expect(sensor.sample()).to.equal(undefined);
    expect(sensor.counters().checksumErrors).to.be.greaterThan(0);
  });

  it("a throwing onSample is caught and counted; the sensor keeps working", () => {
    const { sensor, serial } = open({
      onSample() {
        throw new Error("app bug");
      },
    });
    expect(() => serial.deliver(lines(RMC_1, GGA_1, RMC_2, GGA_2))).to.not.throw();
    expect(sensor.callbackErrors).to.equal(2);
    expect(sensor.sample()!.latitude).to.be.closeTo(38.110494, 1e-6);
  });

  it("reports a failing serial read through onError once; close() still works", () => {
    const errors: unknown[] = [];
    const { sensor, serial } = open({ onError: (e) => void errors.push(e) });
    serial.throwOnRead = true;
    serial.deliver("$GP", 3);
    serial.deliver("RMC", 3);
    expect(errors).to.have.length(1);
    expect(String(errors[0])).to.include("uart failure");
    sensor.close();
    expect(serial.closed).to.equal(true);
  });

  it("forwards the Serial's own onError", () => {
    const errors: unknown[] = [];
    const { serial } = open({ onError: (e) => void errors.push(e) });
    serial.options.onError!(new Error("overrun"));
    expect(errors).to.have.length(1);
  });

  it("close() releases the UART, stops sampling and is idempotent", () => {
    const { sensor, serial, samples } = open();
    serial.deliver(lines(RMC_1, GGA_1));
    sensor.close();
    sensor.close();
    expect(serial.closed).to.equal(true);
    expect(sensor.sample()).to.equal(undefined);
    serial.deliver(lines(RMC_2, GGA_2));
    expect(samples()).to.equal(1);
  });

  it("accepts an injected SerialPort (this firmware's ports) and detaches on close", () => {
    const port: SerialPort = { onReceive: null, write() {} };
    let samples = 0;
    const sensor = new LocationSensor({ sensor: port, clock: new FakeClock(), onSample: () => void samples++ });
    expect(port.onReceive).to.be.a("function");
    const b = bytes(lines(RMC_1, GGA_1));
    for (let i = 0; i < b.length; i += 7) port.onReceive!(b.subarray(i, i + 7));
    expect(samples).to.equal(1);
    expect(sensor.sample()!.altitude).to.be.closeTo(278.02, 1e-9);
    sensor.close();
    expect(port.onReceive).to.equal(null);
  });

  it("throws on construction without options.sensor, as ECMA-419 constructors do", () => {
    expect(() => new LocationSensor(undefined as never)).to.throw(TypeError);
    expect(() => new LocationSensor({} as never)).to.throw(TypeError);
    expect(() => new LocationSensor({ sensor: { io: 42 } } as never)).to.throw(TypeError);
  });

  it("chunking does not change the samples (1, 7, 37, 128 bytes per interrupt)", () => {
    const stream = lines(RMC_V, GGA_0, RMC_1, GGA_1, RMC_2, GGA_2);
    const results = [1, 7, 37, 128].map((chunk) => {
      const { sensor, serial, samples } = open();
      serial.deliver(stream, chunk);
      return JSON.stringify({ n: samples(), s: sensor.sample() });
    });
    expect(new Set(results).size).to.equal(1);
  });

  it("toSample() converts any Fix without sharing state", () => {
    const { sensor, serial } = open();
    serial.deliver(lines(RMC_1, GGA_1));
    const fix = sensor.fix!;
    expect(toSample(fix)).to.deep.equal(sensor.sample());
    expect(Object.isFrozen(fix)).to.equal(true);
  });
});

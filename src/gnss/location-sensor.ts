/**
 * An NMEA GNSS receiver as an ECMA-419-style sensor, shaped like Moddable's Pebble
 * `embedded:sensor/Location` (build/devices/pebble/modules/location): other Moddable applications
 * can use it as it is.
 *
 * ```js
 * import Serial from "embedded:io/serial";
 * import { LocationSensor } from "location-sensor";
 * const gnss = new LocationSensor({
 *   sensor: { io: Serial, port: 2, receive: 34, baud: 9600 },
 *   onSample() { const s = this.sample(); if (s) trace(`${s.latitude} ${s.longitude}\n`); },
 *   onError(e) { trace(`gnss: ${e}\n`); },
 * });
 * ```
 *
 * `options.sensor` is either the ECMA-419 serial options `{io, port, receive, transmit, baud}`
 * (the class comes in through `io`, so this module imports nothing from Moddable and runs on Node
 * too), or an already open {@link SerialPort} of this firmware's ports (detected by its `onReceive`
 * property). Bytes go through {@link GnssReceiver} (line reader → NMEA parser → epoch merge).
 *
 * Callbacks, not promises. Nothing here throws on bad input: damaged NMEA is counted and dropped
 * by the receiver. The constructor throws (as ECMA-419 constructors do) only on unusable options
 * (no `sensor`, or the Serial constructor itself throws). `onError` reports a failure of the serial
 * port (its read throwing, or its own `onError`): after it, only `close()` is meaningful.
 */
import type { Clock, Logger, SerialPort, TimerHandle } from "../platform/ports";
import { UERE_M, type Fix } from "./fix";
import { GnssReceiver, type GnssCounters } from "./fix-tracker";

/**
 * One location sample (Pebble `embedded:sensor/Location` shape). A new object per `sample()` call.
 * Optional members are absent when the receiver did not report them.
 */
export interface LocationSample {
  /** Degrees, WGS-84, north positive. */
  latitude: number;
  /** Degrees, WGS-84, east positive. */
  longitude: number;
  /** Metres above mean sea level. */
  altitude?: number;
  /** Estimated horizontal accuracy, metres (HDOP × 5 m UERE). */
  accuracy?: number;
  /** Course over ground, degrees true (0..360). */
  heading?: number;
  /** Ground speed, metres per second. */
  speed?: number;
  /** UTC time of the fix, ms since the Unix epoch (absent while the receiver has no date). */
  timestamp?: number;
}

/** What this class needs of an ECMA-419 Serial instance in "buffer" format. */
export interface LocationSerialIo {
  /** Everything in the receive FIFO as an ArrayBuffer, or undefined when empty. */
  read(): ArrayBuffer | undefined;
  close(): void;
}

/** Options handed to the Serial constructor. */
export interface LocationSerialIoOptions {
  port?: number;
  receive?: number;
  transmit?: number;
  baud: number;
  format: "buffer";
  onReadable: (count: number) => void;
  onError?: (error?: unknown) => void;
}

/** An ECMA-419 Serial class (`import Serial from "embedded:io/serial"`, `device.io.Serial`) or a test fake. */
export type LocationSerialIoClass = new (options: LocationSerialIoOptions) => LocationSerialIo;

/** ECMA-419 serial IO options of the receiver's UART. */
export interface LocationSerialOptions {
  /** The Serial class. */
  io: LocationSerialIoClass;
  /** UART number (ESP32: 1 or 2; UART0 is the console). */
  port?: number;
  /** GPIO receiving the receiver's TX. */
  receive?: number;
  /** GPIO to the receiver's RX (optional: this driver only listens). */
  transmit?: number;
  /** Bits per second (default 9600, the usual NMEA rate). */
  baud?: number;
}

/** Settings for `configure()` (Pebble names). */
export interface LocationConfiguration {
  /**
   * Oldest fix `sample()` still returns, ms since it was received (default 10,000). A receiver that
   * stops talking (or stops advancing its time) makes `sample()` return undefined after this.
   */
  maximumAge?: number;
  /** Accepted for Pebble compatibility; a GNSS receiver always runs at its full accuracy. */
  enableHighAccuracy?: boolean;
}

/** Constructor options. */
export interface LocationSensorOptions extends LocationConfiguration {
  /** The receiver's UART: ECMA-419 serial options, or an open SerialPort of this firmware. */
  sensor: LocationSerialOptions | SerialPort;
  /** Called (with `this` = the sensor, no arguments) on each new valid fix: call `sample()`. */
  onSample?: (this: LocationSensor) => void;
  /** Called when the serial port fails; the instance is then unusable except for `close()`. */
  onError?: (this: LocationSensor, error: unknown) => void;
  /** Monotonic time for fix ages (default: Date.now()). */
  clock?: Clock;
  /** Log sink (default: none). */
  log?: Logger;
  /** Firmware build date, ms since the Unix epoch, for GPS week-rollover repair (see GnssReceiver). */
  buildDateMs?: number;
}

/** Default `maximumAge`, ms. */
export const DEFAULT_MAXIMUM_AGE_MS = 10_000;
/** Default baud rate of an NMEA receiver. */
export const DEFAULT_GNSS_BAUD = 9600;
/** Reads per onReadable at most (each returns everything available): bounds a runaway port. */
const MAX_READS_PER_EVENT = 16;

const SILENT: Logger = Object.freeze({ log(): void {} });

/** A Clock with only monotonic time (Date.now()); timers are not used by the receiver. */
const DATE_CLOCK: Clock = Object.freeze({
  monotonicMs: (): number => Date.now(),
  utcMs: (): number | undefined => undefined,
  setUtcMs(): void {},
  setTimer: (): TimerHandle => ({}),
  clearTimer(): void {},
});

function isSerialPort(sensor: LocationSerialOptions | SerialPort): sensor is SerialPort {
  return "onReceive" in sensor && typeof (sensor as SerialPort).write === "function";
}

/** ECMA-419-style GNSS location sensor over an NMEA UART. See the module comment. */
export class LocationSensor {
  /** Called on each new valid fix (no arguments; `this` is the sensor). */
  onSample: ((this: LocationSensor) => void) | undefined;
  /** Called when the serial port fails. */
  onError: ((this: LocationSensor, error: unknown) => void) | undefined;

  readonly #receiver: GnssReceiver;
  readonly #clock: Clock;
  #serial: LocationSerialIo | undefined = undefined;
  #port: SerialPort | undefined = undefined;
  #maximumAgeMs = DEFAULT_MAXIMUM_AGE_MS;
  #closed = false;
  #failed = false;
  /** Exceptions thrown by onSample (caught). */
  callbackErrors = 0;

  /** Opens the UART (or attaches to the given port). Throws on unusable options, like ECMA-419 sensors. */
  constructor(options: LocationSensorOptions) {
    if (options === null || typeof options !== "object" || options.sensor === null || typeof options.sensor !== "object") {
      throw new TypeError("LocationSensor: options.sensor required");
    }
    this.onSample = options.onSample;
    this.onError = options.onError;
    this.#clock = options.clock ?? DATE_CLOCK;
    const log = options.log ?? SILENT;
    this.#receiver =
      options.buildDateMs === undefined
        ? new GnssReceiver(this.#clock, log)
        : new GnssReceiver(this.#clock, log, { buildDateMs: options.buildDateMs });
    this.#receiver.onFix = (fix) => this.#onFix(fix);
    this.configure(options);

    const sensor = options.sensor;
    if (isSerialPort(sensor)) {
      this.#port = sensor;
      sensor.onReceive = (chunk) => this.#feed(chunk);
      return;
    }
    if (typeof sensor.io !== "function") throw new TypeError("LocationSensor: options.sensor.io must be a Serial class");
    const ioOptions: LocationSerialIoOptions = {
      baud: sensor.baud ?? DEFAULT_GNSS_BAUD,
      format: "buffer",
      onReadable: () => this.#onReadable(),
      onError: (error) => this.#fail(error ?? new Error("serial error")),
    };
    if (sensor.port !== undefined) ioOptions.port = sensor.port;
    if (sensor.receive !== undefined) ioOptions.receive = sensor.receive;
    if (sensor.transmit !== undefined) ioOptions.transmit = sensor.transmit;
    this.#serial = new sensor.io(ioOptions);
  }

  /** Change settings (see {@link LocationConfiguration}); invalid values are ignored. */
  configure(options: LocationConfiguration): void {
    if (options === null || typeof options !== "object") return;
    const age = options.maximumAge;
    if (typeof age === "number" && age >= 0) this.#maximumAgeMs = age;
  }

  /**
   * The current location as a new object, or undefined when there is no valid fix: the latest epoch
   * reported no fix, the fix is older than `maximumAge`, or the sensor is closed.
   */
  sample(): LocationSample | undefined {
    if (this.#closed) return undefined;
    const fix = this.#receiver.latest();
    if (fix === undefined || !fix.valid) return undefined;
    if (this.#clock.monotonicMs() - fix.receivedAtMs > this.#maximumAgeMs) return undefined;
    return toSample(fix);
  }

  /** The receiver's counters (lines, checksum errors, fixes published, ...), for diagnostics. */
  counters(): GnssCounters {
    return this.#receiver.counters();
  }

  /** The last published Fix (valid or not) with all its fields, undefined before the first epoch. */
  get fix(): Fix | undefined {
    return this.#receiver.latest();
  }

  /** Stop listening and release the UART (an injected SerialPort is detached, not closed). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const serial = this.#serial;
    this.#serial = undefined;
    if (serial !== undefined) {
      try {
        serial.close();
      } catch {
        // already closed or failed: nothing more to release
      }
    }
    const port = this.#port;
    this.#port = undefined;
    if (port !== undefined) port.onReceive = null;
  }

  #feed(chunk: Uint8Array): void {
    if (!this.#closed && !this.#failed) this.#receiver.feed(chunk);
  }

  #onReadable(): void {
    const serial = this.#serial;
    if (serial === undefined || this.#failed) return;
    for (let i = 0; i < MAX_READS_PER_EVENT; i++) {
      let data: ArrayBuffer | undefined;
      try {
        data = serial.read();
      } catch (error) {
        this.#fail(error);
        return;
      }
      if (data === undefined || data.byteLength === 0) return;
      this.#receiver.feed(new Uint8Array(data));
    }
  }

  #onFix(fix: Fix): void {
    if (!fix.valid || this.#closed) return;
    const callback = this.onSample;
    if (callback === undefined) return;
    try {
      callback.call(this);
    } catch {
      this.callbackErrors++;
    }
  }

  #fail(error: unknown): void {
    if (this.#failed || this.#closed) return;
    this.#failed = true;
    const callback = this.onError;
    if (callback === undefined) return;
    try {
      callback.call(this, error);
    } catch {
      this.callbackErrors++;
    }
  }
}

/** Fix → a new sample object (units converted: km/h → m/s; accuracy from HDOP when not given). */
export function toSample(fix: Fix): LocationSample {
  const sample: LocationSample = { latitude: fix.latitudeDeg, longitude: fix.longitudeDeg };
  if (fix.altitudeM === fix.altitudeM) sample.altitude = fix.altitudeM;
  const given = fix.accuracyM;
  const accuracy = typeof given === "number" && given === given ? given : fix.hdop > 0 ? fix.hdop * UERE_M : NaN;
  if (accuracy === accuracy) sample.accuracy = accuracy;
  if (fix.courseDeg === fix.courseDeg) sample.heading = fix.courseDeg;
  if (fix.speedKmh === fix.speedKmh) sample.speed = fix.speedKmh / 3.6;
  if (fix.utcMs === fix.utcMs) sample.timestamp = fix.utcMs;
  return sample;
}

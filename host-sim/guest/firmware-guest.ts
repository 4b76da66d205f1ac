/**
 * The firmware guest: boots the real Tracker (src/) over simulator ports and answers step messages
 * (see wire-format.ts). The same class runs in Node (NodeEngine) and inside XS (XsEngine), so both
 * engines execute identical firmware and identical glue. Runs on XS: no Node or DOM APIs.
 */
import type { FromArrayBuffer } from "../../src/gnss/ascii-text.ts";
import { Tracker, type TrackerOptions } from "../../src/app/tracker.ts";
import { attachConsole } from "../../src/console/attach-console.ts";
import type { StoredValue } from "../../src/platform/ports.ts";
import { SimClock, SimLogger, SimPin, SimRandom, SimRingInput, SimSerialPort, SimStore, SimVehiclePower } from "./sim-ports.ts";
import {
  RecordKind,
  type WireRecord,
  asciiDecode,
  asciiEncode,
  asciiJson,
  decodeMessage,
  encodeMessage,
  f64Bytes,
  parsePower,
  readF64,
  utf8Encode,
} from "./wire-format.ts";

/** Boot configuration sent by the host. */
export interface BootConfig {
  /** Persistent store contents (what was in flash at power-on). */
  store: Record<string, string | number | boolean>;
  /** Install-time settings, as the device build's config would give them. */
  tracker?: TrackerOptions;
  /** Seed of the firmware's random source (salts, one-time codes); differs per boot. */
  randomSeed?: number;
}

export class FirmwareGuest {
  private readonly clock = new SimClock();
  private readonly gnss = new SimSerialPort();
  private readonly modem = new SimSerialPort();
  /** The provisioning console's port (console/attach-console.ts), open at every boot. */
  private readonly console = new SimSerialPort();
  private readonly logger = new SimLogger();
  /** The board's supply and backup-cell readings (Power records); hardware: kept across firmware resets. */
  readonly power = new SimVehiclePower();
  /** The modem's RI line (Ring records): wired on every simulated board; the host pulses it only when asked (SimulationOptions.ringLine). */
  private readonly ring = new SimRingInput();
  private store = new SimStore();
  private tracker: Tracker | undefined;
  private out: WireRecord[] = [];
  private lastState = "";
  /** The NextTimer record's time and bytes in the last response (the host only reads them). */
  private nextTimerMs = NaN;
  private nextTimerBytes: Uint8Array = f64Bytes(NaN);

  /**
   * `fromArrayBuffer`: the bytes → string converter the firmware's NMEA reader uses where the realm
   * has no `String.fromArrayBuffer` (the Node engine gives the device's semantics; XS has its own).
   */
  constructor(private readonly fromArrayBuffer?: FromArrayBuffer) {
    this.logger.onLine = (level, tag, message) =>
      this.out.push({ kind: RecordKind.Log, bytes: utf8Encode(`${level}\t${tag}\t${message}`) });
    this.clock.onUtcSet = (utcMs) => this.out.push({ kind: RecordKind.UtcSet, bytes: f64Bytes(utcMs) });
  }

  /** Handle one step message and return the response message. Never throws. */
  handle(message: Uint8Array): Uint8Array {
    const { nowMs, records } = decodeMessage(message, true);
    return encodeMessage(this.handleRecords(nowMs, records));
  }

  /**
   * {@link handle} without the byte encoding, for an engine in the host's own process: the step's
   * records at `nowMs` in, the response's records out. Never throws.
   */
  handleRecords(nowMs: number, records: readonly WireRecord[]): WireRecord[] {
    // A record arrives at its own time (WireRecord.atMs), else at the message's. Once a message's
    // records carry times, the timers due by a record's time fire before it (a timer a chunk set
    // fires before the next chunk, or before a modem record that arrived later).
    const clock = this.clock;
    let timed = false;
    for (const record of records) {
      if (record.atMs !== undefined) timed = true;
      const atMs = record.atMs ?? nowMs;
      if (atMs > clock.nowMs) clock.nowMs = atMs;
      if (timed && clock.firstDueMs <= clock.nowMs) clock.runDue(this.onTimerError);
      try {
        if (record.kind === RecordKind.Boot) this.boot(JSON.parse(asciiDecode(record.bytes)) as BootConfig);
        else if (record.kind === RecordKind.Gnss) this.gnss.deliver(record.bytes);
        else if (record.kind === RecordKind.Modem) this.modem.deliver(record.bytes);
        else if (record.kind === RecordKind.Console) this.console.deliver(record.bytes);
        else if (record.kind === RecordKind.Ring) this.ring.fall();
        else if (record.kind === RecordKind.Power) {
          const reading = parsePower(record.bytes);
          this.power.update(reading.vehicleMv, reading.batteryMv);
        }
      } catch (e) {
        this.fault(e);
      }
    }
    if (nowMs > clock.nowMs) clock.nowMs = nowMs;
    if (clock.firstDueMs <= clock.nowMs) clock.runDue(this.onTimerError);
    return this.respond();
  }

  /** Boot (again: a reset drops the running firmware, its timers and UART handlers first). */
  private boot(config: BootConfig): void {
    this.clock.reset();
    this.gnss.onReceive = null;
    this.modem.onReceive = null;
    this.console.onReceive = null;
    this.gnss.takeWritten();
    this.modem.takeWritten();
    this.console.takeWritten();
    this.lastState = "";
    this.store = new SimStore(config.store as Record<string, StoredValue>);
    this.store.onChange = (key, value) =>
      this.out.push({
        kind: RecordKind.StoreWrite,
        bytes: asciiEncode(asciiJson(value === undefined ? { key, deleted: true } : { key, value })),
      });
    const pin = (name: string) => {
      const p = new SimPin(name);
      p.onWrite = (n, v) => this.out.push({ kind: RecordKind.Pin, bytes: asciiEncode(`${n}=${v}`) });
      return p;
    };
    const random = new SimRandom(config.randomSeed ?? 1);
    this.tracker = new Tracker({
      gnss: this.gnss,
      modem: this.modem,
      clock: this.clock,
      store: this.store,
      log: this.logger,
      pins: { modemPowerKey: pin("modemPowerKey"), modemPowerOn: pin("modemPowerOn") },
      random,
      power: this.power,
      ring: this.ring,
    }, this.fromArrayBuffer ? { ...config.tracker, fromArrayBuffer: this.fromArrayBuffer } : config.tracker);
    this.tracker.start();
    attachConsole(this.tracker, { port: this.console, clock: this.clock, random, log: this.logger });
  }

  /** An exception escaped a firmware timer (one function for every step: nothing allocated per step). */
  private readonly onTimerError = (e: unknown): void => this.fault(e);

  private fault(e: unknown): void {
    const text = e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e);
    this.out.push({ kind: RecordKind.Fault, bytes: utf8Encode(text) });
  }

  /** The response's records: what the firmware did since the last step. */
  private respond(): WireRecord[] {
    const records = this.out;
    this.out = [];
    const gnssTx = this.gnss.takeWritten();
    if (gnssTx.length) records.push({ kind: RecordKind.Gnss, bytes: gnssTx });
    const modemTx = this.modem.takeWritten();
    if (modemTx.length) records.push({ kind: RecordKind.Modem, bytes: modemTx });
    const consoleTx = this.console.takeWritten();
    if (consoleTx.length) records.push({ kind: RecordKind.Console, bytes: consoleTx });
    const state = this.tracker?.state ?? "";
    if (state !== this.lastState) {
      this.lastState = state;
      records.push({ kind: RecordKind.State, bytes: asciiEncode(state) });
    }
    const next = this.clock.firstDueMs;
    if (next !== Infinity) {
      // usually the timer of the last step: its bytes are made again only when it changes
      if (next !== this.nextTimerMs) {
        this.nextTimerMs = next;
        this.nextTimerBytes = f64Bytes(next);
      }
      records.push({ kind: RecordKind.NextTimer, bytes: this.nextTimerBytes });
    }
    return records;
  }
}

export { readF64 };

/**
 * The firmware as a device in the simulation, stepped: it owns an engine (Node or XS) running the
 * firmware guest, steps it on the virtual clock whenever bytes arrive on its UARTs or one of its
 * timers is due, and puts what it writes back on the wires. Everything it logs, stores and does is
 * recorded.
 */
import type { VirtualClock, EventHandle } from "./clock.ts";
import type { FirmwareEngine } from "./engines/engine.ts";
import type { PowerReading } from "../src/platform/ports.ts";
import { RecordKind, type WireRecord, asciiEncode, asciiJson, decodeMessage, encodeMessage, powerText, readF64 } from "./guest/wire-format.ts";
import type { TimedChunk } from "./uart.ts";
import type { DeviceTrackerOptions, LogLine, PinWrite, StepMeter, TrackerDevice } from "./tracker-device.ts";

export type { DeviceTrackerOptions, LogLine, StepMeter } from "./tracker-device.ts";

export interface FirmwareDeviceOptions {
  /** Flash contents at power-on (settings). */
  store?: Record<string, string | number | boolean>;
  /** Build configuration passed to the firmware at boot (TrackerOptions). */
  tracker?: DeviceTrackerOptions;
  /** Install-time settings only (older spelling; merged under `tracker`). */
  installer?: { installerOwnerNumber?: string; installerHomeCountryCode?: string };
  /** Seed of the firmware's random source; each boot adds its count, so salts and codes differ per boot. Default 1. */
  seed?: number;
}

type Sink = (bytes: Uint8Array) => void;

/**
 * When a new reading reaches the firmware (a Power record on the next step): at once when a rail
 * jumped by POWER_JUMP_MV or more (a crank, a cut, a restore) or became measured / unmeasured;
 * otherwise when it drifted by POWER_CHANGE_MV or more and POWER_REFRESH_MS (the firmware's polling
 * interval) have passed since the last record. The records ride on steps that happen anyway (none
 * are added). Each costs the XS guest about 830 computrons, like any record; the ADC noise (±30 mV)
 * would otherwise put one on most steps of a drive (~25 000 an hour, +2.5 % computrons); this way
 * there are at most about 1 800 an hour.
 */
export const POWER_CHANGE_MV = 20;
export const POWER_JUMP_MV = 250;
export const POWER_REFRESH_MS = 2000;

/** How far a rail moved from `b` to `a`, mV (Infinity when it became measured or unmeasured). */
function moved(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? (Number.isNaN(a) === Number.isNaN(b) ? 0 : Infinity) : Math.abs(a - b);
}

/** UTF-8 bytes of a response record as text. */
function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("utf8");
}

/** GNSS chunks as records, each with its arrival time when that was before `nowMs` (WireRecord.atMs). */
function gnssRecords(chunks: readonly TimedChunk[], nowMs: number): WireRecord[] {
  const records: WireRecord[] = [];
  for (const chunk of chunks) {
    records.push(chunk.atMs < nowMs ? { kind: RecordKind.Gnss, bytes: chunk.bytes, atMs: chunk.atMs } : { kind: RecordKind.Gnss, bytes: chunk.bytes });
  }
  return records;
}

export class FirmwareDevice implements TrackerDevice {
  readonly logs: LogLine[] = [];
  /** Exceptions that escaped the firmware (a defect: tests require none). */
  readonly faults: string[] = [];
  readonly pinWrites: PinWrite[] = [];
  readonly meters: StepMeter[] = [];
  /** Persistent store as the firmware left it. */
  readonly store: Record<string, string | number | boolean>;
  state = "";
  /** Where the firmware's UART output goes (set by the simulation). */
  gnssTx: Sink | null = null;
  modemTx: Sink | null = null;
  /** Where the firmware's provisioning-console output goes (set by the simulation). */
  consoleTx: Sink | null = null;
  /** Called for each log line as it happens. */
  onLog: ((line: LogLine) => void) | null = null;
  onStateChange: ((state: string) => void) | null = null;
  /** Called for each pin write (e.g. the modem's power key). */
  onPin: ((pin: string, value: number) => void) | null = null;
  /**
   * What the board's ADC reads at a time (the simulation's vehicle model), or null: the firmware's
   * power port reads NaN. Sampled at every step, before the firmware runs (so a firmware timer that
   * polls the port sees the reading of its own instant); sent as a Power record only on change
   * (POWER_CHANGE_MV), so it adds no steps and few bytes.
   */
  powerSource: ((nowMs: number) => PowerReading) | null = null;
  /** Power records sent so far, the last reading sent (NaN before the first) and when. */
  powerRecordsSent = 0;
  lastPowerSent: PowerReading = { vehicleMv: NaN, batteryMv: NaN };
  private lastPowerSentMs = -Infinity;
  /** Build configuration sent at every boot (undefined: the firmware's defaults). */
  readonly trackerOptions: DeviceTrackerOptions | undefined;
  private timerEvent: EventHandle | undefined;
  /** The last step queued (see step). */
  private stepping: Promise<void> = Promise.resolve();
  private timerDueMs: number | undefined;
  private closed = false;
  private readonly seed: number;
  /** Boots so far (the random source's seed moves on with each). */
  private boots = 0;

  constructor(
    private readonly clock: VirtualClock,
    readonly engine: FirmwareEngine,
    options: FirmwareDeviceOptions = {},
  ) {
    this.store = { ...(options.store ?? {}) };
    const merged = { ...options.installer, ...options.tracker };
    this.trackerOptions = Object.keys(merged).length > 0 ? merged : undefined;
    this.seed = options.seed ?? 1;
  }

  /** "node" or "xs": the engine stepping the guest. */
  get engineName(): string {
    return this.engine.name;
  }

  /** Power on: boot the firmware with the current store contents. */
  boot(): Promise<void> {
    const randomSeed = (this.seed + 7919 * this.boots++) >>> 0;
    const config = asciiJson({ store: this.store, tracker: this.trackerOptions, randomSeed });
    return this.step([{ kind: RecordKind.Boot, bytes: asciiEncode(config) }], "boot");
  }

  /** Reset: the guest drops the running firmware (and its timers) and boots it again from the store. */
  restart(): Promise<void> {
    this.state = "";
    return this.boot();
  }

  /** Stop stepping and close the engine. */
  async close(): Promise<void> {
    this.halt();
    await this.engine.close();
  }

  /** Bytes arriving on the firmware's GNSS UART. */
  receiveGnss(chunk: Uint8Array): Promise<void> {
    return this.step([{ kind: RecordKind.Gnss, bytes: chunk }], "gnss");
  }

  /**
   * The GNSS line when it hands bytes over a burst at a time (UartWire.burstReader): every step
   * first takes the chunks that have arrived on it, each with its arrival time, so the firmware
   * gets each at its own time with its timers firing in between; only what it writes in answer
   * leaves at the step's time. One step an epoch instead of one a chunk (about 10 at 9600 baud):
   * the XS engine's steps are round trips to another process.
   */
  gnssLine: { takeArrived(): TimedChunk[] } | null = null;

  /** The GNSS line went idle (UartWire.burstReader): a step hands the burst over. */
  lineIdle(): Promise<void> {
    return this.step([], "gnss");
  }

  /** Bytes arriving on the firmware's modem UART. */
  receiveModem(chunk: Uint8Array): Promise<void> {
    return this.step([{ kind: RecordKind.Modem, bytes: chunk }], "modem");
  }

  /** Bytes arriving on the firmware's provisioning-console port. */
  receiveConsole(chunk: Uint8Array): Promise<void> {
    return this.step([{ kind: RecordKind.Console, bytes: chunk }], "console");
  }

  /** A falling edge on the modem's RI line (the firmware's RingInput). */
  ring(): Promise<void> {
    return this.step([{ kind: RecordKind.Ring, bytes: new Uint8Array(0) }], "ring");
  }

  /**
   * The firmware's live heap after a full garbage collection, in slots, taken between steps (XS
   * only; undefined on an engine that cannot tell).
   */
  liveHeapSlots(): Promise<number | undefined> {
    const engine = this.engine;
    if (!engine.liveHeapSlots) return Promise.resolve(undefined);
    const run = this.stepping.then(() => engine.liveHeapSlots!());
    this.stepping = run.then(() => {}, () => {});
    return run;
  }

  /** Stop stepping (the engine is closed by its owner). */
  halt(): void {
    this.closed = true;
    this.clock.cancel(this.timerEvent);
  }

  /**
   * One step of the engine. Steps are serialised, whatever the caller's timing: an engine answers
   * one message at a time (xsnap refuses a second request while one is in flight), and each step
   * must see the state the previous one left.
   */
  private step(records: WireRecord[], cause: string): Promise<void> {
    const run = this.stepping.then(() => this.runStep(records, cause));
    this.stepping = run.catch(() => {});
    return run;
  }

  private async runStep(records: WireRecord[], cause: string): Promise<void> {
    if (this.closed) return;
    const power = this.powerRecord();
    if (power) records = [power, ...records];
    const arrived = this.gnssLine?.takeArrived() ?? [];
    if (arrived.length > 0) records = [...gnssRecords(arrived, this.clock.nowMs), ...records];
    else if (records.length === 0 && cause === "gnss") return; // a burst taken by an earlier step
    const engine = this.engine;
    if (engine.stepRecords) {
      this.apply(engine.stepRecords(this.clock.nowMs, records));
      return;
    }
    const result = await engine.step(encodeMessage(records, this.clock.nowMs));
    if (result.computrons !== undefined) {
      this.meters.push({ atMs: this.clock.nowMs, computrons: result.computrons, heapSlots: result.heapSlots ?? 0, cause });
    }
    this.apply(decodeMessage(result.response, false).records);
  }

  /** A Power record when the reading moved since the last one sent, else undefined. */
  private powerRecord(): WireRecord | undefined {
    if (!this.powerSource) return undefined;
    const atMs = this.clock.nowMs;
    const now = this.powerSource(atMs);
    const last = this.lastPowerSent;
    const change = Math.max(moved(now.vehicleMv, last.vehicleMv), moved(now.batteryMv, last.batteryMv));
    const due = atMs - this.lastPowerSentMs >= POWER_REFRESH_MS;
    if (change < POWER_JUMP_MV && !(due && change >= POWER_CHANGE_MV)) return undefined;
    this.lastPowerSent = { vehicleMv: Math.round(now.vehicleMv), batteryMv: Math.round(now.batteryMv) };
    this.lastPowerSentMs = atMs;
    this.powerRecordsSent++;
    return { kind: RecordKind.Power, bytes: asciiEncode(powerText(now.vehicleMv, now.batteryMv)) };
  }

  /** What the firmware did in a step (the response's records). */
  private apply(response: readonly WireRecord[]): void {
    let nextTimer: number | undefined;
    for (const record of response) {
      switch (record.kind) {
        case RecordKind.Gnss:
          this.gnssTx?.(record.bytes.slice());
          break;
        case RecordKind.Modem:
          this.modemTx?.(record.bytes.slice());
          break;
        case RecordKind.Console:
          this.consoleTx?.(record.bytes.slice());
          break;
        case RecordKind.Log: {
          const [level = "", tag = "", ...rest] = text(record.bytes).split("\t");
          const line = { atMs: this.clock.nowMs, level, tag, message: rest.join("\t") };
          this.logs.push(line);
          this.onLog?.(line);
          break;
        }
        case RecordKind.StoreWrite: {
          const change = JSON.parse(text(record.bytes)) as { key: string; value?: string | number | boolean; deleted?: boolean };
          if (change.deleted) delete this.store[change.key];
          else this.store[change.key] = change.value!;
          break;
        }
        case RecordKind.Pin: {
          const [pin = "", value = "0"] = text(record.bytes).split("=");
          this.pinWrites.push({ atMs: this.clock.nowMs, pin, value: Number(value) });
          this.onPin?.(pin, Number(value));
          break;
        }
        case RecordKind.State:
          this.state = text(record.bytes);
          this.onStateChange?.(this.state);
          break;
        case RecordKind.Fault:
          this.faults.push(text(record.bytes));
          break;
        case RecordKind.NextTimer:
          nextTimer = readF64(record.bytes);
          break;
      }
    }
    this.scheduleTimer(nextTimer);
  }

  private scheduleTimer(dueMs: number | undefined): void {
    if (dueMs === this.timerDueMs) return;
    this.clock.cancel(this.timerEvent);
    this.timerEvent = undefined;
    this.timerDueMs = dueMs;
    if (dueMs === undefined) return;
    this.timerEvent = this.clock.at(dueMs, () => {
      this.timerEvent = undefined;
      this.timerDueMs = undefined;
      return this.step([], "timer");
    });
  }
}

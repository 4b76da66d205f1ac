/**
 * The firmware (the Node engine's guest, the same code the simulator steps) running on this computer
 * against real serial ports, in real time. The adapter between the stepped guest and the real world:
 *
 *  - time: the FirmwareDevice's clock is a VirtualClock following the wall clock, so the guest's
 *    timers fire when their real time comes (the device schedules a step at the next timer);
 *  - bytes: each chunk a serial port reads becomes a clock event at "now" that steps the guest with a
 *    Gnss, Modem or Console record; what the guest writes goes straight out on the port;
 *  - flash: the key-value store lives in a JSON file, rewritten (atomically) whenever the firmware
 *    changes a setting;
 *  - pins: the host has no PWRKEY or POWERON lines; writes are reported, not performed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomInt } from "node:crypto";
import type { SerialPort } from "serialport";
import type { VirtualClock } from "../clock.ts";
import { FirmwareDevice, type DeviceTrackerOptions } from "../firmware-device.ts";
import { NodeEngine } from "../engines/node-engine.ts";

/** The store file's name inside the state folder. */
export const STORE_FILE = "store.json";

type StoreImage = Record<string, string | number | boolean>;

/** Read a state folder's store (empty when there is none yet); throws with the path when unreadable. */
export function readStore(stateDir: string): StoreImage {
  const path = join(stateDir, STORE_FILE);
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
    return parsed as StoreImage;
  } catch (e) {
    throw new Error(`${path} is not a settings file the firmware wrote (${(e as Error).message}); move it away to start from a factory-fresh store`);
  }
}

/** Write the store atomically (a temporary file renamed over the old one). */
export function writeStore(stateDir: string, store: StoreImage): void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, STORE_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(store, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export interface RealTimeFirmwareOptions {
  /** Folder of the persistent store; undefined: settings live in memory only. */
  stateDir?: string;
  /** Build configuration (installer owner, modem profile...). */
  tracker?: DeviceTrackerOptions;
  /** Seed of the firmware's random source (default: a random one, as the ESP32's RNG would give). */
  seed?: number;
}

export class RealTimeFirmware {
  readonly device: FirmwareDevice;
  private savedJson: string;

  constructor(
    readonly clock: VirtualClock,
    private readonly options: RealTimeFirmwareOptions = {},
  ) {
    if (!clock.followsWallClock) throw new Error("the real-time firmware needs a clock following the wall clock");
    const store = options.stateDir ? readStore(options.stateDir) : {};
    this.savedJson = JSON.stringify(store);
    this.device = new FirmwareDevice(clock, new NodeEngine(), {
      store,
      ...(options.tracker ? { tracker: options.tracker } : {}),
      seed: options.seed ?? randomInt(1, 2 ** 31),
    });
  }

  /** Wire the firmware's GNSS and modem UARTs (and the provisioning console's, when given) to real ports. */
  attach(gnss: SerialPort, modem: SerialPort, console?: SerialPort): void {
    if (console) {
      this.device.consoleTx = (bytes) => void console.write(Buffer.from(bytes));
      console.on("data", (data: Buffer) => {
        const bytes = new Uint8Array(data);
        this.clock.at(this.clock.nowMs, () => this.device.receiveConsole(bytes));
      });
    }
    this.device.gnssTx = (bytes) => void gnss.write(Buffer.from(bytes));
    this.device.modemTx = (bytes) => void modem.write(Buffer.from(bytes));
    gnss.on("data", (data: Buffer) => {
      const bytes = new Uint8Array(data);
      this.clock.at(this.clock.nowMs, () => this.device.receiveGnss(bytes));
    });
    modem.on("data", (data: Buffer) => {
      const bytes = new Uint8Array(data);
      this.clock.at(this.clock.nowMs, () => this.device.receiveModem(bytes));
    });
  }

  /** Power on: the firmware boots from the store. */
  boot(): Promise<void> {
    return this.device.boot();
  }

  /** Write the store file if the firmware changed a setting since the last save. True when written. */
  persist(): boolean {
    if (!this.options.stateDir) return false;
    const json = JSON.stringify(this.device.store);
    if (json === this.savedJson) return false;
    writeStore(this.options.stateDir, this.device.store);
    this.savedJson = json;
    return true;
  }

  async close(): Promise<void> {
    this.persist();
    await this.device.close();
  }
}

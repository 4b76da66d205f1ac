/**
 * One complete simulated world: the firmware (on the Node or XS engine) wired by two virtual UARTs
 * to a virtual GNSS receiver and a virtual SIMCom modem, the modem on an SMS network, and phones
 * for the owner and a stranger. All driven by one virtual clock, reproducible from its seed.
 */
import { VirtualClock } from "./clock.ts";
import { UartWire, type ChunkPolicy } from "./uart.ts";
import { VirtualGnss, type GnssSource } from "./gnss/virtual-gnss.ts";
import { defaultDrive } from "./gnss/drive.ts";
import { SmsNetwork } from "./modem/sms-network.ts";
import { VirtualPhone, type PhoneMessage } from "./modem/phone.ts";
import { VirtualModem } from "./modem/virtual-modem.ts";
import { FirmwareDevice } from "./firmware-device.ts";
import type { EngineName, FirmwareEngine } from "./engines/engine.ts";
import { NodeEngine } from "./engines/node-engine.ts";
import { XsEngine } from "./engines/xs-engine.ts";

export interface SimulationOptions {
  /** Engine running the firmware. Default "node". */
  engine?: EngineName;
  /** Seed for every random choice (chunking, delays, sky). Default 1. */
  seed?: number;
  /** How bytes reach the firmware on both UARTs (chunk size, or random sizes). Default 64. */
  chunk?: ChunkPolicy;
  /** GNSS source: a drive plan or an NMEA recording. Default: the built-in drive. */
  gnssSource?: GnssSource;
  /** Owner number provisioned in the tracker's settings; null leaves the tracker unclaimed. */
  ownerNumber?: string | null;
  /** The tracker SIM's number. */
  trackerNumber?: string;
  /** A phone that is not registered. */
  strangerNumber?: string;
  /** GNSS UART speed (bit/s). Default 9600. */
  gnssBaud?: number;
  /** Modem UART speed (bit/s). Default 115200. */
  modemBaud?: number;
  /**
   * True: the modem was switched on (and has booted) before the firmware starts, as after an ESP32
   * reset. Default false: like a cold LilyGO board, it stays off until the firmware presses its key.
   */
  modemOnAtStart?: boolean;
  /** Owner number in the firmware's build configuration (applied by an unclaimed tracker). */
  installerOwnerNumber?: string;
}

/** Shortest PWRKEY press that switches a SIMCom A76xx on, and the press that switches it off (ms). */
export const PWRKEY_ON_MIN_MS = 50;
export const PWRKEY_OFF_MIN_MS = 2_500;
/** How long a modem that is "already on" has been running when the firmware starts (ms). */
const MODEM_WARM_MS = 15_000;

export const DEFAULT_OWNER = "+14085550199";
export const DEFAULT_STRANGER = "+14155550123";
export const DEFAULT_TRACKER = "+14085550100";

/** Create the engine by name. */
export async function createEngine(name: EngineName): Promise<FirmwareEngine> {
  return name === "xs" ? XsEngine.start() : new NodeEngine();
}

export class Simulation {
  readonly clock = new VirtualClock();
  readonly network: SmsNetwork;
  readonly modem: VirtualModem;
  readonly gnss: VirtualGnss;
  readonly device: FirmwareDevice;
  readonly owner: VirtualPhone;
  readonly stranger: VirtualPhone;
  readonly trackerNumber: string;
  private readonly modemOnAtStart: boolean;
  private powerKeyDownAtMs: number | undefined;

  private constructor(engine: FirmwareEngine, options: SimulationOptions) {
    const seed = options.seed ?? 1;
    const chunk = options.chunk ?? 64;
    this.trackerNumber = options.trackerNumber ?? DEFAULT_TRACKER;
    const ownerNumber = options.ownerNumber === undefined ? DEFAULT_OWNER : options.ownerNumber;
    this.network = new SmsNetwork(this.clock);
    this.owner = new VirtualPhone(this.network, ownerNumber ?? DEFAULT_OWNER);
    this.stranger = new VirtualPhone(this.network, options.strangerNumber ?? DEFAULT_STRANGER);

    const store: Record<string, string> = {};
    if (ownerNumber) Simulation.provision(store, ownerNumber);
    this.device = new FirmwareDevice(this.clock, engine, {
      store,
      installer: options.installerOwnerNumber ? { installerOwnerNumber: options.installerOwnerNumber } : undefined,
    });

    const modemBaud = options.modemBaud ?? 115_200;
    const gnssBaud = options.gnssBaud ?? 9600;
    const rxChunk = (salt: number): ChunkPolicy => (typeof chunk === "number" ? chunk : { random: chunk.random + salt });
    // Modem → firmware and GNSS → firmware: chunked as the firmware's UART hands bytes over.
    const modemToFirmware = new UartWire(this.clock, { baud: modemBaud, chunk: rxChunk(1) }, (c) => this.device.receiveModem(c));
    const gnssToFirmware = new UartWire(this.clock, { baud: gnssBaud, chunk: rxChunk(2) }, (c) => this.device.receiveGnss(c));
    this.modem = new VirtualModem(this.clock, this.network, { number: this.trackerNumber, baud: modemBaud, seed });
    this.modem.connect(modemToFirmware);
    // Firmware → modem: the modem reads bytes as they come.
    const firmwareToModem = new UartWire(this.clock, { baud: modemBaud, chunk: 16 }, (c) => this.modem.receive(c));
    this.device.modemTx = (bytes) => firmwareToModem.write(bytes);
    this.device.gnssTx = () => {}; // the receiver takes no commands yet
    this.device.onPin = (pin, value) => this.onPin(pin, value);
    this.modemOnAtStart = options.modemOnAtStart ?? false;
    this.gnss = new VirtualGnss(this.clock, gnssToFirmware, options.gnssSource ?? defaultDrive(), { seed });
  }

  /** Build a simulation (starts the XS engine when asked for). Call start() next. */
  static async create(options: SimulationOptions = {}): Promise<Simulation> {
    return new Simulation(await createEngine(options.engine ?? "node"), options);
  }

  /**
   * Write the owner into a flash image the way the firmware's settings store keeps it (one record
   * in slot "cfg.a"), as an installer's provisioning tool would.
   */
  static provision(store: Record<string, string>, ownerNumber: string, homeCountryCode = "1"): void {
    const json = JSON.stringify({ v: 1, ownerNumber, ownerPin: "", homeCountryCode });
    store["cfg.a"] = `1;${crc32Ascii(json)};${json}`;
  }

  /** Power everything on: firmware boots, modem starts its boot sequence, GNSS starts sending. */
  async start(): Promise<void> {
    if (this.modemOnAtStart) {
      this.modem.powerOn();
      await this.clock.runFor(MODEM_WARM_MS);
    }
    await this.device.boot();
    this.gnss.start();
  }

  /** The modem's PWRKEY as the A76xx sees it: a press switches it on; a long press switches it off. */
  private onPin(pin: string, value: number): void {
    if (pin !== "modemPowerKey") return;
    if (value === 1) {
      this.powerKeyDownAtMs ??= this.clock.nowMs;
      return;
    }
    if (this.powerKeyDownAtMs === undefined) return;
    const heldMs = this.clock.nowMs - this.powerKeyDownAtMs;
    this.powerKeyDownAtMs = undefined;
    if (this.modem.powerState === "off" && heldMs >= PWRKEY_ON_MIN_MS) this.modem.powerOn();
    else if (this.modem.powerState !== "off" && heldMs >= PWRKEY_OFF_MIN_MS) this.modem.powerOff();
  }

  /** Let `ms` of virtual time pass. */
  runFor(ms: number): Promise<void> {
    return this.clock.runFor(ms);
  }

  /** Run until the firmware reports `state` (e.g. "ready"), at most `limitMs`. */
  waitForState(state: string, limitMs: number): Promise<boolean> {
    return this.clock.runUntilCondition(() => this.device.state === state, limitMs);
  }

  /** Send `text` from `phone` to the tracker and wait up to `limitMs` for the next message to that phone. */
  async ask(phone: VirtualPhone, text: string, limitMs = 60_000): Promise<PhoneMessage | undefined> {
    const before = phone.inbox.length;
    phone.send(this.trackerNumber, text);
    await this.clock.runUntilCondition(() => phone.inbox.length > before, limitMs);
    return phone.inbox[before];
  }

  /** Stop the engine. */
  async close(): Promise<void> {
    this.device.halt();
    this.gnss.stop();
    await this.device.engine.close();
  }
}

/** CRC-32 of an ASCII string (same as the firmware's store CRC). */
function crc32Ascii(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) & 0xff;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

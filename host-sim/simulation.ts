/**
 * One complete simulated world: the firmware (stepped on the Node or XS engine, or free-running on
 * Moddable's own runtime) wired by two UARTs to a virtual GNSS receiver and a virtual SIMCom modem,
 * the modem on an SMS network, and phones for the owner and a stranger. All driven by one clock:
 * virtual and reproducible from its seed on the stepped engines, following the wall clock on the
 * Moddable runtime (whose timers are real).
 */
import { REAL_TIME, VirtualClock } from "./clock.ts";
import { UART_RX_CHUNK_BYTES, UartWire, type ChunkPolicy } from "./uart.ts";
import { VirtualGnss, type GnssSource, isRecording } from "./gnss/virtual-gnss.ts";
import { type DrivePlan, defaultDrive, ignitionTimeline } from "./gnss/drive.ts";
import { VehicleModel, type VehicleModelOptions } from "./vehicle/vehicle-model.ts";
import type { ReceiverErrorProfile } from "./gnss/receiver-errors.ts";
import { SmsNetwork } from "./modem/sms-network.ts";
import { VirtualPhone, type PhoneMessage } from "./modem/phone.ts";
import { VirtualModem, type VirtualModemOptions } from "./modem/virtual-modem.ts";
import { type ProfileName, PROFILE_NAMES, getProfile } from "./modem/profiles.ts";
import { FirmwareDevice } from "./firmware-device.ts";
import { SimConsole } from "./sim-console.ts";
import type { DeviceTrackerOptions, TrackerDevice } from "./tracker-device.ts";
import { ModdableDevice } from "./moddable/moddable-device.ts";
import { provisionSettings, type SettingsValues } from "./flash-image.ts";
import { hashPin } from "../src/auth/pin.ts";
import { SimRandom } from "./guest/sim-ports.ts";
import { TraceModem, type TraceModemOptions } from "./traces/trace-modem.ts";
import type { TraceRecorder } from "./traces/trace-recorder.ts";
import { type Trace, parseTrace } from "./traces/trace-format.ts";
import type { EngineName, FirmwareEngine } from "./engines/engine.ts";
import { NodeEngine } from "./engines/node-engine.ts";
import { XsEngine } from "./engines/xs-engine.ts";

export interface SimulationOptions {
  /** Engine running the firmware. Default "node". */
  engine?: EngineName;
  /** The moddable engine: reports progress (building the app, starting the runtime). */
  progress?: (line: string) => void;
  /** Seed for every random choice (chunking, delays, sky). Default 1. */
  seed?: number;
  /** How bytes reach the firmware on both UARTs (chunk size, or random sizes). Default UART_RX_CHUNK_BYTES (96). */
  chunk?: ChunkPolicy;
  /** GNSS source: a drive plan or an NMEA recording. Default: the built-in drive. */
  gnssSource?: GnssSource;
  /** The receiver's errors on a drive (gnss/receiver-errors.ts); default none (the truth exactly). */
  gnssErrors?: ReceiverErrorProfile;
  /** The receiver's sky on a drive (VirtualGnssOptions.sky): "changing" for the full multi-GNSS output. Default "fixed". */
  gnssSky?: "fixed" | "changing";
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
  /**
   * Modem dialect: the virtual modem's profile AND the firmware's TrackerOptions.modemProfile
   * (same module, the firmware's spelling: "sim7600" → "SIM7600"). Default "a7670".
   */
  modemProfile?: ProfileName;
  /**
   * True: the GNSS is inside the modem (LilyGO T-SIM7600, T-SIM7000G): the virtual GNSS's sentences
   * go to the virtual modem (VirtualModem.feedGnss), which writes them on the modem UART once the
   * firmware has switched its receiver and NMEA output on (modem/commands/gnss.ts); the firmware's
   * GNSS UART receives nothing. Only profiles with a receiver (sim7600, sim7000, eg25, bg96).
   * Default false.
   */
  gnssInModem?: boolean;
  /**
   * True: the modem's RI line is wired to the firmware's RingInput (LilyGO T-A7670, T-SIM7600): it
   * falls as the modem writes each +CMTI, a moment before the indication's bytes reach the firmware.
   * Stepped engines only. Default false.
   */
  ringLine?: boolean;
  /**
   * Modem writes (each URC or response is one) whose text matches are lost on the way to the
   * firmware, as a garbled line would be: e.g. /\+CMTI:/ (the RI line still falls for it). Default none.
   */
  lostModemLines?: RegExp;
  /** Passed to the VirtualModem as is (simPin, simAbsent, fixedBaud, bootMs, timing...). */
  modemOptions?: Partial<Omit<VirtualModemOptions, "number">>;
  /** The firmware's SMS mode (TrackerOptions.smsMode); default: the profile's (PDU). */
  smsMode?: "pdu" | "text";
  /** Settings provisioned in flash besides the owner (the SIM PIN the firmware may send, more numbers, a setup code...). */
  settings?: SettingsValues;
  /** The device PIN provisioned with the owner (stored as its hash); null: none. Default DEFAULT_PIN. */
  pin?: string | null;
  /**
   * The vehicle the tracker is wired into (vehicle/vehicle-model.ts), whose supply and backup-cell
   * voltages the firmware's power port reads. Default: a 12 V vehicle (seeded from `seed`) parked
   * with the ignition off; when the GNSS source is a drive plan, its ignition follows the plan
   * (ignitionTimeline: the engine runs on drive legs, stops at stops). Options given here replace the
   * defaults (`seed` defaults to the simulation's); the plan is followed either way. false: no
   * vehicle (the port reads NaN, as on a board without dividers).
   */
  vehicle?: Partial<VehicleModelOptions> | false;
  /**
   * Record the modem line (both directions) into this recorder, with the simulation's virtual
   * times: firmware bytes when the modem receives them (`>`), modem bytes when it writes them (`<`).
   */
  trace?: TraceRecorder;
}

/** The firmware's name of a virtual modem profile ("eg25" → "EG25"). */
export function firmwareProfileName(profile: ProfileName): string {
  return profile.toUpperCase();
}

/** What the firmware's modem UART is connected to: the virtual modem, or a trace being replayed. */
export type ModemEndpoint = VirtualModem | TraceModem;

/** Speed of the link from the GNSS engine to the modem's own processor when the GNSS is inside the modem (bit/s). */
const GNSS_IN_MODEM_BAUD = 921_600;

/** How long a modem that is "already on" has been running when the firmware starts (ms). */
const MODEM_WARM_MS = 15_000;

export const DEFAULT_OWNER = "+14085550199";
export const DEFAULT_STRANGER = "+14155550123";
export const DEFAULT_TRACKER = "+14085550100";
/** The PIN the simulated owner's tracker is provisioned with (a test world's; the firmware has no default PIN). */
export const DEFAULT_PIN = "2468";

/** Create a stepped engine by name. */
export async function createEngine(name: "node" | "xs"): Promise<FirmwareEngine> {
  return name === "xs" ? XsEngine.start() : new NodeEngine();
}

/** The clock and the firmware device for `engine`, the flash holding `store`. */
async function createDevice(
  engine: EngineName,
  store: Record<string, string>,
  tracker: DeviceTrackerOptions,
  progress: ((line: string) => void) | undefined,
  seed: number,
): Promise<{ clock: VirtualClock; device: TrackerDevice }> {
  if (engine === "moddable") {
    const clock = new VirtualClock({ wall: REAL_TIME });
    return { clock, device: new ModdableDevice(clock, { store, tracker, ...(progress ? { log: progress } : {}) }) };
  }
  const clock = new VirtualClock();
  return { clock, device: new FirmwareDevice(clock, await createEngine(engine), { store, tracker, seed }) };
}

/** Options of a replay: the firmware runs against a TraceModem playing `trace`. */
export interface ReplayOptions extends TraceModemOptions {
  trace: Trace | string;
}

export class Simulation<M extends ModemEndpoint = VirtualModem> {
  readonly clock: VirtualClock;
  readonly network: SmsNetwork;
  /** The firmware's modem: a VirtualModem, or a TraceModem in a replay (Simulation.replay). */
  readonly modem: M;
  readonly gnss: VirtualGnss;
  /**
   * The vehicle (undefined with `vehicle: false`). Its clock is the simulation's, so scenarios call
   * `sim.vehicle.cutPower()`, `restorePower()`, `ignitionOn()`, `ignitionOff()` at the current
   * virtual time. On the moddable engine it exists but reaches no one: Moddable's lin runtime has no
   * ADC, the board there has no power port and the firmware reads NaN.
   */
  readonly vehicle: VehicleModel | undefined;
  readonly device: TrackerDevice;
  readonly owner: VirtualPhone;
  readonly stranger: VirtualPhone;
  readonly trackerNumber: string;
  /** The seed of every random choice in this run. */
  readonly seed: number;
  /** Virtual modem profile in use (for a replay: the trace's, when it names one). */
  readonly modemProfile: ProfileName;
  /** What each power-key press did to the modem (VirtualModem.powerKey's answer; "replay" in a replay). */
  readonly powerKeyPresses: { atMs: number; heldMs: number; effect: string }[] = [];
  /** The firmware's provisioning console: `sim.console.command("HELLO")` (sim-console.ts). */
  readonly console: SimConsole;
  /** The serial lines between the firmware and its modules (for line faults: UartWire.tamper). */
  readonly lines: { readonly modemToFirmware: UartWire; readonly firmwareToModem: UartWire; readonly gnssToFirmware: UartWire };
  /** When the modem's RI line fell (virtual ms; ringLine only). */
  readonly ringEdges: number[] = [];
  /** Modem writes lost on the way to the firmware (lostModemLines). */
  lostModemWrites = 0;
  private readonly modemOnAtStart: boolean;
  private readonly trace: TraceRecorder | undefined;
  /** The drive plan whose ignition the vehicle follows (set at start, once the drive's t = 0 is known). */
  private readonly followPlan: DrivePlan | undefined;
  private powerKeyDownAtMs: number | undefined;

  private constructor(world: { clock: VirtualClock; device: TrackerDevice }, options: SimulationOptions, replay?: ReplayOptions) {
    this.clock = world.clock;
    this.device = world.device;
    const seed = options.seed ?? 1;
    this.seed = seed;
    const chunk = options.chunk ?? UART_RX_CHUNK_BYTES;
    this.trackerNumber = options.trackerNumber ?? DEFAULT_TRACKER;
    const ownerNumber = options.ownerNumber === undefined ? DEFAULT_OWNER : options.ownerNumber;
    // The network's clock agrees with the sky's: a drive's UTC at its start is the network's at time 0.
    const drivePlan = options.gnssSource && !isRecording(options.gnssSource) ? options.gnssSource : undefined;
    this.network = new SmsNetwork(this.clock, drivePlan ? { startUtcMs: drivePlan.startUtcMs } : {});
    this.owner = new VirtualPhone(this.network, ownerNumber ?? DEFAULT_OWNER);
    this.stranger = new VirtualPhone(this.network, options.strangerNumber ?? DEFAULT_STRANGER);
    this.modemProfile = options.modemProfile ?? options.modemOptions?.profile ?? "a7670";
    this.trace = options.trace;
    if (options.gnssInModem && getProfile(this.modemProfile).gnss === "none") {
      const withGnss = PROFILE_NAMES.filter((p) => getProfile(p).gnss !== "none").join(", ");
      throw new RangeError(`gnssInModem: the ${this.modemProfile} modem has no GNSS receiver (profiles with one: ${withGnss})`);
    }


    const modemBaud = options.modemBaud ?? 115_200;
    const gnssBaud = options.gnssBaud ?? 9600;
    const rxChunk = (salt: number): ChunkPolicy => (typeof chunk === "number" ? chunk : { random: chunk.random + salt });
    // Modem → firmware and GNSS → firmware: chunked as the firmware's UART hands bytes over.
    const modemToFirmware = new UartWire(this.clock, { baud: modemBaud, chunk: rxChunk(1) }, (c) => this.device.receiveModem(c));
    const gnssToFirmware = new UartWire(this.clock, { baud: gnssBaud, chunk: rxChunk(2) }, (c) => this.device.receiveGnss(c));
    if (this.device instanceof FirmwareDevice) {
      // the stepped firmware takes the receiver's bytes a burst (an epoch) at a time, each chunk at its time
      this.device.gnssLine = gnssToFirmware;
      gnssToFirmware.burstReader = this.device;
    }
    // The modem's TX line; recorded as the modem writes (so a replay writes at the same times).
    const ringLine = options.ringLine === true && this.device instanceof FirmwareDevice ? this.device : undefined;
    const lostLines = options.lostModemLines;
    const modemTx = {
      write: (bytes: Uint8Array) => {
        this.trace?.record("<", bytes, this.clock.nowMs);
        const text = ringLine || lostLines ? Buffer.from(bytes).toString("latin1") : "";
        if (ringLine && /^\r*\n\+CMTI:/.test(text)) {
          this.ringEdges.push(this.clock.nowMs);
          void ringLine.ring();
        }
        if (lostLines && lostLines.test(text)) {
          this.lostModemWrites++;
          return;
        }
        modemToFirmware.write(bytes);
      },
    };
    if (replay) {
      this.modem = new TraceModem(this.clock, replay.trace, replay) as M;
    } else {
      this.modem = new VirtualModem(this.clock, this.network, {
        baud: modemBaud,
        seed,
        ...options.modemOptions,
        profile: this.modemProfile,
        number: this.trackerNumber,
      }) as M;
    }
    // Only write() of the wire is used by either modem.
    this.modem.connect(modemTx as unknown as UartWire);
    // Firmware → modem: the modem reads bytes as they come.
    const firmwareToModem = new UartWire(this.clock, { baud: modemBaud, chunk: 16 }, (c) => {
      this.trace?.record(">", c, this.clock.nowMs);
      this.modem.receive(c);
    });
    this.lines = { modemToFirmware, firmwareToModem, gnssToFirmware };
    this.device.modemTx = (bytes) => firmwareToModem.write(bytes);
    this.device.gnssTx = () => {}; // the receiver takes no commands yet
    this.device.onPin = (pin, value) => this.onPin(pin, value);
    this.console = new SimConsole(this.clock, this.device);
    this.modemOnAtStart = options.modemOnAtStart ?? false;
    const gnssSource = options.gnssSource ?? defaultDrive();
    // GNSS inside the modem: its sentences reach the modem over the module's internal link (fast), not the firmware.
    const gnssOut = options.gnssInModem
      ? new UartWire(this.clock, { baud: GNSS_IN_MODEM_BAUD }, (c) => (this.modem instanceof VirtualModem ? this.modem.feedGnss(c) : undefined))
      : gnssToFirmware;
    this.gnss = new VirtualGnss(this.clock, gnssOut, gnssSource, {
      seed,
      ...(options.gnssErrors ? { errors: options.gnssErrors } : {}),
      ...(options.gnssSky ? { sky: options.gnssSky } : {}),
    });
    if (options.vehicle === false) {
      this.vehicle = undefined;
    } else {
      const clock = this.clock;
      this.vehicle = new VehicleModel({ seed, ...options.vehicle, now: () => clock.nowMs });
      this.followPlan = isRecording(gnssSource) ? undefined : gnssSource;
      // Stepped engines only: the ADC readings travel as Power records (see FirmwareDevice.powerSource).
      // The moddable engine's lin runtime has no ADC: there the firmware's power port is absent.
      if (this.device instanceof FirmwareDevice) {
        const vehicle = this.vehicle;
        this.device.powerSource = (nowMs) => vehicle.reading(nowMs);
      }
    }
  }

  /** Build a simulation (starts the XS engine when asked for). Call start() next. */
  static async create(options: SimulationOptions = {}): Promise<Simulation> {
    return new Simulation<VirtualModem>(await Simulation.world(options), options);
  }

  /** The clock and device for `options`: the engine, the flash provisioned with the owner and settings. */
  private static world(options: SimulationOptions): Promise<{ clock: VirtualClock; device: TrackerDevice }> {
    const ownerNumber = options.ownerNumber === undefined ? DEFAULT_OWNER : options.ownerNumber;
    const store: Record<string, string> = {};
    const pin = options.pin === undefined ? DEFAULT_PIN : options.pin;
    const settings: SettingsValues = { ...options.settings };
    if (ownerNumber) {
      settings.ownerNumber = ownerNumber;
      if (pin !== null) settings.pinHash = hashPin(pin, new SimRandom(options.seed ?? 1));
    }
    if (Object.keys(settings).length > 0) provisionSettings(store, { homeCountryCode: "1", ...settings });
    const tracker: DeviceTrackerOptions = {};
    if (options.installerOwnerNumber) tracker.installerOwnerNumber = options.installerOwnerNumber;
    if (options.modemProfile) tracker.modemProfile = firmwareProfileName(options.modemProfile);
    if (options.smsMode) tracker.smsMode = options.smsMode;
    if (options.gnssInModem) tracker.gnssSource = "modem";
    return createDevice(options.engine ?? "node", store, tracker, options.progress, options.seed ?? 1);
  }

  /**
   * Build a replay: the same world (GNSS, settings, build configuration from `options`), but the
   * firmware's modem UART is connected to a TraceModem that plays the trace's modem side and
   * checks what the firmware sends. Call start(), run, then `modem.result()`.
   */
  static async replay(replay: ReplayOptions, options: SimulationOptions = {}): Promise<Simulation<TraceModem>> {
    const trace = typeof replay.trace === "string" ? parseTrace(replay.trace) : replay.trace;
    const { trace: _recorder, ...rest } = options;
    return new Simulation<TraceModem>(await Simulation.world(rest), rest, { ...replay, trace });
  }

  /** True when the modem is the virtual one (not a replay). */
  get isReplay(): boolean {
    return this.modem instanceof TraceModem;
  }

  /** Power everything on: firmware boots, modem starts its boot sequence, GNSS starts sending. */
  async start(): Promise<void> {
    if (this.modem instanceof TraceModem) this.modem.start();
    if (this.modemOnAtStart) {
      if (this.modem instanceof VirtualModem) this.modem.powerOn();
      await this.clock.runFor(MODEM_WARM_MS);
    }
    await this.device.boot();
    this.gnss.start();
    const origin = this.gnss.driveOriginMs;
    if (this.vehicle && this.followPlan && origin !== undefined) {
      this.vehicle.schedule(
        ignitionTimeline(this.followPlan).map((c) => ({ atMs: origin + c.atMs, kind: c.on ? ("ignitionOn" as const) : ("ignitionOff" as const) })),
      );
    }
  }

  /** The modem's PWRKEY: held for some time, then released; the modem's profile decides what that does. */
  private onPin(pin: string, value: number): void {
    if (pin !== "modemPowerKey") return;
    if (value === 1) {
      this.powerKeyDownAtMs ??= this.clock.nowMs;
      return;
    }
    if (this.powerKeyDownAtMs === undefined) return;
    const heldMs = this.clock.nowMs - this.powerKeyDownAtMs;
    this.powerKeyDownAtMs = undefined;
    const effect = this.modem instanceof VirtualModem ? this.modem.powerKey(heldMs) : "replay";
    this.powerKeyPresses.push({ atMs: this.clock.nowMs, heldMs, effect });
    this.trace?.comment(`power key held ${heldMs} ms: ${effect}`);
  }

  /** Reset the firmware (a power cycle of the ESP32 alone): it boots again from what it left in flash. */
  restartFirmware(): Promise<void> {
    return this.device.restart();
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

  /** Stop the firmware and its engine. */
  async close(): Promise<void> {
    this.gnss.close();
    await this.device.close();
  }
}

/**
 * Board wiring, read from the manifest's "config" (import config from "mc/config"), and the
 * factory that builds every port the tracker needs from it, with the io classes of the board's
 * host provider (`embedded:provider/builtin`: the target's on ESP32, lin/provider on Linux).
 *
 * Defaults are the LilyGO T-A7670 (DESIGN.md §2): A7670 modem on UART1, ESP32 RX 27 / TX 26 at
 * 115200 baud, PWRKEY 4, POWERON 12 (driven high at boot); an external L76K-class GNSS on UART2 at
 * 9600 baud, ESP32 RX 22 / TX 21. The GNSS pins differ between board variants and sources disagree
 * on their direction: verify RX/TX on the hardware and override them in the manifest config or on
 * the mcconfig command line (`gnssRx=21 gnssTx=22`; such values arrive as strings).
 * The backup cell is measured on BAT_ADC (GPIO 35, 100k/100k divider: `batteryAdcPin`,
 * `batteryDivider` ×1000 = 2000); the vehicle supply only on boards with a divider for it
 * (`vehicleAdcPin`, `vehicleDivider` ×1000, e.g. 100k/6.8k → 15706; absent by default: NaN).
 * More modem lines, each -1 where the board does not wire it (docs/boards.md has each board's):
 * `modemRing` (RI input, falling edge = an SMS or call), `modemDtr` (held low: awake),
 * `modemReset` with `modemResetLevel` (the level that resets: 1 on the T-A7670), `modemFlight`
 * (held high: radio on; T-SIM7600). `gnssSource` "modem" reads NMEA from the modem's own GNSS
 * (T-SIM7600, T-SIM7000G: no GNSS UART is opened), with `gnssAntennaGpio` the modem GPIO that
 * powers the active antenna (T-SIM7000G: 48).
 * A pin set to -1 is not wired. UART0 belongs to the provisioning console (console-port.ts): ports must be 1 or 2.
 * On Linux (`lin` build) `modemDevice` / `gnssDevice` name the ttys to open instead (relative to
 * the working directory), and `serialIo` is "tty" (see serial-port.ts).
 */
import device from "embedded:provider/builtin";
import config from "mc/config";
import type { BoardPins, Logger, LogLevel, OutputPin, SerialPort, TrackerPorts } from "../ports";
import type { TrackerOptions } from "../../app/tracker";
import { ModdableClock } from "./clock";
import { PreferenceStore } from "./kv-store";
import { isLogLevel, TraceLogger } from "./logger";
import { DigitalOutputPin, type DigitalClass } from "./pins";
import { MathRandomSource } from "./random";
import { DigitalRingInput, type EdgeDigitalClass } from "./ring-input";
import { systemControl } from "./system-control";
import { ModdableSerialPort, type SerialIoConstructor, type SerialIoKind } from "./serial-port";
import { openConsolePort } from "./console-port";
import { AdcVehiclePower, type AdcWiring, type AnalogClass } from "./vehicle-power";

/** One UART as wired on the board (pins seen from the ESP32), or a tty path on Linux. */
export interface UartWiring {
  port: number;
  receive: number;
  transmit: number;
  baud: number;
  /** tty path (Linux build); undefined on a board. */
  device?: string;
}

/** Everything board-specific the firmware needs. */
export interface BoardConfig {
  modem: UartWiring;
  gnss: UartWiring;
  /** Modem PWRKEY GPIO, or -1. Idles low. */
  modemPowerKeyPin: number;
  /** Modem power-rail enable GPIO (LilyGO POWERON), or -1. Driven high at boot. */
  modemPowerOnPin: number;
  /** Modem RI GPIO (input, falling edge), or -1. */
  modemRingPin: number;
  /** Modem DTR GPIO, or -1. Driven low at boot (awake). */
  modemDtrPin: number;
  /** Modem RESET GPIO, or -1; `modemResetLevel` is the level that holds the modem in reset. */
  modemResetPin: number;
  modemResetLevel: 0 | 1;
  /** Modem flight-mode GPIO (LilyGO T-SIM7600), or -1. Driven high at boot (radio on). */
  modemFlightPin: number;
  /** Where NMEA comes from: the GNSS UART, or the modem's own GNSS over the AT UART. */
  gnssSource: "uart" | "modem";
  /** Minimum log level. */
  logLevel: LogLevel;
  /** Preference domain (≤ 15 characters). */
  storeDomain: string;
  /** How the Serial implementation reads and writes: "fifo" (ESP32) or "tty" (Linux). */
  serialIo: SerialIoKind;
  /** Interval of the runtime figures logged by instrumented builds (diagnostics.ts), ms; 0 = off. */
  diagnosticsMs: number;
  /** The vehicle supply's ADC pin and divider (×1000), pin -1 when the board has none. */
  vehicleAdc: AdcWiring;
  /** The backup cell's ADC pin and divider (×1000), pin -1 when the board has none. */
  batteryAdc: AdcWiring;
}

/** LilyGO T-A7670 defaults; the manifest config normally repeats them. */
export const LILYGO_T_A7670: Readonly<BoardConfig> = Object.freeze({
  modem: Object.freeze({ port: 1, receive: 27, transmit: 26, baud: 115200 }),
  gnss: Object.freeze({ port: 2, receive: 22, transmit: 21, baud: 9600 }),
  modemPowerKeyPin: 4,
  modemPowerOnPin: 12,
  modemRingPin: 33,
  modemDtrPin: 25,
  modemResetPin: 5,
  modemResetLevel: 1,
  modemFlightPin: -1,
  gnssSource: "uart",
  logLevel: "info",
  storeDomain: "tracker",
  serialIo: "fifo",
  diagnosticsMs: 0,
  vehicleAdc: Object.freeze({ pin: -1, dividerX1000: 0 }),
  batteryAdc: Object.freeze({ pin: 35, dividerX1000: 2000 }),
});

/** An integer from config (number or numeric string), else `fallback`. */
function integer(key: string, fallback: number): number {
  const raw: unknown = config[key];
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

function uart(prefix: string, fallback: UartWiring): UartWiring {
  const path: unknown = config[`${prefix}Device`];
  const wiring: UartWiring = {
    port: integer(`${prefix}Port`, fallback.port),
    receive: integer(`${prefix}Rx`, fallback.receive),
    transmit: integer(`${prefix}Tx`, fallback.transmit),
    baud: integer(`${prefix}Baud`, fallback.baud),
  };
  if (typeof path === "string" && path !== "") wiring.device = path;
  return wiring;
}

/** The board wiring from mc/config, with LilyGO T-A7670 defaults for absent or malformed keys. */
export function readBoardConfig(): BoardConfig {
  const d = LILYGO_T_A7670;
  const level: unknown = config["logLevel"];
  const domain: unknown = config["storeDomain"];
  return {
    modem: uart("modem", d.modem),
    gnss: uart("gnss", d.gnss),
    modemPowerKeyPin: integer("modemPwrKey", d.modemPowerKeyPin),
    modemPowerOnPin: integer("modemPowerOn", d.modemPowerOnPin),
    modemRingPin: integer("modemRing", d.modemRingPin),
    modemDtrPin: integer("modemDtr", d.modemDtrPin),
    modemResetPin: integer("modemReset", d.modemResetPin),
    modemResetLevel: integer("modemResetLevel", d.modemResetLevel) === 0 ? 0 : 1,
    modemFlightPin: integer("modemFlight", d.modemFlightPin),
    gnssSource: gnssSourceOf(config["gnssSource"]),
    logLevel: isLogLevel(level) ? level : d.logLevel,
    storeDomain: typeof domain === "string" && domain !== "" ? domain : d.storeDomain,
    serialIo: config["serialIo"] === "tty" ? "tty" : d.serialIo,
    diagnosticsMs: integer("diagnosticsMs", d.diagnosticsMs),
    vehicleAdc: { pin: integer("vehicleAdcPin", d.vehicleAdc.pin), dividerX1000: integer("vehicleDivider", d.vehicleAdc.dividerX1000) },
    batteryAdc: { pin: integer("batteryAdcPin", d.batteryAdc.pin), dividerX1000: integer("batteryDivider", d.batteryAdc.dividerX1000) },
  };
}

/** "modem" or "uart" (anything else: "uart"). */
function gnssSourceOf(value: unknown): "uart" | "modem" {
  return value === "modem" ? "modem" : "uart";
}

/**
 * Installer settings from the build configuration (`mcconfig ... ownerNumber=+14085550199
 * ownerPin=4821 homeCountryCode=1 setupCode=K7PQ2MXA modemProfile=SIM7600 smsMode=pdu`). The owner
 * and PIN are applied only while the tracker has no owner, the setup code only while it has none;
 * the modem profile and SMS mode at every boot.
 */
export function readInstallerSettings(): TrackerOptions {
  const owner: unknown = config["ownerNumber"];
  const cc: unknown = config["homeCountryCode"];
  const profile: unknown = config["modemProfile"];
  const smsMode: unknown = config["smsMode"];
  const pin: unknown = config["ownerPin"];
  const setupCode: unknown = config["setupCode"];
  return {
    installerOwnerPin: typeof pin === "string" && pin !== "" ? pin : undefined,
    installerSetupCode: typeof setupCode === "string" && setupCode !== "" ? setupCode : undefined,
    installerOwnerNumber: typeof owner === "string" && owner !== "" ? owner : undefined,
    installerHomeCountryCode: typeof cc === "string" || typeof cc === "number" ? String(cc) : undefined,
    modemProfile: typeof profile === "string" && profile !== "" ? profile : undefined,
    smsMode: smsMode === "text" || smsMode === "pdu" ? smsMode : undefined,
    gnssSource: gnssSourceOf(config["gnssSource"]),
    gnssAntennaGpio: integer("gnssAntennaGpio", -1),
  };
}

/**
 * Open the board's output pins, each at its safe level: POWERON high (modem rail on), PWRKEY low
 * (idle), RESET released, DTR low (awake), FLIGHT high (radio on).
 */
export function openBoardPins(board: BoardConfig, Digital: DigitalClass = device.io.Digital): BoardPins {
  const pins: BoardPins = {};
  if (board.modemPowerOnPin >= 0) pins.modemPowerOn = new DigitalOutputPin(Digital, board.modemPowerOnPin, 1);
  if (board.modemPowerKeyPin >= 0) pins.modemPowerKey = new DigitalOutputPin(Digital, board.modemPowerKeyPin, 0);
  if (board.modemResetPin >= 0) {
    const level = board.modemResetLevel;
    const reset = new DigitalOutputPin(Digital, board.modemResetPin, level === 1 ? 0 : 1);
    // the port writes 1 = reset asserted: a board whose line resets low gets the inverse
    pins.modemReset = level === 1 ? reset : invertedPin(reset);
  }
  if (board.modemDtrPin >= 0) pins.modemDtr = new DigitalOutputPin(Digital, board.modemDtrPin, 0);
  if (board.modemFlightPin >= 0) pins.modemFlight = new DigitalOutputPin(Digital, board.modemFlightPin, 1);
  return pins;
}

function invertedPin(pin: OutputPin): OutputPin {
  return Object.freeze({ write: (value: 0 | 1) => pin.write(value === 1 ? 0 : 1) });
}

/** A UART that is not there (gnssSource "modem": the NMEA comes over the modem's UART). */
function absentUart(): SerialPort {
  return { write: () => {}, onReceive: null };
}

/**
 * The power port over the provider's Analog class, or undefined when the board measures nothing:
 * no rail configured, no Analog in the provider (the lin build: Moddable's Linux runtime has no ADC),
 * or no rail that would open (logged).
 */
export function openVehiclePower(board: BoardConfig, log: Logger, Analog: AnalogClass | undefined = providerAnalog()): AdcVehiclePower | undefined {
  if (Analog === undefined || (board.vehicleAdc.pin < 0 && board.batteryAdc.pin < 0)) return undefined;
  const power = new AdcVehiclePower(Analog, board.vehicleAdc, board.batteryAdc, log);
  return power.measuresAnything ? power : undefined;
}

/** The provider's `io.Analog`, if it has one (the board target's does; the lin provider has none). */
function providerAnalog(): AnalogClass | undefined {
  // (each build type-checks against its own provider's io: the lin one has no Analog property at all)
  const io: object = device.io;
  return "Analog" in io ? (io.Analog as AnalogClass | undefined) : undefined;
}

/** Build every port from the board config. Opens both UARTs, the pins and the ADC pins (throws if a UART or pin is in use). */
export function createTrackerPorts(board: BoardConfig = readBoardConfig()): TrackerPorts {
  const log = new TraceLogger(board.logLevel);
  const pins = openBoardPins(board);
  const serial = device.io.Serial as unknown as SerialIoConstructor;
  const io = board.serialIo;
  const modem = new ModdableSerialPort({ serial, io, ...board.modem, log, tag: "uart.modem" });
  const gnss = board.gnssSource === "modem" ? absentUart() : new ModdableSerialPort({ serial, io, ...board.gnss, log, tag: "uart.gnss" });
  const ports: TrackerPorts = {
    modem,
    gnss,
    clock: new ModdableClock(),
    store: new PreferenceStore(board.storeDomain),
    log,
    pins,
    random: new MathRandomSource(),
  };
  const power = openVehiclePower(board, log);
  if (power) ports.power = power;
  const consolePort = openConsolePort(serial, io, log);
  if (consolePort) ports.console = consolePort;
  if (board.modemRingPin >= 0) ports.ring = new DigitalRingInput(device.io.Digital as unknown as EdgeDigitalClass, board.modemRingPin, log);
  const system = systemControl();
  if (system) ports.system = system;
  return ports;
}

/**
 * `tracker device --gnss <port> --modem <port> [--console <port>] [--state <dir>] [--owner N] [--profile X]`: the
 * firmware running on this computer (Node) against a real GNSS receiver and a real modem on serial
 * ports (or against `tracker serve-gnss` / `serve-modem` on the other ends of pseudo-terminals).
 * Prints the tracker's state changes and its warnings; says what to check when a module is silent.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { SerialPort } from "serialport";
import { type ParsedArgs, UsageError, numberOption } from "../cli/args.ts";
import { profileOption } from "../traces/trace-cli.ts";
import { firmwareProfileName } from "../simulation.ts";
import type { ProfileName } from "../modem/profiles.ts";
import type { DeviceTrackerOptions, LogLine } from "../firmware-device.ts";
import { closeSerial, openSerial } from "./serial-open.ts";
import { StopSwitch, clockStamp, realTimeClock, runClockUntilStopped } from "./real-time.ts";
import { RealTimeFirmware } from "./real-time-firmware.ts";

/** How long a module may stay silent before the operator is told what to check, ms. */
export const GNSS_SILENCE_MS = 10_000;
export const MODEM_READY_LIMIT_MS = 60_000;
/** The provisioning console's line speed (the board's USB-UART, UART0), bit/s. */
export const CONSOLE_BAUD = 115_200;

export interface DeviceOptions {
  gnssPort: string;
  modemPort: string;
  /** The provisioning console's port (the installer's terminal, or `tracker console` on its other end). */
  consolePort?: string;
  /** Folder of the settings file (store.json); undefined: settings are not kept. */
  stateDir?: string;
  /** Owner number (E.164) an unclaimed tracker takes at boot, as a build's installer option. */
  owner?: string;
  /** Modem dialect of the firmware (default its own, A7670). */
  profile?: ProfileName;
  gnssBaud?: number;
  modemBaud?: number;
  /** Print every firmware log line (default: warnings and errors). */
  verbose?: boolean;
  print?: (line: string) => void;
  stop?: StopSwitch;
  /** Called once the firmware is built (tests look at it). */
  onFirmware?: (firmware: RealTimeFirmware) => void;
}

/** Run the firmware until stopped; resolves with the exit code (1 when the firmware faulted). */
export async function runDevice(options: DeviceOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const tracker: DeviceTrackerOptions = {};
  if (options.profile) tracker.modemProfile = firmwareProfileName(options.profile);
  if (options.owner) {
    const number = parsePhoneNumberFromString(options.owner);
    tracker.installerOwnerNumber = options.owner;
    if (number) tracker.installerHomeCountryCode = number.countryCallingCode;
  }
  const clock = realTimeClock(1);
  // the settings first: a bad store file is reported before any port is taken
  const firmware = new RealTimeFirmware(clock, { ...(options.stateDir ? { stateDir: options.stateDir } : {}), tracker });
  const gnss: SerialPort = await openSerial(options.gnssPort, { baudRate: options.gnssBaud ?? 9600, what: "the GNSS port" });
  let modem: SerialPort;
  let consolePort: SerialPort | undefined;
  try {
    modem = await openSerial(options.modemPort, { baudRate: options.modemBaud ?? 115_200, what: "the modem port" });
    try {
      if (options.consolePort) consolePort = await openSerial(options.consolePort, { baudRate: CONSOLE_BAUD, what: "the console port" });
    } catch (e) {
      await closeSerial(modem);
      throw e;
    }
  } catch (e) {
    await closeSerial(gnss);
    throw e;
  }
  const stop = options.stop ?? new StopSwitch();
  void stop.stopped.then(() => clock.after(0, () => {}));
  for (const [port, name] of [[gnss, "GNSS"], [modem, "modem"], ...(consolePort ? [[consolePort, "console"] as const] : [])] as const) {
    port.on("error", (e) => stop.stop(`${name} port error: ${e.message}`));
    port.on("close", () => stop.stop(`the ${name} port was closed (unplugged?)`));
  }
  const device = firmware.device;
  options.onFirmware?.(firmware);
  device.onStateChange = (state) => print(`${clockStamp(clock.nowMs)} tracker state: ${state}`);
  device.onLog = (line: LogLine) => {
    if (options.verbose || line.level === "error" || line.level === "warn") print(`${clockStamp(line.atMs)} ${line.level} [${line.tag}] ${line.message}`);
  };
  device.onPin = (pin, value) => {
    if (options.verbose) print(`${clockStamp(clock.nowMs)} pin ${pin} = ${value} (not wired on this computer)`);
  };
  let gnssBytes = 0;
  gnss.on("data", (data: Buffer) => (gnssBytes += data.length));
  firmware.attach(gnss, modem, consolePort);

  print(
    `firmware on the Node engine: GNSS ${options.gnssPort}, modem ${options.modemPort}${options.consolePort ? `, console ${options.consolePort}` : ""}; settings ${options.stateDir ? `in ${options.stateDir}` : "in memory only (give --state DIR to keep them)"}. Ctrl-C stops.`,
  );
  const onSigint = () => stop.stop("Ctrl-C");
  process.once("SIGINT", onSigint);
  const gnssCheck = clock.after(GNSS_SILENCE_MS, () => {
    if (gnssBytes === 0) {
      print(
        `${clockStamp(clock.nowMs)} no bytes from the GNSS receiver on ${options.gnssPort} in ${GNSS_SILENCE_MS / 1000} s: check its power, that its TX goes to this port's RX, common ground, and the baud rate (--gnss-baud, now ${options.gnssBaud ?? 9600}).`,
      );
    }
  });
  const modemCheck = clock.after(MODEM_READY_LIMIT_MS, () => {
    if (device.state !== "ready") {
      print(
        `${clockStamp(clock.nowMs)} the modem on ${options.modemPort} is not ready after ${MODEM_READY_LIMIT_MS / 1000} s (state ${device.state || "none"}): check it is powered on (this computer cannot press its PWRKEY), TX/RX crossed, the baud rate (--modem-baud), the SIM, and the antenna. --verbose shows the firmware's log.`,
      );
    }
  });
  let faultsShown = 0;
  await firmware.boot();
  await runClockUntilStopped(clock, stop, () => {
    firmware.persist();
    for (; faultsShown < device.faults.length; faultsShown++) print(`${clockStamp(clock.nowMs)} FIRMWARE FAULT: ${device.faults[faultsShown]}`);
  });
  clock.cancel(gnssCheck);
  clock.cancel(modemCheck);
  process.removeListener("SIGINT", onSigint);
  await firmware.close();
  await closeSerial(gnss);
  await closeSerial(modem);
  if (consolePort) await closeSerial(consolePort);
  print(`${clockStamp(clock.nowMs)} stopped (${stop.reason})${options.stateDir ? `; settings saved in ${options.stateDir}` : ""}`);
  return device.faults.length > 0 ? 1 : 0;
}

/** `tracker device ...` from parsed arguments. */
export async function runDeviceCommand(args: ParsedArgs): Promise<number> {
  const value = (name: string, what: string): string | undefined => {
    const raw = args.options.get(name);
    if (raw === true) throw new UsageError(`--${name} needs ${what}`);
    return raw;
  };
  const gnssPort = value("gnss", "a serial port path");
  const modemPort = value("modem", "a serial port path");
  if (!gnssPort || !modemPort) throw new UsageError("tracker device needs --gnss <port> and --modem <port> (see tracker ports)");
  const consolePort = value("console", "a serial port path");
  const owner = value("owner", "a phone number");
  let ownerE164: string | undefined;
  if (owner !== undefined) {
    const number = parsePhoneNumberFromString(owner, "US");
    if (!number?.isValid()) throw new UsageError(`--owner '${owner}' is not a valid phone number (e.g. +14085550199)`);
    ownerE164 = number.number;
  }
  const stateDir = value("state", "a folder");
  const profile = profileOption(args, "profile");
  return runDevice({
    gnssPort,
    modemPort,
    ...(stateDir ? { stateDir } : {}),
    ...(consolePort ? { consolePort } : {}),
    ...(ownerE164 ? { owner: ownerE164 } : {}),
    ...(profile ? { profile } : {}),
    gnssBaud: numberOption(args, "gnss-baud", 9600, 300, 4_000_000),
    modemBaud: numberOption(args, "modem-baud", 115_200, 300, 4_000_000),
    verbose: args.options.has("verbose"),
  });
}

/**
 * The installer's serial-port commands as the CLI runs them: ports, flash, serve-gnss, serve-modem,
 * device (their options and help are in installer-cli.ts). Imported only when one of them runs: it
 * loads serialport's native binding and esptool-js.
 */
import { existsSync } from "node:fs";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { type ParsedArgs, UsageError, numberOption } from "../cli/args.ts";
import { profileOption } from "../traces/trace-cli.ts";
import { runPortsCommand } from "./ports-command.ts";
import { runFlashCommand } from "./flash-command.ts";
import { serveGnss } from "./serve-gnss.ts";
import { serveModem } from "./serve-modem.ts";
import { runDeviceCommand } from "./device-command.ts";
import { SerialPortError } from "./serial-open.ts";
import { StopSwitch } from "./real-time.ts";

function portOption(args: ParsedArgs, command: string): string {
  const port = args.options.get("port");
  if (port === undefined || port === true) throw new UsageError(`tracker ${command} needs --port <path> (see tracker ports)`);
  return port;
}

/** Stop on Ctrl-C (once); returns the switch. */
function stopOnSigint(): StopSwitch {
  const stop = new StopSwitch();
  process.once("SIGINT", () => stop.stop("Ctrl-C"));
  return stop;
}

async function run(command: string, args: ParsedArgs): Promise<number> {
  switch (command) {
    case "ports":
      return runPortsCommand();
    case "flash":
      return runFlashCommand(args);
    case "serve-gnss": {
      const nmea = args.options.get("nmea");
      if (nmea === true) throw new UsageError("--nmea needs a file");
      if (nmea !== undefined && !existsSync(nmea)) throw new UsageError(`--nmea: no file '${nmea}'`);
      return serveGnss({
        port: portOption(args, command),
        baud: numberOption(args, "baud", 9600, 300, 4_000_000),
        seed: numberOption(args, "seed", 1, 0, 2 ** 32 - 1),
        speed: numberOption(args, "speed", 1, 0.1, 100),
        ...(nmea ? { nmeaFile: nmea } : {}),
        stop: stopOnSigint(),
      });
    }
    case "serve-modem": {
      const rawOwner = args.options.get("owner");
      let owner: string | undefined;
      if (rawOwner !== undefined) {
        const number = rawOwner === true ? undefined : parsePhoneNumberFromString(rawOwner, "US");
        if (!number?.isValid()) throw new UsageError(`--owner '${String(rawOwner)}' is not a valid phone number (e.g. +14085550199)`);
        owner = number.number;
      }
      const profile = profileOption(args, "profile");
      return serveModem({
        port: portOption(args, command),
        baud: numberOption(args, "baud", 115_200, 300, 4_000_000),
        ...(profile ? { profile } : {}),
        ...(owner ? { owner } : {}),
      });
    }
    case "device":
      return runDeviceCommand(args);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** Run an installer command; a port that cannot be opened is reported (exit 1) with its advice. */
export async function runInstallerCommand(command: string, args: ParsedArgs): Promise<number> {
  try {
    return await run(command, args);
  } catch (e) {
    if (e instanceof SerialPortError) {
      console.error(`tracker ${command}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

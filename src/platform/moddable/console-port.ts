/**
 * The provisioning console's port (console/), from the manifest config: `console` "on" opens it,
 * anything else (the default "off") does not. On ESP32 it is UART0, the board's USB serial bridge
 * (`consolePort` 0, TX GPIO 1 `consoleTx`, RX GPIO 3 `consoleRx`, `consoleBaud` 115200). Only a
 * release build can have it: debug and instrumented builds link the SDK's debugger_uart.c, whose
 * xsbug connection owns UART0 (a release build links debugger_none.c and leaves it free); opening
 * it there fails with "port in use", which is logged and the tracker runs without a console. So
 * build releases with `mcconfig -m -p esp32:<target> console=on`. On Linux (`lin`)
 * `consoleDevice` names a tty instead.
 */
import config from "mc/config";
import type { Logger, SerialPort } from "../ports";
import { ModdableSerialPort, type SerialIoConstructor, type SerialIoKind } from "./serial-port";

/** The console's wiring, or undefined when the build does not ask for one. */
export interface ConsoleWiring {
  port: number;
  receive: number;
  transmit: number;
  baud: number;
  /** tty path (Linux build). */
  device?: string;
}

/** An integer from config (number or numeric string), else `fallback`. */
function integer(key: string, fallback: number): number {
  const raw: unknown = config[key];
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

/** The console wiring from mc/config, undefined unless `console` is "on" (or true). */
export function readConsoleWiring(): ConsoleWiring | undefined {
  const on: unknown = config["console"];
  if (on !== "on" && on !== true) return undefined;
  const wiring: ConsoleWiring = {
    port: integer("consolePort", 0),
    receive: integer("consoleRx", 3),
    transmit: integer("consoleTx", 1),
    baud: integer("consoleBaud", 115200),
  };
  const device: unknown = config["consoleDevice"];
  if (typeof device === "string" && device !== "") wiring.device = device;
  return wiring;
}

/** Open the console port when the build asks for one; undefined (logged) when it cannot be opened. */
export function openConsolePort(serial: SerialIoConstructor, io: SerialIoKind, log: Logger, wiring = readConsoleWiring()): SerialPort | undefined {
  if (!wiring) return undefined;
  try {
    return new ModdableSerialPort({ serial, io, ...wiring, console: true, log, tag: "uart.console" });
  } catch (e) {
    log.log("warn", "console", `no provisioning console: ${String(e)} (debug builds give UART0 to xsbug)`);
    return undefined;
  }
}

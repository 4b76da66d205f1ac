/**
 * The installer's serial-port commands on the command line: their options and help text. Kept apart
 * from the commands themselves (installer-commands.ts, imported when one runs) so other commands do
 * not load serialport's native binding or esptool-js.
 */
import type { OptionSpec, ParsedArgs } from "../cli/args.ts";

/** Commands this module describes. */
export const INSTALLER_COMMANDS: readonly string[] = ["ports", "flash", "serve-gnss", "serve-modem", "device"];

export const INSTALLER_OPTIONS: Readonly<Record<string, OptionSpec & { arguments?: number }>> = Object.freeze({
  ports: { arguments: 0 },
  flash: { values: ["port", "baud", "offset"], flags: ["no-reset"], arguments: 1 },
  "serve-gnss": { values: ["port", "baud", "seed", "nmea", "speed"], arguments: 0 },
  "serve-modem": { values: ["port", "profile", "baud", "owner"], arguments: 0 },
  device: {
    values: ["gnss", "modem", "console", "state", "owner", "profile", "gnss-baud", "modem-baud"],
    flags: ["verbose"],
    arguments: 0,
  },
});

export const INSTALLER_HELP = `Installer tools (real serial ports; see docs/installer.md):
  tracker ports                       List the serial ports with their USB ids and what is probably
                                      attached (the board's USB-UART, a modem's USB, a GNSS...).
  tracker flash --port P IMAGE [--baud 460800] [--offset 0x10000] [--no-reset]
                                      Write a firmware image with esptool-js and verify it (MD5 of
                                      the flash region). Exit 1 when it fails, with what to check.
  tracker serve-gnss --port P [--baud 9600] [--seed N] [--nmea FILE] [--speed X]
                                      The virtual GNSS on a serial port, in real time (or X times
                                      faster): feeds a real board's GNSS UART.
  tracker serve-modem --port P [--profile a7670] [--baud 115200] [--owner N]
                                      The virtual modem, its SMS network and phones on a serial port;
                                      type a line to text the tracker as the owner (e.g. WHERE); SMS
                                      the tracker sends are printed.
  tracker device --gnss P --modem P [--console P] [--state DIR] [--owner N] [--profile X] [--verbose]
                                      The firmware on this computer (Node) against a real GNSS and
                                      modem on serial ports, its provisioning console on --console;
                                      settings kept in DIR/store.json.
`;

/** Run an installer command (loads the serial tools on first use). */
export async function runInstaller(command: string, args: ParsedArgs): Promise<number> {
  const { runInstallerCommand } = await import("./installer-commands.ts");
  return runInstallerCommand(command, args);
}

/**
 * The console tools on the command line: `tracker provision`, `tracker selftest`, `tracker console`
 * (options, help, and running them; serialport is loaded only when one runs).
 */
import { createInterface } from "node:readline";
import { type OptionSpec, type ParsedArgs, UsageError, numberOption } from "../cli/args.ts";

export const CONSOLE_TOOL_COMMANDS: readonly string[] = ["provision", "selftest", "console"];

export const CONSOLE_TOOL_OPTIONS: Readonly<Record<string, OptionSpec & { arguments?: number }>> = Object.freeze({
  provision: { values: ["port", "owner", "pin", "country", "setup-code", "label-file", "profile"], arguments: 0 },
  selftest: { values: ["port", "pin", "fix-within", "loopback-within", "self-number", "ussd"], arguments: 0 },
  console: { values: ["port"], arguments: 0 },
});

export const CONSOLE_TOOL_HELP = `Provisioning (the unit's console on its USB port; release builds with console=on; docs/console-protocol.md):
  tracker provision --port P --owner NUMBER --pin PIN [--country US] [--setup-code auto] [--label-file F] [--profile X]
                                      Set up a factory-fresh unit (country, setup code, PIN, owner:
                                      then its console locks) and print its label (IMEI, firmware,
                                      setup code; never the PIN), also written to F (label-<IMEI>.txt).
  tracker selftest --port P [--pin PIN] [--fix-within 120] [--loopback-within 120] [--self-number N] [--ussd *100#]
                                      The installer's checklist: modem, SIM, network, signal, SMS
                                      centre and store, an SMS to itself, credit, GNSS, voltages;
                                      advice for each problem. Exit 1 when a check failed.
  tracker console --port P            Type console commands (HELP lists them); Ctrl-D quits.
`;

function text(args: ParsedArgs, name: string, command: string, required: true): string;
function text(args: ParsedArgs, name: string, command: string, required?: false): string | undefined;
function text(args: ParsedArgs, name: string, command: string, required = false): string | undefined {
  const value = args.options.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  if (value === undefined && required) throw new UsageError(`tracker ${command} needs --${name}`);
  return value;
}

/** Run provision, selftest or console; resolves with the exit code. */
export async function runConsoleTool(command: string, args: ParsedArgs): Promise<number> {
  const { openConsole, NotAnsweringError, WrongFirmwareError } = await import("./console-client.ts");
  const { SerialPortError } = await import("./serial-open.ts");
  const { ProvisionError, checkProvisionInputs, provisionUnit } = await import("./provision.ts");
  const path = text(args, "port", command, true);
  let provision: Parameters<typeof provisionUnit>[1] | undefined;
  if (command === "provision") {
    provision = { owner: text(args, "owner", command, true), pin: text(args, "pin", command, true) };
    const optional = { country: "country", setupCode: "setup-code", labelFile: "label-file", profile: "profile" } as const;
    for (const [key, name] of Object.entries(optional)) {
      const value = text(args, name, command);
      if (value !== undefined) provision[key as keyof typeof optional] = value;
    }
    try {
      checkProvisionInputs(provision); // before opening the port
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  try {
    const client = await openConsole(path);
    try {
      if (provision) {
        await provisionUnit(client, provision);
        return 0;
      }
      if (command === "selftest") {
        const { runSelfTestTool } = await import("./selftest.ts");
        const pin = text(args, "pin", command);
        const selfNumber = text(args, "self-number", command);
        const ussd = text(args, "ussd", command);
        const result = await runSelfTestTool(client, {
          fixWithinS: numberOption(args, "fix-within", 120, 1, 900),
          loopbackWithinS: numberOption(args, "loopback-within", 120, 1, 900),
          ...(pin ? { pin } : {}),
          ...(selfNumber ? { selfNumber } : {}),
          ...(ussd ? { ussd } : {}),
        });
        return result.exitCode;
      }
      return await interactive(client);
    } finally {
      await client.close();
    }
  } catch (e) {
    if (e instanceof SerialPortError || e instanceof NotAnsweringError || e instanceof WrongFirmwareError || e instanceof ProvisionError) {
      console.error(`tracker ${command}: ${e.message}`);
      return 1;
    }
    if (e instanceof Error && command === "selftest") {
      console.error(`tracker selftest: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** The interactive console: each typed line goes to the unit, its answer is printed. */
async function interactive(client: import("./console-client.ts").ConsoleClient): Promise<number> {
  const facts = await client.hello();
  console.log(`Connected to ${client.path}: firmware ${facts["firmware"]}, ${facts["claimed"] === "yes" ? "claimed" : "unclaimed"}, ${facts["locked"] === "yes" ? "locked (UNLOCK <PIN>)" : "open"}. HELP lists the commands; Ctrl-D quits.`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "console> " });
  client.onLine = (line) => console.log(line);
  rl.prompt();
  for await (const line of rl) {
    if (line.trim() !== "") {
      const long = /^\s*selftest/i.test(line);
      await client.command(line.trim(), long ? 1_000_000 : 10_000).catch((e: Error) => console.log(`(${e.message})`));
    }
    rl.prompt();
  }
  return 0;
}

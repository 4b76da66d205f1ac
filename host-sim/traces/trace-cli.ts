/**
 * `tracker trace …`: record a scenario's modem line, replay a trace against a fresh firmware, or
 * sniff a real modem's UART into a trace.
 *
 *   tracker trace record <scenario> --out FILE [--modem-profile X] [--seed N] [--engine node|xs]
 *   tracker trace replay FILE [--engine node|xs]
 *   tracker trace sniff --tx PORT --rx PORT --out FILE [--baud N] [--profile X] [--seconds N]
 *
 * Sniffing opens the two taps with the installer's serial helpers (serialport): a missing port, a
 * permission problem or a busy port is reported with its fix (exit 2).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { type ParsedArgs, UsageError, numberOption } from "../cli/args.ts";
import { findScenario } from "../scenario/scenarios.ts";
import { PROFILE_NAMES, type ProfileName } from "../modem/profiles.ts";
import type { EngineName } from "../engines/engine.ts";
import { TraceSyntaxError, parseTrace } from "./trace-format.ts";
import { TraceRecorder } from "./trace-recorder.ts";
import { recordScenario, replayTrace, toProfileName } from "./trace-replay.ts";
import type { SerialPort } from "serialport";
import { SerialPortError, closeSerial, openSerial } from "../installer/serial-open.ts";

/** --modem-profile X (either spelling), or undefined when absent. */
export function profileOption(args: ParsedArgs, name = "modem-profile"): ProfileName | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const profile = raw === true ? undefined : toProfileName(raw);
  if (!profile) throw new UsageError(`--${name} must be one of ${PROFILE_NAMES.join(", ")}`);
  return profile;
}

function stringOption(args: ParsedArgs, name: string, what: string): string | undefined {
  const raw = args.options.get(name);
  if (raw === true) throw new UsageError(`--${name} needs ${what}`);
  return raw;
}

function engineOf(args: ParsedArgs): EngineName {
  const raw = args.options.get("engine") ?? "node";
  if (raw === "node" || raw === "xs") return raw;
  throw new UsageError("--engine must be node or xs");
}

export const SNIFF_HELP = `tracker trace sniff --tx PORT --rx PORT --out FILE [--baud N] [--profile X] [--seconds N]

How the recording works: two USB-serial adapters listen on the modem's UART, receive pins only
(leave their TX pins unconnected; common ground):
  --tx PORT   adapter whose RX is on the firmware's TX line (firmware → modem, '>' events)
  --rx PORT   adapter whose RX is on the modem's TX line (modem → firmware, '<' events)
Every byte is stamped on arrival; firmware bytes are grouped per command line, modem bytes per
burst. Stop with Ctrl-C (or --seconds N); the trace is written to --out. Example:
  tracker trace sniff --tx /dev/ttyUSB0 --rx /dev/ttyUSB1 --baud 115200 --profile a7670 --out session.trace
Then check the firmware against it:
  tracker trace replay session.trace`;

/** Run `tracker trace <record|replay|sniff>`; resolves with the exit code. */
export async function runTraceCommand(args: ParsedArgs): Promise<number> {
  const sub = args.positional[1];
  switch (sub) {
    case "record":
      return record(args);
    case "replay":
      return replay(args);
    case "sniff":
      return sniff(args);
    default:
      throw new UsageError(sub ? `unknown trace command '${sub}' (record, replay or sniff)` : "tracker trace needs record, replay or sniff");
  }
}

async function record(args: ParsedArgs): Promise<number> {
  const name = args.positional[2];
  if (!name) throw new UsageError("tracker trace record needs a scenario name (see tracker list)");
  const scenario = findScenario(name);
  if (!scenario) throw new UsageError(`no scenario named '${name}' (see tracker list)`);
  const out = stringOption(args, "out", "a file name");
  if (!out) throw new UsageError("tracker trace record needs --out FILE");
  const { text, trace, result } = await recordScenario(scenario, {
    engine: engineOf(args),
    seed: numberOption(args, "seed", 1, 0, 2 ** 32 - 1),
    modemProfile: profileOption(args),
  });
  writeFileSync(out, text);
  console.log(
    `recorded ${trace.events.length} events (${(result.simulatedMs / 1000).toFixed(0)} s, profile ${trace.header["profile"]}) of '${scenario.name}' to ${out}`,
  );
  if (!result.passed) {
    console.log(`the scenario itself failed:`);
    for (const c of result.checks) if (!c.ok) console.log(`  ✗ ${c.what}: ${c.detail}`);
    return 1;
  }
  return 0;
}

async function replay(args: ParsedArgs): Promise<number> {
  const file = args.positional[2];
  if (!file) throw new UsageError("tracker trace replay needs a trace file");
  const engine = engineOf(args);
  let text: string;
  try {
    text = readFileSync(file, "latin1");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let trace;
  try {
    trace = parseTrace(text);
  } catch (e) {
    if (e instanceof TraceSyntaxError) {
      console.log(`${file}: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const result = await replayTrace(trace, { engine });
  console.log(`${file} [${engine}]: ${result.message}`);
  return result.ok ? 0 : 1;
}

async function sniff(args: ParsedArgs): Promise<number> {
  const tx = stringOption(args, "tx", "a serial port");
  const rx = stringOption(args, "rx", "a serial port");
  const out = stringOption(args, "out", "a file name");
  if (!tx || !rx || !out) throw new UsageError(`tracker trace sniff needs --tx PORT --rx PORT --out FILE\n\n${SNIFF_HELP}`);
  const baud = numberOption(args, "baud", 115_200, 300, 4_000_000);
  const seconds = numberOption(args, "seconds", 0, 0, 7 * 24 * 3600);
  const profile = profileOption(args, "profile");
  const startedMs = performance.now();
  const recorder = new TraceRecorder({
    now: () => performance.now() - startedMs,
    header: { ...(profile ? { profile } : {}), baud, date: new Date().toISOString(), source: `sniff tx=${tx} rx=${rx}` },
  });
  let ports: readonly [SerialPort, SerialPort];
  try {
    const txPort = await openSerial(tx, { baudRate: baud, what: "the --tx tap" });
    ports = [txPort, await openSerial(rx, { baudRate: baud, what: "the --rx tap" }).catch(async (e: unknown) => {
      await closeSerial(txPort);
      throw e;
    })];
  } catch (e) {
    if (e instanceof SerialPortError) throw new UsageError(e.message);
    throw e;
  }
  recorder.attachStream(ports[0], ">");
  recorder.attachStream(ports[1], "<");
  console.log(`recording ${tx} (firmware → modem) and ${rx} (modem → firmware) at ${baud} bit/s; Ctrl-C to stop`);
  const error = await new Promise<Error | undefined>((resolve) => {
    for (const port of ports) port.on("error", (e) => resolve(e));
    process.once("SIGINT", () => resolve(undefined));
    if (seconds > 0) setTimeout(() => resolve(undefined), seconds * 1000);
  });
  for (const port of ports) await closeSerial(port);
  const trace = recorder.trace();
  writeFileSync(out, recorder.toString());
  console.log(`wrote ${trace.events.length} events to ${out}`);
  if (error) {
    console.error(`tracker: serial port error: ${error.message}`);
    return 1;
  }
  return 0;
}

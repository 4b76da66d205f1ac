/**
 * `tracker` — the host tools' command line.
 *   tracker start [options]            interactive console: the firmware in the simulator
 *   tracker run <scenario|all> [...]   run scenarios headless; exit 1 when an expectation fails
 *   tracker list                       list the scenarios
 *   tracker schema                     the JSON Schema of scenario files
 *   tracker trace record|replay|sniff  modem traces (see host-sim/traces/trace-cli.ts)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mergeJunit } from "../scenario/junit-merge.ts";
import { scenarioJsonSchema } from "../scenario/files/json-schema.ts";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { parseArgs, numberOption, UsageError, type OptionSpec, type ParsedArgs } from "./args.ts";
import { SCENARIOS, SCENARIO_GROUPS } from "../scenario/scenarios.ts";
import { RUN_OPTIONS, runCommand } from "./run-command.ts";
import { runConsole } from "./console.ts";
import { printWhereExchange } from "../bench/where-exchange.ts";
import { printNmeaThroughput } from "../bench/nmea-throughput.ts";
import { printLinRuntime } from "../bench/lin-runtime.ts";
import { printDayBench } from "../bench/day-bench.ts";
import { ENGINE_NAMES, STEPPED_ENGINES, type EngineName } from "../engines/engine.ts";
import { runMutation } from "../mutation/mutate.ts";
import { runConformanceCommand, runFuzzCommand } from "./quality-commands.ts";
import { profileOption, runTraceCommand } from "../traces/trace-cli.ts";
import { runDeviceBuild } from "../moddable/device-build.ts";
import { INSTALLER_HELP, INSTALLER_OPTIONS, runInstaller } from "../installer/installer-cli.ts";
import { CONSOLE_TOOL_HELP, CONSOLE_TOOL_OPTIONS, runConsoleTool } from "../installer/console-client-cli.ts";

export { runAndReport } from "./run-command.ts";

const HELP = `tracker — SMS GPS tracker firmware, simulated on this computer (no hardware needed)

Usage:
  tracker start [options]             Boot the firmware in the simulator on a generated drive and
                                      open a console: type an SMS as the owner's phone and read
                                      the tracker's replies. Type /help inside for more.
  tracker run <scenario|group|file|dir> [...] [opts]
                                      Run end-to-end scenarios headless: built-in ones by name or
                                      group (all, core), or scenario files (*.scenario.yaml, a file
                                      or every one under a folder: docs/scenario-files.md): a line
                                      per run, each failure with the SMS exchanged, a summary table.
                                      Exit status 0 when every expectation holds, 1 when one
                                      fails, 2 on a usage error or a mistake in a file (file:line).
  tracker list                        List the built-in scenarios.
  tracker schema [--out FILE]         Print (or write) the JSON Schema of scenario files, for
                                      editors' completion and checking.
  tracker merge-junit --out FILE SHARD.xml ...
                                      Merge the JUnit files of a suite run in shards (run --shard
                                      i/n --junit ...) into one: same-engine suites joined, counts
                                      and times summed.
  tracker bench                       Print XS engine figures (computrons, heap slots) for one
                                      WHERE exchange and for one hour of NMEA under a changing sky
                                      (ours vs nmea-simple), and the Moddable runtime's own figures
                                      (heap, chunks, GCs, stack peak) after boot, a WHERE exchange
                                      and an hour of driving on the lin build; then a day of one
                                      tracker (day-drive-24h) on Node and XS: wall and CPU time,
                                      simulated seconds per second, the firmware's heap after boot,
                                      1 h and 24 h; and a fleet of 100 such days, --jobs 2.
  tracker conformance [dir] [opts]    Replay gpsd's regression logs (<name>.log + <name>.log.chk;
                                      default dir ../shared/corpus/gpsd) through the GNSS parser,
                                      compare our fixes with gpsd's TPVs, print per-file and total
                                      agreement and every unexplained difference. Exit 1 when
                                      agreement < 99% or a difference is not in
                                      host-sim/conformance/known-differences.json.
  tracker fuzz [opts]                 Fuzz the NMEA pipeline, the AT line reader and parsers, and
                                      the PDU decoder with random and damaged input; exit 1 with a
                                      reproduction on the first property violation.
  tracker mutate [FILE ...]           Mutation testing (StrykerJS, stryker.config.json) of the
                                      modules that guard access, money or data, or of FILEs; one
                                      line per module; exit 1 when one scores below 80 %.
                                      Minutes, not seconds: not part of npm test.
  tracker build-device [--only T,..] Build the firmware with the real Moddable SDK: every board
                                      target under targets/ for ESP32 (tsc, xsc and the xsl link
                                      with preload; ESP-IDF is not needed for that part) and the
                                      lin app the moddable engine runs. Uses $MODDABLE, else builds
                                      the SDK from ../shared/toolchains/moddable into ~/.cache.
                                      Exit 1 on an error or on a warning not accepted in
                                      targets/xsl-warnings.json.
  tracker trace record <scenario> --out FILE [--modem-profile X] [--seed N] [--engine node|xs]
                                      Run a scenario and write the modem line (both directions)
                                      as a modem trace.
  tracker trace replay FILE [--engine node|xs]
                                      Boot a fresh firmware against the trace's modem side; print
                                      OK, or the first mismatch with its trace line (exit 1).
  tracker trace sniff --tx PORT --rx PORT --out FILE [--baud N] [--profile X]
                                      Record a real modem session from two serial taps (USB-serial
                                      adapters on the modem's UART, receive pins only).

${INSTALLER_HELP}
${CONSOLE_TOOL_HELP}
Options for start:
  --engine node|xs     JavaScript engine running the firmware (default node; xs = Moddable XS)
  --speed N            simulated seconds per real second (default 5; 1 = real time)
  --owner NUMBER       owner phone number provisioned in the tracker (default +14085550199)
  --unclaimed          start with no owner: a factory-fresh tracker answers nobody
  --nmea FILE          play an NMEA log instead of the generated drive
  --seed N             random seed (default 1)
  --modem-profile X    modem: a7670 (default), sim7600, sim7000, sim800, eg25, bg96

Options for run:
  --engine E              node (default), xs (the XS engine in xsnap), both (node and xs), or
                          moddable: the real Moddable runtime (the lin build under mcsim, over
                          pseudo-terminals, in real time; built on first use, see build-device)
  --chunk N|random        bytes per UART chunk delivered to the firmware (default 96)
  --seed N                random seed (default 1)
  --modem-profile X       run on this modem: a7670, sim7600, sim7000, sim800, eg25, bg96
                          (default: each scenario's own, else a7670)
  --jobs N                run N scenarios at a time on worker processes (default 1, at most
                          the cores Node may use); output stays in the scenarios' order. The
                          moddable engine always runs one at a time
  --shard i/n             run only part i of n of the runs (sorted by name and engine, every
                          n-th): n CI machines each run one part; together they run them all
  --json                  print the results as one JSON document instead
  --junit FILE            also write the results as JUnit XML (one testsuite per engine)
  --report FILE.html      also write one self-contained HTML page with each run's story: the track
                          map with fences and where each alert went out, the modem's states
                          over time, the SMS timeline and the expectations (docs/report.md)
  --verbose               print every expectation and the SMS transcript

Options for conformance:
  --only FILE[,FILE]      only these logs (base names, e.g. triton400.log)
  --chunk N               bytes per chunk fed to the receiver (default 61)
  --verbose               also list the explained (known) differences

Options for fuzz:
  --target T              nmea, at, pdu or all (default all)
  --count N               number of cases per target (default 1000000)
  --seed N                random seed (default 1)
  --corpus DIR            seed sentences from this gpsd corpus (default ../shared/corpus/gpsd;
                          generated sentences when absent)

Examples:
  npm start
  npx tracker run where-with-fix --engine both
  npx tracker run all --chunk 1
  npx tracker run all --jobs 2 --shard 1/3 --junit reports/junit-1.xml
  npx tracker merge-junit --out reports/junit.xml reports/junit-1.xml reports/junit-2.xml reports/junit-3.xml
  npx tracker run theft-story --report build/theft-story.html
`;

/** --engine: one of `allowed`, or "both" (node and xs) where `allowBoth`. */
function engineOption(args: ParsedArgs, allowBoth: boolean, allowed: readonly EngineName[] = ENGINE_NAMES): EngineName[] {
  const raw = args.options.get("engine") ?? "node";
  if (raw === "both" && allowBoth) return [...STEPPED_ENGINES];
  if (allowed.includes(raw as EngineName)) return [raw as EngineName];
  throw new UsageError(`--engine must be ${allowed.join(", ")}${allowBoth ? " or both" : ""}`);
}

/** The options each command accepts (every one also takes --help). */
const COMMAND_OPTIONS: Readonly<Record<string, OptionSpec & { arguments?: number }>> = Object.freeze({
  help: { arguments: 0 },
  list: { arguments: 0 },
  schema: { values: ["out"], arguments: 0 },
  "merge-junit": { values: ["out"] },
  bench: { arguments: 0 },
  mutate: {},
  start: { values: ["engine", "speed", "owner", "nmea", "seed", "modem-profile"], flags: ["unclaimed"], arguments: 0 },
  run: RUN_OPTIONS,
  conformance: { values: ["only", "chunk"], flags: ["verbose"], arguments: 1 },
  fuzz: { values: ["target", "count", "seed", "corpus"], arguments: 0 },
  trace: { values: ["out", "seed", "engine", "modem-profile", "tx", "rx", "baud", "profile", "seconds"], arguments: 2 },
  "build-device": { values: ["only"], arguments: 0 },
  ...INSTALLER_OPTIONS,
  ...CONSOLE_TOOL_OPTIONS,
});

/** --owner: a phone number libphonenumber-js finds valid (national numbers read as US), in E.164. */
function ownerOption(args: ParsedArgs): string | undefined {
  const raw = args.options.get("owner");
  if (raw === undefined) return undefined;
  const number = raw === true ? undefined : parsePhoneNumberFromString(raw, "US");
  if (!number?.isValid()) throw new UsageError(`--owner '${String(raw)}' is not a valid phone number (e.g. +14085550199, or +447700900123)`);
  return number.number;
}

/** Run the CLI; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const first = argv[0];
    const named = first !== undefined && !first.startsWith("-") ? first : undefined;
    const spec = named === undefined ? {} : COMMAND_OPTIONS[named];
    if (named !== undefined && !spec) throw new UsageError(`unknown command '${named}'`);
    const args = parseArgs(argv, spec);
    const command = args.positional[0];
    const extra = spec?.arguments === undefined ? [] : args.positional.slice(1 + spec.arguments);
    if (extra.length > 0) throw new UsageError(`tracker ${command} does not take '${extra.join(" ")}'`);
    if (args.options.has("help") || command === "help" || command === undefined) {
      console.log(HELP);
      return command === undefined && !args.options.has("help") ? 2 : 0;
    }
    switch (command) {
      case "list":
        for (const s of SCENARIOS) console.log(`${s.name.padEnd(26)} ${s.description}`);
        console.log(`\nGroups: ${Object.entries(SCENARIO_GROUPS).map(([g, list]) => `${g} (${list.length})`).join(", ")}`);
        return 0;
      case "run":
        return await runCommand(args, engineOption(args, true));
      case "merge-junit": {
        const out = args.options.get("out");
        const inputs = args.positional.slice(1);
        if (typeof out !== "string" || inputs.length === 0) throw new UsageError("tracker merge-junit needs --out FILE and at least one JUnit file");
        const missing = inputs.filter((f) => !existsSync(f));
        if (missing.length > 0) throw new UsageError(`no such file: ${missing.join(", ")}`);
        writeFileSync(out, mergeJunit(inputs.map((f) => readFileSync(f, "utf8")), inputs));
        console.log(`merged ${inputs.length} file(s) into ${out}`);
        return 0;
      }
      case "schema": {
        const text = JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
        const out = args.options.get("out");
        if (typeof out === "string") writeFileSync(out, text);
        else process.stdout.write(text);
        return 0;
      }
      case "bench":
        await printWhereExchange();
        await printNmeaThroughput();
        await printLinRuntime();
        await printDayBench();
        return 0;
      case "conformance":
        return runConformanceCommand(args);
      case "fuzz":
        return runFuzzCommand(args);
      case "mutate":
        return runMutation(args.positional.slice(1));
      case "trace":
        return await runTraceCommand(args);
      case "build-device": {
        const only = args.options.get("only");
        if (only === true) throw new UsageError("--only needs target names (e.g. lilygo_t_a7670,lin)");
        return await runDeviceBuild(only ? { only: only.split(",") } : {});
      }
      case "start": {
        const seed = numberOption(args, "seed", 1, 0, 2 ** 32 - 1);
        const owner = ownerOption(args);
        if (owner !== undefined && args.options.has("unclaimed")) throw new UsageError("--owner and --unclaimed contradict each other: choose one");
        const nmea = args.options.get("nmea");
        if (nmea === true) throw new UsageError("--nmea needs a file");
        if (nmea !== undefined && !existsSync(nmea)) throw new UsageError(`--nmea: no file '${nmea}'`);
        return await runConsole({
          engine: engineOption(args, false, STEPPED_ENGINES)[0]!,
          speed: numberOption(args, "speed", 5, 0.1, 1000),
          seed,
          ownerNumber: args.options.has("unclaimed") ? null : owner,
          nmeaFile: nmea,
          modemProfile: profileOption(args),
        });
      }
      case "ports":
      case "flash":
      case "serve-gnss":
      case "serve-modem":
      case "device":
        return await runInstaller(command, args);
      case "provision":
      case "selftest":
      case "console":
        return await runConsoleTool(command, args);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`tracker: ${e.message}\nRun 'tracker --help' for usage.`);
      return 2;
    }
    throw e;
  }
}

/**
 * `tracker run <names or groups...> [--engine node|xs|moddable|both] [--seed N] [--jobs N]
 * [--shard i/n] [--json] [--junit FILE] [--report FILE.html] [--verbose] [--chunk N|random]
 * [--modem-profile X]`:
 * picks the runs (each scenario on each engine; with --shard, a deterministic 1/n of them), runs
 * them (--jobs: on worker processes, run-pool.ts), and reports them in the runs' order: for a person
 * (report-text.ts, with a progress line on a terminal), as JSON (report-json.ts) and/or JUnit XML
 * (report-junit.ts), and/or as one HTML page with each run's story (report-html.ts: the runs then
 * record their stories, story.ts). Exit status 0 when every expectation held, 1 when one failed.
 */
import { availableParallelism } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { numberOption, UsageError, type OptionSpec, type ParsedArgs } from "./args.ts";
import { existsSync } from "node:fs";
import { SCENARIO_GROUPS, findScenario, type Scenario } from "../scenario/scenarios.ts";
import { isPathArgument, loadFileScenario, scenarioFilesIn } from "../scenario/files/file-scenario.ts";
import { ScenarioFileError } from "../scenario/files/load-file.ts";
import type { ScenarioResult } from "../scenario/runner.ts";
import { progressLine, resultLines, summaryLines, tally } from "../scenario/report-text.ts";
import { jsonReport } from "../scenario/report-json.ts";
import { junitXml } from "../scenario/report-junit.ts";
import { htmlReport } from "../scenario/report-html.ts";
import { runPlanned, type PlannedRun } from "./run-pool.ts";
import { profileOption } from "../traces/trace-cli.ts";
import { UART_RX_CHUNK_BYTES, type ChunkPolicy } from "../uart.ts";
import type { EngineName } from "../engines/engine.ts";
import type { ProfileName } from "../modem/profiles.ts";

/** The options `tracker run` accepts. */
export const RUN_OPTIONS: OptionSpec = Object.freeze({
  values: ["engine", "chunk", "seed", "modem-profile", "jobs", "shard", "junit", "report"],
  flags: ["verbose", "json"],
});

/** --shard i/n: the i-th (1-based) of n parts. */
export interface Shard {
  index: number;
  count: number;
}

/** Parse "i/n" with 1 ≤ i ≤ n; a UsageError naming the value otherwise. */
export function parseShard(raw: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 2/3), got '${raw}'`);
  }
  return { index, count };
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The runs of shard `shard`: sorted by scenario name then engine (by code units, so every machine
 * agrees), every n-th from the i-th; returned in their original order. The shards 1/n … n/n
 * partition `runs`.
 */
export function selectShard<T extends { scenario: { name: string }; engine: string }>(runs: readonly T[], shard: Shard): T[] {
  const sorted = runs
    .map((run, i) => ({ run, i }))
    .sort((a, b) => byCodeUnits(a.run.scenario.name, b.run.scenario.name) || byCodeUnits(a.run.engine, b.run.engine) || a.i - b.i);
  const picked = new Set(sorted.filter((_, k) => k % shard.count === shard.index - 1).map((s) => s.i));
  return runs.filter((_, i) => picked.has(i));
}

/** --jobs N: a whole number from 1 to the cores Node may use (default 1). */
export function jobsOption(args: ParsedArgs): number {
  const most = availableParallelism();
  const jobs = numberOption(args, "jobs", 1, 1, most);
  if (!Number.isInteger(jobs)) throw new UsageError(`--jobs must be a whole number from 1 to ${most}, got '${String(args.options.get("jobs"))}'`);
  return jobs;
}

function chunkOption(args: ParsedArgs, seed: number): ChunkPolicy {
  const raw = args.options.get("chunk");
  if (raw === undefined) return UART_RX_CHUNK_BYTES;
  if (raw === "random") return { random: seed };
  return numberOption(args, "chunk", UART_RX_CHUNK_BYTES, 1, 4096);
}

/** The scenarios of the files at `path` (a file or a folder); a file's problems are a usage error listing them. */
function scenarioFiles(path: string): Scenario[] {
  if (!existsSync(path)) throw new UsageError(`no scenario file or folder '${path}'`);
  const files = scenarioFilesIn(path);
  if (files.length === 0) throw new UsageError(`no scenario files (*.scenario.yaml) under '${path}'`);
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  for (const file of files) {
    try {
      scenarios.push(loadFileScenario(file));
    } catch (e) {
      if (!(e instanceof ScenarioFileError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return scenarios;
}

/** The scenarios named (names or groups, as words or comma-separated; scenario files or folders of them), each once, in order. */
export function scenariosNamed(words: readonly string[]): Scenario[] {
  const names = words.flatMap((word) => word.split(",")).filter((n) => n !== "");
  if (names.length === 0) throw new UsageError("tracker run needs a scenario name or 'all' (see tracker list)");
  const scenarios: Scenario[] = [];
  for (const item of names) {
    if (isPathArgument(item)) {
      scenarios.push(...scenarioFiles(item).filter((f) => !scenarios.some((s) => s.source === f.source)));
      continue;
    }
    const group = SCENARIO_GROUPS[item];
    const scenario = group ? undefined : findScenario(item);
    if (!group && !scenario) throw new UsageError(`no scenario or group named '${item}' (see tracker list)`);
    for (const s of group ?? [scenario!]) if (!scenarios.includes(s)) scenarios.push(s);
  }
  return scenarios;
}

/** `tracker run`, its options parsed by main.ts against RUN_OPTIONS; `engines` from --engine. */
export async function runCommand(args: ParsedArgs, engines: readonly EngineName[]): Promise<number> {
  const scenarios = scenariosNamed(args.positional.slice(1));
  const seed = numberOption(args, "seed", 1, 0, 2 ** 32 - 1);
  const shard = args.options.get("shard");
  const junit = args.options.get("junit");
  const report = args.options.get("report");
  if (typeof report === "string" && !/\.html?$/i.test(report)) throw new UsageError(`--report needs a file name ending in .html, got '${report}'`);
  return runAndReport(scenarios, engines, {
    seed,
    chunk: chunkOption(args, seed),
    verbose: args.options.has("verbose"),
    modemProfile: profileOption(args),
    jobs: jobsOption(args),
    ...(typeof shard === "string" ? { shard: parseShard(shard) } : {}),
    json: args.options.has("json"),
    ...(typeof junit === "string" ? { junit } : {}),
    ...(typeof report === "string" ? { report, command: commandLine(args) } : {}),
    progress: process.stdout.isTTY === true && !args.options.has("json"),
  });
}

export interface RunReportOptions {
  seed: number;
  chunk: ChunkPolicy;
  verbose: boolean;
  modemProfile?: ProfileName;
  /** Runs at a time (default 1). */
  jobs?: number;
  shard?: Shard;
  /** Print one JSON document instead of the lines for a person. */
  json?: boolean;
  /** Also write JUnit XML to this file. */
  junit?: string;
  /** Also write the HTML report (the runs' stories) to this file. */
  report?: string;
  /** The command line, for the HTML report's header. */
  command?: string;
  /** Show the progress line (a terminal). */
  progress?: boolean;
}

/** The progress line on a terminal: overwritten with \r, cleared before anything else is printed. */
class StatusLine {
  private shown = false;
  constructor(private readonly enabled: boolean) {}
  show(text: string): void {
    if (!this.enabled) return;
    process.stdout.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }
  clear(): void {
    if (!this.shown) return;
    process.stdout.write("\r\x1b[2K");
    this.shown = false;
  }
}

/**
 * Run `scenarios` on each engine (or the shard's part of those runs) and report: a line per run in
 * the runs' order (and the failed expectations with the SMS), the summary table and "N passed,
 * N failed"; or the JSON document; and the JUnit file. Resolves with the exit code: 0 when every
 * expectation held, else 1.
 */
export async function runAndReport(scenarios: readonly Scenario[], engines: readonly EngineName[], options: RunReportOptions): Promise<number> {
  let jobs = options.jobs ?? 1;
  if (jobs > 1 && engines.includes("moddable")) {
    console.error(`tracker: --jobs ${jobs} ignored: the moddable engine runs one scenario at a time (one Moddable runtime at a time)`);
    jobs = 1;
  }
  const all: PlannedRun[] = engines.flatMap((engine) => scenarios.map((scenario) => ({ scenario, engine })));
  const runs = options.shard ? selectShard(all, options.shard) : all;
  const json = options.json === true;
  const status = new StatusLine(options.progress === true && !json);
  const print = (line: string) => {
    status.clear();
    console.log(line);
  };
  const results: (ScenarioResult | undefined)[] = new Array(runs.length);
  const running = new Set<number>();
  let printed = 0;
  let finished = 0;
  const showProgress = () => {
    const current = Math.min(...running);
    if (Number.isFinite(current)) status.show(progressLine(finished + 1, runs.length, runs[current]!.scenario.name, runs[current]!.engine));
  };
  const started = Date.now();
  const done = await runPlanned(
    runs,
    {
      seed: options.seed,
      chunk: options.chunk,
      jobs,
      ...(options.modemProfile ? { modemProfile: options.modemProfile } : {}),
      ...(options.report !== undefined ? { story: true } : {}),
      moddableProgress: (line) => (json ? console.error(line) : print(`      ${line}`)),
    },
    {
      started(i) {
        running.add(i);
        showProgress();
      },
      finished(i, result) {
        running.delete(i);
        finished++;
        results[i] = result;
        if (!json) for (; printed < runs.length && results[printed]; printed++) for (const line of resultLines(results[printed]!, options.verbose)) print(line);
        showProgress();
      },
    },
  );
  status.clear();
  const elapsedMs = Date.now() - started;
  if (json) {
    const shard = options.shard ? `${options.shard.index}/${options.shard.count}` : null;
    console.log(JSON.stringify(jsonReport(done, { seed: options.seed, shard, jobs, elapsedMs }), null, 2));
  } else {
    for (const line of summaryLines(done, elapsedMs)) console.log(line);
  }
  if (options.junit !== undefined) writeJunit(options.junit, done, options);
  if (options.report !== undefined) writeHtmlReport(options.report, done, options);
  return tally(done).failed === 0 ? 0 : 1;
}

function writeJunit(file: string, results: readonly ScenarioResult[], options: RunReportOptions): void {
  const properties: Record<string, string | number> = { seed: options.seed };
  if (options.shard) properties.shard = `${options.shard.index}/${options.shard.count}`;
  if (options.modemProfile) properties["modem-profile"] = options.modemProfile;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, junitXml(results, { properties }));
  } catch (e) {
    throw new UsageError(`--junit: cannot write '${file}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The command line as parsed ("tracker run theft-story --report x.html"), for the report's header. */
function commandLine(args: ParsedArgs): string {
  const options = [...args.options].map(([name, value]) => (value === true ? `--${name}` : `--${name} ${value}`));
  return ["tracker", ...args.positional, ...options].join(" ");
}

/** The HTML report in `file` (its folder made when missing); a UsageError when it cannot be written. */
function writeHtmlReport(file: string, results: readonly ScenarioResult[], options: RunReportOptions): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, htmlReport(results, options.command !== undefined ? { command: options.command } : {}));
  } catch (e) {
    throw new UsageError(`--report: cannot write '${file}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The `tracker conformance` (gpsd) and `tracker fuzz` (NMEA, AT, PDU) quality commands.
 */
import { fuzzAt } from "../fuzz/at-fuzz.ts";
import { fuzzPdu } from "../fuzz/pdu-fuzz.ts";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { numberOption, UsageError, type ParsedArgs } from "./args.ts";
import { loadKnownDifferences, printReport, runConformance } from "../conformance/conformance.ts";
import { printFuzzResult, runFuzz } from "../fuzz/nmea-fuzz.ts";

/** The gpsd corpus beside the project (../shared/corpus/gpsd from the project root). */
export const DEFAULT_GPSD_CORPUS = fileURLToPath(new URL("../../../shared/corpus/gpsd", import.meta.url));

function stringOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.options.get(name);
  if (raw === true) throw new UsageError(`--${name} needs a value`);
  return raw;
}

/** `tracker conformance [dir]`: exit 0 pass, 1 fail, 2 usage (missing corpus). */
export function runConformanceCommand(args: ParsedArgs): number {
  const dir = args.positional[1] ?? DEFAULT_GPSD_CORPUS;
  if (!existsSync(dir)) throw new UsageError(`no gpsd corpus at ${dir} (pass the directory holding *.log and *.log.chk)`);
  const only = stringOption(args, "only")?.split(",").filter((s) => s.length > 0);
  const chunkBytes = numberOption(args, "chunk", 61, 1, 1 << 20);
  const known = loadKnownDifferences();
  const started = performance.now();
  const report = runConformance(dir, { known, only, chunkBytes });
  if (report.files.length === 0) throw new UsageError(`no <name>.log with <name>.log.chk in ${dir}`);
  printReport(report, known, args.options.has("verbose"));
  console.log(`${report.files.length} logs in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return report.passed ? 0 : 1;
}

/** `tracker fuzz`: exit 0 when every property held, 1 on a violation. */
/**
 * `tracker fuzz [--target nmea|at|pdu|all]`: each target gets --count cases (default 10^6).
 * Exit 1 on the first property violation of a target (with its reproduction printed).
 */
export function runFuzzCommand(args: ParsedArgs): number {
  const target = stringOption(args, "target") ?? "all";
  if (!["nmea", "at", "pdu", "all"].includes(target)) throw new UsageError("--target must be nmea, at, pdu or all");
  const count = numberOption(args, "count", 1_000_000, 1, 1e9);
  const seed = numberOption(args, "seed", 1, 0, 2 ** 32 - 1);
  let status = 0;
  if (target === "nmea" || target === "all") status = Math.max(status, runNmeaFuzz(args, count, seed));
  if (target === "at" || target === "all") status = Math.max(status, fuzzAt(count, seed, (line) => console.log(line)).failures.length ? 1 : 0);
  if (target === "pdu" || target === "all") status = Math.max(status, fuzzPdu(count, seed, (line) => console.log(line)).failures.length ? 1 : 0);
  return status;
}

function runNmeaFuzz(args: ParsedArgs, count: number, seed: number): number {
  const corpusDir = stringOption(args, "corpus") ?? DEFAULT_GPSD_CORPUS;
  console.log(`fuzzing the GNSS pipeline: ${count} cases, seed ${seed}`);
  const result = runFuzz({
    count, seed, corpusDir,
    progressEvery: 100_000,
    onProgress: (done) => console.log(`  ${done} cases...`),
  });
  return printFuzzResult(result, seed);
}

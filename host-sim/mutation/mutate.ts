/**
 * `npm run mutate [-- <file> ...]`: mutation testing with StrykerJS (stryker.config.json: the mocha
 * runner, per-test coverage, 2 workers, incremental) over the modules that guard access, money or
 * data, then one line per module with its score and whether it meets REQUIRED_SCORE.
 *
 * Before Stryker starts: the Mocha 12 patch of its runner (mocha12-patch.ts), and a link
 * `.stryker-tmp/shared` → the `../shared` beside the project, so tests running in Stryker's sandbox
 * (`.stryker-tmp/sandbox-*`, where `../shared` means `.stryker-tmp/shared`) read the corpus as usual.
 * Exit 0 when every module reported meets the score, 1 otherwise, 2 when Stryker itself failed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, lstatSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { minimatch } from "minimatch";
import { patchMochaRunner } from "./mocha12-patch.ts";

/** The project root (this file is host-sim/mutation/mutate.ts). */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where Stryker's JSON reporter writes (stryker.config.json jsonReporter.fileName). */
const REPORT = join(ROOT, "reports/mutation/mutation.json");
/** The least mutation score (killed or timed out ÷ all mutants, no coverage included) a guarded module may have, %. */
export const REQUIRED_SCORE = 80;

/** Mutant outcomes as Stryker's JSON report names them. */
type MutantStatus = "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";

/** One module's counts. */
export interface ModuleScore {
  file: string;
  killed: number;
  survived: number;
  noCoverage: number;
  /** Excluded on purpose (Stryker disable comments: equivalent mutants, see docs/equivalent-mutants.md). */
  ignored: number;
  /** (killed + timeout) ÷ (all − ignored − errors), %. */
  score: number;
}

/** Scores per file from a Stryker JSON report (mutation-testing-report-schema). */
export function scoresFromReport(report: { files: Record<string, { mutants: { status: MutantStatus }[] }> }): ModuleScore[] {
  const out: ModuleScore[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const count = (...statuses: MutantStatus[]) => mutants.filter((m) => statuses.includes(m.status)).length;
    const detected = count("Killed", "Timeout");
    const valid = mutants.length - count("Ignored", "CompileError", "RuntimeError", "Pending");
    out.push({
      file,
      killed: detected,
      survived: count("Survived"),
      noCoverage: count("NoCoverage"),
      ignored: count("Ignored"),
      score: valid === 0 ? 100 : (100 * detected) / valid,
    });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Link `.stryker-tmp/shared` to the `../shared` beside the project, when there is one. */
function linkSharedIntoSandboxParent(): void {
  const shared = resolve(ROOT, "../shared");
  const parent = join(ROOT, ".stryker-tmp");
  const link = join(parent, "shared");
  mkdirSync(parent, { recursive: true });
  if (existsSync(link) || isDanglingLink(link)) rmSync(link, { force: true });
  if (existsSync(shared)) symlinkSync(shared, link);
  else console.log("mutate: no ../shared beside the project: tests that read the corpus skip, as in npm test");
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** True when `file` (a project-relative path) matches one of Stryker's `--mutate` patterns (paths or globs). */
export function matchesAny(file: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => minimatch(file, pattern.replace(/^\.\//, "")));
}

/** Run Stryker on `files` (default: stryker.config.json's list) and report; resolves with the exit code. */
export function runMutation(files: readonly string[]): number {
  console.log(`mutate: Stryker's mocha runner for Mocha 12: ${patchMochaRunner(ROOT)}`);
  linkSharedIntoSandboxParent();
  rmSync(REPORT, { force: true });
  const stryker = join(ROOT, "node_modules/@stryker-mutator/core/bin/stryker.js");
  const args = [stryker, "run", "stryker.config.json", ...(files.length > 0 ? ["--mutate", files.join(",")] : [])];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
  if (run.status !== 0 || !existsSync(REPORT)) {
    console.error(`mutate: Stryker ended with ${run.status ?? run.signal}`);
    return 2;
  }
  // The report also holds the other modules' results from the incremental file: judge only those asked for.
  const scores = scoresFromReport(JSON.parse(readFileSync(REPORT, "utf8"))).filter((s) => files.length === 0 || matchesAny(s.file, files));
  console.log(`\nmodule${" ".repeat(38)}score   killed  survived  no cov  equivalent`);
  for (const s of scores) {
    const mark = s.score >= REQUIRED_SCORE ? "ok " : "LOW";
    console.log(
      `${mark} ${s.file.padEnd(40)} ${s.score.toFixed(1).padStart(5)} %  ${String(s.killed).padStart(6)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(6)}  ${String(s.ignored).padStart(10)}`,
    );
  }
  const low = scores.filter((s) => s.score < REQUIRED_SCORE);
  console.log(low.length === 0 ? `every module at ${REQUIRED_SCORE} % or more` : `${low.length} module(s) below ${REQUIRED_SCORE} %`);
  return low.length === 0 ? 0 : 1;
}

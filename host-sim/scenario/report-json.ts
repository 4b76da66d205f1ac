/**
 * `tracker run --json`: the results as one JSON document, for scripts and CI: per run its name,
 * engine, outcome, simulated and wall-clock time, the failed expectations (what / detail) and the
 * SMS transcript; then the totals.
 */
import type { ScenarioResult } from "./runner.ts";
import { tally } from "./report-text.ts";

/** One run in the JSON document. */
export interface JsonRun {
  name: string;
  engine: string;
  passed: boolean;
  /** Why it did not run, when it was skipped (then `passed` is true and nothing was checked). */
  skipped?: string;
  simulatedMs: number;
  wallMs: number;
  failed: { what: string; detail: string }[];
  transcript: string[];
  runtime?: ScenarioResult["runtime"];
}

/** The whole document. */
export interface JsonReport {
  seed: number;
  /** "i/n" when the run was one shard of the suite. */
  shard: string | null;
  jobs: number;
  summary: { passed: number; failed: number; skipped: number; wallMs: number };
  results: JsonRun[];
}

/** The JSON document for `results` (in run order). */
export function jsonReport(
  results: readonly ScenarioResult[],
  meta: { seed: number; shard: string | null; jobs: number; elapsedMs: number },
): JsonReport {
  return {
    seed: meta.seed,
    shard: meta.shard,
    jobs: meta.jobs,
    summary: { ...tally(results), wallMs: meta.elapsedMs },
    results: results.map((r) => ({
      name: r.name,
      engine: r.engine,
      passed: r.passed,
      ...(r.skipped !== undefined ? { skipped: r.skipped } : {}),
      simulatedMs: r.simulatedMs,
      wallMs: r.wallMs,
      failed: r.checks.filter((c) => !c.ok).map((c) => ({ what: c.what, detail: c.detail })),
      transcript: r.transcript,
      ...(r.runtime ? { runtime: r.runtime } : {}),
    })),
  };
}

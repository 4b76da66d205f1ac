/**
 * `tracker run`'s output for a person: a line per run (PASS / FAIL / SKIP with its figures), each
 * failed expectation with the SMS exchanged and their simulated times, the progress line shown on a
 * terminal, and the closing summary table (one row per engine) with "N passed, N failed".
 */
import type { ScenarioResult } from "./runner.ts";

/** The lines printed for one run: its PASS/FAIL/SKIP line, failed (or, verbose, all) checks, the SMS. */
export function resultLines(result: ScenarioResult, verbose: boolean): string[] {
  if (result.skipped !== undefined) return [`SKIP  ${result.name} [${result.engine}]: ${result.skipped}`];
  const mark = result.passed ? "PASS" : "FAIL";
  const runtime = result.runtime ? `  (stack peak ${result.runtime.stackPeakSlots} slots)` : "";
  const lines = [
    `${mark}  ${result.name} [${result.engine}]  ${(result.simulatedMs / 1000).toFixed(0)} s simulated in ${(result.wallMs / 1000).toFixed(1)} s${runtime}`,
  ];
  for (const c of result.checks) {
    if (!c.ok) lines.push(`      ✗ ${c.what}: ${c.detail}`);
    else if (verbose) lines.push(`      ✓ ${c.what}`);
  }
  if (verbose || !result.passed) {
    if (result.transcript.length === 0) lines.push("      (no SMS was exchanged)");
    else lines.push("      SMS exchanged (simulated time, from -> to: text [status]):");
    for (const line of result.transcript) lines.push(`        ${line}`);
  }
  return lines;
}

/** The progress line shown (and overwritten) on a terminal while runs go on. */
export function progressLine(position: number, total: number, name: string, engine: string): string {
  return `[${position}/${total}] running ${name} [${engine}] …`;
}

/** Simulated time for the table: seconds, minutes or hours. */
export function formatSimulated(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Passed, failed and skipped runs in `results`. */
export function tally(results: readonly ScenarioResult[]): { passed: number; failed: number; skipped: number } {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of results) {
    if (r.skipped !== undefined) skipped++;
    else if (r.passed) passed++;
    else failed++;
  }
  return { passed, failed, skipped };
}

/**
 * The summary: a table (engine | passed | failed | skipped | simulated time | wall time; wall time is
 * the runs' own, summed, and the total row's is the elapsed time, which --jobs makes shorter), then
 * "N passed, N failed" (", N skipped" when some were) as the last line.
 */
export function summaryLines(results: readonly ScenarioResult[], elapsedMs: number): string[] {
  const engines = [...new Set(results.map((r) => r.engine))];
  const header = ["engine", "passed", "failed", "skipped", "simulated time", "wall time"];
  const row = (label: string, rs: readonly ScenarioResult[], wallMs: number): string[] => {
    const t = tally(rs);
    const simulated = rs.reduce((sum, r) => sum + r.simulatedMs, 0);
    return [label, String(t.passed), String(t.failed), String(t.skipped), formatSimulated(simulated), `${(wallMs / 1000).toFixed(1)} s`];
  };
  const rows = engines.map((e) => {
    const rs = results.filter((r) => r.engine === e);
    return row(e, rs, rs.reduce((sum, r) => sum + r.wallMs, 0));
  });
  if (engines.length > 1) rows.push(row("total", results, elapsedMs));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ");
  const t = tally(results);
  return [
    "",
    format(header),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    ...rows.map(format),
    "",
    `${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}`,
  ];
}

/**
 * `tracker run ... --report FILE.html`: one self-contained HTML page for the runs (inline CSS, SVG
 * and a few lines of script; a Content-Security-Policy forbids fetching anything). Per run: its
 * name, description, engine, seed and verdict; the map (report-html-map.ts) of the vehicle's track,
 * the receiver's fixes, the fences and where each alert went out; the modem's, firmware's and
 * vehicle's states and the SMS on one time axis (report-html-bands.ts); the SMS timeline with each
 * reply paired with its command (report-html-sms.ts); the expectations. Every text is escaped.
 */
import type { ScenarioResult } from "./runner.ts";
import type { Story } from "./story.ts";
import { tally } from "./report-text.ts";
import { esc, durationText } from "./report-html-text.ts";
import { trackMapSvg } from "./report-html-map.ts";
import { bandChartSvg } from "./report-html-bands.ts";
import { smsTimelineHtml } from "./report-html-sms.ts";
import { REPORT_CSS, REPORT_SCRIPT } from "./report-html-style.ts";

/** The run as a whole, for the page's header. */
export interface HtmlReportMeta {
  /** The page's title (default "Scenario report"). */
  title?: string;
  /** The command line that made it, shown under the title. */
  command?: string;
}

/** Nothing may be fetched: styles and scripts inline only, images only as data. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function verdict(result: ScenarioResult): string {
  if (result.skipped !== undefined) return `<span class="verdict skip">skipped</span>`;
  return result.passed ? `<span class="verdict pass">passed</span>` : `<span class="verdict fail">failed</span>`;
}

function runId(index: number): string {
  return `run-${index + 1}`;
}

function summaryTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r, i) => {
    const failed = r.checks.filter((c) => !c.ok).length;
    return `<tr><td><a href="#${runId(i)}">${esc(r.name)}</a></td><td>${esc(r.engine)}</td><td>${verdict(r)}</td><td>${r.checks.length - failed}/${r.checks.length}</td><td>${esc(durationText(r.simulatedMs))}</td></tr>`;
  });
  return `<table class="summary"><thead><tr><th>scenario</th><th>engine</th><th>outcome</th><th>expectations held</th><th>simulated</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function metaList(result: ScenarioResult, story: Story | undefined): string {
  const items: [string, string][] = [["engine", result.engine]];
  if (story) items.push(["seed", String(story.scenario.seed)], ["modem", story.scenario.modemProfile]);
  items.push(["simulated", durationText(result.simulatedMs)], ["wall clock", `${(result.wallMs / 1000).toFixed(1)} s`]);
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
}

function checksList(result: ScenarioResult): string {
  if (result.checks.length === 0) return `<p class="note">No expectation was checked.</p>`;
  const items = result.checks.map((c) =>
    c.ok ? `<li class="ok">${esc(c.what)}</li>` : `<li class="failed">${esc(c.what)}${c.detail ? `<pre>${esc(c.detail)}</pre>` : ""}</li>`,
  );
  return `<ul class="checks">${items.join("")}</ul>`;
}

function legend(story: Story): string {
  const items = [
    story.truth.length > 0 ? `<span><i style="border-color:#1d4ed8"></i>true track (${story.truth.length} points)</span>` : "",
    story.fixes.length > 0 ? `<span><i style="border-color:#f59e0b;border-top-style:dashed"></i>receiver's fixes (${story.fixes.length} points)</span>` : "",
    `<span>● start ■ end</span>`,
    story.fences.some((f) => f.fence) ? `<span><i style="border-color:#7b2cbf"></i>fence the owner set (solid: still set at the end; dashed: removed or replaced)</span>` : `<span>no fence was set</span>`,
    `<span>◆ position sent by SMS</span>`,
    story.alerts.length > 0 ? `<span>numbered circles: where each alert went out</span>` : `<span>no alert</span>`,
  ];
  return `<div class="legend">${items.join("")}</div>`;
}

function runSection(result: ScenarioResult, index: number): string {
  const story = result.story;
  const parts = [
    `<section class="run" id="${runId(index)}">`,
    `<h2>${esc(result.name)} ${verdict(result)}</h2>`,
    story ? `<p class="desc">${esc(story.scenario.description)}</p>` : "",
    metaList(result, story),
  ];
  if (result.skipped !== undefined) parts.push(`<p class="note">Not run: ${esc(result.skipped)}</p>`);
  if (story) {
    parts.push(`<h3>Track</h3>`, trackMapSvg(story), legend(story));
    parts.push(`<h3>Modem, firmware and vehicle over time</h3>`, bandChartSvg(story));
    parts.push(`<h3>SMS (${story.sms.length})</h3>`, smsTimelineHtml(story));
  } else if (result.skipped === undefined) {
    parts.push(`<p class="note">No story was recorded for this run.</p>`);
  }
  parts.push(`<h3>Expectations</h3>`, checksList(result), `</section>`);
  return parts.join("\n");
}

/** The whole page for `results` (in run order). */
export function htmlReport(results: readonly ScenarioResult[], meta: HtmlReportMeta = {}): string {
  const title = meta.title ?? "Scenario report";
  const t = tally(results);
  return [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    `<header class="page"><h1>${esc(title)}</h1><p>${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}${meta.command ? ` — <code>${esc(meta.command)}</code>` : ""}</p></header>`,
    `<main>`,
    results.length > 1 ? summaryTable(results) : "",
    ...results.map(runSection),
    `</main>`,
    `<script>${REPORT_SCRIPT}</script>`,
    `</body></html>`,
    ``,
  ].join("\n");
}

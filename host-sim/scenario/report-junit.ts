/**
 * `tracker run --junit FILE`: the results as JUnit XML, which CI systems render: <testsuites>, one
 * <testsuite> per engine, one <testcase> per scenario run (time in seconds), a <failure> naming the
 * failed expectations and the simulated time, <skipped> with its reason, and the SMS transcript in
 * <system-out>. Written by hand: text is XML-escaped, and characters XML 1.0 cannot carry at all
 * (control characters, lone surrogates, U+FFFE/U+FFFF) are written as visible \uXXXX escapes.
 */
import type { ScenarioResult } from "./runner.ts";
import { tally } from "./report-text.ts";

/** What the report says about the run as a whole. */
export interface JunitOptions {
  /** The <testsuites> name. Default "tracker run". */
  name?: string;
  /** Properties of every <testsuite> (seed, shard...). */
  properties?: Readonly<Record<string, string | number>>;
}

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;" };

/** Characters XML 1.0 does not allow, even as references: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` for an XML element's content. */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[&<>"'\r]/g, (c) => ENTITIES[c]!);
}

/** `text` for a double-quoted attribute value (line breaks and tabs kept as references). */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`)
    .join("");
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(result: ScenarioResult): string[] {
  const open = `    <testcase${attributes({ classname: `tracker.${result.engine}`, name: result.name, time: seconds(result.wallMs) })}`;
  if (result.skipped !== undefined) return [`${open}>`, `      <skipped${attributes({ message: result.skipped })}/>`, "    </testcase>"];
  const lines = [`${open}>`];
  const failed = result.checks.filter((c) => !c.ok);
  if (!result.passed) {
    const message = failed.map((c) => c.what).join("; ") || "the scenario failed";
    const body = [
      ...failed.map((c) => `✗ ${c.what}: ${c.detail}`),
      `after ${(result.simulatedMs / 1000).toFixed(1)} s simulated`,
    ].join("\n");
    lines.push(`      <failure${attributes({ message, type: "expectation" })}>${xmlText(body)}</failure>`);
  }
  if (result.transcript.length > 0) lines.push(`      <system-out>${xmlText(result.transcript.join("\n"))}</system-out>`);
  lines.push("    </testcase>");
  return lines;
}

/** The JUnit XML document for `results` (one <testsuite> per engine, in the order engines first appear). */
export function junitXml(results: readonly ScenarioResult[], options: JunitOptions = {}): string {
  const engines = [...new Set(results.map((r) => r.engine))];
  const totals = tally(results);
  const wall = (rs: readonly ScenarioResult[]) => seconds(rs.reduce((sum, r) => sum + r.wallMs, 0));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: options.name ?? "tracker run", tests: results.length, failures: totals.failed, errors: 0, skipped: totals.skipped, time: wall(results) })}>`,
  ];
  for (const engine of engines) {
    const rs = results.filter((r) => r.engine === engine);
    const t = tally(rs);
    lines.push(`  <testsuite${attributes({ name: engine, tests: rs.length, failures: t.failed, errors: 0, skipped: t.skipped, time: wall(rs) })}>`);
    const properties = Object.entries(options.properties ?? {});
    if (properties.length > 0) {
      lines.push("    <properties>");
      for (const [name, value] of properties) lines.push(`      <property${attributes({ name, value })}/>`);
      lines.push("    </properties>");
    }
    for (const r of rs) lines.push(...testcase(r));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>", "");
  return lines.join("\n");
}

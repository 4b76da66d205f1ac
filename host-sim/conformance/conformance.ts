/**
 * gpsd conformance: replay every `<name>.log` of a directory through our GNSS pipeline, compare the
 * published fixes with gpsd's TPVs in `<name>.log.chk` (see compare.ts for alignment and fields),
 * explain the differences with host-sim/conformance/known-differences.json, and report.
 *
 * Pass: total agreement ≥ {@link REQUIRED_AGREEMENT} and every difference explained by a known class.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readChk, readLog } from "./gpsd-chk.ts";
import { conformanceBuildDateMs, replay, stripComments } from "./replay.ts";
import { compareFile, FIELDS, total, type Difference, type Field, type FileComparison } from "./compare.ts";

/** Minimum share of comparable fields that must agree. */
export const REQUIRED_AGREEMENT = 0.99;

/** The known-differences file shipped beside this module. */
export const KNOWN_DIFFERENCES_PATH = fileURLToPath(new URL("./known-differences.json", import.meta.url));

/** One class of known, explained difference (see docs/gnss-known-differences.md). */
export interface KnownDifferenceClass {
  /** Stable identifier. */
  id: string;
  /** One line: what differs. */
  title: string;
  /** Why, and why we keep it (or: the parser bug and where it is reported). */
  reason: string;
  /** `value` (both have the field), `missing-ours`, `missing-gpsd`; default all. */
  kinds?: Difference["kind"][];
  /** Files (base names) it covers; "*" for any. */
  files: string[];
  /** Fields it covers (`epoch` for missing-* kinds); "*" for any. */
  fields: string[];
  /** Optional extra conditions, all must hold. */
  when?: {
    /** gpsd's TPV followed a sentence whose address (after `$`, talker stripped) is one of these, e.g. "GLL". */
    afterSentenceType?: string[];
    /** gpsd's value (as printed in the report) starts with one of these strings, e.g. "1999-08-22". */
    gpsdStartsWith?: string[];
    /** our value (as printed) starts with one of these. */
    oursStartsWith?: string[];
    /** value: gpsd's TPV followed a timed sentence (RMC GGA GNS GLL ZDA) of another or no time. */
    afterOtherTime?: boolean;
    /** missing-gpsd: only our last published fix of the log. */
    lastFix?: boolean;
    /** missing-gpsd: only a valid fix right after an invalid one or the start (fix acquired). */
    fixAcquired?: boolean;
    /** ISO time of the epoch is within [from, to] (inclusive, string comparison of ISO times). */
    timeFrom?: string;
    timeTo?: string;
  };
  /** True when this is a parser bug to fix (reported to the parser owner), not an accepted difference. */
  parserBug?: boolean;
}

/** The known-differences file. */
export interface KnownDifferences {
  description: string;
  classes: KnownDifferenceClass[];
}

/** Load the known-differences list (default: the one beside this module). */
export function loadKnownDifferences(path = KNOWN_DIFFERENCES_PATH): KnownDifferences {
  return JSON.parse(readFileSync(path, "utf8")) as KnownDifferences;
}

function sentenceType(sentence: string | undefined): string {
  if (!sentence) return "";
  const m = /^[$!]+([A-Z0-9]+)/.exec(sentence);
  if (!m) return "";
  const address = m[1]!;
  return address.startsWith("P") ? address : address.slice(2);
}

/** The first class that explains `d`, or undefined. */
export function classify(d: Difference, known: KnownDifferences): KnownDifferenceClass | undefined {
  for (const c of known.classes) {
    if (c.kinds && !c.kinds.includes(d.kind)) continue;
    if (!c.files.includes("*") && !c.files.includes(d.file)) continue;
    if (!c.fields.includes("*") && !c.fields.includes(d.field)) continue;
    const w = c.when;
    if (w) {
      if (w.afterSentenceType && !w.afterSentenceType.includes(sentenceType(d.after))) continue;
      if (w.gpsdStartsWith && !w.gpsdStartsWith.some((p) => String(d.gpsd ?? "").startsWith(p))) continue;
      if (w.oursStartsWith && !w.oursStartsWith.some((p) => String(d.ours ?? "").startsWith(p))) continue;
      if (w.afterOtherTime !== undefined && w.afterOtherTime !== (d.afterOtherTime === true)) continue;
      if (w.lastFix !== undefined && w.lastFix !== (d.lastFix === true)) continue;
      if (w.fixAcquired !== undefined && w.fixAcquired !== (d.fixAcquired === true)) continue;
      if (w.timeFrom !== undefined && d.time < w.timeFrom) continue;
      if (w.timeTo !== undefined && d.time > w.timeTo) continue;
    }
    return c;
  }
  return undefined;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Bytes per chunk for the replay. */
  chunkBytes?: number;
  /** Only these files (base names of the .log). */
  only?: string[];
  /** Known differences (default: the shipped file). */
  known?: KnownDifferences;
}

/** The whole run. */
export interface ConformanceReport {
  files: FileComparison[];
  comparable: number;
  agreed: number;
  /** agreed ÷ comparable (1 when nothing is comparable). */
  agreement: number;
  /** Differences no known class explains. */
  unexplained: Difference[];
  /** Count of differences per known class id. */
  byClass: Map<string, number>;
  /** Known classes that matched nothing (stale entries). */
  unusedClasses: string[];
  passed: boolean;
}

/** The `.log` files of `dir` that have a `.log.chk` beside them, sorted. */
export function corpusFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".log") && existsSync(join(dir, `${f}.chk`)))
    .sort();
}

/** Compare one log of the corpus. */
export function compareLog(dir: string, file: string, chunkBytes?: number): FileComparison {
  const log = readLog(join(dir, file));
  const chk = readChk(join(dir, `${file}.chk`));
  const bytes = stripComments(log.bytes);
  const buildDateMs = conformanceBuildDateMs(bytes, log.headerDateMs);
  const { fixes } = replay(bytes, { chunkBytes, buildDateMs });
  return compareFile(basename(file), fixes, chk.tpvs);
}

/** Run the comparison over a corpus directory. */
export function runConformance(dir: string, options: ConformanceOptions = {}): ConformanceReport {
  const known = options.known ?? loadKnownDifferences();
  let names = corpusFiles(dir);
  if (options.only && options.only.length > 0) names = names.filter((n) => options.only!.includes(n));
  const files = names.map((name) => compareLog(dir, name, options.chunkBytes));
  let comparable = 0;
  let agreed = 0;
  const unexplained: Difference[] = [];
  const byClass = new Map<string, number>();
  for (const f of files) {
    comparable += total(f.comparable);
    agreed += total(f.agreed);
    for (const d of f.differences) {
      const c = classify(d, known);
      if (c) {
        d.knownClass = c.id;
        byClass.set(c.id, (byClass.get(c.id) ?? 0) + 1);
      } else {
        unexplained.push(d);
      }
    }
  }
  const agreement = comparable === 0 ? 1 : agreed / comparable;
  const unusedClasses = known.classes.filter((c) => !byClass.has(c.id)).map((c) => c.id);
  return {
    files, comparable, agreed, agreement, unexplained, byClass, unusedClasses,
    passed: agreement >= REQUIRED_AGREEMENT && unexplained.length === 0,
  };
}

function pct(a: number, b: number): string {
  return b === 0 ? "   -   " : `${((100 * a) / b).toFixed(2).padStart(6)}%`;
}

/** One line per difference, for reports. */
export function formatDifference(d: Difference): string {
  const where = d.chkLine === undefined ? "" : ` [chk line ${d.chkLine + 1}${d.after ? ` after ${d.after}` : ""}]`;
  if (d.kind === "value") return `${d.file} ${d.time} ${d.field}: ours ${d.ours} gpsd ${d.gpsd}${d.afterOtherTime ? " [gpsd state after a sentence of another time]" : ""}${where}`;
  if (d.kind === "missing-ours") return `${d.file} ${d.time} epoch gpsd reports (${d.gpsd}) and we do not${where}`;
  const tags = `${d.lastFix ? " [last fix]" : ""}${d.fixAcquired ? " [fix acquired]" : ""}`;
  return `${d.file} ${d.time} epoch we publish (${d.ours}) and gpsd does not${tags}`;
}

/** Print the report; `verbose` also lists the explained differences. */
export function printReport(report: ConformanceReport, known: KnownDifferences, verbose: boolean): void {
  const out = (s: string) => console.log(s);
  out(`file                                    epochs(g/ours/match)  comparable  agree    diffs  unexplained`);
  for (const f of report.files) {
    const c = total(f.comparable);
    const a = total(f.agreed);
    const unexplained = f.differences.filter((d) => d.knownClass === undefined).length;
    out(
      `${f.file.padEnd(40)}${`${f.gpsdEpochs}/${f.ourFixes}/${f.matchedEpochs}`.padEnd(22)}${String(c).padStart(10)}  ${pct(a, c)}  ${String(f.differences.length).padStart(5)}  ${String(unexplained).padStart(5)}`,
    );
  }
  const perField = FIELDS.map((field: Field) => {
    let c = 0;
    let a = 0;
    for (const f of report.files) {
      c += f.comparable[field];
      a += f.agreed[field];
    }
    return `${field} ${pct(a, c).trim()} (${a}/${c})`;
  });
  out(`per field: ${perField.join(", ")}`);
  out(`TOTAL: ${report.agreed}/${report.comparable} comparable fields agree = ${(100 * report.agreement).toFixed(3)}% (required ${(100 * REQUIRED_AGREEMENT).toFixed(0)}%)`);
  out(`known differences:`);
  for (const c of known.classes) {
    const n = report.byClass.get(c.id) ?? 0;
    out(`  ${String(n).padStart(5)}  ${c.id}${c.parserBug ? " [PARSER BUG]" : ""}: ${c.title}`);
  }
  if (report.unusedClasses.length > 0) out(`known classes matching nothing: ${report.unusedClasses.join(", ")}`);
  if (verbose) {
    out(`explained differences:`);
    for (const f of report.files) for (const d of f.differences) if (d.knownClass) out(`  (${d.knownClass}) ${formatDifference(d)}`);
  }
  out(`unexplained differences: ${report.unexplained.length}`);
  for (const d of report.unexplained) out(`  ${formatDifference(d)}`);
  out(report.passed ? "PASS" : "FAIL");
}

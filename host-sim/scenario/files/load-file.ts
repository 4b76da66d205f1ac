/**
 * Reading a scenario file: YAML syntax, then its shape (validate.ts against file-schema.ts), then
 * what the shape cannot say (phone names known, an expectation that counts something, a recording
 * that exists). Every problem is reported as `file:line:col: where: what was expected`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Pair, type Node } from "yaml";
import { SCENARIO_FILE_SPEC } from "./file-schema.ts";
import { FIRMWARE_DATE_MS } from "../../../src/app/build-info.ts";
import { DEFAULT_OWNER, DEFAULT_STRANGER } from "../../simulation.ts";
import { validateNode } from "./validate.ts";
import type { ScenarioFile, ScenarioFileContent } from "./file-types.ts";

/** One or more problems in a scenario file; `message` lists them all, one per line. */
export class ScenarioFileError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(problems.join("\n"));
    this.name = "ScenarioFileError";
  }
}

/** The shared folder beside the project (../shared), which `${SHARED}` in a path names. */
export const SHARED_DIR = resolve(import.meta.dirname, "../../../../shared");

/** Resolve a path written in a scenario file: relative to the file, `${SHARED}` for ../shared. */
export function resolveFilePath(scenarioPath: string, written: string): string {
  if (written.startsWith("${SHARED}")) return resolve(SHARED_DIR, "." + written.slice("${SHARED}".length));
  return resolve(dirname(scenarioPath), written);
}

/** The 1-based line of each item of the top-level list under `key`. */
function itemLines(contents: unknown, key: string, lines: LineCounter): number[] {
  if (!isMap(contents)) return [];
  const pair = (contents.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair || !isSeq(pair.value)) return [];
  return pair.value.items.map((item) => lines.linePos((item as Node).range?.[0] ?? 0).line);
}

/** Parse and check `text` (the file at `path`); throws ScenarioFileError listing every problem. */
export function parseScenarioFile(path: string, text: string): ScenarioFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return `${path}:${pos.line}:${pos.col}: YAML syntax: ${e.message.split("\n")[0]}`;
  });
  if (syntax.length > 0) throw new ScenarioFileError(path, syntax);
  const problems = validateNode(doc.contents, SCENARIO_FILE_SPEC, lines).map((p) => `${path}:${p.line}:${p.col}: ${p.path}: ${p.message}`);
  if (problems.length > 0) throw new ScenarioFileError(path, problems);
  const content = doc.toJS() as ScenarioFileContent;
  const file: ScenarioFile = { path, content, stepLines: itemLines(doc.contents, "timeline", lines), expectLines: itemLines(doc.contents, "expect", lines) };
  const meaning = checkMeaning(file);
  if (meaning.length > 0) throw new ScenarioFileError(path, meaning);
  return file;
}

/** Read, parse and check the scenario file at `path`. */
export function loadScenarioFile(path: string): ScenarioFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ScenarioFileError(path, [`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  return parseScenarioFile(path, text);
}

/** The phone names a file may use: owner, stranger, its users and its phones. */
export function phoneNames(content: ScenarioFileContent): string[] {
  return phoneEntries(content).map(([name]) => name);
}

/** Every phone of a file as [name, number], in order (a name given twice appears twice). */
export function phoneEntries(content: ScenarioFileContent): [string, string][] {
  return [
    ["owner", content.device?.owner ?? DEFAULT_OWNER],
    ["stranger", DEFAULT_STRANGER],
    ...(content.device?.users ?? []).map((u): [string, string] => [u.name, u.number]),
    ...(content.phones ?? []).map((p): [string, string] => [p.name, p.number]),
  ];
}

/** What the shape cannot say; each problem with its line. */
function checkMeaning(file: ScenarioFile): string[] {
  const { path, content } = file;
  const problems: string[] = [];
  const names = phoneNames(content);
  const at = (line: number | undefined) => `${path}:${line ?? 1}`;
  const knownPhone = (name: string | undefined, line: number | undefined, where: string, extra: string[] = []) => {
    if (name !== undefined && !names.includes(name) && !extra.includes(name)) {
      problems.push(`${at(line)}: ${where}: no phone named '${name}' (known: ${[...names, ...extra].join(", ")})`);
    }
  };
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) problems.push(`${at(1)}: phone names must differ: ${[...new Set(duplicates)].join(", ")} given twice`);
  const startUtc = content.gnss?.route?.startUtc;
  if (startUtc !== undefined && Date.parse(startUtc) < FIRMWARE_DATE_MS) {
    const release = new Date(FIRMWARE_DATE_MS).toISOString().slice(0, 10);
    problems.push(`${at(1)}: gnss.route.startUtc: ${startUtc} is before the firmware's release date (${release}): the tracker would take it for a GPS week-rollover date`);
  }
  if (content.gnss?.route && content.gnss.nmea) problems.push(`${at(1)}: gnss: give a route or an nmea recording, not both`);
  if (content.gnss?.nmea && !existsSync(resolveFilePath(path, content.gnss.nmea))) {
    problems.push(`${at(1)}: gnss.nmea: no such file: ${resolveFilePath(path, content.gnss.nmea)}`);
  }
  (content.becomeRegistered ?? []).forEach((name) => knownPhone(name, 1, "becomeRegistered"));
  const captured = new Set<string>();
  content.timeline.forEach((step, i) => {
    const line = file.stepLines[i];
    for (const [, name] of (step.send ?? "").matchAll(/\$\{(\w+)\}/g)) {
      if (!captured.has(name!)) problems.push(`${at(line)}: timeline[${i}].send: \${${name}} is not a group (?<${name}>...) of an earlier reply or expect pattern`);
    }
    for (const pattern of [step.reply, step.expect]) for (const [, name] of (pattern ?? "").matchAll(/\(\?<(\w+)>/g)) captured.add(name!);
    if (step.at !== undefined && step.after !== undefined) problems.push(`${at(line)}: timeline[${i}]: give at or after, not both`);
    knownPhone(step.from, line, `timeline[${i}].from`);
    // a network fault's `to` may also be the tracker
    knownPhone(step.to, line, `timeline[${i}].to`, step.fault !== undefined ? ["tracker"] : []);
  });
  (content.expect ?? []).forEach((e, i) => {
    const line = file.expectLines[i];
    knownPhone(e.to, line, `expect[${i}].to`, ["anyone"]);
    if (e.count === undefined && e.atLeast === undefined && e.atMost === undefined && e.inbox === undefined) {
      problems.push(`${at(line)}: expect[${i}]: say what to expect: count, atLeast, atMost or inbox`);
    }
  });
  return problems;
}

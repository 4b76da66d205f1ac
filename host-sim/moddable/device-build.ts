/**
 * Builds the firmware with the real Moddable SDK (`npm run build:device`):
 * - every board target under targets/ for ESP32, through tsc (strict), xsc and the xsl link with
 *   preload — all of mcconfig's build but the C compile and the flash image, which need ESP-IDF;
 * - the `lin` app (Moddable's Linux runtime, instrumented) that the `moddable` engine runs under
 *   mcsim: the same firmware, its ports over the real Serial, Timer, Time and Preference.
 * A build fails on any error and on any warning not accepted in targets/xsl-warnings.json (each
 * accepted warning has a pattern and the reason it is harmless).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { findModdableSdk, idfPath, PROJECT_ROOT, type ModdableSdk } from "./sdk.ts";

/** Where device builds go (mcconfig -o): bin/ and tmp/ below it. */
export const DEVICE_BUILD_DIR = join(PROJECT_ROOT, "build", "device");
const TARGETS_DIR = join(PROJECT_ROOT, "targets");
const ACCEPTED_WARNINGS_FILE = join(TARGETS_DIR, "xsl-warnings.json");

/** One warning the build may print without failing, and why that is fine. */
export interface AcceptedWarning {
  pattern: string;
  reason: string;
}

/** The outcome of one build. */
export interface BuildResult {
  /** "esp32:targets/<dir>" or "lin". */
  name: string;
  ok: boolean;
  /** Wall time, ms. */
  ms: number;
  /** xsl's summary line ("1332 instances, 2319 keys, ..."), when it got there. */
  linkSummary: string;
  /** Warnings printed ("### warning: ..."), each with whether it is accepted. */
  warnings: { text: string; accepted: boolean }[];
  /** Why it failed (the tail of the output), "" when ok. */
  failure: string;
  /** lin: the built app (mc.so). */
  app?: string;
}

/** Board targets: folders under targets/ with a manifest.json. */
export function boardTargets(): string[] {
  if (!existsSync(TARGETS_DIR)) return [];
  return readdirSync(TARGETS_DIR)
    .filter((name) => existsSync(join(TARGETS_DIR, name, "manifest.json")))
    .sort();
}

/** The accepted-warnings list (targets/xsl-warnings.json). */
export function acceptedWarnings(): AcceptedWarning[] {
  if (!existsSync(ACCEPTED_WARNINGS_FILE)) return [];
  const parsed = JSON.parse(readFileSync(ACCEPTED_WARNINGS_FILE, "utf8")) as { accepted?: AcceptedWarning[] };
  return parsed.accepted ?? [];
}

/** Run a command; resolves with its exit code and combined output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (e) => resolvePromise({ code: 127, output: output + String(e) }));
    child.on("close", (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

function summarise(name: string, started: number, code: number, output: string, accepted: AcceptedWarning[]): BuildResult {
  const warnings = output
    .split("\n")
    .filter((line) => /^### warning/i.test(line) || /^### .*warning/i.test(line))
    .map((text) => ({ text: text.trim(), accepted: accepted.some((a) => new RegExp(a.pattern).test(text)) }));
  const linkSummary = /^### (\d+ instances.*)$/m.exec(output)?.[1] ?? "";
  const failed = code !== 0 || warnings.some((w) => !w.accepted);
  const tail = output.trim().split("\n").slice(-15).join("\n");
  return {
    name,
    ok: !failed,
    ms: Date.now() - started,
    linkSummary,
    warnings,
    failure: !failed ? "" : code !== 0 ? tail : "warnings not accepted in targets/xsl-warnings.json",
  };
}

/** The app folder mcconfig made under `dir` (named after the project folder): the one holding `marker`. */
function appFolder(dir: string, marker: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, marker)));
  return names.length === 1 ? join(dir, names[0]!) : undefined;
}

/**
 * ESP32 board target `targetName` (a folder of targets/): mcconfig generates the makefile, then
 * make runs tsc, xsc and the xsl link up to mc.xs.c (the linked, preloaded image as C).
 */
export async function buildEsp32Target(sdk: ModdableSdk, targetName: string): Promise<BuildResult> {
  const started = Date.now();
  const name = `esp32:targets/${targetName}`;
  const env = { ...sdk.env, IDF_PATH: idfPath() };
  mkdirSync(DEVICE_BUILD_DIR, { recursive: true });
  const config = await run("mcconfig", ["-p", name, "-o", DEVICE_BUILD_DIR], PROJECT_ROOT, env);
  if (config.code !== 0) return summarise(name, started, config.code, config.output, acceptedWarnings());
  const target = JSON.parse(readFileSync(join(TARGETS_DIR, targetName, "manifest.json"), "utf8")) as { build?: { SUBPLATFORM?: string } };
  const sub = target.build?.SUBPLATFORM ?? targetName;
  const dir = appFolder(join(DEVICE_BUILD_DIR, "tmp", "esp32", sub, "release"), "makefile");
  if (!dir) return summarise(name, started, 1, `${config.output}\nno generated project under ${relative(PROJECT_ROOT, DEVICE_BUILD_DIR)}`, []);
  const make = await run("make", ["-f", "makefile", "SDKCONFIG_H=", join(dir, "mc.xs.c")], dir, env);
  return summarise(name, started, make.code, config.output + make.output, acceptedWarnings());
}

/** The lin app built by {@link buildLinApp} (instrumented), if it exists. */
export function linAppPath(): string | undefined {
  const dir = appFolder(join(DEVICE_BUILD_DIR, "bin", "lin", "mc", "instrument"), "mc.so");
  return dir && join(dir, "mc.so");
}

/**
 * The lin app: `mcconfig -i -m -p lin` (instrumented, so the runtime reports heap, GC and stack
 * figures; otherwise a release build). make is incremental: a rebuild with nothing changed takes
 * seconds.
 */
export async function buildLinApp(sdk: ModdableSdk): Promise<BuildResult> {
  const started = Date.now();
  mkdirSync(DEVICE_BUILD_DIR, { recursive: true });
  const result = await run("mcconfig", ["-i", "-m", "-p", "lin", "-o", DEVICE_BUILD_DIR], PROJECT_ROOT, sdk.env);
  const summary = summarise("lin", started, result.code, result.output, acceptedWarnings());
  const app = linAppPath();
  if (summary.ok && !app) return { ...summary, ok: false, failure: "mcconfig succeeded but no mc.so was made" };
  return app ? { ...summary, app } : summary;
}

let linBuild: Promise<string> | undefined;

/** The lin app, built (or brought up to date) once per process; rejects with the build's failure. */
export function ensureLinApp(log: (line: string) => void = () => {}): Promise<string> {
  linBuild ??= (async () => {
    const sdk = findModdableSdk(log);
    log("building the lin app (mcconfig -i -m -p lin) ...");
    const result = await buildLinApp(sdk);
    if (!result.ok || !result.app) throw new Error(`the lin build failed: ${result.failure}`);
    return result.app;
  })();
  return linBuild;
}

/** `tracker build-device`: every board target and the lin app; prints a line each; exit code 0 when all pass. */
export async function runDeviceBuild(options: { only?: string[] } = {}): Promise<number> {
  const sdk = findModdableSdk((line) => console.log(line));
  console.log(`Moddable SDK: ${sdk.root}`);
  const targets = boardTargets().filter((t) => !options.only || options.only.includes(t));
  const results: BuildResult[] = [];
  for (const target of targets) results.push(report(await buildEsp32Target(sdk, target)));
  if (!options.only || options.only.includes("lin")) results.push(report(await buildLinApp(sdk)));
  const failed = results.filter((r) => !r.ok);
  console.log(failed.length === 0 ? `device build: ${results.length} of ${results.length} OK` : `device build: ${failed.length} of ${results.length} FAILED`);
  return failed.length === 0 ? 0 : 1;
}

function report(result: BuildResult): BuildResult {
  const mark = result.ok ? "OK  " : "FAIL";
  console.log(`${mark} ${result.name}  ${(result.ms / 1000).toFixed(0)} s  ${result.linkSummary ? `xsl: ${result.linkSummary}` : ""}`);
  for (const w of result.warnings) console.log(`       ${w.accepted ? "accepted" : "NOT ACCEPTED"}: ${w.text}`);
  if (result.app) console.log(`       app: ${relative(PROJECT_ROOT, result.app)}`);
  if (!result.ok) console.log(result.failure.replace(/^/gm, "       | "));
  return result;
}

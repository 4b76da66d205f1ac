/**
 * The Moddable SDK on this machine: `$MODDABLE` when it is set (a user's own SDK install), else the
 * SDK 8.2.3 built from `../shared/toolchains/moddable` (its install.sh) into a cache folder, once.
 * Also the ESP-IDF stand-in that lets mcconfig generate an esp32 build without ESP-IDF (mcconfig
 * runs `git describe` in $IDF_PATH and sources its export.sh; the C compile then needs the real
 * toolchain, so device builds here stop after the xsl link).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The SDK archive and its install script, beside the project. */
export const SHARED_TOOLCHAIN = resolve(PROJECT_ROOT, "../shared/toolchains/moddable");
/** The ESP-IDF version SDK 8.2.x expects (build/devices/esp32/manifest.json EXPECTED_ESP_IDF). */
const IDF_TAG = "v6.0";

export interface ModdableSdk {
  /** $MODDABLE. */
  root: string;
  /** Folder of mcconfig, mcsim, xsl, ... */
  bin: string;
  /** Environment for the SDK tools: MODDABLE, and PATH with the tools and the project's TypeScript 6 first. */
  env: NodeJS.ProcessEnv;
}

/** Where the SDK built from ../shared goes: $XDG_CACHE_HOME or ~/.cache. */
export function sdkCacheDir(): string {
  const base = process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(base, "moddable-sdk-8.2.3");
}

/** Thrown when the SDK cannot be found or built; the message says what to do. */
export class SdkError extends Error {
  override name = "SdkError";
}

/**
 * The SDK to use: `$MODDABLE` if set, else the cached build of ../shared/toolchains/moddable
 * (built on first use, about 90 s; `log` reports it). Throws SdkError with the fix when neither works.
 */
export function findModdableSdk(log: (line: string) => void = () => {}): ModdableSdk {
  let root = process.env["MODDABLE"];
  if (!root) {
    const install = join(SHARED_TOOLCHAIN, "install.sh");
    if (!existsSync(install)) {
      throw new SdkError(
        `no Moddable SDK: set $MODDABLE to your SDK, or put the shared folder beside the project (${install} not found)`,
      );
    }
    const dest = sdkCacheDir();
    if (!existsSync(join(dest, ".built"))) log(`building the Moddable SDK host tools into ${dest} (once, about 90 s) ...`);
    const result = spawnSync("bash", [install, dest], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (result.status !== 0) {
      throw new SdkError(`the Moddable SDK failed to build (${install}):\n${(result.stderr || result.stdout).trim()}`);
    }
    root = join(dest, "moddable");
  }
  const bin = join(root, "build", "bin", "lin", "release");
  if (!existsSync(join(bin, "mcconfig"))) {
    throw new SdkError(`no mcconfig in ${bin}: build the SDK's host tools ($MODDABLE=${root})`);
  }
  const projectBin = join(PROJECT_ROOT, "node_modules", ".bin");
  const env = { ...process.env, MODDABLE: root, PATH: [bin, projectBin, process.env["PATH"] ?? ""].join(delimiter) };
  return { root, bin, env };
}

/**
 * `$IDF_PATH` for mcconfig's esp32 makefile: the user's when set, else a stand-in folder (a git
 * repository tagged v6.0 with an empty export.sh) in the cache, made on first use.
 */
export function idfPath(): string {
  const own = process.env["IDF_PATH"];
  if (own) return own;
  const dir = join(sdkCacheDir(), "esp-idf-stand-in");
  if (existsSync(join(dir, ".git")) && existsSync(join(dir, "export.sh"))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "export.sh"), "# ESP-IDF stand-in: lets mcconfig generate an esp32 makefile (no compiler here)\n");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=stand-in", "-c", "user.email=stand-in@localhost", ...args], { cwd: dir, stdio: "pipe" });
  git("init", "-q", ".");
  git("add", "export.sh");
  git("commit", "-q", "-m", "ESP-IDF stand-in");
  git("tag", "-a", IDF_TAG, "-m", IDF_TAG);
  return dir;
}

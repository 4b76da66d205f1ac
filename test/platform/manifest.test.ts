/**
 * Checks of the Moddable build description that need no SDK: manifest.json and the board target.
 *
 * Module naming rule: every firmware file src/<path>.ts is the manifest module "<path>" (e.g.
 * src/gnss/fix.ts → "gnss/fix", src/main.ts → "main"). XS resolves a relative import against the
 * importing module's name, so "../platform/ports" imported by "gnss/fix" is the module
 * "platform/ports" — the same file tsc finds on disk. The folder wildcards below follow
 * tools/mcmanifest.js (SDK 8.2.3): key "gnss/*" with source "./src/gnss/*" names each file of that
 * folder "gnss/<basename>" and skips sub-folders. Preload wildcards only match .js modules there
 * (mcconfig.js filterPreload), so TypeScript modules are preloaded by explicit name.
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");
const TARGET_DIR = "targets/lilygo_t_a7670";
const PLATFORM_KEY = "esp32/lilygo_t_a7670";

type Sources = string | string[];
interface PlatformBlock {
  include?: Sources;
  modules?: Record<string, Sources>;
  preload?: Sources;
  error?: string;
  build?: Record<string, string>;
  defines?: Record<string, unknown>;
}
interface Manifest {
  include?: Sources;
  modules: Record<string, Sources>;
  preload: string[];
  typescript?: { tsconfig?: { compilerOptions?: Record<string, unknown> } };
  config: Record<string, unknown>;
  platforms: Record<string, PlatformBlock>;
}

const list = (s: Sources | undefined): string[] => (s === undefined ? [] : Array.isArray(s) ? s : [s]);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Firmware sources as "src-relative path without .ts" (the module name they must have). */
const srcModules = walk(SRC)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .map((f) => relative(SRC, f).split("\\").join("/").slice(0, -3))
  .sort();

const manifestText = readFileSync(join(ROOT, "manifest.json"), "utf8");
const manifest = JSON.parse(manifestText) as Manifest;

interface Expanded {
  /** module name → absolute file path */
  modules: Map<string, string>;
  /** problems found while expanding */
  problems: string[];
}

/** Expand the project's own ("./") module entries the way mcmanifest.js names them. */
function expandModules(modules: Record<string, Sources>): Expanded {
  const result: Expanded = { modules: new Map(), problems: [] };
  const add = (name: string, file: string): void => {
    const previous = result.modules.get(name);
    if (previous !== undefined && previous !== file) result.problems.push(`module "${name}" maps to two files`);
    result.modules.set(name, file);
  };
  for (const [key, sources] of Object.entries(modules)) {
    for (const source of list(sources)) {
      if (!source.startsWith("./")) continue; // SDK paths: not ours to check here
      const path = join(ROOT, source);
      if (source.endsWith("/*")) {
        const dir = path.slice(0, -2);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) {
          result.problems.push(`${key}: directory not found: ${source} (mcconfig fails)`);
          continue;
        }
        if (!key.endsWith("*")) {
          result.problems.push(`${key}: a folder wildcard needs a "prefix/*" key`);
          continue;
        }
        const prefix = key.slice(0, -1);
        for (const name of readdirSync(dir)) {
          const file = join(dir, name);
          if (name.startsWith(".") || statSync(file).isDirectory()) continue;
          if (!name.endsWith(".ts") || name.endsWith(".d.ts")) {
            if (!name.endsWith(".md"))
              result.problems.push(`${source}: ${name} would be swept into the build (only .ts files belong in firmware folders)`);
            continue;
          }
          add(prefix + name.slice(0, -3), file);
        }
      } else if (source.includes("*")) {
        result.problems.push(`${key}: unsupported wildcard form ${source}`);
      } else {
        const file = [".ts", ".js"].map((ext) => path + ext).find((f) => existsSync(f));
        if (file === undefined) {
          result.problems.push(`${key}: module file not found: ${source}(.ts|.js)`);
          continue;
        }
        const name = key === "*" ? source.slice(source.lastIndexOf("/") + 1) : key;
        add(name, file);
      }
    }
  }
  return result;
}

/** The project's modules on every platform: the top-level map and each platform block's. */
const allModules: Record<string, Sources> = { ...manifest.modules };
for (const block of Object.values(manifest.platforms)) Object.assign(allModules, block.modules ?? {});
const expanded = expandModules(allModules);

/** Module specifiers a TypeScript file imports or re-exports (static and dynamic; comments ignored). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

const isModdableOnly = (name: string): boolean => name === "main" || name.startsWith("platform/moddable/");

describe("manifest.json (Moddable build)", () => {
  it("is valid JSON with include, modules, preload, config and platforms", () => {
    expect(manifest).to.be.an("object");
    expect(list(manifest.include)).to.include.members([
      "$(MODDABLE)/examples/manifest_base.json",
      "$(MODDABLE)/modules/files/preference/manifest.json",
    ]);
    expect(manifest.preload).to.be.an("array");
    expect(manifest.config).to.be.an("object");
    expect(manifest.platforms).to.be.an("object");
  });

  it("lists every module it names, and only existing files", () => {
    expect(expanded.problems).to.deep.equal([]);
  });

  it("covers every .ts under src/ as the module named by its path (so relative imports resolve in XS)", () => {
    // (a file may be a module under another name only, e.g. the lin provider: "embedded:provider/builtin")
    const files = new Set(expanded.modules.values());
    const missing = srcModules.filter((name) => expanded.modules.get(name) !== join(SRC, `${name}.ts`) && !files.has(join(SRC, `${name}.ts`)));
    expect(missing, "add the folder to manifest.json modules as \"<folder>/*\": \"./src/<folder>/*\"").to.deep.equal([]);
    // (module specifiers such as "embedded:provider/builtin" name a file under a second name)
    const extra = [...expanded.modules.keys()].filter((name) => !name.includes(":") && !srcModules.includes(name));
    expect(extra, "manifest modules outside src/").to.deep.equal([]);
  });

  it("names main as the entry module", () => {
    expect(expanded.modules.get("main")).to.equal(join(SRC, "main.ts"));
  });

  it("preloads every library module by name, and never main or src/platform/moddable", () => {
    const preload = [...manifest.preload, ...Object.values(manifest.platforms).flatMap((p) => list(p.preload))];
    const hardware = preload.filter(isModdableOnly);
    expect(hardware, "modules that touch hardware must not be preloaded").to.deep.equal([]);
    const wildcards = manifest.preload.filter((p) => p.includes("*"));
    expect(wildcards, "mcconfig preload wildcards only match .js modules: list TypeScript modules by name").to.deep.equal([]);
    const unknown = manifest.preload.filter((p) => !expanded.modules.has(p));
    expect(unknown, "preloaded names that are no module").to.deep.equal([]);
    const notPreloaded = srcModules.filter((name) => !isModdableOnly(name) && !manifest.preload.includes(name));
    expect(notPreloaded, "add these library modules to manifest.json preload").to.deep.equal([]);
  });

  it("compiles TypeScript in strict mode", () => {
    expect(manifest.typescript?.tsconfig?.compilerOptions?.["strict"]).to.equal(true);
  });

  it("builds only for the project's board target, with the lean ECMA-419 io set", () => {
    const block = manifest.platforms[PLATFORM_KEY];
    expect(block, `platforms["${PLATFORM_KEY}"]`).to.be.an("object");
    expect(list(block!.include)).to.include.members([
      "$(MODDABLE)/modules/io/serial/manifest.json",
      "$(MODDABLE)/modules/io/digital/manifest.json",
    ]);
    expect(block!.build?.["IO"]).to.equal("$(MODDABLE)/modules/io");
    expect(block!.defines).to.deep.equal({ ECMA419: { enabled: 1 } });
    expect(block!.modules?.["embedded:provider/builtin"]).to.equal("$(SUBPLATFORMDIRECTORY)/host/provider");
    expect(manifest.platforms["..."]?.error).to.match(/unsupported platform: use -p esp32:targets\/lilygo_t_a7670/);
  });

  it("has the board defaults in config (UART1 modem, UART2 GNSS; never UART0)", () => {
    expect(manifest.config).to.include({
      modemPort: 1, modemRx: 27, modemTx: 26, modemBaud: 115200, modemPwrKey: 4, modemPowerOn: 12,
      gnssPort: 2, gnssBaud: 9600, logLevel: "info", storeDomain: "tracker",
    });
    expect(manifest.config["gnssRx"]).to.be.a("number");
    expect(manifest.config["gnssTx"]).to.be.a("number");
  });
});

describe("board target targets/lilygo_t_a7670", () => {
  const dir = join(ROOT, TARGET_DIR);

  it("has manifest.json and host/provider.js", () => {
    expect(existsSync(join(dir, "manifest.json"))).to.equal(true);
    expect(existsSync(join(dir, "host", "provider.js"))).to.equal(true);
  });

  it("is named like the manifest's platform key (mcconfig lowercases -p)", () => {
    const target = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
      build?: Record<string, string>;
      creation?: Record<string, unknown>;
    };
    expect(TARGET_DIR).to.equal(TARGET_DIR.toLowerCase());
    expect(`esp32/${target.build?.["SUBPLATFORM"]}`).to.equal(PLATFORM_KEY);
    expect(target.creation).to.deep.include({ static: 0, stack: 640 });
  });

  it("the lin build (the moddable engine) runs with the board's creation sizes, so overflows show there too", () => {
    const target = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { creation?: Record<string, unknown> };
    const lin = (manifest.platforms["lin"] as PlatformBlock & { creation?: Record<string, unknown> }).creation;
    expect(lin).to.deep.equal(target.creation);
  });

  it("provider exports a frozen device whose pins equal the manifest config", () => {
    const provider = readFileSync(join(dir, "host", "provider.js"), "utf8");
    expect(provider).to.match(/export default device;/);
    expect(provider).to.match(/const device = Object\.freeze\(/);
    expect(provider).to.match(/default: Object\.freeze\(\{ io: Serial, port: 1, receive: 27, transmit: 26 \}\)/);
    const pin = (name: string): number | undefined => {
      const m = new RegExp(`\\b${name}: (\\d+)`).exec(provider);
      return m ? Number(m[1]) : undefined;
    };
    const c = manifest.config;
    expect(pin("modemRx")).to.equal(c["modemRx"]);
    expect(pin("modemTx")).to.equal(c["modemTx"]);
    expect(pin("modemPwrKey")).to.equal(c["modemPwrKey"]);
    expect(pin("modemPowerOn")).to.equal(c["modemPowerOn"]);
    expect(pin("gnssRx")).to.equal(c["gnssRx"]);
    expect(pin("gnssTx")).to.equal(c["gnssTx"]);
    for (const spec of importsOf(join(dir, "host", "provider.js")))
      expect(["embedded:io/analog", "embedded:io/digital", "embedded:io/serial"], "provider imports only the io modules the build includes").to.include(spec);
  });
});

describe("firmware imports", () => {
  const files = srcModules.map((name) => ({ name, file: join(SRC, `${name}.ts`) }));

  it("only src/platform/moddable and src/main.ts import Moddable modules (embedded:, timer, time, preference, pins/, mc/)", () => {
    const offenders: string[] = [];
    for (const { name, file } of files) {
      if (isModdableOnly(name)) continue;
      for (const spec of importsOf(file))
        if (!spec.startsWith("./") && !spec.startsWith("../")) offenders.push(`src/${name}.ts imports "${spec}"`);
    }
    expect(offenders, "library modules may import only other firmware modules (relative paths)").to.deep.equal([]);
  });

  it("relative imports are extensionless (or .js) and land on a manifest module inside src/", () => {
    const problems: string[] = [];
    for (const { name, file } of files) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith("./") && !spec.startsWith("../")) continue;
        if (spec.endsWith(".ts")) {
          problems.push(`src/${name}.ts: "${spec}" has a .ts extension (mcconfig's tsc rejects it)`);
          continue;
        }
        const target = resolve(dirname(file), spec.replace(/\.js$/, "")) + ".ts";
        const module = relative(SRC, target).split("\\").join("/").slice(0, -3);
        if (!expanded.modules.has(module) || expanded.modules.get(module) !== target)
          problems.push(`src/${name}.ts: "${spec}" is not a manifest module`);
      }
    }
    expect(problems).to.deep.equal([]);
  });
});

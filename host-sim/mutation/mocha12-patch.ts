/**
 * Stryker's mocha runner 9.6.1 loads three of Mocha's CLI helpers by path without an extension
 * (`${mochaRoot}/lib/cli/run-helpers`, `options`, `collect-files`); Mocha 12 renamed them to `.cjs`,
 * which `require` does not try, so the runner cannot start (upstream: stryker-js, open change for
 * Mocha 12). Stryker 10, which has it, needs Node 22; this project runs on Node 20.
 *
 * This patch gives those three paths their `.cjs` extension when the file exists with it. It is
 * applied by `npm run mutate` before every run, changes nothing when already applied or when the
 * installed Mocha still has `.js` files, and says what it did. The package.json "overrides" entry
 * lets the runner accept Mocha 12 as its peer.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

/** The helper names the runner loads. */
const HELPERS = Object.freeze(["run-helpers", "options", "collect-files"]);

/** Outcome of applying the patch. */
export type PatchOutcome = "patched" | "already patched" | "not needed";

/** Apply the patch to the runner installed under `projectRoot`; throws when the runner is not the expected one. */
export function patchMochaRunner(projectRoot: string): PatchOutcome {
  const require = createRequire(join(projectRoot, "package.json"));
  const wrapper = join(dirname(require.resolve("@stryker-mutator/mocha-runner/package.json")), "dist/src/lib-wrapper.js");
  const mochaCli = join(dirname(require.resolve("mocha/package.json")), "lib/cli");
  const source = readFileSync(wrapper, "utf8");
  let patched = source;
  for (const helper of HELPERS) {
    const original = "`${mochaRoot}/lib/cli/" + helper + "`";
    const withCjs = "`${mochaRoot}/lib/cli/" + helper + ".cjs`";
    if (patched.includes(withCjs)) continue;
    if (!patched.includes(original)) throw new Error(`${wrapper}: no ${original}: not the mocha runner this patch is for`);
    if (existsSync(join(mochaCli, `${helper}.cjs`))) patched = patched.replace(original, withCjs);
  }
  if (patched === source) return source.includes(".cjs`") ? "already patched" : "not needed";
  writeFileSync(wrapper, patched);
  return "patched";
}

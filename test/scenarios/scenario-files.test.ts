/**
 * Every scenario file under test/scenario-files runs and passes, on Node and on the XS engine (the
 * fault files: each fault, then the owner's commands answered exactly once).
 */
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadFileScenario, scenarioFilesIn } from "../../host-sim/scenario/files/file-scenario.ts";
import { runScenario, type ScenarioResult } from "../../host-sim/scenario/runner.ts";
import { FAULTS } from "../../host-sim/faults/fault-library.ts";
import { SHARED_DIR, loadScenarioFile } from "../../host-sim/scenario/files/load-file.ts";

const FOLDER = join(import.meta.dirname, "../scenario-files");
const FILES = scenarioFilesIn(FOLDER);
/** Files that play a log of the shared corpus (`${SHARED}`): they skip, with a message, when ../shared is absent. */
const CORPUS_PRESENT = existsSync(join(SHARED_DIR, "corpus"));
const needsCorpus = (path: string) => readFileSync(path, "utf8").includes("${SHARED}");
/** The files that can be loaded here. */
const LOADABLE = CORPUS_PRESENT ? FILES : FILES.filter((f) => !needsCorpus(f));

function failures(result: ScenarioResult): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => `${c.what}: ${c.detail}`);
}

describe("scenario files", function () {
  this.timeout(120_000);

  if (!CORPUS_PRESENT) console.log(`    (../shared/corpus is absent: ${FILES.length - LOADABLE.length} scenario files that play its logs are skipped)`);

  it("there are at least 40 of them, with unique names", () => {
    const names = LOADABLE.map((f) => loadScenarioFile(f).content.name);
    expect(FILES.length).to.be.at.least(40);
    expect(new Set(names).size).to.equal(names.length);
  });

  it("every fault of the library appears in a file, and the owner is answered after it", () => {
    const used = new Map<string, string[]>();
    for (const path of LOADABLE) {
      const file = loadScenarioFile(path);
      const sends = file.content.timeline.filter((s) => s.send !== undefined && s.reply !== undefined && (s.from ?? "owner") === "owner");
      file.content.timeline.forEach((step, i) => {
        if (step.fault === undefined) return;
        // a command with a reply pattern comes after the fault
        const laterAnswered = file.content.timeline.slice(i + 1).some((s) => sends.includes(s));
        if (laterAnswered) used.set(step.fault, [...(used.get(step.fault) ?? []), file.content.name]);
      });
    }
    const missing = FAULTS.map((f) => f.name).filter((name) => !used.has(name));
    expect(missing, "faults with no scenario file that checks the owner's commands after them").to.deep.equal([]);
  });

  for (const path of FILES) {
    for (const engine of ["node", "xs"] as const) {
      it(`${path.slice(FOLDER.length + 1)} passes on ${engine}`, async function () {
        if (!LOADABLE.includes(path)) this.skip(); // needs ../shared/corpus (see above)
        const result = await runScenario(loadFileScenario(path), { engine });
        expect(failures(result), result.transcript.join("\n")).to.deep.equal([]);
      });
    }
  }
});

import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { patchMochaRunner } from "../../host-sim/mutation/mocha12-patch.ts";
import { matchesAny, scoresFromReport } from "../../host-sim/mutation/mutate.ts";

describe("host-sim/mutation", () => {
  it("scores each module: (killed + timed out) ÷ mutants, leaving out those marked equivalent and those that did not compile", () => {
    const mutants = (statuses: Record<string, number>) => Object.entries(statuses).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })));
    const report = {
      files: {
        "src/b.ts": { mutants: mutants({ Killed: 6, Timeout: 2, Survived: 1, NoCoverage: 1, Ignored: 5, CompileError: 3 }) },
        "src/a.ts": { mutants: mutants({ Killed: 0 }) },
      },
    } as Parameters<typeof scoresFromReport>[0];
    expect(scoresFromReport(report)).to.deep.equal([
      { file: "src/a.ts", killed: 0, survived: 0, noCoverage: 0, ignored: 0, score: 100 },
      { file: "src/b.ts", killed: 8, survived: 1, noCoverage: 1, ignored: 5, score: 80 },
    ]);
  });

  it("a run on some files judges only the modules those files or globs name (the report holds the others' older results too)", () => {
    expect(matchesAny("src/store/settings.ts", ["src/store/settings.ts"])).to.equal(true);
    expect(matchesAny("src/store/settings.ts", ["./src/store/settings.ts"])).to.equal(true);
    expect(matchesAny("src/store/crc32.ts", ["src/store/settings.ts"])).to.equal(false);
    expect(matchesAny("src/limits/loop-guard.ts", ["src/limits/*.ts"])).to.equal(true);
    expect(matchesAny("src/sms/pdu/pdu-decode.ts", ["src/sms/*.ts"])).to.equal(false);
    expect(matchesAny("src/sms/pdu/pdu-decode.ts", ["src/sms/**/*.ts"])).to.equal(true);
    expect(matchesAny("src/sms/sms-inbox.ts", ["src/auth/**/*.ts", "src/sms/**/*.ts"])).to.equal(true);
  });

  describe("the Mocha 12 patch of Stryker's mocha runner", () => {
    let root: string;
    const wrapperSource = [
      "const a = require(`${mochaRoot}/lib/cli/run-helpers`);",
      "const b = require(`${mochaRoot}/lib/cli/options`);",
      "const c = require(`${mochaRoot}/lib/cli/collect-files`);",
    ].join("\n");
    /** A project with the runner's lib-wrapper and a Mocha whose CLI helpers end in `ext`. */
    function project(ext: string, wrapper = wrapperSource): string {
      const dir = mkdtempSync(join(tmpdir(), "mutate-patch-"));
      writeFileSync(join(dir, "package.json"), "{}");
      const runner = join(dir, "node_modules/@stryker-mutator/mocha-runner");
      mkdirSync(join(runner, "dist/src"), { recursive: true });
      writeFileSync(join(runner, "package.json"), '{"name":"@stryker-mutator/mocha-runner"}');
      writeFileSync(join(runner, "dist/src/lib-wrapper.js"), wrapper);
      const mocha = join(dir, "node_modules/mocha");
      mkdirSync(join(mocha, "lib/cli"), { recursive: true });
      writeFileSync(join(mocha, "package.json"), '{"name":"mocha"}');
      for (const helper of ["run-helpers", "options", "collect-files"]) writeFileSync(join(mocha, `lib/cli/${helper}${ext}`), "");
      return dir;
    }
    const wrapperOf = (dir: string) => readFileSync(join(dir, "node_modules/@stryker-mutator/mocha-runner/dist/src/lib-wrapper.js"), "utf8");
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it("gives the three helper paths their .cjs extension once, and is idempotent", () => {
      root = project(".cjs");
      expect(patchMochaRunner(root)).to.equal("patched");
      expect(wrapperOf(root)).to.equal(wrapperSource.replaceAll("`);", ".cjs`);"));
      expect(patchMochaRunner(root)).to.equal("already patched");
      expect(wrapperOf(root)).to.equal(wrapperSource.replaceAll("`);", ".cjs`);"));
    });

    it("changes nothing for a Mocha that still has .js helpers", () => {
      root = project(".js");
      expect(patchMochaRunner(root)).to.equal("not needed");
      expect(wrapperOf(root)).to.equal(wrapperSource);
    });

    it("refuses a runner that is not the one the patch is for", () => {
      root = project(".cjs", "module.exports = {};");
      expect(() => patchMochaRunner(root)).to.throw(/not the mocha runner this patch is for/);
    });
  });
});

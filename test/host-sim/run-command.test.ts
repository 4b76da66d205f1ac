/**
 * `tracker run` as a runner for QA and CI: --shard partitions the runs, the JUnit XML and the JSON
 * document, --jobs gives the same results in the same order, and bad --jobs / --shard values are
 * usage errors (exit 2).
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../host-sim/cli/main.ts";
import { parseShard, runAndReport, selectShard } from "../../host-sim/cli/run-command.ts";
import { SCENARIOS } from "../../host-sim/scenario/scenarios.ts";
import { junitXml, xmlText } from "../../host-sim/scenario/report-junit.ts";
import { summaryLines } from "../../host-sim/scenario/report-text.ts";
import type { ScenarioResult } from "../../host-sim/scenario/runner.ts";
import type { JsonReport } from "../../host-sim/scenario/report-json.ts";
import { capture } from "../support/capture-console.ts";

const SHORT = ["where-with-fix", "stranger-where", "core-stranger", "core-multipart"];

/** Run the real CLI in a child process. */
function tracker(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/tracker.mjs", ...argv], { cwd: join(import.meta.dirname, "../.."), maxBuffer: 1 << 24 }, (error, out, err) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err });
    });
  });
}

/** The PASS/FAIL/SKIP lines, without their figures (times differ from run to run). */
const outcomeLines = (out: string): string[] => out.match(/^(PASS|FAIL|SKIP) {2}\S+ \[\w+\]/gm) ?? [];

const passing: ScenarioResult = {
  name: "where-with-fix",
  engine: "node",
  passed: true,
  checks: [{ ok: true, what: "a reply came", detail: "" }],
  simulatedMs: 95_000,
  wallMs: 1234,
  transcript: ['12.0 s  +14085550199 -> +15550000000: "WHERE" [delivered]'],
};

const failing: ScenarioResult = {
  name: 'odd <name> & "quotes"',
  engine: "xs",
  passed: false,
  checks: [
    { ok: true, what: "booted", detail: "" },
    { ok: false, what: "reply < 30 s & 'once'", detail: 'got "two"\u0007 and\u0000 \uD800 <b>' },
  ],
  simulatedMs: 42_500,
  wallMs: 50,
  transcript: ['30.0 s  +1408 -> +1555: "Live fix\u001b[0m ]]> x" [delivered]'],
};

describe("tracker run (runner CLI)", () => {
  describe("--shard", () => {
    const runs = ["node", "xs"].flatMap((engine) => SCENARIOS.map((scenario) => ({ scenario, engine })));

    for (const n of [1, 2, 3, 5, 7]) {
      it(`the shards 1/${n} … ${n}/${n} partition the runs: no overlap, nothing left out, sizes within one`, () => {
        const shards = Array.from({ length: n }, (_, i) => selectShard(runs, { index: i + 1, count: n }));
        const seen = shards.flat();
        expect(seen).to.have.length(runs.length);
        expect(new Set(seen).size).to.equal(runs.length);
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
        for (const s of shards) expect(s).to.deep.equal(runs.filter((r) => s.includes(r))); // in run order
      });
    }

    it("is deterministic: the same runs whatever order they were listed in", () => {
      const key = (r: { scenario: { name: string }; engine: string }) => `${r.scenario.name}/${r.engine}`;
      const forward = selectShard(runs, { index: 2, count: 3 }).map(key).sort();
      const backward = selectShard([...runs].reverse(), { index: 2, count: 3 }).map(key).sort();
      expect(backward).to.deep.equal(forward);
    });

    it("parses i/n with 1 ≤ i ≤ n and rejects anything else", () => {
      expect(parseShard("2/3")).to.deep.equal({ index: 2, count: 3 });
      expect(parseShard("1/1")).to.deep.equal({ index: 1, count: 1 });
      for (const bad of ["0/3", "4/3", "x", "1/0", "1/", "/3", "-1/3", "1.5/3", "1/3/5", ""]) {
        expect(() => parseShard(bad), bad).to.throw(/--shard must be i\/n/);
      }
    });
  });

  describe("--junit", () => {
    it("a passing run: one testsuite per engine, the time in seconds, the SMS in system-out", () => {
      const xml = junitXml([passing], { properties: { seed: 1 } });
      expect(xml).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="tracker run" tests="1" failures="0" errors="0" skipped="0" time="1.234">/);
      expect(xml).to.include('<testsuite name="node" tests="1" failures="0" errors="0" skipped="0" time="1.234">');
      expect(xml).to.include('<property name="seed" value="1"/>');
      expect(xml).to.include('<testcase classname="tracker.node" name="where-with-fix" time="1.234">');
      expect(xml).to.include("<system-out>12.0 s  +14085550199 -&gt; +15550000000: &quot;WHERE&quot; [delivered]</system-out>");
      expect(xml).to.not.include("<failure");
      expect(xml.trimEnd().endsWith("</testsuites>")).to.equal(true);
    });

    it("a failing run: a failure naming the expectation, with the detail and simulated time, escaped", () => {
      const xml = junitXml([passing, failing, { ...passing, engine: "xs", name: "skipped-one", wallMs: 0, skipped: "not on xs" }]);
      expect(xml).to.include('<testsuites name="tracker run" tests="3" failures="1" errors="0" skipped="1"');
      expect(xml).to.include('<testsuite name="xs" tests="2" failures="1" errors="0" skipped="1" time="0.050">');
      expect(xml).to.include('<testcase classname="tracker.xs" name="odd &lt;name&gt; &amp; &quot;quotes&quot;" time="0.050">');
      expect(xml).to.include('<failure message="reply &lt; 30 s &amp; &apos;once&apos;" type="expectation">');
      expect(xml).to.include("✗ reply &lt; 30 s &amp; &apos;once&apos;: got &quot;two&quot;\\u0007 and\\u0000 \\ud800 &lt;b&gt;\nafter 42.5 s simulated</failure>");
      expect(xml).to.include("<system-out>30.0 s  +1408 -&gt; +1555: &quot;Live fix\\u001b[0m ]]&gt; x&quot; [delivered]</system-out>");
      expect(xml).to.include('<skipped message="not on xs"/>');
      // Well-formed as far as characters go: no character XML 1.0 forbids, no bare & or <.
      expect(xml).to.not.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      expect(xml).to.not.match(/&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)/);
      expect(xml.replace(/<\/?[a-z?][^<>]*>/g, "")).to.not.match(/[<>]/);
    });

    it("escapes each special character, keeps paired surrogates, and a CR survives as a reference", () => {
      expect(xmlText(`a<b>&"c'`)).to.equal("a&lt;b&gt;&amp;&quot;c&apos;");
      expect(xmlText("tab\tline\nret\r")).to.equal("tab\tline\nret&#13;");
      expect(xmlText("bell\u0007 esc\u001b nul\u0000")).to.equal("bell\\u0007 esc\\u001b nul\\u0000");
      expect(xmlText("emoji 😀 lone \uDC00")).to.equal("emoji 😀 lone \\udc00");
    });

    it("tracker run … --junit FILE writes the file and still prints the lines", async () => {
      const dir = mkdtempSync(join(tmpdir(), "junit-"));
      try {
        const file = join(dir, "sub", "results.xml");
        const { result, out } = await capture(() => main(["run", "where-with-fix", "--junit", file]));
        expect(result).to.equal(0);
        expect(out).to.match(/^PASS {2}where-with-fix \[node\]/m);
        const xml = readFileSync(file, "utf8");
        expect(xml).to.include('<testcase classname="tracker.node" name="where-with-fix"');
        expect(xml).to.include('tests="1" failures="0"');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("the summary", () => {
    it("a table per engine, then 'N passed, N failed' last", () => {
      const lines = summaryLines([passing, failing, { ...passing, name: "b" }], 2000);
      expect(lines[1]).to.match(/^engine \| passed \| failed \| skipped \| simulated time \| wall time$/);
      expect(lines.find((l) => l.startsWith("node "))).to.match(/^node\s+\|\s+2 \|\s+0 \|\s+0 \|\s+3\.2 min \|\s+2\.5 s$/);
      expect(lines.find((l) => l.startsWith("xs "))).to.match(/^xs\s+\|\s+0 \|\s+1 \|\s+0 \|\s+42\.5 s \|\s+0\.1 s$/);
      expect(lines.find((l) => l.startsWith("total"))).to.match(/\|\s+2\.0 s$/); // the elapsed time
      expect(lines.at(-1)).to.equal("2 passed, 1 failed");
    });

    it("a failure shows its expectation, and the SMS with their simulated times", async () => {
      const { result, out } = await capture(() =>
        runAndReport(
          [{ name: "custom-failing", description: "", async run(sim, check) { await sim.runFor(2000); check.equal(1, 2, "one is two"); } }],
          ["node"],
          { seed: 1, chunk: 64, verbose: false, jobs: 2 }, // not built in: runs here even with --jobs
        ),
      );
      expect(result).to.equal(1);
      expect(out).to.include("✗ one is two: expected 2, got 1");
      expect(out).to.match(/no SMS was exchanged|SMS exchanged \(simulated time/);
      expect(out).to.match(/^engine \| passed/m);
      expect(out.trimEnd().split("\n").at(-1)).to.equal("0 passed, 1 failed");
    });
  });

  describe("usage errors exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["--jobs", "0"], /--jobs must be a number from 1 to \d+, got '0'/],
      [["--jobs", "x"], /--jobs must be a number from 1 to \d+, got 'x'/],
      [["--jobs", "1.5"], /--jobs must be a whole number from 1 to \d+, got '1.5'/],
      [["--jobs", "100000"], /--jobs must be a number from 1 to \d+, got '100000'/],
      [["--shard", "0/3"], /--shard must be i\/n with 1 ≤ i ≤ n \(e.g. 2\/3\), got '0\/3'/],
      [["--shard", "4/3"], /got '4\/3'/],
      [["--shard", "x"], /got 'x'/],
      [["--junit"], /'--junit <value>' argument missing/],
      [["--json=yes"], /'--json' does not take an argument/],
    ];
    for (const [extra, message] of cases) {
      it(`run where-with-fix ${extra.join(" ")}`, async () => {
        const { result, out, err } = await capture(() => main(["run", "where-with-fix", ...extra]));
        expect(result).to.equal(2);
        expect(err).to.match(message);
        expect(out).to.equal("");
      });
    }

    it("--jobs with the moddable engine says it runs one at a time (not a usage error)", async () => {
      // The shard 2/2 of one run is empty: nothing starts the Moddable runtime here.
      const { result, out, err } = await capture(() => main(["run", "where-with-fix", "--engine", "moddable", "--jobs", "2", "--shard", "2/2"]));
      expect(result).to.equal(0);
      expect(err).to.match(/--jobs 2 ignored: the moddable engine runs one scenario at a time/);
      expect(out.trimEnd().split("\n").at(-1)).to.equal("0 passed, 0 failed");
    });

    it("through the real command line too", async () => {
      const { code, out, err } = await tracker("run", "where-with-fix", "--shard", "4/3");
      expect(code).to.equal(2);
      expect(err).to.match(/--shard must be i\/n/);
      expect(out).to.equal("");
    });
  });

  describe("the command line", function () {
    this.timeout(120_000);

    it("--json prints one JSON document with each run's results", async () => {
      const { code, out } = await tracker("run", "where-with-fix", "stranger-where", "--json");
      expect(code).to.equal(0);
      const report = JSON.parse(out) as JsonReport;
      expect(report.results.map((r) => `${r.name} ${r.engine} ${r.passed}`)).to.deep.equal(["where-with-fix node true", "stranger-where node true"]);
      expect(report.summary).to.include({ passed: 2, failed: 0, skipped: 0 });
      for (const r of report.results) {
        expect(r.simulatedMs).to.be.greaterThan(0);
        expect(r.wallMs).to.be.a("number");
        expect(r.failed).to.deep.equal([]);
        expect(r.transcript.length).to.be.greaterThan(0);
      }
    });

    it("--jobs 2 prints the same PASS/FAIL lines in the same order as --jobs 1", async () => {
      const serial = await tracker("run", ...SHORT, "--jobs", "1");
      const parallel = await tracker("run", ...SHORT, "--jobs", "2");
      expect(serial.code).to.equal(0);
      expect(parallel.code).to.equal(serial.code);
      expect(outcomeLines(serial.out)).to.deep.equal(SHORT.map((n) => `PASS  ${n} [node]`));
      expect(outcomeLines(parallel.out)).to.deep.equal(outcomeLines(serial.out));
      expect(parallel.out.trimEnd().split("\n").at(-1)).to.equal("4 passed, 0 failed");
    });

    it("--shard 1/2 and 2/2 run the whole list between them, once each", async () => {
      const parts = await Promise.all(["1/2", "2/2"].map((s) => tracker("run", ...SHORT, "--shard", s, "--json")));
      const names = parts.flatMap((p) => (JSON.parse(p.out) as JsonReport).results.map((r) => r.name));
      expect(names).to.have.length(SHORT.length);
      expect([...names].sort()).to.deep.equal([...SHORT].sort());
      expect(parts.map((p) => (JSON.parse(p.out) as JsonReport).shard)).to.deep.equal(["1/2", "2/2"]);
    });
  });
});

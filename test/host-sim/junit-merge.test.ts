/** Shards' JUnit files merge into the document an unsharded run would give (same cases, counts, failures). */
import { expect } from "chai";
import { XMLParser } from "fast-xml-parser";
import { junitXml } from "../../host-sim/scenario/report-junit.ts";
import { mergeJunit } from "../../host-sim/scenario/junit-merge.ts";
import { selectShard } from "../../host-sim/cli/run-command.ts";
import type { ScenarioResult } from "../../host-sim/scenario/runner.ts";

function result(name: string, engine: string, ok: boolean, skipped?: string): ScenarioResult {
  return {
    name,
    engine,
    passed: ok,
    checks: ok ? [{ ok: true, what: "fine", detail: "" }] : [{ ok: false, what: "reply <in time> & once", detail: 'got "late"' }],
    simulatedMs: 60_000,
    wallMs: 250,
    transcript: [`1.0 s  a -> b: "x & y"`],
    ...(skipped ? { skipped } : {}),
  };
}

const RUNS = [
  result("alpha", "node", true),
  result("alpha", "xs", false),
  result("beta", "node", true),
  result("beta", "xs", true),
  result("gamma", "node", false),
  result("gamma", "xs", true, "not on xs"),
];

function summary(xml: string) {
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xml);
  const root = doc.testsuites;
  return {
    totals: [root["@_tests"], root["@_failures"], root["@_skipped"]],
    suites: root.testsuite.map((s: any) => ({
      name: s["@_name"],
      counts: [s["@_tests"], s["@_failures"], s["@_skipped"]],
      cases: s.testcase.map((c: any) => `${c["@_name"]}${c.failure ? " FAILED: " + c.failure["@_message"] : ""}${c.skipped ? " skipped" : ""}`).sort(),
    })),
  };
}

describe("merge-junit", () => {
  it("three shards merge into what one run reports", () => {
    const runs = RUNS.map((r) => ({ scenario: { name: r.name }, engine: r.engine, r }));
    const shards = [1, 2, 3].map((index) => junitXml(selectShard(runs, { index, count: 3 }).map((x) => x.r), { properties: { seed: 1, shard: `${index}/3` } }));
    const merged = summary(mergeJunit(shards));
    const whole = summary(junitXml(RUNS, { properties: { seed: 1 } }));
    expect(merged.totals).to.deep.equal(whole.totals);
    expect(merged.suites).to.deep.include.members(whole.suites);
    expect(merged.suites).to.have.length(2);
    expect(mergeJunit(shards)).to.not.include('name="shard"');
    expect(mergeJunit(shards)).to.include('<property name="seed" value="1"/>');
  });

  it("keeps text escaped", () => {
    const xml = mergeJunit([junitXml([result("a", "node", false)])]);
    expect(xml).to.include("reply &lt;in time&gt; &amp; once");
    expect(xml).to.include("x &amp; y");
  });

  it("refuses a file that is not JUnit, naming it", () => {
    expect(() => mergeJunit(["<html/>"], ["page.html"])).to.throw(/page\.html: not a JUnit file/);
  });
});

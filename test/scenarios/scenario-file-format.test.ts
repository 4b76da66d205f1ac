/**
 * The scenario-file format: mistakes are reported with file, line, column and what was expected;
 * the committed JSON Schema is the one the spec makes, and it accepts and refuses what the checker does.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { ScenarioFileError, parseScenarioFile } from "../../host-sim/scenario/files/load-file.ts";
import { scenarioJsonSchema } from "../../host-sim/scenario/files/json-schema.ts";
import { formatDuration, parseDuration } from "../../host-sim/scenario/files/duration.ts";
import { smsPattern } from "../../host-sim/scenario/files/spec.ts";
import { fileScenario, scenarioFilesIn } from "../../host-sim/scenario/files/file-scenario.ts";
import { runScenario } from "../../host-sim/scenario/runner.ts";
import { FAULTS } from "../../host-sim/faults/fault-library.ts";

const GOOD = `name: sample
description: A sample.
timeline:
  - wait: ready
  - at: 2m
    send: WHERE
    reply: '^Live'
expect:
  - to: owner
    count: 1
`;

/** The problems parseScenarioFile reports for `text`, or [] when it is fine. */
function problems(text: string): string[] {
  try {
    parseScenarioFile("t.scenario.yaml", text);
    return [];
  } catch (e) {
    if (e instanceof ScenarioFileError) return [...e.problems];
    throw e;
  }
}

describe("scenario file format", () => {
  it("accepts a good file and keeps each step's line", () => {
    const file = parseScenarioFile("t.scenario.yaml", GOOD);
    expect(file.content.timeline).to.have.length(2);
    expect(file.stepLines).to.deep.equal([4, 5]);
    expect(file.expectLines).to.deep.equal([9]);
  });

  it("reports YAML syntax errors with their line", () => {
    const [p] = problems("name: x\ndescription: [unclosed\ntimeline: []\n");
    expect(p).to.match(/^t\.scenario\.yaml:\d+:\d+: YAML syntax: /);
  });

  it("names a misspelt key with its line, column and the keys it may be", () => {
    const out = problems(GOOD.replace("    reply:", "    replly:"));
    expect(out).to.deep.equal([
      "t.scenario.yaml:7:5: timeline[1].replly: unknown key 'replly' (expected one of: at, after, note, send, from, as, reply, within, notBefore)",
    ]);
  });

  it("says what a value should have been", () => {
    expect(problems(GOOD.replace("at: 2m", "at: soon"))).to.deep.equal([
      "t.scenario.yaml:5:9: timeline[1].at: expected a duration (seconds, or like 500ms, 30s, 5m, 1h30m, 2d), got 'soon'",
    ]);
    expect(problems(GOOD.replace("count: 1", "count: -1"))[0]).to.equal("t.scenario.yaml:10:12: expect[0].count: expected a whole number ≥ 0, got -1");
  });

  it("names an unknown fault with the faults there are", () => {
    const [p] = problems(GOOD.replace("  - wait: ready", "  - fault: gnss-outag"));
    expect(p).to.match(/^t\.scenario\.yaml:4:12: timeline\[0\]\.fault: expected one of uart-bit-errors, .*gnss-outage.*, got 'gnss-outag'$/);
  });

  it("refuses a fault parameter that fault does not take, and a missing required one", () => {
    expect(problems(GOOD.replace("  - wait: ready", "  - fault: gnss-outage\n    rate: 0.1"))[0]).to.match(/^t\.scenario\.yaml:5:5: timeline\[0\]\.rate: unknown key 'rate'/);
    expect(problems(GOOD.replace("  - wait: ready", "  - fault: sms-delay"))[0]).to.match(/^t\.scenario\.yaml:4:5: timeline\[0\]: missing 'by' \(a duration/);
  });

  it("refuses a step with two kinds, or none", () => {
    expect(problems(GOOD.replace("  - wait: ready", "  - wait: ready\n    power: cut"))[0]).to.equal("t.scenario.yaml:4:5: timeline[0]: only one of wait, power may be given in one item");
    expect(problems(GOOD.replace("  - wait: ready", "  - note: hello"))[0]).to.match(/^t\.scenario\.yaml:4:5: timeline\[0\]: expected one of the keys send, expect/);
  });

  it("checks what the shape cannot: phone names, bad patterns, expectations that count nothing", () => {
    expect(problems(GOOD.replace("    send: WHERE", "    send: WHERE\n    from: bob"))).to.deep.equal([
      "t.scenario.yaml:5: timeline[1].from: no phone named 'bob' (known: owner, stranger)",
    ]);
    expect(problems(GOOD.replace("'^Live'", "'^(Live'"))[0]).to.match(/^t\.scenario\.yaml:7:12: timeline\[1\]\.reply: not a valid regular expression/);
    expect(problems(GOOD.replace("    count: 1", "    matching: x"))).to.deep.equal(["t.scenario.yaml:9: expect[0]: say what to expect: count, atLeast, atMost or inbox"]);
  });

  it("refuses ${name} in a text unless an earlier pattern has the group", () => {
    expect(problems(GOOD.replace("    send: WHERE", "    send: RESET ${code}"))).to.deep.equal([
      "t.scenario.yaml:5: timeline[1].send: ${code} is not a group (?<code>...) of an earlier reply or expect pattern",
    ]);
    const captured = GOOD.replace("  - wait: ready", "  - send: RESET 2468\n    reply: 'RESET (?<code>[A-Z]{6})'").replace("    send: WHERE", "    send: RESET ${code}");
    expect(problems(captured)).to.deep.equal([]);
  });

  it("lists every problem, not only the first", () => {
    const out = problems(GOOD.replace("at: 2m", "at: soon").replace("count: 1", "count: x"));
    expect(out).to.have.length(2);
  });

  it("reads durations in seconds or with units", () => {
    expect(parseDuration(90)).to.equal(90_000);
    expect(parseDuration("1h30m")).to.equal(5_400_000);
    expect(parseDuration("500ms")).to.equal(500);
    expect(parseDuration("2d")).to.equal(172_800_000);
    expect(parseDuration("5 min")).to.equal(undefined);
    expect(parseDuration(-1)).to.equal(undefined);
    expect(formatDuration(90_000)).to.equal("90 s");
    expect(formatDuration(5_400_000)).to.equal("90 min");
    expect(formatDuration(12_600_000)).to.equal("3 h 30 min");
  });
});

describe("docs/scenario-files.md", function () {
  this.timeout(60_000);
  const doc = readFileSync(join(import.meta.dirname, "../../docs/scenario-files.md"), "utf8");

  it("its example is a valid file, and it passes", async () => {
    const start = doc.indexOf("```yaml\n# yaml-language-server", doc.indexOf("## An example"));
    const text = doc.slice(start + "```yaml\n".length, doc.indexOf("```", start + 7));
    const file = parseScenarioFile("docs/scenario-files.md", text);
    const result = await runScenario(fileScenario(file), { engine: "node" });
    expect(result.checks.filter((c) => !c.ok)).to.deep.equal([]);
  });

  it("describes every fault of the library", () => {
    for (const fault of FAULTS) expect(doc, fault.name).to.include(`| \`${fault.name}\` |`);
  });
});

describe("scenario file JSON Schema", () => {
  const schemaPath = join(import.meta.dirname, "../../host-sim/scenario/files/scenario.schema.json");
  /** A pattern is valid when it compiles the way scenario files compile it. */
  const regex = (text: string): boolean => {
    try {
      return smsPattern(text) instanceof RegExp;
    } catch {
      return false;
    }
  };
  const ajv = new Ajv2020({ allErrors: true, strict: false, formats: { regex } });
  const validate = ajv.compile(scenarioJsonSchema());

  it("the committed copy is current (regenerate: npx tracker schema --out host-sim/scenario/files/scenario.schema.json)", () => {
    expect(JSON.parse(readFileSync(schemaPath, "utf8"))).to.deep.equal(scenarioJsonSchema());
  });

  it("accepts every scenario file of the project", () => {
    for (const path of scenarioFilesIn(join(import.meta.dirname, "../scenario-files"))) {
      expect(validate(parse(readFileSync(path, "utf8"))), `${path}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
  });

  it("refuses what the checker refuses", () => {
    for (const bad of [
      GOOD.replace("    reply:", "    replly:"),
      GOOD.replace("at: 2m", "at: soon"),
      GOOD.replace("  - wait: ready", "  - fault: gnss-outag"),
      GOOD.replace("  - wait: ready", "  - fault: gnss-outage\n    rate: 0.1"),
      GOOD.replace("  - wait: ready", "  - wait: ready\n    power: cut"),
      GOOD.replace("name: sample\n", ""),
      GOOD.replace("'^Live'", "'^(Live'"),
    ]) {
      expect(problems(bad)).to.not.deep.equal([]);
      expect(validate(parse(bad)), bad).to.equal(false);
    }
    expect(validate(parse(GOOD))).to.equal(true);
  });
});

/**
 * `tracker trace`: record a scenario's modem line, replay it against a fresh firmware (OK), a trace
 * with one firmware line changed (mismatch at that line, exit 1), and `sniff` without the optional
 * serialport package (exit 2 with install instructions).
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../host-sim/cli/main.ts";
import { parseTrace } from "../../../host-sim/traces/trace-format.ts";
import { recordScenario, replayTrace } from "../../../host-sim/traces/trace-replay.ts";
import { SCENARIOS } from "../../../host-sim/scenario/scenarios.ts";
import { capture } from "../../support/capture-console.ts";


describe("tracker trace (record, replay, sniff)", function () {
  this.timeout(60_000);
  let dir: string;
  let recorded: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tracker-trace-"));
    recorded = join(dir, "help.trace");
    // HELP and an unknown command: replies with no GNSS-dependent text.
    const { result, out } = await capture(() => main(["trace", "record", "help-and-unknown", "--out", recorded]));
    expect(result, out).to.equal(0);
    expect(out).to.match(/recorded \d+ events .* of 'help-and-unknown' to /);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("records a header a replay can rebuild the world from, and both directions of the line", () => {
    const trace = parseTrace(readFileSync(recorded, "latin1"));
    expect(trace.header).to.include({ profile: "a7670", scenario: "help-and-unknown", seed: "1", source: "simulator" });
    expect(Number(trace.header["duration-ms"])).to.be.greaterThan(10_000);
    const sent = trace.events.filter((e) => e.direction === ">").map((e) => String.fromCharCode(...e.bytes));
    expect(sent).to.include("AT+CMGF=0\r");
    expect(sent.filter((l) => /^AT\+CMGS=\d+\r$/.test(l))).to.have.length(2); // HELP's reply and the unknown-command reply
    expect(trace.events.some((e) => e.direction === "<" && String.fromCharCode(...e.bytes).includes("*ATREADY: 1"))).to.equal(true);
  });

  for (const engine of ["node", "xs"] as const) {
    it(`replays the recording against a fresh firmware on ${engine}: OK, exit 0`, async () => {
      const { result, out } = await capture(() => main(["trace", "replay", recorded, "--engine", engine]));
      expect(result, out).to.equal(0);
      expect(out).to.match(new RegExp(`\\[${engine}\\]: OK: \\d+ events, \\d+ modem events played, \\d+ firmware lines matched`));
    });
  }

  it("reports the first mismatch with its trace line when one expected firmware line is changed (exit 1)", async () => {
    const lines = readFileSync(recorded, "latin1").split("\n");
    const at = lines.findIndex((l) => / > "AT\+CMGF=0\\r"/.test(l));
    expect(at).to.be.greaterThan(0);
    lines[at] = lines[at]!.replace("AT+CMGF=0", "AT+CMGF=1");
    const corrupted = join(dir, "corrupted.trace");
    writeFileSync(corrupted, lines.join("\n"));
    const { result, out } = await capture(() => main(["trace", "replay", corrupted]));
    expect(result, out).to.equal(1);
    expect(out).to.include(`MISMATCH at trace line ${at + 1}`);
    expect(out).to.include('expected "AT+CMGF=1\\r", firmware sent "AT+CMGF=0\\r');
  });

  it("says where the firmware stopped when the trace expects more than it sends", async () => {
    const text = readFileSync(recorded, "latin1");
    const trace = parseTrace(text);
    const last = trace.events.at(-1)!;
    // An extra firmware line after the end, and a duration that ends at the last event.
    const extended = text.replace(/# duration-ms: .*\n/, `# duration-ms: ${last.atMs}\n`) + `${last.atMs + 1000} > "AT+CSQ\\r"\n`;
    const result = await replayTrace(extended, { graceMs: 5_000 });
    expect(result.ok).to.equal(false);
    expect(result.waitingAt?.line).to.equal(extended.trimEnd().split("\n").length);
    expect(result.message).to.match(/^INCOMPLETE: the firmware stopped before trace line \d+/);
  });

  it("refuses a malformed trace with the line number (exit 1)", async () => {
    const bad = join(dir, "bad.trace");
    writeFileSync(bad, '# modem-trace v1\n0 < "\\r\\nRDY\\r\\n"\nthis is not an event\n');
    const { result, out } = await capture(() => main(["trace", "replay", bad]));
    expect(result).to.equal(1);
    expect(out).to.include("trace line 3");
  });

  it("every profile and fault scenario replays OK against a fresh firmware from its own recording", async () => {
    const failures: string[] = [];
    for (const scenario of SCENARIOS.filter((s) => /^(profile|fault)-/.test(s.name))) {
      const { text } = await recordScenario(scenario);
      const result = await replayTrace(text);
      if (!result.ok) failures.push(`${scenario.name}: ${result.message}`);
    }
    expect(failures).to.deep.equal([]);
  });

  it("sniff without its taps: exit 2 with how to wire them", async () => {
    const { result, err } = await capture(() => main(["trace", "sniff"]));
    expect(result).to.equal(2);
    expect(err).to.include("needs --tx PORT --rx PORT --out FILE");
    expect(err).to.include("adapter whose RX is on the firmware's TX line");
    expect(err).to.include("tracker trace replay");
  });

  it("sniff on a port that does not exist: exit 2 naming it", async () => {
    const { result, err } = await capture(() => main(["trace", "sniff", "--tx", "/dev/no-such-tap", "--rx", "/dev/no-such-tap2", "--out", "/tmp/x.trace", "--seconds", "1"]));
    expect(result).to.equal(2);
    expect(err).to.match(/\/dev\/no-such-tap/);
  });

  const usageErrors: [string[], RegExp][] = [
    [["trace"], /needs record, replay or sniff/],
    [["trace", "frob"], /unknown trace command 'frob'/],
    [["trace", "record"], /needs a scenario name/],
    [["trace", "record", "no-such", "--out", "x"], /no scenario named 'no-such'/],
    [["trace", "record", "help-and-unknown"], /needs --out FILE/],
    [["trace", "record", "help-and-unknown", "--out", "x", "--modem-profile", "nokia"], /--modem-profile must be one of/],
    [["trace", "replay"], /needs a trace file/],
    [["trace", "replay", "/no/such/file.trace"], /cannot read/],
    [["run", "help-and-unknown", "--modem-profile", "nokia"], /--modem-profile must be one of/],
  ];
  for (const [argv, message] of usageErrors) {
    it(`${JSON.stringify(argv)} is a usage error (exit 2)`, async () => {
      const { result, err } = await capture(() => main(argv));
      expect(result).to.equal(2);
      expect(err).to.match(message);
    });
  }

  it("run --modem-profile runs a scenario on that modem", async () => {
    const { result, out } = await capture(() => main(["run", "help-and-unknown", "--modem-profile", "EG25"]));
    expect(result, out).to.equal(0);
    expect(out).to.match(/PASS {2}help-and-unknown \[node\]/);
  });
});

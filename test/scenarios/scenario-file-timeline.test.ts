/** What a scenario file's timeline checks, shown on small files that must fail the way they should. */
import { expect } from "chai";
import { parseScenarioFile } from "../../host-sim/scenario/files/load-file.ts";
import { fileScenario } from "../../host-sim/scenario/files/file-scenario.ts";
import { runScenario } from "../../host-sim/scenario/runner.ts";

async function failed(text: string): Promise<string[]> {
  const result = await runScenario(fileScenario(parseScenarioFile("t.scenario.yaml", `name: t\ndescription: t.\n${text}`)), { engine: "node" });
  return result.checks.filter((c) => !c.ok).map((c) => `${c.what} | ${c.detail}`);
}

describe("scenario file timeline", function () {
  this.timeout(60_000);

  it("a reply that comes sooner than notBefore fails, with the text", async () => {
    const out = await failed("timeline:\n  - wait: ready\n  - at: 1m\n    send: WHERE\n    reply: '^Live'\n    notBefore: 30s\n");
    expect(out).to.have.length(1);
    expect(out[0]).to.match(/^line 5 \(timeline\[1\]\): owner texts "WHERE" and gets \/\^Live\/ \(in \d\.\d s, limit 90 s, not before 30 s\) \| it came too soon: "Live GNSS fix/);
  });

  it("a missing reply fails with what the phone had received and when", async () => {
    const out = await failed("timeline:\n  - wait: ready\n  - at: 1m\n    send: WHERE\n    reply: '^Nothing like this'\n    within: 20s\n");
    expect(out[0]).to.match(/^line 5 \(timeline\[1\]\): owner texts "WHERE" and gets \/\^Nothing like this\/ within 20 s \| at 80\.0 s owner had received \d+\.\d s "Live GNSS fix/);
    expect(out[1]).to.match(/^line 5: owner's "WHERE" was answered exactly once \| 0 replies/);
  });

  it("a code caught by a reply's group is sent back", async () => {
    const out = await failed(
      "timeline:\n  - wait: ready\n  - at: 1m\n    send: RESET 2468\n    reply: 'send RESET (?<code>[A-Z]{6})'\n  - send: RESET ${code}\n    reply: '^This tracker was reset'\nbecomeRegistered: [owner]\n",
    );
    expect(out).to.deep.equal([]);
  });

  it("silent fails on a message that reaches the phone, and an exact inbox fails on an extra one", async () => {
    const out = await failed("timeline:\n  - wait: ready\n  - at: 1m\n    send: WHERE\n  - silent: 1m\nexpect:\n  - to: owner\n    inbox: []\n");
    expect(out[0]).to.match(/^line 7 \(timeline\[2\]\): no SMS reaches any phone for 60 s \| \d+\.\d s to \+14085550199: "Live/);
    expect(out[1]).to.match(/^line 9 \(expect\[0\]\): owner received: exactly 0 message\(s\):  \| got 1:/);
  });

  it("a step dated in the past fails rather than running late", async () => {
    const out = await failed("timeline:\n  - at: 2m\n    wait: 1s\n  - at: 1m\n    wait: 1s\n");
    expect(out).to.deep.equal(["line 6 (timeline[1]): at 60 s | the timeline was already at 121.0 s"]);
  });
});

/**
 * End-to-end scenarios, the same firmware on both engines: Node, and the XS engine (xsnap) with the
 * device's restrictions. Then the WHERE exchange again with the UART bytes reaching the firmware in
 * chunks of 1, 2, 7 and random sizes: the outcome must not depend on chunking.
 */
import { expect } from "chai";
import { SCENARIOS, findScenario } from "../../host-sim/scenario/scenarios.ts";
import { runScenario, type ScenarioResult } from "../../host-sim/scenario/runner.ts";
import type { ChunkPolicy } from "../../host-sim/uart.ts";
import { PROFILE_NAMES } from "../../host-sim/modem/profiles.ts";

function failures(result: ScenarioResult): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => `${c.what}: ${c.detail}`);
}

for (const engine of ["node", "xs"] as const) {
  describe(`end-to-end scenarios on ${engine}`, function () {
    this.timeout(120_000);
    for (const scenario of SCENARIOS) {
      it(`${scenario.name}: ${scenario.description}`, async () => {
        const result = await runScenario(scenario, { engine });
        expect(failures(result), result.transcript.join("\n")).to.deep.equal([]);
        expect(result.checks.length).to.be.greaterThan(3);
      });
    }
  });
}

describe("end-to-end with UART chunking (Node)", function () {
  this.timeout(120_000);
  const chunks: [string, ChunkPolicy][] = [["1", 1], ["2", 2], ["7", 7], ["random", { random: 7 }]];
  for (const name of ["where-with-fix", "modem-error-on-send"]) {
    for (const [label, chunk] of chunks) {
      it(`${name} with chunks of ${label} byte(s)`, async () => {
        const result = await runScenario(findScenario(name)!, { engine: "node", chunk });
        expect(failures(result), result.transcript.join("\n")).to.deep.equal([]);
      });
    }
  }
});

describe("every scenario on every modem profile (Node)", function () {
  this.timeout(120_000);
  // `tracker run all --modem-profile X` is documented: each profile's own timing must be expected
  // (scenarios of the firmware's own rules, marked profileFree, run once above)
  const dialectScenarios = SCENARIOS.filter((s) => s.profileFree === undefined);
  for (const profile of PROFILE_NAMES) {
    it(`all ${dialectScenarios.length} dialect-dependent scenarios pass on the ${profile} profile`, async () => {
      const failed: string[] = [];
      for (const scenario of dialectScenarios) {
        const result = await runScenario(scenario, { engine: "node", modemProfile: profile });
        if (!result.passed) failed.push(`${scenario.name}: ${failures(result).join("; ")}`);
      }
      expect(failed).to.deep.equal([]);
    });
  }
});

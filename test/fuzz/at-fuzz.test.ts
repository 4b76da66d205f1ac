/** The AT path fuzz (full 10^6-case runs: `npm run fuzz -- --target at`); a smaller run in npm test. */
import { expect } from "chai";
import { fuzzAt } from "../../host-sim/fuzz/at-fuzz.ts";

describe("fuzz: AT line reader, chat engine and response parsers", function () {
  this.timeout(60_000);
  it("20,000 random and mutated modem answers: nothing throws, every command completes once", () => {
    const lines: string[] = [];
    const result = fuzzAt(20_000, 7, (line) => lines.push(line));
    expect(result.cases).to.equal(20_000);
    expect(result.failures, lines.join("\n")).to.deep.equal([]);
  });
});

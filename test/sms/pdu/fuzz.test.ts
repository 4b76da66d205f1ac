import { expect } from "chai";
import { fuzzPdu } from "../../../host-sim/fuzz/pdu-fuzz.ts";

describe("sms/pdu fuzz entry (host-sim/fuzz/pdu-fuzz.ts)", () => {
  it("runs 3,000 seeded cases with every property holding", () => {
    const lines: string[] = [];
    const result = fuzzPdu(3000, 1, (line) => lines.push(line));
    expect(result.failures).to.deep.equal([]);
    expect(result.cases).to.equal(3000);
    expect(lines[lines.length - 1]).to.match(/3000 cases .*0 failure/);
  });

  it("is reproducible and runs without the corpus", () => {
    const a: string[] = [];
    const b: string[] = [];
    fuzzPdu(200, 42, (l) => a.push(l), { corpusDir: "/nonexistent" });
    fuzzPdu(200, 42, (l) => b.push(l), { corpusDir: "/nonexistent" });
    expect(a).to.deep.equal(b);
    expect(a[0]).to.include("corpus absent");
  });
});

import { expect } from "chai";
import { maskNumber, sameNumber, toE164 } from "../../src/auth/phone-number.ts";

describe("auth/phone-number", () => {
  const cases: [string, string, string | undefined][] = [
    ["+14085550199", "1", "+14085550199"],
    ["+1 (408) 555-0199", "1", "+14085550199"],
    ["4085550199", "1", "+14085550199"],
    ["14085550199", "1", "+14085550199"],
    ["01144 7700 900123", "1", "+447700900123"],
    ["0044 7700 900123", "44", "+447700900123"],
    ["07700 900123", "44", "+447700900123"],
    ["447700900123", "44", "+447700900123"],
    ["030 1234567", "49", "+49301234567"],
    ["+49 30 1234567", "1", "+49301234567"],
    ["5550199", "1", undefined],
    ["", "1", undefined],
    ["VODAFONE", "44", undefined],
    ["+1408555019912345678", "1", undefined],
    ["++14085550199", "1", undefined],
    ["1408+5550199", "1", undefined],
    ['+1408555"0199', "1", undefined],
    ["+1408555\x1a0199", "1", undefined],
  ];
  for (const [raw, cc, expected] of cases) {
    it(`normalises ${JSON.stringify(raw)} (home +${cc}) to ${expected}`, () => {
      expect(toE164(raw, cc)).to.equal(expected);
    });
  }

  it("compares whole numbers, never substrings or suffixes", () => {
    expect(sameNumber("+14085550199", "4085550199", "1")).to.equal(true);
    expect(sameNumber("+14085550199", "+140855501991", "1")).to.equal(false);
    expect(sameNumber("+14085550199", "5550199", "1")).to.equal(false);
    expect(sameNumber("+14085550199", "+24085550199", "1")).to.equal(false);
    expect(sameNumber("", "", "1")).to.equal(false);
  });

  it("masks numbers for logs", () => {
    expect(maskNumber("+14085550199")).to.equal("+1408***0199");
    expect(maskNumber("12345")).to.equal("***");
  });
});

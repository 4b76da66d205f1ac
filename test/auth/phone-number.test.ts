import { expect } from "chai";
import { isCountryCode, maskNumber, sameNumber, toE164 } from "../../src/auth/phone-number.ts";

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
    // trunk prefixes other than "0", and none where a leading 0 belongs to the number
    ["8 (912) 345-67-89", "7", "+79123456789"],
    ["06 20 123 4567", "36", "+36201234567"],
    ["8 029 491-19-11", "375", "+375294911911"],
    ["8 66 123456", "993", "+99366123456"],
    ["06 1234 5678", "39", "+390612345678"],
    ["0549 123456", "378", "+3780549123456"],
    ["01 23 45 6789", "225", "+2250123456789"],
    ["01 90 01 12 34", "229", "+2290190011234"],
    ["06 03 12 34", "241", "+24106031234"],
    ["06 123 4567", "242", "+242061234567"],
    ["060 1234567", "381", "+381601234567"],
    // exit prefixes: "00" everywhere, and the home country's own
    ["0011 44 7700 900123", "61", "+447700900123"],
    ["010 44 7700 900123", "81", "+447700900123"],
    ["810 44 7700 900123", "7", "+447700900123"],
    ["810 44 7700 900123", "375", "+447700900123"],
    ["810 44 7700 900123", "993", "+447700900123"],
    ["0115 496 0123", "44", "+441154960123"], // NANP's "011" is no exit prefix in the UK: Nottingham
    ["0115 496 0123", "49", "+491154960123"],
    // lengths: 7 to 15 digits
    ["+6907290", "1", "+6907290"],
    ["+690729", "1", undefined],
    ["+123456789012345", "1", "+123456789012345"],
    ["+1234567890123456", "1", undefined],
    ["+0123456789", "1", undefined],
    ["0", "44", undefined],
    // separators people write, and nothing else
    ["+44.7700/900-123", "1", "+447700900123"],
    ["+44 (0)7700 900123", "1", "+4407700900123"],
    [" +44 7700 900123 ", "1", "+447700900123"],
    [`+44${" ".repeat(30)}7700900123`, "1", undefined],
    ["+44_7700900123", "1", undefined],
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
    expect(maskNumber("+6907290")).to.equal("***");
    expect(maskNumber("+69072901")).to.equal("+690***01");
    expect(maskNumber("+4915112345")).to.equal("+4915***45");
    expect(maskNumber("+441234567890")).to.equal("+4412***7890");
    expect(maskNumber("12345")).to.equal("***");
  });

  it("country calling codes: 1 to 3 digits, not starting with 0", () => {
    for (const code of ["1", "44", "358"]) expect(isCountryCode(code), code).to.equal(true);
    for (const code of ["", "0", "04", "1234", "4a", "+1"]) expect(isCountryCode(code), code).to.equal(false);
  });
});

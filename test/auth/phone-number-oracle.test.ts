/**
 * The device's compact normaliser against libphonenumber-js (host side only): every country's
 * example mobile number, written nationally, internationally with "+" and with "00", must normalise
 * to the E.164 form libphonenumber gives. Disagreements are listed here with their reason.
 */
import { expect } from "chai";
import { getCountries, getCountryCallingCode, getExampleNumber, type CountryCode } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { toE164 } from "../../src/auth/phone-number.ts";

/** Forms the device does not read as libphonenumber does, and why. */
const KNOWN_DISAGREEMENTS: Readonly<Record<string, string>> = Object.freeze({
  "AR national":
    "Argentine mobiles are written 0 + area + 15 + number nationally and +54 9 area number internationally; the device does not rewrite that (enter them in international form)",
});

interface Case {
  country: CountryCode;
  form: "national" | "+" | "00";
  written: string;
  e164: string;
  callingCode: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const country of getCountries()) {
    const example = getExampleNumber(country, examples);
    if (!example) continue;
    const callingCode = getCountryCallingCode(country);
    const e164 = example.number;
    out.push({ country, form: "national", written: example.formatNational(), e164, callingCode });
    out.push({ country, form: "+", written: example.formatInternational(), e164, callingCode });
    out.push({ country, form: "00", written: `00 ${example.formatInternational().slice(1)}`, e164, callingCode });
  }
  return out;
}

describe("auth/phone-number against libphonenumber-js", () => {
  const all = cases();

  it(`covers at least 200 numbers from at least 10 countries (${all.length} from ${new Set(all.map((c) => c.country)).size})`, () => {
    expect(all.length).to.be.at.least(200);
    expect(new Set(all.map((c) => c.country)).size).to.be.at.least(10);
  });

  it("every number normalises as libphonenumber-js does, with the home country's calling code, except the listed forms", () => {
    const differ: string[] = [];
    const listedAndStillDiffer = new Set<string>();
    for (const c of all) {
      const ours = toE164(c.written, c.callingCode);
      const key = `${c.country} ${c.form}`;
      if (ours === c.e164) continue;
      if (KNOWN_DISAGREEMENTS[key]) listedAndStillDiffer.add(key);
      else differ.push(`${key}: ${JSON.stringify(c.written)} → ${ours} (libphonenumber: ${c.e164})`);
    }
    expect(differ).to.deep.equal([]);
    expect([...listedAndStillDiffer].sort(), "every listed disagreement is real (else remove it)").to.deep.equal(Object.keys(KNOWN_DISAGREEMENTS).sort());
  });

  it("a number from abroad in international form is read the same whatever the home country", () => {
    for (const c of all.filter((x) => x.form !== "national")) {
      for (const home of ["1", "44", "61", "7", "39"]) {
        const ours = toE164(c.written, home);
        // a home exit prefix can look like the start of "00…" (none of these does)
        expect(ours, `${c.written} at home +${home}`).to.equal(c.e164);
      }
    }
  });
});

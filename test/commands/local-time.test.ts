/**
 * Local time and units (src/commands/local-time.ts, units.ts). Daylight-saving transition instants
 * are the published ones (timeanddate.com tables; for the US the Energy Policy Act 2005 rule, for
 * the EU Directive 2000/84/EC, for NSW/Victoria and New Zealand the 2008 / 2007 rules), checked one
 * second each side; the zone database (tzdata) agrees with them for these years.
 */
import { expect } from "chai";
import {
  UTC_ZONE,
  ZONES,
  isDaylightTime,
  localTime,
  parseTimeZone,
  timeZoneSetting,
  zoneFromSetting,
  zoneSettingText,
  type TimeZone,
} from "../../src/commands/local-time.ts";
import { distanceText, lengthText, speedText, unitsOf } from "../../src/commands/units.ts";

function zone(text: string): TimeZone {
  const z = parseTimeZone(text);
  if (typeof z === "string") throw new Error(`${text}: ${z}`);
  return z;
}

const utc = (iso: string) => Date.parse(iso);

describe("commands/local-time", () => {
  describe("parseTimeZone: what people type → the stored text", () => {
    const table: Array<[string, string]> = [
      ["UTC", "UTC"],
      ["utc", "UTC"],
      ["GMT", "UTC"],
      ["+05:30", "+05:30"],
      ["+0530", "+05:30"],
      ["+530", "+05:30"],
      ["+5", "+05:00"],
      ["-8", "-08:00"],
      ["-08:00", "-08:00"],
      ["UTC+5:45", "+05:45"],
      ["GMT-3", "-03:00"],
      ["utc +14", "+14:00"],
      ["-12:00", "-12:00"],
      ["+0", "UTC"],
      ["-00:00", "UTC"],
      ["ET", "US-EASTERN"],
      ["eastern", "US-EASTERN"],
      ["New York", "US-EASTERN"],
      ["NEWYORK", "US-EASTERN"],
      ["America/New_York", "US-EASTERN"],
      ["us-eastern", "US-EASTERN"],
      ["CT", "US-CENTRAL"],
      ["mountain", "US-MOUNTAIN"],
      ["MST", "US-MOUNTAIN"],
      ["Phoenix", "US-ARIZONA"],
      ["PT", "US-PACIFIC"],
      ["Pacific", "US-PACIFIC"],
      ["America/Los_Angeles", "US-PACIFIC"],
      ["Alaska", "US-ALASKA"],
      ["HST", "US-HAWAII"],
      ["UK", "UK"],
      ["Europe/London", "UK"],
      ["Dublin", "IRELAND"],
      ["Lisbon", "PORTUGAL"],
      ["CET", "CET"],
      ["Paris", "CET"],
      ["berlin", "CET"],
      ["EET", "EET"],
      ["Athens", "EET"],
      ["Sydney", "AU-EASTERN"],
      ["Australia/Melbourne", "AU-EASTERN"],
      ["Adelaide", "AU-ADELAIDE"],
      ["Brisbane", "AU-BRISBANE"],
      ["Perth", "AU-PERTH"],
      ["NZ", "NZ"],
      ["Pacific/Auckland", "NZ"],
      ["IST", "INDIA"],
      ["India", "INDIA"],
      ["Tokyo", "JAPAN"],
      ["China", "CHINA"],
      ["Hong Kong", "HONG-KONG"],
      ["south africa", "SOUTH-AFRICA"],
    ];
    for (const [typed, stored] of table) {
      it(`${JSON.stringify(typed)} → ${stored}`, () => {
        expect(timeZoneSetting(typed)).to.equal(stored);
        // the stored text parses back to the same zone
        expect(zone(stored)).to.deep.equal(zone(typed));
      });
    }

    const bad: Array<[string, string]> = [
      ["", "!not a time zone"],
      ["   ", "!not a time zone"],
      ["MARS", "!unknown time zone"],
      ["+15", "!offsets run from -12:00 to +14:00"],
      ["-13:00", "!offsets run from -12:00 to +14:00"],
      ["+05:20", "!an offset's minutes are 00, 15, 30 or 45"],
      ["+05:75", "!an offset's minutes are 00, 15, 30 or 45"],
      ["+123456", "!an offset is written like +05:30, -08:00 or +5"],
      ["+5:3", "!an offset is written like +05:30, -08:00 or +5"],
      ["+", "!an offset is written like +05:30, -08:00 or +5"],
      ["Zürich", "!not a time zone"],
      ["😀", "!not a time zone"],
      ["x".repeat(41), "!not a time zone"],
      ["UTC;AT+CGACT=1", "!unknown time zone"],
    ];
    for (const [typed, reason] of bad) {
      it(`${JSON.stringify(typed)} → ${reason}`, () => expect(parseTimeZone(typed)).to.equal(reason));
    }
    it("never throws on non-strings", () => {
      expect(parseTimeZone(undefined as unknown as string)).to.equal("!not a time zone");
      expect(zoneFromSetting(null as unknown as string)).to.equal(UTC_ZONE);
      expect(zoneFromSetting("garbage")).to.equal(UTC_ZONE);
    });
  });

  it("the zone table: unique names and aliases, names ≤ 15 ASCII characters, frozen", () => {
    const seen = new Map<string, string>();
    for (const [name, offsetMin, , standardLabel, daylightLabel, aliases] of ZONES) {
      expect(name.length, name).to.be.at.most(15);
      expect(/^[A-Z0-9+:-]+$/.test(name), name).to.equal(true);
      expect(zoneSettingText(zone(name))).to.equal(name);
      expect(offsetMin % 15).to.equal(0);
      expect(standardLabel.length).to.be.within(1, 9);
      expect(daylightLabel.length).to.be.at.most(9);
      for (const alias of aliases) {
        expect(seen.has(alias), `${alias} in ${name} and ${seen.get(alias)}`).to.equal(false);
        seen.set(alias, name);
      }
    }
    expect(Object.isFrozen(ZONES)).to.equal(true);
    expect(Object.isFrozen(ZONES[1])).to.equal(true);
    expect(Object.isFrozen(zone("ET"))).to.equal(true);
  });

  describe("localTime and the daylight-saving transitions", () => {
    // [zone, UTC instant, local hh:mm:ss, date, label]
    const table: Array<[string, string, string, string, string]> = [
      ["UTC", "2026-12-06T14:02:09Z", "14:02:09", "2026-12-06", "UTC"],
      ["+05:30", "2026-12-06T20:00:00Z", "01:30:00", "2026-12-07", "UTC+05:30"],
      ["-08:00", "2026-01-01T03:00:00Z", "19:00:00", "2025-12-31", "UTC-08:00"],
      ["+05:45", "2026-06-01T00:00:00Z", "05:45:00", "2026-06-01", "UTC+05:45"],
      // US Eastern 2026: 8 March 07:00 UTC (02:00 EST → 03:00 EDT); 1 November 06:00 UTC (02:00 EDT → 01:00 EST)
      ["ET", "2026-03-08T06:59:59Z", "01:59:59", "2026-03-08", "EST"],
      ["ET", "2026-03-08T07:00:00Z", "03:00:00", "2026-03-08", "EDT"],
      ["ET", "2026-11-01T05:59:59Z", "01:59:59", "2026-11-01", "EDT"],
      ["ET", "2026-11-01T06:00:00Z", "01:00:00", "2026-11-01", "EST"],
      // US Pacific 2025: 9 March 10:00 UTC; 2 November 09:00 UTC
      ["PT", "2025-03-09T09:59:59Z", "01:59:59", "2025-03-09", "PST"],
      ["PT", "2025-03-09T10:00:00Z", "03:00:00", "2025-03-09", "PDT"],
      ["PT", "2025-11-02T08:59:59Z", "01:59:59", "2025-11-02", "PDT"],
      ["PT", "2025-11-02T09:00:00Z", "01:00:00", "2025-11-02", "PST"],
      ["ALASKA", "2026-07-01T12:00:00Z", "04:00:00", "2026-07-01", "AKDT"],
      ["HAWAII", "2026-07-01T12:00:00Z", "02:00:00", "2026-07-01", "HST"],
      ["ARIZONA", "2026-07-01T12:00:00Z", "05:00:00", "2026-07-01", "MST"],
      ["CT", "2026-07-01T12:00:00Z", "07:00:00", "2026-07-01", "CDT"],
      ["MT", "2026-01-15T12:00:00Z", "05:00:00", "2026-01-15", "MST"],
      // EU 2026: 29 March 01:00 UTC; 25 October 01:00 UTC
      ["UK", "2026-03-29T00:59:59Z", "00:59:59", "2026-03-29", "GMT"],
      ["UK", "2026-03-29T01:00:00Z", "02:00:00", "2026-03-29", "BST"],
      ["UK", "2026-10-25T00:59:59Z", "01:59:59", "2026-10-25", "BST"],
      ["UK", "2026-10-25T01:00:00Z", "01:00:00", "2026-10-25", "GMT"],
      ["CET", "2026-03-29T00:59:59Z", "01:59:59", "2026-03-29", "CET"],
      ["CET", "2026-03-29T01:00:00Z", "03:00:00", "2026-03-29", "CEST"],
      ["CET", "2026-12-06T13:02:00Z", "14:02:00", "2026-12-06", "CET"],
      ["EET", "2026-10-25T00:59:59Z", "03:59:59", "2026-10-25", "EEST"],
      ["EET", "2026-10-25T01:00:00Z", "03:00:00", "2026-10-25", "EET"],
      ["PORTUGAL", "2026-07-01T12:00:00Z", "13:00:00", "2026-07-01", "WEST"],
      ["IRELAND", "2026-07-01T12:00:00Z", "13:00:00", "2026-07-01", "IST"],
      // Sydney: 2026-04-05 03:00 AEDT → 02:00 AEST (16:00 UTC on the 4th); 2026-10-04 02:00 AEST → 03:00 AEDT (16:00 UTC on the 3rd)
      ["SYDNEY", "2026-04-04T15:59:59Z", "02:59:59", "2026-04-05", "AEDT"],
      ["SYDNEY", "2026-04-04T16:00:00Z", "02:00:00", "2026-04-05", "AEST"],
      ["SYDNEY", "2026-10-03T15:59:59Z", "01:59:59", "2026-10-04", "AEST"],
      ["SYDNEY", "2026-10-03T16:00:00Z", "03:00:00", "2026-10-04", "AEDT"],
      ["SYDNEY", "2026-12-31T13:30:00Z", "00:30:00", "2027-01-01", "AEDT"],
      ["ADELAIDE", "2026-01-15T00:00:00Z", "10:30:00", "2026-01-15", "ACDT"],
      ["ADELAIDE", "2026-06-15T00:00:00Z", "09:30:00", "2026-06-15", "ACST"],
      ["BRISBANE", "2026-01-15T00:00:00Z", "10:00:00", "2026-01-15", "AEST"],
      ["PERTH", "2026-01-15T00:00:00Z", "08:00:00", "2026-01-15", "AWST"],
      // New Zealand: 2026-04-05 03:00 NZDT → 02:00 NZST (14:00 UTC on the 4th); 2026-09-27 02:00 NZST → 03:00 NZDT (14:00 UTC on the 26th)
      ["NZ", "2026-04-04T13:59:59Z", "02:59:59", "2026-04-05", "NZDT"],
      ["NZ", "2026-04-04T14:00:00Z", "02:00:00", "2026-04-05", "NZST"],
      ["NZ", "2026-09-26T13:59:59Z", "01:59:59", "2026-09-27", "NZST"],
      ["NZ", "2026-09-26T14:00:00Z", "03:00:00", "2026-09-27", "NZDT"],
      ["INDIA", "2026-12-06T08:32:00Z", "14:02:00", "2026-12-06", "IST"],
      ["JAPAN", "2026-12-31T15:00:00Z", "00:00:00", "2027-01-01", "JST"],
      // leap day, and a US transition in another year (2024: 10 March, 3 November)
      ["ET", "2024-02-29T23:30:00Z", "18:30:00", "2024-02-29", "EST"],
      ["ET", "2024-03-10T07:00:00Z", "03:00:00", "2024-03-10", "EDT"],
      ["ET", "2024-11-03T05:59:59Z", "01:59:59", "2024-11-03", "EDT"],
    ];
    for (const [z, iso, hhmmss, date, label] of table) {
      it(`${iso} in ${z} → ${date} ${hhmmss} ${label}`, () => {
        const got = localTime(utc(iso), zone(z));
        expect(got).to.include({ hhmmss, hhmm: hhmmss.slice(0, 5), date, label });
      });
    }

    it("daylight time every summer 2000-2099 in the northern and none in the southern zones (and the reverse in January)", () => {
      for (let year = 2000; year < 2100; year++) {
        const july = Date.UTC(year, 6, 15, 12);
        const january = Date.UTC(year, 0, 15, 12);
        for (const z of ["ET", "PT", "UK", "CET", "EET"]) {
          expect(isDaylightTime(july, zone(z)), `${z} ${year}`).to.equal(true);
          expect(isDaylightTime(january, zone(z)), `${z} ${year}`).to.equal(false);
        }
        for (const z of ["SYDNEY", "ADELAIDE", "NZ"]) {
          expect(isDaylightTime(july, zone(z)), `${z} ${year}`).to.equal(false);
          expect(isDaylightTime(january, zone(z)), `${z} ${year}`).to.equal(true);
        }
      }
    });

    it("bad instants and zones: placeholders, never a throw", () => {
      expect(localTime(NaN, UTC_ZONE)).to.deep.equal({ hhmm: "--:--", hhmmss: "--:--:--", date: "", label: "UTC", offsetMin: 0 });
      expect(localTime(Infinity, zone("CET")).hhmm).to.equal("--:--");
      expect(localTime(1e300, zone("CET")).date).to.equal("");
      expect(localTime(0, undefined as unknown as TimeZone)).to.include({ hhmm: "00:00", date: "1970-01-01", label: "UTC" });
      expect(localTime(0, {} as TimeZone)).to.include({ label: "UTC" });
    });
  });
});

describe("commands/units", () => {
  it("unitsOf: imperial or metric (the default, also for garbage)", () => {
    expect(unitsOf("imperial")).to.equal("imperial");
    expect(unitsOf("metric")).to.equal("metric");
    expect(unitsOf("IMPERIAL")).to.equal("metric");
    expect(unitsOf("")).to.equal("metric");
  });

  it("speedText", () => {
    const table: Array<[number, string, string]> = [
      [0, "0 km/h", "0 mph"],
      [63.4, "63 km/h", "39 mph"],
      [100, "100 km/h", "62 mph"],
      [160.9344, "161 km/h", "100 mph"],
      [999, "999 km/h", "621 mph"],
      [NaN, "", ""],
      [Infinity, "", ""],
    ];
    for (const [kmh, metric, imperial] of table) {
      expect(speedText(kmh, "metric"), String(kmh)).to.equal(metric);
      expect(speedText(kmh, "imperial"), String(kmh)).to.equal(imperial);
    }
  });

  it("lengthText (accuracy and the like: the small unit, at least 1)", () => {
    const table: Array<[number, string, string]> = [
      [0.2, "1 m", "1 ft"],
      [3, "3 m", "10 ft"],
      [12.4, "12 m", "41 ft"],
      [1000, "1000 m", "3281 ft"],
      [-1, "", ""],
      [NaN, "", ""],
    ];
    for (const [m, metric, imperial] of table) {
      expect(lengthText(m, "metric"), String(m)).to.equal(metric);
      expect(lengthText(m, "imperial"), String(m)).to.equal(imperial);
    }
  });

  it("distanceText scales: m/km and ft/mi, one decimal below 10", () => {
    const table: Array<[number, string, string]> = [
      [0, "0 m", "0 ft"],
      [250, "250 m", "820 ft"],
      [304.8, "305 m", "0.2 mi"],
      [304.6, "305 m", "999 ft"],
      [999.4, "999 m", "0.6 mi"],
      [999.6, "1 km", "0.6 mi"],
      [1234, "1.2 km", "0.8 mi"],
      [1609.344, "1.6 km", "1 mi"],
      [9960, "10 km", "6.2 mi"],
      [16093.44, "16 km", "10 mi"],
      [123456, "123 km", "77 mi"],
      [-5, "", ""],
      [NaN, "", ""],
    ];
    for (const [m, metric, imperial] of table) {
      expect(distanceText(m, "metric"), String(m)).to.equal(metric);
      expect(distanceText(m, "imperial"), String(m)).to.equal(imperial);
    }
  });
});

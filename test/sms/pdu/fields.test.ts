/**
 * The PDU field readers on their own (23.040 §9.1.2.5 addresses, §9.2.3.11 time stamps,
 * §9.2.3.12.1 relative validity; 24.008 §10.5.4.7 for the SMSC field), at their edges.
 */
import { expect } from "chai";
import {
  addressTypeOf,
  decodeAddress,
  decodeSmsc,
  decodeTimestamp,
  encodeAddress,
  relativeValidityCode,
  relativeValidityMinutes,
} from "../../../src/sms/pdu/pdu-fields.ts";

/** Swapped-BCD octet of a two-digit value (units in the high nibble). */
const bcd = (value: number) => ((value % 10) << 4) | Math.floor(value / 10);
/** A 7-octet time stamp: yy MM dd hh mm ss and the zone in quarter hours (negative = west). */
function stamp(yy: number, month: number, day: number, hour: number, minute: number, second: number, zoneQuarters = 0): Uint8Array {
  const tz = bcd(Math.abs(zoneQuarters)) | (zoneQuarters < 0 ? 0x08 : 0);
  return Uint8Array.from([bcd(yy), bcd(month), bcd(day), bcd(hour), bcd(minute), bcd(second), tz]);
}
const utcOf = (bytes: Uint8Array) => decodeTimestamp(bytes, 0).utcMs;

describe("sms/pdu/pdu-fields", () => {
  describe("time stamps", () => {
    it("reads each field and the zone (east and west)", () => {
      expect(decodeTimestamp(stamp(24, 3, 5, 14, 30, 15, 8), 0)).to.deep.equal({ utcMs: Date.UTC(2024, 2, 5, 12, 30, 15), tzQuarterHours: 8 });
      expect(decodeTimestamp(stamp(24, 3, 5, 14, 30, 15, -28), 0)).to.deep.equal({ utcMs: Date.UTC(2024, 2, 5, 21, 30, 15), tzQuarterHours: -28 });
      // at an offset into the data
      expect(decodeTimestamp(Uint8Array.from([0xff, 0xff, ...stamp(1, 1, 1, 0, 0, 0)]), 2).utcMs).to.equal(Date.UTC(2001, 0, 1));
    });

    it("years 70-99 are 19yy, 00-69 are 20yy", () => {
      expect(utcOf(stamp(70, 1, 1, 0, 0, 0))).to.equal(Date.UTC(1970, 0, 1));
      expect(utcOf(stamp(69, 12, 31, 23, 59, 59))).to.equal(Date.UTC(2069, 11, 31, 23, 59, 59));
      expect(utcOf(stamp(0, 1, 1, 0, 0, 0))).to.equal(Date.UTC(2000, 0, 1));
      expect(utcOf(stamp(99, 6, 1, 0, 0, 0))).to.equal(Date.UTC(1999, 5, 1));
    });

    it("the last valid value of each field is read; one more is invalid", () => {
      expect(utcOf(stamp(24, 12, 31, 23, 59, 59))).to.equal(Date.UTC(2024, 11, 31, 23, 59, 59));
      for (const bad of [stamp(24, 13, 1, 0, 0, 0), stamp(24, 0, 1, 0, 0, 0), stamp(24, 1, 0, 0, 0, 0), stamp(24, 1, 32, 0, 0, 0),
        stamp(24, 1, 1, 24, 0, 0), stamp(24, 1, 1, 0, 60, 0), stamp(24, 1, 1, 0, 0, 60)]) {
        expect(decodeTimestamp(bad, 0), [...bad].join(",")).to.deep.equal({ utcMs: NaN, tzQuarterHours: NaN });
      }
    });

    it("a nibble that is not a decimal digit makes the whole stamp invalid, in any field", () => {
      for (let field = 0; field < 7; field++) {
        // (the zone's low nibble carries the sign in its bit 3: only its high nibble can be a non-digit)
        for (const nibbles of field === 6 ? [0xa0] : [0x0a, 0xa0]) {
          const bytes = stamp(24, 3, 5, 14, 30, 15, 8);
          bytes[field] = (bytes[field]! & (nibbles === 0x0a ? 0xf0 : 0x07)) | nibbles;
          expect(utcOf(bytes), `field ${field} nibble ${nibbles.toString(16)}`).to.be.NaN;
        }
      }
    });

    it("days in each month, leap years by the Gregorian rule", () => {
      const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      days.forEach((last, k) => {
        expect(utcOf(stamp(23, k + 1, last, 0, 0, 0)), `month ${k + 1} day ${last}`).to.equal(Date.UTC(2023, k, last));
        expect(utcOf(stamp(23, k + 1, last + 1, 0, 0, 0)), `month ${k + 1} day ${last + 1}`).to.be.NaN;
      });
      expect(utcOf(stamp(24, 2, 29, 0, 0, 0))).to.equal(Date.UTC(2024, 1, 29));
      expect(utcOf(stamp(0, 2, 29, 0, 0, 0))).to.equal(Date.UTC(2000, 1, 29)); // divisible by 400
      expect(utcOf(stamp(23, 2, 29, 0, 0, 0))).to.be.NaN;
      // 1900 is not a leap year, but 19yy stamps start at 1970: check a century year through the 20yy side
      expect(utcOf(stamp(96, 2, 29, 0, 0, 0))).to.equal(Date.UTC(1996, 1, 29));
      expect(utcOf(stamp(97, 2, 29, 0, 0, 0))).to.be.NaN;
    });
  });

  describe("addresses", () => {
    it("types of number", () => {
      expect([0, 1, 2, 3, 4, 5, 6, 7].map(addressTypeOf)).to.deep.equal(["unknown", "international", "national", "other", "other", "alphanumeric", "other", "other"]);
    });

    it("reads digits, skips F fillers, shows * # a b c for the other semi-octets, and '+' only for an international number with digits", () => {
      expect(decodeAddress(Uint8Array.from([0x0b, 0x91, 0x41, 0x80, 0x55, 0x05, 0x91, 0xf9]), 0, "sender")).to.deep.equal({ value: "+14085550199", type: "international", ton: 1, next: 8 });
      expect(decodeAddress(Uint8Array.from([0x04, 0x81, 0xba, 0xdc]), 0, "sender")).to.deep.include({ value: "*#ab", type: "unknown" });
      expect(decodeAddress(Uint8Array.from([0x00, 0x91]), 0, "sender")).to.deep.equal({ value: "", type: "international", ton: 1, next: 2 });
      expect(decodeAddress(Uint8Array.from([0x03, 0xa1, 0x21, 0xf3]), 0, "sender")).to.deep.include({ value: "123", type: "national" });
    });

    it("refuses a field longer than 20 digits or running past the data, naming which address", () => {
      expect(decodeAddress(Uint8Array.from([0x15, 0x91, ...new Array(11).fill(0x11)]), 0, "sender")).to.equal("sender address length 21 exceeds 20");
      expect(decodeAddress(Uint8Array.from([0x14, 0x91, ...new Array(10).fill(0x11)]), 0, "sender")).to.deep.include({ value: "+11111111111111111111" });
      expect(decodeAddress(Uint8Array.from([0x04, 0x91, 0x11]), 0, "recipient")).to.equal("truncated recipient address");
      expect(decodeAddress(Uint8Array.from([0x04, 0x91, 0x11, 0x11]), 0, "recipient")).to.deep.include({ value: "+1111", next: 4 });
      expect(decodeAddress(Uint8Array.from([0x00, 0x00, 0x04]), 2, "sender")).to.equal("truncated sender address");
      expect(decodeAddress(Uint8Array.from([0x04]), 0, "sender")).to.equal("truncated sender address");
      expect(decodeAddress(Uint8Array.from([0x00, 0x81]), 0, "sender")).to.deep.include({ value: "", next: 2 });
    });

    it("the SMSC field: none, present, too long, cut short, or no PDU at all", () => {
      expect(decodeSmsc(Uint8Array.from([]))).to.equal("empty PDU");
      expect(decodeSmsc(Uint8Array.from([0x00]))).to.deep.equal({ value: "", type: "unknown", ton: 0, next: 1 });
      expect(decodeSmsc(Uint8Array.from([0x07, 0x91, 0x41, 0x80, 0x55, 0x05, 0x00, 0xf0]))).to.deep.equal({ value: "+14085550000", type: "international", ton: 1, next: 8 });
      expect(decodeSmsc(Uint8Array.from([0x07, 0x91, 0x41, 0x80, 0x55, 0x05, 0x00]))).to.equal("truncated SMSC field");
    });

    it("encodes a destination: international or unknown type, 1 to 20 digits, nothing else", () => {
      expect(encodeAddress("+123")).to.deep.equal([3, 0x91, 0x21, 0xf3]);
      expect(encodeAddress("12")).to.deep.equal([2, 0x81, 0x21]);
      expect(encodeAddress("1".repeat(20))).to.have.length(12);
      expect(encodeAddress("1".repeat(21))).to.equal("destination number longer than 20 digits");
      expect(encodeAddress("+")).to.equal("empty destination number");
      expect(encodeAddress("12+3")).to.equal("invalid character in destination number");
      expect(encodeAddress("++1")).to.equal("invalid character in destination number");
    });
  });

  describe("relative validity", () => {
    it("minutes of each step's edges", () => {
      const table: Array<[number, number]> = [[0, 5], [143, 720], [144, 750], [167, 1440], [168, 2 * 1440], [196, 30 * 1440], [197, 5 * 10080], [255, 63 * 10080]];
      for (const [code, minutes] of table) expect(relativeValidityMinutes(code), `code ${code}`).to.equal(minutes);
    });

    it("the smallest code whose period is at least the minutes asked", () => {
      const table: Array<[number, number]> = [[5, 0], [6, 1], [10, 1], [720, 143], [721, 144], [750, 144], [1440, 167], [1441, 168], [30 * 1440, 196], [30 * 1440 + 1, 197], [63 * 10080, 255], [64 * 10080, 255], [NaN, 0], [-3, 0]];
      for (const [minutes, code] of table) {
        expect(relativeValidityCode(minutes), `${minutes} min`).to.equal(code);
        if (minutes > 5 && minutes <= 63 * 10080) expect(relativeValidityMinutes(code)).to.be.at.least(minutes);
      }
    });
  });
});

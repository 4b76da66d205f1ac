import { expect } from "chai";
import {
  buildGga, buildGsa, buildGsvGroup, buildRmc, buildSentence, buildVtg, formatDate, formatLatitude,
  formatLongitude, formatTime, nmeaChecksum, type GsvSatellite,
} from "../../../host-sim/gnss/nmea-format.ts";
import { checkSentence, decodeCoord, expectedFieldCount, type CheckedSentence } from "./nmea-check.ts";

function checked(line: string): CheckedSentence {
  const s = checkSentence(line);
  if (typeof s === "string") throw new Error(s);
  expect(s.fields.length, `field count of ${line}`).to.equal(expectedFieldCount(s));
  return s;
}

describe("gnss/nmea-format", () => {
  describe("checksum and framing", () => {
    // Real sentences: corpus/gpsd/quectel-l76k-nmea.log and ublox-neo-m9n-nmea.log (gpsd test/daemon).
    const real = [
      "$GNVTG,286.35,T,,M,0.00,N,0.00,K,A*29",
      "$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E",
      "$GNGSA,A,3,29,20,18,16,51,13,44,26,,,,,0.99,0.54,0.83,1*0E",
      "$GPGSV,4,4,16,29,46,133,43,44,45,171,45,46,45,191,43,51,43,156,43,1*60",
    ];
    for (const line of real) {
      it(`matches the receiver's checksum: ${line.slice(0, 12)}…`, () => {
        const body = line.slice(1, line.indexOf("*"));
        expect(nmeaChecksum(body)).to.equal(line.slice(-2));
      });
    }
    it("writes two upper-case hex digits with a leading zero", () => {
      expect(nmeaChecksum("")).to.equal("00");
      expect(nmeaChecksum("A")).to.equal("41");
      expect(nmeaChecksum("AB")).to.equal("03");
      expect(nmeaChecksum("GPGLL,,,,,,V,N")).to.match(/^[0-9A-F]{2}$/);
    });
    it("builds $address,fields*HH with empty fields for undefined", () => {
      expect(buildSentence("GPXYZ", ["1", undefined, 2])).to.equal(`$GPXYZ,1,,2*${nmeaChecksum("GPXYZ,1,,2")}`);
    });
  });

  describe("coordinates", () => {
    it("formats latitude ddmm.mmmmm with hemisphere", () => {
      expect(formatLatitude(37.3349)).to.deep.equal(["3720.09400", "N"]);
      expect(formatLatitude(-33.8688)).to.deep.equal(["3352.12800", "S"]);
      expect(formatLatitude(0)).to.deep.equal(["0000.00000", "N"]);
      expect(formatLatitude(5.5, 4)).to.deep.equal(["0530.0000", "N"]);
      expect(formatLatitude(-90)).to.deep.equal(["9000.00000", "S"]);
    });
    it("formats longitude dddmm.mmmmm with hemisphere", () => {
      expect(formatLongitude(-121.8881)).to.deep.equal(["12153.28600", "W"]);
      expect(formatLongitude(2.3522)).to.deep.equal(["00221.13200", "E"]);
      expect(formatLongitude(179.99999, 4)).to.deep.equal(["17959.9994", "E"]);
    });
    it("carries rounded minutes into the degrees (never 60.0000')", () => {
      expect(formatLatitude(44.9999999999)).to.deep.equal(["4500.00000", "N"]);
      expect(formatLongitude(-9.99999999, 4)).to.deep.equal(["01000.0000", "W"]);
    });
    it("round-trips through an independent decoder to < 1e-6 deg", () => {
      for (const [lat, lon] of [[37.3349, -121.8881], [-45.555833, 170.123456], [0.000001, -0.000001], [89.9, 179.9]] as const) {
        const [la, ns] = formatLatitude(lat);
        const [lo, ew] = formatLongitude(lon);
        expect(decodeCoord(la, ns)! - lat).to.be.closeTo(0, 1e-6);
        expect(decodeCoord(lo, ew)! - lon).to.be.closeTo(0, 1e-6);
      }
    });
    it("rejects out-of-range values", () => {
      expect(() => formatLatitude(91)).to.throw(RangeError);
      expect(() => formatLongitude(Number.NaN)).to.throw(RangeError);
    });
  });

  describe("time and date", () => {
    it("formats hhmmss.ss (truncated) and ddmmyy in UTC", () => {
      const t = Date.UTC(2025, 5, 2, 9, 5, 7, 129);
      expect(formatTime(t)).to.equal("090507.12");
      expect(formatTime(t, 3)).to.equal("090507.129");
      expect(formatTime(t, 0)).to.equal("090507");
      expect(formatDate(t)).to.equal("020625");
      expect(formatTime(Date.UTC(1999, 11, 31, 23, 59, 59, 999))).to.equal("235959.99");
      expect(formatDate(Date.UTC(2000, 0, 1))).to.equal("010100");
      expect(formatTime(undefined)).to.equal("");
      expect(formatDate(undefined)).to.equal("");
    });
  });

  describe("sentences", () => {
    const utcMs = Date.UTC(2025, 5, 2, 16, 0, 10);
    const fix = { latDeg: 37.3349, lonDeg: -121.8881, speedKmh: 50, courseDeg: 327.4 };

    it("RMC with a fix: NMEA 4.1 form, knots, mode A, navStatus V", () => {
      const line = buildRmc({ utcMs, fix });
      const s = checked(line);
      expect(s.talker).to.equal("GN");
      expect(s.fields).to.deep.equal(["160010.00", "A", "3720.09400", "N", "12153.28600", "W", "26.998", "327.40", "020625", "", "", "A", "V"]);
    });
    it("RMC without a fix: status V, mode N, empty position/speed/course; empty time before time is known", () => {
      expect(checked(buildRmc({ utcMs })).fields).to.deep.equal(["160010.00", "V", "", "", "", "", "", "", "020625", "", "", "N", "V"]);
      expect(checked(buildRmc({})).fields.slice(0, 9).every((f) => f === "" || f === "V")).to.equal(true);
    });
    it("RMC leaves the course empty when it is undefined (stationary)", () => {
      expect(checked(buildRmc({ utcMs, fix: { ...fix, speedKmh: 0, courseDeg: undefined } })).fields.slice(6, 8)).to.deep.equal(["0.000", ""]);
    });
    it("VTG with and without a fix", () => {
      expect(checked(buildVtg({ fix })).fields).to.deep.equal(["327.40", "T", "", "M", "26.998", "N", "50.000", "K", "A"]);
      expect(checked(buildVtg({}, "GP")).fields).to.deep.equal(["", "T", "", "M", "", "N", "", "K", "N"]);
    });
    it("GGA with a fix and at cold start", () => {
      const g = checked(buildGga({ utcMs, numSv: 9, fix: { latDeg: 37.3349, lonDeg: -121.8881, altitudeM: 25, geoidSepM: -32, hdop: 0.9 } }));
      expect(g.fields).to.deep.equal(["160010.00", "3720.09400", "N", "12153.28600", "W", "1", "09", "0.90", "25.0", "M", "-32.0", "M", "", ""]);
      const cold = checked(buildGga({ numSv: 0 }));
      expect(cold.fields[5]).to.equal("0");
      expect(cold.fields[6]).to.equal("00");
      expect(cold.fields[7]).to.equal("");
      expect(cold.fields[8]).to.equal("");
    });
    it("GSA pads 12 satellite slots and carries the system ID", () => {
      const s = checked(buildGsa({ fixType: 3, svids: [1, 13, 32], pdop: 1.62, hdop: 0.9, vdop: 1.35, systemId: 1 }));
      expect(s.fields).to.deep.equal(["A", "3", "01", "13", "32", "", "", "", "", "", "", "", "", "", "1.62", "0.90", "1.35", "1"]);
      const none = checked(buildGsa({ fixType: 1, svids: [], systemId: 2 }));
      expect(none.fields.slice(1)).to.deep.equal(["1", ...Array(15).fill(""), "2"]);
      expect(checkSentence(buildGsa({ fixType: 1, svids: [] })) as CheckedSentence).to.have.nested.property("fields.length", 17);
    });
    it("GSV groups of 4 satellites per message, with numbering and signal ID", () => {
      const sats = (n: number): GsvSatellite[] => Array.from({ length: n }, (_, i) => ({ svid: i + 1, elevationDeg: 10 + i, azimuthDeg: 7 * i, cnoDbHz: i % 3 === 0 ? undefined : 30 }));
      for (const n of [0, 1, 4, 5, 11, 12, 13]) {
        const group = buildGsvGroup(sats(n), "GL", 1);
        expect(group.length, `messages for ${n} sats`).to.equal(Math.max(1, Math.ceil(n / 4)));
        let seen = 0;
        group.forEach((line, i) => {
          const s = checked(line);
          expect(s.talker).to.equal("GL");
          expect(s.fields.slice(0, 3)).to.deep.equal([String(group.length), String(i + 1), String(n).padStart(2, "0")]);
          expect(s.fields[s.fields.length - 1]).to.equal("1");
          seen += (s.fields.length - 4) / 4;
        });
        expect(seen).to.equal(n);
      }
      expect(buildGsvGroup(sats(1), "GP")[0]).to.match(/^\$GPGSV,1,1,01,01,10,000,\*/);
    });
  });
});

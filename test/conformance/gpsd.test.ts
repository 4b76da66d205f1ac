/**
 * gpsd conformance over ../shared/corpus/gpsd (read in place, never copied): our GNSS pipeline must
 * agree with gpsd's TPVs on ≥ 99% of the comparable fields, and every difference must be explained
 * by host-sim/conformance/known-differences.json (docs/gnss-known-differences.md).
 * Plus unit tests of the .chk reader and the epoch alignment.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { parseChk, parseHeaderDate } from "../../host-sim/conformance/gpsd-chk.ts";
import { compareFile, gpsdEpochs } from "../../host-sim/conformance/compare.ts";
import { stripComments, replay } from "../../host-sim/conformance/replay.ts";
import {
  classify,
  formatDifference,
  loadKnownDifferences,
  REQUIRED_AGREEMENT,
  runConformance,
} from "../../host-sim/conformance/conformance.ts";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/gpsd", import.meta.url));

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

describe("conformance: gpsd", () => {
  describe("tools", () => {
    // bu353s4.log.chk (gpsd corpus), shortened
    const CHK = [
      '$GPGGA,030719.000,3747.0873,S,17518.8938,E,1,08,1.1,59.9,M,23.7,M,,0000*7D',
      '{"class":"TPV","mode":3,"lat":-37.784788333,"lon":175.314896667,"altHAE":83.6000,"altMSL":59.9000,"alt":59.9000}',
      '{"class":"SKY","hdop":1.10,"uSat":8}',
      '$GPRMC,030719.000,A,3747.0873,S,17518.8938,E,0.69,181.39,311214,,,A*7D',
      '{"class":"TPV","mode":3,"time":"2014-12-31T03:07:19.000Z","lat":-37.784788333,"lon":175.314896667,"altMSL":59.9000,"track":181.3900,"speed":0.355}',
      '{"class":"TPV","mode":3,"time":"2014-12-31T03:07:19.000Z","lat":-37.784788333,"lon":175.314896667,"altMSL":59.9000,"track":181.3900,"speed":0.356}',
    ].join("\n");

    it("reads echoed sentences and TPVs, remembering the sentence each TPV followed", () => {
      const chk = parseChk(CHK);
      expect(chk.sentences).to.have.length(2);
      expect(chk.tpvs).to.have.length(3);
      expect(chk.tpvs[0]!.timeMs).to.equal(undefined);
      expect(chk.tpvs[1]!.after).to.match(/^\$GPRMC/);
      expect(chk.tpvs[1]!.timeMs).to.equal(Date.UTC(2014, 11, 31, 3, 7, 19));
    });

    it("groups dribbled TPVs into epochs: the last TPV with that time is the epoch's state", () => {
      const { epochs, withoutTime } = gpsdEpochs(parseChk(CHK).tpvs);
      expect(withoutTime).to.equal(1);
      expect(epochs).to.have.length(1);
      expect(epochs[0]!.tpv.speed).to.equal(0.356);
    });

    it("parses # Date: headers as gpsfake does (yyyy-m-d)", () => {
      expect(parseHeaderDate("2019-3-14")).to.equal(Date.UTC(2019, 2, 14));
      expect(parseHeaderDate("2014-12-31")).to.equal(Date.UTC(2014, 11, 31));
      expect(parseHeaderDate("yesterday")).to.equal(undefined);
    });

    it("strips # comment lines before replay", () => {
      expect(Buffer.from(stripComments(ascii("# Name: x\n$GPGGA\n#x\n"))).toString()).to.equal("$GPGGA\n");
    });

    it("aligns by time, compares within tolerance, and reports a real difference", () => {
      const bytes = ascii(
        "$GPRMC,030719.000,A,3747.0873,S,17518.8938,E,0.69,181.39,311214,,,A*7D\r\n" +
          "$GPGGA,030719.000,3747.0873,S,17518.8938,E,1,08,1.1,59.9,M,23.7,M,,0000*7D\r\n",
      );
      const { fixes } = replay(bytes);
      const tpvs = parseChk(CHK).tpvs;
      const same = compareFile("x.log", fixes, tpvs);
      expect(same.matchedEpochs).to.equal(1);
      // speed: 0.69 kn = 0.35497 m/s vs gpsd's 0.356 (test value): within 0.01 m/s
      expect(same.differences).to.deep.equal([]);
      const wrong = compareFile("x.log", fixes, parseChk(CHK.replace(/"track":181.3900/g, '"track":18.39')).tpvs);
      expect(wrong.differences.map((d) => d.field)).to.deep.equal(["track"]);
      expect(formatDifference(wrong.differences[0]!)).to.include("track: ours 181.39 gpsd 18.39");
      expect(classify(wrong.differences[0]!, loadKnownDifferences())).to.equal(undefined);
    });
  });

  describe("corpus", function () {
    it(`agrees with gpsd on ≥ ${100 * REQUIRED_AGREEMENT}% of comparable fields, every difference explained`, function () {
      if (!existsSync(CORPUS)) {
        this.skip(); // gpsd corpus absent (../shared/corpus/gpsd): a fresh clone of the project alone
      }
      this.timeout(20_000);
      const report = runConformance(CORPUS);
      expect(report.files.length).to.be.greaterThan(30);
      const unexplained = report.unexplained.map(formatDifference);
      expect(unexplained, "unexplained differences").to.deep.equal([]);
      expect(report.agreement).to.be.at.least(REQUIRED_AGREEMENT);
    });

    it("chunk size does not change the comparison (chunks of 1 and 4096 bytes)", function () {
      if (!existsSync(CORPUS)) this.skip();
      this.timeout(20_000);
      const only = ["triton400.log", "st-teseo-liv4f.log", "gp-320fw-2019-04-07-coldboot.log", "firefly-II.log"];
      const a = runConformance(CORPUS, { only, chunkBytes: 1 });
      const b = runConformance(CORPUS, { only, chunkBytes: 4096 });
      expect(a.agreed).to.equal(b.agreed);
      expect(a.comparable).to.equal(b.comparable);
      expect(a.files.map((f) => f.differences.map(formatDifference))).to.deep.equal(
        b.files.map((f) => f.differences.map(formatDifference)),
      );
    });
  });
});

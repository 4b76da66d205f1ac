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
import { alignByTimeOfDay, compareFile, gpsdEpochs, total } from "../../host-sim/conformance/compare.ts";
import { conformanceBuildDateMs, stripComments, replay } from "../../host-sim/conformance/replay.ts";
import { readLog } from "../../host-sim/conformance/gpsd-chk.ts";
import { buildSentence } from "../../host-sim/gnss/nmea-format.ts";
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

  describe("pairing epochs", () => {
    it("pairs as many equal times as possible without crossing, whatever runs only one side has", () => {
      const theirs = [...Array.from({ length: 500 }, (_, i) => i), 600, 601, 602];
      expect(alignByTimeOfDay([600, 601, 602], theirs)).to.deep.equal([500, 501, 502]);
      expect(alignByTimeOfDay([1, 700, 2, 3], [1, 2, 3])).to.deep.equal([0, -1, 1, 2]);
      expect(alignByTimeOfDay([5, 1, 2], [1, 2, 5]), "never crossing: the longer chain wins").to.deep.equal([-1, 0, 1]);
      expect(alignByTimeOfDay([7, 7], [7]), "one partner each, the earlier one").to.deep.equal([0, -1]);
      expect(alignByTimeOfDay([], [1])).to.deep.equal([]);
    });

    it("a log opening with 300 no-fix epochs timed by ZDA alone: the fixes after them are still paired", () => {
      const hhmmss = (s: number) => `${String(10 + Math.floor(s / 3600)).padStart(2, "0")}${String(Math.floor(s / 60) % 60).padStart(2, "0")}${String(s % 60).padStart(2, "0")}.00`;
      const iso = (s: number) => new Date(Date.UTC(2024, 4, 17, 10, 0, s)).toISOString();
      let log = "";
      let chk = "";
      for (let s = 0; s < 300; s++) {
        log += buildSentence("GPZDA", [hhmmss(s), "17", "05", "2024", "00", "00"]) + "\r\n";
        chk += `{"class":"TPV","mode":1,"time":"${iso(s)}"}\n`;
      }
      for (let s = 300; s < 310; s++) {
        log += buildSentence("GPRMC", [hhmmss(s), "A", "4807.0380", "N", "01131.0000", "E", "0.00", "", "170524", "", "", "A"]) + "\r\n";
        log += buildSentence("GPGGA", [hhmmss(s), "4807.0380", "N", "01131.0000", "E", "1", "08", "0.9", "545.4", "M", "46.9", "M", "", ""]) + "\r\n";
        chk += `{"class":"TPV","mode":3,"time":"${iso(s)}","lat":48.117300000,"lon":11.516666667,"altMSL":545.4000}\n`;
      }
      const { fixes } = replay(ascii(log));
      const result = compareFile("zda-start.log", fixes, parseChk(chk).tpvs);
      expect(result.matchedEpochs).to.equal(10);
      expect(result.differences.filter((d) => d.kind !== "missing-ours")).to.deep.equal([]);
      expect(result.differences).to.have.length(300);
      expect(total(result.agreed)).to.equal(total(result.comparable));
    });
  });

  describe("build date", () => {
    const rmc = (date: string) => buildSentence("GPRMC", ["120000.00", "A", "4807.0380", "N", "01131.0000", "E", "0.00", "", date, "", "", "A"]);
    it("is never later than the log's own dates: the earliest of the header and every RMC / ZDA date", () => {
      const header = Date.UTC(2024, 5, 1);
      expect(conformanceBuildDateMs(ascii(`${rmc("150322")}\r\n${rmc("140322")}\r\n`), header)).to.equal(Date.UTC(2022, 2, 14));
      expect(conformanceBuildDateMs(ascii(`$${rmc("210325")}\r\n`), Date.UTC(2025, 2, 26)), "a doubled '$' (st-teseo-liv4f.log)").to.equal(Date.UTC(2025, 2, 21));
      expect(conformanceBuildDateMs(ascii(buildSentence("GNZDA", ["120000.00", "03", "02", "2021", "", ""])), header)).to.equal(Date.UTC(2021, 1, 3));
      expect(conformanceBuildDateMs(ascii(`${rmc("220899")}\r\n`), header), "two-digit years as the receiver reads them").to.equal(Date.UTC(1999, 7, 22));
      expect(conformanceBuildDateMs(ascii(`${rmc("")}\r\n${rmc("991399")}\r\n`), header), "no readable date: the header").to.equal(header);
      expect(conformanceBuildDateMs(ascii("$GPGGA,1\r\n"), undefined)).to.equal(undefined);
    });

    it("a log recorded years before its header date keeps its dates (no 1024-week 'repair')", () => {
      const bytes = ascii(`${rmc("140322")}\r\n`);
      const buildDateMs = conformanceBuildDateMs(bytes, Date.UTC(2024, 5, 1));
      const { fixes } = replay(bytes, { buildDateMs });
      expect(fixes.map((f) => [new Date(f.utcMs).toISOString(), f.weekRolloverRepaired])).to.deep.equal([["2022-03-14T12:00:00.000Z", false]]);
    });

    it("the week-rollover repair, on its own: april6_2019.log replayed with the date it was recorded", function () {
      const file = `${CORPUS}/april6_2019.log`;
      if (!existsSync(file)) this.skip();
      const { fixes } = replay(stripComments(readLog(file).bytes), { buildDateMs: Date.UTC(2019, 3, 6) });
      const dated = fixes.filter((f) => Number.isFinite(f.utcMs));
      expect(dated.length).to.be.greaterThan(0);
      for (const fix of dated) {
        expect(new Date(fix.utcMs).toISOString().slice(0, 10)).to.be.oneOf(["2019-04-06", "2019-04-07"]);
        expect(fix.weekRolloverRepaired).to.equal(true);
      }
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

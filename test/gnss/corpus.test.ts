/**
 * The gpsd NMEA corpus (/work/shared/corpus/gpsd, read at test time, never copied here) as an oracle.
 * Each `.chk` is gpsd 3.27's replay of its `.log`: it echoes every sentence gpsd accepted, each
 * followed by the merged TPV. Checked per log:
 * - every RMC/GGA line gpsd accepted, we accept, and vice versa (checksums, framing);
 * - latitude/longitude of accepted RMC (status A) and GGA (quality > 0) match gpsd's 9 decimals;
 * - RMC (status A) time and date match, except two-digit years ≥ 69, which gpsd reads as 19yy and
 *   this firmware as 20yy (week-rollover repair is the application's job);
 * - the whole log through GnssReceiver gives identical results for every chunking, never throws,
 *   and every valid Fix has a position in range.
 */
import { expect } from "chai";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { NmeaLineReader } from "../../src/gnss/nmea-line-reader.ts";
import { NmeaParser, NmeaChar, SentenceType } from "../../src/gnss/nmea-parser.ts";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import { CORPUS_DIR, FakeClock, RecordingLogger, corpusPresent, describeFix, forEveryChunking, text } from "./helpers.ts";

const logs = corpusPresent ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".log") && existsSync(`${CORPUS_DIR}/${f}.chk`)) : [];

/** The log without gpsfake's '#' comment lines. */
function logBytes(file: string): Uint8Array {
  const raw = readFileSync(`${CORPUS_DIR}/${file}`);
  const out: number[] = [];
  let lineStart = true;
  let comment = false;
  for (const b of raw) {
    if (lineStart) comment = b === 0x23;
    if (!comment) out.push(b);
    lineStart = b === 0x0a;
  }
  return Uint8Array.from(out);
}

/** Positions compared with gpsd over all logs (checked at the end). */
let positionsCompared = 0;

describe("gnss against the gpsd corpus", function () {
  before(function () {
    if (!corpusPresent) {
      console.log(`      (skipped: gpsd corpus not found at ${CORPUS_DIR})`);
      this.skip();
    }
  });

  for (const file of logs) {
    it(`${file}: same sentences accepted as gpsd, same coordinates and times`, () => {
      const chk = readFileSync(`${CORPUS_DIR}/${file}.chk`, "latin1").split(/\r*\n|\r/);
      const echoedAt = new Map<string, number>();
      chk.forEach((line, i) => {
        if (line.startsWith("$") && !echoedAt.has(line)) echoedAt.set(line, i);
      });
      const reader = new NmeaLineReader();
      const parser = new NmeaParser();
      const problems: string[] = [];
      let compared = 0;
      reader.onLine = (t, start, end) => {
        const line = t.slice(start, end);
        const type = parser.parseChecked(t, start, end, reader.lineChecksum(t, start, end));
        if (!/^\$[A-Z]{2}(RMC|GGA),/.test(line)) return;
        const accepted = type === SentenceType.Rmc || type === SentenceType.Gga;
        const at = echoedAt.get(line);
        if (accepted !== (at !== undefined)) {
          problems.push(`${accepted ? "accepted" : "rejected"}, gpsd ${at === undefined ? "rejected" : "accepted"}: ${line}`);
          return;
        }
        if (!accepted || at === undefined || !chk[at + 1]?.startsWith('{"class":"TPV"')) return;
        const tpv = JSON.parse(chk[at + 1]) as { lat?: number; lon?: number; time?: string };
        const isRmc = type === SentenceType.Rmc;
        const record = isRmc ? parser.rmc : parser.gga;
        const hasFix = isRmc ? parser.rmc.status === NmeaChar.A : parser.gga.quality > 0;
        if (hasFix && tpv.lat !== undefined && tpv.lon !== undefined && !Number.isNaN(record.latitudeDeg)) {
          compared++;
          if (Math.abs(record.latitudeDeg - tpv.lat) > 1.5e-9 || Math.abs(record.longitudeDeg - (tpv.lon as number)) > 1.5e-9) {
            problems.push(`position ${record.latitudeDeg},${record.longitudeDeg} vs gpsd ${tpv.lat},${tpv.lon}: ${line}`);
          }
        }
        if (isRmc && hasFix && tpv.time !== undefined && !Number.isNaN(parser.rmc.dateMs) && !Number.isNaN(parser.rmc.timeOfDayMs)) {
          const ours = new Date(parser.rmc.dateMs + parser.rmc.timeOfDayMs).toISOString();
          if (ours !== tpv.time && Number(ours.slice(2, 4)) < 69) problems.push(`time ${ours} vs gpsd ${tpv.time}: ${line}`);
        }
      };
      reader.feed(logBytes(file));
      expect(problems).to.deep.equal([]);
      positionsCompared += compared;
    });
  }

  it("every log: GnssReceiver output is identical for every chunking and valid fixes are sane", function () {
    this.timeout(120_000);
    let published = 0;
    for (const file of logs) {
      const result = forEveryChunking(logBytes(file), (feedAll) => {
        const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger());
        const fixes: string[] = [];
        receiver.onFix = (fix) => {
          if (fix.valid) {
            expect(Math.abs(fix.latitudeDeg), file).to.be.at.most(90);
            expect(Math.abs(fix.longitudeDeg), file).to.be.at.most(180);
          }
          fixes.push(describeFix(fix));
        };
        feedAll((chunk) => receiver.feed(chunk));
        receiver.flush();
        return { fixes, counters: receiver.counters() };
      });
      expect(result.counters.callbackErrors, `${file}: an assertion in onFix failed`).to.equal(0);
      published += result.fixes.length;
    }
    expect(published).to.be.greaterThan(1000);
  });

  it("compared a meaningful number of positions with gpsd", () => {
    expect(positionsCompared).to.be.greaterThan(500);
  });
});

/**
 * NMEA fuzzing inside npm test: 20,000 seeded cases (the `npm run fuzz` command runs 1,000,000).
 * Properties: the pipeline never throws; chunk sizes 1 / 7 / random give the same fixes as the
 * whole stream; a sentence with a wrong checksum changes nothing (fixes equal those of the stream
 * without it); valid fixes are in range. Plus checks that the oracle itself can fail.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import {
  checkBadChecksum,
  corpusSeeds,
  feed,
  generatedSeeds,
  hasGoodChecksum,
  makeCase,
  runFuzz,
  escaped,
  hex,
} from "../../host-sim/fuzz/nmea-fuzz.ts";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import { QuietLogger, ReplayClock } from "../../host-sim/conformance/replay.ts";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/gpsd", import.meta.url));

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

describe("fuzz: NMEA pipeline", () => {
  it("20,000 cases: no throw, chunking-invariant, bad checksums ignored, sane fixes", function () {
    this.timeout(30_000);
    const result = runFuzz({ count: 20_000, seed: 20240601, corpusDir: existsSync(CORPUS) ? CORPUS : undefined });
    const v = result.violation;
    expect(v, v && `${v.property}: ${v.detail}\n"${escaped(v.input)}"\n${hex(v.input)}`).to.equal(undefined);
    expect(result.cases).to.equal(20_000);
    expect(result.fixesPublished).to.be.greaterThan(1000);
  });

  it("generated seeds (no corpus) also work", function () {
    this.timeout(10_000);
    const result = runFuzz({ count: 2000, seed: 3 });
    expect(result.seedSource).to.include("generated");
    expect(result.violation).to.equal(undefined);
  });

  it("bad-checksum cases really carry a wrong checksum the receiver rejects, or a line it never reads", () => {
    const seeds = existsSync(CORPUS) ? corpusSeeds(CORPUS) : generatedSeeds(1);
    let checked = 0;
    let rejected = 0;
    const countersOf = (bytes: Uint8Array) => {
      const receiver = new GnssReceiver(new ReplayClock(), new QuietLogger());
      receiver.feed(bytes);
      return receiver.counters();
    };
    for (let i = 0; i < 7 * 300; i += 7) {
      const c = makeCase(seeds, 99, i); // index % 7 == 0 → bad-checksum
      if (c.mutation !== "bad-checksum") continue;
      const damaged = countersOf(c.bytes);
      const without = countersOf(c.without!);
      // rejected for its checksum, or earlier as malformed (e.g. damaged down to "$GP*57"), or
      // skipped unread before its checksum (a GSV message 2..n, a VTG the epoch does not need, ...)
      const rejects = damaged.checksumErrors + damaged.malformed - (without.checksumErrors + without.malformed);
      const unread = damaged.uncheckedSentences - without.uncheckedSentences;
      expect(rejects + unread, escaped(c.bytes)).to.be.at.least(1);
      if (rejects >= 1) rejected++;
      checked++;
    }
    expect(checked).to.be.greaterThan(250);
    expect(rejected, "most damaged lines are read, so rejected").to.be.greaterThan(checked / 2);
  });

  it("the bad-checksum oracle detects a stream that differs (it can fail)", () => {
    const rmc = "$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1A\r\n";
    const gga = "$GPGGA,132820.60,4134.49821229,N,09345.03351845,W,2,09,1.0,278.020,M,-31.442,M,7.6,0133*7E\r\n";
    expect(checkBadChecksum(ascii(rmc + gga), ascii(rmc + gga))).to.equal(undefined);
    expect(checkBadChecksum(ascii(rmc + gga), ascii(rmc))).to.be.a("string");
  });

  it("seed lines are checked: hasGoodChecksum", () => {
    expect(hasGoodChecksum("$GPGGA,,,,,,0,,,,M,,M,,*66")).to.equal(true);
    expect(hasGoodChecksum("$GPGGA,,,,,,0,,,,M,,M,,*67")).to.equal(false);
    expect(hasGoodChecksum("$GPGGA,,,,,,0,,,,M,,M,,")).to.equal(false);
  });

  it("feed() is deterministic across chunkings on a real epoch", () => {
    const s = ascii("$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E\r\n$GNGGA,223745.00,3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000*44\r\n");
    const whole = feed(s, "whole", 1).keys;
    expect(whole).to.have.length(1);
    expect(feed(s, 1, 1).keys).to.deep.equal(whole);
    expect(feed(s, "random", 5).keys).to.deep.equal(whole);
  });
});

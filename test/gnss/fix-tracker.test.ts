import { expect } from "chai";
import { GnssReceiver, type GnssCounters } from "../../src/gnss/fix-tracker.ts";
import { FixQuality, type Fix } from "../../src/gnss/fix.ts";
import { FakeClock, RecordingLogger, ascii, describeFix, forEveryChunking, withChecksum } from "./helpers.ts";

interface StreamResult {
  fixes: string[];
  counters: GnssCounters;
  logs: string[];
  latest: string | null;
  lastValid: string | null;
}

/**
 * Run `lines` (joined with CR LF) through a fresh receiver with every chunking; the clock advances
 * 1000 ms after each line. Results must be identical for every chunking.
 */
function run(lines: string[], flush = false): StreamResult {
  const starts: number[] = [];
  let input = "";
  for (const line of lines) {
    input += `${line}\r\n`;
    starts.push(input.length);
  }
  const bytes = ascii(input);
  return forEveryChunking(bytes, (feedAll) => {
    const clock = new FakeClock();
    const log = new RecordingLogger();
    const receiver = new GnssReceiver(clock, log);
    const fixes: string[] = [];
    receiver.onFix = (fix) => fixes.push(describeFix(fix));
    let offset = 0;
    feedAll((chunk) => {
      // advance the clock at line boundaries, one byte at a time, so every chunking sees the same times
      for (let i = 0; i < chunk.length; i++) {
        receiver.feed(chunk.subarray(i, i + 1));
        offset++;
        if (starts.includes(offset)) clock.nowMs += 1000;
      }
    });
    if (flush) receiver.flush();
    const latest = receiver.latest();
    const lastValid = receiver.lastValid();
    return {
      fixes,
      counters: receiver.counters(),
      logs: log.entries,
      latest: latest ? describeFix(latest) : null,
      lastValid: lastValid ? describeFix(lastValid) : null,
    };
  });
}

/**
 * As `run` but feeding the chunks as they come (not byte by byte): receivedAtMs then depends on the
 * chunking, so it is left out of the comparison.
 */
function runChunked(lines: string[]): StreamResult {
  const bytes = ascii(lines.map((l) => `${l}\r\n`).join(""));
  return forEveryChunking(bytes, (feedAll) => {
    const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger());
    const fixes: string[] = [];
    receiver.onFix = (fix) => fixes.push(describeFix(fix));
    feedAll((chunk) => receiver.feed(chunk));
    return { fixes, counters: receiver.counters(), logs: [], latest: null, lastValid: null };
  });
}

// ublox-neo-m9n-nmea.log, first epoch
const M9N_RMC = "$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E";
const M9N_VTG = "$GNVTG,,T,,M,0.040,N,0.075,K,D*3E";
const M9N_GGA = "$GNGGA,223745.00,3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000*44";
const M9N_GSA = "$GNGSA,A,3,29,20,18,16,51,13,44,26,,,,,0.99,0.54,0.83,1*0E";

const rmc = (fields: string) => withChecksum(`GPRMC,${fields}`);
const gga = (fields: string) => withChecksum(`GPGGA,${fields}`);

function parseFix(description: string) {
  const [valid, lat, lon, alt, speed, course, quality, sv, hdop, utc, at] = description.split(" ");
  return { valid, lat: Number(lat), lon: Number(lon), alt, speed, course, quality, sv, hdop, utc, at };
}

describe("gnss/GnssReceiver", () => {
  it("merges RMC and GGA of one epoch and publishes when both arrived (u-blox M9N)", () => {
    const r = run([M9N_RMC, M9N_VTG, M9N_GGA, M9N_GSA]);
    expect(r.fixes).to.have.length(1);
    const f = parseFix(r.fixes[0]);
    expect(f.valid).to.equal("valid");
    expect(f.lat).to.be.closeTo(38.110494, 1e-9);
    expect(f.lon).to.be.closeTo(-122.626897, 1e-9);
    expect(f.alt).to.equal("83.1");
    expect(Number(f.speed)).to.be.closeTo(0.04 * 1.852, 1e-12);
    expect(f.course).to.equal("NaN");
    expect(f.quality).to.equal(`q${FixQuality.Differential}`);
    expect(f.sv).to.equal("sv12");
    expect(f.hdop).to.equal("hdop0.54");
    expect(f.utc).to.equal("2020-07-11T22:37:45.000Z");
    expect(f.at).to.equal("at3000"); // published by the 3rd line (clock +1000 ms after each line)
    expect(r.latest).to.equal(r.fixes[0]);
    expect(r.lastValid).to.equal(r.fixes[0]);
    expect(r.logs).to.deep.equal(["info gnss fix acquired"]);
    expect(r.counters).to.include({ rmcSentences: 1, ggaSentences: 1, vtgSentences: 1, gsaSentences: 1, otherSentences: 0, fixesPublished: 1 });
  });

  it("publishes an RMC-only epoch when the next epoch starts, or on flush() (firefly-II: GGA checksums all bad)", () => {
    // firefly-II.log: the GGA lines have wrong checksums and never count
    const lines = [
      "$GPGGA,005947.00,3715.6616,N,12157.6709,W,,11,0.8,86.0,M,-30.1,M,,*54",
      "$GPRMC,005947.00,A,3715.6616,N,12157.6709,W,0.0,0.0,080710,,*2F",
      "$GPGGA,005948.00,3715.6616,N,12157.6709,W,,11,0.8,86.0,M,-30.1,M,,*5B",
      "$GPRMC,005948.00,A,3715.6616,N,12157.6709,W,0.0,0.0,080710,,*20",
    ];
    const r = run(lines);
    expect(r.fixes).to.have.length(1);
    expect(r.fixes[0]).to.match(/^valid .* q1 sv-1 hdopNaN 2010-07-08T00:59:47.000Z at4000$/);
    expect(r.counters).to.include({ checksumErrors: 2, ggaSentences: 0, rmcSentences: 2 });
    const flushed = run(lines, true);
    expect(flushed.fixes).to.have.length(2);
    expect(flushed.fixes[1]).to.contain("2010-07-08T00:59:48.000Z");
  });

  it("handles receivers whose RMC and GGA times differ by a fraction (Quectel L76K at 5 Hz)", () => {
    // quectel-l76k-nmea.log
    const r = run([
      "$GNRMC,055234.000,A,4739.71890,N,12219.58362,W,0.00,286.35,050826,,,A,V*13",
      "$GNGGA,055234.200,4739.71890,N,12219.58362,W,1,14,0.9,76.5,M,-21.6,M,,*4A",
      "$GNRMC,055234.200,A,4739.71890,N,12219.58362,W,0.00,286.35,050826,,,A,V*11",
      "$GNGGA,055234.400,4739.71890,N,12219.58361,W,1,14,0.9,76.5,M,-21.6,M,,*4F",
    ]);
    expect(r.fixes.map((f) => parseFix(f).utc)).to.deep.equal(["2026-08-05T05:52:34.000Z", "2026-08-05T05:52:34.200Z"]);
    expect(parseFix(r.fixes[0]).alt).to.equal("NaN"); // RMC-only epoch
    expect(parseFix(r.fixes[1]).alt).to.equal("76.5");
  });

  it("publishes fix loss as valid=false and keeps lastValid", () => {
    const r = run([
      M9N_RMC,
      M9N_GGA,
      rmc("223746.00,V,,,,,,,110720,,,N,V"),
      gga("223746.00,,,,,0,00,99.99,,,,,,"),
    ]);
    expect(r.fixes).to.have.length(2);
    expect(r.fixes[1]).to.match(/^invalid NaN NaN NaN NaN NaN q0 sv0 hdop99.99 2020-07-11T22:37:46.000Z/);
    expect(r.latest).to.equal(r.fixes[1]);
    expect(r.lastValid).to.equal(r.fixes[0]);
    expect(r.logs).to.deep.equal(["info gnss fix acquired", "info gnss fix lost"]);
  });

  it("a trailing navStatus V (u-blox, NMEA 4.10) does not invalidate the fix", () => {
    const r = run([M9N_RMC], true);
    expect(r.fixes[0]).to.match(/^valid /);
  });

  describe("validity table", () => {
    const base = "3806.62964,N,12237.61382,W";
    const cases: Array<{ name: string; lines: string[]; valid: boolean; quality: number }> = [
      { name: "RMC A, mode A", lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,A`)], valid: true, quality: FixQuality.Gnss },
      { name: "RMC A, no mode (NMEA 2.0)", lines: [rmc(`120000,A,${base},1.0,90.0,110720,,`)], valid: true, quality: FixQuality.Gnss },
      { name: "RMC A, mode D", lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,D`)], valid: true, quality: FixQuality.Differential },
      { name: "RMC A, mode R", lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,R`)], valid: true, quality: FixQuality.Rtk },
      { name: "RMC A, mode N", lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,N`)], valid: false, quality: FixQuality.None },
      { name: "RMC A, mode E (dead reckoning)", lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,E`)], valid: false, quality: FixQuality.Estimated },
      { name: "RMC A, mode S (simulator)", lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,S`)], valid: false, quality: FixQuality.Estimated },
      { name: "RMC V with a position (sl869 style)", lines: [rmc(`120000,V,${base},0.0,0.0,110720,,`)], valid: false, quality: FixQuality.None },
      { name: "RMC A without a position", lines: [rmc(`120000,A,,,,,1.0,90.0,110720,,,A`)], valid: false, quality: FixQuality.Gnss },
      { name: "GGA 1", lines: [gga(`120000,${base},1,08,1.0,10.0,M,,M,,`)], valid: true, quality: FixQuality.Gnss },
      { name: "GGA 2", lines: [gga(`120000,${base},2,08,1.0,10.0,M,,M,,`)], valid: true, quality: FixQuality.Differential },
      { name: "GGA 4", lines: [gga(`120000,${base},4,08,1.0,10.0,M,,M,,`)], valid: true, quality: FixQuality.Rtk },
      { name: "GGA 5", lines: [gga(`120000,${base},5,08,1.0,10.0,M,,M,,`)], valid: true, quality: FixQuality.Rtk },
      { name: "GGA 0", lines: [gga(`120000,${base},0,08,1.0,10.0,M,,M,,`)], valid: false, quality: FixQuality.None },
      { name: "GGA 6 (dead reckoning)", lines: [gga(`120000,${base},6,08,1.0,10.0,M,,M,,`)], valid: false, quality: FixQuality.Estimated },
      { name: "GGA 7 (manual)", lines: [gga(`120000,${base},7,08,1.0,10.0,M,,M,,`)], valid: false, quality: FixQuality.Estimated },
      { name: "GGA 8 (simulator)", lines: [gga(`120000,${base},8,08,1.0,10.0,M,,M,,`)], valid: false, quality: FixQuality.Estimated },
      { name: "GGA with empty quality only", lines: [gga(`120000,${base},,08,1.0,10.0,M,,M,,`)], valid: false, quality: FixQuality.None },
      { name: "GGA 1 with no satellite in use: no fix (as gpsd)", lines: [gga(`120000,${base},1,00,1.0,10.0,M,,M,,`)], valid: false, quality: FixQuality.Gnss },
      { name: "GGA 1 with an empty satellite count: a fix", lines: [gga(`120000,${base},1,,1.0,10.0,M,,M,,`)], valid: true, quality: FixQuality.Gnss },
      {
        name: "RMC A + GGA 1 with 0 satellites: not valid",
        lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,A`), gga(`120000,${base},1,0,1.0,10.0,M,,M,,`)],
        valid: false,
        quality: FixQuality.Gnss,
      },
      {
        name: "RMC A + GGA 1",
        lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,A`), gga(`120000,${base},1,08,1.0,10.0,M,,M,,`)],
        valid: true,
        quality: FixQuality.Gnss,
      },
      {
        name: "RMC A + GGA with empty quality (firefly style)",
        lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,A`), gga(`120000,${base},,08,1.0,10.0,M,,M,,`)],
        valid: true,
        quality: FixQuality.Gnss,
      },
      {
        name: "RMC A + GGA 0 disagree: not valid",
        lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,A`), gga(`120000,${base},0,08,1.0,10.0,M,,M,,`)],
        valid: false,
        quality: FixQuality.None,
      },
      {
        name: "RMC V + GGA 1 disagree: not valid",
        lines: [gga(`120000,${base},1,08,1.0,10.0,M,,M,,`), rmc(`120000,V,${base},1.0,90.0,110720,,,N`)],
        valid: false,
        quality: FixQuality.Gnss,
      },
      {
        name: "RMC A + GGA 6: dead reckoning wins",
        lines: [rmc(`120000,A,${base},1.0,90.0,110720,,,A`), gga(`120000,${base},6,08,1.0,10.0,M,,M,,`)],
        valid: false,
        quality: FixQuality.Estimated,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = run(c.lines, true);
        expect(r.fixes).to.have.length(1);
        const f = parseFix(r.fixes[0]);
        expect(f.valid).to.equal(c.valid ? "valid" : "invalid");
        expect(f.quality).to.equal(`q${c.quality}`);
        expect(r.lastValid === null).to.equal(!c.valid);
      });
    }
  });

  describe("dates", () => {
    it("GGA-only epochs use the last RMC date and roll over at midnight", () => {
      const p = "3806.62964,N,12237.61382,W";
      const r = run([
        rmc(`235958.00,A,${p},0.0,0.0,311224,,,A`),
        gga(`235958.00,${p},1,08,1.0,10.0,M,,M,,`),
        gga(`235959.00,${p},1,08,1.0,10.0,M,,M,,`),
        gga(`000000.00,${p},1,08,1.0,10.0,M,,M,,`),
        gga(`000001.00,${p},1,08,1.0,10.0,M,,M,,`),
        rmc(`000002.00,A,${p},0.0,0.0,010125,,,A`),
        gga(`000002.00,${p},1,08,1.0,10.0,M,,M,,`),
      ]);
      expect(r.fixes.map((f) => parseFix(f).utc)).to.deep.equal([
        "2024-12-31T23:59:58.000Z",
        "2024-12-31T23:59:59.000Z",
        "2025-01-01T00:00:00.000Z",
        "2025-01-01T00:00:01.000Z",
        "2025-01-01T00:00:02.000Z",
      ]);
    });

    it("a GGA at 00:00:00 arriving before the new day's RMC gets the RMC's date (same epoch)", () => {
      const p = "3806.62964,N,12237.61382,W";
      const r = run([
        rmc(`235959.00,A,${p},0.0,0.0,311224,,,A`),
        gga(`235959.00,${p},1,08,1.0,10.0,M,,M,,`),
        gga(`000000.00,${p},1,08,1.0,10.0,M,,M,,`),
        rmc(`000000.00,A,${p},0.0,0.0,010125,,,A`),
      ]);
      expect(r.fixes.map((f) => parseFix(f).utc)).to.deep.equal(["2024-12-31T23:59:59.000Z", "2025-01-01T00:00:00.000Z"]);
    });

    it("a late GGA from before midnight goes back a day", () => {
      const p = "3806.62964,N,12237.61382,W";
      const r = run([rmc(`000001.00,A,${p},0.0,0.0,010125,,,A`), gga(`235959.00,${p},1,08,1.0,10.0,M,,M,,`)], true);
      expect(r.fixes.map((f) => parseFix(f).utc)).to.deep.equal(["2025-01-01T00:00:01.000Z", "2024-12-31T23:59:59.000Z"]);
    });

    it("GGA-only before any date: utcMs is NaN", () => {
      const r = run(["$GPGGA,043539.00,4333.190206,N,00127.618380,E,1,05,1.3,250.8,M,50.0,M,,*62"], true);
      expect(parseFix(r.fixes[0]).utc).to.equal("utc?");
      expect(parseFix(r.fixes[0]).valid).to.equal("valid");
    });
  });

  it("ignores a second GGA of an already published epoch (telit-pls83-w: GPGGA and GAGGA)", () => {
    const r = run([
      "$GPGGA,043539.00,4333.190206,N,00127.618380,E,1,05,1.3,250.8,M,50.0,M,,*62",
      "$GPRMC,043539.00,A,4333.190206,N,00127.618380,E,0.0,,040925,1.7,W,A,V*7C",
      "$GAGGA,043539.00,4333.190206,N,00127.618380,E,1,01,1.3,250.8,M,50.0,M,,*77",
    ], true);
    expect(r.fixes).to.have.length(1);
    expect(r.fixes[0]).to.contain("sv5");
    expect(r.counters.duplicateSentences).to.equal(1);
  });

  it("no-fix epochs with empty time merge and publish every second (telit-he910)", () => {
    const r = run(["$GPGGA,,,,,,0,,,,M,,M,,*66", "$GPRMC,,V,,,,,,,,,,N*53", "$GPGGA,,,,,,0,,,,M,,M,,*66", "$GPRMC,,V,,,,,,,,,,N*53"]);
    expect(r.fixes).to.deep.equal([
      "invalid NaN NaN NaN NaN NaN q0 sv-1 hdopNaN utc? at2000",
      "invalid NaN NaN NaN NaN NaN q0 sv-1 hdopNaN utc? at4000",
    ]);
    expect(r.logs).to.deep.equal([]); // never had a fix: nothing "lost"
  });

  describe("hostile streams", () => {
    it("a bad checksum never publishes", () => {
      const r = run([M9N_RMC.replace("*0E", "*0F"), M9N_GGA.replace("*44", "*45"), M9N_RMC.replace("A,3806", "A,3807")], true);
      expect(r.fixes).to.deep.equal([]);
      expect(r.latest).to.equal(null);
      expect(r.counters.checksumErrors).to.equal(3);
    });

    it("truncated sentences, overlong lines, binary junk, $$ and mid-line '$' around good epochs", () => {
      const junk = String.fromCharCode(0x00, 0xff, 0x80, 0x1b, 0x7f, 0x13);
      const r = run([
        "$GNRMC,223745.00,A,3806.62", // truncated: no checksum
        `${junk}${junk}`, // junk between lines
        `$GPGSV,4,1,16,05${junk}`, // binary inside a line: no checksum, rejected (missingChecksum)
        `$$${M9N_RMC.slice(1)}`,
        `$GNGGA,223745.00,3806${M9N_GGA}`, // mid-line '$'
        `$GPXXX,${"9".repeat(290)}`, // overlong
        "$GPRMC,223746.00,A,3806.62964,N,12237.61382,W", // truncated, no checksum
        rmc("223746.00,A,3806.62964,N,12237"), // truncated, checksum recomputed: malformed
      ], true);
      expect(r.fixes).to.have.length(1);
      expect(r.fixes[0]).to.match(/^valid 38.110494000 -122.626897000 83.1 /);
      expect(r.counters).to.include({ overlongLines: 1, droppedPartials: 1, missingChecksum: 3, malformed: 1, rmcSentences: 1, ggaSentences: 1 });
    });

    it("chunk boundaries do not matter for a long real stream (chunks fed as they come)", () => {
      const lines: string[] = [];
      for (let s = 0; s < 30; s++) {
        const t = `1200${String(s).padStart(2, "0")}.00`;
        lines.push(rmc(`${t},A,3806.6${s}964,N,12237.61382,W,${s}.5,${s * 10}.0,110720,,,A`));
        lines.push("$GNVTG,,T,,M,0.040,N,0.075,K,D*3E");
        lines.push(gga(`${t},3806.6${s}964,N,12237.61382,W,1,${s},1.0,${s}.0,M,,M,,`));
      }
      const r = runChunked(lines);
      expect(r.fixes).to.have.length(30);
    });

    it("an onFix that throws is counted and logged, never thrown to the UART driver", () => {
      const log = new RecordingLogger();
      const receiver = new GnssReceiver(new FakeClock(), log);
      receiver.onFix = () => {
        throw new Error("app bug");
      };
      expect(() => receiver.feed(ascii(`${M9N_RMC}\r\n${M9N_GGA}\r\n`))).not.to.throw();
      expect(receiver.callbackErrors).to.equal(1);
      expect(log.entries).to.include("error gnss onFix threw");
      expect(receiver.latest()?.valid).to.equal(true);
    });

    it("published fixes are frozen and distinct per epoch", () => {
      const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger());
      const fixes: Fix[] = [];
      receiver.onFix = (fix) => fixes.push(fix);
      receiver.feed(ascii(`${M9N_RMC}\r\n${M9N_GGA}\r\n${rmc("223746.00,V,,,,,,,110720,,,N,V")}\r\n`));
      receiver.flush();
      expect(fixes).to.have.length(2);
      expect(Object.isFrozen(fixes[0])).to.equal(true);
      expect(fixes[0]).to.not.equal(fixes[1]);
      expect(fixes[0].valid).to.equal(true);
      expect(receiver.lastValid()).to.equal(fixes[0]);
    });
  });
});

/**
 * Fuzz-ish robustness: 20,000 random and mutated inputs (seeded, reproducible) through the parser and
 * the whole receiver. Nothing may throw, and whatever is published must be sane.
 */
import { expect } from "chai";
import { NmeaParser, SentenceType } from "../../src/gnss/nmea-parser.ts";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import { FixQuality, type Fix } from "../../src/gnss/fix.ts";
import { FakeClock, RecordingLogger, ascii, seededRandom, text, withChecksum } from "./helpers.ts";

// Seeds: real sentences (ublox-neo-m9n-nmea.log, nmea-fuzzy-cases.log, telit-he910.log, jl-micro-jlt.log)
const SEEDS = [
  "$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E",
  "$GNGGA,223745.00,3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000*44",
  "$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1A",
  "$GPGGA,132820.60,4134.49821229,N,09345.03351845,W,2,09,1.0,278.020,M,-31.442,M,7.6,0133*7E",
  "$GPRMC,,V,,,,,,,,,,N*53",
  "$GPGGA,,,,,,0,,,,M,,M,,*66",
  "$GNRMC,012238.00,A,3454.4922,S,13835.7617,E,0.0,0.0,120821,,,D*5A",
  "$GNGSA,A,3,29,20,18,16,51,13,44,26,,,,,0.99,0.54,0.83,1*0E",
];
const ALPHABET = "$!,*.-+0123456789ABCDEFGNSWEVMPRabcdef\r\n \u0000\u00ff";

function mutate(random: () => number, line: string): string {
  let s = line;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (s.length + 1));
    const ch = ALPHABET[Math.floor(random() * ALPHABET.length)];
    switch (Math.floor(random() * 6)) {
      case 0:
        s = s.slice(0, at) + ch + s.slice(at + 1); // replace
        break;
      case 1:
        s = s.slice(0, at) + ch + s.slice(at); // insert
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 5)); // delete
        break;
      case 3:
        s = s.slice(0, at); // truncate
        break;
      case 4:
        s = s.slice(0, at) + s.slice(Math.floor(random() * s.length)); // splice with itself
        break;
      default:
        s = s.slice(0, at) + ",".repeat(Math.floor(random() * 30)) + s.slice(at); // many fields
    }
  }
  // half the time, repair the checksum so the field parsers see the damage
  if (random() < 0.5 && s.startsWith("$") && !s.includes("\r") && !s.includes("\n")) {
    const star = s.indexOf("*");
    s = withChecksum((star >= 0 ? s.slice(1, star) : s.slice(1)).replaceAll("$", ""));
  }
  return s;
}

function randomBytes(random: () => number): Uint8Array {
  const bytes = new Uint8Array(Math.floor(random() * 300));
  for (let i = 0; i < bytes.length; i++) bytes[i] = random() < 0.1 ? 0x24 : Math.floor(random() * 256);
  return bytes;
}

function expectSane(fix: Fix): void {
  expect(Object.values(FixQuality)).to.include(fix.quality);
  expect(fix.satellites).to.be.at.least(-1);
  if (fix.valid) {
    expect(Number.isFinite(fix.latitudeDeg) && Math.abs(fix.latitudeDeg) <= 90).to.equal(true);
    expect(Number.isFinite(fix.longitudeDeg) && Math.abs(fix.longitudeDeg) <= 180).to.equal(true);
  }
  if (!Number.isNaN(fix.utcMs)) expect(fix.utcMs).to.be.within(Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 2));
}

describe("gnss fuzz", () => {
  it("20,000 random and mutated inputs never throw and publish only sane fixes", function () {
    this.timeout(60_000);
    const random = seededRandom(20_240_601);
    const parser = new NmeaParser();
    const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger());
    let published = 0;
    receiver.onFix = (fix) => {
      published++;
      expectSane(fix);
    };
    for (let n = 0; n < 20_000; n++) {
      const kind = random();
      let bytes: Uint8Array;
      if (kind < 0.2) bytes = randomBytes(random);
      else bytes = ascii(mutate(random, SEEDS[Math.floor(random() * SEEDS.length)]));
      // the parser alone, with lengths in and out of range
      const type = parser.parseLine(text(bytes));
      expect(type).to.be.within(SentenceType.Invalid, SentenceType.Txt);
      // the whole pipeline: mutated line, then a clean epoch every so often
      receiver.feed(bytes);
      if (random() < 0.3) receiver.feed(ascii("\r\n"));
      if (random() < 0.05) receiver.feed(ascii(`${SEEDS[0]}\r\n${SEEDS[1]}\r\n`));
    }
    receiver.flush();
    const c = receiver.counters();
    for (const value of Object.values(c)) expect(value).to.be.at.least(0);
    expect(c.callbackErrors, "an assertion in onFix failed (the receiver catches it)").to.equal(0);
    expect(c.checksumErrors + c.malformed + c.droppedPartials).to.be.greaterThan(1000);
    expect(published).to.be.greaterThan(500);
  });
});

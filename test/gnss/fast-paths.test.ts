/**
 * The XS fast paths give the same results as the general ones:
 * - the reader's flat-cost conversion (String.fromArrayBuffer, injected here with the device's
 *   semantics) vs the per-byte fallback that Node runs by default;
 * - the GSA satellite count without visiting each field vs the field-by-field walk.
 */
import { expect } from "chai";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import type { FromArrayBuffer } from "../../src/gnss/ascii-text.ts";
import { GnssSystem, NmeaParser, SentenceType } from "../../src/gnss/nmea-parser.ts";
import { hourEpoch } from "../../host-sim/bench/nmea-throughput.ts";
import { FakeClock, RecordingLogger, ascii, deviceFromArrayBuffer, seededRandom, withChecksum } from "./helpers.ts";

function run(converter: FromArrayBuffer | null, bytes: Uint8Array, chunkSize: (i: number) => number) {
  const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger(), { buildDateMs: Date.UTC(2024, 0, 1), fromArrayBuffer: converter });
  const fixes: Fix[] = [];
  receiver.onFix = (fix) => fixes.push(fix);
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = chunkSize(k);
    receiver.feed(bytes.subarray(i, i + n));
    i += n;
  }
  receiver.flush();
  return { fixes: JSON.stringify(fixes), counters: receiver.counters(), slowChunks: receiver.slowChunks };
}

describe("gnss fast paths", () => {
  it("String.fromArrayBuffer path and per-byte path publish identical fixes (bench drive, noise, any chunking)", () => {
    const lines: string[] = [];
    for (let i = 1780; i < 1900; i++) lines.push(...hourEpoch(i)); // crosses the no-fix minute
    let text = lines.join("\r\n") + "\r\n";
    // a little non-ASCII noise between some lines, and one line with a Latin-1 byte inside
    text = text.replace(/\r\n\$GNZDA/g, (m, at: number) => (at % 7 === 0 ? "\r\n\u00e9\u00ff" + m.slice(2) : m));
    const bytes = ascii(text);
    const random = seededRandom(7);
    const sizes = [() => 64, () => 1, () => 1 + Math.floor(random() * 128), () => 300];
    for (const size of sizes) {
      const fast = run(deviceFromArrayBuffer, bytes, size);
      const slow = run(null, bytes, size);
      expect(fast.fixes).to.equal(slow.fixes);
      expect(fast.counters).to.deep.equal(slow.counters);
      expect(fast.slowChunks).to.be.lessThan(slow.slowChunks / 10);
      expect(fast.counters.fixesPublished).to.equal(120);
    }
  });

  it("checksums: \"*hh\" in lower case reads as in upper case; a wrong one is counted and the line never read", () => {
    const lines: string[] = [];
    for (let i = 1700; i < 1720; i++) lines.push(...hourEpoch(i, "static"));
    const upper = lines.join("\r\n") + "\r\n";
    const lower = upper.replace(/\*([0-9A-F]{2})/g, (_m, h: string) => "*" + h.toLowerCase());
    expect(lower).to.not.equal(upper);
    const a = run(deviceFromArrayBuffer, ascii(upper), () => 64);
    const b = run(deviceFromArrayBuffer, ascii(lower), () => 64);
    expect(b.fixes).to.equal(a.fixes);
    expect(b.counters).to.deep.equal(a.counters);
    expect(a.counters.checksumErrors).to.equal(0);
    // every RMC and every GPS GSV message 1 one off
    const off = (body: string, h: string) => body + "*" + ((parseInt(h, 16) + 1) & 255).toString(16).toUpperCase().padStart(2, "0");
    const wrong = upper.replace(/(\$G.RMC[^*]*)\*([0-9A-F]{2})/g, (_m, body: string, h: string) => off(body, h))
      .replace(/(\$GPGSV,\d,1,[^*]*)\*([0-9A-F]{2})/g, (_m, body: string, h: string) => off(body, h));
    const c = run(deviceFromArrayBuffer, ascii(wrong), () => 64);
    expect(c.counters.checksumErrors).to.equal(40);
    expect(c.counters.rmcSentences).to.equal(0);
    expect(c.counters.gsvSentences).to.equal(a.counters.gsvSentences - 20);
    const fixes = JSON.parse(c.fixes) as Fix[];
    expect(fixes.length).to.equal(20);
    for (const fix of fixes) expect(fix.satellitesInViewBySystem.gps).to.equal(-1);
    expect(JSON.parse(a.fixes)[19].satellitesInViewBySystem.gps).to.equal(11);
  });

  it("GSA: every layout counts the same satellites as a field-by-field reading", () => {
    const random = seededRandom(11);
    const parser = new NmeaParser();
    for (let n = 0; n < 3000; n++) {
      const ids: string[] = [];
      const style = Math.floor(random() * 5); // 0: 2-digit, packed; 1: unpadded; 2: 2-digit; 3: up to 3 digits; 4: 3-digit, packed
      const packed = Math.floor(random() * 13);
      for (let i = 0; i < 12; i++) {
        const present = style === 0 || style === 4 ? i < packed : random() < 0.5;
        const id = 1 + Math.floor(random() * (style === 3 ? 460 : 96));
        ids.push(!present ? "" : style === 4 ? String(401 + i) : style === 1 || style === 3 ? String(id) : String(id % 100).padStart(2, "0"));
      }
      const dops = [random() < 0.2 ? "" : (random() * 10).toFixed(random() < 0.3 ? 0 : 1), "0.9", random() < 0.2 ? "" : random() < 0.3 ? String(1 + Math.floor(random() * 9)) : "1.3"];
      const systemId = random() < 0.5 ? [String(1 + Math.floor(random() * 6))] : [];
      const talker = random() < 0.5 ? "GN" : "GP";
      const fields = ["A", "3", ...ids, ...dops, ...systemId];
      const type = parser.parseLine(withChecksum(`${talker}GSA,${fields.join(",")}`));
      expect(type).to.equal(SentenceType.Gsa);
      const used = ids.filter((x) => x !== "").length;
      const g = parser.gsa;
      expect(g.satellitesUsed, fields.join(",")).to.equal(used);
      expect(Number.isNaN(g.pdop) ? "" : g.pdop, fields.join(",")).to.equal(dops[0] === "" ? "" : Number(dops[0]));
      expect(Number.isNaN(g.vdop) ? "" : g.vdop, fields.join(",")).to.equal(dops[2] === "" ? "" : Number(dops[2]));
      if (systemId.length) expect(g.system).to.equal(Number(systemId[0]));
      else if (talker === "GP") expect(g.system).to.equal(GnssSystem.Gps);
    }
  });
});

describe("gnss fast paths: GLL time of day and GSV satellites in view", () => {
  /** accept() as the line reader calls it: with the XOR of the bytes between '$' and '*'. */
  function accept(parser: NmeaParser, line: string): number {
    let sum = 0;
    for (let i = 1; i < line.length - 3; i++) sum ^= line.charCodeAt(i);
    return parser.accept(line, 0, line.length, sum);
  }

  /** Time of day of GLL field 4 as the field walk reads it (NaN when absent or malformed). */
  function gllFieldTime(line: string): number {
    const f = line.slice(7, line.length - 3).split(",");
    if (f.length < 5) return NaN;
    const s = f[4];
    const v = Number(s);
    if (s === "" || !(v >= 0) || s.length < 6 || s[0] === "+") return NaN;
    const hms = Math.floor(v);
    const h = Math.floor(hms / 10000);
    const m = Math.floor(hms / 100) % 100;
    const sec = hms % 100;
    if (h > 23 || m > 59 || sec > 60) return NaN;
    return ((h * 60 + m) * 60 + sec) * 1000 + Math.round((v - hms) * 1000);
  }

  it("gllTimeOfDay: the shortcut for a GLL repeating the last RMC's position and time agrees with the field walk", () => {
    const random = seededRandom(23);
    const parser = new NmeaParser();
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    for (let n = 0; n < 3000; n++) {
      const lat = pick(["3720.15400", "3720.15401", "", "4807.038"]);
      const ns = pick(["N", "S", ""]);
      const lon = pick(["12153.20800", "01131.000", ""]);
      const ew = pick(["W", "E", ""]);
      const time = pick(["120140.00", "120141.00", "120140", "", "1201", "235959.999"]);
      parser.parseLine(withChecksum(`GNRMC,${time},A,${lat},${ns},${lon},${ew},0.0,,010625,,,A`));
      // the GLL mostly repeats those fields, sometimes not, with 5 to 8 fields
      const fields = [random() < 0.8 ? lat : "3720.1", random() < 0.9 ? ns : "S", random() < 0.8 ? lon : "", ew, random() < 0.8 ? time : "120139.00"];
      const tail = pick([[], ["A"], ["A", "A"], ["A", "A", "X"], ["", ""]]);
      const line = withChecksum(`GNGLL,${[...fields, ...tail].join(",")}`);
      expect(accept(parser, line)).to.be.greaterThan(0);
      const t = parser.gllTimeOfDay(line, 0, line.length);
      expect(Number.isNaN(t) ? "NaN" : t, line).to.equal(Number.isNaN(gllFieldTime(line)) ? "NaN" : gllFieldTime(line));
    }
  });

  it("GSV: the receiver's and gsvInView's header lookups give the in-view counts of the general path", () => {
    const random = seededRandom(29);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const parser = new NmeaParser();
    const reference = new NmeaParser();
    const epochs: string[] = [];
    const expected: number[] = [];
    for (let n = 0; n < 400; n++) {
      const m = pick(["1", "2", "3", "9", "10", "0", ""]);
      const k = pick(["1", "1", "2", "3", "10", "0", ""]);
      const inView = pick(["11", "07", "7", "", "123", "00", " "]);
      const sats = pick(["", ",02,40,120,38", ",02,40,120,38,04,10,20,"]);
      const signal = pick(["", ",1", ",A"]);
      const line = withChecksum(`GPGSV,${m},${k},${inView}${sats}${signal}`);
      const skip = line[8] === "," && !(line[9] === "1" && line[10] === ",");
      const want = skip ? -1 : reference.parseLine(line) === SentenceType.Gsv ? reference.gsv.satellitesInView : -1;
      expect(parser.gsvInView(accept(parser, line), line, 0, line.length), line).to.equal(want);
      // one epoch per GSV line: the receiver's in-view count for GPS is that line's (or unknown)
      epochs.push([withChecksum(`GPRMC,12${String(n % 60).padStart(2, "0")}${String(10 + Math.floor(n / 60)).padStart(2, "0")}.00,A,3720.15400,N,12153.20800,W,0.0,,010625,,,A`), line].join("\r\n"));
      expected.push(want);
    }
    const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger());
    const fixes: Fix[] = [];
    receiver.onFix = (fix) => fixes.push(fix);
    receiver.feed(ascii(epochs.join("\r\n") + "\r\n"));
    receiver.flush();
    expect(fixes.length).to.equal(epochs.length);
    // epoch i (published when the RMC of i + 1 arrives) carries GSV line i's count, else the
    // previous epoch's for one more second
    let last = -1;
    let seen = -9;
    for (let i = 0; i < fixes.length; i++) {
      if (expected[i] >= 0) {
        last = expected[i];
        seen = i;
      } else if (i - seen > 1) {
        last = -1;
      }
      expect(fixes[i].satellitesInViewBySystem.gps, `${i} ${epochs[i]}`).to.equal(last);
    }
  });
});

describe("gnss fast paths: per-system satellite counts", () => {
  it("publications agree with a per-system model (reported this second, else the previous second's, else -1)", () => {
    const random = seededRandom(31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    // talker and GSA system ID of GPS, GLONASS, Galileo, BeiDou; GN GSV lines are system Unknown (0)
    const systems = [["GP", 1], ["GL", 2], ["GA", 3], ["GB", 4]] as const;
    const names = ["gps", "glonass", "galileo", "beidou", "qzss", "navic"] as const;
    const lines: string[] = [];
    const expectedUsed: number[][] = [];
    const expectedView: number[][] = [];
    let usedPrev = new Array(7).fill(-1);
    let viewPrev = new Array(7).fill(-1);
    for (let n = 0; n < 600; n++) {
      const second = 36000 + n;
      const time = `${String(Math.floor(second / 3600)).padStart(2, "0")}${String(Math.floor(second / 60) % 60).padStart(2, "0")}${String(second % 60).padStart(2, "0")}.00`;
      lines.push(withChecksum(`GNRMC,${time},A,3720.15400,N,12153.20800,W,0.0,,010625,,,A`));
      const used = new Array(7).fill(-1);
      const view = new Array(7).fill(-1);
      // mostly the same as before (steady), sometimes a system stops, starts or changes
      const mode = random();
      for (const [talker, system] of systems) {
        if (mode < 0.6 ? system <= 2 : random() < 0.5) {
          const k = mode < 0.6 ? 3 + system : Math.floor(random() * 13);
          const ids = Array.from({ length: 12 }, (_, i) => (i < k ? String(system * 10 + i) : ""));
          lines.push(withChecksum(`GNGSA,A,3,${ids.join(",")},1.6,0.9,1.3,${system}`));
          used[system] = (used[system] < 0 ? 0 : used[system]) + k;
        }
        if (mode < 0.6 ? system <= 3 : random() < 0.5) {
          const v = mode < 0.6 ? 6 + system : Math.floor(random() * 40);
          lines.push(withChecksum(`${talker}GSV,1,1,${String(v).padStart(2, "0")}`));
          if (v > view[system]) view[system] = v;
        }
      }
      if (random() < 0.1) {
        lines.push(withChecksum("GNGSV,1,1,05"));
        view[0] = 5;
      }
      // a GSV without a count (read as -1) reports nothing
      if (random() < 0.1) lines.push(withChecksum(`${pick(["GP", "GL", "GN", "GQ"])}GSV,1,1,`));
      const usedOut = used.map((u, s) => (u >= 0 ? u : usedPrev[s]));
      const viewOut = view.map((v, s) => (v >= 0 ? v : viewPrev[s]));
      expectedUsed.push(usedOut);
      expectedView.push(viewOut);
      usedPrev = used;
      viewPrev = view;
    }
    const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger());
    const fixes: Fix[] = [];
    receiver.onFix = (fix) => fixes.push(fix);
    receiver.feed(ascii(lines.join("\r\n") + "\r\n"));
    receiver.flush();
    expect(fixes.length).to.equal(600);
    const sum = (xs: number[]) => xs.reduce((a, x) => (x < 0 ? a : (a < 0 ? 0 : a) + x), -1);
    for (let i = 0; i < fixes.length; i++) {
      const f = fixes[i];
      const at = `epoch ${i}`;
      expect(names.map((name) => f.satellitesUsedBySystem[name]), at).to.deep.equal(expectedUsed[i].slice(1));
      expect(names.map((name) => f.satellitesInViewBySystem[name]), at).to.deep.equal(expectedView[i].slice(1));
      expect(f.satellitesUsed, at).to.equal(sum(expectedUsed[i]));
      expect(f.satellitesInView, at).to.equal(sum(expectedView[i]));
      expect(Object.isFrozen(f.satellitesUsedBySystem) && Object.isFrozen(f.satellitesInViewBySystem)).to.equal(true);
      if (i > 0 && expectedUsed[i].slice(1).join() === expectedUsed[i - 1].slice(1).join()) {
        expect(f.satellitesUsedBySystem, `${at}: shared while unchanged`).to.equal(fixes[i - 1].satellitesUsedBySystem);
      }
      if (i > 0 && expectedView[i].slice(1).join() === expectedView[i - 1].slice(1).join()) {
        expect(f.satellitesInViewBySystem, `${at}: shared while unchanged`).to.equal(fixes[i - 1].satellitesInViewBySystem);
      }
    }
  });
});

describe("gnss fast paths: time and coordinate conversions", () => {
  const BAD = "malformed";
  /** Time field as specified: NaN when empty; hhmmss[.sss] of at least 6 characters, no sign, below 24 h. */
  function timeRef(s: string): number | string {
    if (s === "") return NaN;
    const v = Number(s);
    if (!(v >= 0 && v < 240000) || s.length < 6 || s[0] === "+") return BAD;
    const hms = Math.floor(v);
    const h = Math.floor(hms / 10000);
    const m = Math.floor(hms / 100) % 100;
    const sec = hms % 100;
    if (m > 59 || sec > 60) return BAD;
    return ((h * 60 + m) * 60 + sec) * 1000 + Math.round((v - hms) * 1000);
  }
  /** Coordinate field as specified: 3 to 5 digits before the dot, no sign, a valid hemisphere; out of range → "range". */
  function coordinateRef(s: string, side: string, maxDeg: number, positive: string, negative: string): number | string {
    if (s === "") return NaN;
    const v = Number(s);
    if (!(v >= 0) || (side !== positive && side !== negative) || s[0] === "+") return BAD;
    const dot = s.indexOf(".");
    const intDigits = dot < 0 ? s.length : dot;
    if (intDigits < 3 || intDigits > 5) return BAD;
    const degrees = Math.floor(v / 100);
    const minutes = v - degrees * 100;
    const value = degrees + minutes / 60;
    if (minutes >= 60 || value > maxDeg) return "range";
    return side === negative ? -value : value;
  }

  it("RMC time, latitude and longitude agree with the field definitions (usual and odd fields, cache hits and misses)", () => {
    const random = seededRandom(37);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const times = ["120140.00", "120141.00", "235959.999", "235960.5", "000000.00", "120140", "1201.5", "120.50", "+20140.00", " 20140.00",
      "0x1D5BC", "2e5", "120160.00", "126040.00", "240000.00", "-000000.0", "120140.", "12014a.00", "", " ", "120140.004", "1.2014e5"];
    const lats = ["3720.15400", "3720.15460", "0000.0000", "9000.0000", "8960.000000", "9000.0001", "4807.038", "123.4", "12345.6", "123456.7",
      "+720.1540", " 720.1540", "-000.0000", "3720", "372", "3760.0000", "37a0.1540", "", "0x3720", "1e3.5"];
    const lons = ["12153.20800", "01131.000", "18000.0000", "18000.0001", "17959.9999", "0113.5", "113.5", "+2153.208", "12153", "", "12160.0"];
    for (let n = 0; n < 4000; n++) {
      const time = pick(times);
      const lat = pick(lats);
      const ns = pick(["N", "S", "N", "S", "", "X", "NS"]);
      const lon = pick(lons);
      const ew = pick(["E", "W", "E", "W", "", "N"]);
      const parser = new NmeaParser();
      const line = withChecksum(`GNRMC,${time},A,${lat},${ns},${lon},${ew},0.0,,010625,,,A`);
      const type = parser.parseLine(line);
      const t = timeRef(time);
      const la = coordinateRef(lat, ns, 90, "N", "S");
      const lo = coordinateRef(lon, ew, 180, "E", "W");
      const malformed = t === BAD || la === BAD || lo === BAD;
      expect(type, line).to.equal(malformed ? SentenceType.Invalid : SentenceType.Rmc);
      if (malformed) continue;
      const r = parser.rmc;
      expect(Object.is(r.timeOfDayMs, t) || (Number.isNaN(r.timeOfDayMs) && Number.isNaN(t as number)), `${line} time ${r.timeOfDayMs} vs ${t}`).to.equal(true);
      const unknown = (x: number | string) => (x === "range" ? NaN : x);
      expect(Object.is(r.latitudeDeg, unknown(la)), `${line} lat ${r.latitudeDeg} vs ${la}`).to.equal(true);
      expect(Object.is(r.longitudeDeg, unknown(lo)), `${line} lon ${r.longitudeDeg} vs ${lo}`).to.equal(true);
      expect(parser.badCoordinates, line).to.equal((la === "range" ? 1 : 0) + (lo === "range" ? 1 : 0));
    }
  });

  it("RMC speed, course, mode and GGA quality, satellites, HDOP, altitude, geoid separation agree with the field definitions", () => {
    const random = seededRandom(41);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const number = (s: string | undefined) => (s === undefined || s === "" || s === " " ? NaN : Number(s));
    const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
    const numbers = ["", " ", "  ", "0", "0.0", "-0", "-0.0", "21.598", "360", "360.1", "-1", "abc", "1e2", "0x10", "16", "255", "256", "16.5", "0.90", "-32.0"];
    const letters = ["A", "V", "D", "N", "", "AB", "x"];
    const parser = new NmeaParser();
    for (let n = 0; n < 3000; n++) {
      const sog = pick(numbers);
      const cog = pick(numbers);
      // fields after the date: none, magnetic variation, FAA mode, navigational status
      const tail = pick(["", ",,", ",,E", ",3.1,W", `,,,${pick(letters)}`, `,,,${pick(letters)},${pick(letters)}`]);
      const rmcLine = withChecksum(`GNRMC,120140.00,A,3720.15400,N,12153.20800,W,${sog},${cog},010625${tail}`);
      expect(parser.parseLine(rmcLine), rmcLine).to.equal(SentenceType.Rmc);
      const f = rmcLine.slice(7, rmcLine.length - 3).split(",");
      const r = parser.rmc;
      const knots = number(f[6]);
      expect(same(r.speedKmh, knots >= 0 ? knots * 1.852 : NaN), `${rmcLine} speed ${r.speedKmh}`).to.equal(true);
      const course = number(f[7]);
      expect(same(r.courseDeg, course >= 0 && course <= 360 ? course : NaN), `${rmcLine} course ${r.courseDeg}`).to.equal(true);
      const letter = (s: string | undefined) => (s !== undefined && s.length === 1 ? s.charCodeAt(0) : 0);
      const variation = f[10] === "W" ? -number(f[9]) : f[10] === "E" ? number(f[9]) : NaN;
      expect(same(r.magneticVariationDeg, variation), `${rmcLine} variation`).to.equal(true);
      expect([r.mode, r.navStatus], rmcLine).to.deep.equal([letter(f[11]), letter(f[12])]);

      const quality = pick(["1", "1", "0", "2", "8", "9", "", "11", "a", " "]);
      const fields = [pick(numbers), pick(numbers), pick(numbers), "M", pick(numbers)];
      const ggaLine = withChecksum(`GNGGA,120140.00,3720.15400,N,12153.20800,W,${quality},${fields.join(",")}${pick(["", ",M", ",M,,"])}`);
      const badQuality = !["", "0", "1", "2", "8"].includes(quality);
      expect(parser.parseLine(ggaLine), ggaLine).to.equal(badQuality ? SentenceType.Invalid : SentenceType.Gga);
      const g = parser.gga;
      expect(g.quality, ggaLine).to.equal(badQuality || quality === "" ? -1 : Number(quality));
      if (badQuality) continue;
      const sats = number(fields[0]);
      expect(Object.is(g.satellites, sats >= 0 && sats <= 255 && Math.floor(sats) === sats ? sats : -1), `${ggaLine} satellites ${g.satellites}`).to.equal(true);
      const hdop = number(fields[1]);
      expect(same(g.hdop, hdop >= 0 ? hdop : NaN), `${ggaLine} hdop`).to.equal(true);
      expect(same(g.altitudeM, number(fields[2])), `${ggaLine} altitude ${g.altitudeM}`).to.equal(true);
      expect(same(g.geoidSeparationM, number(fields[4])), `${ggaLine} geoid ${g.geoidSeparationM}`).to.equal(true);
    }
  });
});

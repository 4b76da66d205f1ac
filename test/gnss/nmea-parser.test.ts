import { expect } from "chai";
import { GgaRecord, NmeaChar, NmeaParser, RmcRecord, SentenceType } from "../../src/gnss/nmea-parser.ts";
import { ascii, withChecksum } from "./helpers.ts";

function parse(sentence: string, parser = new NmeaParser()): { type: SentenceType; parser: NmeaParser } {
  return { type: parser.parseLine(sentence), parser };
}

function counters(p: NmeaParser) {
  const { rmcSentences, ggaSentences, txtSentences, otherSentences, checksumErrors, missingChecksum, malformed, badDates, badCoordinates } = p;
  return { rmcSentences, ggaSentences, txtSentences, otherSentences, checksumErrors, missingChecksum, malformed, badDates, badCoordinates };
}

const NONE = { rmcSentences: 0, ggaSentences: 0, txtSentences: 0, otherSentences: 0, checksumErrors: 0, missingChecksum: 0, malformed: 0, badDates: 0, badCoordinates: 0 };

/** Expected values; gpsd's .chk output (9 decimals, speed in m/s) was the oracle for the coordinates. */
type RmcExpect = Partial<Omit<RmcRecord, "dateMs">> & { date?: string | null; source: string; sentence: string };
type GgaExpect = Partial<GgaRecord> & { source: string; sentence: string };

const RMC_CASES: RmcExpect[] = [
  {
    source: "ublox-neo-m9n-nmea.log (NMEA 4.10: mode D, navStatus V, empty course)",
    sentence: "$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E",
    timeOfDayMs: (22 * 3600 + 37 * 60 + 45) * 1000,
    status: NmeaChar.A,
    latitudeDeg: 38.110494,
    longitudeDeg: -122.626897,
    speedKmh: 0.04 * 1.852,
    courseDeg: NaN,
    date: "2020-07-11",
    magneticVariationDeg: NaN,
    mode: NmeaChar.D,
    navStatus: NmeaChar.V,
  },
  {
    source: "nmea-fuzzy-cases.log (8 minute decimals, magvar E)",
    sentence: "$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1A",
    timeOfDayMs: (13 * 3600 + 28 * 60 + 20) * 1000 + 600,
    latitudeDeg: 41.574970205,
    longitudeDeg: -93.750558641,
    speedKmh: 3.252 * 1.852,
    courseDeg: 92.308,
    date: "2020-03-18",
    magneticVariationDeg: 11.5985,
    mode: NmeaChar.D,
    navStatus: 0,
  },
  {
    source: "jl-micro-jlt.log (south, east, NMEA 2.3)",
    sentence: "$GNRMC,012238.00,A,3454.4922,S,13835.7617,E,0.0,0.0,120821,,,D*5A",
    latitudeDeg: -34.908203333,
    longitudeDeg: 138.596028333,
    speedKmh: 0,
    courseDeg: 0,
    date: "2021-08-12",
  },
  {
    source: "sl869.log (status V with a position and magvar W, NMEA 2.0: no mode)",
    sentence: "$GPRMC,102136.000,V,3340.8472,S,15117.3205,E,0.0,0.0,251112,0.0,W*79",
    status: NmeaChar.V,
    latitudeDeg: -(33 + 40.8472 / 60),
    magneticVariationDeg: -0,
    mode: 0,
    date: "2012-11-25",
  },
  {
    source: "telit-he910.log (no fix yet: every field empty)",
    sentence: "$GPRMC,,V,,,,,,,,,,N*53",
    timeOfDayMs: NaN,
    status: NmeaChar.V,
    latitudeDeg: NaN,
    longitudeDeg: NaN,
    speedKmh: NaN,
    courseDeg: NaN,
    date: null,
    mode: NmeaChar.N,
  },
  {
    source: "quectel-l76k-nmea.log (talker GN, .000 time)",
    sentence: "$GNRMC,055234.000,A,4739.71890,N,12219.58362,W,0.00,286.35,050826,,,A,V*13",
    timeOfDayMs: (5 * 3600 + 52 * 60 + 34) * 1000,
    courseDeg: 286.35,
    date: "2026-08-05",
  },
];

const GGA_CASES: GgaExpect[] = [
  {
    source: "ublox-neo-m9n-nmea.log",
    sentence: "$GNGGA,223745.00,3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000*44",
    timeOfDayMs: (22 * 3600 + 37 * 60 + 45) * 1000,
    latitudeDeg: 38.110494,
    longitudeDeg: -122.626897,
    quality: 2,
    satellites: 12,
    hdop: 0.54,
    altitudeM: 83.1,
  },
  {
    source: "nmea-fuzzy-cases.log (RTK fixed)",
    sentence: "$GNGGA,133900.00,4134.50180323,N,09345.03586581,W,4,19,0.7,280.827,M,-31.442,M,6.0,0002*61",
    quality: 4,
    satellites: 19,
    altitudeM: 280.827,
  },
  {
    source: "telit-pls83-w.log (6 minute decimals, east)",
    sentence: "$GPGGA,043539.00,4333.190206,N,00127.618380,E,1,05,1.3,250.8,M,50.0,M,,*62",
    latitudeDeg: 43.5531701,
    longitudeDeg: 1.460306333,
    satellites: 5,
  },
  {
    source: "telit-he910.log (no fix: empty fields)",
    sentence: "$GPGGA,,,,,,0,,,,M,,M,,*66",
    timeOfDayMs: NaN,
    latitudeDeg: NaN,
    longitudeDeg: NaN,
    quality: 0,
    satellites: -1,
    hdop: NaN,
    altitudeM: NaN,
  },
  {
    source: "firefly-II.log (empty quality field; checksum fixed here, the log's is wrong)",
    sentence: withChecksum("GPGGA,005947.00,3715.6616,N,12157.6709,W,,11,0.8,86.0,M,-30.1,M,,"),
    quality: -1,
    satellites: 11,
  },
  {
    source: "sl869.log (altitude with a leading zero)",
    sentence: "$GPGGA,102136.000,3340.8472,S,15117.3205,E,0,02,99.0,064.19,M,22.4,M,,*41",
    quality: 0,
    satellites: 2,
    hdop: 99,
    altitudeM: 64.19,
  },
];

function expectClose(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) expect(actual, what).to.be.NaN;
  else expect(actual, what).to.be.closeTo(expected, 1e-9);
}

describe("gnss/NmeaParser", () => {
  describe("RMC from real receivers", () => {
    for (const c of RMC_CASES) {
      it(c.source, () => {
        const { type, parser } = parse(c.sentence);
        expect(type).to.equal(SentenceType.Rmc);
        expect(counters(parser)).to.deep.equal({ ...NONE, rmcSentences: 1 });
        const r = parser.rmc;
        for (const key of ["timeOfDayMs", "latitudeDeg", "longitudeDeg", "speedKmh", "courseDeg", "magneticVariationDeg"] as const) {
          if (c[key] !== undefined) expectClose(r[key], c[key], key);
        }
        for (const key of ["status", "mode", "navStatus"] as const) if (c[key] !== undefined) expect(r[key], key).to.equal(c[key]);
        if (c.date === null) expect(r.dateMs).to.be.NaN;
        else if (c.date !== undefined) expect(new Date(r.dateMs).toISOString()).to.equal(`${c.date}T00:00:00.000Z`);
      });
    }
  });

  describe("GGA from real receivers", () => {
    for (const c of GGA_CASES) {
      it(c.source, () => {
        const { type, parser } = parse(c.sentence);
        expect(type).to.equal(SentenceType.Gga);
        expect(counters(parser)).to.deep.equal({ ...NONE, ggaSentences: 1 });
        const g = parser.gga;
        for (const key of ["timeOfDayMs", "latitudeDeg", "longitudeDeg", "hdop", "altitudeM"] as const) {
          if (c[key] !== undefined) expectClose(g[key], c[key], key);
        }
        for (const key of ["quality", "satellites"] as const) if (c[key] !== undefined) expect(g[key], key).to.equal(c[key]);
      });
    }
  });

  describe("talkers", () => {
    for (const talker of ["GP", "GN", "GL", "GA", "GB", "BD", "GQ", "QZ", "GI"]) {
      it(`accepts ${talker}RMC and ${talker}GGA`, () => {
        const parser = new NmeaParser();
        expect(parse(withChecksum(`${talker}RMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V`), parser).type).to.equal(SentenceType.Rmc);
        expect(parse(withChecksum(`${talker}GGA,223745.00,3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000`), parser).type).to.equal(SentenceType.Gga);
      });
    }
    it("treats proprietary, AIS, lower-case and odd addresses as other sentences", () => {
      const parser = new NmeaParser();
      for (const s of [
        withChecksum("PQRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V"), // 'P' = proprietary
        withChecksum("gpRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V"),
        withChecksum("GPRMCX,223745.00,A"),
        "$PMTK001,604,3*32", // quectel-L70.log style ack
        "!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26",
        "$GNGST,223745.00,228650,2.5,2.4,126,0.98,1.0,3.1*41", // ublox-neo-m9n-nmea.log: a type the parser skips
      ]) {
        expect(parse(s, parser).type, s).to.equal(SentenceType.Other);
      }
      expect(counters(parser)).to.deep.equal({ ...NONE, otherSentences: 6 });
    });
  });

  describe("checksums", () => {
    const RMC = "$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E";
    const GGA = "$GNGGA,012238.00,3454.4922,S,13835.7617,E,2,12,99.0,53.3,M,-3.5,M,,*7B"; // jl-micro-jlt.log
    const cases: Array<{ name: string; sentence: string; type: SentenceType; counter: keyof typeof NONE }> = [
      { name: "lower-case hex is accepted", sentence: GGA.replace("*7B", "*7b"), type: SentenceType.Gga, counter: "ggaSentences" },
      { name: "a wrong checksum is rejected", sentence: RMC.replace("*0E", "*0F"), type: SentenceType.Invalid, counter: "checksumErrors" },
      { name: "one flipped data byte is rejected", sentence: RMC.replace("3806.62964", "3806.62965"), type: SentenceType.Invalid, counter: "checksumErrors" },
      { name: "a one-digit checksum is rejected", sentence: RMC.slice(0, -1), type: SentenceType.Invalid, counter: "checksumErrors" },
      { name: "non-hex checksum digits are rejected", sentence: RMC.replace("*0E", "*0G"), type: SentenceType.Invalid, counter: "checksumErrors" },
      { name: "bytes after the checksum are rejected", sentence: `${RMC} `, type: SentenceType.Invalid, counter: "checksumErrors" },
      { name: "RMC without checksum is rejected", sentence: RMC.slice(0, -3), type: SentenceType.Invalid, counter: "missingChecksum" },
      { name: "GGA without checksum is rejected", sentence: GGA.slice(0, -3), type: SentenceType.Invalid, counter: "missingChecksum" },
      // sl869.log sends TXT without a checksum
      { name: "TXT without checksum is only counted", sentence: "$GPTXT,01,01,02,ANTSTATUS=OPEN", type: SentenceType.Txt, counter: "txtSentences" },
      { name: "other types without checksum are only counted", sentence: "$GNGST,223745.00,228650,2.5,2.4,126,0.98,1.0,3.1", type: SentenceType.Other, counter: "otherSentences" },
      {
        // firefly-II.log: every GGA there has a wrong checksum (gpsd rejects them too)
        name: "firefly-II GGA with its real wrong checksum",
        sentence: "$GPGGA,005947.00,3715.6616,N,12157.6709,W,,11,0.8,86.0,M,-30.1,M,,*54",
        type: SentenceType.Invalid,
        counter: "checksumErrors",
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const { type, parser } = parse(c.sentence);
        expect(type).to.equal(c.type);
        expect(counters(parser)).to.deep.equal({ ...NONE, [c.counter]: 1 });
      });
    }
  });

  describe("malformed input is counted, never thrown", () => {
    const rmc = (fields: string) => withChecksum(`GPRMC,${fields}`);
    const gga = (fields: string) => withChecksum(`GPGGA,${fields}`);
    const malformed = [
      { name: "truncated RMC (checksum recomputed)", sentence: rmc("223745.00,A,3806.62964,N") },
      { name: "truncated GGA (checksum recomputed)", sentence: gga("223745.00,3806.62964,N,12237.61382,W,1") },
      { name: "unknown hemisphere", sentence: rmc("223745.00,A,3806.62964,X,12237.61382,W,0.0,,110720,,") },
      { name: "missing hemisphere", sentence: rmc("223745.00,A,3806.62964,,12237.61382,W,0.0,,110720,,") },
      { name: "letters in a coordinate", sentence: rmc("223745.00,A,38O6.62964,N,12237.61382,W,0.0,,110720,,") },
      { name: "two dots in a coordinate", sentence: rmc("223745.00,A,3806.629.64,N,12237.61382,W,0.0,,110720,,") },
      { name: "negative coordinate", sentence: rmc("223745.00,A,-3806.62964,N,12237.61382,W,0.0,,110720,,") },
      { name: "short time", sentence: rmc("22374,A,3806.62964,N,12237.61382,W,0.0,,110720,,") },
      { name: "hour 24", sentence: rmc("243745.00,A,3806.62964,N,12237.61382,W,0.0,,110720,,") },
      { name: "status X", sentence: rmc("223745.00,X,3806.62964,N,12237.61382,W,0.0,,110720,,") },
      { name: "status AV", sentence: rmc("223745.00,AV,3806.62964,N,12237.61382,W,0.0,,110720,,") },
      { name: "GGA quality 9", sentence: gga("223745.00,3806.62964,N,12237.61382,W,9,12,0.54,83.1,M,-29.5,M,,") },
      { name: "GGA quality 12", sentence: gga("223745.00,3806.62964,N,12237.61382,W,12,12,0.54,83.1,M,-29.5,M,,") },
      { name: "no address", sentence: "$*00" },
      { name: "no '$'", sentence: "GPRMC,,V,,,,,,,,,,N*53" },
    ];
    for (const c of malformed) {
      it(c.name, () => {
        const { type, parser } = parse(c.sentence);
        expect(type).to.equal(SentenceType.Invalid);
        expect(parser.malformed).to.equal(1);
      });
    }

    for (const c of [
      { name: "minutes ≥ 60 (MTK no-fix placeholder, mtk-3301.log)", sentence: "$GPRMC,235946.005,V,8960.000000,N,00000.000000,E,0.000,0.00,050180,,,N*47", lat: NaN, lon: 0 },
      { name: "latitude > 90", sentence: rmc("223745.00,A,9000.00001,N,12237.61382,W,0.0,,110720,,"), lat: NaN, lon: -(122 + 37.61382 / 60) },
      { name: "longitude > 180", sentence: rmc("223745.00,A,9000.0,S,18000.1,W,0.0,,110720,,"), lat: -90, lon: NaN },
    ]) {
      it(`out-of-range coordinate becomes unknown, the sentence is kept: ${c.name}`, () => {
        const { type, parser } = parse(c.sentence);
        expect(type).to.equal(SentenceType.Rmc);
        expectClose(parser.rmc.latitudeDeg, c.lat, "latitudeDeg");
        expectClose(parser.rmc.longitudeDeg, c.lon, "longitudeDeg");
        expect(counters(parser)).to.deep.equal({ ...NONE, rmcSentences: 1, badCoordinates: 1 });
      });
    }

    it("bad auxiliary fields become unknown and keep the sentence", () => {
      const { type, parser } = parse(rmc("223745.00,A,3806.62964,N,12237.61382,W,1.2.3,x,2208-1,,,A"));
      expect(type).to.equal(SentenceType.Rmc);
      expect(parser.rmc.speedKmh).to.be.NaN;
      expect(parser.rmc.courseDeg).to.be.NaN;
      expect(parser.rmc.dateMs).to.be.NaN;
      expect(parser.badDates).to.equal(1); // telit-he910.log sends dates like "2208-1"
    });

    it("validates calendar dates (leap years, month lengths)", () => {
      const date = (ddmmyy: string) => {
        const p = parse(rmc(`000000.00,A,3806.62964,N,12237.61382,W,0.0,0.0,${ddmmyy},,`)).parser;
        return Number.isNaN(p.rmc.dateMs) ? null : new Date(p.rmc.dateMs).toISOString().slice(0, 10);
      };
      expect(date("290224")).to.equal("2024-02-29");
      expect(date("290223")).to.equal(null);
      expect(date("310424")).to.equal(null);
      expect(date("311299")).to.equal("1999-12-31"); // gpsd's pivot: yy >= 69 → 19yy (rollover repair: GnssReceiver)
      expect(date("311268")).to.equal("2068-12-31");
      expect(date("010100")).to.equal("2000-01-01");
      expect(date("000124")).to.equal(null);
      expect(date("011324")).to.equal(null);
      expect(date("0101245")).to.equal(null);
    });

    it("keeps only milliseconds of long fractions and accepts a leap second", () => {
      const p = parse(gga("235960.123456,3806.62964,N,12237.61382,W,1,12,0.54,83.1,M,-29.5,M,,")).parser;
      expect(p.gga.timeOfDayMs).to.equal(86_400_123);
    });

    it("the parser reads only text[start, end) and rejects tiny or garbage-tailed lines", () => {
      const parser = new NmeaParser();
      const line = "xx$GNGGA,012238.00,3454.4922,S,13835.7617,E,2,12,99.0,53.3,M,-3.5,M,,*7Bgarbage";
      const bytes = ascii(line);
      const words = new Uint32Array(Math.ceil(bytes.length / 4) + 1);
      new Uint8Array(words.buffer).set(bytes);
      const aligned = new Uint8Array(words.buffer);
      expect(parser.parse(line, 2, line.length - 7, aligned, words)).to.equal(SentenceType.Gga);
      expect(parser.parseLine(line.slice(2))).to.equal(SentenceType.Invalid);
      expect(parser.parseLine("")).to.equal(SentenceType.Invalid);
      expect(parser.parseLine("$GP")).to.equal(SentenceType.Invalid);
    });
  });

  it("reuses its records: parsing allocates no new record objects", () => {
    const parser = new NmeaParser();
    const rmc = parser.rmc;
    const gga = parser.gga;
    parse("$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E", parser);
    parse("$GNGGA,223745.00,3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000*44", parser);
    expect(parser.rmc).to.equal(rmc);
    expect(parser.gga).to.equal(gga);
  });
});

/**
 * Table-driven tests for GSA, GSV, VTG, GLL, ZDA, GNS and TXT (real sentences quoted from the gpsd
 * corpus, file named beside each), the GPS week-rollover repair (april6_2019.log style dates) and
 * per-constellation satellite counts through the whole receiver in every chunking.
 */
import { expect } from "chai";
import { GnssSystem, NmeaParser, SentenceType } from "../../src/gnss/nmea-parser.ts";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import { FixMode, type Fix } from "../../src/gnss/fix.ts";
import { FakeClock, RecordingLogger, ascii, forEveryChunking, withChecksum } from "./helpers.ts";

interface Case {
  source: string;
  sentence: string;
  type: SentenceType;
  check: (p: NmeaParser) => void;
}

const CASES: Case[] = [
  {
    source: "ublox-zed-f9p-nmea.log (NMEA 4.11 GSA with system ID 1 = GPS)",
    sentence: "$GNGSA,A,3,13,16,21,15,10,29,27,20,,,,,1.05,0.64,0.83,1*03",
    type: SentenceType.Gsa,
    check: (p) => expect({ ...p.gsa }).to.deep.equal({ system: GnssSystem.Gps, fixType: 3, satellitesUsed: 8, pdop: 1.05, hdop: 0.64, vdop: 0.83 }),
  },
  {
    source: "ublox-zed-f9p-nmea.log (GSA system ID 2 = GLONASS)",
    sentence: "$GNGSA,A,3,82,66,81,,,,,,,,,,1.05,0.64,0.83,2*0C",
    type: SentenceType.Gsa,
    check: (p) => expect({ ...p.gsa }).to.include({ system: GnssSystem.Glonass, satellitesUsed: 3 }),
  },
  {
    source: "neo-m8n.log (NMEA 4.0 GN GSA without system ID: system from the satellite IDs)",
    sentence: "$GNGSA,A,3,01,11,31,14,22,32,04,25,03,,,,1.56,0.91,1.27*15",
    type: SentenceType.Gsa,
    check: (p) => expect({ ...p.gsa }).to.deep.equal({ system: GnssSystem.Gps, fixType: 3, satellitesUsed: 9, pdop: 1.56, hdop: 0.91, vdop: 1.27 }),
  },
  {
    source: "ublox-zed-f9p-nmea.log (GSV with signal ID)",
    sentence: "$GPGSV,3,1,12,05,06,110,19,10,24,284,34,13,37,124,29,15,63,083,11,1*60",
    type: SentenceType.Gsv,
    check: (p) => expect({ ...p.gsv }).to.deep.equal({ system: GnssSystem.Gps, messageCount: 3, messageNumber: 1, satellitesInView: 12, signalId: 1 }),
  },
  {
    source: "ublox-zed-f9p-nmea.log (GLONASS GSV, empty cno fields)",
    sentence: "$GLGSV,3,1,10,65,53,144,,66,58,305,32,67,06,313,,72,09,137,,1*7A",
    type: SentenceType.Gsv,
    check: (p) => expect({ ...p.gsv }).to.include({ system: GnssSystem.Glonass, satellitesInView: 10, signalId: 1 }),
  },
  {
    source: "beidou-bd.log (BD talker, no signal ID)",
    sentence: "$BDGSV,2,1,07,01,00,000,45,02,01,090,35,03,00,000,38,04,00,000,42*6A",
    type: SentenceType.Gsv,
    check: (p) => expect({ ...p.gsv }).to.include({ system: GnssSystem.Beidou, satellitesInView: 7, signalId: -1 }),
  },
  {
    source: "beidou-gb.log (GB talker, 3-digit IDs, empty last cno)",
    sentence: "$GBGSV,2,1,05,201,00,000,44,202,14,089,35,204,00,000,42,205,27,091,*66",
    type: SentenceType.Gsv,
    check: (p) => expect({ ...p.gsv }).to.include({ system: GnssSystem.Beidou, satellitesInView: 5, signalId: -1 }),
  },
  {
    source: "ublox-zed-f9p-nmea.log (VTG with empty course: unknown, not 0)",
    sentence: "$GNVTG,,T,,M,0.025,N,0.045,K,A*3B",
    type: SentenceType.Vtg,
    check: (p) => {
      expect(p.vtg.courseDeg).to.be.NaN;
      expect(p.vtg.speedKmh).to.equal(0.045);
      expect(p.vtg.mode).to.equal(0x41);
    },
  },
  {
    source: "ublox-zed-f9p-nmea.log (GLL)",
    sentence: "$GNGLL,4552.65403,S,17030.00668,E,003956.00,A,A*6C",
    type: SentenceType.Gll,
    check: (p) => {
      expect(p.gll.latitudeDeg).to.be.closeTo(-(45 + 52.65403 / 60), 1e-12);
      expect(p.gll.longitudeDeg).to.be.closeTo(170 + 30.00668 / 60, 1e-12);
      expect(p.gll.timeOfDayMs).to.equal((39 * 60 + 56) * 1000);
      expect(p.gll.status).to.equal(0x41);
    },
  },
  {
    source: "ublox-zed-f9p-nmea.log (ZDA, 4-digit year)",
    sentence: "$GNZDA,003956.00,12,04,2019,00,00*7C",
    type: SentenceType.Zda,
    check: (p) => {
      expect(new Date(p.zda.dateMs + p.zda.timeOfDayMs).toISOString()).to.equal("2019-04-12T00:39:56.000Z");
    },
  },
  {
    source: "furuno_gl_ga.log (GNS, mode string NDD: differential)",
    sentence: "$GNGNS,120213.000,5957.0062,N,01100.6429,E,NDD,11,1.3,168.9,39.5,,,V*57",
    type: SentenceType.Gns,
    check: (p) => {
      expect(p.gns.mode).to.equal(0x44);
      expect(p.gns.satellites).to.equal(11);
      expect(p.gns.altitudeM).to.equal(168.9);
      expect(p.gns.geoidSeparationM).to.equal(39.5);
      expect(p.gns.latitudeDeg).to.be.closeTo(59 + 57.0062 / 60, 1e-12);
    },
  },
  {
    source: "beidou-bd.log (GNS without fix: every number unknown)",
    sentence: "$GNGNS,074150.799,,,,,NNNN,00,,,0.0,,0000*63",
    type: SentenceType.Gns,
    check: (p) => {
      expect(p.gns.mode).to.equal(0x4e);
      expect(p.gns.latitudeDeg).to.be.NaN;
      expect(p.gns.hdop).to.be.NaN;
      expect(p.gns.altitudeM).to.be.NaN;
    },
  },
  {
    source: "nl2008u.log (TXT)",
    sentence: "$GNTXT,01,01,02,u-blox AG - www.u-blox.com*4E",
    type: SentenceType.Txt,
    check: (p) => expect(p.txtSentences).to.equal(1),
  },
];

describe("gnss/sentences: GSA GSV VTG GLL ZDA GNS TXT", () => {
  for (const c of CASES) {
    it(c.source, () => {
      const parser = new NmeaParser();
      expect(parser.parseLine(c.sentence)).to.equal(c.type);
      c.check(parser);
      expect(parser.checksumErrors + parser.malformed).to.equal(0);
    });
  }
  it("proprietary and AIS lines are skipped cleanly", () => {
    const parser = new NmeaParser();
    expect(parser.parseLine("$PMTK001,604,3*32")).to.equal(SentenceType.Other);
    expect(parser.parseLine("!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26")).to.equal(SentenceType.Other);
    expect(parser.otherSentences).to.equal(2);
  });
});

/** Run a stream through the receiver in every chunking; returns the fixes (must be identical). */
function fixes(lines: string[], buildDateMs = 0): Fix[] {
  return forEveryChunking(ascii(lines.map((l) => `${l}\r\n`).join("")), (feedAll) => {
    const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger(), { buildDateMs });
    const out: Fix[] = [];
    receiver.onFix = (f) => out.push(f);
    feedAll((chunk) => receiver.feed(chunk));
    receiver.flush();
    return out;
  });
}

describe("gnss/GnssReceiver: week rollover, per-constellation counts, fix mode", () => {
  // april6_2019.log (# Date: 2019-3-14): a GPS-320FW reports 1999-08-22 after the 2019-04-07 rollover
  const RMC_1999 = "$GPRMC,000231.42,A,4829.0005,N,00022.0016,E,0.16,212.28,220899,,,A*59";
  it("april6_2019.log: 1999-08-22 becomes 2019-04-07 with a 2019-03-14 build date", () => {
    const [fix] = fixes([RMC_1999], Date.UTC(2019, 2, 14));
    expect(new Date(fix.utcMs).toISOString()).to.equal("2019-04-07T00:02:31.420Z");
    expect(fix.weekRolloverRepaired).to.equal(true);
  });
  it("without a build date the receiver's date is kept (as gpsd does)", () => {
    const [fix] = fixes([RMC_1999]);
    expect(new Date(fix.utcMs).toISOString()).to.equal("1999-08-22T00:02:31.420Z");
    expect(fix.weekRolloverRepaired).to.equal(false);
  });
  it("adds 1024 weeks as many times as needed and leaves current dates alone", () => {
    const [old] = fixes([RMC_1999], Date.UTC(2025, 0, 1));
    expect(new Date(old.utcMs).toISOString()).to.equal("2038-11-21T00:02:31.420Z");
    const [now] = fixes([withChecksum("GNRMC,120000.00,A,4829.0005,N,00022.0016,E,0.16,212.28,010625,,,A,V")], Date.UTC(2025, 0, 1));
    expect(new Date(now.utcMs).toISOString()).to.equal("2025-06-01T12:00:00.000Z");
    expect(now.weekRolloverRepaired).to.equal(false);
  });

  it("counts satellites used and in view per constellation (ublox-zed-f9p-nmea.log style epoch)", () => {
    const epoch = (t: string) => [
      withChecksum(`GNRMC,${t},A,4552.65403,S,17030.00668,E,0.025,,120419,,,A,V`),
      "$GNVTG,,T,,M,0.025,N,0.045,K,A*3B",
      withChecksum(`GNGGA,${t},4552.65403,S,17030.00668,E,1,11,0.64,12.0,M,5.0,M,,`),
      "$GNGSA,A,3,13,16,21,15,10,29,27,20,,,,,1.05,0.64,0.83,1*03",
      "$GNGSA,A,3,82,66,81,,,,,,,,,,1.05,0.64,0.83,2*0C",
      "$GPGSV,3,1,12,05,06,110,19,10,24,284,34,13,37,124,29,15,63,083,11,1*60",
      "$GLGSV,3,1,10,65,53,144,,66,58,305,32,67,06,313,,72,09,137,,1*7A",
      "$GBGSV,2,1,05,201,00,000,44,202,14,089,35,204,00,000,42,205,27,091,*66",
    ];
    const out = fixes([...epoch("003955.00"), ...epoch("003956.00"), ...epoch("003957.00")]);
    expect(out).to.have.length(3);
    const f = out[2];
    expect(f.satellitesUsed).to.equal(11);
    expect(f.satellitesUsedBySystem).to.deep.equal({ gps: 8, glonass: 3, galileo: -1, beidou: -1, qzss: -1, navic: -1 });
    expect(f.satellitesInViewBySystem).to.deep.equal({ gps: 12, glonass: 10, galileo: -1, beidou: 5, qzss: -1, navic: -1 });
    expect(f.satellitesInView).to.equal(27);
    expect(f.fixMode).to.equal(FixMode.Fix3D);
    expect(f.pdop).to.equal(1.05);
    expect(f.vdop).to.equal(0.83);
    expect(f.accuracyM).to.equal(0.64 * 5);
    expect(f.courseDeg).to.be.NaN; // empty course: unknown, never 0
    expect(f.geoidSeparationM).to.equal(5);
  });

  it("fix loss: no-fix epochs publish valid=false with fixMode NoFix, unknown numbers", () => {
    const out = fixes([
      withChecksum("GNRMC,120000.00,A,4829.0005,N,00022.0016,E,10.0,90.0,010625,,,A,V"),
      withChecksum("GNGGA,120000.00,4829.0005,N,00022.0016,E,1,08,1.0,50.0,M,,M,,"),
      withChecksum("GNRMC,120001.00,V,,,,,,,010625,,,N,V"),
      withChecksum("GNGGA,120001.00,,,,,0,00,,,M,,M,,"),
    ]);
    expect(out.map((f) => [f.valid, f.fixMode])).to.deep.equal([[true, FixMode.Fix3D], [false, FixMode.NoFix]]);
    expect(out[1].speedKmh).to.be.NaN;
    expect(out[1].hdop).to.be.NaN;
    expect(out[1].accuracyM).to.be.NaN;
    expect(out[1].utcMs).to.equal(Date.UTC(2025, 5, 1, 12, 0, 1));
  });

  it("GNS stands in for GGA; GLL alone gives a position; ZDA gives the date", () => {
    const out = fixes([
      "$GNGNS,120213.000,5957.0062,N,01100.6429,E,NDD,11,1.3,168.9,39.5,,,V*57",
      "$GNZDA,003956.00,12,04,2019,00,00*7C",
      "$GNGLL,4552.65403,S,17030.00668,E,003956.00,A,A*6C",
    ]);
    expect(out).to.have.length(2);
    expect(out[0]).to.include({ valid: true, altitudeM: 168.9, satellitesUsed: 11, fixMode: FixMode.Fix3D });
    expect(out[1].valid).to.equal(true);
    expect(new Date(out[1].utcMs).toISOString()).to.equal("2019-04-12T00:39:56.000Z");
  });
});

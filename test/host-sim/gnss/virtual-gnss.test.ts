import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VirtualClock } from "../../../host-sim/clock.ts";
import { type ChunkPolicy, UartWire } from "../../../host-sim/uart.ts";
import { type DrivePlan, defaultDrive, driveDurationMs, driveSegments, truthAt } from "../../../host-sim/gnss/drive.ts";
import { type GnssSource, type VirtualGnssOptions, VirtualGnss, loadNmeaFile, parseNmeaLog } from "../../../host-sim/gnss/virtual-gnss.ts";
import { type CheckedSentence, checkSentence, decodeCoord, expectedFieldCount, splitCrLf } from "./nmea-check.ts";

/** gpsd NMEA captures in the shared corpus beside the project (../shared/corpus/gpsd); never copied into the repo. */
const CORPUS_DIR = fileURLToPath(new URL("../../../../shared/corpus/gpsd/", import.meta.url));

interface Rx {
  clock: VirtualClock;
  gnss: VirtualGnss;
  chunks: { atMs: number; bytes: Uint8Array }[];
  bytes(): Uint8Array;
}

function rig(source: GnssSource, options: VirtualGnssOptions = {}, baud = 9600, chunk: ChunkPolicy = 64): Rx {
  const clock = new VirtualClock();
  const chunks: Rx["chunks"] = [];
  const wire = new UartWire(clock, { baud, chunk }, (bytes) => {
    chunks.push({ atMs: clock.nowMs, bytes });
  });
  const gnss = new VirtualGnss(clock, wire, source, options);
  return { clock, gnss, chunks, bytes: () => Buffer.concat(chunks.map((c) => c.bytes)) };
}

function parse(line: string): CheckedSentence {
  const s = checkSentence(line);
  if (typeof s === "string") throw new Error(s);
  expect(s.fields.length, `field count of ${line}`).to.equal(expectedFieldCount(s));
  return s;
}

/** Group received sentences into epochs: each generated epoch starts with RMC. */
function epochs(lines: string[]): CheckedSentence[][] {
  const out: CheckedSentence[][] = [];
  for (const line of lines) {
    const s = parse(line);
    if (s.type === "RMC" || out.length === 0) out.push([]);
    out[out.length - 1]!.push(s);
  }
  return out;
}

const find = (epoch: CheckedSentence[], type: string) => epoch.find((s) => s.type === type)!;

describe("gnss/virtual-gnss (drive source)", () => {
  it("delivers one epoch per second at 9600 baud, well under the line capacity", async () => {
    const rx = rig(defaultDrive());
    rx.gnss.start();
    await rx.clock.runUntil(59_999);
    expect(rx.gnss.epochsSent).to.equal(60);
    rx.gnss.stop();
    await rx.clock.runUntil(61_000); // let the last epoch drain
    const perSecond = new Map<number, number>();
    for (const c of rx.chunks) perSecond.set(Math.floor(c.atMs / 1000), (perSecond.get(Math.floor(c.atMs / 1000)) ?? 0) + c.bytes.length);
    expect(perSecond.size).to.equal(60);
    for (const [second, count] of perSecond) expect(count, `bytes in second ${second}`).to.be.below(960 * 0.8);
    const { lines, tail } = splitCrLf(rx.bytes());
    expect(tail).to.equal("");
    const eps = epochs(lines);
    expect(eps.length).to.equal(60);
    for (const e of eps) expect(e.length).to.be.within(7, 13);
    // Once there is a fix an epoch is RMC, VTG, GGA, GSA x2, GSV groups, ~500-700 bytes.
    for (const e of eps.slice(10)) {
      expect(e.map((s) => s.type).slice(0, 5)).to.deep.equal(["RMC", "VTG", "GGA", "GSA", "GSA"]);
      const bytes = e.reduce((n, s) => n + 1 + 5 + 1 + s.fields.join(",").length + 3 + 2, 0);
      expect(bytes).to.be.within(500, 700);
    }
    expect(rx.gnss.bytesSent).to.equal(rx.bytes().length);
  });

  it("every sentence of the whole default drive is valid and matches the truth", async () => {
    const plan = defaultDrive();
    const rx = rig(plan);
    rx.gnss.start();
    const endS = Math.ceil(driveDurationMs(plan) / 1000) + 20;
    await rx.clock.runUntil(endS * 1000 - 1);
    await rx.clock.runFor(2000);
    rx.gnss.stop();
    const eps = epochs(splitCrLf(rx.bytes()).lines);
    expect(eps.length).to.equal(endS + 2);
    let stopped = 0;
    eps.forEach((e, i) => {
      const truth = truthAt(plan, i * 1000);
      const rmc = find(e, "RMC").fields;
      const gga = find(e, "GGA").fields;
      const vtg = find(e, "VTG").fields;
      if (!truth.hasFix) {
        expect(rmc[1], `epoch ${i} status`).to.equal("V");
        return;
      }
      expect(rmc[1], `epoch ${i} status`).to.equal("A");
      expect(rmc[11]).to.equal("A");
      expect(gga[5]).to.equal("1");
      expect(decodeCoord(rmc[2]!, rmc[3]!)).to.be.closeTo(truth.latDeg, 1e-6);
      expect(decodeCoord(rmc[4]!, rmc[5]!)).to.be.closeTo(truth.lonDeg, 1e-6);
      expect(decodeCoord(gga[1]!, gga[2]!)).to.be.closeTo(truth.latDeg, 1e-6);
      expect(Number(rmc[6]) * 1.852).to.be.closeTo(truth.speedKmh, 0.01);
      expect(Number(vtg[6])).to.be.closeTo(truth.speedKmh, 0.001);
      const hhmmss = new Date(truth.utcMs).toISOString().slice(11, 19).replaceAll(":", "");
      expect(rmc[0]).to.equal(`${hhmmss}.00`);
      if (truth.moving) {
        expect(Number(rmc[7])).to.be.closeTo(truth.courseDeg, 0.01);
      } else {
        expect(rmc[6]).to.equal("0.000");
        expect(vtg[6]).to.equal("0.000");
        stopped++;
      }
    });
    // Stops: 30 s parked (20 with a fix) + 45 s + 90 s + the parked tail.
    expect(stopped).to.be.at.least(20 + 45 + 90);
  });

  it("cold start: no time, then time without fix, then a fix at coldStartS", async () => {
    const rx = rig(defaultDrive());
    rx.gnss.start();
    await rx.clock.runUntil(15_999);
    await rx.clock.runFor(1000);
    const eps = epochs(splitCrLf(rx.bytes()).lines);
    expect(find(eps[0]!, "RMC").fields.slice(0, 9)).to.deep.equal(["", "V", "", "", "", "", "", "", ""]);
    expect(find(eps[0]!, "GGA").fields.slice(5, 9)).to.deep.equal(["0", "00", "", ""]);
    expect(find(eps[0]!, "GSV").fields[2]).to.equal("00");
    expect(find(eps[6]!, "RMC").fields[0]).to.match(/^\d{6}\.00$/);
    expect(find(eps[6]!, "RMC").fields[8]).to.equal("241126");
    for (let i = 0; i < 10; i++) {
      const e = eps[i]!;
      expect(find(e, "RMC").fields[1]).to.equal("V");
      expect(find(e, "RMC").fields[11]).to.equal("N");
      expect(find(e, "VTG").fields[8]).to.equal("N");
      expect(find(e, "GSA").fields[1]).to.equal("1");
    }
    for (let i = 10; i < 16; i++) {
      const e = eps[i]!;
      expect(find(e, "RMC").fields[1]).to.equal("A");
      expect(find(e, "GGA").fields[6]).to.equal("10");
      expect(find(e, "GSA").fields[1]).to.equal("3");
    }
  });

  it("options set satellites, HDOP and altitude", async () => {
    const rx = rig(defaultDrive(), { satellites: 7, hdop: 1.4, altitudeM: 123.4 });
    rx.gnss.start();
    await rx.clock.runUntil(12_500);
    const gga = find(epochs(splitCrLf(rx.bytes()).lines)[11]!, "GGA").fields;
    expect(gga.slice(6, 10)).to.deep.equal(["07", "1.40", "123.4", "M"]);
  });

  it("setSignalLost: status V and empty fields while lost, fix again after", async () => {
    const rx = rig(defaultDrive());
    rx.gnss.start();
    await rx.clock.runUntil(99_999);
    rx.gnss.setSignalLost(true);
    await rx.clock.runUntil(119_999);
    rx.gnss.setSignalLost(false);
    await rx.clock.runUntil(121_999);
    const eps = epochs(splitCrLf(rx.bytes()).lines);
    expect(find(eps[99]!, "RMC").fields[1]).to.equal("A");
    for (let i = 100; i < 120; i++) {
      const rmc = find(eps[i]!, "RMC").fields;
      expect(rmc[1]).to.equal("V");
      expect(rmc[0]).to.match(/^\d{6}\.00$/); // the receiver keeps its time
      expect(rmc.slice(2, 8).join("")).to.equal("");
      expect(find(eps[i]!, "GGA").fields[5]).to.equal("0");
    }
    expect(find(eps[120]!, "RMC").fields[1]).to.equal("A");
    expect(decodeCoord(find(eps[120]!, "RMC").fields[2]!, "N")).to.be.closeTo(truthAt(defaultDrive(), 120_000).latDeg, 1e-6);
  });

  it("truth() follows the clock from the first epoch; stop() and start() pause and resume", async () => {
    const plan = defaultDrive();
    const rx = rig(plan);
    await rx.clock.runUntil(2_300);
    rx.gnss.start(); // first epoch at 3000 ms = drive t 0
    await rx.clock.runUntil(50_500);
    expect(rx.gnss.truth()).to.deep.equal(truthAt(plan, 47_500));
    expect(rx.gnss.epochsSent).to.equal(48);
    rx.gnss.stop();
    expect(rx.gnss.running).to.equal(false);
    await rx.clock.runFor(10_000);
    expect(rx.gnss.epochsSent).to.equal(48);
    rx.gnss.start();
    await rx.clock.runUntil(61_000);
    expect(rx.gnss.epochsSent).to.equal(49);
    expect(rx.gnss.lastEpoch[0]).to.match(/^\$GNRMC,221558\.00,A,/);
  });

  it("the byte stream does not depend on the wire's chunking (1, 7, random)", async () => {
    const streams: string[] = [];
    for (const chunk of [1, 7, { random: 42 }, 64] as ChunkPolicy[]) {
      const rx = rig(defaultDrive(), { seed: 3 }, 9600, chunk);
      rx.gnss.start();
      await rx.clock.runUntil(20_000);
      streams.push(Buffer.from(rx.bytes()).toString("latin1"));
    }
    for (const s of streams) expect(s).to.equal(streams[0]);
  });

  it("a short custom plan parks at the end and keeps sending", async () => {
    const plan: DrivePlan = {
      startUtcMs: Date.UTC(2024, 11, 31, 23, 59, 50),
      start: { latDeg: -33.8688, lonDeg: 151.2093 },
      coldStartS: 2,
      legs: [{ kind: "drive", toLatDeg: -33.87, toLonDeg: 151.21, speedKmh: 20 }],
    };
    const endS = Math.ceil(driveSegments(plan)[0]!.endMs / 1000);
    const rx = rig(plan);
    rx.gnss.start();
    await rx.clock.runUntil((endS + 5) * 1000 + 900);
    const eps = epochs(splitCrLf(rx.bytes()).lines);
    const last = find(eps[eps.length - 1]!, "RMC").fields;
    expect(last[3]).to.equal("S");
    expect(last[5]).to.equal("E");
    expect(last[6]).to.equal("0.000");
    expect(decodeCoord(last[2]!, last[3]!)).to.be.closeTo(-33.87, 1e-6);
    // Crossed midnight into 2025: the date changes with the time.
    expect(find(eps[5]!, "RMC").fields.slice(0, 1)).to.deep.equal(["235955.00"]);
    expect(find(eps[12]!, "RMC").fields[8]).to.equal("010125");
  });
});

describe("gnss/virtual-gnss (NMEA file source)", () => {
  it("groups lines into epochs by the RMC/GGA hhmmss", () => {
    const rec = parseNmeaLog(
      [
        "# header comment",
        "$GPGSV,1,1,00*79",
        "$GPRMC,,V,,,,,,,,,,N*53", // no time: stays
        "$GPRMC,120000.00,V,,,,,,,,,,N*00",
        "$GPGGA,120000.50,,,,,0,00,,,,,,,*00", // same second
        "",
        "$GPTXT,01,01,02,hello*00",
        "$GPRMC,120001.00,V,,,,,,,,,,N*00\r",
        "$GPGSV,1,1,00*79",
        "$GNGGA,120002.00,,,,,0,00,,,,,,,*00",
      ].join("\n"),
    );
    expect(rec.lineCount).to.equal(8);
    expect(rec.epochs.map((e) => e.lines.length)).to.deep.equal([5, 2, 1]);
    expect(rec.epochs.map((e) => e.timeKey)).to.deep.equal(["120000", "120001", "120002"]);
    expect(rec.epochs[1]!.lines[0]).to.equal("$GPRMC,120001.00,V,,,,,,,,,,N*00");
  });

  it("plays a recording one epoch per second and loops when asked", async () => {
    const rec = parseNmeaLog("$GPRMC,000001.00,V,,,,,,,,,,N*00\n$GPRMC,000002.00,V,,,,,,,,,,N*00\n");
    const once = rig(rec, {}, 9600);
    once.gnss.start();
    await once.clock.runUntil(10_000);
    expect(once.gnss.epochsSent).to.equal(2);
    expect(once.gnss.running).to.equal(false);
    expect(once.gnss.truth()).to.equal(undefined);
    const looped = rig(rec, { loop: true }, 9600);
    looped.gnss.start();
    await looped.clock.runUntil(4_500);
    expect(looped.gnss.epochsSent).to.equal(5);
    expect(splitCrLf(looped.bytes()).lines.map((l) => l.slice(7, 13))).to.deep.equal(["000001", "000002", "000001", "000002", "000001"]);
  });

  it("reproduces every corpus log's sentences in order, one epoch per second", async function () {
    const logs = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".log")) : [];
    if (logs.length === 0) {
      console.log(`      skipped: no gpsd NMEA logs at ${CORPUS_DIR} (the shared corpus is not beside this clone)`);
      this.skip();
    }
    for (const name of logs) {
      const path = join(CORPUS_DIR, name);
      // Independent expectation: every non-comment, non-empty line, byte for byte, now CR LF terminated.
      const expected = readFileSync(path)
        .toString("latin1")
        .split("\n")
        .map((l) => l.replace(/\r$/, ""))
        .filter((l) => l !== "" && !l.startsWith("#"));
      const rec = loadNmeaFile(path);
      const writtenAtMs: number[] = [];
      const rx = rig(rec, { onEpoch: (_lines, clockMs) => writtenAtMs.push(clockMs) }, 115200, 64);
      rx.gnss.start();
      await rx.clock.runUntil(rec.epochs.length * 1000 + 60_000);
      expect(rx.gnss.epochsSent, name).to.equal(rec.epochs.length);
      expect(rx.gnss.running, name).to.equal(false);
      expect(writtenAtMs, name).to.deep.equal(rec.epochs.map((_e, i) => i * 1000));
      const got = Buffer.from(rx.bytes()).toString("latin1");
      expect(got, name).to.equal(expected.map((l) => l + "\r\n").join(""));
      // Within an epoch every timed RMC/GGA shares one hhmmss; consecutive epochs differ.
      let prev: string | undefined;
      for (const e of rec.epochs) {
        const keys = new Set(e.lines.map((l) => /^\$+[A-Z]{2}(?:RMC|GGA),(\d{6})/.exec(l)?.[1]).filter((k) => k !== undefined));
        expect(keys.size, `${name}: one time per epoch`).to.be.at.most(1);
        const key = [...keys][0];
        if (key !== undefined && prev !== undefined) expect(key, name).to.not.equal(prev);
        if (key !== undefined) prev = key;
      }
    }
  });
});

import { expect } from "chai";
import {
  type DrivePlan, bearingDeg, defaultDrive, distanceM, driveDurationMs, driveSegments, truthAt,
} from "../../../host-sim/gnss/drive.ts";

/** Haversine distance, metres: an independent check of the equirectangular helper. */
function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

const tiny: DrivePlan = {
  startUtcMs: Date.UTC(2024, 0, 1, 12, 0, 0),
  start: { latDeg: 10, lonDeg: 20 },
  coldStartS: 5,
  legs: [
    { kind: "stop", durationS: 10 },
    { kind: "drive", toLatDeg: 10.01, toLonDeg: 20, speedKmh: 36 }, // due north, ~1112 m at 10 m/s
    { kind: "stop", durationS: 20 },
    { kind: "drive", toLatDeg: 10.01, toLonDeg: 20.01, speedKmh: 72 }, // due east
  ],
};

describe("gnss/drive", () => {
  it("distance and bearing agree with haversine / compass directions", () => {
    const a = { latDeg: 37.3349, lonDeg: -121.8881 };
    const b = { latDeg: 37.3625, lonDeg: -121.905 };
    expect(distanceM(a, b)).to.be.closeTo(haversineM(a.latDeg, a.lonDeg, b.latDeg, b.lonDeg), 0.5);
    expect(bearingDeg({ latDeg: 0, lonDeg: 0 }, { latDeg: 1, lonDeg: 0 })).to.be.closeTo(0, 1e-9);
    expect(bearingDeg({ latDeg: 0, lonDeg: 0 }, { latDeg: 0, lonDeg: 1 })).to.be.closeTo(90, 1e-9);
    expect(bearingDeg({ latDeg: 0, lonDeg: 0 }, { latDeg: -1, lonDeg: 0 })).to.be.closeTo(180, 1e-9);
    expect(bearingDeg({ latDeg: 0, lonDeg: 0 }, { latDeg: 0, lonDeg: -1 })).to.be.closeTo(270, 1e-9);
  });

  it("places legs on the timeline at their speed", () => {
    const segs = driveSegments(tiny);
    expect(segs.map((s) => s.kind)).to.deep.equal(["stop", "drive", "stop", "drive"]);
    expect(segs[0]!.endMs).to.equal(10_000);
    const northM = haversineM(10, 20, 10.01, 20);
    expect(segs[1]!.endMs - segs[1]!.startMs).to.be.closeTo((northM / 10) * 1000, 50);
    expect(segs[2]!.endMs - segs[2]!.startMs).to.be.closeTo(20_000, 1e-6);
    expect(driveDurationMs(tiny)).to.equal(segs[3]!.endMs);
  });

  it("truthAt matches the endpoints of every leg", () => {
    for (const plan of [tiny, defaultDrive()]) {
      let prev = plan.start;
      for (const seg of driveSegments(plan)) {
        const atStart = truthAt(plan, seg.startMs);
        expect(atStart.latDeg).to.be.closeTo(prev.latDeg, 1e-9);
        expect(atStart.lonDeg).to.be.closeTo(prev.lonDeg, 1e-9);
        const leg = plan.legs[seg.legIndex]!;
        const end = leg.kind === "drive" ? { latDeg: leg.toLatDeg, lonDeg: leg.toLonDeg } : prev;
        const atEnd = truthAt(plan, seg.endMs - 1e-6);
        expect(atEnd.latDeg).to.be.closeTo(end.latDeg, 1e-7);
        expect(atEnd.lonDeg).to.be.closeTo(end.lonDeg, 1e-7);
        prev = end;
      }
    }
  });

  it("moves at the leg speed along the leg bearing, half-way at half time", () => {
    const seg = driveSegments(tiny)[1]!;
    const mid = truthAt(tiny, (seg.startMs + seg.endMs) / 2);
    expect(mid.latDeg).to.be.closeTo(10.005, 1e-9);
    expect(mid.speedKmh).to.equal(36);
    expect(mid.moving).to.equal(true);
    expect(mid.courseDeg).to.be.closeTo(0, 1e-9);
    const east = driveSegments(tiny)[3]!;
    expect(truthAt(tiny, east.startMs + 1).courseDeg).to.be.closeTo(90, 0.01);
  });

  it("stops give speed 0 and keep the last course; the vehicle stays parked after the route", () => {
    const segs = driveSegments(tiny);
    const stop = truthAt(tiny, segs[2]!.startMs + 5000);
    expect(stop.speedKmh).to.equal(0);
    expect(stop.moving).to.equal(false);
    expect(stop.courseDeg).to.be.closeTo(0, 1e-9);
    const after = truthAt(tiny, driveDurationMs(tiny) + 3_600_000);
    expect(after).to.include({ speedKmh: 0, moving: false, hasFix: true });
    expect(after.latDeg).to.equal(10.01);
    expect(after.lonDeg).to.equal(20.01);
    expect(after.courseDeg).to.be.closeTo(90, 0.01);
    expect(truthAt(tiny, -5000)).to.include({ latDeg: 10, lonDeg: 20, speedKmh: 0, hasFix: false });
  });

  it("has no fix during the cold start, then a fix; UTC follows startUtcMs", () => {
    expect(truthAt(tiny, 0).hasFix).to.equal(false);
    expect(truthAt(tiny, 4999).hasFix).to.equal(false);
    expect(truthAt(tiny, 5000).hasFix).to.equal(true);
    expect(truthAt(tiny, 5000).utcMs).to.equal(Date.UTC(2024, 0, 1, 12, 0, 5));
  });

  it("rejects a drive leg without speed and a negative stop", () => {
    const bad = (leg: DrivePlan["legs"][number]) => () => driveSegments({ ...tiny, legs: [leg] });
    expect(bad({ kind: "drive", toLatDeg: 1, toLonDeg: 1, speedKmh: 0 })).to.throw(RangeError);
    expect(bad({ kind: "stop", durationS: -1 })).to.throw(RangeError);
  });

  it("default drive: ~15 min around San Jose, starts and ends at 37.3349,-121.8881, 3 stops, 10 s cold start", () => {
    const plan = defaultDrive();
    expect(plan.start).to.deep.equal({ latDeg: 37.3349, lonDeg: -121.8881 });
    expect(plan.coldStartS).to.equal(10);
    const durationS = driveDurationMs(plan) / 1000;
    expect(durationS).to.be.within(13 * 60, 17 * 60);
    expect(plan.legs.filter((l) => l.kind === "stop").length).to.be.at.least(3);
    const end = truthAt(plan, driveDurationMs(plan) + 1);
    expect(haversineM(end.latDeg, end.lonDeg, 37.3349, -121.8881)).to.be.below(1);
    for (const l of plan.legs) if (l.kind === "drive") expect(l.speedKmh).to.be.within(20, 70);
    // The vehicle stays inside a few km of downtown San Jose.
    for (let t = 0; t <= driveDurationMs(plan); t += 10_000) {
      const s = truthAt(plan, t);
      expect(haversineM(s.latDeg, s.lonDeg, 37.3349, -121.8881)).to.be.below(6000);
    }
  });
});

/**
 * The drift guard against a parked receiver's realistic wander (host-sim receiver-errors: random
 * walk, HDOP jumps, multipath spikes) for 8 hours in open sky and in an urban canyon: no movement
 * declared; and a tow of 200 m at 5 km/h declared within 2 minutes, in both.
 */
import { expect } from "chai";
import { MovementGuard, ANCHOR_FIXES, SUSTAIN_MS } from "../../src/alerts/movement-guard.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import { OPEN_SKY, ReceiverErrors, URBAN_CANYON, type ReceiverErrorProfile } from "../../host-sim/gnss/receiver-errors.ts";
import { EARTH_RADIUS_M } from "../../host-sim/gnss/drive.ts";

const HOME = { lat: 37.334912, lon: -121.888107 };
function fixAt(lat: number, lon: number, hdop: number, speedKmh: number, atMs: number): Fix {
  return testFix({ latitudeDeg: lat, longitudeDeg: lon, hdop, speedKmh, courseDeg: NaN, receivedAtMs: atMs, utcMs: Date.UTC(2026, 10, 24, 22, 0, 0) + atMs });
}

/** The reported fix at `northM` of home (the truth) plus the receiver's error, at second `s`. */
function reported(errors: ReceiverErrors, truthNorthM: number, moving: boolean, speedKmh: number, s: number): Fix {
  const e = errors.next();
  const lat = HOME.lat + (((truthNorthM + e.northM) / EARTH_RADIUS_M) * 180) / Math.PI;
  const lon = HOME.lon + ((e.eastM / (EARTH_RADIUS_M * Math.cos((HOME.lat * Math.PI) / 180))) * 180) / Math.PI;
  return fixAt(lat, lon, e.hdop, moving ? speedKmh : e.parkedSpeedKmh, s * 1000);
}

const PROFILES: [string, ReceiverErrorProfile][] = [["open sky", OPEN_SKY], ["an urban canyon", URBAN_CANYON]];

describe("alerts/MovementGuard", () => {
  for (const [name, profile] of PROFILES) {
    for (const seed of [1, 2, 3]) {
      it(`8 hours parked in ${name} (seed ${seed}), at least 20 multipath spikes: no movement`, () => {
        const errors = new ReceiverErrors(profile, seed);
        const guard = new MovementGuard();
        guard.arm();
        let declared: unknown;
        for (let s = 0; s < 8 * 3600 && !declared; s++) declared = guard.onFix(reported(errors, 0, false, 0, s));
        expect(errors.spikes, "spikes in 8 h").to.be.at.least(20);
        expect(declared).to.equal(undefined);
      });

      it(`a tow of 200 m at 5 km/h in ${name} (seed ${seed}) is declared within 2 minutes of the start`, () => {
        const errors = new ReceiverErrors(profile, seed);
        const guard = new MovementGuard();
        guard.arm();
        const parkedS = 600;
        let declaredAtS: number | undefined;
        const towS = 200 / (5 / 3.6); // 144 s, then parked 200 m away
        for (let s = 0; s < parkedS + 600 && declaredAtS === undefined; s++) {
          const towing = s >= parkedS && s < parkedS + towS;
          const north = s >= parkedS ? Math.min(s - parkedS, towS) * (5 / 3.6) : 0;
          if (guard.onFix(reported(errors, north, towing, 5, s))) declaredAtS = s;
        }
        expect(declaredAtS, "declared").to.not.equal(undefined);
        expect(declaredAtS! - parkedS).to.be.at.most(120);
      });
    }
  }

  it("the anchor is the median of the first good fixes: one wild fix among them does not move it", () => {
    const guard = new MovementGuard();
    guard.arm();
    const north = (m: number) => HOME.lat + ((m / EARTH_RADIUS_M) * 180) / Math.PI;
    for (let s = 0; s < ANCHOR_FIXES; s++) guard.onFix(fixAt(s === 3 ? north(500) : HOME.lat, HOME.lon, 0.9, 0, s * 1000));
    for (let s = ANCHOR_FIXES; s < 200; s++) expect(guard.onFix(fixAt(HOME.lat, HOME.lon, 0.9, 0, s * 1000)), `s ${s}`).to.equal(undefined);
  });

  it("a departure is declared once, SUSTAIN_MS after good fixes first stay away; poor fixes and invalid ones are no evidence", () => {
    const guard = new MovementGuard();
    expect(guard.onFix(fixAt(HOME.lat, HOME.lon, 0.9, 0, 0))).to.equal(undefined); // not armed
    guard.arm();
    for (let s = 0; s < ANCHOR_FIXES; s++) guard.onFix(fixAt(HOME.lat, HOME.lon, 0.9, 0, s * 1000));
    const away = (m: number) => HOME.lat + ((m / EARTH_RADIUS_M) * 180) / Math.PI;
    const start = 100_000;
    expect(guard.onFix(fixAt(away(200), HOME.lon, 0.9, 20, start))).to.equal(undefined);
    expect(guard.onFix(fixAt(away(900), HOME.lon, 9, 20, start + 5_000))).to.equal(undefined); // HDOP 9: ignored
    expect(guard.onFix({ ...fixAt(away(300), HOME.lon, 0.9, 20, start + 6_000), valid: false })).to.equal(undefined);
    expect(guard.onFix(fixAt(HOME.lat, HOME.lon, 0.9, 0, start + 7_000))).to.equal(undefined); // one fix back inside: noise
    expect(guard.onFix(fixAt(away(300), HOME.lon, 0.9, 20, start + SUSTAIN_MS - 1))).to.equal(undefined);
    const moved = guard.onFix(fixAt(away(320), HOME.lon, 0.9, 20, start + SUSTAIN_MS));
    expect(moved?.distanceM).to.be.closeTo(320, 1);
    expect(guard.declared).to.equal(true);
    expect(guard.onFix(fixAt(away(400), HOME.lon, 0.9, 20, start + SUSTAIN_MS + 1000))).to.equal(undefined);
    guard.disarm();
    expect(guard.armed).to.equal(false);
  });
});

describe("alerts/MovementGuard: the rules one by one", () => {
  const north = (m: number) => HOME.lat + ((m / EARTH_RADIUS_M) * 180) / Math.PI;
  /** Feed `count` fixes at `northM`, 1 s apart from `fromS`; the first movement declared, if any. */
  function feed(guard: MovementGuard, northM: number, fromS: number, count: number, hdop = 0.9): unknown {
    let moved: unknown;
    for (let s = fromS; s < fromS + count; s++) moved ??= guard.onFix(fixAt(north(northM), HOME.lon, hdop, 0, s * 1000));
    return moved;
  }

  it("the anchor takes ANCHOR_FIXES fixes: fixes far away among the first ones are samples, not movement", () => {
    const guard = new MovementGuard();
    guard.arm();
    expect(feed(guard, 0, 0, 10)).to.equal(undefined);
    expect(feed(guard, 300, 10, 40)).to.equal(undefined); // 50 samples so far: no anchor yet
  });

  it("arming again starts a new anchor (the samples before are dropped)", () => {
    const guard = new MovementGuard();
    guard.arm();
    feed(guard, 0, 0, 30);
    guard.arm();
    expect(feed(guard, 400, 30, 200)).to.equal(undefined);
  });

  it("forget() re-anchors an armed guard and leaves a disarmed one disarmed", () => {
    const guard = new MovementGuard();
    guard.arm();
    feed(guard, 0, 0, ANCHOR_FIXES);
    guard.forget();
    expect(feed(guard, 400, 100, 200)).to.equal(undefined);
    guard.disarm();
    guard.forget();
    expect(guard.armed).to.equal(false);
  });

  it("invalid fixes, unknown coordinates and HDOP above 8 are neither samples nor evidence; HDOP 8 counts", () => {
    const guard = new MovementGuard();
    guard.arm();
    for (let s = 0; s < 100; s++) {
      expect(guard.onFix({ ...fixAt(north(300), HOME.lon, 0.9, 0, s * 1000), valid: false })).to.equal(undefined);
      expect(guard.onFix(fixAt(NaN, HOME.lon, 0.9, 0, s * 1000))).to.equal(undefined);
      expect(guard.onFix(fixAt(north(300), NaN, 0.9, 0, s * 1000))).to.equal(undefined);
      expect(guard.onFix(fixAt(north(300), HOME.lon, 8.1, 0, s * 1000))).to.equal(undefined);
      expect(guard.onFix(fixAt(north(300), HOME.lon, NaN, 0, s * 1000))).to.equal(undefined);
    }
    feed(guard, 0, 100, ANCHOR_FIXES); // the anchor is home: none of the above counted
    expect(feed(guard, 300, 200, 25, 8)).to.not.equal(undefined);
  });

  it("three good fixes back inside end a run: the next departure needs SUSTAIN_MS again; two do not", () => {
    const guard = new MovementGuard();
    guard.arm();
    feed(guard, 0, 0, ANCHOR_FIXES);
    expect(feed(guard, 300, 100, 10)).to.equal(undefined);
    expect(feed(guard, 0, 110, 3)).to.equal(undefined);
    expect(feed(guard, 300, 113, SUSTAIN_MS / 1000)).to.equal(undefined); // a new run: 20 fixes, 19 s
    const again = new MovementGuard();
    again.arm();
    feed(again, 0, 0, ANCHOR_FIXES);
    expect(feed(again, 300, 100, 10)).to.equal(undefined);
    expect(feed(again, 0, 110, 2)).to.equal(undefined);
    expect(feed(again, 300, 112, 10)).to.not.equal(undefined); // the same run: 22 s after it began
  });

  it("the anchor follows a slow creep (0.1 m/s for 2,000 s) and declares nothing", () => {
    const guard = new MovementGuard();
    guard.arm();
    feed(guard, 0, 0, ANCHOR_FIXES);
    let moved: unknown;
    for (let s = 0; s < 2000; s++) moved ??= guard.onFix(fixAt(north(0.1 * s), HOME.lon, 0.9, 0, (100 + s) * 1000));
    expect(moved).to.equal(undefined);
  });
});

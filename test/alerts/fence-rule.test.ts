/**
 * The geofence rule: no event for a vehicle parked anywhere in (or just out of) the fence, however its
 * receiver wanders; exactly one event per real crossing, DWELL_MS after the first fix that shows it.
 */
import { expect } from "chai";
import { DWELL_MS, FenceRule, MAX_HDOP, MIN_MARGIN_M, RUN_GAP_MS, type Fence, type FenceCrossing } from "../../src/alerts/fence-rule.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import { OPEN_SKY, ReceiverErrors, URBAN_CANYON } from "../../host-sim/gnss/receiver-errors.ts";
import { seededRandom } from "../modem/fakes.ts";

const HOME = { lat: 37.334912, lon: -121.888107 };
const EARTH_RADIUS_M = 6_371_008.8;
const FENCE: Fence = { latDeg: HOME.lat, lonDeg: HOME.lon, radiusM: 100 };

/** A fix `northM` / `eastM` from HOME at monotonic `atMs`, HDOP `hdop` (accuracy 5 m × HDOP). */
function fixAt(northM: number, eastM: number, atMs: number, hdop = 0.9): Fix {
  const lat = HOME.lat + ((northM / EARTH_RADIUS_M) * 180) / Math.PI;
  const lon = HOME.lon + ((eastM / (EARTH_RADIUS_M * Math.cos((HOME.lat * Math.PI) / 180))) * 180) / Math.PI;
  return testFix({ latitudeDeg: lat, longitudeDeg: lon, hdop, accuracyM: hdop * 5, receivedAtMs: atMs, speedKmh: 0 });
}

/** Seeded numbers (the project's seededRandom) with a range helper. */
class Seeded {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  between(low: number, high: number): number {
    return low + this.next() * (high - low);
  }
}

/**
 * A parked receiver, one epoch a second: a bounded random walk of 5 to 30 m around the truth (a point
 * on a slowly turning circle of 5-30 m radius, plus 2 m of jitter), HDOP 0.8 to 2, and a multipath
 * spike of 50 to 100 m for 1 to 8 s at HDOP 5 to 9 about every 5 minutes.
 */
class ParkedReceiver {
  readonly #random: Seeded;
  #angle = 0;
  #radiusM = 15;
  #spikeLeftS = 0;
  #spike = { northM: 0, eastM: 0, hdop: 0 };
  spikes = 0;
  constructor(seed: number) {
    this.#random = new Seeded(seed);
  }
  /** The error of the next epoch (metres north and east, HDOP). */
  next(): { northM: number; eastM: number; hdop: number } {
    const r = this.#random;
    this.#angle += r.between(-0.05, 0.05);
    this.#radiusM = Math.min(30, Math.max(5, this.#radiusM + r.between(-0.5, 0.5)));
    if (this.#spikeLeftS > 0) this.#spikeLeftS--;
    else if (r.next() < 1 / 300) {
      this.spikes++;
      this.#spikeLeftS = Math.round(r.between(1, 8));
      const bearing = r.between(0, 2 * Math.PI);
      const distance = r.between(50, 100);
      this.#spike = { northM: distance * Math.cos(bearing), eastM: distance * Math.sin(bearing), hdop: Math.round(r.between(5, 9) * 10) / 10 };
    }
    const northM = this.#radiusM * Math.cos(this.#angle) + r.between(-2, 2);
    const eastM = this.#radiusM * Math.sin(this.#angle) + r.between(-2, 2);
    if (this.#spikeLeftS > 0) return { northM: northM + this.#spike.northM, eastM: eastM + this.#spike.eastM, hdop: this.#spike.hdop };
    return { northM, eastM, hdop: Math.round(r.between(0.8, 2) * 10) / 10 };
  }
}

/** Feed fixes at `northM` one a second over [fromS, toS); every crossing with its second. */
function feed(rule: FenceRule, northM: number, fromS: number, toS: number, hdop = 0.9): { atS: number; event: FenceCrossing }[] {
  const events: { atS: number; event: FenceCrossing }[] = [];
  for (let s = fromS; s < toS; s++) {
    const event = rule.onFix(fixAt(northM, 0, s * 1000, hdop));
    if (event) events.push({ atS: s, event });
  }
  return events;
}

function watching(fence: Fence = FENCE): FenceRule {
  const rule = new FenceRule();
  rule.set(fence);
  return rule;
}

describe("alerts/FenceRule: a parked vehicle never raises an event", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    for (const [where, northM] of [["at the centre", 0], ["20 m inside the edge", 80], ["10 m inside the edge", 90], ["15 m outside the edge", 115]] as const) {
      it(`8 hours parked ${where} of a 100 m fence (seed ${seed}, at least 60 spikes of 50-100 m): settled, no event`, () => {
        const receiver = new ParkedReceiver(seed);
        const rule = watching();
        let events = 0;
        for (let s = 0; s < 8 * 3600; s++) {
          const e = receiver.next();
          if (rule.onFix(fixAt(northM + e.northM, e.eastM, s * 1000, e.hdop))) events++;
        }
        expect(receiver.spikes, "spikes").to.be.at.least(60);
        expect(events, "events").to.equal(0);
        if (northM === 0) expect(rule.state).to.equal("inside");
      });
    }
  }

  for (const [name, profile] of [["open sky", OPEN_SKY], ["an urban canyon", URBAN_CANYON]] as const) {
    for (const seed of [1, 2, 3]) {
      it(`8 hours parked 10 m inside the edge in ${name} (host-sim receiver errors, seed ${seed}): no event`, () => {
        const errors = new ReceiverErrors(profile, seed);
        const rule = watching();
        let events = 0;
        for (let s = 0; s < 8 * 3600; s++) {
          const e = errors.next();
          if (rule.onFix(fixAt(90 + e.northM, e.eastM, s * 1000, e.hdop))) events++;
        }
        expect(events).to.equal(0);
      });
    }
  }
});

describe("alerts/FenceRule: crossings", () => {
  it("driving out at 36 km/h: one exit, DWELL_MS after the first fix beyond radius + margin; driving back: one enter", () => {
    const rule = watching();
    expect(feed(rule, 0, 0, 40)).to.deep.equal([]);
    expect(rule.state).to.equal("inside");
    // 10 m/s north from second 40: 130 m (the first fix beyond 100 + 25) at second 53
    const events: { atS: number; event: FenceCrossing }[] = [];
    for (let s = 40; s < 200; s++) {
      const event = rule.onFix(fixAt((s - 40) * 10, 0, s * 1000));
      if (event) events.push({ atS: s, event });
    }
    expect(events.map((e) => [e.atS, e.event.kind])).to.deep.equal([[53 + DWELL_MS / 1000, "exit"]]);
    expect(events[0]!.event.distanceM).to.be.closeTo(430, 0.5);
    expect(events[0]!.event.fix.receivedAtMs).to.equal((53 + DWELL_MS / 1000) * 1000);
    expect(rule.state).to.equal("outside");
    // back south at 10 m/s from 1,590 m: below 75 m at second 352 (70 m)
    const back: { atS: number; kind: string }[] = [];
    for (let s = 200; s < 500; s++) {
      const event = rule.onFix(fixAt(Math.max(0, 1590 - (s - 200) * 10), 0, s * 1000));
      if (event) back.push({ atS: s, kind: event.kind });
    }
    expect(back).to.deep.equal([{ atS: 352 + DWELL_MS / 1000, kind: "enter" }]);
    expect(rule.state).to.equal("inside");
  });

  it("the first state settles silently (set where the vehicle already is outside); the crossing in is an enter", () => {
    const rule = watching();
    expect(rule.state).to.equal("unknown");
    expect(feed(rule, 500, 0, 31)).to.deep.equal([]);
    expect(rule.state).to.equal("outside");
    const events = feed(rule, 0, 31, 100);
    expect(events.map((e) => [e.atS, e.event.kind, Math.round(e.event.distanceM)])).to.deep.equal([[61, "enter", 0]]);
  });

  it("a new fence makes the state unknown and settles silently; so does a new rule (a reboot)", () => {
    const rule = watching();
    feed(rule, 0, 0, 40);
    rule.set({ latDeg: HOME.lat + 0.01, lonDeg: HOME.lon, radiusM: 200 }); // 1.1 km north
    expect(rule.state).to.equal("unknown");
    expect(feed(rule, 0, 40, 100)).to.deep.equal([]);
    expect(rule.state).to.equal("outside");
    const rebooted = watching();
    expect(feed(rebooted, 500, 0, 100)).to.deep.equal([]);
    expect(rebooted.state).to.equal("outside");
  });

  it("dwell: an evidence fix at DWELL_MS - 1 after the first does not confirm; the one at DWELL_MS does", () => {
    const rule = watching();
    feed(rule, 0, 0, 40);
    const t0 = 100_000;
    expect(rule.onFix(fixAt(300, 0, t0))).to.equal(undefined);
    expect(rule.onFix(fixAt(300, 0, t0 + 9_000))).to.equal(undefined);
    expect(rule.onFix(fixAt(300, 0, t0 + 18_000))).to.equal(undefined);
    expect(rule.onFix(fixAt(300, 0, t0 + 27_000))).to.equal(undefined);
    expect(rule.onFix(fixAt(300, 0, t0 + DWELL_MS - 1))).to.equal(undefined);
    expect(rule.state).to.equal("inside");
    expect(rule.onFix(fixAt(300, 0, t0 + DWELL_MS))?.kind).to.equal("exit");
    expect(rule.onFix(fixAt(300, 0, t0 + DWELL_MS + 1000))).to.equal(undefined); // once per crossing
  });

  it("band fixes neither confirm nor cancel a run; only an evidence fix confirms it", () => {
    const rule = watching();
    feed(rule, 0, 0, 40);
    expect(rule.onFix(fixAt(200, 0, 100_000))).to.equal(undefined);
    for (let s = 101; s <= 140; s++) expect(rule.onFix(fixAt(110, 0, s * 1000 - 500)), `band ${s}`).to.equal(undefined); // 110 m: in the band
    expect(rule.state).to.equal("inside");
    // band fixes between evidence fixes RUN_GAP_MS apart: the run goes on and the evidence fix confirms
    const rule2 = watching();
    feed(rule2, 0, 0, 40);
    rule2.onFix(fixAt(200, 0, 100_000));
    for (let s = 101; s < 110; s++) rule2.onFix(fixAt(110, 0, s * 1000));
    expect(rule2.onFix(fixAt(200, 0, 110_000))).to.equal(undefined);
    for (let s = 111; s < 120; s++) rule2.onFix(fixAt(110, 0, s * 1000));
    expect(rule2.onFix(fixAt(200, 0, 120_000))).to.equal(undefined);
    for (let s = 121; s < 130; s++) rule2.onFix(fixAt(110, 0, s * 1000));
    expect(rule2.onFix(fixAt(200, 0, 130_000))?.kind).to.equal("exit");
  });

  it("a fix with the opposite evidence cancels the run: the dwell starts again", () => {
    const rule = watching();
    feed(rule, 0, 0, 40);
    expect(feed(rule, 300, 100, 121)).to.deep.equal([]);
    expect(feed(rule, 0, 121, 122)).to.deep.equal([]); // one fix back inside
    expect(feed(rule, 300, 122, 200).map((e) => e.atS)).to.deep.equal([122 + DWELL_MS / 1000]);
  });

  it(`a run lapses after RUN_GAP_MS (${RUN_GAP_MS} ms) without a supporting fix; exactly RUN_GAP_MS keeps it`, () => {
    const lapsed = watching();
    feed(lapsed, 0, 0, 40);
    lapsed.onFix(fixAt(300, 0, 100_000));
    const restartMs = 100_000 + RUN_GAP_MS + 1; // a new run starts here
    for (let t = restartMs; t < restartMs + DWELL_MS; t += 5_000) expect(lapsed.onFix(fixAt(300, 0, t)), `${t}`).to.equal(undefined);
    expect(lapsed.onFix(fixAt(300, 0, restartMs + DWELL_MS - 1))).to.equal(undefined);
    expect(lapsed.onFix(fixAt(300, 0, restartMs + DWELL_MS))?.kind).to.equal("exit");
    const kept = watching();
    feed(kept, 0, 0, 40);
    kept.onFix(fixAt(300, 0, 100_000));
    kept.onFix(fixAt(300, 0, 100_000 + RUN_GAP_MS));
    kept.onFix(fixAt(300, 0, 100_000 + 2 * RUN_GAP_MS));
    expect(kept.onFix(fixAt(300, 0, 100_000 + DWELL_MS))?.kind).to.equal("exit");
  });

  it("two multipath spikes 20 s apart are no crossing (the run lapses between them)", () => {
    const rule = watching();
    feed(rule, 50, 0, 60);
    expect(rule.state).to.equal("inside");
    expect(feed(rule, 200, 60, 68, 6)).to.deep.equal([]);
    expect(feed(rule, 90, 68, 88)).to.deep.equal([]);
    expect(feed(rule, 200, 88, 96, 6)).to.deep.equal([]);
    expect(feed(rule, 90, 96, 300)).to.deep.equal([]);
    expect(rule.state).to.equal("inside");
  });
});

describe("alerts/FenceRule: hysteresis", () => {
  it(`the margin is MIN_MARGIN_M (${MIN_MARGIN_M} m) in a good sky: 125.01 m is outside evidence, 124.99 m is not`, () => {
    const below = watching();
    feed(below, 0, 0, 40);
    expect(feed(below, 124.99, 40, 200)).to.deep.equal([]);
    const beyond = watching();
    feed(beyond, 0, 0, 40);
    expect(feed(beyond, 125.01, 40, 200).map((e) => e.atS)).to.deep.equal([70]);
  });

  it("the margin is 2 x accuracy when that is more: at HDOP 4 (accuracy 20 m) 139.99 m is the band, 140.01 m outside", () => {
    const band = watching();
    feed(band, 0, 0, 40);
    expect(feed(band, 139.99, 40, 200, 4)).to.deep.equal([]);
    const beyond = watching();
    feed(beyond, 0, 0, 40);
    expect(feed(beyond, 140.01, 40, 200, 4).map((e) => e.atS)).to.deep.equal([70]);
  });

  it("inside evidence below radius - margin: 74.99 m enters, 75.01 m is the band; at HDOP 4, 59.99 m enters and 60.01 m does not", () => {
    for (const [northM, hdop, enters] of [[74.99, 0.9, true], [75.01, 0.9, false], [59.99, 4, true], [60.01, 4, false]] as const) {
      const rule = watching();
      feed(rule, 500, 0, 40);
      const events = feed(rule, northM, 40, 200, hdop);
      expect(events.map((e) => e.event.kind), `${northM} m at HDOP ${hdop}`).to.deep.equal(enters ? ["enter"] : []);
    }
  });

  it("a small fence: inside evidence below half the radius when the margin would leave less (30 m fence: 14.99 m yes, 15.01 m no)", () => {
    const small: Fence = { latDeg: HOME.lat, lonDeg: HOME.lon, radiusM: 30 };
    const at14 = watching(small);
    feed(at14, 500, 0, 40);
    expect(feed(at14, 14.99, 40, 200).map((e) => [e.atS, e.event.kind])).to.deep.equal([[70, "enter"]]);
    const at15 = watching(small);
    feed(at15, 500, 0, 40);
    expect(feed(at15, 15.01, 40, 200)).to.deep.equal([]);
    expect(at15.state).to.equal("outside");
    // outside evidence beyond 30 + 25 m
    expect(feed(at14, 54.99, 200, 300)).to.deep.equal([]);
    expect(feed(at14, 55.01, 300, 400).map((e) => [e.atS, e.event.kind])).to.deep.equal([[330, "exit"]]);
  });

  it("an unknown accuracy uses MIN_MARGIN_M", () => {
    const rule = watching();
    feed(rule, 0, 0, 40);
    let events = 0;
    for (let s = 40; s < 200; s++) if (rule.onFix({ ...fixAt(126, 0, s * 1000, 4), accuracyM: NaN })) events++;
    expect(events).to.equal(1);
  });
});

describe("alerts/FenceRule: hostile and missing input", () => {
  it("invalid fixes, unknown positions, HDOP above 8 or unknown and unknown times are no evidence; HDOP 8 counts", () => {
    const rule = watching();
    feed(rule, 0, 0, 40);
    for (let s = 40; s < 400; s++) {
      const far = fixAt(500, 0, s * 1000);
      expect(rule.onFix({ ...far, valid: false })).to.equal(undefined);
      expect(rule.onFix({ ...far, latitudeDeg: NaN })).to.equal(undefined);
      expect(rule.onFix({ ...far, longitudeDeg: Infinity })).to.equal(undefined);
      expect(rule.onFix(fixAt(500, 0, s * 1000, MAX_HDOP + 0.1))).to.equal(undefined);
      expect(rule.onFix(fixAt(500, 0, s * 1000, NaN))).to.equal(undefined);
      expect(rule.onFix({ ...far, receivedAtMs: NaN })).to.equal(undefined);
    }
    expect(rule.state).to.equal("inside");
    expect(feed(rule, 500, 400, 500, MAX_HDOP).map((e) => [e.atS, e.event.kind])).to.deep.equal([[430, "exit"]]);
  });

  it("a fix stamped earlier than the last one used is ignored (time going back neither confirms nor cancels)", () => {
    const rule = watching();
    feed(rule, 0, 0, 40);
    rule.onFix(fixAt(300, 0, 100_000));
    expect(rule.onFix(fixAt(0, 0, 90_000))).to.equal(undefined); // would cancel: ignored
    expect(rule.onFix(fixAt(300, 0, 50_000))).to.equal(undefined);
    for (let s = 101; s < 130; s++) expect(rule.onFix(fixAt(300, 0, s * 1000))).to.equal(undefined);
    expect(rule.onFix(fixAt(300, 0, 130_000))?.kind).to.equal("exit");
  });

  it("no fence, or an unusable one, watches nothing", () => {
    const rule = new FenceRule();
    expect(rule.fence).to.equal(undefined);
    expect(feed(rule, 500, 0, 100)).to.deep.equal([]);
    expect(rule.state).to.equal("unknown");
    for (const bad of [
      { latDeg: NaN, lonDeg: HOME.lon, radiusM: 100 },
      { latDeg: HOME.lat, lonDeg: Infinity, radiusM: 100 },
      { latDeg: 91, lonDeg: HOME.lon, radiusM: 100 },
      { latDeg: HOME.lat, lonDeg: -181, radiusM: 100 },
      { latDeg: HOME.lat, lonDeg: HOME.lon, radiusM: 0 },
      { latDeg: HOME.lat, lonDeg: HOME.lon, radiusM: -5 },
      { latDeg: HOME.lat, lonDeg: HOME.lon, radiusM: NaN },
      { latDeg: HOME.lat, lonDeg: HOME.lon, radiusM: Infinity },
    ]) {
      rule.set(bad);
      expect(rule.fence, JSON.stringify(bad)).to.equal(undefined);
      expect(feed(rule, 0, 100, 140).length + feed(rule, 500, 140, 240).length).to.equal(0);
      expect(rule.state).to.equal("unknown");
    }
    rule.set(FENCE);
    rule.set(undefined);
    expect(rule.fence).to.equal(undefined);
  });

  it("the fence kept is a frozen copy: changing the caller's object changes nothing; the event is frozen", () => {
    const mine = { latDeg: HOME.lat, lonDeg: HOME.lon, radiusM: 100 };
    const rule = watching(mine);
    mine.radiusM = 1000;
    expect(rule.fence).to.deep.equal(FENCE);
    expect(Object.isFrozen(rule.fence)).to.equal(true);
    feed(rule, 0, 0, 40);
    const [crossing] = feed(rule, 300, 40, 100);
    expect(Object.isFrozen(crossing?.event)).to.equal(true);
    expect(crossing?.event.kind).to.equal("exit");
  });
});

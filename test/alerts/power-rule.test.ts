/**
 * The power rule over realistic voltages (12 V car: resting 12.2-12.7 V, charging 13.8-14.4 V,
 * cranking dip 9-10.5 V under 2 s; 24 V truck: resting 24.4-25.4 V, charging 27.6-28.8 V; a cut reads
 * under 1 V; Li-ion backup cell 3.0-4.2 V), one sample every POWER_SAMPLE_MS.
 */
import { expect } from "chai";
import { seededRandom } from "../modem/fakes.ts";
import {
  BATTERY_SAMPLES,
  CHARGING_SAMPLES,
  CUT_SAMPLES,
  ON_SAMPLES,
  POWER_SAMPLE_MS,
  PowerRule,
  RESTING_SAMPLES,
  type PowerEvent,
} from "../../src/alerts/power-rule.ts";

/** A sample: vehicle supply and backup battery, mV. */
type Sample = readonly [vehicleMv: number, batteryMv: number];

const hold = (vehicleMv: number, count: number, batteryMv = 4_100): Sample[] => new Array<Sample>(count).fill([vehicleMv, batteryMv]);

/** Feed samples from sample number `from` (time = number × POWER_SAMPLE_MS): every event with its sample number. */
function feed(rule: PowerRule, samples: readonly Sample[], from = 0): { n: number; kind: string }[] {
  const events: { n: number; kind: string }[] = [];
  samples.forEach(([vehicleMv, batteryMv], i) => {
    const event = rule.onSample({ vehicleMv, batteryMv }, (from + i) * POWER_SAMPLE_MS);
    if (event) events.push({ n: from + i, kind: event.kind });
  });
  return events;
}

/** A rule that has learned: supply on, engine off (12.5 V), battery ok; `samples` fed (numbers 0..19). */
function parked(): PowerRule {
  const rule = new PowerRule();
  expect(feed(rule, hold(12_500, 20))).to.deep.equal([]);
  return rule;
}

describe("alerts/PowerRule: boot", () => {
  it("the first states learned make no event: a parked 12 V car at boot is supply on, engine off, battery ok", () => {
    const rule = new PowerRule();
    expect([rule.supply, rule.engine, rule.batteryLow]).to.deep.equal(["unknown", "unknown", false]);
    expect(feed(rule, hold(12_500, 1))).to.deep.equal([]);
    expect(rule.supply).to.equal("unknown");
    expect(feed(rule, hold(12_500, ON_SAMPLES - 1), 1)).to.deep.equal([]);
    expect(rule.supply).to.equal("on");
    expect(feed(rule, hold(12_500, RESTING_SAMPLES - ON_SAMPLES), ON_SAMPLES)).to.deep.equal([]);
    expect([rule.supply, rule.engine, rule.batteryLow, rule.systemV]).to.deep.equal(["on", "off", false, 12]);
  });

  it("a boot with the engine running learns running silently", () => {
    const rule = new PowerRule();
    expect(feed(rule, hold(14_100, 10))).to.deep.equal([]);
    expect(rule.engine).to.equal("running");
  });

  it("a boot on the backup battery (supply cut) settles to cut silently; the supply's return is power-restored", () => {
    const rule = new PowerRule();
    expect(feed(rule, hold(300, 10, 3_900))).to.deep.equal([]);
    expect(rule.supply).to.equal("cut");
    expect(feed(rule, hold(12_400, 10), 10)).to.deep.equal([{ n: 10 + ON_SAMPLES - 1, kind: "power-restored" }]);
  });

  it("a boot on a low backup battery is low silently; at 3.6 V it is ok, and a drop to 3.4 V is battery-low", () => {
    const low = new PowerRule();
    expect(feed(low, hold(200, 10, 3_400))).to.deep.equal([]);
    expect(low.batteryLow).to.equal(true);
    const ok = new PowerRule();
    expect(feed(ok, hold(200, 10, 3_600))).to.deep.equal([]);
    expect(ok.batteryLow).to.equal(false);
    expect(feed(ok, hold(200, 10, 3_400), 10)).to.deep.equal([{ n: 10 + BATTERY_SAMPLES - 1, kind: "battery-low" }]);
  });

  it("a board without dividers (NaN everywhere) never raises anything and learns nothing", () => {
    const rule = new PowerRule();
    expect(feed(rule, hold(NaN, 5000, NaN))).to.deep.equal([]);
    expect([rule.supply, rule.engine, rule.batteryLow]).to.deep.equal(["unknown", "unknown", false]);
  });
});

describe("alerts/PowerRule: supply", () => {
  it(`a cut is power-cut on the ${CUT_SAMPLES}nd sample under 6 V (within 4 s), with that sample's readings and time`, () => {
    const rule = parked();
    const event = [rule.onSample({ vehicleMv: 250, batteryMv: 4_050 }, 40_000), rule.onSample({ vehicleMv: 180, batteryMv: 4_020 }, 42_000)];
    expect(event[0]).to.equal(undefined);
    expect(event[1]).to.deep.equal({ kind: "power-cut", vehicleMv: 180, batteryMv: 4_020, atMs: 42_000 } satisfies PowerEvent);
    expect(Object.isFrozen(event[1])).to.equal(true);
    expect([rule.supply, rule.engine]).to.deep.equal(["cut", "unknown"]);
    expect(feed(rule, hold(100, 100), 22)).to.deep.equal([]); // once
  });

  it("one sample at 0 V (a glitch) is no cut; 5.9 V twice is, 6.0 V twice is not", () => {
    const rule = parked();
    expect(feed(rule, [[0, 4_100], [12_500, 4_100], [0, 4_100], [12_500, 4_100]], 20)).to.deep.equal([]);
    expect(feed(rule, hold(6_000, 10), 24)).to.deep.equal([]);
    expect(feed(rule, hold(5_999, 2), 34)).to.deep.equal([{ n: 35, kind: "power-cut" }]);
  });

  it("restored needs ON_SAMPLES above 9 V: 9.0 V is not, a lone 12 V sample is not", () => {
    const rule = parked();
    feed(rule, hold(0, 5), 20);
    expect(feed(rule, [...hold(9_000, 10), [12_400, 4_100], [0, 4_100], [12_400, 4_100], [8_000, 4_100]], 25)).to.deep.equal([]);
    expect(feed(rule, hold(9_001, 3), 39)).to.deep.equal([{ n: 40, kind: "power-restored" }]);
  });

  it("a cut while the engine runs is power-cut alone; after the restore the engine is learned silently", () => {
    const rule = parked();
    feed(rule, hold(14_000, 10), 20);
    expect(rule.engine).to.equal("running");
    expect(feed(rule, [...hold(0, 10), ...hold(14_000, 10)], 30)).to.deep.equal([
      { n: 31, kind: "power-cut" },
      { n: 41, kind: "power-restored" },
    ]);
    expect(rule.engine).to.equal("running"); // learned, no engine-started
    expect(feed(rule, hold(12_500, 10), 50)).to.deep.equal([{ n: 54, kind: "engine-stopped" }]);
  });
});

describe("alerts/PowerRule: engine", () => {
  it("a start: resting, a cranking dip to 9.6 V, then charging: engine-started on the 3rd charging sample, no cut", () => {
    const rule = parked();
    expect(feed(rule, [[9_600, 4_100], ...hold(14_100, 5)], 20)).to.deep.equal([{ n: 20 + CHARGING_SAMPLES, kind: "engine-started" }]);
    expect([rule.engine, rule.supply]).to.deep.equal(["running", "on"]);
  });

  it("a weak battery's dip to 7.5 V for two samples is neither a cut nor a start", () => {
    const rule = parked();
    expect(feed(rule, [...hold(7_500, 2), ...hold(12_300, 10)], 20)).to.deep.equal([]);
    expect([rule.engine, rule.supply]).to.deep.equal(["off", "on"]);
  });

  it("charging for fewer than CHARGING_SAMPLES in a row is no start; 13.2 V counts, 13.19 V does not", () => {
    const rule = parked();
    const almost = [...hold(14_000, CHARGING_SAMPLES - 1), [13_199, 4_100] as Sample];
    expect(feed(rule, [...almost, ...almost, ...almost, ...hold(12_600, 10)], 20)).to.deep.equal([]);
    expect(feed(rule, hold(13_200, CHARGING_SAMPLES), 100)).to.deep.equal([{ n: 100 + CHARGING_SAMPLES - 1, kind: "engine-started" }]);
  });

  it("a stop: RESTING_SAMPLES under 13.0 V in a row; the surface charge's slow fall through 13.0-13.2 V counts for nothing", () => {
    const rule = parked();
    feed(rule, hold(14_100, 10), 20);
    const decay = [...hold(13_150, 20), ...hold(13_000, 20)];
    expect(feed(rule, decay, 30)).to.deep.equal([]);
    expect(rule.engine).to.equal("running");
    expect(feed(rule, [...hold(12_999, RESTING_SAMPLES - 1), [13_000, 4_100], ...hold(12_700, RESTING_SAMPLES)], 70)).to.deep.equal([
      { n: 70 + 2 * RESTING_SAMPLES - 1, kind: "engine-stopped" },
    ]);
  });

  it("a 24 V truck: resting 24.8 V is off, charging 28.2 V is started, 25.0 V stopped", () => {
    const rule = new PowerRule();
    expect(feed(rule, hold(24_800, 10))).to.deep.equal([]);
    expect([rule.systemV, rule.engine]).to.deep.equal([24, "off"]);
    expect(feed(rule, [...hold(19_000, 1), ...hold(28_200, 5), ...hold(25_000, 10)], 10)).to.deep.equal([
      { n: 13, kind: "engine-started" },
      { n: 20, kind: "engine-stopped" },
    ]);
    // 26.4 V counts as charging on 24 V, 26.39 V does not
    expect(feed(rule, [...hold(26_390, 10), ...hold(26_400, 3)], 30)).to.deep.equal([{ n: 42, kind: "engine-started" }]);
  });

  it("one 20 V load-dump sample on a 12 V car does not make it a 24 V system; a cut forgets a 24 V system", () => {
    const car = parked();
    expect(feed(car, [[20_000, 4_100], ...hold(12_500, 10), ...hold(14_000, 3)], 20)).to.deep.equal([{ n: 33, kind: "engine-started" }]);
    expect(car.systemV).to.equal(12);
    const truck = new PowerRule();
    feed(truck, hold(25_000, 10));
    feed(truck, hold(0, 2), 10);
    expect(truck.systemV).to.equal(12);
    feed(truck, hold(12_500, 10), 12);
    expect([truck.systemV, truck.engine]).to.deep.equal([12, "off"]);
  });
});

describe("alerts/PowerRule: backup battery", () => {
  it("battery-low after BATTERY_SAMPLES under 3.5 V, once; hovering at 3.45-3.65 V raises nothing more; above 3.7 V re-arms it", () => {
    const rule = parked();
    expect(feed(rule, [...hold(0, 5, 3_800), ...hold(0, 2, 3_450), [0, 3_550], ...hold(0, BATTERY_SAMPLES, 3_499)], 20)).to.deep.equal([
      { n: 21, kind: "power-cut" },
      { n: 30, kind: "battery-low" },
    ]);
    const hover: Sample[] = [];
    for (let i = 0; i < 300; i++) hover.push([0, [3_450, 3_550, 3_650, 3_700][i % 4]!]);
    expect(feed(rule, hover, 31)).to.deep.equal([]);
    expect(rule.batteryLow).to.equal(true);
    expect(feed(rule, [...hold(0, BATTERY_SAMPLES, 3_701), ...hold(0, BATTERY_SAMPLES, 3_400)], 400)).to.deep.equal([
      { n: 400 + 2 * BATTERY_SAMPLES - 1, kind: "battery-low" },
    ]);
  });

  it("a day of noise (seeded: supply 12.5 ± 0.2 V, cell 3.6 V with one-sample 0.3 V dips at modem bursts) raises nothing", () => {
    const next = seededRandom(11);
    const rule = parked();
    const samples: Sample[] = [];
    let dips = 0;
    for (let i = 0; i < 43_200; i++) {
      const dip = samples[i - 1]?.[1] !== 3_300 && next() < 0.05;
      if (dip) dips++;
      samples.push([12_500 + (next() - 0.5) * 400, dip ? 3_300 : 3_600 + (next() - 0.5) * 40]);
    }
    expect(dips).to.be.at.least(1000);
    expect(feed(rule, samples, 20)).to.deep.equal([]);
    expect([rule.supply, rule.engine, rule.batteryLow]).to.deep.equal(["on", "off", false]);
  });
});

describe("alerts/PowerRule: one event per sample, hostile input", () => {
  it("two changes on one sample come one after the other: supply first, then battery, then engine", () => {
    const rule = parked();
    // a cut with the cell already low: power-cut, then battery-low on the next sample
    expect(feed(rule, [...hold(12_500, 1, 3_400), ...hold(0, 3, 3_400)], 20)).to.deep.equal([
      { n: 22, kind: "power-cut" },
      { n: 23, kind: "battery-low" },
    ]);
    // battery low and engine started on the same sample: battery-low, then engine-started
    const both = parked();
    expect(feed(both, hold(14_000, 4, 3_400), 20)).to.deep.equal([
      { n: 22, kind: "battery-low" },
      { n: 23, kind: "engine-started" },
    ]);
  });

  it("NaN or infinite readings are no evidence and break a run; a sample with an unknown time is ignored", () => {
    const rule = parked();
    expect(feed(rule, [[0, 4_100], [NaN, 4_100], [0, 4_100], [Infinity, 4_100], [0, 4_100], [-Infinity, NaN]], 20)).to.deep.equal([]);
    expect(rule.supply).to.equal("on");
    expect(rule.onSample({ vehicleMv: 0, batteryMv: 4_100 }, 60_000)).to.equal(undefined);
    expect(rule.onSample({ vehicleMv: 0, batteryMv: 4_100 }, NaN)).to.equal(undefined);
    expect(rule.onSample({ vehicleMv: 12_500, batteryMv: 4_100 }, Infinity)).to.equal(undefined); // ignored: does not break the run
    expect(rule.onSample({ vehicleMv: 0, batteryMv: 4_100 }, 62_000)?.kind).to.equal("power-cut");
  });

  it("time is only the event's stamp: samples stamped backwards still count", () => {
    const rule = parked();
    expect(rule.onSample({ vehicleMv: 0, batteryMv: 4_100 }, 100_000)).to.equal(undefined);
    expect(rule.onSample({ vehicleMv: 0, batteryMv: 4_100 }, 50_000)).to.deep.include({ kind: "power-cut", atMs: 50_000 });
  });
});

import { expect } from "chai";
import {
  BACKUP_EMPTY_MV,
  BACKUP_FULL_MV,
  BACKUP_LOW_MV,
  CRANK_MS,
  VehicleModel,
  backupOcvMv,
} from "../../host-sim/vehicle/vehicle-model.ts";
import { type DrivePlan, defaultDrive, driveDurationMs, ignitionTimeline, skyOpenAt } from "../../host-sim/gnss/drive.ts";
import { VirtualGnss } from "../../host-sim/gnss/virtual-gnss.ts";
import { VirtualClock } from "../../host-sim/clock.ts";
import { UartWire } from "../../host-sim/uart.ts";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

/** A model without ADC noise, so figures can be checked exactly. */
const exact = (options: Partial<ConstructorParameters<typeof VehicleModel>[0]> = {}) => new VehicleModel({ seed: 7, noiseMv: 0, ...options });

describe("host-sim/vehicle/vehicle-model", () => {
  describe("parked, ignition off", () => {
    it("rests at 12.4 V with a full backup cell (4.15 V)", () => {
      expect(exact().reading(0)).to.deep.equal({ vehicleMv: 12_400, batteryMv: BACKUP_FULL_MV });
    });

    it("sags 20 mV per hour with the parasitic load, down to the 11.8 V floor", () => {
      const v = exact();
      expect(v.reading(1 * H).vehicleMv).to.equal(12_380);
      expect(v.reading(10 * H).vehicleMv).to.equal(12_200);
      expect(v.reading(100 * H).vehicleMv).to.equal(11_800);
      expect(exact({ parasiticMvPerH: 1 }).reading(10 * H).vehicleMv).to.equal(12_390);
    });

    it("a 24 V system reads twice the 12 V figures", () => {
      const v = exact({ systemVolts: 24 });
      expect(v.reading(0).vehicleMv).to.equal(24_800);
      expect(v.reading(10 * H).vehicleMv).to.equal(24_400);
    });
  });

  describe("engine start and stop", () => {
    it("cranks at 9.5-10.5 V for 1.5 s, then settles at the alternator's 13.8-14.4 V within ~10 s", () => {
      for (let seed = 1; seed <= 20; seed++) {
        const v = new VehicleModel({ seed, noiseMv: 0 });
        v.ignitionOn(60 * S);
        expect(v.chargeMv).to.be.within(13_800, 14_400);
        for (const t of [0, 500, CRANK_MS - 1]) expect(v.reading(60 * S + t).vehicleMv).to.be.within(9_500, 10_500);
        expect(v.state(60 * S + 1000).cranking).to.equal(true);
        expect(v.state(60 * S + CRANK_MS).cranking).to.equal(false);
        const settled = v.reading(60 * S + CRANK_MS + 10 * S).vehicleMv;
        expect(Math.abs(settled - v.chargeMv)).to.be.below(40);
        const early = v.reading(60 * S + CRANK_MS + 1 * S).vehicleMv;
        expect(early).to.be.above(12_400).and.below(settled);
      }
    });

    it("24 V: the crank dips to 19-21 V and the alternator charges at 27.6-28.8 V", () => {
      const v = new VehicleModel({ seed: 3, noiseMv: 0, systemVolts: 24 });
      v.ignitionOn(0);
      expect(v.reading(500).vehicleMv).to.be.within(19_000, 21_000);
      expect(v.reading(60 * S).vehicleMv).to.be.within(27_600, 28_800);
    });

    it("each start dips differently (seeded), the same for the same seed", () => {
      const dips = (seed: number) => {
        const v = new VehicleModel({ seed, noiseMv: 0 });
        const out: number[] = [];
        for (let i = 0; i < 5; i++) {
          v.ignitionOn(i * H);
          out.push(v.reading(i * H + 100).vehicleMv);
          v.ignitionOff(i * H + 30 * MIN);
        }
        return out;
      };
      expect(dips(5)).to.deep.equal(dips(5));
      expect(new Set(dips(5)).size).to.be.above(1);
    });

    it("after the engine stops: below 13.1 V within 30 s, surface charge settling to rest over hours", () => {
      const v = exact();
      v.ignitionOn(0);
      v.ignitionOff(30 * MIN);
      const rest = v.state(30 * MIN).restingMv;
      expect(rest, "30 min of charging raised the rest").to.be.within(12_490, 12_510);
      expect(v.reading(30 * MIN + 30 * S).vehicleMv).to.be.within(rest + 200, 13_100);
      expect(v.reading(30 * MIN + 4 * H).vehicleMv - v.state(30 * MIN + 4 * H).restingMv).to.be.below(20);
      expect(v.engineRunning).to.equal(false);
      expect(v.ignition).to.equal(false);
    });

    it("ignition on without the engine: the accessories' load sags the supply ~250 mV; no crank", () => {
      const v = exact();
      v.ignitionOn(10 * S, { engine: false });
      expect(v.engineRunning).to.equal(false);
      expect(v.reading(10 * S + 500).vehicleMv).to.equal(12_150);
      v.ignitionOff(20 * S);
      expect(v.reading(20 * S).vehicleMv).to.be.within(12_390, 12_400);
    });

    it("repeated calls are no-ops (ignition already on / off)", () => {
      const v = exact();
      v.ignitionOn(0);
      v.ignitionOn(20 * S); // no second crank
      expect(v.reading(20 * S + 500).vehicleMv).to.be.above(13_000);
      v.ignitionOff(40 * S);
      v.ignitionOff(50 * S);
      expect(v.ignition).to.equal(false);
    });
  });

  describe("power cut and the backup cell", () => {
    it("the supply reads ~0 while cut; the cell falls below 3.5 V after ~15.5 h at 60 mA from 1000 mAh, empty at 3.0 V", () => {
      const v = new VehicleModel({ seed: 2 });
      v.cutPower(H);
      for (let t = H; t < 2 * H; t += 7 * S) expect(v.reading(t).vehicleMv).to.be.within(0, 30);
      expect(v.supplied).to.equal(false);
      expect(v.reading(H + 1 * H).batteryMv).to.be.within(4_000, 4_140);
      expect(v.reading(H + 15 * H).batteryMv).to.be.above(BACKUP_LOW_MV);
      expect(v.reading(H + 16 * H).batteryMv).to.be.below(BACKUP_LOW_MV);
      expect(v.state(H + 17 * H).backupSoc).to.equal(0);
      expect(v.reading(H + 20 * H).batteryMv).to.be.within(BACKUP_EMPTY_MV - 30, BACKUP_EMPTY_MV + 30);
    });

    it("restored: the supply is back, the cell charges (reads above rest) and is full again after a few hours", () => {
      const v = exact();
      v.cutPower(0);
      v.restorePower(10 * H);
      expect(v.state(10 * H).backupSoc).to.equal(0.4);
      expect(v.reading(10 * H).vehicleMv).to.be.within(12_100, 12_300);
      expect(v.reading(10 * H + 1).batteryMv).to.equal(Math.round(backupOcvMv(0.4) + 50));
      expect(v.reading(12 * H).batteryMv).to.equal(BACKUP_FULL_MV);
    });

    it("a smaller cell and a larger draw empty sooner", () => {
      const v = exact({ backupMah: 500, trackerDrawMa: 100 });
      v.cutPower(0);
      expect(v.reading(5 * H).batteryMv).to.equal(BACKUP_EMPTY_MV);
    });

    it("the engine may run with the tracker's wire cut: it reads 0, the vehicle keeps its own state", () => {
      const v = exact();
      v.ignitionOn(0);
      v.cutPower(60 * S);
      expect(v.reading(90 * S).vehicleMv).to.equal(0);
      expect(v.state(90 * S).engineRunning).to.equal(true);
      v.restorePower(120 * S);
      expect(v.reading(120 * S).vehicleMv).to.equal(v.chargeMv);
    });
  });

  describe("determinism and noise", () => {
    it("noise stays within ±30 mV and is the same for the same seed, whatever the sampling", () => {
      const a = new VehicleModel({ seed: 11 });
      const b = new VehicleModel({ seed: 11 });
      const c = new VehicleModel({ seed: 12 });
      let differs = 0;
      for (let t = 0; t < 600 * S; t += 1000) {
        const ra = a.reading(t);
        if (t % 3000 === 0) expect(b.reading(t)).to.deep.equal(ra);
        expect(ra.vehicleMv).to.be.within(12_366, 12_430); // 12.4 V, −3.3 mV of sag over the 10 min
        expect(ra.batteryMv).to.be.within(BACKUP_FULL_MV - 30, BACKUP_FULL_MV + 30);
        if (c.reading(t).vehicleMv !== ra.vehicleMv) differs++;
      }
      expect(differs).to.be.above(400);
    });

    it("the noise is spread out (mean near 0, both signs)", () => {
      const v = new VehicleModel({ seed: 4 });
      let sum = 0;
      let low = 0;
      for (let t = 0; t < 2000; t++) {
        const d = v.reading(t * 1000).vehicleMv - 12_400 + Math.round((t * 1000 * 20) / H);
        sum += d;
        if (d < 0) low++;
      }
      expect(Math.abs(sum / 2000)).to.be.below(3);
      expect(low).to.be.within(800, 1200);
    });
  });

  describe("scheduled events and the clock", () => {
    it("applies scheduled events in time order when time passes them", () => {
      const v = exact();
      v.schedule([
        { atMs: 20 * S, kind: "ignitionOff" },
        { atMs: 10 * S, kind: "ignitionOn" },
      ]);
      expect(v.reading(5 * S).vehicleMv).to.equal(12_400);
      expect(v.ignition).to.equal(false);
      expect(v.reading(10 * S + 100).vehicleMv).to.be.below(10_600);
      expect(v.reading(19 * S).vehicleMv).to.be.above(13_500);
      expect(v.reading(25 * S).vehicleMv).to.be.below(13_300);
      expect(v.scheduled).to.have.length(0);
    });

    it("a manual event after a scheduled one applies the scheduled one first", () => {
      const v = exact();
      v.schedule([{ atMs: 10 * S, kind: "ignitionOn" }]);
      v.cutPower(30 * S);
      expect(v.engineRunning).to.equal(true);
      expect(v.supplied).to.equal(false);
    });

    it("refuses events before the last one", () => {
      const v = exact();
      v.cutPower(10 * S);
      expect(() => v.restorePower(5 * S)).to.throw(RangeError);
      expect(() => v.schedule([{ atMs: 1 * S, kind: "ignitionOn" }])).to.throw(RangeError);
      expect(v.reading(1 * S).vehicleMv, "a reading before the last event reads as at it").to.equal(0);
    });

    it("methods without a time use options.now; without a clock they throw TypeError", () => {
      let now = 0;
      const v = new VehicleModel({ seed: 1, noiseMv: 0, now: () => now });
      now = 5 * S;
      v.cutPower();
      expect(v.lastEventMs).to.equal(5 * S);
      expect(v.reading().vehicleMv).to.equal(0);
      expect(() => exact().cutPower()).to.throw(TypeError);
    });
  });

  describe("drive plans (gnss/drive.ts)", () => {
    const base = { startUtcMs: 0, start: { latDeg: 37.3349, lonDeg: -121.8881 }, coldStartS: 10 };
    const north = (m: number) => 37.3349 + m / 111_195;

    it("ignitionTimeline: on while driving and at `ignition: true` stops, off at stops, off for a tow", () => {
      const plan: DrivePlan = {
        ...base,
        legs: [
          { kind: "stop", durationS: 60 },
          { kind: "drive", toLatDeg: north(500), toLonDeg: -121.8881, speedKmh: 36 }, // 50 s
          { kind: "stop", durationS: 30, ignition: true }, // red light
          { kind: "drive", toLatDeg: north(1000), toLonDeg: -121.8881, speedKmh: 36 },
          { kind: "stop", durationS: 600, sky: "none" }, // garage
          { kind: "drive", toLatDeg: north(1500), toLonDeg: -121.8881, speedKmh: 18, ignition: false }, // towed
        ],
      };
      const changes = ignitionTimeline(plan).map((c) => ({ atS: Math.round(c.atMs / 1000), on: c.on }));
      expect(changes).to.deep.equal([
        { atS: 60, on: true },
        { atS: 190, on: false },
      ]);
      expect(skyOpenAt(plan, 100 * S)).to.equal(true);
      expect(skyOpenAt(plan, 200 * S)).to.equal(false);
      expect(skyOpenAt(plan, 789 * S)).to.equal(false);
      expect(skyOpenAt(plan, 800 * S)).to.equal(true);
      expect(skyOpenAt(plan, 10_000 * S), "after the plan").to.equal(true);
    });

    it("the virtual receiver has no fix inside a `sky: \"none\"` leg (garage, tunnel) and gets it back after", () => {
      const plan: DrivePlan = {
        ...base,
        legs: [
          { kind: "stop", durationS: 30 },
          { kind: "drive", toLatDeg: north(300), toLonDeg: -121.8881, speedKmh: 36, sky: "none" }, // 30 s tunnel
          { kind: "stop", durationS: 30 },
        ],
      };
      const clock = new VirtualClock();
      const gnss = new VirtualGnss(clock, new UartWire(clock, { baud: 9600, chunk: 64 }, () => {}), plan);
      const rmcStatus = (tMs: number) => gnss.epochAt(tMs).find((l) => l.startsWith("$GPRMC") || l.startsWith("$GNRMC"))!.split(",")[2];
      expect(rmcStatus(20 * S)).to.equal("A");
      expect(rmcStatus(45 * S)).to.equal("V");
      expect(rmcStatus(65 * S)).to.equal("A");
    });

    it("a plan ending while driving switches off at its end; the default drive runs its engine from the start", () => {
      const plan: DrivePlan = { ...base, legs: [{ kind: "drive", toLatDeg: north(100), toLonDeg: -121.8881, speedKmh: 36 }] };
      expect(ignitionTimeline(plan)).to.deep.equal([
        { atMs: 0, on: true },
        { atMs: driveDurationMs(plan), on: false },
      ]);
      const drive = ignitionTimeline(defaultDrive());
      expect(drive[0]).to.deep.equal({ atMs: 0, on: true });
      expect(drive.map((c) => c.on)).to.deep.equal([true, false, true, false]); // the delivery stop, the end
    });

    it("a model following a plan charges while driving and rests while parked", () => {
      const plan = defaultDrive();
      const v = exact();
      v.schedule(ignitionTimeline(plan).map((c) => ({ atMs: c.atMs, kind: c.on ? "ignitionOn" : "ignitionOff" })));
      expect(v.reading(60 * S).vehicleMv).to.be.above(13_700);
      expect(v.reading(driveDurationMs(plan) + 10 * MIN).vehicleMv).to.be.below(13_000);
    });
  });
});

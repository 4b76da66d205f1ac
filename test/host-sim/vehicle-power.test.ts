/**
 * The vehicle's voltages reach the firmware: the Power record (wire-format), the guest's power port
 * (SimVehiclePower), FirmwareDevice sending readings only on change, and the Simulation's vehicle
 * following the drive plan and the scenario's power cuts — on the Node engine (reading the guest's
 * port) and on the XS engine (the records it was sent).
 */
import { expect } from "chai";
import { parsePowerText, powerText } from "../../host-sim/guest/wire-format.ts";
import { SimVehiclePower } from "../../host-sim/guest/sim-ports.ts";
import { FirmwareDevice, POWER_CHANGE_MV, POWER_REFRESH_MS } from "../../host-sim/firmware-device.ts";
import { NodeEngine } from "../../host-sim/engines/node-engine.ts";
import { VirtualClock } from "../../host-sim/clock.ts";
import { Simulation } from "../../host-sim/simulation.ts";
import type { NmeaRecording } from "../../host-sim/gnss/virtual-gnss.ts";

/** What the firmware's power port returns now (Node engine). */
function firmwareReads(sim: Simulation) {
  const device = sim.device as FirmwareDevice;
  return (device.engine as NodeEngine).guest.power.read();
}

const NO_SKY: NmeaRecording = { kind: "nmea", name: "no sky", epochs: [], lineCount: 0 };

describe("vehicle power to the firmware", () => {
  describe("the Power record", () => {
    it("carries integer mV, 'nan' where not measured, both ways", () => {
      expect(powerText(12_403.6, 4150)).to.equal("12404,4150");
      expect(powerText(NaN, 3999)).to.equal("nan,3999");
      expect(powerText(0, Infinity)).to.equal("0,nan");
      expect(parsePowerText("12404,4150")).to.deep.equal({ vehicleMv: 12_404, batteryMv: 4150 });
      const odd = parsePowerText("nan,3999");
      expect(odd.vehicleMv).to.be.NaN;
      expect(odd.batteryMv).to.equal(3999);
      for (const junk of ["", ",", "12.5,4", "x", "1,2,3"]) {
        const r = parsePowerText(junk);
        expect([r.vehicleMv, r.batteryMv].some(Number.isNaN), junk).to.equal(true);
      }
    });

    it("the guest port reads NaN before the first reading, then the last one", () => {
      const port = new SimVehiclePower();
      expect(port.read().vehicleMv).to.be.NaN;
      expect(port.read().batteryMv).to.be.NaN;
      port.update(12_000, 4100);
      expect(port.read()).to.deep.equal({ vehicleMv: 12_000, batteryMv: 4100 });
    });
  });

  describe("FirmwareDevice.powerSource", () => {
    it("sends a jump (≥ 250 mV) at once, a drift (≥ 20 mV) at most once per 2 s poll, nothing smaller", async () => {
      const clock = new VirtualClock();
      const engine = new NodeEngine();
      const device = new FirmwareDevice(clock, engine);
      let reading = { vehicleMv: 12_400, batteryMv: 4150 };
      device.powerSource = () => reading;
      const step = () => device.receiveGnss(new Uint8Array([0x0a]));
      await device.boot();
      expect(device.powerRecordsSent).to.equal(1);
      expect(engine.guest.power.read()).to.deep.equal(reading);
      reading = { vehicleMv: 12_419, batteryMv: 4150 };
      await clock.runFor(5_000);
      await step();
      expect(device.powerRecordsSent, "19 mV: not sent").to.equal(1);
      reading = { vehicleMv: 12_440, batteryMv: 4150 };
      await step();
      expect(device.powerRecordsSent, "a drift, 5 s after the last").to.equal(2);
      reading = { vehicleMv: 12_470, batteryMv: 4150 };
      await step();
      expect(device.powerRecordsSent, "another drift within 2 s: later").to.equal(2);
      reading = { vehicleMv: 0, batteryMv: 4150 };
      await step();
      expect(device.powerRecordsSent, "a jump: at once").to.equal(3);
      expect(engine.guest.power.read().vehicleMv).to.equal(0);
      reading = { vehicleMv: 0, batteryMv: NaN };
      await step();
      expect(device.powerRecordsSent, "a rail no longer measured: at once").to.equal(4);
      expect(engine.guest.power.read().batteryMv).to.be.NaN;
      await clock.runFor(POWER_REFRESH_MS);
      reading = { vehicleMv: 25, batteryMv: NaN };
      await step();
      expect(engine.guest.power.read().vehicleMv).to.equal(25);
      await device.close();
    });
  });

  describe("Simulation on the node engine", function () {
    this.timeout(60_000);

    it("the default drive starts the engine; a power cut and its restoration reach the firmware's port", async () => {
      const sim = await Simulation.create({ seed: 3 });
      try {
        await sim.start();
        expect(firmwareReads(sim).vehicleMv, "parked, ignition off at boot").to.be.within(12_300, 12_500);
        expect(firmwareReads(sim).batteryMv).to.be.within(4100, 4200);
        await sim.runFor(20_000);
        const vehicle = sim.vehicle!;
        expect(vehicle.engineRunning, "the default drive's first leg runs the engine").to.equal(true);
        expect(firmwareReads(sim).vehicleMv, "charging").to.be.within(13_700, 14_500);

        vehicle.cutPower();
        await sim.runFor(2_000);
        expect(firmwareReads(sim).vehicleMv).to.be.within(0, 30);
        await sim.runFor(60 * 60_000);
        expect(firmwareReads(sim).batteryMv, "an hour on the backup cell").to.be.within(3950, 4120);

        vehicle.restorePower();
        await sim.runFor(2_000);
        expect(firmwareReads(sim).vehicleMv, "restored, parked after the drive").to.be.within(12_300, 12_900);
        expect((sim.device as FirmwareDevice).faults).to.deep.equal([]);
      } finally {
        await sim.close();
      }
    });

    it("sends a reading only when it moved by 20 mV or more: the records ride on the firmware's own steps", async () => {
      const sim = await Simulation.create({ seed: 5, gnssSource: NO_SKY });
      try {
        await sim.start();
        const device = sim.device as FirmwareDevice;
        await sim.runFor(60 * 60_000);
        // the noise (±30 mV) moves the reading past 20 mV at about half the steps; the steps are the
        // firmware's own (timers, modem), never added for the power port
        expect(device.powerRecordsSent).to.be.above(0).and.below(3600);
        const now = sim.vehicle!.reading();
        expect(Math.abs(firmwareReads(sim).vehicleMv - now.vehicleMv)).to.be.below(POWER_CHANGE_MV + 60);
        expect(sim.vehicle!.ignition, "a recording: parked").to.equal(false);
      } finally {
        await sim.close();
      }
    });

    it("vehicle: false leaves the port unmeasured (NaN), as on a board without dividers", async () => {
      const sim = await Simulation.create({ vehicle: false, gnssSource: NO_SKY });
      try {
        await sim.start();
        await sim.runFor(10_000);
        expect(sim.vehicle).to.equal(undefined);
        expect(firmwareReads(sim).vehicleMv).to.be.NaN;
        expect((sim.device as FirmwareDevice).powerRecordsSent).to.equal(0);
      } finally {
        await sim.close();
      }
    });

    it("vehicle options: a 24 V truck with a small backup cell", async () => {
      const sim = await Simulation.create({ gnssSource: NO_SKY, vehicle: { systemVolts: 24, backupMah: 200, noiseMv: 0 } });
      try {
        await sim.start();
        expect(firmwareReads(sim).vehicleMv).to.be.within(24_700, 24_800);
        sim.vehicle!.cutPower();
        await sim.runFor(4 * 60 * 60_000);
        expect(firmwareReads(sim).vehicleMv).to.equal(0);
        expect(firmwareReads(sim).batteryMv, "empty (to within the 20 mV a drift must reach to be sent)").to.be.within(3000, 3000 + POWER_CHANGE_MV);
      } finally {
        await sim.close();
      }
    });
  });

  describe("Simulation on the xs engine", function () {
    this.timeout(120_000);

    it("the readings cross into XS as Power records; a power cut is sent at the next step", async () => {
      const sim = await Simulation.create({ engine: "xs", seed: 2, gnssSource: NO_SKY });
      try {
        await sim.start();
        const device = sim.device as FirmwareDevice;
        await sim.runFor(10_000);
        expect(device.lastPowerSent.vehicleMv).to.be.within(12_300, 12_500);
        const before = device.powerRecordsSent;
        sim.vehicle!.cutPower();
        await sim.runFor(5_000);
        expect(device.powerRecordsSent).to.be.above(before);
        expect(device.lastPowerSent.vehicleMv).to.be.within(0, 30);
        expect(device.faults).to.deep.equal([]);
      } finally {
        await sim.close();
      }
    });
  });
});

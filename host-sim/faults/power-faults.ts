/**
 * Power faults: the vehicle's supply cut (the tracker runs on its backup cell), and a brown-out
 * that resets the ESP32 and the modem together — settings must survive it.
 */
import type { FaultDefinition } from "./fault-types.ts";

export const POWER_FAULTS: readonly FaultDefinition[] = [
  {
    name: "power-cut",
    description: "The vehicle's supply is cut (a thief pulls the fuse); restored when the fault ends.",
    params: {},
    lasting: true,
    start(world) {
      const vehicle = world.sim.vehicle;
      if (!vehicle) throw new Error("power-cut needs a vehicle (the scenario has vehicle: none)");
      vehicle.cutPower();
      return () => vehicle.restorePower();
    },
  },
  {
    name: "brown-out",
    description: "The supply dips: the ESP32 resets and the modem reboots at once; the firmware starts again from flash.",
    params: {},
    lasting: false,
    async start(world) {
      world.sim.modem.reboot();
      await world.sim.restartFirmware();
    },
  },
];

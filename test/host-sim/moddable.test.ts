/**
 * The moddable engine's host side, where it needs no SDK: the runtime figures it reads off the
 * firmware's console, and what it refuses. The engine itself runs in `npm run test:device`.
 */
import { expect } from "chai";
import { VirtualClock } from "../../host-sim/clock.ts";
import { ModdableDevice, runtimePeaks, type RuntimeSample } from "../../host-sim/moddable/moddable-device.ts";

const sample = (atMs: number, values: Record<string, number>): RuntimeSample => ({ atMs, values });

describe("host-sim moddable engine", () => {
  it("the run's peaks are the largest sampled (mcsim resets the stack peak every second); stack in 32-byte slots", () => {
    const peaks = runtimePeaks([
      sample(0, { stackPeakBytes: 4000, slotBytes: 70000, chunkBytes: 20000 }),
      sample(100, { stackPeakBytes: 12992, slotBytes: 64000, chunkBytes: 30000 }),
      sample(1100, { stackPeakBytes: 2000, slotBytes: 80000, chunkBytes: 25000 }),
    ]);
    expect(peaks).to.deep.equal({ stackPeakSlots: 406, slotBytes: 80000, chunkBytes: 30000 });
    expect(runtimePeaks([])).to.deep.equal({ stackPeakSlots: -1, slotBytes: -1, chunkBytes: -1 });
  });

  it("needs a clock that follows the wall clock (the runtime's timers are real)", () => {
    expect(() => new ModdableDevice(new VirtualClock())).to.throw(/wall clock/);
  });

  it("refuses a build option it cannot give a prebuilt app (an installer owner number)", () => {
    const clock = new VirtualClock({ wall: { nowMs: () => 0, sleep: async () => {} } });
    expect(() => new ModdableDevice(clock, { tracker: { installerOwnerNumber: "+14085550199" } })).to.throw(/build option/);
  });
});

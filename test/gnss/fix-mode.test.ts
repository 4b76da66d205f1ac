/** 2D/3D: a fix with a GGA altitude is 3D (as gpsd); without one the epoch's GSA decides, also when it comes after RMC/GGA. */
import { expect } from "chai";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import { FixMode, type Fix } from "../../src/gnss/fix.ts";
import type { Clock, Logger, TimerHandle } from "../../src/platform/ports.ts";
import { withChecksum } from "./helpers.ts";

const clock: Clock = {
  monotonicMs: () => 0,
  utcMs: () => undefined,
  setUtcMs: () => {},
  setTimer: (): TimerHandle => ({}),
  clearTimer: () => {},
};
const quiet: Logger = { log() {} };

function run(lines: string[]): Fix[] {
  const receiver = new GnssReceiver(clock, quiet);
  const fixes: Fix[] = [];
  receiver.onFix = (fix) => fixes.push(fix);
  receiver.feed(new Uint8Array(Buffer.from(lines.map((l) => withChecksum(l) + "\r\n").join(""), "latin1")));
  receiver.flush();
  return fixes;
}

const rmc = (t: string) => `GPRMC,${t},A,4221.3871,N,01322.0800,E,000.0,000.0,150305,001.4,E`;
const ggaAlt = (t: string) => `GPGGA,${t},4221.3871,N,01322.0800,E,1,05,1.1,746.1,M,44.2,M,,`;
const ggaNoAlt = (t: string) => `GPGGA,${t},4221.3871,N,01322.0800,E,1,05,1.1,,M,,M,,`;

describe("gnss/fix mode (2D/3D)", () => {
  it("a valid fix with a GGA altitude is 3D even when the receiver's GSA says 2D (Garmin 25LP style)", () => {
    const fixes = run([rmc("120326"), ggaAlt("120326"), "GPGSA,A,2,01,03,,14,,,,,,,,,3.1,3.1,", rmc("120327"), ggaAlt("120327")]);
    expect(fixes.map((f) => f.fixMode)).to.deep.equal([FixMode.Fix3D, FixMode.Fix3D]);
  });

  it("without altitude, a GSA sent after RMC/GGA corrects that epoch's mode: the fix is published again", () => {
    const fixes = run([rmc("120326"), ggaNoAlt("120326"), "GPGSA,A,3,01,03,11,14,,,,,,,,,1.8,1.1,1.4", rmc("120327"), ggaNoAlt("120327")]);
    expect(fixes.map((f) => [f.utcMs % 100_000, f.fixMode])).to.deep.equal([
      [Date.UTC(2005, 2, 15, 12, 3, 26) % 100_000, FixMode.Fix2D],
      [Date.UTC(2005, 2, 15, 12, 3, 26) % 100_000, FixMode.Fix3D], // amended by its own GSA
      [Date.UTC(2005, 2, 15, 12, 3, 27) % 100_000, FixMode.Fix3D],
    ]);
  });

  it("a GSA that does not change the mode publishes nothing extra", () => {
    const fixes = run([rmc("120326"), ggaNoAlt("120326"), "GPGSA,A,2,01,03,,14,,,,,,,,,3.1,3.1,", rmc("120327"), ggaNoAlt("120327")]);
    expect(fixes).to.have.length(2);
    expect(fixes.every((f) => f.fixMode === FixMode.Fix2D)).to.equal(true);
  });
});

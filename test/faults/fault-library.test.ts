/** The fault library's pieces: NMEA rewriting, line edits, network trouble, and the edit layering. */
import { expect } from "chai";
import { joinSentence, parseAngle, formatAngle, splitSentence } from "../../host-sim/faults/nmea-rewrite.ts";
import { degradeFix, shiftPosition, shiftTime } from "../../host-sim/faults/gnss-faults.ts";
import { dropBytes, flipBits, repeatBytes } from "../../host-sim/faults/uart-faults.ts";
import { FAULTS, findFault } from "../../host-sim/faults/fault-library.ts";
import { SimulationFaultWorld } from "../../host-sim/faults/fault-world.ts";
import { Random } from "../../host-sim/random.ts";
import { VirtualClock } from "../../host-sim/clock.ts";
import { SmsNetwork, DUPLICATE_DELAY_MS } from "../../host-sim/modem/sms-network.ts";
import { VirtualPhone } from "../../host-sim/modem/phone.ts";
import { Simulation } from "../../host-sim/simulation.ts";

const RMC = "$GPRMC,221501.00,A,3720.0966,N,12153.2887,W,21.6,45.0,241126,,,A*4B";
const GGA = "$GPGGA,221501.00,3720.0966,N,12153.2887,W,1,10,0.90,25.0,M,-32.0,M,,*5C";

function checksumOk(line: string): boolean {
  return joinSentence(splitSentence(line)!) === line;
}

describe("NMEA rewriting for receiver faults", () => {
  it("joins fields with a correct checksum", () => {
    const fixed = joinSentence(splitSentence(RMC)!);
    expect(fixed.slice(0, -2)).to.equal(RMC.slice(0, -2));
    expect(checksumOk(fixed)).to.equal(true);
  });

  it("reads and writes NMEA angles", () => {
    expect(parseAngle("3720.0966", "N")).to.be.closeTo(37.33494, 1e-5);
    expect(parseAngle("12153.2887", "W")).to.be.closeTo(-121.88815, 1e-5);
    expect(formatAngle(-121.88815, false)).to.deep.equal(["12153.2890", "W"]);
    expect(formatAngle(37.99999999, true)).to.deep.equal(["3800.0000", "N"]);
  });

  it("moves a position 50 km north in RMC and GGA, checksums renewed", () => {
    const [rmc, gga] = shiftPosition([joinSentence(splitSentence(RMC)!), joinSentence(splitSentence(GGA)!)], 50_000, 0);
    expect(parseAngle(splitSentence(rmc!)![3]!, "N")).to.be.closeTo(37.33494 + 0.44966, 1e-4);
    expect(parseAngle(splitSentence(gga!)![2]!, "N")).to.be.closeTo(37.33494 + 0.44966, 1e-4);
    expect(checksumOk(rmc!) && checksumOk(gga!)).to.equal(true);
  });

  it("shifts time across midnight and the RMC date with it; the rollover goes back 1024 weeks", () => {
    const [rmc] = shiftTime([RMC], 2 * 3_600_000);
    expect(splitSentence(rmc!)![1]).to.equal("001501.00");
    expect(splitSentence(rmc!)![9]).to.equal("251126");
    const [old] = shiftTime([RMC], -1024 * 7 * 86_400_000);
    expect(splitSentence(old!)![9]).to.equal("100407"); // 2026-11-24 minus 7168 days: 2007-04-10
  });

  it("jamming keeps the fix but with few satellites and a poor HDOP", () => {
    const [gga] = degradeFix([GGA], 4, 25);
    const f = splitSentence(gga!)!;
    expect([f[6], f[7], f[8]]).to.deep.equal(["1", "04", "25.0"]);
    expect(checksumOk(gga!)).to.equal(true);
  });
});

describe("serial line faults", () => {
  const bytes = () => Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff);
  it("flip bits, drop or repeat bytes at about the rate asked", () => {
    const flipped = flipBits(bytes(), 0.01, new Random(1));
    const changed = flipped.filter((b, i) => b !== (i & 0xff)).length;
    expect(changed).to.be.within(70, 130);
    expect(dropBytes(bytes(), 0.01, new Random(2)).length).to.be.within(9870, 9930);
    expect(repeatBytes(bytes(), 0.01, new Random(3)).length).to.be.within(10_070, 10_130);
    expect(dropBytes(bytes(), 0, new Random(2)).length).to.equal(10_000);
  });
});

describe("network trouble", () => {
  function world() {
    const clock = new VirtualClock();
    const network = new SmsNetwork(clock);
    return { clock, network, a: new VirtualPhone(network, "+1001"), b: new VirtualPhone(network, "+1002") };
  }

  it("loses the next message to a number, and only that one", async () => {
    const { clock, network, a, b } = world();
    network.trouble.lose = { count: 1, to: "+1002" };
    a.send("+1002", "one");
    a.send("+1002", "two");
    b.send("+1001", "three");
    await clock.runFor(10_000);
    expect(b.inbox.map((m) => m.text)).to.deep.equal(["two"]);
    expect(a.inbox.map((m) => m.text)).to.deep.equal(["three"]);
    expect(network.log[0]!.status).to.equal("lost");
  });

  it("duplicates the next message, the copy a few seconds later", async () => {
    const { clock, network, a, b } = world();
    network.trouble.duplicate = { count: 1, to: undefined };
    a.send("+1002", "once");
    await clock.runFor(network.deliveryDelayMs + DUPLICATE_DELAY_MS + 1);
    expect(b.inbox.map((m) => m.text)).to.deep.equal(["once", "once"]);
    expect(b.inbox[1]!.atMs - b.inbox[0]!.atMs).to.equal(DUPLICATE_DELAY_MS);
    expect(network.log[1]!.duplicateOf).to.equal(1);
  });

  it("delays delivery by the extra delay", async () => {
    const { clock, network, a, b } = world();
    network.trouble.extraDelayMs = 60_000;
    a.send("+1002", "late");
    await clock.runFor(network.deliveryDelayMs + 59_000);
    expect(b.inbox).to.have.length(0);
    await clock.runFor(2000);
    expect(b.inbox).to.have.length(1);
  });
});

describe("the fault library", () => {
  it("names each fault once and describes it", () => {
    const names = FAULTS.map((f) => f.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const f of FAULTS) expect(f.description, f.name).to.match(/^[A-Z].*\.$/);
    expect(findFault("gnss-outage")?.lasting).to.equal(true);
    expect(findFault("nonsense")).to.equal(undefined);
  });

  it("layers edits on one line and removes them one by one", async () => {
    const sim = await Simulation.create({ engine: "node" });
    try {
      const world = new SimulationFaultWorld(sim, 1, new Map([["owner", sim.owner.number]]));
      const removeA = world.addLineEdit("gnss", (b) => Uint8Array.from([...b, 1]));
      const removeB = world.addLineEdit("gnss", (b) => Uint8Array.from([...b, 2]));
      expect([...sim.lines.gnssToFirmware.tamper!(Uint8Array.of(0))]).to.deep.equal([0, 1, 2]);
      removeA();
      expect([...sim.lines.gnssToFirmware.tamper!(Uint8Array.of(0))]).to.deep.equal([0, 2]);
      removeB();
      expect(sim.lines.gnssToFirmware.tamper).to.equal(null);
      expect(world.numberOf("tracker")).to.equal(sim.trackerNumber);
      expect(() => world.numberOf("bob")).to.throw(/no phone named 'bob'/);
    } finally {
      await sim.close();
    }
  });
});

/**
 * The provisioning console in the simulated device (Node engine, virtual clock): provisioning an
 * unclaimed unit, the lock after the claim, UNLOCK with the PIN and its lockout, STATUS without a
 * position, the self-test checklist, FACTORY RESET; and a WHERE by SMS from the owner it set.
 */
import { expect } from "chai";
import { Simulation, DEFAULT_OWNER } from "../../host-sim/simulation.ts";

async function unclaimed(): Promise<Simulation> {
  const sim = await Simulation.create({ ownerNumber: null, pin: null, modemOnAtStart: true });
  await sim.start();
  return sim;
}

describe("provisioning console (simulated device)", function () {
  this.timeout(60_000);
  let sim: Simulation;
  afterEach(async () => sim?.close());

  it("says +ready at boot and answers HELLO with version, IMEI, claimed and locked", async () => {
    sim = await unclaimed();
    await sim.runFor(100);
    expect(sim.console.lines[0]).to.match(/^\+ready: tracker console, firmware 0\.1\.0/);
    expect(await sim.waitForState("ready", 60_000)).to.equal(true);
    const hello = await sim.console.command("hello");
    expect(hello).to.include("+firmware: 0.1.0");
    expect(hello).to.include("+imei: 868071040000017");
    expect(hello).to.include("+claimed: no");
    expect(hello).to.include("+locked: no");
    expect(hello.at(-1)).to.equal("OK tracker 0.1.0");
  });

  it("provisions an unclaimed unit, then locks until UNLOCK with the PIN; the owner's WHERE is answered", async () => {
    sim = await unclaimed();
    expect(await sim.waitForState("ready", 60_000)).to.equal(true);
    expect(await sim.console.command("SET COUNTRY 1")).to.deep.equal(["+country: 1", "OK"]);
    expect((await sim.console.command("SET OWNER +14085550199")).at(-1)).to.equal("ERR no-pin: SET PIN <4-8 digits> first: the owner needs it");
    expect(await sim.console.command("SET PIN 2468")).to.deep.equal(["OK pin set"]);
    const code = await sim.console.command("SET SETUPCODE auto");
    expect(code[0]).to.match(/^\+setupcode: [A-Z0-9]{10}$/);
    expect(await sim.console.command("SET OWNER (408) 555-0199")).to.deep.equal(["+owner: +14085550199", "OK claimed; console locked"]);
    expect(await sim.console.command("STATUS")).to.deep.equal(["ERR locked: the unit has an owner: UNLOCK <PIN> first"]);
    expect((await sim.console.command("HELLO"))).to.include("+locked: yes");
    expect((await sim.console.command("UNLOCK 1111"))[0]).to.match(/^ERR pin: Wrong PIN\. 4 more/);
    expect(await sim.console.command("UNLOCK 2468")).to.deep.equal(["OK unlocked"]);
    const status = await sim.console.command("STATUS");
    expect(status.at(-1)).to.equal("OK");
    expect(status).to.include("+owner: +1408***0199");
    expect(status.join("\n")).not.to.match(/-?\d+\.\d{3,}/); // no coordinates
    expect(await sim.console.command("LOCK")).to.deep.equal(["OK locked"]);
    const reply = await sim.ask(sim.owner, "WHERE", 120_000);
    expect(reply?.text).to.match(/GNSS|position/i);
    expect(sim.console.lines.join("\n")).not.to.contain("2468");
    expect(sim.device.faults).to.deep.equal([]);
  });

  it("locks itself after 10 minutes without a command", async () => {
    sim = await Simulation.create({ modemOnAtStart: true });
    await sim.start();
    expect(await sim.console.command("UNLOCK 2468")).to.deep.equal(["OK unlocked"]);
    await sim.runFor(9 * 60_000);
    expect((await sim.console.command("STATUS")).at(-1)).to.equal("OK");
    await sim.runFor(10 * 60_000 + 1000);
    expect(await sim.console.command("STATUS")).to.deep.equal(["ERR locked: the unit has an owner: UNLOCK <PIN> first"]);
  });

  it("wrong PINs on the console use the PIN lockout: the right PIN is refused during it", async () => {
    sim = await Simulation.create({ modemOnAtStart: true });
    await sim.start();
    for (let i = 0; i < 5; i++) await sim.console.command("UNLOCK 0000");
    const refused = await sim.console.command("UNLOCK 2468");
    expect(refused[0]).to.match(/^ERR pin: UNLOCK refused: PIN commands are locked for 1 min/);
    await sim.runFor(61_000);
    expect(await sim.console.command("UNLOCK 2468")).to.deep.equal(["OK unlocked"]);
  });

  it("runs the self-test: one +check line per check, then the verdict", async () => {
    sim = await Simulation.create({ modemOnAtStart: true });
    await sim.start();
    expect(await sim.waitForState("ready", 60_000)).to.equal(true);
    await sim.console.command("UNLOCK 2468");
    await sim.console.command("SET SELFNUMBER +14085550100");
    const answer = await sim.console.command("SELFTEST 60 60", 400_000);
    const checks = answer.filter((l) => l.startsWith("+check: "));
    const ids = checks.map((l) => l.split(" ")[2]);
    expect(ids).to.deep.equal(["modem", "sim", "network", "signal", "sms-centre", "sms-store", "sms-loopback", "credit", "gnss-data", "gnss-fix", "satellites", "vehicle-power", "backup-battery"]);
    expect(checks[0]).to.equal("+check: PASS modem A7670E-LASE, firmware A7670M7_V1.11.1");
    expect(checks.find((l) => l.includes(" sms-loopback "))).to.match(/^\+check: PASS sms-loopback sent to itself and received in \d+ s$/);
    expect(answer.at(-1)).to.match(/^OK selftest (PASS|WARN) pass=\d+ warn=\d+ fail=0 skip=1$/);
    expect(sim.owner.inbox.map((m) => m.text).join("\n")).not.to.contain("self-test");
    expect(sim.device.faults).to.deep.equal([]);
  });

  it("FACTORY RESET needs the PIN once claimed and leaves the unit unclaimed", async () => {
    sim = await Simulation.create({ modemOnAtStart: true });
    await sim.start();
    expect(await sim.console.command("FACTORY RESET")).to.deep.equal(["ERR usage: FACTORY RESET <PIN>"]);
    expect((await sim.console.command("FACTORY RESET 1357"))[0]).to.match(/^ERR pin: Wrong PIN/);
    expect(await sim.console.command("FACTORY RESET 2468")).to.deep.equal(["OK erased: unclaimed, no PIN, no numbers"]);
    const hello = await sim.console.command("HELLO");
    expect(hello).to.include("+claimed: no");
    expect(hello).to.include("+pin: none");
    expect(JSON.stringify(sim.device.store)).not.to.contain(DEFAULT_OWNER.slice(1)); // both settings slots overwritten
  });
});

describe("provisioning console on the XS engine", function () {
  this.timeout(120_000);
  it("provisions, locks, unlocks and runs the self-test inside XS as on Node", async () => {
    const sim = await Simulation.create({ engine: "xs", ownerNumber: null, pin: null, modemOnAtStart: true });
    try {
      await sim.start();
      expect(await sim.waitForState("ready", 60_000)).to.equal(true);
      expect(await sim.console.command("SET PIN 2468")).to.deep.equal(["OK pin set"]);
      expect(await sim.console.command("SET OWNER +14085550199")).to.deep.equal(["+owner: +14085550199", "OK claimed; console locked"]);
      expect(await sim.console.command("STATUS")).to.deep.equal(["ERR locked: the unit has an owner: UNLOCK <PIN> first"]);
      expect(await sim.console.command("UNLOCK 2468")).to.deep.equal(["OK unlocked"]);
      await sim.console.command("SET SELFNUMBER +14085550100");
      const answer = await sim.console.command("SELFTEST 60 60", 400_000);
      expect(answer.filter((l) => l.startsWith("+check: "))).to.have.length(13);
      expect(answer.at(-1)).to.match(/^OK selftest (PASS|WARN) pass=\d+ warn=\d+ fail=0 skip=1$/);
      expect(sim.device.faults).to.deep.equal([]);
    } finally {
      await sim.close();
    }
  });
});

/**
 * The RING line end to end in the simulator (node engine, virtual time): the owner's SMS arrives
 * but its +CMTI is lost on the line. With the RI line wired the firmware lists the store at once;
 * without it the message waits for the periodic sweep (STORE_SWEEP_INTERVAL_MS). The reply delays
 * are measured in virtual time.
 */
import { expect } from "chai";
import { Simulation } from "../../host-sim/simulation.ts";
import { STORE_SWEEP_INTERVAL_MS } from "../../src/app/tracker.ts";
import { RING_URC_WAIT_MS } from "../../src/sms/sms-inbox.ts";

/** Virtual ms from sending STATUS to its reply (Infinity: none within the limit). */
async function statusReplyDelay(ringLine: boolean): Promise<{ delayMs: number; sim: Simulation }> {
  const sim = await Simulation.create({ ringLine, lostModemLines: /\+CMTI:/ });
  await sim.start();
  expect(await sim.waitForState("ready", 60_000), "ready").to.equal(true);
  await sim.runFor(60_000); // the sweep at ready is over
  const sentMs = sim.clock.nowMs;
  const reply = await sim.ask(sim.owner, "STATUS", STORE_SWEEP_INTERVAL_MS + 60_000);
  await sim.close();
  return { delayMs: reply ? reply.atMs - sentMs : Infinity, sim };
}

describe("RING line in the simulation (lost +CMTI)", function () {
  this.timeout(60_000);

  it("with RI wired the SMS is answered within seconds; without it only at the next store sweep", async () => {
    const withRing = await statusReplyDelay(true);
    const without = await statusReplyDelay(false);
    expect(withRing.sim.lostModemWrites).to.be.greaterThan(0);
    expect(without.sim.lostModemWrites).to.be.greaterThan(0);
    expect(withRing.sim.ringEdges.length).to.be.greaterThan(0);
    expect(without.sim.ringEdges).to.deep.equal([]);
    // delivery to the modem, the RING wait, read, reply and its delivery: seconds
    expect(withRing.delayMs).to.be.at.least(RING_URC_WAIT_MS).and.below(30_000);
    // the next periodic sweep: minutes (it runs every 5 min; the message came 1 min after the last)
    expect(without.delayMs).to.be.above(60_000).and.at.most(STORE_SWEEP_INTERVAL_MS + 30_000);
  });

  it("a RING whose +CMTI arrives adds no store listing (the indication is read as usual)", async () => {
    const sim = await Simulation.create({ ringLine: true });
    await sim.start();
    expect(await sim.waitForState("ready", 60_000)).to.equal(true);
    await sim.runFor(60_000);
    const listingsBefore = sim.modem.traffic.filter((t) => t.direction === "to-modem" && t.text.startsWith("AT+CMGL")).length;
    const reply = await sim.ask(sim.owner, "STATUS", 60_000);
    await sim.runFor(5_000);
    const listingsAfter = sim.modem.traffic.filter((t) => t.direction === "to-modem" && t.text.startsWith("AT+CMGL")).length;
    await sim.close();
    expect(reply, "STATUS answered").not.to.equal(undefined);
    expect(sim.ringEdges.length).to.be.greaterThan(0);
    expect(listingsAfter).to.equal(listingsBefore);
  });
});

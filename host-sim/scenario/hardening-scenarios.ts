/**
 * Scenarios from the hardening review: what an attacker or an unlucky network could do to the
 * tracker, each run end to end on every engine. The defects they were written for are named in
 * each description (issue "Hardening: twelve defects").
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import type { Checks } from "./checks.ts";

const READY_WITHIN_MS = 60_000;
const REPLY_WITHIN_MS = 30_000;

async function ready(sim: Simulation, check: Checks): Promise<boolean> {
  return check.ok(await sim.waitForState("ready", READY_WITHIN_MS), "the tracker is ready within 60 s", `state ${sim.device.state}`);
}

/** Firmware → modem command lines (echo and payloads left out). */
function commandsSent(sim: Simulation): string[] {
  return sim.modem.traffic.filter((t) => t.direction === "to-modem" && t.kind !== "ignored" && /^AT/i.test(t.text)).map((t) => t.text.trim());
}

/** Texts from strangers whose second line looks like modem output (defect 1). */
const BODY_LOOK_ALIKES: readonly string[] = Object.freeze([
  "hi\nRDY",
  "x\nNORMAL POWER DOWN",
  "x\n+CPIN: NOT READY",
  'x\n+CMTI: "SM",3',
  "a\r\n\r\nOK\r\n\r\nERROR",
]);

export const HARDENING_SCENARIOS: readonly Scenario[] = [
  {
    name: "text-mode-body-look-alikes",
    description:
      "Text mode: SMS bodies whose lines read like modem output (RDY, NORMAL POWER DOWN, +CPIN, +CMTI, OK) stay text: no reboot handling, no slot chosen by a sender, and the owner's 'WHERE\\r\\nOK\\r\\n' gets one reply (defect 1).",
    options: { smsMode: "text" },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(5_000); // past the store sweep at ready (the next is 5 minutes away)
      const readyAtMs = sim.clock.nowMs;
      const before = commandsSent(sim).length;
      // a message nobody announced: only a body naming its slot could make the tracker read it now
      const slotTaken = sim.modem.storeDirect("+14155550999", "an older message the tracker has not been told about");
      for (const body of [...BODY_LOOK_ALIKES, `x\n+CMTI: "SM",${slotTaken}`]) sim.stranger.send(sim.trackerNumber, body);
      await sim.runFor(20_000);
      sim.owner.send(sim.trackerNumber, "WHERE\r\nOK\r\n");
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, REPLY_WITHIN_MS);
      await sim.runFor(20_000);
      const left = sim.device.logs.filter((l) => l.atMs > readyAtMs && l.tag === "app" && / -> /.test(l.message));
      check.equal(left.length, 0, "the tracker never left 'ready'");
      check.equal(sim.modem.boots, 1, "the modem never rebooted");
      check.equal(sim.powerKeyPresses.length, 1, "the power key was pressed only to switch it on");
      check.equal(sim.owner.inbox.length, 1, "the owner's WHERE (a body ending in OK) got exactly one reply");
      check.match(sim.owner.inbox[0]?.text, /^(Live GNSS fix|No position yet)/, "a WHERE reply");
      check.equal(sim.stranger.inbox.length, 0, "the strangers got nothing");
      const cmgr = commandsSent(sim).slice(before).filter((c) => c.startsWith("AT+CMGR"));
      check.ok(!cmgr.includes(`AT+CMGR=${slotTaken}`), "no slot was read because a body named it", JSON.stringify(cmgr));
      const sent = commandsSent(sim).length - before;
      check.ok(sent < 60, "a handful of AT commands, not thousands", `${sent} commands`);
    },
  },
];

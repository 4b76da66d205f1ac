/**
 * Scenarios from the hardening review: what an attacker or an unlucky network could do to the
 * tracker, each run end to end on every engine. The defects they were written for are named in
 * each description (issue "Hardening: twelve defects").
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import { encodeDeliverParts, toHex } from "../modem/pdu.ts";

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

/**
 * Senders that carry the owner's digits but are no number a reply could reach: alphanumeric names
 * (TON 5, type-of-address 0xD0) and numbers of type network-specific (3), subscriber (4),
 * abbreviated (6) and reserved (7) (defect 2).
 */
const SPOOFED_TYPES: readonly { from: string; toa: number }[] = Object.freeze([
  { from: "4085550199", toa: 0xd0 },
  { from: "14085550199", toa: 0xd0 },
  { from: "14085550199", toa: 0xb1 },
  { from: "14085550199", toa: 0xc1 },
  { from: "14085550199", toa: 0xe1 },
  { from: "14085550199", toa: 0xf1 },
]);

function senderTypeScenario(smsMode: "pdu" | "text"): Scenario {
  return {
    name: `sender-type-spoofing-${smsMode}`,
    description: `${smsMode === "pdu" ? "PDU" : "Text"} mode: senders with the owner's digits as an alphanumeric name or as a network-specific, subscriber, abbreviated or reserved number get no answer; the owner still does (defect 2).`,
    options: { smsMode },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      for (const { from, toa } of SPOOFED_TYPES) sim.network.submit(from, sim.trackerNumber, "WHERE", { delivery: { senderToa: toa } });
      await sim.runFor(30_000);
      check.equal(sim.network.messagesFrom(sim.trackerNumber).length, 0, "none of them gets a reply");
      check.equal(sim.modem.storedMessages().length, 0, "all of them were deleted");
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^(Live GNSS fix|No position yet)/, "the owner's own WHERE is answered");
    },
  };
}

export const HARDENING_SCENARIOS: readonly Scenario[] = [
  senderTypeScenario("pdu"),
  senderTypeScenario("text"),
  {
    name: "stranger-parts-do-not-evict",
    description:
      "The owner's 2-part WHERE arrives with a stranger's four 'part 1 of 2' in between: the stranger's parts are deleted unheld and the owner's message is answered whole (defect 6).",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const submitParts = (from: string, text: string, ref: number, seqs: number[]) => {
        const parts = encodeDeliverParts(text, { from, sctsUtcMs: sim.network.utcMs(), zoneQuarterHours: 0, ref });
        for (const seq of seqs) sim.network.submit(from, sim.trackerNumber, parts[seq - 1]!.text, { tpdu: toHex(parts[seq - 1]!.tpdu) });
      };
      const long = `WHERE are you parked? ${"This message is long enough to need two parts. ".repeat(4)}`.trim();
      submitParts(sim.owner.number, long, 7, [1]);
      await sim.runFor(10_000);
      for (let k = 0; k < 4; k++) submitParts(sim.stranger.number, `part one of a stranger's message number ${k}. `.repeat(6), 20 + k, [1]);
      await sim.runFor(20_000);
      submitParts(sim.owner.number, long, 7, [2]);
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, REPLY_WITHIN_MS);
      await sim.runFor(10_000);
      check.equal(sim.owner.inbox.length, 1, "the owner gets one reply");
      check.match(sim.owner.inbox[0]?.text, /^(Live GNSS fix|No position yet)/, "a WHERE reply, not 'incomplete'");
      check.equal(sim.stranger.inbox.length, 0, "the stranger gets nothing");
      check.equal(sim.modem.storedMessages().length, 0, "every part was deleted");
    },
  },
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

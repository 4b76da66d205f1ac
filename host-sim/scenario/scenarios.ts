/**
 * End-to-end scenarios: each drives the simulated world and records expectations. They run
 * headless from the CLI (`npx tracker run <name>`) and in the test suite on both engines.
 */
import type { Simulation, SimulationOptions } from "../simulation.ts";
import { DEFAULT_OWNER } from "../simulation.ts";
import { defaultDrive } from "../gnss/drive.ts";
import type { Checks } from "./checks.ts";

export interface Scenario {
  name: string;
  description: string;
  options?: SimulationOptions;
  /** Numbers allowed to receive SMS from the tracker in this scenario. */
  registered?: readonly string[];
  run(sim: Simulation, check: Checks): Promise<void>;
}

/** Time for the modem to boot, register and be initialised (ms). */
const READY_WITHIN_MS = 60_000;
/** Time a reply may take: network delivery both ways plus modem work (ms). */
const REPLY_WITHIN_MS = 30_000;

/** Parse the coordinates out of a map link. */
function linkCoordinates(text: string | undefined): { lat: number; lon: number } | undefined {
  const m = /https:\/\/maps\.google\.com\/\?q=(-?\d+\.\d+),(-?\d+\.\d+)/.exec(text ?? "");
  return m ? { lat: Number(m[1]), lon: Number(m[2]) } : undefined;
}

async function ready(sim: Simulation, check: Checks): Promise<boolean> {
  return check.ok(await sim.waitForState("ready", READY_WITHIN_MS), "the tracker is ready within 60 s", `state ${sim.device.state}`);
}

function storedMessages(sim: Simulation): number {
  return sim.modem.storedMessages().length;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "where-with-fix",
    description: "The owner texts WHERE while the vehicle drives with a fix and gets its live position with a map link.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(60_000); // well past the 10 s cold start, mid-drive
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^Live GNSS fix, \d+ s old:/, "the reply says the fix is live and how old it is");
      const where = linkCoordinates(reply?.text);
      const truth = sim.gnss.truth();
      check.ok(!!where && !!truth, "the reply carries a map link", reply?.text ?? "no reply");
      if (where && truth) {
        // The vehicle moves while the reply travels: allow for ~10 s at town speeds.
        check.near(where.lat, truth.latDeg, 0.003, "latitude matches the vehicle's position");
        check.near(where.lon, truth.lonDeg, 0.003, "longitude matches the vehicle's position");
      }
      await sim.runFor(REPLY_WITHIN_MS);
      check.equal(sim.owner.inbox.length, 1, "exactly one reply");
      check.equal(storedMessages(sim), 0, "the command SMS was deleted from the modem");
    },
  },
  {
    name: "where-without-fix",
    description: "The owner texts WHERE before the GNSS has a fix and gets an honest 'no position yet'.",
    options: { gnssSource: { ...defaultDrive(), coldStartS: 3600 } },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const reply = await sim.ask(sim.owner, "where?", REPLY_WITHIN_MS);
      check.match(reply?.text, /^No position yet: GNSS has had no fix since power-on/, "the reply says there is no fix yet");
      check.ok(!linkCoordinates(reply?.text), "the reply has no map link", reply?.text ?? "");
      await sim.runFor(REPLY_WITHIN_MS);
      check.equal(sim.owner.inbox.length, 1, "exactly one reply");
      check.equal(storedMessages(sim), 0, "the command SMS was deleted from the modem");
    },
  },
  {
    name: "where-fix-lost",
    description: "The vehicle enters a tunnel: WHERE answers with the last known position, clearly not live.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(60_000);
      sim.gnss.setSignalLost(true);
      await sim.runFor(120_000);
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^NO live position \(no satellite fix\)\. Last known, 2 min old:/, "the reply says the position is not live and how old it is");
      check.ok(!!linkCoordinates(reply?.text), "the reply carries the last known position", reply?.text ?? "");
      check.ok(!/Live/.test(reply?.text ?? ""), "the reply never calls it live");
    },
  },
  {
    name: "stranger-where",
    description: "An unregistered number texts WHERE: no reply, and its message is deleted.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(30_000);
      const reply = await sim.ask(sim.stranger, "WHERE", 60_000);
      check.equal(reply, undefined, "the stranger gets no reply");
      check.equal(storedMessages(sim), 0, "the stranger's message was deleted from the modem");
      check.ok(
        sim.device.logs.some((l) => l.tag === "auth" && l.message.includes("+1415***0123")),
        "the attempt is logged with the number masked",
      );
      check.ok(!sim.device.logs.some((l) => l.message.includes("+14155550123")), "the full number never appears in logs");
    },
  },
  {
    name: "spoofed-suffix",
    description: "A sender whose number only ends like the owner's (or contains it) is not the owner.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      sim.stranger.sendAs("+4414085550199", sim.trackerNumber, "WHERE");
      sim.stranger.sendAs("5550199", sim.trackerNumber, "WHERE");
      sim.stranger.sendAs("OWNER", sim.trackerNumber, "WHERE");
      await sim.runFor(60_000);
      check.equal(sim.network.messagesFrom(sim.trackerNumber).length, 0, "none of them gets a reply");
      check.equal(storedMessages(sim), 0, "all three messages were deleted");
    },
  },
  {
    name: "unclaimed-device",
    description: "A factory-fresh tracker with no owner answers nobody.",
    options: { ownerNumber: null },
    registered: [],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      sim.owner.send(sim.trackerNumber, "WHERE");
      sim.stranger.send(sim.trackerNumber, "HELP");
      await sim.runFor(60_000);
      check.equal(sim.network.messagesFrom(sim.trackerNumber).length, 0, "nobody gets a reply");
      check.equal(storedMessages(sim), 0, "the messages were deleted");
    },
  },
  {
    name: "modem-error-on-send",
    description: "The modem answers ERROR to the first AT+CMGS: the reply is retried and arrives exactly once.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(30_000);
      sim.modem.injectFault({ match: "AT+CMGS", reply: "ERROR", times: 1 });
      const reply = await sim.ask(sim.owner, "WHERE", 60_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner still gets the position");
      await sim.runFor(60_000);
      check.equal(sim.owner.inbox.length, 1, "exactly one reply, never two");
    },
  },
  {
    name: "modem-error-on-read",
    description: "The modem answers +CMS ERROR to the first AT+CMGR: the message is read again and answered once.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(30_000);
      sim.modem.injectFault({ match: "AT+CMGR", reply: "cms:500", times: 1 });
      const reply = await sim.ask(sim.owner, "WHERE", 60_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner still gets the position");
      await sim.runFor(60_000);
      check.equal(sim.owner.inbox.length, 1, "exactly one reply");
      check.equal(storedMessages(sim), 0, "the message was deleted");
    },
  },
  {
    name: "modem-error-during-init",
    description: "The modem keeps answering ERROR to AT+CNMI at start-up: the tracker reports it, retries later, and works once the modem does.",
    async run(sim, check) {
      sim.modem.injectFault({ match: "AT+CNMI", reply: "ERROR", times: Infinity });
      const cnmiFailure = () => sim.device.logs.some((l) => l.level === "info" && /-> modem-failed \(AT\+CNMI/.test(l.message));
      check.ok(
        await sim.clock.runUntilCondition(cnmiFailure, READY_WITHIN_MS),
        "the failed start-up is reported with the command that failed",
        `state ${sim.device.state}`,
      );
      sim.modem.clearFaults();
      check.ok(await sim.waitForState("ready", 120_000), "the tracker retries and becomes ready");
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^Live GNSS fix/, "WHERE works after the recovery");
    },
  },
  {
    name: "message-waiting-at-boot",
    description: "A WHERE stored on the SIM before the tracker started (no +CMTI for it) is found and answered.",
    async run(sim, check) {
      sim.modem.storeDirect(sim.owner.number, "WHERE");
      if (!(await ready(sim, check))) return;
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, REPLY_WITHIN_MS);
      check.equal(sim.owner.inbox.length, 1, "the waiting message is answered once");
      check.match(sim.owner.inbox[0]?.text, /^(Live GNSS fix|No position yet|NO live position)/, "the answer is a WHERE reply");
      check.equal(storedMessages(sim), 0, "the message was deleted");
    },
  },
  {
    name: "modem-power-key",
    description: "The modem starts switched off: the firmware finds it silent, presses PWRKEY for 1 s, and it comes up.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const presses = sim.device.pinWrites.filter((p) => p.pin === "modemPowerKey");
      const down = presses.find((p) => p.value === 1);
      const up = presses.find((p) => p.value === 0 && down && p.atMs > down.atMs);
      check.ok(!!down && !!up, "the power key was pressed and released", JSON.stringify(presses));
      if (down && up) check.near(up.atMs - down.atMs, 1000, 1, "the press lasts 1 s (an A76xx needs 2.5 s to switch off)");
      check.equal(presses.filter((p) => p.value === 1).length, 1, "pressed exactly once");
      check.equal(sim.modem.boots, 1, "the modem booted once");
      check.ok(
        sim.device.pinWrites.some((p) => p.pin === "modemPowerOn" && p.value === 1),
        "the modem power rail (POWERON) is switched on",
      );
    },
  },
  {
    name: "modem-already-on",
    description: "When the modem is already on, the firmware never touches its power key.",
    options: { modemOnAtStart: true },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      check.equal(
        sim.device.pinWrites.filter((p) => p.pin === "modemPowerKey" && p.value === 1).length,
        0,
        "the power key is never pressed",
      );
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^(Live GNSS fix|No position yet)/, "WHERE is answered");
    },
  },
  {
    name: "installer-provisioning",
    description: "An unclaimed tracker flashed with an owner number in its build configuration answers that owner, and keeps it in flash.",
    options: { ownerNumber: null, installerOwnerNumber: "(408) 555-0199" },
    registered: ["+14085550199"],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^(Live GNSS fix|No position yet)/, "the installer's owner is answered");
      check.ok(JSON.stringify(sim.device.store).includes("+14085550199"), "the owner is saved in flash, normalised to E.164");
      const stranger = await sim.ask(sim.stranger, "WHERE", REPLY_WITHIN_MS);
      check.equal(stranger, undefined, "nobody else is answered");
    },
  },
  {
    name: "modem-reboot-during-reply",
    description: "The modem reboots on its own while the reply is being sent: after re-initialising, the owner gets exactly one reply.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(30_000);
      sim.owner.send(sim.trackerNumber, "WHERE");
      const sending = () => sim.modem.traffic.some((t) => t.direction === "to-modem" && t.text.startsWith("AT+CMGS"));
      check.ok(await sim.clock.runUntilCondition(sending, REPLY_WITHIN_MS), "the tracker starts sending the reply");
      sim.modem.reboot();
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, 90_000);
      await sim.runFor(60_000);
      check.equal(sim.owner.inbox.length, 1, "exactly one reply");
      check.match(sim.owner.inbox[0]?.text, /^Live GNSS fix/, "it is the position");
      check.equal(sim.device.state, "ready", "the tracker is ready again");
      check.equal(storedMessages(sim), 0, "the command SMS was deleted");
    },
  },
  {
    name: "help-and-unknown",
    description: "HELP lists the commands; an unknown command gets a short pointer to HELP.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const help = await sim.ask(sim.owner, "help", REPLY_WITHIN_MS);
      check.match(help?.text, /WHERE/, "HELP mentions WHERE");
      const unknown = await sim.ask(sim.owner, "STATS", REPLY_WITHIN_MS);
      check.equal(unknown?.text, "Unknown command 'STATS'. Send HELP for the list of commands.", "unknown command reply");
    },
  },
];

/** Look a scenario up by name. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export { DEFAULT_OWNER };

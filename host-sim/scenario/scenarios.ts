/**
 * End-to-end scenarios: each drives the simulated world and records expectations. They run
 * headless from the CLI (`npx tracker run <name>`) and in the test suite on both engines.
 */
import type { Simulation, SimulationOptions } from "../simulation.ts";
import { DEFAULT_OWNER, firmwareProfileName } from "../simulation.ts";
import { findModemProfile } from "../../src/modem/profiles.ts";
import { PROFILE_NAMES, getProfile, type ProfileName } from "../modem/profiles.ts";
import type { Checks } from "./checks.ts";
import { READY_WITHIN_MS, REPLY_WITHIN_MS, checkStrangerLoggedMasked, linkCoordinates, ready, storedMessages } from "./scenario-helpers.ts";
import { UNCONFIRMED_NOTICE } from "../../src/sms/sms-outbox.ts";
import { CORE_SCENARIOS } from "./core-scenarios.ts";
import { HARDENING_SCENARIOS } from "./hardening-scenarios.ts";
import { ACCESS_SCENARIOS } from "./access-scenarios.ts";
import { ATTACK_SCENARIOS } from "./attack-scenarios.ts";
import { ALERT_SCENARIOS } from "./alert-scenarios.ts";
import { VEHICLE_SCENARIOS } from "./vehicle-scenarios.ts";
import { THEFT_SCENARIOS } from "./theft-scenarios.ts";
import { BENCH_SCENARIOS } from "./bench-scenarios.ts";
import { BOARD_SCENARIOS } from "./board-scenarios.ts";

export interface Scenario {
  name: string;
  description: string;
  options?: SimulationOptions;
  /** Numbers allowed to receive SMS from the tracker in this scenario. */
  registered?: readonly string[];
  /** Why it cannot run on the Moddable runtime (one build for every scenario), when it cannot. */
  notOnModdable?: string;
  /**
   * Why the modem's dialect cannot change its outcome (it tests the firmware's own rules), when so:
   * the suite then runs it on the default profile only, not once per modem profile.
   */
  profileFree?: string;
  /** The scenario file it was read from (files under test/scenario-files), when it was. */
  source?: string;
  run(sim: Simulation, check: Checks): Promise<void>;
}



/** A WHERE reply of any kind (live, last known, or no position yet). */
const WHERE_REPLY = /^(Live GNSS fix|No position yet|NO live position)/;

/** Firmware → modem command lines seen by the modem (echo and modem output left out). */
function commandsSent(sim: Simulation, prefix: string): string[] {
  return sim.modem.traffic
    .filter((t) => t.direction === "to-modem" && t.kind !== "ignored" && t.text.toUpperCase().startsWith(prefix.toUpperCase()))
    .map((t) => t.text);
}

/** Everything the modem wrote to the firmware, as one string. */
function modemOutput(sim: Simulation): string {
  return sim.modem.traffic.filter((t) => t.direction === "from-modem").map((t) => t.text).join("");
}

/** Run until the modem has received a command line starting with `prefix` (beyond `already` of them). */
function untilCommand(sim: Simulation, prefix: string, limitMs: number, already = commandsSent(sim, prefix).length): Promise<boolean> {
  return sim.clock.runUntilCondition(() => commandsSent(sim, prefix).length > already, limitMs);
}

/**
 * The exactly-once rule as the owner sees it: `replies` replies matching `pattern` (never two copies
 * of one), `notices` unconfirmed-send notices, and nothing else.
 */
function ownerGot(sim: Simulation, check: Checks, expected: { replies: number; notices: number; pattern?: RegExp }): void {
  const inbox = sim.owner.inbox.map((m) => m.text);
  const notices = inbox.filter((t) => t === UNCONFIRMED_NOTICE);
  const replies = inbox.filter((t) => t !== UNCONFIRMED_NOTICE);
  const detail = JSON.stringify(inbox);
  check.ok(replies.length === expected.replies, `the owner got exactly ${expected.replies} reply(ies)`, detail);
  check.ok(notices.length === expected.notices, `the owner got exactly ${expected.notices} 'may not have been sent' notice(s)`, detail);
  check.ok(new Set(replies).size === replies.length, "no reply arrived twice", detail);
  if (expected.pattern) for (const r of replies) check.match(r, expected.pattern, "each reply answers the command");
}

/** One scenario per modem dialect: power key → boot → ready → WHERE → one reply, in PDU mode. */
function profileScenario(profile: ProfileName): Scenario {
  const p = getProfile(profile);
  return {
    name: `profile-${profile}`,
    description: `${p.manufacturer} ${p.model}: the firmware powers it on, sees its boot sequence, gets ready and answers WHERE once, in PDU mode.`,
    options: { modemProfile: profile },
    async run(sim, check) {
      const m = sim.modem.profile;
      if (!(await ready(sim, check))) return;
      check.equal(m.name, sim.modemProfile, "the modem runs the asked-for profile");
      check.equal(sim.modem.boots, 1, "the modem booted once");
      check.equal(
        sim.powerKeyPresses.map((k) => k.effect).join(","),
        "on",
        "one power-key press, long enough for this module to switch on",
      );
      check.ok(
        !sim.device.logs.some((l) => /unknown modem profile/.test(l.message)),
        "the firmware knows the profile from its build configuration",
      );
      check.ok(commandsSent(sim, "AT+CMGF=0").length > 0, "the firmware put the modem in PDU mode (AT+CMGF=0)");
      check.equal(commandsSent(sim, "AT+CMGF=1").length, 0, "never in text mode");
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, WHERE_REPLY, "the owner's WHERE is answered");
      await sim.runFor(REPLY_WITHIN_MS);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: WHERE_REPLY });
      const cmgs = commandsSent(sim, "AT+CMGS");
      check.ok(cmgs.length === 1 && /^AT\+CMGS=\d+\r$/.test(cmgs[0]!), "the reply went in PDU mode (AT+CMGS=<length>), once", JSON.stringify(cmgs));
      check.equal(storedMessages(sim), 0, "the command SMS was deleted from the modem");
      // Some boot lines (PB DONE) may come after the firmware is already ready.
      const out = modemOutput(sim);
      const expected = m.boot.filter((l) => l.text !== "" && !l.fixedBaudOnly).map((l) => l.text);
      const missing = expected.filter((text) => !out.includes(`\n${text}\r`));
      check.ok(missing.length === 0, `the modem printed its boot sequence (${expected.join(", ")})`, `missing ${missing.join(", ")}`);
    },
  };
}

/** The modem reboots by itself while idle; the tracker must notice, set it up again and answer. */
function rebootIdleScenario(name: string, description: string, options?: SimulationOptions): Scenario {
  return {
    name,
    description,
    ...(options ? { options } : {}),
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      const cmgfBefore = commandsSent(sim, "AT+CMGF=0").length;
      sim.modem.rebootAt(sim.clock.nowMs + 5_000);
      const left = await sim.clock.runUntilCondition(() => sim.device.state !== "ready", 30_000);
      check.ok(left, "the tracker notices the reboot (it leaves 'ready')");
      check.ok(await sim.waitForState("ready", READY_WITHIN_MS), "it is ready again", `state ${sim.device.state}`);
      check.equal(sim.modem.boots, 2, "the modem booted twice (power-on, unsolicited reboot)");
      check.equal(sim.powerKeyPresses.length, 1, "the power key was not pressed again (the modem came back by itself)");
      check.ok(commandsSent(sim, "AT+CMGF=0").length > cmgfBefore, "the modem's settings (lost in the reboot) were set again");
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^Live GNSS fix/, "WHERE works after the reboot");
      await sim.runFor(REPLY_WITHIN_MS);
      ownerGot(sim, check, { replies: 1, notices: 0 });
    },
  };
}

/** Ready, then 30 s of driving so WHERE has a live fix. */
async function readyWithFix(sim: Simulation, check: Checks): Promise<boolean> {
  if (!(await ready(sim, check))) return false;
  await sim.runFor(30_000);
  return true;
}

const PROFILE_SCENARIOS: readonly Scenario[] = PROFILE_NAMES.map(profileScenario);

/** Every modem fault the virtual modem can inject: each still ends in one answer (or one clear notice). */
const FAULT_SCENARIOS: readonly Scenario[] = [
  {
    name: "fault-cmgs-timeout",
    description: "The modem swallows the first AT+CMGS (no prompt, no answer): the reply is sent again after the time-out and arrives once.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGS", reply: "timeout", times: 1 });
      // SIMCom modems are given 60 s to answer AT+CMGS, Quectel 120 s.
      const reply = await sim.ask(sim.owner, "WHERE", 180_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner gets the position");
      await sim.runFor(60_000);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.equal(commandsSent(sim, "AT+CMGS").length, 2, "AT+CMGS was tried twice (the body was never written the first time)");
      check.equal(sim.device.state, "ready", "the tracker is ready");
    },
  },
  {
    name: "fault-cms-error",
    description: "The modem takes the reply's body, then answers +CMS ERROR: 500 (transient): it is sent again and arrives once.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGS", reply: "cms:500", stage: "submit", times: 1 });
      const reply = await sim.ask(sim.owner, "WHERE", 60_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner gets the position");
      await sim.runFor(60_000);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.equal(commandsSent(sim, "AT+CMGS").length, 2, "sent twice to the modem, once to the network");
      check.equal(sim.modem.submissions.length, 1, "the network got it once");
    },
  },
  {
    name: "fault-cme-error-on-read",
    description: "The modem answers +CME ERROR: 14 (SIM busy) to the first AT+CMGR: the message is read again and answered once.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGR", reply: "cme:14", times: 1 });
      const reply = await sim.ask(sim.owner, "WHERE", 60_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner gets the position");
      await sim.runFor(60_000);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.ok(commandsSent(sim, "AT+CMGR").length >= 2, "the message was read again");
      check.equal(storedMessages(sim), 0, "the message was deleted");
    },
  },
  rebootIdleScenario(
    "fault-reboot-idle",
    "The modem reboots on its own while idle: the tracker re-initialises it, and the next WHERE is answered once.",
  ),
  rebootIdleScenario(
    "fault-reboot-idle-sim800",
    "A SIM800 on autobaud reboots on its own (no RDY: only +CFUN, +CPIN: READY, Call Ready, SMS Ready): the tracker must notice and answer WHERE.",
    { modemProfile: "sim800" },
  ),
  {
    name: "fault-reboot-after-submit",
    description: "The modem reboots right after the reply's body was written: it is not sent again (it might have gone); the owner gets one notice.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGS", reply: "reboot", stage: "submit", times: 1 });
      sim.owner.send(sim.trackerNumber, "WHERE");
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, 120_000);
      await sim.runFor(90_000);
      ownerGot(sim, check, { replies: 0, notices: 1 });
      check.equal(sim.modem.boots, 2, "the modem rebooted once");
      const bodies = sim.modem.traffic.filter((t) => t.direction === "to-modem" && t.text.endsWith("\x1a")).map((t) => t.text);
      check.ok(bodies.length >= 2 && bodies.filter((b) => b === bodies[0]).length === 1, "the reply's body was written to the modem once", JSON.stringify(bodies));
      check.equal(sim.modem.submissions.length, 1, "the network got one message: the notice");
      check.equal(sim.device.state, "ready", "the tracker is ready again");
      check.equal(storedMessages(sim), 0, "the command SMS was deleted");
    },
  },
  {
    name: "fault-result-lost",
    description: "The network takes the reply but its +CMGS result never comes: the owner gets the reply once plus one notice, never two copies.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGS", reply: "timeout", stage: "result", times: 1 });
      sim.owner.send(sim.trackerNumber, "WHERE");
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length >= 2, 180_000);
      await sim.runFor(60_000);
      ownerGot(sim, check, { replies: 1, notices: 1, pattern: /^Live GNSS fix/ });
      check.ok(sim.network.log.some((r) => r.unconfirmed === true), "the network has the reply as sent but unconfirmed");
      check.match(sim.owner.inbox[0]?.text, /^Live GNSS fix/, "the reply came first, the notice after");
      check.equal(sim.modem.submissions.length, 2, "the network got two messages: the reply and the notice");
      check.equal(sim.device.state, "ready", "the tracker stays ready");
    },
  },
  {
    name: "fault-sim-removed",
    description: "The SIM is pulled: the tracker reports no SIM; a WHERE sent meanwhile waits in the network and is answered once after the SIM is back.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.removeSim();
      check.ok(await sim.waitForState("modem-failed", 10_000), "the tracker reports the modem as failed", `state ${sim.device.state}`);
      check.ok(
        sim.device.logs.some((l) => /-> modem-failed \(SIM removed/.test(l.message)),
        "the reason says the SIM was removed",
        sim.device.logs.filter((l) => l.tag === "app").map((l) => l.message).join(" | "),
      );
      const where = sim.owner.send(sim.trackerNumber, "WHERE");
      await sim.runFor(90_000);
      check.equal(where.status, "waiting", "the WHERE waits in the network while there is no SIM");
      check.equal(sim.owner.inbox.length, 0, "nothing is sent without a SIM");
      sim.modem.insertSim();
      sim.modem.reboot();
      check.ok(await sim.waitForState("ready", READY_WITHIN_MS), "SIM back and modem restarted: ready again", `state ${sim.device.state}`);
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, REPLY_WITHIN_MS);
      await sim.runFor(REPLY_WITHIN_MS);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.equal(storedMessages(sim), 0, "the command SMS was deleted");
    },
  },
  {
    name: "fault-sim-pin",
    description: "The SIM asks for its PIN and the PIN is in the settings: the firmware enters it once, becomes ready and answers WHERE.",
    options: { modemOptions: { simPin: "4321" }, settings: { simPin: "4321" } },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      check.equal(commandsSent(sim, "AT+CPIN=").length, 1, "the PIN was entered once");
      check.equal(sim.modem.simState, "ready", "the SIM is unlocked");
      check.ok(!sim.device.logs.some((l) => l.message.includes("4321")), "the PIN never appears in a log line");
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, WHERE_REPLY, "WHERE is answered");
      await sim.runFor(REPLY_WITHIN_MS);
      ownerGot(sim, check, { replies: 1, notices: 0 });
    },
  },
  {
    name: "fault-sim-pin-missing",
    description: "The SIM asks for a PIN that is not configured: the tracker reports why, never guesses a PIN, and answers nothing.",
    options: { modemOptions: { simPin: "4321" } },
    async run(sim, check) {
      check.ok(await sim.waitForState("modem-failed", READY_WITHIN_MS), "the tracker reports the modem as failed", `state ${sim.device.state}`);
      check.ok(
        sim.device.logs.some((l) => /-> modem-failed \(.*PIN/.test(l.message)),
        "the reason mentions the SIM PIN",
        sim.device.logs.filter((l) => l.tag === "app").map((l) => l.message).join(" | "),
      );
      sim.owner.send(sim.trackerNumber, "WHERE");
      await sim.runFor(120_000);
      check.equal(commandsSent(sim, "AT+CPIN=").length, 0, "no PIN was ever sent");
      check.equal(sim.modem.simTriesLeft.pin, 3, "no PIN attempt was used up");
      check.equal(sim.owner.inbox.length, 0, "nothing is answered while the SIM is locked");
    },
  },
  {
    name: "fault-registration-lost",
    description: "Network registration is lost while the reply is being sent (+CMS ERROR: 331): it is retried after the network is back and arrives once.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.owner.send(sim.trackerNumber, "WHERE");
      check.ok(await untilCommand(sim, "AT+CMGR", REPLY_WITHIN_MS), "the tracker reads the command");
      sim.modem.loseRegistration();
      const noService = () => /\+CMS ERROR: (331|no network service)/.test(modemOutput(sim));
      check.ok(await sim.clock.runUntilCondition(noService, 30_000), "the modem refuses to send: +CMS ERROR: 331 (no network service)");
      await sim.runFor(3_000);
      sim.modem.restoreRegistration();
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, 60_000);
      await sim.runFor(60_000);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.equal(sim.modem.submissions.length, 1, "the network got the reply once");
    },
  },
  {
    name: "fault-registration-lost-long",
    description:
      "Registration is lost for 90 s while the reply is being sent (a car park): once the network is back the owner must get the reply (or one notice), not silence.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.owner.send(sim.trackerNumber, "WHERE");
      check.ok(await untilCommand(sim, "AT+CMGR", REPLY_WITHIN_MS), "the tracker reads the command");
      sim.modem.loseRegistration();
      await sim.runFor(90_000);
      check.equal(sim.owner.inbox.length, 0, "nothing can be sent without the network");
      sim.modem.restoreRegistration();
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, 5 * 60_000);
      await sim.runFor(60_000);
      const got = sim.owner.inbox.map((m) => m.text);
      check.ok(
        got.length === 1 && (WHERE_REPLY.test(got[0]!) || got[0] === UNCONFIRMED_NOTICE),
        "after the network is back the owner gets exactly one message: the reply or one notice",
        JSON.stringify(got),
      );
    },
  },
  {
    name: "fault-garbage",
    description:
      "Line noise: junk bytes between the modem's responses during the exchange, and inside AT+CMGD's answer (the delete is not confirmed): one reply, never two.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.startNoise({ intervalMs: [300, 2000], maxBytes: 4 });
      sim.modem.injectFault({ match: "AT+CMGD", reply: "garbage", times: 1 });
      const reply = await sim.ask(sim.owner, "WHERE", 90_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner gets the position");
      await sim.runFor(60_000);
      sim.modem.stopNoise();
      check.ok(sim.modem.noiseBytes > 0, "junk bytes were sent", `${sim.modem.noiseBytes}`);
      // The store sweep (every 5 min) finds the message again if its delete was lost: not answered twice.
      await sim.runFor(6 * 60_000);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.equal(storedMessages(sim), 0, "the command SMS was deleted");
      check.equal(sim.device.state, "ready", "the tracker is ready");
    },
  },
  {
    name: "fault-delete-lost",
    description: "The modem swallows AT+CMGD after the reply was sent: the message is still stored; the next store sweep finds it and deletes it without a second reply.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGD", reply: "timeout", times: 1 });
      const reply = await sim.ask(sim.owner, "WHERE", 60_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner gets the position");
      await sim.runFor(30_000);
      check.equal(storedMessages(sim), 1, "the message is still in the modem (its delete was lost)");
      await sim.runFor(6 * 60_000);
      check.ok(commandsSent(sim, "AT+CMGR=").length >= 2, "the sweep read it again");
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.equal(storedMessages(sim), 0, "then it was deleted");
    },
  },
  {
    name: "fault-garbage-in-pdu",
    description:
      "Line noise lands inside the +CMGR PDU of the owner's WHERE (a non-hex byte): the message must be read again, not deleted unanswered.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGR", reply: "garbage", times: 1 });
      const reply = await sim.ask(sim.owner, "WHERE", 60_000);
      check.match(reply?.text, /^Live GNSS fix/, "the owner gets the position");
      await sim.runFor(60_000);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: /^Live GNSS fix/ });
      check.equal(storedMessages(sim), 0, "the command SMS was deleted");
    },
  },
  {
    name: "fault-storage-full",
    description: "The SIM store fills up while running: the owner's WHERE waits in the network until the tracker's periodic sweep frees the store, then is answered once.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      const filled = sim.modem.fillStorage();
      check.ok(filled > 0, "the store is full", `${filled} filler messages`);
      const where = sim.owner.send(sim.trackerNumber, "WHERE");
      await sim.runFor(10_000);
      check.equal(where.status, "waiting", "the WHERE waits in the network (memory full)");
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > 0, 15 * 60_000);
      await sim.runFor(REPLY_WITHIN_MS);
      ownerGot(sim, check, { replies: 1, notices: 0, pattern: WHERE_REPLY });
      check.equal(storedMessages(sim), 0, "the store was emptied");
      check.equal(sim.network.messagesFrom(sim.trackerNumber).length, 1, "the fillers (from a stranger) were not answered");
    },
  },
];

/** Messages a tracker must ignore, and commands in every shape the network can deliver them. */
const MESSAGE_SCENARIOS: readonly Scenario[] = [
  {
    name: "special-messages",
    description:
      "Status report, WAP push, flash and binary SMS from the owner are deleted unanswered; a 2-part WHERE (in order, and reversed with 16-bit refs) and 'WHERE 📍' are each answered once.",
    async run(sim, check) {
      if (!(await readyWithFix(sim, check))) return;
      const owner = sim.owner.number;
      for (const kind of ["status-report", "wap-push", "flash", "binary"] as const) {
        sim.network.submitSpecial(owner, sim.trackerNumber, kind, kind === "flash" ? { text: "WHERE" } : {});
      }
      await sim.runFor(30_000);
      check.equal(sim.owner.inbox.length, 0, "none of the four special messages is answered");
      check.equal(storedMessages(sim), 0, "all four were deleted from the modem");
      check.ok(
        sim.network.messagesTo(sim.trackerNumber).every((m) => m.status === "delivered"),
        "they all reached the modem",
      );

      const long = `WHERE are you parked? ${"This message is long enough to need two parts. ".repeat(4)}`.trim();
      const inOrder = await sim.ask(sim.owner, long, 60_000);
      check.match(inOrder?.text, /^Live GNSS fix/, "a 2-part WHERE (parts in order) is answered");
      check.equal(sim.network.messagesTo(sim.trackerNumber).at(-1)!.status, "delivered", "it was delivered");

      const before = sim.owner.inbox.length;
      sim.network.submit(owner, sim.trackerNumber, long.replace("parked", "now"), { delivery: { refBits: 16, partOrder: "reverse" } });
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > before, 60_000);
      check.match(sim.owner.inbox[before]?.text, /^Live GNSS fix/, "a 2-part WHERE with 16-bit refs, parts in reverse order, is answered");

      const pin = await sim.ask(sim.owner, "WHERE 📍", 60_000);
      check.match(pin?.text, /^Live GNSS fix/, "'WHERE 📍' (UCS-2) is answered");
      await sim.runFor(60_000);
      ownerGot(sim, check, { replies: 3, notices: 0, pattern: /^Live GNSS fix/ });
      check.ok(!sim.owner.inbox.some((m) => /incomplete/.test(m.text)), "no message was taken as incomplete");
      check.equal(storedMessages(sim), 0, "every part was deleted from the modem");
    },
  },
];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "where-with-fix",
    description: "The owner texts WHERE while the vehicle drives with a fix and gets its live position with a map link.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(60_000); // well past the 10 s cold start, mid-drive
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^Live GNSS fix, \d+ s old \(\d\d:\d\d:\d\d UTC\):/, "the reply says the fix is live, how old it is and its UTC time");
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
    name: "stranger-where",
    description: "An unregistered number texts WHERE: no reply, and its message is deleted.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(30_000);
      const reply = await sim.ask(sim.stranger, "WHERE", 60_000);
      check.equal(reply, undefined, "the stranger gets no reply");
      check.equal(storedMessages(sim), 0, "the stranger's message was deleted from the modem");
      checkStrangerLoggedMasked(sim, check);
    },
  },
  {
    name: "stranger-flood-digest",
    description:
      "300 texts from 30 unregistered numbers over two hours: none is answered, the owner gets one digest an hour (not 300 SMS), and the owner's WHERE is still answered.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const strangers = Array.from({ length: 30 }, (_, k) => `+1415555${String(1000 + k)}`);
      for (let round = 0; round < 10; round++) {
        for (const number of strangers) sim.stranger.sendAs(number, sim.trackerNumber, round % 2 ? "WHERE" : "PIN 1234");
        await sim.runFor(12 * 60_000);
      }
      await sim.runFor(60 * 60_000);
      const sent = sim.network.messagesFrom(sim.trackerNumber);
      check.equal(sent.filter((m) => m.to !== sim.owner.number).length, 0, "no stranger gets anything");
      check.equal(sent.length, 3, "one digest an hour to the owner (a minute after the first text, then hourly)");
      const total = sent.reduce((sum, m) => sum + Number(/^Ignored (\d+) messages/.exec(m.text)?.[1] ?? 0), 0);
      check.equal(total, 300, "the digests count every ignored text");
      check.match(sent[0]?.text, /^Ignored \d+ messages from \d+ unknown senders: \+1415\*\*\*1000, \+1415\*\*\*1001, \+1415\*\*\*1002 and \d+ more\. Only registered numbers get answers\.$/, "the first digest");
      check.ok(!sent.some((m) => /PIN|WHERE|1234/.test(m.text)), "a digest never carries what a stranger wrote");
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.ok(reply !== undefined, "the owner's own command still works");
      check.equal(storedMessages(sim), 0, "every message was deleted");
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
    description: "The modem starts switched off: the firmware finds it silent, presses PWRKEY as long as its profile says to switch it on (1 s for an A76xx), and it comes up.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      // the firmware's timing for this modem (its profile), not the A76xx's
      const timing = findModemProfile(firmwareProfileName(sim.modemProfile))!.powerKey;
      const presses = sim.device.pinWrites.filter((p) => p.pin === "modemPowerKey");
      const down = presses.find((p) => p.value === 1);
      const up = presses.find((p) => p.value === 0 && down && p.atMs > down.atMs);
      check.ok(!!down && !!up, "the power key was pressed and released", JSON.stringify(presses));
      // (real timers on the Moddable runtime: the console line arrives a few ms late)
      const toleranceMs = sim.clock.followsWallClock ? 50 : 1;
      if (down && up) {
        check.near(up.atMs - down.atMs, timing.onPulseMs, toleranceMs, `the press lasts ${timing.onPulseMs} ms, well below the ${timing.offPulseMs} ms that would switch it off`);
      }
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
    notOnModdable: "the owner number is a build option here, and the Moddable app is built once for every scenario",
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
  ...PROFILE_SCENARIOS,
  ...FAULT_SCENARIOS,
  ...MESSAGE_SCENARIOS,
  ...CORE_SCENARIOS,
  ...HARDENING_SCENARIOS,
  ...ACCESS_SCENARIOS,
  ...ATTACK_SCENARIOS,
  ...ALERT_SCENARIOS,
  ...VEHICLE_SCENARIOS,
  ...THEFT_SCENARIOS,
  ...BENCH_SCENARIOS,
  ...BOARD_SCENARIOS,
];

/** Named groups for `tracker run <group>`. */
export const SCENARIO_GROUPS: Readonly<Record<string, readonly Scenario[]>> = Object.freeze({
  all: SCENARIOS,
  /** What CI proves on the Moddable runtime: boot, WHERE with and without a fix, a stranger, a 2-part command, a modem reboot, a restart. */
  core: CORE_SCENARIOS,
});

/** Look a scenario up by name. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export { DEFAULT_OWNER };

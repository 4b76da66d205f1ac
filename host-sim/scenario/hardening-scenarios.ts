/**
 * Scenarios from the hardening review: what an attacker or an unlucky network could do to the
 * tracker, each run end to end on every engine. The defects they were written for are named in
 * each description (issue "Hardening: twelve defects").
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import { READY_WITHIN_MS, REPLY_WITHIN_MS, WHERE_REPLY_WITHIN_MS, ready } from "./scenario-helpers.ts";
import { encodeAddress, encodeDeliverParts, encodeDeliverTpdu, toHex } from "../modem/pdu.ts";
import { parseNmeaLog } from "../gnss/virtual-gnss.ts";
import { buildSentence } from "../gnss/nmea-format.ts";
import { firmwareProfileName } from "../simulation.ts";
import { findModemProfile } from "../../src/modem/profiles.ts";



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

/** The SIM PIN in the SIM PIN scenarios (defect 8): no log line may ever show it. */
const SIM_PIN = "4321";

/** Modems whose AT commands tell the SIM PIN attempts left (SIMCom AT+SPIC, Quectel AT+QPINC). */
const PIN_COUNTER_PROFILES: readonly string[] = Object.freeze(["A7670", "SIM7600", "SIM800", "EG25", "BG96"]);

/** Expect no log line, at any level, to show the SIM PIN. */
function noPinInLogs(sim: Simulation, check: Checks): void {
  const lines = sim.device.logs.filter((l) => l.message.includes(SIM_PIN)).map((l) => `${l.level} ${l.tag}: ${l.message}`);
  check.ok(lines.length === 0, "no log line at any level shows the PIN", lines.join(" | "));
}

/** GSM-7 codes of ASCII letters are the letters' codes. */
function septetsOf(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/** An SMS-DELIVER TPDU (hex) from `from` with GSM-7 `septets`, as a network would send it. */
function deliverTpdu(sim: Simulation, from: string, septets: number[]): Uint8Array {
  return encodeDeliverTpdu({ from, sctsUtcMs: sim.network.utcMs(), zoneQuarterHours: 0, dcs: 0, alphabet: "gsm7", payload: septets });
}

/** The TPDU with its service-centre time stamp unreadable (every semi-octet F). */
function withUnreadableTimeStamp(tpdu: Uint8Array, from: string): string {
  const scts = 1 + encodeAddress(from).length + 2; // first octet, address, PID, DCS
  const damaged = Uint8Array.from(tpdu);
  damaged.fill(0xff, scts, scts + 7);
  return toHex(damaged);
}

/** A GGA-only receiver that reports fix quality 1 with 0 satellites in use: no fix (defect 10). */
function ggaWithoutSatellites(epochs: number): string {
  let text = "";
  for (let s = 0; s < epochs; s++) {
    const time = `2215${String(s % 60).padStart(2, "0")}.00`;
    text += buildSentence("GPGGA", [time, "3723.4659", "N", "12202.2696", "W", "1", "00", "", "25.0", "M", "-32.0", "M", "", ""]) + "\r\n";
  }
  return text;
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
  {
    name: "sim-pin-unknown-outcome",
    description:
      "The SIM PIN gets no answer, then garbled and late echoes of it arrive, then the tracker restarts: the PIN went out once and never again (the attempt is recorded in flash), and no log line shows it (defect 8).",
    options: { modemOptions: { simPin: SIM_PIN }, settings: { simPin: SIM_PIN } },
    async run(sim, check) {
      sim.modem.injectFault({ match: "AT+CPIN=", reply: "timeout" });
      const sentPin = () => commandsSent(sim).filter((c) => c.startsWith("AT+CPIN="));
      check.ok(await sim.clock.runUntilCondition(() => sentPin().length > 0, READY_WITHIN_MS), "the PIN is sent when the SIM asks");
      await sim.runFor(1_000);
      sim.modem.sendGarbage(`\r\n\x00AT+CPIN="${SIM_PIN}"\r\n`);
      check.ok(await sim.waitForState("modem-failed", READY_WITHIN_MS), "no answer: the tracker reports the modem as failed", `state ${sim.device.state}`);
      sim.modem.sendGarbage(`\r\nT+CPIN="${SIM_PIN}"\r\n\r\nat+cpin="${SIM_PIN}\r\n`);
      await sim.runFor(5_000);
      const flash = JSON.stringify(sim.device.store);
      check.ok(flash.includes('\\"simPinAttempt\\":\\"unsettled\\"'), "the attempt of unknown outcome is in flash", flash);
      await sim.restartFirmware();
      check.ok(await sim.waitForState("modem-failed", READY_WITHIN_MS), "after the restart the tracker reports the modem as failed again");
      await sim.runFor(25 * 60_000); // slow re-checks
      check.equal(sentPin().length, 1, "the PIN was sent once, not again after the restart");
      check.ok(
        sim.device.logs.some((l) => / -> modem-failed \(.*outcome is unknown/.test(l.message)),
        "the reason says a person must look at the SIM",
        sim.device.logs.filter((l) => l.tag === "app").map((l) => l.message).join(" | "),
      );
      check.equal(sim.modem.simTriesLeft.pin, 3, "no further PIN attempt was used");
      noPinInLogs(sim, check);
    },
  },
  {
    name: "sim-pin-last-attempt",
    description:
      "The SIM has one PIN attempt left: where the modem tells the attempts left, the tracker does not use it (it is a person's), and says why; a modem that cannot tell gets the PIN (defect 8).",
    options: { modemOptions: { simPin: SIM_PIN, simPinTriesLeft: 1 }, settings: { simPin: SIM_PIN } },
    async run(sim, check) {
      const profile = findModemProfile(firmwareProfileName(sim.modemProfile))!;
      const sentPin = () => commandsSent(sim).filter((c) => c.startsWith("AT+CPIN="));
      const query = profile.pinAttemptsQuery;
      check.equal(query !== undefined, PIN_COUNTER_PROFILES.includes(profile.name), `the ${profile.name} profile ${query ? "asks" : "does not ask"} for the attempts left`);
      if (!query) {
        check.ok(await ready(sim, check), `${profile.name} cannot tell the attempts left: the PIN is sent and the tracker becomes ready`);
        check.equal(sentPin().length, 1, "the PIN was sent once");
        noPinInLogs(sim, check);
        return;
      }
      check.ok(await sim.waitForState("modem-failed", READY_WITHIN_MS), "the tracker reports the modem as failed", `state ${sim.device.state}`);
      await sim.runFor(25 * 60_000); // slow re-checks
      check.ok(commandsSent(sim).includes(query.command), `the attempts left were asked (${query.command})`);
      check.equal(sentPin().length, 0, "the last attempt was not used");
      check.equal(sim.modem.simTriesLeft.pin, 1, "the SIM still has its last attempt");
      check.ok(
        sim.device.logs.some((l) => / -> modem-failed \(.*only one attempt is left/.test(l.message)),
        "the reason says only one attempt is left",
        sim.device.logs.filter((l) => l.tag === "app").map((l) => l.message).join(" | "),
      );
      noPinInLogs(sim, check);
    },
  },
  {
    name: "auto-responder-loop",
    description:
      "The owner's phone answers every SMS by itself (driving mode): the tracker answers three such texts, sends one notice, then stays silent (2 hours watched); the owner's next command is answered (defect 3).",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      let autoReplies = 0;
      let autoOn = true;
      sim.owner.onMessage = () => {
        if (!autoOn) return;
        autoReplies++;
        sim.owner.send(sim.trackerNumber, "I'm driving right now. I'll get back to you when I arrive.");
      };
      sim.owner.send(sim.trackerNumber, "WHERE");
      await sim.runFor(2 * 60 * 60_000);
      const texts = sim.owner.inbox.map((m) => m.text);
      check.equal(texts.length, 5, "the owner got 5 SMS in 2 hours: the WHERE reply, 3 answers, 1 notice (not ~590 an hour)");
      check.match(texts[0], /^(Live GNSS fix|No position yet)/, "the WHERE reply first");
      check.match(texts[4], /^Several messages in a row were not commands/, "then one notice");
      check.equal(autoReplies, 5, "so the auto-responder stopped too");
      autoOn = false;
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^(Live GNSS fix|No position yet)/, "a command afterwards is answered");
    },
  },
  {
    name: "outbox-full-network-refuses",
    description:
      "25 commands arrive while the network refuses every send (+CMS ERROR: 331): the outbox holds 16 replies, the rest wait unread on the SIM, and once the network is back all 25 are answered, once each (defect 4).",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      sim.modem.injectFault({ match: "AT+CMGS", reply: "cms:331", times: Infinity });
      for (let i = 0; i < 25; i++) {
        sim.owner.send(sim.trackerNumber, `WHERE #${i + 1}`);
        await sim.runFor(20_000);
      }
      await sim.runFor(3 * 60_000);
      check.equal(sim.owner.inbox.length, 0, "nothing went out while the network refused");
      check.ok(sim.modem.storedMessages().length >= 9, "the commands the outbox cannot answer yet wait on the SIM", `${sim.modem.storedMessages().length} stored`);
      sim.modem.clearFaults();
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length >= 25, 25 * 60_000);
      await sim.runFor(5 * 60_000);
      check.equal(sim.owner.inbox.length, 25, "all 25 commands were answered");
      check.ok(sim.owner.inbox.every((m) => /^(Live GNSS fix|No position yet)/.test(m.text)), "each with a WHERE reply");
      check.equal(sim.modem.storedMessages().length, 0, "the SIM store is empty again");
      const refused = sim.device.logs.filter((l) => /outbox full|could not be queued/.test(l.message));
      check.ok(refused.length === 0, "no reply was refused by a full outbox", refused.map((l) => l.message).join(" | "));
    },
  },
  {
    name: "undated-commands-answered",
    description:
      "Three WHEREs ten minutes apart from the owner, each with an unreadable service-centre time stamp: none can be a re-delivery, so each gets its reply (defect 5).",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      for (let i = 0; i < 3; i++) {
        const index = sim.modem.deliverRaw(withUnreadableTimeStamp(deliverTpdu(sim, sim.owner.number, septetsOf("WHERE")), sim.owner.number));
        check.ok(index !== undefined, `WHERE ${i + 1} reached the SIM`);
        await sim.runFor(10 * 60_000);
      }
      check.equal(sim.owner.inbox.length, 3, "three replies");
      check.ok(sim.owner.inbox.every((m) => /^(Live GNSS fix|No position yet)/.test(m.text)), "each a WHERE reply");
      check.ok(!sim.device.logs.some((l) => /already handled/.test(l.message)), "none was taken for a duplicate");
    },
  },
  {
    name: "settings-damaged-slot",
    description:
      "The older settings slot's sequence number is raised in flash (its CRC left as it was), then the tracker restarts: that slot is damage, not the newer record, so the owner is still the owner (defect 7).",
    notOnModdable: "the scenario edits the flash between two boots, which the Moddable app's Preference files do not expose here",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const store = sim.device.store;
      const slots = ["cfg.a", "cfg.b"].filter((k) => typeof store[k] === "string");
      check.equal(slots.length, 2, "both settings slots are written (country code, then the owner)");
      const older = slots.sort((a, b) => Number(String(store[a]).split(";")[0]) - Number(String(store[b]).split(";")[0]))[0]!;
      const [, crc, ...json] = String(store[older]).split(";");
      check.ok(!json.join(";").includes(sim.owner.number), "the older slot predates the owner", String(store[older]));
      store[older] = `999;${crc};${json.join(";")}`;
      await sim.restartFirmware();
      if (!(await ready(sim, check))) return;
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^(Live GNSS fix|No position yet)/, "the owner is answered after the restart");
      check.ok(!sim.device.logs.some((l) => l.message.includes("no owner number set")), "the tracker never became unclaimed");
    },
  },
  {
    name: "gsm7-escape-and-udl",
    description:
      "The owner's WHERE arrives as ESC + 'WHERE' (an escape with no extension meaning: the letter itself), then as a PDU with octets after the user data its TP-UDL covers: both are answered as WHERE, the second with a warning (defect 10).",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      sim.modem.deliverRaw(toHex(deliverTpdu(sim, sim.owner.number, [0x1b, ...septetsOf("WHERE")])));
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length >= 1, REPLY_WITHIN_MS);
      check.match(sim.owner.inbox[0]?.text, /^(Live GNSS fix|No position yet)/, "ESC + WHERE reads WHERE");
      const tpdu = deliverTpdu(sim, sim.owner.number, septetsOf("WHERE"));
      sim.modem.deliverRaw(toHex(Uint8Array.from([...tpdu, 0x41, 0x42, 0x43])));
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length >= 2, REPLY_WITHIN_MS);
      check.match(sim.owner.inbox[1]?.text, /^(Live GNSS fix|No position yet)/, "the text is what TP-UDL covers");
      check.ok(sim.device.logs.some((l) => l.level === "warn" && /user data longer than TP-UDL \(3 octet/.test(l.message)), "the extra octets are flagged");
    },
  },
  {
    name: "gga-fix-without-satellites",
    description:
      "A receiver sends GGA only, with fix quality 1 but 0 satellites in use: that is no fix (gpsd agrees), so WHERE gets 'no position', never those coordinates (defect 10).",
    options: { gnssSource: parseNmeaLog(ggaWithoutSatellites(600), "gga-without-satellites") },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(30_000);
      const reply = await sim.ask(sim.owner, "WHERE", WHERE_REPLY_WITHIN_MS);
      check.match(reply?.text, /^No position yet/, "no position (after waiting for a fix)");
      check.ok(!/37\.39/.test(reply?.text ?? ""), "the GGA's coordinates are not given", reply?.text ?? "");
    },
  },
];

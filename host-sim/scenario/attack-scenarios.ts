/**
 * Attacks on who may command the tracker, each a scenario: the owner's number spoofed without the
 * PIN, a day-long PIN brute force with reboots, AT command injection in both SMS modes, a flood of
 * 1,000 SMS from 50 numbers, and a registered number running down the daily budget. In all of them
 * no location or secret reaches an unregistered number (runner invariants: SMS only to registered
 * numbers), no AT command outside the allow list is sent, the budget holds, and the owner's own
 * commands still work afterwards.
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import { DEFAULT_OWNER, DEFAULT_PIN } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import { VirtualPhone } from "../modem/phone.ts";
import { ACCESS_RULES, REPLY_WITHIN_MS, WHERE_REPLY_WITHIN_MS, ready } from "./scenario-helpers.ts";

const ANNA = "+14155550177";
/** A WHERE reply of any kind. */
const WHERE_REPLY = /^(Live GNSS fix|No position yet|NO live position|No position: )/;

/** The registered numbers as the tracker's LIST tells the owner. */
async function listSeenByOwner(sim: Simulation): Promise<string | undefined> {
  const reply = await sim.ask(sim.owner, "LIST", REPLY_WITHIN_MS);
  return reply?.text;
}

/** The owner's WHERE is answered. */
async function ownerStillServed(sim: Simulation, check: Checks): Promise<void> {
  const before = sim.owner.inbox.length;
  sim.owner.send(sim.trackerNumber, "WHERE");
  const answered = () => sim.owner.inbox.slice(before).some((m) => WHERE_REPLY.test(m.text));
  await sim.clock.runUntilCondition(answered, WHERE_REPLY_WITHIN_MS);
  check.ok(answered(), "the owner's own WHERE still works afterwards", JSON.stringify(sim.owner.inbox.slice(before).map((m) => m.text)));
}

/** Every AT+CMGS the modem received named a registered number (text mode) or was a PDU length. */
function sendsOnlyTo(sim: Simulation, check: Checks, registered: readonly string[]): void {
  const cmgs = sim.modem.commandLines.filter((c) => c.command.toUpperCase().startsWith("AT+CMGS")).map((c) => c.command);
  const bad = cmgs.filter((c) => !/^AT\+CMGS=\d+$/i.test(c) && !registered.some((n) => c.includes(`"${n}"`)));
  check.ok(bad.length === 0, "every AT+CMGS addressed a registered number", JSON.stringify(bad));
}

/** Texts that try to break out of an SMS body into AT commands. */
const INJECTIONS = [
  'WHERE\r\nAT+CMGS="+14155550123"\r\nmy location\x1a',
  "WHERE\x1a\r\nAT+CMGD=1,4\r",
  "WHERE\x1b\r\nATD+14155550123;\r",
  'ADD +14155550123 "Eve\r\nAT+CPIN=0000" 2468',
  "HELP\"\r\nAT+CGDCONT=1,\"IP\",\"internet\"\r\n",
  '\r\nAT+CMGS="+14155550123"\r',
];

function injection(mode: "pdu" | "text"): Scenario {
  return {
    name: `attack-at-injection-${mode}`,
    description: `${mode === "pdu" ? "PDU" : "Text"} mode: texts with Ctrl-Z, ESC, CR/LF, quotes and '\\r\\nAT+CMGS=...' from the owner and from a stranger are data: no AT command is injected, nothing goes to the number they name, the owner's WHEREs are answered to the owner only, and the registered list is unchanged.`,
    options: { smsMode: mode },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      for (const text of INJECTIONS) {
        sim.owner.send(sim.trackerNumber, text);
        sim.stranger.send(sim.trackerNumber, text);
        await sim.runFor(20_000);
      }
      await sim.runFor(REPLY_WITHIN_MS);
      const replies = sim.owner.inbox.map((m) => m.text);
      if (mode === "pdu") {
        // (in text mode a body with control characters arrives as UCS-2 hex: not a command, answered as unknown)
        check.ok(replies.filter((t) => WHERE_REPLY.test(t)).length >= 3, "the owner's WHERE look-alikes were answered as WHERE", JSON.stringify(replies));
      }
      check.ok(replies.every((t) => /^(Live GNSS fix|No position yet|Unknown command|'.*' cannot be a name|Ignored |Commands: |That is not)/.test(t)), "the owner got only replies and the digest", JSON.stringify(replies));
      check.equal(sim.stranger.inbox.length, 0, "the stranger got nothing");
      sendsOnlyTo(sim, check, [DEFAULT_OWNER]);
      const injected = sim.modem.commandLines.filter((c) => /^AT(D|\+CMGD=1,4|\+CPIN=0000|\+CGDCONT)/i.test(c.command));
      check.ok(injected.length === 0, "no command from a text reached the modem", JSON.stringify(injected.map((c) => c.command)));
      check.match(await listSeenByOwner(sim), /^1 number: Owner/, "the list is unchanged");
      await ownerStillServed(sim, check);
    },
  };
}

export const ATTACK_SCENARIOS: readonly Scenario[] = [
  {
    name: "attack-spoofed-owner-no-pin",
    profileFree: ACCESS_RULES,
    description:
      "An attacker sends from the owner's number (spoofed) without the PIN: ADD of the attacker's number, DEL, RESET, OWNER and PIN are each refused; the replies go to the real owner, who so learns of the attempt; the list is unchanged and the attacker's own phone gets nothing.",
    registered: [DEFAULT_OWNER],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const attacker = "+14155550666";
      const attempts = [
        `ADD ${attacker} Eve admin`,
        `ADD ${attacker} Eve 1234`,
        "DEL owner 0000",
        "RESET",
        "RESET 1111",
        `OWNER ${attacker}`,
        `OWNER ${attacker} 4321`,
        "PIN 0000 1234",
        "SECURE ON 9999",
      ];
      for (const text of attempts) {
        sim.stranger.sendAs(DEFAULT_OWNER, sim.trackerNumber, text);
        await sim.runFor(20_000);
      }
      const replies = sim.owner.inbox.map((m) => m.text);
      check.ok(replies.length >= attempts.length, "each attempt got an answer, to the real owner", JSON.stringify(replies));
      check.ok(replies.every((t) => /^(Wrong PIN|\w+ needs the PIN|\w+ refused: PIN commands are locked|Send |No such number|Ignored )/.test(t)), "every answer is a refusal", JSON.stringify(replies));
      check.ok(replies.some((t) => /^Wrong PIN 5 times/.test(t)), "the fifth wrong PIN locked PIN commands and the owner was told");
      check.equal(sim.network.messagesTo(attacker).length, 0, "the attacker's number got nothing");
      check.match(await listSeenByOwner(sim), /^1 number: Owner \+1408\*\*\*0199 alerts\.$/, "the list is unchanged");
      await ownerStillServed(sim, check);
    },
  },
  {
    name: "attack-pin-brute-force-day",
    profileFree: ACCESS_RULES,
    description:
      "100 PIN guesses from the owner's spoofed number over a day (the car in a garage: no GNSS), the tracker rebooted after every 20: the growing lockout (1 min, 5 min, 1 h, 24 h) lets only a few through and none succeeds; the owner is told once per lockout; the owner's WHERE still works.",
    registered: [DEFAULT_OWNER],
    // a silent receiver: a day of 1 Hz NMEA would only slow the run (the attack needs no position)
    options: { gnssSource: { kind: "nmea", name: "no sky (garage)", epochs: [], lineCount: 0 } },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const attacker = "+14155550666";
      for (let i = 0; i < 100; i++) {
        const guess = String(1000 + i * 97).padStart(4, "0");
        if (guess === DEFAULT_PIN) continue;
        sim.stranger.sendAs(DEFAULT_OWNER, sim.trackerNumber, `ADD ${attacker} Eve ${guess}`);
        await sim.runFor(14 * 60_000);
        if (i % 20 === 19) {
          await sim.restartFirmware();
          if (!(await ready(sim, check, `ready after reboot ${(i + 1) / 20}`))) return;
        }
      }
      const replies = sim.owner.inbox.map((m) => m.text);
      const counted = replies.filter((t) => /^Wrong PIN/.test(t)).length;
      const lockouts = replies.filter((t) => /^Wrong PIN 5 times/.test(t)).length;
      check.ok(counted <= 20, "at most 20 guesses were even checked in the day (the rest met a lockout)", `${counted} checked`);
      check.ok(lockouts >= 3 && lockouts <= 4, "the owner was told once per lockout", `${lockouts} lockout notices`);
      check.ok(!replies.some((t) => /was added/.test(t)), "no guess succeeded");
      check.equal(sim.network.messagesTo(attacker).length, 0, "the attacker's number got nothing");
      await ownerStillServed(sim, check);
    },
  },
  {
    name: "attack-alphanumeric-owner-digits",
    profileFree: ACCESS_RULES,
    description:
      "A sender whose alphanumeric name spells the owner's digits (\"14085550199\", TON 5) sends WHERE, ADD with the right PIN, OWNER and RESET: none is answered or acts (a name is no number); the owner is still served and the list unchanged.",
    registered: [DEFAULT_OWNER],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      for (const text of ["WHERE", `ADD +14155550666 Eve admin ${DEFAULT_PIN}`, `OWNER +14155550666 ${DEFAULT_PIN}`, `RESET ${DEFAULT_PIN}`]) {
        sim.network.submit("14085550199", sim.trackerNumber, text, { delivery: { senderToa: 0xd0 } });
        await sim.runFor(20_000);
      }
      await sim.runFor(REPLY_WITHIN_MS);
      const sent = sim.network.messagesFrom(sim.trackerNumber);
      check.ok(sent.every((m) => m.to === DEFAULT_OWNER && /^Ignored \d+ messages? from/.test(m.text)), "nothing but the owner's digest went out", JSON.stringify(sent.map((m) => m.text)));
      check.match(await listSeenByOwner(sim), /^1 number: Owner \+1408\*\*\*0199 alerts\.$/, "the list is unchanged");
      await ownerStillServed(sim, check);
    },
  },
  injection("pdu"),
  injection("text"),
  {
    name: "attack-flood-1000",
    profileFree: ACCESS_RULES,
    description:
      "1,000 SMS from 50 unregistered numbers in an hour (WHERE, CLAIM, ACCEPT, ADD with PINs, the owner's PIN among them): none is answered or acts, the owner gets at most a digest an hour, the daily budget holds, and the owner's WHERE is answered afterwards.",
    registered: [DEFAULT_OWNER],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const numbers = Array.from({ length: 50 }, (_, k) => `+1650555${String(1000 + k)}`);
      const texts = ["WHERE", "CLAIM K7PQ2MXA 1111", "ACCEPT ACDEFG 2222", `ADD +16505551000 Eve ${DEFAULT_PIN}`, `RESET ${DEFAULT_PIN}`];
      for (let round = 0; round < 20; round++) {
        numbers.forEach((number, k) => sim.stranger.sendAs(number, sim.trackerNumber, texts[(round + k) % texts.length]!));
        await sim.runFor(3 * 60_000);
      }
      await sim.runFor(10 * 60_000);
      const sent = sim.network.messagesFrom(sim.trackerNumber);
      check.equal(sent.filter((m) => m.to !== DEFAULT_OWNER).length, 0, "no flooding number got anything");
      check.ok(sent.length <= 2, "the owner got at most a digest an hour", `${sent.length} SMS`);
      check.ok(sent.every((m) => /^Ignored \d+ messages from \d+ (or more )?unknown senders/.test(m.text)), "only digests", JSON.stringify(sent.map((m) => m.text)));
      check.match(await listSeenByOwner(sim), /^1 number: Owner/, "the list is unchanged");
      await ownerStillServed(sim, check);
    },
  },
  {
    name: "attack-budget-drain",
    profileFree: ACCESS_RULES,
    description:
      "A registered user asks WHERE 120 times over 10 hours: the daily budget (50) holds; the owner is told at 80% and at 100%; past the budget the user gets nothing more while the owner's own WHERE is still answered.",
    registered: [DEFAULT_OWNER, ANNA],
    options: { settings: { users: `${ANNA},Anna,user,off` } },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = new VirtualPhone(sim.network, ANNA);
      for (let i = 0; i < 120; i++) {
        anna.send(sim.trackerNumber, "WHERE");
        await sim.runFor(5 * 60_000);
      }
      const sent = sim.network.messagesFrom(sim.trackerNumber);
      check.ok(sent.length <= 50 + 2, "at most the budget plus the two budget notices", `${sent.length} SMS`);
      check.ok(anna.inbox.length <= 50, "the user got no more than the budget", `${anna.inbox.length}`);
      check.ok(sim.owner.inbox.some((m) => /^80% of today's SMS budget is used \(40 of 50\)\.$/.test(m.text)), "the owner is told at 80%");
      check.ok(sim.owner.inbox.some((m) => /^Today's SMS budget \(50\) is used up/.test(m.text)), "the owner is told at 100%");
      await ownerStillServed(sim, check);
      const annaBefore = anna.inbox.length;
      anna.send(sim.trackerNumber, "WHERE");
      await sim.runFor(REPLY_WITHIN_MS);
      check.equal(anna.inbox.length, annaBefore, "past the budget the user gets nothing");
    },
  },
];

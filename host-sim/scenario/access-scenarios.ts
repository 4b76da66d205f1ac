/**
 * Who may command the tracker, end to end: claim by setup code, numbers with roles, the PIN and its
 * lockout (across reboots), the two-step reset, ownership transfer, late and repeated commands, and
 * the number formats people type. Each phone's inbox is checked word for word where it matters;
 * the invariants (runner) check that SMS went only to the numbers each scenario registers.
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import { DEFAULT_OWNER, DEFAULT_PIN, DEFAULT_STRANGER } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import { VirtualPhone } from "../modem/phone.ts";
import { encodeDeliverTpdu, toHex } from "../modem/pdu.ts";
import { ACCESS_RULES, REPLY_WITHIN_MS, ready, says, told } from "./scenario-helpers.ts";

/** A setup code as printed on a unit's label. */
export const SETUP_CODE = "K7PQ2MXA";
const ANNA = "+14155550177";
const BOB = "+14155550188";
const CARL = "+14155550199";
/** How long a message that gets no answer is waited for (ms). */
const SILENCE_MS = 60_000;

/** A phone for `number` on the simulation's network. */
function phone(sim: Simulation, number: string): VirtualPhone {
  return new VirtualPhone(sim.network, number);
}


/** `from` sends `text` and gets no answer within a minute. */
async function unanswered(sim: Simulation, check: Checks, from: VirtualPhone, text: string, what: string): Promise<void> {
  const before = from.inbox.length;
  from.send(sim.trackerNumber, text);
  await sim.runFor(SILENCE_MS);
  check.ok(from.inbox.length === before, what, JSON.stringify(from.inbox.slice(before).map((m) => m.text)));
}

/** No message the tracker sent to `number` holds a map link or coordinates. */
function noLocationTo(sim: Simulation, check: Checks, number: string): void {
  const leaked = sim.network.messagesFrom(sim.trackerNumber).filter((m) => m.to === number && /maps\.google|-?\d{1,3}\.\d{4,}/.test(m.text));
  check.ok(leaked.length === 0, `no location ever reached ${number}`, leaked.map((m) => m.text).join(" | "));
}


/** The one-time code in a RESET or OWNER message ("RESET ACDEFG", "ACCEPT ACDEFG"). */
function codeIn(text: string | undefined, word: string): string {
  return new RegExp(`${word} ([A-Z]{6})`).exec(text ?? "")?.[1] ?? "";
}

export const ACCESS_SCENARIOS: readonly Scenario[] = [
  {
    name: "access-claim-by-setup-code",
    profileFree: ACCESS_RULES,
    description:
      "An unclaimed tracker with a setup code on its label: a stranger's WHERE and CLAIMs with wrong codes get no answer; CLAIM with the right code and a new PIN from the future owner's phone makes it the owner, who is then answered; the stranger still is not.",
    options: { ownerNumber: null, settings: { setupCode: SETUP_CODE } },
    registered: [DEFAULT_OWNER, ANNA],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await unanswered(sim, check, sim.stranger, "WHERE", "an unclaimed tracker answers nobody's WHERE");
      await unanswered(sim, check, sim.owner, "CLAIM WRONG123 1357", "a wrong setup code gets no answer");
      await unanswered(sim, check, sim.owner, "CLAIM 1357", "a CLAIM without a code gets no answer");
      await says(sim, check, sim.owner, `claim ${SETUP_CODE.toLowerCase()} 1357.`, /^You are now the owner of this tracker/, "the right code (any case, a trailing dot) claims it");
      await says(sim, check, sim.owner, "WHERE", /^(Live GNSS fix|No position yet)/, "the new owner is answered");
      await unanswered(sim, check, sim.stranger, `CLAIM ${SETUP_CODE} 9999`, "a second CLAIM (from a stranger who read the label) gets no answer");
      await says(sim, check, sim.owner, "ADD +14155550177 Anna 1357", /^Anna \(\+1415\*\*\*0177\) was added as user/, "the PIN chosen at claim works");
      check.ok(!sim.device.logs.some((l) => l.message.includes("1357") || l.message.includes(SETUP_CODE)), "neither the PIN nor the setup code is logged");
      check.ok(!JSON.stringify(sim.device.store).includes("1357"), "the PIN is not in flash in clear");
    },
  },
  {
    name: "access-claim-lockout-reboot",
    profileFree: ACCESS_RULES,
    description:
      "Five wrong setup codes lock CLAIM (1 min, growing); a reboot does not lift the lockout: the right code is still ignored just after it, and accepted once the lockout is over.",
    options: { ownerNumber: null, settings: { setupCode: SETUP_CODE } },
    registered: [DEFAULT_OWNER],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      for (let i = 0; i < 5; i++) sim.stranger.send(sim.trackerNumber, `CLAIM GUESS${i}000 1111`);
      await sim.runFor(SILENCE_MS);
      check.ok(sim.device.logs.some((l) => l.message.includes("claiming locked for 1 min")), "the fifth wrong code locks claiming for 1 min");
      await sim.restartFirmware();
      if (!(await ready(sim, check, "ready again after the reboot"))) return;
      await unanswered(sim, check, sim.owner, `CLAIM ${SETUP_CODE} 1357`, "right after the reboot the right code is still refused (the lockout restarted)");
      await sim.runFor(60_000);
      await says(sim, check, sim.owner, `CLAIM ${SETUP_CODE} 1357`, /^You are now the owner/, "after the lockout the right code claims it");
      check.equal(sim.stranger.inbox.length, 0, "the guesser never got a message");
    },
  },
  {
    name: "access-roles",
    profileFree: ACCESS_RULES,
    description:
      "The owner adds a user and an admin; each is told, and so is everyone already registered. A user may WHERE, LIST and ALERTS but not ADD or WHO; an admin may add and remove users but not admins, PIN, OWNER, RESET or SECURE; the owner removes the admin. LIST shows names, masked numbers and roles.",
    registered: [DEFAULT_OWNER, ANNA, BOB, CARL],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = phone(sim, ANNA);
      const bob = phone(sim, BOB);
      const carl = phone(sim, CARL);
      await unanswered(sim, check, anna, "WHERE", "Anna is not registered yet: no answer");
      await says(sim, check, sim.owner, `ADD (415) 555-0177 Anna ${DEFAULT_PIN}`, /^Anna \(\+1415\*\*\*0177\) was added as user by the owner/, "the owner adds Anna (a national number with brackets and a dash)");
      await told(sim, check, anna, /^You can now use this GPS tracker \(user\), added by the owner/, "Anna is told she was added");
      await says(sim, check, sim.owner, `ADD +1 415 555 0188 Bob admin ${DEFAULT_PIN}`, /^Bob \(\+1415\*\*\*0188\) was added as admin/, "the owner adds Bob as admin");
      await told(sim, check, anna, /^Bob \(\+1415\*\*\*0188\) was added as admin by the owner/, "Anna is told Bob was added (nobody is added covertly)");
      await says(sim, check, anna, "where", /^(Live GNSS fix|No position yet)/, "a user may ask WHERE");
      await says(sim, check, anna, "LIST", /^3 numbers: Owner \+1408\*\*\*0199 alerts; Anna \+1415\*\*\*0177; Bob \+1415\*\*\*0188 admin alerts\.$/, "LIST: names, masked numbers, roles");
      await says(sim, check, anna, `ADD ${CARL} Carl ${DEFAULT_PIN}`, /^ADD is for the owner and admins/, "a user may not ADD, PIN or not");
      await says(sim, check, anna, "WHO", /^WHO is for the owner and admins/, "a user may not see WHO");
      await says(sim, check, anna, "ALERTS ON", /^Alerts on/, "a user subscribes to alerts");
      await says(sim, check, anna, "HELP", /^Commands: WHERE, STATUS, TRACK, LIST, ALERTS\. HELP <command> says how\.$/, "a user's HELP lists only what a user may do");
      await says(sim, check, anna, "help add", /^ADD is not for your number/, "HELP ADD tells a user it is not for them");
      await says(sim, check, bob, `ADD ${CARL} Carl admin ${DEFAULT_PIN}`, /^Only the owner can add an admin/, "an admin may not add an admin");
      await says(sim, check, bob, `ADD ${CARL} Carl ${DEFAULT_PIN}`, /^Carl \(\+1415\*\*\*0199\) was added as user by Bob/, "an admin adds a user");
      await says(sim, check, bob, "WHO", /^Last locations sent: WHERE to Anna \+1415\*\*\*0177 \d+ min ago\.$/, "an admin sees who asked for the location");
      for (const [text, pattern] of [
        [`PIN ${DEFAULT_PIN} 1111`, /^PIN is for the owner/],
        [`OWNER ${BOB} ${DEFAULT_PIN}`, /^OWNER is for the owner/],
        [`RESET ${DEFAULT_PIN}`, /^RESET is for the owner/],
        [`SECURE ON ${DEFAULT_PIN}`, /^SECURE is for the owner/],
        [`DEL owner ${DEFAULT_PIN}`, /^No such number or name/],
        [`DEL ${DEFAULT_OWNER} ${DEFAULT_PIN}`, /^The owner cannot be removed/],
      ] as const) {
        await says(sim, check, bob, text, pattern, `an admin is refused: ${text.split(" ")[0]}`);
      }
      await says(sim, check, bob, "DEL carl 1111", /^Wrong PIN\. 4 more wrong PINs lock PIN commands\.$/, "an admin's wrong PIN is refused");
      await told(sim, check, sim.owner, /^Wrong PIN from Bob \(\+1415\*\*\*0188\) for DEL\.$/, "and the owner is told who sent it");
      await says(sim, check, bob, `del carl ${DEFAULT_PIN}`, /^Carl \(\+1415\*\*\*0199\) was removed by Bob/, "an admin removes a user by name, any case");
      await told(sim, check, carl, /^Carl \(\+1415\*\*\*0199\) was removed by Bob/, "the removed number is told");
      await unanswered(sim, check, carl, "WHERE", "a removed number gets no answer");
      await says(sim, check, sim.owner, `DEL ${BOB} ${DEFAULT_PIN}`, /^Bob \(\+1415\*\*\*0188\) was removed by the owner/, "the owner removes the admin");
      await told(sim, check, anna, /^Bob .* was removed by the owner/, "the remaining user is told");
      await says(sim, check, sim.owner, `ADD ${ANNA} admin ${DEFAULT_PIN}`, /^Anna \(\+1415\*\*\*0177\) is now an admin, changed by the owner/, "the owner makes Anna an admin");
      await told(sim, check, anna, /^Anna .* is now an admin/, "Anna is told of her new role");
      await says(sim, check, sim.owner, "HELP", /ADD, DEL, PIN, OWNER, RESET, SECURE, TZ, UNITS\. HELP <command> says how\.$/, "the owner's HELP lists the owner's commands");
      await says(sim, check, sim.owner, "HELP OWNER", /^OWNER <number> <PIN>: offer the tracker/, "HELP <command> says how to use it");
      await says(sim, check, anna, "HELP", /^Commands: WHERE, STATUS, TRACK, ARM, DISARM, FENCE, SPEED, LIST, WHO, ALERTS, ADD, DEL, TZ, UNITS\. HELP <command> says how\.$/, "an admin's HELP lists what an admin may do");
      noLocationTo(sim, check, CARL);
      noLocationTo(sim, check, BOB);
    },
  },
  {
    name: "access-number-formats-us",
    profileFree: ACCESS_RULES,
    description: "A US tracker: numbers added as +1 408 555 0123, 4085550124, 001 408 555 0125 and 1-408-555-0126 are each the same whole number their phones send from.",
    registered: [DEFAULT_OWNER, "+14085550123", "+14085550124", "+14085550125", "+14085550126"],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const forms = [
        ["+1 408 555 0123", "+14085550123"],
        ["4085550124", "+14085550124"],
        ["001 408 555 0125", "+14085550125"],
        ["1-408-555-0126", "+14085550126"],
      ] as const;
      for (const [typed, e164] of forms) {
        await says(sim, check, sim.owner, `ADD ${typed} ${DEFAULT_PIN}`, /was added as user/, `ADD ${typed}`);
        await says(sim, check, phone(sim, e164), "WHERE", /^(Live GNSS fix|No position yet)/, `${typed} is answered as ${e164}`);
      }
      await says(sim, check, sim.owner, `ADD 408 555 0123 ${DEFAULT_PIN}`, /is already registered/, "the same number typed another way is already registered");
      await unanswered(sim, check, phone(sim, "+14085550012"), "WHERE", "a number that ends like a registered one is not registered");
    },
  },
  {
    name: "access-number-formats-uk",
    profileFree: ACCESS_RULES,
    description: "A UK tracker (country code 44): 07700 900123, 0044 7700 900124 and +44 7700 900125 are each the whole number their phones send from.",
    options: { ownerNumber: "+447700900001", settings: { homeCountryCode: "44" } },
    registered: ["+447700900001", "+447700900123", "+447700900124", "+447700900125"],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      for (const [typed, e164] of [
        ["07700 900123", "+447700900123"],
        ["0044 7700 900124", "+447700900124"],
        ["+44 7700 900125", "+447700900125"],
      ] as const) {
        await says(sim, check, sim.owner, `ADD ${typed} ${DEFAULT_PIN}`, /was added as user/, `ADD ${typed}`);
        await says(sim, check, phone(sim, e164), "WHERE", /^(Live GNSS fix|No position yet)/, `${typed} is answered as ${e164}`);
      }
      await says(sim, check, sim.owner, "LIST", /^4 numbers: Owner \+4477\*\*\*0001 alerts; User2 \+4477\*\*\*0123; User3/, "numbers without a name get User2, User3...");
    },
  },
  {
    name: "access-pin-lockout-reboot",
    profileFree: ACCESS_RULES,
    description:
      "Five wrong PINs lock PIN commands for 1 min and the owner is told once; the right PIN is refused during the lockout, also after a reboot; after it the right PIN works and the count starts over.",
    registered: [DEFAULT_OWNER, ANNA],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      for (let i = 1; i <= 4; i++) {
        await says(sim, check, sim.owner, `ADD ${ANNA} Anna 000${i}`, new RegExp(`^Wrong PIN\\. ${5 - i} more wrong PINs? lock PIN commands\\.$`), `wrong PIN ${i}`);
      }
      await says(sim, check, sim.owner, `ADD ${ANNA} Anna 0005`, /^Wrong PIN 5 times \(last from the owner \(\+1408\*\*\*0199\)\): PIN commands are locked for 1 min\.$/, "the fifth locks, and says so once");
      await says(sim, check, sim.owner, `ADD ${ANNA} Anna ${DEFAULT_PIN}`, /^ADD refused: PIN commands are locked for 1 min more/, "the right PIN is refused during the lockout");
      await sim.restartFirmware();
      if (!(await ready(sim, check, "ready again after the reboot"))) return;
      await says(sim, check, sim.owner, `ADD ${ANNA} Anna ${DEFAULT_PIN}`, /^ADD refused: PIN commands are locked/, "the lockout survives the reboot");
      await sim.runFor(60_000);
      await says(sim, check, sim.owner, `ADD ${ANNA} Anna ${DEFAULT_PIN}`, /^Anna .* was added/, "after the lockout the right PIN works");
      await says(sim, check, sim.owner, `DEL Anna 9999`, /^Wrong PIN\. 4 more wrong PINs lock/, "the count started over after the right PIN");
      const pinWords = sim.network.messagesFrom(sim.trackerNumber).filter((m) => m.text.includes(DEFAULT_PIN));
      check.ok(pinWords.length === 0, "no reply ever contains the PIN", pinWords.map((m) => m.text).join(" | "));
      check.ok(!sim.device.logs.some((l) => l.message.includes(DEFAULT_PIN)), "no log line contains the PIN");
    },
  },
  {
    name: "access-pin-change-and-secure",
    profileFree: ACCESS_RULES,
    description:
      "PIN old new changes the PIN (the old one stops working); SECURE ON makes every command need the PIN as its last word (WHERE without it is refused, WHERE <PIN> answered); SECURE OFF ends that.",
    registered: [DEFAULT_OWNER, ANNA],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "PIN 12 34", /^Wrong PIN|needs the PIN/, "a malformed old PIN is refused");
      await says(sim, check, sim.owner, `PIN ${DEFAULT_PIN} 12`, /^The new PIN must be 4 to 8 digits\. The PIN is unchanged\.$/, "a too-short new PIN is refused");
      await says(sim, check, sim.owner, `PIN ${DEFAULT_PIN} 97531`, /^PIN changed\.$/, "PIN changes it");
      await says(sim, check, sim.owner, `ADD ${ANNA} Anna ${DEFAULT_PIN}`, /^Wrong PIN/, "the old PIN no longer works");
      await says(sim, check, sim.owner, "SECURE ON 97531", /^Secure mode on/, "SECURE ON with the new PIN");
      await says(sim, check, sim.owner, "WHERE", /^WHERE needs the PIN \(4 to 8 digits\) as its last word/, "secure mode: WHERE without the PIN is refused");
      await says(sim, check, sim.owner, "Where's my car? 97531", /^(Live GNSS fix|No position yet)/, "secure mode: natural phrasing with the PIN last is answered");
      await says(sim, check, sim.owner, "HELP", /^Commands, PIN last: /, "HELP says the PIN goes last");
      await says(sim, check, sim.owner, "SECURE OFF 97531", /^Secure mode off/, "SECURE OFF");
      await says(sim, check, sim.owner, "WHERE", /^(Live GNSS fix|No position yet)/, "WHERE needs no PIN again");
    },
  },
  {
    name: "access-reset-two-step",
    profileFree: ACCESS_RULES,
    description:
      "RESET <PIN> answers with a one-time code and tells the other numbers; a wrong code erases nothing; RESET <code> within 2 minutes erases every number, the PIN and the settings: the tracker is unclaimed and answers nobody, and can be claimed again with its label's setup code.",
    options: { settings: { setupCode: SETUP_CODE } },
    registered: [DEFAULT_OWNER, ANNA],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = phone(sim, ANNA);
      await says(sim, check, sim.owner, `ADD ${ANNA} Anna ${DEFAULT_PIN}`, /was added/, "Anna is added");
      const first = await says(sim, check, sim.owner, `RESET ${DEFAULT_PIN}`, /^To erase every number, the PIN and the settings, send RESET [A-Z]{6} within 2 minutes/, "RESET <PIN> gives a code");
      await told(sim, check, anna, /^The owner asked for a factory reset/, "the other numbers are told a reset was asked for");
      await says(sim, check, sim.owner, "RESET QQQQQQ", /^That reset code is wrong or expired: nothing was erased/, "a wrong code erases nothing");
      await says(sim, check, sim.owner, `RESET ${codeIn(first, "RESET")}`, /^That reset code is wrong or expired/, "the first code died with the wrong try");
      const second = await says(sim, check, sim.owner, `RESET ${DEFAULT_PIN}`, /send RESET [A-Z]{6}/, "a new code");
      await sim.runFor(2 * 60_000);
      await says(sim, check, sim.owner, `RESET ${codeIn(second, "RESET")}`, /wrong or expired/, "a code older than 2 minutes is refused");
      const third = await says(sim, check, sim.owner, `reset ${DEFAULT_PIN}`, /send RESET [A-Z]{6}/, "a third code");
      await says(sim, check, sim.owner, `reset ${codeIn(third, "RESET").toLowerCase()}`, /^This tracker was reset by its owner/, "the code (any case) erases everything");
      await told(sim, check, anna, /^This tracker was reset by its owner/, "Anna is told");
      await unanswered(sim, check, sim.owner, "WHERE", "after the reset the former owner is not answered");
      await unanswered(sim, check, anna, "WHERE", "nor is Anna");
      const flash = JSON.stringify(sim.device.store);
      check.ok(!flash.includes(DEFAULT_OWNER) && !flash.includes(ANNA), "no registered number is left in flash, in either slot", flash);
      await says(sim, check, sim.owner, `CLAIM ${SETUP_CODE} 8642`, /^You are now the owner/, "the label's setup code claims it again");
    },
  },
  {
    name: "access-owner-transfer",
    profileFree: ACCESS_RULES,
    description:
      "OWNER <number> <PIN> offers the tracker; the new owner ACCEPTs with the code and a new PIN: every other number (the old owner included) is removed and told once, the new owner is answered and the old one is not.",
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = phone(sim, ANNA);
      const bob = phone(sim, BOB);
      await says(sim, check, sim.owner, `ADD ${ANNA} Anna ${DEFAULT_PIN}`, /was added/, "Anna is added");
      await says(sim, check, sim.owner, "WHERE", /^(Live GNSS fix|No position yet)/, "a location request for WHO");
      await says(sim, check, sim.owner, `OWNER ${BOB} ${DEFAULT_PIN}`, /^The owner offered this tracker to \+1415\*\*\*0188/, "the owner offers the tracker to Bob");
      await told(sim, check, anna, /^The owner offered this tracker to \+1415\*\*\*0188/, "Anna is told");
      const offer = await told(sim, check, bob, /^You are offered ownership of a GPS tracker\. To accept, reply ACCEPT [A-Z]{6} <a new PIN of 4-8 digits> within 10 minutes\.$/, "Bob gets the code");
      await says(sim, check, bob, "ACCEPT QQQQQQ 5555", /^Wrong code/, "a wrong code is refused");
      await unanswered(sim, check, sim.stranger, `ACCEPT ${codeIn(offer, "ACCEPT")} 5555`, "the code from another number gets no answer");
      await says(sim, check, bob, `Accept ${codeIn(offer, "ACCEPT")} 5555`, /^You are now the owner of this tracker; every other number was removed/, "Bob accepts");
      await told(sim, check, sim.owner, /^This tracker has a new owner: your number was removed from it\.$/, "the old owner is told");
      await told(sim, check, anna, /^This tracker has a new owner/, "Anna is told");
      await unanswered(sim, check, sim.owner, "WHERE", "the old owner is no longer answered");
      await unanswered(sim, check, anna, "WHERE", "Anna was removed");
      await says(sim, check, bob, "WHO", /^No location was sent since/, "the WHO list was cleared");
      await says(sim, check, bob, `ADD ${ANNA} Anna 5555`, /was added/, "the new owner's PIN works");
      noLocationTo(sim, check, DEFAULT_STRANGER);
    },
  },
  {
    name: "access-owner-transfer-expires",
    profileFree: ACCESS_RULES,
    description: "An ownership offer not accepted within 10 minutes lapses: a late ACCEPT gets no answer and the owner stays the owner.",
    registered: [DEFAULT_OWNER, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const bob = phone(sim, BOB);
      await says(sim, check, sim.owner, `OWNER ${BOB} ${DEFAULT_PIN}`, /^The owner offered/, "offer");
      const code = codeIn(await told(sim, check, bob, /ACCEPT [A-Z]{6}/, "Bob gets the code"), "ACCEPT");
      await sim.runFor(10 * 60_000);
      await unanswered(sim, check, bob, `ACCEPT ${code} 5555`, "a late ACCEPT gets no answer");
      await says(sim, check, sim.owner, "WHERE", /^(Live GNSS fix|No position yet)/, "the owner is still the owner");
      await unanswered(sim, check, bob, "WHERE", "Bob never became registered");
    },
  },
  {
    name: "access-late-and-repeated",
    profileFree: ACCESS_RULES,
    description:
      "An ADD whose service-centre time is 20 minutes old (delivered late) is not carried out and the owner is told; a WHERE as late is answered (it changes nothing); the same ADD delivered twice (same time stamp) is carried out once.",
    registered: [DEFAULT_OWNER, ANNA],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(60_000); // a GNSS fix sets the tracker's clock
      const anna = phone(sim, ANNA);
      const deliver = (text: string, ageMs: number) =>
        sim.modem.deliverRaw(
          toHex(encodeDeliverTpdu({ from: DEFAULT_OWNER, sctsUtcMs: sim.network.utcMs() - ageMs, zoneQuarterHours: 0, dcs: 0, alphabet: "gsm7", payload: [...text].map((c) => c.charCodeAt(0)) })),
        );
      const before = sim.owner.inbox.length;
      deliver(`ADD ${ANNA} Anna ${DEFAULT_PIN}`, 20 * 60_000);
      await sim.runFor(REPLY_WITHIN_MS);
      check.match(sim.owner.inbox[before]?.text, /^Your ADD was sent 20 min ago and delivered late, so it was not carried out/, "a late ADD is refused, and the owner told");
      deliver("WHERE", 20 * 60_000);
      await sim.runFor(REPLY_WITHIN_MS);
      check.match(sim.owner.inbox[before + 1]?.text, /^(Live GNSS fix|No position yet)/, "a late WHERE is answered");
      const tpdu = toHex(encodeDeliverTpdu({ from: DEFAULT_OWNER, sctsUtcMs: sim.network.utcMs(), zoneQuarterHours: 0, dcs: 0, alphabet: "gsm7", payload: [...`ADD ${ANNA} Anna ${DEFAULT_PIN}`].map((c) => c.charCodeAt(0)) }));
      sim.modem.deliverRaw(tpdu);
      await sim.runFor(REPLY_WITHIN_MS);
      sim.modem.deliverRaw(tpdu);
      await sim.runFor(REPLY_WITHIN_MS);
      const added = sim.owner.inbox.slice(before + 2).map((m) => m.text);
      check.ok(added.length === 1 && /^Anna .* was added/.test(added[0]!), "the repeated ADD is carried out once", JSON.stringify(added));
      check.equal(anna.inbox.filter((m) => m.text.startsWith("You can now use")).length, 1, "Anna is told once");
    },
  },
];

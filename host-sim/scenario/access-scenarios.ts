/**
 * Who may command the tracker: the PIN lockout across a restart (and the PIN never in a reply or a
 * log) and an ownership offer that expires. The rest of access — claim by setup code,
 * roles, number formats, PIN change and SECURE, RESET in two steps, OWNER/ACCEPT, late and repeated
 * commands — are scenario files (test/scenario-files/access/). The invariants (runner) check that
 * SMS went only to the numbers each scenario registers.
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import { DEFAULT_OWNER, DEFAULT_PIN } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import { VirtualPhone } from "../modem/phone.ts";
import { ACCESS_RULES, ready, says, told } from "./scenario-helpers.ts";

/** A setup code as printed on a unit's label. */
export const SETUP_CODE = "K7PQ2MXA";
const ANNA = "+14155550177";
const BOB = "+14155550188";
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

/** The one-time code in a RESET or OWNER message ("RESET ACDEFG", "ACCEPT ACDEFG"). */
function codeIn(text: string | undefined, word: string): string {
  return new RegExp(`${word} ([A-Z]{6})`).exec(text ?? "")?.[1] ?? "";
}

export const ACCESS_SCENARIOS: readonly Scenario[] = [
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
];

/**
 * Property: random sequences of SMS from random senders (the owner, an admin, a user, strangers, the
 * owner's number spoofed) with random texts — command words, numbers, PINs right and wrong, codes,
 * noise — through the whole simulated tracker. After every message: the firmware never threw, the
 * registered list changed only through a message carrying the right PIN from a number allowed to
 * change it (or the code step of a RESET or OWNER that such a message began), and no location went
 * to a number that was not registered when it was sent.
 */
import { expect } from "chai";
import { Simulation, DEFAULT_OWNER, DEFAULT_PIN } from "../../host-sim/simulation.ts";
import { VirtualPhone } from "../../host-sim/modem/phone.ts";
import { Random } from "../../host-sim/random.ts";

const ADMIN = "+14155550188";
const USER = "+14155550177";
const STRANGERS = ["+14155550123", "+16505550100", "+447700900123"];
/** How long each message is given before the next (ms): replies and notices arrive within it. */
const STEP_MS = 20_000;
/** How long a PIN-bearing command may start a two-step change (OWNER → ACCEPT within 10 min). */
const TWO_STEP_MS = 10 * 60_000;

/** The newest settings record in the flash image. */
function newestRecord(store: Record<string, string | number | boolean>): Record<string, string> | undefined {
  const slots = ["cfg.a", "cfg.b"]
    .map((k) => String(store[k] ?? ""))
    .filter((v) => v.includes(";"))
    .map((v) => ({ seq: Number(v.slice(0, v.indexOf(";"))), json: JSON.parse(v.slice(v.indexOf(";", v.indexOf(";") + 1) + 1)) as Record<string, string> }));
  slots.sort((a, b) => b.seq - a.seq);
  return slots[0]?.json;
}

/** The registered numbers (sorted), and those that may change the list: the owner and the admins. */
function registered(store: Record<string, string | number | boolean>): { all: string[]; changers: string[] } {
  const record = newestRecord(store);
  if (!record?.ownerNumber) return { all: [], changers: [] };
  const users = record.users ? record.users.split(";").map((e) => e.split(",")) : [];
  return {
    all: [record.ownerNumber, ...users.map((u) => u[0]!)].sort(),
    changers: [record.ownerNumber, ...users.filter((u) => u[2] === "admin").map((u) => u[0]!)],
  };
}

function randomText(rng: Random, pins: () => string[]): string {
  const pick = <T>(items: readonly T[]): T => items[rng.int(0, items.length - 1)]!;
  const pin = () => pick([...pins(), ...pins(), String(rng.int(0, 99_999_999)).padStart(rng.int(4, 8), "0"), "12", "abcd", ""]);
  const number = () => pick([...STRANGERS, USER, ADMIN, DEFAULT_OWNER, "4155550199", "+1 415 555 0166", "00447700900124", "nobody"]);
  const name = () => pick(["Anna", "bob", "Eve", "X", "Admin", "", "Zed.99"]);
  const code = () => pick(["ACDEFG", "K7PQ2MXA", "QQQQQQ", "123456"]);
  const templates: (() => string)[] = [
    () => "WHERE",
    () => pick(["Where's my car?", "\u{1F4CD}", "loc", "help", "?", "LIST", "WHO", "ALERTS ON", "ALERTS OFF"]),
    () => `ADD ${number()} ${name()} ${pick(["admin", "user", ""])} ${pin()}`,
    () => `DEL ${pick([number(), name()])} ${pin()}`,
    () => `PIN ${pin()} ${pin()}`,
    () => `OWNER ${number()} ${pin()}`,
    () => `ACCEPT ${code()} ${pin()}`,
    () => `RESET ${pick([pin(), code()])}`,
    () => `SECURE ${pick(["ON", "OFF", "maybe"])} ${pin()}`,
    () => `CLAIM ${code()} ${pin()}`,
    () => String.fromCharCode(...Array.from({ length: rng.int(0, 40) }, () => rng.int(0, 126))),
  ];
  return pick(templates)().replace(/ +/g, " ");
}

describe("access property: random SMS never change the list without the PIN (Node)", function () {
  this.timeout(120_000);
  /** Over all seeds: list changes seen and wrong-PIN replies (the property must not hold vacuously). */
  const stats = { changes: 0, wrongPins: 0 };
  after(() => {
    expect(stats.changes, "some random messages changed the list (with the PIN)").to.be.greaterThan(0);
    expect(stats.wrongPins, "some were refused for a wrong PIN").to.be.greaterThan(0);
  });
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`seed ${seed}: 70 random messages`, async () => {
      const rng = new Random(seed);
      const sim = await Simulation.create({ seed, settings: { users: `${ADMIN},Bob,admin,on;${USER},Anna,user,off` } });
      try {
        await sim.start();
        expect(await sim.waitForState("ready", 60_000)).to.equal(true);
        const phones = new Map<string, VirtualPhone>([[DEFAULT_OWNER, sim.owner]]);
        for (const n of [ADMIN, USER, ...STRANGERS.slice(1)]) phones.set(n, new VirtualPhone(sim.network, n));
        phones.set(STRANGERS[0]!, sim.stranger);
        let pin = DEFAULT_PIN;
        const knownPins = () => [pin, DEFAULT_PIN];
        /** When a number allowed to change the list last sent the right PIN (for the code steps). */
        let authorisedAtMs = -Infinity;
        let { all: list, changers } = registered(sim.device.store);
        /** [from ms, registered numbers] for each change. */
        const history: [number, string[]][] = [[0, list]];
        const problems: string[] = [];
        for (let i = 0; i < 70; i++) {
          const from = rng.int(0, 9) === 0 ? "spoof" : [...phones.keys()][rng.int(0, phones.size - 1)]!;
          const number = from === "spoof" ? DEFAULT_OWNER : from;
          const text = randomText(rng, knownPins);
          const words = text.split(/\s+/).filter((w) => w !== "");
          const authorised = changers.includes(number) && words.at(-1) === pin;
          if (from === "spoof") sim.stranger.sendAs(DEFAULT_OWNER, sim.trackerNumber, text);
          else phones.get(from)!.send(sim.trackerNumber, text);
          const sentAtMs = sim.clock.nowMs;
          await sim.runFor(STEP_MS);
          if (authorised) authorisedAtMs = sentAtMs;
          const replies = () => sim.network.messagesFrom(sim.trackerNumber).filter((m) => m.to === number && m.submittedAtMs >= sentAtMs).map((m) => m.text);
          // the owner's PIN change
          if (words[0]?.toUpperCase() === "PIN" && replies().includes("PIN changed.")) pin = words[2]!;
          const now = registered(sim.device.store);
          if (JSON.stringify(now.all) !== JSON.stringify(list)) {
            stats.changes++;
            const codeStep = /^(RESET|ACCEPT)$/i.test(words[0] ?? "") && sentAtMs - authorisedAtMs <= TWO_STEP_MS;
            const claim = list.length === 0 && /^CLAIM$/i.test(words[0] ?? "");
            if (!authorised && !codeStep && !claim) problems.push(`list ${JSON.stringify(list)} -> ${JSON.stringify(now.all)} after ${JSON.stringify(text)} from ${from}`);
            history.push([sim.clock.nowMs, now.all]);
            if (now.all.length === 0) pin = "none"; // reset: unclaimed, no PIN
            if (/^ACCEPT$/i.test(words[0] ?? "")) pin = words[2] ?? "none"; // the new owner's PIN
          }
          list = now.all;
          changers = now.changers;
          stats.wrongPins += replies().filter((t) => t.startsWith("Wrong PIN")).length;
          if (sim.device.faults.length > 0) problems.push(`fault: ${sim.device.faults[0]}`);
          if (problems.length) break;
        }
        // locations only to numbers registered when they were sent
        const registeredAt = (ms: number) => [...history].reverse().find(([at]) => at <= ms)?.[1] ?? [];
        for (const m of sim.network.messagesFrom(sim.trackerNumber)) {
          if (/maps\.google/.test(m.text) && !registeredAt(m.submittedAtMs).includes(m.to) && !registeredAt(m.submittedAtMs - STEP_MS).includes(m.to)) {
            problems.push(`location to ${m.to} at ${m.submittedAtMs} ms`);
          }
        }
        expect(problems, sim.network.log.map((m) => `${m.submittedAtMs} ${m.from}->${m.to}: ${JSON.stringify(m.text)}`).join("\n")).to.deep.equal([]);
      } finally {
        await sim.close();
      }
    });
  }
});

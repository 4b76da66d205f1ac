/**
 * The benchmark's day: `day-drive-24h` is a whole realistic day of one tracker, run as a scenario so
 * its expectations and the product's invariants hold while it is timed (`npm run bench`, and the
 * fleet of 100 such days). The car sleeps at home, commutes (city streets, a red light, highway,
 * a tunnel), parks in an underground garage, goes out at lunch, comes back by a shop and parks at
 * home again; the receiver sends the full multi-GNSS output at 1 Hz under a changing sky (about 14
 * sentences an epoch); the owner, an admin and a user send 200 commands over the day, and each is
 * answered exactly once with the reply it asks for.
 */
import type { Scenario } from "./scenarios.ts";
import { DEFAULT_OWNER } from "../simulation.ts";
import type { Simulation } from "../simulation.ts";
import { VirtualPhone } from "../modem/phone.ts";
import type { Leg, Sky } from "../gnss/drive.ts";
import { Random } from "../random.ts";
import { WHERE_REPLY_WITHIN_MS, ready, runUntil } from "./scenario-helpers.ts";
import { ANNA, BOB, HOME, M_PER_DEG_LAT, USERS, planFrom } from "./vehicle-scenarios.ts";

/** Metres per degree of longitude around San Jose. */
const M_PER_DEG_LON = 88_400;
/** The simulated day, ms. */
export const DAY_MS = 24 * 3600_000;
/** Commands sent over the day. */
export const DAY_EXCHANGES = 200;

/** A drive leg to the point `northKm` / `eastKm` from HOME at `speedKmh` (`sky: "none"`: a tunnel). */
function to(northKm: number, eastKm: number, speedKmh: number, extra: { sky?: Sky } = {}): Leg {
  return {
    kind: "drive",
    toLatDeg: HOME.latDeg + (northKm * 1000) / M_PER_DEG_LAT,
    toLonDeg: HOME.lonDeg + (eastKm * 1000) / M_PER_DEG_LON,
    speedKmh,
    ...extra,
  };
}

const parked = (hours: number, sky: Sky = "open"): Leg => ({ kind: "stop", durationS: hours * 3600, sky });
const redLight = (seconds: number): Leg => ({ kind: "stop", durationS: seconds, ignition: true });

/** Home to the office: city streets, a red light, highway, a 1.6 km tunnel, highway, city. */
const COMMUTE_OUT: Leg[] = [
  to(1.5, 0, 40),
  redLight(45),
  to(1.5, -1, 50),
  to(6, -6, 110),
  to(10, -12, 110),
  to(11, -13.2, 80, { sky: "none" }), // the tunnel
  to(14, -17, 100),
  redLight(30),
  to(14.5, -17.8, 40), // the office's garage entrance
];

/** The office back home, by the same tunnel and a shop. */
const COMMUTE_BACK: Leg[] = [
  to(14, -17, 40),
  to(11, -13.2, 100),
  to(10, -12, 80, { sky: "none" }), // the tunnel
  to(6, -6, 110),
  to(2, -2, 90),
  { kind: "stop", durationS: 30 * 60 }, // the shop, engine off
  to(1.5, 0, 40),
  redLight(40),
  to(0, 0, 30),
];

/** The whole day; after its last leg the car stays parked at home until the day ends. */
export const DAY_LEGS: Leg[] = [
  parked(6.5), // the night at home
  ...COMMUTE_OUT,
  parked(4, "none"), // the morning in the underground garage
  to(15.5, -18.5, 30),
  parked(0.75), // lunch
  to(14.5, -17.8, 30),
  parked(4, "none"), // the afternoon in the garage
  ...COMMUTE_BACK,
];

/** One command of the day: who sends what, when (ms from the start), and the reply it asks for. */
export interface DayExchange {
  atMs: number;
  from: "owner" | "anna" | "bob";
  text: string;
  reply: RegExp;
}

const WHERE_REPLY = /^(Live GNSS fix|No position yet|NO live position)/;
const STATUS_REPLY = /^GNSS: /;
const WHO_REPLY = /^(Last locations sent|No location was sent)/;
const LIST_REPLY = /^3 numbers: Owner \+1408\*\*\*0199/;
const HELP_REPLY = /^Commands/;
const TRACK_REPLY = /^Tracking: a position every 1 min, 2 times/;
/** TRACK 1 2: the positions that follow its reply (or why there is none). */
const TRACK_POSITION = /^TRACK( \(| ended)/;
/** Positions each TRACK of the day sends after its reply. */
const TRACK_POSITIONS = 2;

/** What each sender asks, in turn (the owner asks most, Bob only what a user may). */
const REPERTOIRE: Readonly<Record<DayExchange["from"], readonly [string, RegExp][]>> = {
  owner: [["WHERE", WHERE_REPLY], ["STATUS", STATUS_REPLY], ["where", WHERE_REPLY], ["WHO", WHO_REPLY], ["Where's my car?", WHERE_REPLY], ["LIST", LIST_REPLY]],
  anna: [["WHERE", WHERE_REPLY], ["STATUS", STATUS_REPLY], ["WHO", WHO_REPLY], ["LOC", WHERE_REPLY], ["HELP", HELP_REPLY]],
  bob: [["WHERE", WHERE_REPLY], ["status", STATUS_REPLY], ["HELP", HELP_REPLY]],
};

/**
 * The day's 200 commands, from 2 min after the start to 30 min before the end (an eighth of a short
 * day), about 7 min apart (±2 min, deterministic): half from the owner (a TRACK 1 2 every 25th command), the rest from Anna
 * and Bob.
 */
export function dayExchanges(count = DAY_EXCHANGES, dayMs = DAY_MS): DayExchange[] {
  const random = new Random(20250602);
  const firstMs = Math.min(120_000, dayMs / 8);
  const spanMs = dayMs - Math.min(30 * 60_000, dayMs / 8) - firstMs;
  const stepMs = spanMs / count;
  const turns = { owner: 0, anna: 0, bob: 0 };
  const out: DayExchange[] = [];
  for (let i = 0; i < count; i++) {
    const atMs = Math.round(firstMs + i * stepMs + (random.next() - 0.5) * Math.min(stepMs, 240_000));
    const from = i % 2 === 0 ? "owner" : i % 4 === 1 ? "anna" : "bob";
    if (from === "owner" && i % 25 === 12) {
      out.push({ atMs, from, text: "TRACK 1 2", reply: TRACK_REPLY });
      continue;
    }
    const list = REPERTOIRE[from];
    const [text, reply] = list[turns[from]++ % list.length]!;
    out.push({ atMs, from, text, reply });
  }
  return out;
}

/** Run the day's exchanges; returns the texts of those not answered as asked ("12:34 owner WHERE → ..."). */
async function runExchanges(sim: Simulation, phones: Record<DayExchange["from"], VirtualPhone>, exchanges: readonly DayExchange[]): Promise<string[]> {
  const unanswered: string[] = [];
  for (const e of exchanges) {
    await runUntil(sim, e.atMs);
    const phone = phones[e.from];
    const before = phone.inbox.length;
    phone.send(sim.trackerNumber, e.text);
    const answer = () => phone.inbox.slice(before).find((m) => e.reply.test(m.text));
    await sim.clock.runUntilCondition(() => answer() !== undefined, WHERE_REPLY_WITHIN_MS);
    if (!answer()) {
      const got = phone.inbox.slice(before).map((m) => m.text);
      unanswered.push(`${Math.round(e.atMs / 1000)} s ${e.from} ${JSON.stringify(e.text)} → ${JSON.stringify(got)}`);
    }
  }
  return unanswered;
}

/** The day as a scenario; `count` commands over `dayMs` (the bench's test runs a short one). */
export function dayDriveScenario(name: string, dayMs = DAY_MS, count = DAY_EXCHANGES): Scenario {
  const exchanges = dayExchanges(count, dayMs);
  const tracks = exchanges.filter((e) => e.text.startsWith("TRACK")).length;
  return {
    name,
    notOnModdable: "a simulated day on the Moddable runtime's wall clock takes a day",
    profileFree: "a benchmark of the whole system; the modem dialects have their own scenarios",
    description: `A realistic day (${Math.round(dayMs / 3600_000)} h): the night at home, a commute by city, highway and a tunnel, the underground garage, lunch, the way back by a shop; full multi-GNSS NMEA at 1 Hz under a changing sky (about 14 sentences an epoch); ${count} commands from the owner, an admin and a user (WHERE, STATUS, WHO, LIST, HELP, TRACK), each answered exactly once as asked.`,
    options: { gnssSource: planFrom(DAY_LEGS), gnssSky: "changing", settings: { users: USERS, smsPerDay: "400" } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const phones = { owner: sim.owner, anna: new VirtualPhone(sim.network, ANNA), bob: new VirtualPhone(sim.network, BOB) };
      const unanswered = await runExchanges(sim, phones, exchanges);
      check.ok(unanswered.length === 0, `each of the ${count} commands got the reply it asks for`, unanswered.slice(0, 5).join("\n"));
      await runUntil(sim, dayMs);
      await sim.runFor(60_000);
      // exactly once: each phone got one reply per command (plus the TRACK positions), in order, nothing twice
      for (const [who, phone] of Object.entries(phones) as [DayExchange["from"], VirtualPhone][]) {
        const asked = exchanges.filter((e) => e.from === who);
        const positions = phone.inbox.filter((m) => TRACK_POSITION.test(m.text));
        const replies = phone.inbox.filter((m) => !TRACK_POSITION.test(m.text));
        const wrong = asked.map((e, i) => ({ e, got: replies[i]?.text })).filter(({ e, got }) => got === undefined || !e.reply.test(got));
        check.ok(
          replies.length === asked.length && wrong.length === 0,
          `${who}: ${asked.length} commands, ${asked.length} replies, each matching its command, nothing else`,
          `${replies.length} replies; first mismatch: ${JSON.stringify(wrong[0]?.e.text)} → ${JSON.stringify(wrong[0]?.got)}`,
        );
        const expectedPositions = asked.filter((e) => e.text.startsWith("TRACK")).length * TRACK_POSITIONS;
        check.equal(positions.length, expectedPositions, `${who}: ${expectedPositions} TRACK positions`);
      }
      check.ok(tracks > 0 || count < 25, "the day has TRACK requests", String(tracks));
      const epochs = sim.gnss.epochsSent;
      check.ok(epochs >= Math.floor(dayMs / 1000), `the receiver sent an epoch a second (${epochs})`);
      const sentences = sim.gnss.lastEpoch.length;
      check.ok(sentences >= 12, `full NMEA: ${sentences} sentences in the last epoch`);
      check.equal(sim.device.state, "ready", "the tracker is ready at the end of the day");
    },
  };
}

export const BENCH_SCENARIOS: readonly Scenario[] = [dayDriveScenario("day-drive-24h")];

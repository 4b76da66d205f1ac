/**
 * Whole stories: a theft at night from ARM to DISARM, and a day of alert storms against the daily
 * SMS budget.
 */
import type { Scenario } from "./scenarios.ts";
import { DEFAULT_OWNER } from "../simulation.ts";
import { VirtualPhone } from "../modem/phone.ts";
import type { Leg } from "../gnss/drive.ts";
import { REPLY_WITHIN_MS, awaitMessage, linkCoordinates, ready, received, runUntil, says, within } from "./scenario-helpers.ts";
import { ANNA, BOB, HOME, M_PER_DEG_LAT, USERS, north, planFrom } from "./vehicle-scenarios.ts";

const POWER_CUT = /^POWER ALERT: power cut at /;
const MOVEMENT = /^MOVEMENT ALERT: moved \d+ m while armed\./;
const FOLLOW_UP = /^After the movement alert \(\d+ more to come, DISARM stops them\): /;

/** Parked at home (the night), then towed 3 km north at 25 km/h with the engine off, then hidden. */
const TOW_AT_MS = 2 * 3600_000;
const THEFT_NIGHT = planFrom([
  { kind: "stop", durationS: TOW_AT_MS / 1000 },
  { kind: "drive", ...north(3_000), speedKmh: 25, ignition: false },
  { kind: "stop", durationS: 6 * 3600 },
]);

/** In and out of a 300 m fence at 110 km/h all day: a minute at home, 800 m north, a minute there, back. */
function stormLegs(hours: number): Leg[] {
  const legs: Leg[] = [{ kind: "stop", durationS: 300 }];
  const cycleS = 60 + 26 + 60 + 26;
  for (let i = 0; i < (hours * 3600) / cycleS; i++) {
    legs.push({ kind: "drive", ...north(800), speedKmh: 110 }, { kind: "stop", durationS: 60, ignition: true }, { kind: "drive", ...north(0), speedKmh: 110 }, { kind: "stop", durationS: 60, ignition: true });
  }
  return legs;
}

const STORM_HOURS = 24;

export const THEFT_SCENARIOS: readonly Scenario[] = [
  {
    name: "theft-story",
    profileFree: "the alarm is the firmware's rule, the same on every modem",
    description:
      "The whole story: armed at night; two hours later the thief cuts the tracker's supply (power alert within 10 s) and tows the car away engine-off (movement alert within 2 min), positions every 2 min follow the car north to the owner and the subscribed admin; the owner DISARMs: nothing more is sent, for hours.",
    options: { gnssSource: THEFT_NIGHT, settings: { users: USERS } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = new VirtualPhone(sim.network, ANNA);
      const bob = new VirtualPhone(sim.network, BOB);
      await says(sim, check, sim.owner, "ARM", /^Armed: /, "the owner arms for the night");
      await runUntil(sim, TOW_AT_MS - 60_000);
      check.equal(sim.network.messagesFrom(sim.trackerNumber).length, 1, "a quiet night: nothing but ARM's reply before the theft");
      const cutMs = sim.clock.nowMs;
      sim.vehicle!.cutPower();
      within(check, await awaitMessage(sim, sim.owner, POWER_CUT, 60_000), cutMs, 10_000 + REPLY_WITHIN_MS, "the power alert within 10 s of the cut (plus delivery)");
      const moved = await awaitMessage(sim, sim.owner, MOVEMENT, 5 * 60_000);
      within(check, moved, TOW_AT_MS + 1_000, 2 * 60_000 + REPLY_WITHIN_MS, "the movement alert within 2 min of the tow starting (plus delivery)");
      await awaitMessage(sim, sim.owner, FOLLOW_UP, 10 * 60_000, 4);
      const follow = received(sim.owner, FOLLOW_UP);
      check.equal(follow.length, 4, "four positions, every 2 min");
      const gaps = follow.slice(1).map((m, i) => m.atMs - follow[i]!.atMs);
      check.ok(gaps.every((g) => Math.abs(g - 120_000) <= 10_000), "2 min apart", JSON.stringify(gaps));
      const lats = follow.map((m) => linkCoordinates(m.text)?.lat ?? NaN);
      check.ok(lats.every((lat, i) => i === 0 || lat > lats[i - 1]!), "they follow the car north", JSON.stringify(lats));
      check.ok(lats[3]! > HOME.latDeg + 1_000 / M_PER_DEG_LAT, "already more than a kilometre from home", JSON.stringify(lats));
      check.equal(received(anna, MOVEMENT).length + received(anna, POWER_CUT).length, 2, "the subscribed admin got the alerts");
      check.equal(bob.inbox.length, 0, "the user without alerts got nothing");
      const long = sim.owner.inbox.filter((m) => m.text.length > 160).map((m) => m.text);
      check.ok(long.length === 0, "each alert fits one SMS (160 characters)", JSON.stringify(long));
      await says(sim, check, sim.owner, "DISARM", /^Disarmed: the positions after the alert stop/, "the owner DISARMs");
      const sent = sim.network.messagesFrom(sim.trackerNumber).length;
      await sim.runFor(3 * 3600_000);
      check.equal(sim.network.messagesFrom(sim.trackerNumber).length, sent, "nothing more is sent after DISARM");
      check.equal(received(sim.owner, MOVEMENT).length, 1, "one movement alert in all");
      check.equal(received(sim.owner, POWER_CUT).length, 1, "one power alert in all");
    },
  },
  {
    name: "alert-storm-budget",
    profileFree: "the budget is the firmware's rule, the same on every modem",
    description: `A day (${STORM_HOURS} h) of alert storms (in and out of the fence at 110 km/h every 3 min: about 2,000 fence and speed events) against the daily budget of 50 SMS: the kinds' hourly limits and the budget hold the alerts to it within the budget's 24 h, the owner is told at 80 % and 100 %, and the owner's own WHERE is still answered at the end.`,
    options: { gnssSource: planFrom(stormLegs(STORM_HOURS)) },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "FENCE 300", /^Fence set: 300 m/, "FENCE 300");
      await says(sim, check, sim.owner, "SPEED 90", /^Speed limit 90 km\/h/, "SPEED 90");
      await sim.runFor(STORM_HOURS * 3600_000);
      const alerts = sim.owner.inbox.filter((m) => /^(FENCE|SPEED)|\d alerts:/.test(m.text));
      const fences = sim.owner.inbox.filter((m) => /FENCE ALERT|FENCE: the vehicle is back/.test(m.text)).length;
      check.ok(alerts.length >= 10, "alerts did go out", `${alerts.length}`);
      check.ok(sim.owner.inbox.some((m) => /more (fence|speed) alerts? in the last hour not sent/.test(m.text)), "an alert says how many of its kind were held back");
      check.ok(fences < 6 * STORM_HOURS + 1, "at most 6 fence alerts an hour", `${fences}`);
      check.ok(sim.owner.inbox.some((m) => /^80% of today's SMS budget is used/.test(m.text)), "the owner is told at 80 %");
      check.ok(sim.owner.inbox.some((m) => /^Today's SMS budget \(50\) is used up/.test(m.text)), "and at 100 %");
      const sent = sim.network.messagesFrom(sim.trackerNumber);
      const windowEndMs = (sent[0]?.submittedAtMs ?? 0) + 24 * 3600_000;
      const inWindow = sent.filter((m) => m.submittedAtMs < windowEndMs).length;
      // the budget's 50, plus the two budget notices, in the budget's 24 h from its first SMS
      check.ok(inWindow <= 52, `the tracker sent no more than the budget (plus its two notices) in its 24 h: ${inWindow} SMS`);
      const sentBefore = sent.length;
      const where = await says(sim, check, sim.owner, "WHERE", /^(Live GNSS fix|NO live position)/, "the owner's own WHERE is still answered");
      check.ok(where !== undefined, "at the end of the storm");
      check.ok(sim.network.messagesFrom(sim.trackerNumber).length <= sentBefore + 3, "and it did not open a flood: at most the reply and a couple of alerts of the new day");
    },
  },
];

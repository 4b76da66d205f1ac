/**
 * ARM / DISARM and the movement alert, end to end, with a receiver that wanders as real ones do
 * (gnss/receiver-errors.ts): 8 hours parked in open sky and in an urban canyon raise nothing; a tow
 * of 200 m at 5 km/h raises one alert within 2 minutes, then positions every 2 minutes until DISARM;
 * the armed state survives a restart; roles decide who may arm.
 */
import type { Scenario } from "./scenarios.ts";
import { DEFAULT_OWNER, DEFAULT_PIN } from "../simulation.ts";
import { VirtualPhone } from "../modem/phone.ts";
import type { DrivePlan, Leg } from "../gnss/drive.ts";
import { DEFAULT_NETWORK_START_UTC_MS } from "../modem/sms-network.ts";
import { OPEN_SKY, URBAN_CANYON, type ReceiverErrorProfile } from "../gnss/receiver-errors.ts";
import { REPLY_WITHIN_MS, ready, says, within } from "./scenario-helpers.ts";

const ANNA = "+14155550177"; // admin, receives alerts
const BOB = "+14155550188"; // user, no alerts
const USERS = `${ANNA},Anna,admin,on;${BOB},Bob,user,off`;
const PARKED = { latDeg: 37.33491, lonDeg: -121.88811 };
/** Metres of latitude per degree (mean). */
const M_PER_DEG_LAT = 111_195;
const ALERT = /^MOVEMENT ALERT: moved \d+ m while armed\./;
const FOLLOW_UP = /^After the movement alert \(\d+ more to come, DISARM stops them\): /;

/** Parked where the owner left it for `parkedS`, then `legs`. */
function plan(parkedS: number, legs: Leg[] = []): DrivePlan {
  return { startUtcMs: DEFAULT_NETWORK_START_UTC_MS, start: PARKED, legs: [{ kind: "stop", durationS: parkedS }, ...legs], coldStartS: 10 };
}

/** A tow of 200 m due north at 5 km/h after `parkedS` (engine off), then parked there. */
function towPlan(parkedS: number): DrivePlan {
  return plan(parkedS, [{ kind: "drive", toLatDeg: PARKED.latDeg + 200 / M_PER_DEG_LAT, toLonDeg: PARKED.lonDeg, speedKmh: 5, ignition: false }]);
}

function alertsTo(phone: VirtualPhone): string[] {
  return phone.inbox.map((m) => m.text).filter((t) => ALERT.test(t) || FOLLOW_UP.test(t));
}

function parkedAllNight(name: string, profile: ReceiverErrorProfile): Scenario {
  return {
    name: `alert-parked-8h-${name}`,
    profileFree: "the drift guard is the firmware's rule, the same on every modem",
    description: `Armed, fenced (200 m) and speed-limited, parked for 8 hours in ${name === "open-sky" ? "open sky" : "an urban canyon"}, the receiver wandering (random walk, HDOP jumps, at least 20 multipath spikes of 50-100 m), the battery sagging: no alert at all; the owner's WHERE is answered at the end.`,
    options: { gnssSource: plan(9 * 3600), gnssErrors: profile, settings: { users: USERS } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "ARM", /^Armed: /, "ARM is confirmed");
      await says(sim, check, sim.owner, "FENCE 200", /^Fence set: 200 m/, "FENCE 200 around the parked car");
      await says(sim, check, sim.owner, "SPEED 30", /^Speed limit 30 km\/h/, "SPEED 30");
      const sentBefore = sim.network.messagesFrom(sim.trackerNumber).length;
      await sim.runFor(8 * 3600_000);
      const spikes = sim.gnss.errors?.spikes ?? 0;
      check.ok(spikes >= 20, `at least 20 multipath spikes happened: ${spikes}`);
      const alerts = sim.network.messagesFrom(sim.trackerNumber).filter((m) => ALERT.test(m.text) || FOLLOW_UP.test(m.text));
      check.equal(alerts.length, 0, "no movement alert in 8 hours");
      const anything = sim.network.messagesFrom(sim.trackerNumber).slice(sentBefore).map((m) => m.text);
      check.equal(anything.length, 0, "no alert of any kind (fence, speed, power, jamming) in 8 hours");
      await says(sim, check, sim.owner, "WHERE", /^(Live GNSS fix|NO live position)/, "the owner's WHERE is answered");
    },
  };
}

export const ALERT_SCENARIOS: readonly Scenario[] = [
  parkedAllNight("open-sky", OPEN_SKY),
  parkedAllNight("urban-canyon", URBAN_CANYON),
  {
    name: "alert-tow-and-disarm",
    profileFree: "the drift guard is the firmware's rule, the same on every modem",
    description:
      "Armed (the state survives a restart), the car is towed 200 m at 5 km/h in an urban canyon: one movement alert within 2 minutes to the owner and the subscribed admin (not to the unsubscribed user), then a position every 2 minutes; DISARM stops them and nothing more is sent.",
    options: { gnssSource: towPlan(20 * 60), gnssErrors: URBAN_CANYON, settings: { users: USERS } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = new VirtualPhone(sim.network, ANNA);
      const bob = new VirtualPhone(sim.network, BOB);
      await says(sim, check, sim.owner, "ARM", /^Armed: /, "the owner arms");
      await sim.restartFirmware();
      if (!(await ready(sim, check, "ready after a restart"))) return;
      check.ok(sim.device.logs.every((l) => !/movement while armed/.test(l.message)), "nothing raised before the tow");
      // the GNSS drive started with the simulation: the tow begins 20 min after its first epoch
      const towStartMs = 20 * 60_000 + 1_000;
      await sim.clock.runUntilCondition(() => sim.clock.nowMs >= towStartMs, 30 * 60_000);
      await sim.clock.runUntilCondition(() => alertsTo(sim.owner).length > 0, 3 * 60_000);
      const first = sim.owner.inbox.find((m) => ALERT.test(m.text));
      within(check, first, towStartMs, 2 * 60_000 + REPLY_WITHIN_MS, "the movement alert reaches the owner within 2 minutes of the tow (plus delivery)");
      check.match(first?.text, /maps\.google\.com/, "the alert carries the position");
      await sim.clock.runUntilCondition(() => alertsTo(anna).length > 0, REPLY_WITHIN_MS);
      check.equal(alertsTo(anna).length, 1, "the subscribed admin gets it too");
      await sim.runFor(5 * 60_000);
      check.ok(alertsTo(sim.owner).filter((t) => FOLLOW_UP.test(t)).length >= 2, "positions follow every 2 minutes", JSON.stringify(alertsTo(sim.owner)));
      check.equal(bob.inbox.length, 0, "the user without alerts gets none");
      await says(sim, check, sim.owner, "DISARM", /^Disarmed: the positions after the alert stop/, "DISARM stops them");
      const sent = sim.network.messagesFrom(sim.trackerNumber).length;
      await sim.runFor(30 * 60_000);
      check.equal(sim.network.messagesFrom(sim.trackerNumber).length, sent, "nothing more is sent after DISARM");
      check.equal(alertsTo(sim.owner).filter((t) => ALERT.test(t)).length, 1, "exactly one movement alert");
    },
  },
  {
    name: "alert-arm-roles",
    profileFree: "who may arm is the firmware's rule, the same on every modem",
    description: "A user may not ARM or DISARM; an admin may, and the owner is told each time; HELP ARM says how; SECURE ON makes ARM need the PIN.",
    options: { settings: { users: USERS } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = new VirtualPhone(sim.network, ANNA);
      const bob = new VirtualPhone(sim.network, BOB);
      await says(sim, check, bob, "ARM", /^ARM is for the owner and admins/, "a user may not ARM");
      await says(sim, check, bob, "disarm", /^DISARM is for the owner and admins/, "nor DISARM");
      await says(sim, check, anna, "arm", /^Armed: /, "an admin arms");
      await sim.clock.runUntilCondition(() => sim.owner.inbox.some((m) => /^Anna \(\+1415\*\*\*0177\) armed the tracker\.$/.test(m.text)), REPLY_WITHIN_MS);
      check.ok(sim.owner.inbox.some((m) => /^Anna .* armed the tracker\.$/.test(m.text)), "the owner is told");
      await says(sim, check, anna, "DISARM", /^Disarmed: movement raises no alert\.$/, "the admin disarms");
      await says(sim, check, sim.owner, "HELP ARM", /^ARM: when the parked vehicle moves/, "HELP ARM says how");
      await says(sim, check, sim.owner, `SECURE ON ${DEFAULT_PIN}`, /^Secure mode on/, "secure mode on");
      await says(sim, check, sim.owner, "ARM", /^ARM needs the PIN/, "in secure mode ARM needs the PIN");
      await says(sim, check, sim.owner, `ARM ${DEFAULT_PIN}`, /^Armed: /, "and works with it");
      check.ok(JSON.stringify(sim.device.store).includes('armed\\":\\"on'), "the armed state is in flash");
    },
  },
];

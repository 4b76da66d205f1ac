/**
 * ARM and the movement guard against a receiver that wanders as real ones do
 * (gnss/receiver-errors.ts): 8 hours parked in open sky and in an urban canyon raise nothing, and
 * the multipath spikes are counted. (The tow, DISARM and the roles are scenario files now:
 * test/scenario-files/alerts/.)
 */
import type { Scenario } from "./scenarios.ts";
import { DEFAULT_OWNER } from "../simulation.ts";
import type { DrivePlan, Leg } from "../gnss/drive.ts";
import { DEFAULT_NETWORK_START_UTC_MS } from "../modem/sms-network.ts";
import { OPEN_SKY, URBAN_CANYON, type ReceiverErrorProfile } from "../gnss/receiver-errors.ts";
import { ready, says } from "./scenario-helpers.ts";

const ANNA = "+14155550177"; // admin, receives alerts
const BOB = "+14155550188"; // user, no alerts
const USERS = `${ANNA},Anna,admin,on;${BOB},Bob,user,off`;
const PARKED = { latDeg: 37.33491, lonDeg: -121.88811 };
const ALERT = /^MOVEMENT ALERT: moved \d+ m while armed\./;
const FOLLOW_UP = /^After the movement alert \(\d+ more to come, DISARM stops them\): /;

/** Parked where the owner left it for `parkedS`, then `legs`. */
function plan(parkedS: number, legs: Leg[] = []): DrivePlan {
  return { startUtcMs: DEFAULT_NETWORK_START_UTC_MS, start: PARKED, legs: [{ kind: "stop", durationS: parkedS }, ...legs], coldStartS: 10 };
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
];

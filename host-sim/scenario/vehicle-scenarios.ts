/**
 * FENCE end to end on a generated drive (the exit alert timed against the moment the edge is
 * crossed), and the places the other vehicle scenarios share. STATUS, TRACK, SPEED, UNITS and TZ are
 * scenario files (test/scenario-files/tracking/ and commands/). Places are around downtown San Jose;
 * metres per degree of latitude 111,195, of longitude there 88,400.
 */
import type { Scenario } from "./scenarios.ts";
import { DEFAULT_OWNER } from "../simulation.ts";
import { VirtualPhone } from "../modem/phone.ts";
import type { DrivePlan, Leg } from "../gnss/drive.ts";
import { DEFAULT_NETWORK_START_UTC_MS } from "../modem/sms-network.ts";
import { REPLY_WITHIN_MS, awaitMessage, ready, received, says, within } from "./scenario-helpers.ts";

export const ANNA = "+14155550177"; // admin, receives alerts
export const BOB = "+14155550188"; // user, no alerts
export const USERS = `${ANNA},Anna,admin,on;${BOB},Bob,user,off`;
export const HOME = { latDeg: 37.33491, lonDeg: -121.88811 };
export const M_PER_DEG_LAT = 111_195;

/** A point `northM` metres north of HOME. */
export function north(northM: number): { toLatDeg: number; toLonDeg: number } {
  return { toLatDeg: HOME.latDeg + northM / M_PER_DEG_LAT, toLonDeg: HOME.lonDeg };
}

/** A plan from HOME (fix after 10 s) with `legs`. */
export function planFrom(legs: Leg[]): DrivePlan {
  return { startUtcMs: DEFAULT_NETWORK_START_UTC_MS, start: HOME, legs, coldStartS: 10 };
}

const FENCE_ALERT = /^FENCE ALERT: the vehicle left the 300 m fence at \d\d:\d\d UTC \(\d+ m from its centre\)\. https:\/\/maps\.google\.com\/\?q=[-\d.,]+\nFENCE OFF removes the fence\.$/;
const FENCE_BACK = /^FENCE: the vehicle is back inside the 300 m fence at \d\d:\d\d UTC\. https:/;

/** 30 km/h in m/s. */
const KMH30_MS = 30 / 3.6;

export const VEHICLE_SCENARIOS: readonly Scenario[] = [
  {
    name: "fence-exit-and-enter",
    profileFree: "the fence is the firmware's rule, the same on every modem",
    description:
      "FENCE 300 around the parked car; it is driven 600 m away and back at 30 km/h: one exit alert within 60 s of crossing the edge, one back-inside alert, to the owner and the subscribed admin; FENCE OFF, the third trip raises nothing. A user may not set a fence; 50 m and words are refused.",
    options: {
      settings: { users: USERS },
      gnssSource: planFrom([
        { kind: "stop", durationS: 300 },
        { kind: "drive", ...north(600), speedKmh: 30 },
        { kind: "stop", durationS: 180 },
        { kind: "drive", ...north(0), speedKmh: 30 },
        { kind: "stop", durationS: 300 },
        { kind: "drive", ...north(600), speedKmh: 30 },
        { kind: "stop", durationS: 600 },
      ]),
    },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = new VirtualPhone(sim.network, ANNA);
      const bob = new VirtualPhone(sim.network, BOB);
      await says(sim, check, bob, "FENCE 300", /^FENCE is for the owner and admins\./, "a user may not set a fence");
      await says(sim, check, sim.owner, "FENCE 50", /^Fence not set: the radius must be 100 to 50000 m\.$/, "a 50 m fence is refused (a parked receiver wanders further)");
      await says(sim, check, sim.owner, "FENCE near", /^'near' is not a radius\. Send FENCE <radius m>/, "a word is not a radius");
      await says(sim, check, sim.owner, "FENCE 300", /^Fence set: 300 m around 37\.3349\d,-121\.888\d\d\. You get an alert when the vehicle leaves it or comes back\. FENCE OFF removes it\.$/, "FENCE 300 around the vehicle now");
      await says(sim, check, sim.owner, "fence", /^Fence: 300 m around 37\.3349\d,-121\.888\d\d\. FENCE OFF removes it\.$/, "FENCE alone says what is set");
      // the trip starts at 300 s; the edge (300 m) is crossed 36 s later
      const crossedMs = 300_000 + 1_000 + (300 / KMH30_MS) * 1000;
      const exit = await awaitMessage(sim, sim.owner, FENCE_ALERT, 600_000);
      within(check, exit, crossedMs, 60_000, "the exit alert within 60 s of crossing the edge");
      await awaitMessage(sim, anna, FENCE_ALERT, REPLY_WITHIN_MS);
      check.equal(received(anna, FENCE_ALERT).length, 1, "the subscribed admin gets it");
      const back = await awaitMessage(sim, sim.owner, FENCE_BACK, 600_000);
      // back across the edge: 300 s + 72 s + 180 s + 36 s
      within(check, back, (300 + 72 + 180 + 36) * 1000 + 1_000, 60_000, "the back-inside alert within 60 s of crossing the edge");
      await says(sim, check, sim.owner, "FENCE OFF", /^Fence removed\.$/, "FENCE OFF");
      await sim.runFor(20 * 60_000);
      check.equal(received(sim.owner, FENCE_ALERT).length, 1, "exactly one exit alert: none after FENCE OFF");
      check.equal(received(sim.owner, FENCE_BACK).length, 1, "exactly one back-inside alert");
      check.equal(bob.inbox.filter((m) => /FENCE/.test(m.text) && !/owner and admins/.test(m.text)).length, 0, "the user without alerts gets none");
    },
  },
];

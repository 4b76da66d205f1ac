/**
 * The vehicle commands end to end — STATUS, TRACK, FENCE, SPEED, UNITS and TZ, each right and wrong
 * — on generated drives: every alert fires once per event within its stated time and stops when
 * told. Places are around downtown San Jose; metres per degree of latitude 111,195, of longitude
 * there 88,400.
 */
import type { Scenario } from "./scenarios.ts";
import { DEFAULT_OWNER, DEFAULT_PIN } from "../simulation.ts";
import { VirtualPhone } from "../modem/phone.ts";
import type { DrivePlan, Leg } from "../gnss/drive.ts";
import { DEFAULT_NETWORK_START_UTC_MS } from "../modem/sms-network.ts";
import { REPLY_WITHIN_MS, WHERE_REPLY_WITHIN_MS, awaitMessage, linkCoordinates, ready, received, runUntil, says, within } from "./scenario-helpers.ts";

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
const SPEED_ALERT = /^SPEED ALERT: (\d+) km\/h \(limit 80 km\/h\) at \d\d:\d\d UTC, over the limit for (more than )?\d+ (s|min)\. https:\/\/maps\.google\.com\/\?q=[-\d.,]+\nSPEED OFF stops these alerts\.$/;
const TRACK_POSITION = /^TRACK \((\d+ left, TRACK OFF stops|the last one: tracking ended)\): \d\d:\d\d UTC, (\d+ km\/h|stopped)\nhttps:\/\/maps\.google\.com\/\?q=/;

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
  {
    name: "speed-alert-once-per-excursion",
    profileFree: "the speed limit is the firmware's rule, the same on every modem",
    description:
      "SPEED 80, then a drive at 100 km/h, 60 km/h, 110 km/h: one alert per stretch over the limit with its top speed and where, within 60 s of the stretch's end (or 2 min into it); SPEED OFF, a 120 km/h stretch raises nothing. SPEED 300 and a user's SPEED are refused.",
    options: {
      settings: { users: USERS },
      gnssSource: planFrom([
        { kind: "stop", durationS: 120, ignition: true },
        { kind: "drive", ...north(2_500), speedKmh: 100 },
        { kind: "drive", ...north(4_500), speedKmh: 60 },
        { kind: "drive", ...north(7_500), speedKmh: 110 },
        { kind: "drive", ...north(8_500), speedKmh: 50 },
        { kind: "stop", durationS: 240, ignition: true },
        { kind: "drive", ...north(11_500), speedKmh: 120 },
        { kind: "drive", ...north(12_500), speedKmh: 50 },
        { kind: "stop", durationS: 600 },
      ]),
    },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const bob = new VirtualPhone(sim.network, BOB);
      await says(sim, check, bob, "SPEED 80", /^SPEED is for the owner and admins\./, "a user may not set a limit");
      await says(sim, check, sim.owner, "SPEED 300", /^The limit must be 20 km\/h to 250 km\/h\.$/, "300 km/h is refused");
      await says(sim, check, sim.owner, "SPEED 80", /^Speed limit 80 km\/h: an alert with the top speed and where, once per time it is passed\. SPEED OFF removes it\.$/, "SPEED 80");
      // 100 km/h from 121 s for 90 s (2.5 km), then 60 km/h
      const first = await awaitMessage(sim, sim.owner, SPEED_ALERT, 10 * 60_000);
      within(check, first, 121_000 + 90_000, 60_000 + REPLY_WITHIN_MS, "the first alert within 60 s of the stretch's end");
      check.equal(Number(SPEED_ALERT.exec(first?.text ?? "")?.[1]), 100, "it gives the top speed, 100 km/h");
      const second = await awaitMessage(sim, sim.owner, SPEED_ALERT, 10 * 60_000, 2);
      check.equal(Number(SPEED_ALERT.exec(second?.text ?? "")?.[1]), 110, "the second stretch: 110 km/h");
      const where = linkCoordinates(second?.text);
      check.ok(!!where && where.lat > HOME.latDeg + 4_400 / M_PER_DEG_LAT, "the map link is where the top speed was (on the 110 km/h stretch)", second?.text ?? "");
      await says(sim, check, sim.owner, "SPEED OFF", /^Speed limit removed\.$/, "SPEED OFF");
      await sim.runFor(20 * 60_000);
      check.equal(received(sim.owner, SPEED_ALERT).length, 2, "exactly two alerts: none after SPEED OFF");
    },
  },
  {
    name: "track-positions",
    profileFree: "TRACK is the firmware's schedule, the same on every modem",
    description:
      "TRACK 2 3 while driving: three positions 2 min apart, each saying how many are left, the last saying tracking ended, then nothing; TRACK 1 10 stopped by TRACK OFF after two; TRACK 15 97 (past 24 h) and TRACK soon are refused. A user may TRACK too (the positions go to the user).",
    options: { settings: { users: USERS } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const bob = new VirtualPhone(sim.network, BOB);
      await says(sim, check, sim.owner, "TRACK 15 97", /^TRACK not started: 97 positions every 15 min would run past 24 h \(at most 96\)\.$/, "TRACK past 24 h is refused");
      await says(sim, check, sim.owner, "TRACK soon", /^The interval must be 1 to 1440 minutes\. Send TRACK <minutes> \(count\) \(distance\)/, "TRACK with a word is refused");
      await says(sim, check, sim.owner, "TRACK 2 3", /^Tracking: a position every 2 min, 3 times \(6 min\)\. TRACK OFF stops it\.$/, "TRACK 2 3");
      const startedMs = sim.clock.nowMs;
      const third = await awaitMessage(sim, sim.owner, TRACK_POSITION, 8 * 60_000, 3);
      const positions = received(sim.owner, TRACK_POSITION);
      check.equal(positions.map((p) => TRACK_POSITION.exec(p.text)?.[1]).join(" / "), "2 left, TRACK OFF stops / 1 left, TRACK OFF stops / the last one: tracking ended", "each says how many are left");
      within(check, third, startedMs, 6 * 60_000 + REPLY_WITHIN_MS, "the three came within 6 min");
      const spacing = positions.length === 3 ? (positions[2]!.atMs - positions[0]!.atMs) / 2 : NaN;
      check.near(spacing, 120_000, 10_000, "2 min apart");
      check.ok(new Set(positions.map((p) => linkCoordinates(p.text)?.lat)).size === 3, "the car moved: three places", JSON.stringify(positions.map((p) => p.text)));
      await sim.runFor(10 * 60_000);
      check.equal(received(sim.owner, TRACK_POSITION).length, 3, "nothing after the last");
      await says(sim, check, bob, "TRACK 1 10", /^Tracking: a position every 1 min, 10 times/, "a user may TRACK");
      await awaitMessage(sim, bob, TRACK_POSITION, 3 * 60_000, 2);
      await says(sim, check, bob, "TRACK OFF", /^Tracking stopped\.$/, "TRACK OFF");
      const count = received(bob, TRACK_POSITION).length;
      await sim.runFor(15 * 60_000);
      check.equal(received(bob, TRACK_POSITION).length, count, "nothing after TRACK OFF");
      check.equal(received(sim.owner, TRACK_POSITION).length, 3, "the user's positions went to the user only");
    },
  },
  {
    name: "track-survives-restart",
    profileFree: "TRACK is the firmware's schedule, the same on every modem",
    description: "TRACK 3 4, the tracker restarts after the first position: the other three still come (the plan and the count are in flash), then nothing.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "TRACK 3 4", /^Tracking: a position every 3 min, 4 times/, "TRACK 3 4");
      await awaitMessage(sim, sim.owner, TRACK_POSITION, 4 * 60_000);
      await sim.restartFirmware();
      if (!(await ready(sim, check, "ready after the restart"))) return;
      await awaitMessage(sim, sim.owner, TRACK_POSITION, 12 * 60_000, 4);
      await sim.runFor(10 * 60_000);
      const texts = received(sim.owner, TRACK_POSITION).map((p) => TRACK_POSITION.exec(p.text)?.[1]);
      check.equal(texts.join(" / "), "3 left, TRACK OFF stops / 2 left, TRACK OFF stops / 1 left, TRACK OFF stops / the last one: tracking ended", "four positions in all, counting down across the restart");
    },
  },
  {
    name: "status-units-and-time-zone",
    profileFree: "STATUS, UNITS and TZ are the firmware's texts, the same on every modem",
    description:
      "STATUS in one SMS: GNSS, signal, power and backup battery, SMS left, firmware; with ARM, FENCE, SPEED and TRACK on it says so. UNITS IMPERIAL gives mph; TZ CET gives Central European times in WHERE; TZ MARS and UNITS PARSECS are refused; a user may ask STATUS but not change UNITS.",
    options: { settings: { users: USERS } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const bob = new VirtualPhone(sim.network, BOB);
      await sim.runFor(30_000); // past the first health check (20 s after ready): the signal is known
      const status = await says(sim, check, sim.owner, "STATUS", /^GNSS: fix, \d+ satellites, \d+ s old\nSignal: \w+, -\d+ dBm\nPower: 1[2-4]\.\d V, battery 4\.\d V\nNot armed\nSMS left today: \d+\. Up \d+ (s|min)\. Firmware \d+\.\d+\.\d+$/, "STATUS: every part in plain words");
      check.ok((status?.length ?? 999) <= 160, "in one SMS", `${status?.length}`);
      await says(sim, check, bob, "status", /^GNSS: /, "a user may ask STATUS");
      await says(sim, check, sim.owner, "ARM", /^Armed: /, "ARM");
      await says(sim, check, sim.owner, "FENCE 500", /^Fence set: 500 m/, "FENCE 500");
      await says(sim, check, sim.owner, "SPEED 110", /^Speed limit 110 km\/h/, "SPEED 110");
      await says(sim, check, sim.owner, "TRACK 30 5", /^Tracking: /, "TRACK 30 5");
      const busy = await says(sim, check, sim.owner, "STATUS", /[Aa]rmed/, "STATUS with everything on");
      check.match(busy, /fence 500 m/, "it names the fence");
      check.match(busy, /(limit|speed limit) 110 km\/h/, "and the speed limit");
      check.match(busy, /track(ing)? .*5 left|5 left/, "and the positions left to track");
      await says(sim, check, bob, "UNITS IMPERIAL", /^UNITS is for the owner and admins\./, "a user may not change units");
      await says(sim, check, sim.owner, "UNITS PARSECS", /^Send UNITS METRIC \(km\/h, m\) or UNITS IMPERIAL \(mph, ft\)\.$/, "an unknown unit is refused");
      await says(sim, check, sim.owner, "UNITS IMPERIAL", /^Units: mph and feet from now on\.$/, "UNITS IMPERIAL");
      await says(sim, check, sim.owner, "SPEED", /^Speed limit: 68 mph\. SPEED OFF removes it\.$/, "the limit now in mph");
      await says(sim, check, sim.owner, "TZ MARS", /^unknown time zone\. Send TZ <zone>/i, "an unknown zone is refused");
      await says(sim, check, sim.owner, "TZ Paris", /^Time zone: CET\. Times in replies and alerts use it from now on\.$/, "TZ Paris is Central European Time");
      const where = await says(sim, check, sim.owner, "WHERE", /^Live GNSS fix/, "WHERE");
      check.match(where, /\(\d\d:\d\d:\d\d CE(S)?T\)/, "WHERE gives the fix time in CET");
      check.match(where, /\d+ mph/, "and the speed in mph");
    },
  },
  {
    name: "tunnel-then-garage",
    profileFree: "the WHERE wait and the jamming rule are the firmware's, the same on every modem",
    description:
      "A drive through a 2-minute tunnel at 60 km/h raises no jamming alert (a tunnel is not a jammer); then the car drives down into an underground car park and is parked there, engine off: no jamming alert either; WHERE waits for a fix, then answers the last known position, labelled with its age, and the serving cell.",
    options: {
      gnssSource: planFrom([
        { kind: "stop", durationS: 60, ignition: true },
        { kind: "drive", ...north(1_000), speedKmh: 60 },
        { kind: "drive", ...north(3_000), speedKmh: 60, sky: "none" },
        { kind: "drive", ...north(4_000), speedKmh: 60 },
        { kind: "drive", ...north(4_100), speedKmh: 10, sky: "none" },
        { kind: "stop", durationS: 4 * 3600, sky: "none" },
      ]),
    },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      // 60 s parked, 60 s to the tunnel, 120 s in it, 60 s to the car park's ramp, 36 s down it at 10 km/h
      await runUntil(sim, (60 + 60 + 120 + 60 + 36) * 1000 + 20 * 60_000);
      check.equal(received(sim.owner, /JAMMING/).length, 0, "no jamming alert for the tunnel, nor for the garage");
      const where = await says(sim, check, sim.owner, "WHERE", /^NO live position/, "WHERE in the garage");
      check.match(where, /Last (fix|known),? 2\d min (ago|old)/, "the last known position, with its age");
      check.match(where, /https:\/\/maps\.google\.com\/\?q=37\.37/, "near the garage's entrance");
      check.match(where, /\nCell: MCC 310 MNC 260 LAC 1A2B ID [0-9A-F]+ \(\w+\)$/, "and the serving cell");
    },
  },
  {
    name: "settings-survive-restart-no-repeat",
    profileFree: "what survives a restart is the firmware's settings, the same on every modem",
    description:
      "FENCE 300, SPEED 80 and TRACK survive a restart (STATUS says so after it; ARM's is alert-tow-and-disarm); the car leaves the fence (one alert), the tracker restarts while it is outside: no alert is sent again; when it comes back, one back-inside alert.",
    options: {
      gnssSource: planFrom([
        { kind: "stop", durationS: 300 },
        { kind: "drive", ...north(600), speedKmh: 30 },
        { kind: "stop", durationS: 600 },
        { kind: "drive", ...north(0), speedKmh: 30 },
        { kind: "stop", durationS: 1800 },
      ]),
    },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "FENCE 300", /^Fence set: 300 m/, "FENCE 300");
      await says(sim, check, sim.owner, "SPEED 80", /^Speed limit 80 km\/h/, "SPEED 80");
      await says(sim, check, sim.owner, "TRACK 60 10 5km", /^Tracking: /, "TRACK 60 10 5km");
      await sim.restartFirmware();
      if (!(await ready(sim, check, "ready after the first restart"))) return;
      const status = await says(sim, check, sim.owner, "STATUS", /fence 300 m/, "after a restart STATUS still names the fence");
      check.match(status, /(limit|speed limit) 80 km\/h/, "the speed limit");
      check.match(status, /10 left/, "and the tracking");
      await awaitMessage(sim, sim.owner, FENCE_ALERT, 10 * 60_000);
      await sim.restartFirmware();
      if (!(await ready(sim, check, "ready after the second restart (outside the fence)"))) return;
      await runUntil(sim, (300 + 72 + 500) * 1000);
      check.equal(received(sim.owner, FENCE_ALERT).length, 1, "the exit is not sent again after the restart");
      const back = await awaitMessage(sim, sim.owner, FENCE_BACK, 10 * 60_000);
      check.ok(back !== undefined, "coming back is told once");
      await sim.runFor(10 * 60_000);
      check.equal(received(sim.owner, FENCE_BACK).length, 1, "once");
    },
  },
  {
    name: "where-waiting-number-removed",
    profileFree: "who is answered is the firmware's rule, the same on every modem",
    description:
      "With no fix, a user's WHERE waits for one; the owner removes that user meanwhile: the removed number is told it was removed and gets no position, not even when the wait ends.",
    options: { settings: { users: USERS }, gnssSource: { ...planFrom([{ kind: "stop", durationS: 7200 }]), coldStartS: 3600 } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const bob = new VirtualPhone(sim.network, BOB);
      bob.send(sim.trackerNumber, "WHERE");
      await sim.runFor(15_000);
      await says(sim, check, sim.owner, `DEL Bob ${DEFAULT_PIN}`, /^Bob \(\+1415\*\*\*0188\) was removed/, "the owner removes Bob while his WHERE waits");
      await sim.runFor(WHERE_REPLY_WITHIN_MS);
      check.ok(bob.inbox.some((m) => /was removed/.test(m.text)), "Bob is told he was removed", JSON.stringify(bob.inbox.map((m) => m.text)));
      check.equal(received(bob, /position|Cell:|maps\.google/).length, 0, "and gets no position, nor the cell");
    },
  },
];

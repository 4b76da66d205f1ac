/**
 * The alerts from the vehicle's power and the radio: power cut and restored (within 10 s), backup
 * battery low, engine started while armed, possible GNSS jamming while armed, and the mobile network
 * lost while armed — with the alerts raised meanwhile kept and sent, with their own times, when the
 * network is back. Each fires once per event and stops when told.
 */
import type { Scenario } from "./scenarios.ts";
import { DEFAULT_OWNER } from "../simulation.ts";
import { VirtualPhone } from "../modem/phone.ts";
import { REPLY_WITHIN_MS, awaitMessage, ready, received, says, within } from "./scenario-helpers.ts";
import { ANNA, BOB, USERS, planFrom } from "./vehicle-scenarios.ts";

const POWER_CUT = /^POWER ALERT: power cut at (\d\d:\d\d) UTC; on backup battery \(4\.\d V\)\. Last fix: https:\/\/maps\.google\.com\/\?q=[-\d.,]+\nALERTS OFF stops alerts to you\.$/;
const POWER_BACK = /^POWER: the vehicle's power is back at \d\d:\d\d UTC \(1\d\.\d V\)\.$/;
const BATTERY_LOW = /^BATTERY LOW: the tracker's backup battery is at 3\.\d V \(\d\d:\d\d UTC\); it stops soon unless the vehicle's power returns\./;
const ENGINE = /^ENGINE ALERT: the engine was started at \d\d:\d\d UTC while armed\. Last fix: https:[^\n]+\nDISARM stops these alerts\.$/;
const JAMMING = /^POSSIBLE JAMMING: all \d+ satellites were lost at once at \d\d:\d\d UTC while armed\. Last fix: https:/;
const NETWORK_LOST = /POSSIBLE JAMMING: the mobile network was lost from (\d\d:\d\d) UTC to (\d\d:\d\d) UTC while armed\. Last fix: https:/;

/** Parked at HOME, engine off, for the whole scenario. */
const PARKED = planFrom([{ kind: "stop", durationS: 48 * 3600 }]);

/** "hh:mm" UTC of a simulation time (the network clock). */
function hhmm(utcMs: number): string {
  const d = new Date(utcMs);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

export const POWER_SCENARIOS: readonly Scenario[] = [
  {
    name: "power-cut-and-restored",
    profileFree: "the power rule is the firmware's, the same on every modem",
    description:
      "The vehicle's supply is cut while parked: one power alert within 10 s (plus delivery) to the owner and the subscribed admin, saying the tracker runs on its backup battery; restored 10 min later: one 'power is back'. After the owner's ALERTS OFF the next cut reaches only the admin.",
    options: { gnssSource: PARKED, settings: { users: USERS } },
    registered: [DEFAULT_OWNER, ANNA, BOB],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = new VirtualPhone(sim.network, ANNA);
      const bob = new VirtualPhone(sim.network, BOB);
      await sim.runFor(60_000);
      const cutMs = sim.clock.nowMs;
      sim.vehicle!.cutPower();
      const cut = await awaitMessage(sim, sim.owner, POWER_CUT, 60_000);
      within(check, cut, cutMs, 10_000 + REPLY_WITHIN_MS, "the power alert within 10 s of the cut (plus delivery)");
      check.ok((await awaitMessage(sim, anna, POWER_CUT, REPLY_WITHIN_MS)) !== undefined, "the subscribed admin gets it too");
      await says(sim, check, sim.owner, "STATUS", /\nPower: cut, battery 4\.\d V\n/, "STATUS says the supply is cut");
      await sim.runFor(10 * 60_000);
      const restoredMs = sim.clock.nowMs;
      sim.vehicle!.restorePower();
      const back = await awaitMessage(sim, sim.owner, POWER_BACK, 60_000);
      within(check, back, restoredMs, 10_000 + REPLY_WITHIN_MS, "power restored is told within 10 s (plus delivery)");
      check.equal(received(sim.owner, POWER_CUT).length, 1, "exactly one power alert for the cut");
      check.equal(received(sim.owner, POWER_BACK).length, 1, "exactly one 'power is back'");
      await says(sim, check, sim.owner, "ALERTS OFF", /^Alerts off/, "the owner switches alerts off for the owner's number");
      await sim.runFor(5 * 60_000);
      sim.vehicle!.cutPower();
      await awaitMessage(sim, anna, POWER_CUT, 60_000, 2);
      await sim.runFor(REPLY_WITHIN_MS);
      check.equal(received(anna, POWER_CUT).length, 2, "the admin gets the second cut");
      check.equal(received(sim.owner, POWER_CUT).length, 1, "the owner with alerts off does not");
      check.equal(received(bob, /POWER/).length, 0, "the user without alerts gets none");
    },
  },
  {
    name: "power-battery-low",
    profileFree: "the power rule is the firmware's, the same on every modem",
    description: "The supply stays cut: the backup battery (a small 150 mAh cell, so it runs down in about 2 hours rather than 15) runs low and one 'battery low' alert comes, no more.",
    options: { gnssSource: PARKED, vehicle: { backupMah: 150 } },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(60_000);
      sim.vehicle!.cutPower();
      await awaitMessage(sim, sim.owner, POWER_CUT, 60_000);
      const low = await awaitMessage(sim, sim.owner, BATTERY_LOW, 4 * 3600_000);
      check.ok(low !== undefined, "the battery-low alert comes");
      check.ok(low !== undefined && low.atMs > 3600_000, "after more than an hour on the battery, not at once", `${low ? Math.round(low.atMs / 60_000) : "-"} min`);
      await sim.runFor(60 * 60_000);
      check.equal(received(sim.owner, BATTERY_LOW).length, 1, "exactly one battery-low alert");
    },
  },
  {
    name: "engine-started-while-armed",
    profileFree: "the power rule is the firmware's, the same on every modem",
    description: "Armed and parked, the engine is started (charging voltage appears): one engine alert within 20 s (plus delivery: the alternator's voltage settles some 10 s after the crank, then three samples confirm it), though the car has not moved yet; after DISARM another start raises nothing.",
    options: { gnssSource: PARKED },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "ARM", /^Armed: /, "ARM");
      await sim.runFor(5 * 60_000);
      const startMs = sim.clock.nowMs;
      sim.vehicle!.ignitionOn();
      const engine = await awaitMessage(sim, sim.owner, ENGINE, 60_000);
      // charging voltage settles within ~10 s of the crank; three samples 2 s apart confirm it
      within(check, engine, startMs, 20_000 + REPLY_WITHIN_MS, "the engine alert within 20 s of the start (plus delivery)");
      await sim.runFor(5 * 60_000);
      sim.vehicle!.ignitionOff();
      await sim.runFor(2 * 60_000);
      await says(sim, check, sim.owner, "DISARM", /^Disarmed/, "DISARM");
      sim.vehicle!.ignitionOn();
      await sim.runFor(5 * 60_000);
      check.equal(received(sim.owner, ENGINE).length, 1, "exactly one engine alert: none after DISARM");
    },
  },
  {
    name: "jamming-gnss-while-armed",
    profileFree: "the jamming rule is the firmware's, the same on every modem",
    description: "Armed and parked in open sky, every satellite vanishes at once (a jammer): one 'possible jamming' alert with the last position and the serving cell; the sky stays dark and nothing more comes.",
    options: { gnssSource: PARKED },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "ARM", /^Armed: /, "ARM");
      await sim.runFor(3 * 60_000);
      const jamMs = sim.clock.nowMs;
      sim.gnss.setSignalLost(true);
      const jam = await awaitMessage(sim, sim.owner, JAMMING, 60_000);
      within(check, jam, jamMs, 10_000 + REPLY_WITHIN_MS, "the jamming alert within 10 s (plus delivery)");
      check.match(jam?.text, /\nCell: MCC 310 MNC 260 LAC 1A2B ID [0-9A-F]+ \(\w+\)$/, "with the serving cell (there is no fix)");
      await sim.runFor(30 * 60_000);
      check.equal(received(sim.owner, /JAMMING/).length, 1, "exactly one");
    },
  },
  {
    name: "network-lost-while-armed",
    profileFree: "what is held and reported is the firmware's rule, the same on every modem",
    description:
      "Armed, the mobile network is lost for 15 min and the power is cut meanwhile: nothing can be sent, the alert is kept; when the network is back one message brings the power alert with its own time and the 'network lost from .. to ..' report.",
    options: { gnssSource: PARKED },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await says(sim, check, sim.owner, "ARM", /^Armed: /, "ARM");
      await sim.runFor(2 * 60_000);
      const lostUtc = sim.network.utcMs();
      sim.modem.loseRegistration();
      await sim.runFor(2 * 60_000);
      const cutUtc = sim.network.utcMs();
      sim.vehicle!.cutPower();
      await sim.runFor(13 * 60_000);
      check.equal(received(sim.owner, POWER_CUT).length + received(sim.owner, /POWER ALERT/).length, 0, "nothing reaches the owner while there is no network");
      const backUtc = sim.network.utcMs();
      sim.modem.restoreRegistration();
      const late = await awaitMessage(sim, sim.owner, /^Sent late: the tracker had no network when these happened\./, 2 * 60_000);
      check.ok(late !== undefined, "the held alerts come when the network is back", JSON.stringify(sim.owner.inbox.map((m) => m.text)));
      check.match(late?.text, /POWER ALERT: power cut at \d\d:\d\d UTC/, "with the power alert");
      check.ok((late?.text ?? "").includes(`power cut at ${hhmm(cutUtc)} UTC`) || (late?.text ?? "").includes(`power cut at ${hhmm(cutUtc + 60_000)} UTC`), "at its own time, not the time it was sent", late?.text ?? "");
      const lost = NETWORK_LOST.exec(late?.text ?? "");
      check.ok(lost !== null, "and the network-lost report", late?.text ?? "");
      check.equal(lost?.[1], hhmm(lostUtc), "from when it was lost");
      check.equal(lost?.[2], hhmm(backUtc), "to when it came back");
      await sim.runFor(10 * 60_000);
      check.equal(received(sim.owner, /POWER ALERT/).length, 1, "the power alert once, not again");
    },
  },
];

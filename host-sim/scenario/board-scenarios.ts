/**
 * The board targets in the simulator: a LilyGO T-SIM7600 and a T-SIM7000G unit, whose GNSS is
 * inside the modem (gnssInModem: the virtual GNSS's NMEA goes through the virtual modem and comes
 * out on the AT UART once the firmware has switched it on; the firmware's board option gnssSource
 * "modem"), answer WHERE with a live fix, and switch the GNSS on again after the modem reboots (a
 * reboot switches the receiver off). And the RING line: an SMS whose +CMTI is lost on the line is
 * still answered at once, because RI fell.
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import type { ProfileName } from "../modem/profiles.ts";
import { REPLY_WITHIN_MS, ready, within } from "./scenario-helpers.ts";

/** A WHERE answered from a live fix. */
const LIVE = /^Live GNSS fix/;
/** How long after ready the modem's GNSS may take to be on and its first fix in (ms). */
const GNSS_ON_WITHIN_MS = 30_000;

/** Command lines the modem received, starting with `prefix`. */
function commandsSent(sim: Simulation, prefix: string): string[] {
  return sim.modem.traffic.filter((t) => t.direction === "to-modem" && t.kind !== "ignored" && t.text.toUpperCase().startsWith(prefix)).map((t) => t.text);
}

/** WHERE now: one reply within REPLY_WITHIN_MS, answered from a live fix. */
async function liveWhere(sim: Simulation, check: Checks, what: string): Promise<void> {
  const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
  check.match(reply?.text ?? "(no reply)", LIVE, what);
}

function gnssInModemScenario(board: string, profile: ProfileName, streamCommand: string): Scenario {
  return {
    name: `board-${board}-where`,
    description:
      `A ${board.toUpperCase()} unit (${profile} modem, GNSS inside it): after ready the firmware switches the modem's GNSS on (${streamCommand} last) and WHERE is answered from a live fix read off the modem UART; the modem reboots, the firmware switches the GNSS on again and WHERE is live again.`,
    options: { modemProfile: profile, gnssInModem: true },
    notOnModdable: "the lin app is built once, with the T-A7670's configuration (GNSS on its own UART)",
    profileFree: "the board fixes its modem (and the GNSS inside it): another profile is another board",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      check.ok(await sim.clock.runUntilCondition(() => commandsSent(sim, streamCommand).length === 1, GNSS_ON_WITHIN_MS), `the firmware sends ${streamCommand} after ready`);
      await sim.runFor(GNSS_ON_WITHIN_MS);
      await liveWhere(sim, check, "WHERE is answered from the modem's GNSS");
      const rebootMs = sim.clock.nowMs;
      sim.modem.rebootAfter(0);
      await sim.runFor(1_000);
      if (!(await ready(sim, check, "ready again after the modem's reboot"))) return;
      const again = await sim.clock.runUntilCondition(() => commandsSent(sim, streamCommand).length === 2, GNSS_ON_WITHIN_MS);
      check.ok(again, `${streamCommand} is sent again after the reboot`, `${Math.round((sim.clock.nowMs - rebootMs) / 1000)} s after it`);
      await sim.runFor(GNSS_ON_WITHIN_MS);
      await liveWhere(sim, check, "WHERE is live again after the reboot");
      check.equal(sim.device.faults.length, 0, "no exception escaped the firmware");
    },
  };
}

export const BOARD_SCENARIOS: readonly Scenario[] = [
  gnssInModemScenario("t-sim7600", "sim7600", "AT+CGNSSTST=1"),
  gnssInModemScenario("t-sim7000g", "sim7000", "AT+CGNSTST=1"),
  {
    name: "board-ring-lost-indication",
    profileFree: "the RING line and the inbox's answer to it are the firmware's, the same on every modem",
    description:
      "A T-A7670 unit with its RI line wired: the owner's STATUS arrives but its +CMTI is lost on the line; RI fell, so the firmware lists the SIM store at once (not at the 5-minute sweep) and the reply comes within the usual reply time.",
    options: { ringLine: true, lostModemLines: /\+CMTI:/ },
    notOnModdable: "the lin app's provider has no RING input",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      await sim.runFor(60_000); // the first sweep after ready is over
      const sentMs = sim.clock.nowMs;
      const reply = await sim.ask(sim.owner, "STATUS", 4 * 60_000);
      check.ok(sim.lostModemWrites >= 1, "the +CMTI was lost on the line");
      check.ok(sim.ringEdges.some((t) => t >= sentMs), "RI fell for the message");
      within(check, reply, sentMs, REPLY_WITHIN_MS, "STATUS answered at once on RING, not at the next sweep");
    },
  },
];

/**
 * The product's invariants, checked after every scenario: location leaves only inside an SMS to a
 * registered number, every AT command the modem received is on the firmware's allow list (so no
 * data bearer is ever opened), no coordinates in logs at the default level, none in flash but the
 * fence centre the owner set (FENCE), and the firmware never threw.
 */
import type { Simulation } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import { VirtualModem } from "../modem/virtual-modem.ts";
import { isAllowedAtCommand } from "../../src/modem/at-allow-list.ts";

/** Something that looks like a coordinate: a number with 4 or more decimals. */
const COORDINATE = /-?\d{1,3}\.\d{4,}/;

/**
 * JSON.stringify replacer: a settings slot ("seq;crc;json") with its fence value (the one place the
 * owner chose to keep) left out; everything else as it is.
 */
function withoutFence(key: string, value: unknown): unknown {
  if ((key !== "cfg.a" && key !== "cfg.b") || typeof value !== "string") return value;
  const json = value.indexOf("{");
  if (json < 0) return value;
  try {
    const record = JSON.parse(value.slice(json)) as Record<string, unknown>;
    delete record.fence;
    return JSON.stringify(record);
  } catch {
    return value;
  }
}

export function checkInvariants(sim: Simulation, check: Checks, registered: readonly string[]): void {
  check.equal(sim.device.faults.length, 0, "the firmware never threw");
  if (sim.device.faults.length) check.ok(false, "first firmware fault", sim.device.faults[0]!);
  check.equal(sim.modem.forbiddenCommands.length, 0, "no data-bearer command was ever sent to the modem");
  if (sim.modem instanceof VirtualModem) {
    const off = sim.modem.commandLines.filter((c) => !isAllowedAtCommand(c.command)).map((c) => c.command);
    check.ok(off.length === 0, "every AT command sent is on the firmware's allow list", JSON.stringify(off.slice(0, 5)));
  }
  const sent = sim.network.messagesFrom(sim.trackerNumber);
  const strayTo = sent.filter((m) => !registered.includes(m.to)).map((m) => m.to);
  check.ok(strayTo.length === 0, "the tracker sent SMS only to registered numbers", `also sent to ${strayTo.join(", ")}`);
  const leaky = sim.device.logs.filter((l) => l.level !== "debug" && COORDINATE.test(l.message));
  check.ok(leaky.length === 0, "no coordinates in logs above debug level", leaky.map((l) => l.message).join(" | "));
  const stored = JSON.stringify(sim.device.store, withoutFence);
  check.ok(!COORDINATE.test(stored), "no location in flash (but the fence centre the owner set)", stored);
}

/**
 * SMS network faults: slow delivery, duplicates, lost messages, and the parts of a long message
 * arriving out of order.
 */
import { s } from "../scenario/files/spec.ts";
import { parseDuration } from "../scenario/files/duration.ts";
import { type FaultDefinition, type FaultParams, type FaultWorld, numberParam } from "./fault-types.ts";

const toParam = s.optional(s.string("whose messages: a phone's name, or tracker (default)"));
const timesParam = s.optional(s.integer("how many messages (default 1)", 1, 1000));

function countFault(name: string, description: string, pick: (world: FaultWorld) => { count: number; to: string | undefined }): FaultDefinition {
  return {
    name,
    description,
    params: { to: toParam, times: timesParam },
    lasting: false,
    start(world, params: FaultParams) {
      const fault = pick(world);
      fault.count = numberParam(params, "times", 1);
      fault.to = world.numberOf(typeof params["to"] === "string" ? params["to"] : "tracker");
    },
  };
}

export const NETWORK_FAULTS: readonly FaultDefinition[] = [
  {
    name: "sms-delay",
    description: "The network is slow: every message takes this much longer to arrive.",
    params: { by: s.required(s.duration("the extra delay")) },
    lasting: true,
    start(world, params) {
      const trouble = world.sim.network.trouble;
      const by = parseDuration(params["by"]) ?? 0;
      trouble.extraDelayMs += by;
      return () => {
        trouble.extraDelayMs -= by;
      };
    },
  },
  countFault("sms-duplicate", "The network delivers the next message(s) twice.", (w) => w.sim.network.trouble.duplicate),
  countFault("sms-lost", "The network loses the next message(s).", (w) => w.sim.network.trouble.lose),
  {
    name: "sms-out-of-order",
    description: "The parts of the next long (multi-part) message sent to the tracker arrive last part first.",
    params: {},
    lasting: false,
    start(world) {
      world.nextSend = { ...world.nextSend, partOrder: "reverse" };
    },
  },
];

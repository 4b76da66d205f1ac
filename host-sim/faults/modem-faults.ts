/**
 * Modem faults: a command that times out or answers ERROR / +CMS ERROR, an unsolicited reboot,
 * the SIM pulled out, registration lost, roaming, and a full SMS store.
 */
import { s } from "../scenario/files/spec.ts";
import type { FaultReply } from "../modem/faults.ts";
import { type FaultDefinition, type FaultParams, numberParam, stringParam } from "./fault-types.ts";

const matchParam = (fallback: string) => s.optional(s.string(`the command it hits: a prefix such as AT+CMGS (default ${fallback})`));
const timesParam = s.optional(s.integer("how many matching commands it hits (default 1)", 1, 1000));
const stageParam = s.optional(
  s.oneOf(["command", "submit", "result"], "AT+CMGS only: command (default: the command fails), submit (after the text), result (sent, but the result is lost)"),
);

function commandFault(name: string, description: string, reply: (params: FaultParams) => FaultReply, fallback: string, extra = {}): FaultDefinition {
  return {
    name,
    description,
    params: { match: matchParam(fallback), times: timesParam, stage: stageParam, ...extra },
    lasting: false,
    start(world, params) {
      const stage = params["stage"];
      world.sim.modem.injectFault({
        match: stringParam(params, "match", fallback),
        reply: reply(params),
        times: numberParam(params, "times", 1),
        ...(stage === "command" || stage === "submit" || stage === "result" ? { stage } : {}),
      });
    },
  };
}

export const MODEM_FAULTS: readonly FaultDefinition[] = [
  commandFault("modem-timeout", "A command gets no answer at all.", () => "timeout", "AT+CMGS"),
  commandFault("modem-error", "A command answers ERROR.", () => "ERROR", "AT+CMGS"),
  commandFault("modem-cms-error", "A command answers +CMS ERROR: <code>.", (p) => `cms:${numberParam(p, "code", 500)}`, "AT+CMGS", {
    code: s.optional(s.integer("the +CMS ERROR code (default 500, unknown error)", 0, 999)),
  }),
  commandFault("modem-garbage", "A command's answer has junk bytes in its middle.", () => "garbage", "AT+CMGR"),
  {
    name: "modem-reboot",
    description: "The modem reboots by itself (a brown-out of its own, a firmware crash).",
    params: {},
    lasting: false,
    start(world) {
      world.sim.modem.reboot();
    },
  },
  {
    name: "sim-removed",
    description: "The SIM card is pulled out; when the fault ends it is put back and the modem restarted (the modelled modems read the SIM at boot only).",
    params: {},
    lasting: true,
    start(world) {
      world.sim.modem.removeSim();
      return () => {
        world.sim.modem.insertSim();
        world.sim.modem.reboot();
      };
    },
  },
  {
    name: "registration-lost",
    description: "The modem loses the network (no service) until the fault ends.",
    params: {},
    lasting: true,
    start(world) {
      world.sim.modem.loseRegistration();
      return () => world.sim.modem.restoreRegistration();
    },
  },
  {
    name: "roaming",
    description: "The modem is registered on a visited network (roaming) until the fault ends.",
    params: {},
    lasting: true,
    start(world) {
      world.sim.modem.setRegistered(5);
      return () => world.sim.modem.setRegistered(1);
    },
  },
  {
    name: "sms-store-full",
    description: "The SIM's SMS store is filled with old messages.",
    params: {},
    lasting: false,
    start(world) {
      world.sim.modem.fillStorage();
    },
  },
];

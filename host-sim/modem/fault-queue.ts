/**
 * The faults injected into the virtual modem (VirtualModem.injectFault): tried in the order they
 * were added, each matching a command line at one stage (command, submit, result) for its number of
 * times; and the error a fault reply stands for.
 */
import { type ErrorReply, PLAIN_ERROR, cme, cms } from "./at-syntax.ts";
import type { FaultReply, FaultSpec } from "./faults.ts";

interface Fault {
  spec: FaultSpec;
  left: number;
}

export class FaultQueue {
  private faults: Fault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The reply of the first fault that matches `line` at `stage` (one of its times used), or undefined. */
  take(line: string, stage: NonNullable<FaultSpec["stage"]>): FaultReply | undefined {
    for (const fault of this.faults) {
      if (fault.left <= 0 || (fault.spec.stage ?? "command") !== stage) continue;
      const { match } = fault.spec;
      const hit = typeof match === "string" ? line.toUpperCase().startsWith(match.toUpperCase()) : match.test(line);
      if (!hit) continue;
      fault.left--;
      this.faults = this.faults.filter((f) => f.left > 0);
      return fault.spec.reply;
    }
    return undefined;
  }
}

/** The error reply a fault stands for ("cms:<n>", "cme:<n>", anything else a plain ERROR). */
export function faultError(reply: FaultReply): ErrorReply {
  if (reply.startsWith("cms:")) return cms(Number(reply.slice(4)));
  if (reply.startsWith("cme:")) return cme(Number(reply.slice(4)));
  return PLAIN_ERROR;
}

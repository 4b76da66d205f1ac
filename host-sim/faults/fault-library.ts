/**
 * Every fault a scenario file can name (`fault: <name>` in its timeline), by family: serial lines,
 * modem, SMS network, GNSS receiver, power. docs/scenario-files.md lists them with their parameters.
 */
import type { FaultDefinition } from "./fault-types.ts";
import { UART_FAULTS } from "./uart-faults.ts";
import { MODEM_FAULTS } from "./modem-faults.ts";
import { NETWORK_FAULTS } from "./network-faults.ts";
import { GNSS_FAULTS } from "./gnss-faults.ts";
import { POWER_FAULTS } from "./power-faults.ts";

export type { FaultDefinition, FaultParams, FaultWorld } from "./fault-types.ts";

export const FAULT_FAMILIES: Readonly<Record<string, readonly FaultDefinition[]>> = {
  "serial lines": UART_FAULTS,
  modem: MODEM_FAULTS,
  "SMS network": NETWORK_FAULTS,
  "GNSS receiver": GNSS_FAULTS,
  power: POWER_FAULTS,
};

export const FAULTS: readonly FaultDefinition[] = Object.values(FAULT_FAMILIES).flat();

/** The fault named `name`, or undefined. */
export function findFault(name: string): FaultDefinition | undefined {
  return FAULTS.find((f) => f.name === name);
}

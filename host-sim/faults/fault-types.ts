/**
 * The fault library's shape: every fault a scenario file can name is a FaultDefinition with its
 * parameters (described for the file checker and the JSON Schema) and a start that returns how to
 * end it. Faults that last (`for: 10m`) are ended by the timeline; others act once.
 */
import type { Simulation } from "../simulation.ts";
import type { Random } from "../random.ts";
import type { Property } from "../scenario/files/spec.ts";
import type { DeliveryOptions } from "../modem/sms-network.ts";

/** A fault's parameters as the file gave them (already checked against `params`). */
export type FaultParams = Readonly<Record<string, unknown>>;

/** What faults share within one run: a seeded random source and the layered line and receiver edits. */
export interface FaultWorld {
  readonly sim: Simulation;
  readonly random: Random;
  /** Delivery options for the next SMS a timeline `send` step submits (e.g. parts out of order). */
  nextSend: DeliveryOptions | undefined;
  /** The number of a phone named in the file ("owner", "stranger", a user's or phone's name), or "tracker". */
  numberOf(name: string): string;
  /** Add an edit of each GNSS epoch's sentences; returns its removal. Edits apply in the order added. */
  addGnssEdit(edit: (lines: string[]) => string[]): () => void;
  /** Add an edit of the bytes on one line toward the firmware or the modem; returns its removal. */
  addLineEdit(line: LineName, edit: (bytes: Uint8Array) => Uint8Array): () => void;
}

/** The serial lines a line fault can hit. */
export type LineName = "modem" | "gnss" | "to-modem";

export interface FaultDefinition {
  /** The name a file uses (`fault: gnss-outage`). */
  readonly name: string;
  /** One sentence for the docs and editors. */
  readonly description: string;
  /** Its parameters besides `for` (which every lasting fault takes). */
  readonly params: Readonly<Record<string, Property>>;
  /** True when it lasts until `for` ends it (or the run ends); false when it acts once. */
  readonly lasting: boolean;
  /** Start it; the returned function ends it (lasting faults). */
  start(world: FaultWorld, params: FaultParams): (() => void) | void | Promise<void>;
}

/** A numeric parameter, or `fallback`. */
export function numberParam(params: FaultParams, key: string, fallback: number): number {
  const value = params[key];
  return typeof value === "number" ? value : fallback;
}

/** A string parameter, or `fallback`. */
export function stringParam(params: FaultParams, key: string, fallback: string): string {
  const value = params[key];
  return typeof value === "string" ? value : fallback;
}

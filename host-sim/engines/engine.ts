import type { WireRecord } from "../guest/wire-format.ts";

/** A JavaScript engine that runs the firmware guest and answers step messages. */
export interface EngineStep {
  /** The guest's response message (wire-format.ts). */
  response: Uint8Array;
  /** XS only: computrons this step used (xsnap meter). */
  computrons?: number;
  /** XS only: heap slots in use after the step (xsnap meter). */
  heapSlots?: number;
}

export interface FirmwareEngine {
  /** "node" or "xs". */
  readonly name: "node" | "xs";
  /** Deliver one step message; resolves with the response. Steps never overlap. */
  step(message: Uint8Array): Promise<EngineStep>;
  /**
   * An engine in the host's own process: the same step as records, without encoding them to bytes
   * and back (the guest runs the same code either way; the XS engine's steps cross as bytes).
   */
  stepRecords?(nowMs: number, records: readonly WireRecord[]): WireRecord[];
  /** Stop the engine (idempotent). */
  close(): Promise<void>;
  /** XS only: collect garbage and resolve with the heap slots still in use (never during a step). */
  liveHeapSlots?(): Promise<number>;
}

/**
 * Where the firmware runs: "node" and "xs" step the firmware guest on the virtual clock (in this
 * process, or in xsnap: the XS engine without the Moddable runtime); "moddable" is the real
 * Moddable runtime (the lin build under mcsim, over pseudo-terminals, on the wall clock).
 */
export type EngineName = "node" | "xs" | "moddable";

/** Every engine. */
export const ENGINE_NAMES: readonly EngineName[] = ["node", "xs", "moddable"];
/** The stepped engines ("both" on the command line): virtual time, seconds for a simulated day. */
export const STEPPED_ENGINES: readonly EngineName[] = ["node", "xs"];

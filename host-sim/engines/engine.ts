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
  readonly name: EngineName;
  /** Deliver one step message; resolves with the response. Steps never overlap. */
  step(message: Uint8Array): Promise<EngineStep>;
  /** Stop the engine (idempotent). */
  close(): Promise<void>;
}

export type EngineName = "node" | "xs";

export const ENGINE_NAMES: readonly EngineName[] = ["node", "xs"];

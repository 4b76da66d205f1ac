/** Runs the firmware guest in this Node process. */
import { FirmwareGuest } from "../guest/firmware-guest.ts";
import type { EngineStep, FirmwareEngine } from "./engine.ts";

export class NodeEngine implements FirmwareEngine {
  readonly name = "node" as const;
  /** The guest this engine steps (tests may look at its ports, e.g. `guest.power`). */
  readonly guest = new FirmwareGuest();

  async step(message: Uint8Array): Promise<EngineStep> {
    return { response: this.guest.handle(message) };
  }

  async close(): Promise<void> {}
}

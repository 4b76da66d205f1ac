/**
 * Runs the firmware guest in this Node process, with the device's `String.fromArrayBuffer`
 * semantics given to its NMEA reader (Node has none), so it takes the device's path.
 */
import { FirmwareGuest } from "../guest/firmware-guest.ts";
import { deviceFromArrayBuffer } from "./device-string.ts";
import type { EngineStep, FirmwareEngine } from "./engine.ts";
import type { WireRecord } from "../guest/wire-format.ts";

export class NodeEngine implements FirmwareEngine {
  readonly name = "node" as const;
  /** The guest this engine steps (tests may look at its ports, e.g. `guest.power`). */
  readonly guest = new FirmwareGuest(deviceFromArrayBuffer);

  async step(message: Uint8Array): Promise<EngineStep> {
    return { response: this.guest.handle(message) };
  }

  stepRecords(nowMs: number, records: readonly WireRecord[]): WireRecord[] {
    return this.guest.handleRecords(nowMs, records);
  }

  async close(): Promise<void> {}
}

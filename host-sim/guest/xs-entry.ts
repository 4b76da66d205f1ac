/**
 * Entry of the bundle loaded into the XS engine: one firmware guest, reached through xsnap's
 * global `handleCommand(ArrayBuffer) → ArrayBuffer`.
 */
import { FirmwareGuest } from "./firmware-guest.ts";

const guest = new FirmwareGuest();

(globalThis as unknown as { handleCommand: (message: ArrayBuffer) => ArrayBuffer }).handleCommand = (message) =>
  guest.handle(new Uint8Array(message)).buffer as ArrayBuffer;

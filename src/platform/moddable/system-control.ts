/**
 * SystemControl on the Moddable runtime: restart() is the SDK's System.restart (modules/io/system:
 * esp_restart() on ESP32), which the esp32 board targets preload as the module "system"; it sets
 * the global `System`. Builds without it (the lin app) have no restart: systemControl() is then
 * undefined and the port is absent.
 */
import type { SystemControl } from "../ports";

/** What this module needs of the SDK's global System. */
interface SystemGlobal {
  restart(): void;
}

/** The device's restart, when the build has the SDK's System module. */
export function systemControl(): SystemControl | undefined {
  const system = (globalThis as unknown as { System?: SystemGlobal }).System;
  if (system === undefined || typeof system.restart !== "function") return undefined;
  return Object.freeze({
    restart(): void {
      system.restart();
    },
  });
}

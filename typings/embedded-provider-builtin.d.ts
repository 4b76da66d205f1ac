/*
 * embedded:provider/builtin — the board's host provider (targets/<board>/host/provider.js).
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x on ESP32
 * (see /work/shared/reference/moddable.md); not copied from the Moddable typings. Covers only what
 * the firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 * Only the members this project's provider defines are declared.
 */
declare module "embedded:provider/builtin" {
  import type Serial from "embedded:io/serial";
  import type Digital from "embedded:io/digital";
  import type Analog from "embedded:io/analog";

  const device: {
    /** Analog: the board target's provider only (the lin provider has no ADC). */
    readonly io: { readonly Serial: typeof Serial; readonly Digital: typeof Digital; readonly Analog?: typeof Analog };
    readonly Serial: {
      readonly default: { readonly io: typeof Serial; readonly port: number; readonly receive: number; readonly transmit: number };
    };
    readonly pin: { readonly [name: string]: number };
  };
  export default device;
}

/*
 * embedded:io/digital — ECMA-419 Digital (not available on the lin/mac/win simulators).
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x on ESP32
 * (see /work/shared/reference/moddable.md); not copied from the Moddable typings. Covers only what
 * the firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 */
declare module "embedded:io/digital" {
  export interface DigitalOptions {
    /** GPIO number. */
    pin: number;
    /** One of the static mode constants (Digital.Output, Digital.Input, ...). */
    mode: number;
    /** Edge mask (Digital.Rising | Digital.Falling) for onReadable. */
    edge?: number;
    onReadable?: () => void;
    format?: "number";
    target?: unknown;
  }

  export default class Digital {
    static readonly Input: number;
    static readonly InputPullUp: number;
    static readonly InputPullDown: number;
    static readonly InputPullUpDown: number;
    static readonly Output: number;
    static readonly OutputOpenDrain: number;
    static readonly Rising: number;
    static readonly Falling: number;
    constructor(options: DigitalOptions);
    /** 0 or 1. */
    read(): 0 | 1;
    write(value: 0 | 1): void;
    close(): void;
  }
}

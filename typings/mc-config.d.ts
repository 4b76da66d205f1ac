/*
 * mc/config — the manifest's frozen "config" object (mcconfig key=value arguments override it, as strings).
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x on ESP32
 * (see /work/shared/reference/moddable.md); not copied from the Moddable typings. Covers only what
 * the firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 */
declare module "mc/config" {
  const config: { readonly [key: string]: unknown };
  export default config;
}

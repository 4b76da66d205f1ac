/*
 * preference — Moddable Preference (NVS on ESP32).
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x on ESP32
 * (see /work/shared/reference/moddable.md); not copied from the Moddable typings. Covers only what
 * the firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 *
 * ESP32: domain and key at most 15 characters; values at most 4000 bytes; integers (stored as i32),
 * strings, booleans and ArrayBuffer only. Non-integer numbers throw "float unsupported", other types
 * throw "unsupported type". Every set/delete is a flash write.
 */
declare module "preference" {
  const Preference: {
    set(domain: string, key: string, value: string | number | boolean | ArrayBuffer): void;
    /** undefined when absent. */
    get(domain: string, key: string): string | number | boolean | ArrayBuffer | undefined;
    /** No error when absent. */
    delete(domain: string, key: string): void;
    keys(domain: string): string[];
  };
  export default Preference;
}

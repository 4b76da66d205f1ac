/*
 * instrumentation — Moddable Instrumentation ($(MODULES)/base/instrumentation).
 * Written for this project from the documented behaviour of the Moddable SDK 8.2.x (see
 * /work/shared/reference/moddable.md §3.6); not copied from the Moddable typings. Covers only what the
 * firmware uses. Used by `tsc -p tsconfig.firmware.json` only: mcconfig type-checks against the
 * SDK's own typings, so code must compile against both (never reference these files from src/).
 *
 * Values exist only in debug and instrumented builds: release builds return undefined.
 */
declare module "instrumentation" {
  const Instrumentation: {
    /** The index of a named figure (e.g. "XS Slot Heap Used"), undefined when unknown or not instrumented. */
    map(name: string): number | undefined;
    /** The figure at `index`, undefined when not instrumented. */
    get(index: number): number | undefined;
  };
  export default Instrumentation;
}

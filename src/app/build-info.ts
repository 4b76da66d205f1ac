/**
 * Facts about this firmware build. FIRMWARE_DATE_MS is raised with every release: GNSS dates before
 * it are GPS week-rollover errors (receivers with an old epoch report dates 1024 weeks early) and
 * are repaired by adding 1024 weeks until they are not before it. test/app/build-info.test.ts keeps
 * it from falling far behind the package version's release.
 */

/** Firmware version (package.json "version"). */
export const FIRMWARE_VERSION = "0.1.0";

/** Release date of this firmware, ms since the Unix epoch (UTC): 2026-11-24. */
export const FIRMWARE_DATE_MS = 1_795_478_400_000;

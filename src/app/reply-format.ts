/**
 * How replies and alerts give times, speeds and distances: in the owner's time zone (settings
 * timeZone, commands/local-time.ts) and units (settings units, commands/units.ts). One place, so
 * WHERE, STATUS, TRACK and every alert read alike.
 */
import type { Settings } from "../store/settings";
import type { Fix } from "../gnss/fix";
import { localTime, zoneFromSetting } from "../commands/local-time";
import { distanceText, speedText, unitsOf, type Units } from "../commands/units";
import { mapLink } from "../commands/where-reply";

export class ReplyFormat {
  readonly #settings: Settings;

  constructor(settings: Settings) {
    this.#settings = settings;
  }

  /** The owner's units. */
  get units(): Units {
    return unitsOf(this.#settings.get("units"));
  }

  /** "02:14 CET" for a UTC instant (ms) in the owner's zone; "time unknown" when it is not a number. */
  timeText(utcMs: number): string {
    if (!Number.isFinite(utcMs)) return "time unknown";
    const local = localTime(utcMs, zoneFromSetting(this.#settings.get("timeZone")));
    return `${local.hhmm} ${local.label}`;
  }

  /** "131 km/h" or "81 mph"; "speed unknown" when not a number. */
  speedText(kmh: number): string {
    return speedText(kmh, this.units) || "speed unknown";
  }

  /** "350 m" / "1.2 km", or "1150 ft" / "1.3 mi"; "distance unknown" when not a number. */
  distanceText(metres: number): string {
    return distanceText(metres, this.units) || "distance unknown";
  }

  /** The map link for a fix (the same as WHERE's). */
  mapLink(fix: Fix): string {
    return mapLink(fix);
  }
}

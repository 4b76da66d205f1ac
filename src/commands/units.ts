/**
 * Units in replies and alerts (the `units` setting): "metric" (km/h, m, km) or "imperial" (mph,
 * ft, mi). The firmware computes in metric (names carry the unit); these only write text.
 * Non-finite input gives "" (the caller leaves the item out); nothing throws.
 */

/** The two unit systems. */
export type Units = "metric" | "imperial";

/** Metres in an international foot. */
export const METRES_PER_FOOT = 0.3048;
/** Metres in an international mile. */
export const METRES_PER_MILE = 1609.344;
/** km/h in one mph. */
export const KMH_PER_MPH = 1.609344;

/** The units a setting text names: "imperial", else "metric" (the default, also for garbage). */
export function unitsOf(setting: string): Units {
  return setting === "imperial" ? "imperial" : "metric";
}

/** "63 km/h" / "39 mph" (rounded to whole units); "" when not finite. */
export function speedText(speedKmh: number, units: Units): string {
  if (typeof speedKmh !== "number" || !Number.isFinite(speedKmh)) return "";
  return units === "imperial" ? `${Math.round(speedKmh / KMH_PER_MPH)} mph` : `${Math.round(speedKmh)} km/h`;
}

/** A short length in the small unit: "12 m" / "39 ft" (rounded, at least 1); "" when not finite or negative. */
export function lengthText(lengthM: number, units: Units): string {
  if (typeof lengthM !== "number" || !Number.isFinite(lengthM) || lengthM < 0) return "";
  const value = units === "imperial" ? lengthM / METRES_PER_FOOT : lengthM;
  return `${Math.max(1, Math.round(value))} ${units === "imperial" ? "ft" : "m"}`;
}

/**
 * A distance, scaled: metric "850 m" below 1 km, "1.2 km" below 10 km, "12 km" above; imperial
 * "850 ft" below 1000 ft, "1.2 mi" below 10 mi, "12 mi" above. "" when not finite or negative.
 */
export function distanceText(distanceM: number, units: Units): string {
  if (typeof distanceM !== "number" || !Number.isFinite(distanceM) || distanceM < 0) return "";
  if (units === "imperial") {
    const feet = distanceM / METRES_PER_FOOT;
    if (Math.round(feet) < 1000) return `${Math.round(feet)} ft`;
    return scaled(distanceM / METRES_PER_MILE, "mi");
  }
  if (Math.round(distanceM) < 1000) return `${Math.round(distanceM)} m`;
  return scaled(distanceM / 1000, "km");
}

/** "1.2 km" below 10 (one decimal, "1 km" when it is .0), "12 km" from 10 on. */
function scaled(value: number, unit: string): string {
  const tenths = Math.round(value * 10);
  if (tenths >= 100) return `${Math.round(value)} ${unit}`;
  const whole = Math.floor(tenths / 10);
  const decimal = tenths % 10;
  return decimal === 0 ? `${whole} ${unit}` : `${whole}.${decimal} ${unit}`;
}

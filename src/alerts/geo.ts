/** Distances on the Earth for the alert rules (metres, degrees). */

/** Mean Earth radius, metres (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance between two points (haversine), metres. */
export function distanceM(lat1Deg: number, lon1Deg: number, lat2Deg: number, lon2Deg: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2Deg - lat1Deg) * rad;
  const dLon = (lon2Deg - lon1Deg) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1Deg * rad) * Math.cos(lat2Deg * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

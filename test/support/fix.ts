/** A complete, valid Fix for tests: a 3D GNSS fix in San Jose at HDOP 0.9, with `over` applied. */
import { FixMode, FixQuality, UERE_M, type Fix, type SatelliteCounts } from "../../src/gnss/fix.ts";

/** Satellite counts with `gps` GPS satellites and none of the other systems. */
export const gpsOnly = (gps: number): SatelliteCounts => ({ gps, glonass: 0, galileo: 0, beidou: 0, qzss: 0, navic: 0 });

export function testFix(over: Partial<Fix> = {}): Fix {
  const hdop = over.hdop ?? 0.9;
  return {
    valid: true,
    latitudeDeg: 37.334912,
    longitudeDeg: -121.888107,
    altitudeM: 26,
    geoidSeparationM: -32,
    speedKmh: 42.4,
    courseDeg: 44,
    quality: FixQuality.Gnss,
    fixMode: FixMode.Fix3D,
    satellites: 9,
    satellitesUsed: 9,
    satellitesUsedBySystem: gpsOnly(9),
    satellitesInView: 12,
    satellitesInViewBySystem: gpsOnly(12),
    hdop,
    pdop: 1.5,
    vdop: 1.2,
    accuracyM: hdop * UERE_M,
    utcMs: Date.UTC(2026, 10, 24, 22, 15, 3),
    weekRolloverRepaired: false,
    receivedAtMs: 100_000,
    ...over,
  };
}

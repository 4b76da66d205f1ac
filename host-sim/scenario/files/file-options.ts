/**
 * A scenario file's world as simulation options: the device's flash (owner, PIN, country, users,
 * settings), the modem, the GNSS source and the vehicle.
 */
import { getCountryCallingCode, type CountryCode } from "libphonenumber-js";
import type { SimulationOptions } from "../../simulation.ts";
import { DEFAULT_OWNER } from "../../simulation.ts";
import type { SettingsValues } from "../../flash-image.ts";
import { type DrivePlan, type Leg } from "../../gnss/drive.ts";
import { loadNmeaFile } from "../../gnss/virtual-gnss.ts";
import { OPEN_SKY, URBAN_CANYON } from "../../gnss/receiver-errors.ts";
import { DEFAULT_NETWORK_START_UTC_MS } from "../../modem/sms-network.ts";
import type { ProfileName } from "../../modem/profiles.ts";
import { encodeMembers } from "../../../src/auth/user-list.ts";
import { parseDuration } from "./duration.ts";
import type { FileLeg, ScenarioFile, ScenarioFileContent } from "./file-types.ts";
import { ScenarioFileError, phoneEntries, resolveFilePath } from "./load-file.ts";

/** Default time to the first fix of a file's route, s. */
const DEFAULT_COLD_START_S = 30;

function leg(l: FileLeg): Leg {
  const sky = l.sky ?? "open";
  if (l.drive) return { kind: "drive", toLatDeg: l.drive[0], toLonDeg: l.drive[1], speedKmh: l.kmh!, ignition: l.engine !== "off", sky };
  if (l.tunnel) return { kind: "drive", toLatDeg: l.tunnel[0], toLonDeg: l.tunnel[1], speedKmh: l.kmh!, sky: "none" };
  if (l.stop !== undefined) return { kind: "stop", durationS: parseDuration(l.stop)! / 1000, ignition: l.engine === "on", sky };
  return { kind: "stop", durationS: parseDuration(l.park)! / 1000, ignition: false, sky };
}

/** The drive plan of a file's route. */
export function routePlan(route: NonNullable<NonNullable<ScenarioFileContent["gnss"]>["route"]>): DrivePlan {
  return {
    startUtcMs: route.startUtc ? Date.parse(route.startUtc) : DEFAULT_NETWORK_START_UTC_MS,
    start: { latDeg: route.start[0], lonDeg: route.start[1] },
    coldStartS: route.coldStart !== undefined ? parseDuration(route.coldStart)! / 1000 : DEFAULT_COLD_START_S,
    legs: route.legs.map(leg),
  };
}

/** Phone names to numbers: owner, stranger, users, phones. */
export function phoneNumbers(content: ScenarioFileContent): Map<string, string> {
  return new Map(phoneEntries(content));
}

/** Numbers the tracker may text: the owner (when claimed), the users, and the phones registered during the run. */
export function registeredNumbers(content: ScenarioFileContent): string[] {
  const owner = content.device?.owner === undefined ? DEFAULT_OWNER : content.device.owner;
  const numbers = phoneNumbers(content);
  const later = (content.becomeRegistered ?? []).map((name) => numbers.get(name)!);
  return [...new Set([...(owner ? [owner] : []), ...(content.device?.users ?? []).map((u) => u.number), ...later])];
}

/** The settings a file provisions (besides the owner and PIN, which Simulation writes). */
function settingsOf(file: ScenarioFile): SettingsValues {
  const device = file.content.device ?? {};
  const settings: Record<string, string> = { ...device.settings };
  if (device.country) {
    try {
      settings["homeCountryCode"] = getCountryCallingCode(device.country as CountryCode);
    } catch {
      throw new ScenarioFileError(file.path, [`${file.path}: device.country: unknown country '${device.country}'`]);
    }
  }
  if (device.setupCode) settings["setupCode"] = device.setupCode;
  if (device.users?.length) {
    settings["users"] = encodeMembers(device.users.map((u) => ({ number: u.number, name: u.name, role: u.role ?? "user", alerts: u.alerts ?? false })));
  }
  return settings as SettingsValues;
}

/** The simulation options of `file`. */
export function simulationOptions(file: ScenarioFile): SimulationOptions {
  const { content } = file;
  const device = content.device ?? {};
  const options: SimulationOptions = {};
  if (device.owner !== undefined) options.ownerNumber = device.owner;
  if (device.pin !== undefined) options.pin = device.pin;
  if (device.installerOwner) options.installerOwnerNumber = device.installerOwner;
  if (device.trackerNumber) options.trackerNumber = device.trackerNumber;
  const settings = settingsOf(file);
  if (Object.keys(settings).length > 0) options.settings = settings;
  const modem = content.modem ?? {};
  if (modem.profile) options.modemProfile = modem.profile as ProfileName;
  if (modem.smsMode) options.smsMode = modem.smsMode;
  if (modem.onAtStart !== undefined) options.modemOnAtStart = modem.onAtStart;
  if (modem.simPin || modem.simAbsent) options.modemOptions = { ...(modem.simPin ? { simPin: modem.simPin } : {}), ...(modem.simAbsent ? { simAbsent: true } : {}) };
  const gnss = content.gnss ?? {};
  if (gnss.route) options.gnssSource = routePlan(gnss.route);
  if (gnss.nmea) options.gnssSource = loadNmeaFile(resolveFilePath(file.path, gnss.nmea));
  if (gnss.errors === "open-sky") options.gnssErrors = OPEN_SKY;
  if (gnss.errors === "urban-canyon") options.gnssErrors = URBAN_CANYON;
  if (gnss.sky) options.gnssSky = gnss.sky;
  if (content.vehicle === "none") options.vehicle = false;
  else if (content.vehicle) {
    const { systemVolts, ...rest } = content.vehicle;
    options.vehicle = { ...rest, ...(systemVolts !== undefined ? { systemVolts: systemVolts === 24 ? 24 : 12 } : {}) };
  }
  return options;
}

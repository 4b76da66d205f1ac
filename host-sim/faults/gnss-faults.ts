/**
 * Receiver faults: the sky lost (outage), jamming (a fix kept with few satellites and a poor HDOP),
 * a spoofed position jump, GPS week-rollover dates (1024 weeks back) and time jumps.
 */
import { parseDuration } from "../scenario/files/duration.ts";
import { s } from "../scenario/files/spec.ts";
import { EARTH_RADIUS_M } from "../gnss/drive.ts";
import { type FaultDefinition, numberParam } from "./fault-types.ts";
import { formatAngle, parseAngle, rewriteEpoch } from "./nmea-rewrite.ts";

const DAY_MS = 86_400_000;
/** The GPS week number's 10-bit rollover: 1024 weeks, in days. */
const ROLLOVER_DAYS = 1024 * 7;

/** "ddmmyy" → UTC ms of that midnight. */
function parseDate(ddmmyy: string): number | undefined {
  if (!/^\d{6}$/.test(ddmmyy)) return undefined;
  const yy = Number(ddmmyy.slice(4, 6));
  return Date.UTC(yy < 80 ? 2000 + yy : 1900 + yy, Number(ddmmyy.slice(2, 4)) - 1, Number(ddmmyy.slice(0, 2)));
}

function formatDate(utcMs: number): string {
  const d = new Date(utcMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}${two(d.getUTCMonth() + 1)}${two(d.getUTCFullYear() % 100)}`;
}

/** "hhmmss.ss" → ms since midnight. */
function parseTime(hhmmss: string): number | undefined {
  if (!/^\d{6}(\.\d+)?$/.test(hhmmss)) return undefined;
  return (Number(hhmmss.slice(0, 2)) * 3600 + Number(hhmmss.slice(2, 4)) * 60 + Number(hhmmss.slice(4))) * 1000;
}

function formatTime(msOfDay: number, decimals: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const seconds = (msOfDay % 60_000) / 1000;
  const text = decimals > 0 ? seconds.toFixed(decimals).padStart(3 + decimals, "0") : two(Math.floor(seconds));
  return `${two(Math.floor(msOfDay / 3_600_000))}${two(Math.floor(msOfDay / 60_000) % 60)}${text}`;
}

/** Field positions of time, date and position per sentence type (-1: absent). */
const LAYOUT: Record<string, { time: number; date: number; lat: number }> = {
  RMC: { time: 1, date: 9, lat: 3 },
  GGA: { time: 1, date: -1, lat: 2 },
  GLL: { time: 5, date: -1, lat: 1 },
};

/** Shift every timestamp (and RMC's date with it) by `shiftMs`. */
export function shiftTime(lines: string[], shiftMs: number): string[] {
  return rewriteEpoch(lines, (type, fields) => {
    const layout = LAYOUT[type];
    const ms = layout ? parseTime(fields[layout.time] ?? "") : undefined;
    if (!layout || ms === undefined) return undefined;
    const date = layout.date >= 0 ? parseDate(fields[layout.date] ?? "") : 0;
    const decimals = (fields[layout.time]!.split(".")[1] ?? "").length;
    const moved = (date ?? 0) + ms + shiftMs;
    fields[layout.time] = formatTime(((moved % DAY_MS) + DAY_MS) % DAY_MS, decimals);
    if (layout.date >= 0 && date !== undefined) fields[layout.date] = formatDate(Math.floor(moved / DAY_MS) * DAY_MS);
    return fields;
  });
}

/** Move every reported position by `northM` and `eastM` metres. */
export function shiftPosition(lines: string[], northM: number, eastM: number): string[] {
  return rewriteEpoch(lines, (type, fields) => {
    const layout = LAYOUT[type];
    if (!layout) return undefined;
    const i = layout.lat;
    const lat = parseAngle(fields[i] ?? "", fields[i + 1] ?? "");
    const lon = parseAngle(fields[i + 2] ?? "", fields[i + 3] ?? "");
    if (lat === undefined || lon === undefined) return undefined;
    const newLat = lat + (northM / EARTH_RADIUS_M) * (180 / Math.PI);
    const newLon = lon + (eastM / (EARTH_RADIUS_M * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI);
    [fields[i], fields[i + 1]] = formatAngle(newLat, true);
    [fields[i + 2], fields[i + 3]] = formatAngle(newLon, false);
    return fields;
  });
}

/** Keep the fix but as a jammed receiver reports it: `satellites` used, HDOP `hdop` (PDOP, VDOP with it). */
export function degradeFix(lines: string[], satellites: number, hdop: number): string[] {
  return rewriteEpoch(lines, (type, fields) => {
    if (type === "GGA" && fields[6] !== "0" && fields[6] !== "") {
      fields[7] = String(satellites).padStart(2, "0");
      fields[8] = hdop.toFixed(1);
      return fields;
    }
    if (type === "GSA" && fields[2] !== "1" && fields.length >= 18) {
      // mode, fix type, 12 satellite slots, PDOP, HDOP, VDOP[, system id]
      const used = fields.slice(3, 15).filter((f) => f !== "").slice(0, Math.max(0, Math.ceil(satellites / 2)));
      for (let k = 0; k < 12; k++) fields[3 + k] = used[k] ?? "";
      fields[15] = (hdop * 1.8).toFixed(1);
      fields[16] = hdop.toFixed(1);
      fields[17] = (hdop * 1.5).toFixed(1);
      return fields;
    }
    return undefined;
  });
}

export const GNSS_FAULTS: readonly FaultDefinition[] = [
  {
    name: "gnss-outage",
    description: "The receiver loses the whole sky (as in a tunnel or a shielded garage): no fix, empty fields.",
    params: {},
    lasting: true,
    start(world) {
      world.sim.gnss.setSignalLost(true);
      return () => world.sim.gnss.setSignalLost(false);
    },
  },
  {
    name: "gnss-jamming",
    description: "Jamming: the receiver keeps a fix from a few satellites with a poor HDOP.",
    params: {
      satellites: s.optional(s.integer("satellites used (default 4)", 3, 12)),
      hdop: s.optional(s.number("the HDOP reported (default 25)", { minimum: 1 })),
    },
    lasting: true,
    start(world, params) {
      const satellites = numberParam(params, "satellites", 4);
      const hdop = numberParam(params, "hdop", 25);
      return world.addGnssEdit((lines) => degradeFix(lines, satellites, hdop));
    },
  },
  {
    name: "gnss-spoof",
    description: "Spoofing: the reported position jumps by a distance north and east and stays moved.",
    params: {
      northKm: s.optional(s.number("kilometres north (negative: south; default 50)")),
      eastKm: s.optional(s.number("kilometres east (negative: west; default 0)")),
    },
    lasting: true,
    start(world, params) {
      const northM = numberParam(params, "northKm", 50) * 1000;
      const eastM = numberParam(params, "eastKm", 0) * 1000;
      return world.addGnssEdit((lines) => shiftPosition(lines, northM, eastM));
    },
  },
  {
    name: "gnss-week-rollover",
    description: "A receiver with the GPS week-rollover bug: dates 1024 weeks (19.6 years) in the past.",
    params: {},
    lasting: true,
    start(world) {
      return world.addGnssEdit((lines) => shiftTime(lines, -ROLLOVER_DAYS * DAY_MS));
    },
  },
  {
    name: "gnss-time-jump",
    description: "The receiver's time jumps by a duration (forward, or back with backwards: true).",
    params: {
      by: s.required(s.duration("how far the time jumps")),
      backwards: s.optional(s.boolean("jump back instead of forward")),
    },
    lasting: true,
    start(world, params) {
      const by = parseDuration(params["by"]) ?? 0;
      const shift = params["backwards"] === true ? -by : by;
      return world.addGnssEdit((lines) => shiftTime(lines, shift));
    },
  },
];

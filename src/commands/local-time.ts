/**
 * Local time for replies and alerts: the owner's time zone (the `TZ` setting) and the local clock
 * time of a UTC instant, with the zone's label ("14:02 CEST"). Pure integer arithmetic on UTC
 * milliseconds (Date.UTC and getUTC* only: no Intl, no host time zone), so it runs alike on XS,
 * the device and Node.
 *
 * What the setting holds (≤ 15 ASCII characters; the same text parses back to the same zone):
 * - "UTC" (the default);
 * - a fixed offset "+05:30" / "-08:00" (typed "+0530", "+5", "UTC+5", "GMT-8" ...; -12:00 to
 *   +14:00 in quarter hours; a zero offset is stored as "UTC");
 * - a zone name from ZONES below ("US-EASTERN", "CET", "AU-EASTERN", ...), typed as any of its
 *   aliases ("ET", "EASTERN", "NEW YORK", "America/New_York", "PARIS", "SYDNEY", "IST", ...; case,
 *   spaces, "-", "_" and "." do not matter; "Area/City" is read as its City).
 *
 * Daylight-saving rules (the rules in force since 2007 / 1996 / 2008, applied to every year):
 * - "us": 2nd Sunday of March 02:00 local standard time → 1st Sunday of November 02:00 local
 *   daylight time (US, Canada);
 * - "eu": last Sunday of March 01:00 UTC → last Sunday of October 01:00 UTC (EU, UK, Ireland,
 *   Portugal: the same instant everywhere);
 * - "au": 1st Sunday of October 02:00 standard → 1st Sunday of April 03:00 daylight (NSW, Victoria,
 *   ACT, Tasmania, South Australia);
 * - "nz": last Sunday of September 02:00 standard → 1st Sunday of April 03:00 daylight.
 * Daylight time is standard + 1 h. Zones without a rule keep their standard offset all year.
 */

/** Daylight-saving rule of a zone (see the module comment). */
export type DstRule = "none" | "us" | "eu" | "au" | "nz";

/** A time zone (frozen). */
export interface TimeZone {
  /** The setting text: "UTC", "+05:30", or a ZONES name ("US-EASTERN"); ≤ 15 ASCII characters. */
  readonly name: string;
  /** Standard offset from UTC, minutes (east positive): -720 to +840. */
  readonly standardOffsetMin: number;
  /** Daylight-saving rule. */
  readonly dst: DstRule;
  /** Label in standard time ("EST", "CET", "UTC", "UTC+05:30"). */
  readonly standardLabel: string;
  /** Label in daylight time ("EDT", "CEST"); "" when the zone has no daylight time. */
  readonly daylightLabel: string;
}

/** A UTC instant on the zone's clock. */
export interface LocalTime {
  /** "14:02"; "--:--" when the instant is not a finite number. */
  hhmm: string;
  /** "14:02:09"; "--:--:--" when unknown. */
  hhmmss: string;
  /** "2026-12-06"; "" when unknown. */
  date: string;
  /** "UTC", "CEST", "UTC+05:30": the label in force at that instant. */
  label: string;
  /** Offset from UTC in force, minutes. */
  offsetMin: number;
}

/** [name, standard offset min, rule, standard label, daylight label, aliases (normalised: A-Z 0-9 only)]. */
type ZoneRow = readonly [string, number, DstRule, string, string, readonly string[]];

function row(name: string, offsetMin: number, dst: DstRule, standardLabel: string, daylightLabel: string, aliases: string): ZoneRow {
  return Object.freeze([name, offsetMin, dst, standardLabel, daylightLabel, Object.freeze(aliases.split(" "))] as const);
}

/**
 * The named zones: setting name, standard offset, rule, labels, and the words people type for them
 * (already normalised: upper case, letters and digits only). Names are unique; an alias names one
 * zone only ("MST" is the US Mountain zone with daylight time; Arizona is "ARIZONA" / "PHOENIX";
 * "IST" is India; Ireland is "IRELAND" / "DUBLIN").
 */
export const ZONES: readonly ZoneRow[] = Object.freeze([
  row("UTC", 0, "none", "UTC", "", "UTC GMT Z ZULU UCT"),
  row("US-EASTERN", -300, "us", "EST", "EDT", "USEASTERN ET EST EDT EASTERN NEWYORK NYC BOSTON WASHINGTON MIAMI ATLANTA DETROIT TORONTO MONTREAL OTTAWA"),
  row("US-CENTRAL", -360, "us", "CST", "CDT", "USCENTRAL CT CST CDT CENTRAL CHICAGO DALLAS HOUSTON WINNIPEG"),
  row("US-MOUNTAIN", -420, "us", "MST", "MDT", "USMOUNTAIN MT MST MDT MOUNTAIN DENVER CALGARY EDMONTON"),
  row("US-ARIZONA", -420, "none", "MST", "", "USARIZONA ARIZONA PHOENIX"),
  row("US-PACIFIC", -480, "us", "PST", "PDT", "USPACIFIC PT PST PDT PACIFIC LOSANGELES LA SANFRANCISCO SEATTLE VANCOUVER"),
  row("US-ALASKA", -540, "us", "AKST", "AKDT", "USALASKA AKT AKST AKDT ALASKA ANCHORAGE"),
  row("US-HAWAII", -600, "none", "HST", "", "USHAWAII HT HST HAWAII HONOLULU"),
  row("UK", 0, "eu", "GMT", "BST", "UK BST GB BRITAIN ENGLAND SCOTLAND WALES LONDON EDINBURGH"),
  row("IRELAND", 0, "eu", "GMT", "IST", "IRELAND DUBLIN"),
  row("PORTUGAL", 0, "eu", "WET", "WEST", "PORTUGAL LISBON WET WEST"),
  row("CET", 60, "eu", "CET", "CEST", "CET CEST MET EUROPE PARIS BERLIN MADRID ROME AMSTERDAM BRUSSELS VIENNA ZURICH STOCKHOLM OSLO COPENHAGEN WARSAW PRAGUE BUDAPEST FRANCE GERMANY SPAIN ITALY NETHERLANDS BELGIUM AUSTRIA SWITZERLAND SWEDEN NORWAY DENMARK POLAND"),
  row("EET", 120, "eu", "EET", "EEST", "EET EEST ATHENS HELSINKI KYIV KIEV BUCHAREST SOFIA RIGA TALLINN VILNIUS GREECE FINLAND UKRAINE ROMANIA BULGARIA"),
  row("AU-EASTERN", 600, "au", "AEST", "AEDT", "AUEASTERN AEST AEDT SYDNEY MELBOURNE CANBERRA HOBART NSW VICTORIA TASMANIA ACT"),
  row("AU-ADELAIDE", 570, "au", "ACST", "ACDT", "AUADELAIDE ADELAIDE ACDT SOUTHAUSTRALIA"),
  row("AU-BRISBANE", 600, "none", "AEST", "", "AUBRISBANE BRISBANE QUEENSLAND QLD GOLDCOAST"),
  row("AU-DARWIN", 570, "none", "ACST", "", "AUDARWIN DARWIN ACST NORTHERNTERRITORY"),
  row("AU-PERTH", 480, "none", "AWST", "", "AUPERTH PERTH AWST WESTERNAUSTRALIA"),
  row("NZ", 720, "nz", "NZST", "NZDT", "NZ NZST NZDT NEWZEALAND AUCKLAND WELLINGTON CHRISTCHURCH"),
  row("INDIA", 330, "none", "IST", "", "INDIA IST DELHI NEWDELHI MUMBAI KOLKATA CALCUTTA CHENNAI BANGALORE"),
  row("JAPAN", 540, "none", "JST", "", "JAPAN JST TOKYO OSAKA"),
  row("KOREA", 540, "none", "KST", "", "KOREA KST SEOUL"),
  row("CHINA", 480, "none", "CST", "", "CHINA BEIJING SHANGHAI PRC"),
  row("HONG-KONG", 480, "none", "HKT", "", "HONGKONG HKT"),
  row("SINGAPORE", 480, "none", "SGT", "", "SINGAPORE SGT KUALALUMPUR MALAYSIA"),
  row("PHILIPPINES", 480, "none", "PHT", "", "PHILIPPINES PHT MANILA"),
  row("THAILAND", 420, "none", "ICT", "", "THAILAND ICT BANGKOK VIETNAM HANOI HOCHIMINH"),
  row("INDONESIA", 420, "none", "WIB", "", "INDONESIA WIB JAKARTA"),
  row("PAKISTAN", 300, "none", "PKT", "", "PAKISTAN PKT KARACHI LAHORE ISLAMABAD"),
  row("UAE", 240, "none", "GST", "", "UAE GST DUBAI ABUDHABI"),
  row("MOSCOW", 180, "none", "MSK", "", "MOSCOW MSK RUSSIA"),
  row("TURKEY", 180, "none", "TRT", "", "TURKEY TRT ISTANBUL ANKARA"),
  row("SAUDI", 180, "none", "AST", "", "SAUDI SAUDIARABIA RIYADH"),
  row("KENYA", 180, "none", "EAT", "", "KENYA EAT NAIROBI"),
  row("SOUTH-AFRICA", 120, "none", "SAST", "", "SOUTHAFRICA SAST JOHANNESBURG CAPETOWN"),
  row("NIGERIA", 60, "none", "WAT", "", "NIGERIA WAT LAGOS"),
  row("BRAZIL", -180, "none", "BRT", "", "BRAZIL BRT SAOPAULO RIO RIODEJANEIRO BRASILIA"),
  row("ARGENTINA", -180, "none", "ART", "", "ARGENTINA ART BUENOSAIRES"),
  row("MEXICO", -360, "none", "CST", "", "MEXICO MEXICOCITY"),
]);

/** The default zone: UTC. */
export const UTC_ZONE: TimeZone = zoneOfRow(ZONES[0]!);

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Offsets accepted for a fixed zone, minutes. */
const MIN_OFFSET_MIN = -12 * 60;
const MAX_OFFSET_MIN = 14 * 60;

function zoneOfRow(r: ZoneRow): TimeZone {
  return Object.freeze({ name: r[0], standardOffsetMin: r[1], dst: r[2], standardLabel: r[3], daylightLabel: r[4] });
}

function two(n: number): string {
  return (n < 10 ? "0" : "") + n;
}

/** "+05:30" / "-08:00" for an offset in minutes. */
export function offsetText(offsetMin: number): string {
  const abs = offsetMin < 0 ? -offsetMin : offsetMin;
  return (offsetMin < 0 ? "-" : "+") + two(Math.floor(abs / 60)) + ":" + two(abs % 60);
}

function fixedZone(offsetMin: number): TimeZone {
  if (offsetMin === 0) return UTC_ZONE;
  const text = offsetText(offsetMin);
  return Object.freeze({ name: text, standardOffsetMin: offsetMin, dst: "none", standardLabel: "UTC" + text, daylightLabel: "" });
}

/** Upper case, A-Z and 0-9 only (other characters dropped); undefined when something else than ASCII appears. */
function normalise(text: string): string | undefined {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(c - 0x20);
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) out += ch;
    else if (c > 0x7e || c < 0x20) return undefined;
  }
  return out;
}

/** "+05:30", "+0530", "+5", "-8", "+5:45" (after an optional UTC/GMT) → minutes; undefined otherwise; "!" reasons as strings. */
function parseOffset(text: string): number | string | undefined {
  let t = text.toUpperCase();
  if (t.startsWith("UTC") || t.startsWith("GMT")) t = t.slice(3).trim();
  const sign = t[0];
  if (sign !== "+" && sign !== "-") return undefined;
  const body = t.slice(1).trim();
  let hoursText = body;
  let minutesText = "00";
  const colon = body.indexOf(":");
  if (colon >= 0) {
    hoursText = body.slice(0, colon);
    minutesText = body.slice(colon + 1);
  } else if (body.length === 3 || body.length === 4) {
    hoursText = body.slice(0, body.length - 2);
    minutesText = body.slice(body.length - 2);
  }
  if (!/^[0-9]{1,2}$/.test(hoursText) || !/^[0-9]{2}$/.test(minutesText)) return "!an offset is written like +05:30, -08:00 or +5";
  const hours = Number(hoursText);
  const minutes = Number(minutesText);
  if (minutes % 15 !== 0 || minutes > 45) return "!an offset's minutes are 00, 15, 30 or 45";
  const offsetMin = (sign === "-" ? -1 : 1) * (hours * 60 + minutes);
  if (offsetMin < MIN_OFFSET_MIN || offsetMin > MAX_OFFSET_MIN) return "!offsets run from -12:00 to +14:00";
  return offsetMin;
}

/**
 * A zone as typed (or as stored) → the zone, or a reason starting with "!" (the settings
 * convention) when it is not one: "!unknown time zone", "!offsets run from -12:00 to +14:00", ...
 * Never throws.
 */
export function parseTimeZone(text: string): TimeZone | string {
  if (typeof text !== "string") return "!not a time zone";
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 40) return "!not a time zone";
  const offset = parseOffset(trimmed);
  if (typeof offset === "number") return fixedZone(offset);
  if (typeof offset === "string") return offset;
  // "America/New_York" → "New_York": the city names the zone.
  const slash = trimmed.lastIndexOf("/");
  const key = normalise(slash >= 0 ? trimmed.slice(slash + 1) : trimmed);
  if (key === undefined || key.length === 0) return "!not a time zone";
  for (let i = 0; i < ZONES.length; i++) {
    const r = ZONES[i]!;
    if (normalise(r[0]) === key) return i === 0 ? UTC_ZONE : zoneOfRow(r);
    const aliases = r[5];
    for (let j = 0; j < aliases.length; j++) if (aliases[j] === key) return i === 0 ? UTC_ZONE : zoneOfRow(r);
  }
  return "!unknown time zone";
}

/** The setting text of a zone (what is stored: ≤ 15 ASCII characters, parses back to the zone). */
export function zoneSettingText(zone: TimeZone): string {
  return zone.name;
}

/** Typed text → the setting text, or a reason starting with "!" (for the settings schema and TZ). */
export function timeZoneSetting(text: string): string {
  const zone = parseTimeZone(text);
  return typeof zone === "string" ? zone : zone.name;
}

/** The zone of a stored setting; UTC when the text is empty or not a zone. Never throws. */
export function zoneFromSetting(text: string): TimeZone {
  const zone = parseTimeZone(text);
  return typeof zone === "string" ? UTC_ZONE : zone;
}

/** Day number (days since 1970-01-01) of a UTC date; month 1-12 (day 0 = the last of the month before). */
function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Weekday of a day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** Day number of the n-th Sunday (1-based) of a month. */
function nthSunday(year: number, month: number, n: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((7 - weekday(first)) % 7) + (n - 1) * 7;
}

/** Day number of the last Sunday of a month. */
function lastSunday(year: number, month: number): number {
  const last = dayNumber(year, month + 1, 0);
  return last - weekday(last);
}

/** True when daylight time is in force at `utcMs` in `zone`. */
export function isDaylightTime(utcMs: number, zone: TimeZone): boolean {
  if (zone.dst === "none" || !Number.isFinite(utcMs)) return false;
  const std = zone.standardOffsetMin * MINUTE_MS;
  // The year on the zone's standard clock decides which year's transitions apply.
  const year = new Date(utcMs + std).getUTCFullYear();
  let startMs: number;
  let endMs: number;
  switch (zone.dst) {
    case "us":
      startMs = nthSunday(year, 3, 2) * DAY_MS + 2 * HOUR_MS - std;
      endMs = nthSunday(year, 11, 1) * DAY_MS + 2 * HOUR_MS - std - HOUR_MS;
      return utcMs >= startMs && utcMs < endMs;
    case "eu":
      startMs = lastSunday(year, 3) * DAY_MS + HOUR_MS;
      endMs = lastSunday(year, 10) * DAY_MS + HOUR_MS;
      return utcMs >= startMs && utcMs < endMs;
    case "au":
      // Southern summer: daylight time from October to April of the next year.
      endMs = nthSunday(year, 4, 1) * DAY_MS + 3 * HOUR_MS - std - HOUR_MS;
      startMs = nthSunday(year, 10, 1) * DAY_MS + 2 * HOUR_MS - std;
      return utcMs < endMs || utcMs >= startMs;
    case "nz":
      endMs = nthSunday(year, 4, 1) * DAY_MS + 3 * HOUR_MS - std - HOUR_MS;
      startMs = lastSunday(year, 9) * DAY_MS + 2 * HOUR_MS - std;
      return utcMs < endMs || utcMs >= startMs;
  }
}

/** `utcMs` (ms since the epoch) on the zone's clock: time, date and label. Never throws. */
export function localTime(utcMs: number, zone: TimeZone = UTC_ZONE): LocalTime {
  const z = zone && typeof zone.standardOffsetMin === "number" ? zone : UTC_ZONE;
  const daylight = isDaylightTime(utcMs, z);
  const offsetMin = z.standardOffsetMin + (daylight ? 60 : 0);
  const label = daylight ? z.daylightLabel : z.standardLabel;
  if (typeof utcMs !== "number" || !Number.isFinite(utcMs) || Math.abs(utcMs) > 8.64e15 - DAY_MS) {
    return { hhmm: "--:--", hhmmss: "--:--:--", date: "", label, offsetMin };
  }
  const d = new Date(utcMs + offsetMin * MINUTE_MS);
  const hhmm = two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
  const year = d.getUTCFullYear();
  const date = (year < 1000 ? String(year).padStart(4, "0") : String(year)) + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate());
  return { hhmm, hhmmss: hhmm + ":" + two(d.getUTCSeconds()), date, label, offsetMin };
}

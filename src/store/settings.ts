/**
 * Device settings: a versioned schema over the key-value port, written atomically.
 *
 * The whole record is one ASCII string "seq;crc;json" written alternately to two slots (keys
 * "cfg.a" and "cfg.b"), where crc is the CRC-32 of "seq;json": the sequence number is covered too,
 * so a slot whose sequence was damaged is not taken for the newer one. Loading takes the valid slot
 * with the highest sequence whose every value passes the schema, else the other valid slot; a
 * power cut at any byte of a write leaves either the old or the new record, never a mix. (Records
 * written before the sequence was covered, crc = CRC-32 of the json alone, are read as such; the
 * next write uses the current form.) Keys this firmware does not know (written by a newer one) are
 * kept and written back unchanged. Location is never part of the settings except the fence centre
 * the owner chose (FENCE; erased by FENCE OFF and RESET): no track, no last position.
 */
import type { KeyValueStore, Logger } from "../platform/ports";
import { isCountryCode, toE164 } from "../auth/phone-number";
import { decodeMembers, encodeMembers } from "../auth/user-list";
import { isPin } from "../auth/pin";
import { findModemProfile } from "../modem/profiles";
import { crc32 } from "./crc32";
import { timeZoneSetting } from "../commands/local-time";
import { fenceText, MAX_SPEED_LIMIT_KMH, MIN_SPEED_LIMIT_KMH, readFence, readTrack, trackText } from "../alerts/plans";

/** Current schema version. */
export const SETTINGS_VERSION = 7;

export interface SettingsRecord {
  /** Owner's phone number, E.164; "" while the device is unclaimed (it then answers nobody). */
  ownerNumber: string;
  /**
   * The device PIN (4-8 digits, chosen at claim) as a salted hash "iterations:salt:hash" (hex; see
   * auth/pin.ts); "" when none is set. The PIN itself is never stored, logged or sent.
   */
  pinHash: string;
  /** The numbers besides the owner (auth/user-list.ts): "number,name,role,alerts;..."; "" = none. */
  users: string;
  /** "on" (default): the owner receives alerts; "off": not. */
  ownerAlerts: string;
  /** "on": every command needs the PIN as its last word (SECURE ON); "off" (default): only the sensitive ones. */
  secure: string;
  /** Wrong-PIN lockout state (auth/lockout.ts); "" = no wrong PIN since the last right one. */
  pinLock: string;
  /** Wrong-setup-code lockout state for CLAIM (auth/lockout.ts). */
  claimLock: string;
  /**
   * The unit's setup code (8 to 16 letters and digits, upper case; printed on its label) that lets
   * the future owner claim it by SMS; "" = SMS claiming is off. Kept through RESET (it is the label's).
   */
  setupCode: string;
  /** SMS the tracker sends per day at most (the daily budget): 5 to 1000, default 50. */
  smsPerDay: string;
  /** "on": armed (ARM): movement of the parked vehicle raises the theft alert; "off" (default). */
  armed: string;
  /**
   * The fence (FENCE): "lat,lon,radiusM" (alerts/plans.ts), the centre the owner chose to 5
   * decimals; "" (default) = none. The only location ever kept in flash; erased by FENCE OFF and RESET.
   */
  fence: string;
  /** Speed limit for the overspeed alert (SPEED), km/h: 0 (default) = none, else 20 to 250. */
  speedLimitKmh: string;
  /** Periodic positions (TRACK): "intervalMin,count,minDistanceM,left,to" (alerts/plans.ts); "" (default) = not tracking. */
  track: string;
  /** How long WHERE waits for a live fix before it answers with the last known one, seconds: 0 to 120, default 60. */
  whereWaitS: string;
  /** "metric" (default) or "imperial": km/h and metres, or mph and feet, in replies and alerts. */
  units: string;
  /** The time zone replies and alerts give times in (TZ; commands/local-time.ts): "UTC" (default), an offset or a zone name. */
  timeZone: string;
  /** Country calling code used to complete national numbers (digits, e.g. "1", "44"). */
  homeCountryCode: string;
  /**
   * The SIM card's PIN (4-8 digits), sent once per modem boot only when the SIM asks for it; ""
   * (default) = none configured: a PIN-locked SIM then stays locked. Never logged, never guessed.
   */
  simPin: string;
  /**
   * "unsettled" while a SIM PIN attempt whose outcome never became known (a timeout, an unexpected
   * answer, a reset during it) may have used up one of the SIM's tries: no boot sends the PIN again
   * until a person sets the SIM PIN anew (which clears this). "" (default) = no such attempt.
   */
  simPinAttempt: string;
  /**
   * The modem's profile name ("A7670", "SIM7600", ...; see modem/profiles.ts), overriding the build
   * configuration's; "" (default) = the build's.
   */
  modemProfile: string;
  /** "pdu" or "text", overriding the profile's SMS mode; "" (default) = the build's, else the profile's. */
  smsMode: string;
  /** SMS the tracker sends to one number per hour at most (replies; one notice when reached): 2 to 200, default 30. */
  repliesPerHour: string;
  /** SMS the tracker sends to all numbers together per hour at most: 2 to 1000, default 60. */
  repliesPerHourAll: string;
  /** Texts in a row that are not commands answered from one number before the loop guard stops answering them: 1 to 20, default 3. */
  loopGuardAfter: string;
}

export type SettingKey = keyof SettingsRecord;

interface SettingSpec {
  /** Default value; there is deliberately no default owner or PIN. */
  readonly defaultValue: string;
  /** Returns the normalised value, or a reason string prefixed with "!" when invalid. */
  readonly check: (value: string, record: SettingsRecord) => string;
  /** Keys set back to their defaults in the same write whenever this one is set. */
  readonly resets?: readonly SettingKey[];
}

/** 1 to 15 decimal digits, nothing else (no sign, exponent, dot or blank: "1e3" is not a sequence number). */
function isDecimal(text: string): boolean {
  return /^[0-9]{1,15}$/.test(text);
}

/**
 * `value` as a whole number from `min` to `max` written in plain digits (normalised: "030" → "30"),
 * or the reason it is not. (No closure over the bounds: the schema is preloaded and frozen.)
 */
function wholeNumber(value: string, min: number, max: number, what: string): string {
  const n = Number(value);
  return isDecimal(value) && n >= min && n <= max ? String(n) : `!${what} must be a whole number from ${min} to ${max}`;
}

/** "on" or "off", else the reason. */
function onOff(value: string, what: string): string {
  return value === "on" || value === "off" ? value : `!${what} must be on or off`;
}

const SCHEMA: { readonly [K in SettingKey]: SettingSpec } = Object.freeze({
  ownerNumber: Object.freeze({
    defaultValue: "",
    check: (value: string, record: SettingsRecord) => {
      if (value === "") return "";
      return toE164(value, record.homeCountryCode) ?? "!not a phone number";
    },
  }),
  pinHash: Object.freeze({
    defaultValue: "",
    check: (value: string) => (value === "" || /^[0-9]{1,7}:[0-9a-f]{16,64}:[0-9a-f]{64}$/.test(value) ? value : "!not a PIN hash"),
  }),
  users: Object.freeze({
    defaultValue: "",
    check: (value: string, record: SettingsRecord) => {
      const members = decodeMembers(value, record.homeCountryCode);
      if (typeof members === "string") return `!${members}`;
      return members.some((m) => m.number === record.ownerNumber) ? "!the owner is not listed among the users" : encodeMembers(members);
    },
  }),
  ownerAlerts: Object.freeze({
    defaultValue: "on",
    check: (value: string) => onOff(value, "owner alerts"),
  }),
  secure: Object.freeze({
    defaultValue: "off",
    check: (value: string) => onOff(value, "secure"),
  }),
  pinLock: Object.freeze({
    defaultValue: "",
    check: (value: string) => (/^([0-9]{1,9},[0-9]{1,9},[0-9]{0,12})?$/.test(value) ? value : "!not a lockout state"),
  }),
  claimLock: Object.freeze({
    defaultValue: "",
    check: (value: string) => (/^([0-9]{1,9},[0-9]{1,9},[0-9]{0,12})?$/.test(value) ? value : "!not a lockout state"),
  }),
  setupCode: Object.freeze({
    defaultValue: "",
    check: (value: string) => {
      const code = value.toUpperCase();
      return code === "" || /^[A-Z0-9]{8,16}$/.test(code) ? code : "!setup code must be 8 to 16 letters and digits";
    },
  }),
  smsPerDay: Object.freeze({
    defaultValue: "50",
    check: (value: string) => wholeNumber(value, 5, 1000, "SMS per day"),
  }),
  armed: Object.freeze({
    defaultValue: "off",
    check: (value: string) => onOff(value, "armed"),
  }),
  fence: Object.freeze({
    defaultValue: "",
    check: (value: string) => {
      if (value === "") return "";
      const fence = readFence(value);
      return fence ? fenceText(fence) : "!not a fence (lat,lon,radius in m)";
    },
  }),
  speedLimitKmh: Object.freeze({
    defaultValue: "0",
    check: (value: string) =>
      value === "0" ? value : wholeNumber(value, MIN_SPEED_LIMIT_KMH, MAX_SPEED_LIMIT_KMH, "speed limit (km/h, or 0 for none)"),
  }),
  track: Object.freeze({
    defaultValue: "",
    check: (value: string) => {
      if (value === "") return "";
      const plan = readTrack(value);
      return plan ? trackText(plan) : "!not a tracking plan (interval,count,distance,left,number)";
    },
  }),
  whereWaitS: Object.freeze({
    defaultValue: "60",
    check: (value: string) => wholeNumber(value, 0, 120, "WHERE wait (s)"),
  }),
  timeZone: Object.freeze({
    defaultValue: "UTC",
    check: (value: string) => timeZoneSetting(value),
  }),
  units: Object.freeze({
    defaultValue: "metric",
    check: (value: string) => (value === "metric" || value === "imperial" ? value : "!units must be metric or imperial"),
  }),
  simPin: Object.freeze({
    defaultValue: "",
    check: (value: string) => (value === "" || isPin(value) ? value : "!SIM PIN must be 4 to 8 digits"),
    // a person's new PIN (or none) ends the wait for an unknown attempt's outcome
    resets: Object.freeze(["simPinAttempt"] as const),
  }),
  simPinAttempt: Object.freeze({
    defaultValue: "",
    check: (value: string) => (value === "" || value === "unsettled" ? value : "!SIM PIN attempt must be \"\" or \"unsettled\""),
  }),
  homeCountryCode: Object.freeze({
    defaultValue: "1",
    check: (value: string) => {
      const code = value.startsWith("+") ? value.slice(1) : value;
      return isCountryCode(code) ? code : "!country code must be 1 to 3 digits";
    },
  }),
  modemProfile: Object.freeze({
    defaultValue: "",
    check: (value: string) => {
      if (value === "") return "";
      return findModemProfile(value)?.name ?? "!unknown modem profile";
    },
  }),
  smsMode: Object.freeze({
    defaultValue: "",
    check: (value: string) => (value === "" || value === "pdu" || value === "text" ? value : "!SMS mode must be pdu or text"),
  }),
  repliesPerHour: Object.freeze({
    defaultValue: "30",
    check: (value: string) => wholeNumber(value, 2, 200, "replies per hour to one number"),
  }),
  repliesPerHourAll: Object.freeze({
    defaultValue: "60",
    check: (value: string) => wholeNumber(value, 2, 1000, "replies per hour in all"),
  }),
  loopGuardAfter: Object.freeze({
    defaultValue: "3",
    check: (value: string) => wholeNumber(value, 1, 20, "texts answered before the loop guard"),
  }),
});

/** The order keys are read in (the country code decides how the owner number is read). */
const LOAD_ORDER: readonly SettingKey[] = Object.freeze([
  "homeCountryCode",
  "ownerNumber",
  "users",
  "pinHash",
  "ownerAlerts",
  "secure",
  "pinLock",
  "claimLock",
  "setupCode",
  "smsPerDay",
  "armed",
  "fence",
  "speedLimitKmh",
  "track",
  "whereWaitS",
  "units",
  "timeZone",
  "simPin",
  "simPinAttempt",
  "modemProfile",
  "smsMode",
  "repliesPerHour",
  "repliesPerHourAll",
  "loopGuardAfter",
]);

const SLOT_KEYS = Object.freeze(["cfg.a", "cfg.b"] as const);

/** Settings that describe the unit rather than its owner: kept through RESET (eraseUserData). */
const UNIT_FACTS: readonly SettingKey[] = Object.freeze([
  "setupCode",
  "homeCountryCode",
  "modemProfile",
  "smsMode",
  "simPin",
  "simPinAttempt",
]);

/*
 * Versions so far only added keys: a key absent from an older record reads as its default
 * (version 1 added homeCountryCode, 2 simPin, 3 modemProfile and smsMode, 4 simPinAttempt, 5 the
 * reply limits). Version 6 replaced the clear "ownerPin" by "pinHash": a record before 6 with a
 * valid ownerPin hands it over once (takeLegacyPin) for hashing, and ownerPin is never written
 * again; it added the users, alerts, secure mode, lockouts, setup code, daily budget and the armed
 * state (absent keys read as their defaults, so no version bump came with each). Version 7 added
 * the fence, speed limit, tracking plan, WHERE wait, units and time zone: the fence is the first
 * coordinates a record may hold (the place the owner chose; see alerts/plans.ts).
 * A version that changes what a stored key means brings its own conversion here.
 */

/** Outcome of a settings change. */
export interface SetResult {
  ok: boolean;
  /** Why the value was refused (when ok is false). */
  reason: string;
}

/** A slot as read: its sequence and data, and whether its CRC covered the sequence (the current form). */
interface SlotRecord {
  sequence: number;
  slot: number;
  data: Record<string, unknown>;
}

export class Settings {
  private record: SettingsRecord;
  /**
   * The loaded record as stored: keys this firmware does not know (a newer one wrote them) are
   * written back as they were; the keys it knows are overwritten by the current values.
   */
  private stored: Record<string, unknown> = {};
  private sequence = 0;
  private slot = 0;
  /** A clear PIN read from a record before version 6, until taken for hashing. */
  private legacyPin = "";

  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Logger,
  ) {
    this.record = Settings.defaults();
    this.load();
  }

  static defaults(): SettingsRecord {
    return {
      ownerNumber: SCHEMA.ownerNumber.defaultValue,
      pinHash: SCHEMA.pinHash.defaultValue,
      users: SCHEMA.users.defaultValue,
      ownerAlerts: SCHEMA.ownerAlerts.defaultValue,
      secure: SCHEMA.secure.defaultValue,
      pinLock: SCHEMA.pinLock.defaultValue,
      claimLock: SCHEMA.claimLock.defaultValue,
      setupCode: SCHEMA.setupCode.defaultValue,
      smsPerDay: SCHEMA.smsPerDay.defaultValue,
      armed: SCHEMA.armed.defaultValue,
      fence: SCHEMA.fence.defaultValue,
      speedLimitKmh: SCHEMA.speedLimitKmh.defaultValue,
      track: SCHEMA.track.defaultValue,
      whereWaitS: SCHEMA.whereWaitS.defaultValue,
      units: SCHEMA.units.defaultValue,
      timeZone: SCHEMA.timeZone.defaultValue,
      homeCountryCode: SCHEMA.homeCountryCode.defaultValue,
      simPin: SCHEMA.simPin.defaultValue,
      simPinAttempt: SCHEMA.simPinAttempt.defaultValue,
      modemProfile: SCHEMA.modemProfile.defaultValue,
      smsMode: SCHEMA.smsMode.defaultValue,
      repliesPerHour: SCHEMA.repliesPerHour.defaultValue,
      repliesPerHourAll: SCHEMA.repliesPerHourAll.defaultValue,
      loopGuardAfter: SCHEMA.loopGuardAfter.defaultValue,
    };
  }

  /** Current value of a setting. */
  get<K extends SettingKey>(key: K): SettingsRecord[K] {
    return this.record[key];
  }

  /** Validate, normalise and persist one setting. Bad values are refused with a reason; nothing is lost. */
  set(key: SettingKey, value: string): SetResult {
    return this.setMany({ [key]: value });
  }

  /**
   * The clear owner PIN of a settings record before version 6 (once; "" when none): the caller
   * stores its hash at once, then overwriteOlderSlot() takes the clear PIN out of the flash.
   */
  takeLegacyPin(): string {
    const pin = this.legacyPin;
    this.legacyPin = "";
    return pin;
  }

  /**
   * Set several settings in one write; all or none (the first refused value is the reason). The
   * values are checked in the order given (a country code before the numbers it reads).
   */
  setMany(values: Partial<SettingsRecord>): SetResult {
    let next: SettingsRecord = { ...this.record };
    for (const key of Object.keys(values) as SettingKey[]) {
      if (!Object.prototype.hasOwnProperty.call(SCHEMA, key)) return { ok: false, reason: `unknown setting '${key}'` };
      const spec = SCHEMA[key];
      const checked = spec.check(values[key]!, next);
      if (checked.startsWith("!")) return { ok: false, reason: checked.slice(1) };
      next = { ...next, [key]: checked };
      for (const reset of spec.resets ?? []) next[reset] = SCHEMA[reset].defaultValue;
    }
    try {
      this.write(next);
    } catch (e) {
      return { ok: false, reason: `store refused the write: ${(e as Error).message}` };
    }
    this.record = next;
    return { ok: true, reason: "" };
  }

  /**
   * Erase what the owner and users set (RESET): numbers, PIN, alerts, limits, lockouts, and keys a
   * newer firmware wrote; keep what belongs to the unit (UNIT_FACTS: its label's setup code, its
   * modem, its SIM). The device becomes unclaimed. False (nothing erased) when the store refused.
   */
  eraseUserData(): SetResult {
    const next = Settings.defaults();
    for (const key of UNIT_FACTS) next[key] = this.record[key];
    const stored = this.stored;
    this.stored = {};
    try {
      this.write(next);
    } catch (e) {
      this.stored = stored;
      return { ok: false, reason: `store refused the write: ${(e as Error).message}` };
    }
    this.record = next;
    // erased once the first write is done; the older slot's copy is scrubbed as well as the store allows
    const scrubbed = this.overwriteOlderSlot();
    if (!scrubbed.ok) this.log.log("error", "store", `the erased settings are in force, but the older slot still holds the previous record: ${scrubbed.reason}`);
    return { ok: true, reason: "" };
  }

  /**
   * Write the current record into the other slot too, so nothing of the previous record stays in
   * flash (after a RESET, a transfer of ownership, or a clear PIN's migration). A power cut during
   * it leaves the current record in the first slot.
   */
  overwriteOlderSlot(): SetResult {
    try {
      this.write(this.record);
    } catch (e) {
      return { ok: false, reason: `store refused the write: ${(e as Error).message}` };
    }
    return { ok: true, reason: "" };
  }

  /** Erase every setting (factory reset): the device becomes unclaimed. */
  reset(): void {
    for (const key of SLOT_KEYS) this.store.delete(key);
    this.record = Settings.defaults();
    this.stored = {}; // nothing of the old record survives, not even keys a newer firmware wrote
    this.sequence = 0;
    this.slot = 0;
  }

  private write(next: SettingsRecord): void {
    const json = JSON.stringify({ ...this.stored, v: SETTINGS_VERSION, ...next });
    const sequence = this.sequence + 1;
    const slot = 1 - this.slot;
    this.store.set(SLOT_KEYS[slot]!, `${sequence};${crc32(`${sequence};${json}`)};${json}`);
    this.sequence = sequence;
    this.slot = slot;
  }

  private load(): void {
    const slots: SlotRecord[] = [];
    SLOT_KEYS.forEach((key, slot) => {
      const parsed = Settings.parseSlot(this.store.get(key));
      if (parsed) slots.push({ ...parsed, slot });
    });
    if (slots.length === 0) {
      if (SLOT_KEYS.some((key) => this.store.get(key) !== undefined)) {
        this.log.log("error", "store", "both settings records are unreadable (damaged): starting unclaimed, with defaults");
      }
      return;
    }
    slots.sort((a, b) => b.sequence - a.sequence);
    // the newest record whose every value passes the schema; else the newest, its bad values defaulted
    let chosen: { slot: SlotRecord; record: SettingsRecord; problems: string[] } | undefined;
    for (const slot of slots) {
      const read = this.readRecord(slot.data);
      if (read.problems.length === 0) {
        chosen = { slot, ...read };
        break;
      }
      chosen ??= { slot, ...read };
      if (slots.length > 1 && slot === slots[0]) {
        this.log.log("warn", "store", `newest settings record has invalid values (${read.problems.join(", ")}); trying the older one`);
      }
    }
    const { slot, record, problems } = chosen!;
    for (const problem of problems) this.log.log("warn", "store", `stored ${problem} is invalid; using default`);
    this.sequence = slots[0]!.sequence; // the next write goes past every slot seen
    this.slot = slots[0]!.slot;
    this.record = record;
    this.stored = slot.data;
    const legacyPin = slot.data.ownerPin;
    // Stryker disable next-line ConditionalExpression: without an ownerPin, rest is a copy of the data and no PIN is taken
    if (legacyPin !== undefined) {
      // version < 6: a clear PIN; never written back (the next write drops it)
      const { ownerPin: _dropped, ...rest } = slot.data;
      this.stored = rest;
      if (typeof legacyPin === "string" && isPin(legacyPin) && record.pinHash === "") this.legacyPin = legacyPin;
    }
    const version = slot.data.v;
    if (typeof version === "number" && version > SETTINGS_VERSION) {
      this.log.log("warn", "store", `settings version ${version} is newer than ${SETTINGS_VERSION}; reading known keys, keeping the others`);
    }
  }

  /** A slot's data checked key by key: the record (absent or failed keys at their defaults), and the keys whose values failed. */
  private readRecord(data: Record<string, unknown>): { record: SettingsRecord; problems: string[] } {
    const record = Settings.defaults();
    const problems: string[] = [];
    for (const key of LOAD_ORDER) {
      const value = data[key];
      if (value === undefined) continue;
      const checked = typeof value === "string" ? SCHEMA[key].check(value, record) : "!not text";
      if (checked.startsWith("!")) problems.push(key);
      else record[key] = checked;
    }
    return { record, problems };
  }

  /**
   * "seq;crc;json": sequence and CRC in plain decimal digits, the CRC of "seq;json" (or, for a
   * record written before the sequence was covered, of the json alone). Undefined when damaged.
   */
  private static parseSlot(value: unknown): { sequence: number; data: Record<string, unknown> } | undefined {
    if (typeof value !== "string") return undefined;
    const first = value.indexOf(";");
    const second = value.indexOf(";", first + 1);
    // Stryker disable next-line ConditionalExpression, EqualityOperator: without a second ";" the JSON is the whole value, digits first: never an object
    if (second < 0) return undefined;
    const sequenceText = value.slice(0, first);
    const crcText = value.slice(first + 1, second);
    // 15 digits at most: every sequence is a safe integer
    if (!isDecimal(sequenceText) || !isDecimal(crcText)) return undefined;
    const sequence = Number(sequenceText);
    const crc = Number(crcText);
    const json = value.slice(second + 1);
    if (sequence === 0) return undefined; // the first write is sequence 1
    let data: unknown;
    // Stryker disable BlockStatement: an empty catch leaves data undefined, which the next line refuses the same way (this also spares the try block's own, killed, mutant)
    try {
      data = JSON.parse(json);
    } catch {
      return undefined;
    }
    // Stryker restore BlockStatement
    if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
    const record = data as Record<string, unknown>;
    if (crc32(`${sequenceText};${json}`) === crc) return { sequence, data: record };
    // settings versions 0 (no "v"), 1 and 2 covered the json alone
    const legacy = record.v === undefined || record.v === 1 || record.v === 2;
    return legacy && crc32(json) === crc ? { sequence, data: record } : undefined;
  }
}

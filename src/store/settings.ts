/**
 * Device settings: a versioned schema over the key-value port, written atomically.
 *
 * The whole record is one ASCII string "seq;crc;json" written alternately to two slots (keys
 * "cfg.a" and "cfg.b"). Loading takes the valid slot with the highest sequence, so a power cut at
 * any byte of a write leaves either the old or the new record, never a mix. Location is never part
 * of the settings (nothing here may hold coordinates).
 */
import type { KeyValueStore, Logger } from "../platform/ports";
import { isCountryCode, toE164 } from "../auth/phone-number";
import { findModemProfile } from "../modem/profiles";
import { crc32 } from "./crc32";

/** Current schema version. */
export const SETTINGS_VERSION = 3;

export interface SettingsRecord {
  /** Owner's phone number, E.164; "" while the device is unclaimed (it then answers nobody). */
  ownerNumber: string;
  /** Owner's PIN (4-8 digits) for sensitive commands; "" when not set. Never logged, never sent. */
  ownerPin: string;
  /** Country calling code used to complete national numbers (digits, e.g. "1", "44"). */
  homeCountryCode: string;
  /**
   * The SIM card's PIN (4-8 digits), sent once per modem boot only when the SIM asks for it; ""
   * (default) = none configured: a PIN-locked SIM then stays locked. Never logged, never guessed.
   */
  simPin: string;
  /**
   * The modem's profile name ("A7670", "SIM7600", ...; see modem/profiles.ts), overriding the build
   * configuration's; "" (default) = the build's.
   */
  modemProfile: string;
  /** "pdu" or "text", overriding the profile's SMS mode; "" (default) = the build's, else the profile's. */
  smsMode: string;
}

export type SettingKey = keyof SettingsRecord;

interface SettingSpec {
  /** Default value; there is deliberately no default owner or PIN. */
  readonly defaultValue: string;
  /** Returns the normalised value, or a reason string prefixed with "!" when invalid. */
  readonly check: (value: string, record: SettingsRecord) => string;
}

function isPin(value: string): boolean {
  if (value.length < 4 || value.length > 8) return false;
  for (const ch of value) if (ch < "0" || ch > "9") return false;
  return true;
}

const SCHEMA: { readonly [K in SettingKey]: SettingSpec } = Object.freeze({
  ownerNumber: Object.freeze({
    defaultValue: "",
    check: (value: string, record: SettingsRecord) => {
      if (value === "") return "";
      return toE164(value, record.homeCountryCode) ?? "!not a phone number";
    },
  }),
  ownerPin: Object.freeze({
    defaultValue: "",
    check: (value: string) => (value === "" || isPin(value) ? value : "!PIN must be 4 to 8 digits"),
  }),
  simPin: Object.freeze({
    defaultValue: "",
    check: (value: string) => (value === "" || isPin(value) ? value : "!SIM PIN must be 4 to 8 digits"),
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
});

/** The order keys are read in (the country code decides how the owner number is read). */
const LOAD_ORDER: readonly SettingKey[] = Object.freeze(["homeCountryCode", "ownerNumber", "ownerPin", "simPin", "modemProfile", "smsMode"]);

const SLOT_KEYS = Object.freeze(["cfg.a", "cfg.b"] as const);

/** Older record shapes → current. Index = version being upgraded from. */
const MIGRATIONS: Readonly<Record<number, (old: Record<string, unknown>) => Record<string, unknown>>> = Object.freeze({
  0: (old: Record<string, unknown>) => ({ ...old, homeCountryCode: old.homeCountryCode ?? "1" }),
  1: (old: Record<string, unknown>) => ({ ...old, simPin: old.simPin ?? "" }),
  2: (old: Record<string, unknown>) => ({ ...old, modemProfile: old.modemProfile ?? "", smsMode: old.smsMode ?? "" }),
});

/** Outcome of a settings change. */
export interface SetResult {
  ok: boolean;
  /** Why the value was refused (when ok is false). */
  reason: string;
}

export class Settings {
  private record: SettingsRecord;
  private sequence = 0;
  private slot = 0;

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
      ownerPin: SCHEMA.ownerPin.defaultValue,
      homeCountryCode: SCHEMA.homeCountryCode.defaultValue,
      simPin: SCHEMA.simPin.defaultValue,
      modemProfile: SCHEMA.modemProfile.defaultValue,
      smsMode: SCHEMA.smsMode.defaultValue,
    };
  }

  /** Current value of a setting. */
  get<K extends SettingKey>(key: K): SettingsRecord[K] {
    return this.record[key];
  }

  /** Validate, normalise and persist one setting. Bad values are refused with a reason; nothing is lost. */
  set(key: SettingKey, value: string): SetResult {
    const spec = SCHEMA[key];
    if (!spec) return { ok: false, reason: `unknown setting '${key}'` };
    const checked = spec.check(value, this.record);
    if (checked.startsWith("!")) return { ok: false, reason: checked.slice(1) };
    const next: SettingsRecord = { ...this.record, [key]: checked };
    try {
      this.write(next);
    } catch (e) {
      return { ok: false, reason: `store refused the write: ${(e as Error).message}` };
    }
    this.record = next;
    return { ok: true, reason: "" };
  }

  /** Erase every setting (factory reset): the device becomes unclaimed. */
  reset(): void {
    for (const key of SLOT_KEYS) this.store.delete(key);
    this.record = Settings.defaults();
    this.sequence = 0;
    this.slot = 0;
  }

  private write(next: SettingsRecord): void {
    const json = JSON.stringify({ v: SETTINGS_VERSION, ...next });
    const sequence = this.sequence + 1;
    const slot = 1 - this.slot;
    this.store.set(SLOT_KEYS[slot]!, `${sequence};${crc32(json)};${json}`);
    this.sequence = sequence;
    this.slot = slot;
  }

  private load(): void {
    let best: { sequence: number; slot: number; data: Record<string, unknown> } | undefined;
    SLOT_KEYS.forEach((key, slot) => {
      const parsed = Settings.parseSlot(this.store.get(key));
      if (parsed && (!best || parsed.sequence > best.sequence)) best = { ...parsed, slot };
    });
    if (!best) return;
    this.sequence = best.sequence;
    this.slot = best.slot;
    let data = best.data;
    let version = typeof data.v === "number" ? data.v : 0;
    if (version > SETTINGS_VERSION) {
      this.log.log("warn", "store", `settings version ${version} is newer than ${SETTINGS_VERSION}; reading known keys`);
    }
    while (version < SETTINGS_VERSION) {
      const migrate = MIGRATIONS[version];
      if (migrate) data = migrate(data);
      version++;
    }
    const record = Settings.defaults();
    for (const key of LOAD_ORDER) {
      const raw = data[key];
      if (typeof raw !== "string") continue;
      const checked = SCHEMA[key].check(raw, record);
      if (checked.startsWith("!")) this.log.log("warn", "store", `stored ${key} is invalid (${checked.slice(1)}); using default`);
      else record[key] = checked;
    }
    this.record = record;
  }

  private static parseSlot(value: unknown): { sequence: number; data: Record<string, unknown> } | undefined {
    if (typeof value !== "string") return undefined;
    const first = value.indexOf(";");
    const second = value.indexOf(";", first + 1);
    if (first <= 0 || second <= first) return undefined;
    const sequence = Number(value.slice(0, first));
    const crc = Number(value.slice(first + 1, second));
    const json = value.slice(second + 1);
    if (!Number.isInteger(sequence) || sequence <= 0 || crc32(json) !== crc) return undefined;
    try {
      const data: unknown = JSON.parse(json);
      if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
      return { sequence, data: data as Record<string, unknown> };
    } catch {
      return undefined;
    }
  }
}

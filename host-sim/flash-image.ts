/**
 * Flash images for the simulated tracker, written by the firmware's own settings code (src/store),
 * never by a copy of its record format: what an installer's provisioning tool would leave in the
 * device's key-value store.
 */
import { Settings, type SettingKey } from "../src/store/settings.ts";
import type { KeyValueStore, Logger, StoredValue } from "../src/platform/ports.ts";

/** Settings to provision; unset keys keep their defaults. */
export type SettingsValues = Partial<Record<SettingKey, string>>;

/** A key-value store in a plain object (the flash image). */
class ObjectStore implements KeyValueStore {
  constructor(readonly values: Record<string, StoredValue>) {}
  get(key: string): StoredValue | undefined {
    return this.values[key];
  }
  set(key: string, value: StoredValue): void {
    this.values[key] = value;
  }
  delete(key: string): void {
    delete this.values[key];
  }
  keys(): string[] {
    return Object.keys(this.values);
  }
}

/** Where a refused value is reported while provisioning. */
class ThrowingLogger implements Logger {
  log(): void {}
}

/**
 * Write `values` into the flash image `image` (a key → value object, changed in place) through the
 * firmware's Settings in two writes, as an installer's tool would: the country code first (it
 * decides how numbers are read), then everything else at once. Throws when the firmware refuses a
 * value.
 */
export function provisionSettings(image: Record<string, StoredValue>, values: SettingsValues): void {
  const settings = new Settings(new ObjectStore(image), new ThrowingLogger());
  const { homeCountryCode, ...rest } = values;
  if (homeCountryCode !== undefined) {
    const result = settings.set("homeCountryCode", homeCountryCode);
    if (!result.ok) throw new Error(`provisioning: homeCountryCode refused: ${result.reason}`);
  }
  if (Object.keys(rest).length === 0) return;
  const result = settings.setMany(rest);
  if (!result.ok) throw new Error(`provisioning refused: ${result.reason}`);
}

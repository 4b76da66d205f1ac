/**
 * KeyValueStore over Moddable Preference (NVS on ESP32), in one domain.
 *
 * NVS limits (../kv-limits) are checked first, so a bad value fails with a clear Error instead of
 * a native "float unsupported" / "unsupported type" / "nvs set fail".
 * Note: Preference.set erases the old entry before writing the new one, so a power cut during a set
 * can lose the key; the settings store's two-slot scheme is what makes updates atomic.
 */
import Preference from "preference";
import type { KeyValueStore, StoredValue } from "../ports";
import { checkStoreName as checkName, checkStoreValue as checkValue } from "../kv-limits";

/** Persistent store in one Preference domain (default "tracker"). Every set/delete is a flash write. */
export class PreferenceStore implements KeyValueStore {
  readonly #domain: string;

  /** Throws if `domain` is not 1..15 printable ASCII characters. */
  constructor(domain = "tracker") {
    checkName("domain", domain);
    this.#domain = domain;
  }

  get(key: string): StoredValue | undefined {
    checkName("key", key);
    return Preference.get(this.#domain, key);
  }

  /** Throws an Error naming the key when the value breaks an NVS limit or the flash write fails. */
  set(key: string, value: StoredValue): void {
    checkName("key", key);
    checkValue(key, value);
    try {
      Preference.set(this.#domain, key, value);
    } catch (e) {
      throw new Error(`store: set ${key} failed: ${String(e)}`);
    }
  }

  delete(key: string): void {
    checkName("key", key);
    Preference.delete(this.#domain, key);
  }

  keys(): string[] {
    return Preference.keys(this.#domain);
  }
}

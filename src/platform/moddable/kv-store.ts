/**
 * KeyValueStore over Moddable Preference (NVS on ESP32), in one domain.
 *
 * NVS limits are checked here so a bad value fails with a clear Error instead of a native
 * "float unsupported" / "unsupported type" / "nvs set fail": keys are 1..15 printable ASCII
 * characters, numbers are integers in the i32 range (NVS stores i32), strings are at most 3999
 * UTF-8 bytes (4000 with NVS's terminating NUL) and ArrayBuffers at most 4000 bytes.
 * Note: Preference.set erases the old entry before writing the new one, so a power cut during a set
 * can lose the key; the settings store's two-slot scheme is what makes updates atomic.
 */
import Preference from "preference";
import type { KeyValueStore, StoredValue } from "../ports";

/** Longest NVS domain (namespace) or key name. */
export const MAX_KEY_LENGTH = 15;
/** Largest value NVS stores for this module, in bytes. */
export const MAX_VALUE_BYTES = 4000;

function checkName(what: string, name: string): void {
  let ok = typeof name === "string" && name.length >= 1 && name.length <= MAX_KEY_LENGTH;
  for (let i = 0; ok && i < name.length; i++) {
    const c = name.charCodeAt(i);
    ok = c > 0x20 && c < 0x7f;
  }
  if (!ok) throw new Error(`store: invalid ${what} "${name}" (1..${MAX_KEY_LENGTH} printable ASCII characters)`);
}

/** UTF-8 length of a string, walking code points (XS string length counts code points). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function checkValue(key: string, value: StoredValue): void {
  switch (typeof value) {
    case "boolean":
      return;
    case "number":
      if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff)
        throw new Error(`store: ${key}: ${value} is not a 32-bit integer (store scaled integers)`);
      return;
    case "string":
      if (utf8Length(value) > MAX_VALUE_BYTES - 1)
        throw new Error(`store: ${key}: string longer than ${MAX_VALUE_BYTES - 1} UTF-8 bytes`);
      return;
    default:
      if (!(value instanceof ArrayBuffer))
        throw new Error(`store: ${key}: unsupported value type (integer, string, boolean or ArrayBuffer)`);
      if (value.byteLength > MAX_VALUE_BYTES)
        throw new Error(`store: ${key}: ${value.byteLength} bytes is more than ${MAX_VALUE_BYTES}`);
  }
}

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

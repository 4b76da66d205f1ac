/**
 * The device key-value store's limits (Moddable Preference over ESP32 NVS), checked in one place
 * for the device store and the simulator's store alike, so a value the device would refuse is
 * refused in simulation too: keys are 1..15 printable ASCII characters, numbers are integers in
 * the i32 range, strings are at most 3999 UTF-8 bytes (4000 with NVS's terminating NUL) and
 * ArrayBuffers at most 4000 bytes. Each check throws an Error naming the key.
 */
import type { StoredValue } from "./ports";

/** Longest NVS domain (namespace) or key name. */
export const MAX_KEY_LENGTH = 15;
/** Largest value NVS stores, in bytes. */
export const MAX_VALUE_BYTES = 4000;

/** Throw unless `name` is a valid domain or key name. */
export function checkStoreName(what: string, name: string): void {
  let ok = typeof name === "string" && name.length >= 1 && name.length <= MAX_KEY_LENGTH;
  for (let i = 0; ok && i < name.length; i++) {
    const c = name.charCodeAt(i);
    ok = c > 0x20 && c < 0x7f;
  }
  if (!ok) throw new Error(`store: invalid ${what} "${name}" (1..${MAX_KEY_LENGTH} printable ASCII characters)`);
}

/** UTF-8 length of a string, walking code points (XS string length counts code points). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Throw unless `value` can be stored under `key`. */
export function checkStoreValue(key: string, value: StoredValue): void {
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

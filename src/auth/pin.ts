/**
 * The device PIN: 4 to 8 digits, stored only as "iterations:salt:hash" (hex), the hash being
 * PBKDF2-HMAC-SHA-256 of the PIN with a random 8-byte salt. With at most 10^8 PINs no hash makes a
 * stolen flash image safe against a patient offline search; what it does is keep the PIN out of the
 * flash in clear (a dump, a log, a support export shows no PIN), while the lockout (auth/lockout.ts)
 * is what stops guessing by SMS.
 */
import type { RandomSource } from "../platform/ports";
import { asciiBytes, fromHex, pbkdf2Sha256, toHex } from "./sha256";

/**
 * PBKDF2 iterations for new hashes: one check costs about 2 × this many SHA-256 blocks, a fraction
 * of a second on the ESP32 under XS (npm run bench), and PIN checks are rare and rate-limited.
 */
export const PIN_HASH_ITERATIONS = 64;
/** Most iterations a stored hash may name (a damaged or forged count must not stall the device). */
const MAX_ITERATIONS = 10_000;
/** Salt length (bytes). */
const SALT_BYTES = 8;
/** Hash length (bytes). */
const HASH_BYTES = 32;

/** True for a PIN: 4 to 8 ASCII digits. */
export function isPin(text: string): boolean {
  return /^[0-9]{4,8}$/.test(text);
}

/** The stored form of `pin` with a fresh salt from `random`. */
export function hashPin(pin: string, random: RandomSource): string {
  const salt = new Uint8Array(SALT_BYTES);
  random.fill(salt);
  const hash = pbkdf2Sha256(asciiBytes(pin), salt, PIN_HASH_ITERATIONS, HASH_BYTES);
  return `${PIN_HASH_ITERATIONS}:${toHex(salt)}:${toHex(hash)}`;
}

/** True when `pin` is the PIN `stored` (hashPin's form) was made from; false for anything malformed. */
export function pinMatches(pin: string, stored: string): boolean {
  if (!isPin(pin)) return false;
  const fields = stored.split(":");
  if (fields.length !== 3) return false;
  const iterations = Number(fields[0]);
  const salt = fromHex(fields[1]!);
  const expected = fromHex(fields[2]!);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS || !salt || !expected) return false;
  const hash = pbkdf2Sha256(asciiBytes(pin), salt, iterations, expected.length);
  let difference = 0; // compare every byte (no early exit)
  // Stryker disable next-line EqualityOperator: one past the end reads undefined ^ undefined = 0
  for (let i = 0; i < hash.length; i++) difference |= hash[i]! ^ expected[i]!;
  return expected.length === HASH_BYTES && difference === 0;
}

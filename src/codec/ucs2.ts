/**
 * UCS-2 as SMS uses it (3GPP TS 23.038 §6.2.3): UTF-16BE, characters above U+FFFF as surrogate
 * pairs. Counts and encodes by walking code points, never `string.length` (on the device XS counts
 * code points, so "😀".length === 1 there but 2 UTF-16 units on air). Never throws.
 */
import { codePointsToString } from "./gsm7-pack";

/** Replacement character for an unpaired surrogate. */
const REPLACEMENT = 0xfffd;

/** UTF-16 code units `text` needs (2 per character above U+FFFF). */
export function utf16Units(text: string): number {
  let units = 0;
  for (const ch of text) units += ch.codePointAt(0)! > 0xffff ? 2 : 1;
  return units;
}

/** UTF-16 code units of one code point (1 or 2). */
export function utf16UnitsOf(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

/**
 * Write code points `cps[start..end)` as UTF-16BE into `out` at octet `offset`; returns the octets
 * written. Octets beyond `out` are not written (the caller sizes `out`).
 */
export function writeUtf16be(cps: readonly number[], start: number, end: number, out: Uint8Array, offset: number): number {
  let at = offset;
  const put = (unit: number): void => {
    if (at + 1 < out.length) {
      out[at] = unit >> 8;
      out[at + 1] = unit & 0xff;
    }
    at += 2;
  };
  for (let i = start; i < end; i++) {
    const cp = cps[i]!;
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      put(0xd800 | (v >> 10));
      put(0xdc00 | (v & 0x3ff));
    } else {
      put(cp);
    }
  }
  return at - offset;
}

/**
 * Text of the UTF-16BE octets `bytes[start..end)`. Surrogate pairs become one code point; an
 * unpaired surrogate becomes U+FFFD; an odd trailing octet is ignored.
 */
export function readUtf16be(bytes: Uint8Array, start: number, end: number): string {
  const cps: number[] = [];
  const stop = Math.min(end, bytes.length);
  for (let i = start; i + 1 < stop; i += 2) {
    const unit = (bytes[i]! << 8) | bytes[i + 1]!;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 3 < stop) {
      const low = (bytes[i + 2]! << 8) | bytes[i + 3]!;
      if (low >= 0xdc00 && low <= 0xdfff) {
        cps.push(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
        i += 2;
        continue;
      }
    }
    cps.push(unit >= 0xd800 && unit <= 0xdfff ? REPLACEMENT : unit);
  }
  return codePointsToString(cps);
}

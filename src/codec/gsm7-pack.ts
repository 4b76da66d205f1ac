/**
 * GSM-7 septet packing (3GPP TS 23.038 §6.1.2.1.1): 7-bit codes packed LSB-first into octets, as
 * SMS PDUs carry them. `fillBits` (0-6) are the zero bits that follow a User Data Header so the
 * first septet of the text starts on a septet boundary (23.040 §9.2.3.24). Also text ⇄ code
 * conversion with the extension table, walking code points (never string indices) so it behaves
 * the same on XS (code-point strings) and V8. Never throws.
 */
import { GSM7_ESCAPE, gsm7BasicCode, gsm7BasicCodePoint, gsm7ExtensionCode, gsm7ExtensionCodePoint } from "./gsm7";

/** Code point shown for an unknown escape pair (23.038: "display a space"). */

/**
 * Octets `septets` packed septets occupy after `fillBits` fill bits: ceil((fill + 7·n) / 8).
 * Non-positive counts give 0.
 */
export function packedOctets(septets: number, fillBits = 0): number {
  if (!(septets > 0)) return 0;
  return Math.ceil((fillBits + septets * 7) / 8);
}

/**
 * Pack GSM-7 codes (each 0-127, higher bits ignored) into `out` starting at octet `offset`, after
 * `fillBits` zero bits (0-6). Writes packedOctets(codes.length, fillBits) octets (the fill bits and
 * the unused top bits of the last octet are zero) and returns that count. Octets beyond `out` are
 * not written (the caller sizes `out`).
 */
export function packSeptets(codes: ArrayLike<number>, out: Uint8Array, offset: number, fillBits = 0): number {
  const octets = packedOctets(codes.length, fillBits);
  for (let i = 0; i < octets && offset + i < out.length; i++) out[offset + i] = 0;
  let bit = fillBits;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]! & 0x7f;
    const at = offset + (bit >> 3);
    const shift = bit & 7;
    if (at < out.length) out[at] |= (code << shift) & 0xff;
    if (shift > 1 && at + 1 < out.length) out[at + 1] |= code >> (8 - shift);
    bit += 7;
  }
  return octets;
}

/**
 * Read `count` packed septets from `bytes`, starting `startBit` bits after octet `offset` (the bit
 * offset may exceed 7), into an array of codes 0-127. Septets that would read past `end`
 * (default bytes.length) are not returned, so the result may be shorter than `count`.
 */
export function unpackSeptets(bytes: Uint8Array, offset: number, startBit: number, count: number, end = bytes.length): number[] {
  const codes: number[] = [];
  const limitBits = (end - offset) * 8;
  for (let i = 0, bit = startBit; i < count && bit + 7 <= limitBits; i++, bit += 7) {
    const at = offset + (bit >> 3);
    const shift = bit & 7;
    let value = bytes[at]! >> shift;
    if (shift > 1) value |= bytes[at + 1]! << (8 - shift);
    codes.push(value & 0x7f);
  }
  return codes;
}

/**
 * GSM-7 codes for `text` (extension characters as ESC pairs), or undefined when a character is
 * outside the default alphabet and its extension table.
 */
export function textToGsm7Codes(text: string): number[] | undefined {
  const codes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const basic = gsm7BasicCode(cp);
    if (basic >= 0) {
      codes.push(basic);
      continue;
    }
    const ext = gsm7ExtensionCode(cp);
    if (ext < 0) return undefined;
    codes.push(GSM7_ESCAPE, ext);
  }
  return codes;
}

/**
 * Text for GSM-7 codes `codes[start..end)`. An escape followed by a code the extension table lacks
 * decodes as a space (23.038; national language shift tables are not supported); a trailing lone
 * escape is dropped. Codes are taken modulo 128.
 */
export function gsm7CodesToText(codes: ArrayLike<number>, start = 0, end = codes.length): string {
  const cps: number[] = [];
  for (let i = start; i < end; i++) {
    const code = codes[i]! & 0x7f;
    if (code === GSM7_ESCAPE) {
      i++;
      if (i >= end) break;
      // an escape with no extension meaning: the basic-table character (23.038 §6.2.1.1)
      const cp = gsm7ExtensionCodePoint(codes[i]!);
      cps.push(cp < 0 ? gsm7BasicCodePoint(codes[i]!) : cp);
    } else {
      cps.push(gsm7BasicCodePoint(code));
    }
  }
  return codePointsToString(cps);
}

/**
 * String of code points, built in slices of 32: each argument of a call takes an XS stack slot (the
 * board target's `creation.stack`), so no call gets a data-sized argument list.
 */
export function codePointsToString(cps: readonly number[]): string {
  let text = "";
  for (let i = 0; i < cps.length; i += 32) text += String.fromCodePoint.apply(null, cps.slice(i, i + 32));
  return text;
}

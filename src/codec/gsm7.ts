/**
 * GSM 03.38 (3GPP TS 23.038) default alphabet: conversion between text and GSM-7 code values
 * (one value per septet, unpacked), as text-mode SMS with AT+CSCS="GSM" carries them over the UART.
 * Walks code points, never string indices, so it behaves the same on XS (code-point strings) and V8.
 */

/** Basic table: index = GSM-7 code, value = Unicode code point. 0x1B is the escape to the extension table. */
const BASIC: readonly number[] = Object.freeze([
  0x40, 0xa3, 0x24, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0x0a, 0xd8, 0xf8, 0x0d, 0xc5, 0xe5,
  0x394, 0x5f, 0x3a6, 0x393, 0x39b, 0x3a9, 0x3a0, 0x3a8, 0x3a3, 0x398, 0x39e, 0x1b, 0xc6, 0xe6, 0xdf, 0xc9,
  0x20, 0x21, 0x22, 0x23, 0xa4, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
  0xa1, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
  0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0xc4, 0xd6, 0xd1, 0xdc, 0xa7,
  0xbf, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
  0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0xe4, 0xf6, 0xf1, 0xfc, 0xe0,
]);

/** Extension table (after ESC 0x1B): [GSM-7 code, Unicode code point] pairs. */
const EXTENSION: readonly (readonly [number, number])[] = Object.freeze([
  [0x0a, 0x0c], [0x14, 0x5e], [0x28, 0x7b], [0x29, 0x7d], [0x2f, 0x5c],
  [0x3c, 0x5b], [0x3d, 0x7e], [0x3e, 0x5d], [0x40, 0x7c], [0x65, 0x20ac],
] as const);

export const GSM7_ESCAPE = 0x1b;
/** Code written for characters the alphabet lacks ('?'). */
const REPLACEMENT = 0x3f;

const basicByCodePoint = new Map<number, number>();
BASIC.forEach((cp, code) => {
  if (code !== GSM7_ESCAPE) basicByCodePoint.set(cp, code);
});
const extensionByCodePoint = new Map<number, number>(EXTENSION.map(([code, cp]) => [cp, code]));
const extensionByCode = new Map<number, number>(EXTENSION.map(([code, cp]) => [code, cp]));

/** GSM-7 basic-table code (0-127) of Unicode code point `cp`, or -1 when the basic table lacks it. */
export function gsm7BasicCode(cp: number): number {
  const code = basicByCodePoint.get(cp);
  return code === undefined ? -1 : code;
}

/** GSM-7 extension-table code (written after ESC 0x1B) of code point `cp`, or -1 when it has none. */
export function gsm7ExtensionCode(cp: number): number {
  const code = extensionByCodePoint.get(cp);
  return code === undefined ? -1 : code;
}

/** Unicode code point of basic-table code `code` (taken modulo 128; 0x1B, the escape, gives 0x1B). */
export function gsm7BasicCodePoint(code: number): number {
  return BASIC[code & 0x7f]!;
}

/** Unicode code point of extension-table code `code` (after ESC), or -1 when the table has none (then the basic-table character stands, 23.038 §6.2.1.1). */
export function gsm7ExtensionCodePoint(code: number): number {
  const cp = extensionByCode.get(code & 0x7f);
  return cp === undefined ? -1 : cp;
}

/** Septets `text` needs in GSM-7 (extension characters count 2), or -1 when a character does not fit. */
export function gsm7Septets(text: string): number {
  let septets = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (basicByCodePoint.has(cp)) septets += 1;
    else if (extensionByCodePoint.has(cp)) septets += 2;
    else return -1;
  }
  return septets;
}

/**
 * Encode text as unpacked GSM-7 codes for a text-mode AT+CMGS body. Characters outside the alphabet
 * become '?'. `forbidden` codes (e.g. 0x1A Ctrl-Z, which ends the body, and 0x1B ESC, which aborts
 * it) are also written as '?', so no text can end or cancel the modem's input early.
 */
export function encodeGsm7(text: string, forbidden: readonly number[] = []): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const basic = basicByCodePoint.get(cp);
    if (basic !== undefined) {
      out.push(forbidden.includes(basic) ? REPLACEMENT : basic);
      continue;
    }
    const ext = extensionByCodePoint.get(cp);
    if (ext !== undefined && !forbidden.includes(GSM7_ESCAPE)) out.push(GSM7_ESCAPE, ext);
    else out.push(REPLACEMENT);
  }
  return Uint8Array.from(out);
}

/**
 * Decode unpacked GSM-7 codes (each char code of `codes` is one septet, 0-127; higher values are
 * taken modulo 128) into text. An escape followed by a code with no extension meaning decodes as
 * that code's basic-table character (23.038 §6.2.1.1: "ESC" + "W" is "W"), a trailing escape as nothing.
 */
export function decodeGsm7(codes: string): string {
  let text = "";
  for (let i = 0; i < codes.length; i++) {
    const code = codes.charCodeAt(i) & 0x7f;
    if (code === GSM7_ESCAPE) {
      i++;
      if (i >= codes.length) break;
      // an escape with no extension meaning: the basic-table character (23.038 §6.2.1.1)
      const next = codes.charCodeAt(i) & 0x7f;
      const cp = extensionByCode.get(next);
      text += String.fromCodePoint(cp === undefined ? BASIC[next]! : cp);
    } else {
      text += String.fromCodePoint(BASIC[code]!);
    }
  }
  return text;
}

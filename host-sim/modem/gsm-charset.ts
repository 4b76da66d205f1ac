/**
 * GSM 03.38 (3GPP TS 23.038) default alphabet and extension table, as the virtual modem uses it for
 * AT+CSCS="GSM". Codes are unpacked: one byte per septet, extension characters as ESC (0x1B) + code.
 * This is the simulator's own table, written independently of the firmware's codec on purpose, so a
 * mistake in one is caught by the other.
 */

/** Basic table, index = GSM code 0x00..0x7F. 0x1B (ESC) is the escape to the extension table. */
const BASIC: readonly string[] = [
  // 0x00
  "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
  // 0x10
  "Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "\u001b", "Æ", "æ", "ß", "É",
  // 0x20
  " ", "!", "\"", "#", "¤", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
  // 0x30
  "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
  // 0x40
  "¡", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
  // 0x50
  "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
  // 0x60
  "¿", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
  // 0x70
  "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ä", "ö", "ñ", "ü", "à",
];

/** Extension table (after ESC): code → character. */
const EXTENSION: ReadonlyMap<number, string> = new Map([
  [0x0a, "\f"],
  [0x14, "^"],
  [0x28, "{"],
  [0x29, "}"],
  [0x2f, "\\"],
  [0x3c, "["],
  [0x3d, "~"],
  [0x3e, "]"],
  [0x40, "|"],
  [0x65, "€"],
]);

/** GSM escape code (0x1B). */
export const GSM_ESC = 0x1b;

const BASIC_REVERSE = new Map<string, number>();
BASIC.forEach((ch, code) => {
  if (code !== GSM_ESC) BASIC_REVERSE.set(ch, code);
});
const EXTENSION_REVERSE = new Map<string, number>();
for (const [code, ch] of EXTENSION) EXTENSION_REVERSE.set(ch, code);

const QUESTION = 0x3f;

/** GSM codes for one Unicode character (1 or 2 bytes), or undefined when it is not in GSM 03.38. */
export function gsmCodesFor(ch: string): number[] | undefined {
  const basic = BASIC_REVERSE.get(ch);
  if (basic !== undefined) return [basic];
  const ext = EXTENSION_REVERSE.get(ch);
  if (ext !== undefined) return [GSM_ESC, ext];
  return undefined;
}

/**
 * Unicode → unpacked GSM-7 codes (one byte per septet; ESC + code for extension characters).
 * Characters outside the alphabet become '?' (0x3F). Walks code points, so an emoji is one '?'.
 */
export function encodeGsm(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const codes = gsmCodesFor(ch);
    if (codes) out.push(...codes);
    else out.push(QUESTION);
  }
  return Uint8Array.from(out);
}

/**
 * Unpacked GSM-7 codes → Unicode. Bits above 0x7F are ignored. ESC followed by a code the
 * extension table lacks gives the basic-table character (23.038 §6.2.1.1); ESC ESC and a trailing
 * ESC give a space.
 */
export function decodeGsm(codes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]! & 0x7f;
    if (code !== GSM_ESC) {
      out += BASIC[code]!;
      continue;
    }
    const next = i + 1 < codes.length ? codes[i + 1]! & 0x7f : undefined;
    if (next === undefined || next === GSM_ESC) {
      out += " ";
      if (next !== undefined) i++;
      continue;
    }
    i++;
    out += EXTENSION.get(next) ?? BASIC[next]!;
  }
  return out;
}

/** True when every character of `text` is in the GSM 03.38 default alphabet or its extension. */
export function isGsmEncodable(text: string): boolean {
  for (const ch of text) if (!gsmCodesFor(ch)) return false;
  return true;
}

/** Septets `text` takes in GSM-7 (extension characters count 2; unmappable ones count 1, as '?'). */
export function gsmSeptetCount(text: string): number {
  let n = 0;
  for (const ch of text) n += gsmCodesFor(ch)?.length ?? 1;
  return n;
}

/** Unicode → the IRA (7-bit ASCII) bytes of AT+CSCS="IRA"; non-ASCII characters become '?'. */
export function encodeIra(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out.push(cp < 0x80 ? cp : QUESTION);
  }
  return Uint8Array.from(out);
}

/** IRA bytes → Unicode; bytes above 0x7F become '?'. */
export function decodeIra(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : "?";
  return out;
}

/** Unicode → upper-case hex of its UTF-16BE code units (AT+CSCS="UCS2"); emoji give surrogate pairs. */
export function encodeUcs2Hex(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
  return out;
}

/** Hex UTF-16BE → Unicode, or undefined when the hex is malformed (odd length, not a multiple of 4, non-hex). */
export function decodeUcs2Hex(hex: string): string | undefined {
  if (hex.length % 4 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) return undefined;
  let out = "";
  for (let i = 0; i < hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

/** UTF-16 code units of `text` (what a UCS2 SMS is sized by: 70 per single message). */
export function ucs2UnitCount(text: string): number {
  return text.length;
}

/**
 * Hex text ⇄ octets for PDU-mode SMS lines (3GPP TS 27.005: the PDU travels as upper-case hex).
 * Parsing is tolerant of what real modems print around a PDU and strict about the PDU itself.
 * Never throws.
 */

/**
 * Most octets a PDU line may hold (SMSC field ≤ 12 + TPDU ≤ 164 octets, plus slack for the trailing
 * 0xFF fill some modems add to stored status reports). Longer lines are rejected.
 */
export const PDU_MAX_OCTETS = 200;

/** Result of parsing a hex line: the octets, or why the line is not a PDU. */
export type HexParseResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** Value of an ASCII hex digit (either case), or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const QUOTE = 0x22;

/**
 * Octets of a PDU hex line. Accepted around the hex: whitespace anywhere between digit pairs,
 * and double quotes before the first digit or after the last one (a stray `"` before CR LF is
 * seen in the wild, gammu at-sms/04.dump). Rejected with a reason: any other non-hex character,
 * an odd number of digits, an empty line, more than PDU_MAX_OCTETS octets.
 */
export function parsePduHex(line: string): HexParseResult {
  const n = line.length;
  let i = 0;
  while (i < n && (isSpace(line.charCodeAt(i)) || line.charCodeAt(i) === QUOTE)) i++;
  let digits = 0;
  let end = i;
  for (let j = i; j < n; j++) {
    const c = line.charCodeAt(j);
    if (hexValue(c) >= 0) {
      digits++;
      end = j + 1;
    } else if (c === QUOTE) {
      for (let k = j + 1; k < n; k++) {
        const t = line.charCodeAt(k);
        if (!isSpace(t) && t !== QUOTE) return { ok: false, error: `junk after the closing quote at offset ${k}` };
      }
      break;
    } else if (!isSpace(c)) {
      return { ok: false, error: `non-hex character 0x${(c & 0xffff).toString(16)} at offset ${j}` };
    }
  }
  if (digits === 0) return { ok: false, error: "empty PDU" };
  if (digits % 2 !== 0) return { ok: false, error: `odd number of hex digits (${digits})` };
  if (digits / 2 > PDU_MAX_OCTETS) return { ok: false, error: `PDU too long (${digits / 2} octets, max ${PDU_MAX_OCTETS})` };
  const bytes = new Uint8Array(digits / 2);
  let high = -1;
  let at = 0;
  for (let j = i; j < end; j++) {
    const v = hexValue(line.charCodeAt(j));
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      bytes[at++] = (high << 4) | v;
      high = -1;
    }
  }
  return { ok: true, bytes };
}

/** 0..255 → its two upper-case hex digits. */
const HEX_PAIRS: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, b) => (b < 16 ? "0" : "") + b.toString(16).toUpperCase()));

/**
 * Upper-case hex of `bytes[start..end)` (default: all of it). Joined from an array of pairs: no
 * argument list grows with the data (each argument of a call takes an XS stack slot).
 */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const pairs: string[] = [];
  for (let i = start; i < end; i++) pairs.push(HEX_PAIRS[bytes[i]!]!);
  return pairs.join("");
}

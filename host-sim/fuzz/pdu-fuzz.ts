/**
 * Fuzzer for the firmware's SMS PDU decoder (src/sms/pdu/pdu-decode.ts). Seeded and reproducible:
 * case k of seed s is always the same input.
 *
 * Seeds: the gammu AT+CMGR PDU dumps (../shared/corpus/at/gammu/at-sms and at-sms-failing, when
 * present), a few hand-made vectors, and encoder outputs (random GSM-7 / Unicode texts through
 * encodeSubmit, also rewritten as SMS-DELIVER). Each case applies one mutation:
 *  - `none`      the seed unchanged (encoder seeds must round-trip: decoded text = encoded text);
 *  - `bitflip`   1-4 random bits flipped;
 *  - `truncate`  cut at a random hex digit (odd lengths included);
 *  - `insert`    1-8 random octets inserted;  `delete`  1-8 octets removed;
 *  - `udh`       TP-UDHI set and a random User Data Header (concatenation 8/16-bit, ports, random
 *                elements, sometimes inconsistent lengths) put in front of the user data;
 *  - `udl`       TP-UDL replaced by a random value;
 *  - `text`      hex-text damage: lower case, whitespace, quotes, a non-hex character, junk suffix;
 *  - `random`    random octets (0-200).
 * Properties: decodePdu never throws, the result is well-formed (checkWellFormed), and decoding
 * is deterministic (same input, same result).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decodePdu, type PduDecodeResult } from "../../src/sms/pdu/pdu-decode.ts";
import { encodeSubmit } from "../../src/sms/pdu/pdu-encode.ts";
import { Random } from "../random.ts";

/** The gammu dumps (read at run time, never copied into the repo). */
export const GAMMU_CORPUS_DIR = fileURLToPath(new URL("../../../shared/corpus/at/gammu", import.meta.url));

export const PDU_MUTATIONS = ["none", "bitflip", "truncate", "insert", "delete", "udh", "udl", "text", "random"] as const;
export type PduMutation = (typeof PDU_MUTATIONS)[number];

/** The PDU line after the +CMGR/+CMGL header of a gammu dump, or undefined. */
export function pduLineOf(dump: string): string | undefined {
  const lines = dump.split(/[\r\n]+/);
  const header = lines.findIndex((l) => /^\+CMG[RL]:/.test(l));
  return header >= 0 && header + 1 < lines.length ? lines[header + 1] : undefined;
}

/** PDU lines of every `.dump` in `<dir>/at-sms` and `<dir>/at-sms-failing` (empty when absent). */
export function corpusPdus(dir = GAMMU_CORPUS_DIR): string[] {
  const out: string[] = [];
  for (const sub of ["at-sms", "at-sms-failing"]) {
    const path = `${dir}/${sub}`;
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path).filter((f) => f.endsWith(".dump")).sort()) {
      const line = pduLineOf(readFileSync(`${path}/${file}`, "latin1"));
      if (line !== undefined) out.push(line);
    }
  }
  return out;
}

/** Hand-made vectors (built with an independent packer, see test/sms/pdu/vectors.test.ts). */
const BUILTIN_SEEDS: readonly string[] = [
  "07912120550501F0040B912120550521F300004230018003510A1A453C5D07DAF036A84D6AE3DB9437944D6FF3DA0041EF35",
  "07919700000000F1040DD049B7F93D6D4E010008522113329595211E041F04400438043204350442002C0020043C0438044000210020D83DDE00",
  "00440D91945111325476F80004321020304050400D060504138823F0DEADBEEF00FF",
  "0791447700090000440B817007900021F300004270102100200013050003A70202E8E1341BB44195DDE44D0A",
  "07913306000000F0440B913316325476F80008422092000000800B0608041234020104270031",
  "07914180550500F0062A0B914180550591F94250607080908A4250607090008A46",
];

/** Octets of an even-length hex string. */
function bytesOf(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

function hexOf(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! & 0xff).toString(16).toUpperCase().padStart(2, "0");
  return s;
}

/**
 * Rewrite an encoder SMS-SUBMIT (SMSC "00") as the SMS-DELIVER its recipient would get: same
 * UDHI, originator = the destination, PID/DCS/UD kept, the given 7-octet SCTS (hex) inserted.
 */
export function submitToDeliver(submitHex: string, sctsHex = "42300180035100"): string {
  const b = bytesOf(submitHex);
  const fo = b[1]!;
  const daDigits = b[3]!;
  const daEnd = 5 + ((daDigits + 1) >> 1);
  const vpOctets = [0, 7, 1, 7][(fo >> 3) & 3]!;
  const pidDcs = b.slice(daEnd, daEnd + 2);
  const ud = b.slice(daEnd + 2 + vpOctets);
  return hexOf([0x00, 0x04 | (fo & 0x40), ...b.slice(3, daEnd), ...pidDcs, ...bytesOf(sctsHex), ...ud]);
}

/** Octet index of TP-UDL in a DELIVER or SUBMIT, or -1 (walks the header without the decoder). */
export function udlOffset(b: readonly number[]): number {
  if (b.length < 2) return -1;
  let i = 1 + b[0]!;
  const fo = b[i];
  if (fo === undefined) return -1;
  const mti = fo & 3;
  if (mti === 0) {
    const n = b[i + 1];
    if (n === undefined) return -1;
    i += 1 + 2 + ((n + 1) >> 1) + 2 + 7;
  } else if (mti === 1) {
    const n = b[i + 2];
    if (n === undefined) return -1;
    i += 2 + 2 + ((n + 1) >> 1) + 2 + [0, 7, 1, 7][(fo >> 3) & 3]!;
  } else {
    return -1;
  }
  return i < b.length ? i : -1;
}

const ALPHABET_GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€\f";
const ALPHABET_WIDE = ["Ж", "я", "中", "文", "é", "😀", "🚗", "𝄞", "€", "[", "a", " ", "ß", "ي"];

function randomText(r: Random, maxLength: number): string {
  const n = r.int(0, maxLength);
  const wide = r.next() < 0.5;
  const gsm = [...ALPHABET_GSM];
  let s = "";
  for (let i = 0; i < n; i++) s += wide && r.next() < 0.3 ? ALPHABET_WIDE[r.int(0, ALPHABET_WIDE.length - 1)] : gsm[r.int(0, gsm.length - 1)];
  return s;
}

/** Code points of a string (never string indices). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

const HEX_OCTETS = /^([0-9A-F]{2})*$/;

/**
 * Why `r` is not a well-formed decodePdu result, or undefined when it is. Checks the shape and the
 * ranges each field can take (text sizes, concat/port numbers, no unpaired surrogates, time
 * stamps NaN or integral), and that no internal fault was caught.
 */
export function checkWellFormed(r: PduDecodeResult): string | undefined {
  if (typeof r !== "object" || r === null) return "result is not an object";
  switch (r.kind) {
    case "error":
    case "unsupported":
      if (typeof r.error !== "string" || r.error.length === 0) return "empty error";
      if (r.error.includes("decoder fault")) return r.error;
      return undefined;
    case "status-report": {
      if (!Number.isInteger(r.status) || r.status < 0 || r.status > 255) return "bad status";
      const outcome = r.status < 0x20 ? "delivered" : r.status < 0x40 ? "pending" : "failed";
      if (r.outcome !== outcome) return "outcome does not match status";
      if (typeof r.recipient !== "string" || codePoints(r.recipient).length > 21) return "bad recipient";
      for (const t of [r.sentUtcMs, r.dischargeUtcMs]) if (!Number.isNaN(t) && !Number.isInteger(t)) return "bad time stamp";
      return undefined;
    }
    case "deliver":
    case "submit": {
      if (typeof r.text !== "string") return "text is not a string";
      const cps = codePoints(r.text);
      if (cps.some((cp) => cp >= 0xd800 && cp <= 0xdfff)) return "unpaired surrogate in text";
      if (!["gsm7", "ucs2", "8bit"].includes(r.encoding)) return "bad encoding";
      if (r.encoding === "gsm7" && cps.length > 160) return "GSM-7 text longer than 160";
      if (r.encoding === "ucs2" && cps.length > 70) return "UCS-2 text longer than 70";
      if (r.encoding === "8bit" && r.text !== "") return "8-bit message with text";
      if (r.encoding !== "8bit" && r.dataHex !== "") return "text message with dataHex";
      if (!HEX_OCTETS.test(r.dataHex) || !HEX_OCTETS.test(r.udhHex)) return "bad hex field";
      if (r.messageClass !== undefined && ![0, 1, 2, 3].includes(r.messageClass)) return "bad message class";
      if (r.binary !== (r.encoding === "8bit" || r.port !== undefined)) return "binary flag inconsistent";
      if (r.concat) {
        const c = r.concat;
        if (c.total < 1 || c.total > 255 || c.sequence < 1 || c.sequence > c.total) return "bad concat numbers";
        if (c.reference < 0 || c.reference >= (c.referenceBits === 8 ? 256 : 65536)) return "bad concat reference";
      }
      if (r.port) {
        const limit = r.port.bits === 8 ? 256 : 65536;
        if (r.port.destination < 0 || r.port.destination >= limit || r.port.source < 0 || r.port.source >= limit) return "bad port";
      }
      if (!Array.isArray(r.warnings) || r.warnings.some((w) => typeof w !== "string")) return "bad warnings";
      if (typeof r.truncated !== "boolean") return "bad truncated flag";
      const party = r.kind === "deliver" ? r.sender : r.destination;
      if (typeof party !== "string" || codePoints(party).length > 21) return "bad address";
      if (r.kind === "deliver" && !Number.isNaN(r.sentUtcMs) && !Number.isInteger(r.sentUtcMs)) return "bad time stamp";
      return undefined;
    }
    default:
      return `unknown kind ${(r as { kind: unknown }).kind}`;
  }
}

/** Same result (NaN equal to NaN)? */
function sameResult(a: PduDecodeResult, b: PduDecodeResult): boolean {
  const key = (r: PduDecodeResult) => JSON.stringify(r, (_k, v) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v));
  return key(a) === key(b);
}

function randomUdh(r: Random): number[] {
  const ies: number[] = [];
  const count = r.int(0, 3);
  for (let k = 0; k < count; k++) {
    switch (r.int(0, 4)) {
      case 0:
        ies.push(0x00, 3, r.int(0, 255), r.int(0, 4), r.int(0, 4));
        break;
      case 1:
        ies.push(0x08, 4, r.int(0, 255), r.int(0, 255), r.int(0, 4), r.int(0, 4));
        break;
      case 2:
        ies.push(0x05, 4, 0x0b, 0x84, 0x23, 0xf0);
        break;
      case 3:
        ies.push(0x04, 2, r.int(0, 255), r.int(0, 255));
        break;
      default: {
        const len = r.int(0, 6);
        ies.push(r.int(0, 255), r.next() < 0.8 ? len : r.int(0, 255));
        for (let i = 0; i < len; i++) ies.push(r.int(0, 255));
      }
    }
  }
  const udhl = r.next() < 0.85 ? ies.length : r.int(0, 255);
  return [udhl, ...ies];
}

function mutate(hex: string, mutation: PduMutation, r: Random): string {
  const b = bytesOf(hex);
  switch (mutation) {
    case "none":
      return hex;
    case "bitflip": {
      for (let n = r.int(1, 4); n > 0 && b.length > 0; n--) b[r.int(0, b.length - 1)]! ^= 1 << r.int(0, 7);
      return hexOf(b);
    }
    case "truncate":
      return hex.slice(0, r.int(0, Math.max(0, hex.length - 1)));
    case "insert": {
      const at = r.int(0, b.length);
      const extra: number[] = [];
      for (let n = r.int(1, 8); n > 0; n--) extra.push(r.int(0, 255));
      b.splice(at, 0, ...extra);
      return hexOf(b);
    }
    case "delete":
      b.splice(r.int(0, Math.max(0, b.length - 1)), r.int(1, 8));
      return hexOf(b);
    case "udh": {
      const udl = udlOffset(b);
      if (udl < 0) return hexOf(b);
      const fo = 1 + b[0]!;
      b[fo]! |= 0x40;
      const udh = randomUdh(r);
      b.splice(udl + 1, 0, ...udh);
      const choice = r.int(0, 2);
      b[udl] = choice === 0 ? Math.min(255, b[udl]! + udh.length + 1) : choice === 1 ? b[udl]! : r.int(0, 255);
      return hexOf(b);
    }
    case "udl": {
      const udl = udlOffset(b);
      if (udl >= 0) b[udl] = r.int(0, 255);
      return hexOf(b);
    }
    case "text": {
      switch (r.int(0, 4)) {
        case 0:
          return hex.toLowerCase();
        case 1:
          return `  ${hex.match(/../g)?.join(r.next() < 0.5 ? " " : "") ?? ""}\r\n`;
        case 2:
          return `"${hex}"`;
        case 3: {
          const at = r.int(0, hex.length);
          return hex.slice(0, at) + ["G", "Z", "=", "p", ",", "\u0000", "\u00ff", "😀"][r.int(0, 7)] + hex.slice(at);
        }
        default:
          return hex + ["\"", "\"\r\n", ",OK", "\u001a", "  "][r.int(0, 4)];
      }
    }
    case "random": {
      const out: number[] = [];
      for (let n = r.int(0, 200); n > 0; n--) out.push(r.int(0, 255));
      return hexOf(out);
    }
  }
}

/** Options of fuzzPdu. */
export interface PduFuzzOptions {
  /** Directory holding gammu's at-sms/ and at-sms-failing/ (default GAMMU_CORPUS_DIR; absent → no corpus seeds). */
  corpusDir?: string;
  /** Stop after this many failures (default 20). */
  maxFailures?: number;
}

/**
 * Run `count` fuzz cases from `seed`; `report` gets a start line, one line per failure and a
 * summary. Returns the cases run and the failures (each with its mutation and input hex).
 */
export function fuzzPdu(count: number, seed: number, report: (line: string) => void, options: PduFuzzOptions = {}): { cases: number; failures: string[] } {
  const corpus = corpusPdus(options.corpusDir ?? GAMMU_CORPUS_DIR);
  const maxFailures = options.maxFailures ?? 20;
  report(`pdu fuzz: ${count} cases, seed ${seed}, ${corpus.length} corpus PDUs${corpus.length === 0 ? " (corpus absent: built-in and encoder seeds only)" : ""}`);
  const seeds = [...corpus, ...BUILTIN_SEEDS];
  const failures: string[] = [];
  const tally = new Map<PduMutation, number>();
  let cases = 0;
  for (let k = 0; k < count && failures.length < maxFailures; k++) {
    const r = new Random((seed * 0x9e3779b1 + k) >>> 0);
    const mutation = PDU_MUTATIONS[r.int(0, PDU_MUTATIONS.length - 1)]!;
    let base: string;
    let expectText: string | undefined;
    if (r.next() < 0.4) {
      const text = randomText(r, r.next() < 0.8 ? 200 : 1000);
      const enc = encodeSubmit(r.next() < 0.5 ? "+14085550199" : "0612345678", text, { reference: r.int(0, 255), validityMinutes: r.next() < 0.5 ? undefined : r.int(0, 100000) });
      if (enc.parts.length === 0) {
        failures.push(`case ${k}: encodeSubmit gave no parts (${enc.error}) for a ${codePoints(text).length}-character text`);
        continue;
      }
      const p = r.int(0, enc.parts.length - 1);
      base = enc.parts[p]!.hex;
      if (enc.parts.length === 1) expectText = text;
      if (r.next() < 0.5) {
        base = submitToDeliver(base);
      }
    } else {
      base = seeds[r.int(0, seeds.length - 1)]!;
    }
    const input = mutate(base, mutation, r);
    cases++;
    tally.set(mutation, (tally.get(mutation) ?? 0) + 1);
    let result: PduDecodeResult;
    try {
      result = decodePdu(input);
    } catch (e) {
      failures.push(`case ${k} ${mutation}: threw ${String(e)} input=${JSON.stringify(input)}`);
      report(failures[failures.length - 1]!);
      continue;
    }
    const problem = checkWellFormed(result) ?? (sameResult(result, decodePdu(input)) ? undefined : "not deterministic");
    const roundTrip = mutation === "none" && expectText !== undefined && (result.kind !== "deliver" && result.kind !== "submit" ? "encoder output not decoded" : result.text !== expectText ? "round trip changed the text" : undefined);
    const fault = problem ?? (roundTrip || undefined);
    if (fault) {
      failures.push(`case ${k} ${mutation}: ${fault} input=${JSON.stringify(input)}`);
      report(failures[failures.length - 1]!);
    }
  }
  report(`pdu fuzz: ${cases} cases (${[...tally].map(([m, n]) => `${m} ${n}`).join(", ")}), ${failures.length} failure(s)`);
  return { cases, failures };
}

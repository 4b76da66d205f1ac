/**
 * SMS-SUBMIT encoder (3GPP TS 23.040 §9.2.2.2) for PDU-mode sending (AT+CMGF=0, AT+CMGS=<length>).
 * GSM-7 when every character is in the default alphabet or its extension table (those cost 2
 * septets), else UCS-2 (characters above U+FFFF as surrogate pairs, 2 units). One part up to 160
 * septets / 70 units; longer texts are concatenated with the 8-bit-reference UDH (05 00 03 ref
 * total seq) at 153 septets / 67 units per part, never splitting an escape pair or a surrogate
 * pair across parts. The SMSC field is "00": the modem uses the SIM's service centre (AT+CSCA).
 * Counts by walking code points (XS strings count code points). Never throws.
 */
import { GSM7_ESCAPE, gsm7BasicCode, gsm7ExtensionCode } from "../../codec/gsm7";
import { packSeptets, packedOctets } from "../../codec/gsm7-pack";
import { utf16UnitsOf, writeUtf16be } from "../../codec/ucs2";
import { encodeAddress, relativeValidityCode } from "./pdu-fields";
import { toHex } from "./pdu-hex";

/** Septets in a single GSM-7 SMS. */
export const SMS_SINGLE_SEPTETS = 160;
/** Septets per part of a concatenated GSM-7 SMS (7 septets go to the 6-octet UDH + fill bit). */
export const SMS_CONCAT_SEPTETS = 153;
/** UCS-2 code units in a single SMS. */
export const SMS_SINGLE_UCS2_UNITS = 70;
/** UCS-2 code units per part of a concatenated SMS (6 octets go to the UDH). */
export const SMS_CONCAT_UCS2_UNITS = 67;
/** Most parts one concatenated message can have (8-bit count in the UDH). */
export const SMS_MAX_PARTS = 255;

/** Alphabet chosen for sending. */
export type SubmitEncoding = "gsm7" | "ucs2";

/** Size of a text as SMS. */
export interface SmsPartsInfo {
  encoding: SubmitEncoding;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2, emoji count 2). */
  units: number;
  /** Parts needed (1 for the empty text); may exceed SMS_MAX_PARTS, which encodeSubmit refuses. */
  parts: number;
}

/** One SMS-SUBMIT ready for AT+CMGS. */
export interface SubmitPart {
  /** The PDU as upper-case hex, SMSC field "00" first: the line to send after the "> " prompt. */
  hex: string;
  /** TPDU octets (the PDU without the SMSC octet): the <length> of AT+CMGS=<length>. */
  tpduOctets: number;
}

/** encodeSubmit's result: the parts in order, or none and an `error`. */
export interface SubmitEncodeResult {
  encoding: SubmitEncoding;
  parts: SubmitPart[];
  /** Why nothing was encoded (bad destination, too many parts); absent on success. */
  error?: string;
}

/** Options of encodeSubmit. */
export interface SubmitOptions {
  /** Concatenation reference (0-255; taken modulo 256), one per multipart message, shared by its parts. */
  reference: number;
  /** Relative validity period in minutes (rounded up to the next TP-VP step); absent → the SMSC's default. */
  validityMinutes?: number;
}

/** Per code point of a text: its GSM-7 codes (1 or 2) or its UCS-2 unit count. */
interface Analysis {
  encoding: SubmitEncoding;
  cps: number[];
  /** Cost of each code point in septets (GSM-7) or units (UCS-2). */
  costs: number[];
  units: number;
}

function analyse(text: string): Analysis {
  const cps: number[] = [];
  for (const ch of text) cps.push(ch.codePointAt(0)!);
  const costs: number[] = [];
  let units = 0;
  let gsm7 = true;
  for (const cp of cps) {
    if (gsm7BasicCode(cp) >= 0) costs.push(1);
    else if (gsm7ExtensionCode(cp) >= 0) costs.push(2);
    else {
      gsm7 = false;
      break;
    }
    units += costs[costs.length - 1]!;
  }
  if (gsm7) return { encoding: "gsm7", cps, costs, units };
  costs.length = 0;
  units = 0;
  for (const cp of cps) {
    const cost = utf16UnitsOf(cp);
    costs.push(cost);
    units += cost;
  }
  return { encoding: "ucs2", cps, costs, units };
}

/** Code-point index where each part ends (exclusive); greedy, a character never straddles parts. */
function partEnds(a: Analysis): number[] {
  const single = a.encoding === "gsm7" ? SMS_SINGLE_SEPTETS : SMS_SINGLE_UCS2_UNITS;
  if (a.units <= single) return [a.cps.length];
  const perPart = a.encoding === "gsm7" ? SMS_CONCAT_SEPTETS : SMS_CONCAT_UCS2_UNITS;
  const ends: number[] = [];
  let used = 0;
  for (let i = 0; i < a.costs.length; i++) {
    if (used + a.costs[i]! > perPart) {
      ends.push(i);
      used = 0;
    }
    used += a.costs[i]!;
  }
  ends.push(a.cps.length);
  return ends;
}

/**
 * Encoding, size and part count `text` would take as SMS (the same split encodeSubmit makes):
 * GSM-7 septets or UCS-2 units; 1 part up to 160/70, else parts of at most 153/67 where an escape
 * pair or surrogate pair never straddles two parts.
 */
export function smsPartsFor(text: string): SmsPartsInfo {
  const a = analyse(text);
  return { encoding: a.encoding, units: a.units, parts: partEnds(a).length };
}

/** First octet: TP-MTI 01 (SUBMIT), TP-RD 0, TP-VPF 10 (relative) or 00, TP-SRR 0, TP-UDHI, TP-RP 0. */
function firstOctet(withValidity: boolean, udhi: boolean): number {
  return 0x01 | (withValidity ? 0x10 : 0) | (udhi ? 0x40 : 0);
}

/**
 * Encode `text` to `destination` as SMS-SUBMIT PDUs (see the module comment). `destination` is
 * E.164 "+<digits>" (type 0x91) or bare digits (type 0x81). Never throws: an empty, over-long or
 * non-digit destination, or a text needing more than 255 parts, gives `parts: []` and `error`.
 * TP-MR is 0 (the modem assigns it); PID 0; DCS 0x00 (GSM-7) or 0x08 (UCS-2), no message class.
 */
export function encodeSubmit(destination: string, text: string, options: SubmitOptions): SubmitEncodeResult {
  const a = analyse(typeof text === "string" ? text : "");
  const address = encodeAddress(typeof destination === "string" ? destination : "");
  if (typeof address === "string") return { encoding: a.encoding, parts: [], error: address };
  const ends = partEnds(a);
  if (ends.length > SMS_MAX_PARTS) return { encoding: a.encoding, parts: [], error: `text needs ${ends.length} parts (max ${SMS_MAX_PARTS})` };
  const reference = Number.isFinite(options?.reference) ? Math.trunc(options.reference) & 0xff : 0;
  const withValidity = options?.validityMinutes !== undefined;
  const multipart = ends.length > 1;
  const parts: SubmitPart[] = [];
  let from = 0;
  for (let p = 0; p < ends.length; p++) {
    const to = ends[p]!;
    const header: number[] = [0x00, firstOctet(withValidity, multipart), 0x00, ...address, 0x00, a.encoding === "gsm7" ? 0x00 : 0x08];
    if (withValidity) header.push(relativeValidityCode(options.validityMinutes!));
    const udh = multipart ? [0x05, 0x00, 0x03, reference, ends.length, p + 1] : [];
    let udl: number;
    let udOctets: number;
    let codes: number[] = [];
    if (a.encoding === "gsm7") {
      for (let i = from; i < to; i++) {
        const cp = a.cps[i]!;
        const basic = gsm7BasicCode(cp);
        if (basic >= 0) codes.push(basic);
        else codes.push(GSM7_ESCAPE, gsm7ExtensionCode(cp));
      }
      // 6 UDH octets = 48 bits, padded with 1 fill bit to 7 septets.
      const headerSeptets = Math.ceil((udh.length * 8) / 7);
      udl = headerSeptets + codes.length;
      udOctets = udh.length + packedOctets(codes.length, headerSeptets * 7 - udh.length * 8);
    } else {
      let units = 0;
      for (let i = from; i < to; i++) units += a.costs[i]!;
      udl = udh.length + units * 2;
      udOctets = udl;
    }
    const pdu = new Uint8Array(header.length + 1 + udOctets);
    pdu.set(header, 0);
    pdu[header.length] = udl;
    const ud = header.length + 1;
    pdu.set(udh, ud);
    if (a.encoding === "gsm7") {
      const headerSeptets = Math.ceil((udh.length * 8) / 7);
      packSeptets(codes, pdu, ud + udh.length, headerSeptets * 7 - udh.length * 8);
    } else {
      writeUtf16be(a.cps, from, to, pdu, ud + udh.length);
    }
    parts.push({ hex: toHex(pdu), tpduOctets: pdu.length - 1 });
    codes = [];
    from = to;
  }
  return { encoding: a.encoding, parts };
}

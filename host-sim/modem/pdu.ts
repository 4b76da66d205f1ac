/**
 * 3GPP TS 23.040 PDUs on the simulator side (the test oracle): SMS-DELIVER and SMS-STATUS-REPORT
 * encoders for what the virtual modem hands to the firmware, an SMS-SUBMIT decoder for what the
 * firmware sends with AT+CMGS in PDU mode, and builders for the "special" deliveries firmware must
 * ignore safely (WAP push / MMS notification, class-0 flash, binary 8-bit data).
 *
 * Written independently of the firmware's codec (src/sms, src/codec) on purpose. Conventions:
 * - GSM-7 user data is packed LSB first; with a UDH the text starts on a septet boundary, after
 *   (7 - (UDH octets * 8) % 7) % 7 fill bits. UDL counts septets (UDH included) for GSM-7,
 *   octets otherwise.
 * - Long texts are split into concatenated parts: IE 0x00 (8-bit ref, 153 septets / 67 UCS-2 units
 *   per part) or IE 0x08 (16-bit ref, 152 / 66). An extension character (2 septets) or a surrogate
 *   pair is never split across parts.
 * - The decoder never throws: malformed input gives undefined.
 */
import { decodeGsm, encodeGsm, gsmCodesFor, isGsmEncodable } from "./gsm-charset.ts";

// ---------------------------------------------------------------------------------------------
// Hex and semi-octets

/** Bytes → upper-case hex. */
export function toHex(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! & 0xff).toString(16).toUpperCase().padStart(2, "0");
  return s;
}

/** Hex → bytes, or undefined when the length is odd or a character is not hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const BCD_DIGITS = "0123456789*#abc";

function swapBcd(n: number): number {
  return ((n % 10) << 4) | Math.floor(n / 10);
}
function unswapBcd(b: number): number {
  return (b & 0x0f) * 10 + (b >> 4);
}

function semiOctets(digits: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < digits.length; i += 2) {
    const lo = BCD_DIGITS.indexOf(digits[i]!);
    const hi = i + 1 < digits.length ? BCD_DIGITS.indexOf(digits[i + 1]!) : 0x0f;
    out.push(((hi & 0x0f) << 4) | (lo & 0x0f));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// GSM-7 packing

/** Pack 7-bit values LSB first after `fillBits` zero bits. */
export function packSeptets(septets: ArrayLike<number>, fillBits = 0): number[] {
  const totalBits = fillBits + septets.length * 7;
  const out = new Array<number>(Math.ceil(totalBits / 8)).fill(0);
  for (let i = 0; i < septets.length; i++) {
    const v = septets[i]! & 0x7f;
    const pos = fillBits + i * 7;
    for (let b = 0; b < 7; b++) if ((v >> b) & 1) out[(pos + b) >> 3]! |= 1 << ((pos + b) & 7);
  }
  return out;
}

/** Unpack `count` 7-bit values after `fillBits` bits; undefined when the bytes are too short. */
export function unpackSeptets(bytes: ArrayLike<number>, count: number, fillBits = 0): number[] | undefined {
  if (Math.ceil((fillBits + count * 7) / 8) > bytes.length) return undefined;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const pos = fillBits + i * 7;
    let v = 0;
    for (let b = 0; b < 7; b++) if ((bytes[(pos + b) >> 3]! >> ((pos + b) & 7)) & 1) v |= 1 << b;
    out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Addresses and timestamps

/** Type of address: 0x91 international ("+digits"), 0x81 unknown (digits), 0xD0 alphanumeric (TON 5). */
export function typeOfAddress(address: string): number {
  if (/^\+\d+$/.test(address)) return 0x91;
  if (/^[\d*#]+$/.test(address)) return 0x81;
  return 0xd0;
}

/**
 * TP-OA / TP-DA / TP-RA field: length in semi-octets, TOA, value. `toa` (default: from the address)
 * may say otherwise, as a network or a spoofer can: digits as an alphanumeric name (TON 5), or a
 * number of type network-specific (3), subscriber (4), abbreviated (6), reserved (7).
 */
export function encodeAddress(address: string, toa: number = typeOfAddress(address)): number[] {
  if ((toa & 0x70) === 0x50) {
    const septets = encodeGsm(address.slice(0, 11));
    const packed = packSeptets(septets);
    return [Math.ceil((septets.length * 7) / 4), toa, ...packed];
  }
  const digits = address.replace(/^\+/, "");
  return [digits.length, toa, ...semiOctets(digits)];
}

/** The SMSC prefix of a PDU: length octet (TOA + digits) then the address; [0] when none. */
export function encodeSmsc(number: string | undefined): number[] {
  if (!number) return [0];
  const digits = number.replace(/^\+/, "");
  const body = [number.startsWith("+") ? 0x91 : 0x81, ...semiOctets(digits)];
  return [body.length, ...body];
}

function decodeAddress(bytes: Uint8Array, offset: number): { address: string; toa: number; next: number } | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const len = bytes[offset]!;
  const toa = bytes[offset + 1]!;
  const octets = Math.ceil(len / 2);
  const next = offset + 2 + octets;
  if (next > bytes.length) return undefined;
  const body = bytes.subarray(offset + 2, next);
  if ((toa & 0x70) === 0x50) {
    const septets = unpackSeptets(body, Math.floor((len * 4) / 7));
    return septets ? { address: decodeGsm(Uint8Array.from(septets)), toa, next } : undefined;
  }
  let digits = "";
  for (let i = 0; i < len; i++) {
    const b = body[i >> 1]!;
    const d = i % 2 === 0 ? b & 0x0f : b >> 4;
    digits += BCD_DIGITS[d] ?? "";
  }
  return { address: (toa & 0x70) === 0x10 ? `+${digits}` : digits, toa, next };
}

/** 7-octet SCTS (local time + zone in quarter hours, sign in bit 3 of the last octet). */
export function encodeScts(utcMs: number, zoneQuarterHours: number): number[] {
  const d = new Date(utcMs + zoneQuarterHours * 15 * 60_000);
  const fields = [d.getUTCFullYear() % 100, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  const zone = Math.abs(zoneQuarterHours);
  return [...fields.map(swapBcd), swapBcd(zone) | (zoneQuarterHours < 0 ? 0x08 : 0)];
}

/** Decode a 7-octet SCTS → UTC ms and zone (quarter hours). */
export function decodeScts(bytes: ArrayLike<number>): { utcMs: number; zoneQuarterHours: number } {
  const f = (i: number): number => unswapBcd(bytes[i]!);
  const last = bytes[6]!;
  const zone = ((last & 0x07) * 10 + (last >> 4)) * (last & 0x08 ? -1 : 1);
  const local = Date.UTC(2000 + f(0), f(1) - 1, f(2), f(3), f(4), f(5));
  return { utcMs: local - zone * 15 * 60_000, zoneQuarterHours: zone };
}

// ---------------------------------------------------------------------------------------------
// User data

/** A concatenation IE: ref (8 or 16 bits), total parts, this part's number (1-based). */
export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
  refBits: 8 | 16;
}

/** Encoded user data: UDL value and the UD octets. */
interface UserData {
  udl: number;
  ud: number[];
}

/** UD for GSM-7 septets (with an optional UDH, fill bits added) or for octets. */
function buildUserData(alphabet: "gsm7" | "octets", payload: ArrayLike<number>, udhIes?: number[]): UserData {
  const udh = udhIes && udhIes.length > 0 ? [udhIes.length, ...udhIes] : [];
  if (alphabet === "octets") return { udl: udh.length + payload.length, ud: [...udh, ...Array.from(payload)] };
  const fill = udh.length ? (7 - ((udh.length * 8) % 7)) % 7 : 0;
  const udhSeptets = Math.ceil((udh.length * 8) / 7);
  return { udl: udhSeptets + payload.length, ud: [...udh, ...packSeptets(payload, fill)] };
}

function concatIe(c: ConcatInfo): number[] {
  return c.refBits === 16 ? [0x08, 4, (c.ref >> 8) & 0xff, c.ref & 0xff, c.total, c.seq] : [0x00, 3, c.ref & 0xff, c.total, c.seq];
}

function utf16Bytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i) >> 8, text.charCodeAt(i) & 0xff);
  return out;
}

/** Split `text` into part texts: GSM-7 (160 single / 153 or 152 per part) or UCS-2 (70 / 67 or 66). */
export function splitText(text: string, alphabet: "gsm7" | "ucs2", refBits: 8 | 16 = 8): string[] {
  const single = alphabet === "gsm7" ? 160 : 70;
  const per = alphabet === "gsm7" ? (refBits === 8 ? 153 : 152) : refBits === 8 ? 67 : 66;
  const cost = (ch: string): number => (alphabet === "gsm7" ? (gsmCodesFor(ch)?.length ?? 1) : ch.length);
  let total = 0;
  for (const ch of text) total += cost(ch);
  if (total <= single) return [text];
  const parts: string[] = [];
  let current = "";
  let used = 0;
  for (const ch of text) {
    const c = cost(ch);
    if (used + c > per) {
      parts.push(current);
      current = "";
      used = 0;
    }
    current += ch;
    used += c;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// SMS-DELIVER

export interface DeliverParams {
  /** Originating address: "+digits" (TON 1), digits (TON 0) or alphanumeric (TON 5, ≤ 11 chars). */
  from: string;
  /** Type-of-address octet of `from` when it is not the usual one for it (see encodeAddress). */
  fromToa?: number;
  /** SCTS: UTC instant and zone (quarter hours). */
  sctsUtcMs: number;
  zoneQuarterHours: number;
  /** DCS octet. Default: 0x00 (GSM-7) or 0x08 (UCS-2) from the text. */
  dcs?: number;
  pid?: number;
  /** More messages to send (TP-MMS = 0). Default false. */
  moreMessages?: boolean;
  /** Status report indication (TP-SRI). */
  statusReportIndication?: boolean;
}

/** One encoded part of an incoming message. */
export interface DeliverPart {
  /** The TPDU (no SMSC prefix). */
  tpdu: Uint8Array;
  /** This part's text. */
  text: string;
  dcs: number;
  concat?: ConcatInfo;
}

/** Raw SMS-DELIVER TPDU from parts: user data as GSM-7 septets or octets, optional UDH IEs. */
export function encodeDeliverTpdu(params: DeliverParams & { dcs: number; alphabet: "gsm7" | "octets"; payload: ArrayLike<number>; udhIes?: number[] }): Uint8Array {
  const { udl, ud } = buildUserData(params.alphabet, params.payload, params.udhIes);
  let fo = 0x00;
  if (!params.moreMessages) fo |= 0x04;
  if (params.statusReportIndication) fo |= 0x20;
  if (params.udhIes && params.udhIes.length > 0) fo |= 0x40;
  return Uint8Array.from([
    fo,
    ...encodeAddress(params.from, params.fromToa),
    params.pid ?? 0,
    params.dcs,
    ...encodeScts(params.sctsUtcMs, params.zoneQuarterHours),
    udl,
    ...ud,
  ]);
}

/**
 * Encode `text` as one SMS-DELIVER or several concatenated ones. GSM-7 when every character fits,
 * otherwise UCS-2 (the whole message). `dcsClass0` makes a flash SMS (DCS 0x10 / 0x18).
 */
export function encodeDeliverParts(
  text: string,
  params: DeliverParams & { ref?: number; refBits?: 8 | 16; forceUcs2?: boolean; dcsClass0?: boolean },
): DeliverPart[] {
  const alphabet = !params.forceUcs2 && isGsmEncodable(text) ? "gsm7" : "ucs2";
  const dcs = params.dcs ?? (alphabet === "gsm7" ? 0x00 : 0x08) | (params.dcsClass0 ? 0x10 : 0);
  const refBits = params.refBits ?? 8;
  const texts = splitText(text, alphabet, refBits);
  return texts.map((partText, i) => {
    const concat: ConcatInfo | undefined = texts.length > 1 ? { ref: params.ref ?? 0, total: texts.length, seq: i + 1, refBits } : undefined;
    const payload = alphabet === "gsm7" ? encodeGsm(partText) : utf16Bytes(partText);
    const tpdu = encodeDeliverTpdu({ ...params, dcs, alphabet: alphabet === "gsm7" ? "gsm7" : "octets", payload, udhIes: concat ? concatIe(concat) : undefined });
    return concat ? { tpdu, text: partText, dcs, concat } : { tpdu, text: partText, dcs };
  });
}

// ---------------------------------------------------------------------------------------------
// Special deliveries (the firmware must ignore them safely)

/** SMS-STATUS-REPORT TPDU: `mr` of the reported message, recipient, times, status (0 = delivered). */
export function encodeStatusReport(params: { mr: number; recipient: string; sctsUtcMs: number; dischargeUtcMs: number; zoneQuarterHours: number; status?: number }): Uint8Array {
  return Uint8Array.from([
    0x06, // MTI 10 (status report), MMS (no more)
    params.mr & 0xff,
    ...encodeAddress(params.recipient),
    ...encodeScts(params.sctsUtcMs, params.zoneQuarterHours),
    ...encodeScts(params.dischargeUtcMs, params.zoneQuarterHours),
    params.status ?? 0,
  ]);
}

/** WAP push carrying an MMS notification (8-bit, UDH application port 2948 ← 9200). */
export function encodeWapPushMms(params: DeliverParams & { url?: string; transactionId?: string }): Uint8Array {
  const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0) & 0x7f);
  const mms = [
    0x8c, 0x82, // X-Mms-Message-Type: m-notification-ind
    0x98, ...ascii(params.transactionId ?? "T1a2b3c"), 0x00, // X-Mms-Transaction-ID
    0x8d, 0x90, // X-Mms-MMS-Version 1.0
    0x89, 0x0e, 0x80, ...ascii("+14085550123/TYPE=PLMN"), 0x00, // From (length is not checked by anyone here)
    0x8a, 0x80, // X-Mms-Message-Class: personal
    0x8e, 0x02, 0x0b, 0x40, // X-Mms-Message-Size
    0x88, 0x05, 0x81, 0x03, 0x03, 0xf4, 0x80, // X-Mms-Expiry: relative 259200 s
    0x83, ...ascii(params.url ?? "http://mms.example.net/m/abc123"), 0x00, // X-Mms-Content-Location
  ];
  const contentType = [0xbe]; // application/vnd.wap.mms-message (well-known 0x3E)
  const wsp = [0x01, 0x06, contentType.length, ...contentType, ...mms]; // TID, Push, headers length
  return encodeDeliverTpdu({ ...params, dcs: 0x04, alphabet: "octets", payload: wsp, udhIes: [0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0] });
}

/** Class-0 (flash) SMS: shown at once, not stored by a phone. */
export function encodeFlashSms(text: string, params: DeliverParams): Uint8Array {
  return encodeDeliverParts(text.slice(0, 70), { ...params, dcsClass0: true })[0]!.tpdu;
}

/** Binary 8-bit SMS (DCS 0x04), optionally to an application port (UDH IE 0x05). */
export function encodeBinarySms(data: ArrayLike<number>, params: DeliverParams & { port?: number }): Uint8Array {
  const udhIes = params.port === undefined ? undefined : [0x05, 0x04, (params.port >> 8) & 0xff, params.port & 0xff, 0x00, 0x00];
  return encodeDeliverTpdu({ ...params, dcs: 0x04, alphabet: "octets", payload: Array.from(data).slice(0, 133), udhIes });
}

// ---------------------------------------------------------------------------------------------
// Decoding (SUBMIT from the firmware; DELIVER / STATUS-REPORT for text-mode display of raw entries)

export interface DecodedUserData {
  /** "gsm7" | "ucs2" | "8bit" from the DCS. */
  alphabet: "gsm7" | "ucs2" | "8bit";
  /** Message class from the DCS, or undefined. */
  messageClass: number | undefined;
  text: string;
  /** UDH information elements, raw. */
  ies: Array<{ id: number; data: number[] }>;
  concat: ConcatInfo | undefined;
  /** Destination application port (IE 4 or 5), or undefined. */
  port: number | undefined;
  /** The user data octets as received (UDH included). */
  udOctets: Uint8Array;
}

export interface DecodedSubmit {
  type: "submit";
  mr: number;
  to: string;
  toa: number;
  pid: number;
  dcs: number;
  statusReportRequest: boolean;
  userData: DecodedUserData;
}

export interface DecodedDeliver {
  type: "deliver";
  from: string;
  toa: number;
  pid: number;
  dcs: number;
  sctsUtcMs: number;
  zoneQuarterHours: number;
  userData: DecodedUserData;
}

export interface DecodedStatusReport {
  type: "status-report";
  mr: number;
  recipient: string;
  sctsUtcMs: number;
  dischargeUtcMs: number;
  zoneQuarterHours: number;
  status: number;
}

function alphabetOf(dcs: number): { alphabet: "gsm7" | "ucs2" | "8bit"; messageClass: number | undefined } {
  const group = dcs >> 4;
  if ((dcs & 0xf0) === 0xf0) return { alphabet: dcs & 0x04 ? "8bit" : "gsm7", messageClass: dcs & 0x03 };
  if (group <= 3) {
    const a = (dcs >> 2) & 0x03;
    return { alphabet: a === 1 ? "8bit" : a === 2 ? "ucs2" : "gsm7", messageClass: dcs & 0x10 ? dcs & 0x03 : undefined };
  }
  if (group === 0x0e) return { alphabet: "ucs2", messageClass: undefined };
  return { alphabet: "gsm7", messageClass: undefined };
}

function decodeUserData(bytes: Uint8Array, offset: number, dcs: number, udhi: boolean): DecodedUserData | undefined {
  if (offset >= bytes.length) return undefined;
  const udl = bytes[offset]!;
  const { alphabet, messageClass } = alphabetOf(dcs);
  const udStart = offset + 1;
  const udOctetCount = alphabet === "gsm7" ? Math.ceil((udl * 7) / 8) : udl;
  if (udStart + udOctetCount > bytes.length) return undefined;
  const ud = bytes.slice(udStart, udStart + udOctetCount);
  const ies: DecodedUserData["ies"] = [];
  let concat: ConcatInfo | undefined;
  let port: number | undefined;
  let udhLength = 0;
  if (udhi) {
    if (ud.length < 1) return undefined;
    udhLength = ud[0]! + 1;
    if (udhLength > ud.length) return undefined;
    let i = 1;
    while (i < udhLength) {
      if (i + 1 >= udhLength) return undefined;
      const id = ud[i]!;
      const len = ud[i + 1]!;
      if (i + 2 + len > udhLength) return undefined;
      const data = Array.from(ud.subarray(i + 2, i + 2 + len));
      ies.push({ id, data });
      if (id === 0x00 && len === 3) concat = { ref: data[0]!, total: data[1]!, seq: data[2]!, refBits: 8 };
      if (id === 0x08 && len === 4) concat = { ref: (data[0]! << 8) | data[1]!, total: data[2]!, seq: data[3]!, refBits: 16 };
      if (id === 0x05 && len === 4) port = (data[0]! << 8) | data[1]!;
      if (id === 0x04 && len === 2) port = data[0]!;
      i += 2 + len;
    }
  }
  let text: string;
  if (alphabet === "gsm7") {
    const udhSeptets = Math.ceil((udhLength * 8) / 7);
    const fill = udhLength ? udhSeptets * 7 - udhLength * 8 : 0;
    const count = udl - udhSeptets;
    if (count < 0) return undefined;
    const septets = unpackSeptets(ud.subarray(udhLength), count, fill);
    if (!septets) return undefined;
    text = decodeGsm(Uint8Array.from(septets));
  } else {
    const body = ud.subarray(udhLength);
    if (alphabet === "ucs2") {
      text = "";
      for (let i = 0; i + 1 < body.length; i += 2) text += String.fromCharCode((body[i]! << 8) | body[i + 1]!);
    } else {
      text = "";
      for (const b of body) text += String.fromCharCode(b);
    }
  }
  return { alphabet, messageClass, text, ies, concat, port, udOctets: ud };
}

/** Decode an SMS-SUBMIT TPDU (no SMSC prefix); undefined when malformed or not a SUBMIT. */
export function decodeSubmit(tpdu: Uint8Array): DecodedSubmit | undefined {
  try {
    if (tpdu.length < 7) return undefined;
    const fo = tpdu[0]!;
    if ((fo & 0x03) !== 0x01) return undefined;
    const mr = tpdu[1]!;
    const da = decodeAddress(tpdu, 2);
    if (!da) return undefined;
    let i = da.next;
    if (i + 2 > tpdu.length) return undefined;
    const pid = tpdu[i++]!;
    const dcs = tpdu[i++]!;
    const vpf = (fo >> 3) & 0x03;
    i += vpf === 0 ? 0 : vpf === 2 ? 1 : 7;
    const userData = decodeUserData(tpdu, i, dcs, (fo & 0x40) !== 0);
    if (!userData) return undefined;
    return { type: "submit", mr, to: da.address, toa: da.toa, pid, dcs, statusReportRequest: (fo & 0x20) !== 0, userData };
  } catch {
    return undefined;
  }
}

/** Decode an SMS-DELIVER or SMS-STATUS-REPORT TPDU (no SMSC prefix); undefined when malformed. */
export function decodeMobileTerminated(tpdu: Uint8Array): DecodedDeliver | DecodedStatusReport | undefined {
  try {
    if (tpdu.length < 2) return undefined;
    const fo = tpdu[0]!;
    const mti = fo & 0x03;
    if (mti === 0x02) {
      const ra = decodeAddress(tpdu, 2);
      if (!ra || ra.next + 15 > tpdu.length) return undefined;
      const scts = decodeScts(tpdu.subarray(ra.next, ra.next + 7));
      const dt = decodeScts(tpdu.subarray(ra.next + 7, ra.next + 14));
      return { type: "status-report", mr: tpdu[1]!, recipient: ra.address, sctsUtcMs: scts.utcMs, dischargeUtcMs: dt.utcMs, zoneQuarterHours: scts.zoneQuarterHours, status: tpdu[ra.next + 14]! };
    }
    if (mti !== 0x00) return undefined;
    const oa = decodeAddress(tpdu, 1);
    if (!oa || oa.next + 9 > tpdu.length) return undefined;
    const pid = tpdu[oa.next]!;
    const dcs = tpdu[oa.next + 1]!;
    const scts = decodeScts(tpdu.subarray(oa.next + 2, oa.next + 9));
    const userData = decodeUserData(tpdu, oa.next + 9, dcs, (fo & 0x40) !== 0);
    if (!userData) return undefined;
    return { type: "deliver", from: oa.address, toa: oa.toa, pid, dcs, sctsUtcMs: scts.utcMs, zoneQuarterHours: scts.zoneQuarterHours, userData };
  } catch {
    return undefined;
  }
}

/**
 * TPDU fields shared by the SMS PDU decoder and encoder (3GPP TS 23.040 §9.1.2, §9.2.3): address
 * fields in semi-octets or packed GSM-7, the service-centre time stamp, the relative validity
 * period. Pure functions over octet arrays; never throw (bad input gives an error value or NaN).
 */
import { gsm7CodesToText, unpackSeptets } from "../../codec/gsm7-pack";

/** How a number was presented by the network (type-of-number of the address field). */
/**
 * Presentation class of an address's type of number (23.040 §9.1.2.5): 1 international, 2
 * national, 5 alphanumeric (a name), 0 unknown; 3 network-specific, 4 subscriber, 6 abbreviated and
 * 7 reserved are "other" (none of them a number a reply could reach).
 */
export type AddressType = "international" | "national" | "alphanumeric" | "unknown" | "other";

/** Longest address in digits (23.040 §9.1.2.5: 10 octets of semi-octets). */
export const ADDRESS_MAX_DIGITS = 20;

/** Longest SMSC field after its length octet (type octet + 10 octets of digits, 24.008 §10.5.4.9 ). */
export const SMSC_MAX_OCTETS = 11;

/** Characters of semi-octet values 0xA-0xE (23.040 §9.1.2.3); 0xF is the filler. */
const SEMI_OCTET_EXTRA = "*#abc";

/** A decoded address field. */
export interface DecodedAddress {
  /** The number ("+" prefix when international) or the alphanumeric name. */
  value: string;
  /** Presentation class from the type of number. */
  type: AddressType;
  /** Raw type of number (0-7). */
  ton: number;
  /** Octet index just after the field. */
  next: number;
}

/** Presentation class of a type-of-number value. */
export function addressTypeOf(ton: number): AddressType {
  switch (ton) {
    case 1:
      return "international";
    case 2:
      return "national";
    case 5:
      return "alphanumeric";
    case 0:
      return "unknown";
    default:
      return "other";
  }
}

/** `count` semi-octet digits from `bytes` at `offset` (low nibble first); fillers (0xF) are skipped. */
function semiOctets(bytes: Uint8Array, offset: number, count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) {
    const b = bytes[offset + (i >> 1)]!;
    const v = i & 1 ? b >> 4 : b & 0x0f;
    if (v <= 9) text += String.fromCharCode(0x30 + v);
    else if (v < 0x0f) text += SEMI_OCTET_EXTRA[v - 10];
  }
  return text;
}

/** The value of an address given its type octet and its digits/packed-name octets. */
function addressValue(bytes: Uint8Array, offset: number, toa: number, semiOctetCount: number, octets: number): DecodedAddress {
  const ton = (toa >> 4) & 0x07;
  let value: string;
  if (ton === 5) {
    // Alphanumeric (23.038 GSM-7, packed): the length counts the semi-octets the septets fill.
    const septets = Math.floor((semiOctetCount * 4) / 7);
    value = gsm7CodesToText(unpackSeptets(bytes, offset, 0, septets, offset + octets));
  } else {
    value = semiOctets(bytes, offset, semiOctetCount);
    if (ton === 1 && value.length > 0) value = "+" + value;
  }
  return { value, type: addressTypeOf(ton), ton, next: offset + octets };
}

/**
 * Decode a TP-OA/TP-DA/TP-RA address field at `offset`: length in useful semi-octets, type of
 * address, then the digits (or packed GSM-7 for an alphanumeric address, TON 5). Returns an error
 * string when the length exceeds 20 semi-octets or the field runs past the data.
 */
export function decodeAddress(bytes: Uint8Array, offset: number, what: string): DecodedAddress | string {
  if (offset + 2 > bytes.length) return `truncated ${what} address`;
  const count = bytes[offset]!;
  if (count > ADDRESS_MAX_DIGITS) return `${what} address length ${count} exceeds ${ADDRESS_MAX_DIGITS}`;
  const octets = (count + 1) >> 1;
  if (offset + 2 + octets > bytes.length) return `truncated ${what} address`;
  return addressValue(bytes, offset + 2, bytes[offset + 1]!, count, octets);
}

/**
 * Decode the SMSC field that starts a PDU line (24.008 address: length in octets including the
 * type octet; 0 = no SMSC). Returns the address with `next` = start of the TPDU, or an error string.
 */
export function decodeSmsc(bytes: Uint8Array): DecodedAddress | string {
  if (bytes.length < 1) return "empty PDU";
  const length = bytes[0]!;
  if (length === 0) return { value: "", type: "unknown", ton: 0, next: 1 };
  if (length > SMSC_MAX_OCTETS) return `SMSC length ${length} exceeds ${SMSC_MAX_OCTETS} octets`;
  if (1 + length > bytes.length) return "truncated SMSC field";
  const octets = length - 1;
  return addressValue(bytes, 2, bytes[1]!, octets * 2, octets);
}

/**
 * Encode a TP-DA address for `number`: "+" and digits → international (type 0x91), digits alone →
 * unknown type, ISDN plan (0x81). Returns the field octets, or an error string when the number is
 * empty, longer than 20 digits or holds anything but digits after an optional leading "+".
 */
export function encodeAddress(number: string): number[] | string {
  let digits = "";
  let international = false;
  let first = true;
  for (const ch of number) {
    if (first && ch === "+") international = true;
    else if (ch >= "0" && ch <= "9") digits += ch;
    else return `invalid character in destination number`;
    first = false;
  }
  if (digits.length === 0) return "empty destination number";
  if (digits.length > ADDRESS_MAX_DIGITS) return `destination number longer than ${ADDRESS_MAX_DIGITS} digits`;
  const field = [digits.length, international ? 0x91 : 0x81];
  for (let i = 0; i < digits.length; i += 2) {
    const low = digits.charCodeAt(i) - 0x30;
    const high = i + 1 < digits.length ? digits.charCodeAt(i + 1) - 0x30 : 0x0f;
    field.push((high << 4) | low);
  }
  return field;
}

/** Two swapped BCD semi-octets as a number 0-99, or -1 when a nibble is not a decimal digit. */
function swappedBcd(b: number): number {
  const tens = b & 0x0f;
  const units = b >> 4;
  return tens > 9 || units > 9 ? -1 : tens * 10 + units;
}

/** Days in `month` (1-12) of `year`. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A decoded 7-octet time stamp (TP-SCTS, TP-DT, absolute TP-VP). */
export interface DecodedTimestamp {
  /** UTC, ms since the Unix epoch; NaN when a field is not BCD or out of range. */
  utcMs: number;
  /** Time zone of the local time, signed quarter hours east of UTC; NaN when invalid. */
  tzQuarterHours: number;
}

/**
 * Decode the 7-octet time stamp at `offset` (23.040 §9.2.3.11): yy MM dd hh mm ss tz, each as
 * swapped BCD semi-octets; tz counts quarter hours with bit 3 of its first semi-octet as the sign.
 * Two-digit years 70-99 are 19yy, 00-69 are 20yy. The caller checks that 7 octets are present.
 */
export function decodeTimestamp(bytes: Uint8Array, offset: number): DecodedTimestamp {
  const invalid: DecodedTimestamp = { utcMs: NaN, tzQuarterHours: NaN };
  const yy = swappedBcd(bytes[offset]!);
  const month = swappedBcd(bytes[offset + 1]!);
  const day = swappedBcd(bytes[offset + 2]!);
  const hour = swappedBcd(bytes[offset + 3]!);
  const minute = swappedBcd(bytes[offset + 4]!);
  const second = swappedBcd(bytes[offset + 5]!);
  const tzOctet = bytes[offset + 6]!;
  const tz = swappedBcd(tzOctet & 0xf7);
  if (yy < 0 || tz < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return invalid;
  const year = yy >= 70 ? 1900 + yy : 2000 + yy;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return invalid;
  const quarters = tzOctet & 0x08 ? -tz : tz;
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - quarters * 15 * 60_000;
  return { utcMs, tzQuarterHours: quarters };
}

/** Minutes of a relative TP-VP octet (23.040 §9.2.3.12.1): 5 min steps to 12 h, 30 min to 24 h, days to 30, then weeks. */
export function relativeValidityMinutes(code: number): number {
  const v = code & 0xff;
  if (v <= 143) return (v + 1) * 5;
  if (v <= 167) return 720 + (v - 143) * 30;
  if (v <= 196) return (v - 166) * 1440;
  return (v - 192) * 10080;
}

/**
 * Smallest relative TP-VP octet whose period is at least `minutes` (so the message is never kept
 * shorter than asked); ≤ 5 min (or NaN) gives 0 (5 minutes), beyond 63 weeks gives 255 (63 weeks).
 */
export function relativeValidityCode(minutes: number): number {
  if (!(minutes > 5)) return 0;
  if (minutes <= 720) return Math.ceil(minutes / 5) - 1;
  if (minutes <= 1440) return 143 + Math.ceil((minutes - 720) / 30);
  if (minutes <= 30 * 1440) return 166 + Math.ceil(minutes / 1440);
  const weeks = Math.max(5, Math.ceil(minutes / 10080));
  return Math.min(255, 192 + weeks);
}

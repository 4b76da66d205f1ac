/**
 * SMS PDU decoder (3GPP TS 23.040 §9, 23.038): the hex line a modem prints after +CMGR / +CMGL /
 * +CMT in PDU mode (AT+CMGF=0), SMSC field included, into a typed result. Handles SMS-DELIVER,
 * SMS-SUBMIT (stored/sent messages) and SMS-STATUS-REPORT; GSM-7 (packed, UDH fill bits, extension
 * table), UCS-2 (surrogate pairs) and 8-bit user data; concatenation (8- and 16-bit references)
 * and application port addressing from the User Data Header.
 *
 * Policy: the header must be complete and sane (else kind "error"); the user data may be shorter
 * than TP-UDL says (seen in the wild, gammu at-sms/41.dump): what is there is decoded and
 * `truncated` is set, so a caller can refuse to act on a cut text. Decoding notes go to `warnings`.
 * Never throws.
 */
import { gsm7CodesToText, unpackSeptets } from "../../codec/gsm7-pack";
import { readUtf16be } from "../../codec/ucs2";
import { decodeDcs, type DcsInfo, type MessageClass, type MessageWaiting, type SmsEncoding } from "./pdu-dcs";
import { decodeAddress, decodeSmsc, decodeTimestamp, relativeValidityMinutes, type AddressType } from "./pdu-fields";
import { parsePduHex, toHex } from "./pdu-hex";

export type { AddressType } from "./pdu-fields";
export type { MessageClass, MessageWaiting, SmsEncoding } from "./pdu-dcs";

/** Concatenation information element (IE 0x00, 8-bit reference; IE 0x08, 16-bit reference). */
export interface ConcatInfo {
  /** Reference shared by all parts of one message (0-255 or 0-65535). */
  reference: number;
  /** Number of parts (1-255). */
  total: number;
  /** This part's number (1-total). */
  sequence: number;
  referenceBits: 8 | 16;
}

/** What an application-port-addressed message is for. */
export type PortApplication = "wap-push" | "mms-notification" | "other";

/** Application port addressing (IE 0x04, 8-bit ports; IE 0x05, 16-bit ports). */
export interface PortInfo {
  destination: number;
  source: number;
  bits: 8 | 16;
  /** WAP push: destination port 2948/2949; an MMS notification when its WSP content type says so. */
  application: PortApplication;
}

/** Fields of a message that carries user data (SMS-DELIVER and SMS-SUBMIT). */
export interface PduMessageFields {
  /** Service centre ("+..." when international), "" when the PDU has none. */
  smsc: string;
  /** TP-PID. */
  pid: number;
  /** TP-DCS octet. */
  dcs: number;
  encoding: SmsEncoding;
  messageClass: MessageClass;
  /** Message waiting indication (DCS groups 1100-1110). */
  messageWaiting?: MessageWaiting;
  /** DCS group 01xx: delete after reading. */
  autoDelete: boolean;
  /** The text (GSM-7 or UCS-2); "" for 8-bit data. Untrusted: never splice into AT commands. */
  text: string;
  /** 8-bit payload after the UDH, upper-case hex; "" for GSM-7 and UCS-2. */
  dataHex: string;
  /** The User Data Header without its length octet, upper-case hex; "" when there is none. */
  udhHex: string;
  concat?: ConcatInfo;
  port?: PortInfo;
  /** Not text for a person: 8-bit data or port-addressed (WAP push, MMS notification, ...). */
  binary: boolean;
  /** TP-RP: a reply may use the sender's service centre. */
  replyPath: boolean;
  /** The user data is shorter than TP-UDL says: `text`/`dataHex` hold only what was present. */
  truncated: boolean;
  /** Octets after the user data TP-UDL covers (ignored; a warning says so); 0 normally. */
  extraOctets: number;
  /** Decoding notes (reserved DCS, ignored IEs, odd UCS-2 length, ...). */
  warnings: readonly string[];
}

/** SMS-DELIVER: a received message. */
export interface PduDeliver extends PduMessageFields {
  kind: "deliver";
  /** Originator ("+..." when international, the name when alphanumeric). */
  sender: string;
  senderType: AddressType;
  /** Raw type of number of the originator (0-7). */
  senderTon: number;
  /** TP-SCTS, ms since the Unix epoch (UTC, its time zone applied); NaN when invalid. */
  sentUtcMs: number;
  /** Time zone of TP-SCTS in signed quarter hours; NaN when invalid. */
  sentTzQuarterHours: number;
  /** TP-MMS clear: the service centre has more messages waiting for this phone. */
  moreMessagesWaiting: boolean;
  /** TP-SRI: the sender asked for a status report. */
  statusReportIndication: boolean;
}

/** SMS-SUBMIT: a message stored for sending or already sent. */
export interface PduSubmit extends PduMessageFields {
  kind: "submit";
  /** TP-MR (0-255). */
  messageReference: number;
  /** Recipient ("+..." when international); "" when the field is empty. */
  destination: string;
  destinationType: AddressType;
  destinationTon: number;
  /** TP-VPF: which validity period the PDU carries. */
  validityFormat: "none" | "relative" | "enhanced" | "absolute";
  /** Relative validity in minutes; NaN for other formats. */
  validityMinutes: number;
  /** Absolute validity, ms since the Unix epoch (UTC); NaN for other formats or when invalid. */
  validityUtcMs: number;
  /** TP-SRR: a status report is requested. */
  statusReportRequested: boolean;
  /** TP-RD: the service centre should reject a duplicate. */
  rejectDuplicates: boolean;
}

/** Outcome class of a TP-ST value (23.040 §9.2.3.15). */
export type DeliveryOutcome = "delivered" | "pending" | "failed";

/** SMS-STATUS-REPORT: what became of a message we sent. */
export interface PduStatusReport {
  kind: "status-report";
  smsc: string;
  /** TP-MR of the message this reports on (0-255). */
  messageReference: number;
  /** TP-RA: the recipient of that message. */
  recipient: string;
  recipientType: AddressType;
  /** TP-SCTS: when the service centre received the message, ms since the Unix epoch (UTC); NaN when invalid. */
  sentUtcMs: number;
  /** TP-DT: when it was delivered or the status last changed, ms since the Unix epoch (UTC); NaN when invalid. */
  dischargeUtcMs: number;
  /** TP-ST (0-255). */
  status: number;
  /** 0x00-0x1F delivered, 0x20-0x3F still trying, else failed. */
  outcome: DeliveryOutcome;
  warnings: readonly string[];
}

/** A well-formed PDU of a kind this decoder does not handle (reserved MTI, compressed data). */
export interface PduUnsupported {
  kind: "unsupported";
  smsc: string;
  /** First TPDU octet (TP-MTI in bits 0-1). */
  firstOctet: number;
  error: string;
}

/** Not a PDU: bad hex, truncated or inconsistent header, 0xFF fill. */
export interface PduError {
  kind: "error";
  error: string;
}

export type PduDecodeResult = PduDeliver | PduSubmit | PduStatusReport | PduUnsupported | PduError;

/** Longest user data (23.040 §9.2.3.16): 160 septets, 140 octets. */
const MAX_UDL_SEPTETS = 160;
const MAX_UDL_OCTETS = 140;

/** WAP push ports (WDP, 23.040 §9.2.3.24.4): connectionless WSP and its secure variant. */
const WAP_PUSH_PORT = 2948;
const WAP_PUSH_SECURE_PORT = 2949;
/** WSP well-known content type "application/vnd.wap.mms-message" (0x3E, short-integer form). */
const WSP_MMS_CONTENT_TYPE = 0x3e;
const MMS_CONTENT_TYPE_TEXT = "application/vnd.wap.mms-message";

/** TP-VPF values 0-3. */
const VALIDITY_FORMATS: readonly PduSubmit["validityFormat"][] = Object.freeze(["none", "enhanced", "relative", "absolute"] as const);

/** Two upper-case hex digits of an octet. */
function hex2(octet: number): string {
  return (octet & 0xff).toString(16).toUpperCase().padStart(2, "0");
}

function error(message: string): PduError {
  return { kind: "error", error: message };
}

/** The user data part of a DELIVER or SUBMIT, decoded. */
interface UserData {
  text: string;
  dataHex: string;
  udhHex: string;
  concat?: ConcatInfo;
  port?: PortInfo;
  truncated: boolean;
  extraOctets: number;
}

/** Content type of a WSP push PDU at bytes[start..end) is the MMS one (WAP-230 §8.2.4). */
function isMmsPush(bytes: Uint8Array, start: number, end: number): boolean {
  // TID, PDU type 0x06 (push), headers length (uintvar), content type.
  let i = start + 1;
  if (i >= end || bytes[i] !== 0x06) return false;
  i++;
  for (let n = 0; n < 5 && i < end; n++) if ((bytes[i++]! & 0x80) === 0) break;
  if (i >= end) return false;
  let c = bytes[i]!;
  if (c > 0 && c < 0x20) {
    // Value-length form: length (0x1F → uintvar follows), then media type.
    if (c === 0x1f) for (i++; i < end && bytes[i]! & 0x80; ) i++;
    i++;
    if (i >= end) return false;
    c = bytes[i]!;
  }
  if (c & 0x80) return (c & 0x7f) === WSP_MMS_CONTENT_TYPE;
  for (let k = 0; k < MMS_CONTENT_TYPE_TEXT.length; k++) {
    if (i + k >= end || bytes[i + k] !== MMS_CONTENT_TYPE_TEXT.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Decode TP-UDL and TP-UD at `offset` for alphabet `dcs`; `udhi` = TP-UDHI. Returns the user data
 * or an error string (UDL missing or out of range, UDH inconsistent).
 */
function decodeUserData(bytes: Uint8Array, offset: number, udhi: boolean, dcs: DcsInfo, warnings: string[]): UserData | string {
  if (offset >= bytes.length) return "truncated before TP-UDL";
  const udl = bytes[offset]!;
  const start = offset + 1;
  const gsm7 = dcs.encoding === "gsm7";
  if (gsm7 && udl > MAX_UDL_SEPTETS) return `TP-UDL ${udl} exceeds ${MAX_UDL_SEPTETS} septets`;
  if (!gsm7 && udl > MAX_UDL_OCTETS) return `TP-UDL ${udl} exceeds ${MAX_UDL_OCTETS} octets`;
  const needed = gsm7 ? Math.ceil((udl * 7) / 8) : udl;
  const available = bytes.length - start;
  const truncated = available < needed;
  const end = start + (truncated ? available : needed);
  if (truncated) warnings.push(`user data shorter than TP-UDL (${available} of ${needed} octets)`);
  // more octets than TP-UDL covers (seen in the wild, gammu at-sms/14.dump and 39.dump): TP-UDL
  // decides what the message is; the rest is reported, not read
  const extraOctets = available > needed ? available - needed : 0;
  if (extraOctets > 0) warnings.push(`user data longer than TP-UDL (${extraOctets} octet(s) after the ${needed} it covers, ignored)`);

  const result: UserData = { text: "", dataHex: "", udhHex: "", truncated, extraOctets };
  let udhOctets = 0;
  if (udhi && udl === 0) {
    warnings.push("TP-UDHI set with empty user data");
  } else if (udhi) {
    if (end <= start) return "user data header missing";
    udhOctets = 1 + bytes[start]!;
    if (start + udhOctets > end) return `user data header (${udhOctets} octets) longer than the user data`;
    // (8-bit and UCS-2 data end at TP-UDL octets, so only septets can hold fewer bits than the header)
    if (gsm7 && udhOctets * 8 > udl * 7) return "user data header longer than TP-UDL";
    const problem = parseUdh(bytes, start + 1, start + udhOctets, result, warnings);
    if (problem) return problem;
    result.udhHex = toHex(bytes, start + 1, start + udhOctets);
  }

  if (gsm7) {
    const headerSeptets = Math.ceil((udhOctets * 8) / 7);
    const codes = unpackSeptets(bytes, start, headerSeptets * 7, udl - headerSeptets, end);
    result.text = gsm7CodesToText(codes);
  } else if (dcs.encoding === "ucs2") {
    let textEnd = end;
    if ((textEnd - start - udhOctets) % 2 !== 0) {
      warnings.push("odd number of UCS-2 octets; the last one is ignored");
      textEnd--;
    }
    result.text = readUtf16be(bytes, start + udhOctets, textEnd);
  } else {
    result.dataHex = toHex(bytes, start + udhOctets, end);
  }
  if (result.port && result.port.application === "wap-push" && dcs.encoding === "8bit" && isMmsPush(bytes, start + udhOctets, end)) {
    result.port.application = "mms-notification";
  }
  return result;
}

/**
 * Walk the information elements of a UDH at bytes[from..to) (23.040 §9.2.3.24), filling `concat`
 * and `port`. An element running past the header is an error; unknown elements are skipped, and
 * concatenation/port elements with a wrong length or impossible values are ignored with a warning
 * (as 23.040 §9.2.3.24.1 tells a receiver to).
 */
function parseUdh(bytes: Uint8Array, from: number, to: number, out: UserData, warnings: string[]): string | undefined {
  let i = from;
  while (i < to) {
    if (i + 2 > to) return "malformed user data header";
    const id = bytes[i]!;
    const length = bytes[i + 1]!;
    const data = i + 2;
    if (data + length > to) return `user data header element 0x${hex2(id)} runs past the header`;
    if (id === 0x00 || id === 0x08) {
      const bits = id === 0x00 ? 8 : 16;
      if (length !== (bits === 8 ? 3 : 4)) {
        warnings.push(`concatenation element 0x${hex2(id)} with length ${length} ignored`);
      } else {
        const reference = bits === 8 ? bytes[data]! : (bytes[data]! << 8) | bytes[data + 1]!;
        const total = bytes[data + length - 2]!;
        const sequence = bytes[data + length - 1]!;
        if (total === 0 || sequence === 0 || sequence > total) {
          warnings.push(`concatenation element with part ${sequence} of ${total} ignored`);
        } else {
          out.concat = { reference, total, sequence, referenceBits: bits };
        }
      }
    } else if (id === 0x04 || id === 0x05) {
      const bits = id === 0x04 ? 8 : 16;
      if (length !== (bits === 8 ? 2 : 4)) {
        warnings.push(`port element 0x${hex2(id)} with length ${length} ignored`);
      } else {
        const destination = bits === 8 ? bytes[data]! : (bytes[data]! << 8) | bytes[data + 1]!;
        const source = bits === 8 ? bytes[data + 1]! : (bytes[data + 2]! << 8) | bytes[data + 3]!;
        const wap = destination === WAP_PUSH_PORT || destination === WAP_PUSH_SECURE_PORT;
        out.port = { destination, source, bits, application: wap ? "wap-push" : "other" };
      }
    }
    i = data + length;
  }
  return undefined;
}

/** DELIVER/SUBMIT fields common to both, from the DCS and user data. */
function messageFields(smsc: string, fo: number, pid: number, dcsOctet: number, dcs: DcsInfo, ud: UserData, warnings: string[]): PduMessageFields {
  const fields: PduMessageFields = {
    smsc,
    pid,
    dcs: dcsOctet,
    encoding: dcs.encoding,
    messageClass: dcs.messageClass,
    autoDelete: dcs.autoDelete,
    text: ud.text,
    dataHex: ud.dataHex,
    udhHex: ud.udhHex,
    binary: dcs.encoding === "8bit" || ud.port !== undefined,
    replyPath: (fo & 0x80) !== 0,
    truncated: ud.truncated,
    extraOctets: ud.extraOctets,
    warnings,
  };
  if (dcs.messageWaiting) fields.messageWaiting = dcs.messageWaiting;
  if (ud.concat) fields.concat = ud.concat;
  if (ud.port) fields.port = ud.port;
  return fields;
}

/** Check DCS support; returns the unsupported result for compressed data, and notes reserved codings. */
function checkDcs(smsc: string, fo: number, dcsOctet: number, dcs: DcsInfo, warnings: string[]): PduUnsupported | undefined {
  const hex = hex2(dcsOctet);
  if (dcs.compressed) return { kind: "unsupported", smsc, firstOctet: fo, error: `compressed user data (DCS 0x${hex}) is not supported` };
  if (dcs.reserved) warnings.push(`reserved DCS 0x${hex} decoded as GSM-7 (23.038 §4)`);
  return undefined;
}

function decodeDeliver(bytes: Uint8Array, at: number, smsc: string): PduDecodeResult {
  const fo = bytes[at]!;
  const oa = decodeAddress(bytes, at + 1, "originator");
  if (typeof oa === "string") return error(oa);
  let i = oa.next;
  if (i + 9 > bytes.length) return error("truncated SMS-DELIVER header");
  const pid = bytes[i]!;
  const dcsOctet = bytes[i + 1]!;
  const scts = decodeTimestamp(bytes, i + 2);
  i += 9;
  const warnings: string[] = [];
  const dcs = decodeDcs(dcsOctet);
  const unsupported = checkDcs(smsc, fo, dcsOctet, dcs, warnings);
  if (unsupported) return unsupported;
  if (Number.isNaN(scts.utcMs)) warnings.push("invalid TP-SCTS");
  const ud = decodeUserData(bytes, i, (fo & 0x40) !== 0, dcs, warnings);
  if (typeof ud === "string") return error(ud);
  return {
    kind: "deliver",
    ...messageFields(smsc, fo, pid, dcsOctet, dcs, ud, warnings),
    sender: oa.value,
    senderType: oa.type,
    senderTon: oa.ton,
    sentUtcMs: scts.utcMs,
    sentTzQuarterHours: scts.tzQuarterHours,
    moreMessagesWaiting: (fo & 0x04) === 0,
    statusReportIndication: (fo & 0x20) !== 0,
  };
}

function decodeSubmit(bytes: Uint8Array, at: number, smsc: string): PduDecodeResult {
  const fo = bytes[at]!;
  if (at + 2 > bytes.length) return error("truncated SMS-SUBMIT header");
  const messageReference = bytes[at + 1]!;
  const da = decodeAddress(bytes, at + 2, "destination");
  if (typeof da === "string") return error(da);
  let i = da.next;
  const vpf = (fo >> 3) & 0x03;
  const vpOctets = vpf === 0 ? 0 : vpf === 2 ? 1 : 7;
  if (i + 2 + vpOctets > bytes.length) return error("truncated SMS-SUBMIT header");
  const pid = bytes[i]!;
  const dcsOctet = bytes[i + 1]!;
  i += 2;
  let validityMinutes = NaN;
  let validityUtcMs = NaN;
  if (vpf === 2) validityMinutes = relativeValidityMinutes(bytes[i]!);
  if (vpf === 3) validityUtcMs = decodeTimestamp(bytes, i).utcMs;
  i += vpOctets;
  const warnings: string[] = [];
  const dcs = decodeDcs(dcsOctet);
  const unsupported = checkDcs(smsc, fo, dcsOctet, dcs, warnings);
  if (unsupported) return unsupported;
  const ud = decodeUserData(bytes, i, (fo & 0x40) !== 0, dcs, warnings);
  if (typeof ud === "string") return error(ud);
  return {
    kind: "submit",
    ...messageFields(smsc, fo, pid, dcsOctet, dcs, ud, warnings),
    messageReference,
    destination: da.value,
    destinationType: da.type,
    destinationTon: da.ton,
    validityFormat: VALIDITY_FORMATS[vpf]!,
    validityMinutes,
    validityUtcMs,
    statusReportRequested: (fo & 0x20) !== 0,
    rejectDuplicates: (fo & 0x04) !== 0,
  };
}

function decodeStatusReport(bytes: Uint8Array, at: number, smsc: string): PduDecodeResult {
  if (at + 2 > bytes.length) return error("truncated SMS-STATUS-REPORT header");
  const messageReference = bytes[at + 1]!;
  const ra = decodeAddress(bytes, at + 2, "recipient");
  if (typeof ra === "string") return error(ra);
  const i = ra.next;
  if (i + 15 > bytes.length) return error("truncated SMS-STATUS-REPORT header");
  const warnings: string[] = [];
  const scts = decodeTimestamp(bytes, i);
  const dt = decodeTimestamp(bytes, i + 7);
  if (Number.isNaN(scts.utcMs)) warnings.push("invalid TP-SCTS");
  if (Number.isNaN(dt.utcMs)) warnings.push("invalid TP-DT");
  const status = bytes[i + 14]!;
  // Optional TP-PI, PID, DCS, UD follow; some modems pad stored reports with 0xFF (gammu
  // at-sms/32.dump). Nothing there matters to a delivery report, so it is not decoded.
  if (i + 15 < bytes.length && bytes[i + 15] === 0xff) warnings.push("0xFF fill after TP-ST ignored");
  return {
    kind: "status-report",
    smsc,
    messageReference,
    recipient: ra.value,
    recipientType: ra.type,
    sentUtcMs: scts.utcMs,
    dischargeUtcMs: dt.utcMs,
    status,
    outcome: status < 0x20 ? "delivered" : status < 0x40 ? "pending" : "failed",
    warnings,
  };
}

/**
 * Decode a PDU-mode SMS line (hex, SMSC field first). Never throws: bad input gives
 * `{ kind: "error", error }`, a reserved message type or compressed data `{ kind: "unsupported" }`.
 * TP-MTI picks the type: 0 SMS-DELIVER, 1 SMS-SUBMIT, 2 SMS-STATUS-REPORT (the MS→SC meanings of
 * these codes, DELIVER-REPORT and COMMAND, are never stored by a modem), 3 reserved.
 */
export function decodePdu(hex: string): PduDecodeResult {
  try {
    if (typeof hex !== "string") return error("not a string");
    const parsed = parsePduHex(hex);
    if (!parsed.ok) return error(parsed.error);
    const bytes = parsed.bytes;
    const smsc = decodeSmsc(bytes);
    if (typeof smsc === "string") return error(smsc);
    const at = smsc.next;
    if (at >= bytes.length) return error("no TPDU after the SMSC field");
    const fo = bytes[at]!;
    if (fo === 0xff) return error("0xFF fill where the TPDU should start (empty or erased record)");
    switch (fo & 0x03) {
      case 0:
        return decodeDeliver(bytes, at, smsc.value);
      case 1:
        return decodeSubmit(bytes, at, smsc.value);
      case 2:
        return decodeStatusReport(bytes, at, smsc.value);
      default:
        return { kind: "unsupported", smsc: smsc.value, firstOctet: fo, error: "reserved message type (TP-MTI 3)" };
    }
  } catch (e) {
    // Defensive: a bug here must not take the inbox down. Reported as an error result.
    return error("decoder fault: " + String(e));
  }
}

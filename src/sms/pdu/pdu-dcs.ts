/**
 * TP-Data-Coding-Scheme (3GPP TS 23.038 §4): alphabet, message class, compression, message
 * waiting indication. Pure; never throws.
 */

/** Alphabet of the user data. */
export type SmsEncoding = "gsm7" | "ucs2" | "8bit";

/** Message class 0 (flash) … 3 (TE-specific), or undefined when the DCS gives none. */
export type MessageClass = 0 | 1 | 2 | 3 | undefined;

/** Message-waiting indication (DCS groups 1100/1101/1110). */
export interface MessageWaiting {
  /** True: set the indication; false: clear it. */
  active: boolean;
  kind: "voicemail" | "fax" | "email" | "other";
  /** False for group 1100 ("discard message": the text need not be kept). */
  store: boolean;
}

/** What a DCS octet says. */
export interface DcsInfo {
  encoding: SmsEncoding;
  messageClass: MessageClass;
  /** User data compressed (23.042). Not supported: such messages are reported, not decoded. */
  compressed: boolean;
  /** Group 01xx: the message is deleted after reading. */
  autoDelete: boolean;
  messageWaiting?: MessageWaiting;
  /** A reserved coding group or alphabet, decoded as GSM-7 as 23.038 §4 tells a receiver to. */
  reserved: boolean;
}

const MWI_KINDS: readonly MessageWaiting["kind"][] = Object.freeze(["voicemail", "fax", "email", "other"] as const);

/** Interpret a DCS octet (0-255). */
export function decodeDcs(dcs: number): DcsInfo {
  const d = dcs & 0xff;
  const group = d >> 4;
  if (group <= 0x7) {
    // 00xx general data coding, 01xx the same with automatic deletion.
    const alphabet = (d >> 2) & 0x03;
    return {
      encoding: alphabet === 1 ? "8bit" : alphabet === 2 ? "ucs2" : "gsm7",
      messageClass: d & 0x10 ? ((d & 0x03) as MessageClass) : undefined,
      compressed: (d & 0x20) !== 0,
      autoDelete: group >= 0x4,
      reserved: alphabet === 3,
    };
  }
  if (group >= 0xc && group <= 0xe) {
    return {
      encoding: group === 0xe ? "ucs2" : "gsm7",
      messageClass: undefined,
      compressed: false,
      autoDelete: false,
      messageWaiting: { active: (d & 0x08) !== 0, kind: MWI_KINDS[d & 0x03]!, store: group !== 0xc },
      reserved: false,
    };
  }
  if (group === 0xf) {
    return {
      encoding: d & 0x04 ? "8bit" : "gsm7",
      messageClass: (d & 0x03) as MessageClass,
      compressed: false,
      autoDelete: false,
      reserved: false,
    };
  }
  // 1000-1011: reserved coding groups.
  return { encoding: "gsm7", messageClass: undefined, compressed: false, autoDelete: false, reserved: true };
}

/**
 * Test helper (not a test): a deliberately tiny, independent PDU decoder and SMS-SUBMIT encoder,
 * so the virtual modem's PDUs are checked by code that shares nothing with host-sim/modem/pdu.ts.
 * GSM-7 text is handled only for characters whose GSM code equals their ASCII code
 * (letters, digits, space and ! " # % & ' ( ) * + , - . / : ; < = > ?) plus '@' (0x00).
 */

const hexToBytes = (hex: string): number[] => (hex.match(/../g) ?? []).map((h) => parseInt(h, 16));
const bytesToHex = (bytes: number[]): string => bytes.map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join("");

function septetsFrom(bytes: number[], bitOffset: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0;
    for (let k = 0; k < 7; k++) {
      const bit = bitOffset + i * 7 + k;
      if ((bytes[bit >> 3]! >> (bit & 7)) & 1) v |= 1 << k;
    }
    out.push(v);
  }
  return out;
}

function septetsToText(septets: number[]): string {
  return septets.map((s) => (s === 0 ? "@" : String.fromCharCode(s))).join("");
}

function bcd(bytes: number[], digits: number): string {
  let s = "";
  for (let i = 0; i < digits; i++) s += ((bytes[i >> 1]! >> (i % 2 ? 4 : 0)) & 0x0f).toString(16);
  return s;
}

export interface OracleDeliver {
  smsc: string;
  fo: number;
  from: string;
  toa: number;
  pid: number;
  dcs: number;
  /** [yy, MM, dd, hh, mm, ss, zone quarter hours (signed)] */
  scts: number[];
  udl: number;
  udh: number[];
  /** Raw septets (GSM-7) after the UDH. */
  septets: number[];
  text: string;
  /** Octets after the UDH (8-bit / UCS-2). */
  octets: number[];
}

/** Decode "SMSC + SMS-DELIVER" hex as shown by +CMGR / +CMGL in PDU mode. */
export function oracleDecodeDeliver(hex: string): OracleDeliver {
  const b = hexToBytes(hex);
  let i = 0;
  const smscLen = b[i++]!;
  const smsc = smscLen ? "+" + bcd(b.slice(i + 1, i + smscLen), (smscLen - 1) * 2).replace(/f$/, "") : "";
  i += smscLen;
  const fo = b[i++]!;
  const oaDigits = b[i++]!;
  const toa = b[i++]!;
  const oaBytes = b.slice(i, i + Math.ceil(oaDigits / 2));
  i += Math.ceil(oaDigits / 2);
  const from = toa === 0xd0 ? septetsToText(septetsFrom(oaBytes, 0, Math.floor((oaDigits * 4) / 7))) : (toa === 0x91 ? "+" : "") + bcd(oaBytes, oaDigits);
  const pid = b[i++]!;
  const dcs = b[i++]!;
  const sw = (x: number): number => (x & 0x0f) * 10 + (x >> 4);
  const sctsRaw = b.slice(i, i + 7);
  i += 7;
  const tzByte = sctsRaw[6]!;
  const scts = [...sctsRaw.slice(0, 6).map(sw), ((tzByte & 0x07) * 10 + (tzByte >> 4)) * (tzByte & 0x08 ? -1 : 1)];
  const udl = b[i++]!;
  const ud = b.slice(i);
  const udh = fo & 0x40 ? ud.slice(1, 1 + ud[0]!) : [];
  const udhOctets = fo & 0x40 ? ud[0]! + 1 : 0;
  const gsm = (dcs & 0x0c) === 0;
  let septets: number[] = [];
  let octets: number[] = [];
  let text: string;
  if (gsm) {
    const skip = Math.ceil((udhOctets * 8) / 7);
    septets = septetsFrom(ud, skip * 7, udl - skip);
    text = septetsToText(septets);
  } else {
    octets = ud.slice(udhOctets, udl);
    text = "";
    if ((dcs & 0x0c) === 0x08) for (let k = 0; k + 1 < octets.length; k += 2) text += String.fromCharCode((octets[k]! << 8) | octets[k + 1]!);
  }
  return { smsc, fo, from, toa, pid, dcs, scts, udl, udh, septets, text, octets };
}

/** An SMS-SUBMIT, "00" SMSC prefix, GSM-7 (ASCII subset) or UCS-2, optional concat UDH. Returns { hex, tpduLength }. */
export function oracleEncodeSubmit(to: string, text: string, options: { ucs2?: boolean; concat?: { ref: number; total: number; seq: number; bits16?: boolean } } = {}): { hex: string; tpduLength: number } {
  const digits = to.replace(/^\+/, "");
  const da: number[] = [digits.length, to.startsWith("+") ? 0x91 : 0x81];
  for (let k = 0; k < digits.length; k += 2) da.push((parseInt(digits[k + 1] ?? "f", 16) << 4) | parseInt(digits[k]!, 16));
  const udh: number[] = [];
  if (options.concat) {
    const c = options.concat;
    const ie = c.bits16 ? [0x08, 4, c.ref >> 8, c.ref & 0xff, c.total, c.seq] : [0x00, 3, c.ref, c.total, c.seq];
    udh.push(ie.length, ...ie);
  }
  let udl: number;
  let ud: number[];
  if (options.ucs2) {
    const body: number[] = [];
    for (let k = 0; k < text.length; k++) body.push(text.charCodeAt(k) >> 8, text.charCodeAt(k) & 0xff);
    udl = udh.length + body.length;
    ud = [...udh, ...body];
  } else {
    const skip = Math.ceil((udh.length * 8) / 7);
    const septets = [...text].map((ch) => (ch === "@" ? 0 : ch.charCodeAt(0)));
    const totalBits = (skip + septets.length) * 7;
    ud = new Array<number>(Math.ceil(totalBits / 8)).fill(0);
    udh.forEach((v, k) => (ud[k] = v));
    septets.forEach((v, n) => {
      for (let k = 0; k < 7; k++) {
        const bit = (skip + n) * 7 + k;
        if ((v >> k) & 1) ud[bit >> 3]! |= 1 << (bit & 7);
      }
    });
    udl = skip + septets.length;
  }
  const fo = 0x11 | (udh.length ? 0x40 : 0); // SUBMIT, VPF relative
  const tpdu = [fo, 0x00, ...da, 0x00, options.ucs2 ? 0x08 : 0x00, 0xa7, udl, ...ud];
  return { hex: "00" + bytesToHex(tpdu), tpduLength: tpdu.length };
}

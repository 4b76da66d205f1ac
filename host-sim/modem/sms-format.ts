/**
 * How stored messages are shown to the TE: the +CMGR / +CMGL / +CMT headers and data in text mode
 * (27.005 §3.4.3 / §4.1) and in PDU mode (§3.4.2: "<stat>,[<alpha>],<length>" then SMSC + TPDU hex).
 */
import { formatAtTimestamp } from "./at-syntax.ts";
import { decodeMobileTerminated, encodeSmsc, fromHex, toHex, typeOfAddress } from "./pdu.ts";
import { encodeUcs2Hex, gsmSeptetCount } from "./gsm-charset.ts";
import { STATUS_NUMBER, type StoredSms } from "./sms-storage.ts";

export interface FormatContext {
  csdh: number;
  smscNumber: string;
  /** Unicode → TE character set (latin1 string), per AT+CSCS. */
  encodeString(text: string): string;
}

/** SMSC + TPDU hex of an entry (what PDU mode shows). */
export function pduOf(sms: StoredSms, smscNumber: string): string {
  return toHex(encodeSmsc(smscNumber)) + sms.tpdu;
}

/** PDU-mode header fields after "+CMGR: " / "+CMGL: <index>,": "<stat>,,<length>". */
export function pduHeader(sms: StoredSms, status = sms.status): string {
  return `${STATUS_NUMBER[status]},,${sms.tpdu.length / 2}`;
}

/**
 * Text-mode header fields after "+CMGR: " (list = false) or "+CMGL: <index>," (list = true), and the
 * data line (undefined for status reports, which have none). `status` is the one to show.
 */
export function textEntry(sms: StoredSms, ctx: FormatContext, list: boolean, status = sms.status): { header: string; data: string | undefined } {
  const decoded = decodeMobileTerminated(fromHex(sms.tpdu) ?? new Uint8Array());
  if (decoded?.type === "status-report") {
    const scts = formatAtTimestamp(decoded.sctsUtcMs, decoded.zoneQuarterHours);
    const dt = formatAtTimestamp(decoded.dischargeUtcMs, decoded.zoneQuarterHours);
    return { header: `"${status}",6,${decoded.mr},"${ctx.encodeString(decoded.recipient)}",${typeOfAddress(decoded.recipient)},"${scts}","${dt}",${decoded.status}`, data: undefined };
  }
  if (sms.kind === "submit" || !decoded) {
    // Stored for sending (CMGW): "<stat>","<da>","" — data in the TE set (UCS-2 as hex).
    const data = sms.dcs === 8 ? encodeUcs2Hex(sms.text) : ctx.encodeString(sms.text);
    let header = `"${status}","${ctx.encodeString(sms.from)}",""`;
    const length = sms.dcs === 8 ? sms.text.length * 2 : gsmSeptetCount(sms.text);
    if (ctx.csdh === 1) header += list ? `,${typeOfAddress(sms.from)},${length}` : `,${typeOfAddress(sms.from)},17,0,${sms.dcs},167,"${ctx.encodeString(ctx.smscNumber)}",145,${length}`;
    return { header, data };
  }
  const ud = decoded.userData;
  const fo = fromHex(sms.tpdu)![0]!;
  const hexData = ud.alphabet !== "gsm7" || (fo & 0x40) !== 0;
  // 27.005: 8-bit, UCS-2 or a UDH → every user-data octet as two hex characters (UDH included).
  const data = hexData ? toHex(ud.udOctets) : ctx.encodeString(ud.text);
  const length = hexData ? ud.udOctets.length : gsmSeptetCount(ud.text);
  const scts = formatAtTimestamp(decoded.sctsUtcMs, decoded.zoneQuarterHours);
  let header = `"${status}","${ctx.encodeString(decoded.from)}","","${scts}"`;
  if (ctx.csdh === 1) {
    header += list ? `,${decoded.toa},${length}` : `,${decoded.toa},${fo},${decoded.pid},${decoded.dcs},"${ctx.encodeString(ctx.smscNumber)}",145,${length}`;
  }
  return { header, data };
}

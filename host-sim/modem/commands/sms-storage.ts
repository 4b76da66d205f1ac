/**
 * SMS storage commands: AT+CPMS (choose the read / write / receive memories), AT+CMGR (read one),
 * AT+CMGL (list by status) and AT+CMGD (delete one, or by flag), in PDU and text mode. The
 * storages themselves are ../sms-storage.ts; the presentation of an entry is ../sms-format.ts.
 */
import { type Arg, type ErrorReply, cms, intArg } from "../at-syntax.ts";
import type { ModemSettings } from "../modem-types.ts";
import { pduHeader, pduOf, textEntry } from "../sms-format.ts";
import { STATUS_BY_NUMBER, STATUS_NUMBER, type SmsStatus } from "../sms-storage.ts";
import type { Form, ModemContext, SubResult } from "./context.ts";
import { decodeString, formatContext } from "./sms-settings.ts";

export type SmsStorageContext = Pick<ModemContext, "settings" | "storage" | "network" | "number">;

/** Answer an SMS storage command, or undefined when `name` is not one (the dispatcher goes on). */
export function smsStorageCommand(m: SmsStorageContext, name: string, form: Form, args: Arg[]): SubResult | undefined {
  switch (name) {
    case "CPMS":
      return cmdCpms(m, form, args);
    case "CMGR":
      return cmdCmgr(m, form, args);
    case "CMGD":
      return cmdCmgd(m, form, args);
    case "CMGL":
      return cmdCmgl(m, form, args);
    default:
      return undefined;
  }
}

function cmdCpms(m: SmsStorageContext, form: Form, args: Arg[]): SubResult {
  const st = m.storage;
  const [m1, m2, m3] = m.settings.cpms;
  const ut = (mem: string): string => `${st.used(mem)},${st.size(mem)}`;
  if (form === "read") return { blocks: [`+CPMS: "${m1}",${ut(m1)},"${m2}",${ut(m2)},"${m3}",${ut(m3)}`] };
  const list = `(${st.names().map((n) => `"${n}"`).join(",")})`;
  if (form === "test") return { blocks: [`+CPMS: ${list},${list},${list}`] };
  if (form !== "set" || args.length > 3 || args.length === 0) return { error: cms(302) };
  const next = [...m.settings.cpms] as ModemSettings["cpms"];
  for (let i = 0; i < args.length; i++) {
    const name = (decodeString(m.settings, args[i]!.value) ?? args[i]!.value).toUpperCase();
    if (!st.has(name)) return { error: cms(303) };
    next[i] = name;
  }
  m.settings.cpms = next;
  return { blocks: [`+CPMS: ${ut(next[0])},${ut(next[1])},${ut(next[2])}`] };
}

/** Parse an index argument; an error when it is missing or outside the read storage. */
function indexArg(m: SmsStorageContext, arg: Arg | undefined): number | ErrorReply {
  const i = intArg(arg);
  if (i === undefined) return cms(302);
  if (i < 1 || i > m.storage.size(m.settings.cpms[0])) return cms(321);
  return i;
}

function cmdCmgr(m: SmsStorageContext, form: Form, args: Arg[]): SubResult {
  if (form === "test") return {};
  if (form !== "set") return { error: cms(302) };
  const index = indexArg(m, args[0]);
  if (typeof index !== "number") return { error: index };
  const mode = args[1] === undefined ? 0 : intArg(args[1]);
  if (mode === undefined || mode > 1) return { error: cms(302) };
  const sms = m.storage.get(m.settings.cpms[0], index);
  if (!sms) return {}; // empty slot: bare OK (SIMCom)
  const status = sms.status;
  if (mode === 0 && status === "REC UNREAD") sms.status = "REC READ";
  if (m.settings.cmgf === 0) return { blocks: [`+CMGR: ${pduHeader(sms, status)}\r\n${pduOf(sms, m.network.smscNumber)}`] };
  const shown = textEntry(sms, formatContext(m), false, status);
  return { blocks: [shown.data === undefined ? `+CMGR: ${shown.header}` : `+CMGR: ${shown.header}\r\n${shown.data}`] };
}

function cmdCmgd(m: SmsStorageContext, form: Form, args: Arg[]): SubResult {
  const memory = m.settings.cpms[0];
  if (form === "test") return { blocks: [`+CMGD: (1-${m.storage.size(memory)}),(0-4)`] };
  if (form !== "set") return { error: cms(302) };
  const flag = args[1] === undefined || args[1].value === "" ? 0 : intArg(args[1]);
  if (flag === undefined || flag > 4) return { error: cms(302) };
  const before = m.storage.used(memory);
  if (flag === 0) {
    const index = indexArg(m, args[0]);
    if (typeof index !== "number") return { error: index };
    m.storage.delete(memory, index);
  } else {
    // 1: all read; 2: read + sent; 3: read + sent + unsent; 4: all.
    const gone: Record<number, SmsStatus[]> = { 1: ["REC READ"], 2: ["REC READ", "STO SENT"], 3: ["REC READ", "STO SENT", "STO UNSENT"] };
    for (const s of m.storage.list(memory)) if (flag === 4 || gone[flag]!.includes(s.status)) m.storage.delete(memory, s.index);
  }
  if (m.storage.used(memory) < before) m.network.subscriberReady(m.number);
  return {};
}

function cmdCmgl(m: SmsStorageContext, form: Form, args: Arg[]): SubResult {
  const pdu = m.settings.cmgf === 0;
  if (form === "test") return { blocks: [pdu ? "+CMGL: (0-4)" : '+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")'] };
  let wanted: SmsStatus | "ALL" = "REC UNREAD";
  if (form === "set") {
    const arg = args[0];
    if (!arg || args.length > 2) return { error: cms(302) };
    if (pdu) {
      const n = intArg(arg);
      if (n === undefined || n > 4) return { error: cms(302) };
      wanted = n === 4 ? "ALL" : STATUS_BY_NUMBER[n]!;
    } else {
      if (!arg.quoted) return { error: cms(302) };
      const v = arg.value.toUpperCase();
      if (v !== "ALL" && !(v in STATUS_NUMBER)) return { error: cms(302) };
      wanted = v as SmsStatus | "ALL";
    }
  } else if (form !== "exec") return { error: cms(302) };
  const mode = args[1] === undefined ? 0 : intArg(args[1]);
  if (mode === undefined || mode > 1) return { error: cms(302) };
  const entries: string[] = [];
  for (const sms of m.storage.list(m.settings.cpms[0])) {
    if (wanted !== "ALL" && sms.status !== wanted) continue;
    const status = sms.status;
    if (pdu) entries.push(`+CMGL: ${sms.index},${pduHeader(sms, status)}\r\n${pduOf(sms, m.network.smscNumber)}`);
    else {
      const shown = textEntry(sms, formatContext(m), true, status);
      entries.push(shown.data === undefined ? `+CMGL: ${sms.index},${shown.header}` : `+CMGL: ${sms.index},${shown.header}\r\n${shown.data}`);
    }
    if (mode === 0 && status === "REC UNREAD") sms.status = "REC READ";
  }
  return entries.length ? { blocks: [entries.join("\r\n")] } : {};
}

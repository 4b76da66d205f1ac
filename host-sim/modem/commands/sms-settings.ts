/**
 * SMS settings: AT+CMGF (PDU / text), AT+CSCS (character set), AT+CSDH, AT+CNMI (new-message
 * indications), AT+CSMP (text-mode parameters), AT+CSCA (service centre), AT+CSMS; the gate every
 * SMS command passes first (SIM and SMS-ready errors), and the TE character-set conversions the
 * other SMS families use (CSCS).
 */
import { type Arg, type ErrorReply, PLAIN_ERROR, bytesOf, cms, intArg, latin1 } from "../at-syntax.ts";
import { decodeGsm, decodeIra, decodeUcs2Hex, encodeGsm, encodeIra, encodeUcs2Hex } from "../gsm-charset.ts";
import type { ModemSettings } from "../modem-types.ts";
import type { Form, ModemContext, SubResult } from "./context.ts";

/** Commands that need the SMS subsystem (an error before the SMS-ready URC). */
export const SMS_COMMANDS = new Set(["CMGF", "CSCS", "CSDH", "CNMI", "CPMS", "CMGR", "CMGD", "CMGL", "CMGS", "CMGW", "CSMP", "CSCA", "CSMS"]);

export type SmsSettingsContext = Pick<ModemContext, "settings" | "network">;

/** The error an SMS command gets now, or undefined when SMS works. */
export function smsGate(m: Pick<ModemContext, "sim" | "smsReady" | "profile">): ErrorReply | undefined {
  if (m.sim.read && !m.sim.inserted) return cms(310);
  if (m.sim.read && m.sim.lock === "pin") return cms(311);
  if (m.sim.read && m.sim.lock !== "none") return cms(316);
  if (!m.smsReady()) return m.profile.errors.smsNotReady;
  return undefined;
}

/** Answer an SMS settings command, or undefined when `name` is not one (the dispatcher goes on). */
export function smsSettingsCommand(m: SmsSettingsContext, name: string, form: Form, args: Arg[]): SubResult | undefined {
  switch (name) {
    case "CMGF":
      return cmdFlag(form, args, "CMGF", 1, () => m.settings.cmgf, (v) => (m.settings.cmgf = v as 0 | 1));
    case "CSDH":
      return cmdFlag(form, args, "CSDH", 1, () => m.settings.csdh, (v) => (m.settings.csdh = v as 0 | 1));
    case "CSCS":
      return cmdCscs(m, form, args);
    case "CNMI":
      return cmdCnmi(m, form, args);
    case "CSMP":
      return cmdCsmp(m, form, args);
    case "CSCA":
      if (form === "read") return { blocks: [`+CSCA: "${encodeString(m.settings, m.network.smscNumber)}",145`] };
      return form === "exec" ? { error: PLAIN_ERROR } : {};
    case "CSMS":
      if (form === "read") return { blocks: ["+CSMS: 0,1,1,1"] };
      if (form === "test") return { blocks: ["+CSMS: (0,1)"] };
      if (form === "set" && intArg(args[0]) === 0) return { blocks: ["+CSMS: 1,1,1"] };
      return { error: cms(303) };
    default:
      return undefined;
  }
}

function cmdFlag(form: Form, args: Arg[], name: string, max: number, get: () => number, set: (v: number) => void): SubResult {
  if (form === "read") return { blocks: [`+${name}: ${get()}`] };
  if (form === "test") return { blocks: [`+${name}: (0-${max})`] };
  const v = form === "exec" ? 0 : intArg(args[0]);
  if (v === undefined || v > max || args.length > 1) return { error: PLAIN_ERROR };
  set(v);
  return {};
}

function cmdCscs(m: SmsSettingsContext, form: Form, args: Arg[]): SubResult {
  if (form === "read") return { blocks: [`+CSCS: "${m.settings.cscs}"`] };
  if (form === "test") return { blocks: ['+CSCS: ("IRA","GSM","UCS2")'] };
  if (form !== "set") return { error: PLAIN_ERROR };
  const v = args[0]?.value.toUpperCase();
  if (v !== "GSM" && v !== "IRA" && v !== "UCS2") return { error: PLAIN_ERROR };
  m.settings.cscs = v;
  return {};
}

function cmdCnmi(m: SmsSettingsContext, form: Form, args: Arg[]): SubResult {
  if (form === "read") return { blocks: [`+CNMI: ${m.settings.cnmi.join(",")}`] };
  if (form === "test") return { blocks: ["+CNMI: (0-2),(0-2),(0,2),(0-2),(0,1)"] };
  if (form !== "set" || args.length > 5) return { error: cms(302) };
  const next = [...m.settings.cnmi] as ModemSettings["cnmi"];
  const max = [2, 3, 3, 2, 1];
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.value === "" && !args[i]!.quoted) continue;
    const v = intArg(args[i]);
    if (v === undefined || v > max[i]!) return { error: cms(302) };
    next[i] = v;
  }
  if (next[1] > 2) return { error: cms(303) }; // class-3-only routing is not modelled
  m.settings.cnmi = next;
  return {};
}

function cmdCsmp(m: SmsSettingsContext, form: Form, args: Arg[]): SubResult {
  if (form === "read") return { blocks: [`+CSMP: ${m.settings.csmp.join(",")}`] };
  if (form === "test") return {};
  if (form !== "set" || args.length > 4) return { error: cms(302) };
  const next = [...m.settings.csmp] as ModemSettings["csmp"];
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.value === "") continue;
    const v = intArg(args[i]);
    if (v === undefined || v > 255) return { error: cms(302) };
    next[i] = v;
  }
  if (next[3] !== 0 && next[3] !== 8) return { error: cms(303) };
  m.settings.csmp = next;
  return {};
}

// ----- TE character set (AT+CSCS) ------------------------------------------------------------

/** Unicode → the TE character set (a latin1 string of bytes). */
export function encodeString(settings: ModemSettings, text: string): string {
  switch (settings.cscs) {
    case "GSM":
      return latin1(encodeGsm(text));
    case "UCS2":
      return encodeUcs2Hex(text);
    default:
      return latin1(encodeIra(text));
  }
}

/** TE character set (latin1 string of bytes) → Unicode; undefined when malformed. */
export function decodeString(settings: ModemSettings, binary: string): string | undefined {
  switch (settings.cscs) {
    case "GSM":
      return decodeGsm(bytesOf(binary));
    case "UCS2":
      return decodeUcs2Hex(binary);
    default:
      return decodeIra(bytesOf(binary));
  }
}

/** What sms-format.ts needs to present a message in text mode. */
export function formatContext(m: SmsSettingsContext) {
  return { csdh: m.settings.csdh, smscNumber: m.network.smscNumber, encodeString: (t: string) => encodeString(m.settings, t) };
}

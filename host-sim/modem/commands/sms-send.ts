/**
 * Sending and writing SMS: AT+CMGS / AT+CMGW (their arguments, in PDU and text mode, open the
 * "> " prompt), the prompt's content once Ctrl-Z ends it (PDU: the SMS-SUBMIT decoded; text: the
 * typed text per CSCS and CSMP, length-checked), and AT+CMGW's storing. VirtualModem takes the
 * prompt's bytes and times the network's answer to AT+CMGS (faults, +CMGS: <mr>).
 */
import { type Arg, type ErrorReply, cms, intArg, latin1 } from "../at-syntax.ts";
import { decodeGsm, encodeGsm, gsmSeptetCount } from "../gsm-charset.ts";
import { decodeSubmit, fromHex, toHex } from "../pdu.ts";
import { STATUS_BY_NUMBER } from "../sms-storage.ts";
import type { Form, ModemContext, PromptSpec, SubResult } from "./context.ts";
import { decodeString } from "./sms-settings.ts";

/** A prompt's text longer than this is cut. */
export const MAX_SMS_TEXT_BYTES = 4096;
/** A CR typed in a text-mode prompt (a line break of the message). */
export const LINE_BREAK = -1;

/** The open "> " prompt and what was typed into it. */
export interface Prompt extends PromptSpec {
  line: string;
  text: number[];
  afterCr: boolean;
  pdu: boolean;
}

/** One outgoing unit after decoding: a whole message, or one part of a concatenated one. */
export interface OutgoingPart {
  to: string;
  text: string;
  dcs: number;
  concat?: { ref: number; refBits: 8 | 16; total: number; seq: number };
}

export type SmsSendContext = Pick<ModemContext, "settings" | "storage" | "profile" | "clock">;

/** AT+CMGS (purpose "send") and AT+CMGW ("write"): the prompt to open, or an error. */
export function cmdCmgs(m: SmsSendContext, form: Form, args: Arg[], purpose: "send" | "write"): SubResult {
  if (form === "test") return {};
  if (purpose === "write" && m.storage.free(m.settings.cpms[1]) === 0) return { error: m.profile.errors.memoryFull };
  if (m.settings.cmgf === 0) {
    if (form !== "set") return { error: cms(302) };
    const length = intArg(args[0]);
    if (length === undefined || length < 7 || length > 164) return { error: cms(304) };
    const stat = args[1] === undefined ? 2 : intArg(args[1]);
    if (purpose === "send" && args.length > 1) return { error: cms(304) };
    if (stat === undefined || stat < 2 || stat > 3) return { error: cms(304) };
    return { prompt: { purpose, length, status: STATUS_BY_NUMBER[stat] } };
  }
  if (purpose === "write" && form === "exec") return { prompt: { purpose, da: "" } };
  if (form !== "set") return { error: cms(302) };
  const daArg = args[0];
  if (!daArg || daArg.value === "" || args.length > (purpose === "write" ? 3 : 2)) return { error: cms(302) };
  const da = decodeString(m.settings, daArg.value);
  if (da === undefined || da === "") return { error: cms(304) };
  if (args[1] !== undefined && intArg(args[1]) === undefined) return { error: cms(302) };
  return { prompt: { purpose, da } };
}

/** Decode the typed text per CSCS; undefined when malformed (bad UCS2 hex). */
function decodeTyped(m: SmsSendContext, text: number[]): string | undefined {
  const segments: number[][] = [[]];
  for (const b of text) {
    if (b === LINE_BREAK) segments.push([]);
    else segments.at(-1)!.push(b);
  }
  const decoded: string[] = [];
  for (const seg of segments) {
    const s = decodeString(m.settings, latin1(seg));
    if (s === undefined) return undefined;
    decoded.push(s);
  }
  return decoded.join("\n");
}

/** The prompt's content as outgoing parts, or an error. */
export function outgoing(m: SmsSendContext, prompt: Prompt): OutgoingPart | ErrorReply {
  if (prompt.pdu) {
    const bytes = fromHex(latin1(prompt.text));
    if (!bytes || bytes.length < 1) return cms(304);
    const smscLength = bytes[0]!;
    const tpdu = bytes.subarray(1 + smscLength);
    if (1 + smscLength > bytes.length || tpdu.length !== prompt.length) return cms(304);
    const submit = decodeSubmit(tpdu);
    if (!submit) return cms(304);
    const c = submit.userData.concat;
    return { to: submit.to, text: submit.userData.text, dcs: submit.dcs, ...(c ? { concat: { ref: c.ref, refBits: c.refBits, total: c.total, seq: c.seq } } : {}) };
  }
  let text = decodeTyped(m, prompt.text);
  if (text === undefined) return cms(305);
  const ucs2 = m.settings.csmp[3] === 8;
  if (!ucs2) text = decodeGsm(encodeGsm(text)); // the 7-bit alphabet is all that travels
  const tooLong = ucs2 ? text.length > 70 : gsmSeptetCount(text) > 160;
  if (tooLong) return m.profile.errors.textTooLong;
  return { to: prompt.da ?? "", text, dcs: ucs2 ? 8 : 0 };
}

/** AT+CMGW after Ctrl-Z: store for sending in the write storage (CPMS mem2); the result to answer. */
export function writeToStorage(m: SmsSendContext, prompt: Prompt): SubResult {
  const part = outgoing(m, prompt);
  if ("kind" in part) return { error: part };
  const memory = m.settings.cpms[1];
  const index = m.storage.put(memory, {
    status: prompt.status ?? "STO UNSENT",
    from: part.to,
    text: part.text,
    submittedAtMs: m.clock.nowMs,
    dcs: part.dcs,
    networkId: 0,
    tpdu: prompt.pdu ? toHex(fromHex(latin1(prompt.text))!.subarray(1 + fromHex(latin1(prompt.text))![0]!)) : "",
    kind: "submit",
  });
  if (index === undefined) return { error: m.profile.errors.memoryFull };
  return { blocks: [`+CMGW: ${index}`] };
}

/**
 * AT command-line syntax and result-code helpers shared by the virtual modem's parts: argument
 * splitting, error replies (+CME / +CMS, shaped by AT+CMEE), timestamps, byte/latin1 conversion.
 */

/** One AT argument: its text (quotes removed) and whether it was quoted. */
export interface Arg {
  value: string;
  quoted: boolean;
}

/** An error reply before CMEE shaping: bare ERROR, +CME ERROR: n or +CMS ERROR: n. */
export type ErrorReply = { kind: "plain" } | { kind: "cme"; code: number } | { kind: "cms"; code: number };

export const PLAIN_ERROR: ErrorReply = Object.freeze({ kind: "plain" });
export const cms = (code: number): ErrorReply => ({ kind: "cms", code });
export const cme = (code: number): ErrorReply => ({ kind: "cme", code });

/** Verbose texts (CMEE=2), 27.007 §9.2. */
export const CME_TEXT: Readonly<Record<number, string>> = Object.freeze({
  0: "phone failure",
  3: "operation not allowed",
  4: "operation not supported",
  10: "SIM not inserted",
  11: "SIM PIN required",
  12: "SIM PUK required",
  13: "SIM failure",
  14: "SIM busy",
  15: "SIM wrong",
  16: "incorrect password",
  20: "memory full",
  21: "invalid index",
  22: "not found",
  23: "memory failure",
  24: "text string too long",
  25: "invalid characters in text string",
  30: "no network service",
  31: "network timeout",
  32: "network not allowed - emergency calls only",
  100: "unknown",
  // Quectel GNSS (vendor range)
  501: "Invalid parameter",
  504: "Session is ongoing",
  505: "Session not active",
  516: "Not fixed now",
});

/** Verbose texts (CMEE=2), 27.005 §3.2.5, plus the vendor range 512+ (Quectel, vendor-dependent). */
export const CMS_TEXT: Readonly<Record<number, string>> = Object.freeze({
  300: "ME failure",
  301: "SMS service of ME reserved",
  302: "operation not allowed",
  303: "operation not supported",
  304: "invalid PDU mode parameter",
  305: "invalid text mode parameter",
  310: "SIM not inserted",
  311: "SIM PIN required",
  312: "PH-SIM PIN required",
  313: "SIM failure",
  314: "SIM busy",
  315: "SIM wrong",
  316: "SIM PUK required",
  320: "memory failure",
  321: "invalid memory index",
  322: "memory full",
  330: "SMSC address unknown",
  331: "no network service",
  332: "network timeout",
  340: "no +CNMA acknowledgement expected",
  500: "unknown error",
  512: "SIM not ready",
  513: "message length exceeds",
  514: "invalid request parameters",
  515: "ME storage failure",
  517: "invalid service mode",
  528: "more message to send state error",
  529: "MO SMS is not allow",
  530: "GPRS is suspended",
  531: "ME storage full",
});

/** Final result text of an error for the given AT+CMEE setting. */
export function formatError(error: ErrorReply, cmee: number): string {
  if (error.kind === "plain" || cmee === 0) return "ERROR";
  const prefix = error.kind === "cme" ? "+CME ERROR: " : "+CMS ERROR: ";
  if (cmee === 1) return `${prefix}${error.code}`;
  const text = (error.kind === "cme" ? CME_TEXT : CMS_TEXT)[error.code];
  return `${prefix}${text ?? error.code}`;
}

/** Split AT arguments on commas outside double quotes. */
export function parseArgs(text: string): Arg[] {
  const args: Arg[] = [];
  let value = "";
  let quoted = false;
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuotes = !inQuotes;
      quoted = true;
    } else if (ch === "," && !inQuotes) {
      args.push({ value: quoted ? value : value.trim(), quoted });
      value = "";
      quoted = false;
    } else value += ch;
  }
  args.push({ value: quoted ? value : value.trim(), quoted });
  return args;
}

/** Split the part after "AT" on ';' outside quotes. */
export function splitCommands(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === ";" && !inQuotes) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p, i) => p.length > 0 || i === 0);
}

/** An unquoted decimal argument, or undefined. */
export function intArg(arg: Arg | undefined): number | undefined {
  if (!arg || arg.quoted || !/^\d{1,9}$/.test(arg.value)) return undefined;
  return Number(arg.value);
}

/** Bytes → a latin1 string (one char per byte). */
export function latin1(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]! & 0xff);
  return s;
}

/** A latin1 string → bytes (low 8 bits of each char). */
export function bytesOf(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i) & 0xff;
  return out;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** "yy/MM/dd,hh:mm:ss±zz" of a UTC instant shown in local time (zone in quarter hours). */
export function formatAtTimestamp(utcMs: number, zoneQuarterHours: number): string {
  const d = new Date(utcMs + zoneQuarterHours * 15 * 60_000);
  const sign = zoneQuarterHours < 0 ? "-" : "+";
  return (
    `${pad2(d.getUTCFullYear() % 100)}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())},` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${sign}${pad2(Math.abs(zoneQuarterHours))}`
  );
}

/** Parse "yy/MM/dd,hh:mm:ss±zz" → { utcMs, zone } or undefined. */
export function parseAtTimestamp(text: string): { utcMs: number; zone: number } | undefined {
  const m = /^(\d\d)\/(\d\d)\/(\d\d),(\d\d):(\d\d):(\d\d)([+-])(\d\d)$/.exec(text);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, ss, sign, zz] = m;
  const month = Number(mo);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return undefined;
  const zone = (sign === "-" ? -1 : 1) * Number(zz);
  const local = Date.UTC(2000 + Number(yy), month - 1, day, Number(hh), Number(mi), Number(ss));
  return { utcMs: local - zone * 15 * 60_000, zone };
}

/** Render control characters of a latin1 string: <CR> <LF> <SUB> <ESC> <NUL> <0xNN>. */
export function showControls(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d) out += "<CR>";
    else if (c === 0x0a) out += "<LF>";
    else if (c === 0x1a) out += "<SUB>";
    else if (c === 0x1b) out += "<ESC>";
    else if (c === 0) out += "<NUL>";
    else if (c < 0x20 || c >= 0x7f) out += `<0x${c.toString(16).toUpperCase().padStart(2, "0")}>`;
    else out += text[i];
  }
  return out;
}

/** Data-bearer and IP commands: refused and recorded — location must never go to a server. */
export const FORBIDDEN_COMMAND =
  /^AT(\+(CGACT|CGDATA|NETOPEN|NETCLOSE|CIPSTART|CIPOPEN|CIPSEND|CIPSENDEX|CIICR|CSTT|SAPBR|CNACT|CAOPEN|CASEND|SHCONN|SHREQ|SMCONN|SMPUB|HTTP\w*|CHTTP\w*|CHTTPS\w*|QI(OPEN|ACT|SEND)\w*|QHTTP\w*|QMT\w*|CMQTT\w*|CFTP\w*|FTP\w*|CMMS\w*|CSSL\w*|CCH\w*)|D\*99)/i;

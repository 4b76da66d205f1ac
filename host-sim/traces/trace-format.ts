/**
 * Modem trace format: a recorded AT session as text, one event per line.
 *
 *   # modem-trace v1
 *   # profile: a7670
 *   # baud: 115200
 *   # date: 2026-11-24T22:15:00.000Z
 *   # any other comment
 *   4000 < "\r\n*ATREADY: 1\r\n"
 *   9021.5 > "AT+CMGF=0\r"          # optional trailing comment
 *   9040 < "\r\nOK\r\n"
 *   9100 >~ "AT\\+CMGS=\\d+\r"      # a pattern event (see below)
 *
 * - Time: ms (decimals allowed) since the start of the recording.
 * - Direction: `>` firmware → modem, `<` modem → firmware, `>~` firmware → modem given as a
 *   JavaScript regular expression (the quoted text, unescaped, is the pattern source; it is
 *   anchored at both ends and matched against one firmware line, up to and including its CR,
 *   Ctrl-Z or ESC). Pattern events are written by hand for bytes that legitimately vary.
 * - Bytes: a double-quoted string with escapes \r \n \t \\ \" and \xNN for every other byte
 *   below 0x20 or above 0x7E (so Ctrl-Z is \x1a, '@' in CSCS="GSM" is \x00).
 * - Header: `# key: value` lines before the first event (keys: profile, baud, date, source...).
 *   Other lines starting with `#` and blank lines are comments.
 */

export type TraceDirection = ">" | "<" | ">~";

export interface TraceEvent {
  /** ms since the start of the recording. */
  atMs: number;
  direction: TraceDirection;
  /** The bytes (for ">~": the pattern source, as latin1 bytes). */
  bytes: Uint8Array;
  /** 1-based line number in the trace text (0 when built in memory). */
  line: number;
  comment?: string;
}

export interface Trace {
  header: Record<string, string>;
  events: TraceEvent[];
}

export class TraceSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`trace line ${line}: ${message}`);
    this.line = line;
  }
}

/** Bytes → the escaped body of a trace string (without quotes). */
export function escapeBytes(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0xff;
    if (b === 0x0d) s += "\\r";
    else if (b === 0x0a) s += "\\n";
    else if (b === 0x09) s += "\\t";
    else if (b === 0x5c) s += "\\\\";
    else if (b === 0x22) s += '\\"';
    else if (b < 0x20 || b > 0x7e) s += `\\x${b.toString(16).padStart(2, "0")}`;
    else s += String.fromCharCode(b);
  }
  return s;
}

/** The escaped body of a trace string → bytes; throws a message on a bad escape. */
export function unescapeBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== "\\") {
      const code = c.charCodeAt(0);
      if (code > 0xff) throw new Error(`character U+${code.toString(16)} is not a byte: use \\xNN`);
      out.push(code);
      continue;
    }
    const e = text[++i];
    if (e === "r") out.push(0x0d);
    else if (e === "n") out.push(0x0a);
    else if (e === "t") out.push(0x09);
    else if (e === "\\") out.push(0x5c);
    else if (e === '"') out.push(0x22);
    else if (e === "x" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`bad escape "\\${e ?? ""}"`);
  }
  return Uint8Array.from(out);
}

const EVENT = /^(\d+(?:\.\d+)?)\s+(>~|>|<)\s+"((?:[^"\\]|\\.)*)"\s*(?:#\s?(.*))?$/;
const HEADER = /^#\s*([A-Za-z][\w-]*):\s*(.*)$/;

/** Parse trace text; throws TraceSyntaxError with the line number on malformed lines. */
export function parseTrace(text: string): Trace {
  const header: Record<string, string> = {};
  const events: TraceEvent[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const lineNo = i + 1;
    if (raw === "") continue;
    if (raw.startsWith("#")) {
      const h = HEADER.exec(raw);
      if (h && events.length === 0) header[h[1]!.toLowerCase()] = h[2]!.trim();
      continue;
    }
    const m = EVENT.exec(raw);
    if (!m) throw new TraceSyntaxError(lineNo, `expected '<ms> >|<|>~ "<bytes>"', got ${JSON.stringify(raw.slice(0, 60))}`);
    let bytes: Uint8Array;
    try {
      bytes = unescapeBytes(m[3]!);
    } catch (error) {
      throw new TraceSyntaxError(lineNo, (error as Error).message);
    }
    const direction = m[2] as TraceDirection;
    if (direction === ">~") {
      try {
        new RegExp(String.fromCharCode(...bytes));
      } catch (error) {
        throw new TraceSyntaxError(lineNo, `bad pattern: ${(error as Error).message}`);
      }
    }
    const event: TraceEvent = { atMs: Number(m[1]), direction, bytes, line: lineNo };
    if (m[4]) event.comment = m[4];
    events.push(event);
  }
  return { header, events };
}

/** Trace → text (header first, then one line per event). */
export function formatTrace(trace: Trace): string {
  const out = ["# modem-trace v1"];
  for (const [key, value] of Object.entries(trace.header)) out.push(`# ${key}: ${value}`);
  for (const e of trace.events) {
    const time = Number.isInteger(e.atMs) ? String(e.atMs) : e.atMs.toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
    const body = e.direction === ">~" ? escapePattern(e.bytes) : escapeBytes(e.bytes);
    out.push(`${time} ${e.direction} "${body}"${e.comment ? `  # ${e.comment}` : ""}`);
  }
  return `${out.join("\n")}\n`;
}

/** A pattern's source is written as is, except quotes (escaped) and non-printable bytes. */
function escapePattern(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b === 0x22 ? '\\"' : b === 0x5c ? "\\\\" : b < 0x20 || b > 0x7e ? `\\x${b.toString(16).padStart(2, "0")}` : String.fromCharCode(b);
  return s;
}

/**
 * Parsers for the SMS set-up queries: AT+CPMS? / AT+CPMS=? (message storage), AT+CNMI=? (new
 * message indication modes) and AT+CSCA? (service centre). Real modems answer these in many shapes
 * (spaces, missing brackets, empty answers, UCS-2 hex numbers); every parser returns undefined for
 * what it cannot read and never throws.
 */
import { atParams, parseAtInt, splitAtFields } from "./at-fields";

/** One storage of AT+CPMS? : its name and slots. */
export interface StorageUse {
  memory: string;
  used: number;
  total: number;
}

/** `+CPMS: "SM",3,30,"SM",3,30,"SM",3,30` (read form) → one entry per storage (1 to 3). */
export function parseCpmsRead(line: string): StorageUse[] | undefined {
  const params = atParams(line, "+CPMS:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  const out: StorageUse[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const used = parseAtInt(fields[i + 1]);
    const total = parseAtInt(fields[i + 2]);
    if (!fields[i] || used === undefined || total === undefined || used > total) return undefined;
    out.push({ memory: fields[i]!, used, total });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Split `(a,b),(c),(d,e)` into its groups, tolerating spaces, missing brackets and stray quotes.
 * Returns undefined when nothing is left.
 */
function groups(params: string): string[][] | undefined {
  const out: string[][] = [];
  let depth = 0;
  let current = "";
  for (const ch of params) {
    if (ch === "(") {
      depth++;
      current = "";
    } else if (ch === ")") {
      if (depth > 0) depth--;
      out.push(current.split(",").map((s) => s.trim().replace(/"/g, "")).filter((s) => s !== ""));
      current = "";
    } else if (ch === "," && depth === 0) {
      // Unbracketed form ("SM","SM","SM"): each item is a group of one.
      const item = current.trim().replace(/"/g, "");
      if (item) out.push([item]);
      current = "";
    } else {
      current += ch;
    }
  }
  const tail = current.trim().replace(/"/g, "");
  if (tail) out.push(tail.split(",").map((s) => s.trim()).filter((s) => s !== ""));
  return out.length > 0 ? out : undefined;
}

/** `+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")` (test form) → the storages offered for each of the three uses. */
export function parseCpmsSupport(line: string): string[][] | undefined {
  const params = atParams(line, "+CPMS:");
  return params === undefined ? undefined : groups(params);
}

/** Expand "0-2,4" into [0, 1, 2, 4]; undefined on anything else. */
function expandRange(items: readonly string[]): number[] | undefined {
  const out: number[] = [];
  for (const item of items) {
    const dash = item.indexOf("-");
    const from = parseAtInt(dash < 0 ? item : item.slice(0, dash));
    const to = dash < 0 ? from : parseAtInt(item.slice(dash + 1));
    if (from === undefined || to === undefined || to < from || to - from > 255) return undefined;
    for (let v = from; v <= to; v++) out.push(v);
  }
  return out;
}

/** `+CNMI: (0-2),(0,1,3),(0),(0,1),(0,1)` → supported values of <mode>,<mt>,<bm>,<ds>,<bfr>. */
export function parseCnmiSupport(line: string): number[][] | undefined {
  const params = atParams(line, "+CNMI:");
  const list = params === undefined ? undefined : groups(params);
  if (!list) return undefined;
  const out: number[][] = [];
  for (const g of list) {
    const values = expandRange(g);
    if (!values) return undefined;
    out.push(values);
  }
  return out;
}

/** True when the modem offers what the tracker sets: AT+CNMI=2,1 (buffer URCs, store and announce with +CMTI). */
export function supportsCmtiIndication(support: readonly (readonly number[])[]): boolean {
  return (support[0]?.includes(2) ?? false) && (support[1]?.includes(1) ?? false);
}

/** The service centre from `+CSCA: "+79168999100",145`, also when the number is UCS-2 hex. */
export function parseCsca(line: string): { number: string; type: number | undefined } | undefined {
  const params = atParams(line, "+CSCA:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  let number = fields[0] ?? "";
  if (/^([0-9A-Fa-f]{4})+$/.test(number) && number.length >= 8 && number.startsWith("00")) {
    let decoded = "";
    for (let i = 0; i < number.length; i += 4) decoded += String.fromCharCode(parseInt(number.slice(i, i + 4), 16));
    number = decoded;
  }
  if (!/^\+?[0-9]{3,20}$/.test(number)) return undefined;
  return { number, type: parseAtInt(fields[1]) };
}

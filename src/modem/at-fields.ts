/**
 * Small pure parsers for AT response and URC lines. None of them throws: bad input gives undefined.
 * Variants handled come from real traces (see shared/reference/corpora.md §2, §3): quoted or
 * unquoted values, no space after the colon, leading zeros, hex fields with spaces.
 */

/**
 * Split the parameter part of a line ("\"SM\",5" of `+CMTI: "SM",5`) at commas outside quotes.
 * Quoted fields lose their quotes and keep their content verbatim (commas included); unquoted
 * fields are trimmed. An unterminated quote runs to the end. "" gives [""].
 */
export function splitAtFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    // Skip leading blanks of the field.
    let start = i;
    while (start < n && (text[start] === " " || text[start] === "\t")) start++;
    if (start < n && text[start] === '"') {
      const close = text.indexOf('"', start + 1);
      const end = close < 0 ? n : close;
      let value = text.slice(start + 1, end);
      // Anything between the closing quote and the next comma is kept (broken quoting).
      let j = close < 0 ? n : close + 1;
      const comma = text.indexOf(",", j);
      const stop = comma < 0 ? n : comma;
      const tail = text.slice(j, stop).trim();
      if (tail.length > 0) value += tail;
      fields.push(value);
      j = stop;
      if (j >= n) break;
      i = j + 1;
    } else {
      const comma = text.indexOf(",", i);
      const stop = comma < 0 ? n : comma;
      fields.push(text.slice(i, stop).trim());
      if (comma < 0) break;
      i = comma + 1;
    }
  }
  return fields;
}

/**
 * Fields of a response line: `+CMGL: 3,"REC READ","+1408…"` → ["3", "REC READ", "+1408…"]
 * (the part after the first ":" split by splitAtFields). Undefined when the line has no ":".
 */
export function splitFields(line: string): string[] | undefined {
  if (typeof line !== "string") return undefined;
  const colon = line.indexOf(":");
  if (colon < 0) return undefined;
  return splitAtFields(line.slice(colon + 1));
}

/**
 * The parameter part of `line` when it starts with `prefix` (e.g. "+CMTI:"; compared without
 * case), leading blanks removed; undefined otherwise.
 */
export function atParams(line: string, prefix: string): string | undefined {
  if (typeof line !== "string" || line.length < prefix.length) return undefined;
  if (line.slice(0, prefix.length).toUpperCase() !== prefix.toUpperCase()) return undefined;
  let i = prefix.length;
  while (i < line.length && (line[i] === " " || line[i] === "\t")) i++;
  return line.slice(i);
}

/** Parse a non-negative decimal integer (leading zeros and blanks allowed); undefined otherwise. */
export function parseAtInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t.length === 0 || t.length > 9) return undefined;
  let value = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/** A new-message (or status-report) indication: `+CMTI: "SM",5`. */
export interface AtStorageIndex {
  /** Storage name, e.g. "SM", "ME", "SR". */
  storage: string;
  /** Index in that storage (≥ 0). */
  index: number;
}

function parseStorageIndex(line: string, prefix: string): AtStorageIndex | undefined {
  const params = atParams(line, prefix);
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  if (fields.length < 2) return undefined;
  const storage = fields[0];
  const index = parseAtInt(fields[1]);
  if (storage.length === 0 || index === undefined) return undefined;
  return { storage, index };
}

/** `+CMTI: "SM",5` → {storage: "SM", index: 5}; undefined on anything else. */
export function parseCmti(line: string): AtStorageIndex | undefined {
  return parseStorageIndex(line, "+CMTI:");
}

/** `+CDSI: "SM",3` (status report stored) → {storage, index}; undefined on anything else. */
export function parseCdsi(line: string): AtStorageIndex | undefined {
  return parseStorageIndex(line, "+CDSI:");
}

/** Which registration report a line is. */
export type RegistrationKind = "CREG" | "CGREG" | "CEREG";

/** A registration status from +CREG / +CGREG / +CEREG. */
export interface RegistrationStatus {
  /** Which report. */
  kind: RegistrationKind;
  /** 27.007 stat: 0 not searching, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming, 6-11 see corpora §3.8. */
  stat: number;
  /** LAC / TAC as hex text without quotes and spaces, "" when absent. */
  lac: string;
  /** Cell id as hex text without quotes and spaces, "" when absent. */
  ci: string;
}

const REG_PREFIXES: readonly string[] = Object.freeze(["+CREG:", "+CGREG:", "+CEREG:"]);
const REG_KINDS: readonly RegistrationKind[] = Object.freeze(["CREG", "CGREG", "CEREG"] as RegistrationKind[]);

function stripBlanks(text: string | undefined): string {
  return text === undefined ? "" : text.replace(/\s+/g, "");
}

/**
 * Parse +CREG/+CGREG/+CEREG. `solicited`: the line answers a `?` read (form `<n>,<stat>[,…]`);
 * otherwise it is a URC (form `<stat>[,…]`). A solicited line with a single field is read as
 * `<stat>`. Undefined when the prefix or stat is wrong.
 */
export function parseCreg(line: string, solicited: boolean): RegistrationStatus | undefined {
  for (let k = 0; k < REG_PREFIXES.length; k++) {
    const params = atParams(line, REG_PREFIXES[k]);
    if (params === undefined) continue;
    const fields = splitAtFields(params);
    const statIndex = solicited && fields.length >= 2 ? 1 : 0;
    const stat = parseAtInt(fields[statIndex]);
    if (stat === undefined || stat > 255) return undefined;
    return {
      kind: REG_KINDS[k],
      stat,
      lac: stripBlanks(fields[statIndex + 1]),
      ci: stripBlanks(fields[statIndex + 2]),
    };
  }
  return undefined;
}

/**
 * A +CREG/+CGREG/+CEREG line that came unsolicited, in either form: the URC `<stat>[,"<lac>",
 * "<ci>"[,<AcT>]]` or a read answer `<n>,<stat>[,…]` that arrived late (after its command timed
 * out). Told apart by the second field: quoted (a LAC) in the URC, an unquoted number in a read
 * answer; two fields can only be `<n>,<stat>`. Undefined when not such a line.
 */
export function parseCregUrc(line: string): RegistrationStatus | undefined {
  if (typeof line !== "string") return undefined;
  const colon = line.indexOf(":");
  if (colon < 0) return undefined;
  const params = line.slice(colon + 1);
  const comma = params.indexOf(",");
  if (comma < 0) return parseCreg(line, false);
  const fields = splitAtFields(params);
  if (fields.length === 2) return parseCreg(line, true);
  let i = comma + 1;
  while (i < params.length && (params[i] === " " || params[i] === "\t")) i++;
  return parseCreg(line, params[i] !== '"');
}

/** True when a registration stat allows SMS: 1 home, 5 roaming, 6/7 SMS-only, 9/10 CSFB-not-preferred. */
export function isRegisteredForSms(stat: number): boolean {
  return stat === 1 || stat === 5 || stat === 6 || stat === 7 || stat === 9 || stat === 10;
}

/** SIM lock state from `+CPIN:` (other strings are passed through upper-cased). */
export type CpinState =
  | "READY"
  | "SIM PIN"
  | "SIM PUK"
  | "PH-SIM PIN"
  | "SIM PIN2"
  | "SIM PUK2"
  | "PH-NET PIN"
  | (string & {});

/** `+CPIN: READY` / `+CPIN: "SIM PIN"` → "READY" / "SIM PIN" (quotes optional); undefined otherwise. */
export function parseCpin(line: string): CpinState | undefined {
  const params = atParams(line, "+CPIN:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  const value = fields[0].replace(/\s+/g, " ").trim().toUpperCase();
  return value.length > 0 ? value : undefined;
}

/** Signal quality from `+CSQ: <rssi>,<ber>`. */
export interface SignalQuality {
  /** Received signal strength, dBm (−113…−51); undefined when unknown (99 or out of 0-31). */
  rssiDbm: number | undefined;
  /** Bit error rate class 0-7 (RXQUAL); undefined when unknown (99 or out of range). */
  ber: number | undefined;
}

/** `+CSQ: 18,99` → {rssiDbm: -77, ber: undefined}; undefined when not a +CSQ line with two integers. */
export function parseCsq(line: string): SignalQuality | undefined {
  const params = atParams(line, "+CSQ:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  if (fields.length < 2) return undefined;
  const rssi = parseAtInt(fields[0]);
  const ber = parseAtInt(fields[1]);
  if (rssi === undefined || ber === undefined) return undefined;
  return {
    rssiDbm: rssi <= 31 ? -113 + 2 * rssi : undefined,
    ber: ber <= 7 ? ber : undefined,
  };
}

/** `+CMGS: 17` → 17 (message reference 0-255); undefined otherwise. */
export function parseCmgs(line: string): number | undefined {
  const params = atParams(line, "+CMGS:");
  if (params === undefined) return undefined;
  const mr = parseAtInt(splitAtFields(params)[0]);
  return mr !== undefined && mr <= 255 ? mr : undefined;
}

/**
 * Parse an SCTS "yy/MM/dd,hh:mm:ss±zz" (zz in quarter hours; a 4-digit year is accepted) to UTC
 * ms since the epoch. NaN when malformed or when the zone is missing (local time of unknown zone).
 */
export function parseScts(scts: string): number {
  const m = /^\s*(\d{2}|\d{4})\/(\d{1,2})\/(\d{1,2}),(\d{1,2}):(\d{1,2}):(\d{1,2})([+-])(\d{1,2})\s*$/.exec(scts);
  if (!m) return NaN;
  let year = Number(m[1]);
  if (m[1].length === 2) year += 2000;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const quarters = Number(m[8]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || quarters > 96) {
    return NaN;
  }
  const offsetMs = quarters * 15 * 60000 * (m[7] === "-" ? -1 : 1);
  return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs;
}

/** Header of a text-mode `+CMGR:` (SMS-DELIVER or stored SUBMIT). */
export interface CmgrTextHeader {
  /** "REC UNREAD", "REC READ", "STO UNSENT", "STO SENT" (as sent by the modem). */
  status: string;
  /** Originating (or destination) address as sent by the modem, e.g. "+31628870634". */
  sender: string;
  /** Phonebook name, "" when empty. */
  alpha: string;
  /** Service-centre time stamp text "yy/MM/dd,hh:mm:ss±zz", "" when absent. */
  scts: string;
  /** `scts` as UTC ms since the epoch; NaN when absent or malformed. */
  sctsUtcMs: number;
  /** CSDH=1 fields, present only when the modem sent them. */
  tooa?: number;
  fo?: number;
  pid?: number;
  dcs?: number;
  sca?: string;
  tosca?: number;
  /** Body length: characters (GSM text) or octets (8-bit/UCS2), as the modem reports it. */
  length?: number;
}

/**
 * `+CMGR: "REC UNREAD","+31628870634",,"11/12/09,23:05:43+04"[,145,4,0,0,"+31654…",145,18]`
 * → header. Undefined when not a text-mode +CMGR line (e.g. PDU mode `+CMGR: 0,,23`) or a status
 * report (`+CMGR: "REC READ",6,…`, second field unquoted number).
 */
export function parseCmgrTextHeader(line: string): CmgrTextHeader | undefined {
  const params = atParams(line, "+CMGR:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  if (fields.length < 2) return undefined;
  const status = fields[0];
  if (status.length === 0 || parseAtInt(status) !== undefined) return undefined;
  // Status report: `<stat>,<fo>,<mr>,…` has numbers where a DELIVER has <oa>,<alpha>.
  if (fields.length >= 3 && parseAtInt(fields[1]) !== undefined && parseAtInt(fields[2]) !== undefined) return undefined;
  // An unquoted SCTS splits into date and time: join them.
  if (fields.length >= 5 && fields[3].indexOf("/") > 0 && fields[4].indexOf(":") > 0 && fields[3].indexOf(",") < 0) {
    fields.splice(3, 2, fields[3] + "," + fields[4]);
  }
  const scts = fields.length > 3 ? fields[3] : "";
  const header: CmgrTextHeader = {
    status,
    sender: fields[1],
    alpha: fields.length > 2 ? fields[2] : "",
    scts,
    sctsUtcMs: scts.length > 0 ? parseScts(scts) : NaN,
  };
  if (fields.length >= 11) {
    header.tooa = parseAtInt(fields[4]);
    header.fo = parseAtInt(fields[5]);
    header.pid = parseAtInt(fields[6]);
    header.dcs = parseAtInt(fields[7]);
    header.sca = fields[8];
    header.tosca = parseAtInt(fields[9]);
    header.length = parseAtInt(fields[10]);
  }
  return header;
}

/**
 * The possible byte lengths of the SMS body after a text-mode `+CMGR:` or `+CMGL:` header shown with
 * AT+CSDH=1, from its <length> (27.005 §3.4.3): <length> characters in the GSM character set
 * (AT+CSCS="GSM": one byte each), or 2 × <length> hex digits when the data is shown as hex (8-bit,
 * UCS-2, or a UDH). [] for a status report (no body follows); undefined when the header gives no
 * length (AT+CSDH=0) or is not one of these.
 */
export function textBodyLengths(line: string): number[] | undefined {
  const isList = atParams(line, "+CMGL:") !== undefined;
  const params = isList ? atParams(line, "+CMGL:") : atParams(line, "+CMGR:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  // a status report shows numbers (<fo>,<mr>) where a message shows <oa>,<alpha>
  const at = isList ? 2 : 1;
  if (fields.length >= at + 2 && parseAtInt(fields[at]) !== undefined && parseAtInt(fields[at + 1]) !== undefined) return [];
  if (fields.length < (isList ? 7 : 11)) return undefined;
  const length = parseAtInt(fields[fields.length - 1]);
  return length === undefined ? undefined : [length, 2 * length];
}

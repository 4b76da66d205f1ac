/**
 * The serving cell: which cell tower the modem is camped on (country, network, area, cell), read
 * from the modem's own report. Without a GNSS fix it is the one clue to where the vehicle is (a
 * person can look the cell up in a public cell database); the tracker only ever puts it in an SMS
 * to a registered number.
 *
 * Three ways to ask, one per profile (profiles.ts `servingCellQuery`):
 * - SIMCom `AT+CPSI?` (SIM7500/SIM7600 Series AT Command Manual, A76xx Series AT Command Manual,
 *   SIM7000 Series AT Command Manual; "Inquiring UE system information"). Field order:
 *     GSM:   `+CPSI: GSM,Online,<MCC>-<MNC>,<LAC>,<Cell ID>,<ARFCN>,<RxLev>,<Track LO Adjust>,<C1-C2>`
 *     WCDMA: `+CPSI: WCDMA,Online,<MCC>-<MNC>,<LAC>,<Cell ID>,<Frequency Band>,<PSC>,<Freq>,<SSC>,...`
 *     LTE:   `+CPSI: LTE,Online,<MCC>-<MNC>,<TAC>,<SCellID>,<PCellID>,<Frequency Band>,<earfcn>,...`
 *     SIM7000 names the LTE modes "LTE CAT-M1" and "LTE NB-IOT" (same fields as LTE).
 *   LAC / TAC come as hex with "0x" ("0x1A2B"); the cell id as decimal ("26396162").
 *   Without service: `+CPSI: NO SERVICE,Online` (or "Offline", "Low Power").
 * - Quectel `AT+QENG="servingcell"` (EC2x/EG25 and BG96 AT Commands Manuals, "Engineering mode"):
 *     `+QENG: "servingcell",<state>,"LTE",<is_tdd>,<MCC>,<MNC>,<cellID>,<PCID>,<earfcn>,<band>,<ul_bw>,<dl_bw>,<TAC>,...`
 *     `+QENG: "servingcell",<state>,"GSM",<MCC>,<MNC>,<LAC>,<cellID>,<bsic>,...`
 *     `+QENG: "servingcell",<state>,"WCDMA",<MCC>,<MNC>,<LAC>,<cellID>,<uarfcn>,...`
 *   BG96 says "CAT-M" / "eMTC" or "CAT-NB" / "NBIoT" where the EG25 says "LTE" (same fields).
 *   LAC / TAC / cell id in hex without "0x"; MCC / MNC decimal. `<state>` "SEARCH" or "LIMSRV"
 *   without the rest of the line: no cell.
 * - The 3GPP fallback (27.007 §7.2, §10.1.22): `AT+CREG?` / `AT+CEREG?` read with <n>=2
 *   (`+CEREG: 2,1,"1A2B","01C2D3E4",7`: stat, hex LAC/TAC, hex cell id, AcT) and the operator
 *   as a number from `AT+COPS?` after `AT+COPS=3,2` (`+COPS: 0,2,"310260",7`).
 *
 * Normalised form: `area` and `cellId` are upper-case hex without "0x" (a decimal cell id is
 * converted, hex keeps the modem's leading zeros), so one reply format serves every modem. Values
 * that say "unknown" (all F, empty, zero cell id) give undefined. Parsers never throw.
 */
import { atParams, parseAtInt, splitAtFields } from "./at-fields";

/** Radio access technology of the serving cell, "" when the modem did not say. */
export type CellRat = "GSM" | "WCDMA" | "LTE" | "CAT-M" | "NB-IoT" | "";

/** The cell the modem is camped on (frozen). */
export interface ServingCell {
  /** Radio access technology ("GSM", "WCDMA", "LTE", "CAT-M", "NB-IoT"), "" when unknown. */
  readonly rat: CellRat;
  /** Mobile country code, 3 digits ("310"). */
  readonly mcc: string;
  /** Mobile network code, 2 or 3 digits as the network uses it ("260", "02"). */
  readonly mnc: string;
  /** LAC (GSM, WCDMA) or TAC (LTE), upper-case hex without "0x", 1 to 4 digits ("1A2B"). */
  readonly area: string;
  /**
   * Cell id, upper-case hex without "0x", 1 to 8 digits: hex answers keep their digits
   * ("01C2D3E4"), decimal ones (AT+CPSI?) are converted (26396162 → "192C602").
   */
  readonly cellId: string;
}

/** Which query a profile uses to read the serving cell. */
export type ServingCellQuery = "cpsi" | "qeng" | "creg";

/** The command of each query (all on the AT allow list). COPS is asked after CREG for "creg". */
export const SERVING_CELL_COMMANDS: Readonly<Record<ServingCellQuery, string>> = Object.freeze({
  cpsi: "AT+CPSI?",
  qeng: 'AT+QENG="servingcell"',
  creg: "AT+CREG?",
});

/** Asks the modem to show the operator as digits in AT+COPS? (sent once per modem boot). */
export const COPS_NUMERIC_FORMAT = "AT+COPS=3,2";
/** Reads the operator (numeric after COPS_NUMERIC_FORMAT). */
export const COPS_READ = "AT+COPS?";

const REG_PREFIXES: readonly string[] = Object.freeze(["+CREG:", "+CEREG:", "+CGREG:"]);

/** Largest cell id accepted (32 bits: LTE's 28-bit ECI and CREG's 8 hex digits fit). */
const MAX_CELL_ID = 0xffffffff;

function isDigitText(text: string, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Upper-case hex digits of `text` (an optional "0x" removed) when 1 to `maxDigits` hex digits; undefined otherwise. */
function hexText(text: string | undefined, maxDigits: number): string | undefined {
  if (text === undefined) return undefined;
  let t = text.trim();
  if (t.length > 2 && t[0] === "0" && (t[1] === "x" || t[1] === "X")) t = t.slice(2);
  if (t.length < 1 || t.length > maxDigits) return undefined;
  let upper = "";
  let allF = true;
  let allZero = true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const isDigit = c >= 0x30 && c <= 0x39;
    const isUpper = c >= 0x41 && c <= 0x46;
    const isLower = c >= 0x61 && c <= 0x66;
    if (!isDigit && !isUpper && !isLower) return undefined;
    const u = isLower ? c - 0x20 : c;
    if (u !== 0x46) allF = false;
    if (u !== 0x30) allZero = false;
    upper += String.fromCharCode(u);
  }
  // FFFF / FFFFFFFF are the "not known" values of 27.007 and the modems' own reports.
  if (allF && t.length >= 4) return undefined;
  if (allZero && maxDigits > 4) return undefined; // cell id 0: not a cell
  return upper;
}

/** A decimal cell id (AT+CPSI?) as upper-case hex; undefined when not 1 to MAX_CELL_ID. */
function decimalToHex(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!isDigitText(t, 1, 10)) return undefined;
  const value = Number(t);
  if (value < 1 || value > MAX_CELL_ID) return undefined;
  return value.toString(16).toUpperCase();
}

/** MNC of 1 to 3 digits; a 1-digit value (Quectel prints "0" for "00") is padded to 2. */
function mncText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!isDigitText(t, 1, 3)) return undefined;
  return t.length === 1 ? "0" + t : t;
}

function mccText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return isDigitText(t, 3, 3) && t !== "000" ? t : undefined;
}

function cell(rat: CellRat, mcc: string | undefined, mnc: string | undefined, area: string | undefined, cellId: string | undefined): ServingCell | undefined {
  if (mcc === undefined || mnc === undefined || area === undefined || cellId === undefined) return undefined;
  return Object.freeze({ rat, mcc, mnc, area, cellId });
}

/** A RAT name as SIMCom or Quectel print it → CellRat; undefined when it is not one. */
function ratOfName(name: string): CellRat | undefined {
  const n = name.trim().toUpperCase();
  if (n === "GSM" || n === "EGPRS" || n === "GPRS" || n === "EDGE") return "GSM";
  if (n === "WCDMA" || n === "HSPA" || n === "HSDPA" || n === "HSUPA" || n === "HSPA+" || n === "UMTS") return "WCDMA";
  if (n === "LTE" || n === "FDD LTE" || n === "TDD LTE") return "LTE";
  if (n === "LTE CAT-M1" || n === "CAT-M" || n === "CAT-M1" || n === "EMTC") return "CAT-M";
  if (n === "LTE NB-IOT" || n === "CAT-NB" || n === "CAT-NB1" || n === "NBIOT" || n === "NB-IOT") return "NB-IoT";
  return undefined;
}

/**
 * `+CPSI: LTE,Online,310-260,0x1A2B,26396162,...` → the serving cell; undefined for any other line,
 * "NO SERVICE", an offline modem or fields that do not parse. The LAC/TAC is the 4th field and the
 * cell id (decimal) the 5th for GSM, WCDMA and every LTE mode.
 */
export function parseCpsi(line: string): ServingCell | undefined {
  const params = atParams(line, "+CPSI:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  if (fields.length < 5) return undefined;
  const rat = ratOfName(fields[0]);
  if (rat === undefined) return undefined;
  if (fields[1].trim().toUpperCase() !== "ONLINE") return undefined;
  const plmn = fields[2].trim();
  const dash = plmn.indexOf("-");
  if (dash < 0) return undefined;
  // A hex LAC without "0x" (some firmware) is still hex; the cell id is decimal in every manual.
  return cell(rat, mccText(plmn.slice(0, dash)), mncText(plmn.slice(dash + 1)), hexText(fields[3], 4), decimalToHex(fields[4]));
}

/**
 * `+QENG: "servingcell","NOCONN","LTE","FDD",310,260,1A2B3C4,...,<tac>,...` → the serving cell;
 * undefined for "SEARCH" / "LIMSRV" lines without a cell, the neighbour-cell lines and garbage.
 */
export function parseQengServingCell(line: string): ServingCell | undefined {
  const params = atParams(line, "+QENG:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  if (fields.length < 7 || fields[0].trim().toLowerCase() !== "servingcell") return undefined;
  const rat = ratOfName(fields[2]);
  if (rat === undefined) return undefined;
  if (rat === "GSM" || rat === "WCDMA") {
    // "servingcell",<state>,"GSM",<mcc>,<mnc>,<lac>,<cellid>,...
    return cell(rat, mccText(fields[3]), mncText(fields[4]), hexText(fields[5], 4), hexText(fields[6], 8));
  }
  // "servingcell",<state>,"LTE",<is_tdd>,<mcc>,<mnc>,<cellid>,<pcid>,<earfcn>,<band>,<ul_bw>,<dl_bw>,<tac>,...
  if (fields.length < 13) return undefined;
  return cell(rat, mccText(fields[4]), mncText(fields[5]), hexText(fields[12], 4), hexText(fields[6], 8));
}

/** 27.007 <AcT> → CellRat (8 is EC-GSM-IoT in 27.007 but LTE Cat-M1 on the BG96, the modem that sends it). */
export function ratOfAcT(act: number | undefined): CellRat {
  switch (act) {
    case 0:
    case 1:
    case 3:
      return "GSM";
    case 2:
    case 4:
    case 5:
    case 6:
      return "WCDMA";
    case 7:
    case 10:
      return "LTE";
    case 8:
      return "CAT-M";
    case 9:
      return "NB-IoT";
    default:
      return "";
  }
}

/** Operator as digits: `+COPS: 0,2,"310260",7` → {mcc "310", mnc "260", act 7}; undefined for the alphanumeric form. */
export interface CopsNumeric {
  mcc: string;
  mnc: string;
  /** <AcT>, undefined when absent. */
  act: number | undefined;
}

/** `+COPS: 0,2,"310260",7` → {mcc, mnc, act}; undefined when not the numeric format (2) or garbled. */
export function parseCopsNumeric(line: string): CopsNumeric | undefined {
  const params = atParams(line, "+COPS:");
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  if (fields.length < 3 || parseAtInt(fields[1]) !== 2) return undefined;
  const plmn = fields[2].trim();
  if (!isDigitText(plmn, 5, 6)) return undefined;
  const mcc = mccText(plmn.slice(0, 3));
  if (mcc === undefined) return undefined;
  return { mcc, mnc: plmn.slice(3), act: fields.length > 3 ? parseAtInt(fields[3]) : undefined };
}

/**
 * The 3GPP fallback: a registration read with <n>=2 (`+CREG: 2,1,"1A2B","01C2D3E4"[,<AcT>]`,
 * also +CEREG / +CGREG) and the numeric operator (`+COPS: 0,2,"310260",7`) → the serving cell.
 * Undefined unless registered (stat 1 or 5) with a LAC and cell id, and the operator is numeric.
 * The RAT comes from the registration's AcT, else from the COPS AcT.
 */
export function servingCellFromRegistration(regLine: string, copsLine: string): ServingCell | undefined {
  const cops = parseCopsNumeric(copsLine);
  if (!cops) return undefined;
  let params: string | undefined;
  for (let i = 0; i < REG_PREFIXES.length && params === undefined; i++) params = atParams(regLine, REG_PREFIXES[i]);
  if (params === undefined) return undefined;
  const fields = splitAtFields(params);
  // Read form: <n>,<stat>,<lac>,<ci>[,<AcT>] (CGREG/CEREG may add <rac>/<cause> later: ignored).
  if (fields.length < 4) return undefined;
  const stat = parseAtInt(fields[1]);
  if (stat !== 1 && stat !== 5) return undefined;
  const act = fields.length > 4 ? parseAtInt(fields[4]) : undefined;
  const rat = ratOfAcT(act !== undefined ? act : cops.act);
  return cell(rat, cops.mcc, cops.mnc, hexText(fields[2], 4), hexText(fields[3], 8));
}

/** The first line of `lines` that `parse` reads as a cell; undefined when none does. */
export function firstServingCell(lines: readonly string[], parse: (line: string) => ServingCell | undefined): ServingCell | undefined {
  for (let i = 0; i < lines.length; i++) {
    const found = parse(lines[i]);
    if (found) return found;
  }
  return undefined;
}

/** "Cell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 (LTE)" (at most 51 characters, plain GSM-7). */
export function cellText(servingCell: ServingCell): string {
  const rat = servingCell.rat === "" ? "" : ` (${servingCell.rat})`;
  return `Cell: MCC ${servingCell.mcc} MNC ${servingCell.mnc} LAC ${servingCell.area} ID ${servingCell.cellId}${rat}`;
}

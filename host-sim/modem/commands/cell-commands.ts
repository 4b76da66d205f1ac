/**
 * The virtual modem's serving cell and the commands that tell it: SIMCom AT+CPSI?, Quectel
 * AT+QENG="servingcell", AT+COPS? in its three formats (AT+COPS=3,<format>), and the LAC / cell id
 * of the CREG/CGREG/CEREG answers with <n>=2. Answers follow the manuals' field orders (SIM7500/
 * SIM7600 and SIM7000 AT Command Manuals "AT+CPSI", Quectel EC2x and BG96 AT Commands Manuals
 * "AT+QENG", 3GPP TS 27.007 §7.2/§7.3/§10.1.22), with fixed radio measurements from published logs.
 * sim-registration.ts calls cellCommand() for the family; nothing here keeps state.
 */
import { type ErrorReply, PLAIN_ERROR, intArg, type Arg } from "../at-syntax.ts";
import type { ModemProfile, ProfileName } from "../profiles.ts";

/** Radio access technology of the virtual cell. */
export type VirtualRat = "GSM" | "WCDMA" | "LTE" | "CAT-M" | "NB-IoT";

/** The cell the virtual modem is camped on. */
export interface VirtualCell {
  rat: VirtualRat;
  /** 3 digits. */
  mcc: string;
  /** 2 or 3 digits. */
  mnc: string;
  /** LAC / TAC, 16 bits. */
  area: number;
  /** Cell id (GSM 16 bits, UMTS and LTE 28 bits). */
  cellId: number;
}

/** The cell of each profile by default: T-Mobile US (310-260), LAC/TAC 0x1A2B, on the profile's usual RAT. */
export function defaultCell(profile: ProfileName): VirtualCell {
  const rat: VirtualRat = profile === "sim800" ? "GSM" : profile === "sim7000" || profile === "bg96" ? "CAT-M" : "LTE";
  return { rat, mcc: "310", mnc: "260", area: 0x1a2b, cellId: rat === "GSM" ? 0x2bc7 : 0x01c2d3e4 };
}

/** What cellCommand needs to know of the modem now. */
export interface CellContext {
  profile: ModemProfile;
  cell: VirtualCell;
  /** Registered (stat 1 or 5 on some register). */
  registered: boolean;
  /** AT+COPS <format>: 0 long alphanumeric, 1 short, 2 numeric. */
  copsFormat: number;
  setCopsFormat(format: number): void;
}

/** What a handled command answers (the dispatcher's SubResult shape). */
export interface CellReply {
  blocks?: string[];
  error?: ErrorReply;
}

const hex = (value: number, digits: number): string => value.toString(16).toUpperCase().padStart(digits, "0");

/** 27.007 <AcT> of the cell, as the profile reports it (BG96: 8 for Cat-M1, SIM7000: 7). */
export function accessTechnology(cell: VirtualCell, profile: ModemProfile): number {
  switch (cell.rat) {
    case "GSM":
      return 0;
    case "WCDMA":
      return 2;
    case "LTE":
      return 7;
    case "CAT-M":
      return profile.name === "bg96" ? 8 : 7;
    case "NB-IoT":
      return 9;
  }
}

/** `,"1A2B","01C2D3E4"[,<AcT>]` of a +CxREG answer with <n>=2 (CREG has no AcT here, as the A7670's). */
export function registrationLocation(cell: VirtualCell, profile: ModemProfile, withAct: boolean): string {
  const ci = hex(cell.cellId, cell.rat === "GSM" ? 4 : 8);
  return `,"${hex(cell.area, 4)}","${ci}"` + (withAct ? `,${accessTechnology(cell, profile)}` : "");
}

function cpsi(c: CellContext): string {
  if (!c.registered) return "+CPSI: NO SERVICE,Online";
  const { cell } = c;
  const head = `${cell.mcc}-${cell.mnc},0x${hex(cell.area, 4)},${cell.cellId}`;
  switch (cell.rat) {
    case "GSM":
      return `+CPSI: GSM,Online,${head},27 EGSM 900,-64,2110,42-42`;
    case "WCDMA":
      return `+CPSI: WCDMA,Online,${head},WCDMA IMT 2000,279,10663,0,1.5,62,33,52,500`;
    case "LTE":
      return `+CPSI: LTE,Online,${head},101,EUTRAN-BAND2,900,5,5,-94,-1143,-764,11`;
    case "CAT-M":
      return `+CPSI: LTE CAT-M1,Online,${head},465,EUTRAN-BAND12,5110,5,5,-16,-83,-53,10`;
    case "NB-IoT":
      return `+CPSI: LTE NB-IOT,Online,${head},238,EUTRAN-BAND28,9410,5,5,-20,-116,-82,6`;
  }
}

function qeng(c: CellContext): string {
  if (!c.registered) return '+QENG: "servingcell","SEARCH"';
  const { cell } = c;
  const area = hex(cell.area, 1);
  const ci = hex(cell.cellId, 1);
  switch (cell.rat) {
    case "GSM":
      return `+QENG: "servingcell","NOCONN","GSM",${cell.mcc},${cell.mnc},${area},${ci},10,24,-,-70,255,255,0,38,38,1,-,-,-,-,-,-,-,-,-,"-"`;
    case "WCDMA":
      return `+QENG: "servingcell","NOCONN","WCDMA",${cell.mcc},${cell.mnc},${area},${ci},10663,279,1,-62,-1,-,-,-,-,-`;
    default: {
      const mode = cell.rat === "LTE" ? "LTE" : cell.rat === "CAT-M" ? "CAT-M" : "CAT-NB";
      return `+QENG: "servingcell","NOCONN","${mode}","FDD",${cell.mcc},${cell.mnc},${ci},101,5110,12,5,5,${area},-94,-11,-64,11,30`;
    }
  }
}

/**
 * Answer CPSI / QENG / COPS, or undefined for any other command (the dispatcher goes on). CPSI is
 * SIMCom's but not the SIM800's; QENG is Quectel's and only its "servingcell" report is modelled.
 */
export function cellCommand(name: string, form: "exec" | "read" | "test" | "set", args: Arg[], c: CellContext): CellReply | undefined {
  const quectel = c.profile.manufacturer === "Quectel";
  switch (name) {
    case "CPSI":
      if (quectel || c.profile.name === "sim800") return { error: PLAIN_ERROR };
      if (form === "read") return { blocks: [cpsi(c)] };
      return form === "test" ? { blocks: ["+CPSI: (0-255)"] } : { error: PLAIN_ERROR };
    case "QENG":
      if (!quectel) return { error: PLAIN_ERROR };
      if (form === "test") return { blocks: ['+QENG: "servingcell"'] };
      if (form === "set" && (args[0]?.value ?? "").toLowerCase() === "servingcell" && args.length === 1) return { blocks: [qeng(c)] };
      return { error: PLAIN_ERROR };
    case "COPS": {
      if (form === "read") {
        if (!c.registered) return { blocks: ["+COPS: 0"] };
        const act = accessTechnology(c.cell, c.profile);
        const name = c.copsFormat === 2 ? c.cell.mcc + c.cell.mnc : c.copsFormat === 1 ? "SIM NET" : "SIM NETWORK";
        return { blocks: [`+COPS: 0,${c.copsFormat},"${name}",${act}`] };
      }
      if (form === "set" && intArg(args[0]) === 3) {
        const format = intArg(args[1]);
        if (format === undefined || format > 2 || args.length !== 2) return { error: PLAIN_ERROR };
        c.setCopsFormat(format);
        return {};
      }
      return form === "exec" ? { error: PLAIN_ERROR } : {};
    }
    default:
      return undefined;
  }
}

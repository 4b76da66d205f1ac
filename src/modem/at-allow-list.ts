/**
 * The AT commands this firmware may send, and nothing else: the AT chat refuses every other
 * command text (AtChat.send), whoever builds it. So no code path, modem profile or bug can open a
 * data bearer (AT+CGACT, +CNACT, +NETOPEN, +CIPSTART, +CAOPEN, +CCHOPEN, +SMCONN, +HTTP..., +QIOPEN,
 * +CGATT, ...), dial (ATD), sync time over the network (+CNTP, +QNTP), send MMS (+CMMSSEND) or
 * change SIM locks and passwords (+CLCK, +CPWD): location leaves the device only inside an SMS.
 *
 * Each entry is a command's exact text, or its fixed part followed by one parameter of a checked
 * form. The simulator checks every command a scenario sends against this same list.
 */

/** How the part after an entry's fixed text must look ("" = nothing after it). */
type ParamForm =
  /** nothing */
  | ""
  /** a storage index or a PDU length: 1 to 3 digits */
  | "digits"
  /** a SIM PIN: "dddd" to "dddddddd", quoted */
  | "pin"
  /** a destination number: "+" and 7 to 15 digits, quoted (text-mode AT+CMGS) */
  | "number"
  /** a modem GPIO number (1 to 3 digits) then ",1,1": output, high (AT+CGPIO=0,<pin>,1,1) */
  | "gpio-high"
  /**
   * a balance enquiry by USSD (the console's self-test): `"*100#",15`, the code "*" or "#", 2 to 4
   * digits, optionally "*" and 1 or 2 digits, then "#" — too short to hold a phone number or an
   * amount, so no transfer or call-forwarding code fits
   */
  | "ussd";

/** [fixed text, parameter form]: see the module comment. */
const ALLOWED: readonly (readonly [string, ParamForm])[] = Object.freeze([
  // start-up and health
  Object.freeze(["AT", ""] as const),
  Object.freeze(["ATE0", ""] as const),
  Object.freeze(["AT+CMEE=2", ""] as const),
  Object.freeze(["AT+CPIN?", ""] as const),
  Object.freeze(["AT+CPIN=", "pin"] as const),
  Object.freeze(["AT+SPIC", ""] as const),
  Object.freeze(['AT+QPINC="SC"', ""] as const),
  Object.freeze(["AT+CSQ", ""] as const),
  Object.freeze(["AT+CCLK?", ""] as const),
  Object.freeze(["AT+CFUN=1", ""] as const),
  Object.freeze(["AT+CFUN=1,1", ""] as const),
  // registration (polls and reports only: no attach)
  Object.freeze(["AT+CREG?", ""] as const),
  Object.freeze(["AT+CGREG?", ""] as const),
  Object.freeze(["AT+CEREG?", ""] as const),
  // registration reports as URCs: <n> 1 (stat) or 2 (stat, LAC/TAC, cell id); they only report
  Object.freeze(["AT+CREG=1", ""] as const),
  Object.freeze(["AT+CREG=2", ""] as const),
  Object.freeze(["AT+CGREG=1", ""] as const),
  Object.freeze(["AT+CGREG=2", ""] as const),
  Object.freeze(["AT+CEREG=1", ""] as const),
  Object.freeze(["AT+CEREG=2", ""] as const),
  // serving cell (serving-cell.ts): reads only. AT+COPS=3,2 sets the format of AT+COPS? answers
  // (mode 3) and never starts an operator selection.
  Object.freeze(["AT+CPSI?", ""] as const),
  Object.freeze(['AT+QENG="servingcell"', ""] as const),
  Object.freeze(["AT+COPS=3,2", ""] as const),
  Object.freeze(["AT+COPS?", ""] as const),
  // SMS set-up
  Object.freeze(["AT+CMGF=0", ""] as const),
  Object.freeze(["AT+CMGF=1", ""] as const),
  Object.freeze(['AT+CSCS="GSM"', ""] as const),
  Object.freeze(["AT+CSDH=1", ""] as const),
  Object.freeze(['AT+CPMS="SM","SM","SM"', ""] as const),
  Object.freeze(["AT+CPMS?", ""] as const),
  Object.freeze(["AT+CNMI=2,1,0,0,0", ""] as const),
  // SMS in and out
  Object.freeze(["AT+CMGL=4", ""] as const),
  Object.freeze(['AT+CMGL="ALL"', ""] as const),
  Object.freeze(["AT+CMGR=", "digits"] as const),
  Object.freeze(["AT+CMGD=", "digits"] as const),
  Object.freeze(["AT+CMGS=", "digits"] as const),
  Object.freeze(["AT+CMGS=", "number"] as const),
  // identity and SMS facts for the installer's console (console/self-test.ts): reads only
  Object.freeze(["AT+CGSN", ""] as const),
  Object.freeze(["AT+CGMM", ""] as const),
  Object.freeze(["AT+CGMR", ""] as const),
  Object.freeze(["AT+CNUM", ""] as const),
  Object.freeze(["AT+CSCA?", ""] as const),
  Object.freeze(["AT+CUSD=1,", "ussd"] as const),
  // modem profiles (Quectel: URCs to the main UART)
  Object.freeze(['AT+QURCCFG="urcport","uart1"', ""] as const),
  // GNSS inside the modem (profiles' gnssOn, modem-gnss.ts): switch it on, NMEA to the AT UART.
  // They start the receiver and route its sentences; none opens a data bearer (no AGPS download).
  Object.freeze(["AT+CGPS?", ""] as const),
  Object.freeze(["AT+CGPS=1", ""] as const),
  Object.freeze(["AT+CGNSSPORTSWITCH=0,1", ""] as const),
  Object.freeze(["AT+CGNSSTST=1", ""] as const),
  Object.freeze(["AT+CGNSPWR=1", ""] as const),
  Object.freeze(["AT+CGNSTST=1", ""] as const),
  // the active GNSS antenna's supply on a modem GPIO (LilyGO T-SIM7000G: modem pin 48), driven high
  Object.freeze(["AT+CGPIO=0,", "gpio-high"] as const),
]);

function isDigits(text: string, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function paramMatches(param: string, form: ParamForm): boolean {
  switch (form) {
    case "":
      return param === "";
    case "digits":
      return isDigits(param, 1, 3);
    case "pin":
      return param.length >= 6 && param[0] === '"' && param[param.length - 1] === '"' && isDigits(param.slice(1, -1), 4, 8);
    case "number":
      return param.length >= 10 && param.slice(0, 2) === '"+' && param[param.length - 1] === '"' && isDigits(param.slice(2, -1), 7, 15);
    case "gpio-high":
      return param.endsWith(",1,1") && isDigits(param.slice(0, -4), 1, 3);
    case "ussd":
      return /^"([*#][0-9]{2,4}#|\*[0-9]{2,4}\*[0-9]{1,2}#)",15$/.test(param);
  }
}

/** True when `command` (without the CR) is on the allow list. */
export function isAllowedAtCommand(command: string): boolean {
  for (let i = 0; i < ALLOWED.length; i++) {
    const [fixed, form] = ALLOWED[i]!;
    if (command.startsWith(fixed) && paramMatches(command.slice(fixed.length), form)) return true;
  }
  return false;
}

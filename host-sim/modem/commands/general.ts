/**
 * General commands: the basic ones (ATE, ATI, ATZ, AT&F, AT&W, ATV, ATQ), identification
 * (CGMI/GMI, CGMM/GMM, CGMR/GMR, CGSN/GSN), AT+CMEE, AT+CSQ, AT+CFUN, the resets and power-offs
 * (CRESET, CPOF, CPOWD, QPOWD), AT+IPR and AT+CCLK. Dialect differences come from the profile.
 */
import { type Arg, PLAIN_ERROR, cme, formatAtTimestamp, intArg, parseAtTimestamp } from "../at-syntax.ts";
import { fillIdentity } from "../profiles.ts";
import type { Form, ModemContext, SubResult } from "./context.ts";

export type GeneralContext = Pick<
  ModemContext,
  | "profile"
  | "identity"
  | "timing"
  | "baud"
  | "fixedBaud"
  | "clock"
  | "network"
  | "radio"
  | "rtc"
  | "settings"
  | "defaultSettings"
  | "schedule"
  | "reboot"
  | "powerOff"
  | "powerDown"
  | "scheduleRegistration"
  | "stopRegistration"
  | "applyRegistration"
>;

/** Basic commands: "", E0, E1, I, Z, &F, &W, V1, Q0 (several may follow each other: "E0V1"). */
export function basicCommand(m: GeneralContext, text: string): SubResult {
  const blocks: string[] = [];
  let rest = text.toUpperCase();
  while (rest.length > 0) {
    const match = /^(&?[A-Z])(\d*)/.exec(rest);
    if (!match) return { error: PLAIN_ERROR };
    const [whole, name, digits] = match as unknown as [string, string, string];
    rest = rest.slice(whole.length);
    const n = digits === "" ? 0 : Number(digits);
    switch (name) {
      case "E":
        if (n > 1) return { error: PLAIN_ERROR };
        m.settings.echo = n === 1;
        break;
      case "I":
        blocks.push(fillIdentity(m.profile.atiTemplate, m.identity));
        break;
      case "Z":
      case "&F":
        m.settings = { ...m.defaultSettings(), echo: m.settings.echo };
        break;
      case "&W":
        break;
      case "V":
        if (n !== 1) return { error: PLAIN_ERROR }; // numeric result codes are not modelled
        break;
      case "Q":
        if (n !== 0) return { error: PLAIN_ERROR };
        break;
      default:
        return { error: PLAIN_ERROR }; // includes D (calls are not modelled)
    }
  }
  return { blocks };
}

/** Answer a general extended command, or undefined when `name` is not one (the dispatcher goes on). */
export function generalCommand(m: GeneralContext, name: string, form: Form, args: Arg[]): SubResult | undefined {
  const simcom = m.profile.manufacturer !== "Quectel";
  switch (name) {
    case "CGMI":
    case "GMI":
      return form === "exec" ? { blocks: [m.profile.manufacturer] } : form === "test" ? {} : { error: PLAIN_ERROR };
    case "CGMM":
    case "GMM":
      return form === "exec" ? { blocks: [m.identity.model] } : form === "test" ? {} : { error: PLAIN_ERROR };
    case "CGMR":
    case "GMR":
      return form === "exec" ? { blocks: [fillIdentity(m.profile.cgmrTemplate, m.identity)] } : form === "test" ? {} : { error: PLAIN_ERROR };
    case "CGSN":
    case "GSN":
      return form === "exec" ? { blocks: [m.identity.imei] } : form === "test" ? {} : { error: PLAIN_ERROR };
    case "CMEE":
      return cmdCmee(m, form, args);
    case "CSQ":
      if (form === "exec") return { blocks: [`+CSQ: ${m.radio.rssi},${m.radio.ber}`] };
      return form === "test" ? { blocks: ["+CSQ: (0-31,99),(0-7,99)"] } : { error: PLAIN_ERROR };
    case "CFUN":
      return cmdCfun(m, form, args);
    case "CRESET":
      if (!simcom || form !== "exec") return { error: PLAIN_ERROR };
      return { after: () => m.schedule(m.timing.resetAfterOkMs, () => m.reboot()) };
    case "CPOF":
      if (m.profile.powerOffCommand !== "CPOF" || form !== "exec") return { error: PLAIN_ERROR };
      return { after: () => m.schedule(m.timing.resetAfterOkMs, () => m.powerOff()) };
    case "CPOWD": {
      if (m.profile.powerOffCommand !== "CPOWD" || form !== "set") return { error: PLAIN_ERROR };
      const urgent = intArg(args[0]) === 0;
      // SIM800: "NORMAL POWER DOWN" instead of OK; urgent (0) says nothing.
      return { noFinal: true, after: () => (urgent ? m.powerOff() : m.powerDown(false)) };
    }
    case "QPOWD":
      if (m.profile.powerOffCommand !== "QPOWD") return { error: PLAIN_ERROR };
      if (form === "set" && intArg(args[0]) === 0) return { after: () => m.powerOff() };
      return form === "exec" || form === "set" ? { after: () => m.powerDown(false) } : {};
    case "IPR":
      if (form === "read") return { blocks: [`+IPR: ${m.fixedBaud || m.profile.name !== "sim800" ? m.baud : 0}`] };
      return form === "exec" ? { error: PLAIN_ERROR } : {};
    case "CCLK":
      return cmdCclk(m, form, args);
    default:
      return undefined;
  }
}

function cmdCmee(m: GeneralContext, form: Form, args: Arg[]): SubResult {
  if (form === "read") return { blocks: [`+CMEE: ${m.settings.cmee}`] };
  if (form === "test") return { blocks: ["+CMEE: (0-2)"] };
  const v = form === "exec" ? 0 : intArg(args[0]);
  if (v === undefined || v > 2 || args.length > 1) return { error: PLAIN_ERROR };
  m.settings.cmee = v as 0 | 1 | 2;
  return {};
}

function cmdCfun(m: GeneralContext, form: Form, args: Arg[]): SubResult {
  if (form === "read") return { blocks: [`+CFUN: ${m.radio.cfun}`] };
  if (form === "test") return { blocks: ["+CFUN: (0,1,4),(0,1)"] };
  if (form !== "set") return { error: PLAIN_ERROR };
  const fun = intArg(args[0]);
  const rst = args[1] === undefined ? 0 : intArg(args[1]);
  if (fun === undefined || ![0, 1, 4].includes(fun) || rst === undefined || rst > 1) return { error: cme(3) };
  if (rst === 1) {
    if (fun !== 1) return { error: cme(3) };
    return { after: () => m.schedule(m.timing.resetAfterOkMs, () => m.reboot()) };
  }
  if (fun === m.radio.cfun) return {};
  m.radio.cfun = fun;
  if (fun === 1) m.scheduleRegistration();
  else {
    m.stopRegistration();
    m.applyRegistration(0);
  }
  return {};
}

/** The modem's clock base: network time once registered (NITZ), otherwise the profile's epoch + uptime. */
function clockBaseUtcMs(m: GeneralContext): number {
  return m.rtc.synced ? m.network.utcMs() : m.profile.unsyncedClockUtcMs + (m.clock.nowMs - m.rtc.uartOnAtMs);
}

function cmdCclk(m: GeneralContext, form: Form, args: Arg[]): SubResult {
  const zone = m.rtc.zone ?? (m.rtc.synced ? m.network.timeZoneQuarterHours : 0);
  if (form === "read") return { blocks: [`+CCLK: "${formatAtTimestamp(clockBaseUtcMs(m) + m.rtc.offsetMs, zone)}"`] };
  if (form === "test") return {};
  if (form !== "set" || !args[0]?.quoted) return { error: cme(3) };
  const parsed = parseAtTimestamp(args[0].value);
  if (!parsed) return { error: cme(3) };
  m.rtc.offsetMs = parsed.utcMs - clockBaseUtcMs(m);
  m.rtc.zone = parsed.zone;
  return {};
}

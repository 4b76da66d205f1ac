/**
 * SIM and network registration commands: AT+CIMI, the ICCID (CICCID / CCID / QCCID), AT+CPIN
 * (PIN and PUK with their tries), the PIN counters (SIMCom AT+SPIC, Quectel AT+QPINC),
 * AT+CREG / AT+CGREG / AT+CEREG, and the serving-cell commands (AT+COPS, AT+CPSI, AT+QENG, whose
 * answers are in cell-commands.ts). Also the +CxREG text (with the location where <n>=2) that
 * VirtualModem's registration URCs use.
 */
import { type Arg, type ErrorReply, PLAIN_ERROR, cme, intArg } from "../at-syntax.ts";
import type { RegistrationKind } from "../modem-types.ts";
import { cellCommand, registrationLocation } from "./cell-commands.ts";
import { type Form, type ModemContext, PIN_TRIES, PUK_TRIES, type SubResult } from "./context.ts";

export type SimRegistrationContext = Pick<
  ModemContext,
  "profile" | "sim" | "radio" | "settings" | "smsCapable" | "urc" | "runAfterSimLines" | "scheduleRegistration"
>;

/** Answer a SIM / registration / cell command, or undefined when `name` is not one (the dispatcher goes on). */
export function simRegistrationCommand(m: SimRegistrationContext, name: string, form: Form, args: Arg[]): SubResult | undefined {
  const quectel = m.profile.manufacturer === "Quectel";
  const simcom = !quectel;
  switch (name) {
    case "CIMI": {
      const gate = simGate(m);
      if (gate) return { error: gate };
      return form === "exec" ? { blocks: ["310260000000017"] } : { error: PLAIN_ERROR };
    }
    case "CICCID":
    case "CCID":
    case "QCCID": {
      const gate = simGate(m);
      if (gate) return { error: gate };
      if (form !== "exec") return { error: PLAIN_ERROR };
      return { blocks: [name === "CCID" ? "89012600000000000170" : `+${name === "QCCID" ? "QCCID" : "ICCID"}: 89012600000000000170`] };
    }
    case "CPIN":
      return cmdCpin(m, form, args);
    case "SPIC":
      if (!simcom || form !== "exec") return { error: PLAIN_ERROR };
      return { blocks: [`+SPIC: ${m.sim.pinTriesLeft},${m.sim.pukTriesLeft},3,10`] };
    case "QPINC":
      if (!quectel) return { error: PLAIN_ERROR };
      return form === "read" || form === "set" ? { blocks: [`+QPINC: "SC",${m.sim.pinTriesLeft},${m.sim.pukTriesLeft}`] } : {};
    case "CREG":
    case "CGREG":
    case "CEREG":
      return cmdReg(m, name, form, args);
    case "COPS":
    case "CPSI":
    case "QENG":
      return cellCommand(name, form, args, {
        profile: m.profile,
        cell: m.radio.cell,
        registered: m.smsCapable(),
        copsFormat: m.settings.copsFormat,
        setCopsFormat: (format) => (m.settings.copsFormat = format),
      })!;
    default:
      return undefined;
  }
}

/** The error a SIM command gets now, or undefined when the SIM is readable. */
function simGate(m: SimRegistrationContext): ErrorReply | undefined {
  if (!m.sim.read) return cme(14);
  if (!m.sim.inserted) return cme(10);
  if (m.sim.lock === "pin") return cme(11);
  if (m.sim.lock === "puk") return cme(12);
  if (m.sim.lock === "blocked") return cme(13);
  return undefined;
}

function cmdCpin(m: SimRegistrationContext, form: Form, args: Arg[]): SubResult {
  const sim = m.sim;
  if (form === "test") return {};
  if (!sim.read) return { error: cme(14) };
  if (!sim.inserted) return { error: cme(10) };
  if (form === "read") {
    const state = { none: "READY", pin: "SIM PIN", puk: "SIM PUK", blocked: "SIM PUK" }[sim.lock];
    if (sim.lock === "blocked") return { error: cme(13) };
    return { blocks: [`+CPIN: ${state}`] };
  }
  if (form !== "set") return { error: PLAIN_ERROR };
  const given = args[0]?.value ?? "";
  switch (sim.lock) {
    case "none":
      return { error: cme(3) }; // no PIN is asked for
    case "blocked":
      return { error: cme(13) };
    case "pin":
      if (given === sim.pin) {
        sim.pinTriesLeft = PIN_TRIES;
        return { after: () => unlockSim(m) };
      }
      if (--sim.pinTriesLeft <= 0) {
        sim.lock = "puk";
        return { error: cme(16), after: undefined };
      }
      return { error: cme(16) };
    case "puk": {
      const newPin = args[1]?.value;
      if (given === sim.puk && newPin) {
        sim.pin = newPin;
        sim.pinTriesLeft = PIN_TRIES;
        sim.pukTriesLeft = PUK_TRIES;
        return { after: () => unlockSim(m) };
      }
      if (--sim.pukTriesLeft <= 0) sim.lock = "blocked";
      return { error: cme(16) };
    }
  }
}

function unlockSim(m: SimRegistrationContext): void {
  m.sim.lock = "none";
  m.urc("+CPIN: READY");
  m.runAfterSimLines();
  m.scheduleRegistration();
}

/** "<stat>" (URC) or "<n>,<stat>" (read), with the location when <n>=2 and registered. */
export function regDetail(m: Pick<ModemContext, "profile" | "radio" | "settings">, kind: RegistrationKind, read: boolean): string {
  const n = m.settings.regUrc[kind];
  const stat = m.radio.reg[kind];
  let s = read ? `${n},${stat}` : `${stat}`;
  if (n === 2 && (stat === 1 || stat === 5)) s += registrationLocation(m.radio.cell, m.profile, kind !== "CREG");
  return s;
}

function cmdReg(m: SimRegistrationContext, kind: RegistrationKind, form: Form, args: Arg[]): SubResult {
  if (form === "read") return { blocks: [`+${kind}: ${regDetail(m, kind, true)}`] };
  if (form === "test") return { blocks: [`+${kind}: (0-2)`] };
  const v = form === "exec" ? 0 : intArg(args[0]);
  if (v === undefined || v > 2) return { error: cme(3) };
  m.settings.regUrc[kind] = v;
  return {};
}

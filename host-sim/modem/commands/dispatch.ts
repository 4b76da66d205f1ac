/**
 * One AT command line → its outcome: the line is split into its commands ("AT+CMGF=1;+CNMI=2,1"),
 * each parsed into name, form (exec, read, test, set) and arguments and handed to the command
 * families in turn (basic commands, general, GNSS, SIM and registration, SMS settings, storage,
 * sending); the first error ends the line. A new command family is one more line in `extended`.
 */
import { PLAIN_ERROR, parseArgs, splitCommands } from "../at-syntax.ts";
import type { Form, ModemContext, SubResult } from "./context.ts";
import { basicCommand, generalCommand } from "./general.ts";
import { gnssCommand } from "./gnss.ts";
import { simRegistrationCommand } from "./sim-registration.ts";
import { cmdCmgs } from "./sms-send.ts";
import { SMS_COMMANDS, smsGate, smsSettingsCommand } from "./sms-settings.ts";
import { smsStorageCommand } from "./sms-storage.ts";

/** Execute `line` (starting with "AT"): the blocks of every command, then an error, a prompt, or success. */
export function executeLine(c: ModemContext, line: string): SubResult {
  const parts = splitCommands(line.slice(2));
  const blocks: string[] = [];
  const afters: Array<() => void> = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const result = part.startsWith("+") || part.startsWith("*") || part.startsWith("$") ? extended(c, part) : basicCommand(c, part);
    blocks.push(...(result.blocks ?? []));
    if (result.error) return { blocks, error: result.error };
    if (result.after) afters.push(result.after);
    if (result.noFinal) return { blocks, noFinal: true, after: () => afters.forEach((a) => a()) };
    if (result.prompt) {
      if (i !== parts.length - 1) return { blocks, error: PLAIN_ERROR };
      return { blocks, prompt: result.prompt };
    }
  }
  return { blocks, after: afters.length ? () => afters.forEach((a) => a()) : undefined };
}

/** An extended command ("+NAME", "*NAME", "$NAME" with "?", "=?" or "=<args>"). */
function extended(c: ModemContext, text: string): SubResult {
  const m = /^([+*$][A-Za-z0-9]+)(=\?|\?|=(.*))?$/s.exec(text);
  if (!m) return { error: PLAIN_ERROR };
  const name = m[1]!.slice(1).toUpperCase();
  const form: Form = m[2] === undefined ? "exec" : m[2] === "?" ? "read" : m[2] === "=?" ? "test" : "set";
  const args = form === "set" ? parseArgs(m[3] ?? "") : [];
  if (SMS_COMMANDS.has(name)) {
    const gate = smsGate(c);
    if (gate) return { error: gate };
  }
  if (name === "CMGS" || name === "CMGW") return cmdCmgs(c, form, args, name === "CMGS" ? "send" : "write");
  // Each family answers its own commands and undefined for the others.
  return (
    generalCommand(c, name, form, args) ??
    gnssCommand(c, name, form, args) ??
    simRegistrationCommand(c, name, form, args) ??
    smsSettingsCommand(c, name, form, args) ??
    smsStorageCommand(c, name, form, args) ?? { error: PLAIN_ERROR }
  );
}

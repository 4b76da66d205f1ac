/**
 * HELP: the commands the sender's role may use, with the spellings WHERE accepts; HELP <command>:
 * how to use one. Each reply is one GSM-7 SMS (160 characters at most, none from the extension
 * table, which text mode cannot always send; test/commands checks every one).
 */
import type { Role } from "../auth/user-list";
import type { CommandName } from "./command-parser";

/** The commands each role may use, in the order HELP lists them. */
const ROLE_COMMANDS: { readonly [R in Role]: readonly CommandName[] } = Object.freeze({
  owner: Object.freeze(["WHERE", "STATUS", "TRACK", "ARM", "DISARM", "FENCE", "SPEED", "LIST", "WHO", "ALERTS", "ADD", "DEL", "PIN", "OWNER", "RESET", "SECURE", "TZ", "UNITS"] as const),
  admin: Object.freeze(["WHERE", "STATUS", "TRACK", "ARM", "DISARM", "FENCE", "SPEED", "LIST", "WHO", "ALERTS", "ADD", "DEL", "TZ", "UNITS"] as const),
  user: Object.freeze(["WHERE", "STATUS", "TRACK", "LIST", "ALERTS"] as const),
});

/** How to use each command (HELP <command>). */
const USAGE: { readonly [C in CommandName]: string } = Object.freeze({
  WHERE: "WHERE (or LOC, POS, \"where's my car?\", a pin emoji): the position, how old and how accurate it is, and a map link.",
  HELP: "HELP: the commands you may use. HELP <command>: how to use one, e.g. HELP ADD.",
  ARM: "ARM: when the parked vehicle moves (driven or towed), an alert, then its position every 2 min for 30 min. DISARM stops it.",
  DISARM: "DISARM: no more movement alerts, and the positions after one stop.",
  LIST: "LIST: every number that may use this tracker, masked, with its role and whether it gets alerts.",
  WHO: "WHO: the last locations and alerts sent, to which number and when.",
  ALERTS: "ALERTS ON or ALERTS OFF: whether your number receives this tracker's alerts.",
  ADD: "ADD <number> (name) (admin) <PIN>, e.g. ADD +447700900123 Anna 2468. For a number already listed, ADD <number> admin <PIN> (or user) changes its role.",
  DEL: "DEL <number or name> <PIN>, e.g. DEL Anna 2468. Every registered number is told.",
  PIN: "PIN <old PIN> <new PIN>: a new PIN of 4 to 8 digits.",
  OWNER: "OWNER <number> <PIN>: offer the tracker to another number; it becomes the owner if it replies ACCEPT <code> <new PIN> within 10 min.",
  ACCEPT: "ACCEPT <code> <new PIN>: take over a tracker offered to your number.",
  RESET: "RESET <PIN>, then RESET <code> within 2 min: erase every number, the PIN and the settings (the tracker is then unclaimed).",
  SECURE: "SECURE ON <PIN> or SECURE OFF <PIN>: whether every command needs the PIN as its last word.",
  CLAIM: "CLAIM <setup code> <new PIN>: become the owner of an unclaimed tracker (the code is on its label).",
  STATUS: "STATUS: GNSS, signal, power and backup battery, what is armed, fenced, tracked or limited, SMS left today, uptime, version.",
  TRACK: "TRACK <minutes> (count) (distance): positions to you, e.g. TRACK 5 20 500m (every 5 min, 20 times, when moved 500 m). TRACK OFF stops.",
  FENCE: "FENCE <radius m> (around the vehicle now) or FENCE <lat>,<lon> <radius m>: an alert when it leaves or comes back. FENCE OFF removes it.",
  SPEED: "SPEED <limit>, e.g. SPEED 110 or SPEED 70mph: an alert with the top speed and where, once each time it is passed. SPEED OFF removes it.",
  UNITS: "UNITS METRIC (km/h, m) or UNITS IMPERIAL (mph, ft): how replies and alerts give speeds and distances.",
  TZ: "TZ <zone>: local times in replies, e.g. TZ CET, TZ PACIFIC, TZ UK (with summer time), TZ +05:30, TZ UTC.",
});

/** The HELP text for `role`; `secure`: every command needs the PIN as its last word (SECURE ON). */
export function helpReply(role: Role, secure: boolean): string {
  // (the owner's list fills an SMS: HELP WHERE gives WHERE's other spellings)
  return `${secure ? "Commands, PIN last" : "Commands"}: ${ROLE_COMMANDS[role].join(", ")}. HELP <command> says how.`;
}

/** HELP <command>: its usage, or why not (a command this role may not use). */
export function commandHelp(role: Role, command: CommandName): string {
  const mayUse = ROLE_COMMANDS[role].indexOf(command) >= 0 || command === "HELP" || command === "ACCEPT" || command === "CLAIM";
  return mayUse ? USAGE[command] : `${command} is not for your number. Send HELP for the commands you can use.`;
}

/**
 * The numbers besides the owner that may use the tracker: at most 9, each with a name, a role and
 * an alert subscription, kept in one settings value as text:
 *
 *   "+447700900123,Anna,admin,on;+14085550123,Bob,user,off"
 *
 * Numbers are E.164; names are 1 to 12 characters (a letter, then letters, digits, "." "_" "-"), so
 * neither separator can occur in them and a name is never mistaken for a number or a PIN.
 */
import { toE164 } from "./phone-number";

/** Who a registered number is: the owner (one), an admin (may add and remove users), a user. */
export type Role = "owner" | "admin" | "user";

/** One registered number. */
export interface Member {
  /** E.164 ("+447700900123"). */
  readonly number: string;
  /** "owner" for the owner; else the name given when it was added. */
  readonly name: string;
  readonly role: Role;
  /** True when this number receives alerts (ALERTS ON). */
  readonly alerts: boolean;
}

/** Numbers besides the owner, at most. */
export const MAX_OTHER_NUMBERS = 9;
/** Longest name, in characters. */
export const MAX_NAME_CHARS = 12;

/** Words that would read as a role, never names. */
const RESERVED_NAMES = Object.freeze(["ADMIN", "USER", "OWNER"]);

/** True for a name a number can be given: a letter first, then letters, digits, ".", "_" or "-"; 12 at most; no role word. */
export function isValidName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._-]{0,11}$/.test(name) && RESERVED_NAMES.indexOf(name.toUpperCase()) < 0;
}

/** The stored form of `members` (the owner is not part of it). */
export function encodeMembers(members: readonly Member[]): string {
  return members.map((m) => `${m.number},${m.name},${m.role},${m.alerts ? "on" : "off"}`).join(";");
}

/**
 * The members a stored value holds, numbers normalised with `homeCountryCode`; a string with the
 * reason when the value is not a valid list (bad entry, duplicate number or name, too many).
 */
export function decodeMembers(text: string, homeCountryCode: string): Member[] | string {
  if (text === "") return [];
  const entries = text.split(";");
  if (entries.length > MAX_OTHER_NUMBERS) return `at most ${MAX_OTHER_NUMBERS} numbers besides the owner`;
  const members: Member[] = [];
  for (const entry of entries) {
    const fields = entry.split(",");
    if (fields.length !== 4) return `'${entry}' is not number,name,role,alerts`;
    const [rawNumber, name, role, alerts] = fields as [string, string, string, string];
    const number = toE164(rawNumber, homeCountryCode);
    if (number === undefined) return `'${rawNumber}' is not a phone number`;
    if (!isValidName(name)) return `'${name}' is not a valid name`;
    if (role !== "admin" && role !== "user") return `'${role}' is not a role (admin or user)`;
    if (alerts !== "on" && alerts !== "off") return `alerts must be on or off`;
    for (const m of members) {
      if (m.number === number) return `${number} is listed twice`;
      if (m.name.toUpperCase() === name.toUpperCase()) return `the name ${name} is used twice`;
    }
    members.push({ number, name, role, alerts: alerts === "on" });
  }
  return members;
}

/**
 * The HELP reply: the commands the sender's role may use, with the spellings accepted for WHERE,
 * in one GSM-7 SMS (160 characters at most, none from the extension table, which text mode cannot
 * always send; test/commands checks every role and mode).
 */
import type { Role } from "../auth/user-list";

/** WHERE and the other spellings it accepts (command-parser's aliases). */
const WHERE = "WHERE/LOC/POS/where's it?/pin emoji";
/** What the owner may send besides WHERE. */
const OWNER_COMMANDS = "LIST WHO ALERTS on/off ADD no (name) (admin) PIN DEL no/name PIN PIN old new OWNER no PIN RESET PIN SECURE on/off PIN";

/** The HELP text for `role`; `secure`: every command needs the PIN as its last word (SECURE ON). */
export function helpReply(role: Role, secure: boolean): string {
  switch (role) {
    case "owner":
      // (secure mode's note takes the place of the longer WHERE spellings)
      return secure ? `WHERE/LOC ${OWNER_COMMANDS}. Secure: end all with PIN` : `${WHERE} ${OWNER_COMMANDS}`;
    case "admin":
      return `Commands: ${WHERE}, LIST, WHO, ALERTS on/off, ADD number (name) PIN, DEL number/name PIN, HELP.${secure ? " Secure: end all with PIN" : ""}`;
    case "user":
      return `Commands: ${WHERE} - position, map link. LIST - who uses this tracker. ALERTS on/off. HELP.${secure ? " Secure: end all with PIN" : ""}`;
  }
}

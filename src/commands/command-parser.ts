/**
 * SMS command parsing: case- and whitespace-insensitive, tolerant of the way people write on a
 * phone ("where", " Where? ", "WHERE.", "Where's my car?", "“where”", "📍"). Only the first word
 * decides the command. The text is data: nothing here executes or forwards it.
 */

/** Commands the tracker understands. */
export type CommandName =
  | "WHERE"
  | "HELP"
  | "CLAIM"
  | "ADD"
  | "DEL"
  | "LIST"
  | "PIN"
  | "OWNER"
  | "ACCEPT"
  | "RESET"
  | "SECURE"
  | "ALERTS"
  | "WHO"
  | "ARM"
  | "DISARM"
  | "STATUS"
  | "TRACK"
  | "FENCE"
  | "SPEED"
  | "UNITS"
  | "TZ";

export type ParsedCommand =
  | { kind: "command"; name: CommandName; args: string[] }
  | { kind: "empty" }
  | { kind: "unknown"; word: string };

/** Accepted spellings (upper case, after normaliseWord) → command. README and HELP list them. */
const ALIASES: Readonly<Record<string, CommandName>> = Object.freeze({
  WHERE: "WHERE",
  WHERES: "WHERE", // "Wheres my car" (apostrophe left out)
  LOC: "WHERE",
  LOCATION: "WHERE",
  POS: "WHERE",
  "\u{1F4CD}": "WHERE", // round pushpin emoji
  HELP: "HELP",
  "?": "HELP",
  CLAIM: "CLAIM",
  ADD: "ADD",
  DEL: "DEL",
  DELETE: "DEL",
  REMOVE: "DEL",
  LIST: "LIST",
  USERS: "LIST",
  PIN: "PIN",
  OWNER: "OWNER",
  ACCEPT: "ACCEPT",
  RESET: "RESET",
  SECURE: "SECURE",
  ALERTS: "ALERTS",
  ALERT: "ALERTS",
  WHO: "WHO",
  ARM: "ARM",
  DISARM: "DISARM",
  STATUS: "STATUS",
  TRACK: "TRACK",
  FENCE: "FENCE",
  GEOFENCE: "FENCE",
  SPEED: "SPEED",
  UNITS: "UNITS",
  UNIT: "UNITS",
  TZ: "TZ",
  TIMEZONE: "TZ",
});

/** Longest word echoed back in an error reply (keeps replies within one SMS). */
const MAX_ECHO_CHARS = 16;

/** Blanks and control characters (C0, DEL) separate words: "WHERE\x1a" is WHERE, never part of a word. */
function isSpace(ch: string): boolean {
  return ch <= " " || ch === "\x7f";
}

/** Split on whitespace, walking code points (same result on XS and V8). */
function words(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const ch of text) {
    if (isSpace(ch)) {
      if (current) out.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Marks a phone may put before a word: quotes (straight and curly), Spanish openers, brackets. */
const LEADING_MARKS = "\"'\u2018\u201c\u00bf\u00a1([";
/** Marks after a word: sentence punctuation, quotes, brackets. */
const TRAILING_MARKS = ".!,;:?\"'\u2019\u201d)]";

/**
 * The first word as a command name: marks around it dropped ("“where?!”" → "where", but "??" →
 * "?": a word of marks keeps its first one), a possessive "'s" dropped ("Where's" → "Where"), an
 * emoji's variation selector dropped, upper case.
 */
function normaliseWord(word: string): string {
  let start = 0;
  let end = word.length;
  // Stryker disable next-line ConditionalExpression, EqualityOperator, ArithmeticOperator: dropping a last leading mark as well leaves "" for that mark: neither is a command
  while (end - start > 1 && LEADING_MARKS.includes(word[start]!)) start++;
  while (end - start > 1 && TRAILING_MARKS.includes(word[end - 1]!)) end--;
  let name = word.slice(start, end).replace("\ufe0f", "").toUpperCase();
  // Stryker disable next-line ConditionalExpression, EqualityOperator: the only 2-character names it changes, 'S and ’S, become "": no command either way
  if (name.length > 2 && (name.endsWith("'S") || name.endsWith("\u2019S"))) name = name.slice(0, -2);
  return name;
}

/**
 * An argument without the marks a phone adds around words ("1234." → "1234", "“Anna”" → "Anna");
 * "+" and brackets inside a number stay (the number parser reads them).
 */
function trimMarks(word: string): string {
  let start = 0;
  let end = word.length;
  // Stryker disable next-line ConditionalExpression, EqualityOperator: at start === end, word[start] is undefined: the loop stops there anyway
  while (end > start && ARG_LEADING_MARKS.includes(word[start]!)) start++;
  // Stryker disable next-line ConditionalExpression, EqualityOperator: past start, slice(start, end) is "" all the same
  while (end > start && ARG_TRAILING_MARKS.includes(word[end - 1]!)) end--;
  return word.slice(start, end);
}

/** Marks dropped before an argument (not "(": a number may start with its area code in brackets). */
const ARG_LEADING_MARKS = "\"'\u2018\u201c\u00bf\u00a1";
/** Marks dropped after an argument (not ")": "(408)" keeps its bracket). */
const ARG_TRAILING_MARKS = ".!,;:?\"'\u2019\u201d";

/** Parse an SMS body into a command. Never throws. */
export function parseCommand(text: string): ParsedCommand {
  const parts = words(text);
  if (parts.length === 0) return { kind: "empty" };
  const name = ALIASES[normaliseWord(parts[0]!)];
  if (name) return { kind: "command", name, args: parts.slice(1).map(trimMarks).filter((arg) => arg !== "") };
  return { kind: "unknown", word: printable(parts[0]!, MAX_ECHO_CHARS) };
}

/** Keep only printable ASCII from untrusted text, at most `max` characters (for echoing in replies). */
export function printable(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    if (out.length >= max) return out + "...";
    if (ch >= " " && ch <= "~" && ch !== "'" && ch !== '"') out += ch;
  }
  return out;
}

/**
 * SMS command parsing: case- and whitespace-insensitive, tolerant of trailing punctuation
 * ("where", " Where? ", "WHERE."). The text is data: nothing here executes or forwards it.
 */

/** Commands the tracker understands. */
export type CommandName = "WHERE" | "HELP";

export type ParsedCommand =
  | { kind: "command"; name: CommandName; args: string[] }
  | { kind: "empty" }
  | { kind: "unknown"; word: string };

/** Accepted spellings → command. */
const ALIASES: Readonly<Record<string, CommandName>> = Object.freeze({
  WHERE: "WHERE",
  LOC: "WHERE",
  LOCATION: "WHERE",
  POS: "WHERE",
  HELP: "HELP",
  "?": "HELP",
});

/** Longest word echoed back in an error reply (keeps replies within one SMS). */
const MAX_ECHO_CHARS = 16;

function isSpace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n" || ch === "\f" || ch === "\v";
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

/** "where?!" → "where", "??" → "?" (a word of punctuation keeps its first mark). */
function stripTrailingPunctuation(word: string): string {
  let end = word.length;
  while (end > 1 && ".!,;:?".includes(word[end - 1]!)) end--;
  return word.slice(0, end);
}

/** Parse an SMS body into a command. Never throws. */
export function parseCommand(text: string): ParsedCommand {
  const parts = words(text);
  if (parts.length === 0) return { kind: "empty" };
  const word = stripTrailingPunctuation(parts[0]!).toUpperCase();
  const name = ALIASES[word];
  if (name) return { kind: "command", name, args: parts.slice(1) };
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

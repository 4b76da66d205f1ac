/**
 * The provisioning console's line protocol (docs/console-protocol.md): one command per line, in
 * any case, words separated by blanks; every answer is zero or more data lines, then exactly one
 * final line:
 *   +<key>: <value>                       a fact (HELLO, STATUS, HELP, SET ...)
 *   +check: <PASS|WARN|FAIL|SKIP> <id> <detail>[ -- <advice>]    one self-test check (SELFTEST)
 *   OK[ <summary>]                        the command is done
 *   ERR <code>[: <text>]                  it was refused (codes: CONSOLE_ERRORS)
 * and, unasked, `+ready: ...` when the console starts. Anything else on the line (boot messages,
 * log lines) is not the console's: tools skip it. No line ever holds the PIN or a position.
 */

/** A parsed command line: its verb (one or two words, upper case: "SET OWNER", "FACTORY RESET") and the words after it. */
export interface ConsoleCommand {
  readonly verb: string;
  readonly args: readonly string[];
}

/** Verbs whose first word takes a second one to name the command. */
const TWO_WORD_VERBS: readonly string[] = Object.freeze(["SET", "FACTORY"]);

/** Words of `text` split at blanks (spaces, tabs). */
function words(text: string): string[] {
  return text.split(/[ \t]+/).filter((w) => w !== "");
}

/** Parse one command line; undefined for a blank line. */
export function parseConsoleCommand(text: string): ConsoleCommand | undefined {
  const all = words(text);
  if (all.length === 0) return undefined;
  const first = all[0]!.toUpperCase();
  if (TWO_WORD_VERBS.indexOf(first) >= 0 && all.length >= 2) return { verb: `${first} ${all[1]!.toUpperCase()}`, args: all.slice(2) };
  return { verb: first, args: all.slice(1) };
}

/** Error codes of ERR lines (the word after ERR; the text after it is for people). */
export type ConsoleError =
  /** the verb is not a command */
  | "unknown"
  /** wrong number or form of arguments */
  | "usage"
  /** claimed and not unlocked: UNLOCK <PIN> first */
  | "locked"
  /** the PIN was wrong, missing or PIN checks are locked out (the text says which) */
  | "pin"
  /** SET OWNER needs a PIN set first */
  | "no-pin"
  /** the device already has an owner */
  | "claimed"
  /** the value was refused (the text says why) */
  | "invalid"
  /** the settings could not be written */
  | "store"
  /** a self-test is running */
  | "busy"
  /** the line was too long or not ASCII */
  | "line";

/** Keep a value on one line: control characters become blanks. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, " ");
}

/** `+key: value` */
export function dataLine(key: string, value: string): string {
  return `+${key}: ${oneLine(value)}`;
}

/** `OK` or `OK summary` */
export function okLine(summary = ""): string {
  return summary === "" ? "OK" : `OK ${oneLine(summary)}`;
}

/** `ERR code` or `ERR code: text` */
export function errLine(code: ConsoleError, text = ""): string {
  return text === "" ? `ERR ${code}` : `ERR ${code}: ${oneLine(text)}`;
}

/** A self-test verdict: PASS (fine), WARN (works, but look at it), FAIL (will not work), SKIP (not checked, and why). */
export type CheckVerdict = "PASS" | "WARN" | "FAIL" | "SKIP";

/** One self-test check's result. */
export interface CheckResult {
  /** Short lower-case name ("sim", "signal", "sms-loopback", ...). */
  readonly id: string;
  readonly verdict: CheckVerdict;
  /** What was found, e.g. "-71 dBm (good)". */
  readonly detail: string;
  /** What to do about it ("" when nothing). */
  readonly advice: string;
}

/** `+check: PASS signal -71 dBm (good)` / `... -- advice` */
export function checkLine(result: CheckResult): string {
  const advice = result.advice === "" ? "" : ` -- ${result.advice}`;
  return dataLine("check", `${result.verdict} ${result.id} ${result.detail}${advice}`);
}

/**
 * Command-line parsing for every `tracker` command, with Node's `util.parseArgs` in strict mode: an
 * option the command does not know, a value missing or a value given to a flag is a UsageError
 * naming it (exit code 2), never silently ignored.
 */
import { parseArgs as nodeParseArgs } from "node:util";

export interface ParsedArgs {
  /** The command first ("run"), then its other positional arguments. */
  positional: string[];
  /** Options given: a string value, or true for a flag. */
  options: Map<string, string | true>;
}

/** The options a command accepts: those that take a value, and flags. (--help / -h: every command.) */
export interface OptionSpec {
  readonly values?: readonly string[];
  readonly flags?: readonly string[];
}

/** Parse `argv` (the command first) against `spec`; throws UsageError on anything not in it. */
export function parseArgs(argv: readonly string[], spec: OptionSpec = {}): ParsedArgs {
  type NodeOptions = NonNullable<Parameters<typeof nodeParseArgs>[0]>["options"];
  const options: NodeOptions = { help: { type: "boolean", short: "h" } };
  for (const name of spec.values ?? []) options[name] = { type: "string" };
  for (const name of spec.flags ?? []) options[name] = { type: "boolean" };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(usageMessage(e, spec));
  }
  const map = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === "string") map.set(name, value);
    else if (value === true) map.set(name, true);
  }
  return { positional: parsed.positionals, options: map };
}

/** Node's parse error as one line naming the option, and the options the command does accept. */
function usageMessage(e: unknown, spec: OptionSpec): string {
  const message = e instanceof Error ? e.message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "") : String(e);
  const known = [...(spec.values ?? []).map((n) => `--${n} <value>`), ...(spec.flags ?? []).map((n) => `--${n}`)];
  return `${message}${known.length ? ` (this command takes ${known.join(", ")})` : " (this command takes no options)"}`;
}

/** Read an option as a number in [min, max], or throw a clear error. */
export function numberOption(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${raw === true ? "nothing" : `'${raw}'`}`);
  }
  return value;
}

/** A mistake in the command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

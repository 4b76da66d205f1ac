/**
 * Turns a registered sender's SMS into exactly one reply text. Authorisation happens before this
 * (app/): this module only sees messages from registered numbers.
 */
import type { Fix } from "../gnss/fix";
import { parseCommand, type ParsedCommand } from "./command-parser";
import { whereReply } from "./where-reply";
import { helpReply } from "./help-reply";

/** What command handlers may read. */
export interface CommandContext {
  /** Monotonic now (ms). */
  nowMs: number;
  latestFix: Fix | undefined;
  lastValidFix: Fix | undefined;
}

/** The reply to one message. Never throws. */
export function replyTo(text: string, context: CommandContext): string {
  return replyToCommand(parseCommand(text), context);
}

/** The reply to one parsed message. Never throws. */
export function replyToCommand(command: ParsedCommand, context: CommandContext): string {
  switch (command.kind) {
    case "empty":
      return "Empty message. Send HELP for the list of commands.";
    case "unknown":
      // (nothing printable to echo: an emoji, another script)
      if (command.word === "") return "That is not a command I know. Send HELP for the list of commands.";
      return `Unknown command '${command.word}'. Send HELP for the list of commands.`;
    case "command":
      switch (command.name) {
        case "WHERE":
          return whereReply({ latest: context.latestFix, lastValid: context.lastValidFix, nowMs: context.nowMs });
        case "HELP":
          return helpReply();
      }
  }
}

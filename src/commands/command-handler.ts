/**
 * Turns a registered sender's command into exactly one outcome: its reply and any notices to other
 * numbers. Authorisation by number happens before this (app/): this module sees only messages from
 * registered numbers, and decides what each role may do, when the PIN is needed (access commands
 * always; every command but HELP in secure mode), and refuses state-changing commands delivered
 * late (limits/stale-command).
 */
import type { Fix } from "../gnss/fix";
import type { Member } from "../auth/user-list";
import { staleMinutes } from "../limits/stale-command";
import { parseCommand, type CommandName, type ParsedCommand } from "./command-parser";
import { whereReply } from "./where-reply";
import { commandHelp, helpReply } from "./help-reply";
import type { TheftAlarm } from "../alerts/theft-alarm";
import type { AccessCommands, Outcome } from "./access-commands";
import type { VehicleCommands } from "./vehicle-commands";

/** What the basic commands (WHERE, HELP) read. */
export interface CommandContext {
  /** Monotonic now (ms). */
  nowMs: number;
  latestFix: Fix | undefined;
  lastValidFix: Fix | undefined;
}

/** Commands that change state: not carried out when delivered late. */
const STATE_CHANGING: readonly CommandName[] = Object.freeze(["ADD", "DEL", "PIN", "OWNER", "ACCEPT", "RESET", "SECURE", "ALERTS", "ARM", "DISARM", "TRACK", "FENCE", "SPEED", "UNITS", "TZ"]);
/** Commands that take the PIN as an argument of their own (secure mode adds none). */
const TAKES_PIN: readonly CommandName[] = Object.freeze(["ADD", "DEL", "PIN", "OWNER", "RESET", "SECURE", "ACCEPT"]);

/** The reply to one message from the owner, outside secure mode. Never throws. */
export function replyTo(text: string, context: CommandContext): string {
  return replyToCommand(parseCommand(text), context, "owner", false);
}

/** The reply to an empty message, an unknown word, WHERE or HELP; undefined for the other commands. Never throws. */
export function replyToCommand(command: ParsedCommand, context: CommandContext, role: Member["role"], secure: boolean): string {
  switch (command.kind) {
    case "empty":
      return "Empty message. Send HELP for the list of commands.";
    case "unknown":
      // (nothing printable to echo: an emoji, another script)
      if (command.word === "") return "That is not a command I know. Send HELP for the list of commands.";
      return `Unknown command '${command.word}'. Send HELP for the list of commands.`;
    case "command":
      if (command.name === "WHERE") return whereReply({ latest: context.latestFix, lastValid: context.lastValidFix, nowMs: context.nowMs });
      return helpReply(role, secure);
  }
}

/** What the command handler needs from the tracker. */
export interface CommandHandlerContext {
  readonly access: AccessCommands;
  /** ARM / DISARM. */
  readonly alarm: TheftAlarm;
  /** TRACK, FENCE, SPEED, UNITS, TZ. */
  readonly vehicle: VehicleCommands;
  /** The STATUS reply now. */
  readonly status: () => string;
  /** True when a WHERE now should wait for a live fix (none now, and the WHERE wait is not 0). */
  readonly waitForFix: () => boolean;
  /** "on" when every command needs the PIN. */
  readonly secure: () => boolean;
  /** UTC now (ms), undefined while unknown. */
  readonly utcMs: () => number | undefined;
  /** The WHERE context now (for the replies to non-commands). */
  readonly where: () => CommandContext;
  /** The WHERE reply now, in the owner's time zone and units. */
  readonly whereText: () => string;
  /** Note a location sent to `member` (WHO). */
  readonly noteLocation: (member: Member) => void;
  /** The WHO reply now. */
  readonly whoReply: () => string;
}

function answer(reply: string): Outcome {
  return { reply, notices: [] };
}

export class CommandHandler {
  constructor(private readonly context: CommandHandlerContext) {}

  /** The outcome of `command` from `member`, sent at `sentUtcMs` (service-centre time, NaN when unknown). */
  handle(member: Member, command: ParsedCommand, sentUtcMs: number): Outcome {
    const { context } = this;
    const secure = context.secure();
    if (command.kind !== "command") return answer(replyToCommand(command, context.where(), member.role, secure));
    const name = command.name;
    let args = command.args;
    if (STATE_CHANGING.indexOf(name) >= 0) {
      const late = staleMinutes(sentUtcMs, context.utcMs());
      if (late !== undefined) {
        return answer(`Your ${name} was sent ${late} min ago and delivered late, so it was not carried out. Send it again if you still want it.`);
      }
    }
    if (secure && name !== "HELP" && TAKES_PIN.indexOf(name) < 0) {
      const refused = context.access.checkPin(member, args[args.length - 1], name);
      if (refused) return refused;
      // Stryker disable next-line MethodExpression, UnaryOperator: WHERE, LIST, WHO, CLAIM, ARM and DISARM read no argument, ALERTS only its first (ON/OFF, never the PIN)
      args = args.slice(0, -1);
    }
    const access = context.access;
    switch (name) {
      case "WHERE": {
        if (context.waitForFix()) return { reply: undefined, notices: [], waitForFix: true };
        const outcome = answer(context.whereText());
        context.noteLocation(member);
        return outcome;
      }
      case "STATUS":
        return answer(context.status());
      case "TRACK":
        return context.vehicle.track(member, args);
      case "FENCE":
        return context.vehicle.fence(member, args);
      case "SPEED":
        return context.vehicle.speed(member, args);
      case "UNITS":
        return context.vehicle.units(member, args);
      case "TZ":
        return context.vehicle.timeZone(member, args);
      case "HELP": {
        // HELP <command>: how to use it (any spelling the parser knows: HELP LOC is WHERE's)
        const topic = args.length > 0 ? parseCommand(args[0]!) : undefined;
        if (topic?.kind === "command") return answer(commandHelp(member.role, topic.name));
        return answer(helpReply(member.role, secure));
      }
      case "ARM":
        return context.alarm.arm(member);
      case "DISARM":
        return context.alarm.disarm(member);
      case "CLAIM":
        return answer("This tracker already has an owner.");
      case "ACCEPT":
        return access.awaitsAcceptFrom(member.number) ? access.accept(member.number, args) : answer("No ownership offer waits for your number.");
      case "ADD":
        return access.add(member, args);
      case "DEL":
        return access.del(member, args);
      case "LIST":
        return access.list();
      case "PIN":
        return access.pin(member, args);
      case "OWNER":
        return access.owner(member, args);
      case "RESET":
        return access.reset(member, args);
      case "SECURE":
        return access.secure(member, args);
      case "ALERTS":
        return access.alerts(member, args);
      case "WHO":
        return member.role === "user" ? answer("WHO is for the owner and admins. Send HELP for the commands you can use.") : answer(context.whoReply());
    }
  }
}

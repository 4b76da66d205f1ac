/**
 * What a registered sender's message gets sent back, between the command handler and the outbox:
 * the loop guard (texts that are not commands, answered only a few times in a row; limits/loop-guard)
 * and the reply caps (per number and in all, per hour; limits/reply-caps). Each message gets its
 * reply, or one notice that says why replies stop, or nothing once that notice went, and every
 * refusal is logged. So an auto-responder cannot make the tracker send without end, and nobody is
 * left guessing why it went quiet. The limits come from the settings at each decision.
 */
import type { Logger } from "../platform/ports";
import type { Settings } from "../store/settings";
import { LoopGuard } from "../limits/loop-guard";
import { ReplyCaps, type ReplyCap } from "../limits/reply-caps";
import { maskNumber } from "../auth/phone-number";

/** Quiet time (no text that is not a command) after which the loop guard answers such texts again (ms). */
export const LOOP_GUARD_QUIET_MS = 60 * 60_000;
/** The reply caps' window (ms). */
export const CAP_WINDOW_MS = 60 * 60_000;

/** Sent once when the loop guard stops answering texts that are not commands (one SMS). */
export const LOOP_GUARD_NOTICE =
  "Several messages in a row were not commands (an automatic reply?), so I stop answering such messages for now. Commands still work: send HELP.";

/** How a message reads: a command, a text that is not one, or a message that arrived incomplete (answered as a command). */
export type MessageKind = "command" | "not-command" | "incomplete";

/** The notice sent once when `cap` is reached (one SMS). */
export function capNotice(cap: ReplyCap): string {
  const hours = Math.round(cap.windowMs / 3_600_000);
  const per = hours === 1 ? "per hour" : hours === 24 ? "per day" : `per ${hours} hours`;
  return `Reply limit reached (${cap.maxReplies} ${per}${cap.perSender ? " to this number" : " in all"}). Messages sent now get no answer; please try again later.`;
}

export class ReplyPolicy {
  readonly #log: Logger;
  readonly #guard: LoopGuard;
  readonly #caps: ReplyCaps;
  /** Counters for diagnostics: notices sent, messages left unanswered. */
  readonly stats = { notices: 0, unanswered: 0 };

  /** `extraCaps`: more caps a policy adds (a daily budget); the settings' hourly caps always apply. */
  constructor(settings: Settings, log: Logger, extraCaps: () => readonly ReplyCap[] = () => []) {
    this.#log = log;
    this.#guard = new LoopGuard(() => Number(settings.get("loopGuardAfter")), LOOP_GUARD_QUIET_MS);
    this.#caps = new ReplyCaps(() => [
      { name: "per-number hourly", maxReplies: Number(settings.get("repliesPerHour")), windowMs: CAP_WINDOW_MS, perSender: true },
      { name: "hourly", maxReplies: Number(settings.get("repliesPerHourAll")), windowMs: CAP_WINDOW_MS, perSender: false },
      ...extraCaps(),
    ]);
  }

  /** The SMS to send to `to` (E.164) for a message of `kind` whose reply is `reply`; undefined: nothing (logged). */
  decide(to: string, kind: MessageKind, reply: string, nowMs: number): string | undefined {
    let text = reply;
    if (kind === "command") this.#guard.command(to);
    if (kind === "not-command") {
      const loop = this.#guard.notCommand(to, nowMs);
      if (loop === "nothing") return this.#unanswered(to, "the loop guard holds (texts in a row that are not commands)");
      if (loop === "notice") {
        this.#log.log("warn", "app", `loop guard: ${maskNumber(to)} sent texts in a row that are not commands; they get no answer for now`);
        text = LOOP_GUARD_NOTICE;
      }
    }
    const sent = this.#capped(to, text, nowMs);
    if (sent !== undefined && sent !== reply) this.stats.notices++;
    return sent;
  }

  /** A notice the tracker sends on its own (not a reply) to `to`: the reply caps apply, the loop guard does not. */
  notice(to: string, text: string, nowMs: number): string | undefined {
    const sent = this.#capped(to, text, nowMs);
    if (sent !== undefined) this.stats.notices++;
    return sent;
  }

  /** `text` within the reply caps: itself, the cap's one notice, or undefined (logged). */
  #capped(to: string, text: string, nowMs: number): string | undefined {
    const capped = this.#caps.decide(to, nowMs);
    if (capped.send === "nothing") return this.#unanswered(to, `the ${capped.cap.name} reply cap (${capped.cap.maxReplies}) is reached`);
    if (capped.send === "notice") {
      this.#log.log("warn", "app", `${capped.cap.name} reply cap (${capped.cap.maxReplies}) reached; ${maskNumber(to)} is told once`);
      return capNotice(capped.cap);
    }
    return text;
  }

  #unanswered(to: string, why: string): undefined {
    this.stats.unanswered++;
    this.#log.log("info", "app", `message from ${maskNumber(to)} not answered: ${why}`);
    return undefined;
  }
}

/**
 * Every SMS the tracker sends goes out here, within the same limits: a command's reply through the
 * reply policy (loop guard, hourly caps), notices and alerts through the caps, and all of them
 * within the daily budget, whose 80 % and 100 % marks are told to the owner. Past the budget only
 * essential messages go: the owner's own replies and security notices.
 */
import type { Clock, Logger } from "../platform/ports";
import type { Settings } from "../store/settings";
import type { Member, RegisteredNumbers } from "../auth/registered-numbers";
import { maskNumber } from "../auth/phone-number";
import type { SmsOutbox } from "../sms/sms-outbox";
import type { DailyBudget } from "../limits/daily-budget";
import type { Outcome } from "../commands/access-commands";
import type { ReplyPolicy } from "./reply-policy";
import { logName, type RequestLog } from "./request-log";

/** What a reply answers: a command, a text that is not one, or a message that arrived incomplete. */
export type ReplyKind = "command" | "not-command" | "incomplete";

/** What the sender needs from the tracker. */
export interface OutgoingContext {
  readonly settings: Settings;
  readonly numbers: RegisteredNumbers;
  readonly outbox: SmsOutbox;
  readonly replies: ReplyPolicy;
  readonly budget: DailyBudget;
  readonly requests: RequestLog;
  readonly clock: Clock;
  readonly log: Logger;
}

export class Outgoing {
  readonly #context: OutgoingContext;
  /** Replies queued to registered senders' messages. */
  answered = 0;

  constructor(context: OutgoingContext) {
    this.#context = context;
  }

  /** Send a command's outcome: its reply through the reply policy, its notices (essential: security). */
  deliver(member: Member, kind: ReplyKind, outcome: Outcome): void {
    const context = this.#context;
    if (outcome.reply !== undefined) {
      const text = context.replies.decide(member.number, kind, outcome.reply, context.clock.monotonicMs());
      // past the daily budget only the owner's own commands are answered
      if (text !== undefined && this.sms(member.number, text, member.role === "owner")) this.answered++;
    }
    for (const notice of outcome.notices) this.notice(notice.to, notice.text, true);
  }

  /** A notice to `to` within the reply caps and the daily budget (`essential`: sent past the budget). */
  notice(to: string, text: string, essential: boolean): boolean {
    const capped = this.#context.replies.notice(to, text, this.#context.clock.monotonicMs());
    return capped !== undefined && this.sms(to, capped, essential);
  }

  /** An alert to every registered number that receives alerts (caps and the daily budget apply), noted for WHO. */
  alert(text: string): void {
    const context = this.#context;
    const nowMs = context.clock.monotonicMs();
    for (const member of context.numbers.all()) {
      if (!member.alerts) continue;
      if (this.notice(member.number, text, false)) context.requests.note(logName(member.name, member.number), "alert", nowMs);
    }
  }

  /** `text` to the owner as a notice (caps and budget apply); false when there is no owner or a limit holds it. */
  notifyOwner(text: string): boolean {
    const owner = this.#context.settings.get("ownerNumber");
    return owner !== "" && this.notice(owner, text, false);
  }

  /**
   * Queue one SMS within the daily budget; the owner is told at 80 % and 100 % of it. False when
   * the budget (non-essential SMS past it) or the outbox refused it (logged).
   */
  sms(to: string, text: string, essential: boolean): boolean {
    const { budget, outbox, settings, log, clock } = this.#context;
    const decision = budget.take(clock.monotonicMs(), essential);
    let queued = false;
    if (!decision.send) {
      log.log("info", "app", `SMS to ${maskNumber(to)} not sent: today's SMS budget is spent`);
    } else {
      queued = outbox.send(to, text);
      if (!queued) log.log("error", "app", `the SMS to ${maskNumber(to)} could not be queued (outbox full); it is lost`);
    }
    const owner = settings.get("ownerNumber");
    if (decision.notice && owner) {
      const limit = settings.get("smsPerDay");
      const notice =
        decision.notice === "80%"
          ? `80% of today's SMS budget is used (${budget.sent} of ${limit}).`
          : `Today's SMS budget (${limit}) is used up: for the rest of the day only your own commands are answered and security notices sent.`;
      outbox.send(owner, notice);
    }
    return queued;
  }
}

/**
 * WHERE with no live fix waits for one: up to the WHERE wait (settings whereWaitS, default 60 s).
 * A live fix within it answers every waiting request with the live position; at its end each
 * request is answered with what is known (the last known fix, clearly labelled with its age, or why
 * there is none, and the serving cell). Each request gets exactly one answer. At most MAX_WAITING
 * wait at once (a flood of WHEREs is answered at once instead). The requests live in RAM: a reboot
 * while one waits loses it (the SMS was already taken off the SIM). Times are monotonic ms.
 */
import type { Clock, TimerHandle } from "../platform/ports";
import type { Member } from "../auth/user-list";

/** Requests that may wait at once. */
export const MAX_WAITING = 10;

/** What the waiters need from the tracker. */
export interface WhereWaitersContext {
  readonly clock: Clock;
  /** Answer `member`'s WHERE now: `live` when a live fix has come. */
  readonly answer: (member: Member, live: boolean) => void;
}

export class WhereWaiters {
  readonly #context: WhereWaitersContext;
  #waiting: { member: Member; timer: TimerHandle }[] = [];

  constructor(context: WhereWaitersContext) {
    this.#context = context;
  }

  /** Requests waiting now. */
  get count(): number {
    return this.#waiting.length;
  }

  /** Let `member`'s WHERE wait up to `waitMs`; false (answer it now) when MAX_WAITING already wait. */
  add(member: Member, waitMs: number): boolean {
    if (this.#waiting.length >= MAX_WAITING) return false;
    const entry = { member, timer: undefined as unknown as TimerHandle };
    entry.timer = this.#context.clock.setTimer(() => {
      this.#waiting = this.#waiting.filter((e) => e !== entry);
      this.#context.answer(member, false);
    }, waitMs);
    this.#waiting.push(entry);
    return true;
  }

  /** A live fix came: answer every waiting request with it. */
  onLiveFix(): void {
    if (this.#waiting.length === 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const entry of waiting) {
      this.#context.clock.clearTimer(entry.timer);
      this.#context.answer(entry.member, true);
    }
  }

  /** Drop every waiting request unanswered (RESET, a new owner: the numbers are gone). */
  forget(): void {
    for (const entry of this.#waiting) this.#context.clock.clearTimer(entry.timer);
    this.#waiting = [];
  }
}

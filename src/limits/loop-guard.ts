/**
 * The loop guard: a phone that answers every SMS by itself (a driving-mode or out-of-office
 * auto-reply, another tracker) would trade messages with the tracker for ever, since each of its
 * answers is a text that is not a command, and each such text gets a reply. So texts that are not
 * commands are answered only a few times in a row from one number (`answered`); the next one gets
 * one notice and later ones get nothing, until that number sends a command or stays quiet (no text
 * that is not a command) for `quietMs`. Commands are always answered (the reply caps still apply).
 *
 * State lives in RAM, one entry per sender seen recently (the registered numbers are few). Times
 * are monotonic ms.
 */

/** What to do with a text that is not a command. */
export type LoopDecision = "reply" | "notice" | "nothing";

interface Streak {
  sender: string;
  /** Texts that are not commands since the last command (or since the streak began). */
  count: number;
  lastMs: number;
}

/** Senders followed at most; the one quiet longest goes first. */
const MAX_SENDERS = 16;

export class LoopGuard {
  readonly #answered: () => number;
  readonly #quietMs: number;
  readonly #streaks: Streak[] = [];

  /** `answered`: texts in a row answered before the notice (read at each decision, ≥ 1). `quietMs`: quiet time that ends a streak. */
  constructor(answered: () => number, quietMs: number) {
    this.#answered = answered;
    this.#quietMs = quietMs;
  }

  /** A command from `sender`: its streak ends. */
  command(sender: string): void {
    const at = this.#find(sender);
    if (at >= 0) this.#streaks.splice(at, 1);
  }

  /** A text that is not a command from `sender` at `nowMs`: reply, send the notice, or say nothing. */
  notCommand(sender: string, nowMs: number): LoopDecision {
    const streaks = this.#streaks;
    const at = this.#find(sender);
    let streak = at >= 0 ? streaks[at]! : undefined;
    if (streak && nowMs - streak.lastMs >= this.#quietMs) {
      streaks.splice(at, 1);
      streak = undefined;
    }
    if (!streak) {
      streak = { sender, count: 0, lastMs: nowMs };
      streaks.push(streak);
      if (streaks.length > MAX_SENDERS) streaks.sort((a, b) => a.lastMs - b.lastMs).shift();
    }
    streak.count++;
    streak.lastMs = nowMs;
    const answered = Math.max(1, this.#answered());
    if (streak.count <= answered) return "reply";
    return streak.count === answered + 1 ? "notice" : "nothing";
  }

  #find(sender: string): number {
    for (let i = 0; i < this.#streaks.length; i++) if (this.#streaks[i]!.sender === sender) return i;
    return -1;
  }
}

/**
 * Who asked (WHO): the last location replies and alerts the tracker sent — which number, what, how
 * long ago — so a covert watcher among the registered numbers can be seen. RAM only (a restart or
 * RESET forgets it); no position is kept, only that one was sent. Times are monotonic ms.
 */
import { maskNumber } from "../auth/phone-number";

/** Entries kept (the newest). */
export const REQUEST_LOG_SIZE = 10;

interface Entry {
  readonly who: string;
  readonly what: string;
  readonly atMs: number;
}

/** "12 min ago", "3 h ago", "2 d ago". */
function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} d ago`;
}

export class RequestLog {
  readonly #entries: Entry[] = [];

  /** Note that `what` ("WHERE", "alert") was sent to `who` (a name and number, or a number) at `atMs`. */
  note(who: string, what: string, atMs: number): void {
    this.#entries.push({ who, what, atMs });
    if (this.#entries.length > REQUEST_LOG_SIZE) this.#entries.shift();
  }

  /** The WHO reply at `nowMs`, newest first. */
  reply(nowMs: number): string {
    if (this.#entries.length === 0) return "No location was sent since the tracker started.";
    const lines: string[] = [];
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i]!;
      lines.push(`${entry.what} to ${entry.who} ${ago(nowMs - entry.atMs)}`);
    }
    return `Last locations sent: ${lines.join("; ")}.`;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

/** How a number appears in the log: "Anna +4477***0123". */
export function logName(name: string, number: string): string {
  return `${name} ${maskNumber(number)}`;
}

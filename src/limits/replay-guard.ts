/**
 * Late and repeated commands. A state-changing command whose service-centre timestamp is more than
 * 15 minutes older than the tracker's clock was delivered late (the modem was off, the network held
 * it): it is not carried out, since the situation it was sent for may be gone. A message delivered
 * twice (same sender, same timestamp, same text: a network retry, a modem that stored it twice) is
 * carried out once. Keeps the last few messages in RAM. Times are UTC ms.
 */

/** Age past which a state-changing command is not carried out (ms). */
export const STALE_AFTER_MS = 15 * 60_000;
/** Messages remembered to recognise a repeat. */
const REMEMBERED = 16;

export class ReplayGuard {
  readonly #seen: string[] = [];

  /**
   * True when the message `sender` sent at `sentUtcMs` with `text` was seen already (a repeat);
   * else it is remembered. Messages without a timestamp are never called repeats (a person may send
   * the same text twice).
   */
  repeated(sender: string, sentUtcMs: number, text: string): boolean {
    if (!Number.isFinite(sentUtcMs)) return false;
    const key = `${sender} ${sentUtcMs} ${text}`;
    if (this.#seen.indexOf(key) >= 0) return true;
    this.#seen.push(key);
    if (this.#seen.length > REMEMBERED) this.#seen.shift();
    return false;
  }

  /** Forget every message seen (a reset). */
  clear(): void {
    this.#seen.length = 0;
  }
}

/** Minutes a message sent at `sentUtcMs` is late at `nowUtcMs`, when both are known and it is stale; else undefined. */
export function staleMinutes(sentUtcMs: number, nowUtcMs: number | undefined): number | undefined {
  if (nowUtcMs === undefined || !Number.isFinite(sentUtcMs)) return undefined;
  const age = nowUtcMs - sentUtcMs;
  return age > STALE_AFTER_MS ? Math.floor(age / 60_000) : undefined;
}

/**
 * Messages from senders that are not registered are never answered. The owner learns of them in at
 * most one SMS an hour, so a stranger probing the tracker is seen and a flood costs one SMS:
 * "Ignored 12 messages from 3 unknown senders: +1415***0123, +4477***0123, a sender name and 1 more.
 * Only registered numbers get answers."
 *
 * The digest never carries what a stranger wrote, and never a sender name (an alphanumeric sender
 * chooses its name freely: echoing it would let anyone put words in the tracker's mouth); numbers
 * are masked. Senders are remembered in RAM only, up to DIGEST_MAX_SENDERS per digest.
 */
import type { Clock, TimerHandle } from "../platform/ports";
import { maskNumber } from "../auth/phone-number";
import { isNumericSenderType } from "../auth/registered-numbers";

/** Shortest time between two digests (ms). */
export const DIGEST_INTERVAL_MS = 60 * 60_000;
/** How long the first ignored message waits for others before a digest goes (ms): a burst makes one digest. */
export const DIGEST_GATHER_MS = 60_000;
/** Distinct senders counted per digest; more are counted as "or more". */
export const DIGEST_MAX_SENDERS = 50;
/** Senders named (masked) in a digest. */
const NAMED_SENDERS = 3;

/** Where a digest goes: the owner, through the reply caps. Returns false when it could not be sent (no owner, a cap). */
export type DigestSender = (text: string) => boolean;

export class StrangerDigest {
  readonly #clock: Clock;
  readonly #send: DigestSender;
  #messages = 0;
  /** Distinct senders since the last digest, as "ton:sender", in arrival order. */
  #senders: string[] = [];
  #timer: TimerHandle | undefined;
  #lastSentMs = -Infinity;
  /** Counters for diagnostics. */
  readonly stats = { digests: 0, ignored: 0 };

  constructor(clock: Clock, send: DigestSender) {
    this.#clock = clock;
    this.#send = send;
  }

  /** A message from `sender` (type of number `senderTon`) was ignored. */
  note(sender: string, senderTon: number): void {
    this.stats.ignored++;
    this.#messages++;
    const key = `${senderTon}:${sender}`;
    if (this.#senders.length < DIGEST_MAX_SENDERS && !this.#senders.includes(key)) this.#senders.push(key);
    if (this.#timer !== undefined) return;
    const nowMs = this.#clock.monotonicMs();
    const delayMs = Math.max(DIGEST_GATHER_MS, this.#lastSentMs + DIGEST_INTERVAL_MS - nowMs);
    this.#timer = this.#clock.setTimer(() => this.#flush(), delayMs);
  }

  /** Forget everything (factory reset, new owner). */
  clear(): void {
    this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#messages = 0;
    this.#senders = [];
  }

  /** The digest text for `messages` messages from `senders` ("ton:sender" keys). */
  static text(messages: number, senders: readonly string[]): string {
    const count = senders.length >= DIGEST_MAX_SENDERS ? `${DIGEST_MAX_SENDERS} or more` : String(senders.length);
    const named = senders.slice(0, NAMED_SENDERS).map((key) => {
      const colon = key.indexOf(":");
      return isNumericSenderType(Number(key.slice(0, colon))) ? maskNumber(key.slice(colon + 1)) : "a sender name";
    });
    const more = senders.length - named.length;
    const list = more > 0 ? `${named.join(", ")} and ${more} more` : named.join(", ");
    return (
      `Ignored ${messages} message${messages === 1 ? "" : "s"} from ${count} unknown sender${senders.length === 1 ? "" : "s"}: ${list}. ` +
      "Only registered numbers get answers."
    );
  }

  #flush(): void {
    this.#timer = undefined;
    const text = StrangerDigest.text(this.#messages, this.#senders);
    this.#messages = 0;
    this.#senders = [];
    this.#lastSentMs = this.#clock.monotonicMs();
    if (this.#send(text)) this.stats.digests++;
  }
}

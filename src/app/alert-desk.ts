/**
 * Alert delivery: the one policy every alert passes on its way to the numbers that receive alerts
 * (the tracker's sendAlert, within the reply caps and the daily budget).
 * - Rate limit per kind: at most RATE_LIMITS[kind] alerts of one kind per hour; the ones over it are
 *   counted, and the next one of that kind that goes out says how many were held back.
 * - Coalescing: the first alert of a burst goes at once; alerts raised within COALESCE_MS of it
 *   wait for the window's end and go together as one digest, so a burst costs one SMS, not ten.
 * - No network: while the modem is not registered (or not ready), alerts are held in RAM (at most
 *   MAX_HELD, the newest kept) and sent as one digest when the network returns. Each alert's text
 *   carries its own time, so a held one still says when it happened.
 * Nothing is stored in flash: after a reboot nothing is re-sent. Times are monotonic ms.
 */
import type { Clock, Logger, TimerHandle } from "../platform/ports";

/** What an alert is about (each kind has its own hourly limit). */
export type AlertKind = "movement" | "follow-up" | "power" | "battery" | "engine" | "fence" | "speed" | "jamming";

/** Alerts of one kind sent per hour at most. Follow-ups are paced by the theft alarm itself (one per 2 min). */
export const RATE_LIMITS: Readonly<Record<AlertKind, number>> = Object.freeze({
  movement: 3,
  "follow-up": 30,
  power: 4,
  battery: 2,
  engine: 3,
  fence: 6,
  speed: 4,
  jamming: 3,
});

/** The window after an alert in which further alerts are gathered into one digest (ms). */
export const COALESCE_MS = 30_000;
/** Alerts held while there is no network, at most (the newest kept). */
export const MAX_HELD = 8;
/** The rate-limit window (ms). */
const HOUR_MS = 3_600_000;

/** What the desk needs from the tracker. */
export interface AlertDeskContext {
  readonly clock: Clock;
  readonly log: Logger;
  /** True while SMS can go out (modem ready and registered). */
  readonly networkUp: () => boolean;
  /** Send `text` to every number that receives alerts. */
  readonly send: (text: string) => void;
}

export class AlertDesk {
  readonly #context: AlertDeskContext;
  /** Per kind: the send times (monotonic ms) within the last hour, and how many were held back. */
  readonly #sent: Record<string, number[]> = {};
  readonly #heldBack: Record<string, number> = {};
  /** Texts waiting for the end of the coalescing window, or for the network. */
  #waiting: string[] = [];
  #dropped = 0;
  #windowEndMs = -Infinity;
  #timer: TimerHandle | undefined = undefined;
  /** Counters for diagnostics and tests. */
  readonly stats = { raised: 0, sent: 0, rateLimited: 0, coalesced: 0, heldForNetwork: 0, dropped: 0 };

  constructor(context: AlertDeskContext) {
    this.#context = context;
  }

  /** Alerts waiting (for the window's end or the network). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Raise an alert of `kind` with its full text (what, when, where, how to stop it). */
  raise(kind: AlertKind, text: string): void {
    const { clock, log } = this.#context;
    const nowMs = clock.monotonicMs();
    this.stats.raised++;
    const times = this.#recent(kind, nowMs);
    if (times.length >= RATE_LIMITS[kind]) {
      this.#heldBack[kind] = (this.#heldBack[kind] ?? 0) + 1;
      this.stats.rateLimited++;
      log.log("info", "alert", `${kind} alert not sent: ${RATE_LIMITS[kind]} in the last hour already`);
      return;
    }
    times.push(nowMs);
    const heldBack = this.#heldBack[kind] ?? 0;
    this.#heldBack[kind] = 0;
    const full = heldBack > 0 ? `${text}\n(${heldBack} more ${kind} alert${heldBack > 1 ? "s" : ""} in the last hour not sent.)` : text;
    if (!this.#context.networkUp()) {
      this.#hold(full);
      return;
    }
    if (nowMs < this.#windowEndMs || this.#waiting.length > 0) {
      this.#waiting.push(full);
      this.stats.coalesced++;
      this.#armTimer();
      return;
    }
    this.#windowEndMs = nowMs + COALESCE_MS;
    this.#send(full);
  }

  /** The network came back (true) or went (false): held alerts go out as one digest. */
  networkChanged(up: boolean): void {
    if (up && this.#waiting.length > 0) this.#flush("Sent late: the tracker had no network when these happened.");
  }

  /** Forget what waits (RESET, a new owner). */
  forget(): void {
    this.#context.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#waiting = [];
    this.#dropped = 0;
  }

  #recent(kind: AlertKind, nowMs: number): number[] {
    const times = (this.#sent[kind] ??= []);
    while (times.length > 0 && nowMs - times[0]! >= HOUR_MS) times.shift();
    return times;
  }

  #hold(text: string): void {
    this.stats.heldForNetwork++;
    this.#waiting.push(text);
    if (this.#waiting.length > MAX_HELD) {
      this.#waiting.shift();
      this.#dropped++;
      this.stats.dropped++;
    }
    this.#context.log.log("info", "alert", `alert held until the network returns (${this.#waiting.length} waiting)`);
  }

  #armTimer(): void {
    if (this.#timer !== undefined) return;
    const { clock } = this.#context;
    this.#timer = clock.setTimer(() => {
      this.#timer = undefined;
      if (this.#context.networkUp()) this.#flush("");
    }, Math.max(0, this.#windowEndMs - clock.monotonicMs()));
  }

  /** Send what waits as one message (one alert alone as it is), with `heading` and the count of dropped ones. */
  #flush(heading: string): void {
    const texts = this.#waiting;
    this.#waiting = [];
    const dropped = this.#dropped;
    this.#dropped = 0;
    if (texts.length === 0) return;
    const lines: string[] = [];
    if (heading) lines.push(heading);
    if (dropped > 0) lines.push(`(${dropped} older alert${dropped > 1 ? "s" : ""} dropped: too many to keep.)`);
    if (texts.length > 1) lines.push(`${texts.length} alerts:`);
    this.#windowEndMs = this.#context.clock.monotonicMs() + COALESCE_MS;
    const body = texts.join("\n\n");
    this.#send(lines.length > 0 ? `${lines.join("\n")}\n${body}` : body);
  }

  #send(text: string): void {
    this.stats.sent++;
    this.#context.send(text);
  }
}

/**
 * A growing lockout after wrong secrets (PINs, setup codes): every TRIES_PER_ROUND wrong tries in a
 * row start a lockout of 1 min, then 5 min, 1 h, then 24 h each, during which every try is refused,
 * right or wrong. Only a right secret (outside a lockout) starts over.
 *
 * The state survives reboots: it is saved as text ("fails,lockouts,end") through the caller's
 * save() at every change, `end` being "" (no lockout in force), or the lockout's end in UTC seconds
 * (0 when the wall clock was unknown). A lockout in force at boot restarts in full from the boot
 * (monotonic time cannot be carried over), unless the wall clock is known and past its end: a
 * reboot never shortens one. Times are ms.
 */
import type { Clock } from "../platform/ports";

/** Wrong tries in a row that start a lockout. */
export const TRIES_PER_ROUND = 5;
/** Length of the 1st, 2nd, 3rd, and every later lockout (ms). */
export const LOCKOUT_STEPS_MS = Object.freeze([60_000, 5 * 60_000, 60 * 60_000, 24 * 60 * 60_000]);

/** What a wrong try did: counted (tries left before a lockout), or started a lockout (its length). */
export type FailOutcome = { readonly locked: false; readonly triesLeft: number } | { readonly locked: true; readonly lockMs: number };

/** Length of the `n`th lockout (1-based). */
export function lockoutMs(n: number): number {
  return LOCKOUT_STEPS_MS[Math.min(n, LOCKOUT_STEPS_MS.length) - 1]!;
}

export class Lockout {
  readonly #clock: Clock;
  readonly #save: (text: string) => void;
  /** Wrong tries since the last lockout or right try. */
  #fails = 0;
  /** Lockouts since the last right try (each one longer). */
  #lockouts = 0;
  /** Monotonic end of the lockout in force; -Infinity when none. */
  #untilMs = -Infinity;
  /** Its end in UTC seconds (0: unknown); meaningful while #untilMs is set. */
  #endUtcS = 0;

  /** `saved`: the text save() last received ("" = never a wrong try). */
  constructor(clock: Clock, saved: string, save: (text: string) => void) {
    this.#clock = clock;
    this.#save = save;
    const fields = saved.split(",");
    if (fields.length !== 3) return;
    // Stryker disable next-line ArithmeticOperator: a restored count of 4 or more locks at the next wrong try either way
    this.#fails = Math.min(wholeOrZero(fields[0]!), TRIES_PER_ROUND - 1);
    this.#lockouts = wholeOrZero(fields[1]!);
    if (fields[2] !== "" && this.#lockouts > 0) {
      this.#endUtcS = wholeOrZero(fields[2]!);
      this.#untilMs = clock.monotonicMs() + lockoutMs(this.#lockouts);
    }
  }

  /** Ms until the lockout in force ends; 0 when none is. */
  remainingMs(): number {
    const left = this.#untilMs - this.#clock.monotonicMs();
    const utcMs = this.#clock.utcMs();
    // Stryker disable next-line ConditionalExpression: with utcMs undefined, undefined >= n is false anyway
    const pastEnd = utcMs !== undefined && this.#endUtcS > 0 && utcMs >= this.#endUtcS * 1000;
    if (left > 0 && !pastEnd) return left;
    this.#untilMs = -Infinity; // over: saved as such with the next change
    return 0;
  }

  /** Count a wrong try (outside a lockout). */
  failed(): FailOutcome {
    this.#fails++;
    if (this.#fails < TRIES_PER_ROUND) {
      this.#persist();
      return { locked: false, triesLeft: TRIES_PER_ROUND - this.#fails };
    }
    this.#fails = 0;
    this.#lockouts++;
    const lockMs = lockoutMs(this.#lockouts);
    this.#untilMs = this.#clock.monotonicMs() + lockMs;
    const utcMs = this.#clock.utcMs();
    this.#endUtcS = utcMs === undefined ? 0 : Math.ceil((utcMs + lockMs) / 1000);
    this.#persist();
    return { locked: true, lockMs };
  }

  /** A right try (outside a lockout): start over. */
  succeeded(): void {
    if (this.#fails === 0 && this.#lockouts === 0) return;
    this.#fails = 0;
    this.#lockouts = 0;
    this.#untilMs = -Infinity;
    this.#persist();
  }

  /** Forget everything (a factory reset). */
  clear(): void {
    this.#fails = 0;
    this.#lockouts = 0;
    this.#untilMs = -Infinity;
  }

  #persist(): void {
    const end = this.#untilMs === -Infinity ? "" : String(this.#endUtcS);
    this.#save(this.#fails === 0 && this.#lockouts === 0 ? "" : `${this.#fails},${this.#lockouts},${end}`);
  }
}

/** `text` as a whole number when it is 1 to 12 plain digits (UTC seconds have 10), else 0. */
function wholeOrZero(text: string): number {
  return /^[0-9]{1,12}$/.test(text) ? Number(text) : 0;
}

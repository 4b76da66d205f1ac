/**
 * The daily SMS budget (settings smsPerDay, default 50): the SMS the tracker sends in a day at
 * most, whatever asks for them, so a fault or an attack cannot run up the owner's bill. The day is a
 * 24 h window opened by the first SMS counted. Past the budget only essential messages go out (the
 * owner's replies to the owner's own commands, and security notices); the owner is told once at 80 %
 * and once at 100 %. Windows live in RAM: a restart opens a new one. Times are monotonic ms.
 */

/** The budget's window (ms). */
export const BUDGET_WINDOW_MS = 24 * 60 * 60_000;

/** A decision on one SMS: send it or not, and which threshold notice (if any) the owner is due now. */
export interface BudgetDecision {
  readonly send: boolean;
  readonly notice: "80%" | "100%" | undefined;
}

export class DailyBudget {
  readonly #limit: () => number;
  #openedMs = -Infinity;
  #sent = 0;
  // Stryker disable next-line BooleanLiteral: the first #roll resets it before any read
  #told80 = false;
  // Stryker disable next-line BooleanLiteral: the first #roll resets it before any read
  #told100 = false;

  /** `limit`: the budget now (read at each decision, so it follows the settings). */
  constructor(limit: () => number) {
    this.#limit = limit;
  }

  /** SMS counted in the current window. */
  get sent(): number {
    return this.#sent;
  }

  /** SMS left at `nowMs` (0 when spent); asking opens no window (the first SMS counted does). */
  left(nowMs: number): number {
    const sent = nowMs - this.#openedMs < BUDGET_WINDOW_MS ? this.#sent : 0;
    return Math.max(0, this.#limit() - sent);
  }

  /** Decide on one SMS at `nowMs`; an `essential` one is sent past the budget (and counted). */
  take(nowMs: number, essential: boolean): BudgetDecision {
    this.#roll(nowMs);
    const limit = this.#limit();
    if (this.#sent >= limit && !essential) return { send: false, notice: this.#due(limit) };
    this.#sent++;
    return { send: true, notice: this.#due(limit) };
  }

  /** The threshold notice due now (each once a window). */
  #due(limit: number): "80%" | "100%" | undefined {
    if (this.#sent >= limit && !this.#told100) {
      this.#told100 = true;
      this.#told80 = true;
      return "100%";
    }
    if (this.#sent * 5 >= limit * 4 && !this.#told80) {
      this.#told80 = true;
      return "80%";
    }
    return undefined;
  }

  #roll(nowMs: number): void {
    if (nowMs - this.#openedMs < BUDGET_WINDOW_MS) return;
    this.#openedMs = nowMs;
    this.#sent = 0;
    this.#told80 = false;
    this.#told100 = false;
  }
}

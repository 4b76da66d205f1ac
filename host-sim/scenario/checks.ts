/** Expectations recorded by a scenario: each one passes or fails with a description. */
export interface CheckResult {
  ok: boolean;
  what: string;
  detail: string;
}

export class Checks {
  readonly results: CheckResult[] = [];

  /** Expect `condition`. */
  ok(condition: boolean, what: string, detail = ""): boolean {
    this.results.push({ ok: condition, what, detail: condition ? "" : detail });
    return condition;
  }

  /** Expect `actual === expected`. */
  equal<T>(actual: T, expected: T, what: string): boolean {
    return this.ok(actual === expected, what, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }

  /** Expect `text` to match `pattern`. */
  match(text: string | undefined, pattern: RegExp, what: string): boolean {
    return this.ok(text !== undefined && pattern.test(text), what, `${JSON.stringify(text)} does not match ${pattern}`);
  }

  /** Expect `actual` within `tolerance` of `expected`. */
  near(actual: number, expected: number, tolerance: number, what: string): boolean {
    return this.ok(Math.abs(actual - expected) <= tolerance, what, `expected ${expected} ± ${tolerance}, got ${actual}`);
  }

  get failed(): CheckResult[] {
    return this.results.filter((r) => !r.ok);
  }
}

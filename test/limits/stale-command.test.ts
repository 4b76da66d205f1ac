/**
 * Late commands: a state-changing command more than 15 minutes older than the tracker's clock is
 * stale (staleMinutes gives how late, in whole minutes).
 */
import { expect } from "chai";
import { STALE_AFTER_MS, staleMinutes } from "../../src/limits/stale-command.ts";

const T = 1_700_000_000_000;
const MIN = 60_000;

describe("limits/staleMinutes", () => {
  it("stale after 15 minutes", () => {
    expect(STALE_AFTER_MS).to.equal(900_000);
  });

  it("exactly 15 minutes old is not stale; 15 min + 1 ms is, and counts 15 minutes", () => {
    expect(staleMinutes(T, T + 15 * MIN)).to.equal(undefined);
    expect(staleMinutes(T, T + 15 * MIN + 1)).to.equal(15);
  });

  it("whole minutes late, rounded down", () => {
    expect(staleMinutes(T, T + 16 * MIN - 1)).to.equal(15);
    expect(staleMinutes(T, T + 16 * MIN)).to.equal(16);
    expect(staleMinutes(T, T + 90 * MIN + 59_999)).to.equal(90);
    expect(staleMinutes(T, T + 3 * 24 * 60 * MIN)).to.equal(4320);
    expect(staleMinutes(0, 20 * MIN)).to.equal(20);
  });

  it("fresh, or from the future (clock behind): undefined", () => {
    expect(staleMinutes(T, T)).to.equal(undefined);
    expect(staleMinutes(T, T + MIN)).to.equal(undefined);
    expect(staleMinutes(T, T - 60 * MIN)).to.equal(undefined);
  });

  it("an unknown clock or timestamp: undefined", () => {
    expect(staleMinutes(T, undefined)).to.equal(undefined);
    expect(staleMinutes(NaN, T)).to.equal(undefined);
    expect(staleMinutes(-Infinity, T)).to.equal(undefined);
    expect(staleMinutes(Infinity, T)).to.equal(undefined);
    expect(staleMinutes(NaN, undefined)).to.equal(undefined);
  });
});

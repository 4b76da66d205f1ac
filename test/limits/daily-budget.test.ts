/**
 * The daily SMS budget: at most `limit` SMS in a 24 h window, essential ones past it; the owner's
 * 80 % and 100 % notices once a window; the limit read at each decision.
 */
import { expect } from "chai";
import { BUDGET_WINDOW_MS, type BudgetDecision, DailyBudget } from "../../src/limits/daily-budget.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `count` decisions, `stepMs` apart from `startMs`, in short form: "send", "send 80%", "no", "no 100%"... */
function takes(budget: DailyBudget, count: number, essential = false, startMs = 0, stepMs = 1000): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(short(budget.take(startMs + i * stepMs, essential)));
  return out;
}

function short(decision: BudgetDecision): string {
  return (decision.send ? "send" : "no") + (decision.notice === undefined ? "" : ` ${decision.notice}`);
}

describe("limits/DailyBudget", () => {
  it("the window is 24 h", () => {
    expect(BUDGET_WINDOW_MS).to.equal(86_400_000);
  });

  it("sends up to the limit, then only essential SMS; 80 % and 100 % notices once each", () => {
    const budget = new DailyBudget(() => 5);
    expect(takes(budget, 7)).to.deep.equal(["send", "send", "send", "send 80%", "send 100%", "no", "no"]);
    expect(budget.sent).to.equal(5);
    expect(takes(budget, 2, true, 10_000)).to.deep.equal(["send", "send"]);
    expect(budget.sent, "essential SMS past the budget are counted").to.equal(7);
    expect(takes(budget, 1, false, 20_000)).to.deep.equal(["no"]);
  });

  it("exact decisions: send and notice fields", () => {
    const budget = new DailyBudget(() => 1);
    expect(budget.take(0, false)).to.deep.equal({ send: true, notice: "100%" });
    expect(budget.take(1, false)).to.deep.equal({ send: false, notice: undefined });
    expect(budget.take(2, true)).to.deep.equal({ send: true, notice: undefined });
  });

  it("80 % is the first SMS at or above four fifths of the limit", () => {
    const ten = new DailyBudget(() => 10);
    expect(takes(ten, 11)).to.deep.equal(["send", "send", "send", "send", "send", "send", "send", "send 80%", "send", "send 100%", "no"]);
    const fifty = new DailyBudget(() => 50);
    const decisions = takes(fifty, 51);
    expect(decisions.filter((d) => d !== "send")).to.deep.equal(["send 80%", "send 100%", "no"]);
    expect(decisions.indexOf("send 80%")).to.equal(39); // the 40th SMS
    expect(decisions.indexOf("send 100%")).to.equal(49); // the 50th
    const six = new DailyBudget(() => 6); // 4.8 → the 5th
    expect(takes(six, 6)).to.deep.equal(["send", "send", "send", "send", "send 80%", "send 100%"]);
  });

  it("when 80 % and 100 % fall on the same SMS only 100 % is told, and 80 % never after", () => {
    const three = new DailyBudget(() => 3); // 80 % of 3 is 2.4: the 3rd SMS is also the last
    expect(takes(three, 4)).to.deep.equal(["send", "send", "send 100%", "no"]);
    let limit = 1;
    const budget = new DailyBudget(() => limit);
    expect(takes(budget, 1)).to.deep.equal(["send 100%"]);
    limit = 10; // raised: 100 % told already counts for 80 % too
    expect(takes(budget, 9, false, 1000)).to.deep.equal(Array(9).fill("send"));
    expect(budget.sent).to.equal(10);
  });

  it("essential SMS count towards the notices like any other", () => {
    const budget = new DailyBudget(() => 5);
    expect(takes(budget, 5, true)).to.deep.equal(["send", "send", "send", "send 80%", "send 100%"]);
    expect(takes(budget, 3, true, 10_000)).to.deep.equal(["send", "send", "send"]);
    expect(takes(budget, 1, false, 20_000)).to.deep.equal(["no"]);
  });

  it("a limit of 0: nothing but essential SMS, and the 100 % notice at the first decision", () => {
    const budget = new DailyBudget(() => 0);
    expect(budget.take(0, false)).to.deep.equal({ send: false, notice: "100%" });
    expect(budget.sent).to.equal(0);
    expect(budget.take(1, true)).to.deep.equal({ send: true, notice: undefined });
    expect(budget.sent).to.equal(1);
    expect(budget.take(2, false)).to.deep.equal({ send: false, notice: undefined });
  });

  it("a new window 24 h after the first SMS of the last one: the count and notices start over", () => {
    const budget = new DailyBudget(() => 5);
    const start = 5 * HOUR;
    expect(takes(budget, 6, false, start)).to.deep.equal(["send", "send", "send", "send 80%", "send 100%", "no"]);
    expect(budget.take(start + DAY - 1, false)).to.deep.equal({ send: false, notice: undefined });
    expect(budget.take(start + DAY, false)).to.deep.equal({ send: true, notice: undefined });
    expect(budget.sent).to.equal(1);
    expect(takes(budget, 5, false, start + DAY + 1000)).to.deep.equal(["send", "send", "send 80%", "send 100%", "no"]);
  });

  it("the next window opens at the first SMS after the last one ended, not on a fixed grid", () => {
    const budget = new DailyBudget(() => 2);
    expect(takes(budget, 3, false, 0)).to.deep.equal(["send", "send 100%", "no"]);
    // next SMS 30 h later: a window from 30 h to 54 h
    expect(takes(budget, 3, false, 30 * HOUR)).to.deep.equal(["send", "send 100%", "no"]);
    expect(budget.take(48 * HOUR, false).send, "48 h is still the window opened at 30 h").to.equal(false);
    expect(budget.take(54 * HOUR - 1, false).send).to.equal(false);
    expect(budget.take(54 * HOUR, false).send).to.equal(true);
  });

  it("the window holds with a start at monotonic time 0", () => {
    const budget = new DailyBudget(() => 1);
    expect(takes(budget, 2, false, 0)).to.deep.equal(["send 100%", "no"]);
    expect(budget.take(DAY - 1, false).send).to.equal(false);
    expect(budget.take(DAY, false).send).to.equal(true);
  });

  it("reads the limit at each decision (settings changed)", () => {
    let limit = 10;
    let reads = 0;
    const budget = new DailyBudget(() => {
      reads++;
      return limit;
    });
    expect(takes(budget, 5)).to.deep.equal(Array(5).fill("send"));
    expect(reads).to.be.greaterThan(0);
    limit = 7; // lowered: the 6th SMS is past 80 % of 7
    expect(takes(budget, 3, false, 10_000)).to.deep.equal(["send 80%", "send 100%", "no"]);
    limit = 20; // raised again: sending resumes, both notices told already this window
    expect(takes(budget, 13, false, 20_000)).to.deep.equal(Array(13).fill("send"));
    expect(budget.sent).to.equal(20);
    expect(takes(budget, 1, false, 40_000)).to.deep.equal(["no"]);
  });

  it("a limit lowered to what was sent refuses the next SMS, with the 100 % notice", () => {
    let limit = 10;
    const budget = new DailyBudget(() => limit);
    takes(budget, 5);
    limit = 5;
    expect(takes(budget, 2, false, 10_000)).to.deep.equal(["no 100%", "no"]);
    expect(budget.sent).to.equal(5);
  });

  it("a limit lowered below 80 % of what was sent gives the 100 % notice", () => {
    let limit = 50;
    const budget = new DailyBudget(() => limit);
    takes(budget, 10);
    limit = 9;
    expect(short(budget.take(20_000, true))).to.equal("send 100%");
  });

  it("left(): SMS left in the window, never below 0, following the limit", () => {
    let limit = 5;
    const budget = new DailyBudget(() => limit);
    expect(budget.left(0)).to.equal(5);
    takes(budget, 2);
    expect(budget.left(2000)).to.equal(3);
    takes(budget, 3, false, 3000);
    expect(budget.left(6000)).to.equal(0);
    takes(budget, 2, true, 7000);
    expect(budget.sent).to.equal(7);
    expect(budget.left(9000), "essential SMS past the budget").to.equal(0);
    limit = 10;
    expect(budget.left(10_000)).to.equal(3);
  });

  it("left() and sent start over with a new window", () => {
    const budget = new DailyBudget(() => 5);
    takes(budget, 4, false, 1000);
    expect(budget.sent).to.equal(4);
    expect(budget.left(1000 + DAY - 1)).to.equal(1);
    expect(budget.left(1000 + DAY)).to.equal(5);
    expect(budget.take(1000 + DAY, false)).to.deep.equal({ send: true, notice: undefined });
    expect(budget.sent).to.equal(1);
  });

  it("sent is 0 before any SMS", () => {
    expect(new DailyBudget(() => 50).sent).to.equal(0);
    expect(new DailyBudget(() => 50).left(123)).to.equal(50);
  });

  // "the day is a 24 h window opened by the first SMS counted": asking opens none.
  it("left() does not open a window: the first SMS counted does", () => {
    const budget = new DailyBudget(() => 1);
    expect(budget.left(0)).to.equal(1);
    expect(short(budget.take(23 * HOUR, false))).to.equal("send 100%");
    expect(budget.take(DAY + HOUR, false).send, "within 24 h of the first SMS").to.equal(false);
  });
});

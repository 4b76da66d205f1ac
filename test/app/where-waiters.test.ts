/** WHERE waiting for a fix: answered once, live when a fix comes in time, else at the end of the wait; bounded. */
import { expect } from "chai";
import { MAX_WAITING, WhereWaiters } from "../../src/app/where-waiters.ts";
import type { Member } from "../../src/auth/user-list.ts";
import { FakeClock } from "../modem/fakes.ts";

const OWNER: Member = { number: "+14085550199", name: "owner", role: "owner", alerts: true };
const ANNA: Member = { number: "+14155550177", name: "Anna", role: "admin", alerts: true };

function world() {
  const clock = new FakeClock();
  const answers: { atMs: number; name: string; live: boolean }[] = [];
  const waiters = new WhereWaiters({ clock, answer: (m, live) => answers.push({ atMs: clock.monotonicMs(), name: m.name, live }) });
  return { clock, answers, waiters };
}

describe("app/WhereWaiters", () => {
  it("a live fix within the wait answers every waiting request with it, once", () => {
    const w = world();
    expect(w.waiters.add(OWNER, 60_000)).to.equal(true);
    w.clock.advance(10_000);
    expect(w.waiters.add(ANNA, 60_000)).to.equal(true);
    w.clock.advance(5_000);
    w.waiters.onLiveFix();
    w.waiters.onLiveFix();
    w.clock.advance(120_000);
    expect(w.answers).to.deep.equal([
      { atMs: 15_000, name: "owner", live: true },
      { atMs: 15_000, name: "Anna", live: true },
    ]);
    expect([w.waiters.count, w.clock.pending]).to.deep.equal([0, 0]);
  });

  it("no fix: each request is answered at the end of its own wait", () => {
    const w = world();
    w.waiters.add(OWNER, 60_000);
    w.clock.advance(20_000);
    w.waiters.add(ANNA, 30_000);
    w.clock.advance(29_999);
    expect(w.answers).to.deep.equal([]);
    w.clock.advance(1);
    expect(w.answers).to.deep.equal([{ atMs: 50_000, name: "Anna", live: false }]);
    w.clock.advance(10_000);
    expect(w.answers.at(-1)).to.deep.equal({ atMs: 60_000, name: "owner", live: false });
    w.waiters.onLiveFix();
    expect(w.answers).to.have.length(2);
  });

  it(`at most ${MAX_WAITING} wait; the next is to be answered at once`, () => {
    const w = world();
    for (let i = 0; i < MAX_WAITING; i++) expect(w.waiters.add(OWNER, 60_000)).to.equal(true);
    expect(w.waiters.add(ANNA, 60_000)).to.equal(false);
    expect(w.waiters.count).to.equal(MAX_WAITING);
  });

  it("forget() drops them unanswered", () => {
    const w = world();
    w.waiters.add(OWNER, 60_000);
    w.waiters.forget();
    w.clock.advance(120_000);
    w.waiters.onLiveFix();
    expect(w.answers).to.deep.equal([]);
  });
});

import { expect } from "chai";
import { LoopGuard } from "../../src/limits/loop-guard.ts";

const HOUR = 3_600_000;
const A = "+14085550199";
const B = "+14085550123";

function run(guard: LoopGuard, sender: string, count: number, startMs = 0, stepMs = 20_000): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(guard.notCommand(sender, startMs + i * stepMs));
  return out;
}

describe("limits/LoopGuard", () => {
  it("answers a few texts in a row that are not commands, sends one notice, then nothing", () => {
    const guard = new LoopGuard(() => 3, HOUR);
    expect(run(guard, A, 7)).to.deep.equal(["reply", "reply", "reply", "notice", "nothing", "nothing", "nothing"]);
    expect(run(guard, B, 2), "each number has its own streak").to.deep.equal(["reply", "reply"]);
  });

  it("a command ends the streak", () => {
    const guard = new LoopGuard(() => 2, HOUR);
    expect(run(guard, A, 3)).to.deep.equal(["reply", "reply", "notice"]);
    guard.command(A);
    expect(run(guard, A, 3, 100_000)).to.deep.equal(["reply", "reply", "notice"]);
  });

  it("an hour without such texts ends the streak; a steady auto-responder never does", () => {
    const guard = new LoopGuard(() => 2, HOUR);
    expect(run(guard, A, 10, 0, 30 * 60_000)).to.deep.equal(["reply", "reply", "notice", ...Array(7).fill("nothing")]);
    expect(run(guard, A, 2, 10 * 30 * 60_000 + HOUR)).to.deep.equal(["reply", "reply"]);
  });

  it("reads how many to answer at each decision (the setting), at least one", () => {
    let answered = 0;
    const guard = new LoopGuard(() => answered, HOUR);
    expect(run(guard, A, 2)).to.deep.equal(["reply", "notice"]);
    answered = 5;
    expect(run(guard, B, 6)).to.deep.equal(["reply", "reply", "reply", "reply", "reply", "notice"]);
  });

  it("many numbers: the one quiet longest is forgotten first", () => {
    const guard = new LoopGuard(() => 1, HOUR);
    run(guard, A, 2, 0, 1); // A: notice given, quiet since 1 ms
    for (let i = 0; i < 40; i++) guard.notCommand(`+1408555${String(i).padStart(4, "0")}`, 1000 + i);
    expect(guard.notCommand(A, 2000), "A was forgotten: a new streak").to.equal("reply");
  });
});

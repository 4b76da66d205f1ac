import { expect } from "chai";
import { ReplyCaps, type ReplyCap } from "../../src/limits/reply-caps.ts";

const HOUR = 3_600_000;
const A = "+14085550199";
const B = "+14085550123";

function perNumber(max: number): ReplyCap {
  return { name: "per-number hourly", maxReplies: max, windowMs: HOUR, perSender: true };
}
function inAll(max: number): ReplyCap {
  return { name: "hourly", maxReplies: max, windowMs: HOUR, perSender: false };
}

/** The decisions for `count` replies to `sender`, `stepMs` apart from `startMs`. */
function decisions(caps: ReplyCaps, sender: string, count: number, startMs = 0, stepMs = 1000): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(caps.decide(sender, startMs + i * stepMs).send);
  return out;
}

describe("limits/ReplyCaps", () => {
  it("a cap per number: max replies, then one notice, then nothing until the window ends", () => {
    const caps = new ReplyCaps(() => [perNumber(3)]);
    expect(decisions(caps, A, 6)).to.deep.equal(["reply", "reply", "reply", "notice", "nothing", "nothing"]);
    expect(decisions(caps, B, 1), "another number has its own window").to.deep.equal(["reply"]);
    expect(caps.decide(A, HOUR - 1).send, "still the first window").to.equal("nothing");
    expect(decisions(caps, A, 4, HOUR), "a new window opens an hour after the first").to.deep.equal(["reply", "reply", "reply", "notice"]);
  });

  it("a cap in all: every number counts; each refused number is told once", () => {
    const caps = new ReplyCaps(() => [perNumber(10), inAll(4)]);
    expect(decisions(caps, A, 3)).to.deep.equal(["reply", "reply", "reply"]);
    expect(decisions(caps, B, 3, 10_000)).to.deep.equal(["reply", "notice", "nothing"]);
    const refused = caps.decide(A, 20_000);
    expect(refused.send).to.equal("notice");
    expect(refused.send !== "reply" && refused.cap.name).to.equal("hourly");
    expect(caps.decide(A, 21_000).send).to.equal("nothing");
  });

  it("a refused reply is not counted by the other caps", () => {
    const caps = new ReplyCaps(() => [perNumber(2), inAll(3)]);
    expect(decisions(caps, A, 4)).to.deep.equal(["reply", "reply", "notice", "nothing"]);
    // only A's two replies count in all: B still has one
    expect(decisions(caps, B, 2, 10_000)).to.deep.equal(["reply", "notice"]);
  });

  it("follows the caps it is given at each decision (settings changed), and takes extra caps (a daily budget)", () => {
    let max = 2;
    const daily: ReplyCap = { name: "daily", maxReplies: 5, windowMs: 24 * HOUR, perSender: false };
    const caps = new ReplyCaps(() => [perNumber(max), daily]);
    expect(decisions(caps, A, 3)).to.deep.equal(["reply", "reply", "notice"]);
    max = 4;
    expect(decisions(caps, A, 2, 10_000), "the raised cap applies at once").to.deep.equal(["reply", "reply"]);
    const next = caps.decide(A, 2 * HOUR);
    expect(next.send).to.equal("reply");
    const budget = caps.decide(A, 2 * HOUR + 1000);
    expect(budget.send).to.equal("notice");
    expect(budget.send !== "reply" && budget.cap.name, "five in a day").to.equal("daily");
  });

  it("many numbers: memory stays bounded and every decision is still a decision", () => {
    const caps = new ReplyCaps(() => [perNumber(1), inAll(1000)]);
    for (let i = 0; i < 500; i++) expect(caps.decide(`+1408555${String(i).padStart(4, "0")}`, i).send).to.equal("reply");
  });
});

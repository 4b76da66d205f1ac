import { expect } from "chai";
import { LOOP_GUARD_NOTICE, ReplyPolicy, capNotice } from "../../src/app/reply-policy.ts";
import { Settings } from "../../src/store/settings.ts";
import { gsm7Septets } from "../../src/codec/gsm7.ts";
import { RecordingLogger } from "../modem/fakes.ts";
import { MemoryStore } from "../support/memory-store.ts";

const OWNER = "+14085550199";
const HOUR = 3_600_000;

function policy(values: Record<string, string> = {}) {
  const log = new RecordingLogger();
  const settings = new Settings(new MemoryStore(), log);
  for (const [key, value] of Object.entries(values)) expect(settings.set(key as never, value).ok, key).to.equal(true);
  return { log, settings, replies: new ReplyPolicy(settings, log) };
}

describe("app/ReplyPolicy", () => {
  it("every notice fits one GSM-7 SMS", () => {
    const notices = [
      LOOP_GUARD_NOTICE,
      capNotice({ name: "a", maxReplies: 200, windowMs: HOUR, perSender: true }),
      capNotice({ name: "b", maxReplies: 1000, windowMs: HOUR, perSender: false }),
      capNotice({ name: "c", maxReplies: 50, windowMs: 24 * HOUR, perSender: false }),
      capNotice({ name: "d", maxReplies: 50, windowMs: 6 * HOUR, perSender: true }),
    ];
    for (const notice of notices) {
      const septets = gsm7Septets(notice);
      expect(septets, notice).to.be.within(1, 160);
    }
    expect(notices[3]).to.include("50 per day in all");
    expect(notices[4]).to.include("50 per 6 hours to this number");
  });

  it("commands pass the loop guard; texts that are not commands stop after the setting; a command starts over", () => {
    const { replies } = policy({ loopGuardAfter: "2" });
    const kinds = ["not-command", "not-command", "not-command", "not-command", "command", "not-command"] as const;
    const sent = kinds.map((kind, i) => replies.decide(OWNER, kind, `reply ${i}`, i * 1000));
    expect(sent).to.deep.equal(["reply 0", "reply 1", LOOP_GUARD_NOTICE, undefined, "reply 4", "reply 5"]);
    expect(replies.stats).to.deep.equal({ notices: 1, unanswered: 1 });
  });

  it("an incomplete message is answered like a command (it is no loop)", () => {
    const { replies } = policy({ loopGuardAfter: "1" });
    const sent = [0, 1, 2].map((i) => replies.decide(OWNER, "incomplete", "incomplete", i));
    expect(sent).to.deep.equal(["incomplete", "incomplete", "incomplete"]);
  });

  it("the caps apply to notices too, and their own notice wins over the loop guard's", () => {
    const { replies, log } = policy({ repliesPerHour: "2", loopGuardAfter: "1" });
    expect(replies.decide(OWNER, "command", "a", 0)).to.equal("a");
    expect(replies.decide(OWNER, "command", "b", 1)).to.equal("b");
    expect(replies.decide(OWNER, "not-command", "c", 2)).to.match(/^Reply limit reached \(2 per hour to this number\)/);
    expect(replies.decide(OWNER, "not-command", "d", 3)).to.equal(undefined);
    expect(log.lines.some((l) => l.includes("+1408***0199") && l.includes("per-number hourly reply cap (2) reached"))).to.equal(true);
    expect(log.lines.join("\n")).to.not.include("4085550199");
  });

  it("the tracker's own notices (a digest) count against the caps but never touch the loop guard", () => {
    const { replies } = policy({ repliesPerHour: "3", loopGuardAfter: "1" });
    expect(replies.decide(OWNER, "not-command", "x", 0)).to.equal("x");
    expect(replies.notice(OWNER, "digest", 1)).to.equal("digest");
    // the loop guard still counts one text that is not a command: the next gets its notice
    expect(replies.decide(OWNER, "not-command", "y", 2)).to.equal(LOOP_GUARD_NOTICE);
    expect(replies.notice(OWNER, "digest 2", 3)).to.match(/^Reply limit reached \(3 per hour to this number\)/);
    expect(replies.notice(OWNER, "digest 3", 4)).to.equal(undefined);
    expect(replies.stats).to.deep.equal({ notices: 3, unanswered: 1 });
  });

  it("a cap in all for every number together", () => {
    const { replies } = policy({ repliesPerHourAll: "3" });
    const others = ["+14155550101", "+14155550102", "+14155550103", "+14155550104"];
    const sent = others.map((n, i) => replies.decide(n, "command", "ok", i));
    expect(sent.slice(0, 3)).to.deep.equal(["ok", "ok", "ok"]);
    expect(sent[3]).to.match(/in all/);
  });
});

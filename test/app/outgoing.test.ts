/** Every SMS out: replies through the reply policy, notices and alerts through the caps, all within the daily budget and its notices. */
import { expect } from "chai";
import { Outgoing } from "../../src/app/outgoing.ts";
import { ReplyPolicy } from "../../src/app/reply-policy.ts";
import { RequestLog } from "../../src/app/request-log.ts";
import { DailyBudget } from "../../src/limits/daily-budget.ts";
import { Settings } from "../../src/store/settings.ts";
import { RegisteredNumbers, type Member } from "../../src/auth/registered-numbers.ts";
import { encodeMembers } from "../../src/auth/user-list.ts";
import type { SmsOutbox } from "../../src/sms/sms-outbox.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

const OWNER = "+14085550199";
const ANNA = "+14155550177"; // admin, alerts on
const BOB = "+14155550188"; // user, alerts off

function world(options: { smsPerDay?: number; owner?: boolean } = {}) {
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const settings = new Settings(new MemoryStore(), log);
  settings.setMany({
    ownerNumber: options.owner === false ? "" : OWNER,
    users: encodeMembers([
      { number: ANNA, name: "Anna", role: "admin", alerts: true },
      { number: BOB, name: "Bob", role: "user", alerts: false },
    ]),
    smsPerDay: String(options.smsPerDay ?? 50),
    repliesPerHour: "200",
    repliesPerHourAll: "1000",
  });
  const numbers = new RegisteredNumbers(settings);
  const sent: { to: string; text: string }[] = [];
  const outboxState = { full: false };
  const outbox = { send: (to: string, text: string) => (outboxState.full ? false : (sent.push({ to, text }), true)) } as unknown as SmsOutbox;
  const budget = new DailyBudget(() => Number(settings.get("smsPerDay")));
  const requests = new RequestLog();
  const outgoing = new Outgoing({ settings, numbers, outbox, replies: new ReplyPolicy(settings, log), budget, requests, clock, log });
  const member = (number: string): Member => numbers.all().find((m) => m.number === number)!;
  return { clock, log, settings, sent, outboxState, budget, requests, outgoing, member };
}

describe("app/Outgoing", () => {
  it("a command's reply goes to its sender and counts as answered; its notices go too", () => {
    const w = world();
    w.outgoing.deliver(w.member(BOB), "command", { reply: "R", notices: [{ to: OWNER, text: "N" }] });
    expect(w.sent).to.deep.equal([
      { to: BOB, text: "R" },
      { to: OWNER, text: "N" },
    ]);
    expect(w.outgoing.answered).to.equal(1);
    w.outgoing.deliver(w.member(BOB), "command", { reply: undefined, notices: [] });
    expect([w.sent.length, w.outgoing.answered]).to.deep.equal([2, 1]);
  });

  it("past the budget: the owner's replies and security notices still go, a user's reply and alerts do not", () => {
    const w = world({ smsPerDay: 5 });
    for (let i = 0; i < 5; i++) w.outgoing.sms(ANNA, `S${i}`, false);
    w.sent.length = 0;
    w.outgoing.deliver(w.member(BOB), "command", { reply: "to Bob", notices: [{ to: ANNA, text: "security" }] });
    w.outgoing.deliver(w.member(OWNER), "command", { reply: "to owner", notices: [] });
    w.outgoing.alert("ALERT");
    expect(w.sent).to.deep.equal([
      { to: ANNA, text: "security" },
      { to: OWNER, text: "to owner" },
    ]);
    expect(w.outgoing.answered).to.equal(1);
    expect(w.log.lines).to.include("info app: SMS to +1415***0188 not sent: today's SMS budget is spent");
  });

  it("the owner is told once at 80 % and once at 100 % of the budget, with the numbers", () => {
    const w = world({ smsPerDay: 5 });
    for (let i = 0; i < 7; i++) w.outgoing.sms(ANNA, `S${i}`, false);
    expect(w.sent.filter((m) => m.to === OWNER).map((m) => m.text)).to.deep.equal([
      "80% of today's SMS budget is used (4 of 5).",
      "Today's SMS budget (5) is used up: for the rest of the day only your own commands are answered and security notices sent.",
    ]);
    expect(w.sent.filter((m) => m.to === ANNA)).to.have.length(5);
  });

  it("with no owner, no budget notice goes anywhere", () => {
    const w = world({ smsPerDay: 5, owner: false });
    for (let i = 0; i < 7; i++) w.outgoing.sms(ANNA, `S${i}`, false);
    expect(w.sent.map((m) => m.to)).to.deep.equal([ANNA, ANNA, ANNA, ANNA, ANNA]);
    expect(w.outgoing.notifyOwner("digest")).to.equal(false);
  });

  it("an outbox that is full: false, and the loss is logged as an error", () => {
    const w = world();
    w.outboxState.full = true;
    expect(w.outgoing.sms(ANNA, "X", true)).to.equal(false);
    expect(w.log.lines).to.include("error app: the SMS to +1415***0177 could not be queued (outbox full); it is lost");
    w.outgoing.deliver(w.member(BOB), "command", { reply: "R", notices: [] });
    expect(w.outgoing.answered).to.equal(0);
  });

  it("alerts go to every number with alerts on, each noted for WHO; not to the others", () => {
    const w = world();
    w.clock.advance(60_000);
    w.outgoing.alert("FENCE ALERT");
    expect(w.sent).to.deep.equal([
      { to: OWNER, text: "FENCE ALERT" },
      { to: ANNA, text: "FENCE ALERT" },
    ]);
    expect(w.requests.reply(120_000)).to.equal("Last locations sent: alert to Anna +1415***0177 1 min ago; alert to owner +1408***0199 1 min ago.");
  });

  it("notices to one number stop at its hourly cap (after the cap's one notice); notifyOwner is a capped notice", () => {
    const w = world();
    w.settings.set("repliesPerHour", "2");
    expect([w.outgoing.notifyOwner("a"), w.outgoing.notifyOwner("b"), w.outgoing.notifyOwner("c"), w.outgoing.notifyOwner("d")]).to.deep.equal([true, true, true, false]);
    const texts = w.sent.filter((m) => m.to === OWNER).map((m) => m.text);
    expect(texts.slice(0, 2)).to.deep.equal(["a", "b"]);
    expect(texts[2]).to.not.equal("c");
    expect(texts).to.have.length(3);
  });
});

/**
 * WHO: the last locations sent, newest first, with how long ago; 10 kept; numbers masked.
 */
import { expect } from "chai";
import { REQUEST_LOG_SIZE, RequestLog, logName } from "../../src/app/request-log.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const EMPTY = "No location was sent since the tracker started.";

/** The reply for one entry noted at 0 and asked about `agoMs` later. */
function agoText(agoMs: number): string {
  const log = new RequestLog();
  log.note("Anna", "WHERE", 1000);
  const reply = log.reply(1000 + agoMs);
  const prefix = "Last locations sent: WHERE to Anna ";
  expect(reply.startsWith(prefix), reply).to.equal(true);
  expect(reply.endsWith("."), reply).to.equal(true);
  return reply.slice(prefix.length, -1);
}

describe("app/RequestLog", () => {
  it("says so when nothing was sent", () => {
    expect(new RequestLog().reply(0)).to.equal(EMPTY);
    expect(new RequestLog().reply(5 * DAY)).to.equal(EMPTY);
  });

  it("one entry: what, to whom, how long ago", () => {
    const log = new RequestLog();
    log.note("Anna +4477***0123", "WHERE", 10 * MIN);
    expect(log.reply(22 * MIN)).to.equal("Last locations sent: WHERE to Anna +4477***0123 12 min ago.");
  });

  it("newest first, joined by '; '", () => {
    const log = new RequestLog();
    log.note("Anna +4477***0123", "WHERE", 0);
    log.note("Bob +1408***0123", "alert", 30 * MIN);
    log.note("Anna +4477***0123", "WHERE", 3 * HOUR);
    expect(log.reply(3 * HOUR + 5 * MIN)).to.equal(
      "Last locations sent: WHERE to Anna +4477***0123 5 min ago; alert to Bob +1408***0123 2 h ago; WHERE to Anna +4477***0123 3 h ago.",
    );
  });

  it("keeps the newest 10", () => {
    expect(REQUEST_LOG_SIZE).to.equal(10);
    const log = new RequestLog();
    for (let i = 1; i <= 10; i++) log.note(`N${i}`, "WHERE", i * MIN);
    const ten = log.reply(20 * MIN);
    expect(ten.split("; ")).to.have.lengthOf(10);
    expect(ten).to.equal(
      "Last locations sent: " +
        [10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((i) => `WHERE to N${i} ${20 - i} min ago`).join("; ") +
        ".",
    );
    log.note("N11", "alert", 11 * MIN);
    log.note("N12", "alert", 12 * MIN);
    expect(log.reply(20 * MIN)).to.equal(
      "Last locations sent: " +
        [12, 11].map((i) => `alert to N${i} ${20 - i} min ago`).join("; ") +
        "; " +
        [10, 9, 8, 7, 6, 5, 4, 3].map((i) => `WHERE to N${i} ${20 - i} min ago`).join("; ") +
        ".",
    );
  });

  it("minutes, rounded down, up to 119", () => {
    expect(agoText(0)).to.equal("0 min ago");
    expect(agoText(MIN - 1)).to.equal("0 min ago");
    expect(agoText(MIN)).to.equal("1 min ago");
    expect(agoText(59 * MIN + 59_999)).to.equal("59 min ago");
    expect(agoText(60 * MIN)).to.equal("60 min ago");
    expect(agoText(120 * MIN - 1)).to.equal("119 min ago");
  });

  it("hours from 120 minutes, rounded down, up to 47", () => {
    expect(agoText(120 * MIN)).to.equal("2 h ago");
    expect(agoText(3 * HOUR - 1)).to.equal("2 h ago");
    expect(agoText(3 * HOUR)).to.equal("3 h ago");
    expect(agoText(24 * HOUR)).to.equal("24 h ago");
    expect(agoText(48 * HOUR - 1)).to.equal("47 h ago");
  });

  it("days from 48 hours, rounded down", () => {
    expect(agoText(48 * HOUR)).to.equal("2 d ago");
    expect(agoText(72 * HOUR - 1)).to.equal("2 d ago");
    expect(agoText(72 * HOUR)).to.equal("3 d ago");
    expect(agoText(30 * DAY + 5 * HOUR)).to.equal("30 d ago");
  });

  it("clear() forgets every entry; noting starts again", () => {
    const log = new RequestLog();
    for (let i = 0; i < 12; i++) log.note(`N${i}`, "WHERE", i);
    log.clear();
    expect(log.reply(MIN)).to.equal(EMPTY);
    log.note("Anna", "alert", MIN);
    expect(log.reply(2 * MIN)).to.equal("Last locations sent: alert to Anna 1 min ago.");
  });

  it("the same reply when asked again (asking changes nothing)", () => {
    const log = new RequestLog();
    log.note("Anna", "WHERE", 0);
    expect(log.reply(5 * MIN)).to.equal(log.reply(5 * MIN));
    expect(log.reply(5 * MIN)).to.equal("Last locations sent: WHERE to Anna 5 min ago.");
  });
});

describe("app/logName", () => {
  it("the name and the masked number", () => {
    expect(logName("Anna", "+447700900123")).to.equal("Anna +4477***0123");
    expect(logName("Bob", "+14085550199")).to.equal("Bob +1408***0199");
    expect(logName("owner", "+4915112345678")).to.equal("owner +4915***5678");
  });

  it("never shows the whole number", () => {
    for (const number of ["+447700900123", "+14085550199", "+6907290", "+123456789"]) {
      expect(logName("X", number)).to.not.include(number.slice(1));
    }
    expect(logName("Tok", "+6907290")).to.equal("Tok ***");
  });

  // 9-character E.164 numbers exist (the Falklands +500 12345): masking must still hide digits.
  it("hides at least one digit of every number E.164 allows (7 to 15 digits)", () => {
    for (let digits = 7; digits <= 15; digits++) {
      const number = "+" + "123456789012345".slice(0, digits);
      const shown = logName("X", number).replace(/[^0-9]/g, "");
      expect(shown.length, number).to.be.below(digits);
    }
  });
});

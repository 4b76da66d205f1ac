import { expect } from "chai";
import { ConcatReassembler, CONCAT_TIMEOUT_MS, type ConcatPart, type ReassembledSms } from "../../../src/sms/pdu/concat-reassembler.ts";
import type { ConcatInfo } from "../../../src/sms/pdu/pdu-decode.ts";
import { FakeClock } from "../../modem/fakes.ts";
import { RecordingLogger } from "./helpers.ts";

const A = "+14085550199";
const B = "+14155550123";

function part(text: string, sequence: number, total: number, reference = 7, referenceBits: 8 | 16 = 8, sentUtcMs = 1_700_000_000_000 + sequence * 1000): ConcatPart {
  const concat: ConcatInfo = { reference, total, sequence, referenceBits };
  return { text, sentUtcMs, concat };
}

function setup(options: { timeoutMs?: number; maxMessages?: number; maxParts?: number } = {}) {
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const got: ReassembledSms[] = [];
  const re = new ConcatReassembler(clock, log, { onMessage: (m) => got.push(m), ...options });
  return { clock, log, got, re };
}

describe("sms/ConcatReassembler", () => {
  it("parts of one sender string with different types of number are different messages", () => {
    const { re, got } = setup();
    expect(re.add({ ...part("a", 1, 2), senderTon: 5 }, "4085550199")).to.equal("pending");
    expect(re.add({ ...part("b", 2, 2), senderTon: 0 }, "4085550199")).to.equal("pending");
    expect(re.pendingCount).to.equal(2);
    expect(re.add({ ...part("c", 2, 2), senderTon: 5 }, "4085550199")).to.equal("emitted");
    expect(got.map((m) => [m.text, m.senderTon])).to.deep.equal([["ac", 5]]);
  });

  it("passes a message that is not concatenated straight through", () => {
    const { re, got, clock } = setup();
    expect(re.add({ text: "WHERE", sentUtcMs: 5 }, A, 3)).to.equal("emitted");
    expect(got).to.deep.equal([{ sender: A, senderTon: -1, text: "WHERE", sentUtcMs: 5, complete: true, missing: [], total: 1, storageIndices: [3] }]);
    expect(clock.pending).to.equal(0);
  });

  it("joins parts that arrive out of order, once, and cancels the timer", () => {
    const { re, got, clock } = setup();
    expect(re.add(part("c", 3, 3), A, 12)).to.equal("pending");
    expect(re.add(part("a", 1, 3), A, 10)).to.equal("pending");
    expect(got).to.have.length(0);
    expect(re.add(part("b", 2, 3), A, 11)).to.equal("emitted");
    expect(got).to.deep.equal([{ sender: A, senderTon: -1, text: "abc", sentUtcMs: 1_700_000_001_000, complete: true, missing: [], total: 3, storageIndices: [12, 10, 11] }]);
    expect([re.pendingCount, clock.pending]).to.deep.equal([0, 0]);
  });

  it("keeps senders, reference sizes, references and totals apart", () => {
    const { re, got } = setup();
    re.add(part("A1", 1, 2, 7, 8), A);
    re.add(part("B1", 1, 2, 7, 8), B);
    re.add(part("W1", 1, 2, 7, 16), A);
    re.add(part("T1", 1, 3, 7, 8), A);
    re.add(part("R1", 1, 2, 8, 8), A);
    expect(re.pendingCount).to.equal(4); // maxMessages 4: the first (A1) was evicted as incomplete
    expect(got.map((m) => [m.text, m.complete, m.missing])).to.deep.equal([["A1", false, [2]]]);
    re.add(part("W2", 2, 2, 7, 16), A);
    re.add(part("B2", 2, 2, 7, 8), B);
    expect(got.slice(1).map((m) => [m.sender, m.text])).to.deep.equal([
      [A, "W1W2"],
      [B, "B1B2"],
    ]);
  });

  it("ignores duplicates, also after the message was emitted", () => {
    const { re, got, clock } = setup();
    re.add(part("x", 1, 2), A, 1);
    expect(re.add(part("x", 1, 2), A, 5)).to.equal("duplicate");
    expect(re.add(part("y", 2, 2), A, 2)).to.equal("emitted");
    expect(got.map((m) => [m.text, m.storageIndices])).to.deep.equal([["xy", [1, 2]]]);
    clock.advance(10_000);
    expect(re.add(part("y", 2, 2), A, 6)).to.equal("duplicate"); // delivered again by the network
    expect(re.pendingCount).to.equal(0);
    clock.advance(CONCAT_TIMEOUT_MS);
    expect(re.add(part("x2", 1, 2), A)).to.equal("pending"); // the reference may be reused later
    expect(re.stats.duplicates).to.equal(2);
  });

  it("emits what arrived, marked incomplete, when a part never comes", () => {
    const { re, got, clock, log } = setup();
    re.add(part("one ", 1, 3), A, 4);
    re.add(part("three", 3, 3), A, 6);
    clock.advance(CONCAT_TIMEOUT_MS - 1);
    expect(got).to.have.length(0);
    clock.advance(1);
    expect(got).to.deep.equal([{ sender: A, senderTon: -1, text: "one three", sentUtcMs: 1_700_000_001_000, complete: false, missing: [2], total: 3, storageIndices: [4, 6] }]);
    expect(log.lines).to.deep.equal(["warn sms concatenated message timeout: 2/3 parts, missing 2"]);
    expect(log.lines.join()).to.not.include("408"); // no phone number in the log
    expect(re.add(part("two ", 2, 3), A, 5)).to.equal("duplicate"); // too late: already answered
    expect([re.pendingCount, clock.pending, re.stats.emittedIncomplete]).to.deep.equal([0, 0, 1]);
  });

  it("uses the configured timeout and bounds memory", () => {
    const { re, got, clock } = setup({ timeoutMs: 1000, maxMessages: 2, maxParts: 3 });
    expect(re.add(part("p", 1, 4), A)).to.equal("dropped");
    re.add(part("a", 1, 2, 1), A);
    re.add(part("b", 1, 2, 2), A);
    re.add(part("c", 1, 2, 3), A);
    expect([re.pendingCount, re.stats.evicted, got.map((m) => m.text)]).to.deep.equal([2, 1, ["a"]]);
    clock.advance(1000);
    expect(got.map((m) => [m.text, m.complete])).to.deep.equal([
      ["a", false],
      ["b", false],
      ["c", false],
    ]);
    expect(clock.pending).to.equal(0);
  });

  it("marks a message with a truncated part incomplete", () => {
    const { re, got } = setup();
    re.add({ ...part("SET SPEED 1", 1, 2), truncated: true }, A);
    re.add(part("20", 2, 2), A);
    expect(got.map((m) => [m.text, m.complete, m.missing])).to.deep.equal([["SET SPEED 120", false, []]]);
    re.add({ text: "cut", sentUtcMs: NaN, truncated: true }, A);
    expect(got[1]!.complete).to.equal(false);
  });

  it("survives a consumer that throws, and clear() drops pending parts and timers", () => {
    const clock = new FakeClock();
    const log = new RecordingLogger();
    const re = new ConcatReassembler(clock, log, {
      onMessage: () => {
        throw new Error("boom");
      },
    });
    expect(re.add({ text: "x", sentUtcMs: 0 }, A)).to.equal("emitted");
    expect(log.lines).to.deep.equal(["error sms onMessage failed: Error: boom"]);
    re.add(part("a", 1, 2), A);
    re.clear();
    expect([re.pendingCount, clock.pending]).to.deep.equal([0, 0]);
  });
});

describe("sms/ConcatReassembler: edges", () => {
  it("a one-part 'concatenated' message passes straight through; storage index 0 is kept, none given is none", () => {
    const { re, got } = setup();
    expect(re.add(part("whole", 1, 1), A, 0)).to.equal("emitted");
    expect(re.add({ text: "plain", sentUtcMs: 5 }, A)).to.equal("emitted");
    expect(got.map((m) => [m.text, m.total, m.storageIndices])).to.deep.equal([["whole", 1, [0]], ["plain", 1, []]]);
    expect(re.stats.emittedComplete).to.equal(2);
  });

  it("slot 0 of a part is listed with the others; a part given without a slot is not", () => {
    const { re, got } = setup();
    re.add(part("a", 1, 3), A, 0);
    re.add(part("b", 2, 3), A);
    re.add(part("c", 3, 3), A, 5);
    expect(got.map((m) => [m.text, m.storageIndices])).to.deep.equal([["abc", [0, 5]]]);
  });

  it("drops parts with too many parts or an impossible number, counting and saying so; the most parts allowed pass", () => {
    const { re, log, got } = setup({ maxParts: 3 });
    expect(re.add(part("x", 1, 4), A)).to.equal("dropped");
    expect(re.add(part("x", 0, 2), A)).to.equal("dropped");
    expect(re.add(part("x", 3, 2), A)).to.equal("dropped");
    expect(re.stats.dropped).to.equal(3);
    expect(log.lines.filter((l) => /dropped part/.test(l))).to.deep.equal([
      "warn sms dropped part 1/4 (more than 3 parts or bad number)",
      "warn sms dropped part 0/2 (more than 3 parts or bad number)",
      "warn sms dropped part 3/2 (more than 3 parts or bad number)",
    ]);
    for (const k of [1, 2, 3]) re.add(part(`${k}`, k, 3), A);
    expect(got.map((m) => m.text)).to.deep.equal(["123"]);
  });

  it("each part's own time stamp: the message takes the lowest-numbered part's", () => {
    const { re, got } = setup();
    re.add(part("b", 2, 2, 7, 8, 2000), A);
    re.add(part("a", 1, 2, 7, 8, 1000), A);
    expect(got[0]!.sentUtcMs).to.equal(1000);
  });

  it("a repeat of a finished message is a duplicate only within the time limit: at it, a new message", () => {
    const { re, clock } = setup({ timeoutMs: 60_000 });
    re.add(part("a", 1, 2), A);
    re.add(part("b", 2, 2), A);
    clock.advance(59_999);
    expect(re.add(part("a", 1, 2), A)).to.equal("duplicate");
    clock.advance(1);
    expect(re.add(part("a", 1, 2), A)).to.equal("pending");
  });

  it("remembers at most four times the messages it holds: older finished ones can come again", () => {
    const { re } = setup({ maxMessages: 1, timeoutMs: 3_600_000 });
    for (let ref = 1; ref <= 5; ref++) {
      re.add(part("a", 1, 2, ref), A);
      re.add(part("b", 2, 2, ref), A);
    }
    expect(re.add(part("a", 1, 2, 1), A), "the first, forgotten").to.equal("pending");
    expect(re.add(part("a", 1, 2, 3), A), "a recent one").to.equal("duplicate");
  });

  it("time limits: zero gives up at once, a negative one means the default", () => {
    const zero = setup({ timeoutMs: 0 });
    zero.re.add(part("a", 1, 2), A);
    zero.clock.advance(0);
    expect(zero.got.map((m) => [m.text, m.complete])).to.deep.equal([["a", false]]);
    const negative = setup({ timeoutMs: -1 });
    negative.re.add(part("a", 1, 2), A);
    negative.clock.advance(CONCAT_TIMEOUT_MS - 1);
    expect(negative.got).to.deep.equal([]);
    negative.clock.advance(1);
    expect(negative.got).to.have.length(1);
  });

  it("what is logged when a message is given up or pushed out; nothing for a complete one", () => {
    const { re, clock, log } = setup({ maxMessages: 1 });
    re.add(part("a", 1, 3, 1), A);
    re.add(part("x", 1, 2, 2), A); // pushes out message 1
    clock.advance(CONCAT_TIMEOUT_MS);
    re.add(part("p", 1, 2, 3), A);
    re.add(part("q", 2, 2, 3), A);
    expect(log.lines.filter((l) => /concatenated message/.test(l))).to.deep.equal([
      "warn sms concatenated message evicted: 1/3 parts, missing 2,3",
      "warn sms concatenated message timeout: 1/2 parts, missing 2",
    ]);
    expect(re.stats).to.deep.include({ emittedComplete: 1, emittedIncomplete: 2, evicted: 1 });
  });
});

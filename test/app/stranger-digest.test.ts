import { expect } from "chai";
import { DIGEST_GATHER_MS, DIGEST_INTERVAL_MS, DIGEST_MAX_SENDERS, StrangerDigest } from "../../src/app/stranger-digest.ts";
import { FakeClock } from "../modem/fakes.ts";

function setup(accept = true) {
  const clock = new FakeClock();
  const sent: Array<{ atMs: number; text: string }> = [];
  const digest = new StrangerDigest(clock, (text) => {
    sent.push({ atMs: clock.monotonicMs(), text });
    return accept;
  });
  return { clock, sent, digest };
}

describe("app/StrangerDigest", () => {
  it("one ignored message: a digest a minute later, naming the masked number", () => {
    const { clock, sent, digest } = setup();
    digest.note("+14155550123", 1);
    clock.advance(DIGEST_GATHER_MS - 1);
    expect(sent).to.deep.equal([]);
    clock.advance(1);
    expect(sent).to.deep.equal([{ atMs: DIGEST_GATHER_MS, text: "Ignored 1 message from 1 unknown sender: +1415***0123. Only registered numbers get answers." }]);
    expect(digest.stats).to.deep.equal({ digests: 1, ignored: 1 });
  });

  it("a flood makes one digest an hour, each counting what came since the last", () => {
    const { clock, sent, digest } = setup();
    for (let k = 0; k < 1000; k++) {
      digest.note(`+1415555${String(k % 50).padStart(4, "0")}`, 1);
      clock.advance(3_000); // 1,000 messages over 50 minutes
    }
    clock.advance(3 * DIGEST_INTERVAL_MS);
    expect(sent.map((s) => s.atMs)).to.deep.equal([DIGEST_GATHER_MS, DIGEST_GATHER_MS + DIGEST_INTERVAL_MS]);
    expect(sent[0]!.text).to.equal("Ignored 20 messages from 20 unknown senders: +1415***0000, +1415***0001, +1415***0002 and 17 more. Only registered numbers get answers.");
    expect(sent[1]!.text).to.equal(
      "Ignored 980 messages from 50 or more unknown senders: +1415***0020, +1415***0021, +1415***0022 and 47 more. Only registered numbers get answers.",
    );
    expect(digest.stats).to.deep.equal({ digests: 2, ignored: 1000 });
  });

  it("a message after a quiet hour is told a minute later again", () => {
    const { clock, sent, digest } = setup();
    digest.note("+14155550123", 1);
    clock.advance(5 * DIGEST_INTERVAL_MS);
    digest.note("+14155550123", 1);
    clock.advance(DIGEST_GATHER_MS);
    expect(sent.map((s) => s.atMs)).to.deep.equal([DIGEST_GATHER_MS, 5 * DIGEST_INTERVAL_MS + DIGEST_GATHER_MS]);
  });

  it("the same sender twice counts once; a sender name is never echoed; senders of unknown and national type are numbers", () => {
    expect(StrangerDigest.text(3, ["1:+14155550123", "5:CALL 0900 NOW", "2:07700900123"])).to.equal(
      "Ignored 3 messages from 3 unknown senders: +1415***0123, a sender name, 07700***23. Only registered numbers get answers.",
    );
    const { clock, sent, digest } = setup();
    digest.note("+14155550123", 1);
    digest.note("+14155550123", 1);
    digest.note("+14155550123", 5);
    digest.note("4155550123", 0);
    clock.advance(DIGEST_GATHER_MS);
    expect(sent[0]!.text).to.equal("Ignored 4 messages from 3 unknown senders: +1415***0123, a sender name, 41555***23. Only registered numbers get answers.");
  });

  it(`counts at most ${DIGEST_MAX_SENDERS} distinct senders (RAM stays bounded)`, () => {
    const { clock, sent, digest } = setup();
    for (let k = 0; k < DIGEST_MAX_SENDERS - 1; k++) digest.note(`+4477009${String(k).padStart(5, "0")}`, 1);
    clock.advance(DIGEST_GATHER_MS);
    expect(sent[0]!.text).to.match(/ from 49 unknown senders: .* and 46 more\./);
  });

  it("a digest the owner could not get (caps, no owner) is not counted; clear() drops what was gathered", () => {
    const { clock, sent, digest } = setup(false);
    digest.note("+14155550123", 1);
    clock.advance(DIGEST_GATHER_MS);
    expect(sent).to.have.length(1);
    expect(digest.stats.digests).to.equal(0);
    digest.note("+14155550123", 1);
    digest.clear();
    clock.advance(2 * DIGEST_INTERVAL_MS);
    expect(sent).to.have.length(1);
    expect(clock.pending).to.equal(0);
  });
});

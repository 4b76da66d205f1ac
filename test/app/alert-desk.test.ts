/** The alert policy: per-kind hourly limits, bursts coalesced into one digest, alerts held while there is no network. */
import { expect } from "chai";
import { AlertDesk, COALESCE_MS, MAX_HELD, RATE_LIMITS } from "../../src/app/alert-desk.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

function world() {
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const sent: { atMs: number; text: string }[] = [];
  const network = { up: true };
  const desk = new AlertDesk({ clock, log, networkUp: () => network.up, send: (text) => sent.push({ atMs: clock.monotonicMs(), text }) });
  return { clock, log, sent, network, desk };
}

describe("app/AlertDesk", () => {
  it("a lone alert goes out at once, unchanged", () => {
    const w = world();
    w.clock.advance(5000);
    w.desk.raise("power", "POWER CUT at 02:14 UTC.");
    expect(w.sent).to.deep.equal([{ atMs: 5000, text: "POWER CUT at 02:14 UTC." }]);
    expect(w.desk.waiting).to.equal(0);
  });

  it("a burst: the first at once, the rest as one digest at the end of the window", () => {
    const w = world();
    w.desk.raise("fence", "A");
    w.clock.advance(1000);
    w.desk.raise("speed", "B");
    w.clock.advance(1000);
    w.desk.raise("power", "C");
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A"]);
    expect(w.desk.waiting).to.equal(2);
    w.clock.advance(COALESCE_MS - 2001);
    expect(w.sent).to.have.length(1);
    w.clock.advance(1);
    expect(w.sent).to.deep.equal([
      { atMs: 0, text: "A" },
      { atMs: COALESCE_MS, text: "2 alerts:\nB\n\nC" },
    ]);
    expect(w.desk.stats).to.include({ raised: 3, sent: 2, coalesced: 2 });
  });

  it("after a quiet window the next alert goes at once again", () => {
    const w = world();
    w.desk.raise("fence", "A");
    w.clock.advance(COALESCE_MS);
    w.desk.raise("fence", "B");
    expect(w.sent.map((s) => [s.atMs, s.text])).to.deep.equal([
      [0, "A"],
      [COALESCE_MS, "B"],
    ]);
  });

  it("a kind past its hourly limit is held back, and the next one that goes says how many", () => {
    const w = world();
    const limit = RATE_LIMITS.speed;
    for (let i = 0; i < limit + 3; i++) {
      w.desk.raise("speed", `S${i}`);
      w.clock.advance(COALESCE_MS);
    }
    expect(w.sent.map((s) => s.text)).to.deep.equal(["S0", "S1", "S2", "S3"].slice(0, limit));
    expect(w.desk.stats.rateLimited).to.equal(3);
    // another kind is not limited by it
    w.desk.raise("fence", "F");
    expect(w.sent.at(-1)!.text).to.equal("F");
    // an hour after the first speed alert, one more may go, with the count
    w.clock.advance(3_600_000 - (limit + 3) * COALESCE_MS);
    w.desk.raise("speed", "S-next");
    expect(w.sent.at(-1)!.text).to.equal("S-next\n(3 more speed alerts in the last hour not sent.)");
    w.clock.advance(COALESCE_MS);
    w.clock.advance(COALESCE_MS);
    w.desk.raise("speed", "S-after");
    expect(w.sent.at(-1)!.text).to.equal("S-after");
  });

  it("one held back reads in the singular", () => {
    const w = world();
    for (let i = 0; i <= RATE_LIMITS.battery; i++) {
      w.desk.raise("battery", `B${i}`);
      w.clock.advance(COALESCE_MS);
    }
    w.clock.advance(3_600_000);
    w.desk.raise("battery", "B-next");
    expect(w.sent.at(-1)!.text).to.equal("B-next\n(1 more battery alert in the last hour not sent.)");
  });

  it("no network: alerts are held, then sent as one digest with a heading when it returns", () => {
    const w = world();
    w.network.up = false;
    w.desk.raise("power", "POWER CUT at 02:14 UTC.");
    w.clock.advance(60_000);
    w.desk.raise("movement", "MOVED at 02:15 UTC.");
    expect(w.sent).to.deep.equal([]);
    w.clock.advance(COALESCE_MS * 10);
    expect(w.sent).to.deep.equal([]);
    w.network.up = true;
    w.desk.networkChanged(true);
    expect(w.sent).to.deep.equal([
      { atMs: 360_000, text: "Sent late: the tracker had no network when these happened.\n2 alerts:\nPOWER CUT at 02:14 UTC.\n\nMOVED at 02:15 UTC." },
    ]);
    expect(w.desk.stats.heldForNetwork).to.equal(2);
  });

  it("a lost network keeps the newest MAX_HELD alerts and says how many older ones were dropped", () => {
    const w = world();
    w.network.up = false;
    const kinds = ["power", "movement", "fence", "speed", "jamming", "engine", "battery", "follow-up"] as const;
    for (let i = 0; i < MAX_HELD + 2; i++) w.desk.raise(kinds[i % kinds.length]!, `A${i}`);
    w.network.up = true;
    w.desk.networkChanged(true);
    const texts = w.sent[0]!.text.split("\n");
    expect(texts.slice(0, 3)).to.deep.equal(["Sent late: the tracker had no network when these happened.", "(2 older alerts dropped: too many to keep.)", `${MAX_HELD} alerts:`]);
    expect(w.sent[0]!.text.endsWith(`A${MAX_HELD + 1}`)).to.equal(true);
    expect(w.sent[0]!.text.includes("\nA2\n")).to.equal(true);
    expect(w.sent[0]!.text.includes("A1\n")).to.equal(false);
    expect(w.desk.stats.dropped).to.equal(2);
  });

  it("the network returning with nothing held sends nothing; going down sends nothing", () => {
    const w = world();
    w.desk.networkChanged(true);
    w.desk.networkChanged(false);
    expect(w.sent).to.deep.equal([]);
  });

  it("a digest due while the network is down waits for the network", () => {
    const w = world();
    w.desk.raise("fence", "A");
    w.desk.raise("fence", "B");
    w.network.up = false;
    w.clock.advance(COALESCE_MS);
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A"]);
    w.network.up = true;
    w.desk.networkChanged(true);
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A", "Sent late: the tracker had no network when these happened.\nB"]);
  });

  it("forget() drops what waits and its timer", () => {
    const w = world();
    w.desk.raise("fence", "A");
    w.desk.raise("fence", "B");
    w.desk.forget();
    w.clock.advance(COALESCE_MS * 2);
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A"]);
    expect(w.clock.pending).to.equal(0);
  });

  it("the hourly window slides: an hour after the first, one more may go, and the limit holds again", () => {
    const w = world();
    const limit = RATE_LIMITS.movement;
    for (let i = 0; i < limit; i++) {
      w.desk.raise("movement", `M${i}`);
      w.clock.advance(COALESCE_MS);
    }
    w.clock.advance(3_600_000 - limit * COALESCE_MS); // exactly an hour after the first
    for (let i = 0; i < limit + 1; i++) {
      w.desk.raise("movement", `N${i}`);
      w.clock.advance(COALESCE_MS);
    }
    expect(w.sent.map((s) => s.text)).to.deep.equal(["M0", "M1", "M2", "N0", "N1", "N2"]);
  });

  it("a lone coalesced alert goes as it is, without a count", () => {
    const w = world();
    w.desk.raise("fence", "A");
    w.desk.raise("speed", "B");
    w.clock.advance(COALESCE_MS);
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A", "B"]);
  });

  it("a window opens again after a digest: the next alert within it waits", () => {
    const w = world();
    w.desk.raise("fence", "A");
    w.desk.raise("speed", "B");
    w.clock.advance(COALESCE_MS);
    w.clock.advance(10_000);
    w.desk.raise("power", "C");
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A", "B"]);
    w.clock.advance(COALESCE_MS);
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A", "B", "C"]);
  });

  it("held alerts stay held when the network is said to be down, and an alert raised before the flush joins them", () => {
    const w = world();
    w.network.up = false;
    w.desk.raise("power", "P");
    w.desk.networkChanged(false);
    expect(w.sent).to.deep.equal([]);
    w.network.up = true; // registered again, networkChanged not called yet
    w.clock.advance(COALESCE_MS * 2);
    w.desk.raise("fence", "F");
    expect(w.sent).to.deep.equal([]);
    w.clock.advance(COALESCE_MS);
    expect(w.sent.map((s) => s.text)).to.deep.equal(["2 alerts:\nP\n\nF"]);
  });

  it("a flush by the network's return leaves the window's timer nothing to send", () => {
    const w = world();
    w.desk.raise("fence", "A");
    w.desk.raise("fence", "B");
    w.desk.networkChanged(true);
    w.clock.advance(COALESCE_MS * 3);
    expect(w.sent.map((s) => s.text)).to.deep.equal(["A", "Sent late: the tracker had no network when these happened.\nB"]);
  });

  it("one dropped alert reads in the singular; forget() also drops what is held", () => {
    const w = world();
    w.network.up = false;
    const kinds = ["power", "movement", "fence", "speed", "jamming", "engine", "battery", "follow-up"] as const;
    for (let i = 0; i < MAX_HELD + 1; i++) w.desk.raise(kinds[i % kinds.length]!, `A${i}`);
    w.network.up = true;
    w.desk.networkChanged(true);
    expect(w.sent[0]!.text.split("\n")[1]).to.equal("(1 older alert dropped: too many to keep.)");
    w.network.up = false;
    w.desk.raise("power", "P");
    w.desk.forget();
    w.network.up = true;
    w.desk.networkChanged(true);
    expect(w.sent).to.have.length(1);
  });
});

/** TRACK: parsing the request, ticks on time, the minimum distance, the honest no-fix text, the end, and a reboot in between. */
import { expect } from "chai";
import { DEFAULT_TRACK_COUNT, parseDistanceM, parseTrackRequest, Tracking } from "../../src/alerts/tracking.ts";
import { Settings } from "../../src/store/settings.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

const OWNER = "+14085550199";
const M_PER_DEG_LAT = 111_195;

function world(store = new MemoryStore(), clock = new FakeClock()) {
  const log = new RecordingLogger();
  const settings = new Settings(store, log);
  const sent: { atMs: number; to: string; text: string }[] = [];
  const state = { fix: undefined as Fix | undefined, registered: true };
  const tracking = new Tracking({
    settings,
    clock,
    log,
    liveFix: () => state.fix,
    positionText: (fix) => `AT ${Math.round((fix.latitudeDeg - 37) * M_PER_DEG_LAT)}`,
    noPositionText: () => "NO FIX",
    registered: () => state.registered,
    send: (to, text) => sent.push({ atMs: clock.monotonicMs(), to, text }),
  });
  return { clock, log, settings, sent, state, tracking, store };
}

/** A live fix `northM` metres north of 37°N. */
function at(northM: number): Fix {
  return testFix({ latitudeDeg: 37 + northM / M_PER_DEG_LAT, longitudeDeg: -121.9 });
}

describe("alerts/tracking", () => {
  describe("parseTrackRequest", () => {
    it("minutes, an optional count and an optional distance with its unit", () => {
      expect(parseTrackRequest(["5"])).to.deep.equal({ intervalMin: 5, count: DEFAULT_TRACK_COUNT, minDistanceM: 0 });
      expect(parseTrackRequest(["5", "20"])).to.deep.equal({ intervalMin: 5, count: 20, minDistanceM: 0 });
      expect(parseTrackRequest(["5", "20", "500m"])).to.deep.equal({ intervalMin: 5, count: 20, minDistanceM: 500 });
      expect(parseTrackRequest(["5", "2km"])).to.deep.equal({ intervalMin: 5, count: DEFAULT_TRACK_COUNT, minDistanceM: 2000 });
      expect(parseTrackRequest(["10", "3", "1mi"])).to.deep.equal({ intervalMin: 10, count: 3, minDistanceM: 1609 });
      expect(parseTrackRequest(["10", "3", "800FT"])).to.deep.equal({ intervalMin: 10, count: 3, minDistanceM: 244 });
    });

    it("without a count, no more than fits in 24 h", () => {
      expect(parseTrackRequest(["240"])).to.deep.equal({ intervalMin: 240, count: 6, minDistanceM: 0 });
      expect(parseTrackRequest(["1440"])).to.deep.equal({ intervalMin: 1440, count: 1, minDistanceM: 0 });
    });

    it("refuses what runs past 24 h or 100 positions, and words that are neither", () => {
      expect(parseTrackRequest(["15", "97"])).to.deep.equal({ problem: "TRACK not started: 97 positions every 15 min would run past 24 h (at most 96)." });
      expect(parseTrackRequest(["1", "101"])).to.deep.equal({ problem: "TRACK not started: the count must be 1 to 100." });
      expect(parseTrackRequest(["5", "0"])).to.deep.equal({ problem: "TRACK not started: the count must be 1 to 100." });
      expect(parseTrackRequest(["5", "20", "500"]).hasOwnProperty("problem")).to.equal(true);
      expect(parseTrackRequest(["5", "20", "500m", "x"]).hasOwnProperty("problem")).to.equal(true);
      expect(parseTrackRequest(["5", "500xx"]).hasOwnProperty("problem")).to.equal(true);
      expect(parseTrackRequest(["5", "200km"])).to.deep.equal({ problem: "TRACK not started: the distance must be 0 to 100000 m." });
      for (const bad of [[], ["0"], ["1441"], ["five"], ["-5"], ["5.5"]]) {
        expect((parseTrackRequest(bad) as { problem: string }).problem, bad.join(" ")).to.match(/TRACK <minutes> \(count\) \(distance\)/);
      }
    });

    it("a count that is not plain digits, and a distance without its unit, are refused with what to do", () => {
      expect(parseTrackRequest(["5", "x20"])).to.deep.equal({ problem: "TRACK not started: give the distance with its unit (500m, 2km). Send TRACK <minutes> (count) (distance), e.g. TRACK 5 20 500m, or TRACK OFF." });
      expect(parseTrackRequest(["5", "20", "500m", "x"])).to.deep.equal(parseTrackRequest(["5", "x20"]));
    });

    it("distances: m, km, ft, mi, a bare number is metres; anything else NaN", () => {
      expect(parseDistanceM("1.25km")).to.equal(1250);
      expect([parseDistanceM("500"), parseDistanceM("500m"), parseDistanceM("1.5km"), parseDistanceM("1000ft"), parseDistanceM("2mi")]).to.deep.equal([500, 500, 1500, 305, 3219]);
      for (const bad of ["", "m", "5yd", "-5m", "1e3m", "5 m"]) expect(parseDistanceM(bad), bad).to.be.NaN;
    });
  });

  describe("Tracking", () => {
    it("a position each interval, counting down, the last one says it ended; then nothing", () => {
      const w = world();
      w.state.fix = at(0);
      expect(w.tracking.start(OWNER, { intervalMin: 5, count: 3, minDistanceM: 0 })).to.equal("Tracking: a position every 5 min, 3 times (15 min). TRACK OFF stops it.");
      expect(w.tracking.summary).to.equal("tracking every 5 min (3 left)");
      w.clock.advance(299_999);
      expect(w.sent).to.deep.equal([]);
      w.clock.advance(1);
      w.clock.advance(20 * 60_000);
      expect(w.sent).to.deep.equal([
        { atMs: 300_000, to: OWNER, text: "TRACK (2 left, TRACK OFF stops): AT 0" },
        { atMs: 600_000, to: OWNER, text: "TRACK (1 left, TRACK OFF stops): AT 0" },
        { atMs: 900_000, to: OWNER, text: "TRACK (the last one: tracking ended): AT 0" },
      ]);
      expect([w.settings.get("track"), w.tracking.plan, w.tracking.summary, w.clock.pending]).to.deep.equal(["", undefined, "", 0]);
    });

    it("with a minimum distance only positions that moved far enough go, and every tick counts", () => {
      const w = world();
      w.state.fix = at(0);
      w.tracking.start(OWNER, { intervalMin: 1, count: 5, minDistanceM: 500 });
      const north = [0, 300, 600, 900, 1000];
      for (const m of north) {
        w.state.fix = at(m);
        w.clock.advance(60_000);
      }
      expect(w.sent.map((s) => s.text)).to.deep.equal([
        "TRACK (4 left, TRACK OFF stops): AT 0",
        "TRACK (2 left, TRACK OFF stops): AT 600",
        "TRACK ended: the vehicle moved less than 500 m since the last position sent.",
      ]);
    });

    it("no live fix: the honest text once per outage, and again on the last tick", () => {
      const w = world();
      w.tracking.start(OWNER, { intervalMin: 2, count: 4, minDistanceM: 0 });
      w.clock.advance(2 * 60_000);
      w.clock.advance(2 * 60_000);
      w.state.fix = at(10);
      w.clock.advance(2 * 60_000);
      w.state.fix = undefined;
      w.clock.advance(2 * 60_000);
      expect(w.sent.map((s) => s.text)).to.deep.equal([
        "TRACK (3 left, TRACK OFF stops): NO FIX",
        "TRACK (1 left, TRACK OFF stops): AT 10",
        "TRACK (the last one: tracking ended): NO FIX",
      ]);
    });

    it("TRACK OFF stops it at once; OFF when not tracking says so", () => {
      const w = world();
      w.state.fix = at(0);
      expect(w.tracking.stop()).to.equal("Tracking was not on.");
      w.tracking.start(OWNER, { intervalMin: 5, count: 3, minDistanceM: 0 });
      w.clock.advance(5 * 60_000);
      expect(w.tracking.stop()).to.equal("Tracking stopped.");
      w.clock.advance(60 * 60_000);
      expect(w.sent).to.have.length(1);
      expect(w.settings.get("track")).to.equal("");
    });

    it("a new TRACK replaces the running one", () => {
      const w = world();
      w.state.fix = at(0);
      w.tracking.start(OWNER, { intervalMin: 5, count: 3, minDistanceM: 0 });
      w.clock.advance(4 * 60_000);
      w.tracking.start("+14155550177", { intervalMin: 10, count: 2, minDistanceM: 0 });
      w.clock.advance(30 * 60_000);
      expect(w.sent.map((s) => [s.atMs, s.to])).to.deep.equal([
        [14 * 60_000, "+14155550177"],
        [24 * 60_000, "+14155550177"],
      ]);
    });

    it("survives a reboot: the plan and the ticks left are in the settings", () => {
      const w = world();
      w.state.fix = at(0);
      w.tracking.start(OWNER, { intervalMin: 5, count: 4, minDistanceM: 0 });
      w.clock.advance(5 * 60_000);
      expect(w.settings.get("track")).to.equal(`5,4,0,3,${OWNER}`);
      const after = world(w.store);
      after.state.fix = at(0);
      expect(after.tracking.summary).to.equal("tracking every 5 min (3 left)");
      after.clock.advance(60 * 60_000);
      expect(after.sent.map((s) => s.text)).to.deep.equal([
        "TRACK (2 left, TRACK OFF stops): AT 0",
        "TRACK (1 left, TRACK OFF stops): AT 0",
        "TRACK (the last one: tracking ended): AT 0",
      ]);
    });

    it("a number no longer registered gets nothing more, and tracking ends", () => {
      const w = world();
      w.state.fix = at(0);
      w.tracking.start(OWNER, { intervalMin: 5, count: 4, minDistanceM: 0 });
      w.state.registered = false;
      w.clock.advance(60 * 60_000);
      expect(w.sent).to.deep.equal([]);
      expect(w.settings.get("track")).to.equal("");
    });

    it("a second outage is told again; an outage running into the last tick is told on it", () => {
      const w = world();
      w.tracking.start(OWNER, { intervalMin: 1, count: 6, minDistanceM: 0 });
      for (const fix of [undefined, at(0), undefined, undefined, undefined, undefined]) {
        w.state.fix = fix;
        w.clock.advance(60_000);
      }
      expect(w.sent.map((s) => s.text)).to.deep.equal([
        "TRACK (5 left, TRACK OFF stops): NO FIX",
        "TRACK (4 left, TRACK OFF stops): AT 0",
        "TRACK (3 left, TRACK OFF stops): NO FIX",
        "TRACK (the last one: tracking ended): NO FIX",
      ]);
    });

    it("after a reboot with no fix the first tick tells it", () => {
      const w = world();
      w.tracking.start(OWNER, { intervalMin: 5, count: 3, minDistanceM: 0 });
      const after = world(w.store);
      after.clock.advance(5 * 60_000);
      expect(after.sent.map((s) => s.text)).to.deep.equal(["TRACK (2 left, TRACK OFF stops): NO FIX"]);
    });

    it("a stored plan with nothing left is no plan; a plan erased under a pending tick sends nothing", () => {
      const store = new MemoryStore();
      const w = world(store);
      w.settings.set("track", `5,3,0,0,${OWNER}`);
      const after = world(store);
      expect([after.tracking.plan, after.tracking.summary, after.clock.pending]).to.deep.equal([undefined, "", 0]);
      after.tracking.start(OWNER, { intervalMin: 5, count: 3, minDistanceM: 0 });
      after.settings.set("track", "");
      after.clock.advance(60 * 60_000);
      expect(after.sent).to.deep.equal([]);
    });

    it("a store that refuses the write: TRACK and TRACK OFF say so; a tick still goes out and the failure is logged", () => {
      const store = new MemoryStore();
      const w = world(store);
      w.state.fix = at(0);
      expect(w.tracking.start(OWNER, { intervalMin: 5, count: 3, minDistanceM: 0 })).to.match(/^Tracking: /);
      const refuse = store.set.bind(store);
      store.set = () => {
        throw new Error("flash worn out");
      };
      expect(w.tracking.start(OWNER, { intervalMin: 5, count: 2, minDistanceM: 0 })).to.equal("TRACK failed: store refused the write: flash worn out.");
      w.clock.advance(5 * 60_000);
      expect(w.sent.map((s) => s.text)).to.deep.equal(["TRACK (2 left, TRACK OFF stops): AT 0"]);
      expect(w.log.lines).to.include("error track: the tracking plan could not be saved: store refused the write: flash worn out");
      expect(w.tracking.stop()).to.equal("TRACK OFF failed: store refused the write: flash worn out.");
      store.set = refuse;
    });

    it("forget() stops the ticks (RESET erases the plan with the settings)", () => {
      const w = world();
      w.tracking.start(OWNER, { intervalMin: 5, count: 4, minDistanceM: 0 });
      w.tracking.forget();
      w.clock.advance(60 * 60_000);
      expect(w.sent).to.deep.equal([]);
    });

    it("plans of 2 hours or more state their span in hours", () => {
      const w = world();
      expect(w.tracking.start(OWNER, { intervalMin: 60, count: 2, minDistanceM: 0 })).to.match(/, 2 times \(2 h\)\./);
      expect(w.tracking.start(OWNER, { intervalMin: 119, count: 1, minDistanceM: 0 })).to.match(/, 1 times \(119 min\)\./);
      expect(w.tracking.start(OWNER, { intervalMin: 60, count: 24, minDistanceM: 1000 })).to.equal(
        "Tracking: a position every 60 min when it moved 1000 m or more, 24 times (24 h). TRACK OFF stops it.",
      );
    });
  });
});

import { expect } from "chai";
import { VirtualClock } from "../../host-sim/clock.ts";
import { Random } from "../../host-sim/random.ts";

describe("host-sim VirtualClock", () => {
  it("runs events in time order, same-time events in scheduling order, at their own time", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const record = (name: string) => () => {
      seen.push(`${name}@${clock.nowMs}`);
    };
    clock.at(30, record("c"));
    clock.at(10, record("a1"));
    clock.after(20, record("b"));
    clock.at(10, record("a2"));
    clock.at(10, record("a3"));
    await clock.runUntil(100);
    expect(seen).to.deep.equal(["a1@10", "a2@10", "a3@10", "b@20", "c@30"]);
    expect(clock.nowMs).to.equal(100);
  });

  it("runs events due exactly at the end time, leaves later ones pending", async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.at(50, () => void seen.push(50));
    clock.at(51, () => void seen.push(51));
    await clock.runUntil(50);
    expect(seen).to.deep.equal([50]);
    expect(clock.nextEventMs()).to.equal(51);
    await clock.runFor(1);
    expect(seen).to.deep.equal([50, 51]);
    expect(clock.nextEventMs()).to.equal(undefined);
  });

  it("cancel() drops an event; cancelling undefined or a handle that already ran is harmless", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const first = clock.at(5, () => void seen.push("first"));
    const dropped = clock.at(10, () => void seen.push("dropped"));
    clock.at(15, () => void seen.push("kept"));
    clock.cancel(dropped);
    clock.cancel(undefined);
    expect(clock.nextEventMs()).to.equal(5);
    await clock.runUntil(7);
    clock.cancel(first); // already ran
    expect(clock.nextEventMs()).to.equal(15); // the cancelled 10 ms event is not reported
    await clock.runUntil(20);
    expect(seen).to.deep.equal(["first", "kept"]);
  });

  it("an event can cancel a later one while the clock runs", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const later = clock.at(20, () => void seen.push("later"));
    clock.at(10, () => {
      seen.push("canceller");
      clock.cancel(later);
    });
    await clock.runUntil(30);
    expect(seen).to.deep.equal(["canceller"]);
  });

  it("runUntil sets the time to the end even with no events, and never moves time backwards", async () => {
    const clock = new VirtualClock();
    await clock.runUntil(1234);
    expect(clock.nowMs).to.equal(1234);
    await clock.runFor(766);
    expect(clock.nowMs).to.equal(2000);
    await clock.runUntil(500);
    expect(clock.nowMs).to.equal(2000);
  });

  it("awaits async actions before running the next event", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.at(10, async () => {
      seen.push("async start");
      await Promise.resolve();
      await new Promise<void>((resolve) => setImmediate(resolve));
      seen.push(`async end@${clock.nowMs}`);
    });
    clock.at(10, () => void seen.push("same-time next"));
    clock.at(11, () => void seen.push("later"));
    await clock.runUntil(20);
    expect(seen).to.deep.equal(["async start", "async end@10", "same-time next", "later"]);
  });

  it("events scheduled by an event run in the same runUntil when they are due", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.at(10, () => {
      seen.push("outer");
      clock.after(0, () => void seen.push(`inner0@${clock.nowMs}`));
      clock.after(5, () => void seen.push(`inner5@${clock.nowMs}`));
      clock.after(50, () => void seen.push("too late"));
    });
    await clock.runUntil(20);
    expect(seen).to.deep.equal(["outer", "inner0@10", "inner5@15"]);
    expect(clock.nextEventMs()).to.equal(60);
  });

  it("events scheduled in the past (or with a negative delay) run at now", async () => {
    const clock = new VirtualClock();
    await clock.runUntil(100);
    const seen: string[] = [];
    clock.at(40, () => void seen.push(`past@${clock.nowMs}`));
    clock.after(-30, () => void seen.push(`negative@${clock.nowMs}`));
    expect(clock.nextEventMs()).to.equal(100);
    await clock.runUntil(100);
    expect(seen).to.deep.equal(["past@100", "negative@100"]);
    expect(clock.nowMs).to.equal(100);
  });

  describe("runUntilCondition", () => {
    it("stops right after the first event after which the condition holds", async () => {
      const clock = new VirtualClock();
      let count = 0;
      for (const t of [10, 20, 30, 40]) clock.at(t, () => void count++);
      const met = await clock.runUntilCondition(() => count >= 2, 1000);
      expect(met).to.equal(true);
      expect(clock.nowMs).to.equal(20);
      expect(count).to.equal(2);
      expect(clock.nextEventMs()).to.equal(30);
    });

    it("returns true at once, without running anything, when the condition already holds", async () => {
      const clock = new VirtualClock();
      let ran = false;
      clock.at(0, () => void (ran = true));
      expect(await clock.runUntilCondition(() => true, 1000)).to.equal(true);
      expect(ran).to.equal(false);
      expect(clock.nowMs).to.equal(0);
    });

    it("returns false with the time at the deadline when the condition never holds", async () => {
      const clock = new VirtualClock();
      await clock.runUntil(100);
      let count = 0;
      clock.after(10, () => void count++);
      clock.after(500, () => void count++);
      clock.after(501, () => void count++);
      const met = await clock.runUntilCondition(() => count >= 5, 500);
      expect(met).to.equal(false);
      expect(clock.nowMs).to.equal(600);
      expect(count).to.equal(2); // the event exactly at the deadline ran, the one after it did not
      expect(clock.nextEventMs()).to.equal(601);
    });

    it("returns false at the deadline when there are no events at all", async () => {
      const clock = new VirtualClock();
      expect(await clock.runUntilCondition(() => false, 250)).to.equal(false);
      expect(clock.nowMs).to.equal(250);
    });

    it("awaits async actions before checking the condition", async () => {
      const clock = new VirtualClock();
      let done = false;
      clock.at(10, async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        done = true;
      });
      clock.at(20, () => {
        throw new Error("should not run: the condition held after the first event");
      });
      expect(await clock.runUntilCondition(() => done, 100)).to.equal(true);
      expect(clock.nowMs).to.equal(10);
    });
  });

  it("10,000 random events (some cancelled) come out sorted by time, ties in scheduling order", async () => {
    const clock = new VirtualClock();
    const random = new Random(42);
    const fired: { at: number; seq: number; now: number }[] = [];
    const handles = [];
    const cancelled = new Set<number>();
    for (let seq = 0; seq < 10_000; seq++) {
      const at = random.int(0, 2_000); // plenty of ties
      handles.push(clock.at(at, () => void fired.push({ at, seq, now: clock.nowMs })));
    }
    for (let seq = 0; seq < 10_000; seq += 7) {
      clock.cancel(handles[seq]);
      cancelled.add(seq);
    }
    await clock.runUntil(2_000);
    expect(fired).to.have.length(10_000 - cancelled.size);
    for (const f of fired) {
      expect(f.now).to.equal(f.at);
      expect(cancelled.has(f.seq)).to.equal(false);
    }
    for (let i = 1; i < fired.length; i++) {
      const a = fired[i - 1]!;
      const b = fired[i]!;
      const inOrder = a.at < b.at || (a.at === b.at && a.seq < b.seq);
      if (!inOrder) expect.fail(`event ${i} out of order: ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
    }
    expect(clock.nextEventMs()).to.equal(undefined);
  });
});

/** A fake wall clock: sleeping moves its time forward at once (or to when it was woken). */
class FakeWall {
  now = 1000;
  sleeps: number[] = [];
  /** Called during a sleep, before time moves: lets a test schedule an event "while waiting". */
  duringSleep: ((wall: FakeWall) => void) | undefined;
  nowMs(): number {
    return this.now;
  }
  async sleep(ms: number, wake: Promise<void>): Promise<void> {
    this.sleeps.push(ms);
    let woken = false;
    void wake.then(() => (woken = true));
    const hook = this.duringSleep;
    this.duringSleep = undefined;
    hook?.(this);
    await Promise.resolve();
    if (!woken) this.now += ms;
  }
}

describe("host-sim VirtualClock in wall-clock mode", () => {
  it("follows the wall clock: events run when their time has come, none early, late ones at once in order", async () => {
    const wall = new FakeWall();
    const clock = new VirtualClock({ wall });
    expect(clock.followsWallClock).to.equal(true);
    const seen: string[] = [];
    clock.at(50, () => void seen.push(`a@${clock.nowMs}`));
    clock.at(20, () => void seen.push(`b@${clock.nowMs}`));
    await clock.runUntil(100);
    expect(seen).to.deep.equal(["b@20", "a@50"]);
    expect(clock.nowMs).to.equal(100);
    expect(wall.sleeps).to.deep.equal([20, 30, 50]);
    // the wall moved on by itself (the host was busy): due events run at once, in time order
    clock.at(110, () => void seen.push(`c@${clock.nowMs}`));
    clock.at(105, () => void seen.push(`d@${clock.nowMs}`));
    wall.now += 30;
    await clock.runFor(0);
    expect(seen.slice(2)).to.deep.equal(["d@130", "c@130"]);
  });

  it("an event scheduled while a run waits (bytes from a free-running firmware) wakes it at once", async () => {
    const wall = new FakeWall();
    const clock = new VirtualClock({ wall });
    const seen: string[] = [];
    wall.duringSleep = () => {
      wall.now += 7; // 7 ms into the wait, data arrives
      clock.at(clock.nowMs, () => void seen.push(`data@${clock.nowMs}`));
    };
    const met = await clock.runUntilCondition(() => seen.length > 0, 60_000);
    expect(met).to.equal(true);
    expect(seen).to.deep.equal(["data@7"]);
    expect(clock.nowMs).to.equal(7);
  });

  it("runUntilCondition gives up at its limit in wall time", async () => {
    const wall = new FakeWall();
    const clock = new VirtualClock({ wall });
    expect(await clock.runUntilCondition(() => false, 5000)).to.equal(false);
    expect(clock.nowMs).to.equal(5000);
  });
});

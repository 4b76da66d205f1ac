import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { VirtualClock } from "../../../host-sim/clock.ts";
import { UartWire } from "../../../host-sim/uart.ts";
import { defaultDrive } from "../../../host-sim/gnss/drive.ts";
import { PREFETCH_AFTER_EPOCHS, type VirtualGnssOptions, VirtualGnss } from "../../../host-sim/gnss/virtual-gnss.ts";
import { acquireEngineCpu, releaseEngineCpu } from "../../../host-sim/engines/cpu-affinity.ts";
import { OPEN_SKY } from "../../../host-sim/gnss/receiver-errors.ts";
import { EpochPrefetch, RING_EPOCHS } from "../../../host-sim/gnss/epoch-prefetch.ts";

/** A receiver on its own clock, and every byte it put on the wire. */
function receiver(options: VirtualGnssOptions) {
  const clock = new VirtualClock();
  const sent: Buffer[] = [];
  const wire = new UartWire(clock, { baud: 115_200 }, (bytes) => {
    sent.push(Buffer.from(bytes));
  });
  const gnss = new VirtualGnss(clock, wire, defaultDrive(), options);
  return { clock, gnss, bytes: () => Buffer.concat(sent) };
}

/** A thread's CPU list (Linux). */
function threadCpus(tid: number): string | undefined {
  return /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/self/task/${tid}/status`, "utf8"))?.[1];
}

describe("host-sim epoch prefetch (the receiver's epochs made ahead on a worker thread)", function () {
  this.timeout(30_000);

  it("puts the same bytes on the wire as the receiver makes itself, the sky lost for a while included", async () => {
    const ahead = receiver({ sky: "changing" });
    const alone = receiver({ sky: "changing", prefetch: false });
    const runTo = async (s: number) => {
      await ahead.clock.runUntil(s * 1000);
      await alone.clock.runUntil(s * 1000);
    };
    for (const rx of [ahead, alone]) rx.gnss.start();
    await runTo(PREFETCH_AFTER_EPOCHS + 5);
    const worker = ahead.gnss.prefetchWorker;
    expect(worker, "a worker once the run is long enough").to.not.equal(undefined);
    expect(alone.gnss.prefetchWorker).to.equal(undefined);
    await worker!.ready;
    await runTo(1200);
    for (const rx of [ahead, alone]) rx.gnss.setSignalLost(true);
    await runTo(1300);
    for (const rx of [ahead, alone]) rx.gnss.setSignalLost(false);
    await runTo(1800);
    const counts = ahead.gnss.prefetchCounts;
    expect(counts.hits, "epochs taken from the worker").to.be.above(500);
    expect(ahead.gnss.lastEpoch).to.deep.equal(alone.gnss.lastEpoch);
    expect(ahead.gnss.epochsSent).to.equal(alone.gnss.epochsSent);
    expect(ahead.bytes().equals(alone.bytes()), "the same bytes").to.equal(true);
    ahead.gnss.close();
  });

  it("starts no worker for a short run, the fixed sky, or receiver errors", async () => {
    const short = receiver({ sky: "changing" });
    short.gnss.start();
    await short.clock.runUntil((PREFETCH_AFTER_EPOCHS - 2) * 1000);
    expect(short.gnss.prefetchWorker, "a run shorter than PREFETCH_AFTER_EPOCHS").to.equal(undefined);
    for (const options of [{ sky: "fixed" as const }, { sky: "changing" as const, errors: OPEN_SKY }]) {
      const rx = receiver(options);
      rx.gnss.start();
      await rx.clock.runUntil((PREFETCH_AFTER_EPOCHS + 10) * 1000);
      expect(rx.gnss.prefetchWorker, JSON.stringify(options)).to.equal(undefined);
    }
  });

  it("ends its worker once the receiver has taken nothing for a while; what the ring holds stays right", async () => {
    const prefetch = new EpochPrefetch(defaultDrive(), { sky: "changing" }, 0, 50);
    await prefetch.ready;
    await prefetch.ended; // nothing taken: the worker ends by itself after 50 ms
    const own = receiver({ sky: "changing", prefetch: false }).gnss;
    expect(Buffer.from(prefetch.take(5)!).toString("latin1")).to.equal(own.epochAt(5000).join("\r\n") + "\r\n");
    expect(prefetch.take(RING_EPOCHS + 10), "beyond what it made").to.equal(undefined);
    expect(prefetch.hits).to.equal(1);
    expect(prefetch.misses).to.equal(1);
  });

  it("runs its worker on the CPUs this thread had before an XS engine pinned it", async function () {
    if (process.platform !== "linux" || !existsSync("/usr/bin/taskset") || cpus().length < 2) this.skip();
    const before = threadCpus(process.pid);
    const pinned = acquireEngineCpu();
    try {
      if (pinned === undefined) this.skip();
      expect(threadCpus(process.pid)).to.equal(String(pinned));
      const rx = receiver({ sky: "changing" });
      rx.gnss.start();
      await rx.clock.runUntil((PREFETCH_AFTER_EPOCHS + 1) * 1000);
      const worker = rx.gnss.prefetchWorker!;
      await worker.ready;
      expect(worker.workerTid).to.be.a("number");
      expect(threadCpus(worker.workerTid!)).to.equal(before);
      rx.gnss.close();
    } finally {
      releaseEngineCpu();
    }
  });
});

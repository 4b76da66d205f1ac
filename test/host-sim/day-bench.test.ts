/**
 * The day benchmark's code on a tiny day (10 simulated minutes, a fleet of 2): it runs on both
 * engines, checks the day's expectations and prints its table. No speed figure is asserted.
 */
import { expect } from "chai";
import { printDayBench } from "../../host-sim/bench/day-bench.ts";
import { DAY_EXCHANGES, DAY_LEGS, DAY_MS, dayExchanges } from "../../host-sim/scenario/bench-scenarios.ts";
import { driveDurationMs } from "../../host-sim/gnss/drive.ts";
import { planFrom } from "../../host-sim/scenario/vehicle-scenarios.ts";

describe("day benchmark (host-sim/bench/day-bench.ts)", function () {
  this.timeout(120_000);

  it("the day's 200 commands are spread over the day, from the owner, the admin and the user, with TRACKs", () => {
    const exchanges = dayExchanges();
    expect(exchanges).to.have.length(DAY_EXCHANGES);
    const times = exchanges.map((e) => e.atMs);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!), "in time order").to.equal(true);
    expect(times[0]).to.be.within(0, 10 * 60_000);
    expect(times.at(-1)).to.be.within(DAY_MS - 60 * 60_000, DAY_MS - 20 * 60_000);
    const from = (who: string) => exchanges.filter((e) => e.from === who).length;
    expect([from("owner"), from("anna"), from("bob")]).to.deep.equal([100, 50, 50]);
    expect(exchanges.filter((e) => e.text.startsWith("TRACK")).length).to.equal(4);
    // the plan fits the day and leaves the car parked at home for the evening
    const planMs = driveDurationMs(planFrom(DAY_LEGS));
    expect(planMs).to.be.within(16 * 3600_000, 20 * 3600_000);
  });

  it("runs a 10-minute day on Node and XS (with the heap figures) and a fleet of 2, and prints the table", async () => {
    const lines: string[] = [];
    await printDayBench({ dayMs: 10 * 60_000, fleet: 2, print: (line) => lines.push(line) });
    const text = lines.join("\n");
    expect(text).to.match(/A day of one tracker \(day-drive-10min\): 10 min/);
    expect(text).to.match(/^ {2}node +PASS +\d+\.\d +\d+\.\d +[\d,]+x$/m);
    expect(text).to.match(/^ {2}xs +PASS +\d+\.\d +\d+\.\d +[\d,]+x$/m);
    expect(text).to.match(/machine speed: a reference loop took \d+ ms before the days, \d+ ms after/);
    expect(text).to.match(/after boot \(ready\) +[\d,]+/);
    expect(text).to.match(/after 10 min +[\d,]+ +\([+-]\d+\.\d\d % on the 25 s figure\)/);
    expect(text).to.match(/fleet: 2 trackers x 10 min on node, --jobs 2: \d+\.\d s wall, [\d,]+ tracker-days per hour, 2\/2 passed/);
    expect(text).to.not.match(/✗/);
  });
});

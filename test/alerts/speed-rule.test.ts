/**
 * The overspeed rule: one report per excursion (at its end, or REPORT_AFTER_MS into it, never both),
 * with the top speed and its fix; spikes, noise around the limit and lost fixes make no extra reports.
 */
import { expect } from "chai";
import { CONFIRM_MS, END_MS, HYSTERESIS_KMH, LOST_MS, MAX_FIX_GAP_MS, MAX_HDOP, REPORT_AFTER_MS, SpeedRule, type SpeedExcursion } from "../../src/alerts/speed-rule.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import { seededRandom } from "../modem/fakes.ts";

const LIMIT = 100;

function fixAt(speedKmh: number, atMs: number, over: Partial<Fix> = {}): Fix {
  return testFix({ speedKmh, receivedAtMs: atMs, ...over });
}

function ruleAt(limitKmh = LIMIT): SpeedRule {
  const rule = new SpeedRule();
  rule.setLimit(limitKmh);
  return rule;
}

/** Feed a speed profile one fix a second from `fromS`: every report with the second it came at. */
function drive(rule: SpeedRule, fromS: number, speeds: readonly number[]): { atS: number; report: SpeedExcursion }[] {
  const reports: { atS: number; report: SpeedExcursion }[] = [];
  speeds.forEach((speed, i) => {
    const report = rule.onFix(fixAt(speed, (fromS + i) * 1000));
    if (report) reports.push({ atS: fromS + i, report });
  });
  return reports;
}

const repeat = (speedKmh: number, seconds: number): number[] => new Array<number>(seconds).fill(speedKmh);

describe("alerts/SpeedRule: one report per excursion", () => {
  it("a minute at up to 127 km/h, then 80: one report END_MS after the drop, with the top speed and its fix", () => {
    const rule = ruleAt();
    const speeds = [...repeat(90, 60), ...repeat(120, 20), 127, ...repeat(118, 39), ...repeat(80, 60)];
    const reports = drive(rule, 0, speeds);
    expect(reports.map((r) => r.atS)).to.deep.equal([120 + END_MS / 1000]);
    const report = reports[0]!.report;
    expect(report).to.deep.include({ limitKmh: LIMIT, topKmh: 127, startedMs: 60_000, durationMs: 60_000, ended: true });
    expect(report.topFix.receivedAtMs).to.equal(80_000);
    expect(report.topFix.speedKmh).to.equal(127);
    expect(Object.isFrozen(report)).to.equal(true);
    expect(rule.speeding).to.equal(false);
  });

  it("the top fix is the first at the top speed (a later equal speed does not replace it)", () => {
    const rule = ruleAt();
    const reports = drive(rule, 0, [110, 115, 112, 115, ...repeat(112, 14), 115, ...repeat(111, 10), ...repeat(50, 31)]);
    expect(reports[0]?.report.topFix.receivedAtMs).to.equal(1000);
  });

  it(`a long excursion is reported once, REPORT_AFTER_MS (${REPORT_AFTER_MS} ms) in, still going; its end says nothing more`, () => {
    const rule = ruleAt();
    const reports = drive(rule, 0, [...repeat(80, 10), ...repeat(115, 300), ...repeat(60, 100)]);
    expect(reports.map((r) => [r.atS, r.report.ended, r.report.durationMs])).to.deep.equal([[10 + REPORT_AFTER_MS / 1000, false, REPORT_AFTER_MS]]);
    expect(reports[0]!.report.startedMs).to.equal(10_000);
    expect(rule.speeding).to.equal(false);
    // the next excursion is a new one, reported again
    const next = drive(rule, 410, [...repeat(130, 20), ...repeat(60, 40)]);
    expect(next.map((r) => [r.atS, r.report.ended, r.report.startedMs, r.report.durationMs])).to.deep.equal([[460, true, 410_000, 20_000]]);
  });

  it("an excursion ending just before REPORT_AFTER_MS is reported at its end only; one lasting exactly that long while going, then", () => {
    const short = ruleAt();
    const ended = drive(short, 0, [...repeat(115, REPORT_AFTER_MS / 1000), ...repeat(60, 40)]);
    expect(ended.map((r) => [r.atS, r.report.ended, r.report.durationMs])).to.deep.equal([[150, true, REPORT_AFTER_MS]]);
    const long = ruleAt();
    const going = drive(long, 0, [...repeat(115, REPORT_AFTER_MS / 1000 + 1), ...repeat(60, 40)]);
    expect(going.map((r) => [r.atS, r.report.ended])).to.deep.equal([[120, false]]);
  });

  it("after a report while going, the rule waits for that excursion's end: driving on for an hour reports nothing more", () => {
    const rule = ruleAt();
    const speeds: number[] = [];
    for (let s = 0; s < 3600; s++) speeds.push(s % 40 < 20 ? 103 : 97); // in and out of the band, never below 95
    const reports = drive(rule, 0, speeds);
    expect(reports.map((r) => [r.atS, r.report.ended])).to.deep.equal([[120, false]]);
    expect(rule.speeding).to.equal(true);
  });
});

describe("alerts/SpeedRule: confirmation and hysteresis", () => {
  it(`a run above the limit shorter than CONFIRM_MS (${CONFIRM_MS} ms) is no excursion; exactly CONFIRM_MS is`, () => {
    const short = ruleAt();
    expect(drive(short, 0, [...repeat(130, CONFIRM_MS / 1000), ...repeat(60, 100)])).to.deep.equal([]);
    const exact = ruleAt();
    const reports = drive(exact, 0, [...repeat(130, CONFIRM_MS / 1000 + 1), ...repeat(60, 100)]);
    expect(reports.map((r) => [r.atS, r.report.durationMs])).to.deep.equal([[11 + END_MS / 1000, 11_000]]);
  });

  it("the limit itself is not above it; a fix at the limit cancels the run", () => {
    const atLimit = ruleAt();
    expect(drive(atLimit, 0, [...repeat(LIMIT, 60), ...repeat(60, 40)])).to.deep.equal([]);
    const broken = ruleAt();
    expect(drive(broken, 0, [...repeat(101, 9), LIMIT, ...repeat(101, 9), LIMIT, ...repeat(60, 40)])).to.deep.equal([]);
  });

  it("single-fix spikes in noisy driving at 95 km/h (seeded, an hour, some fixes above 100) are no excursion", () => {
    const next = seededRandom(7);
    const rule = ruleAt();
    let above = 0;
    const speeds: number[] = [];
    for (let s = 0; s < 3600; s++) {
      const spike = next() < 0.01 ? 8 + next() * 20 : 0; // a Doppler glitch now and then
      const speed = 95 + (next() - 0.5) * 4 + spike;
      if (speed > LIMIT) above++;
      speeds.push(speed);
    }
    expect(above, "fixes above the limit").to.be.at.least(20);
    expect(drive(rule, 0, speeds)).to.deep.equal([]);
  });

  it(`good fixes more than MAX_FIX_GAP_MS (${MAX_FIX_GAP_MS} ms) apart do not make a run; exactly that far apart they do`, () => {
    const gappy = ruleAt();
    for (let t = 0; t < 13_000; t += MAX_FIX_GAP_MS + 1) expect(gappy.onFix(fixAt(130, t))).to.equal(undefined);
    expect(gappy.speeding).to.equal(false); // 5 fixes over 12 s, each a new run
    const steady = ruleAt();
    for (let t = 0; t <= 12_000; t += MAX_FIX_GAP_MS) steady.onFix(fixAt(130, t));
    expect(steady.speeding).to.equal(true);
  });

  it(`the end needs END_MS below limit - ${HYSTERESIS_KMH}: the band (95-100) neither ends nor lets it end; 94.9 counts`, () => {
    const rule = ruleAt();
    drive(rule, 0, repeat(120, 20));
    expect(drive(rule, 20, repeat(95, 50))).to.deep.equal([]); // the band
    expect(drive(rule, 70, [...repeat(94.9, 29), 96, ...repeat(94.9, 29)])).to.deep.equal([]); // one band fix restarts the ending
    const reports = drive(rule, 129, repeat(94.9, 10));
    expect(reports.map((r) => [r.atS, r.report.durationMs])).to.deep.equal([[130, 100_000]]);
  });

  it("invalid and poor fixes neither extend nor end an excursion (up to LOST_MS without a good fix)", () => {
    const rule = ruleAt();
    drive(rule, 0, repeat(120, 20));
    for (let s = 20; s < 45; s++) expect(rule.onFix(fixAt(60, s * 1000, { valid: false }))).to.equal(undefined);
    expect(rule.speeding).to.equal(true);
    expect(rule.onFix(fixAt(118, 45_000))).to.equal(undefined);
    for (let s = 46; s <= 70; s++) expect(rule.onFix(fixAt(60, s * 1000, { hdop: MAX_HDOP + 0.5 }))).to.equal(undefined);
    expect(rule.speeding).to.equal(true);
    const reports = drive(rule, 71, repeat(60, 40));
    expect(reports.map((r) => [r.atS, r.report.durationMs])).to.deep.equal([[101, 71_000]]);
  });
});

describe("alerts/SpeedRule: losing the fix", () => {
  it(`no good fix for more than LOST_MS (${LOST_MS} ms) ends the excursion at the last good fix; exactly LOST_MS does not`, () => {
    const rule = ruleAt();
    drive(rule, 0, repeat(120, 20)); // last good fix at 19 s
    expect(rule.onFix(fixAt(NaN, 19_000 + LOST_MS, { valid: false }))).to.equal(undefined);
    const report = rule.onFix(fixAt(NaN, 19_000 + LOST_MS + 1, { valid: false }));
    expect(report).to.deep.include({ ended: true, startedMs: 0, durationMs: 19_000, topKmh: 120 });
    expect(rule.speeding).to.equal(false);
  });

  it("the loss is noticed on the next good fix too, which then starts afresh (above the limit: a new excursion)", () => {
    const rule = ruleAt();
    drive(rule, 0, [...repeat(120, 20), ...repeat(80, 5)]); // the ending began at 20 s
    const reports = drive(rule, 300, [...repeat(125, 20), ...repeat(60, 31)]);
    expect(reports.map((r) => [r.atS, r.report.startedMs, r.report.durationMs, r.report.topKmh])).to.deep.equal([
      [300, 0, 20_000, 120],
      [350, 300_000, 20_000, 125],
    ]);
  });

  it("a loss after a report while going says nothing more", () => {
    const rule = ruleAt();
    expect(drive(rule, 0, repeat(120, 130)).length).to.equal(1);
    expect(rule.onFix(fixAt(NaN, 200_000, { valid: false }))).to.equal(undefined);
    expect(rule.speeding).to.equal(false);
  });
});

describe("alerts/SpeedRule: the limit and hostile input", () => {
  it("limit 0, negative, NaN or Infinity is off: nothing is ever reported", () => {
    for (const limit of [0, -10, NaN, Infinity]) {
      const rule = ruleAt(limit);
      expect(rule.limitKmh, `${limit}`).to.equal(0);
      expect(drive(rule, 0, [...repeat(200, 300), ...repeat(0, 60)])).to.deep.equal([]);
    }
    expect(drive(new SpeedRule(), 0, [...repeat(200, 300), ...repeat(0, 60)])).to.deep.equal([]);
  });

  it("a new limit forgets the excursion unreported; the same limit again keeps it", () => {
    const rule = ruleAt();
    drive(rule, 0, repeat(120, 60));
    rule.setLimit(LIMIT);
    expect(rule.speeding).to.equal(true);
    rule.setLimit(130);
    expect(rule.limitKmh).to.equal(130);
    expect(rule.speeding).to.equal(false);
    expect(drive(rule, 60, [...repeat(120, 200), ...repeat(60, 40)])).to.deep.equal([]);
    rule.setLimit(0);
    expect(drive(rule, 300, repeat(200, 200))).to.deep.equal([]);
    rule.setLimit(LIMIT);
    expect(drive(rule, 500, [...repeat(120, 20), ...repeat(60, 31)]).map((r) => [r.atS, r.report.startedMs])).to.deep.equal([[550, 500_000]]);
  });

  it("unknown, negative or infinite speeds, HDOP above 8 or unknown, and unknown times are no evidence; HDOP 8 counts", () => {
    const rule = ruleAt();
    for (let s = 0; s < 100; s++) {
      for (const over of [{ speedKmh: NaN }, { speedKmh: -150 }, { speedKmh: Infinity }, { hdop: 8.1 }, { hdop: NaN }, { valid: false }, { receivedAtMs: NaN }, { receivedAtMs: Infinity }]) {
        expect(rule.onFix(fixAt(150, s * 1000, over))).to.equal(undefined);
      }
    }
    expect(rule.speeding).to.equal(false);
    const reports = drive(rule, 100, repeat(150, 121));
    expect(reports.map((r) => r.atS)).to.deep.equal([220]);
    const hdop8 = ruleAt();
    for (let s = 0; s <= 10; s++) hdop8.onFix(fixAt(150, s * 1000, { hdop: MAX_HDOP }));
    expect(hdop8.speeding).to.equal(true);
  });

  it("a fix stamped earlier than the last good one is ignored: it neither confirms, cancels nor ends", () => {
    const rule = ruleAt();
    drive(rule, 100, repeat(130, 5));
    expect(rule.onFix(fixAt(60, 50_000))).to.equal(undefined); // would cancel the run
    expect(rule.onFix(fixAt(130, 10_000))).to.equal(undefined);
    drive(rule, 105, repeat(130, 6));
    expect(rule.speeding).to.equal(true);
    drive(rule, 111, repeat(60, 10));
    expect(rule.onFix(fixAt(60, 0))).to.equal(undefined);
    expect(drive(rule, 121, repeat(60, 21)).map((r) => [r.atS, r.report.startedMs, r.report.durationMs])).to.deep.equal([[141, 100_000, 11_000]]);
  });
});

/**
 * The jamming rule: every satellite gone within LOSS_WITHIN_MS of a strong fix, while watching, is one
 * suspicion; a gradual loss (a garage, a tunnel entered slowly) and ordinary urban driving are none.
 */
import { expect } from "chai";
import { JammingRule, LOSS_WITHIN_MS, STRONG_MAX_HDOP, STRONG_MIN_SATELLITES, type GnssLoss } from "../../src/alerts/jamming-rule.ts";
import { FixMode, FixQuality, type Fix } from "../../src/gnss/fix.ts";
import { gpsOnly, testFix } from "../support/fix.ts";
import { seededRandom } from "../modem/fakes.ts";

/** A valid fix at `atMs` using `used` satellites at `hdop`. */
function goodFix(atMs: number, used = 9, hdop = 0.9): Fix {
  return testFix({ receivedAtMs: atMs, satellitesUsed: used, satellites: used, satellitesUsedBySystem: gpsOnly(used), hdop, accuracyM: hdop * 5 });
}

/** A no-fix epoch as a receiver reports it (GGA quality 0, RMC status V): `used` satellites used, `inView` in view. */
function noFix(atMs: number, used = 0, inView = 12): Fix {
  return testFix({
    valid: false,
    quality: FixQuality.None,
    fixMode: FixMode.NoFix,
    latitudeDeg: NaN,
    longitudeDeg: NaN,
    altitudeM: NaN,
    speedKmh: NaN,
    courseDeg: NaN,
    hdop: NaN,
    accuracyM: NaN,
    receivedAtMs: atMs,
    satellitesUsed: used,
    satellites: used,
    satellitesUsedBySystem: gpsOnly(Math.max(used, 0)),
    satellitesInView: inView,
  });
}

/** Feed fixes in order, all with the same `watching`: every loss reported. */
function feed(rule: JammingRule, fixes: readonly Fix[], watching = true): GnssLoss[] {
  const losses: GnssLoss[] = [];
  for (const fix of fixes) {
    const loss = rule.onFix(fix, watching);
    if (loss) losses.push(loss);
  }
  return losses;
}

/** A minute of strong fixes, one a second, from `fromS`. */
function strongMinute(fromS: number): Fix[] {
  const fixes: Fix[] = [];
  for (let s = fromS; s < fromS + 60; s++) fixes.push(goodFix(s * 1000, 9 + (s % 3), 0.8 + (s % 4) / 10));
  return fixes;
}

describe("alerts/JammingRule: abrupt losses", () => {
  it("a strong fix, then no satellites the next second: one loss with the last strong fix; the no-fix seconds after it say nothing", () => {
    const rule = new JammingRule();
    const before = strongMinute(0);
    expect(feed(rule, before)).to.deep.equal([]);
    const losses = feed(rule, [noFix(60_000), noFix(61_000), noFix(62_000), noFix(70_000)]);
    expect(losses).to.have.length(1);
    expect(losses[0]!.lastGoodFix).to.equal(before[59]);
    expect(losses[0]).to.deep.include({ lostAtMs: 60_000, satellitesBefore: before[59]!.satellitesUsed });
    expect(Object.isFrozen(losses[0])).to.equal(true);
  });

  it(`the loss may come through a degraded fix or two, up to LOSS_WITHIN_MS (${LOSS_WITHIN_MS} ms) after the strong fix; 1 ms later it is gradual`, () => {
    const within = new JammingRule();
    const losses = feed(within, [...strongMinute(0), goodFix(60_000, 4, 3.5), noFix(61_000, 2), noFix(59_000 + LOSS_WITHIN_MS)]);
    expect(losses.map((l) => [l.lostAtMs, l.satellitesBefore, l.lastGoodFix.receivedAtMs])).to.deep.equal([[59_000 + LOSS_WITHIN_MS, 9 + (59 % 3), 59_000]]);
    const late = new JammingRule();
    expect(feed(late, [...strongMinute(0), goodFix(60_000, 4, 3.5), noFix(59_000 + LOSS_WITHIN_MS + 1)])).to.deep.equal([]);
  });

  it("once per loss: a new strong fix arms it again; a weak one (5 satellites, or HDOP 2.1) does not", () => {
    const rule = new JammingRule();
    expect(feed(rule, [...strongMinute(0), noFix(60_000)])).to.have.length(1);
    expect(feed(rule, [goodFix(70_000, 5, 1), noFix(71_000), goodFix(72_000, 9, 2.1), noFix(73_000)])).to.deep.equal([]);
    expect(feed(rule, [goodFix(80_000, STRONG_MIN_SATELLITES, STRONG_MAX_HDOP), noFix(81_000)]).map((l) => l.lostAtMs)).to.deep.equal([81_000]);
  });

  it("not watching (parked, disarmed): no report, and that loss is spent (watching the next second reports nothing)", () => {
    const rule = new JammingRule();
    expect(feed(rule, [...strongMinute(0), noFix(60_000)], false)).to.deep.equal([]);
    expect(feed(rule, [noFix(61_000)], true)).to.deep.equal([]);
    expect(feed(rule, [goodFix(62_000), noFix(63_000)], true)).to.have.length(1);
  });

  it("no satellites means 0 used, or the count used unknown with 0 in view; anything else is no loss", () => {
    for (const [used, inView, loss] of [[0, 12, true], [0, -1, true], [-1, 0, true], [NaN, 0, true], [-1, -1, false], [-1, 12, false], [1, 0, false], [3, 12, false]] as const) {
      const rule = new JammingRule();
      expect(feed(rule, [goodFix(1000), noFix(2000, used, inView)]).length, `used ${used}, in view ${inView}`).to.equal(loss ? 1 : 0);
    }
    const validButEmpty = new JammingRule();
    expect(feed(validButEmpty, [goodFix(1000), goodFix(2000, 0, NaN)])).to.deep.equal([]);
  });
});

describe("alerts/JammingRule: what is not jamming", () => {
  it("a garage entered slowly: satellites fall stepwise over 30 s while HDOP grows, then none: no report", () => {
    const rule = new JammingRule();
    const fixes = [...strongMinute(0)];
    const steps = [11, 10, 10, 9, 8, 8, 7, 6, 5, 5, 4, 4];
    steps.forEach((used, i) => fixes.push(goodFix((60 + 2 * i) * 1000, used, 1.2 + i * 0.35)));
    for (const [i, used] of [3, 2, 1, 1, 0, 0, 0].entries()) fixes.push(noFix((84 + i) * 1000, used));
    expect(feed(rule, fixes)).to.deep.equal([]);
  });

  it("a tunnel entered at 30 km/h: 9 → 7 → 5 satellites with HDOP 1.4 → 2.6 → 4, two no-fix seconds with 3 and 1, then none: no report", () => {
    const rule = new JammingRule();
    const fixes = [...strongMinute(0), goodFix(60_000, 9, 1.4), goodFix(61_000, 7, 2.6), goodFix(62_000, 5, 4), noFix(63_000, 3), noFix(64_000, 1), noFix(65_000, 0)];
    expect(feed(rule, fixes)).to.deep.equal([]);
  });

  it("an hour of city driving (seeded: 5-14 satellites, HDOP 0.7-4, a few no-fix seconds under bridges with satellites still tracked): no report", () => {
    const next = seededRandom(5);
    const rule = new JammingRule();
    const fixes: Fix[] = [];
    let bridges = 0;
    for (let s = 0; s < 3600; s++) {
      if (next() < 0.005) {
        bridges++;
        fixes.push(noFix(s * 1000, 2 + Math.floor(next() * 3)));
      } else fixes.push(goodFix(s * 1000, 5 + Math.floor(next() * 10), Math.round((0.7 + next() * 3.3) * 10) / 10));
    }
    expect(bridges).to.be.at.least(5);
    expect(feed(rule, fixes)).to.deep.equal([]);
  });
});

describe("alerts/JammingRule: hostile input", () => {
  it("unknown times are ignored; a fix stamped earlier than the last one is ignored (it neither arms nor reports)", () => {
    const rule = new JammingRule();
    expect(feed(rule, [goodFix(100_000), noFix(NaN), noFix(Infinity), noFix(99_000)])).to.deep.equal([]);
    expect(feed(rule, [noFix(101_000)]).map((l) => l.lostAtMs)).to.deep.equal([101_000]);
    const back = new JammingRule();
    expect(feed(back, [noFix(200_000), goodFix(150_000), noFix(201_000)])).to.deep.equal([]);
  });

  it("strong needs a known HDOP and satellite count: NaN HDOP or -1 used never arms it", () => {
    const rule = new JammingRule();
    expect(feed(rule, [goodFix(1000, 9, NaN), noFix(2000), goodFix(3000, -1, 0.9), noFix(4000), goodFix(5000, 9, STRONG_MAX_HDOP + 0.01), noFix(6000)])).to.deep.equal([]);
    expect(feed(rule, [goodFix(7000, STRONG_MIN_SATELLITES - 1, 0.9), noFix(8000)])).to.deep.equal([]);
  });
});

/**
 * WHERE reply options (src/commands/where-reply.ts): the owner's time zone, imperial units and the
 * serving cell when there is no live fix; every reply one GSM-7 SMS in the worst case. The plain
 * form (no options) is tested in commands.test.ts and stays byte for byte what it was.
 */
import { expect } from "chai";
import { whereReply, type WhereInput } from "../../src/commands/where-reply.ts";
import { parseTimeZone, type TimeZone } from "../../src/commands/local-time.ts";
import type { ServingCell } from "../../src/modem/serving-cell.ts";
import { gsm7Septets } from "../../src/codec/gsm7.ts";
import { testFix as fix } from "../support/fix.ts";

function zone(text: string): TimeZone {
  const z = parseTimeZone(text);
  if (typeof z === "string") throw new Error(z);
  return z;
}

const CELL: ServingCell = Object.freeze({ rat: "LTE", mcc: "310", mnc: "260", area: "1A2B", cellId: "01C2D3E4" });
const WORST_CELL: ServingCell = Object.freeze({ rat: "NB-IoT", mcc: "999", mnc: "999", area: "FFFE", cellId: "FFFFFFFE" });

function oneSms(text: string): string {
  expect(gsm7Septets(text), text).to.be.within(1, 160);
  for (const ch of text) expect(gsm7Septets(ch), `${JSON.stringify(ch)} in ${text}`).to.equal(1);
  return text;
}

describe("commands/where-reply: zone, units, cell", () => {
  it("the fix time on the owner's clock with its label", () => {
    // fix at 2026-11-24 22:15:03 UTC
    expect(whereReply({ latest: fix(), lastValid: fix(), nowMs: 102_000, zone: zone("CET") })).to.match(/^Live GNSS fix, 2 s old \(23:15:03 CET\):\n/);
    expect(whereReply({ latest: fix(), lastValid: fix(), nowMs: 102_000, zone: zone("+05:30") })).to.match(/\(03:45:03 UTC\+05:30\)/);
    expect(whereReply({ latest: fix(), lastValid: fix(), nowMs: 102_000, zone: zone("PT") })).to.match(/\(14:15:03 PST\)/);
    // UTC as a zone: exactly the plain reply
    const plain = whereReply({ latest: fix(), lastValid: fix(), nowMs: 102_000 });
    expect(whereReply({ latest: fix(), lastValid: fix(), nowMs: 102_000, zone: zone("UTC"), units: "metric", cell: undefined })).to.equal(plain);
  });

  it("imperial: mph and accuracy in feet", () => {
    const reply = oneSms(whereReply({ latest: fix({ speedKmh: 100, accuracyM: 3 }), lastValid: fix(), nowMs: 100_500, units: "imperial" }));
    expect(reply).to.equal(
      "Live GNSS fix, 0 s old (22:15:03 UTC):\n37.33491,-121.88811 (+/-10 ft)\n62 mph heading NE\nhttps://maps.google.com/?q=37.33491,-121.88811",
    );
  });

  it("a live fix never shows the cell", () => {
    expect(whereReply({ latest: fix(), lastValid: fix(), nowMs: 100_500, cell: CELL })).to.not.include("Cell:");
  });

  it("no live fix: the cell line after the last known position", () => {
    const lost = fix({ valid: false, receivedAtMs: 400_000 });
    const reply = oneSms(whereReply({ latest: lost, lastValid: fix(), nowMs: 400_500, cell: CELL }));
    expect(reply).to.match(/^NO live position \(no GNSS fix\)\. Last fix 5 min ago, 22:15 UTC:\n/);
    expect(reply.split("\n").at(-1)).to.equal("Cell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 (LTE)");
    expect(reply).to.include("https://maps.google.com/?q=37.33491,-121.88811");
  });

  it("no position at all: the cell is the only clue", () => {
    const never = oneSms(whereReply({ latest: undefined, lastValid: undefined, nowMs: 30_000, cell: CELL }));
    expect(never).to.match(/^No position: /);
    expect(never).to.match(/\nCell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 \(LTE\)$/);
    const noFix = oneSms(whereReply({ latest: fix({ valid: false }), lastValid: undefined, nowMs: 120_000, cell: CELL }));
    expect(noFix).to.match(/^No position yet/);
    expect(noFix).to.match(/\nCell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 \(LTE\)$/);
  });

  it("every combination of worst-case inputs fits one SMS and keeps the prefixes the scenarios look for", () => {
    const farFix = (over = {}) =>
      fix({ latitudeDeg: -89.999999, longitudeDeg: -179.999999, hdop: 99.9, accuracyM: 99_999, speedKmh: 999, courseDeg: 300, utcMs: Date.UTC(2026, 6, 1, 23, 59, 59), ...over });
    const zones = [undefined, zone("UTC"), zone("+05:45"), zone("-12:00"), zone("AU-ADELAIDE"), zone("US-ALASKA")];
    const ages = [9_000, 12_000, 47 * 3_600_000 + 59 * 60_000, 40 * 86_400_000];
    let count = 0;
    for (const z of zones) {
      for (const units of [undefined, "metric", "imperial"] as const) {
        for (const cell of [undefined, CELL, WORST_CELL]) {
          for (const ageMs of ages) {
            const base = 100_000;
            const cases: Array<[WhereInput, RegExp]> = [
              [{ latest: farFix({ receivedAtMs: base }), lastValid: farFix(), nowMs: base + Math.min(ageMs, 10_000), zone: z, units, cell }, /^Live GNSS fix/],
              [{ latest: farFix({ receivedAtMs: base }), lastValid: farFix({ receivedAtMs: base }), nowMs: base + ageMs + 10_001, zone: z, units, cell }, /^NO live position/],
              [{ latest: fix({ valid: false, receivedAtMs: base + ageMs }), lastValid: farFix({ receivedAtMs: base }), nowMs: base + ageMs, zone: z, units, cell }, /^NO live position/],
              [{ latest: fix({ valid: false, receivedAtMs: base + ageMs }), lastValid: undefined, nowMs: base + ageMs, zone: z, units, cell }, /^No position yet/],
              [{ latest: undefined, lastValid: undefined, nowMs: base + ageMs, zone: z, units, cell }, /^No position: /],
            ];
            for (const [input, prefix] of cases) {
              const reply = oneSms(whereReply(input));
              expect(reply).to.match(prefix);
              if (cell && !prefix.source.includes("Live")) expect(reply, reply).to.include(`ID ${cell.cellId}`);
              if (prefix.source.includes("live position")) expect(reply).to.include("https://maps.google.com/?q=-90.00000,-180.00000");
              count++;
            }
          }
        }
      }
    }
    expect(count).to.equal(6 * 3 * 3 * 4 * 5);
  });
});

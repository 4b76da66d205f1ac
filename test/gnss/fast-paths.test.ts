/**
 * The XS fast paths give the same results as the general ones:
 * - the reader's flat-cost conversion (String.fromArrayBuffer, injected here with the device's
 *   semantics) vs the per-byte fallback that Node runs by default;
 * - the GSA satellite count without visiting each field vs the field-by-field walk.
 */
import { expect } from "chai";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { setStringFromArrayBuffer, type FromArrayBuffer } from "../../src/gnss/ascii-text.ts";
import { GnssSystem, NmeaParser, SentenceType } from "../../src/gnss/nmea-parser.ts";
import { hourEpoch } from "../../host-sim/bench/nmea-throughput.ts";
import { FakeClock, RecordingLogger, ascii, deviceFromArrayBuffer, seededRandom, withChecksum } from "./helpers.ts";

function run(converter: FromArrayBuffer | null, bytes: Uint8Array, chunkSize: (i: number) => number) {
  setStringFromArrayBuffer(converter);
  try {
    const receiver = new GnssReceiver(new FakeClock(), new RecordingLogger(), { buildDateMs: Date.UTC(2024, 0, 1) });
    const fixes: Fix[] = [];
    receiver.onFix = (fix) => fixes.push(fix);
    for (let i = 0, k = 0; i < bytes.length; k++) {
      const n = chunkSize(k);
      receiver.feed(bytes.subarray(i, i + n));
      i += n;
    }
    receiver.flush();
    return { fixes: JSON.stringify(fixes), counters: receiver.counters(), slowChunks: receiver.reader.slowChunks };
  } finally {
    setStringFromArrayBuffer(undefined);
  }
}

describe("gnss fast paths", () => {
  it("String.fromArrayBuffer path and per-byte path publish identical fixes (bench drive, noise, any chunking)", () => {
    const lines: string[] = [];
    for (let i = 1780; i < 1900; i++) lines.push(...hourEpoch(i)); // crosses the no-fix minute
    let text = lines.join("\r\n") + "\r\n";
    // a little non-ASCII noise between some lines, and one line with a Latin-1 byte inside
    text = text.replace(/\r\n\$GNZDA/g, (m, at: number) => (at % 7 === 0 ? "\r\n\u00e9\u00ff" + m.slice(2) : m));
    const bytes = ascii(text);
    const random = seededRandom(7);
    const sizes = [() => 64, () => 1, () => 1 + Math.floor(random() * 128), () => 300];
    for (const size of sizes) {
      const fast = run(deviceFromArrayBuffer, bytes, size);
      const slow = run(null, bytes, size);
      expect(fast.fixes).to.equal(slow.fixes);
      expect(fast.counters).to.deep.equal(slow.counters);
      expect(fast.slowChunks).to.be.lessThan(slow.slowChunks / 10);
      expect(fast.counters.fixesPublished).to.equal(120);
    }
  });

  it("GSA: every layout counts the same satellites as a field-by-field reading", () => {
    const random = seededRandom(11);
    const parser = new NmeaParser();
    for (let n = 0; n < 3000; n++) {
      const ids: string[] = [];
      const style = Math.floor(random() * 5); // 0: 2-digit, packed; 1: unpadded; 2: 2-digit; 3: up to 3 digits; 4: 3-digit, packed
      const packed = Math.floor(random() * 13);
      for (let i = 0; i < 12; i++) {
        const present = style === 0 || style === 4 ? i < packed : random() < 0.5;
        const id = 1 + Math.floor(random() * (style === 3 ? 460 : 96));
        ids.push(!present ? "" : style === 4 ? String(401 + i) : style === 1 || style === 3 ? String(id) : String(id % 100).padStart(2, "0"));
      }
      const dops = [random() < 0.2 ? "" : (random() * 10).toFixed(random() < 0.3 ? 0 : 1), "0.9", random() < 0.2 ? "" : random() < 0.3 ? String(1 + Math.floor(random() * 9)) : "1.3"];
      const systemId = random() < 0.5 ? [String(1 + Math.floor(random() * 6))] : [];
      const talker = random() < 0.5 ? "GN" : "GP";
      const fields = ["A", "3", ...ids, ...dops, ...systemId];
      const type = parser.parseLine(withChecksum(`${talker}GSA,${fields.join(",")}`));
      expect(type).to.equal(SentenceType.Gsa);
      const used = ids.filter((x) => x !== "").length;
      const g = parser.gsa;
      expect(g.satellitesUsed, fields.join(",")).to.equal(used);
      expect(Number.isNaN(g.pdop) ? "" : g.pdop, fields.join(",")).to.equal(dops[0] === "" ? "" : Number(dops[0]));
      expect(Number.isNaN(g.vdop) ? "" : g.vdop, fields.join(",")).to.equal(dops[2] === "" ? "" : Number(dops[2]));
      if (systemId.length) expect(g.system).to.equal(Number(systemId[0]));
      else if (talker === "GP") expect(g.system).to.equal(GnssSystem.Gps);
    }
  });
});

/**
 * XS guest for the NMEA throughput bench: the firmware's GnssReceiver fed in 64-byte chunks, each
 * received into one reused buffer as on the device.
 * Command bytes: [op, ...data]. op 0: feed data in 64-byte chunks (the metered step); op 1: the same
 * chunk loop without feeding (harness cost, subtracted by the bench); op 3: check the fixes the last
 * op 0 published (the bench's own work, in a step of its own that is not metered); op 2: return
 * counters + fix statistics as JSON.
 */
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { CHUNK_BYTES, receive, reply } from "./xs-bench-guest.ts";

let now = 0;
const clock = { monotonicMs: () => now, utcMs: () => NaN, setUtcMs: () => {} } as never;
const log = { log: () => {} } as never;
const receiver = new GnssReceiver(clock, log, { buildDateMs: Date.UTC(2024, 0, 1) });

/** Fixes published by the last feed step, kept for op 3 (an epoch publishes one, two with a GSA mode amendment). */
const FIX_SLOTS = 4;
const published: (Fix | undefined)[] = [undefined, undefined, undefined, undefined];
let publishedCount = 0;
receiver.onFix = (fix: Fix) => {
  now += 1000;
  if (publishedCount < FIX_SLOTS) published[publishedCount] = fix;
  publishedCount++;
};

// Statistics about every published fix, kept in numbers (no per-fix allocation here).
const stats = { fixes: 0, valid: 0, noFix: 0, courseUnknown: 0, fix3d: 0, utcErrors: 0, lastUtcMs: NaN, lossTransitions: 0, lostFixes: 0,
  gpsUsed: -1, glonassInView: -1, galileoInView: -1, inView: -1, accuracyM: NaN, lat: NaN, lon: NaN, speedKmh: NaN };
let wasValid = false;
function check(fix: Fix): void {
  stats.fixes++;
  if (fix.valid) stats.valid++;
  else stats.noFix++;
  if (wasValid && !fix.valid) stats.lossTransitions++;
  wasValid = fix.valid;
  if (fix.valid && fix.courseDeg !== fix.courseDeg) stats.courseUnknown++;
  if (fix.fixMode === 3) stats.fix3d++;
  if (stats.lastUtcMs === stats.lastUtcMs && fix.utcMs - stats.lastUtcMs !== 1000) stats.utcErrors++;
  stats.lastUtcMs = fix.utcMs;
  stats.gpsUsed = fix.satellitesUsedBySystem.gps;
  stats.glonassInView = fix.satellitesInViewBySystem.glonass;
  stats.galileoInView = fix.satellitesInViewBySystem.galileo;
  stats.inView = fix.satellitesInView;
  stats.accuracyM = fix.accuracyM;
  stats.lat = fix.latitudeDeg;
  stats.lon = fix.longitudeDeg;
  stats.speedKmh = fix.speedKmh;
}

(globalThis as unknown as { handleCommand: (b: ArrayBuffer) => ArrayBuffer }).handleCommand = (buffer: ArrayBuffer) => {
  const op = new Uint8Array(buffer, 0, 1)[0];
  const total = buffer.byteLength;
  if (op === 0) {
    for (let i = 1; i < total; i += CHUNK_BYTES) receiver.feed(receive(buffer, i, total));
    return new ArrayBuffer(0);
  }
  if (op === 1) {
    // (the loop of op 0 without the feed call: the chunk is only kept)
    let chunk: Uint8Array | undefined;
    for (let i = 1; i < total; i += CHUNK_BYTES) chunk = receive(buffer, i, total);
    return new ArrayBuffer(chunk === undefined ? 1 : 0);
  }
  if (op === 3) {
    if (publishedCount > FIX_SLOTS) stats.lostFixes += publishedCount - FIX_SLOTS;
    for (let k = 0; k < publishedCount && k < FIX_SLOTS; k++) {
      check(published[k] as Fix);
      published[k] = undefined;
    }
    publishedCount = 0;
    return new ArrayBuffer(0);
  }
  return reply(JSON.stringify({ counters: receiver.counters(), stats, slowChunks: receiver.slowChunks }));
};

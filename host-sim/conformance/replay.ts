/**
 * Replay a gpsd `.log` through the firmware's GNSS pipeline (src/gnss GnssReceiver: line reader →
 * parser → epoch merge) exactly as the UART would deliver it, and collect every published Fix.
 *
 * - `#` comment lines are removed first, as gpsfake does (they are not receiver output).
 * - Bytes are fed in chunks (default 61 bytes, an odd size so lines straddle chunk borders).
 * - The clock is fake: monotonic time advances 1 ms per chunk; it only stamps `receivedAtMs`.
 * - Build date. The firmware repairs GPS week rollover with its build date (a date the real time
 *   cannot be earlier than). A log's `# Date:` header is no such date (headers are often written
 *   months or years after the capture), so the build date given is {@link conformanceBuildDateMs}:
 *   the earliest of the header date and every date the log's own RMC and ZDA sentences report,
 *   which cannot be later than the recording. So the repair never moves a date the receiver
 *   reported here; it is tested on its own (test/gnss, and the corpus test that replays a
 *   rollover log with the date it was recorded).
 * - At the end of the stream the pending epoch is flushed (gpsd reports it too).
 */
import type { Clock, Logger, TimerHandle } from "../../src/platform/ports.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";

/**
 * The build date for replaying a log: the earliest of its header date and the dates (UTC midnight)
 * its RMC and ZDA sentences report; undefined when it has neither.
 */
export function conformanceBuildDateMs(bytes: Uint8Array, headerDateMs: number | undefined): number | undefined {
  let earliest = headerDateMs;
  const text = Buffer.from(bytes).toString("latin1");
  for (const line of text.split("\n")) {
    const dateMs = reportedDateMs(line.trim());
    if (dateMs !== undefined && (earliest === undefined || dateMs < earliest)) earliest = dateMs;
  }
  return earliest;
}

/** The date (UTC midnight, ms) an RMC (ddmmyy; yy < 69 is 20yy) or ZDA (dd,mm,yyyy) sentence reports. */
function reportedDateMs(sentence: string): number | undefined {
  // from the last '$' before the address: some receivers (or logs) double it ("$$GNRMC")
  const start = /[$!][A-Z]{2}(RMC|ZDA),/.exec(sentence);
  if (!start) return undefined;
  const type = start[1];
  const fields = sentence.slice(start.index).split("*")[0]!.split(",");
  let day: number;
  let month: number;
  let year: number;
  if (type === "RMC") {
    const m = /^(\d\d)(\d\d)(\d\d)$/.exec(fields[9] ?? "");
    if (!m) return undefined;
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    year += year < 69 ? 2000 : 1900; // as the receiver (and gpsd) read two-digit years
  } else if (type === "ZDA") {
    if (!/^\d\d$/.test(fields[2] ?? "") || !/^\d\d$/.test(fields[3] ?? "") || !/^\d{4}$/.test(fields[4] ?? "")) return undefined;
    [day, month, year] = [Number(fields[2]), Number(fields[3]), Number(fields[4])];
  } else {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1980) return undefined;
  return Date.UTC(year, month - 1, day);
}

/** Default bytes per chunk fed to the receiver. */
export const DEFAULT_REPLAY_CHUNK_BYTES = 61;

/** A Clock whose time only moves when told to; timers are never run (the receiver sets none). */
export class ReplayClock implements Clock {
  nowMs = 0;
  #utcMs: number | undefined = undefined;
  monotonicMs(): number {
    return this.nowMs;
  }
  utcMs(): number | undefined {
    return this.#utcMs;
  }
  setUtcMs(utcMs: number): void {
    this.#utcMs = utcMs;
  }
  setTimer(_callback: () => void, _delayMs: number): TimerHandle {
    return {};
  }
  clearTimer(_handle: TimerHandle | undefined): void {}
}

/** A Logger that keeps nothing (or collects lines when `lines` is given). */
export class QuietLogger implements Logger {
  constructor(readonly lines?: string[]) {}
  log(level: string, tag: string, message: string): void {
    this.lines?.push(`${level} ${tag} ${message}`);
  }
}

/** Remove lines starting with '#' (gpsfake's header comments); every other byte is kept verbatim. */
export function stripComments(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  let lineStart = true;
  let skipping = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (lineStart) skipping = c === 0x23;
    if (!skipping) out[n++] = c;
    lineStart = c === 0x0a;
  }
  return out.subarray(0, n);
}

/** Options for {@link replay}. */
export interface ReplayOptions {
  /** Bytes per chunk (default 61). */
  chunkBytes?: number;
  /** Build date for week-rollover repair, ms since the Unix epoch (undefined: none). */
  buildDateMs?: number;
}

/** What a replay produced. */
export interface ReplayResult {
  /** Every Fix published, in order (including the final flush). */
  fixes: Fix[];
  /** The receiver's counters at the end. */
  counters: Record<string, number>;
}

/** Construct the receiver, with the week-rollover build date when one is given. */
export function createReceiver(clock: Clock, log: Logger, buildDateMs: number | undefined): GnssReceiver {
  return buildDateMs === undefined ? new GnssReceiver(clock, log) : new GnssReceiver(clock, log, { buildDateMs });
}

/** Feed `bytes` (comments already stripped) through a fresh GnssReceiver; collect the fixes. */
export function replay(bytes: Uint8Array, options: ReplayOptions = {}): ReplayResult {
  const clock = new ReplayClock();
  const receiver = createReceiver(clock, new QuietLogger(), options.buildDateMs);
  const fixes: Fix[] = [];
  receiver.onFix = (fix) => {
    // A fix published again for the same epoch (its 2D/3D mode amended by a later GSA) replaces
    // the first: one state per epoch, like gpsd's last TPV of an epoch.
    const last = fixes[fixes.length - 1];
    if (last !== undefined && last.utcMs === fix.utcMs && last.latitudeDeg === fix.latitudeDeg && last.longitudeDeg === fix.longitudeDeg) fixes[fixes.length - 1] = fix;
    else fixes.push(fix);
  };
  const size = Math.max(1, options.chunkBytes ?? DEFAULT_REPLAY_CHUNK_BYTES);
  for (let i = 0; i < bytes.length; i += size) {
    clock.nowMs++;
    receiver.feed(bytes.subarray(i, Math.min(bytes.length, i + size)));
  }
  receiver.flush();
  return { fixes, counters: receiver.counters() as unknown as Record<string, number> };
}

/**
 * Compare our published fixes with gpsd's TPV reports for one log.
 *
 * Epochs. gpsd "dribbles" several TPVs per epoch, each holding the merged state after one sentence.
 * A gpsd epoch is a maximal run of consecutive TPVs that carry the same `time`; its state is the
 * LAST TPV of the run (the state at the end of the epoch). TPVs without `time` cannot be placed in
 * time and are only counted. Our epochs are the published fixes; fixes without a UTC time (no date
 * known yet) are likewise only counted.
 *
 * Alignment. By UTC time of day (ms), keeping stream order on both sides: the pairing is the
 * largest set of (our fix, gpsd epoch) pairs with equal time of day that never cross (a longest
 * common subsequence, found by {@link alignByTimeOfDay}), however long a run of epochs only one side
 * reports (a log that opens with hundreds of no-fix epochs timed by ZDA alone, say). Time of day
 * rather than full time, so that a date disagreement (GPS week rollover) shows as a `time`
 * difference instead of two unmatched epochs. gpsd epochs left unpaired are `missing-ours`; our
 * fixes left unpaired are `missing-gpsd`.
 *
 * Fields. For each matched pair: `time` (ms), `lat`, `lon` (°, within 1e-7), `altMSL` (m, within
 * 1e-3: gpsd prints 4 decimals), `speed` (m/s: our km/h ÷ 3.6, within 0.01), `track` (°, within
 * 1e-3), `mode` (1 no fix, 2 2D, 3 3D). A field is *comparable* when both sides have a value (ours
 * finite, gpsd present; mode: both ≥ 1). Agreement = agreeing comparable fields ÷ comparable fields.
 * Not compared (gpsd derives them itself): magvar, ep*, climb, altHAE, geoidSep.
 */
import type { Fix } from "../../src/gnss/fix.ts";
import type { GpsdTpv } from "./gpsd-chk.ts";

const MS_PER_DAY = 86_400_000;

/** The compared fields. */
export const FIELDS = ["time", "lat", "lon", "altMSL", "speed", "track", "mode"] as const;
export type Field = (typeof FIELDS)[number];

/** Tolerances per field (absolute, in gpsd units). */
export const TOLERANCE: Readonly<Record<Field, number>> = Object.freeze({
  time: 0.5,
  lat: 1e-7,
  lon: 1e-7,
  altMSL: 1e-3,
  speed: 0.01,
  track: 1e-3,
  mode: 0,
});

/** One gpsd epoch: the last TPV of a run with the same time. */
export interface GpsdEpoch {
  timeMs: number;
  /** The state at the end of the epoch. */
  tpv: GpsdTpv;
}

/** A disagreement. `value`: both have the field and they differ; `missing-*`: an unmatched epoch. */
export interface Difference {
  file: string;
  kind: "value" | "missing-ours" | "missing-gpsd";
  /** The field (`epoch` for missing-* kinds). */
  field: Field | "epoch";
  /** ISO time of the epoch (gpsd's when known, else ours). */
  time: string;
  ours?: number | string;
  gpsd?: number | string;
  /** gpsd's TPV line (0-based) in the .chk, when there is one. */
  chkLine?: number;
  /** The sentence gpsd had just processed at that TPV. */
  after?: string;
  /**
   * gpsd's TPV followed a sentence that has a time field (RMC GGA GNS GLL ZDA) whose time of day is
   * empty or differs from the epoch's: gpsd merged a later sentence into this epoch's state.
   */
  afterOtherTime?: boolean;
  /** missing-gpsd: this is the last fix we published for the log. */
  lastFix?: boolean;
  /** missing-gpsd: a valid fix whose previous published fix was invalid or absent (fix acquired). */
  fixAcquired?: boolean;
  /** Id of the known-difference class that explains it (set by the classifier). */
  knownClass?: string;
}

/** Per-file comparison result. */
export interface FileComparison {
  file: string;
  gpsdEpochs: number;
  gpsdTpvsWithoutTime: number;
  ourFixes: number;
  ourFixesWithoutTime: number;
  matchedEpochs: number;
  comparable: Record<Field, number>;
  agreed: Record<Field, number>;
  /** Fields only one side had, per field (not differences; for information). */
  onlyOurs: Record<Field, number>;
  onlyGpsd: Record<Field, number>;
  differences: Difference[];
}

function zeroCounts(): Record<Field, number> {
  return { time: 0, lat: 0, lon: 0, altMSL: 0, speed: 0, track: 0, mode: 0 };
}

/** Group TPVs into epochs (runs of the same time, last TPV wins). */
export function gpsdEpochs(tpvs: readonly GpsdTpv[]): { epochs: GpsdEpoch[]; withoutTime: number } {
  const epochs: GpsdEpoch[] = [];
  let withoutTime = 0;
  for (const tpv of tpvs) {
    if (tpv.timeMs === undefined) {
      withoutTime++;
      continue;
    }
    const last = epochs[epochs.length - 1];
    if (last !== undefined && last.timeMs === tpv.timeMs) last.tpv = tpv;
    else epochs.push({ timeMs: tpv.timeMs, tpv });
  }
  return { epochs, withoutTime };
}

/** Our fix mode: `fixMode` when the Fix has it, else derived (no fix 1, 3D with altitude, else 2D). */
export function ourMode(fix: Fix): number {
  const mode: number | undefined = fix.fixMode;
  if (typeof mode === "number") return mode;
  if (!fix.valid) return 1;
  return Number.isFinite(fix.altitudeM) ? 3 : 2;
}

/** Our value of a field in gpsd units, undefined when unknown. */
export function ourValue(fix: Fix, field: Field): number | undefined {
  let v: number;
  switch (field) {
    case "time":
      v = fix.utcMs;
      break;
    case "lat":
      v = fix.latitudeDeg;
      break;
    case "lon":
      v = fix.longitudeDeg;
      break;
    case "altMSL":
      v = fix.altitudeM;
      break;
    case "speed":
      v = fix.speedKmh / 3.6;
      break;
    case "track":
      v = fix.courseDeg;
      break;
    case "mode":
      v = ourMode(fix);
      return v >= 1 ? v : undefined;
  }
  return Number.isFinite(v) ? v : undefined;
}

/** gpsd's value of a field, undefined when absent. */
export function gpsdValue(epoch: GpsdEpoch, field: Field): number | undefined {
  const t = epoch.tpv;
  switch (field) {
    case "time":
      return epoch.timeMs;
    case "mode":
      return t.mode >= 1 ? t.mode : undefined;
    default:
      return t[field];
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

function show(field: Field, v: number): number | string {
  return field === "time" ? iso(v) : Number(v.toPrecision(12));
}

function timeOfDay(ms: number): number {
  return ((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
}

/** Compare one file's fixes with its TPVs. */
export function compareFile(file: string, fixes: readonly Fix[], tpvs: readonly GpsdTpv[]): FileComparison {
  const { epochs, withoutTime } = gpsdEpochs(tpvs);
  const result: FileComparison = {
    file,
    gpsdEpochs: epochs.length,
    gpsdTpvsWithoutTime: withoutTime,
    ourFixes: fixes.length,
    ourFixesWithoutTime: 0,
    matchedEpochs: 0,
    comparable: zeroCounts(),
    agreed: zeroCounts(),
    onlyOurs: zeroCounts(),
    onlyGpsd: zeroCounts(),
    differences: [],
  };
  const missing = (e: GpsdEpoch): void => {
    result.differences.push({
      file, kind: "missing-ours", field: "epoch", time: iso(e.timeMs), gpsd: `mode ${e.tpv.mode}`,
      chkLine: e.tpv.line, after: e.tpv.after,
    });
  };
  const timed: number[] = [];
  for (let k = 0; k < fixes.length; k++) {
    if (Number.isFinite(fixes[k]!.utcMs)) timed.push(k);
    else result.ourFixesWithoutTime++;
  }
  const partner = alignByTimeOfDay(
    timed.map((k) => timeOfDay(fixes[k]!.utcMs)),
    epochs.map((e) => timeOfDay(e.timeMs)),
  );
  let cursor = 0;
  for (let t = 0; t < timed.length; t++) {
    const k = timed[t]!;
    const fix = fixes[k]!;
    const match = partner[t]!;
    if (match < 0) {
      const d: Difference = {
        file, kind: "missing-gpsd", field: "epoch", time: iso(fix.utcMs),
        ours: `${fix.valid ? "valid" : "invalid"} mode ${ourMode(fix)}`,
      };
      if (k === fixes.length - 1) d.lastFix = true;
      if (fix.valid && (k === 0 || !fixes[k - 1]!.valid)) d.fixAcquired = true;
      result.differences.push(d);
      continue;
    }
    for (let j = cursor; j < match; j++) missing(epochs[j]!);
    cursor = match + 1;
    const epoch = epochs[match]!;
    result.matchedEpochs++;
    for (const field of FIELDS) {
      const a = ourValue(fix, field);
      const b = gpsdValue(epoch, field);
      if (a === undefined && b === undefined) continue;
      if (a === undefined) {
        result.onlyGpsd[field]++;
        continue;
      }
      if (b === undefined) {
        result.onlyOurs[field]++;
        continue;
      }
      result.comparable[field]++;
      // relative slack of 1e-12 absorbs binary rounding of values printed with fixed decimals
      if (Math.abs(a - b) <= TOLERANCE[field] + 1e-12 * Math.abs(b)) {
        result.agreed[field]++;
      } else {
        const d: Difference = {
          file, kind: "value", field, time: iso(epoch.timeMs), ours: show(field, a), gpsd: show(field, b),
          chkLine: epoch.tpv.line, after: epoch.tpv.after,
        };
        const afterTime = sentenceTimeOfDay(epoch.tpv.after);
        if (afterTime === null || (afterTime !== undefined && afterTime !== timeOfDay(epoch.timeMs))) d.afterOtherTime = true;
        result.differences.push(d);
      }
    }
  }
  for (let j = cursor; j < epochs.length; j++) missing(epochs[j]!);
  return result;
}

/**
 * Pair two sequences of keys (our fixes' and gpsd's epochs' times of day) so that as many pairs as
 * possible have equal keys and no two pairs cross: a longest common subsequence, computed as a
 * longest increasing subsequence over the equal-key pairs (Hunt–Szymanski), O((n + pairs) log n).
 * Returns, for each of `ours`, the index of its partner in `theirs`, or -1.
 */
export function alignByTimeOfDay(ours: readonly number[], theirs: readonly number[]): number[] {
  const where = new Map<number, number[]>();
  theirs.forEach((key, j) => {
    const list = where.get(key);
    if (list) list.push(j);
    else where.set(key, [j]);
  });
  /** A chain's last pair and the pair before it. */
  interface Link {
    i: number;
    j: number;
    prev: Link | undefined;
  }
  // ends[len] = the chain of length len + 1 whose last j is smallest
  const ends: Link[] = [];
  for (let i = 0; i < ours.length; i++) {
    const js = where.get(ours[i]!);
    if (!js) continue;
    // descending j, so that one of ours takes at most one partner per chain length
    for (let x = js.length - 1; x >= 0; x--) {
      const j = js[x]!;
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid]!.j < j) lo = mid + 1;
        else hi = mid;
      }
      if (lo < ends.length && ends[lo]!.j === j) continue; // an earlier one of ours already ends here: keep it
      ends[lo] = { i, j, prev: lo > 0 ? ends[lo - 1] : undefined };
    }
  }
  const partner = ours.map(() => -1);
  for (let link: Link | undefined = ends[ends.length - 1]; link; link = link.prev) partner[link.i] = link.j;
  return partner;
}

const TIME_FIELD: Readonly<Record<string, number>> = Object.freeze({ RMC: 1, GGA: 1, GNS: 1, ZDA: 1, GLL: 5 });

/**
 * Time of day (ms) of a sentence with a time field: a number, null when that field is empty or
 * unparseable, undefined when the sentence type has no time field.
 */
export function sentenceTimeOfDay(sentence: string): number | null | undefined {
  const m = /^[$!]+[A-Z]{2}([A-Z]{3}),/.exec(sentence);
  if (!m) return undefined;
  const index = TIME_FIELD[m[1]!];
  if (index === undefined) return undefined;
  const field = sentence.split("*")[0]!.split(",")[index] ?? "";
  const t = /^(\d\d)(\d\d)(\d\d(?:\.\d+)?)$/.exec(field);
  if (!t) return null;
  return Math.round(((Number(t[1]) * 60 + Number(t[2])) * 60 + Number(t[3])) * 1000);
}

/** Sum of a per-field count record. */
export function total(counts: Record<Field, number>): number {
  let n = 0;
  for (const f of FIELDS) n += counts[f];
  return n;
}

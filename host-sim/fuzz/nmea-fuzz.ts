/**
 * NMEA fuzzer for the firmware's GNSS pipeline (src/gnss GnssReceiver: line reader → parser →
 * epoch merge). Seeded and reproducible: case k of seed s is always the same input.
 *
 * Each case is a short stream (a window of 2..14 consecutive real sentences: from the gpsd corpus
 * when present, else generated with the host-sim/gnss builders) with one kind of damage:
 *  - `bad-checksum`  one sentence's body is damaged (bit flip, byte insert/delete, field swap,
 *                    truncation) and its ORIGINAL checksum kept, so the checksum is wrong;
 *  - `recomputed`    the same damage, then the checksum recomputed (well-formed garbage);
 *  - `dollar`        a `$` injected inside a sentence (resync);
 *  - `overlong`      a sentence padded beyond the line buffer (300..600 bytes);
 *  - `junk`          binary junk (any byte value) inserted between or inside sentences;
 *  - `truncate`      the stream cut at a random byte;
 *  - `random`        random bytes drawn from an NMEA-ish alphabet.
 *
 * Properties checked on every case (the first violation stops the run):
 *  1. `no-throw`      feeding and flushing never throws;
 *  2. `chunking`      the published fixes are identical whether the stream is fed whole, in chunks
 *                     of 1, of 7, or of random sizes 1..64;
 *  3. `bad-checksum`  (bad-checksum cases) the fixes equal those of the same stream with the damaged
 *                     sentence removed: nothing published derives from a sentence whose checksum
 *                     is wrong — and a rejected sentence does not disturb the epoch merge either;
 *  4. `sane`          a valid fix has finite latitude in [-90, 90] and longitude in [-180, 180].
 * Fixes are compared on every field but `receivedAtMs` (NaN equals NaN).
 *
 * On a violation the input is shrunk (greedy removal of lines, then of bytes) while the same
 * property still fails, and the result reports it as hex and as escaped text.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Fix } from "../../src/gnss/fix.ts";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";
import { Random } from "../random.ts";
import { QuietLogger, ReplayClock } from "../conformance/replay.ts";
import { buildGga, buildGsa, buildGsvGroup, buildRmc, buildVtg, nmeaChecksum } from "../gnss/nmea-format.ts";

/** Property names. */
export type FuzzProperty = "no-throw" | "chunking" | "bad-checksum" | "sane";

/** Damage kinds. */
export const MUTATIONS = ["bad-checksum", "recomputed", "dollar", "overlong", "junk", "truncate", "random"] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** A property violation with its (shrunk) reproduction. */
export interface FuzzViolation {
  property: FuzzProperty;
  caseIndex: number;
  mutation: Mutation;
  /** What went wrong. */
  detail: string;
  /** The minimal input that still violates the property. */
  input: Uint8Array;
  /** For `bad-checksum`: the minimal stream with the damaged sentence removed. */
  reference?: Uint8Array;
}

/** Run summary. */
export interface FuzzResult {
  cases: number;
  bytes: number;
  fixesPublished: number;
  /** Streams fed (each case feeds 4 chunkings, plus a reference for bad-checksum cases). */
  feeds: number;
  byMutation: Record<Mutation, number>;
  wallMs: number;
  violation?: FuzzViolation;
  /** Where the seed sentences came from. */
  seedSource: string;
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  count: number;
  seed: number;
  /** gpsd corpus directory to take seed sentences from; undefined or absent → generated sentences. */
  corpusDir?: string;
  /** Called every `progressEvery` cases. */
  onProgress?: (done: number) => void;
  progressEvery?: number;
}

// ---------------------------------------------------------------------------------------------
// Seeds

/** True when `line` is `$...*hh` with a correct checksum and only printable ASCII. */
export function hasGoodChecksum(line: string): boolean {
  const star = line.lastIndexOf("*");
  if (line.length < 4 || (line[0] !== "$" && line[0] !== "!") || star !== line.length - 3) return false;
  let start = 1;
  while (line[start] === "$") start++;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return nmeaChecksum(line.slice(start, star)) === line.slice(star + 1).toUpperCase();
}

/** Streams of real sentences (one array per corpus file), good checksums only. */
export function corpusSeeds(dir: string): string[][] {
  const streams: string[][] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".log")).sort()) {
    const lines = readFileSync(join(dir, f), "latin1")
      .split(/\r?\n/)
      .filter((l) => hasGoodChecksum(l) && l.length <= 120 && !l.startsWith("$$"));
    if (lines.length >= 2) streams.push(lines);
  }
  return streams;
}

/** A generated stream: 40 epochs of RMC, VTG, GGA, GSA, GSV around a random place, some without fix. */
export function generatedSeeds(seed: number): string[][] {
  const random = new Random(seed ^ 0x5eed);
  const streams: string[][] = [];
  for (let s = 0; s < 8; s++) {
    const lines: string[] = [];
    let utcMs = Date.UTC(2020 + s, s, 1 + s, 23, 59, 30) + random.int(0, 999);
    const lat = random.next() * 170 - 85;
    const lon = random.next() * 350 - 175;
    const talker = s % 2 === 0 ? "GN" : "GP";
    for (let e = 0; e < 40; e++, utcMs += 1000) {
      const hasFix = random.next() > 0.15;
      const fix = hasFix
        ? { latDeg: lat + e * 1e-4, lonDeg: lon - e * 1e-4, speedKmh: random.next() * 130, courseDeg: random.next() * 359 }
        : undefined;
      lines.push(buildRmc({ utcMs, fix }, talker));
      lines.push(buildVtg({ fix }, talker));
      lines.push(
        buildGga({ utcMs, numSv: hasFix ? 9 : 0, fix: fix && { ...fix, altitudeM: 120.5, geoidSepM: 47.1, hdop: 0.9 } }, talker),
      );
      lines.push(buildGsa({ fixType: hasFix ? 3 : 1, svids: hasFix ? [3, 7, 9, 16, 22, 30] : [], pdop: 1.6, hdop: 0.9, vdop: 1.2, systemId: 1 }, talker));
      lines.push(
        ...buildGsvGroup(
          [3, 7, 9, 16, 22].map((svid) => ({ svid, elevationDeg: 40, azimuthDeg: svid * 10, cnoDbHz: 38 })),
          "GP",
          1,
        ),
      );
    }
    streams.push(lines);
  }
  return streams;
}

// ---------------------------------------------------------------------------------------------
// Feeding and comparing

function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function replacer(key: string, value: unknown): unknown {
  if (key === "receivedAtMs") return undefined;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** A fix as a comparable string: every field but receivedAtMs; NaN is "NaN". */
export function fixKey(fix: Fix): string {
  return JSON.stringify(fix, replacer);
}

/** Chunking plans. */
type Chunking = "whole" | 1 | 7 | "random";
const CHUNKINGS: readonly Chunking[] = ["whole", 1, 7, "random"];

/** Feed `bytes` to a fresh receiver with the given chunking; fix keys, or the thrown error. */
export function feed(bytes: Uint8Array, chunking: Chunking, seed: number): { keys: string[]; fixes: Fix[]; error?: unknown } {
  const receiver = new GnssReceiver(new ReplayClock(), new QuietLogger());
  const fixes: Fix[] = [];
  receiver.onFix = (fix) => void fixes.push(fix);
  try {
    if (chunking === "whole") receiver.feed(bytes);
    else if (chunking === "random") {
      const random = new Random(seed);
      for (let i = 0; i < bytes.length; ) {
        const n = random.int(1, 64);
        receiver.feed(bytes.subarray(i, i + n));
        i += n;
      }
    } else {
      for (let i = 0; i < bytes.length; i += chunking) receiver.feed(bytes.subarray(i, i + chunking));
    }
    receiver.flush();
  } catch (error) {
    return { keys: fixes.map(fixKey), fixes, error };
  }
  return { keys: fixes.map(fixKey), fixes };
}

function firstDifference(a: string[], b: string[]): string {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return `fix #${i}: ${a[i] ?? "(none)"} vs ${b[i] ?? "(none)"}`;
  }
  return "identical";
}

/** Check properties 1, 2 and 4 on a stream; undefined when they hold. */
export function checkStream(bytes: Uint8Array, seed: number): { property: FuzzProperty; detail: string } | undefined {
  let reference: string[] | undefined;
  for (const chunking of CHUNKINGS) {
    const run = feed(bytes, chunking, seed);
    if (run.error !== undefined) {
      return { property: "no-throw", detail: `chunking ${chunking}: threw ${String(run.error)}` };
    }
    if (reference === undefined) {
      reference = run.keys;
      for (const fix of run.fixes) {
        if (fix.valid && !(fix.latitudeDeg >= -90 && fix.latitudeDeg <= 90 && fix.longitudeDeg >= -180 && fix.longitudeDeg <= 180)) {
          return { property: "sane", detail: `valid fix with position ${fix.latitudeDeg}, ${fix.longitudeDeg}` };
        }
      }
    } else if (run.keys.length !== reference.length || run.keys.some((k, i) => k !== reference![i])) {
      return { property: "chunking", detail: `whole vs chunks of ${chunking}: ${firstDifference(reference, run.keys)}` };
    }
  }
  return undefined;
}

/** Property 3: fixes of `bytes` equal those of `without` (fed whole). */
export function checkBadChecksum(bytes: Uint8Array, without: Uint8Array): string | undefined {
  const a = feed(bytes, "whole", 0);
  const b = feed(without, "whole", 0);
  if (a.error !== undefined || b.error !== undefined) return undefined; // reported as no-throw
  if (a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys[i])) return undefined;
  return `with the bad-checksum sentence vs without it: ${firstDifference(a.keys, b.keys)}`;
}

// ---------------------------------------------------------------------------------------------
// Mutations

const PRINTABLE_NO_FRAMING = (() => {
  const out: string[] = [];
  for (let c = 0x20; c <= 0x7e; c++) if (c !== 0x24 && c !== 0x21 && c !== 0x2a) out.push(String.fromCharCode(c));
  return out.join("");
})();
const NMEA_ALPHABET = "$!,*.-+0123456789ABCDEFGNSWEVMPRTKabcdef\r\n ";

function pick<T>(random: Random, items: readonly T[] | string): T {
  return items[random.int(0, items.length - 1)] as T;
}

/**
 * Damage the body of `line` (`$body*hh`) with 1..3 edits: bit flip, byte insert, byte delete,
 * field swap, truncation. Only printable characters other than `$ ! *` are produced, so the line
 * stays one well-framed line and only its content changes.
 */
function damageBody(random: Random, body: string): string {
  let s = body;
  const edits = random.int(1, 3);
  for (let e = 0; e < edits; e++) {
    const at = random.int(0, Math.max(0, s.length - 1));
    switch (random.int(0, 4)) {
      case 0: {
        // bit flip, kept inside printable non-framing characters
        const c = s.charCodeAt(at) ^ (1 << random.int(0, 6));
        const ch = String.fromCharCode(c);
        s = s.slice(0, at) + (PRINTABLE_NO_FRAMING.includes(ch) ? ch : pick<string>(random, PRINTABLE_NO_FRAMING)) + s.slice(at + 1);
        break;
      }
      case 1:
        s = s.slice(0, at) + pick<string>(random, random.next() < 0.5 ? ",.-0123456789" : PRINTABLE_NO_FRAMING) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + random.int(1, 3));
        break;
      case 3: {
        const f = s.split(",");
        if (f.length > 2) {
          const i = random.int(1, f.length - 1);
          const j = random.int(1, f.length - 1);
          [f[i], f[j]] = [f[j]!, f[i]!];
          s = f.join(",");
        } else s = s.slice(0, at);
        break;
      }
      default:
        s = s.slice(0, random.int(1, Math.max(1, s.length)));
    }
  }
  return s;
}

function splitSentence(line: string): { prefix: string; body: string; checksum: string } {
  let start = 1;
  while (line[start] === "$") start++;
  const star = line.lastIndexOf("*");
  return { prefix: line.slice(0, start), body: line.slice(start, star), checksum: line.slice(star + 1) };
}

/** One generated case. */
export interface FuzzCase {
  mutation: Mutation;
  bytes: Uint8Array;
  /** bad-checksum cases: the stream with the damaged sentence removed. */
  without?: Uint8Array;
}

function eol(random: Random): string {
  const r = random.next();
  return r < 0.7 ? "\r\n" : r < 0.9 ? "\n" : "\r";
}

/** Build case `index` of the run (deterministic in (seed, index)). */
export function makeCase(seeds: readonly string[][], seed: number, index: number): FuzzCase {
  const random = new Random((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  const mutation = MUTATIONS[index % MUTATIONS.length]!;
  const stream = pick<string[]>(random, seeds);
  const length = random.int(2, Math.min(14, stream.length));
  const start = random.int(0, stream.length - length);
  const lines = stream.slice(start, start + length);
  const ends = lines.map(() => eol(random));
  const join = (ls: readonly string[], es: readonly string[]) => ls.map((l, i) => l + es[i]).join("");
  const target = random.int(0, lines.length - 1);

  switch (mutation) {
    case "bad-checksum": {
      const { prefix, body, checksum } = splitSentence(lines[target]!);
      let damaged = damageBody(random, body);
      let tries = 0;
      while (nmeaChecksum(damaged) === checksum.toUpperCase() && tries++ < 8) damaged = damageBody(random, body);
      if (nmeaChecksum(damaged) === checksum.toUpperCase()) damaged = body + "0"; // fallback, still wrong? re-checked below
      const broken = `${prefix}${damaged}*${checksum}`;
      const withBroken = [...lines];
      withBroken[target] = broken;
      const without = lines.filter((_, i) => i !== target);
      const withoutEnds = ends.filter((_, i) => i !== target);
      if (nmeaChecksum(damaged) === checksum.toUpperCase()) {
        return { mutation: "recomputed", bytes: latin1(join(withBroken, ends)) };
      }
      return { mutation, bytes: latin1(join(withBroken, ends)), without: latin1(join(without, withoutEnds)) };
    }
    case "recomputed": {
      const { prefix, body } = splitSentence(lines[target]!);
      const damaged = damageBody(random, body);
      lines[target] = `${prefix}${damaged}*${random.next() < 0.2 ? nmeaChecksum(damaged).toLowerCase() : nmeaChecksum(damaged)}`;
      return { mutation, bytes: latin1(join(lines, ends)) };
    }
    case "dollar": {
      const l = lines[target]!;
      const at = random.int(1, l.length);
      lines[target] = l.slice(0, at) + (random.next() < 0.5 ? "$" : lines[(target + 1) % lines.length]!) + l.slice(at);
      return { mutation, bytes: latin1(join(lines, ends)) };
    }
    case "overlong": {
      const { prefix, body } = splitSentence(lines[target]!);
      let padded = body;
      const want = random.int(300, 600);
      while (padded.length < want) padded += random.next() < 0.5 ? "," : "0123456789".slice(0, random.int(1, 10));
      lines[target] = `${prefix}${padded}*${nmeaChecksum(padded)}`;
      return { mutation, bytes: latin1(join(lines, ends)) };
    }
    case "junk": {
      const text = join(lines, ends);
      const bytes = latin1(text);
      const junkLength = random.int(1, 40);
      const at = random.int(0, bytes.length);
      const out = new Uint8Array(bytes.length + junkLength);
      out.set(bytes.subarray(0, at), 0);
      for (let i = 0; i < junkLength; i++) out[at + i] = random.int(0, 255);
      out.set(bytes.subarray(at), at + junkLength);
      return { mutation, bytes: out };
    }
    case "truncate": {
      const bytes = latin1(join(lines, ends));
      return { mutation, bytes: bytes.subarray(0, random.int(0, bytes.length)) };
    }
    case "random": {
      const n = random.int(1, 300);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = random.next() < 0.9 ? NMEA_ALPHABET.charCodeAt(random.int(0, NMEA_ALPHABET.length - 1)) : random.int(0, 255);
      return { mutation, bytes: out };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Shrinking

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      parts.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) parts.push(bytes.subarray(start));
  return parts;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Greedy shrink: drop whole lines, then single bytes, while `fails` stays true. */
export function shrink(bytes: Uint8Array, fails: (candidate: Uint8Array) => boolean): Uint8Array {
  let parts = splitLines(bytes);
  for (let i = parts.length - 1; i >= 0 && parts.length > 1; i--) {
    const candidate = parts.filter((_, j) => j !== i);
    if (fails(concat(candidate))) parts = candidate;
  }
  let current = concat(parts);
  if (current.length <= 400) {
    for (let i = current.length - 1; i >= 0; i--) {
      const candidate = concat([current.subarray(0, i), current.subarray(i + 1)]);
      if (fails(candidate)) current = candidate;
    }
  }
  return current;
}

/** Shrink a bad-checksum violation: drop lines common to both streams while it still fails. */
function shrinkPair(bytes: Uint8Array, without: Uint8Array): { bytes: Uint8Array; without: Uint8Array } {
  let a = splitLines(bytes);
  let b = splitLines(without);
  // `without` is `bytes` minus one line: remove matching lines from both, one at a time.
  for (let i = a.length - 1; i >= 0; i--) {
    const j = b.findIndex((p, k) => k >= i - 1 && k <= i && p.length === a[i]!.length && p.every((c, n) => c === a[i]![n]));
    if (j < 0) continue;
    const a2 = a.filter((_, k) => k !== i);
    const b2 = b.filter((_, k) => k !== j);
    if (checkBadChecksum(concat(a2), concat(b2)) !== undefined) {
      a = a2;
      b = b2;
    }
  }
  return { bytes: concat(a), without: concat(b) };
}

// ---------------------------------------------------------------------------------------------
// Runner

/** Run `count` cases; stops at the first violation. */
export function runFuzz(options: FuzzOptions): FuzzResult {
  const started = performance.now();
  const corpus = options.corpusDir !== undefined && existsSync(options.corpusDir) ? corpusSeeds(options.corpusDir) : [];
  const seeds = corpus.length > 0 ? corpus : generatedSeeds(options.seed);
  const result: FuzzResult = {
    cases: 0,
    bytes: 0,
    fixesPublished: 0,
    feeds: 0,
    byMutation: Object.fromEntries(MUTATIONS.map((m) => [m, 0])) as Record<Mutation, number>,
    wallMs: 0,
    seedSource: corpus.length > 0 ? `${corpus.length} gpsd corpus logs (${options.corpusDir})` : "generated sentences (host-sim/gnss builders)",
  };
  const every = options.progressEvery ?? 100_000;
  for (let index = 0; index < options.count; index++) {
    const c = makeCase(seeds, options.seed, index);
    result.cases++;
    result.bytes += c.bytes.length;
    result.byMutation[c.mutation]++;
    const streamSeed = (options.seed + index) >>> 0;
    const failure = checkStream(c.bytes, streamSeed);
    result.feeds += CHUNKINGS.length;
    if (failure) {
      const input = shrink(c.bytes, (candidate) => checkStream(candidate, streamSeed)?.property === failure.property);
      const again = checkStream(input, streamSeed) ?? failure;
      result.violation = { property: failure.property, caseIndex: index, mutation: c.mutation, detail: again.detail, input };
      break;
    }
    if (c.without !== undefined) {
      const detail = checkBadChecksum(c.bytes, c.without);
      result.feeds += 2;
      if (detail !== undefined) {
        const small = shrinkPair(c.bytes, c.without);
        result.violation = {
          property: "bad-checksum", caseIndex: index, mutation: c.mutation,
          detail: checkBadChecksum(small.bytes, small.without) ?? detail, input: small.bytes, reference: small.without,
        };
        break;
      }
    }
    result.fixesPublished += feed(c.bytes, "whole", 0).fixes.length;
    result.feeds++;
    if (options.onProgress && (index + 1) % every === 0) options.onProgress(index + 1);
  }
  result.wallMs = performance.now() - started;
  return result;
}

/** Bytes as hex, 32 per line. */
export function hex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    lines.push(Array.from(bytes.subarray(i, i + 32), (b) => b.toString(16).padStart(2, "0")).join(" "));
  }
  return lines.join("\n");
}

/** Bytes as a JS-style escaped string (printable ASCII kept). */
export function escaped(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) {
    if (b === 0x0d) s += "\\r";
    else if (b === 0x0a) s += "\\n";
    else if (b === 0x5c) s += "\\\\";
    else if (b >= 0x20 && b <= 0x7e) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return s;
}

/** Print a run's summary (and its violation); returns the exit code (0 ok, 1 violation). */
export function printFuzzResult(result: FuzzResult, seed: number): number {
  const seconds = result.wallMs / 1000;
  console.log(`seeds: ${result.seedSource}`);
  console.log(
    `cases: ${result.cases} (${MUTATIONS.map((m) => `${m} ${result.byMutation[m]}`).join(", ")})`,
  );
  console.log(
    `bytes: ${result.bytes}, stream feeds: ${result.feeds}, fixes published (whole-stream feeds): ${result.fixesPublished}`,
  );
  console.log(
    `throughput: ${Math.round(result.cases / seconds)} cases/s, ${(result.bytes * (result.feeds / Math.max(1, result.cases)) / seconds / 1e6).toFixed(2)} MB/s fed, in ${seconds.toFixed(1)} s`,
  );
  const v = result.violation;
  if (!v) {
    console.log("properties held: no-throw, chunking (whole/1/7/random), bad-checksum (= sentence removed), sane valid fixes");
    return 0;
  }
  console.log(`VIOLATION of property '${v.property}' at case ${v.caseIndex} (mutation ${v.mutation}, seed ${seed})`);
  console.log(`  ${v.detail}`);
  console.log(`minimal input (${v.input.length} bytes):\n  "${escaped(v.input)}"\nhex:\n${hex(v.input)}`);
  if (v.reference) console.log(`same stream without the bad-checksum sentence:\n  "${escaped(v.reference)}"`);
  return 1;
}

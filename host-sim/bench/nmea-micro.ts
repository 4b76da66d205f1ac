/**
 * NMEA micro-benchmarks on XS (xsnap meter), for the performance work on src/gnss:
 * `npx tsx host-sim/bench/nmea-micro.ts`.
 *
 * Method: each case is a snippet run N times in a loop inside one evaluation; its cost is the
 * evaluation's computrons minus those of the same loop with an empty body, divided by N. Heap slots:
 * growth of `currentHeapCount` over 100 runs right after a `gc()`, divided by 100 (no GC can run in
 * between at these sizes). The realm is the device-like one (DEVICE_PRELUDE), with the firmware's
 * NmeaParser / NmeaLineReader on globalThis.
 */
import { fileURLToPath } from "node:url";
import { XsEngine } from "../engines/xs-engine.ts";
import { buildGga, buildGll, buildGsa, buildGsvGroup, buildRmc, buildVtg, buildZda } from "../gnss/nmea-format.ts";

const ENTRY = fileURLToPath(new URL("./nmea-parts-xs-entry.ts", import.meta.url));
const N = 1000;

export interface MicroCase {
  name: string;
  /** Evaluated once, in a closure: declare what `op` uses. `x` is a declared sink. */
  setup: string;
  /** The operation measured. `i` is the loop index. */
  op: string;
}

export async function measureCases(cases: MicroCase[], entry: string = ENTRY): Promise<{ name: string; computrons: number; slots: number }[]> {
  const engine = await XsEngine.start(entry);
  const out: { name: string; computrons: number; slots: number }[] = [];
  try {
    const install = (op: string, n: number) =>
      engine.evaluate(`globalThis.__t = (() => { let x = 0; ${currentSetup}; return function () { for (let i = 0; i < ${n}; i++) { ${op}; } return x; }; })();`);
    let currentSetup = "";
    for (const c of cases) {
      currentSetup = c.setup;
      await install(c.op, N);
      await engine.evaluate("gc()");
      const full = await engine.evaluate("__t()");
      await install("", N);
      const empty = await engine.evaluate("__t()");
      await install(c.op, 100);
      const before = await engine.evaluate("gc()");
      const after = await engine.evaluate("__t()");
      out.push({ name: c.name, computrons: (full.computrons - empty.computrons) / N, slots: (after.heapSlots - before.heapSlots) / 100 });
    }
  } finally {
    await engine.close();
  }
  return out;
}

const str = (s: string) => JSON.stringify(s);
const sampleUtc = Date.UTC(2025, 5, 1, 12, 34, 56);
const fix = { latDeg: 37.3349, lonDeg: -121.8881, speedKmh: 45, courseDeg: 123.4 };
export const SAMPLE_SENTENCES: Record<string, string> = {
  RMC: buildRmc({ utcMs: sampleUtc, fix }),
  VTG: buildVtg({ fix }),
  GGA: buildGga({ utcMs: sampleUtc, numSv: 16, fix: { latDeg: fix.latDeg, lonDeg: fix.lonDeg, altitudeM: 25, geoidSepM: -32, hdop: 0.9 } }),
  GSA: buildGsa({ fixType: 3, svids: [2, 4, 6, 8, 10, 12, 14, 16], pdop: 1.6, hdop: 0.9, vdop: 1.3, systemId: 1 }),
  GSV: buildGsvGroup([{ svid: 2, elevationDeg: 40, azimuthDeg: 120, cnoDbHz: 38 }, { svid: 4, elevationDeg: 10, azimuthDeg: 20, cnoDbHz: 30 },
    { svid: 6, elevationDeg: 50, azimuthDeg: 220, cnoDbHz: 41 }, { svid: 8, elevationDeg: 70, azimuthDeg: 300, cnoDbHz: 45 }], "GP", 1)[0]!,
  GLL: buildGll({ utcMs: sampleUtc, fix }),
  ZDA: buildZda(sampleUtc),
  TXT: "$GPTXT,01,01,02,ANTSTATUS=OK*3B",
};

function parserCases(): MicroCase[] {
  return Object.entries(SAMPLE_SENTENCES).map(([type, line]) => ({
    name: `NmeaParser.parse ${type} (${line.length} chars)`,
    setup: `const p = new NmeaParser(); const t = ${str(line)}; const n = ${line.length}; const b = new Uint8Array(256); const w = new Uint32Array(b.buffer);
      for (let k = 0; k < t.length; k++) b[k] = t.charCodeAt(k); if (p.parse(t, 0, t.length, b, w) <= 0 && ${str(type)} !== "TXT") throw Error("not parsed: " + t);`,
    op: `x = p.parse(t, 0, n, b, w)`,
  }));
}

function readerCase(): MicroCase {
  // one epoch's worth of lines, fed in 64-byte chunks: cost per line
  const lines = Object.values(SAMPLE_SENTENCES);
  const text = lines.join("\r\n") + "\r\n";
  return {
    name: `NmeaLineReader.feed, one epoch of ${lines.length} lines in 64-byte chunks (no consumer)`,
    setup: `const r = new NmeaLineReader(); const t = ${str(text)}; const all = new Uint8Array(t.length);
      for (let k = 0; k < t.length; k++) all[k] = t.charCodeAt(k);
      const chunks = []; for (let k = 0; k < all.length; k += 64) chunks.push(all.subarray(k, k + 64));
      const nc = chunks.length; const nl = ${lines.length};`,
    op: `for (let k = 0; k < nc; k++) r.feed(chunks[k]); x += nl`,
  };
}

/** Costs of the primitives the NMEA code is built from. */
export const PRIMITIVE_CASES: MicroCase[] = [
  { name: "function call f(i)", setup: "function f(a) { return a; }", op: "x = f(i)" },
  { name: "method call o.m(i)", setup: "class C { m(a) { return a; } } const o = new C();", op: "x = o.m(i)" },
  { name: "private field read (in method)", setup: "class C { #a = 1; g() { return this.#a; } } const o = new C();", op: "x = o.g()" },
  { name: "property read o.a", setup: "const o = { a: 1 };", op: "x = o.a" },
  { name: "Uint8Array element read", setup: "const b = new Uint8Array(256);", op: "x = b[i & 255]" },
  { name: "string indexOf via .call", setup: `const io = String.prototype.indexOf; const s = ${str(SAMPLE_SENTENCES.RMC)};`, op: "x = io.call(s, '*', 0)" },
  { name: "string slice via .call", setup: `const sl = String.prototype.slice; const s = ${str(SAMPLE_SENTENCES.RMC)};`, op: "x = sl.call(s, 7, 16)" },
  { name: "string charCodeAt via .call", setup: `const cc = String.prototype.charCodeAt; const s = ${str(SAMPLE_SENTENCES.RMC)};`, op: "x = cc.call(s, 7)" },
  { name: "s.charCodeAt(7) on a primitive", setup: `const s = ${str(SAMPLE_SENTENCES.RMC)};`, op: "x = s.charCodeAt(7)" },
  { name: "s.length on a primitive", setup: `const s = ${str(SAMPLE_SENTENCES.RMC)};`, op: "x = s.length" },
  { name: "+string (number)", setup: "const s = '3720.0940';", op: "x = +s" },
  { name: "Math.floor", setup: "const v = 3720.094;", op: "x = Math.floor(v / 100)" },
  { name: "split 13 fields via .call", setup: "const sp = String.prototype.split; const s = '120000.00,A,3720.0940,N,12153.2860,W,21.6,0.0,010625,,,A,V';", op: "x = sp.call(s, ',')" },
  { name: "try/catch, no throw", setup: "", op: "try { x = i; } catch { x = 0; }" },
  { name: "Uint8Array set 64 bytes", setup: "const src = new Uint8Array(64); const dst = new Uint8Array(256);", op: "dst.set(src, 10)" },
  { name: "copyWithin 30 bytes", setup: "const b = new Uint8Array(256);", op: "b.copyWithin(0, 100, 130)" },
  { name: "String.fromCharCode.apply 64 bytes", setup: "const src = new Uint8Array(64).fill(65);", op: "x = String.fromCharCode.apply(null, src)" },
  { name: "String.fromArrayBuffer 8 bytes", setup: "const b = new Uint8Array(8).fill(65).buffer;", op: "x = String.fromArrayBuffer(b)" },
  { name: "String.fromArrayBuffer 64 bytes", setup: "const b = new Uint8Array(64).fill(65).buffer;", op: "x = String.fromArrayBuffer(b)" },
  { name: "String.fromArrayBuffer 256 bytes", setup: "const b = new Uint8Array(256).fill(65).buffer;", op: "x = String.fromArrayBuffer(b)" },
  { name: "resizable ArrayBuffer resize", setup: "const b = new ArrayBuffer(64, { maxByteLength: 256 });", op: "b.resize(1 + (i & 63))" },
  { name: "Uint32Array XOR, 15 words unrolled", setup: "const w = new Uint32Array(64);", op: "x = w[1]^w[2]^w[3]^w[4]^w[5]^w[6]^w[7]^w[8]^w[9]^w[10]^w[11]^w[12]^w[13]^w[14]^w[15]" },
];

export function componentCases(): MicroCase[] {
  return [...parserCases(), readerCase()];
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? "all";
  const cases = which === "primitives" ? PRIMITIVE_CASES : which === "components" ? componentCases() : [...PRIMITIVE_CASES, ...componentCases()];
  const rows = await measureCases(cases);
  console.log(`NMEA micro-benchmarks on XS (xsnap meter; ${N} runs per case, empty loop subtracted)`);
  for (const r of rows) console.log(`  ${r.name.padEnd(72)} ${r.computrons.toFixed(1).padStart(8)} computrons ${r.slots.toFixed(2).padStart(6)} slots`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

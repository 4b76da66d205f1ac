import { expect } from "chai";
import { NmeaLineReader } from "../../src/gnss/nmea-line-reader.ts";
import type { FromArrayBuffer } from "../../src/gnss/ascii-text.ts";
import { ascii, deviceFromArrayBuffer, forEveryChunking, seededRandom } from "./helpers.ts";

function xor(s: string): number {
  let x = 0;
  for (let i = 0; i < s.length; i++) x ^= s.charCodeAt(i);
  return x;
}

/** Conversion paths of the reader: the device's (flat cost) and the per-byte fallback (no String.fromArrayBuffer). */
const PATHS: ReadonlyArray<{ name: string; converter: FromArrayBuffer | null }> = [
  { name: "String.fromArrayBuffer", converter: deviceFromArrayBuffer },
  { name: "per-byte fallback", converter: null },
];

interface ReaderResult {
  lines: string[];
  counters: { lines: number; overlongLines: number; droppedPartials: number; junkBytes: number };
}

/** Feed `input` in every chunking; every result must be identical; returns it. */
function read(input: string | Uint8Array, capacityBytes: number | undefined, fromArrayBuffer: FromArrayBuffer | null): ReaderResult {
  const bytes = typeof input === "string" ? ascii(input) : input;
  return forEveryChunking(bytes, (feedAll) => {
    const reader = new NmeaLineReader({ capacityBytes, fromArrayBuffer });
    const lines: string[] = [];
    reader.onLine = (t, start, end) => lines.push(t.slice(start, end));
    feedAll((chunk) => reader.feed(chunk));
    const { overlongLines, droppedPartials, junkBytes } = reader;
    return { lines, counters: { lines: reader.lines, overlongLines, droppedPartials, junkBytes } };
  });
}

// ublox-neo-m9n-nmea.log
const RMC = "$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E";
const VTG = "$GNVTG,,T,,M,0.040,N,0.075,K,D*3E";
// mtk-3301.log: a 203-character proprietary line (plus CR LF: 205 bytes on the wire)
const PMTKCHN =
  "$PMTKCHN,14001,29001,23001,02001,21001,11001,16001,28001,05001,20001,22001,18001,06001,19001,07001,09001,25001,08001,13001,30001,10001,03001,04001,27001,26001,01001,24001,15001,31001,17001,12001,32001*46";

for (const path of PATHS) describe(`gnss/NmeaLineReader (${path.name})`, () => {
  const newReader = () => new NmeaLineReader({ fromArrayBuffer: path.converter });

  const cases: Array<{ name: string; input: string | Uint8Array; capacity?: number; lines: string[]; overlong?: number; partials?: number; junk?: number }> = [
    { name: "CR LF terminated lines", input: `${RMC}\r\n${VTG}\r\n`, lines: [RMC, VTG] },
    { name: "LF only and CR only terminators", input: `${RMC}\n${VTG}\r`, lines: [RMC, VTG] },
    { name: "a line without terminator is held back", input: `${RMC}\r\n${VTG}`, lines: [RMC] },
    { name: "junk between lines is counted", input: `hello\r\n${RMC}\r\nxy${VTG}\r\n`, lines: [RMC, VTG], junk: 7 },
    {
      // st-teseo-liv4f.log
      name: "$$ prefix is accepted silently",
      input: "$$GNGSA,A,3,27,08,,,,,,,,,,,2.5,1.7,1.8,1*34\r\n",
      lines: ["$GNGSA,A,3,27,08,,,,,,,,,,,2.5,1.7,1.8,1*34"],
    },
    {
      // triton400.log line 19: a GGA cut short by the next sentence
      name: "'$' mid-line restarts the line and counts the dropped partial",
      input: "$GPGGA,030130$GPGLL,2638.1728,N,08011.3893,W,030131.000,A,A*41\r\n",
      lines: ["$GPGLL,2638.1728,N,08011.3893,W,030131.000,A,A*41"],
      partials: 1,
    },
    { name: "'!' starts an AIS line", input: "!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26\r\n", lines: ["!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26"] },
    { name: "a lone '$' is a dropped partial", input: `$\r\n${VTG}\r\n`, lines: [VTG], partials: 1 },
    { name: "empty lines are ignored", input: `\r\n\r\n\n${VTG}\r\n\r\n`, lines: [VTG] },
    { name: "205-byte line fits the default 256-byte buffer", input: `${PMTKCHN}\r\n${VTG}\r\n`, lines: [PMTKCHN, VTG] },
    { name: "205-byte line is dropped by a 128-byte buffer", input: `${PMTKCHN}\r\n${VTG}\r\n`, capacity: 128, lines: [VTG], overlong: 1 },
    { name: "a 300-byte line is dropped and the next line survives", input: `$GPXXX,${"1".repeat(293)}\r\n${RMC}\r\n`, lines: [RMC], overlong: 1 },
    {
      name: "an overlong line cut by '$' resyncs on it",
      input: `$GPXXX,${"1".repeat(300)}${RMC}\r\n`,
      lines: [RMC],
      overlong: 1,
    },
    { name: "exactly capacity bytes fits", input: `$GP${"x".repeat(5)}\r\n`, capacity: 8, lines: [`$GP${"x".repeat(5)}`] },
    { name: "capacity + 1 bytes is overlong", input: `$GP${"x".repeat(6)}\r\n`, capacity: 8, lines: [], overlong: 1 },
    {
      // bytes inside a line are not screened: the parser's checksum rejects such lines
      name: "a non-printable byte inside a line is passed on unchanged (the checksum rejects it)",
      input: `$GNRMC,223745.00,A,38\u000006.62964\r\n${VTG}\r\n`,
      lines: ["$GNRMC,223745.00,A,38\u000006.62964", VTG],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const result = read(c.input, c.capacity, path.converter);
      expect(result.lines).to.deep.equal(c.lines);
      expect(result.counters.lines).to.equal(c.lines.length);
      expect(result.counters.overlongLines, "overlongLines").to.equal(c.overlong ?? 0);
      expect(result.counters.droppedPartials, "droppedPartials").to.equal(c.partials ?? 0);
      if (c.junk !== undefined) expect(result.counters.junkBytes, "junkBytes").to.equal(c.junk);
    });
  }

  it("binary junk between lines is ignored and counted", () => {
    const junk = new Uint8Array(300);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 37 + 11) & 0xff;
    // make sure the junk holds no start or terminator characters
    for (let i = 0; i < junk.length; i++) if (junk[i] === 0x24 || junk[i] === 0x21 || junk[i] === 0x0d || junk[i] === 0x0a) junk[i] = 0xff;
    const before = ascii(`${RMC}\r\n`);
    const after = ascii(`${VTG}\r\n`);
    const input = new Uint8Array(before.length + junk.length + after.length);
    input.set(before, 0);
    input.set(junk, before.length);
    input.set(after, before.length + junk.length);
    const result = read(input, undefined, path.converter);
    expect(result.lines).to.deep.equal([RMC, VTG]);
    expect(result.counters.junkBytes).to.equal(300);
  });

  it("reads a receive buffer fed again and again: the same lines and checksums, across ring moves", () => {
    // 300 lines with a varying length; every 7th carries 8-bit bytes (the checksum covers them)
    const lines: number[][] = [];
    for (let i = 0; i < 300; i++) {
      const body = Array.from(`GPTXT,01,01,02,${"x".repeat(i % 53)}`, (c) => c.charCodeAt(0));
      if (i % 7 === 0) body.push(0xf1, 0x7f, 0xf8, 0xff, 0xf0, 0x7f, 0xff, 0xff);
      const sum = body.reduce((x, b) => x ^ b, 0);
      lines.push([0x24, ...body, 0x2a, ...Array.from(sum.toString(16).toUpperCase().padStart(2, "0"), (c) => c.charCodeAt(0))]);
    }
    const input = Uint8Array.from(lines.flatMap((l) => [...l, 13, 10]));
    const expected = lines.map((l) => [String.fromCharCode(...l), l.slice(1, -3).reduce((x, b) => x ^ b, 0)]);
    for (const size of [8, 16, 64, 72, 200, 512]) {
      const rx = new Uint8Array(size); // the serial adapter's receive buffer, reused for every read
      const reader = newReader();
      const seen: Array<[string, number]> = [];
      reader.onLine = (t, start, end) => seen.push([t.slice(start, end), reader.lineChecksum(t, start, end)]);
      for (let i = 0; i < input.length; i += size) {
        const part = input.subarray(i, i + size);
        rx.set(part);
        reader.feed(part.length === size ? rx : rx.subarray(0, part.length));
      }
      expect(seen, `receive buffer of ${size} bytes`).to.deep.equal(expected);
    }
  });

  it("reads a view of a resizable buffer whose length changes between reads", () => {
    const input = ascii(`${RMC}\r\n${VTG}\r\n`.repeat(20));
    const buffer = new ArrayBuffer(64, { maxByteLength: 64 });
    const rx = new Uint8Array(buffer); // length-tracking: its length follows the buffer's
    const reader = newReader();
    const seen: string[] = [];
    reader.onLine = (t, start, end) => seen.push(t.slice(start, end));
    for (let i = 0, k = 0; i < input.length; k++) {
      const size = Math.min(k % 3 === 2 ? 24 : 64, input.length - i);
      buffer.resize(size);
      rx.set(input.subarray(i, i + size));
      reader.feed(rx);
      i += size;
    }
    expect(seen).to.deep.equal(Array.from({ length: 20 }, () => [RMC, VTG]).flat());
  });

  it("delivers the line without the terminator, with its checksum however it was cut", () => {
    const lines = [RMC, VTG, "$GPTXT,01,01,02,ANTSTATUS=OK*3B", "$GPTXT,no checksum", PMTKCHN];
    const expected = lines.map((l) => (l[l.length - 3] === "*" ? xor(l.slice(1, -3)) : -1));
    const input = ascii(lines.map((l) => `${l}\r\n`).join(""));
    forEveryChunking(input, (feedAll) => {
      const reader = newReader();
      const seen: Array<[string, number]> = [];
      reader.onLine = (t, start, end) => seen.push([t.slice(start, end), reader.lineChecksum(t, start, end)]);
      feedAll((chunk) => reader.feed(chunk));
      expect(seen).to.deep.equal(lines.map((l, i) => [l, expected[i]]));
      return seen.length;
    });
    // chunks that are views at odd offsets of buffers whose length is not a multiple of 4
    for (let offset = 0; offset < 8; offset++) {
      for (let size = 1; size <= 70; size += 3) {
        const reader = newReader();
        const seen: Array<[string, number]> = [];
        reader.onLine = (t, start, end) => seen.push([t.slice(start, end), reader.lineChecksum(t, start, end)]);
        for (let i = 0; i < input.length; i += size) {
          const part = input.subarray(i, i + size);
          const holder = new Uint8Array(offset + part.length + (size & 3));
          holder.set(part, offset);
          reader.feed(holder.subarray(offset, offset + part.length));
        }
        expect(seen, `offset ${offset}, size ${size}`).to.deep.equal(lines.map((l, i) => [l, expected[i]]));
      }
    }
    expect(newReader().capacityBytes).to.equal(256);
    expect(new NmeaLineReader(100).capacityBytes).to.equal(100);
  });

  it("delivers each line in the feed that brings its terminator, however the stream is cut", () => {
    // bursts of usual lines (short ones two to a chunk), lines ending a chunk, CR-only and LF-only
    // ends, junk and a resync between them
    const burst = [RMC, VTG, "$GNGSA,A,3,03,05,07,,,,,,,,,,1.60,0.90,1.30,3*0E", "$GNZDA,120140.00,01,06,2025,00,00*73", VTG, RMC].join("\r\n") + "\r\n";
    const text = [burst, `${VTG}\r${RMC}\n`, `xx${VTG}\r\n`, `$GPGGA,03$${VTG}\r\n`, burst, burst.slice(0, 100), "\r\n"].join("");
    const input = ascii(text.repeat(3));
    // reference: the lines delivered after each byte when fed one byte at a time
    const byByte: number[] = [0];
    {
      const reader = newReader();
      let count = 0;
      reader.onLine = () => count++;
      for (let i = 0; i < input.length; i++) {
        reader.feed(input.subarray(i, i + 1));
        byByte.push(count);
      }
      expect(count).to.equal(3 * 18); // (the cut burst ends with an RMC and a truncated VTG)
    }
    const random = seededRandom(5);
    const sizes = [() => 64, () => 8, () => 1 + Math.floor(random() * 130), () => 1 + Math.floor(random() * 20)];
    for (const [k, size] of sizes.entries()) {
      const rx = new Uint8Array(256);
      const reader = newReader();
      let count = 0;
      reader.onLine = () => count++;
      for (let i = 0; i < input.length; ) {
        const n = Math.min(size(), input.length - i);
        rx.set(input.subarray(i, i + n));
        reader.feed(n === rx.length ? rx : rx.subarray(0, n));
        i += n;
        expect(count, `chunking ${k}, after ${i} bytes`).to.equal(byByte[i]);
      }
    }
  });

  it("counts lines with no consumer and reset() forgets a partial line", () => {
    const reader = newReader();
    reader.feed(ascii(`${VTG}\r\n$GPGGA,12`));
    reader.reset();
    const lines: string[] = [];
    reader.onLine = (t, start, end) => lines.push(t.slice(start, end));
    reader.feed(ascii(`3456\r\n${VTG}\r\n`));
    expect(lines).to.deep.equal([VTG]);
    expect(reader.lines).to.equal(2);
    expect(reader.droppedPartials).to.equal(0);
    expect(reader.junkBytes).to.equal(4);
  });

  it("takes the flat-cost path for ASCII chunks only, with the same lines either way", () => {
    const reader = newReader();
    const lines: string[] = [];
    reader.onLine = (t, start, end) => lines.push(t.slice(start, end));
    for (const chunk of [ascii(`${RMC}\r\n$GNVTG,,T`), ascii(`,,M,0.040,N,0.075,K,D*3E\r\n`)]) reader.feed(chunk);
    expect(lines).to.deep.equal([RMC, VTG]);
    expect(reader.slowChunks).to.equal(path.converter === null ? 2 : 0);
    // Latin-1 / UTF-8 junk between lines and inside a pending line: per-byte path for those chunks only
    const junk = new Uint8Array([0xc3, 0xa9, 0xff, 0x0d, 0x0a]);
    reader.feed(junk);
    reader.feed(ascii(`${VTG.slice(0, 10)}`));
    reader.feed(new Uint8Array([0xe9]));
    reader.feed(ascii(`\r\n${RMC}\r\n`));
    reader.feed(ascii(`${VTG}\r\n`));
    expect(lines).to.deep.equal([RMC, VTG, `${VTG.slice(0, 10)}\u00e9`, RMC, VTG]);
    expect(reader.junkBytes).to.equal(3);
    if (path.converter !== null) expect(reader.slowChunks).to.equal(2); // the two junk chunks only: each chunk is converted on its own
  });
});

import { expect } from "chai";
import {
  RecordKind,
  type WireRecord,
  asciiDecode,
  asciiEncode,
  asciiJson,
  decodeMessage,
  encodeMessage,
  f64Bytes,
  readF64,
  utf8Encode,
  TIMED,
} from "../../../host-sim/guest/wire-format.ts";

const bytes = (...values: number[]) => Uint8Array.from(values);

const RECORDS: WireRecord[] = [
  { kind: RecordKind.Modem, bytes: new TextEncoder().encode("AT\r") },
  { kind: RecordKind.Gnss, bytes: new Uint8Array(0) },
  { kind: RecordKind.Log, bytes: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff) },
  { kind: RecordKind.NextTimer, bytes: f64Bytes(1234.5) },
];

function plain(records: WireRecord[]) {
  return records.map((r) => ({ kind: r.kind, bytes: [...r.bytes] }));
}

describe("host-sim guest wire format", () => {
  describe("encodeMessage / decodeMessage", () => {
    it("round-trips records with a leading time", () => {
      const message = encodeMessage(RECORDS, 98_765.25);
      expect(message.length).to.equal(8 + RECORDS.reduce((n, r) => n + 5 + r.bytes.length, 0));
      const { nowMs, records } = decodeMessage(message, true);
      expect(nowMs).to.equal(98_765.25);
      expect(plain(records)).to.deep.equal(plain(RECORDS));
    });

    it("round-trips records without a time (nowMs is NaN)", () => {
      const message = encodeMessage(RECORDS);
      expect(message.length).to.equal(RECORDS.reduce((n, r) => n + 5 + r.bytes.length, 0));
      const { nowMs, records } = decodeMessage(message, false);
      expect(nowMs).to.be.NaN;
      expect(plain(records)).to.deep.equal(plain(RECORDS));
    });

    it("lays records out as u8 kind, u32 little-endian length, payload", () => {
      const message = encodeMessage([{ kind: 13, bytes: bytes(0x61, 0x62) }]);
      expect([...message]).to.deep.equal([13, 2, 0, 0, 0, 0x61, 0x62]);
      const withTime = encodeMessage([], 1);
      expect([...withTime]).to.deep.equal([...f64Bytes(1)]);
      expect(decodeMessage(withTime, true)).to.deep.equal({ nowMs: 1, records: [] });
    });

    it("decodes a message that is a view into a larger buffer", () => {
      const message = encodeMessage(RECORDS, 42);
      const big = new Uint8Array(message.length + 20).fill(0xff);
      big.set(message, 11);
      const view = big.subarray(11, 11 + message.length);
      const { nowMs, records } = decodeMessage(view, true);
      expect(nowMs).to.equal(42);
      expect(plain(records)).to.deep.equal(plain(RECORDS));
    });

    it("a truncated message yields only the complete records and never throws", () => {
      const message = encodeMessage(RECORDS, 7);
      const ends: number[] = [8]; // where each complete record ends
      for (const r of RECORDS) ends.push(ends.at(-1)! + 5 + r.bytes.length);
      for (let cut = 8; cut <= message.length; cut++) {
        let decoded: ReturnType<typeof decodeMessage> | undefined;
        expect(() => (decoded = decodeMessage(message.subarray(0, cut), true)), `cut ${cut}`).to.not.throw();
        const complete = ends.filter((end) => end <= cut).length - 1;
        expect(decoded!.nowMs).to.equal(7);
        expect(plain(decoded!.records), `cut ${cut}`).to.deep.equal(plain(RECORDS.slice(0, complete)));
      }
      const noTime = encodeMessage(RECORDS);
      for (let cut = 0; cut <= noTime.length; cut++) {
        expect(() => decodeMessage(noTime.subarray(0, cut), false), `cut ${cut}`).to.not.throw();
      }
    });

    it("ignores a record whose length runs past the end (e.g. a corrupt huge length)", () => {
      const good = encodeMessage([{ kind: 2, bytes: bytes(1, 2, 3) }]);
      const bad = bytes(1, 0xff, 0xff, 0xff, 0xff, 9, 9);
      const message = new Uint8Array([...good, ...bad]);
      expect(plain(decodeMessage(message, false).records)).to.deep.equal([{ kind: 2, bytes: [1, 2, 3] }]);
    });

    // BUG: decodeMessage(message, true) throws a RangeError ("Offset is outside the bounds of the
    // DataView") when the message is shorter than its 8-byte time header, although its contract is
    // that malformed tails are ignored; FirmwareGuest.handle ("Never throws") calls it outside its
    // try/catch, so an empty or short step message makes the guest throw.
    it("a message truncated inside its time header does not throw", () => {
      for (let cut = 0; cut < 8; cut++) {
        expect(() => decodeMessage(f64Bytes(5).subarray(0, cut), true), `cut ${cut}`).to.not.throw();
      }
    });
  });

  it("a record's arrival time (atMs) crosses inside that record (kind | TIMED, f64 first) and comes back on it only", () => {
    const records = [
      { kind: RecordKind.Gnss, bytes: Uint8Array.of(1, 2), atMs: 1_000.5 },
      { kind: RecordKind.Gnss, bytes: Uint8Array.of(3), atMs: 1_250 },
      { kind: RecordKind.Modem, bytes: Uint8Array.of(4) },
    ];
    const message = encodeMessage(records, 2_000);
    expect(message.length).to.equal(8 + (5 + 8 + 2) + (5 + 8 + 1) + (5 + 1));
    expect(message[8]).to.equal(RecordKind.Gnss | TIMED);
    const decoded = decodeMessage(message, true);
    expect(decoded.nowMs).to.equal(2_000);
    expect(decoded.records.map((r) => [r.kind, [...r.bytes], r.atMs])).to.deep.equal([
      [RecordKind.Gnss, [1, 2], 1_000.5],
      [RecordKind.Gnss, [3], 1_250],
      [RecordKind.Modem, [4], undefined],
    ]);
    expect("atMs" in decoded.records[2]!).to.equal(false);
  });

  it("a timed record too short to hold its time is dropped, and the records after it still decode", () => {
    const message = Uint8Array.of(RecordKind.Gnss | TIMED, 3, 0, 0, 0, 1, 2, 3, RecordKind.Modem, 1, 0, 0, 0, 9);
    expect(plain(decodeMessage(message, false).records)).to.deep.equal([{ kind: RecordKind.Modem, bytes: [9] }]);
  });

  it("f64Bytes / readF64 round-trip, including from an offset view", () => {
    for (const v of [0, -1.5, 1e300, Number.MAX_SAFE_INTEGER, 1_700_000_000_123.25]) {
      expect(readF64(f64Bytes(v))).to.equal(v);
      const shifted = new Uint8Array(11);
      shifted.set(f64Bytes(v), 3);
      expect(readF64(shifted.subarray(3))).to.equal(v);
    }
  });

  describe("utf8Encode", () => {
    const samples: Record<string, string> = {
      empty: "",
      ascii: "AT+CMGS=\"+14085550199\"\r\n~\u007f",
      latin1: "café Ñandú ÿ \u0080 \u00a0",
      "2-byte edge": "\u07ff\u0800",
      cjk: "位置 追踪器 東京",
      emoji: "😀 at 🚗 ok 🇺🇸",
      "4-byte edges": "\u{10000}\u{10ffff}",
      mixed: "a é 中 😀 z",
    };
    for (const [name, text] of Object.entries(samples)) {
      it(`matches Buffer.from(s, "utf8") for ${name}`, () => {
        expect(Buffer.from(utf8Encode(text))).to.deep.equal(Buffer.from(text, "utf8"));
      });
    }

    it("encodes a surrogate pair as one 4-byte sequence", () => {
      expect([...utf8Encode("😀")]).to.deep.equal([0xf0, 0x9f, 0x98, 0x80]);
    });
  });

  describe("asciiJson", () => {
    const values: unknown[] = [
      "é",
      "😀",
      { key: "cfg.a", value: "1;123;{\"ownerNumber\":\"+33 é 😀\"}" },
      ["naïve", "中文", "\u007f", "tab\tnewline\n", "quote\"backslash\\"],
      { n: 42, b: true, nested: { s: "ü\u2028\u2029" }, nil: null },
    ];
    for (const value of values) {
      it(`is pure ASCII and JSON.parse gives back ${JSON.stringify(value)}`, () => {
        const text = asciiJson(value);
        expect(/^[\x00-\x7e]*$/.test(text), text).to.equal(true);
        expect(JSON.parse(text)).to.deep.equal(value);
        // and it survives the ASCII byte path between host and guest
        expect(JSON.parse(asciiDecode(asciiEncode(text)))).to.deep.equal(value);
      });
    }

    it("escapes non-ASCII characters as \\uXXXX (surrogate pairs as two escapes)", () => {
      expect(asciiJson("é")).to.equal('"\\u00e9"');
      expect(asciiJson("😀")).to.equal('"\\ud83d\\ude00"');
    });
  });

  it("asciiEncode / asciiDecode round-trip ASCII, and asciiDecode handles long input", () => {
    const text = "x".repeat(5000) + "AT+CSQ\r\n";
    const encoded = asciiEncode(text);
    expect(encoded.length).to.equal(text.length);
    expect(Buffer.from(encoded).toString("latin1")).to.equal(text);
    expect(asciiDecode(encoded)).to.equal(text);
  });
});

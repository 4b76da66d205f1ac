/**
 * Round-trip properties of the SMS PDU codec, seeded (host-sim Random), 300 cases: random GSM-7
 * texts (extension characters included) and random Unicode texts (Cyrillic, CJK, emoji and other
 * astral characters, GSM-7 extension characters), 0 to 1,000 characters. For each:
 *  - encoding, unit count and part count equal an independent computation (helpers.ts);
 *  - every part is a well-sized SMS-SUBMIT that decodes back (destination, concat numbering,
 *    validity) and the parts' texts join to the original;
 *  - the same user data as SMS-DELIVERs, shuffled and with a duplicate, reassembles to the original.
 */
import { expect } from "chai";
import { decodePdu, type PduDeliver, type PduSubmit } from "../../../src/sms/pdu/pdu-decode.ts";
import { encodeSubmit, smsPartsFor } from "../../../src/sms/pdu/pdu-encode.ts";
import { ConcatReassembler, type ReassembledSms } from "../../../src/sms/pdu/concat-reassembler.ts";
import { submitToDeliver } from "../../../host-sim/fuzz/pdu-fuzz.ts";
import { Random } from "../../../host-sim/random.ts";
import { FakeClock } from "../../modem/fakes.ts";
import { GSM7_BASIC, GSM7_EXTENSION, RecordingLogger, expectedParts } from "./helpers.ts";

const GSM_CHARS = [...GSM7_BASIC.replace("\u001b", ""), ...GSM7_EXTENSION];

/** Code point ranges for random Unicode text (no surrogates: a text is valid Unicode). */
const RANGES: ReadonlyArray<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x400, 0x4ff],
  [0x4e00, 0x9fff],
  [0x1f300, 0x1faff],
  [0x10000, 0x10ffff],
  [0xe000, 0xfffd],
];

function randomGsmText(r: Random, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += GSM_CHARS[r.int(0, GSM_CHARS.length - 1)];
  return s;
}

function randomUnicodeText(r: Random, length: number): string {
  const cps: number[] = [];
  for (let i = 0; i < length; i++) {
    if (r.next() < 0.3) {
      cps.push(GSM_CHARS[r.int(0, GSM_CHARS.length - 1)]!.codePointAt(0)!);
    } else {
      const [lo, hi] = RANGES[r.int(0, RANGES.length - 1)]!;
      cps.push(r.int(lo, hi));
    }
  }
  return String.fromCodePoint(...cps);
}

function shuffle<T>(r: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const CASES = 300;

describe("sms/pdu round trip (seeded, 300 texts up to 1,000 characters)", () => {
  it("encode → decode is the identity and the part counts match an independent count", () => {
    const r = new Random(0x5eed);
    const stats = { gsm7: 0, ucs2: 0, multipart: 0, maxParts: 0 };
    for (let k = 0; k < CASES; k++) {
      const length = k % 3 === 0 ? r.int(0, 1000) : r.int(0, 200);
      const text = k % 2 === 0 ? randomGsmText(r, length) : randomUnicodeText(r, length);
      const destination = r.next() < 0.7 ? "+" + String(r.int(1, 9)) + String(r.int(10_000_000, 99_999_999_999)) : "0" + String(r.int(100_000_000, 999_999_999));
      const reference = r.int(0, 255);
      const validityMinutes = r.next() < 0.5 ? undefined : r.int(0, 700_000);
      const want = expectedParts(text);
      const label = `case ${k}: ${JSON.stringify(text.slice(0, 40))}… (${Array.from(text).length} chars)`;

      expect(smsPartsFor(text), label).to.deep.equal(want);
      const enc = encodeSubmit(destination, text, { reference, validityMinutes });
      expect([enc.encoding, enc.parts.length, enc.error], label).to.deep.equal([want.encoding, want.parts, undefined]);
      stats[enc.encoding]++;
      if (enc.parts.length > 1) stats.multipart++;
      stats.maxParts = Math.max(stats.maxParts, enc.parts.length);

      let joined = "";
      enc.parts.forEach((part, i) => {
        expect(part.tpduOctets, label).to.equal(part.hex.length / 2 - 1);
        expect(part.hex.startsWith("00"), label).to.equal(true);
        const d = decodePdu(part.hex) as PduSubmit;
        expect(d.kind, label).to.equal("submit");
        expect([d.destination, d.encoding, d.truncated, d.warnings], label).to.deep.equal([destination, want.encoding, false, []]);
        if (enc.parts.length > 1) expect(d.concat, label).to.deep.equal({ reference, total: enc.parts.length, sequence: i + 1, referenceBits: 8 });
        else expect(d.concat, label).to.equal(undefined);
        if (validityMinutes === undefined) expect(d.validityFormat).to.equal("none");
        else expect(d.validityMinutes, label).to.be.at.least(Math.min(validityMinutes, 635_040));
        joined += d.text;
      });
      expect(joined, label).to.equal(text);

      // The recipient's view: DELIVERs in random order, one part twice, through the reassembler.
      const clock = new FakeClock();
      const got: ReassembledSms[] = [];
      const re = new ConcatReassembler(clock, new RecordingLogger(), { onMessage: (m) => got.push(m), maxParts: 255 });
      const delivers = enc.parts.map((p) => decodePdu(submitToDeliver(p.hex)) as PduDeliver);
      const order = shuffle(r, delivers.map((_, i) => i));
      if (order.length > 1) order.splice(r.int(1, order.length - 1), 0, order[0]!);
      for (const i of order) {
        expect(delivers[i]!.kind, label).to.equal("deliver");
        re.add(delivers[i]!, delivers[i]!.sender, i);
      }
      expect(got.length, label).to.equal(1);
      expect([got[0]!.complete, got[0]!.text, got[0]!.total], label).to.deep.equal([true, text, enc.parts.length]);
      expect(re.pendingCount).to.equal(0);
    }
    // The generator reaches what it should (fixed by the seed).
    expect(stats.gsm7).to.be.greaterThan(100);
    expect(stats.ucs2).to.be.greaterThan(100);
    expect(stats.multipart).to.be.greaterThan(60);
    expect(stats.maxParts).to.be.greaterThan(15);
  });

  it("keeps every part within the SMS size limits (140 octets of user data)", () => {
    const r = new Random(7);
    for (let k = 0; k < 40; k++) {
      const text = k % 2 ? randomGsmText(r, r.int(150, 1000)) : randomUnicodeText(r, r.int(60, 500));
      for (const part of encodeSubmit("+14085550199", text, { reference: 1, validityMinutes: 60 }).parts) {
        // header: fo, MR, DA (2 + 6 octets), PID, DCS, VP, UDL = 14 octets
        expect(part.tpduOctets - 14).to.be.at.most(140);
      }
    }
  });
});

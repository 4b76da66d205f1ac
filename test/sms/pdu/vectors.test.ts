/**
 * Known vectors for the SMS PDU codec. The hex below was made for this project with a separate
 * throwaway Python packer written from 3GPP TS 23.038/23.040 (not with the code under test):
 * GSM-7 basic + extension tables, LSB-first septet packing with UDH fill bits, swapped-BCD
 * addresses and time stamps, UTF-16BE. Each vector states what it was built from.
 */
import { expect } from "chai";
import { decodePdu, type PduDeliver, type PduStatusReport, type PduSubmit } from "../../../src/sms/pdu/pdu-decode.ts";
import { encodeSubmit, smsPartsFor } from "../../../src/sms/pdu/pdu-encode.ts";
import { decodeDcs } from "../../../src/sms/pdu/pdu-dcs.ts";
import { encodeAddress, relativeValidityCode, relativeValidityMinutes } from "../../../src/sms/pdu/pdu-fields.ts";
import { parsePduHex } from "../../../src/sms/pdu/pdu-hex.ts";
import { packSeptets, textToGsm7Codes, unpackSeptets, gsm7CodesToText } from "../../../src/codec/gsm7-pack.ts";
import { readUtf16be, utf16Units } from "../../../src/codec/ucs2.ts";

function deliver(hex: string): PduDeliver {
  const r = decodePdu(hex);
  expect(r.kind, r.kind === "error" || r.kind === "unsupported" ? r.error : "").to.equal("deliver");
  return r as PduDeliver;
}

describe("sms/pdu known vectors: decode", () => {
  it("GSM-7 with every extension character, international sender, SCTS at UTC-05:00", () => {
    // SMSC +12025550100, OA +12025550123, DCS 00, SCTS 24-03-10 08:30:15 -20 quarters, text 'Ext: [{}]€^~\| ok' (26 septets)
    const r = deliver("07912120550501F0040B912120550521F300004230018003510A1A453C5D07DAF036A84D6AE3DB9437944D6FF3DA0041EF35");
    expect(r.smsc).to.equal("+12025550100");
    expect([r.sender, r.senderType]).to.deep.equal(["+12025550123", "international"]);
    expect(r.text).to.equal("Ext: [{}]€^~\\| ok");
    expect(r.encoding).to.equal("gsm7");
    expect(r.sentUtcMs).to.equal(Date.parse("2024-03-10T08:30:15-05:00"));
    expect(r.sentTzQuarterHours).to.equal(-20);
    expect([r.binary, r.truncated, r.concat, r.port, r.warnings]).to.deep.equal([false, false, undefined, undefined, []]);
  });

  it("UCS-2 Cyrillic and an emoji (surrogate pair) from an alphanumeric sender", () => {
    // OA "InfoSMS" packed GSM-7 (13 semi-octets, type D0), DCS 08, SCTS 25-12-31 23:59:59 +03:00, text 'Привет, мир! 😀'
    const r = deliver("07919700000000F1040DD049B7F93D6D4E010008522113329595211E041F04400438043204350442002C0020043C0438044000210020D83DDE00");
    expect([r.sender, r.senderType, r.senderTon]).to.deep.equal(["InfoSMS", "alphanumeric", 5]);
    expect(r.text).to.equal("Привет, мир! 😀");
    expect(Array.from(r.text)).to.have.length(14);
    expect(r.encoding).to.equal("ucs2");
    expect(r.sentUtcMs).to.equal(Date.parse("2025-12-31T20:59:59Z"));
  });

  it("8-bit data to a 16-bit application port, no SMSC", () => {
    // SMSC 00, UDHI, OA +4915112345678, DCS 04, UDH 05 04 1388 23F0 (port 5000 from 9200), data DEADBEEF00FF
    const r = deliver("00440D91945111325476F80004321020304050400D060504138823F0DEADBEEF00FF");
    expect(r.smsc).to.equal("");
    expect([r.encoding, r.text, r.dataHex, r.binary]).to.deep.equal(["8bit", "", "DEADBEEF00FF", true]);
    expect(r.port).to.deep.equal({ destination: 5000, source: 9200, bits: 16, application: "other" });
    expect(r.udhHex).to.equal("05041388" + "23F0");
  });

  it("8-bit data to an 8-bit application port (IE 0x04), and a port element of the wrong length", () => {
    // as above with UDH 04 04 02 50 51 (port 80 from 81)
    const r = deliver("00440D91945111325476F80004321020304050400B0404025051DEADBEEF00FF");
    expect(r.port).to.deep.equal({ destination: 80, source: 81, bits: 8, application: "other" });
    expect([r.binary, r.dataHex, r.warnings]).to.deep.equal([true, "DEADBEEF00FF", []]);
    // UDH 05 04 03 50 51 52: an 8-bit port element must be 2 octets long
    const odd = deliver("00440D91945111325476F80004321020304050400C050403505152DEADBEEF00FF");
    expect(odd.port).to.equal(undefined);
    expect(odd.warnings).to.deep.equal(["port element 0x04 with length 3 ignored"]);
  });

  it("two-part concatenated GSM-7 (8-bit reference, UDH fill bit), national sender", () => {
    // UDH 05 00 03 A7 02 0n; part 1 = 150×'A' + 'xyz' (153 septets), part 2 = 'tail {end}'
    const p1 = deliver(
      "0791447700090000440B817007900021F3000042701021001000A0050003A7020182C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C16030180C0683C1603018C4E7F5",
    );
    const p2 = deliver("0791447700090000440B817007900021F300004270102100200013050003A70202E8E1341BB44195DDE44D0A");
    expect([p1.sender, p1.senderType]).to.deep.equal(["07700900123", "unknown"]);
    expect(p1.text).to.equal("A".repeat(150) + "xyz");
    expect(p2.text).to.equal("tail {end}");
    expect(p1.concat).to.deep.equal({ reference: 0xa7, total: 2, sequence: 1, referenceBits: 8 });
    expect(p2.concat).to.deep.equal({ reference: 0xa7, total: 2, sequence: 2, referenceBits: 8 });
    expect(p1.binary).to.equal(false);
  });

  it("concatenated UCS-2 with a 16-bit reference", () => {
    // UDH 06 08 04 12 34 02 01, text 'Ч1'
    const r = deliver("07913306000000F0440B913316325476F80008422092000000800B0608041234020104270031");
    expect(r.concat).to.deep.equal({ reference: 0x1234, total: 2, sequence: 1, referenceBits: 16 });
    expect(r.text).to.equal("Ч1");
    expect(r.sentUtcMs).to.equal(Date.parse("2024-02-29T00:00:00+02:00"));
  });

  it("status reports: delivered, failed, still trying", () => {
    // MR 0x2A, RA +14085550199, SCTS 24-05-06 07:08:09 -07:00, DT 07:09:00, ST 00 / 46 / 21
    const base = "07914180550500F0062A0B914180550591F94250607080908A4250607090008A";
    const outcomes = ["00", "46", "21"].map((st) => decodePdu(base + st) as PduStatusReport);
    expect(outcomes.map((r) => [r.kind, r.status, r.outcome])).to.deep.equal([
      ["status-report", 0x00, "delivered"],
      ["status-report", 0x46, "failed"],
      ["status-report", 0x21, "pending"],
    ]);
    // 23.040 §9.2.3.15: 0x00-0x1F delivered, 0x20-0x3F still trying, 0x40 and up failed
    const edges = ["1F", "20", "3F", "40"].map((st) => (decodePdu(base + st) as PduStatusReport).outcome);
    expect(edges).to.deep.equal(["delivered", "pending", "pending", "failed"]);
    const r = outcomes[0]!;
    expect([r.smsc, r.messageReference, r.recipient, r.recipientType]).to.deep.equal(["+14085550000", 0x2a, "+14085550199", "international"]);
    expect(r.sentUtcMs).to.equal(Date.parse("2024-05-06T07:08:09-07:00"));
    expect(r.dischargeUtcMs).to.equal(Date.parse("2024-05-06T07:09:00-07:00"));
  });

  it("class 0 (flash) and a voicemail waiting indication", () => {
    const flash = deliver("07912120550501F0040B912120550521F3001042300180035100064676788E0E01");
    expect([flash.text, flash.messageClass, flash.messageWaiting]).to.deep.equal(["Flash!", 0, undefined]);
    const mwi = deliver("07912120550501F0040B912120550521F300D8423001800351000F3190BB7C07D9DFE971B91D4EB301");
    expect(mwi.text).to.equal("1 new voicemail");
    expect(mwi.messageWaiting).to.deep.equal({ active: true, kind: "voicemail", store: true });
  });

  it("tolerates lower case, whitespace and quotes around the hex", () => {
    const hex = "07912120550501F0040B912120550521F3001042300180035100064676788E0E01";
    expect(deliver(hex.toLowerCase()).text).to.equal("Flash!");
    expect(deliver(`  "${hex}"\r\n`).text).to.equal("Flash!");
    expect(deliver(hex.match(/../g)!.join(" ")).text).to.equal("Flash!");
    expect(decodePdu(hex + '"x').kind).to.equal("error");
    expect(decodePdu(hex + "0").kind).to.equal("error");
    expect(decodePdu("+CMGR: 1,,25").kind).to.equal("error");
  });

  it("reports reserved DCS codings and decodes them as GSM-7 (23.038 §4)", () => {
    // the flash vector with DCS 0x10 → 0x8C (reserved group 1000)
    const r = deliver("07912120550501F0040B912120550521F3008C42300180035100064676788E0E01");
    expect(r.text).to.equal("Flash!");
    expect(r.warnings).to.deep.equal(["reserved DCS 0x8C decoded as GSM-7 (23.038 §4)"]);
    const compressed = decodePdu("07912120550501F0040B912120550521F3002042300180035100064676788E0E01");
    expect(compressed.kind).to.equal("unsupported");
  });

  it("reads a stored SMS-SUBMIT with its destination and validity", () => {
    const r = decodePdu("0011000B914180550591F90000A70E5764515A04BDD7A00D2FB6F101") as PduSubmit;
    expect(r.kind).to.equal("submit");
    expect([r.destination, r.destinationType, r.text, r.validityFormat, r.validityMinutes]).to.deep.equal(["+14085550199", "international", "WHERE ok [1]", "relative", 1440]);
  });
});

describe("sms/pdu known vectors: encode", () => {
  it("GSM-7 single part, with and without a validity period", () => {
    expect(encodeSubmit("+14085550199", "WHERE ok [1]", { reference: 0 })).to.deep.equal({
      encoding: "gsm7",
      parts: [{ hex: "0001000B914180550591F900000E5764515A04BDD7A00D2FB6F101", tpduOctets: 26 }],
    });
    expect(encodeSubmit("+14085550199", "WHERE ok [1]", { reference: 0, validityMinutes: 1440 }).parts).to.deep.equal([
      { hex: "0011000B914180550591F90000A70E5764515A04BDD7A00D2FB6F101", tpduOctets: 27 },
    ]);
  });

  it("UCS-2 single part with a surrogate pair", () => {
    expect(encodeSubmit("+79161234567", "Ответ 😀", { reference: 9 })).to.deep.equal({
      encoding: "ucs2",
      parts: [{ hex: "0001000B919761214365F7000810041E04420432043504420020D83DDE00", tpduOctets: 29 }],
    });
  });

  it("never splits an escape pair across parts (152 septets, then '€' starts part 2)", () => {
    const r = encodeSubmit("+14085550199", "a".repeat(152) + "€" + "b".repeat(10), { reference: 0x42 });
    expect(r.encoding).to.equal("gsm7");
    expect(r.parts.map((p) => p.tpduOctets)).to.deep.equal([153, 30]);
    expect(r.parts[0]!.hex.startsWith("0041000B914180550591F900009F050003420201C2E170381C0E87")).to.equal(true);
    expect(r.parts[0]!.hex.endsWith("C3E170381C0E8701")).to.equal(true);
    expect(r.parts[1]!.hex).to.equal("0041000B914180550591F90000130500034202023665B1582C168BC562B118");
  });

  it("never splits a surrogate pair across parts (66 units, then the emoji starts part 2), national destination", () => {
    const r = encodeSubmit("0612345678", "Ж".repeat(66) + "😀" + "Ж".repeat(5), { reference: 7 });
    expect(r.encoding).to.equal("ucs2");
    expect(r.parts.map((p) => p.tpduOctets)).to.deep.equal([150, 32]);
    expect(r.parts[0]!.hex).to.equal("0041000A81602143658700088A050003070201" + "0416".repeat(66));
    expect(r.parts[1]!.hex).to.equal("0041000A816021436587000814050003070202D83DDE0004160416041604160416");
  });

  it("counts septets/units and parts at the boundaries", () => {
    expect(smsPartsFor("")).to.deep.equal({ encoding: "gsm7", units: 0, parts: 1 });
    expect(smsPartsFor("x".repeat(160))).to.deep.equal({ encoding: "gsm7", units: 160, parts: 1 });
    expect(smsPartsFor("x".repeat(161))).to.deep.equal({ encoding: "gsm7", units: 161, parts: 2 });
    expect(smsPartsFor("€".repeat(80))).to.deep.equal({ encoding: "gsm7", units: 160, parts: 1 });
    expect(smsPartsFor("x".repeat(306))).to.deep.equal({ encoding: "gsm7", units: 306, parts: 2 });
    expect(smsPartsFor("x".repeat(307))).to.deep.equal({ encoding: "gsm7", units: 307, parts: 3 });
    expect(smsPartsFor("Ж".repeat(70))).to.deep.equal({ encoding: "ucs2", units: 70, parts: 1 });
    expect(smsPartsFor("😀".repeat(35))).to.deep.equal({ encoding: "ucs2", units: 70, parts: 1 });
    expect(smsPartsFor("😀".repeat(36))).to.deep.equal({ encoding: "ucs2", units: 72, parts: 2 });
    expect(smsPartsFor("Ж".repeat(134))).to.deep.equal({ encoding: "ucs2", units: 134, parts: 2 });
    expect(smsPartsFor("Ж" + "😀".repeat(67))).to.deep.equal({ encoding: "ucs2", units: 135, parts: 3 });
  });

  it("refuses bad destinations and over-long texts without throwing", () => {
    for (const bad of ["", "+", "+1 408", "123456789012345678901", "abc", "++1"]) {
      const r = encodeSubmit(bad, "hi", { reference: 0 });
      expect([r.parts.length, typeof r.error], bad).to.deep.equal([0, "string"]);
    }
    const long = encodeSubmit("+1", "x".repeat(153 * 255 + 1), { reference: 0 });
    expect([long.parts.length, long.error]).to.deep.equal([0, "text needs 256 parts (max 255)"]);
    expect(encodeSubmit("+1", "x".repeat(153 * 255), { reference: 0 }).parts).to.have.length(255);
    expect(encodeSubmit("+1", "hi", { reference: NaN }).parts).to.have.length(1);
  });
});

describe("sms/pdu fields and codecs", () => {
  it("maps relative validity both ways (23.040 §9.2.3.12.1), rounding up", () => {
    expect([0, 143, 144, 167, 168, 196, 197, 255].map(relativeValidityMinutes)).to.deep.equal([5, 720, 750, 1440, 2880, 43200, 50400, 635040]);
    expect([NaN, -1, 5, 6, 720, 721, 1440, 1441, 43200, 43201, 1e9].map(relativeValidityCode)).to.deep.equal([0, 0, 0, 1, 143, 144, 167, 168, 196, 197, 255]);
    for (let code = 0; code < 256; code++) expect(relativeValidityCode(relativeValidityMinutes(code))).to.equal(code);
  });

  it("encodes addresses in swapped semi-octets with an F filler", () => {
    expect(encodeAddress("+19037029920")).to.deep.equal([0x0b, 0x91, 0x91, 0x30, 0x07, 0x92, 0x29, 0xf0]);
    expect(encodeAddress("9037029920")).to.deep.equal([0x0a, 0x81, 0x09, 0x73, 0x20, 0x99, 0x02]);
  });

  it("interprets the DCS groups", () => {
    expect(decodeDcs(0x00)).to.deep.equal({ encoding: "gsm7", messageClass: undefined, compressed: false, autoDelete: false, reserved: false });
    expect(decodeDcs(0x19).messageClass).to.equal(1);
    expect(decodeDcs(0x18).encoding).to.equal("ucs2");
    expect(decodeDcs(0x44)).to.include({ encoding: "8bit", autoDelete: true });
    expect(decodeDcs(0x0c)).to.include({ encoding: "gsm7", reserved: true });
    expect(decodeDcs(0xc0).messageWaiting).to.deep.equal({ active: false, kind: "voicemail", store: false });
    expect(decodeDcs(0xeb)).to.deep.include({ encoding: "ucs2", messageWaiting: { active: true, kind: "other", store: true } });
    expect(decodeDcs(0xf6)).to.include({ encoding: "8bit", messageClass: 2 });
  });

  it("packs and unpacks septets with every fill", () => {
    const codes = textToGsm7Codes("The quick brown fox {€}")!;
    for (let fill = 0; fill < 7; fill++) {
      const out = new Uint8Array(40);
      const n = packSeptets(codes, out, 3, fill);
      expect(n).to.equal(Math.ceil((fill + codes.length * 7) / 8));
      expect(gsm7CodesToText(unpackSeptets(out, 3, fill, codes.length))).to.equal("The quick brown fox {€}");
    }
    expect(textToGsm7Codes("Ж")).to.equal(undefined);
    expect(gsm7CodesToText([0x41, 0x1b, 0x41, 0x42, 0x1b])).to.equal("AAB"); // ESC + "A" (no extension meaning) is "A" (23.038 §6.2.1.1)
  });

  it("reads UTF-16BE with pairs, lone surrogates and odd lengths", () => {
    expect(readUtf16be(Uint8Array.of(0xd8, 0x3d, 0xde, 0x00, 0x00, 0x41), 0, 6)).to.equal("😀A");
    expect(readUtf16be(Uint8Array.of(0xd8, 0x3d, 0x00, 0x41), 0, 4)).to.equal("\ufffdA");
    expect(readUtf16be(Uint8Array.of(0xde, 0x00, 0x00), 0, 3)).to.equal("\ufffd");
    expect(utf16Units("a😀Ж")).to.equal(4);
  });

  it("parses hex strictly inside and leniently around", () => {
    expect(parsePduHex("0a0B")).to.deep.equal({ ok: true, bytes: Uint8Array.of(0x0a, 0x0b) });
    expect(parsePduHex("")).to.deep.equal({ ok: false, error: "empty PDU" });
    expect(parsePduHex("0A0")).to.deep.equal({ ok: false, error: "odd number of hex digits (3)" });
    expect(parsePduHex("00".repeat(201)).ok).to.equal(false);
  });
});

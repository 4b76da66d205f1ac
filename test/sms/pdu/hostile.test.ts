/**
 * Hostile input for decodePdu: random hex, every truncation of valid PDUs, TP-UDL larger than the
 * data, inconsistent User Data Headers, empty and non-string input. Nothing may throw, every
 * result must be well-formed (host-sim/fuzz/pdu-fuzz.ts checkWellFormed), and the cases with a
 * defined answer get it.
 */
import { expect } from "chai";
import { encodeDeliverParts, toHex } from "../../../host-sim/modem/pdu.ts";
import { decodePdu, type PduDecodeResult, type PduDeliver } from "../../../src/sms/pdu/pdu-decode.ts";
import { encodeSubmit } from "../../../src/sms/pdu/pdu-encode.ts";
import { checkWellFormed, corpusPdus, submitToDeliver } from "../../../host-sim/fuzz/pdu-fuzz.ts";
import { Random } from "../../../host-sim/random.ts";

/** Decode without throwing and with a well-formed result. */
function safeDecode(input: string): PduDecodeResult {
  let r: PduDecodeResult | undefined;
  expect(() => (r = decodePdu(input)), JSON.stringify(input)).to.not.throw();
  const problem = checkWellFormed(r!);
  expect(problem, `${problem} for ${JSON.stringify(input)}`).to.equal(undefined);
  return r!;
}

const FLASH = "07912120550501F0040B912120550521F3001042300180035100064676788E0E01"; // 'Flash!', UDL 06
const CONCAT = "0791447700090000440B817007900021F300004270102100200013050003A70202E8E1341BB44195DDE44D0A";

function validPdus(): string[] {
  const encoded = [
    ...encodeSubmit("+14085550199", "Where are you? [ok] €5", { reference: 3 }).parts,
    ...encodeSubmit("+14085550199", "Где ты? 😀".repeat(12), { reference: 4, validityMinutes: 60 }).parts,
    ...encodeSubmit("0612345678", "x{".repeat(100), { reference: 5 }).parts,
  ].map((p) => p.hex);
  return [FLASH, CONCAT, ...encoded, ...encoded.map((h) => submitToDeliver(h)), ...corpusPdus()];
}

describe("sms/pdu hostile input", () => {
  it("random hex and random text never throw", () => {
    const r = new Random(99);
    for (let k = 0; k < 2000; k++) {
      let s = "";
      const n = r.int(0, 420);
      const alphabet = k % 4 === 0 ? "0123456789ABCDEFabcdef \"\r\nGx+,:" : "0123456789ABCDEF";
      for (let i = 0; i < n; i++) s += alphabet[r.int(0, alphabet.length - 1)];
      safeDecode(s);
    }
  });

  it("every truncation of valid PDUs (at every hex digit) is handled", () => {
    let checked = 0;
    for (const pdu of validPdus()) {
      for (let cut = 0; cut < pdu.length; cut++) {
        const r = safeDecode(pdu.slice(0, cut));
        if (cut % 2 === 1) expect(r.kind).to.equal("error"); // odd number of digits
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(2000);
  });

  it("a TP-UDL larger than the data decodes what is there and says so", () => {
    // 'Flash!' with UDL 06 → 07: 7 septets need 7 octets, 6 are present (6 whole septets)
    const r = safeDecode(FLASH.slice(0, 52) + "07" + FLASH.slice(54)) as PduDeliver;
    expect([r.kind, r.text, r.truncated]).to.deep.equal(["deliver", "Flash!", true]);
    expect(r.warnings).to.deep.equal(["user data shorter than TP-UDL (6 of 7 octets)"]);
    for (const udl of ["A0", "A1", "8C", "8D", "FF"]) safeDecode(FLASH.slice(0, 52) + udl + FLASH.slice(54));
    expect((decodePdu(FLASH.slice(0, 52) + "A1" + FLASH.slice(54)) as { error: string }).error).to.equal("TP-UDL 161 exceeds 160 septets");
    // UCS-2 with an odd octet count
    const ucs2 = safeDecode("00040B914180550591F900084230018003510005" + "0041004243") as PduDeliver;
    expect([ucs2.text, ucs2.truncated, ucs2.warnings]).to.deep.equal(["AB", false, ["odd number of UCS-2 octets; the last one is ignored"]]);
  });

  it("rejects inconsistent user data headers and ignores impossible concatenation numbers", () => {
    const head = "00440B914180550591F9000042300180035100"; // DELIVER with UDHI, DCS 00
    expect(safeDecode(head + "0A" + "0A0003010201").kind).to.equal("error"); // UDHL 10 > the 5 octets there
    expect(safeDecode(head + "02" + "050003010201").kind).to.equal("error"); // UDH longer than UDL
    expect(safeDecode(head + "0A" + "0500040102010000").kind).to.equal("error"); // IE runs past the UDH
    const zeroSeq = safeDecode(head + "08" + "050003010200" + "C2") as PduDeliver; // part 0 of 2
    expect([zeroSeq.kind, zeroSeq.concat, zeroSeq.warnings]).to.deep.equal(["deliver", undefined, ["concatenation element with part 0 of 2 ignored"]]);
    const overSeq = safeDecode(head + "08" + "050003010203" + "C2") as PduDeliver; // part 3 of 2
    expect(overSeq.concat).to.equal(undefined);
    const badLength = safeDecode(head + "07" + "0400020102" + "8401") as PduDeliver; // IE 00 with length 2, 2 fill bits
    expect(badLength.warnings).to.deep.equal(["concatenation element 0x00 with length 2 ignored"]);
    expect(badLength.text).to.equal("a");
  });

  it("a TP-UDL shorter than the user data present is flagged (warning, extraOctets) and decides the text", () => {
    // "WHERE" (5 septets, 5 octets packed) with TP-UDL 3: "WHE" is the message, 2 octets are extra
    const tpdu = encodeDeliverParts("WHERE", { from: "+447700900123", sctsUtcMs: Date.UTC(2026, 0, 1), zoneQuarterHours: 0 })[0]!.tpdu;
    const full = "00" + toHex(tpdu);
    const cutTpdu = tpdu.slice();
    cutTpdu[cutTpdu.length - 6] = 3; // TP-UDL, right before the 5 packed octets
    const r = safeDecode("00" + toHex(cutTpdu)) as PduDeliver;
    expect(r.kind).to.equal("deliver");
    expect(r.text).to.equal("WHE");
    expect(r.extraOctets).to.equal(2);
    expect(r.warnings).to.include("user data longer than TP-UDL (2 octet(s) after the 3 it covers, ignored)");
    expect((safeDecode(full) as PduDeliver).extraOctets).to.equal(0);
  });

  it("handles empty, tiny, fill-only and non-string input", () => {
    for (const s of ["", " ", "\r\n", '""', "00", "0000", "0004", "FF", "FFFF", "00FF", "07", "0791", "G0", "00".repeat(201), "0".repeat(10_000)]) {
      const r = safeDecode(s);
      expect(r.kind, s.slice(0, 20)).to.equal("error");
    }
    // All zeros is a syntactically valid DELIVER (empty sender, no text) with an invalid time stamp.
    const zeros = safeDecode("00".repeat(40)) as PduDeliver;
    expect([zeros.kind, zeros.sender, zeros.text, zeros.sentUtcMs, zeros.warnings]).to.deep.equal([
      "deliver", "", "", NaN, ["invalid TP-SCTS", "user data longer than TP-UDL (26 octet(s) after the 0 it covers, ignored)"],
    ]);
    expect(zeros.extraOctets).to.equal(26);
    for (const v of [undefined, null, 42, {}, ["00"]]) {
      const r = decodePdu(v as unknown as string);
      expect(r.kind).to.equal("error");
    }
  });

  it("reports a reserved message type as unsupported", () => {
    const r = safeDecode("0003");
    expect(r).to.deep.equal({ kind: "unsupported", smsc: "", firstOctet: 3, error: "reserved message type (TP-MTI 3)" });
  });
});

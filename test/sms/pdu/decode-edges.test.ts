/**
 * decodePdu at its edges: header flags, WAP push / MMS notification detection, truncations and
 * inconsistent headers, status report warnings. PDUs are built here from 23.040 field by field.
 */
import { expect } from "chai";
import { decodePdu, type PduDeliver, type PduStatusReport, type PduSubmit } from "../../../src/sms/pdu/pdu-decode.ts";

const SENDER = "0B914180550591F9"; // +14085550199, international
const SCTS = "62114222514400"; // 2026-11-24 22:15:44 +00
/** An SMS-DELIVER without SMSC: first octet, then PID 00, `dcs`, SCTS, TP-UDL and the user data hex. */
function deliverHex(fo: number, dcs: string, udl: number, ud: string): string {
  return "00" + fo.toString(16).padStart(2, "0") + SENDER + "00" + dcs + SCTS + udl.toString(16).padStart(2, "0") + ud;
}
/** 8-bit data to a 16-bit port (UDH 06 05 04 dddd ssss), `wsp` the data after the header. */
function toPort(destination: number, wsp: string): PduDeliver {
  const udh = "060504" + destination.toString(16).padStart(4, "0") + "23F0";
  const r = decodePdu(deliverHex(0x44, "04", (udh.length + wsp.length) / 2, udh + wsp));
  expect(r.kind, JSON.stringify(r)).to.equal("deliver");
  return r as PduDeliver;
}
const hexOf = (text: string) => [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
const MMS_TEXT = hexOf("application/vnd.wap.mms-message");

describe("sms/pdu decode edges", () => {
  it("DELIVER flags: more messages waiting (inverted bit), status report indication, reply path", () => {
    const flags = (fo: number) => {
      const r = decodePdu(deliverHex(fo, "00", 5, "5764515A04")) as PduDeliver;
      return [r.text, r.moreMessagesWaiting, r.statusReportIndication, r.replyPath];
    };
    expect(flags(0x04)).to.deep.equal(["WHERE", false, false, false]);
    expect(flags(0x00)).to.deep.equal(["WHERE", true, false, false]);
    expect(flags(0x24)).to.deep.equal(["WHERE", false, true, false]);
    expect(flags(0x84)).to.deep.equal(["WHERE", false, false, true]);
  });

  it("SUBMIT flags and each validity format", () => {
    const submit = (fo: number, vp: string) => decodePdu("00" + fo.toString(16).padStart(2, "0") + "AA" + SENDER + "0000" + vp + "055764515A04") as PduSubmit;
    const relative = submit(0x11, "AA");
    expect([relative.kind, relative.text, relative.validityFormat, relative.validityMinutes, relative.validityUtcMs]).to.deep.equal(["submit", "WHERE", "relative", 4 * 1440, NaN]);
    expect([relative.statusReportRequested, relative.rejectDuplicates, relative.messageReference]).to.deep.equal([false, false, 0xaa]);
    const flagged = submit(0x35, "AA");
    expect([flagged.statusReportRequested, flagged.rejectDuplicates]).to.deep.equal([true, true]);
    const none = submit(0x01, "");
    expect([none.text, none.validityFormat, none.validityMinutes, none.validityUtcMs]).to.deep.equal(["WHERE", "none", NaN, NaN]);
    const absolute = submit(0x19, SCTS);
    expect([absolute.text, absolute.validityFormat, absolute.validityMinutes, absolute.validityUtcMs]).to.deep.equal(["WHERE", "absolute", NaN, Date.UTC(2026, 10, 24, 22, 15, 44)]);
  });

  describe("WAP push: an MMS notification is told apart by its WSP content type", () => {
    for (const [name, wsp] of [
      ["well-known type 0x3E", "010601BE8C82"],
      ["type as text", "010620" + MMS_TEXT + "00"],
      ["value-length form, short length", "01060503BE8C8298"],
      ["value-length form, uintvar length", "0106231F20" + MMS_TEXT + "00"],
      ["two-octet headers length", "01068100BE"],
    ] as const) {
      it(`${name}: mms-notification`, () => {
        expect(toPort(2948, wsp).port).to.deep.equal({ destination: 2948, source: 0x23f0, bits: 16, application: "mms-notification" });
        expect(toPort(2949, wsp).port?.application).to.equal("mms-notification");
      });
    }
    for (const [name, wsp] of [
      ["another well-known type (SI, 0x2E)", "010601AE"],
      ["another textual type", "010620" + hexOf("application/vnd.wap.sic") + "00"],
      ["the text cut short", "010620" + MMS_TEXT.slice(0, 20)],
      ["not a push PDU (type 0x07)", "010701BE"],
      ["only a TID", "01"],
      ["TID and type, nothing more", "0106"],
      ["headers length running to the end", "01068181"],
      ["value-length form cut after its length", "01060503"],
      ["uintvar length running to the end", "0106031F8080"],
    ] as const) {
      it(`${name}: a WAP push, not an MMS notification`, () => {
        expect(toPort(2948, wsp).port?.application).to.equal("wap-push");
      });
    }
    it("an MMS-looking payload to another port is neither", () => {
      expect(toPort(9200, "010601BE").port?.application).to.equal("other");
    });
  });

  it("errors name what is missing", () => {
    const cases: Array<[unknown, string]> = [
      [5, "not a string"],
      ["07914180550500F0", "no TPDU after the SMSC field"],
      ["0004" + SENDER + "0000621142225144", "truncated SMS-DELIVER header"],
      ["0011", "truncated SMS-SUBMIT header"],
      ["0011AA" + SENDER + "0000", "truncated SMS-SUBMIT header"],
      ["0002", "truncated SMS-STATUS-REPORT header"],
      ["00062A" + SENDER + SCTS + SCTS, "truncated SMS-STATUS-REPORT header"],
      ["0004" + SENDER + "0000" + SCTS, "truncated before TP-UDL"],
      [deliverHex(0x44, "04", 1, "05"), "user data header (6 octets) longer than the user data"],
      [deliverHex(0x44, "04", 2, "0100"), "malformed user data header"],
      [deliverHex(0x44, "04", 3, "020001"), "user data header element 0x00 runs past the header"],
      [deliverHex(0x44, "04", 2, "0300000000"), "user data header (4 octets) longer than the user data"],
      [deliverHex(0x44, "00", 3, "027000"), "user data header longer than TP-UDL"],
      [deliverHex(0x44, "04", 5, ""), "user data header missing"],
    ];
    for (const [hex, message] of cases) expect(decodePdu(hex as string), String(hex)).to.deep.equal({ kind: "error", error: message });
  });

  it("a header that fits TP-UDL exactly is read", () => {
    const r = decodePdu(deliverHex(0x44, "04", 4, "03700100")) as PduDeliver;
    expect([r.kind, r.udhHex, r.dataHex, r.warnings]).to.deep.equal(["deliver", "700100", "", []]);
  });

  it("user data longer than TP-UDL: the extra octets are reported, not read", () => {
    const r = decodePdu(deliverHex(0x04, "04", 2, "AABBCC")) as PduDeliver;
    expect([r.dataHex, r.extraOctets, r.warnings]).to.deep.equal(["AABB", 1, ["user data longer than TP-UDL (1 octet(s) after the 2 it covers, ignored)"]]);
    const exact = decodePdu(deliverHex(0x04, "04", 2, "AABB")) as PduDeliver;
    expect([exact.extraOctets, exact.warnings]).to.deep.equal([0, []]);
  });

  it("UCS-2 with an odd number of octets drops the last one, with or without a header", () => {
    const plain = decodePdu(deliverHex(0x04, "08", 5, "0041004200")) as PduDeliver;
    expect([plain.text, plain.warnings]).to.deep.equal(["AB", ["odd number of UCS-2 octets; the last one is ignored"]]);
    const withHeader = decodePdu(deliverHex(0x44, "08", 7, "05000301020100")) as PduDeliver;
    expect([withHeader.text, withHeader.warnings]).to.deep.equal(["", ["odd number of UCS-2 octets; the last one is ignored"]]);
    const even = decodePdu(deliverHex(0x44, "08", 8, "0500030102010041")) as PduDeliver;
    expect([even.text, even.warnings]).to.deep.equal(["A", []]);
  });

  it("an invalid service-centre time stamp is a warning on a message", () => {
    const r = decodePdu("0004" + SENDER + "0000" + "62114222514A00" + "055764515A04") as PduDeliver;
    expect([r.kind, r.text, r.sentUtcMs, r.warnings]).to.deep.equal(["deliver", "WHERE", NaN, ["invalid TP-SCTS"]]);
  });

  it("status reports: invalid time stamps and 0xFF fill are warnings; the reference and recipient are read", () => {
    const base = "00062A" + SENDER;
    const good = decodePdu(base + SCTS + SCTS + "00") as PduStatusReport;
    expect(good.warnings).to.deep.equal([]);
    const bad = decodePdu(base + "6211422251AA00" + "62114222514A00" + "00FF") as PduStatusReport;
    expect([bad.kind, bad.messageReference, bad.recipient, bad.sentUtcMs, bad.dischargeUtcMs]).to.deep.equal(["status-report", 0x2a, "+14085550199", NaN, NaN]);
    expect(bad.warnings).to.deep.equal(["invalid TP-SCTS", "invalid TP-DT", "0xFF fill after TP-ST ignored"]);
    const padded = decodePdu(base + SCTS + SCTS + "0000") as PduStatusReport;
    expect(padded.warnings).to.deep.equal([]);
  });

  it("concatenation elements with impossible numbers are ignored with a warning", () => {
    for (const [ie, warning] of [
      ["0003AA0000", "concatenation element with part 0 of 0 ignored"],
      ["0003AA0200", "concatenation element with part 0 of 2 ignored"],
      ["0003AA0203", "concatenation element with part 3 of 2 ignored"],
    ] as const) {
      const r = decodePdu(deliverHex(0x44, "04", 7, "05" + ie + "FF")) as PduDeliver;
      expect([r.concat, r.warnings], ie).to.deep.equal([undefined, [warning]]);
    }
    const ok = decodePdu(deliverHex(0x44, "04", 7, "050003AA0202FF")) as PduDeliver;
    expect(ok.concat).to.deep.equal({ reference: 0xaa, total: 2, sequence: 2, referenceBits: 8 });
  });
});

/**
 * The gammu AT+CMGR dumps (/work/shared/corpus/at/gammu, read at test time, never copied here):
 * every at-sms PDU decodes, every at-sms-failing PDU is rejected cleanly, and the decoded fields
 * agree with gammu-at-sms.decoded.json (a research helper's second opinion, not ground truth).
 *
 * Where we knowingly differ from the JSON:
 * - at-sms/41.dump: TP-UDL says 93 septets but only 79 of the 82 octets are present. The JSON's
 *   decoder read the missing octets as zeros and appended "@@@" (GSM-7 0x00 = '@'); we decode only
 *   the septets present and set `truncated`. Checked below: JSON text = ours + only '@'s.
 * Where the JSON looks odd but we agree with it on purpose:
 * - at-sms/14.dump: DCS 0xF9 (group 1111, bit 2 clear = GSM-7, class 1) over a payload that is
 *   really UCS-2 ("Тест Test"). 23.038 says GSM-7, gammu decodes by DCS too: mojibake expected.
 * - at-sms/04.dump: the alphanumeric sender's length is 6 semi-octets = 3 septets, and the third
 *   is 0x11 '_' (bit 6 of the second octet is set): "O2_", not the "O2" SOURCE.md's prose says.
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { decodePdu, type PduDecodeResult } from "../../../src/sms/pdu/pdu-decode.ts";
import { checkWellFormed, pduLineOf } from "../../../host-sim/fuzz/pdu-fuzz.ts";
import { GAMMU_DIR, GAMMU_JSON, corpusPresent } from "./helpers.ts";

interface JsonEntry {
  file: string;
  type?: string;
  smsc?: string | null;
  oa?: string;
  da?: string;
  ra?: string;
  text?: string;
  data_hex?: string;
  udh?: string;
  concat?: { ref: number; total: number; seq: number };
  port?: { dst: number; src: number };
  scts?: string;
  dt?: string;
  dcs?: string;
  alphabet?: string;
  mr?: number;
  pid?: number;
  st?: number;
  warning?: string;
}

/** Why each failing dump must be rejected (checked against the decoder's error text). */
const FAILING_REASONS: Record<string, RegExp> = {
  "01.dump": /destination address length 129/, // SUBMIT with a 129-digit TP-DA: garbage header
  "13.dump": /non-hex character/, // '=' and 'p' inside the hex
  "17.dump": /non-hex character/,
  "18.dump": /SMSC length 12/, // SMSC field longer than 24.008 allows (and the rest is truncated)
  "25.dump": /0xFF fill/, // SMSC of '#'s, then 0xFF fill
  "33.dump": /0xFF fill/, // no SMSC, then nothing but 0xFF
  "35.dump": /compressed/, // DCS 0x39: compressed UCS-2 (23.042), and the data is short anyway
  "38.dump": /SMSC length 196/, // no SMSC field at all: first octet is data
  "39.dump": /SMSC length 145/,
  "40.dump": /originator address length 105/, // a WAP push body without its header
};

const files = (sub: string) => (corpusPresent ? readdirSync(`${GAMMU_DIR}/${sub}`).filter((f) => f.endsWith(".dump")).sort() : []);
const pduOf = (sub: string, file: string) => pduLineOf(readFileSync(`${GAMMU_DIR}/${sub}/${file}`, "latin1"));

const TYPES: Record<string, PduDecodeResult["kind"]> = {
  "SMS-DELIVER": "deliver",
  "SMS-SUBMIT": "submit",
  "SMS-STATUS-REPORT": "status-report",
};

describe("sms/pdu against the gammu AT+CMGR corpus", function () {
  const json: JsonEntry[] = corpusPresent ? JSON.parse(readFileSync(GAMMU_JSON, "utf8")) : [];
  const entry = (file: string) => json.find((e) => e.file === file);

  before(function () {
    if (!corpusPresent) this.skip(); // corpus absent: a fresh clone without ../shared/corpus/at/gammu
  });

  it("finds the 36 at-sms and 10 at-sms-failing dumps", function () {
    if (!corpusPresent) this.skip();
    expect(files("at-sms")).to.have.length(36);
    expect(files("at-sms-failing")).to.have.length(10);
  });

  for (const file of files("at-sms")) {
    it(`decodes at-sms/${file} and agrees with the second opinion`, () => {
      const line = pduOf("at-sms", file);
      expect(line, "PDU line after +CMGR").to.be.a("string");
      const r = decodePdu(line!);
      expect(checkWellFormed(r)).to.equal(undefined);
      expect(r.kind, r.kind === "error" || r.kind === "unsupported" ? r.error : "").to.be.oneOf(["deliver", "submit", "status-report"]);
      const j = entry(`at-sms/${file}`);
      expect(j, "JSON entry").to.not.equal(undefined);
      expect(r.kind).to.equal(TYPES[j!.type!]);
      if (r.kind === "error" || r.kind === "unsupported") return;
      expect(r.smsc, "smsc").to.equal(j!.smsc ?? "");
      if (r.kind === "status-report") {
        expect(r.recipient).to.equal(j!.ra);
        expect(r.messageReference).to.equal(j!.mr);
        expect(r.status).to.equal(j!.st);
        expect(r.sentUtcMs).to.equal(Date.parse(j!.scts!));
        expect(r.dischargeUtcMs).to.equal(Date.parse(j!.dt!));
        return;
      }
      expect(r.dcs).to.equal(parseInt(j!.dcs!, 16));
      expect(r.pid).to.equal(j!.pid);
      expect(r.encoding).to.equal({ GSM7: "gsm7", UCS2: "ucs2", "8bit": "8bit" }[j!.alphabet!]);
      if (r.kind === "deliver") {
        expect(r.sender).to.equal(j!.oa);
        expect(r.sentUtcMs).to.equal(Date.parse(j!.scts!));
      } else {
        expect(r.destination).to.equal(j!.da);
        expect(r.messageReference).to.equal(j!.mr);
      }
      if (r.encoding === "8bit") {
        expect(r.dataHex).to.equal(j!.data_hex);
        expect(r.binary).to.equal(true);
      } else if (j!.warning === "user data shorter than UDL") {
        // at-sms/41.dump: the JSON pads the missing septets with '@' (see the header comment).
        expect(r.truncated).to.equal(true);
        expect(j!.text!.startsWith(r.text)).to.equal(true);
        expect(j!.text!.slice(r.text.length)).to.match(/^@+$/);
      } else {
        expect(r.text).to.equal(j!.text);
        expect(r.truncated).to.equal(false);
      }
      expect(r.udhHex).to.equal(j!.udh ?? "");
      if (j!.concat) expect(r.concat).to.deep.equal({ reference: j!.concat.ref, total: j!.concat.total, sequence: j!.concat.seq, referenceBits: 8 });
      else expect(r.concat).to.equal(undefined);
      if (j!.port) expect([r.port?.destination, r.port?.source]).to.deep.equal([j!.port.dst, j!.port.src]);
      else expect(r.port).to.equal(undefined);
    });
  }

  for (const file of files("at-sms-failing")) {
    it(`rejects at-sms-failing/${file} cleanly`, () => {
      const line = pduOf("at-sms-failing", file);
      expect(line).to.be.a("string");
      let r: PduDecodeResult | undefined;
      expect(() => (r = decodePdu(line!))).to.not.throw();
      expect(r!.kind).to.be.oneOf(["error", "unsupported"]);
      if (r!.kind !== "error" && r!.kind !== "unsupported") return;
      expect(r!.error).to.match(FAILING_REASONS[file] ?? /./);
    });
  }

  it("reads the details the dumps are known for", function () {
    if (!corpusPresent) this.skip();
    const d = (file: string) => decodePdu(pduOf("at-sms", file)!);
    const o2 = d("04.dump");
    expect(o2.kind === "deliver" && [o2.sender, o2.senderType]).to.deep.equal(["O2_", "alphanumeric"]);
    const mms = d("40.dump");
    expect(mms.kind === "deliver" && mms.port).to.deep.equal({ destination: 2948, source: 9200, bits: 16, application: "mms-notification" });
    const wap = d("33.dump");
    expect(wap.kind === "deliver" && wap.port?.application).to.equal("mms-notification"); // WSP content type 0xBE
    const picture = d("26.dump"); // EMS variable picture (IE 0x12) filling the whole UDH, no text
    expect(picture.kind === "deliver" && [picture.encoding, picture.messageClass, picture.binary, picture.dataHex]).to.deep.equal(["8bit", 1, true, ""]);
    const emptyUdh = d("20.dump"); // UDHI set, UDL 0
    expect(emptyUdh.kind === "submit" && emptyUdh.warnings).to.deep.equal(["TP-UDHI set with empty user data"]);
    const zeroUdh = d("19.dump"); // UDHI with a zero-length UDH: 2 header septets, then text
    expect(zeroUdh.kind === "submit" && zeroUdh.text).to.equal("Sample Gammu message");
    const classes = ["15.dump", "28.dump", "42.dump", "14.dump"].map((f) => {
      const r = d(f);
      return r.kind === "submit" || r.kind === "deliver" ? r.messageClass : -1;
    });
    expect(classes).to.deep.equal([1, 1, 3, 1]);
    const report = d("32.dump"); // status report padded with 0xFF
    expect(report.kind === "status-report" && [report.outcome, report.warnings.length]).to.deep.equal(["delivered", 1]);
    const tz = d("12.dump"); // +07:00 = 28 quarter hours
    expect(tz.kind === "deliver" && tz.sentTzQuarterHours).to.equal(28);
  });
});

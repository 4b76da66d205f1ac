/**
 * Parser tables. Variants are the real ones listed in shared/reference/corpora.md §2-§3
 * (ModemManager test-modem-helpers.c CREG/CPIN tables, Gammu dumps, python-gsmmodem fake modems).
 */
import { expect } from "chai";
import {
  isRegisteredForSms,
  parseCdsi,
  parseCmgrTextHeader,
  parseCmgs,
  parseCmti,
  parseCpin,
  parseCreg,
  parseCregUrc,
  parseCsq,
  parseScts,
  splitAtFields,
  splitFields,
} from "../../src/modem/at-fields.ts";

describe("modem/at-fields", () => {
  describe("splitAtFields / splitFields", () => {
    const table: Array<[string, string[]]> = [
      ['"SM",5', ["SM", "5"]],
      ['"REC READ","+31628870634",,"11/12/09,23:05:43+04"', ["REC READ", "+31628870634", "", "11/12/09,23:05:43+04"]],
      ['"Smith, John",  7 ,"a"', ["Smith, John", "7", "a"]],
      ["2,1,  0 5, 2715", ["2", "1", "0 5", "2715"]], // Qualcomm Gobi: spaces inside hex
      ['"unterminated,x', ["unterminated,x"]],
      ['"broken"quote,1', ["brokenquote", "1"]],
      ["", [""]],
      [",", ["", ""]],
    ];
    for (const [input, expected] of table) {
      it(`splitAtFields(${JSON.stringify(input)})`, () => expect(splitAtFields(input)).to.deep.equal(expected));
    }
    it("splitFields takes the part after the colon", () => {
      expect(splitFields('+CMGL: 3,"REC READ","+1408",,"24/05/01,10:00:00+08"')).to.deep.equal([
        "3",
        "REC READ",
        "+1408",
        "",
        "24/05/01,10:00:00+08",
      ]);
      expect(splitFields("no colon")).to.equal(undefined);
    });
  });

  describe("parseCmti / parseCdsi", () => {
    const table: Array<[string, unknown]> = [
      ['+CMTI: "SM",5', { storage: "SM", index: 5 }],
      ['+CMTI: "ME",12', { storage: "ME", index: 12 }],
      ['+CMTI:"SM",0', { storage: "SM", index: 0 }],
      ["+CMTI: SM,3", { storage: "SM", index: 3 }],
      ['+CMTI: "SM",', undefined],
      ['+CMTI: "SM",-1', undefined],
      ['+CMTI: "SM",x', undefined],
      ["+CMTI:", undefined],
      ['+CMT: "SM",5', undefined],
      ["", undefined],
    ];
    for (const [line, expected] of table) {
      it(`parseCmti(${JSON.stringify(line)})`, () => expect(parseCmti(line)).to.deep.equal(expected));
    }
    it('parseCdsi(+CDSI: "SM",3)', () => expect(parseCdsi('+CDSI: "SM",3')).to.deep.equal({ storage: "SM", index: 3 }));
  });

  describe("parseCregUrc (a +CxREG line that came unsolicited: URC or late read answer)", () => {
    const table: Array<[string, { kind: string; stat: number; lac: string; ci: string } | undefined]> = [
      ["+CREG: 1", { kind: "CREG", stat: 1, lac: "", ci: "" }],
      ["+CEREG: 2", { kind: "CEREG", stat: 2, lac: "", ci: "" }],
      ['+CREG: 1,"1A2B","01C2D3E4"', { kind: "CREG", stat: 1, lac: "1A2B", ci: "01C2D3E4" }],
      ['+CEREG: 5, "1A2B","01C2D3E4",7', { kind: "CEREG", stat: 5, lac: "1A2B", ci: "01C2D3E4" }],
      // late answers to AT+CxREG? (<n>,<stat>[,…]): the stat is the second field
      ["+CGREG: 0,3", { kind: "CGREG", stat: 3, lac: "", ci: "" }],
      ["+CREG: 1,5", { kind: "CREG", stat: 5, lac: "", ci: "" }],
      ['+CREG: 2,1,"1A2B","01C2D3E4",7', { kind: "CREG", stat: 1, lac: "1A2B", ci: "01C2D3E4" }],
      ["+CREG: x", undefined],
      ["+CREG", undefined],
      ["+CMTI: 1", undefined],
    ];
    for (const [line, expected] of table) {
      it(JSON.stringify(line), () => expect(parseCregUrc(line)).to.deep.equal(expected));
    }
    it("never throws", () => expect(parseCregUrc(undefined as unknown as string)).to.equal(undefined));
  });

  describe("parseCreg", () => {
    const table: Array<[string, boolean, unknown]> = [
      ["+CREG: 0,1", true, { kind: "CREG", stat: 1, lac: "", ci: "" }],
      ['+CREG: 2,1,"4CA","81DE445"', true, { kind: "CREG", stat: 1, lac: "4CA", ci: "81DE445" }],
      ["+CREG: 2,1,4CA,81DE445", true, { kind: "CREG", stat: 1, lac: "4CA", ci: "81DE445" }], // gammu: unquoted hex
      ['+CREG:002,001,"18d8","ffff"', true, { kind: "CREG", stat: 1, lac: "18d8", ci: "ffff" }], // Iridium
      ["+CREG: 2,1,  0 5, 2715", true, { kind: "CREG", stat: 1, lac: "05", ci: "2715" }], // Gobi
      ['+CEREG: 2,5,"1A2B","01234567",7', true, { kind: "CEREG", stat: 5, lac: "1A2B", ci: "01234567" }],
      ["+CEREG: 0,11", true, { kind: "CEREG", stat: 11, lac: "", ci: "" }], // A7670 without SMS DONE
      ["+CGREG: 0,10", true, { kind: "CGREG", stat: 10, lac: "", ci: "" }],
      ["+CREG: 5", false, { kind: "CREG", stat: 5, lac: "", ci: "" }], // URC
      ['+CREG: 1,"4CA","81DE445"', false, { kind: "CREG", stat: 1, lac: "4CA", ci: "81DE445" }],
      ["+CGREG: 0", false, { kind: "CGREG", stat: 0, lac: "", ci: "" }],
      ["+CREG: 3", true, { kind: "CREG", stat: 3, lac: "", ci: "" }], // single field when solicited: stat
      ["+CREG: 0,x", true, undefined],
      ["+CREG:", true, undefined],
      ["+COPS: 0,0,\"X\"", true, undefined],
    ];
    for (const [line, solicited, expected] of table) {
      it(`parseCreg(${JSON.stringify(line)}, ${solicited})`, () => expect(parseCreg(line, solicited)).to.deep.equal(expected));
    }
    it("isRegisteredForSms: 1,5,6,7,9,10 only", () => {
      const yes: number[] = [];
      for (let s = 0; s <= 12; s++) if (isRegisteredForSms(s)) yes.push(s);
      expect(yes).to.deep.equal([1, 5, 6, 7, 9, 10]);
    });
  });

  describe("parseCpin", () => {
    const table: Array<[string, string | undefined]> = [
      ["+CPIN: READY", "READY"],
      ['+CPIN: "READY"', "READY"],
      ["+CPIN: SIM PIN", "SIM PIN"],
      ['+CPIN: "SIM PIN"', "SIM PIN"], // ModemManager: quoted variant
      ["+CPIN: SIM PUK", "SIM PUK"],
      ["+CPIN: SIM PUK2", "SIM PUK2"],
      ["+CPIN: PH-NET PIN", "PH-NET PIN"],
      ["+CPIN:READY", "READY"],
      ["+CPIN: ", undefined],
      ["+CME ERROR: 100", undefined],
    ];
    for (const [line, expected] of table) {
      it(`parseCpin(${JSON.stringify(line)})`, () => expect(parseCpin(line)).to.equal(expected));
    }
  });

  describe("parseCsq", () => {
    const table: Array<[string, unknown]> = [
      ["+CSQ: 18,99", { rssiDbm: -77, ber: undefined }], // python-gsmmodem
      ["+CSQ: 99,99", { rssiDbm: undefined, ber: undefined }],
      ["+CSQ: 0,0", { rssiDbm: -113, ber: 0 }],
      ["+CSQ: 31,7", { rssiDbm: -51, ber: 7 }],
      ["+CSQ: 1,3", { rssiDbm: -111, ber: 3 }],
      ["+CSQ: 115,99", { rssiDbm: undefined, ber: undefined }], // TD-SCDMA 100-199 scale: unknown
      ["+CSQ: 18", undefined],
      ["+CSQ: a,b", undefined],
      ["+CREG: 1,1", undefined],
    ];
    for (const [line, expected] of table) {
      it(`parseCsq(${JSON.stringify(line)})`, () => expect(parseCsq(line)).to.deep.equal(expected));
    }
  });

  describe("parseCmgs", () => {
    const table: Array<[string, number | undefined]> = [
      ["+CMGS: 17", 17],
      ["+CMGS: 0", 0],
      ["+CMGS:255", 255],
      ["+CMGS: 256", undefined],
      ["+CMGS: ", undefined],
      ["+CMGS: 12,\"24/05/01,10:00:00+08\"", 12],
    ];
    for (const [line, expected] of table) {
      it(`parseCmgs(${JSON.stringify(line)})`, () => expect(parseCmgs(line)).to.equal(expected));
    }
  });

  describe("parseScts", () => {
    const table: Array<[string, number]> = [
      ["11/12/09,23:05:43+04", Date.UTC(2011, 11, 9, 22, 5, 43)], // +04 quarters = UTC+1
      ["24/01/01,01:00:00+08", Date.UTC(2023, 11, 31, 23, 0, 0)], // crosses the year
      ["13/04/29,19:58:00-20", Date.UTC(2013, 3, 30, 0, 58, 0)],
      ["24/05/01,10:00:00+00", Date.UTC(2024, 4, 1, 10, 0, 0)],
      ["2009/8/18,19:11:45", NaN], // Motorola: no zone
      ["24/13/01,10:00:00+00", NaN],
      ["garbage", NaN],
    ];
    for (const [scts, expected] of table) {
      it(`parseScts(${scts})`, () => {
        const got = parseScts(scts);
        if (Number.isNaN(expected)) expect(got).to.be.NaN;
        else expect(got).to.equal(expected);
      });
    }
  });

  describe("parseCmgrTextHeader", () => {
    it("python-gsmmodem text +CMGR without CSDH", () => {
      expect(parseCmgrTextHeader('+CMGR: "REC UNREAD","+27820001111",,"13/01/28,14:51:58+08"')).to.deep.equal({
        status: "REC UNREAD",
        sender: "+27820001111",
        alpha: "",
        scts: "13/01/28,14:51:58+08",
        sctsUtcMs: Date.UTC(2013, 0, 28, 12, 51, 58),
      });
    });
    it("with CSDH=1 fields", () => {
      expect(
        parseCmgrTextHeader('+CMGR: "REC READ","+31628870634","Smith, J","11/12/09,23:05:43+04",145,4,0,0,"+31654942000",145,18'),
      ).to.deep.equal({
        status: "REC READ",
        sender: "+31628870634",
        alpha: "Smith, J",
        scts: "11/12/09,23:05:43+04",
        sctsUtcMs: Date.UTC(2011, 11, 9, 22, 5, 43),
        tooa: 145,
        fo: 4,
        pid: 0,
        dcs: 0,
        sca: "+31654942000",
        tosca: 145,
        length: 18,
      });
    });
    it("no space after the colon (gammu) and alphanumeric sender", () => {
      const h = parseCmgrTextHeader('+CMGR:"REC READ","InfoSMS",,"24/05/01,10:00:00+08"');
      expect(h?.sender).to.equal("InfoSMS");
      expect(h?.status).to.equal("REC READ");
    });
    it("unquoted date and time are joined", () => {
      expect(parseCmgrTextHeader('+CMGR: "REC READ","+1",,24/05/01,10:00:00+08')?.scts).to.equal("24/05/01,10:00:00+08");
    });
    it("stored SUBMIT without SCTS", () => {
      const h = parseCmgrTextHeader('+CMGR: "STO UNSENT","+1408",');
      expect(h?.scts).to.equal("");
      expect(h?.sctsUtcMs).to.be.NaN;
    });
    const rejected = [
      "+CMGR: 0,,23", // PDU mode
      "+CMGR: 1,,147 0791", // PDU on the same line
      '+CMGR: "REC READ",6,20,"0870000000",129,"13/04/29,19:58:00+04","13/04/29,19:58:10+04",0', // status report
      "+CMGR:",
      "+CMTI: \"SM\",1",
      "",
    ];
    for (const line of rejected) {
      it(`rejects ${JSON.stringify(line)}`, () => expect(parseCmgrTextHeader(line)).to.equal(undefined));
    }
  });

  it("no parser throws on hostile input", () => {
    const hostile = ["", ":", '"', '+CMGR: "', "+CREG: ,,,,", "\x00\xff", "+CPIN: \u0000", "+CSQ: 99999999999999,1", '+CMTI: "' + "x".repeat(5000)];
    for (const line of hostile) {
      expect(() => {
        parseCmti(line);
        parseCreg(line, true);
        parseCreg(line, false);
        parseCpin(line);
        parseCsq(line);
        parseCmgs(line);
        parseCmgrTextHeader(line);
        splitFields(line);
        parseScts(line);
      }).to.not.throw();
    }
    // Non-string input from careless callers.
    expect(parseCmti(undefined as unknown as string)).to.equal(undefined);
    expect(splitFields(null as unknown as string)).to.equal(undefined);
  });
});

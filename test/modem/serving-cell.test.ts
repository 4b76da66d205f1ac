/**
 * Serving-cell parsers, table-driven with real modem answers. Sources of the lines (quoted as the
 * modems printed them; the field orders are the manuals'):
 * - SIMCom SIM7500/SIM7600 Series AT Command Manual, AT+CPSI? examples (GSM "460-00,0x182d,12401",
 *   WCDMA "460-01,0xA809,11122855", LTE "460-00,0x5140,86233862") and logs published with projects
 *   using them (A7670 / SIM7600 "LTE,Online,...", SIM7000 "LTE CAT-M1,Online,238-01,0x07D0,12024586").
 * - Quectel EC2x/EG25 and BG96 AT Commands Manuals, AT+QENG="servingcell"; lines from EG25 logs
 *   ("NOCONN","LTE","FDD",216,70,127328,189,476,1,3,3,D17,...; "CONECT" is Quectel's own spelling).
 * - 3GPP TS 27.007 §7.2 (+CREG), §10.1.22 (+CEREG), §7.3 (+COPS); a Sierra MC7455 session log
 *   (+COPS: 0,2,"310260",7 and +CREG: 2,1,"FFFE","76340C",7).
 */
import { expect } from "chai";
import {
  cellText,
  firstServingCell,
  parseCopsNumeric,
  parseCpsi,
  parseQengServingCell,
  ratOfAcT,
  servingCellFromRegistration,
  type ServingCell,
} from "../../src/modem/serving-cell.ts";
import { gsm7Septets } from "../../src/codec/gsm7.ts";

function c(rat: string, mcc: string, mnc: string, area: string, cellId: string): ServingCell {
  return { rat, mcc, mnc, area, cellId } as ServingCell;
}

describe("modem/serving-cell", () => {
  describe("parseCpsi (SIMCom AT+CPSI?)", () => {
    const table: Array<[string, ServingCell | undefined]> = [
      ["+CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42", c("GSM", "460", "00", "182D", "3071")],
      ["+CPSI: WCDMA,Online,460-01,0xA809,11122855,WCDMA IMT 2000,279,10663,0,1.5,62,33,52,500", c("WCDMA", "460", "01", "A809", "A9B8A7")],
      ["+CPSI: WCDMA,Online,310-410,0xDE8B,3846084,WCDMA 850,355,4385,0,4.5,78,39,37,500", c("WCDMA", "310", "410", "DE8B", "3AAFC4")],
      ["+CPSI: LTE,Online,460-00,0x5140,86233862,50,EUTRAN-BAND38,37900,5,5,-70,-848,-578,17", c("LTE", "460", "00", "5140", "523D306")],
      ["+CPSI: LTE,Online,310-260,0x1A2B,26396162,101,EUTRAN-BAND3,1800,5,5,-94,-1143,-764,11", c("LTE", "310", "260", "1A2B", "192C602")],
      ["+CPSI: LTE CAT-M1,Online,238-01,0x07D0,12024586,465,EUTRAN-BAND20,6350,5,5,-16,-83,-53,10", c("CAT-M", "238", "01", "07D0", "B77B0A")],
      ["+CPSI: LTE NB-IOT,Online,505-01,0x2036,134523149,238,EUTRAN-BAND28,9410,5,5,-20,-116,-82,6", c("NB-IoT", "505", "01", "2036", "804A90D")],
      // some firmware drops the 0x: the LAC is hex all the same
      ["+CPSI: WCDMA,Online,460-01,1829,11122855,WCDMA IMT 2000,279,10663,0,1.5,62,33,52,500", c("WCDMA", "460", "01", "1829", "A9B8A7")],
      ["+CPSI:LTE,Online,310-260,0x1a2b,26396162", c("LTE", "310", "260", "1A2B", "192C602")],
      // no cell
      ["+CPSI: NO SERVICE,Online", undefined],
      ["+CPSI: GSM,Offline,460-00,0x182d,12401", undefined],
      ["+CPSI: LTE,Low Power,460-00,0x5140,86233862", undefined],
      ["+CPSI: LTE,Online,460-00,0xFFFF,86233862", undefined],
      ["+CPSI: LTE,Online,460-00,0x5140,0", undefined],
      // hostile
      ["+CPSI: LTE,Online,46000,0x5140,86233862", undefined],
      ["+CPSI: LTE,Online,460-00,0x51G0,86233862", undefined],
      ["+CPSI: LTE,Online,460-00,0x5140,-294967296", undefined],
      ["+CPSI: LTE,Online,460-00,0x5140,99999999999", undefined],
      ["+CPSI: LTE,Online,4600-00,0x5140,1", undefined],
      ["+CPSI: LTE,Online,460-0000,0x5140,1", undefined],
      ["+CPSI: LTE,Online,460-00,0x123456,1", undefined],
      ["+CPSI: CDMA,Online,460-00,0x5140,1", undefined],
      ["+CPSI: LTE,Online", undefined],
      ["+CPSI:", undefined],
      ["+CREG: 0,1", undefined],
      ["", undefined],
    ];
    for (const [line, want] of table) {
      it(JSON.stringify(line), () => expect(parseCpsi(line)).to.deep.equal(want));
    }
    it("the result is frozen", () => expect(Object.isFrozen(parseCpsi(table[0]![0]))).to.equal(true));
  });

  describe('parseQengServingCell (Quectel AT+QENG="servingcell")', () => {
    const table: Array<[string, ServingCell | undefined]> = [
      ['+QENG: "servingcell","NOCONN","LTE","FDD",216,70,127328,189,476,1,3,3,D17,-104,-9,-77,18,-,-,-', c("LTE", "216", "70", "D17", "127328")],
      ['+QENG: "servingcell","CONECT","LTE","FDD",228,02,1CA6B8E,64,522,1,4,4,B3B3,-105,-7,-80,3,7,17,20', c("LTE", "228", "02", "B3B3", "1CA6B8E")],
      ['+QENG: "servingcell","NOCONN","LTE","FDD",302,610,844D92A,248,900,2,5,5,D6E7,-89,-8,-61,17,38', c("LTE", "302", "610", "D6E7", "844D92A")],
      ['+QENG: "servingcell","NOCONN","LTE","FDD",460,0,321,123,1650,3,5,5,16A3,-93,-8,-61,14', c("LTE", "460", "00", "16A3", "321")],
      ['+QENG: "servingcell","NOCONN","CAT-M","FDD",310,410,A1B2C03,117,5110,12,5,5,3C1D,-101,-12,-72,8,33', c("CAT-M", "310", "410", "3C1D", "A1B2C03")],
      ['+QENG: "servingcell","NOCONN","eMTC","FDD",310,410,A1B2C03,117,5110,12,5,5,3C1D,-101,-12,-72,8,33', c("CAT-M", "310", "410", "3C1D", "A1B2C03")],
      ['+QENG: "servingcell","NOCONN","CAT-NB","FDD",262,01,2B4C5D,10,6290,20,0,0,E2F,-110,-11,-90,1,10', c("NB-IoT", "262", "01", "E2F", "2B4C5D")],
      ['+QENG: "servingcell","NOCONN","GSM",460,00,550A,2BC7,10,24,-,-70,255,255,0,38,38,1,-,-,-,-,-,-,-,-,-,"-"', c("GSM", "460", "00", "550A", "2BC7")],
      ['+QENG: "servingcell","NOCONN","WCDMA",460,01,A809,A9B8A7,10663,279,1,-62,-1,-,-,-,-,-', c("WCDMA", "460", "01", "A809", "A9B8A7")],
      ['+QENG:"servingcell","LIMSRV","LTE","FDD",310,260,1a2b3c4,1,2,3,4,5,1a2b', c("LTE", "310", "260", "1A2B", "1A2B3C4")],
      // no cell
      ['+QENG: "servingcell","SEARCH"', undefined],
      ['+QENG: "servingcell","LIMSRV"', undefined],
      ['+QENG: "neighbourcell intra","LTE",476,189,-9,-104,-77,0,28,7,16,6,54', undefined],
      ['+QENG: "servingcell","NOCONN","LTE","FDD",310,260,FFFFFFFF,1,2,3,4,5,1A2B', undefined],
      ['+QENG: "servingcell","NOCONN","LTE","FDD",310,260,1A2B3C4,1,2,3,4,5,FFFF', undefined],
      // hostile
      ['+QENG: "servingcell","NOCONN","LTE","FDD",310,260,1A2B3C4', undefined],
      ['+QENG: "servingcell","NOCONN","LTE","FDD",31O,260,1A2B3C4,1,2,3,4,5,1A2B', undefined],
      ['+QENG: "servingcell","NOCONN","LTE","FDD",310,2600,1A2B3C4,1,2,3,4,5,1A2B', undefined],
      ['+QENG: "servingcell","NOCONN","LTE","FDD",310,260,1A2B3C4D5,1,2,3,4,5,1A2B', undefined],
      ['+QENG: "servingcell","NOCONN","NR5G-SA","TDD",310,260,1A2B3C4D5,1,2,3,4,5,1A2B', undefined],
      ['+QENG: "servingcell","NOCONN","GSM",460', undefined],
      ["+QENG: servingcell", undefined],
      ['+CPSI: "servingcell","NOCONN","GSM",460,00,550A,2BC7,10,24', undefined],
    ];
    for (const [line, want] of table) {
      it(JSON.stringify(line), () => expect(parseQengServingCell(line)).to.deep.equal(want));
    }
  });

  describe("parseCopsNumeric / ratOfAcT", () => {
    const table: Array<[string, ReturnType<typeof parseCopsNumeric>]> = [
      ['+COPS: 0,2,"310260",7', { mcc: "310", mnc: "260", act: 7 }],
      ['+COPS: 0,2,"23410",0', { mcc: "234", mnc: "10", act: 0 }],
      ['+COPS: 1,2,"46000"', { mcc: "460", mnc: "00", act: undefined }],
      ['+COPS: 0,0,"T-Mobile",7', undefined],
      ["+COPS: 0", undefined],
      ['+COPS: 0,2,"3102",7', undefined],
      ['+COPS: 0,2,"3102600",7', undefined],
      ['+COPS: 0,2,"31A260",7', undefined],
      ['+COPS: 0,2,"000260",7', undefined],
      ['+CREG: 0,2,"310260",7', undefined],
    ];
    for (const [line, want] of table) {
      it(JSON.stringify(line), () => expect(parseCopsNumeric(line)).to.deep.equal(want));
    }
    it("AcT (27.007 §7.3): GSM, UTRAN, E-UTRAN, BG96's Cat-M1 8, NB-S1 9, unknown", () => {
      const got = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, undefined].map(ratOfAcT);
      expect(got).to.deep.equal(["GSM", "GSM", "WCDMA", "GSM", "WCDMA", "WCDMA", "WCDMA", "LTE", "CAT-M", "NB-IoT", "LTE", "", "", ""]);
    });
  });

  describe("servingCellFromRegistration (AT+CREG?/+CEREG? with n=2 and AT+COPS? numeric)", () => {
    const cops = '+COPS: 0,2,"310260",7';
    const table: Array<[string, string, ServingCell | undefined]> = [
      ['+CEREG: 2,1,"1A2B","01C2D3E4",7', cops, c("LTE", "310", "260", "1A2B", "01C2D3E4")],
      ['+CREG: 2,5,"1a2b","01c2d3e4"', cops, c("LTE", "310", "260", "1A2B", "01C2D3E4")],
      ['+CREG: 2,1,"FFFE","76340C",7', cops, c("LTE", "310", "260", "FFFE", "76340C")],
      ['+CREG: 2,1,"1A2B","2BC7",0', '+COPS: 0,2,"23410",0', c("GSM", "234", "10", "1A2B", "2BC7")],
      ['+CGREG: 2,1,"1A2B","2BC7",3,"01"', '+COPS: 0,2,"23410"', c("GSM", "234", "10", "1A2B", "2BC7")],
      ['+CREG: 2,1,"1A2B","2BC7"', '+COPS: 0,2,"23410"', c("", "234", "10", "1A2B", "2BC7")],
      // not registered, no location, alphanumeric operator, garbage
      ['+CREG: 2,2,"1A2B","01C2D3E4",7', cops, undefined],
      ["+CREG: 2,1", cops, undefined],
      ["+CREG: 0,1", cops, undefined],
      ['+CREG: 2,1,"1A2B","01C2D3E4",7', '+COPS: 0,0,"T-Mobile",7', undefined],
      ['+CREG: 2,1,"1A2B","01C2D3E4",7', "+COPS: 0", undefined],
      ['+CREG: 2,1,"1A2B","01C2D3E4F",7', cops, undefined],
      ['+CREG: 2,1,"","01C2D3E4",7', cops, undefined],
      ['+CMTI: 2,1,"1A2B","01C2D3E4",7', cops, undefined],
    ];
    for (const [reg, copsLine, want] of table) {
      it(`${reg} + ${copsLine}`, () => expect(servingCellFromRegistration(reg, copsLine)).to.deep.equal(want));
    }
  });

  it("firstServingCell takes the first line that reads as a cell", () => {
    const lines = ["+CPSI: NO SERVICE,Online", "junk", "+CPSI: LTE,Online,310-260,0x1A2B,26396162"];
    expect(firstServingCell(lines, parseCpsi)).to.deep.equal(c("LTE", "310", "260", "1A2B", "192C602"));
    expect(firstServingCell([], parseCpsi)).to.equal(undefined);
  });

  it("cellText: the reply line, plain GSM-7 and at most 51 septets in the worst case", () => {
    expect(cellText(c("LTE", "310", "260", "1A2B", "01C2D3E4"))).to.equal("Cell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 (LTE)");
    expect(cellText(c("", "234", "10", "1A2B", "2BC7"))).to.equal("Cell: MCC 234 MNC 10 LAC 1A2B ID 2BC7");
    const worst = cellText(c("NB-IoT", "999", "999", "FFFE", "FFFFFFFE"));
    expect(gsm7Septets(worst)).to.equal(worst.length).and.to.be.at.most(51);
  });

  it("never throws on hostile input", () => {
    const junk = ["\u0000", "+CPSI: ,,,,,,,,", '+QENG: "servingcell",,,,,,,,,,,,,,,', "+COPS: ,,,", '+CPSI: "', "+CPSI: 😀,Online,310-260,0x1,1".repeat(50)];
    for (const line of junk) {
      expect(() => parseCpsi(line)).to.not.throw();
      expect(() => parseQengServingCell(line)).to.not.throw();
      expect(() => servingCellFromRegistration(line, line)).to.not.throw();
      expect(parseCpsi(line)).to.equal(undefined);
    }
    expect(parseCpsi(undefined as unknown as string)).to.equal(undefined);
    expect(parseQengServingCell(42 as unknown as string)).to.equal(undefined);
  });
});

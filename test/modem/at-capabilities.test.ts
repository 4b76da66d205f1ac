import { expect } from "chai";
import { parseCnmiSupport, parseCpmsRead, parseCpmsSupport, parseCsca, supportsCmtiIndication } from "../../src/modem/at-capabilities.ts";

describe("modem/at-capabilities", () => {
  it("reads AT+CPMS? use per storage and rejects nonsense", () => {
    expect(parseCpmsRead('+CPMS: "SM",3,30,"SM",3,30,"SM",3,30')).to.deep.equal([
      { memory: "SM", used: 3, total: 30 },
      { memory: "SM", used: 3, total: 30 },
      { memory: "SM", used: 3, total: 30 },
    ]);
    expect(parseCpmsRead('+CPMS: "ME",1,100')).to.deep.equal([{ memory: "ME", used: 1, total: 100 }]);
    for (const bad of ["+CPMS: ", '+CPMS: "SM",31,30', '+CPMS: "SM",x,30', "+CMTI: 1", ""]) expect(parseCpmsRead(bad), bad).to.equal(undefined);
  });

  it("reads AT+CPMS=? lists with and without brackets", () => {
    expect(parseCpmsSupport('+CPMS: ("SM","ME"),("SM"),("ME")')).to.deep.equal([["SM", "ME"], ["SM"], ["ME"]]);
    expect(parseCpmsSupport('+CPMS: "SM","SM","SM"')).to.deep.equal([["SM"], ["SM"], ["SM"]]);
    expect(parseCpmsSupport("+CPMS: ")).to.equal(undefined);
  });

  it("reads AT+CNMI=? ranges and says whether +CMTI indications (2,1) are offered", () => {
    const support = parseCnmiSupport("+CNMI: (0-2),(0,1,3),(0),(0,1),(0,1)")!;
    expect(support).to.deep.equal([[0, 1, 2], [0, 1, 3], [0], [0, 1], [0, 1]]);
    expect(supportsCmtiIndication(support)).to.equal(true);
    expect(supportsCmtiIndication(parseCnmiSupport("+CNMI: (0,1),(0,2),(0),(0),(0)")!)).to.equal(false);
    expect(parseCnmiSupport("+CNMI: (a-b)")).to.equal(undefined);
    expect(parseCnmiSupport("+CNMI: (0-100000)")).to.equal(undefined);
  });

  it("reads the service centre, also UCS-2 hex, and refuses an empty or injected one", () => {
    expect(parseCsca('+CSCA: "+79168999100",145')).to.deep.equal({ number: "+79168999100", type: 145 });
    expect(parseCsca("+CSCA: 002B0034003400370038,145")?.number).to.equal("+4478");
    expect(parseCsca('+CSCA: "",129')).to.equal(undefined);
    expect(parseCsca('+CSCA: "+1\\r\\nAT",145')).to.equal(undefined);
  });
});

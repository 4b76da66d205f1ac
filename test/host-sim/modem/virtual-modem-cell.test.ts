/**
 * The virtual modem's serving cell (host-sim/modem/cell-commands.ts): AT+CPSI? per SIMCom dialect,
 * AT+QENG="servingcell" for Quectel, AT+COPS=3,2 and the numeric AT+COPS?, CREG/CEREG with <n>=2,
 * registration loss URCs — each answer read back with the firmware's own parsers
 * (src/modem/serving-cell.ts), so the simulator and the firmware agree on the formats.
 */
import { expect } from "chai";
import { Terminal } from "./terminal.ts";
import { parseCpsi, parseQengServingCell, servingCellFromRegistration } from "../../../src/modem/serving-cell.ts";
import type { ProfileName } from "../../../host-sim/modem/virtual-modem.ts";

/** The information line of an answer ("\r\n<line>\r\n\r\nOK\r\n"). */
function line(answer: string): string {
  return answer.split("\r\n").filter((l) => l !== "" && l !== "OK")[0] ?? "";
}

async function booted(profile: ProfileName, cell = {}): Promise<Terminal> {
  const t = new Terminal({ modem: { profile, cell } });
  await t.boot();
  await t.command("ATE0");
  return t;
}

describe("host-sim/VirtualModem: serving cell", () => {
  const simcom: Array<[ProfileName, string, string]> = [
    ["a7670", "+CPSI: LTE,Online,310-260,0x1A2B,29545444,", "LTE"],
    ["sim7600", "+CPSI: LTE,Online,310-260,0x1A2B,29545444,", "LTE"],
    ["sim7000", "+CPSI: LTE CAT-M1,Online,310-260,0x1A2B,29545444,", "CAT-M"],
  ];
  for (const [profile, start, rat] of simcom) {
    it(`${profile}: AT+CPSI? in the manual's field order, read back by the firmware`, async () => {
      const t = await booted(profile);
      const answer = line(await t.command("AT+CPSI?"));
      expect(answer.startsWith(start), answer).to.equal(true);
      expect(parseCpsi(answer)).to.deep.equal({ rat, mcc: "310", mnc: "260", area: "1A2B", cellId: "1C2D3E4" });
      expect(await t.command('AT+QENG="servingcell"')).to.equal("\r\nERROR\r\n");
    });
  }

  it("AT+CPSI? for GSM and WCDMA cells, and NO SERVICE when not registered", async () => {
    const gsm = await booted("sim7600", { rat: "GSM", mcc: "460", mnc: "00", area: 0x182d, cellId: 12401 });
    const g = line(await gsm.command("AT+CPSI?"));
    expect(g).to.equal("+CPSI: GSM,Online,460-00,0x182D,12401,27 EGSM 900,-64,2110,42-42");
    expect(parseCpsi(g)).to.deep.equal({ rat: "GSM", mcc: "460", mnc: "00", area: "182D", cellId: "3071" });
    const w = await booted("a7670", { rat: "WCDMA", area: 0xa809, cellId: 11122855 });
    expect(parseCpsi(line(await w.command("AT+CPSI?")))).to.deep.equal({ rat: "WCDMA", mcc: "310", mnc: "260", area: "A809", cellId: "A9B8A7" });
    w.modem.loseRegistration();
    expect(line(await w.command("AT+CPSI?"))).to.equal("+CPSI: NO SERVICE,Online");
  });

  for (const [profile, rat] of [["eg25", "LTE"], ["bg96", "CAT-M"]] as const) {
    it(`${profile}: AT+QENG="servingcell", read back by the firmware; SEARCH without service; no AT+CPSI`, async () => {
      const t = await booted(profile);
      const answer = line(await t.command('AT+QENG="servingcell"'));
      expect(parseQengServingCell(answer), answer).to.deep.equal({ rat, mcc: "310", mnc: "260", area: "1A2B", cellId: "1C2D3E4" });
      expect(await t.command("AT+CPSI?")).to.equal("\r\nERROR\r\n");
      expect(await t.command('AT+QENG="neighbourcell"')).to.equal("\r\nERROR\r\n");
      t.modem.loseRegistration();
      expect(line(await t.command('AT+QENG="servingcell"'))).to.equal('+QENG: "servingcell","SEARCH"');
    });
  }

  it("sim800: no AT+CPSI; AT+COPS=3,2 makes AT+COPS? numeric; CREG with <n>=2 gives LAC and cell id (GSM: 4 hex digits)", async () => {
    const t = await booted("sim800");
    expect(await t.command("AT+CPSI?")).to.equal("\r\nERROR\r\n");
    expect(line(await t.command("AT+COPS?"))).to.equal('+COPS: 0,0,"SIM NETWORK",0');
    expect(await t.command("AT+COPS=3,2")).to.equal("\r\nOK\r\n");
    const cops = line(await t.command("AT+COPS?"));
    expect(cops).to.equal('+COPS: 0,2,"310260",0');
    expect(await t.command("AT+CREG=2")).to.equal("\r\nOK\r\n");
    const creg = line(await t.command("AT+CREG?"));
    expect(creg).to.equal('+CREG: 2,1,"1A2B","2BC7"');
    expect(servingCellFromRegistration(creg, cops)).to.deep.equal({ rat: "GSM", mcc: "310", mnc: "260", area: "1A2B", cellId: "2BC7" });
    expect(await t.command("AT+COPS=3,7")).to.equal("\r\nERROR\r\n");
    // the format is a setting: lost at a reboot
    t.modem.reboot();
    await t.clock.runUntilCondition(() => t.modem.isSmsReady && t.modem.registration("CREG") === 1, 30_000);
    await t.command("ATE0");
    expect(line(await t.command("AT+COPS?"))).to.match(/^\+COPS: 0,0,/);
  });

  it("bg96 reports Cat-M1 as AcT 8 (its manual), the SIM7000 as 7", async () => {
    const bg = await booted("bg96");
    await bg.command("AT+COPS=3,2");
    expect(line(await bg.command("AT+COPS?"))).to.equal('+COPS: 0,2,"310260",8');
    const sim = await booted("sim7000");
    await sim.command("AT+CEREG=2");
    expect(line(await sim.command("AT+CEREG?"))).to.equal('+CEREG: 2,1,"1A2B","01C2D3E4",7');
  });

  it("registration loss and return send +CREG/+CEREG URCs where enabled; a handover sends the new cell with <n>=2", async () => {
    const t = await booted("a7670");
    await t.command("AT+CREG=1");
    await t.command("AT+CEREG=2");
    t.received = "";
    t.modem.loseRegistration();
    await t.clock.runFor(10);
    expect(t.received).to.equal("\r\n+CREG: 2\r\n\r\n+CEREG: 2\r\n");
    t.received = "";
    t.modem.restoreRegistration();
    await t.clock.runFor(10);
    expect(t.received).to.equal('\r\n+CREG: 1\r\n\r\n+CEREG: 1,"1A2B","01C2D3E4",7\r\n');
    t.received = "";
    t.modem.setCell({ area: 0x1a2c, cellId: 0x01c2d3e5 });
    await t.clock.runFor(10);
    expect(t.received).to.equal('\r\n+CEREG: 1,"1A2C","01C2D3E5",7\r\n');
    expect(t.modem.servingCell).to.include({ area: 0x1a2c, cellId: 0x01c2d3e5, rat: "LTE" });
  });
});

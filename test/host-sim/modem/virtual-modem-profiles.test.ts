import { expect } from "chai";
import { PROFILES, PROFILE_NAMES, type ProfileName } from "../../../host-sim/modem/profiles.ts";
import { FINAL, MODEM_NUMBER, OWNER_NUMBER, Terminal, type TerminalOptions } from "./terminal.ts";

const frame = (lines: string[]): string => lines.map((l) => `\r\n${l}\r\n`).join("");

/** Power on with a fixed boot time and collect everything said in the first 30 s. */
async function bootText(profile: ProfileName, options: TerminalOptions["modem"] = {}): Promise<{ t: Terminal; text: string }> {
  const t = new Terminal({ modem: { profile, bootMs: 1000, registrationDelayMs: 60_000, ...options } });
  t.modem.powerOn();
  await t.clock.runFor(30_000);
  return { t, text: t.received };
}

describe("host-sim VirtualModem: six dialects (profiles)", () => {
  const expected: Record<ProfileName, string[]> = {
    a7670: ["*ATREADY: 1", "+CPIN: READY", "SMS DONE", "PB DONE"],
    sim7600: ["RDY", "+CPIN: READY", "SMS DONE", "PB DONE"],
    sim7000: ["RDY", "+CFUN: 1", "+CPIN: READY", "SMS Ready"],
    sim800: ["+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"], // no RDY: autobaud
    eg25: ["RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE"],
    bg96: ["RDY", "APP RDY", "+CFUN: 1", "+CPIN: READY"],
  };
  for (const name of PROFILE_NAMES) {
    it(`${name}: boot lines in order, then SMS works`, async () => {
      const { t, text } = await bootText(name, { seed: 1 });
      if (name === "eg25") {
        const lines = text.split("\r\n").filter(Boolean);
        expect(lines.slice(0, 4)).to.deep.equal(expected.eg25.slice(0, 4));
        expect([...lines.slice(4)].sort()).to.deep.equal(expected.eg25.slice(4).sort()); // either order
      } else expect(text).to.equal(frame(expected[name]));
      expect(t.modem.isSmsReady).to.equal(true);
      t.received = "";
      await t.command("ATE0");
      expect(await t.command("AT+CMGF=1")).to.equal("\r\nOK\r\n");
    });
  }

  it("sim800 prints RDY only at a fixed baud rate", async () => {
    const { text } = await bootText("sim800", { fixedBaud: true });
    expect(text).to.equal(frame(["RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"]));
  });

  it("eg25: the two +QIND lines come in either order, depending on the seed", async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const { text } = await bootText("eg25", { seed });
      orders.add(text.split("\r\n").filter((l) => l.startsWith("+QIND")).join("|"));
    }
    expect([...orders].sort()).to.deep.equal(["+QIND: PB DONE|+QIND: SMS DONE", "+QIND: SMS DONE|+QIND: PB DONE"]);
  });

  it("boot times follow the profile (EG25 RDY ≥ 12 s, SIM800 ≤ 2.5 s)", async () => {
    for (const [name, min, max] of [["eg25", 12_000, 13_500], ["sim800", 1500, 2500], ["a7670", 3000, 5000]] as const) {
      const t = new Terminal({ modem: { profile: name, bootMs: undefined, fixedBaud: true } });
      t.modem.powerOn();
      await t.clock.runUntilCondition(() => t.received.length > 0, 20_000);
      expect(t.clock.nowMs, name).to.be.within(min, max + 1);
    }
  });

  it("answers identity per dialect (ATI, CGMI, CGMM, CGMR)", async () => {
    const answers: Record<string, string[]> = {};
    for (const name of ["sim800", "eg25", "sim7600"] as const) {
      const t = new Terminal({ modem: { profile: name } });
      await t.boot();
      await t.command("ATE0");
      answers[name] = [await t.command("ATI"), await t.command("AT+CGMI"), await t.command("AT+CGMM"), await t.command("AT+CGMR")];
    }
    expect(answers.sim800).to.deep.equal(["\r\nSIM800 R14.18\r\n\r\nOK\r\n", "\r\nSIMCOM_Ltd\r\n\r\nOK\r\n", "\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n", "\r\nRevision:1418B05SIM800L24\r\n\r\nOK\r\n"]);
    expect(answers.eg25).to.deep.equal(["\r\nQuectel\r\nEG25\r\nRevision: EG25GGBR07A08M2G\r\n\r\nOK\r\n", "\r\nQuectel\r\n\r\nOK\r\n", "\r\nEG25\r\n\r\nOK\r\n", "\r\nEG25GGBR07A08M2G\r\n\r\nOK\r\n"]);
    expect(answers.sim7600![3]).to.equal("\r\n+CGMR: LE20B04SIM7600G22\r\n\r\nOK\r\n");
  });

  it("powerKey(heldMs): per-profile on / off minimums, power-down URCs, SIM800 restart over 33 s", async () => {
    const t = new Terminal({ modem: { profile: "a7670" } });
    expect(t.modem.powerKey(30)).to.equal("ignored");
    expect(t.modem.powerKey(50)).to.equal("on");
    await t.clock.runFor(10_000);
    expect(t.modem.powerKey(1000)).to.equal("ignored");
    expect(t.modem.powerKey(2500)).to.equal("off");
    await t.clock.runFor(1000);
    expect(t.modem.powerState).to.equal("off");

    const s = new Terminal({ modem: { profile: "sim800" } });
    expect(s.modem.powerKey(500)).to.equal("ignored");
    expect(s.modem.powerKey(PROFILES.sim800.powerKey.onMinMs)).to.equal("on");
    await s.clock.runFor(10_000);
    expect(s.modem.powerKey(40_000)).to.equal("restart");
    expect(s.modem.boots).to.equal(2);
    await s.clock.runFor(10_000);
    s.received = "";
    expect(s.modem.powerKey(2000)).to.equal("off");
    expect(s.modem.powerState).to.equal("stopping");
    await s.clock.runFor(5000);
    expect(s.received).to.equal("\r\nNORMAL POWER DOWN\r\n");
    expect(s.modem.powerState).to.equal("off");

    const q = new Terminal({ modem: { profile: "eg25" } });
    await q.boot();
    q.received = "";
    expect(q.modem.powerKey(600)).to.equal("ignored");
    expect(q.modem.powerKey(700)).to.equal("off");
    await q.clock.runFor(5000);
    expect(q.received).to.equal("\r\nPOWERED DOWN\r\n");
  });

  it("AT power-off per dialect: SIM800 AT+CPOWD=1 (no OK), EG25 AT+QPOWD (OK, POWERED DOWN), others ERROR", async () => {
    const s = new Terminal({ modem: { profile: "sim800" } });
    await s.boot();
    await s.command("ATE0");
    expect(await s.command("AT+QPOWD")).to.equal("\r\nERROR\r\n");
    expect(await s.command("AT+CPOWD=1", /DOWN\r\n$/)).to.equal("\r\nNORMAL POWER DOWN\r\n");
    await s.clock.runFor(2000);
    expect(s.modem.powerState).to.equal("off");
    const q = new Terminal({ modem: { profile: "eg25" } });
    await q.boot();
    await q.command("ATE0");
    expect(await q.command("AT+CPOF")).to.equal("\r\nERROR\r\n");
    expect(await q.command("AT+QPOWD", /DOWN\r\n$/)).to.equal("\r\nOK\r\n\r\nPOWERED DOWN\r\n");
  });

  it("registration quirks: SIM7000 CREG 0 while CEREG 1; BG96 CREG 3 (denied) while CEREG 1 — SMS still works", async () => {
    for (const [name, creg] of [["sim7000", 0], ["bg96", 3]] as const) {
      const t = new Terminal({ modem: { profile: name } });
      await t.boot();
      await t.command("ATE0");
      expect(await t.command("AT+CREG?"), name).to.equal(`\r\n+CREG: 0,${creg}\r\n\r\nOK\r\n`);
      expect(await t.command("AT+CEREG?"), name).to.equal("\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
      await t.command("AT+CMGF=1");
      await t.command("AT+CNMI=2,1,0,0,0");
      t.owner.send(MODEM_NUMBER, "hi");
      expect(await t.waitFor(/\+CMTI: "SM",1\r\n$/), name).to.equal('\r\n+CMTI: "SM",1\r\n');
    }
  });

  it("SMS commands before the SMS-ready line: A7670 +CMS ERROR: 500, Quectel 314", async () => {
    for (const [name, code] of [["a7670", 500], ["eg25", 314], ["bg96", 314]] as const) {
      const t = new Terminal({ modem: { profile: name, bootMs: 1000 } });
      t.modem.powerOn();
      await t.waitFor(/RDY\r\n$|ATREADY: 1\r\n$/, 20_000);
      await t.command("ATE0");
      await t.command("AT+CMEE=1");
      expect(await t.command("AT+CMGF=0"), name).to.equal(`\r\n+CMS ERROR: ${code}\r\n`);
    }
  });

  it("SIM800 starts in text mode, the others in PDU mode; Quectel starts with CSCS GSM", async () => {
    for (const name of PROFILE_NAMES) {
      const t = new Terminal({ modem: { profile: name } });
      await t.boot();
      await t.command("ATE0");
      expect(await t.command("AT+CMGF?"), name).to.equal(`\r\n+CMGF: ${name === "sim800" ? 1 : 0}\r\n\r\nOK\r\n`);
      expect(await t.command("AT+CSCS?"), name).to.equal(`\r\n+CSCS: "${PROFILES[name].defaultCscs}"\r\n\r\nOK\r\n`);
    }
  });

  it("SIM7600 frames +CMTI with CR CR LF (SIMCom quirk)", async () => {
    const t = new Terminal({ modem: { profile: "sim7600" } });
    await t.boot();
    await t.command("ATE0");
    await t.command("AT+CNMI=2,1,0,0,0");
    t.received = "";
    t.owner.send(MODEM_NUMBER, "x");
    expect(await t.waitFor(/\r\r\n$/)).to.equal('\r\r\n+CMTI: "SM",1\r\r\n');
  });

  it("CPMS: storages and sizes per profile (EG25 SM 30 + ME 255); receive storage follows mem3", async () => {
    const t = new Terminal({ modem: { profile: "eg25" } });
    await t.boot();
    await t.command("ATE0");
    await t.command("AT+CNMI=2,1,0,0,0");
    expect(await t.command("AT+CPMS=?")).to.equal('\r\n+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")\r\n\r\nOK\r\n');
    expect(await t.command('AT+CPMS="ME","ME","ME"')).to.equal("\r\n+CPMS: 0,255,0,255,0,255\r\n\r\nOK\r\n");
    t.received = "";
    t.owner.send(MODEM_NUMBER, "to ME");
    expect(await t.waitFor(/\r\n$/)).to.equal('\r\n+CMTI: "ME",1\r\n');
    expect(await t.command("AT+CPMS?")).to.equal('\r\n+CPMS: "ME",1,255,"ME",1,255,"ME",1,255\r\n\r\nOK\r\n');
    expect(t.modem.storageUse("ME")).to.deep.equal({ used: 1, total: 255 });
  });

  it("CCLK runs from the module's epoch until the network time arrives with registration", async () => {
    const t = new Terminal({ modem: { profile: "eg25", bootMs: 12_000, registrationDelayMs: 20_000 } });
    t.modem.powerOn();
    await t.clock.runUntil(17_000);
    await t.command("ATE0");
    expect(await t.command("AT+CCLK?")).to.match(/^\r\n\+CCLK: "80\/01\/06,00:00:0[56]\+00"\r\n\r\nOK\r\n$/);
    await t.clock.runUntil(33_000);
    expect(await t.command("AT+CCLK?")).to.match(/^\r\n\+CCLK: "26\/11\/24,22:15:33\+00"\r\n/);
  });

  it("CMGS response time: the 'slow' fault answers just inside the profile's maximum (SIMCom 60 s, Quectel 120 s)", async () => {
    for (const [name, max] of [["a7670", 60_000], ["eg25", 120_000]] as const) {
      const t = new Terminal({ modem: { profile: name } });
      await t.boot();
      await t.command("ATE0");
      await t.command("AT+CMGF=1");
      t.modem.injectFault({ match: "AT+CMGS", reply: "slow", stage: "submit" });
      await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
      t.write("slow\x1a");
      const start = t.clock.nowMs;
      expect(await t.waitFor(FINAL, 200_000)).to.match(/\+CMGS: \d+\r\n\r\nOK\r\n$/);
      expect(t.clock.nowMs - start, name).to.be.within(max - 1000, max);
    }
  });
});

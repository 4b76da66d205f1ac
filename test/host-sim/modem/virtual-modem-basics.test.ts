import { expect } from "chai";
import { FINAL, Terminal } from "./terminal.ts";

describe("host-sim VirtualModem: boot, echo, errors, identity", () => {
  it("ignores bytes before boot and emits the A7670 boot URCs in order", async () => {
    const t = new Terminal({ modem: { bootMs: 4000, registrationDelayMs: 6000 } });
    t.modem.powerOn();
    t.write("AT\r");
    await t.clock.runFor(3999);
    expect(t.received).to.equal("");
    expect(t.modem.bytesIgnored).to.equal(3);
    await t.clock.runFor(5000);
    expect(t.received).to.equal("\r\n*ATREADY: 1\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n");
    const urcTimes = t.modem.traffic.filter((e) => e.direction === "from-modem").map((e) => e.atMs);
    expect(urcTimes).to.deep.equal([4000, 4500, 6500, 7500]);
    expect(t.modem.registration()).to.equal(2);
    t.received = "";
    expect(await t.command("ATE0")).to.equal("ATE0\r\r\nOK\r\n");
    expect(await t.command("AT+CREG?")).to.equal("\r\n+CREG: 0,2\r\n\r\nOK\r\n");
    await t.clock.runUntil(10_000);
    expect(await t.command("AT+CEREG?")).to.equal("\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
    expect(await t.command("AT+CGREG?")).to.equal("\r\n+CGREG: 0,1\r\n\r\nOK\r\n");
  });

  it("uses a boot time of 3-5 s from the seed when none is given", async () => {
    const t = new Terminal({ modem: { bootMs: undefined, seed: 7 } });
    t.modem.powerOn();
    await t.clock.runUntilCondition(() => t.received.includes("*ATREADY"), 10_000);
    expect(t.clock.nowMs).to.be.within(3000, 5000);
  });

  it("refuses SMS commands before SMS DONE and SIM commands before +CPIN: READY", async () => {
    const t = new Terminal();
    t.modem.powerOn();
    await t.waitFor(/\*ATREADY: 1\r\n$/);
    t.received = "";
    await t.command("ATE0");
    await t.command("AT+CMEE=1");
    expect(await t.command("AT+CPIN?")).to.equal("\r\n+CME ERROR: 14\r\n");
    expect(await t.command("AT+CMGF=1")).to.equal("\r\n+CMS ERROR: 500\r\n");
    await t.waitFor(/SMS DONE\r\n$/);
    expect(await t.command("AT+CPIN?")).to.equal("\r\n+CPIN: READY\r\n\r\nOK\r\n");
    expect(await t.command("AT+CMGF=1")).to.equal("\r\nOK\r\n");
  });

  it("echoes every character until ATE0, and again after ATE1", async () => {
    const t = new Terminal();
    await t.boot();
    expect(await t.command("AT")).to.equal("AT\r\r\nOK\r\n");
    expect(await t.command("ATE0")).to.equal("ATE0\r\r\nOK\r\n");
    expect(await t.command("AT")).to.equal("\r\nOK\r\n");
    expect(await t.command("ATE1")).to.equal("\r\nOK\r\n");
    expect(await t.command("at")).to.equal("at\r\r\nOK\r\n");
    expect(t.modem.currentSettings.echo).to.equal(true);
  });

  it("accepts CR LF terminators, lower case and chained commands; ignores lines without AT", async () => {
    const t = new Terminal();
    await t.boot();
    await t.command("ATE0");
    t.write("AT+CMGF=1\r\n");
    await t.waitFor(FINAL);
    t.received = "";
    expect(await t.command("at+cmgf?;+CSCS=\"GSM\";+CSCS?")).to.equal('\r\n+CMGF: 1\r\n\r\n+CSCS: "GSM"\r\n\r\nOK\r\n');
    t.received = "";
    t.write("hello\r");
    await t.clock.runFor(500);
    expect(t.received).to.equal("");
    expect(t.modem.linesIgnored).to.equal(1);
    expect(await t.command("AT+NOPE")).to.equal("\r\nERROR\r\n");
  });

  it("frames errors per CMEE: plain, numeric, verbose", async () => {
    const t = new Terminal();
    await t.boot();
    await t.setupTextMode();
    expect(await t.command("AT+CMGR=99")).to.equal("\r\nERROR\r\n");
    expect(await t.command("AT+CMEE=1")).to.equal("\r\nOK\r\n");
    expect(await t.command("AT+CMGR=99")).to.equal("\r\n+CMS ERROR: 321\r\n");
    expect(await t.command("AT+CREG=7")).to.equal("\r\n+CME ERROR: 3\r\n");
    expect(await t.command("AT+CMEE=2")).to.equal("\r\nOK\r\n");
    expect(await t.command("AT+CMGR=99")).to.equal("\r\n+CMS ERROR: invalid memory index\r\n");
    expect(await t.command("AT+CREG=7")).to.equal("\r\n+CME ERROR: operation not allowed\r\n");
    expect(await t.command("AT+CMEE?")).to.equal("\r\n+CMEE: 2\r\n\r\nOK\r\n");
    expect(await t.command("AT+BOGUS")).to.equal("\r\nERROR\r\n");
  });

  it("answers identity, signal, clock and storage queries", async () => {
    const t = new Terminal({ network: { startUtcMs: Date.UTC(2026, 10, 24, 22, 15, 0) } });
    await t.boot();
    await t.command("ATE0");
    expect(await t.command("ATI")).to.equal(
      "\r\nManufacturer: SIMCOM INCORPORATED\r\nModel: A7670E-LASE\r\nRevision: A7670M7_V1.11.1\r\nIMEI: 868071040000017\r\n+GCAP: +CGSM,+FCLASS,+DS\r\n\r\nOK\r\n",
    );
    expect(await t.command("AT+CGMM")).to.equal("\r\nA7670E-LASE\r\n\r\nOK\r\n");
    expect(await t.command("AT+CGMR")).to.equal("\r\n+CGMR: A7670M7_V1.11.1\r\n\r\nOK\r\n");
    expect(await t.command("AT+CSQ")).to.equal("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    t.modem.setSignal(31, 0);
    expect(await t.command("AT+CSQ")).to.equal("\r\n+CSQ: 31,0\r\n\r\nOK\r\n");
    const now = t.clock.nowMs;
    const expected = new Date(Date.UTC(2026, 10, 24, 22, 15, 0) + now);
    const hh = String(expected.getUTCHours()).padStart(2, "0");
    const mm = String(expected.getUTCMinutes()).padStart(2, "0");
    const ss = String(expected.getUTCSeconds()).padStart(2, "0");
    expect(await t.command("AT+CCLK?")).to.equal(`\r\n+CCLK: "26/11/24,${hh}:${mm}:${ss}+00"\r\n\r\nOK\r\n`);
    expect(await t.command('AT+CCLK="30/01/02,03:04:05+08"')).to.equal("\r\nOK\r\n");
    expect(await t.command("AT+CCLK?")).to.match(/\+CCLK: "30\/01\/02,03:04:0[56]\+08"/);
    expect(await t.command("AT+CPMS?")).to.equal('\r\n+CPMS: "SM",0,30,"SM",0,30,"SM",0,30\r\n\r\nOK\r\n');
    expect(await t.command('AT+CPMS="SM","SM","SM"')).to.equal("\r\n+CPMS: 0,30,0,30,0,30\r\n\r\nOK\r\n");
    expect(await t.command('AT+CPMS="ME"')).to.equal("\r\nERROR\r\n");
    expect(await t.command("AT+IPR?")).to.equal("\r\n+IPR: 115200\r\n\r\nOK\r\n");
  });

  it("answers within 10-50 ms at 115200 baud", async () => {
    const t = new Terminal();
    await t.boot();
    await t.command("ATE0");
    for (let i = 0; i < 20; i++) {
      const start = t.clock.nowMs;
      await t.command("AT");
      // 3 bytes out + 6 bytes back at ~0.087 ms per byte, plus the modem's 10-50 ms.
      expect(t.clock.nowMs - start).to.be.within(10, 51);
    }
  });

  it("emits +CREG URCs when enabled, and CSQ/COPS reflect setRegistered", async () => {
    const t = new Terminal({ modem: { registrationDelayMs: 20_000 } });
    t.modem.powerOn();
    await t.clock.runFor(9000);
    await t.command("ATE0");
    await t.command("AT+CREG=1");
    await t.command("AT+CEREG=2");
    t.received = "";
    await t.clock.runUntil(4000 + 20_000 + 10);
    expect(t.received).to.equal('\r\n+CREG: 1\r\n\r\n+CEREG: 1,"1A2B","01C2D3E4",7\r\n');
    t.received = "";
    t.modem.setRegistered(3, "CREG");
    await t.clock.runFor(10);
    expect(t.received).to.equal("\r\n+CREG: 3\r\n");
    expect(await t.command("AT+COPS?")).to.equal('\r\n+COPS: 0,0,"SIM NETWORK",7\r\n\r\nOK\r\n');
  });

  it("reboots on AT+CFUN=1,1 and on reboot(): settings lost, SIM storage kept", async () => {
    const t = new Terminal();
    await t.boot();
    await t.setupTextMode();
    t.owner.send(t.modem.number, "keep me");
    await t.waitFor(/\+CMTI: "SM",1\r\n$/);
    expect(await t.command("AT+CFUN=1,1")).to.equal("\r\nOK\r\n");
    const rebootText = await t.waitFor(/PB DONE\r\n$/, 20_000);
    expect(rebootText).to.equal("\r\n*ATREADY: 1\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n");
    expect(t.modem.boots).to.equal(2);
    expect(t.modem.currentSettings).to.include({ echo: true, cmgf: 0, cmee: 0, cscs: "IRA", csdh: 0 });
    expect(await t.command("AT+CNMI?")).to.equal("AT+CNMI?\r\r\n+CNMI: 0,0,0,0,0\r\n\r\nOK\r\n");
    expect(await t.command("AT+CPMS?")).to.include('+CPMS: "SM",1,30');
    t.modem.reboot();
    await t.clock.runFor(2000);
    t.received = "";
    t.write("AT\r");
    await t.clock.runFor(100);
    expect(t.received).to.equal("");
    await t.waitFor(/SMS DONE\r\n$/, 20_000);
    await t.command("ATE0");
    await t.command("AT+CMGF=1");
    expect(await t.command("AT+CMGR=1")).to.include("keep me");
  });

  it("powerOff() silences it; powerOn() boots again", async () => {
    const t = new Terminal();
    await t.boot();
    t.modem.powerOff();
    t.write("AT\r");
    await t.clock.runFor(10_000);
    expect(t.received).to.equal("");
    expect(t.modem.powerState).to.equal("off");
    t.modem.powerOn();
    expect(await t.waitFor(/\*ATREADY: 1\r\n$/)).to.equal("\r\n*ATREADY: 1\r\n");
  });

  it("gives the same bytes whatever the UART chunking (1, 2, 7, random)", async () => {
    const transcripts: string[] = [];
    for (const chunk of [1, 2, 7, 64, { random: 42 }]) {
      const t = new Terminal({ chunk });
      await t.boot();
      await t.command("AT+CMGF=1");
      await t.command("AT+CNMI=2,1,0,0,0");
      t.owner.send(t.modem.number, "Where are you?");
      await t.waitFor(/\+CMTI: "SM",1\r\n$/);
      await t.command("AT+CMGR=1");
      await t.command('AT+CMGS="+14085550199"', /> $/);
      t.write("Here\x1a");
      await t.waitFor(FINAL);
      transcripts.push(t.received);
    }
    for (const transcript of transcripts) expect(transcript).to.equal(transcripts[0]);
  });

  it("keeps a readable traffic log", async () => {
    const t = new Terminal();
    await t.boot();
    await t.command("AT+CMGF=1");
    await t.command('AT+CMGS="+14085550199"', /> $/);
    t.write("hi\x1a");
    await t.waitFor(FINAL);
    const lines = t.modem.trafficLines();
    expect(lines.some((l) => l.endsWith("fw→modem  AT+CMGF=1<CR>"))).to.equal(true);
    expect(lines.some((l) => l.endsWith('fw→modem  AT+CMGS="+14085550199"<CR>'))).to.equal(true);
    expect(lines.some((l) => l.endsWith("modem→fw  <CR><LF>> "))).to.equal(true);
    expect(lines.some((l) => l.endsWith("fw→modem  hi<SUB>"))).to.equal(true);
    expect(lines.some((l) => l.endsWith("modem→fw  <CR><LF>+CMGS: 0<CR><LF><CR><LF>OK<CR><LF>"))).to.equal(true);
    expect(lines.some((l) => l.includes("(ignored)"))).to.equal(false);
    const withEcho = t.modem.trafficLines({ echo: true });
    expect(withEcho.some((l) => l.endsWith("modem→fw (echo)  AT+CMGF=1<CR>"))).to.equal(true);
    expect(lines[0]).to.match(/^ +\d+\.\d{3} s  /);
    expect(t.modem.commandsReceived).to.equal(2);
    expect(t.modem.smsSent).to.equal(1);
  });
});

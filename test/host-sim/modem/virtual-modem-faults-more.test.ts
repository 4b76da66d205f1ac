import { expect } from "chai";
import { FINAL, MODEM_NUMBER, OWNER_NUMBER, Terminal, type TerminalOptions } from "./terminal.ts";

async function ready(options: TerminalOptions = {}): Promise<Terminal> {
  const t = new Terminal(options);
  await t.boot();
  await t.setupTextMode();
  await t.command("AT+CMEE=1");
  t.received = "";
  return t;
}

describe("host-sim VirtualModem: every modem fault", () => {
  it("unsolicited reboot at a scheduled time: boot lines mid-session, settings lost, storage kept", async () => {
    const t = await ready();
    t.modem.storeDirect(OWNER_NUMBER, "kept");
    t.modem.rebootAt(t.clock.nowMs + 1000);
    expect(await t.waitFor(/PB DONE\r\n$/, 20_000)).to.equal("\r\n*ATREADY: 1\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n");
    expect(t.modem.boots).to.equal(2);
    expect(t.modem.currentSettings).to.include({ echo: true, cmgf: 0, cmee: 0 });
    expect(t.modem.storedMessages().map((m) => m.text)).to.deep.equal(["kept"]);
  });

  it("reboot on the next matching command: no answer, the modem restarts (also rebootAfter)", async () => {
    const t = await ready({ modem: { profile: "sim7600" } });
    t.modem.injectFault({ match: "AT+CMGR", reply: "reboot" });
    expect(await t.command("AT+CMGR=1", /RDY\r\n$/, 20_000)).to.equal("\r\nRDY\r\n");
    expect(t.modem.boots).to.equal(2);
    await t.clock.runFor(20_000);
    t.modem.rebootAfter(10);
    await t.waitFor(/RDY\r\n$/, 20_000);
    expect(t.modem.boots).to.equal(3);
  });

  it("SIM removed: +CPIN: NOT INSERTED, CPIN? → +CME ERROR: 10, SMS commands → +CMS ERROR: 310, deliveries wait", async () => {
    const t = await ready();
    await t.command("AT+CREG=1");
    t.received = "";
    t.modem.removeSim();
    expect(await t.waitFor(/\+CREG: 0\r\n$/)).to.equal("\r\n+CPIN: NOT INSERTED\r\n\r\n+CREG: 0\r\n");
    expect(await t.command("AT+CPIN?")).to.equal("\r\n+CME ERROR: 10\r\n");
    expect(await t.command("AT+CMGR=1")).to.equal("\r\n+CMS ERROR: 310\r\n");
    expect(await t.command("AT+CIMI")).to.equal("\r\n+CME ERROR: 10\r\n");
    t.owner.send(MODEM_NUMBER, "lost?");
    await t.clock.runFor(5000);
    expect(t.network.log[0]!.status).to.equal("waiting");
    t.modem.insertSim();
    t.modem.reboot();
    await t.clock.runFor(20_000);
    expect(t.network.log[0]!.status).to.equal("delivered");
  });

  it("no SIM at power-on: +CPIN: NOT INSERTED at boot and never SMS-ready", async () => {
    const t = new Terminal({ modem: { simAbsent: true } });
    t.modem.powerOn();
    await t.clock.runFor(20_000);
    expect(t.received).to.equal("\r\n*ATREADY: 1\r\n\r\n+CPIN: NOT INSERTED\r\n");
    expect(t.modem.isSmsReady).to.equal(false);
    expect(t.modem.simState).to.equal("absent");
  });

  it("SIM PIN: +CPIN: SIM PIN until the right PIN; then READY, SMS DONE and registration follow", async () => {
    const t = new Terminal({ modem: { simPin: "4321" } });
    t.modem.powerOn();
    await t.clock.runFor(20_000);
    expect(t.received).to.equal("\r\n*ATREADY: 1\r\n\r\n+CPIN: SIM PIN\r\n");
    expect(t.modem.registration()).to.equal(2);
    t.received = "";
    await t.command("ATE0");
    await t.command("AT+CMEE=1");
    expect(await t.command("AT+CPIN?")).to.equal("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
    expect(await t.command("AT+CMGF=1")).to.equal("\r\n+CMS ERROR: 311\r\n");
    expect(await t.command('AT+CPIN="0000"')).to.equal("\r\n+CME ERROR: 16\r\n");
    expect(t.modem.simTriesLeft.pin).to.equal(2);
    t.received = "";
    expect(await t.command('AT+CPIN="4321"', /READY\r\n$/)).to.equal("\r\nOK\r\n\r\n+CPIN: READY\r\n");
    expect(await t.waitFor(/PB DONE\r\n$/)).to.equal("\r\nSMS DONE\r\n\r\nPB DONE\r\n");
    await t.clock.runFor(7000);
    expect(t.modem.registration()).to.equal(1);
    expect(await t.command("AT+CMGF=1")).to.equal("\r\nOK\r\n");
    expect(t.modem.simTriesLeft.pin).to.equal(3);
  });

  it("three wrong PINs → SIM PUK; the PUK with a new PIN unlocks", async () => {
    const t = new Terminal({ modem: { profile: "eg25", simPin: "1111", simPuk: "87654321" } });
    t.modem.powerOn();
    await t.clock.runFor(20_000);
    await t.command("ATE0");
    await t.command("AT+CMEE=2");
    for (let i = 0; i < 3; i++) expect(await t.command('AT+CPIN="9999"')).to.equal("\r\n+CME ERROR: incorrect password\r\n");
    expect(await t.command("AT+CPIN?")).to.equal("\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n");
    expect(await t.command('AT+CPIN="1111"')).to.equal("\r\n+CME ERROR: incorrect password\r\n");
    expect(await t.command('AT+QPINC="SC"')).to.equal('\r\n+QPINC: "SC",0,9\r\n\r\nOK\r\n');
    t.received = "";
    await t.command('AT+CPIN="87654321","2222"', /READY\r\n$/);
    expect(t.modem.simState).to.equal("ready");
    await t.waitFor(/SMS DONE\r\n$/);
    t.modem.reboot();
    await t.clock.runFor(20_000);
    expect(t.modem.simState).to.equal("pin");
    await t.command("ATE0");
    t.received = "";
    expect(await t.command('AT+CPIN="2222"', /READY\r\n$/)).to.equal("\r\nOK\r\n\r\n+CPIN: READY\r\n");
  });

  it("registration lost: +CREG/+CEREG URCs stat 2, CMGS → +CMS ERROR: 331, deliveries wait until it is back", async () => {
    const t = await ready();
    await t.command("AT+CREG=1");
    await t.command("AT+CEREG=1");
    t.received = "";
    t.modem.loseRegistration();
    expect(await t.waitFor(/CEREG: 2\r\n$/)).to.equal("\r\n+CREG: 2\r\n\r\n+CEREG: 2\r\n");
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("help\x1a");
    expect(await t.waitFor(FINAL, 10_000)).to.equal("\r\n+CMS ERROR: 331\r\n");
    t.owner.send(MODEM_NUMBER, "later");
    await t.clock.runFor(5000);
    expect(t.network.log[0]!.status).to.equal("waiting");
    t.received = "";
    t.modem.restoreRegistration();
    expect(await t.waitFor(/\+CMTI: "SM",1\r\n$/)).to.equal('\r\n+CREG: 1\r\n\r\n+CEREG: 1\r\n\r\n+CMTI: "SM",1\r\n');
  });

  it("garbage: junk in the middle of one response (fault), and random line noise (startNoise)", async () => {
    const t = await ready();
    t.modem.injectFault({ match: "AT+CSQ", reply: "garbage" });
    const spoiled = await t.command("AT+CSQ", /OK\r\n$/);
    expect(spoiled).to.not.equal("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    expect(spoiled.length).to.be.greaterThan("\r\n+CSQ: 20,99\r\n\r\nOK\r\n".length);
    expect(t.modem.noiseBytes).to.be.greaterThan(0);
    expect(await t.command("AT+CSQ")).to.equal("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    t.received = "";
    t.modem.startNoise({ intervalMs: [100, 200], maxBytes: 3 });
    await t.clock.runFor(2000);
    t.modem.stopNoise();
    expect(t.received.length).to.be.within(10, 60);
    expect(t.received).to.not.match(/[\r\n]/);
    expect(t.modem.traffic.some((e) => e.kind === "noise")).to.equal(true);
    const before = t.received.length;
    await t.clock.runFor(2000);
    expect(t.received.length).to.equal(before);
  });

  it("storage full: CPMS used == total, new messages wait in the network, CMGW → +CMS ERROR: 322", async () => {
    const t = await ready({ modem: { storageSlots: 5 } });
    expect(t.modem.fillStorage()).to.equal(5);
    expect(await t.command("AT+CPMS?")).to.equal('\r\n+CPMS: "SM",5,5,"SM",5,5,"SM",5,5\r\n\r\nOK\r\n');
    t.owner.send(MODEM_NUMBER, "wait");
    await t.clock.runFor(5000);
    expect(t.network.log[0]).to.include({ status: "waiting", lastFailure: "memory-full" });
    expect(await t.command(`AT+CMGW="${OWNER_NUMBER}"`)).to.equal("\r\n+CMS ERROR: 322\r\n");
    await t.command("AT+CMGD=1,1");
    expect(await t.waitFor(/\+CMTI/)).to.equal('\r\n+CMTI: "SM",1\r\n');
  });

  it("sent but not confirmed: the network gets the message, the +CMGS result is lost", async () => {
    const t = await ready();
    t.modem.injectFault({ match: "AT+CMGS", reply: "timeout", stage: "result" });
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("Lat 37.33\x1a");
    expect(await t.waitFor(FINAL, 70_000)).to.equal("");
    expect(t.network.log).to.have.length(1);
    expect(t.network.log[0]).to.include({ text: "Lat 37.33", unconfirmed: true });
    expect(t.modem.submissions).to.have.length(1);
    expect(t.modem.submissions[0]).to.include({ confirmed: false, mr: undefined });
    await t.clock.runFor(3000);
    expect(t.owner.inbox.map((m) => m.text)).to.deep.equal(["Lat 37.33"]);
    // The same with an error instead of silence, then a normal send.
    t.modem.injectFault({ match: "AT+CMGS", reply: "cms:332", stage: "result" });
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("again\x1a");
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMS ERROR: 332\r\n");
    expect(t.network.log).to.have.length(2);
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("third\x1a");
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMGS: 0\r\n\r\nOK\r\n");
    expect(t.modem.submissions.map((s) => s.confirmed)).to.deep.equal([false, false, true]);
  });

  it("a command-stage +CME ERROR, and timeouts on many commands with times: Infinity", async () => {
    const t = await ready();
    t.modem.injectFault({ match: /^AT\+C(REG|EREG)\?/, reply: "cme:30", times: 2 });
    expect(await t.command("AT+CREG?")).to.equal("\r\n+CME ERROR: 30\r\n");
    expect(await t.command("AT+CEREG?")).to.equal("\r\n+CME ERROR: 30\r\n");
    expect(await t.command("AT+CREG?")).to.equal("\r\n+CREG: 0,1\r\n\r\nOK\r\n");
    t.modem.injectFault({ match: "AT", reply: "timeout", times: Infinity });
    for (const c of ["AT", "AT+CSQ", "AT+CMGF=1"]) expect(await t.command(c, FINAL, 3000)).to.equal("");
    t.modem.clearFaults();
    expect(await t.command("AT")).to.equal("\r\nOK\r\n");
  });
});

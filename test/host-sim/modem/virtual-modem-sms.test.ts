import { expect } from "chai";
import { VirtualPhone } from "../../../host-sim/modem/phone.ts";
import { FINAL, MODEM_NUMBER, OWNER_NUMBER, Terminal } from "./terminal.ts";

/** Boot, text mode, echo off; then move the clock to 15 s so SCTS reads 22:15:15. */
async function ready(options: ConstructorParameters<typeof Terminal>[0] = {}): Promise<Terminal> {
  const t = new Terminal(options);
  await t.boot();
  await t.setupTextMode();
  await t.clock.runUntil(15_000);
  return t;
}

const SCTS = "26/11/24,22:15:15+00";

describe("host-sim VirtualModem: receiving SMS", () => {
  it("announces a stored SMS with +CMTI when CNMI mt=1, 2 s after the phone sent it", async () => {
    const t = await ready();
    t.owner.send(MODEM_NUMBER, "Where are you?");
    const text = await t.waitFor(/\r\n$/);
    expect(text).to.equal('\r\n+CMTI: "SM",1\r\n');
    expect(t.clock.nowMs).to.be.within(17_000, 17_002);
    expect(t.modem.smsReceived).to.equal(1);
    expect(t.network.log[0]).to.include({ status: "delivered", deliveredAtMs: 17_000 });
  });

  it("stores silently with CNMI mt=0", async () => {
    const t = await ready();
    await t.command("AT+CNMI=2,0,0,0,0");
    t.received = "";
    t.owner.send(MODEM_NUMBER, "quiet");
    await t.clock.runFor(5000);
    expect(t.received).to.equal("");
    expect(await t.command("AT+CPMS?")).to.equal('\r\n+CPMS: "SM",1,30,"SM",1,30,"SM",1,30\r\n\r\nOK\r\n');
    expect(await t.command("AT+CNMI?")).to.equal("\r\n+CNMI: 2,0,0,0,0\r\n\r\nOK\r\n");
  });

  it("refuses deliveries until SMS DONE and registration, then the network retries", async () => {
    const t = new Terminal();
    const phone = t.owner;
    phone.send(MODEM_NUMBER, "early");
    await t.clock.runFor(3000);
    expect(t.network.log[0]!.status).to.equal("waiting");
    await t.boot();
    await t.clock.runFor(2000);
    expect(t.network.log[0]!.status).to.equal("delivered");
    expect(t.modem.storedMessages().map((m) => m.text)).to.deep.equal(["early"]);
  });

  it("reads with CMGR: CSDH=0 and CSDH=1 headers, REC UNREAD → REC READ, mode 1 keeps the status", async () => {
    const t = await ready();
    t.owner.send(MODEM_NUMBER, "Where are you?");
    await t.waitFor(/\+CMTI: "SM",1\r\n$/);
    expect(await t.command("AT+CMGR=1,1")).to.equal(`\r\n+CMGR: "REC UNREAD","${OWNER_NUMBER}","","${SCTS}"\r\nWhere are you?\r\n\r\nOK\r\n`);
    expect(await t.command("AT+CMGR=1")).to.equal(`\r\n+CMGR: "REC UNREAD","${OWNER_NUMBER}","","${SCTS}"\r\nWhere are you?\r\n\r\nOK\r\n`);
    expect(await t.command("AT+CMGR=1")).to.equal(`\r\n+CMGR: "REC READ","${OWNER_NUMBER}","","${SCTS}"\r\nWhere are you?\r\n\r\nOK\r\n`);
    await t.command("AT+CSDH=1");
    expect(await t.command("AT+CMGR=1")).to.equal(
      `\r\n+CMGR: "REC READ","${OWNER_NUMBER}","","${SCTS}",145,4,0,0,"+14085550000",145,14\r\nWhere are you?\r\n\r\nOK\r\n`,
    );
    expect(await t.command("AT+CSDH?")).to.equal("\r\n+CSDH: 1\r\n\r\nOK\r\n");
  });

  it("CMGR: empty slot gives OK only; out of range gives 321; PDU mode refuses text-mode arguments", async () => {
    const t = await ready();
    await t.command("AT+CMEE=1");
    expect(await t.command("AT+CMGR=5")).to.equal("\r\nOK\r\n");
    expect(await t.command("AT+CMGR=0")).to.equal("\r\n+CMS ERROR: 321\r\n");
    expect(await t.command("AT+CMGR=31")).to.equal("\r\n+CMS ERROR: 321\r\n");
    await t.command("AT+CMGF=0");
    // PDU mode is modelled now (virtual-modem-pdu.test.ts): an empty slot is still a bare OK.
    expect(await t.command("AT+CMGR=1")).to.equal("\r\nOK\r\n");
    expect(await t.command('AT+CMGL="ALL"')).to.equal("\r\n+CMS ERROR: 302\r\n");
    expect(await t.command(`AT+CMGS="${OWNER_NUMBER}"`)).to.equal("\r\n+CMS ERROR: 304\r\n");
  });

  it("lists with CMGL and deletes with CMGD (single, delflag 1 and 4)", async () => {
    const t = await ready();
    const other = new VirtualPhone(t.network, "+14085550177");
    t.owner.send(MODEM_NUMBER, "one");
    other.send(MODEM_NUMBER, "two");
    await t.waitFor(/\+CMTI: "SM",2\r\n$/);
    const both =
      `\r\n+CMGL: 1,"REC UNREAD","${OWNER_NUMBER}","","${SCTS}"\r\none\r\n` +
      `+CMGL: 2,"REC UNREAD","+14085550177","","${SCTS}"\r\ntwo\r\n\r\nOK\r\n`;
    expect(await t.command('AT+CMGL="REC UNREAD"')).to.equal(both);
    expect(await t.command("AT+CMGL")).to.equal("\r\nOK\r\n");
    await t.command("AT+CSDH=1");
    expect(await t.command('AT+CMGL="ALL"')).to.equal(
      `\r\n+CMGL: 1,"REC READ","${OWNER_NUMBER}","","${SCTS}",145,3\r\none\r\n` +
        `+CMGL: 2,"REC READ","+14085550177","","${SCTS}",145,3\r\ntwo\r\n\r\nOK\r\n`,
    );
    expect(await t.command("AT+CMGD=1")).to.equal("\r\nOK\r\n");
    expect(await t.command("AT+CMGR=1")).to.equal("\r\nOK\r\n");
    expect(await t.command("AT+CMGD=1")).to.equal("\r\nOK\r\n"); // empty slot: OK (SIMCom)
    t.owner.send(MODEM_NUMBER, "three");
    await t.waitFor(/\+CMTI: "SM",1\r\n$/); // lowest free index
    await t.command("AT+CMGD=1,1"); // read ones only: slot 2
    expect(t.modem.storedMessages().map((m) => m.index)).to.deep.equal([1]);
    await t.command("AT+CMGD=1,4");
    expect(t.modem.storedMessages()).to.deep.equal([]);
    await t.command("AT+CMEE=1");
    expect(await t.command("AT+CMGD=99")).to.equal("\r\n+CMS ERROR: 321\r\n");
  });

  it("keeps messages waiting in the network while storage is full and delivers after CMGD", async () => {
    const t = await ready({ modem: { storageSlots: 2 } });
    t.owner.send(MODEM_NUMBER, "a");
    t.owner.send(MODEM_NUMBER, "b");
    t.owner.send(MODEM_NUMBER, "c");
    await t.clock.runFor(3000);
    expect(t.received).to.equal('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n');
    expect(t.network.log.map((r) => r.status)).to.deep.equal(["delivered", "delivered", "waiting"]);
    expect(t.network.log[2]!.lastFailure).to.equal("memory-full");
    expect(t.modem.smsRefusedFull).to.equal(1);
    expect(await t.command("AT+CPMS?")).to.include('+CPMS: "SM",2,2');
    expect(await t.command("AT+CMGD=1")).to.equal("\r\nOK\r\n");
    expect(await t.waitFor(/\r\n$/)).to.equal('\r\n+CMTI: "SM",1\r\n');
    expect(t.network.log[2]!.status).to.equal("delivered");
    expect(t.modem.storedMessages().map((m) => m.text)).to.deep.equal(["c", "b"]);
  });

  it("shows text per CSCS: GSM codes ('@' = 0x00, '€' = ESC 0x65), IRA '?', UCS2 hex", async () => {
    const t = await ready();
    t.owner.send(MODEM_NUMBER, "@ £5 €");
    await t.waitFor(/\+CMTI/);
    await t.command('AT+CSCS="GSM"');
    expect(await t.command("AT+CMGR=1")).to.equal(`\r\n+CMGR: "REC UNREAD","${OWNER_NUMBER}","","${SCTS}"\r\n\x00 \x015 \x1b\x65\r\n\r\nOK\r\n`);
    await t.command('AT+CSCS="IRA"');
    expect(await t.command("AT+CMGR=1")).to.include("\r\n@ ?5 ?\r\n");
    await t.command('AT+CSCS="UCS2"');
    await t.command("AT+CSDH=1");
    expect(await t.command("AT+CMGR=1")).to.equal(
      `\r\n+CMGR: "REC READ","002B00310034003000380035003500350030003100390039","","${SCTS}",145,4,0,0,"002B00310034003000380035003500350030003000300030",145,7\r\n` +
        "0040002000A30035002020AC\r\n\r\nOK\r\n",
    );
  });

  it("gives a UCS2 message (DCS 8) as hex whatever CSCS, and marks alphanumeric senders 208", async () => {
    const t = await ready();
    t.network.submit("BANK", MODEM_NUMBER, "Привет");
    await t.waitFor(/\+CMTI/);
    await t.command("AT+CSDH=1");
    expect(await t.command("AT+CMGR=1")).to.equal(
      `\r\n+CMGR: "REC UNREAD","BANK","","${SCTS}",208,4,0,8,"+14085550000",145,12\r\n041F04400438043204350442\r\n\r\nOK\r\n`,
    );
  });
});

describe("host-sim VirtualModem: sending SMS", () => {
  it("CMGS: prompt, text, Ctrl-Z → +CMGS: <mr> after the network accepts; the phone gets it", async () => {
    const t = await ready();
    const prompt = await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    expect(prompt).to.equal("\r\n> ");
    t.write("Lat 37.33\x1a");
    const start = t.clock.nowMs;
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMGS: 0\r\n\r\nOK\r\n");
    expect(t.clock.nowMs - start).to.be.within(1000, 3002);
    expect(t.network.log[0]).to.include({ from: MODEM_NUMBER, to: OWNER_NUMBER, text: "Lat 37.33" });
    await t.clock.runFor(2000);
    expect(t.owner.inbox.map((m) => m.text)).to.deep.equal(["Lat 37.33"]);
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("again\x1a");
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMGS: 1\r\n\r\nOK\r\n");
    expect(t.modem.smsSent).to.equal(2);
  });

  it("echoes the text when echo is on, and a CR gives a line break and a new prompt", async () => {
    const t = new Terminal();
    await t.boot();
    await t.command("AT+CMGF=1");
    expect(await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/)).to.equal(`AT+CMGS="${OWNER_NUMBER}"\r\r\n> `);
    t.write("line1\r\nline2\x1a");
    expect(await t.waitFor(FINAL)).to.equal("line1\r\n> line2\r\n+CMGS: 0\r\n\r\nOK\r\n");
    expect(t.network.log[0]!.text).to.equal("line1\nline2");
  });

  it("ESC aborts with OK and sends nothing", async () => {
    const t = await ready();
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("never\x1b");
    expect(await t.waitFor(FINAL)).to.equal("\r\nOK\r\n");
    await t.clock.runFor(5000);
    expect(t.network.log).to.deep.equal([]);
    expect(t.modem.smsSent).to.equal(0);
    expect(await t.command("AT")).to.equal("\r\nOK\r\n");
  });

  it("takes GSM codes with CSCS=GSM ('@' is NUL) and UCS2 hex number and text with CSCS=UCS2 + CSMP dcs 8", async () => {
    const t = await ready();
    await t.command('AT+CSCS="GSM"');
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("\x00home \x01\x1a");
    await t.waitFor(FINAL);
    expect(t.network.log[0]!.text).to.equal("@home £");
    await t.command('AT+CSCS="UCS2"');
    await t.command("AT+CSMP=17,167,0,8");
    await t.command('AT+CMGS="002B00310034003000380035003500350030003100390039"', /> $/);
    t.write("041F0440D83DDE00\x1a");
    await t.waitFor(FINAL);
    expect(t.network.log[1]).to.include({ to: OWNER_NUMBER, text: "Пр😀" });
  });

  it("replaces non-GSM characters with '?' when CSMP dcs is 0 and refuses over-long texts", async () => {
    const t = await ready();
    await t.command("AT+CMEE=1");
    await t.command('AT+CSCS="UCS2"');
    await t.command('AT+CMGS="002B0031"', /> $/);
    t.write("0041041F\x1a");
    await t.waitFor(FINAL);
    expect(t.network.log[0]!.text).to.equal("A?");
    await t.command('AT+CSCS="IRA"');
    await t.command('AT+CMGS="+1"', /> $/);
    t.write(`${"x".repeat(161)}\x1a`);
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMS ERROR: 305\r\n");
    expect(t.network.log).to.have.length(1);
  });

  it("answers +CMS ERROR: 331 without network service", async () => {
    const t = await ready();
    await t.command("AT+CMEE=1");
    t.modem.setRegistered(2);
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("help\x1a");
    const start = t.clock.nowMs;
    expect(await t.waitFor(FINAL, 10_000)).to.equal("\r\n+CMS ERROR: 331\r\n");
    expect(t.clock.nowMs - start).to.be.within(5000, 5003);
    expect(t.network.log).to.deep.equal([]);
  });

  it("holds a +CMTI that falls during the prompt until after the +CMGS result", async () => {
    const t = await ready();
    t.owner.send(MODEM_NUMBER, "incoming");
    await t.clock.runFor(1990);
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    await t.clock.runFor(100);
    t.write("out\x1a");
    expect(await t.waitFor(/\+CMTI: "SM",1\r\n$/)).to.equal('\r\n+CMGS: 0\r\n\r\nOK\r\n\r\n+CMTI: "SM",1\r\n');
  });
});

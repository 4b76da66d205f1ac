import { expect } from "chai";
import { FINAL, OWNER_NUMBER, Terminal } from "./terminal.ts";

async function ready(): Promise<Terminal> {
  const t = new Terminal();
  await t.boot();
  await t.setupTextMode();
  return t;
}

describe("host-sim VirtualModem: fault injection and hostile input", () => {
  it("injects ERROR once by command prefix, then answers normally", async () => {
    const t = await ready();
    t.modem.injectFault({ match: "at+csq", reply: "ERROR" });
    expect(await t.command("AT+CSQ")).to.equal("\r\nERROR\r\n");
    expect(await t.command("AT+CSQ")).to.equal("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
  });

  it("injects +CMS/+CME errors shaped by CMEE, with a count and a RegExp", async () => {
    const t = await ready();
    t.modem.injectFault({ match: /^AT\+CMGR=\d+$/, reply: "cms:500", times: 2 });
    t.modem.injectFault({ match: "AT+CPIN?", reply: "cme:10" });
    expect(await t.command("AT+CMGR=1")).to.equal("\r\nERROR\r\n");
    await t.command("AT+CMEE=1");
    expect(await t.command("AT+CMGR=1")).to.equal("\r\n+CMS ERROR: 500\r\n");
    expect(await t.command("AT+CMGR=1")).to.equal("\r\nOK\r\n");
    await t.command("AT+CMEE=2");
    expect(await t.command("AT+CPIN?")).to.equal("\r\n+CME ERROR: SIM not inserted\r\n");
    expect(await t.command("AT+CPIN?")).to.equal("\r\n+CPIN: READY\r\n\r\nOK\r\n");
  });

  it("'timeout' swallows the command: no answer, and the next command works", async () => {
    const t = await ready();
    t.modem.injectFault({ match: "AT", reply: "timeout" });
    expect(await t.command("AT", FINAL, 10_000)).to.equal("");
    expect(await t.command("AT")).to.equal("\r\nOK\r\n");
    expect(t.modem.commandsReceived).to.equal(5); // ATE0, CMGF, CNMI, AT, AT
  });

  it("a command-stage fault on AT+CMGS gives no prompt; a submit-stage fault fails after Ctrl-Z", async () => {
    const t = await ready();
    await t.command("AT+CMEE=1");
    t.modem.injectFault({ match: "AT+CMGS", reply: "cms:42" });
    expect(await t.command(`AT+CMGS="${OWNER_NUMBER}"`)).to.equal("\r\n+CMS ERROR: 42\r\n");
    t.modem.injectFault({ match: "AT+CMGS", reply: "cms:332", stage: "submit" });
    expect(await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/)).to.equal("\r\n> ");
    t.write("lost\x1a");
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMS ERROR: 332\r\n");
    t.modem.injectFault({ match: "AT+CMGS", reply: "timeout", stage: "submit" });
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("lost too\x1a");
    expect(await t.waitFor(FINAL, 70_000)).to.equal("");
    expect(await t.command("AT")).to.equal("\r\nOK\r\n");
    expect(t.network.log).to.deep.equal([]);
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.write("works\x1a");
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMGS: 0\r\n\r\nOK\r\n");
  });

  it("refuses data-bearer commands with ERROR and records them", async () => {
    const t = await ready();
    const forbidden = [
      "AT+CGACT=1,1",
      "AT+NETOPEN",
      'AT+CIPSTART="TCP","evil.example",80',
      "AT+HTTPINIT",
      'AT+HTTPPARA="URL","http://x"',
      'AT+QIOPEN=1,0,"TCP","1.2.3.4",80',
      "ATD*99#",
      "AT+CSQ;+CIPOPEN=0",
    ];
    for (const command of forbidden) expect(await t.command(command)).to.equal("\r\nERROR\r\n");
    expect(t.modem.forbiddenCommands.map((f) => f.command)).to.deep.equal(forbidden);
    await t.command("AT+CSQ");
    await t.command("AT+CGDCONT?");
    expect(t.modem.forbiddenCommands).to.have.length(forbidden.length);
  });

  it("sendGarbage and emitUrc write bytes at once, even inside a prompt", async () => {
    const t = await ready();
    t.modem.sendGarbage(Uint8Array.of(0xff, 0x00, 0x41));
    await t.clock.runFor(10);
    expect(t.received).to.equal("\xff\x00A");
    t.received = "";
    await t.command(`AT+CMGS="${OWNER_NUMBER}"`, /> $/);
    t.modem.emitUrc("RING");
    await t.clock.runFor(10);
    expect(t.received).to.equal("\r\n> \r\nRING\r\n");
  });

  it("buffers input that arrives while a command executes", async () => {
    const t = await ready();
    t.write("AT\rAT+CSQ\rAT\r");
    await t.clock.runFor(1000);
    expect(t.received).to.equal("\r\nOK\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n\r\nOK\r\n");
  });

  it("answers ERROR to an over-long line and skips noise before AT", async () => {
    const t = await ready();
    expect(await t.command(`AT+${"X".repeat(600)}`)).to.equal("\r\nERROR\r\n");
    expect(await t.command("\x00\x00 AT")).to.equal("\r\nOK\r\n");
    t.received = "";
    t.write("AT+CSQ\x08\x08Q\r");
    await t.waitFor(FINAL);
    expect(t.received).to.equal("\r\nERROR\r\n"); // "AT+CQ": backspace edits the line
  });

  it("SMS text is data: quotes, CR and 'AT' inside a message never become commands", async () => {
    const t = await ready();
    t.owner.send(t.modem.number, 'AT+CMGS="+19995550000"\r\nOK\r\n\x1a');
    await t.waitFor(/\+CMTI/);
    const reply = await t.command("AT+CMGR=1");
    // Not GSM-encodable (0x1A) → UCS2 hex: nothing in it looks like a line.
    expect(reply).to.match(/\r\n0041005400/);
    expect(t.modem.forbiddenCommands).to.deep.equal([]);
    expect(t.network.log).to.have.length(1);
  });
});

import { expect } from "chai";
import { VirtualPhone } from "../../../host-sim/modem/phone.ts";
import { FINAL, MODEM_NUMBER, OWNER_NUMBER, Terminal, type TerminalOptions } from "./terminal.ts";
import { oracleDecodeDeliver, oracleEncodeSubmit } from "./pdu-oracle.ts";

/** Boot, echo off, PDU mode (the power-on default), CNMI 2,1; clock at 15 s. */
async function ready(options: TerminalOptions = {}): Promise<Terminal> {
  const t = new Terminal(options);
  await t.boot();
  await t.command("ATE0");
  await t.command("AT+CMEE=1");
  await t.command("AT+CNMI=2,1,0,0,0");
  await t.clock.runUntil(15_000);
  t.received = "";
  return t;
}

/** The PDU line(s) of a +CMGR / +CMGL answer. */
function pdusOf(answer: string): Array<{ header: string; pdu: string }> {
  const out: Array<{ header: string; pdu: string }> = [];
  const lines = answer.split("\r\n");
  for (let i = 0; i < lines.length; i++) if (/^\+CMG[RL]: /.test(lines[i]!)) out.push({ header: lines[i]!, pdu: lines[i + 1]! });
  return out;
}

async function sendPdu(t: Terminal, pdu: { hex: string; tpduLength: number }): Promise<string> {
  const prompt = await t.command(`AT+CMGS=${pdu.tpduLength}`, /> $|ERROR[^\r]*\r\n$/);
  if (!prompt.endsWith("> ")) return prompt;
  t.write(`${pdu.hex}\x1a`);
  return t.waitFor(FINAL, 70_000);
}

describe("host-sim VirtualModem: PDU mode (CMGF=0)", () => {
  it("CMGR shows '<stat>,,<length>' and the SMSC + SMS-DELIVER PDU; reading marks it read", async () => {
    const t = await ready();
    t.owner.send(MODEM_NUMBER, "Where are you?");
    expect(await t.waitFor(/\r\n$/)).to.equal('\r\n+CMTI: "SM",1\r\n');
    const answer = await t.command("AT+CMGR=1");
    const [entry] = pdusOf(answer);
    expect(answer.endsWith("\r\nOK\r\n")).to.equal(true);
    const d = oracleDecodeDeliver(entry!.pdu);
    expect(entry!.header).to.equal(`+CMGR: 0,,${entry!.pdu.length / 2 - 8}`); // SMSC "07914180550500F0" is 8 octets
    expect(d).to.include({ smsc: "+14085550000", from: OWNER_NUMBER, toa: 0x91, pid: 0, dcs: 0, fo: 0x04, text: "Where are you?", udl: 14 });
    expect(d.scts).to.deep.equal([26, 11, 24, 22, 15, 15, 0]);
    expect(pdusOf(await t.command("AT+CMGR=1"))[0]!.header).to.match(/^\+CMGR: 1,,/);
  });

  it("CMGL=4 lists every entry as PDU; CMGL with no argument lists the unread; text arguments are refused", async () => {
    const t = await ready();
    const other = new VirtualPhone(t.network, "+14085550177");
    t.owner.send(MODEM_NUMBER, "one");
    other.send(MODEM_NUMBER, "two");
    await t.waitFor(/\+CMTI: "SM",2\r\n$/);
    const unread = pdusOf(await t.command("AT+CMGL"));
    expect(unread.map((e) => e.header.replace(/,\d+$/, ""))).to.deep.equal(["+CMGL: 1,0,", "+CMGL: 2,0,"]);
    expect(unread.map((e) => oracleDecodeDeliver(e.pdu).text)).to.deep.equal(["one", "two"]);
    const all = pdusOf(await t.command("AT+CMGL=4"));
    expect(all.map((e) => e.header.split(",")[1])).to.deep.equal(["1", "1"]);
    expect(oracleDecodeDeliver(all[1]!.pdu).from).to.equal("+14085550177");
    expect(await t.command('AT+CMGL="ALL"')).to.equal("\r\n+CMS ERROR: 302\r\n");
    expect(await t.command("AT+CMGL=0")).to.equal("\r\nOK\r\n");
  });

  it("UCS-2 when a character is outside GSM-7; alphanumeric sender (TON 5); SCTS with a negative zone", async () => {
    const t = await ready({ network: { timeZoneQuarterHours: -28 } });
    t.network.submit("InfoBANK", MODEM_NUMBER, "Привет €");
    await t.waitFor(/\+CMTI/);
    const d = oracleDecodeDeliver(pdusOf(await t.command("AT+CMGR=1"))[0]!.pdu);
    expect(d).to.include({ toa: 0xd0, from: "InfoBANK", dcs: 0x08, text: "Привет €", udl: 16 });
    expect(d.scts).to.deep.equal([26, 11, 24, 15, 15, 15, -28]); // 22:15:15 UTC at UTC-7
  });

  it("a long GSM-7 text arrives as concatenated parts (8-bit ref, UDH + 1 fill bit), one +CMTI per slot", async () => {
    const t = await ready();
    const text = "0123456789".repeat(31) + "@end"; // 314 septets → 153 + 153 + 8
    t.owner.send(MODEM_NUMBER, text);
    expect(await t.waitFor(/"SM",3\r\n$/)).to.equal('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n\r\n+CMTI: "SM",3\r\n');
    const parts = pdusOf(await t.command("AT+CMGL=4")).map((e) => oracleDecodeDeliver(e.pdu));
    expect(parts.map((p) => p.fo)).to.deep.equal([0x44, 0x44, 0x44]);
    const ref = parts[0]!.udh[2]!;
    expect(parts.map((p) => p.udh)).to.deep.equal([1, 2, 3].map((seq) => [0x00, 0x03, ref, 3, seq]));
    expect(parts.map((p) => p.udl)).to.deep.equal([160, 160, 15]);
    expect(parts.map((p) => p.text).join("")).to.equal(text);
    expect(t.modem.storedMessages().map((m) => m.part?.seq)).to.deep.equal([1, 2, 3]);
    expect(t.network.log[0]!.status).to.equal("delivered");
  });

  it("UCS-2 parts with a 16-bit reference can arrive out of order", async () => {
    const t = await ready();
    const text = "Ж".repeat(100); // 100 units → 66 + 34
    t.network.submit(OWNER_NUMBER, MODEM_NUMBER, text, { delivery: { refBits: 16, partOrder: "reverse" } });
    await t.waitFor(/"SM",2\r\n$/);
    const parts = pdusOf(await t.command("AT+CMGL=4")).map((e) => oracleDecodeDeliver(e.pdu));
    expect(parts.map((p) => p.udh.slice(0, 2).concat(p.udh.slice(4)))).to.deep.equal([
      [0x08, 0x04, 2, 2],
      [0x08, 0x04, 2, 1],
    ]);
    expect(parts.map((p) => p.text.length)).to.deep.equal([34, 66]);
    expect(parts[1]!.text + parts[0]!.text).to.equal(text);
  });

  it("a long text that does not fit is partly stored; the rest follows after CMGD", async () => {
    const t = await ready({ modem: { storageSlots: 2 } });
    t.owner.send(MODEM_NUMBER, "x".repeat(400)); // 3 parts
    await t.clock.runFor(3000);
    expect(t.modem.storageUse()).to.deep.equal({ used: 2, total: 2 });
    expect(t.network.log[0]).to.include({ status: "waiting", lastFailure: "memory-full" });
    await t.command("AT+CMGD=1");
    expect(await t.waitFor(/\r\n$/)).to.equal('\r\n+CMTI: "SM",1\r\n');
    expect(t.network.log[0]!.status).to.equal("delivered");
    expect(t.modem.storedMessages().map((m) => m.part?.seq)).to.deep.equal([3, 2]);
  });

  it("CMGS=<length>: '> ', PDU + Ctrl-Z → +CMGS: <mr>; the phone gets the text (classic vector included)", async () => {
    const t = await ready();
    expect(await sendPdu(t, oracleEncodeSubmit(OWNER_NUMBER, "Lat 37.33 @ home"))).to.equal("\r\n+CMGS: 0\r\n\r\nOK\r\n");
    // dreamfabric.com's classic SMS-SUBMIT: "hellohello" to +46708251358.
    new VirtualPhone(t.network, "+46708251358");
    expect(await sendPdu(t, { hex: "0011000B916407281553F80000AA0AE8329BFD4697D9EC37", tpduLength: 23 })).to.equal("\r\n+CMGS: 1\r\n\r\nOK\r\n");
    await t.clock.runFor(3000);
    expect(t.network.log.map((r) => [r.to, r.text])).to.deep.equal([
      [OWNER_NUMBER, "Lat 37.33 @ home"],
      ["+46708251358", "hellohello"],
    ]);
    expect(t.owner.inbox.map((m) => m.text)).to.deep.equal(["Lat 37.33 @ home"]);
  });

  it("CMGS reassembles concatenated GSM-7 (8-bit ref) and UCS-2 (16-bit ref) parts; parts are recorded", async () => {
    const t = await ready();
    const a = "A".repeat(153);
    const b = "B".repeat(20);
    await sendPdu(t, oracleEncodeSubmit(OWNER_NUMBER, b, { concat: { ref: 7, total: 2, seq: 2 } })); // out of order
    expect(t.network.log).to.deep.equal([]);
    expect(t.network.incompleteParts()).to.have.length(1);
    expect(await sendPdu(t, oracleEncodeSubmit(OWNER_NUMBER, a, { concat: { ref: 7, total: 2, seq: 1 } }))).to.equal("\r\n+CMGS: 1\r\n\r\nOK\r\n");
    expect(t.network.log).to.have.length(1);
    expect(t.network.log[0]!.text).to.equal(a + b);
    expect(t.network.log[0]!.parts!.map((p) => [p.seq, p.refBits, p.ref])).to.deep.equal([
      [1, 8, 7],
      [2, 8, 7],
    ]);
    await sendPdu(t, oracleEncodeSubmit(OWNER_NUMBER, "Привет, ", { ucs2: true, concat: { ref: 0x1234, total: 2, seq: 1, bits16: true } }));
    await sendPdu(t, oracleEncodeSubmit(OWNER_NUMBER, "мир", { ucs2: true, concat: { ref: 0x1234, total: 2, seq: 2, bits16: true } }));
    await t.clock.runFor(3000);
    expect(t.owner.inbox.map((m) => m.text)).to.deep.equal([a + b, "Привет, мир"]);
    expect(t.network.partLog).to.have.length(4);
    expect(t.modem.submissions.every((s) => s.confirmed)).to.equal(true);
  });

  it("CMGS refuses a wrong length or a malformed PDU with +CMS ERROR: 304; ESC aborts", async () => {
    const t = await ready();
    const good = oracleEncodeSubmit(OWNER_NUMBER, "hi");
    expect(await sendPdu(t, { hex: good.hex, tpduLength: good.tpduLength + 1 })).to.equal("\r\n+CMS ERROR: 304\r\n");
    expect(await sendPdu(t, { hex: "00110", tpduLength: 7 })).to.equal("\r\n+CMS ERROR: 304\r\n");
    expect(await sendPdu(t, { hex: "0001", tpduLength: 1 })).to.equal("\r\n+CMS ERROR: 304\r\n");
    await t.command(`AT+CMGS=${good.tpduLength}`, /> $/);
    t.write(`${good.hex}\x1b`);
    expect(await t.waitFor(FINAL)).to.equal("\r\nOK\r\n");
    await t.clock.runFor(5000);
    expect(t.network.log).to.deep.equal([]);
  });

  it("delivers special messages on demand: status report (+CDSI with ds=2), WAP push, flash, binary", async () => {
    const t = await ready();
    await t.command("AT+CNMI=2,1,0,2,0");
    t.received = "";
    t.network.submitSpecial(OWNER_NUMBER, MODEM_NUMBER, "status-report", { mr: 5 });
    t.network.submitSpecial("+14085550123", MODEM_NUMBER, "wap-push");
    t.network.submitSpecial(OWNER_NUMBER, MODEM_NUMBER, "flash", { text: "Flash!" });
    t.network.submitSpecial(OWNER_NUMBER, MODEM_NUMBER, "binary", { data: [0x1a, 0x0d, 0x0a, 0x41], port: 5000 });
    await t.clock.runFor(3000);
    expect(t.received).to.equal('\r\n+CDSI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n\r\n+CMTI: "SM",3\r\n\r\n+CMTI: "SM",4\r\n');
    const entries = pdusOf(await t.command("AT+CMGL=4"));
    expect(entries[0]!.pdu.slice(16, 20)).to.equal("0605"); // SMSC (8 octets), then fo 06 (status report), mr 5
    const wap = oracleDecodeDeliver(entries[1]!.pdu);
    expect(wap).to.include({ dcs: 0x04, fo: 0x44 });
    expect(wap.udh).to.deep.equal([0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0]);
    expect(wap.octets.slice(0, 2)).to.deep.equal([0x01, 0x06]); // WSP push
    expect(oracleDecodeDeliver(entries[2]!.pdu)).to.include({ dcs: 0x10, text: "Flash!" });
    const bin = oracleDecodeDeliver(entries[3]!.pdu);
    expect(bin).to.include({ dcs: 0x04 });
    expect(bin.octets).to.deep.equal([0x1a, 0x0d, 0x0a, 0x41]);
    // Text mode shows 8-bit data as hex (never raw control bytes) and the status report's own header.
    await t.command("AT+CMGF=1");
    expect(await t.command("AT+CMGR=4")).to.match(/\r\n060504138800001A0D0A41\r\n\r\nOK\r\n$/);
    expect(await t.command("AT+CMGR=1")).to.match(/^\r\n\+CMGR: "REC READ",6,5,"\+14085550199",145,"26\/11\/24,22:15:1\d\+00","26\/11\/24,22:15:1\d\+00",0\r\n\r\nOK\r\n$/);
  });

  it("deliverRaw stores any hand-made PDU and announces it", async () => {
    const t = await ready();
    const index = t.modem.deliverRaw("0404D0C2220000621142225151000341E110"); // by hand: from TON 5 "BE", GSM-7 "ABC"
    expect(index).to.equal(1);
    expect(await t.waitFor(/\r\n$/)).to.equal('\r\n+CMTI: "SM",1\r\n');
    const d = oracleDecodeDeliver(pdusOf(await t.command("AT+CMGR=1"))[0]!.pdu);
    expect(d).to.include({ text: "ABC", from: "BE", toa: 0xd0 });
  });

  it("CNMI mt=2 routes messages straight to the TE as +CMT (PDU and text), not stored", async () => {
    const t = await ready();
    await t.command("AT+CNMI=2,2,0,0,0");
    t.received = "";
    t.owner.send(MODEM_NUMBER, "direct");
    const urc = await t.waitFor(/\+CMT: [^\r]*\r\n[0-9A-F]+\r\n$/);
    const pdu = urc.split("\r\n")[2]!;
    expect(urc).to.match(/^\r\n\+CMT: ,\d+\r\n/);
    expect(oracleDecodeDeliver(pdu).text).to.equal("direct");
    await t.command("AT+CMGF=1");
    t.received = "";
    t.owner.send(MODEM_NUMBER, "text too");
    expect(await t.waitFor(/text too\r\n$/)).to.match(/^\r\n\+CMT: "\+14085550199","","26\/11\/24,22:15:\d\d\+00"\r\ntext too\r\n$/);
    expect(t.modem.storedMessages()).to.deep.equal([]);
  });

  it("text mode shows a concatenated part as hex user data (UDH included), per 27.005", async () => {
    const t = await ready();
    await t.command("AT+CMGF=1");
    await t.command("AT+CSDH=1");
    t.owner.send(MODEM_NUMBER, "y".repeat(170));
    await t.waitFor(/"SM",2\r\n$/);
    const answer = await t.command("AT+CMGR=2");
    expect(answer).to.match(/^\r\n\+CMGR: "REC UNREAD","\+14085550199","","[^"]+",145,68,0,0,"\+14085550000",145,\d+\r\n050003[0-9A-F]{2}0202[0-9A-F]+\r\n\r\nOK\r\n$/);
  });

  it("CMGW stores for sending (PDU and text); a full write storage answers +CMS ERROR: 322", async () => {
    const t = await ready({ modem: { storageSlots: 2 } });
    const pdu = oracleEncodeSubmit(OWNER_NUMBER, "draft");
    await t.command(`AT+CMGW=${pdu.tpduLength}`, /> $/);
    t.write(`${pdu.hex}\x1a`);
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMGW: 1\r\n\r\nOK\r\n");
    await t.command("AT+CMGF=1");
    await t.command(`AT+CMGW="${OWNER_NUMBER}"`, /> $/);
    t.write("draft 2\x1a");
    expect(await t.waitFor(FINAL)).to.equal("\r\n+CMGW: 2\r\n\r\nOK\r\n");
    expect(await t.command(`AT+CMGW="${OWNER_NUMBER}"`)).to.equal("\r\n+CMS ERROR: 322\r\n");
    expect(await t.command('AT+CMGL="STO UNSENT"')).to.equal(`\r\n+CMGL: 1,"STO UNSENT","${OWNER_NUMBER}",""\r\ndraft\r\n+CMGL: 2,"STO UNSENT","${OWNER_NUMBER}",""\r\ndraft 2\r\n\r\nOK\r\n`);
  });
});

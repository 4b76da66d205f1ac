import { expect } from "chai";
import { AtChat } from "../../src/modem/at-chat.ts";
import { SmsInbox, type SmsHandler } from "../../src/sms/sms-inbox.ts";
import type { ReceivedSms } from "../../src/sms/sms.ts";
import { FakeClock, FakePort, RecordingLogger } from "../modem/fakes.ts";
import { OK, ScriptedModem, codes, type Answer } from "./scripted-modem.ts";
import { encodeDeliverParts, encodeSmsc, toHex } from "../../host-sim/modem/pdu.ts";

const OWNER = "+14085550199";
/** SCTS 2024-03-05 14:30:00 at +08 quarter hours (UTC+2) = 12:30:00 UTC. */
const SCTS = "24/03/05,14:30:00+08";
const SCTS_UTC_MS = Date.UTC(2024, 2, 5, 12, 30, 0);

interface StoredSms {
  sender: string;
  /** Body as GSM-7 codes, one char per byte. */
  body: string;
  /** Service-centre time stamp as shown (default SCTS); "" for an unreadable one. */
  scts?: string;
}

/** +CMGR answer in text mode with AT+CSDH=1 (all header fields). */
function cmgrAnswer(sms: StoredSms): string {
  return (
    `\r\n+CMGR: "REC UNREAD","${sms.sender}","","${sms.scts ?? SCTS}",145,4,0,0,"+14085550000",145,${sms.body.length}\r\n` +
    `${sms.body}\r\n` +
    OK
  );
}

interface Harness {
  clock: FakeClock;
  log: RecordingLogger;
  chat: AtChat;
  inbox: SmsInbox;
  modem: ScriptedModem;
  store: Map<number, StoredSms>;
  handled: ReceivedSms[];
  /** Overrides for single commands (return undefined to fall through to the default). */
  overrides: Map<string, (count: number) => Answer | undefined>;
  cmti(index: number): void;
  run(ms?: number): void;
}

function setup(handler?: SmsHandler): Harness {
  const port = new FakePort();
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const chat = new AtChat(port, clock, log);
  const store = new Map<number, StoredSms>();
  const handled: ReceivedSms[] = [];
  const overrides = new Map<string, (count: number) => Answer | undefined>();
  const inbox = new SmsInbox(
    chat,
    clock,
    log,
    handler ??
      ((sms, done) => {
        handled.push(sms);
        done();
      }),
  );
  chat.onUrc = (line) => {
    inbox.handleUrc(line);
  };
  const modem = new ScriptedModem(port, clock, {
    command(command, count) {
      const override = overrides.get(command)?.(count);
      if (override !== undefined) return override;
      let m = /^AT\+CMGR=(\d+)$/.exec(command);
      if (m) {
        const sms = store.get(Number(m[1]));
        return sms ? cmgrAnswer(sms) : OK;
      }
      m = /^AT\+CMGD=(\d+)$/.exec(command);
      if (m) {
        store.delete(Number(m[1]));
        return OK;
      }
      if (command === 'AT+CMGL="ALL"') {
        let text = "\r\n";
        for (const [index, sms] of store) text += `+CMGL: ${index},"REC UNREAD","${sms.sender}","","${SCTS}",145,${sms.body.length}\r\n${sms.body}\r\n`;
        return text + OK;
      }
      return "\r\nERROR\r\n";
    },
  });
  const h: Harness = {
    clock,
    log,
    chat,
    inbox,
    modem,
    store,
    handled,
    overrides,
    cmti: (index) => modem.urc(`\r\n+CMTI: "SM",${index}\r\n`),
    run: (ms = 1000) => clock.advance(ms),
  };
  return h;
}

describe("sms/SmsInbox", () => {
  it("+CMTI → AT+CMGR=n → handler gets index, sender, text and UTC time → AT+CMGD=n after done()", () => {
    let release: (() => void) | undefined;
    const received: ReceivedSms[] = [];
    const h = setup((sms, done) => {
      received.push(sms);
      release = done;
    });
    h.store.set(3, { sender: OWNER, body: "WHERE" });
    h.cmti(3);
    h.run();
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=3"]);
    expect(received).to.deep.equal([{ index: 3, sender: OWNER, senderTon: 1, text: "WHERE", sentUtcMs: SCTS_UTC_MS, complete: true }]);
    // Nothing is deleted before the handler says so.
    h.run(10_000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=3"]);
    release!();
    h.run();
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=3", "AT+CMGD=3"]);
    expect(h.store.has(3)).to.equal(false);
    expect(h.inbox.stats).to.deep.include({ received: 1, deleted: 1, readFailures: 0 });
  });

  it("a body reading OK or +CMTI is data: the handler gets it as text and no phantom index is read", () => {
    const h = setup();
    h.store.set(1, { sender: OWNER, body: "OK" });
    h.store.set(2, { sender: OWNER, body: '+CMTI: "SM",9' });
    h.store.set(9, { sender: OWNER, body: "must never be read" });
    h.cmti(1);
    h.cmti(2);
    h.run(5000);
    expect(h.handled.map((s) => [s.index, s.text])).to.deep.equal([
      [1, "OK"],
      [2, '+CMTI: "SM",9'],
    ]);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=1", "AT+CMGD=1", "AT+CMGR=2", "AT+CMGD=2"]);
    expect(h.modem.commands).to.not.include("AT+CMGR=9");
  });

  it("a body with line breaks is read whole by its length: lines that look like results or indications stay text", () => {
    const h = setup();
    const urcs: string[] = [];
    h.chat.onUrc = (line) => {
      urcs.push(line);
      h.inbox.handleUrc(line);
    };
    const bodies = ["WHERE\r\nOK\r\n", "hi\nRDY", "x\nNORMAL POWER DOWN", "x\n+CPIN: NOT READY", 'x\n+CMTI: "SM",7', "a\r\n\r\nOK\r\n\r\nERROR"];
    bodies.forEach((body, i) => h.store.set(i + 1, { sender: OWNER, body }));
    h.store.set(7, { sender: OWNER, body: "must never be read" });
    for (let i = 1; i <= bodies.length; i++) h.cmti(i);
    h.run(20_000);
    expect(h.handled.map((s) => s.text)).to.deep.equal(bodies);
    expect(h.modem.commands.filter((c) => c.startsWith("AT+CMGR"))).to.deep.equal(bodies.map((_, i) => `AT+CMGR=${i + 1}`));
    expect(h.modem.commands).to.not.include("AT+CMGR=7");
    expect(urcs.filter((u) => !u.startsWith("+CMTI"))).to.deep.equal([]);
    expect(h.inbox.stats).to.deep.include({ received: bodies.length, readFailures: 0 });
  });

  it("the store sweep (AT+CMGL) reads each listed body by its length: a listed-looking line inside one adds no index", () => {
    const h = setup();
    h.store.set(2, { sender: OWNER, body: 'x\r\n+CMGL: 9,"REC UNREAD","+14085550199","","24/03/05,14:30:00+08",145,1\r\nOK' });
    h.store.set(4, { sender: OWNER, body: "WHERE" });
    h.inbox.sweep();
    h.run(20_000);
    expect(h.modem.commands.filter((c) => c.startsWith("AT+CMGR"))).to.deep.equal(["AT+CMGR=2", "AT+CMGR=4"]);
    expect(h.handled.map((s) => s.index)).to.deep.equal([2, 4]);
  });

  it("decodes GSM-7 body bytes: 0x00 → '@', 0x01 → '£', 0x1B 0x65 → '€'", () => {
    const h = setup();
    // "a@b £5 €3" in GSM-7 codes.
    h.store.set(4, { sender: OWNER, body: "a" + codes(0x00) + "b " + codes(0x01) + "5 " + codes(0x1b, 0x65) + "3" });
    h.cmti(4);
    h.run();
    expect(h.handled).to.have.length(1);
    expect(h.handled[0]!.text).to.equal("a@b £5 €3");
  });

  it("a message read again (its delete lost) is not handled twice; without a valid time stamp, the same text later is a new command", () => {
    const h = setup();
    // re-delivery: same sender, same valid time stamp, same text → deleted without a second hand-over
    h.store.set(1, { sender: OWNER, body: "WHERE" });
    h.cmti(1);
    h.run(5000);
    h.store.set(2, { sender: OWNER, body: "WHERE" });
    h.cmti(2);
    h.run(5000);
    expect(h.handled.map((m) => m.index)).to.deep.equal([1]);
    expect(h.inbox.stats.duplicates).to.equal(1);
    // an unreadable time stamp (NaN): three WHEREs ten minutes apart are three commands
    for (const index of [3, 4, 5]) {
      h.store.set(index, { sender: OWNER, body: "WHERE", scts: "" });
      h.cmti(index);
      h.run(600_000);
    }
    expect(h.handled.map((m) => m.index)).to.deep.equal([1, 3, 4, 5]);
    expect(h.handled.slice(1).every((m) => Number.isNaN(m.sentUtcMs))).to.equal(true);
  });

  it("duplicate +CMTI for the same index reads it once", () => {
    let release: (() => void) | undefined;
    const h = setup((sms, done) => {
      h.handled.push(sms);
      release = done;
    });
    h.store.set(5, { sender: OWNER, body: "WHERE" });
    h.cmti(5);
    h.cmti(5);
    h.run(10);
    h.cmti(5); // again while the read is in flight
    h.run(1000);
    h.cmti(5); // again while the handler works on it
    h.run(1000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=5"]);
    release!();
    h.run(5000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=5", "AT+CMGD=5"]);
    expect(h.handled).to.have.length(1);
  });

  for (const failure of ["\r\nERROR\r\n", "\r\n+CMS ERROR: 500\r\n"]) {
    it(`read failure (${failure.trim()}) is retried after 2 s, then succeeds`, () => {
      const h = setup();
      h.store.set(6, { sender: OWNER, body: "WHERE" });
      h.overrides.set("AT+CMGR=6", (count) => (count === 1 ? failure : undefined));
      h.cmti(6);
      h.run(100);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=6"]);
      expect(h.handled).to.have.length(0);
      h.run(1800); // not yet 2 s after the failure
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=6"]);
      h.run(500);
      const reads = h.modem.received.filter((r) => r.command === "AT+CMGR=6");
      expect(reads).to.have.length(2);
      expect(reads[1]!.atMs - reads[0]!.atMs).to.be.within(2000, 2100);
      h.run(1000);
      expect(h.handled.map((s) => s.text)).to.deep.equal(["WHERE"]);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=6", "AT+CMGR=6", "AT+CMGD=6"]);
      expect(h.inbox.stats.readFailures).to.equal(1);
    });
  }

  it("three read failures → the message is deleted unread and an error is logged", () => {
    const h = setup();
    h.store.set(7, { sender: OWNER, body: "WHERE" });
    h.overrides.set("AT+CMGR=7", () => "\r\n+CMS ERROR: 321\r\n");
    h.cmti(7);
    h.run(20_000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=7", "AT+CMGR=7", "AT+CMGR=7", "AT+CMGD=7"]);
    expect(h.handled).to.have.length(0);
    expect(h.inbox.stats.readFailures).to.equal(3);
    const errors = h.log.entries.filter((e) => e.level === "error" && e.tag === "sms");
    expect(errors).to.have.length(1);
    expect(errors[0]!.message).to.include("7");
  });

  it("empty slot (CMGR answers just OK) → deleted without calling the handler", () => {
    const h = setup();
    h.cmti(8);
    h.run(5000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=8", "AT+CMGD=8"]);
    expect(h.handled).to.have.length(0);
    expect(h.inbox.stats.received).to.equal(0);
  });

  it("sweep() processes every listed message in order and deletes each", () => {
    const h = setup();
    h.store.set(2, { sender: OWNER, body: "first" });
    h.store.set(5, { sender: "+14155550123", body: "second" });
    h.store.set(7, { sender: OWNER, body: "third" });
    h.inbox.sweep();
    h.run(10_000);
    expect(h.modem.commands).to.deep.equal([
      "AT+CPMS?",
      'AT+CMGL="ALL"',
      "AT+CMGR=2",
      "AT+CMGD=2",
      "AT+CMGR=5",
      "AT+CMGD=5",
      "AT+CMGR=7",
      "AT+CMGD=7",
    ]);
    expect(h.handled.map((s) => [s.index, s.sender, s.text])).to.deep.equal([
      [2, OWNER, "first"],
      [5, "+14155550123", "second"],
      [7, OWNER, "third"],
    ]);
    expect(h.store.size).to.equal(0);
    expect(h.inbox.stats.deleted).to.equal(3);
  });

  it("a handler calling done() twice deletes once", () => {
    let late: (() => void) | undefined;
    const received: ReceivedSms[] = [];
    const h = setup((sms, done) => {
      received.push(sms);
      done();
      done();
      late = done;
    });
    h.store.set(1, { sender: OWNER, body: "one" });
    h.store.set(2, { sender: OWNER, body: "two" });
    h.cmti(1);
    h.run(1000);
    late!(); // a third call, after the delete completed
    h.cmti(2);
    h.run(1000);
    late!();
    h.run(1000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=1", "AT+CMGD=1", "AT+CMGR=2", "AT+CMGD=2"]);
    expect(received.map((s) => s.text)).to.deep.equal(["one", "two"]);
    expect(h.inbox.stats.deleted).to.equal(2);
  });

  describe("room for replies (backpressure)", () => {
    it("reads nothing while there is no room for a reply: the messages wait on the SIM, then are all read in order", () => {
      let room = 0;
      const h = setup();
      h.inbox.roomForReplies = () => room;
      for (const i of [1, 2, 3]) {
        h.store.set(i, { sender: OWNER, body: `m${i}` });
        h.cmti(i);
      }
      h.run(60_000);
      expect(h.modem.commands, "not even read (so not marked read)").to.deep.equal([]);
      expect(h.store.size).to.equal(3);
      expect(h.log.lines.filter((l) => l.includes("wait on the SIM"))).to.have.length(1);
      room = 1;
      h.inbox.roomFreed();
      h.run(5000);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["m1", "m2", "m3"]);
      expect(h.store.size).to.equal(0);
    });

    it("keeps room for the partial messages it holds: each may still need a reply when it completes or times out", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      let room = 2;
      h.inbox.roomForReplies = () => room;
      // two first parts held, then a whole message: it needs a third free slot
      const pdus: string[] = [];
      for (const [ref, text] of [[1, "first message, part one of two. ".repeat(6)], [2, "second message, part one of two. ".repeat(6)]] as const) {
        pdus.push(toHex(encodeSmsc("+14085550000")) + toHex(encodeDeliverParts(text, { from: OWNER, sctsUtcMs: SCTS_UTC_MS, zoneQuarterHours: 0, ref })[0]!.tpdu));
      }
      pdus.push(toHex(encodeSmsc("+14085550000")) + toHex(encodeDeliverParts("WHERE", { from: OWNER, sctsUtcMs: SCTS_UTC_MS, zoneQuarterHours: 0 })[0]!.tpdu));
      h.overrides.set("AT+CMGR=1", () => `\r\n+CMGR: 0,,${pdus[0]!.length / 2 - 8}\r\n${pdus[0]}\r\n${OK}`);
      h.overrides.set("AT+CMGR=2", () => `\r\n+CMGR: 0,,${pdus[1]!.length / 2 - 8}\r\n${pdus[1]}\r\n${OK}`);
      h.overrides.set("AT+CMGR=3", () => `\r\n+CMGR: 0,,${pdus[2]!.length / 2 - 8}\r\n${pdus[2]}\r\n${OK}`);
      for (const i of [1, 2, 3]) h.cmti(i);
      h.run(10_000);
      expect(h.modem.commands.filter((c) => c.startsWith("AT+CMGR"))).to.deep.equal(["AT+CMGR=1", "AT+CMGR=2"]);
      room = 3;
      h.inbox.roomFreed();
      h.run(5_000);
      expect(h.modem.commands.filter((c) => c.startsWith("AT+CMGR"))).to.deep.equal(["AT+CMGR=1", "AT+CMGR=2", "AT+CMGR=3"]);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE"]);
    });

    it("done(true): the message stays on the SIM, unremembered, holds reading even when new messages are announced, and is read and handled again once there is room", () => {
      let keep = true;
      const received: string[] = [];
      const h = setup((sms, done) => {
        received.push(sms.text);
        done(keep);
      });
      h.store.set(4, { sender: OWNER, body: "WHERE" });
      h.store.set(5, { sender: OWNER, body: "HELP" });
      h.cmti(4);
      h.run(5000);
      h.cmti(5); // announced after message 4 was kept
      h.run(60_000);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=4"]);
      expect(h.store.has(4)).to.equal(true);
      expect(h.log.lines.filter((l) => /message 4 stays on the SIM until its reply can be queued/.test(l))).to.have.length(1);
      keep = false;
      h.inbox.roomFreed();
      h.run(5_000);
      expect(received, "handled again: not taken for a duplicate").to.deep.equal(["WHERE", "WHERE", "HELP"]);
      expect(h.store.size).to.equal(0);
      expect(h.inbox.stats.duplicates).to.equal(0);
    });
  });

  it("clear() drops queued indexes", () => {
    const h = setup((sms) => h.handled.push(sms)); // never calls done
    for (const i of [1, 2, 3]) h.store.set(i, { sender: OWNER, body: `m${i}` });
    h.cmti(1);
    h.cmti(2);
    h.cmti(3);
    h.run(1000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=1"]);
    h.inbox.clear();
    h.run(30_000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=1"]);
    // The inbox works again afterwards.
    h.cmti(3);
    h.run(1000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=1", "AT+CMGR=3"]);
  });

  it("clear() cancels a pending read retry", () => {
    const h = setup();
    h.store.set(4, { sender: OWNER, body: "x" });
    h.overrides.set("AT+CMGR=4", () => "\r\nERROR\r\n");
    h.cmti(4);
    h.run(500);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=4"]);
    h.inbox.clear();
    h.run(30_000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=4"]);
  });

  it("processes messages strictly one at a time (never a second CMGR in flight or queued)", () => {
    const snapshots: Array<{ busy: boolean; queued: number }> = [];
    const h = setup((sms, done) => {
      h.handled.push(sms);
      snapshots.push({ busy: h.chat.busy, queued: h.chat.queued });
      h.clock.setTimer(done, 500); // the reply takes a while
    });
    for (const i of [11, 12, 13, 14]) h.store.set(i, { sender: OWNER, body: `m${i}` });
    h.cmti(11);
    h.cmti(12);
    h.run(10);
    h.cmti(13);
    h.run(300);
    h.cmti(14);
    // While the first message is in the handler nothing else is asked of the modem.
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=11"]);
    expect(h.chat.busy).to.equal(false);
    expect(h.chat.queued).to.equal(0);
    h.run(10_000);
    expect(h.modem.commands).to.deep.equal([
      "AT+CMGR=11",
      "AT+CMGD=11",
      "AT+CMGR=12",
      "AT+CMGD=12",
      "AT+CMGR=13",
      "AT+CMGD=13",
      "AT+CMGR=14",
      "AT+CMGD=14",
    ]);
    expect(snapshots).to.deep.equal(Array(4).fill({ busy: false, queued: 0 }));
    expect(h.modem.overlaps).to.deep.equal([]);
  });

  it("a sweep reports a full store (AT+CPMS?) and empties it", () => {
    const h = setup();
    for (let i = 1; i <= 3; i++) h.store.set(i, { sender: "+14155550123", body: `spam ${i}` });
    h.overrides.set("AT+CPMS?", () => `\r\n+CPMS: "SM",3,3,"SM",3,3,"SM",3,3\r\n${OK}`);
    h.inbox.sweep();
    h.run(10_000);
    expect(h.inbox.storeUse).to.deep.equal({ used: 3, total: 3 });
    expect(h.log.lines.some((l) => /store full \(3\/3\)/.test(l))).to.equal(true);
    expect(h.store.size).to.equal(0);
    expect(h.handled).to.have.length(3);
  });

  describe("PDU mode", () => {
    // SMS-DELIVER from +14085550199, GSM-7 "WHERE", SCTS 26/11/24 22:15:44 +00.
    const PDU = "07914180550500F0040B914180550591F9000062114222514400055764515A04";
    const cmgr = (pdu: string) => `\r\n+CMGR: 0,,24\r\n${pdu}\r\n${OK}`;

    it("decodes the SMS-DELIVER and hands over sender and text", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      h.overrides.set("AT+CMGR=2", () => cmgr(PDU));
      h.cmti(2);
      h.run(10_000);
      expect(h.handled.map((m) => [m.sender, m.text, m.complete])).to.deep.equal([["+14085550199", "WHERE", true]]);
      expect(h.modem.commands).to.include("AT+CMGD=2");
    });

    it("parts from a sender the app refuses are deleted unheld: they never push a registered sender's parts out", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      h.inbox.acceptsSender = (sender, ton) => sender === OWNER && ton === 1;
      const pdus = (from: string, text: string, ref: number) =>
        encodeDeliverParts(text, { from, sctsUtcMs: SCTS_UTC_MS, zoneQuarterHours: 0, ref }).map((p) => toHex(encodeSmsc("+14085550000")) + toHex(p.tpdu));
      const long = `WHERE are you? ${"long enough for two parts. ".repeat(6)}`;
      const owner = pdus(OWNER, long, 1);
      const slots: string[] = [owner[0]!];
      for (let k = 0; k < 5; k++) slots.push(pdus("+14155550123", `stranger ${k} `.repeat(20), 10 + k)[0]!);
      slots.push(owner[1]!);
      slots.forEach((pdu, i) => h.overrides.set(`AT+CMGR=${i + 1}`, () => cmgr(pdu)));
      slots.forEach((_, i) => h.cmti(i + 1));
      h.run(30_000);
      expect(h.handled.map((m) => [m.sender, m.text, m.complete])).to.deep.equal([[OWNER, long, true]]);
      expect(slots.map((_, i) => h.modem.commands.includes(`AT+CMGD=${i + 1}`))).to.deep.equal(slots.map(() => true));
      expect(h.log.lines.filter((l) => /not registered/.test(l))).to.have.length(5);
    });

    it("port-addressed, binary, class-0 messages, status reports and stored outgoing ones are deleted, never handled as commands", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      const slots = [
        "00440D91945111325476F80004321020304050400B0404025051DEADBEEF00FF", // text-looking data to 8-bit port 80
        "00040D91945111325476F800043210203040504006DEADBEEF00FF", // 8-bit data, no port
        "07912120550501F0040B912120550521F3001042300180035100064676788E0E01", // class 0 "Flash!"
        "07914180550500F0062A0B914180550591F94250607080908A4250607090008A00", // status report
        "0011000B914180550591F90000AA05D7A21B4402", // a stored SMS-SUBMIT
      ];
      slots.forEach((pdu, i) => h.overrides.set(`AT+CMGR=${i + 1}`, () => cmgr(pdu)));
      slots.forEach((_, i) => h.cmti(i + 1));
      h.run(30_000);
      expect(h.handled).to.deep.equal([]);
      expect(h.inbox.stats.ignored).to.equal(5);
      expect(slots.map((_, i) => h.modem.commands.includes(`AT+CMGD=${i + 1}`))).to.deep.equal(slots.map(() => true));
      expect(h.log.lines.filter((l) => / deleted without handling$/.test(l)).map((l) => l.replace(/^.*slot \d+: /, ""))).to.deep.equal([
        "other message to port 80; deleted without handling",
        "binary message; deleted without handling",
        "class-0 (flash) message; deleted without handling",
        "status report; deleted without handling",
        "stored outgoing message; deleted without handling",
      ]);
    });

    it("a PDU garbled on the line is read again, not dropped", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      h.overrides.set("AT+CMGR=2", (count) => cmgr(count === 1 ? PDU.slice(0, 20) + "ZZ" + PDU.slice(22) : PDU));
      h.cmti(2);
      h.run(10_000);
      expect(h.modem.commands.filter((c) => c === "AT+CMGR=2")).to.have.length(2);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE"]);
    });
  });

  it("read timeouts are not counted as attempts: three CMGR timeouts, and the owner's message is still read and answered", () => {
    const h = setup();
    h.store.set(4, { sender: OWNER, body: "WHERE" });
    h.overrides.set("AT+CMGR=4", (count) => (count <= 3 ? null : undefined));
    h.cmti(4);
    h.run(60_000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=4", "AT+CMGR=4", "AT+CMGR=4", "AT+CMGR=4", "AT+CMGD=4"]);
    expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE"]);
    expect(h.log.lines.filter((l) => /attempt 0/.test(l))).to.have.length(3);
    expect(h.log.entries.filter((e) => e.level === "error")).to.deep.equal([]);
  });

  it("slot 0 is a slot like any other: announced or listed, it is read and deleted", () => {
    const h = setup();
    h.store.set(0, { sender: OWNER, body: "WHERE" });
    h.cmti(0);
    h.run(5000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=0", "AT+CMGD=0"]);
    h.store.set(0, { sender: OWNER, body: "HELP" });
    h.inbox.sweep();
    h.run(5000);
    expect(h.modem.commands.slice(2)).to.deep.equal(["AT+CPMS?", 'AT+CMGL="ALL"', "AT+CMGR=0", "AT+CMGD=0"]);
    expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE", "HELP"]);
  });

  it("remembers only the last 16 messages it handled (RAM stays bounded): an older one read again is a new message", () => {
    const h = setup();
    const texts = Array.from({ length: 17 }, (_, k) => `WHERE ${k}`);
    texts.forEach((body, k) => h.store.set(k + 1, { sender: OWNER, body }));
    texts.forEach((_, k) => h.cmti(k + 1));
    h.run(30_000);
    expect(h.handled).to.have.length(17);
    // the deletes were lost (a modem reboot): the first two messages are back in their slots
    h.store.set(1, { sender: OWNER, body: texts[0]! });
    h.store.set(2, { sender: OWNER, body: texts[1]! });
    h.cmti(2);
    h.cmti(1);
    h.run(10_000);
    // message 1 fell out of the memory (17 handled since); message 2 is still remembered
    expect(h.handled.map((m) => m.text).slice(17)).to.deep.equal(["WHERE 0"]);
    expect(h.inbox.stats.duplicates).to.equal(1);
  });

  it("the retry of a failed read waits for its timer: a new indication meanwhile does not read early", () => {
    const h = setup();
    h.store.set(6, { sender: OWNER, body: "WHERE" });
    h.store.set(9, { sender: OWNER, body: "HELP" });
    h.overrides.set("AT+CMGR=6", (count) => (count === 1 ? "\r\nERROR\r\n" : undefined));
    h.cmti(6);
    h.run(100);
    h.cmti(9);
    h.run(1000);
    expect(h.modem.commands).to.deep.equal(["AT+CMGR=6"]);
    h.run(10_000);
    expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE", "HELP"]);
  });

  it("an unreadable +CMTI is taken (not passed on) and logged; other URCs are not the inbox's", () => {
    const h = setup();
    expect(h.inbox.handleUrc('+CMTI: "SM",x')).to.equal(true);
    expect(h.inbox.handleUrc("+CREG: 1")).to.equal(false);
    expect(h.inbox.handleUrc('+CMT: "+14085550199"')).to.equal(false);
    h.run(5000);
    expect(h.modem.commands).to.deep.equal([]);
    expect(h.log.lines.filter((l) => /unreadable \+CMTI/.test(l))).to.have.length(1);
  });

  it("a failed listing is logged and reads nothing; a store with room says nothing", () => {
    const h = setup();
    h.overrides.set("AT+CPMS?", () => '\r\n+CPMS: "SM",3,30,"SM",3,30,"SM",3,30\r\n' + OK);
    h.overrides.set('AT+CMGL="ALL"', () => "\r\n+CMS ERROR: 302\r\n");
    h.inbox.sweep();
    h.run(30_000);
    expect(h.inbox.storeUse).to.deep.equal({ used: 3, total: 30 });
    expect(h.modem.commands).to.deep.equal(["AT+CPMS?", 'AT+CMGL="ALL"']);
    expect(h.log.lines.filter((l) => /listing stored messages failed \(cms-error 302\)/.test(l))).to.have.length(1);
    expect(h.log.lines.filter((l) => /full/.test(l))).to.deep.equal([]);
  });

  it("the inbox queue holds 64 indexes; one more is left for the next sweep, with a warning", () => {
    const h = setup((_sms, _done) => {}); // the first message's reply never gets queued: the queue only grows
    for (let i = 1; i <= 65; i++) h.cmti(i);
    h.run(5000);
    expect(h.log.lines.filter((l) => /inbox queue full; message 65 left for the next sweep/.test(l))).to.have.length(1);
    expect(h.log.lines.filter((l) => /queue full/.test(l))).to.have.length(1);
  });

  describe("PDU mode: parts that never complete", () => {
    const cmgr = (pdu: string) => `\r\n+CMGR: 0,,24\r\n${pdu}\r\n${OK}`;
    it("a part whose partners never come is answered as incomplete once it times out, and nothing more is deleted for it", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      const parts = encodeDeliverParts(`WHERE ${"x".repeat(200)}`, { from: OWNER, sctsUtcMs: SCTS_UTC_MS, zoneQuarterHours: 0, ref: 7 });
      h.overrides.set("AT+CMGR=3", () => cmgr(toHex(encodeSmsc("+14085550000")) + toHex(parts[0]!.tpdu)));
      h.cmti(3);
      h.run(5000);
      expect(h.handled).to.deep.equal([]);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=3", "AT+CMGD=3"]);
      h.run(30 * 60_000);
      expect(h.handled.map((m) => [m.index, m.sender, m.complete])).to.deep.equal([[-1, OWNER, false]]);
      expect(h.handled[0]!.text.startsWith("WHERE")).to.equal(true);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=3", "AT+CMGD=3"]);
      expect(h.log.lines.filter((l) => /message with 1 missing part\(s\) given up; answering it as incomplete/.test(l))).to.have.length(1);
    });
  });

  describe("the edges of reading and deleting", () => {
    const cmgrPdu = (pdu: string) => `\r\n+CMGR: 0,,24\r\n${pdu}\r\n${OK}`;
    const PDU_WHERE = "07914180550500F0040B914180550591F9000062114222514400055764515A04";

    it("what an installer reads in the log over a busy minute: waits, retries, failed deletes, all in order", () => {
      let room = 0;
      const h = setup();
      h.inbox.roomForReplies = () => room;
      h.store.set(1, { sender: OWNER, body: "WHERE" });
      h.store.set(2, { sender: OWNER, body: "HELP" });
      h.overrides.set("AT+CMGR=2", (count) => (count === 1 ? "\r\n+CMS ERROR: 500\r\n" : undefined));
      h.overrides.set("AT+CMGD=1", () => "\r\nERROR\r\n");
      h.cmti(1);
      h.cmti(2);
      h.run(1000);
      room = 5;
      h.inbox.roomFreed();
      h.run(10_000);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE", "HELP"]);
      expect(h.inbox.stats).to.deep.equal({ received: 2, readFailures: 1, deleted: 1, deleteFailures: 1, duplicates: 0, ignored: 0 });
      expect(h.log.lines.filter((l) => l.includes(" sms: "))).to.deep.equal([
        "warn sms: replies cannot be queued now; 1 message(s) wait on the SIM",
        "info sms: room for replies again; reading the waiting messages",
        "warn sms: deleting message 1 failed (error )",
        "warn sms: reading message 2 failed (cms-error 500), attempt 1",
      ]);
    });

    it("a valid +CMTI is taken; its index is read once even when announced 64 times, and a new index still fits", () => {
      const h = setup((_sms, _done) => {}); // the first reply never gets queued: the queue stays as it is
      h.store.set(1, { sender: OWNER, body: "x" });
      expect(h.inbox.handleUrc('+CMTI: "SM",1')).to.equal(true);
      for (let k = 0; k < 64; k++) h.cmti(2);
      h.cmti(3);
      h.run(5000);
      expect(h.log.lines.filter((l) => /queue full/.test(l))).to.deep.equal([]);
    });

    it("a modem reboot during a read (aborted): no retry on its own, nothing counted; the next indication reads again", () => {
      const h = setup();
      h.store.set(3, { sender: OWNER, body: "WHERE" });
      h.overrides.set("AT+CMGR=3", (count) => (count === 1 ? null : undefined));
      h.cmti(3);
      h.run(100);
      h.chat.abortAll();
      h.inbox.clear();
      h.run(30_000);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=3"]);
      expect(h.inbox.stats.readFailures).to.equal(0);
      expect(h.log.lines.filter((l) => /reading message/.test(l))).to.deep.equal([]);
      h.cmti(3);
      h.run(5000);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE"]);
    });

    it("an aborted read without clear() leaves the inbox free for the next message", () => {
      const h = setup();
      h.store.set(3, { sender: OWNER, body: "WHERE" });
      h.overrides.set("AT+CMGR=3", (count) => (count === 1 ? null : undefined));
      h.cmti(3);
      h.run(100);
      h.chat.abortAll();
      h.run(1000);
      h.store.set(4, { sender: OWNER, body: "HELP" });
      h.cmti(4);
      h.run(5000);
      expect(h.handled.map((m) => m.text)).to.include("HELP");
    });

    it("a +CMTI while a delete is in flight waits for it: one command at a time, in order", () => {
      const h = setup();
      h.store.set(1, { sender: OWNER, body: "WHERE" });
      h.store.set(2, { sender: OWNER, body: "HELP" });
      h.overrides.set("AT+CMGD=1", () => null); // the delete hangs until its timeout
      h.cmti(1);
      h.run(1000);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=1", "AT+CMGD=1"]);
      h.cmti(2);
      h.run(1000);
      expect(h.chat.queued, "no read queued behind the delete").to.equal(0);
      h.run(10_000);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=1", "AT+CMGD=1", "AT+CMGR=2", "AT+CMGD=2"]);
    });

    it("the sweep: a full store is reported; one slot short of full, or a store of unknown size, is not", () => {
      for (const [cpms, full] of [
        ['+CPMS: "SM",30,30,"SM",30,30,"SM",30,30', true],
        ['+CPMS: "SM",29,30,"SM",29,30,"SM",29,30', false],
        ['+CPMS: "SM",0,0,"SM",0,0,"SM",0,0', false],
      ] as const) {
        const h = setup();
        h.overrides.set("AT+CPMS?", () => `\r\nSM\r\n${cpms}\r\n${OK}`);
        h.inbox.sweep();
        h.run(30_000);
        const warnings = h.log.lines.filter((l) => /SIM message store full/.test(l));
        expect(warnings, cpms).to.deep.equal(full ? ["warn sms: SIM message store full (30/30): new messages are held back until it is emptied"] : []);
      }
    });

    it("the sweep: an unreadable store answer forgets the last known use", () => {
      const h = setup();
      h.overrides.set("AT+CPMS?", (count) => (count === 1 ? `\r\n+CPMS: "SM",3,30,"SM",3,30,"SM",3,30\r\n${OK}` : `\r\n+CPMS: "SM"\r\n${OK}`));
      h.inbox.sweep();
      h.run(30_000);
      expect(h.inbox.storeUse).to.deep.equal({ used: 3, total: 30 });
      h.inbox.sweep();
      h.run(30_000);
      expect(h.inbox.storeUse).to.equal(undefined);
    });

    it("the sweep: listed indexes that are not whole numbers ≥ 0, or unreadable list lines, are skipped; the rest are read", () => {
      const h = setup();
      h.store.set(6, { sender: OWNER, body: "WHERE" });
      h.overrides.set('AT+CMGL="ALL"', () => `\r\n+CMGL: "x\r\n+CMGL: -1,"REC READ"\r\n+CMGL: 1.5,"REC READ"\r\n+CMGL: 6,"REC UNREAD","${OWNER}","","${SCTS}",145,5\r\nWHERE\r\n${OK}`);
      h.inbox.sweep();
      h.run(30_000);
      expect(h.modem.commands.filter((c) => c.startsWith("AT+CMGR"))).to.deep.equal(["AT+CMGR=6"]);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE"]);
    });

    it("the sweep in PDU mode lists with AT+CMGL=4", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      h.overrides.set("AT+CMGL=4", () => `\r\n+CMGL: 2,0,,24\r\n${PDU_WHERE}\r\n${OK}`);
      h.overrides.set("AT+CMGR=2", () => cmgrPdu(PDU_WHERE));
      h.inbox.sweep();
      h.run(30_000);
      expect(h.modem.commands).to.deep.equal(["AT+CPMS?", "AT+CMGL=4", "AT+CMGR=2", "AT+CMGD=2"]);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE"]);
    });

    it("time limits: 5 s to read and 20 s to list by default; a modem profile's own limits replace them", () => {
      /** When the second read of a silent slot goes out (ms after the first). */
      function retryGap(timeouts?: { readMs: number; deleteMs: number; listMs: number }): number {
        const h = setup();
        if (timeouts) h.inbox.setTimeouts(timeouts);
        h.overrides.set("AT+CMGR=1", () => null);
        h.cmti(1);
        h.run(60_000);
        const reads = h.modem.received.filter((r) => r.command === "AT+CMGR=1");
        return reads[1]!.atMs - reads[0]!.atMs;
      }
      const standard = retryGap();
      expect(retryGap({ readMs: 12_000, deleteMs: 5_000, listMs: 20_000 }) - standard).to.equal(7_000);
      expect(retryGap({ readMs: 5_000, deleteMs: 5_000, listMs: 20_000 })).to.equal(standard);
      // a list that takes 15 s is still read
      const h = setup();
      h.store.set(2, { sender: OWNER, body: "WHERE" });
      h.overrides.set("AT+CPMS?", () => `\r\n+CPMS: "SM",1,30,"SM",1,30,"SM",1,30\r\n${OK}`);
      h.modem.delayMs = 15_000;
      h.inbox.sweep();
      h.run(21_000); // the list answered 15 s after it was asked
      h.modem.delayMs = 20;
      h.run(60_000);
      expect(h.handled.map((m) => m.text)).to.deep.equal(["WHERE"]);
    });

    it("a text-mode header without a sender, or no header at all, is no SMS: deleted without handling", () => {
      const h = setup();
      h.overrides.set("AT+CMGR=1", () => `\r\n+CMGR: "REC UNREAD","","","${SCTS}",145,4,0,0,"+14085550000",145,5\r\nWHERE\r\n${OK}`);
      h.overrides.set("AT+CMGR=2", () => `\r\nWHERE\r\n${OK}`);
      h.cmti(1);
      h.cmti(2);
      h.run(10_000);
      expect(h.handled).to.deep.equal([]);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=1", "AT+CMGD=1", "AT+CMGR=2", "AT+CMGD=2"]);
      expect(h.log.lines.filter((l) => /no readable SMS-DELIVER; deleted without handling/.test(l))).to.have.length(2);
    });

    it("text mode: the sender's type of number comes from <tooa> (TON bits), -1 when the header has none", () => {
      expect(SmsInbox.decode(1, [`+CMGR: "REC UNREAD","ABC","","${SCTS}",208,4,0,0,"+14085550000",145,1`, "x"])?.senderTon).to.equal(5);
      expect(SmsInbox.decode(1, [`+CMGR: "REC UNREAD","${OWNER}","","${SCTS}",145,4,0,0,"+14085550000",145,1`, "x"])?.senderTon).to.equal(1);
      expect(SmsInbox.decode(1, [`+CMGR: "REC UNREAD","${OWNER}","","${SCTS}"`, "x"])?.senderTon).to.equal(-1);
    });

    it("PDU mode: an empty slot, an answer without a header, an unsupported PDU, a PDU with header warnings", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      h.overrides.set("AT+CMGR=1", () => OK);
      h.overrides.set("AT+CMGR=2", () => `\r\n${PDU_WHERE}\r\n${OK}`);
      // DCS 0x20: compressed GSM-7
      h.overrides.set("AT+CMGR=3", () => cmgrPdu("07914180550500F0040B914180550591F9002062114222514400055764515A04"));
      // 8-bit data with an odd port element (a warning), no port: binary
      h.overrides.set("AT+CMGR=4", () => cmgrPdu("00440D91945111325476F80004321020304050400C050403505152DEADBEEF00FF"));
      for (const i of [1, 2, 3, 4]) h.cmti(i);
      h.run(30_000);
      expect(h.handled).to.deep.equal([]);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=1", "AT+CMGD=1", "AT+CMGR=2", "AT+CMGD=2", "AT+CMGR=3", "AT+CMGD=3", "AT+CMGR=4", "AT+CMGD=4"]);
      expect(h.log.lines.filter((l) => /slot \d/.test(l))).to.deep.equal([
        "info sms: slot 1: empty slot; deleted without handling",
        "info sms: slot 2: empty slot; deleted without handling",
        "info sms: slot 3: unsupported PDU (compressed user data (DCS 0x20) is not supported); deleted without handling",
        "warn sms: slot 4: port element 0x04 with length 3 ignored",
        "info sms: slot 4: binary message; deleted without handling",
      ]);
      expect(h.inbox.stats.ignored).to.equal(4);
    });

    it("PDU mode: a PDU garbled every time counts as a failed read: deleted after three", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      h.overrides.set("AT+CMGR=2", () => cmgrPdu(PDU_WHERE.slice(0, 20) + "ZZ" + PDU_WHERE.slice(22)));
      h.cmti(2);
      h.run(30_000);
      expect(h.modem.commands).to.deep.equal(["AT+CMGR=2", "AT+CMGR=2", "AT+CMGR=2", "AT+CMGD=2"]);
      expect(h.log.lines.filter((l) => /^error/.test(l))).to.deep.equal(["error sms: message 2 unreadable after 3 attempts; deleting it"]);
    });

    it("PDU mode: parts are held without being counted as ignored; a one-part 'concatenated' message from anyone is a whole message", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      h.inbox.acceptsSender = () => false;
      const parts = encodeDeliverParts(`WHERE ${"x".repeat(200)}`, { from: OWNER, sctsUtcMs: SCTS_UTC_MS, zoneQuarterHours: 0, ref: 9 });
      h.inbox.acceptsSender = (sender) => sender === OWNER;
      h.overrides.set("AT+CMGR=1", () => cmgrPdu(toHex(encodeSmsc("+14085550000")) + toHex(parts[0]!.tpdu)));
      h.cmti(1);
      h.run(5000);
      expect(h.inbox.stats.ignored).to.equal(0);
      expect(h.log.lines.filter((l) => /slot 1/.test(l))).to.deep.equal([]);
      // UDH 05 00 03 2A 01 01: part 1 of 1, GSM-7 "Hi" after the header (fill bit), from a stranger
      const stranger = "07914180550500F0440B914180550591F800006211422251440009050003" + "2A0101" + "906906";
      h.inbox.acceptsSender = () => false;
      h.overrides.set("AT+CMGR=2", () => cmgrPdu(stranger));
      h.cmti(2);
      h.run(5000);
      expect(h.handled.map((m) => [m.sender, m.complete])).to.deep.equal([["+14085550198", true]]);
    });

    it("PDU mode: a partial message pushed out by newer ones is answered as incomplete at once", () => {
      const h = setup();
      h.inbox.setMode("pdu");
      // the reassembler holds 4 partial messages: a fifth pushes out the oldest
      for (let k = 1; k <= 5; k++) {
        const first = encodeDeliverParts(`message ${k} `.repeat(30), { from: OWNER, sctsUtcMs: SCTS_UTC_MS + k, zoneQuarterHours: 0, ref: k })[0]!;
        h.overrides.set(`AT+CMGR=${k}`, () => cmgrPdu(toHex(encodeSmsc("+14085550000")) + toHex(first.tpdu)));
        h.cmti(k);
      }
      h.run(20_000);
      expect(h.handled.map((m) => [m.index, m.complete, m.text.startsWith("message 1 ")])).to.deep.equal([[-1, false, true]]);
      expect(h.modem.commands.filter((c) => c.startsWith("AT+CMGD"))).to.have.length(5);
    });
  });
});

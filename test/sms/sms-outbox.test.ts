import { expect } from "chai";
import { AtChat } from "../../src/modem/at-chat.ts";
import { SmsOutbox } from "../../src/sms/sms-outbox.ts";
import { encodeGsm7 } from "../../src/codec/gsm7.ts";
import { NETWORK_WAIT_MS, UNCONFIRMED_NOTICE } from "../../src/sms/sms-outbox.ts";
import { decodePdu } from "../../src/sms/pdu/pdu-decode.ts";
import { FakeClock, FakePort, RecordingLogger } from "../modem/fakes.ts";
import { OK, ScriptedModem, type Answer } from "./scripted-modem.ts";

const OWNER = "+14085550199";
const OTHER = "+14155550123";
const PROMPT = "\r\n> ";
const SENT = "\r\n+CMGS: 17\r\n" + OK;

interface Harness {
  port: FakePort;
  clock: FakeClock;
  log: RecordingLogger;
  chat: AtChat;
  outbox: SmsOutbox;
  modem: ScriptedModem;
  reports: Array<{ sent: boolean; reason: string; atMs: number }>;
  send(to: string, text: string): boolean;
}

/**
 * `onCommand`: answer to the AT+CMGS line (default: the prompt); `onPayload`: answer to the body
 * (default: +CMGS: 17 OK). `count` counts per exact command / per body.
 */
function setup(
  onCommand: (command: string, count: number) => Answer = () => PROMPT,
  onPayload: (command: string, body: Uint8Array, count: number) => Answer = () => SENT,
): Harness {
  const port = new FakePort();
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const chat = new AtChat(port, clock, log);
  const outbox = new SmsOutbox(chat, clock, log);
  const modem = new ScriptedModem(port, clock, {
    command: (command, count) => (command.startsWith("AT+CMGS=") ? onCommand(command, count) : "\r\nERROR\r\n"),
    payload: onPayload,
  });
  const reports: Harness["reports"] = [];
  return {
    port,
    clock,
    log,
    chat,
    outbox,
    modem,
    reports,
    send: (to, text) => outbox.send(to, text, (sent, reason) => reports.push({ sent, reason, atMs: clock.monotonicMs() })),
  };
}

function bytes(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

describe("sms/SmsOutbox", () => {
  it('sends AT+CMGS="<number>", then after the prompt the GSM-7 body + Ctrl-Z', () => {
    const h = setup();
    expect(h.send(OWNER, "Hi @ £1")).to.equal(true);
    // Only the command goes out before the prompt.
    expect(h.port.written).to.equal(`AT+CMGS="${OWNER}"\r`);
    h.clock.advance(1000);
    expect(h.modem.commands).to.deep.equal([`AT+CMGS="${OWNER}"`]);
    expect(h.modem.payloads.map((p) => [...p])).to.deep.equal([[...bytes("Hi "), 0x00, 0x20, 0x01, 0x31]]);
    // The raw bytes after the command line: body then exactly one Ctrl-Z at the very end.
    const afterCommand = [...h.port.writes.slice(1).flatMap((w) => [...w])];
    expect(afterCommand).to.deep.equal([...bytes("Hi "), 0x00, 0x20, 0x01, 0x31, 0x1a]);
    expect(h.reports).to.deep.equal([{ sent: true, reason: "", atMs: 40 }]);
    expect(h.outbox.length).to.equal(0);
    expect(h.outbox.stats).to.deep.include({ sent: 1, failed: 0, retries: 0, unconfirmed: 0 });
  });

  it("the body never holds Ctrl-Z or ESC: 'Ξ' (GSM 0x1A) and '€' (needs ESC) become '?'", () => {
    const h = setup();
    h.send(OWNER, "aΞb€c{d}");
    h.clock.advance(1000);
    const payload = [...h.modem.payloads[0]!];
    expect(payload).to.deep.equal(bytes("a?b?c?d?"));
    const raw = [...h.port.writes.slice(1).flatMap((w) => [...w])];
    expect(raw.indexOf(0x1a)).to.equal(raw.length - 1);
    expect(raw).to.not.include(0x1b);
    expect(h.reports).to.have.length(1);
  });

  for (const bad of ["+1", "4085550199", '+1408"555', "+14085550199;AT", "", "+14085550199\r", "+0408555019"]) {
    it(`refuses the destination ${JSON.stringify(bad)} and writes nothing`, () => {
      const h = setup();
      expect(h.send(bad, "WHERE")).to.equal(false);
      h.clock.advance(120_000);
      expect(h.port.writes).to.have.length(0);
      expect(h.outbox.length).to.equal(0);
      expect(h.reports).to.have.length(0);
      expect(h.log.entries.some((e) => e.level === "error" && e.tag === "sms")).to.equal(true);
    });
  }

  it("cuts a 200-character text to 160 septets ending in '...'", () => {
    const h = setup();
    const text = "0123456789".repeat(20);
    h.send(OWNER, text);
    h.clock.advance(1000);
    const payload = h.modem.payloads[0]!;
    expect(payload.length).to.equal(160);
    expect(String.fromCharCode(...payload)).to.equal(text.slice(0, 157) + "...");
    expect(h.reports).to.deep.equal([{ sent: true, reason: "", atMs: 40 }]);
  });

  it("cuts by septets, not characters: extension characters count two (and are '?' here)", () => {
    const h = setup();
    // 159 plain characters + 1 '€' = 161 septets as GSM-7 would count them; '€' is forbidden → '?'.
    h.send(OWNER, "x".repeat(159) + "€");
    h.clock.advance(1000);
    expect(h.modem.payloads[0]!.length).to.equal(160);
    expect(h.modem.payloads[0]![159]).to.equal(0x3f);
  });

  it("+CMS ERROR: 500 is retried after 10 s; success is reported exactly once", () => {
    const h = setup(undefined, (_c, _b, count) => (count === 1 ? "\r\n+CMS ERROR: 500\r\n" : SENT));
    h.send(OWNER, "WHERE reply");
    h.clock.advance(1000);
    expect(h.modem.commands).to.have.length(1);
    expect(h.reports).to.deep.equal([]);
    h.clock.advance(8_000); // 9 s after the failure: not yet
    expect(h.modem.commands).to.have.length(1);
    h.clock.advance(2_000);
    const sends = h.modem.received.filter((r) => r.command.startsWith("AT+CMGS="));
    expect(sends).to.have.length(2);
    expect(sends[1]!.atMs - sends[0]!.atMs).to.be.within(10_000, 10_100);
    h.clock.advance(120_000);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[true, ""]]);
    expect(h.modem.payloads).to.have.length(2);
    expect(h.outbox.stats).to.deep.include({ sent: 1, failed: 0, retries: 1, unconfirmed: 0 });
  });

  it("+CMS ERROR: 1 (unassigned number) is permanent: no retry, failure reported", () => {
    const h = setup(undefined, () => "\r\n+CMS ERROR: 1\r\n");
    h.send(OWNER, "WHERE reply");
    h.clock.advance(120_000);
    expect(h.modem.commands).to.have.length(1);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[false, "cms-error 1"]]);
    expect(h.outbox.length).to.equal(0);
    expect(h.outbox.stats).to.deep.include({ sent: 0, failed: 1, retries: 0, unconfirmed: 0 });
  });

  it("a modem silent for 60 s times out (ESC sent) and the message is retried", () => {
    const h = setup((_c, count) => (count === 1 ? null : PROMPT));
    h.send(OWNER, "WHERE reply");
    h.clock.advance(59_000);
    expect(h.reports).to.have.length(0);
    expect(h.modem.escapes).to.equal(0);
    h.clock.advance(1_000);
    expect(h.modem.escapes).to.equal(1); // the prompt never came: cancel a half-entered message
    h.clock.advance(11_000);
    const sends = h.modem.received.filter((r) => r.command.startsWith("AT+CMGS="));
    expect(sends).to.have.length(2);
    expect(sends[1]!.atMs).to.be.within(70_000, 70_500);
    h.clock.advance(60_000);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[true, ""]]);
    expect(h.modem.payloads).to.have.length(1);
  });

  it("three failures → failure reported and the next queued message is sent", () => {
    const h = setup(undefined, (command) => (command.includes(OWNER) ? "\r\n+CMS ERROR: 500\r\n" : SENT));
    h.send(OWNER, "first");
    h.send(OTHER, "second");
    h.clock.advance(100_000);
    expect(h.modem.commands).to.deep.equal([
      `AT+CMGS="${OWNER}"`,
      `AT+CMGS="${OWNER}"`,
      `AT+CMGS="${OWNER}"`,
      `AT+CMGS="${OTHER}"`,
    ]);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([
      [false, "cms-error 500"],
      [true, ""],
    ]);
    expect(String.fromCharCode(...h.modem.payloads[3]!)).to.equal("second");
    expect(h.outbox.stats).to.deep.include({ sent: 1, failed: 1, retries: 2, unconfirmed: 0 });
    const errors = h.log.entries.filter((e) => e.level === "error");
    expect(errors).to.have.length(1);
    expect(errors[0]!.message).to.not.include(OWNER);
  });

  it("holds at most 16 messages: the 17th is refused, the 16 are all sent", () => {
    const h = setup();
    for (let i = 0; i < 16; i++) expect(h.send(OWNER, `m${i}`), `message ${i}`).to.equal(true);
    expect(h.send(OWNER, "m16")).to.equal(false);
    expect(h.outbox.length).to.equal(16);
    h.clock.advance(10_000);
    expect(h.modem.payloads.map((p) => String.fromCharCode(...p))).to.deep.equal(
      Array.from({ length: 16 }, (_, i) => `m${i}`),
    );
    expect(h.reports).to.have.length(16);
    expect(h.outbox.length).to.equal(0);
    expect(h.send(OWNER, "after")).to.equal(true);
  });

  it("room: how many more it takes; onRoom when a message has left the queue", () => {
    const h = setup();
    h.modem.delayMs = 500;
    let rooms: number[] = [];
    h.outbox.onRoom = () => rooms.push(h.outbox.room);
    expect(h.outbox.room).to.equal(16);
    for (let i = 0; i < 16; i++) h.send(OWNER, `m${i}`);
    expect(h.outbox.room).to.equal(0);
    h.clock.advance(1100); // the first one sent
    expect(rooms).to.deep.equal([1]);
    rooms = [];
    h.clock.advance(60_000);
    expect(rooms).to.deep.equal(Array.from({ length: 15 }, (_, i) => i + 2));
  });

  it("a full queue: the unconfirmed notice takes its message's place (the room freed is not given away first)", () => {
    // the first body is swallowed: not confirmed
    const h = setup(undefined, (_c, _b, count) => (count === 1 ? null : SENT));
    const offered: number[] = [];
    // as the app does on onRoom: fill the room at once
    h.outbox.onRoom = () => {
      offered.push(h.outbox.room);
      while (h.outbox.room > 0) h.send(OTHER, "next reply");
    };
    for (let i = 0; i < 16; i++) h.send(OWNER, `m${i}`);
    h.clock.advance(61_000);
    expect(h.reports[0]!.reason).to.match(/not confirmed/);
    h.clock.advance(600_000);
    const bodies = h.modem.payloads.map((p) => String.fromCharCode(...p));
    expect(bodies[1], "the notice goes next").to.include("may not have been sent");
    expect(bodies.filter((b) => /^m\d+$/.test(b))).to.have.length(16);
    expect(h.log.lines.filter((l) => l.includes("outbox full")), "nothing was refused").to.deep.equal([]);
    expect(offered.every((room) => room > 0)).to.equal(true);
  });

  it("never has two AT+CMGS in flight", () => {
    const h = setup();
    h.modem.delayMs = 700;
    for (const text of ["a", "b", "c"]) h.send(OWNER, text);
    expect(h.modem.commands).to.have.length(1);
    h.clock.advance(1000); // prompt came, body sent, result not yet
    expect(h.modem.commands).to.have.length(1);
    expect(h.chat.queued).to.equal(0);
    h.clock.advance(10_000);
    expect(h.modem.commands).to.have.length(3);
    expect(h.modem.overlaps).to.deep.equal([]);
    // Order on the wire: command, body, command, body, ...
    expect(h.modem.received.map((r) => (r.command === "<payload>" ? "body" : "cmd"))).to.deep.equal([
      "cmd",
      "body",
      "cmd",
      "body",
      "cmd",
      "body",
    ]);
    expect(h.modem.payloads.map((p) => String.fromCharCode(...p))).to.deep.equal(["a", "b", "c"]);
  });

  it("resume() after an abort sends the queued message again", () => {
    let powered = false;
    const h = setup(() => (powered ? PROMPT : null));
    h.send(OWNER, "WHERE reply");
    h.clock.advance(1000);
    h.chat.abortAll(); // modem rebooted
    h.clock.advance(30_000);
    expect(h.modem.commands).to.have.length(1);
    expect(h.outbox.length).to.equal(1);
    expect(h.reports).to.have.length(0);
    powered = true;
    h.outbox.resume();
    h.clock.advance(5_000);
    expect(h.modem.commands).to.have.length(2);
    expect(h.modem.payloads.map((p) => String.fromCharCode(...p))).to.deep.equal(["WHERE reply"]);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[true, ""]]);
    expect(h.outbox.length).to.equal(0);
  });

  it("the encoded body equals encodeGsm7 with Ctrl-Z and ESC forbidden", () => {
    const h = setup();
    const text = "Live GNSS fix, 1 s old:\n37.39110,-122.03783 (+/-5 m)\nÄÖÜ_ß";
    h.send(OWNER, text);
    h.clock.advance(1000);
    expect([...h.modem.payloads[0]!]).to.deep.equal([...encodeGsm7(text, [0x1a, 0x1b])]);
  });

  describe("when the body went out but no result came", () => {
    it("never sends the reply again; the recipient gets one notice instead", () => {
      // The first body is swallowed (no +CMGS result): the modem may have sent it.
      const h = setup(undefined, (_c, _b, count) => (count === 1 ? null : SENT));
      h.send(OWNER, "Live GNSS fix, 1 s old");
      h.clock.advance(61_000);
      expect(h.reports).to.have.length(1);
      expect(h.reports[0]!.sent).to.equal(false);
      expect(h.reports[0]!.reason).to.match(/not confirmed/);
      h.clock.advance(120_000);
      const bodies = h.modem.payloads.map((p) => String.fromCharCode(...p));
      expect(bodies.filter((b) => b.startsWith("Live GNSS fix")), "the reply is written once").to.have.length(1);
      expect(bodies.filter((b) => b.includes("may not have been sent")), "one notice").to.have.length(1);
      expect(h.outbox.stats).to.deep.include({ unconfirmed: 1, sent: 1, failed: 1 });
    });

    it("a notice that is itself unconfirmed is not followed by another notice", () => {
      const h = setup(undefined, () => null);
      h.send(OWNER, "reply");
      h.clock.advance(200_000);
      const bodies = h.modem.payloads.map((p) => String.fromCharCode(...p));
      expect(bodies).to.have.length(2);
      expect(bodies[1]).to.include(UNCONFIRMED_NOTICE.slice(0, 20));
      expect(h.outbox.length).to.equal(0);
    });
  });

  describe("PDU mode", () => {
    it("sends AT+CMGS=<TPDU octets> and a hex SMS-SUBMIT that decodes to the text", () => {
      const h = setup();
      h.outbox.setMode("pdu");
      h.send(OWNER, "Live GNSS fix: 37.33490,-121.88810 €");
      h.clock.advance(5_000);
      expect(h.reports).to.deep.equal([{ sent: true, reason: "", atMs: h.reports[0]!.atMs }]);
      const command = h.modem.commands.find((c) => c.startsWith("AT+CMGS"))!;
      expect(command).to.match(/^AT\+CMGS=\d+$/);
      const hex = String.fromCharCode(...h.modem.payloads[0]!);
      expect(hex).to.match(/^[0-9A-F]+$/);
      expect(Number(command.slice(8))).to.equal(hex.length / 2 - 1); // octets after the SMSC "00"
      const decoded = decodePdu(hex);
      expect(decoded.kind).to.equal("submit");
      if (decoded.kind === "submit") {
        expect(decoded.destination).to.equal(OWNER);
        expect(decoded.text).to.equal("Live GNSS fix: 37.33490,-121.88810 €");
      }
    });

    it("a long or Unicode reply goes as concatenated parts, at most three", () => {
      const h = setup();
      h.outbox.setMode("pdu");
      h.send(OWNER, "Позиция ".repeat(20)); // UCS-2: 160 units → 3 parts of ≤ 67
      h.send(OWNER, "x".repeat(2000)); // would need 14 parts: cut to 3
      h.clock.advance(30_000);
      const parts = h.modem.payloads.map((p) => decodePdu(String.fromCharCode(...p)));
      expect(parts).to.have.length(6);
      const first = parts.slice(0, 3).map((p) => (p.kind === "submit" ? p.concat : undefined));
      expect(first.map((c) => c?.sequence)).to.deep.equal([1, 2, 3]);
      expect(new Set(first.map((c) => c?.reference)).size).to.equal(1);
      expect(parts.slice(0, 3).map((p) => (p.kind === "submit" ? p.text : "")).join("")).to.equal("Позиция ".repeat(20));
      const second = parts.slice(3).map((p) => (p.kind === "submit" ? p.concat : undefined));
      expect(second[0]?.reference).to.not.equal(first[0]?.reference);
      expect(h.reports.map((r) => r.sent)).to.deep.equal([true, true]);
    });
  });

  describe("no network (+CMS ERROR 331/332)", () => {
    it("keeps retrying with backoff while the network is away, without using up attempts, and sends once it is back", () => {
      let networkBack = false;
      const h = setup(undefined, () => (networkBack ? SENT : "\r\n+CMS ERROR: 331\r\n"));
      h.send(OWNER, "reply");
      h.clock.advance(5 * 60_000); // far more than 3 attempts' worth
      expect(h.reports).to.deep.equal([]);
      expect(h.modem.payloads.length).to.be.greaterThan(3);
      networkBack = true;
      h.clock.advance(3 * 60_000);
      expect(h.reports.map((r) => r.sent)).to.deep.equal([true]);
    });

    it("gives up after NETWORK_WAIT_MS and reports the failure", () => {
      const h = setup(undefined, () => "\r\n+CMS ERROR: 331\r\n");
      h.send(OWNER, "reply");
      h.clock.advance(NETWORK_WAIT_MS + 10 * 60_000);
      expect(h.reports).to.have.length(1);
      expect(h.reports[0]!.sent).to.equal(false);
      expect(h.reports[0]!.reason).to.equal("cms-error 331");
    });
  });

  it("pause() holds every message until resume() (the modem is down or being set up)", () => {
    const h = setup();
    h.outbox.pause();
    h.send(OWNER, "held");
    h.clock.advance(60_000);
    expect(h.modem.commands).to.deep.equal([]);
    h.outbox.resume();
    h.clock.advance(5_000);
    expect(h.reports.map((r) => r.sent)).to.deep.equal([true]);
  });
});


describe("sms/SmsOutbox: the edges", () => {
  it("what an installer reads in the log: queued, retried, given up, sent, and the unconfirmed notice", () => {
    let bodies = 0;
    const h = setup(undefined, () => {
      bodies++;
      if (bodies <= 3) return "\r\nERROR\r\n";
      if (bodies === 4) return SENT;
      return null; // the next body goes out and is never confirmed
    });
    h.send(OWNER, "first");
    h.send(OTHER, "second");
    h.send(OWNER, "third");
    h.clock.advance(10 * 60_000);
    expect(h.log.lines.filter((l) => l.includes(" sms: "))).to.deep.equal([
      "info sms: reply queued to +1408***0199",
      "info sms: reply queued to +1415***0123",
      "info sms: reply queued to +1408***0199",
      "warn sms: sending to +1408***0199 failed (error); retrying in 10 s",
      "warn sms: sending to +1408***0199 failed (error); retrying in 10 s",
      "warn sms: giving up on +1408***0199 after 3 attempt(s)",
      "error sms: reply to +1408***0199 failed: error",
      "info sms: reply sent to +1415***0123",
      "warn sms: send to +1408***0199 not confirmed (timeout); not sending it again",
      "info sms: notice queued to +1408***0199",
      "error sms: reply to +1408***0199 failed: not confirmed (timeout)",
      "warn sms: send to +1408***0199 not confirmed (timeout); not sending it again",
      "error sms: notice to +1408***0199 failed: not confirmed (timeout)",
    ]);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([
      [false, "error"],
      [true, ""],
      [false, "not confirmed (timeout)"],
    ]);
  });

  it("a modem profile's longer send limit replaces the 60 s; zero or less keeps it", () => {
    /** When the silent AT+CMGS times out (the ESC), ms after it was sent. */
    function escapeAfter(limitMs?: number): number {
      const h = setup(() => null);
      if (limitMs !== undefined) h.outbox.setSendTimeout(limitMs);
      h.send(OWNER, "x");
      let t = 0;
      while (h.modem.escapes === 0 && t < 300_000) {
        h.clock.advance(1000);
        t += 1000;
      }
      return t;
    }
    expect(escapeAfter()).to.equal(60_000);
    expect(escapeAfter(120_000)).to.equal(120_000);
    expect(escapeAfter(0)).to.equal(60_000);
    expect(escapeAfter(-5)).to.equal(60_000);
  });

  it("a destination with anything before the + is refused", () => {
    const h = setup();
    for (const bad of ["x+14085550199", "1+14085550199", " +14085550199"]) expect(h.send(bad, "x"), bad).to.equal(false);
    expect(h.log.lines.filter((l) => l === "error sms: refusing to send to an invalid number")).to.have.length(3);
    expect(h.send(OWNER, "x")).to.equal(true);
  });

  it("a full queue refuses with a log line that masks the number", () => {
    const h = setup(() => null);
    for (let i = 0; i < 16; i++) h.send(OWNER, `m${i}`);
    expect(h.send(OTHER, "one too many")).to.equal(false);
    expect(h.log.lines.filter((l) => /outbox full/.test(l))).to.deep.equal(["error sms: outbox full; message to +1415***0123 not queued"]);
  });

  it("a report or onRoom that throws is logged and breaks nothing; a send without a report is fine", () => {
    const h = setup();
    h.outbox.onRoom = () => {
      throw new Error("room bug");
    };
    h.outbox.send(OWNER, "a", () => {
      throw new Error("report bug");
    });
    h.outbox.send(OWNER, "b");
    h.clock.advance(10_000);
    expect(h.modem.payloads.map((p) => String.fromCharCode(...p))).to.deep.equal(["a", "b"]);
    expect(h.log.lines.filter((l) => l.startsWith("error"))).to.deep.equal([
      "error sms: send report threw: Error: report bug",
      "error sms: onRoom threw: Error: room bug",
      "error sms: onRoom threw: Error: room bug",
    ]);
  });

  it("a modem reboot after the body went out (aborted, body sent) is unconfirmed: a notice, never the reply again", () => {
    const h = setup(undefined, () => null);
    h.send(OWNER, "reply");
    h.clock.advance(1000);
    expect(h.modem.payloads).to.have.length(1);
    h.chat.abortAll();
    h.clock.advance(0);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[false, "not confirmed (aborted)"]]);
    expect(h.outbox.stats.unconfirmed).to.equal(1);
  });

  it("a modem reboot before the body went out uses up no attempt", () => {
    let body = 0;
    const h = setup(
      (_c, count) => (count === 1 ? null : PROMPT),
      () => (++body === 1 ? "\r\n+CMS ERROR: 500\r\n" : SENT),
    );
    h.send(OWNER, "reply");
    h.clock.advance(1000);
    h.chat.abortAll(); // no prompt yet: aborted before the body
    h.outbox.resume();
    h.clock.advance(60_000);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[true, ""]]);
    expect(h.modem.payloads).to.have.length(2);
  });

  it("+CME ERROR: 10 (no SIM) is not an unassigned number: it is retried", () => {
    const h = setup(undefined, (_c, _b, count) => (count === 1 ? "\r\n+CME ERROR: 10\r\n" : SENT));
    h.send(OWNER, "reply");
    h.clock.advance(60_000);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[true, ""]]);
  });

  for (const code of ["1", "8", "10", "21", "310", "330"]) {
    it(`+CMS ERROR: ${code} is permanent: one try`, () => {
      const h = setup(undefined, () => `\r\n+CMS ERROR: ${code}\r\n`);
      h.send(OWNER, "reply");
      h.clock.advance(120_000);
      expect(h.modem.payloads).to.have.length(1);
      expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[false, `cms-error ${code}`]]);
    });
  }

  for (const cause of ["331", "332", "41", "42", "47", "512", "No network service", "Network timeout"]) {
    it(`+CMS ERROR: ${cause} means no network: waited for with backoff (10, 20, 40, 80 s, then every 120 s), no attempt used`, () => {
      const h = setup(undefined, () => `\r\n+CMS ERROR: ${cause}\r\n`);
      h.send(OWNER, "reply");
      h.clock.advance(10 * 60_000);
      const times = h.modem.received.filter((r) => r.command.startsWith("AT+CMGS")).map((r) => r.atMs);
      const gaps = times.slice(1).map((t, k) => Math.round((t - times[k]!) / 1000));
      expect(gaps.slice(0, 6)).to.deep.equal([10, 20, 40, 80, 120, 120]);
      expect(h.reports).to.deep.equal([]);
      expect(h.log.lines.filter((l) => /no network/.test(l)).slice(0, 2)).to.deep.equal([
        `warn sms: no network for +1408***0199 (cms-error ${cause}); retrying in 10 s`,
        `warn sms: no network for +1408***0199 (cms-error ${cause}); retrying in 20 s`,
      ]);
    });
  }

  it("the 30 minutes of waiting for the network count from the first refusal, not from power-on", () => {
    let refusing = true;
    const h = setup(undefined, () => (refusing ? "\r\n+CMS ERROR: 331\r\n" : SENT));
    h.clock.advance(40 * 60_000);
    h.send(OWNER, "reply");
    h.clock.advance(29 * 60_000);
    expect(h.reports).to.deep.equal([]);
    h.clock.advance(2 * 60_000 + 1000);
    expect(h.reports.map((r) => [r.sent, r.reason])).to.deep.equal([[false, "cms-error 331"]]);
    refusing = false;
  });

  describe("PDU mode", () => {
    it("counts parts sent; only a multi-part message takes a new concatenation reference, one after the other", () => {
      const h = setup();
      h.outbox.setMode("pdu");
      h.send(OWNER, "short");
      h.send(OWNER, "y".repeat(200));
      h.send(OWNER, "z".repeat(200));
      h.clock.advance(30_000);
      const parts = h.modem.payloads.map((p) => decodePdu(String.fromCharCode(...p)));
      const references = parts.map((p) => (p.kind === "submit" ? p.concat?.reference : "?"));
      expect(references).to.deep.equal([undefined, 0, 0, 1, 1]);
      expect(h.outbox.stats.partsSent).to.equal(5);
    });

    it("a text far longer than three parts is cut and ends in '...'; even one longer than 255 parts", () => {
      const h = setup();
      h.outbox.setMode("pdu");
      h.send(OWNER, "x".repeat(153 * 255 + 1));
      h.send(OWNER, "Ж".repeat(300)); // UCS-2: 67 a part
      h.clock.advance(60_000);
      expect(h.reports.map((r) => r.sent)).to.deep.equal([true, true]);
      const texts = h.modem.payloads.map((p) => decodePdu(String.fromCharCode(...p))).map((p) => (p.kind === "submit" ? p.text : ""));
      expect(texts).to.have.length(6);
      expect(texts.slice(0, 3).join("")).to.equal("x".repeat(456) + "...");
      expect(texts.slice(3).join("")).to.match(/^Ж+\.\.\.$/);
      expect(h.log.lines.filter((l) => /cut to fit/.test(l))[0]).to.equal("warn sms: text cut to fit 3 parts");
    });

    it("text mode logs a cut to one SMS", () => {
      const h = setup();
      h.send(OWNER, "0123456789".repeat(20));
      h.clock.advance(1000);
      expect(h.log.lines.filter((l) => /cut/.test(l))).to.deep.equal(["warn sms: text of 200 septets cut to one SMS"]);
    });
  });
});

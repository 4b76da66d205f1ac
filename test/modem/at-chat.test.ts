import { expect } from "chai";
import { AtChat, atResponsePrefix, atTextForLog, maskDigitsForLog, type AtRequest, type AtResponse } from "../../src/modem/at-chat.ts";
import { isAllowedAtCommand } from "../../src/modem/at-allow-list.ts";
import { CHUNKINGS, FakeClock, FakePort, RecordingLogger, latin1 } from "./fakes.ts";

interface Harness {
  chat: AtChat;
  port: FakePort;
  clock: FakeClock;
  log: RecordingLogger;
  urcs: string[];
  results: Array<{ command: string; response: AtResponse }>;
  /** Queue a command and record its response. */
  send(request: AtRequest): void;
  /** Push modem bytes (Latin-1 string) with the test's chunking, then let the chat's next turn run (completions). */
  modem(text: string): void;
  /** Everything written so far, as text. */
  written(): string;
}

function harness(chunking: (typeof CHUNKINGS)[number]): Harness {
  const port = new FakePort();
  port.chunker = chunking.make();
  const clock = new FakeClock();
  const log = new RecordingLogger();
  // any command text: these tests are about the chat's mechanics (the allow list is tested below)
  const chat = new AtChat(port, clock, log, () => true);
  const urcs: string[] = [];
  const results: Harness["results"] = [];
  chat.onUrc = (line) => urcs.push(line);
  return {
    chat,
    port,
    clock,
    log,
    urcs,
    results,
    send: (request) => chat.send(request, (response) => results.push({ command: request.command, response })),
    modem: (text) => {
      port.push(text);
      clock.advance(0);
    },
    written: () => port.written,
  };
}

/** A stream test, run once per chunking (1, 2, 7, seeded random): each must pass identically. */
function streamIt(name: string, body: (h: Harness) => void): void {
  for (const chunking of CHUNKINGS) {
    it(`${name} (${chunking.name})`, () => body(harness(chunking)));
  }
}

const ok = (lines: string[] = []): AtResponse => ({ outcome: "ok", lines, error: "", payloadSent: false });

describe("modem/AtChat", () => {
  describe("payloadSent", () => {
    streamIt("tells whether the SMS body went out before a timeout", (h) => {
      h.send({ command: "AT+CMGS=12", timeoutMs: 60_000, payload: new Uint8Array([0x31, 0x1a]) });
      h.modem("\r\n> ");
      h.clock.advance(60_000);
      expect(h.results[0]!.response.outcome).to.equal("timeout");
      expect(h.results[0]!.response.payloadSent, "body written after the prompt").to.equal(true);
      h.send({ command: "AT+CMGS=13", timeoutMs: 60_000, payload: new Uint8Array([0x32, 0x1a]) });
      h.clock.advance(61_000);
      expect(h.results[1]!.response.outcome).to.equal("timeout");
      expect(h.results[1]!.response.payloadSent, "no prompt, nothing sent").to.equal(false);
    });
  });

  describe("final results", () => {
    streamIt("OK", (h) => {
      h.send({ command: "AT" });
      expect(h.written()).to.equal("AT\r");
      expect(h.chat.busy).to.equal(true);
      h.modem("\r\nOK\r\n");
      expect(h.results).to.deep.equal([{ command: "AT", response: ok() }]);
      expect(h.chat.busy).to.equal(false);
    });
    streamIt("ERROR", (h) => {
      h.send({ command: "AT+CMGF=1" });
      h.modem("\r\nERROR\r\n");
      expect(h.results[0].response).to.deep.equal({ outcome: "error", lines: [], error: "", payloadSent: false });
    });
    streamIt("+CME ERROR numeric and verbose", (h) => {
      h.send({ command: "AT+CPIN?" });
      h.send({ command: "AT+CPIN?" });
      h.modem("\r\n+CME ERROR: 10\r\n");
      h.modem("\r\n+CME ERROR: SIM not inserted\r\n");
      expect(h.results.map((r) => r.response)).to.deep.equal([
        { outcome: "cme-error", lines: [], error: "10", payloadSent: false },
        { outcome: "cme-error", lines: [], error: "SIM not inserted", payloadSent: false },
      ]);
    });
    streamIt("+CMS ERROR", (h) => {
      h.send({ command: "AT+CMGR=9" });
      h.modem("\r\n+CMS ERROR: 321\r\n");
      expect(h.results[0].response).to.deep.equal({ outcome: "cms-error", lines: [], error: "321", payloadSent: false });
    });
    streamIt("NO CARRIER / BUSY / NO ANSWER / NO DIALTONE are errors", (h) => {
      h.send({ command: "ATA" });
      h.send({ command: "ATA" });
      h.send({ command: "ATA" });
      h.send({ command: "ATA" });
      // (each answer after its command went out: the next one is sent once the previous completed)
      h.modem("\r\nNO CARRIER\r\n");
      h.modem("\r\nBUSY\r\n");
      h.modem("\r\nNO ANSWER\r\n");
      h.modem("\r\nNO DIALTONE\r\n");
      expect(h.results.map((r) => [r.response.outcome, r.response.error])).to.deep.equal([
        ["error", "NO CARRIER"],
        ["error", "BUSY"],
        ["error", "NO ANSWER"],
        ["error", "NO DIALTONE"],
      ]);
    });
  });

  describe("response lines, echo and URCs", () => {
    streamIt("echo is dropped, information lines kept in order", (h) => {
      h.send({ command: "AT+CPMS?" });
      h.modem('AT+CPMS?\r\r\n+CPMS: "SM",1,50,"SM",1,50,"SM",1,50\r\n\r\nOK\r\n');
      expect(h.results[0].response).to.deep.equal(ok(['+CPMS: "SM",1,50,"SM",1,50,"SM",1,50']));
    });
    streamIt("lines without a command in flight go to onUrc (boot URCs)", (h) => {
      h.modem("\r\n*ATREADY: 1\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\n+CGEV: EPS PDN ACT 1\r\n\r\nPB DONE\r\n\r\nOK\r\n");
      expect(h.urcs).to.deep.equal(["*ATREADY: 1", "+CPIN: READY", "SMS DONE", "+CGEV: EPS PDN ACT 1", "PB DONE", "OK"]);
    });
    streamIt("URC inside a response goes to onUrc, not into lines", (h) => {
      h.send({ command: "AT+CPMS?" });
      h.modem('\r\n+CPMS: "SM",1,50\r\n\r\n+CMTI: "SM",2\r\n\r\nRING\r\n\r\nOK\r\n');
      expect(h.results[0].response).to.deep.equal(ok(['+CPMS: "SM",1,50']));
      expect(h.urcs).to.deep.equal(['+CMTI: "SM",2', "RING"]);
    });
    streamIt("URC between responses", (h) => {
      h.send({ command: "AT" });
      h.modem("\r\nOK\r\n\r\n+CMTI: \"SM\",4\r\n");
      h.send({ command: "AT" });
      h.modem("\r\nOK\r\n");
      expect(h.results.map((r) => r.response.outcome)).to.deep.equal(["ok", "ok"]);
      expect(h.urcs).to.deep.equal(['+CMTI: "SM",4']);
    });
    streamIt("the command's own prefix wins over the URC list (CPIN, CREG, CSQ)", (h) => {
      h.send({ command: "AT+CPIN?" });
      h.send({ command: "AT+CREG?" });
      h.send({ command: "AT+CSQ" });
      h.modem("\r\n+CPIN: READY\r\n\r\nOK\r\n");
      h.modem("\r\n+CEREG: 1\r\n\r\n+CREG: 0,5\r\n\r\nOK\r\n");
      h.modem("\r\n+CSQ: 18,99\r\n\r\nOK\r\n");
      expect(h.results.map((r) => r.response)).to.deep.equal([ok(["+CPIN: READY"]), ok(["+CREG: 0,5"]), ok(["+CSQ: 18,99"])]);
      expect(h.urcs).to.deep.equal(["+CEREG: 1"]);
    });
    streamIt("URC-looking lines during a set command are URCs (AT+CREG=2, AT+CFUN=1)", (h) => {
      h.send({ command: "AT+CFUN=1" });
      h.modem("\r\n+CPIN: READY\r\n\r\n+CFUN: 1\r\n\r\nOK\r\n");
      expect(h.results[0].response).to.deep.equal(ok());
      expect(h.urcs).to.deep.equal(["+CPIN: READY", "+CFUN: 1"]);
    });
    streamIt("+CMT URC: the body line after it goes to onUrc raw, even 'OK'", (h) => {
      h.send({ command: "AT+CPMS?" });
      h.modem('\r\n+CMT: "+14085550199",,"24/05/01,10:00:00+08"\r\nOK\r\n+CPMS: "SM",0,50\r\n\r\nOK\r\n');
      expect(h.urcs).to.deep.equal(['+CMT: "+14085550199",,"24/05/01,10:00:00+08"', "OK"]);
      expect(h.results[0].response).to.deep.equal(ok(['+CPMS: "SM",0,50']));
    });
  });

  describe("AT+CMGS prompt and payload", () => {
    const payload = latin1("Pos 52.1,4.3\x1a");
    streamIt("payload goes out on '> '; +CMGS and OK complete it; URC before the prompt works", (h) => {
      h.send({ command: 'AT+CMGS="+14085550199"', timeoutMs: 60000, payload });
      expect(h.written()).to.equal('AT+CMGS="+14085550199"\r');
      h.modem('\r\n+CMTI: "SM",1\r\n');
      expect(h.written()).to.equal('AT+CMGS="+14085550199"\r'); // not yet
      h.modem("\r\n> ");
      expect(h.written()).to.equal('AT+CMGS="+14085550199"\rPos 52.1,4.3\x1a');
      h.modem("\r\n+CDSI: \"SM\",3\r\n\r\n+CMGS: 17\r\n\r\nOK\r\n");
      expect(h.results[0].response).to.deep.equal({ ...ok(["+CMGS: 17"]), payloadSent: true });
      expect(h.urcs).to.deep.equal(['+CMTI: "SM",1', '+CDSI: "SM",3']);
      for (const line of h.log.lines) {
        expect(line).to.not.contain("52.1");
        expect(line).to.not.contain("5550199");
      }
    });
    streamIt("error instead of a prompt completes without sending the payload", (h) => {
      h.send({ command: 'AT+CMGS="+1"', payload });
      h.modem("\r\n+CMS ERROR: 330\r\n");
      expect(h.results[0].response).to.deep.equal({ outcome: "cms-error", lines: [], error: "330", payloadSent: false });
      expect(h.written()).to.equal('AT+CMGS="+1"\r');
    });
    streamIt("no prompt before timeout → timeout, ESC sent so the modem drops the message", (h) => {
      h.send({ command: 'AT+CMGS="+1"', timeoutMs: 2000, payload });
      h.clock.advance(1999);
      expect(h.results).to.have.length(0);
      h.clock.advance(1);
      expect(h.results[0].response.outcome).to.equal("timeout");
      expect(h.written()).to.equal('AT+CMGS="+1"\r\x1b');
      h.modem("\r\n> "); // a late prompt is not answered with the payload
      expect(h.written()).to.equal('AT+CMGS="+1"\r\x1b');
    });
    streamIt("'> ' in a normal response is not a prompt", (h) => {
      h.send({ command: "AT+CMGR=1", dataAfterPrefix: "+CMGR:" });
      h.modem('\r\n+CMGR: "REC READ","+1",,"24/05/01,10:00:00+08"\r\n> quoted\r\n\r\nOK\r\n');
      expect(h.results[0].response).to.deep.equal(ok(['+CMGR: "REC READ","+1",,"24/05/01,10:00:00+08"', "> quoted"]));
    });
  });

  describe("dataAfterPrefix", () => {
    const header = '+CMGR: "REC UNREAD","+14085550199",,"24/05/01,10:00:00+08"';
    streamIt("an SMS body reading 'OK' is data", (h) => {
      h.send({ command: "AT+CMGR=3", dataAfterPrefix: "+CMGR:" });
      h.modem(`\r\n${header}\r\nOK\r\n\r\nOK\r\n`);
      expect(h.results[0].response).to.deep.equal(ok([header, "OK"]));
      expect(h.chat.busy).to.equal(false);
    });
    streamIt("an SMS body reading '+CMTI: \"SM\",1' is data, not a URC", (h) => {
      h.send({ command: "AT+CMGR=3", dataAfterPrefix: "+CMGR:" });
      h.modem(`\r\n${header}\r\n+CMTI: "SM",1\r\n\r\nOK\r\n`);
      expect(h.results[0].response).to.deep.equal(ok([header, '+CMTI: "SM",1']));
      expect(h.urcs).to.deep.equal([]);
    });
    streamIt("an SMS body 'ERROR' / '+CMS ERROR: 1' is data", (h) => {
      h.send({ command: "AT+CMGR=3", dataAfterPrefix: "+CMGR:" });
      h.send({ command: "AT+CMGR=4", dataAfterPrefix: "+CMGR:" });
      h.modem(`\r\n${header}\r\nERROR\r\n\r\nOK\r\n`);
      h.modem(`\r\n${header}\r\n+CMS ERROR: 1\r\n\r\nOK\r\n`);
      expect(h.results.map((r) => r.response)).to.deep.equal([ok([header, "ERROR"]), ok([header, "+CMS ERROR: 1"])]);
    });
    streamIt("an empty SMS body does not swallow the final OK", (h) => {
      h.send({ command: "AT+CMGR=3", dataAfterPrefix: "+CMGR:" });
      h.modem(`\r\n${header}\r\n\r\n\r\nOK\r\n`);
      expect(h.results[0].response).to.deep.equal(ok([header]));
    });
    streamIt("CMGL list: every header's next line is data; NUL/8-bit bytes kept", (h) => {
      h.send({ command: 'AT+CMGL="ALL"', timeoutMs: 20000, dataAfterPrefix: "+CMGL:" });
      h.modem('\r\n+CMGL: 1,"REC READ","+1",,"24/05/01,10:00:00+08"\r\nOK\r\n+CMGL: 2,"REC READ","+2",,"24/05/01,10:00:00+08"\r\n\x00 at \xe4\r\n\r\nOK\r\n');
      expect(h.results[0].response.lines).to.deep.equal([
        '+CMGL: 1,"REC READ","+1",,"24/05/01,10:00:00+08"',
        "OK",
        '+CMGL: 2,"REC READ","+2",,"24/05/01,10:00:00+08"',
        "\x00 at \xe4",
      ]);
      expect(h.results[0].response.outcome).to.equal("ok");
    });
  });

  describe("queue, timeouts and abort", () => {
    streamIt("one command in flight, the rest queued in order", (h) => {
      h.send({ command: "AT+A" });
      h.send({ command: "AT+B" });
      h.send({ command: "AT+C" });
      expect(h.written()).to.equal("AT+A\r");
      expect(h.chat.busy).to.equal(true);
      expect(h.chat.queued).to.equal(2);
      h.modem("\r\nOK\r\n");
      expect(h.written()).to.equal("AT+A\rAT+B\r");
      h.modem("\r\nERROR\r\n");
      expect(h.written()).to.equal("AT+A\rAT+B\rAT+C\r");
      h.modem("\r\nOK\r\n");
      expect(h.results.map((r) => `${r.command}:${r.response.outcome}`)).to.deep.equal(["AT+A:ok", "AT+B:error", "AT+C:ok"]);
      expect(h.chat.queued).to.equal(0);
    });
    streamIt("timeout (default 5000 ms), then the next command goes out after the guard", (h) => {
      h.send({ command: "AT+A" });
      h.send({ command: "AT+B", timeoutMs: 1000 });
      h.modem("\r\n+A: partial\r\n");
      h.clock.advance(4999);
      expect(h.results).to.have.length(0);
      h.clock.advance(1);
      expect(h.results[0].response).to.deep.equal({ outcome: "timeout", lines: ["+A: partial"], error: "", payloadSent: false });
      expect(h.written()).to.equal("AT+A\r");
      h.clock.advance(300);
      expect(h.written()).to.equal("AT+A\rAT+B\r");
      h.clock.advance(1000);
      expect(h.results[1].response.outcome).to.equal("timeout");
    });
    streamIt("a late final result inside the guard is dropped and the next command goes out at once", (h) => {
      h.send({ command: "AT+A", timeoutMs: 1000 });
      h.send({ command: "AT+B" });
      h.clock.advance(1000);
      h.clock.advance(100);
      h.modem("\r\nOK\r\n"); // late OK of AT+A
      expect(h.written()).to.equal("AT+A\rAT+B\r");
      expect(h.results).to.have.length(1);
      h.modem("\r\nERROR\r\n");
      expect(h.results[1]).to.deep.equal({ command: "AT+B", response: { outcome: "error", lines: [], error: "", payloadSent: false } });
      expect(h.chat.lateResultsDropped).to.equal(1);
      expect(h.urcs).to.deep.equal([]);
    });
    streamIt("a late response after the guard is recognised by its prefix and not mis-attributed", (h) => {
      h.send({ command: "AT+CSQ", timeoutMs: 1000 });
      h.send({ command: "AT+CPMS?" });
      h.clock.advance(1300);
      expect(h.written()).to.equal("AT+CSQ\rAT+CPMS?\r");
      h.modem('\r\n+CSQ: 10,99\r\n\r\nOK\r\n\r\n+CPMS: "SM",0,50\r\n\r\nOK\r\n');
      expect(h.results[1].response).to.deep.equal(ok(['+CPMS: "SM",0,50']));
      expect(h.chat.lateResultsDropped).to.equal(1);
    });
    streamIt("a late response line inside the guard, while idle, is dropped: never taken for a URC", (h) => {
      h.send({ command: "AT+CSQ", timeoutMs: 1000 });
      h.clock.advance(1000);
      expect(h.results[0]!.response.outcome).to.equal("timeout");
      h.modem("\r\n+CSQ: 15,0\r\n");
      expect(h.urcs).to.deep.equal([]);
      h.modem("\r\nOK\r\n");
      expect(h.chat.lateResultsDropped).to.equal(1);
      h.modem("\r\n+CSQ: 20,0\r\n"); // the guard ended with that OK: now it is the modem speaking
      expect(h.urcs).to.deep.equal(["+CSQ: 20,0"]);
    });
    streamIt("a late response line while the next command is in flight is dropped, and so is its final result", (h) => {
      h.send({ command: "AT+CSQ", timeoutMs: 1000 });
      h.send({ command: "AT+CREG?" });
      h.clock.advance(1300);
      expect(h.written()).to.equal("AT+CSQ\rAT+CREG?\r");
      h.modem("\r\n+CSQ: 15,0\r\n");
      h.modem("\r\nOK\r\n");
      expect(h.results).to.have.length(1);
      h.modem("\r\n+CREG: 0,1\r\n\r\nOK\r\n");
      expect(h.results[1]!.response).to.deep.equal(ok(["+CREG: 0,1"]));
      expect(h.urcs).to.deep.equal([]);
      expect(h.chat.lateResultsDropped).to.equal(1);
    });
    streamIt("abortAll completes in-flight and queued commands with 'aborted', in order", (h) => {
      h.send({ command: "AT+A" });
      h.send({ command: "AT+B" });
      h.send({ command: "AT+C" });
      h.chat.abortAll();
      expect(h.results, "done runs on the chat's next turn").to.deep.equal([]);
      h.clock.advance(0);
      expect(h.results.map((r) => `${r.command}:${r.response.outcome}`)).to.deep.equal(["AT+A:aborted", "AT+B:aborted", "AT+C:aborted"]);
      expect(h.chat.busy).to.equal(false);
      expect(h.chat.queued).to.equal(0);
      h.send({ command: "AT+D" });
      h.modem("\r\nRDY\r\n\r\nOK\r\n"); // reboot URC + late OK of AT+A in the guard
      h.clock.advance(0);
      expect(h.written()).to.equal("AT+A\rAT+D\r");
      h.modem("\r\nOK\r\n");
      expect(h.results[3]).to.deep.equal({ command: "AT+D", response: ok() });
      expect(h.urcs).to.deep.equal(["RDY"]);
    });
    streamIt("a done callback may send the next command and may throw without breaking the engine", (h) => {
      h.chat.send({ command: "AT+A" }, () => {
        h.send({ command: "AT+B" });
        throw new Error("callback bug");
      });
      h.modem("\r\nOK\r\n");
      expect(h.written()).to.equal("AT+A\rAT+B\r");
      h.modem("\r\nOK\r\n");
      expect(h.results).to.deep.equal([{ command: "AT+B", response: ok() }]);
      expect(h.log.entries.some((e) => e.level === "error")).to.equal(true);
    });
    streamIt("a command with control characters is refused, nothing written", (h) => {
      h.send({ command: "AT+CMGS=\"1\"\rATD112;" });
      h.send({ command: "" });
      expect(h.written()).to.equal("");
      expect(h.results.map((r) => r.response)).to.deep.equal([
        { outcome: "error", lines: [], error: "invalid command", payloadSent: false },
        { outcome: "error", lines: [], error: "invalid command", payloadSent: false },
      ]);
    });
  });

  describe("framing and hostile bytes", () => {
    streamIt("SIMCom \\r\\r\\n framing throughout", (h) => {
      h.send({ command: "AT+CREG?" });
      h.modem("\r\r\n+CREG: 0,1\r\r\n\r\r\n+CRING: VOICE\r\r\n\r\r\nOK\r\r\n");
      expect(h.results[0].response).to.deep.equal(ok(["+CREG: 0,1"]));
      expect(h.urcs).to.deep.equal(["+CRING: VOICE"]);
    });
    streamIt("garbage and NUL bytes before a result are tolerated", (h) => {
      h.modem("\x00\xff\x00\xfe");
      h.send({ command: "AT" });
      h.modem("\x00\xffOK\r\n");
      h.modem("\x00\x00\x00\r\n\xff\xffRDY\r\n");
      expect(h.results[0].response).to.deep.equal(ok());
      expect(h.urcs).to.deep.equal(["RDY"]);
    });
    streamIt("a 2000-char line is cut; the response still completes", (h) => {
      h.send({ command: "ATI" });
      h.modem("\r\n" + "Y".repeat(2000) + "\r\n\r\nOK\r\n");
      expect(h.results[0].response).to.deep.equal(ok(["Y".repeat(512)]));
      expect(h.chat.linesCut).to.equal(1);
    });
    streamIt("random bytes never throw and the engine recovers", (h) => {
      let seed = 7;
      const noise = new Uint8Array(5000);
      for (let i = 0; i < noise.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        noise[i] = seed >>> 24;
      }
      h.send({ command: "AT+CMGR=1", dataAfterPrefix: "+CMGR:", payload: latin1("x\x1a") });
      expect(() => h.port.push(noise)).to.not.throw();
      h.clock.advance(6000);
      h.send({ command: "AT" });
      h.modem("\r\nOK\r\n"); // the noise's unterminated tail may become an information line
      const last = h.results[h.results.length - 1];
      expect([last.command, last.response.outcome]).to.deep.equal(["AT", "ok"]);
    });
  });

  describe("logging", () => {
    streamIt("debug '>> cmd' / '<< line' with tag modem.at; PINs hidden, numbers masked", (h) => {
      h.send({ command: "AT+CMGR=3" });
      h.modem("\r\nOK\r\n");
      h.send({ command: 'AT+CPIN="1234"' });
      h.modem("\r\nOK\r\n");
      h.send({ command: 'AT+CMGS="+14085550199"', payload: latin1("secret\x1a") });
      h.modem("\r\n> \r\n+CMGS: 1\r\n\r\nOK\r\n");
      const lines = h.log.lines;
      expect(lines).to.include("debug modem.at: >> AT+CMGR=3");
      expect(lines).to.include("debug modem.at: << OK");
      expect(lines).to.include('debug modem.at: >> AT+CMGS="+1408***0199"');
      expect(lines.join("\n")).to.not.contain("1234");
      expect(lines.join("\n")).to.not.contain("secret");
      expect(h.log.entries.every((e) => e.tag === "modem.at")).to.equal(true);
    });

    streamIt("a late or garbled echo of AT+CPIN never shows the PIN, at any level", (h) => {
      // garbled while the command is in flight (not equal to the command, so not taken for its echo)
      h.send({ command: 'AT+CPIN="4711"', timeoutMs: 5000 });
      h.modem('\r\n\x00AT+CPIN="4711"\r\n');
      h.modem('\r\nat+cpin="4711\r\n');
      h.modem("\r\nOK\r\n");
      // late, after a timeout (idle: the chat's guard window, then as an unknown line)
      h.send({ command: 'AT+CPIN="4711"', timeoutMs: 5000 });
      h.clock.advance(5000);
      h.modem('\r\nT+CPIN="4711"\r\n');
      h.clock.advance(1000);
      h.modem('\r\n+CPIN="4711"\r\n\r\nAT+CLCK="SC",1,"4711"\r\n\r\n+CME ERROR: AT+CPWD="SC","4711"\r\n');
      expect(h.log.lines.length).to.be.greaterThan(6);
      expect(h.log.lines.filter((l) => l.includes("4711"))).to.deep.equal([]);
      expect(h.log.lines.some((l) => l.includes("+CPIN=<hidden>"))).to.equal(true);
    });
  });

  it("every chunking gives the same transcript for a long session", () => {
    const transcripts = CHUNKINGS.map((c) => {
      const h = harness(c);
      h.send({ command: "AT+CPIN?" });
      h.send({ command: "AT+CMGR=1", dataAfterPrefix: "+CMGR:" });
      h.send({ command: 'AT+CMGS="+1"', payload: latin1("hi\x1a") });
      h.modem("\r\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n\r\n+CMGR: \"REC READ\",\"+1\",,\"24/05/01,10:00:00+08\"\r\nOK\r\n\r\nOK\r\n");
      h.modem("\r\n+CMTI: \"SM\",2\r\n\r\n> \r\n+CMGS: 9\r\n\r\nOK\r\n\x00junk\r\n");
      return JSON.stringify({ r: h.results, u: h.urcs, w: h.written() });
    });
    for (const t of transcripts) expect(t).to.equal(transcripts[0]);
  });
});

describe("modem/AtChat onCommandDone", () => {
  streamIt("sees every completed command after its own done (ok, error, timeout, aborted), never refused ones", (h) => {
    const seen: string[] = [];
    h.chat.onCommandDone = (command, outcome) => seen.push(`${command}:${outcome}:${h.results.length}`);
    h.send({ command: "AT" });
    h.modem("\r\nOK\r\n");
    h.send({ command: "AT+CMGF=1" });
    h.modem("\r\n+CME ERROR: 3\r\n");
    h.send({ command: "AT+CSQ", timeoutMs: 1000 });
    h.clock.advance(1000);
    h.send({ command: "AT+CREG?" });
    h.clock.advance(400); // past the late-result guard: AT+CREG? in flight
    h.chat.abortAll();
    h.clock.advance(0);
    h.send({ command: "A\rT" });
    expect(seen).to.deep.equal(["AT:ok:1", "AT+CMGF=1:cme-error:2", "AT+CSQ:timeout:3", "AT+CREG?:aborted:4"]);
  });

  it("an observer that throws is logged, the chat goes on", () => {
    const h = harness(CHUNKINGS[0]!);
    h.chat.onCommandDone = () => {
      throw new Error("observer bug");
    };
    h.send({ command: "AT" });
    h.send({ command: "ATE0" });
    h.modem("\r\nOK\r\n");
    expect(h.written()).to.equal("AT\rATE0\r");
    expect(h.log.lines.some((l) => l.includes("onCommandDone threw"))).to.equal(true);
  });
});

describe("modem/at-chat helpers", () => {
  const prefixes: Array<[string, string]> = [
    ["AT+CMGR=3", "+CMGR:"],
    ["AT+CPIN?", "+CPIN:"],
    ["AT+CREG?", "+CREG:"],
    ["at+csq", "+CSQ:"],
    ['AT+CMGS="+1"', "+CMGS:"],
    ["AT+CREG=2", ""],
    ['AT+CPIN="1234"', ""],
    ["AT+CREG=?", "+CREG:"],
    ["AT", ""],
    ["ATE0", ""],
    ["AT*ISIMAID?", "*ISIMAID:"],
    ["AT$QCPWD?", "$QCPWD:"],
    ["AT^SYSINFO", "^SYSINFO:"],
    ["AT#SIMDET?", "#SIMDET:"],
    ["AT%CSQ", "%CSQ:"],
    ["aT+cmgl=4", "+CMGL:"],
    ["At+Cpms?", "+CPMS:"],
    ["+CSQ", "+CSQ:"],
    ["A+CSQ", ""],
    ["AT+", ""],
    ["AT+=1", ""],
    ["AT+Q_X9z?", "+Q_X9Z:"],
    ["AT+CMGR@1", "+CMGR:"],
    ["AT+[X", ""],
    ["AT+CFUN=1", ""],
    ["AT+CFUN?", "+CFUN:"],
  ];
  for (const [command, prefix] of prefixes) {
    it(`atResponsePrefix(${command}) = "${prefix}"`, () => expect(atResponsePrefix(command)).to.equal(prefix));
  }
  it("atTextForLog hides whatever follows a PIN or password argument, anywhere in the text", () => {
    expect(atTextForLog('AT+CPIN="4711"')).to.equal("AT+CPIN=<hidden>");
    expect(atTextForLog('xx at+cpin="4711" yy')).to.equal("xx at+cpin=<hidden>");
    expect(atTextForLog('+CME ERROR: AT+CLCK="SC",1,"4711"')).to.equal("+CME ERROR: AT+CLCK=<hidden>");
    expect(atTextForLog('AT+CPWD="SC","1234","5678"')).to.equal("AT+CPWD=<hidden>");
    expect(atTextForLog("+CPIN: SIM PIN")).to.equal("+CPIN: SIM PIN");
    expect(atTextForLog('AT+CMGS="+14085550199"')).to.equal('AT+CMGS="+1408***0199"');
  });
  it("atTextForLog: with several secret arguments, everything after the first is hidden", () => {
    expect(atTextForLog('AT+CPWD="SC","1234","5678";+CPIN="4711"')).to.equal("AT+CPWD=<hidden>");
    expect(atTextForLog('x AT+CLCK="SC",1,"4711" AT+CPIN="1"')).to.equal("x AT+CLCK=<hidden>");
    expect(atTextForLog('+CPIN="1" then AT+CLCK="SC",1,"4711"')).to.equal("+CPIN=<hidden>");
  });
  it("maskDigitsForLog: runs starting or ending with 0 or 9, letters after the run", () => {
    expect(maskDigitsForLog("0123456789")).to.equal("0123***6789");
    expect(maskDigitsForLog("9876543210")).to.equal("9876***3210");
    expect(maskDigitsForLog("123456789abc")).to.equal("1234***6789abc");
    expect(maskDigitsForLog("/123456789:")).to.equal("/1234***6789:");
  });
  it("maskDigitsForLog", () => {
    expect(maskDigitsForLog('AT+CMGS="+14085550199"')).to.equal('AT+CMGS="+1408***0199"');
    expect(maskDigitsForLog("+CMTI: \"SM\",12")).to.equal('+CMTI: "SM",12');
    expect(maskDigitsForLog("12345678")).to.equal("12345678");
    expect(maskDigitsForLog("123456789")).to.equal("1234***6789");
    expect(maskDigitsForLog("a0123456789b 447700900123")).to.equal("a0123***6789b 4477***0123");
    expect(maskDigitsForLog("12345678 x")).to.equal("12345678 x");
  });
});

describe("modem/AtChat allow list", () => {
  function chatWithDefaultList() {
    const port = new FakePort();
    const clock = new FakeClock();
    const log = new RecordingLogger();
    return { port, clock, log, chat: new AtChat(port, clock, log) };
  }

  it("refuses every command off the AT allow list, at once and without writing it", () => {
    const { port, log, chat } = chatWithDefaultList();
    const refused = ["AT+CGACT=1,1", "AT+CNACT=0,1", 'AT+CAOPEN=0,0,"TCP","x",80', "AT+SMCONN", "AT+CCHOPEN=0", "AT+CNTP", "AT+CMMSSEND",
      "AT+QNTP=1", "AT+CGATT=1", "AT+NETOPEN", 'AT+CIPSTART="TCP"', "AT+HTTPINIT", "AT+QIOPEN=1", "ATD+14085550199;", "at+cgdata",
      'AT+CLCK="SC",0,"9876"', "AT+CPWD", "AT+CMGS=1234", 'AT+CMGS="+1"', 'AT+CPIN="12"', "AT+CMGR=3;+CGACT=1"];
    for (const command of refused) {
      let response: AtResponse | undefined;
      chat.send({ command }, (r) => (response = r));
      expect(response, command).to.deep.equal({ outcome: "error", lines: [], error: "not allowed", payloadSent: false });
    }
    expect(port.written).to.equal("");
    expect(log.lines.filter((l) => l.includes("not on the allow list"))).to.have.length(refused.length);
    expect(log.lines.some((l) => l.includes("9876"))).to.equal(false); // PINs stay hidden in the refusal too
  });

  it("sends the commands the firmware uses", () => {
    const { port, chat } = chatWithDefaultList();
    for (const command of ["AT", "AT+CMGR=12", "AT+CMGD=0", "AT+CMGS=24", 'AT+CMGS="+14085550199"', 'AT+CPIN="4711"', "AT+CEREG?", 'AT+CMGL="ALL"',
      "AT+CREG=1", "AT+CEREG=2", "AT+CPSI?", 'AT+QENG="servingcell"', "AT+COPS=3,2", "AT+COPS?"]) {
      expect(isAllowedAtCommand(command), command).to.equal(true);
    }
    chat.send({ command: "AT+CMGR=12" }, () => {});
    expect(port.written).to.equal("AT+CMGR=12\r");
  });
});

describe("modem/AtChat: more edges", () => {
  function plain() {
    const port = new FakePort();
    const clock = new FakeClock();
    const log = new RecordingLogger();
    const chat = new AtChat(port, clock, log, () => true);
    const urcs: string[] = [];
    const results: AtResponse[] = [];
    const modem = (text: string) => {
      port.push(text);
      clock.advance(0);
    };
    const send = (request: AtRequest) => chat.send(request, (r) => results.push(r));
    return { port, clock, log, chat, urcs, results, modem, send };
  }

  it("what the debug log shows of an exchange: commands, lines, echo, data, timeouts, late results", () => {
    const h = plain();
    h.chat.onUrc = (line) => h.urcs.push(line);
    h.send({ command: "AT+CSQ" });
    h.modem("AT+CSQ\r\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    h.send({ command: 'AT+CMGS="+14085550199"', payload: new Uint8Array([0x68, 0x69, 0x1a]) });
    h.modem("\r\n> ");
    h.modem("\r\n+CMGS: 5\r\n\r\nOK\r\n");
    h.send({ command: "AT+CREG?", timeoutMs: 1000 });
    h.clock.advance(1000);
    h.modem("\r\nOK\r\n");
    h.modem('\r\n+CMTI: "SM",3\r\n');
    expect(h.log.lines).to.deep.equal([
      "debug modem.at: >> AT+CSQ",
      "debug modem.at: << (echo)",
      "debug modem.at: << +CSQ: 20,0",
      "debug modem.at: << OK",
      'debug modem.at: >> AT+CMGS="+1408***0199"',
      "debug modem.at: << > (sending payload, 3 bytes)",
      "debug modem.at: << +CMGS: 5",
      "debug modem.at: << OK",
      "debug modem.at: >> AT+CREG?",
      "warn modem.at: timeout: AT+CREG?",
      "debug modem.at: << OK (late result dropped)",
      'debug modem.at: << +CMTI: "SM",3',
    ]);
    expect(h.urcs).to.deep.equal(['+CMTI: "SM",3']);
  });

  it("PDU-mode +CDS: <length>: the next line is the report's PDU, handed over raw; the text-mode form has no data line", () => {
    const h = plain();
    h.chat.onUrc = (line) => h.urcs.push(line);
    h.modem("\r\n+CDS: 25\r\n0006D60B911326880736F4111011719551401110117195714000\r\n");
    h.modem("\r\n+CDS:  7 \r\nOK\r\n");
    h.modem('\r\n+CDS: 6,42,"+14085550199",145,"24/05/06,07:08:09-28","24/05/06,07:09:00-28",0\r\n+CREG: 1\r\n');
    h.modem("\r\n+CDS: \r\n+CREG: 2\r\n");
    h.modem("\r\n+CDS: 2x\r\n+CREG: 3\r\n");
    expect(h.urcs).to.deep.equal([
      "+CDS: 25",
      "0006D60B911326880736F4111011719551401110117195714000",
      "+CDS:  7",
      "OK",
      '+CDS: 6,42,"+14085550199",145,"24/05/06,07:08:09-28","24/05/06,07:09:00-28",0',
      "+CREG: 1",
      "+CDS:",
      "+CREG: 2",
      "+CDS: 2x",
      "+CREG: 3",
    ]);
  });

  it("lines: leading junk bytes and trailing blanks are stripped; a line of nothing but junk is no line", () => {
    const h = plain();
    h.send({ command: "AT+CSQ" });
    h.modem("\r\n\x00\xff\x7f +CSQ: 10,0 \t\r\n\x01\x02\r\n\xfe\xffOK  \r\n");
    expect(h.results).to.deep.equal([{ outcome: "ok", lines: ["+CSQ: 10,0"], error: "", payloadSent: false }]);
    h.send({ command: "AT" });
    h.modem("\r\n\x7fOK \r\n");
    expect(h.results[1]).to.deep.equal({ outcome: "ok", lines: [], error: "", payloadSent: false });
  });

  it("commands with control bytes, DEL or characters beyond Latin-1 are refused; a space is fine", () => {
    for (const command of ["AT\x1f", "AT\x7f", "AT\u0100", "AT\u20ac"]) {
      const h = plain();
      h.send({ command });
      h.clock.advance(0);
      expect(h.results.map((r) => [r.outcome, r.error]), JSON.stringify(command)).to.deep.equal([["error", "invalid command"]]);
      expect(h.port.written).to.equal("");
    }
    const h = plain();
    h.send({ command: "AT+X=1, 2\xff" });
    expect(h.port.written).to.equal("AT+X=1, 2\xff\r");
  });

  it("abortAll: commands never sent are aborted with no lines and not reported as done to the observer", () => {
    const h = plain();
    const observed: string[] = [];
    h.chat.onCommandDone = (command, outcome) => observed.push(`${command}:${outcome}`);
    h.send({ command: "AT+A" });
    h.send({ command: "AT+B" });
    h.modem("\r\n+A: 1\r\n");
    h.chat.abortAll();
    h.clock.advance(0);
    expect(h.results).to.deep.equal([
      { outcome: "aborted", lines: ["+A: 1"], error: "", payloadSent: false },
      { outcome: "aborted", lines: [], error: "", payloadSent: false },
    ]);
    expect(observed).to.deep.equal(["AT+A:aborted"]);
    h.chat.abortAll(); // nothing in flight: nothing happens
    h.clock.advance(0);
    expect(h.results).to.have.length(2);
  });

  it("a command with the timed-out command's prefix takes its own response lines", () => {
    const h = plain();
    h.send({ command: "AT+CSQ", timeoutMs: 1000 });
    h.send({ command: "AT+CSQ" });
    h.clock.advance(1300);
    h.modem("\r\n+CSQ: 15,0\r\n\r\nOK\r\n");
    expect(h.results.map((r) => [r.outcome, r.lines])).to.deep.equal([
      ["timeout", []],
      ["ok", ["+CSQ: 15,0"]],
    ]);
  });

  it("a stale prefix ends with the next command that completes: a later line with it is the modem's, not a late one", () => {
    const h = plain();
    h.send({ command: "AT+CPMS?", timeoutMs: 1000 });
    h.send({ command: "AT+CREG?" });
    h.send({ command: "AT+COPS?" });
    h.clock.advance(1300);
    h.modem("\r\n+CREG: 0,1\r\n\r\nOK\r\n");
    h.modem('\r\n+CPMS: "SM",1,30\r\n+COPS: 0\r\n\r\nOK\r\n');
    expect(h.results.map((r) => [r.outcome, r.lines])).to.deep.equal([
      ["timeout", []],
      ["ok", ["+CREG: 0,1"]],
      ["ok", ['+CPMS: "SM",1,30', "+COPS: 0"]],
    ]);
  });

  it("time limits: a negative one means the default 5 s, zero means at once", () => {
    const h = plain();
    h.send({ command: "AT+A", timeoutMs: -1 });
    h.clock.advance(4999);
    expect(h.results).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.results.map((r) => r.outcome)).to.deep.equal(["timeout"]);
    const z = plain();
    z.send({ command: "AT+B", timeoutMs: 0 });
    z.clock.advance(0);
    expect(z.results.map((r) => r.outcome)).to.deep.equal(["timeout"]);
  });

  it("URCs with no listener are dropped quietly; a listener that throws is logged and the chat goes on", () => {
    const h = plain();
    h.modem("\r\nRING\r\n");
    expect(h.log.lines.filter((l) => l.startsWith("error"))).to.deep.equal([]);
    h.chat.onUrc = (line) => {
      if (line === "RING") throw new Error("urc bug");
      h.urcs.push(line);
    };
    h.modem("\r\nRING\r\n\r\n+CREG: 1\r\n");
    expect(h.urcs).to.deep.equal(["+CREG: 1"]);
    expect(h.log.lines.filter((l) => l.startsWith("error"))).to.deep.equal(["error modem.at: onUrc threw: Error: urc bug"]);
    h.chat.send({ command: "AT" }, () => {
      throw new Error("done bug");
    });
    h.modem("\r\nOK\r\n");
    expect(h.log.lines.filter((l) => l.startsWith("error"))[1]).to.equal("error modem.at: done callback threw: Error: done bug");
  });

  it("a profile's extra URC prefixes are URCs during a command; other lines stay the command's", () => {
    const h = plain();
    h.chat.onUrc = (line) => h.urcs.push(line);
    h.chat.extraUrcPrefixes = ["+QIND:"];
    h.send({ command: "AT+X" });
    h.modem('\r\n+QIND: "csq",20\r\n+Y: 1\r\n\r\nOK\r\n');
    expect(h.results[0]!.lines).to.deep.equal(["+Y: 1"]);
    expect(h.urcs).to.deep.equal(['+QIND: "csq",20']);
  });
});

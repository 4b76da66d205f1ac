import { expect } from "chai";
import { VirtualClock } from "../../../host-sim/clock.ts";
import { UartWire } from "../../../host-sim/uart.ts";
import { SmsNetwork } from "../../../host-sim/modem/sms-network.ts";
import { VirtualPhone } from "../../../host-sim/modem/phone.ts";
import { VirtualModem } from "../../../host-sim/modem/virtual-modem.ts";
import { escapeBytes, formatTrace, parseTrace, TraceSyntaxError, unescapeBytes } from "../../../host-sim/traces/trace-format.ts";
import { TraceRecorder } from "../../../host-sim/traces/trace-recorder.ts";
import { TraceModem } from "../../../host-sim/traces/trace-modem.ts";

const OWNER = "+14085550199";
const TRACKER = "+14085550100";

/**
 * A scripted "firmware" on a byte line: waits for a regexp in what it received since its last
 * step, then writes the next command. Works against any modem-like thing with receive()/connect().
 */
class ScriptedFirmware {
  received = "";
  readonly toModem: UartWire;
  constructor(
    readonly clock: VirtualClock,
    modem: { receive(chunk: Uint8Array): void },
    tap?: (direction: ">" | "<", bytes: Uint8Array) => void,
  ) {
    this.toModem = new UartWire(clock, { baud: 115200, chunk: 7 }, (c) => {
      tap?.(">", c);
      modem.receive(c);
    });
  }
  /** The modem → firmware wire (give it to modem.connect()). */
  wire(tap?: (direction: ">" | "<", bytes: Uint8Array) => void): UartWire {
    return new UartWire(this.clock, { baud: 115200, chunk: { random: 3 } }, (c) => {
      tap?.("<", c);
      for (const b of c) this.received += String.fromCharCode(b);
    });
  }
  write(text: string): void {
    this.toModem.write(Uint8Array.from([...text].map((c) => c.charCodeAt(0) & 0xff)));
  }
  async until(pattern: RegExp, limitMs = 30_000): Promise<boolean> {
    return this.clock.runUntilCondition(() => pattern.test(this.received), limitMs);
  }
  /** A small session: wait for SMS DONE, configure, read one message, reply, delete. */
  async session(variant: "normal" | "wrong-reply" = "normal"): Promise<void> {
    await this.until(/SMS DONE\r\n/);
    this.write("ATE0\r");
    await this.until(/ATE0\r\r\nOK\r\n$/);
    for (const cmd of ["AT+CMGF=1", "AT+CNMI=2,1,0,0,0"]) {
      const mark = this.received.length;
      this.write(`${cmd}\r`);
      await this.clock.runUntilCondition(() => this.received.slice(mark).endsWith("OK\r\n"), 5000);
    }
    await this.until(/\+CMTI: "SM",1\r\n$/);
    this.write("AT+CMGR=1\r");
    await this.until(/Where\?\r\n\r\nOK\r\n$/);
    this.write(`AT+CMGS="${OWNER}"\r`);
    await this.until(/> $/);
    this.write(variant === "normal" ? "Here\x1a" : "Elsewhere\x1a");
    await this.until(/\+CMGS: \d+\r\n\r\nOK\r\n$/, 70_000);
    this.write("AT+CMGD=1\r");
    await this.until(/\+CMGS: \d+\r\n\r\nOK\r\n\r\nOK\r\n$/);
  }
}

/** Record the session against the real virtual modem, through taps on both wires. */
async function recordSession(): Promise<{ text: string; firmwareSaw: string; modem: VirtualModem }> {
  const clock = new VirtualClock();
  const network = new SmsNetwork(clock);
  const owner = new VirtualPhone(network, OWNER);
  const modem = new VirtualModem(clock, network, { number: TRACKER, bootMs: 4000 });
  const recorder = new TraceRecorder({ now: () => clock.nowMs, header: { profile: "a7670", baud: 115200, date: "2026-11-24T22:15:00Z", source: "traces.test.ts" } });
  const tap = (d: ">" | "<", bytes: Uint8Array): void => recorder.record(d, bytes);
  const fw = new ScriptedFirmware(clock, modem, tap);
  modem.connect(fw.wire(tap));
  modem.powerOn();
  clock.after(12_000, () => void owner.send(TRACKER, "Where?"));
  await fw.session();
  await clock.runFor(1000);
  return { text: recorder.toString(), firmwareSaw: fw.received, modem };
}

describe("host-sim traces: format", () => {
  it("escapes every byte that is not printable ASCII, and round-trips all 256 values", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const escaped = escapeBytes(all);
    expect(escaped.startsWith("\\x00\\x01")).to.equal(true);
    expect(escapeBytes(Uint8Array.from([0x0d, 0x0a, 0x1a, 0x22, 0x5c, 0x41]))).to.equal('\\r\\n\\x1a\\"\\\\A');
    expect(Array.from(unescapeBytes(escaped))).to.deep.equal(Array.from(all));
  });

  it("parses header, events, comments and pattern events; formats back the same", () => {
    const text = [
      "# modem-trace v1",
      "# profile: eg25",
      "# baud: 115200",
      "# a comment",
      '0 < "\\r\\nRDY\\r\\n"',
      '12.5 > "AT+CMGS=\\"+1\\"\\r"  # the command',
      '20 >~ "AT\\\\+CSQ\\r"',
      "",
    ].join("\n");
    const trace = parseTrace(text);
    expect(trace.header).to.deep.equal({ profile: "eg25", baud: "115200" });
    expect(trace.events.map((e) => [e.atMs, e.direction, e.line, e.comment])).to.deep.equal([
      [0, "<", 5, undefined],
      [12.5, ">", 6, "the command"],
      [20, ">~", 7, undefined],
    ]);
    expect(String.fromCharCode(...trace.events[1]!.bytes)).to.equal('AT+CMGS="+1"\r');
    expect(String.fromCharCode(...trace.events[2]!.bytes)).to.equal("AT\\+CSQ\r");
    const again = parseTrace(formatTrace(trace));
    expect(again.events.map((e) => escapeBytes(e.bytes))).to.deep.equal(trace.events.map((e) => escapeBytes(e.bytes)));
  });

  it("reports malformed lines with their number", () => {
    expect(() => parseTrace('# modem-trace v1\n0 < "ok"\nnonsense')).to.throw(TraceSyntaxError, /line 3/);
    expect(() => parseTrace('0 > "bad \\q escape"')).to.throw(TraceSyntaxError, /line 1: bad escape/);
    expect(() => parseTrace('0 >~ "(unclosed"')).to.throw(TraceSyntaxError, /bad pattern/);
  });
});

describe("host-sim traces: record and replay", () => {
  it("records a session through wire taps: one > event per command line, header first", async () => {
    const { text } = await recordSession();
    const lines = text.split("\n");
    expect(lines.slice(0, 6)).to.deep.equal(["# modem-trace v1", "# profile: a7670", "# baud: 115200", "# date: 2026-11-24T22:15:00Z", "# source: traces.test.ts", lines[5]!]);
    expect(lines.filter((l) => / > /.test(l)).map((l) => l.replace(/^[\d.]+ > /, ""))).to.deep.equal([
      '"ATE0\\r"',
      '"AT+CMGF=1\\r"',
      '"AT+CNMI=2,1,0,0,0\\r"',
      '"AT+CMGR=1\\r"',
      '"AT+CMGS=\\"+14085550199\\"\\r"',
      '"Here\\x1a"',
      '"AT+CMGD=1\\r"',
    ]);
    expect(text).to.match(/ < "\\r\\n\+CMTI: \\"SM\\",1\\r\\n"/);
  });

  it("replays: the trace modem gives the same firmware the same bytes, and the check passes", async () => {
    const { text, firmwareSaw } = await recordSession();
    const clock = new VirtualClock();
    const modem = new TraceModem(clock, text);
    const fw = new ScriptedFirmware(clock, modem);
    modem.connect(fw.wire());
    modem.start();
    await fw.session();
    await clock.runFor(1000);
    expect(modem.result()).to.deep.equal({ ok: true });
    modem.check();
    expect(fw.received).to.equal(firmwareSaw);
    expect(modem.matched).to.equal(7);
  });

  it("detects the first mismatch and names its trace line", async () => {
    const { text } = await recordSession();
    const sendLine = text.split("\n").findIndex((l) => l.includes('> "Here\\x1a"')) + 1;
    const clock = new VirtualClock();
    const modem = new TraceModem(clock, text);
    const fw = new ScriptedFirmware(clock, modem);
    modem.connect(fw.wire());
    modem.start();
    await fw.session("wrong-reply").catch(() => undefined);
    await clock.runFor(1000);
    const r = modem.result();
    expect(r.ok).to.equal(false);
    expect(r.mismatch).to.include({ line: sendLine, expected: "Here\\x1a" });
    expect(r.mismatch!.actual.startsWith("Elsewh")).to.equal(true); // the first UART chunk, from the differing byte's event on
    expect(() => modem.check()).to.throw(`trace line ${sendLine}: expected "Here\\x1a", firmware sent "Elsewh`);
  });

  it("a pattern event accepts varying bytes; bytes after the end and silence are reported", async () => {
    const trace = ['# modem-trace v1', '0 < "\\r\\nRDY\\r\\n"', '10 >~ "AT\\\\+CMGS=\\\\d+\\r"', '20 < "\\r\\n> "', '30 > "00\\x1a"', ""].join("\n");
    for (const [send, ok] of [["AT+CMGS=23\r00\x1a", true], ["AT+CMGS=x\r", false]] as const) {
      const clock = new VirtualClock();
      const modem = new TraceModem(clock, trace);
      const fw = new ScriptedFirmware(clock, modem);
      modem.connect(fw.wire());
      modem.start();
      await fw.until(/RDY/);
      fw.write(send);
      await clock.runFor(100);
      expect(modem.result().ok, send).to.equal(ok);
      if (ok) {
        expect(fw.received).to.equal("\r\nRDY\r\n\r\n> ");
        fw.write("AT\r");
        await clock.runFor(100);
        expect(modem.mismatch).to.include({ line: 0, actual: "AT\\r" });
      } else expect(modem.mismatch!.line).to.equal(3);
    }
    const clock = new VirtualClock();
    const silent = new TraceModem(clock, trace);
    silent.connect({ write: () => undefined });
    silent.start();
    await clock.runFor(1000);
    expect(silent.result().waitingAt).to.deep.equal({ line: 3, expected: "/AT\\+CMGS=\\d+\r/", received: "" });
  });

  it("converts a VirtualModem traffic log into a trace (ignored input kept, commented)", async () => {
    const { modem } = await recordSession();
    const trace = TraceRecorder.fromModemTraffic(modem.traffic, { profile: "a7670" });
    expect(trace.events.filter((e) => e.direction === ">").map((e) => String.fromCharCode(...e.bytes))).to.include("AT+CMGR=1\r");
    expect(trace.events.some((e) => e.comment === "echo")).to.equal(true);
    expect(formatTrace(trace)).to.match(/^# modem-trace v1\n# profile: a7670\n/);
  });

  it("attachStream records any pair of byte streams (serial-port style 'data' events)", () => {
    let now = 0;
    const recorder = new TraceRecorder({ now: () => now, header: { source: "stream" } });
    const listeners: Record<string, (chunk: Uint8Array | string) => void> = {};
    const stream = (name: string) => ({ on: (_e: "data", l: (chunk: Uint8Array | string) => void) => void (listeners[name] = l) });
    recorder.attachStream(stream("tx"), ">");
    recorder.attachStream(stream("rx"), "<");
    listeners.tx!("AT");
    now = 1;
    listeners.tx!(Uint8Array.of(0x0d));
    now = 20;
    listeners.rx!("\r\nOK");
    now = 21;
    listeners.rx!("\r\n");
    // A firmware line is stamped when it is complete (its CR came at 1); modem bytes at their first chunk.
    expect(recorder.toString()).to.equal('# modem-trace v1\n# source: stream\n1 > "AT\\r"\n20 < "\\r\\nOK\\r\\n"\n');
  });
});

/**
 * serve-gnss and serve-modem on real pseudo-terminals: a reader on the other end parses the NMEA
 * the virtual receiver sends; a test "firmware" talks AT to the virtual modem and receives the SMS
 * the operator types.
 */
import { expect } from "chai";
import { PassThrough } from "node:stream";
import { SerialPort } from "serialport";
import { serveGnss } from "../../host-sim/installer/serve-gnss.ts";
import { serveModem } from "../../host-sim/installer/serve-modem.ts";
import { StopSwitch } from "../../host-sim/installer/real-time.ts";
import { closeSerial } from "../../host-sim/installer/serial-open.ts";
import { ptyFolder, ptyPair, removeFolder, skipWithoutSocat, type PtyPair } from "./pty-pair.ts";


/** True when an NMEA sentence's checksum is right. */
function checksumOk(sentence: string): boolean {
  const m = /^\$([^*]*)\*([0-9A-F]{2})$/.exec(sentence);
  if (!m) return false;
  let sum = 0;
  for (const c of m[1]!) sum ^= c.charCodeAt(0);
  return sum === parseInt(m[2]!, 16);
}

/** Resolve once `condition()` holds (checked every 20 ms); reject after `limitMs`. */
async function waitUntil(condition: () => boolean, limitMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function open(path: string, baudRate: number): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate });
  await new Promise((resolve, reject) => {
    port.once("open", resolve);
    port.once("error", reject);
  });
  return port;
}

describe("installer: serve-gnss and serve-modem on pseudo-terminals", function () {
  this.timeout(30_000);
  let dir: string;
  let pair: PtyPair;
  let board: SerialPort | undefined;

  before(skipWithoutSocat);

  beforeEach(async () => {
    dir = ptyFolder();
    pair = await ptyPair(dir, "line");
  });

  afterEach(async () => {
    if (board) await closeSerial(board);
    board = undefined;
    pair.close();
    removeFolder(dir);
  });

  it("serve-gnss: the board's side reads whole NMEA sentences with valid checksums, and a fix once the cold start is over", async () => {
    board = await open(pair.b, 9600);
    let text = "";
    board.on("data", (d: Buffer) => (text += d.toString("latin1")));
    const stop = new StopSwitch();
    const lines: string[] = [];
    // 10x real time: the drive's 10 s cold start passes in about a second
    const serving = serveGnss({ port: pair.a, speed: 10, stop, print: (l) => lines.push(l) });
    const sentences = () => text.split("\r\n").slice(0, -1);
    await waitUntil(() => sentences().some((s) => /^\$GNRMC,[\d.]+,A,/.test(s)), 10_000, "an RMC with a fix");
    stop.stop("test done");
    expect(await serving).to.equal(0);
    const all = sentences();
    expect(all.length).to.be.greaterThan(20);
    expect(all.filter((s) => !checksumOk(s)), "sentences with a bad checksum").to.deep.equal([]);
    expect(all.some((s) => /^\$GNRMC,[\d.]*,V,/.test(s)), "no fix during the cold start").to.equal(true);
    expect(all.some((s) => s.startsWith("$GNGGA,"))).to.equal(true);
    expect(lines.join("\n")).to.include("serving GNSS on").and.include("stopped (test done)");
  });

  it("serve-gnss plays a recorded NMEA log and stops at its end", async () => {
    const { writeFileSync } = await import("node:fs");
    const log = `${dir}/drive.nmea`;
    writeFileSync(
      log,
      [
        "$GPRMC,120000.00,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A",
        "$GPRMC,120001.00,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6B",
        "$GPRMC,120002.00,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*68",
      ].join("\r\n") + "\r\n",
    );
    board = await open(pair.b, 9600);
    let text = "";
    board.on("data", (d: Buffer) => (text += d.toString("latin1")));
    const lines: string[] = [];
    expect(await serveGnss({ port: pair.a, nmeaFile: log, speed: 20, print: (l) => lines.push(l) })).to.equal(0);
    await waitUntil(() => text.split("\r\n").length > 3, 5000, "the three sentences");
    expect(text.split("\r\n").filter(Boolean).map((s) => s.slice(7, 13))).to.deep.equal(["120000", "120001", "120002"]);
    expect(lines.at(-1)).to.include("the recording has played to its end").and.include("3 epochs");
  });

  it("serve-modem: answers AT commands as an A7670 and hands the operator's SMS to the board (+CMTI, then AT+CMGR)", async () => {
    board = await open(pair.b, 115_200);
    let text = "";
    board.on("data", (d: Buffer) => (text += d.toString("latin1")));
    const input = new PassThrough();
    const lines: string[] = [];
    const serving = serveModem({ port: pair.a, input, print: (l) => lines.push(l), modemOptions: { bootMs: 200, registrationDelayMs: 300 } });
    const command = async (cmd: string, expectText: RegExp) => {
      const from = text.length;
      board!.write(`${cmd}\r`);
      await waitUntil(() => expectText.test(text.slice(from)), 5000, `${cmd} → ${expectText}`);
      return text.slice(from);
    };
    await waitUntil(() => text.includes("SMS DONE") || text.includes("PB DONE"), 10_000, "the modem's boot lines");
    expect(await command("AT", /\r\nOK\r\n/)).to.include("OK");
    expect(await command("AT+CGMM", /OK\r\n/)).to.match(/A7670/);
    await command("AT+CMGF=1", /OK\r\n/);
    await command("AT+CNMI=2,1,0,0,0", /OK\r\n/);
    await command("AT+CEREG?", /\+CEREG: 0,[15]\r\n[\s\S]*OK\r\n/);
    input.write("WHERE\n");
    await waitUntil(() => /\+CMTI: "(SM|ME)",\d+/.test(text), 10_000, "the +CMTI of the owner's SMS");
    const index = /\+CMTI: "(?:SM|ME)",(\d+)/.exec(text)![1];
    expect(await command(`AT+CMGR=${index}`, /OK\r\n/)).to.include("+14085550199").and.include("WHERE");
    input.end(); // end of input stops serving
    expect(await serving).to.equal(0);
    expect(lines.join("\n")).to.include("SMS +14085550199 (owner) → tracker: WHERE").and.include("stopped (end of input)");
  });
});

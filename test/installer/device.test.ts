/**
 * tracker device end to end over pseudo-terminals: the Node firmware on two ptys, serve-gnss and
 * serve-modem on their other ends (all in this process, each on its own real serial port), and the
 * owner's WHERE typed at serve-modem's prompt answered with the position. Its settings land in the
 * state folder and are read again at the next start.
 */
import { expect } from "chai";
import { PassThrough } from "node:stream";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serveGnss } from "../../host-sim/installer/serve-gnss.ts";
import { serveModem } from "../../host-sim/installer/serve-modem.ts";
import { runDevice } from "../../host-sim/installer/device-command.ts";
import { StopSwitch, realTimeClock } from "../../host-sim/installer/real-time.ts";
import { closeSerial } from "../../host-sim/installer/serial-open.ts";
import { SerialPort } from "serialport";
import { RealTimeFirmware, STORE_FILE, readStore, writeStore } from "../../host-sim/installer/real-time-firmware.ts";
import { ptyFolder, ptyPair, removeFolder, skipWithoutSocat, type PtyPair } from "./pty-pair.ts";

const OWNER = "+14085550199";

async function waitUntil(condition: () => boolean, limitMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("installer: tracker device (Node firmware) against serve-gnss and serve-modem on ptys", function () {
  this.timeout(60_000);
  let dir: string;
  let gnss: PtyPair;
  let modem: PtyPair;
  let con: PtyPair;

  before(skipWithoutSocat);

  beforeEach(async () => {
    dir = ptyFolder();
    gnss = await ptyPair(dir, "gnss");
    modem = await ptyPair(dir, "modem");
    con = await ptyPair(dir, "console");
  });

  afterEach(() => {
    gnss?.close();
    modem?.close();
    con?.close();
    if (dir) removeFolder(dir);
  });

  it("the owner's WHERE is answered end to end with the live fix, the console answers on its port, and the owner is kept in the state folder", async () => {
    const terminal = new SerialPort({ path: con.a, baudRate: 115_200 });
    await new Promise((resolve) => terminal.once("open", resolve));
    let consoleText = "";
    terminal.on("data", (d: Buffer) => (consoleText += d.toString("latin1")));
    const stop = new StopSwitch();
    const input = new PassThrough();
    const modemLines: string[] = [];
    const deviceLines: string[] = [];
    const state = join(dir, "state");
    const served = [
      serveGnss({ port: gnss.a, stop, print: () => {} }),
      serveModem({ port: modem.a, stop, input, print: (l) => modemLines.push(l), modemOptions: { bootMs: 300, registrationDelayMs: 1000 } }),
    ];
    const device = runDevice({ gnssPort: gnss.b, modemPort: modem.b, consolePort: con.b, owner: OWNER, stateDir: state, stop, print: (l) => deviceLines.push(l) });
    try {
      await waitUntil(() => deviceLines.some((l) => l.includes("tracker state: ready")), 20_000, "the tracker to be ready");
      await waitUntil(() => consoleText.includes("tracker console"), 5_000, "the console's greeting");
      const before = consoleText.length;
      terminal.write("HELP\r\n");
      // the reply lists the commands, HELLO among them (the greeting's own words came before)
      await waitUntil(() => /HELLO/.test(consoleText.slice(before)), 5_000, "the console's answer to HELP");
      // the reply waits for the first fix (the drive's 10 s cold start) if it has none yet
      input.write("WHERE\n");
      await waitUntil(() => modemLines.some((l) => l.includes(`SMS tracker → ${OWNER}`)), 30_000, "the tracker's reply to the owner");
    } finally {
      stop.stop("test done");
      await closeSerial(terminal);
    }
    expect(await device).to.equal(0);
    expect(await Promise.all(served)).to.deep.equal([0, 0]);
    const reply = modemLines.slice(modemLines.findIndex((l) => l.includes(`SMS tracker → ${OWNER}`))).join("\n");
    expect(reply).to.match(/Live GNSS fix/).and.match(/37\.33\d+,-121\.88\d+/).and.include("maps.google.com");
    expect(deviceLines.join("\n")).not.to.include("FIRMWARE FAULT");
    const records = Object.values(readStore(state)).map(String);
    expect(records.some((r) => r.includes(`"ownerNumber":"${OWNER}"`)), "the owner provisioned at boot is in the store file").to.equal(true);
  });

  it("the firmware starts from the state folder's store file, which it rewrites as settings change", async () => {
    const state = join(dir, "state");
    writeStore(state, { "cfg.a": "saved before" });
    const firmware = new RealTimeFirmware(realTimeClock(1), { stateDir: state, seed: 1 });
    expect(firmware.device.store).to.deep.equal({ "cfg.a": "saved before" });
    expect(firmware.persist(), "nothing changed: nothing written").to.equal(false);
    firmware.device.store["cfg.b"] = "changed";
    expect(firmware.persist()).to.equal(true);
    expect(readStore(state)).to.deep.equal({ "cfg.a": "saved before", "cfg.b": "changed" });
    await firmware.close();
  });

  it("refuses a store file it cannot read, with the way out, before taking the ports (and leaves the file alone)", async () => {
    const state = join(dir, "state");
    mkdirSync(state);
    writeFileSync(join(state, STORE_FILE), "{ not json");
    let error: Error | undefined;
    await runDevice({ gnssPort: gnss.b, modemPort: modem.b, stateDir: state, print: () => {} }).catch((e: Error) => (error = e));
    expect(error?.message).to.include(STORE_FILE).and.include("move it away");
    expect(existsSync(join(state, STORE_FILE)) && readFileSync(join(state, STORE_FILE), "utf8")).to.equal("{ not json");
  });
});

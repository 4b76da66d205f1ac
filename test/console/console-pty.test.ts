/**
 * The console tools end to end over a real pseudo-terminal pair (socat): the Node firmware in the
 * simulator (virtual modem, GNSS and SMS network) has its console bridged to one end; `tracker
 * provision` and `tracker selftest` (provisionUnit, runSelfTestTool) open the other with
 * serialport. The virtual clock is stepped while the test waits on I/O (it runs ahead of real
 * time; the tools' real-time timeouts are generous), and no assertion is about speed.
 */
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { Simulation } from "../../host-sim/simulation.ts";
import { ConsoleClient, NotAnsweringError, openConsole } from "../../host-sim/installer/console-client.ts";
import { provisionUnit, ProvisionError } from "../../host-sim/installer/provision.ts";
import { runSelfTestTool } from "../../host-sim/installer/selftest.ts";
import { ptyFolder, ptyPair, removeFolder, skipWithoutSocat, socatAvailable, type PtyPair } from "../installer/pty-pair.ts";

/** Step the simulation's virtual clock 100 ms per real turn until stopped. */
function stepClock(sim: Simulation): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await sim.runFor(100);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

/** Bridge the simulated console to pty end `path`. */
async function bridge(sim: Simulation, path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on("data", (data: Buffer) => sim.console.write(new Uint8Array(data)));
  sim.console.onOutput = (bytes) => void port.write(Buffer.from(bytes));
  return port;
}

describe("console tools over a pseudo-terminal (Node firmware)", function () {
  this.timeout(120_000);
  let dir = "";
  let pty: PtyPair | undefined;
  let sim: Simulation | undefined;
  let stop: (() => Promise<void>) | undefined;
  let deviceEnd: SerialPort | undefined;
  let client: ConsoleClient | undefined;

  before(skipWithoutSocat);

  beforeEach(async () => {
    dir = ptyFolder();
    pty = await ptyPair(dir, "console");
    sim = await Simulation.create({ ownerNumber: null, pin: null, modemOnAtStart: true });
    await sim.start();
    deviceEnd = await bridge(sim, pty.a);
    stop = stepClock(sim);
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await stop?.();
    if (deviceEnd?.isOpen) await new Promise((resolve) => deviceEnd!.close(() => resolve(undefined)));
    await sim?.close();
    pty?.close();
    removeFolder(dir);
  });

  it("provisions an unclaimed unit (label without the PIN), leaves it locked, runs the self-test, and the owner's WHERE is answered", async () => {
    const printed: string[] = [];
    client = await openConsole(pty!.b);
    const labelFile = join(dir, "label.txt");
    const { label } = await provisionUnit(client, { owner: "(408) 555-0199", pin: "97531", country: "US", labelFile, print: (l) => printed.push(l) });
    expect(label).to.match(/^SMS GPS TRACKER\nIMEI: 868071040000017\nFirmware: 0\.1\.0\nSetup code: [A-Z0-9]{10}\n/);
    expect(readFileSync(labelFile, "utf8")).to.equal(label);
    expect(printed.join("\n") + label).not.to.contain("97531");
    expect(sim!.console.lines.join("\n")).not.to.contain("97531");

    const locked = await client.command("STATUS");
    expect(locked.ok).to.equal(false);
    expect(locked.summary).to.equal("locked");
    await expectRejectsLocked(client);

    const out: string[] = [];
    const result = await runSelfTestTool(client, { pin: "97531", fixWithinS: 60, loopbackWithinS: 60, selfNumber: "+14085550100", print: (l) => out.push(l) });
    expect(result.checks.map((c) => c.id)).to.include.members(["modem", "sim", "network", "signal", "sms-loopback", "gnss-fix", "backup-battery"]);
    expect(result.checks.find((c) => c.id === "sms-loopback")?.verdict).to.equal("PASS");
    expect(result.exitCode).to.equal(0);
    expect(out.join("\n")).to.match(/\[ OK \] modem +A7670E-LASE/);
    expect((await client.hello())["locked"]).to.equal("yes"); // locked again after the test

    await stop!(); // sim.ask runs the clock itself
    stop = undefined;
    const reply = await sim!.ask(sim!.owner, "WHERE", 120_000);
    expect(reply?.text).to.match(/GNSS fix|position/i);
    expect(sim!.device.faults).to.deep.equal([]);
  });

  it("refuses to provision a unit that already has an owner", async () => {
    client = await openConsole(pty!.b);
    await provisionUnit(client, { owner: "+14085550199", pin: "2468", labelFile: join(dir, "l.txt"), print: () => {} });
    let error: unknown;
    await provisionUnit(client, { owner: "+14155550177", pin: "1357", labelFile: join(dir, "l2.txt"), print: () => {} }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ProvisionError);
    expect((error as Error).message).to.contain("already has an owner");
    expect(existsSync(join(dir, "l2.txt"))).to.equal(false);
  });
});

describe("console client errors", function () {
  this.timeout(30_000);
  it("says the device is not answering (and what to check) when nothing speaks on the port", async function () {
    if (!socatAvailable()) this.skip();
    const dir = ptyFolder();
    const pty = await ptyPair(dir, "silent");
    try {
      const client = await openConsole(pty.b);
      const error = await client.hello(1500).then(() => undefined, (e: unknown) => e);
      await client.close();
      expect(error).to.be.instanceOf(NotAnsweringError);
      expect((error as Error).message).to.match(/does not answer its console[\s\S]*console=on/);
    } finally {
      pty.close();
      removeFolder(dir);
    }
  });

  it("reports a missing port with the ports that exist", async () => {
    const error = await openConsole("/dev/ttyNOPE9").then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).to.match(/does not exist/);
  });
});

async function expectRejectsLocked(client: ConsoleClient): Promise<void> {
  const answer = await client.command("SET PIN 1234");
  expect(answer.ok).to.equal(false);
  expect(answer.summary).to.equal("locked");
}

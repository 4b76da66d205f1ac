/**
 * The installer's host tools against the firmware on Moddable's own runtime: the `lin` build under
 * mcsim (the moddable engine), its console on the pseudo-terminal `console.tty`. The test hands the
 * host end of that pty to the tools (ModdableDevice.releaseConsole) and runs them as an installer
 * would, as child processes: `tracker provision --port <pty>` on an unclaimed unit, then
 * `tracker selftest --port <pty>` (SMS loopback to the unit's own number); then the owner's WHERE by
 * SMS. The runtime runs on real timers; the simulation's clock follows the wall clock.
 *
 * Needs the lin build (slow): it runs only when TRACKER_LIN_TESTS=1 (npm run test:device / .ci/run,
 * after npm run build:device) and skips, saying why, without the build, socat or xvfb-run.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Simulation } from "../../host-sim/simulation.ts";
import { linAppPath } from "../../host-sim/moddable/device-build.ts";
import { ModdableDevice, runtimePeaks } from "../../host-sim/moddable/moddable-device.ts";
import { PROJECT_ROOT } from "../../host-sim/moddable/sdk.ts";
import { ptyFolder, removeFolder, socatAvailable } from "../installer/pty-pair.ts";

const PIN = "97531";
const OWNER = "+14085550199";

/** Why the test cannot run here, or undefined. */
function whySkipped(): string | undefined {
  if (process.env["TRACKER_LIN_TESTS"] !== "1") return "the lin-runtime console test runs with TRACKER_LIN_TESTS=1 (npm run test:device, after npm run build:device)";
  if (!linAppPath()) return "the lin build is absent: run npm run build:device (or node bin/tracker.mjs build-device --only lin) first";
  if (!socatAvailable()) return "socat is not installed (pseudo-terminals)";
  if (spawnSync("xvfb-run", ["--help"], { stdio: "ignore" }).error) return "xvfb-run is not installed (a display for mcsim)";
  return undefined;
}

/** Run `tracker <args>` (bin/tracker.mjs) to its end: exit code and output. */
function tracker(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "bin", "tracker.mjs"), ...args], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Keep the simulation's clock running (modem, network, GNSS) while a tool talks to the port. */
async function whileClockRuns<T>(sim: Simulation, work: Promise<T>): Promise<T> {
  let done = false;
  const finished = work.finally(() => (done = true));
  while (!done) await sim.runFor(200);
  return finished;
}

describe("console tools over a pseudo-terminal (lin build on Moddable's runtime)", function () {
  this.timeout(600_000);
  let sim: Simulation | undefined;
  let dir = "";

  before(function () {
    const why = whySkipped();
    if (why) {
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
  });

  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    if (dir) removeFolder(dir);
  });

  it("tracker provision claims an unclaimed unit (label without the PIN), tracker selftest passes with the SMS loopback, and the owner's WHERE is answered once", async () => {
    dir = ptyFolder();
    sim = await Simulation.create({ engine: "moddable", ownerNumber: null, pin: null });
    const device = sim.device as ModdableDevice;
    const port = device.releaseConsole();
    await sim.start();
    expect(await sim.waitForState("ready", 60_000), `state ${sim.device.state}`).to.equal(true);

    const labelFile = join(dir, "label.txt");
    const provision = await whileClockRuns(sim, tracker(["provision", "--port", port, "--owner", "(408) 555-0199", "--pin", PIN, "--country", "US", "--setup-code", "auto", "--label-file", labelFile]));
    expect(provision.code, provision.stdout + provision.stderr).to.equal(0);
    const label = readFileSync(labelFile, "utf8");
    expect(label).to.match(/^SMS GPS TRACKER\nIMEI: 868071040000017\nFirmware: 0\.1\.0\nSetup code: [A-Z0-9]{10}\n/);
    expect(provision.stdout).to.contain(label.split("\n")[3]);
    expect(provision.stdout + provision.stderr + label).not.to.contain(PIN);
    expect(JSON.stringify(device.store)).to.contain(OWNER);
    expect(JSON.stringify(device.store)).not.to.contain(PIN);

    const again = await whileClockRuns(sim, tracker(["provision", "--port", port, "--owner", "+14155550177", "--pin", "1357", "--label-file", join(dir, "l2.txt")]));
    expect(again.code).not.to.equal(0);
    expect(again.stdout + again.stderr).to.contain("already has an owner");

    const selftest = await whileClockRuns(
      sim,
      tracker(["selftest", "--port", port, "--pin", PIN, "--fix-within", "60", "--loopback-within", "60", "--self-number", sim.trackerNumber]),
    );
    expect(selftest.code, selftest.stdout + selftest.stderr).to.equal(0);
    expect(selftest.stdout).to.match(/\[ OK \] modem +A7670E-LASE/);
    expect(selftest.stdout).to.match(/\[ OK \] sms-loopback/);
    expect(selftest.stdout).not.to.match(/\[FAIL\]/);
    expect(selftest.stdout + selftest.stderr).not.to.contain(PIN);

    const before = sim.owner.inbox.length;
    const reply = await sim.ask(sim.owner, "WHERE", 90_000);
    expect(reply?.text).to.match(/^(Live GNSS fix|No position yet)/);
    await sim.runFor(5_000);
    expect(sim.owner.inbox.length - before).to.equal(1);
    expect(sim.device.faults).to.deep.equal([]);

    const peaks = runtimePeaks(device.runtimeSamples);
    console.log(`    lin runtime: stack peak ${peaks.stackPeakSlots} slots, slot heap ${peaks.slotBytes} B, chunk heap ${peaks.chunkBytes} B (${device.runtimeSamples.length} samples)`);
    expect(device.runtimeSamples.length).to.be.greaterThan(0);
    expect(existsSync(port)).to.equal(true);
  });
});

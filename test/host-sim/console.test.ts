/**
 * `tracker start` with its input piped at once (a new user's `printf 'WHERE\n' | npm start`): the
 * line must be read even while the engine is still starting, steps must never overlap, and the
 * console must answer and end, on both engines.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const TRACKER = fileURLToPath(new URL("../../bin/tracker.mjs", import.meta.url));

function pipeInto(engine: string, input: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TRACKER, "start", "--engine", engine, "--speed", "100"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
    child.stdin.end(input);
  });
}

describe("host-sim console (tracker start) with piped input", function () {
  this.timeout(120_000);
  for (const engine of ["node", "xs"]) {
    it(`answers 'WHERE' piped at once and ends (${engine})`, async () => {
      const { code, out } = await pipeInto(engine, "WHERE\n");
      expect(out).to.include("📱 owner → tracker: WHERE");
      expect(out).to.match(/📱 owner ← tracker: (Live GNSS fix|No position yet)/);
      expect(out).to.include("simulation ended");
      expect(out).to.not.include("overlapping");
      expect(code).to.equal(0);
    });
  }
});

/** Whether util-linux `script` is here to give the console a terminal. */
const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;

/**
 * The console on a terminal (through `script`): once it is ready, `keys` are typed and the input
 * is left open, as a person at a keyboard would; resolves when the process ends (or after 30 s).
 */
function typeInto(keys: string): Promise<{ code: number | null; out: string; ended: boolean }> {
  return new Promise((resolve) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(TRACKER)} start --speed 20`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let typed = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!typed && out.includes("tracker state: ready")) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, ended: code !== null });
    });
  });
}

describe("host-sim console (tracker start) on a terminal", function () {
  this.timeout(60_000);
  for (const [name, keys] of [["/quit", "/quit\r"], ["Ctrl-C", "\x03"], ["Ctrl-D", "\x04"]] as const) {
    it(`${name} ends the simulation and the process at once (no second one needed)`, async function () {
      if (!HAS_SCRIPT) this.skip(); // util-linux 'script' is not installed: no terminal to test on
      const { ended, out } = await typeInto(keys);
      expect(ended, out).to.equal(true);
      expect(out).to.include("simulation ended");
      expect(out.slice(out.lastIndexOf("simulation ended"))).to.not.include("sms>");
    });
  }
});

describe("host-sim console commands (piped)", function () {
  this.timeout(120_000);
  it("/tunnel needs on or off; /status shows the tunnel, the owner and the power; \\n makes a line break; the PIN works; /power cut raises the power alert", async () => {
    const { code, out } = await pipeInto("node", "/tunnel maybe\n/tunnel on\n/status\nWHERE\\nplease\nADD +14155550177 Anna 2468\n/wait 30\n/power off\n/power cut\n/ignition maybe\n/wait 60\n");
    expect(out).to.include("usage: /tunnel on|off (now off)");
    expect(out).to.match(/ {2}power {5}\d+\.\d V supply, 4\.\d V battery, ignition (on|off)/);
    expect(out).to.include("usage: /power cut|on (now on)");
    expect(out).to.include("usage: /ignition on|off (now ");
    expect(out).to.match(/📱 owner ← tracker: POWER ALERT: power cut at /);
    expect(out).to.include("(in a tunnel: no sky)");
    expect(out).to.match(/tracker {3}\S+, owner \+14085550199/);
    expect(out).to.match(/📱 owner ← tracker: (No position|NO live position)/);
    expect(out).to.include("📱 owner ← tracker: Anna (+1415***0177) was added as user");
    expect(code).to.equal(0);
  });
});

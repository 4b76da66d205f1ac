/**
 * `tracker start` with its input piped at once (a new user's `printf 'WHERE\n' | npm start`): the
 * line must be read even while the engine is still starting, steps must never overlap, and the
 * console must answer and end, on both engines.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
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

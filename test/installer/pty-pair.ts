/**
 * Pseudo-terminal pairs for the installer tests: socat links two ptys (`<dir>/<name>-a` and
 * `<dir>/<name>-b`); what is written to one end is read at the other, through the kernel's tty layer
 * as a USB-serial port would be. Tests skip (with a message) when socat is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** True when the socat command runs. */
export function socatAvailable(): boolean {
  const result = spawnSync("socat", ["-V"], { stdio: "ignore" });
  return result.error === undefined && result.status === 0;
}

/** A mocha `before` hook: skip the suite, saying why, when socat is not installed. */
export function skipWithoutSocat(this: Mocha.Context): void {
  if (socatAvailable()) return;
  console.log("    (skipped: socat is not installed; apt-get install socat)");
  this.skip();
}

export interface PtyPair {
  a: string;
  b: string;
  close(): void;
}

/** A fresh folder for a test's pty links (removed by removeFolder). */
export function ptyFolder(): string {
  return mkdtempSync(join(tmpdir(), "tracker-pty-"));
}

export function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Start socat and wait (up to 5 s) for both links. */
export async function ptyPair(dir: string, name: string): Promise<PtyPair> {
  const a = join(dir, `${name}-a`);
  const b = join(dir, `${name}-b`);
  const socat: ChildProcess = spawn("socat", [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: "ignore" });
  const started = Date.now();
  while (!(existsSync(a) && existsSync(b))) {
    if (socat.exitCode !== null || Date.now() - started > 5000) {
      socat.kill();
      throw new Error(`socat did not create ${a} and ${b}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    a,
    b,
    close: () => {
      if (socat.exitCode === null) socat.kill("SIGTERM");
    },
  };
}

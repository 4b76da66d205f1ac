/** The XS bridge gives the firmware the device's environment, and meters it. */
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { XsEngine } from "../../host-sim/engines/xs-engine.ts";
import { XS_CPU_ENV, onCpu } from "../../host-sim/engines/cpu-affinity.ts";
import { NodeEngine } from "../../host-sim/engines/node-engine.ts";
import { RecordKind, asciiEncode, decodeMessage, encodeMessage } from "../../host-sim/guest/wire-format.ts";

/** The main thread's CPU list (read when mocha loads the files, before any engine runs). */
function mainThreadCpus(): string | undefined {
  if (process.platform !== "linux") return undefined;
  return /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/self/task/${process.pid}/status`, "utf8"))?.[1];
}
const cpusAtLoad = mainThreadCpus();

describe("engines/xs-engine", function () {
  this.timeout(60_000);
  let engine: XsEngine;
  before(async () => {
    engine = await XsEngine.start();
  });
  after(async () => {
    await engine.close();
  });

  it("removes TextDecoder/TextEncoder and freezes the built-ins, as on the device", async () => {
    await engine.evaluate(`if (typeof TextDecoder !== "undefined" || typeof TextEncoder !== "undefined") throw Error("text codecs present");`);
    await engine.evaluate(`if (!Object.isFrozen(Array.prototype) || !Object.isFrozen(Error.prototype)) throw Error("not frozen");`);
    let failed = false;
    await engine.evaluate(`(() => { "use strict"; class E extends Error { constructor() { super(); this.name = "E"; } } new E(); })()`).catch(() => (failed = true));
    expect(failed, "assigning name in an Error subclass must throw, as on XS devices").to.equal(true);
  });

  it("runs xsnap on the one CPU this process's main thread is pinned to (they take turns: no vCPU wake-ups between them)", function () {
    if (!existsSync("/usr/bin/taskset") || process.env[XS_CPU_ENV] === "none") this.skip();
    const ours = mainThreadCpus();
    const theirs = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${engine.pid}/status`, "utf8"))?.[1];
    expect(ours).to.match(/^\d+$/);
    expect(theirs).to.equal(ours);
  });

  it("gives the main thread back its CPUs when the last engine closes", async function () {
    if (!existsSync("/usr/bin/taskset") || process.env[XS_CPU_ENV] === "none") this.skip();
    const pinned = mainThreadCpus();
    await engine.close();
    const freed = mainThreadCpus();
    engine = await XsEngine.start(); // for the tests after this one
    expect(pinned).to.match(/^\d+$/);
    expect(freed).to.equal(cpusAtLoad);
    expect(mainThreadCpus()).to.match(/^\d+$/); // pinned again by the new engine
  });

  it("onCpu starts a command through taskset on the CPU given, and as it is without one", () => {
    expect(onCpu(1, "/bin/xsnap", ["-l", "5"])).to.deep.equal({ file: "taskset", args: ["-c", "1", "/bin/xsnap", "-l", "5"] });
    expect(onCpu(undefined, "/bin/xsnap", ["-l", "5"])).to.deep.equal({ file: "/bin/xsnap", args: ["-l", "5"] });
  });

  it("reports an evaluation error instead of hanging", async () => {
    let message = "";
    await engine.evaluate("throw new Error('boom')").catch((e: Error) => (message = e.message));
    expect(message).to.match(/boom/);
  });

  it("boots the firmware and answers steps with meter figures, like the Node engine", async () => {
    const boot = encodeMessage([{ kind: RecordKind.Boot, bytes: asciiEncode(JSON.stringify({ store: {} })) }], 0);
    const xs = await engine.step(boot);
    const node = await new NodeEngine().step(boot);
    expect(xs.computrons).to.be.a("number").and.greaterThan(0);
    expect(xs.heapSlots).to.be.a("number").and.greaterThan(0);
    const kinds = (m: Uint8Array) => decodeMessage(m, false).records.map((r) => r.kind);
    expect(kinds(xs.response)).to.deep.equal(kinds(node.response));
    expect(decodeMessage(xs.response, false).records.some((r) => r.kind === RecordKind.Fault)).to.equal(false);
  });
});

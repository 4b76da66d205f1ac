/** The XS bridge gives the firmware the device's environment, and meters it. */
import { expect } from "chai";
import { XsEngine } from "../../host-sim/engines/xs-engine.ts";
import { NodeEngine } from "../../host-sim/engines/node-engine.ts";
import { RecordKind, asciiEncode, decodeMessage, encodeMessage } from "../../host-sim/guest/wire-format.ts";

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

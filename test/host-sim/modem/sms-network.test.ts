import { expect } from "chai";
import { VirtualClock } from "../../../host-sim/clock.ts";
import { VirtualPhone } from "../../../host-sim/modem/phone.ts";
import { SmsNetwork } from "../../../host-sim/modem/sms-network.ts";

describe("host-sim SmsNetwork and VirtualPhone", () => {
  it("delivers after the default 2 s delay and logs the message", async () => {
    const clock = new VirtualClock();
    const net = new SmsNetwork(clock);
    const a = new VirtualPhone(net, "+14085550001");
    const b = new VirtualPhone(net, "+14085550002");
    const seen: string[] = [];
    b.onMessage = (m) => seen.push(m.text);
    await clock.runFor(500);
    const record = a.send("+14085550002", "hello");
    await clock.runFor(1999);
    expect(b.inbox).to.have.length(0);
    await clock.runFor(1);
    expect(b.inbox).to.deep.equal([{ from: "+14085550001", text: "hello", atMs: 2500 }]);
    expect(seen).to.deep.equal(["hello"]);
    expect(record).to.include({ from: "+14085550001", to: "+14085550002", submittedAtMs: 500, deliveredAtMs: 2500, status: "delivered" });
    expect(net.log).to.have.length(1);
  });

  it("records unknown destinations as undeliverable", async () => {
    const clock = new VirtualClock();
    const net = new SmsNetwork(clock, { deliveryDelayMs: 100 });
    const a = new VirtualPhone(net, "+14085550001");
    const r = a.send("+19999999999", "lost");
    await clock.runFor(200);
    expect(r.status).to.equal("undeliverable");
    expect(r.deliveredAtMs).to.equal(undefined);
  });

  it("accepts any sender string (spoofing, alphanumeric)", async () => {
    const clock = new VirtualClock();
    const net = new SmsNetwork(clock);
    const b = new VirtualPhone(net, "+14085550002");
    net.submit("BANK", "+14085550002", "hi");
    new VirtualPhone(net, "+1").sendAs("+14085550199", "+14085550002", "spoofed");
    await clock.runFor(3000);
    expect(b.inbox.map((m) => m.from)).to.deep.equal(["BANK", "+14085550199"]);
  });

  it("matches destinations by digits when the exact string differs", async () => {
    const clock = new VirtualClock();
    const net = new SmsNetwork(clock);
    const b = new VirtualPhone(net, "+14085550002");
    net.submit("x", "14085550002", "no plus");
    await clock.runFor(3000);
    expect(b.inbox).to.have.length(1);
  });

  it("keeps messages for an offline phone and delivers them when it comes back, in order", async () => {
    const clock = new VirtualClock();
    const net = new SmsNetwork(clock, { deliveryDelayMs: 100, retryDelayMs: 50 });
    const b = new VirtualPhone(net, "+2");
    b.setOnline(false);
    net.submit("+1", "+2", "one");
    net.submit("+1", "+2", "two");
    await clock.runFor(1000);
    expect(net.log.map((r) => r.status)).to.deep.equal(["waiting", "waiting"]);
    b.setOnline(true);
    await clock.runFor(100);
    expect(b.inbox.map((m) => m.text)).to.deep.equal(["one", "two"]);
    expect(net.log.map((r) => r.attempts)).to.deep.equal([2, 2]);
    expect(net.messagesTo("+2")).to.have.length(2);
    expect(net.messagesFrom("+1")).to.have.length(2);
  });
});

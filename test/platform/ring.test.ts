/**
 * The modem's RING line: the device's input (a falling-edge Digital, onRing on the runtime's turn)
 * and what the inbox does with a ring (lists the store at once when no +CMTI follows it).
 */
import { expect } from "chai";
import { AtChat } from "../../src/modem/at-chat.ts";
import { RING_URC_WAIT_MS, SmsInbox } from "../../src/sms/sms-inbox.ts";
import { DigitalRingInput, type EdgeDigitalClass } from "../../src/platform/moddable/ring-input.ts";
import { FakeClock, FakePort, RecordingLogger } from "../modem/fakes.ts";

/** A stand-in for ECMA-419 Digital keeping the options it was opened with; fire() plays the runtime calling onReadable. */
function fakeDigital() {
  const opened: Array<{ pin: number; mode: number; edge: number; onReadable: () => void }> = [];
  class FakeDigital {
    static readonly InputPullUp = 3;
    static readonly Falling = 2;
    level: 0 | 1 = 1;
    constructor(options: { pin: number; mode: number; edge: number; onReadable: () => void }) {
      opened.push(options);
    }
    read(): 0 | 1 {
      return this.level;
    }
    close(): void {}
  }
  return { Digital: FakeDigital as unknown as EdgeDigitalClass, opened };
}

describe("RING input (src/platform/moddable/ring-input.ts)", () => {
  it("opens the pin as a pulled-up input with a falling-edge callback", () => {
    const { Digital, opened } = fakeDigital();
    new DigitalRingInput(Digital, 33, new RecordingLogger());
    expect(opened).to.have.length(1);
    expect(opened[0]).to.include({ pin: 33, mode: 3, edge: 2 });
  });

  it("calls onRing per edge turn, counts the edges, and logs (never throws) when the handler throws", () => {
    const { Digital, opened } = fakeDigital();
    const log = new RecordingLogger();
    const ring = new DigitalRingInput(Digital, 33, log);
    opened[0]!.onReadable(); // no handler yet: counted only
    let rings = 0;
    ring.onRing = () => rings++;
    opened[0]!.onReadable();
    expect(rings).to.equal(1);
    ring.onRing = () => {
      throw new Error("boom");
    };
    expect(() => opened[0]!.onReadable()).not.to.throw();
    expect(ring.edges).to.equal(3);
    expect(log.lines.some((l) => /ring handler threw: Error: boom/.test(l))).to.equal(true);
  });
});

describe("SmsInbox.ring", () => {
  function setup() {
    const port = new FakePort();
    const clock = new FakeClock();
    const log = new RecordingLogger();
    const chat = new AtChat(port, clock, log);
    const inbox = new SmsInbox(chat, clock, log, (_sms, done) => done());
    inbox.setMode("pdu");
    return { port, clock, inbox };
  }

  it("lists the store when no +CMTI follows the ring within RING_URC_WAIT_MS", () => {
    const { port, clock, inbox } = setup();
    inbox.ring();
    clock.advance(RING_URC_WAIT_MS - 1);
    expect(port.written).to.equal("");
    clock.advance(1);
    expect(port.written).to.equal("AT+CPMS?\r");
    expect(inbox.ringStats).to.include({ rings: 1, ringSweeps: 1 });
  });

  it("does nothing more when the +CMTI comes (the message is read from its indication)", () => {
    const { port, clock, inbox } = setup();
    inbox.ring();
    clock.advance(5);
    expect(inbox.handleUrc('+CMTI: "SM",4')).to.equal(true);
    clock.advance(RING_URC_WAIT_MS);
    expect(port.written).to.equal("AT+CMGR=4\r");
    expect(inbox.ringStats.ringSweeps).to.equal(0);
  });

  it("folds rings that come while one waits into one check, and clear() drops it", () => {
    const { port, clock, inbox } = setup();
    inbox.ring();
    clock.advance(100);
    inbox.ring();
    inbox.ring();
    clock.advance(RING_URC_WAIT_MS);
    expect(port.written).to.equal("AT+CPMS?\r");
    expect(inbox.ringStats).to.include({ rings: 3, ringSweeps: 1 });
    const { port: port2, clock: clock2, inbox: inbox2 } = setup();
    inbox2.ring();
    inbox2.clear();
    clock2.advance(RING_URC_WAIT_MS * 2);
    expect(port2.written).to.equal("");
  });
});

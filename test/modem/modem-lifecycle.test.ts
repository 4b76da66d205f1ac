import { expect } from "chai";
import { AtChat } from "../../src/modem/at-chat.ts";
import { isAllowedAtCommand } from "../../src/modem/at-allow-list.ts";
import {
  ModemLifecycle,
  isValidSimPin,
  parseCclk,
  registrationStateOf,
  signalWords,
  type ModemLifecycleOptions,
  type ModemLifecycleState,
} from "../../src/modem/modem-lifecycle.ts";
import { A7670, BG96, EG25, MODEM_PROFILES, SIM7000, SIM7600, SIM800, type ModemProfile } from "../../src/modem/profiles.ts";
import { CHUNKINGS, FakeClock, FakePort, RecordingLogger } from "./fakes.ts";
import { FakeModem, type FakeModemOptions } from "./fake-modem.ts";

type Chunking = (typeof CHUNKINGS)[number];

interface Harness {
  clock: FakeClock;
  port: FakePort;
  log: RecordingLogger;
  chat: AtChat;
  modem: FakeModem;
  lc: ModemLifecycle;
  /** "state:<name>", "ready", "lost:<reason>", "pin-refused" in order. */
  events: string[];
  states: ModemLifecycleState[];
  /** Advance in 10 ms steps until `done()` or `maxMs` passed; returns done(). */
  runUntil(done: () => boolean, maxMs?: number): boolean;
  /** Advance until ready (fails the test otherwise). */
  toReady(maxMs?: number): void;
  /** Commands the firmware wrote (whatever the modem did with them). */
  written(): string[];
  /** On-press / off-press pairs [pressedAtMs, heldMs]. */
  presses(): Array<[number, number]>;
}

interface Setup {
  profile?: ModemProfile;
  modem?: FakeModemOptions;
  simPin?: string;
  chunking?: Chunking;
  options?: Partial<ModemLifecycleOptions>;
  clockSet?: () => boolean;
  noPowerKey?: boolean;
}

function setup(s: Setup = {}): Harness {
  const profile = s.profile ?? A7670;
  const clock = new FakeClock();
  const port = new FakePort();
  port.chunker = (s.chunking ?? CHUNKINGS[3]!).make();
  const log = new RecordingLogger();
  const chat = new AtChat(port, clock, log);
  const modem = new FakeModem(port, clock, profile, s.modem);
  const events: string[] = [];
  const states: ModemLifecycleState[] = [];
  let simPin = s.simPin ?? "";
  const lc = new ModemLifecycle(chat, clock, log, {
    profile,
    powerKey: s.noPowerKey ? undefined : modem.pin,
    simPin: () => simPin,
    wallClock: { isSet: s.clockSet ?? (() => true), set: (utcMs) => clock.setUtcMs(utcMs) },
    ...s.options,
  });
  chat.onUrc = (line) => {
    lc.handleUrc(line);
  };
  lc.onStateChange = (state) => {
    states.push(state);
    events.push("state:" + state);
  };
  lc.onReady = () => events.push("ready");
  lc.onLost = (reason) => {
    events.push("lost:" + reason);
    chat.abortAll(); // as the app does
  };
  lc.onSimPinRefused = () => {
    events.push("pin-refused");
    simPin = ""; // as the app does: the refused PIN is erased
  };
  const h: Harness = {
    clock,
    port,
    log,
    chat,
    modem,
    lc,
    events,
    states,
    runUntil(done, maxMs = 120_000) {
      const end = clock.nowMs + maxMs;
      while (!done() && clock.nowMs < end) clock.advance(10);
      return done();
    },
    toReady(maxMs = 120_000) {
      expect(h.runUntil(() => lc.state === "ready", maxMs), `ready (state ${lc.state})`).to.equal(true);
    },
    written() {
      return port.written.split("\r").filter((c) => c.length > 0);
    },
    presses() {
      return modem.pin.presses;
    },
  };
  return h;
}

/** Invariants of every run: only allowed AT commands (so no data bearer), no PIN in a log line. */
function checkInvariants(h: Harness, pins: string[] = []): void {
  for (const c of h.written()) expect(isAllowedAtCommand(c), c).to.equal(true);
  for (const line of h.log.lines) for (const pin of pins) expect(line, "a log line holds the PIN").to.not.include(pin);
}

const BRING_UP: ModemLifecycleState[] = ["probing", "powering-on", "booting", "initialising", "configuring-sms", "registering", "ready"];

describe("modem/ModemLifecycle", () => {
  describe("boot → ready for each profile", () => {
    for (const chunking of CHUNKINGS) {
      describe(chunking.name, () => {
        for (const profile of MODEM_PROFILES) {
          it(`${profile.name}: silent at start → one on press (${profile.powerKey.onPulseMs} ms) → boot URCs → ready`, () => {
            const h = setup({ profile, chunking });
            h.lc.start();
            expect(h.modem.pin.writes[0]).to.deep.equal({ value: 0, atMs: 0 }); // key released at start
            h.toReady(60_000);
            expect(h.states).to.deep.equal(BRING_UP);
            expect(h.presses()).to.have.length(1);
            expect(h.presses()[0]![1]).to.equal(profile.powerKey.onPulseMs);
            expect(h.modem.boots).to.equal(1);
            expect(h.events.filter((e) => e === "ready")).to.have.length(1);
            // SMS set-up waited for the SMS-ready URC: CMGF went through at the first attempt.
            expect(h.modem.commands.filter((c) => c === "AT+CMGF=0"), "CMGF attempts").to.have.length(1);
            expect(h.modem.commands).to.include.members(["ATE0", "AT+CMEE=2", "AT+CPIN?", "AT+CNMI=2,1,0,0,0"]);
            if (profile.vendor === "Quectel") expect(h.modem.commands).to.include('AT+QURCCFG="urcport","uart1"');
            expect(h.modem.commands.some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
            expect(h.log.lines.filter((l) => l.includes(" modem: ") && l.includes(" → "))).to.have.length(BRING_UP.length);
            checkInvariants(h);
          });
        }

        it("PIN asked and configured → sent once, never logged → ready", () => {
          const h = setup({ profile: SIM7600, chunking, modem: { simPin: "4821" }, simPin: "4821" });
          h.lc.start();
          h.toReady(60_000);
          expect(h.modem.commands.filter((c) => c.startsWith("AT+CPIN="))).to.deep.equal(['AT+CPIN="4821"']);
          expect(h.states).to.include("sim-pin");
          expect(h.lc.stats.pinAttempts).to.equal(1);
          expect(h.log.lines.some((l) => l.includes("AT+CPIN=<hidden>"))).to.equal(true);
          checkInvariants(h, ["4821"]);
        });

        it("RDY mid-session → lost, re-initialised, counted as a reboot", () => {
          const h = setup({ profile: SIM7600, chunking, modem: { on: true } });
          h.lc.start();
          h.toReady();
          const before = h.modem.commands.length;
          h.modem.reboot();
          h.runUntil(() => h.lc.state !== "ready");
          expect(h.events.at(-2)).to.equal("state:initialising");
          expect(h.events.at(-1)).to.equal("lost:modem rebooted");
          h.toReady();
          expect(h.lc.stats.reboots).to.equal(1);
          expect(h.events.filter((e) => e === "ready")).to.have.length(2);
          expect(h.modem.commands.slice(before)).to.include.members(["ATE0", "AT+CPIN?", "AT+CMGF=0", "AT+CNMI=2,1,0,0,0"]);
          expect(h.presses(), "a rebooting modem is never pressed").to.have.length(0);
          checkInvariants(h);
        });
      });
    }
  });

  it("a modem already on is never pressed", () => {
    const h = setup({ modem: { on: true } });
    h.lc.start();
    h.toReady();
    expect(h.states).to.deep.equal(["probing", "initialising", "configuring-sms", "registering", "ready"]);
    expect(h.presses()).to.deep.equal([]);
    expect(h.modem.pin.writes.map((w) => w.value)).to.deep.equal([0]);
  });

  it("a modem booting on its own (boot URC during the probes) is not pressed", () => {
    const h = setup({ modem: { bootMs: 1_500 } });
    h.modem.reboot(); // powered with the board: boots by itself
    h.lc.start();
    h.toReady();
    expect(h.presses()).to.deep.equal([]);
    expect(h.log.lines.some((l) => l.includes("probing → initialising (modem started (*ATREADY: 1))"))).to.equal(true);
  });

  it("SIM800 with autobaud (no RDY, no URCs): AT answering ends the boot wait", () => {
    const h = setup({ profile: SIM800, modem: { silentBoot: true } });
    h.lc.start();
    h.toReady();
    expect(h.presses()).to.have.length(1);
    expect(h.log.lines.some((l) => l.includes("booting → initialising (modem answers)"))).to.equal(true);
  });

  it("no power key wired: a silent modem is waited for, then reported, never pressed", () => {
    const h = setup({ noPowerKey: true });
    h.lc.start();
    h.runUntil(() => h.lc.state === "failed", 60_000);
    expect(h.lc.state).to.equal("failed");
    expect(h.lc.failure?.reason).to.match(/^modem not responding 20 s after start-up/);
    expect(h.modem.pin.writes).to.deep.equal([]);
  });

  describe("SIM PIN", () => {
    it("asked but none configured → failed 'SIM PIN required' (needs a person), never sends AT+CPIN=", () => {
      const h = setup({ modem: { simPin: "1234" } });
      h.lc.start();
      h.runUntil(() => h.lc.state === "failed", 60_000);
      expect(h.lc.failure).to.deep.equal({ reason: "SIM PIN required (no SIM PIN configured)", needsPerson: true });
      h.clock.advance(3 * 600_000 + 60_000); // slow re-checks
      expect(h.lc.state).to.equal("failed");
      expect(h.written().some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
      expect(h.written().filter((c) => c === "AT+CPIN?").length).to.be.at.least(4);
      expect(h.presses(), "re-checks never press the key of a modem that answers").to.have.length(1);
      checkInvariants(h);
    });

    it("wrong PIN → failed 'SIM PIN wrong', reported once, never retried (not after a reboot either)", () => {
      const h = setup({ modem: { simPin: "1234" }, simPin: "9999" });
      h.lc.start();
      h.runUntil(() => h.lc.state === "failed", 60_000);
      expect(h.lc.failure).to.deep.equal({ reason: "SIM PIN wrong", needsPerson: true });
      expect(h.events.filter((e) => e === "pin-refused")).to.have.length(1);
      h.clock.advance(30 * 60_000);
      h.modem.reboot();
      h.clock.advance(30 * 60_000);
      expect(h.written().filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
      expect(h.modem.pinAttemptsLeft, "the SIM is not pushed towards its PUK").to.equal(2);
      expect(h.lc.state).to.equal("failed");
      checkInvariants(h, ["9999", "1234"]);
    });

    it("a refused PIN kept in the settings (app did not erase it) is not sent again", () => {
      const h = setup({ modem: { simPin: "1234" }, simPin: "9999" });
      h.lc.onSimPinRefused = null;
      h.lc.start();
      h.clock.advance(3 * 600_000);
      h.modem.reboot();
      h.clock.advance(3 * 600_000);
      expect(h.written().filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
      expect(h.lc.failure?.reason).to.match(/^SIM PIN wrong/);
    });

    it("PUK required → failed 'SIM PUK required', no PIN sent", () => {
      const h = setup({ modem: { simPin: "1234", puk: true }, simPin: "1234" });
      h.lc.start();
      h.runUntil(() => h.lc.state === "failed", 60_000);
      expect(h.lc.failure).to.deep.equal({ reason: "SIM PUK required", needsPerson: true });
      expect(h.written().some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
    });

    it("the last attempt turning into PUK is reported as PUK (a modem that cannot tell the attempts left)", () => {
      const h = setup({ modem: { simPin: "1234", pinAttempts: 1, noPinCounter: true }, simPin: "9999" });
      h.lc.start();
      h.runUntil(() => h.lc.state === "failed", 60_000);
      expect(h.lc.failure?.reason).to.equal("SIM PIN wrong");
      h.clock.advance(620_000); // the slow re-check finds the SIM blocked
      expect(h.lc.failure).to.deep.equal({ reason: "SIM PUK required", needsPerson: true });
      expect(h.written().filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
    });

    describe("the attempts left, where the modem tells them", () => {
      for (const profile of MODEM_PROFILES) {
        const query = profile.pinAttemptsQuery;
        it(`${profile.name}: one attempt left → ${query ? "the PIN is not sent (the last one is a person's)" : "no counter to ask: the PIN is sent"}`, () => {
          const h = setup({ profile, modem: { simPin: "1234", pinAttempts: 1 }, simPin: "1234" });
          h.lc.start();
          h.runUntil(() => h.lc.state === "failed" || h.lc.state === "ready", 120_000);
          if (query) {
            expect(h.written()).to.include(query.command);
            expect(h.written().some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
            expect(h.lc.failure).to.deep.equal({ reason: "SIM PIN not sent: only one attempt is left (a person must enter it)", needsPerson: true });
            expect(h.modem.pinAttemptsLeft).to.equal(1);
            h.clock.advance(3 * 600_000); // slow re-checks
            expect(h.written().some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
          } else {
            expect(h.written().filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
            expect(h.lc.state).to.equal("ready");
          }
          checkInvariants(h, ["1234"]);
        });
      }

      it("two attempts left → the PIN is sent, accepted, ready", () => {
        for (const profile of [A7670, EG25]) {
          const h = setup({ profile, modem: { simPin: "1234", pinAttempts: 2 }, simPin: "1234" });
          h.lc.start();
          h.toReady();
          expect(h.written().filter((c) => c.startsWith("AT+CPIN="))).to.deep.equal(['AT+CPIN="1234"']);
        }
      });

      it("a counter query the modem refuses → the PIN is sent (it cannot tell)", () => {
        const h = setup({ modem: { simPin: "1234", noPinCounter: true }, simPin: "1234" });
        h.lc.start();
        h.toReady();
        expect(h.written()).to.include("AT+SPIC");
        expect(h.written().filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
      });
    });

    describe("an attempt whose outcome is unknown, recorded in flash", () => {
      /** The flash record as the app keeps it (settings key simPinAttempt), shared by two boots. */
      function flashRecord(): { pending: boolean; writes: string[]; unsettled(): boolean; begin(): boolean; settle(): void } {
        return {
          pending: false,
          writes: [],
          unsettled() {
            return this.pending;
          },
          begin() {
            this.pending = true;
            this.writes.push("begin");
            return true;
          },
          settle() {
            this.pending = false;
            this.writes.push("settle");
          },
        };
      }

      it("a PIN that got no answer stays recorded: the next boot of the firmware does not send it again", () => {
        const record = flashRecord();
        const first = setup({ modem: { simPin: "1234", silentOnPin: true }, simPin: "1234", options: { simPinAttempt: record } });
        first.lc.start();
        first.runUntil(() => first.lc.state === "failed", 120_000);
        expect(first.written().filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
        expect(first.lc.failure?.reason).to.match(/^SIM PIN not accepted \(timeout/);
        expect(record.writes).to.deep.equal(["begin"]);
        expect(record.unsettled()).to.equal(true);

        // the tracker restarts (power cut, watchdog): RAM is gone, the flash record is not
        const second = setup({ modem: { simPin: "1234" }, simPin: "1234", options: { simPinAttempt: record } });
        second.lc.start();
        second.runUntil(() => second.lc.state === "failed", 120_000);
        second.clock.advance(3 * 600_000);
        expect(second.written().some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
        expect(second.lc.failure).to.deep.equal({
          reason: "SIM PIN not sent: an earlier attempt's outcome is unknown (a person must check the SIM and set the PIN again)",
          needsPerson: true,
        });
        checkInvariants(first, ["1234"]);
        checkInvariants(second, ["1234"]);
      });

      it("the attempt is recorded before the PIN goes out and settled by the SIM's answer (accepted or refused)", () => {
        for (const [pin, outcome] of [
          ["1234", "ready"],
          ["9999", "failed"],
        ] as const) {
          const record = flashRecord();
          const h = setup({ modem: { simPin: "1234" }, simPin: pin, options: { simPinAttempt: record } });
          let recordedBeforeSend: boolean | undefined;
          const write = h.port.write.bind(h.port);
          h.port.write = (bytes) => {
            if (String.fromCharCode(...bytes).startsWith("AT+CPIN=")) recordedBeforeSend = record.unsettled();
            write(bytes);
          };
          h.lc.start();
          h.runUntil(() => h.lc.state === outcome, 120_000);
          expect(h.lc.state, pin).to.equal(outcome);
          expect(recordedBeforeSend, pin).to.equal(true);
          expect(record.writes, pin).to.deep.equal(["begin", "settle"]);
        }
      });

      it("a record that cannot be written → the PIN is not sent", () => {
        const record = { unsettled: () => false, begin: () => false, settle: () => {} };
        const h = setup({ modem: { simPin: "1234" }, simPin: "1234", options: { simPinAttempt: record } });
        h.lc.start();
        h.runUntil(() => h.lc.state === "failed", 120_000);
        expect(h.written().some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
        expect(h.lc.failure?.reason).to.equal("SIM PIN not sent: the attempt could not be recorded in flash");
      });
    });

    it("valid PINs are 4-8 digits", () => {
      for (const pin of ["1234", "12345678", "0000"]) expect(isValidSimPin(pin), pin).to.equal(true);
      for (const pin of ["", "123", "123456789", "12a4", " 1234", "１２３４"]) expect(isValidSimPin(pin), pin).to.equal(false);
    });
  });

  describe("SIM removed", () => {
    for (const urc of ["+CPIN: NOT INSERTED", "+SIMCARD: NOT AVAILABLE"]) {
      it(`${urc} while ready → no-sim (lost), back to ready when the SIM returns`, () => {
        const h = setup({ modem: { on: true } });
        h.lc.start();
        h.toReady();
        h.modem.pullSim(urc);
        h.clock.advance(100);
        expect(h.lc.state).to.equal("no-sim");
        expect(h.lc.failure).to.deep.equal({ reason: `SIM removed (${urc})`, needsPerson: true });
        expect(h.events).to.include(`lost:SIM removed (${urc})`);
        h.clock.advance(130_000); // re-checked every 60 s, still missing
        expect(h.lc.state).to.equal("no-sim");
        h.modem.insertSim();
        h.toReady(30_000);
        expect(h.presses()).to.deep.equal([]);
      });
    }

    it("a SIM800 on autobaud restarts without RDY: a second 'SMS Ready' in one boot means a reboot, and it is set up again", () => {
      const h = setup({ profile: SIM800 });
      h.lc.start();
      h.toReady();
      const before = h.modem.commands.filter((c) => c === "AT+CNMI=2,1,0,0,0").length;
      const pressesBefore = h.presses().length;
      h.modem.urc("PB DONE"); // a late boot line of the same boot is not a restart
      h.clock.advance(1_000);
      expect(h.lc.stats.reboots).to.equal(0);
      h.modem.urc("+CFUN: 1");
      h.modem.urc("Call Ready");
      h.modem.urc("SMS Ready");
      h.clock.advance(0); // (the AT chat hands URCs over on its next turn)
      h.toReady(60_000);
      expect(h.lc.stats.reboots).to.equal(1);
      expect(h.modem.commands.filter((c) => c === "AT+CNMI=2,1,0,0,0").length, "indications set again").to.equal(before + 1);
      expect(h.presses().length, "no power-key press for it").to.equal(pressesBefore);
    });

    it('a quoted +CPIN: "READY" while ready is not a reboot; a quoted "NOT INSERTED" is a removal', () => {
      const h = setup({ modem: { on: true } });
      h.lc.start();
      h.toReady();
      h.modem.urc('+CPIN: "READY"');
      h.clock.advance(1_000);
      expect(h.lc.state).to.equal("ready");
      expect(h.lc.stats.reboots).to.equal(0);
      h.modem.urc('+CPIN: "NOT INSERTED"');
      h.clock.advance(100);
      expect(h.lc.state).to.equal("no-sim");
    });

    it("+CPIN: SIM PIN while ready: the modem restarted unseen → counted, re-initialised", () => {
      const h = setup({ modem: { on: true } });
      h.lc.start();
      h.toReady();
      h.modem.urc("+CPIN: SIM PIN");
      h.clock.advance(10);
      expect(h.lc.stats.reboots).to.equal(1);
      expect(h.events).to.include("lost:modem restarted (+CPIN: SIM PIN)");
      h.toReady();
    });

    it("no SIM at start → no-sim, not a power-key storm", () => {
      const h = setup({ modem: { on: true, sim: false } });
      h.lc.start();
      h.runUntil(() => h.lc.state === "no-sim", 60_000);
      expect(h.lc.failure?.reason).to.equal("SIM not inserted (+CME ERROR: SIM not inserted)");
      h.clock.advance(600_000);
      expect(h.presses()).to.deep.equal([]);
    });
  });

  describe("recovery ladder", () => {
    /** Ready, then the modem hangs: three commands time out. */
    function hangWhileReady(s: Setup = {}): Harness {
      const h = setup({ modem: { on: true }, ...s });
      h.lc.start();
      h.toReady();
      h.modem.hung = true;
      for (let i = 0; i < 3; i++) h.chat.send({ command: "AT+CMGR=1", timeoutMs: 5_000 }, () => {});
      h.runUntil(() => h.lc.state !== "ready", 30_000);
      return h;
    }

    it("3 timeouts → AT retry → AT+CFUN=1,1 → power-key cycle (off then on) → recovered", () => {
      const h = hangWhileReady();
      expect(h.lc.state).to.equal("recovering");
      expect(h.lc.stats.timeouts).to.equal(3);
      expect(h.events).to.include("lost:3 command timeouts in a row: checking with AT");
      const mark = h.written().length;
      h.runUntil(() => h.lc.state === "ready", 120_000);
      const after = h.written().slice(mark);
      expect(after.slice(0, 4)).to.deep.equal(["AT", "AT", "AT", "AT+CFUN=1,1"]);
      const presses = h.presses();
      expect(presses.map((p) => p[1])).to.deep.equal([A7670.powerKey.offPulseMs, A7670.powerKey.onPulseMs]);
      expect(presses[1]![0] - (presses[0]![0] + presses[0]![1]), "settle between off and on").to.be.at.least(A7670.powerKey.offSettleMs);
      expect(h.states.slice(h.states.indexOf("ready") + 1)).to.deep.equal([
        "recovering", // AT retry
        "recovering", // AT+CFUN=1,1 and the boot wait
        "powering-off",
        "powering-on",
        "booting",
        "initialising",
        "configuring-sms",
        "registering",
        "ready",
      ]);
      expect(h.lc.stats.recoveries).to.equal(1);
      expect(h.modem.boots).to.equal(2);
      checkInvariants(h);
    });

    it("AT answering again after the timeouts → re-initialised without CFUN or the key", () => {
      const h = hangWhileReady();
      h.modem.hung = false;
      h.toReady();
      expect(h.written()).to.not.include("AT+CFUN=1,1");
      expect(h.presses()).to.deep.equal([]);
      expect(h.lc.stats.recoveries).to.equal(1);
    });

    it("CFUN=1,1 reaching the modem (UART alive, commands stuck) recovers at the second rung", () => {
      const h = hangWhileReady();
      // The modem hears again just before the CFUN: it reboots on it.
      h.runUntil(() => h.port.written.includes("AT\rAT\rAT\r"), 10_000);
      h.modem.hung = false;
      h.toReady();
      expect(h.modem.commands).to.include("AT+CFUN=1,1");
      expect(h.presses()).to.deep.equal([]);
      expect(h.lc.stats.recoveries).to.equal(1);
    });

    it("a dead modem: ladder → failed → slow retry every 10 min (probe, then an on press)", () => {
      const h = hangWhileReady();
      h.modem.dead = true;
      h.runUntil(() => h.lc.state === "failed", 120_000);
      expect(h.lc.failure?.reason).to.match(/^modem not responding after AT\+CFUN=1,1 and a power-key cycle/);
      expect(h.lc.failure?.needsPerson).to.equal(false);
      const failedAtMs = h.clock.nowMs;
      expect(h.presses().map((p) => p[1])).to.deep.equal([3_000, 1_000]);
      h.clock.advance(599_000);
      expect(h.lc.state).to.equal("failed");
      h.clock.advance(1_000 + 5_000);
      expect(h.presses()).to.have.length(3);
      expect(h.presses()[2]![0] - failedAtMs).to.be.within(600_000, 605_000);
      expect(h.presses()[2]![1]).to.equal(1_000);
      h.clock.advance(3_600_000);
      // Still slow: about one attempt per 10 min, never two on presses without a boot wait between.
      const onPresses = h.presses().filter((p) => p[1] === 1_000).map((p) => p[0]);
      for (let i = 1; i < onPresses.length; i++) expect(onPresses[i]! - onPresses[i - 1]!).to.be.at.least(A7670.powerKey.bootWaitMs);
      expect(h.presses().length).to.be.within(8, 10);
      checkInvariants(h);
    });

    it("a second timeout storm within 10 min climbs straight to AT+CFUN=1,1", () => {
      const h = hangWhileReady();
      h.modem.hung = false;
      h.toReady();
      h.modem.hung = true;
      for (let i = 0; i < 3; i++) h.chat.send({ command: "AT+CMGR=1", timeoutMs: 5_000 }, () => {});
      h.runUntil(() => h.lc.state !== "ready", 30_000);
      expect(h.events.at(-1)).to.equal("lost:3 command timeouts in a row: AT+CFUN=1,1");
    });

    it("the health check (AT+CSQ) finds a hung idle modem and reads the signal", () => {
      const h = setup({ modem: { on: true }, options: { healthCheckMs: 60_000 } });
      h.lc.start();
      h.toReady();
      h.clock.advance(61_000);
      expect(h.lc.signalDbm).to.equal(-77);
      h.modem.hung = true;
      h.runUntil(() => h.lc.state !== "ready", 120_000);
      expect(h.lc.state).to.equal("recovering");
    });
  });

  describe("never pulse twice in a row without an answer", () => {
    it("a dead modem at start: every on press is followed by a full boot wait; retries back off", () => {
      const h = setup({ modem: {} });
      h.modem.dead = true;
      h.lc.start();
      h.clock.advance(3_600_000);
      const presses = h.presses();
      for (const p of presses) expect(p[1]).to.equal(A7670.powerKey.onPulseMs);
      for (let i = 1; i < presses.length; i++) expect(presses[i]![0] - presses[i - 1]![0]).to.be.at.least(A7670.powerKey.bootWaitMs + 30_000);
      // 30 s, 60 s, 120 s, 240 s, 480 s, 600 s ... between attempts.
      expect(presses.length).to.be.within(7, 10);
      expect(h.lc.state).to.be.oneOf(["failed", "probing", "booting", "powering-on"]);
    });

    it("a modem that announces a restart and goes silent: one probe round, one press, then failure", () => {
      const h = setup({ modem: { on: true } });
      h.lc.start();
      h.toReady();
      h.modem.urc("RDY");
      h.modem.dead = true;
      h.clock.advance(70_000);
      expect(h.presses()).to.have.length(1);
      expect(h.lc.state).to.equal("failed");
    });
  });

  describe("unsolicited power down", () => {
    it("NORMAL POWER DOWN while ready → lost, probed, pressed on, ready", () => {
      const h = setup({ profile: SIM800, modem: { on: true } });
      h.lc.start();
      h.toReady();
      h.modem.urc("NORMAL POWER DOWN");
      h.clock.advance(0); // (the AT chat hands URCs over on its next turn)
      h.modem.power = "off";
      h.toReady(60_000);
      expect(h.events).to.include("lost:modem powered down (NORMAL POWER DOWN)");
      expect(h.presses()).to.have.length(1);
    });
  });

  describe("registration", () => {
    it("LTE-only: CREG 0 while CEREG 1 is enough (SIM7000 polls CEREG first)", () => {
      const h = setup({ profile: SIM7000, modem: { on: true, reg: { CREG: 0, CEREG: 1, CGREG: 0 } } });
      h.lc.start();
      h.toReady();
    });

    it("roaming (5) and SMS-only (6, 7) count", () => {
      for (const stat of [5, 6, 7, 9, 10]) {
        const h = setup({ profile: EG25, modem: { on: true, reg: { CREG: stat, CEREG: 0, CGREG: 0 } } });
        h.lc.start();
        h.toReady();
      }
    });

    it("denied everywhere → failed after the registration wait, retried after 30 s", () => {
      const h = setup({ profile: BG96, modem: { on: true, reg: { CREG: 3, CEREG: 3, CGREG: 3 } }, options: { registrationTimeoutMs: 60_000 } });
      h.lc.start();
      h.runUntil(() => h.lc.state === "failed", 120_000);
      expect(h.lc.failure?.reason).to.match(/^not registered for SMS after 60 s/);
      const failedAt = h.clock.nowMs;
      h.runUntil(() => h.lc.state === "probing", 60_000);
      expect(h.clock.nowMs - failedAt).to.be.within(30_000, 30_100);
    });
  });

  describe("clock from AT+CCLK?", () => {
    it("sets the clock when GNSS has not", () => {
      const h = setup({ modem: { on: true }, clockSet: () => false });
      h.lc.start();
      h.toReady();
      h.clock.advance(1_000);
      expect(h.clock.utcMs()).to.equal(Date.UTC(2024, 2, 5, 14, 30, 0) - 2 * 3_600_000);
      expect(h.written()).to.include("AT+CCLK?");
    });

    it("never asks when GNSS has set it", () => {
      const h = setup({ modem: { on: true }, clockSet: () => true });
      h.lc.start();
      h.toReady();
      h.clock.advance(1_000);
      expect(h.written()).to.not.include("AT+CCLK?");
      expect(h.clock.utcMs()).to.equal(undefined);
    });

    it("ignores a modem clock the network never set", () => {
      const h = setup({ modem: { on: true, cclk: "70/01/01,00:00:27+00" }, clockSet: () => false });
      h.lc.start();
      h.toReady();
      h.clock.advance(1_000);
      expect(h.clock.utcMs()).to.equal(undefined);
    });

    it("parses quarter-hour zones, quoted or not", () => {
      expect(parseCclk('+CCLK: "24/03/05,14:30:00+08"')).to.equal(Date.UTC(2024, 2, 5, 12, 30, 0));
      expect(parseCclk('+CCLK: "24/03/05,14:30:00-20"')).to.equal(Date.UTC(2024, 2, 5, 19, 30, 0));
      expect(parseCclk("+CCLK: 24/03/05,14:30:00+00")).to.equal(Date.UTC(2024, 2, 5, 14, 30, 0));
      for (const bad of ["+CCLK:", '+CCLK: "24/13/05,14:30:00+00"', '+CCLK: "garbage"', "+CSQ: 1,2"]) expect(parseCclk(bad), bad).to.be.NaN;
    });
  });

  it("init failures retry with backoff (30 s, 60 s, 120 s ...) and the modem is never pressed while it answers", () => {
    const h = setup({ modem: { on: true } });
    // CNMI never works on this modem.
    const port = h.port;
    const original = port.onWrite!;
    port.onWrite = (bytes) => {
      const text = String.fromCharCode(...bytes);
      if (text.startsWith("AT+CNMI")) {
        h.clock.setTimer(() => port.push("\r\nERROR\r\n"), 20);
        return;
      }
      original(bytes);
    };
    h.lc.start();
    h.clock.advance(400_000);
    const failures = h.log.entries.filter((e) => e.tag === "modem" && e.message.startsWith("next attempt in")).map((e) => e.message);
    expect(failures.slice(0, 4)).to.deep.equal(["next attempt in 30 s", "next attempt in 60 s", "next attempt in 120 s", "next attempt in 240 s"]);
    expect(h.presses()).to.deep.equal([]);
    expect(h.lc.state).to.equal("failed");
  });

  it("start() twice is harmless; handleUrc ignores SMS indications", () => {
    const h = setup({ modem: { on: true } });
    h.lc.start();
    h.lc.start();
    h.toReady();
    expect(h.lc.handleUrc('+CMTI: "SM",3')).to.equal(false);
    expect(h.lc.state).to.equal("ready");
    expect(h.events.filter((e) => e === "ready")).to.have.length(1);
  });
});

describe("modem/ModemLifecycle: registration while ready", () => {
  function ready(profile: ModemProfile = A7670, options: Partial<ModemLifecycleOptions> = {}, modem: FakeModemOptions = {}) {
    const h = setup({ profile, modem: { on: true, ...modem }, options });
    const changes: string[] = [];
    h.lc.onRegistrationChange = (registered, why) => changes.push(`${registered}:${why}`);
    h.lc.start();
    h.toReady();
    return { h, changes };
  }

  it("init turns the registration reports on (the profile's registers, before the wait)", () => {
    const { h } = ready(A7670);
    const w = h.written();
    const wait = w.indexOf("AT+CREG?");
    for (const c of ["AT+CREG=1", "AT+CEREG=1", "AT+CGREG=1"]) {
      expect(w.indexOf(c), c).to.be.greaterThan(w.indexOf("AT+CNMI=2,1,0,0,0")).and.lessThan(wait);
    }
    const sim800 = ready(SIM800).h.written();
    expect(sim800.filter((c) => /^AT\+C[EG]?REG=/.test(c))).to.deep.equal(["AT+CREG=2", "AT+CGREG=2"]);
  });

  it("a lost registration is reported once, never takes the modem down, and its return is reported", () => {
    const { h, changes } = ready(A7670);
    expect(h.lc.registration).to.equal("home");
    h.modem.setRegistration({ CREG: 2, CEREG: 2, CGREG: 2 });
    h.clock.advance(200);
    expect(h.lc.state).to.equal("ready");
    expect(h.lc.registration).to.equal("searching");
    expect(changes).to.deep.equal(["false:+CGREG: 2"]);
    h.clock.advance(600_000);
    expect(h.lc.state, "still ready: SMS just wait").to.equal("ready");
    h.modem.setRegistration({ CREG: 5, CEREG: 5, CGREG: 5 });
    h.clock.advance(200);
    expect(h.lc.registration).to.equal("roaming");
    expect(changes).to.deep.equal(["false:+CGREG: 2", "true:+CREG: 5"]);
    expect(h.events.filter((e) => e.startsWith("lost:"))).to.deep.equal([]);
    checkInvariants(h);
  });

  it("URCs in both forms: a stat URC, a <n>=2 URC with the cell, and a late read answer (<n>,<stat>)", () => {
    const { h, changes } = ready(A7670);
    h.modem.setRegistration({ CREG: 3, CEREG: 3, CGREG: 3 });
    h.clock.advance(200);
    expect(h.lc.registration).to.equal("denied");
    expect(changes).to.have.length(1);
    expect(h.lc.handleUrc("+CREG: 0,1")).to.equal(true); // a late answer to AT+CREG? : stat 1 of n 0
    expect(h.lc.handleUrc("+CGREG: 1,3")).to.equal(true); // stat 3, not 1
    expect(h.lc.registration).to.equal("home");
    expect(h.lc.handleUrc("+CREG: 3")).to.equal(true);
    expect(h.lc.registration).to.equal("denied");
    expect(h.lc.handleUrc('+CEREG: 1,"1A2B","01C2D3E4",7')).to.equal(true);
    expect(h.lc.registration).to.equal("home");
    expect(h.lc.handleUrc("+CREG: x")).to.equal(true); // garbage: taken, ignored
    expect(h.lc.registration).to.equal("home");
    expect(changes.map((c) => c.split(":")[0])).to.deep.equal(["false", "true", "false", "true"]);
  });

  it("a loss on one register while the others were never read is checked by reading them (LTE: CREG 0 is no loss)", () => {
    const { h, changes } = ready(EG25);
    const before = h.written().length;
    h.lc.handleUrc("+CREG: 0");
    h.clock.advance(500);
    expect(h.written().slice(before)).to.deep.equal(["AT+CREG?", "AT+CEREG?", "AT+CGREG?"]);
    expect(changes).to.deep.equal([]);
    expect(h.lc.registration).to.equal("home");
  });

  it("the health check reads the signal and then each register the profile polls", () => {
    const { h, changes } = ready(SIM7000, { healthCheckMs: 60_000 });
    const before = h.written().length;
    h.modem.setRegistration({ CREG: 0, CEREG: 1, CGREG: 1 });
    h.clock.advance(61_000);
    expect(h.written().slice(before)).to.deep.equal(["AT+CSQ", "AT+CEREG?", "AT+CREG?", "AT+CGREG?"]);
    expect(h.lc.signalDbm).to.equal(-77);
    expect(h.lc.registration).to.equal("home");
    expect(changes).to.deep.equal([]);
  });

  it("a loss only the health check sees (no URC came) is reported; the first check comes 20 s after ready", () => {
    const { h, changes } = ready(EG25, { healthCheckMs: 60_000 });
    h.modem.setRegistration({ CREG: 2, CEREG: 2, CGREG: 2 }, false);
    h.clock.advance(19_000);
    expect(changes).to.deep.equal([]);
    h.clock.advance(2_000);
    expect(h.lc.registration).to.equal("searching");
    expect(changes).to.deep.equal(["false:health check"]);
    expect(h.lc.state).to.equal("ready");
  });

  it("leaving ready forgets the registration; a loss reported before is answered by true at the next ready", () => {
    const { h, changes } = ready(A7670);
    h.modem.setRegistration({ CREG: 2, CEREG: 2, CGREG: 2 });
    h.clock.advance(200);
    h.modem.setRegistration({ CREG: 1, CEREG: 1, CGREG: 1 });
    h.modem.reboot();
    h.runUntil(() => h.lc.state !== "ready");
    expect(h.lc.registration).to.equal("unknown");
    h.toReady();
    // the URC of the return may come before the reboot was seen: either way exactly one true after the false
    expect(changes[0]).to.equal("false:+CGREG: 2");
    expect(changes.filter((c) => c.startsWith("true:"))).to.have.length(1);
    expect(h.lc.registration).to.equal("home");
  });

  it("registrationStateOf: home wins, then roaming, searching, denied; signalWords thresholds", () => {
    expect(registrationStateOf([3, 1, -1])).to.equal("home");
    expect(registrationStateOf([0, 5, 2])).to.equal("roaming");
    expect(registrationStateOf([7])).to.equal("roaming");
    expect(registrationStateOf([6])).to.equal("home");
    expect(registrationStateOf([3, 2])).to.equal("searching");
    expect(registrationStateOf([3, 8, -1])).to.equal("denied");
    expect(registrationStateOf([4, -1])).to.equal("unknown");
    expect(registrationStateOf([])).to.equal("unknown");
    const table: Array<[number | undefined, string]> = [
      [-51, "excellent"], [-70, "excellent"], [-71, "good"], [-85, "good"], [-86, "fair"], [-100, "fair"],
      [-101, "poor"], [-113, "poor"], [-114, "none"], [NaN, "unknown"], [undefined, "unknown"], [Infinity, "unknown"],
    ];
    for (const [dbm, words] of table) expect(signalWords(dbm), String(dbm)).to.equal(words);
    expect(signalWords("x" as unknown as number)).to.equal("unknown");
  });
});

describe("modem/ModemLifecycle: serving cell", () => {
  const LTE = { rat: "LTE", mcc: "310", mnc: "260", area: "1A2B", cellId: "192C602" };

  function ready(profile: ModemProfile) {
    const h = setup({ profile, modem: { on: true } });
    h.lc.start();
    h.toReady();
    return h;
  }

  for (const [profile, commands, cellId] of [
    [A7670, ["AT+CPSI?"], "192C602"],
    [SIM7600, ["AT+CPSI?"], "192C602"],
    [SIM7000, ["AT+CPSI?"], "192C602"],
    [EG25, ['AT+QENG="servingcell"'], "192C602"],
    [BG96, ['AT+QENG="servingcell"'], "192C602"],
    [SIM800, ["AT+COPS=3,2", "AT+COPS?", "AT+CREG?"], "01C2D3E4"],
  ] as const) {
    it(`${profile.name}: ${commands.join(", ")} → the cell, kept with its time`, () => {
      const h = ready(profile);
      const before = h.written().length;
      const got: unknown[] = [];
      expect(h.lc.lastServingCell).to.equal(undefined);
      expect(h.lc.lastServingCellAtMs).to.be.NaN;
      h.lc.queryServingCell((cell) => got.push(cell));
      h.lc.queryServingCell((cell) => got.push(cell)); // shares the query in flight
      expect(got, "never synchronously").to.deep.equal([]);
      h.clock.advance(500);
      const want = { ...LTE, cellId };
      expect(got).to.deep.equal([want, want]);
      expect(h.written().slice(before)).to.deep.equal(commands);
      expect(h.lc.lastServingCell).to.deep.equal(want);
      expect(h.lc.lastServingCellAtMs).to.be.within(h.clock.nowMs - 500, h.clock.nowMs);
      if (profile === SIM800) {
        const again = h.written().length;
        h.lc.queryServingCell(() => {});
        h.clock.advance(500);
        expect(h.written().slice(again), "the COPS format is set once per modem start").to.deep.equal(["AT+COPS?", "AT+CREG?"]);
      }
      checkInvariants(h);
    });
  }

  it("no service: undefined, and the last cell read is kept", () => {
    const h = ready(A7670);
    h.lc.queryServingCell(() => {});
    h.clock.advance(500);
    h.modem.noCell = true;
    const got: unknown[] = [];
    h.lc.queryServingCell((cell) => got.push(cell));
    h.clock.advance(500);
    expect(got).to.deep.equal([undefined]);
    expect(h.lc.lastServingCell).to.deep.equal(LTE);
  });

  it("not ready: undefined on the next turn, nothing sent", () => {
    const h = setup({ modem: { on: true } });
    const got: unknown[] = [];
    h.lc.queryServingCell((cell) => got.push(cell));
    expect(got).to.deep.equal([]);
    h.clock.advance(0);
    expect(got).to.deep.equal([undefined]);
    expect(h.written()).to.deep.equal([]);
  });

  it("the modem leaves ready during the query: the callers get undefined once; a throwing callback is contained", () => {
    const h = ready(A7670);
    const got: unknown[] = [];
    h.modem.hung = true;
    h.lc.queryServingCell(() => {
      throw new Error("app bug");
    });
    h.lc.queryServingCell((cell) => got.push(cell));
    h.modem.reboot();
    h.modem.hung = false;
    h.runUntil(() => got.length > 0, 30_000);
    expect(got).to.deep.equal([undefined]);
    h.toReady();
    h.clock.advance(5_000);
    expect(got).to.have.length(1);
    expect(h.log.lines.some((l) => l.includes("event handler threw"))).to.equal(true);
  });

  it("a deep queue of callers is bounded, each answered once", () => {
    const h = ready(A7670);
    const got: unknown[] = [];
    for (let i = 0; i < 20; i++) h.lc.queryServingCell((cell) => got.push(cell));
    h.clock.advance(500);
    expect(got).to.have.length(20);
    expect(got.filter((c) => c === undefined)).to.have.length(12);
    expect(h.written().filter((c) => c === "AT+CPSI?")).to.have.length(1);
  });
});

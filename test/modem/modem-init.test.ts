import { expect } from "chai";
import { AtChat } from "../../src/modem/at-chat.ts";
import {
  ModemInit,
  SIMCOM_TEXT_MODE_INIT,
  type ModemInitResult,
  type ModemInitStep,
} from "../../src/modem/modem-init.ts";
import { CHUNKINGS, FakeClock, FakePort, RecordingLogger } from "./fakes.ts";
import { isAllowedAtCommand } from "../../src/modem/at-allow-list.ts";

/** What the scripted modem answers to one command: response text, or null for silence. */
type Script = (command: string, count: number, nowMs: number) => string | null;

/**
 * A scripted fake modem on a FakePort: collects written bytes up to CR, asks `script` for the
 * answer and delivers it 20 ms later (virtual time) with the test's chunking.
 */
class ScriptedModem {
  readonly commands: string[] = [];
  readonly #counts = new Map<string, number>();
  #pending = "";
  constructor(port: FakePort, clock: FakeClock, script: Script) {
    port.onWrite = (bytes) => {
      for (const b of bytes) {
        if (b === 0x0d) {
          const command = this.#pending;
          this.#pending = "";
          this.commands.push(command);
          const count = (this.#counts.get(command) ?? 0) + 1;
          this.#counts.set(command, count);
          const answer = script(command, count, clock.monotonicMs());
          if (answer !== null) clock.setTimer(() => port.push(answer), 20);
        } else {
          this.#pending += String.fromCharCode(b);
        }
      }
    };
  }
}

const OK = "\r\nOK\r\n";

/** A healthy, registered A7670 answering everything. Override single commands with `overrides`. */
function a7670(overrides: Record<string, Script> = {}): Script {
  return (command, count, nowMs) => {
    const override = overrides[command];
    if (override) return override(command, count, nowMs);
    switch (command) {
      case "AT+CPIN?":
        return "\r\n+CPIN: READY\r\n" + OK;
      case "AT+CREG?":
        return "\r\n+CREG: 0,1\r\n" + OK;
      case "AT+CEREG?":
        return "\r\n+CEREG: 0,1\r\n" + OK;
      case "AT+CGREG?":
        return "\r\n+CGREG: 0,1\r\n" + OK;
      default:
        return OK;
    }
  };
}

interface Run {
  result: ModemInitResult | undefined;
  doneAtMs: number;
  modem: ScriptedModem;
  log: RecordingLogger;
  init: ModemInit;
  chat: AtChat;
  clock: FakeClock;
}

function runInit(chunking: (typeof CHUNKINGS)[number], script: Script, options = {}, maxMs = 600000): Run {
  const port = new FakePort();
  port.chunker = chunking.make();
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const chat = new AtChat(port, clock, log);
  const modem = new ScriptedModem(port, clock, script);
  const init = new ModemInit(chat, clock, log, options);
  const run: Run = { result: undefined, doneAtMs: -1, modem, log, init, chat, clock };
  let calls = 0;
  init.start((result) => {
    calls++;
    run.result = result;
    run.doneAtMs = clock.monotonicMs();
  });
  while (run.result === undefined && clock.monotonicMs() < maxMs) clock.advance(10);
  clock.advance(1000); // nothing more may happen
  expect(calls).to.equal(1);
  return run;
}

const SMS_SETUP = ["AT+CMGF=1", 'AT+CSCS="GSM"', "AT+CSDH=1", 'AT+CPMS="SM","SM","SM"', "AT+CNMI=2,1,0,0,0"];

describe("modem/ModemInit", () => {
  it("the script is frozen data, every command on the AT allow list", () => {
    expect(Object.isFrozen(SIMCOM_TEXT_MODE_INIT)).to.equal(true);
    for (const step of SIMCOM_TEXT_MODE_INIT) {
      expect(Object.isFrozen(step)).to.equal(true);
      expect(isAllowedAtCommand(step.command), step.command).to.equal(true);
      for (const c of step.poll ?? []) expect(isAllowedAtCommand(c), c).to.equal(true);
    }
  });

  for (const chunking of CHUNKINGS) {
    describe(chunking.name, () => {
      it("happy path: booting modem, late registration, CMGF errors until SMS DONE", () => {
        let smsDoneAtMs = Infinity;
        const run = runInit(
          chunking,
          a7670({
            AT: (_c, count, now) => {
              if (count < 4) return null; // still booting
              if (smsDoneAtMs === Infinity) smsDoneAtMs = now + 15000;
              return OK;
            },
            "AT+CREG?": (_c, count) => (count < 3 ? "\r\n+CREG: 0,2\r\n" + OK : "\r\n+CREG: 0,0\r\n" + OK),
            "AT+CEREG?": (_c, count) => (count < 3 ? "\r\n+CEREG: 0,2\r\n" + OK : "\r\n+CEREG: 0,1\r\n" + OK),
            "AT+CGREG?": () => "\r\n+CGREG: 0,2\r\n" + OK,
            "AT+CMGF=1": (_c, _n, now) => (now < smsDoneAtMs ? "\r\nERROR\r\n" : OK),
          }),
        );
        expect(run.result).to.deep.equal({ ok: true, reason: "ready", silent: false, code: "ok" });
        expect(run.init.state).to.equal("ready");
        const cmds = run.modem.commands;
        expect(cmds.slice(0, 4)).to.deep.equal(["AT", "AT", "AT", "AT"]);
        expect(cmds.slice(4, 7)).to.deep.equal(["ATE0", "AT+CMEE=2", "AT+CPIN?"]);
        expect(cmds.filter((c) => c === "AT+CEREG?")).to.have.length(3);
        // SMS set-up before the registration wait (it needs only SMS DONE), the registration polls last.
        const firstPoll = cmds.indexOf("AT+CREG?");
        expect(cmds.slice(firstPoll - 4, firstPoll)).to.deep.equal(SMS_SETUP.slice(1));
        expect(cmds.at(-1)).to.equal("AT+CEREG?");
        expect(cmds.filter((c) => c === "AT+CMGF=1").length).to.be.greaterThan(1);
        for (const c of cmds) expect(isAllowedAtCommand(c), c).to.equal(true);
        const transitions = run.log.entries.filter((e) => e.tag === "modem.init" && e.message.includes(" → ")).map((e) => e.message);
        expect(transitions).to.deep.equal([
          "idle → idle (start)",
          "idle → probing (AT)",
          "probing → configuring (ATE0)",
          "configuring → checking-sim (AT+CPIN?)",
          "checking-sim → configuring-sms (AT+CMGF=1)",
          "configuring-sms → registering (AT+CREG?)",
          "registering → ready (ready)",
        ]);
      });

      it("SIM PIN → fails with a clear reason and never sends a PIN", () => {
        const run = runInit(chunking, a7670({ "AT+CPIN?": () => "\r\n+CPIN: SIM PIN\r\n" + OK }));
        expect(run.result?.ok).to.equal(false);
        expect(run.result?.reason).to.match(/^SIM PIN required/);
        expect(run.result?.code, "the lifecycle decides about the PIN from this code").to.equal("sim-pin");
        expect(run.init.state).to.equal("failed");
        expect(run.modem.commands.at(-1)).to.equal("AT+CPIN?");
        expect(run.modem.commands.some((c) => c.startsWith("AT+CPIN="))).to.equal(false);
      });

      it("SIM PUK (quoted) → fails", () => {
        const run = runInit(chunking, a7670({ "AT+CPIN?": () => '\r\n+CPIN: "SIM PUK"\r\n' + OK }));
        expect(run.result?.reason).to.match(/^SIM PUK required/);
        expect(run.result?.code).to.equal("sim-puk");
      });

      it("+CPIN: NOT INSERTED → no-sim at once", () => {
        const run = runInit(chunking, a7670({ "AT+CPIN?": () => "\r\n+CPIN: NOT INSERTED\r\n" + OK }));
        expect(run.result?.code).to.equal("no-sim");
        expect(run.modem.commands.filter((c) => c === "AT+CPIN?")).to.have.length(1);
      });

      it("+CME ERROR: 14 (SIM busy) is retried until READY", () => {
        const run = runInit(
          chunking,
          a7670({ "AT+CPIN?": (_c, count) => (count <= 2 ? "\r\n+CME ERROR: 14\r\n" : "\r\n+CPIN: READY\r\n" + OK) }),
        );
        expect(run.result).to.deep.equal({ ok: true, reason: "ready", silent: false, code: "ok" });
        expect(run.modem.commands.filter((c) => c === "AT+CPIN?")).to.have.length(3);
      });

      it("verbose '+CME ERROR: SIM busy' is retried too; 'SIM not inserted' fails after 3 tries", () => {
        const busy = runInit(
          chunking,
          a7670({ "AT+CPIN?": (_c, count) => (count === 1 ? "\r\n+CME ERROR: SIM busy\r\n" : "\r\n+CPIN: READY\r\n" + OK) }),
        );
        expect(busy.result?.ok).to.equal(true);
        const absent = runInit(chunking, a7670({ "AT+CPIN?": () => "\r\n+CME ERROR: SIM not inserted\r\n" }));
        expect(absent.result?.reason).to.equal("SIM not inserted (+CME ERROR: SIM not inserted)");
        expect(absent.modem.commands.filter((c) => c === "AT+CPIN?")).to.have.length(3);
        expect(absent.result?.code).to.equal("no-sim");
      });

      it("+CPIN: READY without OK (Wavecom) is accepted", () => {
        const run = runInit(chunking, a7670({ "AT+CPIN?": () => "\r\n+CPIN: READY\r\n" }));
        expect(run.result?.ok).to.equal(true);
      });

      it("registration never comes → fails after registrationTimeoutMs (virtual time)", () => {
        const run = runInit(
          chunking,
          a7670({
            "AT+CREG?": () => "\r\n+CREG: 0,2\r\n" + OK,
            "AT+CEREG?": () => "\r\n+CEREG: 0,3\r\n" + OK,
            "AT+CGREG?": () => "\r\n+CGREG: 0,0\r\n" + OK,
          }),
        );
        expect(run.result?.ok).to.equal(false);
        expect(run.result?.reason).to.equal("not registered for SMS after 120 s (CREG 2, CEREG 3, CGREG 0)");
        const registeringSince = run.log.entries.findIndex((e) => e.message.includes("→ registering"));
        expect(registeringSince).to.be.greaterThan(0);
        expect(run.doneAtMs).to.be.within(120000, 128000);
        // Backoff: far fewer polls than one every 2 s.
        const polls = run.modem.commands.filter((c) => c === "AT+CREG?").length;
        expect(polls).to.be.within(12, 20);
        expect(run.result?.code).to.equal("not-registered");
        expect(run.init.state).to.equal("failed");
      });

      it("custom registrationTimeoutMs; LTE-only: CREG 0 but CEREG 1 is enough; CEREG ERROR is ignored", () => {
        const short = runInit(chunking, a7670({ "AT+CREG?": () => "\r\n+CREG: 0,0\r\n" + OK, "AT+CEREG?": () => "\r\nERROR\r\n", "AT+CGREG?": () => "\r\n+CGREG: 0,4\r\n" + OK }), {
          registrationTimeoutMs: 10000,
        });
        expect(short.result?.reason).to.equal("not registered for SMS after 10 s (CREG 0, CEREG error, CGREG 4)");
        const lte = runInit(chunking, a7670({ "AT+CREG?": () => "\r\n+CREG: 0,0\r\n" + OK }));
        expect(lte.result?.ok).to.equal(true);
      });

      it("a modem that never answers → 'modem not responding to AT' after ~20 s", () => {
        const run = runInit(chunking, () => null);
        expect(run.result?.ok).to.equal(false);
        expect(run.result?.reason).to.equal("modem not responding to AT (timeout)");
        expect(run.result?.code).to.equal("silent");
        expect(run.result?.silent, "a silent modem is flagged so the app can press its power key").to.equal(true);
        expect(run.modem.commands).to.deep.equal(new Array(20).fill("AT"));
        expect(run.doneAtMs).to.be.within(19000, 22000);
      });

      it("text mode needs CSDH=1 (a body is read by the length the header gives): a modem refusing it fails the run", () => {
        const run = runInit(chunking, a7670({ "AT+CSDH=1": () => "\r\nERROR\r\n" }));
        expect(run.result?.ok).to.equal(false);
        expect(run.result?.reason).to.match(/CSDH/);
        expect(run.modem.commands.filter((c) => c === "AT+CSDH=1")).to.have.length(3);
      });

      it("an optional step failing is skipped", () => {
        const optional: ModemInitStep = { id: "urc-port", phase: "configuring", command: 'AT+QURCCFG="urcport","uart1"', timeoutMs: 1000, retries: 1, optional: true };
        const steps = [...SIMCOM_TEXT_MODE_INIT.slice(0, 2), optional, ...SIMCOM_TEXT_MODE_INIT.slice(2)];
        const run = runInit(chunking, a7670({ [optional.command]: () => "\r\nERROR\r\n" }), { steps });
        expect(run.result?.ok).to.equal(true);
        expect(run.modem.commands.filter((c) => c === optional.command)).to.have.length(2);
      });

      it("abortAll on the chat (modem reboot) fails the run once", () => {
        const port = new FakePort();
        port.chunker = chunking.make();
        const clock = new FakeClock();
        const log = new RecordingLogger();
        const chat = new AtChat(port, clock, log);
        new ScriptedModem(port, clock, () => null);
        const init = new ModemInit(chat, clock, log);
        const results: ModemInitResult[] = [];
        init.start((r) => results.push(r));
        clock.advance(500);
        chat.abortAll();
        clock.advance(60000);
        expect(results).to.deep.equal([{ ok: false, reason: "aborted during AT (modem reset?)", silent: false, code: "aborted" }]);
      });
    });
  }

  it("cancel() and restart: the old run gets 'cancelled' once, the new one completes", () => {
    const port = new FakePort();
    const clock = new FakeClock();
    const log = new RecordingLogger();
    const chat = new AtChat(port, clock, log);
    new ScriptedModem(port, clock, a7670());
    const init = new ModemInit(chat, clock, log);
    const results: string[] = [];
    init.start((r) => results.push("first:" + r.reason));
    clock.advance(30);
    init.start((r) => results.push("second:" + r.reason));
    clock.advance(60000);
    expect(results).to.deep.equal(["first:cancelled", "second:ready"]);
  });

  it("a profile step that would open a data bearer is refused, never written", () => {
    const steps: ModemInitStep[] = [
      { phase: "probing", command: "AT", timeoutMs: 500 },
      { phase: "configuring", command: "AT+CGACT=1,1", timeoutMs: 500 },
    ];
    const run = runInit(CHUNKINGS[0], a7670(), { steps });
    expect(run.result).to.deep.equal({ ok: false, reason: "refused a command not on the AT allow list", silent: false, code: "refused" });
    expect(run.modem.commands).to.deep.equal(["AT"]);
  });
});

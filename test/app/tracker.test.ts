import { expect } from "chai";
import { Tracker, MODEM_POWER_PULSE_MS } from "../../src/app/tracker.ts";
import { STORE_SWEEP_INTERVAL_MS } from "../../src/app/tracker.ts";
import { Settings } from "../../src/store/settings.ts";
import { pinMatches } from "../../src/auth/pin.ts";
import { crc32 } from "../../src/store/crc32.ts";
import { decodeGsm7 } from "../../src/codec/gsm7.ts";
import type { OutputPin } from "../../src/platform/ports.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, FakePort, RecordingLogger } from "../modem/fakes.ts";
import { OK, ScriptedModem } from "../sms/scripted-modem.ts";
import { SimRandom } from "../../host-sim/guest/sim-ports.ts";

const OWNER = "+14085550199";
const STRANGER = "+14155550123";
const SCTS = "24/03/05,14:30:00+08";
/** Matches anything that looks like a coordinate (degrees with 4+ decimals). */
const COORDINATE = /-?\d{1,3}\.\d{4,}/;

class RecordingPin implements OutputPin {
  readonly writes: Array<{ value: 0 | 1; atMs: number }> = [];
  onWrite: ((value: 0 | 1) => void) | null = null;
  constructor(private readonly clock: FakeClock) {}
  write(value: 0 | 1): void {
    this.writes.push({ value, atMs: this.clock.monotonicMs() });
    this.onWrite?.(value);
  }
}

/** `$body*HH` with the NMEA checksum (XOR of the bytes between '$' and '*'). */
function nmea(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, "0")}\r\n`;
}

const INIT_COMMANDS = [
  "AT",
  "ATE0",
  "AT+CMEE=2",
  "AT+CPIN?",
  "AT+CMGF=1",
  'AT+CSCS="GSM"',
  "AT+CSDH=1",
  'AT+CPMS="SM","SM","SM"',
  "AT+CNMI=2,1,0,0,0",
  // registration reports on, so a loss while ready is known at once
  "AT+CREG=1",
  "AT+CEREG=1",
  "AT+CGREG=1",
  "AT+CREG?",
];
/** Right after ready: the SIM store sweep, then the modem's clock (GNSS has not set the time yet). */
const AFTER_READY = ["AT+CPMS?", 'AT+CMGL="ALL"', "AT+CCLK?"];

interface Harness {
  tracker: Tracker;
  clock: FakeClock;
  log: RecordingLogger;
  gnssPort: FakePort;
  modem: ScriptedModem;
  powerKey: RecordingPin;
  powerOn: RecordingPin;
  /** SIM store of the fake modem: index → sender and GSM-7 body. */
  sim: Map<number, { sender: string; body: string }>;
  /** Deliver an SMS: store it and announce it with +CMTI. */
  deliver(index: number, sender: string, body: string): void;
  /** Feed one valid GNSS epoch (RMC + GGA) with the next UTC second. */
  /** One RMC + GGA fix; `time` hhmmss.ss and `date` ddmmyy default to a running 12:35:xx on 2026-12-05. */
  feedFix(time?: string, date?: string): void;
  /** Advance until the tracker is ready (fails the test when it never gets there). */
  bootToReady(maxMs?: number): void;
  /** AT+CMGS commands seen by the modem. */
  smsSends(): string[];
  /** Decoded bodies of the messages sent. */
  smsBodies(): string[];
}

interface SetupOptions {
  owner?: string;
  homeCountryCode?: string;
  modemOff?: boolean;
  /** SIM PIN stored in the settings before start. */
  simPin?: string;
  /** Tracker option modemProfile. */
  modemProfile?: string;
  /** Answer override: a string/null answers the command, undefined falls through to the default. */
  answer?: (command: string, count: number) => string | null | undefined;
  /**
   * How long WHERE waits for a fix, s. Default 0: these tests are about answering (no GNSS is fed),
   * the wait itself is the scenarios' (where-waits-*).
   */
  whereWaitS?: number;
}

function setup(options: SetupOptions = {}): Harness {
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const store = new MemoryStore();
  {
    const settings = new Settings(store, new RecordingLogger());
    expect(settings.set("whereWaitS", String(options.whereWaitS ?? 0)).ok).to.equal(true);
    if (options.simPin !== undefined) expect(settings.set("simPin", options.simPin).ok).to.equal(true);
    if (options.homeCountryCode !== undefined) expect(settings.set("homeCountryCode", options.homeCountryCode).ok).to.equal(true);
    if (options.owner !== undefined) expect(settings.set("ownerNumber", options.owner).ok).to.equal(true);
  }
  const gnssPort = new FakePort();
  const modemPort = new FakePort();
  const powerKey = new RecordingPin(clock);
  const powerOn = new RecordingPin(clock);
  const sim = new Map<number, { sender: string; body: string }>();
  let cmgsRef = 0;
  const modem = new ScriptedModem(modemPort, clock, {
    command(command, count) {
      const override = options.answer?.(command, count);
      if (override !== undefined) return override;
      switch (command) {
        case "AT+CPIN?":
          return "\r\n+CPIN: READY\r\n" + OK;
        case "AT+CREG?":
          return "\r\n+CREG: 0,1\r\n" + OK;
        case 'AT+CMGL="ALL"': {
          let text = "\r\n";
          for (const [i, m] of sim) text += `+CMGL: ${i},"REC UNREAD","${m.sender}","","${SCTS}"\r\n${m.body}\r\n`;
          return text + OK;
        }
      }
      let m = /^AT\+CMGR=(\d+)$/.exec(command);
      if (m) {
        const sms = sim.get(Number(m[1]));
        if (!sms) return OK;
        return (
          `\r\n+CMGR: "REC UNREAD","${sms.sender}","","${SCTS}",145,4,0,0,"+14085550000",145,${sms.body.length}\r\n` +
          `${sms.body}\r\n` +
          OK
        );
      }
      m = /^AT\+CMGD=(\d+)$/.exec(command);
      if (m) {
        sim.delete(Number(m[1]));
        return OK;
      }
      if (command.startsWith("AT+CMGS=")) return "\r\n> ";
      return OK;
    },
    payload: () => `\r\n+CMGS: ${++cmgsRef}\r\n` + OK,
  });
  if (options.modemOff) {
    modem.powered = false;
    // The modem boots when its power key is released after being held.
    let held = false;
    powerKey.onWrite = (value) => {
      if (value === 1) held = true;
      else if (held) modem.powered = true;
    };
  }
  const tracker = new Tracker({
    gnss: gnssPort,
    modem: modemPort,
    clock,
    store,
    log,
    pins: { modemPowerKey: powerKey, modemPowerOn: powerOn },
    random: new SimRandom(1),
  }, { smsMode: "text", ...(options.modemProfile !== undefined ? { modemProfile: options.modemProfile } : {}) });
  let second = 0;
  return {
    tracker,
    clock,
    log,
    gnssPort,
    modem,
    powerKey,
    powerOn,
    sim,
    deliver(index, sender, body) {
      sim.set(index, { sender, body });
      modem.urc(`\r\n+CMTI: "SM",${index}\r\n`);
    },
    feedFix(fixTime?: string, date = "051226") {
      const s = second++;
      const time = fixTime ?? `1235${String(10 + (s % 50)).padStart(2, "0")}.00`;
      gnssPort.push(
        nmea(`GNRMC,${time},A,3723.46587,N,12202.26957,W,0.10,,${date},,,A,V`) +
          nmea(`GNGGA,${time},3723.46587,N,12202.26957,W,1,12,0.9,10.0,M,-30.0,M,,`),
      );
    },
    bootToReady(maxMs = 120_000) {
      const end = clock.monotonicMs() + maxMs;
      while (tracker.state !== "ready" && clock.monotonicMs() < end) clock.advance(10);
      expect(tracker.state, "tracker state").to.equal("ready");
      clock.advance(500); // let the store sweep finish
    },
    smsSends: () => modem.commands.filter((c) => c.startsWith("AT+CMGS=")),
    smsBodies: () => modem.payloads.map((p) => decodeGsm7(String.fromCharCode(...p))),
  };
}

describe("app/Tracker", () => {
  it("goes modem-init → ready after the init script, then sweeps the SIM store", () => {
    const h = setup({ owner: OWNER });
    expect(h.tracker.state).to.equal("off");
    h.tracker.start();
    expect(h.tracker.state).to.equal("modem-init");
    expect(h.powerOn.writes.map((w) => w.value)).to.deep.equal([1]);
    h.bootToReady();
    // A quick power-on probe (AT) answered, then the init script, then the store sweep.
    expect(h.modem.commands).to.deep.equal(["AT", ...INIT_COMMANDS, ...AFTER_READY]);
    expect(h.powerKey.writes.map((w) => w.value)).to.deep.equal([0]); // never pressed: the modem was on
    const transitions = h.log.entries.filter((e) => e.tag === "app" && e.message.includes("->")).map((e) => e.message);
    expect(transitions).to.deep.equal(["off -> modem-init (start)", "modem-init -> ready (registered for SMS)"]);
    // The lifecycle logs every one of its own states.
    const modem = h.log.entries.filter((e) => e.tag === "modem" && e.message.includes(" → ")).map((e) => e.message);
    expect(modem).to.deep.equal([
      "off → probing (start)",
      "probing → initialising (modem answers)",
      "initialising → configuring-sms (SIM ready)",
      "configuring-sms → registering (SMS configured (text mode))",
      "registering → ready (registered for SMS)",
    ]);
    // A provisioned tracker does not complain about being unclaimed.
    expect(h.log.lines.some((l) => l.includes("no owner number set"))).to.equal(false);
  });

  it("messages stored while the modem was not listened to are answered after the sweep", () => {
    const h = setup({ owner: OWNER });
    h.sim.set(4, { sender: OWNER, body: "HELP" });
    h.tracker.start();
    h.bootToReady();
    h.clock.advance(5_000);
    expect(h.smsSends()).to.deep.equal([`AT+CMGS="${OWNER}"`]);
    expect(h.modem.commands).to.include("AT+CMGD=4");
    expect(h.sim.size).to.equal(0);
  });

  it("sets the wall clock from a valid GNSS fix", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    expect(h.clock.utcMs()).to.equal(undefined);
    h.feedFix();
    expect(h.clock.utcMs()).to.equal(Date.UTC(2026, 11, 5, 12, 35, 10));
  });

  it("the owner's WHERE gets exactly one reply with the live fix and a map link", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    for (let i = 0; i < 3; i++) {
      h.feedFix();
      h.clock.advance(1000);
    }
    expect(h.tracker.gnss.lastValid()?.valid, "the test's NMEA must give a valid fix").to.equal(true);
    h.deliver(1, OWNER, "WHERE");
    h.clock.advance(2_000);
    h.feedFix();
    h.clock.advance(120_000);
    expect(h.smsSends()).to.deep.equal([`AT+CMGS="${OWNER}"`]);
    const bodies = h.smsBodies();
    expect(bodies).to.have.length(1);
    expect(bodies[0]).to.include("Live GNSS fix");
    expect(bodies[0]).to.include("https://maps.google.com/?q=37.39110,-122.03783");
    expect(h.modem.commands).to.include("AT+CMGD=1");
    expect(h.tracker.stats.commandsAnswered).to.equal(1);
    expect(h.tracker.outbox.stats.sent).to.equal(1);
  });

  it("a stranger's WHERE gets no reply; the message is deleted, the log masks the number, the owner hears of it once", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    h.feedFix();
    h.deliver(2, STRANGER, "WHERE");
    h.clock.advance(50_000);
    expect(h.smsSends()).to.deep.equal([]);
    h.clock.advance(70_000);
    // the digest, a minute later: to the owner, without what the stranger wrote
    expect(h.smsSends()).to.deep.equal([`AT+CMGS="${OWNER}"`]);
    expect(h.smsBodies()).to.deep.equal(["Ignored 1 message from 1 unknown sender: +1415***0123. Only registered numbers get answers."]);
    expect(h.modem.commands).to.include("AT+CMGD=2");
    expect(h.sim.has(2)).to.equal(false);
    expect(h.tracker.stats.strangersIgnored).to.equal(1);
    expect(h.tracker.stats.commandsAnswered).to.equal(0);
    const auth = h.log.entries.filter((e) => e.tag === "auth");
    expect(auth).to.have.length(1);
    expect(auth[0]!.message).to.include("+1415***0123");
    for (const line of h.log.lines) expect(line).to.not.include("4155550123");
  });

  it("an unclaimed device (no owner) answers nobody", () => {
    const h = setup();
    h.tracker.start();
    expect(h.log.entries.some((e) => e.level === "warn" && e.message.includes("no owner number set"))).to.equal(true);
    h.bootToReady();
    h.feedFix();
    h.deliver(1, OWNER, "WHERE");
    h.deliver(2, STRANGER, "HELP");
    h.clock.advance(120_000);
    expect(h.smsSends()).to.deep.equal([]);
    expect(h.modem.commands).to.include.members(["AT+CMGD=1", "AT+CMGD=2"]);
    expect(h.tracker.stats.strangersIgnored).to.equal(2);
  });

  it("a national-format sender is the owner and the reply goes to the E.164 number", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    h.feedFix();
    h.deliver(3, "4085550199", "where?");
    h.clock.advance(2_000);
    h.feedFix();
    h.clock.advance(60_000);
    expect(h.smsSends()).to.deep.equal(['AT+CMGS="+14085550199"']);
    expect(h.smsBodies()[0]).to.include("Live GNSS fix");
  });

  it("a number merely ending like the owner's is not the owner", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    h.deliver(3, "+4414085550199", "WHERE");
    h.deliver(4, "5550199", "WHERE");
    h.clock.advance(60_000);
    expect(h.smsSends()).to.deep.equal([]);
    expect(h.tracker.stats.strangersIgnored).to.equal(2);
  });

  it("RDY while ready → the modem is initialised again and counted as a reboot", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    const before = h.modem.commands.length;
    expect(h.tracker.stats.modemReboots).to.equal(0);
    h.modem.urc("\r\nRDY\r\n");
    h.clock.advance(0); // (the AT chat hands URCs over on its next turn)
    expect(h.tracker.state).to.equal("modem-init");
    expect(h.tracker.stats.modemReboots).to.equal(1);
    h.bootToReady();
    expect(h.modem.commands.slice(before)).to.deep.equal([...INIT_COMMANDS, ...AFTER_READY]);
    expect(h.log.lines.some((l) => l.includes("ready -> modem-init (modem rebooted)"))).to.equal(true);
  });

  it("RDY during initialisation is not counted as another reboot", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.clock.advance(5);
    h.modem.urc("\r\nRDY\r\n");
    h.bootToReady();
    expect(h.tracker.stats.modemReboots).to.equal(0);
    h.modem.urc("\r\nRDY\r\n");
    h.modem.urc("\r\nRDY\r\n"); // the second one arrives while initialising
    h.bootToReady();
    expect(h.tracker.stats.modemReboots).to.equal(1);
  });

  // Regression: a modem reboot between "reply queued" and "message deleted" used to give the owner
  // two replies (the aborted AT+CMGD left the message on the SIM, the sweep read it again). The inbox
  // now remembers recently handled messages and deletes such a re-read one without answering.
  it("a message whose reply was queued when the modem rebooted is answered exactly once", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    h.modem.delayMs = 2_000; // slow network: the reply is still in flight when the modem reboots
    h.deliver(1, OWNER, "HELP");
    h.clock.advance(2_500); // CMGR answered, reply AT+CMGS waiting for its prompt, CMGD queued
    expect(h.smsSends()).to.have.length(1);
    h.modem.delayMs = 20;
    h.modem.urc("\r\nRDY\r\n");
    h.bootToReady();
    h.clock.advance(120_000);
    expect(h.sim.size, "the message is deleted in the end").to.equal(0);
    expect(h.tracker.outbox.length).to.equal(0);
    expect(h.modem.payloads, "replies sent").to.have.length(1);
    expect(h.tracker.outbox.stats.sent).to.equal(1);
  });

  it("a reply whose AT+CMGS was aborted by a modem reboot is sent after re-initialisation", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    h.deliver(1, OWNER, "HELP");
    h.clock.advance(100); // read, replied (queued) and deleted
    expect(h.sim.size).to.equal(0);
    h.modem.delayMs = 5_000;
    h.tracker.outbox.send(OWNER, "second reply");
    h.clock.advance(1_000); // its AT+CMGS waits for the prompt
    h.modem.delayMs = 20;
    h.modem.urc("\r\nRDY\r\n");
    h.bootToReady();
    h.clock.advance(60_000);
    const bodies = h.smsBodies();
    expect(bodies.filter((b) => b === "second reply")).to.have.length(1);
    expect(h.tracker.outbox.length).to.equal(0);
  });

  it("installer settings claim an unclaimed tracker but never replace an existing owner", () => {
    const fresh = new MemoryStore();
    const clock = new FakeClock();
    const ports = (store: MemoryStore) => ({ gnss: new FakePort(), modem: new FakePort(), clock, store, log: new RecordingLogger(), pins: {}, random: new SimRandom(1) });
    const claimed = new Tracker(ports(fresh), { installerOwnerNumber: "020 7946 0958", installerHomeCountryCode: "44" });
    claimed.start();
    expect(claimed.settings.get("ownerNumber")).to.equal("+442079460958");
    expect(claimed.numbers.unclaimed).to.equal(false);
    const owned = new MemoryStore();
    new Settings(owned, new RecordingLogger()).set("ownerNumber", OWNER);
    const kept = new Tracker(ports(owned), { installerOwnerNumber: "+442079460958", installerHomeCountryCode: "44" });
    kept.start();
    expect(kept.settings.get("ownerNumber")).to.equal(OWNER);
    expect(kept.settings.get("homeCountryCode")).to.equal("1");
  });

  it("installer PIN and setup code: the PIN stored only as its hash, a bad PIN refused with the owner kept, the setup code only while none is set", () => {
    const clock = new FakeClock();
    const ports = (store: MemoryStore, log = new RecordingLogger()) => ({ gnss: new FakePort(), modem: new FakePort(), clock, store, log, pins: {}, random: new SimRandom(3) });
    const store = new MemoryStore();
    const tracker = new Tracker(ports(store), { installerOwnerNumber: OWNER, installerOwnerPin: "2468", installerSetupCode: "k7pq2mxa" });
    tracker.start();
    expect(tracker.settings.get("ownerNumber")).to.equal(OWNER);
    expect(pinMatches("2468", tracker.settings.get("pinHash"))).to.equal(true);
    expect(tracker.settings.get("setupCode")).to.equal("K7PQ2MXA");
    expect(JSON.stringify([...store.values.values()])).to.not.include("2468");
    const again = new Tracker(ports(store), { installerOwnerNumber: "+14155550100", installerOwnerPin: "1357", installerSetupCode: "ZZZZ9999" });
    again.start();
    expect([again.settings.get("ownerNumber"), pinMatches("2468", again.settings.get("pinHash")), again.settings.get("setupCode")]).to.deep.equal([OWNER, true, "K7PQ2MXA"]);
    const log = new RecordingLogger();
    const bad = new Tracker(ports(new MemoryStore(), log), { installerOwnerNumber: OWNER, installerOwnerPin: "12a4" });
    bad.start();
    expect([bad.settings.get("ownerNumber"), bad.settings.get("pinHash")]).to.deep.equal([OWNER, ""]);
    expect(log.lines.some((l) => l.includes("installer PIN refused: PIN must be 4 to 8 digits"))).to.equal(true);
    expect(log.lines.some((l) => l.includes("12a4"))).to.equal(false);
  });

  it("a clear PIN from a settings record before version 6 is replaced by its salted hash at boot, and still works", () => {
    const store = new MemoryStore();
    const v5 = JSON.stringify({ v: 5, ownerNumber: OWNER, ownerPin: "4821", homeCountryCode: "1" });
    store.set("cfg.a", `1;${crc32(`1;${v5}`)};${v5}`);
    const clock = new FakeClock();
    const log = new RecordingLogger();
    const tracker = new Tracker({ gnss: new FakePort(), modem: new FakePort(), clock, store, log, pins: {}, random: new SimRandom(1) });
    expect(pinMatches("4821", tracker.settings.get("pinHash"))).to.equal(true);
    const flash = JSON.stringify([...store.values.values()]);
    expect(flash).to.not.include("ownerPin");
    expect(flash, "neither slot keeps the clear PIN").to.not.include("4821");
    expect(log.lines.some((l) => l.includes("now stored as a salted hash"))).to.equal(true);
  });

  it("a modem silent at power-on gets a power-key pulse after the quick probes, then init starts", () => {
    const h = setup({ owner: OWNER, modemOff: true });
    h.tracker.start();
    h.clock.advance(2_000);
    expect(h.powerKey.writes.map((w) => w.value)).to.deep.equal([0]); // released at start, not pressed yet
    h.bootToReady();
    const writes = h.powerKey.writes;
    expect(writes.map((w) => w.value)).to.deep.equal([0, 1, 0]);
    expect(writes[1]!.atMs).to.be.within(2_000, 4_000); // three AT probes, 700 ms each, 1 s apart
    expect(writes[2]!.atMs - writes[1]!.atMs).to.equal(MODEM_POWER_PULSE_MS);
    expect(MODEM_POWER_PULSE_MS).to.equal(1000);
    // The boot wait started right after the key was released: AT first, at the release time.
    const first = h.modem.received[0]!;
    expect(first.command).to.equal("AT");
    expect(first.atMs).to.be.within(writes[2]!.atMs, writes[2]!.atMs + 50);
    expect(h.modem.commands).to.deep.equal(["AT", ...INIT_COMMANDS, ...AFTER_READY]);
    // The state never read "modem-failed" while the modem was merely off.
    expect(h.log.lines.some((l) => l.includes("-> modem-failed"))).to.equal(false);
  });

  it("a modem silent after a reboot: the AT step gives up after ~20 s, quick probes, the key is pulsed, init restarts", () => {
    const h = setup({ owner: OWNER });
    let held = false;
    h.powerKey.onWrite = (value) => {
      if (value === 1) held = true;
      else if (held) h.modem.powered = true;
    };
    h.tracker.start();
    h.bootToReady();
    expect(h.powerKey.writes.map((w) => w.value)).to.deep.equal([0]);
    const rebootAtMs = h.clock.monotonicMs();
    h.modem.powered = false; // from now on it says nothing ...
    h.modem.urc("\r\nRDY\r\n"); // ... after announcing a restart
    h.clock.advance(15_000);
    expect(h.powerKey.writes.map((w) => w.value)).to.deep.equal([0]);
    const before = h.modem.received.length;
    h.bootToReady();
    const writes = h.powerKey.writes;
    expect(writes.map((w) => w.value)).to.deep.equal([0, 1, 0]);
    expect(writes[1]!.atMs - rebootAtMs).to.be.within(21_000, 25_000); // 20 s init probe + 3 quick probes
    expect(writes[2]!.atMs - writes[1]!.atMs).to.equal(MODEM_POWER_PULSE_MS);
    const after = h.modem.received.slice(before);
    expect(after[0]!.command).to.equal("AT");
    expect(after[0]!.atMs).to.be.within(writes[2]!.atMs, writes[2]!.atMs + 50);
    expect(after.map((r) => r.command)).to.deep.equal(["AT", ...INIT_COMMANDS, ...AFTER_READY]);
  });

  it("a modem that stays silent is pulsed, then retried without pulsing twice in a row", () => {
    const h = setup({ owner: OWNER, modemOff: true });
    h.powerKey.onWrite = null; // the key does nothing: the modem never answers
    h.tracker.start();
    h.clock.advance(120_000);
    expect(h.tracker.state).to.not.equal("ready");
    const presses = h.powerKey.writes.filter((w) => w.value === 1);
    // probes → press → 20 s boot wait → failed, 30 s → probes → press: never two presses back to back.
    expect(presses).to.have.length(2);
    expect(presses[1]!.atMs - presses[0]!.atMs).to.be.greaterThan(50_000);
    expect(h.log.lines.some((l) => l.includes("-> modem-failed"))).to.equal(true);
  });

  it("a PIN-locked SIM gets the PIN from the settings once, and the PIN is never logged", () => {
    let unlocked = false;
    const h = setup({
      owner: OWNER,
      simPin: "4821",
      answer: (command) => {
        if (command === "AT+CPIN?") return `\r\n+CPIN: ${unlocked ? "READY" : "SIM PIN"}\r\n` + OK;
        if (command === 'AT+CPIN="4821"') {
          unlocked = true;
          return OK;
        }
        return undefined;
      },
    });
    h.tracker.start();
    h.bootToReady();
    expect(h.modem.commands.filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
    expect(h.tracker.modem.stats.pinAttempts).to.equal(1);
    for (const line of h.log.lines) expect(line).to.not.include("4821");
  });

  it("a refused SIM PIN → modem-failed, erased from the settings, never sent again", () => {
    const h = setup({
      owner: OWNER,
      simPin: "4821",
      answer: (command) => {
        if (command === "AT+CPIN?") return "\r\n+CPIN: SIM PIN\r\n" + OK;
        if (command.startsWith("AT+CPIN=")) return "\r\n+CME ERROR: incorrect password\r\n";
        return undefined;
      },
    });
    h.tracker.start();
    h.clock.advance(60_000);
    expect(h.tracker.state).to.equal("modem-failed");
    expect(h.tracker.modem.failure).to.deep.equal({ reason: "SIM PIN wrong", needsPerson: true });
    expect(h.tracker.settings.get("simPin")).to.equal("");
    h.clock.advance(3_600_000);
    expect(h.modem.commands.filter((c) => c.startsWith("AT+CPIN="))).to.have.length(1);
    expect(h.log.lines.some((l) => l.includes("modem-init -> modem-failed (SIM PIN wrong)"))).to.equal(true);
    for (const line of h.log.lines) expect(line).to.not.include("4821");
  });

  it("repairs a GPS week-rollover date (1024 weeks early, before the firmware date) before setting the clock", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    h.feedFix("122035.00", "210407"); // 2007-04-21 = 2026-12-05 minus 1024 weeks (an old receiver's epoch)
    expect(h.clock.utcMs()).to.equal(Date.UTC(2026, 11, 5, 12, 20, 35));
    expect(h.tracker.gnss.latest()?.weekRolloverRepaired).to.equal(true);
  });

  it("the modem's clock (AT+CCLK?) is used until GNSS sets the time; GNSS then wins", () => {
    const h = setup({ owner: OWNER, answer: (c) => (c === "AT+CCLK?" ? '\r\n+CCLK: "24/03/05,10:00:00-16"\r\n' + OK : undefined) });
    h.tracker.start();
    h.bootToReady();
    expect(h.clock.utcMs()).to.equal(Date.UTC(2024, 2, 5, 14, 0, 0));
    h.feedFix();
    expect(h.clock.utcMs()).to.equal(Date.UTC(2026, 11, 5, 12, 35, 10));
    // After a modem reboot the clock is not taken from the modem again: GNSS has set it.
    h.modem.urc("\r\nRDY\r\n");
    h.bootToReady();
    expect(h.modem.commands.filter((c) => c === "AT+CCLK?")).to.have.length(1);
  });

  it("a modem profile from the build configuration (EG25: URCs routed to the UART); an unknown one falls back to A7670", () => {
    const eg25 = setup({ owner: OWNER, modemProfile: "EG25-G" });
    eg25.tracker.start();
    eg25.bootToReady();
    expect(eg25.tracker.modem.profile.name).to.equal("EG25");
    expect(eg25.modem.commands).to.include('AT+QURCCFG="urcport","uart1"');
    const unknown = setup({ owner: OWNER, modemProfile: "M95" });
    expect(unknown.tracker.modem.profile.name).to.equal("A7670");
    expect(unknown.log.lines.some((l) => l.includes("unknown modem profile 'M95'"))).to.equal(true);
  });

  it("sweeps the SIM store every 5 minutes while ready, so a message whose +CMTI was lost is still answered", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    const sweeps = () => h.modem.commands.filter((c) => c === 'AT+CMGL="ALL"').length;
    expect(sweeps()).to.equal(1);
    h.sim.set(4, { sender: OWNER, body: "WHERE" }); // stored without a +CMTI
    h.clock.advance(STORE_SWEEP_INTERVAL_MS + 10_000);
    expect(sweeps()).to.equal(2);
    expect(h.modem.commands.filter((c) => c.startsWith("AT+CMGS=")), "the stored WHERE is answered").to.have.length(1);
    h.clock.advance(STORE_SWEEP_INTERVAL_MS);
    expect(sweeps()).to.equal(3);
  });

  it("SIM pulled while ready → modem-failed (no-sim); SIM back → ready, the store is swept again", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    const sweeps = () => h.modem.commands.filter((c) => c === 'AT+CMGL="ALL"').length;
    expect(sweeps()).to.equal(1);
    h.modem.urc("\r\n+CPIN: NOT INSERTED\r\n");
    h.clock.advance(0); // (the AT chat hands URCs over on its next turn)
    expect(h.tracker.state).to.equal("modem-failed");
    expect(h.tracker.modem.state).to.equal("no-sim");
    h.modem.urc("\r\n+CPIN: READY\r\n");
    h.bootToReady();
    expect(sweeps()).to.equal(2);
  });

  it("command timeouts while ready → recovery ladder; the reply still goes out once afterwards", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    h.modem.powered = false; // hung UART
    h.deliver(1, OWNER, "HELP");
    h.deliver(2, OWNER, "WHERE");
    h.deliver(3, OWNER, "STATUS");
    h.clock.advance(30_000);
    expect(h.tracker.modem.stats.timeouts).to.be.at.least(3);
    expect(h.tracker.state).to.equal("modem-init");
    h.modem.powered = true;
    h.bootToReady();
    h.clock.advance(60_000);
    expect(h.tracker.modem.stats.recoveries).to.equal(1);
    expect(h.modem.payloads, "one reply per message").to.have.length(3);
    expect(h.sim.size).to.equal(0);
  });

  it("no log line above debug level holds a coordinate", () => {
    const h = setup({ owner: OWNER });
    h.tracker.start();
    h.bootToReady();
    for (let i = 0; i < 5; i++) {
      h.feedFix();
      h.clock.advance(1000);
    }
    h.deliver(1, OWNER, "WHERE");
    h.deliver(2, STRANGER, "WHERE");
    h.clock.advance(2000);
    h.feedFix();
    h.clock.advance(60_000);
    // The reply itself does carry coordinates, so the pattern is meaningful here; the digest of the stranger's message does not.
    expect(h.smsBodies()).to.have.length(2);
    expect(h.smsBodies()[0]).to.match(COORDINATE);
    expect(h.smsBodies()[1]).to.match(/^Ignored 1 message from 1 unknown sender/).and.not.match(COORDINATE);
    const offending = h.log.entries.filter((e) => e.level !== "debug" && COORDINATE.test(e.message));
    expect(offending).to.deep.equal([]);
  });

  describe("reply limits, loop guard and backpressure", () => {
    it("an auto-responder on the owner's phone: three answers, one notice, then silence; a command is still answered", () => {
      const h = setup({ owner: OWNER });
      h.tracker.start();
      h.bootToReady();
      let slot = 10;
      let auto = 0;
      // the owner's phone answers every SMS it gets, a few seconds later
      let seen = 0;
      h.deliver(1, OWNER, "WHERE");
      for (let t = 0; t < 3 * 3600; t += 5) {
        h.clock.advance(5_000);
        const sent = h.smsBodies().length;
        for (; seen < sent; seen++) h.deliver(slot++ % 30, OWNER, `Auto-reply ${++auto}: I am driving and will answer later.`);
      }
      const bodies = h.smsBodies();
      expect(bodies, bodies.join(" | ")).to.have.length(5);
      expect(bodies.slice(1, 4).every((b) => b.startsWith("Unknown command"))).to.equal(true);
      expect(bodies[4]).to.match(/^Several messages in a row were not commands/);
      expect(h.log.lines.filter((l) => /warn app: loop guard:/.test(l))).to.have.length(1);
      h.deliver(29, OWNER, "HELP");
      h.clock.advance(60_000);
      expect(h.smsBodies()).to.have.length(6);
    });

    it("a flood of commands from one number: 30 replies an hour, then one notice, then nothing until the hour is over", () => {
      const h = setup({ owner: OWNER });
      h.tracker.start();
      h.bootToReady();
      for (let i = 0; i < 40; i++) {
        h.deliver(1 + (i % 20), OWNER, `WHERE ${i}`);
        h.clock.advance(60_000);
      }
      const bodies = h.smsBodies();
      expect(bodies).to.have.length(31);
      expect(bodies[30]).to.match(/^Reply limit reached \(30 per hour to this number\)/);
      h.clock.advance(30 * 60_000);
      h.deliver(5, OWNER, "WHERE again");
      h.clock.advance(60_000);
      expect(h.smsBodies()).to.have.length(32);
    });

    it("the limits follow the settings", () => {
      const h = setup({ owner: OWNER });
      expect(h.tracker.settings.set("repliesPerHour", "5").ok).to.equal(true);
      expect(h.tracker.settings.set("loopGuardAfter", "1").ok).to.equal(true);
      expect(h.tracker.settings.set("repliesPerHour", "1").reason).to.equal("replies per hour to one number must be a whole number from 2 to 200");
      h.tracker.start();
      h.bootToReady();
      for (let i = 0; i < 3; i++) {
        h.deliver(1 + i, OWNER, `hello ${i}`);
        h.clock.advance(60_000);
      }
      expect(h.smsBodies().map((b) => b.slice(0, 12))).to.deep.equal(["Unknown comm", "Several mess"]);
      for (let i = 0; i < 5; i++) {
        h.deliver(10 + i, OWNER, `WHERE ${i}`);
        h.clock.advance(60_000);
      }
      expect(h.smsBodies()).to.have.length(6);
      expect(h.smsBodies()[5]).to.match(/^Reply limit reached \(5 per hour/);
    });

    it("25 commands while the network refuses every send (+CMS ERROR: 331): all 25 answered once it is back, none dropped", () => {
      let networkBack = false;
      const h = setup({
        owner: OWNER,
        answer: (command) => (command.startsWith("AT+CMGS=") && !networkBack ? "\r\n+CMS ERROR: 331\r\n" : undefined),
      });
      h.tracker.start();
      h.bootToReady();
      for (let i = 0; i < 25; i++) {
        h.deliver(1 + i, OWNER, `WHERE ${i}`);
        h.clock.advance(20_000);
      }
      h.clock.advance(5 * 60_000);
      expect(h.tracker.outbox.length, "the outbox is full").to.equal(16);
      expect(h.sim.size, "the rest wait unread on the SIM").to.equal(9);
      expect(h.log.lines.filter((l) => /outbox full/.test(l))).to.deep.equal([]);
      networkBack = true;
      h.clock.advance(20 * 60_000);
      expect(h.smsBodies()).to.have.length(25);
      expect(h.sim.size).to.equal(0);
      expect(h.tracker.stats.commandsAnswered).to.equal(25);
    });
  });
});

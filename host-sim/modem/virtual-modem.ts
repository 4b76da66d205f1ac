/**
 * Virtual cellular modem (SIMCom A7670 by default; SIM7600, SIM7000, SIM800, Quectel EG25 and BG96
 * as profiles, see profiles.ts), driven over its UART by AT commands, in PDU or text mode, with the
 * GNSS receiver of the modules that have one.
 *
 * Wiring: `connect(toFirmware)` gives the modem its TX line (a UartWire whose sink is the firmware);
 * the firmware's TX wire delivers into `receive(chunk)`; the virtual GNSS's bytes (when the GNSS is
 * inside the modem) into `feedGnss(bytes)`. Everything is timed by the VirtualClock.
 *
 * Parts, each a small file, so that a fault or a dialect is added in one place:
 * - modem-io.ts: the UART (input, echo, lines, the prompt's bytes, URC and NMEA holding, noise,
 *   traffic log); modem-power.ts on it: state, power, power key, boot sequence, SIM, registration.
 * - this file, on both: the public controls, the network side, each command line (forbidden
 *   commands, injected faults' effects) and the timing of AT+CMGS.
 * - commands/: dispatch.ts (a line → its commands → the families), general.ts, gnss.ts (with
 *   gnss-report.ts), sim-registration.ts with cell-commands.ts, sms-settings.ts, sms-storage.ts,
 *   sms-send.ts, sms-delivery.ts (incoming messages); context.ts is what they see of the modem.
 * - profiles.ts (dialects as data), modem-types.ts (public types), at-syntax.ts (arguments, errors),
 *   sms-storage.ts (SM/ME storages), pdu.ts (SMS-DELIVER / SMS-SUBMIT), sms-format.ts (+CMGR/+CMGL),
 *   faults.ts (fault types), fault-queue.ts (injected faults, their errors).
 *
 * What it models (corpora.md §3): per-profile boot URCs and their timing, registration after a
 * delay (per-register quirks), echo, CMEE error forms, CMGF 0/1, CSCS/CSDH/CNMI/CPMS/CSMP,
 * CMGR/CMGL/CMGD/CMGW/CMGS in both modes (PDU: SMS-DELIVER with SMSC, concatenated deliveries,
 * SUBMIT decoding with concatenation reassembled by the network), +CMTI / +CMT / +CDSI, the "> "
 * prompt, Ctrl-Z and ESC, CCLK (unsynchronised until the network time arrives), SIM PIN/PUK,
 * CFUN, power key and AT power-off, GNSS on/off, NMEA on the UART and position queries
 * (commands/gnss.ts). Data-bearer commands are refused and recorded in `forbiddenCommands`.
 * Faults: see `injectFault` and the test controls below.
 *
 * Simplifications (documented on purpose):
 * - Incoming messages go to the lowest free index of the receive storage (CPMS mem3). A message
 *   whose parts do not all fit is partly stored; the network keeps it "waiting" and the missing
 *   parts come after AT+CMGD frees slots (SMMA). No URC announces the full memory.
 * - URCs (+CMTI, +CREG) and NMEA lines that fall while a command executes or a prompt is open are
 *   held and written after the final result code (CNMI mode 2 behaviour) whatever the mode is.
 *   `emitUrc()` writes one at once, even in the middle of an exchange, for hostile tests.
 * - Text-mode CMGS refuses texts over 160 septets (70 UTF-16 units with CSMP dcs 8); PDU-mode CMGS
 *   checks that <length> equals the TPDU octets (else +CMS ERROR: 304).
 * - In the text-mode CMGS text, CR is a line break ("\n" in the message) and answers with a new
 *   "\r\n> " prompt; an LF right after that CR is swallowed. In PDU mode CR, LF and spaces are
 *   ignored. The prompt never times out.
 * - Status reports are stored in the receive storage and announced with +CDSI when CNMI <ds>=2,
 *   otherwise with +CMTI (so the firmware meets them either way).
 * - Bytes the modem cannot take yet (while a command executes) are buffered, not lost.
 */
import type { EventHandle, VirtualClock } from "../clock.ts";
import { FORBIDDEN_COMMAND, PLAIN_ERROR, cms, formatError, latin1, splitCommands } from "./at-syntax.ts";
import type { VirtualCell } from "./commands/cell-commands.ts";
import type { ModemContext } from "./commands/context.ts";
import { PIN_TRIES } from "./commands/context.ts";
import { executeLine } from "./commands/dispatch.ts";
import { regDetail } from "./commands/sim-registration.ts";
import { SmsDelivery } from "./commands/sms-delivery.ts";
import { type Prompt, outgoing, writeToStorage } from "./commands/sms-send.ts";
import { FaultQueue, faultError } from "./fault-queue.ts";
import type { FaultReply, FaultSpec } from "./faults.ts";
import { ModemPower, REG_KINDS } from "./modem-power.ts";
import type { ModemSettings, RegistrationKind, SimState, Submission, VirtualModemOptions } from "./modem-types.ts";
import type { DeliveryOutcome, SmsNetwork, SmsRecord, SmsSubscriber } from "./sms-network.ts";
import { SmsStorage, type StoredSms } from "./sms-storage.ts";

export { formatAtTimestamp, showControls } from "./at-syntax.ts";
export type { FaultReply, FaultSpec, NoiseOptions } from "./faults.ts";
export type { StoredSms, SmsStatus } from "./sms-storage.ts";
export type { ProfileName, ModemProfile, GnssDialect } from "./profiles.ts";
export type { VirtualCell, VirtualRat } from "./commands/cell-commands.ts";
export { DEFAULT_MODEM_TIMING } from "./modem-types.ts";
export type {
  ModemSettings,
  ModemTiming,
  PowerState,
  RegistrationKind,
  SimState,
  Submission,
  TrafficEntry,
  VirtualModemOptions,
} from "./modem-types.ts";

// ---------------------------------------------------------------------------------------------

export class VirtualModem extends ModemPower implements SmsSubscriber {
  readonly storageSlots: number;

  /** Data-bearer commands the firmware tried (it must never: the product tests assert this stays empty). */
  readonly forbiddenCommands: Array<{ atMs: number; command: string }> = [];
  /** Every AT+CMGS the network accepted, confirmed or not. */
  readonly submissions: Submission[] = [];
  /** AT command lines received (a chained line counts once). */
  commandsReceived = 0;
  /** Every AT command line received, as received (the invariants check each against the firmware's allow list). */
  readonly commandLines: Array<{ atMs: number; command: string }> = [];
  /** Messages handed to the network by AT+CMGS (one per CMGS, a part counts once). */
  smsSent = 0;

  private readonly storage: SmsStorage;
  /** What the command families see of this modem (commands/context.ts). */
  private readonly ctx: ModemContext;
  private readonly delivery: SmsDelivery;
  protected settings: ModemSettings;
  private messageRef = 0;
  private readonly faults = new FaultQueue();

  constructor(clock: VirtualClock, network: SmsNetwork, options: VirtualModemOptions) {
    super(clock, network, options);
    this.storageSlots = options.storageSlots ?? this.profile.memories["SM"] ?? 30;
    this.storage = new SmsStorage({ ...this.profile.memories, SM: this.storageSlots });
    this.settings = this.defaultSettings();
    this.ctx = this.commandContext({
      manufacturer: this.profile.manufacturer,
      model: options.model ?? this.profile.model,
      revision: options.revision ?? this.profile.revision,
      imei: options.imei ?? this.profile.imei,
    });
    this.delivery = new SmsDelivery(this.ctx, this.random.int(0, 255));
    network.register(this.number, this);
  }

  private commandContext(identity: ModemContext["identity"]): ModemContext {
    const self = this;
    return {
      profile: this.profile,
      timing: this.timing,
      identity,
      baud: this.baud,
      fixedBaud: this.fixedBaud,
      clock: this.clock,
      network: this.network,
      number: this.number,
      storage: this.storage,
      sim: this.sim,
      radio: this.radio,
      rtc: this.rtc,
      gnss: this.gnss,
      get settings() {
        return self.settings;
      },
      set settings(value) {
        self.settings = value;
      },
      defaultSettings: () => this.defaultSettings(),
      smsReady: () => this.smsReady,
      smsCapable: () => this.smsCapable(),
      schedule: (delayMs, action) => this.schedule(delayMs, action),
      urc: (text) => this.urc(text),
      reboot: () => this.reboot(),
      powerOff: () => this.powerOff(),
      powerDown: (byKey) => this.powerDown(byKey),
      scheduleRegistration: () => this.scheduleRegistration(),
      stopRegistration: () => this.stopRegistration(),
      applyRegistration: (stat) => this.applyRegistration(stat),
      runAfterSimLines: () => this.runAfterSimLines(),
    };
  }

  protected defaultSettings(): ModemSettings {
    const first = this.storage.names()[0] ?? "SM";
    return {
      echo: true,
      cmee: 0,
      cmgf: this.profile.defaultCmgf,
      cscs: this.profile.defaultCscs,
      csdh: 0,
      cnmi: [0, 0, 0, 0, 0],
      csmp: [17, 167, 0, 0],
      regUrc: { CREG: 0, CGREG: 0, CEREG: 0 },
      cpms: [first, first, first],
      copsFormat: 0,
    };
  }

  // ----- state ---------------------------------------------------------------------------------

  /** True after the SMS-ready line: SMS commands work and deliveries are accepted (when registered). */
  get isSmsReady(): boolean {
    return this.smsReady;
  }

  /** Current settings (read-only view). */
  get currentSettings(): Readonly<ModemSettings> {
    return this.settings;
  }

  /** Current registration stat of CREG / CGREG / CEREG. */
  registration(kind: RegistrationKind = "CEREG"): number {
    return this.radio.reg[kind];
  }

  /** SIM state as the modem sees it now. */
  get simState(): SimState {
    if (!this.sim.inserted) return "absent";
    if (this.sim.lock === "none") return "ready";
    return this.sim.lock;
  }

  /** PIN / PUK tries left. */
  get simTriesLeft(): { pin: number; puk: number } {
    return { pin: this.sim.pinTriesLeft, puk: this.sim.pukTriesLeft };
  }

  // ----- test controls ------------------------------------------------------------------------

  /**
   * Set the registration stat now (all three, mapped through the profile's per-register quirks,
   * or only `only`, exactly), cancelling the pending automatic registration; emits +CxREG URCs
   * when enabled. A reboot registers automatically again.
   */
  setRegistered(stat: number, only?: RegistrationKind): void {
    this.stopRegistration();
    this.applyRegistration(stat, only);
  }

  /** Registration lost (stat 2 searching, or 0): +CxREG URCs when enabled; CMGS then fails with 331. */
  loseRegistration(stat = 2): void {
    this.setRegistered(stat);
  }

  /** Registered again with `registeredStat`. */
  restoreRegistration(): void {
    this.setRegistered(this.registeredStat);
  }

  /** The serving cell now (a copy). */
  get servingCell(): VirtualCell {
    return { ...this.radio.cell };
  }

  /** Move to another cell (a handover): +CxREG URCs with the new location where <n> is 2 and registered. */
  setCell(cell: Partial<VirtualCell>): void {
    this.radio.cell = { ...this.radio.cell, ...cell };
    if (this.power !== "on") return;
    for (const kind of REG_KINDS) {
      const stat = this.radio.reg[kind];
      if (this.settings.regUrc[kind] === 2 && (stat === 1 || stat === 5)) this.urc(`+${kind}: ${regDetail(this.ctx, kind, false)}`);
    }
  }

  /** Set the AT+CSQ values. */
  setSignal(rssi: number, ber = 99): void {
    this.radio.rssi = rssi;
    this.radio.ber = ber;
  }

  /** Add a fault; faults are tried in the order they were added. */
  injectFault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Unsolicited reboot at absolute virtual time `atMs` (settings lost, boot lines again). */
  rebootAt(atMs: number): EventHandle {
    return this.clock.at(atMs, () => this.reboot());
  }

  /** Unsolicited reboot `delayMs` from now. */
  rebootAfter(delayMs: number): EventHandle {
    return this.clock.after(delayMs, () => this.reboot());
  }

  /** Pull the SIM out: "+CPIN: NOT INSERTED", registration lost, SIM commands +CME ERROR: 10, SMS commands +CMS ERROR: 310. */
  removeSim(): void {
    if (!this.sim.inserted) return;
    this.sim.inserted = false;
    if (this.power === "on" && this.sim.read) this.urc("+CPIN: NOT INSERTED");
    this.smsReady = false;
    this.setRegistered(0);
  }

  /** Put a SIM back: it is read at the next boot (no hot-plug). */
  insertSim(): void {
    this.sim.inserted = true;
  }

  /** From the next boot on, the SIM asks for `pin` (tries reset to 3). */
  requirePin(pin: string): void {
    this.sim.pin = pin;
    this.sim.pinTriesLeft = PIN_TRIES;
  }

  /** Occupied storage slots: every storage, by index. */
  storedMessages(): StoredSms[] {
    return this.storage.all().map((s) => ({ ...s, ...(s.part ? { part: { ...s.part } } : {}) }));
  }

  /** Used / total of a storage ("SM" default). */
  storageUse(memory = "SM"): { used: number; total: number } {
    return { used: this.storage.used(memory), total: this.storage.size(memory) };
  }

  /**
   * Put a message straight into SIM storage (as if it arrived while nobody listened); no URC.
   * A long text takes several slots (concatenated parts). Returns the first index, or undefined
   * when it does not fit (then nothing is stored).
   */
  storeDirect(from: string, text: string, status: StoredSms["status"] = "REC UNREAD", memory = "SM"): number | undefined {
    return this.delivery.storeDirect(from, text, status, memory);
  }

  /** Fill the free slots of `memory` with read filler messages (storage-full tests). Returns how many. */
  fillStorage(memory = "SM"): number {
    let n = 0;
    while (this.storage.free(memory) > 0) {
      this.storeDirect("+10000000000", `filler ${++n}`, "REC READ", memory);
    }
    return n;
  }

  /**
   * Deliver a raw TPDU (hex, no SMSC) now, as if the network sent it: stored in the receive
   * storage and announced (+CMTI, or +CDSI for a status report with CNMI ds=2), or +CMT with CNMI
   * mt=2. Use for status reports, WAP push, class 0, binary data, or hand-made hostile PDUs.
   * Returns the index, or undefined when the modem cannot take it (off, storage full).
   */
  deliverRaw(tpduHex: string, options: { networkId?: number } = {}): number | undefined {
    if (this.power !== "on" || !this.smsReady) return undefined;
    return this.delivery.deliverRaw(tpduHex, options);
  }

  /** Entries stored by deliveries (a concatenated message counts one per part). */
  get smsReceived(): number {
    return this.delivery.received;
  }

  /** Deliveries refused (wholly or partly) because storage was full. */
  get smsRefusedFull(): number {
    return this.delivery.refusedFull;
  }

  // ----- GNSS inside the module ----------------------------------------------------------------

  /**
   * Bytes from the GNSS engine inside the module (the virtual GNSS's output, Simulation option
   * `gnssInModem`). Whole "$" lines are kept for the position commands and, while the receiver is
   * on and its NMEA output goes to the AT UART, written to the firmware (commands/gnss.ts). Ignored
   * while the receiver is off (always after a reboot) or the module has no receiver.
   */
  feedGnss(bytes: Uint8Array | string): void {
    this.gnss.feed(typeof bytes === "string" ? bytes : latin1(bytes));
  }

  /** True while the built-in GNSS receiver is on (AT+CGPS=1, AT+CGNSPWR=1, AT+QGPS=1). */
  get gnssOn(): boolean {
    return this.gnss.on;
  }

  /** True while NMEA sentences go to the AT UART. */
  get gnssNmeaToUart(): boolean {
    return this.gnss.nmeaToUart;
  }

  /** NMEA lines written (or held to be written) on the UART so far. */
  get nmeaLinesOut(): number {
    return this.gnss.linesOut;
  }

  // ----- network side -------------------------------------------------------------------------

  /** @internal Called by the SmsNetwork. */
  deliver(sms: SmsRecord): DeliveryOutcome {
    if (this.power !== "on" || !this.smsReady || !this.simUsable() || !this.smsCapable()) return "absent";
    return this.delivery.deliver(sms);
  }

  protected responseDelayMs(): number {
    return this.random.int(this.timing.responseMinMs, this.timing.responseMaxMs);
  }

  // ----- command line, faults, CMGS timing --------------------------------------------------

  protected handleLine(raw: string, overflow: boolean): void {
    // Leading noise (NULs, spaces, control characters) before "AT" is skipped, as a UART does after a glitch.
    const start = raw.search(/[^\x00-\x20]/);
    const line = start < 0 ? "" : raw.slice(start).trimEnd();
    if (line.length === 0) return;
    if (!/^AT/i.test(line)) {
      this.linesIgnored++;
      return;
    }
    this.commandsReceived++;
    this.commandLines.push({ atMs: this.clock.nowMs, command: line });
    if (overflow) return this.respond({ error: PLAIN_ERROR });
    if (FORBIDDEN_COMMAND.test(line) || splitCommands(line.slice(2)).some((part) => FORBIDDEN_COMMAND.test(`AT${part}`))) {
      this.forbiddenCommands.push({ atMs: this.clock.nowMs, command: line });
      return this.respond({ error: PLAIN_ERROR });
    }
    const fault = this.faults.take(line, "command");
    if (fault === "garbage") {
      this.garbageNextResponse = true;
      return this.respond(executeLine(this.ctx, line), line);
    }
    if (fault) return this.respondFault(fault);
    this.respond(executeLine(this.ctx, line), line);
  }

  private respondFault(reply: FaultReply): void {
    if (reply === "timeout") return; // swallowed: no answer at all; the next command works
    if (reply === "reboot") {
      this.busy = true;
      this.schedule(this.responseDelayMs(), () => this.reboot());
      return;
    }
    this.respond({ error: faultError(reply) });
  }

  /** Ctrl-Z of AT+CMGS: the "submit" fault, the text decoded, the network's answer after its delay, the "result" fault. */
  private submit(prompt: Prompt): void {
    const fault = this.faults.take(prompt.line, "submit");
    if (fault === "timeout") return this.finish();
    if (fault === "reboot") return void this.schedule(this.responseDelayMs(), () => this.reboot());
    if (fault && fault !== "slow" && fault !== "garbage") return this.respond({ error: faultError(fault) });
    if (fault === "garbage") this.garbageNextResponse = true;
    const part = outgoing(this.ctx, prompt);
    if ("kind" in part) return this.respond({ error: part });
    if (!this.smsCapable()) {
      this.schedule(this.timing.submitNoServiceMs, () => {
        this.writeOut(`\r\n${formatError(cms(331), this.settings.cmee)}\r\n`);
        this.finish();
      });
      return;
    }
    const delay = fault === "slow" ? this.profile.submitMaxResponseMs - 1000 : this.random.int(this.timing.submitMinMs, this.timing.submitMaxMs);
    this.schedule(delay, () => {
      const record = part.concat
        ? this.network.submitPart(this.number, part.to, { ...part.concat, text: part.text, dcs: part.dcs })
        : this.network.submit(this.number, part.to, part.text);
      this.smsSent++;
      const submission: Submission = { atMs: this.clock.nowMs, to: part.to, text: part.text, networkId: record?.id, mr: undefined, confirmed: true };
      this.submissions.push(submission);
      const lost = this.faults.take(prompt.line, "result");
      if (lost) {
        submission.confirmed = false;
        if (record) record.unconfirmed = true;
        if (lost === "timeout") return this.finish();
        if (lost === "reboot") return this.reboot();
        this.writeOut(`\r\n${formatError(faultError(lost), this.settings.cmee)}\r\n`);
        return this.finish();
      }
      const mr = this.messageRef;
      this.messageRef = (this.messageRef + 1) & 0xff;
      submission.mr = mr;
      this.writeOut(this.spoil(`\r\n+CMGS: ${mr}\r\n\r\nOK\r\n`));
      this.finish();
    });
  }

  /** Ctrl-Z: AT+CMGW stores the message, AT+CMGS hands it to the network. */
  protected endPrompt(prompt: Prompt): void {
    if (prompt.purpose === "write") this.respond(writeToStorage(this.ctx, prompt));
    else this.submit(prompt);
  }
}

/**
 * Virtual cellular modem (SIMCom A7670 by default; SIM7600, SIM7000, SIM800, Quectel EG25 and BG96
 * as profiles, see profiles.ts), driven over its UART by AT commands, in PDU or text mode.
 *
 * Wiring: `connect(toFirmware)` gives the modem its TX line (a UartWire whose sink is the firmware);
 * the firmware's TX wire delivers into `receive(chunk)`. Everything is timed by the VirtualClock.
 *
 * Parts: modem-io.ts (the base class: UART input, echo, lines, the prompt's bytes, URC holding,
 * noise, traffic log), commands/ (the command families: general.ts, sim-registration.ts with
 * cell-commands.ts, sms-settings.ts, sms-storage.ts, sms-send.ts, sms-delivery.ts for incoming
 * messages; context.ts is what they see of the modem), modem-types.ts (public types),
 * at-syntax.ts (argument parsing, error shaping), profiles.ts (dialects as data), sms-storage.ts
 * (SM/ME storages), pdu.ts (SMS-DELIVER encoder, SMS-SUBMIT decoder, special PDUs), sms-format.ts
 * (+CMGR/+CMGL presentation), faults.ts (fault types), fault-queue.ts (injected faults). This
 * file is the state machine: the state, power, boot, SIM, registration, the command dispatch, the
 * faults' effects and the timing of AT+CMGS.
 *
 * What it models (corpora.md §3): per-profile boot URCs and their timing, registration after a
 * delay (per-register quirks), echo, CMEE error forms, CMGF 0/1, CSCS/CSDH/CNMI/CPMS/CSMP,
 * CMGR/CMGL/CMGD/CMGW/CMGS in both modes (PDU: SMS-DELIVER with SMSC, concatenated deliveries,
 * SUBMIT decoding with concatenation reassembled by the network), +CMTI / +CMT / +CDSI, the "> "
 * prompt, Ctrl-Z and ESC, CCLK (unsynchronised until the network time arrives), SIM PIN/PUK,
 * CFUN, power key and AT power-off. Data-bearer commands are refused and recorded in
 * `forbiddenCommands`. Faults: see `injectFault` and the test controls below.
 *
 * Simplifications (documented on purpose):
 * - Incoming messages go to the lowest free index of the receive storage (CPMS mem3). A message
 *   whose parts do not all fit is partly stored; the network keeps it "waiting" and the missing
 *   parts come after AT+CMGD frees slots (SMMA). No URC announces the full memory.
 * - URCs (+CMTI, +CREG) that fall while a command executes or a prompt is open are held and written
 *   after the final result code (CNMI mode 2 behaviour) whatever the mode is. `emitUrc()` writes
 *   one at once, even in the middle of an exchange, for hostile tests.
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
import { Random } from "../random.ts";
import { FORBIDDEN_COMMAND, PLAIN_ERROR, cms, formatError, parseArgs, splitCommands } from "./at-syntax.ts";
import { type VirtualCell, defaultCell } from "./commands/cell-commands.ts";
import { type Form, type ModemContext, type ModemRtc, PIN_TRIES, PUK_TRIES, type Radio, type SimCard, type SubResult } from "./commands/context.ts";
import { basicCommand, generalCommand } from "./commands/general.ts";
import { regDetail, simRegistrationCommand } from "./commands/sim-registration.ts";
import { SmsDelivery } from "./commands/sms-delivery.ts";
import { type Prompt, cmdCmgs, outgoing, writeToStorage } from "./commands/sms-send.ts";
import { SMS_COMMANDS, smsGate, smsSettingsCommand } from "./commands/sms-settings.ts";
import { smsStorageCommand } from "./commands/sms-storage.ts";
import { FaultQueue, faultError } from "./fault-queue.ts";
import type { FaultReply, FaultSpec } from "./faults.ts";
import { ModemIo } from "./modem-io.ts";
import {
  DEFAULT_MODEM_TIMING,
  type ModemSettings,
  type ModemTiming,
  type PowerState,
  type RegistrationKind,
  type SimState,
  type Submission,
  type VirtualModemOptions,
} from "./modem-types.ts";
import { type BootLine, getProfile } from "./profiles.ts";
import type { DeliveryOutcome, SmsNetwork, SmsRecord, SmsSubscriber } from "./sms-network.ts";
import { SmsStorage, type StoredSms } from "./sms-storage.ts";

export { formatAtTimestamp, showControls } from "./at-syntax.ts";
export type { FaultReply, FaultSpec, NoiseOptions } from "./faults.ts";
export type { StoredSms, SmsStatus } from "./sms-storage.ts";
export type { ProfileName, ModemProfile } from "./profiles.ts";
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

/** Registration stats that allow SMS (corpora §3.8). */
const SMS_CAPABLE_STATS = new Set([1, 5, 6, 7, 9, 10]);

const REG_KINDS: readonly RegistrationKind[] = ["CREG", "CGREG", "CEREG"];

// ---------------------------------------------------------------------------------------------

export class VirtualModem extends ModemIo implements SmsSubscriber {
  readonly number: string;
  readonly storageSlots: number;
  readonly timing: Readonly<ModemTiming>;
  /** Stat reached registrationDelayMs after boot (also after a reboot). */
  registeredStat: number;

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
  /** Boots so far (powerOn, reboot, CFUN=1,1). */
  boots = 0;

  private readonly random: Random;
  private readonly baud: number;
  private readonly fixedBaud: boolean;
  private readonly bootMs: number | undefined;
  private readonly registrationDelayMs: number;
  private readonly timingOverrides: Partial<ModemTiming>;
  private readonly storage: SmsStorage;
  /** What the command families see of this modem (commands/context.ts). */
  private readonly ctx: ModemContext;
  private readonly delivery: SmsDelivery;

  private smsReady = false;
  protected settings: ModemSettings;
  private registrationTimer: EventHandle | undefined;
  private readonly radio: Radio;
  private readonly rtc: ModemRtc = { offsetMs: 0, zone: undefined, synced: false, uartOnAtMs: 0 };
  private messageRef = 0;
  private readonly faults = new FaultQueue();

  private readonly sim: SimCard;
  private afterSimLines: BootLine[] = [];
  private simLineAtMs = 0;

  constructor(
    clock: VirtualClock,
    private readonly network: SmsNetwork,
    options: VirtualModemOptions,
  ) {
    super(clock, getProfile(options.profile ?? "a7670"), options.seed ?? 1);
    this.number = options.number;
    this.storageSlots = options.storageSlots ?? this.profile.memories["SM"] ?? 30;
    this.baud = options.baud ?? 115200;
    this.fixedBaud = options.fixedBaud ?? false;
    this.bootMs = options.bootMs;
    this.registrationDelayMs = options.registrationDelayMs ?? 6000;
    this.registeredStat = options.registeredStat ?? 1;
    this.random = new Random(options.seed ?? 1);
    this.timingOverrides = options.timing ?? {};
    this.timing = Object.freeze({
      ...DEFAULT_MODEM_TIMING,
      submitMinMs: this.profile.submitMinMs,
      submitMaxMs: this.profile.submitMaxMs,
      ...options.timing,
    });
    this.storage = new SmsStorage({ ...this.profile.memories, SM: this.storageSlots });
    this.radio = { cfun: 1, rssi: 20, ber: 99, cell: { ...defaultCell(this.profile.name), ...options.cell }, reg: { CREG: 0, CGREG: 0, CEREG: 0 } };
    this.settings = this.defaultSettings();
    this.sim = {
      inserted: !options.simAbsent,
      read: false,
      pin: options.simPin,
      puk: options.simPuk ?? "12345678",
      lock: "none",
      pinTriesLeft: options.simPinTriesLeft ?? PIN_TRIES,
      pukTriesLeft: PUK_TRIES,
    };
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

  private defaultSettings(): ModemSettings {
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


  // ----- power ---------------------------------------------------------------------------------

  /** Power the modem on: boot lines follow after bootMs. No effect unless it is off. */
  powerOn(): void {
    if (this.power !== "off") return;
    this.startBoot();
  }

  /** Cut power: the modem goes silent at once; settings are lost, storage is kept. */
  powerOff(): void {
    this.shutdown();
  }

  /** Unsolicited reboot (brown-out, watchdog): silent, then the boot sequence again. */
  reboot(): void {
    this.shutdown();
    this.startBoot();
  }

  /**
   * The PWRKEY was held for `heldMs` and released. Off: a press ≥ onMinMs switches it on. On (or
   * booting): a press ≥ offMinMs powers it down (the profile's power-down URC, then silent after
   * powerDownMs); a press over offMaxMs (SIM800: 33 s) restarts it. Returns what happened.
   */
  powerKey(heldMs: number): "on" | "off" | "restart" | "ignored" {
    const key = this.profile.powerKey;
    if (this.power === "off") {
      if (heldMs < key.onMinMs) return "ignored";
      this.powerOn();
      return "on";
    }
    if (this.power === "stopping") return "ignored";
    if (key.offMaxMs !== undefined && heldMs > key.offMaxMs) {
      this.reboot();
      return "restart";
    }
    if (heldMs < key.offMinMs) return "ignored";
    this.powerDown(true);
    return "off";
  }

  get powerState(): PowerState {
    return this.power;
  }

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

  // ----- network side -------------------------------------------------------------------------

  /** @internal Called by the SmsNetwork. */
  deliver(sms: SmsRecord): DeliveryOutcome {
    if (this.power !== "on" || !this.smsReady || !this.simUsable() || !this.smsCapable()) return "absent";
    return this.delivery.deliver(sms);
  }

  // ----- boot ---------------------------------------------------------------------------------

  /** Boot lines of the profile with timing overrides applied and shuffle groups permuted. */
  private bootLines(): BootLine[] {
    const o = this.timingOverrides;
    const lines = this.profile.boot.map((l) => {
      let atMs = l.atMs;
      if (l.effect === "sim" && o.cpinAfterReadyMs !== undefined) atMs = o.cpinAfterReadyMs;
      if (l.effect === "sms" && o.smsDoneAfterReadyMs !== undefined) atMs = o.smsDoneAfterReadyMs;
      if (/PB DONE/.test(l.text) && o.pbDoneAfterReadyMs !== undefined) atMs = o.pbDoneAfterReadyMs;
      return { ...l, atMs };
    });
    const groups = new Set(lines.filter((l) => l.shuffleGroup !== undefined).map((l) => l.shuffleGroup));
    for (const g of groups) {
      const members = lines.map((l, i) => (l.shuffleGroup === g ? i : -1)).filter((i) => i >= 0);
      if (members.length === 2 && this.random.int(0, 1) === 1) {
        const [a, b] = members as [number, number];
        const ta = lines[a]!.atMs;
        lines[a] = { ...lines[a]!, atMs: lines[b]!.atMs };
        lines[b] = { ...lines[b]!, atMs: ta };
      }
    }
    return lines.sort((x, y) => x.atMs - y.atMs);
  }

  private startBoot(): void {
    this.power = "booting";
    this.boots++;
    const key = this.profile.powerKey;
    const bootMs = this.bootMs ?? this.random.int(key.bootMinMs, key.bootMaxMs);
    const lines = this.bootLines();
    const simLine = lines.find((l) => l.effect === "sim");
    const simAt = simLine?.atMs ?? 0;
    const isAfterSim = (l: BootLine): boolean => simLine !== undefined && (l.effect === "sms" || l.effect === "sim-after" || l.atMs > simAt);
    this.afterSimLines = lines.filter(isAfterSim);
    this.simLineAtMs = simAt;
    this.sim.lock = this.sim.pin !== undefined ? (this.sim.pinTriesLeft > 0 ? "pin" : this.sim.pukTriesLeft > 0 ? "puk" : "blocked") : "none";
    this.schedule(bootMs, () => {
      for (const line of lines) {
        if (isAfterSim(line)) continue;
        this.schedule(line.atMs, () => this.bootLine(line));
      }
    });
  }

  private bootLine(line: BootLine): void {
    switch (line.effect) {
      case "uart": {
        this.power = "on";
        this.rtc.uartOnAtMs = this.clock.nowMs;
        this.radio.reg = { CREG: 2, CGREG: 2, CEREG: 2 };
        this.radio.cfun = 1;
        if (!line.fixedBaudOnly || this.fixedBaud) this.writeOut(this.frame(line.text));
        this.scheduleRegistration();
        return;
      }
      case "sim":
        this.sim.read = true;
        if (!this.sim.inserted) {
          this.urc("+CPIN: NOT INSERTED");
          this.applyRegistration(0);
          return;
        }
        if (this.sim.lock !== "none") {
          this.urc(this.sim.lock === "pin" ? "+CPIN: SIM PIN" : this.sim.lock === "puk" ? "+CPIN: SIM PUK" : "+CPIN: NOT READY");
          return;
        }
        this.urc(line.text);
        this.runAfterSimLines();
        return;
      case "sms":
        this.smsReady = true;
        if (line.text) this.urc(line.text);
        this.maybeReady();
        return;
      default:
        if (line.text) this.urc(line.text);
    }
  }

  /** Lines that need a readable SIM, relative to the +CPIN line. */
  private runAfterSimLines(): void {
    for (const line of this.afterSimLines) this.schedule(Math.max(0, line.atMs - this.simLineAtMs), () => this.bootLine(line));
  }

  private powerDown(byKey: boolean): void {
    const urcText = this.profile.powerKey.powerDownUrc;
    if (urcText && (byKey || this.profile.powerOffCommand !== "CPOF")) this.writeOut(`\r\n${urcText}\r\n`);
    this.epoch++;
    this.power = "stopping";
    this.schedule(this.profile.powerKey.powerDownMs, () => this.shutdown());
  }

  private shutdown(): void {
    this.epoch++;
    this.power = "off";
    this.sim.read = false;
    this.smsReady = false;
    this.rtc.synced = false;
    this.rtc.offsetMs = 0;
    this.rtc.zone = undefined;
    this.settings = this.defaultSettings();
    this.radio.reg = { CREG: 0, CGREG: 0, CEREG: 0 };
    this.stopRegistration();
    this.resetIo();
  }

  private simUsable(): boolean {
    return this.sim.inserted && this.sim.read && this.sim.lock === "none";
  }

  private stopRegistration(): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = undefined;
  }

  private scheduleRegistration(): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = this.schedule(this.registrationDelayMs, () => {
      this.registrationTimer = undefined;
      if (!this.sim.inserted) return this.applyRegistration(0);
      if (this.sim.lock !== "none") return; // searching until the SIM is unlocked
      this.applyRegistration(this.registeredStat);
    });
  }

  private applyRegistration(stat: number, only?: RegistrationKind): void {
    for (const kind of REG_KINDS) {
      if (only && kind !== only) continue;
      const rule = this.profile.registration[kind];
      const value = only || rule === "stat" || !SMS_CAPABLE_STATS.has(stat) ? stat : rule;
      if (this.radio.reg[kind] === value) continue;
      this.radio.reg[kind] = value;
      if (this.power === "on" && this.settings.regUrc[kind] > 0) this.urc(`+${kind}: ${regDetail(this.ctx, kind, false)}`);
    }
    if (this.smsCapable() && !this.rtc.synced) {
      // Network time (NITZ) arrives with the registration.
      this.rtc.synced = true;
      this.rtc.offsetMs = 0;
      this.rtc.zone = undefined;
    }
    this.maybeReady();
  }

  private smsCapable(): boolean {
    return SMS_CAPABLE_STATS.has(this.radio.reg.CREG) || SMS_CAPABLE_STATS.has(this.radio.reg.CGREG) || SMS_CAPABLE_STATS.has(this.radio.reg.CEREG);
  }

  /** Tell the network it may retry waiting messages. */
  private maybeReady(): void {
    if (this.power === "on" && this.smsReady && this.simUsable() && this.smsCapable()) this.network.subscriberReady(this.number);
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
      return this.respond(this.execute(line), line);
    }
    if (fault) return this.respondFault(fault);
    this.respond(this.execute(line), line);
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

  // ----- command execution --------------------------------------------------------------------

  private execute(line: string): SubResult {
    const parts = splitCommands(line.slice(2));
    const blocks: string[] = [];
    const afters: Array<() => void> = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const result = part.startsWith("+") || part.startsWith("*") || part.startsWith("$") ? this.extended(part) : basicCommand(this.ctx, part);
      blocks.push(...(result.blocks ?? []));
      if (result.error) return { blocks, error: result.error };
      if (result.after) afters.push(result.after);
      if (result.noFinal) return { blocks, noFinal: true, after: () => afters.forEach((a) => a()) };
      if (result.prompt) {
        if (i !== parts.length - 1) return { blocks, error: PLAIN_ERROR };
        return { blocks, prompt: result.prompt };
      }
    }
    return { blocks, after: afters.length ? () => afters.forEach((a) => a()) : undefined };
  }

  private extended(text: string): SubResult {
    const m = /^([+*$][A-Za-z0-9]+)(=\?|\?|=(.*))?$/s.exec(text);
    if (!m) return { error: PLAIN_ERROR };
    const name = m[1]!.slice(1).toUpperCase();
    const form: Form = m[2] === undefined ? "exec" : m[2] === "?" ? "read" : m[2] === "=?" ? "test" : "set";
    const args = form === "set" ? parseArgs(m[3] ?? "") : [];
    if (SMS_COMMANDS.has(name)) {
      const gate = smsGate(this.ctx);
      if (gate) return { error: gate };
    }
    // Each family answers its own commands and undefined for the others.
    const c = this.ctx;
    if (name === "CMGS" || name === "CMGW") return cmdCmgs(c, form, args, name === "CMGS" ? "send" : "write");
    return (
      generalCommand(c, name, form, args) ??
      simRegistrationCommand(c, name, form, args) ??
      smsSettingsCommand(c, name, form, args) ??
      smsStorageCommand(c, name, form, args) ?? { error: PLAIN_ERROR }
    );
  }
}

/**
 * Virtual cellular modem (SIMCom A7670 by default; SIM7600, SIM7000, SIM800, Quectel EG25 and BG96
 * as profiles, see profiles.ts), driven over its UART by AT commands, in PDU or text mode.
 *
 * Wiring: `connect(toFirmware)` gives the modem its TX line (a UartWire whose sink is the firmware);
 * the firmware's TX wire delivers into `receive(chunk)`. Everything is timed by the VirtualClock.
 *
 * Parts: at-syntax.ts (argument parsing, error shaping), profiles.ts (dialects as data),
 * sms-storage.ts (SM/ME storages), pdu.ts (SMS-DELIVER encoder, SMS-SUBMIT decoder, special PDUs),
 * sms-format.ts (+CMGR/+CMGL presentation), faults.ts (fault types). This file is the state
 * machine: power, boot, SIM, registration, the input pipeline, command dispatch and the CMGS prompt.
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
import type { UartWire } from "../uart.ts";
import {
  type Arg,
  type ErrorReply,
  FORBIDDEN_COMMAND,
  PLAIN_ERROR,
  bytesOf,
  cme,
  cms,
  formatAtTimestamp,
  formatError,
  intArg,
  latin1,
  parseArgs,
  parseAtTimestamp,
  showControls,
  splitCommands,
} from "./at-syntax.ts";
import { decodeGsm, decodeIra, decodeUcs2Hex, encodeGsm, encodeIra, encodeUcs2Hex, gsmSeptetCount } from "./gsm-charset.ts";
import type { FaultReply, FaultSpec, NoiseOptions } from "./faults.ts";
import { cellCommand, defaultCell, registrationLocation, type VirtualCell } from "./cell-commands.ts";
import { type DeliverPart, decodeMobileTerminated, decodeSubmit, encodeDeliverParts, encodeSmsc, fromHex, toHex } from "./pdu.ts";
import { type BootLine, type ModemProfile, type ProfileName, fillIdentity, getProfile } from "./profiles.ts";
import type { DeliveryOutcome, SmsNetwork, SmsRecord, SmsSubscriber } from "./sms-network.ts";
import { pduHeader, pduOf, textEntry } from "./sms-format.ts";
import { STATUS_BY_NUMBER, STATUS_NUMBER, SmsStorage, type SmsStatus, type StoredSms } from "./sms-storage.ts";

export { formatAtTimestamp, showControls } from "./at-syntax.ts";
export type { FaultReply, FaultSpec, NoiseOptions } from "./faults.ts";
export type { StoredSms, SmsStatus } from "./sms-storage.ts";
export type { ProfileName, ModemProfile } from "./profiles.ts";
export type { VirtualCell, VirtualRat } from "./cell-commands.ts";

// ---------------------------------------------------------------------------------------------
// Public types

/** Timing of the modem's behaviour, ms. Every field can be overridden through `options.timing`. */
export interface ModemTiming {
  /** First boot line → +CPIN (overrides the profile's offset when given). */
  cpinAfterReadyMs: number;
  /** First boot line → the SMS-ready line (SMS commands answer an error before it). */
  smsDoneAfterReadyMs: number;
  /** First boot line → PB DONE (A7670 / SIM7600). */
  pbDoneAfterReadyMs: number;
  /** Command received → response, random in [min, max]. */
  responseMinMs: number;
  responseMaxMs: number;
  /** Ctrl-Z → +CMGS result (network accepted), random in [min, max]. Default: the profile's. */
  submitMinMs: number;
  submitMaxMs: number;
  /** Ctrl-Z without network service → +CMS ERROR: 331. */
  submitNoServiceMs: number;
  /** OK of AT+CFUN=1,1 / AT+CRESET / AT+CPOF → the modem goes down. */
  resetAfterOkMs: number;
}

/** Default timing (ms): the A7670's. */
export const DEFAULT_MODEM_TIMING: Readonly<ModemTiming> = Object.freeze({
  cpinAfterReadyMs: 500,
  smsDoneAfterReadyMs: 2500,
  pbDoneAfterReadyMs: 3500,
  responseMinMs: 10,
  responseMaxMs: 50,
  submitMinMs: 1000,
  submitMaxMs: 3000,
  submitNoServiceMs: 5000,
  resetAfterOkMs: 300,
});

export interface VirtualModemOptions {
  /** The SIM's own number (E.164), the sender of everything the modem sends. */
  number: string;
  /** Dialect. Default "a7670". */
  profile?: ProfileName;
  /** Reported by AT+IPR?; the wire's real speed is set where the UartWire is built. Default 115200. */
  baud?: number;
  /** True when the UART runs at a fixed baud rate (SIM800 prints "RDY" only then). Default false. */
  fixedBaud?: boolean;
  /** SIM storage slots ("SM"), indexes 1..storageSlots. Default 30. */
  storageSlots?: number;
  /** Power-on → first boot line, ms. Default: random in the profile's range per boot (from the seed). */
  bootMs?: number;
  /** First boot line → registered, ms. Default 6000. */
  registrationDelayMs?: number;
  /** Stat reached after registrationDelayMs (1 home, 5 roaming, 3 denied, 0 never...). Default 1. */
  registeredStat?: number;
  /** Seed of the response-time jitter, boot time, URC order and noise. Default 1. */
  seed?: number;
  /** Identity overrides (defaults from the profile). */
  model?: string;
  revision?: string;
  imei?: string;
  /** The SIM asks for this PIN at every boot (3 tries, then PUK). Default: no PIN. */
  simPin?: string;
  /** PIN tries the SIM has left (1 to 3) when it asks for `simPin`. Default 3. */
  simPinTriesLeft?: number;
  /** PUK of the SIM. Default "12345678". */
  simPuk?: string;
  /** No SIM in the holder at power-on. */
  simAbsent?: boolean;
  /** The serving cell (AT+CPSI?, AT+QENG, AT+COPS?, CREG n=2). Default: 310-260, area 0x1A2B, the profile's RAT (cell-commands.ts). */
  cell?: Partial<VirtualCell>;
  timing?: Partial<ModemTiming>;
}

/** One entry of the traffic log. `text` holds the raw bytes, one char per byte (latin1). */
export interface TrafficEntry {
  atMs: number;
  direction: "to-modem" | "from-modem";
  text: string;
  /** "echo": the modem's echo of input; "ignored": input while the modem was off or booting; "noise": injected junk. */
  kind?: "echo" | "ignored" | "noise";
}

/** Modem settings lost at every reboot. */
export interface ModemSettings {
  echo: boolean;
  cmee: 0 | 1 | 2;
  /** 0 PDU (27.005 power-on default), 1 text. */
  cmgf: 0 | 1;
  cscs: "GSM" | "IRA" | "UCS2";
  csdh: 0 | 1;
  /** <mode>,<mt>,<bm>,<ds>,<bfr>. Default 0,0,0,0,0 (27.005): the firmware must set it. */
  cnmi: [number, number, number, number, number];
  /** <fo>,<vp>,<pid>,<dcs>. Default 17,167,0,0. */
  csmp: [number, number, number, number];
  /** <n> of +CREG, +CGREG, +CEREG. */
  regUrc: { CREG: number; CGREG: number; CEREG: number };
  /** CPMS memories: read/delete, write/send, receive. */
  cpms: [string, string, string];
  /** AT+COPS <format> (AT+COPS=3,<format>): 0 long name, 1 short, 2 numeric. */
  copsFormat: number;
}

export type PowerState = "off" | "booting" | "on" | "stopping";
export type RegistrationKind = "CREG" | "CGREG" | "CEREG";
/** SIM state: absent, locked by PIN or PUK, blocked (PUK exhausted), or ready. */
export type SimState = "absent" | "pin" | "puk" | "blocked" | "ready";

/** A message the modem handed to the network with AT+CMGS. */
export interface Submission {
  atMs: number;
  to: string;
  text: string;
  /** The network's record (the whole message; undefined while a concatenated message misses parts). */
  networkId: number | undefined;
  /** +CMGS message reference given to the firmware (undefined when the result was lost). */
  mr: number | undefined;
  /** False when the network got it but the +CMGS result never reached the firmware (fault stage "result"). */
  confirmed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Internals

interface SubResult {
  /** Information responses, each framed "\r\n<block>\r\n" (a block may hold CR LF inside). */
  blocks?: string[];
  error?: ErrorReply;
  /** AT+CMGS / AT+CMGW: open the prompt. */
  prompt?: PromptSpec;
  /** Runs after the final OK has been written. */
  after?: () => void;
  /** Write the blocks and no final result code (SIM800 AT+CPOWD=1). */
  noFinal?: boolean;
}

interface PromptSpec {
  purpose: "send" | "write";
  /** Text mode: destination; PDU mode: undefined. */
  da?: string;
  /** PDU mode: TPDU length. */
  length?: number;
  /** CMGW <stat> to store with. */
  status?: SmsStatus;
}

interface Prompt extends PromptSpec {
  line: string;
  text: number[];
  afterCr: boolean;
  pdu: boolean;
}

interface Fault {
  spec: FaultSpec;
  left: number;
}

/** One outgoing unit after decoding: a whole message, or one part of a concatenated one. */
interface OutgoingPart {
  to: string;
  text: string;
  dcs: number;
  concat?: { ref: number; refBits: 8 | 16; total: number; seq: number };
}

const CR = 0x0d;
const LF = 0x0a;
const BS = 0x08;
const SUB = 0x1a;
const ESC = 0x1b;
const MAX_LINE = 556;
const MAX_PENDING_INPUT = 8192;
const MAX_SMS_TEXT_BYTES = 4096;
const LINE_BREAK = -1;
const PIN_TRIES = 3;
const PUK_TRIES = 10;

/** Commands that need the SMS subsystem (an error before the SMS-ready URC). */
const SMS_COMMANDS = new Set(["CMGF", "CSCS", "CSDH", "CNMI", "CPMS", "CMGR", "CMGD", "CMGL", "CMGS", "CMGW", "CSMP", "CSCA", "CSMS"]);

/** Registration stats that allow SMS (corpora §3.8). */
const SMS_CAPABLE_STATS = new Set([1, 5, 6, 7, 9, 10]);

const REG_KINDS: readonly RegistrationKind[] = ["CREG", "CGREG", "CEREG"];

// ---------------------------------------------------------------------------------------------

export class VirtualModem implements SmsSubscriber {
  readonly number: string;
  readonly storageSlots: number;
  readonly timing: Readonly<ModemTiming>;
  readonly profile: ModemProfile;
  /** Stat reached registrationDelayMs after boot (also after a reboot). */
  registeredStat: number;

  /** Every byte exchanged, merged per command / response. */
  readonly traffic: TrafficEntry[] = [];
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
  /** Entries stored by deliveries (a concatenated message counts one per part). */
  smsReceived = 0;
  /** Deliveries refused (wholly or partly) because storage was full. */
  smsRefusedFull = 0;
  /** Input bytes dropped: sent while off/booting, or past the input buffer. */
  bytesIgnored = 0;
  /** Non-empty lines that did not start with "AT" (ignored, no answer). */
  linesIgnored = 0;
  /** Boots so far (powerOn, reboot, CFUN=1,1). */
  boots = 0;
  /** Junk bytes written by noise and garbage faults. */
  noiseBytes = 0;

  private readonly random: Random;
  private readonly baud: number;
  private readonly fixedBaud: boolean;
  private readonly bootMs: number | undefined;
  private readonly registrationDelayMs: number;
  private readonly model: string;
  private readonly revision: string;
  private readonly imei: string;
  private readonly timingOverrides: Partial<ModemTiming>;
  private readonly storage: SmsStorage;

  private tx: UartWire | undefined;
  private power: PowerState = "off";
  private epoch = 0;
  private simRead = false;
  private smsReady = false;
  private settings: ModemSettings;
  private reg: Record<RegistrationKind, number> = { CREG: 0, CGREG: 0, CEREG: 0 };
  private cfun = 1;
  private registrationTimer: EventHandle | undefined;
  private rssi = 20;
  private ber = 99;
  private cell: VirtualCell;
  private clockOffsetMs = 0;
  private clockZone: number | undefined;
  private clockSynced = false;
  private uartOnAtMs = 0;
  private messageRef = 0;
  private concatRef: number;
  private faults: Fault[] = [];
  private readonly pendingParts = new Map<number, DeliverPart[]>();

  // SIM
  private simInserted: boolean;
  private simPin: string | undefined;
  private simPuk: string;
  private simLock: "none" | "pin" | "puk" | "blocked" = "none";
  private pinTriesLeft = PIN_TRIES;
  private pukTriesLeft = PUK_TRIES;
  private afterSimLines: BootLine[] = [];
  private simLineAtMs = 0;

  // Noise
  private noise: (NoiseOptions & { token: number }) | undefined;
  private noiseToken = 0;
  private noiseRandom: Random;
  private garbageNextResponse = false;

  // Input pipeline
  private input: number[] = [];
  private inputHead = 0;
  private line: number[] = [];
  private lineOverflow = false;
  private busy = false;
  private prompt: Prompt | undefined;
  private heldUrcs: string[] = [];
  private echoOut: number[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly network: SmsNetwork,
    options: VirtualModemOptions,
  ) {
    this.profile = getProfile(options.profile ?? "a7670");
    this.number = options.number;
    this.storageSlots = options.storageSlots ?? this.profile.memories["SM"] ?? 30;
    this.baud = options.baud ?? 115200;
    this.fixedBaud = options.fixedBaud ?? false;
    this.bootMs = options.bootMs;
    this.registrationDelayMs = options.registrationDelayMs ?? 6000;
    this.registeredStat = options.registeredStat ?? 1;
    this.random = new Random(options.seed ?? 1);
    this.noiseRandom = new Random((options.seed ?? 1) ^ 0x5eed);
    this.model = options.model ?? this.profile.model;
    this.revision = options.revision ?? this.profile.revision;
    this.imei = options.imei ?? this.profile.imei;
    this.timingOverrides = options.timing ?? {};
    this.timing = Object.freeze({
      ...DEFAULT_MODEM_TIMING,
      submitMinMs: this.profile.submitMinMs,
      submitMaxMs: this.profile.submitMaxMs,
      ...options.timing,
    });
    this.storage = new SmsStorage({ ...this.profile.memories, SM: this.storageSlots });
    this.cell = { ...defaultCell(this.profile.name), ...options.cell };
    this.settings = this.defaultSettings();
    this.simInserted = !options.simAbsent;
    this.simPin = options.simPin;
    this.pinTriesLeft = options.simPinTriesLeft ?? PIN_TRIES;
    this.simPuk = options.simPuk ?? "12345678";
    this.concatRef = this.random.int(0, 255);
    network.register(this.number, this);
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

  // ----- wiring and power ---------------------------------------------------------------------

  /** Give the modem its TX line (towards the firmware). */
  connect(toFirmware: UartWire): void {
    this.tx = toFirmware;
  }

  /** RX: bytes the firmware wrote. Ignored (but logged) while the modem is off or booting. */
  receive(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.power !== "on") {
      this.logTraffic("to-modem", chunk, "ignored");
      this.bytesIgnored += chunk.length;
      return;
    }
    this.logTraffic("to-modem", chunk);
    for (const b of chunk) {
      if (this.input.length - this.inputHead >= MAX_PENDING_INPUT) this.bytesIgnored++;
      else this.input.push(b);
    }
    this.pump();
  }

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
    return this.reg[kind];
  }

  /** SIM state as the modem sees it now. */
  get simState(): SimState {
    if (!this.simInserted) return "absent";
    if (this.simLock === "none") return "ready";
    return this.simLock;
  }

  /** PIN / PUK tries left. */
  get simTriesLeft(): { pin: number; puk: number } {
    return { pin: this.pinTriesLeft, puk: this.pukTriesLeft };
  }

  // ----- test controls ------------------------------------------------------------------------

  /**
   * Set the registration stat now (all three, mapped through the profile's per-register quirks,
   * or only `only`, exactly), cancelling the pending automatic registration; emits +CxREG URCs
   * when enabled. A reboot registers automatically again.
   */
  setRegistered(stat: number, only?: RegistrationKind): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = undefined;
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
    return { ...this.cell };
  }

  /** Move to another cell (a handover): +CxREG URCs with the new location where <n> is 2 and registered. */
  setCell(cell: Partial<VirtualCell>): void {
    this.cell = { ...this.cell, ...cell };
    if (this.power !== "on") return;
    for (const kind of REG_KINDS) {
      const stat = this.reg[kind];
      if (this.settings.regUrc[kind] === 2 && (stat === 1 || stat === 5)) this.urc(`+${kind}: ${this.regDetail(kind, false)}`);
    }
  }

  /** Set the AT+CSQ values. */
  setSignal(rssi: number, ber = 99): void {
    this.rssi = rssi;
    this.ber = ber;
  }

  /** Add a fault; faults are tried in the order they were added. */
  injectFault(spec: FaultSpec): void {
    this.faults.push({ spec, left: spec.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
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
    if (!this.simInserted) return;
    this.simInserted = false;
    if (this.power === "on" && this.simRead) this.urc("+CPIN: NOT INSERTED");
    this.smsReady = false;
    this.setRegistered(0);
  }

  /** Put a SIM back: it is read at the next boot (no hot-plug). */
  insertSim(): void {
    this.simInserted = true;
  }

  /** From the next boot on, the SIM asks for `pin` (tries reset to 3). */
  requirePin(pin: string): void {
    this.simPin = pin;
    this.pinTriesLeft = PIN_TRIES;
  }

  /** Random junk bytes on the line now and then (and, optionally, inside responses). */
  startNoise(options: NoiseOptions = {}): void {
    this.noise = { ...options, token: ++this.noiseToken };
    this.scheduleNoise(this.noise.token);
  }

  stopNoise(): void {
    this.noise = undefined;
    this.noiseToken++;
  }

  /** Write arbitrary bytes to the firmware now (line noise, a stray boot banner...). */
  sendGarbage(bytes: Uint8Array | string): void {
    this.writeOut(typeof bytes === "string" ? bytes : latin1(bytes));
  }

  /** Write a URC now, framed "\r\n<text>\r\n", even in the middle of a response or a prompt. */
  emitUrc(text: string): void {
    this.writeOut(`\r\n${text}\r\n`);
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
    const parts = this.encodeIncoming(from, text, this.clock.nowMs);
    if (this.storage.free(memory) < parts.length) return undefined;
    let first: number | undefined;
    for (const part of parts) {
      const index = this.storePart(memory, part, from, this.clock.nowMs, 0, status);
      first ??= index;
    }
    return first;
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
    const bytes = fromHex(tpduHex);
    if (!bytes) throw new RangeError("deliverRaw: not hex");
    const decoded = decodeMobileTerminated(bytes);
    const memory = this.settings.cpms[2];
    const submittedAtMs = this.clock.nowMs;
    if (decoded?.type !== "status-report" && this.settings.cnmi[1] === 2) {
      this.directCmt(tpduHex.toUpperCase(), decoded?.type === "deliver" ? decoded.from : "", decoded?.type === "deliver" ? decoded.userData.text : "", submittedAtMs);
      return 0;
    }
    const index = this.storage.put(memory, {
      status: "REC UNREAD",
      from: decoded?.type === "deliver" ? decoded.from : decoded?.type === "status-report" ? decoded.recipient : "",
      text: decoded?.type === "deliver" && decoded.userData.alphabet !== "8bit" ? decoded.userData.text : "",
      submittedAtMs,
      dcs: decoded?.type === "deliver" ? decoded.dcs : 0,
      networkId: options.networkId ?? 0,
      tpdu: tpduHex.toUpperCase(),
      kind: decoded?.type === "status-report" ? "status-report" : "deliver",
    });
    if (index === undefined) return undefined;
    this.smsReceived++;
    if (decoded?.type === "status-report" && this.settings.cnmi[3] === 2) this.urc(`+CDSI: "${memory}",${index}`);
    else if (this.settings.cnmi[1] >= 1) this.urc(`+CMTI: "${memory}",${index}`);
    return index;
  }

  /** Traffic log as readable lines: "   12.345 s  fw→modem  AT+CMGF=1<CR>". Echo entries are left out unless asked for. */
  trafficLines(options: { echo?: boolean } = {}): string[] {
    const lines: string[] = [];
    for (const e of this.traffic) {
      if (e.kind === "echo" && !options.echo) continue;
      const time = (e.atMs / 1000).toFixed(3).padStart(10);
      const dir = e.direction === "to-modem" ? "fw→modem" : "modem→fw";
      const note = e.kind ? ` (${e.kind})` : "";
      lines.push(`${time} s  ${dir}${note}  ${showControls(e.text)}`);
    }
    return lines;
  }

  // ----- network side -------------------------------------------------------------------------

  /** @internal Called by the SmsNetwork. */
  deliver(sms: SmsRecord): DeliveryOutcome {
    if (this.power !== "on" || !this.smsReady || !this.simUsable() || !this.smsCapable()) return "absent";
    if (sms.tpdu !== undefined) {
      const index = this.deliverRaw(sms.tpdu, { networkId: sms.id });
      if (index === undefined) {
        this.smsRefusedFull++;
        return "memory-full";
      }
      return "delivered";
    }
    let parts = this.pendingParts.get(sms.id);
    if (!parts) {
      parts = this.encodeIncoming(sms.from, sms.text, sms.submittedAtMs, sms.delivery);
      if (sms.delivery?.partOrder === "reverse") parts = [...parts].reverse();
    }
    const memory = this.settings.cpms[2];
    while (parts.length > 0) {
      const part = parts[0]!;
      if (this.settings.cnmi[1] === 2) {
        this.directCmt(toHex(part.tpdu), sms.from, part.text, sms.submittedAtMs);
      } else {
        const index = this.storePart(memory, part, sms.from, sms.submittedAtMs, sms.id, "REC UNREAD");
        if (index === undefined) break;
        this.smsReceived++;
        if (this.settings.cnmi[1] >= 1) this.urc(`+CMTI: "${memory}",${index}`);
      }
      parts = parts.slice(1);
    }
    if (parts.length > 0) {
      this.pendingParts.set(sms.id, parts);
      this.smsRefusedFull++;
      return "memory-full";
    }
    this.pendingParts.delete(sms.id);
    return "delivered";
  }

  private encodeIncoming(from: string, text: string, submittedAtMs: number, delivery: SmsRecord["delivery"] = {}): DeliverPart[] {
    const refBits = delivery.refBits ?? 8;
    const parts = encodeDeliverParts(text, {
      from,
      sctsUtcMs: this.network.utcMs(submittedAtMs),
      zoneQuarterHours: this.network.timeZoneQuarterHours,
      ref: this.concatRef & (refBits === 16 ? 0xffff : 0xff),
      refBits,
      forceUcs2: delivery.forceUcs2,
      ...(delivery.senderToa !== undefined ? { fromToa: delivery.senderToa } : {}),
    });
    if (parts.length > 1) this.concatRef = (this.concatRef + 1 + (refBits === 16 ? 0x100 : 0)) & 0xffff;
    return parts;
  }

  private storePart(memory: string, part: DeliverPart, from: string, submittedAtMs: number, networkId: number, status: SmsStatus): number | undefined {
    return this.storage.put(memory, {
      status,
      from,
      text: part.text,
      submittedAtMs,
      dcs: part.dcs,
      networkId,
      tpdu: toHex(part.tpdu),
      kind: "deliver",
      ...(part.concat ? { part: { ref: part.concat.ref, total: part.concat.total, seq: part.concat.seq } } : {}),
    });
  }

  /** CNMI mt=2: route straight to the TE, not stored. */
  private directCmt(tpduHex: string, from: string, text: string, submittedAtMs: number): void {
    this.smsReceived++;
    if (this.settings.cmgf === 0) {
      this.urc(`+CMT: ,${tpduHex.length / 2}\r\n${toHex(encodeSmsc(this.network.smscNumber))}${tpduHex}`);
      return;
    }
    const entry: StoredSms = { index: 0, status: "REC UNREAD", from, text, submittedAtMs, dcs: 0, networkId: 0, memory: "", tpdu: tpduHex, kind: "deliver" };
    const shown = textEntry(entry, this.formatContext(), false);
    const header = shown.header.replace(/^"REC UNREAD",/, "");
    this.urc(`+CMT: ${header}\r\n${shown.data ?? ""}`);
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
    this.simLock = this.simPin !== undefined ? (this.pinTriesLeft > 0 ? "pin" : this.pukTriesLeft > 0 ? "puk" : "blocked") : "none";
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
        this.uartOnAtMs = this.clock.nowMs;
        this.reg = { CREG: 2, CGREG: 2, CEREG: 2 };
        this.cfun = 1;
        if (!line.fixedBaudOnly || this.fixedBaud) this.writeOut(this.frame(line.text));
        this.scheduleRegistration();
        return;
      }
      case "sim":
        this.simRead = true;
        if (!this.simInserted) {
          this.urc("+CPIN: NOT INSERTED");
          this.applyRegistration(0);
          return;
        }
        if (this.simLock !== "none") {
          this.urc(this.simLock === "pin" ? "+CPIN: SIM PIN" : this.simLock === "puk" ? "+CPIN: SIM PUK" : "+CPIN: NOT READY");
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
    this.simRead = false;
    this.smsReady = false;
    this.clockSynced = false;
    this.clockOffsetMs = 0;
    this.clockZone = undefined;
    this.settings = this.defaultSettings();
    this.reg = { CREG: 0, CGREG: 0, CEREG: 0 };
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = undefined;
    this.input = [];
    this.inputHead = 0;
    this.line = [];
    this.lineOverflow = false;
    this.busy = false;
    this.prompt = undefined;
    this.heldUrcs = [];
    this.echoOut = [];
    this.garbageNextResponse = false;
  }

  private simUsable(): boolean {
    return this.simInserted && this.simRead && this.simLock === "none";
  }

  private scheduleRegistration(): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = this.schedule(this.registrationDelayMs, () => {
      this.registrationTimer = undefined;
      if (!this.simInserted) return this.applyRegistration(0);
      if (this.simLock !== "none") return; // searching until the SIM is unlocked
      this.applyRegistration(this.registeredStat);
    });
  }

  private applyRegistration(stat: number, only?: RegistrationKind): void {
    for (const kind of REG_KINDS) {
      if (only && kind !== only) continue;
      const rule = this.profile.registration[kind];
      const value = only || rule === "stat" || !SMS_CAPABLE_STATS.has(stat) ? stat : rule;
      if (this.reg[kind] === value) continue;
      this.reg[kind] = value;
      if (this.power === "on" && this.settings.regUrc[kind] > 0) this.urc(`+${kind}: ${this.regDetail(kind, false)}`);
    }
    if (this.smsCapable() && !this.clockSynced) {
      // Network time (NITZ) arrives with the registration.
      this.clockSynced = true;
      this.clockOffsetMs = 0;
      this.clockZone = undefined;
    }
    this.maybeReady();
  }

  private smsCapable(): boolean {
    return SMS_CAPABLE_STATS.has(this.reg.CREG) || SMS_CAPABLE_STATS.has(this.reg.CGREG) || SMS_CAPABLE_STATS.has(this.reg.CEREG);
  }

  /** Tell the network it may retry waiting messages. */
  private maybeReady(): void {
    if (this.power === "on" && this.smsReady && this.simUsable() && this.smsCapable()) this.network.subscriberReady(this.number);
  }

  /** Schedule `action` unless the modem reboots or powers off first. */
  private schedule(delayMs: number, action: () => void): EventHandle {
    const epoch = this.epoch;
    return this.clock.after(delayMs, () => {
      if (this.epoch === epoch) action();
    });
  }

  private responseDelayMs(): number {
    return this.random.int(this.timing.responseMinMs, this.timing.responseMaxMs);
  }

  // ----- noise --------------------------------------------------------------------------------

  private junk(count: number): string {
    let s = "";
    const lineBreaks = this.noise?.lineBreaks ?? false;
    while (s.length < count) {
      const b = this.noiseRandom.int(0, 255);
      if (!lineBreaks && (b === CR || b === LF)) continue;
      s += String.fromCharCode(b);
    }
    this.noiseBytes += count;
    return s;
  }

  private scheduleNoise(token: number): void {
    const n = this.noise;
    if (!n || n.token !== token) return;
    const [min, max] = n.intervalMs ?? [2000, 10_000];
    this.clock.after(this.noiseRandom.int(min, max), () => {
      if (!this.noise || this.noise.token !== token) return;
      const text = this.junk(this.noiseRandom.int(1, n.maxBytes ?? 4));
      this.logTraffic("from-modem", bytesOf(text), "noise");
      this.tx?.write(bytesOf(text));
      this.scheduleNoise(token);
    });
  }

  /** Maybe put junk in the middle of a response (garbage fault, or noise with insideResponses). */
  private spoil(out: string): string {
    const p = this.noise?.insideResponses ?? 0;
    const forced = this.garbageNextResponse;
    this.garbageNextResponse = false;
    if (out.length < 2 || (!forced && !(p > 0 && this.noiseRandom.next() < p))) return out;
    const at = this.noiseRandom.int(1, out.length - 1);
    return out.slice(0, at) + this.junk(this.noiseRandom.int(1, this.noise?.maxBytes ?? 4)) + out.slice(at);
  }

  // ----- output -------------------------------------------------------------------------------

  private writeOut(binary: string): void {
    this.flushEcho();
    if (binary.length === 0) return;
    const bytes = bytesOf(binary);
    this.logTraffic("from-modem", bytes);
    this.tx?.write(bytes);
  }

  private flushEcho(): void {
    if (this.echoOut.length === 0) return;
    const bytes = Uint8Array.from(this.echoOut);
    this.echoOut = [];
    this.logTraffic("from-modem", bytes, "echo");
    this.tx?.write(bytes);
  }

  /** "\r\n<text>\r\n", or "\r\r\n<text>\r\r\n" for the profile's CR CR LF URCs. */
  private frame(text: string): string {
    return this.profile.crCrLfUrcs.some((p) => text.startsWith(p)) ? `\r\r\n${text}\r\r\n` : `\r\n${text}\r\n`;
  }

  /** A URC: held while a command executes or the prompt is open, written at once otherwise. */
  private urc(text: string): void {
    if (this.power !== "on") return;
    if (this.busy || this.prompt) this.heldUrcs.push(text);
    else this.writeOut(this.frame(text));
  }

  private flushUrcs(): void {
    const held = this.heldUrcs;
    this.heldUrcs = [];
    for (const text of held) this.writeOut(this.frame(text));
  }

  private logTraffic(direction: TrafficEntry["direction"], bytes: Uint8Array, kind?: TrafficEntry["kind"]): void {
    const now = this.clock.nowMs;
    // Responses, URCs and noise are written in logical units: one entry each.
    if (direction === "from-modem" && kind !== "echo") {
      this.traffic.push(kind ? { atMs: now, direction, text: latin1(bytes), kind } : { atMs: now, direction, text: latin1(bytes) });
      return;
    }
    // Input and echo: merge per line (an entry closes at CR, Ctrl-Z or ESC; the LF of CR LF joins it).
    for (const b of bytes) {
      const last = this.traffic.at(-1);
      const same = last !== undefined && last.direction === direction && last.kind === kind;
      const lastByte = same ? last.text.charCodeAt(last.text.length - 1) : -1;
      const closed = lastByte === CR || lastByte === SUB || lastByte === ESC || lastByte === LF;
      if (same && (!closed || (b === LF && lastByte === CR))) last.text += String.fromCharCode(b);
      else this.traffic.push(kind ? { atMs: now, direction, text: String.fromCharCode(b), kind } : { atMs: now, direction, text: String.fromCharCode(b) });
    }
  }

  // ----- input --------------------------------------------------------------------------------

  private pump(): void {
    while (!this.busy && this.inputHead < this.input.length && this.power === "on") {
      const b = this.input[this.inputHead++]!;
      if (this.prompt) this.promptByte(b);
      else this.lineByte(b);
    }
    if (this.inputHead >= this.input.length) {
      this.input = [];
      this.inputHead = 0;
    }
    this.flushEcho();
  }

  private lineByte(b: number): void {
    if (this.settings.echo) this.echoOut.push(b);
    if (b === CR) {
      const line = this.line;
      const overflow = this.lineOverflow;
      this.line = [];
      this.lineOverflow = false;
      this.flushEcho();
      this.handleLine(latin1(line), overflow);
    } else if (b === LF) {
      // CR LF: the LF is ignored; a lone LF is not a terminator.
    } else if (b === BS) {
      this.line.pop();
    } else if (this.line.length < MAX_LINE) {
      this.line.push(b);
    } else this.lineOverflow = true;
  }

  private handleLine(raw: string, overflow: boolean): void {
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
    const fault = this.takeFault(line, "command");
    if (fault === "garbage") {
      this.garbageNextResponse = true;
      return this.respond(this.execute(line), line);
    }
    if (fault) return this.respondFault(fault);
    this.respond(this.execute(line), line);
  }

  private takeFault(line: string, stage: NonNullable<FaultSpec["stage"]>): FaultReply | undefined {
    for (const fault of this.faults) {
      if (fault.left <= 0 || (fault.spec.stage ?? "command") !== stage) continue;
      const { match } = fault.spec;
      const hit = typeof match === "string" ? line.toUpperCase().startsWith(match.toUpperCase()) : match.test(line);
      if (!hit) continue;
      fault.left--;
      this.faults = this.faults.filter((f) => f.left > 0);
      return fault.spec.reply;
    }
    return undefined;
  }

  private faultError(reply: FaultReply): ErrorReply {
    if (reply.startsWith("cms:")) return cms(Number(reply.slice(4)));
    if (reply.startsWith("cme:")) return cme(Number(reply.slice(4)));
    return PLAIN_ERROR;
  }

  private respondFault(reply: FaultReply): void {
    if (reply === "timeout") return; // swallowed: no answer at all; the next command works
    if (reply === "reboot") {
      this.busy = true;
      this.schedule(this.responseDelayMs(), () => this.reboot());
      return;
    }
    this.respond({ error: this.faultError(reply) });
  }

  /** Write a command's outcome after the response delay, then take the next input. */
  private respond(result: SubResult, line = ""): void {
    this.busy = true;
    this.schedule(this.responseDelayMs(), () => {
      let out = "";
      for (const block of result.blocks ?? []) out += `\r\n${block}\r\n`;
      if (result.prompt) {
        this.writeOut(this.spoil(out));
        this.openPrompt();
        return;
      }
      if (!result.noFinal) out += `\r\n${result.error ? formatError(result.error, this.settings.cmee) : "OK"}\r\n`;
      this.writeOut(this.spoil(out));
      this.finish();
      result.after?.();
    });
    if (result.prompt) {
      this.prompt = { ...result.prompt, line, text: [], afterCr: false, pdu: result.prompt.length !== undefined };
    }
  }

  private openPrompt(): void {
    this.writeOut("\r\n> ");
    this.busy = false;
    this.pump();
  }

  /** End of an exchange: held URCs go out, buffered input is taken. */
  private finish(): void {
    this.busy = false;
    this.flushUrcs();
    this.pump();
  }

  // ----- CMGS / CMGW prompt -------------------------------------------------------------------

  private promptByte(b: number): void {
    const prompt = this.prompt!;
    if (b === SUB) {
      this.flushEcho();
      this.prompt = undefined;
      this.busy = true;
      if (prompt.purpose === "write") this.write(prompt);
      else this.submit(prompt);
      return;
    }
    if (b === ESC) {
      this.flushEcho();
      this.prompt = undefined;
      this.respond({});
      return;
    }
    if (prompt.pdu) {
      if (b === CR || b === LF || b === 0x20) return;
      if (this.settings.echo) this.echoOut.push(b);
      if (prompt.text.length < MAX_SMS_TEXT_BYTES) prompt.text.push(b);
      return;
    }
    if (b === CR) {
      if (prompt.text.length < MAX_SMS_TEXT_BYTES) prompt.text.push(LINE_BREAK);
      prompt.afterCr = true;
      this.writeOut("\r\n> ");
      return;
    }
    const swallow = b === LF && prompt.afterCr;
    prompt.afterCr = false;
    if (swallow) return;
    if (this.settings.echo) this.echoOut.push(b);
    if (prompt.text.length < MAX_SMS_TEXT_BYTES) prompt.text.push(b);
  }

  /** Decode the typed text per CSCS; undefined when malformed (bad UCS2 hex). */
  private decodeTyped(text: number[]): string | undefined {
    const segments: number[][] = [[]];
    for (const b of text) {
      if (b === LINE_BREAK) segments.push([]);
      else segments.at(-1)!.push(b);
    }
    const decoded: string[] = [];
    for (const seg of segments) {
      const s = this.decodeString(latin1(seg));
      if (s === undefined) return undefined;
      decoded.push(s);
    }
    return decoded.join("\n");
  }

  /** The prompt's content as outgoing parts, or an error. */
  private outgoing(prompt: Prompt): OutgoingPart | ErrorReply {
    if (prompt.pdu) {
      const bytes = fromHex(latin1(prompt.text));
      if (!bytes || bytes.length < 1) return cms(304);
      const smscLength = bytes[0]!;
      const tpdu = bytes.subarray(1 + smscLength);
      if (1 + smscLength > bytes.length || tpdu.length !== prompt.length) return cms(304);
      const submit = decodeSubmit(tpdu);
      if (!submit) return cms(304);
      const c = submit.userData.concat;
      return { to: submit.to, text: submit.userData.text, dcs: submit.dcs, ...(c ? { concat: { ref: c.ref, refBits: c.refBits, total: c.total, seq: c.seq } } : {}) };
    }
    let text = this.decodeTyped(prompt.text);
    if (text === undefined) return cms(305);
    const ucs2 = this.settings.csmp[3] === 8;
    if (!ucs2) text = decodeGsm(encodeGsm(text)); // the 7-bit alphabet is all that travels
    const tooLong = ucs2 ? text.length > 70 : gsmSeptetCount(text) > 160;
    if (tooLong) return this.profile.errors.textTooLong;
    return { to: prompt.da ?? "", text, dcs: ucs2 ? 8 : 0 };
  }

  private submit(prompt: Prompt): void {
    const fault = this.takeFault(prompt.line, "submit");
    if (fault === "timeout") return this.finish();
    if (fault === "reboot") return void this.schedule(this.responseDelayMs(), () => this.reboot());
    if (fault && fault !== "slow" && fault !== "garbage") return this.respond({ error: this.faultError(fault) });
    if (fault === "garbage") this.garbageNextResponse = true;
    const part = this.outgoing(prompt);
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
      const lost = this.takeFault(prompt.line, "result");
      if (lost) {
        submission.confirmed = false;
        if (record) record.unconfirmed = true;
        if (lost === "timeout") return this.finish();
        if (lost === "reboot") return this.reboot();
        this.writeOut(`\r\n${formatError(this.faultError(lost), this.settings.cmee)}\r\n`);
        return this.finish();
      }
      const mr = this.messageRef;
      this.messageRef = (this.messageRef + 1) & 0xff;
      submission.mr = mr;
      this.writeOut(this.spoil(`\r\n+CMGS: ${mr}\r\n\r\nOK\r\n`));
      this.finish();
    });
  }

  /** AT+CMGW: store for sending in the write storage (CPMS mem2). */
  private write(prompt: Prompt): void {
    const part = this.outgoing(prompt);
    if ("kind" in part) return this.respond({ error: part });
    const memory = this.settings.cpms[1];
    const index = this.storage.put(memory, {
      status: prompt.status ?? "STO UNSENT",
      from: part.to,
      text: part.text,
      submittedAtMs: this.clock.nowMs,
      dcs: part.dcs,
      networkId: 0,
      tpdu: prompt.pdu ? toHex(fromHex(latin1(prompt.text))!.subarray(1 + fromHex(latin1(prompt.text))![0]!)) : "",
      kind: "submit",
    });
    if (index === undefined) return this.respond({ error: this.profile.errors.memoryFull });
    this.respond({ blocks: [`+CMGW: ${index}`] });
  }

  // ----- charset helpers ----------------------------------------------------------------------

  /** Unicode → the TE character set (a latin1 string of bytes). */
  private encodeString(text: string): string {
    switch (this.settings.cscs) {
      case "GSM":
        return latin1(encodeGsm(text));
      case "UCS2":
        return encodeUcs2Hex(text);
      default:
        return latin1(encodeIra(text));
    }
  }

  /** TE character set (latin1 string of bytes) → Unicode; undefined when malformed. */
  private decodeString(binary: string): string | undefined {
    switch (this.settings.cscs) {
      case "GSM":
        return decodeGsm(bytesOf(binary));
      case "UCS2":
        return decodeUcs2Hex(binary);
      default:
        return decodeIra(bytesOf(binary));
    }
  }

  private formatContext() {
    return { csdh: this.settings.csdh, smscNumber: this.network.smscNumber, encodeString: (t: string) => this.encodeString(t) };
  }

  // ----- command execution --------------------------------------------------------------------

  private execute(line: string): SubResult {
    const parts = splitCommands(line.slice(2));
    const blocks: string[] = [];
    const afters: Array<() => void> = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const result = part.startsWith("+") || part.startsWith("*") || part.startsWith("$") ? this.extended(part) : this.basic(part);
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

  /** Basic commands: "", E0, E1, I, Z, &F, &W, V1, Q0 (several may follow each other: "E0V1"). */
  private basic(text: string): SubResult {
    const blocks: string[] = [];
    let rest = text.toUpperCase();
    while (rest.length > 0) {
      const m = /^(&?[A-Z])(\d*)/.exec(rest);
      if (!m) return { error: PLAIN_ERROR };
      const [whole, name, digits] = m as unknown as [string, string, string];
      rest = rest.slice(whole.length);
      const n = digits === "" ? 0 : Number(digits);
      switch (name) {
        case "E":
          if (n > 1) return { error: PLAIN_ERROR };
          this.settings.echo = n === 1;
          break;
        case "I":
          blocks.push(fillIdentity(this.profile.atiTemplate, this.identity()));
          break;
        case "Z":
        case "&F":
          this.settings = { ...this.defaultSettings(), echo: this.settings.echo };
          break;
        case "&W":
          break;
        case "V":
          if (n !== 1) return { error: PLAIN_ERROR }; // numeric result codes are not modelled
          break;
        case "Q":
          if (n !== 0) return { error: PLAIN_ERROR };
          break;
        default:
          return { error: PLAIN_ERROR }; // includes D (calls are not modelled)
      }
    }
    return { blocks };
  }

  private identity() {
    return { manufacturer: this.profile.manufacturer, model: this.model, revision: this.revision, imei: this.imei };
  }

  /** The error an SMS command gets now, or undefined when SMS works. */
  private smsGate(): ErrorReply | undefined {
    if (this.simRead && !this.simInserted) return cms(310);
    if (this.simRead && this.simLock === "pin") return cms(311);
    if (this.simRead && this.simLock !== "none") return cms(316);
    if (!this.smsReady) return this.profile.errors.smsNotReady;
    return undefined;
  }

  /** The error a SIM command gets now, or undefined when the SIM is readable. */
  private simGate(): ErrorReply | undefined {
    if (!this.simRead) return cme(14);
    if (!this.simInserted) return cme(10);
    if (this.simLock === "pin") return cme(11);
    if (this.simLock === "puk") return cme(12);
    if (this.simLock === "blocked") return cme(13);
    return undefined;
  }

  private extended(text: string): SubResult {
    const m = /^([+*$][A-Za-z0-9]+)(=\?|\?|=(.*))?$/s.exec(text);
    if (!m) return { error: PLAIN_ERROR };
    const name = m[1]!.slice(1).toUpperCase();
    const form: "exec" | "read" | "test" | "set" = m[2] === undefined ? "exec" : m[2] === "?" ? "read" : m[2] === "=?" ? "test" : "set";
    const args = form === "set" ? parseArgs(m[3] ?? "") : [];
    if (SMS_COMMANDS.has(name)) {
      const gate = this.smsGate();
      if (gate) return { error: gate };
    }
    const quectel = this.profile.manufacturer === "Quectel";
    const simcom = !quectel;
    switch (name) {
      case "CGMI":
      case "GMI":
        return form === "exec" ? { blocks: [this.profile.manufacturer] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CGMM":
      case "GMM":
        return form === "exec" ? { blocks: [this.model] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CGMR":
      case "GMR":
        return form === "exec" ? { blocks: [fillIdentity(this.profile.cgmrTemplate, this.identity())] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CGSN":
      case "GSN":
        return form === "exec" ? { blocks: [this.imei] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CIMI": {
        const gate = this.simGate();
        if (gate) return { error: gate };
        return form === "exec" ? { blocks: ["310260000000017"] } : { error: PLAIN_ERROR };
      }
      case "CICCID":
      case "CCID":
      case "QCCID": {
        const gate = this.simGate();
        if (gate) return { error: gate };
        if (form !== "exec") return { error: PLAIN_ERROR };
        return { blocks: [name === "CCID" ? "89012600000000000170" : `+${name === "QCCID" ? "QCCID" : "ICCID"}: 89012600000000000170`] };
      }
      case "CMEE":
        return this.cmdCmee(form, args);
      case "CPIN":
        return this.cmdCpin(form, args);
      case "SPIC":
        if (!simcom || form !== "exec") return { error: PLAIN_ERROR };
        return { blocks: [`+SPIC: ${this.pinTriesLeft},${this.pukTriesLeft},3,10`] };
      case "QPINC":
        if (!quectel) return { error: PLAIN_ERROR };
        return form === "read" || form === "set" ? { blocks: [`+QPINC: "SC",${this.pinTriesLeft},${this.pukTriesLeft}`] } : {};
      case "CREG":
      case "CGREG":
      case "CEREG":
        return this.cmdReg(name, form, args);
      case "CSQ":
        if (form === "exec") return { blocks: [`+CSQ: ${this.rssi},${this.ber}`] };
        return form === "test" ? { blocks: ["+CSQ: (0-31,99),(0-7,99)"] } : { error: PLAIN_ERROR };
      case "COPS":
      case "CPSI":
      case "QENG":
        return cellCommand(name, form, args, {
          profile: this.profile,
          cell: this.cell,
          registered: this.smsCapable(),
          copsFormat: this.settings.copsFormat,
          setCopsFormat: (format) => (this.settings.copsFormat = format),
        })!;
      case "CFUN":
        return this.cmdCfun(form, args);
      case "CRESET":
        if (!simcom || form !== "exec") return { error: PLAIN_ERROR };
        return { after: () => this.schedule(this.timing.resetAfterOkMs, () => this.reboot()) };
      case "CPOF":
        if (this.profile.powerOffCommand !== "CPOF" || form !== "exec") return { error: PLAIN_ERROR };
        return { after: () => this.schedule(this.timing.resetAfterOkMs, () => this.powerOff()) };
      case "CPOWD": {
        if (this.profile.powerOffCommand !== "CPOWD" || form !== "set") return { error: PLAIN_ERROR };
        const urgent = intArg(args[0]) === 0;
        // SIM800: "NORMAL POWER DOWN" instead of OK; urgent (0) says nothing.
        return { noFinal: true, after: () => (urgent ? this.powerOff() : this.powerDown(false)) };
      }
      case "QPOWD":
        if (this.profile.powerOffCommand !== "QPOWD") return { error: PLAIN_ERROR };
        if (form === "set" && intArg(args[0]) === 0) return { after: () => this.powerOff() };
        return form === "exec" || form === "set" ? { after: () => this.powerDown(false) } : {};
      case "IPR":
        if (form === "read") return { blocks: [`+IPR: ${this.fixedBaud || this.profile.name !== "sim800" ? this.baud : 0}`] };
        return form === "exec" ? { error: PLAIN_ERROR } : {};
      case "CCLK":
        return this.cmdCclk(form, args);
      case "CMGF":
        return this.cmdFlag(form, args, "CMGF", 1, () => this.settings.cmgf, (v) => (this.settings.cmgf = v as 0 | 1));
      case "CSDH":
        return this.cmdFlag(form, args, "CSDH", 1, () => this.settings.csdh, (v) => (this.settings.csdh = v as 0 | 1));
      case "CSCS":
        return this.cmdCscs(form, args);
      case "CNMI":
        return this.cmdCnmi(form, args);
      case "CPMS":
        return this.cmdCpms(form, args);
      case "CSMP":
        return this.cmdCsmp(form, args);
      case "CSCA":
        if (form === "read") return { blocks: [`+CSCA: "${this.encodeString(this.network.smscNumber)}",145`] };
        return form === "exec" ? { error: PLAIN_ERROR } : {};
      case "CSMS":
        if (form === "read") return { blocks: ["+CSMS: 0,1,1,1"] };
        if (form === "test") return { blocks: ["+CSMS: (0,1)"] };
        if (form === "set" && intArg(args[0]) === 0) return { blocks: ["+CSMS: 1,1,1"] };
        return { error: cms(303) };
      case "CMGR":
        return this.cmdCmgr(form, args);
      case "CMGD":
        return this.cmdCmgd(form, args);
      case "CMGL":
        return this.cmdCmgl(form, args);
      case "CMGS":
        return this.cmdCmgs(form, args, "send");
      case "CMGW":
        return this.cmdCmgs(form, args, "write");
      default:
        return { error: PLAIN_ERROR };
    }
  }

  private cmdCmee(form: string, args: Arg[]): SubResult {
    if (form === "read") return { blocks: [`+CMEE: ${this.settings.cmee}`] };
    if (form === "test") return { blocks: ["+CMEE: (0-2)"] };
    const v = form === "exec" ? 0 : intArg(args[0]);
    if (v === undefined || v > 2 || args.length > 1) return { error: PLAIN_ERROR };
    this.settings.cmee = v as 0 | 1 | 2;
    return {};
  }

  private cmdCpin(form: string, args: Arg[]): SubResult {
    if (form === "test") return {};
    if (!this.simRead) return { error: cme(14) };
    if (!this.simInserted) return { error: cme(10) };
    if (form === "read") {
      const state = { none: "READY", pin: "SIM PIN", puk: "SIM PUK", blocked: "SIM PUK" }[this.simLock];
      if (this.simLock === "blocked") return { error: cme(13) };
      return { blocks: [`+CPIN: ${state}`] };
    }
    if (form !== "set") return { error: PLAIN_ERROR };
    const given = args[0]?.value ?? "";
    switch (this.simLock) {
      case "none":
        return { error: cme(3) }; // no PIN is asked for
      case "blocked":
        return { error: cme(13) };
      case "pin":
        if (given === this.simPin) {
          this.pinTriesLeft = PIN_TRIES;
          return { after: () => this.unlockSim() };
        }
        if (--this.pinTriesLeft <= 0) {
          this.simLock = "puk";
          return { error: cme(16), after: undefined };
        }
        return { error: cme(16) };
      case "puk": {
        const newPin = args[1]?.value;
        if (given === this.simPuk && newPin) {
          this.simPin = newPin;
          this.pinTriesLeft = PIN_TRIES;
          this.pukTriesLeft = PUK_TRIES;
          return { after: () => this.unlockSim() };
        }
        if (--this.pukTriesLeft <= 0) this.simLock = "blocked";
        return { error: cme(16) };
      }
    }
  }

  private unlockSim(): void {
    this.simLock = "none";
    this.urc("+CPIN: READY");
    this.runAfterSimLines();
    this.scheduleRegistration();
  }

  private regDetail(kind: RegistrationKind, read: boolean): string {
    const n = this.settings.regUrc[kind];
    const stat = this.reg[kind];
    let s = read ? `${n},${stat}` : `${stat}`;
    if (n === 2 && (stat === 1 || stat === 5)) s += registrationLocation(this.cell, this.profile, kind !== "CREG");
    return s;
  }

  private cmdReg(kind: RegistrationKind, form: string, args: Arg[]): SubResult {
    if (form === "read") return { blocks: [`+${kind}: ${this.regDetail(kind, true)}`] };
    if (form === "test") return { blocks: [`+${kind}: (0-2)`] };
    const v = form === "exec" ? 0 : intArg(args[0]);
    if (v === undefined || v > 2) return { error: cme(3) };
    this.settings.regUrc[kind] = v;
    return {};
  }

  private cmdCfun(form: string, args: Arg[]): SubResult {
    if (form === "read") return { blocks: [`+CFUN: ${this.cfun}`] };
    if (form === "test") return { blocks: ["+CFUN: (0,1,4),(0,1)"] };
    if (form !== "set") return { error: PLAIN_ERROR };
    const fun = intArg(args[0]);
    const rst = args[1] === undefined ? 0 : intArg(args[1]);
    if (fun === undefined || ![0, 1, 4].includes(fun) || rst === undefined || rst > 1) return { error: cme(3) };
    if (rst === 1) {
      if (fun !== 1) return { error: cme(3) };
      return { after: () => this.schedule(this.timing.resetAfterOkMs, () => this.reboot()) };
    }
    if (fun === this.cfun) return {};
    this.cfun = fun;
    if (fun === 1) this.scheduleRegistration();
    else {
      this.clock.cancel(this.registrationTimer);
      this.registrationTimer = undefined;
      this.applyRegistration(0);
    }
    return {};
  }

  /** The modem's clock base: network time once registered (NITZ), otherwise the profile's epoch + uptime. */
  private clockBaseUtcMs(): number {
    return this.clockSynced ? this.network.utcMs() : this.profile.unsyncedClockUtcMs + (this.clock.nowMs - this.uartOnAtMs);
  }

  private cmdCclk(form: string, args: Arg[]): SubResult {
    const zone = this.clockZone ?? (this.clockSynced ? this.network.timeZoneQuarterHours : 0);
    if (form === "read") return { blocks: [`+CCLK: "${formatAtTimestamp(this.clockBaseUtcMs() + this.clockOffsetMs, zone)}"`] };
    if (form === "test") return {};
    if (form !== "set" || !args[0]?.quoted) return { error: cme(3) };
    const parsed = parseAtTimestamp(args[0].value);
    if (!parsed) return { error: cme(3) };
    this.clockOffsetMs = parsed.utcMs - this.clockBaseUtcMs();
    this.clockZone = parsed.zone;
    return {};
  }

  private cmdFlag(form: string, args: Arg[], name: string, max: number, get: () => number, set: (v: number) => void): SubResult {
    if (form === "read") return { blocks: [`+${name}: ${get()}`] };
    if (form === "test") return { blocks: [`+${name}: (0-${max})`] };
    const v = form === "exec" ? 0 : intArg(args[0]);
    if (v === undefined || v > max || args.length > 1) return { error: PLAIN_ERROR };
    set(v);
    return {};
  }

  private cmdCscs(form: string, args: Arg[]): SubResult {
    if (form === "read") return { blocks: [`+CSCS: "${this.settings.cscs}"`] };
    if (form === "test") return { blocks: ['+CSCS: ("IRA","GSM","UCS2")'] };
    if (form !== "set") return { error: PLAIN_ERROR };
    const v = args[0]?.value.toUpperCase();
    if (v !== "GSM" && v !== "IRA" && v !== "UCS2") return { error: PLAIN_ERROR };
    this.settings.cscs = v;
    return {};
  }

  private cmdCnmi(form: string, args: Arg[]): SubResult {
    if (form === "read") return { blocks: [`+CNMI: ${this.settings.cnmi.join(",")}`] };
    if (form === "test") return { blocks: ["+CNMI: (0-2),(0-2),(0,2),(0-2),(0,1)"] };
    if (form !== "set" || args.length > 5) return { error: cms(302) };
    const next = [...this.settings.cnmi] as ModemSettings["cnmi"];
    const max = [2, 3, 3, 2, 1];
    for (let i = 0; i < args.length; i++) {
      if (args[i]!.value === "" && !args[i]!.quoted) continue;
      const v = intArg(args[i]);
      if (v === undefined || v > max[i]!) return { error: cms(302) };
      next[i] = v;
    }
    if (next[1] > 2) return { error: cms(303) }; // class-3-only routing is not modelled
    this.settings.cnmi = next;
    return {};
  }

  private cmdCpms(form: string, args: Arg[]): SubResult {
    const st = this.storage;
    const [m1, m2, m3] = this.settings.cpms;
    const ut = (m: string): string => `${st.used(m)},${st.size(m)}`;
    if (form === "read") return { blocks: [`+CPMS: "${m1}",${ut(m1)},"${m2}",${ut(m2)},"${m3}",${ut(m3)}`] };
    const list = `(${st.names().map((n) => `"${n}"`).join(",")})`;
    if (form === "test") return { blocks: [`+CPMS: ${list},${list},${list}`] };
    if (form !== "set" || args.length > 3 || args.length === 0) return { error: cms(302) };
    const next = [...this.settings.cpms] as ModemSettings["cpms"];
    for (let i = 0; i < args.length; i++) {
      const name = (this.decodeString(args[i]!.value) ?? args[i]!.value).toUpperCase();
      if (!st.has(name)) return { error: cms(303) };
      next[i] = name;
    }
    this.settings.cpms = next;
    return { blocks: [`+CPMS: ${ut(next[0])},${ut(next[1])},${ut(next[2])}`] };
  }

  private cmdCsmp(form: string, args: Arg[]): SubResult {
    if (form === "read") return { blocks: [`+CSMP: ${this.settings.csmp.join(",")}`] };
    if (form === "test") return {};
    if (form !== "set" || args.length > 4) return { error: cms(302) };
    const next = [...this.settings.csmp] as ModemSettings["csmp"];
    for (let i = 0; i < args.length; i++) {
      if (args[i]!.value === "") continue;
      const v = intArg(args[i]);
      if (v === undefined || v > 255) return { error: cms(302) };
      next[i] = v;
    }
    if (next[3] !== 0 && next[3] !== 8) return { error: cms(303) };
    this.settings.csmp = next;
    return {};
  }

  /** Parse an index argument; an error when it is missing or outside the read storage. */
  private indexArg(arg: Arg | undefined): number | ErrorReply {
    const i = intArg(arg);
    if (i === undefined) return cms(302);
    if (i < 1 || i > this.storage.size(this.settings.cpms[0])) return cms(321);
    return i;
  }

  private cmdCmgr(form: string, args: Arg[]): SubResult {
    if (form === "test") return {};
    if (form !== "set") return { error: cms(302) };
    const index = this.indexArg(args[0]);
    if (typeof index !== "number") return { error: index };
    const mode = args[1] === undefined ? 0 : intArg(args[1]);
    if (mode === undefined || mode > 1) return { error: cms(302) };
    const sms = this.storage.get(this.settings.cpms[0], index);
    if (!sms) return {}; // empty slot: bare OK (SIMCom)
    const status = sms.status;
    if (mode === 0 && status === "REC UNREAD") sms.status = "REC READ";
    if (this.settings.cmgf === 0) return { blocks: [`+CMGR: ${pduHeader(sms, status)}\r\n${pduOf(sms, this.network.smscNumber)}`] };
    const shown = textEntry(sms, this.formatContext(), false, status);
    return { blocks: [shown.data === undefined ? `+CMGR: ${shown.header}` : `+CMGR: ${shown.header}\r\n${shown.data}`] };
  }

  private cmdCmgd(form: string, args: Arg[]): SubResult {
    const memory = this.settings.cpms[0];
    if (form === "test") return { blocks: [`+CMGD: (1-${this.storage.size(memory)}),(0-4)`] };
    if (form !== "set") return { error: cms(302) };
    const flag = args[1] === undefined || args[1].value === "" ? 0 : intArg(args[1]);
    if (flag === undefined || flag > 4) return { error: cms(302) };
    const before = this.storage.used(memory);
    if (flag === 0) {
      const index = this.indexArg(args[0]);
      if (typeof index !== "number") return { error: index };
      this.storage.delete(memory, index);
    } else {
      // 1: all read; 2: read + sent; 3: read + sent + unsent; 4: all.
      const gone: Record<number, SmsStatus[]> = { 1: ["REC READ"], 2: ["REC READ", "STO SENT"], 3: ["REC READ", "STO SENT", "STO UNSENT"] };
      for (const s of this.storage.list(memory)) if (flag === 4 || gone[flag]!.includes(s.status)) this.storage.delete(memory, s.index);
    }
    if (this.storage.used(memory) < before) this.network.subscriberReady(this.number);
    return {};
  }

  private cmdCmgl(form: string, args: Arg[]): SubResult {
    const pdu = this.settings.cmgf === 0;
    if (form === "test") return { blocks: [pdu ? "+CMGL: (0-4)" : '+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")'] };
    let wanted: SmsStatus | "ALL" = "REC UNREAD";
    if (form === "set") {
      const arg = args[0];
      if (!arg || args.length > 2) return { error: cms(302) };
      if (pdu) {
        const n = intArg(arg);
        if (n === undefined || n > 4) return { error: cms(302) };
        wanted = n === 4 ? "ALL" : STATUS_BY_NUMBER[n]!;
      } else {
        if (!arg.quoted) return { error: cms(302) };
        const v = arg.value.toUpperCase();
        if (v !== "ALL" && !(v in STATUS_NUMBER)) return { error: cms(302) };
        wanted = v as SmsStatus | "ALL";
      }
    } else if (form !== "exec") return { error: cms(302) };
    const mode = args[1] === undefined ? 0 : intArg(args[1]);
    if (mode === undefined || mode > 1) return { error: cms(302) };
    const entries: string[] = [];
    for (const sms of this.storage.list(this.settings.cpms[0])) {
      if (wanted !== "ALL" && sms.status !== wanted) continue;
      const status = sms.status;
      if (pdu) entries.push(`+CMGL: ${sms.index},${pduHeader(sms, status)}\r\n${pduOf(sms, this.network.smscNumber)}`);
      else {
        const shown = textEntry(sms, this.formatContext(), true, status);
        entries.push(shown.data === undefined ? `+CMGL: ${sms.index},${shown.header}` : `+CMGL: ${sms.index},${shown.header}\r\n${shown.data}`);
      }
      if (mode === 0 && status === "REC UNREAD") sms.status = "REC READ";
    }
    return entries.length ? { blocks: [entries.join("\r\n")] } : {};
  }

  private cmdCmgs(form: string, args: Arg[], purpose: "send" | "write"): SubResult {
    if (form === "test") return {};
    if (purpose === "write" && this.storage.free(this.settings.cpms[1]) === 0) return { error: this.profile.errors.memoryFull };
    if (this.settings.cmgf === 0) {
      if (form !== "set") return { error: cms(302) };
      const length = intArg(args[0]);
      if (length === undefined || length < 7 || length > 164) return { error: cms(304) };
      const stat = args[1] === undefined ? 2 : intArg(args[1]);
      if (purpose === "send" && args.length > 1) return { error: cms(304) };
      if (stat === undefined || stat < 2 || stat > 3) return { error: cms(304) };
      return { prompt: { purpose, length, status: STATUS_BY_NUMBER[stat] } };
    }
    if (purpose === "write" && form === "exec") return { prompt: { purpose, da: "" } };
    if (form !== "set") return { error: cms(302) };
    const daArg = args[0];
    if (!daArg || daArg.value === "" || args.length > (purpose === "write" ? 3 : 2)) return { error: cms(302) };
    const da = this.decodeString(daArg.value);
    if (da === undefined || da === "") return { error: cms(304) };
    if (args[1] !== undefined && intArg(args[1]) === undefined) return { error: cms(302) };
    return { prompt: { purpose, da } };
  }
}

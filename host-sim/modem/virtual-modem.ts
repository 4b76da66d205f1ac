/**
 * Virtual SIMCom A7670-class cellular modem, driven over its UART by AT commands, in SMS text mode.
 *
 * Wiring: `connect(toFirmware)` gives the modem its TX line (a UartWire whose sink is the firmware);
 * the firmware's TX wire delivers into `receive(chunk)`. Everything is timed by the VirtualClock.
 *
 * What it models (see corpora.md §3): boot URCs (*ATREADY, +CPIN: READY, SMS DONE, PB DONE),
 * registration after a delay, echo, CMEE error forms, CMGF/CSCS/CSDH/CNMI/CPMS, reading, listing and
 * deleting SIM storage, CMGS with the "> " prompt, Ctrl-Z and ESC, CCLK, CFUN reboot. Data-bearer
 * commands are refused and recorded in `forbiddenCommands`.
 *
 * Simplifications (documented on purpose):
 * - Only text mode is really supported; in PDU mode (CMGF=0, the power-on default) CMGR/CMGL/CMGS
 *   answer +CMS ERROR: 303. CNMI <mt> 2/3 (direct +CMT) answer +CMS ERROR: 303.
 * - One storage ("SM"). Incoming SMS go to the lowest free index. When storage is full the modem
 *   refuses delivery ("memory capacity exceeded"): the network keeps the message waiting and
 *   retries after AT+CMGD frees a slot (SMMA). No URC announces the full memory.
 * - URCs (+CMTI, +CREG) that fall while a command is executing or a CMGS prompt is open are held
 *   and written after the final result code (CNMI mode 2 behaviour) whatever the mode is.
 *   `emitUrc()` writes one at once, even in the middle of an exchange, for hostile tests.
 * - No concatenated SMS: a long incoming text is stored as one message; CMGS refuses texts over 160
 *   septets (70 UTF-16 units with CSMP dcs 8) with +CMS ERROR: 305.
 * - In the CMGS text, CR is a line break ("\n" in the message) and answers with a new "\r\n> "
 *   prompt; an LF right after that CR is swallowed. The prompt never times out.
 * - Bytes the modem cannot take yet (while a command executes) are buffered, not lost.
 */
import type { EventHandle, VirtualClock } from "../clock.ts";
import { Random } from "../random.ts";
import type { UartWire } from "../uart.ts";
import {
  decodeGsm,
  decodeIra,
  decodeUcs2Hex,
  encodeGsm,
  encodeIra,
  encodeUcs2Hex,
  gsmSeptetCount,
  isGsmEncodable,
} from "./gsm-charset.ts";
import type { DeliveryOutcome, SmsNetwork, SmsRecord, SmsSubscriber } from "./sms-network.ts";

// ---------------------------------------------------------------------------------------------
// Public types

/** Timing of the modem's behaviour, ms. Every field can be overridden through `options.timing`. */
export interface ModemTiming {
  /** *ATREADY: 1 → +CPIN: READY. */
  cpinAfterReadyMs: number;
  /** *ATREADY: 1 → SMS DONE (SMS commands answer ERROR before it). */
  smsDoneAfterReadyMs: number;
  /** *ATREADY: 1 → PB DONE. */
  pbDoneAfterReadyMs: number;
  /** Command received → response, random in [min, max]. */
  responseMinMs: number;
  responseMaxMs: number;
  /** Ctrl-Z → +CMGS result (network accepted), random in [min, max]. */
  submitMinMs: number;
  submitMaxMs: number;
  /** Ctrl-Z without network service → +CMS ERROR: 331. */
  submitNoServiceMs: number;
  /** OK of AT+CFUN=1,1 / AT+CRESET → the modem goes down (then boots again after bootMs). */
  resetAfterOkMs: number;
}

/** Default timing (ms). */
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
  /** Reported by AT+IPR?; the wire's real speed is set where the UartWire is built. Default 115200. */
  baud?: number;
  /** SIM storage slots ("SM"), indexes 1..storageSlots. Default 30. */
  storageSlots?: number;
  /** powerOn()/reboot → *ATREADY: 1, ms. Default: random 3000..5000 per boot (from the seed). */
  bootMs?: number;
  /** *ATREADY: 1 → registered, ms. Default 6000. */
  registrationDelayMs?: number;
  /** Stat reached after registrationDelayMs (1 home, 5 roaming, 3 denied, 0 never...). Default 1. */
  registeredStat?: number;
  /** Seed of the response-time jitter and boot time. Default 1. */
  seed?: number;
  /** Identity. Defaults: "A7670E-LASE", "A7670M7_V1.11.1", "868071040000017". */
  model?: string;
  revision?: string;
  imei?: string;
  timing?: Partial<ModemTiming>;
}

/** Fault reply: bare ERROR, +CMS ERROR: n, +CME ERROR: n (both shaped by CMEE), or no answer at all. */
export type FaultReply = "ERROR" | "timeout" | `cms:${number}` | `cme:${number}`;

export interface FaultSpec {
  /** Command line to hit: a RegExp tested on the line, or a case-insensitive prefix ("AT+CMGS"). */
  match: RegExp | string;
  reply: FaultReply;
  /** How many matching commands it hits. Default 1 (Infinity for all). */
  times?: number;
  /**
   * "command" (default): answer the command line itself; its effect does not happen.
   * "submit": for AT+CMGS, show the prompt, take the text, then answer with the fault after Ctrl-Z
   * instead of sending (nothing reaches the network).
   */
  stage?: "command" | "submit";
}

/** One entry of the traffic log. `text` holds the raw bytes, one char per byte (latin1). */
export interface TrafficEntry {
  atMs: number;
  direction: "to-modem" | "from-modem";
  text: string;
  /** "echo": the modem's echo of input; "ignored": input while the modem was off or booting. */
  kind?: "echo" | "ignored";
}

/** A message in SIM storage. */
export interface StoredSms {
  index: number;
  status: "REC UNREAD" | "REC READ";
  from: string;
  text: string;
  /** Network time the SMSC accepted it (virtual ms): the SCTS. */
  submittedAtMs: number;
  /** 0 = GSM 7-bit, 8 = UCS2 (the text had a character outside GSM 03.38). */
  dcs: 0 | 8;
  /** Id of the network log record. */
  networkId: number;
}

/** Modem settings lost at every reboot. */
export interface ModemSettings {
  echo: boolean;
  cmee: 0 | 1 | 2;
  /** 0 PDU (power-on default), 1 text. */
  cmgf: 0 | 1;
  cscs: "GSM" | "IRA" | "UCS2";
  csdh: 0 | 1;
  /** <mode>,<mt>,<bm>,<ds>,<bfr>. Default 0,0,0,0,0 (27.005): the firmware must set it. */
  cnmi: [number, number, number, number, number];
  /** <fo>,<vp>,<pid>,<dcs>. Default 17,167,0,0. */
  csmp: [number, number, number, number];
  /** <n> of +CREG, +CGREG, +CEREG. */
  regUrc: { CREG: number; CGREG: number; CEREG: number };
}

export type PowerState = "off" | "booting" | "on";
export type RegistrationKind = "CREG" | "CGREG" | "CEREG";

// ---------------------------------------------------------------------------------------------
// Internals

type ErrorReply = { kind: "plain" } | { kind: "cme"; code: number } | { kind: "cms"; code: number };

interface SubResult {
  /** Information responses, each framed "\r\n<block>\r\n" (a block may hold CR LF inside). */
  blocks?: string[];
  error?: ErrorReply;
  /** AT+CMGS: open the prompt for this destination. */
  prompt?: { da: string };
  /** Runs after the final OK has been written. */
  after?: () => void;
}

interface Arg {
  value: string;
  quoted: boolean;
}

interface Fault {
  spec: FaultSpec;
  left: number;
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

const PLAIN_ERROR: ErrorReply = { kind: "plain" };
const cms = (code: number): ErrorReply => ({ kind: "cms", code });
const cme = (code: number): ErrorReply => ({ kind: "cme", code });

/** Verbose texts (CMEE=2), 27.007 §9.2. */
const CME_TEXT: Record<number, string> = {
  0: "phone failure",
  3: "operation not allowed",
  4: "operation not supported",
  10: "SIM not inserted",
  11: "SIM PIN required",
  12: "SIM PUK required",
  13: "SIM failure",
  14: "SIM busy",
  15: "SIM wrong",
  16: "incorrect password",
  20: "memory full",
  21: "invalid index",
  22: "not found",
  23: "memory failure",
  24: "text string too long",
  25: "invalid characters in text string",
  30: "no network service",
  31: "network timeout",
  32: "network not allowed - emergency calls only",
  100: "unknown",
};

/** Verbose texts (CMEE=2), 27.005 §3.2.5. */
const CMS_TEXT: Record<number, string> = {
  300: "ME failure",
  301: "SMS service of ME reserved",
  302: "operation not allowed",
  303: "operation not supported",
  304: "invalid PDU mode parameter",
  305: "invalid text mode parameter",
  310: "SIM not inserted",
  311: "SIM PIN required",
  313: "SIM failure",
  314: "SIM busy",
  315: "SIM wrong",
  320: "memory failure",
  321: "invalid memory index",
  322: "memory full",
  330: "SMSC address unknown",
  331: "no network service",
  332: "network timeout",
  500: "unknown error",
};

/** Data-bearer and IP commands: refused, and recorded — location must never go to a server. */
const FORBIDDEN =
  /^AT(\+(CGACT|CGDATA|NETOPEN|NETCLOSE|CIPSTART|CIPOPEN|CIPSEND|CIPSENDEX|CIICR|CSTT|SAPBR|CNACT|CAOPEN|CASEND|SHCONN|SHREQ|SMCONN|SMPUB|HTTP\w*|CHTTP\w*|CHTTPS\w*|QI(OPEN|ACT|SEND)\w*|QHTTP\w*|QMT\w*|CMQTT\w*|CFTP\w*|FTP\w*|CMMS\w*|CSSL\w*|CCH\w*)|D\*99)/i;

/** Commands that need the SMS subsystem (ERROR before "SMS DONE"). */
const SMS_COMMANDS = new Set(["CMGF", "CSCS", "CSDH", "CNMI", "CPMS", "CMGR", "CMGD", "CMGL", "CMGS", "CSMP", "CSCA", "CSMS"]);

/** Registration stats that allow SMS (corpora §3.8). */
const SMS_CAPABLE_STATS = new Set([1, 5, 6, 7, 9, 10]);

function defaultSettings(): ModemSettings {
  return {
    echo: true,
    cmee: 0,
    cmgf: 0,
    cscs: "IRA",
    csdh: 0,
    cnmi: [0, 0, 0, 0, 0],
    csmp: [17, 167, 0, 0],
    regUrc: { CREG: 0, CGREG: 0, CEREG: 0 },
  };
}

function latin1(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]! & 0xff);
  return s;
}

function bytesOf(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i) & 0xff;
  return out;
}

/** Split AT arguments on commas outside double quotes. */
function parseArgs(text: string): Arg[] {
  const args: Arg[] = [];
  let value = "";
  let quoted = false;
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuotes = !inQuotes;
      quoted = true;
    } else if (ch === "," && !inQuotes) {
      args.push({ value: quoted ? value : value.trim(), quoted });
      value = "";
      quoted = false;
    } else value += ch;
  }
  args.push({ value: quoted ? value : value.trim(), quoted });
  return args;
}

/** Split the part after "AT" on ';' outside quotes. */
function splitCommands(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === ";" && !inQuotes) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p, i) => p.length > 0 || i === 0);
}

function intArg(arg: Arg | undefined): number | undefined {
  if (!arg || arg.quoted || !/^\d{1,9}$/.test(arg.value)) return undefined;
  return Number(arg.value);
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** "yy/MM/dd,hh:mm:ss±zz" of a UTC instant shown in local time (zone in quarter hours). */
export function formatAtTimestamp(utcMs: number, zoneQuarterHours: number): string {
  const d = new Date(utcMs + zoneQuarterHours * 15 * 60_000);
  const sign = zoneQuarterHours < 0 ? "-" : "+";
  return (
    `${pad2(d.getUTCFullYear() % 100)}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())},` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${sign}${pad2(Math.abs(zoneQuarterHours))}`
  );
}

/** Parse "yy/MM/dd,hh:mm:ss±zz" → { utcMs, zone } or undefined. */
function parseAtTimestamp(text: string): { utcMs: number; zone: number } | undefined {
  const m = /^(\d\d)\/(\d\d)\/(\d\d),(\d\d):(\d\d):(\d\d)([+-])(\d\d)$/.exec(text);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, ss, sign, zz] = m;
  const month = Number(mo);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return undefined;
  const zone = (sign === "-" ? -1 : 1) * Number(zz);
  const local = Date.UTC(2000 + Number(yy), month - 1, day, Number(hh), Number(mi), Number(ss));
  return { utcMs: local - zone * 15 * 60_000, zone };
}

/** Render control characters of a latin1 string: <CR> <LF> <SUB> <ESC> <NUL> <0xNN>. */
export function showControls(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) out += "<CR>";
    else if (c === LF) out += "<LF>";
    else if (c === SUB) out += "<SUB>";
    else if (c === ESC) out += "<ESC>";
    else if (c === 0) out += "<NUL>";
    else if (c < 0x20 || c >= 0x7f) out += `<0x${c.toString(16).toUpperCase().padStart(2, "0")}>`;
    else out += text[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export class VirtualModem implements SmsSubscriber {
  readonly number: string;
  readonly storageSlots: number;
  readonly timing: Readonly<ModemTiming>;
  /** Stat reached registrationDelayMs after boot (also after a reboot). */
  registeredStat: number;

  /** Every byte exchanged, merged per command / response. */
  readonly traffic: TrafficEntry[] = [];
  /** Data-bearer commands the firmware tried (it must never: the product tests assert this stays empty). */
  readonly forbiddenCommands: Array<{ atMs: number; command: string }> = [];
  /** AT command lines received (a chained line counts once). */
  commandsReceived = 0;
  /** Messages handed to the network by AT+CMGS. */
  smsSent = 0;
  /** Messages stored in SIM storage. */
  smsReceived = 0;
  /** Deliveries refused because storage was full. */
  smsRefusedFull = 0;
  /** Input bytes dropped: sent while off/booting, or past the input buffer. */
  bytesIgnored = 0;
  /** Non-empty lines that did not start with "AT" (ignored, no answer). */
  linesIgnored = 0;
  /** Boots so far (powerOn, reboot, CFUN=1,1). */
  boots = 0;

  private readonly random: Random;
  private readonly baud: number;
  private readonly bootMs: number | undefined;
  private readonly registrationDelayMs: number;
  private readonly model: string;
  private readonly revision: string;
  private readonly imei: string;

  private tx: UartWire | undefined;
  private power: PowerState = "off";
  private epoch = 0;
  private simReady = false;
  private smsReady = false;
  private settings: ModemSettings = defaultSettings();
  private reg: Record<RegistrationKind, number> = { CREG: 0, CGREG: 0, CEREG: 0 };
  private cfun = 1;
  private registrationTimer: EventHandle | undefined;
  private rssi = 20;
  private ber = 99;
  private clockOffsetMs = 0;
  private clockZone: number | undefined;
  private messageRef = 0;
  private readonly slots: Array<StoredSms | undefined>;
  private faults: Fault[] = [];

  // Input pipeline
  private input: number[] = [];
  private inputHead = 0;
  private line: number[] = [];
  private lineOverflow = false;
  private busy = false;
  private prompt: { da: string; line: string; text: number[]; afterCr: boolean } | undefined;
  private heldUrcs: string[] = [];
  private echoOut: number[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly network: SmsNetwork,
    options: VirtualModemOptions,
  ) {
    this.number = options.number;
    this.storageSlots = options.storageSlots ?? 30;
    this.baud = options.baud ?? 115200;
    this.bootMs = options.bootMs;
    this.registrationDelayMs = options.registrationDelayMs ?? 6000;
    this.registeredStat = options.registeredStat ?? 1;
    this.random = new Random(options.seed ?? 1);
    this.model = options.model ?? "A7670E-LASE";
    this.revision = options.revision ?? "A7670M7_V1.11.1";
    this.imei = options.imei ?? "868071040000017";
    this.timing = Object.freeze({ ...DEFAULT_MODEM_TIMING, ...options.timing });
    this.slots = new Array<StoredSms | undefined>(this.storageSlots).fill(undefined);
    network.register(this.number, this);
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

  /** Power the modem on (PWRKEY): boot URCs follow after bootMs. No effect when already on. */
  powerOn(): void {
    if (this.power !== "off") return;
    this.startBoot();
  }

  /** Cut power: the modem goes silent at once; settings are lost, SIM storage is kept. */
  powerOff(): void {
    this.shutdown();
  }

  /** Unsolicited reboot (brown-out, watchdog): silent, then the boot sequence again. */
  reboot(): void {
    this.shutdown();
    this.startBoot();
  }

  get powerState(): PowerState {
    return this.power;
  }

  /** True after "SMS DONE": SMS commands work and deliveries are accepted (when registered). */
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

  // ----- test controls ------------------------------------------------------------------------

  /**
   * Set the registration stat now (all three, or only `only`), cancelling the pending automatic
   * registration; emits +CxREG URCs when enabled. A reboot registers automatically again.
   */
  setRegistered(stat: number, only?: RegistrationKind): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = undefined;
    this.applyRegistration(stat, only);
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

  /** Write arbitrary bytes to the firmware now (line noise, a stray boot banner...). */
  sendGarbage(bytes: Uint8Array | string): void {
    this.writeOut(typeof bytes === "string" ? bytes : latin1(bytes));
  }

  /** Write a URC now, framed "\r\n<text>\r\n", even in the middle of a response or a prompt. */
  emitUrc(text: string): void {
    this.writeOut(`\r\n${text}\r\n`);
  }

  /** Occupied storage slots, by index. */
  storedMessages(): StoredSms[] {
    return this.slots.filter((s): s is StoredSms => s !== undefined).map((s) => ({ ...s }));
  }

  /** Put a message straight into storage (as if it arrived while nobody listened); no URC. Returns the index or undefined when full. */
  storeDirect(from: string, text: string, status: StoredSms["status"] = "REC UNREAD"): number | undefined {
    const free = this.slots.findIndex((s) => s === undefined);
    if (free < 0) return undefined;
    this.slots[free] = { index: free + 1, status, from, text, submittedAtMs: this.clock.nowMs, dcs: isGsmEncodable(text) ? 0 : 8, networkId: 0 };
    return free + 1;
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
    if (this.power !== "on" || !this.smsReady || !this.smsCapable()) return "absent";
    const free = this.slots.findIndex((s) => s === undefined);
    if (free < 0) {
      this.smsRefusedFull++;
      return "memory-full";
    }
    const index = free + 1;
    this.slots[free] = {
      index,
      status: "REC UNREAD",
      from: sms.from,
      text: sms.text,
      submittedAtMs: sms.submittedAtMs,
      dcs: isGsmEncodable(sms.text) ? 0 : 8,
      networkId: sms.id,
    };
    this.smsReceived++;
    if (this.settings.cnmi[1] === 1) this.urc(`+CMTI: "SM",${index}`);
    return "delivered";
  }

  // ----- boot ---------------------------------------------------------------------------------

  private startBoot(): void {
    this.power = "booting";
    this.boots++;
    const bootMs = this.bootMs ?? this.random.int(3000, 5000);
    this.schedule(bootMs, () => {
      this.power = "on";
      this.reg = { CREG: 2, CGREG: 2, CEREG: 2 };
      this.cfun = 1;
      this.writeOut("\r\n*ATREADY: 1\r\n");
      this.schedule(this.timing.cpinAfterReadyMs, () => {
        this.simReady = true;
        this.urc("+CPIN: READY");
      });
      this.schedule(this.timing.smsDoneAfterReadyMs, () => {
        this.smsReady = true;
        this.urc("SMS DONE");
        this.maybeReady();
      });
      this.schedule(this.timing.pbDoneAfterReadyMs, () => this.urc("PB DONE"));
      this.scheduleRegistration();
    });
  }

  private shutdown(): void {
    this.epoch++;
    this.power = "off";
    this.simReady = false;
    this.smsReady = false;
    this.settings = defaultSettings();
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
  }

  private scheduleRegistration(): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = this.schedule(this.registrationDelayMs, () => {
      this.registrationTimer = undefined;
      this.applyRegistration(this.registeredStat);
    });
  }

  private applyRegistration(stat: number, only?: RegistrationKind): void {
    for (const kind of ["CREG", "CGREG", "CEREG"] as const) {
      if (only && kind !== only) continue;
      if (this.reg[kind] === stat) continue;
      this.reg[kind] = stat;
      if (this.power === "on" && this.settings.regUrc[kind] > 0) this.urc(`+${kind}: ${this.regDetail(kind, false)}`);
    }
    this.maybeReady();
  }

  private smsCapable(): boolean {
    return SMS_CAPABLE_STATS.has(this.reg.CREG) || SMS_CAPABLE_STATS.has(this.reg.CGREG) || SMS_CAPABLE_STATS.has(this.reg.CEREG);
  }

  /** Tell the network it may retry waiting messages. */
  private maybeReady(): void {
    if (this.power === "on" && this.smsReady && this.smsCapable()) this.network.subscriberReady(this.number);
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

  /** A URC: held while a command executes or the prompt is open, written at once otherwise. */
  private urc(text: string): void {
    if (this.power !== "on") return;
    if (this.busy || this.prompt) this.heldUrcs.push(text);
    else this.writeOut(`\r\n${text}\r\n`);
  }

  private flushUrcs(): void {
    const held = this.heldUrcs;
    this.heldUrcs = [];
    for (const text of held) this.writeOut(`\r\n${text}\r\n`);
  }

  private logTraffic(direction: TrafficEntry["direction"], bytes: Uint8Array, kind?: TrafficEntry["kind"]): void {
    const now = this.clock.nowMs;
    // Responses and URCs are written in logical units: one entry each.
    if (direction === "from-modem" && kind === undefined) {
      this.traffic.push({ atMs: now, direction, text: latin1(bytes) });
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
    if (overflow) return this.respond({ error: PLAIN_ERROR });
    if (FORBIDDEN.test(line) || splitCommands(line.slice(2)).some((part) => FORBIDDEN.test(`AT${part}`))) {
      this.forbiddenCommands.push({ atMs: this.clock.nowMs, command: line });
      return this.respond({ error: PLAIN_ERROR });
    }
    const fault = this.takeFault(line, "command");
    if (fault) return this.respondFault(fault);
    this.respond(this.execute(line), line);
  }

  private takeFault(line: string, stage: "command" | "submit"): FaultReply | undefined {
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
    this.respond({ error: this.faultError(reply) });
  }

  /** Write a command's outcome after the response delay, then take the next input. */
  private respond(result: SubResult, line = ""): void {
    this.busy = true;
    this.schedule(this.responseDelayMs(), () => {
      let out = "";
      for (const block of result.blocks ?? []) out += `\r\n${block}\r\n`;
      if (result.prompt) {
        this.writeOut(out);
        this.openPrompt();
        return;
      }
      out += `\r\n${result.error ? this.formatError(result.error) : "OK"}\r\n`;
      this.writeOut(out);
      this.finish();
      result.after?.();
    });
    if (result.prompt) this.prompt = { da: result.prompt.da, line, text: [], afterCr: false };
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

  private formatError(error: ErrorReply): string {
    if (error.kind === "plain" || this.settings.cmee === 0) return "ERROR";
    const prefix = error.kind === "cme" ? "+CME ERROR: " : "+CMS ERROR: ";
    if (this.settings.cmee === 1) return `${prefix}${error.code}`;
    const text = (error.kind === "cme" ? CME_TEXT : CMS_TEXT)[error.code];
    return `${prefix}${text ?? error.code}`;
  }

  // ----- CMGS prompt --------------------------------------------------------------------------

  private promptByte(b: number): void {
    const prompt = this.prompt!;
    if (b === SUB) {
      this.flushEcho();
      this.prompt = undefined;
      this.submit(prompt.da, prompt.line, prompt.text);
      return;
    }
    if (b === ESC) {
      this.flushEcho();
      this.prompt = undefined;
      this.respond({});
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

  private submit(da: string, commandLine: string, typed: number[]): void {
    this.busy = true;
    const fault = this.takeFault(commandLine, "submit");
    if (fault === "timeout") {
      this.finish();
      return;
    }
    if (fault) return this.respond({ error: this.faultError(fault) });
    let text = this.decodeTyped(typed);
    if (text === undefined) return this.respond({ error: cms(305) });
    const ucs2 = this.settings.csmp[3] === 8;
    if (!ucs2) text = decodeGsm(encodeGsm(text)); // the 7-bit alphabet is all that travels
    const tooLong = ucs2 ? text.length > 70 : gsmSeptetCount(text) > 160;
    if (tooLong) return this.respond({ error: cms(305) });
    if (!this.smsCapable()) {
      this.schedule(this.timing.submitNoServiceMs, () => {
        this.writeOut(`\r\n${this.formatError(cms(331))}\r\n`);
        this.finish();
      });
      return;
    }
    const delay = this.random.int(this.timing.submitMinMs, this.timing.submitMaxMs);
    const finalText = text;
    this.schedule(delay, () => {
      this.network.submit(this.number, da, finalText);
      this.smsSent++;
      const mr = this.messageRef;
      this.messageRef = (this.messageRef + 1) & 0xff;
      this.writeOut(`\r\n+CMGS: ${mr}\r\n\r\nOK\r\n`);
      this.finish();
    });
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

  /** Text-mode <data> of a stored message: hex UCS2 when DCS is 8, otherwise per CSCS. */
  private messageData(sms: StoredSms): string {
    return sms.dcs === 8 ? encodeUcs2Hex(sms.text) : this.encodeString(sms.text);
  }

  private typeOfAddress(number: string): number {
    if (number.startsWith("+")) return 145;
    if (/^\d+$/.test(number)) return 129;
    return 208;
  }

  private scts(sms: StoredSms): string {
    return formatAtTimestamp(this.network.utcMs(sms.submittedAtMs), this.network.timeZoneQuarterHours);
  }

  private messageLength(sms: StoredSms): number {
    return sms.dcs === 8 ? sms.text.length * 2 : gsmSeptetCount(sms.text);
  }

  // ----- command execution --------------------------------------------------------------------

  private execute(line: string): SubResult {
    const parts = splitCommands(line.slice(2));
    const blocks: string[] = [];
    const afters: Array<() => void> = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const result = part.startsWith("+") || part.startsWith("*") ? this.extended(part) : this.basic(part);
      blocks.push(...(result.blocks ?? []));
      if (result.error) return { blocks, error: result.error };
      if (result.after) afters.push(result.after);
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
          blocks.push(`Manufacturer: SIMCOM INCORPORATED\r\nModel: ${this.model}\r\nRevision: ${this.revision}\r\nIMEI: ${this.imei}\r\n+GCAP: +CGSM,+FCLASS,+DS`);
          break;
        case "Z":
        case "&F":
          this.settings = { ...defaultSettings(), echo: this.settings.echo };
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

  private extended(text: string): SubResult {
    const m = /^([+*][A-Za-z0-9]+)(=\?|\?|=(.*))?$/s.exec(text);
    if (!m) return { error: PLAIN_ERROR };
    const name = m[1]!.slice(1).toUpperCase();
    const form: "exec" | "read" | "test" | "set" = m[2] === undefined ? "exec" : m[2] === "?" ? "read" : m[2] === "=?" ? "test" : "set";
    const args = form === "set" ? parseArgs(m[3] ?? "") : [];
    if (SMS_COMMANDS.has(name) && !this.smsReady) return { error: cms(500) };
    switch (name) {
      case "CGMI":
        return form === "exec" ? { blocks: ["SIMCOM INCORPORATED"] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CGMM":
        return form === "exec" ? { blocks: [this.model] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CGMR":
        return form === "exec" ? { blocks: [`+CGMR: ${this.revision}`] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CGSN":
      case "GSN":
        return form === "exec" ? { blocks: [this.imei] } : form === "test" ? {} : { error: PLAIN_ERROR };
      case "CIMI":
        if (!this.simReady) return { error: cme(14) };
        return form === "exec" ? { blocks: ["310260000000017"] } : { error: PLAIN_ERROR };
      case "CICCID":
        if (!this.simReady) return { error: cme(14) };
        return form === "exec" ? { blocks: ["+ICCID: 89012600000000000170"] } : { error: PLAIN_ERROR };
      case "CMEE":
        return this.cmdCmee(form, args);
      case "CPIN":
        if (!this.simReady) return { error: cme(14) };
        if (form === "read") return { blocks: ["+CPIN: READY"] };
        if (form === "test") return {};
        return { error: cme(3) }; // no PIN is asked for
      case "CREG":
      case "CGREG":
      case "CEREG":
        return this.cmdReg(name, form, args);
      case "CSQ":
        if (form === "exec") return { blocks: [`+CSQ: ${this.rssi},${this.ber}`] };
        return form === "test" ? { blocks: ["+CSQ: (0-31,99),(0-7,99)"] } : { error: PLAIN_ERROR };
      case "COPS":
        if (form === "read") return { blocks: [SMS_CAPABLE_STATS.has(this.reg.CEREG) || SMS_CAPABLE_STATS.has(this.reg.CREG) ? '+COPS: 0,0,"SIM NETWORK",7' : "+COPS: 0"] };
        return form === "exec" ? { error: PLAIN_ERROR } : {};
      case "CFUN":
        return this.cmdCfun(form, args);
      case "CRESET":
        return form === "exec" ? { after: () => this.schedule(this.timing.resetAfterOkMs, () => this.reboot()) } : { error: PLAIN_ERROR };
      case "CPOF":
        return form === "exec" ? { after: () => this.schedule(this.timing.resetAfterOkMs, () => this.powerOff()) } : { error: PLAIN_ERROR };
      case "IPR":
        if (form === "read") return { blocks: [`+IPR: ${this.baud}`] };
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
        return this.cmdCmgs(form, args);
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

  private regDetail(kind: RegistrationKind, read: boolean): string {
    const n = this.settings.regUrc[kind];
    const stat = this.reg[kind];
    let s = read ? `${n},${stat}` : `${stat}`;
    if (n === 2 && (stat === 1 || stat === 5)) s += kind === "CREG" ? ',"1A2B","01C2D3E4"' : ',"1A2B","01C2D3E4",7';
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

  private cmdCclk(form: string, args: Arg[]): SubResult {
    const zone = this.clockZone ?? this.network.timeZoneQuarterHours;
    if (form === "read") return { blocks: [`+CCLK: "${formatAtTimestamp(this.network.utcMs() + this.clockOffsetMs, zone)}"`] };
    if (form === "test") return {};
    if (form !== "set" || !args[0]?.quoted) return { error: cme(3) };
    const parsed = parseAtTimestamp(args[0].value);
    if (!parsed) return { error: cme(3) };
    this.clockOffsetMs = parsed.utcMs - this.network.utcMs();
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
    if (form === "test") return { blocks: ["+CNMI: (0-2),(0-1),(0,2),(0-2),(0,1)"] };
    if (form !== "set" || args.length > 5) return { error: cms(302) };
    const next = [...this.settings.cnmi] as ModemSettings["cnmi"];
    const max = [2, 3, 3, 2, 1];
    for (let i = 0; i < args.length; i++) {
      if (args[i]!.value === "" && !args[i]!.quoted) continue;
      const v = intArg(args[i]);
      if (v === undefined || v > max[i]!) return { error: cms(302) };
      next[i] = v;
    }
    if (next[1] > 1) return { error: cms(303) }; // direct +CMT delivery is not modelled
    this.settings.cnmi = next;
    return {};
  }

  private used(): number {
    return this.slots.filter((s) => s !== undefined).length;
  }

  private cmdCpms(form: string, args: Arg[]): SubResult {
    const u = this.used();
    const t = this.storageSlots;
    if (form === "read") return { blocks: [`+CPMS: "SM",${u},${t},"SM",${u},${t},"SM",${u},${t}`] };
    if (form === "test") return { blocks: ['+CPMS: ("SM"),("SM"),("SM")'] };
    if (form !== "set" || args.length > 3) return { error: cms(302) };
    for (const arg of args) if (arg.value.toUpperCase() !== "SM" && this.decodeString(arg.value)?.toUpperCase() !== "SM") return { error: cms(303) };
    return { blocks: [`+CPMS: ${u},${t},${u},${t},${u},${t}`] };
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

  /** Parse an index argument; an error when it is missing or outside 1..storageSlots. */
  private indexArg(arg: Arg | undefined): number | ErrorReply {
    const i = intArg(arg);
    if (i === undefined) return cms(302);
    if (i < 1 || i > this.storageSlots) return cms(321);
    return i;
  }

  private cmdCmgr(form: string, args: Arg[]): SubResult {
    if (form === "test") return {};
    if (form !== "set") return { error: cms(302) };
    if (this.settings.cmgf === 0) return { error: cms(303) };
    const index = this.indexArg(args[0]);
    if (typeof index !== "number") return { error: index };
    const mode = args[1] === undefined ? 0 : intArg(args[1]);
    if (mode === undefined || mode > 1) return { error: cms(302) };
    const sms = this.slots[index - 1];
    if (!sms) return {}; // empty slot: bare OK (SIMCom)
    const status = sms.status;
    if (mode === 0) sms.status = "REC READ";
    let header = `+CMGR: "${status}","${this.encodeString(sms.from)}","","${this.scts(sms)}"`;
    if (this.settings.csdh === 1) {
      header += `,${this.typeOfAddress(sms.from)},4,0,${sms.dcs},"${this.encodeString(this.network.smscNumber)}",145,${this.messageLength(sms)}`;
    }
    return { blocks: [`${header}\r\n${this.messageData(sms)}`] };
  }

  private cmdCmgd(form: string, args: Arg[]): SubResult {
    if (form === "test") return { blocks: [`+CMGD: (1-${this.storageSlots}),(0-4)`] };
    if (form !== "set") return { error: cms(302) };
    const flag = args[1] === undefined || args[1].value === "" ? 0 : intArg(args[1]);
    if (flag === undefined || flag > 4) return { error: cms(302) };
    const before = this.used();
    if (flag === 0) {
      const index = this.indexArg(args[0]);
      if (typeof index !== "number") return { error: index };
      this.slots[index - 1] = undefined;
    } else {
      // 1: all read; 2: read + sent; 3: read + sent + unsent; 4: all. Only received messages are stored.
      for (let i = 0; i < this.slots.length; i++) {
        const s = this.slots[i];
        if (s && (flag === 4 || s.status === "REC READ")) this.slots[i] = undefined;
      }
    }
    if (this.used() < before) this.network.subscriberReady(this.number);
    return {};
  }

  private cmdCmgl(form: string, args: Arg[]): SubResult {
    if (form === "test") return { blocks: ['+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")'] };
    if (this.settings.cmgf === 0) return { error: cms(303) };
    let wanted = "REC UNREAD";
    if (form === "set") {
      const arg = args[0];
      if (!arg?.quoted || args.length > 2) return { error: cms(302) };
      wanted = arg.value.toUpperCase();
    } else if (form !== "exec") return { error: cms(302) };
    if (!["REC UNREAD", "REC READ", "STO UNSENT", "STO SENT", "ALL"].includes(wanted)) return { error: cms(302) };
    const mode = args[1] === undefined ? 0 : intArg(args[1]);
    if (mode === undefined || mode > 1) return { error: cms(302) };
    const entries: string[] = [];
    for (const sms of this.slots) {
      if (!sms || (wanted !== "ALL" && sms.status !== wanted)) continue;
      let header = `+CMGL: ${sms.index},"${sms.status}","${this.encodeString(sms.from)}","","${this.scts(sms)}"`;
      if (this.settings.csdh === 1) header += `,${this.typeOfAddress(sms.from)},${this.messageLength(sms)}`;
      entries.push(`${header}\r\n${this.messageData(sms)}`);
      if (mode === 0) sms.status = "REC READ";
    }
    return entries.length ? { blocks: [entries.join("\r\n")] } : {};
  }

  private cmdCmgs(form: string, args: Arg[]): SubResult {
    if (form === "test") return {};
    if (form !== "set") return { error: cms(302) };
    if (this.settings.cmgf === 0) return { error: cms(303) };
    const daArg = args[0];
    if (!daArg || daArg.value === "" || args.length > 2) return { error: cms(302) };
    const da = this.decodeString(daArg.value);
    if (da === undefined || da === "") return { error: cms(304) };
    if (args[1] !== undefined && intArg(args[1]) === undefined) return { error: cms(302) };
    return { prompt: { da } };
  }
}

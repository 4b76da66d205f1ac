/**
 * What the command families (general.ts, sim-registration.ts, sms-*.ts, gnss.ts) see of the modem: the
 * shape of one command's result, and ModemContext, the modem's state with the few actions a handler
 * may take (schedule, URC, power, registration). VirtualModem owns the state and builds the one
 * ModemContext; each family names the part it uses with Pick<>, so a handler shows what it touches.
 */
import type { EventHandle, VirtualClock } from "../../clock.ts";
import type { ErrorReply } from "../at-syntax.ts";
import type { ModemSettings, ModemTiming, RegistrationKind } from "../modem-types.ts";
import type { ModemProfile } from "../profiles.ts";
import type { SmsNetwork } from "../sms-network.ts";
import type { SmsStatus, SmsStorage } from "../sms-storage.ts";
import type { VirtualCell } from "./cell-commands.ts";
import type { GnssReceiver } from "./gnss.ts";

/** AT+X (exec), AT+X? (read), AT+X=? (test), AT+X=... (set). */
export type Form = "exec" | "read" | "test" | "set";

/** The outcome of one command of a line. */
export interface SubResult {
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

export interface PromptSpec {
  purpose: "send" | "write";
  /** Text mode: destination; PDU mode: undefined. */
  da?: string;
  /** PDU mode: TPDU length. */
  length?: number;
  /** CMGW <stat> to store with. */
  status?: SmsStatus;
}

export const PIN_TRIES = 3;
export const PUK_TRIES = 10;

/** The SIM as the modem sees it (kept over reboots, except `read`). */
export interface SimCard {
  inserted: boolean;
  /** The SIM was read during this boot (the +CPIN line). */
  read: boolean;
  pin: string | undefined;
  puk: string;
  lock: "none" | "pin" | "puk" | "blocked";
  pinTriesLeft: number;
  pukTriesLeft: number;
}

/** Radio side: functionality, signal, serving cell and the stat of each register. */
export interface Radio {
  cfun: number;
  rssi: number;
  ber: number;
  cell: VirtualCell;
  reg: Record<RegistrationKind, number>;
}

/** The real-time clock: AT+CCLK's offset and zone, the network time (NITZ), the uptime base. */
export interface ModemRtc {
  offsetMs: number;
  zone: number | undefined;
  synced: boolean;
  uartOnAtMs: number;
}

/** The modem's state and actions, as the command handlers see them. */
export interface ModemContext {
  readonly profile: ModemProfile;
  readonly timing: Readonly<ModemTiming>;
  readonly identity: { manufacturer: string; model: string; revision: string; imei: string };
  /** Reported by AT+IPR?. */
  readonly baud: number;
  readonly fixedBaud: boolean;
  readonly clock: VirtualClock;
  readonly network: SmsNetwork;
  /** The SIM's own number. */
  readonly number: string;
  readonly storage: SmsStorage;
  readonly sim: SimCard;
  readonly radio: Radio;
  readonly rtc: ModemRtc;
  /** The GNSS receiver inside the module (its dialect is the profile's). */
  readonly gnss: GnssReceiver;
  /** The settings now (replaced by ATZ / AT&F and at every reboot). */
  settings: ModemSettings;
  defaultSettings(): ModemSettings;
  /** After the SMS-ready line of this boot. */
  smsReady(): boolean;
  /** Registered on some register with a stat that allows SMS. */
  smsCapable(): boolean;
  /** Run `action` after `delayMs` unless the modem reboots or powers off first. */
  schedule(delayMs: number, action: () => void): EventHandle;
  /** A URC (held while a command executes). */
  urc(text: string): void;
  reboot(): void;
  powerOff(): void;
  /** Orderly power-down (the profile's URC unless AT+CPOF). */
  powerDown(byKey: boolean): void;
  /** Register again after the registration delay. */
  scheduleRegistration(): void;
  /** Cancel the pending automatic registration. */
  stopRegistration(): void;
  applyRegistration(stat: number): void;
  /** The boot lines that wait for a readable SIM. */
  runAfterSimLines(): void;
}

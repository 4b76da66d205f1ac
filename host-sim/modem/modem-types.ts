/**
 * The virtual modem's public types: timing, construction options, the traffic log, the settings
 * lost at reboot, power / registration / SIM states and the record of a submission. Split out of
 * virtual-modem.ts (which re-exports all of them) so the command families can name them too.
 */
import type { ProfileName } from "./profiles.ts";
import type { VirtualCell } from "./commands/cell-commands.ts";


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

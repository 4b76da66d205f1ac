/**
 * The firmware as the simulation sees it: a device with two UARTs, a console of log lines and
 * output pins, whatever runs it. Implementations: FirmwareDevice (the firmware guest stepped on
 * the virtual clock, in Node or in xsnap) and ModdableDevice (the real Moddable runtime under
 * mcsim, over pseudo-terminals, free-running on the wall clock).
 */

/** One log line of the firmware ("[tag] level: message" on the device's console). */
export interface LogLine {
  atMs: number;
  level: string;
  tag: string;
  message: string;
}

/** Meter figures of one XS step (xsnap only). */
export interface StepMeter {
  atMs: number;
  computrons: number;
  heapSlots: number;
  /** What the step carried: "gnss", "modem", "timer", "boot" (joined with "+"). */
  cause: string;
}

/** A level written to one of the firmware's output pins. */
export interface PinWrite {
  atMs: number;
  /** "modemPowerKey", "modemPowerOn". */
  pin: string;
  value: number;
}

/**
 * The firmware's build configuration (TrackerOptions of src/app/tracker.ts), as plain data. On the
 * stepped engines it is handed to the Tracker at every boot. The Moddable app is built once: there
 * the modem profile and SMS mode are written into the settings instead, and an installer owner
 * number (a build-time option) cannot be given.
 */
export interface DeviceTrackerOptions {
  installerOwnerNumber?: string;
  installerHomeCountryCode?: string;
  /** "A7670", "SIM7600", "SIM7000", "SIM800", "EG25", "BG96" (default A7670). */
  modemProfile?: string;
  /** "pdu" (default) or "text". */
  smsMode?: "pdu" | "text";
  /** "uart" (default) or "modem": the NMEA comes from the modem's own GNSS over its UART. */
  gnssSource?: "uart" | "modem";
  /** With gnssSource "modem": the modem GPIO powering the active antenna. */
  gnssAntennaGpio?: number;
}

type Sink = (bytes: Uint8Array) => void;

export interface TrackerDevice {
  /** "node", "xs" or "moddable". */
  readonly engineName: string;
  readonly logs: LogLine[];
  /** Exceptions that escaped the firmware (a defect: tests require none). */
  readonly faults: string[];
  readonly pinWrites: PinWrite[];
  /** xsnap meter figures per step (empty on other engines). */
  readonly meters: StepMeter[];
  /** Persistent store (flash) as the firmware left it: key → value. */
  readonly store: Record<string, string | number | boolean>;
  /** The tracker's state ("off", "modem-init", "ready", "modem-failed"), "" before the first. */
  readonly state: string;
  /** Where the firmware's UART output goes (set by the simulation). */
  gnssTx: Sink | null;
  modemTx: Sink | null;
  /** Where the firmware's provisioning-console output goes; absent: the device has no console. */
  consoleTx?: Sink | null;
  /** Called for each log line as it happens. */
  onLog: ((line: LogLine) => void) | null;
  onStateChange: ((state: string) => void) | null;
  /** Called for each pin write (e.g. the modem's power key). */
  onPin: ((pin: string, value: number) => void) | null;
  /** Power on: boot the firmware with the store's contents. */
  boot(): Promise<void>;
  /** Reset the firmware (power cycle): it boots again with what it left in flash. */
  restart(): Promise<void>;
  /**
   * Bytes arriving on the firmware's GNSS UART. `lineIdle` false: more of the burst follows, so a
   * stepped device may hold the chunk (with its arrival time) and hand the burst over at its end.
   */
  receiveGnss(chunk: Uint8Array, lineIdle?: boolean): void | Promise<void>;
  /** Bytes arriving on the firmware's modem UART. */
  receiveModem(chunk: Uint8Array): void | Promise<void>;
  /** Bytes arriving on the firmware's provisioning-console port (absent: no console). */
  receiveConsole?(chunk: Uint8Array): void | Promise<void>;
  /** Stop the firmware and release what runs it (idempotent). */
  close(): Promise<void>;
}

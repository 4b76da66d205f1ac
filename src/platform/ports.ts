/**
 * Ports: the only ways firmware code touches the outside world.
 *
 * Everything under src/ receives these as constructor arguments. On the device they are implemented
 * in src/platform/moddable/ (ECMA-419 serial, Timer, Preference, trace, Digital); in the simulator
 * they are implemented by host-sim/guest/ and driven by a virtual clock. Interfaces only here.
 */

/** One UART as the firmware sees it: a full-duplex byte channel. */
export interface SerialPort {
  /**
   * Queue bytes for transmission. Never throws for lack of FIFO space: the implementation buffers
   * and feeds the hardware as it drains. The caller may reuse `bytes` after the call returns.
   */
  write(bytes: Uint8Array): void;
  /**
   * Receiver, called with each chunk of received bytes in arrival order. The chunk is only valid
   * during the call (implementations reuse the buffer). Set to null to drop received bytes.
   */
  onReceive: ((chunk: Uint8Array) => void) | null;
}

/** Opaque handle of a pending timer. */
export type TimerHandle = object;

/** Time and timers. */
export interface Clock {
  /** Monotonic milliseconds since boot (never goes back; use differences). */
  monotonicMs(): number;
  /** UTC wall-clock time in ms since the Unix epoch, or undefined while it is unknown. */
  utcMs(): number | undefined;
  /** Set the wall clock (from a GNSS fix or the network), in ms since the Unix epoch. */
  setUtcMs(utcMs: number): void;
  /** Call `callback` once after `delayMs` (≥ 0) milliseconds. */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  /** Cancel a timer; undefined and already-fired handles are ignored. */
  clearTimer(handle: TimerHandle | undefined): void;
}

/** A value the key-value store holds (Moddable Preference types: no non-integer numbers). */
export type StoredValue = string | number | boolean | ArrayBuffer;

/**
 * Persistent key-value store (flash). Keys are at most 15 characters; numbers must be integers.
 * Every set() is a flash write. set() throws an Error when the backing store refuses the value.
 */
export interface KeyValueStore {
  get(key: string): StoredValue | undefined;
  set(key: string, value: StoredValue): void;
  delete(key: string): void;
  keys(): string[];
}

/** Log severity, most severe first. */
export type LogLevel = "error" | "warn" | "info" | "debug";

/** Log sink. `tag` names the module (`gnss`, `modem.at`, `sms`, ...). Never pass PINs or coordinates at info level. */
export interface Logger {
  log(level: LogLevel, tag: string, message: string): void;
}

/** One digital output pin (1 = high). */
export interface OutputPin {
  write(value: 0 | 1): void;
}

/**
 * Random bytes for salts and one-time codes. On the device a hardware source (the ESP32's RNG
 * behind Math.random); in the simulator a seeded one, so every run is reproducible.
 */
export interface RandomSource {
  /** Fill `bytes` with random values (0-255). */
  fill(bytes: Uint8Array): void;
}

/** Board pins the firmware drives. Absent pins are not wired on this board. */
export interface BoardPins {
  /** Modem PWRKEY (pulse to switch the modem on or off). */
  modemPowerKey?: OutputPin;
  /** Modem power rail enable (LilyGO POWERON, must be high). */
  modemPowerOn?: OutputPin;
  /** Modem RESET input, written 1 = reset asserted (the board inverts if its line is active low). */
  modemReset?: OutputPin;
  /** Modem DTR: held low = the modem stays awake (high lets it sleep when it is configured to). */
  modemDtr?: OutputPin;
  /** Modem flight-mode input (LilyGO T-SIM7600 FLIGHT): held high = radio on. */
  modemFlight?: OutputPin;
}

/**
 * The modem's RING (RI) output as an input: `onRing` is called (from a fresh turn, never inside
 * another callback) on each falling edge — the modem pulses RI low for an incoming SMS or call, at
 * the time it writes the indication.
 */
export interface RingInput {
  onRing: (() => void) | null;
}

/** Control of the whole device. */
export interface SystemControl {
  /** Restart the microcontroller now (does not return on a device). */
  restart(): void;
}

/**
 * Voltages the board measures, millivolts; NaN when this board cannot measure one (no divider on
 * that rail). `vehicleMv` is the vehicle supply (12 V or 24 V system) ahead of the tracker's
 * regulator; `batteryMv` the tracker's own backup battery (a Li-ion cell, 3.0 to 4.2 V).
 */
export interface PowerReading {
  readonly vehicleMv: number;
  readonly batteryMv: number;
}

/** The vehicle-power port: read the supply and backup battery now (cheap; polled every few seconds). Never throws. */
export interface VehiclePowerPort {
  read(): PowerReading;
}

/** All ports the tracker needs. */
export interface TrackerPorts {
  gnss: SerialPort;
  modem: SerialPort;
  clock: Clock;
  store: KeyValueStore;
  log: Logger;
  pins: BoardPins;
  random: RandomSource;
  /** The vehicle supply and backup battery; absent when the board measures neither. */
  power?: VehiclePowerPort;
  /** The provisioning console's serial port (UART0 in release builds; console/); absent: no console. */
  console?: SerialPort;
  /** The modem's RING line; absent when the board does not wire it (the store sweep still finds every SMS). */
  ring?: RingInput;
  /** Restart of the device; absent where the platform cannot (the lin build). */
  system?: SystemControl;
}

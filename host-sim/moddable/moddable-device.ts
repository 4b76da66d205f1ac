/**
 * The firmware on Moddable's own runtime: the `lin` app (npm run build:device) under mcsim, headless
 * (xvfb-run), its two UARTs and its provisioning console on pseudo-terminal pairs made by socat. The simulation talks to it only
 * as hardware would: bytes on the ttys, the console (trace output: the log lines, the pin levels of
 * the lin Digital stand-in, XS aborts) and the flash (the runtime's preference file).
 *
 * The runtime runs on real timers, so the simulation's clock must follow the wall clock
 * (VirtualClock in wall-clock mode): bytes from the firmware are put on the clock as they arrive.
 *
 * Each device has a folder of its own: the working directory of mcsim, where the lin build opens
 * `modem.tty`, `gnss.tty` and `console.tty` and keeps `modpreferences.json` (manifest.json,
 * platform "lin"). The console's host end is the simulation's (sim.console) until
 * {@link ModdableDevice.releaseConsole} hands it to a host tool (`tracker provision --port ...`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tty from "node:tty";
import type { VirtualClock } from "../clock.ts";
import { provisionSettings } from "../flash-image.ts";
import type { DeviceTrackerOptions, LogLine, PinWrite, StepMeter, TrackerDevice } from "../tracker-device.ts";
import { ensureLinApp } from "./device-build.ts";
import { findModdableSdk } from "./sdk.ts";

/** Preference domain of the firmware (manifest config storeDomain). */
const STORE_DOMAIN = "tracker";
/** GPIO numbers of the lin build (manifest config) → the simulation's pin names. */
const PIN_NAMES: Readonly<Record<number, string>> = Object.freeze({ 4: "modemPowerKey", 12: "modemPowerOn" });
/** How long to wait for socat's pseudo-terminals and for mcsim to start, ms. */
const START_LIMIT_MS = 15_000;

/** "[tag] level: message". */
const LOG_LINE = /^\[([^\]]+)\] (error|warn|info|debug): (.*)$/;
/** "[pin] info: gpio 4 = 1" (lin Digital stand-in). */
const PIN_LINE = /^gpio (\d+) = ([01])$/;
/** Tracker transitions: "off -> modem-init (start)" (app/tracker.ts). */
const STATE_LINE = /^\S+ -> (\S+) \(/;
/** Runtime-instrumentation samples the firmware logs ("[diag] info: ..."), see platform/moddable/diagnostics. */
export interface RuntimeSample {
  atMs: number;
  /** Raw "key value" pairs of the line. */
  values: Record<string, number>;
}

/** Bytes of one XS slot in the lin build (64-bit Linux); 16 on the ESP32. */
export const LIN_SLOT_BYTES = 32;

/** The largest figures of a run (see diagnostics.ts; -1 when none was logged). */
export interface RuntimePeaks {
  /** Peak JavaScript stack depth, slots (the board target's `creation.stack` bounds it). */
  stackPeakSlots: number;
  /** Most slot heap and chunk heap in use, bytes (64-bit: slots are twice the ESP32's size). */
  slotBytes: number;
  chunkBytes: number;
}

/**
 * The peaks of a run's samples. The simulator (mcsim) resets the stack peak every second, so each
 * sample is the peak of its own second so far: the run's peak is the largest.
 */
export function runtimePeaks(samples: readonly RuntimeSample[]): RuntimePeaks {
  const max = (key: string) => samples.reduce((m, s) => Math.max(m, s.values[key] ?? -1), -1);
  const stack = max("stackPeakBytes");
  return { stackPeakSlots: stack < 0 ? -1 : Math.ceil(stack / LIN_SLOT_BYTES), slotBytes: max("slotBytes"), chunkBytes: max("chunkBytes") };
}

export interface ModdableDeviceOptions {
  /** Flash contents at power-on (settings). */
  store?: Record<string, string | number | boolean>;
  /** Build configuration: the modem profile and SMS mode go into the settings (see DeviceTrackerOptions). */
  tracker?: DeviceTrackerOptions;
  /** Reports progress (building the app, starting the runtime). */
  log?: (line: string) => void;
}

/** One pseudo-terminal pair: the firmware opens `devicePath`; we read and write the other end. */
class PtyLink {
  private socat: ChildProcess | undefined;
  private input: tty.ReadStream | undefined;
  private output: tty.WriteStream | undefined;

  constructor(
    readonly devicePath: string,
    private readonly hostPath: string,
  ) {}

  /** The end the host side opens (another program may open it once it is released). */
  get hostEnd(): string {
    return this.hostPath;
  }

  /**
   * Start socat and wait for both links; with `onData`, open the host end and read it (null: leave
   * the host end to another program).
   */
  async open(onData: ((bytes: Uint8Array) => void) | null): Promise<void> {
    rmSync(this.devicePath, { force: true });
    rmSync(this.hostPath, { force: true });
    const socat = spawn("socat", [`pty,raw,echo=0,link=${this.devicePath}`, `pty,raw,echo=0,link=${this.hostPath}`], { stdio: "ignore" });
    this.socat = socat;
    const startError = new Promise<never>((_, reject) => socat.on("error", (e) => reject(new Error(`socat: ${e.message} (install the Debian package socat)`))));
    await Promise.race([startError, waitFor(() => existsSync(this.devicePath) && existsSync(this.hostPath), START_LIMIT_MS, "socat's pseudo-terminals")]);
    if (onData) this.attach(onData);
  }

  /** Open the host end and read it. */
  private attach(onData: (bytes: Uint8Array) => void): void {
    const readFd = openSync(this.hostPath, constants.O_RDWR | constants.O_NOCTTY);
    const writeFd = openSync(this.hostPath, constants.O_RDWR | constants.O_NOCTTY);
    const input = new tty.ReadStream(readFd);
    input.setRawMode(true);
    input.on("data", (data: Buffer) => onData(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    input.on("error", () => {}); // EIO when the other side goes away
    this.input = input;
    const output = new tty.WriteStream(writeFd);
    output.on("error", () => {});
    this.output = output;
  }

  write(bytes: Uint8Array): void {
    this.output?.write(bytes);
  }

  /** Write and resolve once the bytes are in the tty (its buffer drained into the kernel). */
  writeDrained(bytes: Uint8Array): Promise<void> {
    const output = this.output;
    if (!output) return Promise.resolve();
    return new Promise((resolve) => {
      if (output.write(bytes)) resolve();
      else output.once("drain", () => resolve());
    });
  }

  /**
   * Close our host end and leave socat running, so another program can open it (a pty stays
   * linked when its last reader closes; socat keeps the pair).
   */
  release(): void {
    this.input?.destroy();
    this.output?.destroy();
    this.input = undefined;
    this.output = undefined;
  }

  close(): void {
    this.release();
    const socat = this.socat;
    if (socat && socat.exitCode === null && socat.signalCode === null) socat.kill("SIGTERM");
    this.socat = undefined;
  }
}

export class ModdableDevice implements TrackerDevice {
  readonly engineName = "moddable";
  readonly logs: LogLine[] = [];
  readonly faults: string[] = [];
  readonly pinWrites: PinWrite[] = [];
  readonly meters: StepMeter[] = [];
  /** Runtime-instrumentation samples logged by the firmware (heap, chunks, GC, stack). */
  readonly runtimeSamples: RuntimeSample[] = [];
  /** Everything the runtime printed that is not a log line (for diagnosis). */
  readonly console: string[] = [];
  state = "";
  gnssTx: ((bytes: Uint8Array) => void) | null = null;
  modemTx: ((bytes: Uint8Array) => void) | null = null;
  /** Where the firmware's provisioning-console output goes (set by the simulation's SimConsole). */
  consoleTx: ((bytes: Uint8Array) => void) | null = null;
  onLog: ((line: LogLine) => void) | null = null;
  onStateChange: ((state: string) => void) | null = null;
  onPin: ((pin: string, value: number) => void) | null = null;

  /** The device's folder: mcsim's working directory (ttys, preference file). */
  readonly folder: string;
  private readonly modem: PtyLink;
  private readonly gnss: PtyLink;
  /** The provisioning console (manifest lin config: console "on", consoleDevice "console.tty"). */
  private readonly consoleLink: PtyLink;
  /** True once the console's host end was handed to a host tool (releaseConsole). */
  private consoleReleased = false;
  private runtime: ChildProcess | undefined;
  private expectExit = false;
  private closed = false;
  private readonly progress: (line: string) => void;

  constructor(
    private readonly clock: VirtualClock,
    options: ModdableDeviceOptions = {},
  ) {
    if (!clock.followsWallClock) throw new Error("the moddable engine runs on real timers: its simulation clock must follow the wall clock");
    const t = options.tracker ?? {};
    if (t.installerOwnerNumber !== undefined) {
      throw new Error("the moddable engine runs one build: an installer owner number (a build option) cannot be given; provision the owner in flash instead");
    }
    this.progress = options.log ?? (() => {});
    this.folder = mkdtempSync(join(tmpdir(), "tracker-moddable-"));
    this.modem = new PtyLink(join(this.folder, "modem.tty"), join(this.folder, "modem-host.tty"));
    this.gnss = new PtyLink(join(this.folder, "gnss.tty"), join(this.folder, "gnss-host.tty"));
    this.consoleLink = new PtyLink(join(this.folder, "console.tty"), join(this.folder, "console-host.tty"));
    const image: Record<string, string | number | boolean> = { ...(options.store ?? {}) };
    if (t.modemProfile !== undefined || t.smsMode !== undefined) {
      provisionSettings(image, { ...(t.modemProfile ? { modemProfile: t.modemProfile } : {}), ...(t.smsMode ? { smsMode: t.smsMode } : {}) });
    }
    this.writeStore(image);
  }

  /** The flash as the firmware left it (the runtime's preference file, domain "tracker"). */
  get store(): Record<string, string | number | boolean> {
    const path = join(this.folder, "modpreferences.json");
    if (!existsSync(path)) return {};
    try {
      const all = JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, string | number | boolean>>;
      return { ...(all[STORE_DOMAIN] ?? {}) };
    } catch {
      return {};
    }
  }

  async boot(): Promise<void> {
    const app = await ensureLinApp(this.progress);
    await this.start(app);
  }

  async restart(): Promise<void> {
    this.stop();
    this.state = "";
    await this.boot();
  }

  receiveGnss(chunk: Uint8Array): void {
    this.gnss.write(chunk);
  }

  receiveModem(chunk: Uint8Array): void {
    this.modem.write(chunk);
  }

  /** Bytes typed on the provisioning console (refused once the console was released to a host tool). */
  receiveConsole(chunk: Uint8Array): void {
    if (this.consoleReleased) throw new Error("the console was released to a host tool (releaseConsole): type on its port instead");
    this.consoleLink.write(chunk);
  }

  /**
   * Hand the console's pseudo-terminal to a host tool: the simulation stops reading and writing it
   * (sim.console then sees nothing more) and the path of its host end is returned, for
   * `tracker provision --port <path>` and the like. It stays released across restarts.
   */
  releaseConsole(): string {
    this.consoleReleased = true;
    this.consoleLink.release();
    return this.consoleLink.hostEnd;
  }

  /**
   * Put a long GNSS recording on the receiver's tty as fast as the firmware takes it (the tty's
   * flow, not the baud rate: an hour of NMEA in seconds), `pieceBytes` at a time. Resolves once
   * the last bytes are in the tty.
   */
  async replayGnss(bytes: Uint8Array, pieceBytes = 4096): Promise<void> {
    for (let at = 0; at < bytes.length; at += pieceBytes) await this.gnss.writeDrained(bytes.subarray(at, at + pieceBytes));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    rmSync(this.folder, { recursive: true, force: true });
  }

  private writeStore(values: Record<string, string | number | boolean>): void {
    writeFileSync(join(this.folder, "modpreferences.json"), JSON.stringify({ [STORE_DOMAIN]: values }));
  }

  private async start(app: string): Promise<void> {
    const sdk = findModdableSdk(this.progress);
    await this.modem.open((bytes) => this.clock.at(this.clock.nowMs, () => this.modemTx?.(bytes)));
    await this.gnss.open((bytes) => this.clock.at(this.clock.nowMs, () => this.gnssTx?.(bytes)));
    await this.consoleLink.open(this.consoleReleased ? null : (bytes) => this.clock.at(this.clock.nowMs, () => this.consoleTx?.(bytes)));
    this.expectExit = false;
    const runtime = spawn("xvfb-run", ["-a", "stdbuf", "-oL", "-eL", `${sdk.bin}/mcsim`, app], {
      cwd: this.folder,
      env: sdk.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    this.runtime = runtime;
    let pending = "";
    let received = 0;
    const onText = (data: Buffer) => {
      received += data.length;
      pending += data.toString("latin1");
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, "");
        pending = pending.slice(nl + 1);
        this.clock.at(this.clock.nowMs, () => this.onConsoleLine(line));
      }
    };
    runtime.stdout!.on("data", onText);
    runtime.stderr!.on("data", onText);
    runtime.on("error", (e) => this.faults.push(`mcsim could not start: ${e.message} (install the Debian packages xvfb and libgtk-3-dev)`));
    runtime.on("exit", (code, signal) => {
      if (!this.expectExit) this.faults.push(`the Moddable runtime exited (code ${code}, signal ${signal})`);
    });
    // (its lines are handled on the clock, which runs once boot() has returned)
    const started = Date.now();
    await waitFor(() => received > 0 || runtime.exitCode !== null, START_LIMIT_MS, "the Moddable runtime's first output");
    this.progress(`the Moddable runtime started in ${Date.now() - started} ms (${this.folder})`);
  }

  /** Stop the runtime and the ttys (the folder and its preference file stay). */
  private stop(): void {
    this.expectExit = true;
    const runtime = this.runtime;
    if (runtime?.pid !== undefined && runtime.exitCode === null) {
      try {
        process.kill(-runtime.pid, "SIGKILL"); // the whole group: xvfb-run, Xvfb, mcsim
      } catch {
        // already gone
      }
    }
    this.runtime = undefined;
    this.modem.close();
    this.gnss.close();
    this.consoleLink.close();
  }

  private onConsoleLine(text: string): void {
    if (text.startsWith("XS abort") || text.startsWith("# Break") || /unhandled exception/.test(text)) {
      this.faults.push(text);
      return;
    }
    const m = LOG_LINE.exec(text);
    if (!m) {
      if (text.trim() !== "") this.console.push(text);
      return;
    }
    const [, tag = "", level = "", message = ""] = m;
    const atMs = this.clock.nowMs;
    if (tag === "pin") {
      const p = PIN_LINE.exec(message);
      const pin = p ? PIN_NAMES[Number(p[1])] : undefined;
      if (p && pin) {
        const value = Number(p[2]);
        this.pinWrites.push({ atMs, pin, value });
        this.onPin?.(pin, value);
      }
      return;
    }
    if (tag === "diag") {
      const values: Record<string, number> = {};
      for (const [, key = "", value = ""] of message.matchAll(/(\w+) (-?\d+)/g)) values[key] = Number(value);
      this.runtimeSamples.push({ atMs, values });
    }
    const line: LogLine = { atMs, level, tag, message };
    this.logs.push(line);
    // an exception escaping the firmware's UART handler (the serial adapter catches and logs it)
    if (level === "error" && tag.startsWith("uart") && /threw/.test(message)) this.faults.push(`[${tag}] ${message}`);
    this.onLog?.(line);
    if (tag === "app") {
      const s = STATE_LINE.exec(message);
      if (s && s[1]) {
        this.state = s[1];
        this.onStateChange?.(this.state);
      }
    }
  }
}

/** Resolve once `condition()` holds (polled every 20 ms), reject after `limitMs`. */
function waitFor(condition: () => boolean, limitMs: number, what: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() - started > limitMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

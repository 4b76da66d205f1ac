/**
 * Virtual GNSS receiver: writes one NMEA epoch per second to a UART wire, driven by the virtual
 * clock. The source is either a generated drive (DrivePlan → RMC, VTG, GGA, GSA ×2, GSV groups, as a
 * u-blox M8/M9 in GPS+GLONASS mode sends them; with `sky: "changing"`, the full multi-GNSS output of
 * a moving sky: RMC, VTG, GGA, GSA ×3, GSV for GPS, GLONASS and Galileo, GLL, ZDA, about 14
 * sentences) or a recorded NMEA log replayed epoch by epoch.
 */
import { readFileSync } from "node:fs";
import type { EventHandle, VirtualClock } from "../clock.ts";
import { Random } from "../random.ts";
import type { UartWire } from "../uart.ts";
import { EARTH_RADIUS_M, type DrivePlan, type TruthState, skyOpenAt, truthAt } from "./drive.ts";
import { type GsvSatellite, type NmeaPosition, NMEA_EOL, buildGga, buildGll, buildGsa, buildGsvGroup, buildRmc, buildVtg, buildZda } from "./nmea-format.ts";
import { skyAt } from "./sky.ts";
import { EpochPrefetch, prefetchAllowed } from "./epoch-prefetch.ts";
import { ReceiverErrors, type ReceiverErrorProfile } from "./receiver-errors.ts";

/** One receiver epoch of a recording: its lines in order, without line endings. */
export interface NmeaEpoch {
  lines: string[];
  /** `hhmmss` of the RMC/GGA that opened or joined this epoch; undefined when none had a time. */
  timeKey: string | undefined;
}

/** An NMEA log split into epochs, ready for {@link VirtualGnss} playback. */
export interface NmeaRecording {
  kind: "nmea";
  /** Where it came from (file path or a label). */
  name: string;
  epochs: NmeaEpoch[];
  /** Sentence lines kept (comments and blank lines excluded). */
  lineCount: number;
}

const TIMED_SENTENCE = /^\$+[A-Z]{2}(?:RMC|GGA),(\d{6})/;

/**
 * Split NMEA log text into epochs: a new epoch starts when the `hhmmss` time of an RMC or GGA (any
 * talker, `$$` prefix accepted)
 * differs from the current epoch's; other lines (and RMC/GGA with an empty time) stay with the
 * current epoch. Lines starting with `#` and blank lines are skipped; CR LF or LF endings.
 * Characters are kept as they are (decode bytes as latin1 to keep them 1:1). Never throws.
 */
export function parseNmeaLog(text: string, name = "nmea"): NmeaRecording {
  const epochs: NmeaEpoch[] = [];
  let current: NmeaEpoch | undefined;
  let lineCount = 0;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.length === 0 || line.startsWith("#")) continue;
    lineCount++;
    const key = TIMED_SENTENCE.exec(line)?.[1];
    if (!current || (key !== undefined && current.timeKey !== undefined && key !== current.timeKey)) {
      current = { lines: [], timeKey: key };
      epochs.push(current);
    } else if (key !== undefined && current.timeKey === undefined) {
      current.timeKey = key;
    }
    current.lines.push(line);
  }
  return { kind: "nmea", name, epochs, lineCount };
}

/** Read an NMEA log file (bytes kept 1:1 via latin1) and split it into epochs; throws if unreadable. */
export function loadNmeaFile(path: string): NmeaRecording {
  return parseNmeaLog(readFileSync(path).toString("latin1"), path);
}

export type GnssSource = DrivePlan | NmeaRecording;

/** True when `source` is a recording (from {@link loadNmeaFile} / {@link parseNmeaLog}) rather than a drive plan. */
export function isRecording(source: GnssSource): source is NmeaRecording {
  return (source as Partial<NmeaRecording>).kind === "nmea";
}

export interface VirtualGnssOptions {
  /** Satellites used in the fix (GGA numSV), 0..24. Default 10. */
  satellites?: number;
  /** Horizontal dilution of precision with a fix. Default 0.9 (VDOP = 1.5·HDOP, PDOP from both). */
  hdop?: number;
  /** Altitude above mean sea level, metres. Default 25. */
  altitudeM?: number;
  /** Geoid separation, metres. Default −32 (San Jose). */
  geoidSepM?: number;
  /** Seed of the sky model (satellite positions, C/N0 jitter). Default 1. */
  seed?: number;
  /** Recording sources only: start again from the first epoch after the last. Default false. */
  loop?: boolean;
  /** Called after each epoch is written, with its lines (no line endings) and the clock time. */
  onEpoch?: (lines: readonly string[], clockMs: number) => void;
  /**
   * Drive sources: the receiver's errors (receiver-errors.ts: OPEN_SKY, URBAN_CANYON): a wandering
   * position, HDOP jumps, multipath spikes. Default none: the truth exactly, at `hdop`.
   */
  errors?: ReceiverErrorProfile;
  /**
   * Drive sources: "fixed" (default): 18 satellites of GPS and GLONASS that never move, and the
   * compact output above; "changing": the sky of sky.ts (three constellations rising and setting,
   * C/N0 and DOPs moving every second) and the full output, about 14 sentences and 1 KB an epoch.
   */
  sky?: "fixed" | "changing";
  /**
   * Drive sources under the changing sky, without errors: once a run is PREFETCH_AFTER_EPOCHS
   * long, make the epochs ahead on a worker thread (epoch-prefetch.ts; the same bytes). Default true
   * (unless the environment turns it off: PREFETCH_ENV).
   */
  prefetch?: boolean;
}

/**
 * Epochs a run sends before its next epochs are made ahead on a worker thread (the shortest runs
 * never start one). Early, so that the worker's startup (about half a second) overlaps the boot.
 */
export const PREFETCH_AFTER_EPOCHS = 30;

interface SkySat {
  svid: number;
  gps: boolean;
  elevationDeg: number;
  azimuthDeg: number;
  baseCno: number;
}

export class VirtualGnss {
  private readonly satellites: number;
  private readonly hdop: number;
  private readonly altitudeM: number;
  private readonly geoidSepM: number;
  private readonly loop: boolean;
  private readonly random: Random;
  private readonly sky: SkySat[];
  /** The receiver's errors, when a profile is given. */
  readonly errors: ReceiverErrors | undefined;
  private timer: EventHandle | undefined;
  private originMs: number | undefined;
  private signalLost = false;
  private fileIndex = 0;
  private sent = 0;
  private bytes = 0;
  /** The last epoch's lines, or undefined while only its bytes are known (`lastBytes`, made ahead). */
  private last: readonly string[] | undefined = [];
  private lastBytes: Uint8Array = new Uint8Array(0);
  /** The worker making epochs ahead, once started (see VirtualGnssOptions.prefetch). */
  private prefetch: EpochPrefetch | undefined;
  /**
   * Receiver trouble (host-sim/faults/gnss-faults.ts): rewrites an epoch's sentences before they
   * are sent (a poor-HDOP fix, a spoofed position, a week-rollover date). Null: as generated.
   */
  tamper: ((lines: string[]) => string[]) | null = null;

  /**
   * `clock` schedules the epochs, `wire` carries the bytes (it applies the baud rate), `source` is a
   * drive plan or a recording from {@link loadNmeaFile}. Nothing happens until {@link start}.
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly wire: UartWire,
    private readonly source: GnssSource,
    private readonly options: VirtualGnssOptions = {},
  ) {
    this.satellites = Math.max(0, Math.min(24, Math.round(options.satellites ?? 10)));
    this.hdop = options.hdop ?? 0.9;
    this.altitudeM = options.altitudeM ?? 25;
    this.geoidSepM = options.geoidSepM ?? -32;
    this.loop = options.loop ?? false;
    this.random = new Random(options.seed ?? 1);
    this.sky = makeSky(this.random, Math.max(18, this.satellites + 2));
    this.errors = options.errors ? new ReceiverErrors(options.errors, (options.seed ?? 1) + 7) : undefined;
  }

  /**
   * Start emitting, one epoch at every whole second of the clock from now (the first at now when now
   * is a whole second). The first start fixes the drive's t = 0 at that first epoch. No-op if running.
   */
  start(): void {
    if (this.timer) return;
    const firstMs = Math.ceil(this.clock.nowMs / 1000) * 1000;
    if (this.originMs === undefined) this.originMs = firstMs;
    this.timer = this.clock.at(firstMs, () => this.tick());
  }

  /** Stop emitting (bytes already on the wire still arrive). Start again resumes the same drive/recording. */
  stop(): void {
    this.clock.cancel(this.timer);
    this.timer = undefined;
  }

  /** True while epochs are scheduled. A non-looping recording stops by itself after its last epoch. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Drive sources: the clock time of the drive's t = 0 (the first epoch); undefined before the first start. */
  get driveOriginMs(): number | undefined {
    return this.originMs;
  }

  /** True while the sky is taken away by hand (setSignalLost; a plan's `sky: "none"` legs are not counted). */
  get isSignalLost(): boolean {
    return this.signalLost;
  }

  /** Simulate losing the sky (tunnel, garage): status V and empty fields until set false. Drive sources only. */
  setSignalLost(lost: boolean): void {
    this.signalLost = lost;
  }

  /** Epochs written so far. */
  get epochsSent(): number {
    return this.sent;
  }

  /** Bytes written to the wire so far. */
  get bytesSent(): number {
    return this.bytes;
  }

  /** Lines of the last epoch written (no line endings). */
  get lastEpoch(): readonly string[] {
    if (this.last === undefined) this.last = linesOf(this.lastBytes);
    return this.last;
  }

  /** Epochs taken from the worker that makes them ahead, and made here while it was running (0 and 0 without one). */
  get prefetchCounts(): { hits: number; misses: number } {
    return { hits: this.prefetch?.hits ?? 0, misses: this.prefetch?.misses ?? 0 };
  }

  /** The worker that makes epochs ahead, once started (for tests: its `ready`, its thread). */
  get prefetchWorker(): EpochPrefetch | undefined {
    return this.prefetch;
  }

  /** Stop emitting and end the worker that makes epochs ahead, if any. */
  close(): void {
    this.stop();
    this.prefetch?.close();
    this.prefetch = undefined;
  }

  /** Drive sources: the true state at the clock's current time (t = 0 at the first epoch). Undefined for recordings. */
  truth(): TruthState | undefined {
    if (isRecording(this.source)) return undefined;
    return truthAt(this.source, this.clock.nowMs - (this.originMs ?? this.clock.nowMs));
  }

  /** The lines a drive source produces at `tMs` after plan start (advances the C/N0 jitter generator). Throws TypeError for recordings. */
  epochAt(tMs: number): string[] {
    if (isRecording(this.source)) throw new TypeError("epochAt() needs a drive source");
    return this.driveEpoch(this.source, tMs);
  }

  private tick(): void {
    const ahead = this.madeAhead();
    let data: Uint8Array;
    let lines: readonly string[] | undefined;
    if (ahead) {
      data = ahead;
    } else {
      const generated = this.nextEpoch();
      if (generated === undefined) {
        this.timer = undefined;
        return;
      }
      lines = this.tamper ? this.tamper(generated.slice()) : generated;
      data = Buffer.from(lines.join(NMEA_EOL) + NMEA_EOL, "latin1");
    }
    this.wire.write(data);
    this.sent++;
    this.bytes += data.length;
    this.last = lines;
    if (!lines) this.lastBytes = data.slice();
    this.timer = this.clock.at(this.clock.nowMs + 1000, () => this.tick());
    if (this.options.onEpoch) this.options.onEpoch(this.lastEpoch, this.clock.nowMs);
  }

  /**
   * This tick's epoch as made ahead on the worker thread, when it can be (a drive under the changing
   * sky, no errors, the sky not taken away by hand, no tamper) and is there; starts the worker once
   * the run is long enough. Undefined: make it here.
   */
  private madeAhead(): Uint8Array | undefined {
    const source = this.source;
    if (isRecording(source) || this.options.sky !== "changing" || this.options.prefetch === false) return undefined;
    if (this.errors || this.signalLost || this.tamper) return undefined;
    const index = (this.clock.nowMs - (this.originMs ?? 0)) / 1000;
    if (!this.prefetch) {
      if (this.sent < PREFETCH_AFTER_EPOCHS || !prefetchAllowed()) return undefined;
      const { onEpoch: _onEpoch, errors: _errors, ...plain } = this.options;
      this.prefetch = new EpochPrefetch(source, plain, index + 1);
      return undefined;
    }
    return this.prefetch.take(index);
  }

  private nextEpoch(): string[] | undefined {
    const source = this.source;
    if (isRecording(source)) {
      if (this.fileIndex >= source.epochs.length) {
        if (!this.loop || source.epochs.length === 0) return undefined;
        this.fileIndex = 0;
      }
      return source.epochs[this.fileIndex++]!.lines;
    }
    return this.driveEpoch(source, this.clock.nowMs - (this.originMs ?? 0));
  }

  private driveEpoch(plan: DrivePlan, tMs: number): string[] {
    const truth = truthAt(plan, tMs);
    const coldMs = plan.coldStartS * 1000;
    // During a cold start the receiver learns UTC about half-way through, and satellites appear one by one.
    const timeKnown = tMs >= coldMs / 2;
    const utcMs = timeKnown ? truth.utcMs : undefined;
    // no sky: set by hand (setSignalLost) or by the plan (a tunnel or garage leg)
    const lost = this.signalLost || !skyOpenAt(plan, tMs);
    const hasFix = truth.hasFix && !lost;
    // the receiver's errors move the reported position off the truth (and its HDOP, and a parked speed)
    const error = hasFix ? this.errors?.next() : undefined;
    const latDeg = truth.latDeg + (error ? (error.northM / EARTH_RADIUS_M) * (180 / Math.PI) : 0);
    const lonDeg = truth.lonDeg + (error ? (error.eastM / (EARTH_RADIUS_M * Math.cos((truth.latDeg * Math.PI) / 180))) * (180 / Math.PI) : 0);
    const speedKmh = error && !truth.moving ? error.parkedSpeedKmh : truth.speedKmh;
    const position = hasFix
      ? { latDeg, lonDeg, speedKmh, courseDeg: truth.moving ? truth.courseDeg : undefined }
      : undefined;
    if (this.options.sky === "changing") return this.changingSkyEpoch(tMs, utcMs, position, lost, error?.hdop);
    const visible = lost || tMs >= coldMs ? this.sky.length : Math.floor((this.sky.length * Math.max(0, tMs)) / coldMs);
    const sats: (GsvSatellite & { gps: boolean })[] = [];
    const cnos = new Map<number, number>();
    for (const s of this.sky.slice(0, visible)) {
      const cno = lost ? undefined : Math.round(s.baseCno + (this.random.next() - 0.5) * 3);
      if (cno !== undefined) cnos.set(s.svid, cno);
      sats.push({ svid: s.svid, elevationDeg: s.elevationDeg, azimuthDeg: s.azimuthDeg, cnoDbHz: cno, gps: s.gps });
    }
    sats.sort((a, b) => a.svid - b.svid);
    const used = hasFix
      ? [...cnos.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, this.satellites).map(([svid]) => svid).sort((a, b) => a - b)
      : [];
    const hdop = error?.hdop ?? this.hdop;
    const vdop = hdop * 1.5;
    const pdop = Math.hypot(hdop, vdop);
    const dops = hasFix ? { pdop, hdop, vdop } : {};
    const fixType = hasFix ? 3 : 1;
    return [
      buildRmc({ utcMs, fix: position }),
      buildVtg({ fix: position }),
      buildGga({
        utcMs,
        numSv: used.length,
        fix: hasFix ? { latDeg, lonDeg, altitudeM: this.altitudeM, geoidSepM: this.geoidSepM, hdop } : undefined,
      }),
      buildGsa({ fixType, svids: used.filter((id) => id <= 32), systemId: 1, ...dops }),
      buildGsa({ fixType, svids: used.filter((id) => id > 64), systemId: 2, ...dops }),
      ...buildGsvGroup(sats.filter((s) => s.gps), "GP", 1),
      ...buildGsvGroup(sats.filter((s) => !s.gps), "GL", 1),
    ];
  }

  /**
   * The full output under the changing sky of sky.ts at `tMs`: without the sky (lost) the satellites
   * are listed without C/N0 and none is used; during the cold start none is used either.
   */
  private changingSkyEpoch(tMs: number, utcMs: number | undefined, position: NmeaPosition | undefined, lost: boolean, errorHdop: number | undefined): string[] {
    const sky = skyAt(Math.floor(tMs / 1000));
    const hdop = errorHdop ?? sky.hdop;
    // GSA: the fix type, the satellites used and the DOPs, all empty without a fix
    const pdop = position ? Math.hypot(hdop, sky.vdop) : undefined;
    const gsaHdop = position ? hdop : undefined;
    const vdop = position ? sky.vdop : undefined;
    const fixType = position ? 3 : 1;
    const numSv = position ? sky.gps.used.length + sky.glonass.used.length + sky.galileo.used.length : 0;
    const fix = position ? { latDeg: position.latDeg, lonDeg: position.lonDeg, altitudeM: this.altitudeM, geoidSepM: this.geoidSepM, hdop } : undefined;
    return [
      buildRmc({ utcMs, fix: position }),
      buildVtg({ fix: position }),
      buildGga({ utcMs, numSv, fix }),
      buildGsa({ fixType, svids: position ? sky.gps.used : NO_SATELLITES, systemId: 1, pdop, hdop: gsaHdop, vdop }),
      buildGsa({ fixType, svids: position ? sky.glonass.used : NO_SATELLITES, systemId: 2, pdop, hdop: gsaHdop, vdop }),
      buildGsa({ fixType, svids: position ? sky.galileo.used : NO_SATELLITES, systemId: 3, pdop, hdop: gsaHdop, vdop }),
      ...buildGsvGroup(lost ? withoutSignal(sky.gps.inView) : sky.gps.inView, "GP", 1),
      ...buildGsvGroup(lost ? withoutSignal(sky.glonass.inView) : sky.glonass.inView, "GL", 1),
      ...buildGsvGroup(lost ? withoutSignal(sky.galileo.inView) : sky.galileo.inView, "GA", 7),
      buildGll({ utcMs, fix: position }),
      buildZda(utcMs),
    ];
  }
}

const NO_SATELLITES: readonly number[] = Object.freeze([]);

/** The lines of an epoch's bytes (latin1, CR LF after each). */
function linesOf(bytes: Uint8Array): string[] {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1").split(NMEA_EOL);
  lines.pop();
  return lines;
}

/** Satellites listed in view but not received (no C/N0): the receiver under a roof. */
function withoutSignal(list: readonly GsvSatellite[]): GsvSatellite[] {
  return list.map((s) => ({ svid: s.svid, elevationDeg: s.elevationDeg, azimuthDeg: s.azimuthDeg, cnoDbHz: undefined }));
}

/** A fixed sky of `count` satellites (60 % GPS, the rest GLONASS), strongest first in visibility order. */
function makeSky(random: Random, count: number): SkySat[] {
  const gpsCount = Math.ceil(count * 0.6);
  const pick = (pool: number[], n: number): number[] => {
    const p = pool.slice();
    const out: number[] = [];
    while (out.length < n && p.length > 0) out.push(p.splice(random.int(0, p.length - 1), 1)[0]!);
    return out.sort((a, b) => a - b);
  };
  const gps = pick(Array.from({ length: 32 }, (_, i) => i + 1), gpsCount);
  const glo = pick(Array.from({ length: 24 }, (_, i) => i + 65), count - gpsCount);
  const sats: SkySat[] = [...gps, ...glo].map((svid) => {
    const elevationDeg = random.int(5, 85);
    return { svid, gps: svid <= 32, elevationDeg, azimuthDeg: random.int(0, 359), baseCno: 18 + elevationDeg / 3 + random.int(0, 6) };
  });
  // Acquisition order during a cold start: highest elevation first.
  return sats.sort((a, b) => b.elevationDeg - a.elevationDeg);
}

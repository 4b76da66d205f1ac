/**
 * GNSS receiver front end: UART bytes → lines → RMC/GGA → one merged Fix per epoch.
 *
 * Epoch merge: RMC and GGA with the same UTC time of day belong to one epoch. The merged Fix is
 * published as soon as both have arrived, or when a sentence with another time starts the next epoch
 * (then the previous epoch is published with whatever it had: RMC-only receivers publish one epoch
 * late), or on `flush()`. Sentences whose (known) time equals the epoch just published are ignored
 * and counted (`duplicateSentences`: e.g. GPGGA and GNGGA of the same epoch). A receiver whose time
 * stops advancing therefore stops publishing: judge staleness by `Fix.receivedAtMs`.
 *
 * Validity: RMC status A with a mode other than N (not valid), E (estimated), M (manual) or
 * S (simulator); GGA quality 1-5 (6 dead reckoning, 7 manual, 8 simulator are quality Estimated and
 * not valid). When both are present they must agree (a disagreement publishes valid=false), and a
 * valid Fix always has a known latitude and longitude.
 *
 * Date: from the RMC date (2000 + yy; no GPS week-rollover repair here). An epoch without an RMC
 * date (GGA-only) uses the last known date and moves it across midnight: when its time of day is
 * more than 12 h earlier than the last dated epoch's, the date advances one day (23:59:59 → 00:00:00);
 * more than 12 h later, it goes back one day (a late GGA from before midnight). Before any date is
 * known, `utcMs` is NaN.
 *
 * Allocation: parsing and merging reuse preallocated records; only the published Fix (one frozen
 * object per epoch) is allocated.
 */
import type { Clock, Logger } from "../platform/ports";
import { FixQuality, type Fix } from "./fix";
import { NmeaLineReader, NMEA_LINE_CAPACITY_BYTES } from "./nmea-line-reader";
import { NmeaChar, NmeaParser, SentenceType } from "./nmea-parser";

const MS_PER_DAY = 86_400_000;
const HALF_DAY_MS = 43_200_000;

/** Working record of the epoch being merged (reused). */
class Epoch {
  timeOfDayMs = NaN;
  hasRmc = false;
  hasGga = false;
  // from RMC
  status = 0;
  mode = 0;
  rmcLatitudeDeg = NaN;
  rmcLongitudeDeg = NaN;
  speedKmh = NaN;
  courseDeg = NaN;
  dateMs = NaN;
  // from GGA
  ggaQuality = -1;
  ggaLatitudeDeg = NaN;
  ggaLongitudeDeg = NaN;
  satellites = -1;
  hdop = NaN;
  altitudeM = NaN;

  clear(): void {
    this.timeOfDayMs = NaN;
    this.hasRmc = false;
    this.hasGga = false;
  }
}

/** Both unknown, or equal. */
function sameTime(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/** GGA quality 0..8 → FixQuality. */
function qualityFromGga(quality: number): FixQuality {
  switch (quality) {
    case 1:
    case 3: // PPS fix: a GNSS position
      return FixQuality.Gnss;
    case 2:
      return FixQuality.Differential;
    case 4:
    case 5:
      return FixQuality.Rtk;
    case 6:
    case 7:
    case 8:
      return FixQuality.Estimated;
    default:
      return FixQuality.None;
  }
}

/** RMC status + FAA mode → FixQuality. */
function qualityFromRmc(status: number, mode: number): FixQuality {
  switch (mode) {
    case NmeaChar.A:
    case NmeaChar.P:
      return FixQuality.Gnss;
    case NmeaChar.D:
      return FixQuality.Differential;
    case NmeaChar.R:
    case NmeaChar.F:
      return FixQuality.Rtk;
    case NmeaChar.E:
    case NmeaChar.M:
    case NmeaChar.S:
      return FixQuality.Estimated;
    case NmeaChar.N:
      return FixQuality.None;
    default:
      return status === NmeaChar.A ? FixQuality.Gnss : FixQuality.None;
  }
}

function rmcSaysValid(status: number, mode: number): boolean {
  return (
    status === NmeaChar.A && mode !== NmeaChar.N && mode !== NmeaChar.E && mode !== NmeaChar.M && mode !== NmeaChar.S
  );
}

function ggaSaysValid(quality: number): boolean {
  return quality >= 1 && quality <= 5;
}

/** Snapshot of the receiver's counters (allocated per call: for status reports, not per sentence). */
export interface GnssCounters {
  /** Complete lines assembled. */
  lines: number;
  /** Lines dropped for exceeding the line buffer. */
  overlongLines: number;
  /** Partial lines dropped (resync on '$', non-printable byte). */
  droppedPartials: number;
  /** Bytes ignored between lines. */
  junkBytes: number;
  /** RMC sentences accepted. */
  rmcSentences: number;
  /** GGA sentences accepted. */
  ggaSentences: number;
  /** Other sentence types skipped. */
  otherSentences: number;
  /** Sentences with a wrong checksum. */
  checksumErrors: number;
  /** RMC/GGA without checksum, rejected. */
  missingChecksum: number;
  /** Lines with bad framing or unparseable RMC/GGA fields. */
  malformed: number;
  /** RMC with an invalid date field (kept, date unknown). */
  badDates: number;
  /** Out-of-range coordinates (kept, position unknown). */
  badCoordinates: number;
  /** Sentences repeating the time of the epoch just published, ignored. */
  duplicateSentences: number;
  /** Fix objects published. */
  fixesPublished: number;
  /** Exceptions thrown by onFix (caught and logged). */
  callbackErrors: number;
}

/**
 * Turns the GNSS UART byte stream into merged, validated Fix objects. Feed it every received chunk;
 * never throws (exceptions from `onFix` are caught, counted and logged).
 */
export class GnssReceiver {
  /** Called once per published epoch (about once a second) with a fresh frozen Fix. */
  onFix: ((fix: Fix) => void) | null = null;
  /** The line assembler (its counters: lines, overlongLines, droppedPartials, junkBytes). */
  readonly reader: NmeaLineReader;
  /** The sentence parser (its counters: rmcSentences, ggaSentences, otherSentences, checksumErrors, ...). */
  readonly parser = new NmeaParser();
  /** Sentences repeating the time of the epoch just published, ignored. */
  duplicateSentences = 0;
  /** Fix objects published. */
  fixesPublished = 0;
  /** Exceptions thrown by onFix (caught). */
  callbackErrors = 0;

  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #epoch = new Epoch();
  #lastPublishedTimeOfDayMs = NaN;
  #lastDateMs = NaN;
  #lastDatedTimeOfDayMs = NaN;
  #latest: Fix | undefined = undefined;
  #lastValid: Fix | undefined = undefined;

  /**
   * @param clock monotonic time source for `Fix.receivedAtMs`
   * @param log sink for fix acquired / lost transitions (tag `gnss`, never coordinates)
   * @param lineCapacityBytes line buffer size (default 256)
   */
  constructor(clock: Clock, log: Logger, lineCapacityBytes: number = NMEA_LINE_CAPACITY_BYTES) {
    this.#clock = clock;
    this.#log = log;
    this.reader = new NmeaLineReader(lineCapacityBytes);
    this.reader.onLine = (line, length) => this.#onLine(line, length);
  }

  /** Consume bytes received from the GNSS UART (any chunking). */
  feed(chunk: Uint8Array): void {
    this.reader.feed(chunk);
  }

  /** Publish the epoch being merged now, if any (e.g. from a timer, for RMC-only receivers). */
  flush(): void {
    const epoch = this.#epoch;
    if (epoch.hasRmc || epoch.hasGga) this.#publish();
  }

  /** The last published Fix, valid or not; undefined before the first epoch. */
  latest(): Fix | undefined {
    return this.#latest;
  }

  /** The last published Fix with valid = true; undefined if none yet. */
  lastValid(): Fix | undefined {
    return this.#lastValid;
  }

  /** Snapshot of all counters (reader, parser, receiver). */
  counters(): GnssCounters {
    const r = this.reader;
    const p = this.parser;
    return {
      lines: r.lines,
      overlongLines: r.overlongLines,
      droppedPartials: r.droppedPartials,
      junkBytes: r.junkBytes,
      rmcSentences: p.rmcSentences,
      ggaSentences: p.ggaSentences,
      otherSentences: p.otherSentences,
      checksumErrors: p.checksumErrors,
      missingChecksum: p.missingChecksum,
      malformed: p.malformed,
      badDates: p.badDates,
      badCoordinates: p.badCoordinates,
      duplicateSentences: this.duplicateSentences,
      fixesPublished: this.fixesPublished,
      callbackErrors: this.callbackErrors,
    };
  }

  #onLine(line: Uint8Array, length: number): void {
    const parser = this.parser;
    const type = parser.parse(line, length);
    if (type !== SentenceType.Rmc && type !== SentenceType.Gga) return;
    const isRmc = type === SentenceType.Rmc;
    const timeOfDayMs = isRmc ? parser.rmc.timeOfDayMs : parser.gga.timeOfDayMs;
    const epoch = this.#epoch;
    const pending = epoch.hasRmc || epoch.hasGga;
    if (pending && !sameTime(epoch.timeOfDayMs, timeOfDayMs)) {
      this.#publish();
    }
    if (!(epoch.hasRmc || epoch.hasGga) && timeOfDayMs === this.#lastPublishedTimeOfDayMs) {
      this.duplicateSentences++;
      return;
    }
    epoch.timeOfDayMs = timeOfDayMs;
    if (isRmc) {
      const r = parser.rmc;
      epoch.hasRmc = true;
      epoch.status = r.status;
      epoch.mode = r.mode;
      epoch.rmcLatitudeDeg = r.latitudeDeg;
      epoch.rmcLongitudeDeg = r.longitudeDeg;
      epoch.speedKmh = r.speedKmh;
      epoch.courseDeg = r.courseDeg;
      epoch.dateMs = r.dateMs;
    } else {
      const g = parser.gga;
      epoch.hasGga = true;
      epoch.ggaQuality = g.quality;
      epoch.ggaLatitudeDeg = g.latitudeDeg;
      epoch.ggaLongitudeDeg = g.longitudeDeg;
      epoch.satellites = g.satellites;
      epoch.hdop = g.hdop;
      epoch.altitudeM = g.altitudeM;
    }
    if (epoch.hasRmc && epoch.hasGga) this.#publish();
  }

  /** Build, store and deliver the Fix of the pending epoch, then clear it. */
  #publish(): void {
    const e = this.#epoch;
    const hasRmc = e.hasRmc;
    const hasGga = e.hasGga;
    const ggaKnown = hasGga && e.ggaQuality >= 0;

    let latitudeDeg = hasRmc ? e.rmcLatitudeDeg : NaN;
    let longitudeDeg = hasRmc ? e.rmcLongitudeDeg : NaN;
    if (!(latitudeDeg === latitudeDeg && longitudeDeg === longitudeDeg) && hasGga) {
      latitudeDeg = e.ggaLatitudeDeg;
      longitudeDeg = e.ggaLongitudeDeg;
    }
    const quality = ggaKnown ? qualityFromGga(e.ggaQuality) : hasRmc ? qualityFromRmc(e.status, e.mode) : FixQuality.None;
    let valid = (hasRmc || ggaKnown) && latitudeDeg === latitudeDeg && longitudeDeg === longitudeDeg;
    if (hasRmc && !rmcSaysValid(e.status, e.mode)) valid = false;
    if (ggaKnown && !ggaSaysValid(e.ggaQuality)) valid = false;

    // Date: RMC, else the last known date carried across midnight.
    const timeOfDayMs = e.timeOfDayMs;
    let dateMs = hasRmc ? e.dateMs : NaN;
    if (timeOfDayMs === timeOfDayMs) {
      if (dateMs !== dateMs && this.#lastDateMs === this.#lastDateMs) {
        dateMs = this.#lastDateMs;
        const previous = this.#lastDatedTimeOfDayMs;
        if (timeOfDayMs < previous - HALF_DAY_MS) dateMs += MS_PER_DAY;
        else if (timeOfDayMs > previous + HALF_DAY_MS) dateMs -= MS_PER_DAY;
      }
      if (dateMs === dateMs) {
        this.#lastDateMs = dateMs;
        this.#lastDatedTimeOfDayMs = timeOfDayMs;
      }
    }
    const utcMs = dateMs + timeOfDayMs; // NaN if either is unknown

    const fix: Fix = Object.freeze({
      valid,
      latitudeDeg,
      longitudeDeg,
      altitudeM: hasGga ? e.altitudeM : NaN,
      speedKmh: hasRmc ? e.speedKmh : NaN,
      courseDeg: hasRmc ? e.courseDeg : NaN,
      quality,
      satellites: hasGga ? e.satellites : -1,
      hdop: hasGga ? e.hdop : NaN,
      utcMs,
      receivedAtMs: this.#clock.monotonicMs(),
    });

    this.#lastPublishedTimeOfDayMs = timeOfDayMs;
    e.clear();
    const wasValid = this.#latest !== undefined && this.#latest.valid;
    this.#latest = fix;
    if (valid) this.#lastValid = fix;
    this.fixesPublished++;
    if (valid !== wasValid && (valid || this.#lastValid !== undefined)) {
      this.#log.log("info", "gnss", valid ? "fix acquired" : "fix lost");
    }
    const consumer = this.onFix;
    if (consumer !== null) {
      try {
        consumer(fix);
      } catch {
        this.callbackErrors++;
        this.#log.log("error", "gnss", "onFix threw");
      }
    }
  }
}

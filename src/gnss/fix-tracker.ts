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
 * Other sentences: GNS stands in for GGA; GLL gives the position of an epoch without RMC/GGA; VTG the
 * speed/course when the RMC has none; ZDA the date (4-digit year). GSA (fix type, DOPs, satellites
 * used per system) and GSV (satellites in view per system: the largest numSV of that system's groups,
 * so several signal IDs are not added up) are collected between publications: as receivers send them
 * after RMC/GGA, a Fix carries the GSA/GSV of the previous second (values older than that: unknown).
 *
 * Date: from the RMC date (yy < 69 → 20yy, else 19yy) or ZDA. GPS week rollover: when the date is
 * before the firmware build date (`buildDateMs` option), 7168 days (1024 weeks) are added until it is
 * not, and the Fix says `weekRolloverRepaired`. An epoch without a date (GGA-only) uses the last known date and moves it across midnight: when its time of day is
 * more than 12 h earlier than the last dated epoch's, the date advances one day (23:59:59 → 00:00:00);
 * more than 12 h later, it goes back one day (a late GGA from before midnight). Before any date is
 * known, `utcMs` is NaN.
 *
 * Sentences not read: the fields of sentences that cannot change a published Fix are not read,
 * and their checksum is not computed either (it costs ~250 computrons a line on XS; counted in
 * `uncheckedSentences` as well as under their type): GSV messages 2..9 of a group (they repeat
 * message 1's satellites-in-view count, so in-view counts come from checksum-valid first messages
 * only, of which only that count is read); a VTG when the epoch's RMC already gave a speed; a GLL
 * whose time is that of the epoch just published with nothing pending (timed() would ignore it); a
 * ZDA after an epoch dated by its own RMC, with nothing pending (the RMC's date stands as the last
 * known date even if the ZDA said otherwise, and a next epoch that lacks an RMC date takes that date
 * carried across midnight rather than the ZDA's). Their type is read from the line as it came: a
 * damaged line taken for one of them is dropped unread, as if lost on the wire. Every other line
 * is checked before anything in it is used.
 *
 * Allocation: parsing and merging reuse preallocated records (RMC, GGA, VTG, GLL, ZDA and GNS are
 * `split` into a field array, one heap slot a field); the published Fix (one frozen object per
 * epoch: 22 heap slots, and as many for the key list Object.freeze makes) is allocated, and its
 * per-system count objects only when a count changed.
 *
 * Cost (XS meter, see NmeaParser): the line handler tests the sentence types in order of frequency;
 * fields are plain (TypeScript-private) properties, cheaper to read than #private ones. All state
 * is per instance (the module is preloaded on the device: module-level objects are read-only there).
 */
import type { Clock, Logger } from "../platform/ports";
import { FixMode, FixQuality, UERE_M, type Fix, type SatelliteCounts } from "./fix";
import type { FromArrayBuffer } from "./ascii-text";
import { NmeaLineReader, NMEA_LINE_CAPACITY_BYTES } from "./nmea-line-reader";
import { GNSS_SYSTEM_COUNT, GnssSystem, NmeaChar, NmeaParser, SentenceType, type GgaRecord, type GnsRecord, type GsaRecord } from "./nmea-parser";

const slice = String.prototype.slice;
const charCodeAt = String.prototype.charCodeAt;

/** Options of {@link GnssReceiver}. */
export interface GnssReceiverOptions {
  /** Line buffer size, bytes (default 256). */
  lineCapacityBytes?: number;
  /**
   * Firmware build date, ms UTC: GNSS dates earlier than this are 1024-week rollover victims and get
   * 7168 days added until they are not. 0 (default) disables the repair.
   */
  buildDateMs?: number;
  /** Bytes → string converter of the line reader (default: the realm's; tests pass null for the per-byte path). */
  fromArrayBuffer?: FromArrayBuffer | null;
}

/** Days in 1024 GPS weeks. */
const ROLLOVER_MS = 7168 * 86_400_000;

const MS_PER_DAY = 86_400_000;
const HALF_DAY_MS = 43_200_000;

/** Working record of the epoch being merged (reused). */
class Epoch {
  timeOfDayMs = NaN;
  /** hasRmc || hasGga || hasGll (one read instead of three). */
  pending = false;
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
  geoidSeparationM = NaN;
  // from GLL (position of an epoch without RMC/GGA)
  hasGll = false;
  gllLatitudeDeg = NaN;
  gllLongitudeDeg = NaN;
  // from VTG
  hasVtg = false;
  vtgSpeedKmh = NaN;
  vtgCourseDeg = NaN;
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
  /** GSA, GSV, VTG, GLL, ZDA, GNS, TXT sentences accepted. */
  gsaSentences: number;
  gsvSentences: number;
  vtgSentences: number;
  gllSentences: number;
  zdaSentences: number;
  gnsSentences: number;
  txtSentences: number;
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
  /**
   * Sentences taken without computing their checksum (also counted under their type): skipped
   * unread because they cannot change a Fix, or a GSA identical to a line checked before.
   */
  uncheckedSentences: number;
  /** Fix objects published. */
  fixesPublished: number;
  /** Fixes whose date was repaired for the GPS week rollover. */
  weekRolloverRepairs: number;
  /** Exceptions thrown by onFix (caught and logged). */
  callbackErrors: number;
}

/**
 * Turns the GNSS UART byte stream into merged, validated Fix objects. Feed it every received chunk
 * (`feed`, the line reader's own: a receiver is the line reader of its UART, so a chunk costs no
 * forwarding call; its `onLine` is its own line handler, not to be replaced); never throws
 * (exceptions from `onFix` are caught, counted and logged).
 */
export class GnssReceiver extends NmeaLineReader {
  /** Called once per published epoch (about once a second) with a fresh frozen Fix. */
  onFix: ((fix: Fix) => void) | null = null;
  /** The sentence parser (its counters: rmcSentences, ggaSentences, ..., checksumErrors, ...). */
  readonly parser = new NmeaParser();
  /** RMC/GGA repeating the time of the epoch just published, ignored. */
  duplicateSentences = 0;
  /** See GnssCounters.uncheckedSentences. */
  uncheckedSentences = 0;
  /** Fix objects published. */
  fixesPublished = 0;
  /** Fixes whose date was repaired for the GPS week rollover. */
  weekRolloverRepairs = 0;
  /** Exceptions thrown by onFix (caught). */
  callbackErrors = 0;

  private readonly clock: Clock;
  private readonly logger: Logger;
  /** ms UTC; -Infinity when the rollover repair is off. */
  private readonly buildDateMs: number;
  private readonly epoch = new Epoch();
  private lastPublishedTimeOfDayMs = NaN;
  /** The epoch just published had an RMC with a date. */
  private rmcDated = false;
  private lastDateMs = NaN;
  private lastDatedTimeOfDayMs = NaN;
  private zdaDateMs = NaN;
  private zdaTimeOfDayMs = NaN;
  private latestFix: Fix | undefined = undefined;
  /** latestFix?.valid (false before the first). */
  private latestValid = false;
  private lastValidFix: Fix | undefined = undefined;
  private repairing = false;
  // GSA / GSV per system: satellites used at 0..6 (index = GnssSystem), in view at 7..13 (14 and
  // 15 unused); -1: not reported. `countsNow`: reported since the last publication (written through
  // the `usedNow` / `viewNow` views); `countsPrev`: what the previous publication saw reported;
  // `countsLast`: the counts published. `nowPairs` / `lastPairs` read them two at a time (Int32).
  private sequence = 0;
  private readonly countsNow = new Int16Array(16).fill(-1);
  private readonly countsPrev = new Int16Array(16).fill(-1);
  private readonly countsLast = new Int16Array(16).fill(-1);
  private readonly nowPairs = new Int32Array(this.countsNow.buffer);
  private readonly lastPairs = new Int32Array(this.countsLast.buffer);
  private readonly usedNow = this.countsNow.subarray(0, GNSS_SYSTEM_COUNT);
  private readonly viewNow = this.countsNow.subarray(GNSS_SYSTEM_COUNT, 2 * GNSS_SYSTEM_COUNT);
  /** countsPrev equals countsLast: a publication whose countsNow equals countsLast changes nothing. */
  private countsSteady = true;
  /** Sums of the published counts ≥ 0 (-1 when all are -1). */
  private usedSum = -1;
  private viewSum = -1;
  /** The frozen per-system counts last published (shared by fixes while unchanged). */
  private usedCounts: SatelliteCounts = NO_COUNTS;
  private viewCounts: SatelliteCounts = NO_COUNTS;
  private gsaFixNow = 0;
  private gsaFixLast = 0;
  private gsaSeen = -9;
  private pdop = NaN;
  private hdopGsa = NaN;
  private vdop = NaN;

  /**
   * @param clock monotonic time source for `Fix.receivedAtMs`
   * @param log sink for fix acquired / lost and rollover transitions (tag `gnss`, never coordinates)
   * @param options line capacity (default 256) or {@link GnssReceiverOptions}
   */
  constructor(clock: Clock, log: Logger, options: number | GnssReceiverOptions = NMEA_LINE_CAPACITY_BYTES) {
    const o: GnssReceiverOptions = typeof options === "number" ? { lineCapacityBytes: options } : options;
    super({ capacityBytes: o.lineCapacityBytes ?? NMEA_LINE_CAPACITY_BYTES, fromArrayBuffer: o.fromArrayBuffer });
    this.clock = clock;
    this.logger = log;
    this.buildDateMs = o.buildDateMs !== undefined && o.buildDateMs > 0 ? o.buildDateMs : -Infinity;
    this.onLine = this.handleLine;
  }

  /**
   * One NMEA line from the reader. Lines that cannot change the published fixes are counted and
   * skipped before their checksum is computed (see "Sentences not read" above); the others are
   * checked and read. Their type is taken from the line as it came: a damaged line taken for one of
   * them is dropped unread, as if lost on the wire, and so cannot reach a fix.
   */
  private readonly handleLine = (text: string, start: number, end: number): void => {
    const parser = this.parser;
    const epoch = this.epoch;
    const tag = slice.call(text, start + 3, start + 7);
    if (tag === "GSV,") {
      // messages 2..9 of a group repeat message 1's satellites in view
      if (charCodeAt.call(text, start + 8) === 0x2c && charCodeAt.call(text, start + 10) === 0x2c && charCodeAt.call(text, start + 9) !== 0x31) {
        this.skipUnread(SentenceType.Gsv);
        return;
      }
    } else if (tag === "VTG,") {
      // used only for the speed of an epoch whose RMC has none, or an epoch without RMC
      if (epoch.hasRmc && epoch.speedKmh === epoch.speedKmh) {
        this.skipUnread(SentenceType.Vtg);
        return;
      }
    } else if (tag === "ZDA,") {
      // once the epoch just published was dated by its own RMC, its ZDA adds nothing
      if (this.rmcDated && !epoch.pending) {
        this.skipUnread(SentenceType.Zda);
        return;
      }
    } else if (tag === "GLL,") {
      // GLL of the epoch just published (nothing pending): ignored by timed() anyway
      if (!epoch.pending && this.lastPublishedTimeOfDayMs === this.lastPublishedTimeOfDayMs &&
        parser.gllTimeOfDay(text, start, end) === this.lastPublishedTimeOfDayMs) {
        this.skipUnread(SentenceType.Gll);
        return;
      }
    }
    // checksum, address and type (invalid and other types are counted by the parser)
    const info = parser.accept(text, start, end, this.lineChecksum(text, start, end));
    if (info <= 0) return;
    const type = info & 15;
    // the types in order of frequency (XS tries an if-chain's tests one by one, as a switch's cases)
    if (type === SentenceType.Gsa) {
      if (parser.parseGsa(info, text, start, end)) this.onGsa(parser.gsa);
    } else if (type === SentenceType.Rmc) {
      if (parser.parseRmc(text, start, end)) this.timed(SentenceType.Rmc, parser.rmc.timeOfDayMs);
    } else if (type === SentenceType.Gga) {
      if (parser.parseGga(text, start, end)) this.timed(SentenceType.Gga, parser.gga.timeOfDayMs);
    } else if (type === SentenceType.Gsv) {
      // (messages 2..9 were skipped above)
      const inView = parser.gsvInView(info, text, start, end);
      const system = info >> 4;
      if (inView > this.viewNow[system]) this.viewNow[system] = inView;
    } else if (type === SentenceType.Vtg) {
      if (parser.parseVtg(text, start, end)) {
        epoch.hasVtg = true;
        epoch.vtgSpeedKmh = parser.vtg.speedKmh;
        epoch.vtgCourseDeg = parser.vtg.courseDeg;
      }
    } else if (type === SentenceType.Gll) {
      if (parser.parseGll(text, start, end)) this.timed(SentenceType.Gll, parser.gll.timeOfDayMs);
    } else if (type === SentenceType.Zda) {
      if (parser.parseZda(text, start, end)) this.onZda();
    } else if (type === SentenceType.Gns) {
      if (parser.parseGns(text, start, end)) this.timed(SentenceType.Gns, parser.gns.timeOfDayMs);
    }
    // TXT: counted by accept, not used
  };

  /** A sentence skipped unread (it cannot change a Fix): counted under its type and as unchecked. */
  private skipUnread(type: SentenceType): void {
    const parser = this.parser;
    if (type === SentenceType.Gsv) parser.gsvSentences++;
    else if (type === SentenceType.Vtg) parser.vtgSentences++;
    else if (type === SentenceType.Zda) parser.zdaSentences++;
    else parser.gllSentences++;
    this.uncheckedSentences++;
  }

  /** A GSA was parsed: satellites used per system, fix type and DOPs until the next publication. */
  private onGsa(g: GsaRecord): void {
    const used = this.usedNow[g.system];
    this.usedNow[g.system] = (used < 0 ? 0 : used) + g.satellitesUsed;
    if (g.pdop === g.pdop) this.pdop = g.pdop;
    if (g.hdop === g.hdop) this.hdopGsa = g.hdop;
    if (g.vdop === g.vdop) this.vdop = g.vdop;
    this.gsaSeen = this.sequence;
    // amendFixMode depends on gsaFixNow, the latest fix and whether an epoch is pending; the last
    // two change only by a publication, which resets gsaFixNow: nothing to do unless it rose
    if (g.fixType > this.gsaFixNow) {
      this.gsaFixNow = g.fixType;
      this.#amendFixMode();
    }
  }

  /** Publish the epoch being merged now, if any (e.g. from a timer, for RMC-only receivers). */
  flush(): void {
    const epoch = this.epoch;
    if (epoch.pending) this.#publish();
  }

  /** The last published Fix, valid or not; undefined before the first epoch. */
  latest(): Fix | undefined {
    return this.latestFix;
  }

  /** The last published Fix with valid = true; undefined if none yet. */
  lastValid(): Fix | undefined {
    return this.lastValidFix;
  }

  /**
   * Forget every position held (RESET): the last fix and the last valid one. The receiver keeps
   * reading; the next epoch publishes a new fix.
   */
  forgetPositions(): void {
    this.latestFix = undefined;
    this.latestValid = false;
    this.lastValidFix = undefined;
  }

  /** Snapshot of all counters (reader, parser, receiver). */
  counters(): GnssCounters {
    const r = this as NmeaLineReader;
    const p = this.parser;
    return {
      lines: r.lines,
      overlongLines: r.overlongLines,
      droppedPartials: r.droppedPartials,
      junkBytes: r.junkBytes,
      rmcSentences: p.rmcSentences,
      ggaSentences: p.ggaSentences,
      gsaSentences: p.gsaSentences,
      gsvSentences: p.gsvSentences,
      vtgSentences: p.vtgSentences,
      gllSentences: p.gllSentences,
      zdaSentences: p.zdaSentences,
      gnsSentences: p.gnsSentences,
      txtSentences: p.txtSentences,
      otherSentences: p.otherSentences,
      checksumErrors: p.checksumErrors,
      missingChecksum: p.missingChecksum,
      malformed: p.malformed,
      badDates: p.badDates,
      badCoordinates: p.badCoordinates,
      duplicateSentences: this.duplicateSentences,
      uncheckedSentences: this.uncheckedSentences,
      fixesPublished: this.fixesPublished,
      weekRolloverRepairs: this.weekRolloverRepairs,
      callbackErrors: this.callbackErrors,
    };
  }

  /** A ZDA was parsed: the date of its time of day (and the last known date when none yet, or for the epoch just published). */
  private onZda(): void {
    const z = this.parser.zda;
    if (z.dateMs === z.dateMs) {
      this.zdaDateMs = z.dateMs;
      this.zdaTimeOfDayMs = z.timeOfDayMs;
      if (this.lastDateMs !== this.lastDateMs || z.timeOfDayMs === this.lastPublishedTimeOfDayMs) {
        this.lastDateMs = z.dateMs;
        this.lastDatedTimeOfDayMs = z.timeOfDayMs;
      }
    }
  }

  /** RMC / GGA / GNS / GLL (`type`, just parsed) with its time of day: merge into the epoch of that time. */
  private timed(type: SentenceType, timeOfDayMs: number): void {
    const parser = this.parser;
    const epoch = this.epoch;
    if (!epoch.pending) {
      // the time of the epoch just published: a repeat (after a publication below, the time differs)
      if (timeOfDayMs === this.lastPublishedTimeOfDayMs) {
        if (type === SentenceType.Rmc || type === SentenceType.Gga) this.duplicateSentences++;
        return;
      }
      epoch.timeOfDayMs = timeOfDayMs;
      epoch.pending = true;
    } else if (epoch.timeOfDayMs !== timeOfDayMs && (timeOfDayMs === timeOfDayMs || epoch.timeOfDayMs === epoch.timeOfDayMs)) {
      // another time (equal, or both unknown, is the same) starts the next epoch
      this.#publish();
      epoch.timeOfDayMs = timeOfDayMs;
      epoch.pending = true;
    }
    if (type === SentenceType.Rmc) {
      const r = parser.rmc;
      epoch.hasRmc = true;
      epoch.status = r.status;
      epoch.mode = r.mode;
      epoch.rmcLatitudeDeg = r.latitudeDeg;
      epoch.rmcLongitudeDeg = r.longitudeDeg;
      epoch.speedKmh = r.speedKmh;
      epoch.courseDeg = r.courseDeg;
      epoch.dateMs = r.dateMs;
      if (epoch.hasGga) this.#publish();
    } else if (type === SentenceType.Gga || type === SentenceType.Gns) {
      // GPGGA + GNGGA (or GGA + GNS) of one epoch: the first wins. GNS carries the same position
      // fields; its per-system mode string stands in for GGA's quality.
      if (epoch.hasGga) return;
      let g: GgaRecord | GnsRecord;
      if (type === SentenceType.Gga) {
        g = parser.gga;
        epoch.ggaQuality = parser.gga.quality;
      } else {
        g = parser.gns;
        epoch.ggaQuality = ggaQualityOfMode(parser.gns.mode);
      }
      epoch.hasGga = true;
      epoch.ggaLatitudeDeg = g.latitudeDeg;
      epoch.ggaLongitudeDeg = g.longitudeDeg;
      epoch.satellites = g.satellites;
      epoch.hdop = g.hdop;
      epoch.altitudeM = g.altitudeM;
      epoch.geoidSeparationM = g.geoidSeparationM;
      if (epoch.hasRmc) this.#publish();
    } else {
      // GLL (completes no epoch)
      const g = parser.gll;
      epoch.hasGll = true;
      epoch.gllLatitudeDeg = g.latitudeDeg;
      epoch.gllLongitudeDeg = g.longitudeDeg;
      if (!epoch.hasRmc) {
        epoch.status = g.status;
        epoch.mode = g.mode;
      }
    }
  }

  /**
   * Most receivers send an epoch's GSA after its RMC and GGA, so the Fix went out with the previous
   * second's 2D/3D mode. When a GSA of the same epoch (no timed sentence of the next one yet)
   * changes the mode of a valid fix, the fix is published again with the corrected mode (a fresh
   * frozen Fix through onFix; rare, as the mode seldom changes).
   */
  #amendFixMode(): void {
    const latest = this.latestFix;
    const e = this.epoch;
    if (latest === undefined || !latest.valid || e.pending) return;
    if (latest.altitudeM === latest.altitudeM) return; // a fix with an altitude is 3D whatever GSA says
    const g = this.gsaFixNow;
    if (g < 2 || g === latest.fixMode) return;
    const fix: Fix = Object.freeze({ ...latest, fixMode: g as FixMode });
    this.latestFix = fix;
    this.lastValidFix = fix;
    this.fixesPublished++;
    this.#deliver(fix);
  }

  /** Hand a Fix to onFix; exceptions are caught, counted and logged. */
  #deliver(fix: Fix): void {
    const consumer = this.onFix;
    if (consumer === null) return;
    try {
      consumer(fix);
    } catch {
      this.callbackErrors++;
      this.logger.log("error", "gnss", "onFix threw");
    }
  }

  /** Build, store and deliver the Fix of the pending epoch, then clear it. */
  #publish(): void {
    const e = this.epoch;
    const hasRmc = e.hasRmc;
    const hasGga = e.hasGga;
    const ggaQuality = e.ggaQuality;
    const ggaKnown = hasGga && ggaQuality >= 0;
    // position: RMC's, else GGA's; GLL's when neither came
    let gllOnly = false;
    let latitudeDeg = hasRmc ? e.rmcLatitudeDeg : NaN;
    let longitudeDeg = hasRmc ? e.rmcLongitudeDeg : NaN;
    let positionKnown = latitudeDeg === latitudeDeg && longitudeDeg === longitudeDeg;
    if (!positionKnown) {
      if (hasGga) {
        latitudeDeg = e.ggaLatitudeDeg;
        longitudeDeg = e.ggaLongitudeDeg;
      } else if (!hasRmc && e.hasGll) {
        gllOnly = true;
        latitudeDeg = e.gllLatitudeDeg;
        longitudeDeg = e.gllLongitudeDeg;
      }
      positionKnown = latitudeDeg === latitudeDeg && longitudeDeg === longitudeDeg;
    }
    const rmcLike = hasRmc || gllOnly;
    // Quality and validity: GGA's quality when known, else RMC's (or GLL's) status and mode; both
    // must say valid. Status A with mode A (the usual RMC) takes two compares, no call.
    let quality: FixQuality;
    let valid: boolean;
    if (ggaKnown) {
      quality = QUALITY_OF_GGA[ggaQuality];
      // a fix quality with no satellite in use is no fix (as gpsd reads it)
      valid = ggaQuality >= 1 && ggaQuality <= 5 && e.satellites !== 0;
    } else {
      quality = rmcLike ? qualityFromRmc(e.status, e.mode) : FixQuality.None;
      valid = rmcLike;
    }
    if (valid && rmcLike && !(e.status === NmeaChar.A && e.mode === NmeaChar.A)) valid = rmcSaysValid(e.status, e.mode);
    if (!positionKnown) valid = false;

    // Date: RMC, else ZDA of this epoch, else the last known date carried across midnight.
    const timeOfDayMs = e.timeOfDayMs;
    let dateMs = hasRmc ? e.dateMs : NaN;
    const rmcDated = dateMs === dateMs;
    if (!rmcDated) dateMs = this.#dateWithoutRmc(timeOfDayMs);
    else if (timeOfDayMs === timeOfDayMs) {
      this.lastDateMs = dateMs;
      this.lastDatedTimeOfDayMs = timeOfDayMs;
    }
    let utcMs = dateMs + timeOfDayMs; // NaN if either is unknown
    let repaired = false;
    const buildDateMs = this.buildDateMs;
    if (utcMs < buildDateMs) { // false for NaN, and without a build date (-Infinity)
      for (let i = 0; i < 8 && utcMs < buildDateMs; i++) utcMs += ROLLOVER_MS;
      repaired = true;
      this.weekRolloverRepairs++;
    }
    if (repaired !== this.repairing && utcMs === utcMs) {
      this.repairing = repaired;
      if (repaired) this.logger.log("warn", "gnss", "GPS week rollover: date moved 1024 weeks forward");
    }

    // GSA / GSV of this publication: per system, the count reported since the last publication,
    // else the previous one for one more second, else -1
    // Usually every system reports what it reported the second before: then nothing changes (seven
    // compares of two counts each instead of the loop over the 14)
    const seq = ++this.sequence;
    const n = this.nowPairs;
    const l = this.lastPairs;
    if (!(this.countsSteady && n[0] === l[0] && n[1] === l[1] && n[2] === l[2] && n[3] === l[3] && n[4] === l[4] && n[5] === l[5] && n[6] === l[6])) {
      this.#publishCounts();
    }
    this.countsNow.fill(-1);
    if (this.gsaFixNow > 0) {
      this.gsaFixLast = this.gsaFixNow;
      this.gsaFixNow = 0;
    }
    if (seq - this.gsaSeen > 2) {
      // no GSA in this second or the one before
      this.gsaFixLast = 0;
      this.pdop = NaN;
      this.hdopGsa = NaN;
      this.vdop = NaN;
    }
    const altitudeM = hasGga ? e.altitudeM : NaN;
    const satellitesUsed = hasGga && e.satellites >= 0 ? e.satellites : this.usedSum;
    const hdop = hasGga && e.hdop === e.hdop ? e.hdop : this.hdopGsa;
    let fixMode: FixMode;
    if (valid) {
      // As gpsd: a fix with an altitude is 3D; without one, the receiver's GSA decides (else 2D).
      // (Some receivers, e.g. Garmin 25LP, say GSA 2D while GGA carries a held altitude.)
      fixMode = altitudeM === altitudeM ? FixMode.Fix3D : this.gsaFixLast >= 2 ? (this.gsaFixLast as FixMode) : FixMode.Fix2D;
    } else {
      fixMode = rmcLike || ggaKnown ? FixMode.NoFix : FixMode.Unknown;
    }
    let speedKmh = hasRmc ? e.speedKmh : NaN;
    let courseDeg = hasRmc ? e.courseDeg : NaN;
    if (e.hasVtg) {
      if (speedKmh !== speedKmh) speedKmh = e.vtgSpeedKmh;
      if (courseDeg !== courseDeg && !hasRmc) courseDeg = e.vtgCourseDeg;
    }

    const fix: Fix = Object.freeze({
      valid,
      latitudeDeg,
      longitudeDeg,
      altitudeM,
      geoidSeparationM: hasGga ? e.geoidSeparationM : NaN,
      speedKmh,
      courseDeg,
      quality,
      fixMode,
      satellites: satellitesUsed,
      satellitesUsed,
      satellitesUsedBySystem: this.usedCounts,
      satellitesInView: this.viewSum,
      satellitesInViewBySystem: this.viewCounts,
      hdop,
      pdop: this.pdop,
      vdop: this.vdop,
      accuracyM: hdop > 0 ? hdop * UERE_M : NaN,
      utcMs,
      weekRolloverRepaired: repaired,
      receivedAtMs: this.clock.monotonicMs(),
    });

    this.lastPublishedTimeOfDayMs = timeOfDayMs;
    this.rmcDated = rmcDated;
    // clear the epoch (inline: a call costs ~15 computrons; timeOfDayMs is read only while pending)
    e.pending = false;
    e.hasRmc = false;
    e.hasGga = false;
    e.hasGll = false;
    e.hasVtg = false;
    this.latestFix = fix;
    if (valid) this.lastValidFix = fix;
    this.fixesPublished++;
    if (valid !== this.latestValid) {
      // (a fix lost: there was a valid one)
      this.latestValid = valid;
      this.logger.log("info", "gnss", valid ? "fix acquired" : "fix lost");
    }
    this.#deliver(fix);
  }

  /** Publication: the date of an epoch without an RMC date (NaN when unknown); remembered as the last known date. */
  #dateWithoutRmc(timeOfDayMs: number): number {
    let dateMs = this.zdaTimeOfDayMs === timeOfDayMs ? this.zdaDateMs : NaN;
    if (timeOfDayMs !== timeOfDayMs) return dateMs;
    if (dateMs !== dateMs && this.lastDateMs === this.lastDateMs) {
      dateMs = this.lastDateMs;
      const previous = this.lastDatedTimeOfDayMs;
      if (timeOfDayMs < previous - HALF_DAY_MS) dateMs += MS_PER_DAY;
      else if (timeOfDayMs > previous + HALF_DAY_MS) dateMs -= MS_PER_DAY;
    }
    if (dateMs === dateMs) {
      this.lastDateMs = dateMs;
      this.lastDatedTimeOfDayMs = timeOfDayMs;
    }
    return dateMs;
  }

  /** Publication: the per-system counts to publish (see #publish), their sums, and new frozen count objects when one changed. */
  #publishCounts(): void {
    const now = this.countsNow;
    const prev = this.countsPrev;
    const last = this.countsLast;
    let usedChanged = false;
    let viewChanged = false;
    let usedSum = -1;
    let viewSum = -1;
    let steady = true;
    for (let k = 0; k < 2 * GNSS_SYSTEM_COUNT; k++) {
      const reported = now[k];
      const count = reported >= 0 ? reported : prev[k] >= 0 ? prev[k] : -1;
      if (reported !== count) steady = false;
      const isUsed = k < GNSS_SYSTEM_COUNT;
      if (count !== last[k]) {
        last[k] = count;
        // (Unknown is not in the per-system objects)
        if (k !== GnssSystem.Unknown && k !== GNSS_SYSTEM_COUNT + GnssSystem.Unknown) {
          if (isUsed) usedChanged = true;
          else viewChanged = true;
        }
      }
      if (count >= 0) {
        if (isUsed) usedSum = (usedSum < 0 ? 0 : usedSum) + count;
        else viewSum = (viewSum < 0 ? 0 : viewSum) + count;
      }
    }
    prev.set(now);
    this.countsSteady = steady;
    this.usedSum = usedSum;
    this.viewSum = viewSum;
    if (usedChanged) this.usedCounts = countsOf(last, 0);
    if (viewChanged) this.viewCounts = countsOf(last, GNSS_SYSTEM_COUNT);
  }
}

/** A frozen copy of the per-system counts `counts[at + GnssSystem]` (-1: not reported). */
function countsOf(counts: Int16Array, at: number): SatelliteCounts {
  return Object.freeze({
    gps: counts[at + GnssSystem.Gps],
    glonass: counts[at + GnssSystem.Glonass],
    galileo: counts[at + GnssSystem.Galileo],
    beidou: counts[at + GnssSystem.Beidou],
    qzss: counts[at + GnssSystem.Qzss],
    navic: counts[at + GnssSystem.Navic],
  });
}

/** Per-system counts before any GSA / GSV. */
const NO_COUNTS: SatelliteCounts = countsOf(new Int16Array(GNSS_SYSTEM_COUNT).fill(-1), 0);

/** GGA quality 0..8 → FixQuality. */
const QUALITY_OF_GGA: readonly FixQuality[] = Object.freeze([
  FixQuality.None,
  FixQuality.Gnss,
  FixQuality.Differential,
  FixQuality.Gnss, // 3: PPS fix, a GNSS position
  FixQuality.Rtk,
  FixQuality.Rtk,
  FixQuality.Estimated,
  FixQuality.Estimated,
  FixQuality.Estimated,
]);

/** GNS best mode character → equivalent GGA quality (-1 when empty). */
function ggaQualityOfMode(mode: number): number {
  switch (mode) {
    case 0: return -1;
    case NmeaChar.A: case NmeaChar.P: return 1;
    case NmeaChar.D: return 2;
    case NmeaChar.R: return 4;
    case NmeaChar.F: return 5;
    case NmeaChar.E: return 6;
    case NmeaChar.M: return 7;
    case NmeaChar.S: return 8;
    default: return 0;
  }
}

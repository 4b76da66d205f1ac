/**
 * Readers for the gpsd regression corpus (shared/corpus/gpsd, see its SOURCE.md):
 *  - a `.log` is a receiver's raw serial output with `#` header comments (`# Date: yyyy-mm-dd` is
 *    the only header that changes gpsd's decoding: it presets the date for sentences without one);
 *  - a `.log.chk` is gpsd's own output for that log: echoed NMEA sentences (the ones gpsd accepted)
 *    and JSON reports, of which we keep the TPVs.
 */
import { readFileSync } from "node:fs";

/** The TPV fields we compare (gpsd units), each undefined when gpsd did not report it. */
export interface GpsdTpv {
  /** 0 unknown, 1 no fix, 2 2D, 3 3D (always present in gpsd output). */
  mode: number;
  /** ISO-8601 UTC as gpsd printed it, undefined when gpsd had no time. */
  time?: string;
  /** `time` as ms since the Unix epoch (NaN-free: undefined when `time` is absent or unparseable). */
  timeMs?: number;
  /** Degrees. */
  lat?: number;
  /** Degrees. */
  lon?: number;
  /** Metres above MSL (`altMSL`, else the deprecated `alt`). */
  altMSL?: number;
  /** Metres per second. */
  speed?: number;
  /** Degrees true. */
  track?: number;
  /** 0-based index of this TPV's line in the .chk (for reports). */
  line: number;
  /** The echoed sentence this TPV followed (the state after gpsd processed it), "" if none. */
  after: string;
}

/** A parsed `.chk` file. */
export interface GpsdChk {
  /** Echoed NMEA sentences, in order (the sentences gpsd accepted). */
  sentences: string[];
  /** Every TPV report, in order. */
  tpvs: GpsdTpv[];
}

/** A parsed `.log` file. */
export interface GpsdLog {
  /** The whole file as bytes (header comments included: the receiver pipeline skips them as junk-free lines without `$`). */
  bytes: Uint8Array;
  /** `# Date:` header as ms since the Unix epoch at 00:00 UTC, undefined when absent. */
  headerDateMs?: number;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Parse the text of a `.chk` file. Lines that are neither `$`/`!` sentences nor JSON are ignored. */
export function parseChk(text: string): GpsdChk {
  const sentences: string[] = [];
  const tpvs: GpsdTpv[] = [];
  const lines = text.split(/\r?\n/);
  let after = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("{")) {
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (json["class"] !== "TPV") continue;
      const tpv: GpsdTpv = { mode: num(json["mode"]) ?? 0, line: i, after };
      if (typeof json["time"] === "string") {
        tpv.time = json["time"];
        const ms = Date.parse(json["time"]);
        if (Number.isFinite(ms)) tpv.timeMs = ms;
      }
      const lat = num(json["lat"]);
      if (lat !== undefined) tpv.lat = lat;
      const lon = num(json["lon"]);
      if (lon !== undefined) tpv.lon = lon;
      const alt = num(json["altMSL"]) ?? num(json["alt"]);
      if (alt !== undefined) tpv.altMSL = alt;
      const speed = num(json["speed"]);
      if (speed !== undefined) tpv.speed = speed;
      const track = num(json["track"]);
      if (track !== undefined) tpv.track = track;
      tpvs.push(tpv);
    } else if (line.startsWith("$") || line.startsWith("!")) {
      sentences.push(line);
      after = line;
    }
  }
  return { sentences, tpvs };
}

/** Read and parse a `.chk` file. */
export function readChk(path: string): GpsdChk {
  return parseChk(readFileSync(path, "latin1"));
}

/** Parse a `# Date:` value (`yyyy-m-d`, as gpsfake accepts) into ms at 00:00 UTC, or undefined. */
export function parseHeaderDate(value: string): number | undefined {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(ms) ? ms : undefined;
}

/** Read a `.log` file: its bytes (verbatim) and its `# Date:` header. */
export function readLog(path: string): GpsdLog {
  const bytes = new Uint8Array(readFileSync(path));
  const log: GpsdLog = { bytes };
  // Header comments are at the start; scan lines starting with '#' anywhere (cheap, files are small).
  const text = Buffer.from(bytes).toString("latin1");
  const m = /^#\s*Date:\s*(.*)$/m.exec(text);
  if (m) {
    const ms = parseHeaderDate(m[1]!);
    if (ms !== undefined) log.headerDateMs = ms;
  }
  return log;
}

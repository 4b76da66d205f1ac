/**
 * What the modem's GNSS receiver last reported, kept from the NMEA sentences it produced (RMC, GGA,
 * GSA, GSV of any talker; a sentence with a bad checksum is not kept), and the position answers made
 * from it: SIM7600 +CGPSINFO, SIM7000 +CGNSINF, Quectel +QGPSLOC (commands/gnss.ts sends them).
 *
 * Formats (field order from the vendors' manuals, values from the sentences):
 * - +CGPSINFO: <lat ddmm.mmmmmm>,<N/S>,<lon dddmm.mmmmmm>,<E/W>,<date ddmmyy>,<UTC hhmmss.s>,
 *   <alt m>,<speed knots>,<course °>; no fix: "+CGPSINFO: ,,,,,,,,".
 * - +CGNSINF: 21 fields: <run>,<fix>,<UTC yyyyMMddhhmmss.sss>,<lat ±dd.dddddd>,<lon ±ddd.dddddd>,
 *   <alt m>,<speed km/h>,<course °>,<fix mode>,,<HDOP>,<PDOP>,<VDOP>,,<GPS in view>,<used>,
 *   <GLONASS in view>,,<C/N0 max dBHz>,,  (HPA/VPA left empty); receiver off: "0" and 20 empty fields.
 * - +QGPSLOC: <UTC hhmmss.sss>,<lat>,<lon>,<HDOP>,<alt m>,<fix 2|3>,<COG ddd.mm>,<km/h>,<knots>,
 *   <date ddmmyy>,<satellites>; <lat>/<lon> per <mode>: 0 "ddmm.mmmmN", 1 "ddmm.mmmmmm,N",
 *   2 "±dd.ddddd".
 * Simplification: the SIM7000 <fix mode> is 1 with a fix, 0 without (the manual lists 0-2 unexplained).
 */

const KMH_PER_KNOT = 1.852;

/** Satellites seen in one epoch (GSV): in view per talker, the strongest C/N0. */
interface SkyCount {
  inView: Record<string, number>;
  cn0Max: number | undefined;
}

export class GnssFixMemory {
  private rmc: string[] | undefined;
  private gga: string[] | undefined;
  private gsa: string[] | undefined;
  /** GSV counts of the epoch being received, and of the last whole one (an RMC starts an epoch). */
  private sky: SkyCount = { inView: {}, cn0Max: undefined };
  private lastSky: SkyCount = { inView: {}, cn0Max: undefined };

  /** Keep what `line` (one NMEA sentence, no line ending) says. */
  take(line: string): void {
    const fields = sentenceFields(line);
    if (!fields) return;
    const talker = fields[0]!.slice(1, 3);
    switch (fields[0]!.slice(3)) {
      case "RMC":
        this.rmc = fields;
        this.lastSky = this.sky;
        this.sky = { inView: {}, cn0Max: undefined };
        return;
      case "GGA":
        this.gga = fields;
        return;
      case "GSA":
        this.gsa = fields;
        return;
      case "GSV": {
        const count = Number(fields[3]);
        if (Number.isFinite(count)) this.sky.inView[talker] = count;
        for (let i = 7; i < fields.length; i += 4) {
          const cn0 = Number(fields[i]);
          if (fields[i] !== "" && Number.isFinite(cn0)) this.sky.cn0Max = Math.max(this.sky.cn0Max ?? 0, cn0);
        }
        return;
      }
    }
  }

  /** Forget everything (the receiver was switched off). */
  clear(): void {
    this.rmc = this.gga = this.gsa = undefined;
    this.sky = { inView: {}, cn0Max: undefined };
    this.lastSky = { inView: {}, cn0Max: undefined };
  }

  /** True when the last RMC says A (valid), or, without RMC, the last GGA has a fix quality. */
  get fixed(): boolean {
    if (this.rmc) return this.rmc[2] === "A" && this.rmc[3] !== "" && this.rmc[5] !== "";
    return this.gga !== undefined && Number(this.gga[6]) > 0 && this.gga[2] !== "";
  }

  /** SIM7600 AT+CGPSINFO answer. */
  cgpsinfo(): string {
    const r = this.rmc;
    if (!this.fixed || !r) return "+CGPSINFO: ,,,,,,,,";
    const time = r[1] ?? "";
    const fields = [
      padDegrees(r[3]!, 4, 6), r[4], padDegrees(r[5]!, 5, 6), r[6], r[9],
      `${time.slice(0, 6)}.${(time.split(".")[1] ?? "0").slice(0, 1)}`,
      num(this.gga?.[9], 1), num(r[7], 1), num(r[8], 1),
    ];
    return `+CGPSINFO: ${fields.join(",")}`;
  }

  /** SIM7000 AT+CGNSINF answer; `running` is the receiver's power. */
  cgnsinf(running: boolean): string {
    if (!running) return `+CGNSINF: 0${",".repeat(20)}`;
    const r = this.rmc;
    const g = this.gga;
    const fixed = this.fixed;
    const knots = Number(r?.[7]);
    const utc = r && r[9]?.length === 6 && (r[1]?.length ?? 0) >= 6 ? `20${r[9].slice(4)}${r[9].slice(2, 4)}${r[9].slice(0, 2)}${r[1]!.slice(0, 6)}.${(r[1]!.split(".")[1] ?? "").padEnd(3, "0").slice(0, 3)}` : "";
    const sky = this.lastSky;
    const fields = [
      "1", fixed ? "1" : "0", utc,
      fixed ? decimalDegrees(r?.[3] ?? g?.[2], r?.[4] ?? g?.[3], 6) : "",
      fixed ? decimalDegrees(r?.[5] ?? g?.[4], r?.[6] ?? g?.[5], 6) : "",
      fixed ? num(g?.[9], 3) : "",
      fixed && Number.isFinite(knots) ? (knots * KMH_PER_KNOT).toFixed(2) : "0.00",
      fixed ? num(r?.[8], 1) || "0.0" : "0.0",
      fixed ? "1" : "0", "",
      fixed ? num(this.gsa?.[16], 1) : "", fixed ? num(this.gsa?.[15], 1) : "", fixed ? num(this.gsa?.[17], 1) : "", "",
      String(sky.inView["GP"] ?? 0), String(Number(g?.[7]) || 0), sky.inView["GL"] === undefined ? "" : String(sky.inView["GL"]), "",
      sky.cn0Max === undefined ? "" : String(sky.cn0Max), "", "",
    ];
    return `+CGNSINF: ${fields.join(",")}`;
  }

  /** Quectel AT+QGPSLOC answer in `mode` (0-2), or undefined without a fix (+CME ERROR: 516). */
  qgpsloc(mode: 0 | 1 | 2): string | undefined {
    const r = this.rmc;
    const g = this.gga;
    if (!this.fixed || !r) return undefined;
    const [lat, ns, lon, ew] = [r[3]!, r[4]!, r[5]!, r[6]!];
    const position =
      mode === 0 ? `${padDegrees(lat, 4, 4)}${ns},${padDegrees(lon, 5, 4)}${ew}`
      : mode === 1 ? `${padDegrees(lat, 4, 6)},${ns},${padDegrees(lon, 5, 6)},${ew}`
      : `${decimalDegrees(lat, ns, 5)},${decimalDegrees(lon, ew, 5)}`;
    const knots = Number(r[7]) || 0;
    const fix = this.gsa?.[2] === "2" ? "2" : "3";
    const time = r[1] ?? "";
    const fields = [
      `${time.slice(0, 6)}.${(time.split(".")[1] ?? "").padEnd(3, "0").slice(0, 3)}`, position,
      num(g?.[8], 1), num(g?.[9], 1), fix, (Number(r[8]) || 0).toFixed(2).padStart(6, "0"),
      (knots * KMH_PER_KNOT).toFixed(1), knots.toFixed(1), r[9], String(Number(g?.[7]) || 0).padStart(2, "0"),
    ];
    return `+QGPSLOC: ${fields.join(",")}`;
  }
}

/** The fields of a sentence ("$GPRMC", ...) without its checksum, or undefined when malformed or its checksum is wrong. */
function sentenceFields(line: string): string[] | undefined {
  const m = /^\$([^*]*)\*([0-9A-Fa-f]{2})$/.exec(line);
  if (!m) return undefined;
  let sum = 0;
  for (let i = 0; i < m[1]!.length; i++) sum ^= m[1]!.charCodeAt(i);
  if (sum !== parseInt(m[2]!, 16)) return undefined;
  const fields = m[1]!.split(",");
  fields[0] = `$${fields[0]}`;
  return /^\$[A-Z]{5}$/.test(fields[0]!) ? fields : undefined;
}

/** A number field with `decimals` decimals, or "" when empty or not a number. */
function num(field: string | undefined, decimals: number): string {
  if (field === undefined || field === "") return "";
  const v = Number(field);
  return Number.isFinite(v) ? v.toFixed(decimals) : "";
}

/** NMEA "ddmm.mmmm" with the degrees padded to `intDigits` digits and `decimals` minute decimals. */
function padDegrees(field: string, intDigits: number, decimals: number): string {
  const v = Number(field);
  return Number.isFinite(v) && field !== "" ? v.toFixed(decimals).padStart(intDigits + 1 + decimals, "0") : "";
}

/** NMEA "ddmm.mmmm" + hemisphere as signed decimal degrees. */
function decimalDegrees(field: string | undefined, hemisphere: string | undefined, decimals: number): string {
  const v = Number(field);
  if (field === undefined || field === "" || !Number.isFinite(v)) return "";
  const deg = Math.floor(v / 100) + (v % 100) / 60;
  return (hemisphere === "S" || hemisphere === "W" ? -deg : deg).toFixed(decimals);
}

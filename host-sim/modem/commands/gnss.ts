/**
 * The GNSS receiver inside SIMCom / Quectel modules (LilyGO T-SIM7600 and T-SIM7000G boards have no
 * separate GNSS: the ESP32 reads NMEA from the modem's AT UART) and its AT commands, per the
 * profile's `gnss` dialect (profiles.ts). A module answers ERROR to the other dialects' commands;
 * "none" (A7670E-LASE, SIM800L) answers ERROR to all of them.
 *
 * Commands (syntax per the SIMCom AT manuals / GNSS application notes and Quectel's GNSS manual):
 * - SIM7600 ("cgps"):
 *   AT+CGPS=<on/off>[,<mode>]   1 starts the receiver (<mode> 1 standalone, 2 UE-based, 3 UE-assisted;
 *                               default 1), 0 stops it: OK, then the URC "+CGPS: 0" 1 s later.
 *                               Starting it while on, or stopping it while off: ERROR.
 *   AT+CGPS?                    +CGPS: <on/off>,<mode>
 *   AT+CGNSSTST=<0|1>           NMEA to the AT side off/on (default 0).      AT+CGNSSTST? → +CGNSSTST: <n>
 *   AT+CGNSSPORTSWITCH=<parsed>,<nmea>   0 USB, 1 UART; default 0,0.   AT+CGNSSPORTSWITCH? → +CGNSSPORTSWITCH: <p>,<n>
 *   AT+CGPSINFO                 +CGPSINFO: <lat>,<N/S>,<lon>,<E/W>,<date>,<UTC>,<alt>,<speed>,<course>
 *                               (empty fields ",,,,,,,," without a fix or with the receiver off).
 *                               AT+CGPSINFO=0 is OK; periodic reports (=<n> > 0) are not modelled: ERROR.
 *   NMEA reaches the UART only while CGPS is on AND CGNSSTST is 1 AND <nmea> port is 1 (UART).
 * - SIM7000 ("cgns"):
 *   AT+CGNSPWR=<0|1>  receiver power (OK either way).   AT+CGNSPWR? → +CGNSPWR: <n>
 *   AT+CGNSTST=<0|1>  NMEA to the AT UART (default 0).   AT+CGNSTST? → +CGNSTST: <n>
 *   AT+CGNSINF        +CGNSINF: <21 fields> (gnss-report.ts); off: "+CGNSINF: 0,,,,…"
 *   NMEA reaches the UART while CGNSPWR is 1 AND CGNSTST is 1.
 * - Quectel EG25 / BG96 ("qgps"):
 *   AT+QGPS=1 starts (already on: +CME ERROR: 504); AT+QGPS? → +QGPS: <n>; AT+QGPSEND stops (not on:
 *   +CME ERROR: 505); AT+QGPSLOC[=<mode>] / AT+QGPSLOC? → +QGPSLOC: … (off: 505, no fix: 516).
 *   NMEA never reaches the AT UART (it goes to the USB NMEA port).
 *
 * Behaviour: the virtual GNSS's bytes are fed to the modem (VirtualModem.feedGnss); whole lines
 * starting with "$" are kept for the info commands and, while the output rule above holds, written on
 * the UART as "$...*hh\r\n" between other lines, held like URCs while a command executes or the
 * "> " prompt is open (modem-io.ts; simplification: at most 32 are held, the oldest dropped).
 * Receiver off: nothing is written or kept. Every power loss or reboot switches the receiver off and
 * resets CGNSSTST / CGNSSPORTSWITCH / CGNSTST to their defaults: the firmware must set them again.
 * Not modelled: time to first fix (the receiver reports whatever the virtual GNSS says at once),
 * the SIM7000G board's GNSS power pin (AT+SGPIO), AT+CGPSINFOCFG, AT+QGPSCFG.
 */
import { type Arg, PLAIN_ERROR, cme, intArg } from "../at-syntax.ts";
import type { GnssDialect } from "../profiles.ts";
import type { Form, ModemContext, SubResult } from "./context.ts";
import { GnssFixMemory } from "./gnss-report.ts";

/** AT+CGPS=0 → the "+CGPS: 0" URC (ms; the manual says the engine may take 2-30 s to close). */
const CGPS_STOPPED_URC_MS = 1000;
/** A partial line longer than this is dropped (bytes). */
const MAX_NMEA_LINE = 200;

/** Every GNSS command of every dialect (a module answers ERROR to the ones not in its dialect). */
const DIALECT_COMMANDS: Readonly<Record<Exclude<GnssDialect, "none">, readonly string[]>> = Object.freeze({
  cgps: ["CGPS", "CGNSSTST", "CGNSSPORTSWITCH", "CGPSINFO"],
  cgns: ["CGNSPWR", "CGNSTST", "CGNSINF"],
  qgps: ["QGPS", "QGPSEND", "QGPSLOC"],
});
const ALL_COMMANDS = new Set(Object.values(DIALECT_COMMANDS).flat());

/** The receiver's state and its NMEA input; the output goes to `writeLine` (the modem's UART). */
export class GnssReceiver {
  on = false;
  /** AT+CGPS <mode>. */
  mode = 1;
  /** AT+CGNSSTST / AT+CGNSTST. */
  nmeaToAt = false;
  /** AT+CGNSSPORTSWITCH: 0 USB, 1 UART. */
  parsedPort = 0;
  nmeaPort = 0;
  readonly fix = new GnssFixMemory();
  /** NMEA lines written to the UART since the modem was built. */
  linesOut = 0;
  private partial = "";

  constructor(
    readonly dialect: GnssDialect,
    private readonly writeLine: (line: string) => void,
  ) {}

  /** True while NMEA sentences go to the AT UART. */
  get nmeaToUart(): boolean {
    if (!this.on || !this.nmeaToAt) return false;
    return this.dialect === "cgns" || (this.dialect === "cgps" && this.nmeaPort === 1);
  }

  /** Bytes from the GNSS engine (latin1, one char per byte): whole "$" lines are kept and maybe written. */
  feed(text: string): void {
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      const line = (this.partial + text.slice(start, nl)).replace(/\r$/, "");
      this.partial = "";
      start = nl + 1;
      this.line(line);
    }
    this.partial += text.slice(start);
    if (this.partial.length > MAX_NMEA_LINE) this.partial = "";
  }

  private line(line: string): void {
    if (!this.on || !line.startsWith("$")) return;
    this.fix.take(line);
    if (!this.nmeaToUart) return;
    this.linesOut++;
    this.writeLine(line);
  }

  start(mode = 1): void {
    this.on = true;
    this.mode = mode;
  }

  stop(): void {
    this.on = false;
    this.fix.clear();
  }

  /** Power loss or reboot: off, output settings back to their defaults. */
  reset(): void {
    this.stop();
    this.mode = 1;
    this.nmeaToAt = false;
    this.parsedPort = 0;
    this.nmeaPort = 0;
  }
}

export type GnssContext = Pick<ModemContext, "gnss" | "schedule" | "urc">;

/** Answer a GNSS command, or undefined when `name` is none of any dialect (the dispatcher goes on). */
export function gnssCommand(m: GnssContext, name: string, form: Form, args: Arg[]): SubResult | undefined {
  if (!ALL_COMMANDS.has(name)) return undefined;
  const dialect = m.gnss.dialect;
  if (dialect === "none" || !DIALECT_COMMANDS[dialect].includes(name)) return { error: PLAIN_ERROR };
  if (dialect === "cgps") return cgpsCommand(m, name, form, args);
  if (dialect === "cgns") return cgnsCommand(m, name, form, args);
  return qgpsCommand(m, name, form, args);
}

/** Exactly `count` arguments, each 0 or 1, or undefined when malformed. */
function flags(args: Arg[], count: number): number[] | undefined {
  if (args.length !== count) return undefined;
  const values = args.map(intArg);
  return values.every((v) => v === 0 || v === 1) ? (values as number[]) : undefined;
}

function cgpsCommand(m: GnssContext, name: string, form: Form, args: Arg[]): SubResult {
  const g = m.gnss;
  switch (name) {
    case "CGPS": {
      if (form === "read") return { blocks: [`+CGPS: ${g.on ? 1 : 0},${g.mode}`] };
      if (form === "test") return { blocks: ["+CGPS: (0,1),(1-3)"] };
      const on = intArg(args[0]);
      const mode = args[1] === undefined ? 1 : intArg(args[1]);
      if (form !== "set" || args.length > 2 || (on !== 0 && on !== 1) || mode === undefined || mode < 1 || mode > 3) return { error: PLAIN_ERROR };
      if ((on === 1) === g.on) return { error: PLAIN_ERROR };
      if (on === 1) {
        g.start(mode);
        return {};
      }
      g.stop();
      return { after: () => m.schedule(CGPS_STOPPED_URC_MS, () => m.urc("+CGPS: 0")) };
    }
    case "CGNSSTST": {
      if (form === "read") return { blocks: [`+CGNSSTST: ${g.nmeaToAt ? 1 : 0}`] };
      if (form === "test") return { blocks: ["+CGNSSTST: (0,1)"] };
      const v = form === "set" ? flags(args, 1) : undefined;
      if (!v) return { error: PLAIN_ERROR };
      g.nmeaToAt = v[0] === 1;
      return {};
    }
    case "CGNSSPORTSWITCH": {
      if (form === "read") return { blocks: [`+CGNSSPORTSWITCH: ${g.parsedPort},${g.nmeaPort}`] };
      if (form === "test") return { blocks: ["+CGNSSPORTSWITCH: (0,1),(0,1)"] };
      const v = form === "set" ? flags(args, 2) : undefined;
      if (!v) return { error: PLAIN_ERROR };
      [g.parsedPort, g.nmeaPort] = v as [number, number];
      return {};
    }
    default: // CGPSINFO
      if (form === "exec") return { blocks: [g.fix.cgpsinfo()] };
      if (form === "test") return { blocks: ["+CGPSINFO: (0-255)"] };
      return form === "set" && args.length === 1 && intArg(args[0]) === 0 ? {} : { error: PLAIN_ERROR };
  }
}

function cgnsCommand(m: GnssContext, name: string, form: Form, args: Arg[]): SubResult {
  const g = m.gnss;
  if (name === "CGNSINF") return form === "exec" ? { blocks: [g.fix.cgnsinf(g.on)] } : form === "test" ? {} : { error: PLAIN_ERROR };
  const value = name === "CGNSPWR" ? g.on : g.nmeaToAt;
  if (form === "read") return { blocks: [`+${name}: ${value ? 1 : 0}`] };
  if (form === "test") return { blocks: [`+${name}: (0-1)`] };
  const v = form === "set" ? flags(args, 1) : undefined;
  if (!v) return { error: PLAIN_ERROR };
  if (name === "CGNSTST") g.nmeaToAt = v[0] === 1;
  else if (v[0] === 1 && !g.on) g.start();
  else if (v[0] === 0 && g.on) g.stop();
  return {};
}

function qgpsCommand(m: GnssContext, name: string, form: Form, args: Arg[]): SubResult {
  const g = m.gnss;
  switch (name) {
    case "QGPS":
      if (form === "read") return { blocks: [`+QGPS: ${g.on ? 1 : 0}`] };
      if (form === "test") return { blocks: ["+QGPS: (1),(1-255),(1-1000),(0-1000),(1-65535)"] };
      if (form !== "set" || intArg(args[0]) !== 1) return { error: cme(501) };
      if (g.on) return { error: cme(504) };
      g.start();
      return {};
    case "QGPSEND":
      if (form === "test") return {};
      if (form !== "exec") return { error: PLAIN_ERROR };
      if (!g.on) return { error: cme(505) };
      g.stop();
      return {};
    default: {
      // QGPSLOC
      if (form === "test") return { blocks: ["+QGPSLOC: (0-2)"] };
      const mode = form === "set" ? intArg(args[0]) : 0;
      if (mode === undefined || mode > 2 || args.length > 1) return { error: cme(501) };
      if (!g.on) return { error: cme(505) };
      const answer = g.fix.qgpsloc(mode as 0 | 1 | 2);
      return answer ? { blocks: [answer] } : { error: cme(516) };
    }
  }
}

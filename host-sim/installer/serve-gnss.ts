/**
 * `tracker serve-gnss`: the virtual GNSS receiver on a real serial port, to feed a real board's
 * GNSS UART (hardware in the loop): a generated drive (the simulator's San Jose drive, seeded) or a
 * recorded NMEA log, one epoch per second of real time (or `speed` times faster), at the receiver's
 * baud rate.
 */
import type { SerialPort } from "serialport";
import { VirtualGnss, loadNmeaFile, type GnssSource } from "../gnss/virtual-gnss.ts";
import { defaultDrive } from "../gnss/drive.ts";
import { UartWire } from "../uart.ts";
import { closeSerial, openSerial } from "./serial-open.ts";
import { StopSwitch, clockStamp, realTimeClock, runClockUntilStopped } from "./real-time.ts";

export interface ServeGnssOptions {
  /** Serial port path (the board's GNSS RX wire is on its TX). */
  port: string;
  /** Line speed, bit/s (default 9600, as u-blox receivers start). */
  baud?: number;
  /** Seed of the sky model (default 1). */
  seed?: number;
  /** Play this NMEA log instead of the generated drive. */
  nmeaFile?: string;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** Progress lines (default console.log). */
  print?: (line: string) => void;
  /** Stops serving (default: a new one; the CLI stops it on Ctrl-C). */
  stop?: StopSwitch;
  /** Progress line every this many epochs (default 10). */
  reportEvery?: number;
}

/** Serve until stopped (or until a recording has played); resolves with the exit code. */
export async function serveGnss(options: ServeGnssOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const baud = options.baud ?? 9600;
  const speed = options.speed ?? 1;
  const source: GnssSource = options.nmeaFile ? loadNmeaFile(options.nmeaFile) : defaultDrive();
  const port: SerialPort = await openSerial(options.port, { baudRate: baud, what: "the GNSS port" });
  const clock = realTimeClock(speed);
  const stop = options.stop ?? new StopSwitch();
  // the switch given may have no clock to wake: wake ours when it is thrown
  void stop.stopped.then(() => clock.after(0, () => {}));
  let writeError: Error | undefined;
  port.on("error", (e) => {
    writeError = e;
    stop.stop(`serial error: ${e.message}`);
  });
  port.on("close", () => stop.stop("the port was closed (unplugged?)"));
  const wire = new UartWire(clock, { baud, chunk: 256 }, (chunk) => {
    port.write(Buffer.from(chunk));
  });
  const every = options.reportEvery ?? 10;
  const gnss = new VirtualGnss(clock, wire, source, {
    seed: options.seed ?? 1,
    onEpoch: (lines, atMs) => {
      const n = gnss.epochsSent;
      if (n === 1 || n % every === 0) {
        const rmc = lines.find((l) => /^\$..RMC,/.test(l));
        print(`${clockStamp(atMs)} epoch ${n}, ${gnss.bytesSent} bytes sent${rmc ? `: ${rmc}` : ""}`);
      }
    },
  });
  const what = options.nmeaFile ? `${options.nmeaFile} (${"epochs" in source ? source.epochs.length : 0} epochs)` : "a 15-minute drive around San Jose (10 s cold start)";
  print(`serving GNSS on ${options.port} at ${baud} baud: ${what}${speed !== 1 ? `, ${speed}x real time` : ""}. Ctrl-C stops.`);
  gnss.start();
  await runClockUntilStopped(clock, stop, () => {
    if (!gnss.running && !stop.isStopped) stop.stop("the recording has played to its end");
  });
  gnss.stop();
  await new Promise<void>((resolve) => port.drain(() => resolve()));
  await closeSerial(port);
  print(`${clockStamp(clock.nowMs)} stopped (${stop.reason}): ${gnss.epochsSent} epochs, ${gnss.bytesSent} bytes sent`);
  return writeError ? 1 : 0;
}

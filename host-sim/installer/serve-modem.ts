/**
 * `tracker serve-modem`: the virtual modem (with its SMS network and the owner's and a stranger's
 * phones) on a real serial port, to answer a real board's modem UART (hardware in the loop). The
 * modem runs on the virtual clock following the wall clock; it is switched on at start (the board's
 * PWRKEY line does not reach this computer). An interactive prompt: a typed line is an SMS from the
 * owner's phone to the tracker; every SMS the tracker sends is printed.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { SerialPort } from "serialport";
import { SmsNetwork } from "../modem/sms-network.ts";
import { VirtualModem } from "../modem/virtual-modem.ts";
import { VirtualPhone } from "../modem/phone.ts";
import type { ProfileName } from "../modem/profiles.ts";
import type { UartWire } from "../uart.ts";
import type { VirtualModemOptions } from "../modem/modem-types.ts";
import { DEFAULT_OWNER, DEFAULT_STRANGER, DEFAULT_TRACKER } from "../simulation.ts";
import { closeSerial, openSerial } from "./serial-open.ts";
import { StopSwitch, clockStamp, realTimeClock, runClockUntilStopped } from "./real-time.ts";

export interface ServeModemOptions {
  port: string;
  /** Modem dialect (default a7670). */
  profile?: ProfileName;
  /** Line speed, bit/s (default 115200). */
  baud?: number;
  /** The owner's phone number (default the simulator's owner, +14085550199). */
  owner?: string;
  /** The tracker SIM's number (default +14085550100). */
  trackerNumber?: string;
  /** Typed lines (default process.stdin); its end stops serving. */
  input?: Readable;
  print?: (line: string) => void;
  stop?: StopSwitch;
  /** Passed to the VirtualModem (boot and registration times, SIM PIN...). */
  modemOptions?: Partial<Omit<VirtualModemOptions, "number" | "profile" | "baud">>;
  /** Called once the modem is built (tests look at it). */
  onModem?: (modem: VirtualModem, phones: { owner: VirtualPhone; stranger: VirtualPhone }) => void;
}

export const SERVE_MODEM_HELP = `Type a line and press Enter: the owner's phone texts it to the tracker (e.g. WHERE).
  /stranger <text>      text from a number that is not registered
  /status               the modem's power, registration and stored SMS
  /traffic on|off       show the AT commands live
  /quit                 stop (Ctrl-D and Ctrl-C work too)`;

/** Serve until stopped or the input ends; resolves with the exit code. */
export async function serveModem(options: ServeModemOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const baud = options.baud ?? 115_200;
  const profile = options.profile ?? "a7670";
  const trackerNumber = options.trackerNumber ?? DEFAULT_TRACKER;
  const port: SerialPort = await openSerial(options.port, { baudRate: baud, what: "the modem port" });
  const clock = realTimeClock(1);
  const stop = options.stop ?? new StopSwitch();
  void stop.stopped.then(() => clock.after(0, () => {}));
  port.on("error", (e) => stop.stop(`serial error: ${e.message}`));
  port.on("close", () => stop.stop("the port was closed (unplugged?)"));

  const network = new SmsNetwork(clock);
  const owner = new VirtualPhone(network, options.owner ?? DEFAULT_OWNER);
  const stranger = new VirtualPhone(network, DEFAULT_STRANGER);
  const modem = new VirtualModem(clock, network, { seed: 1, ...options.modemOptions, baud, profile, number: trackerNumber });
  // the modem's TX: straight onto the serial port (the real line sets the pace)
  modem.connect({ write: (bytes: Uint8Array) => void port.write(Buffer.from(bytes)) } as unknown as UartWire);
  port.on("data", (data: Buffer) => {
    const bytes = new Uint8Array(data);
    clock.at(clock.nowMs, () => modem.receive(bytes));
  });
  options.onModem?.(modem, { owner, stranger });

  let liveTraffic = false;
  let trafficShown = 0;
  let logged = 0;
  const showNews = () => {
    for (; logged < network.log.length; logged++) {
      const sms = network.log[logged]!;
      if (sms.from === trackerNumber) print(`${clockStamp(clock.nowMs)} SMS tracker → ${sms.to}: ${sms.text.replace(/\n/g, "\n        ")}`);
    }
    if (liveTraffic) {
      const lines = modem.trafficLines();
      for (const line of lines.slice(trafficShown)) print(`  ${line}`);
      trafficShown = lines.length;
    }
  };

  const input = options.input ?? process.stdin;
  const rl = createInterface({ input, terminal: false });
  rl.on("line", (raw) => {
    const line = raw.trim();
    if (!line) return;
    clock.at(clock.nowMs, () => handle(line));
  });
  rl.on("close", () => stop.stop("end of input"));
  const onSigint = () => stop.stop("Ctrl-C");
  process.once("SIGINT", onSigint);

  const handle = (line: string) => {
    const [command = "", ...rest] = line.split(/\s+/);
    const text = rest.join(" ");
    switch (line.startsWith("/") ? command : "") {
      case "":
        owner.send(trackerNumber, line);
        print(`${clockStamp(clock.nowMs)} SMS ${owner.number} (owner) → tracker: ${line}`);
        break;
      case "/stranger":
        stranger.send(trackerNumber, text || "WHERE");
        print(`${clockStamp(clock.nowMs)} SMS ${stranger.number} (stranger) → tracker: ${text || "WHERE"}`);
        break;
      case "/status":
        print(
          `${clockStamp(clock.nowMs)} modem ${modem.powerState}, registration ${modem.registration()}, SMS ready ${modem.isSmsReady}, ` +
            `${modem.storedMessages().length} SMS stored, ${modem.commandsReceived} commands received`,
        );
        break;
      case "/traffic":
        liveTraffic = text === "on";
        trafficShown = modem.trafficLines().length;
        print(`live AT traffic ${liveTraffic ? "on" : "off"}`);
        break;
      case "/quit":
      case "/exit":
        stop.stop("/quit");
        break;
      default:
        print(SERVE_MODEM_HELP);
    }
  };

  print(`serving a virtual ${profile.toUpperCase()} modem on ${options.port} at ${baud} baud; SIM ${trackerNumber}, owner ${owner.number}.`);
  print(SERVE_MODEM_HELP);
  modem.powerOn();
  // a board that never sends a command is probably not wired to this port: say so once
  const silence = clock.after(30_000, () => {
    if (modem.commandsReceived === 0) print(`${clockStamp(clock.nowMs)} no AT command from the board in 30 s: check TX/RX are crossed, common ground, and the board's modem baud rate (${baud}).`);
  });
  await runClockUntilStopped(clock, stop, showNews);
  clock.cancel(silence);
  showNews();
  process.removeListener("SIGINT", onSigint);
  rl.close();
  await closeSerial(port);
  print(`${clockStamp(clock.nowMs)} stopped (${stop.reason}): ${modem.commandsReceived} AT commands, ${network.log.length} SMS on the network`);
  return 0;
}

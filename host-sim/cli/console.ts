/**
 * The interactive console of `tracker start`: the firmware runs in the simulator, time flows at a
 * chosen multiple of real time, and the person at the keyboard is the owner's phone. Plain lines
 * are sent as SMS from the owner; commands starting with "/" look at or change the world.
 */
import { createInterface } from "node:readline";
import { Simulation, DEFAULT_PIN, DEFAULT_STRANGER } from "../simulation.ts";
import { SETUP_CODE as CONSOLE_SETUP_CODE } from "../scenario/access-scenarios.ts";
import { loadNmeaFile } from "../gnss/virtual-gnss.ts";
import { showControls } from "../modem/virtual-modem.ts";
import type { EngineName } from "../engines/engine.ts";
import type { LogLine } from "../firmware-device.ts";
import type { ProfileName } from "../modem/profiles.ts";

export interface ConsoleOptions {
  engine: EngineName;
  /** Simulated seconds per real second. */
  speed: number;
  seed: number;
  /** Owner number; null = unclaimed tracker; undefined = default. */
  ownerNumber: string | null | undefined;
  nmeaFile: string | undefined;
  /** Modem dialect (virtual modem and firmware build configuration); default a7670. */
  modemProfile?: ProfileName;
}

const CONSOLE_HELP = `Type a message and press Enter: it is sent as an SMS from the owner's phone
(\\n in it is a line break: WHERE\\nplease sends two lines).
  WHERE                 ask where the vehicle is; HELP lists every command (the PIN is ${DEFAULT_PIN})
  /stranger <text>      send an SMS from a number that is not registered
  /from <number> <text> send an SMS with any sender (spoofing tests)
  /status               vehicle, GNSS, modem and tracker state
  /traffic [on|off]     show the AT traffic between firmware and modem (last lines, or live)
  /logs [on|off]        show the firmware's log (last lines, or live)
  /tunnel on|off        the vehicle loses (or regains) the sky
  /power cut|on         cut the vehicle's supply to the tracker (it runs on its battery), or restore it
  /ignition on|off      start the engine (charging voltage) or switch it off
  /wait <seconds>       let simulated time pass quickly
  /speed <factor>       simulated seconds per real second
  /help                 this text
  /quit                 leave (Ctrl-D works too)`;

/** Wall-clock period of the simulation loop (ms). */
const TICK_MS = 50;

/** "12.6 V supply, 4.1 V battery". */
function powerText(reading: { vehicleMv: number; batteryMv: number }): string {
  return `${(reading.vehicleMv / 1000).toFixed(1)} V supply, ${(reading.batteryMv / 1000).toFixed(1)} V battery`;
}

function stamp(sim: Simulation): string {
  const s = sim.clock.nowMs / 1000;
  const m = Math.floor(s / 60);
  return `[${String(m).padStart(2, "0")}:${(s - m * 60).toFixed(1).padStart(4, "0")}]`;
}

export async function runConsole(options: ConsoleOptions): Promise<number> {
  const sim = await Simulation.create({
    engine: options.engine,
    seed: options.seed,
    ownerNumber: options.ownerNumber,
    // the unit's label: a setup code to CLAIM an unclaimed tracker with
    settings: { setupCode: CONSOLE_SETUP_CODE },
    gnssSource: options.nmeaFile ? loadNmeaFile(options.nmeaFile) : undefined,
    modemProfile: options.modemProfile,
  });
  let speed = options.speed;
  let liveTraffic = false;
  let liveLogs = false;
  let trafficShown = 0;
  let closing = false;
  /**
   * Everything that runs the simulation goes through this chain, one at a time: typed lines, the
   * clock ticks and the final wait. It starts once the simulation has started.
   */
  let busy: Promise<void>;
  let started!: () => void;
  busy = new Promise<void>((resolve) => (started = resolve));

  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  // Listen before anything is awaited: piped input can be read, and closed, while the engine starts.
  let inputClosed = false;
  const closed = new Promise<void>((resolve) =>
    rl.once("close", () => {
      inputClosed = true;
      resolve();
    }),
  );
  rl.on("SIGINT", () => rl.close()); // Ctrl-C leaves at once, like /quit and Ctrl-D
  rl.on("line", (input) => {
    busy = busy.then(() => handle(input)).catch((e) => print(`error: ${(e as Error).message}`));
  });
  const print = (text: string) => {
    if (interactive) {
      process.stdout.write("\r\x1b[K" + text + "\n");
      // (a prompt after the console closed would resume stdin and keep the process alive)
      if (!inputClosed) rl.prompt(true);
    } else {
      process.stdout.write(text + "\n");
    }
  };
  const ownerLabel =
    options.ownerNumber === null
      ? `(none: unclaimed; the label's setup code is ${CONSOLE_SETUP_CODE}: CLAIM ${CONSOLE_SETUP_CODE} <new PIN>)`
      : `${sim.owner.number} (PIN ${DEFAULT_PIN})`;

  let unclaimed = options.ownerNumber === null;
  sim.owner.onMessage = (m) => {
    if (m.text.startsWith("You are now the owner")) unclaimed = false;
    if (m.text.startsWith("This tracker was reset")) unclaimed = true;
    print(`${stamp(sim)} 📱 owner ← tracker: ${m.text.replace(/\n/g, "\n            ")}`);
  };
  sim.stranger.onMessage = (m) => print(`${stamp(sim)} 📱 stranger ← tracker: ${m.text}`);
  sim.device.onStateChange = (state) => print(`${stamp(sim)} tracker state: ${state}`);
  sim.device.onLog = (line: LogLine) => {
    if (liveLogs || line.level === "error") print(`${stamp(sim)} log ${line.level} [${line.tag}] ${line.message}`);
  };

  console.log(`SMS GPS tracker — firmware on the ${options.engine === "xs" ? "Moddable XS" : "Node"} engine in the simulator`);
  console.log(`tracker SIM ${sim.trackerNumber}, owner ${ownerLabel}, stranger ${DEFAULT_STRANGER}; time runs ${speed}x real time`);
  console.log(`${options.nmeaFile ? `GNSS plays ${options.nmeaFile}` : "GNSS: a 15-minute drive around San Jose, 10 s cold start"}. Type /help for commands.\n`);
  await sim.start();
  started();

  const showTraffic = () => {
    const lines = sim.modem.trafficLines();
    for (const line of lines.slice(trafficShown)) print(`  ${line}`);
    trafficShown = lines.length;
  };

  const status = () => {
    const truth = sim.gnss.truth();
    const fixLine = [...sim.device.logs].reverse().find((l) => l.tag === "gnss");
    print(
      [
        `${stamp(sim)} status`,
        truth
          ? `  vehicle   ${truth.latDeg.toFixed(5)},${truth.lonDeg.toFixed(5)}  ${truth.speedKmh.toFixed(0)} km/h  ${truth.moving ? "driving" : "stopped"}`
          : "  vehicle   (NMEA playback: position is whatever the log says)",
        sim.vehicle ? `  power     ${powerText(sim.vehicle.reading())}, ignition ${sim.vehicle.ignition ? "on" : "off"}${sim.vehicle.supplied ? "" : " (supply cut)"}` : "",
        `  gnss      ${sim.gnss.epochsSent} epochs sent${sim.gnss.isSignalLost ? " (in a tunnel: no sky)" : truth && !truth.hasFix ? " (no fix yet: cold start)" : ""}`,
        `  modem     ${sim.modem.powerState}, registration ${sim.modem.registration()}, ${sim.modem.storedMessages().length} SMS stored`,
        `  tracker   ${sim.device.state}${unclaimed ? ", unclaimed (answers only CLAIM)" : `, owner ${sim.owner.number}`}${sim.device.faults.length ? `, ${sim.device.faults.length} FAULTS` : ""}`,
        `  sms       ${sim.network.messagesFrom(sim.trackerNumber).length} sent by the tracker, ${sim.network.messagesTo(sim.trackerNumber).length} received`,
        fixLine ? `  last gnss log: ${fixLine.message}` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  };

  const handle = async (input: string): Promise<void> => {
    const line = input.trim();
    if (!line) return;
    if (!line.startsWith("/")) {
      if (unclaimed && !/^claim\b/i.test(line)) print("(the owner's phone sends it, but this tracker is unclaimed: it answers only a CLAIM)");
      sim.owner.send(sim.trackerNumber, line.replace(/\\n/g, "\n"));
      print(`${stamp(sim)} 📱 owner → tracker: ${line}`);
      return;
    }
    const [command = "", ...rest] = line.split(/\s+/);
    const arg = rest.join(" ");
    switch (command) {
      case "/help":
        print(CONSOLE_HELP);
        break;
      case "/quit":
      case "/exit":
        rl.close();
        break;
      case "/stranger":
        sim.stranger.send(sim.trackerNumber, arg || "WHERE");
        print(`${stamp(sim)} 📱 stranger → tracker: ${arg || "WHERE"}`);
        break;
      case "/from": {
        const [from, ...text] = rest;
        if (!from) print("usage: /from <number> <text>");
        else {
          sim.stranger.sendAs(from, sim.trackerNumber, text.join(" ") || "WHERE");
          print(`${stamp(sim)} 📱 ${from} → tracker: ${text.join(" ") || "WHERE"}`);
        }
        break;
      }
      case "/status":
        status();
        break;
      case "/traffic":
        if (arg === "on" || arg === "off") {
          liveTraffic = arg === "on";
          trafficShown = sim.modem.trafficLines().length;
          print(`live AT traffic ${arg}`);
        } else {
          for (const l of sim.modem.trafficLines().slice(-30)) print(`  ${l}`);
        }
        break;
      case "/logs":
        if (arg === "on" || arg === "off") {
          liveLogs = arg === "on";
          print(`live firmware log ${arg}`);
        } else {
          for (const l of sim.device.logs.slice(-30)) print(`  ${(l.atMs / 1000).toFixed(1)} s ${l.level} [${l.tag}] ${l.message}`);
        }
        break;
      case "/tunnel":
        if (arg !== "on" && arg !== "off") {
          print(`usage: /tunnel on|off (now ${sim.gnss.isSignalLost ? "on" : "off"})`);
          break;
        }
        sim.gnss.setSignalLost(arg === "on");
        print(arg === "off" ? "the vehicle is back under open sky" : "the vehicle is in a tunnel: no GNSS signal");
        break;
      case "/power": {
        const vehicle = sim.vehicle;
        if (!vehicle || (arg !== "cut" && arg !== "on")) {
          print(`usage: /power cut|on (now ${vehicle?.supplied === false ? "cut" : "on"})`);
          break;
        }
        if (arg === "cut") vehicle.cutPower();
        else vehicle.restorePower();
        print(arg === "cut" ? "the vehicle's supply to the tracker is cut: it runs on its backup battery" : "the vehicle's supply is back");
        break;
      }
      case "/ignition": {
        const vehicle = sim.vehicle;
        if (!vehicle || (arg !== "on" && arg !== "off")) {
          print(`usage: /ignition on|off (now ${vehicle?.ignition ? "on" : "off"})`);
          break;
        }
        if (arg === "on") vehicle.ignitionOn();
        else vehicle.ignitionOff();
        print(arg === "on" ? "the engine is started" : "the engine is switched off");
        break;
      }
      case "/wait": {
        const seconds = Number(arg);
        if (!(seconds > 0 && seconds <= 86_400)) print("usage: /wait <seconds> (1 to 86400)");
        else {
          await sim.runFor(seconds * 1000);
          print(`${stamp(sim)} waited ${seconds} s`);
        }
        break;
      }
      case "/speed": {
        const factor = Number(arg);
        if (!(factor >= 0.1 && factor <= 1000)) print("usage: /speed <factor> (0.1 to 1000)");
        else {
          speed = factor;
          print(`time runs ${speed}x real time`);
        }
        break;
      }
      default:
        print(`unknown console command ${showControls(command)}; type /help`);
    }
  };

  const timer = setInterval(() => {
    busy = busy.then(async () => {
      if (closing) return;
      await sim.runFor(TICK_MS * speed);
      if (liveTraffic) showTraffic();
    });
  }, TICK_MS);

  rl.setPrompt("sms> ");
  if (interactive) rl.prompt();
  await closed;
  // No more ticks: from here on, only this code runs the simulation (never two runs at once).
  closing = true;
  clearInterval(timer);
  await busy;
  // Piped input ended: let pending messages finish (at most two simulated minutes) before leaving.
  if (!interactive) {
    // (the owner's commands each get a reply; a WHERE without a fix waits up to a minute for one)
    const fromOwner = () => sim.network.messagesTo(sim.trackerNumber).filter((m) => m.from === sim.owner.number).length;
    const unanswered = () => sim.network.log.some((m) => m.status === "in-flight") || fromOwner() > sim.owner.inbox.length;
    if (unanswered()) await sim.clock.runUntilCondition(() => !unanswered(), 120_000);
    await sim.runFor(5_000);
  }
  await sim.close();
  print(`${stamp(sim)} simulation ended`);
  return sim.device.faults.length ? 1 : 0;
}

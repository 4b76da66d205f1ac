/**
 * GNSS inside the modem (LilyGO T-SIM7600, T-SIM7000G: board option gnssSource "modem"): switches
 * the modem's receiver on by the profile's `gnssOn` commands after every bring-up of the modem (a
 * reboot forgets it), and turns the '$' lines the modem then sends on its AT UART into bytes for the
 * NMEA reader, as if they came from a GNSS UART.
 *
 * The sequence runs one command at a time through the AT chat (so on the allow list). A query step
 * decides whether the next step is needed; a step marked `errorOk` may answer ERROR; any other
 * failure stops the sequence (logged; the next bring-up tries again). An antenna supply on a modem
 * GPIO (`antennaGpio`, T-SIM7000G: 48) is driven high first; a modem that refuses it is warned
 * about and the receiver switched on all the same (a passive antenna still works).
 */
import type { Logger } from "../platform/ports";
import type { AtChat, AtResponse } from "./at-chat";
import type { GnssOnStep, ModemProfile } from "./profiles";

const TAG = "gnss.modem";
/** Longest NMEA line handed on, bytes (the NMEA reader's capacity is 256 with '$'). */
const MAX_LINE_BYTES = 254;

/** Where the switch-on stands: "idle" before the first, "switching", "on" once every step passed, "failed". */
export type ModemGnssState = "idle" | "switching" | "on" | "failed";

export interface ModemGnssOptions {
  /** A modem GPIO that powers the active antenna (AT+CGPIO=0,<pin>,1,1), or undefined/-1 for none. */
  antennaGpio?: number;
}

export class ModemGnss {
  /** Where the last switch-on stands. */
  state: ModemGnssState = "idle";
  /** Switch-ons completed (one per modem bring-up), NMEA lines handed on, lines cut for length. */
  readonly stats = { switchedOn: 0, failures: 0, lines: 0, linesCut: 0 };
  readonly #steps: readonly GnssOnStep[];
  readonly #chat: AtChat;
  readonly #log: Logger;
  /** Bumped by every start(): answers of an older sequence are ignored. */
  #run = 0;
  readonly #bytes = new Uint8Array(MAX_LINE_BYTES + 2);

  /** Throws when `profile` has no GNSS switch-on (its modem's GNSS is not supported here). */
  constructor(chat: AtChat, log: Logger, profile: ModemProfile, options: ModemGnssOptions = {}) {
    const steps = profile.gnssOn;
    if (steps === undefined || steps.length === 0) throw new Error(`modem profile ${profile.name} has no GNSS switch-on: use a GNSS on its own UART`);
    const gpio = options.antennaGpio;
    this.#steps =
      gpio !== undefined && gpio >= 0 && Number.isInteger(gpio)
        ? [{ command: `AT+CGPIO=0,${gpio},1,1`, timeoutMs: 2_000, errorOk: true }, ...steps]
        : steps;
    this.#chat = chat;
    this.#log = log;
  }

  /** The commands in order (for logs and tests). */
  get commands(): string[] {
    return this.#steps.map((s) => s.command);
  }

  /** Switch the receiver on (call after every modem bring-up). A sequence still running is abandoned. */
  start(): void {
    const run = ++this.#run;
    this.state = "switching";
    this.#step(run, 0, []);
  }

  /** The modem went away: an unfinished sequence is dropped (its commands are aborted by the chat). */
  stop(): void {
    this.#run++;
    if (this.state === "switching") this.state = "idle";
  }

  #step(run: number, index: number, previous: readonly string[]): void {
    if (run !== this.#run) return;
    const steps = this.#steps;
    if (index >= steps.length) {
      this.state = "on";
      this.stats.switchedOn++;
      this.#log.log("info", TAG, "GNSS in the modem switched on; NMEA on the AT UART");
      return;
    }
    const step = steps[index]!;
    const skip = step.skipIfLine;
    if (skip !== undefined && previous.some((line) => line.startsWith(skip))) {
      this.#step(run, index + 1, []);
      return;
    }
    this.#chat.send({ command: step.command, timeoutMs: step.timeoutMs }, (response) => this.#answered(run, index, step, response));
  }

  #answered(run: number, index: number, step: GnssOnStep, response: AtResponse): void {
    if (run !== this.#run) return;
    const ok = response.outcome === "ok" || (step.errorOk === true && (response.outcome === "error" || response.outcome === "cme-error"));
    if (!ok) {
      this.state = "failed";
      this.stats.failures++;
      this.#log.log("error", TAG, `${step.command} failed (${response.outcome} ${response.error}): no position until the modem's next start`);
      return;
    }
    if (response.outcome !== "ok" && step.command.startsWith("AT+CGPIO")) {
      this.#log.log("warn", TAG, `${step.command} refused (${response.error}): the active antenna may be unpowered`);
    }
    this.#step(run, index + 1, step.query === true ? response.lines : []);
  }

  /**
   * One '$' line from the AT chat (AtChat.onNmeaLine) as bytes with CR LF, handed to `feed` (the
   * buffer is reused: valid during the call only). Lines past the NMEA length are cut (and then
   * fail their checksum).
   */
  nmeaLine(line: string, feed: (bytes: Uint8Array) => void): void {
    const bytes = this.#bytes;
    let n = line.length;
    if (n > MAX_LINE_BYTES) {
      n = MAX_LINE_BYTES;
      this.stats.linesCut++;
    }
    for (let i = 0; i < n; i++) bytes[i] = line.charCodeAt(i) & 0xff;
    bytes[n] = 0x0d;
    bytes[n + 1] = 0x0a;
    this.stats.lines++;
    feed(bytes.subarray(0, n + 2));
  }
}

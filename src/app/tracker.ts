/**
 * The composition root: wires GNSS, modem, SMS, settings, registered numbers and commands over the
 * ports, and owns the policy: only registered numbers get answers, each of their messages gets
 * exactly one reply, and location only ever leaves inside such a reply.
 */
import type { TrackerPorts } from "../platform/ports";
import { GnssReceiver } from "../gnss/fix-tracker";
import { AtChat } from "../modem/at-chat";
import { ModemInit } from "../modem/modem-init";
import { SmsInbox } from "../sms/sms-inbox";
import { SmsOutbox } from "../sms/sms-outbox";
import type { ReceivedSms } from "../sms/sms";
import { Settings } from "../store/settings";
import { RegisteredNumbers } from "../auth/registered-numbers";
import { maskNumber } from "../auth/phone-number";
import { replyTo } from "../commands/command-handler";

/** Install-time settings (from the build configuration), applied only to an unclaimed tracker. */
export interface TrackerOptions {
  /** Owner number an installer sets when flashing; ignored once an owner exists. */
  installerOwnerNumber?: string;
  /** Country calling code for national numbers (digits), applied with the owner. */
  installerHomeCountryCode?: string;
}

/** Tracker lifecycle states. */
export type TrackerState = "off" | "modem-init" | "ready" | "modem-failed";

/** Wait before retrying a failed modem initialisation (ms). */
const INIT_RETRY_MS = 30_000;
/** Boot indications that mean the modem (re)started. */
const MODEM_BOOT_URCS = Object.freeze(["RDY", "*ATREADY: 1"]);
/**
 * PWRKEY pulse that switches a SIMCom A76xx/SIM7600 on (ms). It is well below their power-off
 * pulse (≥ 2.5 s), so pulsing a modem that is already on but silent does not switch it off.
 */
export const MODEM_POWER_PULSE_MS = 1_000;
/** Quick AT probes at power-on before the power key is pressed, and the wait for each (ms). */
const POWER_ON_PROBES = 3;
const PROBE_TIMEOUT_MS = 700;
const PROBE_INTERVAL_MS = 1_000;
/** Minimum time between wall-clock updates from GNSS (ms). */
const CLOCK_SYNC_INTERVAL_MS = 60_000;

export class Tracker {
  readonly gnss: GnssReceiver;
  readonly chat: AtChat;
  readonly settings: Settings;
  readonly numbers: RegisteredNumbers;
  readonly inbox: SmsInbox;
  readonly outbox: SmsOutbox;
  private readonly init: ModemInit;
  private stateName: TrackerState = "off";
  private initRetry: object | undefined;
  private lastClockSyncMs = -Infinity;
  private pulsedBeforeLastInit = false;
  /** Counters for diagnostics. */
  readonly stats = { commandsAnswered: 0, strangersIgnored: 0, modemReboots: 0 };

  constructor(
    private readonly ports: TrackerPorts,
    private readonly options: TrackerOptions = {},
  ) {
    const { clock, log } = ports;
    this.gnss = new GnssReceiver(clock, log);
    this.chat = new AtChat(ports.modem, clock, log);
    this.settings = new Settings(ports.store, log);
    this.numbers = new RegisteredNumbers(this.settings);
    this.outbox = new SmsOutbox(this.chat, clock, log);
    this.inbox = new SmsInbox(this.chat, clock, log, (sms, done) => this.onSms(sms, done));
    this.init = new ModemInit(this.chat, clock, log);
  }

  /** Current lifecycle state. */
  get state(): TrackerState {
    return this.stateName;
  }

  /** Start listening to both UARTs and bring the modem up. */
  start(): void {
    const { ports } = this;
    ports.pins.modemPowerOn?.write(1);
    ports.pins.modemPowerKey?.write(0);
    ports.gnss.onReceive = (chunk) => this.gnss.feed(chunk);
    this.gnss.onFix = (fix) => {
      if (fix.valid && Number.isFinite(fix.utcMs) && fix.receivedAtMs - this.lastClockSyncMs >= CLOCK_SYNC_INTERVAL_MS) {
        this.lastClockSyncMs = fix.receivedAtMs;
        ports.clock.setUtcMs(fix.utcMs);
      }
    };
    this.chat.onUrc = (line) => this.onUrc(line);
    this.applyInstallerSettings();
    if (this.numbers.unclaimed) {
      ports.log.log("warn", "app", "no owner number set: this tracker answers nobody until it is provisioned");
    }
    this.transition("modem-init", "power-on");
    this.probeModem(POWER_ON_PROBES, (alive) => {
      if (alive || !ports.pins.modemPowerKey) this.startModem(alive ? "modem answers" : "modem silent, no power key wired");
      else this.pressPowerKey(() => this.startModem("power key pressed"));
    });
  }

  /** Send AT up to `attempts` times, PROBE_INTERVAL_MS apart; `then(true)` at the first OK. */
  private probeModem(attempts: number, then: (alive: boolean) => void): void {
    const startedMs = this.ports.clock.monotonicMs();
    this.chat.send({ command: "AT", timeoutMs: PROBE_TIMEOUT_MS }, (response) => {
      if (response.outcome === "ok") return then(true);
      if (attempts <= 1) return then(false);
      const waitMs = Math.max(0, PROBE_INTERVAL_MS - (this.ports.clock.monotonicMs() - startedMs));
      this.initRetry = this.ports.clock.setTimeout(() => this.probeModem(attempts - 1, then), waitMs);
    });
  }

  /** Claim an unclaimed tracker for the installer's owner number; an existing owner is never replaced. */
  private applyInstallerSettings(): void {
    const { installerOwnerNumber, installerHomeCountryCode } = this.options;
    if (!installerOwnerNumber || !this.numbers.unclaimed) return;
    const { log } = this.ports;
    if (installerHomeCountryCode) {
      const cc = this.settings.set("homeCountryCode", installerHomeCountryCode);
      if (!cc.ok) log.log("error", "app", `installer country code refused: ${cc.reason}`);
    }
    const owner = this.settings.set("ownerNumber", installerOwnerNumber);
    if (owner.ok) log.log("info", "app", `owner ${maskNumber(this.settings.get("ownerNumber"))} set from the installer configuration`);
    else log.log("error", "app", `installer owner number refused: ${owner.reason}`);
  }

  private transition(to: TrackerState, why: string): void {
    if (to === this.stateName) return;
    this.ports.log.log("info", "app", `${this.stateName} -> ${to} (${why})`);
    this.stateName = to;
  }

  private startModem(why: string): void {
    this.ports.clock.clearTimeout(this.initRetry);
    this.initRetry = undefined;
    this.transition("modem-init", why);
    this.init.start((result) => {
      if (result.ok) {
        this.pulsedBeforeLastInit = false;
        this.transition("ready", "modem initialised");
        this.inbox.sweep();
        this.outbox.resume();
        return;
      }
      // A silent modem is most likely off: press its power key, then initialise again at once (the
      // AT step waits for it to boot). Never twice in a row, in case it is on but unreachable.
      if (result.silent && this.ports.pins.modemPowerKey && !this.pulsedBeforeLastInit) {
        this.transition("modem-init", `${result.reason}: pressing the power key`);
        this.pressPowerKey(() => this.startModem("power key pressed"));
        return;
      }
      this.transition("modem-failed", result.reason);
      this.pulsedBeforeLastInit = false;
      this.initRetry = this.ports.clock.setTimeout(() => this.startModem("retry after failure"), INIT_RETRY_MS);
    });
  }

  /** Hold the modem's PWRKEY for MODEM_POWER_PULSE_MS, then call `then`. */
  private pressPowerKey(then: () => void): void {
    const key = this.ports.pins.modemPowerKey!;
    this.pulsedBeforeLastInit = true;
    this.ports.log.log("info", "app", `pressing the modem power key for ${MODEM_POWER_PULSE_MS} ms`);
    key.write(1);
    this.initRetry = this.ports.clock.setTimeout(() => {
      key.write(0);
      then();
    }, MODEM_POWER_PULSE_MS);
  }

  private onUrc(line: string): void {
    if (this.inbox.handleUrc(line)) return;
    if (MODEM_BOOT_URCS.includes(line) && this.stateName === "ready") {
      this.stats.modemReboots++;
      this.ports.log.log("warn", "app", "modem restarted on its own; initialising it again");
      this.chat.abortAll();
      this.inbox.clear();
      this.startModem("modem rebooted");
    }
  }

  private onSms(sms: ReceivedSms, done: () => void): void {
    const { log, clock } = this.ports;
    const replyAddress = this.numbers.replyAddress(sms.sender);
    if (!replyAddress) {
      this.stats.strangersIgnored++;
      log.log("warn", "auth", `ignored a message from unregistered sender ${maskNumber(sms.sender)}`);
      done();
      return;
    }
    const reply = replyTo(sms.text, {
      nowMs: clock.monotonicMs(),
      latestFix: this.gnss.latest(),
      lastValidFix: this.gnss.lastValid(),
    });
    this.stats.commandsAnswered++;
    this.outbox.send(replyAddress, reply);
    done();
  }
}

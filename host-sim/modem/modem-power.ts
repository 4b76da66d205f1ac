/**
 * The virtual modem's life cycle, between the UART (modem-io.ts, its base) and the command side
 * (virtual-modem.ts, built on it): the state that a reboot loses or keeps (settings, SIM, radio,
 * clock, the GNSS receiver), power (on, off, the power key, reboots, orderly power-down), the boot
 * sequence of the profile (its lines, their timing and effects), and network registration after the
 * registration delay. No command is answered here.
 *
 * Timing: boot lines start bootMs after power-on (default: random in the profile's power-key range);
 * each line at its profile offset (ms), lines after the SIM line relative to it (a PIN typed late
 * shifts them); registration registrationDelayMs after the first line.
 */
import type { EventHandle, VirtualClock } from "../clock.ts";
import { Random } from "../random.ts";
import { defaultCell } from "./commands/cell-commands.ts";
import { type ModemRtc, PIN_TRIES, PUK_TRIES, type Radio, type SimCard } from "./commands/context.ts";
import { GnssReceiver } from "./commands/gnss.ts";
import { regDetail } from "./commands/sim-registration.ts";
import { ModemIo } from "./modem-io.ts";
import { DEFAULT_MODEM_TIMING, type ModemSettings, type ModemTiming, type PowerState, type RegistrationKind, type VirtualModemOptions } from "./modem-types.ts";
import { type BootLine, getProfile } from "./profiles.ts";
import type { SmsNetwork } from "./sms-network.ts";

/** Registration stats that allow SMS (corpora §3.8). */
const SMS_CAPABLE_STATS = new Set([1, 5, 6, 7, 9, 10]);

export const REG_KINDS: readonly RegistrationKind[] = ["CREG", "CGREG", "CEREG"];

export abstract class ModemPower extends ModemIo {
  /** The SIM's own number. */
  readonly number: string;
  readonly timing: Readonly<ModemTiming>;
  /** Stat reached registrationDelayMs after boot (also after a reboot). */
  registeredStat: number;
  /** Boots so far (powerOn, reboot, CFUN=1,1). */
  boots = 0;

  protected readonly random: Random;
  protected readonly baud: number;
  protected readonly fixedBaud: boolean;
  private readonly bootMs: number | undefined;
  private readonly registrationDelayMs: number;
  private readonly timingOverrides: Partial<ModemTiming>;

  protected smsReady = false;
  protected readonly radio: Radio;
  protected readonly rtc: ModemRtc = { offsetMs: 0, zone: undefined, synced: false, uartOnAtMs: 0 };
  protected readonly sim: SimCard;
  /** The GNSS receiver inside the module (switched off at every power loss). */
  protected readonly gnss: GnssReceiver;
  private registrationTimer: EventHandle | undefined;
  private afterSimLines: BootLine[] = [];
  private simLineAtMs = 0;

  /** The settings of a fresh boot (they depend on the storages, owned by the subclass). */
  protected abstract defaultSettings(): ModemSettings;

  constructor(
    clock: VirtualClock,
    protected readonly network: SmsNetwork,
    options: VirtualModemOptions,
  ) {
    super(clock, getProfile(options.profile ?? "a7670"), options.seed ?? 1);
    this.number = options.number;
    this.baud = options.baud ?? 115200;
    this.fixedBaud = options.fixedBaud ?? false;
    this.bootMs = options.bootMs;
    this.registrationDelayMs = options.registrationDelayMs ?? 6000;
    this.registeredStat = options.registeredStat ?? 1;
    this.random = new Random(options.seed ?? 1);
    this.timingOverrides = options.timing ?? {};
    this.timing = Object.freeze({
      ...DEFAULT_MODEM_TIMING,
      submitMinMs: this.profile.submitMinMs,
      submitMaxMs: this.profile.submitMaxMs,
      ...options.timing,
    });
    this.radio = { cfun: 1, rssi: 20, ber: 99, cell: { ...defaultCell(this.profile.name), ...options.cell }, reg: { CREG: 0, CGREG: 0, CEREG: 0 } };
    this.sim = {
      inserted: !options.simAbsent,
      read: false,
      pin: options.simPin,
      puk: options.simPuk ?? "12345678",
      lock: "none",
      pinTriesLeft: options.simPinTriesLeft ?? PIN_TRIES,
      pukTriesLeft: PUK_TRIES,
    };
    this.gnss = new GnssReceiver(this.profile.gnss, (line) => this.nmea(line));
  }

  // ----- power ---------------------------------------------------------------------------------

  /** Power the modem on: boot lines follow after bootMs. No effect unless it is off. */
  powerOn(): void {
    if (this.power !== "off") return;
    this.startBoot();
  }

  /** Cut power: the modem goes silent at once; settings are lost, storage is kept. */
  powerOff(): void {
    this.shutdown();
  }

  /** Unsolicited reboot (brown-out, watchdog): silent, then the boot sequence again. */
  reboot(): void {
    this.shutdown();
    this.startBoot();
  }

  /**
   * The PWRKEY was held for `heldMs` and released. Off: a press ≥ onMinMs switches it on. On (or
   * booting): a press ≥ offMinMs powers it down (the profile's power-down URC, then silent after
   * powerDownMs); a press over offMaxMs (SIM800: 33 s) restarts it. Returns what happened.
   */
  powerKey(heldMs: number): "on" | "off" | "restart" | "ignored" {
    const key = this.profile.powerKey;
    if (this.power === "off") {
      if (heldMs < key.onMinMs) return "ignored";
      this.powerOn();
      return "on";
    }
    if (this.power === "stopping") return "ignored";
    if (key.offMaxMs !== undefined && heldMs > key.offMaxMs) {
      this.reboot();
      return "restart";
    }
    if (heldMs < key.offMinMs) return "ignored";
    this.powerDown(true);
    return "off";
  }

  get powerState(): PowerState {
    return this.power;
  }

  /** Orderly power-down (key or AT command): the profile's URC (not after AT+CPOF), silent after powerDownMs. */
  protected powerDown(byKey: boolean): void {
    const urcText = this.profile.powerKey.powerDownUrc;
    if (urcText && (byKey || this.profile.powerOffCommand !== "CPOF")) this.writeOut(`\r\n${urcText}\r\n`);
    this.epoch++;
    this.power = "stopping";
    this.schedule(this.profile.powerKey.powerDownMs, () => this.shutdown());
  }

  private shutdown(): void {
    this.epoch++;
    this.power = "off";
    this.sim.read = false;
    this.smsReady = false;
    this.rtc.synced = false;
    this.rtc.offsetMs = 0;
    this.rtc.zone = undefined;
    this.settings = this.defaultSettings();
    this.radio.reg = { CREG: 0, CGREG: 0, CEREG: 0 };
    this.gnss.reset();
    this.stopRegistration();
    this.resetIo();
  }

  // ----- boot ---------------------------------------------------------------------------------

  /** Boot lines of the profile with timing overrides applied and shuffle groups permuted. */
  private bootLines(): BootLine[] {
    const o = this.timingOverrides;
    const lines = this.profile.boot.map((l) => {
      let atMs = l.atMs;
      if (l.effect === "sim" && o.cpinAfterReadyMs !== undefined) atMs = o.cpinAfterReadyMs;
      if (l.effect === "sms" && o.smsDoneAfterReadyMs !== undefined) atMs = o.smsDoneAfterReadyMs;
      if (/PB DONE/.test(l.text) && o.pbDoneAfterReadyMs !== undefined) atMs = o.pbDoneAfterReadyMs;
      return { ...l, atMs };
    });
    const groups = new Set(lines.filter((l) => l.shuffleGroup !== undefined).map((l) => l.shuffleGroup));
    for (const g of groups) {
      const members = lines.map((l, i) => (l.shuffleGroup === g ? i : -1)).filter((i) => i >= 0);
      if (members.length === 2 && this.random.int(0, 1) === 1) {
        const [a, b] = members as [number, number];
        const ta = lines[a]!.atMs;
        lines[a] = { ...lines[a]!, atMs: lines[b]!.atMs };
        lines[b] = { ...lines[b]!, atMs: ta };
      }
    }
    return lines.sort((x, y) => x.atMs - y.atMs);
  }

  private startBoot(): void {
    this.power = "booting";
    this.boots++;
    const key = this.profile.powerKey;
    const bootMs = this.bootMs ?? this.random.int(key.bootMinMs, key.bootMaxMs);
    const lines = this.bootLines();
    const simLine = lines.find((l) => l.effect === "sim");
    const simAt = simLine?.atMs ?? 0;
    const isAfterSim = (l: BootLine): boolean => simLine !== undefined && (l.effect === "sms" || l.effect === "sim-after" || l.atMs > simAt);
    this.afterSimLines = lines.filter(isAfterSim);
    this.simLineAtMs = simAt;
    this.sim.lock = this.sim.pin !== undefined ? (this.sim.pinTriesLeft > 0 ? "pin" : this.sim.pukTriesLeft > 0 ? "puk" : "blocked") : "none";
    this.schedule(bootMs, () => {
      for (const line of lines) {
        if (isAfterSim(line)) continue;
        this.schedule(line.atMs, () => this.bootLine(line));
      }
    });
  }

  private bootLine(line: BootLine): void {
    switch (line.effect) {
      case "uart": {
        this.power = "on";
        this.rtc.uartOnAtMs = this.clock.nowMs;
        this.radio.reg = { CREG: 2, CGREG: 2, CEREG: 2 };
        this.radio.cfun = 1;
        if (!line.fixedBaudOnly || this.fixedBaud) this.writeOut(this.frame(line.text));
        this.scheduleRegistration();
        return;
      }
      case "sim":
        this.sim.read = true;
        if (!this.sim.inserted) {
          this.urc("+CPIN: NOT INSERTED");
          this.applyRegistration(0);
          return;
        }
        if (this.sim.lock !== "none") {
          this.urc(this.sim.lock === "pin" ? "+CPIN: SIM PIN" : this.sim.lock === "puk" ? "+CPIN: SIM PUK" : "+CPIN: NOT READY");
          return;
        }
        this.urc(line.text);
        this.runAfterSimLines();
        return;
      case "sms":
        this.smsReady = true;
        if (line.text) this.urc(line.text);
        this.maybeReady();
        return;
      default:
        if (line.text) this.urc(line.text);
    }
  }

  /** Lines that need a readable SIM, relative to the +CPIN line (run when the SIM is unlocked). */
  protected runAfterSimLines(): void {
    for (const line of this.afterSimLines) this.schedule(Math.max(0, line.atMs - this.simLineAtMs), () => this.bootLine(line));
  }

  // ----- SIM and registration -----------------------------------------------------------------

  protected simUsable(): boolean {
    return this.sim.inserted && this.sim.read && this.sim.lock === "none";
  }

  protected stopRegistration(): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = undefined;
  }

  protected scheduleRegistration(): void {
    this.clock.cancel(this.registrationTimer);
    this.registrationTimer = this.schedule(this.registrationDelayMs, () => {
      this.registrationTimer = undefined;
      if (!this.sim.inserted) return this.applyRegistration(0);
      if (this.sim.lock !== "none") return; // searching until the SIM is unlocked
      this.applyRegistration(this.registeredStat);
    });
  }

  /** Set the stat of every register (through the profile's per-register rule) or of `only`; +CxREG URCs where enabled. */
  protected applyRegistration(stat: number, only?: RegistrationKind): void {
    for (const kind of REG_KINDS) {
      if (only && kind !== only) continue;
      const rule = this.profile.registration[kind];
      const value = only || rule === "stat" || !SMS_CAPABLE_STATS.has(stat) ? stat : rule;
      if (this.radio.reg[kind] === value) continue;
      this.radio.reg[kind] = value;
      if (this.power === "on" && this.settings.regUrc[kind] > 0) this.urc(`+${kind}: ${regDetail(this.regView(), kind, false)}`);
    }
    if (this.smsCapable() && !this.rtc.synced) {
      // Network time (NITZ) arrives with the registration.
      this.rtc.synced = true;
      this.rtc.offsetMs = 0;
      this.rtc.zone = undefined;
    }
    this.maybeReady();
  }

  /** What regDetail reads: the profile, the radio and the settings. */
  protected regView(): Parameters<typeof regDetail>[0] {
    return { profile: this.profile, radio: this.radio, settings: this.settings };
  }

  protected smsCapable(): boolean {
    return SMS_CAPABLE_STATS.has(this.radio.reg.CREG) || SMS_CAPABLE_STATS.has(this.radio.reg.CGREG) || SMS_CAPABLE_STATS.has(this.radio.reg.CEREG);
  }

  /** Tell the network it may retry waiting messages. */
  protected maybeReady(): void {
    if (this.power === "on" && this.smsReady && this.simUsable() && this.smsCapable()) this.network.subscriberReady(this.number);
  }
}

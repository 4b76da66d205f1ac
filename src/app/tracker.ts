/**
 * The composition root: wires GNSS, modem, SMS, settings, registered numbers and commands over the
 * ports, and owns the policy: only registered numbers get answers, each of their messages gets
 * exactly one reply, and location only ever leaves inside such a reply.
 *
 * The modem is driven by ModemLifecycle (profile from the settings, else TrackerOptions.modemProfile; SIM PIN from the
 * settings, wall clock from AT+CCLK? until GNSS sets it). When it is ready the SIM store is swept
 * and the outbox resumes; when it is lost the pending AT commands are aborted and the inbox forgets
 * its queue (the next sweep re-learns it; the outbox keeps its messages).
 *
 * Between a command's reply and the outbox sits the ReplyPolicy (loop guard, hourly caps), and every
 * SMS goes out through Outgoing (caps, daily budget); messages are read only while the outbox has
 * room for their replies (docs/design-notes.md). The vehicle's facts (fixes, the power port every
 * POWER_SAMPLE_MS, the modem's registration) feed the alert rules (TheftAlarm, VehicleWatch), whose
 * alerts pass the AlertDesk (limits, coalescing, held while there is no network); TRACK and a WHERE
 * waiting for a fix run on their own timers.
 */
import type { TrackerPorts } from "../platform/ports";
import { GnssReceiver } from "../gnss/fix-tracker";
import type { FromArrayBuffer } from "../gnss/ascii-text";
import { AtChat } from "../modem/at-chat";
import { ModemLifecycle, type ModemLifecycleState } from "../modem/modem-lifecycle";
import { ModemGnss } from "../modem/modem-gnss";
import { DEFAULT_MODEM_PROFILE, findModemProfile, type ModemProfile, type SmsMode } from "../modem/profiles";
import { SmsInbox } from "../sms/sms-inbox";
import { SmsOutbox } from "../sms/sms-outbox";
import type { ReceivedSms } from "../sms/sms";
import { Settings } from "../store/settings";
import { isNumericSenderType, RegisteredNumbers, type Member } from "../auth/registered-numbers";
import { maskNumber } from "../auth/phone-number";
import { hashPin, isPin } from "../auth/pin";
import { CommandHandler } from "../commands/command-handler";
import { parseCommand, type ParsedCommand } from "../commands/command-parser";
import { AccessCommands, type Outcome } from "../commands/access-commands";
import { DailyBudget } from "../limits/daily-budget";
import { logName, RequestLog } from "./request-log";
import { TheftAlarm } from "../alerts/theft-alarm";
import { Tracking } from "../alerts/tracking";
import { POWER_SAMPLE_MS } from "../alerts/power-rule";
import { compassPoint, formatAge, LIVE_FIX_MAX_AGE_MS, whereReply } from "../commands/where-reply";
import { VehicleCommands } from "../commands/vehicle-commands";
import type { Fix } from "../gnss/fix";
import { AlertDesk } from "./alert-desk";
import { VehicleWatch } from "./vehicle-watch";
import { WhereWaiters } from "./where-waiters";
import { ReplyFormat } from "./reply-format";
import { Outgoing } from "./outgoing";
import { timeZoneSetting, zoneFromSetting } from "../commands/local-time";
import { FIRMWARE_DATE_MS, FIRMWARE_VERSION } from "./build-info";
import { statusReply } from "../commands/status-reply";
import { unitsOf } from "../commands/units";
import { cellText, type ServingCell } from "../modem/serving-cell";
import { SecretHidingLogger } from "./secret-hiding-log";
import { ReplyPolicy } from "./reply-policy";
import { StrangerDigest } from "./stranger-digest";

/** Install-time settings (from the build configuration), applied only to an unclaimed tracker. */
export interface TrackerOptions {
  /** Owner number an installer sets when flashing; ignored once an owner exists. */
  installerOwnerNumber?: string;
  /** The owner's PIN (4-8 digits) set with the installer's owner; stored only as its hash. */
  installerOwnerPin?: string;
  /** The unit's setup code (8-16 letters and digits, on its label) for CLAIM by SMS; applied while none is set. */
  installerSetupCode?: string;
  /** Country calling code for national numbers (digits), applied with the owner. */
  installerHomeCountryCode?: string;
  /** Modem profile name from the build configuration ("A7670", "SIM7600", "SIM7000", "SIM800", "EG25", "BG96"); default A7670. */
  modemProfile?: string;
  /** Override of the profile's SMS mode ("pdu" is the default and the robust choice; "text" for modems whose PDU mode misbehaves). */
  smsMode?: SmsMode;
  /** Where NMEA comes from: "uart" (a GNSS on its own UART, default) or "modem" (the modem's GNSS, switched on by its profile's commands, NMEA on the AT UART). */
  gnssSource?: "uart" | "modem";
  /** With gnssSource "modem": a modem GPIO powering the active GNSS antenna (LilyGO T-SIM7000G: 48); absent or -1: none. */
  gnssAntennaGpio?: number;
  /**
   * Bytes → string for the NMEA reader (gnss/ascii-text.ts). Default: the realm's
   * `String.fromArrayBuffer` (the device's XS has it); a host without it (Node) may give one with
   * the same semantics, else the reader converts byte by byte.
   */
  fromArrayBuffer?: FromArrayBuffer;
}

/** How often the SIM message store is swept while the modem is ready (ms). */
export const STORE_SWEEP_INTERVAL_MS = 5 * 60_000;

/** Answer to a registered sender whose message arrived incomplete. */
export const INCOMPLETE_REPLY = "Your message arrived incomplete (parts were missing), so nothing was done. Please send it again.";

/**
 * Tracker states: the modem lifecycle (modem/modem-lifecycle.ts) seen from the app. "modem-init"
 * covers every bring-up and recovery state, "modem-failed" covers "failed" and "no-sim".
 */
export type TrackerState = "off" | "modem-init" | "ready" | "modem-failed";

/** The app state for a lifecycle state. */
export function trackerStateOf(state: ModemLifecycleState): TrackerState {
  if (state === "off") return "off";
  if (state === "ready") return "ready";
  if (state === "failed" || state === "no-sim") return "modem-failed";
  return "modem-init";
}

/**
 * PWRKEY pulse that switches the default modem (SIMCom A76xx) on (ms). It is well below its
 * power-off pulse (≥ 2.5 s), so pulsing a modem that is already on but silent does not switch it
 * off. Other modems: see their profile's powerKey timing.
 */
export const MODEM_POWER_PULSE_MS = DEFAULT_MODEM_PROFILE.powerKey.onPulseMs;
/** How old the serving cell named in alerts may be while there is no live fix (ms). */
const CELL_REFRESH_MS = 5 * 60_000;
/** Minimum time between wall-clock updates from GNSS (ms). */
const CLOCK_SYNC_INTERVAL_MS = 60_000;

export class Tracker {
  readonly gnss: GnssReceiver;
  readonly chat: AtChat;
  readonly settings: Settings;
  readonly numbers: RegisteredNumbers;
  readonly inbox: SmsInbox;
  readonly outbox: SmsOutbox;
  /** The modem's lifecycle state machine (its stats: reboots, recoveries, timeouts, ...). */
  readonly modem: ModemLifecycle;
  /** The loop guard and reply caps between a command's reply and the outbox. */
  readonly replies: ReplyPolicy;
  /** Ignored messages from unregistered senders, told to the owner at most once an hour. */
  readonly strangers: StrangerDigest;
  /** CLAIM, ADD, DEL, PIN, OWNER, RESET...: who may use the tracker, and the PIN's lockout. */
  readonly access: AccessCommands;
  /** The daily SMS budget (settings smsPerDay). */
  readonly budget: DailyBudget;
  /** The last locations sent and to whom (WHO). */
  readonly requests: RequestLog;
  /** ARM / DISARM and the movement alert. */
  readonly alarm: TheftAlarm;
  /** Every alert's way out: limits, coalescing, held while there is no network. */
  readonly desk: AlertDesk;
  /** Fence, speed, power and jamming rules over the fixes, the power port and the network. */
  readonly watch: VehicleWatch;
  /** TRACK: periodic positions. */
  readonly tracking: Tracking;
  /** WHERE requests waiting for a live fix. */
  readonly whereWaiters: WhereWaiters;
  /** Times, speeds and distances in the owner's zone and units. */
  readonly format: ReplyFormat;
  /** The modem's own GNSS (gnssSource "modem"), else undefined. */
  readonly modemGnss: ModemGnss | undefined;
  private readonly commands: CommandHandler;
  /** The log every part of the tracker writes to: the SIM PIN hidden (SecretHidingLogger). */
  private readonly log: SecretHidingLogger;
  private stateName: TrackerState = "off";
  private lastClockSyncMs = -Infinity;
  /** True once a GNSS fix has set the wall clock (then the modem's clock is not used). */
  private clockFromGnss = false;
  private sweepTimer: object | undefined;
  private powerTimer: object | undefined;
  /** When the serving cell was last read for the alerts (monotonic ms). */
  private cellReadMs = -Infinity;
  /** Counters for diagnostics (modemReboots: unsolicited modem restarts while ready). */
  readonly stats: { readonly commandsAnswered: number; strangersIgnored: number; readonly modemReboots: number };
  /** Sees each complete incoming SMS first; true takes it (the console's SMS loopback, console/attach-console.ts). */
  smsTap: ((sender: string, text: string) => boolean) | null = null;
  /** Every SMS out: replies, notices and alerts within the caps and the daily budget. */
  private readonly outgoing: Outgoing;

  constructor(
    private readonly ports: TrackerPorts,
    private readonly options: TrackerOptions = {},
  ) {
    const { clock } = ports;
    this.settings = new Settings(ports.store, ports.log);
    // Every later log line passes the SIM PIN filter, whatever path the PIN took into a message (the
    // device PIN is never held in clear: only its hash is stored, and SMS texts are never logged).
    const settings = this.settings;
    const log = new SecretHidingLogger(ports.log, () => [settings.get("simPin")]);
    this.log = log;
    // Dates before this build are GPS week-rollover errors: the receiver repairs them.
    this.gnss = new GnssReceiver(clock, log, { buildDateMs: FIRMWARE_DATE_MS, fromArrayBuffer: options.fromArrayBuffer });
    this.chat = new AtChat(ports.modem, clock, log);
    this.numbers = new RegisteredNumbers(this.settings);
    this.replies = new ReplyPolicy(this.settings, log);
    this.outbox = new SmsOutbox(this.chat, clock, log);
    this.strangers = new StrangerDigest(clock, (text) => this.outgoing.notifyOwner(text));
    this.budget = new DailyBudget(() => Number(settings.get("smsPerDay")));
    this.requests = new RequestLog();
    this.outgoing = new Outgoing({ settings, numbers: this.numbers, outbox: this.outbox, replies: this.replies, budget: this.budget, requests: this.requests, clock, log });
    this.access = new AccessCommands({
      settings,
      numbers: this.numbers,
      clock,
      random: ports.random,
      log,
      forgetRam: () => this.forgetRam(),
    });
    this.format = new ReplyFormat(settings);
    const format = this.format;
    this.desk = new AlertDesk({
      clock,
      log,
      networkUp: () => this.stateName === "ready" && this.modem.registration !== "searching" && this.modem.registration !== "denied",
      send: (text) => this.outgoing.alert(text),
    });
    this.alarm = new TheftAlarm({
      settings,
      clock,
      log,
      owner: () => settings.get("ownerNumber"),
      alert: (text, kind) => this.desk.raise(kind, text),
      position: () => this.shortPosition(),
    });
    this.watch = new VehicleWatch({
      settings,
      clock,
      log,
      desk: this.desk,
      armed: () => this.alarm.armed,
      timeText: (utcMs) => format.timeText(utcMs),
      speedText: (kmh) => format.speedText(kmh),
      distanceText: (metres) => format.distanceText(metres),
      mapLink: (fix) => format.mapLink(fix),
      lastValid: () => this.gnss.lastValid(),
      cellText: () => {
        const cell = this.modem.lastServingCell;
        return cell && this.liveFix() === undefined ? cellText(cell) : "";
      },
    });
    this.tracking = new Tracking({
      settings,
      clock,
      log,
      liveFix: () => this.liveFix(),
      positionText: (fix) => this.trackText(fix),
      noPositionText: () => this.whereText(),
      registered: (number) => this.member(number) !== undefined,
      send: (to, text) => {
        if (this.outgoing.notice(to, text, false)) this.requests.note(logName(this.member(to)?.name ?? "", to), "TRACK", clock.monotonicMs());
      },
    });
    this.whereWaiters = new WhereWaiters({ clock, answer: (member, live) => this.answerWhere(member, live) });
    const vehicle = new VehicleCommands({
      settings,
      tracking: this.tracking,
      liveFix: () => this.liveFix(),
      owner: () => settings.get("ownerNumber"),
      changed: (what) => this.watch.settingsChanged(what),
      parseZone: (text) => timeZoneSetting(text),
    });
    this.commands = new CommandHandler({
      access: this.access,
      alarm: this.alarm,
      vehicle,
      status: () => this.statusText(),
      waitForFix: () => this.liveFix() === undefined && Number(settings.get("whereWaitS")) > 0,
      secure: () => settings.get("secure") === "on",
      utcMs: () => clock.utcMs(),
      where: () => ({ nowMs: clock.monotonicMs(), latestFix: this.gnss.latest(), lastValidFix: this.gnss.lastValid() }),
      whereText: () => this.whereText(),
      noteLocation: (member) => this.requests.note(logName(member.name, member.number), "WHERE", clock.monotonicMs()),
      whoReply: () => this.requests.reply(clock.monotonicMs()),
    });
    const legacyPin = settings.takeLegacyPin();
    if (legacyPin !== "") {
      const hashed = settings.set("pinHash", hashPin(legacyPin, ports.random));
      const migrated = hashed.ok ? settings.overwriteOlderSlot() : hashed;
      log.log(migrated.ok ? "info" : "error", "store", migrated.ok ? "the PIN from an older settings record is now stored as a salted hash" : `the older PIN could not be hashed: ${migrated.reason}`);
    }
    this.inbox = new SmsInbox(this.chat, clock, log, (sms, done) => this.onSms(sms, done));
    this.inbox.acceptsSender = (sender, senderTon) => this.numbers.replyAddress(sender, senderTon) !== undefined;
    // Backpressure: a message is read only when its reply fits in the outbox; the rest wait on the SIM.
    this.inbox.roomForReplies = () => this.outbox.room;
    this.outbox.onRoom = () => this.inbox.roomFreed();
    // The modem profile and SMS mode: the settings' when set, else the build configuration's.
    const profileName = this.settings.get("modemProfile") || options.modemProfile;
    const profile = findModemProfile(profileName);
    if (profileName !== undefined && !profile) {
      log.log("warn", "app", `unknown modem profile '${profileName}'; using ${DEFAULT_MODEM_PROFILE.name}`);
    }
    const base = profile ?? DEFAULT_MODEM_PROFILE;
    const setMode = this.settings.get("smsMode");
    const smsMode: SmsMode | undefined = setMode === "pdu" || setMode === "text" ? setMode : options.smsMode;
    const chosen = smsMode && smsMode !== base.smsMode ? Object.freeze({ ...base, smsMode }) : base;
    this.inbox.setMode(chosen.smsMode);
    this.inbox.setTimeouts({ readMs: chosen.timeouts.cmgrMs, deleteMs: chosen.timeouts.cmgdMs, listMs: chosen.timeouts.cmglMs });
    this.outbox.setMode(chosen.smsMode);
    this.outbox.setSendTimeout(chosen.timeouts.cmgsMs);
    this.outbox.pause(); // nothing is sent before the modem is ready
    this.modemGnss = this.createModemGnss(chosen);
    this.modem = new ModemLifecycle(this.chat, clock, log, {
      profile: chosen,
      powerKey: ports.pins.modemPowerKey,
      simPin: () => this.settings.get("simPin"),
      simPinAttempt: {
        unsettled: () => this.settings.get("simPinAttempt") !== "",
        begin: () => this.settings.set("simPinAttempt", "unsettled").ok,
        settle: () => {
          const settled = this.settings.set("simPinAttempt", "");
          if (!settled.ok) log.log("error", "app", `the SIM PIN attempt's outcome could not be recorded: ${settled.reason}`);
        },
      },
      wallClock: {
        isSet: () => this.clockFromGnss,
        set: (utcMs) => clock.setUtcMs(utcMs),
      },
    });
    const modem = this.modem;
    const outgoing = this.outgoing;
    this.stats = {
      get commandsAnswered() {
        return outgoing.answered;
      },
      strangersIgnored: 0,
      get modemReboots() {
        return modem.stats.reboots;
      },
    };
    modem.onStateChange = (state, why) => this.transition(trackerStateOf(state), why);
    modem.onReady = () => {
      this.modemGnss?.start(); // after every bring-up: a rebooted modem forgot it
      this.inbox.sweep();
      this.outbox.resume();
      this.scheduleSweep();
      this.desk.networkChanged(true);
    };
    modem.onRegistrationChange = (registered) => {
      this.watch.onRegistration(registered);
      this.desk.networkChanged(registered);
    };
    modem.onLost = (reason) => {
      log.log("warn", "app", `modem lost (${reason}); pending AT commands dropped`);
      this.outbox.pause();
      clock.clearTimer(this.sweepTimer);
      this.sweepTimer = undefined;
      this.chat.abortAll();
      this.inbox.clear();
      this.modemGnss?.stop();
    };
    modem.onSimPinRefused = () => {
      // Never offer a refused PIN again, not even after a reset: a person must set the right one.
      const cleared = this.settings.set("simPin", "");
      log.log("error", "app", `the SIM refused the configured SIM PIN; it was ${cleared.ok ? "erased" : "not erased"} from the settings`);
    };
  }

  /** The modem's GNSS when the build configuration says NMEA comes from the modem (its '$' lines then feed the receiver). */
  private createModemGnss(profile: ModemProfile): ModemGnss | undefined {
    if (this.options.gnssSource !== "modem") return undefined;
    try {
      const gnss = new ModemGnss(this.chat, this.log, profile, { antennaGpio: this.options.gnssAntennaGpio });
      this.chat.onNmeaLine = (line) => gnss.nmeaLine(line, (bytes) => this.gnss.feed(bytes));
      return gnss;
    } catch (e) {
      this.log.log("error", "app", String(e instanceof Error ? e.message : e));
      return undefined;
    }
  }

  /** Current lifecycle state. */
  /**
   * Sweep the SIM store every STORE_SWEEP_INTERVAL_MS while ready: a message whose +CMTI was lost
   * (URC garbled, modem busy) is still answered, and a full store is emptied so the network can
   * deliver what it holds back.
   */
  private scheduleSweep(): void {
    const { clock } = this.ports;
    clock.clearTimer(this.sweepTimer);
    this.sweepTimer = clock.setTimer(() => {
      this.sweepTimer = undefined;
      if (this.stateName !== "ready") return;
      this.inbox.sweep();
      this.scheduleSweep();
    }, STORE_SWEEP_INTERVAL_MS);
  }

  get state(): TrackerState {
    return this.stateName;
  }

  /** Start listening to both UARTs and bring the modem up. */
  start(): void {
    const { ports } = this;
    ports.pins.modemPowerOn?.write(1);
    ports.pins.modemFlight?.write(1);
    ports.pins.modemDtr?.write(0);
    if (ports.ring) ports.ring.onRing = () => this.onRing();
    ports.gnss.onReceive = (chunk) => this.gnss.feed(chunk);
    this.gnss.onFix = (fix) => {
      this.alarm.onFix(fix);
      this.watch.onFix(fix);
      if (this.liveFix() !== undefined) this.whereWaiters.onLiveFix();
      this.refreshServingCell();
      if (fix.valid && Number.isFinite(fix.utcMs) && fix.receivedAtMs - this.lastClockSyncMs >= CLOCK_SYNC_INTERVAL_MS) {
        this.lastClockSyncMs = fix.receivedAtMs;
        this.clockFromGnss = true;
        ports.clock.setUtcMs(fix.utcMs);
      }
    };
    this.chat.onUrc = (line) => this.onUrc(line);
    this.applyInstallerSettings();
    this.samplePower();
    if (this.numbers.unclaimed) {
      this.log.log("warn", "app", "no owner number set: this tracker answers nobody until it is provisioned");
    }
    this.modem.start();
  }

  /**
   * The installer's build configuration: its setup code while none is set; its owner (with the
   * country code and PIN) only while the tracker is unclaimed — an existing owner is never replaced.
   */
  private applyInstallerSettings(): void {
    const { installerOwnerNumber, installerHomeCountryCode, installerOwnerPin, installerSetupCode } = this.options;
    const log = this.log;
    const settings = this.settings;
    if (installerSetupCode && settings.get("setupCode") === "") {
      const code = settings.set("setupCode", installerSetupCode);
      if (!code.ok) log.log("error", "app", `installer setup code refused: ${code.reason}`);
    }
    if (!installerOwnerNumber || !this.numbers.unclaimed) return;
    if (installerHomeCountryCode) {
      const cc = settings.set("homeCountryCode", installerHomeCountryCode);
      if (!cc.ok) log.log("error", "app", `installer country code refused: ${cc.reason}`);
    }
    const pinOk = installerOwnerPin !== undefined && isPin(installerOwnerPin);
    if (installerOwnerPin && !pinOk) log.log("error", "app", "installer PIN refused: PIN must be 4 to 8 digits (the owner is set without one)");
    const owner = settings.setMany(pinOk ? { ownerNumber: installerOwnerNumber, pinHash: hashPin(installerOwnerPin, this.ports.random) } : { ownerNumber: installerOwnerNumber });
    if (owner.ok) log.log("info", "app", `owner ${maskNumber(settings.get("ownerNumber"))} set from the installer configuration`);
    else log.log("error", "app", `installer owner number refused: ${owner.reason}`);
  }

  private transition(to: TrackerState, why: string): void {
    if (to === this.stateName) return;
    this.log.log("info", "app", `${this.stateName} -> ${to} (${why})`);
    this.stateName = to;
  }

  /** The modem's RING line fell: an SMS may wait whose indication did not come; the inbox checks at once. */
  private onRing(): void {
    if (this.stateName === "ready") this.inbox.ring();
  }

  private onUrc(line: string): void {
    if (this.inbox.handleUrc(line)) return;
    this.modem.handleUrc(line);
  }

  private onSms(sms: ReceivedSms, done: (keepOnSim?: boolean) => void): void {
    if (sms.complete && this.smsTap?.(sms.sender, sms.text)) return done(); // the console's self-test took it
    const member = this.numbers.find(sms.sender, sms.senderTon);
    if (!member) {
      this.onStrangerSms(sms);
      done();
      return;
    }
    if (this.outbox.room === 0 && sms.index >= 0) {
      done(true); // no room for its reply: it waits on the SIM (nothing decided or counted yet)
      return;
    }
    // A message with parts missing (or cut short) is never acted on: a cut command can change meaning.
    const command = sms.complete ? parseCommand(sms.text) : undefined;
    const outcome: Outcome = command ? this.commands.handle(member, command, sms.sentUtcMs) : { reply: INCOMPLETE_REPLY, notices: [] };
    const kind = !command ? "incomplete" : command.kind === "command" ? "command" : "not-command";
    if (outcome.waitForFix && this.whereWaiters.add(member, Number(this.settings.get("whereWaitS")) * 1000)) {
      this.log.log("info", "app", `WHERE from ${maskNumber(member.number)} waits for a live fix`);
    } else if (outcome.waitForFix) {
      this.answerWhere(member, false);
    } else {
      this.outgoing.deliver(member, kind, outcome);
    }
    done();
  }

  /**
   * A message from a number that is not registered: never answered, except a CLAIM while the
   * tracker is unclaimed and an ACCEPT from the number an ownership transfer waits for (their own
   * checks decide). Everything else is counted for the owner's digest.
   */
  private onStrangerSms(sms: ReceivedSms): void {
    const number = isNumericSenderType(sms.senderTon) ? this.numbers.normalise(sms.sender) : undefined;
    const command: ParsedCommand | undefined = number !== undefined && sms.complete ? parseCommand(sms.text) : undefined;
    if (number !== undefined && command?.kind === "command") {
      let outcome: Outcome | undefined;
      if (command.name === "CLAIM" && this.numbers.unclaimed) outcome = this.access.claim(number, command.args);
      if (command.name === "ACCEPT" && this.access.awaitsAcceptFrom(number)) outcome = this.access.accept(number, command.args);
      if (outcome) {
        const nowMs = this.ports.clock.monotonicMs();
        const text = outcome.reply === undefined ? undefined : this.replies.notice(number, outcome.reply, nowMs);
        if (text !== undefined) this.outgoing.sms(number, text, true);
        for (const notice of outcome.notices) this.outgoing.notice(notice.to, notice.text, true);
        return;
      }
    }
    this.stats.strangersIgnored++;
    this.log.log("warn", "auth", `ignored a message from unregistered sender ${maskNumber(sms.sender)}`);
    if (!this.numbers.unclaimed) this.strangers.note(sms.sender, sms.senderTon);
  }

  /** Forget everything held in RAM about positions and requests (RESET, a new owner, the console's FACTORY RESET). */
  forgetRam(): void {
    this.gnss.forgetPositions();
    this.requests.clear();
    this.alarm.forget();
    this.tracking.forget();
    this.watch.forget();
    this.desk.forget();
    this.whereWaiters.forget();
  }

  /** The registered member with this E.164 number, if any. */
  private member(number: string): Member | undefined {
    return this.numbers.all().find((m) => m.number === number);
  }

  /** The live fix now (valid, with a position, at most LIVE_FIX_MAX_AGE_MS old), else undefined. */
  private liveFix(): Fix | undefined {
    const fix = this.gnss.latest();
    const fresh = fix !== undefined && this.ports.clock.monotonicMs() - fix.receivedAtMs <= LIVE_FIX_MAX_AGE_MS;
    return fresh && fix.valid && Number.isFinite(fix.latitudeDeg) && Number.isFinite(fix.longitudeDeg) ? fix : undefined;
  }

  /** The position as WHERE gives it now (live, or the last known labelled as such; `cell` when known and not live). */
  private whereText(cell?: ServingCell): string {
    const settings = this.settings;
    return whereReply({
      latest: this.gnss.latest(),
      lastValid: this.gnss.lastValid(),
      nowMs: this.ports.clock.monotonicMs(),
      zone: zoneFromSetting(settings.get("timeZone")),
      units: unitsOf(settings.get("units")),
      cell,
    });
  }

  /** A TRACK position: time, speed and the map link, short enough to share one SMS with its heading. */
  private trackText(fix: Fix): string {
    const format = this.format;
    const moving = Number.isFinite(fix.speedKmh) && fix.speedKmh >= 2 ? format.speedText(fix.speedKmh) : "stopped";
    return `${format.timeText(fix.utcMs)}, ${moving}\n${format.mapLink(fix)}`;
  }

  /**
   * The position for an alert, short enough for one SMS with its heading: live, "14:02 UTC, 48 km/h NE
   * <link>"; else "no live fix; last fix 3 min ago <link>" or "no position yet", with the serving cell.
   */
  private shortPosition(): string {
    const format = this.format;
    const live = this.liveFix();
    if (live) {
      const moving = Number.isFinite(live.speedKmh) && live.speedKmh >= 2;
      const heading = moving ? compassPoint(live.courseDeg) : "";
      return `${format.timeText(live.utcMs)}, ${moving ? format.speedText(live.speedKmh) : "stopped"}${heading ? " " + heading : ""} ${format.mapLink(live)}`;
    }
    const last = this.gnss.lastValid();
    const cell = this.modem.lastServingCell;
    const known = last ? `no live fix; last fix ${formatAge(this.ports.clock.monotonicMs() - last.receivedAtMs)} ago ${format.mapLink(last)}` : "no position yet";
    return cell ? `${known}\n${cellText(cell)}` : known;
  }

  /** Answer `member`'s WHERE that waited: live when a fix came, else what is known, with the serving cell when there is no live fix. */
  private answerWhere(asked: Member, live: boolean): void {
    const send = (text: string) => {
      // a number removed (DEL, a new owner) while its WHERE waited gets no location
      const member = this.member(asked.number);
      if (!member) {
        this.log.log("info", "app", `WHERE from ${maskNumber(asked.number)} not answered: the number is no longer registered`);
        return;
      }
      this.outgoing.deliver(member, "command", { reply: text, notices: [] });
      this.requests.note(logName(member.name, member.number), "WHERE", this.ports.clock.monotonicMs());
    };
    if (live || this.liveFix() !== undefined) {
      send(this.whereText());
      return;
    }
    this.modem.queryServingCell((cell) => send(this.whereText(cell)));
  }

  /** The STATUS reply now. */
  private statusText(): string {
    const nowMs = this.ports.clock.monotonicMs();
    const settings = this.settings;
    const live = this.liveFix();
    const latest = this.gnss.latest();
    const lastValid = this.gnss.lastValid();
    const fence = this.watch.fence;
    const reading = this.watch.reading;
    return statusReply({
      gnssLive: live !== undefined,
      gnssSilent: latest === undefined || nowMs - latest.receivedAtMs > LIVE_FIX_MAX_AGE_MS,
      satellitesUsed: live ? live.satellitesUsed : NaN,
      lastFixAgeMs: lastValid ? nowMs - lastValid.receivedAtMs : NaN,
      signalDbm: this.modem.signalDbm,
      registration: this.modem.registration,
      vehicleMv: reading.vehicleMv,
      supplyCut: this.watch.power.supply === "cut",
      batteryMv: reading.batteryMv,
      armed: this.alarm.armed,
      trackingLeft: this.tracking.plan?.left ?? 0,
      fenceRadiusM: fence.fence?.radiusM ?? 0,
      fenceInside: fence.state === "unknown" ? undefined : fence.state === "inside",
      speedLimitKmh: Number(settings.get("speedLimitKmh")),
      smsLeftToday: this.budget.left(nowMs),
      uptimeMs: nowMs,
      firmwareVersion: FIRMWARE_VERSION,
      units: unitsOf(settings.get("units")),
    });
  }

  /**
   * Keep the serving cell that alerts name when there is no live fix fresh (the fix may be gone by
   * jamming or a cut antenna the moment an alert needs it): read it every CELL_REFRESH_MS while the
   * modem is ready (called with each fix).
   */
  private refreshServingCell(): void {
    const nowMs = this.ports.clock.monotonicMs();
    if (this.stateName !== "ready" || nowMs - this.cellReadMs < CELL_REFRESH_MS) return;
    this.cellReadMs = nowMs;
    this.modem.queryServingCell(() => {});
  }

  /** Read the power port every POWER_SAMPLE_MS (boards without one: never). */
  private samplePower(): void {
    const port = this.ports.power;
    if (!port) return;
    const { clock } = this.ports;
    clock.clearTimer(this.powerTimer);
    this.watch.onPower(port.read());
    this.powerTimer = clock.setTimer(() => {
      this.powerTimer = undefined;
      this.samplePower();
    }, POWER_SAMPLE_MS);
  }

}

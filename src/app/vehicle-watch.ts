/**
 * The alert rules over the vehicle's facts, wired: the fix stream feeds the fence, speed and GNSS
 * jamming rules, the power port's samples feed the power rule, the modem's registration feeds the
 * "network lost while armed" report. Each event becomes one alert text — what, when (the fix's or
 * the event's own time, in the owner's time zone), where (a map link) and how to stop it — raised
 * through the alert desk (app/alert-desk.ts: limits, coalescing, held while there is no network).
 * The fence and the speed limit come from the settings (they survive a reboot); the rules' states
 * live in RAM and settle silently after a boot, so a reboot never re-sends an alert.
 */
import type { Clock, Logger, PowerReading, TimerHandle } from "../platform/ports";
import type { Settings } from "../store/settings";
import type { Fix } from "../gnss/fix";
import { FenceRule } from "../alerts/fence-rule";
import { SpeedRule } from "../alerts/speed-rule";
import { PowerRule, type PowerEvent } from "../alerts/power-rule";
import { JammingRule } from "../alerts/jamming-rule";
import { readFence } from "../alerts/plans";
import type { AlertDesk } from "./alert-desk";

/** Moving, for the jamming rule: faster than this (km/h). */
const MOVING_KMH = 10;
/**
 * All satellites gone at once while driving (not armed) is reported only when no fix has come back
 * within this (ms) and the engine has not been switched off meanwhile (a board that measures the
 * supply tells): a tunnel entered at speed looks the same for its first minutes, and a car driven
 * into an underground car park and parked is no theft. A tracker that cries "jamming" at every
 * tunnel gets switched off. While armed it is reported at once.
 */
export const JAMMING_CONFIRM_MS = 5 * 60_000;

/** What the watch needs from the tracker. */
export interface VehicleWatchContext {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly log: Logger;
  readonly desk: AlertDesk;
  /** True while ARMed. */
  readonly armed: () => boolean;
  /** A time for an alert: "02:14 CET" (the owner's zone), or "time unknown". */
  readonly timeText: (utcMs: number) => string;
  /** A speed in the owner's units: "131 km/h" / "81 mph". */
  readonly speedText: (kmh: number) => string;
  /** A distance in the owner's units: "350 m" / "1150 ft". */
  readonly distanceText: (metres: number) => string;
  /** The map link for a fix. */
  readonly mapLink: (fix: Fix) => string;
  /** The last valid fix, if any since power-on. */
  readonly lastValid: () => Fix | undefined;
  /** The serving cell line ("Cell: MCC 310 MNC 260 LAC 1A2B ID ..."), "" while there is a live fix or none is known. */
  readonly cellText: () => string;
}

export class VehicleWatch {
  fence = new FenceRule();
  speed = new SpeedRule();
  readonly power = new PowerRule();
  jamming = new JammingRule();
  readonly #context: VehicleWatchContext;
  /** The last power reading (NaN until the first sample). */
  #reading: PowerReading = { vehicleMv: NaN, batteryMv: NaN };
  /** True when the last valid fix was moving (faster than MOVING_KMH): a fix with no satellites has no speed. */
  #moving = false;
  /** A GNSS loss while driving, waiting JAMMING_CONFIRM_MS for a fix to come back. */
  #jamTimer: TimerHandle | undefined = undefined;
  /** When the network was lost while armed (UTC ms), until it is back. */
  #networkLostUtcMs: number | undefined = undefined;

  constructor(context: VehicleWatchContext) {
    this.#context = context;
    this.settingsChanged();
  }

  /** The last power reading. */
  get reading(): PowerReading {
    return this.#reading;
  }

  /** The fence or the speed limit setting changed (both when `what` is absent): that rule starts afresh. */
  settingsChanged(what?: "fence" | "speed"): void {
    const settings = this.#context.settings;
    if (what !== "speed") this.fence.set(readFence(settings.get("fence")));
    if (what !== "fence") this.speed.setLimit(Number(settings.get("speedLimitKmh")));
  }

  /** Forget the positions the rules hold in RAM (RESET, a new owner): new rules from the (erased) settings. */
  forget(): void {
    this.#context.clock.clearTimer(this.#jamTimer);
    this.#jamTimer = undefined;
    this.fence = new FenceRule();
    this.speed = new SpeedRule();
    this.jamming = new JammingRule();
    this.settingsChanged();
    this.#networkLostUtcMs = undefined;
  }

  /** Feed each published fix. */
  onFix(fix: Fix): void {
    const context = this.#context;
    const crossing = this.fence.onFix(fix);
    if (crossing) {
      const radius = context.distanceText(this.fence.fence?.radiusM ?? NaN);
      const at = context.timeText(fix.utcMs);
      context.desk.raise(
        "fence",
        crossing.kind === "exit"
          ? `FENCE ALERT: the vehicle left the ${radius} fence at ${at} (${context.distanceText(crossing.distanceM)} from its centre). ${context.mapLink(fix)}\nFENCE OFF removes the fence.`
          : `FENCE: the vehicle is back inside the ${radius} fence at ${at}. ${context.mapLink(fix)}\nFENCE OFF removes the fence.`,
      );
    }
    const excursion = this.speed.onFix(fix);
    if (excursion) {
      const seconds = Math.max(1, Math.round(excursion.durationMs / 1000));
      const lasted = seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
      context.desk.raise(
        "speed",
        `SPEED ALERT: ${context.speedText(excursion.topKmh)} (limit ${context.speedText(excursion.limitKmh)}) at ${context.timeText(excursion.topFix.utcMs)}, over the limit ${excursion.ended ? "for" : "for more than"} ${lasted}. ${context.mapLink(excursion.topFix)}\nSPEED OFF stops these alerts.`,
      );
    }
    if (fix.valid) {
      this.#moving = Number.isFinite(fix.speedKmh) && fix.speedKmh > MOVING_KMH;
      context.clock.clearTimer(this.#jamTimer); // the sky is back: a tunnel, not a jammer
      this.#jamTimer = undefined;
    }
    const loss = this.jamming.onFix(fix, context.armed() || this.#moving);
    if (!loss) return;
    const last = loss.lastGoodFix;
    if (context.armed()) {
      this.#jammingAlert(last, loss.satellitesBefore, "while armed");
      return;
    }
    context.clock.clearTimer(this.#jamTimer);
    this.#jamTimer = context.clock.setTimer(() => {
      this.#jamTimer = undefined;
      if (this.power.engine === "off") return; // parked (with no sky): not a jammer
      this.#jammingAlert(last, loss.satellitesBefore, `while moving, and no fix for ${JAMMING_CONFIRM_MS / 60_000} min since (a long tunnel or an underground car park does this too)`);
    }, JAMMING_CONFIRM_MS);
  }

  #jammingAlert(last: Fix, satellites: number, how: string): void {
    const context = this.#context;
    context.desk.raise("jamming", `POSSIBLE JAMMING: all ${satellites} satellites were lost at once at ${context.timeText(last.utcMs)} ${how}.${this.#where(last)}`);
  }

  /** Feed each power sample (every POWER_SAMPLE_MS). */
  onPower(reading: PowerReading): void {
    const context = this.#context;
    this.#reading = reading;
    const event = this.power.onSample(reading, context.clock.monotonicMs());
    if (event) this.#powerAlert(event);
  }

  /**
   * The modem's registration changed. Lost while armed: noted; back: one "network lost" alert with
   * both times (the desk holds the alerts raised in between and sends them now too).
   */
  onRegistration(registered: boolean): void {
    const context = this.#context;
    const nowUtc = context.clock.utcMs() ?? NaN;
    if (!registered) {
      if (context.armed() && this.#networkLostUtcMs === undefined) this.#networkLostUtcMs = nowUtc;
      return;
    }
    const lostAt = this.#networkLostUtcMs;
    this.#networkLostUtcMs = undefined;
    if (lostAt === undefined) return;
    const last = context.lastValid();
    context.desk.raise(
      "jamming",
      `POSSIBLE JAMMING: the mobile network was lost from ${context.timeText(lostAt)} to ${context.timeText(nowUtc)} while armed.${this.#where(last)}`,
    );
  }

  /** " Last fix: <link>" when one is known, and the serving cell on its own line when there is no live fix. */
  #where(last: Fix | undefined): string {
    const context = this.#context;
    const cell = context.cellText();
    return (last ? ` Last fix: ${context.mapLink(last)}` : "") + (cell ? `\n${cell}` : "");
  }

  #powerAlert(event: PowerEvent): void {
    const context = this.#context;
    const at = context.timeText(context.clock.utcMs() ?? NaN);
    const volts = (mv: number) => `${(mv / 1000).toFixed(1)} V`;
    const last = context.lastValid();
    const where = this.#where(last);
    switch (event.kind) {
      case "power-cut":
        context.desk.raise("power", `POWER ALERT: power cut at ${at}; on backup battery (${volts(event.batteryMv)}).${where}\nALERTS OFF stops alerts to you.`);
        return;
      case "power-restored":
        context.desk.raise("power", `POWER: the vehicle's power is back at ${at} (${volts(event.vehicleMv)}).`);
        return;
      case "battery-low":
        context.desk.raise("battery", `BATTERY LOW: the tracker's backup battery is at ${volts(event.batteryMv)} (${at}); it stops soon unless the vehicle's power returns.${where}`);
        return;
      case "engine-started":
        if (context.armed()) context.desk.raise("engine", `ENGINE ALERT: the engine was started at ${at} while armed.${where}\nDISARM stops these alerts.`);
        return;
      // engine-stopped: no alert
    }
  }
}

/**
 * A run's story for the HTML report (report-html.ts): the vehicle's true track and the receiver's
 * fixes, the fence the owner set over time, the SMS exchanged, where each alert went out, and the
 * modem's (and firmware's, and vehicle's) state over time. Collected from outside the firmware and
 * the modem by a sampler on the simulation's clock (once a second, reading public state only; it
 * changes nothing, so the run is the same with or without it), only when a report is asked for.
 * Plain JSON data: a worker process (run-worker.ts) sends it to the parent as it is.
 *
 * Units: times in ms of the simulation's clock (0 = the simulation's start), degrees, metres.
 */
import type { Simulation } from "../simulation.ts";
import type { Scenario } from "./scenarios.ts";
import type { EventHandle } from "../clock.ts";
import type { GnssSource } from "../gnss/virtual-gnss.ts";
import { isRecording } from "../gnss/virtual-gnss.ts";
import { type DrivePlan, defaultDrive, truthAt } from "../gnss/drive.ts";
import { Settings } from "../../src/store/settings.ts";
import { readFence } from "../../src/alerts/plans.ts";
import { decodeMembers } from "../../src/auth/user-list.ts";
import type { KeyValueStore, StoredValue } from "../../src/platform/ports.ts";
import { TrackCollector, rmcPosition, round6, type StoryPoint } from "./story-track.ts";
import { storySms, type StorySms } from "./story-sms.ts";

export type { StoryPoint } from "./story-track.ts";
export type { StorySms, SmsRole } from "./story-sms.ts";

/** The sampler's period (ms of simulated time). */
export const SAMPLE_MS = 1000;

/** A fence circle (degrees, metres). */
export interface StoryFence {
  latDeg: number;
  lonDeg: number;
  radiusM: number;
}

/** The fence stored in the settings from `atMs` on (null: none). */
export interface StoryFenceChange {
  atMs: number;
  fence: StoryFence | null;
}

/** One state band: its name and its value from each change's time on. */
export interface StoryBand {
  name: string;
  changes: [atMs: number, value: string][];
}

/** Where an alert went out: the vehicle's true position (else the last fix) when it was submitted. */
export interface StoryAlert {
  atMs: number;
  kinds: string[];
  text: string;
  /** Who it went to (the same alert to several numbers is one point). */
  to: string[];
  smsIds: number[];
  latDeg: number;
  lonDeg: number;
}

export interface Story {
  scenario: { name: string; description: string; engine: string; seed: number; modemProfile: string };
  /** The simulation's clock at the end (ms). */
  endMs: number;
  /** UTC (Unix ms) at clock time 0, when the GNSS source is a drive plan: for times as the tracker tells them. */
  utcAtZeroMs?: number;
  trackerNumber: string;
  /** Number → who it is ("tracker", "owner", "stranger", a user's name). */
  parties: Record<string, string>;
  /** The drive's true positions (drive plans only). */
  truth: StoryPoint[];
  /** The positions the receiver reported (RMC with a fix). */
  fixes: StoryPoint[];
  fences: StoryFenceChange[];
  sms: StorySms[];
  alerts: StoryAlert[];
  bands: StoryBand[];
}

/** Registration stats (3GPP 27.007 +CxREG). */
const REG_NAMES: Record<number, string> = { 0: "not registered", 1: "home", 2: "searching", 3: "denied", 4: "unknown", 5: "roaming" };

/** The flash as the firmware left it, read through the firmware's own Settings (writes ignored). */
class ReadOnlyStore implements KeyValueStore {
  constructor(private readonly values: Readonly<Record<string, StoredValue>>) {}
  get(key: string): StoredValue | undefined {
    return this.values[key];
  }
  set(): void {}
  delete(): void {}
  keys(): string[] {
    return Object.keys(this.values);
  }
}

const QUIET = { log(): void {} };

/** The settings in `store` (a copy is read; a store the firmware cannot read gives the defaults). */
function readSettings(store: Readonly<Record<string, StoredValue>>): Settings {
  return new Settings(new ReadOnlyStore({ ...store }), QUIET);
}

/** Records a run's story while it runs; `finish` hands it over. */
export class StoryRecorder {
  private readonly truth = new TrackCollector();
  private readonly fixes = new TrackCollector();
  private readonly fences: StoryFenceChange[] = [];
  private readonly bands = new Map<string, [number, string][]>();
  private readonly plan: DrivePlan | undefined;
  private timer: EventHandle | undefined;
  private lastEpoch: readonly string[] | undefined;
  private lastSlots = "";

  constructor(
    private readonly sim: Simulation,
    gnssSource: GnssSource | undefined,
  ) {
    const source = gnssSource ?? defaultDrive();
    this.plan = isRecording(source) ? undefined : source;
  }

  /** Start sampling (call before sim.start(), so the modem's boot is seen). */
  start(): void {
    this.sample();
  }

  private sample(): void {
    const { sim } = this;
    const now = Math.round(sim.clock.nowMs);
    const truth = sim.gnss.truth();
    if (truth) {
      this.truth.add(now, truth.latDeg, truth.lonDeg);
      this.note("vehicle", now, truth.moving ? "moving" : "parked");
    }
    const epoch = sim.gnss.lastEpoch;
    if (epoch !== this.lastEpoch) {
      this.lastEpoch = epoch;
      const fix = epoch.map(rmcPosition).find((p) => p !== undefined);
      if (fix) this.fixes.add(now, fix.latDeg, fix.lonDeg);
    }
    this.sampleStates(now);
    this.sampleFence(now);
    // half-way between the receiver's epochs (whole seconds), so a sample sees the epoch just written
    const next = (Math.floor(now / SAMPLE_MS) + 1) * SAMPLE_MS + SAMPLE_MS / 2;
    this.timer = sim.clock.at(next, () => this.sample());
  }

  private sampleStates(now: number): void {
    const { modem, device, vehicle } = this.sim;
    const power = modem.powerState;
    const on = power === "on";
    const regs = [modem.registration("CEREG"), modem.registration("CGREG"), modem.registration("CREG")];
    const stat = regs.find((s) => s === 1 || s === 5) ?? regs.find((s) => s !== 0) ?? 0;
    this.note("modem power", now, power);
    this.note("SIM", now, on ? modem.simState : "—");
    this.note("registration", now, on ? (REG_NAMES[stat] ?? `stat ${stat}`) : "—");
    this.note("SMS ready", now, on && modem.isSmsReady ? "ready" : "no");
    this.note("firmware", now, device.state || "starting");
    if (vehicle) {
      this.note("vehicle supply", now, vehicle.supplied ? "on" : "cut");
      this.note("ignition", now, vehicle.ignition ? "on" : "off");
    }
  }

  private note(band: string, atMs: number, value: string): void {
    let changes = this.bands.get(band);
    if (!changes) this.bands.set(band, (changes = []));
    if (changes[changes.length - 1]?.[1] !== value) changes.push([atMs, value]);
  }

  /** The fence in the settings store, read again only when a settings slot changed. */
  private sampleFence(now: number): void {
    const store = this.sim.device.store;
    const slots = `${String(store["cfg.a"])}\n${String(store["cfg.b"])}`;
    if (slots === this.lastSlots) return;
    this.lastSlots = slots;
    const stored = readFence(readSettings(store).get("fence"));
    const fence = stored ? { latDeg: stored.latDeg, lonDeg: stored.lonDeg, radiusM: stored.radiusM } : null;
    const last = this.fences[this.fences.length - 1];
    if (last ? JSON.stringify(last.fence) !== JSON.stringify(fence) : fence !== null) this.fences.push({ atMs: now, fence });
  }

  /** Stop sampling and put the story together (call after the scenario ran, before or after sim.close()). */
  finish(scenario: Scenario, engine: string, seed: number): Story {
    const { sim } = this;
    sim.clock.cancel(this.timer);
    const now = Math.round(sim.clock.nowMs);
    this.sampleStates(now);
    this.sampleFence(now);
    const truth = sim.gnss.truth();
    if (truth) this.truth.add(now, truth.latDeg, truth.lonDeg);
    const sms = storySms(sim.network.log, sim.trackerNumber);
    const fixes = this.fixes.finish();
    const origin = sim.gnss.driveOriginMs;
    return {
      scenario: { name: scenario.name, description: scenario.description, engine, seed, modemProfile: sim.modemProfile },
      endMs: now,
      ...(this.plan && origin !== undefined ? { utcAtZeroMs: this.plan.startUtcMs - origin } : {}),
      trackerNumber: sim.trackerNumber,
      parties: this.parties(),
      truth: this.truth.finish(),
      fixes,
      fences: this.fences,
      sms,
      alerts: this.alertPoints(sms, fixes),
      bands: [...this.bands].map(([name, changes]) => ({ name, changes })),
    };
  }

  /** Who each number is: the tracker, the owner, the stranger, the users by the names in the settings. */
  private parties(): Record<string, string> {
    const { sim } = this;
    const parties: Record<string, string> = { [sim.trackerNumber]: "tracker", [sim.owner.number]: "owner", [sim.stranger.number]: "stranger" };
    const settings = readSettings(sim.device.store);
    const members = decodeMembers(settings.get("users"), settings.get("homeCountryCode"));
    if (typeof members !== "string") for (const m of members) parties[m.number] ??= m.name;
    return parties;
  }

  /** The vehicle's position at `atMs`: the drive's truth, else the last fix before (or the first). */
  private positionAt(atMs: number, fixes: readonly StoryPoint[]): { latDeg: number; lonDeg: number } | undefined {
    const origin = this.sim.gnss.driveOriginMs;
    if (this.plan) {
      const t = truthAt(this.plan, atMs - (origin ?? 0));
      return { latDeg: round6(t.latDeg), lonDeg: round6(t.lonDeg) };
    }
    let best: StoryPoint | undefined = fixes[0];
    for (const p of fixes) if (p[0] <= atMs) best = p;
    return best ? { latDeg: best[1], lonDeg: best[2] } : undefined;
  }

  /** The alerts as points: the same text within a minute (one alert to several numbers) is one point. */
  private alertPoints(sms: readonly StorySms[], fixes: readonly StoryPoint[]): StoryAlert[] {
    const alerts: StoryAlert[] = [];
    for (const m of sms) {
      if (m.role !== "alert") continue;
      const same = alerts.find((a) => a.text === m.text && m.atMs - a.atMs <= 60_000);
      if (same) {
        same.to.push(m.to);
        same.smsIds.push(m.id);
        continue;
      }
      const at = this.positionAt(m.atMs, fixes);
      if (!at) continue;
      alerts.push({ atMs: m.atMs, kinds: m.alertKinds ?? [], text: m.text, to: [m.to], smsIds: [m.id], ...at });
    }
    return alerts;
  }
}

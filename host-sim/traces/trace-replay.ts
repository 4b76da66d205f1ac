/**
 * Record a scenario's modem line as a trace, and replay a trace against a fresh firmware.
 *
 * Recording runs the scenario with a TraceRecorder tapping both modem wires; the header names
 * what a replay needs to rebuild the same world around the firmware: scenario (its options: owner,
 * GNSS source, build configuration), seed, modem profile, engine and duration.
 *
 * Replaying builds that world with a TraceModem in place of the virtual modem (Simulation.replay):
 * the firmware boots, the trace's modem side is played to it, and every byte it sends is checked
 * against the trace (trace-modem.ts gives the rules). It runs for the recorded duration (or until
 * the first mismatch), then a little longer while the trace still expects firmware bytes.
 */
import { Simulation, type SimulationOptions } from "../simulation.ts";
import { findScenario, type Scenario } from "../scenario/scenarios.ts";
import { runScenario, type ScenarioResult } from "../scenario/runner.ts";
import { PROFILE_NAMES, type ProfileName } from "../modem/profiles.ts";
import type { EngineName } from "../engines/engine.ts";
import { type Trace, parseTrace } from "./trace-format.ts";
import type { TraceMismatch } from "./trace-modem.ts";
import { TraceRecorder } from "./trace-recorder.ts";

/** A profile name in either spelling ("eg25", "EG25", "SIM7600G-H") → the virtual modem's; undefined when unknown. */
export function toProfileName(name: string | undefined): ProfileName | undefined {
  if (!name) return undefined;
  const wanted = name.trim().toLowerCase();
  return PROFILE_NAMES.find((p) => wanted === p) ?? PROFILE_NAMES.find((p) => wanted.startsWith(p));
}

export interface RecordOptions {
  engine?: EngineName;
  seed?: number;
  /** Override the scenario's modem profile. */
  modemProfile?: ProfileName;
}

/** Run `scenario` with a recorder on the modem line; returns the trace text and the scenario's result. */
export async function recordScenario(scenario: Scenario, options: RecordOptions = {}): Promise<{ text: string; trace: Trace; result: ScenarioResult }> {
  const seed = options.seed ?? 1;
  const engine = options.engine ?? "node";
  const profile = options.modemProfile ?? scenario.options?.modemProfile ?? scenario.options?.modemOptions?.profile ?? "a7670";
  const recorder = new TraceRecorder({
    now: () => 0, // the simulation records with its own virtual times
    header: { profile, baud: scenario.options?.modemBaud ?? 115_200, source: "simulator", scenario: scenario.name, seed, engine },
  });
  const result = await runScenario(scenario, {
    engine,
    seed,
    trace: recorder,
    ...(options.modemProfile ? { modemProfile: options.modemProfile } : {}),
  });
  recorder.header["duration-ms"] = String(result.simulatedMs);
  return { text: recorder.toString(), trace: recorder.trace(), result };
}

export interface ReplayResult {
  ok: boolean;
  /** The first mismatch (trace line, expected, what the firmware sent). */
  mismatch?: TraceMismatch;
  /** The replay ended while the trace still expected firmware bytes at this line. */
  waitingAt?: { line: number; expected: string; received: string };
  /** Human-readable outcome. */
  message: string;
  events: number;
  played: number;
  matched: number;
  simulatedMs: number;
  engine: EngineName;
}

export interface ReplayOptions {
  engine?: EngineName;
  /** Simulation options on top of those the header implies (owner, GNSS source...). */
  options?: SimulationOptions;
  /** After the recorded duration, wait at most this long for expected firmware bytes (ms). Default 60000. */
  graceMs?: number;
}

/** The simulation options a trace's header implies: its scenario's, seed and modem profile. */
export function optionsFromHeader(header: Record<string, string>): SimulationOptions {
  const scenario = header["scenario"] ? findScenario(header["scenario"]) : undefined;
  const options: SimulationOptions = { ...scenario?.options };
  const seed = Number(header["seed"]);
  if (header["seed"] !== undefined && Number.isFinite(seed)) options.seed = seed;
  const profile = toProfileName(header["profile"]);
  if (profile) options.modemProfile = profile;
  return options;
}

/** Boot a fresh firmware against the trace's modem side and check what it sends. */
export async function replayTrace(input: Trace | string, replay: ReplayOptions = {}): Promise<ReplayResult> {
  const trace = typeof input === "string" ? parseTrace(input) : input;
  const engine = replay.engine ?? "node";
  const options: SimulationOptions = { ...optionsFromHeader(trace.header), ...replay.options, engine };
  const sim = await Simulation.replay({ trace }, options);
  const modem = sim.modem;
  const lastEventMs = trace.events.at(-1)?.atMs ?? 0;
  const recordedMs = Number(trace.header["duration-ms"]);
  const durationMs = Number.isFinite(recordedMs) && recordedMs > 0 ? recordedMs : lastEventMs + 5_000;
  try {
    await sim.start();
    await sim.clock.runUntilCondition(() => modem.mismatch !== undefined, Math.max(0, durationMs - sim.clock.nowMs));
    if (!modem.mismatch && !modem.done) {
      await sim.clock.runUntilCondition(() => modem.mismatch !== undefined || modem.done, replay.graceMs ?? 60_000);
    }
  } finally {
    await sim.close();
  }
  const r = modem.result();
  const faults = sim.device.faults;
  let message: string;
  if (r.mismatch) message = `MISMATCH at trace line ${r.mismatch.line}: ${r.mismatch.message} (at ${(r.mismatch.atMs / 1000).toFixed(3)} s)`;
  else if (r.waitingAt)
    message = `INCOMPLETE: the firmware stopped before trace line ${r.waitingAt.line}: still expecting "${r.waitingAt.expected}" (got "${r.waitingAt.received}")`;
  else message = `OK: ${trace.events.length} events, ${modem.played} modem events played, ${modem.matched} firmware lines matched`;
  if (faults.length) message += `\nthe firmware threw: ${faults[0]}`;
  return {
    ok: r.ok && faults.length === 0,
    ...(r.mismatch ? { mismatch: r.mismatch } : {}),
    ...(r.waitingAt ? { waitingAt: r.waitingAt } : {}),
    message,
    events: trace.events.length,
    played: modem.played,
    matched: modem.matched,
    simulatedMs: sim.clock.nowMs,
    engine,
  };
}

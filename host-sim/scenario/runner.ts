/** Runs one scenario in a fresh simulation and reports its expectations, timing and XS figures. */
import { Simulation, DEFAULT_OWNER, type SimulationOptions } from "../simulation.ts";
import { Checks, type CheckResult } from "./checks.ts";
import { checkInvariants } from "./invariants.ts";
import type { Scenario } from "./scenarios.ts";
import { ModdableDevice, runtimePeaks, type RuntimePeaks } from "../moddable/moddable-device.ts";
import { StoryRecorder, type Story } from "./story.ts";

export interface ScenarioResult {
  name: string;
  engine: string;
  passed: boolean;
  checks: CheckResult[];
  /** Virtual time simulated, ms. */
  simulatedMs: number;
  /** Wall-clock time taken, ms. */
  wallMs: number;
  /** Phone messages received, for the transcript. */
  transcript: string[];
  /** The Moddable runtime's own figures over the run (moddable engine only). */
  runtime?: RuntimePeaks;
  /** Why it did not run (e.g. the scenario cannot run on the Moddable runtime): set on a skipped run only. */
  skipped?: string;
  /** What happened, for the HTML report (story.ts): only when asked for (RunCapture.story). */
  story?: Story;
}

/** What a run collects besides its expectations. */
export interface RunCapture {
  /** Record the run's story for the HTML report (--report). */
  story?: boolean;
}

/** The result of a run that was not made: `reason` says why. It neither passes nor fails. */
export function skippedResult(name: string, engine: string, reason: string): ScenarioResult {
  return { name, engine, passed: true, checks: [], simulatedMs: 0, wallMs: 0, transcript: [], skipped: reason };
}

/** Run `scenario` with `overrides` (engine, chunking, seed) on top of its own options. */
export async function runScenario(scenario: Scenario, overrides: SimulationOptions = {}, capture: RunCapture = {}): Promise<ScenarioResult> {
  const started = Date.now();
  const options = { ...scenario.options, ...overrides };
  const sim = await Simulation.create(options);
  const check = new Checks();
  const recorder = capture.story ? new StoryRecorder(sim, options.gnssSource) : undefined;
  let story: Story | undefined;
  try {
    recorder?.start();
    await sim.start();
    await scenario.run(sim, check);
    const owner = options.ownerNumber === undefined ? DEFAULT_OWNER : options.ownerNumber;
    checkInvariants(sim, check, scenario.registered ?? (owner ? [owner] : []));
  } catch (e) {
    check.ok(false, "the scenario ran to the end", e instanceof Error ? (e.stack ?? e.message) : String(e));
  } finally {
    try {
      story = recorder?.finish(scenario, sim.device.engineName, options.seed ?? 1);
    } catch (e) {
      check.ok(false, "the run's story was recorded (--report)", e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
    await sim.close();
  }
  const transcript = sim.network.log.map(
    (m) => `${(m.submittedAtMs / 1000).toFixed(1)} s  ${m.from} -> ${m.to}: ${JSON.stringify(m.text)} [${m.status}]`,
  );
  return {
    name: scenario.name,
    engine: sim.device.engineName,
    passed: check.failed.length === 0,
    checks: check.results,
    simulatedMs: sim.clock.nowMs,
    wallMs: Date.now() - started,
    transcript,
    ...(sim.device instanceof ModdableDevice ? { runtime: runtimePeaks(sim.device.runtimeSamples) } : {}),
    ...(story ? { story } : {}),
  };
}

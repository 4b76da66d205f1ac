/**
 * Runs `tracker run`'s list of scenario runs: one at a time in this process, or with --jobs N on N
 * forked worker processes (run-worker.ts, one scenario each at a time), and reports each result
 * with its index, so the caller prints them in the runs' order whatever order they finish in.
 * The moddable engine, and scenarios that are not built in (tests make their own), always run here,
 * one at a time: there is one Moddable runtime at a time, and a worker finds scenarios by name.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";
import { findScenario, type Scenario } from "../scenario/scenarios.ts";
import { runScenario, skippedResult, type ScenarioResult } from "../scenario/runner.ts";
import type { ChunkPolicy } from "../uart.ts";
import type { EngineName } from "../engines/engine.ts";
import type { ProfileName } from "../modem/profiles.ts";
import { XS_CPU_ENV } from "../engines/cpu-affinity.ts";
import { PREFETCH_ENV } from "../gnss/epoch-prefetch.ts";
import type { WorkerReply, WorkerRequest } from "./run-worker.ts";

/** One scenario on one engine. */
export interface PlannedRun {
  scenario: Scenario;
  engine: EngineName;
  /** This run's seed, instead of the pool's (a fleet of trackers, each its own). */
  seed?: number;
}

export interface PoolSettings {
  seed: number;
  chunk: ChunkPolicy;
  modemProfile?: ProfileName;
  /** Runs at a time (worker processes when > 1). */
  jobs: number;
  /** Record each run's story for the HTML report (--report). */
  story?: boolean;
  /** Where the moddable engine's progress lines (building the app, starting the runtime) go. */
  moddableProgress: (line: string) => void;
}

export interface PoolEvents {
  started?(index: number): void;
  finished?(index: number, result: ScenarioResult): void;
}

const WORKER = fileURLToPath(new URL("./run-worker.ts", import.meta.url));
/** tsx's loader, so that the worker process can load TypeScript. */
const TSX_LOADER = import.meta.resolve("tsx");

/** A worker process: runs one request at a time. */
class PoolWorker {
  private readonly child: ChildProcess;
  private waiting: { id: number; resolve: (reply: WorkerReply) => void } | undefined;
  private exited = false;

  /**
   * @param lane which of the pool's lanes: its XS engines get their own CPU (cpu-affinity.ts)
   * @param busy the lanes keep every CPU busy: no thread of the GNSS prefetch (epoch-prefetch.ts)
   */
  constructor(lane: number, busy: boolean) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (env[XS_CPU_ENV] !== "none") env[XS_CPU_ENV] = String(lane % availableParallelism());
    if (busy) env[PREFETCH_ENV] = "off";
    this.child = fork(WORKER, [], { execArgv: ["--import", TSX_LOADER], stdio: ["ignore", "pipe", "inherit", "ipc"], serialization: "json", env });
    // Whatever a scenario prints must not mix with the results on stdout (--json): it goes to stderr.
    this.child.stdout?.pipe(process.stderr, { end: false });
    this.child.on("message", (reply: WorkerReply) => {
      const waiting = this.waiting;
      if (waiting?.id !== reply.id) return;
      this.waiting = undefined;
      waiting.resolve(reply);
    });
    const died = (why: string) => {
      this.exited = true;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.resolve({ id: waiting.id, error: `the worker process ${why} during the run` });
    };
    this.child.on("exit", (code, signal) => died(`exited (${signal ?? `code ${code}`})`));
    this.child.on("error", (e) => died(`failed (${e.message})`));
  }

  get alive(): boolean {
    return !this.exited;
  }

  run(request: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve) => {
      this.waiting = { id: request.id, resolve };
      this.child.send(request);
    });
  }

  /** Let the worker exit (it does when the channel closes). */
  close(): void {
    if (!this.exited && this.child.connected) this.child.disconnect();
  }
}

/** True when `run` may go to a worker process: a built-in scenario, on a stepped engine. */
function forkable(run: PlannedRun): boolean {
  return run.engine !== "moddable" && findScenario(run.scenario.name) === run.scenario;
}

/** A worker's reply as a result: an error becomes a failed expectation. */
function replyResult(run: PlannedRun, reply: WorkerReply): ScenarioResult {
  if ("result" in reply) return reply.result;
  return {
    name: run.scenario.name,
    engine: run.engine,
    passed: false,
    checks: [{ ok: false, what: "the scenario ran to the end", detail: reply.error }],
    simulatedMs: 0,
    wallMs: 0,
    transcript: [],
  };
}

/** Run every one of `runs` (skipping a scenario that cannot run on moddable); resolves with the results in order. */
export async function runPlanned(runs: readonly PlannedRun[], settings: PoolSettings, events: PoolEvents = {}): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(runs.length);
  let next = 0;
  let id = 0;
  // In-process runs go one after another, whichever lane asks.
  let local: Promise<unknown> = Promise.resolve();
  const runHere = (run: PlannedRun): Promise<ScenarioResult> => {
    const result = local.then(() =>
      runScenario(run.scenario, {
        engine: run.engine,
        ...(run.engine === "moddable" ? { progress: settings.moddableProgress } : {}),
        seed: run.seed ?? settings.seed,
        chunk: settings.chunk,
        ...(settings.modemProfile ? { modemProfile: settings.modemProfile } : {}),
      }, { story: settings.story === true }),
    );
    local = result.catch(() => undefined);
    return result;
  };
  const workers: (PoolWorker | undefined)[] = [];
  const lane = async (k: number): Promise<void> => {
    for (let i = next++; i < runs.length; i = next++) {
      const run = runs[i]!;
      events.started?.(i);
      let result: ScenarioResult;
      if (run.engine === "moddable" && run.scenario.notOnModdable) {
        result = skippedResult(run.scenario.name, run.engine, run.scenario.notOnModdable);
      } else if (settings.jobs > 1 && forkable(run)) {
        if (!workers[k]?.alive) workers[k] = new PoolWorker(k, settings.jobs >= availableParallelism());
        const request: WorkerRequest = { id: ++id, name: run.scenario.name, ...(run.scenario.source ? { file: run.scenario.source } : {}), engine: run.engine, seed: run.seed ?? settings.seed, chunk: settings.chunk };
        if (settings.modemProfile) request.modemProfile = settings.modemProfile;
        if (settings.story) request.story = true;
        result = replyResult(run, await workers[k]!.run(request));
      } else {
        result = await runHere(run);
      }
      results[i] = result;
      events.finished?.(i, result);
    }
  };
  try {
    const lanes = Math.max(1, Math.min(settings.jobs, runs.length));
    await Promise.all(Array.from({ length: lanes }, (_, k) => lane(k)));
  } finally {
    for (const w of workers) w?.close();
  }
  return results;
}

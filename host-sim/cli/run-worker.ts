/**
 * A `tracker run --jobs N` worker: a child process (forked by run-pool.ts) that runs one built-in
 * or file scenario at a time, as the parent asks over the IPC channel, and sends back its ScenarioResult as
 * JSON. It exits when the parent disconnects.
 */
import { findScenario, type Scenario } from "../scenario/scenarios.ts";
import { loadFileScenario } from "../scenario/files/file-scenario.ts";
import { runScenario, type ScenarioResult } from "../scenario/runner.ts";
import type { ChunkPolicy } from "../uart.ts";
import type { EngineName } from "../engines/engine.ts";
import type { ProfileName } from "../modem/profiles.ts";

/** Parent → worker: run this scenario (by name) with these settings. */
export interface WorkerRequest {
  id: number;
  name: string;
  /** The scenario file it comes from (a file scenario), read again by the worker. */
  file?: string;
  engine: EngineName;
  seed: number;
  chunk: ChunkPolicy;
  modemProfile?: ProfileName;
  /** Record the run's story (story.ts) for the HTML report: it comes back in the result, as JSON. */
  story?: boolean;
}

/** Worker → parent: the result, or why the scenario could not be run at all. */
export type WorkerReply = { id: number; result: ScenarioResult } | { id: number; error: string };

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  let scenario: Scenario | undefined;
  try {
    scenario = request.file ? loadFileScenario(request.file) : findScenario(request.name);
  } catch (e) {
    return { id: request.id, error: e instanceof Error ? e.message : String(e) };
  }
  if (!scenario) return { id: request.id, error: `no scenario named '${request.name}' in the worker` };
  try {
    const result = await runScenario(scenario, {
      engine: request.engine,
      seed: request.seed,
      chunk: request.chunk,
      ...(request.modemProfile ? { modemProfile: request.modemProfile } : {}),
    }, { story: request.story === true });
    return { id: request.id, result };
  } catch (e) {
    return { id: request.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

if (process.send) {
  process.on("message", (request: WorkerRequest) => {
    void handle(request).then((reply) => process.send!(reply));
  });
  process.on("disconnect", () => process.exit(0));
}

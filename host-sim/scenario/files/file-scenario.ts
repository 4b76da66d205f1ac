/**
 * A scenario file as a runnable Scenario (the same runner, reports and engines as the built-in
 * ones), and finding the files that `tracker run <files or dirs>` names.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Scenario } from "../scenarios.ts";
import { loadScenarioFile } from "./load-file.ts";
import { registeredNumbers, simulationOptions } from "./file-options.ts";
import { FileTimeline } from "./file-timeline.ts";
import { checkFinalExpectations } from "./file-expectations.ts";
import type { ScenarioFile } from "./file-types.ts";

/** File names a folder search picks up. */
export const SCENARIO_FILE = /\.scenario\.ya?ml$/;

/** The Scenario a loaded file describes. */
export function fileScenario(file: ScenarioFile): Scenario {
  const { content } = file;
  return {
    name: content.name,
    description: content.description,
    options: simulationOptions(file),
    registered: registeredNumbers(content),
    ...(content.notOnModdable ? { notOnModdable: content.notOnModdable } : {}),
    source: relative(process.cwd(), file.path),
    async run(sim, check) {
      const timeline = new FileTimeline(file, sim, check, sim.seed);
      try {
        await timeline.run();
      } finally {
        timeline.endFaults();
      }
      checkFinalExpectations(file, timeline, sim, check);
    },
  };
}

/** True when `arg` names a scenario file or a folder (rather than a built-in scenario's name). */
export function isPathArgument(arg: string): boolean {
  return arg.includes("/") || SCENARIO_FILE.test(arg) || /\.ya?ml$/.test(arg);
}

/** Every scenario file under `path` (a file, or a folder searched recursively), sorted. */
export function scenarioFilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const found: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) found.push(...scenarioFilesIn(full));
    else if (SCENARIO_FILE.test(entry.name)) found.push(full);
  }
  return found.sort();
}

/** Load the scenario file at `path`. */
export function loadFileScenario(path: string): Scenario {
  return fileScenario(loadScenarioFile(path));
}

/**
 * The day benchmark (part of `tracker bench`): one tracker's realistic day (the scenario
 * day-drive-24h: a 24 h drive, full multi-GNSS NMEA at 1 Hz, about 14 sentences an epoch under a
 * changing sky, and 200 SMS exchanges), with its expectations and the product's invariants checked,
 * timed on the Node and XS engines: wall time, CPU time (this process's threads, the GNSS prefetch
 * worker's included, plus xsnap's on XS) and simulated seconds per wall-clock second, beside a
 * reference loop's time (the machine's speed drifts). On XS, the firmware's live heap (slots after a full
 * garbage collection) after boot, after the first 24th of the day (1 h) and at its end. Then a fleet:
 * the same day for many trackers (each its own seed) on worker processes, as `tracker run --jobs 2`
 * runs them. Figures only: what a machine does, nothing is asserted on them.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Simulation, DEFAULT_OWNER } from "../simulation.ts";
import { Checks } from "../scenario/checks.ts";
import { checkInvariants } from "../scenario/invariants.ts";
import type { Scenario } from "../scenario/scenarios.ts";
import { DAY_EXCHANGES, DAY_MS, dayDriveScenario } from "../scenario/bench-scenarios.ts";
import { findScenario } from "../scenario/scenarios.ts";
import { FirmwareDevice } from "../firmware-device.ts";
import { XsEngine } from "../engines/xs-engine.ts";
import { runPlanned } from "../cli/run-pool.ts";
import { UART_RX_CHUNK_BYTES } from "../uart.ts";

/** The firmware's live heap slots (XS) at three moments of the day. */
export interface DayHeap {
  afterBoot: number;
  /** After the first 24th of the day (1 h of a 24 h day). */
  afterFirstPart: number;
  atEnd: number;
}

export interface DayRun {
  engine: "node" | "xs";
  passed: boolean;
  /** The first failed expectations ("what: detail"). */
  failures: string[];
  simulatedMs: number;
  wallMs: number;
  /** CPU time: this process's threads (the GNSS prefetch worker's too), plus the xsnap process on XS (ms). */
  cpuMs: number;
  /** XS only. */
  heap?: DayHeap;
}

/** The day of `scenario` (day-drive-24h or a shorter one) on `engine`, timed; on XS with heap figures. */
export async function measureDay(scenario: Scenario, engine: "node" | "xs", dayMs: number): Promise<DayRun> {
  const startedMs = performance.now();
  const cpuStart = process.cpuUsage();
  const options = { ...scenario.options, engine };
  const sim = await Simulation.create(options);
  const check = new Checks();
  const device = sim.device instanceof FirmwareDevice ? sim.device : undefined;
  const heap = { afterBoot: NaN, afterFirstPart: NaN, atEnd: NaN };
  const liveSlots = async () => (await device?.liveHeapSlots()) ?? NaN;
  let xsCpuMs = 0;
  try {
    await sim.start();
    if (await sim.waitForState("ready", 60_000)) heap.afterBoot = await liveSlots();
    sim.clock.at(dayMs / 24, async () => {
      heap.afterFirstPart = await liveSlots();
    });
    await scenario.run(sim, check);
    checkInvariants(sim, check, scenario.registered ?? [DEFAULT_OWNER]);
    heap.atEnd = await liveSlots();
  } catch (e) {
    check.ok(false, "the day ran to the end", e instanceof Error ? (e.stack ?? e.message) : String(e));
  } finally {
    if (device?.engine instanceof XsEngine) xsCpuMs = device.engine.cpuMs();
    await sim.close();
  }
  const cpu = process.cpuUsage(cpuStart);
  return {
    engine,
    passed: check.failed.length === 0,
    failures: check.failed.slice(0, 3).map((c) => `${c.what}: ${c.detail}`),
    simulatedMs: sim.clock.nowMs,
    wallMs: performance.now() - startedMs,
    cpuMs: (cpu.user + cpu.system) / 1000 + xsCpuMs,
    ...(engine === "xs" ? { heap } : {}),
  };
}

export interface FleetRun {
  trackers: number;
  jobs: number;
  passed: number;
  wallMs: number;
  /** Simulated tracker-days per wall-clock hour. */
  trackerDaysPerHour: number;
}

/** `trackers` runs of `scenario` (seeds 1..trackers) on the Node engine, `jobs` at a time. */
export async function measureFleet(scenario: Scenario, trackers: number, jobs: number, dayMs: number): Promise<FleetRun> {
  const startedMs = performance.now();
  const runs = Array.from({ length: trackers }, (_, i) => ({ scenario, engine: "node" as const, seed: i + 1 }));
  const results = await runPlanned(runs, { seed: 1, chunk: UART_RX_CHUNK_BYTES, jobs, moddableProgress: () => {} });
  const wallMs = performance.now() - startedMs;
  const days = (trackers * dayMs) / DAY_MS;
  return { trackers, jobs, passed: results.filter((r) => r.passed).length, wallMs, trackerDaysPerHour: days / (wallMs / 3_600_000) };
}

export interface DayBenchOptions {
  /** Simulated length of the day (default 24 h) and its exchanges (default 200, scaled down for a shorter day). */
  dayMs?: number;
  exchanges?: number;
  /** Trackers in the fleet (default 100; 0: no fleet) and worker processes (default 2). */
  fleet?: number;
  jobs?: number;
  /** Where the lines go (default console.log). */
  print?: (line: string) => void;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const grouped = (n: number) => Math.round(n).toLocaleString("en-US");

/** A duration as people say it: "24 h", "1 h", "10 min", "25 s". */
function span(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * How fast this machine is now: the shortest of 3 runs of a fixed loop (200 M steps of integer
 * arithmetic in JavaScript), ms. A virtual machine's speed drifts (here by up to 1.5x within
 * minutes), so a day's figures are read beside it.
 */
export function referenceLoopMs(): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    // a new function each run: V8 compiles each the same way (a function run again gets other code)
    const loop = new Function("n", "let x = 0; for (let i = 0; i < n; i++) x = (Math.imul(x, 31) + i) | 0; return x;") as (n: number) => number;
    const startMs = performance.now();
    const x = loop(200_000_000);
    const ms = performance.now() - startMs;
    if (ms < best && x !== 1) best = ms;
  }
  return best;
}

/** The day scenario: day-drive-24h, or a shorter day with `exchanges` commands. */
export function daySimulation(dayMs: number, exchanges: number): Scenario {
  const builtIn = findScenario("day-drive-24h");
  if (dayMs === DAY_MS && exchanges === DAY_EXCHANGES && builtIn) return builtIn;
  return dayDriveScenario(`day-drive-${span(dayMs).replace(" ", "")}`, dayMs, exchanges);
}

const DAY_RUN = fileURLToPath(new URL("./day-run.ts", import.meta.url));
/** tsx's loader, so that the child process can load TypeScript. */
const TSX_LOADER = import.meta.resolve("tsx");

/** measureDay in a fresh Node process (day-run.ts): nothing the bench ran before is in it. */
export function measureDayApart(engine: "node" | "xs", dayMs: number, exchanges: number): Promise<DayRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", TSX_LOADER, DAY_RUN, engine, String(dayMs), String(exchanges)], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const last = stdout.trimEnd().split("\n").at(-1) ?? "";
      if (error || !last.startsWith("{")) {
        reject(new Error(`the ${engine} day did not run: ${error?.message ?? ""} ${stderr.trim()}`.trim()));
        return;
      }
      resolve(JSON.parse(last) as DayRun);
    });
  });
}

/** Run the day on both engines (each in a process of its own) and the fleet, and print the figures (the day section of `tracker bench`). */
export async function printDayBench(options: DayBenchOptions = {}): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const dayMs = options.dayMs ?? DAY_MS;
  const exchanges = options.exchanges ?? Math.max(1, Math.round((DAY_EXCHANGES * dayMs) / DAY_MS));
  const scenario = daySimulation(dayMs, exchanges);
  print("");
  print(`A day of one tracker (${scenario.name}): ${span(dayMs)} of driving and parking, full NMEA at 1 Hz (~14 sentences an epoch, changing sky), ${exchanges} SMS exchange${exchanges === 1 ? "" : "s"}:`);
  print(`  ${"engine".padEnd(7)} ${"result".padEnd(7)} ${"wall s".padStart(7)} ${"CPU s".padStart(7)} ${"simulated s per wall s".padStart(23)}`);
  const referenceBeforeMs = referenceLoopMs();
  const xsHeap: DayHeap[] = [];
  for (const engine of ["node", "xs"] as const) {
    const run = await measureDayApart(engine, dayMs, exchanges);
    const speed = run.simulatedMs / run.wallMs;
    print(`  ${engine.padEnd(7)} ${(run.passed ? "PASS" : "FAIL").padEnd(7)} ${seconds(run.wallMs).padStart(7)} ${seconds(run.cpuMs).padStart(7)} ${`${grouped(speed)}x`.padStart(23)}`);
    for (const failure of run.failures) print(`    ✗ ${failure}`);
    if (run.heap) xsHeap.push(run.heap);
  }
  print(`  machine speed: a reference loop took ${referenceBeforeMs.toFixed(0)} ms before the days, ${referenceLoopMs().toFixed(0)} ms after (lower is faster)`);
  const heap = xsHeap[0];
  if (heap) {
    const growth = ((heap.atEnd - heap.afterFirstPart) / heap.afterFirstPart) * 100;
    print(`  firmware heap on XS, live slots after a full GC:`);
    print(`    after boot (ready)  ${grouped(heap.afterBoot).padStart(9)}`);
    print(`    after ${span(dayMs / 24).padEnd(13)} ${grouped(heap.afterFirstPart).padStart(9)}`);
    print(`    after ${span(dayMs).padEnd(13)} ${grouped(heap.atEnd).padStart(9)}   (${growth >= 0 ? "+" : ""}${growth.toFixed(2)} % on the ${span(dayMs / 24)} figure)`);
  }
  const trackers = options.fleet ?? 100;
  if (trackers > 0) {
    const jobs = options.jobs ?? 2;
    const fleet = await measureFleet(scenario, trackers, jobs, dayMs);
    print(
      `  fleet: ${trackers} trackers x ${span(dayMs)} on node, --jobs ${jobs}: ${seconds(fleet.wallMs)} s wall, ` +
        `${grouped(fleet.trackerDaysPerHour)} tracker-days per hour, ${fleet.passed}/${trackers} passed`,
    );
  }
}

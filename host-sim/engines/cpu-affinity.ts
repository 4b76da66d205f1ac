/**
 * One CPU for the XS engine and the simulator driving it (Linux).
 *
 * The simulator and the xsnap process take turns: one waits while the other runs a step. On a
 * virtual machine, a turn handed to another vCPU wakes a halted vCPU each way; on this 2-core VM
 * a round trip took 18.6 µs that way and 12.8 µs with both on one CPU, and a simulated day
 * (day-drive-24h) ran 8 to 13 % faster. So while an XS engine is alive, this process's main thread
 * is pinned to one CPU and xsnap starts on it; nothing is lost, the two never run at once. When
 * the last engine closes, the main thread gets back the CPUs it had (processes it starts in
 * between inherit the one CPU).
 *
 * The CPU: TRACKER_XS_CPU when set (the run pool gives each of its workers its own, so that
 * parallel runs do not share one), else the CPU the main thread runs on at the time;
 * TRACKER_XS_CPU=none pins nothing. Without `taskset` (util-linux) nothing is pinned.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Environment variable naming the CPU (a number, or "none"). */
export const XS_CPU_ENV = "TRACKER_XS_CPU";

/** Engines holding the pin, the CPU, and the CPU list the main thread had before. */
const pin: { holders: number; cpu: number | undefined; before: string | undefined } = { holders: 0, cpu: undefined, before: undefined };

/** Field `name` of the main thread's /proc status (e.g. Cpus_allowed_list), or undefined. */
function mainThreadStatus(name: string): string | undefined {
  try {
    const status = readFileSync(`/proc/self/task/${process.pid}/status`, "utf8");
    return new RegExp(`^${name}:\\s*(\\S+)$`, "m").exec(status)?.[1];
  } catch {
    return undefined;
  }
}

/** The CPU the main thread runs on now (field 39 of its /proc stat), or undefined. */
function currentCpu(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const cpu = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[36]);
    return Number.isInteger(cpu) && cpu >= 0 ? cpu : undefined;
  } catch {
    return undefined;
  }
}

/** Set thread `tid`'s CPU list (taskset syntax: "1", "0-1"); false when that cannot be done. */
export function setThreadCpus(tid: number, list: string): boolean {
  try {
    execFileSync("taskset", ["-p", "-c", list, String(tid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Set the main thread's CPU list (its thread id is the process id); false when that cannot be done. */
function setMainThreadCpus(list: string): boolean {
  return setThreadCpus(process.pid, list);
}

/**
 * For a new XS engine: the CPU its process should start on, with the main thread pinned to it
 * (by the first engine alive); undefined when nothing is pinned. Pair with {@link releaseEngineCpu}.
 */
export function acquireEngineCpu(): number | undefined {
  pin.holders++;
  if (pin.holders > 1) return pin.cpu;
  if (process.platform !== "linux") return undefined;
  const wanted = process.env[XS_CPU_ENV];
  if (wanted === "none") return undefined;
  const cpu = wanted !== undefined && /^\d+$/.test(wanted) ? Number(wanted) : currentCpu();
  const before = mainThreadStatus("Cpus_allowed_list");
  if (cpu === undefined || before === undefined || !setMainThreadCpus(String(cpu))) return undefined;
  pin.cpu = cpu;
  pin.before = before;
  return cpu;
}

/** An XS engine closed: the last one gives the main thread back the CPUs it had. */
export function releaseEngineCpu(): void {
  if (pin.holders === 0) return;
  pin.holders--;
  if (pin.holders > 0 || pin.cpu === undefined) return;
  if (pin.before !== undefined) setMainThreadCpus(pin.before);
  pin.cpu = undefined;
  pin.before = undefined;
}

/**
 * The CPU list the main thread had before an XS engine pinned it (taskset syntax), for threads
 * that should not share the pinned CPU; undefined when nothing is pinned.
 */
export function cpusBeforePin(): string | undefined {
  return pin.cpu === undefined ? undefined : pin.before;
}

/** The command that starts `file` with `args` on `cpu` (through taskset), or as it is when `cpu` is undefined. */
export function onCpu(cpu: number | undefined, file: string, args: string[]): { file: string; args: string[] } {
  return cpu === undefined ? { file, args } : { file: "taskset", args: ["-c", String(cpu), file, ...args] };
}

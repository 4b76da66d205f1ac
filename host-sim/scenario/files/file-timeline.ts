/**
 * Running a scenario file's timeline: each step waits for its time (`at` from the start, `after`
 * the previous step), then acts (a phone texts, a fault starts, the power is cut ...) or checks
 * (a message arrives within its time, nothing arrives). Each check names the file's line, and a
 * failure shows what the phone actually received and when.
 */
import type { Simulation } from "../../simulation.ts";
import { smsPattern } from "./spec.ts";
import type { Checks } from "../checks.ts";
import { VirtualPhone, type PhoneMessage } from "../../modem/phone.ts";
import { findFault } from "../../faults/fault-library.ts";
import { SimulationFaultWorld } from "../../faults/fault-world.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import type { FileStep, ScenarioFile } from "./file-types.ts";
import { phoneNumbers } from "./file-options.ts";
import { READY_WITHIN_MS } from "../scenario-helpers.ts";

/** How long a reply or an expected message may take unless the step says (WHERE may wait 60 s for a fix). */
export const DEFAULT_WITHIN_MS = 90_000;

/** A command whose reply the file expected: checked for exactly one matching reply at the end. */
export interface AnsweredCommand {
  phone: string;
  text: string;
  pattern: RegExp;
  /** Index in the phone's inbox when the command was sent. */
  fromIndex: number;
  line: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The messages a phone received, for failure details: `12.0 s "text"` each. */
export function inboxText(messages: readonly PhoneMessage[]): string {
  if (messages.length === 0) return "nothing";
  return messages.map((m) => `${seconds(m.atMs)} ${JSON.stringify(m.text)}`).join("; ");
}

export class FileTimeline {
  readonly phones = new Map<string, VirtualPhone>();
  readonly answered: AnsweredCommand[] = [];
  /** Per phone: inbox messages before this index were already matched by an expectation. */
  private readonly cursor = new Map<string, number>();
  private readonly world: SimulationFaultWorld;
  private readonly stops: (() => void)[] = [];
  /** What named groups (?<name>...) of matched patterns caught, for ${name} in later texts. */
  private readonly captured = new Map<string, string>();

  constructor(
    private readonly file: ScenarioFile,
    private readonly sim: Simulation,
    private readonly check: Checks,
    seed: number,
  ) {
    const numbers = phoneNumbers(file.content);
    for (const [name, number] of numbers) {
      this.phones.set(name, name === "owner" ? sim.owner : name === "stranger" ? sim.stranger : new VirtualPhone(sim.network, number));
    }
    this.world = new SimulationFaultWorld(sim, seed, numbers);
  }

  phone(name: string | undefined, fallback = "owner"): VirtualPhone {
    return this.phones.get(name ?? fallback)!;
  }

  /** Run every step in order. */
  async run(): Promise<void> {
    const steps = this.file.content.timeline;
    for (let i = 0; i < steps.length; i++) await this.step(steps[i]!, this.file.stepLines[i] ?? 0, i);
  }

  /** End lasting faults still in force (they would otherwise outlive the scenario). */
  endFaults(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private where(line: number, index: number): string {
    return `line ${line} (timeline[${index}])`;
  }

  private async step(step: FileStep, line: number, index: number): Promise<void> {
    const sim = this.sim;
    const where = this.where(line, index);
    if (step.at !== undefined) {
      const atMs = parseDuration(step.at)!;
      if (atMs < sim.clock.nowMs) this.check.ok(false, `${where}: at ${formatDuration(atMs)}`, `the timeline was already at ${seconds(sim.clock.nowMs)}`);
      else await sim.clock.runUntil(atMs);
    }
    if (step.after !== undefined) await sim.runFor(parseDuration(step.after)!);

    if (step.send !== undefined) return this.send(step, where, line);
    if (step.expect !== undefined) {
      const what = `${where}: ${step.to ?? "owner"} receives /${step.expect}/`;
      return this.expectNext(step.to ?? "owner", smsPattern(step.expect), step, what, sim.clock.nowMs);
    }
    if (step.silent !== undefined) return this.silent(step, where);
    if (step.wait !== undefined) {
      if (step.wait === "ready") {
        this.check.ok(await sim.waitForState("ready", READY_WITHIN_MS), `${where}: the tracker is ready within ${formatDuration(READY_WITHIN_MS)}`, `its state is ${sim.device.state}`);
      } else await sim.runFor(parseDuration(step.wait)!);
      return;
    }
    if (step.fault !== undefined) return this.fault(step, where);
    if (step.reboot === "firmware") return sim.restartFirmware();
    if (step.reboot === "modem") return sim.modem.reboot();
    if (step.power !== undefined || step.ignition !== undefined) {
      const vehicle = sim.vehicle;
      if (!this.check.ok(vehicle !== undefined, `${where}: the scenario has a vehicle`, "vehicle: none")) return;
      if (step.power === "cut") vehicle!.cutPower();
      if (step.power === "restore") vehicle!.restorePower();
      if (step.ignition === "on") vehicle!.ignitionOn();
      if (step.ignition === "off") vehicle!.ignitionOff();
      return;
    }
    if (step.sky !== undefined) sim.gnss.setSignalLost(step.sky === "lost");
  }

  private async send(step: FileStep, where: string, line: number): Promise<void> {
    const name = step.from ?? "owner";
    const phone = this.phone(name);
    const fromIndex = phone.inbox.length;
    const delivery = this.world.nextSend;
    this.world.nextSend = undefined;
    const text = step.send!.replace(/\$\{(\w+)\}/g, (_, key: string) => this.captured.get(key) ?? "");
    this.sim.network.submit(step.as ?? phone.number, this.sim.trackerNumber, text, delivery ? { delivery } : {});
    if (step.reply === undefined) return;
    const pattern = smsPattern(step.reply);
    this.answered.push({ phone: name, text, pattern, fromIndex, line });
    this.cursor.set(name, Math.max(this.cursor.get(name) ?? 0, fromIndex));
    const shown = text.length > 30 ? `${text.slice(0, 27)}...` : text;
    await this.expectNext(name, pattern, step, `${where}: ${name} texts ${JSON.stringify(shown)} and gets /${step.reply}/`, this.sim.clock.nowMs);
  }

  /**
   * The next message to `name` (after those already matched) matches `pattern` within the step's
   * `within`, and not sooner than its `notBefore`; the pattern's named groups are kept for later texts.
   */
  private async expectNext(name: string, pattern: RegExp, step: FileStep, what: string, sinceMs: number): Promise<void> {
    const phone = this.phone(name);
    const limitMs = step.within === undefined ? DEFAULT_WITHIN_MS : parseDuration(step.within)!;
    const start = this.cursor.get(name) ?? 0;
    const found = (): number => phone.inbox.findIndex((m, i) => i >= start && pattern.test(m.text));
    await this.sim.clock.runUntilCondition(() => found() >= 0, limitMs);
    const i = found();
    if (i >= 0) {
      const message = phone.inbox[i]!;
      this.cursor.set(name, i + 1);
      for (const [key, value] of Object.entries(pattern.exec(message.text)?.groups ?? {})) if (value !== undefined) this.captured.set(key, value);
      const tookMs = message.atMs - sinceMs;
      const notBeforeMs = step.notBefore === undefined ? 0 : parseDuration(step.notBefore)!;
      const early = notBeforeMs > 0 ? `, not before ${formatDuration(notBeforeMs)}` : "";
      const when = tookMs < 0 ? `already there, ${seconds(-tookMs)} before` : `in ${seconds(tookMs)}`;
      this.check.ok(notBeforeMs === 0 || tookMs >= notBeforeMs, `${what} (${when}, limit ${formatDuration(limitMs)}${early})`, `it came too soon: ${JSON.stringify(message.text)}`);
      return;
    }
    const got = phone.inbox.slice(start);
    this.check.ok(false, `${what} within ${formatDuration(limitMs)}`, `at ${seconds(this.sim.clock.nowMs)} ${name} had received ${inboxText(got)}`);
  }

  private async silent(step: FileStep, where: string): Promise<void> {
    const sim = this.sim;
    const fromMs = sim.clock.nowMs;
    await sim.runFor(parseDuration(step.silent)!);
    const target = step.to === undefined ? undefined : this.phone(step.to).number;
    const arrived = (r: { deliveredAtMs: number | undefined }) => r.deliveredAtMs !== undefined && r.deliveredAtMs > fromMs;
    const sent = sim.network.log.filter((r) => r.from === sim.trackerNumber && arrived(r) && (target === undefined || r.to === target));
    const who = step.to ?? "any phone";
    this.check.ok(
      sent.length === 0,
      `${where}: no SMS reaches ${who} for ${formatDuration(parseDuration(step.silent)!)}`,
      sent.map((r) => `${seconds(r.deliveredAtMs!)} to ${r.to}: ${JSON.stringify(r.text)}`).join("; "),
    );
  }

  private async fault(step: FileStep, where: string): Promise<void> {
    const definition = findFault(step.fault!)!;
    const { at: _at, after: _after, note: _note, fault: _fault, for: lasting, ...params } = step;
    try {
      const stop = await definition.start(this.world, params);
      if (typeof stop !== "function") return;
      if (lasting === undefined) {
        this.stops.push(stop);
        return;
      }
      let stopped = false;
      const end = (): void => {
        if (!stopped) stop();
        stopped = true;
      };
      this.stops.push(end);
      this.sim.clock.after(parseDuration(lasting)!, end);
    } catch (e) {
      this.check.ok(false, `${where}: fault ${step.fault} starts`, (e as Error).message);
    }
  }
}

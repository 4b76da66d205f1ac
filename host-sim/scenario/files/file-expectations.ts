/**
 * The end of a scenario file's run: its `expect` list (what each phone received in all), and the
 * exactly-once rule for every command whose reply the timeline expected.
 */
import type { Simulation } from "../../simulation.ts";
import { smsPattern } from "./spec.ts";
import type { Checks } from "../checks.ts";
import type { PhoneMessage } from "../../modem/phone.ts";
import type { FileExpectation, ScenarioFile } from "./file-types.ts";
import { type FileTimeline, inboxText } from "./file-timeline.ts";

/** Messages `to` received (for "anyone": every message the tracker sent, as its recipients got them). */
function received(timeline: FileTimeline, sim: Simulation, to: string): PhoneMessage[] {
  if (to !== "anyone") return timeline.phone(to).inbox;
  return sim.network.log
    .filter((r) => r.from === sim.trackerNumber && r.deliveredAtMs !== undefined)
    .map((r) => ({ from: r.from, text: r.text, atMs: r.deliveredAtMs! }));
}

function checkOne(e: FileExpectation, line: number, index: number, timeline: FileTimeline, sim: Simulation, check: Checks): void {
  const all = received(timeline, sim, e.to);
  const pattern = e.matching === undefined ? undefined : smsPattern(e.matching);
  const messages = pattern ? all.filter((m) => pattern.test(m.text)) : all;
  const what = `line ${line} (expect[${index}]): ${e.to} received${pattern ? ` messages matching ${pattern}` : ""}`;
  const detail = `got ${messages.length}: ${inboxText(messages)}`;
  if (e.count !== undefined) check.ok(messages.length === e.count, `${what}: exactly ${e.count}`, detail);
  if (e.atLeast !== undefined) check.ok(messages.length >= e.atLeast, `${what}: at least ${e.atLeast}`, detail);
  if (e.atMost !== undefined) check.ok(messages.length <= e.atMost, `${what}: at most ${e.atMost}`, detail);
  if (e.inbox !== undefined) {
    const patterns = e.inbox.map((p) => smsPattern(p));
    const fits = messages.length === patterns.length && patterns.every((p, i) => p.test(messages[i]!.text));
    check.ok(fits, `${what}: exactly ${patterns.length} message(s): ${patterns.join(", ")}`, detail);
  }
}

/** Check the file's final expectations and, unless `answeredOnce: false`, the exactly-once rule. */
export function checkFinalExpectations(file: ScenarioFile, timeline: FileTimeline, sim: Simulation, check: Checks): void {
  (file.content.expect ?? []).forEach((e, i) => checkOne(e, file.expectLines[i] ?? 0, i, timeline, sim, check));
  if (file.content.answeredOnce === false) return;
  // A command's replies are counted until the same phone's next command with an expected reply.
  timeline.answered.forEach((command, i) => {
    const next = timeline.answered.slice(i + 1).find((c) => c.phone === command.phone);
    const inbox = timeline.phone(command.phone).inbox.slice(command.fromIndex, next?.fromIndex);
    const replies = inbox.filter((m) => command.pattern.test(m.text));
    check.ok(
      replies.length === 1,
      `line ${command.line}: ${command.phone}'s ${JSON.stringify(command.text.slice(0, 30))} was answered exactly once`,
      `${replies.length} replies matching ${command.pattern}: ${inboxText(replies)}`,
    );
  });
}

/** What the scenario files share: time limits, the ready wait, the modem's store, map links, the stranger log check, waiting for a message and checking how soon it came. */
import type { Simulation } from "../simulation.ts";
import type { VirtualPhone } from "../modem/phone.ts";
import type { Checks } from "./checks.ts";

/** Time for the modem to boot, register and be initialised (ms). */
export const READY_WITHIN_MS = 60_000;
/** Time a reply may take: network delivery both ways plus modem work (ms). */
export const REPLY_WITHIN_MS = 30_000;
/** How long WHERE waits for a live fix before it answers what is known (the whereWaitS default, ms). */
export const WHERE_WAIT_MS = 60_000;
/** Time a WHERE reply may take when there may be no live fix: the wait, then a reply's time. */
export const WHERE_REPLY_WITHIN_MS = WHERE_WAIT_MS + REPLY_WITHIN_MS;

/** Wait until the tracker is ready (at most READY_WITHIN_MS); false (a failed check) when it is not. */
export async function ready(sim: Simulation, check: Checks, what = "the tracker is ready within 60 s"): Promise<boolean> {
  return check.ok(await sim.waitForState("ready", READY_WITHIN_MS), what, `state ${sim.device.state}`);
}

/** Messages still stored on the virtual modem's SIM. */
export function storedMessages(sim: Simulation): number {
  return sim.modem.storedMessages().length;
}

/** The coordinates of a reply's map link. */
export function linkCoordinates(text: string | undefined): { lat: number; lon: number } | undefined {
  const m = /https:\/\/maps\.google\.com\/\?q=(-?\d+\.\d+),(-?\d+\.\d+)/.exec(text ?? "");
  return m ? { lat: Number(m[1]), lon: Number(m[2]) } : undefined;
}

/** The stranger's (+14155550123) attempt is logged with the number masked, and the full number never. */
export function checkStrangerLoggedMasked(sim: Simulation, check: Checks): void {
  check.ok(
    sim.device.logs.some((l) => l.tag === "auth" && l.message.includes("+1415***0123")),
    "the attempt is logged with the number masked",
  );
  check.ok(!sim.device.logs.some((l) => l.message.includes("+14155550123")), "the full number never appears in logs");
}

/** Scenario.profileFree for scenarios of the access rules: the firmware decides them, whatever the modem. */
export const ACCESS_RULES = "who may command the tracker is the firmware's rule, the same on every modem";

/**
 * `from` sends `text`; a reply matching `pattern` must arrive within REPLY_WITHIN_MS (notices the
 * tracker sends meanwhile, such as the stranger digest, may come first). Returns the reply text.
 */
export async function says(sim: Simulation, check: Checks, from: VirtualPhone, text: string, pattern: RegExp, what: string): Promise<string | undefined> {
  const before = from.inbox.length;
  from.send(sim.trackerNumber, text);
  const matching = () => from.inbox.slice(before).find((m) => pattern.test(m.text));
  // (a WHERE without a live fix waits for one before it answers)
  await sim.clock.runUntilCondition(() => matching() !== undefined, WHERE_REPLY_WITHIN_MS);
  const reply = matching();
  check.ok(reply !== undefined, what, `got ${JSON.stringify(from.inbox.slice(before).map((m) => m.text))}, expected ${pattern}`);
  return reply?.text;
}

/** `to` has received (or receives within REPLY_WITHIN_MS) a message matching `pattern`. Returns its text. */
export async function told(sim: Simulation, check: Checks, to: VirtualPhone, pattern: RegExp, what: string): Promise<string | undefined> {
  const matching = () => to.inbox.find((m) => pattern.test(m.text));
  await sim.clock.runUntilCondition(() => matching() !== undefined, REPLY_WITHIN_MS);
  check.ok(matching() !== undefined, what, `got ${JSON.stringify(to.inbox.map((m) => m.text))}, expected ${pattern}`);
  return matching()?.text;
}

/** Texts `phone` received matching `pattern`. */
export function received(phone: VirtualPhone, pattern: RegExp): { text: string; atMs: number }[] {
  return phone.inbox.filter((m) => pattern.test(m.text));
}

/** Run until `phone` has `count` messages matching `pattern` (at most `limitMs`); the first of them. */
export async function awaitMessage(sim: Simulation, phone: VirtualPhone, pattern: RegExp, limitMs: number, count = 1): Promise<{ text: string; atMs: number } | undefined> {
  await sim.clock.runUntilCondition(() => received(phone, pattern).length >= count, limitMs);
  return received(phone, pattern)[count - 1];
}

/** Run until simulation time `atMs` (from its start). */
export async function runUntil(sim: Simulation, atMs: number): Promise<void> {
  if (atMs > sim.clock.nowMs) await sim.runFor(atMs - sim.clock.nowMs);
}

/** `check` that `message` came within `limitMs` of `eventMs`; the measured delay is part of what the check says. */
export function within(check: Checks, message: { atMs: number } | undefined, eventMs: number, limitMs: number, what: string): void {
  const delay = message ? message.atMs - eventMs : NaN;
  const measured = message ? `${Math.round(delay / 100) / 10} s after the event` : "never";
  check.ok(message !== undefined && delay >= 0 && delay <= limitMs, `${what}: ${measured}`, measured);
}

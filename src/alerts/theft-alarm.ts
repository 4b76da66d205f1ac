/**
 * ARM / DISARM and the theft alarm: while armed, the movement guard (alerts/movement-guard.ts)
 * watches the fixes; when the parked vehicle moves, one movement alert goes to every number that
 * receives alerts, then the position every FOLLOW_UP_MS for FOLLOW_UP_COUNT messages, unless
 * DISARMed. The armed state is a setting (it survives a reboot and a power cut); the anchor and the
 * follow-ups live in RAM (no position is ever stored). Owner and admins may arm and disarm; when an
 * admin does, the owner is told. Times are monotonic ms.
 */
import type { Clock, Logger, TimerHandle } from "../platform/ports";
import type { Settings } from "../store/settings";
import type { Fix } from "../gnss/fix";
import type { Member } from "../auth/user-list";
import { maskNumber } from "../auth/phone-number";
import { MovementGuard, type Movement } from "./movement-guard";

/** Time between the positions sent after a movement alert (ms). */
export const FOLLOW_UP_MS = 2 * 60_000;
/** Positions sent after a movement alert (30 minutes' worth). */
export const FOLLOW_UP_COUNT = 15;

/** A reply and notices (the command handler's Outcome shape). */
export interface AlarmOutcome {
  readonly reply: string;
  readonly notices: readonly { readonly to: string; readonly text: string }[];
}

/** What the alarm needs from the tracker. */
export interface TheftAlarmContext {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly log: Logger;
  /** The owner's number ("" while unclaimed). */
  readonly owner: () => string;
  /** Send `text` as an alert to every number that receives alerts: the movement alert, or a position after it. */
  readonly alert: (text: string, kind: "movement" | "follow-up") => void;
  /** The position now in short (time, speed and map link when live; the last known one labelled as such). */
  readonly position: () => string;
}

export class TheftAlarm {
  readonly guard = new MovementGuard();
  readonly #context: TheftAlarmContext;
  #followUpTimer: TimerHandle | undefined = undefined;
  #followUpsLeft = 0;

  constructor(context: TheftAlarmContext) {
    this.#context = context;
    if (context.settings.get("armed") === "on") this.guard.arm(); // a new anchor from the next fixes
  }

  get armed(): boolean {
    return this.guard.armed;
  }

  /** ARM from `member` (owner or admin). */
  arm(member: Member): AlarmOutcome {
    if (member.role === "user") return { reply: "ARM is for the owner and admins. Send HELP for the commands you can use.", notices: [] };
    const saved = this.#context.settings.set("armed", "on");
    if (!saved.ok) return { reply: `ARM failed: ${saved.reason}.`, notices: [] };
    this.#stopFollowUps();
    this.guard.arm();
    this.#context.log.log("info", "alarm", `armed by ${maskNumber(member.number)}`);
    return {
      reply: "Armed: if the vehicle moves (driven or towed) you get an alert, then its position every 2 min for 30 min. DISARM to stop.",
      notices: this.#tellOwner(member, "armed"),
    };
  }

  /** DISARM from `member` (owner or admin): no more movement alerts, follow-ups stop. */
  disarm(member: Member): AlarmOutcome {
    if (member.role === "user") return { reply: "DISARM is for the owner and admins. Send HELP for the commands you can use.", notices: [] };
    const saved = this.#context.settings.set("armed", "off");
    if (!saved.ok) return { reply: `DISARM failed: ${saved.reason}.`, notices: [] };
    const following = this.#followUpsLeft > 0;
    this.#stopFollowUps();
    this.guard.disarm();
    this.#context.log.log("info", "alarm", `disarmed by ${maskNumber(member.number)}`);
    return {
      reply: following ? "Disarmed: the positions after the alert stop, and movement raises no alert." : "Disarmed: movement raises no alert.",
      notices: this.#tellOwner(member, "disarmed"),
    };
  }

  /** Feed each published fix. */
  onFix(fix: Fix): void {
    const movement = this.guard.onFix(fix);
    if (movement) this.#raise(movement);
  }

  /** Forget positions held in RAM (RESET, a new owner): the anchor; the follow-ups stop. */
  forget(): void {
    this.#stopFollowUps();
    if (this.#context.settings.get("armed") === "on") this.guard.forget();
    else this.guard.disarm();
  }

  #raise(movement: Movement): void {
    const context = this.#context;
    context.log.log("warn", "alarm", `movement while armed: ${Math.round(movement.distanceM)} m from where the vehicle was parked`);
    context.alert(`MOVEMENT ALERT: moved ${Math.round(movement.distanceM)} m while armed. ${context.position()}\nPosition every 2 min for 30 min; DISARM stops it.`, "movement");
    this.#followUpsLeft = FOLLOW_UP_COUNT;
    this.#scheduleFollowUp();
  }

  #scheduleFollowUp(): void {
    const { clock } = this.#context;
    this.#followUpTimer = clock.setTimer(() => {
      this.#followUpTimer = undefined;
      if (this.#followUpsLeft <= 0) return;
      this.#followUpsLeft--;
      const left = this.#followUpsLeft;
      this.#context.alert(`After the movement alert (${left} more to come, DISARM stops them): ${this.#context.position()}`, "follow-up");
      if (left > 0) this.#scheduleFollowUp();
    }, FOLLOW_UP_MS);
  }

  #stopFollowUps(): void {
    this.#context.clock.clearTimer(this.#followUpTimer);
    this.#followUpTimer = undefined;
    this.#followUpsLeft = 0;
  }

  /** The owner is told when an admin arms or disarms. */
  #tellOwner(member: Member, what: string): { to: string; text: string }[] {
    const owner = this.#context.owner();
    if (member.role === "owner" || owner === "") return [];
    return [{ to: owner, text: `${member.name} (${maskNumber(member.number)}) ${what} the tracker.` }];
  }
}

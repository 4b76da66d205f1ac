/**
 * Incoming SMS (text mode): +CMTI announces a stored message; the inbox reads it (AT+CMGR),
 * hands it to the handler, then deletes it (AT+CMGD), one message at a time. At start it sweeps
 * the store (AT+CMGL) for messages that arrived while nobody was listening (they get no +CMTI).
 */
import type { Clock, Logger } from "../platform/ports";
import type { AtChat, AtResponse } from "../modem/at-chat";
import { parseCmgrTextHeader, parseCmti, splitFields } from "../modem/at-fields";
import { decodeGsm7 } from "../codec/gsm7";
import type { ReceivedSms } from "./sms";

/** AT+CMGR answer time limit (ms): depends on length, SIMCom answers in well under a second. */
const READ_TIMEOUT_MS = 5_000;
/** AT+CMGD time limit (ms). */
const DELETE_TIMEOUT_MS = 5_000;
/** AT+CMGL time limit (ms): SIM800 documents 20 s for a full store. */
const LIST_TIMEOUT_MS = 20_000;
/** Attempts to read one index before it is deleted unread. */
const MAX_READ_ATTEMPTS = 3;
/** Pause before retrying a failed read (ms). */
const RETRY_DELAY_MS = 2_000;
/** Indexes remembered at most (a SIM holds 10-50 messages). */
const MAX_PENDING = 64;
/** Recently handled messages remembered, so one read again (delete lost in a modem reboot) is not answered twice. */
const RECENT_HANDLED = 16;

/** Handles one message; call `done` once the reply (if any) is queued, so the message may be deleted. */
export type SmsHandler = (sms: ReceivedSms, done: () => void) => void;

export class SmsInbox {
  private pending: number[] = [];
  private attempts = new Map<number, number>();
  private working = false;
  private retryTimer: object | undefined;
  /** Identities (sender, service-centre time, text) of the last RECENT_HANDLED messages handled. Survives clear(). */
  private recent: string[] = [];
  /** Counters for diagnostics. */
  readonly stats = { received: 0, readFailures: 0, deleted: 0, deleteFailures: 0, duplicates: 0 };

  constructor(
    private readonly chat: AtChat,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly handler: SmsHandler,
  ) {}

  /** Feed every URC line here; returns true when it was an SMS indication this inbox took. */
  handleUrc(line: string): boolean {
    if (!line.startsWith("+CMTI:")) return false;
    const cmti = parseCmti(line);
    if (!cmti) {
      this.log.log("warn", "sms", `unreadable +CMTI indication`);
      return true;
    }
    this.enqueue(cmti.index);
    return true;
  }

  /** List the store and process every message in it (call once the modem is ready). */
  sweep(): void {
    this.chat.send({ command: 'AT+CMGL="ALL"', timeoutMs: LIST_TIMEOUT_MS, dataAfterPrefix: "+CMGL:" }, (response) => {
      if (response.outcome !== "ok") {
        this.log.log("warn", "sms", `listing stored messages failed (${response.outcome} ${response.error})`);
        return;
      }
      for (const line of response.lines) {
        if (!line.startsWith("+CMGL:")) continue;
        const index = Number(splitFields(line)?.[0]);
        if (Number.isInteger(index) && index >= 0) this.enqueue(index);
      }
    });
  }

  /** Forget queued work (after a modem reboot the indexes are re-learnt by a sweep). */
  clear(): void {
    this.pending = [];
    this.attempts.clear();
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.working = false;
  }

  private enqueue(index: number): void {
    if (this.pending.includes(index)) return;
    if (this.pending.length >= MAX_PENDING) {
      this.log.log("warn", "sms", `inbox queue full; message ${index} left for the next sweep`);
      return;
    }
    this.pending.push(index);
    this.next();
  }

  private next(): void {
    if (this.working || this.retryTimer) return;
    const index = this.pending[0];
    if (index === undefined) return;
    this.working = true;
    this.chat.send({ command: `AT+CMGR=${index}`, timeoutMs: READ_TIMEOUT_MS, dataAfterPrefix: "+CMGR:" }, (response) =>
      this.onRead(index, response),
    );
  }

  private onRead(index: number, response: AtResponse): void {
    if (response.outcome === "aborted") {
      this.working = false;
      return;
    }
    if (response.outcome !== "ok") {
      const attempts = (this.attempts.get(index) ?? 0) + 1;
      this.attempts.set(index, attempts);
      this.stats.readFailures++;
      this.log.log("warn", "sms", `reading message ${index} failed (${response.outcome} ${response.error}), attempt ${attempts}`);
      this.working = false;
      if (attempts >= MAX_READ_ATTEMPTS) {
        this.log.log("error", "sms", `message ${index} unreadable after ${attempts} attempts; deleting it`);
        this.remove(index);
        return;
      }
      this.retryTimer = this.clock.setTimeout(() => {
        this.retryTimer = undefined;
        this.next();
      }, RETRY_DELAY_MS);
      return;
    }
    const sms = SmsInbox.decode(index, response.lines);
    if (!sms) {
      // Empty slot (already deleted) or a record we cannot read (status report, PDU): drop it.
      this.log.log("debug", "sms", `slot ${index} holds no readable SMS-DELIVER`);
      this.remove(index);
      return;
    }
    const identity = `${sms.sender}\n${sms.sentUtcMs}\n${sms.text}`;
    if (this.recent.includes(identity)) {
      // Handled before, but its delete was lost (e.g. the modem rebooted): delete it, never answer twice.
      this.stats.duplicates++;
      this.log.log("info", "sms", `message ${index} was already handled; deleting it without a second reply`);
      this.remove(index);
      return;
    }
    this.recent.push(identity);
    if (this.recent.length > RECENT_HANDLED) this.recent.shift();
    this.stats.received++;
    let handled = false;
    this.handler(sms, () => {
      if (handled) return;
      handled = true;
      this.remove(index);
    });
  }

  private remove(index: number): void {
    this.working = true;
    this.chat.send({ command: `AT+CMGD=${index}`, timeoutMs: DELETE_TIMEOUT_MS }, (response) => {
      if (response.outcome === "ok") this.stats.deleted++;
      else {
        this.stats.deleteFailures++;
        this.log.log("warn", "sms", `deleting message ${index} failed (${response.outcome} ${response.error})`);
      }
      this.pending = this.pending.filter((i) => i !== index);
      this.attempts.delete(index);
      this.working = false;
      this.next();
    });
  }

  /** Build a ReceivedSms from the +CMGR response lines (header, then body lines), or undefined. */
  static decode(index: number, lines: readonly string[]): ReceivedSms | undefined {
    const headerAt = lines.findIndex((l) => l.startsWith("+CMGR:"));
    if (headerAt < 0) return undefined;
    const header = parseCmgrTextHeader(lines[headerAt]!);
    if (!header || !header.sender) return undefined;
    const body = lines.slice(headerAt + 1).map(decodeGsm7).join("\n");
    return { index, sender: header.sender, text: body, sentUtcMs: header.sctsUtcMs };
  }
}

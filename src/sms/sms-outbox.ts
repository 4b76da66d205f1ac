/**
 * Outgoing SMS (text mode, GSM-7): queued replies sent one at a time with AT+CMGS, retried on
 * transient failures. The body is encoded so that no character can end (Ctrl-Z) or cancel (ESC)
 * the modem's input early, and the destination must be a valid E.164 number: message text never
 * reaches the modem as command text.
 */
import type { Clock, Logger } from "../platform/ports";
import type { AtChat, AtResponse } from "../modem/at-chat";
import { encodeGsm7 } from "../codec/gsm7";
import { maskNumber } from "../auth/phone-number";

/** Ctrl-Z: ends a text-mode SMS body. */
const CTRL_Z = 0x1a;
/** ESC: cancels a text-mode SMS body. */
const ESC = 0x1b;
/** One single-part GSM-7 SMS (septets). */
export const SMS_MAX_SEPTETS = 160;
/** AT+CMGS answer time limit (ms): SIMCom documents up to 60 s (network dependent). */
const SEND_TIMEOUT_MS = 60_000;
/** Attempts per message before giving up. */
const MAX_ATTEMPTS = 3;
/** Pause between attempts (ms). */
const RETRY_DELAY_MS = 10_000;
/** Messages queued at most; older ones are kept, new ones refused when full. */
const MAX_QUEUED = 16;
/** +CMS ERROR causes not worth retrying (27.005 / 24.011): unassigned number, barring, SMSC unknown, no SIM. */
const PERMANENT_CMS = Object.freeze(["1", "8", "10", "21", "310", "330"]);

interface Outgoing {
  to: string;
  body: Uint8Array;
  attempts: number;
}

/** Final outcome of one message: sent, or failed with a reason. */
export type SendReport = (sent: boolean, reason: string) => void;

export class SmsOutbox {
  private queue: (Outgoing & { report?: SendReport })[] = [];
  private sending = false;
  private retryTimer: object | undefined;
  readonly stats = { sent: 0, failed: 0, retries: 0 };

  constructor(
    private readonly chat: AtChat,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Messages waiting or in flight. */
  get length(): number {
    return this.queue.length;
  }

  /**
   * Queue `text` for `to` (E.164). Text longer than one SMS is cut with "..." (replies are
   * designed to fit). Returns false (and logs) when the number is invalid or the queue is full.
   */
  send(to: string, text: string, report?: SendReport): boolean {
    if (!/^\+[1-9][0-9]{6,14}$/.test(to)) {
      this.log.log("error", "sms", `refusing to send to invalid number`);
      return false;
    }
    if (this.queue.length >= MAX_QUEUED) {
      this.log.log("error", "sms", `outbox full; reply to ${maskNumber(to)} dropped`);
      return false;
    }
    let body = encodeGsm7(text, [CTRL_Z, ESC]);
    if (body.length > SMS_MAX_SEPTETS) {
      this.log.log("warn", "sms", `reply of ${body.length} septets cut to one SMS`);
      const cut = body.subarray(0, SMS_MAX_SEPTETS - 3);
      // Do not leave a dangling escape at the cut.
      const end = cut[cut.length - 1] === ESC ? cut.length - 1 : cut.length;
      body = Uint8Array.from([...cut.subarray(0, end), 0x2e, 0x2e, 0x2e]);
    }
    this.queue.push({ to, body, attempts: 0, report });
    this.log.log("info", "sms", `reply queued to ${maskNumber(to)} (${body.length} chars)`);
    this.next();
    return true;
  }

  /** Drop the in-flight state after a modem reboot; queued messages stay and are sent again. */
  resume(): void {
    this.sending = false;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.next();
  }

  private next(): void {
    if (this.sending || this.retryTimer) return;
    const message = this.queue[0];
    if (!message) return;
    this.sending = true;
    message.attempts++;
    const payload = new Uint8Array(message.body.length + 1);
    payload.set(message.body);
    payload[message.body.length] = CTRL_Z;
    this.chat.send({ command: `AT+CMGS="${message.to}"`, timeoutMs: SEND_TIMEOUT_MS, payload }, (response) =>
      this.onResult(message, response),
    );
  }

  private onResult(message: Outgoing & { report?: SendReport }, response: AtResponse): void {
    if (response.outcome === "aborted") {
      this.sending = false;
      return;
    }
    this.sending = false;
    if (response.outcome === "ok") {
      this.queue.shift();
      this.stats.sent++;
      this.log.log("info", "sms", `reply sent to ${maskNumber(message.to)}`);
      message.report?.(true, "");
      this.next();
      return;
    }
    const reason = `${response.outcome}${response.error ? " " + response.error : ""}`;
    const permanent = response.outcome === "cms-error" && PERMANENT_CMS.includes(response.error);
    if (permanent || message.attempts >= MAX_ATTEMPTS) {
      this.queue.shift();
      this.stats.failed++;
      this.log.log("error", "sms", `reply to ${maskNumber(message.to)} failed after ${message.attempts} attempt(s): ${reason}`);
      message.report?.(false, reason);
      this.next();
      return;
    }
    this.stats.retries++;
    this.log.log("warn", "sms", `sending to ${maskNumber(message.to)} failed (${reason}); retrying in ${RETRY_DELAY_MS / 1000} s`);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.next();
    }, RETRY_DELAY_MS);
  }
}

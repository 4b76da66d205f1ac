/**
 * Outgoing SMS: queued replies sent one at a time with AT+CMGS, in text mode (GSM-7, one part) or
 * PDU mode (GSM-7 or UCS-2, concatenated parts when longer), retried on failures the modem reports.
 *
 * Exactly once: a send that fails before the body reached the modem (error result, no "> " prompt,
 * modem reboot before the prompt) is retried. A send whose body was written but never confirmed
 * (timeout or reboot after Ctrl-Z) may have gone out: it is never sent again; instead, once the
 * modem answers, the recipient gets one short notice that the reply may be missing. So nothing is
 * sent twice, and nobody is left without an answer or an explanation.
 *
 * Message text never reaches the modem as command text: the destination must be E.164, text-mode
 * bodies cannot contain Ctrl-Z or ESC, and PDU bodies are hex.
 */
import type { Clock, Logger } from "../platform/ports";
import type { AtChat, AtResponse } from "../modem/at-chat";
import { encodeGsm7 } from "../codec/gsm7";
import { maskNumber } from "../auth/phone-number";
import { encodeSubmit } from "./pdu/pdu-encode";
import type { SmsMode } from "./sms";

/** Ctrl-Z: ends an SMS body. */
const CTRL_Z = 0x1a;
/** ESC: cancels an SMS body. */
const ESC = 0x1b;
/** One single-part GSM-7 SMS (septets). */
export const SMS_MAX_SEPTETS = 160;
/** Parts one reply may take at most (each part is billed as one SMS). */
export const MAX_PARTS_PER_MESSAGE = 3;
/** Characters a PDU-mode reply is cut to before encoding: what MAX_PARTS_PER_MESSAGE GSM-7 parts hold. */
const MAX_PDU_CHARS = MAX_PARTS_PER_MESSAGE * 153;
/** Default AT+CMGS time limit (ms): SIMCom documents up to 60 s; profiles may set more (Quectel 120 s). */
export const DEFAULT_SEND_TIMEOUT_MS = 60_000;
/** Attempts per part before giving up. */
const MAX_ATTEMPTS = 3;
/** Pause between attempts (ms). */
const RETRY_DELAY_MS = 10_000;
/** Messages queued at most; new ones are refused when full (see `room`). */
export const MAX_QUEUED = 16;
/** +CMS ERROR causes not worth retrying (27.005 / 24.011): unassigned number, barring, SMSC unknown, no SIM. */
const PERMANENT_CMS = Object.freeze(["1", "8", "10", "21", "310", "330"]);
/**
 * +CMS ERROR causes that mean "no network right now" (no service, network timeout, congestion,
 * temporary failure, resources unavailable, SMS service not ready; also the verbose forms): the
 * message waits for the network, retried with backoff for up to NETWORK_WAIT_MS, without using up
 * its attempts.
 */
const NETWORK_CMS = Object.freeze(["331", "332", "41", "42", "47", "512", "no network service", "network timeout"]);
/** How long a message waits for the network to come back (ms). */
export const NETWORK_WAIT_MS = 30 * 60_000;
/** Longest pause between retries while waiting for the network (ms). */
const NETWORK_RETRY_MAX_MS = 2 * 60_000;
/** Sent when a reply may or may not have left (never carries the reply's content). */
export const UNCONFIRMED_NOTICE =
  "Your last reply may not have been sent: the modem did not confirm it. If you did not get it, send your command again.";

/** One AT+CMGS exchange: the command and the body written after the prompt. */
interface Part {
  command: string;
  payload: Uint8Array;
}

interface Outgoing {
  to: string;
  text: string;
  /** Encoded when first sent, for the mode then in use. */
  parts: Part[] | undefined;
  nextPart: number;
  attempts: number;
  /** When the network first refused it (monotonic ms), undefined until then; and how many network retries since. */
  networkSinceMs: number | undefined;
  networkRetries: number;
  /** The unconfirmed-send notice itself: never followed by another notice. */
  notice: boolean;
  report?: SendReport;
}

/** Final outcome of one message: sent, or failed with a reason. */
export type SendReport = (sent: boolean, reason: string) => void;

export class SmsOutbox {
  private queue: Outgoing[] = [];
  private sending = false;
  /** False while the modem is down or being set up (pause()): nothing is sent until resume(). */
  private modemReady = true;
  private retryTimer: object | undefined;
  private mode: SmsMode = "text";
  private sendTimeoutMs = DEFAULT_SEND_TIMEOUT_MS;
  /** Concatenation reference of the next multi-part message (0-255). */
  private reference = 0;
  readonly stats = { sent: 0, failed: 0, retries: 0, unconfirmed: 0, partsSent: 0 };
  /** Called (synchronously) when a message has left the queue and there is room for another. */
  onRoom: (() => void) | null = null;

  constructor(
    private readonly chat: AtChat,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Send in this mode from now on (it must match the modem's AT+CMGF). */
  setMode(mode: SmsMode): void {
    this.mode = mode;
  }

  /** AT+CMGS time limit for the modem in use (ms). */
  setSendTimeout(timeoutMs: number): void {
    if (timeoutMs > 0) this.sendTimeoutMs = timeoutMs;
  }

  /** Messages waiting or in flight. */
  get length(): number {
    return this.queue.length;
  }

  /**
   * How many more messages `send` takes now. The inbox reads a message only when its reply will
   * fit (see SmsInbox.roomForReplies): a command is never read, deleted and then left unanswered
   * because the queue was full.
   */
  get room(): number {
    return MAX_QUEUED - this.queue.length;
  }

  /**
   * Queue `text` for `to` (E.164). Text mode cuts text longer than one SMS with "..."; PDU mode
   * sends up to MAX_PARTS_PER_MESSAGE parts. Returns false (and logs) when the number is invalid or
   * the queue is full.
   */
  send(to: string, text: string, report?: SendReport): boolean {
    return this.enqueue(newMessage(to, text, false, report));
  }

  /** The modem is down or being set up: hold everything until resume(). */
  pause(): void {
    this.modemReady = false;
  }

  /** The modem is ready (again): queued messages are sent (again, when safe). */
  resume(): void {
    this.modemReady = true;
    this.sending = false;
    this.clock.clearTimer(this.retryTimer);
    this.retryTimer = undefined;
    this.next();
  }

  private enqueue(message: Outgoing): boolean {
    if (!/^\+[1-9][0-9]{6,14}$/.test(message.to)) {
      this.log.log("error", "sms", `refusing to send to an invalid number`);
      return false;
    }
    if (this.queue.length >= MAX_QUEUED) {
      this.log.log("error", "sms", `outbox full; message to ${maskNumber(message.to)} not queued`);
      return false;
    }
    this.queue.push(message);
    this.log.log("info", "sms", `${message.notice ? "notice" : "reply"} queued to ${maskNumber(message.to)}`);
    this.next();
    return true;
  }

  private next(): void {
    if (this.sending || this.retryTimer || !this.modemReady) return;
    const message = this.queue[0];
    if (!message) return;
    message.parts ??= this.encode(message);
    // Stryker disable all: defensive, unreachable today (see encode): docs/equivalent-mutants.md
    if (message.parts.length === 0) {
      this.finish(message, false, "the text could not be encoded");
      return;
    }
    // Stryker restore all
    const part = message.parts[message.nextPart]!;
    this.sending = true;
    message.attempts++;
    this.chat.send({ command: part.command, timeoutMs: this.sendTimeoutMs, payload: part.payload }, (response) =>
      this.onResult(message, response),
    );
  }

  private onResult(message: Outgoing, response: AtResponse): void {
    this.sending = false;
    if (response.outcome === "ok") {
      this.stats.partsSent++;
      message.nextPart++;
      message.attempts = 0;
      if (message.nextPart >= message.parts!.length) this.finish(message, true, "");
      else this.next();
      return;
    }
    const reason = `${response.outcome}${response.error ? " " + response.error : ""}`;
    const unconfirmed = (response.outcome === "timeout" || response.outcome === "aborted") && response.payloadSent;
    if (unconfirmed) {
      // It may have gone out: sending it again could deliver it twice.
      this.stats.unconfirmed++;
      this.log.log("warn", "sms", `send to ${maskNumber(message.to)} not confirmed (${reason}); not sending it again`);
      // the notice takes the message's place in the queue before anything else can
      this.finish(message, false, `not confirmed (${reason})`, message.notice ? undefined : newMessage(message.to, UNCONFIRMED_NOTICE, true));
      return;
    }
    if (response.outcome === "aborted") {
      // The modem went away before the body was sent: send again once it is back (resume()).
      message.attempts--;
      return;
    }
    if (response.outcome === "cms-error" && NETWORK_CMS.includes(response.error.toLowerCase())) {
      const now = this.clock.monotonicMs();
      message.networkSinceMs ??= now;
      if (now - message.networkSinceMs < NETWORK_WAIT_MS) {
        message.attempts--; // waiting for the network does not use up attempts
        message.networkRetries++;
        const delayMs = Math.min(NETWORK_RETRY_MAX_MS, RETRY_DELAY_MS * 2 ** Math.min(6, message.networkRetries - 1));
        this.stats.retries++;
        this.log.log("warn", "sms", `no network for ${maskNumber(message.to)} (${reason}); retrying in ${Math.round(delayMs / 1000)} s`);
        this.retryTimer = this.clock.setTimer(() => {
          this.retryTimer = undefined;
          this.next();
        }, delayMs);
        return;
      }
    }
    const permanent = response.outcome === "cms-error" && PERMANENT_CMS.includes(response.error);
    if (permanent || message.attempts >= MAX_ATTEMPTS) {
      this.log.log("warn", "sms", `giving up on ${maskNumber(message.to)} after ${message.attempts} attempt(s)`);
      this.finish(message, false, reason);
      return;
    }
    this.stats.retries++;
    this.log.log("warn", "sms", `sending to ${maskNumber(message.to)} failed (${reason}); retrying in ${RETRY_DELAY_MS / 1000} s`);
    this.retryTimer = this.clock.setTimer(() => {
      this.retryTimer = undefined;
      this.next();
    }, RETRY_DELAY_MS);
  }

  /** `message` leaves the queue (its `replacement`, if any, goes first in its place); then its report, the room, the next send. */
  private finish(message: Outgoing, sent: boolean, reason: string, replacement?: Outgoing): void {
    this.queue = this.queue.filter((queued) => queued !== message);
    if (replacement) {
      this.queue.unshift(replacement);
      this.log.log("info", "sms", `notice queued to ${maskNumber(replacement.to)}`);
    }
    if (sent) {
      this.stats.sent++;
      this.log.log("info", "sms", `${message.notice ? "notice" : "reply"} sent to ${maskNumber(message.to)}`);
    } else {
      this.stats.failed++;
      this.log.log("error", "sms", `${message.notice ? "notice" : "reply"} to ${maskNumber(message.to)} failed: ${reason}`);
    }
    try {
      message.report?.(sent, reason);
    } catch (e) {
      this.log.log("error", "sms", `send report threw: ${String(e)}`);
    }
    try {
      if (this.room > 0) this.onRoom?.();
    } catch (e) {
      this.log.log("error", "sms", `onRoom threw: ${String(e)}`);
    }
    this.next();
  }

  /** The AT+CMGS exchanges for a message in the current mode; empty when it cannot be encoded. */
  private encode(message: Outgoing): Part[] {
    if (this.mode === "text") {
      let body = encodeGsm7(message.text, [CTRL_Z, ESC]);
      if (body.length > SMS_MAX_SEPTETS) {
        this.log.log("warn", "sms", `text of ${body.length} septets cut to one SMS`);
        // (no ESC to keep whole: the body has none, see encodeGsm7 above)
        body = Uint8Array.from([...body.subarray(0, SMS_MAX_SEPTETS - 3), 0x2e, 0x2e, 0x2e]);
      }
      return [{ command: `AT+CMGS="${message.to}"`, payload: withCtrlZ(body) }];
    }
    // at most what three parts of GSM-7 hold (3 × 153 septets), so the encoder is never asked for more than 255 parts
    const chars = [...message.text];
    let text = chars.length > MAX_PDU_CHARS ? chars.slice(0, MAX_PDU_CHARS - 3).join("") + "..." : message.text;
    for (;;) {
      const encoded = encodeSubmit(message.to, text, { reference: this.reference });
      // Stryker disable all: defensive, unreachable today: the destination passed the E.164 check and the text was cut to what 3 parts hold, the encoder's only refusals: docs/equivalent-mutants.md
      if (encoded.error || encoded.parts.length === 0) {
        this.log.log("error", "sms", `cannot encode the message: ${encoded.error ?? "no parts"}`);
        return [];
      }
      // Stryker restore all
      if (encoded.parts.length <= MAX_PARTS_PER_MESSAGE) {
        if (encoded.parts.length > 1) this.reference = (this.reference + 1) & 0xff;
        return encoded.parts.map((p) => ({ command: `AT+CMGS=${p.tpduOctets}`, payload: withCtrlZ(asciiBytes(p.hex)) }));
      }
      // Too long for MAX_PARTS_PER_MESSAGE: keep the first 90 % of its characters and try again.
      const kept = [...text];
      text = kept.slice(0, Math.floor(kept.length * 0.9)).join("") + "...";
      this.log.log("warn", "sms", `text cut to fit ${MAX_PARTS_PER_MESSAGE} parts`);
    }
  }
}

function newMessage(to: string, text: string, notice: boolean, report?: SendReport): Outgoing {
  return { to, text, parts: undefined, nextPart: 0, attempts: 0, networkSinceMs: undefined, networkRetries: 0, notice, report };
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0x7f);
}

function withCtrlZ(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  out[body.length] = CTRL_Z;
  return out;
}

/**
 * Reassembly of concatenated SMS (3GPP TS 23.040 §9.2.3.24.1 / .8). Parts are keyed by sender +
 * reference size + reference + total; they may arrive in any order, and duplicates (the same
 * part read twice, or a part the network delivers again) are ignored. A message that is not
 * concatenated passes straight through.
 *
 * Policy (a tracker command fits one SMS; concatenation is the exception):
 * - Complete: emitted at once, parts in sequence order, `complete: true`.
 * - Timeout (default 300 s after its first part arrived): emitted with the parts received,
 *   `complete: false` and `missing` listing the absent part numbers. Never dropped silently,
 *   because every registered sender must get one answer; the consumer must not act on an
 *   incomplete text as a command (reply "incomplete, please resend" instead). 300 s outlasts the
 *   usual gap between the parts of one message (seconds) and a service centre's first retry of a
 *   lost part (minutes), and bounds how late that answer comes.
 * - A part whose user data was cut short (`truncated`) makes the message incomplete too.
 * - Bounded memory: at most `maxMessages` (default 4) messages pending; a new one evicts the oldest,
 *   which is emitted as incomplete. Messages announcing more than `maxParts` (default 8) parts are
 *   dropped part by part with a warning: no tracker command is 1,200 characters long.
 * - Recently completed keys are remembered (timeoutMs) so a late duplicate of a part does not
 *   start a phantom message that would later be emitted as incomplete.
 * Never throws; an exception from `onMessage` is caught and logged.
 */
import type { Clock, Logger, TimerHandle } from "../../platform/ports";
import type { ConcatInfo } from "./pdu-decode";

const TAG = "sms";

/** Default time a partial message waits for its missing parts, ms. */
export const CONCAT_TIMEOUT_MS = 300_000;
/** Default number of partial messages held at once. */
export const CONCAT_MAX_MESSAGES = 4;
/** Default largest part count accepted for reassembly. */
export const CONCAT_MAX_PARTS = 8;

/** What add() needs from one received part (a decoded PduDeliver fits). */
export interface ConcatPart {
  text: string;
  /** The sender's type of number (23.040 TON, 0-7); -1 or absent when unknown. Parts of one message share it. */
  senderTon?: number;
  /** Service-centre time stamp, ms since the Unix epoch (UTC); NaN when unknown. */
  sentUtcMs: number;
  /** Absent for a message that is not concatenated. */
  concat?: ConcatInfo;
  /** The part's user data was shorter than announced. */
  truncated?: boolean;
}

/** A whole (or given-up-on) message. */
export interface ReassembledSms {
  sender: string;
  /** The sender's type of number, as its parts gave it (-1 when unknown). */
  senderTon: number;
  /** Text of the parts received, in sequence order. Untrusted data. */
  text: string;
  /** Time stamp of the lowest-numbered part received with a valid one, ms since the Unix epoch (UTC); NaN when none. */
  sentUtcMs: number;
  /** All parts present and none truncated. */
  complete: boolean;
  /** Part numbers that never arrived (empty when complete). */
  missing: number[];
  /** Parts announced (1 for a message that is not concatenated). */
  total: number;
  /** Modem storage indices of the parts accepted, as given to add(); parts add() reports as "duplicate" or "dropped" are not listed (their caller deletes them). */
  storageIndices: number[];
}

/** What add() did with a part. */
export type ConcatAddOutcome = "emitted" | "pending" | "duplicate" | "dropped";

/** Options of ConcatReassembler. */
export interface ConcatReassemblerOptions {
  /** Receives every complete or timed-out message. */
  onMessage: (sms: ReassembledSms) => void;
  /** How long a partial message waits for its missing parts, ms (default CONCAT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Partial messages held at once (default CONCAT_MAX_MESSAGES, at least 1). */
  maxMessages?: number;
  /** Largest part count accepted (default CONCAT_MAX_PARTS, 1-255). */
  maxParts?: number;
}

/** Counters since construction. */
export interface ConcatStats {
  emittedComplete: number;
  emittedIncomplete: number;
  duplicates: number;
  dropped: number;
  evicted: number;
}

interface Pending {
  key: string;
  sender: string;
  senderTon: number;
  total: number;
  firstMs: number;
  texts: (string | undefined)[];
  sentUtcMs: (number | undefined)[];
  received: number;
  truncated: boolean;
  storageIndices: number[];
  timer: TimerHandle | undefined;
}

export class ConcatReassembler {
  readonly stats: ConcatStats = { emittedComplete: 0, emittedIncomplete: 0, duplicates: 0, dropped: 0, evicted: 0 };
  #clock: Clock;
  #log: Logger;
  #onMessage: (sms: ReassembledSms) => void;
  #timeoutMs: number;
  #maxMessages: number;
  #maxParts: number;
  /** Pending messages, oldest first. */
  #pending: Pending[] = [];
  /** Keys recently completed, with the monotonic time they completed; bounded ring. */
  #recent: { key: string; atMs: number }[] = [];

  constructor(clock: Clock, log: Logger, options: ConcatReassemblerOptions) {
    this.#clock = clock;
    this.#log = log;
    this.#onMessage = options.onMessage;
    this.#timeoutMs = options.timeoutMs !== undefined && options.timeoutMs >= 0 ? options.timeoutMs : CONCAT_TIMEOUT_MS;
    this.#maxMessages = Math.max(1, Math.floor(options.maxMessages ?? CONCAT_MAX_MESSAGES));
    this.#maxParts = Math.min(255, Math.max(1, Math.floor(options.maxParts ?? CONCAT_MAX_PARTS)));
  }

  /** Partial messages currently held. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /**
   * Take one received part from `sender` (`storageIndex`: its modem storage index, -1 when none).
   * Emits through onMessage, synchronously, when this completes a message (or the part is not
   * concatenated). Returns what happened to the part: "emitted" (a message went out), "pending"
   * (held), "duplicate" (ignored: this part, or its whole message, was already taken within
   * timeoutMs) or "dropped" (too many parts or an impossible part number).
   */
  add(part: ConcatPart, sender: string, storageIndex = -1): ConcatAddOutcome {
    const concat = part.concat;
    const senderTon = part.senderTon ?? -1;
    if (!concat || concat.total <= 1) {
      this.#emit({
        sender,
        senderTon,
        text: part.text,
        sentUtcMs: part.sentUtcMs,
        complete: part.truncated !== true,
        missing: [],
        total: 1,
        storageIndices: storageIndex >= 0 ? [storageIndex] : [],
      });
      return "emitted";
    }
    const { total, sequence } = concat;
    if (total > this.#maxParts || sequence < 1 || sequence > total) {
      this.stats.dropped++;
      this.#log.log("warn", TAG, `dropped part ${sequence}/${total} (more than ${this.#maxParts} parts or bad number)`);
      return "dropped";
    }
    const key = `${sender}\u0000${senderTon}:${concat.referenceBits}:${concat.reference}:${total}`;
    const nowMs = this.#clock.monotonicMs();
    let pending = this.#pending.find((p) => p.key === key);
    if (!pending) {
      if (this.#recentlyCompleted(key, nowMs)) {
        this.stats.duplicates++;
        return "duplicate";
      }
      if (this.#pending.length >= this.#maxMessages) {
        this.stats.evicted++;
        this.#finish(this.#pending[0]!, "evicted");
      }
      pending = {
        key,
        sender,
        senderTon,
        total,
        firstMs: nowMs,
        texts: new Array<string | undefined>(total).fill(undefined),
        sentUtcMs: new Array<number | undefined>(total).fill(undefined),
        received: 0,
        truncated: false,
        storageIndices: [],
        timer: undefined,
      };
      const entry = pending;
      pending.timer = this.#clock.setTimer(() => {
        entry.timer = undefined;
        if (this.#pending.includes(entry)) this.#finish(entry, "timeout");
      }, this.#timeoutMs);
      this.#pending.push(pending);
    }
    if (pending.texts[sequence - 1] !== undefined) {
      this.stats.duplicates++;
      return "duplicate";
    }
    pending.texts[sequence - 1] = part.text;
    pending.sentUtcMs[sequence - 1] = part.sentUtcMs;
    pending.received++;
    if (part.truncated === true) pending.truncated = true;
    if (storageIndex >= 0) pending.storageIndices.push(storageIndex);
    if (pending.received < total) return "pending";
    this.#finish(pending, "complete");
    return "emitted";
  }

  /** Drop every pending message without emitting it, and cancel its timer (e.g. on shutdown). */
  clear(): void {
    for (const p of this.#pending) this.#clock.clearTimer(p.timer);
    this.#pending = [];
  }

  #recentlyCompleted(key: string, nowMs: number): boolean {
    this.#recent = this.#recent.filter((r) => nowMs - r.atMs < this.#timeoutMs);
    return this.#recent.some((r) => r.key === key);
  }

  #finish(p: Pending, why: "complete" | "timeout" | "evicted"): void {
    this.#pending = this.#pending.filter((x) => x !== p);
    this.#clock.clearTimer(p.timer);
    p.timer = undefined;
    this.#recent.push({ key: p.key, atMs: this.#clock.monotonicMs() });
    if (this.#recent.length > this.#maxMessages * 4) this.#recent.shift();
    let text = "";
    let sentUtcMs = NaN;
    const missing: number[] = [];
    for (let i = 0; i < p.total; i++) {
      const t = p.texts[i];
      if (t === undefined) {
        missing.push(i + 1);
        continue;
      }
      text += t;
      if (Number.isNaN(sentUtcMs)) sentUtcMs = p.sentUtcMs[i] ?? NaN;
    }
    const complete = missing.length === 0 && !p.truncated;
    if (why !== "complete") {
      this.#log.log("warn", TAG, `concatenated message ${why}: ${p.received}/${p.total} parts, missing ${missing.join(",")}`);
    }
    this.#emit({ sender: p.sender, senderTon: p.senderTon, text, sentUtcMs, complete, missing, total: p.total, storageIndices: p.storageIndices });
  }

  #emit(sms: ReassembledSms): void {
    if (sms.complete) this.stats.emittedComplete++;
    else this.stats.emittedIncomplete++;
    try {
      this.#onMessage(sms);
    } catch (e) {
      this.#log.log("error", TAG, "onMessage failed: " + String(e));
    }
  }
}

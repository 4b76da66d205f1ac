/**
 * Virtual SMS network (a store-and-forward SMSC) for the simulator. Subscribers — virtual phones
 * and virtual modems — register under a number; `submit()` delivers to the destination after a
 * delay. Every message is kept in `log` so tests can assert what left the device, when, and to whom.
 *
 * Delivery outcomes: a subscriber that is absent (modem off, not registered) or whose storage is
 * full keeps the message "waiting"; the network retries it when the subscriber calls
 * `subscriberReady()` (the modem does so when it registers and after AT+CMGD frees a slot — the
 * SMMA of 23.040). There is no periodic retry, so an idle simulation runs out of events. A message
 * to a number nobody registered is "undeliverable" at once.
 */
import type { EventHandle, VirtualClock } from "../clock.ts";
import { encodeBinarySms, encodeFlashSms, encodeStatusReport, encodeWapPushMms, toHex } from "./pdu.ts";

/** What a subscriber answers when the network hands it a message. */
export type DeliveryOutcome = "delivered" | "absent" | "memory-full";

/** Anything that can receive SMS: a virtual phone or a virtual modem. */
export interface SmsSubscriber {
  /** Take `sms` now; must not throw. */
  deliver(sms: SmsRecord): DeliveryOutcome;
}

/** Life of a message in the network ("lost": dropped by a network fault, see NetworkTrouble). */
export type SmsStatus = "in-flight" | "delivered" | "waiting" | "undeliverable" | "lost";

/**
 * Network trouble injected by a scenario's faults (host-sim/faults/network-faults.ts). Each applies
 * to messages whose destination matches `to` (a number; undefined: any). All start off.
 */
export interface NetworkTrouble {
  /** Added to every message's delivery delay, ms. */
  extraDelayMs: number;
  /** The next n matching messages are lost (status "lost": never delivered). */
  lose: { count: number; to: string | undefined };
  /** The next n matching messages are delivered twice (the copy `duplicateDelayMs` later). */
  duplicate: { count: number; to: string | undefined };
}

/** How long after the original a duplicated message arrives, ms. */
export const DUPLICATE_DELAY_MS = 4000;

/** One submitted message, as the network logs it. */
export interface SmsRecord {
  /** Sequence number in the log, from 1. */
  readonly id: number;
  /** Sender as given (any string: spoofed numbers and alphanumeric senders are allowed). */
  readonly from: string;
  /** Destination as given. */
  readonly to: string;
  readonly text: string;
  /** Virtual time the SMSC accepted it (the SCTS the receiver sees), ms. */
  readonly submittedAtMs: number;
  /** Virtual time of the successful delivery, ms; undefined until delivered. */
  deliveredAtMs: number | undefined;
  status: SmsStatus;
  /** Delivery attempts so far. */
  attempts: number;
  /** Why the last attempt did not deliver ("absent", "memory-full", "no such subscriber"). */
  lastFailure: string | undefined;
  /** How the receiving modem should encode it (concatenation, order, flash...). */
  readonly delivery?: DeliveryOptions;
  /** A raw SMS-DELIVER / STATUS-REPORT TPDU (hex) delivered as is instead of `text` (special messages). */
  readonly tpdu?: string;
  /** What a special message is ("status-report", "wap-push", "flash", "binary"); undefined for text. */
  readonly kind?: SpecialKind;
  /** Parts the sender submitted (a concatenated message reassembled by the network), in seq order. */
  readonly parts?: readonly SmsPartRecord[];
  /** Set by the virtual modem when it handed the message over but lost the +CMGS result ("sent but not confirmed"). */
  unconfirmed?: boolean;
  /** A copy made by the network (NetworkTrouble.duplicate): the id of the original. */
  readonly duplicateOf?: number;
}

/** How an incoming message is encoded by the receiving modem. */
export interface DeliveryOptions {
  /** Concatenation reference size for long texts. Default 8. */
  refBits?: 8 | 16;
  /** Order the parts reach the modem. Default "in-order". */
  partOrder?: "in-order" | "reverse";
  /** Send as UCS-2 even when GSM-7 would do. */
  forceUcs2?: boolean;
  /**
   * The sender's type-of-address octet as the network presents it (default: the usual one for the
   * `from` string): e.g. 0xD0 for a name made of digits (an alphanumeric sender, TON 5).
   */
  senderToa?: number;
}

export type SpecialKind = "status-report" | "wap-push" | "flash" | "binary";

/** One part of a concatenated message as a sender submitted it. */
export interface SmsPartRecord {
  readonly from: string;
  readonly to: string;
  readonly ref: number;
  readonly refBits: 8 | 16;
  readonly total: number;
  readonly seq: number;
  readonly text: string;
  readonly dcs: number;
  readonly submittedAtMs: number;
  /** Id of the whole message once all parts arrived. */
  messageId: number | undefined;
}

export interface SmsNetworkOptions {
  /** Submit → first delivery attempt, ms. Default 2000. */
  deliveryDelayMs?: number;
  /** `subscriberReady()` → retry of its waiting messages, ms. Default 1000. */
  retryDelayMs?: number;
  /** UTC (ms since 1970) at virtual time 0: the network time behind SCTS and NITZ. Default 2026-11-24T22:15:00Z. */
  startUtcMs?: number;
  /** Network time zone in quarter hours (the ±zz of SCTS). Default 0. */
  timeZoneQuarterHours?: number;
  /** The SMSC address shown in AT+CSCA? and the CSDH=1 headers. Default "+14085550000". */
  smscNumber?: string;
}

/** Default network UTC at virtual time 0: 2026-11-24 22:15:00 UTC. */
export const DEFAULT_NETWORK_START_UTC_MS = Date.UTC(2026, 10, 24, 22, 15, 0);

/** Digits of a number, for loose matching ("+1 408-555" and "1408555" meet). */
function digitsOf(number: string): string {
  return number.replace(/[^0-9]/g, "");
}

export class SmsNetwork {
  /** Every message ever submitted, in order. */
  readonly log: SmsRecord[] = [];
  readonly deliveryDelayMs: number;
  readonly retryDelayMs: number;
  readonly startUtcMs: number;
  readonly timeZoneQuarterHours: number;
  readonly smscNumber: string;
  /** Every concatenated part ever submitted, in order (complete or not). */
  readonly partLog: SmsPartRecord[] = [];
  private readonly subscribers = new Map<string, SmsSubscriber>();
  private readonly retryTimers = new Map<string, EventHandle>();
  /** Faults in force (see NetworkTrouble); scenarios change its fields. */
  readonly trouble: NetworkTrouble = { extraDelayMs: 0, lose: { count: 0, to: undefined }, duplicate: { count: 0, to: undefined } };

  constructor(
    private readonly clock: VirtualClock,
    options: SmsNetworkOptions = {},
  ) {
    this.deliveryDelayMs = options.deliveryDelayMs ?? 2000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.startUtcMs = options.startUtcMs ?? DEFAULT_NETWORK_START_UTC_MS;
    this.timeZoneQuarterHours = options.timeZoneQuarterHours ?? 0;
    this.smscNumber = options.smscNumber ?? "+14085550000";
  }

  /** Current virtual time, ms. */
  get nowMs(): number {
    return this.clock.nowMs;
  }

  /** Network UTC (ms since 1970) at virtual time `clockMs` (default now). */
  utcMs(clockMs: number = this.clock.nowMs): number {
    return this.startUtcMs + clockMs;
  }

  /** Register `subscriber` under `number` (replaces an earlier one). */
  register(number: string, subscriber: SmsSubscriber): void {
    this.subscribers.set(number, subscriber);
  }

  unregister(number: string): void {
    this.subscribers.delete(number);
  }

  /**
   * Accept a message from `from` (any string) to `to`; delivery is attempted after deliveryDelayMs.
   * Returns the log record (its status changes as delivery proceeds).
   */
  submit(from: string, to: string, text: string, extra: { delivery?: DeliveryOptions; tpdu?: string; kind?: SpecialKind; parts?: SmsPartRecord[] } = {}): SmsRecord {
    const record: SmsRecord = {
      ...extra,
      id: this.log.length + 1,
      from,
      to,
      text,
      submittedAtMs: this.clock.nowMs,
      deliveredAtMs: undefined,
      status: "in-flight",
      attempts: 0,
      lastFailure: undefined,
    };
    this.log.push(record);
    if (this.takeTrouble(this.trouble.lose, to)) {
      record.status = "lost";
      record.lastFailure = "lost in the network (fault)";
      return record;
    }
    const delayMs = this.deliveryDelayMs + this.trouble.extraDelayMs;
    this.clock.after(delayMs, () => this.attempt(record));
    if (this.takeTrouble(this.trouble.duplicate, to)) {
      const copy: SmsRecord = { ...record, id: this.log.length + 1, duplicateOf: record.id };
      this.log.push(copy);
      this.clock.after(delayMs + DUPLICATE_DELAY_MS, () => this.attempt(copy));
    }
    return record;
  }

  /** True (and one use consumed) when `fault` applies to a message to `to`. */
  private takeTrouble(fault: { count: number; to: string | undefined }, to: string): boolean {
    if (fault.count <= 0 || (fault.to !== undefined && digitsOf(fault.to) !== digitsOf(to))) return false;
    fault.count--;
    return true;
  }

  /**
   * Accept one part of a concatenated message. When the last missing part of (from, to, ref) arrives
   * the whole text is submitted (and returned); parts are recorded in `partLog` either way.
   * A repeated part (same seq) replaces the earlier one.
   */
  submitPart(from: string, to: string, part: { ref: number; refBits: 8 | 16; total: number; seq: number; text: string; dcs: number }): SmsRecord | undefined {
    const record: SmsPartRecord = { from, to, ...part, submittedAtMs: this.clock.nowMs, messageId: undefined };
    this.partLog.push(record);
    const pending = this.partLog.filter((p) => p.messageId === undefined && p.from === from && p.to === to && p.ref === part.ref && p.total === part.total);
    const bySeq = new Map<number, SmsPartRecord>();
    for (const p of pending) bySeq.set(p.seq, p);
    for (let seq = 1; seq <= part.total; seq++) if (!bySeq.has(seq)) return undefined;
    const ordered = [...bySeq.keys()].sort((a, b) => a - b).map((k) => bySeq.get(k)!);
    const whole = this.submit(from, to, ordered.map((p) => p.text).join(""), { parts: ordered });
    for (const p of pending) p.messageId = whole.id;
    return whole;
  }

  /** Parts that wait for missing siblings. */
  incompleteParts(): SmsPartRecord[] {
    return this.partLog.filter((p) => p.messageId === undefined);
  }

  /**
   * Submit a message the firmware must ignore safely: a status report (for message reference
   * `mr`), a WAP push (MMS notification), a class-0 flash SMS, or binary 8-bit data.
   */
  submitSpecial(from: string, to: string, kind: SpecialKind, params: { text?: string; mr?: number; data?: ArrayLike<number>; port?: number } = {}): SmsRecord {
    const base = { from, sctsUtcMs: this.utcMs(), zoneQuarterHours: this.timeZoneQuarterHours };
    let tpdu: Uint8Array;
    switch (kind) {
      case "status-report":
        tpdu = encodeStatusReport({ mr: params.mr ?? 0, recipient: from, sctsUtcMs: this.utcMs() - 5000, dischargeUtcMs: this.utcMs(), zoneQuarterHours: this.timeZoneQuarterHours });
        break;
      case "wap-push":
        tpdu = encodeWapPushMms(base);
        break;
      case "flash":
        tpdu = encodeFlashSms(params.text ?? "Flash!", base);
        break;
      case "binary":
        tpdu = encodeBinarySms(params.data ?? [0xde, 0xad, 0xbe, 0xef, 0x00, 0x1a, 0x0d, 0x0a], { ...base, port: params.port });
        break;
    }
    return this.submit(from, to, params.text ?? "", { tpdu: toHex(tpdu), kind });
  }

  /**
   * The subscriber at `number` can take messages again (registered, or storage freed): its waiting
   * messages are retried, oldest first, after retryDelayMs.
   */
  subscriberReady(number: string): void {
    const key = this.resolve(number) ?? number;
    if (this.retryTimers.has(key)) return;
    if (!this.log.some((r) => r.status === "waiting" && this.resolve(r.to) === key)) return;
    const handle = this.clock.after(this.retryDelayMs, () => {
      this.retryTimers.delete(key);
      for (const record of this.log) {
        if (record.status !== "waiting" || this.resolve(record.to) !== key) continue;
        this.attempt(record);
        // Stop at the first refusal: the rest would be refused too, and order is kept.
        if (record.status === "waiting") break;
      }
    });
    this.retryTimers.set(key, handle);
  }

  /** Messages sent to `number` (exact string), in order. */
  messagesTo(number: string): SmsRecord[] {
    return this.log.filter((r) => r.to === number);
  }

  /** Messages sent from `number` (exact string), in order. */
  messagesFrom(number: string): SmsRecord[] {
    return this.log.filter((r) => r.from === number);
  }

  /** Registered key for `to`: exact match first, then same digits. */
  private resolve(to: string): string | undefined {
    if (this.subscribers.has(to)) return to;
    const digits = digitsOf(to);
    if (digits.length === 0) return undefined;
    for (const key of this.subscribers.keys()) if (digitsOf(key) === digits) return key;
    return undefined;
  }

  private attempt(record: SmsRecord): void {
    if (record.status === "delivered" || record.status === "undeliverable" || record.status === "lost") return;
    record.attempts++;
    const key = this.resolve(record.to);
    const subscriber = key === undefined ? undefined : this.subscribers.get(key);
    if (!subscriber) {
      record.status = "undeliverable";
      record.lastFailure = "no such subscriber";
      return;
    }
    const outcome = subscriber.deliver(record);
    if (outcome === "delivered") {
      record.status = "delivered";
      record.deliveredAtMs = this.clock.nowMs;
      record.lastFailure = undefined;
    } else {
      record.status = "waiting";
      record.lastFailure = outcome;
    }
  }
}

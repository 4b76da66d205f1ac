/**
 * Incoming SMS: +CMTI announces a stored message; the inbox reads it (AT+CMGR), hands it to the
 * handler, then deletes it (AT+CMGD), one message at a time. At start it sweeps the store (AT+CMGL)
 * for messages that arrived while nobody was listening (they get no +CMTI).
 *
 * Both 27.005 modes are read: text mode (GSM character set, CSDH=1 header) and PDU mode, where
 * SMS-DELIVERs are decoded here, concatenated parts are reassembled (each part is deleted from the
 * modem once it is held in RAM), and status reports, WAP push / MMS notifications, class-0 and
 * binary messages are deleted without being handled.
 *
 * Backpressure: a message is read only when its reply can be queued (roomForReplies); otherwise it
 * waits unread on the SIM until roomFreed() (docs/design-notes.md).
 */
import type { Clock, Logger } from "../platform/ports";
import type { AtChat, AtResponse } from "../modem/at-chat";
import { parseCmgrTextHeader, parseCmti, splitFields, textBodyLengths } from "../modem/at-fields";
import { parseCpmsRead } from "../modem/at-capabilities";
import { decodeGsm7 } from "../codec/gsm7";
import { decodePdu } from "./pdu/pdu-decode";
import { ConcatReassembler, type ReassembledSms } from "./pdu/concat-reassembler";
import type { ReceivedSms, SmsMode } from "./sms";
import { maskNumber } from "../auth/phone-number";

/** Default AT+CMGR / AT+CMGD / AT+CMGL time limits (ms); modem profiles may set their own. SIM800 documents 20 s for CMGL. */
const DEFAULT_TIMEOUTS = Object.freeze({ readMs: 5_000, deleteMs: 5_000, listMs: 20_000 });
/** Reads the modem refused (ERROR, +CMS ERROR) before an index is deleted unread. Timeouts do not count: a hung modem is the lifecycle's to recover, and the message stays for the sweep after it. */
const MAX_READ_ATTEMPTS = 3;
/** Pause before retrying a failed read (ms). */
const RETRY_DELAY_MS = 2_000;
/** Indexes remembered at most (a SIM holds 10-50 messages). */
const MAX_PENDING = 64;
/** Recently handled messages remembered, so one read again (delete lost in a modem reboot) is not answered twice. */
const RECENT_HANDLED = 16;
/**
 * After a falling edge on the modem's RING line: how long the +CMTI it announces may take to arrive
 * before the store is listed instead (ms). The modem writes the indication as it pulls RI low; at
 * 115200 baud it takes about 2 ms, longer while a command's answer is being written.
 */
export const RING_URC_WAIT_MS = 1_000;

/**
 * Handles one message; call `done` once the reply (if any) is queued, so the message may be
 * deleted, or `done(true)` when the reply could not be queued: the message then stays on the SIM
 * and is read again once roomFreed() is called.
 */
export type SmsHandler = (sms: ReceivedSms, done: (keepOnSim?: boolean) => void) => void;

/** What a read slot turned out to hold (`reread`: the answer was garbled on the line; read it again). */
type ReadOutcome = { sms: ReceivedSms } | { held: true } | { ignore: string } | { reread: string };

export class SmsInbox {
  private pending: number[] = [];
  private attempts = new Map<number, number>();
  private working = false;
  /** True while reading waits for room for replies (logged once per wait). */
  private waitingForRoom = false;
  /** True after the handler could not queue a reply: nothing is read until roomFreed(). */
  private heldForRoom = false;
  private retryTimer: object | undefined;
  private ringTimer: object | undefined;
  /** +CMTI indications taken so far (ring() compares). */
  private indications = 0;
  /** Identities (sender, service-centre time, completeness, text) of the last RECENT_HANDLED dated messages handled. Survives clear(). */
  private recent: string[] = [];
  private mode: SmsMode = "text";
  private timeouts: { readMs: number; deleteMs: number; listMs: number } = { ...DEFAULT_TIMEOUTS };
  private readonly reassembler: ConcatReassembler;
  /** True while a read part is being added; the message the reassembler completes then lands in completedNow. */
  private addingPart = false;
  private completedNow: ReassembledSms | undefined;
  /**
   * Whether a reply could ever go to this sender (app policy: registered numbers only). Parts of a
   * concatenated message from a sender it refuses are deleted without being reassembled: they
   * cannot push a registered sender's half-received message out of the reassembler.
   */
  acceptsSender: (sender: string, senderTon: number) => boolean = () => true;
  /**
   * How many replies can be queued now (the outbox's room). A message is read only when this
   * exceeds the partial messages held for reassembly (each may still need a reply when it
   * completes or times out): while replies cannot go out, messages wait unread on the SIM, and the
   * network holds back what does not fit there. Call roomFreed() when it grows.
   */
  roomForReplies: () => number = () => Infinity;
  /** Message store use at the last sweep ("SM": used and total slots), when the modem reported it. */
  storeUse: { used: number; total: number } | undefined;
  /** Counters for diagnostics. */
  readonly stats = { received: 0, readFailures: 0, deleted: 0, deleteFailures: 0, duplicates: 0, ignored: 0 };
  /** RING edges taken (ring()) and the store listings they started (no +CMTI followed). */
  readonly ringStats = { rings: 0, ringSweeps: 0 };

  constructor(
    private readonly chat: AtChat,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly handler: SmsHandler,
  ) {
    this.reassembler = new ConcatReassembler(clock, log, { onMessage: (sms) => this.onReassembled(sms) });
  }

  /** Command time limits for the modem in use (ms). */
  setTimeouts(timeouts: { readMs: number; deleteMs: number; listMs: number }): void {
    this.timeouts = { ...timeouts };
  }

  /** Read messages in this mode from now on (it must match the modem's AT+CMGF). */
  setMode(mode: SmsMode): void {
    this.mode = mode;
  }

  /** Feed every URC line here; returns true when it was an SMS indication this inbox took. */
  handleUrc(line: string): boolean {
    if (!line.startsWith("+CMTI:")) return false;
    const cmti = parseCmti(line);
    if (!cmti) {
      this.log.log("warn", "sms", `unreadable +CMTI indication`);
      return true;
    }
    this.indications++;
    this.enqueue(cmti.index);
    return true;
  }

  /**
   * The modem's RING line fell (an SMS arrived, or a call): when no +CMTI follows within
   * RING_URC_WAIT_MS (the indication was lost on the line, or the modem stored the message without
   * one), the store is swept now instead of at the next periodic sweep. Rings while one waits are
   * folded into it. Call only while the modem is ready.
   */
  ring(): void {
    this.ringStats.rings++;
    if (this.ringTimer !== undefined) return;
    const before = this.indications;
    this.ringTimer = this.clock.setTimer(() => {
      this.ringTimer = undefined;
      if (this.indications !== before) return;
      this.ringStats.ringSweeps++;
      this.log.log("info", "sms", "RING without an SMS indication: listing the message store now");
      this.sweep();
    }, RING_URC_WAIT_MS);
  }

  /**
   * Check the store's use (AT+CPMS?; a full store is reported, since the network then holds new
   * messages back), then list it and process every message in it. Call when the modem is ready
   * and periodically.
   */
  sweep(): void {
    this.chat.send({ command: "AT+CPMS?", timeoutMs: this.timeouts.readMs }, (response) => {
      const line = response.lines.find((l) => l.startsWith("+CPMS:"));
      const store = line ? parseCpmsRead(line)?.[0] : undefined;
      this.storeUse = store ? { used: store.used, total: store.total } : undefined;
      const { used = 0, total = 0 } = this.storeUse ?? {};
      if (total > 0 && used >= total) {
        this.log.log("warn", "sms", `SIM message store full (${used}/${total}): new messages are held back until it is emptied`);
      }
    });
    const command = this.mode === "pdu" ? "AT+CMGL=4" : 'AT+CMGL="ALL"';
    this.chat.send({ command, timeoutMs: this.timeouts.listMs, dataAfterPrefix: "+CMGL:", ...this.bodyLengths() }, (response) => {
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

  /** There may be room for replies again: reading resumes if it waited for it. */
  roomFreed(): void {
    this.heldForRoom = false;
    this.next();
  }

  /** Forget queued work (after a modem reboot the indexes are re-learnt by a sweep). */
  clear(): void {
    this.pending = [];
    this.attempts.clear();
    this.clock.clearTimer(this.retryTimer);
    this.retryTimer = undefined;
    this.clock.clearTimer(this.ringTimer);
    this.ringTimer = undefined;
    this.working = false;
    this.heldForRoom = false;
    this.waitingForRoom = false;
  }

  /**
   * Text mode: a body is read by the length its header gives (CSDH=1), as one block, so its lines
   * never count as modem output ("OK", "RDY", "+CMTI: ..." typed by a sender). PDU mode: the PDU is
   * one hex line.
   */
  private bodyLengths(): { dataLengths?: (line: string) => readonly number[] | undefined } {
    return this.mode === "text" ? { dataLengths: textBodyLengths } : {};
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
    if (this.heldForRoom || this.roomForReplies() <= this.reassembler.pendingCount) {
      if (!this.waitingForRoom) this.log.log("warn", "sms", `replies cannot be queued now; ${this.pending.length} message(s) wait on the SIM`);
      this.waitingForRoom = true;
      return;
    }
    if (this.waitingForRoom) this.log.log("info", "sms", "room for replies again; reading the waiting messages");
    this.waitingForRoom = false;
    this.working = true;
    this.chat.send({ command: `AT+CMGR=${index}`, timeoutMs: this.timeouts.readMs, dataAfterPrefix: "+CMGR:", ...this.bodyLengths() }, (response) =>
      this.onRead(index, response),
    );
  }

  private onRead(index: number, response: AtResponse): void {
    if (response.outcome === "aborted") {
      this.working = false;
      return;
    }
    if (response.outcome !== "ok") {
      this.readFailed(index, `${response.outcome} ${response.error}`, response.outcome === "timeout");
      return;
    }
    const outcome = this.mode === "pdu" ? this.readPdu(index, response.lines) : SmsInbox.readText(index, response.lines);
    if ("reread" in outcome) {
      // Noise on the UART can garble a PDU the SIM holds intact: read it again (it counts as an attempt).
      this.readFailed(index, outcome.reread);
      return;
    }
    if ("ignore" in outcome) {
      this.stats.ignored++;
      this.log.log("info", "sms", `slot ${index}: ${outcome.ignore}; deleted without handling`);
      this.remove(index);
    } else if ("held" in outcome) {
      // A part of a longer message, now held in RAM until the rest arrives.
      this.remove(index);
    } else {
      this.deliver(outcome.sms, (keepOnSim) => (keepOnSim ? this.keep(index) : this.remove(index)));
    }
  }

  /** The handler could not queue the reply: the message stays on the SIM, first in line once there is room. */
  private keep(index: number): void {
    this.working = false;
    this.heldForRoom = true;
    this.waitingForRoom = true;
    this.log.log("warn", "sms", `message ${index} stays on the SIM until its reply can be queued`);
  }

  /** A read went wrong: retry after RETRY_DELAY_MS; after MAX_READ_ATTEMPTS counted failures, delete the slot. */
  private readFailed(index: number, why: string, uncounted = false): void {
    const attempts = (this.attempts.get(index) ?? 0) + (uncounted ? 0 : 1);
    this.attempts.set(index, attempts);
    this.stats.readFailures++;
    this.log.log("warn", "sms", `reading message ${index} failed (${why}), attempt ${attempts}`);
    this.working = false;
    if (attempts >= MAX_READ_ATTEMPTS) {
      this.log.log("error", "sms", `message ${index} unreadable after ${attempts} attempts; deleting it`);
      this.remove(index);
      return;
    }
    this.retryTimer = this.clock.setTimer(() => {
      this.retryTimer = undefined;
      this.next();
    }, RETRY_DELAY_MS);
  }

  /**
   * Hand a whole message to the handler once (a re-read copy is only deleted); then `after`. A
   * re-read copy has the same sender (and type), the same valid service-centre time stamp, text and
   * completeness; without a valid time stamp nothing tells a copy from a new message that says the
   * same ("WHERE" ten minutes later), so such a message is always handled.
   */
  private deliver(sms: ReceivedSms, after: (keepOnSim: boolean) => void): void {
    const identity = `${sms.senderTon}:${sms.sender}\n${sms.sentUtcMs}\n${sms.complete}\n${sms.text}`;
    const dated = Number.isFinite(sms.sentUtcMs);
    if (dated && this.recent.includes(identity)) {
      // Handled before, but its delete was lost (e.g. the modem rebooted): delete it, never answer twice.
      this.stats.duplicates++;
      this.log.log("info", "sms", `message ${sms.index} was already handled; deleting it without a second reply`);
      after(false);
      return;
    }
    this.stats.received++;
    let handled = false;
    this.handler(sms, (keepOnSim = false) => {
      if (handled) return;
      handled = true;
      if (dated && !keepOnSim) {
        this.recent.push(identity);
        if (this.recent.length > RECENT_HANDLED) this.recent.shift();
      }
      after(keepOnSim);
    });
  }

  private readPdu(index: number, lines: readonly string[]): ReadOutcome {
    const headerAt = lines.findIndex((l) => l.startsWith("+CMGR:"));
    const hex = headerAt >= 0 ? lines[headerAt + 1] : undefined;
    if (hex === undefined) return { ignore: "empty slot" };
    const pdu = decodePdu(hex);
    switch (pdu.kind) {
      case "error":
        return { reread: `undecodable PDU: ${pdu.error}` };
      case "unsupported":
        return { ignore: `unsupported PDU (${pdu.error})` };
      case "status-report":
        return { ignore: "status report" };
      case "submit":
        return { ignore: "stored outgoing message" };
    }
    if (pdu.warnings.length > 0) this.log.log("warn", "sms", `slot ${index}: ${pdu.warnings.join("; ")}`);
    if (pdu.port) return { ignore: `${pdu.port.application} message to port ${pdu.port.destination}` };
    if (pdu.binary) return { ignore: "binary message" };
    if (pdu.messageClass === 0) return { ignore: "class-0 (flash) message" };
    if (pdu.concat && pdu.concat.total > 1 && !this.acceptsSender(pdu.sender, pdu.senderTon)) {
      return { ignore: `part ${pdu.concat.sequence}/${pdu.concat.total} of a message from ${maskNumber(pdu.sender)}, who is not registered` };
    }
    this.completedNow = undefined;
    this.addingPart = true;
    const added = this.reassembler.add(pdu, pdu.sender, index);
    this.addingPart = false;
    const whole = this.completedNow as ReassembledSms | undefined;
    this.completedNow = undefined;
    if (added === "emitted" && whole) return { sms: SmsInbox.fromReassembled(index, whole) };
    if (whole) this.deliverLate(whole); // an older partial message evicted to make room
    if (added === "pending") return { held: true };
    return { ignore: added === "duplicate" ? "duplicate part" : "part refused by the reassembler" };
  }

  /** A message the reassembler finished: at once (during readPdu) or later, when a part timed out. */
  private onReassembled(sms: ReassembledSms): void {
    if (this.addingPart) {
      // Emitted synchronously from add(): readPdu takes it (an evicted older message may come first).
      if (this.completedNow) this.deliverLate(this.completedNow);
      this.completedNow = sms;
      return;
    }
    this.deliverLate(sms);
  }

  /** A message completed outside a read (a part timed out or was evicted): its parts are already deleted. */
  private deliverLate(sms: ReassembledSms): void {
    if (!sms.complete) this.log.log("warn", "sms", `message with ${sms.missing.length} missing part(s) given up; answering it as incomplete`);
    this.deliver(SmsInbox.fromReassembled(-1, sms), () => {}); // its parts are gone from the SIM: nothing to keep
  }

  private remove(index: number): void {
    this.working = true;
    this.chat.send({ command: `AT+CMGD=${index}`, timeoutMs: this.timeouts.deleteMs }, (response) => {
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

  private static fromReassembled(index: number, sms: ReassembledSms): ReceivedSms {
    return { index, sender: sms.sender, senderTon: sms.senderTon, text: sms.text, sentUtcMs: sms.sentUtcMs, complete: sms.complete };
  }

  /** Text mode: a ReceivedSms from the +CMGR response lines (header, then body lines). */
  private static readText(index: number, lines: readonly string[]): ReadOutcome {
    const sms = SmsInbox.decode(index, lines);
    return sms ? { sms } : { ignore: "no readable SMS-DELIVER" };
  }

  /** Build a ReceivedSms from text-mode +CMGR response lines (header, then body lines), or undefined. */
  static decode(index: number, lines: readonly string[]): ReceivedSms | undefined {
    const headerAt = lines.findIndex((l) => l.startsWith("+CMGR:"));
    const header = headerAt >= 0 ? parseCmgrTextHeader(lines[headerAt]!) : undefined;
    if (!header || !header.sender) return undefined;
    // (the body is one block: read by its length, line breaks included)
    const body = lines.slice(headerAt + 1).map(decodeGsm7).join("\n");
    const senderTon = header.tooa !== undefined ? (header.tooa >> 4) & 7 : -1;
    return { index, sender: header.sender, senderTon, text: body, sentUtcMs: header.sctsUtcMs, complete: true };
  }
}

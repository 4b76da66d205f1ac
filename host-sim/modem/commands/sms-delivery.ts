/**
 * Incoming SMS, the network side of the modem: a message from the SmsNetwork (or a raw TPDU from a
 * test) is encoded as SMS-DELIVER parts, stored in the receive storage (CPMS mem3) and announced
 * with +CMTI (+CDSI for a status report with CNMI <ds>=2), or routed straight to the TE as +CMT
 * with CNMI <mt>=2. Parts that do not fit wait for AT+CMGD to free slots. Counts what it stores.
 */
import type { SmsNetwork, DeliveryOutcome, SmsRecord } from "../sms-network.ts";
import { type DeliverPart, decodeMobileTerminated, encodeDeliverParts, encodeSmsc, fromHex, toHex } from "../pdu.ts";
import { textEntry } from "../sms-format.ts";
import type { SmsStatus, StoredSms } from "../sms-storage.ts";
import type { ModemContext } from "./context.ts";
import { formatContext } from "./sms-settings.ts";

export type SmsDeliveryContext = Pick<ModemContext, "settings" | "storage" | "network" | "clock" | "urc">;

export class SmsDelivery {
  /** Entries stored by deliveries (a concatenated message counts one per part). */
  received = 0;
  /** Deliveries refused (wholly or partly) because storage was full. */
  refusedFull = 0;
  private readonly pendingParts = new Map<number, DeliverPart[]>();

  constructor(
    private readonly m: SmsDeliveryContext,
    /** Concatenation reference of the next long message. */
    private concatRef: number,
  ) {}

  /** A message from the network; the modem is on, SMS-ready and registered. */
  deliver(sms: SmsRecord): DeliveryOutcome {
    const m = this.m;
    if (sms.tpdu !== undefined) {
      const index = this.deliverRaw(sms.tpdu, { networkId: sms.id });
      if (index === undefined) {
        this.refusedFull++;
        return "memory-full";
      }
      return "delivered";
    }
    let parts = this.pendingParts.get(sms.id);
    if (!parts) {
      parts = this.encodeIncoming(sms.from, sms.text, sms.submittedAtMs, sms.delivery);
      if (sms.delivery?.partOrder === "reverse") parts = [...parts].reverse();
    }
    const memory = m.settings.cpms[2];
    while (parts.length > 0) {
      const part = parts[0]!;
      if (m.settings.cnmi[1] === 2) {
        this.directCmt(toHex(part.tpdu), sms.from, part.text, sms.submittedAtMs);
      } else {
        const index = this.storePart(memory, part, sms.from, sms.submittedAtMs, sms.id, "REC UNREAD");
        if (index === undefined) break;
        this.received++;
        if (m.settings.cnmi[1] >= 1) m.urc(`+CMTI: "${memory}",${index}`);
      }
      parts = parts.slice(1);
    }
    if (parts.length > 0) {
      this.pendingParts.set(sms.id, parts);
      this.refusedFull++;
      return "memory-full";
    }
    this.pendingParts.delete(sms.id);
    return "delivered";
  }

  /** A raw TPDU (hex, no SMSC); the modem is on and SMS-ready. The index, 0 for +CMT, undefined when full. */
  deliverRaw(tpduHex: string, options: { networkId?: number }): number | undefined {
    const m = this.m;
    const bytes = fromHex(tpduHex);
    if (!bytes) throw new RangeError("deliverRaw: not hex");
    const decoded = decodeMobileTerminated(bytes);
    const memory = m.settings.cpms[2];
    const submittedAtMs = m.clock.nowMs;
    if (decoded?.type !== "status-report" && m.settings.cnmi[1] === 2) {
      this.directCmt(tpduHex.toUpperCase(), decoded?.type === "deliver" ? decoded.from : "", decoded?.type === "deliver" ? decoded.userData.text : "", submittedAtMs);
      return 0;
    }
    const index = m.storage.put(memory, {
      status: "REC UNREAD",
      from: decoded?.type === "deliver" ? decoded.from : decoded?.type === "status-report" ? decoded.recipient : "",
      text: decoded?.type === "deliver" && decoded.userData.alphabet !== "8bit" ? decoded.userData.text : "",
      submittedAtMs,
      dcs: decoded?.type === "deliver" ? decoded.dcs : 0,
      networkId: options.networkId ?? 0,
      tpdu: tpduHex.toUpperCase(),
      kind: decoded?.type === "status-report" ? "status-report" : "deliver",
    });
    if (index === undefined) return undefined;
    this.received++;
    if (decoded?.type === "status-report" && m.settings.cnmi[3] === 2) m.urc(`+CDSI: "${memory}",${index}`);
    else if (m.settings.cnmi[1] >= 1) m.urc(`+CMTI: "${memory}",${index}`);
    return index;
  }

  /** Store a message straight into `memory`, no URC; the first index, or undefined when it does not fit. */
  storeDirect(from: string, text: string, status: SmsStatus, memory: string): number | undefined {
    const now = this.m.clock.nowMs;
    const parts = this.encodeIncoming(from, text, now);
    if (this.m.storage.free(memory) < parts.length) return undefined;
    let first: number | undefined;
    for (const part of parts) {
      const index = this.storePart(memory, part, from, now, 0, status);
      first ??= index;
    }
    return first;
  }

  private encodeIncoming(from: string, text: string, submittedAtMs: number, delivery: SmsRecord["delivery"] = {}): DeliverPart[] {
    const network: SmsNetwork = this.m.network;
    const refBits = delivery.refBits ?? 8;
    const parts = encodeDeliverParts(text, {
      from,
      sctsUtcMs: network.utcMs(submittedAtMs),
      zoneQuarterHours: network.timeZoneQuarterHours,
      ref: this.concatRef & (refBits === 16 ? 0xffff : 0xff),
      refBits,
      forceUcs2: delivery.forceUcs2,
      ...(delivery.senderToa !== undefined ? { fromToa: delivery.senderToa } : {}),
    });
    if (parts.length > 1) this.concatRef = (this.concatRef + 1 + (refBits === 16 ? 0x100 : 0)) & 0xffff;
    return parts;
  }

  private storePart(memory: string, part: DeliverPart, from: string, submittedAtMs: number, networkId: number, status: SmsStatus): number | undefined {
    return this.m.storage.put(memory, {
      status,
      from,
      text: part.text,
      submittedAtMs,
      dcs: part.dcs,
      networkId,
      tpdu: toHex(part.tpdu),
      kind: "deliver",
      ...(part.concat ? { part: { ref: part.concat.ref, total: part.concat.total, seq: part.concat.seq } } : {}),
    });
  }

  /** CNMI mt=2: route straight to the TE, not stored. */
  private directCmt(tpduHex: string, from: string, text: string, submittedAtMs: number): void {
    const m = this.m;
    this.received++;
    if (m.settings.cmgf === 0) {
      m.urc(`+CMT: ,${tpduHex.length / 2}\r\n${toHex(encodeSmsc(m.network.smscNumber))}${tpduHex}`);
      return;
    }
    const entry: StoredSms = { index: 0, status: "REC UNREAD", from, text, submittedAtMs, dcs: 0, networkId: 0, memory: "", tpdu: tpduHex, kind: "deliver" };
    const shown = textEntry(entry, formatContext(m), false);
    const header = shown.header.replace(/^"REC UNREAD",/, "");
    m.urc(`+CMT: ${header}\r\n${shown.data ?? ""}`);
  }
}

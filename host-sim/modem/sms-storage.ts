/**
 * The modem's message storages ("SM" on the SIM, "ME" in the module, ...): fixed slot arrays with
 * 1-based indexes, each slot holding one TPDU and what the simulator knows about it. The SIM
 * storage survives reboots (it is on the SIM); so does "ME" (flash).
 */

/** 27.005 storage status. */
export type SmsStatus = "REC UNREAD" | "REC READ" | "STO UNSENT" | "STO SENT";
export const STATUS_NUMBER: Readonly<Record<SmsStatus, number>> = Object.freeze({ "REC UNREAD": 0, "REC READ": 1, "STO UNSENT": 2, "STO SENT": 3 });
export const STATUS_BY_NUMBER: readonly SmsStatus[] = Object.freeze(["REC UNREAD", "REC READ", "STO UNSENT", "STO SENT"]);

/** A message in storage. */
export interface StoredSms {
  index: number;
  status: SmsStatus;
  /** Sender (received) or destination (stored for sending); "" for a status report without one. */
  from: string;
  /** Text of this entry (one part of a concatenated message; "" for binary / status reports). */
  text: string;
  /** Network time the SMSC accepted it (virtual ms): the SCTS. */
  submittedAtMs: number;
  /** DCS octet: 0 GSM-7, 8 UCS-2, 4 8-bit, 0x10/0x18 class 0 ... */
  dcs: number;
  /** Id of the network log record (0 when put there by the test). */
  networkId: number;
  /** Storage name ("SM", "ME"). */
  memory: string;
  /** The TPDU as upper-case hex (no SMSC prefix). */
  tpdu: string;
  /** "deliver" (received), "status-report", "submit" (written with CMGW). */
  kind: "deliver" | "status-report" | "submit";
  /** Concatenation info of this part, when it is one. */
  part?: { ref: number; total: number; seq: number };
}

export class SmsStorage {
  private readonly memories = new Map<string, Array<StoredSms | undefined>>();

  constructor(sizes: Readonly<Record<string, number>>) {
    for (const [name, size] of Object.entries(sizes)) this.memories.set(name, new Array<StoredSms | undefined>(size).fill(undefined));
  }

  /** Storage names, in profile order. */
  names(): string[] {
    return [...this.memories.keys()];
  }

  has(memory: string): boolean {
    return this.memories.has(memory);
  }

  size(memory: string): number {
    return this.memories.get(memory)?.length ?? 0;
  }

  used(memory: string): number {
    return (this.memories.get(memory) ?? []).filter((s) => s !== undefined).length;
  }

  get(memory: string, index: number): StoredSms | undefined {
    return this.memories.get(memory)?.[index - 1];
  }

  /** Store into the lowest free slot; returns the index, or undefined when full. */
  put(memory: string, entry: Omit<StoredSms, "index" | "memory">): number | undefined {
    const slots = this.memories.get(memory);
    if (!slots) return undefined;
    const free = slots.findIndex((s) => s === undefined);
    if (free < 0) return undefined;
    slots[free] = { ...entry, index: free + 1, memory };
    return free + 1;
  }

  free(memory: string): number {
    return this.size(memory) - this.used(memory);
  }

  delete(memory: string, index: number): void {
    const slots = this.memories.get(memory);
    if (slots && index >= 1 && index <= slots.length) slots[index - 1] = undefined;
  }

  /** Occupied entries of `memory` by index. */
  list(memory: string): StoredSms[] {
    return (this.memories.get(memory) ?? []).filter((s): s is StoredSms => s !== undefined);
  }

  /** Every occupied entry, storage by storage. */
  all(): StoredSms[] {
    return this.names().flatMap((m) => this.list(m));
  }
}

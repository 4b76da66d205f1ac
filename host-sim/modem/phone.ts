/** A virtual handset on the SMS network: the user (or attacker) who texts the tracker. */
import type { DeliveryOutcome, SmsNetwork, SmsRecord, SmsSubscriber } from "./sms-network.ts";

/** A message in a phone's inbox. */
export interface PhoneMessage {
  from: string;
  text: string;
  /** Virtual time of delivery, ms. */
  atMs: number;
}

export class VirtualPhone implements SmsSubscriber {
  /** Everything received, in order. */
  readonly inbox: PhoneMessage[] = [];
  /** Called for every delivered message (after it is added to the inbox). */
  onMessage: ((message: PhoneMessage) => void) | undefined;
  private online = true;

  constructor(
    private readonly network: SmsNetwork,
    readonly number: string,
  ) {
    network.register(number, this);
  }

  /** Send `text` to `to` from this phone's number. Returns the network's log record. */
  send(to: string, text: string): SmsRecord {
    return this.network.submit(this.number, to, text);
  }

  /** Send with a forged sender (any string, e.g. an alphanumeric "BANK"): spoofing tests. */
  sendAs(from: string, to: string, text: string): SmsRecord {
    return this.network.submit(from, to, text);
  }

  /** Switch the phone off (messages wait in the network) or on (they are delivered). */
  setOnline(online: boolean): void {
    this.online = online;
    if (online) this.network.subscriberReady(this.number);
  }

  /** Text of the last received message, or undefined. */
  get lastText(): string | undefined {
    return this.inbox.at(-1)?.text;
  }

  /** @internal Network side. */
  deliver(sms: SmsRecord): DeliveryOutcome {
    if (!this.online) return "absent";
    const message: PhoneMessage = { from: sms.from, text: sms.text, atMs: this.network.nowMs };
    this.inbox.push(message);
    this.onMessage?.(message);
    return "delivered";
  }
}

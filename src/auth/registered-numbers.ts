/**
 * Who may talk to the tracker: the owner (settings ownerNumber) and up to 9 more numbers with a
 * name, a role and an alert subscription (settings users; auth/user-list.ts). A sender is registered
 * only when its whole number, normalised to E.164, equals a registered number — never by substring
 * or suffix — and the network presented it as a number: international, national or unknown type
 * (23.040 TON 1, 2, 0). An alphanumeric sender (TON 5) is a name anyone can choose ("4085550199"
 * included), and network-specific, subscriber, abbreviated or reserved types (3, 4, 6, 7) are no
 * number a reply could reach. An unclaimed device (no owner) has no registered numbers and answers
 * nobody.
 */
import type { Settings } from "../store/settings";
import { toE164 } from "./phone-number";
import { decodeMembers, type Member } from "./user-list";

export type { Member, Role } from "./user-list";

/** True for the types of number a registered sender can have: unknown (0), international (1), national (2). */
export function isNumericSenderType(ton: number): boolean {
  return ton === 0 || ton === 1 || ton === 2;
}

export class RegisteredNumbers {
  constructor(private readonly settings: Settings) {}

  /** True while no owner is set: the device must not answer anyone. */
  get unclaimed(): boolean {
    return this.settings.get("ownerNumber") === "";
  }

  /** The owner first, then the other numbers in the order they were added; empty while unclaimed. */
  all(): Member[] {
    const owner = this.settings.get("ownerNumber");
    if (!owner) return [];
    const others = decodeMembers(this.settings.get("users"), this.settings.get("homeCountryCode"));
    const ownerMember: Member = { number: owner, name: "owner", role: "owner", alerts: this.settings.get("ownerAlerts") === "on" };
    return [ownerMember, ...(typeof others === "string" ? [] : others)];
  }

  /** The numbers besides the owner. */
  others(): Member[] {
    return this.all().slice(1);
  }

  /**
   * The registered number `sender` is (`senderTon`: its type of number, see ReceivedSms), or
   * undefined when it is not registered (or not a phone number at all).
   */
  find(sender: string, senderTon: number): Member | undefined {
    if (!isNumericSenderType(senderTon)) return undefined;
    const normalised = this.normalise(sender);
    // Stryker disable next-line ConditionalExpression: find() with an undefined number matches no member anyway
    if (normalised === undefined) return undefined;
    return this.all().find((m) => m.number === normalised);
  }

  /** `number` in E.164 with the home country's code, or undefined when it is not a phone number. */
  normalise(number: string): string | undefined {
    return toE164(number, this.settings.get("homeCountryCode"));
  }

  /** The E.164 form replies go to (the registered number itself, not the raw sender string). */
  replyAddress(sender: string, senderTon: number): string | undefined {
    return this.find(sender, senderTon)?.number;
  }
}

/**
 * Who may talk to the tracker. Today: the owner number held in settings. A sender is registered
 * only when its whole number, normalised to E.164, equals a registered number — never by substring
 * or suffix — and the network presented it as a number: international, national or unknown type
 * (23.040 TON 1, 2, 0). An alphanumeric sender (TON 5) is a name anyone can choose ("4085550199"
 * included), and network-specific, subscriber, abbreviated or reserved types (3, 4, 6, 7) are no
 * number a reply could reach. An unclaimed device (no owner) has no registered numbers and answers
 * nobody.
 */
import type { Settings } from "../store/settings";
import { toE164 } from "./phone-number";

export type Role = "owner";

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

  /**
   * The role of `sender` (`senderTon`: its type of number, see ReceivedSms), or undefined when it
   * is not registered (or not a phone number at all).
   */
  roleOf(sender: string, senderTon: number): Role | undefined {
    if (!isNumericSenderType(senderTon)) return undefined;
    const owner = this.settings.get("ownerNumber");
    if (!owner) return undefined;
    const normalised = toE164(sender, this.settings.get("homeCountryCode"));
    return normalised !== undefined && normalised === owner ? "owner" : undefined;
  }

  /** The E.164 form replies go to (the registered number itself, not the raw sender string). */
  replyAddress(sender: string, senderTon: number): string | undefined {
    return this.roleOf(sender, senderTon) ? this.settings.get("ownerNumber") : undefined;
  }
}

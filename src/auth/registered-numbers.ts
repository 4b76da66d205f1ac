/**
 * Who may talk to the tracker. Today: the owner number held in settings. A sender is registered
 * only when its whole number, normalised to E.164, equals a registered number — never by substring
 * or suffix. An unclaimed device (no owner) has no registered numbers and answers nobody.
 */
import type { Settings } from "../store/settings";
import { toE164 } from "./phone-number";

export type Role = "owner";

export class RegisteredNumbers {
  constructor(private readonly settings: Settings) {}

  /** True while no owner is set: the device must not answer anyone. */
  get unclaimed(): boolean {
    return this.settings.get("ownerNumber") === "";
  }

  /** The role of `sender`, or undefined when it is not registered (or not a phone number at all). */
  roleOf(sender: string): Role | undefined {
    const owner = this.settings.get("ownerNumber");
    if (!owner) return undefined;
    const normalised = toE164(sender, this.settings.get("homeCountryCode"));
    return normalised !== undefined && normalised === owner ? "owner" : undefined;
  }

  /** The E.164 form replies go to (the registered number itself, not the raw sender string). */
  replyAddress(sender: string): string | undefined {
    return this.roleOf(sender) ? this.settings.get("ownerNumber") : undefined;
  }
}

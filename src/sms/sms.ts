/** A received SMS, decoded. */
export interface ReceivedSms {
  /** Storage index on the modem ("SM" memory). */
  index: number;
  /** Sender as the network delivered it (may be national, international or alphanumeric). */
  sender: string;
  /** Message text. Untrusted data: never spliced into AT commands. */
  text: string;
  /** Service-centre timestamp, ms since the Unix epoch (UTC), NaN when unknown. */
  sentUtcMs: number;
  /**
   * False when parts of a concatenated message never arrived or the text was cut short: the text
   * must not be acted on (a cut command can change meaning); answer "incomplete" instead.
   */
  complete: boolean;
}

/** How the modem exchanges SMS: 27.005 text mode or PDU mode (a modem profile option). */
export type { SmsMode } from "../modem/profiles";

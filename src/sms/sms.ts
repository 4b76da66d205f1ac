/** A received SMS, decoded. */
export interface ReceivedSms {
  /** Storage index on the modem ("SM" memory). */
  index: number;
  /** Sender as the network delivered it (may be national, international or alphanumeric). */
  sender: string;
  /**
   * The sender's type of number (23.040 TON: 0 unknown, 1 international, 2 national, 5
   * alphanumeric, 3/4/6/7 others) from the PDU or the text-mode <tooa>; -1 when the modem did not
   * say. Only numeric types (0, 1, 2) can ever be a registered number.
   */
  senderTon: number;
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

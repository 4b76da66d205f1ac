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
}

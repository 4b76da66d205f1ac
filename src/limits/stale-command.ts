/**
 * Late commands: a state-changing command whose service-centre timestamp is more than 15 minutes
 * older than the tracker's clock was delivered late (the modem was off, the network held it), so it
 * is not carried out: the situation it was sent for may be gone. (A message delivered twice is
 * handled once by the inbox: sms/sms-inbox.ts.) Times are UTC ms.
 */

/** Age past which a state-changing command is not carried out (ms). */
export const STALE_AFTER_MS = 15 * 60_000;

/** Minutes a message sent at `sentUtcMs` is late at `nowUtcMs`, when both are known and it is stale; else undefined. */
export function staleMinutes(sentUtcMs: number, nowUtcMs: number | undefined): number | undefined {
  // Stryker disable next-line ConditionalExpression: an undefined now makes the age NaN, and NaN > n is false
  if (nowUtcMs === undefined || !Number.isFinite(sentUtcMs)) return undefined;
  const age = nowUtcMs - sentUtcMs;
  return age > STALE_AFTER_MS ? Math.floor(age / 60_000) : undefined;
}

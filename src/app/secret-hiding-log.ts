/**
 * A logger that never lets a secret through: every message is searched for the current secrets
 * (the SIM PIN and the owner's PIN from the settings) and for those seen before (a refused SIM PIN
 * is erased from the settings, but its late echo may still come), and each occurrence is written
 * as "****". It backs up the structural hiding where the secrets are handled (the AT chat hides
 * PIN arguments): whatever path a PIN takes into a message (a garbled echo, an error text), no log
 * line at any level shows it.
 */
import type { Logger, LogLevel } from "../platform/ports";

/** How many earlier secrets are still hidden after they were changed or erased. */
const REMEMBERED_SECRETS = 4;
/** Secrets shorter than this are not searched for (a PIN has 4 to 8 digits). */
const MIN_SECRET_LENGTH = 4;

export class SecretHidingLogger implements Logger {
  readonly #sink: Logger;
  readonly #secrets: () => readonly string[];
  /** Every secret seen, newest last (at most REMEMBERED_SECRETS + the current ones). */
  readonly #seen: string[] = [];

  /** `secrets`: the current secrets, read at each log call ("" = none). */
  constructor(sink: Logger, secrets: () => readonly string[]) {
    this.#sink = sink;
    this.#secrets = secrets;
  }

  log(level: LogLevel, tag: string, message: string): void {
    this.#remember(this.#secrets());
    let text = message;
    for (let i = 0; i < this.#seen.length; i++) text = hide(text, this.#seen[i]!);
    this.#sink.log(level, tag, text);
  }

  /** The current secrets become the newest seen; the oldest beyond REMEMBERED_SECRETS are let go. */
  #remember(current: readonly string[]): void {
    const seen = this.#seen;
    for (let i = 0; i < current.length; i++) {
      const secret = current[i]!;
      if (secret.length < MIN_SECRET_LENGTH) continue;
      const at = seen.indexOf(secret);
      if (at >= 0) seen.splice(at, 1);
      seen.push(secret);
    }
    while (seen.length > REMEMBERED_SECRETS + current.length) seen.shift();
  }
}

/** `text` with every occurrence of `secret` written as "****". */
function hide(text: string, secret: string): string {
  return text.indexOf(secret) < 0 ? text : text.split(secret).join("****");
}

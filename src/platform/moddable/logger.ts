/**
 * Logger over the XS global trace(): lines "[tag] level: message\n".
 * Debug builds show them in xsbug and on the console; release builds print nothing on UART0.
 */
import type { LogLevel, Logger } from "../ports";

const RANK: Readonly<Record<LogLevel, number>> = Object.freeze({ error: 0, warn: 1, info: 2, debug: 3 });

/** True if `value` names a log level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return value === "error" || value === "warn" || value === "info" || value === "debug";
}

/** Writes log lines at or above `minLevel` (default "info") with trace(). */
export class TraceLogger implements Logger {
  #maxRank: number;

  constructor(minLevel: LogLevel = "info") {
    this.#maxRank = RANK[minLevel];
  }

  /** Change the minimum level at run time. */
  setLevel(minLevel: LogLevel): void {
    this.#maxRank = RANK[minLevel];
  }

  log(level: LogLevel, tag: string, message: string): void {
    if (RANK[level] > this.#maxRank) return;
    trace(`[${tag}] ${level}: ${message}\n`);
  }
}

/**
 * Shared helpers for the SMS PDU tests: the gammu corpus location, an independent GSM-7 alphabet
 * and part counter (written for these tests from 23.038/23.040, not from the firmware's tables),
 * and a recording Logger.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LogLevel, Logger } from "../../../src/platform/ports.ts";

/** gammu AT dumps (read at test time, never copied into the repo): ../shared/corpus from the project root. */
export const GAMMU_DIR = fileURLToPath(new URL("../../../../shared/corpus/at/gammu", import.meta.url));
/** The research helper's second-opinion decode of every dump. */
export const GAMMU_JSON = fileURLToPath(new URL("../../../../shared/corpus/at/gammu-at-sms.decoded.json", import.meta.url));
export const corpusPresent = existsSync(`${GAMMU_DIR}/at-sms`) && existsSync(`${GAMMU_DIR}/at-sms-failing`);

/** 23.038 default alphabet, index = code (0x1B shown as a placeholder that is never used). */
export const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** 23.038 extension table characters (2 septets each). */
export const GSM7_EXTENSION = "\f^{}\\[~]|€";

/** Septet cost of one character: 1 basic, 2 extension, 0 not in GSM-7. */
export function septetCost(ch: string): number {
  if (ch !== "\u001b" && GSM7_BASIC.includes(ch)) return 1;
  if (GSM7_EXTENSION.includes(ch)) return 2;
  return 0;
}

/** Expected encoding, units and parts, computed here independently of src/sms/pdu/pdu-encode.ts. */
export function expectedParts(text: string): { encoding: "gsm7" | "ucs2"; units: number; parts: number } {
  const chars = Array.from(text);
  const gsm = chars.every((c) => septetCost(c) > 0);
  const costs = chars.map((c) => (gsm ? septetCost(c) : c.codePointAt(0)! > 0xffff ? 2 : 1));
  const units = costs.reduce((a, b) => a + b, 0);
  const single = gsm ? 160 : 70;
  const per = gsm ? 153 : 67;
  if (units <= single) return { encoding: gsm ? "gsm7" : "ucs2", units, parts: 1 };
  let parts = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > per) {
      parts++;
      used = 0;
    }
    used += c;
  }
  return { encoding: gsm ? "gsm7" : "ucs2", units, parts };
}

export class RecordingLogger implements Logger {
  lines: string[] = [];
  log(level: LogLevel, tag: string, message: string): void {
    this.lines.push(`${level} ${tag} ${message}`);
  }
}

/**
 * The runtime's own figures, logged periodically when the build is instrumented (`mcconfig -i` or
 * `-d`; release builds have none): `[diag] info: slotBytes N chunkBytes N keys N gcCount N
 * stackPeakBytes N`. The simulator reads them for `npm run bench`; on a board they show on the
 * console of an instrumented build. Off unless the manifest config sets `diagnosticsMs`.
 *
 * Figures (Moddable's instrumentation, SDK 8.2.3): XS slot heap and chunk heap in use (bytes), keys
 * in use, garbage collections so far, and the peak depth of the JavaScript stack (bytes; a slot is
 * 16 bytes on the ESP32, 32 on 64-bit Linux).
 */
import Instrumentation from "instrumentation";
import Timer from "timer";
import type { Logger } from "../ports";

/** Instrumentation names, and the keys they are logged as. */
const NAMES = Object.freeze(["XS Slot Heap Used", "XS Chunk Heap Used", "XS Keys Used", "XS Garbage Collection Count", "XS Stack Used"] as const);
const KEYS = Object.freeze(["slotBytes", "chunkBytes", "keys", "gcCount", "stackPeakBytes"] as const);

/** Start logging the figures every `intervalMs` (≤ 0: never). Does nothing on a build without instrumentation. */
export function startDiagnostics(log: Logger, intervalMs: number): void {
  if (!(intervalMs > 0)) return;
  const indexes: number[] = [];
  for (const name of NAMES) {
    const index = Instrumentation.map(name);
    if (index === undefined) return;
    indexes.push(index);
  }
  const report = () => {
    let line = "";
    for (let i = 0; i < KEYS.length; i++) line += `${i === 0 ? "" : " "}${KEYS[i]} ${Instrumentation.get(indexes[i]!) ?? -1}`;
    log.log("info", "diag", line);
  };
  report();
  Timer.repeat(report, intervalMs);
}

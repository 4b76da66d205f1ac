/**
 * The worker of epoch-prefetch.ts: makes the receiver's epochs in order into the shared ring, up to
 * RING_EPOCHS ahead of the epoch the receiver wants, skipping those it has already passed.
 */
import { readlinkSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { VirtualClock } from "../clock.ts";
import { setThreadCpus } from "../engines/cpu-affinity.ts";
import type { UartWire } from "../uart.ts";
import { Control, RING_EPOCHS, SLOT_BYTES, type PrefetchWorkerData } from "./epoch-prefetch.ts";
import { NMEA_EOL } from "./nmea-format.ts";
import { VirtualGnss } from "./virtual-gnss.ts";

/** How long the worker sleeps when the ring is full, ms. */
const FULL_WAIT_MS = 2;

const data = workerData as PrefetchWorkerData;

/** This thread's id (Linux), or undefined. */
function threadId(): number | undefined {
  try {
    return Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return undefined;
  }
}

const tid = threadId();
if (data.cpus !== undefined && tid !== undefined) setThreadCpus(tid, data.cpus); // (when it cannot: the CPUs it inherited)
const control = new Int32Array(data.control);
const slotIndex = new Int32Array(data.slotIndex);
const slotLength = new Int32Array(data.slotLength);
const bytes = Buffer.from(data.bytes);
const unused = { write(): void {} } as unknown as UartWire;
const gnss = new VirtualGnss(new VirtualClock(), unused, data.plan, { ...data.options, prefetch: false });

let index = data.fromIndex;
let filled = false;
let lastWanted = -1;
let lastTakenAtMs = performance.now();
while (Atomics.load(control, Control.Stop) === 0) {
  const wanted = Atomics.load(control, Control.Wanted);
  if (index < wanted) index = wanted;
  if (index >= wanted + RING_EPOCHS) {
    if (!filled) {
      filled = true;
      parentPort!.postMessage({ tid });
    }
    const nowMs = performance.now();
    if (wanted !== lastWanted) {
      lastWanted = wanted;
      lastTakenAtMs = nowMs;
    } else if (nowMs - lastTakenAtMs > data.idleExitMs) {
      break; // the receiver is paused or forgotten: it makes its epochs itself from now on
    }
    Atomics.wait(control, Control.Stop, 0, FULL_WAIT_MS);
    continue;
  }
  const text = gnss.epochAt(index * 1000).join(NMEA_EOL) + NMEA_EOL;
  const slot = index % RING_EPOCHS;
  const at = slot * SLOT_BYTES;
  slotIndex[slot] = index;
  slotLength[slot] = text.length <= SLOT_BYTES ? bytes.write(text, at, "latin1") : -1;
  index++;
  Atomics.store(control, Control.Ready, index);
}

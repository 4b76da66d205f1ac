/**
 * The virtual receiver's epochs made ahead on another thread, so that a long run spends its main
 * thread on the firmware and the simulated world, not on formatting NMEA.
 *
 * Under the changing sky, with no receiver errors, an epoch of a drive is a pure function of its
 * index (VirtualGnss.epochAt): a worker thread makes them in order, as the bytes the receiver
 * sends, into a ring of shared memory, and runs ahead of the simulation by up to RING_EPOCHS. The
 * receiver takes an epoch from the ring when it is there and makes it itself when not (the worker
 * still starting, fallen behind, or ended after IDLE_EXIT_MS without a take: a receiver paused
 * or forgotten), so what the firmware gets is the same either way: a test checks that byte for byte.
 *
 * The worker runs on any CPU of the machine: when an XS engine has pinned this thread to one CPU
 * (engines/cpu-affinity.ts), the worker takes the CPU list this thread had before. It only pays
 * when a CPU is spare: `tracker run --jobs` as many as the CPUs turns it off in its worker processes
 * (PREFETCH_ENV=off), where it would only take turns with the other runs (a fleet ran 15 % slower).
 */
import { Worker } from "node:worker_threads";
import type { DrivePlan } from "./drive.ts";
import { cpusBeforePin } from "../engines/cpu-affinity.ts";

/** Environment variable: "off" makes every epoch on the receiver's own thread. */
export const PREFETCH_ENV = "TRACKER_GNSS_PREFETCH";

/** False when PREFETCH_ENV turns the worker off. */
export function prefetchAllowed(): boolean {
  return process.env[PREFETCH_ENV] !== "off";
}

/** Epochs the worker may run ahead of the receiver. */
export const RING_EPOCHS = 512;
/** Bytes a ring slot holds: an epoch of the full output is about 1 KB; a larger one is made by the receiver. */
export const SLOT_BYTES = 4096;

/** Indices into the control words (Int32, shared). */
export const Control = Object.freeze({
  /** Every epoch index below it that is not below WANTED is in the ring (written by the worker). */
  Ready: 0,
  /** The epoch the receiver takes now or next (written by the receiver). */
  Wanted: 1,
  /** Non-zero: the worker stops. */
  Stop: 2,
  Size: 3,
} as const);

/** What the worker is started with. */
export interface PrefetchWorkerData {
  plan: DrivePlan;
  /** VirtualGnss options without functions or errors (sky "changing"). */
  options: Record<string, unknown>;
  /** The first epoch index to make. */
  fromIndex: number;
  control: SharedArrayBuffer;
  /** Per slot: the epoch index it holds, and its byte length (-1: too large for a slot). */
  slotIndex: SharedArrayBuffer;
  slotLength: SharedArrayBuffer;
  bytes: SharedArrayBuffer;
  /** The CPU list for the worker's thread (taskset syntax), or undefined to keep what it inherits. */
  cpus: string | undefined;
  /** The worker ends when the receiver has taken nothing for this long (wall clock, ms). */
  idleExitMs: number;
}

/** How long a receiver may take nothing before its worker ends (wall clock, ms): it is paused or forgotten. */
export const IDLE_EXIT_MS = 10_000;

/** The receiver's side of the ring. */
export class EpochPrefetch {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly slotIndex: Int32Array;
  private readonly slotLength: Int32Array;
  private readonly bytes: Uint8Array;
  /** Epochs taken from the ring / made by the receiver because they were not there. */
  hits = 0;
  misses = 0;
  /** The worker's thread id (Linux tid) once it has filled the ring; undefined before. */
  workerTid: number | undefined;
  /** Resolves once the worker has filled the ring the first time (or has failed: then it makes nothing). */
  readonly ready: Promise<void>;
  /** Resolves when the worker's thread has ended (closed, failed, or idle for `idleExitMs`). */
  readonly ended: Promise<void>;

  /** Start a worker making the epochs of `plan` from `fromIndex` on (`options`: the receiver's, plain data). */
  constructor(plan: DrivePlan, options: Record<string, unknown>, fromIndex: number, idleExitMs = IDLE_EXIT_MS) {
    const data: PrefetchWorkerData = {
      plan,
      options,
      fromIndex,
      control: new SharedArrayBuffer(Control.Size * 4),
      slotIndex: new SharedArrayBuffer(RING_EPOCHS * 4),
      slotLength: new SharedArrayBuffer(RING_EPOCHS * 4),
      bytes: new SharedArrayBuffer(RING_EPOCHS * SLOT_BYTES),
      cpus: cpusBeforePin(),
      idleExitMs,
    };
    this.control = new Int32Array(data.control);
    this.slotIndex = new Int32Array(data.slotIndex).fill(-1);
    this.slotLength = new Int32Array(data.slotLength);
    this.bytes = new Uint8Array(data.bytes);
    Atomics.store(this.control, Control.Ready, fromIndex);
    Atomics.store(this.control, Control.Wanted, fromIndex);
    // A plain module that loads tsx first: the worker starts without this thread's loader flags.
    this.worker = new Worker(new URL("./epoch-prefetch-worker.mjs", import.meta.url), { workerData: data, execArgv: [] });
    this.ready = new Promise((resolve) => {
      this.worker.once("message", (message: { tid: number | undefined }) => {
        this.workerTid = message.tid;
        resolve();
      });
      this.worker.once("error", () => resolve()); // the receiver makes every epoch itself then
    });
    this.ended = new Promise((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.unref();
  }

  /**
   * The bytes of epoch `index` when the worker has made them (a view into the ring, valid until the
   * next call), else undefined. Indices must not go down.
   */
  take(index: number): Uint8Array | undefined {
    Atomics.store(this.control, Control.Wanted, index);
    const slot = index % RING_EPOCHS;
    if (Atomics.load(this.control, Control.Ready) <= index || this.slotIndex[slot] !== index || this.slotLength[slot]! < 0) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    const at = slot * SLOT_BYTES;
    return this.bytes.subarray(at, at + this.slotLength[slot]!);
  }

  /** Stop the worker. */
  close(): void {
    Atomics.store(this.control, Control.Stop, 1);
    void this.worker.terminate();
  }
}

/**
 * Runs the firmware guest inside Moddable's XS engine, using the xsnap worker that
 * @agoric/xsnap builds at install. We speak xsnap's netstring protocol on fds 3/4 directly
 * (commands: "e<code>" evaluate, "?<bytes>" call the guest's handleCommand; replies:
 * ".<meter JSON>\x01<bytes>" or "!<error>"), which keeps the bridge in-process and needs no
 * SES lockdown of the test runner.
 *
 * Before the firmware loads, a prelude makes xsnap behave like the device build: TextDecoder and
 * TextEncoder are removed and the built-ins' prototypes are frozen (as preload does on the ESP32).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import type { EngineStep, FirmwareEngine } from "./engine.ts";
import { acquireEngineCpu, onCpu, releaseEngineCpu } from "./cpu-affinity.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Crank limit passed to xsnap (computrons per step) — a runaway loop fails instead of hanging. */
const METERING_LIMIT = 500_000_000;

/** Source evaluated first: make xsnap's realm look like the device's. */
const DEVICE_PRELUDE = `
(() => {
  // The device build's native String.fromArrayBuffer(buffer[, byteOffset[, byteLength]]) (TypeError
  // on invalid UTF-8 or a non-ArrayBuffer, RangeError outside the buffer), made from a fatal
  // TextDecoder captured here before the codecs are removed. xsnap has no String.fromArrayBuffer
  // (its strings are CESU-8). A range that is not the whole buffer costs a view here (4 heap slots),
  // which the device's native function does not allocate.
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const decode = TextDecoder.prototype.decode;
  const U8 = Uint8Array;
  Object.defineProperty(String, "fromArrayBuffer", {
    value: function fromArrayBuffer(buffer, byteOffset, byteLength) {
      if (!(buffer instanceof ArrayBuffer)) throw new TypeError("argument: not an ArrayBuffer instance");
      if (byteOffset === undefined) return decode.call(utf8, buffer); // fatal: TypeError on invalid UTF-8
      const limit = buffer.byteLength;
      if (!(byteOffset >= 0 && byteOffset <= limit)) throw new RangeError("invalid byteOffset " + byteOffset);
      if (byteLength === undefined) byteLength = limit - byteOffset;
      if (!(byteLength >= 0 && byteOffset + byteLength <= limit)) throw new RangeError("invalid byteLength " + byteLength);
      return decode.call(utf8, byteOffset === 0 && byteLength === limit ? buffer : new U8(buffer, byteOffset, byteLength));
    },
    writable: true, configurable: true, enumerable: false,
  });
  delete globalThis.TextDecoder;
  delete globalThis.TextEncoder;
  const typed = Object.getPrototypeOf(Uint8Array);
  const intrinsics = [Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Date, RegExp,
    Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError,
    Map, Set, WeakMap, WeakSet, Promise, ArrayBuffer, DataView, typed, Int8Array, Uint8Array,
    Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
    BigInt64Array, BigUint64Array];
  for (const c of intrinsics) { Object.freeze(c.prototype); Object.freeze(c); }
  Object.freeze(Math); Object.freeze(JSON); Object.freeze(Reflect);
})();
`;

/** Entry of the firmware guest bundle. */
export const FIRMWARE_ENTRY = join(here, "../guest/xs-entry.ts");

const bundles = new Map<string, string>();

/**
 * `entry` (default: the firmware guest) and everything it imports, bundled as one script for XS.
 * The entry must set `globalThis.handleCommand(ArrayBuffer) → ArrayBuffer`.
 */
export function xsBundle(entry: string = FIRMWARE_ENTRY): string {
  const cached = bundles.get(entry);
  if (cached) return cached;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    platform: "neutral",
    target: "es2022",
    write: false,
    charset: "utf8",
    logLevel: "silent",
  });
  const text = result.outputFiles[0]!.text;
  bundles.set(entry, text);
  return text;
}

/** Path of the xsnap worker binary built by @agoric/xsnap's install script. */
export function xsnapWorkerPath(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("@agoric/xsnap/package.json"));
  const bin = join(packageDir, "xsnap-native/xsnap/build/bin/lin/release/xsnap-worker");
  if (!existsSync(bin)) {
    throw new Error(
      `xsnap worker not found at ${bin}: @agoric/xsnap builds it at install (package.json "allowScripts" must allow it; run npm install again)`,
    );
  }
  return bin;
}

interface Reply {
  ok: boolean;
  body: Buffer;
  meter: { compute?: number; currentHeapCount?: number };
}

export class XsEngine implements FirmwareEngine {
  readonly name = "xs" as const;
  private child: ChildProcess;
  private input: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  private waiting: ((reply: Reply) => void) | undefined;
  private failure: Error | undefined;
  private stderr = "";

  private constructor() {
    if (process.platform !== "linux") throw new Error("the XS engine bridge supports Linux only");
    const worker = xsnapWorkerPath(); // (first: it throws when missing, before the CPU is pinned)
    const command = onCpu(acquireEngineCpu(), worker, ["tracker-firmware", "-l", String(METERING_LIMIT)]);
    this.child = spawn(command.file, command.args, {
      stdio: ["ignore", "inherit", "pipe", "pipe", "pipe", "ignore", "ignore", "ignore", "ignore"],
    });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    const fromXs = this.child.stdio[4] as NodeJS.ReadableStream;
    fromXs.on("data", (data: Buffer) => this.onData(data));
    this.child.on("exit", (code, signal) => {
      releaseEngineCpu();
      this.failure = new Error(`xsnap exited (code ${code}, signal ${signal}) ${this.stderr.trim()}`);
      this.waiting?.({ ok: false, body: Buffer.from(this.failure.message), meter: {} });
    });
  }

  /** Start an XS engine in the device-like realm with `entry`'s bundle loaded (default: the firmware guest). */
  static async start(entry: string = FIRMWARE_ENTRY): Promise<XsEngine> {
    const engine = new XsEngine();
    await engine.evaluate(DEVICE_PRELUDE);
    await engine.evaluate(xsBundle(entry));
    return engine;
  }

  /** Evaluate a script in the XS realm; resolves with the meter figures after it. */
  async evaluate(code: string): Promise<{ computrons: number; heapSlots: number }> {
    const reply = await this.request(Buffer.concat([Buffer.from("e"), Buffer.from(code, "utf8")]));
    if (!reply.ok) throw new Error(`XS evaluation failed: ${reply.body.toString()}`);
    return { computrons: reply.meter.compute ?? 0, heapSlots: reply.meter.currentHeapCount ?? 0 };
  }

  /** Collect garbage; resolves with the heap slots still in use (live slots). */
  async liveHeapSlots(): Promise<number> {
    return (await this.evaluate("gc()")).heapSlots;
  }

  /** The xsnap process's id (undefined when it could not start). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** CPU time the xsnap process has used so far (user + system, ms; from /proc, Linux's 100 ticks a second). */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  async step(message: Uint8Array): Promise<EngineStep> {
    const reply = await this.request(Buffer.concat([Buffer.from("?"), message]));
    if (!reply.ok) throw new Error(`XS step failed: ${reply.body.toString()}`);
    return {
      response: new Uint8Array(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength),
      computrons: reply.meter.compute,
      heapSlots: reply.meter.currentHeapCount,
    };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    (this.child.stdio[3] as NodeJS.WritableStream).end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
  }

  private request(payload: Buffer): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error("XS engine: overlapping requests"));
    return new Promise((resolve) => {
      this.waiting = resolve;
      const toXs = this.child.stdio[3] as NodeJS.WritableStream;
      toXs.write(Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(",")]));
    });
  }

  private onData(data: Buffer): void {
    this.input = this.input.length ? Buffer.concat([this.input, data]) : data;
    for (;;) {
      const colon = this.input.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.input.subarray(0, colon).toString());
      const end = colon + 1 + length;
      if (this.input.length < end + 1) return;
      const message = this.input.subarray(colon + 1, end);
      this.input = this.input.subarray(end + 1);
      this.onMessage(Buffer.from(message));
    }
  }

  private onMessage(message: Buffer): void {
    const type = message[0];
    if (type === 0x3f /* '?': the guest called issueCommand — unused, answer empty */) {
      const toXs = this.child.stdio[3] as NodeJS.WritableStream;
      toXs.write(Buffer.from("1:/,"));
      return;
    }
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if (type === 0x2e /* '.' */) {
      const sep = message.indexOf(1, 1);
      const meter = sep >= 0 ? JSON.parse(message.subarray(1, sep).toString()) : {};
      waiting({ ok: true, body: message.subarray(sep >= 0 ? sep + 1 : 1), meter });
    } else {
      waiting({ ok: false, body: message.subarray(1), meter: {} });
    }
  }
}

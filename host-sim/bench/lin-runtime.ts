/**
 * Figures from Moddable's own runtime (part of `tracker bench`): the firmware's lin build under
 * mcsim (the moddable engine), with the runtime's instrumentation (platform/moddable/diagnostics.ts
 * logs it every 100 ms): XS slot heap and chunk heap in use, keys, garbage collections and the
 * peak depth of the JavaScript stack, after boot, after a WHERE exchange, and after an hour of
 * driving (an hour of changing-sky NMEA put on the GNSS tty as fast as the firmware reads it).
 *
 * Caveats, printed with the table: on 64-bit Linux a slot is 32 bytes (16 on the ESP32) and chunk
 * sizes run larger than on the 32-bit device; mcsim resets the stack peak and the GC count every
 * second, so the stack peak is the largest of the per-second peaks sampled and the GC count is the
 * sum of each second's last sample (a collection in the last tenth of a second before a reset can
 * be missed).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Simulation } from "../simulation.ts";
import { ModdableDevice, LIN_SLOT_BYTES, type RuntimeSample } from "../moddable/moddable-device.ts";
import { PROJECT_ROOT } from "../moddable/sdk.ts";
import { hourEpoch } from "./nmea-throughput.ts";

/** One row of the table: the figures at a moment of the run. */
interface RuntimeFigures {
  what: string;
  /** Slot heap in use, slots (latest sample). */
  slots: number;
  /** Chunk heap in use, bytes (latest sample). */
  chunkBytes: number;
  keys: number;
  /** Collections since boot (see the caveat). */
  gcs: number;
  /** Peak stack depth since boot, slots. */
  stackPeakSlots: number;
}

function figures(what: string, samples: readonly RuntimeSample[]): RuntimeFigures {
  const last = samples.at(-1)?.values ?? {};
  let gcs = 0;
  let previous = 0;
  for (const s of samples) {
    const count = s.values["gcCount"] ?? 0;
    if (count < previous) gcs += previous; // the window was reset: it ended at `previous`
    previous = count;
  }
  gcs += previous;
  const stackBytes = samples.reduce((m, s) => Math.max(m, s.values["stackPeakBytes"] ?? 0), 0);
  return {
    what,
    slots: Math.round((last["slotBytes"] ?? 0) / LIN_SLOT_BYTES),
    chunkBytes: last["chunkBytes"] ?? 0,
    keys: last["keys"] ?? 0,
    gcs,
    stackPeakSlots: Math.ceil(stackBytes / LIN_SLOT_BYTES),
  };
}

/** The lin build's `creation` (manifest.json): the budgets the figures are measured against. */
function linCreation(): { heapSlots: number; chunkBytes: number; stackSlots: number } {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "manifest.json"), "utf8")) as {
    platforms: { lin: { creation: { heap: { initial: number }; chunk: { initial: number }; stack: number } } };
  };
  const c = manifest.platforms.lin.creation;
  return { heapSlots: c.heap.initial, chunkBytes: c.chunk.initial, stackSlots: c.stack };
}

/** Run the three phases on the moddable engine and return the rows. Throws when a phase fails. */
export async function measureLinRuntime(progress: (line: string) => void = () => {}): Promise<RuntimeFigures[]> {
  const sim = await Simulation.create({ engine: "moddable", progress });
  const device = sim.device;
  if (!(device instanceof ModdableDevice)) throw new Error("the lin-runtime bench needs the moddable engine");
  try {
    await sim.start();
    if (!(await sim.waitForState("ready", 60_000))) throw new Error(`the tracker did not get ready (state ${device.state})`);
    await sim.runFor(5_000);
    const rows = [figures("after boot (ready)", device.runtimeSamples)];
    const reply = await sim.ask(sim.owner, "WHERE", 30_000);
    if (!reply) throw new Error("no reply to WHERE");
    await sim.runFor(3_000);
    rows.push(figures("after a WHERE exchange", device.runtimeSamples));
    // An hour of driving under a changing sky, as fast as the firmware reads it.
    sim.gnss.stop();
    await sim.runFor(2_000);
    const text = Array.from({ length: 3600 }, (_, i) => hourEpoch(i).join("\r\n") + "\r\n").join("");
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    const started = Date.now();
    let replayed = false;
    void device.replayGnss(bytes).then(() => (replayed = true));
    await sim.clock.runUntilCondition(() => replayed, 600_000);
    progress(`an hour of NMEA (${(bytes.length / 1e6).toFixed(1)} MB) read in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await sim.runFor(3_000);
    const last = await sim.ask(sim.owner, "WHERE", 30_000);
    if (!/12:59:59 UTC/.test(last?.text ?? "")) throw new Error(`the hour was not read to its end: WHERE says ${JSON.stringify(last?.text)}`);
    await sim.runFor(3_000);
    rows.push(figures("after 1 h of driving (+ WHERE)", device.runtimeSamples));
    return rows;
  } finally {
    await sim.close();
  }
}

/** Print the lin-runtime section of `tracker bench`. */
export async function printLinRuntime(): Promise<void> {
  console.log("");
  console.log("Moddable runtime (lin build under mcsim, instrumented; npm run build:device builds it):");
  let rows: RuntimeFigures[];
  try {
    rows = await measureLinRuntime((line) => console.log(`  ${line}`));
  } catch (e) {
    console.log(`  not measured: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const c = linCreation();
  console.log(`  budgets (manifest creation, as the board target): heap ${c.heapSlots} slots, chunks ${c.chunkBytes.toLocaleString("en-US")} bytes, stack ${c.stackSlots} slots`);
  console.log(`  ${"".padEnd(32)} ${"slots in use".padStart(13)} ${"chunk bytes".padStart(12)} ${"keys".padStart(5)} ${"GCs".padStart(5)} ${"stack peak".padStart(11)}`);
  for (const r of rows) {
    console.log(
      `  ${r.what.padEnd(32)} ${String(r.slots).padStart(13)} ${r.chunkBytes.toLocaleString("en-US").padStart(12)} ${String(r.keys).padStart(5)} ${String(r.gcs).padStart(5)} ${`${r.stackPeakSlots} slots`.padStart(11)}`,
    );
  }
  console.log(`  (64-bit Linux: ${LIN_SLOT_BYTES}-byte slots, 16 on the ESP32; chunks run larger than on the 32-bit device. mcsim resets the`);
  console.log("   stack peak and GC count every second: peak = largest per-second peak sampled, GCs = sum of each second's last sample.)");
}

/**
 * XS figures for one command exchange: the firmware runs inside xsnap, the vehicle drives with a
 * fix, the owner texts WHERE (or a PIN-checked ADD), and every step from the modem's +CMTI to the
 * last reply's final OK is metered. Steps that only carried GNSS bytes are counted apart, so the SMS
 * path's cost stands alone.
 */
import { DEFAULT_PIN } from "../simulation.ts";
import { Simulation } from "../simulation.ts";
import type { StepMeter } from "../firmware-device.ts";
import { FirmwareDevice } from "../firmware-device.ts";
import { XsEngine } from "../engines/xs-engine.ts";

export interface WhereExchangeFigures {
  /** Steps (UART chunks and timers) handled for the exchange. */
  steps: number;
  /** Computrons of the exchange's modem/timer steps. */
  computrons: number;
  /** GNSS-only steps in the same window and their computrons (the receiver keeps talking). */
  gnssSteps: number;
  gnssComputrons: number;
  /** Heap slots allocated during the window (growth of the heap count between steps, no GC in between). */
  heapSlotsAllocated: number;
  /** Live heap slots (after a full GC) before the exchange and after it: equal means nothing retained. */
  liveSlotsBefore: number;
  liveSlotsAfter: number;
  /** Simulated duration of the exchange, ms (network delays included). */
  durationMs: number;
  reply: string;
}

export async function measureWhereExchange(seed = 1): Promise<WhereExchangeFigures> {
  return measureExchange("WHERE", seed);
}

/** The figures of the exchange the owner's `text` starts (its replies and notices included). */
export async function measureExchange(text: string, seed = 1): Promise<WhereExchangeFigures> {
  const sim = await Simulation.create({ engine: "xs", seed });
  try {
    await sim.start();
    if (!(await sim.waitForState("ready", 60_000))) throw new Error(`tracker not ready: ${sim.device.state}`);
    await sim.runFor(60_000);
    const engine = sim.device instanceof FirmwareDevice ? sim.device.engine : undefined;
    if (!(engine instanceof XsEngine)) throw new Error("the bench needs the XS engine");
    const liveSlotsBefore = await engine.liveHeapSlots();
    const firstMeter = sim.device.meters.length;
    const reply = await sim.ask(sim.owner, text, 60_000);
    if (!reply) throw new Error(`no reply to ${text}`);
    await sim.runFor(5_000);
    const liveSlotsAfter = await engine.liveHeapSlots();
    // The exchange spans from the +CMTI URC to the CMGS result (the reply leaves the modem then).
    const traffic = sim.modem.traffic;
    const cmti = traffic.find((t) => t.direction === "from-modem" && t.text.includes("+CMTI:"));
    const cmgs = [...traffic].reverse().find((t) => t.direction === "from-modem" && t.text.includes("+CMGS:"));
    if (!cmti || !cmgs) throw new Error("exchange not found in the modem traffic");
    const meters = sim.device.meters.slice(firstMeter);
    const window = meters.filter((m) => m.atMs >= cmti.atMs && m.atMs <= cmgs.atMs + 100);
    const exchange = window.filter((m) => m.cause !== "gnss");
    const gnss = window.filter((m) => m.cause === "gnss");
    const before = meters.filter((m) => m.atMs < cmti.atMs).at(-1) ?? meters[0]!;
    const sum = (list: StepMeter[]) => list.reduce((s, m) => s + m.computrons, 0);
    let allocated = 0;
    let previous = before.heapSlots;
    for (const m of window) {
      if (m.heapSlots > previous) allocated += m.heapSlots - previous;
      previous = m.heapSlots;
    }
    return {
      steps: exchange.length,
      computrons: sum(exchange),
      gnssSteps: gnss.length,
      gnssComputrons: sum(gnss),
      heapSlotsAllocated: allocated,
      liveSlotsBefore,
      liveSlotsAfter,
      durationMs: cmgs.atMs - cmti.atMs,
      reply: reply.text,
    };
  } finally {
    await sim.close();
  }
}

/** Print the figures (the `tracker bench` command). */
export async function printWhereExchange(): Promise<void> {
  printFigures("WHERE exchange on XS (xsnap meter), +CMTI → AT+CMGR → reply → AT+CMGD → AT+CMGS result:", await measureWhereExchange());
  printFigures(
    "ADD exchange on XS (the PIN checked: PBKDF2-HMAC-SHA-256, 64 iterations; the settings written; reply and notice sent):",
    await measureExchange(`ADD +14155550177 Anna ${DEFAULT_PIN}`),
  );
}

function printFigures(title: string, f: WhereExchangeFigures): void {
  console.log(title);
  console.log(`  modem/timer steps        ${f.steps}`);
  console.log(`  computrons               ${f.computrons.toLocaleString("en-US")}`);
  console.log(`  GNSS steps meanwhile     ${f.gnssSteps} (${f.gnssComputrons.toLocaleString("en-US")} computrons, not included above)`);
  console.log(`  heap slots allocated     ${f.heapSlotsAllocated.toLocaleString("en-US")} (whole window, GNSS steps included)`);
  console.log(`  live heap slots (GC)     ${f.liveSlotsBefore.toLocaleString("en-US")} before, ${f.liveSlotsAfter.toLocaleString("en-US")} after`);
  console.log(`  simulated duration       ${(f.durationMs / 1000).toFixed(2)} s`);
}

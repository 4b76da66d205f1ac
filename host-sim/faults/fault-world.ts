/**
 * The FaultWorld of one run: the simulation, a random source seeded from the run's seed, and the
 * layering of line and receiver edits (several faults may edit the same line at once).
 */
import type { Simulation } from "../simulation.ts";
import { Random } from "../random.ts";
import type { UartWire } from "../uart.ts";
import type { DeliveryOptions } from "../modem/sms-network.ts";
import type { FaultWorld, LineName } from "./fault-types.ts";

/** Edits applied in order; the first removal of the last one clears the hook. */
class EditStack<T> {
  private readonly edits: ((value: T) => T)[] = [];

  constructor(private readonly install: (apply: ((value: T) => T) | null) => void) {}

  add(edit: (value: T) => T): () => void {
    this.edits.push(edit);
    this.install((value) => this.edits.reduce((v, e) => e(v), value));
    return () => {
      const i = this.edits.indexOf(edit);
      if (i >= 0) this.edits.splice(i, 1);
      if (this.edits.length === 0) this.install(null);
    };
  }
}

export class SimulationFaultWorld implements FaultWorld {
  readonly random: Random;
  nextSend: DeliveryOptions | undefined;
  private readonly gnssEdits: EditStack<string[]>;
  private readonly lineEdits = new Map<LineName, EditStack<Uint8Array>>();

  /** `numbers`: phone names to numbers (owner, stranger, users and extra phones). */
  constructor(
    readonly sim: Simulation,
    seed: number,
    private readonly numbers: ReadonlyMap<string, string>,
  ) {
    this.random = new Random(seed ^ 0x5eed);
    this.gnssEdits = new EditStack((apply) => {
      sim.gnss.tamper = apply;
    });
    const wires: Record<LineName, UartWire> = {
      modem: sim.lines.modemToFirmware,
      "to-modem": sim.lines.firmwareToModem,
      gnss: sim.lines.gnssToFirmware,
    };
    for (const [name, wire] of Object.entries(wires) as [LineName, UartWire][]) {
      this.lineEdits.set(name, new EditStack((apply) => {
        wire.tamper = apply;
      }));
    }
  }

  numberOf(name: string): string {
    if (name === "tracker") return this.sim.trackerNumber;
    const number = this.numbers.get(name);
    if (number === undefined) throw new Error(`no phone named '${name}' in this scenario (known: tracker, ${[...this.numbers.keys()].join(", ")})`);
    return number;
  }

  addGnssEdit(edit: (lines: string[]) => string[]): () => void {
    return this.gnssEdits.add(edit);
  }

  addLineEdit(line: LineName, edit: (bytes: Uint8Array) => Uint8Array): () => void {
    return this.lineEdits.get(line)!.add(edit);
  }
}

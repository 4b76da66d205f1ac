/**
 * Serial-line faults: flipped bits, dropped and repeated bytes, and bursts of noise, on the modem
 * line toward the firmware ("modem"), toward the modem ("to-modem") or the GNSS line ("gnss").
 */
import { s } from "../scenario/files/spec.ts";
import { parseDuration } from "../scenario/files/duration.ts";
import type { Random } from "../random.ts";
import { type FaultDefinition, type FaultParams, type FaultWorld, type LineName, numberParam, stringParam } from "./fault-types.ts";

const LINES: readonly LineName[] = ["modem", "gnss", "to-modem"];
const lineParam = s.optional(s.oneOf(LINES, "which line: modem (modem → firmware, default), to-modem, or gnss"));
const rateParam = s.optional(s.number("chance per byte, 0 to 1 (default 0.001)", { minimum: 0, maximum: 1 }));

/** Each byte of `bytes`, with probability `rate`, has one random bit flipped. */
export function flipBits(bytes: Uint8Array, rate: number, random: Random): Uint8Array {
  for (let i = 0; i < bytes.length; i++) if (random.next() < rate) bytes[i] = bytes[i]! ^ (1 << random.int(0, 7));
  return bytes;
}

/** `bytes` with each byte left out with probability `rate`. */
export function dropBytes(bytes: Uint8Array, rate: number, random: Random): Uint8Array {
  return bytes.filter(() => random.next() >= rate);
}

/** `bytes` with each byte sent twice with probability `rate`. */
export function repeatBytes(bytes: Uint8Array, rate: number, random: Random): Uint8Array {
  const out: number[] = [];
  for (const b of bytes) {
    out.push(b);
    if (random.next() < rate) out.push(b);
  }
  return Uint8Array.from(out);
}

function lineFault(name: string, description: string, edit: (bytes: Uint8Array, rate: number, random: Random) => Uint8Array): FaultDefinition {
  return {
    name,
    description,
    params: { line: lineParam, rate: rateParam },
    lasting: true,
    start(world: FaultWorld, params: FaultParams) {
      const rate = numberParam(params, "rate", 0.001);
      return world.addLineEdit(stringParam(params, "line", "modem") as LineName, (bytes) => edit(bytes, rate, world.random));
    },
  };
}

/** Junk bytes written on the GNSS line every `everyMs` (± half), until stopped. */
function gnssNoise(world: FaultWorld, everyMs: number, maxBytes: number): () => void {
  const { sim, random } = world;
  let stopped = false;
  const burst = (): void => {
    if (stopped) return;
    sim.lines.gnssToFirmware.write(Uint8Array.from({ length: random.int(1, maxBytes) }, () => random.int(0, 255)));
    sim.clock.after(random.int(everyMs / 2, (everyMs * 3) / 2), burst);
  };
  sim.clock.after(random.int(0, everyMs), burst);
  return () => {
    stopped = true;
  };
}

export const UART_FAULTS: readonly FaultDefinition[] = [
  lineFault("uart-bit-errors", "Bit errors: some bytes arrive with one bit flipped.", flipBits),
  lineFault("uart-dropped-bytes", "Some bytes are lost on the line (a FIFO overrun, a loose wire).", dropBytes),
  lineFault("uart-duplicated-bytes", "Some bytes arrive twice.", repeatBytes),
  {
    name: "uart-noise",
    description: "Bursts of random bytes on the line between and (modem line) inside responses.",
    params: {
      line: s.optional(s.oneOf(["modem", "gnss"], "which line: modem (default) or gnss")),
      every: s.optional(s.duration("mean gap between bursts (default 5s)")),
      maxBytes: s.optional(s.integer("longest burst, bytes (default 6)", 1, 64)),
    },
    lasting: true,
    start(world, params) {
      const everyMs = parseDuration(params["every"]) ?? 5000;
      const maxBytes = numberParam(params, "maxBytes", 6);
      if (stringParam(params, "line", "modem") === "gnss") return gnssNoise(world, everyMs, maxBytes);
      world.sim.modem.startNoise({ intervalMs: [everyMs / 2, (everyMs * 3) / 2], maxBytes, insideResponses: 0.05 });
      return () => world.sim.modem.stopNoise();
    },
  },
];

/**
 * XS guest for the NMEA throughput bench: the `nmea-simple` npm package on the same input, with its
 * own line splitting (bytes → string with String.fromCharCode.apply, split on CR LF, parseNmeaSentence
 * per line, errors caught). Same command bytes as nmea-xs-entry.ts.
 */
import { parseNmeaSentence } from "nmea-simple";
import { CHUNK_BYTES, receive, reply } from "./xs-bench-guest.ts";

let pending = "";
const stats = { sentences: 0, errors: 0, rmc: 0, gga: 0 };

function feed(chunk: Uint8Array): void {
  pending += String.fromCharCode.apply(null, chunk as unknown as number[]);
  let eol = pending.indexOf("\r\n");
  while (eol >= 0) {
    const line = pending.slice(0, eol);
    pending = pending.slice(eol + 2);
    if (line.length > 0) {
      try {
        const packet = parseNmeaSentence(line);
        stats.sentences++;
        if (packet.sentenceId === "RMC") stats.rmc++;
        else if (packet.sentenceId === "GGA") stats.gga++;
      } catch {
        stats.errors++;
      }
    }
    eol = pending.indexOf("\r\n");
  }
}

(globalThis as unknown as { handleCommand: (b: ArrayBuffer) => ArrayBuffer }).handleCommand = (buffer: ArrayBuffer) => {
  const op = new Uint8Array(buffer, 0, 1)[0];
  const total = buffer.byteLength;
  if (op === 0) {
    for (let i = 1; i < total; i += CHUNK_BYTES) feed(receive(buffer, i, total));
    return new ArrayBuffer(0);
  }
  if (op === 1) return new ArrayBuffer(0);
  return reply(JSON.stringify({ stats }));
};

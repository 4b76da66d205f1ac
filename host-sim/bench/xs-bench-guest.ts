/**
 * What both NMEA throughput guests (nmea-xs-entry.ts, nmea-simple-xs-entry.ts) share, so that the
 * harness cost measured on one is the other's too.
 */

/** Bytes per chunk fed to a parser. */
export const CHUNK_BYTES = 64;

/**
 * The serial adapter's part (src/platform/moddable/serial-port.ts): the UART driver copies up to
 * CHUNK_BYTES of `buffer` from `at` into the one preallocated receive buffer, and the parser gets
 * that buffer (a view of its start when fewer bytes came). Harness cost, measured and subtracted.
 */
const rx = new Uint8Array(CHUNK_BYTES);
export function receive(buffer: ArrayBuffer, at: number, total: number): Uint8Array {
  const n = total - at < CHUNK_BYTES ? total - at : CHUNK_BYTES;
  rx.set(new Uint8Array(buffer, at, n));
  return n === CHUNK_BYTES ? rx : rx.subarray(0, n);
}

/** An ASCII reply as an ArrayBuffer (the guest's answer to the host). */
export function reply(text: string): ArrayBuffer {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out.buffer;
}

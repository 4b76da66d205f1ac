/**
 * Bytes → string at a flat cost, for the NMEA line reader.
 *
 * The device build of XS has a native `String.fromArrayBuffer(buffer[, byteOffset[, byteLength]])`
 * (one memcpy plus a UTF-8 check; TypeError on invalid UTF-8, RangeError outside the buffer; a NUL
 * byte becomes U+0000). It is the only way to turn bytes into a string without per-byte JavaScript
 * or per-byte metering (`String.fromCharCode.apply` costs ~6 computrons a byte). xsnap (the XS the
 * tests run) lacks it: the test realm installs a stand-in with the same semantics. Node has none:
 * there the reader takes its per-byte path. A reader can be given another converter (or none) for
 * tests, so that Node runs both paths.
 *
 * NMEA is ASCII. Bytes that are not (line noise, a receiver's Latin-1 text) make the decoded string
 * shorter than the byte count (UTF-8 sequences) or make the decoder throw: the reader then converts
 * that chunk one char per byte instead, so string index == byte index always.
 */

/** `String.fromArrayBuffer` as the device has it. */
export type FromArrayBuffer = (buffer: ArrayBuffer, byteOffset?: number, byteLength?: number) => string;

function detect(): FromArrayBuffer | null {
  const candidate = (String as unknown as { fromArrayBuffer?: unknown }).fromArrayBuffer;
  return typeof candidate === "function" ? (candidate as FromArrayBuffer) : null;
}

/** The realm's `String.fromArrayBuffer`, or null when it has none (looked up once). */
export const NATIVE_FROM_ARRAY_BUFFER: FromArrayBuffer | null = detect();

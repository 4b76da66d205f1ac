/**
 * Bytes → string at a flat cost, for the NMEA line reader.
 *
 * The device build of XS has a native `String.fromArrayBuffer(buffer[, byteOffset[, byteLength]])`
 * (one memcpy plus a UTF-8 check; TypeError on invalid UTF-8, RangeError outside the buffer; a NUL
 * byte becomes U+0000). It is the only way to turn bytes into a string without per-byte JavaScript
 * or per-byte metering (`String.fromCharCode.apply` costs ~6 computrons a byte). xsnap (the XS the
 * tests run) lacks it: the test realm installs a stand-in with the same semantics. This module is
 * the only place that looks it up: feature-tested once, and replaceable for tests
 * ({@link setStringFromArrayBuffer}) so that Node runs both paths.
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

let fromArrayBuffer: FromArrayBuffer | null = detect();
/** The converter in use (live binding; null: none). */
export { fromArrayBuffer as stringFromArrayBuffer };

/**
 * Replace the converter (tests: a stand-in with the device's semantics, or `null` to force the
 * per-byte path); `undefined` restores feature detection of `String.fromArrayBuffer`.
 */
export function setStringFromArrayBuffer(converter: FromArrayBuffer | null | undefined): void {
  fromArrayBuffer = converter === undefined ? detect() : converter;
}

/**
 * Bytes → string at a flat cost, for the NMEA line reader.
 *
 * The device build of XS has a native `String.fromArrayBuffer(buffer)` (one memcpy plus a UTF-8
 * check; TypeError on invalid UTF-8). It is the only way to turn bytes into a string without
 * per-byte JavaScript or per-byte metering (`String.fromCharCode.apply` costs ~6 computrons a byte).
 * This module is the only user of it: feature-tested once, and replaceable for tests
 * ({@link setStringFromArrayBuffer}) so that Node runs both paths.
 *
 * NMEA is ASCII. Bytes that are not (line noise, a receiver's Latin-1 text) make the decoded string
 * shorter than the buffer (UTF-8 sequences) or make the decoder throw: then `undefined` is returned
 * and the caller converts the bytes one char per byte instead, so string index == byte index always.
 */

type FromArrayBuffer = (buffer: ArrayBuffer) => string;

const charCodeAt = String.prototype.charCodeAt;

function detect(): FromArrayBuffer | null {
  const candidate = (String as unknown as { fromArrayBuffer?: unknown }).fromArrayBuffer;
  return typeof candidate === "function" ? (candidate as FromArrayBuffer) : null;
}

let fromArrayBuffer: FromArrayBuffer | null = detect();
/**
 * The converter in use (live binding; null: none): the line reader calls it inline, as
 * {@link asciiText} does, to save a function call per chunk.
 */
export { fromArrayBuffer as stringFromArrayBuffer };

/**
 * Replace the converter (tests: a polyfill with the device's semantics, or `null` to force the
 * per-byte path); `undefined` restores feature detection of `String.fromArrayBuffer`.
 */
export function setStringFromArrayBuffer(converter: FromArrayBuffer | null | undefined): void {
  fromArrayBuffer = converter === undefined ? detect() : converter;
}

/** Whether {@link asciiText} can convert at all (String.fromArrayBuffer present or injected). */
export function hasStringFromArrayBuffer(): boolean {
  return fromArrayBuffer !== null;
}

/**
 * The whole of `buffer` (`length` = its byteLength, > 0) as a string of one char per byte, or
 * `undefined` when it is not pure ASCII or no converter exists. Never throws.
 */
export function asciiText(buffer: ArrayBuffer, length: number): string | undefined {
  const convert = fromArrayBuffer;
  if (convert === null) return undefined;
  try {
    const text = convert(buffer);
    // non-ASCII UTF-8 decodes to fewer chars (code points on the device) than bytes
    return charCodeAt.call(text, length - 1) >= 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

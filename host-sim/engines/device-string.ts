/**
 * The device build's `String.fromArrayBuffer(buffer[, byteOffset[, byteLength]])` with its
 * semantics, for firmware running in Node (which has no such function): TypeError for anything but
 * an ArrayBuffer or on invalid UTF-8, RangeError outside the buffer. The Node engine gives it to the
 * NMEA reader so the firmware takes the same flat-cost path as on the device (src/gnss/ascii-text.ts);
 * the XS engine installs the same semantics in its realm (xs-engine.ts).
 */
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

export function deviceFromArrayBuffer(buffer: ArrayBuffer, byteOffset = 0, byteLength = buffer.byteLength - byteOffset): string {
  if (!(buffer instanceof ArrayBuffer)) throw new TypeError("argument: not an ArrayBuffer instance");
  if (!(byteOffset >= 0 && byteOffset <= buffer.byteLength)) throw new RangeError(`invalid byteOffset ${byteOffset}`);
  if (!(byteLength >= 0 && byteOffset + byteLength <= buffer.byteLength)) throw new RangeError(`invalid byteLength ${byteLength}`);
  return fatalUtf8.decode(byteOffset === 0 && byteLength === buffer.byteLength ? buffer : new Uint8Array(buffer, byteOffset, byteLength));
}

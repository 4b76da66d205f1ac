/**
 * The step message format between the simulator (host) and the firmware guest, which may run in
 * the same Node process or inside the XS engine. Binary, so the same bytes cross either boundary:
 *   request  = f64 nowMs, then records;  response = records
 *   record   = u8 kind, u32 length (little endian), `length` bytes
 *   a request record with an arrival time has kind | TIMED (0x80) and its bytes after an f64 atMs
 * This file runs on both sides (Node and XS): no Node or DOM APIs.
 */

/** Record kinds. */
export const RecordKind = Object.freeze({
  /** Bytes received on the GNSS UART (request) / written by the firmware to it (response). */
  Gnss: 1,
  /** Bytes received on / written to the modem UART. */
  Modem: 2,
  /** Boot configuration, ASCII JSON (request). */
  Boot: 3,
  /**
   * What the board's ADC reads now (request): ASCII "vehicleMv,batteryMv", integers, "nan" where
   * not measured (see powerText). Sent when the reading changed; the guest keeps the last one.
   */
  Power: 4,
  /** A falling edge on the modem's RI line (request, no bytes): the firmware's RingInput fires. */
  Ring: 7,
  /** Bytes received on / written by the firmware to the provisioning console's port (console/). */
  Console: 6,
  /** A log line, UTF-8 "level\ttag\tmessage" (response). */
  Log: 10,
  /** A store change, ASCII JSON {"key":..., "value":...} or {"key":..., "deleted":true} (response). */
  StoreWrite: 11,
  /** Due time of the firmware's next timer, f64 ms (response; absent when none). */
  NextTimer: 12,
  /** A pin write, ASCII "name=value" (response). */
  Pin: 13,
  /** The firmware set its wall clock, f64 UTC ms (response). */
  UtcSet: 14,
  /** Tracker state name, ASCII, when it changed (response). */
  State: 15,
  /** An exception escaped the firmware, UTF-8 text (response). Tests require none. */
  Fault: 16,
} as const);
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

export interface WireRecord {
  kind: number;
  bytes: Uint8Array;
  /**
   * Requests only: when the record arrived, if before the message's time (ms); sent in the record
   * (kind | TIMED, the f64 before the bytes). So a step can carry bytes that arrived over a while (a
   * burst of GNSS chunks), each at its own time: the guest moves its clock to it and fires the
   * timers due by then first.
   */
  atMs?: number;
}

/** Flag on a record's kind: its bytes start with the f64 time it arrived (WireRecord.atMs). */
export const TIMED = 0x80;

/** Encode records (with an optional leading f64 time) into one message. */
export function encodeMessage(records: readonly WireRecord[], nowMs?: number): Uint8Array {
  let size = nowMs === undefined ? 0 : 8;
  for (const r of records) size += 5 + r.bytes.length + (r.atMs === undefined ? 0 : 8);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  if (nowMs !== undefined) {
    view.setFloat64(0, nowMs, true);
    at = 8;
  }
  for (const r of records) {
    const length = r.bytes.length;
    if (r.atMs === undefined) {
      out[at] = r.kind;
      view.setUint32(at + 1, length, true);
      at += 5;
    } else {
      out[at] = r.kind | TIMED;
      view.setUint32(at + 1, 8 + length, true);
      view.setFloat64(at + 5, r.atMs, true);
      at += 13;
    }
    out.set(r.bytes, at);
    at += length;
  }
  return out;
}

/** Decode a message; `withTime` says whether it starts with the f64 time. Malformed tails are ignored. */
export function decodeMessage(message: Uint8Array, withTime: boolean): { nowMs: number; records: WireRecord[] } {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  let at = 0;
  let nowMs = NaN;
  if (withTime && message.length < 8) return { nowMs, records: [] };
  if (withTime) {
    nowMs = view.getFloat64(0, true);
    at = 8;
  }
  const records: WireRecord[] = [];
  const total = message.length;
  while (at + 5 <= total) {
    const kind = message[at]!;
    const end = at + 5 + view.getUint32(at + 1, true);
    if (end > total) break;
    if (kind < TIMED) {
      records.push({ kind, bytes: message.subarray(at + 5, end) });
    } else if (end >= at + 13) {
      records.push({ kind: kind & ~TIMED, bytes: message.subarray(at + 13, end), atMs: view.getFloat64(at + 5, true) });
    }
    at = end;
  }
  return { nowMs, records };
}

/** f64 as 8 bytes. */
export function f64Bytes(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value, true);
  return out;
}

/** Read an f64 from 8 bytes. */
export function readF64(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(0, true);
}

/** A power reading as a Power record's text: "12400,4150", "nan" for a NaN (not measured). Values are rounded to mV. */
export function powerText(vehicleMv: number, batteryMv: number): string {
  const mv = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : "nan");
  return `${mv(vehicleMv)},${mv(batteryMv)}`;
}

/**
 * Parse a Power record (ASCII bytes of powerText) without making strings: the guest does this for
 * each record, inside XS. A field that is not a plain integer ("nan", empty, "12.5") reads NaN.
 */
export function parsePower(bytes: Uint8Array): { vehicleMv: number; batteryMv: number } {
  let comma = bytes.indexOf(0x2c);
  if (comma < 0) comma = bytes.length;
  return { vehicleMv: parseInteger(bytes, 0, comma), batteryMv: comma < bytes.length ? parseInteger(bytes, comma + 1, bytes.length) : NaN };
}

/** The decimal integer in bytes[start, end) ("-" allowed first), NaN if anything else. */
function parseInteger(bytes: Uint8Array, start: number, end: number): number {
  const negative = bytes[start] === 0x2d;
  let at = negative ? start + 1 : start;
  if (at >= end) return NaN;
  let value = 0;
  for (; at < end; at++) {
    const digit = bytes[at]! - 0x30;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** parsePower over text (tests, tools). */
export function parsePowerText(text: string): { vehicleMv: number; batteryMv: number } {
  return parsePower(asciiEncode(text));
}

/** UTF-8 encode, walking code points (same result on XS, where strings count code points, and V8). */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/** ASCII bytes → string (the host escapes everything else in JSON it sends). */
export function asciiDecode(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 1024) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 1024)));
  }
  return text;
}

/** String of ASCII characters (as JSON.stringify output escaped to ASCII) → bytes. */
export function asciiEncode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

/** JSON.stringify with every non-ASCII character escaped as \uXXXX, so it crosses as ASCII. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * A tiny NMEA checker for the GNSS simulator tests, written independently of the generator
 * (host-sim/gnss/nmea-format.ts): framing, checksum, field counts, and coordinate decoding.
 */

export interface CheckedSentence {
  talker: string;
  type: string;
  /** Fields after the address, as strings. */
  fields: string[];
}

/** Parse `$TTSSS,f1,...*HH`; returns a reason string when the line is malformed or its checksum is wrong. */
export function checkSentence(line: string): CheckedSentence | string {
  const m = /^\$([A-Z]{2})([A-Z]{3}),([^*$]*)\*([0-9A-F]{2})$/.exec(line);
  if (!m) return `bad framing: ${JSON.stringify(line)}`;
  let xor = 0;
  const body = line.slice(1, line.indexOf("*"));
  for (const byte of Buffer.from(body, "latin1")) xor ^= byte;
  if (xor !== parseInt(m[4]!, 16)) return `bad checksum in ${line}: computed ${xor.toString(16)}`;
  return { talker: m[1]!, type: m[2]!, fields: m[3]!.split(",") };
}

/** Expected field count (after the address) of the NMEA 4.1 forms the simulator sends. */
export function expectedFieldCount(s: CheckedSentence): number | undefined {
  switch (s.type) {
    case "RMC": return 13;
    case "VTG": return 9;
    case "GGA": return 14;
    case "GSA": return 18;
    case "GSV": {
      // numMsgs,msgNum,numSV, then 4 fields per satellite, then the signal ID.
      const total = Number(s.fields[0]);
      const num = Number(s.fields[1]);
      const inView = Number(s.fields[2]);
      const here = num < total ? 4 : inView - 4 * (total - 1);
      return 3 + 4 * Math.max(0, here) + 1;
    }
    default: return undefined;
  }
}

/** Decode `ddmm.mmmm` / `dddmm.mmmm` + hemisphere to signed degrees (undefined when empty). */
export function decodeCoord(value: string, hemi: string): number | undefined {
  if (value === "") return undefined;
  const dot = value.indexOf(".");
  const degDigits = (dot < 0 ? value.length : dot) - 2;
  const deg = Number(value.slice(0, degDigits));
  const min = Number(value.slice(degDigits));
  const abs = deg + min / 60;
  return hemi === "S" || hemi === "W" ? -abs : abs;
}

/** Split received bytes (latin1) into CR LF-terminated lines; any unterminated tail is returned separately. */
export function splitCrLf(bytes: Uint8Array): { lines: string[]; tail: string } {
  const text = Buffer.from(bytes).toString("latin1");
  const parts = text.split("\r\n");
  const tail = parts.pop()!;
  return { lines: parts, tail };
}

/**
 * Rewriting NMEA sentences for receiver faults: split a sentence into its fields, change some, and
 * put it back together with a fresh checksum. Positions use the NMEA ddmm.mmmm / dddmm.mmmm forms.
 */

/** The fields of `$TTSSS,f1,f2*hh` as [ "TTSSS", "f1", "f2" ], or undefined when it is no sentence. */
export function splitSentence(line: string): string[] | undefined {
  if (!line.startsWith("$")) return undefined;
  const star = line.lastIndexOf("*");
  return (star > 0 ? line.slice(1, star) : line.slice(1)).split(",");
}

/** `$` + fields joined + `*` + the XOR checksum of everything between `$` and `*`. */
export function joinSentence(fields: readonly string[]): string {
  const body = fields.join(",");
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** The sentence type without its talker ("GPRMC" → "RMC"). */
export function sentenceType(fields: readonly string[]): string {
  return fields[0]!.slice(2);
}

/**
 * Apply `edit` to each sentence: it gets the sentence's type and a copy of its fields, and returns
 * the new fields (or undefined to leave the sentence as it was).
 */
export function rewriteEpoch(lines: readonly string[], edit: (type: string, fields: string[]) => string[] | undefined): string[] {
  return lines.map((line) => {
    const fields = splitSentence(line);
    if (!fields) return line;
    const changed = edit(sentenceType(fields), fields.slice());
    return changed ? joinSentence(changed) : line;
  });
}

/** Degrees from an NMEA angle field ("3720.0966", "N") → 37.33494…; undefined when empty. */
export function parseAngle(value: string, hemisphere: string): number | undefined {
  if (value === "") return undefined;
  const dot = value.indexOf(".");
  const degreeDigits = (dot < 0 ? value.length : dot) - 2;
  const degrees = Number(value.slice(0, degreeDigits)) + Number(value.slice(degreeDigits)) / 60;
  return hemisphere === "S" || hemisphere === "W" ? -degrees : degrees;
}

/** An NMEA angle field and hemisphere for `degrees` (latitude: 2 degree digits, longitude: 3). */
export function formatAngle(degrees: number, isLatitude: boolean): [string, string] {
  const hemisphere = isLatitude ? (degrees < 0 ? "S" : "N") : degrees < 0 ? "W" : "E";
  const abs = Math.abs(degrees);
  let whole = Math.floor(abs);
  let minutes = Number(((abs - whole) * 60).toFixed(4));
  if (minutes >= 60) {
    whole += 1;
    minutes -= 60;
  }
  const deg = String(whole).padStart(isLatitude ? 2 : 3, "0");
  return [`${deg}${minutes.toFixed(4).padStart(7, "0")}`, hemisphere];
}

/**
 * Phone number normalisation to E.164 ("+" and 8-15 digits), so registered numbers are compared
 * whole and exactly, never by substring. A number that cannot be normalised (alphanumeric sender,
 * too short, stray characters) yields undefined and must be treated as unregistered.
 */

/** Country calling codes whose national numbers carry a trunk prefix "0" (dropped in E.164). */
const TRUNK_ZERO_COUNTRIES: readonly string[] = Object.freeze([
  "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
  "48", "49", "51", "52", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "66", "81", "82",
  "84", "86", "90", "91", "92", "93", "94", "95", "98", "212", "213", "216", "234", "254", "255", "256",
  "351", "353", "358", "380", "420", "421", "880", "886", "971", "972",
]);

/** Characters people and carriers put inside numbers: removed before parsing. */
function isSeparator(ch: string): boolean {
  return ch === " " || ch === "-" || ch === "." || ch === "(" || ch === ")" || ch === "/";
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

/**
 * Normalise `raw` to E.164. `homeCountryCode` (digits, e.g. "1", "44") completes national numbers.
 * International forms "+CC…" and "00CC…" (and "011CC…" in NANP) are kept; "0…" national numbers
 * lose the trunk 0 where the home country uses one; NANP 10-digit and "1"+10-digit forms get "+1".
 * Returns undefined for anything that is not a plausible phone number.
 */
export function toE164(raw: string, homeCountryCode: string): string | undefined {
  if (raw.length > 40) return undefined;
  let digits = "";
  let plus = false;
  let seenDigit = false;
  for (const ch of raw.trim()) {
    if (ch === "+" && !plus && !seenDigit) {
      plus = true;
    } else if (isDigit(ch)) {
      digits += ch;
      seenDigit = true;
    } else if (!isSeparator(ch)) {
      return undefined;
    }
  }
  if (digits.length === 0) return undefined;

  let international: string;
  if (plus) {
    international = digits;
  } else if (digits.startsWith("00")) {
    international = digits.slice(2);
  } else if (homeCountryCode === "1" && digits.startsWith("011")) {
    international = digits.slice(3);
  } else if (homeCountryCode === "1") {
    if (digits.length === 10) international = "1" + digits;
    else if (digits.length === 11 && digits.startsWith("1")) international = digits;
    else return undefined;
  } else if (digits.startsWith("0") && TRUNK_ZERO_COUNTRIES.includes(homeCountryCode)) {
    international = homeCountryCode + digits.slice(1);
  } else if (digits.startsWith(homeCountryCode) && digits.length >= 10) {
    // Some carriers deliver the international number without its "+".
    international = digits;
  } else {
    international = homeCountryCode + digits;
  }
  if (international.length < 8 || international.length > 15 || international.startsWith("0")) return undefined;
  return "+" + international;
}

/** True when `a` and `b` normalise to the same E.164 number (both must be valid). */
export function sameNumber(a: string, b: string, homeCountryCode: string): boolean {
  const x = toE164(a, homeCountryCode);
  return x !== undefined && x === toE164(b, homeCountryCode);
}

/** Mask a number for logs: "+14085550199" → "+1408***0199". */
export function maskNumber(number: string): string {
  if (number.length <= 8) return "***";
  return number.slice(0, 5) + "***" + number.slice(-4);
}

/** True when `code` is a plausible country calling code (1-3 digits, not starting with 0). */
export function isCountryCode(code: string): boolean {
  if (code.length < 1 || code.length > 3 || code[0] === "0") return false;
  for (const ch of code) if (!isDigit(ch)) return false;
  return true;
}

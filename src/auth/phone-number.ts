/**
 * Phone number normalisation to E.164 ("+" and 7-15 digits: Tokelau's +690 7290 has 7), so
 * registered numbers are compared whole and exactly, never by substring. A number that cannot be normalised (alphanumeric sender,
 * too short, stray characters) yields undefined and must be treated as unregistered.
 */

/**
 * How a national number is written in each country, as far as turning it into E.164 needs: the
 * trunk (national) prefix dialled before it, which E.164 drops. It is "0" nearly everywhere; these
 * are the exceptions (calling code → prefix; "" = none: a leading 0 belongs to the number). NANP
 * ("1") is handled on its own. Argentina's mobile form (0 + area + 15 + number → +54 9 area
 * number) is not: write Argentine numbers in international form.
 */
const TRUNK_PREFIX_EXCEPTIONS: Readonly<Record<string, string>> = Object.freeze({
  "7": "8", // Russia, Kazakhstan: 8 (912) 345-67-89
  "36": "06", // Hungary: 06 20 123 4567
  "375": "80", // Belarus: 8 029 491-19-11
  "993": "8", // Turkmenistan: 8 66 123456
  "39": "", // Italy: 06 1234 5678 is +39 06 1234 5678
  "378": "", // San Marino: 0549 123456
  "225": "", // Côte d'Ivoire: 01 23 45 6789
  "229": "", // Benin
  "241": "", // Gabon
  "242": "", // Republic of the Congo
});

/**
 * International call prefixes other than "00" (home calling code → prefix); "00" is understood
 * everywhere as well. NANP's "011" only in NANP: elsewhere "011…" is a national number.
 */
const EXIT_PREFIX_EXCEPTIONS: Readonly<Record<string, string>> = Object.freeze({
  "1": "011",
  "61": "0011", // Australia
  "81": "010", // Japan
  "7": "810",
  "375": "810",
  "993": "810",
});

/** The trunk prefix of national numbers with this home calling code. */
function trunkPrefix(homeCountryCode: string): string {
  const exception = TRUNK_PREFIX_EXCEPTIONS[homeCountryCode];
  return exception === undefined ? "0" : exception;
}

/** Characters people and carriers put inside numbers: removed before parsing. */
function isSeparator(ch: string): boolean {
  return ch === " " || ch === "-" || ch === "." || ch === "(" || ch === ")" || ch === "/";
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

/**
 * Normalise `raw` to E.164. `homeCountryCode` (digits, e.g. "1", "44") completes national numbers.
 * International forms "+CC…", "00CC…" and the home country's own exit prefix ("011" in NANP,
 * "0011" in Australia, ...) are kept; national numbers lose the home country's trunk prefix ("0",
 * "8", "06", or none); NANP 10-digit and "1"+10-digit forms get "+1".
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
  const exit = EXIT_PREFIX_EXCEPTIONS[homeCountryCode];
  const trunk = trunkPrefix(homeCountryCode);
  if (plus) {
    international = digits;
  } else if (exit !== undefined && digits.startsWith(exit)) {
    international = digits.slice(exit.length);
  } else if (digits.startsWith("00")) {
    international = digits.slice(2);
  } else if (homeCountryCode === "1") {
    if (digits.length === 10) international = "1" + digits;
    else if (digits.length === 11 && digits.startsWith("1")) international = digits;
    else return undefined;
  } else if (trunk !== "" && digits.startsWith(trunk)) {
    international = homeCountryCode + digits.slice(trunk.length);
  } else if (digits.startsWith(homeCountryCode) && digits.length >= 10) {
    // Some carriers deliver the international number without its "+".
    international = digits;
  } else {
    international = homeCountryCode + digits;
  }
  if (international.length < 7 || international.length > 15 || international.startsWith("0")) return undefined;
  return "+" + international;
}

/** True when `a` and `b` normalise to the same E.164 number (both must be valid). */
export function sameNumber(a: string, b: string, homeCountryCode: string): boolean {
  const x = toE164(a, homeCountryCode);
  return x !== undefined && x === toE164(b, homeCountryCode);
}

/**
 * Mask a number for logs and messages, hiding at least 3 of its characters: "+14085550199" →
 * "+1408***0199" (12 characters or more: the first 5 and last 4 shown), "+50012345" → "+500***45"
 * (9 to 11: the last 2 and at most the first 5), "***" for 8 or fewer.
 */
export function maskNumber(number: string): string {
  if (number.length <= 8) return "***";
  const tail = number.length >= 12 ? 4 : 2;
  const head = Math.min(5, number.length - tail - 3);
  return number.slice(0, head) + "***" + number.slice(-tail);
}

/** True when `code` is a plausible country calling code (1-3 digits, not starting with 0). */
export function isCountryCode(code: string): boolean {
  if (code.length < 1 || code.length > 3 || code[0] === "0") return false;
  for (const ch of code) if (!isDigit(ch)) return false;
  return true;
}

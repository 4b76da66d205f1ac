/**
 * AT chat engine: one command in flight, a FIFO queue behind it, URCs split off the response stream.
 *
 * Line classification while a command is in flight, in this order:
 *  1. the raw data armed by `dataAfterPrefix` (an SMS body: never a final result or URC): a block of
 *     the length the announcing line gives (`dataLengths`: text-mode bodies, which may hold line
 *     breaks and lines such as "OK" or "RDY"), else the one line after it (a PDU);
 *  2. echo of the command text → dropped;
 *  3. final results: `OK`, `ERROR`, `+CME ERROR: x`, `+CMS ERROR: x`, `NO CARRIER`, `BUSY`,
 *     `NO ANSWER`, `NO DIALTONE`;
 *  4. a line starting with the command's own response prefix (`AT+CPIN?` → `+CPIN:`) → response,
 *     even when that prefix is also a URC (not for set commands such as `AT+CREG=2`, `AT+CPIN=…`,
 *     whose URC-looking lines are real URCs);
 *  5. a known URC (see AT_URC_PREFIXES) → `onUrc`;
 *  6. anything else → information line of the response.
 * With no command in flight every line goes to `onUrc` (except late results, below).
 *
 * Late results: when a command times out or is aborted, the engine (a) sends ESC if a `> ` prompt
 * was still awaited, so the modem cannot take the next command as SMS text; (b) holds the queue for
 * `lateResultGuardMs` and drops the first final result (and any line with the stale command's
 * response prefix) that arrives in that window, sending the next command right after it or when the
 * window ends; (c) while the next command is in flight, a line carrying the stale command's response
 * prefix (and not the new one's) is dropped and the final result after it is swallowed, since it
 * closes the stale command. A bare `OK` later than the guard window cannot be told apart and may
 * complete the next command early: keep timeouts above the modem's maximum response time.
 *
 * Callbacks run on the next turn: the line reader only classifies lines; each URC (`onUrc`) and
 * each ended command (`done`, then `onCommandDone`) is queued, in the order the lines came, and
 * the queue is run from a zero-delay timer, after which the next queued command is sent. So the
 * chain "modem line → callback → next command → write" starts from a fresh stack every time: on
 * the device the JavaScript stack (the board target's `creation.stack`, in slots) bounds how deep
 * a synchronous chain may go, and the reply path on top of the serial read → line reader →
 * classification frames would not fit.
 *
 * Logging: debug level, tag `modem.at` (`>> AT+CMGR=3`, `<< OK`). Payloads and raw data lines are
 * never logged (only their length); in commands and received lines alike (a late or garbled echo
 * too) whatever follows "+CPIN=", "+CLCK=" or "+CPWD=" is hidden, and long digit runs (phone
 * numbers) are masked.
 *
 * Never throws on any modem input; exceptions from callbacks are caught and logged.
 * Requirement: `port.write` must not call `port.onReceive` synchronously.
 */
import type { Clock, Logger, SerialPort, TimerHandle } from "../platform/ports";
import { AtLineReader } from "./at-line-reader";
import { isAllowedAtCommand } from "./at-allow-list";

/** How a command ended. */
export type AtOutcome = "ok" | "error" | "cme-error" | "cms-error" | "timeout" | "aborted";

/** Result of one command. */
export interface AtResponse {
  /** How the command ended. */
  outcome: AtOutcome;
  /** Information lines between command and final result, in order (also on timeout: what came). */
  lines: string[];
  /**
   * Text after `+CME ERROR: ` / `+CMS ERROR: ` (numeric or verbose); the line itself for
   * `NO CARRIER` / `BUSY` / `NO ANSWER` / `NO DIALTONE`; a short reason for a refused command;
   * otherwise "".
   */
  error: string;
  /**
   * True when the request had a payload and it was written after the "> " prompt. After a
   * timeout or abort this means the modem may have sent the SMS although no result came.
   */
  payloadSent: boolean;
}

/** One command to send. */
export interface AtRequest {
  /** Command text, e.g. "AT+CMGR=3", without CR (the engine appends "\r"). Control chars are refused. */
  command: string;
  /** Whole-exchange timeout in ms (prompt, payload and final result). Default 5000. */
  timeoutMs?: number;
  /** Bytes sent when the `> ` prompt arrives (e.g. SMS text + 0x1A). No prompt before timeout → "timeout". */
  payload?: Uint8Array;
  /** E.g. "+CMGR:": the line after a line with this prefix is raw data, never a final result or URC. */
  dataAfterPrefix?: string;
  /**
   * For a line with `dataAfterPrefix`: the possible byte lengths of the data after it (see
   * AtLineReader.expectData), which is then taken as one block whatever it holds; [] = no data
   * follows that line; undefined = not known: the one line after it.
   */
  dataLengths?: (line: string) => readonly number[] | undefined;
}

/** Default command timeout, ms. */
export const AT_DEFAULT_TIMEOUT_MS = 5000;
/** Default late-result guard after a timeout or abort, ms. */
export const AT_LATE_RESULT_GUARD_MS = 300;

const TAG = "modem.at";

/**
 * Line prefixes recognised as unsolicited result codes (prefix match, after leading junk bytes are
 * stripped). Frozen data; chip profiles may pass extra prefixes via AtChat.extraUrcPrefixes.
 */
export const AT_URC_PREFIXES: readonly string[] = Object.freeze([
  "+CMTI:", "+CMT:", "+CDSI:", "+CDS:", "+CBM:",
  "RING", "+CRING:", "+CLIP:", "+CCWA:", "VOICE CALL:", "MISSED_CALL:", "+RXDTMF:",
  "RDY", "*ATREADY:", "APP RDY", "+CPIN:", "SMS DONE", "PB DONE", "SMS Ready", "Call Ready",
  "+QIND:", "+QUSIM:", "*ISIMAID:", "+CFUN:",
  "+CREG:", "+CGREG:", "+CEREG:", "+CGEV:", "+CSQ:", "+CNSMOD:",
  "+NITZ:", "+CTZV:", "+CTZE:", "*PSUTTZ:", "+PSUTTZ:", "DST:", "+CUSD:",
  "NORMAL POWER DOWN", "POWERED DOWN", "UNDER-VOLTAGE", "OVER-VOLTAGE",
]);

/** URC prefixes whose next line is raw data (the SMS / broadcast body or PDU), delivered as a URC. */
const URC_WITH_DATA: readonly string[] = Object.freeze(["+CMT:", "+CBM:"]);

/** Final result lines other than OK / ERROR / +CME / +CMS, reported as "error". */
const FINAL_ERRORS: readonly string[] = Object.freeze(["NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"]);

const CME_PREFIX = "+CME ERROR:";
const CMS_PREFIX = "+CMS ERROR:";
const ESC = 0x1b;

interface Pending {
  request: AtRequest;
  done: (response: AtResponse) => void;
}

interface Final {
  outcome: AtOutcome;
  error: string;
}

/** A callback waiting for the next turn: a URC line, or an ended command (`observed`: tell onCommandDone). */
type AtEvent = { urc: string } | { pending: Pending; response: AtResponse; observed: boolean };

/** Strip leading junk (control / 8-bit bytes, e.g. boot noise) and trailing whitespace. */
function cleanKey(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end) {
    const c = line.charCodeAt(start);
    if (c > 0x20 && c < 0x7f) break;
    start++;
  }
  while (end > start && line.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === line.length ? line : line.slice(start, end);
}

/** Final result of a cleaned line, or undefined. */
function finalOf(key: string): Final | undefined {
  if (key === "OK") return { outcome: "ok", error: "" };
  if (key === "ERROR") return { outcome: "error", error: "" };
  if (key.startsWith(CME_PREFIX)) return { outcome: "cme-error", error: key.slice(CME_PREFIX.length).trim() };
  if (key.startsWith(CMS_PREFIX)) return { outcome: "cms-error", error: key.slice(CMS_PREFIX.length).trim() };
  // Stryker disable next-line EqualityOperator: one past the end reads undefined, which equals no key
  for (let i = 0; i < FINAL_ERRORS.length; i++) {
    if (key === FINAL_ERRORS[i]) return { outcome: "error", error: key };
  }
  return undefined;
}

function startsWithAny(key: string, prefixes: readonly string[]): boolean {
  // Stryker disable next-line EqualityOperator: one past the end reads undefined: startsWith("undefined") never matches an upper-case AT line
  for (let i = 0; i < prefixes.length; i++) {
    if (key.startsWith(prefixes[i])) return true;
  }
  return false;
}

function isNameChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/**
 * The response prefix of a command: "AT+CMGR=3" → "+CMGR:", "AT+CPIN?" → "+CPIN:", "AT" → "".
 * Set commands whose prefix is a URC ("AT+CREG=2", "AT+CPIN=…", "AT+CFUN=1") get "" (their
 * `+CREG:`-looking lines are URCs).
 */
export function atResponsePrefix(command: string): string {
  let start = 0;
  if (command.length >= 2 && (command[0] === "A" || command[0] === "a") && (command[1] === "T" || command[1] === "t")) {
    start = 2;
  }
  const sigil = command[start];
  if (sigil !== "+" && sigil !== "*" && sigil !== "$" && sigil !== "^" && sigil !== "#" && sigil !== "%") return "";
  let end = start + 1;
  while (end < command.length && isNameChar(command.charCodeAt(end))) end++;
  if (end === start + 1) return "";
  const prefix = command.slice(start, end).toUpperCase() + ":";
  const isSet = command[end] === "=" && command[end + 1] !== "?";
  if (isSet && startsWithAny(prefix, AT_URC_PREFIXES)) return "";
  return prefix;
}

/** Mask digit runs of 9+ digits for logs: "+14085550199" → "+1408***0199". */
export function maskDigitsForLog(text: string): string {
  let out = "";
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    if (j - i >= 9) {
      out += text.slice(last, i + 4) + "***" + text.slice(j - 4, j);
      last = j;
    }
    i = j;
  }
  return out + text.slice(last);
}

/** Where secrets follow in an AT text: a PIN or password argument (upper case). */
const SECRET_ARGUMENTS: readonly string[] = Object.freeze(["+CPIN=", "+CLCK=", "+CPWD="]);

/**
 * An AT text (a command, or a line the modem sent: a late or garbled echo too) as it may appear in
 * logs: everything after a PIN or password argument's "=" hidden, wherever it starts in the text,
 * and phone numbers masked.
 */
export function atTextForLog(text: string): string {
  const upper = text.toUpperCase();
  let cut = -1;
  // Stryker disable next-line EqualityOperator: one past the end searches "undefined" in upper-case text: never found
  for (let i = 0; i < SECRET_ARGUMENTS.length; i++) {
    const at = upper.indexOf(SECRET_ARGUMENTS[i]!);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at + SECRET_ARGUMENTS[i]!.length;
  }
  return cut === -1 ? maskDigitsForLog(text) : maskDigitsForLog(text.slice(0, cut)) + "<hidden>";
}

/** AT command engine over one modem UART. */
export class AtChat {
  /** URC sink: called (on the next turn) with each URC line (leading junk stripped); after `+CMT:`/`+CBM:` the next call carries the raw body line. */
  onUrc: ((line: string) => void) | null = null;
  /** Late-result guard after a timeout or abort, ms (default 300). */
  lateResultGuardMs = AT_LATE_RESULT_GUARD_MS;
  /** Extra URC prefixes for a chip profile (checked after AT_URC_PREFIXES). */
  // Stryker disable next-line ArrayDeclaration: a default that only a line starting "Stryker was here" could tell apart
  extraUrcPrefixes: readonly string[] = [];
  /** Final results dropped as late results of timed-out / aborted commands (count). */
  lateResultsDropped = 0;
  /**
   * Observer of every completed command (after its own `done`): the command text and how it ended.
   * The modem lifecycle counts consecutive timeouts here. Never sees refused (invalid) commands.
   */
  onCommandDone: ((command: string, outcome: AtOutcome) => void) | null = null;
  /**
   * Receiver of NMEA sentences the modem's own GNSS sends on this UART (AT+CGNSSTST=1 /
   * AT+CGNSTST=1): every line starting with '$' (outside a data block) goes here, never to a
   * response or `onUrc`, called synchronously. Null: such lines are classified as any other.
   */
  onNmeaLine: ((line: string) => void) | null = null;

  readonly #port: SerialPort;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #reader: AtLineReader;
  readonly #allowed: (command: string) => boolean;
  readonly #queue: Pending[] = [];
  #inflight: Pending | null = null;
  #inflightPrefix = "";
  // Stryker disable next-line ArrayDeclaration: reset by #pump before any command's line is kept
  #lines: string[] = [];
  // Stryker disable next-line BooleanLiteral: set by #pump for every command before a prompt can be taken
  #awaitingPrompt = false;
  #timer: TimerHandle | undefined = undefined;
  /** Next line is raw data: "response" (dataAfterPrefix) or "urc" (+CMT body). */
  #dataNext: "" | "response" | "urc" = "";
  /** Guard window after a timeout / abort: queue held, first final result dropped. */
  #guardTimer: TimerHandle | undefined = undefined;
  #guardActive = false;
  /** Response prefix of the last timed-out / aborted command, "" when none. */
  #stalePrefix = "";
  /** Drop the next final result while a command is in flight (it closes a stale command). */
  #swallowFinal = false;
  #tx: Uint8Array = new Uint8Array(64);
  /** Callbacks not run yet, in order (see "Callbacks" above). */
  readonly #events: AtEvent[] = [];
  #eventTimer: TimerHandle | undefined = undefined;

  /**
   * Takes over `port.onReceive`. `allowed`: which command texts may be sent (default: the
   * firmware's AT allow list, at-allow-list.ts; the chat's own tests pass a wider one).
   */
  constructor(port: SerialPort, clock: Clock, log: Logger, allowed: (command: string) => boolean = isAllowedAtCommand) {
    this.#port = port;
    this.#clock = clock;
    this.#log = log;
    this.#allowed = allowed;
    const reader = new AtLineReader();
    // Stryker disable next-line BooleanLiteral: a prompt while no command waits for one is ignored by #onPrompt
    reader.promptArmed = false;
    reader.onLine = (line, blankBefore) => this.#onLine(line, blankBefore);
    reader.onPrompt = () => this.#onPrompt();
    reader.onData = (data) => this.#onData(data);
    this.#reader = reader;
    port.onReceive = (chunk) => reader.push(chunk);
  }

  /** True while a command is in flight. */
  get busy(): boolean {
    return this.#inflight !== null;
  }

  /** Commands waiting behind the one in flight. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Lines cut by the line reader for exceeding 512 bytes (count). */
  get linesCut(): number {
    return this.#reader.linesCut;
  }

  /**
   * Queue a command; `done` is called exactly once (synchronously with outcome "error" and error
   * "invalid command" when the command text holds control characters or is empty, or "not allowed"
   * when it is not on the allow list, at-allow-list.ts).
   */
  send(request: AtRequest, done: (response: AtResponse) => void): void {
    const command = request.command;
    let valid = command.length > 0;
    for (let i = 0; valid && i < command.length; i++) {
      const c = command.charCodeAt(i);
      if (c < 0x20 || c === 0x7f || c > 0xff) valid = false;
    }
    if (!valid) {
      this.#log.log("warn", TAG, "refused invalid command text");
      this.#call(done, { outcome: "error", lines: [], error: "invalid command", payloadSent: false });
      return;
    }
    if (!this.#allowed(command)) {
      // the one place every command passes: nothing off the list ever reaches the modem
      this.#log.log("error", TAG, "refused a command not on the allow list: " + atTextForLog(command));
      this.#call(done, { outcome: "error", lines: [], error: "not allowed", payloadSent: false });
      return;
    }
    this.#queue.push({ request, done });
    this.#pump();
  }

  /** Complete the in-flight and all queued commands with "aborted" (e.g. after a modem reboot). */
  abortAll(): void {
    const pending = this.#queue.splice(0, this.#queue.length);
    if (this.#inflight) this.#finish({ outcome: "aborted", error: "" }, true);
    for (let i = 0; i < pending.length; i++) {
      this.#complete(pending[i], { outcome: "aborted", lines: [], error: "", payloadSent: false }, false);
    }
  }

  #pump(): void {
    if (this.#inflight || this.#guardActive || this.#events.length > 0 || this.#queue.length === 0) return;
    const next = this.#queue.shift()!;
    const request = next.request;
    this.#inflight = next;
    this.#inflightPrefix = atResponsePrefix(request.command);
    if (this.#stalePrefix === this.#inflightPrefix) this.#stalePrefix = "";
    this.#lines = [];
    this.#dataNext = this.#dataNext === "urc" ? "urc" : "";
    this.#awaitingPrompt = request.payload !== undefined;
    this.#reader.promptArmed = this.#awaitingPrompt;
    const timeoutMs = request.timeoutMs !== undefined && request.timeoutMs >= 0 ? request.timeoutMs : AT_DEFAULT_TIMEOUT_MS;
    this.#timer = this.#clock.setTimer(() => this.#onTimeout(next), timeoutMs);
    this.#log.log("debug", TAG, ">> " + atTextForLog(request.command));
    this.#write(request.command);
  }

  #write(command: string): void {
    const length = command.length + 1;
    if (this.#tx.length < length) this.#tx = new Uint8Array(length + 32);
    const tx = this.#tx;
    // Stryker disable next-line EqualityOperator: one past the end writes 0 where the CR then goes
    for (let i = 0; i < command.length; i++) tx[i] = command.charCodeAt(i) & 0xff;
    tx[command.length] = 0x0d;
    this.#port.write(tx.subarray(0, length));
  }

  #onTimeout(which: Pending): void {
    // Stryker disable next-line ConditionalExpression: defensive: #finish clears the timer of the command it ends
    if (this.#inflight !== which) return;
    this.#timer = undefined;
    this.#log.log("warn", TAG, "timeout: " + atTextForLog(which.request.command));
    this.#finish({ outcome: "timeout", error: "" }, true);
  }

  /** Complete the in-flight command. `stale`: its final result may still come (timeout/abort). */
  #finish(final: Final, stale: boolean): void {
    const pending = this.#inflight;
    // Stryker disable next-line ConditionalExpression: defensive: every caller checks that a command is in flight
    if (!pending) return;
    this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const lines = this.#lines;
    // Stryker disable next-line ArrayDeclaration: reset by #pump before the next command's lines
    this.#lines = [];
    this.#inflight = null;
    const payloadSent = pending.request.payload !== undefined && !this.#awaitingPrompt;
    if (this.#dataNext === "response") this.#dataNext = "";
    this.#swallowFinal = false;
    if (stale) {
      if (this.#awaitingPrompt) {
        // The prompt may still come: ESC makes the modem drop the half-entered message.
        const esc = new Uint8Array(1);
        esc[0] = ESC;
        this.#port.write(esc);
      }
      this.#stalePrefix = this.#inflightPrefix;
      this.#startGuard();
    } else {
      this.#stalePrefix = "";
    }
    this.#awaitingPrompt = false;
    this.#reader.promptArmed = false;
    this.#inflightPrefix = "";
    this.#complete(pending, { outcome: final.outcome, lines, error: final.error, payloadSent }, true);
  }

  /** Queue the call of `pending.done` (and of onCommandDone when `observed`) for the next turn. */
  #complete(pending: Pending, response: AtResponse, observed: boolean): void {
    this.#queueEvent({ pending, response, observed });
  }

  #queueEvent(event: AtEvent): void {
    this.#events.push(event);
    if (this.#eventTimer === undefined) this.#eventTimer = this.#clock.setTimer(() => this.#runEvents(), 0);
  }

  /** From a fresh turn: the queued URCs and ended commands in order, then the next queued command. */
  #runEvents(): void {
    this.#eventTimer = undefined;
    const events = this.#events;
    while (events.length > 0) {
      const event = events.shift()!;
      if ("urc" in event) {
        const onUrc = this.onUrc;
        if (!onUrc) continue;
        try {
          onUrc(event.urc);
        } catch (e) {
          this.#log.log("error", TAG, "onUrc threw: " + String(e));
        }
        continue;
      }
      this.#call(event.pending.done, event.response);
      const observer = this.onCommandDone;
      if (event.observed && observer) {
        try {
          observer(event.pending.request.command, event.response.outcome);
        } catch (e) {
          this.#log.log("error", TAG, "onCommandDone threw: " + String(e));
        }
      }
    }
    this.#pump();
  }

  #startGuard(): void {
    this.#clock.clearTimer(this.#guardTimer);
    this.#guardActive = true;
    this.#guardTimer = this.#clock.setTimer(() => {
      this.#guardTimer = undefined;
      this.#endGuard();
    }, this.lateResultGuardMs);
  }

  #endGuard(): void {
    this.#clock.clearTimer(this.#guardTimer);
    this.#guardTimer = undefined;
    this.#guardActive = false;
    this.#pump();
  }

  #onPrompt(): void {
    const pending = this.#inflight;
    this.#reader.promptArmed = false;
    if (!pending || !this.#awaitingPrompt) return;
    this.#awaitingPrompt = false;
    const payload = pending.request.payload;
    this.#log.log("debug", TAG, "<< > (sending payload, " + (payload ? payload.length : 0) + " bytes)");
    if (payload) this.#port.write(payload);
  }

  #onLine(line: string, blankBefore: boolean): void {
    const dataNext = this.#dataNext;
    if (dataNext !== "") {
      // Raw data line. An empty body shows as a blank line before a final result / URC: then the
      // line is classified normally.
      const key = blankBefore ? cleanKey(line) : "";
      if (!blankBefore || (finalOf(key) === undefined && !this.#isUrc(key))) {
        this.#dataNext = "";
        this.#log.log("debug", TAG, "<< [data, " + line.length + " bytes]");
        if (dataNext === "response" && this.#inflight) this.#lines.push(line);
        else this.#emitUrc(line, true);
        return;
      }
      this.#dataNext = "";
    }
    const nmea = this.onNmeaLine;
    if (nmea !== null && line.charCodeAt(0) === 0x24) {
      // GNSS output between other lines ("$GPRMC,..."): never part of a response
      try {
        nmea(line);
      } catch (e) {
        this.#log.log("error", TAG, "NMEA receiver threw: " + String(e));
      }
      return;
    }
    const key = cleanKey(line);
    if (key.length === 0) return;
    const pending = this.#inflight;
    if (!pending) {
      this.#lineWhileIdle(key);
      return;
    }
    if (key === pending.request.command) {
      this.#log.log("debug", TAG, "<< (echo)");
      return;
    }
    this.#log.log("debug", TAG, "<< " + atTextForLog(key));
    const final = finalOf(key);
    if (final) {
      if (this.#swallowFinal) {
        this.#swallowFinal = false;
        this.lateResultsDropped++;
        this.#log.log("debug", TAG, "dropped late final result of a timed-out command");
        return;
      }
      this.#finish(final, false);
      return;
    }
    const ownPrefix = this.#inflightPrefix;
    if (ownPrefix !== "" && key.startsWith(ownPrefix)) {
      this.#lines.push(key);
      this.#armData(pending.request, key);
      return;
    }
    const stale = this.#stalePrefix;
    if (stale !== "" && key.startsWith(stale)) {
      // A late response line of the command that timed out: its final result follows.
      this.#stalePrefix = "";
      this.#swallowFinal = true;
      this.#log.log("debug", TAG, "dropped late response line of a timed-out command");
      return;
    }
    if (this.#isUrc(key)) {
      this.#emitUrc(key);
      return;
    }
    this.#lines.push(line);
    this.#armData(pending.request, key);
  }

  /** After a line announcing data (`dataAfterPrefix`): take the data as a block of the announced length, else the next line raw. */
  #armData(request: AtRequest, key: string): void {
    const prefix = request.dataAfterPrefix;
    if (prefix === undefined || prefix === "" || !key.startsWith(prefix)) return;
    const lengths = request.dataLengths?.(key);
    if (lengths !== undefined) {
      if (lengths.length === 0) return; // no data after this one
      this.#reader.expectData(lengths);
      if (this.#reader.takingData) return;
    }
    this.#dataNext = "response";
  }

  /** A data block the reader took (see #armData): part of the response in flight. */
  #onData(data: string): void {
    this.#log.log("debug", TAG, "<< [data, " + data.length + " bytes]");
    if (this.#inflight) this.#lines.push(data);
  }

  #lineWhileIdle(key: string): void {
    if (this.#guardActive) {
      if (finalOf(key) !== undefined) {
        this.lateResultsDropped++;
        this.#log.log("debug", TAG, "<< " + atTextForLog(key) + " (late result dropped)");
        this.#stalePrefix = "";
        this.#endGuard();
        return;
      }
      if (this.#stalePrefix !== "" && key.startsWith(this.#stalePrefix)) {
        this.#log.log("debug", TAG, "<< (late response line dropped)");
        return;
      }
    }
    this.#log.log("debug", TAG, "<< " + atTextForLog(key));
    this.#emitUrc(key);
  }

  #isUrc(key: string): boolean {
    return startsWithAny(key, AT_URC_PREFIXES) || startsWithAny(key, this.extraUrcPrefixes);
  }

  /** Deliver a URC line; `isData`: it is the raw body line after `+CMT:` / `+CBM:` / PDU `+CDS:`. */
  #emitUrc(line: string, isData = false): void {
    if (!isData && (startsWithAny(line, URC_WITH_DATA) || (line.startsWith("+CDS:") && isPlainNumber(line.slice(5))))) {
      this.#dataNext = "urc";
    }
    this.#queueEvent({ urc: line });
  }

  #call(done: (response: AtResponse) => void, response: AtResponse): void {
    try {
      done(response);
    } catch (e) {
      this.#log.log("error", TAG, "done callback threw: " + String(e));
    }
  }
}

/** True for " 23" / "23": the PDU-mode `+CDS: <length>` form (a PDU line follows). */
function isPlainNumber(text: string): boolean {
  return /^\s*[0-9]+\s*$/.test(text);
}

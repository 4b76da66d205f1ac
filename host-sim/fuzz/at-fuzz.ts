/**
 * Fuzz of the firmware's AT path: the line reader and chat engine (fed in random chunks while
 * commands with and without payloads are in flight) and every response parser on every line.
 * Inputs are Gammu's real answers (../shared/corpus/at/gammu, when present) and typical modem
 * output, mutated: bit flips, truncation, insertions, random bytes, CR/LF/NUL storms, huge lines.
 * Property: nothing throws, and every command completes exactly once.
 *
 * Every tenth case is a stored SMS whose body holds lines that look like modem output (final
 * results, URCs, headers), read in text mode (AT+CMGR / AT+CMGL with CSDH=1 headers) or in PDU
 * mode (a garbled PDU line), for a random modem profile (its own boot, power-down and URC lines in
 * the bodies, its extra URC prefixes in the chat): property: the command completes once, "ok", with the body as its data
 * (whole, line breaks included, in text mode), and no line of a body ever reaches the URC handler.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AtChat, type AtResponse } from "../../src/modem/at-chat.ts";
import {
  parseCdsi, parseCmgrTextHeader, parseCmgs, parseCmti, parseCpin, parseCreg, parseCsq, parseScts, splitAtFields, splitFields, textBodyLengths,
} from "../../src/modem/at-fields.ts";
import { parseCnmiSupport, parseCpmsRead, parseCpmsSupport, parseCsca } from "../../src/modem/at-capabilities.ts";
import type { Clock, Logger, SerialPort, TimerHandle } from "../../src/platform/ports.ts";
import { MODEM_PROFILES, type ModemProfile } from "../../src/modem/profiles.ts";
import { Random } from "../random.ts";
import { GAMMU_CORPUS_DIR } from "./pdu-fuzz.ts";

/** Typical modem output the mutations start from when the corpus is absent (and alongside it). */
const BUILTIN_SEEDS: readonly string[] = Object.freeze([
  "\r\nOK\r\n",
  "\r\nERROR\r\n",
  "\r\n+CME ERROR: SIM not inserted\r\n",
  "\r\n+CMS ERROR: 500\r\n",
  '\r\n+CMTI: "SM",3\r\n',
  "\r\n+CREG: 2,1,\"4CA\",\"81DE445\",7\r\n\r\nOK\r\n",
  "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n",
  "\r\n+CSQ: 18,99\r\n\r\nOK\r\n",
  "\r\n> ",
  "\r\n+CMGS: 12\r\n\r\nOK\r\n",
  '\r\n+CMGR: "REC UNREAD","+14085550199","","26/11/24,22:15:27+08",145,4,0,0,"+14085550000",145,5\r\nWHERE\r\n\r\nOK\r\n',
  "\r\n+CMGR: 0,,24\r\n07914180550500F0040B914180550591F9000062114222514400055764515A04\r\n\r\nOK\r\n",
  '\r\n+CPMS: "SM",3,30,"SM",3,30,"SM",3,30\r\n\r\nOK\r\n',
  "\r\n*ATREADY: 1\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n",
  "RDY\r\r\n+CFUN: 1\r\r\n",
]);

const COMMANDS: readonly string[] = Object.freeze(["AT", "AT+CREG?", "AT+CPIN?", "AT+CSQ", "AT+CMGR=3", "AT+CMGL=4", "AT+CPMS?", "AT+CMGS=24"]);

/** Lines a sender can type that look like modem output: every final result, URCs, response headers. */
const LOOK_ALIKES: readonly string[] = Object.freeze([
  "OK", "ERROR", "+CME ERROR: 10", "+CMS ERROR: 500", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE",
  "RDY", "NORMAL POWER DOWN", "+CPIN: NOT READY", "+CPIN: READY", '+CMTI: "SM",3', "+CMT: ,24", "SMS DONE", "PB DONE",
  "+CREG: 0", "+CFUN: 1", "*ATREADY: 1", "> ", "+CMGS: 7", '+CMGL: 9,"REC UNREAD","+1","","26/11/24,22:15:27+08",145,2',
  '+CMGR: "REC READ","+1","","26/11/24,22:15:27+08",145,4,0,0,"+1",145,2', "AT+CMGD=1", "WHERE",
]);
const BREAKS: readonly string[] = Object.freeze(["\r\n", "\n", "\r", "\r\n\r\n", ""]);

/** A profile's own modem output: its boot, SMS-ready, SIM-removed and power-down lines, and its extra URC prefixes. */
function profileLookAlikes(profile: ModemProfile): string[] {
  return [...profile.bootUrcs, profile.smsReadyUrc, ...profile.simRemovedUrcs, ...profile.powerDownUrcs, ...profile.extraUrcPrefixes.map((p) => `${p} 1`)];
}

/** A text-mode body (GSM character set: bytes below 0x80, no ESC) made of look-alike lines, the profile's among them. */
function lookAlikeBody(r: Random, profile: ModemProfile): string {
  const own = profileLookAlikes(profile);
  let body = "";
  for (let n = r.int(1, 5); n > 0; n--) {
    const line = r.next() < 0.3 ? own[r.int(0, own.length - 1)]! : LOOK_ALIKES[r.int(0, LOOK_ALIKES.length - 1)]!;
    body += (r.next() < 0.5 ? BREAKS[r.int(0, BREAKS.length - 1)]! : "") + line + BREAKS[r.int(0, BREAKS.length - 1)]!;
  }
  return body.slice(0, 160);
}

/**
 * One body case: the command, the modem's answer (latin1), and the data the response must carry
 * (text: the bodies; PDU: the line after the header).
 */
function bodyCase(r: Random, profile: ModemProfile): { command: string; answer: string; data: string[]; text: boolean } {
  const header = (body: string) => `"REC UNREAD","+14085550199","","26/11/24,22:15:27+08",145,4,0,0,"+14085550000",145,${body.length}`;
  switch (r.int(0, 2)) {
    case 0: {
      const body = lookAlikeBody(r, profile);
      return { command: "AT+CMGR=3", answer: `\r\n+CMGR: ${header(body)}\r\n${body}\r\n\r\nOK\r\n`, data: [body], text: true };
    }
    case 1: {
      const bodies = Array.from({ length: r.int(1, 3) }, () => lookAlikeBody(r, profile));
      let answer = "\r\n";
      bodies.forEach((body, i) => (answer += `+CMGL: ${i + 1},"REC UNREAD","+14085550199","","26/11/24,22:15:27+08",145,${body.length}\r\n${body}\r\n`));
      return { command: 'AT+CMGL="ALL"', answer: answer + "\r\nOK\r\n", data: bodies, text: true };
    }
    default: {
      const pool = [...LOOK_ALIKES, ...profileLookAlikes(profile)];
      const line = pool[r.int(0, pool.length - 1)]!.trim();
      return { command: "AT+CMGR=3", answer: `\r\n+CMGR: 0,,24\r\n${line}\r\n\r\nOK\r\n`, data: [line], text: false };
    }
  }
}

/** Run one body case on a fresh chat set up for one modem profile (its extra URC prefixes); throws when the property does not hold. */
function checkBodyCase(r: Random): Uint8Array {
  const profile = MODEM_PROFILES[r.int(0, MODEM_PROFILES.length - 1)]!;
  const c = bodyCase(r, profile);
  const clock = new FuzzClock();
  const port: SerialPort = { write() {}, onReceive: null };
  const chat = new AtChat(port, clock, quiet);
  chat.extraUrcPrefixes = profile.extraUrcPrefixes;
  const urcs: string[] = [];
  chat.onUrc = (line) => urcs.push(line);
  const responses: AtResponse[] = [];
  const prefix = c.command.startsWith("AT+CMGL") ? "+CMGL:" : "+CMGR:";
  chat.send({ command: c.command, timeoutMs: 5000, dataAfterPrefix: prefix, ...(c.text ? { dataLengths: textBodyLengths } : {}) }, (response) => responses.push(response));
  const input = Uint8Array.from(c.answer, (ch) => ch.charCodeAt(0) & 0xff);
  for (let i = 0; i < input.length; ) {
    const size = r.int(1, 64);
    port.onReceive?.(input.subarray(i, i + size));
    i += size;
  }
  clock.advance(0);
  if (responses.length !== 1) throw new Error(`${c.command} completed ${responses.length} times`);
  const response = responses[0]!;
  if (response.outcome !== "ok") throw new Error(`${c.command} ended ${response.outcome} ${response.error}`);
  // header, data, header, data, ...
  const data = response.lines.filter((_, i) => i % 2 === 1);
  if (JSON.stringify(data) !== JSON.stringify(c.data)) throw new Error(`data ${JSON.stringify(data)} instead of ${JSON.stringify(c.data)}`);
  if (urcs.length > 0) throw new Error(`body lines reached the URC handler: ${JSON.stringify(urcs)}`);
  return input;
}

/** Every modem answer in the corpus, as text (latin1), CR LF framed. */
export function corpusAnswers(dir = GAMMU_CORPUS_DIR): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const sub of readdirSync(dir)) {
    const path = join(dir, sub);
    if (!existsSync(path) || sub.includes(".")) continue;
    for (const file of readdirSync(path)) {
      if (file.endsWith(".dump")) out.push(readFileSync(join(path, file), "latin1").replace(/\r?\n/g, "\r\n"));
    }
  }
  return out;
}

/** A clock whose timers only fire when the fuzzer advances it. */
class FuzzClock implements Clock {
  nowMs = 0;
  timers: { dueMs: number; callback: () => void }[] = [];
  monotonicMs() {
    return this.nowMs;
  }
  utcMs() {
    return undefined;
  }
  setUtcMs() {}
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer = { dueMs: this.nowMs + delayMs, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimer(handle: TimerHandle | undefined) {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  advance(ms: number) {
    this.nowMs += ms;
    for (;;) {
      const due = this.timers.filter((t) => t.dueMs <= this.nowMs).sort((a, b) => a.dueMs - b.dueMs)[0];
      if (!due) return;
      this.timers = this.timers.filter((t) => t !== due);
      due.callback();
    }
  }
}

function mutate(text: string, r: Random): Uint8Array {
  const bytes = Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  const kind = r.int(0, 7);
  const at = () => r.int(0, bytes.length);
  switch (kind) {
    case 0: // bit flips
      for (let i = r.int(1, 4); i > 0 && bytes.length; i--) bytes[r.int(0, bytes.length - 1)]! ^= 1 << r.int(0, 7);
      break;
    case 1: // truncate
      bytes.length = at();
      break;
    case 2: // insert random bytes
      bytes.splice(at(), 0, ...Array.from({ length: r.int(1, 16) }, () => r.int(0, 255)));
      break;
    case 3: // delete a run
      bytes.splice(at(), r.int(1, 16));
      break;
    case 4: // framing storm
      bytes.splice(at(), 0, ...Array.from({ length: r.int(1, 12) }, () => [0x0d, 0x0a, 0x00, 0x3e, 0x20][r.int(0, 4)]!));
      break;
    case 5: // a very long line
      bytes.splice(at(), 0, ...Array.from({ length: r.int(500, 3000) }, () => 0x41 + r.int(0, 25)));
      break;
    case 6: // pure noise
      return Uint8Array.from({ length: r.int(0, 200) }, () => r.int(0, 255));
    default: // unchanged
      break;
  }
  return Uint8Array.from(bytes);
}

/** Apply every parser to a line; any throw propagates. */
function parseAll(line: string): void {
  splitAtFields(line);
  splitFields(line);
  parseCmti(line);
  parseCdsi(line);
  parseCreg(line, true);
  parseCreg(line, false);
  parseCpin(line);
  parseCsq(line);
  parseCmgs(line);
  parseCmgrTextHeader(line);
  parseScts(line);
  parseCpmsRead(line);
  parseCpmsSupport(line);
  parseCnmiSupport(line);
  parseCsca(line);
}

const quiet: Logger = { log() {} };

/**
 * Run `count` cases from `seed`. `report` gets a start line, each failure and a summary. Returns
 * the cases run and the failures (input hex and what went wrong).
 */
export function fuzzAt(count: number, seed: number, report: (line: string) => void, corpusDir = GAMMU_CORPUS_DIR): { cases: number; failures: string[] } {
  const corpus = corpusAnswers(corpusDir);
  const seeds = [...corpus, ...BUILTIN_SEEDS];
  report(`AT fuzz: ${count} cases, seed ${seed}, ${corpus.length} corpus answers${corpus.length === 0 ? " (corpus absent: built-in seeds only)" : ""}`);
  const failures: string[] = [];
  const started = Date.now();
  let bytesFed = 0;
  // One engine for many cases (state carries over, as on a long-running device); renewed now and then.
  let clock = new FuzzClock();
  const lines: string[] = [];
  let port: SerialPort = { write() {}, onReceive: null };
  let chat = new AtChat(port, clock, quiet);
  let outstanding = 0;
  const renew = () => {
    clock = new FuzzClock();
    port = { write() {}, onReceive: null };
    chat = new AtChat(port, clock, quiet);
    chat.onUrc = (line) => lines.push(line);
    outstanding = 0;
  };
  renew();
  let k = 0;
  for (; k < count && failures.length < 20; k++) {
    if (k % 5000 === 0) renew();
    const r = new Random((seed * 0x9e3779b1 + k) >>> 0);
    if (k % 10 === 9) {
      try {
        bytesFed += checkBodyCase(r).length;
      } catch (e) {
        const failure = `case ${k} (body look-alikes): ${(e as Error).message ?? String(e)}`;
        failures.push(failure);
        report(`  FAIL ${failure}`);
      }
      continue;
    }
    const input = mutate(seeds[r.int(0, seeds.length - 1)]!, r);
    bytesFed += input.length;
    try {
      if (outstanding < 2) {
        const command = COMMANDS[r.int(0, COMMANDS.length - 1)]!;
        const payload = command.startsWith("AT+CMGS") ? Uint8Array.of(0x30, 0x30, 0x1a) : undefined;
        let calls = 0;
        outstanding++;
        chat.send({ command, payload, timeoutMs: 5000, dataAfterPrefix: command.startsWith("AT+CMGR") ? "+CMGR:" : undefined }, (response: AtResponse) => {
          calls++;
          outstanding--;
          if (calls > 1) throw new Error(`${command} completed ${calls} times`);
          for (const line of response.lines) parseAll(line);
        });
      }
      for (let i = 0; i < input.length; ) {
        const size = r.int(1, 64);
        port.onReceive?.(input.subarray(i, i + size));
        i += size;
      }
      for (const line of lines.splice(0)) parseAll(line);
      if (r.next() < 0.2) clock.advance(r.int(0, 6000));
    } catch (e) {
      const hex = Array.from(input, (b) => b.toString(16).padStart(2, "0")).join("");
      const failure = `case ${k}: ${(e as Error).message ?? String(e)} — input ${hex}`;
      failures.push(failure);
      report(`  FAIL ${failure}`);
      renew();
    }
  }
  const seconds = (Date.now() - started) / 1000;
  report(`AT fuzz: ${k} cases, ${(bytesFed / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (${Math.round(k / Math.max(seconds, 1e-3))} cases/s), ${failures.length} failure(s)`);
  return { cases: k, failures };
}

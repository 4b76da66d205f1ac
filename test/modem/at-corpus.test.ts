/**
 * Real modem answers from Gammu's test dumps (../shared/corpus/at/gammu, read at test time, never
 * copied), fed byte for byte through the firmware's own AT path (line reader + chat engine) and
 * then its parsers. Valid variants must parse; corner cases must be rejected or read, never throw.
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { AtChat, type AtResponse } from "../../src/modem/at-chat.ts";
import { parseCmgrTextHeader, parseCreg } from "../../src/modem/at-fields.ts";
import { parseCnmiSupport, parseCpmsSupport, parseCsca, supportsCmtiIndication } from "../../src/modem/at-capabilities.ts";
import { decodePdu } from "../../src/sms/pdu/pdu-decode.ts";
import { CHUNKINGS, FakeClock, FakePort, RecordingLogger } from "./fakes.ts";

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), "../../../shared/corpus/at/gammu");

function dumps(dir: string): string[] {
  const path = join(CORPUS, dir);
  return existsSync(path) ? readdirSync(path).filter((f) => f.endsWith(".dump")).sort().map((f) => join(dir, f)) : [];
}

/** Run the dump's command through AtChat and feed the dump's bytes as the modem's answer. */
function replay(file: string, chunking: (typeof CHUNKINGS)[number]): { command: string; response: AtResponse | undefined } {
  const text = readFileSync(join(CORPUS, file), "latin1");
  const firstBreak = text.search(/[\r\n]/);
  const first = firstBreak < 0 ? text : text.slice(0, firstBreak);
  const hasEcho = /^AT/i.test(first.trim());
  const command = hasEcho ? first.trim() : "AT+CUSD=1";
  const port = new FakePort();
  port.chunker = chunking.make();
  const clock = new FakeClock();
  const chat = new AtChat(port, clock, new RecordingLogger(), () => true); // (the corpus has test forms such as AT+CPMS=?)
  chat.onUrc = () => {};
  let response: AtResponse | undefined;
  const dataAfterPrefix = command.startsWith("AT+CMGR") ? "+CMGR:" : undefined;
  chat.send({ command, dataAfterPrefix }, (r) => (response = r));
  // The modem echoes the command with CR, then frames each line with CR LF, as on the UART.
  const body = (hasEcho ? text.slice(firstBreak) : text).replace(/\r?\n/g, "\r\n");
  port.push((hasEcho ? first + "\r" : "") + body);
  clock.advance(0); // (the chat calls done on its next turn)
  return { command, response };
}

const chunking = CHUNKINGS[2]!; // chunks of 7: lines split across chunks, as on a real UART

describe("modem corpus: Gammu's real AT answers through the firmware's AT path", function () {
  before(function () {
    if (!existsSync(CORPUS)) this.skip(); // fresh clone without ../shared: nothing to read
  });

  it("finds the corpus (skips with this message when ../shared/corpus/at is absent)", () => {
    expect(dumps("at-creg").length + dumps("at-cpms").length).to.be.greaterThan(5);
  });

  it("AT+CREG? variants: every answer with a +CREG line parses to a status", () => {
    for (const file of dumps("at-creg")) {
      const { response } = replay(file, chunking);
      expect(response?.outcome, file).to.equal("ok");
      const line = response!.lines.find((l) => l.startsWith("+CREG"));
      if (line) expect(parseCreg(line, true)?.stat, file).to.be.a("number");
    }
  });

  it("AT+CREG? corner cases (empty LAC, broken quotes) are read or rejected, never thrown", () => {
    for (const file of dumps("at-creg-corner")) {
      const { response } = replay(file, chunking);
      expect(response?.outcome, file).to.equal("ok");
      for (const line of response!.lines) expect(() => parseCreg(line, true), file).to.not.throw();
    }
  });

  it("AT+CPMS=? variants: storages listed, the empty and malformed ones rejected or read", () => {
    for (const file of [...dumps("at-cpms"), ...dumps("at-cpms-sm"), ...dumps("at-cpms-sr")]) {
      const { response } = replay(file, chunking);
      expect(response?.outcome, file).to.equal("ok");
      const line = response!.lines.find((l) => l.startsWith("+CPMS"));
      expect(line, file).to.be.a("string");
      const support = parseCpmsSupport(line!);
      if (file.includes("samsung-j700")) expect(support, file).to.equal(undefined);
      else expect(support?.[0], file).to.include.oneOf(["SM", "ME"]);
    }
  });

  it("AT+CNMI=? variants: the indication the tracker sets (2,1) is recognised where offered", () => {
    for (const file of dumps("at-cnmi")) {
      const { response } = replay(file, chunking);
      const line = response!.lines.find((l) => l.startsWith("+CNMI"));
      const support = parseCnmiSupport(line!);
      expect(support, file).to.have.length(5);
      expect(supportsCmtiIndication(support!), file).to.equal(true);
    }
  });

  it("AT+CSCA? variants: plain and UCS-2 hex numbers read, an empty one rejected", () => {
    const read = dumps("at-smsc").map((file) => parseCsca(replay(file, chunking).response!.lines.find((l) => l.startsWith("+CSCA"))!));
    expect(read.map((r) => r?.number)).to.deep.equal(["+97254120032", "+79168999100", "6281100000", "+447802092035"]);
    for (const file of dumps("at-smsc-failing")) {
      const line = replay(file, chunking).response!.lines.find((l) => l.startsWith("+CSCA"))!;
      expect(parseCsca(line), file).to.equal(undefined);
    }
  });

  it("AT+CMGR in PDU mode: every at-sms dump decodes through the chat engine; every at-sms-failing one is rejected", () => {
    for (const file of dumps("at-sms")) {
      const { response } = replay(file, chunking);
      expect(response?.outcome, file).to.equal("ok");
      const at = response!.lines.findIndex((l) => l.startsWith("+CMGR:"));
      const pdu = decodePdu(response!.lines[at + 1] ?? "");
      expect(pdu.kind, `${file}: ${"error" in pdu ? pdu.error : ""}`).to.not.equal("error");
    }
    for (const file of dumps("at-sms-failing")) {
      const { response } = replay(file, chunking);
      const at = response?.lines.findIndex((l) => l.startsWith("+CMGR:")) ?? -1;
      const pdu = decodePdu(response?.lines[at + 1] ?? "");
      expect(["error", "unsupported"], file).to.include(pdu.kind);
    }
  });

  it("AT+CMGR in text mode (also with CSDH=1): headers read, sender found", () => {
    for (const file of [...dumps("at-sms-txt"), ...dumps("at-sms-txt-detail")]) {
      const { response } = replay(file, chunking);
      const line = response!.lines.find((l) => /^\+CMGR:/.test(l));
      const header = parseCmgrTextHeader(line!);
      expect(header?.status, file).to.be.a("string");
    }
  });

  it("every other dump (USSD, models, character sets) goes through the chat engine without a throw", () => {
    for (const dir of ["at-ussd", "at-model", "at-cscs-huawei"]) {
      for (const file of dumps(dir)) expect(() => replay(file, chunking), file).to.not.throw();
    }
  });
});

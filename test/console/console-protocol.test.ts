/** The console's line reader and protocol lines (src/console/console-line-reader.ts, console-protocol.ts). */
import { expect } from "chai";
import { ConsoleLineReader, CONSOLE_LINE_MAX, type ConsoleLine } from "../../src/console/console-line-reader.ts";
import { checkLine, errLine, okLine, parseConsoleCommand } from "../../src/console/console-protocol.ts";
import { parseCheck } from "../../host-sim/installer/selftest.ts";
import { parseCnum, parseCusd } from "../../src/console/self-test.ts";

function read(...chunks: string[]): ConsoleLine[] {
  const reader = new ConsoleLineReader();
  const lines: ConsoleLine[] = [];
  reader.onLine = (line) => lines.push(line);
  for (const c of chunks) reader.feed(Uint8Array.from(c, (ch) => ch.charCodeAt(0)));
  return lines;
}

describe("console line reader", () => {
  it("ends lines at CR, LF or CR LF (split across chunks), skipping empty ones", () => {
    expect(read("HELLO\r", "\nSTATUS\nLOCK\r\r\n")).to.deep.equal([{ text: "HELLO" }, { text: "STATUS" }, { text: "LOCK" }]);
  });
  it("applies backspace and DEL as a terminal user means them", () => {
    expect(read("HELX\bLO\r", "LOCKK\x7f\n")).to.deep.equal([{ text: "HELLO" }, { text: "LOCK" }]);
  });
  it("reports an overlong or non-ASCII line as unreadable, without its text, and reads the next one", () => {
    expect(read("A".repeat(CONSOLE_LINE_MAX + 1) + "\nHELLO\n")).to.deep.equal([{ unreadable: "too-long" }, { text: "HELLO" }]);
    expect(read("SET PIN 12\xe934\nHELLO\n")).to.deep.equal([{ unreadable: "not-ascii" }, { text: "HELLO" }]);
    expect(read("A".repeat(CONSOLE_LINE_MAX) + "\n")).to.deep.equal([{ text: "A".repeat(CONSOLE_LINE_MAX) }]);
  });
  it("takes a tab as a blank between words, and any other control character as unreadable", () => {
    expect(read("SET\tPIN 1234\n")).to.deep.equal([{ text: "SET PIN 1234" }]);
    expect(read("SET\x01PIN 1234\nHELLO\n")).to.deep.equal([{ unreadable: "not-ascii" }, { text: "HELLO" }]);
  });
});

describe("console protocol lines", () => {
  it("parses one- and two-word verbs in any case", () => {
    expect(parseConsoleCommand("  set   owner +1 408 555 0199")).to.deep.equal({ verb: "SET OWNER", args: ["+1", "408", "555", "0199"] });
    expect(parseConsoleCommand("factory reset 2468")).to.deep.equal({ verb: "FACTORY RESET", args: ["2468"] });
    expect(parseConsoleCommand("unlock\t2468")).to.deep.equal({ verb: "UNLOCK", args: ["2468"] });
    expect(parseConsoleCommand("   ")).to.equal(undefined);
  });
  it("writes final and check lines on one line, which the host tool reads back", () => {
    expect(okLine()).to.equal("OK");
    expect(errLine("pin", "Wrong PIN.\r\nX")).to.equal("ERR pin: Wrong PIN.  X");
    const line = checkLine({ id: "signal", verdict: "WARN", detail: "-105 dBm", advice: "move the antenna" });
    expect(line).to.equal("+check: WARN signal -105 dBm -- move the antenna");
    expect(parseCheck(line.slice(8))).to.deep.equal({ verdict: "WARN", id: "signal", detail: "-105 dBm", advice: "move the antenna" });
    expect(parseCheck("PASS sim ready")).to.deep.equal({ verdict: "PASS", id: "sim", detail: "ready", advice: "" });
  });
  it("reads the own number from AT+CNUM and the USSD answer", () => {
    expect(parseCnum(['+CNUM: "Own","+14085550100",145'])).to.equal("+14085550100");
    expect(parseCnum(["+CNUM: ,\"\",129"])).to.equal("");
    expect(parseCusd('+CUSD: 0,"Balance 5.00 USD",15')).to.equal("Balance 5.00 USD");
    expect(parseCusd("+CUSD: 4")).to.equal("");
    expect(parseCusd("+CMTI: \"SM\",1")).to.equal(undefined);
  });
});

describe("allow list: the console's modem queries", () => {
  it("allows the identity reads and a short balance code by USSD, never a code that holds a number", async () => {
    const { isAllowedAtCommand } = await import("../../src/modem/at-allow-list.ts");
    for (const ok of ["AT+CGSN", "AT+CGMM", "AT+CGMR", "AT+CNUM", "AT+CSCA?", 'AT+CUSD=1,"*100#",15', 'AT+CUSD=1,"#123#",15', 'AT+CUSD=1,"*123*1#",15']) {
      expect(isAllowedAtCommand(ok), ok).to.equal(true);
    }
    for (const refused of ['AT+CUSD=1,"**21*4085550199#",15', 'AT+CUSD=1,"*123*4085550199#",15', 'AT+CUSD=1,"*100#"', 'AT+CUSD=1,"*1#",15', "AT+CSCA=\"+1\"", "AT+CGSN=1"]) {
      expect(isAllowedAtCommand(refused), refused).to.equal(false);
    }
  });
});

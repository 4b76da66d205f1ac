/**
 * The command parser's exact results: every accepted spelling, the separators, the marks taken off
 * the command word and the arguments, and the printable echo of an unknown word.
 */
import { expect } from "chai";
import { parseCommand, printable, type CommandName } from "../../src/commands/command-parser.ts";

describe("commands/command-parser: exact results", () => {
  const SPELLINGS: ReadonlyArray<readonly [string, CommandName]> = [
    ["WHERE", "WHERE"],
    ["wheres", "WHERE"],
    ["Loc", "WHERE"],
    ["location", "WHERE"],
    ["POS", "WHERE"],
    ["\u{1F4CD}", "WHERE"],
    ["HELP", "HELP"],
    ["?", "HELP"],
    ["claim", "CLAIM"],
    ["ADD", "ADD"],
    ["DEL", "DEL"],
    ["delete", "DEL"],
    ["Remove", "DEL"],
    ["LIST", "LIST"],
    ["users", "LIST"],
    ["PIN", "PIN"],
    ["OWNER", "OWNER"],
    ["Accept", "ACCEPT"],
    ["RESET", "RESET"],
    ["secure", "SECURE"],
    ["ALERTS", "ALERTS"],
    ["alert", "ALERTS"],
    ["WHO", "WHO"],
  ];
  for (const [text, name] of SPELLINGS) {
    it(`${JSON.stringify(text)} is ${name}`, () => {
      expect(parseCommand(text)).to.deep.equal({ kind: "command", name, args: [] });
      expect(parseCommand(`${text} x`)).to.deep.equal({ kind: "command", name, args: ["x"] });
    });
  }

  it("DEL (0x7f) separates words like a blank", () => {
    expect(parseCommand("WHERE\x7fnow")).to.deep.equal({ kind: "command", name: "WHERE", args: ["now"] });
    expect(parseCommand("\x7fHELP\x7f")).to.deep.equal({ kind: "command", name: "HELP", args: [] });
    expect(parseCommand("\x7f")).to.deep.equal({ kind: "empty" });
  });

  it("marks around a command word of marks leave its first mark after the opening ones", () => {
    expect(parseCommand('"??"')).to.deep.equal({ kind: "command", name: "HELP", args: [] });
    expect(parseCommand("(??")).to.deep.equal({ kind: "command", name: "HELP", args: [] });
    expect(parseCommand("\u00bf?")).to.deep.equal({ kind: "command", name: "HELP", args: [] });
  });

  it("arguments lose quotes and sentence marks around them, not brackets, '+' or '-'", () => {
    expect(parseCommand('ADD \u201c+44 7700\u201d "Anna." 1234.')).to.deep.equal({ kind: "command", name: "ADD", args: ["+44", "7700", "Anna", "1234"] });
    expect(parseCommand("ADD (408) 555-0123 \u00bfBob? \u00a11234!")).to.deep.equal({ kind: "command", name: "ADD", args: ["(408)", "555-0123", "Bob", "1234"] });
    expect(parseCommand("DEL \u2018Anna\u2019, 4321;")).to.deep.equal({ kind: "command", name: "DEL", args: ["Anna", "4321"] });
    expect(parseCommand("PIN 1234: 5678?!")).to.deep.equal({ kind: "command", name: "PIN", args: ["1234", "5678"] });
    expect(parseCommand("ADD 'x' a.b")).to.deep.equal({ kind: "command", name: "ADD", args: ["x", "a.b"] });
  });

  it("an argument of marks only is dropped", () => {
    expect(parseCommand('WHERE . "" \u201c\u201d now ...')).to.deep.equal({ kind: "command", name: "WHERE", args: ["now"] });
    expect(parseCommand("HELP ' ?")).to.deep.equal({ kind: "command", name: "HELP", args: [] });
  });

  it("printable keeps printable ASCII but quotes, at most `max` characters", () => {
    expect(printable("a\x01b\x7fc~ d'e\"f\u00e9", 16)).to.equal("abc~ def");
    expect(printable("abcdef", 3)).to.equal("abc...");
    expect(printable("abc", 3)).to.equal("abc");
    expect(printable(" !", 5)).to.equal(" !");
    expect(printable("", 5)).to.equal("");
  });
});

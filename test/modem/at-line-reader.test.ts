import { expect } from "chai";
import { AtLineReader, bytesToLatin1 } from "../../src/modem/at-line-reader.ts";
import { CHUNKINGS, latin1 } from "./fakes.ts";

/** Feed `input` with the given chunking; return the events as strings ("L:" line, "B:" line after blank, "P" prompt). */
function run(input: string | Uint8Array, chunk: () => number, setup?: (r: AtLineReader) => void): { events: string[]; reader: AtLineReader } {
  const reader = new AtLineReader();
  setup?.(reader);
  const events: string[] = [];
  reader.onLine = (line, blankBefore) => events.push((blankBefore ? "B:" : "L:") + line);
  reader.onPrompt = () => events.push("P");
  const bytes = typeof input === "string" ? latin1(input) : input;
  let i = 0;
  const scratch = new Uint8Array(32);
  while (i < bytes.length) {
    const n = Math.max(1, Math.min(chunk(), bytes.length - i, scratch.length));
    scratch.set(bytes.subarray(i, i + n));
    reader.push(scratch.subarray(0, n));
    scratch.fill(0x55); // the driver reuses its buffer
    i += n;
  }
  return { events, reader };
}

interface Case {
  name: string;
  input: string | Uint8Array;
  events: string[];
  setup?: (r: AtLineReader) => void;
  check?: (r: AtLineReader) => void;
}

const long2000 = "X".repeat(2000);
const allBytes = new Uint8Array(256 + 6);
for (let i = 0; i < 256; i++) allBytes[i] = i;
allBytes.set(latin1("\r\nOK\r\n"), 256);

const CASES: Case[] = [
  { name: "CR LF framing", input: "\r\nOK\r\n", events: ["B:OK"] },
  { name: "lone LF and lone CR", input: "A\nB\rC\r\n", events: ["L:A", "L:B", "L:C"] },
  { name: "SIMCom \\r\\r\\n framing counts as one break", input: "\r\r\n+CRING: VOICE\r\r\nX\r\r\n", events: ["B:+CRING: VOICE", "L:X"] },
  { name: "empty lines skipped, blank flag set", input: "+CMGR: 1\r\n\r\n\r\nOK\r\n", events: ["L:+CMGR: 1", "B:OK"] },
  { name: "body right after header has no blank", input: "+CMGR: 1\r\nhello\r\n\r\nOK\r\n", events: ["L:+CMGR: 1", "L:hello", "B:OK"] },
  { name: "prompt at line start", input: "\r\n> ", events: ["P"] },
  { name: "prompt then result", input: "\r\n> \r\n+CMGS: 7\r\n\r\nOK\r\n", events: ["P", "L:+CMGS: 7", "B:OK"] },
  { name: "'> ' inside a line is text", input: "a> b\r\n", events: ["L:a> b"] },
  {
    name: "prompt disarmed: '> x' is a line",
    input: "> x\r\n",
    events: ["L:> x"],
    setup: (r) => {
      r.promptArmed = false;
    },
  },
  { name: "'>' without space is not a prompt", input: ">\r\n", events: ["L:>"] },
  { name: "NUL and 8-bit bytes kept", input: "\x00@\xff\xe4\r\nOK\r\n", events: ["L:\x00@\xff\xe4", "L:OK"] },
  { name: "all 256 byte values", input: allBytes, events: ["L:" + bytesToLatin1(allBytes, 0, 10), "L:" + bytesToLatin1(allBytes, 11, 13), "L:" + bytesToLatin1(allBytes, 14, 256), "L:OK"] },
  {
    name: "2000-char line is cut at 512 and counted; next line intact",
    input: "\r\n" + long2000 + "\r\nOK\r\n",
    events: ["B:" + "X".repeat(512), "L:OK"],
    check: (r) => {
      expect(r.linesCut).to.equal(1);
      expect(r.bytesDropped).to.equal(2000 - 512);
    },
  },
  { name: "unterminated tail stays pending", input: "OK\r\nPART", events: ["L:OK"], check: (r) => expect(r.pendingLength).to.equal(4) },
];

describe("modem/AtLineReader", () => {
  for (const c of CASES) {
    for (const chunking of CHUNKINGS) {
      it(`${c.name} (${chunking.name})`, () => {
        const { events, reader } = run(c.input, chunking.make(), c.setup);
        expect(events).to.deep.equal(c.events);
        c.check?.(reader);
      });
    }
  }

  it("gives identical events for every chunking of a long mixed stream", () => {
    const stream =
      "\r\r\nRDY\r\n\x00\xff\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n> \r\n+CMGS: 12\r\n\r\nOK\r\n" + long2000 + "\r\n+CMTI: \"SM\",3\r\n";
    const results = CHUNKINGS.map((c) => JSON.stringify(run(stream, c.make()).events));
    for (const r of results) expect(r).to.equal(results[0]);
  });

  it("custom maximum length", () => {
    const reader = new AtLineReader(4);
    const lines: string[] = [];
    reader.onLine = (l) => lines.push(l);
    reader.push(latin1("ABCDEFG\r\nHI\r\n"));
    expect(lines).to.deep.equal(["ABCD", "HI"]);
    expect(reader.linesCut).to.equal(1);
  });

  it("reset() drops a partial line", () => {
    const reader = new AtLineReader();
    const lines: string[] = [];
    reader.onLine = (l) => lines.push(l);
    reader.push(latin1("GARB"));
    reader.reset();
    reader.push(latin1("OK\r\n"));
    expect(lines).to.deep.equal(["OK"]);
  });
});

describe("modem/AtLineReader data blocks (text-mode SMS bodies)", () => {
  /** Events, with the block announced by a line starting with "+CMGR:" of the form "+CMGR: <L>" (candidates L and 2L). */
  function withBlocks(input: string, chunk: () => number): string[] {
    const events: string[] = [];
    const reader = new AtLineReader();
    reader.onLine = (line, blankBefore) => {
      events.push((blankBefore ? "B:" : "L:") + line);
      const m = /^\+CMGR: (\d+)$/.exec(line);
      if (m) reader.expectData([Number(m[1]), 2 * Number(m[1])]);
    };
    reader.onData = (data) => events.push("D:" + JSON.stringify(data));
    const bytes = latin1(input);
    for (let i = 0; i < bytes.length; ) {
      const n = Math.max(1, Math.min(chunk(), bytes.length - i));
      reader.push(bytes.slice(i, i + n));
      i += n;
    }
    return events;
  }

  const cases: Array<{ name: string; input: string; events: string[] }> = [
    {
      name: "a body holding line breaks and modem output look-alikes is one block",
      input: "\r\n+CMGR: 21\r\nWHERE\r\nOK\r\nRDY\r\n+CMTI\r\n\r\nOK\r\n",
      events: ["B:+CMGR: 21", 'D:"WHERE\\r\\nOK\\r\\nRDY\\r\\n+CMTI"', "B:OK"],
    },
    {
      name: "hex data (UCS-2, 8-bit, UDH) is twice as long: the block runs on past the shorter length",
      input: "\r\n+CMGR: 4\r\n00480069\r\n\r\nOK\r\n",
      events: ["B:+CMGR: 4", 'D:"00480069"', "B:OK"],
    },
    { name: "an empty body", input: "\r\n+CMGR: 0\r\n\r\nOK\r\n", events: ["B:+CMGR: 0", 'D:""', "L:OK"] },
    { name: "SIMCom's CR CR LF after the header", input: "+CMGR: 3\r\r\nRDY\r\nOK\r\n", events: ["L:+CMGR: 3", 'D:"RDY"', "L:OK"] },
    { name: "a body starting with a line break", input: "+CMGR: 4\r\n\r\nOK\r\nOK\r\n", events: ["L:+CMGR: 4", 'D:"\\r\\nOK"', "L:OK"] },
  ];
  for (const c of cases) {
    for (const chunking of CHUNKINGS) {
      it(`${c.name} (${chunking.name})`, () => expect(withBlocks(c.input, chunking.make())).to.deep.equal(c.events));
    }
  }

  it("lengths beyond the line capacity are not taken: lines as usual", () => {
    const reader = new AtLineReader(16);
    const events: string[] = [];
    reader.onLine = (line) => {
      events.push(line);
      if (line === "+CMGR") reader.expectData([600]);
    };
    reader.push(latin1("+CMGR\r\nA\r\nOK\r\n"));
    expect(events).to.deep.equal(["+CMGR", "A", "OK"]);
    expect(reader.takingData).to.equal(false);
  });
});

import { expect } from "chai";
import { SecretHidingLogger } from "../../src/app/secret-hiding-log.ts";
import { RecordingLogger } from "../modem/fakes.ts";

describe("app/SecretHidingLogger", () => {
  function setup(initial: string[]) {
    const sink = new RecordingLogger();
    let secrets = initial;
    const log = new SecretHidingLogger(sink, () => secrets);
    return {
      sink,
      log,
      setSecrets(next: string[]) {
        secrets = next;
      },
    };
  }

  it("writes every occurrence of a current secret as ****, at every level, and passes the rest as is", () => {
    const { sink, log } = setup(["4711", "123456"]);
    for (const level of ["debug", "info", "warn", "error"] as const) log.log(level, "t", 'echo AT+CPI"4711" then 4711 and 1234567 and 47 11');
    expect(sink.entries.map((e) => e.message)).to.deep.equal(Array(4).fill('echo AT+CPI"****" then **** and ****7 and 47 11'));
    expect(sink.entries.map((e) => e.level)).to.deep.equal(["debug", "info", "warn", "error"]);
    log.log("info", "tag", "nothing secret");
    expect(sink.entries.at(-1)).to.deep.equal({ level: "info", tag: "tag", message: "nothing secret" });
  });

  it("keeps hiding a secret after it was erased from the settings (a late echo of a refused PIN)", () => {
    const { sink, log, setSecrets } = setup(["4711", ""]);
    log.log("debug", "t", "first");
    setSecrets(["", ""]);
    log.log("debug", "t", "late 4711");
    expect(sink.entries.at(-1)!.message).to.equal("late ****");
  });

  it("forgets only the oldest of many changed secrets, never a current one", () => {
    const { sink, log, setSecrets } = setup(["9999", "1111"]);
    log.log("debug", "t", "x");
    for (const pin of ["2222", "3333", "4444", "5555", "6666"]) {
      setSecrets(["9999", pin]);
      log.log("debug", "t", "x");
    }
    log.log("debug", "t", "9999 6666 5555 4444 3333 2222 1111");
    expect(sink.entries.at(-1)!.message).to.equal("**** **** **** **** **** **** 1111");
  });

  it("ignores empty and too short values (no PIN configured)", () => {
    const { sink, log } = setup(["", "12"]);
    log.log("info", "t", "12 34");
    expect(sink.entries.at(-1)!.message).to.equal("12 34");
  });
});

/** The HELP texts, word for word, for each role in and out of secure mode, and HELP <command>. */
import { expect } from "chai";
import { commandHelp, helpReply } from "../../src/commands/help-reply.ts";

const TAIL = "HELP <command> says how.";

describe("commands/help-reply: exact texts", () => {
  it("the owner: every command, in one SMS even with secure mode's note", () => {
    const list = `WHERE, STATUS, TRACK, ARM, DISARM, FENCE, SPEED, LIST, WHO, ALERTS, ADD, DEL, PIN, OWNER, RESET, SECURE, TZ, UNITS. ${TAIL}`;
    expect(helpReply("owner", false)).to.equal(`Commands: ${list}`);
    expect(helpReply("owner", true)).to.equal(`Commands, PIN last: ${list}`);
    expect(helpReply("owner", true)).to.have.length(160);
  });

  it("an admin", () => {
    const list = `WHERE, STATUS, TRACK, ARM, DISARM, FENCE, SPEED, LIST, WHO, ALERTS, ADD, DEL, TZ, UNITS. ${TAIL}`;
    expect(helpReply("admin", false)).to.equal(`Commands: ${list}`);
    expect(helpReply("admin", true)).to.equal(`Commands, PIN last: ${list}`);
  });

  it("a user", () => {
    expect(helpReply("user", false)).to.equal(`Commands: WHERE, STATUS, TRACK, LIST, ALERTS. ${TAIL}`);
    expect(helpReply("user", true)).to.equal(`Commands, PIN last: WHERE, STATUS, TRACK, LIST, ALERTS. ${TAIL}`);
  });

  it("HELP WHERE gives its other spellings", () => {
    expect(commandHelp("user", "WHERE")).to.match(/^WHERE \(or LOC, POS, "where's my car\?", a pin emoji\)/);
  });

  it("HELP <command>: how to use it; HELP, ACCEPT and CLAIM for everyone; the rest by role", () => {
    expect(commandHelp("owner", "ADD")).to.equal(
      "ADD <number> (name) (admin) <PIN>, e.g. ADD +447700900123 Anna 2468. For a number already listed, ADD <number> admin <PIN> (or user) changes its role.",
    );
    expect(commandHelp("admin", "ARM")).to.match(/^ARM: when the parked vehicle moves/);
    expect(commandHelp("user", "ARM")).to.equal("ARM is not for your number. Send HELP for the commands you can use.");
    for (const name of ["HELP", "ACCEPT", "CLAIM"] as const) expect(commandHelp("user", name)).to.match(new RegExp(`^${name}`));
    expect(commandHelp("user", "LIST")).to.match(/^LIST: every number/);
    expect(commandHelp("user", "TRACK")).to.match(/^TRACK <minutes> \(count\) \(distance\)/);
    for (const name of ["FENCE", "SPEED", "TZ", "UNITS"] as const) {
      expect(commandHelp("user", name)).to.equal(`${name} is not for your number. Send HELP for the commands you can use.`);
      expect(commandHelp("admin", name)).to.match(new RegExp(`^${name} <|^${name} METRIC`));
    }
  });
});

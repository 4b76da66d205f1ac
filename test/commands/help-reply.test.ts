/** The HELP texts, word for word, for each role in and out of secure mode, and HELP <command>. */
import { expect } from "chai";
import { commandHelp, helpReply } from "../../src/commands/help-reply.ts";

const WHERE = "WHERE (LOC, POS, where's my car?, pin emoji)";
const SECURE_WHERE = "WHERE (LOC, POS, pin emoji)";

describe("commands/help-reply: exact texts", () => {
  it("the owner", () => {
    const list = "ARM, DISARM, LIST, WHO, ALERTS, ADD, DEL, PIN, OWNER, RESET, SECURE. HELP <command> says how.";
    expect(helpReply("owner", false)).to.equal(`Commands: ${WHERE}, ${list}`);
    expect(helpReply("owner", true)).to.equal(`Commands, each ending with the PIN: ${SECURE_WHERE}, ${list}`);
  });

  it("an admin", () => {
    const list = "ARM, DISARM, LIST, WHO, ALERTS, ADD, DEL. HELP <command> says how.";
    expect(helpReply("admin", false)).to.equal(`Commands: ${WHERE}, ${list}`);
    expect(helpReply("admin", true)).to.equal(`Commands, each ending with the PIN: ${SECURE_WHERE}, ${list}`);
  });

  it("a user", () => {
    expect(helpReply("user", false)).to.equal(`Commands: ${WHERE}, LIST, ALERTS. HELP <command> says how.`);
    expect(helpReply("user", true)).to.equal(`Commands, each ending with the PIN: ${SECURE_WHERE}, LIST, ALERTS. HELP <command> says how.`);
  });

  it("HELP <command>: how to use it; HELP, ACCEPT and CLAIM for everyone; the rest by role", () => {
    expect(commandHelp("owner", "ADD")).to.equal(
      "ADD <number> (name) (admin) <PIN>, e.g. ADD +447700900123 Anna 2468. For a number already listed, ADD <number> admin <PIN> (or user) changes its role.",
    );
    expect(commandHelp("admin", "ARM")).to.match(/^ARM: when the parked vehicle moves/);
    expect(commandHelp("user", "ARM")).to.equal("ARM is not for your number. Send HELP for the commands you can use.");
    for (const name of ["HELP", "ACCEPT", "CLAIM"] as const) expect(commandHelp("user", name)).to.match(new RegExp(`^${name}`));
    expect(commandHelp("user", "LIST")).to.match(/^LIST: every number/);
  });
});

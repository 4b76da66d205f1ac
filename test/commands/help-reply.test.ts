/** The HELP text, word for word, for each role in and out of secure mode. */
import { expect } from "chai";
import { helpReply } from "../../src/commands/help-reply.ts";

const WHERE = "WHERE/LOC/POS/where's it?/pin emoji";
const OWNER = "LIST WHO ALERTS on/off ADD no (name) (admin) PIN DEL no/name PIN PIN old new OWNER no PIN RESET PIN SECURE on/off PIN";

describe("commands/help-reply: exact texts", () => {
  it("the owner", () => {
    expect(helpReply("owner", false)).to.equal(`${WHERE} ${OWNER}`);
    expect(helpReply("owner", true)).to.equal(`WHERE/LOC ${OWNER}. Secure: end all with PIN`);
  });

  it("an admin", () => {
    expect(helpReply("admin", false)).to.equal(`Commands: ${WHERE}, LIST, WHO, ALERTS on/off, ADD number (name) PIN, DEL number/name PIN, HELP.`);
    expect(helpReply("admin", true)).to.equal(`Commands: ${WHERE}, LIST, WHO, ALERTS on/off, ADD number (name) PIN, DEL number/name PIN, HELP. Secure: end all with PIN`);
  });

  it("a user", () => {
    expect(helpReply("user", false)).to.equal(`Commands: ${WHERE} - position, map link. LIST - who uses this tracker. ALERTS on/off. HELP.`);
    expect(helpReply("user", true)).to.equal(`Commands: ${WHERE} - position, map link. LIST - who uses this tracker. ALERTS on/off. HELP. Secure: end all with PIN`);
  });
});

/**
 * The access commands (CLAIM, ADD, DEL, LIST, PIN, OWNER / ACCEPT, RESET, SECURE, ALERTS) and the
 * PIN check behind them, over the real settings, registered numbers, PIN hash and lockout: the exact
 * reply, the notices to other numbers, what is stored, and that the PIN is never echoed or logged.
 */
import { expect } from "chai";
import { AccessCommands, type Outcome } from "../../src/commands/access-commands.ts";
import { type Member } from "../../src/auth/registered-numbers.ts";
import { pinMatches } from "../../src/auth/pin.ts";
import { MIN, DAY, PIN, NEW_PIN, WRONG, SETUP_CODE, OWNER, ANNA, BOB, CAROL, NEWCOMER, OWNER_M, world, reply, NO_ANSWER, wrongPin, ANNA_SAYS, needsPin, locked, notFor, failPins, ADD_USAGE, type World } from "./access-world.ts";

describe("commands/AccessCommands", () => {
  describe("CLAIM", () => {
    function unclaimed(setupCode = SETUP_CODE, users = ""): World {
      return world({ owner: false, settings: { setupCode, users } });
    }

    it("without a provisioned setup code nobody gets an answer, and nothing counts towards a lockout", () => {
      const w = unclaimed("");
      for (let i = 0; i < 7; i++) expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +4477***0123 ignored: no setup code is provisioned (SMS claiming is off)");
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("claimLock")).to.equal("");
      expect(w.settings.set("setupCode", SETUP_CODE).ok).to.equal(true);
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
    });

    it("a wrong setup code gets no answer, only a log line; the count is saved", () => {
      const w = unclaimed();
      expect(w.access.claim(ANNA, ["K7PQ2M9Y", NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines).to.deep.equal(["warn auth: CLAIM from +4477***0123 with a wrong setup code"]);
      expect(w.settings.get("claimLock")).to.equal("1,0,");
      expect(w.settings.get("ownerNumber")).to.equal("");
    });

    it("the code with too few or too many words is a wrong try too", () => {
      const w = unclaimed();
      expect(w.access.claim(ANNA, [SETUP_CODE])).to.deep.equal(NO_ANSWER);
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN, "extra"])).to.deep.equal(NO_ANSWER);
      expect(w.access.claim(ANNA, [])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("claimLock")).to.equal("3,0,");
      expect(w.settings.get("ownerNumber")).to.equal("");
    });

    it("5 wrong codes lock claiming for 1 min: even the right code is ignored until it ends", () => {
      const w = unclaimed();
      for (let i = 0; i < 4; i++) expect(w.access.claim(ANNA, ["WRONG123", NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.access.claim(ANNA, ["WRONG123", NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +4477***0123 with a wrong setup code: claiming locked for 1 min");
      expect(w.settings.get("claimLock")).to.equal("0,1,0");
      w.clock.advance(MIN - 1);
      expect(w.access.claim(CAROL, [SETUP_CODE, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +3361***5678 ignored: claiming is locked after wrong setup codes");
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("claimLock"), "an ignored try is not counted").to.equal("0,1,0");
      w.clock.advance(1);
      expect(w.access.claim(CAROL, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
      expect(w.settings.get("ownerNumber")).to.equal(CAROL);
    });

    it("a lockout saved before a reboot is in force after it", () => {
      const w = unclaimed();
      for (let i = 0; i < 5; i++) w.access.claim(ANNA, ["WRONG123", NEW_PIN]);
      w.reboot();
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("ownerNumber")).to.equal("");
    });

    it("the right code with a bad new PIN is told what a PIN is, and nothing changes", () => {
      const w = unclaimed();
      for (const pin of ["123", "123456789", "12a4"]) {
        expect(w.access.claim(ANNA, [SETUP_CODE, pin])).to.deep.equal(
          reply("Setup code accepted, but the new PIN must be 4 to 8 digits: CLAIM <setup code> <new PIN>."),
        );
      }
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("pinHash")).to.equal("");
    });

    it("the right code (any case) and a PIN make the sender the owner, with that PIN and no other number", () => {
      const w = unclaimed(SETUP_CODE, `${BOB},Bob,user,off`);
      w.access.claim(ANNA, ["nope", NEW_PIN]);
      expect(w.access.claim(ANNA, [SETUP_CODE.toLowerCase(), NEW_PIN])).to.deep.equal(
        reply("You are now the owner of this tracker. Keep your PIN safe: it is needed to add or remove numbers. Send HELP for the commands."),
      );
      expect(w.settings.get("ownerNumber")).to.equal(ANNA);
      expect(pinMatches(NEW_PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(w.settings.get("users")).to.equal("");
      expect(w.settings.get("claimLock")).to.equal("");
      expect(w.log.lines.at(-1)).to.equal("info auth: claimed by +4477***0123");
    });

    it("a claim starts the wrong-code count over", () => {
      const w = unclaimed();
      for (let i = 0; i < 4; i++) w.access.claim(ANNA, ["WRONG123", NEW_PIN]);
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
      w.access.claim(CAROL, ["WRONG123", NEW_PIN]);
      expect(w.log.lines.at(-1)).to.equal("warn auth: CLAIM from +3361***5678 with a wrong setup code");
      expect(w.access.claim(CAROL, [SETUP_CODE, PIN]).reply).to.match(/^You are now the owner/);
    });

    it("a store that refuses the write: the claim failed, try again", () => {
      const w = unclaimed();
      w.store.failing = true;
      expect(w.access.claim(ANNA, [SETUP_CODE, NEW_PIN])).to.deep.equal(reply("Claim failed: store refused the write: flash full. Please try again."));
      expect(w.settings.get("ownerNumber")).to.equal("");
    });
  });

  describe("the PIN check", () => {
    it("no PIN set: the command says so", () => {
      const w = world({ pin: false });
      expect(w.access.add(w.member(OWNER), [CAROL, PIN])).to.deep.equal(
        reply("ADD needs a PIN, and none is set. The installer sets one, or the owner claims the tracker with one."),
      );
      expect(w.settings.get("users")).to.not.include(CAROL);
    });

    it("a missing or malformed PIN is not a wrong try", () => {
      const w = world();
      const owner = w.member(OWNER);
      expect(w.access.add(owner, [])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL, "123"])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL, "12a45"])).to.deep.equal(needsPin("ADD"));
      expect(w.access.add(owner, [CAROL, "123456789"])).to.deep.equal(needsPin("ADD"));
      expect(w.settings.get("pinLock")).to.equal("");
      expect(w.access.add(owner, [CAROL, WRONG])).to.deep.equal(wrongPin(4));
    });

    it("wrong PINs count down, are logged with the masked number, and the count is saved", () => {
      const w = world();
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(4, ANNA_SAYS));
      expect(w.log.lines.at(-1)).to.equal("warn auth: wrong PIN from +4477***0123 (ADD)");
      expect(w.settings.get("pinLock")).to.equal("1,0,");
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(3, ANNA_SAYS));
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(2, ANNA_SAYS));
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(1, ANNA_SAYS));
      expect(w.settings.get("pinLock")).to.equal("4,0,");
    });

    it("the right PIN starts the count over", () => {
      const w = world();
      failPins(w, ANNA, 4);
      expect(w.access.add(w.member(ANNA), [CAROL, PIN]).reply).to.match(/was added as user/);
      expect(w.settings.get("pinLock")).to.equal("");
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(4, ANNA_SAYS));
    });

    it("the 5th wrong PIN locks PIN commands for 1 min and tells the owner once, naming who", () => {
      const w = world();
      failPins(w, ANNA, 4);
      const text = "Wrong PIN 5 times (last from Anna (+4477***0123)): PIN commands are locked for 1 min.";
      expect(failPins(w, ANNA, 1)).to.deep.equal(reply(text, [{ to: OWNER, text }]));
      expect(w.log.lines.slice(-2)).to.deep.equal([
        "warn auth: wrong PIN from +4477***0123 (ADD)",
        "warn auth: PIN commands locked for 1 min after wrong PINs",
      ]);
      expect(w.settings.get("pinLock")).to.equal("0,1,0");
      // refused, right or wrong, with no further notice
      expect(failPins(w, ANNA, 1)).to.deep.equal(locked("ADD", "1 min"));
      expect(w.access.add(w.member(ANNA), [CAROL, PIN])).to.deep.equal(locked("ADD", "1 min"));
      expect(w.access.del(w.member(OWNER), ["Bob", PIN])).to.deep.equal(locked("DEL", "1 min"));
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN])).to.deep.equal(locked("PIN", "1 min"));
      expect(w.settings.get("users")).to.not.include(CAROL);
      expect(w.settings.get("users")).to.include(BOB);
      w.clock.advance(MIN - 1);
      expect(w.access.add(w.member(ANNA), [CAROL, PIN])).to.deep.equal(locked("ADD", "1 min"));
      w.clock.advance(1);
      expect(w.access.add(w.member(ANNA), [CAROL, PIN]).reply).to.match(/was added as user/);
    });

    it("when the owner made the 5th wrong try, the owner gets the reply and no notice", () => {
      const w = world();
      failPins(w, ANNA, 4);
      const text = "Wrong PIN 5 times (last from the owner (+1408***0199)): PIN commands are locked for 1 min.";
      expect(w.access.pin(w.member(OWNER), [WRONG, NEW_PIN])).to.deep.equal(reply(text));
    });

    it("each later lockout is longer (5 min, then 60 min), and the owner is told of each once", () => {
      const w = world();
      failPins(w, ANNA, 5);
      w.clock.advance(MIN);
      expect(failPins(w, ANNA, 4)).to.deep.equal(wrongPin(1, ANNA_SAYS));
      const second = "Wrong PIN 5 times (last from Anna (+4477***0123)): PIN commands are locked for 5 min.";
      expect(failPins(w, ANNA, 1)).to.deep.equal(reply(second, [{ to: OWNER, text: second }]));
      w.clock.advance(4 * MIN + 1);
      expect(failPins(w, ANNA, 1)).to.deep.equal(locked("ADD", "1 min"));
      w.clock.advance(MIN);
      failPins(w, ANNA, 4);
      const third = "Wrong PIN 5 times (last from Anna (+4477***0123)): PIN commands are locked for 60 min.";
      expect(failPins(w, ANNA, 1)).to.deep.equal(reply(third, [{ to: OWNER, text: third }]));
      expect(failPins(w, ANNA, 1)).to.deep.equal(locked("ADD", "60 min"));
    });

    it("the remaining time is in minutes, rounded up, and in hours (rounded up) from 120 min", () => {
      const w = world({ settings: { pinLock: "0,4,0" } }); // a 4th lockout (24 h) in force at boot
      /** The refusal with `remainingMs` of the lockout left. */
      const at = (remainingMs: number): Outcome => {
        w.clock.advance(DAY - remainingMs - w.clock.nowMs);
        return w.access.add(w.member(OWNER), [CAROL, PIN]);
      };
      expect(at(DAY)).to.deep.equal(locked("ADD", "24 h"));
      expect(at(DAY - 60 * MIN)).to.deep.equal(locked("ADD", "23 h"));
      expect(at(DAY - 60 * MIN - 1)).to.deep.equal(locked("ADD", "23 h"));
      expect(at(121 * MIN + 1)).to.deep.equal(locked("ADD", "3 h"));
      expect(at(121 * MIN)).to.deep.equal(locked("ADD", "3 h"));
      expect(at(120 * MIN + 1)).to.deep.equal(locked("ADD", "3 h"));
      expect(at(120 * MIN)).to.deep.equal(locked("ADD", "2 h"));
      expect(at(119 * MIN + 1)).to.deep.equal(locked("ADD", "2 h"));
      expect(at(119 * MIN)).to.deep.equal(locked("ADD", "119 min"));
      expect(at(60 * MIN)).to.deep.equal(locked("ADD", "60 min"));
      expect(at(MIN + 1)).to.deep.equal(locked("ADD", "2 min"));
      expect(at(MIN)).to.deep.equal(locked("ADD", "1 min"));
      expect(at(1)).to.deep.equal(locked("ADD", "1 min"));
      expect(at(0).reply).to.match(/was added/);
      expect(w.settings.get("pinLock")).to.equal("");
    });

    it("a wrong-PIN count that cannot be saved is logged as an error, and still counts", () => {
      const w = world();
      w.store.failing = true;
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(4, ANNA_SAYS));
      expect(w.log.lines).to.include("error auth: the pinLock state could not be saved: store refused the write: flash full");
      expect(failPins(w, ANNA, 1)).to.deep.equal(wrongPin(3, ANNA_SAYS));
    });
  });

  describe("ADD", () => {
    it("a user may not add numbers", () => {
      const w = world();
      expect(w.access.add(w.member(BOB), [CAROL, PIN])).to.deep.equal(notFor("ADD", "the owner and admins"));
      expect(w.settings.get("pinLock")).to.equal("");
      expect(w.access.add(w.member(BOB), [CAROL, WRONG])).to.deep.equal(notFor("ADD", "the owner and admins"));
      expect(w.settings.get("pinLock"), "a user's PIN is not even checked").to.equal("");
    });

    it("the owner adds a user: stored without alerts; every other number and the new one are told", () => {
      const w = world();
      const text = "Carol (+3361***5678) was added as user by the owner (+1408***0199). Send LIST to see every number.";
      expect(w.access.add(w.member(OWNER), [CAROL, "Carol", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
          { to: CAROL, text: `You can now use this GPS tracker (user), added by ${OWNER_M}. Send HELP for the commands.` },
        ]),
      );
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off;${CAROL},Carol,user,off`);
      expect(w.log.lines.at(-1)).to.equal("info auth: +3361***5678 added as user by owner");
    });

    it("the owner adds an admin: stored with alerts on", () => {
      const w = world();
      const text = "Carol (+3361***5678) was added as admin by the owner (+1408***0199). Send LIST to see every number.";
      expect(w.access.add(w.member(OWNER), [CAROL, "Carol", "admin", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
          { to: CAROL, text: `You can now use this GPS tracker (admin), added by ${OWNER_M}. Send HELP for the commands.` },
        ]),
      );
      expect(w.member(CAROL)).to.deep.equal({ number: CAROL, name: "Carol", role: "admin", alerts: true });
      expect(w.log.lines.at(-1)).to.equal("info auth: +3361***5678 added as admin by owner");
    });

    it("an admin adds a user; the owner is told", () => {
      const w = world();
      const text = "Carol (+3361***5678) was added as user by Anna (+4477***0123). Send LIST to see every number.";
      expect(w.access.add(w.member(ANNA), [CAROL, "Carol", "USER", PIN])).to.deep.equal(
        reply(text, [
          { to: OWNER, text },
          { to: BOB, text },
          { to: CAROL, text: "You can now use this GPS tracker (user), added by Anna (+4477***0123). Send HELP for the commands." },
        ]),
      );
      expect(w.member(CAROL)).to.deep.equal({ number: CAROL, name: "Carol", role: "user", alerts: false });
      expect(w.log.lines.at(-1)).to.equal("info auth: +3361***5678 added as user by admin");
    });

    it("an admin may not add an admin (after the PIN check)", () => {
      const w = world();
      expect(w.access.add(w.member(ANNA), [CAROL, "Carol", "admin", PIN])).to.deep.equal(reply("Only the owner can add an admin."));
      expect(w.access.add(w.member(ANNA), [CAROL, "Admin", PIN])).to.deep.equal(reply("Only the owner can add an admin."));
      expect(w.settings.get("users")).to.not.include(CAROL);
      expect(w.access.add(w.member(ANNA), [CAROL, "Carol", "admin", WRONG])).to.deep.equal(wrongPin(4, ANNA_SAYS));
    });

    it("role words in any case; without a role the number is a user", () => {
      const w = world({ users: [] });
      w.access.add(w.member(OWNER), [ANNA, "aDmIn", PIN]);
      w.access.add(w.member(OWNER), [BOB, PIN]);
      expect(w.numbers.others()).to.deep.equal([
        { number: ANNA, name: "User2", role: "admin", alerts: true },
        { number: BOB, name: "User3", role: "user", alerts: false },
      ]);
    });

    it("a number written in parts, or in national form, is joined and normalised", () => {
      const w = world({ users: [] });
      expect(w.access.add(w.member(OWNER), ["+44", "7700", "900123", "Anna", PIN]).reply).to.match(/^Anna \(\+4477\*\*\*0123\) was added/);
      expect(w.access.add(w.member(OWNER), ["(408)", "555-0123", PIN]).reply).to.match(/^User2 \(\+1408\*\*\*0123\) was added/);
      expect(w.numbers.others().map((m) => m.number)).to.deep.equal([ANNA, BOB]);
    });

    it("default names are User2, User3, ...: the first one free (in any case)", () => {
      const w = world({ users: [{ number: ANNA, name: "user2", role: "user", alerts: false }] });
      w.access.add(w.member(OWNER), [BOB, PIN]);
      expect(w.member(BOB).name).to.equal("User3");
      w.access.add(w.member(OWNER), [CAROL, "User4", PIN]);
      w.access.add(w.member(OWNER), [NEWCOMER, PIN]);
      expect(w.member(NEWCOMER).name).to.equal("User5");
      w.access.del(w.member(OWNER), ["User3", PIN]);
      w.access.add(w.member(OWNER), [BOB, PIN]);
      expect(w.member(BOB).name).to.equal("User3");
    });

    it("a name that is taken (in any case) is refused", () => {
      const w = world();
      expect(w.access.add(w.member(OWNER), [CAROL, "anna", PIN])).to.deep.equal(reply("The name anna is taken. Choose another one."));
      expect(w.access.add(w.member(OWNER), [CAROL, "BOB", PIN])).to.deep.equal(reply("The name BOB is taken. Choose another one."));
      expect(w.settings.get("users")).to.not.include(CAROL);
    });

    it("a word that starts with a letter is a name, and it must be a valid one", () => {
      const w = world();
      const owner = w.member(OWNER);
      expect(w.access.add(owner, [CAROL, "Abcdefghijklmnop", PIN])).to.deep.equal(
        reply(`'Abcdefghijkl' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.access.add(owner, [CAROL, "Owner", PIN])).to.deep.equal(
        reply(`'Owner' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.access.add(owner, [CAROL, "Admin", "admin", PIN])).to.deep.equal(
        reply(`'Admin' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.access.add(owner, [CAROL, "Al!ce", PIN])).to.deep.equal(
        reply(`'Al!ce' cannot be a name (1-12 letters, digits, . _ -, starting with a letter). ${ADD_USAGE}`),
      );
      expect(w.settings.get("users")).to.not.include(CAROL);
      expect(w.access.add(owner, [CAROL, "Abcdefghijkl", PIN]).reply).to.match(/^Abcdefghijkl \(\+3361\*\*\*5678\) was added/);
    });

    it("a word not starting with a letter is part of the number; a lone word is the number", () => {
      const w = world();
      const owner = w.member(OWNER);
      expect(w.access.add(owner, [CAROL, "1a", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["Owner", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["Carol", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["admin", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.access.add(owner, ["12", PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off`);
    });

    it("a registered number (the owner's too) is not added twice", () => {
      const w = world();
      expect(w.access.add(w.member(OWNER), [BOB, "Robert", PIN])).to.deep.equal(
        reply("+1408***0123 is already registered. Send LIST to see the numbers."),
      );
      expect(w.access.add(w.member(ANNA), ["4085550199", PIN])).to.deep.equal(
        reply("+1408***0199 is already registered. Send LIST to see the numbers."),
      );
    });

    it("the list holds the owner and 9 more", () => {
      const users: Member[] = [];
      for (let i = 0; i < 8; i++) users.push({ number: `+1408555011${i}`, name: `U${i}`, role: "user", alerts: false });
      const w = world({ users });
      expect(w.access.add(w.member(OWNER), [CAROL, PIN]).reply).to.match(/^User2 \(\+3361\*\*\*5678\) was added as user/);
      expect(w.numbers.others()).to.have.length(9);
      expect(w.access.add(w.member(OWNER), [ANNA, PIN])).to.deep.equal(reply("The list is full (owner and 9 more). DEL one first."));
      expect(w.numbers.others()).to.have.length(9);
    });

    it("the PIN alone is no number", () => {
      const w = world();
      expect(w.access.add(w.member(OWNER), [PIN])).to.deep.equal(reply(`That is not a phone number. ${ADD_USAGE}`));
    });

    it("the caller's words are left as they were", () => {
      const w = world();
      const words = [CAROL, "Carol", "admin", PIN];
      w.access.add(w.member(OWNER), words);
      expect(words).to.deep.equal([CAROL, "Carol", "admin", PIN]);
      const del = ["Carol", PIN];
      w.access.del(w.member(OWNER), del);
      expect(del).to.deep.equal(["Carol", PIN]);
      const owner = [NEWCOMER, PIN];
      w.access.owner(w.member(OWNER), owner);
      expect(owner).to.deep.equal([NEWCOMER, PIN]);
    });

    it("a store that refuses the write: ADD failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.add(w.member(OWNER), [CAROL, PIN])).to.deep.equal(reply("ADD failed: store refused the write: flash full."));
      expect(w.numbers.others()).to.have.length(2);
    });
  });

  describe("ADD: a role change", () => {
    it("the owner's ADD of a registered number with the other role word changes its role, told to every other number", () => {
      const w = world();
      const text = "Bob (+1408***0123) is now an admin, changed by the owner (+1408***0199).";
      expect(w.access.add(w.member(OWNER), [BOB, "admin", PIN])).to.deep.equal(reply(text, [{ to: ANNA, text }, { to: BOB, text }]));
      expect(w.member(BOB).role).to.equal("admin");
      expect(w.log.lines.at(-1)).to.equal("info auth: +1408***0123 is now admin");
      const back = "Bob (+1408***0123) is now a user, changed by the owner (+1408***0199).";
      expect(w.access.add(w.member(OWNER), [BOB, "Bob", "user", PIN])).to.deep.equal(reply(back, [{ to: ANNA, text: back }, { to: BOB, text: back }]));
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off`);
    });

    it("the same role, no role word, the owner's number, or an admin asking: no change", () => {
      const w = world();
      const already = (n: string) => reply(`${n} is already registered. Send LIST to see the numbers.`);
      expect(w.access.add(w.member(OWNER), [BOB, "user", PIN])).to.deep.equal(already("+1408***0123"));
      expect(w.access.add(w.member(OWNER), [BOB, PIN])).to.deep.equal(already("+1408***0123"));
      expect(w.access.add(w.member(OWNER), [OWNER, "admin", PIN])).to.deep.equal(already("+1408***0199"));
      expect(w.access.add(w.member(ANNA), [BOB, "admin", PIN])).to.deep.equal(reply("Only the owner can add an admin."));
      expect(w.access.add(w.member(OWNER), [BOB, "admin", PIN]).reply).to.match(/is now an admin/);
      expect(w.access.add(w.member(ANNA), [BOB, "user", PIN])).to.deep.equal(reply("Only the owner can change a role."));
      expect(w.member(BOB).role).to.equal("admin");
    });

    it("a store that refuses the write: the role stays", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.add(w.member(OWNER), [BOB, "admin", PIN])).to.deep.equal(reply("ADD failed: store refused the write: flash full."));
      expect(w.member(BOB).role).to.equal("user");
    });
  });

  describe("DEL", () => {
    it("a user may not remove numbers", () => {
      const w = world();
      expect(w.access.del(w.member(BOB), ["Anna", PIN])).to.deep.equal(notFor("DEL", "the owner and admins"));
      expect(w.numbers.others()).to.have.length(2);
    });

    it("the owner removes a number by its number; everyone else, the removed number included, is told", () => {
      const w = world();
      const text = "Bob (+1408***0123) was removed by the owner (+1408***0199).";
      expect(w.access.del(w.member(OWNER), ["408", "555", "0123", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
        ]),
      );
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on`);
      expect(w.log.lines.at(-1)).to.equal("info auth: +1408***0123 removed by owner");
    });

    it("by name in any case; the owner may remove an admin", () => {
      const w = world();
      const text = "Anna (+4477***0123) was removed by the owner (+1408***0199).";
      expect(w.access.del(w.member(OWNER), ["aNNA", PIN])).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
        ]),
      );
      expect(w.settings.get("users")).to.equal(`${BOB},Bob,user,off`);
    });

    it("an admin removes a user; the owner is told", () => {
      const w = world();
      const text = "Bob (+1408***0123) was removed by Anna (+4477***0123).";
      expect(w.access.del(w.member(ANNA), ["bob", PIN])).to.deep.equal(
        reply(text, [
          { to: OWNER, text },
          { to: BOB, text },
        ]),
      );
      expect(w.log.lines.at(-1)).to.equal("info auth: +1408***0123 removed by admin");
    });

    it("an admin may not remove an admin, itself included", () => {
      const w = world({
        users: [
          { number: ANNA, name: "Anna", role: "admin", alerts: true },
          { number: CAROL, name: "Carol", role: "admin", alerts: false },
        ],
      });
      expect(w.access.del(w.member(ANNA), ["Carol", PIN])).to.deep.equal(reply("Only the owner can remove an admin."));
      expect(w.access.del(w.member(ANNA), [ANNA, PIN])).to.deep.equal(reply("Only the owner can remove an admin."));
      expect(w.numbers.others()).to.have.length(2);
    });

    it("the owner cannot be removed, by number; 'owner' is no name", () => {
      const w = world();
      expect(w.access.del(w.member(OWNER), [OWNER, PIN])).to.deep.equal(
        reply("The owner cannot be removed. To hand the tracker over, use OWNER <number> <PIN>."),
      );
      expect(w.access.del(w.member(ANNA), ["4085550199", PIN])).to.deep.equal(
        reply("The owner cannot be removed. To hand the tracker over, use OWNER <number> <PIN>."),
      );
      const none = reply("No such number or name. Send LIST to see them, then DEL <number or name> <PIN>.");
      expect(w.access.del(w.member(OWNER), ["owner", PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), ["Owner", PIN])).to.deep.equal(none);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("an unknown number or name, or none at all", () => {
      const w = world();
      const none = reply("No such number or name. Send LIST to see them, then DEL <number or name> <PIN>.");
      expect(w.access.del(w.member(OWNER), [CAROL, PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), ["Carol", PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), ["Ann", PIN])).to.deep.equal(none);
      expect(w.access.del(w.member(OWNER), [PIN])).to.deep.equal(none);
      expect(w.numbers.others()).to.have.length(2);
    });

    it("needs the right PIN", () => {
      const w = world();
      expect(w.access.del(w.member(OWNER), ["Bob"])).to.deep.equal(needsPin("DEL"));
      expect(w.access.del(w.member(OWNER), ["Bob", WRONG])).to.deep.equal(wrongPin(4));
      expect(w.log.lines.at(-1)).to.equal("warn auth: wrong PIN from +1408***0199 (DEL)");
      expect(w.numbers.others()).to.have.length(2);
    });

    it("a store that refuses the write: DEL failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.del(w.member(OWNER), ["Bob", PIN])).to.deep.equal(reply("DEL failed: store refused the write: flash full."));
      expect(w.numbers.others()).to.have.length(2);
    });
  });

  describe("LIST", () => {
    it("every number masked, with its name, admin marker and alerts", () => {
      const w = world();
      expect(w.access.list()).to.deep.equal(reply("3 numbers: Owner +1408***0199 alerts; Anna +4477***0123 admin alerts; Bob +1408***0123."));
    });

    it("one number; the owner's alerts off", () => {
      const w = world({ users: [], settings: { ownerAlerts: "off" } });
      expect(w.access.list()).to.deep.equal(reply("1 number: Owner +1408***0199."));
    });

    it("an admin without alerts, a user with", () => {
      const w = world({
        users: [
          { number: ANNA, name: "Anna", role: "admin", alerts: false },
          { number: BOB, name: "Bob", role: "user", alerts: true },
        ],
      });
      expect(w.access.list().reply).to.equal("3 numbers: Owner +1408***0199 alerts; Anna +4477***0123 admin; Bob +1408***0123 alerts.");
    });
  });

  describe("PIN", () => {
    it("is for the owner only", () => {
      const w = world();
      expect(w.access.pin(w.member(ANNA), [PIN, NEW_PIN])).to.deep.equal(notFor("PIN", "the owner"));
      expect(w.access.pin(w.member(BOB), [PIN, NEW_PIN])).to.deep.equal(notFor("PIN", "the owner"));
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });

    it("needs exactly the old and the new PIN", () => {
      const w = world();
      const usage = reply("Send PIN <old PIN> <new PIN> (4 to 8 digits).");
      expect(w.access.pin(w.member(OWNER), [])).to.deep.equal(usage);
      expect(w.access.pin(w.member(OWNER), [PIN])).to.deep.equal(usage);
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN, NEW_PIN])).to.deep.equal(usage);
      expect(w.settings.get("pinLock")).to.equal("");
    });

    it("a wrong old PIN is counted", () => {
      const w = world();
      expect(w.access.pin(w.member(OWNER), [WRONG, NEW_PIN])).to.deep.equal(wrongPin(4));
      expect(w.log.lines.at(-1)).to.equal("warn auth: wrong PIN from +1408***0199 (PIN)");
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });

    it("a bad new PIN leaves the PIN unchanged", () => {
      const w = world();
      expect(w.access.pin(w.member(OWNER), [PIN, "12x4"])).to.deep.equal(reply("The new PIN must be 4 to 8 digits. The PIN is unchanged."));
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });

    it("changes the PIN: the old one stops working", () => {
      const w = world();
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN])).to.deep.equal(reply("PIN changed."));
      expect(w.log.lines.at(-1)).to.equal("info auth: PIN changed by the owner");
      expect(pinMatches(NEW_PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(w.access.add(w.member(OWNER), [CAROL, PIN])).to.deep.equal(wrongPin(4));
      expect(w.access.add(w.member(OWNER), [CAROL, NEW_PIN]).reply).to.match(/was added/);
    });

    it("a store that refuses the write: unchanged", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.pin(w.member(OWNER), [PIN, NEW_PIN])).to.deep.equal(reply("The PIN is unchanged: store refused the write: flash full."));
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(true);
    });
  });
});

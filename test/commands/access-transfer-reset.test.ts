/** AccessCommands, continued: ownership transfer, the two-step reset, secure mode and alert subscriptions (see access-commands.test.ts). */
import { expect } from "chai";
import { AccessCommands, RESET_WINDOW_MS, TRANSFER_WINDOW_MS, type Outcome } from "../../src/commands/access-commands.ts";
import { pinMatches } from "../../src/auth/pin.ts";
import { MIN, PIN, NEW_PIN, WRONG, SETUP_CODE, OWNER, ANNA, BOB, CAROL, NEWCOMER, world, reply, NO_ANSWER, wrongPin, needsPin, notFor, failPins, type World } from "./access-world.ts";

describe("commands/AccessCommands: OWNER, RESET, SECURE, ALERTS", () => {
  describe("OWNER and ACCEPT", () => {
    const offerText = (masked: string) =>
      `The owner offered this tracker to ${masked}. If that number accepts within 10 min, it becomes the owner and every other number is removed.`;
    const removedText = "This tracker has a new owner: your number was removed from it.";

    /** The owner offers the tracker to `to`; the code. */
    function offer(w: World, to = NEWCOMER): string {
      const outcome = w.access.owner(w.member(OWNER), [to, PIN]);
      expect(outcome.reply).to.match(/^The owner offered this tracker/);
      return w.random.lastCode;
    }

    it("is for the owner only", () => {
      const w = world();
      expect(w.access.owner(w.member(ANNA), [NEWCOMER, PIN])).to.deep.equal(notFor("OWNER", "the owner"));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
    });

    it("needs the PIN, a number, and not the owner's own", () => {
      const w = world();
      expect(w.access.owner(w.member(OWNER), [NEWCOMER])).to.deep.equal(needsPin("OWNER"));
      expect(w.access.owner(w.member(OWNER), [NEWCOMER, WRONG])).to.deep.equal(wrongPin(4));
      expect(w.access.owner(w.member(OWNER), [PIN])).to.deep.equal(reply("Send OWNER <new owner's number> <PIN>."));
      expect(w.access.owner(w.member(OWNER), ["Carol", PIN])).to.deep.equal(reply("Send OWNER <new owner's number> <PIN>."));
      expect(w.access.owner(w.member(OWNER), ["408", "5550199", PIN])).to.deep.equal(reply("That is already the owner's number."));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.awaitsAcceptFrom(OWNER)).to.equal(false);
    });

    it("offers the tracker: every other number is told, the new number gets a 6-letter code", () => {
      const w = world();
      const outcome = w.access.owner(w.member(OWNER), ["+49", "151", "12345678", PIN]);
      const code = w.random.lastCode;
      expect(code).to.match(/^[ACDEFGHJKLMNPQRTUVWXY]{6}$/);
      expect(w.random.draws.at(-1)).to.have.length(6);
      const text = offerText("+4915***5678");
      expect(outcome).to.deep.equal(
        reply(text, [
          { to: ANNA, text },
          { to: BOB, text },
          { to: NEWCOMER, text: `You are offered ownership of a GPS tracker. To accept, reply ACCEPT ${code} <a new PIN of 4-8 digits> within 10 minutes.` },
        ]),
      );
      expect(w.log.lines.at(-1)).to.equal("info auth: ownership offered to +4915***5678");
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("each offer has a fresh code; a new offer replaces the last", () => {
      const w = world();
      const first = offer(w, NEWCOMER);
      const second = offer(w, CAROL);
      expect(second).to.not.equal(first);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.awaitsAcceptFrom(CAROL)).to.equal(true);
    });

    it("the offer waits for that number only, for 10 min", () => {
      const w = world();
      expect(TRANSFER_WINDOW_MS).to.equal(10 * MIN);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      w.clock.advance(5_000);
      offer(w);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      expect(w.access.awaitsAcceptFrom(CAROL)).to.equal(false);
      expect(w.access.awaitsAcceptFrom(OWNER)).to.equal(false);
      w.clock.advance(10 * MIN - 1);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      w.clock.advance(1);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
    });

    it("ACCEPT from another number, or after 10 min, gets no answer", () => {
      const w = world();
      expect(w.access.accept(NEWCOMER, ["ACDEFG", NEW_PIN])).to.deep.equal(NO_ANSWER);
      const code = offer(w);
      expect(w.access.accept(CAROL, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
      w.clock.advance(10 * MIN);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("wrong codes: told twice, the third cancels the offer", () => {
      const w = world();
      const code = offer(w);
      expect(w.access.accept(NEWCOMER, ["AAAAAA", NEW_PIN])).to.deep.equal(reply("Wrong code. Send ACCEPT <code> <new PIN>."));
      expect(w.access.accept(NEWCOMER, [code])).to.deep.equal(reply("Wrong code. Send ACCEPT <code> <new PIN>."));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN, "x"])).to.deep.equal(reply("Wrong code again: the offer is cancelled."));
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("a bad new PIN is told, and is no wrong code", () => {
      const w = world();
      const code = offer(w);
      for (let i = 0; i < 3; i++) {
        expect(w.access.accept(NEWCOMER, [code, "12"])).to.deep.equal(reply("Choose a PIN of 4 to 8 digits: ACCEPT <code> <new PIN>."));
      }
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("the right code (any case) and a new PIN: the sender owns the tracker, every other number is removed and told", () => {
      const w = world({ settings: { ownerAlerts: "off", secure: "on", fence: "37.33491,-121.88811,300", track: `5,10,0,4,${OWNER}`, speedLimitKmh: "110", armed: "on" } });
      const code = offer(w);
      failPins(w, ANNA, 4); // an admin's wrong PINs meanwhile
      const outcome = w.access.accept(NEWCOMER, [code.toLowerCase(), NEW_PIN]);
      expect(outcome).to.deep.equal(
        reply("You are now the owner of this tracker; every other number was removed. Keep your PIN safe. Send HELP for the commands.", [
          { to: OWNER, text: removedText },
          { to: ANNA, text: removedText },
          { to: BOB, text: removedText },
        ]),
      );
      expect(w.settings.get("ownerNumber")).to.equal(NEWCOMER);
      expect(w.settings.get("users")).to.equal("");
      expect(pinMatches(NEW_PIN, w.settings.get("pinHash"))).to.equal(true);
      expect(pinMatches(PIN, w.settings.get("pinHash"))).to.equal(false);
      expect(w.settings.get("ownerAlerts")).to.equal("on");
      expect(w.settings.get("secure")).to.equal("off");
      expect(w.settings.get("pinLock")).to.equal("");
      // the previous owner's fence (a place of theirs), tracking, speed limit and alarm go too
      expect([w.settings.get("fence"), w.settings.get("track"), w.settings.get("speedLimitKmh"), w.settings.get("armed")]).to.deep.equal(["", "", "0", "off"]);
      expect(w.store.flash).to.not.include("37.33491");
      expect(w.forgot.count).to.equal(1);
      expect(w.log.lines.at(-1)).to.equal("info auth: ownership transferred to +4915***5678");
      for (const gone of [OWNER, ANNA, BOB]) expect(w.store.flash, `${gone} left in flash`).to.not.include(gone);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      // the wrong-PIN count started over with the new owner
      expect(w.access.pin(w.member(NEWCOMER), [WRONG, PIN])).to.deep.equal(wrongPin(4));
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
    });

    it("no forgetting while the offer waits, or when it fails", () => {
      const w = world();
      const code = offer(w);
      w.access.accept(NEWCOMER, ["AAAAAA", NEW_PIN]);
      w.access.accept(NEWCOMER, [code, "1"]);
      expect(w.forgot.count).to.equal(0);
    });

    // a user or admin being handed the tracker is not told "your number was removed"
    it("a registered number that accepts is not told its number was removed", () => {
      const w = world();
      const code = offer(w, BOB);
      const outcome = w.access.accept(BOB, [code, NEW_PIN]);
      expect(w.settings.get("ownerNumber")).to.equal(BOB);
      expect(outcome.notices.map((n) => n.to)).to.deep.equal([OWNER, ANNA]);
    });

    it("a store that refuses the write: the transfer failed and the offer still waits", () => {
      const w = world();
      const code = offer(w);
      w.store.failing = true;
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(reply("The transfer failed: store refused the write: flash full. Please try again."));
      expect(w.forgot.count).to.equal(0);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(true);
      w.store.failing = false;
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN]).reply).to.match(/^You are now the owner/);
    });

    it("cancelPending forgets the offer", () => {
      const w = world();
      const code = offer(w);
      w.access.cancelPending();
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      expect(w.access.accept(NEWCOMER, [code, NEW_PIN])).to.deep.equal(NO_ANSWER);
    });
  });

  describe("RESET", () => {
    const askedText = "The owner asked for a factory reset of this tracker (every number would be removed).";
    const doneText = "This tracker was reset by its owner: every number, the PIN and the settings are erased.";
    const wrongCode = reply("That reset code is wrong or expired: nothing was erased. Start again with RESET <PIN>.");

    function ask(w: World): string {
      const outcome = w.access.reset(w.member(OWNER), [PIN]);
      const code = w.random.lastCode;
      expect(outcome).to.deep.equal(
        reply(`To erase every number, the PIN and the settings, send RESET ${code} within 2 minutes. Otherwise nothing happens.`, [
          { to: ANNA, text: askedText },
          { to: BOB, text: askedText },
        ]),
      );
      return code;
    }

    function claimedWithSettings(): World {
      return world({ settings: { setupCode: SETUP_CODE, secure: "on", smsPerDay: "120", homeCountryCode: "1", ownerAlerts: "off" } });
    }

    it("is for the owner only", () => {
      const w = world();
      expect(w.access.reset(w.member(ANNA), [PIN])).to.deep.equal(notFor("RESET", "the owner"));
      expect(w.access.reset(w.member(BOB), ["ACDEFG"])).to.deep.equal(notFor("RESET", "the owner"));
    });

    it("step 1 needs the PIN alone; it is logged and the others are told", () => {
      const w = world();
      expect(w.access.reset(w.member(OWNER), [])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), ["ACDEFGH"])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), ["ACDEFG", PIN])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [PIN, PIN])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [WRONG])).to.deep.equal(wrongPin(4));
      ask(w);
      expect(w.log.lines.at(-1)).to.equal("warn auth: factory reset requested by the owner");
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
      expect(RESET_WINDOW_MS).to.equal(2 * MIN);
    });

    it("step 2: the code (any case) within 2 min erases the user data, keeps the unit's, and tells the others", () => {
      const w = claimedWithSettings();
      const code = ask(w);
      w.clock.advance(2 * MIN - 1);
      expect(w.access.reset(w.member(OWNER), [code.toLowerCase()])).to.deep.equal(
        reply(doneText, [
          { to: ANNA, text: doneText },
          { to: BOB, text: doneText },
        ]),
      );
      expect(w.log.lines.at(-1)).to.equal("warn auth: factory reset by the owner: every number, the PIN and the settings erased");
      expect(w.settings.get("ownerNumber")).to.equal("");
      expect(w.settings.get("pinHash")).to.equal("");
      expect(w.settings.get("users")).to.equal("");
      expect(w.settings.get("secure")).to.equal("off");
      expect(w.settings.get("ownerAlerts")).to.equal("on");
      expect(w.settings.get("smsPerDay")).to.equal("50");
      expect(w.settings.get("setupCode")).to.equal(SETUP_CODE);
      expect(w.numbers.unclaimed).to.equal(true);
      expect(w.forgot.count).to.equal(1);
      for (const gone of [OWNER, ANNA, BOB]) expect(w.store.flash, `${gone} left in flash`).to.not.include(gone);
      // claimable again with the label's setup code
      expect(w.access.claim(CAROL, [SETUP_CODE, NEW_PIN]).reply).to.match(/^You are now the owner/);
    });

    it("a wrong code is refused and uses up the right one", () => {
      const w = world();
      const code = ask(w);
      const other = code === "AAAAAA" ? "CCCCCC" : "AAAAAA";
      expect(w.access.reset(w.member(OWNER), [other])).to.deep.equal(wrongCode);
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
      expect(w.forgot.count).to.equal(0);
    });

    it("a code with no reset asked, or expired at 2 min, is refused", () => {
      const w = world();
      expect(w.access.reset(w.member(OWNER), ["ACDEFG"])).to.deep.equal(wrongCode);
      const code = ask(w);
      w.clock.advance(2 * MIN);
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });

    it("a word that is not 6 letters is no code, and does not use the code up", () => {
      const w = world();
      const code = ask(w);
      expect(w.access.reset(w.member(OWNER), [`9${code}`])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [`${code}9`])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [code.slice(1)])).to.deep.equal(needsPin("RESET"));
      expect(w.access.reset(w.member(OWNER), [code]).reply).to.equal(doneText);
    });

    it("a new request replaces the code", () => {
      const w = world();
      const first = ask(w);
      const second = ask(w);
      expect(second).to.not.equal(first);
      expect(w.access.reset(w.member(OWNER), [first])).to.deep.equal(wrongCode);
      const third = ask(w);
      expect(w.access.reset(w.member(OWNER), [third]).reply).to.equal(doneText);
    });

    it("a reset cancels a waiting ownership offer and starts the wrong-PIN count over", () => {
      const w = world({ settings: { setupCode: SETUP_CODE } });
      w.access.owner(w.member(OWNER), [NEWCOMER, PIN]);
      const code = ask(w);
      failPins(w, ANNA, 4);
      expect(w.access.reset(w.member(OWNER), [code]).reply).to.equal(doneText);
      expect(w.access.awaitsAcceptFrom(NEWCOMER)).to.equal(false);
      w.access.claim(CAROL, [SETUP_CODE, NEW_PIN]);
      expect(w.access.pin(w.member(CAROL), [WRONG, PIN])).to.deep.equal(wrongPin(4));
    });

    it("cancelPending forgets the code", () => {
      const w = world();
      const code = ask(w);
      w.access.cancelPending();
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
    });

    // the erase is done once its first write is: a refused scrub of the older slot does not undo it
    it("a refused second write during the erase: the reply says what happened", () => {
      const w = world();
      const code = ask(w);
      w.store.writesLeft = 1;
      const outcome = w.access.reset(w.member(OWNER), [code]);
      const erased = w.settings.get("ownerNumber") === "";
      expect(outcome.reply === doneText, `${outcome.reply} (erased: ${erased})`).to.equal(erased);
      expect(w.forgot.count).to.equal(erased ? 1 : 0);
    });

    it("a store that refuses the write: nothing erased, the code used up", () => {
      const w = world();
      const code = ask(w);
      w.store.failing = true;
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(reply("The reset failed: store refused the write: flash full. Nothing was erased."));
      expect(w.forgot.count).to.equal(0);
      w.store.failing = false;
      expect(w.access.reset(w.member(OWNER), [code])).to.deep.equal(wrongCode);
      expect(w.settings.get("ownerNumber")).to.equal(OWNER);
    });
  });

  describe("SECURE", () => {
    it("is for the owner only", () => {
      const w = world();
      expect(w.access.secure(w.member(ANNA), ["ON", PIN])).to.deep.equal(notFor("SECURE", "the owner"));
      expect(w.settings.get("secure")).to.equal("off");
    });

    it("needs ON or OFF and the PIN", () => {
      const w = world();
      const usage = reply("Send SECURE ON <PIN> or SECURE OFF <PIN>.");
      expect(w.access.secure(w.member(OWNER), [])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["ON"])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), [PIN])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["MAYBE", PIN])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["ON", PIN, PIN])).to.deep.equal(usage);
      expect(w.access.secure(w.member(OWNER), ["ON", "12"])).to.deep.equal(needsPin("SECURE"));
      expect(w.access.secure(w.member(OWNER), ["ON", WRONG])).to.deep.equal(wrongPin(4));
      expect(w.settings.get("secure")).to.equal("off");
    });

    it("ON and OFF (any case) are stored", () => {
      const w = world();
      expect(w.access.secure(w.member(OWNER), ["on", PIN])).to.deep.equal(
        reply("Secure mode on: every command now needs the PIN as its last word (e.g. WHERE 1234)."),
      );
      expect(w.settings.get("secure")).to.equal("on");
      expect(w.access.secure(w.member(OWNER), ["Off", PIN])).to.deep.equal(reply("Secure mode off: only commands that change access need the PIN."));
      expect(w.settings.get("secure")).to.equal("off");
    });

    it("a store that refuses the write: SECURE failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.secure(w.member(OWNER), ["ON", PIN])).to.deep.equal(reply("SECURE failed: store refused the write: flash full."));
      expect(w.settings.get("secure")).to.equal("off");
    });
  });

  describe("ALERTS", () => {
    it("without ON or OFF says the sender's own setting", () => {
      const w = world();
      expect(w.access.alerts(w.member(OWNER), [])).to.deep.equal(reply("Alerts are on for your number. Send ALERTS ON or ALERTS OFF."));
      expect(w.access.alerts(w.member(BOB), ["please"])).to.deep.equal(reply("Alerts are off for your number. Send ALERTS ON or ALERTS OFF."));
    });

    it("the owner's is stored as ownerAlerts", () => {
      const w = world();
      expect(w.access.alerts(w.member(OWNER), ["off"])).to.deep.equal(reply("Alerts off: you will not receive alerts (commands still work)."));
      expect(w.settings.get("ownerAlerts")).to.equal("off");
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,off`);
      expect(w.access.alerts(w.member(OWNER), ["ON"])).to.deep.equal(reply("Alerts on: you will receive this tracker's alerts."));
      expect(w.settings.get("ownerAlerts")).to.equal("on");
    });

    it("a user's and an admin's are stored in the list, the others unchanged", () => {
      const w = world();
      expect(w.access.alerts(w.member(BOB), ["On"])).to.deep.equal(reply("Alerts on: you will receive this tracker's alerts."));
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,on;${BOB},Bob,user,on`);
      expect(w.access.alerts(w.member(ANNA), ["OFF"]).reply).to.equal("Alerts off: you will not receive alerts (commands still work).");
      expect(w.settings.get("users")).to.equal(`${ANNA},Anna,admin,off;${BOB},Bob,user,on`);
      expect(w.settings.get("ownerAlerts")).to.equal("on");
      expect(w.access.alerts(w.member(BOB), [])).to.deep.equal(reply("Alerts are on for your number. Send ALERTS ON or ALERTS OFF."));
    });

    it("a store that refuses the write: ALERTS failed", () => {
      const w = world();
      w.store.failing = true;
      expect(w.access.alerts(w.member(BOB), ["ON"])).to.deep.equal(reply("ALERTS failed: store refused the write: flash full."));
      expect(w.access.alerts(w.member(OWNER), ["OFF"])).to.deep.equal(reply("ALERTS failed: store refused the write: flash full."));
      expect(w.settings.get("ownerAlerts")).to.equal("on");
    });
  });

  it("the PIN and new PINs never appear in a reply, a notice, a log line or the store", () => {
    const w = world({ settings: { setupCode: SETUP_CODE } });
    const outcomes: Outcome[] = [];
    const owner = () => w.member(OWNER);
    outcomes.push(w.access.add(owner(), [CAROL, "Carol", PIN]));
    outcomes.push(w.access.add(w.member(ANNA), [NEWCOMER, WRONG]));
    outcomes.push(w.access.del(owner(), ["Carol", PIN]));
    outcomes.push(w.access.secure(owner(), ["ON", PIN]));
    outcomes.push(w.access.pin(owner(), [PIN, NEW_PIN]));
    outcomes.push(w.access.pin(owner(), [NEW_PIN, PIN]));
    outcomes.push(w.access.list());
    outcomes.push(w.access.owner(owner(), [NEWCOMER, PIN]));
    for (let i = 0; i < 5; i++) outcomes.push(w.access.add(w.member(ANNA), [CAROL, PIN.split("").reverse().join("")]));
    w.clock.advance(MIN);
    const code = w.random.lastCode;
    outcomes.push(w.access.accept(NEWCOMER, [code, NEW_PIN]));
    outcomes.push(w.access.reset(w.member(NEWCOMER), [NEW_PIN]));
    outcomes.push(w.access.reset(w.member(NEWCOMER), [w.random.lastCode]));
    outcomes.push(w.access.claim(ANNA, [SETUP_CODE, "5551234"]));
    const texts = [
      ...outcomes.flatMap((o) => [o.reply ?? "", ...o.notices.map((n) => n.text)]),
      ...w.log.lines,
      ...[...w.store.values.values()].map(String),
    ];
    expect(outcomes.at(-1)!.reply).to.match(/^You are now the owner/);
    expect(texts.join("\n")).to.include("ACCEPT");
    for (const secret of [PIN, NEW_PIN, "5551234", "51937"]) {
      for (const text of texts) expect(text, secret).to.not.include(secret);
    }
  });
});

/**
 * The registered numbers besides the owner, stored as "number,name,role,alerts;...": names, the
 * encoding, and every reason a stored list is refused.
 */
import { expect } from "chai";
import { MAX_NAME_CHARS, MAX_OTHER_NUMBERS, type Member, decodeMembers, encodeMembers, isValidName } from "../../src/auth/user-list.ts";

const ANNA: Member = { number: "+447700900123", name: "Anna", role: "admin", alerts: true };
const BOB: Member = { number: "+14085550123", name: "Bob", role: "user", alerts: false };

/** `count` valid entries with distinct numbers and names. */
function entries(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`+1408555010${i},User${i},user,off`);
  return out;
}

describe("auth/user-list", () => {
  it("limits: 9 numbers besides the owner, names of 12 characters", () => {
    expect(MAX_OTHER_NUMBERS).to.equal(9);
    expect(MAX_NAME_CHARS).to.equal(12);
  });

  describe("isValidName", () => {
    it("a letter, then letters, digits, '.', '_' or '-'", () => {
      for (const name of ["A", "z", "Anna", "bob", "J.Smith", "van_Dyke", "Mary-Ann", "Car2", "a1.b_c-d", "Zz9"]) {
        expect(isValidName(name), name).to.equal(true);
      }
    });

    it("1 to 12 characters", () => {
      expect(isValidName("")).to.equal(false);
      expect(isValidName("Abcdefghijkl")).to.equal(true);
      expect(isValidName("Abcdefghijklm")).to.equal(false);
      expect(isValidName("A12345678901")).to.equal(true);
      expect(isValidName("A123456789012")).to.equal(false);
    });

    it("not starting with a digit or a symbol", () => {
      for (const name of ["1Anna", "0", ".Anna", "_Anna", "-Anna", "+447700900123", "1234"]) {
        expect(isValidName(name), name).to.equal(false);
      }
    });

    it("no separators, spaces, other symbols or non-ASCII letters, anywhere", () => {
      for (const name of ["Anna,B", "Anna;B", "Anna B", " Anna", "Anna ", "Anna\n", "Ann@", "Ann+1", "Ann:1", "Åsa", "Zoë", "Anna\u0000"]) {
        expect(isValidName(name), JSON.stringify(name)).to.equal(false);
      }
    });

    it("never a role word, in any case", () => {
      for (const name of ["ADMIN", "admin", "Admin", "USER", "user", "uSeR", "OWNER", "owner", "Owner"]) {
        expect(isValidName(name), name).to.equal(false);
      }
      for (const name of ["Admins", "Users", "Owner2", "Adm", "Use", "Own"]) expect(isValidName(name), name).to.equal(true);
    });
  });

  describe("encodeMembers", () => {
    it("number,name,role,on|off, entries joined by ';'", () => {
      expect(encodeMembers([])).to.equal("");
      expect(encodeMembers([ANNA])).to.equal("+447700900123,Anna,admin,on");
      expect(encodeMembers([ANNA, BOB])).to.equal("+447700900123,Anna,admin,on;+14085550123,Bob,user,off");
    });
  });

  describe("decodeMembers", () => {
    it("'' is no one", () => {
      expect(decodeMembers("", "44")).to.deep.equal([]);
    });

    it("reads what encodeMembers wrote, in order (round trip)", () => {
      const members: Member[] = [ANNA, BOB, { number: "+4915112345678", name: "c.d_e-f", role: "user", alerts: true }];
      const text = encodeMembers(members);
      expect(decodeMembers(text, "44")).to.deep.equal(members);
      expect(decodeMembers(text, "1")).to.deep.equal(members);
      expect(encodeMembers(decodeMembers(text, "49") as Member[])).to.equal(text);
    });

    it("alerts 'on' is true, 'off' false", () => {
      expect(decodeMembers("+447700900123,Anna,user,on;+14085550123,Bob,admin,off", "44")).to.deep.equal([
        { number: "+447700900123", name: "Anna", role: "user", alerts: true },
        { number: "+14085550123", name: "Bob", role: "admin", alerts: false },
      ]);
    });

    it("normalises national numbers with the home country code", () => {
      expect(decodeMembers("07700 900123,Anna,user,on", "44")).to.deep.equal([{ number: "+447700900123", name: "Anna", role: "user", alerts: true }]);
      expect(decodeMembers("(408) 555-0123,Bob,user,off", "1")).to.deep.equal([{ number: "+14085550123", name: "Bob", role: "user", alerts: false }]);
      expect(decodeMembers("0044 7700 900123,Anna,user,on", "1")).to.deep.equal([{ number: "+447700900123", name: "Anna", role: "user", alerts: true }]);
      expect(decodeMembers("030 1234567,Hans,admin,on", "49")).to.deep.equal([{ number: "+49301234567", name: "Hans", role: "admin", alerts: true }]);
    });

    it("holds 9 numbers at most", () => {
      const nine = decodeMembers(entries(9).join(";"), "1");
      expect(nine).to.be.an("array").with.lengthOf(9);
      expect((nine as Member[])[8]).to.deep.equal({ number: "+14085550108", name: "User8", role: "user", alerts: false });
      expect(decodeMembers(entries(10).join(";"), "1")).to.equal("at most 9 numbers besides the owner");
      // counted before any entry is read
      expect(decodeMembers(";;;;;;;;;", "1")).to.equal("at most 9 numbers besides the owner");
      expect(decodeMembers(";;;;;;;;", "1")).to.equal("'' is not number,name,role,alerts");
    });

    it("an entry must have four fields", () => {
      expect(decodeMembers("+447700900123", "44")).to.equal("'+447700900123' is not number,name,role,alerts");
      expect(decodeMembers("+447700900123,Anna,user", "44")).to.equal("'+447700900123,Anna,user' is not number,name,role,alerts");
      expect(decodeMembers("+447700900123,Anna,user,on,x", "44")).to.equal("'+447700900123,Anna,user,on,x' is not number,name,role,alerts");
      expect(decodeMembers("+447700900123,Anna,admin,on;", "44")).to.equal("'' is not number,name,role,alerts");
      expect(decodeMembers(";+447700900123,Anna,admin,on", "44")).to.equal("'' is not number,name,role,alerts");
    });

    it("the number must be a phone number", () => {
      expect(decodeMembers("VODAFONE,Anna,user,on", "44")).to.equal("'VODAFONE' is not a phone number");
      expect(decodeMembers(",Anna,user,on", "44")).to.equal("'' is not a phone number");
      expect(decodeMembers("5550123,Anna,user,on", "1")).to.equal("'5550123' is not a phone number");
    });

    it("the name must be a valid name", () => {
      expect(decodeMembers("+447700900123,1Anna,user,on", "44")).to.equal("'1Anna' is not a valid name");
      expect(decodeMembers("+447700900123,,user,on", "44")).to.equal("'' is not a valid name");
      expect(decodeMembers("+447700900123,owner,user,on", "44")).to.equal("'owner' is not a valid name");
      expect(decodeMembers("+447700900123,Abcdefghijklm,user,on", "44")).to.equal("'Abcdefghijklm' is not a valid name");
    });

    it("the role must be admin or user, in lower case", () => {
      expect(decodeMembers("+447700900123,Anna,owner,on", "44")).to.equal("'owner' is not a role (admin or user)");
      expect(decodeMembers("+447700900123,Anna,Admin,on", "44")).to.equal("'Admin' is not a role (admin or user)");
      expect(decodeMembers("+447700900123,Anna,USER,on", "44")).to.equal("'USER' is not a role (admin or user)");
      expect(decodeMembers("+447700900123,Anna,,on", "44")).to.equal("'' is not a role (admin or user)");
    });

    it("alerts must be on or off, in lower case", () => {
      for (const alerts of ["ON", "Off", "yes", "true", "1", ""]) {
        expect(decodeMembers(`+447700900123,Anna,user,${alerts}`, "44"), alerts).to.equal("alerts must be on or off");
      }
    });

    it("the fields are checked in order: number, name, role, alerts", () => {
      expect(decodeMembers("x,1,y,z", "44")).to.equal("'x' is not a phone number");
      expect(decodeMembers("+447700900123,1,y,z", "44")).to.equal("'1' is not a valid name");
      expect(decodeMembers("+447700900123,Anna,y,z", "44")).to.equal("'y' is not a role (admin or user)");
    });

    it("a number listed twice, even written differently, is refused", () => {
      expect(decodeMembers("+447700900123,Anna,admin,on;07700 900123,Bob,user,off", "44")).to.equal("+447700900123 is listed twice");
      expect(decodeMembers(`${encodeMembers([ANNA, BOB])};+14085550123,Carl,user,off`, "44")).to.equal("+14085550123 is listed twice");
    });

    it("a name used twice, in any case, is refused", () => {
      expect(decodeMembers("+447700900123,Anna,admin,on;+14085550123,ANNA,user,off", "44")).to.equal("the name ANNA is used twice");
      expect(decodeMembers("+447700900123,anna,admin,on;+14085550123,Anna,user,off", "44")).to.equal("the name Anna is used twice");
      expect(decodeMembers(`${encodeMembers([ANNA, BOB])};+4915112345678,bob,user,off`, "44")).to.equal("the name bob is used twice");
    });

    it("a later bad entry refuses the whole list", () => {
      expect(decodeMembers(`${encodeMembers([ANNA])};+14085550123,Bob,user,maybe`, "44")).to.equal("alerts must be on or off");
    });
  });
});

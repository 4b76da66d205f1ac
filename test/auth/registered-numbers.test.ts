import { expect } from "chai";
import { RegisteredNumbers, isNumericSenderType } from "../../src/auth/registered-numbers.ts";
import { Settings } from "../../src/store/settings.ts";
import { MemoryStore } from "../support/memory-store.ts";

function numbersWithOwner(owner = "+14085550199"): RegisteredNumbers {
  const settings = new Settings(new MemoryStore(), { log() {} });
  expect(settings.set("ownerNumber", owner).ok).to.equal(true);
  return new RegisteredNumbers(settings);
}

describe("auth/RegisteredNumbers", () => {
  it("a numeric sender (unknown, international or national type) with the owner's whole number is the owner", () => {
    const numbers = numbersWithOwner();
    expect(numbers.find("+14085550199", 1)?.role).to.equal("owner");
    expect(numbers.find("14085550199", 0)?.role).to.equal("owner");
    expect(numbers.find("4085550199", 2)?.role).to.equal("owner");
    expect(numbers.replyAddress("4085550199", 0)).to.equal("+14085550199");
  });

  it("an alphanumeric sender spelling the owner's digits is nobody (anyone can choose that name)", () => {
    const numbers = numbersWithOwner();
    for (const name of ["4085550199", "14085550199", "+14085550199"]) {
      expect(numbers.find(name, 5)?.role, name).to.equal(undefined);
      expect(numbers.replyAddress(name, 5), name).to.equal(undefined);
    }
  });

  it("network-specific, subscriber, abbreviated, reserved or unstated types never match", () => {
    const numbers = numbersWithOwner();
    for (const ton of [3, 4, 6, 7, -1, 8]) expect(numbers.find("+14085550199", ton)?.role, `TON ${ton}`).to.equal(undefined);
    expect([0, 1, 2, 3, 4, 5, 6, 7].filter(isNumericSenderType)).to.deep.equal([0, 1, 2]);
  });

  it("an unclaimed tracker has nobody", () => {
    const numbers = new RegisteredNumbers(new Settings(new MemoryStore(), { log() {} }));
    expect(numbers.unclaimed).to.equal(true);
    expect(numbers.find("+14085550199", 1)?.role).to.equal(undefined);
  });

  it("all(): the owner first (named owner, alerts as set), then the others in order; empty while unclaimed", () => {
    const settings = new Settings(new MemoryStore(), { log() {} });
    const numbers = new RegisteredNumbers(settings);
    expect(numbers.all()).to.deep.equal([]);
    expect(numbers.others()).to.deep.equal([]);
    expect(settings.setMany({ ownerNumber: "+14085550199", ownerAlerts: "off", users: "+447700900123,Anna,admin,on;+14085550123,Bob,user,off" }).ok).to.equal(true);
    const owner = { number: "+14085550199", name: "owner", role: "owner", alerts: false };
    const anna = { number: "+447700900123", name: "Anna", role: "admin", alerts: true };
    const bob = { number: "+14085550123", name: "Bob", role: "user", alerts: false };
    expect(numbers.all()).to.deep.equal([owner, anna, bob]);
    expect(numbers.others()).to.deep.equal([anna, bob]);
    expect(numbers.find("+447700900123", 1)).to.deep.equal(anna);
    expect(numbers.find("not a number", 1)).to.equal(undefined);
  });

  /** Settings that answer `values` as they are (a list the schema would refuse, a national number). */
  function rawSettings(values: Record<string, string>): Settings {
    return { get: (key: string) => values[key] } as unknown as Settings;
  }

  it("a list that cannot be read is no other number (the owner still is one)", () => {
    const numbers = new RegisteredNumbers(rawSettings({ ownerNumber: "+14085550199", users: "garbage", homeCountryCode: "1", ownerAlerts: "on" }));
    expect(numbers.all()).to.deep.equal([{ number: "+14085550199", name: "owner", role: "owner", alerts: true }]);
  });

  it("the list's numbers are read with the home country code", () => {
    const numbers = new RegisteredNumbers(rawSettings({ ownerNumber: "+447700900111", users: "07700900123,Anna,user,on", homeCountryCode: "44", ownerAlerts: "on" }));
    expect(numbers.others()).to.deep.equal([{ number: "+447700900123", name: "Anna", role: "user", alerts: true }]);
  });
});

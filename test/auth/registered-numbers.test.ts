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
});

import { expect } from "chai";
import { Settings } from "../../src/store/settings.ts";
import { crc32 } from "../../src/store/crc32.ts";
import type { KeyValueStore, Logger, StoredValue } from "../../src/platform/ports.ts";

/** In-memory store with the device's limits; can simulate a power cut during a write. */
class MemoryStore implements KeyValueStore {
  values = new Map<string, StoredValue>();
  /** When set, the next set() writes only this many characters (power cut) and throws. */
  cutAfterChars: number | undefined;
  get(key: string) {
    return this.values.get(key);
  }
  set(key: string, value: StoredValue) {
    if (key.length > 15) throw new Error("key too long");
    if (this.cutAfterChars !== undefined && typeof value === "string") {
      this.values.set(key, value.slice(0, this.cutAfterChars));
      this.cutAfterChars = undefined;
      throw new Error("power cut");
    }
    this.values.set(key, value);
  }
  delete(key: string) {
    this.values.delete(key);
  }
  keys() {
    return [...this.values.keys()];
  }
}

const quiet: Logger = { log() {} };

describe("store/settings", () => {
  it("starts unclaimed: no owner and no default PIN", () => {
    const s = new Settings(new MemoryStore(), quiet);
    expect(s.get("ownerNumber")).to.equal("");
    expect(s.get("ownerPin")).to.equal("");
  });

  it("normalises and persists the owner number across restarts", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    expect(s.set("ownerNumber", "(408) 555-0199")).to.deep.equal({ ok: true, reason: "" });
    expect(new Settings(store, quiet).get("ownerNumber")).to.equal("+14085550199");
  });

  it("refuses bad values with a reason and keeps the old value", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    s.set("ownerPin", "4821");
    const result = s.set("ownerPin", "12");
    expect(result.ok).to.equal(false);
    expect(result.reason).to.match(/4 to 8 digits/);
    expect(s.get("ownerPin")).to.equal("4821");
    expect(s.set("ownerNumber", "not a number").ok).to.equal(false);
    expect(s.set("homeCountryCode", "0044").ok).to.equal(false);
  });

  it("survives a power cut at any character of a write: old or new, never garbage", () => {
    const probe = new MemoryStore();
    new Settings(probe, quiet).set("ownerNumber", "+14085550199");
    const length = ([...probe.values.values()][0] as string).length + 10;
    for (let cut = 0; cut < length; cut++) {
      const store = new MemoryStore();
      const s = new Settings(store, quiet);
      s.set("ownerNumber", "+14085550199");
      s.set("ownerPin", "4821");
      store.cutAfterChars = cut;
      const result = s.set("ownerNumber", "+447700900123");
      const reloaded = new Settings(store, quiet);
      const owner = reloaded.get("ownerNumber");
      expect(["+14085550199", "+447700900123"]).to.include(owner);
      expect(reloaded.get("ownerPin")).to.equal("4821");
      if (!result.ok) expect(s.get("ownerNumber")).to.equal("+14085550199");
    }
  });

  it("migrates a version-0 record", () => {
    const store = new MemoryStore();
    const json = JSON.stringify({ ownerNumber: "+14085550199" });
    store.set("cfg.a", `1;${crc32(json)};${json}`);
    const s = new Settings(store, quiet);
    expect(s.get("ownerNumber")).to.equal("+14085550199");
    expect(s.get("homeCountryCode")).to.equal("1");
  });

  it("factory reset makes the device unclaimed", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    s.set("ownerNumber", "+14085550199");
    s.reset();
    expect(new Settings(store, quiet).get("ownerNumber")).to.equal("");
  });
});

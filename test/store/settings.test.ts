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

  it("SIM PIN: none by default, 4-8 digits, persisted, erasable; a bad value is refused without echoing it", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    expect(s.get("simPin")).to.equal("");
    for (const bad of ["123", "123456789", "12a4", " 1234", "+1234"]) {
      const result = s.set("simPin", bad);
      expect(result.ok, bad).to.equal(false);
      expect(result.reason).to.equal("SIM PIN must be 4 to 8 digits");
    }
    expect(s.set("simPin", "4821").ok).to.equal(true);
    expect(new Settings(store, quiet).get("simPin")).to.equal("4821");
    expect(s.set("simPin", "").ok).to.equal(true);
    expect(new Settings(store, quiet).get("simPin")).to.equal("");
  });

  it("migrates a version-1 record (no SIM PIN) and never logs a stored SIM PIN", () => {
    const store = new MemoryStore();
    const v1 = JSON.stringify({ v: 1, ownerNumber: "+14085550199", ownerPin: "4821", homeCountryCode: "44" });
    store.set("cfg.a", `1;${crc32(v1)};${v1}`);
    const s = new Settings(store, quiet);
    expect(s.get("simPin")).to.equal("");
    expect(s.get("homeCountryCode")).to.equal("44");
    expect(s.get("ownerPin")).to.equal("4821");
    const lines: string[] = [];
    const recording: Logger = { log: (_l, _t, message) => lines.push(message) };
    const bad = JSON.stringify({ v: 2, ownerNumber: "", ownerPin: "", homeCountryCode: "1", simPin: "98x7" });
    const store2 = new MemoryStore();
    store2.set("cfg.b", `3;${crc32(bad)};${bad}`);
    expect(new Settings(store2, recording).get("simPin")).to.equal("");
    expect(lines.some((l) => l.includes("simPin"))).to.equal(true);
    for (const line of lines) expect(line).to.not.include("98x7");
  });

  it("factory reset makes the device unclaimed", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    s.set("ownerNumber", "+14085550199");
    s.reset();
    expect(new Settings(store, quiet).get("ownerNumber")).to.equal("");
  });
});

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

  it("a SIM PIN attempt of unknown outcome: persisted, and cleared in the same write as a person's new SIM PIN", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    expect(s.set("simPin", "4821").ok).to.equal(true);
    expect(s.get("simPinAttempt")).to.equal("");
    expect(s.set("simPinAttempt", "maybe").ok).to.equal(false);
    expect(s.set("simPinAttempt", "unsettled").ok).to.equal(true);
    const rebooted = new Settings(store, quiet);
    expect(rebooted.get("simPinAttempt")).to.equal("unsettled");
    expect(rebooted.get("simPin")).to.equal("4821");
    const writes: string[] = [];
    const set = store.set.bind(store);
    store.set = (key, value) => {
      writes.push(key);
      set(key, value);
    };
    expect(rebooted.set("simPin", "1357").ok).to.equal(true);
    expect(writes, "one atomic write").to.have.length(1);
    const after = new Settings(store, quiet);
    expect([after.get("simPin"), after.get("simPinAttempt")]).to.deep.equal(["1357", ""]);
    // erasing the PIN (as after a refusal) clears it too
    expect(after.set("simPinAttempt", "unsettled").ok).to.equal(true);
    expect(after.set("simPin", "").ok).to.equal(true);
    expect(new Settings(store, quiet).get("simPinAttempt")).to.equal("");
  });

  it("migrates a version-3 record (no SIM PIN attempt record)", () => {
    const store = new MemoryStore();
    const v3 = JSON.stringify({ v: 3, ownerNumber: "+14085550199", ownerPin: "", homeCountryCode: "1", simPin: "4821", modemProfile: "", smsMode: "" });
    store.set("cfg.a", `1;${crc32(`1;${v3}`)};${v3}`);
    const s = new Settings(store, quiet);
    expect([s.get("ownerNumber"), s.get("simPin"), s.get("simPinAttempt")]).to.deep.equal(["+14085550199", "4821", ""]);
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

  describe("the two slots", () => {
    /** A store holding the records of successive owners, and the slots as written. */
    function written(owners: string[]): { store: MemoryStore; lines: string[]; log: Logger } {
      const store = new MemoryStore();
      const lines: string[] = [];
      const log: Logger = { log: (level, _tag, message) => lines.push(`${level}: ${message}`) };
      const s = new Settings(store, log);
      for (const owner of owners) expect(s.set("ownerNumber", owner).ok).to.equal(true);
      return { store, lines, log };
    }

    it("a restart reads the newest write, whichever slot holds it", () => {
      for (let writes = 1; writes <= 5; writes++) {
        const owners = ["+14085550101", "+14085550102", "+14085550103", "+14085550104", "+14085550105"].slice(0, writes);
        const { store } = written(owners);
        expect(new Settings(store, quiet).get("ownerNumber"), `${writes} writes`).to.equal(owners.at(-1));
      }
    });

    it("the sequence is covered by the CRC: raising an old slot's sequence does not bring back the previous owner", () => {
      const { store } = written(["+14085550101", "+14085550102"]);
      // slot b holds write 1 (the previous owner): give it a higher sequence, CRC left as it was
      const old = store.get("cfg.b") as string;
      const newer = store.get("cfg.a") as string;
      expect(old.startsWith("1;") && newer.startsWith("2;")).to.equal(true);
      store.set("cfg.b", "9" + old.slice(1));
      expect(new Settings(store, quiet).get("ownerNumber")).to.equal("+14085550102");
    });

    it("a bit flip that leaves valid JSON is caught by the CRC", () => {
      const { store } = written(["+14085550101", "+14085550102"]);
      const slot = store.get("cfg.a") as string;
      store.set("cfg.a", slot.replace("+14085550102", "+14085550112"));
      expect(new Settings(store, quiet).get("ownerNumber")).to.equal("+14085550101");
    });

    it("a newest record with a valid CRC but an invalid value falls back to the older valid one", () => {
      const { store, lines, log } = written(["+14085550101"]);
      const json = JSON.stringify({ v: 3, ownerNumber: "not a number", ownerPin: "", homeCountryCode: "1", simPin: "", modemProfile: "", smsMode: "" });
      store.set("cfg.a", `2;${crc32(`2;${json}`)};${json}`);
      const s = new Settings(store, log);
      expect(s.get("ownerNumber")).to.equal("+14085550101");
      expect(lines.some((l) => /newest settings record has invalid values \(ownerNumber\)/.test(l))).to.equal(true);
      // the next write goes after both: it is the one a restart reads
      expect(s.set("homeCountryCode", "44").ok).to.equal(true);
      const again = new Settings(store, quiet);
      expect([again.get("ownerNumber"), again.get("homeCountryCode")]).to.deep.equal(["+14085550101", "44"]);
    });

    it("both records damaged: unclaimed, and it says so", () => {
      const { store } = written(["+14085550101", "+14085550102"]);
      for (const key of ["cfg.a", "cfg.b"]) store.set(key, (store.get(key) as string).slice(0, 20));
      const lines: string[] = [];
      const s = new Settings(store, { log: (level, _tag, message) => lines.push(`${level}: ${message}`) });
      expect(s.get("ownerNumber")).to.equal("");
      expect(lines).to.deep.equal(["error: both settings records are unreadable (damaged): starting unclaimed, with defaults"]);
    });

    it("a sequence or CRC that is not plain digits is damage ('1e3', '+1', ' 1')", () => {
      for (const sequence of ["1e3", "+1", " 1", "0x1", "1.0"]) {
        const store = new MemoryStore();
        const json = JSON.stringify({ v: 3, ownerNumber: "+14085550199" });
        store.set("cfg.a", `${sequence};${crc32(`${sequence};${json}`)};${json}`);
        // and in the older form (CRC of the json alone), which this firmware still reads
        const legacy = JSON.stringify({ v: 2, ownerNumber: "+14085550199" });
        store.set("cfg.b", `${sequence};${crc32(legacy)};${legacy}`);
        expect(new Settings(store, quiet).get("ownerNumber"), sequence).to.equal("");
      }
    });

    it("keys a newer firmware wrote are kept through this firmware's writes", () => {
      const store = new MemoryStore();
      const json = JSON.stringify({ v: 9, ownerNumber: "+14085550199", geofence: { radiusM: 500 }, tz: "Europe/London" });
      store.set("cfg.a", `4;${crc32(`4;${json}`)};${json}`);
      const s = new Settings(store, quiet);
      expect(s.get("ownerNumber")).to.equal("+14085550199");
      expect(s.set("ownerPin", "4821").ok).to.equal(true);
      const slot = store.get("cfg.b") as string;
      expect(slot.startsWith("5;")).to.equal(true);
      const saved = JSON.parse(slot.slice(slot.indexOf(";", 2) + 1)) as Record<string, unknown>;
      expect(saved).to.deep.include({ geofence: { radiusM: 500 }, tz: "Europe/London", ownerPin: "4821", ownerNumber: "+14085550199" });
    });

    it("a store that refuses the write: not ok, with the reason, and the old value stays", () => {
      const store = new MemoryStore();
      const s = new Settings(store, quiet);
      expect(s.set("ownerNumber", "+14085550199").ok).to.equal(true);
      store.set = () => {
        throw new Error("nvs set fail");
      };
      const result = s.set("ownerNumber", "+447700900123");
      expect(result).to.deep.equal({ ok: false, reason: "store refused the write: nvs set fail" });
      expect(s.get("ownerNumber")).to.equal("+14085550199");
    });

    it("PINs: 4 to 8 digits, any digit (0 included)", () => {
      const s = new Settings(new MemoryStore(), quiet);
      for (const pin of ["0000", "1230", "00000000", "12345678"]) expect(s.set("ownerPin", pin).ok, pin).to.equal(true);
      for (const pin of ["123", "123456789", "12 34", "１２３４"]) expect(s.set("ownerPin", pin).ok, pin).to.equal(false);
    });
  });
});

import { expect } from "chai";
import { Settings, SETTINGS_VERSION } from "../../src/store/settings.ts";
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
    expect(s.get("pinHash")).to.equal("");
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
    s.set("simPin", "4821");
    const result = s.set("simPin", "12");
    expect(result.ok).to.equal(false);
    expect(result.reason).to.match(/4 to 8 digits/);
    expect(s.get("simPin")).to.equal("4821");
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
      s.set("simPin", "4821");
      store.cutAfterChars = cut;
      const result = s.set("ownerNumber", "+447700900123");
      const reloaded = new Settings(store, quiet);
      const owner = reloaded.get("ownerNumber");
      expect(["+14085550199", "+447700900123"]).to.include(owner);
      expect(reloaded.get("simPin")).to.equal("4821");
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
    expect(s.get("pinHash")).to.equal("");
    expect(s.takeLegacyPin()).to.equal("4821"); // for the tracker to hash (test/app)
    expect(s.takeLegacyPin()).to.equal("");
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

  it("factory reset forgets keys a newer firmware wrote too: the next write holds only this firmware's", () => {
    const store = new MemoryStore();
    const json = JSON.stringify({ v: 9, ownerNumber: "+14085550199", home: "51.5,-0.1" });
    store.set("cfg.a", `1;${crc32(`1;${json}`)};${json}`);
    const s = new Settings(store, quiet);
    s.reset();
    expect(s.set("homeCountryCode", "44").ok).to.equal(true);
    const written = [...store.values.values()] as string[];
    expect(written).to.have.length(1);
    expect(JSON.parse(written[0]!.slice(written[0]!.indexOf(";", 2) + 1))).to.deep.equal({ v: SETTINGS_VERSION, ...Settings.defaults(), homeCountryCode: "44" });
  });

  it("eraseUserData (RESET) keeps the unit's facts, and leaves nothing of the owner's in either slot", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    expect(s.setMany({ homeCountryCode: "44", ownerNumber: "+447700900123", users: "+447700900124,Anna,user,on", setupCode: "K7PQ2MXA", simPin: "4821", smsPerDay: "80", secure: "on" }).ok).to.equal(true);
    expect(s.eraseUserData()).to.deep.equal({ ok: true, reason: "" });
    const flash = JSON.stringify([...store.values.values()]);
    for (const gone of ["+447700900123", "+447700900124", "Anna", 'smsPerDay\\":\\"80', 'secure\\":\\"on']) expect(flash, gone).to.not.include(gone);
    const reloaded = new Settings(store, quiet);
    expect([reloaded.get("ownerNumber"), reloaded.get("users"), reloaded.get("smsPerDay"), reloaded.get("secure")]).to.deep.equal(["", "", "50", "off"]);
    expect([reloaded.get("setupCode"), reloaded.get("simPin"), reloaded.get("homeCountryCode")]).to.deep.equal(["K7PQ2MXA", "4821", "44"]);
  });

  it("eraseUserData: a refused scrub of the older slot is logged, the erase stands; armed is on or off", () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    const s = new Settings(store, { log: (level, _tag, message) => lines.push(`${level}: ${message}`) });
    expect(s.setMany({ ownerNumber: "+14085550199", armed: "on" }).ok).to.equal(true);
    const set = store.set.bind(store);
    let writes = 0;
    store.set = (key, value) => {
      if (++writes > 1) throw new Error("flash full");
      set(key, value);
    };
    expect(s.eraseUserData()).to.deep.equal({ ok: true, reason: "" });
    expect(lines).to.deep.equal(["error: the erased settings are in force, but the older slot still holds the previous record: store refused the write: flash full"]);
    expect([s.get("ownerNumber"), s.get("armed")]).to.deep.equal(["", "off"]);
    expect(s.set("armed", "maybe")).to.deep.equal({ ok: false, reason: "armed must be on or off" });
  });

  it("setMany: all or nothing, checked in the order given", () => {
    const store = new MemoryStore();
    const s = new Settings(store, quiet);
    expect(s.setMany({ homeCountryCode: "44", ownerNumber: "07700 900123" }).ok).to.equal(true);
    expect(s.get("ownerNumber")).to.equal("+447700900123");
    expect(s.setMany({ ownerNumber: "+14085550199", smsPerDay: "4" })).to.deep.equal({ ok: false, reason: "SMS per day must be a whole number from 5 to 1000" });
    expect(new Settings(store, quiet).get("ownerNumber")).to.equal("+447700900123");
    expect(s.setMany({ nonsense: "1" } as never)).to.deep.equal({ ok: false, reason: "unknown setting 'nonsense'" });
    expect(s.set("toString" as never, "1")).to.deep.equal({ ok: false, reason: "unknown setting 'toString'" });
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
      expect(s.set("simPin", "4821").ok).to.equal(true);
      const slot = store.get("cfg.b") as string;
      expect(slot.startsWith("5;")).to.equal(true);
      const saved = JSON.parse(slot.slice(slot.indexOf(";", 2) + 1)) as Record<string, unknown>;
      expect(saved).to.deep.include({ geofence: { radiusM: 500 }, tz: "Europe/London", simPin: "4821", ownerNumber: "+14085550199" });
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
      for (const pin of ["0000", "1230", "00000000", "12345678"]) expect(s.set("simPin", pin).ok, pin).to.equal(true);
      for (const pin of ["123", "123456789", "12 34", "１２３４"]) expect(s.set("simPin", pin).ok, pin).to.equal(false);
    });
  });

  describe("what each setting accepts", () => {
    it("the owner number: cleared by an empty value, which makes the device unclaimed again", () => {
      const store = new MemoryStore();
      const s = new Settings(store, quiet);
      expect(s.set("ownerNumber", "+14085550199").ok).to.equal(true);
      expect(s.set("ownerNumber", "")).to.deep.equal({ ok: true, reason: "" });
      expect(new Settings(store, quiet).get("ownerNumber")).to.equal("");
      expect(s.set("ownerNumber", "12")).to.deep.equal({ ok: false, reason: "not a phone number" });
    });

    it("PINs with a 9 or a 0 anywhere; the reasons name the PIN and never echo it", () => {
      const s = new Settings(new MemoryStore(), quiet);
      for (const pin of ["9999", "0909", "90000009"]) expect(s.set("simPin", pin).ok, pin).to.equal(true);
      expect(s.set("simPin", "99a9")).to.deep.equal({ ok: false, reason: "SIM PIN must be 4 to 8 digits" });
      expect(s.set("simPin", "")).to.deep.equal({ ok: true, reason: "" });
    });

    it("the home country code: 1 to 3 digits, a leading + dropped", () => {
      const store = new MemoryStore();
      const s = new Settings(store, quiet);
      expect(s.set("homeCountryCode", "+44").ok).to.equal(true);
      expect(new Settings(store, quiet).get("homeCountryCode")).to.equal("44");
      expect(s.set("homeCountryCode", "44+")).to.deep.equal({ ok: false, reason: "country code must be 1 to 3 digits" });
      expect(s.get("homeCountryCode")).to.equal("44");
    });

    it("the modem profile: a known profile's name (as the profile spells it), or \"\" for the build's", () => {
      const store = new MemoryStore();
      const s = new Settings(store, quiet);
      expect(s.set("modemProfile", "sim7600").ok).to.equal(true);
      expect(new Settings(store, quiet).get("modemProfile")).to.equal("SIM7600");
      expect(s.set("modemProfile", "NOKIA3310")).to.deep.equal({ ok: false, reason: "unknown modem profile" });
      expect(s.set("modemProfile", "")).to.deep.equal({ ok: true, reason: "" });
      expect(s.get("modemProfile")).to.equal("");
    });

    it("the SMS mode: pdu, text or \"\"", () => {
      const store = new MemoryStore();
      const s = new Settings(store, quiet);
      for (const mode of ["text", "pdu", ""]) {
        expect(s.set("smsMode", mode).ok, mode).to.equal(true);
        expect(new Settings(store, quiet).get("smsMode")).to.equal(mode);
      }
      for (const mode of ["PDU", "txt", " pdu"]) {
        expect(s.set("smsMode", mode)).to.deep.equal({ ok: false, reason: "SMS mode must be pdu or text" });
      }
    });

    it("reply limits and the loop guard: whole numbers within their bounds, both bounds included", () => {
      const s = new Settings(new MemoryStore(), quiet);
      const cases = [
        ["repliesPerHour", 2, 200, "replies per hour to one number must be a whole number from 2 to 200"],
        ["repliesPerHourAll", 2, 1000, "replies per hour in all must be a whole number from 2 to 1000"],
        ["loopGuardAfter", 1, 20, "texts answered before the loop guard must be a whole number from 1 to 20"],
      ] as const;
      for (const [key, min, max, reason] of cases) {
        expect(s.set(key, String(min)).ok, `${key} ${min}`).to.equal(true);
        expect(s.get(key)).to.equal(String(min));
        expect(s.set(key, `0${max}`).ok, `${key} ${max}`).to.equal(true);
        expect(s.get(key)).to.equal(String(max));
        for (const bad of [String(min - 1), String(max + 1), "", "1e1", "-3", "5.0"]) {
          expect(s.set(key, bad), `${key} '${bad}'`).to.deep.equal({ ok: false, reason });
        }
      }
    });

    it("a key the schema does not know is refused with its name (the console passes keys as typed)", () => {
      const s = new Settings(new MemoryStore(), quiet);
      expect(s.set("ownerNumbr" as never, "+14085550199")).to.deep.equal({ ok: false, reason: "unknown setting 'ownerNumbr'" });
    });
  });

  describe("reading what the store holds", () => {
    function slotOf(sequence: string, json: string, crcOf = `${sequence};${json}`): string {
      return `${sequence};${crc32(crcOf)};${json}`;
    }
    function load(slots: { a?: string; b?: string }): { s: Settings; lines: string[] } {
      const store = new MemoryStore();
      if (slots.a !== undefined) store.set("cfg.a", slots.a);
      if (slots.b !== undefined) store.set("cfg.b", slots.b);
      const lines: string[] = [];
      const s = new Settings(store, { log: (level, _tag, message) => lines.push(`${level}: ${message}`) });
      return { s, lines };
    }
    const owner = JSON.stringify({ v: 5, ownerNumber: "+14085550199" });
    const DAMAGED = "error: both settings records are unreadable (damaged): starting unclaimed, with defaults";

    it("a fresh store: defaults, and not a word in the log", () => {
      const { s, lines } = load({});
      expect(s.get("ownerNumber")).to.equal("");
      expect(lines).to.deep.equal([]);
    });

    it("a current record: read without a warning", () => {
      const { s, lines } = load({ a: slotOf("1", owner) });
      expect(s.get("ownerNumber")).to.equal("+14085550199");
      expect(lines).to.deep.equal([]);
    });

    it("sequences: 15 digits at most, never 0", () => {
      expect(load({ a: slotOf("999999999999999", owner) }).s.get("ownerNumber")).to.equal("+14085550199");
      for (const sequence of ["1000000000000001", "0", "000"]) {
        const { s, lines } = load({ a: slotOf(sequence, owner) });
        expect(s.get("ownerNumber"), sequence).to.equal("");
        expect(lines, sequence).to.deep.equal([DAMAGED]);
      }
    });

    it("a record that is not three fields, or whose JSON is not an object, is damage", () => {
      const crcOnly = `${crc32(owner)}`;
      for (const value of [owner, `1;${owner}`, `1${crcOnly}${owner}`, slotOf("1", "null"), slotOf("1", "[1,2]"), slotOf("1", "5"), slotOf("1", '"x"'), slotOf("1", "{\"v\":5,")]) {
        const { s, lines } = load({ a: value });
        expect(s.get("ownerNumber"), value).to.equal("");
        expect(lines, value).to.deep.equal([DAMAGED]);
      }
    });

    it("a value that is not text (a number where a PIN should be) is invalid: its default is used, and it says which key", () => {
      const json = JSON.stringify({ v: 5, ownerNumber: "+14085550199", simPin: 4821 });
      const { s, lines } = load({ a: slotOf("1", json) });
      expect([s.get("ownerNumber"), s.get("simPin")]).to.deep.equal(["+14085550199", ""]);
      expect(lines).to.deep.equal(["warn: stored simPin is invalid; using default"]);
    });

    it("records before the sequence was covered (versions 0 to 2, CRC of the json alone) are read; later ones in that form are damage", () => {
      for (const v of [undefined, 1, 2]) {
        const json = JSON.stringify({ v, ownerNumber: "+14085550199" });
        const { s, lines } = load({ a: slotOf("1", json, json) });
        expect(s.get("ownerNumber"), `v ${v}`).to.equal("+14085550199");
        expect(lines).to.deep.equal([]);
      }
      for (const v of [3, 5, "2", 0]) {
        const json = JSON.stringify({ v, ownerNumber: "+14085550199" });
        const { s, lines } = load({ a: slotOf("1", json, json) });
        expect(s.get("ownerNumber"), `v ${JSON.stringify(v)}`).to.equal("");
        expect(lines).to.deep.equal([DAMAGED]);
      }
    });

    it("an old-form record with a bit flip is damage too", () => {
      const json = JSON.stringify({ v: 2, ownerNumber: "+14085550199" });
      const good = slotOf("1", json, json);
      const { s } = load({ a: good.replace("0199", "0198"), b: slotOf("1", JSON.stringify({ v: 2, ownerNumber: "+14085550101" }), JSON.stringify({ v: 2, ownerNumber: "+14085550101" })) });
      expect(s.get("ownerNumber")).to.equal("+14085550101");
    });

    it("a record from a newer firmware: known keys read, one warning naming both versions", () => {
      const { s, lines } = load({ a: slotOf("3", JSON.stringify({ v: 9, ownerNumber: "+14085550199", tz: "CET" })) });
      expect(s.get("ownerNumber")).to.equal("+14085550199");
      expect(lines).to.deep.equal([`warn: settings version 9 is newer than ${SETTINGS_VERSION}; reading known keys, keeping the others`]);
    });

    it("the only record has an invalid value: that key at its default, one warning, no talk of an older record", () => {
      const json = JSON.stringify({ v: 5, ownerNumber: "+14085550199", smsMode: "fax" });
      const { s, lines } = load({ b: slotOf("2", json) });
      expect([s.get("ownerNumber"), s.get("smsMode")]).to.deep.equal(["+14085550199", ""]);
      expect(lines).to.deep.equal(["warn: stored smsMode is invalid; using default"]);
    });

    it("both records have invalid values: the newest is used, its bad keys defaulted, and the log says both", () => {
      const newer = JSON.stringify({ v: 5, ownerNumber: "+14085550102", smsMode: "fax" });
      const older = JSON.stringify({ v: 5, ownerNumber: "+14085550101", repliesPerHour: "1" });
      const { s, lines } = load({ a: slotOf("7", newer), b: slotOf("6", older) });
      expect([s.get("ownerNumber"), s.get("smsMode"), s.get("repliesPerHour")]).to.deep.equal(["+14085550102", "", "30"]);
      expect(lines).to.deep.equal([
        "warn: newest settings record has invalid values (smsMode); trying the older one",
        "warn: stored smsMode is invalid; using default",
      ]);
    });

    it("the next write goes after the highest sequence seen and into the other slot, keeping unknown keys", () => {
      const store = new MemoryStore();
      store.set("cfg.b", slotOf("41", JSON.stringify({ v: SETTINGS_VERSION + 1, ownerNumber: "+14085550199", alerts: [1, 2] })));
      store.set("cfg.a", slotOf("40", JSON.stringify({ v: 5, ownerNumber: "+14085550101" })));
      const s = new Settings(store, quiet);
      expect(s.set("simPin", "4821").ok).to.equal(true);
      const written = store.get("cfg.a") as string;
      expect(written.startsWith("42;")).to.equal(true);
      const json = written.slice(written.indexOf(";", 3) + 1);
      expect(JSON.parse(json)).to.deep.equal({ v: SETTINGS_VERSION, alerts: [1, 2], ...Settings.defaults(), ownerNumber: "+14085550199", simPin: "4821" });
      expect(written).to.equal(slotOf("42", json));
    });
  });
});

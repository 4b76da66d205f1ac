/**
 * The settings schema key by key: every key survives a restart, RESET keeps exactly the unit's
 * facts, each refused value gives its own reason, the clear PIN of an old record is handed over only
 * when it is a PIN and no hash exists, and every log line is tagged "store".
 */
import { expect } from "chai";
import { Settings, SETTINGS_VERSION, type SettingKey, type SettingsRecord } from "../../src/store/settings.ts";
import { crc32 } from "../../src/store/crc32.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { RecordingLogger } from "../modem/fakes.ts";

const HASH = `64:0123456789abcdef:${"ab".repeat(32)}`;

/** A value for every key, none of them its default. */
const EVERY_KEY: SettingsRecord = {
  homeCountryCode: "44",
  ownerNumber: "+447700900111",
  pinHash: HASH,
  users: "+447700900123,Anna,admin,on;+14085550123,Bob,user,off",
  ownerAlerts: "off",
  secure: "on",
  pinLock: "2,1,1700000000",
  claimLock: "3,0,",
  setupCode: "K7PQ2M9X",
  smsPerDay: "120",
  armed: "on",
  fence: "37.33491,-121.88811,250",
  speedLimitKmh: "110",
  track: "5,20,500,17,+14085550199",
  whereWaitS: "30",
  units: "imperial",
  timeZone: "CET",
  simPin: "4821",
  simPinAttempt: "unsettled",
  modemProfile: "SIM7600",
  smsMode: "text",
  repliesPerHour: "12",
  repliesPerHourAll: "40",
  loopGuardAfter: "7",
};

/** Settings that describe the unit (kept by RESET). */
const UNIT_FACTS: readonly SettingKey[] = ["setupCode", "homeCountryCode", "modemProfile", "smsMode", "simPin", "simPinAttempt"];

function slotOf(sequence: number, data: Record<string, unknown>): string {
  const json = JSON.stringify(data);
  return `${sequence};${crc32(`${sequence};${json}`)};${json}`;
}

/** Settings loaded from a store holding `slots`, with its log. */
function load(slots: { a?: Record<string, unknown>; b?: Record<string, unknown> }, sequences = { a: 1, b: 2 }): { s: Settings; log: RecordingLogger } {
  const store = new MemoryStore();
  if (slots.a) store.set("cfg.a", slotOf(sequences.a, slots.a));
  if (slots.b) store.set("cfg.b", slotOf(sequences.b, slots.b));
  const log = new RecordingLogger();
  return { s: new Settings(store, log), log };
}

function all(s: Settings): SettingsRecord {
  const out = {} as Record<SettingKey, string>;
  for (const key of Object.keys(EVERY_KEY) as SettingKey[]) out[key] = s.get(key);
  return out as SettingsRecord;
}

describe("store/settings: the schema key by key", () => {
  // simPin resets simPinAttempt in the same write: set the attempt after it
  const { simPinAttempt, ...firstWrite } = EVERY_KEY;

  it("every key is read back after a restart", () => {
    const store = new MemoryStore();
    const s = new Settings(store, new RecordingLogger());
    expect(s.setMany(firstWrite)).to.deep.equal({ ok: true, reason: "" });
    expect(s.set("simPinAttempt", simPinAttempt)).to.deep.equal({ ok: true, reason: "" });
    expect(all(s)).to.deep.equal(EVERY_KEY);
    const log = new RecordingLogger();
    expect(all(new Settings(store, log))).to.deep.equal(EVERY_KEY);
    expect(log.lines).to.deep.equal([]);
  });

  it("RESET (eraseUserData) keeps exactly the unit's facts, in RAM and after a restart", () => {
    const store = new MemoryStore();
    const s = new Settings(store, new RecordingLogger());
    s.setMany(firstWrite);
    s.set("simPinAttempt", simPinAttempt);
    expect(s.eraseUserData()).to.deep.equal({ ok: true, reason: "" });
    const expected = Settings.defaults();
    for (const key of UNIT_FACTS) (expected as unknown as Record<string, string>)[key] = EVERY_KEY[key];
    expect(all(s)).to.deep.equal(expected);
    expect(all(new Settings(store, new RecordingLogger()))).to.deep.equal(expected);
  });

  it("the fence: a centre to 5 decimals and a radius of 100 m to 50 km; anything else refused", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    expect(s.set("fence", "37.3349123,-121.888,100").ok).to.equal(true);
    expect(s.get("fence")).to.equal("37.33491,-121.88800,100");
    for (const bad of ["37.3,-121.8", "91,0,200", "0,181,200", "0,-181,200", "0,0,99", "0,0,50001", "0,0,1e3", "x,0,200", "0,0,200,1", " 0,0,200"]) {
      expect(s.set("fence", bad), bad).to.deep.equal({ ok: false, reason: "not a fence (lat,lon,radius in m)" });
    }
    expect(s.set("fence", "-90,180,50000").ok).to.equal(true);
    expect(s.set("fence", "").ok).to.equal(true);
    expect(s.get("fence")).to.equal("");
  });

  it("the tracking plan: at most 100 positions and 24 h, left never above the count", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    const to = ",+14085550199";
    expect(s.set("track", "1440,1,0,1" + to).ok).to.equal(true);
    expect(s.set("track", "15,96,100000,0" + to).ok).to.equal(true);
    for (const bad of ["15,97,0,1", "0,1,0,1", "1441,1,0,1", "1,101,0,1", "5,20,100001,3", "5,20,500,21", "5,20,500", "5,20,-1,3", "5.5,20,500,3"]) {
      expect(s.set("track", bad + to), bad).to.deep.equal({ ok: false, reason: "not a tracking plan (interval,count,distance,left,number)" });
    }
    for (const bad of ["5,20,500,3", "5,20,500,3,14085550199", "5,20,500,3,+0123456", "5,20,500,3,+1408555019x"]) {
      expect(s.set("track", bad).ok, bad).to.equal(false);
    }
    expect(s.get("track")).to.equal("15,96,100000,0" + to);
  });

  it("speed limit 0 (none) or 20 to 250 km/h; WHERE wait 0 to 120 s; units metric or imperial", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    expect([s.get("speedLimitKmh"), s.get("whereWaitS"), s.get("units")]).to.deep.equal(["0", "60", "metric"]);
    expect(s.set("speedLimitKmh", "20").ok && s.set("speedLimitKmh", "250").ok && s.set("speedLimitKmh", "0").ok).to.equal(true);
    for (const bad of ["19", "251", "-1", "00x"]) expect(s.set("speedLimitKmh", bad).reason, bad).to.equal("speed limit (km/h, or 0 for none) must be a whole number from 20 to 250");
    expect(s.set("whereWaitS", "0").ok && s.set("whereWaitS", "120").ok).to.equal(true);
    expect(s.set("whereWaitS", "121").reason).to.equal("WHERE wait (s) must be a whole number from 0 to 120");
    expect(s.set("units", "imperial").ok).to.equal(true);
    expect(s.set("units", "Imperial")).to.deep.equal({ ok: false, reason: "units must be metric or imperial" });
    expect([s.get("speedLimitKmh"), s.get("whereWaitS"), s.get("units")]).to.deep.equal(["0", "120", "imperial"]);
  });

  it("on/off settings: anything else is refused, naming the setting", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    expect(s.set("ownerAlerts", "yes")).to.deep.equal({ ok: false, reason: "owner alerts must be on or off" });
    expect(s.set("secure", "ON")).to.deep.equal({ ok: false, reason: "secure must be on or off" });
    expect([s.get("ownerAlerts"), s.get("secure")]).to.deep.equal(["on", "off"]);
  });

  it("the PIN hash: iterations:salt:hash in lower-case hex, nothing around it", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    expect(s.set("pinHash", HASH).ok).to.equal(true);
    for (const bad of ["1234", `x${HASH}`, `${HASH}x`, `${HASH}\n`, HASH.toUpperCase(), `12345678:0123456789abcdef:${"ab".repeat(32)}`, `64:0123456789abcde:${"ab".repeat(32)}`]) {
      expect(s.set("pinHash", bad), bad).to.deep.equal({ ok: false, reason: "not a PIN hash" });
    }
    expect(s.get("pinHash")).to.equal(HASH);
    expect(s.set("pinHash", "")).to.deep.equal({ ok: true, reason: "" });
  });

  it("the users: a bad list is refused with the list's reason; the owner is not one of them", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    expect(s.set("ownerNumber", "+14085550199").ok).to.equal(true);
    expect(s.set("users", "garbage")).to.deep.equal({ ok: false, reason: "'garbage' is not number,name,role,alerts" });
    expect(s.set("users", "+14085550199,Me,user,on")).to.deep.equal({ ok: false, reason: "the owner is not listed among the users" });
    expect(s.set("users", "4085550199,Me,user,on")).to.deep.equal({ ok: false, reason: "the owner is not listed among the users" });
    expect(s.get("users")).to.equal("");
    expect(s.set("users", "4085550123,Bob,user,on")).to.deep.equal({ ok: true, reason: "" });
    expect(s.get("users"), "stored in E.164").to.equal("+14085550123,Bob,user,on");
  });

  for (const key of ["pinLock", "claimLock"] as const) {
    it(`${key}: "fails,lockouts,end" in digits (up to 9, 9 and 12), or ""`, () => {
      const s = new Settings(new MemoryStore(), new RecordingLogger());
      for (const good of ["", "1,0,", "0,1,0", "12,34,1700000000", "123456789,123456789,999999999999"]) {
        expect(s.set(key, good), good).to.deep.equal({ ok: true, reason: "" });
        expect(s.get(key)).to.equal(good);
      }
      for (const bad of ["x", "1,0", "a1,0,", "1,0,5x", "1,0,\n", " 1,0,", "1234567890,0,", "0,1234567890,", "0,1,1234567890123"]) {
        expect(s.set(key, bad), JSON.stringify(bad)).to.deep.equal({ ok: false, reason: "not a lockout state" });
      }
    });
  }

  it("the setup code: 8 to 16 letters and digits, stored in upper case", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    expect(s.set("setupCode", "k7pq2m9x")).to.deep.equal({ ok: true, reason: "" });
    expect(s.get("setupCode")).to.equal("K7PQ2M9X");
    const reason = "setup code must be 8 to 16 letters and digits";
    for (const bad of ["K7PQ2M9", "K7PQ2M9XK7PQ2M9XA", "-K7PQ2M9X", "K7PQ2M9X-", "K7PQ 2M9X", "K7PQ2M9X\n"]) {
      expect(s.set("setupCode", bad), JSON.stringify(bad)).to.deep.equal({ ok: false, reason });
    }
    expect(s.get("setupCode")).to.equal("K7PQ2M9X");
    expect(s.set("setupCode", "")).to.deep.equal({ ok: true, reason: "" });
  });

  it("the daily budget: its reason names it", () => {
    const s = new Settings(new MemoryStore(), new RecordingLogger());
    expect(s.set("smsPerDay", "1001")).to.deep.equal({ ok: false, reason: "SMS per day must be a whole number from 5 to 1000" });
  });

  it("overwriteOlderSlot: the current record in the other slot too; a refused write says why", () => {
    const store = new MemoryStore();
    const s = new Settings(store, new RecordingLogger());
    s.set("ownerNumber", "+14085550101");
    s.set("ownerNumber", "+14085550102");
    expect(s.overwriteOlderSlot()).to.deep.equal({ ok: true, reason: "" });
    expect(String(store.get("cfg.a"))).to.include("+14085550102");
    expect(String(store.get("cfg.b"))).to.include("+14085550102");
    expect(new Settings(store, new RecordingLogger()).get("ownerNumber")).to.equal("+14085550102");
    store.set = () => {
      throw new Error("nvs full");
    };
    expect(s.overwriteOlderSlot()).to.deep.equal({ ok: false, reason: "store refused the write: nvs full" });
  });

  describe("the clear PIN of a record before version 6", () => {
    it("none on a fresh store", () => {
      expect(new Settings(new MemoryStore(), new RecordingLogger()).takeLegacyPin()).to.equal("");
    });

    it("a PIN, with no hash stored: handed over once", () => {
      const { s } = load({ a: { v: 5, ownerNumber: "+14085550199", ownerPin: "4821" } });
      expect(s.takeLegacyPin()).to.equal("4821");
      expect(s.takeLegacyPin()).to.equal("");
    });

    it("not a PIN, not text, or a hash already stored: not handed over", () => {
      for (const data of [
        { v: 5, ownerNumber: "+14085550199", ownerPin: "12" },
        { v: 5, ownerNumber: "+14085550199", ownerPin: 4821 },
        { v: 5, ownerNumber: "+14085550199", ownerPin: "4821", pinHash: HASH },
      ]) {
        const { s } = load({ a: data });
        expect(s.takeLegacyPin(), JSON.stringify(data)).to.equal("");
        expect(s.get("ownerNumber")).to.equal("+14085550199");
      }
    });
  });

  describe("log lines, all tagged store", () => {
    it("a record of the current version: not a word", () => {
      const { log } = load({ a: { v: SETTINGS_VERSION, ownerNumber: "+14085550199" } });
      expect(log.lines).to.deep.equal([]);
    });

    it("a version that is not a number: no talk of a newer one", () => {
      const { s, log } = load({ a: { v: "9", ownerNumber: "+14085550199" } });
      expect(s.get("ownerNumber")).to.equal("+14085550199");
      expect(log.lines).to.deep.equal([]);
    });

    it("a newer version", () => {
      const { log } = load({ a: { v: SETTINGS_VERSION + 1, ownerNumber: "+14085550199" } });
      expect(log.lines).to.deep.equal([`warn store: settings version ${SETTINGS_VERSION + 1} is newer than ${SETTINGS_VERSION}; reading known keys, keeping the others`]);
    });

    it("both records damaged", () => {
      const store = new MemoryStore();
      store.set("cfg.a", "1;2;{}");
      store.set("cfg.b", "junk");
      const log = new RecordingLogger();
      new Settings(store, log);
      expect(log.lines).to.deep.equal(["error store: both settings records are unreadable (damaged): starting unclaimed, with defaults"]);
    });

    it("invalid values in the newest record, then in the older one", () => {
      const { s, log } = load(
        { a: { v: 5, ownerNumber: "+14085550101", smsMode: "fax", repliesPerHour: "1" }, b: { v: 5, ownerNumber: "+14085550102", secure: "maybe" } },
        { a: 8, b: 7 },
      );
      expect(s.get("ownerNumber")).to.equal("+14085550101");
      expect(log.lines).to.deep.equal([
        "warn store: newest settings record has invalid values (smsMode, repliesPerHour); trying the older one",
        "warn store: stored smsMode is invalid; using default",
        "warn store: stored repliesPerHour is invalid; using default",
      ]);
    });
  });
});

/**
 * The PIN: 4 to 8 digits, stored only as "iterations:salt:hash" (PBKDF2-HMAC-SHA-256, checked
 * against node:crypto), and every malformed stored form refused.
 */
import { expect } from "chai";
import { pbkdf2Sync } from "node:crypto";
import { PIN_HASH_ITERATIONS, hashPin, isPin, pinMatches } from "../../src/auth/pin.ts";
import { SimRandom } from "../../host-sim/guest/sim-ports.ts";

const SALT = "0123456789abcdef";

/** A stored form built with node:crypto: `iterations`:`saltHex`:PBKDF2 of `pin` (`bytes` long). */
function stored(pin: string, iterations: number, saltHex = SALT, bytes = 32): string {
  return `${iterations}:${saltHex}:${pbkdf2Sync(pin, Buffer.from(saltHex, "hex"), iterations, bytes, "sha256").toString("hex")}`;
}

/** The first 8 bytes `SimRandom(seed)` draws, as hex. */
function saltOf(seed: number): string {
  const bytes = new Uint8Array(8);
  new SimRandom(seed).fill(bytes);
  return Buffer.from(bytes).toString("hex");
}

describe("auth/pin", () => {
  describe("isPin", () => {
    it("4 to 8 ASCII digits", () => {
      for (const pin of ["0000", "1234", "12345", "123456", "1234567", "12345678", "99999999"]) expect(isPin(pin), pin).to.equal(true);
    });

    it("nothing shorter, longer, or with anything but ASCII digits", () => {
      for (const text of ["", "1", "123", "123456789", "1234567890", "12a4", "abcd", " 1234", "1234 ", "1234\n", "\n1234", "12 34", "-1234", "+1234", "12.4", "١٢٣٤", "１２３４"]) {
        expect(isPin(text), JSON.stringify(text)).to.equal(false);
      }
    });
  });

  describe("hashPin", () => {
    it("is '64:<16 hex salt>:<64 hex hash>'", () => {
      expect(PIN_HASH_ITERATIONS).to.equal(64);
      const text = hashPin("1234", new SimRandom(1));
      expect(text).to.match(/^64:[0-9a-f]{16}:[0-9a-f]{64}$/);
    });

    it("the salt is the first 8 random bytes, the hash PBKDF2-HMAC-SHA-256 of the PIN (64 iterations, 32 bytes)", () => {
      for (const [pin, seed] of [["1234", 1], ["00000000", 7], ["4711", 0xdeadbeef]] as const) {
        const salt = saltOf(seed);
        expect(hashPin(pin, new SimRandom(seed)), `${pin} seed ${seed}`).to.equal(stored(pin, 64, salt));
      }
    });

    it("the same draw gives the same form; different draws different salts and hashes", () => {
      expect(hashPin("1234", new SimRandom(5))).to.equal(hashPin("1234", new SimRandom(5)));
      const random = new SimRandom(5);
      const forms = [hashPin("1234", random), hashPin("1234", random), hashPin("1234", new SimRandom(6))];
      const salts = forms.map((f) => f.split(":")[1]);
      const hashes = forms.map((f) => f.split(":")[2]);
      expect(new Set(salts).size).to.equal(3);
      expect(new Set(hashes).size).to.equal(3);
      for (const form of forms) expect(pinMatches("1234", form)).to.equal(true);
    });

    it("different PINs with the same salt give different hashes", () => {
      const a = hashPin("1234", new SimRandom(9));
      const b = hashPin("1235", new SimRandom(9));
      expect(a.split(":")[1]).to.equal(b.split(":")[1]);
      expect(a).to.not.equal(b);
    });

    it("never holds the PIN, in clear or as ASCII hex", () => {
      for (const pin of ["73915824", "1234", "0000", "20242024"]) {
        for (let seed = 0; seed < 4; seed++) {
          const text = hashPin(pin, new SimRandom(seed));
          const asciiHex = Buffer.from(pin, "ascii").toString("hex");
          expect(text, `${pin} seed ${seed}`).to.not.include(pin);
          expect(text, `${pin} seed ${seed}`).to.not.include(asciiHex);
        }
      }
    });
  });

  describe("pinMatches", () => {
    it("true for the PIN the form was made from, false for any other", () => {
      for (const pin of ["1234", "00001234", "98765"]) {
        const form = hashPin(pin, new SimRandom(42));
        expect(pinMatches(pin, form), pin).to.equal(true);
        for (const other of ["1235", "4321", "12340", "0000", "99999999", `${pin}0`.slice(0, 8)]) {
          if (other !== pin) expect(pinMatches(other, form), `${other} vs ${pin}`).to.equal(false);
        }
      }
    });

    it("a text that is not a PIN never matches, even the very text hashed", () => {
      const form = hashPin("123", new SimRandom(1));
      expect(pinMatches("123", form)).to.equal(false);
      const long = hashPin("123456789", new SimRandom(1));
      expect(pinMatches("123456789", long)).to.equal(false);
      expect(pinMatches("", hashPin("", new SimRandom(1)))).to.equal(false);
    });

    it("reads the iterations from the stored form", () => {
      expect(pinMatches("1234", stored("1234", 1))).to.equal(true);
      expect(pinMatches("1234", stored("1234", 2))).to.equal(true);
      expect(pinMatches("1234", stored("1234", 1000))).to.equal(true);
      expect(pinMatches("4321", stored("4321", 64))).to.equal(true);
      // the same hash with another iteration count is another form
      const form = stored("1234", 64);
      expect(pinMatches("1234", form.replace(/^64:/, "65:"))).to.equal(false);
      expect(pinMatches("1234", form.replace(/^64:/, "63:"))).to.equal(false);
    });

    it("refuses iteration counts below 1, non-integer or not a number", () => {
      for (const iterations of ["0", "-1", "-64", "1.5", "64.5", "x", "NaN", "Infinity", ""]) {
        const form = stored("1234", 64).replace(/^64:/, `${iterations}:`);
        expect(pinMatches("1234", form), iterations).to.equal(false);
      }
    });

    it("refuses more than 10,000 iterations: a correct hash for 10,001 is refused all the same", function () {
      expect(pinMatches("1234", stored("1234", 10_001))).to.equal(false);
      expect(pinMatches("1234", stored("1234", 64).replace(/^64:/, "1000000000:"))).to.equal(false);
    });

    it("refuses salts and hashes that are not hex", () => {
      const form = stored("1234", 64);
      const [iterations, salt, hash] = form.split(":") as [string, string, string];
      expect(pinMatches("1234", `${iterations}:${salt}:${hash}`)).to.equal(true);
      expect(pinMatches("1234", `${iterations}:${salt.slice(1)}:${hash}`), "odd salt").to.equal(false);
      expect(pinMatches("1234", `${iterations}:${salt.slice(0, -1)}g:${hash}`), "salt with g").to.equal(false);
      expect(pinMatches("1234", `${iterations}:${salt}:${hash.slice(1)}`), "odd hash").to.equal(false);
      expect(pinMatches("1234", `${iterations}:${salt}:${hash.slice(0, -1)}z`), "hash with z").to.equal(false);
    });

    it("accepts upper-case hex (the same bytes)", () => {
      const form = stored("1234", 64);
      expect(pinMatches("1234", form.toUpperCase())).to.equal(true);
    });

    it("refuses a hash of any length but 32 bytes, even a true prefix or extension of the right one", () => {
      expect(pinMatches("1234", stored("1234", 64, SALT, 16)), "16 bytes").to.equal(false);
      expect(pinMatches("1234", stored("1234", 64, SALT, 31)), "31 bytes").to.equal(false);
      expect(pinMatches("1234", stored("1234", 64, SALT, 33)), "33 bytes").to.equal(false);
      expect(pinMatches("1234", stored("1234", 64, SALT, 64)), "64 bytes").to.equal(false);
      expect(pinMatches("1234", `64:${SALT}:`), "no hash").to.equal(false);
    });

    it("any one byte of the hash wrong: no match (every byte is compared)", () => {
      const form = stored("1234", 64);
      const [head, hash] = [form.slice(0, form.lastIndexOf(":") + 1), form.slice(form.lastIndexOf(":") + 1)];
      for (let byte = 0; byte < 32; byte++) {
        const digit = hash[2 * byte + 1]!;
        const changed = hash.slice(0, 2 * byte + 1) + (digit === "0" ? "1" : "0") + hash.slice(2 * byte + 2);
        expect(pinMatches("1234", head + changed), `byte ${byte}`).to.equal(false);
      }
    });

    it("any other salt: no match", () => {
      const form = stored("1234", 64);
      expect(pinMatches("1234", form.replace(`:${SALT}:`, ":0123456789abcdee:"))).to.equal(false);
      expect(pinMatches("1234", form.replace(`:${SALT}:`, "::"))).to.equal(false);
      // an empty salt is a salt like any other
      expect(pinMatches("1234", stored("1234", 64, ""))).to.equal(true);
    });

    it("refuses forms without exactly three fields", () => {
      const form = stored("1234", 64);
      for (const text of ["", "1234", form.replace(/:/g, ""), form.slice(form.indexOf(":") + 1), `${form}:`, `${form}:00`, `1:${form}`, form.replace(/:/g, ";")]) {
        expect(pinMatches("1234", text), text).to.equal(false);
      }
    });

    it("accepts 10,000 iterations, the most", function () {
      this.timeout(30_000);
      expect(pinMatches("1234", stored("1234", 10_000))).to.equal(true);
    });
  });
});

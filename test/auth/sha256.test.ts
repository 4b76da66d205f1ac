/**
 * SHA-256, HMAC-SHA-256 and PBKDF2-HMAC-SHA-256 against the published vectors (FIPS 180-2,
 * RFC 4231, RFC 7914 §11) and against node:crypto on random inputs around the block boundaries.
 */
import { expect } from "chai";
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { asciiBytes, fromHex, hmacSha256, pbkdf2Sha256, sha256, toHex } from "../../src/auth/sha256.ts";

/** Deterministic pseudo-random generator (xorshift32), so a failure can be reproduced. */
function randomSource(seed: number): (limit: number) => number {
  let x = seed | 0 || 1;
  return (limit) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % limit;
  };
}

function randomBytes(next: (limit: number) => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = next(256);
  return bytes;
}

const nodeSha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");
const nodeHmac = (key: Uint8Array, data: Uint8Array): string => createHmac("sha256", key).update(data).digest("hex");

describe("auth/sha256", () => {
  describe("sha256 (FIPS 180-2 vectors)", () => {
    it("hashes the empty message", () => {
      expect(toHex(sha256(new Uint8Array(0)))).to.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    });

    it('hashes "abc" (one block)', () => {
      expect(toHex(sha256(asciiBytes("abc")))).to.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    });

    it("hashes the 448-bit message (padding spills into a second block)", () => {
      const message = asciiBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
      expect(toHex(sha256(message))).to.equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    });

    it("hashes one million 'a'", () => {
      const message = new Uint8Array(1_000_000).fill(0x61);
      expect(toHex(sha256(message))).to.equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    });

    it("returns 32 bytes and leaves its input unchanged", () => {
      const message = asciiBytes("1234");
      const digest = sha256(message);
      expect(digest).to.be.an.instanceOf(Uint8Array);
      expect(digest.length).to.equal(32);
      expect(Array.from(message)).to.deep.equal([0x31, 0x32, 0x33, 0x34]);
    });
  });

  describe("hmacSha256 (RFC 4231)", () => {
    it("test case 1: 20-byte key", () => {
      const key = new Uint8Array(20).fill(0x0b);
      expect(toHex(hmacSha256(key, asciiBytes("Hi There")))).to.equal(
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      );
    });

    it("test case 2: short key", () => {
      expect(toHex(hmacSha256(asciiBytes("Jefe"), asciiBytes("what do ya want for nothing?")))).to.equal(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      );
    });

    it("test case 6: key longer than a block is hashed first", () => {
      const key = new Uint8Array(131).fill(0xaa);
      const data = asciiBytes("Test Using Larger Than Block-Size Key - Hash Key First");
      expect(toHex(hmacSha256(key, data))).to.equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    });
  });

  describe("pbkdf2Sha256 (RFC 7914 §11)", () => {
    it('P="passwd", S="salt", c=1, dkLen=64', () => {
      const derived = pbkdf2Sha256(asciiBytes("passwd"), asciiBytes("salt"), 1, 64);
      expect(toHex(derived)).to.equal(
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc" +
          "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
      );
    });

    it("truncates the last block and derives nothing for length 0", () => {
      const password = asciiBytes("1234");
      const salt = asciiBytes("device-salt");
      expect(toHex(pbkdf2Sha256(password, salt, 3, 40))).to.equal(pbkdf2Sync(password, salt, 3, 40, "sha256").toString("hex"));
      expect(pbkdf2Sha256(password, salt, 3, 0).length).to.equal(0);
    });

    it("rejects an iteration count below 1 or not whole, and a negative or fractional length", () => {
      const p = asciiBytes("p");
      const s = asciiBytes("s");
      expect(() => pbkdf2Sha256(p, s, 0, 32)).to.throw(RangeError);
      expect(() => pbkdf2Sha256(p, s, 1.5, 32)).to.throw(RangeError);
      expect(() => pbkdf2Sha256(p, s, Number.NaN, 32)).to.throw(RangeError);
      expect(() => pbkdf2Sha256(p, s, 1, -1)).to.throw(RangeError);
      expect(() => pbkdf2Sha256(p, s, 1, 2.5)).to.throw(RangeError);
    });
  });

  describe("against node:crypto on random inputs", () => {
    const BOUNDARY_LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129];
    const next = randomSource(0x5eed256);
    const cases = Array.from({ length: 200 }, (_, i) => {
      const length = i < BOUNDARY_LENGTHS.length ? BOUNDARY_LENGTHS[i]! : next(301);
      const keyLength = i < BOUNDARY_LENGTHS.length ? BOUNDARY_LENGTHS[i]! : next(150);
      return { data: randomBytes(next, length), key: randomBytes(next, keyLength), iterations: 1 + next(5), dkLen: 1 + next(100) };
    });

    it("sha256 matches createHash for 200 inputs of 0..300 bytes (including 55, 56, 63, 64, 65)", () => {
      for (const { data } of cases) expect(toHex(sha256(data)), `length ${data.length}`).to.equal(nodeSha256(data));
    });

    it("hmacSha256 matches createHmac for keys of 0..149 bytes (including 64 and 65)", () => {
      for (const { key, data } of cases)
        expect(toHex(hmacSha256(key, data)), `key ${key.length}, data ${data.length}`).to.equal(nodeHmac(key, data));
    });

    it("pbkdf2Sha256 matches pbkdf2Sync for 1..5 iterations and 1..100 bytes", () => {
      for (const { key, data, iterations, dkLen } of cases) {
        const salt = data.subarray(0, 80);
        expect(toHex(pbkdf2Sha256(key, salt, iterations, dkLen)), `key ${key.length}, salt ${salt.length}, c ${iterations}, dkLen ${dkLen}`).to.equal(
          pbkdf2Sync(key, salt, iterations, dkLen, "sha256").toString("hex"),
        );
      }
    });

    // (RFC 7914's other vector, c=80000, costs 160,000 blocks: too slow under mutation testing's
    // instrumentation; node:crypto checks many iterations here instead)
    it("pbkdf2Sha256 matches pbkdf2Sync with 4096 iterations", () => {
      const password = asciiBytes("Password");
      const salt = asciiBytes("NaCl");
      expect(toHex(pbkdf2Sha256(password, salt, 4096, 32))).to.equal(pbkdf2Sync(password, salt, 4096, 32, "sha256").toString("hex"));
    });
  });

  describe("hex and ASCII helpers", () => {
    it("toHex writes lowercase, two digits per byte, and fromHex reads it back", () => {
      const bytes = Uint8Array.from([0x00, 0x0f, 0x10, 0xab, 0xff]);
      expect(toHex(bytes)).to.equal("000f10abff");
      expect(Array.from(fromHex(toHex(bytes))!)).to.deep.equal(Array.from(bytes));
      expect(toHex(new Uint8Array(0))).to.equal("");
      expect(fromHex("")!.length).to.equal(0);
    });

    it("fromHex round-trips every byte value and accepts uppercase", () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      expect(Array.from(fromHex(toHex(all))!)).to.deep.equal(Array.from(all));
      expect(Array.from(fromHex("ABcd")!)).to.deep.equal([0xab, 0xcd]);
    });

    it("fromHex rejects an odd length or a non-hex character", () => {
      expect(fromHex("abc")).to.equal(undefined);
      expect(fromHex("zz")).to.equal(undefined);
      expect(fromHex("0g")).to.equal(undefined);
      expect(fromHex("g0")).to.equal(undefined);
      expect(fromHex(" 0")).to.equal(undefined);
      expect(fromHex("0x")).to.equal(undefined);
    });

    it("asciiBytes maps each character to its code & 0xff", () => {
      expect(Array.from(asciiBytes("Az09"))).to.deep.equal([0x41, 0x7a, 0x30, 0x39]);
      expect(asciiBytes("").length).to.equal(0);
      expect(Array.from(asciiBytes("\u0141"))).to.deep.equal([0x41]);
    });
  });
});

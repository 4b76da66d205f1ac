import { expect } from "chai";
import { crc32 } from "../../src/store/crc32.ts";

describe("store/crc32", () => {
  it("is CRC-32/ISO-HDLC (the zlib and Ethernet CRC): its check value and known strings", () => {
    expect(crc32("123456789")).to.equal(0xcbf43926);
    expect(crc32("")).to.equal(0);
    expect(crc32("a")).to.equal(0xe8b7be43);
    expect(crc32("The quick brown fox jumps over the lazy dog")).to.equal(0x414fa339);
  });
});

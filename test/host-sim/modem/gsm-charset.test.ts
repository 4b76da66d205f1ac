import { expect } from "chai";
import {
  decodeGsm,
  decodeIra,
  decodeUcs2Hex,
  encodeGsm,
  encodeIra,
  encodeUcs2Hex,
  gsmSeptetCount,
  isGsmEncodable,
} from "../../../host-sim/modem/gsm-charset.ts";

describe("host-sim gsm-charset", () => {
  it("maps '@' to 0x00 and back", () => {
    expect([...encodeGsm("@")]).to.deep.equal([0x00]);
    expect(decodeGsm(Uint8Array.of(0x00))).to.equal("@");
  });

  it("encodes the basic table rows from 23.038", () => {
    const row0 = "@£$¥èéùìòÇ\nØø\rÅå";
    const row1 = "Δ_ΦΓΛΩΠΨΣΘΞ";
    expect([...encodeGsm(row0)]).to.deep.equal([...Array(16).keys()]);
    expect([...encodeGsm(row1)]).to.deep.equal([...Array(11).keys()].map((i) => 0x10 + i));
    expect([...encodeGsm("ÆæßÉ")]).to.deep.equal([0x1c, 0x1d, 0x1e, 0x1f]);
    expect([...encodeGsm("¤¡ÄÖÑÜ§¿äöñüà")]).to.deep.equal([0x24, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f]);
    expect([...encodeGsm("Az09 ?")]).to.deep.equal([0x41, 0x7a, 0x30, 0x39, 0x20, 0x3f]);
  });

  it("encodes extension characters as ESC + code", () => {
    expect([...encodeGsm("€")]).to.deep.equal([0x1b, 0x65]);
    expect([...encodeGsm("^{}\\[~]|\f")]).to.deep.equal([
      0x1b, 0x14, 0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x2f, 0x1b, 0x3c, 0x1b, 0x3d, 0x1b, 0x3e, 0x1b, 0x40, 0x1b, 0x0a,
    ]);
    expect(gsmSeptetCount("€5")).to.equal(3);
  });

  it("round-trips every representable character", () => {
    const all = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f";
    expect(isGsmEncodable(all)).to.equal(true);
    expect(decodeGsm(encodeGsm(all))).to.equal(all);
  });

  it("turns unmappable characters into '?' (one per code point)", () => {
    expect(isGsmEncodable("Привет")).to.equal(false);
    expect(decodeGsm(encodeGsm("a😀b`"))).to.equal("a?b?");
    expect(gsmSeptetCount("😀")).to.equal(1);
  });

  it("decodes unknown and dangling escapes per 23.038", () => {
    expect(decodeGsm(Uint8Array.of(0x1b, 0x41))).to.equal("A");
    expect(decodeGsm(Uint8Array.of(0x41, 0x1b))).to.equal("A ");
    expect(decodeGsm(Uint8Array.of(0x1b, 0x1b, 0x42))).to.equal(" B");
    expect(decodeGsm(Uint8Array.of(0xc1))).to.equal("A");
  });

  it("IRA keeps ASCII and replaces the rest", () => {
    expect([...encodeIra("a€@")]).to.deep.equal([0x61, 0x3f, 0x40]);
    expect(decodeIra(Uint8Array.of(0x41, 0xc3, 0xa9))).to.equal("A??");
  });

  it("UCS2 hex is UTF-16BE, surrogate pairs included", () => {
    expect(encodeUcs2Hex("+1")).to.equal("002B0031");
    expect(encodeUcs2Hex("😀")).to.equal("D83DDE00");
    expect(decodeUcs2Hex("D83DDE00")).to.equal("😀");
    expect(decodeUcs2Hex("00410")).to.equal(undefined);
    expect(decodeUcs2Hex("ZZZZ")).to.equal(undefined);
  });
});

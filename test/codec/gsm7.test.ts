import { expect } from "chai";
import { decodeGsm7, encodeGsm7, gsm7Septets } from "../../src/codec/gsm7.ts";

const codes = (bytes: Uint8Array) => String.fromCharCode(...bytes);

describe("codec/gsm7", () => {
  it("maps the characters that differ from ASCII", () => {
    expect([...encodeGsm7("@$_")]).to.deep.equal([0x00, 0x02, 0x11]);
    expect([...encodeGsm7("£¥èéùìòÇØøÅå")]).to.deep.equal([1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15]);
  });

  it("writes extension characters as ESC pairs and counts them as two septets", () => {
    expect([...encodeGsm7("€[]")]).to.deep.equal([0x1b, 0x65, 0x1b, 0x3c, 0x1b, 0x3e]);
    expect(gsm7Septets("€[]")).to.equal(6);
    expect(gsm7Septets("WHERE")).to.equal(5);
  });

  it("reports characters outside the alphabet", () => {
    expect(gsm7Septets("Привет")).to.equal(-1);
    expect(gsm7Septets("ok 😀")).to.equal(-1);
    expect(codes(encodeGsm7("a😀b"))).to.equal("a?b");
  });

  it("never lets text end or cancel a text-mode body (Ctrl-Z = Ξ, ESC)", () => {
    const body = encodeGsm7("Ξ€", [0x1a, 0x1b]);
    expect([...body]).to.not.include(0x1a);
    expect([...body]).to.not.include(0x1b);
    expect(codes(body)).to.equal("??");
  });

  it("round-trips the whole basic and extension alphabet", () => {
    const text = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€\f";
    expect(decodeGsm7(codes(encodeGsm7(text)))).to.equal(text);
  });

  it("an escape with no extension meaning is the basic-table character (23.038 §6.2.1.1); a trailing escape is nothing", () => {
    expect(decodeGsm7("a\x1b\x41b")).to.equal("aAb");
    expect(decodeGsm7("\x1bWHERE")).to.equal("WHERE"); // not "HERE"
    expect(decodeGsm7("\x1b\x00")).to.equal("@");
    expect(decodeGsm7("ab\x1b")).to.equal("ab");
    expect(decodeGsm7("\x1b\x65")).to.equal("€");
  });
});

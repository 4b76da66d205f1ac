import { expect } from "chai";
import { readFileSync } from "node:fs";
import { FIRMWARE_DATE_MS, FIRMWARE_VERSION } from "../../src/app/build-info.ts";

describe("app/build-info", () => {
  it("names the package version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(FIRMWARE_VERSION).to.equal(pkg.version);
  });

  it("has a firmware date at midnight UTC, not in the future and after the last GPS week rollover (2019-04-07)", () => {
    expect(FIRMWARE_DATE_MS % 86_400_000).to.equal(0);
    expect(FIRMWARE_DATE_MS).to.be.greaterThan(Date.UTC(2019, 3, 7));
    expect(FIRMWARE_DATE_MS).to.be.at.most(Date.now());
  });
});

/**
 * Every board target under targets/ (each built by `npm run build:device`): named like its
 * manifest platform key, the same creation sizes as the reference board, a provider whose pins are
 * the ones the firmware opens (the manifest config, the platform's over the top level), and a
 * README with its pin table.
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TARGETS = join(ROOT, "targets");

interface Block {
  modules?: Record<string, string>;
  preload?: string[];
  include?: string[];
  config?: Record<string, unknown>;
}
const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as { config: Record<string, unknown>; platforms: Record<string, Block> };
const targets = readdirSync(TARGETS).filter((name) => existsSync(join(TARGETS, name, "manifest.json")));

/** The config a target's firmware sees: the top level's, then its platform block's. */
const configOf = (target: string): Record<string, unknown> => ({ ...manifest.config, ...manifest.platforms[`esp32/${target}`]?.config });

/** `name: <number>` in a provider's pin table (undefined when absent or computed). */
function providerPin(text: string, name: string): number | undefined {
  const m = new RegExp(`\\b${name}: (-?\\d+)\\b`).exec(text);
  return m ? Number(m[1]) : undefined;
}

describe("board targets (targets/*)", () => {
  it("are the four boards of the installer guide", () => {
    expect(targets.sort()).to.deep.equal(["esp32_generic", "lilygo_t_a7670", "lilygo_t_sim7000g", "lilygo_t_sim7600"]);
  });

  for (const target of targets) {
    describe(target, () => {
      const dir = join(TARGETS, target);
      const sub = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { build?: { SUBPLATFORM?: string }; creation?: unknown };
      const provider = readFileSync(join(dir, "host", "provider.js"), "utf8");
      const block = manifest.platforms[`esp32/${target}`];
      const config = configOf(target);

      it("has a platform block with the ECMA-419 io, its provider and the SDK's System (restart), both preloaded", () => {
        expect(sub.build?.SUBPLATFORM).to.equal(target);
        expect(block, `platforms["esp32/${target}"]`).to.be.an("object");
        expect(block!.modules).to.deep.equal({ "embedded:provider/builtin": "$(SUBPLATFORMDIRECTORY)/host/provider", system: "$(IO)/system/*" });
        expect(block!.preload).to.deep.equal(["embedded:provider/builtin", "system"]);
        expect(block!.include).to.include("$(MODDABLE)/modules/io/digital/manifest.json");
      });

      it("runs with the reference board's creation sizes", () => {
        const reference = JSON.parse(readFileSync(join(TARGETS, "lilygo_t_a7670", "manifest.json"), "utf8")) as { creation: unknown };
        expect(sub.creation).to.deep.equal(reference.creation);
      });

      it("provider pins equal the config the firmware reads; the modem UART is never UART0", () => {
        expect(config["modemPort"]).to.be.oneOf([1, 2]);
        const pairs: [string, string][] = [
          ["modemRx", "modemRx"], ["modemTx", "modemTx"], ["modemPwrKey", "modemPwrKey"], ["modemPowerOn", "modemPowerOn"],
          ["modemRing", "modemRing"], ["modemDtr", "modemDtr"], ["modemReset", "modemReset"], ["modemFlight", "modemFlight"],
          ["batteryAdc", "batteryAdcPin"],
        ];
        for (const [pin, key] of pairs) {
          const value = providerPin(provider, pin);
          if (value !== undefined) expect(value, `${pin} (config ${key})`).to.equal(config[key]);
          else if (!provider.includes(`${pin}: pinOf(`)) expect(config[key], `${pin} absent from the provider: config ${key} must be -1`).to.equal(-1);
        }
      });

      it("has a README with a pin table and its sources", () => {
        const readme = readFileSync(join(dir, "README.md"), "utf8");
        expect(readme).to.match(/^\| *Signal *\|/m);
        expect(readme).to.match(/mcconfig -p esp32:targets\//);
        if (target !== "esp32_generic") expect(readme).to.match(/Sources?:/);
      });
    });
  }

  it("the GNSS-in-modem boards read NMEA from the modem with a profile that can switch it on", () => {
    expect(configOf("lilygo_t_sim7600")).to.include({ gnssSource: "modem", modemProfile: "SIM7600" });
    expect(configOf("lilygo_t_sim7000g")).to.include({ gnssSource: "modem", modemProfile: "SIM7000", gnssAntennaGpio: 48 });
    expect(configOf("lilygo_t_a7670")).to.include({ gnssSource: "uart", modemProfile: "A7670" });
  });

  it("the lin build opens no RING, DTR or RESET pin (its stand-in Digital has outputs only)", () => {
    expect(manifest.platforms["lin"]?.config).to.include({ modemRing: -1, modemDtr: -1, modemReset: -1 });
  });
});

/**
 * `tracker provision`: set up a factory-fresh unit over its console — home country, modem profile,
 * setup code, PIN, then the owner (which claims it and locks the console) — and print its label:
 * IMEI, firmware version and setup code (never the PIN), also written to a file for a label printer.
 */
import { writeFileSync } from "node:fs";
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import type { ConsoleAnswer, ConsoleClient } from "./console-client.ts";

export interface ProvisionOptions {
  /** The owner's number as typed (national numbers read in `country`). */
  owner: string;
  /** The owner's PIN, 4 to 8 digits. */
  pin: string;
  /** ISO country of national numbers and the unit's home country (default: the owner number's). */
  country?: string;
  /** "auto" (default: the unit makes one) or 8 to 16 letters and digits. */
  setupCode?: string;
  /** Modem profile to set (A7670, SIM7600, ...), if any. */
  profile?: string;
  /** Where the label goes (default label-<IMEI>.txt). */
  labelFile?: string;
  print?: (line: string) => void;
}

/** A refused step, with what to do about it. */
export class ProvisionError extends Error {
  override name = "ProvisionError";
}

/** Checked inputs: the owner in E.164 and the home country's calling code. */
export function checkProvisionInputs(options: Pick<ProvisionOptions, "owner" | "pin" | "country" | "setupCode">): { owner: string; callingCode: string } {
  const country = options.country?.toUpperCase();
  if (country !== undefined && !isSupportedCountry(country)) throw new ProvisionError(`--country '${options.country}' is not an ISO country code (e.g. US, GB, DE)`);
  const number = parsePhoneNumberFromString(options.owner, (country ?? "US") as CountryCode);
  if (!number?.isValid()) throw new ProvisionError(`--owner '${options.owner}' is not a valid phone number${country ? ` in ${country}` : ""} (e.g. +14085550199)`);
  if (!/^[0-9]{4,8}$/.test(options.pin)) throw new ProvisionError("--pin must be 4 to 8 digits");
  const code = options.setupCode ?? "auto";
  if (code.toLowerCase() !== "auto" && !/^[A-Za-z0-9]{8,16}$/.test(code)) throw new ProvisionError("--setup-code must be 'auto' or 8 to 16 letters and digits");
  const callingCode = country ? getCountryCallingCode(country as CountryCode) : number.countryCallingCode;
  return { owner: number.number, callingCode };
}

/** The label's text: what the future owner and the installer need, never the PIN. */
export function labelText(facts: { imei: string; firmware: string; setupCode: string }): string {
  return [
    "SMS GPS TRACKER",
    `IMEI: ${facts.imei}`,
    `Firmware: ${facts.firmware}`,
    `Setup code: ${facts.setupCode}`,
    `To claim: text CLAIM ${facts.setupCode} <new PIN> to the tracker's number`,
    "",
  ].join("\n");
}

function expectOk(answer: ConsoleAnswer, step: string): ConsoleAnswer {
  if (!answer.ok) throw new ProvisionError(`${step} refused: ${answer.summary}${answer.error ? ` (${answer.error})` : ""}`);
  return answer;
}

function value(answer: ConsoleAnswer, key: string): string {
  return answer.data.find((d) => d.key === key)?.value ?? "";
}

/** Provision the unit behind `client`; resolves with the label text (also written to the label file). */
export async function provisionUnit(client: ConsoleClient, options: ProvisionOptions): Promise<{ label: string; labelFile: string }> {
  const print = options.print ?? ((line: string) => console.log(line));
  const { owner, callingCode } = checkProvisionInputs(options);
  print(`Connecting to ${client.path}...`);
  const facts = await client.hello();
  print(`  firmware ${facts["firmware"]}, IMEI ${facts["imei"]}, ${facts["claimed"] === "yes" ? "claimed" : "unclaimed"}`);
  if (facts["claimed"] === "yes") {
    throw new ProvisionError("this unit already has an owner: its console is locked. To provision it again, erase it first with FACTORY RESET <PIN> (tracker console), or hand it over by SMS (OWNER).");
  }
  print(`Home country: +${callingCode}`);
  expectOk(await client.command(`SET COUNTRY ${callingCode}`), "SET COUNTRY");
  if (options.profile) {
    print(`Modem profile: ${options.profile}`);
    expectOk(await client.command(`SET PROFILE ${options.profile}`), "SET PROFILE");
  }
  const code = await client.command(`SET SETUPCODE ${options.setupCode ?? "auto"}`);
  const setupCode = value(expectOk(code, "SET SETUPCODE"), "setupcode");
  print("Setup code: set");
  expectOk(await client.command(`SET PIN ${options.pin}`), "SET PIN");
  print("PIN: set");
  const claimed = expectOk(await client.command(`SET OWNER ${owner}`), "SET OWNER");
  print(`Owner: ${value(claimed, "owner")} (the console is now locked)`);
  const after = await client.hello();
  if (after["claimed"] !== "yes" || after["locked"] !== "yes") throw new ProvisionError(`the unit did not take the owner (claimed ${after["claimed"]}, locked ${after["locked"]})`);
  const imei = facts["imei"] ?? "unknown";
  const label = labelText({ imei, firmware: facts["firmware"] ?? "", setupCode });
  const labelFile = options.labelFile ?? `label-${imei}.txt`;
  writeFileSync(labelFile, label);
  print("");
  print(label);
  print(`Label written to ${labelFile}. Next: tracker selftest --port ${client.path} --pin <PIN>`);
  return { label, labelFile };
}

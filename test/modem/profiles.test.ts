import { expect } from "chai";
import {
  A7670,
  BG96,
  DEFAULT_MODEM_PROFILE,
  EG25,
  MODEM_PROFILES,
  SIM7000,
  SIM7600,
  SIM800,
  findModemProfile,
  modemInitScript,
  type ModemProfile,
} from "../../src/modem/profiles.ts";
import { isAllowedAtCommand } from "../../src/modem/at-allow-list.ts";
import { isRegisteredForSms } from "../../src/modem/at-fields.ts";

/** Every object reachable from `value` is frozen. */
function deepFrozen(value: unknown, path = "profile"): string[] {
  if (value === null || typeof value !== "object") return [];
  const problems = Object.isFrozen(value) ? [] : [path];
  for (const [key, child] of Object.entries(value)) problems.push(...deepFrozen(child, `${path}.${key}`));
  return problems;
}

const commandsOf = (profile: ModemProfile) => modemInitScript(profile).all.map((s) => s.command);

describe("modem/profiles", () => {
  it("six dialects, unique names, A7670 the default; every table deeply frozen", () => {
    expect(MODEM_PROFILES.map((p) => p.name)).to.deep.equal(["A7670", "SIM7600", "SIM7000", "SIM800", "EG25", "BG96"]);
    expect(DEFAULT_MODEM_PROFILE).to.equal(A7670);
    for (const profile of MODEM_PROFILES) {
      expect(deepFrozen(profile), profile.name).to.deep.equal([]);
      expect(deepFrozen(modemInitScript(profile)), profile.name).to.deep.equal([]);
    }
    expect(Object.isFrozen(MODEM_PROFILES)).to.equal(true);
  });

  it("every profile uses PDU mode (robust for receiving: concatenation, Unicode, no body/OK confusion)", () => {
    for (const profile of MODEM_PROFILES) expect(profile.smsMode, profile.name).to.equal("pdu");
  });

  it("a profile in text mode gets the text-mode SMS steps instead", () => {
    const steps = modemInitScript({ ...A7670, smsMode: "text" }).sms.map((s) => s.command);
    expect(steps).to.deep.equal(["AT+CMGF=1", 'AT+CSCS="GSM"', "AT+CSDH=1", 'AT+CPMS="SM","SM","SM"', "AT+CNMI=2,1,0,0,0"]);
    expect(modemInitScript(A7670).all.map((s) => s.command)).to.include("AT+CMGF=0").and.not.include("AT+CMGF=1");
  });

  it("boot URCs and the SMS-ready URC per module (corpora §3.10)", () => {
    const table: Array<[ModemProfile, string[], string]> = [
      [A7670, ["*ATREADY: 1"], "SMS DONE"],
      [SIM7600, ["RDY"], "SMS DONE"],
      [SIM7000, ["RDY"], "SMS Ready"],
      [SIM800, ["RDY"], "SMS Ready"],
      [EG25, ["RDY"], "+QIND: SMS DONE"],
      [BG96, ["RDY", "APP RDY"], "+CPIN: READY"],
    ];
    for (const [profile, first, smsReady] of table) {
      expect(profile.bootUrcs.slice(0, first.length), profile.name).to.deep.equal(first);
      expect(profile.smsReadyUrc, profile.name).to.equal(smsReady);
      expect(profile.bootUrcs, profile.name).to.include(smsReady);
      expect(profile.bootUrcs, profile.name).to.include(profile.restartUrcs[0]);
      expect(profile.smsReadyWaitMs, profile.name).to.be.within(10_000, 60_000);
    }
    expect(A7670.restartUrcs).to.include("RDY");
  });

  it("power-key timing: an on press never reaches the off threshold (corpora §3.11)", () => {
    for (const profile of MODEM_PROFILES) {
      const { onPulseMs, offPulseMs, bootWaitMs, offSettleMs } = profile.powerKey;
      expect(onPulseMs, profile.name).to.be.lessThan(offPulseMs);
      expect(bootWaitMs, profile.name).to.be.within(15_000, 40_000);
      expect(offSettleMs, profile.name).to.be.within(2_000, 15_000);
      if (profile.vendor === "SIMCom") expect(onPulseMs, profile.name).to.equal(1_000);
      else expect(onPulseMs, profile.name).to.be.within(500, 1_000);
    }
    expect(A7670.powerKey.offPulseMs).to.be.at.least(2_500);
    expect(SIM7600.powerKey.offPulseMs).to.be.at.least(2_500);
    expect(SIM7000.powerKey.offPulseMs).to.be.at.least(1_200);
    expect(SIM800.powerKey.offPulseMs).to.be.within(1_501, 32_999);
    expect(EG25.powerKey.offPulseMs).to.be.at.least(650);
    expect(BG96.powerKey.offPulseMs).to.be.at.least(650);
    expect(EG25.powerKey.bootWaitMs, "EG25 RDY takes ≥ 12 s").to.be.at.least(25_000);
  });

  it("command timeouts: CMGS 60 s SIMCom / 120 s Quectel, CMGL 20 s, CFUN 15 s (corpora §3.12)", () => {
    for (const profile of MODEM_PROFILES) {
      expect(profile.timeouts.cmgsMs, profile.name).to.equal(profile.vendor === "SIMCom" ? 60_000 : 120_000);
      expect(profile.timeouts.cmglMs, profile.name).to.equal(20_000);
      expect(profile.timeouts.cfunMs, profile.name).to.equal(15_000);
      expect(profile.timeouts.cpinMs, profile.name).to.equal(5_000);
    }
  });

  it("PDU mode init: CMGF=0; the SIM check before SMS set-up, the registration wait last", () => {
    for (const profile of MODEM_PROFILES) {
      const script = modemInitScript(profile);
      const commands = commandsOf(profile);
      expect(commands.slice(0, 3), profile.name).to.deep.equal(["AT", "ATE0", "AT+CMEE=2"]);
      expect(script.prepare.at(-1)?.command, profile.name).to.equal("AT+CPIN?");
      expect(script.sms.map((s) => s.command), profile.name).to.deep.equal([
        "AT+CMGF=0",
        'AT+CPMS="SM","SM","SM"',
        "AT+CNMI=2,1,0,0,0",
      ]);
      const wait = script.registration.at(-1)!;
      expect(wait.check, profile.name).to.equal("registered");
      expect(wait.poll, profile.name).to.deep.equal(profile.registrationPoll);
      expect(script.all).to.deep.equal([...script.prepare, ...script.sms, ...script.registration]);
      for (const c of [...commands, ...profile.registrationPoll]) expect(isAllowedAtCommand(c), c).to.equal(true);
    }
    expect(SIM800.registrationPoll, "2G: no EPS registration").to.not.include("AT+CEREG?");
    expect(SIM7000.registrationPoll[0], "LTE-M/NB-IoT: CEREG first").to.equal("AT+CEREG?");
    expect(BG96.registrationPoll[0]).to.equal("AT+CEREG?");
  });

  it("registration reports are turned on for every register polled, before the wait (optional, once); <n>=2 only where the cell is read from them", () => {
    const want: Record<string, string[]> = {
      A7670: ["AT+CREG=1", "AT+CEREG=1", "AT+CGREG=1"],
      SIM7600: ["AT+CREG=1", "AT+CEREG=1", "AT+CGREG=1"],
      SIM7000: ["AT+CEREG=1", "AT+CREG=1", "AT+CGREG=1"],
      SIM800: ["AT+CREG=2", "AT+CGREG=2"],
      EG25: ["AT+CREG=1", "AT+CEREG=1", "AT+CGREG=1"],
      BG96: ["AT+CEREG=1", "AT+CREG=1", "AT+CGREG=1"],
    };
    for (const profile of MODEM_PROFILES) {
      const reports = modemInitScript(profile).registration.slice(0, -1);
      expect(reports.map((s) => s.command), profile.name).to.deep.equal(want[profile.name]);
      for (const step of reports) {
        expect(step.optional, step.command).to.equal(true);
        expect(step.retries ?? 0, step.command).to.equal(0);
        expect(step.phase).to.equal("registering");
        expect(isAllowedAtCommand(step.command), step.command).to.equal(true);
      }
    }
  });

  it("each profile reads the serving cell its own way, with commands on the allow list", () => {
    const want: Record<string, string> = { A7670: "cpsi", SIM7600: "cpsi", SIM7000: "cpsi", SIM800: "creg", EG25: "qeng", BG96: "qeng" };
    for (const profile of MODEM_PROFILES) expect(profile.servingCellQuery, profile.name).to.equal(want[profile.name]);
    for (const command of ["AT+CPSI?", 'AT+QENG="servingcell"', "AT+COPS=3,2", "AT+COPS?"]) expect(isAllowedAtCommand(command), command).to.equal(true);
    // only the format of COPS answers, never an operator selection or a bearer
    for (const command of ["AT+COPS=0", 'AT+COPS=1,2,"310260"', "AT+COPS=2", "AT+CREG=3", 'AT+QENG="neighbourcell"', "AT+CPSI=10"]) {
      expect(isAllowedAtCommand(command), command).to.equal(false);
    }
  });

  it("PDU mode init: CMGF=0 and no text-mode settings (the lead flips smsMode when the codec lands)", () => {
    for (const profile of MODEM_PROFILES) {
      const pdu = modemInitScript({ ...profile, smsMode: "pdu" });
      expect(pdu.sms.map((s) => s.command), profile.name).to.deep.equal(["AT+CMGF=0", 'AT+CPMS="SM","SM","SM"', "AT+CNMI=2,1,0,0,0"]);
      expect(pdu.prepare, profile.name).to.deep.equal(modemInitScript(profile).prepare);
    }
  });

  it("Quectel profiles route URCs to the UART (optional step before the SIM check)", () => {
    for (const profile of [EG25, BG96]) {
      const prepare = modemInitScript(profile).prepare;
      const i = prepare.findIndex((s) => s.command === 'AT+QURCCFG="urcport","uart1"');
      expect(i, profile.name).to.equal(3);
      expect(prepare[i]!.optional).to.equal(true);
    }
    for (const profile of [A7670, SIM7600, SIM7000, SIM800]) expect(commandsOf(profile).some((c) => c.includes("QURCCFG"))).to.equal(false);
  });

  it("overrides are data: replace fields by step id, remove with null, add steps (the AT chat refuses steps off its allow list)", () => {
    const custom: ModemProfile = {
      ...A7670,
      smsMode: "text",
      stepOverrides: { headers: null, "sms-mode": { retries: 20 }, storage: { command: 'AT+CPMS="ME","ME","ME"' } },
      extraSteps: [
        { phase: "configuring", command: "AT+CGACT=1,1", timeoutMs: 1000 },
        { phase: "configuring-sms", command: "AT+CSMP=17,167,0,0", timeoutMs: 1000 },
      ],
    };
    const script = modemInitScript(custom);
    expect(script.sms.map((s) => s.command)).to.deep.equal([
      "AT+CMGF=1",
      'AT+CSCS="GSM"',
      'AT+CPMS="ME","ME","ME"',
      "AT+CNMI=2,1,0,0,0",
      "AT+CSMP=17,167,0,0",
    ]);
    expect(script.sms[0]!.retries).to.equal(20);
    // kept in the script, refused when run: at-allow-list.ts is the one place commands are checked
    expect(script.prepare.map((s) => s.command)).to.include("AT+CGACT=1,1");
    expect(isAllowedAtCommand("AT+CGACT=1,1")).to.equal(false);
    expect(deepFrozen(script)).to.deep.equal([]);
  });

  it("profile names from build configurations", () => {
    expect(findModemProfile("A7670")).to.equal(A7670);
    expect(findModemProfile("a7670e")).to.equal(A7670);
    expect(findModemProfile("SIM7600G-H")).to.equal(SIM7600);
    expect(findModemProfile("sim7000g")).to.equal(SIM7000);
    expect(findModemProfile("SIM800L")).to.equal(SIM800);
    expect(findModemProfile("EG25-G")).to.equal(EG25);
    expect(findModemProfile(" bg96 ")).to.equal(BG96);
    for (const bad of [undefined, "", "SIM900", "M95", "7600"]) expect(findModemProfile(bad), String(bad)).to.equal(undefined);
  });

  it("registration stats that can carry SMS: 1, 5, 6, 7, 9, 10 (corpora §3.8)", () => {
    const ok = [...Array(12).keys()].filter(isRegisteredForSms);
    expect(ok).to.deep.equal([1, 5, 6, 7, 9, 10]);
  });
});

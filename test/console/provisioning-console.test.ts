/**
 * The provisioning console driven directly (src/console/provisioning-console.ts), with a fake unit
 * behind it (settings, PIN, owner, modem answers, GNSS, power, SMS) and a manual clock: the exact
 * lines an installer sees for every command and refusal, the busy queue, unreadable lines, the lock
 * and its idle time, and SELFTEST's arguments and verdict. Fast: no simulator, no engine.
 */
import { expect } from "chai";
import { IDLE_LOCK_MS, ProvisioningConsole } from "../../src/console/provisioning-console.ts";
import { Bench, FakePort, FakeUnit, PIN, SELF } from "./console-fakes.ts";

const HELP = [
  "+help: HELLO - firmware version, IMEI, claimed, locked",
  "+help: HELP - this list",
  "+help: UNLOCK <PIN> - open the console of a claimed unit",
  "+help: LOCK - close it again",
  "+help: SET COUNTRY <calling code> - home country for national numbers, e.g. 1 or 44 (open console only)",
  "+help: SET PIN <4-8 digits> - the owner's PIN (before SET OWNER) (open console only)",
  "+help: SET OWNER <number> - the owner: claims the unit and locks the console (open console only)",
  "+help: SET SETUPCODE <code|auto> - the label's code for CLAIM by SMS (8-16 letters/digits) (open console only)",
  "+help: SET PROFILE <modem> - A7670, SIM7600, SIM7000, SIM800, EG25, BG96 (after a restart) (open console only)",
  "+help: SET SELFNUMBER <number> - the SIM's own number, for the SMS loopback (RAM only) (open console only)",
  "+help: SET USSD <code> - the operator's balance code, e.g. *100# (RAM only) (open console only)",
  "+help: STATUS - modem, SIM, network, signal, GNSS, voltages, SMS left (open console only)",
  "+help: SELFTEST [fix-within-s] [loopback-within-s] - the installer's checklist (open console only)",
  "+help: FACTORY RESET [PIN] - erase numbers, PIN and settings (needs the PIN once claimed)",
  "OK",
];

const LOCKED = ["ERR locked: the unit has an owner: UNLOCK <PIN> first"];

describe("provisioning console: lines and the queue", () => {
  it("says +ready once at start", () => {
    const port = new FakePort();
    new ProvisioningConsole(port, new FakeUnit().context()).start();
    expect(port.take()).to.deep.equal(["+ready: tracker console, firmware 0.1.0: HELLO for facts, HELP for commands"]);
  });

  it("answers HELLO and VERSION with the facts; an IMEI the modem does not give is 'unknown'", () => {
    const bench = new Bench();
    const facts = ["+firmware: 0.1.0", "+imei: 868071040000017", "+claimed: no", "+locked: no", "+pin: none", "OK tracker 0.1.0"];
    expect(bench.send("hello")).to.deep.equal(facts);
    expect(bench.send("VERSION")).to.deep.equal(facts);
    bench.unit.imei = "";
    bench.unit.claimed();
    expect(bench.send("HELLO")).to.deep.equal(["+firmware: 0.1.0", "+imei: unknown", "+claimed: yes", "+locked: yes", "+pin: set", "OK tracker 0.1.0"]);
  });

  it("lists every command with HELP, locked or not", () => {
    expect(new Bench().send("help")).to.deep.equal(HELP);
    expect(new Bench(new FakeUnit().claimed()).send("HELP")).to.deep.equal(HELP);
  });

  it("refuses an overlong or non-ASCII line, and ignores a blank one", () => {
    const bench = new Bench();
    expect(bench.send("A".repeat(161))).to.deep.equal(["ERR line: line too long"]);
    expect(bench.typeBytes(0x53, 0x45, 0x54, 0xe9, 0x0d)).to.deep.equal(["ERR line: only printable ASCII is understood"]);
    expect(bench.send("    ")).to.deep.equal([]);
    expect(bench.send("LOCK")).to.deep.equal(["OK open (unclaimed)"]);
  });

  it("names an unknown command in at most 24 characters", () => {
    const bench = new Bench();
    expect(bench.send("frobnicate")).to.deep.equal(["ERR unknown: 'FROBNICATE' is no command: HELP lists them"]);
    expect(bench.send("abcdefghijklmnopqrstuvwxyz0123")).to.deep.equal(["ERR unknown: 'ABCDEFGHIJKLMNOPQRSTUVWX' is no command: HELP lists them"]);
    expect(bench.send("SET")).to.deep.equal(["ERR unknown: 'SET' is no command: HELP lists them"]);
    expect(bench.send("SETTINGS")).to.deep.equal(["ERR unknown: 'SETTINGS' is no command: HELP lists them"]);
  });

  it("keeps up to 8 lines typed while a command runs, answers them all in order (unreadable and blank ones too), and refuses the 9th with ERR busy", () => {
    const bench = new Bench();
    bench.unit.holdImei = true;
    expect(bench.send("HELLO")).to.deep.equal([]);
    const queued = ["SET COUNTRY 44", "LOCK", "FOO", "A".repeat(200), "SET PIN 2468", "   ", "SET PROFILE sim800", "SET SETUPCODE abcd2345"];
    for (const line of queued) expect(bench.send(line), line).to.deep.equal([]);
    expect(bench.send("SET COUNTRY 49")).to.deep.equal(["ERR busy: wait for the running command"]);
    bench.unit.answerImei();
    expect(bench.port.take()).to.deep.equal([
      "+firmware: 0.1.0",
      "+imei: 868071040000017",
      "+claimed: no",
      "+locked: no",
      "+pin: none",
      "OK tracker 0.1.0",
      "+country: 44",
      "OK",
      "OK open (unclaimed)",
      "ERR unknown: 'FOO' is no command: HELP lists them",
      "ERR line: line too long",
      "OK pin set",
      "+profile: SIM800",
      "OK applies after a restart",
      "+setupcode: ABCD2345",
      "OK",
    ]);
    expect(bench.unit.settings.homeCountryCode).to.equal("44");
    expect(bench.send("HELLO")).to.deep.equal([]); // waits for the IMEI again
    bench.unit.holdImei = false;
    bench.unit.answerImei();
    expect(bench.port.take().at(-1)).to.equal("OK tracker 0.1.0");
    expect(bench.send("LOCK")).to.deep.equal(["OK open (unclaimed)"]);
  });

  it("writes a line past 254 characters cut there, and non-ASCII characters as '?'", () => {
    const bench = new Bench();
    const reason = `store refused the write: ${"x".repeat(300)}`;
    bench.unit.storeFailure = reason;
    expect(bench.send("SET PIN 2468")).to.deep.equal([`ERR store: ${reason}`.slice(0, 254)]);
    expect(bench.port.partial).to.equal("");
    bench.unit.storeFailure = "store refused the write: flash \u00e9chou\u00e9 \u2014 full";
    expect(bench.send("SET PIN 2468")).to.deep.equal(["ERR store: store refused the write: flash ?chou? ? full"]);
  });
});

describe("provisioning console: lock, UNLOCK, LOCK and the idle time", () => {
  it("is open while unclaimed: UNLOCK and LOCK say so, and STATUS answers", () => {
    const bench = new Bench();
    expect(bench.send("UNLOCK 1234")).to.deep.equal(["OK open (unclaimed)"]);
    expect(bench.send("LOCK")).to.deep.equal(["OK open (unclaimed)"]);
    expect(bench.send("STATUS")).to.deep.equal(["+state: ready", "+owner: none", "+country: 1", "OK"]);
  });

  it("is locked from the start on a claimed unit: only HELLO, HELP, UNLOCK, LOCK and FACTORY RESET answer", () => {
    const bench = new Bench(new FakeUnit().claimed());
    for (const command of ["STATUS", "SELFTEST", "SET COUNTRY 44", "SET PIN 1357", "SET OWNER +14085550123", "SET USSD *100#"]) {
      expect(bench.send(command), command).to.deep.equal(LOCKED);
    }
    expect(bench.send("LOCK")).to.deep.equal(["OK locked"]);
    expect(bench.send("HELLO")).to.include("+locked: yes");
    expect(bench.unit.settings.homeCountryCode).to.equal("1");
  });

  it("UNLOCK needs exactly the PIN; a wrong one is refused and logged without the PIN", () => {
    const bench = new Bench(new FakeUnit().claimed());
    expect(bench.send("UNLOCK")).to.deep.equal(["ERR usage: UNLOCK <PIN>"]);
    expect(bench.send("UNLOCK 2468 2468")).to.deep.equal(["ERR usage: UNLOCK <PIN>"]);
    expect(bench.send("UNLOCK 1357")).to.deep.equal(["ERR pin: Wrong PIN. 4 more wrong PINs lock PIN commands."]);
    expect(bench.unit.logs).to.deep.equal(["warn console: UNLOCK refused"]);
    expect(bench.send("STATUS")).to.deep.equal(LOCKED);
    bench.unit.lockedOut = true;
    expect(bench.send("UNLOCK 2468")).to.deep.equal(["ERR pin: UNLOCK refused: PIN commands are locked for 1 min more after wrong PINs."]);
    bench.unit.lockedOut = false;
    expect(bench.send("UNLOCK 2468")).to.deep.equal(["OK unlocked"]);
    expect(bench.unit.logs.at(-1)).to.equal("info console: unlocked with the PIN");
    expect(bench.send("HELLO")).to.include("+locked: no");
    expect(bench.send("STATUS").at(-1)).to.equal("OK");
    expect(bench.send("LOCK")).to.deep.equal(["OK locked"]);
    expect(bench.send("STATUS")).to.deep.equal(LOCKED);
    expect(bench.unit.logs.join("\n")).not.to.contain(PIN);
  });

  it("cannot be unlocked on a unit claimed without a PIN", () => {
    const bench = new Bench(new FakeUnit().claimed(""));
    expect(bench.send("UNLOCK 1234")).to.deep.equal(["ERR no-pin: UNLOCK needs a PIN, and none is set. The installer sets one, or the owner claims the tracker with one."]);
    expect(bench.send("STATUS")).to.deep.equal(LOCKED);
  });

  it("locks itself 10 minutes after the last command, each command restarting the time", () => {
    const bench = new Bench(new FakeUnit().claimed());
    expect(bench.send("UNLOCK 2468")).to.deep.equal(["OK unlocked"]);
    bench.wait(IDLE_LOCK_MS - 60_000);
    expect(bench.send("STATUS").at(-1)).to.equal("OK");
    bench.wait(IDLE_LOCK_MS - 60_000);
    expect(bench.send("STATUS").at(-1)).to.equal("OK");
    expect(bench.unit.logs).to.deep.equal(["info console: unlocked with the PIN"]);
    bench.wait(IDLE_LOCK_MS);
    expect(bench.unit.logs.at(-1)).to.equal("info console: locked after idle time");
    expect(bench.send("STATUS")).to.deep.equal(LOCKED);
  });

  it("counts no idle time on an open (unclaimed) console, even under a self-test, and none after LOCK", () => {
    const bench = new Bench(new FakeUnit().healthy());
    bench.send("STATUS");
    expect(bench.send("SELFTEST").at(-1)).to.match(/^OK selftest PASS /);
    bench.wait(2 * IDLE_LOCK_MS);
    expect(bench.unit.logs).to.deep.equal(["info console: self-test started"]);
    bench.unit.logs.length = 0;
    bench.unit.claimed();
    bench.send("UNLOCK 2468");
    bench.send("LOCK");
    bench.wait(2 * IDLE_LOCK_MS);
    expect(bench.unit.logs).to.deep.equal(["info console: unlocked with the PIN"]);
  });
});

describe("provisioning console: FACTORY RESET", () => {
  it("erases an unclaimed unit without a PIN", () => {
    const bench = new Bench();
    bench.unit.pin = "1357";
    expect(bench.send("factory reset")).to.deep.equal(["OK erased: unclaimed, no PIN, no numbers"]);
    expect(bench.unit.pin).to.equal("");
    expect(bench.unit.logs).to.deep.equal(["warn console: factory reset"]);
  });

  it("needs the PIN once claimed, even while locked, and says why it refuses", () => {
    const bench = new Bench(new FakeUnit().claimed());
    expect(bench.send("FACTORY RESET")).to.deep.equal(["ERR usage: FACTORY RESET <PIN>"]);
    expect(bench.send("FACTORY RESET 2468 2468")).to.deep.equal(["ERR usage: FACTORY RESET <PIN>"]);
    expect(bench.send("FACTORY RESET 1357")).to.deep.equal(["ERR pin: Wrong PIN. 4 more wrong PINs lock PIN commands."]);
    bench.unit.lockedOut = true;
    expect(bench.send("FACTORY RESET 2468")).to.deep.equal(["ERR pin: FACTORY RESET refused: PIN commands are locked for 1 min more after wrong PINs."]);
    bench.unit.lockedOut = false;
    bench.unit.storeFailure = "store refused the write: flash worn out";
    expect(bench.send("FACTORY RESET 2468")).to.deep.equal(["ERR store: store refused the write: flash worn out"]);
    expect(bench.unit.owner).to.equal("+14085550199");
    expect(bench.unit.logs).to.deep.equal([]);
    bench.unit.storeFailure = "";
    expect(bench.send("FACTORY RESET 2468")).to.deep.equal(["OK erased: unclaimed, no PIN, no numbers"]);
    expect(bench.send("HELLO")).to.include.members(["+claimed: no", "+locked: no", "+pin: none"]);
  });

  it("on a unit claimed without a PIN answers no-pin", () => {
    const bench = new Bench(new FakeUnit().claimed(""));
    expect(bench.send("FACTORY RESET 1234")).to.deep.equal(["ERR no-pin: FACTORY RESET needs a PIN, and none is set. The installer sets one, or the owner claims the tracker with one."]);
  });

  it("forgets the self-number and USSD code given for the self-test", () => {
    const bench = new Bench(new FakeUnit().claimed().healthy());
    bench.send("UNLOCK 2468");
    expect(bench.send(`SET SELFNUMBER ${SELF}`)).to.deep.equal([`+selfnumber: ${SELF}`, "OK"]);
    expect(bench.send("SET USSD *100#")).to.deep.equal(["+ussd: *100#", "OK"]);
    expect(bench.send("FACTORY RESET 2468")).to.deep.equal(["OK erased: unclaimed, no PIN, no numbers"]);
    const answer = bench.send("SELFTEST");
    expect(answer).to.include("+check: SKIP sms-loopback the unit's own number is not known -- give it with SET SELFNUMBER <number> (tracker selftest --self-number)");
    expect(answer).to.include("+check: SKIP credit no USSD code given -- for a prepaid SIM give the operator's balance code with SET USSD <code> (e.g. *100#)");
    expect(bench.unit.sent).to.deep.equal([]);
  });
});

describe("provisioning console: SET", () => {
  it("asks for a value, and names an unknown setting in at most 16 characters", () => {
    const bench = new Bench();
    expect(bench.send("SET PIN")).to.deep.equal(["ERR usage: SET PIN <value>: HELP lists them"]);
    expect(bench.send("set owner")).to.deep.equal(["ERR usage: SET OWNER <value>: HELP lists them"]);
    expect(bench.send("SET COLOUR red")).to.deep.equal(["ERR unknown: SET COLOUR: HELP lists what can be set"]);
    expect(bench.send("SET ABCDEFGHIJKLMNOPQRST red")).to.deep.equal(["ERR unknown: SET ABCDEFGHIJKLMNOP: HELP lists what can be set"]);
  });

  it("SET PIN takes 4 to 8 digits as one word", () => {
    const bench = new Bench();
    for (const bad of ["123", "123456789", "12a4", "x1234", "1234x", "12 34", "-1234"]) {
      expect(bench.send(`SET PIN ${bad}`), bad).to.deep.equal(["ERR invalid: a PIN is 4 to 8 digits"]);
    }
    expect(bench.unit.pin).to.equal("");
    expect(bench.send("SET PIN 1234")).to.deep.equal(["OK pin set"]);
    expect(bench.send("SET PIN 12345678")).to.deep.equal(["OK pin set"]);
    expect(bench.unit.pin).to.equal("12345678");
    expect(bench.unit.logs).to.deep.equal(["info console: PIN set", "info console: PIN set"]);
    bench.unit.storeFailure = "store refused the write: flash worn out";
    expect(bench.send("SET PIN 2468")).to.deep.equal(["ERR store: store refused the write: flash worn out"]);
  });

  it("SET OWNER needs a PIN and a phone number, claims the unit and locks the console", () => {
    const bench = new Bench();
    expect(bench.send("SET OWNER +14085550199")).to.deep.equal(["ERR no-pin: SET PIN <4-8 digits> first: the owner needs it"]);
    bench.send("SET PIN 2468");
    expect(bench.send("SET OWNER 555 12")).to.deep.equal(["ERR invalid: not a phone number"]);
    bench.unit.storeFailure = "store refused the write: flash worn out";
    expect(bench.send("SET OWNER +14085550199")).to.deep.equal(["ERR store: store refused the write: flash worn out"]);
    bench.unit.storeFailure = "";
    expect(bench.send("HELLO")).to.include("+claimed: no");
    expect(bench.send("SET OWNER (408) 555-0199")).to.deep.equal(["+owner: +14085550199", "OK claimed; console locked"]);
    expect(bench.unit.logs.at(-1)).to.equal("info console: owner set; console locked");
    expect(bench.send("STATUS")).to.deep.equal(LOCKED);
    bench.send("UNLOCK 2468");
    expect(bench.send("SET OWNER +14085550123")).to.deep.equal(["ERR claimed: the unit has an owner: FACTORY RESET <PIN> first, or OWNER by SMS"]);
    expect(bench.unit.owner).to.equal("+14085550199");
  });

  it("SET OWNER on a unit unlocked and then reset claims it again and locks the new session", () => {
    const bench = new Bench(new FakeUnit().claimed());
    bench.send("UNLOCK 2468");
    bench.send("FACTORY RESET 2468");
    bench.send("SET PIN 1357");
    expect(bench.send("SET OWNER +442071838750")).to.deep.equal(["+owner: +442071838750", "OK claimed; console locked"]);
    expect(bench.send("STATUS")).to.deep.equal(LOCKED);
  });

  it("SET COUNTRY takes a calling code of 1 to 3 digits, with or without '+'", () => {
    const bench = new Bench();
    for (const bad of ["0", "044", "4444", "4a", "US", "4 4", "44+", "++44"]) {
      expect(bench.send(`SET COUNTRY ${bad}`), bad).to.deep.equal(["ERR invalid: the country's calling code in digits, e.g. 1 (US) or 44 (UK)"]);
    }
    expect(bench.unit.settings.homeCountryCode).to.equal("1");
    expect(bench.send("SET COUNTRY +44")).to.deep.equal(["+country: 44", "OK"]);
    expect(bench.send("SET COUNTRY 353")).to.deep.equal(["+country: 353", "OK"]);
    expect(bench.send("SET COUNTRY 7")).to.deep.equal(["+country: 7", "OK"]);
    expect(bench.unit.settings.homeCountryCode).to.equal("7");
    bench.unit.storeFailure = "store refused the write: flash worn out";
    expect(bench.send("SET COUNTRY 1")).to.deep.equal(["ERR store: store refused the write: flash worn out"]);
  });

  it("SET SETUPCODE stores a given code in capitals, or makes one with 'auto'", () => {
    const bench = new Bench();
    expect(bench.send("SET SETUPCODE k7pq2mxa4r")).to.deep.equal(["+setupcode: K7PQ2MXA4R", "OK"]);
    expect(bench.unit.settings.setupCode).to.equal("K7PQ2MXA4R");
    expect(bench.send("SET SETUPCODE Auto")).to.deep.equal(["+setupcode: ACDEFGHJKL", "OK"]);
    expect(bench.send("SET SETUPCODE abc")).to.deep.equal(["ERR invalid: setup code must be 8 to 16 letters and digits"]);
    expect(bench.send("SET SETUPCODE abcd 2345")).to.deep.equal(["ERR invalid: setup code must be 8 to 16 letters and digits"]);
    expect(bench.unit.settings.setupCode).to.equal("ACDEFGHJKL");
    bench.unit.storeFailure = "store refused the write: flash worn out";
    expect(bench.send("SET SETUPCODE auto")).to.deep.equal(["ERR store: store refused the write: flash worn out"]);
    bench.unit.storeFailure = "flash worn out: store";
    expect(bench.send("SET SETUPCODE auto")).to.deep.equal(["ERR invalid: flash worn out: store"]);
  });

  it("SET PROFILE takes a modem the firmware knows, for the next start", () => {
    const bench = new Bench();
    expect(bench.send("SET PROFILE sim7600")).to.deep.equal(["+profile: SIM7600", "OK applies after a restart"]);
    expect(bench.unit.settings.modemProfile).to.equal("SIM7600");
    expect(bench.send("SET PROFILE quectel")).to.deep.equal(["ERR invalid: unknown modem profile: A7670, SIM7600, SIM7000, SIM800, EG25 or BG96"]);
    expect(bench.unit.settings.modemProfile).to.equal("SIM7600");
    bench.unit.storeFailure = "store refused the write: flash worn out";
    expect(bench.send("SET PROFILE BG96")).to.deep.equal(["ERR store: store refused the write: flash worn out"]);
  });

  it("SET SELFNUMBER takes a phone number, for the self-test only", () => {
    const bench = new Bench(new FakeUnit().healthy());
    expect(bench.send("SET SELFNUMBER 12")).to.deep.equal(["ERR invalid: not a phone number"]);
    expect(bench.send("SET SELFNUMBER (408) 555-0100")).to.deep.equal([`+selfnumber: ${SELF}`, "OK"]);
    bench.unit.loopbackAfterMs = 7000;
    bench.send("SELFTEST");
    expect(bench.unit.sent).to.deep.equal([{ to: SELF, text: "Tracker self-test ACDEFG" }]);
    const answer = bench.wait(8000);
    expect(answer).to.include("+check: PASS sms-loopback sent to itself and received in 7 s");
    expect(answer.at(-1)).to.equal("OK selftest PASS pass=12 warn=0 fail=0 skip=1");
    expect(bench.unit.settings).to.deep.equal({ homeCountryCode: "1", setupCode: "", modemProfile: "A7670" });
  });

  it("SET USSD takes a short balance code only", () => {
    const bench = new Bench();
    for (const code of ["*100#", "#123#", "*1234#", "*12*1#", "*123*12#"]) {
      expect(bench.send(`SET USSD ${code}`), code).to.deep.equal([`+ussd: ${code}`, "OK"]);
    }
    for (const bad of ["*1#", "*12345#", "100#", "*ab#", "*1*1#", "*ab*1#", "*123*a#", "*123*123#", "x*100#", "*100#x", "*100 #", "**21*4085550199#"]) {
      expect(bench.send(`SET USSD ${bad}`), bad).to.deep.equal(["ERR invalid: a balance code such as *100# or *123*1#"]);
    }
  });
});

describe("provisioning console: SELFTEST", () => {
  const USAGE = ["ERR usage: SELFTEST [fix-within-s] [loopback-within-s], each 1 to 900"];

  it("takes up to two waits of 1 to 900 s", () => {
    const bench = new Bench();
    for (const bad of ["0", "901", "x", "00001", "1x", "x1", "60 0", "0 60", "60 60 60", "-5"]) {
      expect(bench.send(`SELFTEST ${bad}`), bad).to.deep.equal(USAGE);
    }
    expect(bench.unit.logs).to.deep.equal([]);
  });

  it("passes a healthy unit and reports each check as it is known", () => {
    const bench = new Bench(new FakeUnit().healthy());
    expect(bench.send("selftest")).to.deep.equal([
      "+check: PASS modem A7670E-LASE, firmware A7670M7_V1.11.1",
      "+check: PASS sim ready",
      "+check: PASS network home network, radio technology unknown",
      "+check: PASS signal -73 dBm",
      "+check: PASS sms-centre known",
      "+check: PASS sms-store 1 of 50 used",
      "+check: SKIP sms-loopback the unit's own number is not known -- give it with SET SELFNUMBER <number> (tracker selftest --self-number)",
      "+check: SKIP credit no USSD code given -- for a prepaid SIM give the operator's balance code with SET USSD <code> (e.g. *100#)",
      "+check: PASS gnss-data NMEA sentences arriving",
      "+check: PASS gnss-fix fix in 0 s",
      "+check: PASS satellites 9 used",
      "+check: PASS vehicle-power 12.6 V",
      "+check: PASS backup-battery 3.90 V",
      "OK selftest PASS pass=11 warn=0 fail=0 skip=2",
    ]);
    expect(bench.unit.atSent).to.include("AT+CNUM");
    expect(bench.unit.logs).to.deep.equal(["info console: self-test started"]);
  });

  it("says WARN when a check warns and none fails", () => {
    const unit = new FakeUnit().healthy();
    unit.registration = "roaming";
    expect(new Bench(unit).send("SELFTEST").at(-1)).to.equal("OK selftest WARN pass=10 warn=1 fail=0 skip=2");
  });

  it("waits the given times for the fix and the loopback SMS, 120 s each when not given", () => {
    const bench = new Bench();
    bench.send("SELFTEST");
    const answer = bench.wait(200_000);
    expect(answer).to.include("+check: FAIL gnss-fix no fix within 120 s -- the GNSS antenna needs a view of the sky: under the dashboard top or rear shelf, ceramic side up, not under metal or heated/metallised glass");
    expect(answer.at(-1)).to.equal("OK selftest FAIL pass=0 warn=1 fail=8 skip=4");
    bench.send("SELFTEST 1");
    expect(bench.wait(10_000).slice(1, 3)).to.deep.equal([
      "+check: FAIL gnss-fix no fix within 1 s -- the GNSS antenna needs a view of the sky: under the dashboard top or rear shelf, ceramic side up, not under metal or heated/metallised glass",
      "+check: FAIL satellites none in view -- check the antenna connection",
    ]);
    bench.send("SELFTEST 900");
    expect(bench.wait(904_000)).to.deep.equal(["+check: FAIL gnss-data no NMEA data from the GNSS receiver -- check the receiver's power, its TX to the ESP32's RX pin and the baud rate (9600 for L76K-class)"]);
    expect(bench.wait(1000).slice(0, 1)).to.deep.equal(["+check: FAIL gnss-fix no fix within 900 s -- the GNSS antenna needs a view of the sky: under the dashboard top or rear shelf, ceramic side up, not under metal or heated/metallised glass"]);

    const ready = new Bench(new FakeUnit().healthy());
    ready.send(`SET SELFNUMBER ${SELF}`);
    ready.unit.gnss = "no-fix";
    ready.send("SELFTEST 30 45");
    expect(ready.wait(44_000)).to.deep.equal([]);
    expect(ready.wait(1000)).to.deep.equal([
      "+check: FAIL sms-loopback not received within 45 s -- check the SIM's plan includes SMS and credit",
      "+check: SKIP credit no USSD code given -- for a prepaid SIM give the operator's balance code with SET USSD <code> (e.g. *100#)",
      "+check: PASS gnss-data NMEA sentences arriving",
    ]);
    expect(ready.wait(30_000).slice(0, 1)).to.deep.equal(["+check: FAIL gnss-fix no fix within 30 s -- the GNSS antenna needs a view of the sky: under the dashboard top or rear shelf, ceramic side up, not under metal or heated/metallised glass"]);
  });

  it("keeps an unlocked session open through a long self-test, and for 10 minutes after its last result", () => {
    const bench = new Bench(new FakeUnit().claimed().healthy());
    bench.send("UNLOCK 2468");
    bench.send(`SET SELFNUMBER ${SELF}`);
    expect(bench.send("SELFTEST 5 900")).to.deep.equal(["+check: PASS modem A7670E-LASE, firmware A7670M7_V1.11.1", "+check: PASS sim ready", "+check: PASS network home network, radio technology unknown", "+check: PASS signal -73 dBm", "+check: PASS sms-centre known", "+check: PASS sms-store 1 of 50 used"]);
    const rest = bench.wait(900_000);
    expect(rest[0]).to.equal("+check: FAIL sms-loopback not received within 900 s -- check the SIM's plan includes SMS and credit");
    expect(rest.at(-1)).to.equal("OK selftest FAIL pass=11 warn=0 fail=1 skip=1");
    bench.wait(IDLE_LOCK_MS - 10_000);
    expect(bench.unit.logs).not.to.include("info console: locked after idle time");
    expect(bench.send("STATUS").at(-1)).to.equal("OK");
    bench.wait(IDLE_LOCK_MS);
    expect(bench.unit.logs.at(-1)).to.equal("info console: locked after idle time");
    expect(bench.send("STATUS")).to.deep.equal(LOCKED);
  });
});

import { expect } from "chai";
import { buildSentence } from "../../../host-sim/gnss/nmea-format.ts";
import type { ProfileName } from "../../../host-sim/modem/profiles.ts";
import { FINAL, Terminal } from "./terminal.ts";

// One receiver epoch with a fix: 37°20.1234' N, 121°53.5678' W, 12.5 knots, course 90.5°, 8 satellites.
const RMC = buildSentence("GPRMC", ["123519.00", "A", "3720.1234", "N", "12153.5678", "W", "12.5", "90.5", "060826", "", "", "A"]);
const GGA = buildSentence("GPGGA", ["123519.00", "3720.1234", "N", "12153.5678", "W", "1", "08", "0.9", "25.0", "M", "-32.0", "M", "", ""]);
const GSA = buildSentence("GPGSA", ["A", "3", "01", "03", "06", "09", "12", "17", "19", "23", "", "", "", "", "1.6", "0.9", "1.3"]);
const GSV = buildSentence("GPGSV", ["1", "1", "04", "01", "40", "083", "46", "03", "12", "200", "38", "06", "55", "310", "41", "09", "30", "045", "44"]);
const EPOCH = [RMC, GGA, GSA, GSV];
const EPOCH_TEXT = EPOCH.map((l) => `${l}\r\n`).join("");
const NO_FIX_RMC = buildSentence("GPRMC", ["123520.00", "V", "", "", "", "", "", "", "060826", "", "", "N"]);

async function booted(profile: ProfileName): Promise<Terminal> {
  const t = new Terminal({ modem: { profile, registrationDelayMs: 1000 } });
  await t.boot();
  await t.command("ATE0");
  t.received = "";
  return t;
}

/** Feed one epoch to the modem and let it reach the terminal; returns what arrived meanwhile. */
async function feedEpoch(t: Terminal, text = EPOCH_TEXT): Promise<string> {
  const mark = t.received.length;
  t.modem.feedGnss(text);
  await t.clock.runFor(100);
  return t.received.slice(mark);
}

describe("host-sim VirtualModem: GNSS inside the module", () => {
  describe("SIM7600 (AT+CGPS, AT+CGNSSTST, AT+CGNSSPORTSWITCH, AT+CGPSINFO)", () => {
    it("writes NMEA on the UART only with the receiver on, NMEA to AT on and the NMEA port on UART", async () => {
      const t = await booted("sim7600");
      expect(await feedEpoch(t)).to.equal("");
      expect(await t.command("AT+CGPS?")).to.equal("\r\n+CGPS: 0,1\r\n\r\nOK\r\n");
      expect(await t.command("AT+CGPS=1")).to.equal("\r\nOK\r\n");
      expect(await t.command("AT+CGPS=1")).to.equal("\r\nERROR\r\n"); // already on
      expect(await t.command("AT+CGPS?")).to.equal("\r\n+CGPS: 1,1\r\n\r\nOK\r\n");
      expect(await feedEpoch(t)).to.equal("");
      expect(await t.command("AT+CGNSSTST=1")).to.equal("\r\nOK\r\n");
      expect(await feedEpoch(t)).to.equal(""); // NMEA still on the USB port (default 0,0)
      expect(await t.command("AT+CGNSSPORTSWITCH?")).to.equal("\r\n+CGNSSPORTSWITCH: 0,0\r\n\r\nOK\r\n");
      expect(await t.command("AT+CGNSSPORTSWITCH=0,1")).to.equal("\r\nOK\r\n");
      expect(t.modem.gnssNmeaToUart).to.equal(true);
      expect(await feedEpoch(t)).to.equal(EPOCH_TEXT);
      expect(await t.command("AT+CGNSSTST?")).to.equal("\r\n+CGNSSTST: 1\r\n\r\nOK\r\n");
      expect(await t.command("AT+CGNSSTST=0")).to.equal("\r\nOK\r\n");
      expect(await feedEpoch(t)).to.equal("");
      expect(t.modem.nmeaLinesOut).to.equal(4);
    });

    it("answers AT+CGPSINFO from the last fix, with empty fields without one", async () => {
      const t = await booted("sim7600");
      expect(await t.command("AT+CGPSINFO")).to.equal("\r\n+CGPSINFO: ,,,,,,,,\r\n\r\nOK\r\n");
      await t.command("AT+CGPS=1,1");
      await feedEpoch(t);
      expect(await t.command("AT+CGPSINFO")).to.equal("\r\n+CGPSINFO: 3720.123400,N,12153.567800,W,060826,123519.0,25.0,12.5,90.5\r\n\r\nOK\r\n");
      await feedEpoch(t, `${NO_FIX_RMC}\r\n`);
      expect(await t.command("AT+CGPSINFO")).to.equal("\r\n+CGPSINFO: ,,,,,,,,\r\n\r\nOK\r\n");
      expect(await t.command("AT+CGPSINFO=0")).to.equal("\r\nOK\r\n");
      expect(await t.command("AT+CGPSINFO=5")).to.equal("\r\nERROR\r\n"); // periodic reports not modelled
    });

    it("AT+CGPS=0 stops the output, says +CGPS: 0 a moment later; stopping it again is an error", async () => {
      const t = await booted("sim7600");
      await t.command("AT+CGPS=1");
      await t.command("AT+CGNSSTST=1");
      await t.command("AT+CGNSSPORTSWITCH=1,1");
      expect(await feedEpoch(t)).to.equal(EPOCH_TEXT);
      expect(await t.command("AT+CGPS=0")).to.equal("\r\nOK\r\n");
      expect(await feedEpoch(t)).to.equal("");
      expect(await t.waitFor(/\+CGPS: 0\r\n$/, 3000)).to.match(/\r\n\+CGPS: 0\r\n$/);
      expect(await t.command("AT+CGPS=0")).to.equal("\r\nERROR\r\n");
      expect(await t.command("AT+CGPS=2")).to.equal("\r\nERROR\r\n");
      expect(await t.command("AT+CGPS=1,4")).to.equal("\r\nERROR\r\n");
      expect(await t.command("AT+CGNSSPORTSWITCH=2,1")).to.equal("\r\nERROR\r\n");
      expect(await t.command("AT+CGNSSTST")).to.equal("\r\nERROR\r\n");
    });
  });

  describe("never in the middle of an answer", () => {
    it("holds the lines fed while a command executes until after its final result", async () => {
      const t = await booted("sim7600");
      await t.command("AT+CGPS=1;+CGNSSTST=1;+CGNSSPORTSWITCH=0,1");
      const mark = t.received.length;
      const before = t.modem.commandsReceived;
      t.write("AT+CSQ\r");
      await t.clock.runUntilCondition(() => t.modem.commandsReceived > before, 1000);
      t.modem.feedGnss(EPOCH_TEXT);
      await t.clock.runFor(200);
      expect(t.received.slice(mark)).to.equal(`\r\n+CSQ: 20,99\r\n\r\nOK\r\n${EPOCH_TEXT}`);
    });

    it("holds them while the > prompt is open and writes them after the +CMGS result", async () => {
      const t = await booted("sim7600");
      await t.command("AT+CMGF=1;+CGPS=1;+CGNSSTST=1;+CGNSSPORTSWITCH=0,1");
      const prompt = await t.command('AT+CMGS="+14085550199"', /> $/);
      expect(prompt).to.equal("\r\n> ");
      await feedEpoch(t);
      t.write("hello");
      await t.clock.runFor(50);
      await feedEpoch(t, `${RMC}\r\n`);
      const mark = t.received.length;
      t.write("\x1a");
      await t.clock.runUntilCondition(() => /OK\r\n/.test(t.received.slice(mark)), 10_000);
      await t.clock.runFor(100);
      const after = t.received.slice(mark);
      expect(after).to.match(/^\r\n\+CMGS: \d+\r\n\r\nOK\r\n/); // echo is off
      expect(after.slice(after.indexOf("OK\r\n") + 4)).to.equal(`${EPOCH_TEXT}${RMC}\r\n`);
    });

    it("writes whole lines only, however the bytes are split", async () => {
      const t = await booted("sim7000");
      await t.command("AT+CGNSPWR=1;+CGNSTST=1");
      const mark = t.received.length;
      for (let i = 0; i < EPOCH_TEXT.length; i += 7) {
        t.modem.feedGnss(EPOCH_TEXT.slice(i, i + 7));
        await t.clock.runFor(5);
        const sofar = t.received.slice(mark);
        expect(sofar === "" || sofar.endsWith("\r\n")).to.equal(true, JSON.stringify(sofar));
      }
      await t.clock.runFor(50);
      expect(t.received.slice(mark)).to.equal(EPOCH_TEXT);
    });

    it("keeps at most 32 lines while a prompt stays open (the oldest are dropped)", async () => {
      const t = await booted("sim7000");
      await t.command("AT+CMGF=1;+CGNSPWR=1;+CGNSTST=1");
      await t.command('AT+CMGS="+14085550199"', /> $/);
      for (let i = 0; i < 10; i++) await feedEpoch(t); // 40 lines
      expect(t.modem.nmeaDropped).to.equal(8);
      const mark = t.received.length;
      t.write("\x1b"); // ESC: abort, OK
      await t.clock.runFor(1000); // 32 lines take about 0.2 s at 115200 bit/s
      expect(t.received.slice(mark)).to.equal(`\r\nOK\r\n${EPOCH_TEXT.repeat(8)}`);
    });
  });

  describe("reboots", () => {
    for (const profile of ["sim7600", "sim7000", "eg25"] as const) {
      it(`${profile}: a reboot switches the receiver off and its output settings back`, async () => {
        const t = await booted(profile);
        const on = profile === "sim7600" ? "AT+CGPS=1;+CGNSSTST=1;+CGNSSPORTSWITCH=0,1" : profile === "sim7000" ? "AT+CGNSPWR=1;+CGNSTST=1" : "AT+QGPS=1";
        expect(await t.command(on)).to.equal("\r\nOK\r\n");
        expect(t.modem.gnssOn).to.equal(true);
        t.modem.reboot();
        await t.boot();
        await t.command("ATE0");
        t.received = "";
        expect(t.modem.gnssOn).to.equal(false);
        expect(t.modem.gnssNmeaToUart).to.equal(false);
        expect(await feedEpoch(t)).to.equal("");
        const read = profile === "sim7600" ? "AT+CGPS?;+CGNSSTST?;+CGNSSPORTSWITCH?" : profile === "sim7000" ? "AT+CGNSPWR?;+CGNSTST?" : "AT+QGPS?";
        const answer = profile === "sim7600" ? "+CGPS: 0,1\r\n\r\n+CGNSSTST: 0\r\n\r\n+CGNSSPORTSWITCH: 0,0" : profile === "sim7000" ? "+CGNSPWR: 0\r\n\r\n+CGNSTST: 0" : "+QGPS: 0";
        expect(await t.command(read)).to.equal(`\r\n${answer}\r\n\r\nOK\r\n`);
      });
    }
  });

  describe("SIM7000 (AT+CGNSPWR, AT+CGNSTST, AT+CGNSINF)", () => {
    it("powers the receiver, routes NMEA to the UART and answers AT+CGNSINF", async () => {
      const t = await booted("sim7000");
      expect(await t.command("AT+CGNSINF")).to.equal(`\r\n+CGNSINF: 0${",".repeat(20)}\r\n\r\nOK\r\n`);
      expect(await t.command("AT+CGNSTST=1")).to.equal("\r\nOK\r\n");
      expect(await feedEpoch(t)).to.equal(""); // receiver off
      expect(await t.command("AT+CGNSPWR=1")).to.equal("\r\nOK\r\n");
      expect(await t.command("AT+CGNSPWR?")).to.equal("\r\n+CGNSPWR: 1\r\n\r\nOK\r\n");
      expect(await feedEpoch(t)).to.equal(EPOCH_TEXT);
      expect(await feedEpoch(t, `${RMC}\r\n`)).to.equal(`${RMC}\r\n`); // a new epoch closes the GSV counts
      expect(await t.command("AT+CGNSINF")).to.equal(
        "\r\n+CGNSINF: 1,1,20260806123519.000,37.335390,-121.892797,25.000,23.15,90.5,1,,0.9,1.6,1.3,,4,8,,,46,,\r\n\r\nOK\r\n",
      );
      await feedEpoch(t, `${NO_FIX_RMC}\r\n`);
      expect(await t.command("AT+CGNSINF")).to.match(/^\r\n\+CGNSINF: 1,0,20260806123520\.000,,,,0\.00,0\.0,0,/);
      expect(await t.command("AT+CGNSPWR=0")).to.equal("\r\nOK\r\n");
      expect(await feedEpoch(t)).to.equal("");
      expect(await t.command("AT+CGNSTST=2")).to.equal("\r\nERROR\r\n");
    });
  });

  describe("Quectel (AT+QGPS, AT+QGPSEND, AT+QGPSLOC)", () => {
    for (const profile of ["eg25", "bg96"] as const) {
      it(`${profile}: starts and stops the receiver, answers AT+QGPSLOC, never writes NMEA on the AT port`, async () => {
        const t = await booted(profile);
        await t.command("AT+CMEE=1");
        expect(await t.command("AT+QGPSLOC?")).to.equal("\r\n+CME ERROR: 505\r\n");
        expect(await t.command("AT+QGPSEND")).to.equal("\r\n+CME ERROR: 505\r\n");
        expect(await t.command("AT+QGPS=1")).to.equal("\r\nOK\r\n");
        expect(await t.command("AT+QGPS=1")).to.equal("\r\n+CME ERROR: 504\r\n");
        expect(await t.command("AT+QGPS?")).to.equal("\r\n+QGPS: 1\r\n\r\nOK\r\n");
        expect(await t.command("AT+QGPSLOC?")).to.equal("\r\n+CME ERROR: 516\r\n");
        expect(await feedEpoch(t)).to.equal("");
        expect(await t.command("AT+QGPSLOC?")).to.equal("\r\n+QGPSLOC: 123519.000,3720.1234N,12153.5678W,0.9,25.0,3,090.50,23.2,12.5,060826,08\r\n\r\nOK\r\n");
        expect(await t.command("AT+QGPSLOC=1")).to.equal("\r\n+QGPSLOC: 123519.000,3720.123400,N,12153.567800,W,0.9,25.0,3,090.50,23.2,12.5,060826,08\r\n\r\nOK\r\n");
        expect(await t.command("AT+QGPSLOC=2")).to.equal("\r\n+QGPSLOC: 123519.000,37.33539,-121.89280,0.9,25.0,3,090.50,23.2,12.5,060826,08\r\n\r\nOK\r\n");
        expect(await t.command("AT+QGPSEND")).to.equal("\r\nOK\r\n");
        expect(t.modem.gnssOn).to.equal(false);
        expect(t.modem.nmeaLinesOut).to.equal(0);
      });
    }
  });

  describe("commands of other dialects answer ERROR", () => {
    const cases: Array<[ProfileName, string[]]> = [
      ["sim7600", ["AT+CGNSPWR=1", "AT+CGNSTST=1", "AT+CGNSINF", "AT+QGPS=1", "AT+QGPSEND", "AT+QGPSLOC?"]],
      ["sim7000", ["AT+CGPS=1", "AT+CGNSSTST=1", "AT+CGNSSPORTSWITCH=0,1", "AT+CGPSINFO", "AT+QGPS=1"]],
      ["eg25", ["AT+CGPS=1", "AT+CGNSSTST=1", "AT+CGPSINFO", "AT+CGNSPWR=1", "AT+CGNSINF"]],
      ["a7670", ["AT+CGPS=1", "AT+CGNSSTST=1", "AT+CGNSSPORTSWITCH=0,1", "AT+CGPSINFO", "AT+CGNSPWR=1", "AT+CGNSTST=1", "AT+CGNSINF", "AT+QGPS=1", "AT+QGPSLOC?"]],
      ["sim800", ["AT+CGPS=1", "AT+CGNSPWR=1", "AT+CGNSTST=1", "AT+CGNSINF", "AT+QGPS=1"]],
    ];
    for (const [profile, commands] of cases) {
      it(`${profile}: ${commands.length} foreign GNSS commands answer ERROR and the fed NMEA goes nowhere`, async () => {
        const t = await booted(profile);
        for (const command of commands) expect(await t.command(command, FINAL), command).to.equal("\r\nERROR\r\n");
        expect(t.modem.gnssOn).to.equal(false);
        expect(await feedEpoch(t)).to.equal("");
      });
    }
  });
});

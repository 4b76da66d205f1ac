/**
 * GNSS inside the modem: the profiles' switch-on commands (allowed, in order, the SIM7600's query
 * deciding whether AT+CGPS=1 is sent), and the AT chat handing '$' lines to the NMEA side, never to
 * a response or a URC, whatever the chunking.
 */
import { expect } from "chai";
import { AtChat, type AtResponse } from "../../src/modem/at-chat.ts";
import { isAllowedAtCommand } from "../../src/modem/at-allow-list.ts";
import { ModemGnss } from "../../src/modem/modem-gnss.ts";
import { A7670, MODEM_PROFILES, SIM7000, SIM7600 } from "../../src/modem/profiles.ts";
import { CHUNKINGS, FakeClock, FakePort, RecordingLogger } from "./fakes.ts";

const RMC = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A";
const GGA = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47";

function setup(chunk = CHUNKINGS[0]!) {
  const port = new FakePort();
  port.chunker = chunk.make();
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const chat = new AtChat(port, clock, log);
  const urcs: string[] = [];
  const nmea: string[] = [];
  chat.onUrc = (line) => urcs.push(line);
  chat.onNmeaLine = (line) => nmea.push(line);
  /** The command last written (without CR), or "". */
  const lastCommand = () => port.written.split("\r").filter((l) => l !== "").at(-1) ?? "";
  const modem = (text: string) => {
    port.push(text);
    clock.advance(0);
  };
  return { port, clock, log, chat, urcs, nmea, lastCommand, modem };
}

describe("GNSS inside the modem", () => {
  describe("profiles and the allow list", () => {
    it("SIM7600 and SIM7000 have a switch-on, every command of it on the allow list", () => {
      expect(SIM7600.gnssOn?.map((s) => s.command)).to.deep.equal(["AT+CGPS?", "AT+CGPS=1", "AT+CGNSSPORTSWITCH=0,1", "AT+CGNSSTST=1"]);
      expect(SIM7000.gnssOn?.map((s) => s.command)).to.deep.equal(["AT+CGNSPWR=1", "AT+CGNSTST=1"]);
      for (const profile of MODEM_PROFILES)
        for (const step of profile.gnssOn ?? []) expect(isAllowedAtCommand(step.command), step.command).to.equal(true);
    });

    it("allows the antenna GPIO high, and nothing else of AT+CGPIO or the GNSS commands' other forms", () => {
      expect(isAllowedAtCommand("AT+CGPIO=0,48,1,1")).to.equal(true);
      for (const refused of ["AT+CGPIO=0,48,1,0", "AT+CGPIO=1,48,1,1", "AT+CGPIO=0,,1,1", "AT+CGPIO=0,4800,1,1", "AT+CGPS=0", "AT+CGNSPWR=0", "AT+CGNSSTST=0", "AT+CAGPS", "AT+CGNSSPORTSWITCH=1,1"])
        expect(isAllowedAtCommand(refused), refused).to.equal(false);
    });

    it("refuses a profile without a switch-on (its GNSS is not supported)", () => {
      const { chat, log } = setup();
      expect(() => new ModemGnss(chat, log, A7670)).to.throw(/A7670 has no GNSS switch-on/);
    });
  });

  describe("switch-on sequence", () => {
    function answer(h: ReturnType<typeof setup>, lines: string) {
      h.modem(lines);
    }

    it("SIM7600, GNSS off: asks, switches on, routes NMEA to the UART, starts the stream", () => {
      const h = setup();
      const gnss = new ModemGnss(h.chat, h.log, SIM7600);
      gnss.start();
      expect(h.lastCommand()).to.equal("AT+CGPS?");
      answer(h, "\r\n+CGPS: 0,1\r\n\r\nOK\r\n");
      expect(h.lastCommand()).to.equal("AT+CGPS=1");
      answer(h, "\r\nOK\r\n");
      expect(h.lastCommand()).to.equal("AT+CGNSSPORTSWITCH=0,1");
      answer(h, "\r\nOK\r\n");
      expect(h.lastCommand()).to.equal("AT+CGNSSTST=1");
      expect(gnss.state).to.equal("switching");
      answer(h, "\r\nOK\r\n");
      expect(gnss.state).to.equal("on");
      expect(gnss.stats.switchedOn).to.equal(1);
    });

    it("SIM7600, GNSS already on: AT+CGPS=1 is skipped", () => {
      const h = setup();
      const gnss = new ModemGnss(h.chat, h.log, SIM7600);
      gnss.start();
      answer(h, "\r\n+CGPS: 1,1\r\n\r\nOK\r\n");
      expect(h.lastCommand()).to.equal("AT+CGNSSPORTSWITCH=0,1");
      expect(h.port.written).not.to.include("AT+CGPS=1");
      answer(h, "\r\nOK\r\n");
      answer(h, "\r\nOK\r\n");
      expect(gnss.state).to.equal("on");
    });

    it("SIM7600: ERROR to AT+CGPS=1 is normal (a session runs already), other ERRORs stop the sequence", () => {
      const h = setup();
      const gnss = new ModemGnss(h.chat, h.log, SIM7600);
      gnss.start();
      answer(h, "\r\n+CGPS: 0,1\r\n\r\nOK\r\n");
      answer(h, "\r\nERROR\r\n");
      expect(h.lastCommand()).to.equal("AT+CGNSSPORTSWITCH=0,1");
      answer(h, "\r\nERROR\r\n");
      expect(gnss.state).to.equal("failed");
      expect(gnss.stats.failures).to.equal(1);
      expect(h.log.lines.some((l) => /AT\+CGNSSPORTSWITCH=0,1 failed/.test(l))).to.equal(true);
    });

    it("SIM7000G: the antenna GPIO goes high first, then power and the stream", () => {
      const h = setup();
      const gnss = new ModemGnss(h.chat, h.log, SIM7000, { antennaGpio: 48 });
      expect(gnss.commands).to.deep.equal(["AT+CGPIO=0,48,1,1", "AT+CGNSPWR=1", "AT+CGNSTST=1"]);
      gnss.start();
      for (const command of gnss.commands) {
        expect(h.lastCommand()).to.equal(command);
        answer(h, "\r\nOK\r\n");
      }
      expect(gnss.state).to.equal("on");
    });

    it("a start while one runs abandons the first: its answers move nothing on", () => {
      const h = setup();
      const gnss = new ModemGnss(h.chat, h.log, SIM7000);
      gnss.start();
      gnss.start();
      answer(h, "\r\nOK\r\n"); // the first run's AT+CGNSPWR=1: ignored
      expect(h.lastCommand()).to.equal("AT+CGNSPWR=1");
      answer(h, "\r\nOK\r\n");
      expect(h.lastCommand()).to.equal("AT+CGNSTST=1");
      answer(h, "\r\nOK\r\n");
      expect(gnss.state).to.equal("on");
      expect(gnss.stats.switchedOn).to.equal(1);
      expect(h.port.written.split("AT+CGNSPWR=1").length - 1).to.equal(2);
      expect(h.port.written.split("AT+CGNSTST=1").length - 1).to.equal(1);
    });
  });

  it("SIM7000G: a modem refusing the antenna GPIO is warned about, and the receiver switched on all the same", () => {
    const h = setup();
    const gnss = new ModemGnss(h.chat, h.log, SIM7000, { antennaGpio: 48 });
    gnss.start();
    h.modem("\r\nERROR\r\n");
    expect(h.lastCommand()).to.equal("AT+CGNSPWR=1");
    h.modem("\r\nOK\r\n");
    h.modem("\r\nOK\r\n");
    expect(gnss.state).to.equal("on");
    expect(h.log.lines.some((l) => /warn gnss.modem: AT\+CGPIO=0,48,1,1 refused/.test(l))).to.equal(true);
  });

  describe("'$' lines on the AT UART", () => {
    for (const chunking of CHUNKINGS) {
      it(`go to the NMEA side between URCs and inside a response, never into it (${chunking.name})`, () => {
        const h = setup(chunking);
        const results: AtResponse[] = [];
        h.modem(`\r\n${RMC}\r\n\r\n+CMTI: "SM",3\r\n${GGA}\r\n`);
        h.chat.send({ command: "AT+CSQ", timeoutMs: 2_000 }, (r) => results.push(r));
        h.modem(`\r\n+CSQ: 20,99\r\n${RMC}\r\n\r\nOK\r\n`);
        expect(h.nmea).to.deep.equal([RMC, GGA, RMC]);
        expect(h.urcs).to.deep.equal(['+CMTI: "SM",3']);
        expect(results).to.have.length(1);
        expect(results[0]!.outcome).to.equal("ok");
        expect(results[0]!.lines).to.deep.equal(["+CSQ: 20,99"]);
      });
    }

    it("without a receiver, a '$' line is a URC as before", () => {
      const h = setup();
      h.chat.onNmeaLine = null;
      h.modem(`\r\n${RMC}\r\n`);
      expect(h.urcs).to.deep.equal([RMC]);
    });

    it("nmeaLine gives the NMEA reader the line with CR LF, cut at 254 bytes", () => {
      const h = setup();
      const gnss = new ModemGnss(h.chat, h.log, SIM7600);
      const fed: string[] = [];
      const feed = (bytes: Uint8Array) => fed.push(String.fromCharCode(...bytes));
      gnss.nmeaLine(RMC, feed);
      gnss.nmeaLine("$" + "A".repeat(400), feed);
      expect(fed[0]).to.equal(RMC + "\r\n");
      expect(fed[1]).to.have.length(256);
      expect(gnss.stats).to.include({ lines: 2, linesCut: 1 });
    });
  });
});

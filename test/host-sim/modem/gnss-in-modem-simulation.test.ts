import { expect } from "chai";
import { Simulation } from "../../../host-sim/simulation.ts";

/** Build a simulation, count the GNSS bytes carried on the firmware's GNSS UART and fed to the modem, run 5 s. */
async function gnssRoutes(options: Parameters<typeof Simulation.create>[0]): Promise<{ toFirmware: number; toModem: number; epochs: number }> {
  const sim = await Simulation.create(options);
  const counts = { toFirmware: 0, toModem: 0, epochs: 0 };
  const feedGnss = sim.modem.feedGnss.bind(sim.modem);
  sim.modem.feedGnss = (bytes) => {
    counts.toModem += bytes.length;
    feedGnss(bytes);
  };
  try {
    await sim.start();
    await sim.runFor(5000);
    counts.epochs = sim.gnss.epochsSent;
    counts.toFirmware = sim.lines.gnssToFirmware.bytesCarried;
  } finally {
    await sim.close();
  }
  return counts;
}

describe("host-sim Simulation option gnssInModem", () => {
  it("sends the virtual GNSS's output to the modem, none to the firmware's GNSS UART", async () => {
    const routes = await gnssRoutes({ modemProfile: "sim7600", gnssInModem: true });
    expect(routes.epochs).to.be.greaterThan(3);
    expect(routes.toModem).to.be.greaterThan(1000);
    expect(routes.toFirmware).to.equal(0);
  });

  it("without it, the firmware's GNSS UART gets the output and the modem none", async () => {
    const routes = await gnssRoutes({ modemProfile: "sim7600" });
    expect(routes.toFirmware).to.be.greaterThan(1000);
    expect(routes.toModem).to.equal(0);
  });

  for (const profile of ["a7670", "sim800"] as const) {
    it(`refuses it for ${profile}, whose module has no GNSS receiver`, async () => {
      let error: unknown;
      try {
        await Simulation.create({ modemProfile: profile, gnssInModem: true });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(RangeError);
      expect((error as Error).message).to.equal(`gnssInModem: the ${profile} modem has no GNSS receiver (profiles with one: sim7600, sim7000, eg25, bg96)`);
    });
  }
});

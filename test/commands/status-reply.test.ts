/** STATUS reply (src/commands/status-reply.ts): plain words, one GSM-7 SMS, worst cases asserted. */
import { expect } from "chai";
import { shortAge, statusReply, type StatusInput } from "../../src/commands/status-reply.ts";
import { gsm7Septets } from "../../src/codec/gsm7.ts";

function input(over: Partial<StatusInput> = {}): StatusInput {
  return {
    gnssLive: true,
    gnssSilent: false,
    satellitesUsed: 9,
    lastFixAgeMs: 2_000,
    signalDbm: -71,
    registration: "home",
    vehicleMv: 12_600,
    batteryMv: 4_100,
    armed: false,
    trackingLeft: 0,
    fenceRadiusM: 0,
    fenceInside: undefined,
    speedLimitKmh: 0,
    smsLeftToday: 45,
    uptimeMs: 3 * 86_400_000,
    firmwareVersion: "0.1.0",
    ...over,
  };
}

/** Every status reply: ≤ 160 septets, GSM-7 basic characters only (no extension ones). */
function oneSms(text: string): string {
  const septets = gsm7Septets(text);
  expect(septets, text).to.be.within(1, 160);
  for (const ch of text) expect(gsm7Septets(ch), `extension or foreign character ${JSON.stringify(ch)} in ${text}`).to.equal(1);
  return text;
}

describe("commands/status-reply", () => {
  it("a healthy parked tracker: the full form, in plain words", () => {
    expect(oneSms(statusReply(input()))).to.equal(
      "GNSS: fix, 9 satellites, 2 s old\n" +
        "Signal: good, -71 dBm\n" +
        "Power: 12.6 V, battery 4.1 V\n" +
        "Not armed\n" +
        "SMS left today: 45. Up 3 days. Firmware 0.1.0",
    );
  });

  it("the supply cut: said in words, in both forms", () => {
    expect(oneSms(statusReply(input({ vehicleMv: 20, supplyCut: true })))).to.include("\nPower: cut, battery 4.1 V\n");
    const busy = statusReply(input({ vehicleMv: 20, supplyCut: true, armed: true, trackingLeft: 12, fenceRadiusM: 300, fenceInside: false, speedLimitKmh: 110 }));
    expect(oneSms(busy)).to.include("\nPwr cut bat 4.1V\n");
    expect(statusReply(input({ supplyCut: false }))).to.include("\nPower: 12.6 V, battery 4.1 V\n");
  });

  it("no fix, roaming, one voltage, armed and tracking", () => {
    const text = oneSms(
      statusReply(input({ gnssLive: false, lastFixAgeMs: 2 * 3_600_000 + 5 * 60_000, registration: "roaming", batteryMv: NaN, armed: true, trackingLeft: 12 })),
    );
    expect(text).to.equal(
      "GNSS: no fix now, last fix 2 h 5 min ago\n" +
        "Signal: good, -71 dBm, roaming\n" +
        "Power: 12.6 V\n" +
        "Armed; tracking, 12 left\n" +
        "SMS left today: 45. Up 3 days. Firmware 0.1.0",
    );
  });

  it("not measured, unknown signal, never a fix, silent receiver, lost network", () => {
    const text = oneSms(
      statusReply(input({ gnssLive: false, gnssSilent: true, lastFixAgeMs: NaN, signalDbm: undefined, registration: "searching", vehicleMv: NaN, batteryMv: NaN, smsLeftToday: NaN })),
    );
    expect(text).to.equal(
      "GNSS: receiver silent, no fix since power-on\n" +
        "Signal: unknown, no network\n" +
        "Power: not measured\n" +
        "Not armed\n" +
        "SMS left today: ?. Up 3 days. Firmware 0.1.0",
    );
    expect(oneSms(statusReply(input({ registration: "denied", signalDbm: -113 })))).to.include("Signal: poor, -113 dBm, network denied");
  });

  it("everything on at once: the compact form", () => {
    const text = oneSms(statusReply(input({ armed: true, trackingLeft: 30, fenceRadiusM: 500, fenceInside: true, speedLimitKmh: 120, registration: "roaming" })));
    expect(text).to.equal(
      "GNSS fix 9 sat 2s old\n" +
        "Sig good -71dBm roaming\n" +
        "Pwr 12.6V bat 4.1V\n" +
        "Armed, track 30 left, fence 500 m in, limit 120 km/h\n" +
        "SMS 45 left, up 3d, fw 0.1.0",
    );
  });

  it("imperial: the fence in feet/miles and the limit in mph", () => {
    const text = oneSms(statusReply(input({ units: "imperial", fenceRadiusM: 1609.344, fenceInside: false, speedLimitKmh: 112.654 })));
    expect(text).to.include("fence 1 mi out, limit 70 mph");
    expect(oneSms(statusReply(input({ units: "imperial", speedLimitKmh: 112.654 })))).to.include("Not armed; speed limit 70 mph");
  });

  it("the worst case of every field still fits one SMS (then the uptime and the version go)", () => {
    const worst: Array<Partial<StatusInput>> = [];
    for (const units of ["metric", "imperial"] as const) {
      for (const signalDbm of [-51, -70, -100, -113, NaN]) {
        for (const registration of ["home", "roaming", "searching", "denied", "unknown"] as const) {
          worst.push({
            units,
            signalDbm,
            registration,
            gnssLive: false,
            gnssSilent: true,
            lastFixAgeMs: 47 * 3_600_000 + 59 * 60_000,
            satellitesUsed: 1e9,
            vehicleMv: 1e9,
            batteryMv: 99_999,
            armed: false,
            trackingLeft: 1e6,
            fenceRadiusM: 1e12,
            fenceInside: false,
            speedLimitKmh: 1e6,
            smsLeftToday: 1e9,
            uptimeMs: 1e15,
            firmwareVersion: "1.22.333-rc.4444+abcdefabcdef0123456789",
          });
        }
      }
    }
    worst.push({ gnssLive: true, satellitesUsed: 1e9, lastFixAgeMs: 1e15, signalDbm: 50, vehicleMv: -5, batteryMv: -Infinity });
    worst.push({ firmwareVersion: "[~|\\^€{}]😀\u0000", signalDbm: -1e9 });
    worst.push({ firmwareVersion: undefined as unknown as string, uptimeMs: NaN, trackingLeft: NaN, fenceRadiusM: -5, speedLimitKmh: NaN });
    for (const over of worst) oneSms(statusReply(input(over)));
    const last = statusReply(input(worst[2]!));
    expect(last.endsWith("\nSMS 9999 left") || last.includes(", fw "), last).to.equal(true);
    expect(statusReply(input({ firmwareVersion: "[~|\\^€{}]😀" }))).to.include("Firmware ?");
  });

  it("shortAge", () => {
    const table: Array<[number, string]> = [[0, "0s"], [59_999, "59s"], [60_000, "1m"], [3_600_000, "1h"], [7_500_000, "2h5m"], [48 * 3_600_000, "2d"], [1e15, "9999d"], [-5, "0s"]];
    for (const [ms, text] of table) expect(shortAge(ms), String(ms)).to.equal(text);
  });
});

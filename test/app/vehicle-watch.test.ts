/**
 * The rules wired to the alert desk: each event becomes one alert that says what, when (the fix's
 * or the event's own time), where (map link) and how to stop it; the engine alert only while armed;
 * the network lost while armed is reported when it is back, with both times.
 */
import { expect } from "chai";
import { JAMMING_CONFIRM_MS, VehicleWatch } from "../../src/app/vehicle-watch.ts";
import { AlertDesk } from "../../src/app/alert-desk.ts";
import { ReplyFormat } from "../../src/app/reply-format.ts";
import { Settings } from "../../src/store/settings.ts";
import { DWELL_MS } from "../../src/alerts/fence-rule.ts";
import { POWER_SAMPLE_MS } from "../../src/alerts/power-rule.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

const M_PER_DEG_LAT = 111_195;
const START_UTC = Date.UTC(2026, 11, 6, 2, 0, 0);

function world(options: { armed?: boolean; fence?: string; speed?: string } = {}) {
  const clock = new FakeClock();
  clock.setUtcMs(START_UTC);
  const log = new RecordingLogger();
  const settings = new Settings(new MemoryStore(), log);
  settings.setMany({ fence: options.fence ?? "", speedLimitKmh: options.speed ?? "0" });
  const alerts: string[] = [];
  const state = { armed: options.armed ?? false, network: true, cell: "" };
  const desk = new AlertDesk({ clock, log, networkUp: () => state.network, send: (t) => alerts.push(t) });
  const format = new ReplyFormat(settings);
  let last: Fix | undefined;
  /** Time passes on both clocks (the fake's wall clock stands still by itself). */
  const tick = (ms: number) => {
    clock.advance(ms);
    clock.setUtcMs(START_UTC + clock.monotonicMs());
  };
  const watch = new VehicleWatch({
    settings,
    clock,
    log,
    desk,
    armed: () => state.armed,
    timeText: (utcMs) => format.timeText(utcMs),
    speedText: (kmh) => format.speedText(kmh),
    distanceText: (m) => format.distanceText(m),
    mapLink: (fix) => format.mapLink(fix),
    lastValid: () => last,
    cellText: () => state.cell,
  });
  /** Feed a fix `northM` north of 37°N at `speedKmh`, one second after the previous. */
  const feed = (northM: number, speedKmh = 0, over: Partial<Fix> = {}) => {
    tick(1000);
    const fix = testFix({ latitudeDeg: 37 + northM / M_PER_DEG_LAT, longitudeDeg: -121.9, speedKmh, receivedAtMs: clock.monotonicMs(), utcMs: START_UTC + clock.monotonicMs(), ...over });
    if (fix.valid) last = fix;
    watch.onFix(fix);
  };
  const power = (vehicleMv: number, batteryMv = 4100, samples = 1) => {
    for (let i = 0; i < samples; i++) {
      tick(POWER_SAMPLE_MS);
      watch.onPower({ vehicleMv, batteryMv });
    }
  };
  return { clock, tick, settings, alerts, state, watch, feed, power, desk };
}

describe("app/VehicleWatch", () => {
  it("the fence: one exit alert after the dwell, one back-inside alert, each with time, place and how to stop it", () => {
    const w = world({ fence: "37.00000,-121.90000,200" });
    for (let i = 0; i < 40; i++) w.feed(0);
    for (let m = 0; m <= 400; m += 10) w.feed(m, 36);
    for (let i = 0; i < DWELL_MS / 1000 + 5; i++) w.feed(400);
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.match(/^FENCE ALERT: the vehicle left the 200 m fence at 02:\d\d UTC \(\d+ m from its centre\)\. https:\/\/maps\.google\.com\/\?q=37\.00\d+,-121\.90000\nFENCE OFF removes the fence\.$/);
    w.tick(60_000);
    for (let i = 0; i < DWELL_MS / 1000 + 5; i++) w.feed(0);
    expect(w.alerts).to.have.length(2);
    expect(w.alerts[1]).to.match(/^FENCE: the vehicle is back inside the 200 m fence at 02:\d\d UTC\. https:/);
  });

  it("speed: one alert with the top speed, the limit and where, in the owner's units", () => {
    const w = world({ speed: "100" });
    w.settings.set("units", "imperial");
    for (let i = 0; i < 20; i++) w.feed(i * 30, 90);
    for (let i = 0; i < 30; i++) w.feed(600 + i * 35, i === 12 ? 131 : 120);
    for (let i = 0; i < 40; i++) w.feed(1700 + i * 25, 80);
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.match(/^SPEED ALERT: 81 mph \(limit 62 mph\) at 02:00 UTC, over the limit for 3\d s\. https:\/\/maps.google.com\/\?q=37\.0\d+,-121\.90000\nSPEED OFF stops these alerts\.$/);
  });

  it("power cut and restored: alerts with the backup battery's voltage and the last position", () => {
    const w = world();
    w.feed(0);
    w.power(12_600, 4_150, 3);
    expect(w.alerts).to.deep.equal([]);
    w.power(0, 4_100, 2);
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.match(/^POWER ALERT: power cut at 02:00 UTC; on backup battery \(4\.1 V\)\. Last fix: https:\/\/maps/);
    w.tick(60_000);
    w.power(12_500, 4_000, 2);
    expect(w.alerts).to.have.length(2);
    expect(w.alerts[1]).to.equal("POWER: the vehicle's power is back at 02:01 UTC (12.5 V).");
  });

  it("engine started: an alert only while armed", () => {
    const w = world();
    w.power(12_400, 4_100, 6);
    w.power(14_000, 4_100, 4);
    expect(w.alerts).to.deep.equal([]);
    w.power(12_400, 4_100, 6);
    w.state.armed = true;
    w.power(14_000, 4_100, 4);
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.match(/^ENGINE ALERT: the engine was started at 02:00 UTC while armed\.\nDISARM stops these alerts\.$/);
  });

  it("with no live fix the alert names the serving cell", () => {
    const w = world();
    w.state.cell = "Cell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 (LTE)";
    w.power(12_600, 4_150, 3);
    w.power(0, 4_100, 2);
    expect(w.alerts).to.deep.equal([
      "POWER ALERT: power cut at 02:00 UTC; on backup battery (4.1 V).\nCell: MCC 310 MNC 260 LAC 1A2B ID 01C2D3E4 (LTE)\nALERTS OFF stops alerts to you.",
    ]);
  });

  it("backup battery low: one alert", () => {
    const w = world();
    w.power(0, 3_900, 3);
    w.power(0, 3_400, 5);
    expect(w.alerts).to.deep.equal(["BATTERY LOW: the tracker's backup battery is at 3.4 V (02:00 UTC); it stops soon unless the vehicle's power returns."]);
  });

  it("the network lost while armed: reported when it is back, with both times; not armed: nothing", () => {
    const w = world({ armed: true });
    w.feed(0);
    w.watch.onRegistration(false);
    w.tick(17 * 60_000);
    w.watch.onRegistration(true);
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.match(/^POSSIBLE JAMMING: the mobile network was lost from 02:00 UTC to 02:17 UTC while armed\. Last fix: https:/);
    w.state.armed = false;
    w.watch.onRegistration(false);
    w.watch.onRegistration(true);
    expect(w.alerts).to.have.length(1);
  });

  const NO_SKY = { valid: false, satellites: 0, satellitesUsed: 0, satellitesInView: 0, hdop: NaN } as const;

  it("all satellites gone at once while armed: one possible-jamming alert at once", () => {
    const w = world({ armed: true });
    for (let i = 0; i < 10; i++) w.feed(i * 15, 54);
    w.feed(150, NaN, NO_SKY);
    w.feed(150, NaN, NO_SKY);
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.match(/^POSSIBLE JAMMING: all 9 satellites were lost at once at 02:00 UTC while armed\. Last fix: https:/);
  });

  it("while driving (not armed): reported only when no fix came back within JAMMING_CONFIRM_MS (a tunnel is not a jammer)", () => {
    const w = world();
    for (let i = 0; i < 10; i++) w.feed(i * 15, 54);
    for (let i = 0; i < 90; i++) w.feed(150, NaN, NO_SKY); // a 90 s tunnel
    for (let i = 0; i < 330; i++) w.feed(1500 + i * 15, 54); // past the 5 min: the tunnel's loss is forgotten
    expect(w.alerts).to.deep.equal([]);
    w.feed(6500, NaN, NO_SKY);
    w.tick(JAMMING_CONFIRM_MS - 1);
    expect(w.alerts).to.deep.equal([]);
    w.tick(1);
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.match(/^POSSIBLE JAMMING: all 9 satellites were lost at once at 02:\d\d UTC while moving, and no fix for 5 min since \(a long tunnel or an underground car park does this too\)\. Last fix: https:/);
  });

  it("while driving: no alert when the engine was switched off during the outage (parked in an underground car park)", () => {
    const w = world();
    w.power(14_000, 4_100, 4); // running
    for (let i = 0; i < 10; i++) w.feed(i * 15, 54);
    w.feed(150, NaN, NO_SKY);
    w.power(12_600, 4_100, 6); // engine off
    w.tick(JAMMING_CONFIRM_MS);
    expect(w.watch.power.engine).to.equal("off");
    expect(w.alerts).to.deep.equal([]);
  });

  it("a fence or speed change restarts only that rule; forget() restarts all", () => {
    const w = world({ fence: "37.00000,-121.90000,200", speed: "100" });
    for (let i = 0; i < 40; i++) w.feed(0);
    expect(w.watch.fence.state).to.equal("inside");
    w.settings.set("speedLimitKmh", "120");
    w.watch.settingsChanged("speed");
    expect([w.watch.fence.state, w.watch.speed.limitKmh]).to.deep.equal(["inside", 120]);
    w.watch.settingsChanged("fence");
    expect(w.watch.fence.state).to.equal("unknown");
    for (let i = 0; i < 40; i++) w.feed(0);
    w.watch.forget();
    expect([w.watch.fence.state, w.watch.fence.fence?.radiusM, w.watch.speed.limitKmh]).to.deep.equal(["unknown", 200, 120]);
  });

  describe("the kind each alert is raised as (its hourly limit)", () => {
    /** A watch over a recording desk: (kind, text) pairs. */
    function recorded(options: { armed?: boolean; fence?: string; speed?: string } = {}) {
      const w = world(options);
      const raised: string[] = [];
      (w.desk as unknown as { raise: (kind: string, text: string) => void }).raise = (kind) => raised.push(kind);
      return { ...w, raised };
    }

    it("fence, speed, power, battery, engine and jamming", () => {
      const w = recorded({ armed: true, fence: "37.00000,-121.90000,200", speed: "100" });
      for (let i = 0; i < 40; i++) w.feed(0);
      for (let m = 0; m <= 400; m += 10) w.feed(m, 36);
      for (let i = 0; i < DWELL_MS / 1000 + 5; i++) w.feed(400);
      for (let i = 0; i < 20; i++) w.feed(400 + i * 35, 130);
      for (let i = 0; i < 40; i++) w.feed(1100 + i * 10, 50);
      w.power(12_400, 4_100, 6);
      w.power(14_000, 4_100, 4);
      w.power(0, 4_100, 2);
      w.power(0, 3_300, 3);
      w.power(12_600, 4_000, 2);
      w.feed(1500, 0);
      w.feed(1500, NaN, NO_SKY);
      w.watch.onRegistration(false);
      w.watch.onRegistration(true);
      expect(w.raised).to.deep.equal(["fence", "speed", "engine", "power", "battery", "power", "jamming", "jamming"]);
    });
  });

  it("a speed stretch of exactly a minute reads '1 min', of 59 s '59 s'", () => {
    for (const [seconds, text] of [
      [59, "59 s"],
      [60, "1 min"],
    ] as const) {
      const w = world({ speed: "100" });
      w.watch.speed.setLimit(100);
      const excursion = { limitKmh: 100, topKmh: 120, topFix: testFix({ utcMs: START_UTC }), startedMs: 0, durationMs: seconds * 1000, ended: true };
      (w.watch.speed as unknown as { onFix: () => unknown }).onFix = () => excursion;
      w.feed(0, 120);
      expect(w.alerts[0], String(seconds)).to.include(`over the limit for ${text}.`);
    }
  });

  it("jamming needs a moving vehicle (over 10 km/h) or ARM: at 10 km/h, or before any fix, nothing is watched", () => {
    const w = world();
    w.feed(0, NaN, NO_SKY);
    for (let i = 0; i < 10; i++) w.feed(i * 3, 10);
    w.feed(30, NaN, NO_SKY);
    w.tick(2 * JAMMING_CONFIRM_MS);
    expect(w.alerts).to.deep.equal([]);
  });

  it("the network lost twice before it is back: reported from the first loss", () => {
    const w = world({ armed: true });
    w.feed(0);
    w.watch.onRegistration(false);
    w.tick(5 * 60_000);
    w.watch.onRegistration(false);
    w.tick(5 * 60_000);
    w.watch.onRegistration(true);
    expect(w.alerts[0]).to.match(/from 02:00 UTC to 02:10 UTC while armed/);
    w.watch.onRegistration(true);
    expect(w.alerts).to.have.length(1);
  });

  it("disarmed when the network went, armed when it came back: no report", () => {
    const w = world();
    w.watch.onRegistration(false);
    w.state.armed = true;
    w.watch.onRegistration(true);
    expect(w.alerts).to.deep.equal([]);
  });

  it("a fence change leaves the speed rule alone", () => {
    const w = world({ fence: "37.00000,-121.90000,200", speed: "100" });
    w.settings.set("speedLimitKmh", "120");
    w.watch.settingsChanged("fence");
    expect(w.watch.speed.limitKmh).to.equal(100);
    w.watch.settingsChanged();
    expect(w.watch.speed.limitKmh).to.equal(120);
  });

  it("the last power reading is kept for STATUS (NaN before the first)", () => {
    const w = world();
    expect(w.watch.reading).to.deep.equal({ vehicleMv: NaN, batteryMv: NaN });
    w.power(12_600, 4_100, 1);
    expect(w.watch.reading).to.deep.equal({ vehicleMv: 12_600, batteryMv: 4_100 });
  });
});

/** TRACK, FENCE, SPEED, UNITS and TZ: every form, right and wrong, the settings they leave, and who is told. */
import { expect } from "chai";
import { VehicleCommands } from "../../src/commands/vehicle-commands.ts";
import { Tracking } from "../../src/alerts/tracking.ts";
import { timeZoneSetting } from "../../src/commands/local-time.ts";
import { Settings } from "../../src/store/settings.ts";
import type { Member } from "../../src/auth/user-list.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

const OWNER: Member = { number: "+14085550199", name: "owner", role: "owner", alerts: true };
const ANNA: Member = { number: "+14155550177", name: "Anna", role: "admin", alerts: true };
const BOB: Member = { number: "+14155550188", name: "Bob", role: "user", alerts: false };

function world() {
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const settings = new Settings(new MemoryStore(), log);
  const state = { fix: testFix({ latitudeDeg: 37.334912, longitudeDeg: -121.888107 }) as Fix | undefined };
  const changed: string[] = [];
  const tracking = new Tracking({ settings, clock, log, liveFix: () => state.fix, positionText: () => "", noPositionText: () => "", registered: () => true, send: () => {} });
  const commands = new VehicleCommands({
    settings,
    tracking,
    liveFix: () => state.fix,
    owner: () => OWNER.number,
    changed: (what) => changed.push(what),
    parseZone: (text) => timeZoneSetting(text),
  });
  return { settings, state, changed, commands, tracking };
}

const answer = (reply: string) => ({ reply, notices: [] });

describe("commands/VehicleCommands", () => {
  describe("FENCE", () => {
    it("around the live position, to 5 decimals, with the radius in m or km", () => {
      const w = world();
      expect(w.commands.fence(OWNER, ["300"])).to.deep.equal(answer("Fence set: 300 m around 37.33491,-121.88811. You get an alert when the vehicle leaves it or comes back. FENCE OFF removes it."));
      expect(w.settings.get("fence")).to.equal("37.33491,-121.88811,300");
      expect(w.commands.fence(OWNER, ["2km"]).reply).to.match(/^Fence set: 2000 m around/);
      expect(w.changed).to.deep.equal(["fence", "fence"]);
      expect(w.commands.fence(OWNER, [])).to.deep.equal(answer("Fence: 2000 m around 37.33491,-121.88811. FENCE OFF removes it."));
    });

    it("around given coordinates, as one word or two", () => {
      const w = world();
      w.state.fix = undefined;
      expect(w.commands.fence(OWNER, ["51.50073,-0.12463", "150"]).reply).to.match(/^Fence set: 150 m around 51\.50073,-0\.12463\./);
      expect(w.commands.fence(OWNER, ["-33.8568", "151.2153", "500m"]).reply).to.match(/^Fence set: 500 m around -33\.85680,151\.21530\./);
      expect(w.commands.fence(OWNER, ["48.8584,", "2.2945", "200"]).reply).to.match(/^Fence set: 200 m around 48\.85840,2\.29450\./);
    });

    it("wrong forms are refused with how to do it, and nothing changes", () => {
      const w = world();
      const usage = "Send FENCE <radius m> (around the vehicle now) or FENCE <lat>,<lon> <radius m>, or FENCE OFF.";
      expect(w.commands.fence(OWNER, ["50"])).to.deep.equal(answer("Fence not set: the radius must be 100 to 50000 m."));
      expect(w.commands.fence(OWNER, ["60km"])).to.deep.equal(answer("Fence not set: the radius must be 100 to 50000 m."));
      expect(w.commands.fence(OWNER, ["91,0", "200"])).to.deep.equal(answer("Fence not set: the centre must be a latitude (-90 to 90) and a longitude (-180 to 180)."));
      expect(w.commands.fence(OWNER, ["near"])).to.deep.equal(answer(`'near' is not a radius. ${usage}`));
      expect(w.commands.fence(OWNER, ["300", "400"])).to.deep.equal(answer(usage));
      expect(w.commands.fence(OWNER, ["37.3,-121.8"])).to.deep.equal(answer(usage));
      w.state.fix = undefined;
      expect(w.commands.fence(OWNER, ["300"])).to.deep.equal(answer("No live position to centre the fence on. Try again in open sky, or send FENCE <lat>,<lon> <radius m>."));
      expect([w.settings.get("fence"), w.changed]).to.deep.equal(["", []]);
      expect(w.commands.fence(OWNER, [])).to.deep.equal(answer("No fence. Send FENCE <radius m> to set one around the vehicle."));
    });

    it("OFF removes it (or says there was none); an admin's change is told to the owner; a user may not", () => {
      const w = world();
      expect(w.commands.fence(OWNER, ["off"])).to.deep.equal(answer("There was no fence."));
      expect(w.commands.fence(ANNA, ["300"]).notices).to.deep.equal([{ to: OWNER.number, text: "Anna (+1415***0177) set a fence of 300 m." }]);
      expect(w.commands.fence(ANNA, ["OFF"])).to.deep.equal({ reply: "Fence removed.", notices: [{ to: OWNER.number, text: "Anna (+1415***0177) removed the fence." }] });
      expect(w.settings.get("fence")).to.equal("");
      expect(w.commands.fence(BOB, ["300"])).to.deep.equal(answer("FENCE is for the owner and admins. Send HELP for the commands you can use."));
      expect(w.settings.get("fence")).to.equal("");
    });
  });

  describe("SPEED", () => {
    it("a limit in km/h (or in the owner's units, or with its unit), OFF, and the limit now", () => {
      const w = world();
      expect(w.commands.speed(OWNER, [])).to.deep.equal(answer("No speed limit. Send SPEED <limit>, e.g. SPEED 110."));
      expect(w.commands.speed(OWNER, ["110"])).to.deep.equal(answer("Speed limit 110 km/h: an alert with the top speed and where, once per time it is passed. SPEED OFF removes it."));
      expect(w.settings.get("speedLimitKmh")).to.equal("110");
      expect(w.commands.speed(OWNER, ["70mph"]).reply).to.match(/^Speed limit 113 km\/h/);
      expect(w.commands.speed(OWNER, ["90", "kmh"]).reply).to.match(/^Speed limit 90 km\/h/);
      expect(w.commands.speed(OWNER, ["90km/h"]).reply).to.match(/^Speed limit 90 km\/h/);
      expect(w.commands.speed(OWNER, [])).to.deep.equal(answer("Speed limit: 90 km/h. SPEED OFF removes it."));
      w.settings.set("units", "imperial");
      expect(w.commands.speed(OWNER, ["60"]).reply).to.match(/^Speed limit 60 mph: /);
      expect(w.settings.get("speedLimitKmh")).to.equal("97");
      expect(w.commands.speed(OWNER, ["off"])).to.deep.equal(answer("Speed limit removed."));
      expect(w.commands.speed(OWNER, ["off"])).to.deep.equal(answer("There was no speed limit."));
      expect(w.changed).to.deep.equal(["speed", "speed", "speed", "speed", "speed", "speed", "speed"]);
    });

    it("out of range and garbage are refused; a user may not; an admin's change is told", () => {
      const w = world();
      expect(w.commands.speed(OWNER, ["19"])).to.deep.equal(answer("The limit must be 20 km/h to 250 km/h."));
      expect(w.commands.speed(OWNER, ["251"])).to.deep.equal(answer("The limit must be 20 km/h to 250 km/h."));
      for (const bad of [["fast"], ["1000"], ["90", "knots"], ["90", "80", "70"]]) {
        expect(w.commands.speed(OWNER, bad), bad.join(" ")).to.deep.equal(answer("Send SPEED <limit>, e.g. SPEED 110 (or 70mph), or SPEED OFF."));
      }
      expect(w.commands.speed(BOB, ["90"])).to.deep.equal(answer("SPEED is for the owner and admins. Send HELP for the commands you can use."));
      expect(w.commands.speed(ANNA, ["90"]).notices).to.deep.equal([{ to: OWNER.number, text: "Anna (+1415***0177) set a speed limit of 90 km/h." }]);
      w.settings.set("units", "imperial");
      expect(w.commands.speed(OWNER, ["10"])).to.deep.equal(answer("The limit must be 12 mph to 155 mph."));
    });
  });

  describe("TRACK", () => {
    it("starts for the sender, says what runs, stops", () => {
      const w = world();
      expect(w.commands.track(BOB, [])).to.deep.equal(answer("Not tracking. Send TRACK <minutes> (count) (distance), e.g. TRACK 5 20 500m."));
      expect(w.commands.track(BOB, ["5", "20", "500m"])).to.deep.equal(answer("Tracking: a position every 5 min when it moved 500 m or more, 20 times (100 min). TRACK OFF stops it."));
      expect(w.settings.get("track")).to.equal(`5,20,500,20,${BOB.number}`);
      expect(w.commands.track(OWNER, [])).to.deep.equal(answer("Now tracking every 5 min (20 left). TRACK OFF stops it."));
      expect(w.commands.track(OWNER, ["off"])).to.deep.equal(answer("Tracking stopped."));
      expect(w.commands.track(OWNER, ["15", "97"])).to.deep.equal(answer("TRACK not started: 97 positions every 15 min would run past 24 h (at most 96)."));
    });
  });

  describe("UNITS and TZ", () => {
    it("UNITS: metric or imperial (KM and MILES too); anything else refused; a user may not", () => {
      const w = world();
      expect(w.commands.units(OWNER, [])).to.deep.equal(answer("Units: metric. Send UNITS METRIC or UNITS IMPERIAL."));
      expect(w.commands.units(OWNER, ["miles"])).to.deep.equal(answer("Units: mph and feet from now on."));
      expect(w.settings.get("units")).to.equal("imperial");
      expect(w.commands.units(OWNER, ["KM"])).to.deep.equal(answer("Units: km/h and metres from now on."));
      expect(w.commands.units(OWNER, ["Metric"])).to.deep.equal(answer("Units: km/h and metres from now on."));
      expect(w.commands.units(OWNER, ["imperial", "please"])).to.deep.equal(answer("Send UNITS METRIC (km/h, m) or UNITS IMPERIAL (mph, ft)."));
      expect(w.commands.units(OWNER, ["furlongs"])).to.deep.equal(answer("Send UNITS METRIC (km/h, m) or UNITS IMPERIAL (mph, ft)."));
      expect(w.commands.units(BOB, ["imperial"])).to.deep.equal(answer("UNITS is for the owner and admins. Send HELP for the commands you can use."));
      expect(w.settings.get("units")).to.equal("metric");
    });

    it("TZ: a zone as people type it is stored by its name; unknown ones refused; a user may not", () => {
      const w = world();
      const examples = "Send TZ <zone>, e.g. TZ CET, TZ PACIFIC, TZ +05:30, TZ UTC.";
      expect(w.commands.timeZone(OWNER, [])).to.deep.equal(answer(`Time zone: UTC. ${examples}`));
      expect(w.commands.timeZone(OWNER, ["new", "york"])).to.deep.equal(answer("Time zone: US-EASTERN. Times in replies and alerts use it from now on."));
      expect(w.commands.timeZone(OWNER, ["+5:30"])).to.deep.equal(answer("Time zone: +05:30. Times in replies and alerts use it from now on."));
      expect(w.commands.timeZone(OWNER, ["Mars"])).to.deep.equal(answer(`Unknown time zone. ${examples}`));
      expect(w.commands.timeZone(BOB, ["UTC"])).to.deep.equal(answer("TZ is for the owner and admins. Send HELP for the commands you can use."));
      expect(w.settings.get("timeZone")).to.equal("+05:30");
      expect(w.commands.timeZone(ANNA, ["utc"]).reply).to.equal("Time zone: UTC. Times in replies and alerts use it from now on.");
    });
  });
});

/** Times, speeds and distances in the owner's zone and units, and what an unknown value reads as. */
import { expect } from "chai";
import { ReplyFormat } from "../../src/app/reply-format.ts";
import { Settings } from "../../src/store/settings.ts";
import { testFix } from "../support/fix.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { RecordingLogger } from "../modem/fakes.ts";

function format() {
  const settings = new Settings(new MemoryStore(), new RecordingLogger());
  return { settings, format: new ReplyFormat(settings) };
}

describe("app/ReplyFormat", () => {
  it("times in UTC by default, in the owner's zone with its summer-time label once set", () => {
    const { settings, format: f } = format();
    const july = Date.UTC(2026, 6, 1, 12, 5, 0);
    const january = Date.UTC(2026, 0, 1, 12, 5, 0);
    expect(f.timeText(july)).to.equal("12:05 UTC");
    settings.set("timeZone", "Paris");
    expect([f.timeText(july), f.timeText(january)]).to.deep.equal(["14:05 CEST", "13:05 CET"]);
    settings.set("timeZone", "+05:30");
    expect(f.timeText(july)).to.equal("17:35 UTC+05:30");
  });

  it("speeds and distances in metric, then imperial", () => {
    const { settings, format: f } = format();
    expect([f.units, f.speedText(100), f.distanceText(350), f.distanceText(1_500)]).to.deep.equal(["metric", "100 km/h", "350 m", "1.5 km"]);
    settings.set("units", "imperial");
    expect([f.units, f.speedText(100), f.distanceText(100), f.distanceText(2_000)]).to.deep.equal(["imperial", "62 mph", "328 ft", "1.2 mi"]);
  });

  it("an unknown value says so instead of NaN", () => {
    const { format: f } = format();
    expect([f.timeText(NaN), f.speedText(NaN), f.distanceText(Infinity)]).to.deep.equal(["time unknown", "speed unknown", "distance unknown"]);
  });

  it("the map link gives the fix to 5 decimals", () => {
    const { format: f } = format();
    expect(f.mapLink(testFix({ latitudeDeg: -33.856789, longitudeDeg: 151.215299 }))).to.equal("https://maps.google.com/?q=-33.85679,151.21530");
  });
});

/** ARM / DISARM and the alert sequence: roles, notices, the armed state in settings, follow-ups and their end. */
import { expect } from "chai";
import { TheftAlarm, FOLLOW_UP_COUNT, FOLLOW_UP_MS } from "../../src/alerts/theft-alarm.ts";
import { ANCHOR_FIXES, SUSTAIN_MS } from "../../src/alerts/movement-guard.ts";
import { Settings } from "../../src/store/settings.ts";
import type { Fix } from "../../src/gnss/fix.ts";
import { testFix } from "../support/fix.ts";
import type { Member } from "../../src/auth/user-list.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { FakeClock, RecordingLogger } from "../modem/fakes.ts";

const OWNER: Member = { number: "+14085550199", name: "owner", role: "owner", alerts: true };
const ANNA: Member = { number: "+14155550177", name: "Anna", role: "admin", alerts: true };
const BOB: Member = { number: "+14155550188", name: "Bob", role: "user", alerts: false };
function fixAt(northM: number, atMs: number): Fix {
  return testFix({ latitudeDeg: 37.33491 + northM / 111_195, longitudeDeg: -121.88811, speedKmh: 5, receivedAtMs: atMs });
}

function world(store = new MemoryStore()) {
  const clock = new FakeClock();
  const log = new RecordingLogger();
  const settings = new Settings(store, log);
  const alerts: string[] = [];
  const alarm = new TheftAlarm({ settings, clock, log, owner: () => OWNER.number, alert: (t) => alerts.push(t), position: () => "HERE" });
  return { clock, log, settings, alerts, alarm, store };
}

/** Park (anchor), then move 300 m away for SUSTAIN_MS: the alert. */
function moveAway(w: ReturnType<typeof world>): void {
  let t = w.clock.monotonicMs();
  for (let i = 0; i < ANCHOR_FIXES; i++) w.alarm.onFix(fixAt(0, (t += 1000)));
  for (let i = 0; i <= SUSTAIN_MS / 1000 + 1; i++) w.alarm.onFix(fixAt(300, (t += 1000)));
}

describe("alerts/TheftAlarm", () => {
  it("a user may neither ARM nor DISARM; nothing changes", () => {
    const w = world();
    expect(w.alarm.arm(BOB)).to.deep.equal({ reply: "ARM is for the owner and admins. Send HELP for the commands you can use.", notices: [] });
    expect(w.alarm.disarm(BOB)).to.deep.equal({ reply: "DISARM is for the owner and admins. Send HELP for the commands you can use.", notices: [] });
    expect([w.alarm.armed, w.settings.get("armed")]).to.deep.equal([false, "off"]);
  });

  it("the owner arms (stored, no notice); an admin disarms (the owner is told)", () => {
    const w = world();
    expect(w.alarm.arm(OWNER)).to.deep.equal({
      reply: "Armed: if the vehicle moves (driven or towed) you get an alert, then its position every 2 min for 30 min. DISARM to stop.",
      notices: [],
    });
    expect([w.alarm.armed, w.settings.get("armed")]).to.deep.equal([true, "on"]);
    expect(w.alarm.disarm(ANNA)).to.deep.equal({
      reply: "Disarmed: movement raises no alert.",
      notices: [{ to: OWNER.number, text: "Anna (+1415***0177) disarmed the tracker." }],
    });
    expect([w.alarm.armed, w.settings.get("armed")]).to.deep.equal([false, "off"]);
    expect(w.alarm.arm(ANNA).notices).to.deep.equal([{ to: OWNER.number, text: "Anna (+1415***0177) armed the tracker." }]);
    expect(w.log.lines).to.include("info alarm: armed by +1415***0177");
  });

  it("armed in settings at boot: armed again, a new anchor taken", () => {
    const store = new MemoryStore();
    world(store).alarm.arm(OWNER);
    const again = world(store);
    expect(again.alarm.armed).to.equal(true);
    moveAway(again);
    expect(again.alerts).to.have.length(1);
  });

  it("movement: one alert, then FOLLOW_UP_COUNT positions FOLLOW_UP_MS apart, counting down, then nothing", () => {
    const w = world();
    w.alarm.arm(OWNER);
    moveAway(w);
    expect(w.alerts).to.deep.equal(["MOVEMENT ALERT: moved 300 m while armed. HERE\nPosition every 2 min for 30 min; DISARM stops it."]);
    w.clock.advance(FOLLOW_UP_MS - 1);
    expect(w.alerts).to.have.length(1);
    w.clock.advance(1);
    expect(w.alerts[1]).to.equal(`After the movement alert (${FOLLOW_UP_COUNT - 1} more to come, DISARM stops them): HERE`);
    w.clock.advance(FOLLOW_UP_MS * FOLLOW_UP_COUNT * 2);
    expect(w.alerts).to.have.length(1 + FOLLOW_UP_COUNT);
    expect(w.alerts.at(-1)).to.equal("After the movement alert (0 more to come, DISARM stops them): HERE");
    moveAway(w);
    expect(w.alerts, "once per arming").to.have.length(1 + FOLLOW_UP_COUNT);
  });

  it("DISARM stops the follow-ups and says so; ARM again starts a new watch", () => {
    const w = world();
    w.alarm.arm(OWNER);
    moveAway(w);
    w.clock.advance(FOLLOW_UP_MS);
    expect(w.alarm.disarm(OWNER).reply).to.equal("Disarmed: the positions after the alert stop, and movement raises no alert.");
    w.clock.advance(FOLLOW_UP_MS * 10);
    expect(w.alerts).to.have.length(2);
    w.alarm.arm(OWNER);
    moveAway(w);
    expect(w.alerts).to.have.length(3);
  });

  it("forget (RESET): follow-ups stop; armed stays armed with a new anchor, disarmed stays disarmed", () => {
    const w = world();
    w.alarm.arm(OWNER);
    moveAway(w);
    w.alarm.forget();
    w.clock.advance(FOLLOW_UP_MS * 5);
    expect(w.alerts).to.have.length(1);
    expect(w.alarm.armed).to.equal(true);
    w.settings.set("armed", "off");
    w.alarm.forget();
    expect(w.alarm.armed).to.equal(false);
  });

  it("a store that refuses the write: ARM and DISARM fail and change nothing", () => {
    const store = new MemoryStore();
    const w = world(store);
    store.set = () => {
      throw new Error("flash full");
    };
    expect(w.alarm.arm(OWNER)).to.deep.equal({ reply: "ARM failed: store refused the write: flash full.", notices: [] });
    expect(w.alarm.armed).to.equal(false);
    expect(w.alarm.disarm(OWNER)).to.deep.equal({ reply: "DISARM failed: store refused the write: flash full.", notices: [] });
  });
});

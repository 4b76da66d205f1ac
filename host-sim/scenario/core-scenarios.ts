/**
 * The core scenarios: what must hold on every engine, and what CI proves on Moddable's own runtime
 * (`npx tracker run core --engine moddable`, run by `npm run test:device`). There time is real, so
 * each scenario waits only as long as a reply needs, plus a short window in which a duplicate
 * would show.
 */
import type { Scenario } from "./scenarios.ts";
import type { Simulation } from "../simulation.ts";
import type { Checks } from "./checks.ts";
import { REPLY_WITHIN_MS, checkStrangerLoggedMasked, linkCoordinates, ready, storedMessages } from "./scenario-helpers.ts";
import { DEFAULT_OWNER, DEFAULT_PIN, DEFAULT_TRACKER } from "../simulation.ts";
import { VirtualPhone } from "../modem/phone.ts";
import { DEFAULT_NETWORK_START_UTC_MS } from "../modem/sms-network.ts";
import { isFinalConsoleLine } from "../sim-console.ts";

const ANNA = "+14155550177";

/** Time after a reply in which a duplicate would have arrived (ms). */
const SETTLE_MS = 10_000;

const LIVE = /^Live GNSS fix, \d+ s old \(\d\d:\d\d:\d\d UTC\):/;


/** Wait until the owner has `count` messages (or the limit passes), then the settle window; the inbox texts. */
async function ownerInboxAfter(sim: Simulation, count: number): Promise<string[]> {
  await sim.clock.runUntilCondition(() => sim.owner.inbox.length >= count, REPLY_WITHIN_MS);
  await sim.runFor(SETTLE_MS);
  return sim.owner.inbox.map((m) => m.text);
}

/** The self-test's check ids, in the order the console prints them (docs/console-protocol.md). */
const SELF_TEST_CHECKS = ["modem", "sim", "network", "signal", "sms-centre", "sms-store", "sms-loopback", "credit", "gnss-data", "gnss-fix", "satellites", "vehicle-power", "backup-battery"];

/** Type `line` on the console and check its whole answer is `expected` (lines, the final one last). */
async function consoleSays(sim: Simulation, check: Checks, line: string, expected: string[]): Promise<string[]> {
  const answer = await sim.console.command(line);
  check.equal(answer.join(" | "), expected.join(" | "), `console: ${line}`);
  return answer;
}

/** The WHERE wait the core scenarios set (s × 1000): shorter than the 60 s default, as they also run in real time on Moddable's runtime. */
const CORE_WHERE_WAIT_MS = 20_000;

export const CORE_SCENARIOS: readonly Scenario[] = [
  {
    name: "core-boot-where",
    description:
      "A cold board: the firmware switches the modem on with its power key and gets ready; WHERE with no sky waits the WHERE wait (set to 20 s here) and then answers an honest 'no position yet' with the serving cell; a WHERE sent while the sky returns waits for the fix and answers it live.",
    options: { settings: { whereWaitS: String(CORE_WHERE_WAIT_MS / 1000) } },
    async run(sim, check) {
      sim.gnss.setSignalLost(true);
      if (!(await ready(sim, check))) return;
      check.ok(sim.powerKeyPresses.some((p) => p.effect === "on"), "the power key switched the modem on", JSON.stringify(sim.powerKeyPresses));
      const askedAtMs = sim.clock.nowMs;
      const none = await sim.ask(sim.owner, "WHERE", CORE_WHERE_WAIT_MS + REPLY_WITHIN_MS);
      check.match(none?.text, /^No position yet: no GNSS fix since power-on .*\nCell: MCC 310 MNC 260 LAC 1A2B ID /, "without a fix the reply says so, with the serving cell");
      check.ok((none?.atMs ?? 0) - askedAtMs >= CORE_WHERE_WAIT_MS, "after waiting for a fix", `${(none?.atMs ?? 0) - askedAtMs} ms`);
      check.ok(!linkCoordinates(none?.text), "and has no map link", none?.text ?? "");
      const before = sim.owner.inbox.length;
      sim.owner.send(sim.trackerNumber, "WHERE");
      await sim.runFor(5_000);
      sim.gnss.setSignalLost(false);
      await sim.clock.runUntilCondition(() => sim.owner.inbox.length > before, CORE_WHERE_WAIT_MS + REPLY_WITHIN_MS);
      const live = sim.owner.inbox[before];
      check.match(live?.text, LIVE, "a WHERE waiting when the fix comes is answered with the live position, its age and UTC time");
      const where = linkCoordinates(live?.text);
      const truth = sim.gnss.truth();
      check.ok(!!where && !!truth, "the reply carries a map link", live?.text ?? "no reply");
      if (where && truth) {
        check.near(where.lat, truth.latDeg, 0.003, "latitude matches the vehicle's position");
        check.near(where.lon, truth.lonDeg, 0.003, "longitude matches the vehicle's position");
      }
      const inbox = await ownerInboxAfter(sim, 2);
      check.equal(inbox.length, 2, "exactly one reply to each WHERE");
      check.equal(storedMessages(sim), 0, "both commands were deleted from the modem");
    },
  },
  {
    name: "core-stranger",
    description: "A stranger's WHERE gets no reply and is deleted (logged with the number masked); the owner's still does.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      sim.stranger.send(sim.trackerNumber, "WHERE");
      const owner = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.ok(owner !== undefined, "the owner's WHERE is answered", "no reply");
      await sim.runFor(SETTLE_MS);
      check.equal(sim.stranger.inbox.length, 0, "the stranger gets no reply");
      check.equal(storedMessages(sim), 0, "both messages were deleted from the modem");
      checkStrangerLoggedMasked(sim, check);
    },
  },
  {
    name: "core-multipart",
    description: "A command in two concatenated parts is answered once: parts in order with 8-bit references, and reversed with 16-bit ones.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const long = `WHERE are you parked? ${"This message is long enough to need two parts. ".repeat(4)}`.trim();
      sim.network.submit(sim.owner.number, sim.trackerNumber, long);
      const first = await ownerInboxAfter(sim, 1);
      check.equal(first.length, 1, "the 2-part command (parts in order) is answered once");
      check.match(first[0], /^(Live GNSS fix|No position yet)/, "with a WHERE reply");
      sim.network.submit(sim.owner.number, sim.trackerNumber, long.replace("parked", "now"), { delivery: { refBits: 16, partOrder: "reverse" } });
      const both = await ownerInboxAfter(sim, 2);
      check.equal(both.length, 2, "the 2-part command (reversed, 16-bit reference) is answered once");
      check.ok(!both.some((t) => /incomplete/.test(t)), "neither was taken as incomplete", JSON.stringify(both));
      check.equal(storedMessages(sim), 0, "every part was deleted from the modem");
    },
  },
  {
    name: "core-modem-reboot",
    description: "The modem reboots on its own while idle: the tracker notices, sets it up again without the power key, and answers the next WHERE once.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const presses = sim.powerKeyPresses.length;
      sim.modem.rebootAt(sim.clock.nowMs + 2_000);
      check.ok(await sim.clock.runUntilCondition(() => sim.device.state !== "ready", 30_000), "the tracker notices the reboot (it leaves 'ready')");
      if (!(await ready(sim, check, "it is ready again"))) return;
      check.equal(sim.modem.boots, 2, "the modem booted twice (power-on, unsolicited reboot)");
      check.equal(sim.powerKeyPresses.length, presses, "the power key was not pressed again");
      await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      const inbox = await ownerInboxAfter(sim, 1);
      check.equal(inbox.length, 1, "WHERE after the reboot is answered once");
    },
  },
  {
    name: "core-restart",
    description: "The tracker's processor restarts (the modem stays on): its settings come back from flash, it gets ready again and answers only its owner.",
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const flash = JSON.stringify(sim.device.store);
      check.ok(flash.includes("+14085550199"), "the owner is in flash", flash);
      await sim.restartFirmware();
      if (!(await ready(sim, check, "after the restart the tracker is ready again"))) return;
      check.equal(JSON.stringify(sim.device.store), flash, "the settings in flash are unchanged");
      sim.stranger.send(sim.trackerNumber, "WHERE");
      const reply = await sim.ask(sim.owner, "WHERE", REPLY_WITHIN_MS);
      check.match(reply?.text, /^(Live GNSS fix|No position yet)/, "the owner's WHERE is answered after the restart");
      await sim.runFor(SETTLE_MS);
      check.equal(sim.stranger.inbox.length, 0, "nobody else is answered");
      check.equal(sim.owner.inbox.length, 1, "exactly one reply");
    },
  },
  {
    name: "core-access",
    description:
      "The PIN on the real runtime: the owner adds a user with the PIN (its salted hash checked by PBKDF2), who is told and then answered; a stranger's ADD with the right PIN is ignored; a wrong PIN is counted, and the count survives a restart.",
    registered: [DEFAULT_OWNER, ANNA],
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const anna = new VirtualPhone(sim.network, ANNA);
      const added = await sim.ask(sim.owner, `ADD ${ANNA} Anna ${DEFAULT_PIN}`, REPLY_WITHIN_MS);
      check.match(added?.text, /^Anna \(\+1415\*\*\*0177\) was added as user by the owner/, "the owner adds Anna with the PIN");
      await sim.clock.runUntilCondition(() => anna.inbox.length > 0, REPLY_WITHIN_MS);
      check.match(anna.lastText, /^You can now use this GPS tracker \(user\)/, "Anna is told");
      const where = await sim.ask(anna, "WHERE", REPLY_WITHIN_MS);
      check.match(where?.text, /^(Live GNSS fix|No position yet)/, "Anna is answered");
      sim.stranger.send(sim.trackerNumber, `ADD +14155550123 Eve ${DEFAULT_PIN}`);
      const wrong = await sim.ask(sim.owner, "DEL Anna 0000", REPLY_WITHIN_MS);
      check.match(wrong?.text, /^Wrong PIN\. 4 more wrong PINs lock PIN commands\.$/, "a wrong PIN is counted");
      await sim.restartFirmware();
      if (!(await ready(sim, check, "after the restart the tracker is ready again"))) return;
      const again = await sim.ask(sim.owner, "DEL Anna 1111", REPLY_WITHIN_MS);
      check.match(again?.text, /^Wrong PIN\. 3 more wrong PINs lock PIN commands\.$/, "the count came back from flash");
      const list = await sim.ask(sim.owner, "LIST", REPLY_WITHIN_MS);
      check.match(list?.text, /^2 numbers: Owner \+1408\*\*\*0199 alerts; Anna \+1415\*\*\*0177\.$/, "the stranger was not added");
      check.equal(sim.stranger.inbox.length, 0, "the stranger got nothing");
      check.ok(!JSON.stringify(sim.device.store).includes(DEFAULT_PIN), "the PIN is not in flash in clear");
    },
  },
  {
    name: "core-arm",
    description:
      "ARM on the real runtime: parked, the guard takes its anchor from a minute of fixes; the car drives off at 30 km/h: one movement alert with the position within a minute; DISARM stops the positions; the armed state was in flash.",
    options: {
      gnssSource: {
        startUtcMs: DEFAULT_NETWORK_START_UTC_MS,
        start: { latDeg: 37.33491, lonDeg: -121.88811 },
        legs: [{ kind: "stop", durationS: 130 }, { kind: "drive", toLatDeg: 37.33491 + 500 / 111_195, toLonDeg: -121.88811, speedKmh: 30 }],
        coldStartS: 5,
      },
    },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const armed = await sim.ask(sim.owner, "ARM", REPLY_WITHIN_MS);
      check.match(armed?.text, /^Armed: /, "ARM is confirmed");
      const inFlash = () => JSON.stringify(sim.device.store).includes('armed\\":\\"on');
      await sim.clock.runUntilCondition(inFlash, 5_000);
      check.ok(inFlash(), "the armed state is in flash");
      const departMs = 130_000;
      await sim.clock.runUntilCondition(() => sim.owner.inbox.some((m) => m.text.startsWith("MOVEMENT ALERT")), departMs + 90_000);
      const alert = sim.owner.inbox.find((m) => m.text.startsWith("MOVEMENT ALERT"));
      check.ok(alert !== undefined && alert.atMs - departMs <= 60_000, "the movement alert arrives within a minute of driving off", `${alert ? (alert.atMs - departMs) / 1000 : "no"} s`);
      check.match(alert?.text, /maps\.google\.com/, "with the position");
      const disarmed = await sim.ask(sim.owner, "DISARM", REPLY_WITHIN_MS);
      check.match(disarmed?.text, /^Disarmed: the positions after the alert stop/, "DISARM stops the positions");
      await sim.runFor(SETTLE_MS);
      check.equal(sim.owner.inbox.filter((m) => m.text.startsWith("MOVEMENT ALERT")).length, 1, "one alert");
    },
  },
  {
    name: "core-vehicle",
    description:
      "The vehicle commands on the real runtime: STATUS in one SMS; FENCE 300 around the parked car and TRACK 1 2; the car drives off at 50 km/h: two positions a minute apart counting down, one fence alert within a minute of crossing the edge (the fence was in flash).",
    options: {
      gnssSource: {
        startUtcMs: DEFAULT_NETWORK_START_UTC_MS,
        start: { latDeg: 37.33491, lonDeg: -121.88811 },
        legs: [{ kind: "stop", durationS: 90 }, { kind: "drive", toLatDeg: 37.33491 + 2_000 / 111_195, toLonDeg: -121.88811, speedKmh: 50 }],
        coldStartS: 5,
      },
    },
    async run(sim, check) {
      if (!(await ready(sim, check))) return;
      const status = await sim.ask(sim.owner, "STATUS", REPLY_WITHIN_MS);
      check.match(status?.text, /^GNSS: fix, \d+ satellites, \d+ s old\n/, "STATUS starts with the GNSS");
      check.ok((status?.text.length ?? 999) <= 160, "in one SMS", status?.text ?? "no reply");
      const fence = await sim.ask(sim.owner, "FENCE 300", REPLY_WITHIN_MS);
      check.match(fence?.text, /^Fence set: 300 m around 37\.3349\d,-121\.888\d\d\./, "FENCE 300 around the car");
      check.ok(JSON.stringify(sim.device.store).includes("fence"), "the fence is in flash");
      const track = await sim.ask(sim.owner, "TRACK 1 2", REPLY_WITHIN_MS);
      check.match(track?.text, /^Tracking: a position every 1 min, 2 times/, "TRACK 1 2");
      // the edge is crossed 300 m after the start at 90 s: 21.6 s at 50 km/h
      const crossedMs = 90_000 + 21_600;
      const left = () => sim.owner.inbox.find((m) => m.text.startsWith("FENCE ALERT"));
      const positions = () => sim.owner.inbox.filter((m) => m.text.startsWith("TRACK ("));
      await sim.clock.runUntilCondition(() => left() !== undefined && positions().length >= 2, 200_000);
      const alert = left();
      check.ok(alert !== undefined && alert.atMs - crossedMs <= 60_000, "the fence alert within a minute of crossing the edge", `${alert ? Math.round((alert.atMs - crossedMs) / 1000) : "no"} s`);
      check.equal(positions().map((m) => /^TRACK \(([^)]*)\)/.exec(m.text)?.[1]).join(" / "), "1 left, TRACK OFF stops / the last one: tracking ended", "two positions counting down");
      await sim.runFor(SETTLE_MS);
      check.equal(sim.owner.inbox.filter((m) => m.text.startsWith("FENCE ALERT")).length, 1, "one fence alert");
    },
  },
  {
    name: "core-console-provision",
    description:
      "An unclaimed unit provisioned on its console (SET COUNTRY, PIN, SETUPCODE, OWNER): the console then locks; UNLOCK with the PIN opens it for the self-test, whose SMS loopback (SET SELFNUMBER) comes back and whose checklist has no failure; LOCK; the owner's WHERE by SMS is answered once. The PIN never shows on the console nor in clear in flash.",
    options: { ownerNumber: null, pin: null },
    // the owner set on the console, and the unit itself (the self-test's SMS loopback)
    registered: [DEFAULT_OWNER, DEFAULT_TRACKER],
    async run(sim, check) {
      check.ok(sim.console.present, "the device has a provisioning console");
      if (!sim.console.present) return;
      await sim.clock.runUntilCondition(() => sim.console.lines.some((l) => l.startsWith("+ready: ")), 15_000);
      check.match(sim.console.lines.find((l) => l.startsWith("+ready: ")), /^\+ready: tracker console, firmware \d+\.\d+\.\d+/, "the console says +ready when it starts");
      if (!(await ready(sim, check))) return;
      const hello = await sim.console.command("HELLO");
      check.ok(hello.includes("+claimed: no") && hello.includes("+locked: no") && hello.includes("+pin: none"), "HELLO: unclaimed, open, no PIN", hello.join(" | "));
      await consoleSays(sim, check, "SET COUNTRY 1", ["+country: 1", "OK"]);
      const early = await sim.console.command("SET OWNER +14085550199");
      check.match(early.at(-1), /^ERR no-pin: /, "SET OWNER before a PIN is refused");
      await consoleSays(sim, check, "SET PIN 2468", ["OK pin set"]);
      const code = await sim.console.command("SET SETUPCODE auto");
      check.match(code.join(" | "), /^\+setupcode: [A-Z0-9]{10} \| OK$/, "SET SETUPCODE auto: 10 characters");
      await consoleSays(sim, check, "SET OWNER (408) 555-0199", ["+owner: +14085550199", "OK claimed; console locked"]);
      await consoleSays(sim, check, "STATUS", ["ERR locked: the unit has an owner: UNLOCK <PIN> first"]);
      await consoleSays(sim, check, "SET PIN 1234", ["ERR locked: the unit has an owner: UNLOCK <PIN> first"]);
      const locked = await sim.console.command("HELLO");
      check.ok(locked.includes("+claimed: yes") && locked.includes("+locked: yes") && locked.includes("+pin: set"), "HELLO: claimed, locked, PIN set", locked.join(" | "));
      check.ok(JSON.stringify(sim.device.store).includes("+14085550199"), "the owner is in flash");
      const wrong = await sim.console.command("UNLOCK 1111");
      check.match(wrong.at(-1), /^ERR pin: Wrong PIN\. 4 more wrong PINs lock PIN commands\.$/, "a wrong PIN is refused and counted");
      await consoleSays(sim, check, "UNLOCK 2468", ["OK unlocked"]);
      await consoleSays(sim, check, `SET SELFNUMBER ${sim.trackerNumber}`, [`+selfnumber: ${sim.trackerNumber}`, "OK"]);
      const test = await sim.console.command("SELFTEST 60 60", 200_000);
      const checks = test.filter((l) => l.startsWith("+check: "));
      check.equal(checks.map((l) => l.split(" ")[2]).join(","), SELF_TEST_CHECKS.join(","), "the self-test prints its checklist in order");
      check.match(checks.find((l) => l.split(" ")[2] === "modem"), /^\+check: (PASS|WARN) modem \S+, firmware \S+/, "the modem check names the model and firmware");
      check.match(checks.find((l) => l.split(" ")[2] === "sms-loopback"), /^\+check: PASS sms-loopback sent to itself and received in \d+ s$/, "the SMS loopback comes back");
      check.ok(isFinalConsoleLine(test.at(-1) ?? "") && /^OK selftest (PASS|WARN) pass=\d+ warn=\d+ fail=0 skip=\d+$/.test(test.at(-1) ?? ""), "the self-test ends with its verdict, no check failed", test.join(" | "));
      await consoleSays(sim, check, "LOCK", ["OK locked"]);
      await consoleSays(sim, check, "STATUS", ["ERR locked: the unit has an owner: UNLOCK <PIN> first"]);
      const reply = await sim.ask(sim.owner, "WHERE", CORE_WHERE_WAIT_MS * 3 + REPLY_WITHIN_MS);
      check.match(reply?.text, /^(Live GNSS fix|No position yet)/, "the owner set on the console is answered by SMS");
      const inbox = await ownerInboxAfter(sim, 1);
      check.equal(inbox.length, 1, "exactly one reply (the self-test's loopback went to the unit, not the owner)");
      check.ok(!sim.console.lines.some((l) => l.includes("2468")), "the PIN never appears on the console");
      check.ok(!JSON.stringify(sim.device.store).includes("2468"), "the PIN is not in flash in clear");
      check.equal(storedMessages(sim), 0, "the loopback SMS and the command were deleted from the modem");
    },
  },
];

/**
 * `tracker run --report FILE.html`: the story a run records (track, fences, alerts where they went
 * out, SMS paired, the modem's states) without changing the run, the page built from it (one file,
 * nothing fetched, every text escaped), and the page in Debian's headless chromium (skipped with a
 * message when /usr/bin/chromium is not installed).
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findScenario } from "../../host-sim/scenario/scenarios.ts";
import { runScenario, type ScenarioResult } from "../../host-sim/scenario/runner.ts";
import { htmlReport } from "../../host-sim/scenario/report-html.ts";
import { esc } from "../../host-sim/scenario/report-html-text.ts";
import { BrokenTimeAxis } from "../../host-sim/scenario/report-html-bands.ts";
import { niceLength } from "../../host-sim/scenario/report-html-map.ts";
import { rmcPosition, thinTrack, type StoryPoint } from "../../host-sim/scenario/story-track.ts";
import { storySms, type LoggedSms } from "../../host-sim/scenario/story-sms.ts";
import { runAndReport } from "../../host-sim/cli/run-command.ts";
import { CHROMIUM_PATH, launchChromium } from "../../host-sim/scenario/report-html-browser.ts";
import { capture } from "../support/capture-console.ts";

const SCENARIO = "fence-exit-and-enter";
const TRACKER = "+14085550100";
const OWNER = "+14085550199";

function logged(id: number, from: string, to: string, text: string, atMs: number): LoggedSms {
  return { id, from, to, text, submittedAtMs: atMs, deliveredAtMs: atMs + 2000, status: "delivered" };
}

/** Metres between two points (equirectangular, for the checks). */
function metres(a: { latDeg: number; lonDeg: number }, b: { latDeg: number; lonDeg: number }): number {
  const dy = (b.latDeg - a.latDeg) * 111_195;
  const dx = (b.lonDeg - a.lonDeg) * 111_195 * Math.cos((a.latDeg * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

describe("HTML report: story helpers", () => {
  it("reads an RMC sentence's position, and nothing from a void fix or another sentence", () => {
    const p = rmcPosition("$GNRMC,221530.00,A,3720.0940,N,12153.2866,W,13.5,0.0,241126,,,A,V*00");
    expect(p!.latDeg).to.be.closeTo(37 + 20.094 / 60, 1e-9);
    expect(p!.lonDeg).to.be.closeTo(-(121 + 53.2866 / 60), 1e-9);
    expect(rmcPosition("$GNRMC,221530.00,V,,,,,,,241126,,,N,V*00")).to.equal(undefined);
    expect(rmcPosition("$GNGGA,221530.00,3720.0940,N,12153.2866,W,1,10,0.9,25,M,-32,M,,*00")).to.equal(undefined);
  });

  it("thins a long track to the limit, keeping its ends and its turns", () => {
    const points: StoryPoint[] = [];
    for (let i = 0; i < 2000; i++) points.push([i * 1000, 37 + i * 1e-4, -121]); // north
    for (let i = 1; i <= 2000; i++) points.push([(2000 + i) * 1000, 37.2, -121 + i * 1e-4]); // then east
    const thin = thinTrack(points, 300);
    expect(thin.length).to.be.at.most(300).and.at.least(100);
    expect(thin[0]).to.deep.equal(points[0]);
    expect(thin[thin.length - 1]).to.deep.equal(points[points.length - 1]);
    expect(thin.some((p) => p[0] === 1999_000 || p[0] === 2000_000 || p[0] === 2001_000), "the corner").to.equal(true);
  });

  it("pairs each reply with its command; alerts, positions and notices are not replies", () => {
    const sms = storySms(
      [
        logged(1, OWNER, TRACKER, "ARM", 1000),
        logged(2, TRACKER, OWNER, "MOVEMENT ALERT: moved 201 m while armed. https://maps.google.com/?q=37.33672,-121.88811", 2000),
        logged(3, TRACKER, OWNER, "Armed: ...", 3000),
        logged(4, TRACKER, OWNER, "FENCE ALERT: the vehicle left the 300 m fence at 10:00 UTC\n(2 more speed alerts)\nSPEED ALERT: 120 km/h", 4000),
        logged(5, TRACKER, OWNER, "After the movement alert (14 more to come, DISARM stops them): https://maps.google.com/?q=37.3,-121.8", 5000),
        logged(6, "+14155550123", TRACKER, "WHERE", 6000),
      ],
      TRACKER,
    );
    expect(sms.map((m) => m.role)).to.deep.equal(["command", "alert", "reply", "alert", "position", "command"]);
    expect(sms[0]!.pairId).to.equal(1);
    expect(sms[2]!.pairId).to.equal(1);
    expect(sms[5]!.pairId, "an unanswered command").to.equal(undefined);
    expect(sms[1]!.alertKinds).to.deep.equal(["movement"]);
    expect(sms[3]!.alertKinds).to.deep.equal(["fence-exit", "speed"]);
    expect(sms[1]!.link).to.deep.equal({ latDeg: 37.33672, lonDeg: -121.88811 });
  });

  it("cuts a long quiet stretch out of the time axis, keeping time in order", () => {
    const axis = new BrokenTimeAxis([10_000, 20_000, 7_200_000, 7_210_000], 7_300_000, 100, 900);
    expect(axis.parts.filter((p) => p.isBreak)).to.have.length(1);
    const xs = [0, 10_000, 20_000, 3_600_000, 7_200_000, 7_210_000, 7_300_000].map((t) => axis.x(t));
    for (let i = 1; i < xs.length; i++) expect(xs[i]).to.be.above(xs[i - 1]!);
    expect(xs[0]).to.equal(100);
    expect(xs[xs.length - 1]).to.be.closeTo(900, 1e-6);
    // the 10 s between the first two events get 5 % of the chart (not 1 px of 2 h): the break took the 2 h
    expect(xs[1]! - xs[0]!).to.be.above(40);
  });

  it("escapes every character that could open markup or leave an attribute", () => {
    expect(esc(`<img src=x onerror="a('1')">&`)).to.equal("&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;");
  });

  it("gives the scale bar a round length", () => {
    expect([niceLength(180), niceLength(999), niceLength(2600), niceLength(7)]).to.deep.equal([100, 500, 2000, 5]);
  });
});

describe("HTML report: a run's story", function () {
  this.timeout(120_000);
  let result: ScenarioResult;

  before(async () => {
    result = await runScenario(findScenario(SCENARIO)!, {}, { story: true });
  });

  it("does not change the run: the same SMS at the same times without the story", async () => {
    const plain = await runScenario(findScenario(SCENARIO)!);
    expect(plain.story).to.equal(undefined);
    expect(result.passed).to.equal(true);
    expect(result.transcript).to.deep.equal(plain.transcript);
    expect(result.simulatedMs).to.equal(plain.simulatedMs);
  });

  it("records the track, the fence set then removed, and where each alert went out", () => {
    const story = result.story!;
    expect(story.scenario).to.include({ name: SCENARIO, engine: "node", seed: 1 });
    expect(story.truth.length).to.be.above(100);
    expect(story.fixes.length).to.be.above(100);
    const set = story.fences.filter((f) => f.fence !== null);
    expect(set).to.have.length(1);
    expect(set[0]!.fence!.radiusM).to.equal(300);
    expect(story.fences[story.fences.length - 1]!.fence, "FENCE OFF at the end").to.equal(null);
    expect(story.alerts.map((a) => a.kinds[0])).to.deep.equal(["fence-exit", "fence-enter"]);
    const centre = set[0]!.fence!;
    expect(metres(centre, story.alerts[0]!)).to.be.above(300);
    expect(metres(centre, story.alerts[1]!)).to.be.below(300);
    expect(story.alerts[0]!.to.length, "one point for the owner's and the admin's copies").to.equal(2);
  });

  it("records the modem's power, SIM and registration as changes only", () => {
    const bands = new Map(result.story!.bands.map((b) => [b.name, b.changes.map(([, v]) => v)]));
    expect(bands.get("modem power")).to.deep.equal(["off", "booting", "on"]);
    expect(bands.get("registration")!.slice(-1)).to.deep.equal(["home"]);
    expect(bands.get("SIM")!.slice(-1)).to.deep.equal(["ready"]);
    expect(bands.get("firmware")!.slice(-1)).to.deep.equal(["ready"]);
  });

  it("makes one page with the map, the bands, every SMS and the expectations, fetching nothing", () => {
    const html = htmlReport([result]);
    expect(html.startsWith("<!DOCTYPE html>")).to.equal(true);
    expect(html).to.include(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html.match(/\s(?:src|href)="(?!#)[^"]*"/g), "no resource but the page's own anchors").to.equal(null);
    expect(html).not.to.match(/<(link|img|iframe|object)\b/);
    const path = /<path class="track truth" data-points="(\d+)" d="([^"]+)"/.exec(html);
    expect(path![2]!.split("L").length).to.equal(Number(path![1]));
    expect(html.match(/<g class="fence /g), "the one fence the owner set").to.have.length(1);
    expect(html.match(/<g class="alert-marker"/g)).to.have.length(2);
    expect(html.match(/<li class="sms /g)).to.have.length(result.story!.sms.length);
    expect(html.match(/<li class="ok">/g)).to.have.length(result.checks.length);
    expect(html).to.include("scale-bar").and.include("north-arrow").and.include(`class="bands"`);
  });

  it("escapes SMS text, names and expectations (no markup gets through)", () => {
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`;
    const story = structuredClone(result.story!);
    story.sms[0]!.text = evil;
    story.parties[story.sms[0]!.from] = `"><u onclick=x>`;
    story.scenario.description = evil;
    const html = htmlReport([{ ...result, name: evil, story, checks: [{ ok: false, what: evil, detail: evil }] }]);
    expect(html).not.to.include("<script>alert");
    expect(html).not.to.include("<img");
    expect(html).not.to.include(`<u onclick`);
    expect(html).to.include("&quot;&gt;&lt;u onclick=x&gt;");
    expect(html).to.include("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html.match(/<script>/g), "only the page's own script").to.have.length(1);
  });

  it("comes from worker processes too (--jobs 2): the story travels as JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-html-"));
    try {
      const file = join(dir, "sub", "report.html");
      const scenarios = [findScenario(SCENARIO)!, findScenario("where-with-fix")!];
      const { result: code } = await capture(() => runAndReport(scenarios, ["node"], { seed: 1, chunk: 64, verbose: false, jobs: 2, report: file }));
      expect(code).to.equal(0);
      const html = readFileSync(file, "utf8");
      expect(html.match(/<section class="run"/g)).to.have.length(2);
      expect(html.match(/<path class="track truth"/g)).to.have.length(2);
      expect(html).to.include(`<a href="#run-2">where-with-fix</a>`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("HTML report: in headless chromium", function () {
  this.timeout(180_000);
  let dir: string;
  let file: string;

  before(async function () {
    if (!existsSync(CHROMIUM_PATH)) {
      console.log(`      (skipped: ${CHROMIUM_PATH} is not installed; apt-get install -y chromium)`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), "report-html-browser-"));
    file = join(dir, "report.html");
    writeFileSync(file, htmlReport([await runScenario(findScenario(SCENARIO)!, {}, { story: true })]));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows the track, the alert markers and the SMS timeline, with no console error and no request", async () => {
    const chrome = await launchChromium();
    try {
      const page = await chrome.context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => requests.push(r.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url);
      const points = await page.locator("path.track.truth").evaluate((p) => (p.getAttribute("d") ?? "").split("L").length);
      expect(points).to.be.above(100);
      const box = await page.locator("path.track.truth").boundingBox();
      expect(box!.height, "the track is drawn, not a dot").to.be.above(100);
      expect(await page.locator("g.alert-marker").count()).to.equal(2);
      for (const marker of await page.locator("g.alert-marker").all()) expect(await marker.isVisible()).to.equal(true);
      const rows = page.locator("li.sms");
      expect(await rows.count()).to.be.above(5);
      expect(await rows.first().isVisible()).to.equal(true);
      expect(await page.locator("li.sms.alert").count()).to.equal(4);
      // a reply lights up its command under the pointer
      const reply = page.locator("li.sms.reply").first();
      const pair = await reply.getAttribute("data-pair");
      await reply.hover();
      expect(await page.locator(`li.sms.command[data-pair="${pair}"]`).getAttribute("class")).to.include("hl");
      expect(errors).to.deep.equal([]);
      expect(requests).to.deep.equal([url]);
    } finally {
      await chrome.close();
    }
  });
});

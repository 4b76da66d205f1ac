/**
 * The report's map: the story's tracks, fences, alert points and the positions sent by SMS drawn
 * as SVG in local metres around the centre of what is drawn (equirectangular: x east, y north,
 * accurate to well under a percent over the few kilometres of a scenario), with a scale bar and a
 * north arrow. No map tiles: nothing is fetched.
 */
import type { Story, StoryPoint } from "./story.ts";
import { clockText, esc, metresText, n1 } from "./report-html-text.ts";
import { alertColour, alertLabel } from "./report-html-alerts.ts";

/** Mean Earth radius, metres. */
const R_M = 6_371_008.8;
const RAD = Math.PI / 180;
const WIDTH = 760;
const HEIGHT = 520;
const MARGIN = 36;
/** The smallest span drawn (m): a parked vehicle still gets a street-sized map. */
const MIN_SPAN_M = 300;

/** Degrees → local metres around a centre. */
export class LocalProjection {
  private readonly cosLat: number;
  constructor(
    readonly latDeg: number,
    readonly lonDeg: number,
  ) {
    this.cosLat = Math.cos(latDeg * RAD);
  }
  /** [x east, y north] in metres. */
  project(latDeg: number, lonDeg: number): [number, number] {
    let dLon = lonDeg - this.lonDeg;
    if (dLon > 180) dLon -= 360;
    if (dLon < -180) dLon += 360;
    return [dLon * RAD * this.cosLat * R_M, (latDeg - this.latDeg) * RAD * R_M];
  }
}

/** The largest 1, 2 or 5 × 10^k metres not over `maxM`. */
export function niceLength(maxM: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(maxM, 1e-9)));
  return [5, 2, 1].map((k) => k * p).find((v) => v <= maxM) ?? p;
}

interface Frame {
  projection: LocalProjection;
  /** Pixels per metre. */
  scale: number;
  px(latDeg: number, lonDeg: number): [number, number];
}

/** Everything the map draws, as latitude/longitude boxes (a fence: its circle's box). */
function frameFor(story: Story): Frame | undefined {
  const lats: number[] = [];
  const lons: number[] = [];
  const add = (lat: number, lon: number) => {
    lats.push(lat);
    lons.push(lon);
  };
  for (const p of [...story.truth, ...story.fixes]) add(p[1], p[2]);
  for (const a of story.alerts) add(a.latDeg, a.lonDeg);
  for (const m of story.sms) if (m.link) add(m.link.latDeg, m.link.lonDeg);
  for (const f of story.fences) {
    if (!f.fence) continue;
    const dLat = f.fence.radiusM / (R_M * RAD);
    const dLon = dLat / Math.max(0.01, Math.cos(f.fence.latDeg * RAD));
    add(f.fence.latDeg - dLat, f.fence.lonDeg - dLon);
    add(f.fence.latDeg + dLat, f.fence.lonDeg + dLon);
  }
  if (lats.length === 0) return undefined;
  const projection = new LocalProjection((Math.min(...lats) + Math.max(...lats)) / 2, (Math.min(...lons) + Math.max(...lons)) / 2);
  let spanX = 0;
  let spanY = 0;
  lats.forEach((lat, i) => {
    const [x, y] = projection.project(lat, lons[i]!);
    spanX = Math.max(spanX, 2 * Math.abs(x));
    spanY = Math.max(spanY, 2 * Math.abs(y));
  });
  const scale = Math.min((WIDTH - 2 * MARGIN) / Math.max(spanX, MIN_SPAN_M), (HEIGHT - 2 * MARGIN) / Math.max(spanY, MIN_SPAN_M));
  return {
    projection,
    scale,
    px(latDeg, lonDeg) {
      const [x, y] = projection.project(latDeg, lonDeg);
      return [WIDTH / 2 + x * scale, HEIGHT / 2 - y * scale];
    },
  };
}

/** An SVG path through `points` ("M x y L x y ..."). */
function pathData(frame: Frame, points: readonly StoryPoint[]): string {
  return points.map((p, i) => {
    const [x, y] = frame.px(p[1], p[2]);
    return `${i === 0 ? "M" : "L"}${n1(x)} ${n1(y)}`;
  }).join("");
}

function scaleBar(frame: Frame): string {
  const lengthM = niceLength((WIDTH / 4) / frame.scale);
  const w = lengthM * frame.scale;
  const x = MARGIN / 2;
  const y = HEIGHT - MARGIN / 2;
  return `<g class="scale-bar"><path d="M${n1(x)} ${n1(y - 6)}V${n1(y)}H${n1(x + w)}V${n1(y - 6)}"/><text x="${n1(x + w / 2)}" y="${n1(y - 9)}" text-anchor="middle">${esc(metresText(lengthM))}</text></g>`;
}

function northArrow(): string {
  const x = WIDTH - 28;
  const y = 22;
  return `<g class="north-arrow"><path d="M${x} ${y}l-8 22l8-6l8 6z"/><text x="${x}" y="${y + 36}" text-anchor="middle">N</text></g>`;
}

/** The fences: the one set at the end solid, earlier ones dashed; each with its centre. */
function fences(frame: Frame, story: Story): string {
  const out: string[] = [];
  story.fences.forEach((change, i) => {
    if (!change.fence) return;
    const current = i === story.fences.length - 1;
    const until = current ? "to the end" : `until ${clockText(story.fences[i + 1]!.atMs)}`;
    const [cx, cy] = frame.px(change.fence.latDeg, change.fence.lonDeg);
    const title = `fence ${change.fence.radiusM} m around ${change.fence.latDeg.toFixed(5)}, ${change.fence.lonDeg.toFixed(5)}, from ${clockText(change.atMs)} ${until}`;
    out.push(
      `<g class="fence${current ? " current" : " earlier"}"><title>${esc(title)}</title><circle cx="${n1(cx)}" cy="${n1(cy)}" r="${n1(change.fence.radiusM * frame.scale)}"/>` +
        `<path class="centre" d="M${n1(cx - 5)} ${n1(cy)}h10M${n1(cx)} ${n1(cy - 5)}v10"/></g>`,
    );
  });
  return out.join("");
}

/** Markers closer than this (px) are drawn as one. */
const CLUSTER_PX = 14;

/**
 * Numbered alert markers (data-alerts links them to their SMS rows); alerts that fall on the same
 * spot (a storm of them) are one marker with their count and kinds.
 */
function alertMarkers(frame: Frame, story: Story): string {
  const clusters: { x: number; y: number; members: number[] }[] = [];
  story.alerts.forEach((a, i) => {
    const [x, y] = frame.px(a.latDeg, a.lonDeg);
    const near = clusters.find((c) => Math.hypot(c.x - x, c.y - y) < CLUSTER_PX);
    if (near) near.members.push(i);
    else clusters.push({ x, y, members: [i] });
  });
  return clusters
    .map((c) => {
      const alerts = c.members.map((i) => story.alerts[i]!);
      const counts = new Map<string, number>();
      for (const a of alerts) for (const k of a.kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
      const label = [...counts].map(([k, n]) => (alerts.length > 1 ? `${n} × ${alertLabel(k)}` : alertLabel(k))).join(", ");
      const lines = c.members.slice(0, 12).map((i) => `${i + 1}. ${story.alerts[i]!.kinds.map(alertLabel).join(", ")} at ${clockText(story.alerts[i]!.atMs)}`);
      if (c.members.length > 12) lines.push(`… and ${c.members.length - 12} more`);
      const title = alerts.length > 1 ? lines.join("\n") : `${lines[0]}\n${alerts[0]!.text}`;
      const number = alerts.length > 1 ? `${c.members[0]! + 1}…` : String(c.members[0]! + 1);
      return (
        `<g class="alert-marker" data-alerts="${c.members.join(" ")}" transform="translate(${n1(c.x)} ${n1(c.y)})"><title>${esc(title)}</title>` +
        `<circle r="${alerts.length > 1 ? 12 : 10}" fill="${alertColour(alerts[0]!.kinds[0] ?? "alert")}"/><text y="4" text-anchor="middle">${esc(number)}</text>` +
        `<text class="alert-label" x="16" y="4">${esc(label)}</text></g>`
      );
    })
    .join("");
}

/** Positions the tracker sent in SMS map links (replies, positions, alerts). */
function smsPositions(frame: Frame, story: Story): string {
  return story.sms
    .filter((m) => m.link && m.from === story.trackerNumber)
    .map((m) => {
      const [x, y] = frame.px(m.link!.latDeg, m.link!.lonDeg);
      return `<rect class="sms-pos" x="${n1(x - 3)}" y="${n1(y - 3)}" width="6" height="6" transform="rotate(45 ${n1(x)} ${n1(y)})"><title>${esc(`position sent at ${clockText(m.atMs)}: ${m.link!.latDeg}, ${m.link!.lonDeg}`)}</title></rect>`;
    })
    .join("");
}

function endMarkers(frame: Frame, track: readonly StoryPoint[]): string {
  if (track.length === 0) return "";
  const first = track[0]!;
  const last = track[track.length - 1]!;
  const [sx, sy] = frame.px(first[1], first[2]);
  const [ex, ey] = frame.px(last[1], last[2]);
  return (
    `<g class="track-start"><title>${esc(`start, ${clockText(first[0])}`)}</title><circle cx="${n1(sx)}" cy="${n1(sy)}" r="5"/></g>` +
    `<g class="track-end"><title>${esc(`end, ${clockText(last[0])}`)}</title><rect x="${n1(ex - 5)}" y="${n1(ey - 5)}" width="10" height="10"/></g>`
  );
}

/** The map of `story` as an SVG element (a note when there is no position at all). */
export function trackMapSvg(story: Story): string {
  const frame = frameFor(story);
  if (!frame) return `<p class="note">No position to draw: the GNSS source gave no fix.</p>`;
  const main = story.truth.length > 0 ? story.truth : story.fixes;
  const truth = story.truth.length > 0 ? `<path class="track truth" data-points="${story.truth.length}" d="${pathData(frame, story.truth)}"><title>the vehicle's true track (${story.truth.length} points)</title></path>` : "";
  const fixes = story.fixes.length > 0 ? `<path class="track fixes" data-points="${story.fixes.length}" d="${pathData(frame, story.fixes)}"><title>the fixes the receiver reported (${story.fixes.length} points)</title></path>` : "";
  return (
    `<svg class="map" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="track map" xmlns="http://www.w3.org/2000/svg">` +
    `<rect class="map-bg" width="${WIDTH}" height="${HEIGHT}"/>` +
    fences(frame, story) +
    truth +
    fixes +
    endMarkers(frame, main) +
    smsPositions(frame, story) +
    alertMarkers(frame, story) +
    scaleBar(frame) +
    northArrow() +
    `</svg>`
  );
}

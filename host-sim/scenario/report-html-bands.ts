/**
 * The report's band chart: the modem's, the firmware's and the vehicle's states over the run as
 * coloured bands, and the SMS as marks, on one time axis. Long quiet stretches (nothing changes,
 * no SMS) are cut out of the axis and drawn as a break with their length, so a boot of seconds and
 * a theft two hours later are both readable on one line.
 */
import type { Story } from "./story.ts";
import { clockText, durationText, esc, n1 } from "./report-html-text.ts";
import { alertColour, bandColour } from "./report-html-alerts.ts";

const WIDTH = 1000;
const LABEL_W = 120;
const RIGHT = 16;
const ROW_H = 22;
const GAP = 4;
const AXIS_H = 44;
const BREAK_PX = 34;
/** A stretch with no event this long (ms) or longer becomes a break... */
const BREAK_AFTER_MS = 5 * 60_000;
/** ...keeping this much (ms) of it drawn on each side. */
const BREAK_KEEP_MS = 20_000;
/** The bands in this order first (others after, as they come). */
const BAND_ORDER = ["modem power", "SIM", "registration", "SMS ready", "firmware", "vehicle", "ignition", "vehicle supply"];
const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

interface AxisPart {
  fromMs: number;
  toMs: number;
  x0: number;
  x1: number;
  isBreak: boolean;
}

/** A time axis with breaks: clock ms → x. */
export class BrokenTimeAxis {
  readonly parts: AxisPart[] = [];

  constructor(eventTimes: readonly number[], endMs: number, x0: number, x1: number) {
    const times = [...new Set([0, ...eventTimes.filter((t) => t > 0 && t < endMs), endMs])].sort((a, b) => a - b);
    const spans: { fromMs: number; toMs: number; isBreak: boolean }[] = [];
    let from = 0;
    for (let i = 1; i < times.length; i++) {
      const a = times[i - 1]!;
      const b = times[i]!;
      if (b - a >= BREAK_AFTER_MS) {
        spans.push({ fromMs: from, toMs: a + BREAK_KEEP_MS, isBreak: false });
        spans.push({ fromMs: a + BREAK_KEEP_MS, toMs: b - BREAK_KEEP_MS, isBreak: true });
        from = b - BREAK_KEEP_MS;
      }
    }
    spans.push({ fromMs: from, toMs: Math.max(endMs, from + 1), isBreak: false });
    const breaks = spans.filter((s) => s.isBreak).length;
    const linearMs = spans.filter((s) => !s.isBreak).reduce((sum, s) => sum + (s.toMs - s.fromMs), 0);
    const pxPerMs = (x1 - x0 - breaks * BREAK_PX) / Math.max(1, linearMs);
    let x = x0;
    for (const s of spans) {
      const w = s.isBreak ? BREAK_PX : (s.toMs - s.fromMs) * pxPerMs;
      this.parts.push({ ...s, x0: x, x1: x + w });
      x += w;
    }
  }

  /** The x of clock time `ms`. */
  x(ms: number): number {
    const part = this.parts.find((p) => ms <= p.toMs) ?? this.parts[this.parts.length - 1]!;
    const f = part.toMs > part.fromMs ? (Math.min(Math.max(ms, part.fromMs), part.toMs) - part.fromMs) / (part.toMs - part.fromMs) : 0;
    return part.x0 + f * (part.x1 - part.x0);
  }

  /** The axis: ticks with times under the linear parts, the length of each break. */
  svg(y: number, top: number): string {
    const out: string[] = [`<path class="axis" d="M${n1(this.parts[0]!.x0)} ${y}H${n1(this.parts[this.parts.length - 1]!.x1)}"/>`];
    for (const p of this.parts) {
      if (p.isBreak) {
        const mid = (p.x0 + p.x1) / 2;
        out.push(`<g class="axis-break"><rect x="${n1(p.x0 + 4)}" y="${top}" width="${n1(p.x1 - p.x0 - 8)}" height="${y - top}"/><path d="M${n1(p.x0 + 4)} ${y}l4 -5l4 10l4 -10l4 10l4 -5"/><text x="${n1(mid)}" y="${y + 30}" text-anchor="middle">${esc(`⋯ ${durationText(p.toMs - p.fromMs)}`)}</text></g>`);
        continue;
      }
      const pxPerMs = (p.x1 - p.x0) / Math.max(1, p.toMs - p.fromMs);
      const step = (TICK_STEPS_S.find((s) => s * 1000 * pxPerMs >= 80) ?? 21600) * 1000;
      for (let t = Math.ceil(p.fromMs / step) * step; t <= p.toMs; t += step) {
        const tx = p.x0 + (t - p.fromMs) * pxPerMs;
        if (tx - p.x0 < 20 && p.x0 > this.parts[0]!.x0) continue;
        out.push(`<path class="tick" d="M${n1(tx)} ${y}v5"/><text class="tick-label" x="${n1(tx)}" y="${y + 16}" text-anchor="middle">${esc(clockText(t))}</text>`);
      }
    }
    return out.join("");
  }
}

/** Every time something happens in the story (for the axis's breaks). */
function eventTimes(story: Story): number[] {
  const times: number[] = [];
  for (const band of story.bands) for (const [at] of band.changes) times.push(at);
  for (const m of story.sms) {
    times.push(m.atMs);
    if (m.deliveredAtMs !== undefined) times.push(m.deliveredAtMs);
  }
  for (const f of story.fences) times.push(f.atMs);
  return times;
}

function bandRow(story: Story, axis: BrokenTimeAxis, band: Story["bands"][number], y: number): string {
  const out = [`<text class="band-name" x="${LABEL_W - 8}" y="${y + ROW_H / 2 + 4}" text-anchor="end">${esc(band.name)}</text>`];
  band.changes.forEach(([at, value], i) => {
    const until = band.changes[i + 1]?.[0] ?? story.endMs;
    const x0 = axis.x(at);
    const w = Math.max(1, axis.x(until) - x0);
    const title = `${band.name}: ${value} from ${clockText(at, true)} to ${clockText(until, true)}`;
    out.push(`<g class="band"><title>${esc(title)}</title><rect x="${n1(x0)}" y="${y}" width="${n1(w)}" height="${ROW_H}" fill="${bandColour(value)}"/>`);
    if (w > value.length * 6.5 + 6) out.push(`<text x="${n1(x0 + 4)}" y="${y + ROW_H / 2 + 4}">${esc(value)}</text>`);
    out.push(`</g>`);
  });
  return out.join("");
}

/** The SMS row: a mark per message (to the tracker above the line, from it below; alerts in their colour). */
function smsRow(story: Story, axis: BrokenTimeAxis, y: number): string {
  const mid = y + ROW_H / 2;
  const out = [`<text class="band-name" x="${LABEL_W - 8}" y="${mid + 4}" text-anchor="end">SMS</text>`, `<path class="sms-line" d="M${LABEL_W} ${mid}H${WIDTH - RIGHT}"/>`];
  for (const m of story.sms) {
    const x = axis.x(m.atMs);
    const toTracker = m.to === story.trackerNumber;
    const colour = m.role === "alert" ? alertColour(m.alertKinds?.[0] ?? "") : toTracker ? "#1d4ed8" : "#6b7280";
    const d = toTracker ? `M${n1(x - 4)} ${y + 1}h8l-4 ${ROW_H / 2 - 2}z` : `M${n1(x - 4)} ${y + ROW_H - 1}h8l-4 ${-(ROW_H / 2 - 2)}z`;
    const who = `${story.parties[m.from] ?? m.from} → ${story.parties[m.to] ?? m.to}`;
    out.push(`<path class="sms-mark" data-sms="${m.id}" fill="${colour}" d="${d}"><title>${esc(`${clockText(m.atMs, true)} ${who}: ${m.text}`)}</title></path>`);
  }
  return out.join("");
}

/** The band chart of `story` as an SVG element. */
export function bandChartSvg(story: Story): string {
  const axis = new BrokenTimeAxis(eventTimes(story), story.endMs, LABEL_W, WIDTH - RIGHT);
  const bands = [...story.bands].sort((a, b) => rank(a.name) - rank(b.name));
  const rows = bands.length + 1;
  const top = 6;
  const axisY = top + rows * (ROW_H + GAP) + 2;
  const height = axisY + AXIS_H;
  const body = bands.map((band, i) => bandRow(story, axis, band, top + i * (ROW_H + GAP))).join("");
  return (
    `<svg class="bands" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="states over time" xmlns="http://www.w3.org/2000/svg">` +
    body +
    smsRow(story, axis, top + bands.length * (ROW_H + GAP)) +
    axis.svg(axisY, top) +
    `</svg>`
  );
}

function rank(name: string): number {
  const i = BAND_ORDER.indexOf(name);
  return i < 0 ? BAND_ORDER.length : i;
}

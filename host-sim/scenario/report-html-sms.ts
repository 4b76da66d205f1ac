/**
 * The report's SMS timeline: every message in the order the network took them, with its simulated
 * time (and the tracker's UTC), who → who, its role, its text and status; a reply says which
 * command it answers and both share a colour (and light up together under the pointer).
 */
import type { Story, StorySms } from "./story.ts";
import { clockText, durationText, esc, utcText } from "./report-html-text.ts";
import { alertColour, alertLabel } from "./report-html-alerts.ts";

/** The colours of command/reply pairs, in turn. */
const PAIR_COLOURS = ["#2a9d8f", "#e76f51", "#457b9d", "#e9c46a", "#8338ec", "#fb5607", "#3a86ff", "#06d6a0"];

function who(story: Story, number: string): string {
  const name = story.parties[number];
  return name ? `<b>${esc(name)}</b> <span class="number">${esc(number)}</span>` : `<span class="number">${esc(number)}</span>`;
}

function badge(story: Story, m: StorySms, alertIndex: Map<number, number>): string {
  if (m.role === "alert") {
    const n = alertIndex.get(m.id);
    return (m.alertKinds ?? []).map((k) => `<span class="badge alert" style="background:${alertColour(k)}">${n !== undefined ? `${n + 1}. ` : ""}${esc(alertLabel(k))}</span>`).join(" ");
  }
  return `<span class="badge ${m.role}">${esc(m.role)}</span>`;
}

function row(story: Story, m: StorySms, byId: Map<number, StorySms>, alertIndex: Map<number, number>, pairs: Map<number, number>): string {
  const attrs = [`class="sms ${m.role}${m.to === story.trackerNumber ? " in" : " out"}"`, `data-sms="${m.id}"`];
  if (m.pairId !== undefined) {
    attrs.push(`data-pair="${m.pairId}"`, `style="border-left-color:${PAIR_COLOURS[(pairs.get(m.pairId) ?? 0) % PAIR_COLOURS.length]}"`);
  }
  const alert = alertIndex.get(m.id);
  if (alert !== undefined) attrs.push(`data-alert="${alert}"`);
  let answers = "";
  if (m.role === "reply" && m.pairId !== undefined) {
    const command = byId.get(m.pairId);
    if (command) answers = `<div class="answers">↳ answers #${command.id} «${esc(Array.from(command.text).slice(0, 40).join(""))}» after ${esc(durationText(m.atMs - command.atMs))}</div>`;
  }
  const utc = utcText(m.atMs, story.utcAtZeroMs);
  const delivered = m.deliveredAtMs !== undefined ? `, delivered at ${clockText(m.deliveredAtMs, true)}` : "";
  return (
    `<li ${attrs.join(" ")}>` +
    `<div class="when"><span class="id">#${m.id}</span> ${esc(clockText(m.atMs, true))}${utc ? `<br><small>${esc(utc)}</small>` : ""}</div>` +
    `<div class="what"><div class="route">${who(story, m.from)} → ${who(story, m.to)} ${badge(story, m, alertIndex)} <span class="status ${esc(m.status)}" title="${esc(`status: ${m.status}${delivered}`)}">${esc(m.status)}</span></div>` +
    answers +
    `<pre class="text">${esc(m.text)}</pre></div></li>`
  );
}

/** The timeline of `story` as an HTML list (a note when no SMS was exchanged). */
export function smsTimelineHtml(story: Story): string {
  if (story.sms.length === 0) return `<p class="note">No SMS was exchanged.</p>`;
  const byId = new Map(story.sms.map((m) => [m.id, m]));
  const alertIndex = new Map<number, number>();
  story.alerts.forEach((a, i) => a.smsIds.forEach((id) => alertIndex.set(id, i)));
  const pairs = new Map<number, number>();
  for (const m of story.sms) if (m.role === "command" && m.pairId !== undefined) pairs.set(m.pairId, pairs.size);
  return `<ol class="timeline">${story.sms.map((m) => row(story, m, byId, alertIndex, pairs)).join("")}</ol>`;
}

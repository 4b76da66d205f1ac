/** The report page's inline style and script (nothing is fetched: the page is one file). */

export const REPORT_CSS = `
:root { --fg:#1f2933; --muted:#616e7c; --line:#d9e2ec; --pass:#2d6a4f; --fail:#c1121f; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f5f7fa; }
header.page { background: #102a43; color: #fff; padding: 14px 24px; }
header.page h1 { margin: 0; font-size: 20px; }
header.page p { margin: 4px 0 0; color: #bcccdc; }
main { padding: 12px 24px 40px; max-width: 1100px; }
table.summary { border-collapse: collapse; margin: 8px 0 16px; background: #fff; }
table.summary td, table.summary th { border: 1px solid var(--line); padding: 4px 10px; text-align: left; }
section.run { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 4px 20px 20px; margin: 16px 0; }
section.run h2 { margin: 14px 0 4px; font-size: 19px; }
section.run h3 { margin: 20px 0 6px; font-size: 15px; color: #334e68; }
.verdict { font-size: 13px; padding: 2px 8px; border-radius: 10px; color: #fff; vertical-align: middle; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.skip { background: var(--muted); }
.desc { margin: 4px 0 8px; max-width: 90ch; }
dl.meta { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 0; color: var(--muted); }
dl.meta dt { font-weight: 600; } dl.meta dt::after { content: ":"; } dl.meta dd { margin: 0 0 0 -14px; }
.note { color: var(--muted); font-style: italic; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: #243b53; }
.map-bg { fill: #eef3f7; }
.track { fill: none; stroke-linejoin: round; stroke-linecap: round; }
.track.truth { stroke: #1d4ed8; stroke-width: 3.5; opacity: .75; }
.track.fixes { stroke: #f59e0b; stroke-width: 1.4; stroke-dasharray: 4 3; }
.track-start circle { fill: #2d6a4f; stroke: #fff; stroke-width: 2; }
.track-end rect { fill: #102a43; stroke: #fff; stroke-width: 2; }
.fence circle { fill: rgba(123,44,191,.07); stroke: #7b2cbf; stroke-width: 2; }
.fence.earlier circle { fill: none; stroke-dasharray: 6 4; opacity: .6; }
.fence .centre { stroke: #7b2cbf; stroke-width: 1.5; }
.sms-pos { fill: #fff; stroke: #0f766e; stroke-width: 1.5; }
.alert-marker circle { stroke: #fff; stroke-width: 2; }
.alert-marker text { fill: #fff; font-weight: 700; }
.alert-marker text.alert-label { fill: #3c0919; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.alert-marker.hl circle { stroke: #000; stroke-width: 3; }
.scale-bar path { fill: none; stroke: #102a43; stroke-width: 2; }
.north-arrow path { fill: #102a43; } .north-arrow text { font-weight: 700; font-size: 13px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--muted); font-size: 12px; margin: 6px 0; }
.legend i { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 4px; }
.band rect { stroke: #fff; stroke-width: .5; }
.band text { font-size: 10.5px; }
.band-name { font-weight: 600; }
.axis, .tick { stroke: #486581; fill: none; }
.tick-label { font-size: 10px; fill: #486581; }
.axis-break rect { fill: #fff; opacity: .9; }
.axis-break text { font-size: 10px; fill: #486581; }
.axis-break path { fill: none; stroke: #486581; }
.sms-line { stroke: var(--line); }
.sms-mark.hl { stroke: #000; stroke-width: 1.5; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
li.sms { display: grid; grid-template-columns: 120px 1fr; gap: 10px; padding: 5px 8px; border-left: 4px solid transparent; border-bottom: 1px solid #eef2f6; }
li.sms.in { background: #f4f8ff; }
li.sms.hl { background: #fff3bf; }
li.sms .when { color: var(--muted); font-variant-numeric: tabular-nums; }
li.sms .id { font-weight: 600; color: #334e68; }
li.sms .number { color: var(--muted); font-size: 12px; }
li.sms pre.text { margin: 3px 0 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; }
li.sms .answers { font-size: 12px; color: #334e68; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: #e4e7eb; color: #243b53; }
.badge.alert { color: #fff; } .badge.command { background: #dbeafe; } .badge.reply { background: #d1fae5; }
.badge.position { background: #ccfbf1; } .badge.notice { background: #fef3c7; }
.status { font-size: 11px; color: var(--muted); } .status.undeliverable, .status.waiting { color: var(--fail); }
ul.checks { list-style: none; padding: 0; margin: 0; }
ul.checks li { padding: 2px 0; }
ul.checks li.ok::before { content: "✓ "; color: var(--pass); font-weight: 700; }
ul.checks li.failed::before { content: "✗ "; color: var(--fail); font-weight: 700; }
ul.checks li.failed { color: var(--fail); }
ul.checks pre { margin: 2px 0 4px 18px; white-space: pre-wrap; word-break: break-word; color: var(--fg); background: #fff5f5; padding: 4px 8px; font-size: 12px; }
`;

/**
 * Hovering a reply or a command lights up both; hovering an alert's SMS (or its marker on the map)
 * lights up the marker and the SMS; a click on a marker scrolls to its first SMS.
 */
export const REPORT_SCRIPT = `
(function () {
  "use strict";
  function group(el) {
    var section = el.closest("section.run");
    if (!section) return [];
    var found = [];
    var pair = el.getAttribute("data-pair");
    var alert = el.getAttribute("data-alert");
    var sms = el.getAttribute("data-sms");
    var alerts = el.getAttribute("data-alerts");
    if (alerts !== null) alerts.split(" ").forEach(function (a) {
      found = found.concat(Array.prototype.slice.call(section.querySelectorAll('[data-alert="' + a + '"]')));
    });
    if (alerts !== null) found.push(el);
    if (pair !== null) found = found.concat(Array.prototype.slice.call(section.querySelectorAll('[data-pair="' + pair + '"]')));
    if (alert !== null) found = found.concat(Array.prototype.slice.call(section.querySelectorAll('[data-alert="' + alert + '"],[data-alerts~="' + alert + '"]')));
    if (sms !== null) found = found.concat(Array.prototype.slice.call(section.querySelectorAll('[data-sms="' + sms + '"]')));
    return found;
  }
  function light(event, on) {
    var el = event.target.closest && event.target.closest("[data-pair],[data-alert],[data-alerts],[data-sms]");
    if (!el) return;
    group(el).forEach(function (g) { g.classList.toggle("hl", on); });
  }
  document.addEventListener("mouseover", function (e) { light(e, true); });
  document.addEventListener("mouseout", function (e) { light(e, false); });
  document.addEventListener("click", function (e) {
    var marker = e.target.closest && e.target.closest(".alert-marker");
    if (!marker) return;
    var first = (marker.getAttribute("data-alerts") || "").split(" ")[0];
    var row = marker.closest("section.run").querySelector('li.sms[data-alert="' + first + '"]');
    if (row) row.scrollIntoView({ behavior: "smooth", block: "center" });
  });
})();
`;

// The preview page's own stylesheet and script (html.ts inlines them beside uPlot's). The script
// runs in the browser: it reads the chart data from <script id="pace-data" type="application/json">,
// draws each <figure data-chart> with uPlot (thresholds as dashed lines, alert spans as shaded
// bands, markers as vertical lines, all on the canvas), and records on the figure what it drew:
// data-rendered="1" and data-points (the number of non-null values of each line, as JSON), which
// the browser test reads. Times are shown in UTC. It writes text only through uPlot (textContent).

export const PAGE_STYLE = `
:root { --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --card: #ffffff; --ok: #15803d; --warn: #b45309; --bad: #b91c1c; --accent: #2563eb; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: var(--card); border-bottom: 1px solid var(--line); padding: 20px 32px 0; }
h1 { font-size: 22px; margin: 0 0 4px; font-weight: 650; letter-spacing: -0.01em; }
h1 .project { color: var(--muted); font-weight: 500; }
h2 { font-size: 18px; margin: 0 0 6px; font-weight: 650; }
h2 code { font-size: 13px; color: var(--muted); font-weight: 400; margin-left: 6px; }
h3 { font-size: 15px; margin: 22px 0 8px; font-weight: 600; }
.sub { color: var(--muted); font-weight: 400; font-size: 12px; }
.meta { color: var(--muted); margin: 0 0 14px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin-bottom: 14px; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--ok); border-radius: 8px; padding: 10px 14px; background: var(--card); }
.card.warn { border-left-color: var(--warn); } .card.bad { border-left-color: var(--bad); }
.card .value { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .value small { font-size: 12px; font-weight: 400; color: var(--muted); margin-right: 6px; }
.card .caption { color: var(--muted); font-size: 12px; }
nav { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 8px 0 12px; }
nav a { color: var(--accent); text-decoration: none; font-weight: 500; }
nav a:hover { text-decoration: underline; }
main { padding: 8px 32px 32px; max-width: 1480px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin: 18px 0; }
p.desc { margin: 0 0 6px; color: #334155; }
p.facts { margin: 0 0 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 12px; }
p.facts strong { color: var(--fg); font-weight: 500; }
.tag { background: #f1f5f9; border-radius: 4px; padding: 0 6px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
thead th { font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; border-bottom: 1px solid #cbd5e1; }
tbody th { font-weight: 600; white-space: normal; }
tbody th a { color: inherit; text-decoration: none; }
tbody th a:hover { color: var(--accent); }
tbody th .desc { font-weight: 400; font-size: 12px; color: var(--muted); max-width: 360px; }
td.num { text-align: right; }
td.wrap { white-space: normal; min-width: 280px; }
td.ok { color: var(--ok); } td.warn { color: var(--warn); } td.bad { color: var(--bad); font-weight: 600; }
td meter { width: 56px; height: 8px; vertical-align: middle; margin-right: 4px; }
.pill { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: 11.5px; font-weight: 600; line-height: 18px; }
.pill.page { background: #fee2e2; color: var(--bad); } .pill.ticket { background: #fef3c7; color: var(--warn); }
ul.firings { list-style: none; padding: 0; margin: 0 0 12px; color: #334155; }
ul.firings li { padding: 2px 0; }
.slo-charts { border-top: 1px dashed var(--line); margin-top: 14px; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 6px; background: #fff; min-width: 0; }
figure.chart.wide { grid-column: 1 / -1; }
figcaption { font-size: 12.5px; font-weight: 600; color: #334155; margin-bottom: 4px; }
.plot { min-height: 40px; }
.plot:empty::after { content: "Charts are drawn by a script; the tables above hold the same figures."; color: var(--muted); font-size: 12px; }
p.none { color: var(--muted); }
ul.notes { list-style: none; padding: 0; margin: 0; }
ul.notes li { padding: 4px 0; border-bottom: 1px solid var(--line); }
ul.notes .sev { display: inline-block; min-width: 56px; font-size: 11px; text-transform: uppercase; font-weight: 700; }
ul.notes li.error .sev { color: var(--bad); } ul.notes li.warning .sev { color: var(--warn); } ul.notes li.info .sev { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
footer { color: var(--muted); font-size: 12px; padding: 0 32px 28px; }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; text-align: left; }
.u-legend .u-marker { border-radius: 2px; }
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; } main, header.top { padding-left: 14px; padding-right: 14px; } }
@media print { section { break-inside: avoid; } nav { display: none; } }
`.trim();

// ASCII only (non-ASCII characters as \u escapes in the page's strings): a raw template is the one
// text esbuild cannot escape, and one such character makes V8 hold the CLI's whole bundle as UTF-16.
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var holder = document.getElementById("pace-data");
  if (!holder || typeof uPlot !== "function") return;
  var data = JSON.parse(holder.textContent || "{}");
  var byId = {};
  (data.charts || []).forEach(function (c) {
    // x comes as its first instant (ms) and the steps after it (s).
    var t = c.x0, x = [t];
    c.dx.forEach(function (d) { t += d * 1000; x.push(t); });
    c.x = x;
    byId[c.id] = c;
  });
  var COLORS = ["#2563eb", "#7c3aed", "#0891b2", "#059669", "#db2777", "#ea580c"];
  var SEVERITY = { page: "#dc2626", ticket: "#d97706" };
  var SPAN_FILL = { page: "rgba(220, 38, 38, 0.18)", ticket: "rgba(217, 119, 6, 0.18)" };

  function trim(x, digits) { return String(Number(x.toFixed(digits))); }
  function pct(v, digits) { return trim(v * 100, digits) + "%"; }
  function ratioDigits(span) {
    var p = Math.abs(span) * 100;
    if (!(p > 0)) return 2;
    return Math.max(0, Math.min(4, 1 - Math.floor(Math.log10(p))));
  }
  function duration(s) {
    var a = Math.abs(s), sign = s < 0 ? "-" : "";
    if (a >= 86400) return sign + trim(a / 86400, 1) + "d";
    if (a >= 3600) return sign + trim(a / 3600, 1) + "h";
    if (a >= 60) return sign + trim(a / 60, 1) + "m";
    return sign + trim(a, 1) + "s";
  }
  function number(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return trim(v / 1e9, 2) + "G";
    if (a >= 1e6) return trim(v / 1e6, 2) + "M";
    if (a >= 1e4) return trim(v / 1e3, 1) + "k";
    return String(Number(v.toPrecision(4)));
  }
  function formatter(unit, digits) {
    if (unit === "ratio") return function (v) { return pct(v, digits); };
    if (unit === "burn") return function (v) { return trim(v, v < 10 ? 2 : 1) + "\u00d7"; };
    if (unit === "seconds") return duration;
    return number;
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function day(d) { return MONTHS[d.getUTCMonth()] + " " + d.getUTCDate(); }
  function timeTicks(u, splits, axisIdx, space, incr) {
    return splits.map(function (s) {
      var d = new Date(s * 1000);
      var midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0;
      if (incr >= 86400 || midnight) return day(d);
      return String(d.getUTCHours()).padStart(2, "0") + ":" + String(d.getUTCMinutes()).padStart(2, "0");
    });
  }
  function utc(ms) { return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC"; }

  function axisSize(u, values, axisIdx, cycleNum) {
    if (cycleNum > 1) return u.axes[axisIdx]._size;
    var longest = 0;
    (values || []).forEach(function (v) { if (v && v.length > longest) longest = v.length; });
    return Math.max(40, Math.ceil(longest * 6.6) + 22);
  }

  function yRange(chart) {
    return function (u, min, max) {
      chart.thresholds.forEach(function (t) { if (min == null || t.value < min) min = t.value; if (max == null || t.value > max) max = t.value; });
      if (min == null || max == null) { min = 0; max = 1; }
      if (chart.unit === "burn") return [0, Math.max(max * 1.15, 1)];
      var pad = (max - min) * 0.08 || Math.abs(max) * 0.01 || 0.01;
      var lo = min - pad, hi = max + pad;
      if (chart.kind === "sli") hi = Math.min(hi, 1);
      if (chart.unit === "ratio" && chart.kind !== "budget") lo = Math.max(lo, 0);
      return [lo, hi];
    };
  }

  function drawSpans(chart) {
    return function (u) {
      if (!chart.spans.length) return;
      var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
      var minW = 4 * devicePixelRatio;
      ctx.save();
      chart.spans.forEach(function (s) {
        var x0 = u.valToPos(s.from / 1000, "x", true), x1 = u.valToPos(s.to / 1000, "x", true);
        if (x1 - x0 < minW) { var mid = (x0 + x1) / 2; x0 = mid - minW / 2; x1 = mid + minW / 2; }
        ctx.fillStyle = SPAN_FILL[s.severity];
        ctx.fillRect(x0, top, x1 - x0, h);
        ctx.fillStyle = SEVERITY[s.severity];
        ctx.fillRect(x0, top, x1 - x0, 3 * devicePixelRatio);
      });
      ctx.restore();
    };
  }

  function drawOverlays(chart, fmt) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, dpr = devicePixelRatio;
      ctx.save();
      ctx.font = (11 * dpr) + "px system-ui, sans-serif";
      ctx.lineWidth = dpr;
      chart.thresholds.forEach(function (t) {
        var y = u.valToPos(t.value, "y", true);
        if (y < b.top - 1 || y > b.top + b.height + 1) return;
        var color = t.severity ? SEVERITY[t.severity] : "#475569";
        ctx.strokeStyle = color;
        ctx.setLineDash([5 * dpr, 4 * dpr]);
        ctx.beginPath(); ctx.moveTo(b.left, y); ctx.lineTo(b.left + b.width, y); ctx.stroke();
        ctx.setLineDash([]);
        ctx.textAlign = "right"; ctx.textBaseline = "bottom";
        var tw = ctx.measureText(t.label).width, tx = b.left + b.width - 4 * dpr, ty = y - 2 * dpr;
        ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
        ctx.fillRect(tx - tw - 3 * dpr, ty - 13 * dpr, tw + 6 * dpr, 13 * dpr);
        ctx.fillStyle = color;
        ctx.fillText(t.label, tx, ty);
      });
      chart.markers.forEach(function (m) {
        var x = u.valToPos(m.at / 1000, "x", true);
        if (x < b.left || x > b.left + b.width + 1) return;
        ctx.strokeStyle = "#0f172a";
        ctx.setLineDash([2 * dpr, 3 * dpr]);
        ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#0f172a";
        ctx.textAlign = "right"; ctx.textBaseline = "bottom";
        ctx.fillText(m.label, x - 4 * dpr, b.top + b.height - 4 * dpr);
      });
      ctx.restore();
    };
  }

  function render(fig) {
    var chart = byId[fig.getAttribute("data-chart")];
    var plot = fig.querySelector(".plot");
    if (!chart || !plot) return;
    var values = [];
    chart.lines.forEach(function (l) { l.values.forEach(function (v) { if (v != null) values.push(v); }); });
    chart.thresholds.forEach(function (t) { values.push(t.value); });
    var spread = values.length ? Math.max.apply(null, values) - Math.min.apply(null, values) : 0;
    var fmt = formatter(chart.unit, ratioDigits(spread / 4));
    var xs = chart.x.map(function (t) { return t / 1000; });
    var aligned = [xs].concat(chart.lines.map(function (l) { return l.values; }));
    var series = [{ label: "time", value: function (u, v) { return v == null ? "\u2013" : utc(v * 1000); } }];
    chart.lines.forEach(function (l, i) {
      var color = l.style === "projection" ? "#64748b" : COLORS[i % COLORS.length];
      series.push({
        label: l.label,
        stroke: color,
        width: 1.5,
        dash: l.style === "projection" ? [6, 4] : undefined,
        fill: chart.kind === "budget" ? "rgba(37, 99, 235, 0.08)" : undefined,
        show: l.shown !== false,
        spanGaps: l.style === "projection",
        points: { show: chart.kind === "kpi" && l.style !== "projection", size: 5 },
        value: function (u, v) { return v == null ? "\u2013" : fmt(v); }
      });
    });
    var width = Math.max(280, Math.floor(plot.clientWidth || fig.clientWidth || 600));
    var opts = {
      width: width,
      height: fig.classList.contains("wide") ? 240 : 200,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      series: series,
      scales: { x: { time: true }, y: chart.unit === "burn" ? { distr: 4, asinh: 1, range: yRange(chart) } : { range: yRange(chart) } },
      axes: [
        { stroke: "#64748b", space: 70, values: timeTicks, grid: { stroke: "#eef2f7", width: 1 }, ticks: { stroke: "#e2e8f0", width: 1 } },
        { stroke: "#64748b", size: axisSize, grid: { stroke: "#eef2f7", width: 1 }, ticks: { stroke: "#e2e8f0", width: 1 }, values: function (u, splits) { return splits.map(function (v) { return v == null || (chart.unit === "burn" && v < 0) ? "" : fmt(v); }); } }
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      hooks: { drawClear: [drawSpans(chart)], draw: [drawOverlays(chart, fmt)] }
    };
    var u = new uPlot(opts, aligned, plot);
    var points = chart.lines.map(function (l, i) { return u.data[i + 1].filter(function (v) { return v != null; }).length; });
    fig.setAttribute("data-points", JSON.stringify(points));
    fig.setAttribute("data-x", String(u.data[0].length));
    fig.setAttribute("data-rendered", "1");
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(function () {
        var w = Math.max(280, Math.floor(plot.clientWidth));
        if (Math.abs(w - u.width) > 1) u.setSize({ width: w, height: u.height });
      }).observe(plot);
    }
  }

  document.querySelectorAll("figure[data-chart]").forEach(function (fig) {
    try { render(fig); } catch (err) { fig.setAttribute("data-error", String(err && err.message || err)); throw err; }
  });
  document.documentElement.setAttribute("data-charts", "ready");
})();
`.trim();

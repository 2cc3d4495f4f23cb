// The service review as one self-contained HTML page (`pace report --format html`): the summary,
// the tables of the Markdown (review-format.ts says the words, so both pages agree), and the
// preview's charts (core/evaluate/charts.ts): per SLO its burn rates over its alert windows with the
// alerts' spans, clipped to the period, and its error budget burnt down; per KPI its daily values
// and trend. The page is the preview page's kind (html.ts): the same stylesheet and chart script,
// uPlot inlined by the host, a strict CSP with a fresh nonce, every user string escaped and the
// chart data as escaped JSON. Pure.
import type { Chart, PreviewCharts } from '../evaluate/charts.js';
import type { IssueLocation } from '../evaluate/preview-json.js';
import type { PreviewIssue } from '../evaluate/preview.js';
import { escapeHtml, scriptJson, type HtmlAssets } from './html.js';
import { CLIENT_SCRIPT, PAGE_STYLE } from './html-assets.js';
import type { ReportPeriod } from './period.js';
import type { ReviewResult } from './review.js';
import * as f from './review-format.js';

export interface ReviewHtmlOptions {
  /** The CSP nonce of this page: fresh and random for each page (base64). */
  readonly nonce: string;
  readonly assets: HtmlAssets;
  readonly locate?: (i: PreviewIssue) => IssueLocation | undefined;
  readonly generator?: string;
}

const e = escapeHtml;

/** The report's own few rules beside the preview page's stylesheet. */
export const REVIEW_STYLE = `
ul.summary { margin: 0 0 14px; padding-left: 18px; }
ul.summary li.bad strong { color: var(--bad); } ul.summary li.warn strong { color: var(--warn); }
td.ok { color: var(--ok); } td.bad { color: var(--bad); font-weight: 600; } td.warn { color: var(--warn); }
table.hours td:first-child, table.alerts td:first-child { white-space: nowrap; }
p.lead { color: var(--muted); margin: 0 0 8px; }
section { overflow-x: auto; }
table.kpis td:nth-child(3), table.kpis td:nth-child(8), table.hours td:nth-child(7), table.slos td:nth-child(4), table.alerts td:nth-child(7) { white-space: normal; }
table.kpis td:nth-child(3) { max-width: 340px; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
table.kpis td:nth-child(8) { min-width: 260px; }
`.trim();

/** Inline text that cannot end the element it is in (a library's source). */
function inlineText(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

function anchor(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '-');
}

type CellClass = (row: readonly string[], col: number) => string | undefined;

function table(cls: string, head: readonly string[], rows: readonly (readonly string[])[], cellClass?: CellClass, rowHead = 1): string {
  const body = rows.map(
    (r) =>
      `<tr>${r
        .map((c, i) => {
          const k = cellClass?.(r, i);
          const attr = k ? ` class="${k}"` : '';
          return i < rowHead ? `<th scope="row"${attr}>${e(c)}</th>` : `<td${attr}>${e(c)}</td>`;
        })
        .join('')}</tr>`,
  );
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

const statusClass =
  (col: number, good: readonly string[], bad: readonly string[]): CellClass =>
  (row, i) =>
    i !== col ? undefined : good.includes(row[col]) ? 'ok' : bad.includes(row[col]) ? 'bad' : undefined;

/** A burn-rate chart spans the whole data: the report shows the period's part (its alerts' spans clamped to it). */
export function clipChart(c: Chart, period: ReportPeriod): Chart {
  if (c.kind !== 'burn') return c;
  const keep = c.x.map((t, i) => (t >= period.from && t <= period.to ? i : -1)).filter((i) => i >= 0);
  if (keep.length === c.x.length || keep.length === 0) return c;
  return {
    ...c,
    x: keep.map((i) => c.x[i]),
    lines: c.lines.map((l) => ({ ...l, values: keep.map((i) => l.values[i]) })),
    spans: c.spans.filter((s) => s.to >= period.from && s.from <= period.to).map((s) => ({ ...s, from: Math.max(s.from, period.from), to: Math.min(s.to, period.to) })),
  };
}

function figure(c: Chart, wide: boolean): string {
  return `<figure class="chart${wide ? ' wide' : ''}" data-chart="${e(c.id)}"><figcaption>${e(c.title)}</figcaption><div class="plot" role="img" aria-label="${e(c.title)}"></div></figure>`;
}

/** The charts the review shows: burn rates with alert spans, budget burn-down, KPI trends. */
export function reviewCharts(r: ReviewResult, charts: PreviewCharts): Chart[] {
  return charts.charts.filter((c) => c.kind === 'burn' || c.kind === 'budget' || c.kind === 'kpi').map((c) => clipChart(c, r.period));
}

export function reviewHtml(r: ReviewResult, charts: PreviewCharts, opts: ReviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(opts.nonce)) throw new Error('reviewHtml: the nonce must be at least 16 base64 characters');
  const nonce = opts.nonce;
  const shown = reviewCharts(r, charts);
  const bySubject = new Map<string, Chart[]>();
  for (const c of shown) (bySubject.get(c.subject) ?? bySubject.set(c.subject, []).get(c.subject))?.push(c);
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  const title = `Service review${r.project ? ` of ${r.project}` : ''}: ${r.period.label}`;
  const lines = f.summaryLines(r);
  const cards = `<div class="cards">${lines.map((l) => `<div class="card ${l.status}"><div class="value">${e(l.value)}</div><div class="caption">${e(l.label)}</div></div>`).join('')}</div>`;
  const nav = ['<a href="#summary">Summary</a>', '<a href="#slas">SLAs</a>', '<a href="#slos">SLOs</a>', '<a href="#kpis">KPIs</a>', '<a href="#alerts">Alerts</a>', '<a href="#worst-hours">Worst hours</a>'];
  if (r.issues.length) nav.push(`<a href="#notes">Notes (${r.issues.length})</a>`);

  const sloCharts = r.slos
    .map((s) => {
      const own = bySubject.get(s.preview.id) ?? [];
      const head = `<h3 id="${e(anchor(s.preview.id))}">${e(f.serviceName(s.preview.service))} · ${e(s.title ?? s.preview.name)} <span class="sub">${e(f.objectiveText(s.preview.objective))} over ${e(s.preview.window.label)}</span></h3>`;
      if (!own.length) return `<div class="slo-charts">${head}<p class="none">No charts: ${e(s.preview.note ?? 'its SLI has no values in the sample data (see the notes).')}</p></div>`;
      const burn = own.filter((c) => c.kind === 'burn');
      const rest = own.filter((c) => c.kind !== 'burn');
      return `<div class="slo-charts">${head}\n<div class="grid">\n${[...burn.map((c) => figure(c, true)), ...rest.map((c) => figure(c, false))].join('\n')}\n</div></div>`;
    })
    .join('\n');
  const kpiCharts = r.kpis.flatMap((k) => (bySubject.get(k.id) ?? []).map((c) => `<div class="kpi-chart" id="${e(anchor(k.id))}">${figure(c, false)}</div>`));

  const notes = r.issues.length
    ? `<section id="notes"><h2>Notes</h2>\n<ul class="notes">\n${r.issues
        .map((i) => {
          const where = opts.locate?.(i);
          const at = where ? `${where.file}:${where.line}:${where.column}` : i.file ? `${i.file}${i.line ? `:${i.line}` : ''}` : '';
          return `<li class="${e(i.severity)}"><span class="sev">${e(i.severity)}</span> ${at ? `<code>${e(at)}</code> ` : ''}<code>${e(i.code)}</code> ${e(i.message)}</li>`;
        })
        .join('\n')}\n</ul></section>`
    : '';
  const data = { at: r.at, charts: shown.map(({ x, ...c }) => ({ ...c, x0: x[0] ?? 0, dx: x.slice(1).map((t, i) => (t - x[i]) / 1000) })) };
  const section = (id: string, h: string, body: string) => `<section id="${id}"><h2>${e(h)}</h2>\n${body}\n</section>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${e(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style nonce="${nonce}">${inlineText(opts.assets.style, 'style')}</style>`,
    `<style nonce="${nonce}">${PAGE_STYLE}\n${REVIEW_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header class="top">',
    `<h1>Service review${r.project ? ` <span class="project">${e(r.project)}</span>` : ''} · ${e(r.period.label)}</h1>`,
    `<p class="meta">${e(f.periodLine(r))}</p>`,
    cards,
    `<nav>${nav.join('')}</nav>`,
    '</header>',
    '<main>',
    section('summary', 'Summary', `<ul class="summary">\n${lines.map((l) => `<li class="${l.status}"><strong>${e(l.label)}</strong>: ${e(l.text)}</li>`).join('\n')}\n</ul>`),
    section('slas', 'SLAs', r.slas.length ? table('slas', f.SLA_HEAD, r.slas.map(f.slaRow), statusClass(5, ['met'], ['breached']), 2) : '<p class="none">No SLA.</p>'),
    section('slos', 'SLOs', (r.slos.length ? table('slos', f.SLO_HEAD, r.slos.map(f.sloRow), statusClass(7, ['no'], ['yes']), 2) : '<p class="none">No SLO.</p>') + '\n' + sloCharts),
    section('kpis', 'KPIs', r.kpis.length ? `${table('kpis', f.KPI_HEAD, r.kpis.map(f.kpiRow), statusClass(6, ['on target'], ['off target']), 2)}\n<div class="grid">\n${kpiCharts.join('\n')}\n</div>` : '<p class="none">No KPI.</p>'),
    section('alerts', 'Alerts fired', r.alerts.length ? table('alerts', f.ALERT_HEAD, r.alerts.map(f.alertRow), (row, i) => (i === 5 ? (row[5] === 'page' ? 'bad' : 'warn') : undefined), 0) : '<p class="none">No alert fired within the period.</p>'),
    section(
      'worst-hours',
      'Worst hours',
      r.worstHours.length
        ? `<p class="lead">The ${r.worstHours.length} of ${r.hoursRanked} whole hours with the highest burn rate of any SLO (its error ratio over the hour ÷ its error budget).</p>\n${table('hours', f.HOUR_HEAD, r.worstHours.map(f.hourRow), undefined, 0)}`
        : '<p class="none">No SLO burnt any budget in a whole hour of the period.</p>',
    ),
    notes,
    '</main>',
    `<footer>${e(opts.generator ?? 'pace')} · the figures are those of pace preview at ${e(new Date(r.at).toISOString())} · one self-contained file: it loads nothing from the network · charts drawn with uPlot (MIT)</footer>`,
    `<script type="application/json" id="pace-data">${scriptJson(data)}</script>`,
    `<script nonce="${nonce}">${inlineText(opts.assets.script, 'script')}</script>`,
    `<script nonce="${nonce}">${CLIENT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}

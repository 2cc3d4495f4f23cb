// The preview as one self-contained HTML page (`pace preview --format html`): the tables of the
// text output per service, readable without JavaScript, and the charts of core/evaluate/charts.ts
// drawn by uPlot when scripts run. Pure: the host passes uPlot's script and stylesheet (the CLI
// bundle inlines them from node_modules at build time) and a fresh random nonce.
//
// Safety: a strict Content-Security-Policy (nothing may load: no network, no fonts, no images but
// data: URIs; only the page's own nonce'd <script> and <style> run); every user string (titles,
// descriptions, ids, label values, messages) is HTML-escaped; the chart data is JSON in a
// <script type="application/json"> with `<`, `>`, `&`, U+2028 and U+2029 written as \u escapes, so
// neither `</script>` nor `<!--` can end or change the block. The client script reads it with
// JSON.parse and sets text only through uPlot (textContent) and canvas drawing.
import { formatDuration, formatPercent, percentText } from '../budget/budget.js';
import type { NormalizedModel, Service } from '../model/model.js';
import type { Chart, PreviewCharts } from '../evaluate/charts.js';
import type { KpiPreview, PreviewIssue, PreviewResult, SlaPreview, SloPreview } from '../evaluate/preview.js';
import { rfc3339, type IssueLocation } from '../evaluate/preview-json.js';
import { CLIENT_SCRIPT, PAGE_STYLE } from './html-assets.js';

export interface HtmlAssets {
  /** uPlot's script (dist/uPlot.iife.min.js): defines the global `uPlot`. */
  readonly script: string;
  /** uPlot's stylesheet (dist/uPlot.min.css). */
  readonly style: string;
}

export interface HtmlPageOptions {
  /** The CSP nonce of this page: fresh and random for each page (base64 or hex). */
  readonly nonce: string;
  readonly assets: HtmlAssets;
  /** Where an issue's subject is written (file:line), as the host shows it. */
  readonly locate?: (i: PreviewIssue) => IssueLocation | undefined;
  /** `pace 0.1.0`, shown in the footer. */
  readonly generator?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and (quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** JSON that is safe inside <script type="application/json">: no `<`, `>`, `&` or line separators left. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text that cannot end a <script> or <style> element it is inlined in (a library's source). */
function inlineText(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

const e = escapeHtml;
const dash = '–';
const pct = (x: number | null) => (x === null ? dash : formatPercent(x));
/** `2026-06-12 10:04 UTC`. */
const minute = (ms: number | null) => (ms === null ? dash : `${rfc3339(ms).slice(0, 16).replace('T', ' ')} UTC`);

function budgetCell(s: SloPreview): string {
  const b = s.errorBudget;
  if (b.remainingRatio === null || b.remainingSeconds === null) return `<td class="num">${dash}</td>`;
  const r = b.remainingRatio;
  const cls = r <= 0 ? 'bad' : r < 0.25 ? 'warn' : 'ok';
  const meter = `<meter min="0" max="1" low="0.25" high="0.5" optimum="1" value="${Number(Math.max(0, Math.min(1, r)).toFixed(4))}"></meter>`;
  return `<td class="num ${cls}">${meter} ${e(formatPercent(r))} <span class="sub">(${e(formatDuration(Math.round(b.remainingSeconds)))})</span></td>`;
}

const BURN_COLUMNS = ['5m', '1h', '6h', '3d'];

function burnCell(s: SloPreview, w: string): string {
  const v = s.burnRates[w] ?? null;
  return `<td class="num${v !== null && v >= 1 ? ' warn' : ''}">${v === null ? dash : v.toFixed(2)}</td>`;
}

function alertsCell(s: SloPreview): string {
  if (!s.alerts.length) return `<td>${s.note ? 'needs a live backend' : 'none'}</td>`;
  const pages = s.alerts.filter((a) => a.severity === 'page').length;
  const tickets = s.alerts.length - pages;
  const parts = [pages && `<span class="pill page">${pages} page${pages > 1 ? 's' : ''}</span>`, tickets && `<span class="pill ticket">${tickets} ticket${tickets > 1 ? 's' : ''}</span>`].filter(Boolean);
  return `<td>${parts.join(' ')}</td>`;
}

function sloTable(slos: readonly SloPreview[], descriptions: Map<string, string>): string {
  const head = ['SLO', 'objective', 'window', 'attainment', 'budget left', ...BURN_COLUMNS.map((w) => `burn ${w}`), 'alerts fired'];
  const rows = slos.map((s) => {
    const ok = s.attainment === null ? '' : s.attainment >= s.objective ? ' ok' : ' bad';
    const desc = descriptions.get(s.id);
    return [
      '<tr>',
      `<th scope="row"><a href="#${e(anchor(s.id))}">${e(s.name)}</a>${desc ? `<div class="desc">${e(desc)}</div>` : ''}</th>`,
      `<td class="num">${e(percentText(s.objective))}</td>`,
      `<td>${e(s.window.label)}</td>`,
      `<td class="num${ok}">${e(pct(s.attainment))}</td>`,
      budgetCell(s),
      ...BURN_COLUMNS.map((w) => burnCell(s, w)),
      alertsCell(s),
      '</tr>',
    ].join('');
  });
  return `<table class="slos"><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function firingsList(slos: readonly SloPreview[]): string {
  const items = slos.flatMap((s) =>
    s.alerts.map(
      (a) =>
        `<li><span class="pill ${a.severity}">${a.severity}</span> <strong>${e(s.name)}</strong> ${e(a.rule)}: fired ${e(minute(a.firedAt))}, ${a.resolvedAt === null ? 'still firing' : `resolved ${e(minute(a.resolvedAt))}`}</li>`,
    ),
  );
  return items.length ? `<ul class="firings">\n${items.join('\n')}\n</ul>` : '';
}

function slaTable(slas: readonly SlaPreview[]): string {
  const head = ['SLA', 'objective', 'period', 'attainment', 'status', 'credit owed'];
  const rows = slas.map((s) => {
    const cls = s.met === null ? '' : s.met ? ' ok' : ' bad';
    return `<tr><th scope="row">${e(s.name)}</th><td class="num">${e(percentText(s.objective))}</td><td>${e(s.window.period ?? s.window.label)}</td><td class="num${cls}">${e(pct(s.attainment))}</td><td class="${cls.trim()}">${s.met === null ? dash : s.met ? 'met' : 'missed'}</td><td>${s.creditOwed === null ? dash : e(s.tier ?? 'none')}</td></tr>`;
  });
  return `<table class="slas"><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function kpiValue(k: KpiPreview): string {
  if (k.value === null) return dash;
  if (k.target.unit === 'ratio') return formatPercent(k.value);
  if (k.target.unit === 'seconds') return formatDuration(k.value);
  return String(Number(k.value.toPrecision(6)));
}

function kpiTable(kpis: readonly KpiPreview[]): string {
  const head = ['KPI', 'objective', 'target', 'window', 'value', 'trend'];
  const rows = kpis.map((k) => {
    const cls = k.meetsTarget === null ? '' : k.meetsTarget ? ' ok' : ' bad';
    return `<tr><th scope="row"><a href="#${e(anchor(k.id))}">${e(k.name)}</a></th><td>${e(k.objective.replace(/^objective:/, ''))}</td><td>${e(k.targetText)}</td><td>${e(k.window.label)}</td><td class="num${cls}">${e(kpiValue(k))}</td><td class="wrap">${e(k.trend?.sentence ?? dash)}</td></tr>`;
  });
  return `<table class="kpis"><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** An element id for a model id: `slo:checkout.availability` → `slo-checkout.availability`. */
function anchor(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '-');
}

function figure(c: Chart, wide: boolean): string {
  return `<figure class="chart${wide ? ' wide' : ''}" data-chart="${e(c.id)}"><figcaption>${e(c.title)}</figcaption><div class="plot" role="img" aria-label="${e(c.title)}"></div></figure>`;
}

function sloCharts(s: SloPreview, charts: Map<string, Chart[]>): string {
  const own = charts.get(s.id) ?? [];
  const head = `<h3 id="${e(anchor(s.id))}">${e(s.name)} <span class="sub">${e(percentText(s.objective))} over ${e(s.window.label)}</span></h3>`;
  if (!own.length) return `<div class="slo-charts">${head}<p class="none">No charts: ${e(s.note ?? 'its SLI has no values in the sample data (see the notes).')}</p></div>`;
  const burn = own.filter((c) => c.kind === 'burn');
  const rest = own.filter((c) => c.kind !== 'burn');
  return `<div class="slo-charts">${head}\n<div class="grid">\n${[...burn.map((c) => figure(c, true)), ...rest.map((c) => figure(c, false))].join('\n')}\n</div></div>`;
}

function serviceSection(service: Service | undefined, id: string, slos: readonly SloPreview[], slas: readonly SlaPreview[], charts: Map<string, Chart[]>, descriptions: Map<string, string>): string {
  const name = id.replace(/^service:/, '');
  const title = service?.title ?? name;
  const facts = [
    service?.owner && `<span>owner <strong>${e(service.owner)}</strong></span>`,
    service?.tier && `<span>tier <strong>${e(service.tier)}</strong></span>`,
    ...Object.entries(service?.labels ?? {}).map(([k, v]) => `<span class="tag">${e(k)}=${e(v)}</span>`),
  ].filter(Boolean);
  const out = [
    `<section class="service" id="${e(anchor(id))}">`,
    `<h2>${e(title)} <code>${e(name)}</code></h2>`,
    service?.description ? `<p class="desc">${e(service.description)}</p>` : '',
    facts.length ? `<p class="facts">${facts.join(' ')}</p>` : '',
    slos.length ? sloTable(slos, descriptions) : '',
    firingsList(slos),
    slas.length ? slaTable(slas) : '',
    ...slos.map((s) => sloCharts(s, charts)),
    '</section>',
  ];
  return out.filter(Boolean).join('\n');
}

function summary(r: PreviewResult): string {
  const valued = r.slos.filter((s) => s.attainment !== null);
  const meeting = valued.filter((s) => (s.attainment as number) >= s.objective).length;
  const pages = r.slos.reduce((n, s) => n + s.alerts.filter((a) => a.severity === 'page').length, 0);
  const tickets = r.slos.reduce((n, s) => n + s.alerts.filter((a) => a.severity === 'ticket').length, 0);
  const slas = r.slas.filter((s) => s.met !== null);
  const kpis = r.kpis.filter((k) => k.meetsTarget !== null);
  const card = (label: string, value: string, cls: string) => `<div class="card ${cls}"><div class="value">${value}</div><div class="caption">${label}</div></div>`;
  return `<div class="cards">${[
    card('SLOs meeting their objective', `${meeting} / ${valued.length}`, meeting < valued.length ? 'bad' : 'ok'),
    card('alerts fired (backtest)', `${pages} <small>pages</small> ${tickets} <small>tickets</small>`, pages ? 'bad' : tickets ? 'warn' : 'ok'),
    card('SLAs met', `${slas.filter((s) => s.met).length} / ${slas.length}`, slas.some((s) => !s.met) ? 'bad' : 'ok'),
    card('KPIs on target', `${kpis.filter((k) => k.meetsTarget).length} / ${kpis.length}`, kpis.some((k) => !k.meetsTarget) ? 'warn' : 'ok'),
  ].join('')}</div>`;
}

function notes(r: PreviewResult, locate?: (i: PreviewIssue) => IssueLocation | undefined): string {
  if (!r.issues.length) return '';
  const items = r.issues.map((i) => {
    const where = locate?.(i);
    const at = where ? `${where.file}:${where.line}:${where.column}` : i.file ? `${i.file}${i.line ? `:${i.line}` : ''}` : '';
    return `<li class="${i.severity}"><span class="sev">${i.severity}</span> ${at ? `<code>${e(at)}</code> ` : ''}<code>${e(i.code)}</code> ${e(i.message)}</li>`;
  });
  return `<section id="notes"><h2>Notes</h2>\n<ul class="notes">\n${items.join('\n')}\n</ul></section>`;
}

/** The preview page (see the file's comment). Deterministic for a given nonce. */
export function previewHtml(model: NormalizedModel, result: PreviewResult, charts: PreviewCharts, opts: HtmlPageOptions): string {
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(opts.nonce)) throw new Error('previewHtml: the nonce must be at least 16 base64 characters');
  const nonce = opts.nonce;
  const services = new Map(model.services.map((s) => [s.id, s]));
  const descriptions = new Map<string, string>();
  for (const s of model.services) for (const slo of s.slos) if (slo.description) descriptions.set(slo.id, slo.description);
  const bySubject = new Map<string, Chart[]>();
  for (const c of charts.charts) (bySubject.get(c.subject) ?? bySubject.set(c.subject, []).get(c.subject))?.push(c);
  const byService = new Map<string, { slos: SloPreview[]; slas: SlaPreview[] }>();
  const group = (id: string) => byService.get(id) ?? byService.set(id, { slos: [], slas: [] }).get(id)!;
  for (const s of result.slos) group(s.service).slos.push(s);
  for (const s of result.slas) group(s.service).slas.push(s);
  const order = [...byService.keys()].sort((a, b) => a.localeCompare(b));
  const project = model.project ?? '';
  const span = result.dataStart === null || result.dataEnd === null ? 'no data' : `data from ${minute(result.dataStart)} to ${minute(result.dataEnd)}`;
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  const nav = order.map((id) => `<a href="#${e(anchor(id))}">${e(services.get(id)?.title ?? id.replace(/^service:/, ''))}</a>`);
  if (result.kpis.length) nav.push('<a href="#kpis">KPIs</a>');
  if (result.issues.length) nav.push(`<a href="#notes">Notes (${result.issues.length})</a>`);
  const kpiCharts = result.kpis.flatMap((k) => (bySubject.get(k.id) ?? []).map((c) => `<div class="kpi-chart" id="${e(anchor(k.id))}">${figure(c, false)}</div>`));
  // x as the first instant and the steps after it, in seconds (a 30-day chart's x shrinks from 14 to about 4 characters a point).
  const data = { at: result.at, charts: charts.charts.map(({ x, ...c }) => ({ ...c, x0: x[0] ?? 0, dx: x.slice(1).map((t, i) => (t - x[i]) / 1000) })) };
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${e(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(`Pace preview${project ? ` of ${project}` : ''} at ${rfc3339(result.at)}`)}</title>`,
    `<style nonce="${nonce}">${inlineText(opts.assets.style, 'style')}</style>`,
    `<style nonce="${nonce}">${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header class="top">',
    `<h1>SLO preview${project ? ` <span class="project">${e(project)}</span>` : ''}</h1>`,
    `<p class="meta">at <strong>${e(minute(result.at))}</strong> · ${e(span)} · alerts backtested every ${e(formatDuration(result.stepSeconds))}</p>`,
    summary(result),
    `<nav>${nav.join('')}</nav>`,
    '</header>',
    '<main>',
    ...order.map((id) => serviceSection(services.get(id), id, byService.get(id)!.slos, byService.get(id)!.slas, bySubject, descriptions)),
    result.kpis.length ? `<section id="kpis"><h2>KPIs</h2>\n${kpiTable(result.kpis)}\n<div class="grid">\n${kpiCharts.join('\n')}\n</div></section>` : '',
    notes(result, opts.locate),
    '</main>',
    `<footer>${e(opts.generator ?? 'pace')} · one self-contained file: it loads nothing from the network · charts drawn with uPlot (MIT)</footer>`,
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

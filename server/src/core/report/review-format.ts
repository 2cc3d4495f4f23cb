// The review's figures as the words and numbers both of its pages show (review-markdown.ts,
// review-html.ts), so that the Markdown and the HTML cannot say different things. Plain text:
// each renderer escapes for its own format.
import { formatDuration, formatPercent, percentText } from '../budget/budget.js';
import type { KpiPreview } from '../evaluate/preview.js';
import { minuteText } from './period.js';
import type { ReviewAlert, ReviewResult, SlaReview, SloReview, WorstHour } from './review.js';

export const DASH = '–';

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? DASH : formatPercent(x));
export const objectiveText = (x: number) => percentText(x);
/** `2026-10-21 14:04Z`. */
export const minute = (ms: number | null) => (ms === null ? DASH : minuteText(ms));
/** A duration rounded to the second (minutes are the backtest's precision). */
export const dur = (seconds: number | null) => (seconds === null ? DASH : formatDuration(Math.round(seconds)));
const shortName = (id: string) => id.replace(/^[a-z]+:/, '');
export const serviceName = (id: string) => id.replace(/^service:/, '');

export function periodLine(r: ReviewResult): string {
  const at = r.atReason === 'period-end' ? `the period's end (${new Date(r.at).toISOString()})` : `the data's last sample, ${minute(r.at)}`;
  return `Period ${r.period.label}: ${minute(r.period.from)} to ${minute(r.period.to)} (UTC). Figures at ${at}; data from ${minute(r.dataStart)} to ${minute(r.dataEnd)}; alerts backtested every ${formatDuration(r.preview.stepSeconds)}.`;
}

/** The summary's lines: SLAs breached, credits owed, SLOs out of budget, alerts, KPIs. */
export function summaryLines(r: ReviewResult): { label: string; value: string; text: string; status: 'ok' | 'warn' | 'bad' }[] {
  const s = r.summary;
  const byId = new Map(r.slas.map((x) => [x.preview.id, x]));
  const breached = s.slasBreached.map((id) => {
    const x = byId.get(id);
    return `${shortName(id)} (${pct(x?.preview.attainment)} < ${x ? objectiveText(x.preview.objective) : DASH})`;
  });
  const credits = s.creditsOwed.map((c) => `${shortName(c.sla)}: ${formatPercent(c.credit)} (${c.tier})`);
  const sloById = new Map(r.slos.map((x) => [x.preview.id, x]));
  const out = s.slosOutOfBudget.map((id) => `${shortName(id)} (${pct(sloById.get(id)?.budgetSpent)} spent)`);
  return [
    { label: 'SLAs breached', value: `${breached.length} / ${s.slasWithValue}`, text: s.slasWithValue ? (breached.length ? `${breached.length} of ${s.slasWithValue}: ${breached.join(', ')}` : `none of ${s.slasWithValue}`) : 'no SLA with a value', status: breached.length ? 'bad' : 'ok' },
    { label: 'Credits owed', value: credits.length ? s.creditsOwed.map((c) => formatPercent(c.credit)).join(' + ') : 'none', text: credits.length ? credits.join(', ') : 'none', status: credits.length ? 'bad' : 'ok' },
    { label: 'SLOs out of budget', value: `${out.length} / ${s.slosWithValue}`, text: out.length ? `${out.length} of ${s.slosWithValue}: ${out.join(', ')}` : `none of ${s.slosWithValue}`, status: out.length ? 'bad' : s.slosBelowObjective.length ? 'warn' : 'ok' },
    { label: 'Alerts fired', value: `${s.pages} pages, ${s.tickets} tickets`, text: `${s.pages} page${s.pages === 1 ? '' : 's'}, ${s.tickets} ticket${s.tickets === 1 ? '' : 's'}`, status: s.pages ? 'bad' : s.tickets ? 'warn' : 'ok' },
    { label: 'KPIs off target', value: `${s.kpisOffTarget.length} / ${s.kpisWithValue}`, text: s.kpisOffTarget.length ? `${s.kpisOffTarget.length} of ${s.kpisWithValue}: ${s.kpisOffTarget.map(shortName).join(', ')}` : `none of ${s.kpisWithValue}`, status: s.kpisOffTarget.length ? 'warn' : 'ok' },
  ];
}

export const SLA_HEAD = ['service', 'SLA', 'objective', 'period', 'attainment', 'status', 'credit owed'];

export function slaRow(x: SlaReview): string[] {
  const p = x.preview;
  const status = p.met === null ? (p.note ? 'needs a live backend' : DASH) : p.met ? 'met' : 'breached';
  const credit = p.creditOwed === null ? DASH : p.creditOwed > 0 ? `${formatPercent(p.creditOwed)} (${p.tier})` : 'none';
  return [serviceName(p.service), p.name, objectiveText(p.objective), p.window.period ?? `${p.window.label} to ${minute(x.at)}`, pct(p.attainment), status, credit];
}

export const SLO_HEAD = ['service', 'SLO', 'objective', 'window', 'attainment', 'budget spent', 'budget left', 'out of budget', 'alerts in period'];

export function sloRow(x: SloReview): string[] {
  const p = x.preview;
  const spent = x.budgetSpent === null ? DASH : `${formatPercent(x.budgetSpent)} (${dur(x.budgetSpentSeconds)})`;
  const left = p.errorBudget.remainingRatio === null ? DASH : `${formatPercent(p.errorBudget.remainingRatio)} (${dur(p.errorBudget.remainingSeconds)})`;
  const out = p.attainment === null ? DASH : x.outOfBudget ? 'yes' : 'no';
  return [serviceName(p.service), p.name, objectiveText(p.objective), p.window.period ? `${p.window.label} (${p.window.period})` : p.window.label, p.note ? 'needs a live backend' : pct(p.attainment), spent, left, out, alertCount(x.alerts)];
}

export function alertCount(alerts: readonly ReviewAlert[]): string {
  if (!alerts.length) return 'none';
  const pages = alerts.filter((a) => a.severity === 'page').length;
  const tickets = alerts.length - pages;
  return [pages && `${pages} page${pages > 1 ? 's' : ''}`, tickets && `${tickets} ticket${tickets > 1 ? 's' : ''}`].filter(Boolean).join(', ');
}

export const KPI_HEAD = ['objective', 'KPI', 'measure', 'target', 'window', 'value', 'status', 'trend'];

export function kpiValue(k: KpiPreview): string {
  if (k.value === null) return DASH;
  if (k.target.unit === 'ratio') return formatPercent(k.value);
  if (k.target.unit === 'seconds') return formatDuration(Math.abs(k.value) >= 60 ? Math.round(k.value) : k.value);
  return String(Number(k.value.toPrecision(6)));
}

export function kpiRow(k: KpiPreview): string[] {
  return [shortName(k.objective), k.name, k.measure, k.targetText, k.window.label, kpiValue(k), k.meetsTarget === null ? DASH : k.meetsTarget ? 'on target' : 'off target', k.trend?.sentence ?? DASH];
}

export const ALERT_HEAD = ['fired', 'resolved', 'duration', 'service', 'SLO', 'severity', 'rule'];

export function alertRow(a: ReviewAlert): string[] {
  return [minute(a.firedAt), a.open ? 'still firing' : minute(a.resolvedAt), a.open ? `${dur(a.durationSeconds)}+` : dur(a.durationSeconds), serviceName(a.service), a.sloName, a.severity, a.rule];
}

export const HOUR_HEAD = ['hour (UTC)', 'worst burn rate', 'SLO', 'its error ratio', 'its bad events', 'bad events, all SLOs', 'also burning'];

const burn = (x: number) => `${x >= 100 ? Math.round(x) : Number(x.toPrecision(3))}×`;
const count = (x: number) => String(Math.round(x));

export function hourRow(h: WorstHour): string[] {
  const top = h.slos[0];
  const others = h.slos.slice(1).filter((s) => s.burnRate >= 1);
  const also = others.slice(0, 3).map((s) => `${serviceName(s.service)}.${s.sloName} ${burn(s.burnRate)}`);
  if (others.length > 3) also.push(`${others.length - 3} more`);
  return [
    `${minute(h.start)} to ${minute(h.start + 3_600_000).slice(11)}`,
    burn(h.score),
    `${serviceName(top.service)}.${top.sloName}`,
    pct(top.errorRatio),
    top.bad === null ? 'time slices' : count(top.bad),
    count(h.bad),
    also.length ? also.join(', ') : DASH,
  ];
}

export function issueText(i: { severity: string; code: string; message: string; file?: string; line?: number }, where?: { file: string; line: number; column: number }): string {
  const at = where ? `${where.file}:${where.line}:${where.column}: ` : i.file ? `${i.file}${i.line ? `:${i.line}` : ''}: ` : '';
  return `${at}${i.severity} ${i.code}: ${i.message}`;
}

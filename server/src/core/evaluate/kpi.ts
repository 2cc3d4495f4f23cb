// KPI figures from sample data: the measure over its window at an instant, compared with the
// target, and a least-squares linear trend of the measure (sampled daily) with when it crosses the
// target and the fit's R².
//
// Measures, over the window [at − W, at] (calendar windows from the period's start):
// - ratio(a, b) = sum(increase(a[W])) / sum(increase(b[W])) (the increases of two counters);
// - sum(x) = sum(increase(x[W])) for a counter (a metric ending in `_total`), else the sum of every
//   sample in the window (sum_over_time, summed over the series);
// - avg, min, max, pNN(x) over every sample of every matching series in the window, pooled (for one
//   series: avg_over_time, min_over_time, max_over_time, quantile_over_time(0.NN)); a quantile is
//   interpolated between ranks as Prometheus' quantile_over_time does (rank φ·(n − 1)).
import { formatDuration, formatPercent } from '../budget/budget.js';
import type { Kpi, KpiTarget, Selector } from '../model/model.js';
import { isStaleNaN, sumIncreaseAt } from './reference.js';
import { selectSeries } from './select.js';
import type { DataIssue, Series } from './series.js';
import { windowAt, type WindowSpan } from './window.js';
import { lowerBound } from './fast.js';

const DAY_MS = 86_400_000;

export interface LinearTrend {
  /** Change of the measure per day. */
  readonly slopePerDay: number;
  /** The fitted value at `at`. */
  readonly valueAt: number;
  /** R² of the fit (null when the measure is constant). */
  readonly r2: number | null;
  /** How many daily points the fit used. */
  readonly points: number;
  /** When the fitted line crosses the target (Unix ms), null when it never does after `at`. */
  readonly crossesAt: number | null;
  /** "at the current trend, conversion crosses 3.5% on 2027-02-14 (R² 0.91)". */
  readonly sentence: string;
}

export interface KpiPreview {
  readonly id: string;
  readonly objective: string;
  readonly name: string;
  /** `ratio(a, b)`, `p90(x)`. */
  readonly measure: string;
  readonly window: WindowSpan;
  readonly target: KpiTarget;
  /** `>= 3.5%`. */
  readonly targetText: string;
  readonly value: number | null;
  readonly meetsTarget: boolean | null;
  readonly trend: LinearTrend | null;
}

/** A value in the KPI target's unit: 3.5%, 1h, 12000000. */
export function formatInUnit(value: number, unit: KpiTarget['unit']): string {
  if (unit === 'ratio') return formatPercent(value);
  if (unit === 'seconds') return formatDuration(value);
  return String(Number(value.toPrecision(6)));
}

export function compare(op: KpiTarget['op'], x: number, y: number): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      return x === y;
  }
}

/** Quantile φ of sorted values as Prometheus' quantile_over_time interpolates it. */
export function quantileSorted(sorted: ArrayLike<number>, phi: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = phi * (n - 1);
  const lo = Math.max(0, Math.floor(rank));
  const hi = Math.min(n - 1, lo + 1);
  const w = rank - Math.floor(rank);
  return sorted[lo] * (1 - w) + sorted[hi] * w;
}

/** Every sample value of the series with start ≤ t ≤ end (stale markers skipped). */
function samplesIn(series: readonly Series[], start: number, end: number): number[] {
  const out: number[] = [];
  for (const s of series) {
    for (let i = lowerBound(s.t, start); i < s.t.length && s.t[i] <= end; i++) if (!isStaleNaN(s.v[i])) out.push(s.v[i]);
  }
  return out;
}

const isCounter = (sel: Selector) => sel.metric !== undefined && sel.metric.endsWith('_total');

/** The measure of a KPI with series already selected per argument, over [at − rangeMs, at]. */
export function measureAt(fn: string, args: readonly (readonly Series[])[], argSelectors: readonly Selector[], at: number, rangeMs: number): number | undefined {
  if (!(rangeMs > 0)) return undefined;
  if (fn === 'ratio') {
    const a = sumIncreaseAt(args[0] ?? [], at, rangeMs);
    const b = sumIncreaseAt(args[1] ?? [], at, rangeMs);
    return a === undefined || b === undefined ? undefined : a / b;
  }
  const series = args[0] ?? [];
  if (fn === 'sum' && argSelectors[0] && isCounter(argSelectors[0])) return sumIncreaseAt(series, at, rangeMs);
  const xs = samplesIn(series, at - rangeMs, at);
  if (xs.length === 0) return undefined;
  switch (fn) {
    case 'sum':
      return xs.reduce((s, x) => s + x, 0);
    case 'avg':
      return xs.reduce((s, x) => s + x, 0) / xs.length;
    case 'min':
      return xs.reduce((m, x) => (x < m ? x : m), Infinity);
    case 'max':
      return xs.reduce((m, x) => (x > m ? x : m), -Infinity);
  }
  const p = /^p(\d\d)$/.exec(fn);
  if (p) return quantileSorted(Float64Array.from(xs).sort(), Number(p[1]) / 100);
  return undefined;
}

/** Least squares y = a + b·x; R² = 1 − SSres/SStot (null when y is constant). */
export function linearFit(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number; r2: number | null } | undefined {
  const n = xs.length;
  if (n < 2) return undefined;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) ssRes += (ys[i] - (intercept + slope * xs[i])) ** 2;
  return { intercept, slope, r2: syy === 0 ? null : 1 - ssRes / syy };
}

const MIN_TREND_POINTS = 3;
/** A crossing further out than this (ten years) is not a projection worth a date. */
const MAX_PROJECTION_DAYS = 3650;

/** The daily samples of a measure ending at `at` (at, at − 1d, …, while a day of data precedes them), oldest first. */
function dailyPoints(measure: (t: number) => number | undefined, at: number, dataStart: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let t = at; t >= dataStart + DAY_MS; t -= DAY_MS) {
    const v = measure(t);
    if (v === undefined || !Number.isFinite(v)) continue;
    x.push((t - at) / DAY_MS);
    y.push(v);
  }
  return { x: x.reverse(), y: y.reverse() };
}

export function previewKpi(kpi: Kpi, data: readonly Series[], at: number, span: { start: number; end: number } | null, issues: (DataIssue & { subject?: string })[]): KpiPreview {
  const w = windowAt(kpi.window, at);
  const measureText = `${kpi.measure.fn}(${kpi.measure.args.map((a) => a.text).join(', ')})`;
  const targetText = `${kpi.target.op} ${formatInUnit(kpi.target.value, kpi.target.unit)}`;
  const base = { id: kpi.id, objective: kpi.objective, name: kpi.name, measure: measureText, window: w, target: kpi.target, targetText };
  const selected: Series[][] = [];
  let missing = false;
  for (const sel of kpi.measure.args) {
    const got = selectSeries(data, sel);
    if (got.error) issues.push({ severity: 'error', code: 'data/invalid-selector', message: `${kpi.id}: ${sel.text}: ${got.error}.`, series: sel.text, subject: kpi.id });
    else if (got.series.length === 0) issues.push({ severity: 'warning', code: 'data/no-series', message: `${kpi.id}: no series in the sample data match ${sel.text}: the KPI has no value.`, series: sel.text, subject: kpi.id });
    if (got.series.length === 0) missing = true;
    selected.push(got.series);
  }
  if (missing || !span) return { ...base, value: null, meetsTarget: null, trend: null };
  const rangeAt = (t: number) => {
    const wt = windowAt(kpi.window, t);
    return t - wt.start;
  };
  const measure = (t: number) => measureAt(kpi.measure.fn, selected, kpi.measure.args, t, rangeAt(t));
  const raw = measure(at);
  const value = raw !== undefined && Number.isFinite(raw) ? raw : null;
  if (value === null) issues.push({ severity: 'warning', code: 'preview/no-value', message: `${kpi.id}: ${measureText} has no value over its ${w.label} window at ${new Date(at).toISOString()}.`, subject: kpi.id });
  const pts = dailyPoints(measure, at, span.start);
  let trend: LinearTrend | null = null;
  const fit = pts.x.length >= MIN_TREND_POINTS ? linearFit(pts.x, pts.y) : undefined;
  if (!fit) {
    issues.push({ severity: 'info', code: 'preview/short-trend', message: `${kpi.id}: ${pts.x.length} daily value(s) of ${measureText}: a trend needs at least ${MIN_TREND_POINTS} days with a value.`, subject: kpi.id });
  } else {
    const target = kpi.target.value;
    const dayOfCrossing = fit.slope !== 0 ? (target - fit.intercept) / fit.slope : NaN;
    const crossesAt = Number.isFinite(dayOfCrossing) && dayOfCrossing > 0 && dayOfCrossing <= MAX_PROJECTION_DAYS ? Math.round(at + dayOfCrossing * DAY_MS) : null;
    const r2 = fit.r2 === null ? null : fit.r2;
    const quality = r2 === null ? 'constant' : `R² ${r2.toFixed(2)}`;
    const shown = formatInUnit(target, kpi.target.unit);
    const sentence =
      crossesAt !== null
        ? `at the current trend, ${kpi.name} crosses ${shown} on ${new Date(crossesAt).toISOString().slice(0, 10)} (${quality})`
        : `at the current trend, ${kpi.name} does not cross ${shown}${dayOfCrossing > MAX_PROJECTION_DAYS ? ' within ten years' : ''} (${fit.slope === 0 ? 'flat' : fit.slope > 0 ? 'rising' : 'falling'}, ${quality})`;
    trend = { slopePerDay: fit.slope, valueAt: fit.intercept, r2, points: pts.x.length, crossesAt, sentence };
  }
  return { ...base, value, meetsTarget: value === null ? null : compare(kpi.target.op, value, kpi.target.value), trend };
}

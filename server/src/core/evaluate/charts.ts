// The series the preview's charts draw (the HTML page of `pace preview --format html`, later the
// editor's preview), from the model, the sample data and a preview result. Pure, JSON-ready.
//
// Per SLO with an SLI evaluated from the data:
// - budget: the error budget of the window at `at`, burnt down from the window's start to `at`:
//   remaining(t) = 1 − bad(start, t) / (budget × total(start, at)), where bad(start, t) is
//   sum(increase(bad[t − start])) at t (for good/total SLIs: total − good; for time-slice SLIs the
//   bad slices among the counted ones, and total the counted slices). It spends the events
//   budget the window ends with, so it falls when errors happen and ends at exactly the preview's
//   `errorBudget.remainingRatio`.
// - burn: the burn rate (error ratio / budget) over each window of the SLO's rules, on the backtest
//   grid over the whole data, with each rule's factor as a threshold and each firing of the
//   backtest (fired → resolved, or → the data's end while still firing) as a span. An SLO without
//   rules shows its 1h burn rate against 1 (the budget-neutral rate).
// - sli: the attainment (1 − error ratio) over 1h windows (2h or 6h when 1h holds fewer than four
//   samples of the SLI's data), with the objective as a threshold. 1h, not 5m: over a month a 5m
//   attainment is a band of noise at any chart width, while an incident of minutes still shows.
// Per KPI with a value: its measure sampled daily over its window (the points its trend fit uses)
// and the fitted line, drawn on to where it crosses the target (or, without a crossing, a quarter
// of the data's span past `at`); the target as a threshold.
//
// Downsampling: a series of n > maxPoints grid values is cut into maxPoints/2 buckets of
// consecutive steps; each bucket becomes two points, at its first and last step, holding each
// series' minimum and maximum in the order they occur. Every spike and dip survives (the envelope
// is exact), the series stay aligned on one x axis (uPlot's data shape), and a point moves by at
// most one bucket (1/500 of the chart at the default 1,000 points). Values keep the significant
// digits a reader can see (DIGITS): 30 days of 1-minute data are 43,200 steps; the page stays small.
import { formatDuration, percentText } from '../budget/budget.js';
import type { Kpi, NormalizedModel, Sli, Slo } from '../model/model.js';
import { type GridValues, lowerBound, slicesGrid, type StepGrid } from './fast.js';
import { measureAt } from './kpi.js';
import { BURN_WINDOWS_SECONDS, CURRENT_BURN_WINDOW_SECONDS, type PreviewResult, type SloPreview } from './preview.js';
import { isStaleNaN } from './reference.js';
import { selectSeries } from './select.js';
import { errorRatioGrid, resolveSli, type ResolvedSli } from './sli.js';
import type { SampleData, Series } from './series.js';
import { windowAt } from './window.js';

/** Per line: 500 min/max buckets, finer than a chart's pixels at the page's widths. */
export const DEFAULT_MAX_POINTS = 1000;
const DAY_MS = 86_400_000;

export type ChartKind = 'budget' | 'burn' | 'sli' | 'kpi';
/** How the values read: a ratio (shown as %), a burn rate (×), seconds, or a plain number. */
export type ChartUnit = 'ratio' | 'burn' | 'seconds' | 'number';

export interface ChartLine {
  readonly label: string;
  /** One value per x; null where there is no value (a gap). */
  readonly values: readonly (number | null)[];
  /** `projection`: a fitted line, drawn dashed. */
  readonly style?: 'line' | 'projection';
  /** Drawn at first (the others can be switched on in the legend). */
  readonly shown?: boolean;
}

export interface ChartThreshold {
  /** With its value: `page when > 14.4×`, `objective 99.9%`. */
  readonly label: string;
  readonly value: number;
  readonly severity?: 'page' | 'ticket';
}

export interface ChartSpan {
  readonly label: string;
  readonly severity: 'page' | 'ticket';
  /** Unix ms. */
  readonly from: number;
  readonly to: number;
  /** Still firing at the data's end. */
  readonly open: boolean;
}

export interface ChartMarker {
  readonly label: string;
  /** Unix ms. */
  readonly at: number;
}

export interface Chart {
  /** `slo:checkout.availability#budget`: unique on a page. */
  readonly id: string;
  readonly kind: ChartKind;
  /** The model id the chart is about (`slo:…`, `kpi:…`). */
  readonly subject: string;
  readonly title: string;
  readonly unit: ChartUnit;
  /** Unix ms, increasing. */
  readonly x: readonly number[];
  readonly lines: readonly ChartLine[];
  readonly thresholds: readonly ChartThreshold[];
  readonly spans: readonly ChartSpan[];
  readonly markers: readonly ChartMarker[];
  /** How many points each line had before downsampling. */
  readonly sourcePoints: number;
}

export interface PreviewCharts {
  readonly at: number;
  readonly maxPoints: number;
  /** In the preview's order: per SLO burn, budget, sli; then the KPIs. */
  readonly charts: readonly Chart[];
}

export interface ChartOptions {
  /** Most points per line (default 1,000; at least 4). */
  readonly maxPoints?: number;
}

const round = (x: number, digits = 6) => Number(x.toPrecision(digits));
/** Significant digits kept: a burn rate reads to 3 (14.4×), the budget left to 4 (38.74%), attainments and KPIs to 6 (99.9123%). */
const DIGITS: Record<ChartKind, number> = { burn: 3, budget: 4, sli: 6, kpi: 6 };

interface Column {
  readonly v: ArrayLike<number>;
  readonly present: ArrayLike<number>;
}

/**
 * Min/max decimation of aligned columns to at most `maxPoints` points (see the file's comment).
 * Non-finite values count as absent.
 */
export function downsample(x: ArrayLike<number>, columns: readonly Column[], maxPoints: number, digits = 6): { x: number[]; values: (number | null)[][] } {
  const n = x.length;
  const ok = (c: Column, i: number) => c.present[i] === 1 && Number.isFinite(c.v[i]);
  if (n <= maxPoints) {
    return { x: Array.from(x), values: columns.map((c) => Array.from({ length: n }, (_, i) => (ok(c, i) ? round(c.v[i], digits) : null))) };
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = Math.ceil(n / buckets);
  const outX: number[] = [];
  const out: (number | null)[][] = columns.map(() => []);
  for (let a = 0; a < n; a += size) {
    const b = Math.min(n, a + size) - 1;
    outX.push(x[a]);
    if (b > a) outX.push(x[b]);
    columns.forEach((c, j) => {
      let lo = -1;
      let hi = -1;
      for (let i = a; i <= b; i++) {
        if (!ok(c, i)) continue;
        if (lo < 0 || c.v[i] < c.v[lo]) lo = i;
        if (hi < 0 || c.v[i] > c.v[hi]) hi = i;
      }
      const first = lo < 0 ? null : round(c.v[Math.min(lo, hi)], digits);
      const second = lo < 0 ? null : round(c.v[Math.max(lo, hi)], digits);
      out[j].push(first);
      if (b > a) out[j].push(second);
    });
  }
  return { x: outX, values: out };
}

/**
 * `sum(increase(series[t − start]))` at each instant t of `times` (increasing, all ≥ start): the
 * increase over [start, t] as Prometheus 2.42 extrapolates it (reference.ts `extrapolatedRate`),
 * computed in one pass per series. `present` is 0 where no series has two samples yet.
 */
export function increaseSince(series: readonly Series[], start: number, times: ArrayLike<number>): Column & { v: Float64Array; present: Uint8Array } {
  const v = new Float64Array(times.length);
  const present = new Uint8Array(times.length);
  for (const s of series) {
    let i = lowerBound(s.t, start);
    let count = 0;
    let t0 = 0;
    let v0 = 0;
    let tl = 0;
    let vl = 0;
    let resets = 0;
    for (let k = 0; k < times.length; k++) {
      const ts = times[k];
      for (; i < s.t.length && s.t[i] <= ts; i++) {
        const x = s.v[i];
        if (x !== x && isStaleNaN(x)) continue;
        if (count === 0) {
          t0 = s.t[i];
          v0 = x;
        } else if (x < vl) resets += vl;
        tl = s.t[i];
        vl = x;
        count++;
      }
      if (count < 2) continue;
      const result = vl - v0 + resets;
      let durationToStart = (t0 - start) / 1000;
      const durationToEnd = (ts - tl) / 1000;
      const sampledInterval = (tl - t0) / 1000;
      const averageDurationBetweenSamples = sampledInterval / (count - 1);
      if (result > 0 && v0 >= 0) {
        const durationToZero = sampledInterval * (v0 / result);
        if (durationToZero < durationToStart) durationToStart = durationToZero;
      }
      const threshold = averageDurationBetweenSamples * 1.1;
      let interval = sampledInterval;
      interval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
      interval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
      const value = result * (interval / sampledInterval);
      v[k] = present[k] ? v[k] + value : value;
      present[k] = 1;
    }
  }
  return { v, present };
}

/** Grid instants from `from` to `to` (multiples of the step), and `to` itself when it is not one. */
function instants(grid: StepGrid, from: number, to: number): Float64Array {
  const first = Math.max(grid.start, Math.ceil(from / grid.step) * grid.step);
  const last = Math.min(grid.end, to);
  const out: number[] = [];
  for (let t = first; t <= last; t += grid.step) out.push(t);
  if (to >= first && (out.length === 0 || out[out.length - 1] < to)) out.push(to);
  return Float64Array.from(out);
}

/**
 * Bad and all events over [start, t] at each instant of `times`: increases of the SLI's counters,
 * or, for a time-slice SLI, its bad and counted slices (each slice instant classified once, as
 * slicesGrid does, then counted up to t).
 */
function eventsSince(r: ResolvedSli, start: number, times: Float64Array): { bad: Column; total: Column } {
  if (r.timeslice) {
    const { gauge, op, value, sliceMs } = r.timeslice;
    const first = Math.ceil(start / sliceMs) * sliceMs;
    const last = times[times.length - 1];
    const slices = last < first ? null : slicesGrid(gauge, 0, sliceMs, op, value, { start: first, end: last, step: sliceMs });
    const bad = new Float64Array(times.length);
    const total = new Float64Array(times.length);
    const present = new Uint8Array(times.length);
    let j = 0;
    let b = 0;
    let n = 0;
    for (let k = 0; k < times.length; k++) {
      for (; slices && j < slices.t.length && slices.t[j] <= times[k]; j++) {
        n += slices.total[j];
        b += slices.total[j] - slices.good[j];
      }
      bad[k] = b;
      total[k] = n;
      present[k] = n > 0 ? 1 : 0;
    }
    return { bad: { v: bad, present }, total: { v: total, present } };
  }
  const num = increaseSince(r.numerator, start, times);
  const den = increaseSince(r.denominator, start, times);
  if (r.mode === 'bad') return { bad: num, total: den };
  const bad = new Float64Array(times.length);
  const present = new Uint8Array(times.length);
  for (let k = 0; k < times.length; k++) {
    if (!num.present[k] || !den.present[k]) continue;
    bad[k] = den.v[k] - num.v[k];
    present[k] = 1;
  }
  return { bad: { v: bad, present }, total: den };
}

function budgetChart(slo: Slo, p: SloPreview, r: ResolvedSli, grid: StepGrid, at: number, maxPoints: number): Chart | undefined {
  const w = p.window;
  const t = instants(grid, w.start, at);
  if (t.length === 0) return undefined;
  const { bad, total } = eventsSince(r, w.start, t);
  const last = t.length - 1;
  const budget = slo.errorBudget.ratio;
  const remaining = new Float64Array(t.length);
  const present = new Uint8Array(t.length);
  if (total.present[last] && total.v[last] > 0) {
    const allowed = budget * total.v[last];
    for (let k = 0; k < t.length; k++) {
      if (!bad.present[k]) continue;
      remaining[k] = 1 - bad.v[k] / allowed;
      present[k] = 1;
    }
  }
  const d = downsample(t, [{ v: remaining, present }], maxPoints, DIGITS.budget);
  const label = w.period ? `${w.period} so far` : `${w.label} window`;
  return {
    id: `${slo.id}#budget`,
    kind: 'budget',
    subject: slo.id,
    title: `Error budget remaining (${label})`,
    unit: 'ratio',
    x: d.x,
    lines: [{ label: 'budget remaining', values: d.values[0] }],
    thresholds: [{ label: 'budget spent', value: 0 }],
    spans: [],
    markers: [],
    sourcePoints: t.length,
  };
}

function alertSpans(p: SloPreview, end: number): ChartSpan[] {
  return p.alerts.map((a) => ({ label: `${a.severity}: ${a.rule}`, severity: a.severity, from: a.firedAt, to: a.resolvedAt ?? end, open: a.resolvedAt === null }));
}

function burnChart(slo: Slo, p: SloPreview, r: ResolvedSli, grid: StepGrid, maxPoints: number): Chart {
  const rules = slo.alerting?.rules ?? [];
  const budget = slo.errorBudget.ratio;
  const longs = new Set(rules.map((x) => x.longWindowSeconds));
  const windows = rules.length ? [...new Set(rules.flatMap((x) => [x.longWindowSeconds, x.shortWindowSeconds]))].sort((a, b) => a - b) : [CURRENT_BURN_WINDOW_SECONDS];
  const cols: GridValues[] = windows.map((s) => {
    const e = errorRatioGrid(r, s * 1000, grid);
    const v = new Float64Array(e.v.length);
    for (let k = 0; k < v.length; k++) v[k] = e.v[k] / budget;
    return { t: e.t, v, present: e.present };
  });
  const t = cols[0].t;
  const d = downsample(t, cols, maxPoints, DIGITS.burn);
  const thresholds: ChartThreshold[] = rules.length
    ? [...new Map(rules.map((x) => [`${x.severity} ${x.factor}`, { label: `${x.severity} when > ${x.factor}×`, value: x.factor, severity: x.severity }])).values()]
    : [{ label: 'budget-neutral (1×)', value: 1 }];
  return {
    id: `${slo.id}#burn`,
    kind: 'burn',
    subject: slo.id,
    title: rules.length ? 'Burn rate over the alert windows, with the alerts the backtest fired' : 'Burn rate over 1h (no alerting rules)',
    unit: 'burn',
    x: d.x,
    lines: windows.map((s, j) => ({ label: `burn ${formatDuration(s)}`, values: d.values[j], shown: !rules.length || longs.has(s) })),
    thresholds,
    spans: alertSpans(p, grid.end),
    markers: [],
    sourcePoints: t.length,
  };
}

/** The median spacing of the SLI's first series with samples (ms; for a time-slice SLI at least a slice), or undefined. */
function sampleInterval(r: ResolvedSli): number | undefined {
  const s = (r.timeslice ? r.timeslice.gauge : r.denominator).find((x) => x.t.length >= 2);
  if (r.timeslice) return Math.max(r.timeslice.sliceMs, s ? medianGap(s) : 0);
  return s && medianGap(s);
}

function medianGap(s: Series): number {
  const gaps = Float64Array.from({ length: Math.min(s.t.length - 1, 1000) }, (_, i) => s.t[i + 1] - s.t[i]).sort();
  return gaps[gaps.length >> 1];
}

/** 1h, or the shortest of the standard burn windows up to 6h that holds four samples. */
export function sliWindowSeconds(r: ResolvedSli): number {
  const interval = (sampleInterval(r) ?? 60_000) / 1000;
  const candidates = BURN_WINDOWS_SECONDS.filter((s) => s >= CURRENT_BURN_WINDOW_SECONDS && s <= 21_600);
  return candidates.find((s) => s >= 4 * interval) ?? candidates[candidates.length - 1];
}

function sliChart(slo: Slo, sli: Sli | undefined, r: ResolvedSli, grid: StepGrid, maxPoints: number): Chart {
  const seconds = sliWindowSeconds(r);
  const e = errorRatioGrid(r, seconds * 1000, grid);
  const v = new Float64Array(e.v.length);
  for (let k = 0; k < v.length; k++) v[k] = 1 - e.v[k];
  const d = downsample(e.t, [{ v, present: e.present }], maxPoints, DIGITS.sli);
  const what = sli?.kind === 'latency' ? `requests under ${formatDuration(sli.underSeconds)}` : sli?.kind === 'timeslice' ? `good ${formatDuration(sli.sliceSeconds)} slices` : 'good events';
  return {
    id: `${slo.id}#sli`,
    kind: 'sli',
    subject: slo.id,
    title: `SLI: ${what} over ${formatDuration(seconds)} windows`,
    unit: 'ratio',
    x: d.x,
    lines: [{ label: `attainment ${formatDuration(seconds)}`, values: d.values[0] }],
    thresholds: [{ label: `objective ${percentText(slo.objective)}`, value: slo.objective }],
    spans: [],
    markers: [],
    sourcePoints: e.t.length,
  };
}

function kpiChart(kpi: Kpi, data: SampleData, result: PreviewResult): Chart | undefined {
  const p = result.kpis.find((k) => k.id === kpi.id);
  if (!p || result.dataStart === null || result.dataEnd === null) return undefined;
  const selected = kpi.measure.args.map((sel) => selectSeries(data.series, sel).series);
  if (selected.some((s) => s.length === 0)) return undefined;
  const at = result.at;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = at; t >= result.dataStart + DAY_MS; t -= DAY_MS) {
    const v = measureAt(kpi.measure.fn, selected, kpi.measure.args, t, t - windowAt(kpi.window, t).start);
    if (v === undefined || !Number.isFinite(v)) continue;
    xs.push(t);
    ys.push(v);
  }
  xs.reverse();
  ys.reverse();
  if (xs.length === 0) return undefined;
  const trend = p.trend;
  const span = Math.max(DAY_MS, result.dataEnd - result.dataStart);
  const x = [...xs];
  const measure: (number | null)[] = ys.map((y) => round(y, DIGITS.kpi));
  const markers: ChartMarker[] = [];
  const lines: ChartLine[] = [{ label: p.name, values: measure }];
  if (trend) {
    // The fitted line: valueAt at `at`, slopePerDay per day; drawn to the crossing when it is near enough to read.
    const horizon = at + span / 4;
    const end = trend.crossesAt !== null && trend.crossesAt <= at + 4 * span ? trend.crossesAt : horizon;
    if (end > x[x.length - 1]) {
      x.push(end);
      measure.push(null);
    }
    lines.push({ label: 'linear trend', style: 'projection', values: x.map((t) => round(trend.valueAt + (trend.slopePerDay * (t - at)) / DAY_MS, DIGITS.kpi)) });
    if (trend.crossesAt !== null) markers.push({ label: `crosses ${new Date(trend.crossesAt).toISOString().slice(0, 10)}`, at: trend.crossesAt });
  }
  const unit = kpi.target.unit === 'ratio' ? 'ratio' : kpi.target.unit === 'seconds' ? 'seconds' : 'number';
  return {
    id: `${kpi.id}#kpi`,
    kind: 'kpi',
    subject: kpi.id,
    title: `${p.name}: ${p.measure} over ${p.window.label}, daily`,
    unit,
    x,
    lines,
    thresholds: [{ label: `target ${p.targetText.replace('>=', '≥').replace('<=', '≤')}`, value: kpi.target.value }],
    spans: [],
    markers,
    sourcePoints: xs.length,
  };
}

/** The charts of a preview (see the file's comment); SLOs without values get none. */
export function previewCharts(model: NormalizedModel, data: SampleData, result: PreviewResult, opts: ChartOptions = {}): PreviewCharts {
  const maxPoints = Math.max(4, Math.floor(opts.maxPoints ?? DEFAULT_MAX_POINTS));
  const charts: Chart[] = [];
  const slis = new Map<string, Sli>();
  const slos = new Map<string, Slo>();
  for (const s of model.services) {
    for (const sli of s.slis) slis.set(sli.id, sli);
    for (const slo of s.slos) slos.set(slo.id, slo);
  }
  const resolved = new Map<string, ResolvedSli | undefined>();
  const step = result.stepSeconds * 1000;
  const grid: StepGrid | null =
    result.dataStart === null || result.dataEnd === null ? null : { start: Math.ceil(result.dataStart / step) * step, end: Math.floor(result.dataEnd / step) * step, step };
  for (const p of result.slos) {
    const slo = slos.get(p.id);
    const sli = slis.get(p.sli);
    if (!slo || !sli || !grid || grid.end < grid.start || p.note) continue;
    if (!resolved.has(sli.id)) resolved.set(sli.id, resolveSli(sli, data.series).resolved);
    const r = resolved.get(sli.id);
    if (!r || (r.timeslice ? r.timeslice.gauge.length === 0 : r.denominator.length === 0 || r.numerator.length === 0)) continue;
    charts.push(burnChart(slo, p, r, grid, maxPoints));
    const b = budgetChart(slo, p, r, grid, result.at, maxPoints);
    if (b) charts.push(b);
    charts.push(sliChart(slo, sli, r, grid, maxPoints));
  }
  for (const o of model.objectives) {
    for (const k of o.kpis) {
      const c = kpiChart(k as Kpi, data, result);
      if (c) charts.push(c);
    }
  }
  return { at: result.at, maxPoints, charts };
}

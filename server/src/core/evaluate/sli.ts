// SLI error ratios from sample data, as the PromQL Pace generates computes them in Prometheus:
//   ratio, good/total:  1 - sum(increase(good[W])) / sum(increase(total[W]))
//   ratio, bad/total:   sum(increase(bad[W])) / sum(increase(total[W]))
//   latency:            1 - sum(increase(h_bucket{…, le="<under>"}[W])) / sum(increase(h_count{…}[W]))
//   timeslice:          1 - avg_over_time((min(gauge{…} <op> bool <value>))[W:<slice>])
// A time slice is good when every series of the gauge with a value at the slice's instant (an
// instant selection: the latest sample within the 5 m lookback) satisfies `good_when`, bad when
// one does not (a NaN never does), and does not count when no series has a value; the slices are
// the subquery's steps, multiples of the slice length from the Unix epoch in [T − W, T] (both ends
// included in Prometheus 2.x: 61 slices of 1 m in an hour ending on a whole minute). The value is
// compared in the model's units (seconds, ratios), so a gauge in seconds compares with seconds.
// `timesliceErrorExpression` writes it; reference.ts `slicesAt` and fast.ts `slicesGrid` compute it.
// `resolveSli` selects the series once (and reports what is missing as DataIssues); then
// `errorRatioAt` (reference, one instant) and `errorRatioGrid` (fast, every step of a grid) give
// the same numbers. The latency bucket is the one whose `le` label is the threshold spelt as
// Prometheus' Go clients spell it (`formatLe`): never interpolated between buckets.
import { formatLe, latencyErrorExpression, promqlDuration, ratioErrorExpression, selectorText, sliceMsOf, timesliceErrorExpression } from '../model/error-ratio.js';
import type { LatencySli, RatioSli, Selector, Sli, TimesliceSli } from '../model/model.js';
import { accumulateIncrease, accumulateIncreaseSteps, addGrid, addStepValues, ratioCandidates, emptyGrid, emptyStepValues, gridSize, type GridValues, gridTimesShared as emptyTimes, slicesGrid, type StepGrid, type StepValues } from './fast.js';
import { type ComparisonOp, type SliceCounts, slicesAt, sumIncreaseAt } from './reference.js';
import { labelValue, selectSeries, type SelectorLike } from './select.js';
import type { DataIssue, Series } from './series.js';

// The PromQL texts live in core/model/error-ratio.ts (shared with the generators and hover).
export { formatLe, promqlDuration, promqlNumber, timesliceErrorExpression } from '../model/error-ratio.js';

/** The series an SLI reads, selected once; numerator over denominator with how to turn it into an error ratio. */
export interface ResolvedSli {
  readonly sli: string;
  /** `good` (1 − num/den: good, or latency buckets) or `bad` (num/den). */
  readonly mode: 'good' | 'bad';
  readonly numerator: readonly Series[];
  readonly denominator: readonly Series[];
  /** The PromQL of the error ratio with `$window` for the window (what Prometheus would be asked). */
  readonly expression: string;
  /**
   * Time-slice SLIs only: the gauge's series and the condition of a good slice (numerator and
   * denominator are then empty: there are no counters to increase).
   */
  readonly timeslice?: TimesliceSpec;
}

/** What a time-slice SLI evaluates: slices of `sliceMs` in which every series of `gauge` satisfies `op value`. */
export interface TimesliceSpec {
  readonly gauge: readonly Series[];
  readonly op: ComparisonOp;
  /** In the model's units (seconds, ratios): what the gauge is compared with. */
  readonly value: number;
  readonly sliceMs: number;
}

export interface SliResolution {
  readonly resolved?: ResolvedSli;
  readonly issues: DataIssue[];
}

function selectFor(sliId: string, data: readonly Series[], sel: SelectorLike, what: string, issues: DataIssue[]): Series[] {
  const got = selectSeries(data, sel);
  const text = selectorText(sel.metric, sel.matchers);
  if (got.error) issues.push({ severity: 'error', code: 'data/invalid-selector', message: `${sliId}: ${what} ${text}: ${got.error}.`, series: text });
  else if (got.series.length === 0) issues.push({ severity: 'warning', code: 'data/no-series', message: `${sliId}: no series in the sample data match ${what} ${text}: its error ratio has no value.`, series: text });
  return got.series;
}

function resolveRatio(sli: RatioSli, data: readonly Series[], issues: DataIssue[]): ResolvedSli | undefined {
  const num: Selector | undefined = sli.bad ?? sli.good;
  if (!num) return undefined;
  const mode = sli.bad ? 'bad' : 'good';
  const numerator = selectFor(sli.id, data, num, mode, issues);
  const denominator = selectFor(sli.id, data, sli.total, 'total', issues);
  const expression = ratioErrorExpression(sli)!;
  return { sli: sli.id, mode, numerator, denominator, expression };
}

function resolveLatency(sli: LatencySli, data: readonly Series[], issues: DataIssue[]): ResolvedSli | undefined {
  const base = sli.histogram.metric;
  if (base === undefined) {
    issues.push({ severity: 'error', code: 'data/invalid-selector', message: `${sli.id}: the histogram selector ${sli.histogram.text} names no metric, so its _bucket and _count series cannot be found.` });
    return undefined;
  }
  const matchers = sli.histogram.matchers.filter((m) => m.label !== 'le');
  const le = formatLe(sli.underSeconds);
  const bucketSel = { metric: `${base}_bucket`, matchers: [...matchers, { label: 'le', op: '=' as const, value: le }] };
  const countSel = { metric: `${base}_count`, matchers };
  const anyBucket = selectSeries(data, { metric: `${base}_bucket`, matchers });
  const numerator = selectSeries(data, bucketSel).series;
  const bucketText = selectorText(bucketSel.metric, bucketSel.matchers);
  if (anyBucket.error) {
    issues.push({ severity: 'error', code: 'data/invalid-selector', message: `${sli.id}: ${bucketText}: ${anyBucket.error}.`, series: bucketText });
    return undefined;
  }
  if (numerator.length === 0) {
    const les = [...new Set(anyBucket.series.map((s) => labelValue(s, 'le')))].sort((x, y) => Number(x) - Number(y));
    const sameNumber = les.filter((l) => Number(l) === sli.underSeconds);
    const hint =
      anyBucket.series.length === 0
        ? `no ${base}_bucket series match ${selectorText(`${base}_bucket`, matchers)}`
        : sameNumber.length
          ? `the data has le="${sameNumber[0]}", which PromQL does not match with le="${le}" (Prometheus 2 compares label values as text)`
          : `its buckets are le=${les.map((l) => `"${l}"`).join(', ')}; a latency threshold must be one of them (buckets are never interpolated)`;
    issues.push({ severity: 'error', code: 'data/missing-bucket', message: `${sli.id}: no bucket ${bucketText} for the threshold ${sli.underSeconds}s: ${hint}.`, series: bucketText });
    return undefined;
  }
  const denominator = selectFor(sli.id, data, countSel, 'count', issues);
  const expression = latencyErrorExpression(sli)!;
  return { sli: sli.id, mode: 'good', numerator, denominator, expression };
}

/** The most slices of a time-slice SLI the preview evaluates over the sample data (about 170 MB of counts). */
export const MAX_PREVIEW_SLICES = 10_000_000;

function resolveTimeslice(sli: TimesliceSli, data: readonly Series[], issues: DataIssue[]): ResolvedSli | undefined {
  const sliceMs = sliceMsOf(sli);
  if (!(sliceMs > 0)) {
    issues.push({ severity: 'warning', code: 'data/unsupported-sli', message: `${sli.id}: its slice of ${sli.sliceSeconds}s is shorter than a millisecond, the smallest step of a PromQL subquery.` });
    return undefined;
  }
  const gauge = selectFor(sli.id, data, sli.gauge, 'gauge', issues);
  // The preview classifies each slice of the data's span once (fast.ts slicesGrid): past
  // MAX_PREVIEW_SLICES (a month of 1 ms slices would be 2.6 billion) it would take minutes and
  // gigabytes, so it says so instead.
  let from = Infinity;
  let to = -Infinity;
  for (const s of gauge) if (s.t.length) (from = Math.min(from, s.t[0])), (to = Math.max(to, s.t[s.t.length - 1]));
  const slices = to >= from ? Math.floor((to - from) / sliceMs) + 1 : 0;
  if (slices > MAX_PREVIEW_SLICES) {
    const n = (x: number) => x.toLocaleString('en-US');
    issues.push({ severity: 'warning', code: 'data/unsupported-sli', message: `${sli.id}: the sample data's ${promqlDuration(to - from)} hold ${n(slices)} of its ${promqlDuration(sliceMs)} slices, more than the preview evaluates (${n(MAX_PREVIEW_SLICES)}).` });
    return undefined;
  }
  const timeslice: TimesliceSpec = { gauge, op: sli.goodWhen.op, value: sli.goodWhen.value, sliceMs };
  return { sli: sli.id, mode: 'good', numerator: [], denominator: [], expression: timesliceErrorExpression(sli), timeslice };
}

/** Selects the series of an SLI in the sample data. `promql` SLIs are not evaluated here. */
export function resolveSli(sli: Sli, data: readonly Series[]): SliResolution {
  const issues: DataIssue[] = [];
  let resolved: ResolvedSli | undefined;
  if (sli.kind === 'ratio') resolved = resolveRatio(sli, data, issues);
  else if (sli.kind === 'latency') resolved = resolveLatency(sli, data, issues);
  else if (sli.kind === 'timeslice') resolved = resolveTimeslice(sli, data, issues);
  else issues.push({ severity: 'info', code: 'data/unsupported-sli', message: `${sli.id}: previewing ${sli.kind} SLIs from sample data is not supported yet.` });
  return { resolved, issues };
}

function ratioFrom(mode: 'good' | 'bad', num: number, den: number): number {
  return mode === 'bad' ? num / den : 1 - num / den;
}

/** 1 − good/total: what `1 - avg_over_time(…)` gives for those slices (the mean within Prometheus' rounding). */
function sliceErrorRatio(c: SliceCounts): number {
  return 1 - c.good / c.total;
}

/** The error ratio over `windowMs` at instant `ts` (reference implementation); undefined where PromQL has no result. */
export function errorRatioAt(r: ResolvedSli, ts: number, windowMs: number): number | undefined {
  if (r.timeslice) {
    const { gauge, op, value, sliceMs } = r.timeslice;
    const c = slicesAt(gauge, ts, windowMs, sliceMs, op, value);
    return c && sliceErrorRatio(c);
  }
  const num = sumIncreaseAt(r.numerator, ts, windowMs);
  const den = sumIncreaseAt(r.denominator, ts, windowMs);
  return num === undefined || den === undefined ? undefined : ratioFrom(r.mode, num, den);
}

/**
 * The error ratio over `windowMs` at every step of the grid (fast path), or only at the steps where
 * `only[k] ≠ 0` (no result elsewhere; the values there are the same as on the whole grid).
 */
export function errorRatioGrid(r: ResolvedSli, windowMs: number, grid: StepGrid, only?: Uint8Array): GridValues {
  if (r.timeslice) {
    const c = timeslicesGrid(r.timeslice, windowMs, grid);
    const v = new Float64Array(c.t.length);
    const present = new Uint8Array(c.t.length);
    for (let k = 0; k < v.length; k++) {
      if (c.total[k] === 0 || (only !== undefined && only[k] === 0)) continue;
      v[k] = sliceErrorRatio({ good: c.good[k], total: c.total[k] });
      present[k] = 1;
    }
    return { t: c.t, v, present };
  }
  const n = gridSize(grid);
  const { num, den } = sidesGrid(r, windowMs, grid, only);
  // PromQL's one-to-one matching of the two sums: a result where both have one.
  const v = new Float64Array(n);
  const present = new Uint8Array(n);
  const bad = r.mode === 'bad';
  const nv = num.v;
  const dv = den.v;
  const np = num.present;
  const dp = den.present;
  for (let k = 0; k < n; k++) {
    if (np[k] && dp[k]) {
      v[k] = bad ? nv[k] / dv[k] : 1 - nv[k] / dv[k];
      present[k] = 1;
    }
  }
  return { t: num.t, v, present };
}

/**
 * sum(increase(numerator[W])) and sum(increase(denominator[W])) at the masked steps. A series on both
 * sides (the bad requests among all requests) is evaluated once and added into both sums in its
 * place, so the sums are the same, in the same order, as adding each side's series one by one.
 */
function sidesGrid(r: ResolvedSli, windowMs: number, grid: StepGrid, only?: Uint8Array): { num: GridValues; den: GridValues } {
  // The sums are scratch (only the ratio is kept): reused buffers, not a new allocation per window.
  scratch.reset();
  const sum = (series: readonly Series[]): GridValues => {
    const out = scratch.take(grid);
    for (const s of series) accumulateIncrease(s, windowMs, grid, out, only);
    return out;
  };
  const shared = sharedSeries(r);
  if (!shared) return { num: sum(r.numerator), den: sum(r.denominator) };
  const once = new Map<Series, GridValues>();
  const one = (s: Series): GridValues => {
    let g = once.get(s);
    if (!g) once.set(s, (g = sum([s])));
    return g;
  };
  const side = (series: readonly Series[]): GridValues => {
    // One shared series alone (the bad requests): its own values are the sum.
    if (series.length === 1 && shared.has(series[0])) return one(series[0]);
    const out = scratch.take(grid);
    for (const s of series) {
      if (shared.has(s)) addGrid(out, one(s));
      else accumulateIncrease(s, windowMs, grid, out, only);
    }
    return out;
  };
  return { num: side(r.numerator), den: side(r.denominator) };
}

/**
 * The steps (sorted grid indices) where the error ratio over `windowMs` may exceed `threshold`; at
 * the others it provably does not or has no value. From bounds over blocks of steps (fast.ts
 * `ratioCandidates`); undefined where there are no useful bounds (time slices; good/total ratios
 * whose series are not all on the same timestamps): every step is then computed. Computing the exact
 * ratio only at those steps gives the same condition `ratio > threshold` at every step.
 */
export function errorRatioCandidates(r: ResolvedSli, windowMs: number, grid: StepGrid, threshold: number): Int32Array | undefined {
  if (r.timeslice) return undefined;
  return ratioCandidates(r.numerator, r.denominator, r.mode === 'bad', windowMs, grid, threshold);
}

/**
 * The error ratio over `windowMs` at the steps `k` (sorted grid indices; time-slice SLIs excluded):
 * entry i is `errorRatioGrid`'s value at step k[i], bit for bit (the same sums in the same order, a
 * series on both sides evaluated once), in time proportional to the steps asked.
 */
export function errorRatioAtSteps(r: ResolvedSli, windowMs: number, grid: StepGrid, k: Int32Array): StepValues {
  const sum = (series: readonly Series[]): StepValues => {
    const out = emptyStepValues(k);
    for (const s of series) accumulateIncreaseSteps(s, windowMs, grid, out);
    return out;
  };
  let num: StepValues;
  let den: StepValues;
  const shared = sharedSeries(r);
  if (!shared) {
    num = sum(r.numerator);
    den = sum(r.denominator);
  } else {
    const once = new Map<Series, StepValues>();
    const one = (s: Series): StepValues => {
      let g = once.get(s);
      if (!g) once.set(s, (g = sum([s])));
      return g;
    };
    const side = (series: readonly Series[]): StepValues => {
      if (series.length === 1 && shared.has(series[0])) return one(series[0]);
      const out = emptyStepValues(k);
      for (const s of series) {
        if (shared.has(s)) addStepValues(out, one(s));
        else accumulateIncreaseSteps(s, windowMs, grid, out);
      }
      return out;
    };
    num = side(r.numerator);
    den = side(r.denominator);
  }
  const m = k.length;
  const v = new Float64Array(m);
  const present = new Uint8Array(m);
  const bad = r.mode === 'bad';
  for (let i = 0; i < m; i++) {
    if (num.present[i] && den.present[i]) {
      v[i] = bad ? num.v[i] / den.v[i] : 1 - num.v[i] / den.v[i];
      present[i] = 1;
    }
  }
  return { k, v, present };
}

const sharedOf = new WeakMap<ResolvedSli, Set<Series> | null>();

/** The series on both sides of the SLI's ratio, or null. */
function sharedSeries(r: ResolvedSli): Set<Series> | null {
  let shared = sharedOf.get(r);
  if (shared !== undefined) return shared;
  shared = null;
  if (r.numerator.length > 0 && r.denominator.length > 0) {
    const inNum = new Set(r.numerator);
    for (const s of r.denominator) if (inNum.has(s)) (shared ??= new Set()).add(s);
  }
  sharedOf.set(r, shared);
  return shared;
}

/** Zeroed sums on a grid, reused from one window to the next. */
class ScratchGrids {
  private readonly pool: GridValues[] = [];
  private used = 0;

  reset(): void {
    this.used = 0;
  }

  take(grid: StepGrid): GridValues {
    const n = gridSize(grid);
    let g = this.pool[this.used];
    if (g === undefined || g.v.length !== n) {
      g = emptyGrid(grid);
      this.pool[this.used] = g;
    } else {
      g.v.fill(0);
      g.present.fill(0);
    }
    this.used++;
    // The grid's times are shared and may belong to another grid of the same size.
    return g.t === emptyTimes(grid) ? g : { t: emptyTimes(grid), v: g.v, present: g.present };
  }
}

const scratch = new ScratchGrids();

function timeslicesGrid(spec: TimesliceSpec, windowMs: number, grid: StepGrid) {
  return slicesGrid(spec.gauge, windowMs, spec.sliceMs, spec.op, spec.value, grid);
}

/**
 * The slices of a time-slice SLI over [ts − windowMs, ts] (fast path: one pass over the samples,
 * for windows of a month and more), undefined when none counts or the SLI is not a time-slice one.
 */
export function sliceCountsAt(r: ResolvedSli, ts: number, windowMs: number): SliceCounts | undefined {
  if (!r.timeslice) return undefined;
  const grid = { start: ts, end: ts, step: 1 };
  if (gridSize(grid) !== 1) return undefined;
  const c = timeslicesGrid(r.timeslice, windowMs, grid);
  return c.total[0] === 0 ? undefined : { good: c.good[0], total: c.total[0] };
}

// SLI error ratios from sample data, as the PromQL Pace generates computes them in Prometheus:
//   ratio, good/total:  1 - sum(increase(good[W])) / sum(increase(total[W]))
//   ratio, bad/total:   sum(increase(bad[W])) / sum(increase(total[W]))
//   latency:            1 - sum(increase(h_bucket{…, le="<under>"}[W])) / sum(increase(h_count{…}[W]))
// `resolveSli` selects the series once (and reports what is missing as DataIssues); then
// `errorRatioAt` (reference, one instant) and `errorRatioGrid` (fast, every step of a grid) give
// the same numbers. The latency bucket is the one whose `le` label is the threshold spelt as
// Prometheus' Go clients spell it (`formatLe`): never interpolated between buckets.
import type { LatencySli, RatioSli, Selector, Sli } from '../model/model.js';
import { combineGrid, type GridValues, type StepGrid, sumIncreaseGrid } from './fast.js';
import { sumIncreaseAt } from './reference.js';
import { type LabelMatcher, labelValue, selectSeries, type SelectorLike } from './select.js';
import type { DataIssue, Series } from './series.js';

/**
 * A float as Go's `strconv.FormatFloat(x, 'g', -1, 64)` writes it, which is how Prometheus'
 * client libraries (client_golang's text format) write `le`: shortest digits, exponent form below
 * 1e-4 and from 1e6 on (`1e-05`, `2.5e+06`), `+Inf` for infinity.
 */
export function formatLe(x: number): string {
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (Number.isNaN(x)) return 'NaN';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

/** The series an SLI reads, selected once; numerator over denominator with how to turn it into an error ratio. */
export interface ResolvedSli {
  readonly sli: string;
  /** `good` (1 − num/den: good, or latency buckets) or `bad` (num/den). */
  readonly mode: 'good' | 'bad';
  readonly numerator: readonly Series[];
  readonly denominator: readonly Series[];
  /** The PromQL of the error ratio with `$window` for the window (what Prometheus would be asked). */
  readonly expression: string;
}

export interface SliResolution {
  readonly resolved?: ResolvedSli;
  readonly issues: DataIssue[];
}

function matcherText(m: LabelMatcher): string {
  return `${m.label}${m.op}${JSON.stringify(m.value)}`;
}

function selectorText(metric: string | undefined, matchers: readonly LabelMatcher[]): string {
  const ms = matchers.map(matcherText).join(', ');
  return `${metric ?? ''}{${ms}}`.replace(/\{\}$/, '') || '{}';
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
  const inc = (s: Selector) => `sum(increase(${s.text}[$window]))`;
  const expression = mode === 'bad' ? `${inc(num)} / ${inc(sli.total)}` : `1 - ${inc(num)} / ${inc(sli.total)}`;
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
  const expression = `1 - sum(increase(${bucketText}[$window])) / sum(increase(${selectorText(countSel.metric, countSel.matchers)}[$window]))`;
  return { sli: sli.id, mode: 'good', numerator, denominator, expression };
}

/** Selects the series of an SLI in the sample data. Only `ratio` and `latency` SLIs are evaluated here. */
export function resolveSli(sli: Sli, data: readonly Series[]): SliResolution {
  const issues: DataIssue[] = [];
  let resolved: ResolvedSli | undefined;
  if (sli.kind === 'ratio') resolved = resolveRatio(sli, data, issues);
  else if (sli.kind === 'latency') resolved = resolveLatency(sli, data, issues);
  else issues.push({ severity: 'info', code: 'data/unsupported-sli', message: `${sli.id}: previewing ${sli.kind} SLIs from sample data is not supported yet.` });
  return { resolved, issues };
}

function ratioFrom(mode: 'good' | 'bad', num: number, den: number): number {
  return mode === 'bad' ? num / den : 1 - num / den;
}

/** The error ratio over `windowMs` at instant `ts` (reference implementation); undefined where PromQL has no result. */
export function errorRatioAt(r: ResolvedSli, ts: number, windowMs: number): number | undefined {
  const num = sumIncreaseAt(r.numerator, ts, windowMs);
  const den = sumIncreaseAt(r.denominator, ts, windowMs);
  return num === undefined || den === undefined ? undefined : ratioFrom(r.mode, num, den);
}

/** The error ratio over `windowMs` at every step of the grid (fast path). */
export function errorRatioGrid(r: ResolvedSli, windowMs: number, grid: StepGrid): GridValues {
  const num = sumIncreaseGrid(r.numerator, windowMs, grid);
  const den = sumIncreaseGrid(r.denominator, windowMs, grid);
  return combineGrid(num, den, (x, y) => ratioFrom(r.mode, x, y));
}

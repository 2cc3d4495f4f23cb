// The reference evaluator: PromQL's range and instant selection, `increase`/`rate`/`delta` and
// `sum`, written the straightforward way (one scan per instant), exactly as Prometheus 2.42
// computes them (promql/engine.go `matrixIterSlice`, `vectorSelectorSingle`; promql/functions.go
// `extrapolatedRate`). The fast grid evaluator (fast.ts) is property-tested against this module,
// and this module against a real Prometheus (test/evaluate/prometheus.test.ts).
//
// Semantics kept from 2.42:
// - A range selection `x[R]` at T holds the samples with T−R ≤ t ≤ T (both ends included);
//   stale markers (Prometheus' StaleNaN) are skipped; ordinary NaN values are kept.
// - An instant selection at T takes the latest sample with t ≤ T if it is not older than the
//   lookback delta (5 m; t ≥ T − 5m still counts) and is not a stale marker.
// - Fewer than two samples in the range: no result for that series.
import type { Series } from './series.js';

/** Prometheus' default lookback delta for instant selection. */
export const LOOKBACK_MS = 5 * 60 * 1000;

/** Prometheus' stale marker (value.StaleNaN): a NaN with this bit pattern. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
const bitsView = new DataView(new ArrayBuffer(8));

const QUIET_BIT = 0x0008000000000000n;

/**
 * Whether v is a stale marker. Prometheus' marker is a signalling NaN, and JavaScript quiets a
 * signalling NaN that passes through an ordinary array (0x7ff0…02 becomes 0x7ff8…02), so both
 * spellings count; NaNs from arithmetic or from "NaN" in a file have a zero payload and do not.
 */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  bitsView.setFloat64(0, v);
  return (bitsView.getBigUint64(0) & ~QUIET_BIT) === STALE_NAN_BITS;
}

/** A stale marker as a number (for tests and loaders; JS keeps NaN payloads in typed arrays). */
export function staleNaN(): number {
  bitsView.setBigUint64(0, STALE_NAN_BITS);
  return bitsView.getFloat64(0);
}

export interface Points {
  readonly t: number[];
  readonly v: number[];
}

/** The samples a range selection `[rangeMs]` at `ts` sees: t in [ts − rangeMs, ts], stale markers skipped. */
export function rangeSelect(s: Series, ts: number, rangeMs: number): Points {
  const mint = ts - rangeMs;
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < s.t.length; i++) {
    const ti = s.t[i];
    if (ti < mint) continue;
    if (ti > ts) break;
    if (isStaleNaN(s.v[i])) continue;
    t.push(ti);
    v.push(s.v[i]);
  }
  return { t, v };
}

/**
 * `extrapolatedRate` of Prometheus 2.42 over the points of one range: the difference between the
 * last and first value (plus, for counters, the value before each reset), extrapolated to the
 * range's edges when the first/last sample is within 1.1 average intervals of them (else by half
 * an interval), never extrapolating a counter below zero. undefined: fewer than two points.
 */
export function extrapolatedRate(p: Points, rangeStart: number, rangeEnd: number, isCounter: boolean, isRate: boolean): number | undefined {
  const n = p.t.length;
  if (n < 2) return undefined;
  let result = p.v[n - 1] - p.v[0];
  if (isCounter) {
    let prev = p.v[0];
    for (let i = 1; i < n; i++) {
      if (p.v[i] < prev) result += prev;
      prev = p.v[i];
    }
  }
  let durationToStart = (p.t[0] - rangeStart) / 1000;
  const durationToEnd = (rangeEnd - p.t[n - 1]) / 1000;
  const sampledInterval = (p.t[n - 1] - p.t[0]) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  if (isCounter && result > 0 && p.v[0] >= 0) {
    const durationToZero = sampledInterval * (p.v[0] / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= (rangeEnd - rangeStart) / 1000;
  return result * factor;
}

/** `increase(s[rangeMs])` at `ts`. */
export function increaseAt(s: Series, ts: number, rangeMs: number): number | undefined {
  return extrapolatedRate(rangeSelect(s, ts, rangeMs), ts - rangeMs, ts, true, false);
}

/** `rate(s[rangeMs])` at `ts`. */
export function rateAt(s: Series, ts: number, rangeMs: number): number | undefined {
  return extrapolatedRate(rangeSelect(s, ts, rangeMs), ts - rangeMs, ts, true, true);
}

/** `delta(s[rangeMs])` at `ts` (gauges: no reset correction, no zero clamp). */
export function deltaAt(s: Series, ts: number, rangeMs: number): number | undefined {
  return extrapolatedRate(rangeSelect(s, ts, rangeMs), ts - rangeMs, ts, false, false);
}

/** The instant selection `s` at `ts`: the latest sample at or before ts within the lookback, unless it is stale. */
export function instantAt(s: Series, ts: number, lookbackMs = LOOKBACK_MS): number | undefined {
  let i = s.t.length - 1;
  while (i >= 0 && s.t[i] > ts) i--;
  if (i < 0 || s.t[i] < ts - lookbackMs) return undefined;
  return isStaleNaN(s.v[i]) ? undefined : s.v[i];
}

/** `sum(…)` without grouping: undefined when no series has a value (PromQL's empty vector). */
export function sumOf(values: readonly (number | undefined)[]): number | undefined {
  let sum: number | undefined;
  for (const x of values) {
    if (x === undefined) continue;
    sum = sum === undefined ? x : sum + x;
  }
  return sum;
}

/** `sum(increase(series[rangeMs]))` at `ts`. */
export function sumIncreaseAt(series: readonly Series[], ts: number, rangeMs: number): number | undefined {
  return sumOf(series.map((s) => increaseAt(s, ts, rangeMs)));
}

/** `sum(rate(series[rangeMs]))` at `ts`. */
export function sumRateAt(series: readonly Series[], ts: number, rangeMs: number): number | undefined {
  return sumOf(series.map((s) => rateAt(s, ts, rangeMs)));
}

/** `sum(series)` at `ts` (instant selection with lookback). */
export function sumInstantAt(series: readonly Series[], ts: number, lookbackMs = LOOKBACK_MS): number | undefined {
  return sumOf(series.map((s) => instantAt(s, ts, lookbackMs)));
}

// ---- time slices: `min(gauge <op> bool value)` on a subquery's steps ----
//
// A time-slice SLI is evaluated as the PromQL
//   1 - avg_over_time((min(gauge <op> bool value))[W:slice])
// (sli.ts), and Prometheus 2.42 evaluates it so (promql/engine.go, the SubqueryExpr case and
// evalSubquery; promql/functions.go, funcAvgOverTime):
// - the subquery's instants are the multiples of `slice` counted from the Unix epoch (its start is
//   the first multiple at or after T − W; it steps by `slice` up to T), and avg_over_time at T sees
//   those in [T − W, T], both ends included (matrixIterSlice keeps t ≥ mint in 2.42);
// - at each instant the gauge is an instant selection (the 5 m lookback, stale markers ending a
//   series), `<op> bool` turns each value into 1 or 0 (a NaN compares false: 0), and `min` is 1 when
//   every series with a value is good, 0 when one is not, and nothing when no series has a value:
//   such an instant is no point of the subquery, so the slice does not count at all;
// - avg_over_time is the share of good slices among the counted ones (nothing when none counts).

/** A comparison operator of PromQL (the model's `goodWhen.op`). */
export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** `x <op> value` as PromQL (Go's IEEE comparisons) computes it: a NaN satisfies only `!=`. */
export function compareValue(x: number, op: ComparisonOp, value: number): boolean {
  switch (op) {
    case '<':
      return x < value;
    case '<=':
      return x <= value;
    case '>':
      return x > value;
    case '>=':
      return x >= value;
    case '==':
      return x === value;
    case '!=':
      return x !== value;
  }
}

/** Where `(m) * step` for integers m falls in [from, to]: the instants of a subquery `[to − from : step]` at `to`. */
export function alignedInstants(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  const r = ((from % step) + step) % step;
  for (let t = r === 0 ? from : from - r + step; t <= to; t += step) out.push(t);
  return out;
}

/**
 * `min(series <op> bool value)` at `ts`: 1 when every series with a value at ts satisfies the
 * comparison, 0 when one does not, undefined when no series has a value (an empty vector).
 */
export function sliceGoodAt(series: readonly Series[], ts: number, op: ComparisonOp, value: number, lookbackMs = LOOKBACK_MS): 0 | 1 | undefined {
  let good: 0 | 1 | undefined;
  for (const s of series) {
    const x = instantAt(s, ts, lookbackMs);
    if (x === undefined) continue;
    good = compareValue(x, op, value) ? (good ?? 1) : 0;
  }
  return good;
}

/** Counted and good slices of a time-slice SLI. */
export interface SliceCounts {
  readonly good: number;
  readonly total: number;
}

/**
 * The slices `avg_over_time((min(series <op> bool value))[rangeMs:sliceMs])` averages at `ts`:
 * how many have a value and how many of those are good; undefined when none has a value.
 */
export function slicesAt(series: readonly Series[], ts: number, rangeMs: number, sliceMs: number, op: ComparisonOp, value: number): SliceCounts | undefined {
  let good = 0;
  let total = 0;
  for (const at of alignedInstants(ts - rangeMs, ts, sliceMs)) {
    const g = sliceGoodAt(series, at, op, value);
    if (g === undefined) continue;
    total++;
    good += g;
  }
  return total === 0 ? undefined : { good, total };
}

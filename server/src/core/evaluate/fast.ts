// The fast grid evaluator: the same numbers as reference.ts (property-tested against it), for every
// step of a grid at once, in O(samples + steps) per series instead of one scan per step.
//
// Each series is compiled once (cached per Series object): stale markers dropped, and its counter
// resets (sample i with v[i] < v[i−1]) listed with the value before each reset and a prefix sum of
// those values. Over a grid the window's first and last sample only move forward, so two cursors
// find them; a window's reset correction is the sum of the resets inside it, added one by one in
// Prometheus' order when there are few (bit-identical results) and from the prefix sums when there
// are many.
import { type ComparisonOp, compareValue, isStaleNaN, LOOKBACK_MS } from './reference.js';
import type { Series } from './series.js';

/** Evaluation instants start, start + step, … ≤ end (Unix ms), as a `query_range` or a rule group evaluates. */
export interface StepGrid {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** One value per step; `present[k] = 0` where PromQL has no result (an empty vector). */
export interface GridValues {
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly present: Uint8Array;
}

export function gridSize(grid: StepGrid): number {
  if (!(grid.step > 0) || grid.end < grid.start) return 0;
  return Math.floor((grid.end - grid.start) / grid.step) + 1;
}

export function gridTimes(grid: StepGrid): Float64Array {
  const n = gridSize(grid);
  const t = new Float64Array(n);
  for (let k = 0; k < n; k++) t[k] = grid.start + k * grid.step;
  return t;
}

function emptyValues(grid: StepGrid): GridValues {
  const n = gridSize(grid);
  return { t: gridTimes(grid), v: new Float64Array(n), present: new Uint8Array(n) };
}

interface Compiled {
  readonly t: Float64Array;
  readonly v: Float64Array;
  /** Indices i (into t/v) where v[i] < v[i−1]. */
  readonly resetAt: Int32Array;
  /** v[i−1] for each reset. */
  readonly resetPrev: Float64Array;
  /** resetCum[k] = resetPrev[0] + … + resetPrev[k−1]. */
  readonly resetCum: Float64Array;
}

const compiled = new WeakMap<Series, Compiled>();

/** Above this many resets in one window, their sum comes from the prefix sums. */
const DIRECT_RESET_SUM_MAX = 32;

function compile(s: Series): Compiled {
  const hit = compiled.get(s);
  if (hit) return hit;
  let t = s.t;
  let v = s.v;
  let stale = 0;
  for (let i = 0; i < v.length; i++) if (v[i] !== v[i] && isStaleNaN(v[i])) stale++;
  if (stale > 0) {
    t = new Float64Array(s.t.length - stale);
    v = new Float64Array(s.t.length - stale);
    for (let i = 0, j = 0; i < s.v.length; i++) {
      if (s.v[i] !== s.v[i] && isStaleNaN(s.v[i])) continue;
      t[j] = s.t[i];
      v[j++] = s.v[i];
    }
  }
  let resets = 0;
  for (let i = 1; i < v.length; i++) if (v[i] < v[i - 1]) resets++;
  const resetAt = new Int32Array(resets);
  const resetPrev = new Float64Array(resets);
  const resetCum = new Float64Array(resets + 1);
  for (let i = 1, k = 0; i < v.length; i++) {
    if (v[i] < v[i - 1]) {
      resetAt[k] = i;
      resetPrev[k] = v[i - 1];
      resetCum[k + 1] = resetCum[k] + v[i - 1];
      k++;
    }
  }
  const c = { t, v, resetAt, resetPrev, resetCum };
  compiled.set(s, c);
  return c;
}

/** First index with a[i] >= x (a sorted), in [lo, a.length]. */
function lowerBound(a: Float64Array | Int32Array, x: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds `increase`/`rate`/`delta` of one series at every step of the grid into `out` (sum over
 * series), marking the steps where the series has a result.
 */
function accumulateExtrapolated(s: Series, rangeMs: number, grid: StepGrid, isCounter: boolean, isRate: boolean, out: GridValues): void {
  const { t, v, resetAt, resetPrev, resetCum } = compile(s);
  const n = out.v.length;
  const len = t.length;
  if (len < 2 || n === 0) return;
  const rangeSeconds = rangeMs / 1000;
  // a: first sample with t >= T − R; b: first sample with t > T (so the last in range is b − 1).
  let a = lowerBound(t, grid.start - rangeMs);
  let b = a;
  let k0 = 0; // first reset with index > a
  for (let k = 0; k < n; k++) {
    const ts = grid.start + k * grid.step;
    const rangeStart = ts - rangeMs;
    while (a < len && t[a] < rangeStart) a++;
    if (b < a) b = a;
    while (b < len && t[b] <= ts) b++;
    const last = b - 1;
    if (last - a < 1) continue;
    let result = v[last] - v[a];
    if (isCounter && resetAt.length > 0) {
      while (k0 < resetAt.length && resetAt[k0] <= a) k0++;
      let k1 = k0;
      while (k1 < resetAt.length && resetAt[k1] <= last && k1 - k0 <= DIRECT_RESET_SUM_MAX) k1++;
      if (k1 - k0 <= DIRECT_RESET_SUM_MAX) {
        for (let r = k0; r < k1; r++) result += resetPrev[r];
      } else {
        k1 = lowerBound(resetAt, last + 1, k1);
        result += resetCum[k1] - resetCum[k0];
      }
    }
    let durationToStart = (t[a] - rangeStart) / 1000;
    const durationToEnd = (ts - t[last]) / 1000;
    const sampledInterval = (t[last] - t[a]) / 1000;
    const averageDurationBetweenSamples = sampledInterval / (last - a);
    if (isCounter && result > 0 && v[a] >= 0) {
      const durationToZero = sampledInterval * (v[a] / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    let extrapolateToInterval = sampledInterval;
    extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
    extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
    let factor = extrapolateToInterval / sampledInterval;
    if (isRate) factor /= rangeSeconds;
    const value = result * factor;
    if (out.present[k]) out.v[k] += value;
    else {
      out.v[k] = value;
      out.present[k] = 1;
    }
  }
}

function sumExtrapolatedGrid(series: readonly Series[], rangeMs: number, grid: StepGrid, isCounter: boolean, isRate: boolean): GridValues {
  const out = emptyValues(grid);
  for (const s of series) accumulateExtrapolated(s, rangeMs, grid, isCounter, isRate, out);
  return out;
}

/** `sum(increase(series[rangeMs]))` at every step of the grid. */
export function sumIncreaseGrid(series: readonly Series[], rangeMs: number, grid: StepGrid): GridValues {
  return sumExtrapolatedGrid(series, rangeMs, grid, true, false);
}

/** `sum(rate(series[rangeMs]))` at every step of the grid. */
export function sumRateGrid(series: readonly Series[], rangeMs: number, grid: StepGrid): GridValues {
  return sumExtrapolatedGrid(series, rangeMs, grid, true, true);
}

/** `sum(delta(series[rangeMs]))` at every step of the grid. */
export function sumDeltaGrid(series: readonly Series[], rangeMs: number, grid: StepGrid): GridValues {
  return sumExtrapolatedGrid(series, rangeMs, grid, false, false);
}

/** `sum(series)` (instant selection with the lookback delta) at every step of the grid. */
export function sumInstantGrid(series: readonly Series[], grid: StepGrid, lookbackMs = LOOKBACK_MS): GridValues {
  const out = emptyValues(grid);
  const n = out.v.length;
  for (const s of series) {
    const { t, v } = s;
    // b: first sample with t > T; the candidate is b − 1 (stale markers included: a stale latest sample means no value).
    let b = lowerBound(t, grid.start);
    for (let k = 0; k < n; k++) {
      const ts = grid.start + k * grid.step;
      while (b < t.length && t[b] <= ts) b++;
      const i = b - 1;
      if (i < 0 || t[i] < ts - lookbackMs) continue;
      const x = v[i];
      if (x !== x && isStaleNaN(x)) continue;
      if (out.present[k]) out.v[k] += x;
      else {
        out.v[k] = x;
        out.present[k] = 1;
      }
    }
  }
  return out;
}

/** Element-wise binary operation where both sides have a result (PromQL's one-to-one matching of two sums). */
export function combineGrid(a: GridValues, b: GridValues, op: (x: number, y: number) => number): GridValues {
  const n = a.v.length;
  const v = new Float64Array(n);
  const present = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    if (a.present[k] && b.present[k]) {
      v[k] = op(a.v[k], b.v[k]);
      present[k] = 1;
    }
  }
  return { t: a.t, v, present };
}

/** Counted and good slices at every step of a grid; `total[k] = 0` where PromQL has no result. */
export interface SliceCountsGrid {
  readonly t: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

/** The first multiple of `step` at or after x (x, step integers). */
function alignUp(x: number, step: number): number {
  const r = ((x % step) + step) % step;
  return r === 0 ? x : x - r + step;
}

/**
 * The slices of `avg_over_time((min(series <op> bool value))[rangeMs:sliceMs])` at every step of
 * the grid (reference.ts `slicesAt`): each slice instant (a multiple of sliceMs) the steps' windows
 * reach is classified once — no value, good, bad — with one forward cursor per series, then each
 * step's window [T − rangeMs, T] is a difference of prefix sums. O(samples + slices + steps).
 */
export function slicesGrid(series: readonly Series[], rangeMs: number, sliceMs: number, op: ComparisonOp, value: number, grid: StepGrid, lookbackMs = LOOKBACK_MS): SliceCountsGrid {
  const n = gridSize(grid);
  const t = gridTimes(grid);
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  if (n === 0 || !(sliceMs > 0)) return { t, good, total };
  const first = alignUp(grid.start - rangeMs, sliceMs);
  const lastT = t[n - 1];
  const m = lastT < first ? 0 : Math.floor((lastT - first) / sliceMs) + 1;
  // 0: no series has a value; 1: every series with a value is good; 2: one is not.
  const state = new Uint8Array(m);
  for (const s of series) {
    const st = s.t;
    const sv = s.v;
    let b = lowerBound(st, first);
    for (let j = 0; j < m; j++) {
      const at = first + j * sliceMs;
      while (b < st.length && st[b] <= at) b++;
      const i = b - 1;
      if (i < 0 || st[i] < at - lookbackMs) continue;
      const x = sv[i];
      if (x !== x && isStaleNaN(x)) continue;
      if (!compareValue(x, op, value)) state[j] = 2;
      else if (state[j] === 0) state[j] = 1;
    }
  }
  const cumTotal = new Float64Array(m + 1);
  const cumGood = new Float64Array(m + 1);
  for (let j = 0; j < m; j++) {
    cumTotal[j + 1] = cumTotal[j] + (state[j] !== 0 ? 1 : 0);
    cumGood[j + 1] = cumGood[j] + (state[j] === 1 ? 1 : 0);
  }
  for (let k = 0; k < n; k++) {
    const ts = t[k];
    // Slices in [ts − rangeMs, ts]: from the first multiple at or after ts − rangeMs to the last at or before ts.
    const lo = (alignUp(ts - rangeMs, sliceMs) - first) / sliceMs;
    const hi = Math.min(m - 1, Math.floor((ts - first) / sliceMs));
    if (hi < lo) continue;
    total[k] = cumTotal[hi + 1] - cumTotal[lo];
    good[k] = cumGood[hi + 1] - cumGood[lo];
  }
  return { t, good, total };
}

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

// The last grid's instants, shared by the values computed on it (a backtest computes dozens of
// sums on one grid: one array of its times instead of one each). Read-only, as GridValues are.
let lastGrid: StepGrid | undefined;
let lastTimes: Float64Array = new Float64Array(0);

/** The grid's instants, one array shared by every value computed on that grid (read-only). */
export function gridTimesShared(grid: StepGrid): Float64Array {
  return sharedTimes(grid);
}

function sharedTimes(grid: StepGrid): Float64Array {
  if (lastGrid === undefined || lastGrid.start !== grid.start || lastGrid.end !== grid.end || lastGrid.step !== grid.step) {
    lastTimes = gridTimes(grid);
    lastGrid = { start: grid.start, end: grid.end, step: grid.step };
  }
  return lastTimes;
}

function emptyValues(grid: StepGrid): GridValues {
  const n = gridSize(grid);
  return { t: sharedTimes(grid), v: new Float64Array(n), present: new Uint8Array(n) };
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
  /** The bounds' rounding margin M (see "bounds" below); NaN when a value is negative or not finite. */
  readonly margin: number;
}

const compiled = new WeakMap<Series, Compiled>();

/** Above this many resets in one window, their sum comes from the prefix sums. */
const DIRECT_RESET_SUM_MAX = 32;

const NO_RESETS = new Int32Array(0);
const NO_PREV = new Float64Array(0);
const ZERO_CUM = new Float64Array(1);

function compile(s: Series): Compiled {
  const hit = compiled.get(s);
  if (hit) return hit;
  const c = compileFinite(s) ?? compileAny(s);
  compiled.set(s, c);
  return c;
}

/** The reset arrays of values v with `resets` resets. */
function resetsOf(v: Float64Array, resets: number): Pick<Compiled, 'resetAt' | 'resetPrev' | 'resetCum'> {
  if (resets === 0) return { resetAt: NO_RESETS, resetPrev: NO_PREV, resetCum: ZERO_CUM };
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
  return { resetAt, resetPrev, resetCum };
}

function marginFor(nonNegative: boolean, maxAbs: number, resets: number, resetCum: Float64Array): number {
  const resetTotal = resetCum[resetCum.length - 1];
  return nonNegative && Number.isFinite(resetTotal) ? (16 * resets + 32) * 2.3e-16 * (2 * maxAbs + resetTotal) : NaN;
}

/**
 * The common case, in one light pass: every value finite (so no stale marker). Between resets the
 * values never decrease, so the largest is the last one or one before a reset, and all are ≥ 0 when
 * the first one and each one after a reset are.
 */
function compileFinite(s: Series): Compiled | undefined {
  const v = s.v;
  const len = v.length;
  if (len === 0) return undefined;
  let prev = v[0];
  let z = prev * 0; // NaN as soon as one value is NaN or infinite
  let resets = 0;
  for (let i = 1; i < len; i++) {
    const x = v[i];
    z += x * 0;
    if (x < prev) resets++;
    prev = x;
  }
  if (z !== 0) return undefined;
  const r = resetsOf(v, resets);
  let maxAbs = v[len - 1];
  let nonNegative = v[0] >= 0;
  for (let k = 0; k < resets; k++) {
    if (r.resetPrev[k] > maxAbs) maxAbs = r.resetPrev[k];
    if (!(v[r.resetAt[k]] >= 0)) nonNegative = false;
  }
  return { t: s.t, v, ...r, margin: marginFor(nonNegative, maxAbs, resets, r.resetCum) };
}

/** Any values: stale markers dropped, NaN and infinities kept (no bounds then). */
function compileAny(s: Series): Compiled {
  let t = s.t;
  let v = s.v;
  let stale = 0;
  let maxAbs = 0;
  let nonNegative = true;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x >= 0 && x < Infinity) {
      if (x > maxAbs) maxAbs = x;
    } else if (x !== x && isStaleNaN(x)) stale++;
    else nonNegative = false;
  }
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
  const r = resetsOf(v, resets);
  return { t, v, ...r, margin: marginFor(nonNegative, maxAbs, resets, r.resetCum) };
}

/** First index with a[i] >= x (a sorted), in [lo, a.length]. */
export function lowerBound(a: Float64Array | Int32Array, x: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with a[i] > x (a sorted), in [lo, a.length]. */
function upperBound(a: Float64Array, x: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Prometheus' `extrapolatedRate` over samples a..last (last − a ≥ 1) of a compiled series at `ts`,
 * the resets in the range being k0.. (k0: the first reset with index > a). The one copy of the
 * arithmetic the grid paths share (reference.ts has the plain one).
 */
function extrapolatedValue(c: Compiled, a: number, last: number, k0: number, ts: number, rangeMs: number, isCounter: boolean, isRate: boolean): number {
  const { t, v, resetAt, resetPrev, resetCum } = c;
  const rangeStart = ts - rangeMs;
  const va = v[a];
  const ta = t[a];
  const tl = t[last];
  let result = v[last] - va;
  const nResets = isCounter ? resetAt.length : 0;
  if (nResets > 0) {
    let k1 = k0;
    while (k1 < nResets && resetAt[k1] <= last && k1 - k0 <= DIRECT_RESET_SUM_MAX) k1++;
    if (k1 - k0 <= DIRECT_RESET_SUM_MAX) {
      for (let r = k0; r < k1; r++) result += resetPrev[r];
    } else {
      k1 = lowerBound(resetAt, last + 1, k1);
      result += resetCum[k1] - resetCum[k0];
    }
  }
  let durationToStart = (ta - rangeStart) / 1000;
  const durationToEnd = (ts - tl) / 1000;
  const sampledInterval = (tl - ta) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (last - a);
  // durationToZero = sampledInterval × (v[a] / result) is at least sampledInterval when v[a] ≥ result
  // (rounding is monotone), so it can only shorten durationToStart when that is not the case or
  // durationToStart exceeds sampledInterval: the division is skipped only where it cannot matter.
  if (isCounter && result > 0 && va >= 0 && (va < result || durationToStart > sampledInterval)) {
    const durationToZero = sampledInterval * (va / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= rangeMs / 1000;
  return result * factor;
}

/**
 * Adds `increase`/`rate`/`delta` of one series at every step of the grid into `out` (sum over
 * series), marking the steps where the series has a result.
 */
function accumulateExtrapolated(s: Series, rangeMs: number, grid: StepGrid, isCounter: boolean, isRate: boolean, out: GridValues, only?: Uint8Array): void {
  const c = compile(s);
  const { t, resetAt } = c;
  const n = out.v.length;
  const len = t.length;
  if (len < 2 || n === 0) return;
  const outV = out.v;
  const outPresent = out.present;
  const nResets = isCounter ? resetAt.length : 0;
  const start = grid.start;
  const step = grid.step;
  // a: first sample with t >= T − R; b: first sample with t > T (so the last in range is b − 1).
  let a = lowerBound(t, start - rangeMs);
  let b = a;
  let k0 = 0; // first reset with index > a
  for (let k = 0; k < n; k++) {
    // Only the steps asked for: the cursors skip ahead by binary search, the values are the same.
    if (only !== undefined && only[k] === 0) continue;
    const ts = start + k * step;
    const rangeStart = ts - rangeMs;
    if (only !== undefined) {
      // A few steps forward (runs of asked steps), else a binary search (a jump over skipped ones).
      for (let g = 0; g < 4 && a < len && t[a] < rangeStart; g++) a++;
      if (a < len && t[a] < rangeStart) a = lowerBound(t, rangeStart, a);
      if (b < a) b = a;
      for (let g = 0; g < 4 && b < len && t[b] <= ts; g++) b++;
      if (b < len && t[b] <= ts) b = upperBound(t, ts, b);
    } else {
      while (a < len && t[a] < rangeStart) a++;
      if (b < a) b = a;
      while (b < len && t[b] <= ts) b++;
    }
    const last = b - 1;
    if (last - a < 1) continue;
    while (k0 < nResets && resetAt[k0] <= a) k0++;
    const value = extrapolatedValue(c, a, last, k0, ts, rangeMs, isCounter, isRate);
    if (outPresent[k]) outV[k] += value;
    else {
      outV[k] = value;
      outPresent[k] = 1;
    }
  }
}

/** Values at some steps of a grid: entry i is the step `k[i]` (sorted grid indices). */
export interface StepValues {
  readonly k: Int32Array;
  readonly v: Float64Array;
  readonly present: Uint8Array;
}

/** A sum at the steps `k`, empty (no step has a result). */
export function emptyStepValues(k: Int32Array): StepValues {
  return { k, v: new Float64Array(k.length), present: new Uint8Array(k.length) };
}

/**
 * Adds `increase(s[rangeMs])` at the steps `out.k` into the sum `out`: the grid path's values at
 * those steps, bit for bit (the same arithmetic), in time proportional to the steps asked.
 */
export function accumulateIncreaseSteps(s: Series, rangeMs: number, grid: StepGrid, out: StepValues): void {
  const c = compile(s);
  const { t, resetAt } = c;
  const steps = out.k;
  const m = steps.length;
  const len = t.length;
  if (len < 2 || m === 0) return;
  const outV = out.v;
  const outPresent = out.present;
  const nResets = resetAt.length;
  const start = grid.start;
  const step = grid.step;
  let a = 0;
  let b = 0;
  let k0 = 0;
  for (let i = 0; i < m; i++) {
    const ts = start + steps[i] * step;
    const rangeStart = ts - rangeMs;
    for (let g = 0; g < 4 && a < len && t[a] < rangeStart; g++) a++;
    if (a < len && t[a] < rangeStart) a = lowerBound(t, rangeStart, a);
    if (b < a) b = a;
    for (let g = 0; g < 4 && b < len && t[b] <= ts; g++) b++;
    if (b < len && t[b] <= ts) b = upperBound(t, ts, b);
    const last = b - 1;
    if (last - a < 1) continue;
    while (k0 < nResets && resetAt[k0] <= a) k0++;
    const value = extrapolatedValue(c, a, last, k0, ts, rangeMs, true, false);
    if (outPresent[i]) outV[i] += value;
    else {
      outV[i] = value;
      outPresent[i] = 1;
    }
  }
}

/** out += g where g has a result (both at the same steps), as `accumulateIncreaseSteps` adds one series. */
export function addStepValues(out: StepValues, g: StepValues): void {
  const m = out.v.length;
  for (let i = 0; i < m; i++) {
    if (g.present[i] === 0) continue;
    if (out.present[i]) out.v[i] += g.v[i];
    else {
      out.v[i] = g.v[i];
      out.present[i] = 1;
    }
  }
}

function sumExtrapolatedGrid(series: readonly Series[], rangeMs: number, grid: StepGrid, isCounter: boolean, isRate: boolean, only?: Uint8Array): GridValues {
  const out = emptyValues(grid);
  for (const s of series) accumulateExtrapolated(s, rangeMs, grid, isCounter, isRate, out, only);
  return out;
}

/**
 * `increase(s[rangeMs])` of one series at the steps of the grid where `only[k] ≠ 0` (every step
 * without it), to be added into sums with `addGrid`: a series read by both sides of a ratio (bad
 * over all requests) is then evaluated once.
 */
export function increaseGridOf(s: Series, rangeMs: number, grid: StepGrid, only?: Uint8Array): GridValues {
  const out = emptyValues(grid);
  accumulateExtrapolated(s, rangeMs, grid, true, false, out, only);
  return out;
}

/** out += g where g has a result, as `accumulateExtrapolated` adds one series (the same sums, in the same order). */
export function addGrid(out: GridValues, g: GridValues): void {
  const n = out.v.length;
  const gv = g.v;
  const gp = g.present;
  const ov = out.v;
  const op = out.present;
  for (let k = 0; k < n; k++) {
    if (gp[k] === 0) continue;
    if (op[k]) ov[k] += gv[k];
    else {
      ov[k] = gv[k];
      op[k] = 1;
    }
  }
}

/** Adds `increase(s[rangeMs])` into the sum `out` at the steps where `only[k] ≠ 0` (every step without it). */
export function accumulateIncrease(s: Series, rangeMs: number, grid: StepGrid, out: GridValues, only?: Uint8Array): void {
  accumulateExtrapolated(s, rangeMs, grid, true, false, out, only);
}

/** `sum(increase(series[rangeMs]))` at the steps where `only[k] ≠ 0` (every step without it; absent elsewhere). */
export function sumIncreaseGridWhere(series: readonly Series[], rangeMs: number, grid: StepGrid, only?: Uint8Array): GridValues {
  return sumExtrapolatedGrid(series, rangeMs, grid, true, false, only);
}

/** An empty sum over the grid (no step has a result), to add series into. */
export function emptyGrid(grid: StepGrid): GridValues {
  return emptyValues(grid);
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
  const all = lastT < first ? 0 : Math.floor((lastT - first) / sliceMs) + 1;
  // Only the slices j0…j0+m−1 can hold a value: those from the first sample to the last one's
  // lookback. A window far longer than the data (106000d of 1m slices: 150 million) costs no more
  // than the data's own slices.
  let dataStart = Infinity;
  let dataEnd = -Infinity;
  for (const s of series) {
    if (s.t.length === 0) continue;
    dataStart = Math.min(dataStart, s.t[0]);
    dataEnd = Math.max(dataEnd, s.t[s.t.length - 1]);
  }
  const j0 = Math.max(0, Math.ceil((dataStart - first) / sliceMs));
  const j1 = Math.min(all - 1, Math.floor((dataEnd + lookbackMs - first) / sliceMs));
  if (!(j1 >= j0)) return { t, good, total };
  const m = j1 - j0 + 1;
  // 0: no series has a value; 1: every series with a value is good; 2: one is not.
  const state = new Uint8Array(m);
  for (const s of series) {
    const st = s.t;
    const sv = s.v;
    let b = lowerBound(st, first + j0 * sliceMs);
    for (let j = 0; j < m; j++) {
      const at = first + (j0 + j) * sliceMs;
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
    // Slices in [ts − rangeMs, ts]: from the first multiple at or after ts − rangeMs to the last at
    // or before ts, of those that can hold a value (indices relative to j0).
    const lo = Math.max(0, (alignUp(ts - rangeMs, sliceMs) - first) / sliceMs - j0);
    const hi = Math.min(m - 1, Math.floor((ts - first) / sliceMs) - j0);
    if (hi < lo) continue;
    total[k] = cumTotal[hi + 1] - cumTotal[lo];
    good[k] = cumGood[hi + 1] - cumGood[lo];
  }
  return { t, good, total };
}

/**
 * `increase(s[rangeMs])` at one instant: reference.ts `increaseAt` bit for bit (the same operations;
 * every reset in the range added one by one, in order), without its scan and copy of the samples:
 * binary searches over the compiled series (stale markers already dropped).
 */
export function increaseAtFast(s: Series, ts: number, rangeMs: number): number | undefined {
  const { t, v, resetAt, resetPrev } = compile(s);
  const rangeStart = ts - rangeMs;
  const a = lowerBound(t, rangeStart);
  const last = upperBound(t, ts, a) - 1;
  if (last - a < 1) return undefined;
  let result = v[last] - v[a];
  for (let r = lowerBound(resetAt, a + 1); r < resetAt.length && resetAt[r] <= last; r++) result += resetPrev[r];
  let durationToStart = (t[a] - rangeStart) / 1000;
  const durationToEnd = (ts - t[last]) / 1000;
  const sampledInterval = (t[last] - t[a]) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (last - a);
  if (result > 0 && v[a] >= 0) {
    const durationToZero = sampledInterval * (v[a] / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
  const factor = extrapolateToInterval / sampledInterval;
  return result * factor;
}

/** `sum(increase(series[rangeMs]))` at one instant: reference.ts `sumIncreaseAt` bit for bit (same order of the sum). */
export function sumIncreaseAtFast(series: readonly Series[], ts: number, rangeMs: number): number | undefined {
  let sum: number | undefined;
  for (const s of series) {
    const x = increaseAtFast(s, ts, rangeMs);
    if (x === undefined) continue;
    sum = sum === undefined ? x : sum + x;
  }
  return sum;
}

// ---- bounds: where an error ratio cannot exceed a threshold, without computing it ----
//
// An alert rule's condition holds at few steps, and its exact value costs a dozen floating-point
// operations (six divisions) a series and step. `ratioCandidates` proves, a block of steps at a
// time, where `error ratio > threshold` cannot hold, so that the exact path computes only the rest.
//
// For a counter whose values are all finite and ≥ 0, the raw increase r (last − first + the value
// before each reset) over a range only grows with the range. Every window [T − R, T] of the steps
// T in [T₁, T₂] (T₂ − T₁ < R) holds [T₂ − R, T₁] and lies in [T₁ − R, T₂], so its r is between
// those two ranges' r. Prometheus' extrapolation multiplies r by F = (S + d₁ + d₂) / S, with
// 0 ≤ dᵢ ≤ 1.1 S/m for m + 1 samples: 1 ≤ F ≤ 1 + 2.2/m, m at least the inner range's. Floating
// point: every raw r is within M (a bound on the rounding of its sums, from the series' largest
// value and reset total) of the real number, and the sums and quotients below carry a relative
// 1e-9 margin, far beyond the roundings of a few dozen operations. A block whose bound is at most
// the threshold is left out; every other step is computed exactly, so the condition is the same.
//
// bad/total: bad/total ≤ (Σ r_bad(outer) × F) / Σ r_total(inner).
//
// good/total (1 − good/total, latency buckets over the count): bounding the two sides apart leaves
// an absolute slack of tenths of a ratio (the inner and outer ranges differ by a quarter of the
// window), useless near a ratio of 1. When every series of both sides has the same timestamps (one
// scrape: a histogram's bucket and count, the requests of one job), the sample indices of a window
// are the same in all, and X = Σ r_total − Σ r_good is a sum over the window's samples of
// x_k = Σ inc_total,k − Σ inc_good,k (inc: the counter's increase at sample k, its value after a
// reset). Where every x_k ≥ 0 (a bucket never grows faster than its count), X grows with the range
// too; in general X(window) ≤ X(outer) + S, S the sum of max(0, −x_k) over the whole series
// (rounding included: ≈ 0 for consistent data, a looser bound otherwise, never a wrong one). With
// good = Σ r_good × F ≥ Σ r_good and total ≤ F_max × Σ r_total:
//   1 − good/total ≤ 1 − Σ r_good / total = 1 − Σ r_total/total + X/total
//                  ≤ (1 − 1/F_max) + max(0, X(outer) + S) / Σ r_total(inner),
// a slack of about 2.2/m (0.04 for a 1h window, 0.0015 for 1d) plus a relative one on the ratio.
// The exact error ratio is within ~1e-15 of the real number (it is at most a few): the threshold
// gets an absolute 1e-9 margin.

/** (1 + 2.2/m) × (1 + 1e-12) for m = 1, 2, …: the largest extrapolation factor over m + 1 samples. */
let boundTable = new Float64Array(0);

function boundFactors(m: number): Float64Array {
  if (m < boundTable.length) return boundTable;
  const size = Math.max(m + 1, boundTable.length * 2, 1024);
  const b = new Float64Array(size);
  b[0] = Infinity;
  for (let j = 1; j < size; j++) b[j] = (1 + 2.2 / j) * (1 + 1e-12);
  boundTable = b;
  return b;
}

/** The raw increase over samples a..last (for bounds: within the margin of the exact path's). */
function rawIncrease(c: Compiled, a: number, last: number): number {
  const resetAt = c.resetAt;
  if (resetAt.length === 0) return c.v[last] - c.v[a];
  const k0 = lowerBound(resetAt, a + 1);
  const k1 = lowerBound(resetAt, last + 1, k0);
  return c.v[last] - c.v[a] + (c.resetCum[k1] - c.resetCum[k0]);
}

// lowerBound / upperBound of a series' times, starting from where evenly spaced samples would put
// x (`scale` = (len − 1) / (t[last] − t[0])): scrapes are nearly regular, so the guess is a sample
// or two away and a few steps find it; otherwise a binary search does.

function guessIndex(t: Float64Array, x: number, scale: number): number {
  const i = Math.floor((x - t[0]) * scale) + 1;
  return i >= 0 ? (i <= t.length ? i : t.length) : 0;
}

/** lowerBound(t, x): the first index with t[i] ≥ x. */
function lowerNear(t: Float64Array, x: number, scale: number): number {
  const len = t.length;
  let i = guessIndex(t, x, scale);
  if (i < len && t[i] < x) {
    for (let g = 0; g < 8; g++) {
      i++;
      if (i >= len || t[i] >= x) return i;
    }
    return lowerBound(t, x, i);
  }
  for (let g = 0; g < 8; g++) {
    if (i === 0 || t[i - 1] < x) return i;
    i--;
  }
  let lo = 0;
  let hi = i;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** upperBound(t, x): the first index with t[i] > x. */
function upperNear(t: Float64Array, x: number, scale: number): number {
  const len = t.length;
  let i = guessIndex(t, x, scale);
  if (i < len && t[i] <= x) {
    for (let g = 0; g < 8; g++) {
      i++;
      if (i >= len || t[i] > x) return i;
    }
    return upperBound(t, x, i);
  }
  for (let g = 0; g < 8; g++) {
    if (i === 0 || t[i - 1] <= x) return i;
    i--;
  }
  let lo = 0;
  let hi = i;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where a block's outer and inner ranges start and end in one array of sample times. */
class TimeCursor {
  aU = 0;
  bU = 0;
  aI = 0;
  bI = 0;
  /** The inner range's intervals (< 1: no bound). */
  mI = 0;
  private readonly scale: number;

  constructor(private readonly t: Float64Array) {
    const span = t.length > 1 ? t[t.length - 1] - t[0] : 0;
    this.scale = span > 0 ? (t.length - 1) / span : 0;
  }

  /** The block of instants ts1..ts2 of a range of rangeMs. */
  at(ts1: number, ts2: number, rangeMs: number): void {
    const t = this.t;
    if (t.length === 0) {
      this.mI = -1;
      return;
    }
    // First sample ≥ start and first sample > end, for the outer and the inner range.
    this.aU = lowerNear(t, ts1 - rangeMs, this.scale);
    this.bU = upperNear(t, ts2, this.scale);
    this.aI = lowerNear(t, ts2 - rangeMs, this.scale);
    this.bI = upperNear(t, ts1, this.scale);
    this.mI = this.bI - 1 - this.aI;
  }
}

/** The series of an SLI's two sides as the bounds read them, kept for the rules and SLOs that share them. */
interface Sides {
  readonly num: readonly Series[];
  readonly den: readonly Series[];
  /** Each series once (one on both sides, the bad requests among all, is read once). */
  readonly uniq: readonly Compiled[];
  readonly numIdx: readonly number[];
  readonly denIdx: readonly number[];
  /** Every series on the same timestamps (one scrape): one search per block serves them all. */
  readonly sameTimes: boolean;
  /** Every value finite and ≥ 0 (else no bound holds). */
  readonly bounded: boolean;
  /** S of the good/total bound (see above), once asked. */
  slack?: number;
}

const sidesCache: Sides[] = [];

function sidesOf(num: readonly Series[], den: readonly Series[]): Sides {
  for (const x of sidesCache) if (x.num === num && x.den === den) return x;
  const uniq: Compiled[] = [];
  const at = new Map<Compiled, number>();
  const index = (s: Series): number => {
    const c = compile(s);
    let i = at.get(c);
    if (i === undefined) {
      i = uniq.length;
      uniq.push(c);
      at.set(c, i);
    }
    return i;
  };
  const numIdx = num.map(index);
  const denIdx = den.map(index);
  const x: Sides = { num, den, uniq, numIdx, denIdx, sameTimes: sameTimes(uniq), bounded: uniq.every((c) => c.margin >= 0) };
  sidesCache.unshift(x);
  if (sidesCache.length > 4) sidesCache.pop();
  return x;
}

function sameTimes(cs: readonly Compiled[]): boolean {
  if (cs.length === 0) return false;
  const t = cs[0].t;
  for (const c of cs) {
    if (c.t === t) continue;
    if (c.t.length !== t.length) return false;
    const u = c.t;
    for (let i = 0; i < t.length; i++) if (u[i] !== t[i]) return false;
  }
  return true;
}

/**
 * An upper bound of S = Σ max(0, −x_k) over every sample of series on the same timestamps whose
 * values are all finite and ≥ 0. With x̃_k the float value of x_k and e_k its rounding bound,
 * max(0, −x_k) ≤ e_k + max(0, −x̃_k): the e_k sum to a rounding share of the series' whole
 * increases, and the loop only adds the x̃_k below zero (none for a consistent histogram).
 */
function alignedSlack(num: readonly Compiled[], den: readonly Compiled[]): number {
  const all = [...den, ...num];
  const len = all[0].t.length;
  if (len < 2) return 0;
  const terms = all.length;
  const nDen = den.length;
  // Every increment is ≥ 0 (values finite and ≥ 0): Σ_k e_k ≤ errPer × Σ of each series' whole raw increase.
  const errPer = (terms + 1) * 2.3e-16;
  let increases = 0;
  for (const c of all) increases += rawIncrease(c, 0, len - 1) + 2 * c.margin;
  let neg = 0;
  if (nDen === 1 && terms === 2) {
    // One count over one bucket (a latency SLI).
    const dv = den[0].v;
    const nv = num[0].v;
    let pd = dv[0];
    let pg = nv[0];
    for (let k = 1; k < len; k++) {
      const cd = dv[k];
      const cg = nv[k];
      const x = (cd >= pd ? cd - pd : cd) - (cg >= pg ? cg - pg : cg);
      pd = cd;
      pg = cg;
      if (x < 0) neg -= x;
    }
  } else {
    for (let k = 1; k < len; k++) {
      let x = 0;
      for (let s = 0; s < terms; s++) {
        const v = all[s].v;
        const cur = v[k];
        const prev = v[k - 1];
        const inc = cur >= prev ? cur - prev : cur;
        if (s < nDen) x += inc;
        else x -= inc;
      }
      if (x < 0) neg -= x;
    }
  }
  return errPer * increases * (1 + 1e-9) + neg * (1 + 1e-6);
}

const REL = 1e-9;
/** The absolute margin of a good/total ratio against its threshold. */
const ABS = 1e-9;

/**
 * The steps (sorted grid indices) where `sum(increase(num[R])) / sum(increase(den[R]))` (bad) or
 * 1 − that (good) may exceed `threshold`; at every other step it provably does not or has no value
 * (see above). undefined for a good/total ratio whose series are not on the same timestamps (no
 * useful bound: compute it whole).
 */
export function ratioCandidates(num: readonly Series[], den: readonly Series[], bad: boolean, rangeMs: number, grid: StepGrid, threshold: number): Int32Array | undefined {
  const n = gridSize(grid);
  // Blocks an eighth of the window long: the two ranges differ from each window by that.
  const blockSteps = Math.max(1, Math.floor(rangeMs / grid.step / 8));
  const blockable = n > 0 && blockSteps * grid.step < rangeMs && num.length > 0 && den.length > 0;
  const sides = blockable ? sidesOf(num, den) : undefined;
  let slack = 0;
  if (!bad) {
    if (sides === undefined || !sides.sameTimes || !sides.bounded) return undefined;
    slack = sides.slack ??= alignedSlack(
      num.map((x) => compile(x)),
      den.map((x) => compile(x)),
    );
    if (!(slack >= 0)) return undefined;
  }
  if (n === 0) return new Int32Array(0);
  const steps = new StepList();
  if (sides === undefined || !sides.bounded) {
    steps.addRange(0, n - 1);
    return steps.done();
  }
  const { uniq, numIdx, denIdx } = sides;
  const cursors = sides.sameTimes ? [new TimeCursor(uniq[0].t)] : uniq.map((c) => new TimeCursor(c.t));
  const cursorOf = sides.sameTimes ? uniq.map(() => cursors[0]) : cursors;
  const rU = new Float64Array(uniq.length);
  const rI = new Float64Array(uniq.length);
  /** Whether the ratio provably stays at or below the threshold at the steps k1..k2. */
  const provablyBelow = (k1: number, k2: number): boolean => {
    const ts1 = grid.start + k1 * grid.step;
    const ts2 = grid.start + k2 * grid.step;
    for (const tc of cursors) {
      tc.at(ts1, ts2, rangeMs);
      if (!(tc.mI >= 1)) return false;
    }
    for (let u = 0; u < uniq.length; u++) {
      const tc = cursorOf[u];
      rU[u] = rawIncrease(uniq[u], tc.aU, tc.bU - 1);
      rI[u] = rawIncrease(uniq[u], tc.aI, tc.bI - 1);
    }
    if (bad) {
      let numHi = 0;
      for (const u of numIdx) {
        const mI = cursorOf[u].mI;
        numHi += (rU[u] + 2 * uniq[u].margin) * boundFactors(mI + 1)[mI];
      }
      let denLo = 0;
      for (const u of denIdx) {
        const mI = cursorOf[u].mI;
        const m = uniq[u].margin;
        denLo += rI[u] - 2 * m - m * boundFactors(mI + 1)[mI];
      }
      numHi += Math.abs(numHi) * REL;
      denLo -= Math.abs(denLo) * REL;
      return Number.isFinite(numHi) && Number.isFinite(denLo) && denLo > 0 && (numHi / denLo) * (1 + REL) <= threshold;
    }
    // X(outer) = Σ r_total − Σ r_good, each raw within 2M; Σ r_total(inner); the largest factor.
    let xHi = slack;
    let denLo = 0;
    let fMax = 1;
    for (const u of denIdx) {
      const m = uniq[u].margin;
      xHi += rU[u] + 2 * m;
      denLo += rI[u] - 2 * m;
      const mI = cursorOf[u].mI;
      const f = boundFactors(mI + 1)[mI];
      if (f > fMax) fMax = f;
    }
    for (const u of numIdx) xHi -= rU[u] - 2 * uniq[u].margin;
    xHi += Math.abs(xHi) * REL;
    denLo -= Math.abs(denLo) * REL;
    if (!(Number.isFinite(xHi) && Number.isFinite(denLo) && denLo > 0)) return false;
    return (1 - 1 / fMax + Math.max(0, xHi) / denLo) * (1 + REL) + ABS <= threshold;
  };
  // Blocks of half a window first (most of the grid is far below any threshold), then the blocks
  // of an eighth inside those that are not provably below it.
  const coarseSteps = Math.max(blockSteps, Math.floor(rangeMs / grid.step / 2));
  for (let c1 = 0; c1 < n; c1 += coarseSteps) {
    const c2 = Math.min(n - 1, c1 + coarseSteps - 1);
    if (coarseSteps > blockSteps && provablyBelow(c1, c2)) continue;
    for (let k1 = c1; k1 <= c2; k1 += blockSteps) {
      const k2 = Math.min(c2, k1 + blockSteps - 1);
      if (!provablyBelow(k1, k2)) steps.addRange(k1, k2);
    }
  }
  return steps.done();
}

/** A growing list of step indices. */
class StepList {
  private a = new Int32Array(256);
  private size = 0;

  addRange(k1: number, k2: number): void {
    const need = this.size + (k2 - k1 + 1);
    if (need > this.a.length) {
      const b = new Int32Array(Math.max(need, this.a.length * 2));
      b.set(this.a.subarray(0, this.size));
      this.a = b;
    }
    for (let k = k1; k <= k2; k++) this.a[this.size++] = k;
  }

  done(): Int32Array {
    return this.a.slice(0, this.size);
  }
}

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
 * Adds `increase`/`rate`/`delta` of one series at every step of the grid into `out` (sum over
 * series), marking the steps where the series has a result.
 */
function accumulateExtrapolated(s: Series, rangeMs: number, grid: StepGrid, isCounter: boolean, isRate: boolean, out: GridValues, only?: Uint8Array): void {
  const { t, v, resetAt, resetPrev, resetCum } = compile(s);
  const n = out.v.length;
  const len = t.length;
  if (len < 2 || n === 0) return;
  const outV = out.v;
  const outPresent = out.present;
  const nResets = isCounter ? resetAt.length : 0;
  const rangeSeconds = rangeMs / 1000;
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
    const va = v[a];
    const ta = t[a];
    const tl = t[last];
    let result = v[last] - va;
    if (nResets > 0) {
      while (k0 < nResets && resetAt[k0] <= a) k0++;
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
    if (isRate) factor /= rangeSeconds;
    const value = result * factor;
    if (outPresent[k]) outV[k] += value;
    else {
      outV[k] = value;
      outPresent[k] = 1;
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

/** M of a compiled series (NaN: a value is negative or not finite, so no bound holds). */
const marginOf = new WeakMap<Compiled, number>();

function roundingMargin(c: Compiled): number {
  const hit = marginOf.get(c);
  if (hit !== undefined) return hit;
  let maxAbs = 0;
  let ok = true;
  for (let i = 0; i < c.v.length; i++) {
    const x = c.v[i];
    if (!(x >= 0 && x < Infinity)) {
      ok = false;
      break;
    }
    if (x > maxAbs) maxAbs = x;
  }
  const resetTotal = c.resetCum[c.resetCum.length - 1];
  const m = ok && Number.isFinite(resetTotal) ? (16 * c.resetAt.length + 32) * 2.3e-16 * (2 * maxAbs + resetTotal) : NaN;
  marginOf.set(c, m);
  return m;
}

/** The raw increase over samples a..last (for bounds: within the margin of the exact path's). */
function rawIncrease(c: Compiled, a: number, last: number): number {
  const k0 = lowerBound(c.resetAt, a + 1);
  const k1 = lowerBound(c.resetAt, last + 1, k0);
  return c.v[last] - c.v[a] + (c.resetCum[k1] - c.resetCum[k0]);
}

const REL = 1e-9;

/**
 * 1 at the steps where `sum(increase(num[R])) / sum(increase(den[R]))` (bad) or 1 − that (good) may
 * exceed `threshold`, 0 where it provably does not or has no value (see above).
 */
export function ratioCandidates(num: readonly Series[], den: readonly Series[], bad: boolean, rangeMs: number, grid: StepGrid, threshold: number): Uint8Array {
  const n = gridSize(grid);
  const mask = new Uint8Array(n);
  if (n === 0) return mask;
  // Blocks an eighth of the window long: the two ranges differ from each window by that.
  const blockSteps = Math.max(1, Math.floor(rangeMs / grid.step / 8));
  if (!(blockSteps * grid.step < rangeMs) || num.length === 0 || den.length === 0) return mask.fill(1);
  const sides = [num, den].map((series) => series.map((s) => ({ c: compile(s), m: 0, aU: 0, bU: 0, aI: 0, bI: 0 })));
  for (const side of sides) for (const x of side) x.m = roundingMargin(x.c);
  const bounds = { lo: 0, hi: 0, ok: true };
  const sideBounds = (side: (typeof sides)[number], ts1: number, ts2: number): void => {
    let lo = 0;
    let hi = 0;
    let ok = true;
    for (const x of side) {
      const { t } = x.c;
      const len = t.length;
      // Cursors: first sample ≥ start and first sample > end, for the outer and the inner range.
      const uStart = ts1 - rangeMs;
      const iStart = ts2 - rangeMs;
      while (x.aU < len && t[x.aU] < uStart) x.aU++;
      if (x.bU < x.aU) x.bU = x.aU;
      while (x.bU < len && t[x.bU] <= ts2) x.bU++;
      while (x.aI < len && t[x.aI] < iStart) x.aI++;
      if (x.bI < x.aI) x.bI = x.aI;
      while (x.bI < len && t[x.bI] <= ts1) x.bI++;
      const mI = x.bI - 1 - x.aI;
      if (!(mI >= 1) || !(x.m >= 0)) {
        ok = false;
        continue;
      }
      const rU = rawIncrease(x.c, x.aU, x.bU - 1);
      const rI = rawIncrease(x.c, x.aI, x.bI - 1);
      const B = boundFactors(mI + 1)[mI];
      hi += (rU + 2 * x.m) * B;
      lo += rI - 2 * x.m - x.m * B;
    }
    bounds.lo = lo - Math.abs(lo) * REL;
    bounds.hi = hi + Math.abs(hi) * REL;
    bounds.ok = ok && Number.isFinite(bounds.lo) && Number.isFinite(bounds.hi);
  };
  for (let k1 = 0; k1 < n; k1 += blockSteps) {
    const k2 = Math.min(n - 1, k1 + blockSteps - 1);
    const ts1 = grid.start + k1 * grid.step;
    const ts2 = grid.start + k2 * grid.step;
    sideBounds(sides[0], ts1, ts2);
    const numOk = bounds.ok;
    const numLo = bounds.lo;
    const numHi = bounds.hi;
    sideBounds(sides[1], ts1, ts2);
    let skip = false;
    if (numOk && bounds.ok && bounds.lo > 0) {
      if (bad) skip = (numHi / bounds.lo) * (1 + REL) <= threshold;
      else if (numLo >= 0) skip = 1 - (numLo / bounds.hi) * (1 - REL) <= threshold;
    }
    if (!skip) mask.fill(1, k1, k2 + 1);
  }
  return mask;
}

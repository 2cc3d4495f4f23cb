// Backtesting multiwindow burn-rate alerts on sample data. A rule (factor, long window, short
// window, for) on an SLO with error budget b has the condition
//   error_ratio[long] > factor × b  and  error_ratio[short] > factor × b
// evaluated on a grid as a rule group evaluates it; the alert follows Prometheus' rule manager
// (rules/alerting.go, 2.42): the first evaluation where the condition holds makes it pending
// (activeAt); it fires at the first evaluation with ts − activeAt ≥ for (at once with for = 0); an
// evaluation where the condition does not hold drops a pending alert and resolves a firing one
// (resolvedAt), unless keep_firing_for keeps it firing that long after the condition stopped.
import { type GridValues, gridSize, type StepGrid, type StepValues } from './fast.js';
import { errorRatioAtSteps, errorRatioCandidates, errorRatioGrid, type ResolvedSli } from './sli.js';

export interface BurnRateRule {
  readonly factor: number;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
  readonly forSeconds?: number;
  /** factor × budget as the generated rule writes it; computed from the budget when absent. */
  readonly threshold?: number;
}

export interface AlertEvent {
  /** The evaluation at which the alert became pending. */
  readonly activeAt: number;
  /** The evaluation at which it started firing. */
  readonly firedAt: number;
  /** The first evaluation at which it no longer fired; absent while still firing at the grid's end. */
  readonly resolvedAt?: number;
}

export interface BurnRateBacktest {
  readonly threshold: number;
  readonly long: GridValues;
  readonly short: GridValues;
  /** 1 at the steps where the condition holds (the alert expression has a result). */
  readonly condition: Uint8Array;
  readonly alerts: AlertEvent[];
}

/** The rule manager's alert states over the evaluations `t` where `condition` holds or not. */
export function alertTimeline(t: ArrayLike<number>, condition: ArrayLike<number>, forSeconds = 0, keepFiringForSeconds = 0): AlertEvent[] {
  const forMs = forSeconds * 1000;
  const keepMs = keepFiringForSeconds * 1000;
  const events: AlertEvent[] = [];
  let state: 'inactive' | 'pending' | 'firing' = 'inactive';
  let activeAt = 0;
  let firedAt = 0;
  let keepFiringSince: number | undefined;
  for (let k = 0; k < t.length; k++) {
    const ts = t[k];
    if (condition[k]) {
      keepFiringSince = undefined;
      if (state === 'inactive') {
        state = 'pending';
        activeAt = ts;
      }
      if (state === 'pending' && ts - activeAt >= forMs) {
        state = 'firing';
        firedAt = ts;
      }
      continue;
    }
    if (state === 'pending') state = 'inactive';
    else if (state === 'firing') {
      if (keepMs > 0) {
        keepFiringSince ??= ts;
        if (ts - keepFiringSince < keepMs) continue;
      }
      events.push({ activeAt, firedAt, resolvedAt: ts });
      state = 'inactive';
      keepFiringSince = undefined;
    }
  }
  if (state === 'firing') events.push({ activeAt, firedAt });
  return events;
}

/** The steps where both windows' error ratios exceed the threshold (PromQL `>` filters: NaN never does). */
export function burnRateCondition(long: GridValues, short: GridValues, threshold: number): Uint8Array {
  const n = long.v.length;
  const c = new Uint8Array(n);
  for (let k = 0; k < n; k++) c[k] = long.present[k] && short.present[k] && long.v[k] > threshold && short.v[k] > threshold ? 1 : 0;
  return c;
}

/** Backtests one burn-rate rule of an SLO with error budget `budget` (1 − objective) over the grid. */
export function backtestBurnRate(r: ResolvedSli, rule: BurnRateRule, budget: number, grid: StepGrid): BurnRateBacktest {
  const threshold = rule.threshold ?? rule.factor * budget;
  const long = errorRatioGrid(r, rule.longWindowSeconds * 1000, grid);
  const short = errorRatioGrid(r, rule.shortWindowSeconds * 1000, grid);
  const condition = burnRateCondition(long, short, threshold);
  return { threshold, long, short, condition, alerts: alertTimeline(long.t, condition, rule.forSeconds ?? 0) };
}

/**
 * The error ratios of one SLI over whole grids, kept per window so that the rules of an SLO (the
 * default policy's 6h is one rule's long window and another's short one) and the SLOs on the same
 * SLI evaluate each window once. One SLI at a time: `for` a new SLI drops the previous one's grids.
 */
export class WindowGrids {
  private r: ResolvedSli | undefined;
  private grid: StepGrid | undefined;
  private readonly byWindow = new Map<number, GridValues>();

  /** The grids already computed for (r, grid), emptied when either changes. */
  private on(r: ResolvedSli, grid: StepGrid): Map<number, GridValues> {
    if (this.r !== r || this.grid === undefined || this.grid.start !== grid.start || this.grid.end !== grid.end || this.grid.step !== grid.step) {
      this.byWindow.clear();
      this.r = r;
      this.grid = grid;
    }
    return this.byWindow;
  }

  cached(r: ResolvedSli, windowMs: number, grid: StepGrid): GridValues | undefined {
    return this.on(r, grid).get(windowMs);
  }

  full(r: ResolvedSli, windowMs: number, grid: StepGrid): GridValues {
    const m = this.on(r, grid);
    let g = m.get(windowMs);
    if (!g) m.set(windowMs, (g = errorRatioGrid(r, windowMs, grid)));
    return g;
  }
}

/** 1 where the error ratio has a result above the threshold (PromQL `>`: NaN never is). */
function above(g: GridValues, threshold: number): Uint8Array {
  const n = g.v.length;
  const c = new Uint8Array(n);
  const v = g.v;
  const p = g.present;
  for (let k = 0; k < n; k++) c[k] = p[k] && v[k] > threshold ? 1 : 0;
  return c;
}

/**
 * `alertTimeline` (without keep_firing_for) when the condition holds exactly at the sorted grid
 * steps `k` of `grid`: each run of consecutive steps is one pending span, firing once `for` has
 * passed within it, resolved at the step after it (still firing when it reaches the grid's end).
 */
export function alertsAtSteps(k: ArrayLike<number>, grid: StepGrid, forSeconds = 0): AlertEvent[] {
  const forMs = forSeconds * 1000;
  const n = gridSize(grid);
  const at = (j: number) => grid.start + j * grid.step;
  const events: AlertEvent[] = [];
  for (let i = 0; i < k.length; ) {
    const first = k[i];
    let last = first;
    i++;
    while (i < k.length && k[i] === last + 1) last = k[i++];
    const activeAt = at(first);
    // The first step of the run at least `for` after its start.
    let fired = -1;
    for (let j = first; j <= last; j++) {
      if (at(j) - activeAt >= forMs) {
        fired = j;
        break;
      }
    }
    if (fired < 0) continue;
    if (last + 1 < n) events.push({ activeAt, firedAt: at(fired), resolvedAt: at(last + 1) });
    else events.push({ activeAt, firedAt: at(fired) });
  }
  return events;
}

/** The steps of `k` where `g` (values at those steps) has a result above the threshold. */
function stepsAbove(g: StepValues, threshold: number): Int32Array {
  let count = 0;
  for (let i = 0; i < g.k.length; i++) if (g.present[i] && g.v[i] > threshold) count++;
  const out = new Int32Array(count);
  for (let i = 0, j = 0; i < g.k.length; i++) if (g.present[i] && g.v[i] > threshold) out[j++] = g.k[i];
  return out;
}

/**
 * `backtestBurnRate`'s threshold and alerts (the same, bit for bit) for less work: the long window's
 * error ratio only at the steps where bounds say it may exceed the threshold (sli.ts
 * `errorRatioCandidates`), the short one's only where the long one does (elsewhere the condition
 * fails whatever it is), in time proportional to those steps. SLIs without bounds (time slices,
 * good/total ratios on different timestamps) compute the long window on the whole grid (or the
 * short one, when an earlier rule computed it), shared through `grids` between the rules and SLOs of
 * one SLI.
 */
export function backtestBurnRateAlerts(r: ResolvedSli, rule: BurnRateRule, budget: number, grid: StepGrid, grids: WindowGrids = new WindowGrids()): { threshold: number; alerts: AlertEvent[] } {
  const threshold = rule.threshold ?? rule.factor * budget;
  const longMs = rule.longWindowSeconds * 1000;
  const shortMs = rule.shortWindowSeconds * 1000;
  const candidates = errorRatioCandidates(r, longMs, grid, threshold);
  if (candidates !== undefined) {
    if (candidates.length === 0) return { threshold, alerts: [] };
    const longSteps = stepsAbove(errorRatioAtSteps(r, longMs, grid, candidates), threshold);
    if (longSteps.length === 0) return { threshold, alerts: [] };
    const full = grids.cached(r, shortMs, grid);
    let both: Int32Array;
    if (full) both = longSteps.filter((k) => full.present[k] === 1 && full.v[k] > threshold);
    else both = stepsAbove(errorRatioAtSteps(r, shortMs, grid, longSteps), threshold);
    return { threshold, alerts: alertsAtSteps(both, grid, rule.forSeconds ?? 0) };
  }
  // The default policy's 6h is a long window and a later rule's short one: reuse it whole.
  const useShort = grids.cached(r, longMs, grid) === undefined && grids.cached(r, shortMs, grid) !== undefined;
  const first = grids.full(r, useShort ? shortMs : longMs, grid);
  const otherMs = useShort ? longMs : shortMs;
  const condition = above(first, threshold);
  const t = first.t;
  // A condition that never holds raises no alert: alertTimeline would walk the grid for nothing.
  if (!condition.includes(1)) return { threshold, alerts: [] };
  const other = grids.cached(r, otherMs, grid) ?? errorRatioGrid(r, otherMs, grid, condition);
  const v = other.v;
  const p = other.present;
  for (let k = 0; k < condition.length; k++) if (condition[k] && !(p[k] && v[k] > threshold)) condition[k] = 0;
  return { threshold, alerts: alertTimeline(t, condition, rule.forSeconds ?? 0) };
}

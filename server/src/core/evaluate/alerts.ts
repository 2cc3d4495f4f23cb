// Backtesting multiwindow burn-rate alerts on sample data. A rule (factor, long window, short
// window, for) on an SLO with error budget b has the condition
//   error_ratio[long] > factor × b  and  error_ratio[short] > factor × b
// evaluated on a grid as a rule group evaluates it; the alert follows Prometheus' rule manager
// (rules/alerting.go, 2.42): the first evaluation where the condition holds makes it pending
// (activeAt); it fires at the first evaluation with ts − activeAt ≥ for (at once with for = 0); an
// evaluation where the condition does not hold drops a pending alert and resolves a firing one
// (resolvedAt), unless keep_firing_for keeps it firing that long after the condition stopped.
import { type GridValues, type StepGrid } from './fast.js';
import { errorRatioGrid, type ResolvedSli } from './sli.js';

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

// Time-slice SLIs: `1 - avg_over_time((min(gauge <op> bool value))[W:slice])`.
// 1. Cases worked out by hand (slice instants on multiples of the slice, both ends of the window,
//    the lookback, one bad series among two, no series, NaN and stale markers) and the PromQL text.
// 2. The fast grid path (fast.ts `slicesGrid`) equals the reference (reference.ts `slicesAt`) on
//    random gauges (fast-check).
// 3. Both equal a real Prometheus 2.42 on three days of jittered 1-minute data: a gauge that crosses
//    the threshold (and sits exactly on it), gaps longer than the lookback (one series, then both),
//    two series of which only one is bad, a NaN sample; query_range on grids on and off the minute,
//    instant queries at many instants, the slice counts themselves, and a burn-rate condition,
//    within 1e-9 relative.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alignedInstants,
  backtestBurnRate,
  errorRatioAt,
  errorRatioGrid,
  gridTimes,
  promqlDuration,
  promqlNumber,
  type ResolvedSli,
  resolveSli,
  type Series,
  sliceCountsAt,
  sliceGoodAt,
  slicesAt,
  slicesGrid,
  staleNaN,
  type StepGrid,
  timesliceErrorExpression,
  type ComparisonOp,
} from '../../server/src/core/evaluate/index.js';
import type { Selector, TimesliceSli } from '../../server/src/core/model/model.js';
import { type PrometheusServer, type PromSample, startPrometheusWith } from '../helpers/prometheus.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function series(labels: Record<string, string>, t: number[], v: number[], metric = 'lag_seconds'): Series {
  return { metric, labels, t: Float64Array.from(t), v: Float64Array.from(v) };
}

function sel(metric: string, matchers: [string, '=' | '!=' | '=~' | '!~', string][]): Selector {
  const ms = matchers.map(([label, op, value]) => ({ label, op, value }));
  const inner = ms.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');
  return { metric, matchers: ms, text: inner ? `${metric}{${inner}}` : metric };
}

function timeslice(name: string, gauge: Selector, op: TimesliceSli['goodWhen']['op'], value: number, sliceSeconds: number): TimesliceSli {
  return { id: `sli:db.${name}`, name, service: 'service:db', kind: 'timeslice', gauge, goodWhen: { op, value }, sliceSeconds };
}

function resolved(sli: TimesliceSli, data: Series[]): ResolvedSli {
  const r = resolveSli(sli, data);
  expect(r.issues).toEqual([]);
  return r.resolved!;
}

describe('time slices, worked by hand', () => {
  // One sample a minute on the minute: 0.1 (good) except 0.5 at 10 min and 0.3 (on the threshold) at 20 min.
  const t = Array.from({ length: 121 }, (_, i) => i * MIN);
  const a = series({ r: 'a' }, t, t.map((_, i) => (i === 10 ? 0.5 : i === 20 ? 0.3 : 0.1)));

  it('slices are the multiples of the slice in [T − W, T], both ends included', () => {
    expect(alignedInstants(0, HOUR, MIN)).toHaveLength(61);
    expect(alignedInstants(30_000, HOUR + 30_000, MIN)).toHaveLength(60);
    expect(alignedInstants(-90_000, 0, MIN)).toEqual([-60_000, 0]);
    expect(slicesAt([a], HOUR, HOUR, MIN, '<', 0.3)).toEqual({ good: 59, total: 61 });
    // Off the minute: 60 slices (1 … 60 min), the same two bad ones.
    expect(slicesAt([a], HOUR + 30_000, HOUR, MIN, '<', 0.3)).toEqual({ good: 58, total: 60 });
    // `<=` takes the sample on the threshold as good.
    expect(slicesAt([a], HOUR, HOUR, MIN, '<=', 0.3)).toEqual({ good: 60, total: 61 });
    // Slices of 5 m: 0, 5, …, 60 min; the samples at 10 and 20 min are on slice instants.
    expect(slicesAt([a], HOUR, HOUR, 5 * MIN, '<', 0.3)).toEqual({ good: 11, total: 13 });
    expect(errorRatioAt(resolved(timeslice('x', sel('lag_seconds', []), '<', 0.3, 60), [a]), HOUR, HOUR)).toBe(1 - 59 / 61);
  });

  it('a slice between scrapes sees the latest sample within the 5 m lookback', () => {
    const sparse = series({ r: 'a' }, [0, 10 * MIN], [0.1, 0.5]);
    // At 1 … 5 min the sample at 0 still counts (5 m inclusive); 6 … 9 min have no value.
    expect([1, 5, 6, 9, 10].map((m) => sliceGoodAt([sparse], m * MIN, '<', 0.3))).toEqual([1, 1, undefined, undefined, 0]);
    expect(slicesAt([sparse], 10 * MIN, 10 * MIN, MIN, '<', 0.3)).toEqual({ good: 6, total: 7 });
    expect(slicesAt([sparse], 9 * MIN, 3 * MIN, MIN, '<', 0.3)).toBeUndefined();
  });

  it('a slice is good only when every series with a value is; no series: the slice does not count', () => {
    const b = series({ r: 'b' }, [0, MIN, 2 * MIN, 30 * MIN], [0.1, 0.9, 0.1, 0.1]);
    expect(sliceGoodAt([a, b], 0, '<', 0.3)).toBe(1);
    expect(sliceGoodAt([a, b], MIN, '<', 0.3)).toBe(0); // only b is bad
    expect(sliceGoodAt([a, b], 10 * MIN, '<', 0.3)).toBe(0); // only a is bad
    expect(sliceGoodAt([a, b], 15 * MIN, '<', 0.3)).toBe(1); // b has no value any more: a decides
    expect(sliceGoodAt([a, b], 200 * MIN, '<', 0.3)).toBeUndefined();
    const g = gridTimes({ start: 0, end: 2 * HOUR, step: MIN });
    const grid = slicesGrid([a, b], 10 * MIN, MIN, '<', 0.3, { start: 0, end: 2 * HOUR, step: MIN });
    g.forEach((ts, k) => {
      const want = slicesAt([a, b], ts, 10 * MIN, MIN, '<', 0.3);
      expect([grid.good[k], grid.total[k]]).toEqual(want ? [want.good, want.total] : [0, 0]);
    });
  });

  it('NaN compares false (a bad slice); a stale marker ends the series (no value)', () => {
    const s = series({ r: 'a' }, [0, MIN, 2 * MIN], [0.1, Number.NaN, staleNaN()]);
    expect(sliceGoodAt([s], MIN, '<', 0.3)).toBe(0);
    expect(sliceGoodAt([s], MIN, '>=', 0.3)).toBe(0);
    expect(sliceGoodAt([s], 2 * MIN, '<', 0.3)).toBeUndefined();
    expect(slicesGrid([s], 2 * MIN, MIN, '<', 0.3, { start: 2 * MIN, end: 2 * MIN, step: 1 }).total[0]).toBe(2);
  });

  it('the PromQL: a bool comparison, min across series, a subquery stepping by the slice', () => {
    const sli = timeslice('fresh', sel('pg_replication_lag_seconds', [['cluster', '=', 'main']]), '<=', 5, 60);
    expect(timesliceErrorExpression(sli)).toBe('1 - avg_over_time((min(pg_replication_lag_seconds{cluster="main"} <= bool 5))[$window:1m])');
    expect(timesliceErrorExpression({ ...sli, goodWhen: { op: '<', value: 0.3 }, sliceSeconds: 90 }, '1h')).toBe('1 - avg_over_time((min(pg_replication_lag_seconds{cluster="main"} < bool 0.3))[1h:90s])');
    const r = resolveSli(sli, []);
    expect(r.issues.map((i) => i.code)).toEqual(['data/no-series']);
    expect(r.resolved?.expression).toBe(timesliceErrorExpression(sli));
    expect(r.resolved && errorRatioAt(r.resolved, HOUR, HOUR)).toBeUndefined();
    expect(r.resolved && sliceCountsAt(r.resolved, HOUR, HOUR)).toBeUndefined();
  });

  it.each([
    [60_000, '1m'],
    [90_000, '90s'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [500, '500ms'],
    [1500, '1500ms'],
  ])('promqlDuration(%s) = %s', (ms, want) => expect(promqlDuration(ms)).toBe(want));

  it.each([
    [0.3, '0.3'],
    [30, '30'],
    [1e-7, '1e-7'],
    [-2.5, '-2.5'],
    [Infinity, 'Inf'],
    [-Infinity, '-Inf'],
  ])('promqlNumber(%s) = %s', (x, want) => expect(promqlNumber(x)).toBe(want));
});

// ---- fast path = reference, on random gauges ----

const gaugeArb = fc.record({
  // On the minute most of the time, so that samples fall on slice instants and lookback edges.
  start: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -10, max: 10 }).map((m) => m * 60_000) }, { weight: 1, arbitrary: fc.integer({ min: -600_000, max: 600_000 }) }),
  samples: fc.array(
    fc.record({
      // Mostly every minute (often on the minute), sometimes a gap longer than the lookback.
      minutes: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 15 }) }),
      jitter: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.integer({ min: -5000, max: 5000 }) }),
      // Around the threshold 1, sometimes exactly on it, rarely NaN, ±Inf or a stale marker.
      value: fc.oneof(
        { weight: 30, arbitrary: fc.double({ min: 0, max: 2, noNaN: true }) },
        { weight: 4, arbitrary: fc.constant(1) },
        { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) },
        { weight: 1, arbitrary: fc.constant('stale' as const) },
      ),
    }),
    { minLength: 0, maxLength: 120 },
  ),
});

function buildGauge(g: { start: number; samples: { minutes: number; jitter: number; value: number | 'stale' }[] }, i: number): Series {
  const t: number[] = [];
  const v: number[] = [];
  let base = g.start;
  for (const s of g.samples) {
    base += s.minutes * MIN;
    const ts = base + s.jitter;
    if (t.length && ts <= t[t.length - 1]) continue;
    t.push(ts);
    v.push(s.value === 'stale' ? staleNaN() : s.value);
  }
  return series({ i: String(i) }, t, v);
}

const caseArb = fc.record({
  gauges: fc.array(gaugeArb, { minLength: 1, maxLength: 3 }),
  op: fc.constantFrom<ComparisonOp>('<', '<=', '>', '>=', '=='),
  slice: fc.oneof({ weight: 4, arbitrary: fc.constant(60_000) }, { weight: 2, arbitrary: fc.constantFrom(30_000, 120_000, 300_000) }, { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 900_000 }) }),
  range: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(60_000, 300_000, 3_600_000, 7_200_000) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 8_000_000 }) }),
  start: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -10, max: 120 }).map((m) => m * 60_000) }, { weight: 1, arbitrary: fc.integer({ min: -900_000, max: 8_000_000 }) }),
  step: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(60_000, 30_000) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_800_000 }) }),
  steps: fc.integer({ min: 1, max: 80 }),
});

describe('the fast grid path equals the reference for time slices', () => {
  it('slice counts and error ratios at every step', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const gauges = c.gauges.map(buildGauge);
        const grid: StepGrid = { start: c.start, step: c.step, end: c.start + (c.steps - 1) * c.step };
        const fast = slicesGrid(gauges, c.range, c.slice, c.op, 1, grid);
        const sli = timeslice('x', sel('lag_seconds', []), c.op as TimesliceSli['goodWhen']['op'], 1, c.slice / 1000);
        const r = resolveSli(sli, gauges).resolved!;
        const ratios = errorRatioGrid(r, c.range, grid);
        const times = gridTimes(grid);
        for (let k = 0; k < times.length; k++) {
          const want = slicesAt(gauges, times[k], c.range, c.slice, c.op, 1);
          const got = fast.total[k] === 0 ? undefined : { good: fast.good[k], total: fast.total[k] };
          if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`step ${k} at ${times[k]}: reference ${JSON.stringify(want)}, fast ${JSON.stringify(got)}`);
          const ratio = errorRatioAt(r, times[k], c.range);
          if (ratio === undefined ? ratios.present[k] !== 0 : !ratios.present[k] || ratios.v[k] !== ratio) throw new Error(`step ${k}: error ratio ${ratio} vs ${ratios.present[k] ? ratios.v[k] : 'none'}`);
          const one = sliceCountsAt(r, times[k], c.range);
          if (JSON.stringify(one) !== JSON.stringify(want)) throw new Error(`step ${k}: sliceCountsAt ${JSON.stringify(one)}`);
        }
      }),
      { numRuns: 400 },
    );
  });
});

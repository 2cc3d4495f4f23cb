// The preview's sparse backtest paths against the plain ones, bit for bit:
// - good/total SLIs shaped as latency ones (a histogram's bucket over its count: two distinct
//   series on the same timestamps), whose bounds rest on the per-sample increments of count minus
//   bucket — including histograms where the bucket sometimes grows faster than the count (the
//   bound then carries that slack), resets of both, NaN, negative values, stale markers and gaps;
// - the error ratio computed at a list of steps (`errorRatioAtSteps`) against the whole grid's;
// - the alert states of a condition given as the steps where it holds (`alertsAtSteps`) against
//   the rule manager's walk over every step (`alertTimeline`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertsAtSteps,
  alertTimeline,
  backtestBurnRate,
  backtestBurnRateAlerts,
  type BurnRateRule,
  errorRatioAtSteps,
  errorRatioCandidates,
  errorRatioGrid,
  gridTimes,
  type ResolvedSli,
  type Series,
  staleNaN,
  WindowGrids,
} from '../../server/src/core/evaluate/index.js';

const MIN = 60_000;

function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dataArb = fc.record({
  offset: fc.integer({ min: 0, max: 59_999 }),
  jitter: fc.boolean(),
  samples: fc.integer({ min: 2, max: 900 }),
  rate: fc.integer({ min: 1, max: 500 }),
  slowShare: fc.constantFrom(0, 0.001, 0.01, 0.1),
  incidents: fc.array(fc.record({ at: fc.integer({ min: 0, max: 900 }), minutes: fc.integer({ min: 1, max: 120 }), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { maxLength: 3 }),
  resetAt: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
  // 'inconsistent': at some samples the bucket grows by more than the count (a bound's slack S > 0).
  oddity: fc.constantFrom('none', 'none', 'none', 'nan', 'negative', 'stale', 'gap', 'inconsistent', 'fractional'),
  oddAt: fc.integer({ min: 0, max: 900 }),
  seed: fc.integer(),
});
type Data = typeof dataArb extends fc.Arbitrary<infer T> ? T : never;

/** A histogram's `le` bucket and its count, scraped together (distinct arrays, the same times). */
function histogram(d: Data): { bucket: Series; count: Series } {
  const r = rng(d.seed);
  const t: number[] = [];
  const fast: number[] = [];
  const count: number[] = [];
  let f = 1000 * r();
  let c = f + 10 * r();
  let ts = d.offset;
  for (let i = 0; i < d.samples; i++) {
    if (d.oddity === 'gap' && i === d.oddAt) ts += 40 * MIN;
    ts += MIN + (d.jitter ? Math.floor(r() * 9) - 4 : 0) + (d.oddity === 'fractional' ? 0.25 : 0);
    const n = Math.round(d.rate * (0.5 + r()));
    let share: number = d.slowShare;
    for (const inc of d.incidents) if (i >= inc.at && i < inc.at + inc.minutes) share = inc.share;
    const slow = Math.min(n, Math.round(n * share * (0.5 + r())));
    c += n;
    f += n - slow;
    if (d.oddity === 'inconsistent' && i % 50 === d.oddAt % 50) f += 3 + slow; // the bucket outgrows the count
    if (i === d.resetAt) {
      c = n;
      f = n - slow;
    }
    t.push(ts);
    fast.push(d.oddity === 'nan' && i === d.oddAt ? Number.NaN : d.oddity === 'negative' && i === d.oddAt ? -5 : f);
    count.push(d.oddity === 'stale' && i === d.oddAt ? staleNaN() : c);
  }
  return {
    bucket: { metric: 'h_bucket', labels: { le: '0.3' }, t: Float64Array.from(t), v: Float64Array.from(fast) },
    count: { metric: 'h_count', labels: {}, t: Float64Array.from(t), v: Float64Array.from(count) },
  };
}

const rulesArb = fc.array(
  fc.record({
    factor: fc.constantFrom(14.4, 6, 3, 1, 0.5),
    longWindowSeconds: fc.constantFrom(300, 1800, 3600, 21_600, 86_400),
    shortWindowSeconds: fc.constantFrom(120, 300, 1800, 3600, 21_600),
    forSeconds: fc.constantFrom(0, 0, 120, 600),
  }),
  { minLength: 1, maxLength: 4 },
);

const gridOf = (s: Series, step: number) => ({ start: Math.ceil(s.t[0] / step) * step, end: Math.floor(s.t[s.t.length - 1] / step) * step, step });

describe('good/total bounds on a histogram (bucket over count)', () => {
  it('the fast backtest raises the same alerts at the same times as the plain one', () => {
    let fired = 0;
    fc.assert(
      fc.property(dataArb, rulesArb, fc.constantFrom(0.001, 0.01, 0.1), fc.constantFrom(60_000, 120_000, 45_000), (d, rules, budget, step) => {
        const { bucket, count } = histogram(d);
        const grid = gridOf(count, step);
        const r: ResolvedSli = { sli: 'latency', mode: 'good', numerator: [bucket], denominator: [count], expression: '' };
        const grids = new WindowGrids();
        for (const rule of rules as BurnRateRule[]) {
          const want = backtestBurnRate(r, rule, budget, grid);
          const got = backtestBurnRateAlerts(r, rule, budget, grid, grids);
          expect(got.threshold).toBe(want.threshold);
          expect(got.alerts).toEqual(want.alerts);
          fired += got.alerts.length;
        }
      }),
      { numRuns: 400 },
    );
    // Not vacuous: incidents make alerts fire.
    expect(fired).toBeGreaterThanOrEqual(100);
  });

  it('skips most steps of quiet data and keeps every step where the ratio exceeds the threshold', () => {
    let kept = 0;
    let steps = 0;
    fc.assert(
      fc.property(dataArb, fc.constantFrom(3_600_000, 21_600_000), (d, windowMs) => {
        const { bucket, count } = histogram({ ...d, samples: 900, oddity: 'none', slowShare: 0.001 });
        const grid = gridOf(count, MIN);
        const r: ResolvedSli = { sli: 'latency', mode: 'good', numerator: [bucket], denominator: [count], expression: '' };
        const threshold = 14.4 * 0.01;
        const candidates = errorRatioCandidates(r, windowMs, grid, threshold);
        expect(candidates).toBeDefined();
        const full = errorRatioGrid(r, windowMs, grid);
        const keptSet = new Set(candidates);
        for (let k = 0; k < full.v.length; k++) if (full.present[k] && full.v[k] > threshold) expect(keptSet.has(k)).toBe(true);
        kept += candidates!.length;
        steps += full.v.length;
      }),
      { numRuns: 60 },
    );
    // Incidents keep their steps; the rest of the grid is proven below the threshold.
    expect(kept / steps).toBeLessThan(0.3);
  });

  it('series on different timestamps get no good/total bounds (computed whole)', () => {
    const { bucket, count } = histogram({ offset: 0, jitter: false, samples: 200, rate: 100, slowShare: 0.01, incidents: [], resetAt: undefined, oddity: 'none', oddAt: 0, seed: 1 });
    const shifted: Series = { ...bucket, t: bucket.t.map((x) => x + 1) };
    const grid = gridOf(count, MIN);
    expect(errorRatioCandidates({ sli: 'l', mode: 'good', numerator: [shifted], denominator: [count], expression: '' }, 3_600_000, grid, 0.1)).toBeUndefined();
    expect(errorRatioCandidates({ sli: 'l', mode: 'good', numerator: [bucket], denominator: [count], expression: '' }, 3_600_000, grid, 0.1)).toBeDefined();
  });
});

describe('the error ratio at a list of steps', () => {
  it('is the whole grid one at those steps, bit for bit (good and bad, a series on both sides)', () => {
    fc.assert(
      fc.property(dataArb, fc.constantFrom(300_000, 3_600_000, 21_600_000), fc.integer(), (d, windowMs, seed) => {
        const { bucket, count } = histogram(d);
        const grid = gridOf(count, MIN);
        const pick = rng(seed);
        for (const r of [
          { sli: 'good', mode: 'good', numerator: [bucket], denominator: [count], expression: '' },
          { sli: 'bad', mode: 'bad', numerator: [bucket], denominator: [count, bucket], expression: '' },
        ] as ResolvedSli[]) {
          const full = errorRatioGrid(r, windowMs, grid);
          const ks: number[] = [];
          for (let k = 0; k < full.v.length; k++) if (pick() < 0.2) ks.push(k);
          const part = errorRatioAtSteps(r, windowMs, grid, Int32Array.from(ks));
          ks.forEach((k, i) => {
            expect(part.present[i]).toBe(full.present[k]);
            if (full.present[k]) expect(Object.is(part.v[i], full.v[k])).toBe(true);
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('alert states from the steps where the condition holds', () => {
  it('equal the rule manager walking every step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(60_000, 45_000),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 399 }), len: fc.integer({ min: 1, max: 30 }) }), { maxLength: 8 }),
        fc.constantFrom(0, 60, 120, 600, 90),
        (n, step, runs, forSeconds) => {
          const grid = { start: 1_700_000_040_000 - (1_700_000_040_000 % step), end: 0, step };
          const g = { ...grid, end: grid.start + (n - 1) * step };
          const condition = new Uint8Array(n);
          for (const r of runs) condition.fill(1, Math.min(r.at, n), Math.min(n, r.at + r.len));
          const steps = Int32Array.from([...condition.keys()].filter((k) => condition[k] === 1));
          expect(alertsAtSteps(steps, g, forSeconds)).toEqual(alertTimeline(gridTimes(g), condition, forSeconds));
        },
      ),
      { numRuns: 500 },
    );
  });
});

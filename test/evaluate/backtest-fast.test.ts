// The preview's fast backtest (alerts.ts `backtestBurnRateAlerts`: bounds over blocks of steps, the
// short window only where the long one holds, window grids shared between rules) against the plain
// one (`backtestBurnRate`: both windows on the whole grid), and the exact instant path
// (`sumIncreaseAtFast`) against the reference: the same numbers, bit for bit, on random data with
// incidents (so that conditions hold at some steps), resets, NaN, negative values and stale markers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backtestBurnRate,
  backtestBurnRateAlerts,
  type BurnRateRule,
  errorRatioGrid,
  type ResolvedSli,
  type Series,
  staleNaN,
  sumIncreaseAt,
  sumIncreaseAtFast,
  WindowGrids,
} from '../../server/src/core/evaluate/index.js';

const MIN = 60_000;

const dataArb = fc.record({
  offset: fc.integer({ min: 0, max: 59_999 }),
  jitter: fc.boolean(),
  samples: fc.integer({ min: 2, max: 900 }),
  rate: fc.integer({ min: 1, max: 500 }),
  errorShare: fc.constantFrom(0, 0.0005, 0.005, 0.05),
  incidents: fc.array(fc.record({ at: fc.integer({ min: 0, max: 900 }), minutes: fc.integer({ min: 1, max: 120 }), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { maxLength: 3 }),
  resetAt: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
  oddity: fc.constantFrom('none', 'none', 'none', 'nan', 'negative', 'stale', 'gap'),
  oddAt: fc.integer({ min: 0, max: 900 }),
  seed: fc.integer(),
});

function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ok and error request counters of one job, scraped together every minute. */
type Data = typeof dataArb extends fc.Arbitrary<infer T> ? T : never;

function build(d: Data): { ok: Series; bad: Series } {
  const r = rng(d.seed);
  const t: number[] = [];
  const ok: number[] = [];
  const bad: number[] = [];
  let o = 1000 * r();
  let b = 10 * r();
  let ts = d.offset;
  for (let i = 0; i < d.samples; i++) {
    if (d.oddity === 'gap' && i === d.oddAt) ts += 40 * MIN;
    ts += MIN + (d.jitter ? Math.floor(r() * 9) - 4 : 0);
    const n = d.rate * (0.5 + r());
    let share: number = d.errorShare;
    for (const inc of d.incidents) if (i >= inc.at && i < inc.at + inc.minutes) share = inc.share;
    const e = Math.round(n * share * (0.5 + r()));
    o += Math.round(n) - Math.min(e, Math.round(n));
    b += e;
    if (i === d.resetAt) {
      o = Math.round(n);
      b = e;
    }
    t.push(ts);
    ok.push(d.oddity === 'nan' && i === d.oddAt ? Number.NaN : d.oddity === 'negative' && i === d.oddAt ? -5 : o);
    bad.push(d.oddity === 'stale' && i === d.oddAt ? staleNaN() : b);
  }
  return {
    ok: { metric: 'req_total', labels: { code: '200' }, t: Float64Array.from(t), v: Float64Array.from(ok) },
    bad: { metric: 'req_total', labels: { code: '500' }, t: Float64Array.from(t), v: Float64Array.from(bad) },
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

describe('the fast backtest equals the plain one', () => {
  it('bad/total (a series on both sides) and good/total: the same alerts at the same times', () => {
    fc.assert(
      fc.property(dataArb, rulesArb, fc.constantFrom(0.001, 0.01, 0.1), fc.constantFrom(60_000, 120_000, 45_000), (d, rules, budget, step) => {
        const { ok, bad } = build(d);
        const end = ok.t[ok.t.length - 1];
        const grid = { start: Math.ceil(ok.t[0] / step) * step, end: Math.floor(end / step) * step, step };
        const slis: ResolvedSli[] = [
          { sli: 'bad', mode: 'bad', numerator: [bad], denominator: [ok, bad], expression: '' },
          { sli: 'good', mode: 'good', numerator: [ok], denominator: [ok, bad], expression: '' },
          { sli: 'bad-only', mode: 'bad', numerator: [bad], denominator: [ok], expression: '' },
        ];
        for (const r of slis) {
          const grids = new WindowGrids();
          for (const rule of rules as BurnRateRule[]) {
            const want = backtestBurnRate(r, rule, budget, grid);
            const got = backtestBurnRateAlerts(r, rule, budget, grid, grids);
            expect(got.threshold).toBe(want.threshold);
            expect(got.alerts).toEqual(want.alerts);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the alerts the data was made to have (the comparison is not vacuous)', () => {
    let fired = 0;
    fc.assert(
      fc.property(dataArb, (d) => {
        const { ok, bad } = build({ ...d, samples: 900, oddity: 'none', incidents: [{ at: 300, minutes: 60, share: 0.5 }] });
        const grid = { start: Math.ceil(ok.t[0] / MIN) * MIN, end: Math.floor(ok.t[ok.t.length - 1] / MIN) * MIN, step: MIN };
        const r: ResolvedSli = { sli: 'bad', mode: 'bad', numerator: [bad], denominator: [ok, bad], expression: '' };
        const got = backtestBurnRateAlerts(r, { factor: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300 }, 0.001, grid);
        fired += got.alerts.length;
        expect(got.alerts).toEqual(backtestBurnRate(r, { factor: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300 }, 0.001, grid).alerts);
      }),
      { numRuns: 30 },
    );
    expect(fired).toBeGreaterThanOrEqual(30);
  });

  it('an error ratio computed at some steps is the whole grid one there, absent elsewhere', () => {
    fc.assert(
      fc.property(dataArb, fc.constantFrom(300_000, 3_600_000, 21_600_000), fc.integer(), (d, windowMs, seed) => {
        const { ok, bad } = build(d);
        const grid = { start: Math.ceil(ok.t[0] / MIN) * MIN, end: Math.floor(ok.t[ok.t.length - 1] / MIN) * MIN, step: MIN };
        const r: ResolvedSli = { sli: 'bad', mode: 'bad', numerator: [bad], denominator: [ok, bad], expression: '' };
        const full = errorRatioGrid(r, windowMs, grid);
        const pick = rng(seed);
        const only = Uint8Array.from(full.v, () => (pick() < 0.3 ? 1 : 0));
        const part = errorRatioGrid(r, windowMs, grid, only);
        for (let k = 0; k < only.length; k++) {
          expect(part.present[k]).toBe(only[k] ? full.present[k] : 0);
          if (only[k] && full.present[k]) expect(Object.is(part.v[k], full.v[k])).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the exact instant path', () => {
  it('sumIncreaseAtFast is reference.ts sumIncreaseAt bit for bit', () => {
    fc.assert(
      fc.property(dataArb, fc.constantFrom(60_000, 300_000, 3_600_000, 86_400_000), fc.integer({ min: -5, max: 905 }), (d, rangeMs, at) => {
        const { ok, bad } = build(d);
        const ts = d.offset + at * MIN + (at % 3) * 17_000;
        for (const ss of [[ok], [bad], [ok, bad]]) {
          const want = sumIncreaseAt(ss, ts, rangeMs);
          const got = sumIncreaseAtFast(ss, ts, rangeMs);
          if (want === undefined) expect(got).toBeUndefined();
          else expect(Object.is(got, want)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

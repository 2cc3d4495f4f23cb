// The evaluator's core without a Prometheus: selector semantics, extrapolatedRate on cases worked
// out by hand, `le` spelling, the rule manager's alert states, and the fast grid path against the
// reference implementation on random data (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertTimeline,
  errorRatioAt,
  errorRatioGrid,
  formatLe,
  gridTimes,
  increaseAt,
  instantAt,
  isStaleNaN,
  rateAt,
  resolveSli,
  selectSeries,
  type Series,
  staleNaN,
  type StepGrid,
  sumDeltaGrid,
  sumIncreaseAt,
  sumIncreaseGrid,
  sumInstantAt,
  sumInstantGrid,
  sumOf,
  sumRateAt,
  sumRateGrid,
  deltaAt,
} from '../../server/src/core/evaluate/index.js';
import type { LatencySli, RatioSli } from '../../server/src/core/model/model.js';

function series(metric: string, labels: Record<string, string>, t: number[], v: number[]): Series {
  return { metric, labels, t: Float64Array.from(t), v: Float64Array.from(v) };
}

/** A counter sampled every `stepS` seconds from `fromS`, increasing by `perSample`. */
function regular(fromS: number, stepS: number, count: number, perSample: number, start = 0): Series {
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < count; i++) {
    t.push((fromS + i * stepS) * 1000);
    v.push(start + i * perSample);
  }
  return series('x_total', {}, t, v);
}

const H = 3600_000;

describe('selectors', () => {
  const data = [
    series('http_requests_total', { code: '200', job: 'api' }, [], []),
    series('http_requests_total', { code: '503', job: 'api' }, [], []),
    series('http_requests_total', { code: '404', job: 'web', team: 'x' }, [], []),
    series('other_total', { code: '500', job: 'api' }, [], []),
  ];
  const codes = (matchers: Parameters<typeof selectSeries>[1]) => selectSeries(data, matchers).series.map((s) => `${s.metric}:${s.labels.code}`);

  it('matches = and != on labels and the metric name', () => {
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'job', op: '=', value: 'api' }] })).toEqual(['http_requests_total:200', 'http_requests_total:503']);
    expect(codes({ matchers: [{ label: '__name__', op: '!=', value: 'http_requests_total' }] })).toEqual(['other_total:500']);
  });
  it('anchors regexes at both ends', () => {
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'code', op: '=~', value: '5..' }] })).toEqual(['http_requests_total:503']);
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'code', op: '=~', value: '0' }] })).toEqual([]);
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'code', op: '!~', value: '2..|4..' }] })).toEqual(['http_requests_total:503']);
    expect(codes({ matchers: [{ label: '__name__', op: '=~', value: '.*_total' }, { label: 'code', op: '=~', value: '5.*' }] })).toEqual(['http_requests_total:503', 'other_total:500']);
  });
  it('treats an absent label as the empty string', () => {
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'team', op: '=', value: '' }] })).toEqual(['http_requests_total:200', 'http_requests_total:503']);
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'team', op: '!=', value: '' }] })).toEqual(['http_requests_total:404']);
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'team', op: '=~', value: 'x|' }] })).toHaveLength(3);
  });
  it('speaks RE2: Perl classes, POSIX classes, flags; rejects look-arounds', () => {
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'code', op: '=~', value: '[[:digit:]]0[34]' }] })).toEqual(['http_requests_total:503', 'http_requests_total:404']);
    expect(codes({ metric: 'http_requests_total', matchers: [{ label: 'job', op: '=~', value: '(?i)API' }] })).toHaveLength(2);
    const bad = selectSeries(data, { metric: 'http_requests_total', matchers: [{ label: 'code', op: '=~', value: '(?!5)..' }] });
    expect(bad.series).toEqual([]);
    expect(bad.error).toMatch(/invalid regex/);
  });
});

describe('extrapolatedRate (Prometheus 2.42), worked by hand', () => {
  it('samples on both edges of the window: no extrapolation', () => {
    // 1/s sampled each minute; [T−1h, T] holds 61 samples from T−1h to T.
    const s = regular(0, 60, 200, 60);
    expect(increaseAt(s, 2 * H, H)).toBe(3600);
    expect(rateAt(s, 2 * H, H)).toBe(1);
  });
  it('samples 30 s inside each edge: extrapolated to the edges', () => {
    // Samples at …:30; the window holds 60 samples spanning 3540 s, 30 s < 1.1 × 60 s from each edge.
    const s = regular(30, 60, 200, 60);
    expect(increaseAt(s, 2 * H, H)).toBeCloseTo(3600, 9);
  });
  it('far from an edge: extrapolates by half an interval only', () => {
    // Samples only in the last 30 minutes of the window (counter starts high, so no zero clamp).
    const s = regular(1.5 * 3600, 60, 31, 60, 1e6);
    // 31 samples over 1800 s (avg 60 s); start is 1800 s away → +30 s; end on the edge → +0.
    expect(increaseAt(s, 2 * H, H)).toBeCloseTo(1800 * (1830 / 1800), 9);
  });
  it('never extrapolates a counter below zero', () => {
    // Samples from 30 s inside the window, the first one 15: the zero point (15 s before it) is
    // nearer than the window's edge (30 s), so the extrapolation stops there.
    const s = regular(3630, 60, 60, 60, 15);
    // result = 59 × 60 = 3540 over 3540 s; durationToZero = 3540 × 15/3540 = 15 s < 30 s.
    expect(increaseAt(s, 2 * H, H)).toBeCloseTo(3540 * ((3540 + 15 + 30) / 3540), 9);
  });
  it('corrects counter resets by adding the value before each drop', () => {
    const s = series('x_total', {}, [0, 60_000, 120_000, 180_000, 240_000], [10, 20, 5, 15, 3]);
    // (3 − 10) + 20 + 15 = 28 over the exact window [0, 240 s].
    expect(increaseAt(s, 240_000, 240_000)).toBe(28);
    // delta does not correct resets: 3 − 10.
    expect(deltaAt(s, 240_000, 240_000)).toBe(-7);
  });
  it('includes both ends of the range and needs two samples', () => {
    const s = series('x_total', {}, [0, 60_000], [0, 60]);
    expect(increaseAt(s, 60_000, 60_000)).toBe(60);
    expect(increaseAt(s, 60_001, 60_000)).toBeUndefined();
    expect(increaseAt(s, 59_999, 60_000)).toBeUndefined();
  });
  it('the grid path also includes a sample exactly at T − R', () => {
    // At T = 180 s over 120 s: samples at 60, 120, 180 s (10, 25, 30): 20 with no extrapolation.
    const s = series('x_total', {}, [0, 60_000, 120_000, 180_000], [0, 10, 25, 30]);
    expect([...sumIncreaseGrid([s], 120_000, { start: 120_000, end: 180_000, step: 60_000 }).v]).toEqual([25, 20]);
  });
  it('keeps NaN values and skips stale markers', () => {
    expect(isStaleNaN(staleNaN())).toBe(true);
    expect(isStaleNaN(Number.NaN)).toBe(false);
    const nan = series('x_total', {}, [0, 60_000, 120_000], [0, Number.NaN, 120]);
    expect(increaseAt(nan, 120_000, 120_000)).toBe(120);
    expect(increaseAt(nan, 60_000, 60_000)).toBeNaN();
    const stale = series('x_total', {}, [0, 60_000, 120_000], [0, 60, staleNaN()]);
    // [60 s, 120 s] holds 60 s and a stale marker: one sample, no result.
    expect(increaseAt(stale, 120_000, 60_000)).toBeUndefined();
    expect(increaseAt(series('x_total', {}, [0, 60_000, 120_000], [0, 60, 120]), 120_000, 60_000)).toBe(60);
  });
});

describe('instant selection and sum', () => {
  const g = series('queue', {}, [0, 60_000, 600_000], [1, 2, 3]);
  it('takes the latest sample within the 5 m lookback, both ends included', () => {
    expect(instantAt(g, 59_999)).toBe(1);
    expect(instantAt(g, 60_000 + 300_000)).toBe(2);
    expect(instantAt(g, 60_001 + 300_000)).toBeUndefined();
    expect(instantAt(g, 600_000)).toBe(3);
    expect(instantAt(g, -1)).toBeUndefined();
  });
  it('a stale latest sample means no value', () => {
    const s = series('queue', {}, [0, 60_000], [1, staleNaN()]);
    expect(instantAt(s, 30_000)).toBe(1);
    expect(instantAt(s, 90_000)).toBeUndefined();
  });
  it('sums what is present; nothing present is no result', () => {
    expect(sumOf([undefined, 1, 2])).toBe(3);
    expect(sumOf([undefined])).toBeUndefined();
    expect(sumInstantAt([g, g], 0)).toBe(2);
  });
});

describe('formatLe spells thresholds as Go clients spell le', () => {
  it.each([
    [0.5, '0.5'],
    [1, '1'],
    [0.25, '0.25'],
    [10, '10'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [2.5e6, '2.5e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000025, '2.5e-05'],
    [Infinity, '+Inf'],
  ])('%s → %s', (x, want) => expect(formatLe(x)).toBe(want));
});

describe('SLI resolution', () => {
  const data = [
    series('http_request_duration_seconds_bucket', { job: 'api', le: '0.25' }, [0, 60_000], [1, 2]),
    series('http_request_duration_seconds_bucket', { job: 'api', le: '1.0' }, [0, 60_000], [1, 2]),
    series('http_request_duration_seconds_count', { job: 'api' }, [0, 60_000], [1, 2]),
  ];
  const latency = (under: number): LatencySli => ({
    id: 'sli:api.latency',
    name: 'latency',
    service: 'service:api',
    kind: 'latency',
    histogram: { metric: 'http_request_duration_seconds', matchers: [{ label: 'job', op: '=', value: 'api' }], text: 'http_request_duration_seconds{job="api"}' },
    underSeconds: under,
  });
  it('finds the bucket whose le is the threshold', () => {
    const r = resolveSli(latency(0.25), data);
    expect(r.issues).toEqual([]);
    expect(r.resolved?.numerator.map((s) => s.labels.le)).toEqual(['0.25']);
    expect(r.resolved?.expression).toBe('1 - sum(increase(http_request_duration_seconds_bucket{job="api", le="0.25"}[$window])) / sum(increase(http_request_duration_seconds_count{job="api"}[$window]))');
  });
  it('reports a missing bucket instead of interpolating', () => {
    const r = resolveSli(latency(0.5), data);
    expect(r.resolved).toBeUndefined();
    expect(r.issues.map((i) => [i.severity, i.code])).toEqual([['error', 'data/missing-bucket']]);
    expect(r.issues[0].message).toContain('le="0.25", "1.0"');
  });
  it('says when the bucket exists only spelt otherwise (le="1.0" is not le="1")', () => {
    const r = resolveSli(latency(1), data);
    expect(r.issues[0].code).toBe('data/missing-bucket');
    expect(r.issues[0].message).toContain('le="1.0"');
  });
  it('reports selectors that match nothing', () => {
    const sli: RatioSli = {
      id: 'sli:api.availability',
      name: 'availability',
      service: 'service:api',
      kind: 'ratio',
      bad: { metric: 'nope_total', matchers: [], text: 'nope_total' },
      total: { metric: 'http_request_duration_seconds_count', matchers: [], text: 'http_request_duration_seconds_count' },
    };
    const r = resolveSli(sli, data);
    expect(r.issues.map((i) => i.code)).toEqual(['data/no-series']);
    expect(r.resolved && errorRatioAt(r.resolved, 60_000, 60_000)).toBeUndefined();
  });
});

describe('alert states follow the rule manager', () => {
  const t = Array.from({ length: 12 }, (_, k) => k * 60_000);
  const cond = [0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1];
  it('for = 0 fires at the first true evaluation and resolves at the first false one', () => {
    expect(alertTimeline(t, cond, 0)).toEqual([
      { activeAt: 60_000, firedAt: 60_000, resolvedAt: 300_000 },
      { activeAt: 360_000, firedAt: 360_000, resolvedAt: 420_000 },
      { activeAt: 480_000, firedAt: 480_000 },
    ]);
  });
  it('for = 2m fires once the condition has held for 2 minutes; a shorter span only pends', () => {
    expect(alertTimeline(t, cond, 120)).toEqual([
      { activeAt: 60_000, firedAt: 180_000, resolvedAt: 300_000 },
      { activeAt: 480_000, firedAt: 600_000 },
    ]);
  });
  it('keep_firing_for bridges short gaps', () => {
    expect(alertTimeline(t, cond, 0, 120)).toEqual([{ activeAt: 60_000, firedAt: 60_000 }]);
  });
});

// ---- fast path = reference, on random data ----

interface RandomSeries {
  start: number;
  intervals: { minutes: number; jitter: number }[];
  deltas: number[];
  resets: boolean[];
  nans: boolean[];
  stales: boolean[];
}

const seriesArb = fc.record({
  start: fc.integer({ min: 0, max: 600_000 }),
  // Scrapes on a minute grid, often exactly on the minute (so samples fall on window edges), else
  // jittered by up to ±5 s; sometimes minutes are skipped (gaps up to 20 min).
  intervals: fc.array(
    fc.record({
      minutes: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 20 }) }),
      jitter: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: -5000, max: 5000 }) }),
    }),
    { minLength: 0, maxLength: 150, size: 'max' },
  ),
  deltas: fc.array(
    fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 3, arbitrary: fc.double({ min: 1e-3, max: 1e4, noNaN: true }) }),
    { minLength: 150, maxLength: 150 },
  ),
  resets: fc.array(fc.boolean(), { minLength: 150, maxLength: 150 }),
  nans: fc.array(fc.oneof({ weight: 40, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), { minLength: 150, maxLength: 150 }),
  stales: fc.array(fc.oneof({ weight: 40, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), { minLength: 150, maxLength: 150 }),
});

function build(r: RandomSeries, i: number): Series {
  const t: number[] = [];
  const v: number[] = [];
  let base = r.start;
  let x = r.deltas[0];
  t.push(base);
  v.push(x);
  r.intervals.forEach((step, k) => {
    base += step.minutes * 60_000;
    const ts = base + step.jitter;
    x = r.resets[k] && k % 7 === 0 ? r.deltas[k] / 2 : x + r.deltas[k];
    t.push(ts);
    v.push(r.stales[k] ? staleNaN() : r.nans[k] ? Number.NaN : x);
  });
  return series('x_total', { i: String(i) }, t, v);
}

// Grids and ranges on whole minutes most of the time, so that window edges meet samples.
const gridArb = fc.record({
  start: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -10, max: 100 }).map((m) => m * 60_000) }, { weight: 1, arbitrary: fc.integer({ min: -600_000, max: 9_000_000 }) }),
  step: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(60_000, 120_000) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_600_000 }) }),
  steps: fc.integer({ min: 1, max: 200 }),
  range: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(120_000, 300_000, 3_600_000, 21_600_000) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 10_000_000 }) }),
});

function same(a: number | undefined, present: number, b: number): boolean {
  if (a === undefined) return present === 0;
  if (!present) return false;
  if (Number.isNaN(a)) return Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

describe('the fast grid path equals the reference', () => {
  const cases: [string, (ss: Series[], R: number, g: StepGrid) => { v: Float64Array; present: Uint8Array }, (ss: Series[], ts: number, R: number) => number | undefined][] = [
    ['sum(increase)', sumIncreaseGrid, sumIncreaseAt],
    ['sum(rate)', sumRateGrid, sumRateAt],
    ['sum(delta)', sumDeltaGrid, (ss, ts, R) => sumOf(ss.map((s) => deltaAt(s, ts, R)))],
    ['sum(instant)', (ss, _R, g) => sumInstantGrid(ss, g), (ss, ts) => sumInstantAt(ss, ts)],
  ];
  for (const [name, fast, ref] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(fc.array(seriesArb, { minLength: 1, maxLength: 3 }), gridArb, (raw, g) => {
          const ss = raw.map(build);
          const grid = { start: g.start, step: g.step, end: g.start + (g.steps - 1) * g.step };
          const out = fast(ss, g.range, grid);
          const times = gridTimes(grid);
          for (let k = 0; k < times.length; k++) {
            const want = ref(ss, times[k], g.range);
            if (!same(want, out.present[k], out.v[k])) throw new Error(`step ${k} at ${times[k]}: reference ${want}, fast ${out.present[k] ? out.v[k] : 'none'}`);
          }
        }),
        { numRuns: 500 },
      );
    });
  }

  it('error ratios, many resets in a window (the prefix-sum branch)', () => {
    // A counter that resets every other sample: > 32 resets per window.
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < 2000; i++) {
      t.push(i * 15_000);
      v.push(i % 2 ? 100 + i : 1);
    }
    const total = series('t_total', {}, t, v);
    const bad = series('b_total', {}, t, v.map((x) => x / 10));
    const r = resolveSli({ id: 'sli:a.b', name: 'b', service: 'service:a', kind: 'ratio', bad: { metric: 'b_total', matchers: [], text: 'b_total' }, total: { metric: 't_total', matchers: [], text: 't_total' } }, [total, bad]).resolved!;
    const grid = { start: 0, end: 2000 * 15_000, step: 60_000 };
    const fast = errorRatioGrid(r, H, grid);
    let checked = 0;
    fast.t.forEach((ts, k) => {
      const want = errorRatioAt(r, ts, H);
      expect(same(want, fast.present[k], fast.v[k])).toBe(true);
      if (want !== undefined) checked++;
    });
    expect(checked).toBeGreaterThan(400);
  });
});

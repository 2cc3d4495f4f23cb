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

// ---- against a real Prometheus 2.42 ----

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const S = Date.UTC(2024, 4, 1); // 2024-05-01T00:00:00Z
const END = S + 3 * DAY;
/** Replica a is not scraped for 20 minutes (longer than the lookback): b alone decides. */
const A_GAP = [S + DAY + 6 * HOUR, S + DAY + 6 * HOUR + 20 * MIN] as const;
/** Replica b is not scraped for 40 minutes around a's gap: for about 15 minutes no series has a value. */
const B_GAP = [S + DAY + 5 * HOUR + 50 * MIN, S + DAY + 6 * HOUR + 30 * MIN] as const;
/** Replica b lags while a is fresh: only one of the two series is bad. */
const B_BAD = [S + 2 * DAY + 3 * HOUR, S + 2 * DAY + 3 * HOUR + 25 * MIN] as const;
const NAN_AT = S + 2 * DAY + 12 * HOUR;
const THRESHOLD = 0.3;

interface Built {
  series: Series[];
  openMetrics: string;
}

function buildLagData(): Built {
  const random = rng(1234);
  const lines = ['# TYPE replica_lag_seconds gauge'];
  const all: Series[] = [];
  const add = (replica: string, offset: number, gap: readonly [number, number], value: (t: number) => number) => {
    const ms: number[] = [];
    const vs: number[] = [];
    for (let t0 = S + offset; t0 < END; t0 += MIN) {
      const t = t0 + Math.round((random() * 2 - 1) * 2000);
      if (t >= gap[0] && t < gap[1]) continue;
      const text = String(t / 1000);
      const v = value(t);
      // What Prometheus stores: int64(ts * 1000) of the float seconds.
      ms.push(Math.trunc(Number(text) * 1000));
      vs.push(v);
      lines.push(`replica_lag_seconds{job="db",replica="${replica}"} ${Number.isNaN(v) ? 'NaN' : String(v)} ${text}`);
    }
    all.push(series({ job: 'db', replica }, ms, vs, 'replica_lag_seconds'));
  };
  // a: fresh (0.05–0.25 s) with lag episodes of 1–40 minutes above the threshold, sometimes exactly on it, one NaN.
  let episode = 0;
  let prevA = 0;
  add('a', 10_000, A_GAP, (t) => {
    const crossedNaN = prevA < NAN_AT && t >= NAN_AT;
    prevA = t;
    if (crossedNaN) return Number.NaN;
    if (episode > 0) {
      episode--;
      return Math.round((0.3 + random() * 2) * 1000) / 1000;
    }
    if (random() < 0.01) episode = 1 + Math.floor(random() * 40);
    return random() < 0.03 ? THRESHOLD : Math.round((0.05 + random() * 0.2) * 1000) / 1000;
  });
  // b: always fresh except while B_BAD lasts.
  add('b', 30_000, B_GAP, (t) => (t >= B_BAD[0] && t < B_BAD[1] ? 1.5 : Math.round((0.02 + random() * 0.1) * 1000) / 1000));
  return { series: all, openMetrics: `${lines.join('\n')}\n# EOF\n` };
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  // 1e-9 relative; the absolute floor covers `1 - x` where x is 1 up to the last bit.
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-15;
}

/** Compares a query_range answer (one series or none) with ours at every step; returns the steps with a value. */
function expectSameSteps(label: string, prom: PromSample[], t: Float64Array, ours: (k: number) => number | undefined): number {
  expect(prom.length, `${label}: series in Prometheus' answer`).toBeLessThanOrEqual(1);
  const theirs = new Map((prom[0]?.values ?? []).map(([ts, v]) => [ts, v]));
  const mismatches: string[] = [];
  let present = 0;
  t.forEach((ts, k) => {
    const p = theirs.get(ts);
    const o = ours(k);
    if (o === undefined) {
      if (p !== undefined) mismatches.push(`${new Date(ts).toISOString()}: Prometheus ${p}, ours none`);
      return;
    }
    present++;
    if (p === undefined || !close(p, o)) mismatches.push(`${new Date(ts).toISOString()}: Prometheus ${p ?? 'none'}, ours ${o}`);
  });
  expect(mismatches.slice(0, 10), `${label}: ${mismatches.length} mismatching steps`).toEqual([]);
  return present;
}

function expectSameInstant(label: string, prom: PromSample[], ours: number | undefined): void {
  expect(prom.length, `${label}: series in Prometheus' answer`).toBeLessThanOrEqual(1);
  const p = prom[0]?.values[0]?.[1];
  if (ours === undefined || p === undefined) expect(p, label).toBe(ours);
  else expect(close(p, ours), `${label}: Prometheus ${p}, ours ${ours}`).toBe(true);
}

const dur = (ms: number) => `${ms / 1000}s`;

describe('time-slice SLIs agree with Prometheus 2.42', () => {
  let prom: PrometheusServer;
  let data: Built;
  const both = sel('replica_lag_seconds', [['job', '=', 'db']]);
  const onlyA = sel('replica_lag_seconds', [['job', '=', 'db'], ['replica', '=', 'a']]);
  const slis = [
    timeslice('fresh', both, '<', THRESHOLD, 60),
    timeslice('fresh_or_on_threshold', both, '<=', THRESHOLD, 60),
    timeslice('a_fresh_5m', onlyA, '<=', THRESHOLD, 300),
    timeslice('lagging', both, '>=', 0.1, 120),
  ];
  const r: Record<string, ResolvedSli> = {};
  // A grid off the minute (17.5 s past) and one on it (slices on both ends of each window).
  const grids: [string, StepGrid][] = [
    ['off the minute', { start: S + 2 * HOUR + 17_500, end: END + 10 * MIN, step: MIN }],
    ['on the minute', { start: S + 3 * HOUR, end: END, step: MIN }],
  ];
  const windows = [5 * MIN, HOUR, 6 * HOUR, DAY];

  beforeAll(async () => {
    data = buildLagData();
    for (const sli of slis) r[sli.id] = resolved(sli, data.series);
    prom = await startPrometheusWith(data.openMetrics);
  }, 180_000);

  afterAll(async () => {
    await prom?.stop();
  }, 30_000);

  it('the data is what the test means: a threshold crossed and met exactly, gaps, one series bad alone, a NaN', () => {
    const [a, b] = data.series;
    expect(a.t.length).toBeGreaterThan(4000);
    expect([...a.v].filter((v) => v > THRESHOLD).length).toBeGreaterThan(100);
    expect([...a.v].filter((v) => v === THRESHOLD).length).toBeGreaterThan(20);
    expect([...a.v].some(Number.isNaN)).toBe(true);
    // Inside both gaps no series has a value; inside a's gap alone b decides; during B_BAD only b is bad.
    expect(sliceGoodAt(data.series, A_GAP[0] + 10 * MIN, '<', THRESHOLD)).toBeUndefined();
    expect(sliceGoodAt([a], B_BAD[0] + 10 * MIN, '<', THRESHOLD)).toBe(1);
    expect(sliceGoodAt([b], B_BAD[0] + 10 * MIN, '<', THRESHOLD)).toBe(0);
    expect(sliceGoodAt(data.series, B_BAD[0] + 10 * MIN, '<', THRESHOLD)).toBe(0);
  });

  it('min(gauge < bool 0.3) at every minute: what each slice is', async () => {
    const grid = grids[1][1];
    const answer = await prom.queryRange(`min(replica_lag_seconds{job="db"} < bool ${THRESHOLD})`, grid.start, grid.end, grid.step);
    const t = gridTimes(grid);
    const present = expectSameSteps('min(… < bool 0.3)', answer, t, (k) => sliceGoodAt(data.series, t[k], '<', THRESHOLD));
    expect(present).toBeLessThan(t.length); // the minutes with no series
  }, 60_000);

  for (const [gridName, grid] of grids) {
    for (const sli of slis) {
      it(`error ratio of ${sli.name} (${sli.goodWhen.op} ${sli.goodWhen.value}, slice ${sli.sliceSeconds}s) on the grid ${gridName}`, async () => {
        const rs = r[sli.id];
        for (const W of windows) {
          const expr = rs.expression.replaceAll('$window', dur(W));
          const ours = errorRatioGrid(rs, W, grid);
          const present = expectSameSteps(`${sli.name} [${dur(W)}] ${expr}`, await prom.queryRange(expr, grid.start, grid.end, grid.step), ours.t, (k) => (ours.present[k] ? ours.v[k] : undefined));
          expect(present).toBeGreaterThan(3000);
          if (W === 5 * MIN && sli.gauge === both) expect(present).toBeLessThan(ours.t.length); // both series gone longer than a window
        }
      }, 120_000);
    }
  }

  it('the slices themselves: count_over_time and sum_over_time of the subquery are our counts', async () => {
    const grid = grids[0][1];
    const inner = `(min(replica_lag_seconds{job="db"} < bool ${THRESHOLD}))[1h:1m]`;
    const counts = slicesGrid(data.series, HOUR, MIN, '<', THRESHOLD, grid);
    const has = (k: number) => counts.total[k] > 0;
    expectSameSteps('count_over_time', await prom.queryRange(`count_over_time(${inner})`, grid.start, grid.end, grid.step), counts.t, (k) => (has(k) ? counts.total[k] : undefined));
    expectSameSteps('sum_over_time', await prom.queryRange(`sum_over_time(${inner})`, grid.start, grid.end, grid.step), counts.t, (k) => (has(k) ? counts.good[k] : undefined));
    // Off the minute an hour holds 60 slices, on it 61.
    expect(Math.max(...counts.total)).toBe(60);
    expect(slicesGrid(data.series, HOUR, MIN, '<', THRESHOLD, grids[1][1]).total[0]).toBe(61);
  }, 60_000);

  it('instant queries on and off the minute, at the gaps and the data end, agree with the reference', async () => {
    const random = rng(99);
    const instants = [
      ...Array.from({ length: 30 }, () => S + 2 * HOUR + Math.floor(random() * (3 * DAY - 2 * HOUR))),
      ...Array.from({ length: 15 }, () => S + 2 * HOUR + Math.floor(random() * (3 * DAY / MIN - 120)) * MIN),
      ...[A_GAP[0], A_GAP[1], B_GAP[0], B_GAP[1], B_BAD[0], B_BAD[1], NAN_AT, END].flatMap((t) => [t - 1, t, t + 1, t + 5 * MIN, t + 5 * MIN + 1]),
    ];
    let values = 0;
    for (const ts of instants) {
      for (const sli of [slis[0], slis[2]]) {
        for (const W of [HOUR, 5 * MIN, DAY]) {
          const ours = errorRatioAt(r[sli.id], ts, W);
          expectSameInstant(`${sli.name} [${dur(W)}] at ${new Date(ts).toISOString()}`, await prom.query(r[sli.id].expression.replaceAll('$window', dur(W)), ts), ours);
          if (ours !== undefined) values++;
          // The preview's one-instant fast path is the reference.
          expect(sliceCountsAt(r[sli.id], ts, W)).toEqual(slicesAt(r[sli.id].timeslice!.gauge, ts, W, sli.sliceSeconds * 1000, sli.goodWhen.op, sli.goodWhen.value));
        }
      }
    }
    expect(values).toBeGreaterThan(instants.length * 4);
  }, 180_000);

  it('a burn-rate condition on a time-slice SLI holds at the steps where Prometheus says it does', async () => {
    const grid = grids[0][1];
    const rs = r[slis[0].id];
    const rule = { factor: 6, longWindowSeconds: 6 * 3600, shortWindowSeconds: 1800, forSeconds: 0 };
    const budget = 1 - 0.99;
    const bt = backtestBurnRate(rs, rule, budget, grid);
    const thr = String(bt.threshold);
    const w = (s: number) => rs.expression.replaceAll('$window', `${s}s`);
    const answer = await prom.queryRange(`(${w(rule.longWindowSeconds)}) > ${thr} and (${w(rule.shortWindowSeconds)}) > ${thr}`, grid.start, grid.end, grid.step);
    const holds = new Set((answer[0]?.values ?? []).map(([t]) => t));
    expect([...bt.condition]).toEqual(Array.from(bt.long.t, (t) => (holds.has(t) ? 1 : 0)));
    expect(bt.alerts.length).toBeGreaterThan(0);
  }, 60_000);
});

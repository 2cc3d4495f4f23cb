// The evaluator computes what a real Prometheus 2.42 computes. Three days of 1-minute data (jittered
// scrapes, a restart that resets every api counter, a 25-minute scrape gap, an incident with errors
// and slow requests, a gauge with a gap longer than the lookback, a NaN sample) are generated in
// memory, written as OpenMetrics, backfilled with promtool and queried from a Prometheus on
// 127.0.0.1; every answer is compared with the fast grid path (query_range) and the reference
// (instant queries), within 1e-9 relative.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertTimeline,
  backtestBurnRate,
  errorRatioAt,
  errorRatioGrid,
  type GridValues,
  increaseAt,
  rateAt,
  resolveSli,
  type ResolvedSli,
  selectSeries,
  type SelectorLike,
  type Series,
  type StepGrid,
  sumIncreaseAt,
  sumIncreaseGrid,
  sumInstantAt,
  sumInstantGrid,
  sumOf,
  sumRateAt,
  sumRateGrid,
} from '../../server/src/core/evaluate/index.js';
import type { LatencySli, RatioSli, Selector } from '../../server/src/core/model/model.js';
import { type PrometheusServer, type PromSample, startPrometheusWith } from '../helpers/prometheus.js';

// ---- data ----

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const S = Date.UTC(2024, 2, 1); // 2024-03-01T00:00:00Z
const END = S + 3 * DAY;
const RESTART = S + DAY + 15 * HOUR; // every api counter restarts from 0
const GAP = [S + 2 * DAY + 3 * HOUR, S + 2 * DAY + 3 * HOUR + 25 * MIN] as const; // api not scraped
const INCIDENT = [S + 2 * DAY + 10 * HOUR, S + 2 * DAY + 11 * HOUR + 30 * MIN] as const;
const GAUGE_GAP = [S + DAY + 6 * HOUR, S + DAY + 6 * HOUR + 12 * MIN] as const;
const WEB_RESET = S + 20 * HOUR;
const NAN_AT = S + DAY + 12 * HOUR;
const INF_AT = S + 2 * DAY + 20 * HOUR;

interface Built {
  series: Series[];
  openMetrics: string;
}

/** Scrape instants every minute from `offset`, jittered by up to ±2 s with millisecond digits, outside `gap`. */
function scrapes(random: () => number, offset: number, gap?: readonly [number, number]): { ms: number[]; text: string[] } {
  const ms: number[] = [];
  const text: string[] = [];
  for (let t0 = S + offset; t0 < END; t0 += MIN) {
    const t = t0 + Math.round((random() * 2 - 1) * 2000);
    if (gap && t >= gap[0] && t < gap[1]) continue;
    const s = String(t / 1000);
    text.push(s);
    // What Prometheus stores: the OpenMetrics parser reads float seconds and keeps int64(ts * 1000).
    ms.push(Math.trunc(Number(s) * 1000));
  }
  return { ms, text };
}

function build(): Built {
  const random = rng(42);
  const families: string[] = [];
  const all: Series[] = [];
  const lines = new Map<string, string[]>();
  const add = (family: string, metric: string, labels: Record<string, string>, ms: number[], text: string[], values: number[]) => {
    const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    all.push({ metric, labels: sorted, t: Float64Array.from(ms), v: Float64Array.from(values) });
    const lbl = Object.entries(sorted)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    const out = lines.get(family)!;
    const om = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));
    values.forEach((v, i) => out.push(`${metric}{${lbl}} ${om(v)} ${text[i]}`));
  };
  const family = (header: string, name: string) => {
    families.push(name);
    lines.set(name, [header]);
  };

  family('# TYPE http_requests counter', 'http_requests');
  family('# TYPE http_request_duration_seconds histogram', 'http_request_duration_seconds');
  family('# TYPE queue_depth gauge', 'queue_depth');
  family('# TYPE batch counter', 'batch');

  // api: ~20 req/s; 0.2 % errors (8 % during the incident), split between 500 and 503.
  const api = scrapes(random, 0, GAP);
  const ok: number[] = [];
  const e500: number[] = [];
  const e503: number[] = [];
  const les = ['0.1', '0.25', '0.5', '1', '+Inf'];
  const normal = [0.6, 0.9996, 0.9999, 1, 1];
  const slow = [0.3, 0.5, 0.7, 0.85, 1];
  const buckets = les.map(() => [] as number[]);
  const count: number[] = [];
  let c = { ok: 5000, e500: 10, e503: 3, b: les.map(() => 0), n: 0 };
  let prev = api.ms[0] - MIN;
  for (const t of api.ms) {
    if (prev < RESTART && t >= RESTART) c = { ok: 0, e500: 0, e503: 0, b: les.map(() => 0), n: 0 };
    const incident = t >= INCIDENT[0] && t < INCIDENT[1];
    const requests = Math.round(((t - prev) / 1000) * 20 * (0.8 + 0.4 * random()));
    const errors = Math.round(requests * (incident ? 0.08 : 0.002) * (0.5 + random()));
    const err503 = Math.round(errors * (incident ? 0.2 : 0.5));
    c.ok += requests - errors;
    c.e500 += errors - err503;
    c.e503 += err503;
    const fractions = incident ? slow : normal;
    fractions.forEach((f, i) => (c.b[i] += Math.round(requests * f)));
    c.n += requests;
    ok.push(c.ok);
    e500.push(c.e500);
    e503.push(c.e503);
    c.b.forEach((b, i) => buckets[i].push(b));
    count.push(c.n);
    prev = t;
  }
  add('http_requests', 'http_requests_total', { job: 'api', code: '200' }, api.ms, api.text, ok);
  add('http_requests', 'http_requests_total', { job: 'api', code: '500' }, api.ms, api.text, e500);
  add('http_requests', 'http_requests_total', { job: 'api', code: '503' }, api.ms, api.text, e503);
  les.forEach((le, i) => add('http_request_duration_seconds', 'http_request_duration_seconds_bucket', { job: 'api', le }, api.ms, api.text, buckets[i]));
  add('http_request_duration_seconds', 'http_request_duration_seconds_count', { job: 'api' }, api.ms, api.text, count);

  // web: scraped at :30, non-integer counter, one reset.
  const web = scrapes(random, 30_000);
  let w = 123.25;
  const webV = web.ms.map((t, i) => {
    w = i > 0 && web.ms[i - 1] < WEB_RESET && t >= WEB_RESET ? 2.5 : w + 300 * (0.8 + 0.4 * random()) + 0.37;
    return w;
  });
  add('http_requests', 'http_requests_total', { job: 'web', code: '200' }, web.ms, web.text, webV);

  // A gauge with a 12-minute gap (longer than the 5-minute lookback).
  const g = scrapes(random, 10_000, GAUGE_GAP);
  let q = 10;
  // One +Inf sample: sum() and the lookback carry it as Prometheus does.
  add('queue_depth', 'queue_depth', { job: 'api' }, g.ms, g.text, g.ms.map((t, i) => (i > 0 && g.ms[i - 1] < INF_AT && t >= INF_AT ? Infinity : (q = Math.max(0, q + Math.round((random() - 0.5) * 6))))));
  add('queue_depth', 'queue_depth', { job: 'web' }, web.ms, web.text, web.ms.map((_, i) => i % 50));

  // A counter with one NaN sample.
  const b = scrapes(random, 45_000);
  let x = 0;
  const batchV = b.ms.map((t, i) => {
    x += Math.round(random() * 10);
    return i > 0 && b.ms[i - 1] < NAN_AT && t >= NAN_AT ? Number.NaN : x;
  });
  add('batch', 'batch_total', { job: 'batch' }, b.ms, b.text, batchV);

  const openMetrics = families.flatMap((f) => lines.get(f)!).join('\n') + '\n# EOF\n';
  return { series: all, openMetrics };
}

// ---- the model's SLIs and rules ----

function sel(metric: string, matchers: [string, '=' | '!=' | '=~' | '!~', string][]): Selector {
  const ms = matchers.map(([label, op, value]) => ({ label, op, value }));
  return { metric, matchers: ms, text: `${metric}{${ms.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(',')}}` };
}

const availability: RatioSli = {
  id: 'sli:api.availability',
  name: 'availability',
  service: 'service:api',
  kind: 'ratio',
  bad: sel('http_requests_total', [['job', '=', 'api'], ['code', '=~', '5..']]),
  total: sel('http_requests_total', [['job', '=', 'api']]),
};
const success: RatioSli = {
  id: 'sli:api.success',
  name: 'success',
  service: 'service:api',
  kind: 'ratio',
  good: sel('http_requests_total', [['job', '=~', 'api|web'], ['code', '!~', '5..']]),
  total: sel('http_requests_total', [['job', '=~', 'api|web']]),
};
const latency: LatencySli = {
  id: 'sli:api.latency',
  name: 'latency',
  service: 'service:api',
  kind: 'latency',
  histogram: sel('http_request_duration_seconds', [['job', '=', 'api']]),
  underSeconds: 0.25,
};

const budget = 1 - 0.999;
const rules = [
  { factor: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300, forSeconds: 120 },
  { factor: 6, longWindowSeconds: 6 * 3600, shortWindowSeconds: 1800, forSeconds: 0 },
];

// ---- comparison ----

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  // 1e-9 relative; the absolute floor covers `1 - x` where x is 1 up to the last bit.
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-15;
}

/** Compares a query_range answer (one series, or none) with grid values; returns the number of steps with a value. */
function expectSameAsGrid(label: string, prom: PromSample[], ours: GridValues): number {
  expect(prom.length, `${label}: series in Prometheus' answer`).toBeLessThanOrEqual(1);
  const theirs = new Map((prom[0]?.values ?? []).map(([t, v]) => [t, v]));
  const mismatches: string[] = [];
  let present = 0;
  ours.t.forEach((t, k) => {
    const p = theirs.get(t);
    if (!ours.present[k]) {
      if (p !== undefined) mismatches.push(`${new Date(t).toISOString()}: Prometheus ${p}, ours none`);
      return;
    }
    present++;
    if (p === undefined) mismatches.push(`${new Date(t).toISOString()}: Prometheus none, ours ${ours.v[k]}`);
    else if (!close(p, ours.v[k])) mismatches.push(`${new Date(t).toISOString()}: Prometheus ${p}, ours ${ours.v[k]}`);
  });
  expect(mismatches.slice(0, 10), `${label}: ${mismatches.length} mismatching steps`).toEqual([]);
  return present;
}

function expectSameAsInstant(label: string, prom: PromSample[], ours: number | undefined): void {
  expect(prom.length, `${label}: series in Prometheus' answer`).toBeLessThanOrEqual(1);
  const p = prom[0]?.values[0]?.[1];
  if (ours === undefined || p === undefined) expect(p, label).toBe(ours);
  else expect(close(p, ours), `${label}: Prometheus ${p}, ours ${ours}`).toBe(true);
}

const dur = (ms: number) => `${ms / 1000}s`;
const win = (r: ResolvedSli, ms: number) => r.expression.replaceAll('$window', dur(ms));

describe('the evaluator agrees with Prometheus 2.42', () => {
  let prom: PrometheusServer;
  let data: Built;
  let resolved: Record<string, ResolvedSli>;
  const pick = (s: SelectorLike) => selectSeries(data.series, s).series;
  // A grid that does not fall on the scrape instants, from 2 h in to 10 min past the data's end.
  const grid: StepGrid = { start: S + 2 * HOUR + 17_500, end: END + 10 * MIN, step: MIN };
  const range = (expr: string) => prom.queryRange(expr, grid.start, grid.end, grid.step);

  beforeAll(async () => {
    data = build();
    resolved = {};
    for (const sli of [availability, success, latency]) {
      const r = resolveSli(sli, data.series);
      expect(r.issues).toEqual([]);
      resolved[sli.id] = r.resolved!;
    }
    prom = await startPrometheusWith(data.openMetrics);
  }, 180_000);

  afterAll(async () => {
    await prom?.stop();
  }, 30_000);

  it('the data is what the test means: a reset, a gap, an incident, a NaN', () => {
    const api200 = pick(sel('http_requests_total', [['job', '=', 'api'], ['code', '=', '200']]))[0];
    expect(api200.t.length).toBeGreaterThan(4000);
    expect([...api200.v].some((v, i) => i > 0 && v < api200.v[i - 1])).toBe(true);
    expect([...api200.t].some((t, i) => i > 0 && t - api200.t[i - 1] > 20 * MIN)).toBe(true);
    expect(data.openMetrics.length).toBeLessThan(4_000_000);
    expect([...pick(sel('batch_total', []))[0].v].some(Number.isNaN)).toBe(true);
    expect([...pick(sel('queue_depth', []))[0].v].includes(Infinity)).toBe(true);
  });

  const counters: [string, SelectorLike, number][] = [
    ['api, 1h', sel('http_requests_total', [['job', '=', 'api']]), HOUR],
    ['503, 5m (gap and reset inside)', sel('http_requests_total', [['job', '=', 'api'], ['code', '=', '503']]), 5 * MIN],
    ['web, 6h (float counter, reset)', sel('http_requests_total', [['job', '=', 'web']]), 6 * HOUR],
    ['every job, 2m (windows with one sample)', sel('http_requests_total', [['code', '=~', '2..']]), 2 * MIN],
    ['batch, 1h (a NaN sample)', sel('batch_total', []), HOUR],
  ];

  for (const [label, s, R] of counters) {
    const text = (s as Selector).text;
    it(`sum(increase(…)) and sum(rate(…)) on the grid: ${label}`, async () => {
      const ss = pick(s);
      expect(expectSameAsGrid(`increase ${label}`, await range(`sum(increase(${text}[${dur(R)}]))`), sumIncreaseGrid(ss, R, grid))).toBeGreaterThan(3000);
      expect(expectSameAsGrid(`rate ${label}`, await range(`sum(rate(${text}[${dur(R)}]))`), sumRateGrid(ss, R, grid))).toBeGreaterThan(3000);
    }, 60_000);
  }

  it('sum(gauge) with the 5-minute lookback on the grid', async () => {
    const ss = pick(sel('queue_depth', []));
    const ours = sumInstantGrid(ss, grid);
    expectSameAsGrid('sum(queue_depth)', await range('sum(queue_depth)'), ours);
    expect(ours.v.includes(Infinity)).toBe(true);
    const api = sumInstantGrid(pick(sel('queue_depth', [['job', '=', 'api']])), grid);
    expectSameAsGrid('sum(queue_depth{job="api"})', await range('sum(queue_depth{job="api"})'), api);
    expect(api.present.includes(0)).toBe(true); // the gap outlasts the lookback
  });

  for (const [id, windows] of [
    ['sli:api.availability', [HOUR, 5 * MIN]],
    ['sli:api.success', [30 * MIN, DAY]],
    ['sli:api.latency', [HOUR, 6 * HOUR]],
  ] as const) {
    it(`error ratio of ${id} on the grid`, async () => {
      for (const W of windows) {
        const r = resolved[id];
        expectSameAsGrid(`${id} [${dur(W)}]`, await range(win(r, W)), errorRatioGrid(r, W, grid));
      }
    }, 60_000);
  }

  for (const id of ['sli:api.availability', 'sli:api.latency']) {
    for (const rule of rules) {
      it(`burn-rate alert ${rule.factor}× (${dur(rule.longWindowSeconds * 1000)}/${dur(rule.shortWindowSeconds * 1000)}, for ${rule.forSeconds}s) on ${id}`, async () => {
        const r = resolved[id];
        const bt = backtestBurnRate(r, rule, budget, grid);
        const thr = String(bt.threshold);
        const expr = `(${win(r, rule.longWindowSeconds * 1000)}) > ${thr} and (${win(r, rule.shortWindowSeconds * 1000)}) > ${thr}`;
        const answer = await range(expr);
        const holds = new Set((answer[0]?.values ?? []).map(([t]) => t));
        const promCondition = Uint8Array.from(bt.long.t, (t) => (holds.has(t) ? 1 : 0));
        expect([...bt.condition]).toEqual([...promCondition]);
        // The alerts the rule manager would raise from Prometheus' condition are ours.
        expect(bt.alerts).toEqual(alertTimeline(bt.long.t, promCondition, rule.forSeconds));
        // The incident fires it, and it resolves within the data.
        const fired = bt.alerts.filter((a) => a.firedAt >= INCIDENT[0] && a.firedAt < INCIDENT[1] + HOUR);
        expect(fired.length).toBeGreaterThan(0);
        expect(fired[0].firedAt - fired[0].activeAt).toBeGreaterThanOrEqual(rule.forSeconds * 1000);
        expect(fired.every((a) => a.resolvedAt !== undefined)).toBe(true);
      }, 60_000);
    }
  }

  it('instant queries on and off the grid agree with the reference implementation', async () => {
    const random = rng(7);
    const onGrid = Array.from({ length: 25 }, () => grid.start + Math.floor(random() * ((grid.end - grid.start) / grid.step)) * grid.step);
    const offGrid = Array.from({ length: 25 }, () => S + HOUR + Math.floor(random() * (3 * DAY)));
    // Around the restart, the gaps and the end of the data, to the millisecond.
    const api = pick(sel('http_requests_total', [['job', '=', 'api']]));
    const e503 = pick(sel('http_requests_total', [['job', '=', 'api'], ['code', '=', '503']]));
    const gauge = pick(sel('queue_depth', []));
    const edges = [RESTART, GAP[0], GAP[1], GAUGE_GAP[0] + 5 * MIN, GAUGE_GAP[1], END].flatMap((t) => [t - 1, t, t + 1, t + 30_000]);
    // Samples exactly on a window's edges: both ends of a range are included.
    const onSamples = [100, 1500, 3000].flatMap((i) => [e503[0].t[i], e503[0].t[i] + 5 * MIN, e503[0].t[i] + 10 * MIN, api[0].t[i] + 3 * MIN, gauge[0].t[i] + 5 * MIN]);
    for (const ts of [...onGrid, ...offGrid, ...edges, ...onSamples]) {
      const at = new Date(ts).toISOString();
      expectSameAsInstant(`increase 1h at ${at}`, await prom.query('sum(increase(http_requests_total{job="api"}[1h]))', ts), sumIncreaseAt(api, ts, HOUR));
      expectSameAsInstant(`rate 5m at ${at}`, await prom.query('sum(rate(http_requests_total{job="api",code="503"}[5m]))', ts), sumRateAt(e503, ts, 5 * MIN));
      expectSameAsInstant(`per-series increase at ${at}`, await prom.query('increase(http_requests_total{job="api",code="503"}[10m])', ts), increaseAt(e503[0], ts, 10 * MIN));
      expectSameAsInstant(`per-series rate at ${at}`, await prom.query('rate(http_requests_total{job="api",code="200"}[3m])', ts), rateAt(api.find((s) => s.labels.code === '200')!, ts, 3 * MIN));
      expectSameAsInstant(`gauge at ${at}`, await prom.query('sum(queue_depth)', ts), sumInstantAt(gauge, ts));
      for (const id of ['sli:api.availability', 'sli:api.success', 'sli:api.latency']) {
        expectSameAsInstant(`${id} at ${at}`, await prom.query(win(resolved[id], HOUR), ts), errorRatioAt(resolved[id], ts, HOUR));
      }
    }
    // The reference itself agrees with the grid path at the grid's steps (the link between the two halves of this test).
    const g = sumIncreaseGrid(api, HOUR, grid);
    for (const ts of onGrid) {
      const k = (ts - grid.start) / grid.step;
      expect(close(g.v[k], sumOf(api.map((s) => increaseAt(s, ts, HOUR)))!)).toBe(true);
    }
  }, 120_000);
});

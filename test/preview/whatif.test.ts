// What-if scenarios (server/src/core/evaluate/whatif.ts) on small hand-made data: the spec's
// grammar and its located errors; the rewritten data, measured back with the evaluator (the
// injected share is what increase() then sees, 1e-9), counters that stay counters; propagation
// through a depends_on chain that a soft edge stops; an outage that pages in the scenario only.
import { describe, expect, it } from 'vitest';
import { preview, type SampleData, type Series, Workspace } from '../../server/src/core/index.js';
import { sumIncreaseAt } from '../../server/src/core/evaluate/reference.js';
import { applyWhatIf, parseSpecDuration, parseSpecTime, parseWhatIf, propagateWhatIf, whatIf, whatIfErrorText, whatIfJson, whatIfOutsideData, whatIfView, type WhatIfSpec } from '../../server/src/core/evaluate/whatif.js';
import type { NormalizedModel } from '../../server/src/core/model/model.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1);
const MINUTES = 2 * 1440;

function modelOf(text: string): NormalizedModel {
  const ws = new Workspace();
  ws.setFile('file:///main.pace', text);
  const a = ws.analyze();
  expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return a.normalized().model;
}

/** A counter sampled every minute, increasing by perMinute(i) at minute i; `resetAt` (a minute) restarts it from 0. */
function counter(metric: string, labels: Record<string, string>, perMinute: (i: number) => number, opts: { initial?: number; resetAt?: number } = {}): Series {
  const t = new Float64Array(MINUTES + 1);
  const v = new Float64Array(MINUTES + 1);
  let x = opts.initial ?? 1e6;
  for (let i = 0; i <= MINUTES; i++) {
    t[i] = T0 + i * MIN;
    if (i === opts.resetAt) x = 0;
    if (i > 0) x += perMinute(i);
    v[i] = x;
  }
  return { metric, labels, t, v };
}

// a ← b ← c (c depends on b, b on a); d soft-depends on b; e stands apart.
const PROJECT = `
service a {
  sli ok = ratio {
    good  = a_requests_total{code!~"5.."}
    total = a_requests_total
  }
  sli fast = latency {
    histogram = a_latency_seconds
    under     = 250ms
  }
  slo ok {
    sli       = ok
    objective = 99%
    window    = 1d
    alerting  = quick
  }
  slo fast {
    sli       = fast
    objective = 90%
    window    = 1d
    alerting  = none
  }
  sla contract {
    sli       = ok
    objective = 98%
    window    = 1d
    credit 10% below 98%
  }
}

service b {
  depends_on = [a]
  sli ok = ratio {
    bad   = b_errors_total
    total = b_requests_total
  }
  slo ok {
    sli       = ok
    objective = 98%
    window    = 1d
    alerting  = quick
  }
}

service c {
  depends_on = [b]
  sli ok = ratio {
    bad   = c_requests_total{code="500"}
    total = c_requests_total
  }
  slo ok {
    sli       = ok
    objective = 97%
    window    = 1d
    alerting  = quick
  }
}

service d {
  soft_depends_on = [b]
  sli ok = ratio {
    good  = d_requests_total{code="200"}
    total = d_requests_total
  }
  slo ok {
    sli       = ok
    objective = 97%
    window    = 1d
    alerting  = none
  }
}

service e {
  sli ok = ratio {
    good  = e_requests_total{code="200"}
    total = e_requests_total
  }
  sli lag = timeslice {
    gauge     = e_lag_seconds
    good_when < 30
    slice     = 1m
  }
  slo ok {
    sli       = ok
    objective = 97%
    window    = 1d
    alerting  = none
  }
}

alerting quick {
  page when burn_rate > 10 over 1h and 5m for 3m
}
`;

const model = modelOf(PROJECT);
// Traffic that varies by the minute, so that a wrong share or a shifted minute shows.
const traffic = (base: number) => (i: number) => base + ((i * 37) % 11);
const RESET = 1440 + 10 * 60 + 20; // day 2, 10:20: a's and c's pods restart, inside the span below

function sampleData(): SampleData {
  return {
    issues: [],
    series: [
      counter('a_requests_total', { code: '200' }, traffic(1000), { resetAt: RESET }),
      counter('a_requests_total', { code: '500' }, () => 1, { initial: 1e4, resetAt: RESET }),
      counter('a_latency_seconds_bucket', { le: '0.1' }, traffic(600)),
      counter('a_latency_seconds_bucket', { le: '0.25' }, traffic(950)),
      counter('a_latency_seconds_bucket', { le: '0.5' }, traffic(990)),
      counter('a_latency_seconds_bucket', { le: '+Inf' }, traffic(1000)),
      counter('a_latency_seconds_count', {}, traffic(1000)),
      counter('b_requests_total', {}, traffic(500)),
      counter('b_errors_total', {}, () => 2, { initial: 5e3 }),
      counter('c_requests_total', { code: '200' }, traffic(300), { resetAt: RESET }),
      counter('c_requests_total', { code: '500' }, () => 1, { initial: 3e3 }),
      counter('d_requests_total', { code: '200' }, traffic(200)),
      counter('d_requests_total', { code: '500' }, () => 1, { initial: 2e3 }),
      counter('e_requests_total', { code: '200' }, traffic(200)),
      counter('e_requests_total', { code: '500' }, () => 1, { initial: 2e3 }),
    ],
  };
}

const SPAN_START = T0 + DAY + 10 * HOUR; // day 2, 10:00
const SPAN = 2 * HOUR;

function spec(text: string): WhatIfSpec {
  const p = parseWhatIf(text, model);
  expect(p.error).toBeUndefined();
  return p.spec as WhatIfSpec;
}

const find = (d: SampleData, metric: string, labels: Record<string, string> = {}) => {
  const s = d.series.filter((x) => x.metric === metric && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  expect(s.length, metric).toBeGreaterThan(0);
  return s;
};
const inc = (d: SampleData, metric: string, labels: Record<string, string>, at: number, range: number) => sumIncreaseAt(find(d, metric, labels), at, range) as number;
const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(Math.abs(y), 1e-300);

describe('the spec', () => {
  it('reads both forms, with RFC 3339 times in any offset, the service by name or id', () => {
    const o = spec('outage a 30m at 2026-06-02T10:00Z');
    expect(o).toEqual({ text: 'outage a 30m at 2026-06-02T10:00Z', kind: 'outage', service: 'service:a', share: 1, start: SPAN_START, end: SPAN_START + 30 * MIN });
    const e = spec('  errors   service:b 5% 1h30m at 2026-06-02T12:00:00+02:00 ');
    expect(e.text).toBe('errors service:b 5% 1h30m at 2026-06-02T12:00:00+02:00');
    expect(e.kind).toBe('errors');
    expect(e.service).toBe('service:b');
    expect(e.share).toBeCloseTo(0.05, 15);
    expect(e.start).toBe(SPAN_START);
    expect(e.end - e.start).toBe(90 * MIN);
    expect(spec('errors c 100% 90s at 2026-06-02T10:00:00.5Z').share).toBe(1);
    expect(parseSpecDuration('1d2h3m4s5ms')).toBe(DAY + 2 * HOUR + 3 * MIN + 4005);
    expect(parseSpecTime('2028-02-29T00:00Z')).toBe(Date.UTC(2028, 1, 29));
  });

  const samplesModel = { services: [{ id: 'service:payments_api', name: 'payments_api' }, { id: 'service:checkout', name: 'checkout' }] } as unknown as NormalizedModel;
  const cases: [string, number, string][] = [
    ['outage paymentsapi 30m at 2026-10-12T10:00Z', 8, "no service 'paymentsapi'; did you mean 'payments_api'?"],
    ['outage zzz 30m at 2026-10-12T10:00Z', 8, "no service 'zzz' (the services are checkout, payments_api)"],
    ['outtage checkout 30m at 2026-10-12T10:00Z', 1, "'outtage' is not a what-if; did you mean 'outage'?"],
    ['outage checkout 30x at 2026-10-12T10:00Z', 17, "'30x' is not a duration: expected a number and a unit (ms, s, m, h, d, w), such as 30m, 2h or 1h30m"],
    ['outage checkout 30 at 2026-10-12T10:00Z', 17, "'30' is not a duration (a duration needs a unit: ms, s, m, h, d or w)"],
    ['outage checkout 0m at 2026-10-12T10:00Z', 17, 'the duration 0m is empty: it must be longer than 0'],
    ['outage checkout 30m at 2026-13-12T10:00Z', 24, "'2026-13-12T10:00Z': there is no month 13"],
    ['outage checkout 30m at 2026-02-29T10:00Z', 24, "'2026-02-29T10:00Z': 2026-02 has no day 29"],
    ['outage checkout 30m at 2026-10-12T25:00Z', 24, "'2026-10-12T25:00Z': 25:00 is not a time of day"],
    ['outage checkout 30m at yesterday', 24, "'yesterday' is not an RFC 3339 time: expected such as 2026-10-12T10:00Z or 2026-10-12T12:00:00+02:00"],
    ['outage checkout 30m at 2026-10-12T10:00', 24, "'2026-10-12T10:00' is not an RFC 3339 time: expected such as 2026-10-12T10:00Z or 2026-10-12T12:00:00+02:00"],
    ['outage checkout 30m 2026-10-12T10:00Z', 21, "expected 'at' before the time, not '2026-10-12T10:00Z'"],
    ['outage checkout 30m at', 23, "expected an RFC 3339 time after 'at' (such as 2026-10-12T10:00Z)"],
    ['outage checkout', 16, "expected a duration (such as 30m or 2h) after 'checkout'"],
    ['errors checkout 0% 2h at 2026-10-12T10:00Z', 17, '0% is outside (0, 100%]: the share of events that fail must be above 0% and at most 100%'],
    ['errors checkout 150% 2h at 2026-10-12T10:00Z', 17, '150% is outside (0, 100%]: the share of events that fail must be above 0% and at most 100%'],
    ['errors checkout -5% 2h at 2026-10-12T10:00Z', 17, '-5% is outside (0, 100%]: the share of events that fail must be above 0% and at most 100%'],
    ['errors checkout 5 2h at 2026-10-12T10:00Z', 17, "'5' is not a percentage: expected the share of events that fail, such as 5% or 0.5%"],
    ['outage checkout 30m at 2026-10-12T10:00Z please', 42, "unexpected 'please' after the time: expected 'outage SERVICE DURATION at TIME' or 'errors SERVICE PERCENT DURATION at TIME'"],
    ['', 1, "an empty what-if: expected 'outage SERVICE DURATION at TIME' or 'errors SERVICE PERCENT DURATION at TIME'"],
  ];
  for (const [text, column, message] of cases) {
    it(`rejects ${JSON.stringify(text)} at column ${column}`, () => {
      const p = parseWhatIf(text, samplesModel);
      expect(p.spec).toBeUndefined();
      expect(p.error).toEqual({ column, message });
      // The column points at the word the message quotes.
      const quoted = /'([^']+)'/.exec(message)?.[1];
      if (quoted && column <= text.length && !message.startsWith('expected') && !message.startsWith('no service')) expect(text.slice(column - 1)).toMatch(new RegExp(`^${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(whatIfErrorText(text, p.error as NonNullable<typeof p.error>)).toBe(`--what-if '${text}', column ${column}: ${message}`);
    });
  }

  it('a span outside the data is reported, one that overlaps it is not', () => {
    const data = { start: T0, end: T0 + 2 * DAY };
    expect(whatIfOutsideData(spec('outage a 30m at 2026-06-05T00:00Z'), data)).toMatch(/lies outside the sample data \(2026-06-01T00:00:00.000Z to 2026-06-03T00:00:00.000Z\)/);
    expect(whatIfOutsideData(spec('outage a 1h at 2026-05-31T23:30Z'), data)).toBeUndefined();
  });
});

describe('the rewritten data', () => {
  const data = sampleData();
  const before = data.series.map((s) => [s.t.slice(), s.v.slice()]);
  const s = spec('errors a 5% 2h at 2026-06-02T10:00Z');
  const applied = applyWhatIf(model, data, s, ['service:a', 'service:b', 'service:c']);
  const d = applied.data;
  const end = SPAN_START + SPAN;

  it('never mutates the input, and shares the series it does not change', () => {
    data.series.forEach((x, i) => {
      expect(Array.from(x.t)).toEqual(Array.from(before[i][0]));
      expect(Array.from(x.v)).toEqual(Array.from(before[i][1]));
    });
    expect(find(d, 'd_requests_total')).toEqual(find(data, 'd_requests_total'));
    expect(find(d, 'd_requests_total')[0]).toBe(find(data, 'd_requests_total')[0]);
    expect(find(d, 'a_latency_seconds_count')[0]).toBe(find(data, 'a_latency_seconds_count')[0]);
    expect(find(d, 'a_latency_seconds_bucket', { le: '0.5' })[0]).toBe(find(data, 'a_latency_seconds_bucket', { le: '0.5' })[0]);
    expect(applied.changedSeries).toEqual([
      'a_latency_seconds_bucket{le="0.1"}',
      'a_latency_seconds_bucket{le="0.25"}',
      'a_requests_total{code="200"}',
      'a_requests_total{code="500"}',
      'b_errors_total',
      'c_requests_total{code="200"}',
      'c_requests_total{code="500"}',
    ]);
  });

  it('good/total (good inside total): a window inside the span sees exactly 5% of the good events fail, total unchanged', () => {
    for (const [at, range] of [[end, 30 * MIN], [SPAN_START + 90 * MIN, HOUR], [end, SPAN], [SPAN_START + 25 * MIN, 5 * MIN]]) {
      const g0 = inc(data, 'a_requests_total', { code: '200' }, at, range);
      const g1 = inc(d, 'a_requests_total', { code: '200' }, at, range);
      expect(rel(1 - g1 / g0, 0.05)).toBeLessThan(1e-9);
      expect(rel(inc(d, 'a_requests_total', {}, at, range), inc(data, 'a_requests_total', {}, at, range))).toBeLessThan(1e-9);
      // What the preview's SLI reads: attainment × (1 − s).
      const r0 = g0 / inc(data, 'a_requests_total', {}, at, range);
      const r1 = g1 / inc(d, 'a_requests_total', {}, at, range);
      expect(rel(r1, r0 * 0.95)).toBeLessThan(1e-9);
    }
  });

  it('a window straddling the span sees the share only on its part inside the span', () => {
    // [09:30, 10:30]: the half hour from 10:00 is injected; and [11:00, 13:00] the hour to 12:00.
    for (const [at, range, insideAt, insideRange] of [[SPAN_START + 30 * MIN, HOUR, SPAN_START + 30 * MIN, 30 * MIN], [end + HOUR, 2 * HOUR, end, HOUR], [T0 + 2 * DAY, DAY, end, SPAN]]) {
      const g0 = inc(data, 'a_requests_total', { code: '200' }, at, range);
      const g1 = inc(d, 'a_requests_total', { code: '200' }, at, range);
      const inside = inc(data, 'a_requests_total', { code: '200' }, insideAt, insideRange);
      expect(rel(g0 - g1, 0.05 * inside)).toBeLessThan(1e-9);
      const b1 = inc(d, 'a_requests_total', { code: '500' }, at, range);
      const b0 = inc(data, 'a_requests_total', { code: '500' }, at, range);
      expect(rel(b1 - b0, 0.05 * inside)).toBeLessThan(1e-9);
    }
  });

  it('bad/total with separate counters (b) and with bad inside total (c): bad becomes bad + s × good', () => {
    for (const [at, range] of [[end, 30 * MIN], [end, SPAN], [SPAN_START + 30 * MIN, 10 * MIN]]) {
      const e0 = inc(data, 'b_errors_total', {}, at, range) / inc(data, 'b_requests_total', {}, at, range);
      const e1 = inc(d, 'b_errors_total', {}, at, range) / inc(d, 'b_requests_total', {}, at, range);
      expect(rel((e1 - e0) / (1 - e0), 0.05)).toBeLessThan(1e-9);
      const c0 = inc(data, 'c_requests_total', { code: '500' }, at, range) / inc(data, 'c_requests_total', {}, at, range);
      const c1 = inc(d, 'c_requests_total', { code: '500' }, at, range) / inc(d, 'c_requests_total', {}, at, range);
      expect(rel((c1 - c0) / (1 - c0), 0.05)).toBeLessThan(1e-9);
    }
  });

  it('latency: buckets at or under the threshold lose 5%, the rest of the histogram is unchanged', () => {
    for (const le of ['0.1', '0.25']) expect(rel(inc(d, 'a_latency_seconds_bucket', { le }, end, HOUR), 0.95 * inc(data, 'a_latency_seconds_bucket', { le }, end, HOUR))).toBeLessThan(1e-9);
    const att0 = inc(data, 'a_latency_seconds_bucket', { le: '0.25' }, end, HOUR) / inc(data, 'a_latency_seconds_count', {}, end, HOUR);
    const att1 = inc(d, 'a_latency_seconds_bucket', { le: '0.25' }, end, HOUR) / inc(d, 'a_latency_seconds_count', {}, end, HOUR);
    expect(rel(1 - att1 / att0, 0.05)).toBeLessThan(1e-9);
  });

  it('outside the span nothing changes', () => {
    for (const metric of ['a_requests_total', 'b_errors_total', 'c_requests_total', 'a_latency_seconds_bucket']) {
      expect(inc(d, metric, {}, SPAN_START, 6 * HOUR)).toBe(inc(data, metric, {}, SPAN_START, 6 * HOUR));
      expect(rel(inc(d, metric, {}, T0 + 2 * DAY, 6 * HOUR), inc(data, metric, {}, T0 + 2 * DAY, 6 * HOUR))).toBeLessThan(1e-12);
    }
  });

  it('counters stay counters: monotone between resets, every reset kept where it was', () => {
    for (const [i, x] of d.series.entries()) {
      const o = data.series[i];
      expect(x.t).toBe(o.t);
      for (let k = 1; k < x.v.length; k++) {
        const wasReset = o.v[k] < o.v[k - 1];
        expect(x.v[k] < x.v[k - 1], `${x.metric} ${JSON.stringify(x.labels)} at ${k}`).toBe(wasReset);
      }
    }
    // The two resets of the data are inside the span and kept (no warning about a lost one).
    expect(find(d, 'a_requests_total', { code: '200' })[0].v[RESET]).toBeLessThan(find(d, 'a_requests_total', { code: '200' })[0].v[RESET - 1]);
    expect(applied.issues).toEqual([]);
  });

  it('a reset that the injected events would hide is reported, located by its series', () => {
    // e's bad counter has counted 5 errors, restarts at 10:01 and counts none: the outage from
    // 10:00 puts a whole minute of requests after the restart, more than the 5 before it.
    const k = 1440 + 10 * 60 + 1;
    const quiet: SampleData = { issues: [], series: [counter('e_requests_total', { code: '200' }, traffic(200)), counter('e_requests_total', { code: '500' }, () => 0, { initial: 5, resetAt: k })] };
    const x = applyWhatIf(model, quiet, spec('outage e 10m at 2026-06-02T10:00Z'), ['service:e']);
    expect(x.issues.filter((i) => i.severity === 'warning')).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'preview/what-if-reset-lost', series: 'e_requests_total{code="500"}', message: expect.stringContaining('its counter reset at 2026-06-02T10:01:00.000Z no longer looks like a reset') }),
    ]);
  });

  it('a span that starts between samples injects the share of each interval inside it', () => {
    const half = parseWhatIf('outage e 10m at 2026-06-02T10:00:30Z', model).spec as WhatIfSpec;
    const x = applyWhatIf(model, data, half, ['service:e']).data;
    const g = (dd: SampleData, at: number, range: number) => inc(dd, 'e_requests_total', { code: '200' }, at, range);
    // (10:00, 10:01] is half inside: half its good events fail; (10:01, 10:10] all; (10:10, 10:11] half.
    expect(rel(g(x, SPAN_START + MIN, MIN), 0.5 * g(data, SPAN_START + MIN, MIN))).toBeLessThan(1e-9);
    expect(g(x, SPAN_START + 10 * MIN, 9 * MIN)).toBe(0);
    expect(rel(g(x, SPAN_START + 11 * MIN, MIN), 0.5 * g(data, SPAN_START + 11 * MIN, MIN))).toBeLessThan(1e-9);
    expect(rel(inc(x, 'e_requests_total', {}, SPAN_START + 11 * MIN, 11 * MIN), inc(data, 'e_requests_total', {}, SPAN_START + 11 * MIN, 11 * MIN))).toBeLessThan(1e-9);
  });

  it('the preview of the scenario measures the injected share (attainment over an SLO window inside the span)', () => {
    const at = end;
    const base = preview(model, data, { at });
    const scen = preview(model, d, { at });
    // Each SLO has a 1d window, which holds the whole span: compare the share of the span's good events.
    const goodInSpan = inc(data, 'a_requests_total', { code: '200' }, end, SPAN);
    const total = inc(data, 'a_requests_total', {}, at, DAY);
    const a0 = base.slos.find((x) => x.id === 'slo:a.ok')?.attainment as number;
    const a1 = scen.slos.find((x) => x.id === 'slo:a.ok')?.attainment as number;
    expect(rel(a0 - a1, (0.05 * goodInSpan) / total)).toBeLessThan(1e-9);
  });
});

describe('propagation', () => {
  it('follows depends_on transitively (a → b → c) and stops at a soft edge (d)', () => {
    const p = propagateWhatIf(model, 'service:a');
    expect(p.affected).toEqual([
      { service: 'service:a', via: null, path: ['service:a'], reason: 'injected' },
      { service: 'service:b', via: 'service:a', path: ['service:a', 'service:b'], reason: 'depends_on a' },
      { service: 'service:c', via: 'service:b', path: ['service:a', 'service:b', 'service:c'], reason: 'depends_on b → a' },
    ]);
    expect(p.notPropagated).toEqual([{ service: 'service:d', softDependsOn: 'service:b' }]);
    // From the middle of the chain: only what depends on it.
    expect(propagateWhatIf(model, 'service:b').affected.map((x) => x.service)).toEqual(['service:b', 'service:c']);
    expect(propagateWhatIf(model, 'service:c').affected.map((x) => x.service)).toEqual(['service:c']);
    expect(propagateWhatIf(model, 'service:c').notPropagated).toEqual([]);
  });

  it('the scenario rewrites the affected services only, each with the same share and span', () => {
    const data = sampleData();
    const r = whatIf(model, data, spec('errors a 10% 1h at 2026-06-02T10:00Z'), preview(model, data));
    const changed = new Set(r.changedSeries.map((k) => k.replace(/\{.*/, '')));
    expect([...changed].sort()).toEqual(['a_latency_seconds_bucket', 'a_requests_total', 'b_errors_total', 'c_requests_total']);
    const base = preview(model, data);
    for (const id of ['slo:d.ok', 'slo:e.ok']) expect(r.scenario.slos.find((x) => x.id === id)).toEqual(base.slos.find((x) => x.id === id));
    // d (soft) and e (unrelated) keep their figures exactly; a, b, c change.
    expect(r.slos.map((s) => s.id).sort()).toEqual(['slo:a.fast', 'slo:a.ok', 'slo:b.ok', 'slo:c.ok']);
    expect(r.notPropagated).toEqual([{ service: 'service:d', softDependsOn: 'service:b' }]);
    const view = whatIfView(r);
    expect(view.lines).toContain('affected: a (injected), b (depends_on a), c (depends_on b → a)');
    expect(view.lines).toContain('not propagated (soft_depends_on is not followed): d soft-depends on b');
  });
});

describe('baseline against scenario', () => {
  const data = sampleData();
  const baseline = preview(model, data);

  it('an outage makes the page alert fire in the scenario and not in the baseline; the SLA owes its credit', () => {
    expect(baseline.slos.flatMap((s) => s.alerts)).toEqual([]);
    const r = whatIf(model, data, spec('outage a 30m at 2026-06-02T10:00Z'), baseline);
    const ok = r.slos.find((s) => s.id === 'slo:a.ok');
    expect(ok).toBeDefined();
    if (!ok) return;
    expect(ok.baseline.alerts).toEqual({ page: 0, ticket: 0 });
    expect(ok.scenario.alerts).toEqual({ page: 1, ticket: 0 });
    expect(ok.newAlerts).toHaveLength(1);
    const page = ok.newAlerts[0];
    expect(page.severity).toBe('page');
    expect(page.rule).toBe('10 over 1h and 5m for 3m');
    // Everything fails from 10:00: both windows pass 10 × 1% within minutes, then `for 3m`.
    expect(page.firedAt).toBeGreaterThan(SPAN_START);
    expect(page.firedAt).toBeLessThanOrEqual(SPAN_START + 10 * MIN);
    expect(page.resolvedAt).not.toBeNull();
    expect(page.resolvedAt as number).toBeGreaterThan(SPAN_START + 30 * MIN);
    // The dependents page too; the baseline's figures are those of the preview.
    for (const id of ['slo:b.ok', 'slo:c.ok']) expect(r.slos.find((s) => s.id === id)?.newAlerts.map((a) => a.severity)).toEqual(['page']);
    expect(ok.baseline.attainment).toBe(baseline.slos.find((s) => s.id === 'slo:a.ok')?.attainment);
    expect(ok.scenario.attainment as number).toBeLessThan(ok.baseline.attainment as number);
    expect(ok.scenario.budgetLeft as number).toBeLessThan(ok.baseline.budgetLeft as number);
    // 30 minutes of a day failing: about 2% of the day's events, under the 98% SLA: its 10% is owed.
    const sla = r.slas.find((s) => s.id === 'sla:a.contract');
    expect(sla?.baseline).toMatchObject({ met: true, creditOwed: 0, tier: null });
    expect(sla?.scenario).toMatchObject({ met: false, creditOwed: 0.1, tier: 'credit 10% below 98%' });
    // Unaffected SLOs are not listed.
    expect(r.slos.some((s) => s.id === 'slo:d.ok' || s.id === 'slo:e.ok')).toBe(false);
    const json = whatIfJson(r);
    expect(json.slos.find((s) => s.id === 'slo:a.ok')?.newAlerts[0].firedAt).toBe(new Date(page.firedAt).toISOString());
    const view = whatIfView(r);
    expect(view.alerts.some((l) => l.startsWith('a.ok: page 10 over 1h and 5m for 3m: would fire 2026-06-02 10:'))).toBe(true);
    expect(view.sla.rows).toContainEqual(['a.contract', '98%', '1d', expect.stringMatching(/ → /), 'met → missed', 'none → credit 10% below 98%']);
  });

  it('a span past the end of the data is injected where it overlaps, with a note', () => {
    const r = whatIf(model, data, spec('outage e 2h at 2026-06-02T23:00Z'), baseline);
    expect(r.issues.map((i) => i.code)).toContain('preview/what-if-partial');
    // Its timeslice SLI reads a gauge: not rewritten, and said so.
    expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'info', code: 'preview/what-if-not-injected', subject: 'sli:e.lag' }));
    expect(r.slos.map((s) => s.id)).toEqual(['slo:e.ok']);
  });

  it('a span that misses every window and alert changes nothing', () => {
    // Day 1's morning: outside every 1d window at the end of day 2, and too small to page e (no rules).
    const r = whatIf(model, data, spec('errors e 1% 10m at 2026-06-01T06:00Z'), baseline);
    expect(r.slos).toEqual([]);
    expect(r.slas).toEqual([]);
    expect(whatIfView(r).notes[0]).toBe('no SLO, SLA or alert changes');
  });
});

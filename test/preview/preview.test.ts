// The preview's figures on small hand-made data, where each number can be worked out by hand:
// attainment, the error budget left (ratio, seconds, events), burn rates, time to exhaustion, the
// alert backtest with `for`, SLA credits, KPI measures and their linear trend, and the located
// messages for data problems.
import { describe, expect, it } from 'vitest';
import { preview, type PreviewResult, type SampleData, type Series, Workspace } from '../../server/src/core/index.js';
import { linearFit, quantileSorted } from '../../server/src/core/evaluate/kpi.js';
import type { NormalizedModel } from '../../server/src/core/model/model.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1); // 2026-06-01T00:00Z, a Monday

function modelOf(text: string): NormalizedModel {
  const ws = new Workspace();
  ws.setFile('file:///main.pace', text);
  const a = ws.analyze();
  expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return a.normalized().model;
}

/** A counter sampled every minute from `start` for `minutes`, increasing by perMinute(t) each minute. */
function counter(metric: string, labels: Record<string, string>, minutes: number, perMinute: (t: number) => number, start = T0, initial = 1000): Series {
  const t = new Float64Array(minutes + 1);
  const v = new Float64Array(minutes + 1);
  let x = initial;
  for (let i = 0; i <= minutes; i++) {
    t[i] = start + i * MIN;
    if (i > 0) x += perMinute(t[i]);
    v[i] = x;
  }
  return { metric, labels, t, v };
}

function gauge(metric: string, labels: Record<string, string>, points: [number, number][]): Series {
  return { metric, labels, t: Float64Array.from(points.map((p) => p[0])), v: Float64Array.from(points.map((p) => p[1])) };
}

const data = (...series: Series[]): SampleData => ({ series, issues: [] });

const SERVICE = `
service api {
  sli availability = ratio {
    good  = requests_total{code="200"}
    total = requests_total
  }
  sli fast = latency {
    histogram = latency_seconds
    under     = 250ms
  }
  slo availability {
    sli       = availability
    objective = 98%
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
    sli       = availability
    objective = 97.5%
    window    = calendar week
    credit 10% below 97.5%
    credit 25% below 96%
  }
}

alerting quick {
  page when burn_rate > 10 over 1h and 5m for 3m
}
`;

describe('SLO figures', () => {
  // 100 requests a minute, 1 of them failing: an error ratio of exactly 1%, half the 2% budget.
  const steady = (minutes: number) => [
    counter('requests_total', { code: '200' }, minutes, () => 99),
    counter('requests_total', { code: '500' }, minutes, () => 1, T0, 10),
  ];
  const model = modelOf(SERVICE);

  it('attainment, budget left (ratio, seconds, events), burn rates and exhaustion on a steady error rate', () => {
    const r = preview(model, data(...steady(2 * 1440)));
    expect(r.at).toBe(T0 + 2 * DAY);
    const s = r.slos.find((x) => x.id === 'slo:api.availability');
    expect(s).toBeDefined();
    if (!s) return;
    expect(s.attainment).toBeCloseTo(0.99, 12);
    expect(s.errorBudget.total).toBe(0.02);
    expect(s.errorBudget.totalSeconds).toBeCloseTo(0.02 * 86_400, 9);
    expect(s.errorBudget.remaining).toBeCloseTo(0.01, 12);
    expect(s.errorBudget.remainingRatio).toBeCloseTo(0.5, 12);
    expect(s.errorBudget.remainingSeconds).toBeCloseTo(864, 6);
    // A day of 100 requests a minute: 144,000 events, 1,440 bad, 2,880 allowed.
    expect(s.events?.total).toBeCloseTo(144_000, 6);
    expect(s.events?.bad).toBeCloseTo(1_440, 6);
    expect(s.errorBudget.events?.allowed).toBeCloseTo(2_880, 6);
    expect(s.errorBudget.events?.remaining).toBeCloseTo(1_440, 6);
    for (const w of ['5m', '30m', '1h', '6h', '1d']) expect(s.burnRates[w], w).toBeCloseTo(0.5, 12);
    expect(s.currentBurn).toEqual({ window: '1h', rate: s.burnRates['1h'] });
    // Half the budget left, burnt at half the allowed rate: it lasts one more window (a day).
    expect(s.exhausted).toBe(false);
    expect(s.exhaustionAt).not.toBeNull();
    expect(Math.abs((s.exhaustionAt ?? 0) - (r.at + DAY))).toBeLessThan(1000);
    expect(s.alerts).toEqual([]);
  });

  it('an overspent budget is negative, never clamped, and has no exhaustion time', () => {
    const series = [counter('requests_total', { code: '200' }, 1440, () => 95), counter('requests_total', { code: '500' }, 1440, () => 5)];
    const s = preview(model, data(...series)).slos[0];
    expect(s.attainment).toBeCloseTo(0.95, 12);
    expect(s.errorBudget.remainingRatio).toBeCloseTo(-1.5, 9);
    expect(s.errorBudget.remainingSeconds).toBeCloseTo(-1.5 * 0.02 * 86_400, 6);
    expect(s.exhausted).toBe(true);
    expect(s.exhaustionAt).toBeNull();
  });

  it('the backtest fires after `for` and resolves when the condition stops, on the minute grid', () => {
    // From 10:00 to 10:30 on day 2 half the requests fail: both windows cross 10 × 2% quickly.
    const inc = (t: number) => t > T0 + DAY + 10 * HOUR && t <= T0 + DAY + 10 * HOUR + 30 * MIN;
    const series = [counter('requests_total', { code: '200' }, 2 * 1440, (t) => (inc(t) ? 50 : 100)), counter('requests_total', { code: '500' }, 2 * 1440, (t) => (inc(t) ? 50 : 0), T0, 0)];
    const r = preview(model, data(...series));
    const s = r.slos[0];
    expect(s.alerts.length).toBe(1);
    const a = s.alerts[0];
    expect(a.severity).toBe('page');
    expect(a.rule).toBe('10 over 1h and 5m for 3m');
    expect(a.threshold).toBeCloseTo(0.2, 12);
    // Pending once the 1h error ratio exceeds 20% too (24 of 60 minutes at 50%); firing 3 minutes later.
    expect(a.firedAt - a.activeAt).toBe(3 * MIN);
    expect(a.activeAt).toBeGreaterThan(T0 + DAY + 10 * HOUR + 24 * MIN);
    expect(a.activeAt).toBeLessThanOrEqual(T0 + DAY + 10 * HOUR + 27 * MIN);
    // It stops when the 5m window no longer sees enough errors, a few minutes after the incident ended.
    expect(a.resolvedAt).not.toBeNull();
    expect(a.resolvedAt ?? 0).toBeGreaterThan(T0 + DAY + 10 * HOUR + 30 * MIN);
    expect(a.resolvedAt ?? 0).toBeLessThanOrEqual(T0 + DAY + 10 * HOUR + 36 * MIN);
    expect(a.firedAt % MIN).toBe(0);
  });

  it('a calendar window runs from the period start in its zone; the SLA owes the largest tier it is below', () => {
    // 3% errors: below 97.5%, not below 96%: the 10% tier is owed.
    const series = [counter('requests_total', { code: '200' }, 3 * 1440, () => 97), counter('requests_total', { code: '500' }, 3 * 1440, () => 3)];
    const r = preview(model, data(...series), { at: T0 + 2 * DAY + 12 * HOUR });
    const sla = r.slas[0];
    expect(sla.window.start).toBe(T0); // Monday 2026-06-01 00:00 UTC
    expect(sla.window.period).toBe('week of 2026-06-01');
    expect(sla.attainment).toBeCloseTo(0.97, 12);
    expect(sla.met).toBe(false);
    expect(sla.creditOwed).toBe(0.1);
    expect(sla.tier).toBe('credit 10% below 97.5%');
    // The steady 1% is within the contract: met, nothing owed.
    const ok = preview(model, data(...steady(3 * 1440))).slas[0];
    expect(ok.met).toBe(true);
    expect(ok.creditOwed).toBe(0);
    expect(ok.tier).toBeNull();
  });

  it('a latency SLI reads the bucket whose le is the threshold over _count', () => {
    const series = [counter('latency_seconds_bucket', { le: '0.25' }, 1440, () => 97), counter('latency_seconds_bucket', { le: '+Inf' }, 1440, () => 100), counter('latency_seconds_count', {}, 1440, () => 100)];
    const s = preview(model, data(...series)).slos.find((x) => x.id === 'slo:api.fast');
    expect(s?.attainment).toBeCloseTo(0.97, 12);
    expect(s?.errorBudget.remainingRatio).toBeCloseTo(0.7, 12);
  });
});

describe('data problems are located messages, never a crash or a guess', () => {
  const model = modelOf(SERVICE);

  it('a missing bucket at the threshold, and selectors that match nothing', () => {
    const series = [counter('latency_seconds_bucket', { le: '0.2' }, 60, () => 1), counter('latency_seconds_bucket', { le: '0.3' }, 60, () => 1), counter('latency_seconds_count', {}, 60, () => 1)];
    const r = preview(model, data(...series));
    const fast = r.slos.find((x) => x.id === 'slo:api.fast');
    expect(fast?.attainment).toBeNull();
    const bucket = r.issues.find((i) => i.code === 'data/missing-bucket');
    expect(bucket?.severity).toBe('error');
    expect(bucket?.subject).toBe('sli:api.fast');
    expect(bucket?.message).toContain('le="0.25"');
    const none = r.issues.filter((i) => i.code === 'data/no-series');
    expect(none.map((i) => i.subject)).toContain('sli:api.availability');
    expect(r.slos[0].attainment).toBeNull();
  });

  it('no data at all', () => {
    const r: PreviewResult = preview(model, data());
    expect(r.dataStart).toBeNull();
    expect(r.issues.map((i) => i.code)).toContain('preview/no-data');
  });

  it('a promql SLI gets a note, no number', () => {
    const m = modelOf(`
service fraud {
  sli scored = promql {
    good  = \`sum(rate(ok_total[$window]))\`
    total = \`sum(rate(all_total[$window]))\`
  }
  slo scored {
    sli       = scored
    objective = 99%
    window    = 30d
    alerting  = none
  }
}`);
    const r = preview(m, data(counter('ok_total', {}, 10, () => 1)));
    expect(r.slos[0].attainment).toBeNull();
    expect(r.slos[0].note).toMatch(/needs a live backend/);
    expect(r.issues.find((i) => i.code === 'preview/needs-backend')?.subject).toBe('sli:fraud.scored');
  });
});

describe('KPIs', () => {
  const model = modelOf(`
objective growth {
  kpi conversion {
    measure = ratio(done_total, started_total)
    target  >= 5%
    window  = 7d
  }
  kpi backlog {
    measure = max(open_bugs)
    target  <= 20
    window  = 1d
  }
  kpi lead {
    measure = p90(lead_seconds)
    target  <= 1d
    window  = 30d
  }
}`);

  it('ratio of increases, max over the window, and a trend with its crossing and R²', () => {
    const days = 20;
    // The backlog grows by exactly 0.5 a day: max over a day at day d is 10 + 0.5 d.
    const backlog: [number, number][] = [];
    for (let i = 0; i <= days * 24; i++) backlog.push([T0 + i * HOUR, 10 + (0.5 * i) / 24]);
    const lead: [number, number][] = [];
    for (let i = 1; i <= 10; i++) lead.push([T0 + i * MIN, i * 3600]);
    const r = preview(model, data(counter('done_total', {}, days * 1440, () => 4), counter('started_total', {}, days * 1440, () => 100), gauge('open_bugs', {}, backlog), gauge('lead_seconds', {}, lead)));
    const conv = r.kpis.find((k) => k.id === 'kpi:growth.conversion');
    expect(conv?.value).toBeCloseTo(0.04, 12);
    expect(conv?.meetsTarget).toBe(false);
    const b = r.kpis.find((k) => k.id === 'kpi:growth.backlog');
    expect(b?.value).toBeCloseTo(20, 12);
    expect(b?.meetsTarget).toBe(true);
    // A perfect line: slope 0.5 a day, R² 1, crossing 20 now; the fit says it crosses after `at`
    // only when it is not there yet, so it reads as "does not cross" or crossing within a day.
    expect(b?.trend?.slopePerDay).toBeCloseTo(0.5, 9);
    expect(b?.trend?.r2).toBeCloseTo(1, 9);
    // p90 of 1h..10h: rank 0.9 × 9 = 8.1 → 9h + 0.1 × 1h.
    const l = r.kpis.find((k) => k.id === 'kpi:growth.lead');
    expect(l?.value).toBeCloseTo(9.1 * 3600, 9);
  });

  it('the trend projects the crossing date', () => {
    const days = 10;
    const backlog: [number, number][] = [];
    for (let i = 0; i <= days * 24; i++) backlog.push([T0 + i * HOUR, 2 + i / 24]);
    const r = preview(model, data(gauge('open_bugs', {}, backlog)));
    const b = r.kpis.find((k) => k.id === 'kpi:growth.backlog');
    // max over the last day is 12 at day 10; a day later 13 …: 20 is 8 days after `at`.
    expect(b?.value).toBeCloseTo(12, 12);
    expect(b?.trend?.crossesAt).toBe(T0 + days * DAY + 8 * DAY);
    expect(b?.trend?.sentence).toBe('at the current trend, backlog crosses 20 on 2026-06-19 (R² 1.00)');
    // Selectors without series are messages on the KPI.
    expect(r.issues.filter((i) => i.code === 'data/no-series').map((i) => i.subject)).toEqual(['kpi:growth.conversion', 'kpi:growth.conversion', 'kpi:growth.lead']);
  });

  it('least squares and quantiles', () => {
    const fit = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit).toEqual({ intercept: 1, slope: 2, r2: 1 });
    const noisy = linearFit([0, 1, 2, 3], [0, 2, 1, 3]);
    expect(noisy?.slope).toBeCloseTo(0.8, 12);
    expect(noisy?.r2).toBeCloseTo(0.64, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([5], 0.99)).toBe(5);
  });
});

// The budget math (core/budget): one module for the checker, hover, the model, preview, generators
// and diff. Units are the model's: objectives as ratios, durations in seconds.
import { describe, expect, it } from 'vitest';
import {
  budgetRatio,
  calendarPeriod,
  compositeAvailability,
  defaultPolicy,
  defaultPolicyMode,
  errorBudget,
  formatDuration,
  formatPercent,
  ruleTargets,
  SECONDS,
  slaCoverage,
  type Window,
} from '../../server/src/core/budget/budget.js';
import { closest, editDistance } from '../../server/src/core/language/suggest.js';

const rolling = (days: number): Window => ({ type: 'rolling', seconds: days * SECONDS.d });
const d30 = rolling(30);
const d28 = rolling(28);
const month: Window = { type: 'calendar', unit: 'month', timeZone: 'UTC' };
const H = 3_600_000;

describe('error budget', () => {
  it('99.9% over 30d is 0.1% = 43m12s', () => {
    const b = errorBudget(0.999, d30);
    expect(b.ratio).toBe(0.001);
    expect(b.seconds).toBe(2592);
    expect(formatDuration(b.seconds)).toBe('43m12s');
  });
  it('calendar months differ: February (28d) to a 31-day month', () => {
    const b = errorBudget(0.999, month);
    expect(formatDuration(b.minSeconds!)).toBe('40m19.2s');
    expect(formatDuration(b.maxSeconds!)).toBe('44m38.4s');
    expect(formatDuration(b.seconds)).toBe('43m12s');
  });
  it('quarters are 90 to 92 days', () => {
    const b = errorBudget(0.99, { type: 'calendar', unit: 'quarter', timeZone: 'UTC' });
    expect(formatDuration(b.minSeconds!)).toBe('21h36m');
    expect(formatDuration(b.maxSeconds!)).toBe('22h4m48s');
  });
  it('has no binary noise', () => {
    expect(budgetRatio(0.999)).toBe(0.001);
    expect(budgetRatio(0.9995)).toBe(0.0005);
    expect(formatPercent(0.001)).toBe('0.1%');
  });
});

describe('alert rules', () => {
  const page = { severity: 'page', factor: 14.4, longWindowSeconds: SECONDS.h, shortWindowSeconds: 5 * SECONDS.m } as const;
  it('threshold, budget spent before firing and time to fire on a total outage', () => {
    const t = ruleTargets(page, 0.999, d30);
    expect(t.threshold).toBe(0.0144);
    expect(t.budgetSpent).toBe(0.02);
    expect(t.timeToFireSeconds).toBe(51.84);
    expect(t.neverFires).toBe(false);
  });
  it('adds the for duration to the time to fire', () => {
    expect(ruleTargets({ ...page, forSeconds: 120 }, 0.999, d30).timeToFireSeconds).toBe(171.84);
  });
  it('a rule whose threshold is above 100% never fires, and has no time to fire', () => {
    const t = ruleTargets(page, 0.9, d30);
    expect([t.neverFires, t.timeToFireSeconds]).toEqual([true, null]);
  });
  it('a rule whose threshold is exactly 100% never fires either (burn_rate > 10 on a 90% objective)', () => {
    const t = ruleTargets({ ...page, factor: 10 }, 0.9, d30);
    expect([t.threshold, t.neverFires, t.timeToFireSeconds]).toEqual([1, true, null]);
    expect(ruleTargets({ ...page, factor: 9.99 }, 0.9, d30).neverFires).toBe(false);
  });
});

describe('the default policy', () => {
  it("is Sloth's catalogue for 30d and 28d, bit for bit (28d: 13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333)", () => {
    expect(defaultPolicy(d30).map((r) => r.factor)).toEqual([14.4, 6, 3, 1]);
    expect(defaultPolicy(d28).map((r) => r.factor)).toEqual([13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333]);
    expect(defaultPolicy(d28).map((r) => [r.longWindowSeconds / 3600, r.shortWindowSeconds / 60])).toEqual([[1, 5], [6, 30], [24, 120], [72, 360]]);
    expect(defaultPolicyMode(month)).toBe('sloth');
  });
  it('scales the windows for other windows and keeps the 30-day burn rates (each rule spends the same share)', () => {
    const seven = defaultPolicy(rolling(7));
    expect(defaultPolicyMode(rolling(7))).toBe('scaled');
    expect(seven.map((r) => r.factor)).toEqual([14.4, 6, 3, 1]);
    expect(seven.map((r) => [formatDuration(r.longWindowSeconds), formatDuration(r.shortWindowSeconds)])).toEqual([
      ['14m', '1m'],
      ['1h24m', '7m'],
      ['5h36m', '28m'],
      ['16h48m', '1h24m'],
    ]);
    expect(seven.map((r) => ruleTargets(r, 0.999, rolling(7)).budgetSpent)).toEqual([0.02, 0.05, 0.1, 0.1]);
  });
  it('serves a 1-day window with windows of at least 5m (long) and 1m (short), all within the SLO window', () => {
    const one = defaultPolicy(rolling(1));
    expect(one.map((r) => [formatDuration(r.longWindowSeconds), formatDuration(r.shortWindowSeconds)])).toEqual([
      ['5m', '1m'],
      ['12m', '1m'],
      ['48m', '4m'],
      ['2h24m', '12m'],
    ]);
    for (const r of one) expect(r.shortWindowSeconds).toBeLessThan(r.longWindowSeconds);
  });
  it('has no rules under 1d', () => {
    expect(defaultPolicyMode({ type: 'rolling', seconds: 12 * SECONDS.h })).toBe('unavailable');
    expect(defaultPolicy({ type: 'rolling', seconds: 12 * SECONDS.h })).toEqual([]);
  });
});

describe('SLAs against SLOs: allowed bad time', () => {
  it('an SLA at 99.5% over 28d is guaranteed by a 99.75%/30d SLO (1h48m ≤ 3h21m36s)', () => {
    const c = slaCoverage({ objective: 0.9975, window: d30 }, { objective: 0.995, window: d28 });
    expect(c).toEqual({ guaranteed: true, periodSeconds: 28 * SECONDS.d, slaAllowsSeconds: 12096, sloAllowsSeconds: 6480 });
  });
  it('the same objective over a longer window is not: two SLO windows fit in 31 days', () => {
    const c = slaCoverage({ objective: 0.999, window: d30 }, { objective: 0.999, window: month });
    expect(c.guaranteed).toBe(false);
    expect(c.periodSeconds).toBe(31 * SECONDS.d);
  });
  it('calendar months of 28 to 31 days: February decides a tight SLA on a 30d SLO', () => {
    // 99.9%/30d allows 43m12s in any 30 days; a 99.85% SLA allows 1h0m29s in February: fine; 31 days: 2 windows (1h26m24s) > 1h6m58s.
    const c = slaCoverage({ objective: 0.999, window: d30 }, { objective: 0.9985, window: month });
    expect([c.guaranteed, c.periodSeconds / SECONDS.d]).toEqual([false, 31]);
    // A 28d SLO nests any month in two of its windows; at 99.95% (2 × 20m9.6s = 40m19.2s) a 99.9% monthly SLA (40m19.2s in February) holds.
    expect(slaCoverage({ objective: 0.9995, window: d28 }, { objective: 0.999, window: month }).guaranteed).toBe(true);
    expect(slaCoverage({ objective: 0.9994, window: d28 }, { objective: 0.999, window: month }).guaranteed).toBe(false);
  });
  it('a calendar SLO and an SLA on the same calendar periods compare their ratios', () => {
    expect(slaCoverage({ objective: 0.999, window: month }, { objective: 0.999, window: month }).guaranteed).toBe(true);
    expect(slaCoverage({ objective: 0.999, window: month }, { objective: 0.9995, window: month }).guaranteed).toBe(false);
    expect(slaCoverage({ objective: 0.999, window: month }, { objective: 0.999, window: { type: 'calendar', unit: 'quarter', timeZone: 'UTC' } }).guaranteed).toBe(true);
    // Another zone: the periods do not line up.
    expect(slaCoverage({ objective: 0.999, window: month }, { objective: 0.999, window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Paris' } }).guaranteed).toBe(false);
  });
  it('a weekly SLA on a 30d SLO holds only when a week may hold the whole 30-day budget', () => {
    const week: Window = { type: 'calendar', unit: 'week', timeZone: 'UTC' };
    expect(slaCoverage({ objective: 0.999, window: d30 }, { objective: 0.995, window: week }).guaranteed).toBe(true); // 43m12s ≤ 50m24s
    expect(slaCoverage({ objective: 0.999, window: d30 }, { objective: 0.999, window: week }).guaranteed).toBe(false); // 43m12s > 10m4.8s
  });
});

describe('calendar periods (luxon)', () => {
  it('a month in UTC', () => {
    const p = calendarPeriod('month', Date.UTC(2026, 1, 10), 'UTC');
    expect([p.label, (p.end - p.start) / (24 * H)]).toEqual(['Feb 2026', 28]);
  });
  it('a month in Europe/Paris loses an hour to daylight saving time', () => {
    const p = calendarPeriod('month', Date.UTC(2026, 2, 10), 'Europe/Paris');
    expect(new Date(p.start).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect((p.end - p.start) / H).toBe(31 * 24 - 1);
  });
  it('an instant just after midnight in the zone belongs to the new month there', () => {
    expect(calendarPeriod('month', Date.parse('2026-10-31T23:30:00Z'), 'Europe/Paris').label).toBe('Nov 2026');
    expect(calendarPeriod('month', Date.parse('2026-10-31T23:30:00Z'), 'UTC').label).toBe('Oct 2026');
  });
  it('ISO weeks start on Monday', () => {
    expect(calendarPeriod('week', Date.UTC(2026, 10, 21), 'UTC').label).toBe('week of 2026-11-16');
  });
  it('quarters', () => {
    expect(calendarPeriod('quarter', Date.UTC(2026, 7, 1)).label).toBe('Q3 2026');
    const q = calendarPeriod('quarter', Date.UTC(2026, 7, 1));
    expect([new Date(q.start).toISOString(), new Date(q.end).toISOString()]).toEqual(['2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
  });
});

describe('composite availability and formatting', () => {
  it('multiplies the objectives of hard dependencies', () => {
    expect(compositeAvailability([0.9999, 0.9995])).toBe(0.99940005);
  });
  it('formats durations (seconds) in Pace syntax', () => {
    expect([formatDuration(0), formatDuration(0.25), formatDuration(90 * 60), formatDuration(26 * 3600 + 1.5)]).toEqual(['0s', '250ms', '1h30m', '1d2h1.5s']);
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('fats', 'fast')).toBe(1);
    expect(editDistance('objetcive', 'objective')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('suggests close names and stays quiet for far or very short ones', () => {
    expect(closest('fats', ['fast', 'availability'])).toBe('fast');
    expect(closest('availabilty', ['fast', 'availability'])).toBe('availability');
    expect(closest('zzz', ['fast', 'availability'])).toBeUndefined();
    expect(closest('a', ['s', 'b'])).toBeUndefined();
  });
});

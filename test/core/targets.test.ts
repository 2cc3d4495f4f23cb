import { describe, expect, it } from 'vitest';
import { budgetRatio, calendarPeriod, compositeAvailability, defaultPolicy, errorBudget, formatDuration, formatPercent, MS, ruleTargets } from '../../server/src/core/targets/targets.js';

const d30 = { type: 'rolling', ms: 30 * MS.d } as const;
const d28 = { type: 'rolling', ms: 28 * MS.d } as const;

describe('error budget', () => {
  it('99.9% over 30d is 0.1% = 43m12s', () => {
    const b = errorBudget(99.9, d30);
    expect(b.ratio).toBe(0.001);
    expect(formatDuration(b.ms)).toBe('43m12s');
  });
  it('calendar months differ: February (28d) to a 31-day month', () => {
    const b = errorBudget(99.9, { type: 'calendar', unit: 'month', timeZone: 'UTC' });
    expect(formatDuration(b.minMs!)).toBe('40m19.2s');
    expect(formatDuration(b.maxMs!)).toBe('44m38.4s');
    expect(formatDuration(b.ms)).toBe('43m12s');
  });
  it('quarters are 90 to 92 days', () => {
    const b = errorBudget(99, { type: 'calendar', unit: 'quarter', timeZone: 'UTC' });
    expect(formatDuration(b.minMs!)).toBe('21h36m');
    expect(formatDuration(b.maxMs!)).toBe('22h4m48s');
  });
  it('has no binary noise', () => {
    expect(budgetRatio(99.9)).toBe(0.001);
    expect(budgetRatio(99.95)).toBe(0.0005);
    expect(formatPercent(0.001)).toBe('0.1%');
  });
});

describe('alert rules', () => {
  it('threshold, budget spent before firing and time to fire on a total outage', () => {
    const t = ruleTargets({ severity: 'page', factor: 14.4, longMs: MS.h, shortMs: 5 * MS.m }, 99.9, d30);
    expect(t.threshold).toBeCloseTo(0.0144, 12);
    expect(t.budgetSpent).toBeCloseTo(0.02, 12);
    expect(formatDuration(t.timeToFireMs)).toBe('51.84s');
    expect(t.neverFires).toBe(false);
  });
  it('adds the for duration to the time to fire', () => {
    const t = ruleTargets({ severity: 'page', factor: 14.4, longMs: MS.h, shortMs: 5 * MS.m, forMs: 2 * MS.m }, 99.9, d30);
    expect(formatDuration(t.timeToFireMs)).toBe('2m51.84s');
  });
  it('a rule whose threshold is above 1 never fires', () => {
    expect(ruleTargets({ severity: 'page', factor: 14.4, longMs: MS.h, shortMs: 5 * MS.m }, 90, d30).neverFires).toBe(true);
  });
  it("the default policy scales like Sloth's (28d: 13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333)", () => {
    expect(defaultPolicy(d30).map((r) => r.factor)).toEqual([14.4, 6, 3, 1]);
    expect(defaultPolicy(d28).map((r) => r.factor)).toEqual([13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333]);
  });
});

describe('calendar periods', () => {
  it('a month in UTC', () => {
    const p = calendarPeriod('month', Date.UTC(2026, 1, 10), 'UTC');
    expect([p.label, (p.end - p.start) / MS.d]).toEqual(['Feb 2026', 28]);
  });
  it('a month in Europe/Paris loses an hour to daylight saving time', () => {
    const p = calendarPeriod('month', Date.UTC(2026, 2, 10), 'Europe/Paris');
    expect(new Date(p.start).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect((p.end - p.start) / MS.h).toBe(31 * 24 - 1);
  });
  it('ISO weeks start on Monday', () => {
    const p = calendarPeriod('week', Date.UTC(2026, 10, 21), 'UTC');
    expect(p.label).toBe('week of 2026-11-16');
  });
  it('quarters', () => {
    expect(calendarPeriod('quarter', Date.UTC(2026, 7, 1)).label).toBe('Q3 2026');
  });
});

describe('composite availability and formatting', () => {
  it('multiplies the objectives of hard dependencies', () => {
    expect(compositeAvailability([99.99, 99.95])).toBeCloseTo(99.940005, 9);
  });
  it('formats durations in Pace syntax', () => {
    expect([formatDuration(0), formatDuration(250), formatDuration(90 * MS.m), formatDuration(26 * MS.h + 1500)]).toEqual(['0s', '250ms', '1h30m', '1d2h1.5s']);
  });
});

import { closest, editDistance } from '../../server/src/core/language/suggest.js';

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

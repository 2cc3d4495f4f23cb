// The budget math: what follows from a definition alone, without data. Error budgets (rolling and
// calendar windows), alert thresholds, the share of budget spent before a rule fires, the time to
// fire on a total outage, the default policy, whether an SLA is guaranteed by an SLO, composite
// availability and calendar periods in a time zone.
//
// One module for the checker, hover, inlay hints, the normalized model, preview, generators and
// diff: the numbers Pace shows anywhere come from here. It works in the model's units — objectives
// and budgets as ratios (99.9% → 0.999), durations in seconds — and is pure.
import { DateTime } from 'luxon';
import type { ModelWindow } from '../model/model.js';
import { memo } from '../model/memo.js';

export type Window = ModelWindow;

export const SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

const cleaned = new Map<number, number>();
/**
 * Removes binary noise: 1 − 0.999 is 0.001, not 0.0010000000000000009. Memoised: `toPrecision` is
 * slow, and the checker asks for the same thresholds (objective × factor) for every SLO on every edit.
 */
export function clean(x: number): number {
  let r = cleaned.get(x);
  if (r === undefined) {
    if (cleaned.size >= 65_536) cleaned.clear();
    cleaned.set(x, (r = Number(x.toPrecision(12))));
  }
  return r;
}

/** The nominal length of a window: calendar months count as 30 days, quarters as 90, weeks as 7. */
export function nominalWindowSeconds(w: Window): number {
  if (w.type === 'rolling') return w.seconds;
  return w.unit === 'week' ? 7 * SECONDS.d : w.unit === 'month' ? 30 * SECONDS.d : 90 * SECONDS.d;
}

/** The lengths a window's periods can have, in seconds: one for rolling windows, 28–31 days for months. */
export function periodLengths(w: Window): number[] {
  if (w.type === 'rolling') return [w.seconds];
  const days = w.unit === 'week' ? [7] : w.unit === 'month' ? [28, 29, 30, 31] : [90, 91, 92];
  return days.map((d) => d * SECONDS.d);
}

export function windowLabel(w: Window): string {
  if (w.type === 'rolling') return formatDuration(w.seconds);
  return `calendar ${w.unit}${w.timeZone !== 'UTC' ? ` in ${w.timeZone}` : ''}`;
}

export function sameWindow(a: Window, b: Window): boolean {
  return a.type === 'rolling' ? b.type === 'rolling' && a.seconds === b.seconds : b.type === 'calendar' && a.unit === b.unit && a.timeZone === b.timeZone;
}

// ---------------------------------------------------------------------------------------------
// Error budgets

export interface ErrorBudget {
  /** 1 − objective: the share of events (or of time) allowed to be bad. */
  readonly ratio: number;
  /** Allowed bad time over a rolling window, or over a nominal calendar period (30-day month). */
  readonly seconds: number;
  /** Calendar windows: the shortest and the longest period's budget (February, a 31-day month). */
  readonly minSeconds?: number;
  readonly maxSeconds?: number;
}

const budgets = new Map<number, number>();
/** 1 − objective without binary noise. Memoised: it runs for every rule of every SLO on every edit. */
export function budgetRatio(objective: number): number {
  let r = budgets.get(objective);
  if (r === undefined) budgets.set(objective, (r = clean(1 - objective)));
  return r;
}

export function errorBudget(objective: number, w: Window): ErrorBudget {
  const ratio = budgetRatio(objective);
  if (w.type === 'rolling') return { ratio, seconds: clean(ratio * w.seconds) };
  const lengths = periodLengths(w);
  return { ratio, seconds: clean(ratio * nominalWindowSeconds(w)), minSeconds: clean(ratio * lengths[0]), maxSeconds: clean(ratio * lengths[lengths.length - 1]) };
}

// ---------------------------------------------------------------------------------------------
// Alert rules

export interface RuleSpec {
  readonly severity: 'page' | 'ticket';
  /** Burn rate: how many times faster than sustainable the budget is spent. */
  readonly factor: number;
  readonly longWindowSeconds: number;
  /** Equal to the long window for a single-window rule. */
  readonly shortWindowSeconds: number;
  /** `over 1h` alone: one window, `shortWindowSeconds` equal to the long one. */
  readonly singleWindow?: true;
  readonly forSeconds?: number;
}

export interface RuleTargets {
  /** The error ratio above which it fires: factor × budget. */
  readonly threshold: number;
  /** Share of the window's budget spent over the long window before it fires: factor × long / window. */
  readonly budgetSpent: number;
  /** From the start of a total outage (every event bad) until it fires; null when it never fires. */
  readonly timeToFireSeconds: number | null;
  /** factor × budget ≥ 1: an error ratio cannot exceed the threshold, so the rule never fires. */
  readonly neverFires: boolean;
}

export function ruleTargets(rule: RuleSpec, objective: number, w: Window): RuleTargets {
  const threshold = clean(rule.factor * budgetRatio(objective));
  const neverFires = threshold >= 1;
  // On a total outage the error ratio over a window of length L, t after the start, is t / L: both
  // windows must exceed the threshold, the longer one last; then `for` must pass.
  const timeToFire = clean(threshold * Math.max(rule.longWindowSeconds, rule.shortWindowSeconds) + (rule.forSeconds ?? 0));
  return { threshold, budgetSpent: clean((rule.factor * rule.longWindowSeconds) / nominalWindowSeconds(w)), timeToFireSeconds: neverFires ? null : timeToFire, neverFires };
}

/** The SRE workbook's multiwindow, multi-burn-rate policy for a 30-day window: budget share, long and short window. */
export const DEFAULT_POLICY = [
  { severity: 'page', budgetPercent: 2, longWindowSeconds: 1 * SECONDS.h, shortWindowSeconds: 5 * SECONDS.m },
  { severity: 'page', budgetPercent: 5, longWindowSeconds: 6 * SECONDS.h, shortWindowSeconds: 30 * SECONDS.m },
  { severity: 'ticket', budgetPercent: 10, longWindowSeconds: 1 * SECONDS.d, shortWindowSeconds: 2 * SECONDS.h },
  { severity: 'ticket', budgetPercent: 10, longWindowSeconds: 3 * SECONDS.d, shortWindowSeconds: 6 * SECONDS.h },
] as const;

/** The shortest SLO window the default policy serves. */
export const DEFAULT_POLICY_MIN_WINDOW = SECONDS.d;
/** Scaled alert windows are whole minutes, long windows at least 5m and short ones at least 1m (a rate needs samples). */
const MIN_LONG = 5 * SECONDS.m;
const MIN_SHORT = SECONDS.m;

export type DefaultPolicyMode = 'sloth' | 'scaled' | 'unavailable';

/**
 * How `default` applies to a window. 28d and 30d (and calendar months, nominally 30d): Sloth's catalogue,
 * bit for bit. Any other window from 1d: the 30-day windows scaled by window/30d (as Pyrra scales them),
 * keeping the 30-day burn rates. Below 1d: no rules.
 */
export function defaultPolicyMode(w: Window): DefaultPolicyMode {
  const s = nominalWindowSeconds(w);
  if (s === 30 * SECONDS.d || s === 28 * SECONDS.d) return 'sloth';
  return s >= DEFAULT_POLICY_MIN_WINDOW ? 'scaled' : 'unavailable';
}

export function defaultPolicy(w: Window): RuleSpec[] {
  const total = nominalWindowSeconds(w);
  const mode = defaultPolicyMode(w);
  if (mode === 'unavailable') return [];
  if (mode === 'sloth') {
    // Sloth's arithmetic in Sloth's order (hours), so that factors match it to the last bit:
    // 28d gives 13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333.
    const hours = total / SECONDS.h;
    return DEFAULT_POLICY.map((r) => ({ severity: r.severity, factor: (hours * r.budgetPercent) / 100 / (r.longWindowSeconds / SECONDS.h), longWindowSeconds: r.longWindowSeconds, shortWindowSeconds: r.shortWindowSeconds }));
  }
  const scale = total / (30 * SECONDS.d);
  const minutes = (s: number, min: number) => Math.max(min, Math.round((s * scale) / SECONDS.m) * SECONDS.m);
  return DEFAULT_POLICY.map((r) => {
    const longWindowSeconds = minutes(r.longWindowSeconds, MIN_LONG);
    const shortWindowSeconds = Math.min(minutes(r.shortWindowSeconds, MIN_SHORT), longWindowSeconds - SECONDS.m);
    // The 30-day burn rate: share × 30d / long window (14.4, 6, 3, 1).
    const factor = clean((r.budgetPercent / 100) * 30 * SECONDS.d / r.longWindowSeconds);
    return { severity: r.severity, factor, longWindowSeconds, shortWindowSeconds };
  });
}

// ---------------------------------------------------------------------------------------------
// SLAs against SLOs

export interface SlaCoverage {
  /** True when the SLA cannot be breached while the SLO holds. */
  readonly guaranteed: boolean;
  /** The SLA period length (seconds) where the margin is smallest. */
  readonly periodSeconds: number;
  /** Bad time the SLA allows in that period. */
  readonly slaAllowsSeconds: number;
  /** The most bad time an interval of that length can hold while the SLO holds. */
  readonly sloAllowsSeconds: number;
}

/**
 * Whether an SLO guarantees an SLA, comparing allowed bad time (a time-based reading of both: with
 * uneven traffic, event ratios can differ). For each length an SLA period can have (28–31 days for
 * months), the SLO bounds the bad time of any interval of that length L:
 * - rolling SLO window W with budget b: an interval of length L is covered by ⌈L/W⌉ windows, so at most ⌈L/W⌉·b·W;
 * - calendar SLO, and SLA periods made of whole SLO periods (same zone; month or quarter in quarter): at most b·L;
 * - calendar SLO otherwise: L overlaps at most ⌈L/shortest period⌉ + 1 periods, each at most b·longest period.
 * The SLA allows b′·L. The SLA is guaranteed when the bound is within that for every length.
 */
export function slaCoverage(slo: { objective: number; window: Window }, sla: { objective: number; window: Window }): SlaCoverage {
  const b = budgetRatio(slo.objective);
  const bSla = budgetRatio(sla.objective);
  let worst: SlaCoverage | undefined;
  for (const L of periodLengths(sla.window)) {
    let bound: number;
    const w = slo.window;
    if (w.type === 'rolling') bound = Math.ceil(L / w.seconds - 1e-9) * b * w.seconds;
    else if (sla.window.type === 'calendar' && sla.window.timeZone === w.timeZone && nests(w.unit, sla.window.unit)) bound = b * L;
    else {
      const lengths = periodLengths(w);
      bound = (Math.ceil(L / lengths[0] - 1e-9) + 1) * b * lengths[lengths.length - 1];
    }
    const c: SlaCoverage = { guaranteed: bound <= bSla * L * (1 + 1e-9), periodSeconds: L, slaAllowsSeconds: clean(bSla * L), sloAllowsSeconds: clean(bound) };
    if (!worst || c.slaAllowsSeconds - c.sloAllowsSeconds < worst.slaAllowsSeconds - worst.sloAllowsSeconds) worst = c;
  }
  return worst!;
}

/** Whether every period of `outer` is a union of whole periods of `inner` (in the same zone). */
function nests(inner: 'week' | 'month' | 'quarter', outer: 'week' | 'month' | 'quarter'): boolean {
  return inner === outer || (inner === 'month' && outer === 'quarter');
}

/** Availability bound by hard dependencies: the product of their objectives (ratios). */
export function compositeAvailability(objectives: readonly number[]): number {
  return clean(objectives.reduce((acc, p) => acc * p, 1));
}

// ---------------------------------------------------------------------------------------------
// Calendar periods in a time zone (luxon: the tz database of the runtime's ICU)

export interface CalendarPeriod {
  readonly label: string;
  /** UTC milliseconds. */
  readonly start: number;
  readonly end: number;
}

/** The calendar period (ISO weeks start on Monday) that contains the instant `atMs`, in the window's zone. */
export function calendarPeriod(unit: 'week' | 'month' | 'quarter', atMs: number, timeZone = 'UTC'): CalendarPeriod {
  const start = DateTime.fromMillis(atMs, { zone: timeZone }).startOf(unit);
  const end = start.plus(unit === 'week' ? { weeks: 1 } : unit === 'month' ? { months: 1 } : { quarters: 1 });
  const label = unit === 'week' ? `week of ${start.toFormat('yyyy-MM-dd')}` : unit === 'month' ? start.setLocale('en').toFormat('LLL yyyy') : `Q${start.quarter} ${start.year}`;
  return { label, start: start.toMillis(), end: end.toMillis() };
}

// ---------------------------------------------------------------------------------------------
// Formatting, in Pace's own syntax

/** `43m12s`, `51.84s`, `1d2h`, `250ms`: Pace's duration syntax, at most millisecond precision. */
/** A rule's windows as people read them: `1h and 5m`, or `1h` for a single-window rule (`sep` between the two). */
export function ruleWindowsText(rule: Pick<RuleSpec, 'longWindowSeconds' | 'shortWindowSeconds' | 'singleWindow'>, sep = ' and ', fmt: (s: number) => string = formatDuration): string {
  return rule.singleWindow ? fmt(rule.longWindowSeconds) : `${fmt(rule.longWindowSeconds)}${sep}${fmt(rule.shortWindowSeconds)}`;
}

export const formatDuration: (seconds: number) => string = memo(durationText);

function durationText(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  if (seconds < 0) return '-' + durationText(-seconds);
  let rest = Math.round(seconds * 1000);
  if (rest === 0) return '0s';
  if (rest < 1000) return `${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${Number((rest / 1000).toFixed(3))}s`);
  return parts.join('');
}

/** `99.9%`, `0.1%`, `0.0139%` — a percentage with up to 4 decimals (3 significant digits below 1%) and no binary noise. */
export const formatPercent: (ratio: number) => string = memo(percentOf);

function percentOf(ratio: number): string {
  const p = ratio * 100;
  const s = Math.abs(p) >= 1 ? Number(p.toFixed(4)).toString() : Number(p.toPrecision(3)).toString();
  return `${s}%`;
}

/** An objective as written in Pace: 0.999 → `99.9%` (exact, up to 10 significant digits). */
export function percentText(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(10))}%`;
}

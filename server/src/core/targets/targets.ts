// What follows from a definition alone, without data: error budgets, alert thresholds, the share of
// budget spent before a rule fires, the time to fire on a total outage, composite availability.
// Pure and shared by the checker, hover, inlay hints, preview and diff.

export type Window =
  | { readonly type: 'rolling'; readonly ms: number }
  | { readonly type: 'calendar'; readonly unit: 'week' | 'month' | 'quarter'; readonly timeZone: string };

export const MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** The nominal length of a window: calendar months count as 30 days, quarters as 90, weeks as 7. */
export function nominalWindowMs(w: Window): number {
  if (w.type === 'rolling') return w.ms;
  return w.unit === 'week' ? 7 * MS.d : w.unit === 'month' ? 30 * MS.d : 90 * MS.d;
}

export function windowLabel(w: Window): string {
  if (w.type === 'rolling') return formatDuration(w.ms);
  return `calendar ${w.unit}${w.timeZone !== 'UTC' ? ` in ${w.timeZone}` : ''}`;
}

export interface CalendarPeriod {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms. */
function zoneOffset(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of a wall-clock midnight in a zone. */
function zonedMidnight(year: number, month0: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month0, day);
  const first = guess - zoneOffset(guess, timeZone);
  return guess - zoneOffset(first, timeZone);
}

function zonedParts(utcMs: number, timeZone: string): { year: number; month0: number; day: number; weekday: number } {
  const d = new Date(utcMs + zoneOffset(utcMs, timeZone));
  return { year: d.getUTCFullYear(), month0: d.getUTCMonth(), day: d.getUTCDate(), weekday: (d.getUTCDay() + 6) % 7 };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The calendar period (ISO weeks start on Monday) that contains `atMs`, in the window's zone. */
export function calendarPeriod(unit: 'week' | 'month' | 'quarter', atMs: number, timeZone = 'UTC'): CalendarPeriod {
  const p = zonedParts(atMs, timeZone);
  if (unit === 'week') {
    const startDay = zonedMidnight(p.year, p.month0, p.day - p.weekday, timeZone);
    const s = zonedParts(startDay + MS.h * 12, timeZone);
    return { label: `week of ${s.year}-${pad(s.month0 + 1)}-${pad(s.day)}`, start: startDay, end: zonedMidnight(s.year, s.month0, s.day + 7, timeZone) };
  }
  if (unit === 'month') {
    return { label: `${MONTHS[p.month0]} ${p.year}`, start: zonedMidnight(p.year, p.month0, 1, timeZone), end: zonedMidnight(p.year, p.month0 + 1, 1, timeZone) };
  }
  const q = Math.floor(p.month0 / 3);
  return { label: `Q${q + 1} ${p.year}`, start: zonedMidnight(p.year, q * 3, 1, timeZone), end: zonedMidnight(p.year, q * 3 + 3, 1, timeZone) };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export interface ErrorBudget {
  /** 1 − objective, as a ratio of events. */
  readonly ratio: number;
  /** Allowed bad time over a rolling window, or over a nominal calendar period. */
  readonly ms: number;
  /** For calendar windows: the shortest and longest period's budget (February vs. a 31-day month). */
  readonly minMs?: number;
  readonly maxMs?: number;
}

/** Error budget of an objective given in percent (99.9) over a window. */
export function errorBudget(objectivePercent: number, w: Window): ErrorBudget {
  const ratio = budgetRatio(objectivePercent);
  if (w.type === 'rolling') return { ratio, ms: ratio * w.ms };
  const days = w.unit === 'week' ? [7, 7] : w.unit === 'month' ? [28, 31] : [90, 92];
  return { ratio, ms: ratio * nominalWindowMs(w), minMs: ratio * days[0] * MS.d, maxMs: ratio * days[1] * MS.d };
}

/** 1 − p/100, rounded to cancel binary noise (99.9 → 0.001, not 0.0010000000000000009). */
export function budgetRatio(objectivePercent: number): number {
  let r = budgets.get(objectivePercent);
  if (r === undefined) budgets.set(objectivePercent, (r = Number((1 - objectivePercent / 100).toPrecision(12))));
  return r;
}
/** Projects use a handful of objectives, and this runs for every rule of every SLO on every edit. */
const budgets = new Map<number, number>();

export interface RuleInput {
  readonly severity: string;
  readonly factor: number;
  readonly longMs: number;
  readonly shortMs: number;
  readonly forMs?: number;
}

export interface RuleTargets {
  /** The error ratio at which the rule fires: factor × budget. */
  readonly threshold: number;
  /** Share of the window's budget spent over the long window before it fires: factor × long / window. */
  readonly budgetSpent: number;
  /** Time from the start of a total outage (every event bad) until the rule fires. */
  readonly timeToFireMs: number;
  /** factor × budget > 1: the error ratio can never reach the threshold. */
  readonly neverFires: boolean;
}

export function ruleTargets(rule: RuleInput, objectivePercent: number, w: Window): RuleTargets {
  const budget = budgetRatio(objectivePercent);
  const threshold = rule.factor * budget;
  // On a total outage the error ratio over a window of length W, t after the start, is t / W: both
  // windows must reach the threshold, the long one last.
  const timeToFireMs = threshold * Math.max(rule.longMs, rule.shortMs) + (rule.forMs ?? 0);
  return { threshold, budgetSpent: (rule.factor * rule.longMs) / nominalWindowMs(w), timeToFireMs, neverFires: threshold > 1 };
}

/** The SRE workbook's policy: (share of budget, long window, short window, severity) for a 30-day window. */
export const DEFAULT_POLICY = [
  { severity: 'page', budgetPercent: 2, longMs: 1 * MS.h, shortMs: 5 * MS.m },
  { severity: 'page', budgetPercent: 5, longMs: 6 * MS.h, shortMs: 30 * MS.m },
  { severity: 'ticket', budgetPercent: 10, longMs: 1 * MS.d, shortMs: 2 * MS.h },
  { severity: 'ticket', budgetPercent: 10, longMs: 3 * MS.d, shortMs: 6 * MS.h },
] as const;

/**
 * The default policy scaled to a window: factor = (window hours × share%) / long-window hours. This is
 * Sloth's arithmetic, kept in the same order so factors match it to the last bit (28d: 13.44, 5.6000000000000005, …).
 */
export function defaultPolicy(w: Window): RuleInput[] {
  const totalHours = nominalWindowMs(w) / MS.h;
  return DEFAULT_POLICY.map((r) => ({ severity: r.severity, factor: (totalHours * r.budgetPercent) / 100 / (r.longMs / MS.h), longMs: r.longMs, shortMs: r.shortMs }));
}

/** Availability bound by hard dependencies: the product of their objectives (percent in, percent out). */
export function compositeAvailability(objectivesPercent: readonly number[]): number {
  return objectivesPercent.reduce((acc, p) => acc * (p / 100), 1) * 100;
}

/** `43m12s`, `51.84s`, `1d2h`, `250ms`: Pace's own duration syntax, at most millisecond precision. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 0) return '-' + formatDuration(-ms);
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  if (rest < 1000) return `${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', MS.d], ['h', MS.h], ['m', MS.m]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${Number((rest / 1000).toFixed(3))}s`);
  return parts.join('');
}

/** `99.9%`, `0.1%`, `0.0139%` — a percentage with up to 4 significant decimals and no binary noise. */
export function formatPercent(ratio: number): string {
  const p = ratio * 100;
  const s = Math.abs(p) >= 1 ? Number(p.toFixed(4)).toString() : Number(p.toPrecision(3)).toString();
  return `${s}%`;
}

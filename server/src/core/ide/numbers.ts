// The numbers an editor shows next to a definition: error budgets, alert thresholds, times to fire,
// SLA downtime and credit tiers. All arithmetic lives in core/targets; this module only gathers the
// inputs from the syntax tree and formats the results.
import type { Block, CreditRule } from '../../../../grammar/src/ast.js';
import type { PaceSymbol, SemanticModel } from '../linking/linker.js';
import { policyRules, type PolicyRule } from '../validation/semantic.js';
import { attributeValue, percentOf, windowOf } from '../validation/values.js';
import {
  budgetRatio,
  errorBudget,
  formatDuration,
  formatPercent,
  MS,
  nominalWindowMs,
  ruleTargets,
  type ErrorBudget,
  type RuleTargets,
  type Window,
} from '../targets/targets.js';

export interface RuleNumbers {
  readonly rule: PolicyRule;
  readonly targets: RuleTargets;
}

export interface SloNumbers {
  readonly objective: number;
  readonly window: Window;
  readonly budget: ErrorBudget;
  /** Undefined for `alerting = none` or an unresolved policy. */
  readonly policy?: { readonly name: string; readonly rules: readonly RuleNumbers[] };
  readonly alerting: 'none' | 'unresolved' | 'policy';
}

/** Whole seconds above a minute (`43m12s`, `40m19s`), else up to milliseconds (`51.84s`). */
export function shortDuration(ms: number): string {
  return formatDuration(ms >= MS.m ? Math.round(ms / 1000) * 1000 : ms);
}

/** `30d`, `month`, `week`, `quarter`. */
export function windowShort(w: Window): string {
  return w.type === 'rolling' ? formatDuration(w.ms) : w.unit;
}

export function windowLong(w: Window): string {
  if (w.type === 'rolling') return `a rolling ${formatDuration(w.ms)}`;
  return `each calendar ${w.unit}${w.timeZone !== 'UTC' ? ` (${w.timeZone})` : ''}`;
}

/** `43m12s` or, for calendar windows, `40m19s–44m38s`. */
export function budgetTime(b: ErrorBudget, exact = false): string {
  const f = exact ? formatDuration : shortDuration;
  if (b.minMs !== undefined && b.maxMs !== undefined && b.minMs !== b.maxMs) return `${f(b.minMs)}–${f(b.maxMs)}`;
  return f(b.ms);
}

export function objectiveAndWindow(block: Block): { objective: number; window: Window } | undefined {
  const objective = percentOf(attributeValue(block, 'objective'));
  const window = windowOf(attributeValue(block, 'window'));
  if (objective === undefined || window === undefined || objective <= 0 || objective >= 100) return undefined;
  return { objective, window };
}

export function sloNumbers(model: SemanticModel, slo: PaceSymbol): SloNumbers | undefined {
  const ow = objectiveAndWindow(slo.block);
  if (!ow) return undefined;
  const { objective, window } = ow;
  const budget = errorBudget(objective, window);
  const policy = policyRules(model, slo, window);
  const alertingRef = attributeValue(slo.block, 'alerting');
  const resolved = alertingRef?.type === 'ref' ? model.byRef.get(alertingRef) : undefined;
  const alerting = policy ? 'policy' : resolved?.builtin === 'none' ? 'none' : 'unresolved';
  return {
    objective,
    window,
    budget,
    alerting,
    policy: policy ? { name: policy.name, rules: policy.rules.map((rule) => ({ rule, targets: ruleTargets(rule, objective, window) })) } : undefined,
  };
}

/** `budget 0.1% = 43m12s per 30d · 4 alert rules (default)`. */
export function sloSummary(n: SloNumbers): string {
  const alerting = n.alerting === 'none' ? 'no alerting' : n.policy ? `${n.policy.rules.length} alert rule${n.policy.rules.length === 1 ? '' : 's'} (${n.policy.name})` : 'alerting policy unresolved';
  return `budget ${formatPercent(n.budget.ratio)} = ${budgetTime(n.budget)} per ${windowShort(n.window)} · ${alerting}`;
}

/** The markdown table of an SLO's alert rules. */
export function rulesTable(rules: readonly RuleNumbers[]): string {
  if (!rules.length) return '';
  const rows = rules.map(({ rule, targets: t }) => {
    const windows = `${formatDuration(rule.longMs)} / ${formatDuration(rule.shortMs)}${rule.forMs ? ` for ${formatDuration(rule.forMs)}` : ''}`;
    const fire = t.neverFires ? 'never (threshold > 100%)' : shortDuration(t.timeToFireMs);
    return `| ${rule.severity} | ${round(rule.factor)}× | ${windows} | ${formatPercent(t.threshold)} | ${formatPercent(t.budgetSpent)} | ${fire} |`;
  });
  return ['| severity | burn rate | windows | error-rate threshold | budget spent | time to fire |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function round(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** Share of a 30-day budget spent before a rule fires: factor × long window / 30d. */
export function budgetSpent30d(factor: number, longMs: number): number {
  return (factor * longMs) / (30 * MS.d);
}

export interface SlaNumbers {
  readonly objective: number;
  readonly window: Window;
  /** Allowed downtime per month (30 days), and its February / 31-day-month bounds. */
  readonly perMonth: ErrorBudget;
  readonly perWindow: ErrorBudget;
  readonly credits: readonly { readonly credit: number; readonly below: number; readonly downtimeMs: number; readonly rule: CreditRule }[];
}

export function slaNumbers(sla: PaceSymbol): SlaNumbers | undefined {
  const ow = objectiveAndWindow(sla.block);
  if (!ow) return undefined;
  const month: Window = { type: 'calendar', unit: 'month', timeZone: 'UTC' };
  const credits = sla.block.members
    .filter((m): m is CreditRule => m.type === 'credit')
    .map((rule) => ({ rule, credit: percentOf(rule.credit), below: percentOf(rule.below) }))
    .filter((c): c is { rule: CreditRule; credit: number; below: number } => c.credit !== undefined && c.below !== undefined)
    .map((c) => ({ ...c, downtimeMs: budgetRatio(c.below) * nominalWindowMs(ow.window) }));
  return { ...ow, perMonth: errorBudget(ow.objective, month), perWindow: errorBudget(ow.objective, ow.window), credits };
}

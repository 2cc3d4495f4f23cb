// The numbers an editor shows next to a definition: error budgets, alert thresholds, times to fire,
// SLA downtime and credit tiers. The arithmetic is the budget math's (core/budget) and the questions
// ("the policy of this SLO") the semantics layer's, both shared with the checker and the model; this
// module gathers their answers and formats them. Units are the model's: ratios and seconds.
import type { Block } from '../../../../grammar/src/ast.js';
import type { PaceSymbol, SemanticModel } from '../linking/linker.js';
import { creditTiers, objectiveSpec, semanticsOf, type CreditTierSpec, type ObjectiveSpec, type PolicyRule } from '../semantics/semantics.js';
import { budgetRatio, errorBudget, formatDuration, formatPercent, nominalWindowSeconds, ruleTargets, SECONDS, type ErrorBudget, type RuleTargets, type Window, ruleWindowsText } from '../budget/budget.js';

export interface RuleNumbers {
  readonly rule: PolicyRule;
  readonly targets: RuleTargets;
}

export interface SloNumbers {
  /** Ratio. */
  readonly objective: number;
  readonly window: Window;
  readonly budget: ErrorBudget;
  /** Undefined for `alerting = none` or an unresolved policy. */
  readonly policy?: { readonly name: string; readonly rules: readonly RuleNumbers[] };
  readonly alerting: 'none' | 'unresolved' | 'policy';
}

/** Whole seconds above a minute (`43m12s`, `40m19s`), else up to milliseconds (`51.84s`). */
export function shortDuration(seconds: number): string {
  return formatDuration(seconds >= SECONDS.m ? Math.round(seconds) : seconds);
}

/** `30d`, `month`, `week`, `quarter`. */
export function windowShort(w: Window): string {
  return w.type === 'rolling' ? formatDuration(w.seconds) : w.unit;
}

export function windowLong(w: Window): string {
  if (w.type === 'rolling') return `a rolling ${formatDuration(w.seconds)}`;
  return `each calendar ${w.unit}${w.timeZone !== 'UTC' ? ` (${w.timeZone})` : ''}`;
}

/** `43m12s` or, for calendar windows, `40m19s–44m38s`. */
export function budgetTime(b: ErrorBudget, exact = false): string {
  const f = exact ? formatDuration : shortDuration;
  if (b.minSeconds !== undefined && b.maxSeconds !== undefined && b.minSeconds !== b.maxSeconds) return `${f(b.minSeconds)}–${f(b.maxSeconds)}`;
  return f(b.seconds);
}

/** A well-formed objective (ratio) and window of an SLO or SLA block. */
export function objectiveAndWindow(block: Block): ObjectiveSpec | undefined {
  return objectiveSpec(block);
}

export function sloNumbers(model: SemanticModel, slo: PaceSymbol): SloNumbers | undefined {
  const sem = semanticsOf(model);
  const spec = sem.spec(slo);
  if (!spec) return undefined;
  const { objective, window } = spec;
  const policy = sem.policyOf(slo);
  const rules = policy.kind === 'default' || policy.kind === 'policy' ? policy.rules : undefined;
  return {
    objective,
    window,
    budget: errorBudget(objective, window),
    alerting: rules ? 'policy' : policy.kind === 'none' ? 'none' : 'unresolved',
    policy: rules && (policy.kind === 'default' || policy.kind === 'policy') ? { name: policy.name, rules: rules.map((rule) => ({ rule, targets: ruleTargets(rule, objective, window) })) } : undefined,
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
    const windows = `${ruleWindowsText(rule, ' / ')}${rule.forSeconds ? ` for ${formatDuration(rule.forSeconds)}` : ''}`;
    const fire = t.timeToFireSeconds === null ? 'never (threshold ≥ 100%)' : shortDuration(t.timeToFireSeconds);
    return `| ${rule.severity} | ${round(rule.factor)}× | ${windows} | ${formatPercent(t.threshold)} | ${formatPercent(t.budgetSpent)} | ${fire} |`;
  });
  return ['| severity | burn rate | windows | error-rate threshold | budget spent | time to fire |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function round(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** Share of a 30-day budget spent before a rule fires: factor × long window / 30d. */
export function budgetSpent30d(factor: number, longWindowSeconds: number): number {
  return (factor * longWindowSeconds) / (30 * SECONDS.d);
}

export interface SlaNumbers {
  /** Ratio. */
  readonly objective: number;
  readonly window: Window;
  /** Allowed downtime per month (30 days), and its February / 31-day-month bounds. */
  readonly perMonth: ErrorBudget;
  readonly perWindow: ErrorBudget;
  readonly credits: readonly (CreditTierSpec & { readonly downtimeSeconds: number })[];
}

export function slaNumbers(sla: PaceSymbol): SlaNumbers | undefined {
  const spec = objectiveSpec(sla.block);
  if (!spec) return undefined;
  const month: Window = { type: 'calendar', unit: 'month', timeZone: 'UTC' };
  const credits = creditTiers(sla.block).map((c) => ({ ...c, downtimeSeconds: budgetRatio(c.below) * nominalWindowSeconds(spec.window) }));
  return { ...spec, perMonth: errorBudget(spec.objective, month), perWindow: errorBudget(spec.objective, spec.window), credits };
}

// Cross-block checks that need linking: objectives, alert policies against the SLOs that use them,
// SLAs against their SLOs, credit tiers, dependency bounds and KPI units.
import type { AlertRule, Block, CallValue, CreditRule, Value } from '../../../../grammar/src/ast.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PaceSymbol, Reference, SemanticModel } from '../linking/linker.js';
import { budgetRatio, compositeAvailability, defaultPolicy, formatDuration, formatPercent, nominalWindowMs, ruleTargets, windowLabel, type RuleInput, type Window } from '../targets/targets.js';
import { attribute, attributeValue, durationOf, percentOf, windowOf } from './values.js';

export function checkSemantics(model: SemanticModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of model.symbols) {
    if (s.kind === 'slo' || s.kind === 'sla') checkObjectiveRange(s, out);
    if (s.kind === 'slo') checkSloAlerting(model, s, out);
    if (s.kind === 'sla') checkSla(model, s, out);
    if (s.kind === 'alerting' && !s.block.members.some((m) => m.type === 'alert-rule')) {
      out.push(diagnostic('check/empty-policy', s.uri, s.nameRange, `Alerting policy '${s.name}' has no rules: SLOs that use it never alert.`));
    }
    if (s.kind === 'kpi') checkKpi(s, out);
  }
  checkDependencyObjectives(model, out);
  return out;
}

function checkObjectiveRange(s: PaceSymbol, out: Diagnostic[]): void {
  const v = attributeValue(s.block, 'objective');
  const p = percentOf(v);
  if (p !== undefined && (p <= 0 || p >= 100)) {
    out.push(diagnostic('check/objective-out-of-range', s.uri, v!.range, `An objective must be strictly between 0% and 100%, found ${p}%.`));
  }
}

export interface PolicyRule extends RuleInput {
  readonly node?: AlertRule;
  readonly uri?: string;
}

/** The rules an SLO is alerted by: its policy's, or the default policy scaled to its window. */
export function policyRules(model: SemanticModel, slo: PaceSymbol, window: Window): { name: string; rules: PolicyRule[] } | undefined {
  const ref = attributeValue(slo.block, 'alerting');
  const r = ref?.type === 'ref' ? model.byRef.get(ref) : undefined;
  if (!ref || r?.builtin === 'default') return { name: 'default', rules: defaultPolicy(window) };
  if (r?.builtin === 'none') return undefined;
  const target = r?.target;
  if (!target) return undefined;
  return { name: target.name, rules: alertRules(target.block, target.uri) };
}

export function alertRules(block: Block, uri: string): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const m of block.members) {
    if (m.type !== 'alert-rule') continue;
    const factor = m.factor?.type === 'number' && m.factor.unit === 'none' ? m.factor.value : undefined;
    const longMs = durationOf(m.longWindow);
    const shortMs = durationOf(m.shortWindow);
    if (factor === undefined || longMs === undefined || shortMs === undefined) continue;
    rules.push({ severity: m.severity.text, factor, longMs, shortMs, forMs: durationOf(m.forDuration), node: m, uri });
  }
  return rules;
}

function checkSloAlerting(model: SemanticModel, slo: PaceSymbol, out: Diagnostic[]): void {
  const objective = percentOf(attributeValue(slo.block, 'objective'));
  const window = windowOf(attributeValue(slo.block, 'window'));
  if (objective === undefined || window === undefined || objective <= 0 || objective >= 100) return;
  const policy = policyRules(model, slo, window);
  if (!policy) return;
  const alertingAttr = attribute(slo.block, 'alerting');
  const at = alertingAttr?.value?.range ?? attribute(slo.block, 'objective')!.value!.range;
  const budget = budgetRatio(objective);
  for (const rule of policy.rules) {
    const t = ruleTargets(rule, objective, window);
    const related = rule.node && rule.uri ? [{ uri: rule.uri, range: rule.node.range, message: `Rule '${rule.severity} when burn_rate > ${rule.factor} over ${formatDuration(rule.longMs)}'.` }] : [];
    if (t.neverFires) {
      out.push(
        diagnostic(
          'check/alert-never-fires',
          slo.uri,
          at,
          `With objective ${objective}% the error budget is ${formatPercent(budget)}, so the ${rule.severity} rule with factor ${rule.factor} of policy '${policy.name}' needs an error ratio of ${formatPercent(t.threshold)}: it can never fire.${alertingAttr ? '' : " (No 'alerting' is set, so the default policy applies: choose a policy that fits, or 'alerting = none'.)"}`,
          { related },
        ),
      );
    }
    const wMs = nominalWindowMs(window);
    if (rule.longMs > wMs) {
      out.push(
        diagnostic('check/alert-window-too-long', slo.uri, at, `The ${rule.severity} rule of policy '${policy.name}' looks back ${formatDuration(rule.longMs)}, longer than this SLO's window (${windowLabel(window)}).`, { related }),
      );
    }
  }
}

function creditTiers(block: Block): CreditRule[] {
  return block.members.filter((m): m is CreditRule => m.type === 'credit');
}

function checkSla(model: SemanticModel, sla: PaceSymbol, out: Diagnostic[]): void {
  const objV = attributeValue(sla.block, 'objective');
  const objective = percentOf(objV);
  const sloRef = attributeValue(sla.block, 'slo');
  const slo = sloRef?.type === 'ref' ? model.byRef.get(sloRef)?.target : undefined;
  const slaWindow = windowOf(attributeValue(sla.block, 'window'));
  const sloWindow = slo ? windowOf(attributeValue(slo.block, 'window')) : undefined;
  if (slo && slaWindow && sloWindow && nominalWindowMs(slaWindow) < nominalWindowMs(sloWindow)) {
    out.push(
      diagnostic('check/sla-not-looser', sla.uri, attributeValue(sla.block, 'window')!.range, `SLA '${sla.name}' is measured over ${windowLabel(slaWindow)}, shorter than the window of SLO '${slo.name}' (${windowLabel(sloWindow)}): a short incident weighs more in the contract than in the SLO.`, {
        related: [{ uri: slo.uri, range: attribute(slo.block, 'window')!.value!.range, message: `SLO '${slo.name}' window.` }],
      }),
    );
  }
  if (slo && objective !== undefined) {
    const sloObjective = percentOf(attributeValue(slo.block, 'objective'));
    if (sloObjective !== undefined && objective >= sloObjective) {
      out.push(
        diagnostic('check/sla-not-looser', sla.uri, objV!.range, `SLA '${sla.name}' promises ${objective}%, not looser than SLO '${slo.name}' (${sloObjective}%): the contract would be breached before the team is alerted.`, {
          related: [{ uri: slo.uri, range: attribute(slo.block, 'objective')!.value!.range, message: `SLO '${slo.name}' objective.` }],
        }),
      );
    }
  }
  // Tiers: thresholds strictly decreasing, credits strictly increasing, none above the objective.
  const tiers = creditTiers(sla.block)
    .map((c) => ({ c, credit: percentOf(c.credit), below: percentOf(c.below) }))
    .filter((t): t is { c: CreditRule; credit: number; below: number } => t.credit !== undefined && t.below !== undefined);
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i];
    if (objective !== undefined && t.below > objective) {
      out.push(diagnostic('check/credit-order', sla.uri, t.c.below!.range, `Credit threshold ${t.below}% is above the SLA objective (${objective}%): credit would be owed while the SLA is met.`));
    }
    if (i === 0) continue;
    const p = tiers[i - 1];
    if (t.below >= p.below || t.credit <= p.credit) {
      out.push(
        diagnostic('check/credit-order', sla.uri, t.c.range, `Credit tiers must go from the highest threshold to the lowest, each with a larger credit: ${p.credit}% below ${p.below}% is followed by ${t.credit}% below ${t.below}%.`, {
          related: [{ uri: sla.uri, range: p.c.range, message: 'Previous tier.' }],
        }),
      );
    }
  }
}

/** The unit a KPI measure yields: a ratio, a duration in seconds, or a plain number. */
export function measureUnit(v: Value | undefined): 'percent' | 'duration' | 'none' | undefined {
  if (v?.type !== 'call') return undefined;
  const call = v as CallValue;
  if (call.fn.text === 'ratio') return 'percent';
  const arg = call.args[0];
  const metric = arg?.type === 'selector' ? arg.metric?.text : arg?.type === 'ref' ? arg.parts[0]?.text : undefined;
  if (!metric) return undefined;
  if (/_seconds(_total|_sum|_count)?$/.test(metric)) return 'duration';
  if (/_ratio$/.test(metric)) return 'percent';
  return 'none';
}

function checkKpi(kpi: PaceSymbol, out: Diagnostic[]): void {
  const unit = measureUnit(attributeValue(kpi.block, 'measure'));
  const target = attributeValue(kpi.block, 'target');
  const tv = target?.type === 'comparison' ? target.value : undefined;
  if (!unit || tv?.type !== 'number' || tv.unit === unit) return;
  const wanted = unit === 'percent' ? 'a percentage (the measure is a ratio)' : unit === 'duration' ? 'a duration (the measure is in seconds)' : 'a plain number (the measure is a count)';
  let fix: string | undefined;
  if (unit === 'percent' && tv.unit === 'none' && tv.value > 0 && tv.value < 1) fix = `${Number((tv.value * 100).toPrecision(10))}%`;
  if (unit === 'duration' && tv.unit === 'none') fix = formatDuration(tv.value * 1000);
  out.push(
    diagnostic('check/kpi-target-unit', kpi.uri, tv.range, `KPI '${kpi.name}' compares its measure with ${tv.raw}, but the target must be ${wanted}.${fix ? ` Did you mean ${fix}?` : ''}`, {
      fixes: fix ? [{ title: `Change to ${fix}`, edits: [{ uri: kpi.uri, range: tv.range, newText: fix }], preferred: true }] : undefined,
    }),
  );
}

/** A service's availability objective: the highest objective among its SLOs on ratio SLIs. */
export function availabilitySlo(model: SemanticModel, service: PaceSymbol): { slo: PaceSymbol; objective: number } | undefined {
  let best: { slo: PaceSymbol; objective: number } | undefined;
  for (const slo of model.membersOf(service, 'slo')) {
    const sliRef = attributeValue(slo.block, 'sli');
    const sli = sliRef?.type === 'ref' ? model.byRef.get(sliRef)?.target : undefined;
    if (sli?.sliKind !== 'ratio') continue;
    const objective = percentOf(attributeValue(slo.block, 'objective'));
    if (objective === undefined || objective <= 0 || objective >= 100) continue;
    if (!best || objective > best.objective) best = { slo, objective };
  }
  return best;
}

function checkDependencyObjectives(model: SemanticModel, out: Diagnostic[]): void {
  // One pass over the references and one availability lookup per service: this runs on every edit.
  const hardDeps = new Map<PaceSymbol, Reference[]>();
  for (const r of model.references) {
    if (r.attribute !== 'depends_on' || !r.target || !r.from) continue;
    const list = hardDeps.get(r.from);
    if (list) list.push(r);
    else hardDeps.set(r.from, [r]);
  }
  const availability = new Map<PaceSymbol, ReturnType<typeof availabilitySlo>>();
  const availabilityOf = (s: PaceSymbol) => {
    if (!availability.has(s)) availability.set(s, availabilitySlo(model, s));
    return availability.get(s);
  };
  for (const [service, deps] of hardDeps) {
    const own = availabilityOf(service);
    if (!own) continue;
    const bounds: { name: string; objective: number }[] = [];
    for (const d of deps) {
      const a = availabilityOf(d.target!);
      if (a && !bounds.some((b) => b.name === d.target!.name)) bounds.push({ name: d.target!.name, objective: a.objective });
    }
    if (!bounds.length) continue;
    const composite = compositeAvailability(bounds.map((b) => b.objective));
    if (own.objective > composite + 1e-9) {
      const v = attribute(own.slo.block, 'objective')!.value!;
      out.push(
        diagnostic(
          'check/dependency-objective',
          own.slo.uri,
          v.range,
          `Service '${service.name}' aims at ${own.objective}% availability, but its hard dependencies allow at most ${Number(composite.toFixed(4))}% (${bounds.map((b) => `${b.name} ${b.objective}%`).join(' × ')}).`,
          { related: deps.map((d) => ({ uri: d.uri, range: d.ref.range, message: `Depends on '${d.target!.name}'.` })) },
        ),
      );
    }
  }
}

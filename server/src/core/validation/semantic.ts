// Cross-block checks that need linking: objectives, alert policies against the SLOs that use them,
// SLAs against their SLOs, credit tiers, dependency bounds and KPI units. Questions about the project
// ("the SLO of this SLA", "the policy of this SLO") are asked of the semantics layer; numbers come
// from the budget math. Both are shared with the normalizer and the editor.
import type { CallValue, Value } from '../../../../grammar/src/ast.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PaceSymbol, Reference, SemanticModel } from '../linking/linker.js';
import { budgetRatio, clean, compositeAvailability, DEFAULT_POLICY_MIN_WINDOW, formatDuration, formatPercent, nominalWindowSeconds, periodLengths, ruleTargets, slaCoverage, windowLabel } from '../budget/budget.js';
import { creditTiers, semanticsOf, type Semantics } from '../semantics/semantics.js';
import { attribute, attributeValue, percentOf } from '../semantics/values.js';

export function checkSemantics(model: SemanticModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sem = semanticsOf(model);
  for (const s of model.symbols) {
    if (s.kind === 'slo' || s.kind === 'sla') checkObjectiveRange(s, out);
    if (s.kind === 'slo') checkSloAlerting(sem, s, out);
    if (s.kind === 'sla') checkSla(sem, s, out);
    if (s.kind === 'alerting' && !s.block.members.some((m) => m.type === 'alert-rule')) {
      out.push(diagnostic('check/empty-policy', s.uri, s.nameRange, `Alerting policy '${s.name}' has no rules: SLOs that use it never alert.`));
    }
    if (s.kind === 'kpi') checkKpi(s, out);
  }
  checkDependencyObjectives(sem, out);
  return out;
}

function checkObjectiveRange(s: PaceSymbol, out: Diagnostic[]): void {
  const v = attributeValue(s.block, 'objective');
  const p = percentOf(v);
  if (p !== undefined && (p <= 0 || p >= 100)) {
    out.push(diagnostic('check/objective-out-of-range', s.uri, v!.range, `An objective must be strictly between 0% and 100%, found ${p}%.`));
  }
}

function checkSloAlerting(sem: Semantics, slo: PaceSymbol, out: Diagnostic[]): void {
  const spec = sem.spec(slo);
  if (!spec) return;
  const policy = sem.policyOf(slo);
  if (policy.kind === 'none' || policy.kind === 'unresolved') return;
  const alertingValue = attribute(slo.block, 'alerting')?.value;
  const windowValue = attribute(slo.block, 'window')!.value!;
  const implicit = policy.kind === 'default' && !policy.explicit;
  const defaultNote = implicit ? " (No 'alerting' is set, so the default policy applies: choose a policy that fits, or 'alerting = none'.)" : '';
  if (policy.kind === 'default' && policy.mode === 'unavailable') {
    out.push(
      diagnostic(
        'check/default-alerting-unavailable',
        slo.uri,
        (alertingValue ?? windowValue).range,
        `The default alerting policy needs an SLO window of at least ${formatDuration(DEFAULT_POLICY_MIN_WINDOW)}; with a ${windowLabel(spec.window)} window, SLO '${slo.name}' gets no alerts.${implicit ? " No 'alerting' is set: choose a policy, or 'alerting = none'." : ''}`,
      ),
    );
    return;
  }
  const at = alertingValue?.range ?? windowValue.range;
  const budget = budgetRatio(spec.objective);
  const windowSeconds = nominalWindowSeconds(spec.window);
  for (const rule of policy.rules) {
    // This runs for every rule of every SLO on every edit: the cheap tests first, messages only when needed.
    const neverFires = clean(rule.factor * budget) >= 1;
    const tooLong = rule.longWindowSeconds > windowSeconds;
    if (!neverFires && !tooLong) continue;
    const t = ruleTargets(rule, spec.objective, spec.window);
    const related = rule.node && rule.uri ? [{ uri: rule.uri, range: rule.node.range, message: `Rule '${rule.severity} when burn_rate > ${rule.factor} over ${formatDuration(rule.longWindowSeconds)}'.` }] : [];
    if (t.neverFires) {
      out.push(
        diagnostic(
          'check/alert-never-fires',
          slo.uri,
          at,
          `With objective ${formatPercent(spec.objective)} the error budget is ${formatPercent(budget)}, so the ${rule.severity} rule with factor ${rule.factor} of policy '${policy.name}' needs an error ratio above ${formatPercent(t.threshold)}: it can never fire.${defaultNote}`,
          { related },
        ),
      );
    }
    if (tooLong) {
      out.push(
        diagnostic('check/alert-window-too-long', slo.uri, at, `The ${rule.severity} rule of policy '${policy.name}' looks back ${formatDuration(rule.longWindowSeconds)}, longer than this SLO's window (${windowLabel(spec.window)}).${defaultNote}`, { related }),
      );
    }
  }
}

function checkSla(sem: Semantics, sla: PaceSymbol, out: Diagnostic[]): void {
  const objV = attributeValue(sla.block, 'objective');
  const spec = sem.spec(sla);
  // Not breached while an SLO holds: compare allowed bad time over the SLA's periods (see slaCoverage).
  // An SLA written `sli = …` is compared with every SLO on that SLI; one that guarantees it suffices.
  const slos = sem.slosOfSla(sla).map((slo) => ({ slo, spec: sem.spec(slo) })).filter((x): x is { slo: PaceSymbol; spec: NonNullable<typeof x.spec> } => !!x.spec);
  if (spec && slos.length) {
    const checks = slos.map((x) => ({ ...x, c: slaCoverage(x.spec, spec) }));
    if (!checks.some((x) => x.c.guaranteed)) {
      // Report against the SLO that comes closest.
      const best = checks.reduce((a, b) => (b.c.slaAllowsSeconds - b.c.sloAllowsSeconds > a.c.slaAllowsSeconds - a.c.sloAllowsSeconds ? b : a));
      const { slo, c } = best;
      const lengths = periodLengths(spec.window);
      const period = spec.window.type === 'rolling' ? windowLabel(spec.window) : lengths.length > 1 ? `a ${formatDuration(c.periodSeconds)} ${spec.window.unit}` : `a calendar ${spec.window.unit}`;
      const via = sem.sloOf(sla) ? '' : ` on its SLI '${sem.sliOf(sla)?.name}'`;
      out.push(
        diagnostic(
          'check/sla-not-looser',
          sla.uri,
          objV!.range,
          `SLA '${sla.name}' (${formatPercent(spec.objective)} over ${windowLabel(spec.window)}) allows ${formatDuration(c.slaAllowsSeconds)} of bad time in ${period}, but while SLO '${slo.name}'${via} (${formatPercent(best.spec.objective)} over ${windowLabel(best.spec.window)}) holds, that span can hold up to ${formatDuration(c.sloAllowsSeconds)}: the contract can be breached before the SLO is.`,
          {
            related: [
              { uri: slo.uri, range: attribute(slo.block, 'objective')!.value!.range, message: `SLO '${slo.name}' objective.` },
              { uri: slo.uri, range: attribute(slo.block, 'window')!.value!.range, message: `SLO '${slo.name}' window.` },
            ],
          },
        ),
      );
    }
  }
  // Tiers: thresholds strictly decreasing, credits strictly increasing, none above the objective.
  const tiers = creditTiers(sla.block);
  const objective = percentOf(objV);
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i];
    if (objective !== undefined && t.below * 100 > objective + 1e-9) {
      out.push(diagnostic('check/credit-order', sla.uri, t.node.below!.range, `Credit threshold ${formatPercent(t.below)} is above the SLA objective (${objective}%): credit would be owed while the SLA is met.`));
    }
    if (i === 0) continue;
    const p = tiers[i - 1];
    if (t.below >= p.below || t.credit <= p.credit) {
      out.push(
        diagnostic('check/credit-order', sla.uri, t.node.range, `Credit tiers must go from the highest threshold to the lowest, each with a larger credit: ${formatPercent(p.credit)} below ${formatPercent(p.below)} is followed by ${formatPercent(t.credit)} below ${formatPercent(t.below)}.`, {
          related: [{ uri: sla.uri, range: p.node.range, message: 'Previous tier.' }],
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
  if (unit === 'duration' && tv.unit === 'none') fix = formatDuration(tv.value);
  out.push(
    diagnostic('check/kpi-target-unit', kpi.uri, tv.range, `KPI '${kpi.name}' compares its measure with ${tv.raw}, but the target must be ${wanted}.${fix ? ` Did you mean ${fix}?` : ''}`, {
      fixes: fix ? [{ title: `Change to ${fix}`, edits: [{ uri: kpi.uri, range: tv.range, newText: fix }], preferred: true }] : undefined,
    }),
  );
}

function checkDependencyObjectives(sem: Semantics, out: Diagnostic[]): void {
  // One pass over the references: this runs on every edit.
  const hardDeps = new Map<PaceSymbol, Reference[]>();
  for (const r of sem.model.references) {
    if (r.attribute !== 'depends_on' || !r.target || !r.from) continue;
    const list = hardDeps.get(r.from);
    if (list) list.push(r);
    else hardDeps.set(r.from, [r]);
  }
  for (const [service, deps] of hardDeps) {
    const own = sem.availabilitySlo(service);
    if (!own) continue;
    const bounds: { name: string; objective: number }[] = [];
    for (const d of deps) {
      const a = sem.availabilitySlo(d.target!);
      if (a && !bounds.some((b) => b.name === d.target!.name)) bounds.push({ name: d.target!.name, objective: a.objective });
    }
    if (!bounds.length) continue;
    const composite = compositeAvailability(bounds.map((b) => b.objective));
    if (own.objective > composite + 1e-11) {
      const v = attribute(own.slo.block, 'objective')!.value!;
      out.push(
        diagnostic(
          'check/dependency-objective',
          own.slo.uri,
          v.range,
          `Service '${service.name}' aims at ${formatPercent(own.objective)} availability, but its hard dependencies allow at most ${formatPercent(composite)} (${bounds.map((b) => `${b.name} ${formatPercent(b.objective)}`).join(' × ')}).`,
          { related: deps.map((d) => ({ uri: d.uri, range: d.ref.range, message: `Depends on '${d.target!.name}'.` })) },
        ),
      );
    }
  }
}


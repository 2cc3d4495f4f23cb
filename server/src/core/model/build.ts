// The model builder: declarations in, a complete normalized model out. It fills in what follows from
// the declarations (error budgets, each rule's threshold, budget spent and time to fire, the default
// policy, the availability SLO), sorts by id and drops undefined fields. The normalizer calls it with
// what it read from .pace files; importers (OpenSLO, Sloth) call it with what they read from YAML, so
// every model has the same derived numbers whatever its source.
import { defaultPolicy, defaultPolicyMode, errorBudget, ruleTargets, type RuleSpec } from '../budget/budget.js';
import type { AlertingPolicy, Kpi, NormalizedModel, Objective, PolicyRule, Service, Sla, Sli, Slo, SloAlerting, SloRule, Window } from './model.js';

export type SloDecl = Omit<Slo, 'errorBudget' | 'alerting'> & {
  /** `default`, a policy's id with its rules, or null for `alerting = none`. */
  alerting: { policy: 'default' } | { policy: string; rules: readonly RuleSpec[] } | null;
};
export type ServiceDecl = Omit<Service, 'slos' | 'availabilitySlo'> & { slos: SloDecl[] };
export interface ModelDecl {
  project?: string;
  labels: Record<string, string>;
  services: ServiceDecl[];
  alertingPolicies: AlertingPolicy[];
  objectives: Objective[];
}

export function sloRules(rules: readonly RuleSpec[], objective: number, window: Window): SloRule[] {
  return rules.map((r) => {
    const t = ruleTargets(r, objective, window);
    return compact({
      severity: r.severity,
      factor: r.factor,
      longWindowSeconds: r.longWindowSeconds,
      shortWindowSeconds: r.shortWindowSeconds,
      forSeconds: r.forSeconds,
      threshold: t.threshold,
      budgetSpent: t.budgetSpent,
      timeToFireSeconds: t.timeToFireSeconds,
      neverFires: t.neverFires,
    });
  });
}

export function buildSlo(d: SloDecl): Slo {
  let alerting: SloAlerting | null = null;
  if (d.alerting?.policy === 'default') alerting = { policy: 'default', defaultMode: defaultPolicyMode(d.window), rules: sloRules(defaultPolicy(d.window), d.objective, d.window) };
  else if (d.alerting && 'rules' in d.alerting) alerting = { policy: d.alerting.policy, rules: sloRules(d.alerting.rules, d.objective, d.window) };
  const b = errorBudget(d.objective, d.window);
  return compact({ ...d, labels: sortKeys(d.labels), errorBudget: compact({ ratio: b.ratio, seconds: b.seconds, minSeconds: b.minSeconds, maxSeconds: b.maxSeconds }), alerting });
}

/** A service's availability SLO: the highest objective among its SLOs on ratio SLIs (first by id on a tie). */
export function availabilitySloOf(service: { slis: readonly Sli[]; slos: readonly Pick<Slo, 'id' | 'sli' | 'objective'>[] }): string | undefined {
  const ratio = new Set(service.slis.filter((s) => s.kind === 'ratio').map((s) => s.id));
  let best: { id: string; objective: number } | undefined;
  for (const slo of [...service.slos].sort(byId)) if (ratio.has(slo.sli) && (!best || slo.objective > best.objective)) best = slo;
  return best?.id;
}

export function buildService(d: ServiceDecl): Service {
  const slos = d.slos.map(buildSlo).sort(byId);
  const slis = [...d.slis].sort(byId);
  return compact({
    ...d,
    labels: sortKeys(d.labels),
    dependsOn: unique(d.dependsOn),
    softDependsOn: unique(d.softDependsOn),
    availabilitySlo: availabilitySloOf({ slis, slos }),
    slis,
    slos,
    slas: [...d.slas].sort(byId).map((s: Sla) => compact({ ...s })),
  });
}

export function buildModel(d: ModelDecl): NormalizedModel {
  return compact({
    version: 1 as const,
    project: d.project,
    labels: sortKeys(d.labels),
    services: d.services.map(buildService).sort(byId),
    alertingPolicies: [...d.alertingPolicies].sort(byId).map((p) => compact({ ...p, labels: sortKeys(p.labels), rules: p.rules.map((r: PolicyRule) => compact({ ...r })) })),
    objectives: [...d.objectives].sort(byId).map((o) => compact({ ...o, labels: sortKeys(o.labels), supportedBy: unique(o.supportedBy), kpis: [...o.kpis].sort(byId).map((k: Kpi) => compact({ ...k })) })),
  });
}

export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortKeys(o: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Drops the fields whose value is undefined, so that JSON and deep equality agree. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

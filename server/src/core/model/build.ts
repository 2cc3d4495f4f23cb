// The model builder: declarations in, a complete normalized model out. It fills in what follows from
// the declarations (error budgets, each rule's threshold, budget spent and time to fire, the default
// policy, the availability SLO), sorts by id and drops undefined fields. The normalizer calls it with
// what it read from .pace files; importers (OpenSLO, Sloth) call it with what they read from YAML, so
// every model has the same derived numbers whatever its source.
import { defaultPolicy, defaultPolicyMode, errorBudget, ruleTargets, type RuleSpec } from '../budget/budget.js';
import type { AlertingPolicy, AlertMeta, Kpi, NormalizedModel, Objective, PolicyRule, Service, Sla, Sli, Slo, SloAlerting, SloRule, Window } from './model.js';

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
    // Field by field in the schema's order, the optional ones only when set (as compact() would leave them).
    const rule = { severity: r.severity, factor: r.factor, longWindowSeconds: r.longWindowSeconds, shortWindowSeconds: r.shortWindowSeconds } as Mutable<SloRule>;
    if (r.singleWindow !== undefined) rule.singleWindow = r.singleWindow;
    if (r.forSeconds !== undefined) rule.forSeconds = r.forSeconds;
    rule.threshold = t.threshold;
    rule.budgetSpent = t.budgetSpent;
    rule.timeToFireSeconds = t.timeToFireSeconds;
    rule.neverFires = t.neverFires;
    return rule;
  });
}

export type PolicyMeta = Pick<AlertingPolicy, 'labels' | 'annotations' | 'page' | 'ticket'>;

const NO_META: PolicyMeta = { labels: {}, annotations: {} };

/** `<Service><Slo>ErrorBudgetBurn`: the alert name of an SLO without `alert_name`. */
export function defaultAlertName(service: string, slo: string): string {
  const pascal = (s: string) => s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return `${pascal(service)}${pascal(slo)}ErrorBudgetBurn`;
}

/**
 * What the alerts of one severity carry beyond the SLO's own labels, later entries winning: the
 * policy's labels, its severity block's, the SLO's severity block's (as Sloth lays alerting.labels
 * over the SLO's labels and page_alert.labels over those). Annotations likewise, the SLO's
 * `annotations` before its severity block's.
 */
export function alertMetaOf(policy: PolicyMeta, slo: Pick<Slo, 'annotations' | 'page' | 'ticket'>, severity: 'page' | 'ticket'): AlertMeta {
  return {
    labels: sortKeys({ ...policy.labels, ...(policy[severity]?.labels ?? {}), ...(slo[severity]?.labels ?? {}) }),
    annotations: sortKeys({ ...policy.annotations, ...(policy[severity]?.annotations ?? {}), ...(slo.annotations ?? {}), ...(slo[severity]?.annotations ?? {}) }),
  };
}

/** An SLO with its budget and rules; its alerts' labels and annotations come from `policies` (by id). */
export function buildSlo(decl: SloDecl, policies: ReadonlyMap<string, PolicyMeta> = new Map()): Slo {
  const meta = (decl.alerting && decl.alerting.policy !== 'default' ? policies.get(decl.alerting.policy) : undefined) ?? NO_META;
  const service = decl.service.startsWith('service:') ? decl.service.slice(8) : decl.service;
  const common = () => ({ name: decl.alertName ?? defaultAlertName(service, decl.name), page: alertMetaOf(meta, decl, 'page'), ticket: alertMetaOf(meta, decl, 'ticket') });
  let alerting: SloAlerting | null = null;
  if (decl.alerting?.policy === 'default') alerting = { policy: 'default', defaultMode: defaultPolicyMode(decl.window), ...common(), rules: sloRules(defaultPolicy(decl.window), decl.objective, decl.window) };
  else if (decl.alerting && 'rules' in decl.alerting) alerting = { policy: decl.alerting.policy, ...common(), rules: sloRules(decl.alerting.rules, decl.objective, decl.window) };
  const b = errorBudget(decl.objective, decl.window);
  // The same object, keys in the same order, as compact({ ...decl, labels, annotations, page, ticket,
  // errorBudget, alerting }), without building it twice (this runs for every SLO of every model): the
  // fields the declaration has are replaced in place, the others added in that order.
  const slo = { ...decl } as Mutable<Slo>;
  slo.labels = sortKeys(decl.labels);
  if (slo.annotations) slo.annotations = sortKeys(slo.annotations);
  if (slo.page) slo.page = sortMeta(slo.page);
  if (slo.ticket) slo.ticket = sortMeta(slo.ticket);
  slo.errorBudget = compact({ ratio: b.ratio, seconds: b.seconds, minSeconds: b.minSeconds, maxSeconds: b.maxSeconds });
  slo.alerting = alerting;
  return compact(slo);
}

/** A type's fields, writable: for building a model object field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sortMeta(m: AlertMeta): AlertMeta {
  return { labels: sortKeys(m.labels), annotations: sortKeys(m.annotations) };
}

/** A service's availability SLO: the highest objective among its SLOs on ratio SLIs (first by id on a tie). */
export function availabilitySloOf(service: { slis: readonly Sli[]; slos: readonly Pick<Slo, 'id' | 'sli' | 'objective'>[] }): string | undefined {
  const ratio = new Set(service.slis.filter((s) => s.kind === 'ratio').map((s) => s.id));
  let best: { id: string; objective: number } | undefined;
  for (const slo of [...service.slos].sort(byId)) if (ratio.has(slo.sli) && (!best || slo.objective > best.objective)) best = slo;
  return best?.id;
}

export function buildService(d: ServiceDecl, policies: ReadonlyMap<string, PolicyMeta> = new Map()): Service {
  const slos = d.slos.map((s) => buildSlo(s, policies)).sort(byId);
  const slis = [...d.slis].sort(byId);
  // As in buildSlo: compact({ ...d, labels, dependsOn, softDependsOn, availabilitySlo, slis, slos, slas }).
  const service = { ...d } as unknown as Mutable<Service>;
  service.labels = sortKeys(d.labels);
  service.dependsOn = unique(d.dependsOn);
  service.softDependsOn = unique(d.softDependsOn);
  const availability = availabilitySloOf({ slis, slos });
  if (availability !== undefined || 'availabilitySlo' in service) service.availabilitySlo = availability;
  service.slis = slis;
  service.slos = slos;
  service.slas = [...d.slas].sort(byId).map((s: Sla) => compact({ ...s }));
  return compact(service);
}

export function buildModel(d: ModelDecl): NormalizedModel {
  const policies = new Map(d.alertingPolicies.map((p) => [p.id, p]));
  return compact({
    version: 1 as const,
    project: d.project,
    labels: sortKeys(d.labels),
    services: d.services.map((s) => buildService(s, policies)).sort(byId),
    alertingPolicies: [...d.alertingPolicies].sort(byId).map((p) => compact({ ...p, labels: sortKeys(p.labels), annotations: sortKeys(p.annotations), page: p.page && sortMeta(p.page), ticket: p.ticket && sortMeta(p.ticket), rules: p.rules.map((r: PolicyRule) => compact({ ...r })) })),
    objectives: [...d.objectives].sort(byId).map((o) => compact({ ...o, labels: sortKeys(o.labels), supportedBy: unique(o.supportedBy), kpis: [...o.kpis].sort(byId).map((k: Kpi) => compact({ ...k })) })),
  });
}

export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The entries in key order; the same object when they already are (most label sets: normalize sorted them). Treat the result as read-only. */
export function sortKeys(o: Readonly<Record<string, string>>): Record<string, string> {
  const keys = Object.keys(o);
  let i = 1;
  while (i < keys.length && keys[i - 1] < keys[i]) i++;
  if (i >= keys.length) return o as Record<string, string>;
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/**
 * Drops the fields whose value is undefined, so that JSON and deep equality agree. A copy, not
 * `delete`: deleting a property turns a V8 object into a slow dictionary, and every stage after
 * the model reads these objects.
 */
export function compact<T extends object>(o: T): T {
  const keys = Object.keys(o) as (keyof T)[];
  let i = 0;
  while (i < keys.length && o[keys[i]] !== undefined) i++;
  if (i === keys.length) return o;
  const out = {} as T;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

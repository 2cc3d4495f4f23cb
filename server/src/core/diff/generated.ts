// What a change does to the generated output: the prometheus target's plan (planSlo, the same the
// rule files are written from) of both models, rule by rule. A recording rule is known by its group,
// its record name and its `pace_window`; an alert by its group, its name, its severity and its windows
// (`pace_long_window`/`pace_short_window`, as Prometheus tells the series apart). Each one appears,
// vanishes or changes (which of its expression, `for`, labels and annotations).
import { nominalWindowSeconds } from '../budget/budget.js';
import { promqlNumber } from '../model/error-ratio.js';
import type { NormalizedModel } from '../model/model.js';
import { deepEqual } from './equal.js';
import { planSlo, RECORDS, sliErrorRecord, type PrometheusOptions, type SloPlan } from '../generate/prometheus.js';
import { promDuration } from '../generate/output.js';

export type GeneratedKind = 'appeared' | 'vanished' | 'changed';

export interface GeneratedRule {
  readonly type: 'record' | 'alert';
  /** The rule group: `pace-slo-checkout-availability`. */
  readonly group: string;
  /** The record or alert name. */
  readonly name: string;
  /** The SLO it comes from. */
  readonly slo: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface GeneratedChange {
  readonly kind: GeneratedKind;
  readonly target: 'prometheus';
  readonly type: 'record' | 'alert';
  readonly group: string;
  readonly name: string;
  /** What tells it apart from the group's other rules of that name: `pace_window=5m`, `page 1h/5m`. */
  readonly variant: string;
  /** The SLO (head's, or base's when it vanished). */
  readonly slo: string;
  /** For `changed`: which parts differ. */
  readonly fields?: ('expr' | 'for' | 'labels' | 'annotations')[];
  readonly before?: GeneratedRule;
  readonly after?: GeneratedRule;
}

interface Keyed {
  readonly key: string;
  /** Its place in the rule file. */
  readonly seq: number;
  readonly variant: string;
  readonly rule: GeneratedRule;
}

/** Every rule the prometheus target writes for a model, keyed. Mirrors groupYaml's rules one for one. */
export function generatedRules(model: NormalizedModel, only?: (sloId: string) => boolean, options: PrometheusOptions = {}): Map<string, Keyed> {
  const out = new Map<string, Keyed>();
  const add = (k: Omit<Keyed, 'seq'>) => {
    let key = k.key;
    for (let n = 2; out.has(key); n++) key = `${k.key}#${n}`;
    out.set(key, { ...k, key, seq: out.size });
  };
  for (const service of model.services)
    for (const slo of service.slos) {
      if (only && !only(slo.id)) continue;
      const p = planSlo(model, service, slo, options);
      if ('skipped' in p) continue;
      for (const r of planRules(p)) add(r);
    }
  return out;
}

function planRules(p: SloPlan): Omit<Keyed, 'seq'>[] {
  const out: Omit<Keyed, 'seq'>[] = [];
  const record = (name: string, expr: string, labels: Record<string, string>, variant: string) =>
    out.push({ key: `record\0${p.group}\0${name}\0${variant}`, variant, rule: { type: 'record', group: p.group, name, slo: p.slo.id, expr, labels } });
  for (const w of p.windows) record(sliErrorRecord(w), p.errorExpr(w), { ...p.recordLabels, pace_window: promDuration(w) }, `pace_window=${promDuration(w)}`);
  record(RECORDS.objective, `vector(${promqlNumber(p.slo.objective)})`, p.recordLabels, '');
  record(RECORDS.errorBudget, `vector(${promqlNumber(p.slo.errorBudget.ratio)})`, p.recordLabels, '');
  record(RECORDS.timePeriod, `vector(${promqlNumber(nominalWindowSeconds(p.slo.window) / 86_400)})`, p.recordLabels, '');
  record(RECORDS.periodBurnRate, `${sliErrorRecord(p.sloWindowSeconds)}${p.selector} / ${promqlNumber(p.slo.errorBudget.ratio)}`, p.recordLabels, '');
  record(RECORDS.budgetRemaining, `1 - ${RECORDS.periodBurnRate}${p.selector}`, p.recordLabels, '');
  for (const a of p.alerts) {
    const windows = a.rule.singleWindow ? promDuration(a.rule.longWindowSeconds) : `${promDuration(a.rule.longWindowSeconds)}/${promDuration(a.rule.shortWindowSeconds)}`;
    const variant = `${a.rule.severity} ${windows}`;
    out.push({
      key: `alert\0${p.group}\0${a.name}\0${variant}`,
      variant,
      rule: { type: 'alert', group: p.group, name: a.name, slo: p.slo.id, expr: a.expr, ...(a.rule.forSeconds ? { for: promDuration(a.rule.forSeconds) } : {}), labels: a.expandedLabels, annotations: a.expandedAnnotations },
    });
  }
  return out;
}

const SERVICE_CHILDREN = new Set(['slis', 'slos', 'slas']);

const same = (a?: Readonly<Record<string, string>>, b?: Readonly<Record<string, string>>) => {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => b![k] === a![k]);
};

/**
 * The generated rules that appear, vanish or change between two models, in group order. An SLO whose
 * plan cannot differ (the same SLO, SLI, service and project labels on both sides) is not planned.
 */
export function diffGenerated(base: NormalizedModel, head: NormalizedModel, options: { base?: PrometheusOptions; head?: PrometheusOptions } = {}): GeneratedChange[] {
  // An SLO's plan reads the project's labels, its service (not the service's other SLOs), itself and its SLI.
  const baseServices = new Map(base.services.map((s) => [s.id, s]));
  const changedSlos = new Set<string>();
  const projectSame = deepEqual(base.labels, head.labels) && deepEqual(options.base?.labels ?? {}, options.head?.labels ?? {});
  for (const hs of head.services) {
    const bs = baseServices.get(hs.id);
    const serviceSame = projectSame && bs !== undefined && deepEqual(bs, hs, SERVICE_CHILDREN);
    const baseSlos = new Map(bs?.slos.map((o) => [o.id, o]));
    for (const o of hs.slos) {
      const bo = baseSlos.get(o.id);
      if (!serviceSame || !bo || !deepEqual(bo, o) || !deepEqual(bs!.slis.find((x) => x.id === bo.sli), hs.slis.find((x) => x.id === o.sli))) changedSlos.add(o.id);
    }
    if (bs) for (const bo of bs.slos) if (!hs.slos.some((o) => o.id === bo.id)) changedSlos.add(bo.id);
  }
  const headServices = new Set(head.services.map((s) => s.id));
  for (const bs of base.services) if (!headServices.has(bs.id)) for (const bo of bs.slos) changedSlos.add(bo.id);
  const differs = (id: string) => changedSlos.has(id);
  const b = generatedRules(base, differs, options.base);
  const h = generatedRules(head, differs, options.head);
  const out: (GeneratedChange & { seq: number })[] = [];
  const of = (k: Keyed) => ({ target: 'prometheus' as const, type: k.rule.type, group: k.rule.group, name: k.rule.name, variant: k.variant, slo: k.rule.slo });
  for (const [key, x] of b) {
    const y = h.get(key);
    if (!y) {
      out.push({ kind: 'vanished', ...of(x), before: x.rule, seq: x.seq });
      continue;
    }
    const fields: NonNullable<GeneratedChange['fields']> = [];
    if (x.rule.expr !== y.rule.expr) fields.push('expr');
    if (x.rule.for !== y.rule.for) fields.push('for');
    if (!same(x.rule.labels, y.rule.labels)) fields.push('labels');
    if (!same(x.rule.annotations, y.rule.annotations)) fields.push('annotations');
    if (fields.length) out.push({ kind: 'changed', ...of(y), fields, before: x.rule, after: y.rule, seq: y.seq });
  }
  for (const [key, y] of h) if (!b.has(key)) out.push({ kind: 'appeared', ...of(y), after: y.rule, seq: y.seq });
  // By group, records before alerts, then in the rule file's order (the head's, or the base's for a vanished rule).
  out.sort((x, y) => (x.group < y.group ? -1 : x.group > y.group ? 1 : x.type !== y.type ? (x.type === 'record' ? -1 : 1) : x.seq - y.seq));
  return out.map(({ seq: _s, ...c }) => c);
}

// AST + semantics → the normalized model: JSON-ready, defaults applied, references resolved to ids,
// units normalized (99.9% → 0.999, 30d → 2592000 s). Described by schemas/pace-model.schema.json; the
// contract that preview and the generators consume. Plus a source map from JSON pointers to ranges.
import type { Block, Range, SelectorValue, Value } from '../../../../grammar/src/ast.js';
import type { PaceSymbol, SemanticModel } from '../linking/linker.js';
import { availabilitySlo, policyRules } from '../validation/semantic.js';
import { attributeValue, durationOf, percentOf, windowOf } from '../validation/values.js';
import { errorBudget, ruleTargets, type Window } from '../targets/targets.js';
import type { ProjectConfig } from '../workspace/config.js';

export interface Selector {
  metric?: string;
  matchers: { label: string; op: '=' | '!=' | '=~' | '!~'; value: string }[];
  /** PromQL text of the selector. */
  text: string;
}
export type ModelWindow = { type: 'rolling'; seconds: number } | { type: 'calendar'; unit: 'week' | 'month' | 'quarter'; timeZone: string };
export interface ModelRule {
  severity: 'page' | 'ticket';
  factor: number;
  longWindowSeconds: number;
  shortWindowSeconds: number;
  forSeconds?: number;
  /** factor × error budget: the error ratio at which it fires. */
  threshold: number;
  budgetSpent: number;
  timeToFireSeconds: number;
}
export type Sli =
  | { id: string; name: string; description?: string; kind: 'ratio'; good?: Selector; bad?: Selector; total: Selector }
  | { id: string; name: string; description?: string; kind: 'latency'; histogram: Selector; underSeconds: number }
  | { id: string; name: string; description?: string; kind: 'timeslice'; gauge: Selector; goodWhen: { op: '<' | '<=' | '>' | '>=' | '=='; value: number }; sliceSeconds: number }
  | { id: string; name: string; description?: string; kind: 'promql'; good?: string; bad?: string; total: string };
export interface Slo {
  id: string;
  name: string;
  description?: string;
  sli: string;
  objective: number;
  window: ModelWindow;
  errorBudget: { ratio: number; seconds: number };
  alerting: { policy: string; rules: ModelRule[] } | null;
  labels: Record<string, string>;
}
export interface Sla {
  id: string;
  name: string;
  description?: string;
  slo?: string;
  sli: string;
  objective: number;
  window: ModelWindow;
  credits: { credit: number; below: number }[];
}
export interface Service {
  id: string;
  name: string;
  title?: string;
  description?: string;
  owner?: string;
  tier?: 'critical' | 'high' | 'medium' | 'low';
  labels: Record<string, string>;
  dependsOn: string[];
  softDependsOn: string[];
  /** The availability SLO (highest objective on a ratio SLI), if any. */
  availabilitySlo?: string;
  slis: Sli[];
  slos: Slo[];
  slas: Sla[];
}
export interface AlertingPolicy {
  id: string;
  name: string;
  description?: string;
  labels: Record<string, string>;
  rules: { severity: 'page' | 'ticket'; factor: number; longWindowSeconds: number; shortWindowSeconds: number; forSeconds?: number }[];
}
export interface Kpi {
  id: string;
  name: string;
  description?: string;
  measure: { fn: string; args: Selector[] };
  target: { op: '<' | '<=' | '>' | '>=' | '=='; value: number; unit: 'ratio' | 'seconds' | 'number' };
  windowSeconds: number;
}
export interface Objective {
  id: string;
  name: string;
  title?: string;
  description?: string;
  owner?: string;
  labels: Record<string, string>;
  supportedBy: string[];
  kpis: Kpi[];
}
export interface NormalizedModel {
  version: 1;
  project?: string;
  labels: Record<string, string>;
  services: Service[];
  alertingPolicies: AlertingPolicy[];
  objectives: Objective[];
}

export interface SourceLocation {
  readonly uri: string;
  readonly range: Range;
}
/** JSON pointer into the model → where it was written. */
export type SourceMap = Map<string, SourceLocation>;

interface AnalysisLike {
  readonly semantic: SemanticModel;
  readonly config: ProjectConfig;
}

const ratio = (percent: number) => Number((percent / 100).toPrecision(12));
const seconds = (ms: number) => ms / 1000;

export function selectorText(metric: string | undefined, matchers: Selector['matchers']): string {
  const m = matchers.map((x) => `${x.label}${x.op}${JSON.stringify(x.value)}`).join(', ');
  return `${metric ?? ''}${m || !metric ? `{${m}}` : ''}`;
}

function selectorOf(v: Value | undefined): Selector | undefined {
  if (v?.type === 'ref' && v.parts.length === 1) return { metric: v.parts[0].text, matchers: [], text: v.parts[0].text };
  if (v?.type !== 'selector') return undefined;
  const s = v as SelectorValue;
  const matchers = s.matchers.filter((m) => m.value).map((m) => ({ label: m.label.text, op: m.op, value: m.value!.value }));
  return { ...(s.metric ? { metric: s.metric.text } : {}), matchers, text: selectorText(s.metric?.text, matchers) };
}

function modelWindow(w: Window): ModelWindow {
  return w.type === 'rolling' ? { type: 'rolling', seconds: seconds(w.ms) } : { type: 'calendar', unit: w.unit, timeZone: w.timeZone };
}

function str(block: Block, name: string): string | undefined {
  const v = attributeValue(block, name);
  return v?.type === 'string' ? v.value : undefined;
}

function description(block: Block): string | undefined {
  return str(block, 'description') ?? block.doc?.trim() ?? undefined;
}

function labels(block: Block): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.members) {
    if (m.type !== 'block' || m.keyword.text !== 'labels') continue;
    for (const a of m.members) if (a.type === 'attribute' && a.value?.type === 'string') out[a.name.text] = a.value.value;
  }
  return sortKeys(out);
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function optional<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function normalize(analysis: AnalysisLike): { model: NormalizedModel; sourceMap: SourceMap } {
  const sem = analysis.semantic;
  const sourceMap: SourceMap = new Map();
  const at = (pointer: string, sym: PaceSymbol, range?: Range) => sourceMap.set(pointer, { uri: sym.uri, range: range ?? sym.nameRange });
  const refIds = (block: Block, name: string): string[] => {
    const v = attributeValue(block, name);
    const items = v?.type === 'list' ? v.items : v ? [v] : [];
    return items.flatMap((i) => (i.type === 'ref' ? [sem.byRef.get(i)?.target?.id].filter((x): x is string => !!x) : []));
  };
  const refId = (block: Block, name: string) => refIds(block, name)[0];
  const byName = (a: PaceSymbol, b: PaceSymbol) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  const services: Service[] = [];
  sem.ofKind('service').sort(byName).forEach((svc, si) => {
    const p = `/services/${si}`;
    at(p, svc);
    const b = svc.block;
    const tier = attributeValue(b, 'tier');
    const slis: Sli[] = [];
    sem.membersOf(svc, 'sli').sort(byName).forEach((s) => {
      const sli = normalizeSli(s);
      if (!sli) return;
      at(`${p}/slis/${slis.length}`, s);
      slis.push(sli);
    });
    const slos: Slo[] = [];
    sem.membersOf(svc, 'slo').sort(byName).forEach((s) => {
      const objective = percentOf(attributeValue(s.block, 'objective'));
      const w = windowOf(attributeValue(s.block, 'window'));
      const sli = refId(s.block, 'sli');
      if (objective === undefined || !w || !sli || objective <= 0 || objective >= 100) return;
      const q = `${p}/slos/${slos.length}`;
      at(q, s);
      at(`${q}/objective`, s, attributeValue(s.block, 'objective')!.range);
      at(`${q}/window`, s, attributeValue(s.block, 'window')!.range);
      const policy = policyRules(sem, s, w);
      const budget = errorBudget(objective, w);
      slos.push(
        optional({
          id: s.id,
          name: s.name,
          description: description(s.block),
          sli,
          objective: ratio(objective),
          window: modelWindow(w),
          errorBudget: { ratio: budget.ratio, seconds: seconds(budget.ms) },
          alerting: policy
            ? {
                policy: policy.name,
                rules: policy.rules.map((r) => {
                  const t = ruleTargets(r, objective, w);
                  return optional({
                    severity: r.severity as 'page' | 'ticket',
                    factor: r.factor,
                    longWindowSeconds: seconds(r.longMs),
                    shortWindowSeconds: seconds(r.shortMs),
                    forSeconds: r.forMs !== undefined ? seconds(r.forMs) : undefined,
                    threshold: Number(t.threshold.toPrecision(12)),
                    budgetSpent: Number(t.budgetSpent.toPrecision(12)),
                    timeToFireSeconds: Number(seconds(t.timeToFireMs).toPrecision(12)),
                  });
                }),
              }
            : null,
          labels: labels(s.block),
        }),
      );
    });
    const slas: Sla[] = [];
    sem.membersOf(svc, 'sla').sort(byName).forEach((s) => {
      const objective = percentOf(attributeValue(s.block, 'objective'));
      const w = windowOf(attributeValue(s.block, 'window'));
      const slo = refId(s.block, 'slo');
      const sloSym = slo ? sem.symbols.find((x) => x.id === slo) : undefined;
      const sli = sloSym ? refId(sloSym.block, 'sli') : refId(s.block, 'sli');
      if (objective === undefined || !w || !sli) return;
      at(`${p}/slas/${slas.length}`, s);
      const credits = s.block.members
        .flatMap((m) => (m.type === 'credit' ? [{ credit: percentOf(m.credit), below: percentOf(m.below) }] : []))
        .filter((c): c is { credit: number; below: number } => c.credit !== undefined && c.below !== undefined)
        .map((c) => ({ credit: ratio(c.credit), below: ratio(c.below) }));
      slas.push(optional({ id: s.id, name: s.name, description: description(s.block), slo, sli, objective: ratio(objective), window: modelWindow(w), credits }));
    });
    services.push(
      optional({
        id: svc.id,
        name: svc.name,
        title: str(b, 'title'),
        description: description(b),
        owner: str(b, 'owner'),
        tier: tier?.type === 'ref' && ['critical', 'high', 'medium', 'low'].includes(tier.parts[0].text) ? (tier.parts[0].text as Service['tier']) : undefined,
        labels: labels(b),
        dependsOn: refIds(b, 'depends_on'),
        softDependsOn: refIds(b, 'soft_depends_on'),
        availabilitySlo: availabilitySlo(sem, svc)?.slo.id,
        slis,
        slos,
        slas,
      }),
    );
  });

  const alertingPolicies: AlertingPolicy[] = sem
    .ofKind('alerting')
    .sort(byName)
    .map((a, i) => {
      at(`/alertingPolicies/${i}`, a);
      const rules = a.block.members.flatMap((m) => {
        if (m.type !== 'alert-rule' || (m.severity.text !== 'page' && m.severity.text !== 'ticket')) return [];
        const factor = m.factor?.type === 'number' && m.factor.unit === 'none' ? m.factor.value : undefined;
        const l = durationOf(m.longWindow);
        const s = durationOf(m.shortWindow);
        if (factor === undefined || l === undefined || s === undefined) return [];
        const f = durationOf(m.forDuration);
        return [optional({ severity: m.severity.text as 'page' | 'ticket', factor, longWindowSeconds: seconds(l), shortWindowSeconds: seconds(s), forSeconds: f !== undefined ? seconds(f) : undefined })];
      });
      return optional({ id: a.id, name: a.name, description: description(a.block), labels: labels(a.block), rules });
    });

  const objectives: Objective[] = sem
    .ofKind('objective')
    .sort(byName)
    .map((o, i) => {
      at(`/objectives/${i}`, o);
      const kpis: Kpi[] = [];
      sem.membersOf(o, 'kpi').sort(byName).forEach((k) => {
        const m = attributeValue(k.block, 'measure');
        const t = attributeValue(k.block, 'target');
        const w = durationOf(attributeValue(k.block, 'window'));
        if (m?.type !== 'call' || t?.type !== 'comparison' || t.value?.type !== 'number' || w === undefined) return;
        const args = m.args.map(selectorOf).filter((s): s is Selector => !!s);
        const tv = t.value;
        const unit = tv.unit === 'percent' ? 'ratio' : tv.unit === 'duration' ? 'seconds' : 'number';
        const value = tv.unit === 'percent' ? ratio(tv.value) : tv.unit === 'duration' ? seconds(tv.value) : tv.value;
        at(`/objectives/${i}/kpis/${kpis.length}`, k);
        kpis.push(optional({ id: k.id, name: k.name, description: description(k.block), measure: { fn: m.fn.text, args }, target: { op: t.op, value, unit }, windowSeconds: seconds(w) }));
      });
      return optional({ id: o.id, name: o.name, title: str(o.block, 'title'), description: description(o.block), owner: str(o.block, 'owner'), labels: labels(o.block), supportedBy: refIds(o.block, 'supported_by'), kpis });
    });

  const model: NormalizedModel = optional({
    version: 1 as const,
    project: analysis.config.name,
    labels: sortKeys({ ...analysis.config.labels }),
    services,
    alertingPolicies,
    objectives,
  });
  return { model, sourceMap };

  function normalizeSli(s: PaceSymbol): Sli | undefined {
    const b = s.block;
    const base = { id: s.id, name: s.name, description: description(b) };
    switch (s.sliKind) {
      case 'ratio': {
        const total = selectorOf(attributeValue(b, 'total'));
        const good = selectorOf(attributeValue(b, 'good'));
        const bad = selectorOf(attributeValue(b, 'bad'));
        if (!total || (!good && !bad)) return undefined;
        return optional({ ...base, kind: 'ratio' as const, good, bad, total });
      }
      case 'latency': {
        const histogram = selectorOf(attributeValue(b, 'histogram'));
        const under = durationOf(attributeValue(b, 'under'));
        if (!histogram || under === undefined) return undefined;
        return optional({ ...base, kind: 'latency' as const, histogram, underSeconds: seconds(under) });
      }
      case 'timeslice': {
        const gauge = selectorOf(attributeValue(b, 'gauge'));
        const gw = attributeValue(b, 'good_when');
        const slice = durationOf(attributeValue(b, 'slice'));
        if (!gauge || gw?.type !== 'comparison' || gw.value?.type !== 'number' || slice === undefined) return undefined;
        const v = gw.value;
        const value = v.unit === 'percent' ? ratio(v.value) : v.unit === 'duration' ? seconds(v.value) : v.value;
        return optional({ ...base, kind: 'timeslice' as const, gauge, goodWhen: { op: gw.op, value }, sliceSeconds: seconds(slice) });
      }
      case 'promql': {
        const total = str(b, 'total');
        const good = str(b, 'good');
        const bad = str(b, 'bad');
        if (total === undefined || (good === undefined && bad === undefined)) return undefined;
        return optional({ ...base, kind: 'promql' as const, good, bad, total });
      }
    }
    return undefined;
  }
}


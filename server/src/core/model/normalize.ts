// AST + semantics → the normalized model (types in model.ts, generated from
// schemas/pace-model.schema.json) and its source map. This module only reads declarations; what
// follows from them (budgets, rule targets, the default policy) is filled in by the model builder,
// the same one importers use. Every well-formed declaration appears exactly once, under its typed id.
import type { Block, Range, SelectorValue, Value } from '../../../../grammar/src/ast.js';
import type { PaceSymbol, SemanticModel } from '../linking/linker.js';
import { ratioOfPercent, semanticsOf } from '../semantics/semantics.js';
import { attribute, attributeValue, durationOf, windowOf } from '../semantics/values.js';
import type { ProjectConfig } from '../workspace/config.js';
import { buildModel, compact, sortKeys, type Mutable, type ServiceDecl, type SloDecl } from './build.js';
import { modelId, type AlertMeta, type IdKind, type Kpi, type NormalizedModel, type Objective, type Selector, type Sla, type Sli, type SourceMap } from './model.js';
import { SourceIndex } from './source-index.js';

interface AnalysisLike {
  readonly semantic: SemanticModel;
  readonly config: ProjectConfig;
}

const ID_KIND: Record<PaceSymbol['kind'], IdKind> = { service: 'service', sli: 'sli', slo: 'slo', sla: 'sla', alerting: 'policy', objective: 'objective', kpi: 'kpi' };

/** The model id of a symbol: `slo:checkout.availability`. */
export function symbolId(s: PaceSymbol): string {
  return modelId(ID_KIND[s.kind], s.id);
}

const ratio = ratioOfPercent;
const seconds = (ms: number) => ms / 1000;

export function selectorText(metric: string | undefined, matchers: Selector['matchers']): string {
  const m = matchers.map((x) => `${x.label}${x.op}${JSON.stringify(x.value)}`).join(', ');
  return `${metric ?? ''}${m || !metric ? `{${m}}` : ''}`;
}

export function selectorOf(v: Value | undefined): Selector | undefined {
  if (v?.type === 'ref' && v.parts.length === 1) return { metric: v.parts[0].text, matchers: [], text: v.parts[0].text };
  if (v?.type !== 'selector') return undefined;
  const s = v as SelectorValue;
  const matchers = s.matchers.filter((m) => m.value).map((m) => ({ label: m.label.text, op: m.op, value: m.value!.value }));
  return { ...(s.metric ? { metric: s.metric.text } : {}), matchers, text: selectorText(s.metric?.text, matchers) };
}

function str(block: Block, name: string): string | undefined {
  const v = attributeValue(block, name);
  return v?.type === 'string' ? v.value : undefined;
}

function description(block: Block): string | undefined {
  return str(block, 'description') ?? block.doc?.trim() ?? undefined;
}

/** The entries of a block's `labels { … }` (or another map block's, e.g. `annotations`). */
function labels(block: Block, keyword = 'labels'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.members) {
    if (m.type !== 'block' || m.keyword.text !== keyword) continue;
    for (const a of m.members) if (a.type === 'attribute' && a.value?.type === 'string') out[a.name.text] = a.value.value;
  }
  return sortKeys(out);
}

function labelsBlock(block: Block, keyword = 'labels'): Range | undefined {
  for (const m of block.members) if (m.type === 'block' && m.keyword.text === keyword) return m.range;
  return undefined;
}

/** `page { labels { … } annotations { … } }` (or `ticket`): undefined when the block is not written. */
function severityMeta(block: Block, severity: 'page' | 'ticket'): AlertMeta | undefined {
  const b = block.members.find((m): m is Block => m.type === 'block' && m.keyword.text === severity && !m.name);
  return b ? { labels: labels(b), annotations: labels(b, 'annotations') } : undefined;
}

/** `annotations { … }`: undefined when the block is not written. */
function annotationsOf(block: Block): Record<string, string> | undefined {
  return labelsBlock(block, 'annotations') ? labels(block, 'annotations') : undefined;
}

export function normalize(analysis: AnalysisLike): { model: NormalizedModel; sourceMap: SourceMap } {
  const model = analysis.semantic;
  const sem = semanticsOf(model);
  const sourceMap = new SourceIndex();
  const at = (id: string, sym: PaceSymbol, part?: string, range?: Range) => {
    if (part === undefined || range) sourceMap.set(id, part, sym.uri, range ?? sym.nameRange);
  };
  /** Source-maps the values of the named attributes of a declaration. */
  const attrs = (id: string, sym: PaceSymbol, names: readonly string[]) => {
    for (const n of names) at(id, sym, n, attribute(sym.block, n)?.value?.range);
  };
  const ids = (syms: PaceSymbol[]) => syms.map(symbolId);

  const services: ServiceDecl[] = model.ofKind('service').map((svc) => {
    const b = svc.block;
    const id = symbolId(svc);
    at(id, svc);
    attrs(id, svc, ['owner', 'tier', 'depends_on', 'soft_depends_on']);
    at(id, svc, 'labels', labelsBlock(b));
    const tier = attributeValue(b, 'tier');
    const slis = model.membersOf(svc, 'sli').flatMap((s) => {
      const sli = normalizeSli(s, id);
      if (!sli) return [];
      at(sli.id, s);
      attrs(sli.id, s, ['good', 'bad', 'total', 'error_ratio', 'histogram', 'under', 'gauge', 'good_when', 'slice']);
      return [sli];
    });
    const slos = model.membersOf(svc, 'slo').flatMap((s): SloDecl[] => {
      const spec = sem.spec(s);
      const sli = sem.sliOf(s);
      if (!spec || !sli) return [];
      const sid = symbolId(s);
      at(sid, s);
      attrs(sid, s, ['sli', 'objective', 'window', 'alerting']);
      at(sid, s, 'labels', labelsBlock(s.block));
      const policy = sem.policyOf(s);
      const alertingRange = attribute(s.block, 'alerting')?.value?.range;
      at(sid, s, 'annotations', labelsBlock(s.block, 'annotations'));
      at(sid, s, 'page', labelsBlock(s.block, 'page'));
      at(sid, s, 'ticket', labelsBlock(s.block, 'ticket'));
      attrs(sid, s, ['title', 'alert_name']);
      let alerting: SloDecl['alerting'] = null;
      if (policy.kind === 'default') {
        alerting = { policy: 'default' };
        policy.rules.forEach((_, i) => at(sid, s, `rules/${i}`, alertingRange ?? s.nameRange));
      } else if (policy.kind === 'policy') {
        alerting = { policy: symbolId(policy.symbol), rules: policy.rules.map(({ node: _n, uri: _u, ...r }) => r) };
        policy.rules.forEach((r, i) => r.node && r.uri && sourceMap.set(sid, `rules/${i}`, r.uri, r.node.range));
      } else if (policy.kind === 'unresolved') return [];
      // compact({ id, name, title, service, description, sli, objective, window, alerting, labels,
      // alertName, annotations, page, ticket }), built field by field: most optional fields are unset,
      // and copying the object without them was a good part of this function's time.
      const decl = { id: sid, name: s.name } as Mutable<SloDecl>;
      const title = str(s.block, 'title');
      if (title !== undefined) decl.title = title;
      decl.service = id;
      const desc = description(s.block);
      if (desc !== undefined) decl.description = desc;
      decl.sli = symbolId(sli);
      decl.objective = spec.objective;
      decl.window = spec.window;
      decl.alerting = alerting;
      decl.labels = labels(s.block);
      const alertName = str(s.block, 'alert_name');
      if (alertName !== undefined) decl.alertName = alertName;
      const annotations = annotationsOf(s.block);
      if (annotations !== undefined) decl.annotations = annotations;
      const page = severityMeta(s.block, 'page');
      if (page !== undefined) decl.page = page;
      const ticket = severityMeta(s.block, 'ticket');
      if (ticket !== undefined) decl.ticket = ticket;
      return [decl];
    });
    const slas = model.membersOf(svc, 'sla').flatMap((s): Sla[] => {
      const spec = sem.spec(s);
      const sli = sem.sliOf(s);
      const slo = sem.sloOf(s);
      if (!spec || !sli) return [];
      const sid = symbolId(s);
      at(sid, s);
      attrs(sid, s, ['slo', 'sli', 'objective', 'window']);
      const credits = s.block.members.flatMap((m) => (m.type === 'credit' ? [m] : []));
      const tiers = credits.flatMap((c) => {
        const credit = c.credit?.type === 'number' && c.credit.unit === 'percent' ? c.credit.value : undefined;
        const below = c.below?.type === 'number' && c.below.unit === 'percent' ? c.below.value : undefined;
        return credit !== undefined && below !== undefined ? [{ c, credit: ratio(credit), below: ratio(below) }] : [];
      });
      tiers.forEach((t, i) => sourceMap.set(sid, `credits/${i}`, s.uri, t.c.range));
      return [compact({ id: sid, name: s.name, service: id, description: description(s.block), slo: slo ? symbolId(slo) : undefined, sli: symbolId(sli), objective: spec.objective, window: spec.window, credits: tiers.map(({ credit, below }) => ({ credit, below })) })];
    });
    return compact({
      id,
      name: svc.name,
      title: str(b, 'title'),
      description: description(b),
      owner: str(b, 'owner'),
      tier: tier?.type === 'ref' && ['critical', 'high', 'medium', 'low'].includes(tier.parts[0].text) ? (tier.parts[0].text as ServiceDecl['tier']) : undefined,
      labels: labels(b),
      dependsOn: ids(sem.targets(svc, 'depends_on')),
      softDependsOn: ids(sem.targets(svc, 'soft_depends_on')),
      slis,
      slos,
      slas,
    });
  });

  const alertingPolicies = model.ofKind('alerting').map((a) => {
    const id = symbolId(a);
    at(id, a);
    at(id, a, 'labels', labelsBlock(a.block));
    const rules = a.block.members.flatMap((m) => {
      if (m.type !== 'alert-rule' || (m.severity.text !== 'page' && m.severity.text !== 'ticket')) return [];
      const factor = m.factor?.type === 'number' && m.factor.unit === 'none' ? m.factor.value : undefined;
      const l = durationOf(m.longWindow);
      const s = m.shortWindow ? durationOf(m.shortWindow) : l;
      if (factor === undefined || l === undefined || s === undefined) return [];
      const f = durationOf(m.forDuration);
      return [{ m, rule: compact({ severity: m.severity.text as 'page' | 'ticket', factor, longWindowSeconds: seconds(l), shortWindowSeconds: seconds(s), singleWindow: m.shortWindow ? undefined : (true as const), forSeconds: f !== undefined ? seconds(f) : undefined }) }];
    });
    rules.forEach((r, i) => at(id, a, `rules/${i}`, r.m.range));
    at(id, a, 'annotations', labelsBlock(a.block, 'annotations'));
    return compact({ id, name: a.name, description: description(a.block), labels: labels(a.block), annotations: labels(a.block, 'annotations'), page: severityMeta(a.block, 'page'), ticket: severityMeta(a.block, 'ticket'), rules: rules.map((r) => r.rule) });
  });

  const objectives: Objective[] = model.ofKind('objective').map((o) => {
    const id = symbolId(o);
    at(id, o);
    attrs(id, o, ['owner', 'supported_by']);
    const kpis: Kpi[] = model.membersOf(o, 'kpi').flatMap((k) => {
      const m = attributeValue(k.block, 'measure');
      const t = attributeValue(k.block, 'target');
      const w = windowOf(attributeValue(k.block, 'window'));
      if (m?.type !== 'call' || t?.type !== 'comparison' || t.value?.type !== 'number' || !w) return [];
      const kid = symbolId(k);
      at(kid, k);
      attrs(kid, k, ['measure', 'target', 'window']);
      const args = m.args.map(selectorOf).filter((s): s is Selector => !!s);
      const tv = t.value;
      const unit = tv.unit === 'percent' ? 'ratio' : tv.unit === 'duration' ? 'seconds' : 'number';
      const value = tv.unit === 'percent' ? ratio(tv.value) : tv.unit === 'duration' ? seconds(tv.value) : tv.value;
      return [compact({ id: kid, name: k.name, objective: id, description: description(k.block), measure: { fn: m.fn.text, args }, target: { op: t.op, value, unit }, window: w })];
    });
    return compact({ id, name: o.name, title: str(o.block, 'title'), description: description(o.block), owner: str(o.block, 'owner'), labels: labels(o.block), supportedBy: ids(sem.targets(o, 'supported_by')), kpis });
  });

  return { model: buildModel({ project: analysis.config.name, labels: { ...analysis.config.labels }, services, alertingPolicies, objectives }), sourceMap };

  function normalizeSli(s: PaceSymbol, service: string): Sli | undefined {
    const b = s.block;
    const base = { id: symbolId(s), name: s.name, service, description: description(b) };
    switch (s.sliKind) {
      case 'ratio': {
        const total = selectorOf(attributeValue(b, 'total'));
        const good = selectorOf(attributeValue(b, 'good'));
        const bad = selectorOf(attributeValue(b, 'bad'));
        if (!total || !good === !bad) return undefined;
        // compact({ ...base, kind, good, bad, total }), field by field (one of good and bad is unset).
        const sli = { id: base.id, name: base.name, service } as Mutable<Extract<Sli, { kind: 'ratio' }>>;
        if (base.description !== undefined) sli.description = base.description;
        sli.kind = 'ratio';
        if (good) sli.good = good;
        if (bad) sli.bad = bad;
        sli.total = total;
        return sli;
      }
      case 'latency': {
        const histogram = selectorOf(attributeValue(b, 'histogram'));
        const under = durationOf(attributeValue(b, 'under'));
        if (!histogram || under === undefined) return undefined;
        return compact({ ...base, kind: 'latency' as const, histogram, underSeconds: seconds(under) });
      }
      case 'timeslice': {
        const gauge = selectorOf(attributeValue(b, 'gauge'));
        const gw = attributeValue(b, 'good_when');
        const slice = durationOf(attributeValue(b, 'slice'));
        if (!gauge || gw?.type !== 'comparison' || gw.value?.type !== 'number' || slice === undefined) return undefined;
        const v = gw.value;
        const value = v.unit === 'percent' ? ratio(v.value) : v.unit === 'duration' ? seconds(v.value) : v.value;
        return compact({ ...base, kind: 'timeslice' as const, gauge, goodWhen: { op: gw.op, value }, sliceSeconds: seconds(slice) });
      }
      case 'promql': {
        const total = str(b, 'total');
        const good = str(b, 'good');
        const bad = str(b, 'bad');
        const errorRatio = str(b, 'error_ratio');
        if (errorRatio !== undefined) return good === undefined && bad === undefined && total === undefined ? compact({ ...base, kind: 'promql' as const, errorRatio }) : undefined;
        if (total === undefined || (good === undefined) === (bad === undefined)) return undefined;
        return compact({ ...base, kind: 'promql' as const, good, bad, total });
      }
    }
    return undefined;
  }
}

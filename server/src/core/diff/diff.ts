// The semantic diff of two normalized models (docs/diff.md): what was added, removed, renamed or
// changed, each change with its before and after, a sentence with the numbers the budget math gives
// (`99.9% → 99.5% over 30d: budget 43m12s → 3h36m`) and a class — tightening, loosening or neutral —
// by the rules of docs/diff.md's table (each change names its row in `reason`).
//
// Two passes: first every declaration of the base is matched with one of the head (same name under
// matched parents, or a rename: see `match`), which gives the map from base ids to head ids; then each
// pair is compared with references translated through that map, so that a renamed service does not
// make every SLA and `depends_on` that names it look changed.
// Pure: models in, data out; the renderers are render.ts.
import { compositeAvailability, errorBudget, formatDuration, formatPercent, percentText, ruleWindowsText, sameWindow, nominalWindowSeconds, windowLabel, type ErrorBudget } from '../budget/budget.js';
import { deepEqual } from './equal.js';
import type { AlertingPolicy, CreditTier, Kpi, KpiTarget, NormalizedModel, Objective, PolicyRule, Service, Sla, Sli, Slo, SloRule, Window } from '../model/model.js';

export type DiffEntity = 'project' | 'service' | 'sli' | 'slo' | 'sla' | 'policy' | 'objective' | 'kpi';
export type ChangeKind = 'added' | 'removed' | 'renamed' | 'changed';
export type ChangeClass = 'tightening' | 'loosening' | 'neutral';
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ModelChange {
  readonly kind: ChangeKind;
  readonly entity: DiffEntity;
  /** The head's id; the base's for a removal. `project` for the project itself. */
  readonly id: string;
  /** The base's id, when it differs from `id` (a rename, or a change under a renamed parent). */
  readonly baseId?: string;
  /** What changed: `objective`, `window`, `rules/0`, `credits`, `dependencyBound`, …; absent for added, removed and renamed. */
  readonly field?: string;
  readonly before?: Json;
  readonly after?: Json;
  /** One line for people, without the entity (renderers name it). */
  readonly text: string;
  readonly class: ChangeClass;
  /** The row of docs/diff.md's class table that decided the class. */
  readonly reason: string;
  /** Where it is written (`file:line`), in the base and in the head, when the caller can say. */
  readonly where?: { readonly base?: string; readonly head?: string };
}

export interface DiffOptions {
  /** `file:line` of a source-map key (`slo:a.b`, `slo:a.b#objective`) on one side; undefined when unknown. */
  readonly where?: (side: 'base' | 'head', key: string) => string | undefined;
}

type Named = { readonly id: string; readonly name: string };

// ---------------------------------------------------------------------------------------------
// Matching, and the rename heuristic

const stable = (x: unknown): string => JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

/** What an SLI measures, without its names: two SLIs with the same signature count the same events. */
export function sliSignature(sli: Sli): string {
  const { id: _i, name: _n, service: _s, description: _d, ...content } = sli;
  return stable(content);
}

interface Match<T> {
  readonly pairs: { base: T; head: T; renamed: boolean }[];
  readonly removed: T[];
  readonly added: T[];
}

/**
 * Pairs declarations by name; then, among those left, a removed one and an added one whose content
 * signatures are equal — and unique on both sides — are one rename. No signature (undefined: nothing
 * to recognise it by, such as a service without SLIs) never pairs.
 */
export function match<T extends Named>(base: readonly T[], head: readonly T[], signature: (t: T, side: 'base' | 'head') => string | undefined): Match<T> {
  const byName = new Map(head.map((h) => [h.name, h]));
  const pairs: Match<T>['pairs'] = [];
  const removed: T[] = [];
  const taken = new Set<T>();
  for (const b of base) {
    const h = byName.get(b.name);
    if (h) {
      pairs.push({ base: b, head: h, renamed: false });
      taken.add(h);
    } else removed.push(b);
  }
  let added = head.filter((h) => !taken.has(h));
  if (!removed.length || !added.length) return { pairs, removed, added };
  const group = (xs: T[], side: 'base' | 'head') => {
    const m = new Map<string, T[]>();
    for (const x of xs) {
      const s = signature(x, side);
      if (s !== undefined) m.set(s, [...(m.get(s) ?? []), x]);
    }
    return m;
  };
  const bs = group(removed, 'base');
  const hs = group(added, 'head');
  const renamedBase = new Set<T>();
  const renamedHead = new Set<T>();
  for (const [sig, [b, ...moreB]] of bs) {
    const hh = hs.get(sig);
    if (moreB.length || !hh || hh.length !== 1) continue;
    pairs.push({ base: b, head: hh[0], renamed: true });
    renamedBase.add(b);
    renamedHead.add(hh[0]);
  }
  added = added.filter((h) => !renamedHead.has(h));
  return { pairs, removed: removed.filter((b) => !renamedBase.has(b)), added };
}

// ---------------------------------------------------------------------------------------------
// Words and numbers

const KIND_WORD: Record<DiffEntity, string> = { project: 'project', service: 'service', sli: 'SLI', slo: 'SLO', sla: 'SLA', policy: 'policy', objective: 'objective', kpi: 'KPI' };
export const entityWord = (e: DiffEntity) => KIND_WORD[e];
/** `checkout.availability` from `slo:checkout.availability`. */
export const idPath = (id: string) => id.slice(id.indexOf(':') + 1);

const budgetText = (b: ErrorBudget) => (b.minSeconds !== undefined && b.maxSeconds !== undefined && b.minSeconds !== b.maxSeconds ? `${formatDuration(b.minSeconds)}–${formatDuration(b.maxSeconds)}` : formatDuration(b.seconds));
const targetText = (objective: number, w: Window) => `${percentText(objective)} over ${windowLabel(w)}`;
const ruleShort = (r: Pick<PolicyRule, 'severity' | 'factor' | 'longWindowSeconds' | 'shortWindowSeconds' | 'singleWindow' | 'forSeconds'>) =>
  `${r.severity} when burn_rate > ${Number(r.factor.toPrecision(4))} over ${ruleWindowsText(r)}${r.forSeconds ? ` for ${formatDuration(r.forSeconds)}` : ''}`;
const ttfText = (s: number | null) => (s === null ? 'never' : formatDuration(s));
const labelsText = (ls: Readonly<Record<string, string>>) => Object.keys(ls).sort().map((k) => `${k}=${JSON.stringify(ls[k])}`).join(', ') || 'none';
const creditsText = (cs: readonly CreditTier[]) => cs.map((c) => `${formatPercent(c.credit)} below ${percentText(c.below)}`).join(', ') || 'no credits';
const kpiTargetText = (t: KpiTarget) => `${t.op} ${t.unit === 'ratio' ? percentText(t.value) : t.unit === 'seconds' ? formatDuration(t.value) : String(t.value)}`;
const measureText = (k: Kpi) => `${k.measure.fn}(${k.measure.args.map((a) => a.text).join(', ')})`;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** What differs between two label maps: `+a="1", -b, c: "x" → "y"`. */
function labelDelta(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string | undefined {
  const parts: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!(k in b)) parts.push(`-${k}`);
    else if (!(k in a)) parts.push(`+${k}=${JSON.stringify(b[k])}`);
    else if (a[k] !== b[k]) parts.push(`${k}: ${JSON.stringify(a[k])} → ${JSON.stringify(b[k])}`);
  }
  return parts.length ? parts.join(', ') : undefined;
}

function listDelta(a: readonly string[], b: readonly string[]): string | undefined {
  const parts = [...b.filter((x) => !a.includes(x)).map((x) => `+${idPath(x)}`), ...a.filter((x) => !b.includes(x)).map((x) => `-${idPath(x)}`)];
  return parts.length ? parts.join(', ') : undefined;
}

/** The class of a change judged on several dimensions: looser in any is loosening; else tighter in any is tightening. */
function combine(...cs: ChangeClass[]): ChangeClass {
  return cs.includes('loosening') ? 'loosening' : cs.includes('tightening') ? 'tightening' : 'neutral';
}
/** Higher is looser (a higher threshold, a longer window, a later time to fire). */
const higherLooser = (a: number, b: number): ChangeClass => (b > a ? 'loosening' : b < a ? 'tightening' : 'neutral');

const json = (x: unknown): Json => (x === undefined ? null : (JSON.parse(JSON.stringify(x)) as Json));

// ---------------------------------------------------------------------------------------------
// The diff

const TIER_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

export function diffModels(base: NormalizedModel, head: NormalizedModel, opts: DiffOptions = {}): ModelChange[] {
  const out: ModelChange[] = [];
  const ids = new Map<string, string>();
  const tr = (id: string) => ids.get(id) ?? id;
  const mapIds = (b: Named, h: Named) => {
    if (b.id !== h.id) ids.set(b.id, h.id);
  };

  // Pass 1: match everything, so that pass 2 can translate references.
  const baseSlis = new Map(base.services.flatMap((s) => s.slis.map((x) => [x.id, x] as const)));
  const headSlis = new Map(head.services.flatMap((s) => s.slis.map((x) => [x.id, x] as const)));
  const sliSig = (side: 'base' | 'head', id: string) => {
    const s = (side === 'base' ? baseSlis : headSlis).get(id);
    return s ? sliSignature(s) : id;
  };
  const services = match(base.services, head.services, (s) => (s.slis.length ? stable(s.slis.map(sliSignature).sort()) : undefined));
  const policies = match(base.alertingPolicies, head.alertingPolicies, (p) => (p.rules.length ? stable({ rules: p.rules, labels: p.labels }) : undefined));
  const objectives = match(base.objectives, head.objectives, (o) => (o.kpis.length ? stable(o.kpis.map((k) => stable({ m: k.measure, t: k.target, w: k.window })).sort()) : undefined));
  interface ServicePair {
    base: Service;
    head: Service;
    renamed: boolean;
    slis: Match<Sli>;
    slos: Match<Slo>;
    slas: Match<Sla>;
  }
  const servicePairs: ServicePair[] = services.pairs.map(({ base: b, head: h, renamed }) => {
    mapIds(b, h);
    const slis = match(b.slis, h.slis, (s) => sliSignature(s));
    const slos = match(b.slos, h.slos, (s, side) => stable({ sli: sliSig(side, s.sli), objective: s.objective, window: s.window }));
    const slas = match(b.slas, h.slas, (s, side) => stable({ sli: sliSig(side, s.sli), objective: s.objective, window: s.window, credits: s.credits }));
    for (const m of [slis, slos, slas] as Match<Named>[]) for (const p of m.pairs) mapIds(p.base, p.head);
    return { base: b, head: h, renamed, slis, slos, slas };
  });
  for (const p of policies.pairs) mapIds(p.base, p.head);
  const objectivePairs = objectives.pairs.map(({ base: b, head: h, renamed }) => {
    mapIds(b, h);
    const kpis = match(b.kpis, h.kpis, (k) => stable({ m: k.measure, t: k.target, w: k.window }));
    for (const p of kpis.pairs) mapIds(p.base, p.head);
    return { base: b, head: h, renamed, kpis };
  });

  // Pass 2: compare.
  const where = (b?: string, h?: string) => {
    const w = { base: b !== undefined ? opts.where?.('base', b) : undefined, head: h !== undefined ? opts.where?.('head', h) : undefined };
    return w.base === undefined && w.head === undefined ? undefined : w.base === undefined ? { head: w.head } : w.head === undefined ? { base: w.base } : w;
  };
  const push = (c: Omit<ModelChange, 'where'>, baseKey?: string, headKey?: string) => {
    const w = where(baseKey, headKey);
    out.push(w ? { ...c, where: w } : c);
  };
  const changed = (entity: DiffEntity, b: Named, h: Named, field: string, before: unknown, after: unknown, text: string, cls: ChangeClass, reason: string, part: string | null = field) => {
    const key = (id: string) => (part === null ? id : `${id}#${part}`);
    push({ kind: 'changed', entity, id: h.id, ...(b.id !== h.id ? { baseId: b.id } : {}), field, before: json(before), after: json(after), text, class: cls, reason }, key(b.id), key(h.id));
  };
  const meta = (entity: DiffEntity, b: Named, h: Named, fields: readonly string[]) => {
    for (const f of fields) {
      const x = (b as unknown as Record<string, unknown>)[f];
      const y = (h as unknown as Record<string, unknown>)[f];
      if (x === y) continue;
      changed(entity, b, h, f, x, y, x === undefined ? `${f} set to ${JSON.stringify(y)}` : y === undefined ? `${f} ${JSON.stringify(x)} removed` : `${f} ${JSON.stringify(x)} → ${JSON.stringify(y)}`, 'neutral', 'metadata', null);
    }
  };
  const labels = (entity: DiffEntity, b: Named, h: Named, field: string, x: Readonly<Record<string, string>> | undefined, y: Readonly<Record<string, string>> | undefined, reason = 'metadata') => {
    if (deepEqual(x ?? {}, y ?? {})) return;
    const d = labelDelta(x ?? {}, y ?? {});
    if (d) changed(entity, b, h, field, x ?? {}, y ?? {}, `${field}: ${d}`, 'neutral', reason, field === 'labels' ? 'labels' : null);
  };
  const renamed = (entity: DiffEntity, b: Named, h: Named) =>
    push({ kind: 'renamed', entity, id: h.id, baseId: b.id, before: b.name, after: h.name, text: `renamed ${b.name} → ${h.name}`, class: 'neutral', reason: 'renamed' }, b.id, h.id);

  // The project
  const projectNamed = { id: 'project', name: 'project' };
  if (base.project !== head.project) changed('project', projectNamed, projectNamed, 'name', base.project, head.project, `name ${JSON.stringify(base.project ?? '')} → ${JSON.stringify(head.project ?? '')}`, 'neutral', 'metadata', null);
  labels('project', projectNamed, projectNamed, 'labels', base.labels, head.labels);

  // Services, with their SLIs, SLOs and SLAs, in id order (a removed one at its base id).
  const bounds = { base: dependencyBounds(base), head: dependencyBounds(head) };
  type Item = { id: string; run: () => void };
  const items: Item[] = [
    ...servicePairs.map((p) => ({ id: p.head.id, run: () => serviceChanges(p) })),
    ...services.removed.map((s) => ({ id: s.id, run: () => push({ kind: 'removed', entity: 'service', id: s.id, before: s.name, text: `removed${contents(s)}`, class: s.slos.length || s.slas.length ? 'loosening' : 'neutral', reason: s.slos.length || s.slas.length ? 'service-removed' : 'empty-removed' }, s.id) })),
    ...services.added.map((s) => ({ id: s.id, run: () => push({ kind: 'added', entity: 'service', id: s.id, after: s.name, text: `added${contents(s)}`, class: s.slos.length || s.slas.length ? 'tightening' : 'neutral', reason: s.slos.length || s.slas.length ? 'service-added' : 'empty-added' }, undefined, s.id) })),
  ];
  for (const it of items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) it.run();

  function contents(s: Service): string {
    const parts = [s.slis.length && plural(s.slis.length, 'SLI'), s.slos.length && plural(s.slos.length, 'SLO'), s.slas.length && plural(s.slas.length, 'SLA')].filter(Boolean);
    return parts.length ? ` with ${parts.join(', ')}` : '';
  }

  function serviceChanges(p: ServicePair): void {
    const { base: b, head: h } = p;
    if (p.renamed) renamed('service', b, h);
    meta('service', b, h, ['title', 'description', 'owner']);
    if (b.tier !== h.tier) {
      const cls = b.tier && h.tier ? higherLooser(TIER_RANK[b.tier], TIER_RANK[h.tier]) : 'neutral';
      changed('service', b, h, 'tier', b.tier, h.tier, `tier ${b.tier ?? 'none'} → ${h.tier ?? 'none'}`, cls, cls === 'neutral' ? 'metadata' : cls === 'loosening' ? 'tier-lowered' : 'tier-raised', 'tier');
    }
    labels('service', b, h, 'labels', b.labels, h.labels);
    const dep = listDelta(b.dependsOn.map(tr), h.dependsOn);
    if (dep) changed('service', b, h, 'dependsOn', b.dependsOn, h.dependsOn, `depends_on: ${dep}`, 'neutral', 'dependencies', 'depends_on');
    const soft = listDelta(b.softDependsOn.map(tr), h.softDependsOn);
    if (soft) changed('service', b, h, 'softDependsOn', b.softDependsOn, h.softDependsOn, `soft_depends_on: ${soft}`, 'neutral', 'dependencies', null);
    feasibility(b, h);
    children('sli', p.slis, (x, y) => sliChanges(x, y));
    children('slo', p.slos, (x, y) => sloChanges(x, y), (s) => sloAdded(s), (s) => sloRemoved(s));
    children('sla', p.slas, (x, y) => slaChanges(x, y), (s) => `added: ${slaTarget(s)}`, (s) => `removed: ${slaTarget(s)}`);
  }

  function children<T extends Named>(entity: 'sli' | 'slo' | 'sla' | 'kpi', m: Match<T>, compare: (b: T, h: T) => void, addedText?: (t: T) => string, removedText?: (t: T) => string): void {
    const promise = entity !== 'sli';
    for (const t of m.removed) push({ kind: 'removed', entity, id: t.id, before: t.name, text: removedText?.(t) ?? 'removed', class: promise ? 'loosening' : 'neutral', reason: promise ? `${entity}-removed` : 'sli-removed' }, t.id);
    for (const { base: b, head: h, renamed: r } of m.pairs) {
      if (r) renamed(entity, b, h);
      compare(b, h);
    }
    for (const t of m.added) push({ kind: 'added', entity, id: t.id, after: t.name, text: addedText?.(t) ?? 'added', class: promise ? 'tightening' : 'neutral', reason: promise ? `${entity}-added` : 'sli-added' }, undefined, t.id);
  }

  function sloAdded(s: Slo): string {
    const n = s.alerting?.rules.length ?? 0;
    return `added: ${targetText(s.objective, s.window)} (budget ${budgetText(s.errorBudget)}), ${s.alerting ? plural(n, 'alert rule') : 'alerting = none'}`;
  }
  function sloRemoved(s: Slo): string {
    const n = s.alerting?.rules.length ?? 0;
    return `removed: ${targetText(s.objective, s.window)} (budget ${budgetText(s.errorBudget)})${n ? `, and its ${plural(n, 'alert rule')}` : ''}`;
  }
  function slaTarget(s: Sla): string {
    return `${targetText(s.objective, s.window)} (allows ${budgetText(errorBudget(s.objective, s.window))}), ${creditsText(s.credits)}`;
  }

  function sliChanges(b: Sli, h: Sli): void {
    if (deepEqual(b, h)) return; // the common case: nothing to compare field by field
    meta('sli', b, h, ['description']);
    if (b.kind !== h.kind) {
      changed('sli', b, h, 'kind', b.kind, h.kind, `kind ${b.kind} → ${h.kind}`, 'neutral', 'sli-definition', null);
      return;
    }
    const sel = (field: string, x?: { text: string } | string, y?: { text: string } | string) => {
      const tx = typeof x === 'string' ? x : x?.text;
      const ty = typeof y === 'string' ? y : y?.text;
      if (tx !== ty) changed('sli', b, h, field, tx, ty, `${field} ${tx ?? 'none'} → ${ty ?? 'none'}`, 'neutral', 'sli-definition', field === 'errorRatio' ? null : field);
    };
    if (b.kind === 'ratio' && h.kind === 'ratio') {
      sel('good', b.good, h.good);
      sel('bad', b.bad, h.bad);
      sel('total', b.total, h.total);
    } else if (b.kind === 'latency' && h.kind === 'latency') {
      sel('histogram', b.histogram, h.histogram);
      if (b.underSeconds !== h.underSeconds) {
        const cls = higherLooser(b.underSeconds, h.underSeconds);
        changed('sli', b, h, 'underSeconds', b.underSeconds, h.underSeconds, `good under ${formatDuration(b.underSeconds)} → ${formatDuration(h.underSeconds)}`, cls, cls === 'loosening' ? 'latency-raised' : 'latency-lowered', 'under');
      }
    } else if (b.kind === 'timeslice' && h.kind === 'timeslice') {
      sel('gauge', b.gauge, h.gauge);
      if (b.goodWhen.op !== h.goodWhen.op || b.goodWhen.value !== h.goodWhen.value) {
        // Same comparison: a bound moved away from the good side is looser (`< 30` → `< 60`).
        const op = b.goodWhen.op;
        const cls = op !== h.goodWhen.op || op === '==' ? 'neutral' : op === '<' || op === '<=' ? higherLooser(b.goodWhen.value, h.goodWhen.value) : higherLooser(h.goodWhen.value, b.goodWhen.value);
        changed('sli', b, h, 'goodWhen', b.goodWhen, h.goodWhen, `good when ${b.goodWhen.op} ${b.goodWhen.value} → ${h.goodWhen.op} ${h.goodWhen.value}`, cls, cls === 'neutral' ? 'sli-definition' : cls === 'loosening' ? 'good-when-looser' : 'good-when-tighter', 'good_when');
      }
      if (b.sliceSeconds !== h.sliceSeconds) changed('sli', b, h, 'sliceSeconds', b.sliceSeconds, h.sliceSeconds, `slice ${formatDuration(b.sliceSeconds)} → ${formatDuration(h.sliceSeconds)}`, 'neutral', 'sli-definition', 'slice');
    } else if (b.kind === 'promql' && h.kind === 'promql') {
      sel('good', b.good, h.good);
      sel('bad', b.bad, h.bad);
      sel('total', b.total, h.total);
      sel('errorRatio', b.errorRatio, h.errorRatio);
    }
  }

  /** Objective and window of an SLO or SLA: one change when either moved, with the budget in time. */
  function target(entity: 'slo' | 'sla', b: Slo | Sla, h: Slo | Sla): void {
    const ow = b.objective !== h.objective;
    const ww = !sameWindow(b.window, h.window);
    if (!ow && !ww) return;
    const bb = errorBudget(b.objective, b.window);
    const hb = errorBudget(h.objective, h.window);
    const word = entity === 'slo' ? 'budget' : 'allows';
    // A lower objective allows more bad events; a longer window forgives a burst more (a larger budget in time for one incident).
    const oc = higherLooser(h.objective, b.objective);
    const wc = higherLooser(nominalWindowSeconds(b.window), nominalWindowSeconds(h.window));
    const cls = combine(oc, wc);
    const text = ow && !ww ? `${percentText(b.objective)} → ${percentText(h.objective)} over ${windowLabel(h.window)}: ${word} ${budgetText(bb)} → ${budgetText(hb)}` : `${targetText(b.objective, b.window)} → ${targetText(h.objective, h.window)}: ${word} ${budgetText(bb)} → ${budgetText(hb)}`;
    const field = ow && ww ? 'objective,window' : ow ? 'objective' : 'window';
    const reason = cls === 'neutral' ? 'window-same-length' : cls === 'loosening' ? (oc === 'loosening' ? 'objective-lowered' : 'window-longer') : oc === 'tightening' ? 'objective-raised' : 'window-shorter';
    changed(entity, b, h, field, { objective: b.objective, window: b.window, budgetSeconds: bb.seconds }, { objective: h.objective, window: h.window, budgetSeconds: hb.seconds }, text, cls, `${entity}-${reason}`, ow ? 'objective' : 'window');
  }

  function sloChanges(b: Slo, h: Slo): void {
    if (deepEqual(b, h)) return; // the common case: nothing to compare field by field
    meta('slo', b, h, ['title', 'description']);
    if (tr(b.sli) !== h.sli) changed('slo', b, h, 'sli', b.sli, h.sli, `sli ${idPath(b.sli)} → ${idPath(h.sli)}`, 'neutral', 'reference', 'sli');
    target('slo', b, h);
    labels('slo', b, h, 'labels', b.labels, h.labels);
    // The alert name as written: a derived one follows the names, whose renames are reported already.
    if (b.alertName !== h.alertName) changed('slo', b, h, 'alertName', b.alertName, h.alertName, `alert_name ${b.alertName ?? `none (${b.alerting?.name ?? 'no alerts'})`} → ${h.alertName ?? `none (${h.alerting?.name ?? 'no alerts'})`}`, 'neutral', 'alert-metadata', null);
    const ba = b.alerting;
    const ha = h.alerting;
    const policyText = (a: Slo['alerting']) => (a ? (a.policy === 'default' ? 'default' : idPath(a.policy)) : 'none');
    if ((ba ? (ba.policy === 'default' ? 'default' : tr(ba.policy)) : 'none') !== (ha ? ha.policy : 'none')) changed('slo', b, h, 'alerting', ba?.policy ?? null, ha?.policy ?? null, `alerting ${policyText(ba)} → ${policyText(ha)}`, 'neutral', 'alerting-policy', 'alerting');
    if (ba && ha) {
      for (const sev of ['page', 'ticket'] as const) {
        labels('slo', b, h, `${sev}.labels`, ba[sev].labels, ha[sev].labels, 'alert-metadata');
        labels('slo', b, h, `${sev}.annotations`, ba[sev].annotations, ha[sev].annotations, 'alert-metadata');
      }
    }
    sloRules(b, h, ba?.rules ?? [], ha?.rules ?? []);
  }

  function sloRules(b: Slo, h: Slo, rb: readonly SloRule[], rh: readonly SloRule[]): void {
    if (rb.length === rh.length && rb.every((x, i) => sameRule(x, rh[i]))) return;
    const { pairs, removed, added } = pairRules(rb, rh);
    for (const i of removed) {
      const r = rb[i];
      const cls = r.neverFires ? 'neutral' : 'loosening';
      changed('slo', b, h, `rules/${i}`, r, null, `alert rule removed: ${ruleShort(r)} (threshold ${formatPercent(r.threshold)}, fired after ${ttfText(r.timeToFireSeconds)})`, cls, r.neverFires ? 'rule-never-fired' : 'rule-removed', `rules/${i}`);
    }
    for (const [i, j] of pairs) {
      const x = rb[i];
      const y = rh[j];
      if (sameRule(x, y)) continue;
      const sev = x.severity === y.severity ? 'neutral' : y.severity === 'ticket' ? 'loosening' : 'tightening';
      const th = higherLooser(x.threshold, y.threshold);
      const ttf = higherLooser(x.timeToFireSeconds ?? Infinity, y.timeToFireSeconds ?? Infinity);
      const cls = combine(sev, th, ttf);
      const rule = ruleShort(x) === ruleShort(y) ? ruleShort(y) : `${ruleShort(x)} → ${ruleShort(y)}`;
      const nums = [x.threshold !== y.threshold ? `threshold ${formatPercent(x.threshold)} → ${formatPercent(y.threshold)}` : `threshold ${formatPercent(y.threshold)}`, x.timeToFireSeconds !== y.timeToFireSeconds ? `time to fire ${ttfText(x.timeToFireSeconds)} → ${ttfText(y.timeToFireSeconds)}` : `time to fire ${ttfText(y.timeToFireSeconds)}`];
      const reason = cls === 'neutral' ? 'rule-same-numbers' : cls === 'loosening' ? 'rule-looser' : 'rule-tighter';
      push({ kind: 'changed', entity: 'slo', id: h.id, ...(b.id !== h.id ? { baseId: b.id } : {}), field: `rules/${j}`, before: json(x), after: json(y), text: `alert rule ${rule}: ${nums.join(', ')}`, class: cls, reason }, `${b.id}#rules/${i}`, `${h.id}#rules/${j}`);
    }
    for (const j of added) {
      const r = rh[j];
      const cls = r.neverFires ? 'neutral' : 'tightening';
      changed('slo', b, h, `rules/${j}`, null, r, `alert rule added: ${ruleShort(r)} (threshold ${formatPercent(r.threshold)}, fires after ${ttfText(r.timeToFireSeconds)})`, cls, r.neverFires ? 'rule-never-fires' : 'rule-added', `rules/${j}`);
    }
  }

  function credits(b: Sla, h: Sla): void {
    if (deepEqual(b.credits, h.credits)) return;
    // The credit owed at an attainment a: the largest tier whose threshold a is below. Compared at
    // every threshold of either side and just below it: a lower credit anywhere is loosening.
    const owed = (cs: readonly CreditTier[], a: number) => cs.reduce((m, c) => (a < c.below ? Math.max(m, c.credit) : m), 0);
    const points = [...b.credits, ...h.credits].flatMap((c) => [c.below, c.below - 1e-9]);
    const cls = combine(...points.map((a) => higherLooser(owed(h.credits, a), owed(b.credits, a))));
    changed('sla', b, h, 'credits', b.credits, h.credits, `credits ${creditsText(b.credits)} → ${creditsText(h.credits)}`, cls, cls === 'loosening' ? 'credits-lower' : cls === 'tightening' ? 'credits-higher' : 'credits-same', 'credits/0');
  }

  function slaChanges(b: Sla, h: Sla): void {
    if (deepEqual(b, h)) return; // the common case: nothing to compare field by field
    meta('sla', b, h, ['description']);
    if ((b.slo === undefined ? undefined : tr(b.slo)) !== h.slo) changed('sla', b, h, 'slo', b.slo, h.slo, `slo ${b.slo ? idPath(b.slo) : 'none'} → ${h.slo ? idPath(h.slo) : 'none'}`, 'neutral', 'reference', 'slo');
    else if (tr(b.sli) !== h.sli) changed('sla', b, h, 'sli', b.sli, h.sli, `sli ${idPath(b.sli)} → ${idPath(h.sli)}`, 'neutral', 'reference', 'sli');
    target('sla', b, h);
    credits(b, h);
  }

  function feasibility(b: Service, h: Service): void {
    const x = bounds.base.get(b.id);
    const y = bounds.head.get(h.id);
    if (!x && !y) return;
    if (x && y && x.bound === y.bound && x.feasible === y.feasible) return;
    if (!x && y?.feasible) return; // a new bound that holds: nothing to say beyond the depends_on change
    const cls = (x?.feasible ?? true) === (y?.feasible ?? true) ? 'neutral' : y && !y.feasible ? 'loosening' : 'tightening';
    const side = (v?: DependencyBound) => (v ? `${formatPercent(v.bound)} (${v.deps.map((d) => `${idPath(d.service)} ${formatPercent(d.objective)}`).join(' × ')})` : 'none');
    const verdict = y ? (y.feasible ? (x && !x.feasible ? `: objective ${formatPercent(y.objective)} now within it` : '') : `: objective ${formatPercent(y.objective)} ${x && !x.feasible ? 'still above it' : 'no longer within it'}`) : '';
    const reason = cls === 'loosening' ? 'dependency-infeasible' : cls === 'tightening' ? 'dependency-feasible' : 'dependency-bound';
    changed('service', b, h, 'dependencyBound', x ?? null, y ?? null, `dependency bound ${side(x)} → ${side(y)}${verdict}`, cls, reason, 'depends_on');
  }

  // Policies: neutral; their effect is classed on each SLO that uses them (its rules' numbers).
  let uses: Map<string, number> | undefined;
  const usedBy = (policyId: string) => {
    if (!uses) {
      uses = new Map();
      for (const s of head.services) for (const o of s.slos) if (o.alerting) uses.set(o.alerting.policy, (uses.get(o.alerting.policy) ?? 0) + 1);
    }
    return uses.get(policyId) ?? 0;
  };
  for (const p of policies.removed) push({ kind: 'removed', entity: 'policy', id: p.id, before: p.name, text: `removed (${plural(p.rules.length, 'rule')})`, class: 'neutral', reason: 'policy' }, p.id);
  for (const { base: b, head: h, renamed: r } of policies.pairs) {
    if (r) renamed('policy', b, h);
    policyChanges(b, h);
  }
  for (const p of policies.added) push({ kind: 'added', entity: 'policy', id: p.id, after: p.name, text: `added (${plural(p.rules.length, 'rule')})`, class: 'neutral', reason: 'policy' }, undefined, p.id);

  function policyChanges(b: AlertingPolicy, h: AlertingPolicy): void {
    if (deepEqual(b, h)) return; // the common case: nothing to compare field by field
    meta('policy', b, h, ['description']);
    labels('policy', b, h, 'labels', b.labels, h.labels);
    labels('policy', b, h, 'annotations', b.annotations, h.annotations);
    for (const sev of ['page', 'ticket'] as const) {
      labels('policy', b, h, `${sev}.labels`, b[sev]?.labels, h[sev]?.labels);
      labels('policy', b, h, `${sev}.annotations`, b[sev]?.annotations, h[sev]?.annotations);
    }
    const { pairs, removed, added } = pairRules(b.rules, h.rules);
    const n = usedBy(h.id);
    const used = ` (used by ${plural(n, 'SLO')}; classed on each)`;
    for (const i of removed) changed('policy', b, h, `rules/${i}`, b.rules[i], null, `rule removed: ${ruleShort(b.rules[i])}${used}`, 'neutral', 'policy', `rules/${i}`);
    for (const [i, j] of pairs) {
      if (deepEqual(b.rules[i], h.rules[j])) continue;
      push({ kind: 'changed', entity: 'policy', id: h.id, ...(b.id !== h.id ? { baseId: b.id } : {}), field: `rules/${j}`, before: json(b.rules[i]), after: json(h.rules[j]), text: `rule ${ruleShort(b.rules[i])} → ${ruleShort(h.rules[j])}${used}`, class: 'neutral', reason: 'policy' }, `${b.id}#rules/${i}`, `${h.id}#rules/${j}`);
    }
    for (const j of added) changed('policy', b, h, `rules/${j}`, null, h.rules[j], `rule added: ${ruleShort(h.rules[j])}${used}`, 'neutral', 'policy', `rules/${j}`);
  }

  // Objectives and their KPIs
  const objItems: Item[] = [
    ...objectivePairs.map((p) => ({ id: p.head.id, run: () => objectiveChanges(p.base, p.head, p.renamed, p.kpis) })),
    ...objectives.removed.map((o) => ({ id: o.id, run: () => push({ kind: 'removed', entity: 'objective', id: o.id, before: o.name, text: `removed${o.kpis.length ? ` with ${plural(o.kpis.length, 'KPI')}` : ''}`, class: o.kpis.length ? 'loosening' : 'neutral', reason: o.kpis.length ? 'objective-removed' : 'empty-removed' }, o.id) })),
    ...objectives.added.map((o) => ({ id: o.id, run: () => push({ kind: 'added', entity: 'objective', id: o.id, after: o.name, text: `added${o.kpis.length ? ` with ${plural(o.kpis.length, 'KPI')}` : ''}`, class: o.kpis.length ? 'tightening' : 'neutral', reason: o.kpis.length ? 'objective-added' : 'empty-added' }, undefined, o.id) })),
  ];
  for (const it of objItems.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) it.run();

  function objectiveChanges(b: Objective, h: Objective, r: boolean, kpis: Match<Kpi>): void {
    if (r) renamed('objective', b, h);
    meta('objective', b, h, ['title', 'description', 'owner']);
    labels('objective', b, h, 'labels', b.labels, h.labels);
    const sup = listDelta(b.supportedBy.map(tr), h.supportedBy);
    if (sup) changed('objective', b, h, 'supportedBy', b.supportedBy, h.supportedBy, `supported_by: ${sup}`, 'neutral', 'reference', null);
    children('kpi', kpis, kpiChanges, (k) => `added: ${measureText(k)} ${kpiTargetText(k.target)} over ${windowLabel(k.window)}`, (k) => `removed: ${measureText(k)} ${kpiTargetText(k.target)} over ${windowLabel(k.window)}`);
  }

  function kpiChanges(b: Kpi, h: Kpi): void {
    if (deepEqual(b, h)) return; // the common case: nothing to compare field by field
    meta('kpi', b, h, ['description']);
    if (!deepEqual(b.measure, h.measure)) changed('kpi', b, h, 'measure', b.measure, h.measure, `measure ${measureText(b)} → ${measureText(h)}`, 'neutral', 'kpi-definition', 'measure');
    if (!deepEqual(b.target, h.target)) {
      const t = b.target;
      const u = h.target;
      // Same comparison and unit: `>= 3.5%` → `>= 3%` asks less; `<= 1h` → `<= 2h` too.
      const cls = t.op !== u.op || t.unit !== u.unit || t.op === '==' ? 'neutral' : t.op === '>' || t.op === '>=' ? higherLooser(u.value, t.value) : higherLooser(t.value, u.value);
      changed('kpi', b, h, 'target', t, u, `target ${kpiTargetText(t)} → ${kpiTargetText(u)}`, cls, cls === 'loosening' ? 'kpi-target-looser' : cls === 'tightening' ? 'kpi-target-tighter' : 'kpi-definition', 'target');
    }
    if (!sameWindow(b.window, h.window)) changed('kpi', b, h, 'window', b.window, h.window, `window ${windowLabel(b.window)} → ${windowLabel(h.window)}`, 'neutral', 'kpi-definition', 'window');
  }

  return out;
}

const sameRule = (x: SloRule, y: SloRule) =>
  x.severity === y.severity && x.threshold === y.threshold && x.timeToFireSeconds === y.timeToFireSeconds && x.factor === y.factor && x.longWindowSeconds === y.longWindowSeconds && x.shortWindowSeconds === y.shortWindowSeconds && x.forSeconds === y.forSeconds && !!x.singleWindow === !!y.singleWindow;

/**
 * Pairs the alert rules of two versions: first the rules with the same severity and windows (in
 * order), then the rest in order; what is left on either side was removed or added.
 */
export function pairRules(rb: readonly PolicyRule[], rh: readonly PolicyRule[]): { pairs: [number, number][]; removed: number[]; added: number[] } {
  const key = (r: PolicyRule) => `${r.severity}|${r.longWindowSeconds}|${r.shortWindowSeconds}|${!!r.singleWindow}`;
  const pairs: [number, number][] = [];
  const usedB = new Set<number>();
  const usedH = new Set<number>();
  rb.forEach((r, i) => {
    const j = rh.findIndex((s, k) => !usedH.has(k) && key(s) === key(r));
    if (j >= 0) {
      pairs.push([i, j]);
      usedB.add(i);
      usedH.add(j);
    }
  });
  const restB = rb.map((_, i) => i).filter((i) => !usedB.has(i));
  const restH = rh.map((_, j) => j).filter((j) => !usedH.has(j));
  const n = Math.min(restB.length, restH.length);
  for (let k = 0; k < n; k++) pairs.push([restB[k], restH[k]]);
  pairs.sort((a, b) => a[1] - b[1]);
  return { pairs, removed: restB.slice(n), added: restH.slice(n) };
}

// ---------------------------------------------------------------------------------------------
// Dependency bounds (the checker's check/dependency-objective, computed from the model)

export interface DependencyBound {
  /** The service's availability objective (its availability SLO's). */
  readonly objective: number;
  /** The product of its hard dependencies' availability objectives. */
  readonly bound: number;
  readonly deps: { readonly service: string; readonly objective: number }[];
  /** objective ≤ bound. */
  readonly feasible: boolean;
}

/** Per service with an availability SLO and at least one hard dependency that has one: its bound. */
export function dependencyBounds(model: NormalizedModel): Map<string, DependencyBound> {
  const availability = new Map<string, number>();
  for (const s of model.services) {
    const slo = s.availabilitySlo ? s.slos.find((o) => o.id === s.availabilitySlo) : undefined;
    if (slo) availability.set(s.id, slo.objective);
  }
  const out = new Map<string, DependencyBound>();
  for (const s of model.services) {
    const own = availability.get(s.id);
    if (own === undefined) continue;
    const deps = [...new Set(s.dependsOn)].filter((d) => availability.has(d)).map((d) => ({ service: d, objective: availability.get(d)! }));
    if (!deps.length) continue;
    const bound = compositeAvailability(deps.map((d) => d.objective));
    out.set(s.id, { objective: own, bound, deps, feasible: own <= bound + 1e-11 });
  }
  return out;
}

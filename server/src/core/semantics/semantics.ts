// Typed queries over a linked project: the SLO of an SLA, the SLI of an SLO, the policy of an SLO,
// a service's availability SLO, "is this SLO well-formed". The checker, the normalizer, hover and the
// editor's numbers all ask these questions here, so they cannot answer them differently. Answers are
// memoised per SemanticModel (a project snapshot), in the model's units (ratios, seconds).
import type { AlertRule, Block, CreditRule } from '../../../../grammar/src/ast.js';
import type { PaceSymbol, SemanticModel } from '../linking/linker.js';
import { defaultPolicy, defaultPolicyMode, type DefaultPolicyMode, type RuleSpec, type Window } from '../budget/budget.js';
import { memo } from '../model/memo.js';
import { attributeValue, durationOf, percentOf, windowOf } from './values.js';

/** An objective and window read from a block, both valid (0 < objective < 1). */
export interface ObjectiveSpec {
  /** Ratio: 99.9% → 0.999. */
  readonly objective: number;
  readonly window: Window;
}

export interface PolicyRule extends RuleSpec {
  /** Where the rule is written (absent for the default policy's rules). */
  readonly node?: AlertRule;
  readonly uri?: string;
}

export type SloPolicy =
  | { readonly kind: 'default'; readonly name: 'default'; readonly mode: DefaultPolicyMode; readonly explicit: boolean; readonly rules: readonly PolicyRule[] }
  | { readonly kind: 'policy'; readonly name: string; readonly symbol: PaceSymbol; readonly rules: readonly PolicyRule[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'unresolved' };

export interface CreditTierSpec {
  readonly node: CreditRule;
  /** Ratios. */
  readonly credit: number;
  readonly below: number;
}

/** Percent as written → ratio without binary noise (99.9 → 0.999). Remembered: a project writes a few percentages many times. */
export const ratioOfPercent: (percent: number) => number = memo((percent: number) => Number((percent / 100).toPrecision(12)));

/** A well-formed `objective` and `window` of an SLO or SLA block. */
export function objectiveSpec(block: Block): ObjectiveSpec | undefined {
  const p = percentOf(attributeValue(block, 'objective'));
  const window = windowOf(attributeValue(block, 'window'));
  if (p === undefined || !window || p <= 0 || p >= 100) return undefined;
  return { objective: ratioOfPercent(p), window };
}

/** The alert rules written in a policy block, in seconds. */
export function alertRules(block: Block, uri: string): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const m of block.members) {
    if (m.type !== 'alert-rule' || (m.severity.text !== 'page' && m.severity.text !== 'ticket')) continue;
    const factor = m.factor?.type === 'number' && m.factor.unit === 'none' ? m.factor.value : undefined;
    const longMs = durationOf(m.longWindow);
    // `over 1h` alone is a single-window rule: its short window is its long one.
    const shortMs = m.shortWindow ? durationOf(m.shortWindow) : longMs;
    if (factor === undefined || longMs === undefined || shortMs === undefined) continue;
    const forMs = durationOf(m.forDuration);
    rules.push({ severity: m.severity.text, factor, longWindowSeconds: longMs / 1000, shortWindowSeconds: shortMs / 1000, ...(m.shortWindow ? {} : { singleWindow: true as const }), ...(forMs !== undefined ? { forSeconds: forMs / 1000 } : {}), node: m, uri });
  }
  return rules;
}

export function creditTiers(block: Block): CreditTierSpec[] {
  const out: CreditTierSpec[] = [];
  for (const m of block.members) {
    if (m.type !== 'credit') continue;
    const credit = percentOf(m.credit);
    const below = percentOf(m.below);
    if (credit !== undefined && below !== undefined) out.push({ node: m, credit: ratioOfPercent(credit), below: ratioOfPercent(below) });
  }
  return out;
}

export class Semantics {
  private readonly memo = new Map<string, Map<PaceSymbol, unknown>>();
  constructor(readonly model: SemanticModel) {}

  private cached<T>(query: string, s: PaceSymbol, compute: () => T): T {
    let m = this.memo.get(query);
    if (!m) this.memo.set(query, (m = new Map()));
    if (m.has(s)) return m.get(s) as T;
    const v = compute();
    m.set(s, v);
    return v;
  }

  /** The symbol a reference attribute of `s` resolves to (first item of a list). */
  target(s: PaceSymbol, attribute: string): PaceSymbol | undefined {
    const v = attributeValue(s.block, attribute);
    return v?.type === 'ref' ? this.model.byRef.get(v)?.target : undefined;
  }

  /** Every resolved target of a reference-list attribute, in order, without duplicates. */
  targets(s: PaceSymbol, attribute: string): PaceSymbol[] {
    const v = attributeValue(s.block, attribute);
    const items = v?.type === 'list' ? v.items : v ? [v] : [];
    const out: PaceSymbol[] = [];
    for (const i of items) {
      const t = i.type === 'ref' ? this.model.byRef.get(i)?.target : undefined;
      if (t && !out.includes(t)) out.push(t);
    }
    return out;
  }

  /** A well-formed SLO or SLA: its objective and window. */
  spec(s: PaceSymbol): ObjectiveSpec | undefined {
    return this.cached('spec', s, () => objectiveSpec(s.block));
  }

  /** The SLO an SLA rests on (`slo = …`). */
  sloOf(sla: PaceSymbol): PaceSymbol | undefined {
    const t = this.target(sla, 'slo');
    return t?.kind === 'slo' ? t : undefined;
  }

  /** The SLI of an SLO, or of an SLA (its SLO's SLI when written `slo = …`). */
  sliOf(s: PaceSymbol): PaceSymbol | undefined {
    return this.cached('sli', s, () => {
      const own = this.target(s, 'sli');
      if (own?.kind === 'sli') return own;
      if (s.kind !== 'sla') return undefined;
      const slo = this.sloOf(s);
      return slo ? this.sliOf(slo) : undefined;
    });
  }

  /** The SLOs set on an SLI. */
  slosOn(sli: PaceSymbol): PaceSymbol[] {
    return this.cached('slosOn', sli, () => (sli.parent ? this.model.membersOf(sli.parent, 'slo').filter((slo) => this.sliOf(slo) === sli) : []));
  }

  /** The SLOs an SLA is compared with: its SLO, or every SLO on its SLI. */
  slosOfSla(sla: PaceSymbol): PaceSymbol[] {
    const slo = this.sloOf(sla);
    if (slo) return [slo];
    const sli = this.sliOf(sla);
    return sli ? this.slosOn(sli) : [];
  }

  /** How an SLO is alerted: its policy's rules, the default policy scaled to its window, or none. */
  policyOf(slo: PaceSymbol): SloPolicy {
    return this.cached('policy', slo, (): SloPolicy => {
      const v = attributeValue(slo.block, 'alerting');
      const r = v?.type === 'ref' ? this.model.byRef.get(v) : undefined;
      if (!v || r?.builtin === 'default') {
        const spec = this.spec(slo);
        return { kind: 'default', name: 'default', explicit: !!v, mode: spec ? defaultPolicyMode(spec.window) : 'unavailable', rules: spec ? defaultPolicy(spec.window) : [] };
      }
      if (r?.builtin === 'none') return { kind: 'none' };
      const t = r?.target;
      if (!t || t.kind !== 'alerting') return { kind: 'unresolved' };
      // One reading of a policy's rules however many SLOs use it.
      return { kind: 'policy', name: t.name, symbol: t, rules: this.cached('rules', t, () => alertRules(t.block, t.uri)) };
    });
  }

  /** A service's availability SLO: the highest objective among its SLOs on ratio SLIs. */
  availabilitySlo(service: PaceSymbol): { slo: PaceSymbol; objective: number } | undefined {
    return this.cached('availability', service, () => {
      let best: { slo: PaceSymbol; objective: number } | undefined;
      for (const slo of this.model.membersOf(service, 'slo')) {
        if (this.sliOf(slo)?.sliKind !== 'ratio') continue;
        const spec = this.spec(slo);
        if (spec && (!best || spec.objective > best.objective)) best = { slo, objective: spec.objective };
      }
      return best;
    });
  }
}

const bySnapshot = new WeakMap<SemanticModel, Semantics>();
/** The queries of a project snapshot (one instance per SemanticModel). */
export function semanticsOf(model: SemanticModel): Semantics {
  let s = bySnapshot.get(model);
  if (!s) bySnapshot.set(model, (s = new Semantics(model)));
  return s;
}

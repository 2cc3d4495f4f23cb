// Semantic tokens: declaration names by kind, references by the kind they resolve to, attribute
// names, enum values, numbers with their units, and keywords (including those of alert rules and
// credit tiers, which the tree does not keep: they come from the lexer).
import type { Block, Member, Value } from '../../../../grammar/src/ast.js';
import type { Analysis } from '../workspace/workspace.js';
import { blockSpec, type BlockSpec, type SymbolKind } from '../language/blocks.js';
import { lex } from './lex.js';
import { fileOf } from './locate.js';
import type { SemanticToken, SemanticTokenModifier, SemanticTokenType } from './types.js';

export const KIND_TOKEN: Record<SymbolKind, SemanticTokenType> = {
  service: 'namespace',
  sli: 'function',
  slo: 'variable',
  sla: 'struct',
  alerting: 'type',
  objective: 'class',
  kpi: 'interface',
};

export function semanticTokens(analysis: Analysis, uri: string): SemanticToken[] {
  const file = fileOf(analysis, uri);
  if (!file) return [];
  const model = analysis.semantic;
  const byStart = new Map<number, SemanticToken>();
  const put = (start: number, end: number, type: SemanticTokenType, modifiers: SemanticTokenModifier[] = []) => {
    if (end <= start || byStart.has(start)) return;
    byStart.set(start, { start, length: end - start, type, modifiers });
  };

  const visitValue = (v: Value | undefined, spec: BlockSpec | undefined, attr: string | undefined): void => {
    if (!v) return;
    switch (v.type) {
      case 'number':
      case 'bad-number':
        put(v.range.start, v.range.end, 'number');
        return;
      case 'ref': {
        const r = model.byRef.get(v);
        if (r?.builtin) return put(v.range.start, v.range.end, 'enumMember', ['defaultLibrary']);
        if (r) {
          const parts = v.parts;
          if (parts.length === 2) put(parts[0].range.start, parts[0].range.end, KIND_TOKEN.service);
          const last = parts[parts.length - 1];
          if (last) put(last.range.start, last.range.end, KIND_TOKEN[r.target?.kind ?? r.expected]);
          return;
        }
        const kind = spec?.attributes.find((a) => a.name === attr)?.type.kind;
        if (kind === 'enum') return put(v.range.start, v.range.end, 'enumMember');
        if (kind === 'selector') return put(v.range.start, v.range.end, 'macro');
        return;
      }
      case 'list':
        v.items.forEach((i) => visitValue(i, spec, attr));
        return;
      case 'call':
        put(v.fn.range.start, v.fn.range.end, 'function', ['defaultLibrary']);
        v.args.forEach((a) => visitValue(a, spec, attr));
        return;
      case 'comparison':
        put(v.opRange.start, v.opRange.end, 'operator');
        visitValue(v.value, spec, attr);
        return;
      case 'calendar':
        put(v.range.start, v.range.start + 'calendar'.length, 'keyword');
        if (v.unit) put(v.unit.range.start, v.unit.range.end, 'enumMember');
        return;
      case 'selector':
        if (v.metric) put(v.metric.range.start, v.metric.range.end, 'macro');
        for (const m of v.matchers) put(m.label.range.start, m.label.range.end, 'parameter');
        return;
      default:
        return;
    }
  };

  const visit = (members: readonly Member[], parent: Block | undefined, parentSpec: BlockSpec | undefined): void => {
    for (const m of members) {
      switch (m.type) {
        case 'block': {
          const spec = blockSpec(m.keyword.text, m.kind?.text);
          put(m.keyword.range.start, m.keyword.range.end, 'keyword');
          const sym = model.byBlock.get(m);
          const kind = sym?.kind ?? (spec?.declares && (!parent || parentSpec?.blocks.includes(m.keyword.text)) ? spec.declares : undefined);
          if (m.name && kind) put(m.name.range.start, m.name.range.end, KIND_TOKEN[kind], m.doc ? ['declaration', 'documentation'] : ['declaration']);
          if (m.kind) put(m.kind.range.start, m.kind.range.end, 'type', ['defaultLibrary']);
          visit(m.members, m, spec);
          break;
        }
        case 'attribute':
          put(m.name.range.start, m.name.range.end, 'property');
          visitValue(m.value, parentSpec, m.name.text);
          break;
        case 'alert-rule':
          put(m.severity.range.start, m.severity.range.end, 'enumMember');
          if (m.metric) put(m.metric.range.start, m.metric.range.end, 'variable', ['readonly', 'defaultLibrary']);
          for (const v of [m.factor, m.longWindow, m.shortWindow, m.forDuration]) visitValue(v, undefined, undefined);
          break;
        case 'credit':
          put(m.keyword.range.start, m.keyword.range.end, 'keyword');
          for (const v of [m.credit, m.below]) visitValue(v, undefined, undefined);
          break;
      }
    }
  };
  visit(file.ast.members, undefined, undefined);

  // Keywords and numbers the tree does not keep (`when`, `over`, `and`, `for`, `below`, `in`).
  for (const t of lex(file.text).tokens) {
    if (byStart.has(t.start)) continue;
    if (t.keyword && ['when', 'over', 'and', 'for', 'below', 'in', 'calendar'].includes(t.image)) put(t.start, t.end, 'keyword');
    else if (t.type === 'Percentage' || t.type === 'Duration' || t.type === 'NumberLiteral') put(t.start, t.end, 'number');
    else if (['Greater', 'GreaterEq', 'Less', 'LessEq', 'EqEq'].includes(t.type)) put(t.start, t.end, 'operator');
  }
  const out = [...byStart.values()].sort((a, b) => a.start - b.start);
  // Never overlapping.
  const clean: SemanticToken[] = [];
  for (const t of out) {
    const prev = clean[clean.length - 1];
    if (prev && prev.start + prev.length > t.start) continue;
    clean.push(t);
  }
  return clean;
}


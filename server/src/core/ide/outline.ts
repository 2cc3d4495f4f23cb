// Structure of a file: the outline (document symbols), workspace symbols, folding and selection ranges.
import type { Block, Member, Range, Value } from '../../../../grammar/src/ast.js';
import type { Analysis } from '../workspace/workspace.js';
import { blockSpec, KIND_LABEL, type SymbolKind } from '../language/blocks.js';
import { attributeValue } from '../semantics/values.js';
import { fileOf, touches } from './locate.js';
import type { FoldingRange, OutlineSymbol, WorkspaceSymbol } from './types.js';
import { TOP_LEVEL_BLOCKS } from '../language/blocks.js';

function declares(block: Block, parent?: Block): SymbolKind | undefined {
  const spec = blockSpec(block.keyword.text);
  if (!spec?.declares) return undefined;
  if (!parent) return (TOP_LEVEL_BLOCKS as readonly string[]).includes(spec.declares) ? spec.declares : undefined;
  const pspec = blockSpec(parent.keyword.text);
  return pspec?.blocks.includes(block.keyword.text) ? spec.declares : undefined;
}

function valueText(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  switch (v.type) {
    case 'number': return v.raw;
    case 'string': return v.raw;
    case 'ref': return v.parts.map((p) => p.text).join('.');
    case 'calendar': return `calendar ${v.unit?.text ?? ''}`.trim();
    case 'comparison': return `${v.op} ${valueText(v.value) ?? ''}`.trim();
    default: return undefined;
  }
}

function detail(block: Block, kind: SymbolKind): string | undefined {
  switch (kind) {
    case 'sli': return block.kind ? `${block.kind.text} SLI` : 'SLI';
    case 'slo':
    case 'sla': {
      const o = valueText(attributeValue(block, 'objective'));
      const w = valueText(attributeValue(block, 'window'));
      return [o, w && `over ${w}`].filter(Boolean).join(' ') || KIND_LABEL[kind];
    }
    case 'service':
    case 'objective': {
      const t = attributeValue(block, 'title');
      return t?.type === 'string' ? t.value : KIND_LABEL[kind];
    }
    case 'kpi': {
      const t = valueText(attributeValue(block, 'target'));
      return t ? `target ${t}` : 'KPI';
    }
    case 'alerting': {
      const n = block.members.filter((m) => m.type === 'alert-rule').length;
      return `${n} rule${n === 1 ? '' : 's'}`;
    }
  }
}

/** The hierarchical outline: services > SLIs/SLOs/SLAs, alerting policies, objectives > KPIs. */
export function documentSymbols(analysis: Analysis, uri: string): OutlineSymbol[] {
  const file = fileOf(analysis, uri);
  if (!file) return [];
  const out: OutlineSymbol[] = [];
  for (const top of file.ast.members) {
    if (top.type !== 'block' || !top.name) continue;
    const kind = declares(top);
    if (!kind) continue;
    const children: OutlineSymbol[] = [];
    for (const m of top.members) {
      if (m.type !== 'block' || !m.name) continue;
      const k = declares(m, top);
      if (!k) continue;
      children.push({ name: m.name.text, kind: k, detail: detail(m, k), range: m.range, selectionRange: m.name.range, children: [] });
    }
    out.push({ name: top.name.text, kind, detail: detail(top, kind), range: top.range, selectionRange: top.name.range, children });
  }
  return out;
}

/** Fuzzy match: the query's characters in order (case-insensitive); a higher score is better, -1 none. */
export function fuzzyScore(query: string, name: string): number {
  if (!query) return 1;
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  if (n === q) return 1000;
  if (n.startsWith(q)) return 800 - n.length;
  const idx = n.indexOf(q);
  if (idx >= 0) return 600 - idx - n.length;
  let score = 300;
  let pos = -1;
  for (const ch of q) {
    const next = n.indexOf(ch, pos + 1);
    if (next < 0) return -1;
    // Gaps cost; a match at a word start (after _ or .) is worth more.
    score -= next - pos - 1;
    if (next === 0 || n[next - 1] === '_' || n[next - 1] === '.') score += 5;
    pos = next;
  }
  return Math.max(1, score - n.length);
}

export function workspaceSymbols(analyses: readonly Analysis[], query: string, limit = 500): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  for (const a of analyses) {
    for (const s of a.semantic.symbols) {
      // `svc.slo` queries match qualified ids; others match names.
      const score = query.includes('.') ? fuzzyScore(query, s.id) : fuzzyScore(query, s.name);
      if (score < 0) continue;
      out.push({ name: s.name, kind: s.kind, uri: s.uri, range: s.nameRange, containerName: s.parent?.name, score });
    }
  }
  out.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out.slice(0, limit);
}

/** Blocks that span lines, and runs of comments. */
export function foldingRanges(analysis: Analysis, uri: string): FoldingRange[] {
  const file = fileOf(analysis, uri);
  if (!file) return [];
  const text = file.text;
  const out: FoldingRange[] = [];
  const visit = (members: readonly Member[]) => {
    for (const m of members) {
      if (m.type !== 'block') continue;
      const open = m.openBrace?.start ?? m.range.start;
      const close = m.closeBrace?.start ?? m.range.end;
      if (text.slice(open, close).includes('\n')) out.push({ start: m.range.start, end: close, kind: 'region', closer: !!m.closeBrace });
      visit(m.members);
    }
  };
  visit(file.ast.members);
  // Comment runs: consecutive line comments (or doc comments), and multi-line block comments.
  const comments = file.ast.comments;
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    if (c.kind === 'block') {
      if (c.text.includes('\n')) out.push({ start: c.range.start, end: c.range.end - 1, kind: 'comment' });
      continue;
    }
    let j = i;
    while (j + 1 < comments.length && comments[j + 1].kind === c.kind && /^[ \t]*\r?\n[ \t]*$/.test(text.slice(comments[j].range.end, comments[j + 1].range.start))) j++;
    if (j > i) out.push({ start: c.range.start, end: comments[j].range.end - 1, kind: 'comment' });
    i = j;
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Nested ranges around an offset, innermost first: word, value, member, block body, block, … file. */
export function selectionRanges(analysis: Analysis, uri: string, offset: number): Range[] {
  const file = fileOf(analysis, uri);
  if (!file) return [];
  const chain: Range[] = [file.ast.range];
  const push = (r: Range | undefined) => {
    if (!r) return;
    const last = chain[chain.length - 1];
    if (r.start === last.start && r.end === last.end) return;
    if (r.start < last.start || r.end > last.end) return;
    chain.push(r);
  };
  const visitValue = (v: Value | undefined): void => {
    if (!v || !touches(v.range, offset)) return;
    push(v.range);
    if (v.type === 'list') v.items.forEach(visitValue);
    else if (v.type === 'call') v.args.forEach(visitValue);
    else if (v.type === 'comparison') visitValue(v.value);
    else if (v.type === 'ref') {
      for (const p of v.parts) if (touches(p.range, offset)) push(p.range);
    } else if (v.type === 'selector') {
      if (v.metric && touches(v.metric.range, offset)) push(v.metric.range);
      for (const m of v.matchers) {
        if (!touches(m.range, offset)) continue;
        push(m.range);
        if (touches(m.label.range, offset)) push(m.label.range);
        if (m.value && touches(m.value.range, offset)) push(m.value.range);
      }
    } else if (v.type === 'calendar') {
      if (v.unit && touches(v.unit.range, offset)) push(v.unit.range);
      if (v.timeZone && touches(v.timeZone.range, offset)) push(v.timeZone.range);
    }
  };
  const visit = (members: readonly Member[]): void => {
    for (const m of members) {
      if (!touches(m.range, offset)) continue;
      push(m.range);
      switch (m.type) {
        case 'block':
          if (touches(m.keyword.range, offset)) push(m.keyword.range);
          else if (m.name && touches(m.name.range, offset)) push(m.name.range);
          else if (m.kind && touches(m.kind.range, offset)) push(m.kind.range);
          else if (m.openBrace && offset >= m.openBrace.end) {
            push({ start: m.openBrace.end, end: m.closeBrace?.start ?? m.range.end });
            visit(m.members);
          }
          return;
        case 'attribute':
          if (touches(m.name.range, offset)) push(m.name.range);
          else visitValue(m.value);
          return;
        case 'alert-rule':
          if (touches(m.severity.range, offset)) push(m.severity.range);
          for (const v of [m.factor, m.longWindow, m.shortWindow, m.forDuration]) visitValue(v);
          return;
        case 'credit':
          for (const v of [m.credit, m.below]) visitValue(v);
          return;
      }
    }
  };
  visit(file.ast.members);
  return chain.reverse();
}


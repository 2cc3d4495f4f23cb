// Finding things at an offset: the AST path, the symbol under the cursor (declared or referenced),
// and every place that refers to a symbol. Shared by hover, definition, references and rename.
import type { Attribute, Block, Member, PaceFile, Range, RefValue, Value } from '../../../../grammar/src/ast.js';
import type { Analysis, FileAnalysis } from '../workspace/workspace.js';
import type { PaceSymbol, Reference, SemanticModel } from '../linking/linker.js';
import type { Location } from './types.js';

/** The cursor is inside the range or right at its end (the end of a word still counts). */
export function touches(r: Range, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

export function contains(r: Range, offset: number): boolean {
  return r.start <= offset && offset < r.end;
}

export function fileOf(analysis: Analysis, uri: string): FileAnalysis | undefined {
  return analysis.files.get(uri);
}

/** Blocks around the offset, outermost first. */
export function blockPath(file: PaceFile, offset: number): Block[] {
  const path: Block[] = [];
  let members: readonly Member[] = file.members;
  for (;;) {
    const b = members.find((m): m is Block => m.type === 'block' && (contains(m.range, offset) || (!m.closeBrace && m.range.end === offset)));
    if (!b) return path;
    path.push(b);
    members = b.members;
  }
}

/** The member of a block that covers the offset, if any. */
export function memberAt(block: Block | PaceFile, offset: number): Member | undefined {
  return block.members.find((m) => touches(m.range, offset));
}

export function attributeAt(path: readonly Block[], offset: number): Attribute | undefined {
  const inner = path[path.length - 1];
  if (!inner) return undefined;
  const m = memberAt(inner, offset);
  return m?.type === 'attribute' ? m : undefined;
}

/** The innermost value (lists, calls and comparisons opened) that covers the offset. */
export function valueAt(v: Value | undefined, offset: number): Value | undefined {
  if (!v || !touches(v.range, offset)) return undefined;
  if (v.type === 'list') for (const i of v.items) { const x = valueAt(i, offset); if (x) return x; }
  if (v.type === 'call') for (const i of v.args) { const x = valueAt(i, offset); if (x) return x; }
  if (v.type === 'comparison') { const x = valueAt(v.value, offset); if (x) return x; }
  return v;
}

export interface SymbolHit {
  /** The symbol the cursor designates (for `svc.slo`, the service when on `svc`). */
  readonly symbol?: PaceSymbol;
  /** The name under the cursor: a declaration's name or one part of a reference. */
  readonly range: Range;
  readonly declaration: boolean;
  readonly reference?: Reference;
  /** `default` or `none` in `alerting = …`. */
  readonly builtin?: string;
}

/** The declaration or reference under the cursor. */
export function symbolAt(analysis: Analysis, uri: string, offset: number): SymbolHit | undefined {
  const model = analysis.semantic;
  for (const s of model.symbols) {
    if (s.uri === uri && touches(s.nameRange, offset)) return { symbol: s, range: s.nameRange, declaration: true };
  }
  for (const r of model.references) {
    if (r.uri !== uri || !touches(r.ref.range, offset)) continue;
    const parts = r.ref.parts;
    if (parts.length === 2 && touches(parts[0].range, offset) && offset < parts[1].range.start) {
      return { symbol: model.lookupTop('service', parts[0].text), range: parts[0].range, declaration: false, reference: r };
    }
    const last = parts[parts.length - 1];
    if (!last) continue;
    return { symbol: r.target, range: last.range, declaration: false, reference: r, builtin: r.builtin };
  }
  return undefined;
}

/** The range in a reference that names `symbol`: the member part, or the service part of `svc.member`. */
function refRangeFor(model: SemanticModel, r: Reference, symbol: PaceSymbol): Range | undefined {
  const parts = r.ref.parts;
  if (r.target === symbol) return parts[parts.length - 1]?.range;
  if (symbol.kind === 'service' && parts.length === 2 && r.expected !== 'service' && model.lookupTop('service', parts[0].text) === symbol) return parts[0].range;
  return undefined;
}

/** Every reference to a symbol, in the project, sorted by uri and offset. */
export function referencesTo(analysis: Analysis, symbol: PaceSymbol): Location[] {
  const model = analysis.semantic;
  const out: Location[] = [];
  for (const r of model.references) {
    const range = refRangeFor(model, r, symbol);
    if (range) out.push({ uri: r.uri, range });
  }
  return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start - b.range.start));
}

/** The references whose value is exactly this RefValue node. */
export function referenceOf(model: SemanticModel, ref: RefValue): Reference | undefined {
  return model.byRef.get(ref);
}

/** The symbol declared by a block, if the linker accepted it. */
export function symbolOf(model: SemanticModel, block: Block): PaceSymbol | undefined {
  return model.byBlock.get(block);
}

export function qualifiedName(s: PaceSymbol): string {
  return s.id;
}

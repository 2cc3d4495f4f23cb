// Index and link: declarations become symbols in a project-wide namespace, references are resolved
// into a side table. The AST is never touched.
import type { Block, PaceFile, Range, RefValue } from '../../../../grammar/src/ast.js';
import { ALERTING_BUILTINS, TOP_LEVEL_BLOCKS, blockSpec, KIND_LABEL, article, type AttributeSpec, type BlockSpec, type SymbolKind } from '../language/blocks.js';
import { closest, didYouMean } from '../language/suggest.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface PaceSymbol {
  readonly kind: SymbolKind;
  readonly name: string;
  /** `checkout`, `checkout.availability`, `checkout_growth.conversion`. */
  readonly id: string;
  readonly uri: string;
  readonly block: Block;
  readonly nameRange: Range;
  readonly parent?: PaceSymbol;
  /** For SLIs: ratio, latency, timeslice or promql. */
  readonly sliKind?: string;
  /**
   * Set on a second top-level declaration of a name (reported as link/duplicate-name): it and its
   * members are not in `symbols` nor in the project's scopes, and its references (kept out of
   * `references`) resolve against its own members only.
   */
  readonly duplicateOf?: PaceSymbol;
}

export interface Reference {
  readonly uri: string;
  readonly ref: RefValue;
  readonly expected: SymbolKind;
  /** The symbol holding the reference (the SLO for `sli = x`). */
  readonly from?: PaceSymbol;
  readonly attribute: string;
  /** Resolved target; undefined when unresolved or a builtin (`default`). */
  readonly target?: PaceSymbol;
  readonly builtin?: string;
}

export interface FileInput {
  readonly uri: string;
  readonly ast: PaceFile;
}

export class SemanticModel {
  readonly symbols: PaceSymbol[] = [];
  readonly references: Reference[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Top-level: kind → name → symbol (first declaration wins). */
  readonly topLevel = new Map<SymbolKind, Map<string, PaceSymbol>>();
  /** Member scopes of services and objectives: parent symbol → name → symbols of any kind. */
  readonly members = new Map<PaceSymbol, Map<string, PaceSymbol[]>>();
  readonly byBlock = new Map<Block, PaceSymbol>();
  readonly byRef = new Map<RefValue, Reference>();
  private referencesBySymbol?: Map<PaceSymbol, Reference[]>;

  lookupTop(kind: SymbolKind, name: string): PaceSymbol | undefined {
    return this.topLevel.get(kind)?.get(name);
  }
  lookupMember(parent: PaceSymbol, kind: SymbolKind, name: string): PaceSymbol | undefined {
    return this.members.get(parent)?.get(name)?.find((s) => s.kind === kind);
  }
  membersOf(parent: PaceSymbol, kind?: SymbolKind): PaceSymbol[] {
    const out: PaceSymbol[] = [];
    for (const list of this.members.get(parent)?.values() ?? []) for (const s of list) if (!kind || s.kind === kind) out.push(s);
    return out;
  }
  ofKind(kind: SymbolKind): PaceSymbol[] {
    return this.symbols.filter((s) => s.kind === kind);
  }
  referencesTo(symbol: PaceSymbol): Reference[] {
    if (!this.referencesBySymbol) {
      this.referencesBySymbol = new Map();
      for (const r of this.references) {
        if (!r.target) continue;
        const list = this.referencesBySymbol.get(r.target) ?? [];
        list.push(r);
        this.referencesBySymbol.set(r.target, list);
      }
    }
    return this.referencesBySymbol.get(symbol) ?? [];
  }
}

/** Per block kind, its attributes whose values are references (most kinds have none). */
const refSpecs = new WeakMap<BlockSpec, Map<string, AttributeSpec>>();
function refAttributesOf(spec: BlockSpec): Map<string, AttributeSpec> {
  let m = refSpecs.get(spec);
  if (!m) {
    m = new Map(spec.attributes.filter((a) => a.type.kind === 'ref' || a.type.kind === 'refs').map((a) => [a.name, a]));
    refSpecs.set(spec, m);
  }
  return m;
}

export function link(files: readonly FileInput[]): SemanticModel {
  const model = new SemanticModel();
  /** Declares a symbol; false when it duplicates an earlier one (reported). */
  const declare = (sym: PaceSymbol, scope: Map<string, PaceSymbol[]> | undefined, hidden = false): boolean => {
    model.byBlock.set(sym.block, sym);
    if (!scope) {
      const table = model.topLevel.get(sym.kind) ?? new Map<string, PaceSymbol>();
      model.topLevel.set(sym.kind, table);
      const prior = table.get(sym.name);
      if (prior) return duplicate(sym, prior);
      table.set(sym.name, sym);
    } else {
      const prior = scope.get(sym.name)?.find((s) => s.kind === sym.kind);
      if (prior) return duplicate(sym, prior);
      // concat() allocates exactly its elements; a spread keeps room for 16 more (1.5 MB of scopes for 1,000 services).
      scope.set(sym.name, (scope.get(sym.name) ?? []).concat([sym]));
    }
    if (!hidden) model.symbols.push(sym);
    return true;
  };
  const duplicate = (sym: PaceSymbol, prior: PaceSymbol) => {
    const where = sym.parent ? ` in ${KIND_LABEL[sym.parent.kind]} '${sym.parent.name}'` : '';
    model.diagnostics.push(
      diagnostic('link/duplicate-name', sym.uri, sym.nameRange, `${capital(KIND_LABEL[sym.kind])} '${sym.name}' is already declared${where}.`, {
        related: [{ uri: prior.uri, range: prior.nameRange, message: `'${prior.name}' is first declared here.` }],
      }),
    );
    return false;
  };

  // 1. Index every declaration.
  for (const f of files) {
    for (const top of f.ast.members) {
      if (top.type !== 'block' || !top.name) continue;
      const spec = blockSpec(top.keyword.text);
      if (!spec?.declares || !(TOP_LEVEL_BLOCKS as readonly string[]).includes(spec.declares)) continue;
      const sym: PaceSymbol = { kind: spec.declares, name: top.name.text, id: top.name.text, uri: f.uri, block: top, nameRange: top.name.range };
      if (sym.kind === 'alerting' && (ALERTING_BUILTINS as readonly string[]).includes(sym.name)) {
        model.diagnostics.push(diagnostic('link/reserved-name', f.uri, sym.nameRange, `'${sym.name}' is a built-in alerting choice and cannot name a policy.`));
        continue;
      }
      // A duplicate must not replace the member scope of the first declaration: it gets one of its
      // own, outside the namespace, so that its references to its own members still resolve.
      const first = declare(sym, undefined);
      const owner: PaceSymbol = first ? sym : { ...sym, duplicateOf: model.lookupTop(sym.kind, sym.name) };
      if (!first) model.byBlock.set(top, owner);
      const scope = new Map<string, PaceSymbol[]>();
      model.members.set(owner, scope);
      for (const m of top.members) {
        if (m.type !== 'block' || !m.name) continue;
        const child = blockSpec(m.keyword.text);
        if (!child?.declares || !spec.blocks.includes(m.keyword.text)) continue;
        declare(
          {
            kind: child.declares,
            name: m.name.text,
            id: `${sym.id}.${m.name.text}`,
            uri: f.uri,
            block: m,
            nameRange: m.name.range,
            parent: owner,
            sliKind: child.declares === 'sli' ? m.kind?.text : undefined,
          },
          scope,
          !first,
        );
      }
    }
  }

  // 2. Resolve references.
  const visit = (uri: string, block: Block, owner: PaceSymbol | undefined, service: PaceSymbol | undefined) => {
    const spec = blockSpec(block.keyword.text, block.kind?.text);
    if (!spec) return;
    const self = model.byBlock.get(block) ?? owner;
    const refAttrs = refAttributesOf(spec);
    for (const m of block.members) {
      if (m.type === 'block') visit(uri, m, self, service);
      else if (m.type === 'attribute' && m.value && refAttrs.size) {
        const attr = refAttrs.get(m.name.text);
        if (!attr) continue;
        if (m.value.type === 'ref') resolve(uri, m.value, attr, self, service);
        else if (m.value.type === 'list') for (const v of m.value.items) if (v.type === 'ref') resolve(uri, v, attr, self, service);
      }
    }
  };
  const resolve = (uri: string, ref: RefValue, attr: AttributeSpec, from: PaceSymbol | undefined, service: PaceSymbol | undefined) => {
    const t = attr.type as { kind: 'ref' | 'refs'; to: SymbolKind; builtins?: readonly string[]; qualified?: boolean };
    const names = ref.parts.map((p) => p.text);
    const push = (r: Omit<Reference, 'uri' | 'ref' | 'expected' | 'from' | 'attribute'>) => {
      const full: Reference = { uri, ref, expected: t.to, from, attribute: attr.name, ...r };
      if (!(from?.duplicateOf ?? from?.parent?.duplicateOf)) model.references.push(full);
      model.byRef.set(ref, full);
    };
    if (names.length === 1 && t.builtins?.includes(names[0])) return push({ builtin: names[0] });
    const memberKind = t.to === 'sli' || t.to === 'slo' || t.to === 'sla';
    let scopeOwner: PaceSymbol | undefined;
    let name: string;
    if (memberKind) {
      if (names.length === 2) {
        scopeOwner = model.lookupTop('service', names[0]);
        name = names[1];
        if (!scopeOwner) {
          push({});
          const cands = [...(model.topLevel.get('service')?.keys() ?? [])];
          return void model.diagnostics.push(
            diagnostic('link/unresolved-reference', uri, ref.parts[0].range, `Could not resolve service '${names[0]}'.${didYouMean(closest(names[0], cands))}`, { fixes: renameFix(uri, ref.parts[0].range, closest(names[0], cands)) }),
          );
        }
      } else if (names.length === 1 && !t.qualified) {
        scopeOwner = service;
        name = names[0];
      } else {
        push({});
        return void model.diagnostics.push(diagnostic('link/unresolved-reference', uri, ref.range, `Expected a reference of the form service.${t.to}, found '${names.join('.')}'.`));
      }
      const target = scopeOwner ? model.lookupMember(scopeOwner, t.to, name) : undefined;
      if (target) return push({ target });
      push({});
      const other = scopeOwner ? model.members.get(scopeOwner)?.get(name)?.[0] : undefined;
      const range = ref.parts[ref.parts.length - 1].range;
      if (other) {
        return void model.diagnostics.push(
          diagnostic('link/wrong-kind', uri, range, `'${name}' is ${article(other.kind)}, but '${attr.name}' expects ${article(t.to)}.`, {
            related: [{ uri: other.uri, range: other.nameRange, message: `'${name}' is declared here.` }],
          }),
        );
      }
      const cands = scopeOwner ? model.membersOf(scopeOwner, t.to).map((s) => s.name) : [];
      const guess = closest(name, cands);
      const inWhat = scopeOwner ? ` in service '${scopeOwner.name}'` : '';
      return void model.diagnostics.push(
        diagnostic('link/unresolved-reference', uri, range, `Could not resolve ${KIND_LABEL[t.to]} '${name}'${inWhat}.${didYouMean(guess)}`, { fixes: renameFix(uri, range, guess) }),
      );
    }
    if (names.length !== 1) {
      push({});
      return void model.diagnostics.push(diagnostic('link/unresolved-reference', uri, ref.range, `Expected the name of ${article(t.to)}, found '${names.join('.')}'.`));
    }
    const target = model.lookupTop(t.to, names[0]);
    if (target) return push({ target });
    push({});
    for (const k of TOP_LEVEL_BLOCKS as readonly SymbolKind[]) {
      const other = model.lookupTop(k, names[0]);
      if (other) {
        return void model.diagnostics.push(
          diagnostic('link/wrong-kind', uri, ref.range, `'${names[0]}' is ${article(k)}, but '${attr.name}' expects ${article(t.to)}.`, {
            related: [{ uri: other.uri, range: other.nameRange, message: `'${names[0]}' is declared here.` }],
          }),
        );
      }
    }
    const cands = [...(model.topLevel.get(t.to)?.keys() ?? []), ...(t.builtins ?? [])];
    const guess = closest(names[0], cands);
    model.diagnostics.push(
      diagnostic('link/unresolved-reference', uri, ref.range, `Could not resolve ${KIND_LABEL[t.to]} '${names[0]}'.${didYouMean(guess)}`, { fixes: renameFix(uri, ref.range, guess) }),
    );
  };
  for (const f of files) {
    for (const top of f.ast.members) {
      if (top.type !== 'block') continue;
      const sym = model.byBlock.get(top);
      visit(f.uri, top, sym, sym?.kind === 'service' ? sym : undefined);
    }
  }

  // 3. Dependency cycles (hard and soft dependencies alike).
  findCycles(model);
  return model;
}

/** Services, alerting policies and objectives may share a name: member scopes are keyed by kind too. */

function renameFix(uri: string, range: Range, to: string | undefined) {
  return to ? [{ title: `Change to '${to}'`, edits: [{ uri, range, newText: to }], preferred: true }] : undefined;
}

function capital(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

function findCycles(model: SemanticModel): void {
  const edges = new Map<PaceSymbol, Reference[]>();
  for (const r of model.references) {
    if (r.expected !== 'service' || !r.target || !r.from || r.from.kind !== 'service') continue;
    const list = edges.get(r.from);
    if (list) list.push(r);
    else edges.set(r.from, [r]);
  }
  const state = new Map<PaceSymbol, 1 | 2>();
  const stack: Reference[] = [];
  const reported = new Set<string>();
  const onBackEdge = (r: Reference, t: PaceSymbol) => {
    const startIdx = stack.findIndex((e) => e.from === t);
    const cycle = [...stack.slice(startIdx === -1 ? stack.length : startIdx), r];
    const names = [t.name, ...cycle.map((e) => e.target!.name)];
    const key = [...new Set(names)].sort().join(',');
    if (reported.has(key)) return;
    reported.add(key);
    model.diagnostics.push(
      diagnostic('link/dependency-cycle', r.uri, r.ref.range, `Dependency cycle: ${names.join(' → ')}.`, {
        related: cycle.filter((e) => e !== r).map((e) => ({ uri: e.uri, range: e.ref.range, message: `'${e.from!.name}' depends on '${e.target!.name}' here.` })),
      }),
    );
  };
  // Depth-first, with an explicit stack of frames: a chain of 10,000 services would overflow the
  // call stack of a recursive walk. `stack` holds the edges from the root to the current service.
  const dfs = (root: PaceSymbol) => {
    const frames: { s: PaceSymbol; out: readonly Reference[]; i: number }[] = [{ s: root, out: edges.get(root) ?? [], i: 0 }];
    state.set(root, 1);
    while (frames.length) {
      const f = frames[frames.length - 1];
      if (f.i === f.out.length) {
        state.set(f.s, 2);
        frames.pop();
        if (frames.length) stack.pop();
        continue;
      }
      const r = f.out[f.i++];
      const t = r.target!;
      if (state.get(t) === 1) onBackEdge(r, t);
      else if (!state.has(t)) {
        stack.push(r);
        state.set(t, 1);
        frames.push({ s: t, out: edges.get(t) ?? [], i: 0 });
      }
    }
  };
  for (const s of model.ofKind('service').sort((a, b) => (a.name < b.name ? -1 : 1))) if (!state.has(s)) dfs(s);
}


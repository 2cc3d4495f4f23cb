// Completion. Works on incomplete code: the context (enclosing blocks, the statement being written)
// is read from the tokens before the cursor, from the start of the enclosing top-level block; the
// syntax tree and the semantic model supply what is declared (attributes already set, SLIs, SLOs,
// services, policies). Every attribute, block and value comes from the block table.
import type { Block } from '../../../../grammar/src/ast.js';
import type { Analysis } from '../workspace/workspace.js';
import type { PaceSymbol, SemanticModel } from '../linking/linker.js';
import {
  ALERTING_BUILTINS,
  BLOCKS,
  CALENDAR_UNITS,
  MEASURE_FUNCTIONS,
  SEVERITIES,
  SLI_KINDS,
  TOP_LEVEL_BLOCKS,
  blockSpec,
  describeType,
  KIND_LABEL,
  type AttributeSpec,
  type BlockSpec,
  type SymbolKind,
} from '../language/blocks.js';
import { chunkStarts } from '../workspace/incremental.js';
import { attributeDoc, blockDoc, enumDoc, symbolDoc } from './hover.js';
import { isCompare, isIdent, isNumberTok, lex, type Tok } from './lex.js';
import { blockPath, fileOf } from './locate.js';
import type { CompletionItem, Range } from './types.js';
import { UNITS } from '../../../../grammar/src/units.js';

interface Frame {
  readonly type: 'block' | 'selector' | 'paren' | 'bracket';
  readonly keyword?: string;
  readonly keywordStart?: number;
  readonly name?: string;
  readonly kind?: string;
  /** Attributes seen before the cursor (a fallback when the syntax tree lost the block). */
  readonly seen: Set<string>;
}

export interface CompletionContext {
  /** Blocks around the cursor, outermost first. */
  readonly blocks: Frame[];
  /** The innermost open bracket: a selector's `{`, a call's `(` or a list's `[`. */
  readonly open?: Frame['type'];
  /** Tokens of the member being written, before the word at the cursor. */
  readonly statement: Tok[];
  /** The word being typed (replaced by the completion). */
  readonly word: Range;
  readonly inCommentOrString: boolean;
}


/** Reads the completion context from the text before `offset`. */
export function completionContext(text: string, offset: number): CompletionContext {
  // The word being typed, read on its line only: a `$`-anchored regex over the text before the
  // cursor is tried at every word start of it (2 ms a request in a 10,000-line file).
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const wordMatch = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  let wordStart = offset;
  if (wordMatch && !/[0-9]$/.test(before.slice(0, wordMatch.index))) wordStart = lineStart + wordMatch.index;
  const starts = chunkStarts(text);
  let from = 0;
  for (const s of starts) if (s <= wordStart) from = s;
  const lineEnd = text.indexOf('\n', offset);
  const lexed = lex(text, from, lineEnd < 0 ? text.length : lineEnd);
  const inside = (t: Tok) => t.start < offset && (offset < t.end || (offset === t.end && (t.type === 'LineComment' || t.type === 'DocComment' || /^Unterminated/.test(t.type))));
  const inCommentOrString = lexed.comments.some(inside) || lexed.tokens.some((t) => /String/.test(t.type) && inside(t));

  const frames: Frame[] = [];
  let stmt: Tok[] = [];
  const blockLevel = () => {
    const top = frames[frames.length - 1];
    return !top || top.type === 'block';
  };
  const isHeader = (s: Tok[]) =>
    (s.length === 1 && isIdent(s[0])) || (s.length === 2 && isIdent(s[0]) && isIdent(s[1])) || (s.length === 4 && isIdent(s[0]) && isIdent(s[1]) && s[2].type === 'Equals' && isIdent(s[3]));
  const continues = (t: Tok | undefined) => !!t && (t.type === 'Equals' || isCompare(t) || t.type === 'Comma' || t.type === 'Dot');
  for (const t of lexed.tokens) {
    if (t.end > wordStart) break;
    if (blockLevel() && stmt.length && t.type !== 'LBrace' && !continues(stmt[stmt.length - 1]) && text.slice(stmt[stmt.length - 1].end, t.start).includes('\n')) stmt = [];
    switch (t.type) {
      case 'LBrace':
        if (blockLevel() && isHeader(stmt)) {
          frames.push({ type: 'block', keyword: stmt[0].image, keywordStart: stmt[0].start, name: stmt.length >= 2 ? stmt[1].image : undefined, kind: stmt.length === 4 ? stmt[3].image : undefined, seen: new Set() });
          stmt = [];
        } else {
          frames.push({ type: 'selector', seen: new Set() });
          stmt.push(t);
        }
        continue;
      case 'RBrace': {
        const top = frames.pop();
        if (!top || top.type === 'block') stmt = [];
        else stmt.push(t);
        continue;
      }
      case 'LParen':
        frames.push({ type: 'paren', seen: new Set() });
        stmt.push(t);
        continue;
      case 'LBracket':
        frames.push({ type: 'bracket', seen: new Set() });
        stmt.push(t);
        continue;
      case 'RParen':
      case 'RBracket':
        if (frames[frames.length - 1]?.type === (t.type === 'RParen' ? 'paren' : 'bracket')) frames.pop();
        stmt.push(t);
        continue;
      case 'Comma':
        if (blockLevel()) stmt = [];
        else stmt.push(t);
        continue;
      default:
        stmt.push(t);
        if (stmt.length === 2 && isIdent(stmt[0]) && (t.type === 'Equals' || isCompare(t))) {
          const top = [...frames].reverse().find((f) => f.type === 'block');
          top?.seen.add(stmt[0].image);
        }
    }
  }
  if (blockLevel() && stmt.length && !continues(stmt[stmt.length - 1]) && text.slice(stmt[stmt.length - 1].end, wordStart).includes('\n')) stmt = [];
  const top = frames[frames.length - 1];
  return {
    blocks: frames.filter((f) => f.type === 'block'),
    open: top && top.type !== 'block' ? top.type : undefined,
    statement: stmt,
    word: { start: wordStart, end: offset },
    inCommentOrString,
  };
}

export function complete(analysis: Analysis, uri: string, offset: number): CompletionItem[] {
  const file = fileOf(analysis, uri);
  if (!file) return [];
  const ctx = completionContext(file.text, offset);
  if (ctx.inCommentOrString) return [];
  const c = new Completer(analysis, file.text, file.ast, ctx, offset);
  return c.run();
}

class Completer {
  private readonly model: SemanticModel;
  private readonly items: CompletionItem[] = [];
  constructor(
    analysis: Analysis,
    private readonly text: string,
    private readonly ast: import('../../../../grammar/src/ast.js').PaceFile,
    private readonly ctx: CompletionContext,
    private readonly offset: number,
  ) {
    this.model = analysis.semantic;
  }

  run(): CompletionItem[] {
    const { ctx } = this;
    const frame = ctx.blocks[ctx.blocks.length - 1];
    const spec = frame ? blockSpec(frame.keyword!, frame.kind) : undefined;
    const s = ctx.statement;

    // Units right after a number: `99.9` → `99.9%`, `30` → `30d`.
    const lineStart = this.text.lastIndexOf('\n', this.offset - 1) + 1;
    const line = this.text.slice(lineStart, this.offset);
    const num = /(?:[0-9]+(?:ms|s|m|h|d|w))*[0-9]+(?:\.[0-9]+)?$/.exec(line);
    if (num && !/[A-Za-z0-9_.]$/.test(line.slice(0, num.index)) && ctx.open !== 'selector') {
      this.units(num[0], { start: lineStart + num.index, end: this.offset }, this.expectedUnitType(spec, s));
      return this.items;
    }
    if (ctx.open === 'selector') return [];

    if (!frame) {
      if (s.length === 0) this.topLevelKeywords();
      return this.items;
    }
    if (!spec) return [];
    if (s.length === 0) {
      this.memberStart(frame, spec);
      return this.items;
    }
    // `sli NAME = |`
    if (s.length === 3 && s[0].image === 'sli' && isIdent(s[1]) && s[2].type === 'Equals' && spec.blocks.includes('sli')) {
      this.sliKinds();
      return this.items;
    }
    // Alert rules and credit tiers.
    if (spec.rules === 'alert' && isIdent(s[0]) && !s.some((t) => t.type === 'Equals')) {
      this.alertRuleWords(s);
      return this.items;
    }
    if (spec.rules === 'credit' && s[0].image === 'credit' && s[1]?.type !== 'Equals') {
      if (s.length === 2 && isNumberTok(s[1])) this.keyword('below', 'Then the attainment under which the credit is owed: `credit 10% below 99.5%`.');
      return this.items;
    }
    // `name = value` or `name OP value`.
    if (isIdent(s[0]) && s[1] && (s[1].type === 'Equals' || isCompare(s[1]))) {
      const attr = spec.attributes.find((a) => a.name === s[0].image);
      if (attr) this.value(attr, s.slice(2));
    }
    return this.items;
  }

  // ---- helpers -----------------------------------------------------------------------------

  private add(item: Omit<CompletionItem, 'range'> & { range?: Range }): void {
    this.items.push({ ...item, range: item.range ?? this.ctx.word, sortText: item.sortText ?? String(this.items.length).padStart(4, '0') });
  }

  private keyword(word: string, doc: string): void {
    this.add({ label: word, kind: 'keyword', documentation: doc });
  }

  /** The AST block a context frame stands for. */
  private astBlock(frame: Frame): Block | undefined {
    if (frame.keywordStart === undefined) return undefined;
    return blockPath(this.ast, frame.keywordStart).find((b) => b.keyword.range.start === frame.keywordStart);
  }

  private expectedUnitType(spec: BlockSpec | undefined, stmt: Tok[]): string | undefined {
    if (!spec) return undefined;
    // The number being typed is the statement's last token: look at what comes before it.
    const s = stmt.length && stmt[stmt.length - 1].end === this.offset ? stmt.slice(0, -1) : stmt;
    if (spec.rules === 'alert' && s.length && !s.some((t) => t.type === 'Equals')) {
      const last = s[s.length - 1]?.image;
      return last === 'over' || last === 'and' || last === 'for' ? 'duration' : 'number';
    }
    if (spec.rules === 'credit' && s[0]?.image === 'credit') return 'percent';
    const attr = s.length >= 2 ? spec.attributes.find((a) => a.name === s[0].image) : undefined;
    if (!attr) return undefined;
    if (attr.type.kind === 'comparison') return undefined;
    return attr.type.kind;
  }

  private units(number: string, range: Range, type: string | undefined): void {
    if (type === 'number') return;
    for (const u of UNITS) {
      if (type && !u.types.includes(type)) continue;
      if (u.unit !== '%' && number.includes('.')) continue;
      this.add({ label: number + u.unit, kind: 'unit', detail: u.doc, documentation: `\`${number}${u.unit}\`: ${number} ${u.doc}.`, range, filterText: number + u.unit });
    }
  }

  private topLevelKeywords(): void {
    for (const kw of TOP_LEVEL_BLOCKS) {
      const spec = BLOCKS[kw];
      this.add({ label: kw, kind: 'block', detail: spec.title, documentation: blockDoc(spec), insertText: `${kw} \${1:name} {\n  $0\n}`, snippet: true });
    }
  }

  private memberStart(frame: Frame, spec: BlockSpec): void {
    if (spec.map) return;
    const block = this.astBlock(frame);
    const set = new Set(frame.seen);
    for (const m of block?.members ?? []) if (m.type === 'attribute' && !(m.name.range.start <= this.offset && this.offset <= m.name.range.end)) set.add(m.name.text);
    if (spec.kinds && !frame.kind) return;
    // Of a group of which exactly one may be set (`slo`/`sli` of an SLA, `good`/`bad`), offer none
    // once one is set.
    const excluded = new Set<string>();
    for (const group of spec.exactlyOne ?? []) if (group.some((a) => set.has(a))) for (const a of group) excluded.add(a);
    for (const attr of spec.attributes) {
      if (set.has(attr.name) || excluded.has(attr.name)) continue;
      this.add({
        label: attr.name,
        kind: 'attribute',
        detail: describeType(attr.type) + (attr.required ? ' (required)' : ''),
        documentation: attributeDoc(attr),
        insertText: attributeSnippet(attr),
        snippet: true,
        sortText: (attr.required ? '0' : '1') + attr.name,
      });
    }
    for (const kw of spec.blocks) {
      const child = BLOCKS[kw];
      const insert = child.map
        ? `${kw} { \${1:${kw === 'labels' ? 'team' : 'summary'}} = "\${2}" }`
        : kw === 'sli'
          ? `sli \${1:name} = \${2|${SLI_KINDS.join(',')}|} {\n  $0\n}`
          : child.named
            ? `${kw} \${1:name} {\n  $0\n}`
            : `${kw} {\n  $0\n}`;
      // An unnamed block is written once per block (a second one is check/duplicate-block).
      if (!child.named && block?.members.some((m) => m.type === 'block' && m.keyword.text === kw)) continue;
      // In a policy, `page` and `ticket` also start rules: the block gets its own label.
      const label = spec.rules === 'alert' && (SEVERITIES as readonly string[]).includes(kw) ? `${kw} { … }` : kw;
      this.add({ label, kind: 'block', detail: child.title, documentation: blockDoc(child), insertText: insert, snippet: true, sortText: '2' + kw, ...(label !== kw ? { filterText: kw } : {}) });
    }
    if (spec.rules === 'alert') {
      for (const sev of SEVERITIES) {
        this.add({ label: sev, kind: 'keyword', detail: `${sev} when burn_rate > … over … and …`, documentation: `${enumDoc(sev)}\n\n${spec.doc}`, insertText: `${sev} when burn_rate > \${1:14.4} over \${2:1h} and \${3:5m}`, snippet: true, sortText: '0' + sev });
      }
    }
    if (spec.rules === 'credit') {
      this.add({ label: 'credit', kind: 'keyword', detail: 'credit P below O', documentation: 'A service-credit tier: `credit 10% below 99.5%` — 10% of the bill is credited when attainment falls below 99.5%. Tiers go from the highest threshold to the lowest.', insertText: 'credit ${1:10}% below ${2:99.5}%', snippet: true, sortText: '3credit' });
    }
  }

  private sliKinds(): void {
    for (const k of SLI_KINDS) {
      const spec = BLOCKS[`sli:${k}`];
      this.add({ label: k, kind: 'kind', detail: spec.title, documentation: blockDoc(spec) });
    }
  }

  private alertRuleWords(s: Tok[]): void {
    const words = s.map((t) => t.image);
    const last = words[words.length - 1];
    const doc = BLOCKS.alerting.doc;
    if (words.length === 1) return this.keyword('when', doc);
    if (last === 'when') return this.add({ label: 'burn_rate', kind: 'keyword', documentation: 'The burn rate: the error rate divided by the error budget. 1 spends exactly the budget over the SLO window.' });
    if (isNumberTok(s[s.length - 1])) {
      const prev = words[words.length - 2];
      if (isCompare(s[s.length - 2])) return this.keyword('over', 'The long window: `over 1h and 5m`.');
      if (prev === 'over') {
        this.keyword('and', 'The short window, which makes the alert reset quickly: `and 5m`. Without it, a single-window rule.');
        return this.keyword('for', 'Optional: how long the window must stay above the threshold before firing: `for 5m`.');
      }
      if (prev === 'and') return this.keyword('for', 'Optional: how long both windows must stay above the threshold before firing: `for 2m`.');
    }
  }

  private value(attr: AttributeSpec, rest: Tok[]): void {
    const t = attr.type;
    switch (t.kind) {
      case 'enum':
        if (rest.length === 0) for (const v of t.values) this.add({ label: v, kind: 'enum', detail: attr.name, documentation: [enumDoc(v), attr.doc].filter(Boolean).join('\n\n') });
        return;
      case 'window':
        if (rest.length === 0) {
          for (const u of CALENDAR_UNITS) this.add({ label: `calendar ${u}`, kind: 'value', detail: 'calendar window', documentation: `${enumDoc(u)}\n\n${attr.doc}`, filterText: `calendar ${u}` });
          for (const d of ['28d', '30d', '7d']) this.add({ label: d, kind: 'value', detail: 'rolling window', documentation: `A rolling window of ${d}.\n\n${attr.doc}` });
        } else if (rest.length === 1 && rest[0].image === 'calendar') {
          for (const u of CALENDAR_UNITS) this.add({ label: u, kind: 'enum', detail: 'calendar unit', documentation: enumDoc(u) });
        } else if (rest.length === 2 && rest[0].image === 'calendar') {
          this.add({ label: 'in', kind: 'keyword', detail: 'in "Time/Zone"', documentation: 'The time zone of the calendar (IANA name, default UTC): `calendar month in "Europe/Paris"`.', insertText: 'in "${1:Europe/Paris}"', snippet: true });
        }
        return;
      case 'ref': {
        const memberKind = t.to === 'sli' || t.to === 'slo' || t.to === 'sla';
        // `sli = auth.|`: the members of that service (a qualified reference).
        if (memberKind && rest.length === 2 && isIdent(rest[0]) && rest[1].type === 'Dot') {
          const svc = this.model.lookupTop('service', rest[0].image);
          for (const s of svc ? this.model.membersOf(svc, t.to) : []) this.reference(s, s.name);
          return;
        }
        if (rest.length) return;
        if (t.to === 'alerting') {
          for (const b of t.builtins ?? ALERTING_BUILTINS) this.add({ label: b, kind: 'enum', detail: 'built-in', documentation: b === 'default' ? 'The SRE workbook multiwindow, multi-burn-rate policy, scaled to the SLO window.' : 'No alerting for this SLO.' });
          for (const p of this.model.ofKind('alerting')) this.reference(p);
          return;
        }
        for (const s of this.members(t.to)) this.reference(s);
        if (memberKind) this.qualifiers(t.to);
        return;
      }
      case 'refs': {
        const inList = this.ctx.open === 'bracket';
        const listed = new Set(rest.filter((x) => isIdent(x)).map((x) => x.image));
        if (t.qualified) {
          const dotted = rest.length >= 2 && rest[rest.length - 1].type === 'Dot' && isIdent(rest[rest.length - 2]) ? rest[rest.length - 2].image : undefined;
          if (dotted) {
            const svc = this.model.lookupTop('service', dotted);
            for (const s of svc ? this.model.membersOf(svc, t.to) : []) this.reference(s, s.name);
            return;
          }
          for (const svc of this.model.ofKind('service')) for (const s of this.model.membersOf(svc, t.to)) this.reference(s, inList ? s.id : `[${s.id}]`, s.id);
          return;
        }
        const self = this.ctx.blocks[0]?.keyword === 'service' ? this.ctx.blocks[0].name : undefined;
        for (const s of this.model.ofKind(t.to)) {
          if (s.name === self || listed.has(s.name)) continue;
          this.reference(s, inList ? s.name : `[${s.name}]`);
        }
        return;
      }
      case 'measure':
        if (rest.length === 0) {
          for (const fn of MEASURE_FUNCTIONS) {
            const insert = fn === 'ratio' ? 'ratio(${1:good_total}, ${2:all_total})' : `${fn}(\${1:metric})`;
            this.add({ label: fn, kind: 'function', detail: fn === 'ratio' ? 'ratio(a, b)' : `${fn}(selector)`, documentation: attr.doc, insertText: insert, snippet: true });
          }
        }
        return;
      case 'percent':
        if (rest.length === 0 && attr.name === 'objective') for (const v of ['99.9%', '99.5%', '99%']) this.add({ label: v, kind: 'value', documentation: attr.doc });
        return;
      default:
        return;
    }
  }

  /** SLIs (or SLOs, SLAs) of the service around the cursor, from the semantic model or the tree. */
  private members(kind: SymbolKind): PaceSymbol[] {
    const outer = this.ctx.blocks[0];
    if (!outer || outer.keyword !== 'service' || !outer.name) return [];
    const svc = this.model.lookupTop('service', outer.name);
    const out = svc ? this.model.membersOf(svc, kind) : [];
    if (out.length) return out;
    // The service did not link (a duplicate, a broken header): read its blocks from the tree.
    const block = this.astBlock(outer);
    const found: PaceSymbol[] = [];
    for (const m of block?.members ?? []) {
      if (m.type === 'block' && m.keyword.text === kind && m.name) {
        found.push(this.model.byBlock.get(m) ?? { kind, name: m.name.text, id: `${outer.name}.${m.name.text}`, uri: '', block: m, nameRange: m.name.range });
      }
    }
    return found;
  }

  /** Other services that have members of `kind`, as the first part of `service.member` (then completes again). */
  private qualifiers(kind: SymbolKind): void {
    const self = this.ctx.blocks[0]?.keyword === 'service' ? this.ctx.blocks[0].name : undefined;
    for (const svc of this.model.ofKind('service')) {
      if (svc.name === self) continue;
      const n = this.model.membersOf(svc, kind).length;
      if (!n) continue;
      this.add({
        label: svc.name,
        kind: 'reference',
        symbolKind: 'service',
        detail: `service · ${n} ${KIND_LABEL[kind]}${n === 1 ? '' : 's'}`,
        documentation: `${symbolDoc(this.model, svc)}\n\n---\n\nA ${KIND_LABEL[kind]} of another service is written \`${svc.name}.NAME\`.`,
        insertText: `${svc.name}.`,
        filterText: svc.name,
        retrigger: true,
        sortText: `9${svc.name}`,
      });
    }
  }

  private reference(s: PaceSymbol, insertText?: string, label?: string): void {
    const detail = s.kind === 'sli' && s.sliKind ? `${s.sliKind} SLI` : KIND_LABEL[s.kind];
    this.add({ label: label ?? s.name, kind: 'reference', symbolKind: s.kind, detail, documentation: symbolDoc(this.model, s), insertText, filterText: insertText });
  }
}

function attributeSnippet(a: AttributeSpec): string {
  switch (a.type.kind) {
    case 'enum':
      return `${a.name} = \${1|${a.type.values.join(',')}|}`;
    case 'comparison':
      return `${a.name} \${1|>=,<=,>,<,==|} $0`;
    case 'string':
      return `${a.name} = "$0"`;
    case 'refs':
      return `${a.name} = [$0]`;
    default:
      return `${a.name} = $0`;
  }
}

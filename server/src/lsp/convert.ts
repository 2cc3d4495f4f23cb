// The only place that maps core types (offset ranges, plain objects) to LSP types and back.
// Positions are UTF-16 (LSP's default), which is what core offsets are: JS string indices.
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind as LspSymbolKind,
  type CodeAction as LspCodeAction,
  type CodeLens as LspCodeLens,
  type CompletionItem as LspCompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type FoldingRange as LspFoldingRange,
  type Hover as LspHover,
  type InlayHint as LspInlayHint,
  type Location as LspLocation,
  type Position as LspPosition,
  type Range as LspRange,
  type SelectionRange,
  type SnippetTextEdit,
  type SymbolInformation,
  type TextDocumentEdit,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Diagnostic, LineIndex, Severity, TextEdit } from '../core/index.js';
import type { SymbolKind } from '../core/index.js';
import {
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_TYPES,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionKind,
  type FoldingRange,
  type Hover,
  type InlayHint,
  type Location,
  type OutlineKind,
  type OutlineSymbol,
  type Range,
  type SemanticToken,
  type WorkspaceSymbol,
} from '../core/index.js';

/** The documents an edit or a location may point into: their line indexes, and the uri the client knows them by. */
export interface Docs {
  lines(uri: string): LineIndex | undefined;
  uri(uri: string): string;
  /** The version of an open document (null when it is not open: its text on disk). */
  version?(uri: string): number | null;
}

export function position(lines: LineIndex, offset: number): LspPosition {
  return lines.position(offset);
}

export function offset(lines: LineIndex, p: LspPosition): number {
  return lines.offset(p);
}

export function range(lines: LineIndex, r: Range): LspRange {
  return { start: lines.position(r.start), end: lines.position(r.end) };
}

export function offsetRange(lines: LineIndex, r: LspRange): Range {
  return { start: lines.offset(r.start), end: lines.offset(r.end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a published diagnostic carries in `data`: its fixes, already in LSP terms. */
export interface DiagnosticData {
  readonly fixes: { title: string; preferred?: boolean; edits: { uri: string; range: LspRange; newText: string; snippet?: string }[] }[];
}

const ZERO: LspRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function diagnostic(d: Diagnostic, lines: LineIndex, docs: Docs): LspDiagnostic {
  const out: LspDiagnostic = {
    range: range(lines, d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'pace',
    message: d.message,
  };
  if (d.code === 'check/empty-policy') out.tags = [DiagnosticTag.Unnecessary];
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => {
      const li = r.uri === d.uri ? lines : docs.lines(r.uri);
      return { location: { uri: docs.uri(r.uri), range: li ? range(li, r.range) : ZERO }, message: r.message };
    });
  }
  if (d.fixes?.length) {
    const data: DiagnosticData = {
      fixes: d.fixes.map((f) => ({
        title: f.title,
        preferred: f.preferred,
        edits: f.edits.map((e) => {
          const li = e.uri === d.uri ? lines : docs.lines(e.uri);
          return { uri: docs.uri(e.uri), range: li ? range(li, e.range) : ZERO, newText: e.newText, ...(e.snippet !== undefined ? { snippet: e.snippet } : {}) };
        }),
      })),
    };
    out.data = data;
  }
  return out;
}

/**
 * A text edit. An end of the edit between the '\r' and the '\n' of a line break (the formatter's edits
 * of a CRLF line drop the '\r') has no LSP position: the edit is widened to the whole line break, with
 * the same result (found by the soak).
 */
export function textEdit(lines: LineIndex, e: TextEdit): LspTextEdit {
  const t = lines.text;
  const inBreak = (o: number) => o > 0 && o < t.length && t.charCodeAt(o - 1) === 13 && t.charCodeAt(o) === 10;
  let { start, end } = e.range;
  let newText = e.newText;
  if (inBreak(start)) (start--, (newText = '\r' + newText));
  if (inBreak(end)) (end++, (newText += '\n'));
  return { range: range(lines, { start, end }), newText };
}

export function workspaceEdit(edits: readonly TextEdit[], docs: Docs, snippets = false): WorkspaceEdit {
  const changes: Record<string, (LspTextEdit | SnippetTextEdit)[]> = {};
  const versions: Record<string, number | null> = {};
  for (const e of edits) {
    const li = docs.lines(e.uri);
    if (!li) continue;
    const uri = docs.uri(e.uri);
    (changes[uri] ??= []).push(snippets && e.snippet !== undefined ? snippetEdit(range(li, e.range), e.snippet) : textEdit(li, e));
    versions[uri] = docs.version?.(e.uri) ?? null;
  }
  return snippets && edits.some((e) => e.snippet !== undefined) ? documentChanges(changes, versions) : { changes: changes as Record<string, LspTextEdit[]> };
}

/** A snippet edit: only in a `TextDocumentEdit` (LSP 3.18), for clients with `workspaceEdit.snippetEditSupport`. */
function snippetEdit(r: LspRange, snippet: string): SnippetTextEdit {
  return { range: r, snippet: { kind: 'snippet', value: snippet } };
}

function documentChanges(changes: Record<string, (LspTextEdit | SnippetTextEdit)[]>, versions: Record<string, number | null>): WorkspaceEdit {
  const out: TextDocumentEdit[] = Object.entries(changes).map(([uri, edits]) => ({ textDocument: { uri, version: versions[uri] ?? null }, edits }));
  return { documentChanges: out };
}

/** Whether the client applies snippet edits in a WorkspaceEdit (`documentChanges` with SnippetTextEdit). */
export function supportsSnippetEdits(caps: { workspace?: { workspaceEdit?: { documentChanges?: boolean; snippetEditSupport?: boolean } } } | undefined): boolean {
  const we = caps?.workspace?.workspaceEdit;
  return !!we?.documentChanges && !!we.snippetEditSupport;
}

export function location(l: Location, docs: Docs): LspLocation | undefined {
  const li = docs.lines(l.uri);
  return li ? { uri: docs.uri(l.uri), range: range(li, l.range) } : undefined;
}

export function hover(h: Hover, lines: LineIndex): LspHover {
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: range(lines, h.range) };
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  block: CompletionItemKind.Module,
  attribute: CompletionItemKind.Property,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  unit: CompletionItemKind.Unit,
  kind: CompletionItemKind.TypeParameter,
  function: CompletionItemKind.Function,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

const REFERENCE_KIND: Record<SymbolKind, CompletionItemKind> = {
  service: CompletionItemKind.Module,
  sli: CompletionItemKind.Function,
  slo: CompletionItemKind.Variable,
  sla: CompletionItemKind.Struct,
  alerting: CompletionItemKind.Event,
  objective: CompletionItemKind.Class,
  kpi: CompletionItemKind.Field,
};

/** A snippet as plain text, for clients without snippet support: `${1:name}` → `name`, `${1|a,b|}` → `a`. */
export function plainSnippet(s: string): string {
  return s
    .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '');
}

export function completionItem(c: CompletionItem, lines: LineIndex, snippets = true): LspCompletionItem {
  const text = c.insertText ?? c.label;
  const snippet = !!c.snippet && snippets;
  const item: LspCompletionItem = {
    label: c.label,
    kind: c.kind === 'reference' && c.symbolKind ? REFERENCE_KIND[c.symbolKind] : COMPLETION_KIND[c.kind],
    textEdit: { range: range(lines, c.range), newText: c.snippet && !snippets ? plainSnippet(text) : text },
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.filterText) item.filterText = c.filterText;
  if (c.sortText) item.sortText = c.sortText;
  if (c.preselect) item.preselect = true;
  // VS Code's suggest command: opens the list again after `service.` (the insertion works without it).
  if (c.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}

const OUTLINE_KIND: Record<OutlineKind, LspSymbolKind> = {
  service: LspSymbolKind.Module,
  sli: LspSymbolKind.Function,
  slo: LspSymbolKind.Constant,
  sla: LspSymbolKind.Struct,
  alerting: LspSymbolKind.Event,
  objective: LspSymbolKind.Class,
  kpi: LspSymbolKind.Field,
  labels: LspSymbolKind.Object,
};

export function symbolKind(k: OutlineKind): LspSymbolKind {
  return OUTLINE_KIND[k];
}

export function documentSymbol(s: OutlineSymbol, lines: LineIndex): DocumentSymbol {
  return {
    name: s.name,
    kind: OUTLINE_KIND[s.kind],
    detail: s.detail,
    range: range(lines, s.range),
    selectionRange: range(lines, s.selectionRange),
    children: s.children.map((c) => documentSymbol(c, lines)),
  };
}

export function workspaceSymbol(s: WorkspaceSymbol, docs: Docs): SymbolInformation | undefined {
  const li = docs.lines(s.uri);
  if (!li) return undefined;
  return { name: s.name, kind: OUTLINE_KIND[s.kind], location: { uri: docs.uri(s.uri), range: range(li, s.range) }, containerName: s.containerName };
}

export function foldingRange(f: FoldingRange, lines: LineIndex): LspFoldingRange | undefined {
  const startLine = lines.position(f.start).line;
  let endLine = lines.position(f.end).line;
  if (f.closer) endLine--;
  if (endLine <= startLine) return undefined;
  return { startLine, endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region };
}

/** Innermost first → the nested SelectionRange. */
export function selectionRange(chain: readonly Range[], lines: LineIndex, at: LspPosition): SelectionRange {
  let parent: SelectionRange | undefined;
  for (let i = chain.length - 1; i >= 0; i--) parent = { range: range(lines, chain[i]), parent };
  return parent ?? { range: { start: at, end: at } };
}

export const SEMANTIC_LEGEND = { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] };

/** The relative encoding of LSP semantic tokens (tokens never span lines). */
export function semanticTokens(tokens: readonly SemanticToken[], lines: LineIndex): number[] {
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of tokens) {
    const p = lines.position(t.start);
    const end = lines.position(t.start + t.length);
    if (end.line !== p.line) continue;
    const deltaLine = p.line - line;
    const deltaStart = deltaLine === 0 ? p.character - char : p.character;
    let mods = 0;
    for (const m of t.modifiers) mods |= 1 << SEMANTIC_TOKEN_MODIFIERS.indexOf(m);
    data.push(deltaLine, deltaStart, t.length, SEMANTIC_TOKEN_TYPES.indexOf(t.type), mods);
    line = p.line;
    char = p.character;
  }
  return data;
}

export function codeAction(a: CodeAction, docs: Docs, diagnostics: LspDiagnostic[], snippets = false): LspCodeAction {
  const out: LspCodeAction = { title: a.title, kind: a.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Refactor, edit: workspaceEdit(a.edits, docs, snippets) };
  if (a.preferred) out.isPreferred = true;
  if (diagnostics.length) out.diagnostics = diagnostics;
  return out;
}

/** Code actions from the fixes a published diagnostic carries in `data`. */
export function codeActionsFromData(d: LspDiagnostic, snippets = false): LspCodeAction[] {
  const data = d.data as DiagnosticData | undefined;
  if (!data || !Array.isArray(data.fixes)) return [];
  return data.fixes.map((f) => {
    const changes: Record<string, (LspTextEdit | SnippetTextEdit)[]> = {};
    const withSnippets = snippets && f.edits.some((e) => typeof e.snippet === 'string');
    for (const e of f.edits) (changes[e.uri] ??= []).push(withSnippets && typeof e.snippet === 'string' ? snippetEdit(e.range, e.snippet) : { range: e.range, newText: e.newText });
    // A stale diagnostic's document version is unknown: null.
    const edit: WorkspaceEdit = withSnippets ? documentChanges(changes, {}) : { changes: changes as Record<string, LspTextEdit[]> };
    const a: LspCodeAction = { title: f.title, kind: CodeActionKind.QuickFix, edit, diagnostics: [d] };
    if (f.preferred) a.isPreferred = true;
    return a;
  });
}

export function inlayHint(h: InlayHint, lines: LineIndex): LspInlayHint {
  const out: LspInlayHint = { position: lines.position(h.offset), label: h.label, paddingLeft: true };
  if (h.tooltip) out.tooltip = { kind: MarkupKind.Markdown, value: h.tooltip };
  return out;
}

/** The client command a code lens runs (registered by client/src/extension.ts): shows the lens's details. */
export const SHOW_SLO_DETAILS = 'pace.showSloDetails';

/** What `pace.showSloDetails` receives. */
export interface SloDetailsArgs {
  /** The document's uri, as the client knows it. */
  readonly uri: string;
  /** The SLO's qualified name. */
  readonly id: string;
  readonly title: string;
  readonly details: readonly string[];
}

export function codeLens(l: CodeLens, lines: LineIndex, uri: string): LspCodeLens {
  const args: SloDetailsArgs = { uri, id: l.symbolId, title: l.title, details: l.details };
  return { range: range(lines, l.range), command: { title: l.title, command: SHOW_SLO_DETAILS, arguments: [args] } };
}

export function sameRange(a: LspRange, b: LspRange): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

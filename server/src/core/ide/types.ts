// Result types of the editor features: plain data with offset ranges (UTF-16 code units), no LSP.
// server/src/lsp/convert.ts maps them to the protocol.
import type { Range } from '../../../../grammar/src/ast.js';
import type { Diagnostic, TextEdit } from '../diagnostics/diagnostic.js';
import type { SymbolKind } from '../language/blocks.js';

export interface Location {
  readonly uri: string;
  readonly range: Range;
}

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly range: Range;
}

export type CompletionKind = 'keyword' | 'block' | 'attribute' | 'enum' | 'reference' | 'unit' | 'kind' | 'function' | 'value' | 'snippet';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** For references: the kind of the symbol offered. */
  readonly symbolKind?: SymbolKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Text inserted in place of `range`; defaults to the label. */
  readonly insertText?: string;
  /** `insertText` is an LSP snippet (`${1:name}`, `$0`). */
  readonly snippet?: boolean;
  /** The text replaced: the word being typed (possibly empty, at the cursor). */
  readonly range: Range;
  readonly filterText?: string;
  readonly sortText?: string;
  readonly preselect?: boolean;
  /** Completion should be asked again once inserted (after `service.`, the service's members). */
  readonly retrigger?: boolean;
}

export type OutlineKind = SymbolKind | 'labels';

export interface OutlineSymbol {
  readonly name: string;
  readonly kind: OutlineKind;
  readonly detail?: string;
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: OutlineSymbol[];
}

export interface WorkspaceSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly uri: string;
  readonly range: Range;
  readonly containerName?: string;
  readonly score: number;
}

export interface FoldingRange {
  readonly start: number;
  /** Offset of the last folded character; for blocks, the closing brace (the adapter keeps its line visible). */
  readonly end: number;
  readonly kind: 'region' | 'comment';
  /** The range ends on a closing brace that should stay visible. */
  readonly closer?: boolean;
}

export interface SemanticToken {
  readonly start: number;
  readonly length: number;
  readonly type: SemanticTokenType;
  readonly modifiers: readonly SemanticTokenModifier[];
}

/** The legend. The adapter declares exactly these, in this order. */
export const SEMANTIC_TOKEN_TYPES = ['namespace', 'function', 'variable', 'struct', 'type', 'class', 'interface', 'property', 'enumMember', 'keyword', 'number', 'string', 'operator', 'parameter', 'macro'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'definition', 'readonly', 'defaultLibrary', 'documentation'] as const;
export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

export interface CodeAction {
  readonly title: string;
  readonly kind: 'quickfix' | 'refactor';
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
  /** The diagnostic it fixes. */
  readonly diagnostic?: Diagnostic;
}

export interface InlayHint {
  /** Where the hint is shown: right after this offset. */
  readonly offset: number;
  readonly label: string;
  /** Markdown. */
  readonly tooltip?: string;
}

export interface CodeLens {
  readonly range: Range;
  readonly title: string;
  /** The SLO it is about: its qualified name (`checkout.availability`). */
  readonly symbolId: string;
  /** Plain-text lines the editor shows when the lens is clicked (the title, spelt out). */
  readonly details: readonly string[];
}

export type RenameResult = { readonly edits: readonly TextEdit[] } | { readonly error: string };

export type { Range, TextEdit };

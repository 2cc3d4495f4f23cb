import type { Range } from '../../../../grammar/src/ast.js';
import { CODES, type DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Source = 'lex' | 'parse' | 'link' | 'check' | 'config';

export interface TextEdit {
  readonly uri: string;
  readonly range: Range;
  readonly newText: string;
  /** The same insertion as an LSP snippet (`objective = ${1:99.9%}`), for editors that take snippets. */
  readonly snippet?: string;
}

/** A fix the editor can offer as a quick fix; the CLI may print its title as a hint. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

export interface RelatedInformation {
  readonly uri: string;
  readonly range: Range;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly uri: string;
  readonly range: Range;
  readonly source: Source;
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly Fix[];
}

export function diagnostic(
  code: DiagnosticCode,
  uri: string,
  range: Range,
  message: string,
  extra: { related?: RelatedInformation[]; fixes?: Fix[]; severity?: Severity } = {},
): Diagnostic {
  const def = CODES[code];
  return {
    code,
    severity: extra.severity ?? def.severity,
    message,
    uri,
    range,
    source: code.slice(0, code.indexOf('/')) as Source,
    ...(extra.related?.length ? { related: extra.related } : {}),
    ...(extra.fixes?.length ? { fixes: extra.fixes } : {}),
  };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start - b.range.start || a.range.end - b.range.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

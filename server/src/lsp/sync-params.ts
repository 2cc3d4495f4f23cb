// Text synchronisation notifications are checked before TextDocuments (vscode-languageserver) keeps
// them: a didOpen without text, or a didChange whose positions are not numbers, would otherwise leave a
// document whose text is not a string in the open set, and every later analysis of its project would
// throw: one bad notification and the project's diagnostics would never be published again (found by
// the soak, test/lsp/soak-driver.ts). A notification cannot be answered: a bad one is logged and dropped.
import type { Connection } from 'vscode-languageserver/node';

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Integer line and character (TextDocument clamps the rest). */
export const isPosition = (p: unknown): p is { line: number; character: number } => isObject(p) && Number.isInteger(p.line) && Number.isInteger(p.character);
const isRange = (r: unknown) => isObject(r) && isPosition(r.start) && isPosition(r.end);
const hasUri = (p: unknown): p is { textDocument: { uri: string } } => isObject(p) && isObject(p.textDocument) && typeof p.textDocument.uri === 'string';

/** Why a text synchronisation notification's parameters are unusable, or undefined when they are fine. */
export function syncProblem(method: 'didOpen' | 'didChange' | 'didClose' | 'didSave' | 'willSave', params: unknown): string | undefined {
  if (!hasUri(params)) return 'textDocument.uri must be a string';
  const td = params.textDocument as Record<string, unknown>;
  if (method === 'didOpen') {
    if (typeof td.text !== 'string') return 'textDocument.text must be a string';
    if (!Number.isInteger(td.version)) return 'textDocument.version must be an integer';
    if (typeof td.languageId !== 'string') return 'textDocument.languageId must be a string';
  }
  if (method === 'didChange') {
    if (!Number.isInteger(td.version)) return 'textDocument.version must be an integer';
    const changes = (params as { contentChanges?: unknown }).contentChanges;
    if (!Array.isArray(changes)) return 'contentChanges must be an array';
    for (const c of changes) {
      if (!isObject(c) || typeof c.text !== 'string') return 'every content change needs a text';
      if (c.range !== undefined && !isRange(c.range)) return 'a content change has a range that is not a range';
    }
  }
  return undefined;
}

/**
 * The connection as TextDocuments.listen() sees it: the same, but its text synchronisation handlers are
 * only called with usable parameters.
 */
export function checkedSync(connection: Connection, error: (message: string) => void): Connection {
  const wrap =
    <P>(method: Parameters<typeof syncProblem>[0], handler: (params: P) => void) =>
    (params: P): void => {
      const problem = syncProblem(method, params);
      if (problem) error(`Pace: ignored a textDocument/${method} notification: ${problem}.`);
      else handler(params);
    };
  const c = Object.create(connection) as Connection;
  c.onDidOpenTextDocument = (h) => connection.onDidOpenTextDocument(wrap('didOpen', h));
  c.onDidChangeTextDocument = (h) => connection.onDidChangeTextDocument(wrap('didChange', h));
  c.onDidCloseTextDocument = (h) => connection.onDidCloseTextDocument(wrap('didClose', h));
  c.onDidSaveTextDocument = (h) => connection.onDidSaveTextDocument(wrap('didSave', h));
  c.onWillSaveTextDocument = (h) => connection.onWillSaveTextDocument(wrap('willSave', h));
  return c;
}

// Document and range formatting, with the core formatter. Files with syntax errors get no edits.
import type { TextEdit } from 'vscode-languageserver/node';
import { formatting } from '../../core/index.js';
import { offsetRange, textEdit } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerFormatting(ctx: ServerContext): void {
  const indentOf = (o: { tabSize: number; insertSpaces: boolean }) => (o.insertSpaces && o.tabSize > 0 && o.tabSize <= 8 ? o.tabSize : 2);
  ctx.connection.onDocumentFormatting(
    ctx.guard('formatting', [] as TextEdit[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return formatting(f.analysis, f.uri, { indent: indentOf(params.options) }).map((e) => textEdit(f.lines, e));
    }),
  );
  ctx.connection.onDocumentRangeFormatting(
    ctx.guard('rangeFormatting', [] as TextEdit[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return formatting(f.analysis, f.uri, { indent: indentOf(params.options) }, offsetRange(f.lines, params.range)).map((e) => textEdit(f.lines, e));
    }),
  );
}

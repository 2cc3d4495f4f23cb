// Folding ranges and selection ranges.
import type { FoldingRange, SelectionRange } from 'vscode-languageserver/node';
import { foldingRanges, selectionRanges } from '../../core/index.js';
import { foldingRange, selectionRange } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerStructure(ctx: ServerContext): void {
  ctx.connection.onFoldingRanges(
    ctx.guard('foldingRange', [] as FoldingRange[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return foldingRanges(f.analysis, f.uri).map((r) => foldingRange(r, f.lines)).filter((r): r is FoldingRange => !!r);
    }),
  );
  ctx.connection.onSelectionRanges(
    ctx.guard('selectionRange', [] as SelectionRange[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return params.positions.map((p) => selectionRange(selectionRanges(f.analysis, f.uri, f.lines.offset(p)), f.lines, p));
    }),
  );
}

// Inlay hints (budgets after objectives, budget shares after burn-rate factors) and code lenses;
// with sample data, both add the preview's figures (attainment, budget left, alerts fired), read
// from the last preview computed (never computed here: see preview/service.ts).
import type { CodeLens, InlayHint } from 'vscode-languageserver/node';
import { codeLenses, inlayHints } from '../../core/index.js';
import { codeLens, inlayHint, offsetRange } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerHints(ctx: ServerContext): void {
  ctx.connection.languages.inlayHint.on(
    ctx.guard('inlayHint', [] as InlayHint[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return inlayHints(f.analysis, f.uri, offsetRange(f.lines, params.range), ctx.previews.figures(f.project)).map((h) => inlayHint(h, f.lines));
    }),
  );
  ctx.connection.onCodeLens(
    ctx.guard('codeLens', [] as CodeLens[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      const uri = f.docs.uri(f.uri);
      return codeLenses(f.analysis, f.uri, ctx.previews.figures(f.project)).map((l) => codeLens(l, f.lines, uri));
    }),
  );
}

// Document symbols (the outline) and workspace symbols.
import type { SymbolInformation } from 'vscode-languageserver/node';
import { documentSymbols, workspaceSymbols } from '../../core/index.js';
import { documentSymbol, workspaceSymbol } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerSymbols(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol(
    ctx.guard('documentSymbol', [], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return documentSymbols(f.analysis, f.uri).map((s) => documentSymbol(s, f.lines));
    }),
  );
  ctx.connection.onWorkspaceSymbol(
    ctx.guard('workspaceSymbol', [] as SymbolInformation[], (params) => {
      const projects = ctx.projects.all();
      const analyses = projects.map((p) => p.analysis(ctx.open));
      const out: SymbolInformation[] = [];
      for (const s of workspaceSymbols(analyses, params.query)) {
        const p = projects.find((x) => x.ws.hasFile(s.uri));
        const info = p ? workspaceSymbol(s, ctx.docsOf(p)) : undefined;
        if (info) out.push(info);
      }
      return out;
    }),
  );
}

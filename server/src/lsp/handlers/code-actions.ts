// Quick fixes: the fixes the core attaches to diagnostics (also carried in each published diagnostic's
// `data`), plus "Create SLI 'x'" for an unresolved `sli = x`.
import type { CodeAction, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { codeActions } from '../../core/index.js';
import { codeAction, codeActionsFromData, offsetRange, range, sameRange, supportsSnippetEdits } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction(
    ctx.guard('codeAction', [] as CodeAction[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      if (params.context.only && !params.context.only.some((k) => k === 'quickfix' || 'quickfix'.startsWith(k))) return [];
      const sent = params.context.diagnostics ?? [];
      const matching = (code: string, r: ReturnType<typeof range>): LspDiagnostic[] => sent.filter((d) => d.code === code && sameRange(d.range, r));
      const out: CodeAction[] = [];
      const covered = new Set<LspDiagnostic>();
      // Fixes that insert a value as a placeholder (`objective = ${1:99.9%}`), as plain text for other clients.
      const snippets = supportsSnippetEdits(ctx.clientCapabilities);
      for (const a of codeActions(f.analysis, f.uri, offsetRange(f.lines, params.range))) {
        const ds = a.diagnostic ? matching(a.diagnostic.code, range(f.lines, a.diagnostic.range)) : [];
        ds.forEach((d) => covered.add(d));
        out.push(codeAction(a, f.docs, ds.length ? ds : [], snippets));
      }
      // Diagnostics of an older version that the analysis no longer has: use the fixes they carry.
      for (const d of sent) if (!covered.has(d) && d.source === 'pace') out.push(...codeActionsFromData(d, snippets));
      return out;
    }),
  );
}

// textDocument/semanticTokens/full
import { semanticTokens } from '../../core/index.js';
import { semanticTokens as encode } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerSemanticTokens(ctx: ServerContext): void {
  ctx.connection.languages.semanticTokens.on(
    ctx.guard('semanticTokens', { data: [] as number[] }, (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return { data: [] };
      return { data: encode(semanticTokens(f.analysis, f.uri), f.lines) };
    }),
  );
}

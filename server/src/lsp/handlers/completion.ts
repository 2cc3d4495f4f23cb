// textDocument/completion
import type { CompletionList } from 'vscode-languageserver/node';
import { complete } from '../../core/index.js';
import { completionItem } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerCompletion(ctx: ServerContext): void {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  ctx.connection.onCompletion(
    ctx.guard('completion', empty, (params): CompletionList => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return empty;
      const items = complete(f.analysis, f.uri, f.lines.offset(params.position));
      const snippets = ctx.clientCapabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
      return { isIncomplete: false, items: items.map((i) => completionItem(i, f.lines, snippets)) };
    }),
  );
}

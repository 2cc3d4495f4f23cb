// textDocument/hover
import { hover } from '../../core/index.js';
import { hover as toHover } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover(
    ctx.guard('hover', null, (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return null;
      const h = hover(f.analysis, f.uri, f.lines.offset(params.position));
      return h ? toHover(h, f.lines) : null;
    }),
  );
}

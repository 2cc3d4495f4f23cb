// Definition, references, document highlights, rename.
import { DocumentHighlightKind, LSPErrorCodes, ResponseError, type Location, type WorkspaceEdit } from 'vscode-languageserver/node';
import { definition, highlights, prepareRename, references, rename } from '../../core/index.js';
import { location, range, workspaceEdit } from '../convert.js';
import type { ServerContext } from '../context.js';

export function registerNavigation(ctx: ServerContext): void {
  const { connection } = ctx;
  connection.onDefinition(
    ctx.guard('definition', null, (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return null;
      const locs = definition(f.analysis, f.uri, f.lines.offset(params.position)).map((l) => location(l, f.docs)).filter((l): l is Location => !!l);
      return locs.length ? locs : null;
    }),
  );
  connection.onReferences(
    ctx.guard('references', [] as Location[], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return references(f.analysis, f.uri, f.lines.offset(params.position), params.context.includeDeclaration)
        .map((l) => location(l, f.docs))
        .filter((l): l is Location => !!l);
    }),
  );
  connection.onDocumentHighlight(
    ctx.guard('documentHighlight', [], (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return [];
      return highlights(f.analysis, f.uri, f.lines.offset(params.position)).map((h) => ({ range: range(f.lines, h.range), kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
    }),
  );
  connection.onPrepareRename(
    ctx.guard('prepareRename', null, (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return null;
      const r = prepareRename(f.analysis, f.uri, f.lines.offset(params.position));
      if (!r) return null;
      if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
      return { range: range(f.lines, r.range), placeholder: r.placeholder };
    }),
  );
  connection.onRenameRequest(
    ctx.guard('rename', null as WorkspaceEdit | null, (params) => {
      const f = ctx.withFile(params.textDocument.uri);
      if (!f) return null;
      const r = rename(f.analysis, f.uri, f.lines.offset(params.position), params.newName);
      if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
      return workspaceEdit(r.edits, f.docs);
    }),
  );
}

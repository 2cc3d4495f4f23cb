// Text synchronisation, file watching and workspace folders: keeping every project's inputs current.
import { DidChangeWatchedFilesNotification, FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { toPath } from '../../node/project.js';
import type { Project } from '../projects.js';
import type { ServerContext } from '../context.js';

/** Re-discovers every project (after pace.yaml or folder changes) and publishes all diagnostics. */
function rebuild(ctx: ServerContext): void {
  const old = ctx.projects.rebuild();
  const now = ctx.projects.all();
  const keep = new Set(now.flatMap((p) => p.uris()));
  for (const p of old) ctx.publisher.clear(p, keep);
  for (const p of now) ctx.publisher.schedule(p);
}

export function registerSync(ctx: ServerContext): void {
  const { connection, documents, projects, publisher } = ctx;

  connection.onInitialized(
    ctx.guard('initialized', undefined, () => {
      const caps = ctx.clientCapabilities;
      if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        void connection.client
          .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.pace' }, { globPattern: '**/pace.yaml' }] })
          .catch((e: unknown) => ctx.error(`Pace: could not register file watchers: ${String(e)}`));
      }
      if (caps.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          ctx.guard('workspace folders', undefined, (e) => {
            const removed = new Set(e.removed.map((f) => toPath(f.uri)));
            const folders = projects.getFolders().filter((f) => !removed.has(f));
            for (const f of e.added) if (f.uri.startsWith('file:')) folders.push(toPath(f.uri));
            projects.setFolders(folders);
            rebuild(ctx);
          }),
        );
      }
      const t0 = Date.now();
      rebuild(ctx);
      const files = projects.all().reduce((n, p) => n + p.ws.uris().length, 0);
      ctx.log(`Pace: indexed ${files} file${files === 1 ? '' : 's'} in ${projects.all().length} project${projects.all().length === 1 ? '' : 's'} (${Date.now() - t0} ms).`);
    }),
  );

  documents.onDidOpen(
    ctx.guard('didOpen', undefined, (e) => {
      const uri = ctx.key(e.document.uri);
      if (projects.isPaceYaml(uri)) {
        const p = projects.configOwner(uri);
        if (!p) return projects.inFolders(uri) ? rebuild(ctx) : undefined;
        if (p.configText !== e.document.getText()) reloadConfig(ctx, p);
        return;
      }
      if (!projects.isPaceDocument(uri)) return;
      const owner = projects.ownerOf(uri);
      if (owner) {
        projects.refresh(owner, uri);
        publisher.schedule(owner, uri);
      } else publisher.schedule(projects.openLoose(uri), uri);
    }),
  );

  documents.onDidChangeContent(
    ctx.guard('didChange', undefined, (e) => {
      const uri = ctx.key(e.document.uri);
      if (projects.isPaceYaml(uri)) {
        const p = projects.configOwner(uri);
        if (p && p.configText !== e.document.getText()) reloadConfig(ctx, p);
        return;
      }
      const p = projects.projectOf(uri);
      if (p) publisher.schedule(p, uri);
    }),
  );

  documents.onDidClose(
    ctx.guard('didClose', undefined, (e) => {
      const uri = ctx.key(e.document.uri);
      if (projects.isPaceYaml(uri)) {
        const p = projects.configOwner(uri);
        if (p) reloadConfig(ctx, p);
        ctx.forget(uri);
        return;
      }
      const loose = projects.closeLoose(uri);
      if (loose) publisher.clear(loose);
      const owner = projects.ownerOf(uri);
      if (owner) {
        projects.refresh(owner, uri); // back to the text on disk, or gone if it was never saved
        publisher.schedule(owner);
      }
      ctx.forget(uri);
    }),
  );

  connection.onDidChangeWatchedFiles(ctx.guard('didChangeWatchedFiles', undefined, (params: DidChangeWatchedFilesParams) => onWatched(ctx, params)));
}

function reloadConfig(ctx: ServerContext, p: Project): void {
  // Settings only (name, labels, check): the same files. Other files or exclusions may move files
  // between projects: look for projects again.
  if (ctx.projects.readConfig(p)) ctx.publisher.schedule(p);
  else rebuild(ctx);
}

function onWatched(ctx: ServerContext, params: DidChangeWatchedFilesParams): void {
  const { projects, publisher } = ctx;
  let again = false;
  for (const change of params.changes) {
    const uri = ctx.key(change.uri);
    if (projects.isPaceYaml(uri)) {
      again = true;
      continue;
    }
    if (!uri.endsWith('.pace')) continue;
    const owner = projects.ownerOf(uri);
    if (!owner) continue;
    const open = ctx.open.get(uri);
    switch (change.type) {
      case FileChangeType.Created: {
        const loose = projects.closeLoose(uri);
        if (loose) publisher.clear(loose);
        projects.refresh(owner, uri);
        break;
      }
      case FileChangeType.Changed:
        if (!open) projects.refresh(owner, uri);
        break;
      case FileChangeType.Deleted:
        if (!open) owner.ws.removeFile(uri);
        break;
    }
    publisher.schedule(owner);
  }
  if (again) rebuild(ctx);
}

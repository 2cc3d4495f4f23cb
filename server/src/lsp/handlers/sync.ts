// Text synchronisation, file watching and workspace folders: keeping every project's inputs current.
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, type Disposable, type DidChangeWatchedFilesParams, type FileSystemWatcher } from 'vscode-languageserver/node';
import { toPath, toUri } from '../../node/project.js';
import { isFileUri, type Project } from '../projects.js';
import type { ServerContext } from '../context.js';
import { Previews } from '../preview/service.js';

/** The watchers of each server's sample data files (pace.yaml `data:` globs), registered last. */
const dataWatchers = new WeakMap<ServerContext, { key: string; registration?: Promise<Disposable | undefined> }>();

/** Asks the client to watch the projects' sample data (again, when the globs changed). */
function watchData(ctx: ServerContext): void {
  const caps = ctx.clientCapabilities.workspace?.didChangeWatchedFiles;
  if (!caps?.dynamicRegistration) return;
  const watchers: FileSystemWatcher[] = [];
  for (const p of ctx.projects.all()) {
    if (!p.root) continue;
    for (const g of Previews.globs(p)) {
      watchers.push({ globPattern: caps.relativePatternSupport ? { baseUri: toUri(p.root), pattern: g } : path.join(p.root, g).split(path.sep).join('/') });
    }
  }
  const key = JSON.stringify(watchers);
  const old = dataWatchers.get(ctx);
  if (old?.key === key) return;
  void old?.registration?.then((d) => d?.dispose());
  const registration = watchers.length
    ? ctx.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch((e: unknown) => {
        ctx.error(`Pace: could not watch the sample data: ${String(e)}`);
        return undefined;
      })
    : undefined;
  dataWatchers.set(ctx, { key, registration });
}

/** Re-discovers every project (after pace.yaml or folder changes) and publishes all diagnostics. */
function rebuild(ctx: ServerContext): void {
  const old = ctx.projects.rebuild();
  const now = ctx.projects.all();
  const keep = new Set(now.flatMap((p) => p.uris()));
  for (const p of old) ctx.publisher.clear(p, keep);
  for (const p of now) ctx.publisher.schedule(p);
  watchData(ctx);
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
  if (ctx.projects.readConfig(p)) {
    ctx.publisher.schedule(p);
    watchData(ctx);
  } else rebuild(ctx);
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
    if (!uri.endsWith('.pace')) {
      // Sample data: the preview reads it again (the worker compares sizes and mtimes).
      if (isFileUri(uri)) for (const p of projects.all()) if (Previews.isDataOf(p, toPath(uri))) ctx.previews.dataChanged(p);
      continue;
    }
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

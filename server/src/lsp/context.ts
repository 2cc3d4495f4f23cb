// What every LSP handler is given: the connection, the documents, the projects and the helpers.
// Handlers import this module, never server.ts, so the server wires handlers without an import cycle.
import * as path from 'node:path';
import { CodeLensRefreshRequest, ResponseError, TextDocuments, type Connection, type InitializeParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis, FileAnalysis, LineIndex } from '../core/index.js';
import type { Docs } from './convert.js';
import { canonical, Projects, type OpenDocuments, type Project } from './projects.js';
import { Previews } from './preview/service.js';
import { logHeapPolicy } from './heap.js';
import { checkRequest } from './request-params.js';

/** The notification the server sends when a project's preview (or its staleness) changed. */
export const PREVIEW_CHANGED = 'pace/previewChanged';

export interface PreviewChangedParams {
  /** The project (its folder). */
  readonly project: string;
  readonly name: string;
}

/** What a project is called: its pace.yaml `name`, else its folder's (or file's) name. */
export function projectName(p: Project): string {
  if (p.config.name) return p.config.name;
  const where = p.root ?? p.id;
  return path.basename(where.replace(/\/+$/, '')) || where;
}

/** Publishes a project's diagnostics (implemented by handlers/diagnostics.ts). */
export interface DiagnosticsPublisher {
  /** Publishes soon (coalesced), the changed document first. */
  schedule(project: Project, changedUri?: string): void;
  /** Publishes now. */
  publish(project: Project): void;
  /** Clears the published diagnostics of a project's files, but those kept. */
  clear(project: Project, keep?: ReadonlySet<string>): void;
  dispose(): void;
}

export interface FileContext {
  readonly project: Project;
  readonly analysis: Analysis;
  readonly file: FileAnalysis;
  /** The canonical uri (the key of the core workspace). */
  readonly uri: string;
  readonly lines: LineIndex;
  readonly docs: Docs;
}

/** What every handler gets: the connection, the documents, the projects and the helpers. */
export class ServerContext {
  /**
   * The open documents. A document opened with the text its project already read from disk keeps the
   * project's string (one copy of each file's text, not two: the trees' strings are slices of it too).
   */
  readonly documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, this.sharedText(uri, content)),
    update: (document, changes, version) => TextDocument.update(document, changes, version),
  });
  /** Canonical uri → the uri the client used. */
  private readonly clientUris = new Map<string, string>();
  readonly open: OpenDocuments;
  readonly projects: Projects;
  /** Set by createServer: the diagnostics publisher (handlers/diagnostics.ts). */
  publisher!: DiagnosticsPublisher;
  clientCapabilities: InitializeParams['capabilities'] = {};
  /** The live preview of the projects with sample data (lenses, hints, pace/preview). */
  readonly previews: Previews;

  constructor(readonly connection: Connection) {
    this.open = {
      get: (uri) => {
        const d = this.documents.get(this.clientUris.get(uri) ?? uri);
        return d ? { text: d.getText(), version: d.version, languageId: d.languageId } : undefined;
      },
      uris: () => this.documents.keys().map((u) => canonical(u)),
    };
    this.projects = new Projects(this.open, (m) => this.log(m));
    logHeapPolicy((m) => this.log(m));
    this.previews = new Previews({
      analysis: (p) => {
        // Diagnostics first: they must never wait for a preview.
        if (p.dirty) this.publisher.publish(p);
        return p.analysis(this.open);
      },
      changed: (p) => this.previewChanged(p),
      log: (m) => this.log(m),
      error: (m) => this.error(m),
    });
  }

  /** Tells the client that a project's preview changed: pace/previewChanged, then lens and hint refreshes. */
  previewChanged(p: Project): void {
    const params: PreviewChangedParams = { project: p.id, name: projectName(p) };
    void this.connection.sendNotification(PREVIEW_CHANGED, params).catch(() => undefined);
    const ws = this.clientCapabilities.workspace;
    if (ws?.codeLens?.refreshSupport) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (ws?.inlayHint?.refreshSupport) void this.connection.languages.inlayHint.refresh().catch(() => undefined);
  }

  /** `content`, or the equal string the document's project holds already. */
  private sharedText(clientUri: string, content: string): string {
    const uri = canonical(clientUri);
    const held = this.projects?.projectOf(uri)?.ws.text(uri);
    return held === content ? held : content;
  }

  /** The canonical form of a client uri (remembered, so that answers use the client's spelling). */
  key(clientUri: string): string {
    const k = canonical(clientUri);
    if (k !== clientUri) this.clientUris.set(k, clientUri);
    return k;
  }

  forget(key: string): void {
    this.clientUris.delete(key);
  }

  clientUri(key: string): string {
    return this.clientUris.get(key) ?? key;
  }

  docsOf(project: Project): Docs {
    return {
      lines: (uri) => project.lines(uri) ?? this.projects.projectOf(uri)?.lines(uri),
      uri: (uri) => this.clientUri(uri),
      version: (uri) => this.open.get(uri)?.version ?? null,
    };
  }

  log(message: string): void {
    try {
      this.connection.console.log(message);
    } catch {
      /* the connection is gone */
    }
  }

  error(message: string): void {
    try {
      this.connection.console.error(message);
    } catch {
      /* the connection is gone */
    }
  }

  /**
   * Wraps a handler: a thrown error is logged and answered with `fallback`; the server never crashes
   * on user input. ResponseErrors are deliberate answers (a refused rename) and pass through. A
   * request's parameters are checked first (request-params.ts): unusable ones get InvalidParams.
   */
  guard<P, R>(name: string, fallback: R, fn: (params: P) => R): (params: P) => R {
    return (params: P) => {
      checkRequest(name, params);
      try {
        return fn(params);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        this.error(`Pace: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }

  /** The up-to-date analysis of a document's project, or undefined for a file Pace does not know. */
  withFile(clientUri: string): FileContext | undefined {
    const uri = this.key(clientUri);
    const project = this.projects.projectOf(uri);
    if (!project) return undefined;
    // Publish first: an edit's diagnostics should not wait for the answer to a request.
    if (project.dirty) this.publisher.publish(project);
    const analysis = project.analysis(this.open);
    const file = analysis.files.get(uri);
    if (!file) return undefined;
    return { project, analysis, file, uri, lines: file.lineIndex, docs: this.docsOf(project) };
  }
}


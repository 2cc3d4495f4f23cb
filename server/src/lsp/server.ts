// The Pace language server: a thin adapter from LSP to the pure features of server/src/core/ide.
// `startServer('stdio')` is what `pace lsp --stdio` runs; main.ts (the bundled server.cjs) calls
// `startServer()`, which picks the transport from the command line (--stdio, --node-ipc, --socket).
import {
  createConnection,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import type { Analysis, FileAnalysis, LineIndex } from '../core/index.js';
import { toPath } from '../node/project.js';
import { SEMANTIC_LEGEND, type Docs } from './convert.js';
import { canonical, Projects, type OpenDocuments, type Project } from './projects.js';
import { Publisher } from './handlers/diagnostics.js';
import { registerSync } from './handlers/sync.js';
import { registerCompletion } from './handlers/completion.js';
import { registerHover } from './handlers/hover.js';
import { registerNavigation } from './handlers/navigation.js';
import { registerSymbols } from './handlers/symbols.js';
import { registerStructure } from './handlers/structure.js';
import { registerFormatting } from './handlers/formatting.js';
import { registerSemanticTokens } from './handlers/semantic-tokens.js';
import { registerCodeActions } from './handlers/code-actions.js';
import { registerHints } from './handlers/hints.js';
import { registerCustom } from './handlers/custom.js';

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
  readonly documents = new TextDocuments(TextDocument);
  /** Canonical uri → the uri the client used. */
  private readonly clientUris = new Map<string, string>();
  readonly open: OpenDocuments;
  readonly projects: Projects;
  readonly publisher: Publisher;
  clientCapabilities: InitializeParams['capabilities'] = {};

  constructor(readonly connection: Connection) {
    this.open = {
      get: (uri) => {
        const d = this.documents.get(this.clientUris.get(uri) ?? uri);
        return d ? { text: d.getText(), version: d.version, languageId: d.languageId } : undefined;
      },
      uris: () => this.documents.keys().map((u) => canonical(u)),
    };
    this.projects = new Projects(this.open, (m) => this.log(m));
    this.publisher = new Publisher(this);
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
   * on user input. ResponseErrors are deliberate answers (a refused rename) and pass through.
   */
  guard<P, R>(name: string, fallback: R, fn: (params: P) => R): (params: P) => R {
    return (params: P) => {
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

function capabilities(): InitializeResult['capabilities'] {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    completionProvider: { triggerCharacters: ['=', '.', '[', ',', ' '], resolveProvider: false },
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: { prepareProvider: true },
    documentSymbolProvider: { label: 'Pace' },
    workspaceSymbolProvider: true,
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: false },
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    inlayHintProvider: { resolveProvider: false },
    codeLensProvider: { resolveProvider: false },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}

export function createServer(connection: Connection): ServerContext {
  const ctx = new ServerContext(connection);
  connection.onInitialize(
    ctx.guard('initialize', { capabilities: capabilities() } as InitializeResult, (params: InitializeParams): InitializeResult => {
      ctx.clientCapabilities = params.capabilities;
      const folders: string[] = [];
      for (const f of params.workspaceFolders ?? []) if (f.uri.startsWith('file:')) folders.push(toPath(f.uri));
      if (!folders.length && params.rootUri?.startsWith('file:')) folders.push(toPath(params.rootUri));
      else if (!folders.length && params.rootPath) folders.push(params.rootPath);
      const extra = (params.initializationOptions as { projectPaths?: unknown } | undefined)?.projectPaths;
      if (Array.isArray(extra)) for (const p of extra) if (typeof p === 'string' && p) folders.push(path.resolve(folders[0] ?? '.', p));
      ctx.projects.setFolders(folders);
      return { capabilities: capabilities(), serverInfo: { name: 'pace-language-server', version: '0.1.0' } };
    }),
  );
  registerSync(ctx);
  registerCompletion(ctx);
  registerHover(ctx);
  registerNavigation(ctx);
  registerSymbols(ctx);
  registerStructure(ctx);
  registerFormatting(ctx);
  registerSemanticTokens(ctx);
  registerCodeActions(ctx);
  registerHints(ctx);
  registerCustom(ctx);
  connection.onShutdown(() => ctx.publisher.dispose());
  ctx.documents.listen(connection);
  return ctx;
}

let started: Connection | undefined;

/** Starts the server on stdin/stdout, or on the transport named on the command line. */
export function startServer(transport?: 'stdio'): Connection | undefined {
  if (started) return started;
  const connection = transport === 'stdio' ? createConnection(ProposedFeatures.all, process.stdin, process.stdout) : createConnection(ProposedFeatures.all);
  const ctx = createServer(connection);
  // Last resort: an error escaping a timer must not take the server down.
  process.on('uncaughtException', (e) => ctx.error(`Pace: unexpected error: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => ctx.error(`Pace: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  connection.listen();
  started = connection;
  return connection;
}

export { ErrorCodes };

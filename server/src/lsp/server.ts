// The Pace language server: a thin adapter from LSP to the pure features of server/src/core/ide.
// `startServer('stdio')` is what `pace lsp --stdio` runs; main.ts (the bundled server.cjs) calls
// `startServer()`, which picks the transport from the command line (--stdio, --node-ipc, --socket).
import {
  createConnection,
  ErrorCodes,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import * as path from 'node:path';
import { toPath } from '../node/project.js';
import { SEMANTIC_LEGEND } from './convert.js';
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
import { checkedSync } from './sync-params.js';

export { ServerContext, type FileContext } from './context.js';
import { ServerContext } from './context.js';

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
  ctx.publisher = new Publisher(ctx);
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
  // Text synchronisation with unusable parameters is dropped before TextDocuments keeps it (sync-params.ts).
  ctx.documents.listen(checkedSync(connection, (m) => ctx.error(m)));
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

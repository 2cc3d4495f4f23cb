// Drives the BUNDLED language server (server/out/server.cjs, built by `node esbuild.mjs`) over stdio,
// as an editor would: initialize with a temporary workspace folder made from a fixture, open and
// edit documents, wait for published diagnostics, shut down, exit.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { fileUri, fixture, writeFixture, type Fixture } from './fixture.js';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'server', 'out', 'server.cjs');

export const CAPABILITIES: ClientCapabilities = {
  workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, workspaceEdit: { documentChanges: false } },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    rename: { prepareSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } }, dataSupport: true, isPreferredSupport: true },
    semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
    inlayHint: {},
    foldingRange: { lineFoldingOnly: true },
  },
};

interface Published {
  readonly seq: number;
  readonly params: PublishDiagnosticsParams;
}

export interface StartOptions {
  /** Fixture source (with `//- path` headers) or a folder that already exists. */
  readonly fixture?: string | Fixture;
  readonly folder?: string;
  readonly extraFiles?: Record<string, string>;
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: unknown;
  /** Wait for the first diagnostics of these paths after `initialized`. */
  readonly waitFor?: string[];
}

export class LspClient {
  private seqNo = 0;
  private readonly published: Published[] = [];
  private waiters: (() => void)[] = [];
  readonly logs: string[] = [];
  readonly registrations: unknown[] = [];
  stderr = '';
  exited = false;
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly conn: ProtocolConnection,
    readonly dir: string,
    /** The folder was made from a fixture (and is removed at the end), not given by the test. */
    private readonly ownsDir: boolean,
  ) {}

  static async start(opts: StartOptions = {}): Promise<LspClient> {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: build it first with \`node esbuild.mjs\` (npm test does).`);
    const dir = opts.folder ?? writeFixture(opts.fixture ?? fixture(''), opts.extraFiles);
    // PACE_LSP_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const nodeArgs = (process.env.PACE_LSP_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const client = new LspClient(proc, conn, dir, !opts.folder);
    proc.stderr.on('data', (d: Buffer) => (client.stderr += d.toString()));
    const died = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => {
        client.exited = true;
        client.waiters.splice(0).forEach((w) => w());
        reject(new Error(`the server exited (code ${code}): ${client.stderr}`));
      }),
    );
    died.catch(() => undefined);
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.published.push({ seq: ++client.seqNo, params: p });
      const ws = client.waiters;
      client.waiters = [];
      ws.forEach((w) => w());
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    conn.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => {
      client.registrations.push(...p.registrations);
      return null;
    });
    conn.onRequest('workspace/configuration', () => []);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    const result = await Promise.race([died, conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: fileUri(dir, ''),
      workspaceFolders: [{ uri: fileUri(dir, '').replace(/\/$/, ''), name: path.basename(dir) }],
      capabilities: opts.capabilities ?? CAPABILITIES,
      initializationOptions: opts.initializationOptions,
    })]);
    client.initializeResult = result;
    await conn.sendNotification('initialized', {});
    for (const p of opts.waitFor ?? []) await client.waitForDiagnostics(p);
    return client;
  }

  initializeResult!: InitializeResult;

  uri(rel: string): string {
    return fileUri(this.dir, rel);
  }

  /** The sequence number of the last publication: pass it to waitForDiagnostics to wait for a newer one. */
  mark(): number {
    return this.seqNo;
  }

  /** The latest diagnostics published for a path (or uri). */
  diagnostics(rel: string): Diagnostic[] | undefined {
    const uri = rel.includes(':') ? rel : this.uri(rel);
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].params.uri === uri) return this.published[i].params.diagnostics;
    return undefined;
  }

  /** Every publication for a path since a mark. */
  publications(rel: string, after = 0): PublishDiagnosticsParams[] {
    const uri = rel.includes(':') ? rel : this.uri(rel);
    return this.published.filter((p) => p.seq > after && p.params.uri === uri).map((p) => p.params);
  }

  /** Waits until a publication for the path after `after` satisfies `until` (default: any). */
  async waitForDiagnostics(rel: string, opts: { after?: number; until?: (d: Diagnostic[]) => boolean; timeout?: number } = {}): Promise<Diagnostic[]> {
    const uri = rel.includes(':') ? rel : this.uri(rel);
    const after = opts.after ?? 0;
    const until = opts.until ?? (() => true);
    const deadline = Date.now() + (opts.timeout ?? 10_000);
    for (;;) {
      for (let i = this.published.length - 1; i >= 0; i--) {
        const p = this.published[i];
        if (p.seq <= after) break;
        if (p.params.uri === uri) {
          if (until(p.params.diagnostics)) return p.params.diagnostics;
          break;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.exited) throw new Error(`No matching diagnostics for ${rel} (latest: ${JSON.stringify(this.diagnostics(rel))}). stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async open(rel: string, text?: string, languageId = rel.endsWith('.yaml') ? 'yaml' : 'pace'): Promise<void> {
    const uri = rel.includes(':') ? rel : this.uri(rel);
    const t = text ?? fs.readFileSync(path.join(this.dir, rel), 'utf8');
    this.versions.set(uri, 1);
    this.texts.set(uri, t);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: t } });
  }

  /** Replaces the whole text, or applies incremental changes. */
  async change(rel: string, change: string | TextDocumentContentChangeEvent[]): Promise<void> {
    const uri = rel.includes(':') ? rel : this.uri(rel);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const contentChanges = typeof change === 'string' ? [{ text: change }] : change;
    if (typeof change === 'string') this.texts.set(uri, change);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  text(rel: string): string | undefined {
    return this.texts.get(rel.includes(':') ? rel : this.uri(rel));
  }

  async close(rel: string): Promise<void> {
    const uri = rel.includes(':') ? rel : this.uri(rel);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Tells the server about files changed on disk (1 created, 2 changed, 3 deleted). */
  async watched(changes: { rel: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: this.uri(c.rel), type: c.type })) });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  /** shutdown, exit, and wait for the process to end (killed after a second). */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.proc.exitCode !== null) resolve(this.proc.exitCode);
      this.proc.once('exit', (code) => resolve(code));
    });
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
    const code = await exited;
    clearTimeout(timer);
    this.conn.dispose();
    if (this.ownsDir) fs.rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}

/** Offset → LSP position (UTF-16), for a text. */
export function pos(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

// The Pace VS Code client: starts the bundled language server, shows the project state in the
// status bar, and forwards the Pace commands to the server's custom requests.
//
// Custom requests (all optional on the server side; a MethodNotFound answer is reported to the
// user as "not available yet", never as a crash):
//   pace/check    params {}              → result { errors, warnings, files } (numbers, or arrays
//                                            whose length counts); without a usable answer the
//                                            summary is counted from the published diagnostics.
//   pace/generate params { uri? }        → result { files?: (string | { path })[], message? }
//   pace/preview  params { uri? }        → result string (Markdown) | { markdown? | text? | content? }
//
// Client commands the server's answers refer to (not in the command palette):
//   pace.showSloDetails { uri, id, title, details: string[] }  run by the budget code lens on an SLO:
//                                            shows its details, with a way to the preview.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import {
  ErrorCodes,
  LanguageClient,
  ResponseError,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

export interface CheckSummary {
  errors: number;
  warnings: number;
  files: number;
  /** 'server' when pace/check answered with counts, 'diagnostics' when counted on the client. */
  source: 'server' | 'diagnostics';
}

/** Activation timings, in milliseconds from the start of activate() (performance.now()). */
export interface PaceTimings {
  /** Start of activate() → its return: the activation time VS Code attributes to the extension (module loading excluded). */
  activateMs: number;
  /**
   * Start of activate() → the first language client running, i.e. the server has answered
   * `initialize` (the editor features work from then on). Undefined until then, and if that start failed.
   */
  readyMs?: number;
}

/** What activate() returns: tests and other extensions use it to wait for the server. */
export interface PaceApi {
  /** The current language client (a new one after each restart); undefined before the first start. */
  readonly client: LanguageClient | undefined;
  /** Settles when the current client has started (rejects if the start failed). */
  readonly ready: Promise<void>;
  /** Stops the server and starts it again, re-reading `pace.server.path`. */
  restart(): Promise<void>;
  /** How long the activation took (the first start of the server, not restarts). */
  readonly timings: Readonly<PaceTimings>;
}

const CLIENT_ID = 'pace'; // also the settings prefix: pace.trace.server is read by LanguageClient
const CLIENT_NAME = 'Pace Language Server';

let controller: PaceController | undefined;

export function activate(context: vscode.ExtensionContext): PaceApi {
  const t0 = performance.now();
  const c = new PaceController(context);
  controller = c;
  context.subscriptions.push(c);
  // Not awaited: the server starts in the background and `ready` settles when it is running.
  c.start();
  const timings: PaceTimings = { activateMs: 0 };
  const api: PaceApi = {
    get client() { return c.client; },
    get ready() { return c.ready; },
    restart: () => c.restart(),
    timings,
  };
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  // Runs after activate() has returned (the first start's promise, before any restart).
  c.ready.then(
    () => {
      timings.readyMs = performance.now() - t0;
      c.output.appendLine(`Activation: activate() took ${ms(timings.activateMs)}; the language server was ready ${ms(timings.readyMs)} after activation started.`);
    },
    () => c.output.appendLine(`Activation: activate() took ${ms(timings.activateMs)}; the language server did not start.`),
  );
  timings.activateMs = performance.now() - t0;
  return api;
}

export async function deactivate(): Promise<void> {
  await controller?.stopClient();
  controller = undefined;
}

function isPaceUri(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.pace') || path.posix.basename(uri.path) === 'pace.yaml';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v)) return v.length;
  return undefined;
}

class PaceController implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly previewContent = new Map<string, string>();
  private readonly previewChanged = new vscode.EventEmitter<vscode.Uri>();
  private clientDisposables: vscode.Disposable[] = [];
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  client: LanguageClient | undefined;
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Pace', { log: true });
    this.status = vscode.window.createStatusBarItem('pace.status', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'Pace';
    this.status.command = 'pace.checkProject';
    this.showStatus('$(sync~spin) Pace', 'Pace: starting the language server…');
    this.status.show();

    this.disposables.push(
      this.output,
      this.status,
      this.previewChanged,
      vscode.workspace.registerTextDocumentContentProvider('pace-preview', {
        onDidChange: this.previewChanged.event,
        provideTextDocumentContent: (uri) => this.previewContent.get(uri.toString()) ?? '',
      }),
      vscode.commands.registerCommand('pace.checkProject', () => this.checkProject()),
      vscode.commands.registerCommand('pace.generate', () => this.generate()),
      vscode.commands.registerCommand('pace.showPreview', (uri?: vscode.Uri) => this.showPreview(uri)),
      vscode.commands.registerCommand('pace.restartServer', () => this.restart()),
      vscode.commands.registerCommand('pace.showSloDetails', (args?: unknown) => this.showSloDetails(args)),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some(isPaceUri)) this.scheduleStatus();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pace.server.path')) {
          this.output.appendLine('pace.server.path changed: restarting the language server.');
          void this.restart();
        }
      }),
    );
  }

  // ---- server lifecycle ------------------------------------------------------------------

  /** The server module: `pace.server.path` when set and present, else the bundled one. */
  private serverModule(): string {
    const bundled = this.context.asAbsolutePath(path.join('server', 'out', 'server.cjs'));
    const configured = vscode.workspace.getConfiguration('pace').get<string>('server.path', '').trim();
    if (!configured) return bundled;
    let resolved = configured.replace(/^~(?=$|\/)/, process.env.HOME ?? '~');
    if (!path.isAbsolute(resolved)) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      resolved = folder ? path.join(folder.uri.fsPath, resolved) : path.resolve(resolved);
    }
    if (fs.existsSync(resolved)) return resolved;
    this.output.appendLine(`pace.server.path "${configured}" does not exist (${resolved}); using the bundled server.`);
    return bundled;
  }

  start(): void {
    const module = this.serverModule();
    this.output.appendLine(`Starting ${CLIENT_NAME} from ${module}`);
    const serverOptions: ServerOptions = {
      // A larger young generation: each edit of a large file allocates a syntax tree that survives,
      // and with Node's default semi-space the scavenges cost ~10 ms of edit → diagnostics on a
      // 10,000-line file (see BENCHMARKS.md).
      run: { module, transport: TransportKind.ipc, options: { execArgv: ['--max-semi-space-size=32'] } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--max-semi-space-size=32', '--nolazy', '--inspect=6009'] } },
    };
    const config = vscode.workspace.getConfiguration('pace');
    const watchers = [
      vscode.workspace.createFileSystemWatcher('**/*.pace'),
      vscode.workspace.createFileSystemWatcher('**/pace.yaml'),
    ];
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'pace' },
        { scheme: 'file', pattern: '**/pace.yaml' },
      ],
      synchronize: {
        configurationSection: 'pace',
        fileEvents: watchers,
      },
      initializationOptions: {
        projectPaths: config.get<string[]>('project.paths', []),
      },
      outputChannel: this.output,
      traceOutputChannel: this.output,
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables.push(
      ...watchers,
      client.onDidChangeState((e) => {
        if (e.newState === State.Starting) this.showStatus('$(sync~spin) Pace', 'Pace: starting the language server…');
        else if (e.newState === State.Running) this.scheduleStatus(0);
        else this.showStatus('$(circle-slash) Pace', 'Pace: the language server is not running. Click to check the project, or run "Pace: Restart Server".');
      }),
    );
    this.showStatus('$(sync~spin) Pace', 'Pace: starting the language server…');
    this.ready = client.start().then(
      () => {
        this.output.appendLine(`${CLIENT_NAME} is running.`);
        this.scheduleStatus(0);
      },
      (err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        this.output.appendLine(`${CLIENT_NAME} failed to start: ${msg}`);
        this.showStatus('$(error) Pace', `Pace: the language server failed to start: ${msg}`);
        void vscode.window.showErrorMessage(`Pace: the language server failed to start: ${msg}`, 'Show Output')
          .then((choice) => { if (choice) this.output.show(true); });
        throw err;
      },
    );
    this.ready.catch(() => { /* reported above; callers awaiting `ready` still see the rejection */ });
  }

  async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables) d.dispose();
    this.clientDisposables = [];
    if (!client) return;
    try {
      await this.ready.catch(() => undefined);
      if (client.state !== State.Stopped) await client.stop(5000);
    } catch (err) {
      this.output.appendLine(`Stopping the language server: ${err instanceof Error ? err.message : String(err)}`);
    }
    try { await client.dispose(); } catch { /* already stopped */ }
  }

  async restart(): Promise<void> {
    this.output.appendLine('Restarting the language server.');
    await this.stopClient();
    this.start();
    await this.ready;
  }

  // ---- status bar ------------------------------------------------------------------------

  private showStatus(text: string, tooltip: string): void {
    this.status.text = text;
    this.status.tooltip = tooltip;
  }

  private scheduleStatus(delay = 150): void {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => { this.statusTimer = undefined; this.updateStatus(); }, delay);
  }

  private updateStatus(): void {
    if (!this.client || this.client.state !== State.Running) return;
    const s = this.countDiagnostics();
    const tooltip = `Pace: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')}. Click to check the project.`;
    if (s.errors > 0) this.showStatus(`$(error) Pace ${s.errors}`, tooltip);
    else if (s.warnings > 0) this.showStatus(`$(warning) Pace ${s.warnings}`, tooltip);
    else this.showStatus('$(check) Pace', tooltip);
  }

  /** Errors and warnings currently shown for Pace files, and the number of Pace files known. */
  private countDiagnostics(): CheckSummary {
    let errors = 0, warnings = 0;
    const files = new Set<string>();
    for (const [uri, diags] of vscode.languages.getDiagnostics()) {
      if (!isPaceUri(uri)) continue;
      files.add(uri.toString());
      for (const d of diags) {
        if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
      }
    }
    for (const doc of vscode.workspace.textDocuments) if (isPaceUri(doc.uri) && doc.uri.scheme === 'file') files.add(doc.uri.toString());
    return { errors, warnings, files: files.size, source: 'diagnostics' };
  }

  // ---- commands --------------------------------------------------------------------------

  /** The running client, or undefined after telling the user that the server is not running. */
  private async runningClient(): Promise<LanguageClient | undefined> {
    try { await this.ready; } catch { /* reported below */ }
    const client = this.client;
    if (client && client.state === State.Running) return client;
    void vscode.window.showErrorMessage('Pace: the language server is not running.', 'Restart Server', 'Show Output')
      .then((choice) => {
        if (choice === 'Restart Server') void this.restart();
        else if (choice === 'Show Output') this.output.show(true);
      });
    return undefined;
  }

  private static isMethodNotFound(err: unknown): boolean {
    return err instanceof ResponseError ? err.code === ErrorCodes.MethodNotFound
      : typeof err === 'object' && err !== null && (err as { code?: unknown }).code === ErrorCodes.MethodNotFound;
  }

  private reportRequestError(what: string, err: unknown): void {
    const msg = err instanceof Error ? err.message : String(err);
    this.output.appendLine(`${what} failed: ${msg}`);
    void vscode.window.showErrorMessage(`Pace: ${what} failed: ${msg}`);
  }

  private activePaceUri(uri?: vscode.Uri): vscode.Uri | undefined {
    if (uri instanceof vscode.Uri) return uri;
    const active = vscode.window.activeTextEditor?.document.uri;
    return active && isPaceUri(active) ? active : undefined;
  }

  /** Pace: Check Project. Resolves with the summary (not waiting for the message to be closed). */
  async checkProject(): Promise<CheckSummary | undefined> {
    const client = await this.runningClient();
    if (!client) return undefined;
    let summary: CheckSummary | undefined;
    try {
      const r = await client.sendRequest<unknown>('pace/check', {});
      if (r && typeof r === 'object') {
        const o = r as Record<string, unknown>;
        const errors = countOf(o.errors), warnings = countOf(o.warnings), files = countOf(o.files);
        if (errors !== undefined && warnings !== undefined) {
          summary = { errors, warnings, files: files ?? this.countDiagnostics().files, source: 'server' };
        }
      }
    } catch (err) {
      if (!PaceController.isMethodNotFound(err)) {
        this.reportRequestError('checking the project', err);
        return undefined;
      }
      this.output.appendLine('pace/check is not supported by this server; counting the published diagnostics.');
    }
    summary ??= this.countDiagnostics();
    const text = `Pace: ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')} in ${plural(summary.files, 'file')}`;
    this.output.appendLine(text);
    this.updateStatus();
    if (summary.errors > 0) {
      void vscode.window.showWarningMessage(text, 'Show Problems')
        .then((choice) => { if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
    } else {
      void vscode.window.showInformationMessage(text);
    }
    return summary;
  }

  /** Pace: Generate Configs. */
  async generate(): Promise<unknown> {
    const client = await this.runningClient();
    if (!client) return undefined;
    const uri = this.activePaceUri();
    try {
      const r = await client.sendRequest<unknown>('pace/generate', uri ? { uri: uri.toString() } : {});
      const o = (r && typeof r === 'object' ? r : {}) as { files?: unknown; message?: unknown };
      const n = countOf(o.files);
      const text = typeof o.message === 'string' ? o.message
        : n !== undefined ? `Pace: generated ${plural(n, 'file')}.` : 'Pace: generation finished.';
      this.output.appendLine(text);
      void vscode.window.showInformationMessage(text);
      return r;
    } catch (err) {
      if (PaceController.isMethodNotFound(err)) {
        const text = 'Pace: generating configs is not available yet in this version of the Pace language server.';
        this.output.appendLine(text);
        void vscode.window.showInformationMessage(text);
        return undefined;
      }
      this.reportRequestError('generating configs', err);
      return undefined;
    }
  }

  /** The budget code lens of an SLO was clicked: its details in a message, with the preview one click away. */
  async showSloDetails(args: unknown): Promise<void> {
    const a = (args && typeof args === 'object' ? args : {}) as { uri?: unknown; id?: unknown; title?: unknown; details?: unknown };
    const id = typeof a.id === 'string' ? a.id : 'SLO';
    const details = Array.isArray(a.details) ? a.details.filter((d): d is string => typeof d === 'string') : [];
    const title = typeof a.title === 'string' ? a.title : '';
    this.output.appendLine([`SLO ${id}: ${title}`, ...details.map((d) => `  ${d}`)].join('\n'));
    const choice = await vscode.window.showInformationMessage(`Pace: SLO ${id}`, { modal: true, detail: (details.length ? details : [title]).join('\n') }, 'Show Preview');
    if (choice === 'Show Preview') {
      let uri: vscode.Uri | undefined;
      try { uri = typeof a.uri === 'string' ? vscode.Uri.parse(a.uri, true) : undefined; } catch { uri = undefined; }
      await this.showPreview(uri);
    }
  }

  /** Pace: Show Preview — the server's preview of the active Pace file, beside the editor. */
  async showPreview(target?: vscode.Uri): Promise<unknown> {
    const client = await this.runningClient();
    if (!client) return undefined;
    const uri = this.activePaceUri(target);
    try {
      const r = await client.sendRequest<unknown>('pace/preview', uri ? { uri: uri.toString() } : {});
      let content: string;
      if (typeof r === 'string') content = r;
      else if (r && typeof r === 'object') {
        const o = r as { markdown?: unknown; text?: unknown; content?: unknown };
        const s = [o.markdown, o.text, o.content].find((v) => typeof v === 'string') as string | undefined;
        content = s ?? '```json\n' + JSON.stringify(r, null, 2) + '\n```\n';
      } else content = 'The server returned no preview.\n';
      const name = uri ? path.posix.basename(uri.path) : 'project';
      const previewUri = vscode.Uri.from({ scheme: 'pace-preview', path: `/Preview ${name}.md` });
      this.previewContent.set(previewUri.toString(), content);
      this.previewChanged.fire(previewUri);
      const doc = await vscode.workspace.openTextDocument(previewUri);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      return r;
    } catch (err) {
      if (PaceController.isMethodNotFound(err)) {
        const text = 'Pace: the preview is not available yet in this version of the Pace language server.';
        this.output.appendLine(text);
        void vscode.window.showInformationMessage(text);
        return undefined;
      }
      this.reportRequestError('the preview', err);
      return undefined;
    }
  }

  dispose(): void {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    for (const d of this.disposables) d.dispose();
    void this.stopClient();
  }
}

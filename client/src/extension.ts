// The Pace VS Code client: starts the bundled language server, shows the project state in the
// status bar, and forwards the Pace commands to the server's custom requests.
//
// Custom requests (all optional on the server side; a MethodNotFound answer is reported to the
// user as "not available yet", never as a crash):
//   pace/check    params {}              → result { errors, warnings, files } (numbers, or arrays
//                                            whose length counts); without a usable answer the
//                                            summary is counted from the published diagnostics.
//   pace/generate params { uri? }        → result { files?: (string | { path })[], message? }
//   pace/preview  params { uri? | project?, html? }
//                                        → result { project, name, title, status, stale, message?,
//                                            preview (the JSON of `pace preview --format json`) | null,
//                                            files, html?, nonce? }: "Pace: Show Preview" shows `html`
//                                            in a webview panel under the webview's own CSP (nonce'd
//                                            scripts and styles only, nothing remote); an older answer
//                                            (string or { markdown | text | content }) is shown as text.
// Server notifications:
//   pace/previewChanged { project, name }  a project's preview changed (debounced by the server):
//                                            an open panel of that project asks for it again.
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
import { NONCE, textPage, webviewDocument } from './webview';

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
  /** The open preview panels (for tests: the webview's DOM is out of their reach). */
  previewPanels(): PreviewPanelInfo[];
}

/** An open "Pace: Show Preview" panel, as the test hook reports it. */
export interface PreviewPanelInfo {
  /** The project (its folder, as the server names it). */
  readonly project: string;
  readonly title: string;
  /** The document last given to the webview (CSP included). */
  readonly html: string;
  /** How many times its content was set (1 when opened, then one per update). */
  readonly updates: number;
  readonly status?: string;
  readonly stale: boolean;
  readonly visible: boolean;
  /** The preview JSON of the last answer (null without a preview). */
  readonly preview: unknown;
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
    previewPanels: () => c.previewPanels(),
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
  /** Open preview panels by project. */
  private readonly panels = new Map<string, PreviewPanel>();
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
      // Node's default heap settings, as the benchmarks measure the server (BENCHMARKS.md): the server
      // sizes its young generation itself (server/src/lsp/heap.ts); a larger one given here would
      // hold tens of MB more for a few ms less per edit of a 10,000-line file.
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
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
      client.onNotification('pace/previewChanged', (p: { project?: unknown } | undefined) => {
        if (typeof p?.project === 'string') this.panels.get(p.project)?.changed();
      }),
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

  /** Pace: Show Preview — the live preview of the active file's project in a webview beside the editor. */
  async showPreview(target?: vscode.Uri): Promise<unknown> {
    const client = await this.runningClient();
    if (!client) return undefined;
    const uri = this.activePaceUri(target);
    try {
      const r = await client.sendRequest<unknown>('pace/preview', uri ? { uri: uri.toString() } : {});
      const answer = PreviewPanel.answerOf(r, uri);
      let panel = this.panels.get(answer.project);
      if (!panel) {
        panel = new PreviewPanel(this.context, answer.project, (params) => this.requestPreview(params), (m) => this.output.appendLine(m), () => this.panels.delete(answer.project));
        this.panels.set(answer.project, panel);
      }
      panel.show(answer);
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

  private async requestPreview(params: { project: string }): Promise<unknown> {
    const client = this.client;
    if (!client || client.state !== State.Running) throw new Error('the language server is not running');
    return client.sendRequest<unknown>('pace/preview', params);
  }

  previewPanels(): PreviewPanelInfo[] {
    return [...this.panels.values()].map((p) => p.info());
  }

  dispose(): void {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    for (const p of [...this.panels.values()]) p.dispose();
    for (const d of this.disposables) d.dispose();
    void this.stopClient();
  }
}

/** What the client keeps of a pace/preview answer. */
interface PreviewAnswer {
  readonly project: string;
  readonly title: string;
  readonly status?: string;
  readonly stale: boolean;
  readonly preview: unknown;
  readonly html: string;
  readonly nonce: string;
}

/** Wait after pace/previewChanged before asking again (the server debounces edits already). */
const PREVIEW_REFRESH_MS = 100;

/** One project's preview in a webview panel beside the editor, updated as the server announces changes. */
class PreviewPanel {
  private readonly panel: vscode.WebviewPanel;
  private html = '';
  private updates = 0;
  private last?: PreviewAnswer;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private again = false;
  private disposed = false;

  constructor(
    context: vscode.ExtensionContext,
    readonly project: string,
    private readonly request: (params: { project: string }) => Promise<unknown>,
    private readonly log: (message: string) => void,
    onDispose: () => void,
  ) {
    this.panel = vscode.window.createWebviewPanel('pace.preview', 'Pace Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      // Scripts run only as the CSP lets them: the page's own, carrying its nonce (uPlot, the charts).
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [context.extensionUri],
    });
    this.panel.onDidDispose(() => {
      this.disposed = true;
      if (this.timer) clearTimeout(this.timer);
      onDispose();
    });
  }

  /** A pace/preview answer as the panel shows it (older answers: their text on a plain page). */
  static answerOf(r: unknown, uri: vscode.Uri | undefined): PreviewAnswer {
    const o = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const name = uri ? path.posix.basename(uri.path) : 'project';
    const project = str(o.project) ?? (uri ? uri.toString() : 'project');
    const title = str(o.title) ?? `Pace Preview: ${name}`;
    const html = str(o.html), nonce = str(o.nonce);
    if (html !== undefined && nonce !== undefined && NONCE.test(nonce)) {
      return { project, title, status: str(o.status), stale: o.stale === true, preview: o.preview ?? null, html, nonce };
    }
    const text = typeof r === 'string' ? r : str(o.message) ?? str(o.markdown) ?? str(o.text) ?? str(o.content) ?? (r === undefined || r === null ? 'The server returned no preview.' : JSON.stringify(r, null, 2));
    return { project, title, status: str(o.status), stale: o.stale === true, preview: o.preview ?? null, ...textPage(title, text) };
  }

  show(answer: PreviewAnswer): void {
    this.set(answer);
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  private set(answer: PreviewAnswer): void {
    if (this.disposed) return;
    this.last = answer;
    this.panel.title = answer.title + (answer.stale ? ' (stale)' : '');
    let doc: string;
    try {
      doc = webviewDocument(answer.html, answer.nonce, this.panel.webview.cspSource);
    } catch (e) {
      const page = textPage(answer.title, `The preview could not be shown: ${e instanceof Error ? e.message : String(e)}`);
      doc = webviewDocument(page.html, page.nonce, this.panel.webview.cspSource);
    }
    this.html = doc;
    this.updates++;
    this.panel.webview.html = doc;
  }

  /** The server says the preview changed: ask again, soon, one request at a time. */
  changed(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, PREVIEW_REFRESH_MS);
  }

  private async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      const r = await this.request({ project: this.project });
      if (!this.disposed) this.set(PreviewPanel.answerOf(r, undefined));
    } catch (e) {
      this.log(`Updating the preview of ${this.project} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    }
  }

  info(): PreviewPanelInfo {
    return { project: this.project, title: this.panel.title, html: this.html, updates: this.updates, status: this.last?.status, stale: this.last?.stale ?? false, visible: this.panel.visible, preview: this.last?.preview ?? null };
  }

  dispose(): void {
    this.panel.dispose();
  }
}

// Real-VS-Code end-to-end harness for the Pace extension, headless and offline:
// Code-OSS from the npm package code-server (on Node 24), driven by Debian's chromium through
// playwright-core. test/e2e/setup.sh installs all of that into $PACE_E2E_CACHE.
//
//  A) runExtensionTests: the mocha suite (client/src/test/suite) runs inside the real extension
//     host. code-server is started with `--vscode-option enable-smoke-test-driver`, which lets the
//     workbench honour the `payload` URL parameter (extensionDevelopmentPath/extensionTestsPath);
//     the workbench then calls window.codeAutomationExit(code) when the tests end and forwards
//     their console output to window.codeAutomationLog.
//  B) runGuiCheck: the packaged .vsix, installed with `code-server --install-extension`, in a
//     second code-server without that flag (smoke mode hides notifications): syntax colours,
//     squiggles, Problems panel, hover, a command and its notification, screenshots.
//
// Every server binds 127.0.0.1 on a port the OS picks, runs in its own process group and is
// killed at the end, on failure too. Scratch state (user data, XDG dirs, TMPDIR, workspace copies)
// lives in a temporary folder; logs and screenshots go to test/.artifacts/e2e/, the main screenshot
// to test/.artifacts/vscode-gui.png.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', '.artifacts');
/** Logs and secondary screenshots, emptied at the start of each run (the main screenshot is ARTIFACTS/vscode-gui.png). */
export const E2E_ARTIFACTS = path.join(ARTIFACTS, 'e2e');
const WORKSPACE_FIXTURE = path.join(ROOT, 'test', 'e2e', 'workspace');
const EXTENSION_ID = 'pace.pace-lang';

export interface E2eEnv {
  cache: string;
  node24: string;
  node24Dir: string;
  codeServer: string;
  codeServerVersion: string;
  playwrightCore: string;
  chromium: string;
}

const T0 = Date.now();
export function log(...args: unknown[]): void {
  console.log(`[e2e +${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...args);
}

// ---- setup and build -------------------------------------------------------------------------

/** Runs test/e2e/setup.sh (idempotent; installs on first use) and returns the cached paths. */
export async function runSetup(): Promise<E2eEnv> {
  const t = Date.now();
  // Asynchronous, so that the test worker stays responsive during a first-time install.
  const out: string[] = [];
  const status = await new Promise<number | string>((resolve) => {
    const child = spawn('bash', [path.join(ROOT, 'test', 'e2e', 'setup.sh')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), 30 * 60_000);
    const onData = (d: Buffer): void => {
      out.push(d.toString());
      for (const line of d.toString().split('\n')) if (line.startsWith('[pace-e2e setup')) log(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => { clearTimeout(timer); resolve(e.message); });
    child.on('close', (code, sig) => { clearTimeout(timer); resolve(code ?? String(sig)); });
  });
  if (status !== 0) throw new Error(`test/e2e/setup.sh failed (${status}):\n${out.join('').slice(-4000)}`);
  const cache = process.env.PACE_E2E_CACHE || path.join(os.homedir(), '.cache', 'pace-e2e');
  const env = JSON.parse(fs.readFileSync(path.join(cache, 'env.json'), 'utf8')) as E2eEnv;
  log(`setup ready in ${((Date.now() - t) / 1000).toFixed(1)}s (cache ${env.cache})`);
  return env;
}

function runNode(node: string, args: string[], what: string, timeoutMs = 300_000, env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(node, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${out.slice(-4000)}`);
  return out;
}

/** Bundles the mocha suite (client/out/test/index.cjs); the extension and server must be built. */
export function buildTests(): void {
  const missing = ['client/out/extension.cjs', 'server/out/server.cjs'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run "npm run build" (or "node esbuild.mjs") first`);
  runNode(process.execPath, [path.join(ROOT, 'test', 'e2e', 'build-tests.mjs')], 'bundling the extension tests');
}

/** Packages the extension with vsce (client/scripts/package-vsix.mjs) into `out`. */
export function packageVsix(env: E2eEnv, out: string): void {
  const t = Date.now();
  const output = runNode(process.execPath, [path.join(ROOT, 'client', 'scripts', 'package-vsix.mjs'), '--out', out],
    'packaging the VSIX', 300_000, { ...process.env, PACE_E2E_CACHE: env.cache });
  const summary = output.split('\n').filter((l) => l.startsWith('package-vsix:')).join(' ');
  log(`${summary} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
}

// ---- scratch space and processes -----------------------------------------------------------

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class Scratch {
  readonly dir: string;
  readonly artifacts: string;
  private readonly children = new Set<ChildProcess>();
  private readonly onExit = (): void => this.killAllSync();
  // The servers run in their own process groups, so a Ctrl+C in the terminal does not reach them:
  // on a signal, kill them, then let the signal take its default course.
  private readonly onSignal = (sig: NodeJS.Signals): void => {
    this.killAllSync();
    this.removeHandlers();
    process.kill(process.pid, sig);
  };

  constructor(readonly env: E2eEnv) {
    // Short path under the OS temp dir: code-server puts unix sockets in its user-data dir and TMPDIR.
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pace-e2e-'));
    for (const d of ['xdg-config', 'xdg-data', 'tmp']) fs.mkdirSync(path.join(this.dir, d));
    this.artifacts = E2E_ARTIFACTS;
    fs.rmSync(this.artifacts, { recursive: true, force: true });
    fs.mkdirSync(this.artifacts, { recursive: true });
    fs.rmSync(path.join(ARTIFACTS, 'vscode-gui.png'), { force: true });
    process.on('exit', this.onExit);
    for (const sig of SIGNALS) process.on(sig, this.onSignal);
  }

  private removeHandlers(): void {
    process.off('exit', this.onExit);
    for (const sig of SIGNALS) process.off(sig, this.onSignal);
  }

  path(...p: string[]): string { return path.join(this.dir, ...p); }

  /** A fresh copy of the fixture workspace. */
  workspace(name: string): string {
    const ws = this.path(name);
    fs.cpSync(WORKSPACE_FIXTURE, ws, { recursive: true });
    return ws;
  }

  /** Environment for code-server and everything it starts: Node 24 first, scratch XDG dirs and TMPDIR. */
  childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (/^(VITEST|VSCODE_|ELECTRON_|npm_)|^NODE_OPTIONS$|^NODE_ENV$|^NODE$|^TEST$/.test(k)) continue;
      env[k] = v;
    }
    return {
      ...env,
      PATH: `${path.dirname(this.env.node24)}${path.delimiter}${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: this.path('xdg-config'),
      XDG_DATA_HOME: this.path('xdg-data'),
      TMPDIR: this.path('tmp'),
      // An empty gallery switches the marketplace off: no lookups of open-vsx.org, which is unreachable anyway.
      EXTENSIONS_GALLERY: '{}',
      ...extra,
    };
  }

  codeServerArgs(userDataDir: string, extensionsDir: string): string[] {
    return [this.env.codeServer, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  }

  /** Installs a .vsix into an extensions dir with `code-server --install-extension`. */
  installVsix(vsix: string, extensionsDir: string): void {
    const out = runNode(this.env.node24, [...this.codeServerArgs(this.path('ud-install'), extensionsDir), '--install-extension', vsix, '--force'],
      'code-server --install-extension', 180_000, this.childEnv());
    if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} did not report success:\n${out.slice(-2000)}`);
    log(`installed ${path.basename(vsix)} into ${extensionsDir}`);
  }

  /** Starts code-server on 127.0.0.1 (port chosen by the OS) and waits until it answers /healthz. */
  async startCodeServer(name: string, opts: { smoke: boolean; userSettings?: object; env?: Record<string, string>; extensionsDir: string }): Promise<CodeServer> {
    const ud = this.path(`ud-${name}`);
    fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
    fs.mkdirSync(opts.extensionsDir, { recursive: true });
    fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify(opts.userSettings ?? {}, null, 2));
    const logFile = path.join(this.artifacts, `code-server-${name}.log`);
    const logFd = fs.openSync(logFile, 'w');
    const args = [
      ...this.codeServerArgs(ud, opts.extensionsDir),
      '--auth', 'none', '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      ...(opts.smoke ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ];
    const child = spawn(this.env.node24, args, {
      cwd: this.dir, env: this.childEnv(opts.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`code-server ${name} did not start within 60 s; log: ${logFile}\n${buf.slice(-2000)}`)), 60_000);
      const onData = (d: Buffer): void => {
        fs.writeSync(logFd, d);
        if (timer === undefined) return;
        buf += d.toString();
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(buf);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`code-server ${name} exited (${code ?? sig}) while starting; log: ${logFile}\n${buf.slice(-2000)}`)); });
    });
    child.once('exit', () => { try { fs.closeSync(logFd); } catch { /* closed */ } });
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
      if (i > 150) throw new Error(`code-server ${name} at ${url} does not answer /healthz`);
      await new Promise((r) => setTimeout(r, 200));
    }
    log(`code-server ${name} listening on ${url}${opts.smoke ? ' (smoke-test driver on)' : ''}`);
    return { name, url, stop: () => this.stop(child) };
  }

  /** SIGTERM the process group, then SIGKILL whatever is left of it. */
  private async stop(child: ChildProcess): Promise<void> {
    const pid = child.pid;
    if (pid === undefined) return;
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
    try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try { process.kill(-pid, 'SIGKILL'); } catch { /* the whole group is gone */ }
    this.children.delete(child);
  }

  private killAllSync(): void {
    for (const c of this.children) {
      if (c.pid !== undefined) { try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    this.children.clear();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c)));
    this.removeHandlers();
    if (process.env.PACE_E2E_KEEP === '1') log(`scratch kept at ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CodeServer { name: string; url: string; stop(): Promise<void> }

// ---- browser ----------------------------------------------------------------------------------

// playwright-core is loaded from the cache at run time, so the project has no dependency on it;
// its objects are used untyped here.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Browser = any;
type Page = any;
// The functions given to page.evaluate/waitForFunction run in the browser; the project compiles
// without the DOM library, so the few browser globals they use are declared loosely here.
declare const document: any, NodeFilter: any, getComputedStyle: any;
type Text = any;

async function launchBrowser(env: E2eEnv): Promise<Browser> {
  const { chromium } = createRequire(import.meta.url)(env.playwrightCore) as { chromium: any };
  return chromium.launch({
    executablePath: env.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Settings for both servers: no welcome page, no update or telemetry traffic, a fixed theme. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'git.enabled': false,
};

// ---- A: the mocha suite inside the extension host ---------------------------------------------

export interface SuiteResult {
  exitCode: number;
  passed: number;
  failed: number;
  skipped: number;
  results: { title: string; state: string; ms?: number; error?: string }[];
  log: string;
}

const NOISE = /AgentHost|ChatModelSelection|AccountPolicyGate|open-vsx|Creating a socket|connection token|grace time|Service Worker|builtin extensions cache|queryGallery|getExtensions|^Canceled|^\s+at /;

export async function runExtensionTests(s: Scratch, timeoutMs = 5 * 60_000): Promise<SuiteResult> {
  buildTests();
  const ws = s.workspace('ws-a');
  const resultsFile = s.path('results-a.json');
  const cs = await s.startCodeServer('a', {
    smoke: true, userSettings: USER_SETTINGS, extensionsDir: s.path('ext-a'), env: { PACE_E2E_RESULTS: resultsFile },
  });
  const browser = await launchBrowser(s.env);
  const lines: string[] = [];
  try {
    const page: Page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const remote = (p: string): string => `vscode-remote://remote${p}`; // code-server's remote authority
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(path.join(ROOT, 'client', 'out', 'test', 'index.cjs'))],
      ['skipWelcome', 'true'],
    ]);
    const exitCode = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the extension tests did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      void (async () => {
        await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
          const line = (Array.isArray(args) ? args : [args]).map(String).join(' ');
          if (NOISE.test(line)) return;
          lines.push(line);
          if (line.startsWith('[pace-e2e]')) console.log(line);
        });
        await page.exposeFunction('codeAutomationExit', (code: number) => { clearTimeout(timer); resolve(Number(code)); });
        page.on('pageerror', (e: Error) => lines.push(`PAGEERROR ${e.message}`));
        log(`opening the workbench with the test payload (workspace ${ws})`);
        await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
      })().catch((e: unknown) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); });
    }).catch(async (err: Error) => {
      await page.screenshot({ path: path.join(s.artifacts, 'ext-tests-timeout.png') }).catch(() => undefined);
      throw err;
    });
    await page.screenshot({ path: path.join(s.artifacts, 'ext-tests-end.png') }).catch(() => undefined);
    log(`codeAutomationExit(${exitCode})`);
    let summary: Omit<SuiteResult, 'exitCode' | 'log'> | undefined;
    if (fs.existsSync(resultsFile)) summary = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    else {
      const line = lines.find((l) => l.startsWith('[pace-e2e] RESULT '));
      if (line) summary = JSON.parse(line.slice('[pace-e2e] RESULT '.length));
    }
    return { exitCode, passed: 0, failed: 0, skipped: 0, results: [], ...summary, log: lines.join('\n') };
  } finally {
    fs.writeFileSync(path.join(s.artifacts, 'ext-tests.log'), lines.join('\n') + '\n');
    await browser.close().catch(() => undefined);
    await cs.stop();
  }
}

// ---- B: the installed VSIX, as a person sees it ------------------------------------------------

export interface GuiResult { checks: { name: string; ok: boolean; detail: string }[]; screenshots: string[] }

export async function runGuiCheck(s: Scratch): Promise<GuiResult> {
  const vsix = s.path('pace.vsix');
  packageVsix(s.env, vsix);
  const extDir = s.path('ext-b');
  s.installVsix(vsix, extDir);
  const installed = fs.readdirSync(extDir).filter((d) => d.startsWith(EXTENSION_ID));
  if (installed.length !== 1) throw new Error(`expected one ${EXTENSION_ID} folder in ${extDir}, found ${JSON.stringify(fs.readdirSync(extDir))}`);
  const ws = s.workspace('ws-b');
  const cs = await s.startCodeServer('b', { smoke: false, userSettings: USER_SETTINGS, extensionsDir: extDir });
  const browser = await launchBrowser(s.env);
  const checks: GuiResult['checks'] = [];
  const screenshots: string[] = [];
  const guiLog: string[] = [];
  const check = async (name: string, fn: () => Promise<string>): Promise<boolean> => {
    try {
      const detail = await fn();
      checks.push({ name, ok: true, detail });
      log(`GUI ✓ ${name}: ${detail}`);
      return true;
    } catch (e) {
      const detail = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
      checks.push({ name, ok: false, detail });
      log(`GUI ✗ ${name}: ${detail}`);
      return false;
    }
  };
  try {
    const page: Page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    page.on('pageerror', (e: Error) => guiLog.push(`PAGEERROR ${e.message}`));
    page.on('console', (m: any) => { if (m.type() === 'error') guiLog.push(`console.error ${String(m.text()).slice(0, 300)}`); });
    const shot = async (file: string, dir = s.artifacts): Promise<void> => {
      const p = path.join(dir, file);
      await page.screenshot({ path: p });
      screenshots.push(p);
    };
    const quickInput = page.locator('.quick-input-widget input');
    const openFile = async (name: string): Promise<void> => {
      await page.keyboard.press('Control+P');
      await quickInput.waitFor({ timeout: 15_000 });
      await quickInput.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 15_000 });
      await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 15_000 });
    };
    /** Viewport coordinates of the middle of `text` in the active editor's visible lines. */
    const textPoint = (text: string): Promise<{ x: number; y: number } | null> => page.evaluate((needle: string) => {
      const root = document.querySelector('.editor-instance .view-lines');
      if (!root) return null;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const nodes: Text[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      // Join the text of each line (tokens are split over spans) and find the needle in it.
      for (const line of Array.from(root.querySelectorAll('.view-line')) as any[]) {
        const inLine = nodes.filter((n) => line.contains(n));
        const full = inLine.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
        const at = full.indexOf(needle);
        if (at < 0) continue;
        let offset = at + Math.floor(needle.length / 2);
        for (const n of inLine) {
          if (offset < n.data.length) {
            const r = document.createRange();
            r.setStart(n, offset); r.setEnd(n, offset + 1);
            const b = r.getBoundingClientRect();
            return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
          }
          offset -= n.data.length;
        }
      }
      return null;
    }, text);
    /**
     * Moves the mouse onto `text` until a hover shows (up to 5 tries) and returns the hover's text.
     * The coordinates are measured again on each try: code lenses and inlay hints arrive late and
     * move the lines.
     */
    const hoverOver = async (text: string, expect?: RegExp): Promise<string> => {
      const visibleHover = page.locator('.monaco-hover:not(.hidden)').first();
      let last = '';
      for (let attempt = 0; attempt < 5; attempt++) {
        const pt = await textPoint(text);
        if (!pt) throw new Error(`"${text}" is not visible in the editor`);
        await page.mouse.move(pt.x - 60, pt.y + 250);
        await page.waitForTimeout(150);
        await page.mouse.move(pt.x, pt.y, { steps: 4 });
        try {
          await visibleHover.waitFor({ state: 'visible', timeout: 2500 });
          await page.waitForTimeout(400);
          last = String(await visibleHover.innerText()).trim();
          if (last && (!expect || expect.test(last))) return last;
        } catch { /* no hover yet: measure again and retry */ }
        await page.keyboard.press('Escape');
      }
      throw new Error(`no hover${expect ? ` matching ${expect}` : ''} over "${text}"; last: ${JSON.stringify(last.slice(0, 200))}`);
    };

    log(`opening the workbench on ${ws}`);
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });

    await check('status bar shows the Pace item', async () => {
      const item = page.locator('.statusbar-item', { hasText: /Pace/ }).first();
      await item.waitFor({ timeout: 60_000 });
      // Wait for the language server: the spinner gives way to a check, warning or error count.
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.statusbar-item'))
        .some((e: any) => /Pace/.test(e.textContent ?? '') && !e.querySelector('.codicon-sync, .codicon-modifier-spin')), undefined, { timeout: 60_000 });
      return JSON.stringify(String(await item.innerText()).trim());
    });

    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
    await check('broken.pace opens in an editor', async () => { await openFile('broken.pace'); return 'tab active'; });

    await check('syntax highlighting: several token colours', async () => {
      // The TextMate grammar tokenises asynchronously; wait until the lines carry several mtk classes.
      const colours = await page.waitForFunction(() => {
        const spans: any[] = Array.from(document.querySelectorAll('.editor-instance .view-lines .view-line span span'));
        const classes = new Set(spans.flatMap((s) => Array.from(s.classList).filter((c: any) => /^mtk\d+$/.test(c))));
        const colours = new Set(spans.map((s) => getComputedStyle(s).color));
        return classes.size >= 3 && colours.size >= 3 ? { classes: [...classes], colours: [...colours] } : null;
      }, undefined, { timeout: 15_000 }).then((h: any) => h.jsonValue());
      return `${colours.classes.length} token classes, ${colours.colours.length} colours`;
    });

    await check('error squiggle in the editor', async () => {
      await page.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 30_000 });
      return `${await page.locator('.squiggly-error').count()} .squiggly-error decorations`;
    });

    await check('hover on the squiggle shows the diagnostic', async () => {
      const text = await hoverOver('answerd', /answerd/);
      return JSON.stringify(text.slice(0, 160));
    });
    await shot('vscode-gui-squiggle.png').catch(() => undefined);
    await page.keyboard.press('Escape');

    await check('Problems panel lists the errors', async () => {
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.first().waitFor({ timeout: 15_000 });
      const texts: string[] = await rows.allInnerTexts();
      const msgs = texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => !/^broken\.pace/.test(t));
      if (!texts.some((t) => /broken\.pace/.test(t))) throw new Error(`no row for broken.pace: ${JSON.stringify(texts)}`);
      return `${texts.length} rows, e.g. ${JSON.stringify(msgs[0]?.slice(0, 120) ?? texts[0])}`;
    });

    await check('Pace: Check Project from the command palette shows a summary', async () => {
      await page.keyboard.press('F1');
      await quickInput.waitFor({ timeout: 15_000 });
      await quickInput.fill('>Pace: Check Project');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pace: Check Project' }).first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      const toast = page.locator('.notification-list-item-message', { hasText: /^Pace: \d+ errors?, \d+ warnings? in \d+ files?/ }).first();
      await toast.waitFor({ timeout: 30_000 });
      return JSON.stringify(String(await toast.innerText()).trim());
    });
    await page.keyboard.press('Escape');

    await check('checkout.pace opens in an editor', async () => { await openFile('checkout.pace'); return 'tab active'; });
    await check('hover on an SLO objective shows the error budget', async () => {
      let text = '';
      // The value, then the SLO's name (the middle of each needle is hovered).
      for (const needle of ['99.9%', 'slo availability']) {
        try { text = await hoverOver(needle, /43\s*m\s*12\s*s/); } catch (e) { text = (e as Error).message; continue; }
        return JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 200));
      }
      throw new Error(text);
    });
    await shot('vscode-gui.png', ARTIFACTS);
  } finally {
    fs.writeFileSync(path.join(s.artifacts, 'gui.log'), [...checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`), '', ...guiLog].join('\n') + '\n');
    await browser.close().catch(() => undefined);
    await cs.stop();
  }
  return { checks, screenshots };
}

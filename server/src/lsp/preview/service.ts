// The live preview of each project with sample data (pace.yaml `data:`), as the editor shows it:
// figures for code lenses and inlay hints, and the page of "Pace: Show Preview".
//
// - Off the request path: an edit only (re)starts a debounce timer (DEBOUNCE_MS). When it fires, the
//   project's current model (analysis.normalized(), which diagnostics have usually computed already)
//   goes to the preview worker (./worker.ts), which loads the data (cached by size and mtime) and
//   evaluates; the server's thread never parses samples nor evaluates, so diagnostics, completion
//   and every other request go on meanwhile. One evaluation per project at a time; edits made during
//   one cause one more afterwards.
// - A project with errors is not previewed: its last good preview is kept and marked stale.
// - Memory is bounded: the worker keeps the data of a few projects (worker.ts MAX_PROJECTS) and runs
//   with a heap limit (WORKER_HEAP_MB); a worker that dies (out of memory) is reported and started
//   again on the next change.
// - Each new figure set, and each change of staleness, is announced by `changed` (the server then
//   sends pace/previewChanged and asks the client to refresh lenses and hints).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import picomatch from 'picomatch';
import { LineIndex, type Analysis, type IssueLocation, type PreviewJson, type SlaPreview, type SloPreview } from '../../core/index.js';
import { toPath } from '../../node/project.js';
import type { Project } from '../projects.js';
import type { FromWorker, ToWorker } from './protocol.js';

export const DEBOUNCE_MS = 300;
export const WORKER_HEAP_MB = 2048;
/** How long pace/preview waits for an evaluation under way. */
const WAIT_MS = 60_000;

/** The figures lenses and hints show (the `LiveFigures` of core/ide/actions.ts). */
export interface Figures {
  readonly slos: ReadonlyMap<string, SloPreview>;
  readonly slas: ReadonlyMap<string, SlaPreview>;
  readonly stale: boolean;
  readonly at: number;
}

export type PreviewStatus = 'ready' | 'stale' | 'loading' | 'no-data' | 'errors' | 'failed';

interface Good {
  readonly snapshot: number;
  readonly slos: ReadonlyMap<string, SloPreview>;
  readonly slas: ReadonlyMap<string, SlaPreview>;
  readonly at: number;
  readonly json: PreviewJson;
  readonly files: readonly string[];
}

interface State {
  timer?: ReturnType<typeof setTimeout>;
  running: boolean;
  again: boolean;
  good?: Good;
  /** Errors in the project now (the preview, if any, is stale). */
  errors: number;
  status: PreviewStatus;
  message?: string;
  /** The analysis the figures (or the staleness) are of. */
  of?: Analysis;
  /** Settled when no evaluation is due or running. */
  idle: Promise<void>;
  settle?: () => void;
}

export interface PreviewHost {
  analysis(project: Project): Analysis;
  /** New figures, or another status: notify the client. */
  changed(project: Project): void;
  log(message: string): void;
  error(message: string): void;
}

export interface PreviewAnswerData {
  readonly status: PreviewStatus;
  readonly stale: boolean;
  readonly message?: string;
  readonly errors: number;
  readonly snapshot: number | null;
  readonly preview: PreviewJson | null;
  readonly files: readonly string[];
}

type Pending = { resolve: (m: FromWorker) => void; reject: (e: Error) => void };

/** The preview worker's bundle (preview-worker.cjs), next to the bundle that runs the server (server.cjs, or cli.cjs for `pace lsp`). */
function workerScript(): string | undefined {
  try {
    const here = fileURLToPath(import.meta.url);
    const f = path.join(path.dirname(here), 'preview-worker.cjs');
    if (/\.cjs$/.test(here) && fs.existsSync(f)) return f;
  } catch {
    /* not a file url */
  }
  return undefined;
}

/**
 * The worker's module, for the same work on this thread. Named by a variable, so that a bundler leaves
 * it out of the server's bundle (in a bundle without preview-worker.cjs beside it, the preview fails
 * with the reason instead).
 */
const WORKER_MODULE = './worker.js';

export class Previews {
  private readonly states = new Map<Project, State>();
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private snapshots = 0;
  private disposed = false;

  constructor(private readonly host: PreviewHost) {}

  /** The project's data globs (none for a loose file). */
  static globs(p: Project): readonly string[] {
    return p.loose || !p.root ? [] : (p.config.data ?? []);
  }

  /** Whether a file is sample data of the project (its pace.yaml `data:` globs). */
  static isDataOf(p: Project, file: string): boolean {
    const globs = Previews.globs(p);
    if (!globs.length || !p.root) return false;
    const rel = path.relative(p.root, file).split(path.sep).join('/');
    return picomatch(globs as string[], { dot: true })(rel);
  }

  private state(p: Project): State {
    let s = this.states.get(p);
    if (!s) {
      s = { running: false, again: false, errors: 0, status: 'loading', idle: Promise.resolve() };
      this.states.set(p, s);
    }
    return s;
  }

  private busy(s: State): void {
    if (s.settle) return;
    s.idle = new Promise<void>((r) => (s.settle = r));
  }

  private done(s: State): void {
    if (s.timer || s.running) return;
    const settle = s.settle;
    s.settle = undefined;
    settle?.();
  }

  /** The project's inputs changed: preview it again after the debounce. Cheap: a timer. */
  changed(p: Project, delay = DEBOUNCE_MS): void {
    if (this.disposed) return;
    if (!Previews.globs(p).length) {
      const s = this.states.get(p);
      if (s) this.drop(p);
      return;
    }
    const s = this.state(p);
    this.busy(s);
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void this.run(p, s);
    }, delay);
  }

  /** The project is gone (or has no data any more). */
  drop(p: Project): void {
    const s = this.states.get(p);
    if (!s) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    this.states.delete(p);
    s.settle?.();
    // The worker keeps the data (the project may come back under the same folder, as after a
    // rebuild); it holds a few projects' at most.
    this.host.changed(p);
  }

  /** A data file of the project changed on disk: preview it again (the worker re-reads what changed). */
  dataChanged(p: Project): void {
    const s = this.states.get(p);
    if (s) s.of = undefined;
    this.changed(p);
  }

  /** The figures for lenses and hints; undefined without data (or before the first preview). */
  figures(p: Project): Figures | undefined {
    if (!Previews.globs(p).length) return undefined;
    const s = this.states.get(p);
    if (!s) {
      this.changed(p, 0); // first asked before any change: preview it now
      return undefined;
    }
    if (!s.good) return undefined;
    return { slos: s.good.slos, slas: s.good.slas, at: s.good.at, stale: s.errors > 0 };
  }

  /** The state pace/preview answers with, after the evaluation under way (if any). */
  async answer(p: Project): Promise<PreviewAnswerData> {
    if (Previews.globs(p).length) {
      const s = this.state(p);
      if (!s.good && !s.timer && !s.running && s.status === 'loading') this.changed(p, 0);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([s.idle, new Promise<void>((r) => (timer = setTimeout(r, WAIT_MS)))]);
      if (timer) clearTimeout(timer);
    }
    const s = this.states.get(p);
    if (!s) return { status: 'no-data', stale: false, errors: 0, snapshot: null, preview: null, files: [], message: 'This project has no sample data: list its files under `data:` in pace.yaml (docs/editors.md).' };
    const stale = !!s.good && s.errors > 0;
    return { status: stale ? 'stale' : s.status, stale, errors: s.errors, message: s.message, snapshot: s.good?.snapshot ?? null, preview: s.good?.json ?? null, files: s.good?.files ?? [] };
  }

  /** The HTML page of a snapshot (built in the worker), with its nonce. */
  async html(p: Project, snapshot: number): Promise<{ html: string; nonce: string }> {
    const r = await this.send({ type: 'html', id: this.nextId++, key: p.id, snapshot });
    if (r.type !== 'html' || !r.ok) throw new Error(r.ok ? 'unexpected answer' : r.error);
    return { html: r.html, nonce: r.nonce };
  }

  private async run(p: Project, s: State): Promise<void> {
    if (this.states.get(p) !== s) return;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    try {
      const analysis = this.host.analysis(p);
      if (analysis === s.of && s.status !== 'failed') return; // nothing changed since
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
      if (errors) {
        const was = s.errors;
        s.errors = errors;
        s.of = analysis;
        if (!s.good) {
          s.status = 'errors';
          s.message = `The project has ${errors} error${errors === 1 ? '' : 's'}: fix ${errors === 1 ? 'it' : 'them'} to see the preview.`;
        }
        if (!was || !s.good) this.host.changed(p);
        return;
      }
      const { model, sourceMap } = analysis.normalized();
      const locations: Record<string, IssueLocation> = {};
      const lines = new Map<string, LineIndex>();
      for (const [id, loc] of sourceMap) {
        if (id.includes('#')) continue;
        const f = analysis.files.get(loc.uri);
        if (!f) continue;
        let li = lines.get(loc.uri);
        if (!li) lines.set(loc.uri, (li = f.lineIndex ?? new LineIndex(f.text)));
        const pos = li.position(loc.range.start);
        const file = loc.uri.startsWith('file:') && p.root ? path.relative(p.root, toPath(loc.uri)) : loc.uri;
        locations[id] = { file, line: pos.line + 1, column: pos.character + 1 };
      }
      const snapshot = ++this.snapshots;
      const r = await this.send({ type: 'preview', id: this.nextId++, key: p.id, root: p.root!, globs: Previews.globs(p), snapshot, model, locations });
      if (this.states.get(p) !== s) return;
      s.of = analysis;
      s.errors = 0;
      if (!r.ok) {
        s.status = 'failed';
        s.message = `The preview failed: ${r.error.split('\n')[0]}`;
        this.host.error(`Pace: the preview of ${p.id} failed: ${r.error}`);
      } else if (r.type === 'preview') {
        if (!r.figures || !r.json) {
          s.good = undefined;
          s.status = 'no-data';
          s.message = `No sample data: ${r.message ?? 'nothing to preview'}.`;
        } else {
          s.good = {
            snapshot,
            slos: new Map(r.figures.slos.map((x) => [x.id, x])),
            slas: new Map(r.figures.slas.map((x) => [x.id, x])),
            at: r.figures.at,
            json: r.json,
            files: r.files,
          };
          s.status = 'ready';
          s.message = undefined;
          this.host.log(`Pace: previewed ${p.id} on ${r.files.length} data file${r.files.length === 1 ? '' : 's'} in ${Math.round(r.ms)} ms (${this.worker ? 'preview worker' : 'server thread'}).`);
        }
      }
      this.host.changed(p);
    } catch (e) {
      s.status = 'failed';
      s.message = `The preview failed: ${e instanceof Error ? e.message : String(e)}`;
      this.host.error(`Pace: the preview of ${p.id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.host.changed(p);
    } finally {
      s.running = false;
      if (s.again) {
        s.again = false;
        if (!s.timer) void this.run(p, s);
      } else this.done(s);
    }
  }

  // ---- the worker ----

  private send(msg: Extract<ToWorker, { id: number }>): Promise<FromWorker> {
    const w = this.ensureWorker();
    if (!w) return this.inProcess(msg);
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(msg.id, { resolve, reject });
      w.postMessage(msg);
    });
  }

  /** Without the bundle (the sources run by a test): the same work on this thread. */
  private async inProcess(msg: Extract<ToWorker, { id: number }>): Promise<FromWorker> {
    if (/\.cjs$/.test(import.meta.url)) throw new Error(`the preview worker's bundle, preview-worker.cjs, is missing beside ${fileURLToPath(import.meta.url)}`);
    const { handle } = (await import(WORKER_MODULE)) as typeof import('./worker.js');
    return (await handle(msg))!;
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    const script = workerScript();
    if (!script) return undefined;
    const w = new Worker(script, { workerData: { paceWorker: 'preview' }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, stdout: false, stderr: false });
    w.unref();
    w.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.resolve(m);
    });
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      const list = [...this.pending.values()];
      this.pending.clear();
      for (const p of list) p.reject(new Error(why));
    };
    w.on('error', (e: Error & { code?: string }) => {
      const why = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the sample data needs more memory than the preview may use (${WORKER_HEAP_MB} MB)` : e.message;
      this.host.error(`Pace: the preview worker stopped: ${why}`);
      fail(why);
    });
    w.on('exit', (code) => fail(`the preview worker exited (code ${code})`));
    this.worker = w;
    return w;
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.states.values()) if (s.timer) clearTimeout(s.timer);
    this.states.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

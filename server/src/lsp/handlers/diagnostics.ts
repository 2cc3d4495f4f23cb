// Publishing diagnostics. Changes are coalesced per project on setImmediate; after a change every file
// of the project whose diagnostics changed is re-published (a rename in one file can fix or break
// another), and files that left the project get an empty list.
import type { Diagnostic } from '../../core/index.js';
import { diagnostic } from '../convert.js';
import type { Project } from '../projects.js';
import type { DiagnosticsPublisher, ServerContext } from '../context.js';

/** PACE_LSP_TIMING=1 logs how long each analysis and publication takes. */
const TIMING = process.env.PACE_LSP_TIMING === '1';

function fingerprint(list: readonly Diagnostic[]): string {
  return list.length ? JSON.stringify(list) : '';
}

export class Publisher implements DiagnosticsPublisher {
  private readonly pending = new Set<Project>();
  private timer: ReturnType<typeof setImmediate> | undefined;
  /** Uri published first in the next round (the document being edited). */
  private readonly first = new Map<Project, string>();

  constructor(private readonly ctx: ServerContext) {}

  schedule(project: Project, changedUri?: string): void {
    project.dirty = true;
    this.pending.add(project);
    if (changedUri) this.first.set(project, changedUri);
    this.timer ??= setImmediate(() => this.flush());
    // The preview follows the same changes, debounced (a timer, nothing more, per keystroke).
    this.ctx.previews.changed(project);
  }

  flush(): void {
    this.timer = undefined;
    const list = [...this.pending];
    this.pending.clear();
    for (const p of list) {
      try {
        this.publish(p);
      } catch (e) {
        this.ctx.error(`Pace: publishing diagnostics failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  }

  /** Analyses the project now and publishes what changed. */
  publish(project: Project): void {
    const t0 = TIMING ? performance.now() : 0;
    this.pending.delete(project);
    const analysis = project.analysis(this.ctx.open);
    const t1 = TIMING ? performance.now() : 0;
    project.dirty = false;
    const uris = project.uris();
    const first = this.first.get(project);
    this.first.delete(project);
    if (first && uris.includes(first)) uris.sort((a, b) => (a === first ? -1 : b === first ? 1 : 0));
    const current = new Set(uris);
    const docs = this.ctx.docsOf(project);
    for (const uri of uris) {
      const list = analysis.diagnosticsFor(uri);
      const fp = fingerprint(list);
      if (project.published.get(uri) === fp) continue;
      // A clean file needs no line table (built on first use, it holds an entry per line).
      const lines = list.length ? project.lines(uri) : undefined;
      if (list.length && !lines) continue;
      project.published.set(uri, fp);
      this.send(uri, lines ? list.map((d) => diagnostic(d, lines, docs)) : []);
    }
    for (const uri of [...project.published.keys()]) {
      if (current.has(uri)) continue;
      project.published.delete(uri);
      this.send(uri, []);
    }
    if (TIMING) this.ctx.log(`Pace timing: analysis ${(t1 - t0).toFixed(1)} ms, publish ${(performance.now() - t1).toFixed(1)} ms`);
  }

  /** Clears everything a project published (it was dropped), except the uris still published by `keep`. */
  clear(project: Project, keep: ReadonlySet<string> = new Set()): void {
    this.pending.delete(project);
    this.first.delete(project); // a dropped project's workspace must not stay reachable from here
    this.ctx.previews.drop(project);
    for (const uri of project.published.keys()) if (!keep.has(uri)) this.send(uri, []);
    project.published.clear();
  }

  private send(uri: string, diagnostics: ReturnType<typeof diagnostic>[]): void {
    const open = this.ctx.open.get(uri);
    void this.ctx.connection.sendDiagnostics({ uri: this.ctx.clientUri(uri), version: open?.version, diagnostics }).catch(() => undefined);
  }

  dispose(): void {
    this.ctx.previews.dispose();
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}

// `pace diff BASE [HEAD] [--format text|markdown|json] [--fail-on loosening|any] [--project DIR]`:
// the semantic diff of two revisions of a project (docs/diff.md). BASE and HEAD are git revisions
// (read with git, no checkout: server/src/node/git.ts) or folders; HEAD defaults to the working tree.
// Each side is analysed by its own workspace; a side with errors has no model, so nothing is diffed:
// its diagnostics are printed (on stderr, as `pace check` prints them, paths prefixed by the
// revision) and the command exits 2.
// Exit codes: 0 no change the gate blocks (always, without --fail-on), 1 a change --fail-on blocks,
// 2 usage, IO, git or project errors.
import pc from 'picocolors';
import pkg from '../../../package.json';
import { diff, LineIndex, type NormalizedModel, type SourceMap } from '../core/index.js';
import { readSide, SideError, type ProjectSide } from '../node/git.js';
import { toPath } from '../node/project.js';
import type { CliIO } from './main.js';
import { render, type ReportFile } from './report.js';

export interface DiffCliOptions {
  readonly format: string;
  readonly failOn?: string;
  readonly project?: string;
  readonly color: boolean;
}

export interface DiffHost {
  readonly display: (file: string) => string;
  readonly usage: (message: string) => Error;
}

const FORMATS = ['text', 'markdown', 'json'] as const;

export function diffCommand(baseSpec: string, headSpec: string | undefined, opts: DiffCliOptions, io: CliIO, host: DiffHost): number {
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw host.usage(`unknown format '${opts.format}' (known: ${FORMATS.join(', ')})`);
  if (opts.failOn !== undefined && !(diff.FAIL_ON as readonly string[]).includes(opts.failOn)) throw host.usage(`unknown --fail-on '${opts.failOn}' (known: ${diff.FAIL_ON.join(', ')})`);
  // One side at a time, keeping only its model, source map and texts: two analyses of a large
  // project held at once doubled the heap, and the collector's time with it.
  interface Analysed {
    side: Omit<ProjectSide, 'workspace'>;
    model: NormalizedModel;
    sourceMap: SourceMap;
    texts: Map<string, string>;
  }
  const done: Analysed[] = [];
  let broken = false;
  for (const [i, spec] of [baseSpec, headSpec].entries()) {
    let side: ProjectSide;
    try {
      side = readSide(spec, { cwd: io.cwd, project: opts.project, display: (f) => host.display(toPath(f)) });
    } catch (e) {
      if (e instanceof SideError) {
        io.stderr(`pace: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    const a = side.workspace.analyze();
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || side.configDiagnostics.length) {
      broken = true;
      const files = new Map<string, ReportFile>();
      for (const [uri, text] of side.texts) files.set(uri, { display: side.display(uri), uri, text });
      for (const [uri, f] of a.files) files.set(uri, { display: side.display(uri), uri, text: f.text });
      io.stderr(render('text', { diagnostics: errors, files, fileCount: a.files.size, color: false, toolVersion: pkg.version }));
      io.stderr(`pace: ${i === 0 ? 'the base' : 'the head'} (${side.label}) has errors; nothing was compared\n`);
      continue;
    }
    const { model, sourceMap } = a.normalized();
    const { workspace: _dropped, ...info } = side;
    done.push({ side: info, model, sourceMap, texts: new Map([...a.files].map(([uri, f]) => [uri, f.text])) });
  }
  if (broken) return 2;
  const [base, head] = done;
  const sides = [base.side, head.side];

  // `file:line` of a source-map key, on the side's own files.
  const lines = new Map<string, LineIndex>();
  const where = (which: 'base' | 'head', key: string) => {
    const d = which === 'base' ? base : head;
    const loc = d.sourceMap.get(key);
    if (!loc) return undefined;
    const cacheKey = `${which}\0${loc.uri}`;
    let li = lines.get(cacheKey);
    if (!li) {
      const text = d.texts.get(loc.uri);
      if (text === undefined) return undefined;
      lines.set(cacheKey, (li = new LineIndex(text)));
    }
    return `${d.side.display(loc.uri)}:${li.position(loc.range.start).line + 1}`;
  };
  const sideJson = (s: Omit<ProjectSide, 'workspace'>): diff.DiffSide => (s.kind === 'git' ? { label: s.label, kind: 'git', commit: s.commit } : { label: s.label, kind: 'folder', path: host.display(s.root) });
  const promOptions = (s: Omit<ProjectSide, 'workspace'>) => ({ labels: s.config.generate?.targets?.prometheus?.labels });
  const result = diff.diffProjects(base.model, head.model, { base: sideJson(sides[0]), head: sideJson(sides[1]) }, {
    where,
    failOn: opts.failOn as diff.FailOn | undefined,
    prometheus: { base: promOptions(sides[0]), head: promOptions(sides[1]) },
  });
  if (opts.format === 'json') io.stdout(JSON.stringify(result, null, 2) + '\n');
  else if (opts.format === 'markdown') io.stdout(diff.diffMarkdown(result));
  else {
    const color = opts.color && io.isTTY && !(io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '');
    const c = pc.createColors(color);
    io.stdout(diff.diffText(result, { loosening: c.red, tightening: c.green, dim: c.dim, bold: c.bold }));
  }
  return result.gate.blocked ? 1 : 0;
}

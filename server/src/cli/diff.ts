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
import { diff, LineIndex, type Diagnostic } from '../core/index.js';
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
  let sides: ProjectSide[];
  try {
    const read = (spec: string | undefined) => readSide(spec, { cwd: io.cwd, project: opts.project, display: (f) => host.display(toPath(f)) });
    sides = [read(baseSpec), read(headSpec)];
  } catch (e) {
    if (e instanceof SideError) {
      io.stderr(`pace: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const analyses = sides.map((s) => s.workspace.analyze());
  let broken = false;
  analyses.forEach((a, i) => {
    const side = sides[i];
    const diagnostics: Diagnostic[] = [...a.diagnostics];
    if (!diagnostics.some((d) => d.severity === 'error') && !side.configDiagnostics.length) return;
    broken = true;
    const files = new Map<string, ReportFile>();
    for (const [uri, text] of side.texts) files.set(uri, { display: side.display(uri), uri, text });
    for (const [uri, f] of a.files) files.set(uri, { display: side.display(uri), uri, text: f.text });
    io.stderr(render('text', { diagnostics: diagnostics.filter((d) => d.severity === 'error'), files, fileCount: a.files.size, color: false, toolVersion: pkg.version }));
    io.stderr(`pace: ${i === 0 ? 'the base' : 'the head'} (${side.label}) has errors; nothing was compared\n`);
  });
  if (broken) return 2;

  const models = analyses.map((a) => a.normalized());
  // `file:line` of a source-map key, on the side's own files.
  const lines = new Map<string, LineIndex>();
  const where = (side: 'base' | 'head', key: string) => {
    const i = side === 'base' ? 0 : 1;
    const loc = models[i].sourceMap.get(key);
    if (!loc) return undefined;
    const cacheKey = `${i}\0${loc.uri}`;
    let li = lines.get(cacheKey);
    if (!li) {
      const f = analyses[i].files.get(loc.uri);
      if (!f) return undefined;
      lines.set(cacheKey, (li = f.lineIndex));
    }
    return `${sides[i].display(loc.uri)}:${li.position(loc.range.start).line + 1}`;
  };
  const sideJson = (s: ProjectSide): diff.DiffSide => (s.kind === 'git' ? { label: s.label, kind: 'git', commit: s.commit } : { label: s.label, kind: 'folder', path: host.display(s.root) });
  const promOptions = (s: ProjectSide) => ({ labels: s.config.generate?.targets?.prometheus?.labels });
  const result = diff.diffProjects(models[0].model, models[1].model, { base: sideJson(sides[0]), head: sideJson(sides[1]) }, {
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

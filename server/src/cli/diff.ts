// `pace diff BASE [HEAD] [--format text|markdown|json] [--fail-on loosening|any] [--project DIR]`:
// the semantic diff of two revisions of a project (docs/diff.md). BASE and HEAD are git revisions
// (read with git, no checkout: server/src/node/git.ts) or folders; HEAD defaults to the working tree.
// Each side is analysed by its own workspace; a side with errors has no model, so nothing is diffed:
// its diagnostics are printed (on stderr, as `pace check` prints them, paths prefixed by the
// revision) and the command exits 2.
// Exit codes: 0 no change the gate blocks (always, without --fail-on), 1 a change --fail-on blocks,
// 2 usage, IO, git or project errors.
import pc from 'picocolors';
import { diff, LineIndex } from '../core/index.js';
import { toPath } from '../node/project.js';
import { analyseSide, startSideWorker, type SideInfo, type SideOutcome, type SideRequest } from './diff-side.js';
import type { CliIO } from './main.js';

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

export async function diffCommand(baseSpec: string, headSpec: string | undefined, opts: DiffCliOptions, io: CliIO, host: DiffHost): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw host.usage(`unknown format '${opts.format}' (known: ${FORMATS.join(', ')})`);
  if (opts.failOn !== undefined && !(diff.FAIL_ON as readonly string[]).includes(opts.failOn)) throw host.usage(`unknown --fail-on '${opts.failOn}' (known: ${diff.FAIL_ON.join(', ')})`);
  // Each side keeps only its model, source map and texts (two analyses of a large project held at
  // once doubled the heap, and the collector's time with it). From the bundle the base side is
  // worked out in a worker thread while this thread works out the head (cli/diff-side.ts); the
  // output is the same either way: the base's messages first, the head's after.
  const requests: SideRequest[] = [
    { spec: baseSpec, which: 'base', cwd: io.cwd, project: opts.project },
    { spec: headSpec, which: 'head', cwd: io.cwd, project: opts.project },
  ];
  const inWorker = startSideWorker(requests[0]);
  const headFirst = inWorker ? analyseSide(requests[1], host.display) : undefined;
  const done: Extract<SideOutcome, { kind: 'ok' }>[] = [];
  let broken = false;
  for (const [i, req] of requests.entries()) {
    // A worker that failed gives no outcome: the side is then worked out here, as without a worker.
    const outcome = (i === 0 ? inWorker && (await inWorker) : headFirst) || analyseSide(req, host.display);
    if (outcome.kind === 'unreadable') {
      io.stderr(`pace: ${outcome.message}\n`);
      return 2;
    }
    if (outcome.kind === 'broken') {
      broken = true;
      for (const s of outcome.stderr) io.stderr(s);
      continue;
    }
    done.push(outcome);
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
    return `${d.side.shown.get(loc.uri) ?? host.display(toPath(loc.uri))}:${li.position(loc.range.start).line + 1}`;
  };
  const sideJson = (s: SideInfo): diff.DiffSide => (s.kind === 'git' ? { label: s.label, kind: 'git', commit: s.commit } : { label: s.label, kind: 'folder', path: host.display(s.root) });
  const promOptions = (s: SideInfo) => ({ labels: s.config.generate?.targets?.prometheus?.labels });
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

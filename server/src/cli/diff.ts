// `pace diff BASE [HEAD] [--format text|markdown|json] [--fail-on loosening|any] [--project DIR]`:
// the semantic diff of two revisions of a project (docs/diff.md). BASE and HEAD are git revisions
// (read with git, no checkout: server/src/node/git.ts) or folders; HEAD defaults to the working tree.
// Each side is analysed by its own workspace; a side with errors has no model, so nothing is diffed:
// its diagnostics are printed (on stderr, as `pace check` prints them, paths prefixed by the
// revision) and the command exits 2.
// Exit codes: 0 no change the gate blocks (always, without --fail-on), 1 a change --fail-on blocks,
// 2 usage, IO, git or project errors.
import { diff } from '../core/index.js';
import { compareSides, generatedChanges, renderCompared, type Compared, type CompareOptions } from './diff-compare.js';
import { analyseSide, modelFromWire, modelToWire, sharedServices, startSideWorker, type SideOutcome, type SideRequest } from './diff-side.js';
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
  // worked out in a worker thread while this thread works out the head (cli/diff-side.ts); then the
  // two threads exchange their models and share the comparison: the worker works out the model
  // changes (it has the base's source map and texts, to say where each change is written) while this
  // thread works out what they do to the generated rules, then renders both. The output is the same
  // either way: the base's messages first, the head's after.
  const requests: SideRequest[] = [
    { spec: baseSpec, which: 'base', cwd: io.cwd, project: opts.project },
    { spec: headSpec, which: 'head', cwd: io.cwd, project: opts.project },
  ];
  const compare: CompareOptions = {
    format: opts.format as CompareOptions['format'],
    failOn: opts.failOn as diff.FailOn | undefined,
    color: opts.color && io.isTTY && !(io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== ''),
  };
  const print = (c: Compared) => {
    io.stdout(c.stdout);
    return c.code;
  };
  const worker = startSideWorker(requests[0]);
  let base: SideOutcome | 'ok in the worker';
  let head: SideOutcome;
  if (worker) {
    // The head is worked out here while the worker works out the base.
    head = analyseSide(requests[1], host.display);
    const ok = head.kind === 'ok' ? head : null;
    const wire = ok && modelToWire(ok.model);
    const wireBase = await worker.post(ok, wire);
    // While the worker works out the model changes: the generated rules' half, on the base's model
    // rebuilt with the services that are the same as the head's taken from the head.
    const generated = ok && wire && wireBase && generatedChanges({ side: wireBase.side, model: modelFromWire(wireBase.model, sharedServices(ok.model, wire)) }, ok);
    const answer = await worker.answer;
    if (answer?.kind === 'changes' && ok && wireBase && generated) return print(renderCompared(wireBase.side, ok.side, answer.changes, generated, compare, host.display));
    // A worker that failed gives no answer: the base is then worked out here, as without a worker.
    base = !answer || answer.kind === 'changes' ? analyseSide(requests[0], host.display) : answer.kind === 'base' ? answer.outcome : 'ok in the worker';
  } else {
    base = analyseSide(requests[0], host.display);
    head = analyseSide(requests[1], host.display);
  }
  // The base's messages first, the head's after; an unreadable side stops there.
  let broken = false;
  for (const outcome of [base, head]) {
    if (outcome === 'ok in the worker' || outcome.kind === 'ok') continue;
    if (outcome.kind === 'unreadable') {
      io.stderr(`pace: ${outcome.message}\n`);
      return 2;
    }
    broken = true;
    for (const s of outcome.stderr) io.stderr(s);
  }
  // A clean base left in the worker comes only with a head that cannot be compared (printed above).
  if (broken || base === 'ok in the worker' || base.kind !== 'ok' || head.kind !== 'ok') return 2;
  return print(compareSides(base, head, compare, host.display));
}

// The comparing half of `pace diff` (cli/diff.ts): two sides that analysed clean (cli/diff-side.ts)
// in, the rendered output and the exit code out. It runs where the base side was worked out: in the
// diff worker, which the head side is posted to while the worker still analyses the base (the main
// thread has finished its side by then), or on the main thread when there is no worker. Either way
// the same function writes the same bytes (test/diff/bin.test.ts).
import pc from 'picocolors';
import { diff, LineIndex } from '../core/index.js';
import { toPath } from '../node/project.js';
import type { SideInfo, SideOutcome } from './diff-side.js';

export type OkSide = Extract<SideOutcome, { kind: 'ok' }>;

/** What the output depends on besides the two sides; plain data, so that it can cross to the worker. */
export interface CompareOptions {
  readonly format: 'text' | 'markdown' | 'json';
  readonly failOn?: diff.FailOn;
  /** Whether the text format is coloured (the main thread decides: --color, a terminal, NO_COLOR). */
  readonly color: boolean;
}

export interface Compared {
  readonly stdout: string;
  /** 1 when --fail-on blocks the changes, else 0. */
  readonly code: 0 | 1;
}

/** The diff of two sides as the CLI prints it. `display` shows a file path (main.ts's rule). */
export function compareSides(base: OkSide, head: OkSide, opts: CompareOptions, display: (file: string) => string): Compared {
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
    return `${d.side.shown.get(loc.uri) ?? display(toPath(loc.uri))}:${li.position(loc.range.start).line + 1}`;
  };
  const sideJson = (s: SideInfo): diff.DiffSide => (s.kind === 'git' ? { label: s.label, kind: 'git', commit: s.commit } : { label: s.label, kind: 'folder', path: display(s.root) });
  const promOptions = (s: SideInfo) => ({ labels: s.config.generate?.targets?.prometheus?.labels });
  const result = diff.diffProjects(base.model, head.model, { base: sideJson(base.side), head: sideJson(head.side) }, {
    where,
    failOn: opts.failOn,
    prometheus: { base: promOptions(base.side), head: promOptions(head.side) },
  });
  let stdout: string;
  if (opts.format === 'json') stdout = JSON.stringify(result, null, 2) + '\n';
  else if (opts.format === 'markdown') stdout = diff.diffMarkdown(result);
  else {
    const c = pc.createColors(opts.color);
    stdout = diff.diffText(result, { loosening: c.red, tightening: c.green, dim: c.dim, bold: c.bold });
  }
  return { stdout, code: result.gate.blocked ? 1 : 0 };
}

// The comparing half of `pace diff` (cli/diff.ts): two sides that analysed clean (cli/diff-side.ts)
// in, the rendered output and the exit code out, in two halves that can run on two threads: the
// model changes (modelChanges, which reads the sides' source maps and texts) and what they do to the
// generated rules (generatedChanges, which reads only the models). With a worker, the worker works
// out the first where the base side is, while the main thread works out the second with the base's
// model that the worker posted it; without one, compareSides does both on one thread. Either way the
// same functions write the same bytes (test/diff/bin.test.ts).
import pc from 'picocolors';
import { diff, LineIndex, type NormalizedModel } from '../core/index.js';
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

/** The diff of two sides as the CLI prints it, worked out on one thread. `display` shows a file path (main.ts's rule). */
export function compareSides(base: OkSide, head: OkSide, opts: CompareOptions, display: (file: string) => string): Compared {
  return renderCompared(base.side, head.side, modelChanges(base, head, display), generatedChanges(base, head), opts, display);
}

/**
 * The half of the diff that reads the sides' source maps and texts (to say where each change is
 * written): the model changes. With a worker, the worker works it out, where the base side is.
 */
export function modelChanges(base: OkSide, head: OkSide, display: (file: string) => string): diff.ModelChange[] {
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
  return diff.diffModels(base.model, head.model, { where });
}

/** A side's model with what generating from it reads besides (pace.yaml's prometheus labels). */
export interface ModelSide {
  readonly model: NormalizedModel;
  readonly side: SideInfo;
}

/**
 * The half of the diff that needs only the two models and the sides' configuration: what the changes
 * do to the generated rules. With a worker, the main thread works it out while the worker works out
 * the model changes.
 */
export function generatedChanges(base: ModelSide, head: ModelSide): diff.GeneratedChange[] {
  const promOptions = (s: SideInfo) => ({ labels: s.config.generate?.targets?.prometheus?.labels });
  return diff.diffGenerated(base.model, head.model, { base: promOptions(base.side), head: promOptions(head.side) });
}

/** The two halves put together, as the CLI prints them. */
export function renderCompared(base: SideInfo, head: SideInfo, changes: diff.ModelChange[], generated: diff.GeneratedChange[], opts: CompareOptions, display: (file: string) => string): Compared {
  const sideJson = (s: SideInfo): diff.DiffSide => (s.kind === 'git' ? { label: s.label, kind: 'git', commit: s.commit } : { label: s.label, kind: 'folder', path: display(s.root) });
  const result = diff.diffResult({ base: sideJson(base), head: sideJson(head) }, changes, generated, opts.failOn);
  let stdout: string;
  if (opts.format === 'json') stdout = JSON.stringify(result, null, 2) + '\n';
  else if (opts.format === 'markdown') stdout = diff.diffMarkdown(result);
  else {
    const c = pc.createColors(opts.color);
    stdout = diff.diffText(result, { loosening: c.red, tightening: c.green, dim: c.dim, bold: c.bold });
  }
  return { stdout, code: result.gate.blocked ? 1 : 0 };
}

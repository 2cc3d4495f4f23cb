// `pace diff`'s core (docs/diff.md): two normalized models in, the semantic changes out — the model
// changes with their classes (diff.ts), what they do to the generated Prometheus rules (generated.ts),
// the gate of `--fail-on`, and the text, Markdown and JSON renderings (render.ts). Pure: the host reads
// the two sides (git or folders) and analyses each in its own workspace.
import type { NormalizedModel } from '../model/model.js';
import type { PrometheusOptions } from '../generate/prometheus.js';
import { diffModels, type ChangeClass, type DiffOptions, type ModelChange } from './diff.js';
import { diffGenerated, type GeneratedChange } from './generated.js';

export { diffModels, dependencyBounds, match, pairRules, sliSignature, type ChangeClass, type ChangeKind, type DiffEntity, type DiffOptions, type ModelChange } from './diff.js';
export { diffGenerated, generatedRules, type GeneratedChange, type GeneratedRule } from './generated.js';
export { diffText, diffMarkdown, type Paint } from './render.js';

export const FAIL_ON = ['loosening', 'any'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** One side of the diff as the JSON names it. */
export interface DiffSide {
  /** As the user wrote it (`main`, `HEAD~1`, `../old`), or `working tree`. */
  readonly label: string;
  readonly kind: 'git' | 'folder';
  /** The commit a git side was read at. */
  readonly commit?: string;
  /** A folder side's path, as shown (relative to the working folder). */
  readonly path?: string;
}

export interface DiffResult {
  readonly version: 1;
  readonly base: DiffSide;
  readonly head: DiffSide;
  readonly summary: {
    readonly changes: number;
    readonly tightening: number;
    readonly loosening: number;
    readonly neutral: number;
    readonly generated: { readonly appeared: number; readonly vanished: number; readonly changed: number };
  };
  readonly gate: { readonly failOn: FailOn | null; readonly blocked: boolean };
  readonly changes: ModelChange[];
  readonly generated: GeneratedChange[];
}

export interface DiffProjectsOptions extends DiffOptions {
  readonly failOn?: FailOn;
  /** The prometheus target's options of each side (pace.yaml's `generate.targets.prometheus.labels`). */
  readonly prometheus?: { readonly base?: PrometheusOptions; readonly head?: PrometheusOptions };
}

/** Whether `--fail-on` blocks these changes: any loosening one, or any change at all. */
export function blocks(changes: readonly ModelChange[], failOn: FailOn | undefined): boolean {
  if (!failOn) return false;
  return failOn === 'any' ? changes.length > 0 : changes.some((c) => c.class === 'loosening');
}

export function diffProjects(base: NormalizedModel, head: NormalizedModel, sides: { base: DiffSide; head: DiffSide }, opts: DiffProjectsOptions = {}): DiffResult {
  return diffResult(sides, diffModels(base, head, opts), diffGenerated(base, head, opts.prometheus), opts.failOn);
}

/**
 * The result of the two halves of diffProjects, worked out apart: the model changes and what they do
 * to the generated rules (`pace diff` works the two out on two threads: cli/diff.ts).
 */
export function diffResult(sides: { base: DiffSide; head: DiffSide }, changes: ModelChange[], generated: GeneratedChange[], failOn?: FailOn): DiffResult {
  const count = (c: ChangeClass) => changes.filter((x) => x.class === c).length;
  const gen = (k: GeneratedChange['kind']) => generated.filter((g) => g.kind === k).length;
  return {
    version: 1,
    base: sides.base,
    head: sides.head,
    summary: { changes: changes.length, tightening: count('tightening'), loosening: count('loosening'), neutral: count('neutral'), generated: { appeared: gen('appeared'), vanished: gen('vanished'), changed: gen('changed') } },
    gate: { failOn: failOn ?? null, blocked: blocks(changes, failOn) },
    changes,
    generated,
  };
}

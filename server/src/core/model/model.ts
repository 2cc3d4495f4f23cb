// The normalized model: the one contract between the checker and every stage after it (preview,
// generators, importers, diff, report). Its types are generated from schemas/pace-model.schema.json
// (`npm run gen:model`; a test fails when they drift), so the schema and the code cannot disagree.
// This module adds what JSON Schema cannot say: the id scheme's helpers and the source map.
import type { Range } from '../../../../grammar/src/ast.js';
import type { Window } from './model.generated.js';

export type * from './model.generated.js';
export type ModelWindow = Window;

/** The kinds of declaration, as they prefix ids (`slo:checkout.availability`). */
export const ID_KINDS = ['service', 'sli', 'slo', 'sla', 'policy', 'objective', 'kpi'] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** `slo:checkout.availability` from a kind and a qualified name (`checkout.availability`). */
export function modelId(kind: IdKind, qualifiedName: string): string {
  return `${kind}:${qualifiedName}`;
}

/** The parts of a typed id; undefined when it is not one. */
export function parseId(id: string): { kind: IdKind; path: string; parent?: string; name: string } | undefined {
  const m = /^([a-z]+):([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?$/.exec(id);
  if (!m || !(ID_KINDS as readonly string[]).includes(m[1])) return undefined;
  return m[3] ? { kind: m[1] as IdKind, path: `${m[2]}.${m[3]}`, parent: m[2], name: m[3] } : { kind: m[1] as IdKind, path: m[2], name: m[2] };
}

export interface SourceLocation {
  readonly uri: string;
  readonly range: Range;
}

/**
 * Where each part of the model was written, keyed by id: `slo:checkout.availability` (the
 * declaration's name), `slo:checkout.availability#objective` (an attribute's value), and for lists
 * `#rules/0`, `#credits/1`. Keys: every declaration; SLO `#sli #objective #window #alerting #labels`
 * and `#rules/N` (the policy's rule, or the `alerting` value for the default policy); SLA `#slo #sli
 * #objective #window #credits/N`; SLI `#good #bad #total #histogram #under #gauge #good_when #slice`;
 * policy `#rules/N #labels`; KPI `#measure #target #window`; service `#owner #tier #depends_on`.
 */
export type SourceMap = ReadonlyMap<string, SourceLocation>;

export function sourceKey(id: string, part?: string): string {
  return part === undefined ? id : `${id}#${part}`;
}

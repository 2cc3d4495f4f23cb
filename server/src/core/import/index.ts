// `pace import`'s core: YAML of another tool (OpenSLO, Sloth) → the declarations of a Pace model.
// Each format is a pure function from source texts to a model built with the model builder
// (core/model/build.ts, as the normalizer builds one) and located messages; the façade
// (core/import-project.ts) prints the model as .pace files and checks them. What Pace cannot
// express is one message per construct, never dropped silently.
import type { NormalizedModel } from '../model/model.js';
import { importOpenSlo } from './openslo.js';
import { importSloth } from './sloth.js';

/** One input file. `name` is how messages show it (a path relative to the working folder). */
export interface ImportSource {
  readonly name: string;
  readonly text: string;
}

/** A message about the input, located in it (1-based line and column, as editors and compilers show them). */
export interface ImportMessage {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ImportResult {
  /** Undefined when an error leaves nothing to build. */
  readonly model?: NormalizedModel;
  readonly messages: readonly ImportMessage[];
}

export type Importer = (sources: readonly ImportSource[]) => ImportResult;

/** The formats `pace import` reads; each registers its importer here. */
export const IMPORT_FORMATS = ['openslo', 'sloth'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const IMPORTERS: Partial<Record<ImportFormat, Importer>> = {
  openslo: importOpenSlo,
  sloth: importSloth,
};

export function importerOf(format: ImportFormat): Importer | undefined {
  return IMPORTERS[format];
}

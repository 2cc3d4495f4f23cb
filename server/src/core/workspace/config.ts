// pace.yaml: parsed with `yaml`, validated with ajv against schemas/pace-config.schema.json, every
// problem located in the YAML. Pure: the host reads the file and passes its text.
import { validate as validateConfig } from './config-validator.generated.js';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import schema from '../../../../schemas/pace-config.schema.json';
import { diagnostic, type Diagnostic, type Fix } from '../diagnostics/diagnostic.js';
import { closest, didYouMean } from '../language/suggest.js';
import type { Range } from '../../../../grammar/src/ast.js';
import type { AlertmanagerOptions } from '../generate/alertmanager.js';
import type { GrafanaOptions } from '../generate/grafana.js';
import type { DatadogOptions } from '../generate/datadog.js';

export interface ProjectConfig {
  readonly version: 1;
  readonly name?: string;
  readonly files: readonly string[];
  readonly exclude: readonly string[];
  readonly check: { readonly max_warnings?: number };
  readonly labels: Readonly<Record<string, string>>;
  /** Globs, relative to pace.yaml, of the sample data `pace preview` reads (absent: none). */
  readonly data?: readonly string[];
  /** `pace generate`: the output folder (relative to pace.yaml) and the targets with their options (docs/generate.md). */
  readonly generate?: GenerateConfig;
}

export interface GenerateConfig {
  readonly out?: string;
  readonly targets?: {
    readonly alertmanager?: AlertmanagerOptions;
    readonly grafana?: GrafanaOptions;
    readonly datadog?: DatadogOptions;
    readonly prometheus?: {
      readonly labels?: Readonly<Record<string, string>>;
      readonly tests?: boolean;
      readonly format?: 'prometheus' | 'prometheus-operator' | 'mimir';
      readonly kubernetes?: { readonly labels?: Readonly<Record<string, string>>; readonly namespace?: string };
      /** `sloth`: write what Sloth v0.16 writes (docs/generate.md, "Sloth compatibility"). */
      readonly compat?: 'sloth';
      /** With `compat: sloth`, the version in the header and in `sloth_slo_info` (default: `pace-<version>`). */
      readonly sloth_version?: string;
    };
  };
}

export const DEFAULT_CONFIG: ProjectConfig = { version: 1, files: ['**/*.pace'], exclude: [], check: {}, labels: {} };

/** ajv's validator of schemas/pace-config.schema.json, compiled ahead of time (scripts/gen-config-validator.mjs). */
interface ConfigError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}
const validate = validateConfig as unknown as ((data: unknown) => boolean) & { errors?: ConfigError[] | null };

/**
 * `size`: the file's size in bytes when the host read only its beginning (a file larger than
 * MAX_CONFIG_CHARS is not parsed, so the host need not read it whole).
 */
export function parseConfig(uri: string, text: string, size = text.length): { config: ProjectConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (Math.max(size, text.length) > MAX_CONFIG_CHARS) {
    diagnostics.push(diagnostic('config/syntax', uri, { start: 0, end: Math.min(text.length, Math.max(1, text.indexOf('\n'))) }, `pace.yaml is ${Math.max(size, text.length)} bytes long: a project configuration is at most ${MAX_CONFIG_CHARS} (it names globs and options, not data); it is not read`));
    return { config: DEFAULT_CONFIG, diagnostics };
  }
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: new LineCounter() });
  for (const e of doc.errors) diagnostics.push(diagnostic('config/syntax', uri, { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }, e.message.split('\n')[0]));
  if (diagnostics.length) return { config: DEFAULT_CONFIG, diagnostics };
  let data: unknown;
  try {
    // Aliases are expanded by toJS: a bound keeps an alias bomb ("billion laughs") from exhausting memory.
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (e) {
    const alias = firstAlias(doc.contents);
    const range = alias ?? { start: 0, end: Math.min(text.length, Math.max(1, text.indexOf('\n'))) };
    diagnostics.push(diagnostic('config/syntax', uri, range, `pace.yaml's aliases expand too far (${(e as Error).message}; the bound is ${MAX_ALIAS_COUNT} nodes per alias): write the values out`));
    return { config: DEFAULT_CONFIG, diagnostics };
  }
  if (!validate(data)) {
    for (const err of validate.errors ?? []) {
      const path = err.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      let range = locate(doc.contents, path, err.keyword === 'additionalProperties' ? (err.params as { additionalProperty: string }).additionalProperty : undefined);
      if (!range) range = { start: 0, end: Math.min(text.length, Math.max(1, text.indexOf('\n'))) };
      const where = err.instancePath ? `'${path.join('.')}'` : 'pace.yaml';
      let fixes: Fix[] | undefined;
      let message: string;
      if (err.keyword === 'additionalProperties') {
        // A misspelt key: suggest the closest key the schema allows at that place.
        const key = (err.params as { additionalProperty: string }).additionalProperty;
        const guess = closest(key, knownKeys(err.schemaPath));
        message = `Unknown key '${key}' in ${where}.${didYouMean(guess)}`;
        if (guess) fixes = [{ title: `Change to '${guess}'`, edits: [{ uri, range, newText: guess }], preferred: true }];
      } else if (err.keyword === 'required') {
        message = `pace.yaml is missing '${(err.params as { missingProperty: string }).missingProperty}'.`;
      } else message = `${where} ${err.message}.`;
      diagnostics.push(diagnostic('config/invalid', uri, range, message, { fixes }));
    }
    return { config: DEFAULT_CONFIG, diagnostics };
  }
  const d = data as Partial<ProjectConfig>;
  // Paths and globs stay inside the project (the folder of pace.yaml): no absolute path, no '..'.
  const paths: [string[], string][] = [];
  (d.files ?? []).forEach((g, i) => paths.push([['files', String(i)], g]));
  (d.data ?? []).forEach((g, i) => paths.push([['data', String(i)], g]));
  if (d.generate?.out !== undefined) paths.push([['generate', 'out'], d.generate.out]);
  for (const [at, value] of paths) {
    const why = leavesProject(value);
    if (!why) continue;
    const range = locate(doc.contents, at) ?? { start: 0, end: Math.min(text.length, Math.max(1, text.indexOf('\n'))) };
    const key = at[0] === 'generate' ? "'generate.out'" : `'${at[0]}' pattern`;
    diagnostics.push(diagnostic('config/invalid', uri, range, `${key} '${value}' ${why}: paths in pace.yaml stay inside the project (the folder of pace.yaml).`));
  }
  if (diagnostics.length) return { config: DEFAULT_CONFIG, diagnostics };
  return { config: { ...DEFAULT_CONFIG, ...d, check: d.check ?? {}, labels: d.labels ?? {} }, diagnostics };
}

/** A config/invalid error located at the value at `at` in pace.yaml's `text` (for the host's checks of paths on disk). */
export function configDiagnostic(uri: string, text: string, at: string[], message: string): Diagnostic {
  const doc = parseDocument(text, { prettyErrors: false });
  const range = locate(doc.contents, at) ?? { start: 0, end: Math.min(text.length, Math.max(1, text.indexOf('\n'))) };
  return diagnostic('config/invalid', uri, range, message);
}

/** pace.yaml is small: a longer text is not read (a bound on memory, as for aliases). */
export const MAX_CONFIG_CHARS = 1_000_000;
/** The `yaml` library's bound on the nodes one alias may expand to (its default, set here explicitly). */
export const MAX_ALIAS_COUNT = 100;

/** Why a path or glob of pace.yaml leaves the project's folder, or undefined when it does not. */
export function leavesProject(p: string): string | undefined {
  const s = p.replace(/\\/g, '/');
  if (s.startsWith('/') || /^[A-Za-z]:/.test(s)) return 'is an absolute path';
  if (s.startsWith('~')) return "starts with '~' (a home folder)";
  const segments = s.split('/');
  // '{..,x}' or '@(..)' in a glob are '..' too: any segment made only of dots and glob punctuation around '..'.
  if (segments.some((seg) => seg === '..' || /(^|[{,(|])\.\.($|[},)|])/.test(seg))) return "goes up with '..'";
  return undefined;
}

function firstAlias(node: unknown): Range | undefined {
  let found: Range | undefined;
  const walk = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    if (isAlias(n)) {
      found = rangeOf(n);
      return;
    }
    if (isMap(n) || isSeq(n)) for (const it of n.items as unknown[]) walk(it);
    else if (isPair(n)) {
      walk(n.key);
      walk(n.value);
    }
  };
  walk(node);
  return found;
}

/** The keys the schema allows in the object whose `additionalProperties` is at `schemaPath` ('#/properties/check/additionalProperties'). */
function knownKeys(schemaPath: string): string[] {
  let cur: unknown = schema;
  for (const seg of schemaPath.split('/').slice(1, -1)) cur = (cur as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  const props = (cur as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

/** The YAML range of the value at `path` (or of the key `key` inside it). */
function locate(node: unknown, path: string[], key?: string): Range | undefined {
  let cur = node as YamlNode | null | undefined;
  let keyRange: Range | undefined;
  for (const seg of [...path, ...(key !== undefined ? [key] : [])]) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return rangeOf(cur);
      keyRange = isScalar(pair.key) ? rangeOf(pair.key) : undefined;
      cur = pair.value as YamlNode;
    } else if (isSeq(cur)) {
      cur = cur.items[Number(seg)] as YamlNode;
      keyRange = undefined;
    } else return rangeOf(cur);
  }
  if (key !== undefined && keyRange) return keyRange;
  return rangeOf(cur) ?? keyRange;
}

function rangeOf(n: unknown): Range | undefined {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r ? { start: r[0], end: Math.max(r[1], r[0] + 1) } : undefined;
}

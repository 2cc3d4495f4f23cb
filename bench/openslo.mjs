// The OpenSLO v1 JSON Schema, for the peer: where it is, an ajv validator compiled from its parts, and
// the parts folded into one self-contained file for yaml-language-server (which would otherwise try to
// fetch the parts from their https $ids).
import fs from 'node:fs';
import path from 'node:path';

const HERE = import.meta.dirname;
export const SCHEMA_DIR = process.env.OPENSLO_SCHEMA_DIR || path.resolve(HERE, '../../shared/reference/openslo-v1/schemas/v1');
const PART_PREFIX = 'https://openslo.com/schemas/v1/parts/';

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const partFiles = (dir) => fs.readdirSync(path.join(dir, 'parts')).filter((f) => f.endsWith('.schema.json')).sort();

/**
 * The peer's CI validator: ajv (strict: false — the upstream schema does not compile in strict mode)
 * with ajv-formats, every part registered with addSchema, the root compiled once.
 */
export async function compileValidator(dir = SCHEMA_DIR) {
  const { default: Ajv } = await import('ajv');
  const { default: addFormats } = await import('ajv-formats');
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  for (const f of partFiles(dir)) ajv.addSchema(readJson(path.join(dir, 'parts', f)));
  return ajv.compile(readJson(path.join(dir, 'openslo.schema.json')));
}

/** Writes the schema as one draft-07 file: parts under `definitions`, absolute $refs made local. */
export function foldSchema(outFile, dir = SCHEMA_DIR) {
  const root = readJson(path.join(dir, 'openslo.schema.json'));
  const definitions = {};
  for (const f of partFiles(dir)) {
    const part = readJson(path.join(dir, 'parts', f));
    if (part.$id !== PART_PREFIX + f) throw new Error(`unexpected $id in ${f}: ${part.$id}`);
    delete part.$id;
    delete part.$schema;
    definitions[f.replace(/\.schema\.json$/, '')] = part;
  }
  const localise = (node) => {
    if (Array.isArray(node)) return node.forEach(localise);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const name = v.startsWith(PART_PREFIX) ? v.slice(PART_PREFIX.length).replace(/\.schema\.json$/, '') : undefined;
        if (!name || !definitions[name]) throw new Error(`unexpected $ref ${v}`);
        node[k] = `#/definitions/${name}`;
      } else localise(v);
    }
  };
  localise(root);
  localise(definitions);
  const folded = { ...root, definitions };
  delete folded.$id;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(folded, null, 2) + '\n');
  return outFile;
}

/** Validates every document of the given YAML files; returns the problems found (empty when valid). */
export async function validateFiles(files) {
  const { parseAllDocuments } = await import('yaml');
  const validate = await compileValidator();
  const problems = [];
  let documents = 0;
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.errors.length) {
        problems.push(`${file}: YAML: ${doc.errors[0].message}`);
        continue;
      }
      const value = doc.toJS();
      if (value == null) continue;
      documents++;
      if (!validate(value)) problems.push(`${file}: ${value.kind} ${value.metadata?.name}: ${validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
    }
  }
  return { documents, problems };
}

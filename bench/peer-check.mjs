// The peer's CI check, what a pipeline does with OpenSLO YAML today: parse every *.yaml of a folder
// with `yaml` (parseAllDocuments), validate every document with ajv (the schema compiled once, its
// parts registered with addSchema), print problems, exit 1 if any.   node bench/peer-check.mjs DIR
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compileValidator } from './openslo.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/peer-check.mjs DIR');
  process.exit(2);
}
const validate = await compileValidator();
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
let documents = 0, invalid = 0, yamlErrors = 0;
for (const f of files) {
  const file = path.join(dir, f);
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length) {
      yamlErrors += doc.errors.length;
      for (const e of doc.errors) console.log(`${file}: ${e.message}`);
      continue;
    }
    const value = doc.toJS();
    if (value == null) continue;
    documents++;
    if (!validate(value)) {
      invalid++;
      for (const e of validate.errors) console.log(`${file}: ${value.kind} ${value.metadata?.name}: ${e.instancePath || '/'} ${e.message}`);
    }
  }
}
console.log(`${files.length} files, ${documents} documents: ${documents - invalid} valid, ${invalid} invalid, ${yamlErrors} YAML errors`);
process.exitCode = invalid || yamlErrors ? 1 : 0;

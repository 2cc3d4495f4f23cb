// pace.yaml's validator is compiled from schemas/pace-config.schema.json ahead of time (ajv's
// standalone code), so that no process pays ajv's schema compilation (~100 ms, a tenth of a cold
// `pace check`): `npm run gen:config-validator` rewrites
// server/src/core/workspace/config-validator.generated.ts, and test/core/config-validator.test.ts
// fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA = `${root}schemas/pace-config.schema.json`;
export const OUT = `${root}server/src/core/workspace/config-validator.generated.ts`;

export function generate() {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, code: { source: true, esm: true } });
  let code = standaloneCode.default(ajv, ajv.compile(schema));
  // ajv writes its runtime helpers as require() calls even in ESM output: made imports, which the
  // bundler and the test runner both read (a namespace import of CommonJS is the same either way
  // up to one .default, hence the check).
  const helpers = [];
  code = code.replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)\.default/g, (_, mod) => {
    const name = `rt_${helpers.length}`;
    helpers.push(`import * as ${name}_ns from '${mod}.js';\nconst ${name} = typeof ${name}_ns.default === 'function' ? ${name}_ns.default : ${name}_ns.default.default;`);
    return name;
  });
  if (/require\(/.test(code)) throw new Error('ajv standalone code still has a require() call');
  code = code.replace(/^"use strict";/, '');
  return `// Generated from schemas/pace-config.schema.json by \`npm run gen:config-validator\` (ajv standalone). Do not edit.\n// @ts-nocheck\n/* eslint-disable */\n${helpers.join('\n')}\n${code}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OUT, generate());
  console.log(`${OUT}: written`);
}

// The model's TypeScript types are generated from its JSON Schema (schemas/pace-model.schema.json, the
// one source): `npm run gen:model` rewrites server/src/core/model/model.generated.ts, and
// test/core/model-types.test.ts fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA = `${root}schemas/pace-model.schema.json`;
export const OUT = `${root}server/src/core/model/model.generated.ts`;

export async function generate() {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  return compile(schema, 'NormalizedModel', {
    bannerComment: '// Generated from schemas/pace-model.schema.json by `npm run gen:model`. Do not edit.\n/* eslint-disable */',
    additionalProperties: false,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    strictIndexSignatures: false,
    style: { singleQuote: true, printWidth: 140 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(OUT, await generate());

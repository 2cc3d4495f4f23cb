// One source for the model: its TypeScript types are generated from schemas/pace-model.schema.json
// by json-schema-to-typescript (`npm run gen:model`). This fails when the committed types drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs module without types
import { generate, OUT } from '../../scripts/gen-model-types.mjs';

describe('model types', () => {
  it('are generated from the schema and up to date (run `npm run gen:model`)', async () => {
    expect(readFileSync(OUT, 'utf8')).toBe(await generate());
  }, 30_000);
});

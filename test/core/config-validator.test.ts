// pace.yaml's validator is ajv's standalone code for schemas/pace-config.schema.json
// (`npm run gen:config-validator`), so no process compiles the schema. This fails when the
// committed validator drifts from the schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs module without types
import { generate, OUT } from '../../scripts/gen-config-validator.mjs';
import { parseConfig } from '../../server/src/core/index.js';

describe('the pace.yaml validator', () => {
  it('is generated from the schema and up to date (run `npm run gen:config-validator`)', () => {
    expect(readFileSync(OUT, 'utf8')).toBe(generate());
  }, 30_000);

  it('applies the schema: a string too long for maxLength (counted in code points, ajv runtime) is located', () => {
    const long = 'a'.repeat(64);
    const { diagnostics } = parseConfig('file:///pace.yaml', `version: 1\ngenerate:\n  targets:\n    prometheus:\n      format: prometheus-operator\n      kubernetes:\n        namespace: ${long}\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(['config/invalid']);
    expect(diagnostics[0].message).toMatch(/namespace/);
  });
});

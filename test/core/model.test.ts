// The normalized model: golden for the sketch, and every model validates against its JSON Schema.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseConfig, Workspace } from '../../server/src/core/index.js';
import schema from '../../schemas/pace-model.schema.json';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';

const root = path.join(__dirname, '../..');
export const SKETCH = /```pace\n([\s\S]*?)```/.exec(readFileSync(path.join(root, '../shared/design/LANGUAGE-SKETCH.md'), 'utf8'))![1];
const DEPS = readFileSync(path.join(__dirname, 'data/sketch-deps.pace'), 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function analyze(files: Record<string, string>) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  return ws.analyze();
}

describe('normalized model', () => {
  it('of the sketch example matches its golden and its schema', async () => {
    const a = analyze({ 'file:///sketch.pace': SKETCH, 'file:///deps.pace': DEPS });
    expect(a.diagnostics).toEqual([]);
    const { model, sourceMap } = a.normalized();
    expect(validate(model), JSON.stringify(validate.errors, null, 2)).toBe(true);
    await expect(JSON.stringify(model, null, 2) + '\n').toMatchFileSnapshot('data/sketch.model.json');
    const slo = model.services.find((s) => s.id === 'checkout')!.slos.find((s) => s.id === 'checkout.availability')!;
    expect(slo.objective).toBe(0.999);
    expect(slo.errorBudget).toEqual({ ratio: 0.001, seconds: 2592 });
    expect(slo.alerting?.policy).toBe('burn_rate_default');
    // The source map points at the text the value came from.
    const loc = sourceMap.get('/services/0/slos/0/objective')!;
    expect(SKETCH.slice(loc.range.start, loc.range.end)).toBe('99.9%');
  });

  it('of the samples project validates against the schema', () => {
    const project = readProject(path.join(root, 'samples'));
    const a = loadWorkspace(project).analyze();
    expect(a.errorCount).toBe(0);
    const { model } = a.normalized();
    expect(validate(model), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(model.services.length).toBeGreaterThanOrEqual(4);
  });

  it('rejects a model that breaks the contract (the schema is not vacuous)', () => {
    const a = analyze({ 'file:///sketch.pace': SKETCH, 'file:///deps.pace': DEPS });
    const model = structuredClone(a.normalized().model) as { services: { slos: { objective: number }[] }[] };
    model.services[0].slos[0].objective = 99.9;
    expect(validate(model)).toBe(false);
  });

  it('applies defaults: no alerting attribute means the default policy scaled to the window', () => {
    const a = analyze({
      'file:///a.pace': 'service s {\n  sli a = ratio { good = g total = t }\n  slo x { sli = a objective = 99% window = 28d }\n}\n',
    });
    const slo = a.normalized().model.services[0].slos[0];
    expect(slo.alerting?.policy).toBe('default');
    expect(slo.alerting?.rules.map((r) => r.factor)).toEqual([13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333]);
  });
});

describe('pace.yaml', () => {
  it('accepts a valid configuration', () => {
    const r = parseConfig('file:///pace.yaml', 'version: 1\nname: shop\nfiles: ["src/**/*.pace"]\nexclude: ["broken/**"]\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.config.files).toEqual(['src/**/*.pace']);
  });
  it('locates an unknown key on the key itself', () => {
    const text = 'version: 1\nfile: ["x"]\n';
    const r = parseConfig('file:///pace.yaml', text);
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.range.start, d.range.end), d.message])).toEqual([['config/invalid', 'file', "Unknown key 'file' in pace.yaml. Did you mean 'files'?"]]);
  });
  it('locates a wrong value inside a list', () => {
    const text = 'version: 1\nfiles:\n  - "a"\n  - 3\n';
    const r = parseConfig('file:///pace.yaml', text);
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.range.start, d.range.end)])).toEqual([['config/invalid', '3']]);
  });
  it('reports YAML syntax errors', () => {
    const r = parseConfig('file:///pace.yaml', 'version: 1\nfiles: [a\n');
    expect(r.diagnostics[0].code).toBe('config/syntax');
  });
});

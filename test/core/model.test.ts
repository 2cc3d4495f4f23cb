// The normalized model — the contract of every stage after the checker: golden for the sketch,
// every model valid against the schema, every declaration exactly once under its typed id, the
// source map keyed by id, and the builder that importers share.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildModel, parseConfig, Workspace, type Analysis, type NormalizedModel } from '../../server/src/core/index.js';
import schema from '../../schemas/pace-model.schema.json';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
// @ts-expect-error -- a plain .mjs module without types
import { generateProject } from '../../bench/gen-project.mjs';

const root = path.join(__dirname, '../..');
const SKETCH = readFileSync(path.join(root, 'test/grammar/data/ok/0001-sketch-example.pace'), 'utf8');
const DEPS = readFileSync(path.join(__dirname, 'data/sketch-deps.pace'), 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function analyze(files: Record<string, string>) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  return ws.analyze();
}

/** Every declaration of a project, from the linker's symbols, as typed ids. */
function declaredIds(a: Analysis): string[] {
  const kind = { alerting: 'policy' } as Record<string, string>;
  return a.semantic.symbols.map((s) => `${kind[s.kind] ?? s.kind}:${s.id}`).sort();
}

/** Every id the model carries, with duplicates. */
function modelIds(m: NormalizedModel): string[] {
  const ids: string[] = [];
  for (const s of m.services) ids.push(s.id, ...s.slis.map((x) => x.id), ...s.slos.map((x) => x.id), ...s.slas.map((x) => x.id));
  ids.push(...m.alertingPolicies.map((p) => p.id));
  for (const o of m.objectives) ids.push(o.id, ...o.kpis.map((k) => k.id));
  return ids.sort();
}

/** The references of a model that must name a declaration of the model. */
function references(m: NormalizedModel): string[] {
  const refs: string[] = [];
  for (const s of m.services) {
    refs.push(...s.dependsOn, ...s.softDependsOn, ...(s.availabilitySlo ? [s.availabilitySlo] : []));
    for (const slo of s.slos) refs.push(slo.sli, ...(slo.alerting && slo.alerting.policy !== 'default' ? [slo.alerting.policy] : []));
    for (const sla of s.slas) refs.push(sla.sli, ...(sla.slo ? [sla.slo] : []));
  }
  for (const o of m.objectives) refs.push(...o.supportedBy);
  return refs;
}

function expectComplete(a: Analysis, what: string) {
  expect(a.errorCount, `${what}: ${a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('\n')}`).toBe(0);
  const { model, sourceMap } = a.normalized();
  expect(validate(model), `${what}: ${JSON.stringify(validate.errors, null, 2)}`).toBe(true);
  // JSON data, nothing JSON would lose (undefined, Infinity, NaN): pace diff's worker sends it as JSON text.
  expect(JSON.parse(JSON.stringify(model)), `${what}: the model is JSON data`).toStrictEqual(model);
  const ids = modelIds(model);
  expect(ids, `${what}: every declaration exactly once`).toEqual(declaredIds(a));
  expect(new Set(ids).size, `${what}: ids are unique`).toBe(ids.length);
  const known = new Set(ids);
  expect(references(model).filter((r) => !known.has(r)), `${what}: references name declarations`).toEqual([]);
  for (const id of ids) expect(sourceMap.has(id), `${what}: source map has ${id}`).toBe(true);
  return model;
}

/** The ```pace examples of docs/*.md: each checks clean alone. */
function docExamples(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const f of readdirSync(path.join(root, 'docs')).filter((x) => x.endsWith('.md'))) {
    const text = readFileSync(path.join(root, 'docs', f), 'utf8');
    for (const m of text.matchAll(/^```pace\n([\s\S]*?)^```$/gm)) out.push({ where: `docs/${f}:${text.slice(0, m.index).split('\n').length}`, text: m[1] });
  }
  return out;
}

describe('normalized model', () => {
  it('of the sketch example matches its golden and its schema', async () => {
    const a = analyze({ 'file:///sketch.pace': SKETCH, 'file:///deps.pace': DEPS });
    expect(a.diagnostics).toEqual([]);
    const model = expectComplete(a, 'sketch');
    await expect(JSON.stringify(model, null, 2) + '\n').toMatchFileSnapshot('data/sketch.model.json');
    const slo = model.services.find((s) => s.id === 'service:checkout')!.slos.find((s) => s.id === 'slo:checkout.availability')!;
    expect(slo.sli).toBe('sli:checkout.availability');
    expect(slo.objective).toBe(0.999);
    expect(slo.errorBudget).toEqual({ ratio: 0.001, seconds: 2592 });
    expect(slo.alerting?.policy).toBe('policy:burn_rate_default');
  });

  it('keeps SLAs whose SLO shares its name with an SLI (the docs’ own style)', () => {
    const a = analyze({
      'file:///a.pace': `service s {
  sli availability = ratio { good = g total = t }
  slo availability { sli = availability objective = 99.9% window = 30d }
  sla enterprise { slo = availability objective = 99.5% window = calendar month credit 10% below 99.5% }
  sla basic { sli = availability objective = 99% window = calendar month }
}
`,
    });
    const model = expectComplete(a, 'shared names');
    expect(model.services[0].slas.map((s) => [s.id, s.slo, s.sli])).toEqual([
      ['sla:s.basic', undefined, 'sli:s.availability'],
      ['sla:s.enterprise', 'slo:s.availability', 'sli:s.availability'],
    ]);
  });

  it('of the samples project carries every declaration', () => {
    const model = expectComplete(loadWorkspace(readProject(path.join(root, 'samples'))).analyze(), 'samples');
    expect(model.services.length).toBeGreaterThanOrEqual(4);
    expect(model.services.flatMap((s) => s.slas).length).toBeGreaterThanOrEqual(2);
  });

  it('of every example in the docs carries every declaration', () => {
    const examples = docExamples();
    expect(examples.length).toBeGreaterThan(10);
    for (const e of examples) expectComplete(analyze({ 'file:///example.pace': e.text }), e.where);
  });

  it('of a generated 30-service project carries every declaration', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pace-model-'));
    try {
      generateProject(dir, 30);
      const a = loadWorkspace(readProject(path.join(dir, 'pace', 'project-30'))).analyze();
      const model = expectComplete(a, 'generated');
      expect(model.services.length).toBe(30);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a model that breaks the contract (the schema is not vacuous)', () => {
    const a = analyze({ 'file:///sketch.pace': SKETCH, 'file:///deps.pace': DEPS });
    const bad = (f: (m: NormalizedModel) => void) => {
      const m = structuredClone(a.normalized().model);
      f(m);
      return validate(m);
    };
    expect(bad(() => {})).toBe(true);
    expect(bad((m) => void (m.services[0].slos[0].objective = 99.9))).toBe(false);
    expect(bad((m) => void (m.services[0].slos[0].sli = 'checkout.availability'))).toBe(false);
    expect(bad((m) => void (m.services[0].slos[0].sli = 'slo:checkout.availability'))).toBe(false);
    expect(bad((m) => void (m.services[0].dependsOn = ['sli:x']))).toBe(false);
  });

  it('applies defaults: no alerting attribute means the default policy scaled to the window', () => {
    const a = analyze({
      'file:///a.pace': 'service s {\n  sli a = ratio { good = g total = t }\n  slo x { sli = a objective = 99% window = 28d }\n  slo w { sli = a objective = 99% window = 7d }\n}\n',
    });
    const [w, x] = a.normalized().model.services[0].slos;
    expect([x.alerting?.policy, x.alerting?.defaultMode]).toEqual(['default', 'sloth']);
    expect(x.alerting?.rules.map((r) => r.factor)).toEqual([13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333]);
    expect([w.alerting?.defaultMode, w.alerting?.rules.map((r) => r.longWindowSeconds)]).toEqual(['scaled', [840, 5040, 20160, 60480]]);
  });

  it('a rule that can never fire has no time to fire', () => {
    const a = analyze({
      'file:///a.pace': 'service s {\n  sli a = ratio { good = g total = t }\n  slo x { sli = a objective = 90% window = 30d alerting = p }\n}\nalerting p {\n  page when burn_rate > 10 over 1h and 5m\n}\n',
    });
    expect(a.diagnostics.map((d) => d.code)).toEqual(['check/alert-never-fires']);
    const rule = a.normalized().model.services[0].slos[0].alerting!.rules[0];
    expect([rule.threshold, rule.neverFires, rule.timeToFireSeconds]).toEqual([1, true, null]);
  });
});

describe('KPIs', () => {
  it('take calendar windows (quarterly OKRs) as well as rolling ones', () => {
    const a = analyze({
      'file:///okr.pace': `objective growth {
  kpi conversion {
    measure = ratio(checkout_completed_total, checkout_started_total)
    target  >= 3.5%
    window  = calendar quarter in "Europe/London"
  }
  kpi weekly_orders {
    measure = sum(orders_total)
    target  >= 1000
    window  = 7d
  }
}
`,
    });
    expect(a.diagnostics).toEqual([]);
    const kpis = expectComplete(a, 'okr').objectives[0].kpis;
    expect(kpis.map((k) => k.window)).toEqual([
      { type: 'calendar', unit: 'quarter', timeZone: 'Europe/London' },
      { type: 'rolling', seconds: 604800 },
    ]);
  });
});

describe('the source map', () => {
  const a = analyze({ 'file:///sketch.pace': SKETCH, 'file:///deps.pace': DEPS });
  const { model, sourceMap } = a.normalized();
  const text = (key: string) => {
    const loc = sourceMap.get(key);
    expect(loc, key).toBeDefined();
    return (loc!.uri === 'file:///sketch.pace' ? SKETCH : DEPS).slice(loc!.range.start, loc!.range.end);
  };
  it('is keyed by id and points at what each value came from', () => {
    expect(text('slo:checkout.availability')).toBe('availability');
    expect(text('slo:checkout.availability#objective')).toBe('99.9%');
    expect(text('slo:checkout.availability#window')).toBe('30d');
    expect(text('slo:checkout.availability#alerting')).toBe('burn_rate_default');
    expect(text('slo:checkout.availability#rules/0')).toMatch(/^page\s+when burn_rate > 14\.4 over 1h and 5m/);
    expect(text('policy:burn_rate_default#rules/3')).toMatch(/^ticket\s+when/);
  });
  it('covers every rule of every SLO, every credit tier and every KPI target', () => {
    for (const s of model.services) {
      for (const slo of s.slos) slo.alerting?.rules.forEach((_, i) => expect(sourceMap.has(`${slo.id}#rules/${i}`), `${slo.id}#rules/${i}`).toBe(true));
      for (const sla of s.slas) sla.credits.forEach((_, i) => expect(text(`${sla.id}#credits/${i}`)).toMatch(/^credit /));
    }
    for (const o of model.objectives) for (const k of o.kpis) expect(text(`${k.id}#target`)).toMatch(/\d/);
    expect(model.services.flatMap((s) => s.slas).length).toBeGreaterThan(0);
  });
});

describe('the model builder', () => {
  it('rebuilds the same model from its declarations (what importers use)', () => {
    const model = loadWorkspace(readProject(path.join(root, 'samples'))).analyze().normalized().model;
    const decl = {
      project: model.project,
      labels: model.labels,
      alertingPolicies: model.alertingPolicies,
      objectives: model.objectives,
      services: model.services.map(({ availabilitySlo: _a, slos, ...s }) => ({
        ...s,
        slos: slos.map(({ errorBudget: _e, alerting, ...slo }) => ({
          ...slo,
          alerting: alerting === null ? null : alerting.policy === 'default' ? { policy: 'default' as const } : { policy: alerting.policy, rules: model.alertingPolicies.find((p) => p.id === alerting.policy)!.rules },
        })),
      })),
    };
    expect(buildModel(structuredClone(decl))).toEqual(model);
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
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.range.start, d.range.end)])).toEqual([['config/invalid', 'file']]);
    expect(r.diagnostics[0].message).toMatch(/^Unknown key 'file' in pace\.yaml/);
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

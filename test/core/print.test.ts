// The printer, normalized model → .pace: whatever it prints normalizes back to the model it printed
// (samples, every docs example, the sketch, a generated project, a model built as importers build
// one), checks with no diagnostic at all, and is already formatted. What Pace cannot say is reported.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, parseConfig, Workspace, type NormalizedModel } from '../../server/src/core/index.js';
import { format } from '../../server/src/core/format/format.js';
import type { ModelDecl, SloDecl } from '../../server/src/core/model/build.js';
import type { Selector } from '../../server/src/core/model/model.js';
import { selectorText } from '../../server/src/core/model/normalize.js';
import { decimalText, durationText, percentText, PrintError, printConfig, printModel, printModelChecked, printModelFiles, quote } from '../../server/src/core/model/print.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
import { KEYWORDS } from '../../grammar/src/tokens.js';
// @ts-expect-error -- a plain .mjs module without types
import { generateProject } from '../../bench/gen-project.mjs';

const root = path.join(__dirname, '../..');
const SKETCH = readFileSync(path.join(root, 'test/grammar/data/ok/0001-sketch-example.pace'), 'utf8');
const DEPS = readFileSync(path.join(__dirname, 'data/sketch-deps.pace'), 'utf8');

function analyze(files: Record<string, string>, model?: NormalizedModel) {
  const ws = new Workspace();
  const yaml = model && printConfig(model);
  if (yaml !== undefined) {
    const { config, diagnostics } = parseConfig('file:///pace.yaml', yaml);
    expect(diagnostics).toEqual([]);
    ws.setConfig(config);
  }
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  return ws.analyze();
}

function modelOf(files: Record<string, string>): NormalizedModel {
  const a = analyze(files);
  expect(a.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  return a.normalized().model;
}

/** Prints the model as one file and as a project; both check without any diagnostic and read back as the model. */
function expectRoundTrip(model: NormalizedModel, what: string): string {
  const text = printModel(model);
  expect(format(text), `${what}: printed text is formatted`).toEqual({ text, changed: false });
  const a = analyze({ 'file:///printed.pace': text }, model);
  expect(a.diagnostics.map((d) => `${d.code}: ${d.message} @${d.range.start}`), `${what}: diagnostics of\n${text}`).toEqual([]);
  expect(a.normalized().model, `${what}: model of\n${text}`).toEqual(model);

  const files = printModelFiles(model);
  const yaml = files.get('pace.yaml');
  expect(yaml).toBe(printConfig(model));
  const pace = Object.fromEntries([...files].filter(([name]) => name.endsWith('.pace')).map(([name, t]) => [`file:///project/${name}`, t]));
  for (const [name, t] of Object.entries(pace)) expect(format(t).changed, `${what}: ${name} is formatted`).toBe(false);
  const b = analyze(pace, model);
  expect(b.diagnostics.map((d) => `${d.uri} ${d.code}: ${d.message}`), `${what}: diagnostics of the files`).toEqual([]);
  expect(b.normalized().model, `${what}: model of the files`).toEqual(model);
  return text;
}

/** The ```pace examples of docs/*.md. */
function docExamples(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const f of readdirSync(path.join(root, 'docs')).filter((x) => x.endsWith('.md'))) {
    const text = readFileSync(path.join(root, 'docs', f), 'utf8');
    for (const m of text.matchAll(/^```pace\n([\s\S]*?)^```$/gm)) out.push({ where: `docs/${f}:${text.slice(0, m.index).split('\n').length}`, text: m[1] });
  }
  return out;
}

const sel = (metric: string | undefined, matchers: Selector['matchers'] = []): Selector => ({ ...(metric !== undefined ? { metric } : {}), matchers, text: selectorText(metric, matchers) });

describe('round trip: normalize(parse(print(model))) is the model', () => {
  it('for the samples project (with its pace.yaml), matching the golden', async () => {
    const a = loadWorkspace(readProject(path.join(root, 'samples'))).analyze();
    expect(a.diagnostics).toEqual([]);
    const model = a.normalized().model;
    expect(model.project).toBe('acme-shop');
    const text = expectRoundTrip(model, 'samples');
    await expect(text).toMatchFileSnapshot('print/samples.pace');
    expect(printConfig(model)).toBe('version: 1\nname: acme-shop\nlabels:\n  company: acme\n');
    expect([...printModelFiles(model).keys()].sort()).toEqual(['pace.yaml', 'alerting.pace', 'objectives.pace', ...model.services.map((s) => `${s.name}.pace`)].sort());
  });

  it('for every ```pace example of the docs', () => {
    const examples = docExamples();
    expect(examples.length).toBeGreaterThan(10);
    for (const e of examples) expectRoundTrip(modelOf({ 'file:///example.pace': e.text }), e.where);
  });

  it('for the sketch and its dependencies', () => {
    const model = modelOf({ 'file:///sketch.pace': SKETCH, 'file:///deps.pace': DEPS });
    expect(model.services.length).toBe(3);
    const text = expectRoundTrip(model, 'sketch');
    // Inside a service a reference is a bare name; across services it is qualified.
    expect(text).toContain('supported_by = [checkout.availability, checkout.fast]');
    expect(text).toMatch(/^ {4}sli {7}= availability$/m);
    expect(text).toContain('depends_on = [payments_api, inventory]');
  });

  it('for a generated 30-service project', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pace-print-'));
    try {
      generateProject(dir, 30);
      const a = loadWorkspace(readProject(path.join(dir, 'pace', 'project-30'))).analyze();
      expect(a.diagnostics).toEqual([]);
      const model = a.normalized().model;
      expect(model.services.length).toBe(30);
      expectRoundTrip(model, 'generated');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A model as an importer builds one: declarations only, through buildModel(). */
function importedDecl(): ModelDecl {
  const slo = (service: string, name: string, sli: string, objective: number, window: SloDecl['window'], alerting: SloDecl['alerting'], labels: Record<string, string> = {}): SloDecl => ({
    id: `slo:${service}.${name}`,
    name,
    service: `service:${service}`,
    sli: `sli:${sli}`,
    objective,
    window,
    alerting,
    labels,
  });
  const fastBurn = [
    { severity: 'page' as const, factor: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300, forSeconds: 120 },
    { severity: 'ticket' as const, factor: 1, longWindowSeconds: 3 * 86400, shortWindowSeconds: 6 * 3600 },
  ];
  return {
    project: 'imported',
    labels: { source: 'openslo' },
    alertingPolicies: [{ id: 'policy:fast_burn', name: 'fast_burn', description: 'Imported from OpenSLO.', labels: { escalation: 'pagerduty' }, annotations: {}, rules: fastBurn }],
    services: [
      {
        id: 'service:api',
        name: 'api',
        title: 'API',
        description: 'The public API.\nTwo lines.',
        owner: 'api-team',
        tier: 'high',
        labels: { team: 'api', env: 'prod' },
        dependsOn: ['service:database'],
        softDependsOn: ['service:service'],
        slis: [
          { id: 'sli:api.availability', name: 'availability', service: 'service:api', kind: 'ratio', good: sel('http_requests_total', [{ label: 'code', op: '!~', value: '5..' }]), total: sel('http_requests_total') },
          { id: 'sli:api.errors', name: 'errors', service: 'service:api', kind: 'ratio', bad: sel(undefined, [{ label: 'job', op: '=', value: 'api' }, { label: 'code', op: '=~', value: '5..' }]), total: sel(undefined, [{ label: 'job', op: '=', value: 'api' }]) },
          { id: 'sli:api.fast', name: 'fast', service: 'service:api', kind: 'latency', histogram: sel('http_request_duration_seconds', [{ label: 'route', op: '!=', value: '/health' }]), underSeconds: 0.25 },
          { id: 'sli:api.queue', name: 'queue', service: 'service:api', kind: 'timeslice', gauge: sel('queue_depth'), goodWhen: { op: '<', value: 100 }, sliceSeconds: 60 },
          { id: 'sli:api.saturation', name: 'saturation', service: 'service:api', kind: 'timeslice', gauge: sel('cpu_saturation_ratio'), goodWhen: { op: '<=', value: 0.85 }, sliceSeconds: 90 },
          { id: 'sli:api.lag', name: 'lag', service: 'service:api', kind: 'timeslice', gauge: sel('replication_lag_seconds'), goodWhen: { op: '<', value: 1.5 }, sliceSeconds: 300 },
          { id: 'sli:api.grpc', name: 'grpc', service: 'service:api', kind: 'promql', good: 'sum(rate(grpc_server_handled_total{grpc_code="OK"}[$window]))', total: '\n  sum(rate(grpc_server_handled_total[$window]))\n' },
          // A keyword and a word that continues alert rules, as SLI names.
          { id: 'sli:api.calendar', name: 'calendar', service: 'service:api', kind: 'ratio', good: sel('calendar_ok_total'), total: sel('calendar_total') },
          { id: 'sli:api.for', name: 'for', service: 'service:api', kind: 'ratio', good: sel('for_ok_total'), total: sel('for_total') },
        ],
        slos: [
          slo('api', 'availability', 'api.availability', 0.9995, { type: 'rolling', seconds: 28 * 86400 }, { policy: 'policy:fast_burn', rules: fastBurn }, { slack: '#api' }),
          slo('api', 'errors', 'api.errors', 0.999, { type: 'calendar', unit: 'month', timeZone: 'Europe/Paris' }, { policy: 'default' }),
          slo('api', 'fast', 'api.fast', 0.99, { type: 'rolling', seconds: 30 * 86400 }, null),
          slo('api', 'queue', 'api.queue', 0.995, { type: 'calendar', unit: 'week', timeZone: 'UTC' }, { policy: 'default' }),
          slo('api', 'saturation', 'api.saturation', 0.9, { type: 'calendar', unit: 'quarter', timeZone: 'America/New_York' }, null),
          slo('api', 'lag', 'api.lag', 0.95, { type: 'rolling', seconds: 7 * 86400 }, { policy: 'default' }),
          slo('api', 'grpc', 'api.grpc', 0.9999, { type: 'rolling', seconds: 30 * 86400 }, { policy: 'default' }),
          slo('api', 'calendar', 'api.calendar', 0.99, { type: 'rolling', seconds: 30 * 86400 }, null),
          slo('api', 'over', 'api.for', 0.99, { type: 'rolling', seconds: 30 * 86400 }, null),
          // An SLO on another service's SLI.
          slo('api', 'db_reads', 'database.reads', 0.99, { type: 'rolling', seconds: 30 * 86400 }, null),
        ],
        slas: [
          { id: 'sla:api.enterprise', name: 'enterprise', service: 'service:api', slo: 'slo:api.availability', sli: 'sli:api.availability', objective: 0.995, window: { type: 'rolling', seconds: 28 * 86400 }, credits: [{ credit: 0.1, below: 0.995 }, { credit: 0.25, below: 0.99 }] },
          { id: 'sla:api.basic', name: 'basic', service: 'service:api', sli: 'sli:api.for', objective: 0.95, window: { type: 'calendar', unit: 'month', timeZone: 'UTC' }, credits: [] },
          { id: 'sla:api.keyword', name: 'keyword', service: 'service:api', slo: 'slo:api.over', sli: 'sli:api.for', objective: 0.95, window: { type: 'rolling', seconds: 30 * 86400 }, credits: [] },
        ],
      },
      {
        id: 'service:database',
        name: 'database',
        labels: {},
        dependsOn: [],
        softDependsOn: [],
        slis: [{ id: 'sli:database.reads', name: 'reads', service: 'service:database', kind: 'ratio', good: sel('db_reads_ok_total'), total: sel('db_reads_total') }],
        slos: [slo('database', 'reads', 'database.reads', 0.99999, { type: 'rolling', seconds: 30 * 86400 }, null)],
        slas: [],
      },
      // A service named like a keyword.
      { id: 'service:service', name: 'service', tier: 'low', labels: {}, dependsOn: [], softDependsOn: [], slis: [], slos: [], slas: [] },
    ],
    objectives: [
      {
        id: 'objective:growth',
        name: 'growth',
        title: 'Grow',
        owner: 'growth-team',
        labels: { department: 'commerce' },
        supportedBy: ['slo:api.availability', 'slo:database.reads'],
        kpis: [
          { id: 'kpi:growth.conversion', name: 'conversion', objective: 'objective:growth', measure: { fn: 'ratio', args: [sel('orders_total'), sel('sessions_total')] }, target: { op: '>=', value: 0.035, unit: 'ratio' }, window: { type: 'rolling', seconds: 28 * 86400 } },
          { id: 'kpi:growth.mttr', name: 'mttr', objective: 'objective:growth', description: 'Mean time to resolve.', measure: { fn: 'avg', args: [sel('incident_resolution_seconds', [{ label: 'team', op: '=', value: 'api' }])] }, target: { op: '<=', value: 5400, unit: 'seconds' }, window: { type: 'rolling', seconds: 90 * 86400 } },
          { id: 'kpi:growth.revenue', name: 'revenue', objective: 'objective:growth', measure: { fn: 'sum', args: [sel('order_revenue_euros_total')] }, target: { op: '>', value: 12000000, unit: 'number' }, window: { type: 'calendar', unit: 'quarter', timeZone: 'UTC' } },
        ],
      },
    ],
  };
}

describe('a model built as importers build one', () => {
  it('prints, checks clean and reads back as itself', () => {
    const model = buildModel(importedDecl());
    const text = expectRoundTrip(model, 'imported');
    // Units come back in Pace's syntax, without binary noise.
    expect(text).toContain('objective = 99.95%');
    expect(text).toContain('objective = 99.999%');
    expect(text).toContain('under     = 250ms');
    expect(text).toContain('good_when <= 85%');
    expect(text).toContain('good_when < 1s500ms');
    expect(text).toContain('slice     = 1m30s');
    expect(text).toContain('target  <= 1h30m');
    expect(text).toContain('target  > 12000000');
    expect(text).toContain('target  >= 3.5%');
    expect(text).toContain('window    = calendar month in "Europe/Paris"');
    expect(text).toContain('window    = calendar week\n');
    expect(text).toContain('credit 10% below 99.5%');
    expect(text).toContain('page   when burn_rate > 14.4 over 1h and 5m for 2m');
    // alerting: a policy by name, `default` and `none`.
    expect(text).toContain('alerting  = fast_burn');
    expect(text).toContain('alerting  = default');
    expect(text).toContain('alerting  = none');
    // Keyword names print as they are; `for` cannot start a value, so it is qualified even at home.
    expect(text).toContain('service service {');
    expect(text).toContain('soft_depends_on = [service]');
    expect(text).toContain('sli       = calendar\n');
    expect(text).toContain('sli       = api.for\n');
    expect(text).toContain('slo       = api.over\n');
    expect(text).toContain('sli       = database.reads\n');
    expect(text).toContain('good  = `sum(rate(grpc_server_handled_total{grpc_code="OK"}[$window]))`');
    expect(text).toContain('/// The public API.\n/// Two lines.\nservice api {');
    expect(text).toContain('bad   = {job="api", code=~"5.."}');
  });

  it('prints the default policy implicitly when asked', () => {
    const model = buildModel(importedDecl());
    const text = printModel(model, { defaultAlerting: 'implicit' });
    expect(text).not.toContain('alerting  = default');
    const a = analyze({ 'file:///p.pace': text }, model);
    expect(a.diagnostics).toEqual([]);
    expect(a.normalized().model).toEqual(model);
  });
});

/** Every declaration named `w`, and every kind of reference to them. */
function namedAll(w: string): NormalizedModel {
  const rules = [{ severity: 'page' as const, factor: 2, longWindowSeconds: 3600, shortWindowSeconds: 300 }];
  const window = { type: 'rolling' as const, seconds: 30 * 86400 };
  const sli = (service: string) => ({ id: `sli:${service}.${w}`, name: w, service: `service:${service}`, kind: 'ratio' as const, good: sel(`${w}_ok`), total: sel(`${w}_all`) });
  return buildModel({
    labels: {},
    alertingPolicies: [{ id: `policy:${w}`, name: w, labels: { [w.replace(':', '_')]: w }, annotations: {}, rules }],
    services: [
      {
        id: `service:${w}`,
        name: w,
        labels: {},
        dependsOn: [],
        softDependsOn: [],
        slis: [sli(w)],
        slos: [{ id: `slo:${w}.${w}`, name: w, service: `service:${w}`, sli: `sli:${w}.${w}`, objective: 0.99, window, alerting: { policy: `policy:${w}`, rules }, labels: {} }],
        slas: [{ id: `sla:${w}.${w}`, name: w, service: `service:${w}`, slo: `slo:${w}.${w}`, sli: `sli:${w}.${w}`, objective: 0.95, window, credits: [] }],
      },
      {
        id: 'service:other',
        name: 'other',
        labels: {},
        dependsOn: [`service:${w}`],
        softDependsOn: [],
        slis: [sli('other')],
        slos: [{ id: `slo:other.${w}`, name: w, service: 'service:other', sli: `sli:${w}.${w}`, objective: 0.9, window, alerting: null, labels: {} }],
        slas: [{ id: `sla:other.${w}`, name: w, service: 'service:other', sli: `sli:other.${w}`, objective: 0.9, window, credits: [] }],
      },
    ],
    objectives: [{ id: `objective:${w}`, name: w, labels: {}, supportedBy: [`slo:${w}.${w}`, `slo:other.${w}`], kpis: [{ id: `kpi:${w}.${w}`, name: w, objective: `objective:${w}`, measure: { fn: 'sum', args: [sel(`${w}_total`)] }, target: { op: '>', value: 1, unit: 'number' }, window }] }],
  });
}

describe('names that are keywords', () => {
  const continuing = ['over', 'and', 'for', 'below', 'when'];
  const words = [...new Set([...KEYWORDS, 'labels', 'page', 'ticket', 'burn_rate', 'ratio', 'latency', 'timeslice', 'promql', 'critical', 'good', 'total', 'window', 'title', 'default_', 'none_', 'in_', 'job:rate5m'])];

  it('name every kind of declaration and are referred to, checking clean', () => {
    const printable = words.filter((w) => !continuing.includes(w));
    expect(printable.length).toBeGreaterThan(20);
    for (const w of printable) expectRoundTrip(namedAll(w), `named '${w}'`);
  });

  it('that continue alert rules cannot start a reference: reported, and qualified where that is enough', () => {
    for (const w of continuing) {
      expect(KEYWORDS).toContain(w);
      const r = printModelChecked(namedAll(w));
      expect([...new Set(r.problems.map((p) => p.id))].sort(), w).toEqual([`objective:${w}`, 'service:other', `sla:${w}.${w}`, `slo:${w}.${w}`, `slo:other.${w}`].sort());
      expect(r.problems.every((p) => p.message.includes(`'${w}' cannot start a reference`)), w).toBe(true);
      // Members are qualified with their service, which is enough when the service's name can start a value.
      expect(r.text).toMatch(new RegExp(`^ +sli += other\\.${w}$`, 'm'));
    }
  });
});

describe('escaping', () => {
  const tricky = ['say "hi"', 'back\\path', 'two\nlines', 'tab\there', '{{ $labels.job }}', '\\"\\n', 'trailing\\', '', ' padded ', 'cr\r\nlf', 'ünïcödé ✓'];

  it('label values, selector values, titles and descriptions round-trip', () => {
    for (const [i, v] of tricky.entries()) {
      const model = buildModel({
        labels: {},
        alertingPolicies: [{ id: 'policy:p', name: 'p', description: v, labels: { note: v }, annotations: {}, rules: [{ severity: 'page', factor: 2, longWindowSeconds: 3600, shortWindowSeconds: 300 }] }],
        objectives: [{ id: 'objective:o', name: 'o', title: v, owner: v, description: v, labels: { note: v }, supportedBy: [], kpis: [] }],
        services: [
          {
            id: 'service:s',
            name: 's',
            title: v,
            description: v,
            labels: { note: v, other: 'x' },
            dependsOn: [],
            softDependsOn: [],
            slis: [{ id: 'sli:s.a', name: 'a', service: 'service:s', description: v, kind: 'ratio', good: sel('ok_total', [{ label: 'path', op: '=', value: v }]), total: sel('all_total') }],
            slos: [{ id: 'slo:s.a', name: 'a', service: 'service:s', description: v, sli: 'sli:s.a', objective: 0.9, window: { type: 'rolling', seconds: 2592000 }, alerting: { policy: 'policy:p', rules: [{ severity: 'page', factor: 2, longWindowSeconds: 3600, shortWindowSeconds: 300 }] }, labels: { note: v } }],
            slas: [],
          },
        ],
      });
      expectRoundTrip(model, `value ${i} ${JSON.stringify(v)}`);
    }
  });

  it('PromQL goes between backticks unless it holds one', () => {
    const promql = (total: string) =>
      buildModel({
        labels: {},
        alertingPolicies: [],
        objectives: [],
        services: [{ id: 'service:s', name: 's', labels: {}, dependsOn: [], softDependsOn: [], slis: [{ id: 'sli:s.q', name: 'q', service: 'service:s', kind: 'promql', good: 'sum(rate(ok_total[$window]))', total }], slos: [], slas: [] }],
      });
    const plain = printModel(promql('sum(rate(all_total{a="x\\\\y"}[$window]))'));
    expect(plain).toContain('total = `sum(rate(all_total{a="x\\\\y"}[$window]))`');
    // A backtick inside the text: a double-quoted string with escapes (the PromQL check may reject it, the text is kept).
    const ticked = promql('sum(rate(all_total{a=`x`}[$window]))');
    const text = printModel(ticked);
    expect(text).toContain('total = "sum(rate(all_total{a=`x`}[$window]))"');
    expect(analyze({ 'file:///p.pace': text }).normalized().model).toEqual(ticked);
  });

  it('quote() writes the escapes the lexer reads', () => {
    expect(quote('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
  });

  it('a string that ends in an escaped backslash is closed (the parser once read it as unterminated)', () => {
    const a = analyze({ 'file:///p.pace': `service s {\n  title = ${quote('C:\\')}\n}\n` });
    expect(a.diagnostics).toEqual([]);
    expect(a.normalized().model.services[0].title).toBe('C:\\');
  });

  it('a description a `///` comment carries is one; any other is an attribute', () => {
    const text = (description: string) =>
      printModel(buildModel({ labels: {}, alertingPolicies: [], objectives: [], services: [{ id: 'service:s', name: 's', description, labels: {}, dependsOn: [], softDependsOn: [], slis: [], slos: [], slas: [] }] }));
    expect(text('Line one.\n\n  Indented.')).toBe('/// Line one.\n///\n///   Indented.\nservice s {}\n');
    expect(text(' padded')).toBe('service s {\n  description = " padded"\n}\n');
    expect(text('trailing \nspace')).toBe('service s {\n  description = "trailing \\nspace"\n}\n');
  });
});

describe('what Pace cannot say is reported', () => {
  const base = () => buildModel(importedDecl());

  it('names that are not identifiers, or cannot start a reference', () => {
    const m = base();
    m.services[0].labels = { 'app.kubernetes.io/name': 'api' };
    m.services[1].name = 'my-database';
    m.services[1].id = 'service:my-database';
    m.services[0].dependsOn = ['service:my-database'];
    m.alertingPolicies[0].name = 'over';
    m.alertingPolicies[0].id = 'policy:over';
    m.services[0].slos.find((s) => s.id === 'slo:api.availability')!.alerting!.policy = 'policy:over';
    const r = printModelChecked(m);
    expect(r.problems.map((p) => p.id)).toEqual(expect.arrayContaining(['service:api', 'service:my-database', 'slo:api.availability']));
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/label 'app\.kubernetes\.io\/name' is not a valid label name/);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/'my-database' is not a Pace name/);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/policy 'over', and 'over' cannot start a reference/);
    expect(() => printModel(m)).toThrow(PrintError);
    expect(() => printModelFiles(m)).toThrow(/my-database/);
  });

  it('references to declarations the model does not hold, and inconsistent members', () => {
    const m = base();
    m.services[0].slos.find((s) => s.id === 'slo:api.errors')!.sli = 'sli:api.missing';
    m.objectives[0].supportedBy = ['slo:nowhere.x'];
    m.services[0].slas.find((s) => s.id === 'sla:api.enterprise')!.sli = 'sli:api.errors';
    m.services[0].slis[0].service = 'service:database';
    const messages = printModelChecked(m).problems.map((p) => `${p.id}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        "slo:api.errors: it refers to 'sli:api.missing', which is not an SLI of the model",
        "objective:growth: it refers to 'slo:nowhere.x', which is not an SLO of the model",
        expect.stringMatching(/^sla:api\.enterprise: its SLI 'sli:api\.errors' is not the SLI of its SLO/),
        "sli:api.availability: it is listed under 'service:api' but belongs to 'service:database'",
      ]),
    );
  });

  it('numbers Pace cannot write, selector texts that disagree, duplicate names, reserved names', () => {
    const m = base();
    m.services[0].slos.find((s) => s.id === 'slo:api.errors')!.objective = 0.123456789012345;
    const fast = m.services[0].slis.find((s) => s.id === 'sli:api.fast');
    if (fast?.kind !== 'latency') throw new Error('sli:api.fast is a latency SLI');
    fast.underSeconds = 0.0005;
    const availability = m.services[0].slis.find((s) => s.id === 'sli:api.availability');
    if (availability?.kind !== 'ratio') throw new Error('sli:api.availability is a ratio SLI');
    availability.total = { metric: 'x', matchers: [], text: 'y' };
    m.alertingPolicies.push({ id: 'policy:default', name: 'default', labels: {}, annotations: {}, rules: [] });
    m.services[1].slis.push({ ...m.services[1].slis[0] });
    const messages = printModelChecked(m).problems.map((p) => `${p.id}: ${p.message}`).join('\n');
    expect(messages).toMatch(/slo:api\.errors: 0\.123456789012345 cannot be written as a Pace percentage/);
    expect(messages).toMatch(/sli:api\.fast: 0\.0005 s cannot be written as a Pace duration/);
    expect(messages).toMatch(/sli:api\.availability: the selector's text 'y' is not its metric and matchers/);
    expect(messages).toMatch(/policy:default: 'default' is reserved/);
    expect(messages).toMatch(/sli:database\.reads: another SLI is named 'reads'/);
  });

  it('an SLO whose rules are not its policy’s', () => {
    const m = base();
    m.services[0].slos[0].alerting!.rules.pop();
    expect(printModelChecked(m).problems).toEqual([{ id: 'slo:api.availability', message: "its alert rules are not those of its policy 'fast_burn': Pace gives an SLO the rules of its policy" }]);
  });
});

describe('numbers in Pace syntax', () => {
  it('percentages without binary noise', () => {
    expect([0.999, 0.9995, 0.035, 0.1, 0.25, 0.99999, 0.5, 1e-9, 0.070000000001].map(percentText)).toEqual(['99.9%', '99.95%', '3.5%', '10%', '25%', '99.999%', '50%', '0.0000001%', '7.0000000001%']);
    expect(percentText(-0.1)).toBeUndefined();
    expect(percentText(0.1234567890123)).toBeUndefined();
  });
  it('durations largest unit first, whole milliseconds only', () => {
    expect([5400, 0.3, 2592000, 90061.001, 1.5, 0, 604800].map(durationText)).toEqual(['1h30m', '300ms', '30d', '1d1h1m1s1ms', '1s500ms', '0s', '7d']);
    expect(durationText(0.0005)).toBeUndefined();
    expect(durationText(-1)).toBeUndefined();
  });
  it('plain numbers without exponents', () => {
    expect([14.4, 1e21, 1.5e-7, 0, 12000000].map(decimalText)).toEqual(['14.4', '1000000000000000000000', '0.00000015', '0', '12000000']);
    expect(decimalText(-1)).toBeUndefined();
    expect(decimalText(Infinity)).toBeUndefined();
  });
});

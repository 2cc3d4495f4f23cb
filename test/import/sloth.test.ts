// `pace import sloth`: Sloth's reference specs (../shared/reference/sloth, read from there) import
// into projects that check clean, with the mapping docs/import.md states (events/raw SLIs with
// `$window` and the query text exactly, objectives, labels, alert names, labels and annotations per
// severity, default / none / one-severity policies, Sloth's names kept as labels); the Kubernetes
// CRD imports as the prometheus/v1 spec does; multi-document files; located errors for invalid
// specs and a located warning per construct Pace cannot say; import → the native prometheus
// target passes promtool.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { main } from '../../server/src/cli/main.js';
import { importProject, type ImportMessage } from '../../server/src/core/index.js';
import { importSloth, paceName } from '../../server/src/core/import/sloth.js';
import type { NormalizedModel, PromqlSli } from '../../server/src/core/model/model.js';
import { prometheusBinaries } from '../helpers/prometheus.js';

const root = path.join(__dirname, '../..');
const reference = path.join(root, '..', 'shared', 'reference', 'sloth');
const IN_BASE = path.join(reference, 'in-base.yaml');
const GETTING_STARTED = path.join(reference, 'examples', 'getting-started.yml');
const NO_ALERTS = path.join(reference, 'examples', 'no-alerts.yml');

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-import-sloth-'));
  temps.push(d);
  return d;
}

async function run(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

const errors = (ms: readonly ImportMessage[]) => ms.filter((m) => m.severity === 'error');
const warnings = (ms: readonly ImportMessage[]) => ms.filter((m) => m.severity === 'warning');
const imp = (text: string, name = 'spec.yml') => importSloth([{ name, text }]);
const model = (text: string): NormalizedModel => {
  const r = imp(text);
  expect(errors(r.messages)).toEqual([]);
  return r.model!;
};
const read = (f: string) => readFileSync(f, 'utf8');

/** A minimal valid spec, with `slo` lines replacing the SLO's body after its name. */
function spec(sloBody: string, head = 'version: "prometheus/v1"\nservice: "svc"\n'): string {
  return `${head}slos:\n  - name: "avail"\n${sloBody}`;
}
const EVENTS = `    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(x{code="5xx"}[{{.window}}]))\n        total_query: sum(rate(x[{{.window}}]))\n`;
const NO_ALERTING = `    alerting:\n      page_alert: { disable: true }\n      ticket_alert: { disable: true }\n`;

describe('the reference specs', () => {
  it.each([
    ['in-base.yaml', IN_BASE],
    ['examples/getting-started.yml', GETTING_STARTED],
    ['examples/no-alerts.yml', NO_ALERTS],
  ])('%s imports through the CLI into a project that checks clean', async (_name, file) => {
    const out = tempDir();
    const r = await run(['import', 'sloth', file, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(readdirSync(out).filter((f) => f.endsWith('.pace')).length).toBeGreaterThan(0);
    const check = await run(['check', out]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('in-base.yaml: the mapping of services, SLIs, SLOs and their alerting', () => {
    const m = model(read(IN_BASE));
    expect(m.services.map((s) => s.id)).toEqual(['service:svc01']);
    const svc = m.services[0];
    expect(svc.labels).toEqual({ global01k1: 'global01v1' });
    // The spec's order is kept (buildModel's order is by id: slo02 before slo1).
    expect(svc.slos.map((s) => s.name)).toEqual(['slo1', 'slo02']);
    const [slo1, slo02] = svc.slos;
    const sli1 = svc.slis.find((s) => s.id === slo1.sli) as PromqlSli;
    expect(sli1.kind).toBe('promql');
    expect(sli1.bad).toBe('sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[$window]))');
    expect(sli1.total).toBe('sum(rate(http_request_duration_seconds_count{job="myservice"}[$window]))');
    const sli2 = svc.slis.find((s) => s.id === slo02.sli) as PromqlSli;
    // The raw query exactly, with the final newline of its block scalar (Sloth's output depends on it).
    expect(sli2.errorRatio).toBe(
      'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[$window]))\n/\nsum(rate(http_request_duration_seconds_count{job="myservice"}[$window]))\n',
    );
    expect(slo1).toMatchObject({ objective: 0.999, window: { type: 'rolling', seconds: 30 * 86400 }, description: 'This is SLO 01.', labels: { global02k1: 'global02v1' }, alertName: 'myServiceAlert' });
    expect(slo1.annotations).toEqual({ alert02k1: 'alert02k2' });
    expect(slo1.alerting).toMatchObject({ policy: 'default', defaultMode: 'sloth', name: 'myServiceAlert' });
    expect(slo1.alerting!.page).toEqual({ labels: { alert01k1: 'alert01v1', alert03k1: 'alert03v1' }, annotations: { alert02k1: 'alert02k2' } });
    expect(slo1.alerting!.ticket).toEqual({ labels: { alert01k1: 'alert01v1', alert04k1: 'alert04v1' }, annotations: { alert02k1: 'alert02k2' } });
    // Pace's default policy for 30d is Sloth's catalogue, factors included.
    expect(slo1.alerting!.rules.map((r) => [r.severity, r.factor, r.longWindowSeconds, r.shortWindowSeconds])).toEqual([
      ['page', 14.4, 3600, 300],
      ['page', 6, 6 * 3600, 1800],
      ['ticket', 3, 86400, 7200],
      ['ticket', 1, 3 * 86400, 6 * 3600],
    ]);
    expect(slo02).toMatchObject({ objective: 0.95, alerting: null, labels: { global03k1: 'global03v1' } });
    expect(m.alertingPolicies).toEqual([]);
  });

  it("getting-started: Sloth's names that are not Pace names are kept as sloth_slo / sloth_service labels", () => {
    const m = model(read(GETTING_STARTED));
    const slo = m.services[0].slos[0];
    expect(slo.name).toBe('requests_availability');
    expect(slo.labels).toEqual({ sloth_slo: 'requests-availability' });
    expect(m.services[0].labels).toEqual({ owner: 'myteam', repo: 'myorg/myservice', tier: '2' }); // its name needs no label
    expect(slo.alerting!.page.labels).toEqual({ category: 'availability', routing_key: 'myteam', severity: 'pageteam' });
    expect(slo.alerting!.ticket.labels).toEqual({ category: 'availability', severity: 'slack', slack_channel: '#alerts-myteam' });
    expect(slo.annotations).toEqual({ summary: "High error rate on 'myservice' requests responses" });
    const dashed = model(spec(EVENTS + NO_ALERTING, 'version: "prometheus/v1"\nservice: "my-app.v2"\n'));
    expect(dashed.services[0]).toMatchObject({ name: 'my_app_v2', labels: { sloth_service: 'my-app.v2' } });
    expect(paceName('9lives')).toBe('_9lives');
  });

  it('no-alerts: alerting = none, multi-line queries kept exactly', () => {
    const m = model(read(NO_ALERTS));
    const svc = m.services[0];
    expect(svc.slos[0].alerting).toBeNull();
    expect((svc.slis[0] as PromqlSli).bad).toBe('sum(\n  rate(http_request_duration_seconds_count{job="myapp", code=~"(5..|429)"}[$window])\n)\n');
    expect(svc.slos[0].objective).toBe(0.9999);
  });
});

describe('alerting', () => {
  it("one severity disabled: a policy with the other severity's rules of Sloth's catalogue, shared by the SLOs that need it", () => {
    const two = `version: "prometheus/v1"\nservice: "svc"\nslos:\n${['a1', 'a2']
      .map((n) => `  - name: "${n}"\n${EVENTS}    alerting:\n      name: A\n      page_alert: { disable: true }\n`)
      .join('')}  - name: "b1"\n${EVENTS}    alerting:\n      name: B\n      ticket_alert: { disable: true }\n      page_alert: { labels: { team: "x" } }\n`;
    const r = importProject('sloth', [{ name: 'spec.yml', text: two }]);
    expect(r.messages).toEqual([]);
    const alerting = r.files.get('alerting.pace')!;
    expect(alerting).toContain('alerting sloth_ticket_only {');
    expect(alerting).toContain('alerting sloth_page_only {');
    expect(alerting).toMatch(/ticket when burn_rate > 3 over 1d and 2h\n\s+ticket when burn_rate > 1 over 3d and 6h/);
    expect(alerting).toMatch(/page when burn_rate > 14.4 over 1h and 5m\n\s+page when burn_rate > 6\s+over 6h and 30m/);
    const m = model(two);
    expect(m.alertingPolicies.map((p) => p.id)).toEqual(['policy:sloth_page_only', 'policy:sloth_ticket_only']);
    const [a1, a2, b1] = m.services[0].slos;
    expect([a1.alerting!.policy, a2.alerting!.policy, b1.alerting!.policy]).toEqual(['policy:sloth_ticket_only', 'policy:sloth_ticket_only', 'policy:sloth_page_only']);
    expect(b1.page).toEqual({ labels: { team: 'x' }, annotations: {} });
    expect(b1.ticket).toBeUndefined();
  });

  it('disabled alerts with labels: a warning that they are not imported', () => {
    const r = imp(spec(`${EVENTS}    alerting:\n      page_alert:\n        disable: true\n        labels: { team: "x" }\n      ticket_alert: { disable: true }\n`));
    expect(errors(r.messages)).toEqual([]);
    expect(warnings(r.messages)).toEqual([expect.objectContaining({ line: 11, column: 7, message: expect.stringContaining('disabled page alert are not imported') })]);
  });
});

/** The CRD form of a prometheus/v1 spec, built from it: camelCase fields under `spec`. */
function toCrd(v1: string): string {
  const camel: Record<string, string> = { slo_plugins: 'sloPlugins', error_query: 'errorQuery', total_query: 'totalQuery', error_ratio_query: 'errorRatioQuery', page_alert: 'pageAlert', ticket_alert: 'ticketAlert' };
  const rename = (v: unknown, inLabels = false): unknown =>
    Array.isArray(v)
      ? v.map((x) => rename(x))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [inLabels ? k : (camel[k] ?? k), rename(x, k === 'labels' || k === 'annotations')]))
        : v;
  return parseAllDocuments(v1)
    .map((d) => {
      const { version: _version, ...rest } = d.toJS() as Record<string, unknown>;
      return stringify({ apiVersion: 'sloth.slok.dev/v1', kind: 'PrometheusServiceLevel', metadata: { name: 'x', namespace: 'monitoring' }, spec: rename(rest) });
    })
    .join('---\n');
}

describe('the Kubernetes PrometheusServiceLevel', () => {
  it.each([IN_BASE, GETTING_STARTED, NO_ALERTS])('imports as the prometheus/v1 spec does (%s)', (file) => {
    const v1 = importProject('sloth', [{ name: 'spec.yml', text: read(file) }]);
    const crdText = toCrd(read(file));
    expect(crdText).toContain('kind: PrometheusServiceLevel');
    expect(crdText).toMatch(/errorQuery|errorRatioQuery/);
    const crd = importProject('sloth', [{ name: 'crd.yml', text: crdText }]);
    expect(crd.messages).toEqual([]);
    expect([...crd.files]).toEqual([...v1.files]);
  });

  it('an unknown apiVersion or kind is a located error; metadata labels are a warning', () => {
    const bad = imp('apiVersion: sloth.slok.dev/v2\nkind: PrometheusServiceLevel\nspec: {}\n');
    expect(errors(bad.messages)).toEqual([expect.objectContaining({ line: 1, column: 13, message: expect.stringContaining("unknown apiVersion 'sloth.slok.dev/v2'") })]);
    const kind = imp('apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\nspec: {}\n');
    expect(errors(kind.messages)).toEqual([expect.objectContaining({ line: 2, column: 7, message: expect.stringContaining("unknown kind 'AlertWindows'") })]);
    const crd = toCrd(spec(EVENTS + NO_ALERTING)).replace('  namespace: monitoring\n', '  namespace: monitoring\n  labels: { prometheus: default }\n');
    const r = imp(crd);
    expect(errors(r.messages)).toEqual([]);
    expect(warnings(r.messages)).toEqual([expect.objectContaining({ line: 6, column: 3, message: expect.stringContaining('metadata.labels is not imported') })]);
  });
});

describe('several specs', () => {
  it('a multi-document file and several files: one service per spec, one project', () => {
    const r = importProject('sloth', [
      { name: 'a.yml', text: `${read(IN_BASE)}\n---\n${read(GETTING_STARTED)}\n---\n` },
      { name: 'b.yml', text: read(NO_ALERTS) },
    ]);
    expect(r.messages).toEqual([]);
    expect([...r.files.keys()].sort()).toEqual(['myapp.pace', 'myservice.pace', 'svc01.pace']);
  });

  it('two specs of one service join; with other labels they are an error', () => {
    const a = spec(EVENTS + NO_ALERTING);
    const b = a.replace('"avail"', '"latency"');
    expect(model(`${a}---\n${b}`).services[0].slos.map((s) => s.name)).toEqual(['avail', 'latency']);
    const r = imp(`${a}---\n${b.replace('service: "svc"\n', 'service: "svc"\nlabels: { team: "x" }\n')}`);
    expect(errors(r.messages)).toEqual([expect.objectContaining({ line: 14, column: 1, message: expect.stringContaining('with other labels') })]);
  });
});

describe('invalid specs: located errors', () => {
  const cases: [string, string, number, number, string][] = [
    ['missing service', `version: "prometheus/v1"\nslos:\n  - name: "avail"\n${EVENTS}${NO_ALERTING}`, 1, 1, 'service is required'],
    ['unknown version', `version: "prometheus/v2"\nservice: "svc"\n`, 1, 10, "unknown version 'prometheus/v2'"],
    ['not a spec', 'groups: []\n', 1, 1, 'not a Sloth spec'],
    ['no SLOs', 'version: "prometheus/v1"\nservice: "svc"\nslos: []\n', 3, 1, 'at least one SLO'],
    ['objective above 100', spec(EVENTS.replace('99.9', '150') + NO_ALERTING), 5, 16, 'objective 150 is out of range'],
    ['objective 0', spec(EVENTS.replace('99.9', '0') + NO_ALERTING), 5, 16, 'objective 0 is out of range'],
    ['objective 100', spec(EVENTS.replace('99.9', '100') + NO_ALERTING), 5, 16, 'no error budget'],
    ['objective as a string', spec(EVENTS.replace('99.9', '"99.9"') + NO_ALERTING), 5, 16, 'objective must be a number'],
    ['both events and raw', spec(`${EVENTS}      raw:\n        error_ratio_query: x[{{.window}}]\n${NO_ALERTING}`), 10, 7, 'both events and raw'],
    ['no SLI type', spec(`    objective: 99\n    sli: {}\n${NO_ALERTING}`), 6, 10, 'one of events, raw or plugin'],
    ['an SLI plugin', spec(`    objective: 99\n    sli:\n      plugin:\n        id: sloth-common/kubernetes/apiserver/availability\n${NO_ALERTING}`), 7, 7, "Sloth's SLI plugins run Go code"],
    ['no {{.window}}', spec(EVENTS.replace('x[{{.window}}]', 'x[5m]') + NO_ALERTING), 9, 22, 'must use the {{.window}} variable'],
    ['same error and total queries', spec(EVENTS.replace('x{code="5xx"}', 'x') + NO_ALERTING), 8, 9, 'are the same query'],
    ['alerts without a name', spec(EVENTS), 4, 5, 'alerting.name is required'],
    ['a label value that is not a string', spec(EVENTS + NO_ALERTING, 'version: "prometheus/v1"\nservice: "svc"\nlabels:\n  tier: 2\n'), 4, 9, "the value of 'tier' must be a string"],
    ['a label name Pace cannot say', spec(EVENTS + NO_ALERTING, 'version: "prometheus/v1"\nservice: "svc"\nlabels:\n  app.kubernetes.io/name: x\n'), 4, 3, 'is not a name Pace accepts'],
    ['a name Sloth refuses', spec(EVENTS + NO_ALERTING).replace('"avail"', '"-avail"'), 4, 11, "SLO name '-avail' is not a Sloth name"],
    ['disable not a boolean', spec(`${EVENTS}    alerting:\n      page_alert: { disable: "yes" }\n      ticket_alert: { disable: true }\n`), 11, 30, 'must be true or false'],
    ['YAML syntax', 'version: "prometheus/v1"\nservice: [\n', 3, 1, 'YAML'],
  ];
  it.each(cases)('%s', (_name, text, line, column, message) => {
    const r = imp(text);
    expect(r.model).toBeUndefined();
    expect(errors(r.messages)).toContainEqual(expect.objectContaining({ file: 'spec.yml', line, column, message: expect.stringContaining(message) }));
  });

  it('two SLOs whose Pace names collide; the same SLO twice', () => {
    const collide = `version: "prometheus/v1"\nservice: "svc"\nslos:\n  - name: "a-b"\n${EVENTS}${NO_ALERTING}  - name: "a_b"\n${EVENTS}${NO_ALERTING}`;
    expect(errors(imp(collide).messages)).toEqual([expect.objectContaining({ line: 13, column: 5, message: "SLO 'a_b' and SLO 'a-b' both become 'a_b' in Pace: rename one" })]);
    const twice = collide.replace('"a_b"', '"a-b"');
    expect(errors(imp(twice).messages)).toEqual([expect.objectContaining({ line: 13, column: 5, message: "SLO 'a-b' is declared twice in service 'svc'" })]);
  });

  it('the CLI prints file:line:col and writes nothing', async () => {
    const d = tempDir();
    const f = path.join(d, 'bad.yml');
    writeFileSync(f, spec(EVENTS.replace('99.9', '150') + NO_ALERTING));
    const out = path.join(d, 'out');
    const r = await run(['import', 'sloth', f, '--out', out], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.yml:5:16: error: objective 150 is out of range');
    expect(r.stderr).toContain('nothing was written');
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('what Pace cannot say: one located warning per construct, the rest imported', () => {
  it('SLO plugins, unknown keys', () => {
    const text = `version: "prometheus/v1"\nservice: "svc"\nslo_plugins:\n  chain:\n    - id: sloth.dev/contrib/info_labels/v1\nslos:\n  - name: "avail"\n    time_window: 28d\n    plugins:\n      chain: []\n${EVENTS}${NO_ALERTING}`;
    const r = imp(text);
    expect(errors(r.messages)).toEqual([]);
    expect(warnings(r.messages).map((w) => [w.line, w.column, w.message.split(':')[0]])).toEqual([
      [3, 1, 'slo_plugins'],
      [8, 5, 'SLO'],
      [9, 5, 'plugins'],
    ]);
    expect(warnings(r.messages)[1].message).toContain("unknown key 'time_window'");
    expect(r.model!.services[0].slos).toHaveLength(1);
  });
});

describe('import → the native prometheus target', () => {
  it('generates rules that pass promtool check rules', async () => {
    const out = tempDir();
    expect((await run(['import', 'sloth', IN_BASE, GETTING_STARTED, NO_ALERTS, '--out', out])).code).toBe(0);
    const gen = await run(['generate', out, '--target', 'prometheus', '--out', path.join(out, 'gen')]);
    expect(gen.code, gen.stderr).toBe(0);
    const dir = path.join(out, 'gen', 'prometheus');
    const rules = readdirSync(dir).filter((f) => f.endsWith('.rules.yml'));
    expect(rules.sort()).toEqual(['myapp.rules.yml', 'myservice.rules.yml', 'svc01.rules.yml']);
    const r = spawnSync(prometheusBinaries().promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...rules], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // Sloth's names reach the native rules as labels.
    expect(read(path.join(dir, 'myservice.rules.yml'))).toContain('sloth_slo: "requests-availability"');
  });
});

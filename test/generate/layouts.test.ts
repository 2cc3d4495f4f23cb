// The layouts of the prometheus target (`--format`, pace.yaml `generate.targets.prometheus.format`):
// `prometheus-operator` (a Kubernetes PrometheusRule per service, validated against the operator's
// CRD schema by @kubernetes-models/prometheus-operator) and `mimir` (a `mimirtool rules load`
// namespace per service). Both hold exactly the groups of the plain layout, which pass
// `promtool check rules --lint=all --lint-fatal` and `vmalert -dryRun`; goldens for samples/.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { main } from '../../server/src/cli/main.js';
import { kubernetesNames } from '../../server/src/core/generate/layouts.js';
import { prometheusBinaries } from '../helpers/prometheus.js';
import { victoriaMetricsBinary } from '../helpers/victoria-metrics.js';

const root = path.join(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-layouts-'));
  temps.push(d);
  return d;
}

async function run(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

function tool(bin: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

type Group = { name: string; rules: Record<string, unknown>[] };
const read = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

/** A copy of samples/ (without its broken folders and data) with `pace.yaml`'s generate section set to `generate`. */
function samplesWith(generate: string): string {
  const d = path.join(tempDir(), 'samples');
  cpSync(path.join(root, 'samples'), d, { recursive: true, filter: (src) => !/^(broken[^/\\]*|data|generated)([/\\]|$)/.test(path.relative(path.join(root, 'samples'), src)) }); // not what `npm start` generated
  const cfg = readFileSync(path.join(d, 'pace.yaml'), 'utf8').replace(/^data:\n(  - .*\n)+/m, '');
  writeFileSync(path.join(d, 'pace.yaml'), `${cfg}${generate}`);
  return d;
}

describe('pace generate samples --format …', () => {
  const out: Record<string, Record<string, string>> = {};
  /** The plain layout's groups per service (its time-slice SLOs' own files included). */
  const plainGroups: Record<string, Group[]> = {};
  beforeAll(async () => {
    for (const format of ['prometheus', 'prometheus-operator', 'mimir']) {
      const dir = path.join(tempDir(), 'out');
      const r = await run(['generate', 'samples', '--format', format, '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      out[format] = read(path.join(dir, 'prometheus'));
    }
    for (const [f, text] of Object.entries(out.prometheus)) {
      if (!f.endsWith('.rules.yml')) continue;
      const service = f.split('.')[0];
      plainGroups[service] = [...(plainGroups[service] ?? []), ...(parseYaml(text) as { groups: Group[] }).groups];
    }
  }, 120_000);

  const byName = (gs: Group[]) => [...gs].sort((a, b) => (a.name < b.name ? -1 : 1));

  it('prometheus-operator: one PrometheusRule per service, no promtool test files', () => {
    const files = Object.keys(out['prometheus-operator']);
    expect(files).toEqual(Object.keys(plainGroups).map((s) => `${s}.prometheusrule.yml`));
    expect(files).toContain('inventory.prometheusrule.yml');
  });

  it('prometheus-operator: every object is valid against the operator’s schema, with a valid Kubernetes name', () => {
    for (const [f, text] of Object.entries(out['prometheus-operator'])) {
      const doc = parseYaml(text) as { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string> }; spec: { groups: Group[] } };
      expect(doc.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(doc.kind).toBe('PrometheusRule');
      expect(doc.metadata.name, f).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
      expect(doc.metadata.labels['app.kubernetes.io/managed-by']).toBe('pace');
      expect(doc.metadata.labels['pace.dev/service']).toBe(f.split('.')[0]);
      expect(() => new PrometheusRule(doc as never).validate(), f).not.toThrow();
    }
    expect((parseYaml(out['prometheus-operator']['payments_api.prometheusrule.yml']) as { metadata: { name: string } }).metadata.name).toBe('pace-slo-payments-api');
  });

  it('the schema check is real: a broken object fails it', () => {
    const doc = parseYaml(out['prometheus-operator']['checkout.prometheusrule.yml']) as { spec: { groups: Group[] } };
    const alert = doc.spec.groups[0].rules.find((r) => 'alert' in r)!;
    alert.for = 'two minutes';
    expect(() => new PrometheusRule(doc as never).validate()).toThrow(/for/);
    delete alert.for;
    (doc.spec.groups[0] as { rules: unknown }).rules = 'none';
    expect(() => new PrometheusRule(doc as never).validate()).toThrow(/rules/);
  });

  it('prometheus-operator and mimir hold exactly the plain layout’s groups, each service’s in one file', () => {
    for (const [f, text] of Object.entries(out['prometheus-operator'])) {
      const service = f.split('.')[0];
      expect(byName((parseYaml(text) as { spec: { groups: Group[] } }).spec.groups), f).toEqual(byName(plainGroups[service]));
    }
    expect(Object.keys(out.mimir)).toEqual(Object.keys(plainGroups).map((s) => `${s}.rules.yml`));
    for (const [f, text] of Object.entries(out.mimir)) {
      const service = f.split('.')[0];
      const doc = parseYaml(text) as { namespace: string; groups: Group[] };
      expect(doc.namespace).toBe(service);
      expect(Object.keys(doc)).toEqual(['namespace', 'groups']);
      expect(byName(doc.groups), f).toEqual(byName(plainGroups[service]));
    }
    // inventory's time-slice SLO, in a file of its own in the plain layout, rejoins its service.
    expect((parseYaml(out.mimir['inventory.rules.yml']) as { groups: Group[] }).groups.map((g) => g.name)).toContain('pace-slo-inventory-stock_in_sync');
  });

  it('every file begins with the marker and matches its golden', async () => {
    for (const format of ['prometheus-operator', 'mimir'])
      for (const [f, text] of Object.entries(out[format])) {
        expect(text, f).toMatch(/^# Generated by Pace — do not edit\. Source: [\w./, -]+\.pace\.\n/);
        await expect(text).toMatchFileSnapshot(path.join(root, 'test/generate/golden', format, f));
      }
  });

  it('their groups pass promtool check rules --lint=all --lint-fatal and vmalert -dryRun; the plain files pass vmalert -dryRun', async () => {
    const dir = tempDir();
    for (const format of ['prometheus-operator', 'mimir']) {
      mkdirSync(path.join(dir, format));
      for (const [f, text] of Object.entries(out[format])) {
        const doc = parseYaml(text) as { spec?: { groups: Group[] }; groups?: Group[] };
        writeFileSync(path.join(dir, format, f), stringify({ groups: doc.spec?.groups ?? doc.groups }));
      }
    }
    mkdirSync(path.join(dir, 'prometheus'));
    for (const [f, text] of Object.entries(out.prometheus)) if (f.endsWith('.rules.yml')) writeFileSync(path.join(dir, 'prometheus', f), text);
    const promtool = prometheusBinaries().promtool;
    for (const format of ['prometheus-operator', 'mimir']) {
      const files = readdirSync(path.join(dir, format)).sort();
      const r = await tool(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...files], path.join(dir, format));
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('SUCCESS');
    }
    const vmalert = path.join(path.dirname(victoriaMetricsBinary()), 'vmalert');
    for (const format of ['prometheus', 'prometheus-operator', 'mimir']) {
      const r = await tool(vmalert, ['-dryRun', `-rule=${path.join(dir, format, '*.yml')}`], dir);
      expect(r.code, `${format}: ${r.out.slice(-2000)}`).toBe(0);
    }
    // vmalert does check: a broken expression fails the dry run.
    const broken = path.join(dir, 'broken.yml');
    writeFileSync(broken, readFileSync(path.join(dir, 'mimir', 'checkout.rules.yml'), 'utf8').replace(/expr: (.*)sum\(/, 'expr: $1sum(('));
    expect((await tool(vmalert, ['-dryRun', `-rule=${broken}`], dir)).code).not.toBe(0);
  }, 240_000);
});

describe('pace.yaml generate.targets.prometheus.format and kubernetes', () => {
  it('takes the format and the objects’ metadata from pace.yaml; --format overrides it', async () => {
    const proj = samplesWith('generate:\n  targets:\n    prometheus:\n      format: prometheus-operator\n      kubernetes:\n        namespace: monitoring\n        labels: { release: kube-prometheus }\n');
    const r = await run(['generate', proj]);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(path.join(proj, 'generated/prometheus'));
    expect(files.every((f) => f.endsWith('.prometheusrule.yml'))).toBe(true);
    const doc = parseYaml(readFileSync(path.join(proj, 'generated/prometheus/checkout.prometheusrule.yml'), 'utf8')) as { metadata: { namespace: string; labels: Record<string, string> } };
    expect(doc.metadata.namespace).toBe('monitoring');
    expect(doc.metadata.labels.release).toBe('kube-prometheus');
    expect(() => new PrometheusRule(doc as never).validate()).not.toThrow();
    // Switching the layout replaces the files (the old ones carry the marker, so they are removed).
    const m = await run(['generate', proj, '--format', 'mimir']);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain('removed');
    const after = readdirSync(path.join(proj, 'generated/prometheus')).sort();
    expect(after.every((f) => f.endsWith('.rules.yml') && !f.includes('.test.'))).toBe(true);
    expect(readFileSync(path.join(proj, 'generated/prometheus/checkout.rules.yml'), 'utf8')).toMatch(/\nnamespace: "checkout"\ngroups:\n/);
    expect((await run(['generate', proj, '--format', 'mimir', '--check'])).code).toBe(0);
  }, 60_000);

  it('rejects an unknown format, in pace.yaml (located) and on the command line', async () => {
    const proj = samplesWith('generate:\n  targets:\n    prometheus:\n      format: thanos\n');
    const r = await run(['generate', proj]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pace\.yaml:\d+:\d+.*format/);
    const c = await run(['generate', 'samples', '--format', 'cortex', '--out', tempDir()]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("unknown format 'cortex' (known: prometheus, prometheus-operator, mimir)");
  }, 60_000);

  it('rejects Kubernetes labels and namespaces Kubernetes would refuse', async () => {
    const proj = samplesWith('generate:\n  targets:\n    prometheus:\n      format: prometheus-operator\n      kubernetes:\n        namespace: Monitoring_1\n        labels: { "bad key!": x }\n');
    const r = await run(['generate', proj]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('namespace');
    expect(r.stderr).toContain('bad key!');
  }, 60_000);
});

describe('kubernetesNames', () => {
  it('lower-cases, turns underscores into dashes, trims, and numbers the names that collide', () => {
    expect(kubernetesNames(['payments_api', 'Payments_API', 'db_', 'x'.repeat(80)])).toEqual(['pace-slo-payments-api', 'pace-slo-payments-api-2', 'pace-slo-db', 'pace-slo-' + 'x'.repeat(48)]);
    for (const n of kubernetesNames(['_a', 'A__b', 'z'.repeat(100)])) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});

// `pace generate` as a command: determinism, --check drift exit codes, the marker (never
// overwrite a file without it unless --force), stale generated files removed, a project with
// errors generates nothing, targets and the output folder from pace.yaml.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupNotes } from '../../server/src/cli/generate.js';
import { main } from '../../server/src/cli/main.js';
import { generate, Workspace } from '../../server/src/core/index.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';

const root = path.join(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-generate-cli-'));
  temps.push(d);
  return d;
}

async function run(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

/** A copy of samples/ (without its broken folders) to write into. */
function samplesCopy(): string {
  const d = path.join(tempDir(), 'samples');
  cpSync(path.join(root, 'samples'), d, { recursive: true, filter: (src) => !/^(broken[^/\\]*|data|generated)([/\\]|$)/.test(path.relative(path.join(root, 'samples'), src)) }); // not what `npm start` generated
  return d;
}

describe('determinism', () => {
  it('generating twice gives the same bytes (the core, and the files on disk)', async () => {
    const project = readProject(path.join(root, 'samples'));
    const a = loadWorkspace(project).analyze().normalized();
    const b = loadWorkspace(project).analyze().normalized();
    const src = (id: string) => a.sourceMap.get(id)?.uri.split('/').pop();
    expect(generate.generateTarget(a.model, 'prometheus', src)).toEqual(generate.generateTarget(b.model, 'prometheus', src));
    const d1 = path.join(tempDir(), 'o');
    const d2 = path.join(tempDir(), 'o');
    expect((await run(['generate', 'samples', '--out', d1])).code).toBe(0);
    expect((await run(['generate', '.', '--out', d2], path.join(root, 'samples'))).code).toBe(0);
    expect(readAll(path.join(d1, 'prometheus'))).toEqual(readAll(path.join(d2, 'prometheus')));
  });

  it('the output does not depend on the order of files in the workspace', () => {
    const project = readProject(path.join(root, 'samples'));
    const fwd = new Workspace();
    const rev = new Workspace();
    fwd.setConfig(project.config, []);
    rev.setConfig(project.config, []);
    for (const f of project.files) fwd.setFile(`file://${f}`, readFileSync(f, 'utf8'));
    for (const f of [...project.files].reverse()) rev.setFile(`file://${f}`, readFileSync(f, 'utf8'));
    const src = () => 'x.pace';
    expect(generate.generateTarget(rev.analyze().normalized().model, 'prometheus', src)).toEqual(generate.generateTarget(fwd.analyze().normalized().model, 'prometheus', src));
  });
});

describe('writing', () => {
  it('--check: 1 while files are missing, 0 once generated, 1 again on drift', async () => {
    const p = samplesCopy();
    const before = await run(['generate', p, '--check']);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('missing: ');
    expect(existsSync(path.join(p, 'generated'))).toBe(false);
    const gen = await run(['generate', p]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toMatch(/65 created, 0 updated, 0 removed, 0 unchanged\n$/); // prometheus 27, openslo 11, alertmanager 2, grafana 12, datadog 13
    expect((await run(['generate', p, '--check'])).code).toBe(0);
    const again = await run(['generate', p]);
    expect(again.stdout).toMatch(/0 created, 0 updated, 0 removed, 65 unchanged\n$/);
    // Drift: a hand edit of a generated file, and a change to the source.
    const rules = path.join(p, 'generated/prometheus/checkout.rules.yml');
    writeFileSync(rules, readFileSync(rules, 'utf8').replace('0.0144', '0.02'));
    const drift = await run(['generate', p, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toBe(`differs: ${path.relative(root, rules)}\n`);
    expect(readFileSync(rules, 'utf8')).toContain('0.02');
    const policies = path.join(p, 'policies.pace');
    writeFileSync(policies, readFileSync(policies, 'utf8').replace('burn_rate > 14.4 over 1h and 5m\n', 'burn_rate > 10 over 1h and 5m\n'));
    const fix = await run(['generate', p]);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain(`updated ${path.relative(root, rules)}`);
    expect(readFileSync(rules, 'utf8')).toContain('> 0.01)');
    expect((await run(['generate', p, '--check'])).code).toBe(0);
  });

  it('removes stale files it generated, and keeps files it did not', async () => {
    const p = samplesCopy();
    expect((await run(['generate', p])).code).toBe(0);
    const dir = path.join(p, 'generated/prometheus');
    writeFileSync(path.join(dir, 'mine.yml'), 'groups: []\n');
    // The service's only SLO goes away: its rule file and test file are stale.
    const file = path.join(p, 'storefront.pace');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/\n  slo served \{[^}]*\}\n/, '\n'));
    expect(readFileSync(file, 'utf8')).not.toBe(text);
    const check = await run(['generate', p, '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('stale: ');
    const r = await run(['generate', p]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('removed ');
    expect(existsSync(path.join(dir, 'recommendations.served.test.yml'))).toBe(false);
    expect(existsSync(path.join(dir, 'recommendations.rules.yml'))).toBe(false);
    expect(existsSync(path.join(dir, 'catalog.availability.test.yml'))).toBe(true);
    expect(readFileSync(path.join(dir, 'mine.yml'), 'utf8')).toBe('groups: []\n');
  });

  it('never overwrites a file without the marker, unless --force', async () => {
    const p = samplesCopy();
    const dir = path.join(p, 'generated/prometheus');
    expect((await run(['generate', p])).code).toBe(0);
    const rules = path.join(dir, 'checkout.rules.yml');
    writeFileSync(rules, 'groups: [] # hand-written\n');
    const test = path.join(dir, 'checkout.fast.test.yml');
    const testBefore = readFileSync(test, 'utf8');
    writeFileSync(path.join(p, 'policies.pace'), readFileSync(path.join(p, 'policies.pace'), 'utf8').replace('over 3d and 6h\n}', 'over 3d and 12h\n}'));
    const r = await run(['generate', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.relative(root, rules)} exists and was not generated by Pace (no marker); not overwritten (use --force)`);
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(rules, 'utf8')).toBe('groups: [] # hand-written\n');
    expect(readFileSync(test, 'utf8')).toBe(testBefore);
    const forced = await run(['generate', p, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(rules, 'utf8')).toMatch(/^# Generated by Pace/);
  });

  it('a project with errors generates nothing (exit 1, the diagnostics on stderr)', async () => {
    const p = samplesCopy();
    writeFileSync(path.join(p, 'broken.pace'), 'service x {\n  slo y { sli = nope }\n}\n');
    const r = await run(['generate', p]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a project with errors generates nothing');
    expect(r.stderr).toMatch(/broken\.pace:2:/);
    expect(existsSync(path.join(p, 'generated'))).toBe(false);
  });
});

describe('pace.yaml generate:', () => {
  it('names the output folder and the targets with their options', async () => {
    const p = samplesCopy();
    writeFileSync(path.join(p, 'pace.yaml'), readFileSync(path.join(p, 'pace.yaml'), 'utf8').replace(/data:\n.*\n/, '') + 'generate:\n  out: build/monitoring\n  targets:\n    prometheus:\n      tests: false\n      labels: { cluster: "eu-1" }\n');
    const r = await run(['generate', p]);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(path.join(p, 'build/monitoring/prometheus'));
    expect(files.every((f) => f.endsWith('.rules.yml'))).toBe(true);
    expect(readFileSync(path.join(p, 'build/monitoring/prometheus/checkout.rules.yml'), 'utf8')).toContain('cluster: "eu-1"');
  });

  it('rejects an unknown target or option, located in pace.yaml', async () => {
    const p = samplesCopy();
    writeFileSync(path.join(p, 'pace.yaml'), 'version: 1\ngenerate:\n  targets:\n    prometheus:\n      test: false\n');
    const r = await run(['generate', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pace\.yaml:5:7 error config\/invalid Unknown key 'test' in 'generate.targets.prometheus'\. Did you mean 'tests'\?/);
    const u = await run(['generate', path.join(root, 'samples'), '--target', 'nagios']);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe("pace: unknown target 'nagios' (known: prometheus, openslo, alertmanager, grafana, datadog)\n");
  });
});

describe('docs/generate.md', () => {
  it('its pace.yaml example is valid against the schema', async () => {
    const { parseConfig } = await import('../../server/src/core/index.js');
    const doc = readFileSync(path.join(root, 'docs/generate.md'), 'utf8');
    const yaml = /```yaml\n(generate:[\s\S]*?)```/.exec(doc)![1];
    const r = parseConfig('file:///pace.yaml', `version: 1\n${yaml}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.config.generate?.targets?.prometheus?.labels).toEqual({ cluster: 'eu-1' });
  });
});

describe('notes', () => {
  // Twelve services whose SLO has a calendar window: Datadog leaves each out with the same note.
  const project = (n: number) => {
    const d = tempDir();
    writeFileSync(path.join(d, 'pace.yaml'), 'version: 1\nname: many\n');
    const service = (i: number) => `service s${String(i).padStart(2, '0')} {
  owner = "team"

  sli ok = ratio {
    good  = http_requests_total{job="s${i}", code!~"5.."}
    total = http_requests_total{job="s${i}"}
  }

  slo monthly {
    sli       = ok
    objective = 99.9%
    window    = calendar month
  }
}
`;
    writeFileSync(path.join(d, 'services.pace'), Array.from({ length: n }, (_, i) => service(i)).join('\n'));
    return d;
  };
  const notes = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('note: datadog: ') && l.includes('calendar month'));

  it('a note said of more than ten declarations is printed once, naming the first three; --verbose prints each', async () => {
    const d = project(12);
    const r = await run(['generate', d, '--target', 'datadog', '--out', path.join(d, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    expect(notes(r.stderr)).toEqual(['note: datadog: slo:s00.monthly, slo:s01.monthly, slo:s02.monthly and 9 more: not exported: Datadog SLOs have rolling 7d, 30d or 90d windows, not a calendar month']);
    expect(r.stderr).toContain('note: a note said of more than 10 declarations names the first 3; --verbose prints every note\n');
    const v = await run(['generate', d, '--target', 'datadog', '--out', path.join(d, 'out'), '--verbose']);
    expect(notes(v.stderr)).toEqual(Array.from({ length: 12 }, (_, i) => `note: datadog: slo:s${String(i).padStart(2, '0')}.monthly: not exported: Datadog SLOs have rolling 7d, 30d or 90d windows, not a calendar month`));
    expect(v.stderr).not.toContain('--verbose');
  });

  it('ten declarations or fewer: each note as it is, in order', async () => {
    const d = project(10);
    const r = await run(['generate', d, '--target', 'datadog', '--out', path.join(d, 'out')]);
    expect(notes(r.stderr)).toHaveLength(10);
    expect(r.stderr).not.toContain('--verbose');
  });

  it('groupNotes keeps every other note in its place, and tells a skipped note from its subject', () => {
    const many = (msg: string, prefix = '') => Array.from({ length: 11 }, (_, i) => `${prefix}slo:a.s${i}: ${msg}`);
    const input = ['first', ...many('x'), 'middle', 'slo:a.s0: y', ...many('x', 'skipped '), 'service:a: z'];
    expect(groupNotes(input)).toEqual({
      lines: ['first', 'slo:a.s0, slo:a.s1, slo:a.s2 and 8 more: x', 'middle', 'slo:a.s0: y', 'skipped slo:a.s0, slo:a.s1, slo:a.s2 and 8 more: x', 'service:a: z'],
      grouped: true,
    });
    expect(groupNotes(['slo:a.b: x', 'slo:a.c: x'])).toEqual({ lines: ['slo:a.b: x', 'slo:a.c: x'], grouped: false });
  });
});

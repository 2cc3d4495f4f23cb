// `pace generate --compat sloth`: importing each of Sloth's reference specs and generating in
// compatibility mode gives Sloth v0.16's own output byte for byte (../shared/reference/sloth, read
// from there; the .tpl substituted as its README says), through the real CLI; the files pass
// `promtool check rules` and every expression parses with @prometheus-io/lezer-promql; 28-day
// windows give Sloth's 28-day factors; Sloth's header is recognised as generated (drift, overwrite,
// stale); what Sloth cannot say is skipped with a note; Go's %g, Prometheus durations and the
// yaml.v2 emitter on their own (every string reads back as itself).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import pkg from '../../package.json';
import { main } from '../../server/src/cli/main.js';
import { generate } from '../../server/src/core/index.js';
import { goFixed, goFloat, goQuote, promModelDuration, slothCompatFiles, yamlV2, type YamlMap } from '../../server/src/core/generate/sloth-compat.js';
import { importSloth } from '../../server/src/core/import/sloth.js';
import { prometheusBinaries } from '../helpers/prometheus.js';

const root = path.join(__dirname, '../..');
const reference = path.join(root, '..', 'shared', 'reference', 'sloth');

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-sloth-compat-'));
  temps.push(d);
  return d;
}

async function run(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

const read = (f: string) => readFileSync(f, 'utf8');

/** Sloth's expected output from a .tpl: `{{ .version }}` replaced, `{{"X"}}` unwrapped (reference README). */
function fromTemplate(tpl: string, version: string): string {
  return tpl.split('{{ .version }}').join(version).replace(/\{\{"((?:[^"\\]|\\.)*)"\}\}/g, (_m, x: string) => x);
}

/** Imports `specs` into a new project with `pace import sloth`, then writes its pace.yaml. */
async function importedProject(specs: string[], paceYaml: string): Promise<string> {
  const dir = tempDir();
  const r = await run(['import', 'sloth', ...specs, '--out', dir]);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(path.join(dir, 'pace.yaml'), paceYaml);
  const check = await run(['check', dir]);
  expect(check.code, check.stdout + check.stderr).toBe(0);
  return dir;
}

function expressions(text: string): string[] {
  const doc = parseYaml(text) as { groups: { rules: { expr: string }[] }[] };
  return doc.groups.flatMap((g) => g.rules.map((r) => r.expr));
}

function promqlErrors(expr: string): string[] {
  const errs: string[] = [];
  parser.parse(expr).iterate({
    enter: (n) => {
      if (n.type.isError) errs.push(`${n.from}: ${expr.slice(Math.max(0, n.from - 10), n.to + 10)}`);
    },
  });
  return errs;
}

function promtoolCheck(dir: string, files: string[]): { status: number | null; out: string } {
  const r = spawnSync(prometheusBinaries().promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...files], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const EXAMPLES_YAML = 'version: 1\ngenerate:\n  targets:\n    prometheus:\n      compat: sloth\n      sloth_version: dev\n      labels: { cmd: examplesgen.sh }\n';

describe("Sloth's reference outputs, byte for byte", () => {
  it('in-base.yaml (--compat sloth --sloth-version on the command line)', async () => {
    const dir = await importedProject([path.join(reference, 'in-base.yaml')], 'version: 1\n');
    const r = await run(['generate', dir, '--target', 'prometheus', '--compat', 'sloth', '--sloth-version', 'v0.16.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: prometheus: no promtool test files in Sloth compatibility mode');
    const out = path.join(dir, 'generated', 'prometheus');
    expect(readdirSync(out)).toEqual(['svc01.rules.yml']);
    const expected = fromTemplate(read(path.join(reference, 'out-base.yaml.tpl')), 'v0.16.0');
    expect(expected).not.toContain('{{"');
    expect(read(path.join(out, 'svc01.rules.yml'))).toBe(expected);
  });

  it.each([
    ['getting-started', 'myservice'],
    ['no-alerts', 'myapp'],
  ])('examples/%s.yml (version dev and the label cmd: examplesgen.sh, from pace.yaml)', async (example, service) => {
    const dir = await importedProject([path.join(reference, 'examples', `${example}.yml`)], EXAMPLES_YAML);
    const r = await run(['generate', dir]);
    expect(r.code, r.stderr).toBe(0);
    const out = path.join(dir, 'generated', 'prometheus');
    expect(readdirSync(out)).toEqual([`${service}.rules.yml`]);
    expect(read(path.join(out, `${service}.rules.yml`))).toBe(read(path.join(reference, 'examples', '_gen', `${example}.yml`)));
  });

  it('the outputs pass promtool check rules, and every expression parses with lezer-promql', async () => {
    const dir = await importedProject([path.join(reference, 'in-base.yaml'), ...['getting-started', 'no-alerts'].map((e) => path.join(reference, 'examples', `${e}.yml`))], EXAMPLES_YAML);
    expect((await run(['generate', dir])).code).toBe(0);
    const out = path.join(dir, 'generated', 'prometheus');
    const files = readdirSync(out).sort();
    expect(files).toEqual(['myapp.rules.yml', 'myservice.rules.yml', 'svc01.rules.yml']);
    const check = promtoolCheck(out, files);
    expect(check.status, check.out).toBe(0);
    const exprs = files.flatMap((f) => expressions(read(path.join(out, f))));
    const referenceExprs = [fromTemplate(read(path.join(reference, 'out-base.yaml.tpl')), 'v'), ...['getting-started', 'no-alerts'].map((e) => read(path.join(reference, 'examples', '_gen', `${e}.yml`)))].flatMap(expressions);
    expect(exprs.length).toBe(referenceExprs.length);
    for (const e of referenceExprs) expect(promqlErrors(e), e).toEqual([]);
    for (const e of exprs) expect(promqlErrors(e), e).toEqual([]);
  });
});

describe('the Sloth header', () => {
  it("names Pace's version by default, and counts as generated: no drift, hand edits overwritten, stale files removed", async () => {
    const dir = await importedProject([path.join(reference, 'examples', 'no-alerts.yml')], 'version: 1\ngenerate:\n  targets:\n    prometheus: { compat: sloth }\n');
    expect((await run(['generate', dir])).code).toBe(0);
    const file = path.join(dir, 'generated', 'prometheus', 'myapp.rules.yml');
    const text = read(file);
    expect(text.startsWith(`\n---\n# Code generated by Sloth (pace-${pkg.version}): https://github.com/slok/sloth.\n# DO NOT EDIT.\n\ngroups:\n`)).toBe(true);
    expect(text).toContain(`sloth_version: pace-${pkg.version}\n`);
    expect(generate.isGenerated(text)).toBe(true);
    expect((await run(['generate', dir, '--check'])).code).toBe(0);
    writeFileSync(file, text.replace('vector(30)', 'vector(31)'));
    const drift = await run(['generate', dir, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('differs: ');
    const again = await run(['generate', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(read(file)).toBe(text);
    // A file in the way without the header is not overwritten.
    writeFileSync(file, 'groups: []\n');
    expect((await run(['generate', dir])).code).toBe(2);
    // A file with Sloth's header that this run does not produce (a removed service) is removed.
    writeFileSync(file, text);
    const stale = path.join(dir, 'generated', 'prometheus', 'gone.rules.yml');
    writeFileSync(stale, text);
    const native = await run(['generate', dir, '--target', 'prometheus', '--compat', 'sloth']);
    expect(native.stdout).toContain('removed ');
    expect(() => read(stale)).toThrow();
  });
});

describe("Sloth's numbers", () => {
  it("a 28-day window: Sloth's 28-day factors, 4w, vector(28); promtool passes", async () => {
    const dir = await importedProject([path.join(reference, 'in-base.yaml')], 'version: 1\ngenerate:\n  targets:\n    prometheus: { compat: sloth, sloth_version: v0.16.0 }\n');
    const pace = path.join(dir, 'svc01.pace');
    writeFileSync(pace, read(pace).split('window      = 30d').join('window      = 28d').split('window    = 30d').join('window    = 28d'));
    expect((await run(['check', dir])).code).toBe(0);
    expect((await run(['generate', dir])).code).toBe(0);
    const out = path.join(dir, 'generated', 'prometheus');
    const text = read(path.join(out, 'svc01.rules.yml'));
    for (const f of ['13.44', '5.6000000000000005', '2.8000000000000003', '0.9333333333333333']) expect(text).toContain(`(${f} * 0.0009999999999999432)`);
    expect(text).toContain('- record: slo:sli_error:ratio_rate4w\n');
    expect(text).toContain('[4w])\n      / ignoring (sloth_window)\n');
    expect(text).toContain('sloth_window: 4w\n');
    expect(text).toContain('expr: vector(28)\n');
    expect(promtoolCheck(out, ['svc01.rules.yml']).status).toBe(0);
  });

  it('Go %g and FormatFloat, Prometheus durations, Go quoting', () => {
    expect([0.9990000000000001, (100 - 99.9) / 100, 14.4, 6, 30, 1e-5, (100 - 99.999) / 100, 1e6, 123456.5, 0.0001].map(goFloat)).toEqual([
      '0.9990000000000001',
      '0.0009999999999999432',
      '14.4',
      '6',
      '30',
      '1e-05',
      '1.0000000000047748e-05',
      '1e+06',
      '123456.5',
      '0.0001',
    ]);
    expect([99.9, 95, 1e-7, 99.99].map(goFixed)).toEqual(['99.9', '95', '0.0000001', '99.99']);
    expect([300, 1800, 86400, 7 * 86400, 28 * 86400, 30 * 86400, 365 * 86400, 90 * 60, 0].map(promModelDuration)).toEqual(['5m', '30m', '1d', '1w', '4w', '30d', '1y', '1h30m', '0s']);
    expect(goQuote('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });

  it("one severity disabled: only the other severity's alert, every catalogue window still recorded", () => {
    const spec = `version: "prometheus/v1"\nservice: "svc"\nslos:\n  - name: "avail"\n    objective: 99.5\n    sli:\n      raw:\n        error_ratio_query: sum(rate(x[{{.window}}]))\n    alerting:\n      name: A\n      page_alert: { disable: true }\n`;
    const { model } = importSloth([{ name: 's.yml', text: spec }]);
    const out = slothCompatFiles(model!, { slothVersion: 'v' });
    const doc = parseYaml(out.files[0].text) as { groups: { name: string; rules: { record?: string; alert?: string; labels: Record<string, string> }[] }[] };
    expect(doc.groups.map((g) => g.name)).toEqual(['sloth-slo-sli-recordings-svc-avail', 'sloth-slo-meta-recordings-svc-avail', 'sloth-slo-alerts-svc-avail']);
    expect(doc.groups[0].rules.map((r) => r.record!.replace('slo:sli_error:ratio_rate', ''))).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
    expect(doc.groups[2].rules.map((r) => [r.alert, r.labels.sloth_severity])).toEqual([['A', 'ticket']]);
    expect(out.files[0].text).toContain('(3 * 0.005)) without (sloth_window)');
  });
});

describe('what Sloth cannot say', () => {
  it('samples/: calendar windows and policies with `for` are skipped with a note; the rest passes promtool and lezer-promql', async () => {
    const proj = path.join(tempDir(), 'samples');
    cpSync(path.join(root, 'samples'), proj, { recursive: true, filter: (src) => !/^(broken[^/\\]*|data|generated)([/\\]|$)/.test(path.relative(path.join(root, 'samples'), src)) });
    const r = await run(['generate', proj, '--target', 'prometheus', '--compat', 'sloth']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: prometheus: skipped slo:\S+: Sloth has no calendar windows/);
    expect(r.stderr).toMatch(/note: prometheus: skipped slo:\S+: its page rules are not Sloth's/);
    const out = path.join(proj, 'generated', 'prometheus');
    const files = readdirSync(out).sort();
    expect(files.length).toBeGreaterThan(3);
    expect(files.every((f) => f.endsWith('.rules.yml'))).toBe(true); // no promtool test files
    const check = promtoolCheck(out, files);
    expect(check.status, check.out).toBe(0);
    for (const f of files) for (const e of expressions(read(path.join(out, f)))) expect(promqlErrors(e), e).toEqual([]);
    // Ratio SLIs are written as Sloth's raw SLI, with Pace's own error-ratio expression.
    expect(read(path.join(out, 'catalog.rules.yml'))).toContain('expr: (1 - sum(increase(http_requests_total{job="catalog", code!~"5.."}[5m]))\n');
  });
});

describe('the command line', () => {
  it('an unknown compatibility mode, or --compat without the prometheus target, is a usage error', async () => {
    const bad = await run(['generate', path.join(root, 'samples'), '--compat', 'pyrra', '--check']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown compatibility mode 'pyrra' (known: sloth)");
    const other = await run(['generate', path.join(root, 'samples'), '--target', 'openslo', '--compat', 'sloth', '--check']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('--compat and --sloth-version apply to the prometheus target');
  });
});

describe('the yaml.v2 emitter', () => {
  const doc = (v: string): YamlMap => ({ entries: [['k', v]] });
  it('writes every string so that YAML 1.1 reads it back as that string', () => {
    const hostile = [
      '', 'plain', '2', '99.9', '0x1F', '1_000', '1:30', 'yes', 'Off', 'null', '~', '.inf', '2024-01-02', '#hash', 'a #b', 'a#b', 'a: b', 'a:b', '- x', '-x', "it's", '{{$labels.x}} y', '"q"', ' lead', 'trail ',
      'line\n', 'two\nlines', 'no final break\nx', 'two breaks\n\n', '\nleading break', ' indented\nblock\n', 'trailing space \nline', 'tab\there', 'é ü 中文', 'emoji 😀', 'bell\u0007', 'nbsp\u00a0x', '---', '...x',
      'x '.repeat(60), 'word'.repeat(30) + ' end', "'q' ".repeat(40), '{'.concat('a '.repeat(60)), '  two  spaces  '.repeat(8), 'a  '.repeat(40) + 'b',
    ];
    for (const s of hostile) {
      const text = yamlV2(doc(s));
      expect(parseYaml(text, { version: '1.1' }), JSON.stringify(s) + ' → ' + text).toEqual({ k: s });
    }
  });

  it("folds long values past column 80 as Sloth's files show, and quotes as yaml.v2 does", () => {
    expect(yamlV2(doc('2'))).toBe('k: "2"\n');
    expect(yamlV2(doc('#alerts-myteam'))).toBe("k: '#alerts-myteam'\n");
    expect(yamlV2(doc("High error rate on 'myservice' requests responses"))).toBe("k: High error rate on 'myservice' requests responses\n");
    expect(yamlV2(doc('a\nb\n'))).toBe('k: |\n  a\n  b\n');
    expect(yamlV2(doc('a\nb'))).toBe('k: |-\n  a\n  b\n');
    const long = 'w '.repeat(50) + 'end';
    const folded = yamlV2(doc(long));
    expect(folded.split('\n')[0].length).toBeGreaterThan(80);
    expect(folded.split('\n')[0].length).toBeLessThanOrEqual(82);
    expect(folded.split('\n')[1].startsWith('  w')).toBe(true);
    expect(yamlV2({ entries: [['groups', [{ entries: [['name', 'x'], ['rules', []], ['skip', undefined]] }]]] })).toBe('groups:\n- name: x\n  rules: []\n');
  });
});

// Safe output (issue 10): hostile strings — quotes, backslashes, newlines, tabs, `{{ }}`, `$`, `#`,
// `: `, `- `, YAML anchors/aliases/tags, `%`, `@`, backticks, unicode, U+2028/U+2029, NUL — in
// service titles, descriptions, owners and labels, SLO titles, labels and annotations (runbook
// URLs among them), page/ticket labels and annotations, objective titles and owners, and SLI
// selector label values, written into a .pace project with the printer's own string escaping
// (`quote`), then `pace generate` (main(), every target). Asserted, per case:
// - the project checks clean (every string is allowed where it is put);
// - every .yaml/.yml output parses with `yaml` (a stream), every .json output parses;
// - every string leaf of the parsed outputs that holds a case's unique tag holds the whole original
//   string, once a target's documented escaping is undone: alert labels and annotations are Go
//   templates in Prometheus (`{{` is written `{{ "{{" }}`), Datadog texts put `{{` in a raw block;
// - in the rule files, each recording rule's labels equal the originals exactly, and each alert's
//   labels and annotations render (`{{ "{{" }}` → `{{`) to exactly the originals; in the promtool
//   tests, exp_labels and exp_annotations are the originals exactly;
// - each original string shows up in at least one output of its field's targets.
// Then, on the whole batch at once (promtool is slow to start): `promtool check rules` passes on
// every rule file and `promtool test rules` on every test file, which proves that the selectors'
// hostile label values still select the synthetic series the tests write (PromQL escaping keeps
// their meaning) and that the templated labels and annotations render to the originals.
// A failure prints the case's seed and its shrunk strings (fast-check).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { main } from '../../server/src/cli/main.js';
import { quote } from '../../server/src/core/model/print.js';
import { prometheusBinaries } from '../helpers/prometheus.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pace-escaping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The hostile alphabet: each entry is one token; a string is a few of them. */
const TOKENS = ['"', "'", '\\', '\\n', '\n', '\t', '\r', '{{', '}}', '{{ $labels.job }}', '{{ .Value }}', '$', '$1', '#', ': ', '- ', '&a', '*a', '!!str', '%', '@', '`', '${x}', '%{x}', '---', '...', '|', '>', '?', '[', ']', ',', '{', '}', '=', '~', 'null', 'true', 'é', '日本', '🎉', '\u2028', '\u2029', '\u0085', '\u0000', '\u0001', '\u007f', ' ', 'x', 'yes', '0x1F', '<b>', '&amp;'];

/** Where a string goes, and the targets that must show it somewhere. */
const FIELDS = {
  serviceTitle: ['openslo', 'grafana'],
  serviceDescription: ['openslo', 'grafana'],
  owner: ['alertmanager', 'openslo'],
  serviceLabel: ['prometheus', 'openslo'],
  sloTitle: ['grafana'],
  sloLabel: ['prometheus'],
  summary: ['prometheus'],
  runbook: ['prometheus'],
  pageLabel: ['prometheus'],
  pageAnnotation: ['prometheus'],
  ticketLabel: ['prometheus'],
  objectiveTitle: [],
  selector: [],
} as const;
type Field = keyof typeof FIELDS;
type Strings = Record<Field, string>;

/** A case's unique tag for a field: it cannot be taken for a metric name or a label. */
/**
 * Escaping bugs found by this test in the generators (server/src/core/generate/*, the lead's) and
 * reported, not fixed here: the characters of a bug are left out of the alphabet of the fields it
 * concerns, and each bug has an `it.fails` case with its shrunk input below. When a fix lands,
 * that case fails: remove the entry, and the characters come back into the property. Fixed and
 * removed: U+0085/U+2028/U+2029/DEL written raw into YAML (shrunk: a service label "\u007f"), the
 * service title raw in the rule file's header comment ("\r"), the owner raw in alertmanager.yml's
 * comment ("\u0001") (docs/robustness.md, "Safe output"). Not a bug: a lone surrogate ("\ud800"),
 * which no UTF-8 file can hold (writing one gives U+FFFD, and the file then means U+FFFD); text from
 * an editor that holds one is a lex/unexpected-character (test/grammar/recovery.test.ts).
 */
const KNOWN_BUGS: readonly { id: string; what: string; chars: readonly string[]; fields: readonly Field[]; example: Partial<Strings> }[] = [
];

/** The strings of a field: tokens of the alphabet but the characters of the known bugs that concern the field. */
const hostileFor = (f: Field) => {
  const excluded = KNOWN_BUGS.filter((b) => b.fields.includes(f)).flatMap((b) => b.chars);
  const tokens = TOKENS.filter((t) => !excluded.some((c) => t.includes(c)));
  return fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 8 }).map((t) => t.join(''));
};

const tagOf = (k: number, f: Field) => `⟦${k} ${f}⟧`;

function project(k: number, raw: Strings): { pace: string; strings: Strings } {
  // Each string starts with its unique tag, so that its leaves can be found in any output.
  const s = Object.fromEntries(Object.entries(raw).map(([f, v]) => [f, `${tagOf(k, f as Field)}${v}`])) as Strings;
  const q = quote;
  const pace = `alerting pol {
  page   when burn_rate > 14.4 over 1h and 5m
  ticket when burn_rate > 3 over 1d and 2h
}

service svc {
  title       = ${q(s.serviceTitle)}
  description = ${q(s.serviceDescription)}
  owner       = ${q(s.owner)}
  tier        = critical
  labels      { team = ${q(s.serviceLabel)} }

  sli avail = ratio {
    bad   = req_total{job=${q(s.selector)}, code="500"}
    total = req_total{job=${q(s.selector)}}
  }

  slo avail {
    title       = ${q(s.sloTitle)}
    sli         = avail
    objective   = 99.9%
    window      = 30d
    alerting    = pol
    labels      { note = ${q(s.sloLabel)} }
    annotations { summary = ${q(s.summary)}, runbook_url = ${q(s.runbook)} }

    page {
      labels      { routing_key = ${q(s.pageLabel)} }
      annotations { description = ${q(s.pageAnnotation)} }
    }
    ticket {
      labels { queue = ${q(s.ticketLabel)} }
    }
  }
}

objective obj {
  title = ${q(s.objectiveTitle)}
  owner = ${q(s.owner)}
  supported_by = [svc.avail]
}
`;
  return { pace, strings: s };
}

/** Prometheus alert labels and annotations are Go templates: Pace writes `{{` as `{{ "{{" }}`. */
const untemplate = (v: string) => v.split('{{ "{{" }}').join('{{');
/** Datadog puts text with `{{` in a raw block. */
const unraw = (v: string) => v.replace(/\{\{\{\{raw\}\}\}\}([\s\S]*?)\{\{\{\{\/raw\}\}\}\}/g, '$1');
/** Terraform reads JSON strings as templates: `$${` is a literal `${`, `%%{` a literal `%{`. */
const untf = (v: string) => v.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
/** A series in PromQL notation (`name{label="…"}`): its label values are escaped as PromQL strings (promtool checks them). */
const isSeries = (v: string) => /^[a-zA-Z_:][\w:]*\{[a-zA-Z_]\w*=/.test(v);

function leaves(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(k, out), leaves(x, out);
  return out;
}

function listFiles(d: string): string[] {
  return readdirSync(d).flatMap((e) => {
    const p = path.join(d, e);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

interface Rule {
  record?: string;
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const io = (out: { s: string }) => ({ stdout: (t: string) => (out.s += t), stderr: (t: string) => (out.s += t), cwd: dir, env: {}, isTTY: false });

/** Generates case k into its folder; returns the problems found (empty: the case holds). */
async function runCase(k: number, raw: Strings): Promise<string[]> {
  const { pace, strings } = project(k, raw);
  const root = path.join(dir, `case-${k}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'pace.yaml'), 'version: 1\n');
  writeFileSync(path.join(root, 'svc.pace'), pace);
  const out = { s: '' };
  const code = await main(['generate', root], io(out));
  if (code !== 0) return [`pace generate exited ${code}:\n${out.s}`];
  const problems: string[] = [];
  const seen = new Map<Field, Set<string>>();
  for (const file of listFiles(path.join(root, 'generated'))) {
    const rel = path.relative(path.join(root, 'generated'), file);
    const target = rel.split(path.sep)[0];
    const text = readFileSync(file, 'utf8');
    let docs: unknown[];
    if (file.endsWith('.json')) {
      try {
        docs = [JSON.parse(text)];
      } catch (e) {
        problems.push(`${rel}: not JSON: ${(e as Error).message}`);
        continue;
      }
    } else if (/\.ya?ml$/.test(file)) {
      // Go's YAML (promtool, Prometheus, Alertmanager, Kubernetes) reads YAML 1.1: U+0085, U+2028 and
      // U+2029 are line breaks there, in comments and in quoted strings alike; and no YAML allows
      // raw control characters. The `yaml` library (1.2) would not notice either.
      const bad = /[\u0085\u2028\u2029]|[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\ud800-\udfff]/.exec(text);
      if (bad) {
        const line = text.slice(0, bad.index).split('\n').length;
        problems.push(`${rel}:${line}: raw ${JSON.stringify(bad[0])} (U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')}): a line break or a forbidden character for Go's YAML`);
        continue;
      }
      const parsed = parseAllDocuments(text);
      const all = Array.isArray(parsed) ? parsed : [parsed];
      const errors = all.flatMap((d) => d.errors.map((e) => e.message.split('\n')[0]));
      if (errors.length) {
        problems.push(`${rel}: not YAML: ${errors[0]}`);
        continue;
      }
      docs = all.map((d) => d.toJS({ maxAliasCount: -1 }));
    } else continue; // pace.tmpl: Alertmanager's own template text, no user string
    const undo = target === 'prometheus' ? untemplate : target === 'datadog' ? (rel.includes('terraform') ? (v: string) => unraw(untf(v)) : unraw) : (v: string) => v;
    for (const leaf of leaves(docs)) {
      if (target === 'prometheus' && isSeries(leaf)) continue;
      for (const f of Object.keys(FIELDS) as Field[]) {
        if (!leaf.includes(tagOf(k, f))) continue;
        // Selector values sit inside PromQL (or Datadog's query language), escaped as such: the
        // promtool tests check their meaning.
        if (f === 'selector') continue;
        const shown = undo(leaf);
        if (shown.includes(strings[f])) (seen.get(f) ?? seen.set(f, new Set()).get(f)!).add(target);
        else problems.push(`${rel}: ${f} ${JSON.stringify(strings[f])} is shown as ${JSON.stringify(leaf)}`);
      }
    }
    if (target === 'prometheus' && file.endsWith('.rules.yml')) {
      const rules = ((docs[0] as { groups?: { rules: Rule[] }[] }).groups ?? []).flatMap((g) => g.rules);
      const expectLabels = (r: Rule, want: Record<string, string>, render: (v: string) => string) => {
        for (const [name, v] of Object.entries(want)) if (r.labels?.[name] !== undefined && render(r.labels[name]) !== v) problems.push(`${rel}: ${r.record ?? r.alert} label ${name} = ${JSON.stringify(r.labels[name])}, not ${JSON.stringify(v)}`);
      };
      const common = { team: strings.serviceLabel, note: strings.sloLabel };
      for (const r of rules.filter((x) => x.record)) expectLabels(r, common, (v) => v);
      const alerts = rules.filter((x) => x.alert);
      if (!alerts.length) problems.push(`${rel}: no alert rules`);
      for (const r of alerts) {
        const page = r.labels?.severity === 'page';
        expectLabels(r, { ...common, ...(page ? { routing_key: strings.pageLabel } : { queue: strings.ticketLabel }) }, untemplate);
        const wantAnn: Record<string, string> = { summary: strings.summary, runbook_url: strings.runbook, ...(page ? { description: strings.pageAnnotation } : {}) };
        for (const [name, v] of Object.entries(wantAnn)) if (untemplate(r.annotations?.[name] ?? '') !== v) problems.push(`${rel}: ${r.alert} annotation ${name} = ${JSON.stringify(r.annotations?.[name])}, not ${JSON.stringify(v)}`);
      }
    }
    if (target === 'prometheus' && file.endsWith('.test.yml')) {
      const tests = (docs[0] as { tests: { alert_rule_test?: { exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] }[] }[] }).tests;
      for (const a of tests.flatMap((t) => t.alert_rule_test ?? []).flatMap((t) => t.exp_alerts)) {
        if (a.exp_labels.team !== strings.serviceLabel) problems.push(`${rel}: exp_labels.team = ${JSON.stringify(a.exp_labels.team)}`);
        if (a.exp_annotations.runbook_url !== strings.runbook) problems.push(`${rel}: exp_annotations.runbook_url = ${JSON.stringify(a.exp_annotations.runbook_url)}`);
      }
    }
  }
  for (const [f, targets] of Object.entries(FIELDS) as [Field, readonly string[]][]) {
    for (const t of targets) if (!seen.get(f)?.has(t)) problems.push(`${f} ${JSON.stringify(strings[f])} is not shown whole in any ${t} output (in ${root})`);
  }
  return problems;
}

const strings: fc.Arbitrary<Strings> = fc.record(Object.fromEntries(Object.keys(FIELDS).map((f) => [f, hostileFor(f as Field)])) as Record<Field, fc.Arbitrary<string>>);
const RUNS = 40;
const TESTED = 12;

/** A child process, without blocking the test worker (promtool takes a while). */
function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}
const SEED = 20261202;

describe('safe output: hostile strings through pace generate (every target)', () => {
  const generated: number[] = [];

  it(`${RUNS} random projects: every YAML and JSON output parses and reads back the original strings`, async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(strings, async (s) => {
        const n = k++;
        const problems = await runCase(n, s);
        if (problems.length) throw new Error(problems.slice(0, 8).join('\n'));
        generated.push(n);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
  }, 300_000);

  it(`promtool check rules passes on every rule file, and promtool test rules on the test files of ${TESTED} cases (one batch each)`, async () => {
    expect(generated.length).toBeGreaterThanOrEqual(RUNS);
    const { promtool } = prometheusBinaries();
    const files = generated.flatMap((n) => listFiles(path.join(dir, `case-${n}`, 'generated', 'prometheus')));
    const rules = files.filter((f) => f.endsWith('.rules.yml'));
    expect(rules.length).toBe(generated.length);
    const check = await run(promtool, ['check', 'rules', ...rules]);
    expect(check.code, check.out).toBe(0);
    expect((check.out.match(/SUCCESS/g) ?? []).length).toBe(rules.length);
    // promtool test rules takes about 2 s a case (hours of synthetic series each): a sample of the cases.
    const tests = generated.slice(0, TESTED).flatMap((n) => listFiles(path.join(dir, `case-${n}`, 'generated', 'prometheus')).filter((f) => f.endsWith('.test.yml')));
    expect(tests.length).toBe(TESTED);
    const test = await run(promtool, ['test', 'rules', ...tests]);
    expect(test.code, test.out.slice(-6000)).toBe(0);
    expect((test.out.match(/SUCCESS/g) ?? []).length).toBe(tests.length);
  }, 300_000);

  for (const [i, bug] of KNOWN_BUGS.entries()) {
    // Known bug (reported to the generators' owner): the shrunk input still fails.
    it.fails(`known bug ${bug.id}: ${JSON.stringify(bug.example)}`, async () => {
      const plain = Object.fromEntries(Object.keys(FIELDS).map((f) => [f, 'x'])) as Strings;
      const n = 2000 + i;
      const problems = await runCase(n, { ...plain, ...bug.example });
      const { promtool } = prometheusBinaries();
      const rules = listFiles(path.join(dir, `case-${n}`, 'generated', 'prometheus')).filter((f) => f.endsWith('.rules.yml'));
      const check = await run(promtool, ['check', 'rules', ...rules]);
      if (check.code !== 0) problems.push(`promtool check rules: ${check.out}`);
      expect(problems).toEqual([]);
    }, 60_000);
  }

  it('a hand-written worst case reads back whole (the tokens all at once)', async () => {
    const allFor = (f: Field) => TOKENS.filter((t) => !KNOWN_BUGS.some((b) => b.fields.includes(f) && b.chars.some((c) => t.includes(c)))).join('');
    const s = Object.fromEntries(Object.keys(FIELDS).map((f) => [f, allFor(f as Field)])) as Strings;
    expect(await runCase(1000, s)).toEqual([]);
    const all = allFor('serviceLabel');
    // And the YAML `parse` of the rule file agrees with the stream parser used above.
    const rules = listFiles(path.join(dir, 'case-1000', 'generated', 'prometheus')).find((f) => f.endsWith('.rules.yml'))!;
    const doc = parseYaml(readFileSync(rules, 'utf8')) as { groups: { rules: Rule[] }[] };
    expect(doc.groups.flatMap((g) => g.rules).find((r) => r.record)?.labels?.team).toBe(`${tagOf(1000, 'serviceLabel')}${all}`);
  }, 60_000);
});

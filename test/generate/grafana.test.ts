// `pace generate --target grafana`: the dashboards hold to Grafana's dashboard JSON model (schema
// version, unique panel ids, grid positions inside the 24 columns that never overlap, rows, every
// query through the `${datasource}` variable) and the check is not vacuous; every PromQL expression
// parses with Prometheus's own grammar and reads records (and alerts) that the prometheus target
// really writes for that SLO, checked against its rule files; units, thresholds and titles come from
// the model; uids are stable, short and distinct; options from pace.yaml; the marker in JSON keeps
// user files safe; goldens for samples/; determinism.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../server/src/cli/main.js';
import { generate } from '../../server/src/core/index.js';
import { dashboardJson, MAX_UID_LENGTH, overviewUid, serviceDashboard, serviceDashboardText, serviceUid } from '../../server/src/core/generate/grafana.js';
import { planSlo, type SloPlan } from '../../server/src/core/generate/prometheus.js';
import { generatePace, Rng } from '../fuzz/harness.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';

const root = path.join(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pace-grafana-'));
  temps.push(d);
  return d;
}

async function run(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

/** Every file under `dir`, relative and '/'-separated, sorted. */
function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel))
    .sort()
    .flatMap((f) => (statSync(path.join(dir, rel, f)).isDirectory() ? listFiles(dir, `${rel}${f}/`) : [`${rel}${f}`]));
}

/** A project of one file (and a pace.yaml), its model and the grafana target's files. */
function project(files: Record<string, string>, config = 'version: 1\n') {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'pace.yaml'), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const p = readProject(dir);
  expect(p.configDiagnostics).toEqual([]);
  const analysis = loadWorkspace(p).analyze();
  expect(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const { model, sourceMap } = analysis.normalized();
  const sourceOf = (id: string) => sourceMap.get(id)?.uri.split('/').pop();
  return { dir, model, sourceOf, config: p.config };
}

type Dashboard = grafana.Dashboard & { panels: (grafana.Panel | grafana.RowPanel)[] };
type Target = { expr: string; refId: string; legendFormat?: string; datasource?: { type?: string; uid?: string } };
const DS = { type: 'prometheus', uid: '${datasource}' };

/**
 * What Grafana's dashboard JSON model requires of a dashboard (schemaVersion, uid, title, the
 * datasource variable, annotations, panels with unique ids and grid positions inside 24 columns
 * that never overlap, rows, every query through the variable), as problems; none when it holds.
 */
function dashboardProblems(d: Dashboard): string[] {
  const out: string[] = [];
  if (!Number.isInteger(d.schemaVersion) || d.schemaVersion < 39) out.push(`schemaVersion ${d.schemaVersion}`);
  if (typeof d.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(d.uid)) out.push(`uid ${d.uid}`);
  if (typeof d.title !== 'string' || !d.title) out.push('no title');
  if (!d.time || typeof d.time.from !== 'string' || typeof d.time.to !== 'string') out.push('no time range');
  const vars = d.templating?.list ?? [];
  if (!vars.some((v) => v.type === 'datasource' && v.name === 'datasource' && v.query === 'prometheus')) out.push('no datasource variable of type prometheus');
  if (!Array.isArray(d.annotations?.list)) out.push('annotations without a list');
  if (!Array.isArray(d.panels) || !d.panels.length) return [...out, 'no panels'];
  const ids = new Set<number>();
  const boxes: { id: number; x: number; y: number; w: number; h: number }[] = [];
  for (const p of d.panels) {
    const id = p.id;
    if (!Number.isInteger(id) || id! < 1) out.push(`panel id ${id}`);
    else if (ids.has(id!)) out.push(`duplicate panel id ${id}`);
    else ids.add(id!);
    const g = p.gridPos;
    if (!g || ![g.x, g.y, g.w, g.h].every((n) => Number.isInteger(n))) {
      out.push(`panel ${id}: gridPos ${JSON.stringify(g)}`);
      continue;
    }
    if (g.x < 0 || g.y < 0 || g.w < 1 || g.h < 1 || g.x + g.w > 24) out.push(`panel ${id}: gridPos outside the grid ${JSON.stringify(g)}`);
    for (const b of boxes) if (g.x < b.x + b.w && b.x < g.x + g.w && g.y < b.y + b.h && b.y < g.y + g.h) out.push(`panels ${b.id} and ${id} overlap`);
    boxes.push({ id: id!, ...g });
    if (p.type === 'row') {
      const r = p as grafana.RowPanel;
      if (g.w !== 24 || g.h !== 1) out.push(`row ${id}: not a full-width line`);
      if (typeof r.collapsed !== 'boolean' || (!r.collapsed && r.panels?.length)) out.push(`row ${id}: an open row holds its panels after it, not inside`);
      continue;
    }
    const panel = p as grafana.Panel;
    if (typeof panel.type !== 'string' || !panel.type) out.push(`panel ${id}: no type`);
    if (!panel.fieldConfig || typeof panel.fieldConfig.defaults !== 'object' || !Array.isArray(panel.fieldConfig.overrides)) out.push(`panel ${id}: fieldConfig`);
    const targets = (panel.targets ?? []) as unknown as Target[];
    if (!targets.length) out.push(`panel ${id}: no query`);
    if (JSON.stringify(panel.datasource) !== JSON.stringify(DS)) out.push(`panel ${id}: datasource ${JSON.stringify(panel.datasource)}`);
    const refIds = new Set<string>();
    for (const t of targets) {
      if (JSON.stringify(t.datasource) !== JSON.stringify(DS)) out.push(`panel ${id} query ${t.refId}: datasource ${JSON.stringify(t.datasource)}`);
      if (!t.refId || refIds.has(t.refId)) out.push(`panel ${id}: refId ${t.refId}`);
      refIds.add(t.refId);
      if (typeof t.expr !== 'string' || !t.expr) out.push(`panel ${id} query ${t.refId}: no expr`);
    }
    const th = panel.fieldConfig?.defaults?.thresholds;
    if (th) {
      const steps = th.steps;
      if (steps[0]?.value !== null) out.push(`panel ${id}: thresholds must begin with a base step (value null)`);
      for (let i = 2; i < steps.length; i++) if (!((steps[i].value as number) > (steps[i - 1].value as number))) out.push(`panel ${id}: threshold steps not ascending`);
    }
  }
  return out;
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

interface Matcher {
  readonly label: string;
  readonly op: string;
  readonly value: string;
}
interface VectorSel {
  readonly metric?: string;
  readonly matchers: Matcher[];
}

/** The vector selectors of an expression (Prometheus's grammar), with their matchers. */
function selectors(expr: string): VectorSel[] {
  const out: VectorSel[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (n) => {
      if (n.type.name !== 'VectorSelector') return;
      let metric: string | undefined;
      const matchers: Matcher[] = [];
      const c = n.node.cursor();
      c.firstChild();
      do {
        if (c.type.name === 'Identifier') metric = expr.slice(c.from, c.to);
        if (c.type.name === 'LabelMatchers') {
          const m = c.node.getChildren('UnquotedLabelMatcher');
          for (const lm of m) {
            const name = lm.getChild('LabelName')!;
            const op = lm.getChild('MatchOp')!;
            const str = lm.getChild('StringLiteral')!;
            matchers.push({ label: expr.slice(name.from, name.to), op: expr.slice(op.from, op.to), value: JSON.parse(expr.slice(str.from, str.to)) as string });
          }
        }
      } while (c.nextSibling());
      out.push({ metric, matchers });
      return false;
    },
  });
  return out;
}

/** Whether a label value satisfies a matcher (anchored RE2-like regexes: JavaScript's, enough for Pace's). */
function matches(m: Matcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    default:
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

/** A series the prometheus target writes: a record or an alert, with its labels (the alert's name as `alertname`, `__name__` ALERTS). */
interface Written {
  readonly labels: Record<string, string>;
}

/** The records and alerts of the prometheus target's rule files, as the series Prometheus would hold. */
function writtenSeries(ruleFiles: readonly { path: string; text: string }[]): Written[] {
  const out: Written[] = [];
  for (const f of ruleFiles.filter((x) => x.path.endsWith('.rules.yml'))) {
    const doc = parseYaml(f.text) as { groups: { rules: { record?: string; alert?: string; labels?: Record<string, string> }[] }[] };
    for (const g of doc.groups)
      for (const r of g.rules) {
        if (r.record) out.push({ labels: { ...r.labels, __name__: r.record } });
        else for (const state of ['pending', 'firing']) out.push({ labels: { ...r.labels, __name__: 'ALERTS', alertname: r.alert!, alertstate: state } });
      }
  }
  return out;
}

/** The written series a selector selects. */
function selected(sel: VectorSel, written: readonly Written[]): Written[] {
  const ms = sel.metric ? [...sel.matchers, { label: '__name__', op: '=', value: sel.metric }] : sel.matchers;
  return written.filter((w) => ms.every((m) => matches(m, w.labels[m.label])));
}

const key = (w: Written) => `${w.labels.pace_service}.${w.labels.pace_slo}`;

describe('pace generate samples --target grafana', () => {
  let dir: string;
  let files: string[];
  let dashboards: Map<string, Dashboard>;
  let written: Written[];
  let model: ReturnType<ReturnType<ReturnType<typeof loadWorkspace>['analyze']>['normalized']>['model'];
  beforeAll(async () => {
    const t = tempDir();
    dir = path.join(t, 'out', 'grafana');
    const r = await run(['generate', 'samples', '--target', 'grafana', '--out', path.join(t, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    files = listFiles(dir);
    dashboards = new Map(files.filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Dashboard]));
    const analysis = loadWorkspace(readProject(path.join(root, 'samples'))).analyze();
    const normalized = analysis.normalized();
    model = normalized.model;
    // The prometheus target on the same model: what Prometheus will hold.
    written = writtenSeries(generate.generateTarget(model, 'prometheus', (id) => normalized.sourceMap.get(id)?.uri).files);
  }, 60_000);

  const panelsOf = (d: Dashboard) => d.panels.filter((p): p is grafana.Panel => p.type !== 'row');
  const targetsOf = (p: grafana.Panel) => (p.targets ?? []) as unknown as Target[];

  it('writes a dashboard per service with SLOs, the overview and the provisioning file', () => {
    const services = model.services.filter((s) => s.slos.length).map((s) => `dashboards/${s.name}.json`);
    expect(files).toEqual([...services, 'dashboards/overview.json', 'provisioning/dashboards.yaml'].sort());
  });

  it('matches the goldens', async () => {
    for (const f of files) await expect(readFileSync(path.join(dir, f), 'utf8')).toMatchFileSnapshot(path.join(root, 'test/generate/golden/grafana', f));
  });

  it('every dashboard holds to Grafana’s dashboard JSON model', () => {
    expect(dashboards.size).toBeGreaterThan(5);
    for (const [f, d] of dashboards) expect(dashboardProblems(d), f).toEqual([]);
  });

  it('the model check is not vacuous: broken copies fail it', () => {
    const base = dashboards.get('dashboards/checkout.json')!;
    const broken = (edit: (d: Dashboard) => void) => {
      const d = structuredClone(base);
      edit(d);
      return dashboardProblems(d);
    };
    expect(broken((d) => (d.panels[3].id = d.panels[2].id))).toEqual([expect.stringMatching(/^duplicate panel id/)]);
    expect(broken((d) => (d.panels[2].gridPos = { ...d.panels[1].gridPos!, x: d.panels[1].gridPos!.x + 1 }))).toContainEqual(expect.stringMatching(/overlap/));
    expect(broken((d) => (d.panels[4].gridPos = { ...d.panels[4].gridPos!, w: 8 }))).toContainEqual(expect.stringMatching(/outside the grid/));
    expect(broken((d) => ((d.panels[1] as grafana.Panel).datasource = { type: 'prometheus', uid: 'prod' }))).toEqual([expect.stringMatching(/^panel 2: datasource/)]);
    expect(broken((d) => (((d.panels[1] as grafana.Panel).targets![0] as unknown as Target).datasource = undefined))).toEqual([expect.stringMatching(/query A: datasource/)]);
    expect(broken((d) => (d.templating = { list: [] }))).toEqual(['no datasource variable of type prometheus']);
    expect(broken((d) => (d.uid = 'x'.repeat(41)))).toEqual([expect.stringMatching(/^uid/)]);
  });

  it('every expression parses with @prometheus-io/lezer-promql', () => {
    let n = 0;
    for (const [f, d] of dashboards)
      for (const p of panelsOf(d))
        for (const t of targetsOf(p)) {
          n++;
          expect(promqlErrors(t.expr), `${f} panel ${p.id}: ${t.expr}`).toEqual([]);
        }
    expect(n).toBeGreaterThan(150);
  });

  it('every selector of a service dashboard reads a record or alert the prometheus target writes for that SLO', () => {
    let n = 0;
    for (const service of model.services.filter((s) => s.slos.length)) {
      const d = dashboards.get(`dashboards/${service.name}.json`)!;
      for (const p of panelsOf(d))
        for (const t of targetsOf(p))
          for (const sel of selectors(t.expr)) {
            n++;
            const hit = selected(sel, written);
            // Exactly one SLO, of this service, and (but for ALERTS, which exists only while an alert is active) something to read.
            expect(hit.length, `${service.name} panel ${p.id}: ${t.expr}`).toBeGreaterThan(0);
            const slos = new Set(hit.map(key));
            expect(slos.size, `${service.name} panel ${p.id}: ${t.expr}`).toBe(1);
            expect([...slos][0].startsWith(`${service.name}.`)).toBe(true);
          }
    }
    expect(n).toBeGreaterThan(150);
  });

  it('each SLO row of a service dashboard reads its own SLO window, alert windows and alerts', () => {
    const d = dashboards.get('dashboards/checkout.json')!;
    const byTitle = (t: string) => panelsOf(d).filter((p) => p.title === t);
    const attainment = byTitle('Attainment (30d)')[0];
    expect(targetsOf(attainment)[0].expr).toBe('1 - slo:sli_error:ratio_rate30d{pace_service="checkout", pace_slo="availability"}');
    const burn = byTitle('Burn rate')[0];
    // Every window of the policy's rules (burn_rate_default: 1h/5m, 6h/30m, 1d/2h, 3d/6h) over the 0.1% budget, then the period burn rate.
    expect(targetsOf(burn).map((t) => t.expr)).toEqual([
      ...['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `slo:sli_error:ratio_rate${w}{pace_service="checkout", pace_slo="availability"} / 0.001`),
      'slo:period_burn_rate:ratio{pace_service="checkout", pace_slo="availability"}',
    ]);
    const firing = byTitle('Firing alerts')[0];
    expect(targetsOf(firing)[0].expr).toBe('count(ALERTS{alertname="CheckoutAvailabilityErrorBudgetBurn", pace_service="checkout", pace_slo="availability", alertstate="firing"}) or vector(0)');
    // The rows: one per SLO of the service, titled from the model.
    const rows = d.panels.filter((p) => p.type === 'row').map((p) => p.title);
    const checkout = model.services.find((s) => s.name === 'checkout')!;
    expect(rows).toEqual(checkout.slos.map((s) => expect.stringMatching(new RegExp(`^${s.name}: `))));
    expect(rows[0]).toBe('availability: 99.9% over 30d');
  });

  it('every selector of the overview reads what the prometheus target writes, for every SLO', () => {
    const d = dashboards.get('dashboards/overview.json')!;
    const all = new Set(written.filter((w) => w.labels.__name__ !== 'ALERTS').map(key));
    expect(all.size).toBe(model.services.reduce((n, s) => n + s.slos.length, 0));
    for (const p of panelsOf(d))
      for (const t of targetsOf(p))
        for (const sel of selectors(t.expr)) {
          const hit = selected(sel, written);
          expect(hit.length, t.expr).toBeGreaterThan(0);
          const slos = new Set(hit.map(key));
          // Scoped to the project's services, and losing none of them: the same SLOs as without the service matcher.
          const svc = sel.matchers.find((m) => m.label === 'pace_service');
          expect(svc, t.expr).toBeDefined();
          const unscoped = new Set(selected({ ...sel, matchers: sel.matchers.filter((m) => m !== svc) }, written).map(key));
          if (svc!.op === '=') expect(slos).toEqual(new Set([...unscoped].filter((k) => k.startsWith(`${svc!.value}.`))));
          else expect(slos).toEqual(unscoped);
          // A record of every SLO covers all of them (ALERTS only those with alerts).
          if (sel.metric !== 'ALERTS' && svc!.op !== '=') expect(slos).toEqual(all);
        }
    // The worst burn rate reads every window the prometheus target records, no other.
    const burn = targetsOf(panelsOf(d).find((p) => p.type === 'table')!).find((t) => t.refId === 'burn')!;
    const nameRegex = selectors(burn.expr).find((s) => s.matchers.some((m) => m.label === '__name__'))!;
    const recorded = new Set(written.map((w) => w.labels.__name__).filter((n) => n.startsWith('slo:sli_error:ratio_rate')));
    expect(new Set(selected(nameRegex, written).map((w) => w.labels.__name__))).toEqual(recorded);
  });

  it('links each row of the overview to its service dashboard by uid', () => {
    const d = dashboards.get('dashboards/overview.json')!;
    const tablePanel = panelsOf(d).find((p) => p.type === 'table')!;
    const objective = targetsOf(tablePanel).find((t) => t.refId === 'objective')!;
    const uids = [...dashboards.entries()].filter(([f]) => f !== 'dashboards/overview.json').map(([, x]) => x.uid);
    const linked = [...objective.expr.matchAll(/"pace_dashboard", "([^"]+)"/g)].map((m) => m[1]);
    expect(linked.sort()).toEqual(uids.sort());
    const service = tablePanel.fieldConfig!.overrides.find((o) => o.matcher.options === 'Service')!;
    expect(JSON.stringify(service.properties)).toContain('/d/${__data.fields.pace_dashboard}');
    // And every service dashboard links back to the overview.
    for (const [f, x] of dashboards) if (f !== 'dashboards/overview.json') expect(x.links?.some((l) => l.url === `/d/${d.uid}`), f).toBe(true);
  });

  it('units, thresholds, titles and descriptions come from the model', () => {
    const d = dashboards.get('dashboards/checkout.json')!;
    const checkout = model.services.find((s) => s.name === 'checkout')!;
    expect(d.title).toBe(`${checkout.title ?? 'checkout'} SLOs`);
    const [attainment, budget, objective] = panelsOf(d);
    for (const p of [attainment, budget, objective]) expect(p.fieldConfig!.defaults.unit).toBe('percentunit');
    // Attainment is green from the objective on; the budget red once spent.
    expect(attainment.fieldConfig!.defaults.thresholds!.steps).toEqual([
      { value: null, color: 'red' },
      { value: 0.999, color: 'green' },
    ]);
    expect(budget.fieldConfig!.defaults.thresholds!.steps).toEqual([
      { value: null, color: 'red' },
      { value: 0, color: 'green' },
    ]);
    // 99.9% shows with one decimal, what is measured against it with three.
    expect(objective.fieldConfig!.defaults.decimals).toBe(1);
    expect(attainment.fieldConfig!.defaults.decimals).toBe(3);
    // The burn rates' threshold lines are the policy's factors, by severity.
    const slo = checkout.slos.find((s) => s.name === 'availability')!;
    const burn = panelsOf(d).find((p) => p.title === 'Burn rate')!;
    const steps = burn.fieldConfig!.defaults.thresholds!.steps.slice(1);
    const factors = [...new Set(slo.alerting!.rules.filter((r) => !r.neverFires).map((r) => r.factor))].sort((a, b) => a - b);
    expect(steps.map((s) => s.value)).toEqual(factors);
    for (const s of steps) {
      const severities = slo.alerting!.rules.filter((r) => r.factor === s.value).map((r) => r.severity);
      expect(s.color).toBe(severities.includes('page') ? 'red' : 'orange');
    }
    expect((burn.fieldConfig!.defaults.custom as { thresholdsStyle: { mode: string } }).thresholdsStyle.mode).toBe('dashed');
    // Descriptions: the marker, then the service's doc comment; the SLO's on its attainment panel.
    expect(d.description!.split('\n\n')[0]).toBe('Generated by Pace — do not edit. Source: policies.pace, storefront.pace. Regenerate with `pace generate`.');
    if (checkout.description) expect(d.description).toContain(checkout.description);
    const doc = slo.description ?? checkout.slis.find((i) => i.id === slo.sli)!.description;
    if (doc) expect(attainment.description).toContain(doc);
  });

  it('every file carries the marker where isGenerated finds it', () => {
    for (const f of files) expect(generate.isGenerated(readFileSync(path.join(dir, f), 'utf8')), f).toBe(true);
    for (const d of dashboards.values()) expect(d.description!.startsWith(generate.GENERATED_MARKER)).toBe(true);
    expect(generate.isGenerated(JSON.stringify({ title: 'mine', description: 'My dashboard. Generated by Pace — do not edit.' }))).toBe(false);
    expect(generate.isGenerated('{ "description": "Generated by Pace — do not edit." ')).toBe(false);
  });

  it('the provisioning file is a Grafana file provider', () => {
    const doc = parseYaml(readFileSync(path.join(dir, 'provisioning/dashboards.yaml'), 'utf8')) as { apiVersion: number; providers: Record<string, unknown>[] };
    expect(doc).toEqual({
      apiVersion: 1,
      providers: [{ name: 'pace', orgId: 1, folder: 'Pace', type: 'file', disableDeletion: false, allowUiUpdates: false, updateIntervalSeconds: 60, options: { path: '/var/lib/grafana/dashboards/pace', foldersFromFilesStructure: false } }],
    });
  });

  it('is deterministic', async () => {
    const t = tempDir();
    const r = await run(['generate', '.', '--target', 'grafana', '--out', t], path.join(root, 'samples'));
    expect(r.code, r.stderr).toBe(0);
    for (const f of files) expect(readFileSync(path.join(t, 'grafana', f), 'utf8'), f).toBe(readFileSync(path.join(dir, f), 'utf8'));
  });
});

const SERVICE = (name: string, extra = '') => `service ${name} {
  ${extra}
  sli availability = ratio {
    good  = http_requests_total{job="${name}", code!~"5.."}
    total = http_requests_total{job="${name}"}
  }
  slo availability {
    sli       = availability
    objective = 99.95%
    window    = 28d
  }
}
`;

describe('uids and names', () => {
  it('are short, stable and distinct, and the overview never meets a service', () => {
    expect(serviceUid('checkout')).toBe('pace-checkout');
    expect(serviceUid('checkout', 'acme')).toBe('acme-checkout');
    const long = 'a_service_with_a_name_far_longer_than_forty_characters';
    const uids = [long, `${long}_too`, 'Checkout', 'checkout', 'overview'].map((n) => serviceUid(n));
    for (const u of uids) expect(u.length).toBeLessThanOrEqual(MAX_UID_LENGTH);
    expect(new Set([...uids, overviewUid()]).size).toBe(uids.length + 1);
    expect(serviceUid(long)).toBe(serviceUid(long));
    expect(serviceUid(long)).toMatch(/^pace-a_service_with_a_name_far_lo-[0-9a-f]{6}$/);
  });

  it('a service named overview gets its own file beside the overview', () => {
    const { model, sourceOf } = project({ 'a.pace': SERVICE('overview') + SERVICE('shop') });
    const out = generate.generateTarget(model, 'grafana', sourceOf);
    expect(out.files.map((f) => f.path)).toEqual(['dashboards/overview.json', 'dashboards/service-overview.json', 'dashboards/shop.json', 'provisioning/dashboards.yaml']);
    const overview = JSON.parse(out.files[0].text) as Dashboard;
    expect(overview.uid).toBe('pace-slo-overview');
    expect((JSON.parse(out.files[1].text) as Dashboard).uid).toBe('pace-overview');
    for (const f of out.files.filter((x) => x.path.endsWith('.json'))) expect(dashboardProblems(JSON.parse(f.text) as Dashboard), f.path).toEqual([]);
  });
});

describe('options and edge cases', () => {
  it('reads folder, datasource, uidPrefix and path from pace.yaml', async () => {
    const config = 'version: 1\nname: shop\ngenerate:\n  targets:\n    grafana:\n      folder: "SRE / SLOs"\n      datasource: prom-main\n      uidPrefix: shop\n      path: /dashboards\n';
    const { dir } = project({ 'a.pace': SERVICE('cart') }, config);
    const r = await run(['generate', '.', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    const cart = JSON.parse(readFileSync(path.join(dir, 'out/grafana/dashboards/cart.json'), 'utf8')) as Dashboard;
    expect(cart.uid).toBe('shop-cart');
    expect(cart.templating.list![0].current).toEqual({ selected: true, text: 'prom-main', value: 'prom-main' });
    expect(cart.links!.find((l) => l.type === 'link')!.url).toBe('/d/shop-slo-overview');
    const overview = JSON.parse(readFileSync(path.join(dir, 'out/grafana/dashboards/overview.json'), 'utf8')) as Dashboard;
    expect(overview.uid).toBe('shop-slo-overview');
    expect(overview.title).toBe('shop SLO overview');
    const prov = parseYaml(readFileSync(path.join(dir, 'out/grafana/provisioning/dashboards.yaml'), 'utf8')) as { providers: { name: string; folder: string; options: { path: string } }[] };
    expect(prov.providers[0]).toMatchObject({ name: 'shop', folder: 'SRE / SLOs', options: { path: '/dashboards' } });
  });

  it('rejects an unknown option and a uid prefix Grafana would not take', async () => {
    for (const [bad, message] of [
      ['      colour: blue\n', /Unknown key 'colour' in 'generate\.targets\.grafana'/],
      ['      uidPrefix: "a b"\n', /generate\.targets\.grafana\.uidPrefix/],
    ] as const) {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'pace.yaml'), `version: 1\ngenerate:\n  targets:\n    grafana:\n${bad}`);
      writeFileSync(path.join(dir, 'a.pace'), SERVICE('cart'));
      const r = await run(['generate', '.'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('an SLO without alerts gets no alert panels, and every panel still fits the grid', () => {
    const text = SERVICE('cart').replace('window    = 28d', 'window    = 28d\n    alerting  = none');
    const { model, sourceOf } = project({ 'a.pace': text });
    const out = generate.generateTarget(model, 'grafana', sourceOf);
    const cart = JSON.parse(out.files.find((f) => f.path === 'dashboards/cart.json')!.text) as Dashboard;
    expect(dashboardProblems(cart)).toEqual([]);
    const titles = cart.panels.map((p) => p.title);
    expect(titles).not.toContain('Firing alerts');
    expect(titles).not.toContain('Alert state');
    const burn = cart.panels.find((p) => p.title === 'Burn rate') as grafana.Panel;
    expect(burn.gridPos!.w).toBe(24);
    expect((burn.targets as unknown as Target[]).map((t) => t.expr)).toEqual(['slo:period_burn_rate:ratio{pace_service="cart", pace_slo="availability"}']);
    expect(burn.description).toContain('No alerts: alerting = none.');
  });

  it('an SLO title, an alert name, a single-window rule and a raw error-ratio SLI', () => {
    const text = `alerting slow_burn {
  page when burn_rate > 10 over 1h for 5m
  ticket when burn_rate > 2 over 6h and 30m
}

service gateway {
  title = "API gateway"

  /// Sloth's raw error-ratio SLI.
  sli upstream_ok = promql {
    error_ratio = \`sum(rate(upstream_errors_total[$window])) / sum(rate(upstream_requests_total[$window]))\`
  }

  slo upstream_ok {
    title      = "Upstream requests"
    sli        = upstream_ok
    objective  = 99.5%
    window     = 7d
    alerting   = slow_burn
    alert_name = "GatewayUpstreamErrors"
  }
}
`;
    const { model, sourceOf } = project({ 'a.pace': text });
    const out = generate.generateTarget(model, 'grafana', sourceOf);
    const written = writtenSeries(generate.generateTarget(model, 'prometheus', sourceOf).files);
    const d = JSON.parse(out.files.find((f) => f.path === 'dashboards/gateway.json')!.text) as Dashboard;
    expect(dashboardProblems(d)).toEqual([]);
    expect(d.title).toBe('API gateway SLOs');
    expect(d.panels[0].title).toBe('Upstream requests: 99.5% over 7d');
    const panels = d.panels.filter((p): p is grafana.Panel => p.type !== 'row');
    for (const p of panels)
      for (const t of (p.targets ?? []) as unknown as Target[]) {
        expect(promqlErrors(t.expr)).toEqual([]);
        for (const sel of selectors(t.expr)) expect(selected(sel, written).length, t.expr).toBeGreaterThan(0);
      }
    const firing = panels.find((p) => p.title === 'Firing alerts')!;
    expect(((firing.targets ?? []) as unknown as Target[])[0].expr).toContain('alertname="GatewayUpstreamErrors"');
    // The single-window rule reads its one window; the thresholds are the two factors.
    const burn = panels.find((p) => p.title === 'Burn rate')!;
    expect(((burn.targets ?? []) as unknown as Target[]).map((t) => t.legendFormat ?? '')).toEqual(['30m', '1h', '6h', '7d (SLO window)']);
    expect(burn.fieldConfig!.defaults.thresholds!.steps.slice(1)).toEqual([
      { value: 2, color: 'orange' },
      { value: 10, color: 'red' },
    ]);
    expect(firing.description).toContain('page when the burn rate is above 10× over 1h (an error ratio of 5%)');
    const overview = JSON.parse(out.files.find((f) => f.path === 'dashboards/overview.json')!.text) as Dashboard;
    const table = overview.panels.find((p) => p.type === 'table') as grafana.Panel;
    expect(JSON.stringify(table.fieldConfig!.overrides)).toContain('"upstream_ok":{"index":0,"text":"Upstream requests"}');
  });

  it('never overwrites a dashboard the user wrote (no marker in its description)', async () => {
    const { dir } = project({ 'a.pace': SERVICE('cart') });
    mkdirSync(path.join(dir, 'out/grafana/dashboards'), { recursive: true });
    const mine = JSON.stringify({ title: 'Cart, by hand', description: 'Mine.', panels: [] });
    writeFileSync(path.join(dir, 'out/grafana/dashboards/cart.json'), mine);
    const r = await run(['generate', '.', '--target', 'grafana', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('was not generated by Pace');
    expect(readFileSync(path.join(dir, 'out/grafana/dashboards/cart.json'), 'utf8')).toBe(mine);
    // A dashboard Pace wrote is replaced, and removed once its service is gone.
    rmSync(path.join(dir, 'out/grafana/dashboards/cart.json'));
    expect((await run(['generate', '.', '--target', 'grafana', '--out', 'out'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'a.pace'), SERVICE('basket'));
    const again = await run(['generate', '.', '--target', 'grafana', '--out', 'out'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('removed out/grafana/dashboards/cart.json');
  });
});

describe('docs/generate.md', () => {
  it('its pace.yaml example of the grafana target is valid and means what it says', async () => {
    const doc = readFileSync(path.join(root, 'docs/generate.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## The Grafana target'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const { dir } = project({ 'a.pace': SERVICE('cart') }, `version: 1\n${yaml}`);
    const r = await run(['generate', '.', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    const cart = JSON.parse(readFileSync(path.join(dir, 'out/grafana/dashboards/cart.json'), 'utf8')) as Dashboard;
    expect(cart.uid).toBe('shop-cart');
    expect(cart.templating.list![0].current!.value).toBe('prometheus-main');
    expect(readFileSync(path.join(dir, 'out/grafana/provisioning/dashboards.yaml'), 'utf8')).toContain('folder: "SLOs"');
  });
});

describe('grafana: the text path (panel templates) writes what the sdk path builds', () => {
  // serviceDashboardText fills each panel kind's template; serviceDashboard builds every panel with
  // the sdk. Their bytes must be equal on the samples and on generated projects (every block kind of
  // the language, hostile strings, SLOs without alerts, single-window rules, calendar windows).
  const texts = (files: Record<string, string>) => {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const p = readProject(dir);
    const analysis = loadWorkspace(p).analyze();
    if (analysis.diagnostics.some((d) => d.severity === 'error')) return 0;
    const { model } = analysis.normalized();
    let n = 0;
    for (const service of model.services) {
      const plans = service.slos.map((slo) => planSlo(model, service, slo)).filter((x): x is SloPlan => !('skipped' in x));
      if (!plans.length) continue;
      const options = { uidPrefix: 'x', datasource: 'prom' };
      expect(serviceDashboardText(service, plans, ['a note'], ['a.pace'], options)).toBe(dashboardJson(serviceDashboard(service, plans, ['a note'], ['a.pace'], options)));
      n++;
    }
    return n;
  };

  it('on the samples', () => {
    const files = Object.fromEntries(readdirSync(path.join(root, 'samples')).filter((f) => f.endsWith('.pace')).map((f) => [f, readFileSync(path.join(root, 'samples', f), 'utf8')]));
    expect(texts(files)).toBeGreaterThan(5);
  });

  it('on 40 generated projects', () => {
    let dashboards = 0;
    for (let i = 0; i < 40; i++) dashboards += texts({ 'gen.pace': generatePace(new Rng(20261202 + i)) });
    expect(dashboards).toBeGreaterThan(30);
  });
});

// `pace generate --target datadog`: every SLO and monitor body passes the official client's models
// (@datadog/datadog-api-client's ObjectSerializer: required fields, types, enum values, no unknown
// field, and a lossless round trip), and the check is not vacuous; the Terraform module says what
// the API bodies say; ratio, latency and time-slice SLIs map to Datadog's metric queries; what
// Datadog cannot express is skipped with a note; tags are normalized as Datadog stores them and
// text is made literal for Datadog's templates and Terraform's; goldens for samples/; determinism.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { v1 } from '@datadog/datadog-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { generate, type NormalizedModel } from '../../server/src/core/index.js';
import { datadogFiles, datadogLiteral, normalizeTag, pythonFloat, SLO_ID_PLACEHOLDER, stableJson, terraformLiteral, type DatadogOptions } from '../../server/src/core/generate/datadog.js';
import { isGenerated } from '../../server/src/core/generate/output.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
import { analyzeFixture } from '../helpers/fixture.js';
import { plainOutput } from '../helpers/output.js';

const root = path.join(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

/** Every file under a folder, relative, '/'-separated, sorted. */
function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]))
    .sort();
}

/**
 * What the official client finds wrong with a JSON body of `type`: deserialize throws on a missing
 * required field or a value of the wrong type; an unknown field lands in `additionalProperties` and
 * an unknown enum value (or a oneOf matching no branch) in an UnparsedObject (`_unparsed`); serialize
 * must give the body back unchanged.
 */
function clientProblems(body: unknown, type: 'ServiceLevelObjectiveRequest' | 'Monitor'): string[] {
  let inst: unknown;
  try {
    inst = v1.ObjectSerializer.deserialize(body, type, '');
  } catch (e) {
    return [`deserialize: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  const walk = (x: unknown, at: string) => {
    if (!x || typeof x !== 'object') return;
    if (x.constructor?.name === 'UnparsedObject') {
      problems.push(`${at}: not a valid value: ${JSON.stringify((x as { _data: unknown })._data)}`);
      return;
    }
    const o = x as Record<string, unknown>;
    if (o._unparsed) problems.push(`${at}: holds unparsed values`);
    if (o.additionalProperties && Object.keys(o.additionalProperties).length) problems.push(`${at}: unknown fields ${Object.keys(o.additionalProperties).join(', ')}`);
    for (const [k, v] of Object.entries(o)) if (k !== 'additionalProperties') walk(v, `${at}.${k}`);
  };
  walk(inst, type);
  try {
    const back = v1.ObjectSerializer.serialize(inst, type, '');
    if (JSON.stringify(back) !== JSON.stringify(body) && !problems.length) problems.push(`round trip: ${JSON.stringify(back)} ≠ ${JSON.stringify(body)}`);
  } catch (e) {
    problems.push(`serialize: ${(e as Error).message}`);
  }
  return problems;
}

const samplesModel = () => loadWorkspace(readProject(path.join(root, 'samples'))).analyze().normalized();

interface MonitorsFile {
  '//': string;
  monitors: Record<string, any>[];
  slo: string;
  slo_id_placeholder: string;
}

describe('pace generate samples --target datadog', () => {
  let dir: string;
  let files: string[];
  let notes: string;
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  beforeAll(async () => {
    const t = mkdtempSync(path.join(tmpdir(), 'pace-datadog-'));
    temps.push(t);
    dir = path.join(t, 'out', 'datadog');
    const r = await run(['generate', 'samples', '--target', 'datadog', '--out', path.join(t, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    notes = r.stderr;
    files = listFiles(dir);
  }, 60_000);

  it('writes an SLO file per exportable SLO, a monitors file per alerted one, and the Terraform module', () => {
    const { model } = samplesModel();
    const exportable = model.services.flatMap((s) =>
      s.slos.filter((o) => o.window.type === 'rolling' && [7, 30, 90].includes(o.window.seconds / 86_400) && s.slis.find((i) => i.id === o.sli)!.kind !== 'promql').map((o) => `${s.name}.${o.name}`),
    );
    expect(exportable.length).toBeGreaterThan(3);
    expect(files.filter((f) => f.startsWith('slos/'))).toEqual(exportable.map((n) => `slos/${n}.json`).sort());
    for (const f of files.filter((f) => f.startsWith('monitors/'))) expect(files).toContain(f.replace('monitors/', 'slos/'));
    expect(files).toContain('terraform/main.tf.json');
  });

  it('every file is JSON with its keys sorted at every level (the bodies are built in key order and written as built)', () => {
    for (const f of files) expect(read(f), f).toBe(stableJson(JSON.parse(read(f))));
    // Not vacuous: a body out of order is told apart.
    expect(stableJson({ type: 'metric', query: { numerator: 'a', denominator: 'b' } })).not.toBe(`${JSON.stringify({ type: 'metric', query: { numerator: 'a', denominator: 'b' } }, null, 2)}\n`);
  });

  it('every SLO body and every monitor body passes the client models (ServiceLevelObjectiveRequest, Monitor)', () => {
    let monitors = 0;
    for (const f of files.filter((f) => f.startsWith('slos/'))) expect(clientProblems(JSON.parse(read(f)), 'ServiceLevelObjectiveRequest'), f).toEqual([]);
    for (const f of files.filter((f) => f.startsWith('monitors/'))) {
      const m = JSON.parse(read(f)) as MonitorsFile;
      expect(m.slo_id_placeholder).toBe(SLO_ID_PLACEHOLDER);
      expect(files).toContain(m.slo);
      for (const body of m.monitors) {
        expect(clientProblems(body, 'Monitor'), `${f} ${body.name}`).toEqual([]);
        expect(body.type).toBe('slo alert');
        expect(body.query).toMatch(/^burn_rate\("__PACE_SLO_ID__"\)\.over\("(7d|30d|90d)"\)\.long_window\("\d+h"\)\.short_window\("\d+m"\) > [\d.]+$/);
        monitors++;
      }
    }
    expect(monitors).toBeGreaterThan(10);
  });

  it('the client check is not vacuous: broken copies fail it', () => {
    const slo = JSON.parse(read('slos/checkout.availability.json'));
    const mon = (JSON.parse(read('monitors/checkout.availability.json')) as MonitorsFile).monitors[0];
    const broken: [string, unknown, 'ServiceLevelObjectiveRequest' | 'Monitor'][] = [
      ['unknown field', { ...slo, window: '30d' }, 'ServiceLevelObjectiveRequest'],
      ['28d is no timeframe', { ...slo, timeframe: '28d' }, 'ServiceLevelObjectiveRequest'],
      ['threshold timeframe', { ...slo, thresholds: [{ target: 99.9, timeframe: '1w' }] }, 'ServiceLevelObjectiveRequest'],
      ['no thresholds', (({ thresholds, ...rest }) => rest)(slo), 'ServiceLevelObjectiveRequest'],
      ['no name', (({ name, ...rest }) => rest)(slo), 'ServiceLevelObjectiveRequest'],
      ['type', { ...slo, type: 'ratio' }, 'ServiceLevelObjectiveRequest'],
      ['target as text', { ...slo, target_threshold: '99.9' }, 'ServiceLevelObjectiveRequest'],
      ['unknown query field', { ...slo, query: { ...slo.query, total: 'x' } }, 'ServiceLevelObjectiveRequest'],
      ['monitor type', { ...mon, type: 'burn rate alert' }, 'Monitor'],
      ['monitor without query', (({ query, ...rest }) => rest)(mon), 'Monitor'],
      ['unknown option', { ...mon, options: { ...mon.options, for: '2m' } }, 'Monitor'],
    ];
    for (const [what, body, type] of broken) expect(clientProblems(body, type).length, what).toBeGreaterThan(0);
  });

  it('the Terraform module holds the same SLOs and monitors, the monitors naming their SLO resource', () => {
    const tf = JSON.parse(read('terraform/main.tf.json'));
    expect(tf.terraform.required_providers.datadog.source).toBe('DataDog/datadog');
    const slos = tf.resource.datadog_service_level_objective as Record<string, any>;
    const monitors = tf.resource.datadog_monitor as Record<string, any>;
    const sloFiles = files.filter((f) => f.startsWith('slos/'));
    expect(Object.keys(slos).length).toBe(sloFiles.length);
    let count = 0;
    for (const f of sloFiles) {
      const where = f.slice('slos/'.length, -'.json'.length);
      const res = where.replace('.', '--');
      const api = JSON.parse(read(f));
      // Terraform's attributes are the API's, with the same values (no `${` in the samples' text).
      for (const k of ['description', 'name', 'query', 'tags', 'target_threshold', 'thresholds', 'timeframe', 'type']) expect(slos[res][k], `${res}.${k}`).toEqual(api[k]);
      const mf = `monitors/${where}.json`;
      if (!files.includes(mf)) continue;
      const bodies = (JSON.parse(read(mf)) as MonitorsFile).monitors;
      const mine = Object.keys(monitors)
        .filter((k) => k.startsWith(`${res}--`))
        .map((k) => monitors[k]);
      expect(mine.length).toBe(bodies.length);
      for (const b of bodies) {
        const m = mine.find((x) => x.name === b.name)!;
        expect(m.query).toBe(b.query.replace(SLO_ID_PLACEHOLDER, `\${datadog_service_level_objective.${res}.id}`));
        expect(Number(m.monitor_thresholds.critical)).toBe(b.options.thresholds.critical);
        expect(Number(m.priority)).toBe(b.priority);
        expect(m.message).toBe(b.message);
        expect(m.tags).toEqual(b.tags);
        count++;
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  it('maps objectives and policies: targets in percent, thresholds the rules factors, windows in hours and minutes', () => {
    const { model } = samplesModel();
    for (const service of model.services)
      for (const slo of service.slos) {
        const f = `slos/${service.name}.${slo.name}.json`;
        if (!files.includes(f)) continue;
        const body = JSON.parse(read(f));
        expect(body.target_threshold).toBeCloseTo(slo.objective * 100, 9);
        expect(body.thresholds).toEqual([{ target: body.target_threshold, timeframe: `${(slo.window as { seconds: number }).seconds / 86_400}d` }]);
        const mf = `monitors/${service.name}.${slo.name}.json`;
        const rules = (slo.alerting?.rules ?? []).filter((r) => !r.neverFires && r.longWindowSeconds <= 48 * 3600);
        const bodies = files.includes(mf) ? (JSON.parse(read(mf)) as MonitorsFile).monitors : [];
        expect(bodies.map((b) => b.options.thresholds.critical)).toEqual(rules.map((r) => r.factor));
        for (const [i, b] of bodies.entries()) {
          expect(b.query).toContain(`.long_window("${rules[i].longWindowSeconds / 3600}h").short_window("${rules[i].shortWindowSeconds / 60}m") > ${rules[i].factor}`);
          expect(b.tags).toContain(`severity:${rules[i].severity}`);
          expect(b.priority).toBe(rules[i].severity === 'page' ? 1 : 3);
        }
      }
  });

  it('names what it leaves out: windows Datadog has not, raw PromQL, long windows above 48h', () => {
    expect(notes).toMatch(/slo:web_frontend\.availability: not exported: Datadog SLOs have rolling 7d, 30d or 90d windows, not a calendar week/);
    expect(notes).toMatch(/slo:payments_api\.availability: not exported: .*not 28d/);
    expect(notes).toMatch(/slo:fraud_detection\.\w+: not exported: .*raw PromQL/);
    expect(notes).toMatch(/rule 4 \(ticket when burn_rate > 1 over 3d and 6h\) is left out: its long window 3d/);
    expect(notes).toMatch(/code!~"5\.\." is written as not code:5\*/);
  });

  it('begins every file with the marker (the SLO description, else the `//` member)', () => {
    for (const f of files) expect(isGenerated(read(f)), f).toBe(true);
    expect(JSON.parse(read('slos/checkout.availability.json')).description).toMatch(/^Generated by Pace — do not edit\. Source: policies\.pace, storefront\.pace\./);
    expect(read('terraform/main.tf.json')).toMatch(/^\{\n {2}"\/\/": "Generated by Pace — do not edit\./);
    // A hand-written JSON file is not Pace's.
    expect(isGenerated('{\n  "description": "my SLO"\n}\n')).toBe(false);
    expect(isGenerated('{\n  "//": "managed by hand"\n}\n')).toBe(false);
  });

  it('matches the goldens', async () => {
    for (const f of files) await expect(read(f)).toMatchFileSnapshot(path.join(root, 'test/generate/golden/datadog', f));
  });

  it('is deterministic, and --check finds no drift after a write', async () => {
    const { model, sourceMap } = samplesModel();
    const src = (id: string) => sourceMap.get(id)?.uri;
    expect(plainOutput(generate.generateTarget(model, 'datadog', src))).toEqual(plainOutput(generate.generateTarget(structuredClone(model), 'datadog', src)));
    const again = await run(['generate', 'samples', '--target', 'datadog', '--out', path.dirname(dir), '--check']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});

/** The Datadog output of a Pace fixture (which must check clean). */
function datadogOf(source: string, options: DatadogOptions = {}) {
  const { analysis } = analyzeFixture(source);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const { model } = analysis.normalized();
  const out = datadogFiles(model, () => 'main.pace', options);
  // The files are written as built, without a sorted copy: every object must be built in key order.
  for (const f of out.files) expect(f.text, f.path).toBe(stableJson(JSON.parse(f.text)));
  const file = (p: string) => {
    const f = out.files.find((x) => x.path === p);
    expect(f, `${p} among ${out.files.map((x) => x.path).join(', ')}`).toBeDefined();
    return JSON.parse(f!.text);
  };
  return { out, model, file };
}

describe('SLI mapping', () => {
  it('a ratio SLI: counters as .count with the namespace, matchers as tag filters, bad events subtracted', () => {
    const { file, out } = datadogOf(
      `service checkout {
        sli ok = ratio {
          good  = http_requests_total{job="checkout", code!~"5..", route!~"/api/.*", method=~"GET|POST", env!="dev"}
          total = http_requests_total{job="checkout"}
        }
        sli not_bad = ratio {
          bad   = http_requests_total{job="checkout", code=~"5.*"}
          total = http_requests_total{job="checkout"}
        }
        slo ok { sli = ok  objective = 99.9%  window = 30d  alerting = none }
        slo not_bad { sli = not_bad  objective = 99.5%  window = 7d  alerting = none }
      }`,
      { namespace: 'shop' },
    );
    const ok = file('slos/checkout.ok.json');
    expect(ok.type).toBe('metric');
    expect(ok.query).toEqual({
      numerator: 'sum:shop.http_requests.count{job:checkout AND NOT code:5* AND NOT route:/api/* AND method IN (get, post) AND NOT env:dev}.as_count()',
      denominator: 'sum:shop.http_requests.count{job:checkout}.as_count()',
    });
    expect(clientProblems(ok, 'ServiceLevelObjectiveRequest')).toEqual([]);
    const bad = file('slos/checkout.not_bad.json');
    // `5.*` is exactly `5*`: no note for it; `5..` is an approximation, named.
    expect(bad.query.numerator).toBe('sum:shop.http_requests.count{job:checkout}.as_count() - sum:shop.http_requests.count{job:checkout,code:5*}.as_count()');
    expect(bad.timeframe).toBe('7d');
    expect(bad.target_threshold).toBe(99.5);
    expect(out.notes.filter((n) => n.includes('is written as'))).toEqual(['slo:checkout.ok: code!~"5.." is written as not code:5* (Datadog\'s * matches any number of characters)']);
  });

  it('options: explicit metric names, renamed and excluded labels', () => {
    const { file } = datadogOf(
      `service checkout {
        sli ok = ratio {
          bad   = errors_total{job="checkout", instance="a:9090", kube_ns="shop"}
          total = requests_total{job="checkout"}
        }
        slo ok { sli = ok  objective = 99%  window = 90d  alerting = none }
      }`,
      { metrics: { requests_total: 'trace.http.request.hits' }, rename_labels: { kube_ns: 'kube_namespace' }, exclude_labels: ['job', 'instance'] },
    );
    expect(file('slos/checkout.ok.json').query).toEqual({
      numerator: 'sum:trace.http.request.hits{*}.as_count() - sum:errors.count{kube_namespace:shop}.as_count()',
      denominator: 'sum:trace.http.request.hits{*}.as_count()',
    });
  });

  it('a latency SLI: the bucket of the threshold as upper_bound (Python float text) over the histogram count', () => {
    const { file } = datadogOf(`service checkout {
      sli fast = latency { histogram = http_request_duration_seconds{job="checkout"}  under = 300ms }
      sli slow_ok = latency { histogram = http_request_duration_seconds{job="checkout", le="5"}  under = 1s }
      slo fast { sli = fast  objective = 99%  window = 30d  alerting = none }
      slo slow_ok { sli = slow_ok  objective = 99%  window = 30d  alerting = none }
    }`);
    expect(file('slos/checkout.fast.json').query).toEqual({
      numerator: 'sum:http_request_duration_seconds.bucket{job:checkout,upper_bound:0.3}.as_count()',
      denominator: 'sum:http_request_duration_seconds.count{job:checkout}.as_count()',
    });
    // A written `le` matcher is the SLI's threshold's, not a tag filter; 1 second is `1.0`.
    expect(file('slos/checkout.slow_ok.json').query.numerator).toBe('sum:http_request_duration_seconds.bucket{job:checkout,upper_bound:1.0}.as_count()');
    expect(pythonFloat(0.3)).toBe('0.3');
    expect(pythonFloat(1)).toBe('1.0');
    expect(pythonFloat(2.5)).toBe('2.5');
    expect(pythonFloat(0.00001)).toBe('1e-05');
    expect(pythonFloat(0.0005)).toBe('0.0005');
    expect(pythonFloat(2_500_000)).toBe('2500000.0');
    expect(pythonFloat(1e16)).toBe('1e+16');
  });

  it('a time-slice SLI: a time_slice SLO (1m or 5m slices), the worst series compared', () => {
    const { file, out } = datadogOf(`service inventory {
      sli fresh = timeslice { gauge = sync_lag_seconds{warehouse="par"}  good_when < 30  slice = 1m }
      sli up = timeslice { gauge = up_ratio  good_when >= 0.9  slice = 5m }
      sli odd = timeslice { gauge = up_ratio  good_when >= 0.9  slice = 2m }
      slo fresh { sli = fresh  objective = 99%  window = 30d  alerting = none }
      slo up { sli = up  objective = 99%  window = 30d  alerting = none }
      slo odd { sli = odd  objective = 99%  window = 30d  alerting = none }
    }`);
    const fresh = file('slos/inventory.fresh.json');
    expect(fresh.type).toBe('time_slice');
    expect(fresh.sli_specification).toEqual({
      time_slice: {
        comparator: '<',
        query: { formulas: [{ formula: 'query1' }], queries: [{ data_source: 'metrics', name: 'query1', query: 'max:sync_lag_seconds{warehouse:par}' }] },
        query_interval_seconds: 60,
        threshold: 30,
      },
    });
    expect(fresh.query).toBeUndefined();
    expect(clientProblems(fresh, 'ServiceLevelObjectiveRequest')).toEqual([]);
    const up = file('slos/inventory.up.json');
    expect(up.sli_specification.time_slice.query.queries[0].query).toBe('min:up_ratio{*}');
    expect(up.sli_specification.time_slice.query_interval_seconds).toBe(300);
    expect(clientProblems(up, 'ServiceLevelObjectiveRequest')).toEqual([]);
    // The client rejects a slice Datadog has not: Pace skips it.
    expect(clientProblems({ ...up, sli_specification: { time_slice: { ...up.sli_specification.time_slice, query_interval_seconds: 120 } } }, 'ServiceLevelObjectiveRequest').length).toBeGreaterThan(0);
    expect(out.files.map((f) => f.path)).not.toContain('slos/inventory.odd.json');
    expect(out.notes).toContain("slo:inventory.odd: not exported: sli:inventory.odd: its slice of 2m is not one Datadog's time-slice SLOs take (1m or 5m)");
    const tf = file('terraform/main.tf.json').resource.datadog_service_level_objective['inventory--fresh'];
    expect(tf.sli_specification.time_slice.query).toEqual({ formula: { formula_expression: 'query1' }, query: [{ metric_query: { data_source: 'metrics', name: 'query1', query: 'max:sync_lag_seconds{warehouse:par}' } }] });
  });

  it('skips, with a note, what Datadog cannot express: regexes beyond wildcards, empty values, raw PromQL, 4-decimal targets', () => {
    const { out } = datadogOf(`service s {
      sli re = ratio { good = r_total{code=~"[23].."}  total = r_total }
      sli empty = ratio { good = r_total{code=""}  total = r_total }
      sli raw = promql { bad = "sum(rate(e[$window]))"  total = "sum(rate(r[$window]))" }
      sli fine = ratio { good = r_total{code="200"}  total = r_total }
      slo re { sli = re  objective = 99%  window = 30d  alerting = none }
      slo empty { sli = empty  objective = 99%  window = 30d  alerting = none }
      slo raw { sli = raw  objective = 99%  window = 30d  alerting = none }
      slo precise { sli = fine  objective = 99.9995%  window = 30d  alerting = none }
    }`);
    expect(out.files.filter((f) => f.path.startsWith('slos/'))).toEqual([]);
    expect(out.notes).toEqual([
      'slo:s.empty: not exported: sli:s.empty: code="" (an empty value: Datadog has no tag filter for a missing tag)',
      "slo:s.precise: not exported: its objective 99.9995% has more than the three decimals Datadog's targets take",
      'slo:s.raw: not exported: sli:s.raw: raw PromQL has no Datadog metric query form',
      `slo:s.re: not exported: sli:s.re: code=~"[23].." (a regex Datadog's tag filters cannot express: '[')`,
    ]);
    expect(out.files).toEqual([]);
  });
});

describe('windows and rules Datadog cannot express', () => {
  const source = `alerting p {
      page   when burn_rate > 14.4 over 1h and 5m for 2m
      page   when burn_rate > 6    over 6h and 30m
      ticket when burn_rate > 1    over 3d and 6h
    }
    service s {
      sli ok = ratio { good = r_total{code="200"}  total = r_total }
      slo month { sli = ok  objective = 99.9%  window = 30d  alerting = p }
      slo four_weeks { sli = ok  objective = 99.9%  window = 28d  alerting = p }
      slo calendar { sli = ok  objective = 99.9%  window = calendar month  alerting = p }
    }`;

  it('an SLO window other than 7d, 30d or 90d rolling is skipped with a note, never changed', () => {
    const { out } = datadogOf(source);
    expect(out.files.map((f) => f.path)).toEqual(['monitors/s.month.json', 'slos/s.month.json', 'terraform/main.tf.json']);
    expect(out.notes).toContain("slo:s.four_weeks: not exported: Datadog SLOs have rolling 7d, 30d or 90d windows, not 28d (Pace does not change an SLO's window)");
    expect(out.notes).toContain('slo:s.calendar: not exported: Datadog SLOs have rolling 7d, 30d or 90d windows, not a calendar month');
  });

  it('a rule whose windows Datadog has not is left out with a note; `for` is named', () => {
    const { out, file } = datadogOf(source);
    const m = file('monitors/s.month.json') as MonitorsFile;
    expect(m.monitors.map((b) => b.query.replace(/^burn_rate\("__PACE_SLO_ID__"\)\.over\("30d"\)/, ''))).toEqual(['.long_window("1h").short_window("5m") > 14.4', '.long_window("6h").short_window("30m") > 6']);
    expect(out.notes).toContain('slo:s.month: rule 3 (ticket when burn_rate > 1 over 3d and 6h) is left out: its long window 3d is not a whole number of hours from 1h to 48h, as Datadog\'s are');
    expect(out.notes).toContain("slo:s.month: rule 1 (page when burn_rate > 14.4 over 1h and 5m): Datadog's burn-rate alerts have no `for`; its monitor fires without waiting 2m");
  });

  it('single-window rules, short windows not below the long one and never-firing rules are left out with a note', () => {
    const { analysis } = analyzeFixture(source);
    const model = structuredClone(analysis.normalized().model) as NormalizedModel;
    const slo = model.services[0].slos.find((o) => o.name === 'month')!;
    const [a, b] = slo.alerting!.rules;
    slo.alerting!.rules = [
      { ...a, shortWindowSeconds: a.longWindowSeconds, singleWindow: true },
      { ...b, shortWindowSeconds: 90 },
      { ...b, factor: 2000, threshold: 2, neverFires: true },
    ];
    const out = datadogFiles(model, () => 'main.pace');
    expect(out.files.map((f) => f.path)).not.toContain('monitors/s.month.json');
    expect(out.notes.filter((n) => n.startsWith('slo:s.month: rule'))).toEqual([
      "slo:s.month: rule 1 (page when burn_rate > 14.4 over 1h) is left out: a single-window rule (Datadog's burn-rate alerts always have a short window below the long one)",
      "slo:s.month: rule 2 (page when burn_rate > 6 over 6h and 1m30s) is left out: its short window 1m30s is not a whole number of minutes below the long window, as Datadog's are",
      'slo:s.month: rule 3 (page when burn_rate > 2000 over 6h and 30m) is left out: it never fires (its threshold 200% is not below 100%), and Datadog refuses a burn rate above 1 / (1 − target)',
    ]);
  });
});

describe('tags, messages and escaping', () => {
  it('normalizes tags as Datadog stores them', () => {
    expect(normalizeTag('team:Web Front')).toBe('team:web_front');
    expect(normalizeTag('env:prod')).toBe('env:prod');
    expect(normalizeTag('_private:x')).toBe('private:x');
    expect(normalizeTag('9lives:cat')).toBe('lives:cat');
    expect(normalizeTag('a:b!!c  d_')).toBe('a:b_c_d');
    expect(normalizeTag('path:/api/v1.2-beta')).toBe('path:/api/v1.2-beta');
    expect(normalizeTag('Équipe:Pâte')).toBe('équipe:pâte');
    expect(normalizeTag(`k:${'x'.repeat(300)}`)).toHaveLength(200);
  });

  it('writes labels as normalized tags, notification handles per severity, and literal text in messages and Terraform', () => {
    const { file } = datadogOf(
      `alerting p {
        labels { escalation = "Pager Duty" }
        page   when burn_rate > 14.4 over 1h and 5m
        ticket when burn_rate > 3 over 1d and 2h
      }
      service pay {
        title = "Payments API"
        labels { team = "Payments & Risk" }
        sli ok = ratio { good = r_total{code="200"}  total = r_total }
        /// Pays for \${product} with {{ the card }}.
        slo ok { sli = ok  objective = 99.9%  window = 30d  alerting = p  labels { Tier = "Gold Plus" } }
      }`,
      { tags: ['Env:Prod'], notify: { page: ['@pagerduty-payments'], ticket: ['@slack-payments', '@jira-pay'] } },
    );
    const slo = file('slos/pay.ok.json');
    expect(slo.name).toBe('Payments API ok');
    expect(slo.tags).toEqual(['env:prod', 'pace_service:pay', 'pace_slo:ok', 'team:payments_risk', 'tier:gold_plus']);
    const { monitors } = file('monitors/pay.ok.json') as MonitorsFile;
    expect(monitors.map((m) => m.message.split('\n').at(-1))).toEqual(['@pagerduty-payments', '@slack-payments @jira-pay']);
    expect(monitors[0].tags).toEqual(expect.arrayContaining(['escalation:pager_duty', 'severity:page', 'team:payments_risk', 'pace_long_window:1h', 'pace_short_window:5m']));
    for (const m of monitors) expect(clientProblems(m, 'Monitor')).toEqual([]);
    const tf = file('terraform/main.tf.json').resource;
    // Terraform would interpolate `${…}`: the doc comment's is doubled, the SLO reference is not.
    expect(tf.datadog_service_level_objective['pay--ok'].description).toContain('Pays for $${product}');
    expect(tf.datadog_monitor['pay--ok--page-1h-5m'].query).toBe('burn_rate("${datadog_service_level_objective.pay--ok.id}").over("30d").long_window("1h").short_window("5m") > 14.4');
    expect(tf.datadog_monitor['pay--ok--page-1h-5m'].message).toContain('$${product}');
    expect(slo.description).toContain('Pays for ${product}');
    // Datadog reads {{…}} in a message as a template variable: the doc comment's is made literal.
    expect(monitors[0].message).toContain('{{{{raw}}}}Pays for ${product} with {{ the card }}.');
  });

  it('makes {{ literal for Datadog and ${ and %{ literal for Terraform', () => {
    expect(datadogLiteral('no braces')).toBe('no braces');
    expect(datadogLiteral('see {{host.name}}')).toBe('{{{{raw}}}}see {{host.name}}{{{{/raw}}}}');
    expect(terraformLiteral('${a} %{if x} $b')).toBe('$${a} %%{if x} $b');
  });
});

describe('pace.yaml generate.targets.datadog', () => {
  it('takes its options and rejects what it does not have', async () => {
    const { parseConfig } = await import('../../server/src/core/workspace/config.js');
    const ok = 'version: 1\ngenerate:\n  targets:\n    datadog:\n      namespace: shop\n      metrics: { http_requests_total: trace.http.request.hits }\n      rename_labels: { kube_ns: kube_namespace }\n      exclude_labels: [job, instance]\n      tags: ["env:prod"]\n      notify: { page: ["@pagerduty-x"], ticket: ["@slack-y"] }\n';
    expect(parseConfig('file:///p/pace.yaml', ok).diagnostics).toEqual([]);
    expect(parseConfig('file:///p/pace.yaml', 'version: 1\ngenerate:\n  targets:\n    datadog: {}\n').diagnostics).toEqual([]);
    const bad = parseConfig('file:///p/pace.yaml', 'version: 1\ngenerate:\n  targets:\n    datadog:\n      namespaces: shop\n').diagnostics;
    expect(bad.map((d) => d.message).join('\n')).toMatch(/Unknown key 'namespaces' in 'generate.targets.datadog'/);
    const handle = parseConfig('file:///p/pace.yaml', 'version: 1\ngenerate:\n  targets:\n    datadog:\n      notify: { page: ["pagerduty"] }\n').diagnostics;
    expect(handle.length).toBeGreaterThan(0);
  });
});

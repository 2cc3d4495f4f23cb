// The numbers agree: three days of the samples' data (samples/data/generate.mjs, with a counter
// reset, an incident and a latency regression moved into those days) are backfilled into a real
// Prometheus 2.42 on 127.0.0.1, and `pace preview samples --data … --format json` is compared with
// what Prometheus answers:
// - each SLO's attainment at three instants of the grid equals
//   sum(increase(good[w]))/sum(increase(total[w])) (1 − bad/total; bucket/count for latency), within
//   1e-9 relative, for rolling windows and calendar ones (the range from the period's start);
// - each alert rule's firings equal the first and last true steps of its expression over a
//   query_range on the same 1-minute grid, with `for` applied here, independently of Pace's code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { Workspace } from '../../server/src/core/index.js';
import { formatLe } from '../../server/src/core/evaluate/sli.js';
import type { NormalizedModel, Selector, Sli, Slo } from '../../server/src/core/model/model.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
import { type PrometheusServer, startPrometheusWith } from '../helpers/prometheus.js';
// @ts-expect-error: a plain ES module script without types
import { generate } from '../../samples/data/generate.mjs';
import { firings, relClose } from '../helpers/rule-manager.js';

const root = path.join(__dirname, '../..');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const S = Date.UTC(2026, 9, 1); // 2026-10-01T00:00Z: the calendar month and quarter start with the data
const END = S + 3 * DAY;

interface JsonSlo {
  id: string;
  attainment: number | null;
  alerts: { ruleIndex: number; firedAt: string; resolvedAt: string | null; severity: string }[];
}

async function previewJson(file: string, at?: number): Promise<{ at: string; slos: JsonSlo[]; issues: { severity: string; code: string; message: string }[] }> {
  let stdout = '';
  let stderr = '';
  const argv = ['preview', 'samples', '--data', file, '--format', 'json', ...(at === undefined ? [] : ['--at', new Date(at).toISOString()])];
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: {}, isTTY: false });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

const matcherText = (ms: Selector['matchers']) => ms.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');

/** The attainment PromQL of an SLI over a range (`30d`, `259200000ms`). */
function attainmentExpr(sli: Sli, range: string): string | undefined {
  const inc = (sel: string) => `sum(increase(${sel}[${range}]))`;
  if (sli.kind === 'ratio') return sli.good ? `${inc(sli.good.text)} / ${inc(sli.total.text)}` : `1 - ${inc(sli.bad?.text ?? '')} / ${inc(sli.total.text)}`;
  if (sli.kind === 'latency') {
    const base = sli.histogram.metric;
    const ms = sli.histogram.matchers.filter((m) => m.label !== 'le');
    const bucket = `${base}_bucket{${[matcherText(ms), `le="${formatLe(sli.underSeconds)}"`].filter(Boolean).join(', ')}}`;
    return `${inc(bucket)} / ${inc(`${base}_count{${matcherText(ms)}}`)}`;
  }
  if (sli.kind === 'timeslice') return `avg_over_time((min(${sli.gauge.text} ${sli.goodWhen.op} bool ${sli.goodWhen.value}))[${range}:${sli.sliceSeconds}s])`;
  return undefined;
}

/** The window of an SLO at `at` as a PromQL range. */
function rangeOf(slo: Slo, at: number): string {
  if (slo.window.type === 'rolling') return `${slo.window.seconds}s`;
  // Calendar windows in this test start with the data (UTC month and quarter) or on the Monday before `at`.
  const d = new Date(at);
  const start =
    slo.window.unit === 'week'
      ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7))
      : slo.window.unit === 'month'
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
        : Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
  return `${at - start}ms`;
}


describe('pace preview agrees with Prometheus 2.42', () => {
  let prom: PrometheusServer | undefined;
  let dir: string;
  let file: string;
  let model: NormalizedModel;
  let slis: Map<string, Sli>;

  beforeAll(async () => {
    const text: string = generate({ days: 3, start: S, restartAt: S + DAY + 5 * HOUR, incident: [S + 2 * DAY + 10 * HOUR, S + 2 * DAY + 10 * HOUR + 40 * MIN], regressionAt: S + DAY + 12 * HOUR, kpis: false });
    dir = mkdtempSync(path.join(tmpdir(), 'pace-agree-'));
    file = path.join(dir, 'three-days.om');
    writeFileSync(file, text);
    const analysis = loadWorkspace(readProject(path.join(root, 'samples'))).analyze();
    expect(analysis.errorCount).toBe(0);
    model = analysis.normalized().model;
    slis = new Map(model.services.flatMap((s) => s.slis.map((x) => [x.id, x] as const)));
    prom = await startPrometheusWith(text);
  }, 300_000);

  afterAll(async () => {
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('the data holds a counter reset, and Workspace is the façade the CLI uses', () => {
    expect(new Workspace()).toBeDefined();
    expect(model.services.flatMap((s) => s.slos).length).toBeGreaterThan(10);
  });

  for (const [name, at] of [
    ['the last sample', undefined],
    ['a day before', END - DAY],
    ['during the incident', S + 2 * DAY + 10 * HOUR + 20 * MIN],
  ] as const) {
    it(`attainment at ${name}: equal within 1e-9 relative`, async () => {
      const out = await previewJson(file, at);
      const atMs = Date.parse(out.at);
      expect(atMs).toBe(at ?? END);
      // The data's counter reset is reported, as an info.
      expect(out.issues.some((i) => i.code === 'data/counter-reset')).toBe(true);
      let compared = 0;
      for (const slo of model.services.flatMap((s) => s.slos)) {
        const sli = slis.get(slo.sli);
        const expr = sli && attainmentExpr(sli, rangeOf(slo, atMs));
        const mine = out.slos.find((x) => x.id === slo.id);
        if (!expr) {
          expect(mine?.attainment, slo.id).toBeNull();
          continue;
        }
        const theirs = await prom!.query(expr, atMs);
        expect(theirs.length, `${slo.id}: ${expr}`).toBe(1);
        const want = theirs[0].values[0][1];
        expect(mine?.attainment, slo.id).not.toBeNull();
        expect(relClose(mine!.attainment!, want), `${slo.id}: pace ${mine!.attainment} vs Prometheus ${want} for ${expr}`).toBe(true);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(12);
    }, 60_000);
  }

  it("every rule's firings are its expression's true runs over a query_range, with `for`", async () => {
    const out = await previewJson(file);
    const gridStart = S;
    const gridEnd = END;
    let rules = 0;
    let fired = 0;
    for (const slo of model.services.flatMap((s) => s.slos)) {
      const sli = slis.get(slo.sli);
      if (!sli || (sli.kind !== 'ratio' && sli.kind !== 'latency' && sli.kind !== 'timeslice')) continue;
      const mine = out.slos.find((x) => x.id === slo.id)!;
      for (const [i, rule] of (slo.alerting?.rules ?? []).entries()) {
        const err = (seconds: number) => `(1 - (${attainmentExpr(sli, `${seconds}s`)}))`;
        const expr = `(${err(rule.longWindowSeconds)} > ${rule.threshold}) and (${err(rule.shortWindowSeconds)} > ${rule.threshold})`;
        const res = await prom!.queryRange(expr, gridStart, gridEnd, MIN);
        const trueSteps = new Set(res.flatMap((s) => s.values.map(([t]) => t)));
        const want = firings(trueSteps, gridStart, gridEnd, (rule.forSeconds ?? 0) * 1000);
        const got = mine.alerts.filter((a) => a.ruleIndex === i).map((a) => ({ firedAt: Date.parse(a.firedAt), resolvedAt: a.resolvedAt === null ? null : Date.parse(a.resolvedAt) }));
        expect(got, `${slo.id} rule ${i}: ${expr}`).toEqual(want);
        rules++;
        fired += want.length;
      }
    }
    expect(rules).toBeGreaterThan(20);
    // The incident pages checkout and payments.
    expect(fired).toBeGreaterThanOrEqual(4);
    const pages = out.slos.flatMap((s) => s.alerts.filter((a) => a.severity === 'page').map(() => s.id));
    expect(new Set(pages)).toEqual(new Set(['slo:checkout.availability', 'slo:payments_api.availability']));
  }, 120_000);
});

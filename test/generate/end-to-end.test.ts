// Numbers agree, end to end (issue 8): the rule files `pace generate --target prometheus` writes for
// samples/ compute the numbers `pace preview --format json` promises. Two days of the samples' data
// (samples/data/generate.mjs, with a counter reset, an incident and a latency regression) are
// (the families the
// rules of checkout and payments_api read) backfilled into a real Prometheus 2.42 on 127.0.0.1; the generated recording rules are evaluated
// over that history with `promtool tsdb create-blocks-from rules` (two passes: the period rules read
// the error-ratio rules); then
// - each recorded `slo:sli_error:ratio_rate<W>` at instants of the grid equals the preview's error
//   ratio over W (its burn rate × the budget; over a rolling SLO window, 1 − attainment), 1e-9 relative;
// - each generated alert's `expr`, over a query_range of the recorded series, holds at steps whose
//   runs (with the alert's `for`) are the preview's backtest firings of that rule (same firings; an
//   edge may move by the one step the group's evaluation offset can shift a threshold crossing);
// and every generated rule file passes `vmalert -dryRun`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../server/src/cli/main.js';
import type { NormalizedModel, Slo } from '../../server/src/core/model/model.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
import { type PrometheusHistory, startPrometheusHistory } from '../helpers/prometheus-history.js';
import { victoriaMetricsBinary } from '../helpers/victoria-metrics.js';
// @ts-expect-error: a plain ES module script without types
import { generate } from '../../samples/data/generate.mjs';
import { firings, relClose } from '../helpers/rule-manager.js';

const root = path.join(__dirname, '../..');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const S = Date.UTC(2026, 9, 1);
const END = S + 2 * DAY;
const INCIDENT = [S + DAY + 10 * HOUR, S + DAY + 10 * HOUR + 40 * MIN];
/** The services whose rules are evaluated over history (the incident pages both): a few, to keep the backfill short. */
const EVALUATED = ['checkout.rules.yml', 'payments_api.rules.yml'];

/** The OpenMetrics families (in order) whose names `rulesText` mentions, and of them the jobs it mentions: less to backfill. */
function familiesUsedBy(openMetrics: string, rulesText: string): string {
  const out: string[] = [];
  let keep = false;
  let family = '';
  for (const line of openMetrics.split('\n')) {
    if (line === '# EOF') break;
    if (line.startsWith('# ')) {
      const name = line.split(' ')[2] ?? '';
      if (name !== family) {
        family = name;
        keep = rulesText.includes(name);
      }
    }
    // Within a family, the series of other jobs are left out too.
    const job = /job="([^"]*)"/.exec(line)?.[1];
    if (keep && line && (job === undefined || line.startsWith('#') || rulesText.includes(`job="${job}"`))) out.push(line);
  }
  return out.join('\n') + '\n# EOF\n';
}

interface JsonSlo {
  id: string;
  attainment: number | null;
  errorRatio: number | null;
  errorBudget: { total: number };
  burnRates: Record<string, number | null>;
  alerts: { ruleIndex: number; firedAt: string; resolvedAt: string | null; severity: string }[];
}

interface RuleYaml {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

async function cli(argv: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: {}, isTTY: false });
  // `pace generate` notes what its promtool tests cannot cover; nothing worse may be said.
  expect(stderr.split('\n').filter((l) => l && !l.startsWith('note: ')), stderr).toEqual([]);
  expect(code).toBe(0);
  return stdout;
}

const durationMs = (d: string): number => {
  let ms = 0;
  for (const [, n, u] of d.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(n) * { ms: 1, s: 1000, m: MIN, h: HOUR, d: DAY, w: 7 * DAY, y: 365 * DAY }[u as 'ms'];
  return ms;
};


describe('generated Prometheus rules, evaluated by Prometheus 2.42 over history, equal the preview', () => {
  let prom: PrometheusHistory | undefined;
  let dir: string;
  let file: string;
  let model: NormalizedModel;
  let ruleFiles: string[];
  const groups = new Map<string, { slo: Slo; rules: RuleYaml[] }>();
  /** Each group's evaluation offset within the minute (ms), read from its recorded samples' timestamps. */
  const offsets = new Map<string, number>();
  /** Each group's last recorded step (ms), read from Prometheus. */
  const lastSteps = new Map<string, number>();
  const previews = new Map<number, Promise<{ slos: JsonSlo[] }>>();
  const previewAt = (t: number) => {
    let p = previews.get(t);
    if (!p) previews.set(t, (p = cli(['preview', 'samples', '--data', file, '--format', 'json', '--at', new Date(t).toISOString()]).then((x) => JSON.parse(x))));
    return p;
  };
  const groupInstant = (group: string, at: number) => at + offsets.get(group)!;

  beforeAll(async () => {
    const text: string = generate({ days: 2, start: S, restartAt: S + 5 * HOUR, incident: INCIDENT, regressionAt: S + 12 * HOUR, kpis: false });
    dir = mkdtempSync(path.join(tmpdir(), 'pace-e2e-'));
    file = path.join(dir, 'three-days.om');
    writeFileSync(file, text);
    const analysis = loadWorkspace(readProject(path.join(root, 'samples'))).analyze();
    expect(analysis.errorCount).toBe(0);
    model = analysis.normalized().model;
    await cli(['generate', 'samples', '--target', 'prometheus', '--out', path.join(dir, 'out')]);
    const out = path.join(dir, 'out', 'prometheus');
    ruleFiles = readdirSync(out)
      .filter((f) => f.endsWith('.rules.yml'))
      .sort()
      .map((f) => path.join(out, f));
    const slos = new Map(model.services.flatMap((s) => s.slos.map((x) => [`pace-slo-${s.name}-${x.name}`, x] as const)));
    for (const f of ruleFiles.filter((x) => EVALUATED.includes(path.basename(x)))) {
      for (const g of (parseYaml(readFileSync(f, 'utf8')) as { groups: { name: string; rules: RuleYaml[] }[] }).groups) {
        const slo = slos.get(g.name as `pace-slo-${string}-${string}`);
        expect(slo, g.name).toBeDefined();
        groups.set(g.name, { slo: slo!, rules: g.rules });
      }
    }
    const evaluated = ruleFiles.filter((f) => EVALUATED.includes(path.basename(f)));
    expect(evaluated.length).toBe(EVALUATED.length);
    const history = familiesUsedBy(text, evaluated.map((f) => readFileSync(f, 'utf8')).join('\n'));
    expect(history.length).toBeLessThan(text.length / 3);
    prom = await startPrometheusHistory(history);
    const { blocks } = await prom.backfillRules(evaluated, S, END, 2);
    expect(blocks).toBeGreaterThan(0);
    for (const [group, { rules }] of groups) {
      const l = rules[0].labels!;
      const recorded = `timestamp(${rules[0].record}{pace_service=${JSON.stringify(l.pace_service)}, pace_slo=${JSON.stringify(l.pace_slo)}})`;
      const ts = await prom.query(recorded, S + DAY + MIN - 1);
      expect(ts.length, group).toBe(1);
      const off = Math.round(ts[0].values[0][1] * 1000) - (S + DAY);
      expect(off, group).toBeGreaterThanOrEqual(0);
      expect(off, group).toBeLessThan(MIN);
      offsets.set(group, off);
      // promtool evaluates a group over each 2-hour block up to the block's last whole second
      // (cmd/promtool/rules.go): a group whose offset is above 59 s has no step in the last minute
      // of a block, so its last step before END is then END − 2m + offset, not END − 1m + offset.
      const last = await prom.query(recorded, END);
      expect(last.length, group).toBe(1);
      const lastMs = Math.round(last[0].values[0][1] * 1000);
      expect([END - MIN + off, END - 2 * MIN + off], group).toContain(lastMs);
      if (off < MIN - 1000) expect(lastMs, group).toBe(END - MIN + off);
      lastSteps.set(group, lastMs);
    }
  }, 600_000);

  afterAll(async () => {
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('vmalert -dryRun accepts every generated rule file', () => {
    const vmalert = path.join(path.dirname(victoriaMetricsBinary()), 'vmalert');
    expect(existsSync(vmalert)).toBe(true);
    expect(ruleFiles.length).toBeGreaterThanOrEqual(4);
    for (const f of ruleFiles) {
      const r = spawnSync(vmalert, ['-dryRun', `-rule=${f}`], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, `${path.basename(f)}: ${r.stderr}`).toBe(0);
    }
  });

  for (const [name, at] of [
    // The last step promtool recorded (lastSteps; at END − 1m + offset for most groups).
    ['the last recorded step', undefined],
    ['a day before', END - DAY],
    ['during the incident', INCIDENT[0] + 20 * MIN],
  ] as const) {
    it(`recorded error ratios at ${name} equal the preview's, 1e-9 relative`, async () => {
      let compared = 0;
      for (const [group, { slo, rules }] of groups) {
        // Each group is evaluated at its own offset within the minute (Prometheus spreads groups by
        // a hash of their name; promtool's backfill aligns to it too): the recorded sample of the
        // step at `at` is at `at + offset`, computed from the data up to then. Queried at `at`, one
        // sees the step before, hence "one step later". The preview is asked at that exact instant.
        const T = at === undefined ? lastSteps.get(group)! : groupInstant(group, at);
        const out = await previewAt(T);
        const mine = out.slos.find((x) => x.id === slo.id);
        expect(mine, slo.id).toBeDefined();
        const budget = slo.errorBudget.ratio;
        for (const r of rules.filter((x) => x.record?.startsWith('slo:sli_error:ratio_rate'))) {
          const w = r.labels!.pace_window;
          const windowMs = durationMs(w);
          // The preview's error ratio over w: its burn rate there × the budget; over the SLO window
          // (rolling: the rule's range is the window itself), 1 − attainment. A calendar SLO
          // window has no Prometheus range: the rule uses its nominal length (docs/generate.md).
          let want: number | null | undefined;
          if (mine!.burnRates[w] !== undefined) want = mine!.burnRates[w] === null ? null : mine!.burnRates[w]! * budget;
          else if (slo.window.type === 'rolling' && windowMs === slo.window.seconds * 1000) want = mine!.errorRatio;
          else continue;
          const sel = `${r.record}{pace_service=${JSON.stringify(r.labels!.pace_service)}, pace_slo=${JSON.stringify(r.labels!.pace_slo)}}`;
          const theirs = await prom!.query(sel, T);
          if (want === null) {
            expect(theirs.filter((s) => !Number.isNaN(s.values[0][1])), `${group} ${w}`).toEqual([]);
            continue;
          }
          expect(theirs.length, `${group} ${sel}`).toBe(1);
          const got = theirs[0].values[0][1];
          expect(relClose(got, want!), `${group} ${w}: recorded ${got} vs preview ${want}`).toBe(true);
          compared++;
        }
        // The period rules (the second pass) over the recorded SLO-window ratio.
        if (slo.window.type === 'rolling' && mine!.errorRatio !== null) {
          const pb = await prom!.query(`slo:period_burn_rate:ratio{pace_service=${JSON.stringify(rules[0].labels!.pace_service)}, pace_slo=${JSON.stringify(slo.name)}}`, T);
          expect(pb.length, `${group} period burn rate`).toBe(1);
          expect(relClose(pb[0].values[0][1], mine!.errorRatio / budget), `${group} period burn ${pb[0].values[0][1]} vs ${mine!.errorRatio / budget}`).toBe(true);
        }
      }
      expect(compared).toBeGreaterThanOrEqual(20);
    }, 120_000);
  }

  it("every generated alert's expr, over the recorded series, fires when the preview's backtest does", async () => {
    const out = JSON.parse(await cli(['preview', 'samples', '--data', file, '--format', 'json'])) as { slos: JsonSlo[] };
    let alerts = 0;
    let fired = 0;
    let exact = 0;
    for (const [group, { slo, rules }] of groups) {
      const mine = out.slos.find((x) => x.id === slo.id)!;
      for (const a of rules.filter((x) => x.alert)) {
        const ruleIndex = (slo.alerting?.rules ?? []).findIndex((r) => r.severity === a.labels!.severity && r.longWindowSeconds * 1000 === durationMs(a.labels!.pace_long_window) && r.shortWindowSeconds * 1000 === durationMs(a.labels!.pace_short_window));
        expect(ruleIndex, `${group} ${a.alert} ${JSON.stringify(a.labels)}`).toBeGreaterThanOrEqual(0);
        // The recorded series are at the group's offset within each minute (see above): the
        // expression is asked at those instants, each standing for the minute of the preview's grid
        // it follows. Asked on the minute itself, it would hold one step later than the preview.
        const off = offsets.get(group)!;
        const res = await prom!.queryRange(a.expr, S + off, END + off, MIN);
        const trueSteps = new Set(res.flatMap((s) => s.values.map(([t]) => t - off)));
        const want = firings(trueSteps, S, END, a.for ? durationMs(a.for) : 0);
        const got = mine.alerts.filter((x) => x.ruleIndex === ruleIndex).map((x) => ({ firedAt: Date.parse(x.firedAt), resolvedAt: x.resolvedAt === null ? null : Date.parse(x.resolvedAt) }));
        // Same alerts, each at the same time to within the one step the offset can move a crossing:
        // at `t + offset` the windows' left edges hold one raw sample fewer than at `t`, so where a
        // ratio crosses the threshold within that sample, the expression flips one step apart.
        const msg = `${group} ${a.alert} rule ${ruleIndex}: ${a.expr}: recorded ${JSON.stringify(want)} vs preview ${JSON.stringify(got)}`;
        expect(got.length, msg).toBe(want.length);
        got.forEach((g, k) => {
          expect(Math.abs(g.firedAt - want[k].firedAt), msg).toBeLessThanOrEqual(MIN);
          expect(g.resolvedAt === null, msg).toBe(want[k].resolvedAt === null);
          if (g.resolvedAt !== null) expect(Math.abs(g.resolvedAt - want[k].resolvedAt!), msg).toBeLessThanOrEqual(MIN);
          exact += Number(g.firedAt === want[k].firedAt) + Number(g.resolvedAt === want[k].resolvedAt);
        });
        alerts++;
        fired += want.length;
      }
    }
    expect(alerts).toBeGreaterThanOrEqual(8);
    expect(fired).toBeGreaterThanOrEqual(4);
    // Most edges agree to the minute; the one-step moves are the exception.
    expect(exact).toBeGreaterThan(fired);
  }, 180_000);
});

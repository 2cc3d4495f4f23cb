// The preview benchmark's in-process part, bundled by bench/run.mjs with esbuild into
// bench/.work/preview-bench.cjs and run as
//   node preview-bench.cjs evaluate --services N --days D [--runs R] [--warmup W]
//   node preview-bench.cjs load FILE [--samples S]
// each printing one JSON object on stdout.
//
// evaluate: the generated Pace project of N services (2 SLOs each, bench/preview-gen.mjs) analyzed
// into its normalized model (not timed), D days of 1-minute samples built in memory (4 series a
// service, each with its own timestamps), then `preview(model, data)` — every SLO's figures at the
// last sample and the backtest of every burn-rate rule over the whole data on a 1-minute grid —
// timed W + R times. The grid evaluator caches what it compiles per Series object, so every run
// gets new Series objects over the same arrays: each run compiles its series, as a new process would.
// load: `loadSampleData([FILE])` of the host side (server/src/node/data), its wall time and the
// process's peak RSS (getrusage maxRSS), checking the sample count.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { preview, Workspace, type Series } from '../server/src/core/index.js';
import { loadSampleData } from '../server/src/node/data/index.js';
// @ts-expect-error: a plain ES module of the bench, bundled by esbuild
import { paceProject, serviceSeries, START } from './preview-gen.mjs';

const args = process.argv.slice(2);
const mode = args[0];
const opt = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i < 0 ? def : Number(args[i + 1]);
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Peak RSS of the process in MB (10^6 bytes), as the packed sizes are counted. */
const rssMB = () => Math.round((process.resourceUsage().maxRSS * 1024) / 1e5) / 10;

async function evaluate(): Promise<object> {
  const services = opt('--services', 500);
  const days = opt('--days', 30);
  const runs = opt('--runs', 5);
  const warmup = opt('--warmup', 1);
  const ws = new Workspace();
  for (const [name, text] of paceProject(services) as [string, string][]) ws.setFile(`file:///bench/preview/${name}`, text);
  const analysis = ws.analyze();
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`the generated project has ${errors.length} errors, e.g. ${errors[0].code}: ${errors[0].message}`);
  const { model } = analysis.normalized();
  const slos = model.services.reduce((n, s) => n + s.slos.length, 0);
  const rules = model.services.reduce((n, s) => n + s.slos.reduce((m, o) => m + (o.alerting?.rules.length ?? 0), 0), 0);
  const t0 = performance.now();
  const arrays: { metric: string; labels: Record<string, string>; t: Float64Array; v: Float64Array }[] = [];
  for (let i = 0; i < services; i++) arrays.push(...serviceSeries(i, days, START));
  const buildMs = performance.now() - t0;
  const samples = arrays.reduce((n, s) => n + s.t.length, 0);
  const times: number[] = [];
  let last: ReturnType<typeof preview> | undefined;
  for (let r = 0; r < warmup + runs; r++) {
    const series: Series[] = arrays.map((s) => ({ metric: s.metric, labels: s.labels, t: s.t, v: s.v }));
    const a = performance.now();
    last = preview(model, { series, issues: [] });
    const ms = performance.now() - a;
    times.push(ms);
  }
  const res = last as ReturnType<typeof preview>;
  const withValue = res.slos.filter((s) => s.attainment !== null).length;
  const alerts = res.slos.reduce((n, s) => n + s.alerts.length, 0);
  const pages = res.slos.reduce((n, s) => n + s.alerts.filter((a) => a.severity === 'page').length, 0);
  const problems = res.issues.filter((i) => i.severity !== 'info').map((i) => `${i.code}: ${i.message}`);
  return {
    services,
    days,
    slos,
    rules,
    series: arrays.length,
    samples,
    packedMB: Math.round((samples * 16) / 1e5) / 10,
    buildMs: Math.round(buildMs),
    runs,
    warmup,
    firstMs: Math.round(times[0]),
    samplesMs: times.slice(warmup).map((x) => Math.round(x)),
    medianMs: Math.round(median(times.slice(warmup))),
    slosWithValue: withValue,
    alerts,
    pages,
    gridSteps: res.dataStart === null ? 0 : Math.floor((res.dataEnd ?? 0) / 60_000) - Math.ceil(res.dataStart / 60_000) + 1,
    problems: problems.slice(0, 5),
    maxRssMB: rssMB(),
  };
}

async function load(): Promise<object> {
  const file = args[1];
  const expected = opt('--samples', -1);
  const rssBefore = process.memoryUsage().rss;
  const a = performance.now();
  const data = await loadSampleData([file]);
  const seconds = (performance.now() - a) / 1000;
  const samples = data.series.reduce((n, s) => n + s.t.length, 0);
  const bytes = fs.statSync(file).size;
  if (expected >= 0 && samples !== expected) throw new Error(`loaded ${samples} samples, expected ${expected}`);
  const problems = data.issues.filter((i) => i.severity !== 'info').map((i) => `${i.code}: ${i.message}`);
  return {
    bytes,
    seconds: Math.round(seconds * 1000) / 1000,
    mbPerSecond: Math.round(bytes / 1e5 / seconds) / 10,
    series: data.series.length,
    samples,
    packedMB: Math.round((samples * 16) / 1e5) / 10,
    rssBeforeMB: Math.round(rssBefore / 1e5) / 10,
    maxRssMB: rssMB(),
    issueCodes: [...new Set(data.issues.map((i) => i.code))],
    problems: problems.slice(0, 5),
  };
}

async function main(): Promise<void> {
  const out = mode === 'evaluate' ? await evaluate() : mode === 'load' ? await load() : undefined;
  if (!out) throw new Error(`unknown mode ${mode}: evaluate or load`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exitCode = 1;
});

// The `preview` part of the benchmark (`node bench/run.mjs --only preview`; issue 7's targets):
//   1. the evaluator in process: 1,000 SLOs × 30 days of 1-minute samples (86.4 million) built in
//      memory → `preview()` (every SLO's figures and the backtest of every alert rule), and twice
//      the samples (60 days; and, for information, 2,000 SLOs);
//   2. the OpenMetrics loader on a 1 GB file: throughput and the process's peak RSS;
//   3. `pace preview` end to end on ~50 MB (20 SLOs × 14 days) against a plain readline pass;
//   4. `pace preview` on 100 SLOs × 30 days against promtool backfill + Prometheus start + the same
//      queries (bench/prometheus-peer.mjs), promtool measured on a slice of the SLOs and
//      extrapolated linearly (its cost is proportional to the series it backfills).
// Workloads come from bench/preview-gen.mjs, files go to bench/.work/preview/ and are deleted after.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bytesPerService, writeOpenMetricsFile, writePaceProject } from './preview-gen.mjs';
import { runPrometheusPeer } from './prometheus-peer.mjs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const agg = (xs) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), samples: xs.map(Math.round) });

async function bundleEntry(here, work) {
  const esbuild = await import('esbuild');
  const out = path.join(work, 'preview-bench.cjs');
  await esbuild.build({ entryPoints: [path.join(here, 'preview-entry.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  return out;
}

function json(root, args, what) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 << 20, cwd: root });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}${r.signal ? `, ${r.signal}` : ''}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** A whole process, wall time from spawn to exit. */
function timed(root, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 << 20, cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  return { ms: performance.now() - t0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `pace preview DIR --data FILE --format json`, checked: exit 0 and every SLO with a value. */
function pacePreview(root, cli, project, file, slos) {
  const r = timed(root, [cli, 'preview', project, '--data', file, '--format', 'json']);
  if (r.status !== 0) throw new Error(`pace preview exited ${r.status}: ${r.stderr.slice(-1000)}`);
  const j = JSON.parse(r.stdout);
  const ok = j.slos.filter((s) => s.attainment !== null).length;
  if (j.slos.length !== slos || ok !== slos) throw new Error(`pace preview gave ${j.slos.length} SLOs, ${ok} with a value; expected ${slos}`);
  return { ms: r.ms, json: j };
}

export async function partPreview({ root, here, work, log, runs = 3, promServices = 2 }) {
  const dir = path.join(work, 'preview');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const cli = path.join(root, 'server', 'out', 'cli.cjs');
  if (!fs.existsSync(cli)) throw new Error('server/out/cli.cjs is missing: run node esbuild.mjs first');
  const entry = await bundleEntry(here, work);
  const out = {};
  try {
    // 1. The evaluator, in process (one process per size: the samples are GBs).
    const evaluate = (services, days) => {
      const r = json(root, [entry, 'evaluate', '--services', String(services), '--days', String(days), '--runs', String(runs), '--warmup', '1'], `preview evaluator (${services * 2} SLOs × ${days} days)`);
      if (r.slosWithValue !== r.slos) throw new Error(`only ${r.slosWithValue} of ${r.slos} SLOs have figures`);
      if (r.problems.length) throw new Error(`the preview reported problems: ${r.problems.join('; ')}`);
      log(`preview evaluator: ${r.slos} SLOs × ${days} days (${(r.samples / 1e6).toFixed(1)} M samples, ${r.rules} rules): median ${r.medianMs} ms (${r.samplesMs.join(', ')}; first ${r.firstMs}), ${r.alerts} alerts fired, RSS ${r.maxRssMB} MB`);
      return r;
    };
    out.evaluate = { base: evaluate(500, 30), days2: evaluate(500, 60), slos2: evaluate(1000, 30) };

    // 2. The loader on a 1 GB file.
    const perService30 = bytesPerService(30);
    const bigServices = Math.ceil(1e9 / perService30);
    const big = path.join(dir, 'big.om');
    let t0 = performance.now();
    const bigFile = writeOpenMetricsFile(big, { first: 0, last: bigServices, days: 30 });
    log(`preview loader: wrote ${(bigFile.bytes / 1e6).toFixed(0)} MB (${bigServices} services × 30 days, ${(bigFile.samples / 1e6).toFixed(1)} M samples) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const loads = [];
      for (let i = 0; i < runs; i++) {
        const r = json(root, [entry, 'load', big, '--samples', String(bigFile.samples)], 'preview loader');
        if (r.problems.length) throw new Error(`the loader reported problems: ${r.problems.join('; ')}`);
        loads.push(r);
        log(`preview loader: ${r.mbPerSecond} MB/s, peak RSS ${r.maxRssMB} MB (packed samples ${r.packedMB} MB)`);
      }
      out.loader = {
        bytes: bigFile.bytes,
        services: bigServices,
        series: loads[0].series,
        samples: bigFile.samples,
        packedMB: loads[0].packedMB,
        runs,
        seconds: median(loads.map((r) => r.seconds)),
        mbPerSecond: median(loads.map((r) => r.mbPerSecond)),
        mbPerSecondSamples: loads.map((r) => r.mbPerSecond),
        maxRssMB: Math.max(...loads.map((r) => r.maxRssMB)),
        maxRssSamples: loads.map((r) => r.maxRssMB),
        rssBeforeMB: loads[0].rssBeforeMB,
      };
    } finally {
      fs.rmSync(big, { force: true });
    }

    // 3. End to end on ~50 MB: 20 SLOs × 14 days, against a readline pass; alternating.
    const e2eProject = writePaceProject(path.join(dir, 'p20'), 10);
    const e2eFile = writeOpenMetricsFile(path.join(dir, 'e2e.om'), { first: 0, last: 10, days: 14 });
    const readline = [path.join(here, 'readline-pass.mjs'), e2eFile.file];
    const e2e = { pace: [], readline: [] };
    pacePreview(root, cli, e2eProject, e2eFile.file, 20); // warm-ups (page cache)
    timed(root, readline);
    for (let i = 0; i < Math.max(5, runs); i++) {
      e2e.pace.push(pacePreview(root, cli, e2eProject, e2eFile.file, 20).ms);
      const r = timed(root, readline);
      if (r.status !== 0 || Number(r.stdout.trim()) !== e2eFile.samples + 1) throw new Error(`the readline pass failed: ${r.stderr.slice(-500)}`);
      e2e.readline.push(r.ms);
    }
    out.e2e = { bytes: e2eFile.bytes, samples: e2eFile.samples, slos: 20, days: 14, pace: agg(e2e.pace), readline: agg(e2e.readline) };
    log(`preview end to end: pace preview ${out.e2e.pace.median} ms, readline ${out.e2e.readline.median} ms on ${(e2eFile.bytes / 1e6).toFixed(1)} MB`);
    fs.rmSync(e2eFile.file, { force: true });

    // 4. Against promtool + Prometheus: 100 SLOs × 30 days.
    const fullProject = writePaceProject(path.join(dir, 'p100'), 50);
    t0 = performance.now();
    const fullFile = writeOpenMetricsFile(path.join(dir, 'full.om'), { first: 0, last: 50, days: 30 });
    log(`preview vs Prometheus: wrote ${(fullFile.bytes / 1e6).toFixed(0)} MB (100 SLOs × 30 days) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const paceFull = [];
    try {
      for (let i = 0; i < runs; i++) paceFull.push(pacePreview(root, cli, fullProject, fullFile.file, 100).ms);
    } finally {
      fs.rmSync(fullFile.file, { force: true });
    }
    log(`preview vs Prometheus: pace preview ${Math.round(median(paceFull))} ms (${paceFull.map(Math.round).join(', ')})`);
    const sliceProject = writePaceProject(path.join(dir, 'pslice'), promServices);
    const sliceFile = writeOpenMetricsFile(path.join(dir, 'slice.om'), { first: 0, last: promServices, days: 30 });
    try {
      const p = pacePreview(root, cli, sliceProject, sliceFile.file, 2 * promServices);
      const at = Date.parse(p.json.at);
      const step = 60_000;
      const peer = await runPrometheusPeer({ file: sliceFile.file, work: dir, atMs: at, gridStartMs: Math.ceil(Date.parse(p.json.data.start) / step) * step, gridEndMs: Math.floor(Date.parse(p.json.data.end) / step) * step, log });
      let maxRel = 0, compared = 0;
      if (!peer.unavailable) {
        for (const s of p.json.slos) {
          const theirs = peer.errorRatios[s.id];
          if (theirs === undefined) throw new Error(`Prometheus has no error ratio for ${s.id}`);
          const ours = 1 - s.attainment;
          maxRel = Math.max(maxRel, Math.abs(ours - theirs) / Math.max(Math.abs(theirs), 1e-300));
          compared++;
        }
      }
      const scale = 50 / promServices;
      out.prometheus = {
        slos: 100,
        days: 30,
        bytes: fullFile.bytes,
        samples: fullFile.samples,
        pace: agg(paceFull),
        slice: { services: promServices, slos: 2 * promServices, bytes: sliceFile.bytes, paceMs: Math.round(p.ms) },
        ...(peer.unavailable
          ? { unavailable: peer.unavailable }
          : {
              peer: { ...peer, errorRatios: undefined, backfillMs: Math.round(peer.backfillMs), startMs: Math.round(peer.startMs), queriesMs: Math.round(peer.queriesMs) },
              scale,
              // backfill and queries grow with the series (linear), the server's start is counted once, as measured.
              peerMs: Math.round(peer.backfillMs * scale + peer.startMs + peer.queriesMs * scale),
              agreement: { compared, maxRelDiff: maxRel },
            }),
      };
      if (out.prometheus.peerMs) log(`preview vs Prometheus: peer ${(out.prometheus.peerMs / 1000).toFixed(0)} s extrapolated (×${scale} from ${2 * promServices} SLOs); ${(out.prometheus.peerMs / out.prometheus.pace.median).toFixed(0)}× Pace; error ratios agree within ${maxRel.toExponential(1)}`);
    } finally {
      fs.rmSync(sliceFile.file, { force: true });
    }
  } finally {
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (f.endsWith('.om')) fs.rmSync(path.join(dir, f), { force: true });
  }
  return out;
}

/** The part's rows: add(section, figure, pace, peer, ratio, target, result). */
export function previewRows(d, section, { add, fmtMs, fmtMB, ratio, verdict }) {
  const S = section;
  const e = d.evaluate;
  if (e) {
    const b = e.base;
    const range = (r) => `${fmtMs(r.medianMs)} (${r.samplesMs.map((x) => x.toLocaleString('en-US')).join(', ')})`;
    add(S, `evaluator in process: ${b.slos.toLocaleString('en-US')} SLOs × ${b.days} days of 1-minute samples (${(b.samples / 1e6).toFixed(1)} M samples in memory) → \`preview()\`: every SLO's figures + the backtest of ${b.rules.toLocaleString('en-US')} burn-rate rules (${b.alerts.toLocaleString('en-US')} alerts fired)`, range(b), '—', '—', '≤ 2 s', verdict(b.medianMs <= 2000));
    add(S, 'the same, first run in the process (cold JIT)', fmtMs(b.firstMs), '—', '—', '—', '—');
    const g = e.days2.medianMs / b.medianMs;
    add(S, `twice the samples: ${e.days2.slos.toLocaleString('en-US')} SLOs × ${e.days2.days} days (${(e.days2.samples / 1e6).toFixed(1)} M samples)`, `${range(e.days2)}: ${g.toFixed(2)}×`, '—', '—', '≤ 2.1×', verdict(g <= 2.1));
    const g2 = e.slos2.medianMs / b.medianMs;
    add(S, `twice the SLOs: ${e.slos2.slos.toLocaleString('en-US')} SLOs × ${e.slos2.days} days (${(e.slos2.samples / 1e6).toFixed(1)} M samples)`, `${range(e.slos2)}: ${g2.toFixed(2)}×`, '—', '—', '— (for information)', '—');
  }
  const l = d.loader;
  if (l) {
    add(S, `loader: OpenMetrics file of ${(l.bytes / 1e6).toFixed(0)} MB (${l.series} series, ${(l.samples / 1e6).toFixed(1)} M samples) → series, median of ${l.runs}`, `${l.mbPerSecond} MB/s (${l.mbPerSecondSamples.join(', ')}; ${l.seconds} s)`, '—', '—', '≥ 100 MB/s', verdict(l.mbPerSecond >= 100));
    const limit = l.packedMB + 300;
    add(S, 'loader: peak RSS of the process streaming that file (getrusage maxRSS, highest of the runs)', `${fmtMB(l.maxRssMB)} (packed samples ${fmtMB(l.packedMB)}; limit ${fmtMB(limit)})`, '—', '—', '≤ packed + 300 MB', verdict(l.maxRssMB <= limit));
  }
  const x = d.e2e;
  if (x) {
    const k = x.pace.median / x.readline.median;
    add(S, `end to end: \`pace preview --format json\` (${x.slos} SLOs × ${x.days} days, ${(x.bytes / 1e6).toFixed(1)} MB of OpenMetrics) vs a plain Node \`readline\` pass over the file; whole processes, median of ${x.pace.samples.length}, alternating`, `${fmtMs(x.pace.median)} (${x.pace.min}–${x.pace.max}): ${k.toFixed(2)}× readline`, `${fmtMs(x.readline.median)} (${x.readline.min}–${x.readline.max}) (readline)`, ratio(x.readline.median, x.pace.median), '≤ 3× readline', verdict(k <= 3));
  }
  const p = d.prometheus;
  if (p) {
    const peer = p.unavailable
      ? `n/a (${p.unavailable})`
      : `${fmtMs(p.peerMs)} (extrapolated: promtool ${(p.peer.backfillMs / 1000).toFixed(1)} s × ${p.scale} + start ${fmtMs(p.peer.startMs)} + ${p.peer.queries} queries ${(p.peer.queriesMs / 1000).toFixed(1)} s × ${p.scale})`;
    add(S, `vs promtool backfill + Prometheus ${p.peer?.version ?? ''} start + the same queries: ${p.slos} SLOs × ${p.days} days (${(p.bytes / 1e6).toFixed(0)} MB, ${(p.samples / 1e6).toFixed(2)} M samples); Pace: whole process, median of ${p.pace.samples.length}`, `${fmtMs(p.pace.median)} (${p.pace.min}–${p.pace.max})`, peer, ratio(p.peerMs, p.pace.median), '≥ 30× faster', verdict(p.peerMs === undefined ? undefined : p.peerMs / p.pace.median >= 30));
    if (!p.unavailable) {
      add(S, `the peer measured on a slice: ${p.slice.slos} SLOs × ${p.days} days (${(p.slice.bytes / 1e6).toFixed(1)} MB)`, `${fmtMs(p.slice.paceMs)}`, `promtool ${(p.peer.backfillMs / 1000).toFixed(1)} s (${(p.slice.bytes / 1e6 / (p.peer.backfillMs / 1000)).toFixed(2)} MB/s, ${p.peer.blocks} blocks), start ${fmtMs(p.peer.startMs)}, queries ${fmtMs(p.peer.queriesMs)}`, ratio(p.peer.backfillMs + p.peer.startMs + p.peer.queriesMs, p.slice.paceMs), '— (for information)', '—');
      add(S, "each SLO's error ratio over its window: Pace vs Prometheus, on the slice", `max relative difference ${p.agreement.maxRelDiff.toExponential(1)} over ${p.agreement.compared} SLOs`, '—', '—', '— (a check that the queries are the same)', p.agreement.maxRelDiff <= 1e-9 ? 'agree' : '**DIFFER**');
    }
  }
}

export const PREVIEW_METHOD =
  '- **Preview** (`--only preview`; bench/preview-bench.mjs, workloads from bench/preview-gen.mjs): a generated project of N services, each with a ratio SLI (bad = `http_requests_total{job, code="500"}` over all of the job\'s requests) and a latency SLI (the `le="0.3"` bucket of `http_request_duration_seconds` over its `_count`), one SLO on each (99.9% over 30d, 99% over 28d), both `alerting = default` (4 burn-rate rules); 1-minute scrapes, jittered by a few ms around a per-service offset, day-shaped traffic, an incident every third service (pages fire), a counter reset every seventh; each SLO reads two series. **Evaluator**: bench/preview-entry.ts bundled with esbuild, one process per size; the project analyzed into its model and the samples built as Float64Arrays (each series its own timestamps) before timing; then `preview(model, data)` at the last sample — attainment, budget, burn rates over 5m…3d, exhaustion, and each rule backtested over the whole data on a 1-minute grid — after 1 warm-up, on new Series objects each run (the grid evaluator caches per Series object what it compiles, as a new process would not have). **Loader**: `loadSampleData()` of server/src/node/data on a ≥ 1 GB file written just before (so read from the page cache), in a fresh process per run; MB are 10^6 bytes, peak RSS is the process\'s getrusage maxRSS, packed size 16 bytes a sample. **End to end**: `node server/out/cli.cjs preview DIR --data FILE --format json` (check, load, preview, JSON to a pipe) and bench/readline-pass.mjs (`readline` over `fs.createReadStream`, counting lines), whole processes from spawn to exit, one warm-up each, alternating. **Against Prometheus** (bench/prometheus-peer.mjs): Debian\'s prometheus 2.42 — `promtool tsdb create-blocks-from openmetrics` of the file, then `prometheus` on 127.0.0.1 until `/-/ready`, then one query per figure for all SLOs at once (`sum by (job)`), one after the other: the error ratio over each SLO\'s window and over the 7 burn windows at the last sample (16 instant queries) and each rule\'s alert expression `(err[long] > t) and (err[short] > t)` as a `query_range` over the data at a 1-minute step, in 10,000-step chunks (40). promtool re-reads the whole file for every 2-hour block (360 for 30 days), about 0.4 MB/s here, so a full run would take more than half an hour: it is measured on a slice of the SLOs (the same 30 days, so the same blocks) and its backfill and query times are scaled linearly by the SLO count; the server\'s start is counted once, as measured on the slice. Both sides\' error ratios over the SLO windows are compared on the slice.';

// The real alternative to `pace preview`, for the preview benchmark: backfill the sample data into a
// TSDB with `promtool tsdb create-blocks-from openmetrics`, start Debian's Prometheus (2.42) on it on
// 127.0.0.1, wait until it is ready, and ask it the queries that give the preview's figures. The
// ideas (free port, bounded waits, POST queries) follow test/helpers/prometheus.ts.
//
// The queries are the cheapest honest form of what `pace preview` computes, one query per figure
// for all the file's SLOs at once (`sum by (job)`), asked one after the other:
//   - at the last sample: the error ratio over each SLO kind's window (30d, 28d), and over the burn
//     windows 5m, 30m, 1h, 2h, 6h, 1d, 3d (attainment, budget left and burn rates);
//   - the backtest: each of the default policy's 4 rules as its alert expression
//     `(err[long] > t) and (err[short] > t)`, as a query_range over the whole data at a 1-minute
//     step (the grid Pace uses), in chunks of 10,000 steps (Prometheus answers at most 11,000).
// Every wait and query is bounded; the server and its temporary folder are removed at the end.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function which(bin) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    const p = path.join(dir, bin);
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

/** The paths of promtool and prometheus, or a sentence saying what is missing. */
export function prometheusBinaries() {
  const promtool = which('promtool');
  const prometheus = which('prometheus');
  if (!promtool || !prometheus) return { missing: "Debian's package prometheus is not installed (apt-get install --no-install-recommends prometheus)" };
  const v = spawnSync(prometheus, ['--version'], { encoding: 'utf8' });
  const version = /version (\S+)/.exec(`${v.stdout}${v.stderr}`)?.[1];
  return { promtool, prometheus, version };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = srv.address().port;
      srv.close(() => resolve(port));
    });
  });
}

/** The SLO kinds of bench/preview-gen.mjs: their error ratio over a window, and the default policy's thresholds. */
const KINDS = [
  {
    slo: 'availability',
    window: '30d',
    budget: 0.001,
    scale: 1,
    err: (w) => `sum by (job) (increase(http_requests_total{code="500"}[${w}])) / sum by (job) (increase(http_requests_total[${w}]))`,
  },
  {
    slo: 'fast',
    window: '28d',
    budget: 0.01,
    scale: 28 / 30, // the default policy scaled to a 28-day window
    err: (w) => `1 - sum by (job) (increase(http_request_duration_seconds_bucket{le="0.3"}[${w}])) / sum by (job) (increase(http_request_duration_seconds_count[${w}]))`,
  },
];
/** The SRE workbook's rules (the default policy for 30 days): factor, long and short windows. */
const RULES = [
  [14.4, '1h', '5m'],
  [6, '6h', '30m'],
  [3, '1d', '2h'],
  [1, '3d', '6h'],
];
const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
const seconds = (ms) => String(ms / 1000);

/**
 * Backfills `file`, starts Prometheus, asks the queries at `atMs` and over the grid [gridStartMs,
 * gridEndMs]; returns the timings (ms) and each SLO's error ratio over its window as Prometheus
 * answered (id → value), for an agreement check with Pace.
 */
export async function runPrometheusPeer({ file, work, atMs, gridStartMs, gridEndMs, log = () => {}, queryTimeoutMs = 600_000, backfillTimeoutMs = 3_600_000 }) {
  const bins = prometheusBinaries();
  if (bins.missing) return { unavailable: bins.missing };
  const dir = fs.mkdtempSync(path.join(work, 'prom-'));
  const data = path.join(dir, 'data');
  let child;
  let exited = false;
  let stderr = '';
  try {
    let t0 = performance.now();
    const backfill = spawnSync(bins.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, data], { encoding: 'utf8', timeout: backfillTimeoutMs, maxBuffer: 64 << 20 });
    const backfillMs = performance.now() - t0;
    if (backfill.status !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed (exit ${backfill.status}${backfill.signal ? `, ${backfill.signal}` : ''}): ${String(backfill.stderr).slice(-1000)}`);
    const blocks = fs.readdirSync(data).filter((f) => /^[0-9A-Z]{26}$/.test(f)).length;
    log(`preview peer: promtool backfilled ${(fs.statSync(file).size / 1e6).toFixed(1)} MB into ${blocks} blocks in ${(backfillMs / 1000).toFixed(1)} s`);

    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(config, 'global: {evaluation_interval: 1m}\n');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    t0 = performance.now();
    child = spawn(bins.prometheus, [`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', `--query.timeout=${Math.round(queryTimeoutMs / 1000)}s`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (b) => (stderr = (stderr + b).slice(-4000)));
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (exited) throw new Error(`prometheus exited before it was ready: ${stderr}`);
      try {
        const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`prometheus was not ready after 120 s: ${stderr}`);
      await sleep(20);
    }
    const startMs = performance.now() - t0;
    log(`preview peer: prometheus ${bins.version} ready in ${(startMs / 1000).toFixed(2)} s`);

    const api = async (endpoint, params) => {
      const r = await fetch(`${url}/api/v1/${endpoint}`, { method: 'POST', body: new URLSearchParams(params), signal: AbortSignal.timeout(queryTimeoutMs) });
      const body = await r.json();
      if (body.status !== 'success') throw new Error(`${endpoint} ${params.query}: ${body.error ?? r.status}`);
      return body.data.result;
    };
    t0 = performance.now();
    let queries = 0, points = 0;
    const errorRatios = {};
    const CHUNK = 10_000 * 60_000;
    for (const k of KINDS) {
      for (const w of [k.window, ...BURN_WINDOWS]) {
        const res = await api('query', { query: k.err(w), time: seconds(atMs) });
        queries++;
        if (w === k.window) for (const s of res) errorRatios[`slo:${s.metric.job}.${k.slo}`] = Number(s.value[1]);
      }
      for (const [factor, long, short] of RULES) {
        const thr = factor * k.scale * k.budget;
        const expr = `(${k.err(long)} > ${thr}) and (${k.err(short)} > ${thr})`;
        for (let s = gridStartMs; s <= gridEndMs; s += CHUNK) {
          const res = await api('query_range', { query: expr, start: seconds(s), end: seconds(Math.min(gridEndMs, s + CHUNK - 60_000)), step: '60' });
          queries++;
          for (const x of res) points += x.values.length;
        }
      }
    }
    const queriesMs = performance.now() - t0;
    log(`preview peer: ${queries} queries in ${(queriesMs / 1000).toFixed(1)} s (${points} alert-condition steps true)`);
    return { version: bins.version, backfillMs, blocks, startMs, queriesMs, queries, conditionPoints: points, errorRatios };
  } finally {
    if (child && !exited) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(10_000)]);
      if (!exited) child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

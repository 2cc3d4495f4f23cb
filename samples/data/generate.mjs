#!/usr/bin/env node
// Sample data for samples/: 30 days of 1-minute scrapes of the counters, histograms and gauges the
// samples' ratio, latency and timeslice SLIs read, and 5-minute KPI series, as OpenMetrics text that
// `promtool tsdb create-blocks-from openmetrics` reads (and `pace preview` reads Brotli-compressed, .om.br: half the size of gzip on these counters).
// Deterministic: the only randomness is seeded PRNGs (mulberry32, seed 7; seed 11 for the gauges,
// so that adding them changed no other series), so running it again writes the same bytes
// (Brotli quality 11).
//
//   node samples/data/generate.mjs            → samples/data/shop.om.br
//   node samples/data/generate.mjs --days 3   → a shorter set (to stdout with --stdout)
//
// What happens in the data (UTC):
// - traffic follows the day (busiest at 18:00), a few errors per thousand requests or fewer;
// - 2026-10-10 03:00: checkout's pods restart, every checkout counter resets to 0;
// - 2026-10-21 14:00–14:40: checkout and payments fail 18% of requests (an incident that pages);
// - from 2026-10-24: checkout's and the web pages' slow requests grow (a latency regression);
// - checkout conversion rises from 2.9% to 3.3% over the month (towards its 3.5% target), the
//   payments bug backlog climbs towards 10, deployments and lead times move slowly;
// - gauges for the timeslice SLIs: the warehouses' stock sync lag (good below 30 s) is 2–10 s, with
//   a full resync at 23:00 every night that lags Paris for 2 minutes, Paris' exporter down on
//   2026-10-07 13:00–13:25 (no samples: Lyon alone decides those minutes), and Lyon's sync stuck
//   on 2026-10-14 08:40–11:10 (tickets); replication lag (good up to 5 s) is under a second, with
//   a minute of lag on pg-main-2 during the 04:00 batch every night, and pg-main-3 rebuilt on
//   2026-10-27: not scraped 09:00–09:40, then catching up from 15 minutes behind until 10:25 (tickets).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const START = Date.UTC(2026, 9, 1); // 2026-10-01T00:00:00Z
export const RESTART = Date.UTC(2026, 9, 10, 3, 0);
export const INCIDENT = [Date.UTC(2026, 9, 21, 14, 0), Date.UTC(2026, 9, 21, 14, 40)];
export const REGRESSION = Date.UTC(2026, 9, 24);
export const PAR_EXPORTER_DOWN = [Date.UTC(2026, 9, 7, 13, 0), Date.UTC(2026, 9, 7, 13, 25)];
export const LYO_SYNC_STUCK = [Date.UTC(2026, 9, 14, 8, 40), Date.UTC(2026, 9, 14, 11, 10)];
export const REPLICA_REBUILD = [Date.UTC(2026, 9, 27, 9, 0), Date.UTC(2026, 9, 27, 9, 40), Date.UTC(2026, 9, 27, 10, 25)];
/** Counters have been running for a while when the data starts (minutes of traffic already counted). */
const RUNNING = 2000;

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Requests per minute at t for a service with `base` requests per minute on average. */
function traffic(base, t, rnd) {
  const hour = ((t % DAY) / HOUR + 24) % 24;
  const daily = 1 + 0.45 * Math.sin((2 * Math.PI * (hour - 12)) / 24);
  return Math.max(0, Math.round(base * daily * (0.97 + 0.06 * rnd())));
}

/** Deterministic counts of a share p of n events: fractions carried from minute to minute. */
function sharer() {
  let carry = 0;
  return (n, p) => {
    carry += n * p;
    const k = Math.floor(carry);
    carry -= k;
    return Math.min(n, k);
  };
}

/**
 * The sample data: OpenMetrics text ending in `# EOF`. `days` of data from `start` (the samples'
 * month by default); `restartAt`/`incident` move the events (the agreement test uses a short set).
 */
export function generate({
  days = 30,
  start = START,
  restartAt = RESTART,
  incident = INCIDENT,
  regressionAt = REGRESSION,
  kpis = true,
  exporterDown = PAR_EXPORTER_DOWN,
  syncStuck = LYO_SYNC_STUCK,
  rebuild = REPLICA_REBUILD,
} = {}) {
  const rnd = mulberry32(7);
  const n = days * 1440 + 1;
  const times = Array.from({ length: n }, (_, i) => start + i * MIN);
  const isIncident = (t) => t >= incident[0] && t < incident[1];
  const families = []; // { name, type, series: [{ labels, values }] }
  const family = (name, type) => {
    let f = families.find((x) => x.name === name);
    if (!f) families.push((f = { name, type, series: [] }));
    return f;
  };
  const add = (f, metric, labels, values, step = 1) => f.series.push({ metric, labels, values, step });

  // ---- ratio SLIs: http_requests_total{job, code} and friends ----
  const http = family('http_requests', 'counter');
  const jobs = [
    { job: 'checkout', base: 900, err: 0.0004, incident: 0.18, restart: true },
    { job: 'inventory', base: 1200, err: 0.0001 },
    { job: 'identity', base: 2000, err: 0.00003 },
    { job: 'catalog', base: 3000, err: 0.0002 },
    { job: 'web-frontend', base: 4000, err: 0.0003 },
  ];
  for (const j of jobs) {
    const ok = [];
    const bad = [];
    let a = RUNNING * j.base;
    let b = Math.round(a * j.err);
    const share = sharer();
    for (const t of times) {
      if (j.restart && t === restartAt) {
        a = 0;
        b = 0;
      }
      const req = traffic(j.base, t, rnd);
      const e = share(req, j.incident && isIncident(t) ? j.incident : j.err);
      a += req - e;
      b += e;
      ok.push(a);
      bad.push(b);
    }
    add(http, 'http_requests_total', { code: '200', job: j.job }, ok);
    add(http, 'http_requests_total', { code: '500', job: j.job }, bad);
  }

  const pair = (base, err, incidentShare) => {
    const ok = [];
    const bad = [];
    let a = RUNNING * base;
    let b = Math.round(a * err);
    const share = sharer();
    for (const t of times) {
      const req = traffic(base, t, rnd);
      const e = share(req, incidentShare && isIncident(t) ? incidentShare : err);
      a += req - e;
      b += e;
      ok.push(a);
      bad.push(b);
    }
    return { ok, bad };
  };
  {
    const { ok, bad } = pair(700, 0.0001, 0.18);
    const f = family('payments_requests', 'counter');
    add(f, 'payments_requests_total', { outcome: 'error', service: 'payments-api' }, bad);
    add(f, 'payments_requests_total', { outcome: 'ok', service: 'payments-api' }, ok);
  }
  {
    const { ok, bad } = pair(5000, 0.00001);
    const all = ok.map((x, i) => x + bad[i]);
    add(family('pgbouncer_queries', 'counter'), 'pgbouncer_queries_total', { cluster: 'main' }, all);
    add(family('pgbouncer_query_errors', 'counter'), 'pgbouncer_query_errors_total', { cluster: 'main' }, bad);
  }
  {
    const { ok, bad } = pair(3000, 0.00002);
    add(family('kafka_producer_record_error', 'counter'), 'kafka_producer_record_error_total', { cluster: 'events' }, bad);
    add(family('kafka_producer_record_send', 'counter'), 'kafka_producer_record_send_total', { cluster: 'events' }, ok.map((x, i) => x + bad[i]));
  }
  {
    const { ok, bad } = pair(1500, 0.01);
    const f = family('recommendation_requests', 'counter');
    add(f, 'recommendation_requests_total', { outcome: 'fallback' }, bad);
    add(f, 'recommendation_requests_total', { outcome: 'served' }, ok);
  }

  // ---- latency SLIs: histograms with the threshold's bucket, +Inf and _count ----
  const histogram = (name, labels, le, base, slow, slowAfter, restart) => {
    const f = family(name, 'histogram');
    const fast = [];
    const count = [];
    let c = RUNNING * base;
    let a = Math.round(c * (1 - slow));
    const share = sharer();
    for (const t of times) {
      if (restart && t === restartAt) {
        a = 0;
        c = 0;
      }
      const req = traffic(base, t, rnd);
      let p = slow;
      if (slowAfter !== undefined && t >= regressionAt) p = slow + slowAfter * Math.min(1, (t - regressionAt) / (3 * DAY));
      const s = share(req, p);
      a += req - s;
      c += req;
      fast.push(a);
      count.push(c);
    }
    add(f, `${name}_bucket`, { ...labels, le }, fast);
    add(f, `${name}_bucket`, { ...labels, le: '+Inf' }, count);
    add(f, `${name}_count`, labels, count);
  };
  histogram('http_request_duration_seconds', { job: 'checkout' }, '0.3', 900, 0.004, 0.02, true);
  histogram('http_request_duration_seconds', { job: 'web-frontend', route: '/products' }, '0.8', 4000, 0.02, 0.03);
  histogram('payments_authorisation_duration_seconds', { service: 'payments-api' }, '1', 700, 0.001);
  histogram('search_request_duration_seconds', { job: 'catalog' }, '0.2', 3000, 0.003);

  // ---- timeslice SLIs: gauges scraped every minute (a gap is a stretch without samples) ----
  {
    const g = mulberry32(11);
    const minuteOfDay = (t) => (((t % DAY) + DAY) % DAY) / MIN;
    const gauge = (name, metric, labels, value, gap) => {
      const f = family(name, 'gauge');
      const values = [];
      const at = [];
      times.forEach((t, i) => {
        const v = value(t);
        if (gap && t >= gap[0] && t < gap[1]) return;
        values.push(v);
        at.push(i);
      });
      f.series.push({ metric, labels, values, at });
    };
    const within = (t, span) => t >= span[0] && t < span[1];
    // Gauges hold their value for a while, as a lag exporter's does (and it keeps the file small).
    const sticky = (next) => {
      let x = next();
      return () => (g() < 0.2 ? (x = next()) : x);
    };
    const syncLag = () => sticky(() => 2 + Math.floor(g() * 9));
    const lyo = syncLag();
    const par = syncLag();
    gauge('inventory_sync_lag_seconds', 'inventory_sync_lag_seconds', { warehouse: 'lyo' }, (t) => (within(t, syncStuck) ? 40 + (t - syncStuck[0]) / 1000 : lyo()));
    gauge('inventory_sync_lag_seconds', 'inventory_sync_lag_seconds', { warehouse: 'par' }, (t) => (minuteOfDay(t) >= 1380 && minuteOfDay(t) < 1382 ? 45 + Math.floor(g() * 30) : par()), exporterDown);
    const replLag = () => sticky(() => Math.round(1 + g() * 8) / 10);
    const pg2 = replLag();
    const pg3 = replLag();
    gauge('pg_replication_lag_seconds', 'pg_replication_lag_seconds', { cluster: 'main', instance: 'pg-main-2' }, (t) => (minuteOfDay(t) === 240 ? 6 + Math.floor(g() * 7) : pg2()));
    gauge(
      'pg_replication_lag_seconds',
      'pg_replication_lag_seconds',
      { cluster: 'main', instance: 'pg-main-3' },
      // After the rebuild the replica catches up from 15 minutes behind, linearly, until rebuild[2].
      (t) => (t >= rebuild[1] && t < rebuild[2] ? Math.round(((rebuild[2] - t) / (rebuild[2] - rebuild[1])) * 900 + 2) : pg3()),
      [rebuild[0], rebuild[1]],
    );
  }

  // ---- KPI series, every 5 minutes ----
  if (kpis) {
    const k = times.filter((_, i) => i % 5 === 0);
    const progress = (t) => (t - start) / (days * DAY);
    const counterOf = (perStep) => {
      let x = 0;
      return k.map((t) => (x += perStep(t)));
    };
    const share = sharer();
    const started = [];
    const completed = [];
    {
      let s = 0;
      let c = 0;
      for (const t of k) {
        const n = traffic(400, t, rnd);
        s += n;
        c += share(n, 0.029 + 0.004 * progress(t));
        started.push(s);
        completed.push(c);
      }
    }
    add(family('checkout_started', 'counter'), 'checkout_started_total', {}, started, 5);
    add(family('checkout_completed', 'counter'), 'checkout_completed_total', {}, completed, 5);
    const baskets = [];
    const paid = [];
    const revenue = [];
    const orderValue = [];
    {
      const sh = sharer();
      let b = 0;
      let p = 0;
      let r = 0;
      for (const t of k) {
        const n = traffic(60, t, rnd);
        const o = sh(n, 0.44);
        b += n;
        p += o;
        const value = Math.round(6200 + 900 * rnd()) / 100;
        r += Math.round(o * value);
        baskets.push(b);
        paid.push(p);
        revenue.push(r);
        orderValue.push(value);
      }
    }
    add(family('baskets_created', 'counter'), 'baskets_created_total', { channel: 'web' }, baskets, 5);
    add(family('orders_paid', 'counter'), 'orders_paid_total', { channel: 'web' }, paid, 5);
    add(family('order_revenue_euros', 'counter'), 'order_revenue_euros_total', { channel: 'web', status: 'paid' }, revenue, 5);
    add(family('order_value_euros', 'gauge'), 'order_value_euros', { channel: 'web' }, orderValue, 5);
    // The backlog climbs by about one bug every four days, towards the target's 10.
    add(family('open_bug_tickets', 'gauge'), 'open_bug_tickets', { priority: 'P1', team: 'payments' }, k.map((t) => 2 + Math.floor(progress(t) * 4)), 5);
    add(family('open_bug_tickets', 'gauge'), 'open_bug_tickets', { priority: 'P2', team: 'payments' }, k.map((t) => 1 + Math.floor(progress(t) * 3 + (((t / HOUR) | 0) % 24 >= 12 ? 0.5 : 0))), 5);
    const deployEvery = 4 * HOUR;
    add(family('deployments', 'counter'), 'deployments_total', { env: 'prod', team: 'payments' }, counterOf((t) => (t % deployEvery === 0 ? 1 : 0)), 5);
    add(family('failed_deployments', 'counter'), 'failed_deployments_total', { env: 'prod', team: 'payments' }, counterOf((t) => (t % (deployEvery * 9) === 0 ? 1 : 0)), 5);
    add(family('deployment_lead_time_seconds', 'gauge'), 'deployment_lead_time_seconds', { team: 'payments' }, k.map((t) => Math.round((14 + 6 * rnd() + 4 * progress(t)) * 3600)), 5);
    add(family('incident_resolution_seconds', 'gauge'), 'incident_resolution_seconds', { team: 'payments' }, k.map((t) => Math.round(2400 + 600 * Math.sin(t / DAY))), 5);
  }

  const out = [];
  for (const f of families) {
    out.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.series) {
      const labels = Object.keys(s.labels)
        .sort()
        .map((key) => `${key}="${s.labels[key]}"`)
        .join(',');
      const head = labels ? `${s.metric}{${labels}} ` : `${s.metric} `;
      // `at`: the sample indices of a series with gaps; else one sample every `step` minutes.
      for (let i = 0; i < s.values.length; i++) out.push(`${head}${s.values[i]} ${(start + (s.at ? s.at[i] : i * s.step) * MIN) / 1000}`);
    }
  }
  out.push('# EOF', '');
  return out.join('\n');
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  const daysAt = args.indexOf('--days');
  const days = daysAt >= 0 ? Number(args[daysAt + 1]) : 30;
  const text = generate({ days });
  if (args.includes('--stdout')) process.stdout.write(text);
  else {
    const file = join(dirname(fileURLToPath(import.meta.url)), 'shop.om.br');
    const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: text.length };
    writeFileSync(file, brotliCompressSync(text, { params }));
    process.stderr.write(`wrote ${file}\n`);
  }
}

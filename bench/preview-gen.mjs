// Synthetic workloads for the preview benchmark (`node bench/run.mjs --only preview`): a Pace project
// of N services with 2 SLOs each, and their sample data — 1-minute scrapes of 4 counters per service —
// either built in memory as the evaluator's Series (Float64Arrays) or streamed to an OpenMetrics file
// that `pace preview` and `promtool tsdb create-blocks-from openmetrics` both read.
//
// Per service svc_NNNN:
//   sli requests = ratio   bad = http_requests_total{job, code="500"}, total = http_requests_total{job}
//   sli fast     = latency http_request_duration_seconds{job} under 300ms (_bucket{le="0.3"} / _count)
//   slo availability: 99.9% over 30d, alerting = default (the SRE workbook's 4 burn-rate rules)
//   slo fast:         99% over 28d, alerting = default
// so each SLO reads two series (ok + error requests; the 0.3 s bucket + the count), and a month of
// 1-minute samples is 2 × 43,200 samples per SLO. The data is deterministic (a seeded PRNG per
// service): traffic follows the day, errors are a few per ten thousand, every third service has an
// incident (15% errors and slow requests for 20–110 minutes: pages fire), every seventh service's
// counters reset once (a restart), scrapes are jittered by a few milliseconds around a per-service
// offset, as Prometheus scrapes a target.
import fs from 'node:fs';
import path from 'node:path';

export const START = Date.UTC(2026, 9, 1); // 2026-10-01T00:00:00Z
const MIN = 60_000;
const DAY = 86_400_000;

export const svcId = (i) => `svc_${String(i).padStart(4, '0')}`;

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The .pace text of services [first, last). */
export function paceServices(first, last) {
  let out = '';
  for (let i = first; i < last; i++) {
    const s = svcId(i);
    out += `service ${s} {
  owner = "team-${i % 37}"
  tier  = high

  sli requests = ratio {
    bad   = http_requests_total{job="${s}", code="500"}
    total = http_requests_total{job="${s}"}
  }

  sli fast = latency {
    histogram = http_request_duration_seconds{job="${s}"}
    under     = 300ms
  }

  slo availability {
    sli       = requests
    objective = 99.9%
    window    = 30d
    alerting  = default
  }

  slo fast {
    sli       = fast
    objective = 99%
    window    = 28d
    alerting  = default
  }
}

`;
  }
  return out;
}

/** The project's files (10 services a file): [name, text][]. */
export function paceProject(services) {
  const files = [];
  for (let f = 0; f * 10 < services; f++) files.push([`part_${String(f).padStart(3, '0')}.pace`, paceServices(f * 10, Math.min(services, f * 10 + 10))]);
  return files;
}

/** Writes the project into `dir` (emptied first); returns the folder. */
export function writePaceProject(dir, services) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of paceProject(services)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/**
 * The 4 series of service `i` over `days` days of 1-minute scrapes from `start`, each with its own
 * timestamp array (as a loader would produce them): [{ metric, labels, t, v }].
 */
export function serviceSeries(i, days, start = START) {
  const n = days * 1440;
  const rnd = mulberry32(i + 1);
  const offset = (i * 7919) % 60_000; // the target's scrape offset
  const t = new Float64Array(n);
  for (let k = 0; k < n; k++) t[k] = start + k * MIN + offset + Math.floor(rnd() * 8); // a few ms of jitter
  const base = 200 + ((i * 37) % 800); // requests per minute
  const incident = i % 3 === 0 ? [start + (1 + ((i * 5) % Math.max(1, days - 2))) * DAY + ((i * 13) % 20) * 3_600_000, 0] : undefined;
  if (incident) incident[1] = incident[0] + (20 + (i % 10) * 10) * MIN;
  const resetAt = i % 7 === 0 ? Math.floor(n * (0.2 + ((i * 3) % 7) / 10)) : -1;
  const ok = new Float64Array(n), err = new Float64Array(n), fast = new Float64Array(n), count = new Float64Array(n);
  let a = 5000 * base, b = 2 * base, c = 4900 * base, d = 5000 * base + 2 * base;
  let carryErr = 0, carrySlow = 0;
  for (let k = 0; k < n; k++) {
    if (k === resetAt) a = b = c = d = 0;
    const hour = ((t[k] % DAY) / 3_600_000 + 24) % 24;
    const req = Math.max(0, Math.round(base * (1 + 0.45 * Math.sin((2 * Math.PI * (hour - 12)) / 24)) * (0.95 + 0.1 * rnd())));
    const bad = incident && t[k] >= incident[0] && t[k] < incident[1];
    carryErr += req * (bad ? 0.15 : 0.0003 * (0.5 + rnd()));
    carrySlow += req * (bad ? 0.2 : 0.004 * (0.5 + rnd()));
    const e = Math.min(req, Math.floor(carryErr));
    const slow = Math.min(req, Math.floor(carrySlow));
    carryErr -= e;
    carrySlow -= slow;
    a += req - e;
    b += e;
    c += req - slow;
    d += req;
    ok[k] = a;
    err[k] = b;
    fast[k] = c;
    count[k] = d;
  }
  const job = svcId(i);
  return [
    { metric: 'http_requests_total', labels: { code: '200', job }, t, v: ok },
    { metric: 'http_requests_total', labels: { code: '500', job }, t: t.slice(), v: err },
    { metric: 'http_request_duration_seconds_bucket', labels: { job, le: '0.3' }, t: t.slice(), v: fast },
    { metric: 'http_request_duration_seconds_count', labels: { job }, t: t.slice(), v: count },
  ];
}

const labelText = (labels) =>
  `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',')}}`;

/**
 * Streams the OpenMetrics text of services [first, last) over `days` days to `file` (series after
 * series, `# EOF` at the end; timestamps in seconds with milliseconds). Returns its size and counts.
 */
export function writeOpenMetricsFile(file, { first = 0, last, days, start = START }) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let bytes = 0, samples = 0, series = 0;
  try {
    let buf = '';
    const flush = () => {
      bytes += fs.writeSync(fd, buf);
      buf = '';
    };
    for (let i = first; i < last; i++) {
      for (const s of serviceSeries(i, days, start)) {
        const head = `${s.metric}${labelText(s.labels)} `;
        for (let k = 0; k < s.t.length; k++) {
          const ms = s.t[k];
          const sec = Math.floor(ms / 1000);
          const frac = ms - sec * 1000;
          buf += `${head}${s.v[k]} ${sec}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}\n`;
          if (buf.length > 1 << 20) flush();
        }
        samples += s.t.length;
        series++;
      }
    }
    buf += '# EOF\n';
    flush();
  } finally {
    fs.closeSync(fd);
  }
  return { file, bytes, samples, series, services: last - first, days };
}

/** Bytes one service's `days` of data takes in OpenMetrics (measured on service `i`). */
export function bytesPerService(days, i = 1) {
  let bytes = 0;
  for (const s of serviceSeries(i, days)) {
    const head = `${s.metric}${labelText(s.labels)} `.length;
    for (let k = 0; k < s.t.length; k++) bytes += head + String(s.v[k]).length + 1 + 14 + 1;
  }
  return bytes;
}

// A small project and ten days of 1-minute sample data for the HTML preview's tests: a checkout
// service (a ratio SLI with an incident that pages, a latency SLI with a slow drift), an SLA, a
// KPI trending toward its target. Built in memory, deterministic (a seeded PRNG).
import { Workspace, type NormalizedModel, type SampleData, type Series } from '../../server/src/core/index.js';

export const PROJECT = `
alerting paging {
  page   when burn_rate > 14.4 over 1h and 5m
  ticket when burn_rate > 1 over 1d and 2h
}

/// Takes the shopper's money.
service checkout {
  title       = "Checkout"
  description = "The payment page & its API."
  owner       = "shop-team"
  tier        = critical
  labels      { team = "shop" }

  /// Requests that did not fail.
  sli availability = ratio {
    bad   = http_requests_total{service="checkout", code="500"}
    total = http_requests_total{service="checkout"}
  }

  sli fast = latency {
    histogram = http_request_duration_seconds{service="checkout"}
    under     = 300ms
  }

  /// One request in a thousand may fail.
  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 7d
    alerting  = paging
  }

  slo fast {
    sli       = fast
    objective = 99%
    window    = 7d
    alerting  = none
  }

  sla merchants {
    slo       = availability
    objective = 99.5%
    window    = calendar month
    credit 10% below 99.5%
  }
}

objective growth {
  title = "Grow conversion"
  kpi conversion {
    measure = ratio(checkout_completed_total, checkout_started_total)
    target  >= 3.5%
    window  = 2d
  }
}
`;

/** Hostile strings in every place a user can write one: titles, doc comments, labels, selectors. */
export const XSS_PROJECT = `
/// "><img src=x onerror=alert(1)> and <script>alert(1)</script>
service evil {
  title  = "<script>alert(1)</script>"
  owner  = "\\"><img src=x onerror=alert(1)>"
  labels { team = "</script><!--" }

  /// <script>alert(1)</script>
  sli ok = ratio {
    bad   = http_requests_total{service="checkout", code="500"}
    total = http_requests_total{service="checkout"}
  }
  /// "><img src=x onerror=alert(1)>
  slo ok {
    sli       = ok
    objective = 99%
    window    = 7d
  }
}

objective grow {
  kpi odd {
    measure = ratio(checkout_completed_total{note!="</script><!--"}, checkout_started_total)
    target  >= 3.5%
    window  = 2d
  }
}
`;

export const START = Date.UTC(2026, 9, 1);
export const DAYS = 10;
export const INCIDENT = [Date.UTC(2026, 9, 8, 14, 0), Date.UTC(2026, 9, 8, 14, 40)];
const MIN = 60_000;

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function counter(metric: string, labels: Record<string, string>, t: Float64Array, perMinute: (ms: number, i: number) => number): Series {
  const v = new Float64Array(t.length);
  let x = 0;
  for (let i = 0; i < t.length; i++) {
    x += perMinute(t[i], i);
    v[i] = x;
  }
  return { metric, labels, t, v };
}

/** The model of a project text; throws on any diagnostic. */
export function modelOf(text: string): NormalizedModel {
  const ws = new Workspace();
  ws.setFile('file:///project/main.pace', text);
  const a = ws.analyze();
  const problems = a.diagnostics.filter((d) => d.severity !== 'info' && d.severity !== 'hint');
  if (problems.length) throw new Error(problems.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return a.normalized().model;
}

/** `days` of 1-minute data from START. */
export function sampleData(days = DAYS): SampleData {
  const rnd = mulberry32(7);
  const n = days * 1440;
  const t = Float64Array.from({ length: n }, (_, i) => START + i * MIN);
  const traffic = Array.from({ length: n }, (_, i) => Math.round(600 * (1 + 0.4 * Math.sin((2 * Math.PI * (i % 1440)) / 1440)) * (0.95 + 0.1 * rnd())));
  const incident = (ms: number) => ms >= INCIDENT[0] && ms < INCIDENT[1];
  const errors = traffic.map((r, i) => Math.round(r * (incident(t[i]) ? 0.2 : 0.0003 * rnd())));
  const slowShare = (i: number) => 0.002 + (0.012 * i) / n;
  const base = { service: 'checkout' };
  const series: Series[] = [
    counter('http_requests_total', { ...base, code: '200' }, t, (_, i) => traffic[i] - errors[i]),
    counter('http_requests_total', { ...base, code: '500' }, t, (_, i) => errors[i]),
    counter('http_request_duration_seconds_bucket', { ...base, le: '0.3' }, t, (_, i) => Math.round(traffic[i] * (1 - slowShare(i)))),
    counter('http_request_duration_seconds_bucket', { ...base, le: '+Inf' }, t, (_, i) => traffic[i]),
    counter('http_request_duration_seconds_count', base, t, (_, i) => traffic[i]),
    counter('checkout_started_total', {}, t, (_, i) => traffic[i]),
    counter('checkout_completed_total', {}, t, (_, i) => Math.round(traffic[i] * (0.029 + (0.004 * i) / n))),
  ];
  return { series, issues: [] };
}

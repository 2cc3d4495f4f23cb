import { describe, expect, it } from 'vitest';
import { hover } from '../../../server/src/core/ide/index.js';
import { analyzeFixture } from '../../helpers/fixture.js';

function hoverAt(src: string) {
  const { analysis, uri, offset, fx } = analyzeFixture(src);
  return { h: hover(analysis, uri, offset), fx };
}

const BASE = `
/// The storefront's purchase flow.
service checkout {
  title = "Checkout"
  owner = "payments-team"
  tier  = critical

  /// Requests that did not fail on the server side.
  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }

  /// The main objective.
  slo AVAIL_NAME {
    sli       = SLI_REF
    objective = OBJECTIVE
    window    = 30d
    alerting  = ALERTING
  }

  slo monthly {
    sli       = availability
    objective = 99.9%
    window    = calendar month
    alerting  = none
  }

  sla SLA_NAME {
    slo       = availability
    objective = 99.5%
    window    = calendar month
    credit 10% below 99.5%
    credit 25% below 99%
  }
}

alerting POLICY {
  RULE
  page   when burn_rate > 6    over 6h and 30m
  ticket when burn_rate > 3    over 1d and 2h
  ticket when burn_rate > 1    over 3d and 6h
}
`;

function src(parts: Partial<Record<'AVAIL_NAME' | 'SLI_REF' | 'OBJECTIVE' | 'ALERTING' | 'SLA_NAME' | 'POLICY' | 'RULE', string>>): string {
  const d = { AVAIL_NAME: 'availability', SLI_REF: 'availability', OBJECTIVE: '99.9%', ALERTING: 'standard', SLA_NAME: 'enterprise', POLICY: 'standard', RULE: 'page   when burn_rate > 14.4 over 1h and 5m', ...parts };
  let s = BASE;
  for (const [k, v] of Object.entries(d)) s = s.replace(k, v);
  return s;
}

describe('hover', () => {
  it('shows an SLO’s error budget as ratio and time, and its alert rules, on its name', () => {
    const { h } = hoverAt(src({ AVAIL_NAME: 'avail<|>ability' }));
    expect(h).toBeDefined();
    const c = h!.contents;
    expect(c).toContain('**SLO** `checkout.availability`');
    expect(c).toContain('The main objective.');
    expect(c).toContain('**0.1%** of events');
    expect(c).toContain('**43m12s** of full outage per 30d');
    expect(c).toContain("policy `standard`");
    // 14.4 × 0.1% = 1.44% error rate; 14.4 × 1h / 30d = 2% of the budget; 1.44% × 1h = 51.84s.
    expect(c).toMatch(/\| page \| 14\.4× \| 1h \/ 5m \| 1\.44% \| 2% \| 51\.84s \|/);
    expect(c).toMatch(/\| ticket \| 1× \| 3d \/ 6h \| 0\.1% \| 10% \| 4m19s \|/);
  });

  it('shows the same on the objective value', () => {
    const { h, fx } = hoverAt(src({ OBJECTIVE: '99.<|>9%' }));
    expect(h!.contents).toContain('43m12s');
    const text = fx.files[0].text;
    expect(text.slice(h!.range.start, h!.range.end)).toBe('99.9%');
  });

  it('gives the min/max budget of a calendar month', () => {
    const { h } = hoverAt(src({}).replace('slo monthly', 'slo mon<|>thly'));
    expect(h!.contents).toContain('40m19.2s–44m38.4s');
    expect(h!.contents).toContain('`none`');
  });

  it('scales the default policy to the SLO window', () => {
    const { h } = hoverAt(src({ ALERTING: 'defa<|>ult' }));
    expect(h!.contents).toContain('SRE workbook');
    expect(h!.contents).toMatch(/\| page \| 14\.4× \| 1h \/ 5m \| 1\.44% \| 2% \| 51\.84s \|/);
  });

  it('shows an SLA’s monthly downtime and credit tiers', () => {
    const { h } = hoverAt(src({ SLA_NAME: 'enter<|>prise' }));
    const c = h!.contents;
    expect(c).toContain('Allowed downtime per month: **3h36m**');
    expect(c).toContain('3h21m36s in a 28-day month');
    expect(c).toContain('3h43m12s in a 31-day month');
    expect(c).toContain('| 10% | 99.5% |');
    expect(c).toContain('| 25% | 99% | 7h12m per month |');
  });

  it('explains an alert rule of a policy, budget-independently and per SLO using it', () => {
    const { h } = hoverAt(src({ RULE: 'page   when burn_rate > 14.4 over 1h and <|>5m' }));
    const c = h!.contents;
    expect(c).toContain('**14.4×**');
    expect(c).toContain('**2%** of the budget');
    expect(c).toMatch(/\| `checkout.availability` \| 99\.9% \/ 30d \| 1\.44% \| 2% \| 51\.84s \|/);
  });

  it('shows a policy’s rules and users on its name', () => {
    const { h } = hoverAt(src({ POLICY: 'stan<|>dard' }));
    expect(h!.contents).toContain('**alerting policy** `standard`');
    expect(h!.contents).toContain('Used by `checkout.availability`');
  });

  it('shows the target’s doc and summary on a reference', () => {
    const { h, fx } = hoverAt(src({ SLI_REF: 'avail<|>ability' }));
    expect(h!.contents).toContain('**ratio SLI** `checkout.availability`');
    expect(h!.contents).toContain('Requests that did not fail on the server side.');
    expect(fx.files[0].text.slice(h!.range.start, h!.range.end)).toBe('availability');
  });

  it('shows attribute documentation from the block table', () => {
    const { h } = hoverAt('service a {\n  ow<|>ner = "x"\n}\n');
    expect(h!.contents).toContain('**owner**');
    expect(h!.contents).toContain('The team that owns the service.');
  });

  it('shows block documentation on a keyword without a symbol, and service facts on its name', () => {
    expect(hoverAt('service a {\n  lab<|>els { team = "x" }\n}\n').h!.contents).toContain('**Labels**');
    const { h } = hoverAt(src({}).replace('service checkout', 'service check<|>out'));
    expect(h!.contents).toContain('Checkout');
    expect(h!.contents).toContain("The storefront's purchase flow.");
    expect(h!.contents).toContain('owner payments-team · tier critical · 1 SLIs, 2 SLOs, 1 SLAs');
  });

  it('explains enum values and durations', () => {
    expect(hoverAt('service a {\n  tier = crit<|>ical\n}\n').h!.contents).toContain('an outage stops the business');
    expect(hoverAt('service a {\n  sli l = latency {\n    under = 3<|>00ms\n  }\n}\n').h!.contents).toContain('0.3 s');
  });

  it('returns nothing on whitespace', () => {
    expect(hoverAt('service a {\n<|>\n}\n').h).toBeUndefined();
  });
});

describe('hover: metric selectors', () => {
  const RATIO = (good: string, total: string) => `service checkout {
  sli availability = ratio {
    ${good}
    ${total}
  }
  sli fast = latency {
    histogram = http_request_duration_seconds{job="checkout"}
    under     = 300ms
  }
  sli queue = timeslice {
    gauge     = queue_depth
    good_when < 100
    slice     = 1m
  }
}
objective growth {
  kpi conversion {
    measure = ratio(checkout_completed_total{env="prod"}, checkout_started_total)
    target >= 3.5%
    window = 28d
  }
  kpi latency {
    measure = p99(checkout_seconds)
    target <= 2s
    window = 7d
  }
}
`;

  it('shows a ratio SLI’s selector as PromQL, its role and the error ratio Pace derives', () => {
    const { h, fx } = hoverAt(RATIO('good  = http_requests_total{job="checkout", code!~<|>"5.."}', 'total = http_requests_total{job="checkout"}'));
    expect(h).toBeDefined();
    const text = fx.files[0].text;
    expect(text.slice(h!.range.start, h!.range.end)).toBe('http_requests_total{job="checkout", code!~"5.."}');
    const c = h!.contents;
    expect(c).toContain('**Metric selector** `good` of ratio SLI `checkout.availability`');
    expect(c).toContain('```promql\nhttp_requests_total{job="checkout", code!~"5.."}\n```');
    expect(c).toContain('Counter of good events.');
    expect(c).toContain('generators will use');
    expect(c).toContain('```promql\n1 - sum(increase(http_requests_total{job="checkout", code!~"5.."}[$window])) / sum(increase(http_requests_total{job="checkout"}[$window]))\n```');
  });

  it('derives the error ratio from bad events without 1 -, also on total', () => {
    const { h } = hoverAt(RATIO('bad = http_requests_total{code=~"5.."}', 'total = http_<|>requests_total'));
    expect(h!.contents).toContain('**Metric selector** `total`');
    expect(h!.contents).toContain('Counter of all events.');
    expect(h!.contents).toContain('```promql\nsum(increase(http_requests_total{code=~"5.."}[$window])) / sum(increase(http_requests_total[$window]))\n```');
  });

  it('says what is missing when the error ratio cannot be derived', () => {
    const { h } = hoverAt(RATIO('total = http_<|>requests_total', ''));
    expect(h!.contents).toContain('needs `total` and one of `good` or `bad`');
  });

  it('shows a latency histogram and a time-slice gauge with their role', () => {
    const lat = hoverAt(RATIO('good = g', 'total = t').replace('histogram = http_request_', 'histogram = http_<|>request_')).h!.contents;
    expect(lat).toContain('```promql\nhttp_request_duration_seconds{job="checkout"}\n```');
    expect(lat).toContain('A Prometheus histogram');
    expect(lat).toContain('faster than 300ms');
    const gauge = hoverAt(RATIO('good = g', 'total = t').replace('gauge     = queue_depth', 'gauge     = queue_<|>depth')).h!.contents;
    expect(gauge).toContain('```promql\nqueue_depth\n```');
    expect(gauge).toContain('good when this gauge is < 100');
  });

  it('shows the arguments of a KPI’s measure', () => {
    const num = hoverAt(RATIO('good = g', 'total = t').replace('ratio(checkout_completed_total', 'ratio(checkout_<|>completed_total'));
    expect(num.h!.contents).toContain('```promql\ncheckout_completed_total{env="prod"}\n```');
    expect(num.h!.contents).toContain('the numerator');
    expect(num.h!.contents).toContain('KPI `growth.conversion`');
    expect(num.h!.contents).toContain('28d');
    const den = hoverAt(RATIO('good = g', 'total = t').replace(', checkout_started_total', ', checkout_<|>started_total'));
    expect(den.h!.contents).toContain('the denominator');
    const p99 = hoverAt(RATIO('good = g', 'total = t').replace('p99(checkout_seconds)', 'p99(checkout_<|>seconds)'));
    expect(p99.h!.contents).toContain('the series `p99(…)` aggregates');
  });
});

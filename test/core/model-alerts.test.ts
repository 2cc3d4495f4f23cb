// The model's answer to "what do an SLO's alerts carry": the alert name, and per severity the
// labels and annotations resolved from the policy and the SLO (later wins), single-window rules
// and raw error-ratio SLIs — read once by every generator.
import { describe, expect, it } from 'vitest';
import { Workspace, generate } from '../../server/src/core/index.js';

function modelOf(text: string) {
  const ws = new Workspace();
  ws.setFile('file:///a.pace', text);
  const a = ws.analyze();
  expect(a.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  return a.normalized().model;
}

const TEXT = `alerting p {
  labels      { team = "platform", routing_key = "policy" }
  annotations { dashboard = "d", summary = "policy summary" }

  page   when burn_rate > 14.4 over 1h and 5m
  page   when burn_rate > 6    over 6h for 15m
  ticket when burn_rate > 1    over 3d and 6h

  page {
    labels      { routing_key = "policy-pager" }
    annotations { runbook_url = "policy-runbook" }
  }
}

service gateway {
  sli ok = ratio {
    bad   = req_total{code=~"5.."}
    total = req_total
  }

  sli upstream = promql {
    error_ratio = \`sum(rate(e_total[$window])) / sum(rate(r_total[$window]))\`
  }

  slo ok {
    sli        = ok
    objective  = 99.9%
    window     = 30d
    alerting   = p
    alert_name = "GatewayHighErrorRate"

    annotations { runbook_url = "slo-runbook" }

    page {
      labels { routing_key = "slo-pager" }
    }
  }

  slo upstream {
    sli       = upstream
    objective = 99%
    window    = 30d
  }
}
`;

describe('alerts in the model', () => {
  const model = modelOf(TEXT);
  const [ok, upstream] = model.services[0].slos;

  it('resolves labels: policy, its severity block, the SLO severity block (later wins)', () => {
    expect(ok.alerting!.name).toBe('GatewayHighErrorRate');
    expect(ok.alerting!.page.labels).toEqual({ routing_key: 'slo-pager', team: 'platform' });
    expect(ok.alerting!.ticket.labels).toEqual({ routing_key: 'policy', team: 'platform' });
  });

  it('resolves annotations: policy, its severity block, the SLO, the SLO severity block', () => {
    expect(ok.alerting!.page.annotations).toEqual({ dashboard: 'd', runbook_url: 'slo-runbook', summary: 'policy summary' });
    expect(ok.alerting!.ticket.annotations).toEqual({ dashboard: 'd', runbook_url: 'slo-runbook', summary: 'policy summary' });
  });

  it('names alerts after service and SLO without alert_name', () => {
    expect(upstream.alerting!.name).toBe('GatewayUpstreamErrorBudgetBurn');
  });

  it('keeps a single-window rule with its short window equal to its long one, and its time to fire', () => {
    const rule = ok.alerting!.rules[1];
    expect(rule).toMatchObject({ severity: 'page', factor: 6, longWindowSeconds: 21600, shortWindowSeconds: 21600, singleWindow: true, forSeconds: 900 });
    // A total outage: the 6h error ratio reaches 0.6% after 0.006 × 6h = 129.6 s, then `for` 15m.
    expect(rule.timeToFireSeconds).toBeCloseTo(129.6 + 900, 9);
    expect(ok.alerting!.rules[0].singleWindow).toBeUndefined();
  });

  it('holds a raw error ratio as written', () => {
    expect(model.services[0].slis.find((s) => s.name === 'upstream')).toMatchObject({ kind: 'promql', errorRatio: 'sum(rate(e_total[$window])) / sum(rate(r_total[$window]))' });
  });

  it('generates one condition for the single-window rule, labels and annotations from the model, Pace labels last', () => {
    const out = generate.generateTarget(model, 'prometheus', () => 'a.pace', { prometheus: { tests: false } });
    const rules = out.files.find((f) => f.path.endsWith('.rules.yml'))!.text;
    expect(rules).toContain(`- alert: GatewayHighErrorRate\n      expr: 'max without (pace_window) (slo:sli_error:ratio_rate6h{pace_service="gateway", pace_slo="ok"} > 0.006)'\n      for: 15m\n`);
    expect(rules).toContain('routing_key: "slo-pager"');
    expect(rules).toContain('summary: "policy summary"');
    const single = rules.slice(rules.indexOf('> 0.006)'), rules.indexOf('- alert', rules.indexOf('> 0.006)')));
    expect(single).toContain('pace_long_window: "6h"');
    expect(single).not.toContain('pace_short_window');
    expect(rules).toContain('(sum(rate(e_total[5m])) / sum(rate(r_total[5m])))');
  });
});
